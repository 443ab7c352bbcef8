//! The one fast CSV reader of the codebase: records straight from the bytes, field slices
//! into the input, no allocation per field, and files cut into pieces at record ends so that
//! pieces can be read in parallel.
//!
//! It reads what the `csv` crate reads (with `,`/tab/`;`/`|` delimiters, `"` quotes, `""` as
//! an escaped quote, `\n`, `\r\n` and `\r` as record ends, blank lines skipped) for every
//! **regular** record: quotes only around whole fields. A record with a quote anywhere else
//! (`5" pipe`, `"a"b`) or an unterminated quoted field is reported as [`Irregular`] and the
//! caller reads that input with the general reader instead, so no file is read differently
//! because of the fast path.
//!
//! Ingest's fast path ([`crate::run`]) and the geography builders (`anchornet-geo`) use it.

use memchr::{memchr, memchr_iter};

/// A quote where the reader does not accept one, or an unterminated quoted field: the
/// input is not read by the fast path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Irregular;

/// One field of a record: the bytes between `start` and `end` of the buffer. For a quoted
/// field that is the inside of the quotes; `escaped` says it holds `""` to be un-doubled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Quoted and contains a doubled quote.
    pub escaped: bool,
}

impl Field {
    /// The raw bytes (quotes removed, `""` left doubled).
    pub fn raw<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        &buf[self.start..self.end]
    }

    /// Append the field's text to `out` (un-doubling `""`). `buf` must be valid UTF-8 at
    /// field boundaries (the fast path checks the whole input first).
    pub fn push_to(&self, buf: &[u8], out: &mut String) {
        let raw = self.raw(buf);
        let s = std::str::from_utf8(raw).unwrap_or_default();
        if self.escaped {
            out.push_str(&s.replace("\"\"", "\""));
        } else {
            out.push_str(s);
        }
    }
}

/// A record reader for one delimiter.
#[derive(Clone)]
pub struct Reader {
    delim: u8,
    special: [bool; 256],
}

impl Reader {
    /// A reader splitting fields on `delim`.
    pub fn new(delim: u8) -> Reader {
        let mut special = [false; 256];
        for b in [delim, b'\n', b'\r', b'"'] {
            special[b as usize] = true;
        }
        Reader { delim, special }
    }

    /// Read the record at `*pos` of `buf` into `out` (cleared first) and move `*pos` past
    /// it. Blank lines before it are skipped. Returns the record's first byte, or `None` at
    /// the end of `buf`.
    pub fn record(
        &self,
        buf: &[u8],
        pos: &mut usize,
        out: &mut Vec<Field>,
    ) -> Result<Option<usize>, Irregular> {
        out.clear();
        let mut p = *pos;
        while p < buf.len() && matches!(buf[p], b'\n' | b'\r') {
            p += 1;
        }
        if p >= buf.len() {
            *pos = p;
            return Ok(None);
        }
        let first = p;
        loop {
            if buf.get(p) == Some(&b'"') {
                let mut j = p + 1;
                let mut escaped = false;
                let close = loop {
                    match memchr(b'"', &buf[j..]) {
                        None => return Err(Irregular),
                        Some(k) if buf.get(j + k + 1) == Some(&b'"') => {
                            escaped = true;
                            j += k + 2;
                        }
                        Some(k) => break j + k,
                    }
                };
                out.push(Field {
                    start: p + 1,
                    end: close,
                    escaped,
                });
                p = close + 1;
            } else {
                let mut e = p;
                while e < buf.len() && !self.special[buf[e] as usize] {
                    e += 1;
                }
                if buf.get(e) == Some(&b'"') {
                    return Err(Irregular);
                }
                out.push(Field {
                    start: p,
                    end: e,
                    escaped: false,
                });
                p = e;
            }
            match buf.get(p) {
                None => break,
                Some(&b) if b == self.delim => p += 1,
                Some(b'\n') | Some(b'\r') => {
                    p += 1;
                    break;
                }
                Some(_) => return Err(Irregular),
            }
        }
        *pos = p;
        Ok(Some(first))
    }
}

