//! The plan file: the network's actions, each with an owner, anchors, a community wealth
//! building pillar, a deadline and a target on a measured indicator (`docs/plan.md`).
//!
//! ```toml
//! name = "Demo network action plan"
//! as_of = "2025/26"            # the year asset figures describe (default: the latest analysed)
//!
//! [[assets]]                    # registers whose figures the asset indicators read
//! anchor = "Trafford Council"
//! registers = ["assets/trafford_land_and_building_assets.csv.xz"]
//! decisions = "asset-decisions.csv"
//!
//! [workforce]                   # extracts whose figures the workforce indicators read
//! extracts = ["workforce/generated_workforce_2023-24.csv.xz"]
//! year = "2023/24"
//!
//! [[action]]
//! id = "P1"
//! title = "Open Salford's quotes under £25k to local firms first"
//! owner = "Head of Procurement, Salford City Council"
//! anchors = ["Salford City Council"]
//! pillar = "progressive-procurement"
//! deadline = "2027/28"
//! target = { indicator = "local_share_of_located", at_least = 40, baseline_year = "2021/22" }
//! ```
//!
//! Unknown keys are errors; so are an unknown indicator or pillar, a target with both or
//! neither of `at_least`/`at_most`, an action id used twice, and a scope that is neither the
//! network nor one of the action's anchors. Each error names the file, and the line and
//! column where TOML can tell.

use std::path::{Path, PathBuf};

use anchornet_core::FinancialYear;
use anchornet_metrics::ScopeName;
use serde::Deserialize;

use crate::indicator::{IndicatorId, Source};

/// The five community wealth building pillars (CLES, *Community wealth building 2019*; the
/// same five in the Preston model): where an action belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pillar {
    /// Progressive procurement of goods and services.
    ProgressiveProcurement,
    /// Fair employment and just labour markets.
    FairEmployment,
    /// Socially productive use of land and property.
    LandAndProperty,
    /// Making financial power work for local places.
    Finance,
    /// Plural ownership of the economy.
    PluralOwnership,
}

impl Pillar {
    /// Every pillar, in CLES's order.
    pub const ALL: [Pillar; 5] = [
        Pillar::ProgressiveProcurement,
        Pillar::FairEmployment,
        Pillar::LandAndProperty,
        Pillar::Finance,
        Pillar::PluralOwnership,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::ProgressiveProcurement => "progressive-procurement",
            Pillar::FairEmployment => "fair-employment",
            Pillar::LandAndProperty => "land-and-property",
            Pillar::Finance => "finance",
            Pillar::PluralOwnership => "plural-ownership",
        }
    }

    /// The name shown.
    pub fn title(self) -> &'static str {
        match self {
            Pillar::ProgressiveProcurement => "Progressive procurement",
            Pillar::FairEmployment => "Fair employment",
            Pillar::LandAndProperty => "Land and property",
            Pillar::Finance => "Finance",
            Pillar::PluralOwnership => "Plural ownership",
        }
    }

    /// Parse a pillar as written (`land and property`, `Land-and-Property`).
    pub fn parse(s: &str) -> Option<Pillar> {
        let k = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Pillar::ALL.into_iter().find(|p| p.as_str() == k)
    }
}

/// Which way a target points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The figure should reach at least the target.
    AtLeast,
    /// The figure should come down to at most the target.
    AtMost,
}

impl Direction {
    /// Whether `v` meets `target`.
    pub fn meets(self, v: f64, target: f64) -> bool {
        match self {
            Direction::AtLeast => v >= target,
            Direction::AtMost => v <= target,
        }
    }

    /// Whether `a` is at least as good as `b`.
    pub fn at_least_as_good(self, a: f64, b: f64) -> bool {
        self.meets(a, b)
    }

    /// `≥` or `≤`.
    pub fn symbol(self) -> &'static str {
        match self {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
        }
    }
}

/// A target on a measured indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The indicator.
    pub indicator: IndicatorId,
    /// Whose figure: the network, or one anchor.
    pub scope: ScopeName,
    /// Which way.
    pub direction: Direction,
    /// The value to reach, in the indicator's unit.
    pub value: f64,
    /// The year the trajectory starts from (default: the first year with a figure).
    pub baseline_year: Option<FinancialYear>,
    /// The baseline value, when the data hold none for the baseline year (asset and
    /// workforce figures exist only for the year measured).
    pub baseline: Option<f64>,
}

