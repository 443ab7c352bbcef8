//! The breakdowns, as plain tables: built once here, written by [`crate::csv_set`] as one CSV
//! each and by [`crate::xlsx`] as one sheet each, so the two always hold the same figures.

use anchornet_core::Pence;
use anchornet_metrics::share::ratio;
use anchornet_metrics::{Analysis, Figures, Share};

use crate::definitions::METRICS;
use crate::fmt::months;
use crate::input::ReportInput;

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Int(i64),
    /// Money, in pence.
    Money(i64),
    /// A fraction (0.182 = 18.2%), or nothing when undefined (no base).
    Pct(Option<f64>),
    /// A plain number, or nothing.
    Num(Option<f64>),
}

impl Cell {
    /// The value as CSV text: money as exact decimal pounds (`1234.56`), fractions as
    /// percentages to two decimals (`18.23`), undefined as empty.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Money(p) => Pence(*p).to_string(),
            Cell::Pct(Some(x)) if x.is_finite() => format!("{:.2}", x * 100.0),
            Cell::Num(Some(x)) if x.is_finite() => format!("{x:.2}"),
            Cell::Pct(_) | Cell::Num(_) => String::new(),
        }
    }
}

/// One column: its machine name (CSV header), its title (sheet header) and what it holds.
#[derive(Debug, Clone)]
pub struct Column {
    /// `snake_case` name; money columns end `_gbp`, percentages `_pct`.
    pub name: String,
    /// Title for people.
    pub title: String,
    /// What it holds.
    pub meaning: String,
}

impl Column {
    /// A column by its machine name, title and meaning.
    pub fn new(name: &str, title: &str, meaning: &str) -> Column {
        Column {
            name: name.to_string(),
            title: title.to_string(),
            meaning: meaning.to_string(),
        }
    }
}

/// A breakdown.
#[derive(Debug, Clone)]
pub struct Table {
    /// File stem of its CSV (`headline` → `headline.csv`).
    pub file: &'static str,
    /// Sheet name in the workbook (at most 31 characters).
    pub sheet: &'static str,
    /// What a row is.
    pub about: &'static str,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(file: &'static str, sheet: &'static str, about: &'static str) -> Table {
        Table {
            file,
            sheet,
            about,
            columns: Vec::new(),
            rows: Vec::new(),
        }
    }

    fn col(&mut self, name: &str, title: &str, meaning: &str) {
        self.columns.push(Column::new(name, title, meaning));
    }

    /// The index of a column by machine name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn yes_no(b: Option<bool>) -> Cell {
    t(match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    })
}

/// The five shares, with their machine and display names.
const SHARES: [(&str, &str); 5] = [
    ("local", "Local"),
    ("wider", "Wider place"),
    ("deprived", "Deprived (deciles 1–2)"),
    ("sme", "SME"),
    ("vcse", "VCSE"),
];

fn shares_of(f: &Figures) -> [&Share; 5] {
    [&f.local, &f.wider, &f.deprived.share, &f.sme, &f.vcse]
}

fn share_columns(tb: &mut Table) {
    for (k, title) in SHARES {
        tb.col(
            &format!("{k}_gbp"),
            &format!("{title} £"),
            &format!("Influenceable spend passing the {title} test."),
        );
        tb.col(
            &format!("{k}_known_gbp"),
            &format!("{title}: known £"),
            "Influenceable spend for which the test could be made (located, size or type known).",
        );
        tb.col(
            &format!("{k}_pct_of_known"),
            &format!("{title} % of known"),
            "Share of the known spend.",
        );
        tb.col(
            &format!("{k}_pct_of_all"),
            &format!("{title} % of all"),
            "Share of all influenceable spend (unknowns count as not passing).",
        );
        tb.col(
            &format!("{k}_coverage_pct"),
            &format!("{title} coverage %"),
            "Known spend as a share of influenceable spend.",
        );
    }
}

fn share_cells(row: &mut Vec<Cell>, f: &Figures) {
    for s in shares_of(f) {
        row.push(Cell::Money(s.matched));
        row.push(Cell::Money(s.known));
        row.push(Cell::Pct(s.of_known()));
        row.push(Cell::Pct(s.of_all()));
        row.push(Cell::Pct(s.coverage()));
    }
}

