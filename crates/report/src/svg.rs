//! Inline SVG charts, drawn in Rust: no script, no fonts or images fetched. Every number drawn
//! is also printed beside its bar, so the charts read without colour.

use std::fmt::Write;

use anchornet_metrics::deprived_share::Deprived;
use anchornet_metrics::leakage::LeakageRow;
use anchornet_metrics::Share;

use crate::fmt::{esc, num, pct, short_money};

/// Colour of the most-matching part of a share bar (share of all influenceable spend).
pub const DARK: &str = "#1f5f8b";
/// Colour of the share of located (known) spend.
pub const LIGHT: &str = "#9cc3e0";
/// Colour of unknowns (not located, no decile).
pub const UNKNOWN: &str = "#c8c8c8";
/// Local suppliers.
pub const LOCAL: &str = "#1b7837";
/// Wider place, outside the local place.
pub const WIDER: &str = "#a6dba0";
/// Located outside the wider place (leaked).
pub const ELSEWHERE: &str = "#c2a5cf";

/// Deprivation decile colours, decile 1 (most deprived) first.
pub const DECILE: [&str; 10] = [
    "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3",
    "#2166ac", "#053061",
];

/// Text colour readable on a decile colour.
pub fn decile_text(d: usize) -> &'static str {
    if (2..=6).contains(&d) {
        "#222"
    } else {
        "#fff"
    }
}

fn open(out: &mut String, w: f64, h: f64, label: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>"#,
        num(w),
        num(h),
        num(w),
        num(h),
        esc(label),
        esc(label)
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" class="{class}">{}</text>"#,
        num(x),
        num(y),
        esc(s)
    );
}

fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str, tip: Option<&str>) {
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}""#,
        num(x),
        num(y),
        num(w.max(0.0)),
        num(h)
    );
    match tip {
        Some(t) => {
            let _ = write!(out, "><title>{}</title></rect>", esc(t));
        }
        None => out.push_str("/>"),
    }
}

fn clamp01(x: Option<f64>) -> f64 {
    x.filter(|v| v.is_finite()).unwrap_or(0.0).clamp(0.0, 1.0)
}

/// One row of a share chart.
pub struct ShareRow<'a> {
    /// Row label (`network 2021/22`, an anchor's name).
    pub label: String,
    /// The share.
    pub share: &'a Share,
}