impl Target {
    /// As shown: `local_share_of_located (Salford City Council) ≥ 40.0% by 2027/28`.
    pub fn describe(&self, deadline: FinancialYear) -> String {
        format!(
            "{} ({}) {} {} by {deadline}",
            self.indicator,
            self.scope,
            self.direction.symbol(),
            self.indicator.unit().show(self.value)
        )
    }
}

/// One action of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Its id, unique in the plan (`P1`).
    pub id: String,
    /// What will be done.
    pub title: String,
    /// Who answers for it.
    pub owner: String,
    /// The anchors taking part.
    pub anchors: Vec<String>,
    /// The pillar.
    pub pillar: Pillar,
    /// The financial year by which the target is to be met.
    pub deadline: FinancialYear,
    /// The target.
    pub target: Target,
    /// Line of the action's table in the plan file.
    pub line: usize,
}

/// Asset registers one anchor's asset indicators read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetInput {
    /// The anchor.
    pub anchor: String,
    /// Register files (absolute, or relative to the working directory).
    pub registers: Vec<PathBuf>,
    /// Its status decisions file.
    pub decisions: Option<PathBuf>,
}

/// Workforce extracts the workforce indicators read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkforceInput {
    /// Extract files.
    pub extracts: Vec<PathBuf>,
    /// Their financial year.
    pub year: FinancialYear,
}

/// A plan file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The plan's name.
    pub name: String,
    /// The year asset figures describe.
    pub as_of: Option<FinancialYear>,
    /// Registers for the asset indicators.
    pub assets: Vec<AssetInput>,
    /// Extracts for the workforce indicators.
    pub workforce: Option<WorkforceInput>,
    /// The actions, in file order.
    pub actions: Vec<Action>,
    /// The file read.
    pub file: String,
}

