//! People's decisions about suppliers, one typed list whichever door they came in by: the
//! overrides file of `anchornet analyse` / `anchornet suppliers` (`--overrides`), and the
//! workspace's review decisions. Decisions about *which names are one supplier* go to the
//! resolver ([`anchornet_resolve::Override`]); decisions about *a supplier* (its location,
//! size, whether it is national) are applied by [`crate::register::build`].
//!
//! The file is CSV with a header `action,name,value,note` (and optionally `by,at`), one
//! decision a row:
//!
//! ```text
//! action,name,value,note,by,at
//! must-link,Keepmoat Regeneration Ltd,Equans Regeneration Ltd,renamed 2021,,
//! cannot-link,Age UK,Age UK Leeds,the national charity,,
//! set-kind,Sale Moor Community Partnership Ltd,cic,,,
//! set-postcode,Acme Cleaning Ltd,M5 4BD,trading address on the invoice,jo,2026-12-01
//! reject-location,Acme Cleaning Ltd,,registered office only,,
//! confirm-location,Acme Cleaning Ltd,,,,
//! set-sme,Acme Cleaning Ltd,yes,declared on the tender,,
//! not-local,Big National Plc,,national supplier,,
//! ```
//!
//! `name` is any name the supplier was paid or registered under, or its key (as in the
//! workspace's URLs). A decision naming no supplier of the run is reported with its file and
//! line, never silently ignored.

use std::path::Path;

use anchornet_core::{Kind, Postcode, Size};
use anchornet_resolve::{Override, Overrides};

/// Which supplier a decision is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityRef {
    /// A name it was paid or registered under, or its key.
    Name(String),
}

impl EntityRef {
    /// The text as given.
    pub fn text(&self) -> &str {
        match self {
            EntityRef::Name(n) => n,
        }
    }
}

/// Where a decision came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A row of an overrides file.
    File {
        /// The file.
        path: String,
        /// Its line.
        line: u64,
        /// Who, when the file says.
        by: String,
        /// When, when the file says.
        at: String,
        /// The note.
        note: String,
    },
    /// A review decision in the workspace.
    Review {
        /// Who decided.
        by: String,
        /// When, Unix seconds.
        at: i64,
        /// The reviewer's note.
        note: String,
    },
}

impl Origin {
    /// `by jo (note)` or `in overrides.csv:4 (note)`.
    pub fn describe(&self) -> String {
        match self {
            Origin::File {
                path,
                line,
                by,
                note,
                ..
            } => {
                let who = if by.is_empty() {
                    format!("in {path}:{line}")
                } else {
                    format!("by {by} ({path}:{line})")
                };
                if note.trim().is_empty() {
                    who
                } else {
                    format!("{who}: {}", note.trim())
                }
            }
            Origin::Review { by, note, .. } => format!("by {by} ({})", note.trim()),
        }
    }

    /// The file, for evidence (`workspace review` for review decisions).
    pub fn file(&self) -> &str {
        match self {
            Origin::File { path, .. } => path,
            Origin::Review { .. } => "workspace review",
        }
    }

    /// The line in the file (0 for review decisions).
    pub fn line(&self) -> u64 {
        match self {
            Origin::File { line, .. } => *line,
            Origin::Review { .. } => 0,
        }
    }
}

/// What a decision does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Which names are one supplier, its name, identifiers or kind: applied by the resolver.
    Resolver(Override),
    /// The supplier's postcode, as a person found it.
    SetPostcode(Postcode),
    /// The supplier's location evidence is wrong: it counts as not located until a person
    /// sets a postcode.
    RejectLocation,
    /// The supplier's location was checked.
    ConfirmLocation,
    /// The supplier's size (PPN 001).
    SetSize(Size),
    /// A national supplier: never counted local, wherever its evidence points.
    NotLocal,
    /// A name was checked to belong to the supplier.
    ConfirmLink {
        /// The name.
        name: String,
    },
    /// The supplier was checked to be an individual or sole trader: its kind is set to
    /// individual (an [`Override::Kind`] for the resolver) and the check is evidence.
    ConfirmIndividual,
}

