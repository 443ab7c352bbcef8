//! Reading the big postcode CSVs fast: the line splitting is the codebase's one fast CSV
//! reader, `anchornet_ingest::csvfast` (the ONS directories quote every field but no field
//! spans a line, so cutting at line ends is safe); here only the fixed-point numbers of
//! their coordinates.

pub(crate) use anchornet_ingest::csvfast::{
    line_chunks as chunks, lines, split_line as split, strip_bom,
};

/// Parse a decimal number with up to `scale` decimals into an integer scaled by 10^scale
/// (`"53.47251"` with scale 6 → 53_472_510), exactly, without floats. Rounds half away from
/// zero beyond `scale` digits.
pub(crate) fn fixed(s: &[u8], scale: u32) -> Option<i64> {
    let s = trim(s);
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if s.is_empty() {
        return None;
    }
    let mut int: i64 = 0;
    let mut frac: i64 = 0;
    let mut frac_digits = 0u32;
    let mut round_up = false;
    let mut seen_dot = false;
    let mut any = false;
    for &c in s {
        match c {
            b'0'..=b'9' => {
                any = true;
                let d = i64::from(c - b'0');
                if !seen_dot {
                    int = int.checked_mul(10)?.checked_add(d)?;
                } else if frac_digits < scale {
                    frac = frac * 10 + d;
                    frac_digits += 1;
                } else if frac_digits == scale {
                    round_up = d >= 5;
                    frac_digits += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
    }
    if !any {
        return None;
    }
    let kept = frac_digits.min(scale);
    let mut v = int.checked_mul(10i64.pow(scale))? + frac * 10i64.pow(scale - kept);
    if round_up {
        v += 1;
    }
    Some(if neg { -v } else { v })
}

/// Trim ASCII spaces.
pub(crate) fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point() {
        assert_eq!(fixed(b"53.47251", 6), Some(53_472_510));
        assert_eq!(fixed(b"-2.2973", 6), Some(-2_297_300));
        assert_eq!(fixed(b"0.00000", 6), Some(0));
        assert_eq!(fixed(b"8.742", 3), Some(8742));
        assert_eq!(fixed(b"-1.2345", 3), Some(-1235));
        assert_eq!(fixed(b"12", 3), Some(12000));
        assert_eq!(fixed(b"", 3), None);
        assert_eq!(fixed(b"NA", 3), None);
        assert_eq!(fixed(b".", 3), None);
    }
}