fn fy_str(fy: &Option<anchornet_core::FinancialYear>) -> String {
    fy.map(|y| y.to_string()).unwrap_or_default()
}

/// Every breakdown, in sheet order, ending with the definitions.
pub fn all(input: &ReportInput) -> Vec<Table> {
    let a = input.analysis;
    let mut v = vec![
        headline(a),
        year_coverage(a),
        categories(a),
        deciles(a),
        leakage(a),
        exclusions(a),
        top_suppliers(a),
        year_on_year(a),
        checks(a),
        files(input),
        suppliers(input),
        location_sources(input),
        head_offices(input),
        map_spend(input),
    ];
    let d = definitions(&v);
    v.push(d);
    v
}

/// Headline figures per scope (network, each anchor) and financial year.
pub fn headline(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "headline",
        "Headline",
        "one scope (the network or an anchor) in one financial year",
    );
    tb.col("scope", "Scope", "`network` or the anchor's name.");
    tb.col(
        "financial_year",
        "Financial year",
        "1 April – 31 March, e.g. 2021/22.",
    );
    tb.col(
        "covers",
        "Covers",
        "For the network: the anchors with payments that year. For an anchor: the months with payments.",
    );
    tb.col("payments", "Payments", "Accepted payments.");
    tb.col(
        "total_gbp",
        "Total £",
        "Total spend: every accepted payment.",
    );
    tb.col(
        "excluded_gbp",
        "Excluded £",
        "Removed by the exclusion rules.",
    );
    tb.col(
        "influenceable_payments",
        "Influenceable payments",
        "Payments not excluded.",
    );
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Total minus excluded.",
    );
    share_columns(&mut tb);
    tb.col(
        "suppliers",
        "Suppliers",
        "Distinct suppliers paid influenceable spend.",
    );
    tb.col(
        "top10_pct",
        "Top-10 share %",
        "Share of influenceable spend with the ten largest suppliers.",
    );
    tb.col("hhi", "HHI", "Herfindahl–Hirschman index, 0–10,000.");
    for sf in &a.figures {
        let f = &sf.figures;
        let fy = fy_str(&sf.fy);
        let cov = a.years.iter().find(|y| y.fy == fy);
        let covers = if sf.scope.is_network() {
            cov.map(|y| {
                y.anchors
                    .iter()
                    .map(|x| x.anchor.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        } else {
            cov.and_then(|y| y.anchors.iter().find(|x| sf.scope == x.anchor.as_str()))
                .map(|x| months(&x.months))
        };
        let excluded: i64 = f.influenceable.removed.iter().map(|r| r.pence).sum();
        let mut row = vec![
            t(sf.scope.to_string()),
            t(fy),
            t(covers.unwrap_or_default()),
            Cell::Int(f.total.rows as i64),
            Cell::Money(f.total.pence),
            Cell::Money(excluded),
            Cell::Int(f.influenceable.rows as i64),
            Cell::Money(f.influenceable.pence),
        ];
        share_cells(&mut row, f);
        row.push(Cell::Int(f.concentration.suppliers as i64));
        row.push(Cell::Pct(f.concentration.top10_share));
        row.push(Cell::Num(f.concentration.hhi));
        tb.rows.push(row);
    }
    tb
}

/// Which anchors and months each financial year covers.
pub fn year_coverage(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "year_coverage",
        "Year coverage",
        "one anchor in one financial year (anchors with no payments in a year are listed as not covered)",
    );
    tb.col("financial_year", "Financial year", "The year.");
    tb.col("anchor", "Anchor", "The anchor.");
    tb.col(
        "covered",
        "Covered",
        "`yes` when the anchor has payments in the year, so the network figure includes it.",
    );
    tb.col(
        "months",
        "Months",
        "Number of months (of 12) with at least one payment.",
    );
    tb.col("which_months", "Which months", "The months with payments.");
    tb.col("payments", "Payments", "Accepted payments in the year.");
    for y in &a.years {
        for x in &a.anchors {
            match y.anchors.iter().find(|c| c.anchor == x.name) {
                Some(c) => tb.rows.push(vec![
                    t(y.fy.clone()),
                    t(x.name.clone()),
                    t("yes"),
                    Cell::Int(c.months.len() as i64),
                    t(months(&c.months)),
                    Cell::Int(c.rows as i64),
                ]),
                None => tb.rows.push(vec![
                    t(y.fy.clone()),
                    t(x.name.clone()),
                    t("no"),
                    Cell::Int(0),
                    t(""),
                    Cell::Int(0),
                ]),
            }
        }
    }
    tb
}

/// Every category of every scope and year.
pub fn categories(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "categories",
        "Categories",
        "one category within one scope and financial year",
    );
    tb.col("scope", "Scope", "`network` or the anchor's name.");
    tb.col("financial_year", "Financial year", "The year.");
    tb.col(
        "category",
        "Category",
        "Expense type or procurement category as published.",
    );
    tb.col("payments", "Payments", "Accepted payments.");
    tb.col("total_gbp", "Total £", "Total spend in the category.");
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Influenceable spend in the category.",
    );
    share_columns(&mut tb);
    tb.col(
        "suppliers",
        "Suppliers",
        "Distinct suppliers paid influenceable spend.",
    );
    for c in &a.categories {
        let f = &c.figures;
        let mut row = vec![
            t(c.scope.to_string()),
            t(fy_str(&c.fy)),
            t(c.category.clone()),
            Cell::Int(f.total.rows as i64),
            Cell::Money(f.total.pence),
            Cell::Money(f.influenceable.pence),
        ];
        share_cells(&mut row, f);
        row.push(Cell::Int(f.concentration.suppliers as i64));
        tb.rows.push(row);
    }
    tb
}

