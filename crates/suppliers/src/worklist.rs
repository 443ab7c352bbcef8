//! The coverage worklist: CLES's "locate the top 300 suppliers by hand", made systematic.
//!
//! Every supplier with influenceable spend that is not located, or whose size or kind is
//! not known, ranked by the influenceable spend a decision about it would move, with the
//! evidence already found (register records its names came close to; postcodes that could
//! not be placed) and the decision that would accept the best of it. The list is written as
//! CSV (`anchornet suppliers todo --out todo.csv`) whose first columns are those of the
//! overrides file (`action,name,value,note`): fill in `action` (or write `accept` to take the
//! row's suggestion) and give the file back with `--overrides`. Rows left without an action
//! are suppliers not yet worked on.

use anchornet_core::{Kind, Size};

use crate::register::Register;

/// What is not known about a supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// No placed location.
    Location,
    /// Size (PPN 001) unknown.
    Size,
    /// Kind of body unknown.
    Kind,
}

impl Missing {
    /// `location`, `size` or `kind`.
    pub fn label(self) -> &'static str {
        match self {
            Missing::Location => "location",
            Missing::Size => "size",
            Missing::Kind => "kind",
        }
    }

    /// The overrides-file action that settles it.
    pub fn action(self) -> &'static str {
        match self {
            Missing::Location => "set-postcode",
            Missing::Size => "set-sme",
            Missing::Kind => "set-kind",
        }
    }
}

/// One supplier to work on.
#[derive(Debug, Clone)]
pub struct Item {
    /// The supplier (index in the register).
    pub supplier: u32,
    /// Its influenceable spend (pence).
    pub pence: i64,
    /// What is missing.
    pub missing: Vec<Missing>,
    /// Evidence that could not be used (postcodes that could not be placed), for a reader.
    pub unplaced: Vec<String>,
}

/// The coverage of the register's influenceable spend, overall and among the suppliers that
/// move the most.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// How many suppliers the "top" counts.
    pub top: usize,
    /// All influenceable spend (pence, positive suppliers).
    pub influenceable_pence: i64,
    /// The top suppliers' share of it.
    pub top_share: f64,
    /// The share of it whose supplier is located.
    pub located_share: f64,
    /// The share of the top suppliers' spend whose supplier is located.
    pub top_located_share: f64,
}

/// The worklist: the items largest first, and the coverage it starts from.
#[derive(Debug, Clone, Default)]
pub struct Worklist {
    /// The suppliers to work on, largest first.
    pub items: Vec<Item>,
    /// Coverage now.
    pub coverage: Coverage,
}

/// The worklist of a register, given each supplier's influenceable spend (pence, parallel to
/// `register.suppliers`). Individuals are left out (their location is never sought: their
/// kind is a review question) and so are suppliers a person marked national. `top` is the
/// size of the head the coverage reports (CLES: 300).
pub fn worklist(register: &Register, influenceable: &[i64], top: usize) -> Worklist {
    // Spend beyond the register (a dataset's pseudo-supplier for redacted recipients) is no
    // supplier's to complete.
    let mut ranked: Vec<(usize, i64)> = influenceable
        .iter()
        .copied()
        .take(register.suppliers.len())
        .enumerate()
        .filter(|&(_, p)| p > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            register.suppliers[a.0]
                .canonical_name
                .cmp(&register.suppliers[b.0].canonical_name)
        })
    });
    let total: i64 = ranked.iter().map(|r| r.1).sum();
    let located = |i: usize| register.suppliers[i].chosen.is_some();
    let sum = |it: &mut dyn Iterator<Item = &(usize, i64)>| -> i64 { it.map(|r| r.1).sum() };
    let head = &ranked[..top.min(ranked.len())];
    let head_total = sum(&mut head.iter());
    let share = |a: i64, b: i64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let coverage = Coverage {
        top,
        influenceable_pence: total,
        top_share: share(head_total, total),
        located_share: share(sum(&mut ranked.iter().filter(|r| located(r.0))), total),
        top_located_share: share(sum(&mut head.iter().filter(|r| located(r.0))), head_total),
    };
    let items = ranked
        .iter()
        .filter_map(|&(i, pence)| {
            let s = &register.suppliers[i];
            if s.kind == Kind::Individual || s.national {
                return None;
            }
            let mut missing = Vec::new();
            if s.chosen.is_none() {
                missing.push(Missing::Location);
            }
            if s.size == Size::Unknown {
                missing.push(Missing::Size);
            }
            if s.kind == Kind::Unknown {
                missing.push(Missing::Kind);
            }
            if missing.is_empty() {
                return None;
            }
            let unplaced = s
                .locations
                .iter()
                .filter_map(|l| match (&l.place, &l.rejected) {
                    (_, Some(who)) => Some(format!("{} rejected {who}", l.postcode)),
                    (Err(why), None) => Some(format!(
                        "{} from the {} ({}:{}) could not be placed: {why}",
                        l.postcode,
                        l.source.describe(),
                        l.file,
                        l.line
                    )),
                    _ => None,
                })
                .collect();
            Some(Item {
                supplier: i as u32,
                pence,
                missing,
                unplaced,
            })
        })
        .collect();
    Worklist { items, coverage }
}

impl Coverage {
    /// `top 300 suppliers: 71.0% of influenceable spend, 64.2% of it located; all suppliers: 38.5% located`.
    pub fn sentence(&self) -> String {
        format!(
            "top {} suppliers: {:.1}% of influenceable spend, {:.1}% of it located; all suppliers: {:.1}% of influenceable spend located",
            self.top,
            self.top_share * 100.0,
            self.top_located_share * 100.0,
            self.located_share * 100.0
        )
    }
}

impl Worklist {
    /// The CSV header: the overrides file's columns first, then what a person needs to decide.
    pub const HEADER: [&'static str; 14] = [
        "action",
        "name",
        "value",
        "note",
        "rank",
        "key",
        "influenceable_pence",
        "missing",
        "kind",
        "sme",
        "names",
        "suggested_action",
        "suggested_value",
        "evidence",
    ];

    /// One row per item, parallel to [`Worklist::HEADER`]; the action columns empty.
    pub fn rows<'a>(&'a self, register: &'a Register) -> impl Iterator<Item = Vec<String>> + 'a {
        self.items.iter().enumerate().map(|(rank, it)| {
            let s = &register.suppliers[it.supplier as usize];
            // The best suggestion that settles something missing; a location first.
            let suggestion = s
                .suggestions
                .first()
                .filter(|_| it.missing.contains(&Missing::Location));
            let evidence: Vec<String> = s
                .suggestions
                .iter()
                .map(|g| format!("{} {}: {}", g.action, g.value, g.evidence))
                .chain(it.unplaced.iter().cloned())
                .collect();
            vec![
                String::new(),
                s.canonical_name.clone(),
                String::new(),
                String::new(),
                (rank + 1).to_string(),
                s.key.clone(),
                it.pence.to_string(),
                it.missing
                    .iter()
                    .map(|m| m.label())
                    .collect::<Vec<_>>()
                    .join(" "),
                s.kind.label(),
                s.size.label().to_string(),
                s.names.join(" | "),
                suggestion.map(|g| g.action.to_string()).unwrap_or_default(),
                suggestion.map(|g| g.value.clone()).unwrap_or_default(),
                evidence.join("; "),
            ]
        })
    }

    /// Write the worklist as CSV, every cell made safe to open in a spreadsheet.
    pub fn write_csv<W: std::io::Write>(&self, register: &Register, w: W) -> csv::Result<W> {
        crate::table::write_rows(Self::HEADER.to_vec(), self.rows(register), w)
    }
}
