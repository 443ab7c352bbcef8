//! People in the loop: an overrides file applied on every run.
//!
//! A CSV file with a header `action,name,value,note` and one decision a row:
//!
//! ```text
//! action,name,value,note
//! must-link,Hartside Homes Ltd,Brookvale Living Ltd,renamed 2021 (same company number)
//! cannot-link,Age UK,Age UK Barnet,bare "Age UK" is the national charity here
//! rename,Brookvale Living Ltd,Brookvale Living Limited,name shown in reports
//! set-company-number,Brookvale Living Ltd,01234567,
//! set-charity-number,Westmoor Mind,1000001,
//! set-vat-number,Ravensworth Business Services Ltd,GB 123456789,
//! set-kind,Millbrook Community Partnership Ltd,cic,
//! ```
//!
//! `must-link` joins the two names' entities whatever else says (only a `cannot-link`
//! beats it); `cannot-link` keeps them apart whatever else says; `rename` sets the shown
//! name of the name's entity; `set-*-number` attaches an identifier to the name (then used
//! as evidence like any other); `set-kind` fixes the entity's kind. Names are matched
//! exactly (after trimming). Rows that cannot be used are reported with their line, not
//! fatal.

use std::path::Path;

use serde::Serialize;

use crate::kind::Kind;

/// One decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Override {
    /// Always one entity.
    MustLink(String, String),
    /// Never one entity.
    CannotLink(String, String),
    /// The entity's shown name.
    Rename(String, String),
    /// Attach a company number to a name.
    CompanyNumber(String, String),
    /// Attach a charity number to a name.
    CharityNumber(String, String),
    /// Attach a VAT number to a name.
    VatNumber(String, String),
    /// Fix the entity's kind.
    Kind(String, Kind),
}

impl Override {
    /// The actions an overrides file may name.
    pub const ACTIONS: &'static str = "must-link, cannot-link, rename, set-company-number, set-charity-number, set-vat-number, set-kind";

    /// The decision an action row means: `None` when the action is not one of the
    /// resolver's ([`Override::ACTIONS`]), `Some(Err)` when its value is not valid.
    pub fn from_action(
        action: &str,
        name: String,
        value: String,
    ) -> Option<Result<Override, String>> {
        Some(Ok(match action.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "must-link" | "merge" | "same" => Override::MustLink(name, value),
            "cannot-link" | "split" | "different" => Override::CannotLink(name, value),
            "rename" => Override::Rename(name, value),
            "set-company-number" | "company-number" => {
                if crate::ids::company_number(&value).is_none() {
                    return Some(Err(format!("{value:?} is not a company number")));
                }
                Override::CompanyNumber(name, value)
            }
            "set-charity-number" | "charity-number" => {
                if crate::ids::charity_number(&value).is_none() {
                    return Some(Err(format!("{value:?} is not a charity number")));
                }
                Override::CharityNumber(name, value)
            }
            "set-vat-number" | "set-vat" | "vat-number" => {
                if crate::ids::vat_number(&value).is_none() {
                    return Some(Err(format!("{value:?} is not a VAT number")));
                }
                Override::VatNumber(name, value)
            }
            "set-kind" | "kind" => match Kind::from_label(&value) {
                Some(k) => Override::Kind(name, k),
                None => return Some(Err(format!("{value:?} is not a kind (company, llp, plc, charity, cio, cic, society, individual, public_body/council, …)"))),
            },
            _ => return None,
        }))
    }

    /// The action, name and value of an overrides-file row saying this.
    pub fn to_row(&self) -> (&'static str, &str, String) {
        match self {
            Override::MustLink(a, b) => ("must-link", a, b.clone()),
            Override::CannotLink(a, b) => ("cannot-link", a, b.clone()),
            Override::Rename(a, b) => ("rename", a, b.clone()),
            Override::CompanyNumber(a, b) => ("set-company-number", a, b.clone()),
            Override::CharityNumber(a, b) => ("set-charity-number", a, b.clone()),
            Override::VatNumber(a, b) => ("set-vat-number", a, b.clone()),
            Override::Kind(a, k) => ("set-kind", a, k.label()),
        }
    }
}

/// A row of the overrides file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideIssue {
    /// Line in the file (1 = header).
    pub line: u64,
    /// What is wrong.
    pub problem: String,
}

/// The decisions of an overrides file, in file order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overrides {
    /// Decisions with their line numbers.
    pub items: Vec<(u64, Override)>,
    /// Rows that could not be read.
    pub issues: Vec<OverrideIssue>,
}

