//! A minimal WordprocessingML document (`.docx`, ECMA-376 / ISO/IEC 29500): headings,
//! paragraphs and the report's [`Table`]s, for the papers a board reads in Word. Three parts
//! only — `[Content_Types].xml`, `_rels/.rels` and `word/document.xml` — which is the
//! smallest package Word, LibreOffice and Pages open (ECMA-376 Part 2, Open Packaging
//! Conventions: a content-types stream and the package relationship to the main document).
//! No styles part: headings are bold runs at a larger size, tables have single borders, the
//! page is A4 landscape so that wide tables fit.
//!
//! Cells are written as their CSV text ([`Cell::csv`]) — the same values as the CSV twins,
//! without the spreadsheet-formula guard, which a word processor does not need. Text is
//! XML-escaped, and characters XML 1.0 does not allow are dropped.

use std::io::Write;

use crate::tables::Table;

/// One block of the document body.
#[derive(Debug, Clone)]
pub enum Block<'a> {
    /// A heading: level 1 (the title) to 3.
    Heading(u8, String),
    /// A paragraph of plain text.
    Paragraph(String),
    /// A table: a header row of the columns' titles, then every row.
    Table(&'a Table),
}

/// `s` escaped for XML text and attributes, without the characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => o.push(c),
        }
    }
    o
}

/// A run of text (`bold`, size in half-points).
fn run(text: &str, bold: bool, half_points: Option<u32>) -> String {
    let mut props = String::new();
    if bold {
        props.push_str("<w:b/>");
    }
    if let Some(s) = half_points {
        props.push_str(&format!("<w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/>"));
    }
    let rpr = if props.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{props}</w:rPr>")
    };
    format!(
        "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(text)
    )
}

fn paragraph(text: &str, bold: bool, half_points: Option<u32>) -> String {
    format!("<w:p>{}</w:p>", run(text, bold, half_points))
}

fn cell(text: &str, bold: bool) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>{}</w:tc>",
        paragraph(text, bold, Some(18))
    )
}

fn table(t: &Table) -> String {
    let mut x = String::from(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         </w:tblBorders></w:tblPr><w:tblGrid>",
    );
    for _ in &t.columns {
        x.push_str("<w:gridCol/>");
    }
    x.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for c in &t.columns {
        x.push_str(&cell(&c.title, true));
    }
    x.push_str("</w:tr>");
    for r in &t.rows {
        x.push_str("<w:tr>");
        for c in r {
            x.push_str(&cell(&c.csv(), false));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    // A table must be followed by a paragraph before the section ends or another table.
    x.push_str("<w:p/>");
    x
}

/// The `word/document.xml` part.
pub fn document_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, text) => {
                let size = match level {
                    1 => 36,
                    2 => 28,
                    _ => 24,
                };
                body.push_str(&paragraph(text, true, Some(size)));
            }
            Block::Paragraph(text) => body.push_str(&paragraph(text, false, None)),
            Block::Table(t) => body.push_str(&table(t)),
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>\
         <w:pgMar w:top=\"1000\" w:right=\"1000\" w:bottom=\"1000\" w:left=\"1000\" w:header=\"500\" w:footer=\"500\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// The document as `.docx` bytes.
pub fn to_bytes(blocks: &[Block]) -> std::io::Result<Vec<u8>> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/document.xml", document_xml(blocks)),
    ] {
        z.start_file(name, opts).map_err(std::io::Error::other)?;
        z.write_all(body.as_bytes())?;
    }
    Ok(z.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Cell, Column};

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(esc("a<b & \"c\"\u{1}>"), "a&lt;b &amp; &quot;c&quot;&gt;");
        let t = Table {
            file: "t",
            sheet: "T",
            about: "",
            columns: vec![Column::new("x", "X & Y", "")],
            rows: vec![vec![Cell::Text("=1+1".into())], vec![Cell::Pct(Some(0.5))]],
        };
        let x = document_xml(&[Block::Table(&t)]);
        assert!(x.contains(">X &amp; Y<") && x.contains(">=1+1<") && x.contains(">50.00<"));
        let bytes = to_bytes(&[Block::Heading(1, "T".into()), Block::Table(&t)]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