/// Cut `buf` into pieces of about `size` bytes, each ending just after a `\n` outside any
/// quoted field (an even number of quotes before it), the last at the end of `buf`. For
/// regular CSV (see the module notes) every cut is a record end; a reader of the pieces
/// that finds no [`Irregular`] record in any piece has read the same records as a reader of
/// the whole.
pub fn pieces(buf: &[u8], size: usize) -> Vec<std::ops::Range<usize>> {
    let size = size.max(1);
    let mut out = Vec::with_capacity(buf.len() / size + 1);
    let (mut start, mut counted, mut quotes) = (0usize, 0usize, 0usize);
    while start < buf.len() {
        let mut end = (start + size).min(buf.len());
        while end < buf.len() {
            match memchr(b'\n', &buf[end..]) {
                None => end = buf.len(),
                Some(i) => {
                    let nl = end + i;
                    quotes += memchr_iter(b'"', &buf[counted..nl]).count();
                    counted = nl;
                    end = nl + 1;
                    if quotes % 2 == 0 {
                        break;
                    }
                }
            }
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// Count `\n` bytes.
pub fn newlines(buf: &[u8]) -> u64 {
    memchr_iter(b'\n', buf).count() as u64
}

/// Cut `buf` into about `n` pieces, each ending after a `\n` (the last at the end of
/// `buf`), for line-oriented files with no quoted line ends.
pub fn line_chunks(buf: &[u8], n: usize) -> Vec<&[u8]> {
    let n = n.max(1);
    let target = buf.len() / n + 1;
    let mut out = Vec::with_capacity(n + 1);
    let mut start = 0;
    while start < buf.len() {
        let mut end = (start + target).min(buf.len());
        if end < buf.len() {
            end = match memchr(b'\n', &buf[end..]) {
                Some(i) => end + i + 1,
                None => buf.len(),
            };
        }
        out.push(&buf[start..end]);
        start = end;
    }
    out
}

/// Non-empty lines of `buf` without their `\r\n` / `\n`.
pub fn lines(buf: &[u8]) -> impl Iterator<Item = &[u8]> {
    buf.split(|&b| b == b'\n').filter_map(|l| {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        (!l.is_empty()).then_some(l)
    })
}

/// The comma-separated fields of one line into `out` (cleared first), for files whose
/// quoted fields never span a line. A quoted field gives its inside; a doubled quote inside
/// is left doubled. Text after a closing quote, up to the next comma, is dropped.
pub fn split_line<'a>(line: &'a [u8], out: &mut Vec<&'a [u8]>) {
    out.clear();
    let mut i = 0;
    loop {
        if line.get(i) == Some(&b'"') {
            let mut j = i + 1;
            loop {
                match memchr(b'"', &line[j..]) {
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
            match memchr(b',', &line[j.min(line.len())..]) {
                Some(k) => i = j + k + 1,
                None => return,
            }
        } else {
            match memchr(b',', &line[i..]) {
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
pub fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::delimited::parse_text;

    fn fast(text: &str, d: u8) -> Result<Vec<(u64, Vec<String>)>, Irregular> {
        let b = text.as_bytes();
        let r = Reader::new(d);
        let mut out = Vec::new();
        let mut rows = Vec::new();
        let mut pos = 0;
        while let Some(first) = r.record(b, &mut pos, &mut out)? {
            let cells = out
                .iter()
                .map(|f| {
                    let mut s = String::new();
                    f.push_to(b, &mut s);
                    s
                })
                .collect();
            rows.push((1 + newlines(&b[..first]), cells));
        }
        Ok(rows)
    }

    fn slow(text: &str, d: u8) -> Vec<(u64, Vec<String>)> {
        parse_text(text, d)
            .into_iter()
            .map(|r| (r.line, r.cells))
            .collect()
    }

    #[test]
    fn same_records_as_the_general_reader() {
        for text in [
            "a,b,c\n1,2,3\n",
            "a,b\r\n1,2\r\n\r\n3,4",
            "title\n\n\na,b\n1,2\n",
            "a,b\n\"x\ny\",2\n3,4\n",
            "a,\"TOYS \"\"R\"\" US\",c\n,,\n",
            "a,b,\n1,2,",
            "a;b\n1;\"2,5\"\n",
            "a,b\r1,2\n3,4\r\n",
            "  ,\t\n\"\",x\n",
            "only\n",
            "\n\n",
            "",
        ] {
            let d = if text.contains(';') { b';' } else { b',' };
            assert_eq!(fast(text, d).unwrap(), slow(text, d), "{text:?}");
        }
    }

    #[test]
    fn irregular_quotes_are_refused() {
        for text in ["a,5\" pipe,b\n", "\"a\"b,c\n", "a,\"open\n1,2\n"] {
            assert_eq!(fast(text, b','), Err(Irregular), "{text:?}");
        }
    }

    #[test]
    fn pieces_end_at_records() {
        let text = b"a,b\n\"x\ny\nz\",2\n3,4\n5,\"6\n\"\n7,8\n";
        for size in 1..text.len() + 2 {
            let p = pieces(text, size);
            assert_eq!(p.first().map(|r| r.start), Some(0));
            assert_eq!(p.last().map(|r| r.end), Some(text.len()));
            let r = Reader::new(b',');
            let mut all = Vec::new();
            for piece in &p {
                let b = &text[piece.clone()];
                let mut pos = 0;
                let mut out = Vec::new();
                while r.record(b, &mut pos, &mut out).unwrap().is_some() {
                    all.push(out.len());
                }
            }
            assert_eq!(all, vec![2; 5], "size {size}");
        }
    }

    #[test]
    fn splits_plain_and_quoted_lines() {
        let mut v = Vec::new();
        split_line(b"a,b,,c", &mut v);
        assert_eq!(v, [&b"a"[..], b"b", b"", b"c"]);
        split_line(b"\"AB1 0AA\",\"x,y\",3", &mut v);
        assert_eq!(v, [&b"AB1 0AA"[..], b"x,y", b"3"]);
        split_line(b"\"a\"\"b\",c", &mut v);
        assert_eq!(v, [&b"a\"\"b"[..], b"c"]);
        split_line(b"", &mut v);
        assert_eq!(v, [&b""[..]]);
    }

    #[test]
    fn line_chunks_cover_and_cut_at_lines() {
        let buf = b"a\nbb\nccc\ndddd\n";
        for n in 1..6 {
            let c = line_chunks(buf, n);
            assert_eq!(c.concat(), buf.to_vec());
            assert!(c.iter().all(|p| p.ends_with(b"\n")));
        }
    }
}
