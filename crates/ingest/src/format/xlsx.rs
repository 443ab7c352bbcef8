//! XLSX (Office Open XML) workbooks, and legacy XLS.

use calamine::Reader;

use super::{sheet, xls_check, Format, ReadError, Table};
use crate::input::Source;

/// The XLSX/XLS reader.
pub struct Xlsx;

impl Format for Xlsx {
    fn name(&self) -> &'static str {
        "xlsx"
    }
    fn detect(&self, s: &Source) -> bool {
        let n = s.inner_name.to_ascii_lowercase();
        (s.bytes.starts_with(b"PK\x03\x04") && !n.ends_with(".ods") && !is_ods(&s.bytes))
            || s.bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0])
    }
    fn read(&self, s: &Source) -> Result<Vec<Table>, ReadError> {
        let cur = std::io::Cursor::new(s.bytes.clone());
        if s.bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
            // calamine reads the whole workbook when it opens it: its structures and sizes
            // are checked first, and a reader panic on a malformed record is an error.
            xls_check::check_xls(&s.bytes, &s.limits)?;
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let wb =
                    calamine::Xls::new(cur).map_err(|e| ReadError::Other(format!("xls: {e}")))?;
                sheet::read_workbook(wb, "xls", &s.limits)
            }));
            return read.unwrap_or_else(|_| {
                Err(ReadError::Other(
                    "xls: the workbook is malformed (the XLS reader stopped on it)".into(),
                ))
            });
        }
        // The parts (shared strings, sheets) are inflated by calamine; their sizes are
        // checked first, and the cells are then streamed, never laid out by declared size.
        sheet::check_parts(&s.bytes, &s.limits, None).map_err(|e| e.context("xlsx"))?;
        let wb = calamine::Xlsx::new(cur).map_err(|e| ReadError::Other(format!("xlsx: {e}")))?;
        sheet::read_xlsx(wb, &s.limits)
    }
}

/// ODS files are zips whose first member is an uncompressed `mimetype` naming ODF.
pub(crate) fn is_ods(bytes: &[u8]) -> bool {
    bytes.len() > 80
        && bytes[..120.min(bytes.len())]
            .windows(39)
            .any(|w| w == b"application/vnd.oasis.opendocument.spre")
}
