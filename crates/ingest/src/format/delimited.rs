//! Delimited text: CSV, TSV, semicolon- or pipe-separated.
//!
//! * Encoding: UTF-8 (a BOM is removed); text that is not valid UTF-8 is read as
//!   Windows-1252, the encoding Excel on Windows writes, so that `£` survives.
//! * Line endings: LF, CRLF, and old-Mac CR-only (some Hyndburn files) all work, and line
//!   numbers count physical lines in every case.
//! * Delimiter: the one of `,` `\t` `;` `|` that splits the first lines most consistently.

use super::{Format, Row, Table};
use crate::input::Source;
use crate::limits::{LimitError, Limits};

/// The delimited-text reader.
pub struct Delimited;

/// Decode bytes to text: strip a UTF-8 BOM; fall back to Windows-1252. Returns the text and
/// a description of the encoding used.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let (mut text, enc) = decode_raw(bytes);
    // A BOM that went through a Windows-1252 round trip arrives as the text "ï»¿"
    // (Salford's contracts register); it is never part of a header.
    if let Some(rest) = text.strip_prefix("\u{ef}\u{bb}\u{bf}") {
        text = rest.to_string();
        return (
            text,
            if enc == "utf-8" {
                "utf-8 (mis-encoded BOM removed)"
            } else {
                enc
            },
        );
    }
    (text, enc)
}

fn decode_raw(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => (s.to_string(), "utf-8 (BOM)"),
            Err(_) => (
                encoding_rs::WINDOWS_1252.decode(rest).0.into_owned(),
                "windows-1252 (after a UTF-8 BOM)",
            ),
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return (
            encoding_rs::UTF_16LE.decode(rest).0.into_owned(),
            "utf-16le",
        );
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return (
            encoding_rs::UTF_16BE.decode(rest).0.into_owned(),
            "utf-16be",
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "utf-8"),
        // WHATWG maps ISO-8859-1 labels to windows-1252 too; it is a superset for text.
        Err(_) => (
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
            "windows-1252",
        ),
    }
}

/// The delimiter of `,` `\t` `;` `|` that splits the first 30 non-blank lines most
/// consistently.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_unquoted(l, d)).collect();
        // Score: how many lines share the most common non-zero count.
        let mut freq = std::collections::HashMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(*c).or_insert(0usize) += 1;
        }
        let score = freq.values().copied().max().unwrap_or(0) * 4
            + freq.keys().copied().max().unwrap_or(0).min(3);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn count_unquoted(line: &str, d: u8) -> usize {
    let mut q = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            q = !q;
        } else if b == d && !q {
            n += 1;
        }
    }
    n
}

/// Parse decoded text into rows with physical line numbers (no limits: tests and trusted
/// text only).
pub fn parse_text(text: &str, delimiter: u8) -> Vec<Row> {
    parse_text_within(text, delimiter, &Limits::unlimited()).unwrap_or_default()
}

/// Parse decoded text into rows with physical line numbers, within `max_rows`,
/// `max_columns` and `max_cell_chars`; a breach names the line and the limit.
pub fn parse_text_within(
    text: &str,
    delimiter: u8,
    limits: &Limits,
) -> Result<Vec<Row>, LimitError> {
    // csv counts '\n' for line numbers; make CR-only files count like the others.
    let owned;
    let text = if text.contains('\r') && !text.contains('\n') {
        owned = text.replace('\r', "\n");
        owned.as_str()
    } else {
        text
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    // csv's own line counter and record offsets pass over blank lines. Work back from the
    // end of each record instead: newlines up to its end, less its terminator, less the
    // newlines inside its quoted fields, give the physical line it started on.
    let bytes = text.as_bytes();
    let (mut at, mut newlines) = (0usize, 0u64);
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {
                let end = (rdr.position().byte() as usize).min(bytes.len());
                newlines += bytes[at..end].iter().filter(|b| **b == b'\n').count() as u64;
                at = end;
                let terminated = end > 0 && bytes[end - 1] == b'\n';
                let embedded: u64 = rec
                    .iter()
                    .map(|f| f.bytes().filter(|b| *b == b'\n').count() as u64)
                    .sum();
                let line = newlines + 1 - u64::from(terminated) - embedded;
                check_record(&rec, line, rows.len() as u64 + 1, limits)?;
                rows.push(Row {
                    line,
                    cells: rec.iter().map(str::to_string).collect(),
                });
            }
            Ok(false) => break,
            // Text is valid UTF-8 and I/O is in memory, so csv cannot fail here; stop safely.
            Err(_) => break,
        }
    }
    Ok(rows)
}

