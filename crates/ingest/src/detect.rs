//! Layout detection: where the header row is, and what each column means.
//!
//! 1. **Header row.** Among the first 40 rows, the one whose cells best match the header
//!    vocabulary ([`crate::vocab`]); title rows and blank lines above it are passed over.
//!    A file whose first rows match nothing is read as headerless.
//! 2. **Values.** Each column is profiled ([`crate::profile::Profile`]) on up to 2,000 rows
//!    sampled evenly through the file.
//! 3. **Roles.** Each (column, role) pair gets a score from its header, confirmed or vetoed
//!    by its values; columns whose headers say nothing can still win a role on values alone
//!    (a column of dates, of amounts, of company-like names). The best pairs are assigned
//!    greedily, one role per column and one column per role.
//! 4. **Kind.** A file that names contracts, tenders or SME status and has no payment date
//!    is a supplier-side input (contracts register, award notices), not a payment ledger.

use anchornet_core::Role;
use serde::Serialize;

use crate::format::{Row, Table};
use crate::mapping::{ColumnRef, Mapping};
use crate::profile::Profile;
use crate::vocab;

/// What an input file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// A payment ledger: one row per payment.
    Payments,
    /// A supplier-side input: contracts register, award notices, vendor list.
    Suppliers,
}

/// One column's role, with how sure the detector is and why.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnRole {
    /// 0-based column index.
    pub column: usize,
    /// The header text (or `column N` when headerless).
    pub header: String,
    /// The role.
    pub role: Role,
    /// 0..=1.
    pub confidence: f32,
    /// The evidence, for `--explain`.
    pub evidence: String,
}

/// The detected (or mapped) layout of one table.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// Index into the table's rows of the header row; `None` when headerless.
    pub header_index: Option<usize>,
    /// Physical line of the header row.
    pub header_line: Option<u64>,
    /// Header text per column (`column N` for blanks or headerless files).
    pub headers: Vec<String>,
    /// Payments or suppliers.
    pub kind: InputKind,
    /// Assigned roles, in column order.
    pub roles: Vec<ColumnRole>,
    /// Up to three sample values per column.
    pub samples: Vec<Vec<String>>,
}

/// Layout detection failed: the required roles could not be found with confidence.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct DetectError {
    /// Full explanation: headers, what was found, what is missing, how to fix.
    pub message: String,
    /// The required roles no column was found for (`date`, `supplier_name`…); empty when
    /// the failure is a mapping file's mistake.
    pub missing: Vec<String>,
    /// What detection did find (header row, each column's role and samples), for the
    /// explain table; `None` when a mapping file could not be applied.
    pub detection: Option<Box<Detection>>,
}

impl DetectError {
    fn mapping(message: String) -> DetectError {
        DetectError {
            message,
            missing: Vec::new(),
            detection: None,
        }
    }
}

impl Detection {
    /// Column index of a role.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().find(|r| r.role == role).map(|r| r.column)
    }

    /// Header text of column `i`.
    pub fn header(&self, i: usize) -> String {
        self.headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    }

    /// The explain table: kind and header row, then one line per column with its role,
    /// confidence, evidence and sample values (what `anchornet ingest --explain` prints).
    pub fn explain_table(&self) -> String {
        use std::fmt::Write;
        let mut o = String::new();
        let kind = match self.kind {
            InputKind::Payments => "payments",
            InputKind::Suppliers => "suppliers",
        };
        let _ = match self.header_line {
            Some(l) => writeln!(o, "  kind: {kind}; header row: line {l}"),
            None => writeln!(o, "  kind: {kind}; no header row"),
        };
        let _ = writeln!(
            o,
            "  {:>3}  {:<34} {:<22} {:>5}  evidence / samples",
            "col", "header", "role", "conf"
        );
        for (i, h) in self.headers.iter().enumerate() {
            let samples = self
                .samples
                .get(i)
                .map(|v| v.join(" | "))
                .unwrap_or_default();
            let _ = match self.roles.iter().find(|r| r.column == i) {
                Some(r) => writeln!(
                    o,
                    "  {:>3}  {:<34} {:<22} {:>5.2}  {}; e.g. {}",
                    i + 1,
                    shorten(h, 34),
                    r.role.name(),
                    r.confidence,
                    r.evidence,
                    shorten(&samples, 60)
                ),
                None => writeln!(
                    o,
                    "  {:>3}  {:<34} {:<22} {:>5}  e.g. {}",
                    i + 1,
                    shorten(h, 34),
                    "-",
                    "",
                    shorten(&samples, 60)
                ),
            };
        }
        o
    }

    /// A short signature of the layout: kind and the roles found, e.g.
    /// `payments: date=Payment Date, net_amount=Net Amount, supplier_name=Supplier Name`.
    pub fn summary(&self) -> String {
        let key = [
            Role::Date,
            Role::NetAmount,
            Role::Amount,
            Role::GrossAmount,
            Role::SupplierName,
        ];
        let mut parts: Vec<String> = self
            .roles
            .iter()
            .filter(|r| key.contains(&r.role))
            .map(|r| format!("{}={}", r.role.name(), r.header))
            .collect();
        parts.insert(0, format!("{} cols", self.headers.len()));
        parts.join(", ")
    }
}