/// One decision row of an overrides file, its cells trimmed (`action` lower-cased).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionRow {
    /// Line in the file (1 = header).
    pub line: u64,
    /// The action.
    pub action: String,
    /// The supplier name (or key) it is about.
    pub name: String,
    /// Its value.
    pub value: String,
    /// `note`, `by` and `at`, where the file has those columns.
    pub note: String,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: String,
}

/// The rows of an overrides file (`action,name,value` and optionally `note,by,at`, in any
/// order; `#` starts a comment; blank rows are left out): each a row, or an issue with its
/// line. An unreadable header is an error. The one reader of the format: the resolver's
/// [`Overrides`] and the supplier register's decisions both read through it.
pub fn action_rows(text: &str) -> Result<Vec<Result<ActionRow, OverrideIssue>>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |w: &str| headers.iter().position(|h| h == w);
    let (Some(a), Some(n), Some(v)) = (col("action"), col("name"), col("value")) else {
        return Err(format!(
            "the header must have columns action,name,value (found {})",
            headers.join(",")
        ));
    };
    let (note, by, at) = (col("note"), col("by"), col("at"));
    // A supplier worklist (`anchornet suppliers todo`) carries a suggestion per row: the
    // action `accept` takes it; a row left without an action is a supplier not yet worked on.
    let (sa, sv) = (col("suggested_action"), col("suggested_value"));
    let worklist = sa.is_some();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(OverrideIssue {
                    line: e.position().map_or(0, |p| p.line()),
                    problem: e.to_string(),
                }));
                continue;
            }
        };
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
        let mut row = ActionRow {
            line: rec.position().map_or(0, |p| p.line()),
            action: get(Some(a)).to_ascii_lowercase(),
            name: get(Some(n)),
            value: get(Some(v)),
            note: get(note),
            by: get(by),
            at: get(at),
        };
        if row.action.is_empty() && (row.name.is_empty() || (worklist && row.value.is_empty())) {
            continue;
        }
        if worklist && row.action == "accept" {
            row.action = get(sa).to_ascii_lowercase();
            if row.value.is_empty() {
                row.value = get(sv);
            }
            if row.action.is_empty() {
                out.push(Err(OverrideIssue {
                    line: row.line,
                    problem: "accept: this row has no suggestion to accept".into(),
                }));
                continue;
            }
        }
        out.push(Ok(row));
    }
    Ok(out)
}

/// An overrides file that cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OverridesError {
    /// The file.
    pub path: String,
    /// Why.
    pub message: String,
}

impl Overrides {
    /// No overrides.
    pub fn new() -> Overrides {
        Overrides::default()
    }

    /// Read an overrides file.
    pub fn load(path: &Path) -> Result<Overrides, OverridesError> {
        let text = std::fs::read_to_string(path).map_err(|e| OverridesError {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Overrides::parse(&text).map_err(|message| OverridesError {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parse overrides CSV text. An unreadable header is an error; bad rows are issues.
    pub fn parse(text: &str) -> Result<Overrides, String> {
        let mut out = Overrides::default();
        for row in action_rows(text)? {
            let ActionRow {
                line,
                action,
                name,
                value,
                ..
            } = match row {
                Ok(r) => r,
                Err(issue) => {
                    out.issues.push(issue);
                    continue;
                }
            };
            if name.is_empty() || value.is_empty() {
                out.issues.push(OverrideIssue {
                    line,
                    problem: format!("{action}: both name and value are needed"),
                });
                continue;
            }
            let o = match Override::from_action(&action, name, value) {
                Some(Ok(o)) => o,
                Some(Err(problem)) => {
                    out.issues.push(OverrideIssue { line, problem });
                    continue;
                }
                None => {
                    out.issues.push(OverrideIssue {
                        line,
                        problem: format!("unknown action {action:?} ({})", Override::ACTIONS),
                    });
                    continue;
                }
            };
            out.items.push((line, o));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports() {
        let o = Overrides::parse(
            "action,name,value,note\n\
             must-link,A Ltd,B Ltd,\n\
             cannot-link,Age UK,Age UK Barnet,\n\
             set-company-number,A Ltd,1738371,\n\
             set-company-number,A Ltd,not a number,\n\
             explode,A,B,\n\
             set-kind,X,cic,\n",
        )
        .unwrap();
        assert_eq!(o.items.len(), 4);
        assert_eq!(
            o.items[0],
            (2, Override::MustLink("A Ltd".into(), "B Ltd".into()))
        );
        assert_eq!(o.issues.len(), 2);
        assert_eq!(o.issues[0].line, 5);
        assert!(Overrides::parse("a,b\n").is_err());
    }
}