fn check_record(
    rec: &csv::StringRecord,
    line: u64,
    count: u64,
    limits: &Limits,
) -> Result<(), LimitError> {
    Limits::check(count, limits.max_rows, "max_rows", || {
        format!("line {line}: more than {} rows", limits.max_rows)
    })
    .and_then(|_| {
        Limits::check(rec.len() as u64, limits.max_columns, "max_columns", || {
            format!("line {line}: {} columns", rec.len())
        })
    })?;
    for (i, f) in rec.iter().enumerate() {
        // Bytes bound characters from above: count characters only when bytes are over.
        if f.len() as u64 > limits.max_cell_chars {
            let n = f.chars().count() as u64;
            Limits::check(n, limits.max_cell_chars, "max_cell_chars", || {
                format!("line {line}, column {}: {n} characters", i + 1)
            })?;
        }
    }
    Ok(())
}

impl Format for Delimited {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn detect(&self, _source: &Source) -> bool {
        true
    }
    fn read(&self, source: &Source) -> Result<Vec<Table>, super::ReadError> {
        if source.bytes.iter().take(4096).filter(|b| **b == 0).count() > 8
            && !source.bytes.starts_with(&[0xff, 0xfe])
            && !source.bytes.starts_with(&[0xfe, 0xff])
        {
            return Err(super::ReadError::Other(
                "binary content: not a text, XLSX or ODS file".into(),
            ));
        }
        let (text, enc) = decode(&source.bytes);
        let d = sniff_delimiter(&text);
        let dname = match d {
            b'\t' => "tab".to_string(),
            other => format!("'{}'", other as char),
        };
        let ending = if text.contains("\r\n") {
            "CRLF"
        } else if text.contains('\r') && !text.contains('\n') {
            "CR"
        } else {
            "LF"
        };
        Ok(vec![Table {
            description: format!(
                "{}, {enc}, {dname}-separated, {ending}",
                if d == b'\t' { "tsv" } else { "csv" }
            ),
            rows: parse_text_within(&text, d, &source.limits)?,
            sheet: None,
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1252_pound_survives() {
        let (t, enc) = decode(b"Net Amount(\xa3)\r\n1\r\n");
        assert_eq!(enc, "windows-1252");
        assert!(t.starts_with("Net Amount(£)"));
        let (t, enc) = decode("\u{feff}Body Name".as_bytes());
        assert_eq!((t.as_str(), enc), ("Body Name", "utf-8 (BOM)"));
    }

    #[test]
    fn blank_lines_count_as_lines() {
        let rows = parse_text("title\n\n\na,b\n1,2\n", b',');
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 4, 5]
        );
    }

    #[test]
    fn cr_only_lines_are_numbered() {
        let rows = parse_text("a,b\r1,2\r3,4\r", b',');
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].line, 3);
        assert_eq!(rows[2].cells, vec!["3", "4"]);
    }

    #[test]
    fn quoted_newlines_keep_physical_lines() {
        let rows = parse_text("a,b\n\"x\ny\",2\n3,4\n", b',');
        assert_eq!(rows[1].cells[0], "x\ny");
        assert_eq!(rows[2].line, 4);
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c\n1;\"2,5\";3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
    }
}
