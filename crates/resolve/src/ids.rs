//! Identifiers as ledgers and registers write them, normalised so that equal numbers
//! compare equal: Companies House numbers (`2535986` = `02535986`, `SC793937`), charity
//! numbers (`216250`, `1096511-1`, `SC012345`), VAT numbers (`GB 123 4567 89`).

/// A Companies House number in its 8-character form, or `None` when the text is not one.
///
/// ```
/// use anchornet_resolve::ids::company_number;
/// assert_eq!(company_number("2535986").as_deref(), Some("02535986"));
/// assert_eq!(company_number(" sc793937 ").as_deref(), Some("SC793937"));
/// assert_eq!(company_number("GB-COH-00133804").as_deref(), Some("00133804"));
/// assert_eq!(company_number("0"), None);
/// assert_eq!(company_number("N/A"), None);
/// ```
pub fn company_number(raw: &str) -> Option<String> {
    let mut s: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    if let Some(rest) = s.strip_prefix("GBCOH") {
        s = rest.to_string();
    }
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let letters = s.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &s[letters..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || letters > 2 {
        return None;
    }
    if digits.bytes().all(|b| b == b'0') {
        return None;
    }
    let out = if letters == 0 {
        format!("{digits:0>8}")
    } else {
        format!("{}{digits:0>6}", &s[..letters])
    };
    (out.len() == 8).then_some(out)
}

/// A charity number (England and Wales digits, optionally `-N` for a linked charity;
/// Scotland `SC` + 6 digits; Northern Ireland `NIC`/`XR`…), or `None`.
///
/// ```
/// use anchornet_resolve::ids::charity_number;
/// assert_eq!(charity_number("216250").as_deref(), Some("216250"));
/// assert_eq!(charity_number("Reg. charity no 1096511-1").as_deref(), Some("1096511-1"));
/// assert_eq!(charity_number("GB-CHC-216250").as_deref(), Some("216250"));
/// assert_eq!(charity_number("0"), None);
/// ```
pub fn charity_number(raw: &str) -> Option<String> {
    let up = raw.trim().to_ascii_uppercase();
    let up = up
        .strip_prefix("GB-CHC-")
        .or_else(|| up.strip_prefix("GB-SC-"))
        .or_else(|| up.strip_prefix("GB-NIC-"))
        .unwrap_or(&up);
    // Find the first run that looks like a number, with its optional suffix.
    let b = up.as_bytes();
    let start = b.iter().position(|c| c.is_ascii_digit())?;
    // Keep a Scottish / NI prefix glued to the digits.
    let pre = if start >= 2 && b[start - 2..start].iter().all(u8::is_ascii_alphabetic) {
        let p = &up[start - 2..start];
        if matches!(p, "SC" | "NI" | "XR" | "XT") {
            p
        } else {
            ""
        }
    } else {
        ""
    };
    let mut end = start;
    while end < b.len() && b[end].is_ascii_digit() {
        end += 1;
    }
    let digits = &up[start..end];
    if digits.len() < 5 || digits.bytes().all(|c| c == b'0') {
        return None;
    }
    let mut out = format!("{pre}{digits}");
    if end + 1 < b.len() && b[end] == b'-' && b[end + 1].is_ascii_digit() {
        let mut e2 = end + 1;
        while e2 < b.len() && b[e2].is_ascii_digit() {
            e2 += 1;
        }
        out.push_str(&up[end..e2]);
    }
    Some(out)
}

/// A UK VAT number as its 9 (or 12) digits, or `None`.
///
/// ```
/// use anchornet_resolve::ids::vat_number;
/// assert_eq!(vat_number("GB 123 4567 89").as_deref(), Some("123456789"));
/// assert_eq!(vat_number("123456789001").as_deref(), Some("123456789001"));
/// assert_eq!(vat_number("n/a"), None);
/// ```
pub fn vat_number(raw: &str) -> Option<String> {
    let up = raw.trim().to_ascii_uppercase();
    let up = up.strip_prefix("GB").unwrap_or(&up);
    let digits: String = up.chars().filter(|c| c.is_ascii_digit()).collect();
    if up.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    match digits.len() {
        9 | 12 if !digits.bytes().all(|c| c == b'0') => Some(digits),
        _ => None,
    }
}

/// An anchor's own supplier id, trimmed; `None` when empty or a placeholder.
pub fn supplier_id(raw: &str) -> Option<String> {
    let t = raw.trim();
    let l = t.to_ascii_lowercase();
    if t.is_empty()
        || matches!(
            l.as_str(),
            "n/a" | "na" | "-" | "0" | "none" | "unknown" | "null"
        )
    {
        return None;
    }
    Some(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_numbers() {
        assert_eq!(company_number("01738371").as_deref(), Some("01738371"));
        assert_eq!(company_number("1738371").as_deref(), Some("01738371"));
        assert_eq!(company_number("OC123456").as_deref(), Some("OC123456"));
        assert_eq!(company_number("123456789"), None);
        assert_eq!(company_number("ABC12345"), None);
    }

    #[test]
    fn charity_numbers() {
        assert_eq!(charity_number("SC012345").as_deref(), Some("SC012345"));
        assert_eq!(charity_number("1234"), None);
    }
}