impl Action {
    /// Applied by the resolver, not the register.
    pub fn is_resolver(&self) -> bool {
        matches!(self, Action::Resolver(_))
    }
}

/// One decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The supplier it is about.
    pub subject: EntityRef,
    /// What it does.
    pub action: Action,
    /// Where it came from.
    pub origin: Origin,
}

impl Decision {
    /// An issue about this decision.
    pub fn issue(&self, problem: String) -> DecisionIssue {
        DecisionIssue {
            file: self.origin.file().to_string(),
            line: self.origin.line(),
            value: self.subject.text().to_string(),
            problem,
        }
    }

    /// The overrides-file row saying this decision: action, name, value.
    pub fn row(&self) -> (String, String, String) {
        let name = self.subject.text().to_string();
        match &self.action {
            Action::Resolver(o) => {
                let (a, n, v) = o.to_row();
                (a.to_string(), n.to_string(), v)
            }
            Action::SetPostcode(p) => ("set-postcode".into(), name, p.as_str().to_string()),
            Action::RejectLocation => ("reject-location".into(), name, String::new()),
            Action::ConfirmLocation => ("confirm-location".into(), name, String::new()),
            Action::SetSize(s) => (
                "set-sme".into(),
                name,
                match s {
                    Size::Sme => "yes",
                    Size::Large => "no",
                    Size::Unknown => "unknown",
                }
                .into(),
            ),
            Action::NotLocal => ("not-local".into(), name, String::new()),
            Action::ConfirmLink { name: n } => ("confirm-link".into(), n.clone(), name),
            Action::ConfirmIndividual => ("confirm-individual".into(), name, String::new()),
        }
    }
}

/// A decision that could not be read or applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecisionIssue {
    /// The overrides file (or `workspace review`).
    pub file: String,
    /// Its line.
    pub line: u64,
    /// The value at fault.
    pub value: String,
    /// What is wrong.
    pub problem: String,
}

/// An overrides file that cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DecisionsError {
    /// The file.
    pub path: String,
    /// Why.
    pub message: String,
}

/// People's decisions, in order.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// The decisions.
    pub items: Vec<Decision>,
    /// Rows that could not be read.
    pub issues: Vec<DecisionIssue>,
}

/// The actions a file may name beyond the resolver's.
pub const REGISTER_ACTIONS: &str =
    "set-postcode, reject-location, confirm-location, set-sme, not-local, confirm-link, confirm-individual";

impl Decisions {
    /// No decisions.
    pub fn new() -> Decisions {
        Decisions::default()
    }

    /// Read an overrides file.
    pub fn load(path: &Path) -> Result<Decisions, DecisionsError> {
        let err = |message: String| DecisionsError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Decisions::parse(&text, &path.display().to_string()).map_err(err)
    }

    /// Parse overrides CSV text read from `file`. An unreadable header is an error; bad rows
    /// are issues with their line.
    pub fn parse(text: &str, file: &str) -> Result<Decisions, String> {
        let mut out = Decisions::default();
        for row in anchornet_resolve::overrides::action_rows(text)? {
            let row = match row {
                Ok(r) => r,
                Err(i) => {
                    out.issues.push(DecisionIssue {
                        file: file.to_string(),
                        line: i.line,
                        value: String::new(),
                        problem: i.problem,
                    });
                    continue;
                }
            };
            let (line, action, name, value) = (row.line, row.action, row.name, row.value);
            let origin = Origin::File {
                path: file.to_string(),
                line,
                by: row.by,
                at: row.at,
                note: row.note,
            };
            let issue = |problem: String, value: &str| DecisionIssue {
                file: file.to_string(),
                line,
                value: value.to_string(),
                problem,
            };
            if name.is_empty() {
                out.issues
                    .push(issue(format!("{action}: a supplier name is needed"), ""));
                continue;
            }
            match parse_action(&action, &name, &value) {
                Ok(actions) => {
                    for action in actions {
                        out.items.push(Decision {
                            subject: EntityRef::Name(name.clone()),
                            action,
                            origin: origin.clone(),
                        });
                    }
                }
                Err(problem) => out.issues.push(issue(problem, &value)),
            }
        }
        Ok(out)
    }

