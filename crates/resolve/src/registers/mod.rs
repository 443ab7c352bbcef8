//! Registers: what official and local lists say about a supplier, linked to its entity.
//!
//! One reader per format (one file each), all producing [`RegisterRecord`]s:
//!
//! * [`companies_house`] — the Companies House *BasicCompanyData* bulk CSV and the
//!   advanced-search export (`../shared/data/companies`);
//! * [`charity`] — the Charity Commission register extract (`publicextract.charity`);
//! * [`ocds`] — parties of OCDS release packages (Contracts Finder), with `GB-COH`
//!   identifiers;
//! * [`supplier_list`] — an anchor's own supplier list or contracts register, read by
//!   `anchornet-ingest` (any layout it understands).
//!
//! A record links to an entity by identifier (company or charity number) or by name, in
//! the same matcher that links names to each other; each fact it carries (postcode,
//! company number, SIC codes, legal form, status, SME) keeps its source and how it was
//! linked, so a report can say "local because: postcode M5 4BD from Salford's contracts
//! register, exact name match".

pub mod ch_index;
pub mod charity;
pub mod companies_house;
pub mod ocds;
mod open;
pub mod open_data;
pub mod supplier_list;

use std::path::Path;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::kind::Kind;
use crate::model::{background, C_QUAL};
use crate::parse::parse;
use crate::words;

/// Which register a record comes from, in order of trust for a supplier's location:
/// an anchor's own list first (the address it pays), then contract notices, then the
/// Companies House registered office (often a head office far from the work), then the
/// charity register's contact address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    /// An anchor's supplier list or contracts register.
    SupplierList,
    /// An OCDS party (Contracts Finder).
    Ocds,
    /// Companies House BasicCompanyData bulk file.
    CompaniesHouse,
    /// Companies House advanced-search export.
    CompaniesHouseSearch,
    /// Charity Commission register extract.
    CharityCommission,
    /// A business-rates (NNDR) ratepayer list: the premises an organisation occupies in a
    /// council's area — a branch, not only a head office.
    BusinessRates,
    /// Co-operatives UK open data: co-operatives, societies and CICs.
    CooperativesUk,
    /// A 360Giving grants file: the recipients as the funder recorded them.
    Giving360,
}

impl RegisterKind {
    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            RegisterKind::SupplierList => "supplier_list",
            RegisterKind::Ocds => "ocds",
            RegisterKind::CompaniesHouse => "companies_house",
            RegisterKind::CompaniesHouseSearch => "companies_house_search",
            RegisterKind::CharityCommission => "charity_commission",
            RegisterKind::BusinessRates => "business_rates",
            RegisterKind::CooperativesUk => "cooperatives_uk",
            RegisterKind::Giving360 => "360giving",
        }
    }
}

/// Whether a supplier is an SME: declared or derived from registers, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sme {
    /// An SME (PPN 001: fewer than 250 staff and turnover ≤ £44m or balance sheet ≤ £38m).
    Yes,
    /// Not an SME.
    No,
    /// Not known.
    #[default]
    Unknown,
}

/// One row of a register.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegisterRecord {
    /// Which register.
    pub register: Option<RegisterKind>,
    /// File (and member) it was read from.
    pub file: String,
    /// Line (1-based) or position in the file.
    pub line: u64,
    /// The anchor whose list it is (supplier lists).
    pub anchor: Option<String>,
    /// Name as registered.
    pub name: String,
    /// Previous names (Companies House).
    pub previous_names: Vec<String>,
    /// Companies House number (normalised).
    pub company_number: Option<String>,
    /// Charity number (normalised).
    pub charity_number: Option<String>,
    /// VAT number.
    pub vat_number: Option<String>,
    /// The anchor's supplier id.
    pub supplier_id: Option<String>,
    /// Postcode (canonical).
    pub postcode: Option<String>,
    /// SIC 2007 codes (5 digits).
    pub sic: Vec<String>,
    /// Legal form in the register's words (`Private limited company`).
    pub legal_form: Option<String>,
    /// The kind that legal form means.
    pub kind: Option<Kind>,
    /// Status in the register's words (`Active`, `Dissolved`, `Registered`).
    pub status: Option<String>,
    /// SME.
    pub sme: Sme,
    /// Why the SME value (`declared in contracts register`, `accounts category SMALL`).
    pub sme_basis: Option<String>,
    /// When the record's facts were current: the row's own date (a contract's start, a
    /// ratepayer's liability start, a notice's release date), else the date the file's name
    /// gives ([`PaymentDate::in_file_name`]).
    pub date: Option<anchornet_core::PaymentDate>,
}

impl RegisterRecord {
    /// Where the record came from, for evidence: `companies_house file.csv:123`.
    pub fn source(&self) -> String {
        format!(
            "{} {}:{}",
            self.register.map_or("register", RegisterKind::label),
            self.file,
            self.line
        )
    }
}

/// A problem with a register file: unreadable, or a row that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterIssue {
    /// File.
    pub file: String,
    /// Line (0 for the whole file).
    pub line: u64,
    /// What went wrong.
    pub problem: String,
}

