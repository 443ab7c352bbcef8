//! Formatting for people: money from integer pence (never through a float), percentages, and
//! HTML escaping.

use std::fmt::Write;

use anchornet_core::Pence;

/// `£1,234,567.89` (credits `-£12.00`), exact from pence.
pub fn money(pence: i64) -> String {
    Pence(pence).to_pounds_string()
}

/// `£1,234,568`: whole pounds, rounded half away from zero, with thousands separators.
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let a = pence.unsigned_abs();
    format!("{sign}£{}", group((a + 50) / 100))
}

/// `£12.3m`, `£456k`, `£789`: short form for chart labels, rounded half away from zero, in
/// integer arithmetic.
pub fn short_money(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let p = pence.unsigned_abs();
    if p >= 100_000_000 {
        // tenths of a million pounds = pence / 10^7
        let t = (p + 5_000_000) / 10_000_000;
        format!("{sign}£{}.{}m", t / 10, t % 10)
    } else if p >= 100_000 {
        format!("{sign}£{}k", (p + 50_000) / 100_000)
    } else {
        format!("{sign}£{}", (p + 50) / 100)
    }
}

/// Thousands separators for a whole number.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A fraction as a percentage to one decimal (`0.1823` → `18.2%`); `–` when there is none.
pub fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{:.1}%", v * 100.0),
        _ => "–".to_string(),
    }
}

/// Percentage-point change to one decimal with its sign (`+1.4 pp`); `–` when there is none.
pub fn pp(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:+.1} pp"),
        _ => "–".to_string(),
    }
}

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A number for SVG coordinates: at most one decimal, no trailing `.0`.
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    let mut s = String::new();
    if r == r.trunc() {
        let _ = write!(s, "{}", r as i64);
    } else {
        let _ = write!(s, "{r:.1}");
    }
    s
}

/// Months of a financial year as a compact list: `Apr–Jun, Sep`.
pub fn months(ms: &[u8]) -> String {
    const NAMES: [&str; 12] = [
        "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar",
    ];
    let mut parts = Vec::new();
    let mut i = 0;
    while i < ms.len() {
        let mut j = i;
        while j + 1 < ms.len() && ms[j + 1] == ms[j] + 1 {
            j += 1;
        }
        let name = |m: u8| NAMES.get(m as usize - 1).copied().unwrap_or("?");
        if j == i {
            parts.push(name(ms[i]).to_string());
        } else {
            parts.push(format!("{}–{}", name(ms[i]), name(ms[j])));
        }
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_and_grouped() {
        assert_eq!(money(123_456_789), "£1,234,567.89");
        assert_eq!(money(-1200), "-£12.00");
        assert_eq!(pounds(123_456_750), "£1,234,568");
        assert_eq!(pounds(-149), "-£1");
        assert_eq!(pounds(0), "£0");
        assert_eq!(short_money(1_234_567_890), "£12.3m");
        assert_eq!(short_money(1_235_000_000), "£12.4m");
        assert_eq!(short_money(45_649_999), "£456k");
        assert_eq!(short_money(78_950), "£790");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(999), "999");
    }

    #[test]
    fn percentages_and_points() {
        assert_eq!(pct(Some(0.18249)), "18.2%");
        assert_eq!(pct(None), "–");
        assert_eq!(pp(Some(1.44)), "+1.4 pp");
        assert_eq!(pp(Some(-0.26)), "-0.3 pp");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"Bristow & Sutor <Ltd> "A" 'B'"#),
            "Bristow &amp; Sutor &lt;Ltd&gt; &quot;A&quot; &#39;B&#39;"
        );
    }

    #[test]
    fn month_ranges() {
        assert_eq!(months(&[1, 2, 3, 6]), "Apr–Jun, Sep");
        assert_eq!(months(&[4]), "Jul");
        assert_eq!(months(&(1..=12).collect::<Vec<_>>()), "Apr–Mar");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(-3.26), "-3.3");
    }
}