/// The decile distribution of influenceable spend per scope and year.
pub fn deciles(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "deciles",
        "Deprivation deciles",
        "one deprivation decile (or `unknown`) within one scope and financial year",
    );
    tb.col("scope", "Scope", "`network` or the anchor's name.");
    tb.col("financial_year", "Financial year", "The year.");
    tb.col(
        "decile",
        "Decile",
        "1 = most deprived 10% of neighbourhoods in England … 10 = least; `unknown` = no decile (not located, or outside England).",
    );
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Influenceable spend with suppliers in that decile.",
    );
    tb.col(
        "pct_of_influenceable",
        "% of influenceable",
        "Share of the scope's influenceable spend.",
    );
    for sf in &a.figures {
        let d = &sf.figures.deprived;
        let base = sf.figures.influenceable.pence;
        let fy = fy_str(&sf.fy);
        for (i, p) in d.by_decile.iter().enumerate() {
            tb.rows.push(vec![
                t(sf.scope.to_string()),
                t(fy.clone()),
                t((i + 1).to_string()),
                Cell::Money(*p),
                Cell::Pct(ratio(*p, base)),
            ]);
        }
        tb.rows.push(vec![
            t(sf.scope.to_string()),
            t(fy),
            t("unknown"),
            Cell::Money(d.unknown),
            Cell::Pct(ratio(d.unknown, base)),
        ]);
    }
    tb
}

