//! Mapping files: the user says which column is which when detection cannot.
//!
//! ```toml
//! # anchornet ingest mapping (TOML). Every key is optional.
//! kind = "payments"          # or "suppliers" (contracts registers, vendor lists)
//! anchor = "Hyndburn Borough Council"
//! header_line = 1            # physical line of the header row; 0 = the file has none
//!
//! [columns]                  # role = header text (case-insensitive) or 1-based column number
//! date = "Payment date"
//! net_amount = 7
//! supplier_name = "Name"
//! ```
//!
//! Unknown keys and unknown roles are errors that name the key, so a typo is never ignored.

use std::collections::BTreeMap;
use std::path::Path;

use anchornet_core::Role;
use serde::Deserialize;

use crate::detect::InputKind;

/// Which column: by header text or by 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    /// Header text, compared case-insensitively after trimming.
    Name(String),
    /// 1-based column number.
    Index(usize),
}

/// A parsed mapping file.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Force the input kind.
    pub kind: Option<InputKind>,
    /// The anchor (paying body) for every row.
    pub anchor: Option<String>,
    /// Physical line of the header row, 0 for none.
    pub header_line: Option<u64>,
    /// Columns by role.
    pub columns: BTreeMap<Role, ColumnRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    kind: Option<String>,
    anchor: Option<String>,
    header_line: Option<u64>,
    #[serde(default)]
    columns: BTreeMap<String, toml::Value>,
}

/// A mapping file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("mapping file {path}: {message}")]
pub struct MappingError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Mapping {
    /// Parse TOML text; `path` is for messages.
    pub fn parse(text: &str, path: &str) -> Result<Mapping, MappingError> {
        let e = |m: String| MappingError {
            path: path.to_string(),
            message: m,
        };
        let raw: Raw = toml::from_str(text).map_err(|x| e(x.to_string()))?;
        let kind = match raw.kind.as_deref() {
            None => None,
            Some("payments") => Some(InputKind::Payments),
            Some("suppliers") => Some(InputKind::Suppliers),
            Some(other) => {
                return Err(e(format!(
                    "kind = {other:?}: expected \"payments\" or \"suppliers\""
                )))
            }
        };
        let mut columns = BTreeMap::new();
        for (k, v) in raw.columns {
            let role = Role::from_name(&k).ok_or_else(|| {
                e(format!(
                    "unknown key [columns].{k}; roles are {}",
                    Role::ALL
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let c = match v {
                toml::Value::String(s) => ColumnRef::Name(s),
                toml::Value::Integer(i) if i >= 1 => ColumnRef::Index(i as usize),
                other => {
                    return Err(e(format!(
                        "[columns].{k} = {other}: expected a header name or a column number from 1"
                    )))
                }
            };
            columns.insert(role, c);
        }
        Ok(Mapping {
            kind,
            anchor: raw.anchor,
            header_line: raw.header_line,
            columns,
        })
    }

    /// Read and parse a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|x| MappingError {
            path: p.clone(),
            message: x.to_string(),
        })?;
        Mapping::parse(&text, &p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_names_bad_keys() {
        let m = Mapping::parse(
            "anchor = \"X\"\n[columns]\ndate = \"Paid\"\nnet_amount = 7\n",
            "m.toml",
        )
        .unwrap();
        assert_eq!(m.columns[&Role::Date], ColumnRef::Name("Paid".into()));
        assert_eq!(m.columns[&Role::NetAmount], ColumnRef::Index(7));
        let e = Mapping::parse("[columns]\nsuplier = \"x\"\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("m.toml") && e.contains("suplier"), "{e}");
        let e = Mapping::parse("anchr = \"x\"\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("anchr"), "{e}");
        let e = Mapping::parse("[columns]\ndate = 0\n", "m.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("column number"), "{e}");
    }
}