fn is_header_like(row: &Row) -> (usize, usize) {
    let mut matches = 0;
    let mut text = 0;
    for c in &row.cells {
        let n = vocab::normalise(c);
        if n.is_empty() {
            continue;
        }
        let numeric = anchornet_core::Pence::parse(c).is_ok()
            || anchornet_core::PaymentDate::parse(c).is_ok();
        if !numeric {
            text += 1;
        }
        if !numeric && Role::ALL.iter().any(|r| vocab::score(*r, &n) >= 0.5) {
            matches += 1;
        }
    }
    (matches, text)
}

/// Find the header row among the first rows.
pub fn find_header(rows: &[Row]) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None; // (idx, matches, text)
    for (i, r) in rows.iter().enumerate().take(40) {
        if r.is_blank() {
            continue;
        }
        let (m, t) = is_header_like(r);
        if m >= 2 && best.is_none_or(|(_, bm, bt)| m > bm || (m == bm && t > bt)) {
            best = Some((i, m, t));
        }
    }
    best.map(|b| b.0).or_else(|| text_header_over_data(rows))
}

/// Fallback for headers in no known vocabulary (`Nstrg(T),Cipfsubj(T),…`): the first
/// non-blank row is a header if it is all text and the next row has dates or amounts, or if
/// it is the only row (a file with a header and no data yet).
fn text_header_over_data(rows: &[Row]) -> Option<usize> {
    let mut it = rows.iter().enumerate().filter(|(_, r)| !r.is_blank());
    let (i, first) = it.next()?;
    let next = it.next().map(|(_, r)| r);
    let is_value = |c: &str| {
        anchornet_core::Pence::parse(c).is_ok() || anchornet_core::PaymentDate::parse(c).is_ok()
    };
    let cells: Vec<&str> = first
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if cells.len() >= 2
        && cells.iter().all(|c| !is_value(c))
        && next.is_none_or(|n| n.cells.iter().any(|c| is_value(c.trim())))
    {
        Some(i)
    } else {
        None
    }
}

fn sample_rows(rows: &[Row], start: usize, n: usize) -> Vec<&Row> {
    let data: Vec<&Row> = rows[start..].iter().filter(|r| !r.is_blank()).collect();
    if data.len() <= n {
        return data;
    }
    (0..n).map(|i| data[sample_index(i, data.len())]).collect()
}

