//! The HTML report and the terminal summary, on a real network (see `common/mod.rs`): the page
//! loads nothing from anywhere, escapes real supplier names, and shows the figures that an
//! independent sum over the payments gives.

mod common;

use anchornet_report::{html, summary};

/// Text of an HTML fragment with tags removed and entities for `&`, `<`, `>` decoded.
fn text(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The cells of the first table row in `section` (by id) under the `<h3>` heading `heading`
/// whose first cell starts with `first`.
fn row_cells(page: &str, section: &str, heading: &str, first: &str) -> Vec<String> {
    let sec = page
        .split(&format!(r#"<section id="{section}">"#))
        .nth(1)
        .expect("section")
        .split("</section>")
        .next()
        .unwrap();
    let block = sec
        .split(&format!("<h3>{heading}</h3>"))
        .nth(1)
        .expect("heading")
        .split("</table>")
        .next()
        .unwrap();
    for tr in block.split("<tr").skip(1) {
        let cells: Vec<String> = tr
            .split("<td")
            .skip(1)
            .map(|td| text(&format!("<td{}", td.split("</td>").next().unwrap())))
            .collect();
        if cells.first().is_some_and(|c| c.starts_with(first)) {
            return cells;
        }
    }
    panic!("no row starting {first:?} under {heading} in #{section}");
}

/// `£1,234.56` → 123456.
fn pence(s: &str) -> i64 {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    t.parse().unwrap_or_else(|_| panic!("not money: {s:?}"))
}

#[test]
fn report_loads_nothing_from_outside() {
    let f = common::fixture();
    let page = html::render(&f.input());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(&format!(
        r#"<meta http-equiv="Content-Security-Policy" content="{}">"#,
        html::CSP
    )));
    assert!(html::CSP.starts_with("default-src 'none'"));
    // No element that could fetch: no scripts, stylesheets, images, frames, forms, objects.
    for tag in [
        "<script", "<link", "<img", "<iframe", "<object", "<embed", "<form", "<base", "<audio",
        "<video", "<source", "@import", "url(",
    ] {
        assert!(!page.contains(tag), "the report contains {tag}");
    }
    // Every src/href/action attribute is a fragment link within the page.
    let lower = page.to_ascii_lowercase();
    let mut links = 0;
    for attr in ["src=", "href=", "action=", "xlink:href=", "srcset="] {
        for (i, _) in lower.match_indices(attr) {
            let v = &lower[i + attr.len()..];
            assert!(
                v.starts_with("\"#"),
                "{attr} not a fragment: {}",
                &page[i..(i + 80).min(page.len())]
            );
            links += 1;
        }
    }
    assert!(links >= 10, "the navigation links are there ({links})");
    for scheme in ["http://", "https://", "//cdn", "ftp://"] {
        for (i, _) in lower.match_indices(scheme) {
            let before = &lower[i.saturating_sub(12)..i];
            assert!(
                !before.contains("src=") && !before.contains("href="),
                "{scheme} in an attribute"
            );
        }
    }
}

#[test]
fn report_escapes_real_supplier_names() {
    let f = common::fixture();
    let page = html::render(&f.input());
    // Every `&` starts an entity: no raw ampersand anywhere (names, categories, reasons).
    for (i, _) in page.match_indices('&') {
        let rest = &page[i + 1..(i + 10).min(page.len())];
        let ent = rest.split(';').next().unwrap();
        assert!(
            rest.contains(';')
                && (ent.chars().all(|c| c.is_ascii_alphanumeric()) || ent.starts_with('#')),
            "raw & at {}",
            &page[i.saturating_sub(40)..(i + 40).min(page.len())]
        );
    }
    // A real name with `&` among the network's top suppliers shows escaped.
    let name = f
        .analysis
        .figures
        .iter()
        .flat_map(|s| &s.figures.concentration.top)
        .map(|t| t.name.as_str())
        .find(|n| n.contains('&'))
        .expect("a top supplier with & in its name (e.g. S & W TLP)");
    assert!(page.contains(&name.replace('&', "&amp;")), "{name}");
    assert!(!page.contains(&format!(">{name}<")));
}

#[test]
fn report_shows_the_figures_of_the_payments() {
    let f = common::fixture();
    let page = html::render(&f.input());
    let salford = "Salford City Council";
    // Independent sum over the ingested payments: Salford's total in 2021/22.
    let total: i64 = f
        .payments
        .iter()
        .filter(|p| p.anchor == salford && p.financial_year.to_string() == "2021/22")
        .map(|p| p.amount.0)
        .sum();
    // Salford's 2021/22 in the fixture is its July 2021 file, every row accepted:
    // crates/ingest/tests/expected.py salford/2021-07.csv.xz "Date of Payment" Net
    // → records=1974 accepted=1974 total_pence=3742738249 (no Anchornet code).
    assert_eq!(total, 3_742_738_249);
    let cells = row_cells(&page, "headline", "2021/22", salford);
    assert_eq!(pence(&cells[2]), total, "total spend cell {:?}", cells[2]);

    // Network 2021/22: influenceable spend and the local share, from the dataset directly.
    let ds = &f.ds;
    let fy = |t: &anchornet_metrics::Txn| t.fy.to_string() == "2021/22";
    let inf: Vec<_> = ds
        .txns
        .iter()
        .filter(|t| fy(t) && t.excluded_by.is_none())
        .collect();
    let base: i64 = inf.iter().map(|t| t.pence).sum();
    let known: i64 = inf
        .iter()
        .filter(|t| ds.location(t).is_some())
        .map(|t| t.pence)
        .sum();
    let local: i64 = inf
        .iter()
        .filter(|t| ds.location(t).is_some_and(|l| l.local))
        .map(|t| t.pence)
        .sum();
    assert!(local > 0 && known > local && base > known);
    let net = row_cells(&page, "headline", "2021/22", "Network");
    assert_eq!(pence(&net[3]), base, "influenceable cell {:?}", net[3]);
    let want = format!(
        "{:.1}% of located{:.1}% of allcoverage {:.1}%",
        100.0 * local as f64 / known as f64,
        100.0 * local as f64 / base as f64,
        100.0 * known as f64 / base as f64
    );
    assert_eq!(net[4], want, "local share cell");

    // The year coverage is honest: 2022/23 covers Salford only (April), not Manchester.
    let cov = page
        .split(r#"<section id="coverage">"#)
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let row_2223 = cov.split("<tr><td>2022/23</td>").nth(1).unwrap();
    let row_2223 = text(row_2223.split("</tr>").next().unwrap());
    assert!(row_2223.contains("Apr (1 of 12 months"), "{row_2223}");
    assert!(row_2223.contains("not covered"), "{row_2223}");
    assert!(row_2223.contains("partial: 1 of 2 anchors"), "{row_2223}");
    // …and the year-on-year change says the network's membership changed.
    assert!(text(&page).contains("the anchors covered differ between the two years"));
}

#[test]
fn report_has_every_section_chart_and_the_map() {
    let f = common::fixture();
    let page = html::render(&f.input());
    for id in [
        "summary",
        "coverage",
        "headline",
        "shares",
        "deprivation",
        "map",
        "suppliers",
        "categories",
        "leakage",
        "exclusions",
        "changes",
        "methodology",
        "quality",
        "checks",
    ] {
        assert!(page.contains(&format!(r#"<section id="{id}">"#)), "{id}");
        assert!(page.contains(&format!(r##"href="#{id}""##)), "nav to {id}");
    }
    // one map path per Salford LSOA, and a circle for each LSOA with spend
    let map = page
        .split(r#"<svg class="chart map""#)
        .nth(1)
        .expect("map svg")
        .split("</svg>")
        .next()
        .unwrap();
    assert_eq!(map.matches("<path ").count(), f.map.areas.len());
    let with_spend = f.map.spend.values().filter(|p| **p > 0).count();
    assert!(with_spend > 0);
    assert_eq!(
        map.matches("<circle ").count(),
        with_spend + 2,
        "+2 legend circles"
    );
    // the methodology names every page, as plain text
    for d in anchornet_report::definitions::METRICS {
        assert!(
            page.contains(&format!("<code>{}</code>", d.page)),
            "{}",
            d.page
        );
    }
    // every check and every file is listed, and all checks hold
    assert!(page.contains(&format!("All {} checks hold.", f.analysis.checks.len())));
    for r in &f.reports {
        assert!(
            page.contains(&anchornet_report::fmt::esc(&r.file)),
            "{}",
            r.file
        );
    }
    // the SME share is measured (the register gives SME status); VCSE is not, and says so
    assert!(page.contains("Not measured: no supplier in scope has a known type"));
    // same input, same bytes
    assert_eq!(page, html::render(&f.input()));
}

#[test]
fn terminal_summary_lists_each_scope_and_year() {
    let f = common::fixture();
    let s = summary::terminal(&f.analysis);
    let net = f.analysis.get("network", "2021/22").unwrap();
    let line = s
        .lines()
        .skip_while(|l| !l.starts_with("2021/22"))
        .find(|l| l.starts_with("network"))
        .expect("network line");
    // The network's 2021/22 total is Salford's and Manchester's July 2021 files, every row
    // accepted; from crates/ingest/tests/expected.py (no Anchornet code):
    //   salford/2021-07.csv.xz "Date of Payment" Net → total_pence=3742738249
    //   manchester/2021-07.csv.xz "Invoice Payment Date" "Net Amount" → total_pence=7942961309
    // 3,742,738,249 + 7,942,961,309 = 11,685,699,558 p = £116,856,995.58 → £116,856,996.
    assert!(line.contains("£116,856,996"), "{line}");
    // 2022/23 is Salford's April 2022 file alone: expected.py salford/2022-04.csv.xz
    // "Date of Payment" Net → total_pence=3838418675 = £38,384,186.75 → £38,384,187.
    let line23 = s
        .lines()
        .skip_while(|l| !l.starts_with("2022/23"))
        .find(|l| l.starts_with("network"))
        .expect("2022/23 network line");
    assert!(line23.contains("£38,384,187"), "{line23}");
    assert!(
        line.contains(&format!(
            "{} / {} ({})",
            anchornet_report::fmt::pct(net.local.of_known()),
            anchornet_report::fmt::pct(net.local.of_all()),
            anchornet_report::fmt::pct(net.local.coverage())
        )),
        "{line}"
    );
    assert!(s.contains("2022/23: network covers Salford City Council (Apr)"));
    // Counted by hand from the reconciliation rules (metrics/src/analysis.rs `reconcile`):
    // one check of the network's total over the years; one "influenceable + excluded =
    // total" per scope and year (network, Salford City Council and Manchester City Council
    // in 2021/22; network and Salford City Council in 2022/23: 5); two more per network
    // year (anchors add up, categories add up: 4). 1 + 5 + 4 = 10.
    assert!(s.contains("checks: all 10 hold"), "{s}");
    assert_eq!(s.lines().filter(|l| l.starts_with("Manchester")).count(), 1);
}

/// With `ANCHORNET_REPORT_OUT=DIR`, write the test network's report, workbook and CSV set
/// there to look at (this is how docs/report-screenshot.png was made).
#[test]
fn write_outputs_when_asked() {
    let Some(dir) = std::env::var_os("ANCHORNET_REPORT_OUT") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let f = common::fixture();
    let input = f.input();
    std::fs::create_dir_all(&dir).unwrap();
    html::write(&input, &dir.join("report.html")).unwrap();
    anchornet_report::xlsx::write(&input, &dir.join("report.xlsx")).unwrap();
    anchornet_report::csv_set::write(&input, &dir.join("csv")).unwrap();
    std::fs::write(dir.join("summary.txt"), summary::terminal(&f.analysis)).unwrap();
}