/// An error that stops a register from being read at all.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The file could not be opened or decompressed.
    #[error("{path}: {message}")]
    Open {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// The file's layout is not one of the supported registers.
    #[error("{path}: not a recognised register (Companies House, Charity Commission, OCDS or a supplier list): {message}")]
    Format {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
}

/// Which register rows are worth keeping for a set of input names: those sharing an
/// identifier, or a rare word of a name (the same words the matcher blocks on). A national
/// register of 5 million companies shrinks to the few thousand that could match.
#[derive(Debug, Clone, Default)]
pub struct NameFilter {
    words: FxHashSet<String>,
    /// The input names' words run together (main and trading names): a national register's
    /// rows are kept by these, not by a shared word.
    squashed: FxHashSet<String>,
    company: FxHashSet<String>,
    charity: FxHashSet<String>,
    /// Rows left out so far: about no supplier of the input (the reconciliation counts them).
    dropped: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// Background frequency above which a word alone is too common to pick register rows.
const FILTER_MAX_DF: u32 = 3000;

impl NameFilter {
    /// A filter for these names and identifiers.
    pub fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        company_numbers: impl IntoIterator<Item = &'a str>,
        charity_numbers: impl IntoIterator<Item = &'a str>,
    ) -> NameFilter {
        let bg = background();
        let mut f = NameFilter::default();
        for n in names {
            let p = parse(n);
            for form in std::iter::once(&p.main).chain(p.alias.as_ref()) {
                if !form.toks.is_empty() {
                    f.squashed.insert(form.squashed());
                }
                let mut toks: Vec<&str> = form
                    .toks
                    .iter()
                    .map(|t| &*t.s)
                    .filter(|t| t.len() >= 2)
                    .collect();
                toks.sort_by_key(|t| bg.df.get(t).copied().unwrap_or(0));
                for t in toks.iter().take(2) {
                    if bg.df.get(t).copied().unwrap_or(0) <= FILTER_MAX_DF {
                        f.words.insert((*t).to_string());
                    }
                }
            }
        }
        f.company.extend(
            company_numbers
                .into_iter()
                .filter_map(crate::ids::company_number),
        );
        f.charity.extend(
            charity_numbers
                .into_iter()
                .filter_map(crate::ids::charity_number),
        );
        f
    }

    /// A filter for resolver inputs.
    pub fn from_inputs(inputs: &[crate::NameInput]) -> NameFilter {
        NameFilter::new(
            inputs.iter().map(|i| i.name.as_str()),
            inputs.iter().filter_map(|i| i.company_number.as_deref()),
            inputs.iter().filter_map(|i| i.charity_number.as_deref()),
        )
    }

    /// Whether a register row with this name and identifiers may match.
    pub fn keep(&self, name: &str, company: Option<&str>, charity: Option<&str>) -> bool {
        let keep = self.keeps(name, company, charity);
        if !keep {
            self.dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        keep
    }

    /// Whether a row of a national register (Companies House, the co-operative, charity and
    /// grant registers) known under any of these names may match: by its identifiers, or by a
    /// name whose words run together equal an input name's. A national register holds
    /// millions of names, and one that merely shares a word with a payee is not evidence of
    /// where the payee is (precision first, DESIGN.md): only the same name, written with any
    /// spacing, punctuation or legal form, is considered. Counted once when left out.
    pub fn keep_national<'a>(
        &self,
        mut names: impl Iterator<Item = &'a str>,
        company: Option<&str>,
        charity: Option<&str>,
    ) -> bool {
        let keep = company.is_some_and(|c| self.company.contains(c))
            || charity.is_some_and(|c| self.charity.contains(c))
            || names.any(|n| {
                let p = parse(n);
                std::iter::once(&p.main)
                    .chain(p.alias.as_ref())
                    .any(|f| !f.toks.is_empty() && self.squashed.contains(&f.squashed()))
            });
        if !keep {
            self.dropped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        keep
    }

    /// Register rows left out so far as about no supplier of the input.
    pub fn dropped(&self) -> usize {
        self.dropped.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn keeps(&self, name: &str, company: Option<&str>, charity: Option<&str>) -> bool {
        if company.is_some_and(|c| self.company.contains(c))
            || charity.is_some_and(|c| self.charity.contains(c))
        {
            return true;
        }
        let p = parse(name);
        p.main
            .toks
            .iter()
            .any(|t| self.words.contains(&*t.s) && !words::is_stopword(&t.s))
            || p.alias
                .as_ref()
                .is_some_and(|a| a.toks.iter().any(|t| self.words.contains(&*t.s)))
    }
}

/// Register records loaded for a run.
#[derive(Debug, Clone, Default)]
pub struct Registers {
    /// The records.
    pub records: Vec<RegisterRecord>,
    /// Rows that could not be used.
    pub issues: Vec<RegisterIssue>,
    /// Files read, with the rows kept from each.
    pub files: Vec<(String, usize)>,
}

impl Registers {
    /// No registers.
    pub fn new() -> Registers {
        Registers::default()
    }

    /// Add a record (e.g. built by a caller from its own data).
    pub fn push(&mut self, r: RegisterRecord) {
        self.records.push(r);
    }

    /// Read a register file or directory (OCDS JSON), recognising its format from its
    /// header: Companies House bulk or search export, Charity Commission extract, OCDS
    /// JSON, else a supplier list read by ingest. With a filter, only rows that may match
    /// are kept. Returns the number of rows kept.
    pub fn load(
        &mut self,
        path: &Path,
        filter: Option<&NameFilter>,
    ) -> Result<usize, RegisterError> {
        let before = self.records.len();
        let name = path.to_string_lossy().to_string();
        let lower = name.to_ascii_lowercase();
        if path.is_dir()
            || lower.ends_with(".json")
            || lower.ends_with(".json.gz")
            || lower.ends_with(".json.xz")
        {
            ocds::load(path, self, filter)?;
        } else {
            let head = open::head(path).map_err(|e| RegisterError::Open {
                path: name.clone(),
                message: e.to_string(),
            })?;
            let h = head.to_ascii_lowercase();
            if h.contains("companyname") && h.contains("companynumber") {
                let big =
                    std::fs::metadata(path).is_ok_and(|m| m.len() >= ch_index::INDEX_FROM_BYTES);
                match filter {
                    Some(f) if big => ch_index::load_indexed(
                        path,
                        self,
                        f,
                        &anchornet_core::cache::default_cache_dir(),
                    )?,
                    _ => companies_house::load_bulk(path, self, filter)?,
                }
            } else if h.contains("company_name")
                && h.contains("company_number")
                && h.contains("registered_office_address")
            {
                companies_house::load_search(path, self, filter)?;
            } else if h.contains("registered_charity_number") && h.contains("charity_name") {
                charity::load(path, self, filter)?;
            } else if let Some(kind) = open_data::detect(h.lines().next().unwrap_or("")) {
                open_data::load(path, self, filter, kind)?;
            } else if h.trim_start().starts_with('{') || h.trim_start().starts_with('[') {
                ocds::load(path, self, filter)?;
            } else if h.contains("ratepayer") {
                // Councils publish their business-rates lists in layouts of their own; every
                // one names the occupier as the "ratepayer" (Non-Domestic Rating, LGFA 1988).
                supplier_list::load_as(path, self, filter, RegisterKind::BusinessRates)?;
            } else {
                supplier_list::load(path, self, filter)?;
            }
        }
        let kept = self.records.len() - before;
        if let Some(d) = anchornet_core::PaymentDate::in_file_name(&name) {
            for r in &mut self.records[before..] {
                r.date.get_or_insert(d);
            }
        }
        self.files.push((name, kept));
        Ok(kept)
    }
}

/// A register cell's postcode, canonical (`m54bd` → `M5 4BD`), or `None` when it is not one.
pub fn postcode(cell: &str) -> Option<String> {
    anchornet_core::Postcode::parse(cell)
        .ok()
        .map(|p| p.to_string())
}

/// The first postcode in an address text (`5 London Road Rainham ME8 7RG United Kingdom`,
/// `Waverley Street\nHU1 2SH\nGB`).
pub fn postcode_in(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    // Outward + inward as two words, or one word with both run together.
    for i in (0..words.len()).rev() {
        if i + 1 < words.len() {
            let two = format!("{} {}", words[i], words[i + 1]);
            if let Ok(p) = anchornet_core::Postcode::parse(&two) {
                return Some(p.to_string());
            }
        }
        if words[i].len() >= 5 {
            if let Ok(p) = anchornet_core::Postcode::parse(words[i]) {
                return Some(p.to_string());
            }
        }
    }
    None
}

/// Tokens of a name that identify it (used by filters and tests).
pub fn identifying_tokens(name: &str) -> Vec<String> {
    let p = parse(name);
    let mut v = crate::model::Vocab::default();
    p.main
        .toks
        .iter()
        .filter(|t| {
            let id = v.intern(&t.s);
            v.class[id as usize] & C_QUAL == 0
        })
        .map(|t| t.s.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_in_addresses() {
        assert_eq!(
            postcode_in("5 London Road Rainham ME8 7RG United Kingdom").as_deref(),
            Some("ME8 7RG")
        );
        assert_eq!(
            postcode_in("Waverley Street\nHU1 2SH\nGB").as_deref(),
            Some("HU1 2SH")
        );
        assert_eq!(postcode_in("Wilton TS104RF").as_deref(), Some("TS10 4RF"));
        assert_eq!(postcode_in("no postcode here"), None);
    }

    #[test]
    fn filter_keeps_rows_sharing_rare_words() {
        let f = NameFilter::new(["Seddon Construction Ltd"], [], []);
        assert!(f.keep("SEDDON CONSTRUCTION LIMITED", None, None));
        assert!(!f.keep("ACME WIDGETS LIMITED", None, None));
        let f = NameFilter::new(["X"], ["2535986"], []);
        assert!(f.keep("ANYTHING", Some("02535986"), None));
    }
}