/// Value-based multiplier for a header-suggested role; `None` vetoes the pair.
fn confirm(role: Role, hs: f32, p: &Profile) -> Option<(f32, String)> {
    if p.nonempty == 0 {
        // An empty column can hold a role only on a strong header (e.g. all-blank company numbers).
        return if hs >= 0.9 {
            Some((0.6, "column is empty in the sample".into()))
        } else {
            None
        };
    }
    let pct = |n| format!("{:.0}%", 100.0 * p.rate(n));
    match role {
        Role::Date => {
            let r = p.rate(p.dates);
            if r >= 0.5 {
                Some((1.0, format!("{} of values are dates", pct(p.dates))))
            } else if hs >= 0.9 {
                Some((
                    0.7,
                    format!(
                        "only {} of values are single dates ({} are periods)",
                        pct(p.dates),
                        pct(p.periods)
                    ),
                ))
            } else {
                None
            }
        }
        Role::NetAmount | Role::GrossAmount | Role::Vat | Role::Amount => {
            let r = p.rate(p.money);
            if r >= 0.6 {
                Some((1.0, format!("{} of values are amounts", pct(p.money))))
            } else if hs >= 0.9 {
                Some((0.7, format!("only {} of values are amounts", pct(p.money))))
            } else {
                None
            }
        }
        Role::SupplierName => {
            if p.rate(p.uris) > 0.5 || p.rate(p.alpha) < 0.3 {
                None
            } else {
                Some((1.0, format!("{} of values are names", pct(p.alpha))))
            }
        }
        Role::Body => {
            if p.rate(p.uris) > 0.5 {
                Some((0.3, "values are URIs".into()))
            } else {
                Some((1.0, String::new()))
            }
        }
        Role::SupplierPostcode => {
            if p.nonempty >= 10 && p.rate(p.postcodes) < 0.2 {
                None
            } else {
                Some((1.0, format!("{} of values are postcodes", pct(p.postcodes))))
            }
        }
        Role::ProclassCode => {
            // A header naming ProClass is not enough: the values must be its codes too
            // (placeholders such as Trafford's `NA` for "Not Classified" aside).
            let r = p.rate_given(p.proclass);
            if r >= 0.8 {
                Some((
                    1.0,
                    format!("{:.0}% of given values are ProClass codes", 100.0 * r),
                ))
            } else {
                None
            }
        }
        Role::SmeFlag => {
            if p.rate(p.yesno) >= 0.5 {
                Some((1.0, format!("{} of values are yes/no", pct(p.yesno))))
            } else {
                Some((0.5, "values are not yes/no".into()))
            }
        }
        _ => Some((1.0, String::new())),
    }
}

/// Roles a column can take on its values alone, with a score below any good header's.
fn value_only(p: &Profile) -> Vec<(Role, f32, String)> {
    let mut v = Vec::new();
    if p.nonempty < 3 {
        return v;
    }
    let pct = |n| format!("{:.0}%", 100.0 * p.rate(n));
    if p.rate(p.dates) >= 0.8 {
        v.push((
            Role::Date,
            0.45,
            format!("no telling header; {} of values are dates", pct(p.dates)),
        ));
    }
    let id_like = p.rate(p.integers) > 0.9 && p.mean_len >= 6.0;
    if p.rate(p.money) >= 0.95 && p.rate(p.decimals) >= 0.2 && !id_like {
        v.push((
            Role::Amount,
            0.4,
            format!(
                "no telling header; {} of values are amounts with pence",
                pct(p.decimals)
            ),
        ));
    }
    if p.rate(p.alpha) >= 0.9 && p.rate(p.orgish) >= 0.15 && p.rate(p.uris) < 0.1 {
        v.push((
            Role::SupplierName,
            0.3 + 0.2 * p.rate(p.orgish),
            format!(
                "no telling header; {} of values look like organisation names",
                pct(p.orgish)
            ),
        ));
    }
    if p.rate(p.postcodes) >= 0.8 {
        v.push((
            Role::SupplierPostcode,
            0.5,
            format!("{} of values are postcodes", pct(p.postcodes)),
        ));
    }
    if p.rate(p.caprev) >= 0.9 {
        v.push((
            Role::CapitalRevenue,
            0.5,
            "values are Capital/Revenue".into(),
        ));
    }
    v
}

const REGISTER_WORDS: [&str; 12] = [
    "contract",
    "tender",
    "notice",
    "sme",
    "awarded",
    "ojeu",
    "cpv",
    "framework",
    "lot",
    "expiry",
    "extension",
    "procurement",
];

