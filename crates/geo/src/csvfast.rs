//! Splitting the big postcode CSVs fast: line by line straight from the bytes, in parallel
//! chunks cut at line ends. Fields may be quoted (the ONS directories quote every field) but
//! no field of these files spans a line, which is what makes cutting at line ends safe.

/// Cut `buf` into about `n` pieces, each ending after a `\n` (the last at the end of `buf`).
pub(crate) fn chunks(buf: &[u8], n: usize) -> Vec<&[u8]> {
    let n = n.max(1);
    let target = buf.len() / n + 1;
    let mut out = Vec::with_capacity(n + 1);
    let mut start = 0;
    while start < buf.len() {
        let mut end = (start + target).min(buf.len());
        if end < buf.len() {
            end = match memchr::memchr(b'\n', &buf[end..]) {
                Some(i) => end + i + 1,
                None => buf.len(),
            };
        }
        out.push(&buf[start..end]);
        start = end;
    }
    out
}

/// Lines of `buf` without their `\r\n` / `\n`.
pub(crate) fn lines(buf: &[u8]) -> impl Iterator<Item = &[u8]> {
    buf.split(|&b| b == b'\n').filter_map(|l| {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        (!l.is_empty()).then_some(l)
    })
}

/// The fields of one CSV line into `out` (cleared first). A quoted field gives its inside;
/// a doubled quote inside is left doubled (no code or number in these files has one).
pub(crate) fn split<'a>(line: &'a [u8], out: &mut Vec<&'a [u8]>) {
    out.clear();
    let mut i = 0;
    loop {
        if line.get(i) == Some(&b'"') {
            let mut j = i + 1;
            loop {
                match memchr::memchr(b'"', &line[j..]) {
                    Some(k) if line.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => {
                        out.push(&line[i + 1..j + k]);
                        j += k + 1;
                        break;
                    }
                    None => {
                        out.push(&line[i + 1..]);
                        j = line.len();
                        break;
                    }
                }
            }
            match memchr::memchr(b',', &line[j.min(line.len())..]) {
                Some(k) => i = j + k + 1,
                None => return,
            }
        } else {
            match memchr::memchr(b',', &line[i..]) {
                Some(k) => {
                    out.push(&line[i..i + k]);
                    i += k + 1;
                }
                None => {
                    out.push(&line[i..]);
                    return;
                }
            }
        }
    }
}

/// Strip a UTF-8 byte order mark.
pub(crate) fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

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
    fn splits_plain_and_quoted() {
        let mut v = Vec::new();
        split(b"a,b,,c", &mut v);
        assert_eq!(v, [&b"a"[..], b"b", b"", b"c"]);
        split(b"\"AB1 0AA\",\"x,y\",3", &mut v);
        assert_eq!(v, [&b"AB1 0AA"[..], b"x,y", b"3"]);
        split(b"\"a\"\"b\",c", &mut v);
        assert_eq!(v, [&b"a\"\"b"[..], b"c"]);
        split(b"", &mut v);
        assert_eq!(v, [&b""[..]]);
        split(b"a,", &mut v);
        assert_eq!(v, [&b"a"[..], b""]);
    }

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

    #[test]
    fn chunks_cover_and_cut_at_lines() {
        let buf = b"a\nbb\nccc\ndddd\n";
        for n in 1..6 {
            let c = chunks(buf, n);
            assert_eq!(c.concat(), buf.to_vec());
            assert!(c.iter().all(|p| p.ends_with(b"\n")));
        }
    }
}
