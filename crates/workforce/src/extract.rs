//! Workforce extracts: one row per post, anonymised, in any column order and spelling.
//!
//! The layout (docs/employment.md, "Workforce extract layout"): `anchor`, `home postcode`
//! (a full postcode, or a postcode sector such as `M5 4`), `hourly pay` or `annual pay` with
//! `weekly hours`, `contract type`, `SOC 2020 code` or `job title`, `band`, `start date`,
//! `age band`, and optional equality fields (kept, never used or shown). Columns are found by
//! the meaning of their header (the ingest vocabulary's normalisation: case, punctuation and
//! camelCase ignored), then every row is checked: a bad value rejects the row with file,
//! line, column, value and reason (`anchornet_ingest::Issue`), and the file reconciles
//! (rows read = accepted + rejected + blank).

use std::path::Path;

use anchornet_core::{PaymentDate, Pence, Postcode};
use anchornet_ingest::format::Row;
use anchornet_ingest::{Issue, Outcome};

use crate::layout::LayoutField;
use crate::soc::SocCode;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The employing anchor.
    Anchor,
    /// Home postcode or postcode sector.
    Home,
    /// Pay per hour.
    HourlyPay,
    /// Pay per year (for the hours worked).
    AnnualPay,
    /// Contracted hours per week.
    WeeklyHours,
    /// Permanent, fixed term, bank…
    Contract,
    /// SOC 2020 unit group.
    Soc,
    /// Job title.
    JobTitle,
    /// Band or grade.
    Band,
    /// Start date in the post.
    StartDate,
    /// Age band, e.g. `25-34`.
    AgeBand,
}

impl LayoutField for Field {
    const ALL: &'static [Field] = &[
        Field::Anchor,
        Field::Home,
        Field::HourlyPay,
        Field::AnnualPay,
        Field::WeeklyHours,
        Field::Contract,
        Field::Soc,
        Field::JobTitle,
        Field::Band,
        Field::StartDate,
        Field::AgeBand,
    ];

    fn phrases(self) -> &'static [&'static str] {
        match self {
            Field::Anchor => &[
                "anchor",
                "employer",
                "organisation",
                "organization",
                "employing organisation",
                "trust",
                "anchor institution",
            ],
            Field::Home => &[
                "home postcode",
                "postcode",
                "post code",
                "home postcode sector",
                "postcode sector",
                "residence postcode",
                "home post code",
            ],
            Field::HourlyPay => &[
                "hourly pay",
                "hourly rate",
                "pay per hour",
                "rate per hour",
                "basic hourly rate",
                "hourly pay gbp",
            ],
            Field::AnnualPay => &[
                "annual pay",
                "annual salary",
                "salary",
                "basic annual pay",
                "annual basic pay",
                "gross annual pay",
                "annual pay gbp",
                "pay per year",
            ],
            Field::WeeklyHours => &[
                "weekly hours",
                "contracted hours",
                "hours per week",
                "contracted weekly hours",
                "hours",
            ],
            Field::Contract => &[
                "contract type",
                "contract",
                "employment type",
                "type of contract",
            ],
            Field::Soc => &["soc 2020", "soc2020", "soc code", "soc", "soc 2020 code"],
            Field::JobTitle => &[
                "job title",
                "title",
                "post title",
                "position title",
                "job role",
                "role",
            ],
            Field::Band => &["band", "grade", "pay band", "afc band", "pay grade"],
            Field::StartDate => &[
                "start date",
                "date started",
                "hire date",
                "date of hire",
                "date joined",
                "start date in post",
            ],
            Field::AgeBand => &["age band", "age group", "age range", "age"],
        }
    }

    fn vetoed(self, words: &[&str]) -> bool {
        // A workplace's postcode is not where someone lives.
        self == Field::Home
            && words
                .iter()
                .any(|w| ["work", "workplace", "site", "office", "base", "employer"].contains(w))
    }

    fn label(self) -> &'static str {
        match self {
            Field::Anchor => "anchor",
            Field::Home => "home postcode",
            Field::HourlyPay => "hourly pay",
            Field::AnnualPay => "annual pay",
            Field::WeeklyHours => "weekly hours",
            Field::Contract => "contract type",
            Field::Soc => "SOC 2020 code",
            Field::JobTitle => "job title",
            Field::Band => "band",
            Field::StartDate => "start date",
            Field::AgeBand => "age band",
        }
    }
}