/// Words of the business-rates regime (National Non-Domestic Rates, Local Government Finance
/// Act 1988; the Valuation Office Agency's rating list): a file whose headers use two of
/// them is a ratepayers list, one row per rated property and its ratepayer. Long words are
/// found inside run-together headers too (`LASTRATEABLEVALUE2017`).
const RATES_WORDS: [&str; 5] = [
    "rateable",
    "ratepayer",
    // liable, liability, and the abbreviation `LiabStart`.
    "liab",
    "relief",
    "exemption",
];
/// Header words of map coordinates (registers give a latitude and longitude, or an OS grid
/// easting and northing, beside the postcode).
const COORDINATE_WORDS: [&str; 7] = [
    "latitude",
    "longitude",
    "lat",
    "long",
    "lng",
    "easting",
    "northing",
];

/// Short rates words, matched as whole words only (`RV`, `VOA code`, `SBRR`, `NDR`).
const RATES_SHORT: [&str; 5] = ["rv", "voa", "sbrr", "ndr", "nndr"];

fn squash(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many headers speak the business-rates vocabulary.
fn rates_signals(headers: &[String]) -> usize {
    headers
        .iter()
        .filter(|h| {
            let sq = squash(h);
            RATES_WORDS.iter().any(|w| sq.contains(w))
                || vocab::normalise(h)
                    .split(' ')
                    .any(|w| RATES_SHORT.contains(&w))
        })
        .count()
}

/// In a ratepayers list, the header that names the ratepayer: the liable party or the
/// account holder (`Primary Liable party name`, `PRIMARYLIABLEPARTYNAME`, `AccountName`,
/// `account_holder1`). In a payment ledger "Account Name" is a ledger account, so this
/// is asked only of a ratepayers list.
fn ratepayer_score(h: &str) -> f32 {
    let sq = squash(h);
    if [
        "contact",
        "add",
        "address",
        "mailing",
        "type",
        "category",
        "code",
        "reference",
        "number",
    ]
    .iter()
    .any(|w| sq.contains(w))
    {
        // `PRIMARYLIABLEPARTYCONTACTADD`, `RatepayerType(Company/Person)`: about the
        // ratepayer, not its name.
        0.0
    } else if [
        "ratepayer",
        "liableparty",
        "liablename",
        "accountholder",
        "holdername",
    ]
    .iter()
    .any(|w| sq.contains(w))
    {
        0.95
    } else if sq.starts_with("accountname") || sq == "organisationname" {
        // The account is the ratepayer's; an organisation named in a rates list is the
        // ratepayer unless a liable party is named (which scores higher, leaving the
        // organisation to be the publishing body, as in `Organisation name,Organisation
        // code,…,Primary Liable party name`).
        0.9
    } else {
        0.0
    }
}

/// Detect the layout of a table, applying a mapping file if given.
pub fn detect(table: &Table, mapping: Option<&Mapping>) -> Result<Detection, DetectError> {
    let rows = &table.rows;
    let header_index = match mapping.and_then(|m| m.header_line) {
        Some(0) => None,
        Some(line) => Some(rows.iter().position(|r| r.line == line).ok_or_else(|| {
            DetectError::mapping(format!(
                "mapping says the header is on line {line}, but the file has no such line"
            ))
        })?),
        None => find_header(rows),
    };
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let start = header_index.map_or(0, |h| h + 1);
    let sample = sample_rows(rows, start, SAMPLE_ROWS);
    detect_parts(rows, header_index, width, &sample, mapping)
}

/// Rows of a table that detection looks at: [`SAMPLE_ROWS`] non-blank data rows spread evenly
/// over the whole table (all of them when there are fewer).
pub const SAMPLE_ROWS: usize = 2000;

/// The index of row `i` of [`SAMPLE_ROWS`] among `n` non-blank data rows, as [`detect`]
/// samples them (every row when `n` is at most [`SAMPLE_ROWS`]).
pub fn sample_index(i: usize, n: usize) -> usize {
    if n <= SAMPLE_ROWS {
        return i;
    }
    let step = n as f64 / SAMPLE_ROWS as f64;
    (i as f64 * step) as usize
}

/// [`detect`] from its parts, for a reader that does not hold the whole table: `head` holds
/// the rows up to the header row (`header_index` into it, as [`find_header`] found it),
/// `width` the most cells of any row of the table, `sample` the sampled data rows
/// ([`sample_index`]).
pub fn detect_parts(
    rows: &[Row],
    header_index: Option<usize>,
    width: usize,
    sample: &[&Row],
    mapping: Option<&Mapping>,
) -> Result<Detection, DetectError> {
    let headers: Vec<String> = (0..width)
        .map(|i| {
            let h = header_index
                .map(|hi| rows[hi].cell(i).trim().to_string())
                .unwrap_or_default();
            if h.is_empty() {
                format!("column {}", i + 1)
            } else {
                h
            }
        })
        .collect();
    let profiles: Vec<Profile> = (0..width)
        .map(|i| Profile::of(sample.iter().map(|r| r.cell(i))))
        .collect();
    let samples: Vec<Vec<String>> = (0..width)
        .map(|i| {
            sample
                .iter()
                .map(|r| r.cell(i).trim())
                .filter(|v| !v.is_empty())
                .take(3)
                .map(str::to_string)
                .collect()
        })
        .collect();

    let rates_list = header_index.is_some() && rates_signals(&headers) >= 2;
    // Candidate (score, column, role, evidence).
    let mut cands: Vec<(f32, usize, Role, String)> = Vec::new();
    for (c, p) in profiles.iter().enumerate() {
        let norm = if header_index.is_some() {
            vocab::normalise(&headers[c])
        } else {
            String::new()
        };
        if !norm.is_empty() && !headers[c].starts_with("column ") {
            for &role in Role::ALL.iter() {
                let mut hs = vocab::score(role, &norm);
                if rates_list {
                    // A ratepayers list has no ledger accounts or services; its "account" is
                    // the ratepayer's.
                    match role {
                        Role::ExpenseType | Role::ServiceArea | Role::ExpenseCode => continue,
                        Role::SupplierName => hs = hs.max(ratepayer_score(&headers[c])),
                        _ => {}
                    }
                }
                if hs < 0.3 {
                    continue;
                }
                if role == Role::ProcurementCategory
                    && vocab::score(Role::ProclassCode, &norm) > 0.0
                    && p.rate_given(p.proclass) >= 0.8
                {
                    // `Proclass` over ProClass codes: the code, not the category's label.
                    continue;
                }
                if let Some((m, why)) = confirm(role, hs, p) {
                    let ev = if why.is_empty() {
                        format!("header {:?}", headers[c])
                    } else {
                        format!("header {:?}; {why}", headers[c])
                    };
                    cands.push((hs * (0.5 + 0.5 * m), c, role, ev));
                }
            }
        }
        // Coordinates are decimals too, but never an amount of money.
        let coordinate = norm.split(' ').any(|w| COORDINATE_WORDS.contains(&w));
        for (role, s, why) in value_only(p) {
            if !(coordinate && role == Role::Amount) {
                cands.push((s, c, role, why));
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut roles: Vec<ColumnRole> = Vec::new();
    // Mapping first: the user is always right.
    if let Some(m) = mapping {
        for (role, cref) in &m.columns {
            let col = match cref {
                ColumnRef::Index(i) => {
                    if *i == 0 || *i > width {
                        return Err(DetectError::mapping(format!(
                            "mapping: {} = {i}: the file has columns 1 to {width}",
                            role.name()
                        )));
                    }
                    i - 1
                }
                ColumnRef::Name(n) => headers
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(n.trim()))
                    .ok_or_else(|| {
                        DetectError::mapping(format!(
                            "mapping: {} = {n:?}: no such header; headers are {}",
                            role.name(),
                            quote_list(&headers)
                        ))
                    })?,
            };
            roles.push(ColumnRole {
                column: col,
                header: headers[col].clone(),
                role: *role,
                confidence: 1.0,
                evidence: "mapping file".into(),
            });
        }
    }
    for (score, c, role, ev) in cands {
        if roles.iter().any(|r| r.role == role || r.column == c) {
            continue;
        }
        // Net beats a generic amount already found, but both may be kept.
        roles.push(ColumnRole {
            column: c,
            header: headers[c].clone(),
            role,
            confidence: score.min(1.0),
            evidence: ev,
        });
    }
    roles.sort_by_key(|r| r.column);

    let date_header_strength = roles
        .iter()
        .find(|r| r.role == Role::Date)
        .map(|r| vocab::score(Role::Date, &vocab::normalise(&r.header)))
        .unwrap_or(0.0);
    let register_signals = headers
        .iter()
        .filter(|h| {
            let n = vocab::normalise(h);
            n.split(' ').any(|w| REGISTER_WORDS.contains(&w))
        })
        .count();
    let has = |r: Role| roles.iter().any(|x| x.role == r);
    // A list of organisations with no amount and no payment date (a register of
    // co-operatives, a Companies House extract) is supplier-side too; a payment ledger
    // always has an amount.
    let organisation_list = has(Role::SupplierName)
        && ![Role::NetAmount, Role::Amount, Role::GrossAmount]
            .iter()
            .any(|r| has(*r))
        && date_header_strength < 0.9;
    let kind = match mapping.and_then(|m| m.kind) {
        Some(k) => k,
        None if (register_signals >= 2 || rates_list || organisation_list)
            && date_header_strength < 0.9 =>
        {
            InputKind::Suppliers
        }
        None => InputKind::Payments,
    };
    let det = Detection {
        header_index,
        header_line: header_index.map(|i| rows[i].line),
        headers,
        kind,
        roles,
        samples,
    };
    match check_required(&det) {
        Ok(()) => Ok(det),
        Err(mut e) => {
            e.detection = Some(Box::new(det));
            Err(e)
        }
    }
}

/// At most `n` characters, the start replaced by `…` when cut.
fn shorten(s: &str, n: usize) -> String {
    let c = s.chars().count();
    if c <= n {
        s.to_string()
    } else {
        format!("…{}", s.chars().skip(c - n + 1).collect::<String>())
    }
}

fn quote_list(v: &[String]) -> String {
    v.iter()
        .map(|h| format!("{h:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_required(det: &Detection) -> Result<(), DetectError> {
    let mut missing = Vec::new();
    match det.kind {
        InputKind::Payments => {
            if det.column(Role::Date).is_none() {
                missing.push("date");
            }
            if [Role::NetAmount, Role::Amount, Role::GrossAmount]
                .iter()
                .all(|r| det.column(*r).is_none())
            {
                missing.push("amount (net_amount, amount or gross_amount)");
            }
            if det.column(Role::SupplierName).is_none() {
                missing.push("supplier_name");
            }
        }
        InputKind::Suppliers => {
            if det.column(Role::SupplierName).is_none() {
                missing.push("supplier_name");
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let found = if det.roles.is_empty() {
        "nothing".to_string()
    } else {
        det.roles
            .iter()
            .map(|r| format!("{}={:?}", r.role.name(), r.header))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let where_ = match det.header_line {
        Some(l) => format!("header on line {l}"),
        None => "no header row found in the first 40 rows".into(),
    };
    Err(DetectError {
        message: format!(
            "cannot find the {} column with confidence ({where_}). Headers: {}. Found: {found}. \
             Missing: {}. Write a mapping file (TOML) naming the columns, e.g.\n  [columns]\n  {} = \"<header>\"\nand pass it with --mapping.",
            missing.join(", "),
            quote_list(&det.headers),
            missing.join(", "),
            missing[0].split(' ').next().unwrap_or("date"),
        ),
        missing: missing
            .iter()
            .map(|m| m.split(' ').next().unwrap_or(m).to_string())
            .collect(),
        detection: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::delimited::parse_text;

    fn table(text: &str) -> Table {
        Table {
            description: String::new(),
            rows: parse_text(text, b','),
            sheet: None,
        }
    }

    #[test]
    fn header_under_title_rows() {
        let t = table("Spend over 500 May 2022,,\n\nDate,Supplier,Amount\n03/05/2022,ACME LTD,12.50\n04/05/2022,Bolt & Co,3.00\n");
        let d = detect(&t, None).unwrap();
        assert_eq!(d.header_line, Some(3));
        assert_eq!(d.column(Role::Date), Some(0));
        assert_eq!(d.column(Role::SupplierName), Some(1));
        assert_eq!(d.column(Role::Amount), Some(2));
    }

    #[test]
    fn cryptic_headers_fall_back_on_values() {
        let t = table("Nstrg(T),Cipfsubj(T),Xq1,Xq2\nA,B,2022-05-03,ACME SERVICES LTD\nA,B,2022-05-04,BOLT HOMES LIMITED\nC,D,2022-05-05,SMITH & SONS\nC,D,2022-05-05,Kirklees Council\n");
        let t = Table {
            rows: t
                .rows
                .into_iter()
                .map(|mut r| {
                    if r.line > 1 {
                        r.cells.push("12.50".into());
                    } else {
                        r.cells.push("Xq3".into());
                    }
                    r
                })
                .collect(),
            ..t
        };
        let d = detect(&t, None).unwrap();
        assert_eq!(d.column(Role::Date), Some(2));
        assert_eq!(d.column(Role::SupplierName), Some(3));
        assert_eq!(d.column(Role::Amount), Some(4));
    }

    /// A publisher's monthly files were rejected whole: the column whose header says the
    /// figure excludes VAT was taken for the VAT column, so no amount was found. A layout of
    /// the Transparency Code's fields with that header, and the VAT that cannot be recovered.
    #[test]
    fn amount_excludes_vat_header_was_taken_for_the_vat() {
        let t = table(
            "Body Name,Service Area,Expense Type,Payment Date,Transaction Number,Supplier Name,Amount excludes VAT,Irrecoverable VAT\n\
             Example Borough Council,Housing,Repairs,03/05/2022,100231,ACME BUILDERS LTD,1250.00,0.00\n\
             Example Borough Council,Leisure,Equipment,04/05/2022,100232,BOLT & CO,612.40,12.10\n\
             Example Borough Council,Waste,Vehicles,05/05/2022,100233,SMITH HAULAGE LIMITED,-80.00,0.00\n",
        );
        let d = detect(&t, None).unwrap();
        assert_eq!(d.column(Role::NetAmount), Some(6));
        assert_eq!(d.column(Role::Vat), Some(7));
        assert_eq!(d.column(Role::Date), Some(3));
        assert_eq!(d.column(Role::SupplierName), Some(5));
        assert_eq!(d.kind, InputKind::Payments);
    }

    /// A bare `Proclass` header is the code when its values are ProClass codes and the
    /// category when they are labels; an `Expense Code` of six digits stays the expense code.
    /// (Values from Trafford's 2026/27 payments: `191400` "FACILITIES MGT : Lifts", `NA`
    /// "Not Classified", `300000` "MAIL SERVICES"; profit centres 250210, 602020.)
    #[test]
    fn proclass_by_header_and_values() {
        let t = table(
            "Payment Date,Supplier Name,Amount,Proclass,Expense Code\n\
             2026-05-29,VLC (Stairlifts) Limited,742.50,191400,250210\n\
             2026-05-29,George Cox & Sons Ltd,31843.62,NA,990000\n\
             2026-05-29,Royal Mail Group Ltd,52.94,300000,602020\n",
        );
        let d = detect(&t, None).unwrap();
        assert_eq!(d.column(Role::ProclassCode), Some(3));
        assert_eq!(d.column(Role::ProcurementCategory), None);
        assert_eq!(d.column(Role::ExpenseCode), Some(4));
        let t = table(
            "Payment Date,Supplier Name,Amount,Proclass,Expense Code\n\
             2026-05-29,VLC (Stairlifts) Limited,742.50,FACILITIES MGT : Lifts,250210\n\
             2026-05-29,George Cox & Sons Ltd,31843.62,Not Classified,990000\n\
             2026-05-29,Royal Mail Group Ltd,52.94,MAIL SERVICES,602020\n",
        );
        let d = detect(&t, None).unwrap();
        assert_eq!(d.column(Role::ProclassCode), None);
        assert_eq!(d.column(Role::ProcurementCategory), Some(3));
        assert_eq!(d.column(Role::ExpenseCode), Some(4));
    }

    #[test]
    fn missing_roles_are_explained() {
        let t = table("Foo,Bar\nx,12\n");
        let e = detect(&t, None).unwrap_err().to_string();
        assert!(e.contains("Missing: date"), "{e}");
        assert!(e.contains("\"Foo\""), "{e}");
        assert!(e.contains("--mapping"), "{e}");
    }
}