fn named_amounts(v: &[(String, i64)]) -> String {
    v.iter()
        .map(|(n, p)| format!("{n}: {}", Pence(*p).to_pounds_string()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Network leakage by category per year.
pub fn leakage(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "leakage",
        "Leakage",
        "one category of the network's influenceable spend in one financial year, largest leak first",
    );
    tb.col("financial_year", "Financial year", "The year.");
    tb.col("category", "Category", "The category.");
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Influenceable spend in the category.",
    );
    tb.col(
        "local_gbp",
        "Local £",
        "With suppliers located in the local place.",
    );
    tb.col(
        "leaked_gbp",
        "Leaked £",
        "With suppliers located outside the local place.",
    );
    tb.col(
        "not_located_gbp",
        "Not located £",
        "With suppliers not located (not counted as leaked).",
    );
    tb.col(
        "leaked_pct_of_located",
        "Leaked % of located",
        "Leaked ÷ (local + leaked).",
    );
    tb.col(
        "local_supplier_count",
        "Local suppliers paid",
        "Local suppliers the network already pays in the category.",
    );
    tb.col(
        "local_suppliers",
        "Largest local suppliers",
        "Up to five of them, largest first, with their influenceable spend in the category.",
    );
    for yl in &a.leakage {
        for r in &yl.rows {
            tb.rows.push(vec![
                t(yl.fy.clone()),
                t(r.category.clone()),
                Cell::Money(r.influenceable),
                Cell::Money(r.local),
                Cell::Money(r.leaked),
                Cell::Money(r.unknown),
                Cell::Pct(ratio(r.leaked, r.local + r.leaked)),
                Cell::Int(r.local_supplier_count as i64),
                t(named_amounts(&r.local_suppliers)),
            ]);
        }
    }
    tb
}

/// What each exclusion rule removed, per scope and year.
pub fn exclusions(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "exclusions",
        "Exclusions",
        "one exclusion rule within one scope and financial year (rules that removed nothing included)",
    );
    tb.col("scope", "Scope", "`network` or the anchor's name.");
    tb.col("financial_year", "Financial year", "The year.");
    tb.col("rule", "Rule", "The rule's id in the rules file.");
    tb.col("reason", "Why", "Why the rule excludes spend.");
    tb.col("payments", "Payments", "Payments removed.");
    tb.col("removed_gbp", "Removed £", "Spend removed.");
    tb.col(
        "largest_suppliers",
        "Largest suppliers removed",
        "Up to five, largest first, with the spend removed (individuals redacted).",
    );
    for sf in &a.figures {
        for r in &sf.figures.influenceable.removed {
            tb.rows.push(vec![
                t(sf.scope.to_string()),
                t(fy_str(&sf.fy)),
                t(r.rule.clone()),
                t(r.reason.clone()),
                Cell::Int(r.rows as i64),
                Cell::Money(r.pence),
                t(named_amounts(&r.largest)),
            ]);
        }
    }
    tb
}

/// The ten largest suppliers per scope and year.
pub fn top_suppliers(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "top_suppliers",
        "Top suppliers",
        "one of the ten largest suppliers of influenceable spend within one scope and financial year",
    );
    tb.col("scope", "Scope", "`network` or the anchor's name.");
    tb.col("financial_year", "Financial year", "The year.");
    tb.col("rank", "Rank", "1 = largest.");
    tb.col(
        "supplier",
        "Supplier",
        "Supplier name (individuals redacted).",
    );
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Influenceable spend with the supplier.",
    );
    tb.col(
        "pct_of_influenceable",
        "% of influenceable",
        "Share of the scope's influenceable spend.",
    );
    tb.col(
        "district",
        "District",
        "Local authority district of the supplier's location; empty when not located.",
    );
    tb.col(
        "local",
        "Local",
        "`yes`/`no` in the local place; `unknown` when not located.",
    );
    tb.col(
        "wider",
        "Wider place",
        "`yes`/`no` in the wider place; `unknown` when not located.",
    );
    for sf in &a.figures {
        let base = sf.figures.influenceable.pence;
        for (i, s) in sf.figures.concentration.top.iter().enumerate() {
            tb.rows.push(vec![
                t(sf.scope.to_string()),
                t(fy_str(&sf.fy)),
                Cell::Int(i as i64 + 1),
                t(s.name.clone()),
                Cell::Money(s.pence),
                Cell::Pct(ratio(s.pence, base)),
                t(s.district.clone().unwrap_or_default()),
                yes_no(s.local),
                yes_no(s.wider),
            ]);
        }
    }
    tb
}