    /// A workspace review decision, as the store keeps it: `kind` is `link`, `location` or
    /// `individual`; `subject` the name (link) or the supplier's name or key; `decision`
    /// `confirm` or `reject`; `entity` the supplier's canonical name when the decision was
    /// made (a rejected link keeps the name apart from it). A decision taken from the
    /// supplier worklist has an overrides-file action for its `kind`, `set` for its
    /// `decision` and the action's `value`.
    #[allow(clippy::too_many_arguments)]
    pub fn push_review(
        &mut self,
        kind: &str,
        subject: &str,
        decision: &str,
        entity: &str,
        value: &str,
        by: &str,
        at: i64,
        note: &str,
    ) {
        let origin = Origin::Review {
            by: by.to_string(),
            at,
            note: note.to_string(),
        };
        let subject_t = subject.trim().to_string();
        if decision == "set" {
            match parse_action(kind, &subject_t, value.trim()) {
                Ok(actions) => {
                    for action in actions {
                        self.items.push(Decision {
                            subject: EntityRef::Name(subject_t.clone()),
                            action,
                            origin: origin.clone(),
                        })
                    }
                }
                Err(problem) => self.issues.push(DecisionIssue {
                    file: "workspace review".into(),
                    line: 0,
                    value: value.to_string(),
                    problem,
                }),
            }
            return;
        }
        let mut push = |subject: String, action: Action| {
            self.items.push(Decision {
                subject: EntityRef::Name(subject),
                action,
                origin: origin.clone(),
            })
        };
        match (kind, decision) {
            ("link", "reject") if !entity.trim().is_empty() => push(
                subject_t.clone(),
                Action::Resolver(Override::CannotLink(subject_t, entity.trim().to_string())),
            ),
            ("link", "confirm") => push(
                entity.trim().to_string(),
                Action::ConfirmLink { name: subject_t },
            ),
            ("location", "reject") => push(subject_t, Action::RejectLocation),
            ("location", "confirm") => push(subject_t, Action::ConfirmLocation),
            ("individual", "confirm") => {
                let who = if entity.trim().is_empty() {
                    subject_t
                } else {
                    entity.trim().to_string()
                };
                push(who, Action::ConfirmIndividual)
            }
            _ => self.issues.push(DecisionIssue {
                file: "workspace review".into(),
                line: 0,
                value: subject_t,
                problem: format!("unknown review decision {kind}/{decision}"),
            }),
        }
    }

    /// The decisions the resolver applies.
    pub fn resolver_overrides(&self) -> Overrides {
        let mut o = Overrides::new();
        for d in &self.items {
            match &d.action {
                Action::Resolver(x) => o.items.push((d.origin.line(), x.clone())),
                // A confirmed individual is one in the resolver's kinds too.
                Action::ConfirmIndividual => o.items.push((
                    d.origin.line(),
                    Override::Kind(d.subject.text().to_string(), Kind::Individual),
                )),
                _ => {}
            }
        }
        o
    }

