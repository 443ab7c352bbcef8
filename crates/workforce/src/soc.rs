//! The SOC 2020 unit groups, from the official ONS Volume 1 ("Structure and descriptions of
//! unit groups", edition of 16 October 2024), bundled in `data/workforce/` (see its README).

use std::fmt;

use anchornet_ingest::format::Row;

/// A SOC 2020 unit group code: four digits, the first being the major group (1–9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct SocCode(u16);

/// Why a text is not a SOC 2020 unit group code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SOC 2020 unit group code (four digits, 1111–9269): {0:?}")]
pub struct SocCodeError(pub String);

impl SocCode {
    /// Parse `"6131"` (white space and a trailing `.0` from a spreadsheet number allowed).
    pub fn parse(s: &str) -> Result<SocCode, SocCodeError> {
        let t = s.trim();
        let t = t.strip_suffix(".0").unwrap_or(t);
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) && !t.starts_with('0') {
            Ok(SocCode(t.parse().map_err(|_| SocCodeError(s.to_string()))?))
        } else {
            Err(SocCodeError(s.to_string()))
        }
    }

    /// The code as a number.
    pub fn get(self) -> u16 {
        self.0
    }

    /// The major group (first digit).
    pub fn major(self) -> u8 {
        (self.0 / 1000) as u8
    }
}

impl fmt::Display for SocCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.0)
    }
}

/// One SOC 2020 unit group with its official text.
#[derive(Debug, Clone)]
pub struct UnitGroup {
    /// Four-digit code.
    pub code: SocCode,
    /// Unit group title.
    pub title: String,
    /// Major group title.
    pub major_title: String,
    /// Minor group title.
    pub minor_title: String,
    /// The group's description.
    pub description: String,
    /// Entry routes and qualifications.
    pub entry_routes: String,
    /// Tasks, one per item.
    pub tasks: Vec<String>,
    /// Related job titles, one per item, as ONS writes them (`Health care assistant (hospital service)`).
    pub related_titles: Vec<String>,
}

/// The bundled unit groups file (xz-compressed CSV, OGL v3.0, ONS).
pub const BUNDLED: &[u8] = include_bytes!("../../../data/workforce/soc2020_unit_groups.csv.xz");

/// The 412 unit groups.
#[derive(Debug, Clone)]
pub struct Soc {
    /// Unit groups in code order.
    pub groups: Vec<UnitGroup>,
}

/// The SOC file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SocError {
    /// Opening or decoding failed.
    #[error("{0}")]
    Read(String),
    /// A required column is missing.
    #[error("SOC unit groups file: no column {0:?}")]
    Column(&'static str),
    /// A row is not a unit group.
    #[error("SOC unit groups file, line {line}: {problem}")]
    Row {
        /// Line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
}

/// Read a table from bytes with the ingest openers (decompression within limits, encoding).
pub(crate) fn table_of(name: &str, bytes: Vec<u8>) -> Result<Vec<Row>, String> {
    let sources = anchornet_ingest::input::from_bytes(name, bytes).map_err(|e| e.to_string())?;
    let source = sources.into_iter().next().ok_or("empty input")?;
    let (_, tables) = anchornet_ingest::format::read(&source).map_err(|e| e.to_string())?;
    Ok(tables
        .into_iter()
        .next()
        .map(|t| t.rows)
        .unwrap_or_default())
}

fn split_items(s: &str) -> Vec<String> {
    s.split(" | ")
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl Soc {
    /// The bundled edition.
    pub fn bundled() -> Result<Soc, SocError> {
        Soc::from_bytes("soc2020_unit_groups.csv.xz", BUNDLED.to_vec())
    }

    /// Read a unit groups CSV (the layout of the bundled file), compressed or not.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Soc, SocError> {
        let rows = table_of(name, bytes).map_err(SocError::Read)?;
        let (header, data) = rows.split_first().ok_or(SocError::Read("empty".into()))?;
        let col = |name: &'static str| {
            header
                .cells
                .iter()
                .position(|c| c.trim().trim_start_matches('\u{feff}') == name)
                .ok_or(SocError::Column(name))
        };
        let (c_code, c_title, c_major, c_minor, c_desc, c_entry, c_tasks, c_rel) = (
            col("unit_group_code")?,
            col("unit_group_title")?,
            col("major_group_title")?,
            col("minor_group_title")?,
            col("description")?,
            col("entry_routes_and_qualifications")?,
            col("tasks")?,
            col("related_job_titles")?,
        );
        let mut groups = Vec::new();
        for r in data.iter().filter(|r| !r.is_blank()) {
            let code = SocCode::parse(r.cell(c_code)).map_err(|e| SocError::Row {
                line: r.line,
                problem: e.to_string(),
            })?;
            groups.push(UnitGroup {
                code,
                title: r.cell(c_title).trim().to_string(),
                major_title: r.cell(c_major).trim().to_string(),
                minor_title: r.cell(c_minor).trim().to_string(),
                description: r.cell(c_desc).trim().to_string(),
                entry_routes: r.cell(c_entry).trim().to_string(),
                tasks: split_items(r.cell(c_tasks)),
                related_titles: split_items(r.cell(c_rel)),
            });
        }
        groups.sort_by_key(|g| g.code);
        Ok(Soc { groups })
    }

    /// The unit group with this code.
    pub fn get(&self, code: SocCode) -> Option<&UnitGroup> {
        self.groups
            .binary_search_by_key(&code, |g| g.code)
            .ok()
            .map(|i| &self.groups[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_strictly() {
        assert_eq!(SocCode::parse(" 6131 ").unwrap().to_string(), "6131");
        assert_eq!(SocCode::parse("6131.0").unwrap().major(), 6);
        for bad in ["613", "61311", "0131", "61a1", ""] {
            assert!(SocCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bundled_has_the_412_unit_groups_of_the_ons_volume() {
        let soc = Soc::bundled().unwrap();
        // ONS SOC 2020 Volume 1: 9 major, 26 sub-major, 104 minor and 412 unit groups.
        assert_eq!(soc.groups.len(), 412);
        let g = soc.get(SocCode::parse("6131").unwrap()).unwrap();
        assert_eq!(g.title, "Nursing auxiliaries and assistants");
        assert!(g
            .related_titles
            .iter()
            .any(|t| t == "Health care support worker"));
    }
}