/// Year-on-year changes.
pub fn year_on_year(a: &Analysis) -> Table {
    let mut tb = Table::new(
        "year_on_year",
        "Year on year",
        "one scope between two consecutive financial years",
    );
    tb.col("scope", "Scope", "`network` or the anchor's name.");
    tb.col("from", "From", "Earlier year.");
    tb.col("to", "To", "Later year.");
    tb.col(
        "influenceable_from_gbp",
        "Influenceable £, from",
        "Influenceable spend in the earlier year.",
    );
    tb.col(
        "influenceable_to_gbp",
        "Influenceable £, to",
        "Influenceable spend in the later year.",
    );
    tb.col("change_gbp", "Change £", "Later minus earlier.");
    tb.col(
        "local_pp",
        "Local, pp",
        "Change in local share of all influenceable spend, percentage points.",
    );
    tb.col(
        "wider_pp",
        "Wider place, pp",
        "Change in wider-place share, percentage points.",
    );
    tb.col(
        "deprived_pp",
        "Deprived, pp",
        "Change in deprived-area share, percentage points.",
    );
    tb.col(
        "anchors_covered_differ",
        "Anchors covered differ",
        "`yes` when the network covers different anchors in the two years: the change mixes spending with membership.",
    );
    for c in &a.changes {
        tb.rows.push(vec![
            t(c.scope.to_string()),
            t(c.from.clone()),
            t(c.to.clone()),
            Cell::Money(c.influenceable.0),
            Cell::Money(c.influenceable.1),
            Cell::Money(c.influenceable.1 - c.influenceable.0),
            Cell::Num(c.local_share_pp),
            Cell::Num(c.wider_share_pp),
            Cell::Num(c.deprived_share_pp),
            yes_no(Some(c.coverage_changed)),
        ]);
    }
    tb
}

/// Reconciliation checks.
pub fn checks(a: &Analysis) -> Table {
    let mut tb = Table::new("checks", "Checks", "one reconciliation check");
    tb.col("check", "Check", "What must agree.");
    tb.col("holds", "Holds", "`yes` when it does.");
    for c in &a.checks {
        tb.rows.push(vec![t(c.what.clone()), yes_no(Some(c.ok))]);
    }
    tb
}

/// Input files and what happened to their rows.
pub fn files(input: &ReportInput) -> Table {
    let mut tb = Table::new("files", "Input files", "one input file");
    tb.col("anchor", "Anchor", "The anchor.");
    tb.col("file", "File", "The file as given.");
    tb.col("format", "Read as", "How it was read.");
    tb.col("rows_read", "Rows read", "Data rows read.");
    tb.col("accepted", "Accepted", "Rows accepted.");
    tb.col(
        "skipped",
        "Skipped",
        "Rows that were not data (blank, totals, duplicates).",
    );
    tb.col(
        "duplicates",
        "Duplicates",
        "Of the skipped, duplicates of rows in earlier files.",
    );
    tb.col("rejected", "Rejected", "Data rows that could not be used.");
    tb.col(
        "redacted",
        "Redacted supplier",
        "Accepted rows whose supplier the publisher withheld.",
    );
    tb.col("accepted_gbp", "Accepted £", "Sum of accepted amounts.");
    tb.col(
        "first_date",
        "First date",
        "Earliest accepted payment date.",
    );
    tb.col("last_date", "Last date", "Latest accepted payment date.");
    tb.col(
        "error",
        "Error",
        "Why the file could not be read, when it could not.",
    );
    for f in &input.quality.files {
        let (a, b) = f.dates.clone().unwrap_or_default();
        tb.rows.push(vec![
            t(f.anchor.clone()),
            t(f.file.clone()),
            t(f.format.clone()),
            Cell::Int(f.rows_read as i64),
            Cell::Int(f.accepted as i64),
            Cell::Int(f.skipped as i64),
            Cell::Int(f.duplicates as i64),
            Cell::Int(f.rejected as i64),
            Cell::Int(f.redacted as i64),
            Cell::Money(f.total_pence),
            t(a),
            t(b),
            t(f.error.clone().unwrap_or_default()),
        ]);
    }
    tb
}

/// Supplier resolution counts.
pub fn suppliers(input: &ReportInput) -> Table {
    let mut tb = Table::new(
        "supplier_resolution",
        "Supplier resolution",
        "one supplier-resolution count",
    );
    tb.col("what", "What", "What is counted.");
    tb.col("count", "Count", "How many.");
    tb.col("gbp", "£", "Spend involved, where meaningful.");
    for c in &input.quality.suppliers {
        tb.rows.push(vec![
            t(c.label.clone()),
            Cell::Int(c.count as i64),
            c.pence.map_or(t(""), Cell::Money),
        ]);
    }
    tb
}

