//! The HTML report: one self-contained file that works offline. CSS and SVG charts are inline,
//! there is no script, and a Content-Security-Policy forbids the page from loading anything, so
//! nothing can leave the machine when it is opened. All text is escaped.

use std::fmt::Write;

use anchornet_metrics::analysis::YearCoverage;
use anchornet_metrics::concentration::TopSupplier;
use anchornet_metrics::{Analysis, Figures, Share};

use crate::definitions::METRICS;
use crate::fmt::{esc, money, months, pct, pounds, pp, short_money};
use crate::input::{ReportInput, NOT_LOCATED};
use crate::svg::{self, Bar, ShareRow};
use crate::{map, NETWORK};

/// The Content-Security-Policy of the report: no fetches of any kind; inline styles, `data:`
/// images and inline scripts only.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'";

/// Picks one share out of a set of figures.
type ShareOf = fn(&Figures) -> &Share;

/// Categories and leakage rows shown per year in the HTML (the CSV set and workbook have all).
const TOP_ROWS: usize = 25;

macro_rules! w {
    ($s:expr, $($t:tt)*) => {{ let _ = write!($s, $($t)*); }};
}

/// The report's stylesheet (inline; other self-contained documents, such as the plan, reuse it).
pub const STYLE: &str = r#"
:root{--ink:#1d2733;--muted:#5b6675;--rule:#d9dee5;--band:#f5f7fa;--accent:#1f5f8b}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);margin:0;background:#fff}
header{background:var(--accent);color:#fff;padding:22px 32px}
header h1{margin:0 0 6px;font-size:26px}
header p{margin:2px 0;opacity:.92}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--rule);padding:8px 32px;z-index:2;font-size:14px}
nav a{margin-right:14px;color:var(--accent);text-decoration:none}
main{padding:8px 32px 40px;max-width:1280px}
h2{margin:34px 0 8px;padding-top:6px;border-top:2px solid var(--accent);font-size:21px}
h3{margin:22px 0 6px;font-size:17px}
p.note,.note{color:var(--muted);font-size:13.5px}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px}
th,td{border-bottom:1px solid var(--rule);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.sh{white-space:nowrap;font-variant-numeric:tabular-nums;font-size:12.5px}
table.hl th,table.hl td{padding:4px 5px}
td.sh small,td.sh .cov{color:var(--muted)}
tr.net td{font-weight:600;background:#fbfcfe}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}
.card{border:1px solid var(--rule);border-radius:6px;padding:10px 14px;min-width:190px;background:var(--band)}
.card .big{font-size:24px;font-weight:700;color:var(--accent)}
.card .lab{font-size:13px;color:var(--muted)}
.grid{display:flex;flex-wrap:wrap;gap:18px}
.grid figure{margin:0;max-width:400px}
.wide{overflow-x:auto;max-width:100%}
figure figcaption{font-size:13px;color:var(--muted)}
svg.chart{max-width:100%;height:auto;font-family:inherit}
svg .sm{font-size:11px;fill:#444}
svg .tiny{font-size:9.5px;fill:#444}
svg .lb{font-size:12px;fill:#1d2733}
svg .val{font-size:12px;fill:#1d2733;font-weight:600}
.ok{color:#1b7837;font-weight:600}
.bad{color:#b2182b;font-weight:700}
.warn{background:#fff4e0;border-left:4px solid #e08a00;padding:8px 12px;margin:10px 0}
details{margin:6px 0 10px}
summary{cursor:pointer;color:var(--accent)}
dl.defs dt{font-weight:600;margin-top:10px}
dl.defs dd{margin:2px 0 0 0}
code{font-size:12.5px;background:var(--band);padding:1px 4px;border-radius:3px}
footer{border-top:1px solid var(--rule);padding:14px 32px;color:var(--muted);font-size:12.5px}
@media print{nav{display:none}h2{break-before:auto}}
"#;

/// Render the report as one HTML document.
pub fn render(input: &ReportInput) -> String {
    let a = input.analysis;
    let mut s = String::with_capacity(256 * 1024);
    let title = format!("{}: spend analysis", display_network(a));
    w!(
        s,
        r#"<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{CSP}"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>{}</title><style>{STYLE}</style></head><body>"#,
        esc(&title)
    );
    header(&mut s, a, &title);
    s.push_str(r##"<nav><a href="#summary">Summary</a><a href="#coverage">Years covered</a><a href="#headline">Headline figures</a><a href="#shares">Shares</a><a href="#deprivation">Deprivation</a><a href="#map">Map</a><a href="#suppliers">Top suppliers</a><a href="#categories">Categories</a><a href="#leakage">Leakage</a><a href="#exclusions">Exclusions</a><a href="#changes">Year on year</a><a href="#methodology">Methodology</a><a href="#quality">Data quality</a><a href="#checks">Checks</a></nav><main>"##);
    summary(&mut s, a);
    coverage(&mut s, a);
    headline(&mut s, a);
    shares(&mut s, a);
    deprivation(&mut s, a);
    maps(&mut s, input);
    suppliers(&mut s, a);
    categories(&mut s, a);
    leakage(&mut s, a);
    exclusions(&mut s, a);
    changes(&mut s, a);
    methodology(&mut s, a);
    quality(&mut s, input);
    checks(&mut s, a);
    s.push_str("</main>");
    footer(&mut s, input);
    s.push_str("</body></html>\n");
    s
}

fn display_network(a: &Analysis) -> String {
    if a.network.name.is_empty() {
        "Anchor network".to_string()
    } else {
        a.network.name.clone()
    }
}

/// The scopes in display order: the network, then each anchor.
fn scopes(a: &Analysis) -> Vec<&str> {
    std::iter::once(NETWORK)
        .chain(a.anchors.iter().map(|x| x.name.as_str()))
        .collect()
}

fn scope_label(scope: &str) -> String {
    if scope == NETWORK {
        "Network".to_string()
    } else {
        scope.to_string()
    }
}

fn header(s: &mut String, a: &Analysis, title: &str) {
    let n = &a.network;
    w!(s, "<header><h1>{}</h1>", esc(title));
    w!(
        s,
        "<p>Local place: <b>{}</b> · wider place: <b>{}</b> · deprivation: <b>{}</b></p>",
        esc(or_dash(&n.local_place)),
        esc(or_dash(&n.wider_place)),
        esc(or_dash(&n.deprivation))
    );
    let anchors: Vec<String> = a
        .anchors
        .iter()
        .map(|x| format!("{} ({})", x.name, x.kind))
        .collect();
    w!(
        s,
        "<p>Anchors: {} · financial years: {}</p></header>",
        esc(&anchors.join(", ")),
        esc(&a.year_names().join(", "))
    );
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "–"
    } else {
        s
    }
}

/// "covers A (Apr–Mar, 12 of 12 months) and B (Jul, 1 of 12 months); not covered: C".
fn coverage_sentence(a: &Analysis, y: &YearCoverage) -> String {
    let covered: Vec<String> = y
        .anchors
        .iter()
        .map(|x| {
            format!(
                "{} ({}, {} of 12 months)",
                x.anchor,
                months(&x.months),
                x.months.len()
            )
        })
        .collect();
    let missing: Vec<&str> = a
        .anchors
        .iter()
        .map(|x| x.name.as_str())
        .filter(|n| !y.anchors.iter().any(|c| c.anchor == *n))
        .collect();
    let mut out = format!(
        "The network figure for {} covers {}",
        y.fy,
        join_and(&covered)
    );
    if !missing.is_empty() {
        out.push_str(&format!(
            "; it does not cover {}, which published no payments for that year",
            join_and(&missing.iter().map(|m| m.to_string()).collect::<Vec<_>>())
        ));
    }
    out.push('.');
    out
}

fn join_and(v: &[String]) -> String {
    match v.len() {
        0 => "no anchor".to_string(),
        1 => v[0].clone(),
        _ => format!("{} and {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
    }
}

fn incomplete(y: &YearCoverage, n_anchors: usize) -> bool {
    y.anchors.len() < n_anchors || y.anchors.iter().any(|x| x.months.len() < 12)
}

fn summary(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="summary"><h2>Summary</h2>"#);
    s.push_str(r#"<p class="note">Every share is shown two ways: of the spend where the test could be made (for instance, whose supplier is located) and of all influenceable spend (counting unknowns as not matching), with the coverage — the share of influenceable spend that is known. Read a share together with its coverage.</p>"#);
    for y in &a.years {
        let Some(f) = a.get(NETWORK, &y.fy) else {
            continue;
        };
        w!(s, "<h3>{} — network</h3>", esc(&y.fy));
        w!(
            s,
            r#"<p class="note">{}</p>"#,
            esc(&coverage_sentence(a, y))
        );
        s.push_str(r#"<div class="cards">"#);
        card(
            s,
            &short_money(f.influenceable.pence),
            "influenceable spend",
            &format!("of {} total", pounds(f.total.pence)),
        );
        for (name, sh) in share_list(a, f) {
            card(
                s,
                &pct(sh.of_known()),
                &format!("{name}, of located/known spend"),
                &format!(
                    "{} of all influenceable · coverage {}",
                    pct(sh.of_all()),
                    pct(sh.coverage())
                ),
            );
        }
        s.push_str("</div>");
    }
    s.push_str("</section>");
}

fn card(s: &mut String, big: &str, label: &str, sub: &str) {
    w!(
        s,
        r#"<div class="card"><div class="big">{}</div><div class="lab">{}</div><div class="note">{}</div></div>"#,
        esc(big),
        esc(label),
        esc(sub)
    );
}

/// The shares of a set of figures, named with the network's places.
fn share_list<'f>(a: &Analysis, f: &'f Figures) -> Vec<(String, &'f Share)> {
    vec![
        (
            format!("local ({})", or_dash(&a.network.local_place)),
            &f.local,
        ),
        (
            format!("wider place ({})", or_dash(&a.network.wider_place)),
            &f.wider,
        ),
        (
            "deprived areas (deciles 1–2)".to_string(),
            &f.deprived.share,
        ),
        ("SMEs".to_string(), &f.sme),
        ("VCSE".to_string(), &f.vcse),
    ]
}

fn coverage(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="coverage"><h2>Years covered</h2><p class="note">Anchors rarely publish the same years. A network figure adds up only the anchors with payments in that year, so compare network figures across years only where they cover the same anchors.</p><div class="wide"><table><thead><tr><th>Financial year</th>"#);
    for x in &a.anchors {
        w!(s, "<th>{}</th>", esc(&x.name));
    }
    s.push_str("<th>Network figure</th></tr></thead><tbody>");
    for y in &a.years {
        w!(s, "<tr><td>{}</td>", esc(&y.fy));
        for x in &a.anchors {
            match y.anchors.iter().find(|c| c.anchor == x.name) {
                Some(c) => w!(
                    s,
                    "<td>{} <span class=\"note\">({} of 12 months; {} payments)</span></td>",
                    esc(&months(&c.months)),
                    c.months.len(),
                    crate::fmt::group(c.rows)
                ),
                None => s.push_str(r#"<td class="note">not covered</td>"#),
            }
        }
        let n = y.anchors.len();
        if incomplete(y, a.anchors.len()) {
            w!(
                s,
                r#"<td><span class="bad">partial</span>: {n} of {} anchors{}</td></tr>"#,
                a.anchors.len(),
                if y.anchors.iter().any(|x| x.months.len() < 12) {
                    ", some for part of the year"
                } else {
                    ""
                }
            );
        } else {
            w!(s, "<td class=\"ok\">all {n} anchors, full year</td></tr>");
        }
    }
    s.push_str("</tbody></table></div></section>");
}

fn share_cell(s: &mut String, sh: &Share) {
    w!(
        s,
        r#"<td class="sh" title="{} of {} located; base {}"><b>{}</b> of located<br>{} of all<br><small>coverage {}</small></td>"#,
        esc(&money(sh.matched)),
        esc(&money(sh.known)),
        esc(&money(sh.base)),
        pct(sh.of_known()),
        pct(sh.of_all()),
        pct(sh.coverage())
    );
}

fn headline(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="headline"><h2>Headline figures by anchor and year</h2>"#);
    for y in &a.years {
        w!(s, "<h3>{}</h3>", esc(&y.fy));
        w!(
            s,
            r#"<p class="note">{}</p>"#,
            esc(&coverage_sentence(a, y))
        );
        s.push_str(r#"<div class="wide"><table class="hl"><thead><tr><th>Scope</th><th class="n">Payments</th><th class="n">Total spend</th><th class="n">Influenceable</th><th>Local</th><th>Wider place</th><th>Deprived (1–2)</th><th>SME</th><th>VCSE</th><th class="n">Suppliers</th><th class="n">Top-10 share</th><th class="n">HHI</th></tr></thead><tbody>"#);
        for sc in scopes(a) {
            let Some(f) = a.get(sc, &y.fy) else {
                continue;
            };
            w!(
                s,
                r#"<tr{}><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>"#,
                if sc == NETWORK { r#" class="net""# } else { "" },
                esc(&scope_label(sc)),
                crate::fmt::group(f.total.rows),
                esc(&money(f.total.pence)),
                esc(&money(f.influenceable.pence))
            );
            for (_, sh) in share_list(a, f) {
                share_cell(s, sh);
            }
            w!(
                s,
                r#"<td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                crate::fmt::group(f.concentration.suppliers),
                pct(f.concentration.top10_share),
                f.concentration
                    .hhi
                    .map_or("–".to_string(), |h| format!("{h:.0}"))
            );
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");
}

fn shares(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="shares"><h2>Shares by anchor and year</h2><p class="note">Light bar: share of the spend where the test could be made. Dark bar: share of all influenceable spend. Grey line: coverage.</p>"#);
    let pick: [(&str, ShareOf); 5] = [
        ("Local share", |f| &f.local),
        ("Wider-place share", |f| &f.wider),
        ("Deprived-area share (deciles 1–2)", |f| &f.deprived.share),
        ("SME share", |f| &f.sme),
        ("VCSE share", |f| &f.vcse),
    ];
    for (name, get) in pick {
        let mut rows = Vec::new();
        for sf in &a.figures {
            let fy = sf.fy.map(|y| y.to_string()).unwrap_or_default();
            let label = if sf.scope.is_network() {
                format!("Network {fy}")
            } else {
                format!("{} {fy}", sf.scope)
            };
            rows.push(ShareRow {
                label,
                share: get(&sf.figures),
            });
        }
        w!(s, "<h3>{}</h3>", esc(name));
        if rows.iter().all(|r| r.share.known == 0) {
            w!(
                s,
                r#"<p class="warn">Not measured: no supplier in scope has a known {}. The share is shown as unknown rather than guessed.</p>"#,
                if name.starts_with("SME") {
                    "size"
                } else if name.starts_with("VCSE") {
                    "type (charity, CIC, co-operative…)"
                } else {
                    "location"
                }
            );
            continue;
        }
        s.push_str(&svg::share_chart(name, &rows));
    }
    s.push_str("</section>");
}

fn deprivation(s: &mut String, a: &Analysis) {
    w!(
        s,
        r#"<section id="deprivation"><h2>Spend by deprivation decile</h2><p class="note">Influenceable spend by the deprivation decile ({}) of the supplier's neighbourhood; 1 is the most deprived 10% of neighbourhoods in England. Deciles 1–2 count as deprived. "?" is spend whose supplier has no decile (not located, or outside England).</p><div class="grid">"#,
        esc(or_dash(&a.network.deprivation))
    );
    for sf in &a.figures {
        let fy = sf.fy.map(|y| y.to_string()).unwrap_or_default();
        let label = format!("{} {fy}", scope_label(sf.scope.as_str()));
        w!(
            s,
            "<figure>{}<figcaption>{}: {} in deciles 1–2 of located spend, {} of all; coverage {}</figcaption></figure>",
            svg::decile_chart(&label, &sf.figures.deprived),
            esc(&label),
            pct(sf.figures.deprived.share.of_known()),
            pct(sf.figures.deprived.share.of_all()),
            pct(sf.figures.deprived.share.coverage())
        );
    }
    s.push_str("</div></section>");
}

fn maps(s: &mut String, input: &ReportInput) {
    s.push_str(r#"<section id="map"><h2>Where the spend lands</h2>"#);
    if input.maps.iter().all(|m| m.areas.is_empty()) {
        s.push_str(r#"<p class="note">No map: the run supplied no area boundaries.</p>"#);
    }
    for m in input.maps.iter().filter(|m| !m.areas.is_empty()) {
        let t = map::totals(m);
        w!(s, "<h3>{}</h3>", esc(&m.title));
        w!(
            s,
            r#"<p class="note">Areas: {} ({}), coloured by deprivation decile; circles sized by the influenceable spend with suppliers located in each. {} lands in {} of the areas drawn; {} is with suppliers located elsewhere; {} is with suppliers not located.</p>"#,
            crate::fmt::group(m.areas.len() as u64),
            esc(or_dash(&m.level)),
            esc(&money(t.in_areas)),
            t.areas_with_spend,
            esc(&money(t.elsewhere)),
            esc(&money(t.unlocated))
        );
        s.push_str(&map::svg(m));
    }
    s.push_str("</section>");
}

fn supplier_fill(t: &TopSupplier) -> &'static str {
    match (t.local, t.wider) {
        (Some(true), _) => svg::LOCAL,
        (_, Some(true)) => svg::WIDER,
        (Some(false), _) | (_, Some(false)) => svg::ELSEWHERE,
        _ => svg::UNKNOWN,
    }
}

fn located_text(t: &TopSupplier, a: &Analysis) -> String {
    match (&t.district, t.local, t.wider) {
        (None, ..) => NOT_LOCATED.to_string(),
        (Some(d), Some(true), _) => format!("{d} (local: {})", a.network.local_place),
        (Some(d), _, Some(true)) => format!("{d} (wider: {})", a.network.wider_place),
        (Some(d), ..) => format!("{d} (outside)"),
    }
}

fn suppliers(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="suppliers"><h2>Top suppliers</h2><p class="note">The ten largest recipients of influenceable spend. Payments to individuals are redacted.</p>"#);
    for y in &a.years {
        let Some(f) = a.get(NETWORK, &y.fy) else {
            continue;
        };
        w!(s, "<h3>{} — network</h3>", esc(&y.fy));
        let bars: Vec<Bar> = f
            .concentration
            .top
            .iter()
            .map(|t| Bar {
                label: t.name.clone(),
                pence: t.pence,
                fill: supplier_fill(t),
            })
            .collect();
        s.push_str(&svg::bar_list(
            &format!("Top suppliers, network {}", y.fy),
            &bars,
            &[
                (svg::LOCAL, "local"),
                (svg::WIDER, "wider place"),
                (svg::ELSEWHERE, "outside"),
                (svg::UNKNOWN, "not located"),
            ],
        ));
        for sc in scopes(a) {
            let Some(f) = a.get(sc, &y.fy) else {
                continue;
            };
            w!(
                s,
                "<details{}><summary>{} {} — {} suppliers; top 10 take {}</summary>",
                if sc == NETWORK { " open" } else { "" },
                esc(&scope_label(sc)),
                esc(&y.fy),
                crate::fmt::group(f.concentration.suppliers),
                pct(f.concentration.top10_share)
            );
            s.push_str(r#"<div class="wide"><table><thead><tr><th class="n">#</th><th>Supplier</th><th class="n">Influenceable spend</th><th class="n">Share</th><th>Located</th></tr></thead><tbody>"#);
            for (i, t) in f.concentration.top.iter().enumerate() {
                w!(
                    s,
                    r#"<tr><td class="n">{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
                    i + 1,
                    esc(&t.name),
                    esc(&money(t.pence)),
                    pct(anchornet_metrics::share::ratio(
                        t.pence,
                        f.influenceable.pence
                    )),
                    esc(&located_text(t, a))
                );
            }
            s.push_str("</tbody></table></div></details>");
        }
    }
    s.push_str("</section>");
}

fn categories(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="categories"><h2>Categories</h2>"#);
    for y in &a.years {
        let mut cats: Vec<_> = a
            .categories
            .iter()
            .filter(|c| c.scope.is_network() && c.fy.is_some_and(|f| f.to_string() == y.fy))
            .collect();
        if cats.is_empty() {
            continue;
        }
        cats.sort_by(|x, z| {
            z.figures
                .influenceable
                .pence
                .cmp(&x.figures.influenceable.pence)
                .then(x.category.cmp(&z.category))
        });
        w!(
            s,
            r#"<h3>{} — network</h3><p class="note">The {} largest of {} categories by influenceable spend; every category, for every anchor, is in <code>categories.csv</code> and the workbook.</p>"#,
            esc(&y.fy),
            TOP_ROWS.min(cats.len()),
            cats.len()
        );
        s.push_str(r#"<div class="wide"><table><thead><tr><th>Category</th><th class="n">Total</th><th class="n">Influenceable</th><th>Local</th><th>Deprived (1–2)</th><th class="n">Suppliers</th></tr></thead><tbody>"#);
        for c in cats.iter().take(TOP_ROWS) {
            w!(
                s,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td>"#,
                esc(&c.category),
                esc(&money(c.figures.total.pence)),
                esc(&money(c.figures.influenceable.pence))
            );
            share_cell(s, &c.figures.local);
            share_cell(s, &c.figures.deprived.share);
            w!(
                s,
                r#"<td class="n">{}</td></tr>"#,
                crate::fmt::group(c.figures.concentration.suppliers)
            );
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");
}

fn leakage(s: &mut String, a: &Analysis) {
    w!(
        s,
        r#"<section id="leakage"><h2>Leakage by category</h2><p class="note">Influenceable spend with suppliers located outside {}, by category, largest leak first, beside the local suppliers the network already pays in that category — the starting list for winning spend back. Spend with suppliers not located is shown apart, not counted as leaked.</p>"#,
        esc(or_dash(&a.network.local_place))
    );
    for yl in &a.leakage {
        w!(s, "<h3>{} — network</h3>", esc(&yl.fy));
        let top: Vec<_> = yl.rows.iter().take(15).cloned().collect();
        s.push_str(&svg::leakage_chart(
            &format!("Leakage by category, {}", yl.fy),
            &top,
        ));
        w!(
            s,
            r#"<p class="note">{} categories; the {} with the largest leak are listed, all of them in <code>leakage.csv</code>.</p>"#,
            yl.rows.len(),
            TOP_ROWS.min(yl.rows.len())
        );
        s.push_str(r#"<div class="wide"><table><thead><tr><th>Category</th><th class="n">Influenceable</th><th class="n">Local</th><th class="n">Leaked</th><th class="n">Not located</th><th class="n">Leaked, of located</th><th>Local suppliers already paid</th></tr></thead><tbody>"#);
        for r in yl.rows.iter().take(TOP_ROWS) {
            let locals: Vec<String> = r
                .local_suppliers
                .iter()
                .map(|(n, p)| format!("{n} ({})", short_money(*p)))
                .collect();
            let more = r.local_supplier_count as usize
                - r.local_suppliers.len().min(r.local_supplier_count as usize);
            w!(
                s,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}{}</td></tr>"#,
                esc(&r.category),
                esc(&money(r.influenceable)),
                esc(&money(r.local)),
                esc(&money(r.leaked)),
                esc(&money(r.unknown)),
                pct(anchornet_metrics::share::ratio(
                    r.leaked,
                    r.local + r.leaked
                )),
                if locals.is_empty() {
                    "<span class=\"note\">none yet</span>".to_string()
                } else {
                    esc(&locals.join("; "))
                },
                if more > 0 {
                    format!(" <span class=\"note\">and {more} more</span>")
                } else {
                    String::new()
                }
            );
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");
}

fn exclusions(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="exclusions"><h2>Exclusions: from total to influenceable spend</h2><p class="note">What each rule removed. Rules that removed nothing are listed too.</p>"#);
    for y in &a.years {
        w!(s, "<h3>{}</h3>", esc(&y.fy));
        for sc in scopes(a) {
            let Some(f) = a.get(sc, &y.fy) else {
                continue;
            };
            let excluded: i64 = f.influenceable.removed.iter().map(|r| r.pence).sum();
            w!(
                s,
                "<details{}><summary>{}: total {} = influenceable {} + excluded {}</summary>",
                if sc == NETWORK { " open" } else { "" },
                esc(&scope_label(sc)),
                esc(&money(f.total.pence)),
                esc(&money(f.influenceable.pence)),
                esc(&money(excluded))
            );
            s.push_str(r#"<div class="wide"><table><thead><tr><th>Rule</th><th>Why</th><th class="n">Payments</th><th class="n">Removed</th><th>Largest suppliers removed</th></tr></thead><tbody>"#);
            for r in &f.influenceable.removed {
                let largest: Vec<String> = r
                    .largest
                    .iter()
                    .map(|(n, p)| format!("{n} ({})", short_money(*p)))
                    .collect();
                w!(
                    s,
                    r#"<tr><td><code>{}</code></td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
                    esc(&r.rule),
                    esc(&r.reason),
                    crate::fmt::group(r.rows),
                    esc(&money(r.pence)),
                    esc(&largest.join("; "))
                );
            }
            s.push_str("</tbody></table></div></details>");
        }
    }
    s.push_str("</section>");
}

fn changes(s: &mut String, a: &Analysis) {
    s.push_str(r#"<section id="changes"><h2>Year on year</h2>"#);
    if a.changes.is_empty() {
        s.push_str(r#"<p class="note">No scope has two consecutive financial years, so there is no change to show.</p></section>"#);
        return;
    }
    s.push_str(r#"<p class="note">Changes in shares are of all influenceable spend, in percentage points.</p><div class="wide"><table><thead><tr><th>Scope</th><th>Years</th><th class="n">Influenceable, before</th><th class="n">after</th><th class="n">Local</th><th class="n">Wider place</th><th class="n">Deprived</th><th>Caveat</th></tr></thead><tbody>"#);
    for c in &a.changes {
        w!(
            s,
            r#"<tr><td>{}</td><td>{} → {}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
            esc(&scope_label(c.scope.as_str())),
            esc(&c.from),
            esc(&c.to),
            esc(&money(c.influenceable.0)),
            esc(&money(c.influenceable.1)),
            pp(c.local_share_pp),
            pp(c.wider_share_pp),
            pp(c.deprived_share_pp),
            if c.coverage_changed {
                r#"<span class="bad">the anchors covered differ between the two years</span>: the change mixes spending with membership"#
            } else {
                ""
            }
        );
    }
    s.push_str("</tbody></table></div></section>");
}

fn methodology(s: &mut String, a: &Analysis) {
    w!(
        s,
        r#"<section id="methodology"><h2>Methodology</h2><p class="note">Money is counted in whole pence, net of VAT where the file gives net. Financial years run 1 April – 31 March. Local place: {}; wider place: {}; deprivation: {}. Each figure's full method is in the repository page named below.</p><dl class="defs">"#,
        esc(or_dash(&a.network.local_place)),
        esc(or_dash(&a.network.wider_place)),
        esc(or_dash(&a.network.deprivation))
    );
    for d in METRICS {
        w!(
            s,
            "<dt>{}</dt><dd>{} <span class=\"note\">Coverage: {}</span> <code>{}</code></dd>",
            esc(d.metric),
            esc(d.definition),
            esc(d.coverage),
            esc(d.page)
        );
    }
    s.push_str("</dl></section>");
}

fn quality(s: &mut String, input: &ReportInput) {
    let q = &input.quality;
    s.push_str(r#"<section id="quality"><h2>Appendix: data quality</h2>"#);
    s.push_str("<h3>Input files</h3>");
    if q.files.is_empty() {
        s.push_str(r#"<p class="note">The run recorded no file reports.</p>"#);
    } else {
        s.push_str(r#"<p class="note">Every row read is accepted, skipped (not data: blank, totals, duplicate) or rejected (data that could not be used, listed in the issues file). For supplier evidence (registers, vendor lists, ratepayer lists), accepted rows are kept as evidence about the network's suppliers and skipped rows are about none of them.</p><div class="wide"><table><thead><tr><th>Anchor</th><th>File</th><th>Read as</th><th class="n">Rows read</th><th class="n">Accepted</th><th class="n">Skipped</th><th class="n">of which duplicates</th><th class="n">Rejected</th><th class="n">Redacted supplier</th><th class="n">Accepted total</th><th>Dates</th><th>Reconciles</th></tr></thead><tbody>"#);
        let mut tot = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0i64);
        for f in &q.files {
            let ok = f.rows_read == f.accepted + f.skipped + f.rejected;
            w!(
                s,
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&f.anchor),
                esc(&f.file),
                esc(&match &f.error {
                    Some(e) => format!("not read: {e}"),
                    None => f.format.clone(),
                }),
                crate::fmt::group(f.rows_read),
                crate::fmt::group(f.accepted),
                crate::fmt::group(f.skipped),
                crate::fmt::group(f.duplicates),
                crate::fmt::group(f.rejected),
                crate::fmt::group(f.redacted),
                esc(&money(f.total_pence)),
                esc(&f
                    .dates
                    .as_ref()
                    .map_or("–".to_string(), |(a, b)| format!("{a} – {b}"))),
                if ok {
                    r#"<span class="ok">✓</span>"#
                } else {
                    r#"<span class="bad">✗</span>"#
                }
            );
            tot.0 += f.rows_read;
            tot.1 += f.accepted;
            tot.2 += f.skipped;
            tot.3 += f.duplicates;
            tot.4 += f.rejected;
            tot.5 += f.redacted;
            tot.6 += f.total_pence;
        }
        w!(
            s,
            r#"<tr class="net"><td colspan="3">All files</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td></td><td></td></tr></tbody></table></div>"#,
            crate::fmt::group(tot.0),
            crate::fmt::group(tot.1),
            crate::fmt::group(tot.2),
            crate::fmt::group(tot.3),
            crate::fmt::group(tot.4),
            crate::fmt::group(tot.5),
            esc(&money(tot.6))
        );
    }
    if !q.suppliers.is_empty() {
        s.push_str(r#"<h3>Supplier resolution</h3><div class="wide"><table><thead><tr><th>What</th><th class="n">Count</th><th class="n">Spend</th></tr></thead><tbody>"#);
        for c in &q.suppliers {
            w!(
                s,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                esc(&c.label),
                crate::fmt::group(c.count),
                c.pence.map_or("–".to_string(), |p| esc(&money(p)))
            );
        }
        s.push_str("</tbody></table></div>");
    }
    if !q.locations.is_empty() {
        let all: i64 = q.locations.iter().map(|l| l.pence).sum();
        s.push_str(r#"<h3>Where supplier locations come from</h3><p class="note">Influenceable spend by the evidence that located its supplier, best evidence first in the supplier register: a person's decision, the anchor's vendor address, a vendor list, a contracts register or notice, business-rates premises, then a registered office (Companies House, the charity register).</p><div class="wide"><table><thead><tr><th>Source</th><th class="n">Suppliers</th><th class="n">Influenceable spend</th><th class="n">Share</th></tr></thead><tbody>"#);
        for l in &q.locations {
            w!(
                s,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                esc(&l.source),
                crate::fmt::group(l.suppliers),
                esc(&money(l.pence)),
                pct(anchornet_metrics::share::ratio(l.pence, all))
            );
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("<h3>Head-office effect</h3>");
    if q.head_offices.is_empty() {
        s.push_str(r#"<p class="note">No supplier was located at a registered office flagged as possibly not where the work is done.</p>"#);
    } else {
        let all: i64 = q.head_offices.iter().map(|h| h.pence).sum();
        w!(
            s,
            r#"<p class="note">{} suppliers ({} of influenceable spend) are located at a registered office that may not be where the work is done; their location counts as given, so local and wider shares may be understated or overstated by them.</p><div class="wide"><table><thead><tr><th>Supplier</th><th>Postcode</th><th>District</th><th class="n">Influenceable spend</th></tr></thead><tbody>"#,
            q.head_offices.len(),
            esc(&money(all))
        );
        for h in q.head_offices.iter().take(TOP_ROWS) {
            w!(
                s,
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td></tr>"#,
                esc(&h.supplier),
                esc(&h.postcode),
                esc(&h.district),
                esc(&money(h.pence))
            );
        }
        s.push_str("</tbody></table></div>");
    }
    if !q.notes.is_empty() {
        s.push_str("<h3>Notes</h3><ul>");
        for n in &q.notes {
            w!(s, "<li>{}</li>", esc(n));
        }
        s.push_str("</ul>");
    }
    s.push_str("</section>");
}

fn checks(s: &mut String, a: &Analysis) {
    let failed = a.checks.iter().filter(|c| !c.ok).count();
    s.push_str(r#"<section id="checks"><h2>Reconciliation checks</h2>"#);
    if failed == 0 {
        w!(
            s,
            r#"<p class="ok">All {} checks hold.</p>"#,
            a.checks.len()
        );
    } else {
        w!(
            s,
            r#"<p class="warn"><span class="bad">{failed} of {} checks fail.</span> Figures that depend on them should not be published until the cause is found.</p>"#,
            a.checks.len()
        );
    }
    s.push_str(
        r#"<div class="wide"><table><thead><tr><th>Check</th><th>Result</th></tr></thead><tbody>"#,
    );
    for c in &a.checks {
        w!(
            s,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&c.what),
            if c.ok {
                r#"<span class="ok">✓ holds</span>"#
            } else {
                r#"<span class="bad">✗ fails</span>"#
            }
        );
    }
    s.push_str("</tbody></table></div></section>");
}

fn footer(s: &mut String, input: &ReportInput) {
    s.push_str("<footer>");
    if !input.generated.is_empty() {
        w!(s, "<p>Made by {}.</p>", esc(&input.generated));
    }
    s.push_str("<p>This file is self-contained: it loads nothing from anywhere, and can be read offline or printed.</p>");
    for src in &input.sources {
        w!(s, "<p>{}</p>", esc(src));
    }
    s.push_str("</footer>");
}

/// Render the report and write it to `path` atomically (via `path.partial`).
pub fn write(input: &ReportInput, path: &std::path::Path) -> std::io::Result<()> {
    crate::write_atomic(path, render(input).as_bytes())
}