/// Horizontal bars, one per row: the share of located spend (light), the share of all
/// influenceable spend (dark, never longer), and beneath, the coverage (grey line).
pub fn share_chart(title: &str, rows: &[ShareRow]) -> String {
    let (lw, x0, tw) = (230.0, 240.0, 330.0);
    let rh = 34.0;
    let top = 40.0;
    let h = top + rh * rows.len() as f64 + 22.0;
    let w = 900.0;
    let mut s = String::new();
    open(&mut s, w, h, title);
    // legend
    rect(&mut s, x0, 8.0, 12.0, 12.0, DARK, None);
    text(
        &mut s,
        x0 + 16.0,
        18.0,
        "start",
        "sm",
        "of all influenceable spend",
    );
    rect(&mut s, x0 + 190.0, 8.0, 12.0, 12.0, LIGHT, None);
    text(
        &mut s,
        x0 + 206.0,
        18.0,
        "start",
        "sm",
        "of located/known spend",
    );
    rect(&mut s, x0 + 370.0, 12.0, 24.0, 4.0, "#777", None);
    text(
        &mut s,
        x0 + 398.0,
        18.0,
        "start",
        "sm",
        "coverage (share known)",
    );
    // gridlines
    for i in 0..=4 {
        let x = x0 + tw * i as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"/>"##,
            num(x),
            num(top - 6.0),
            num(x),
            num(h - 20.0)
        );
        text(&mut s, x, h - 6.0, "middle", "sm", &format!("{}%", i * 25));
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + rh * i as f64;
        let sh = r.share;
        text(&mut s, lw, y + 14.0, "end", "lb", &r.label);
        rect(&mut s, x0, y + 3.0, tw, 14.0, "#f2f2f2", None);
        let tip = format!(
            "{}: {} of located spend, {} of all influenceable spend, coverage {}",
            r.label,
            pct(sh.of_known()),
            pct(sh.of_all()),
            pct(sh.coverage())
        );
        rect(
            &mut s,
            x0,
            y + 3.0,
            tw * clamp01(sh.of_known()),
            14.0,
            LIGHT,
            Some(&tip),
        );
        rect(
            &mut s,
            x0,
            y + 3.0,
            tw * clamp01(sh.of_all()),
            14.0,
            DARK,
            Some(&tip),
        );
        rect(&mut s, x0, y + 21.0, tw, 4.0, "#eee", None);
        rect(
            &mut s,
            x0,
            y + 21.0,
            tw * clamp01(sh.coverage()),
            4.0,
            "#777",
            None,
        );
        text(
            &mut s,
            x0 + tw + 10.0,
            y + 14.0,
            "start",
            "val",
            &format!(
                "{} of located · {} of all",
                pct(sh.of_known()),
                pct(sh.of_all())
            ),
        );
        text(
            &mut s,
            x0 + tw + 10.0,
            y + 27.0,
            "start",
            "sm",
            &format!("coverage {}", pct(sh.coverage())),
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars of influenceable pence by deprivation decile (1 = most deprived), scaled to
/// the largest decile; deciles 1–2 (counted as deprived) are marked. Spend with no decile is
/// stated in words beneath rather than drawn, so a large unknown never flattens the bars.
pub fn decile_chart(title: &str, d: &Deprived) -> String {
    let (w, h) = (400.0, 230.0);
    let (x0, base, bw, gap, hmax) = (10.0, 175.0, 30.0, 7.0, 120.0);
    let max = d.by_decile.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut s = String::new();
    open(&mut s, w, h, title);
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#fbeaea"/>"##,
        num(x0 - 3.0),
        num(base - hmax - 32.0),
        num(2.0 * (bw + gap) + 6.0 - gap),
        num(hmax + 50.0)
    );
    text(
        &mut s,
        x0 + bw + gap / 2.0,
        base - hmax - 20.0,
        "middle",
        "sm",
        "deprived",
    );
    for (i, &p) in d.by_decile.iter().enumerate() {
        let x = x0 + (bw + gap) * i as f64;
        let bh = hmax * (p.max(0) as f64) / max;
        let label = (i + 1).to_string();
        let tip = format!("decile {label}: {}", short_money(p));
        rect(&mut s, x, base - bh, bw, bh, DECILE[i], Some(&tip));
        text(&mut s, x + bw / 2.0, base + 14.0, "middle", "sm", &label);
        if p != 0 {
            text(
                &mut s,
                x + bw / 2.0,
                base - bh - 3.0,
                "middle",
                "tiny",
                &short_money(p),
            );
        }
    }
    text(
        &mut s,
        x0,
        base + 32.0,
        "start",
        "sm",
        "decile: 1 = most deprived 10% of neighbourhoods",
    );
    text(
        &mut s,
        x0,
        base + 46.0,
        "start",
        "sm",
        &format!("not drawn: {} with no decile known", short_money(d.unknown)),
    );
    s.push_str("</svg>");
    s
}

/// One bar of a ranked bar list.
pub struct Bar {
    /// Label.
    pub label: String,
    /// Pence.
    pub pence: i64,
    /// Fill colour.
    pub fill: &'static str,
}

/// Ranked horizontal bars of pence, largest first as given.
pub fn bar_list(title: &str, bars: &[Bar], legend: &[(&str, &str)]) -> String {
    let (lw, x0, tw, rh, top) = (300.0, 310.0, 420.0, 20.0, 30.0);
    let w = 900.0;
    let h = top + rh * bars.len() as f64 + 8.0;
    let max = bars.iter().map(|b| b.pence).max().unwrap_or(0).max(1) as f64;
    let mut s = String::new();
    open(&mut s, w, h, title);
    let mut lx = x0;
    for (fill, name) in legend {
        rect(&mut s, lx, 8.0, 12.0, 12.0, fill, None);
        text(&mut s, lx + 16.0, 18.0, "start", "sm", name);
        lx += 22.0 + 7.0 * name.chars().count() as f64;
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + rh * i as f64;
        let label: String = if b.label.chars().count() > 42 {
            b.label.chars().take(41).chain(['…']).collect()
        } else {
            b.label.clone()
        };
        text(&mut s, lw, y + 12.0, "end", "lb", &label);
        let bw = tw * (b.pence.max(0) as f64) / max;
        rect(
            &mut s,
            x0,
            y + 2.0,
            bw,
            13.0,
            b.fill,
            Some(&format!("{}: {}", b.label, short_money(b.pence))),
        );
        text(
            &mut s,
            x0 + bw + 6.0,
            y + 12.0,
            "start",
            "val",
            &short_money(b.pence),
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked bars per category: local, leaked (located outside the place) and not located.
pub fn leakage_chart(title: &str, rows: &[LeakageRow]) -> String {
    let (lw, x0, tw, rh, top) = (300.0, 310.0, 420.0, 20.0, 30.0);
    let w = 900.0;
    let h = top + rh * rows.len() as f64 + 8.0;
    let max = rows
        .iter()
        .map(|r| r.local.max(0) + r.leaked.max(0) + r.unknown.max(0))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut s = String::new();
    open(&mut s, w, h, title);
    let mut lx = x0;
    for (fill, name) in [
        (LOCAL, "local suppliers"),
        (ELSEWHERE, "leaked: located outside the place"),
        (UNKNOWN, "not located"),
    ] {
        rect(&mut s, lx, 8.0, 12.0, 12.0, fill, None);
        text(&mut s, lx + 16.0, 18.0, "start", "sm", name);
        lx += 30.0 + 6.5 * name.chars().count() as f64;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + rh * i as f64;
        let label: String = if r.category.chars().count() > 42 {
            r.category.chars().take(41).chain(['…']).collect()
        } else {
            r.category.clone()
        };
        text(&mut s, lw, y + 12.0, "end", "lb", &label);
        let mut x = x0;
        for (p, fill, what) in [
            (r.local, LOCAL, "local"),
            (r.leaked, ELSEWHERE, "leaked"),
            (r.unknown, UNKNOWN, "not located"),
        ] {
            let bw = tw * (p.max(0) as f64) / max;
            rect(
                &mut s,
                x,
                y + 2.0,
                bw,
                13.0,
                fill,
                Some(&format!("{}: {what} {}", r.category, short_money(p))),
            );
            x += bw;
        }
        text(
            &mut s,
            x + 6.0,
            y + 12.0,
            "start",
            "val",
            &format!("{} leaked", short_money(r.leaked)),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_bars_are_proportional_and_labelled() {
        let sh = Share {
            matched: 300,
            known: 600,
            base: 1000,
        };
        let svg = share_chart(
            "Local & share",
            &[ShareRow {
                label: "A & B".into(),
                share: &sh,
            }],
        );
        // light bar = 50% of 330, dark bar = 30% of 330, coverage 60% of 330
        assert!(
            svg.contains(r##"width="165" height="14" fill="#9cc3e0""##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"width="99" height="14" fill="#1f5f8b""##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"width="198" height="4" fill="#777""##),
            "{svg}"
        );
        assert!(svg.contains("50.0% of located · 30.0% of all"));
        assert!(svg.contains("A &amp; B") && !svg.contains("A & B"));
    }

    #[test]
    fn deciles_scale_to_the_largest_bar() {
        let mut d = Deprived::default();
        d.by_decile[0] = 400;
        d.by_decile[9] = 800;
        d.unknown = 100_000_000;
        let svg = decile_chart("d", &d);
        // decile 1 is half decile 10: 60 of 120 px; the unknown is in words, not a bar
        assert!(
            svg.contains(r##"y="115" width="30" height="60" fill="#67001f""##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"y="55" width="30" height="120" fill="#053061""##),
            "{svg}"
        );
        assert!(
            svg.contains("not drawn: £1.0m with no decile known"),
            "{svg}"
        );
    }
}