/// Location coverage by evidence source.
pub fn location_sources(input: &ReportInput) -> Table {
    let mut tb = Table::new(
        "location_sources",
        "Location sources",
        "one source of supplier locations (or `not located`)",
    );
    tb.col(
        "source",
        "Source",
        "Where the supplier's location came from.",
    );
    tb.col("suppliers", "Suppliers", "Suppliers located by it.");
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Their influenceable spend.",
    );
    tb.col(
        "pct_of_influenceable",
        "% of influenceable",
        "Share of all influenceable spend listed.",
    );
    let all: i64 = input.quality.locations.iter().map(|l| l.pence).sum();
    for l in &input.quality.locations {
        tb.rows.push(vec![
            t(l.source.clone()),
            Cell::Int(l.suppliers as i64),
            Cell::Money(l.pence),
            Cell::Pct(ratio(l.pence, all)),
        ]);
    }
    tb
}

/// Suppliers located at a head office.
pub fn head_offices(input: &ReportInput) -> Table {
    let mut tb = Table::new(
        "head_offices",
        "Head office flags",
        "one supplier located at a registered office that may not be where the work is done",
    );
    tb.col(
        "supplier",
        "Supplier",
        "Supplier name (individuals redacted).",
    );
    tb.col(
        "postcode",
        "Postcode",
        "Postcode used (never shown for individuals).",
    );
    tb.col("district", "District", "District of the postcode.");
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Influenceable spend with the supplier.",
    );
    for h in &input.quality.head_offices {
        tb.rows.push(vec![
            t(h.supplier.clone()),
            t(h.postcode.clone()),
            t(h.district.clone()),
            Cell::Money(h.pence),
        ]);
    }
    tb
}

/// Spend landing in each mapped area.
pub fn map_spend(input: &ReportInput) -> Table {
    let mut tb = Table::new(
        "map_spend",
        "Spend by area",
        "one mapped area of one map, then the map's spend located elsewhere and not located",
    );
    tb.col("map", "Map", "The map's title.");
    tb.col("area_code", "Area code", "LSOA or ward code.");
    tb.col("area_name", "Area name", "Area name.");
    tb.col(
        "decile",
        "Decile",
        "Deprivation decile of the area (1 = most deprived).",
    );
    tb.col(
        "influenceable_gbp",
        "Influenceable £",
        "Influenceable spend with suppliers located in the area.",
    );
    for m in &input.maps {
        let tot = crate::map::totals(m);
        for a in &m.areas {
            tb.rows.push(vec![
                t(m.title.clone()),
                t(a.code.clone()),
                t(a.name.clone()),
                a.decile.map_or(t(""), |d| Cell::Int(d as i64)),
                Cell::Money(m.spend.get(&a.code).copied().unwrap_or(0)),
            ]);
        }
        for (name, p) in [
            ("(located elsewhere)", tot.elsewhere),
            ("(not located)", tot.unlocated),
        ] {
            tb.rows.push(vec![
                t(m.title.clone()),
                t(""),
                t(name),
                t(""),
                Cell::Money(p),
            ]);
        }
    }
    tb
}

/// The figures' definitions, then every column of every other table.
pub fn definitions(tables: &[Table]) -> Table {
    let mut tb = Table::new(
        "definitions",
        "Definitions",
        "one figure's definition, or one column of a sheet / CSV file",
    );
    tb.col(
        "kind",
        "Kind",
        "`figure` for a metric's definition, `column` for a column.",
    );
    tb.col("name", "Name", "The figure, or `sheet / file.csv: column`.");
    tb.col("definition", "Definition", "What it is.");
    tb.col(
        "coverage_or_title",
        "Coverage / title",
        "For a figure, what its coverage is; for a column, its title in the workbook.",
    );
    tb.col(
        "methodology_page",
        "Methodology page",
        "For a figure, its page in the repository.",
    );
    for d in METRICS {
        tb.rows.push(vec![
            t("figure"),
            t(d.metric),
            t(d.definition),
            t(d.coverage),
            t(d.page),
        ]);
    }
    for table in tables {
        tb.rows.push(vec![
            t("sheet"),
            t(format!("{} / {}.csv", table.sheet, table.file)),
            t(format!("One row per {}.", table.about)),
            t(""),
            t(""),
        ]);
        for c in &table.columns {
            tb.rows.push(vec![
                t("column"),
                t(format!("{} / {}.csv: {}", table.sheet, table.file, c.name)),
                t(c.meaning.clone()),
                t(c.title.clone()),
                t(""),
            ]);
        }
    }
    tb
}
