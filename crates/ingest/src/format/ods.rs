//! ODS (OpenDocument spreadsheet) workbooks.

use calamine::Reader;

use super::{sheet, Format, ReadError, Table};
use crate::input::Source;

/// The ODS reader.
pub struct Ods;

impl Format for Ods {
    fn name(&self) -> &'static str {
        "ods"
    }
    fn detect(&self, s: &Source) -> bool {
        s.bytes.starts_with(b"PK\x03\x04")
            && (super::xlsx::is_ods(&s.bytes)
                || s.inner_name.to_ascii_lowercase().ends_with(".ods"))
    }
    fn read(&self, s: &Source) -> Result<Vec<Table>, ReadError> {
        // calamine expands every sheet when it opens the file, so the parts' sizes and the
        // tables' repeated rows and columns are checked first.
        let content = sheet::check_parts(&s.bytes, &s.limits, Some("content.xml"))
            .map_err(|e| e.context("ods"))?;
        if let Some(c) = content {
            sheet::check_ods(&c, &s.limits).map_err(|e| e.context("ods"))?;
        }
        let wb = calamine::Ods::new(std::io::Cursor::new(s.bytes.clone()))
            .map_err(|e| ReadError::Other(format!("ods: {e}")))?;
        sheet::read_workbook(wb, "ods", &s.limits)
    }
}