/// Which column holds each field of a workforce extract.
pub type Layout = crate::layout::Layout<Field>;

impl Layout {
    /// What is missing for a usable extract.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.get(Field::Anchor).is_none() {
            m.push("anchor");
        }
        if self.get(Field::Home).is_none() {
            m.push("home postcode");
        }
        if self.get(Field::HourlyPay).is_none() && self.get(Field::AnnualPay).is_none() {
            m.push("hourly pay or annual pay");
        }
        if self.get(Field::WeeklyHours).is_none() {
            m.push("weekly hours");
        }
        if self.get(Field::Soc).is_none() && self.get(Field::JobTitle).is_none() {
            m.push("SOC 2020 code or job title");
        }
        if self.get(Field::StartDate).is_none() {
            m.push("start date");
        }
        m
    }
}

/// Where someone lives, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// A full postcode.
    Postcode(Postcode),
    /// A postcode sector (`M5 4`): enough for nothing finer than the sector.
    Sector(String),
}

/// Pay as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pay {
    /// Pence per hour.
    Hourly(Pence),
    /// Pence per year for the weekly hours worked.
    Annual(Pence),
}

/// One post.
#[derive(Debug, Clone)]
pub struct Post {
    /// File it came from.
    pub file: String,
    /// Line in that file.
    pub line: u64,
    /// Employing anchor.
    pub anchor: String,
    /// Home.
    pub home: Home,
    /// Pay.
    pub pay: Pay,
    /// Contracted weekly hours in hundredths (37.5 h → 3750).
    pub hours_x100: u32,
    /// Contract type as written.
    pub contract: String,
    /// SOC 2020 code when given.
    pub soc: Option<SocCode>,
    /// Job title when given.
    pub title: String,
    /// Band or grade as written.
    pub band: String,
    /// Start date in post.
    pub start: PaymentDate,
    /// The lowest age of the age band (`18-20` → 18), when given.
    pub age_from: Option<u8>,
}

/// One file read.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ExtractReport {
    /// File name.
    pub file: String,
    /// Columns found: `field ← header`.
    pub layout: String,
    /// Data rows read (after the header).
    pub rows_read: u64,
    /// Rows accepted.
    pub accepted: u64,
    /// Blank rows skipped.
    pub blank: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Why the file could not be used at all.
    pub error: Option<String>,
}

/// A weekly-hours value in hundredths of an hour (`37.5` → 3750), 0 < h ≤ 100.
fn parse_hours(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
    {
        return Err("not a number of hours (up to two decimals)".into());
    }
    let w: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "too large")?
    };
    let f: u32 = format!("{frac:0<2}").parse().unwrap_or(0);
    let h = w * 100 + f;
    if h == 0 || h > 100 * 100 {
        return Err("weekly hours must be more than 0 and at most 100".into());
    }
    Ok(h)
}

fn parse_home(s: &str) -> Result<Home, String> {
    if let Ok(p) = Postcode::parse(s) {
        return Ok(Home::Postcode(p));
    }
    // A sector: the outward code, a space, one digit.
    let t = s.trim().to_ascii_uppercase();
    let parts: Vec<&str> = t.split_whitespace().collect();
    if parts.len() == 2
        && anchornet_core::postcode::is_valid_outward(parts[0])
        && parts[1].len() == 1
        && parts[1].bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(Home::Sector(format!("{} {}", parts[0], parts[1])));
    }
    Err("not a UK postcode or postcode sector".into())
}

fn parse_age_from(s: &str) -> Result<Option<u8>, String> {
    let t = s.trim();
    if t.is_empty()
        || t.eq_ignore_ascii_case("prefer not to say")
        || t.eq_ignore_ascii_case("unknown")
    {
        return Ok(None);
    }
    let digits: String = t
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    // "<21", "under 21": below the number given.
    let lower = t.starts_with('<') || t.to_ascii_lowercase().starts_with("under");
    match digits.parse::<u8>() {
        Ok(n) if (14..=100).contains(&n) => Ok(Some(if lower { n.saturating_sub(5) } else { n })),
        _ => Err("not an age band (e.g. 25-34, 65+)".into()),
    }
}

