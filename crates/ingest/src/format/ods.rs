//! ODS (OpenDocument spreadsheet) workbooks.

use calamine::Reader;

use super::{sheet, Format, Table};
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
    fn read(&self, s: &Source) -> Result<Vec<Table>, String> {
        let wb = calamine::Ods::new(std::io::Cursor::new(s.bytes.clone()))
            .map_err(|e| format!("ods: {e}"))?;
        sheet::read_workbook(wb, "ods")
    }
}