/// Why a plan file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Reading the file.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Its TOML or its fields (the message has the line and column).
    #[error("{file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong and where.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    name: String,
    #[serde(default)]
    as_of: Option<FinancialYear>,
    #[serde(default)]
    assets: Vec<RawAssets>,
    #[serde(default)]
    workforce: Option<RawWorkforce>,
    #[serde(default, rename = "action")]
    actions: Vec<toml::Spanned<RawAction>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssets {
    anchor: String,
    registers: Vec<String>,
    #[serde(default)]
    decisions: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkforce {
    extracts: Vec<String>,
    year: FinancialYear,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    id: String,
    title: String,
    owner: String,
    #[serde(default)]
    anchors: Vec<String>,
    pillar: String,
    deadline: FinancialYear,
    target: RawTarget,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    indicator: IndicatorId,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    at_least: Option<f64>,
    #[serde(default)]
    at_most: Option<f64>,
    #[serde(default)]
    baseline_year: Option<FinancialYear>,
    #[serde(default)]
    baseline: Option<f64>,
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

impl Plan {
    /// Read a plan file; relative paths in it are relative to its folder.
    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| PlanError::Io {
            file: file.clone(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Plan::parse(&file, &text, base)
    }

    /// Parse a plan's text; `base` is the folder relative paths start from.
    pub fn parse(file: &str, text: &str, base: &Path) -> Result<Plan, PlanError> {
        let invalid = |message: String| PlanError::Invalid {
            file: file.to_string(),
            message,
        };
        let raw: RawPlan = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let (l, c) = line_col(text, s.start);
                    format!("line {l}, column {c}: ")
                })
                .unwrap_or_default();
            invalid(format!("{at}{}", e.message()))
        })?;
        let abs = |p: &str| {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                base.join(p)
            }
        };
        let mut actions: Vec<Action> = Vec::new();
        for sp in raw.actions {
            let (line, _) = line_col(text, sp.span().start);
            let a = sp.into_inner();
            let at = |m: String| invalid(format!("line {line}: action {:?}: {m}", a.id));
            if a.id.trim().is_empty() {
                return Err(invalid(format!("line {line}: an action without an id")));
            }
            if actions.iter().any(|b| b.id == a.id) {
                return Err(at("this id is used by an earlier action".into()));
            }
            let pillar = Pillar::parse(&a.pillar).ok_or_else(|| {
                at(format!(
                    "unknown pillar {:?}; known: {}",
                    a.pillar,
                    Pillar::ALL.map(|p| p.as_str()).join(", ")
                ))
            })?;
            let t = a.target;
            let (direction, value) = match (t.at_least, t.at_most) {
                (Some(v), None) => (Direction::AtLeast, v),
                (None, Some(v)) => (Direction::AtMost, v),
                _ => {
                    return Err(at(
                        "the target needs exactly one of at_least, at_most".into()
                    ))
                }
            };
            if !value.is_finite() {
                return Err(at(format!("target value {value} is not a number")));
            }
            let scope = match (t.scope.as_deref(), a.anchors.as_slice()) {
                (Some(s), _) => ScopeName::parse(s.trim()),
                (None, [one]) => ScopeName::Anchor(one.clone()),
                (None, _) => ScopeName::Network,
            };
            if let ScopeName::Anchor(s) = &scope {
                if !a.anchors.contains(s) {
                    return Err(at(format!(
                        "target scope {s:?} is not one of the action's anchors ({})",
                        a.anchors.join(", ")
                    )));
                }
            }
            if let Some(b) = t.baseline_year {
                if b >= a.deadline {
                    return Err(at(format!(
                        "baseline year {b} is not before the deadline {}",
                        a.deadline
                    )));
                }
            }
            if t.indicator.source() != Source::Spend
                && t.baseline.is_some() != t.baseline_year.is_some()
            {
                return Err(at(format!(
                    "{} is measured for one year only: give baseline and baseline_year together, or neither",
                    t.indicator
                )));
            }
            actions.push(Action {
                id: a.id.clone(),
                title: a.title,
                owner: a.owner,
                anchors: a.anchors,
                pillar,
                deadline: a.deadline,
                target: Target {
                    indicator: t.indicator,
                    scope,
                    direction,
                    value,
                    baseline_year: t.baseline_year,
                    baseline: t.baseline,
                },
                line,
            });
        }
        Ok(Plan {
            name: raw.name,
            as_of: raw.as_of,
            assets: raw
                .assets
                .into_iter()
                .map(|a| AssetInput {
                    anchor: a.anchor,
                    registers: a.registers.iter().map(|r| abs(r)).collect(),
                    decisions: a.decisions.as_deref().map(abs),
                })
                .collect(),
            workforce: raw.workforce.map(|w| WorkforceInput {
                extracts: w.extracts.iter().map(|e| abs(e)).collect(),
                year: w.year,
            }),
            actions,
            file: file.to_string(),
        })
    }

    /// Whether any target reads this source.
    pub fn uses(&self, s: Source) -> bool {
        self.actions
            .iter()
            .any(|a| a.target.indicator.source() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
name = "t"
[[action]]
id = "A"
title = "x"
owner = "o"
anchors = ["S"]
pillar = "land and property"
deadline = "2027/28"
target = { indicator = "vacant_assets_in_community_use", at_least = 10, baseline = 0, baseline_year = "2024/25" }
"#;

    #[test]
    fn a_plan_is_read_with_typed_fields() {
        let p = Plan::parse("p.toml", ONE, Path::new("/d")).unwrap();
        let a = &p.actions[0];
        assert_eq!(a.pillar, Pillar::LandAndProperty);
        assert_eq!(a.target.scope, ScopeName::Anchor("S".into()));
        assert_eq!(a.target.direction, Direction::AtLeast);
        assert_eq!(a.deadline, FinancialYear(2027));
        assert_eq!(a.line, 3);
    }

    #[test]
    fn errors_name_the_file_line_and_value() {
        let bad = ONE.replace("vacant_assets_in_community_use", "vacancies");
        let e = Plan::parse("p.toml", &bad, Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml: line 10, column "), "{e}");
        assert!(e.contains("unknown indicator \"vacancies\""), "{e}");
        let bad = ONE.replace("land and property", "housing");
        let e = Plan::parse("p.toml", &bad, Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3: action \"A\": unknown pillar \"housing\""),
            "{e}"
        );
        let bad = ONE.replace("at_least = 10", "at_least = 10, at_most = 3");
        let e = Plan::parse("p.toml", &bad, Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("exactly one of at_least, at_most"), "{e}");
        let bad = ONE.replace("owner", "ownr");
        let e = Plan::parse("p.toml", &bad, Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `ownr`"), "{e}");
        let bad = ONE.replace("baseline = 0, ", "");
        let e = Plan::parse("p.toml", &bad, Path::new(""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("give baseline and baseline_year together"),
            "{e}"
        );
    }
}