/// Read extract files (CSV, TSV, XLSX, ODS; compressed or not, within the ingest limits).
/// Every row is either a [`Post`] or an [`Issue`].
pub fn read(path: &Path) -> (Vec<Post>, Vec<Issue>, Vec<ExtractReport>) {
    let mut posts = Vec::new();
    let mut issues = Vec::new();
    let mut reports = Vec::new();
    for (name, rows) in crate::layout::open_tables(path, &mut issues) {
        match rows {
            Ok(rows) => read_rows(&name, rows, &mut posts, &mut issues, &mut reports),
            Err(e) => reports.push(ExtractReport {
                file: name,
                error: Some(e),
                ..Default::default()
            }),
        }
    }
    (posts, issues, reports)
}

fn read_rows(
    name: &str,
    rows: Vec<Row>,
    posts: &mut Vec<Post>,
    issues: &mut Vec<Issue>,
    reports: &mut Vec<ExtractReport>,
) {
    let Some(crate::layout::Table {
        header,
        layout,
        mut report,
        rows: it,
    }) = crate::layout::table(
        name,
        "workforce extract",
        rows,
        |l: &Layout| l.missing(),
        issues,
        reports,
    )
    else {
        return;
    };
    let col = |f: Field| layout.get(f);
    for r in it {
        report.rows_read += 1;
        if r.is_blank() {
            report.blank += 1;
            continue;
        }
        let cell = |f: Field| col(f).map(|i| r.cell(i).trim()).unwrap_or("");
        let reject = |f: Field, problem: String| Issue {
            file: name.into(),
            line: r.line,
            column: col(f)
                .map(|i| header.cell(i).to_string())
                .unwrap_or_else(|| f.label().into()),
            value: cell(f).to_string(),
            problem,
            outcome: Outcome::Rejected,
        };
        let post = (|| {
            let anchor = cell(Field::Anchor);
            if anchor.is_empty() {
                return Err(reject(Field::Anchor, "no anchor".into()));
            }
            let home = parse_home(cell(Field::Home)).map_err(|p| reject(Field::Home, p))?;
            let hours =
                parse_hours(cell(Field::WeeklyHours)).map_err(|p| reject(Field::WeeklyHours, p))?;
            let pay = match (cell(Field::HourlyPay), cell(Field::AnnualPay)) {
                (h, _) if !h.is_empty() => Pay::Hourly(
                    Pence::parse(h).map_err(|e| reject(Field::HourlyPay, e.to_string()))?,
                ),
                (_, a) if !a.is_empty() => Pay::Annual(
                    Pence::parse(a).map_err(|e| reject(Field::AnnualPay, e.to_string()))?,
                ),
                _ => return Err(reject(Field::HourlyPay, "no hourly or annual pay".into())),
            };
            let (Pay::Hourly(p) | Pay::Annual(p)) = pay;
            if p.0 <= 0 {
                let f = if matches!(pay, Pay::Hourly(_)) {
                    Field::HourlyPay
                } else {
                    Field::AnnualPay
                };
                return Err(reject(f, "pay must be more than zero".into()));
            }
            let soc = match cell(Field::Soc) {
                "" => None,
                s => Some(SocCode::parse(s).map_err(|e| reject(Field::Soc, e.to_string()))?),
            };
            let title = cell(Field::JobTitle).to_string();
            if soc.is_none() && title.is_empty() {
                return Err(reject(Field::Soc, "no SOC 2020 code or job title".into()));
            }
            let start = PaymentDate::parse(cell(Field::StartDate))
                .map_err(|e| reject(Field::StartDate, e.to_string()))?;
            let age_from =
                parse_age_from(cell(Field::AgeBand)).map_err(|p| reject(Field::AgeBand, p))?;
            Ok(Post {
                file: name.into(),
                line: r.line,
                anchor: anchor.to_string(),
                home,
                pay,
                hours_x100: hours,
                contract: cell(Field::Contract).to_string(),
                soc,
                title,
                band: cell(Field::Band).to_string(),
                start,
                age_from,
            })
        })();
        match post {
            Ok(p) => {
                report.accepted += 1;
                posts.push(p);
            }
            Err(i) => {
                report.rejected += 1;
                issues.push(i);
            }
        }
    }
    reports.push(report);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, cells: &[&str]) -> Row {
        Row {
            line,
            cells: cells.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn layout_is_found_by_meaning_in_any_order_and_spelling() {
        let h: Vec<String> = [
            "Date Started",
            "EmployingOrganisation",
            "Home Post Code",
            "Contracted Hours",
            "Annual Salary (£)",
            "Job Title",
            "AfC Band",
            "Age Group",
            "Ethnicity",
        ]
        .map(String::from)
        .to_vec();
        let l = Layout::detect(&h);
        assert_eq!(l.get(Field::StartDate), Some(0));
        assert_eq!(l.get(Field::Anchor), Some(1));
        assert_eq!(l.get(Field::Home), Some(2));
        assert_eq!(l.get(Field::WeeklyHours), Some(3));
        assert_eq!(l.get(Field::AnnualPay), Some(4));
        assert_eq!(l.get(Field::JobTitle), Some(5));
        assert_eq!(l.get(Field::Band), Some(6));
        assert_eq!(l.get(Field::AgeBand), Some(7));
        assert!(l.missing().is_empty());
        // A workplace postcode alone is not a home postcode.
        let h: Vec<String> = ["Anchor", "Workplace Postcode", "Hourly Rate", "Hours"]
            .map(String::from)
            .to_vec();
        let l = Layout::detect(&h);
        assert_eq!(l.get(Field::Home), None);
        assert!(l.missing().contains(&"home postcode"));
    }

    #[test]
    fn bad_rows_are_rejected_with_where_and_why() {
        let rows = vec![
            row(
                1,
                &[
                    "anchor",
                    "home postcode",
                    "hourly pay",
                    "weekly hours",
                    "soc 2020",
                    "start date",
                    "age band",
                ],
            ),
            row(
                2,
                &[
                    "A",
                    "M5 4WT",
                    "12.00",
                    "37.5",
                    "6131",
                    "2025-06-01",
                    "25-34",
                ],
            ),
            row(
                3,
                &[
                    "A",
                    "not a postcode",
                    "12.00",
                    "37.5",
                    "6131",
                    "2025-06-01",
                    "25-34",
                ],
            ),
            row(
                4,
                &["A", "M5 4", "twelve", "37.5", "6131", "2025-06-01", "25-34"],
            ),
            row(
                5,
                &["A", "M5 4", "12.00", "0", "6131", "2025-06-01", "25-34"],
            ),
            row(
                6,
                &["A", "M5 4", "12.00", "37.5", "613", "2025-06-01", "25-34"],
            ),
            row(
                7,
                &["", "M5 4", "12.00", "37.5", "6131", "2025-06-01", "25-34"],
            ),
            row(
                8,
                &["A", "M5 4", "12.00", "37.5", "6131", "31/02/2025", "25-34"],
            ),
            row(9, &["", "", "", "", "", "", ""]),
        ];
        let (mut posts, mut issues, mut reports) = (Vec::new(), Vec::new(), Vec::new());
        read_rows("x.csv", rows, &mut posts, &mut issues, &mut reports);
        let r = &reports[0];
        assert_eq!((r.rows_read, r.accepted, r.rejected, r.blank), (8, 1, 6, 1));
        let got: Vec<(u64, &str, &str)> = issues
            .iter()
            .map(|i| (i.line, i.column.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "home postcode", "not a postcode"),
                (4, "hourly pay", "twelve"),
                (5, "weekly hours", "0"),
                (6, "soc 2020", "613"),
                (7, "anchor", ""),
                (8, "start date", "31/02/2025")
            ]
        );
        assert_eq!(posts[0].hours_x100, 3750);
        assert_eq!(posts[0].age_from, Some(25));
    }
}