    /// The decisions as an overrides file (CSV text) that `anchornet analyse --overrides`
    /// and `anchornet suppliers --overrides` read: the same decisions on every path. A
    /// machine file: names are written exactly (a name is matched exactly when read back),
    /// so it is not neutralised for spreadsheets.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["action", "name", "value", "note", "by", "at"]);
        for d in &self.items {
            let (a, n, v) = d.row();
            let (note, by, at) = match &d.origin {
                Origin::File { note, by, at, .. } => (note.clone(), by.clone(), at.clone()),
                Origin::Review { by, at, note } => (note.clone(), by.clone(), at.to_string()),
            };
            let _ = w.write_record([a, n, v, note, by, at]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// The actions one file row means (an overrides-file action, its supplier name, its value),
/// or why it means none.
pub fn parse_action(action: &str, name: &str, value: &str) -> Result<Vec<Action>, String> {
    if let Some(o) = Override::from_action(action, name.to_string(), value.to_string()) {
        return o.map(|o| vec![Action::Resolver(o)]);
    }
    Ok(vec![match action.replace('_', "-").as_str() {
        "set-postcode" | "postcode" => Action::SetPostcode(
            Postcode::parse(value).map_err(|e| format!("{value:?} is not a postcode: {e}"))?,
        ),
        "reject-location" => Action::RejectLocation,
        "confirm-location" => Action::ConfirmLocation,
        "set-sme" | "sme" => Action::SetSize(match value.to_ascii_lowercase().as_str() {
            "yes" | "true" | "sme" | "y" => Size::Sme,
            "no" | "false" | "large" | "n" => Size::Large,
            "unknown" | "" => Size::Unknown,
            _ => return Err(format!("{value:?} is not yes, no or unknown")),
        }),
        "not-local" | "national" => Action::NotLocal,
        "confirm-link" => Action::ConfirmLink {
            name: value.to_string(),
        },
        "confirm-individual" => Action::ConfirmIndividual,
        other => {
            return Err(format!(
                "unknown action {other:?} ({}, {REGISTER_ACTIONS})",
                Override::ACTIONS
            ))
        }
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_rows_become_typed_decisions_and_bad_rows_issues() {
        let d = Decisions::parse(
            "action,name,value,note\n\
             must-link,A Ltd,B Ltd,\n\
             set-postcode,A Ltd,m54bd,\n\
             set-postcode,A Ltd,not a postcode,\n\
             explode,A,B,\n\
             not-local,Big Plc,,national\n",
            "o.csv",
        )
        .unwrap();
        assert_eq!(d.items.len(), 3);
        assert_eq!(
            d.items[1].action,
            Action::SetPostcode(Postcode::parse("M5 4BD").unwrap())
        );
        assert_eq!(d.issues.len(), 2);
        assert_eq!((d.issues[0].file.as_str(), d.issues[0].line), ("o.csv", 4));
        assert_eq!(d.issues[1].line, 5);
        assert_eq!(d.resolver_overrides().items.len(), 1);
    }

    #[test]
    fn csv_round_trips() {
        let mut d = Decisions::new();
        d.push_review(
            "link",
            "Acme Clean",
            "reject",
            "Acme Ltd",
            "",
            "jo",
            5,
            "different firm",
        );
        d.push_review(
            "location", "Acme Ltd", "reject", "Acme Ltd", "", "jo", 6, "",
        );
        d.push_review(
            "individual",
            "J Smith",
            "confirm",
            "J Smith",
            "",
            "jo",
            7,
            "",
        );
        // Worklist actions, and one whose value is not valid (an issue, not a decision).
        d.push_review("set-postcode", "Acme Ltd", "set", "", "m5 4bd", "jo", 8, "");
        d.push_review("set-sme", "Acme Ltd", "set", "", "yes", "jo", 9, "");
        d.push_review("set-postcode", "B Ltd", "set", "", "nowhere", "jo", 9, "");
        assert_eq!(d.items.len(), 5);
        assert_eq!(
            d.items[3].action,
            Action::SetPostcode(Postcode::parse("M5 4BD").unwrap())
        );
        assert_eq!(d.issues.len(), 1);
        let text = d.to_csv();
        let back = Decisions::parse(&text, "x.csv").unwrap();
        assert!(back.issues.is_empty(), "{:?}", back.issues);
        let actions: Vec<&Action> = back.items.iter().map(|d| &d.action).collect();
        let want: Vec<&Action> = d.items.iter().map(|d| &d.action).collect();
        assert_eq!(actions, want);
    }
}
