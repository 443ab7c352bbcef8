//! The terminal summary: per year and scope, total and influenceable spend and the local,
//! wider-place and deprived-area shares, each as "of located / of all (coverage)".

use std::fmt::Write;

use anchornet_metrics::{Analysis, Share};

use crate::fmt::{months, pct, pounds};
use crate::NETWORK;

fn share(s: &Share) -> String {
    format!(
        "{} / {} ({})",
        pct(s.of_known()),
        pct(s.of_all()),
        pct(s.coverage())
    )
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n - 1).chain(['…']).collect()
    } else {
        s.to_string()
    }
}

/// A compact plain-text summary of an analysis, for a terminal.
pub fn terminal(a: &Analysis) -> String {
    let mut out = String::new();
    let n = &a.network;
    let _ = writeln!(
        out,
        "{} — local: {} · wider: {} · deprivation: {}",
        if n.name.is_empty() {
            "network"
        } else {
            &n.name
        },
        n.local_place,
        n.wider_place,
        n.deprivation
    );
    let _ = writeln!(
        out,
        "shares are: of located spend / of all influenceable spend (coverage)"
    );
    let head = [
        "scope",
        "total",
        "influenceable",
        "local",
        "wider",
        "deprived",
    ];
    for y in &a.years {
        let covered: Vec<String> = y
            .anchors
            .iter()
            .map(|x| format!("{} ({})", x.anchor, months(&x.months)))
            .collect();
        let _ = writeln!(out, "\n{}: network covers {}", y.fy, covered.join(", "));
        let mut rows: Vec<[String; 6]> = Vec::new();
        let scopes = std::iter::once(NETWORK).chain(a.anchors.iter().map(|x| x.name.as_str()));
        for sc in scopes {
            let Some(f) = a.get(sc, &y.fy) else { continue };
            rows.push([
                clip(sc, 28),
                pounds(f.total.pence),
                pounds(f.influenceable.pence),
                share(&f.local),
                share(&f.wider),
                share(&f.deprived.share),
            ]);
        }
        let mut width = head.map(|h| h.chars().count());
        for r in &rows {
            for (w, c) in width.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: [&str; 6]| {
            let mut l = String::new();
            for (i, (c, w)) in cells.iter().zip(width).enumerate() {
                let pad = w - c.chars().count();
                if i == 0 {
                    l.push_str(c);
                    l.push_str(&" ".repeat(pad));
                } else {
                    l.push_str("  ");
                    if i <= 2 {
                        l.push_str(&" ".repeat(pad));
                        l.push_str(c);
                    } else {
                        l.push_str(c);
                        l.push_str(&" ".repeat(pad));
                    }
                }
            }
            l.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(head));
        for r in &rows {
            let _ = writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]));
        }
    }
    let failed: Vec<&str> = a
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.what.as_str())
        .collect();
    if failed.is_empty() {
        let _ = writeln!(out, "\nchecks: all {} hold", a.checks.len());
    } else {
        let _ = writeln!(
            out,
            "\nchecks: {} of {} FAIL:",
            failed.len(),
            a.checks.len()
        );
        for f in failed {
            let _ = writeln!(out, "  ✗ {f}");
        }
    }
    out
}
