//! A minimal RFC 4180 record scanner over a byte slice, built for speed.
//!
//! B1 reads ODI Leeds' harmonised CSVs: comma-separated, `"`-quoted fields
//! with `""` as the escaped quote (`"TOYS ""R"" US LTD"`), `\n` or `\r\n`
//! line ends. The scanner returns field *slices* into the input and never
//! allocates. For a quoted field it returns the bytes between the outer
//! quotes without un-doubling `""`: for B1 that is exact, because a `"` can
//! never be part of an ISO date or an accepted amount, and in a supplier name
//! `"` and `""` are both just a run of non-alphanumerics that becomes one space.
//!
//! Parallel parsing cuts a file at line ends. That is only correct if no
//! quoted field spans a line end at a cut, so the scanner reports every record
//! that crossed a newline inside quotes (or ran off the end of its slice inside
//! quotes); the caller then re-reads that file in one piece (see
//! [`crate::aggregate_file`]). The 16 B1 files have no such record, but
//! correctness must not depend on it.

use memchr::{memchr, memchr2};

/// At most this many fields of a record are kept (the rest are skipped).
pub const MAX_FIELDS: usize = 16;

/// One scanned record: the kept fields and whether it crossed a quoted newline.
pub struct Record<'a> {
    /// Field slices, `fields[..len]` valid; missing trailing fields are empty.
    pub fields: [&'a [u8]; MAX_FIELDS],
    /// How many fields the record had (capped at [`MAX_FIELDS`]).
    pub len: usize,
    /// True when a quoted field contained a newline or was left unterminated.
    pub quoted_newline: bool,
}

/// Scans the record that starts at `*pos` in `buf` and moves `*pos` past its
/// line end. Returns `None` at the end of `buf`. Blank lines are skipped.
pub fn next_record<'a>(buf: &'a [u8], pos: &mut usize) -> Option<Record<'a>> {
    loop {
        if *pos >= buf.len() {
            return None;
        }
        match buf[*pos] {
            b'\n' => *pos += 1,
            b'\r' if buf.get(*pos + 1) == Some(&b'\n') => *pos += 2,
            _ => break,
        }
    }
    let mut rec = Record {
        fields: [&[]; MAX_FIELDS],
        len: 0,
        quoted_newline: false,
    };
    let mut p = *pos;
    loop {
        let (field, end, crossed) = if buf[p..].first() == Some(&b'"') {
            scan_quoted(buf, p)
        } else {
            let end = memchr2(b',', b'\n', &buf[p..]).map_or(buf.len(), |i| p + i);
            (&buf[p..end], end, false)
        };
        rec.quoted_newline |= crossed;
        if rec.len < MAX_FIELDS {
            rec.fields[rec.len] = field;
            rec.len += 1;
        }
        match buf.get(end) {
            Some(b',') => p = end + 1,
            Some(_) => {
                // '\n': strip a '\r' before it from the last field.
                strip_cr(&mut rec);
                *pos = end + 1;
                return Some(rec);
            }
            None => {
                strip_cr(&mut rec);
                *pos = buf.len();
                return Some(rec);
            }
        }
    }
}

fn strip_cr(rec: &mut Record<'_>) {
    if rec.len > 0 {
        let last = &mut rec.fields[rec.len - 1];
        if let [rest @ .., b'\r'] = *last {
            *last = rest;
        }
    }
}

/// Scans a quoted field starting at the opening quote `buf[start]`. Returns
/// the content between the quotes, the position of the delimiter (`,`, `\n`
/// or `buf.len()`) that ends the field, and whether it crossed a newline or
/// ran off the end. Bytes between a closing quote and the delimiter (not valid
/// CSV) are ignored.
fn scan_quoted(buf: &[u8], start: usize) -> (&[u8], usize, bool) {
    let mut i = start + 1;
    loop {
        match memchr(b'"', &buf[i..]) {
            None => {
                // Unterminated: the field runs to the end of the slice.
                return (&buf[start + 1..], buf.len(), true);
            }
            Some(q) => {
                let q = i + q;
                if buf.get(q + 1) == Some(&b'"') {
                    i = q + 2;
                    continue;
                }
                let content = &buf[start + 1..q];
                let crossed = memchr(b'\n', content).is_some();
                let end = memchr2(b',', b'\n', &buf[q + 1..]).map_or(buf.len(), |j| q + 1 + j);
                return (content, end, crossed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(buf: &[u8]) -> Vec<(Vec<String>, bool)> {
        let mut pos = 0;
        let mut out = Vec::new();
        while let Some(r) = next_record(buf, &mut pos) {
            let fields = r.fields[..r.len]
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((fields, r.quoted_newline));
        }
        out
    }

    #[test]
    fn plain_quoted_and_escaped() {
        let got = all(b"a,\"b, c\",\"TOYS \"\"R\"\" US\",,e\r\nx,y\n\nlast");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, ["a", "b, c", "TOYS \"\"R\"\" US", "", "e"]);
        assert_eq!(got[1].0, ["x", "y"]);
        assert_eq!(got[2].0, ["last"]);
        assert!(got.iter().all(|(_, crossed)| !crossed));
    }

    #[test]
    fn quoted_newline_is_one_record_and_reported() {
        let got = all(b"1,\"two\nlines\",3\n4,5,6\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, ["1", "two\nlines", "3"]);
        assert!(got[0].1);
        assert!(!got[1].1);
    }

    #[test]
    fn unterminated_quote_is_reported() {
        let got = all(b"1,\"open\n");
        assert_eq!(got.len(), 1);
        assert!(got[0].1);
    }
}
