//! The measured indicators an action's target can name: each a typed [`IndicatorId`] bound to
//! one figure the pipeline computes — the spend analysis ([`anchornet_metrics::Analysis`]),
//! the located asset registers ([`anchornet_assets::Located`]) or the workforce measures
//! ([`anchornet_workforce::metrics::Measures`]) — and read from [`Facts`] by scope and year.
//!
//! A plan file names an indicator by its id (`local_share_of_located`); an unknown id is an
//! error that lists the known ones. Shares are in percent (25 = 25%), money in pounds, counts
//! as counts.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use anchornet_core::FinancialYear;
use anchornet_metrics::{Analysis, Figures, ScopeName, Share};

/// Where an indicator's figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The spend analysis (`anchornet analyse`): one figure per scope and financial year.
    Spend,
    /// The located asset registers (`anchornet assets`): one figure per scope, as the
    /// registers and decisions stand on this run.
    Assets,
    /// The workforce extracts (`anchornet workforce`): one figure per scope for the
    /// extracts' year.
    Workforce,
}

impl Source {
    /// As shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Spend => "spend analysis",
            Source::Assets => "asset registers",
            Source::Workforce => "workforce extracts",
        }
    }
}

/// The unit of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Percent, 0–100.
    Percent,
    /// Pounds.
    Pounds,
    /// A count.
    Count,
}

impl Unit {
    /// A value in this unit as shown (`25.0%`, `£1,234`, `10`).
    pub fn show(self, v: f64) -> String {
        match self {
            // Two decimals under 1%, so a small share's change is seen.
            Unit::Percent if v.abs() < 1.0 => format!("{v:.2}%"),
            Unit::Percent => format!("{v:.1}%"),
            Unit::Pounds => format!(
                "£{}",
                anchornet_report::fmt::group(v.round().max(0.0) as u64)
            ),
            // A milestone between whole counts is shown as it is (3.3, not 3).
            Unit::Count if v.fract() != 0.0 => format!("{v:.1}"),
            Unit::Count => format!("{}", v.round() as i64),
        }
    }
}

macro_rules! indicators {
    ($( $variant:ident = $id:literal, $source:ident, $unit:ident, $page:literal, $label:literal; )*) => {
        /// A measured indicator, by id. The ids are the names plan files use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum IndicatorId {
            $( #[doc = $label] $variant, )*
        }

        impl IndicatorId {
            /// Every indicator.
            pub const ALL: &'static [IndicatorId] = &[$(IndicatorId::$variant),*];

            /// The id used in plan files.
            pub fn as_str(self) -> &'static str {
                match self { $(IndicatorId::$variant => $id,)* }
            }

            /// Where the figure comes from.
            pub fn source(self) -> Source {
                match self { $(IndicatorId::$variant => Source::$source,)* }
            }

            /// Its unit.
            pub fn unit(self) -> Unit {
                match self { $(IndicatorId::$variant => Unit::$unit,)* }
            }

            /// Its methodology page, relative to `docs/`.
            pub fn methodology(self) -> &'static str {
                match self { $(IndicatorId::$variant => $page,)* }
            }

            /// What it measures, for people.
            pub fn label(self) -> &'static str {
                match self { $(IndicatorId::$variant => $label,)* }
            }
        }
    };
}

indicators! {
    LocalShareOfLocated = "local_share_of_located", Spend, Percent, "methodology/local-share.md",
        "Share of located influenceable spend with suppliers based or branched in the local place";
    LocalShareOfAll = "local_share_of_all", Spend, Percent, "methodology/local-share.md",
        "Share of all influenceable spend with suppliers known to be in the local place";
    WiderShareOfLocated = "wider_share_of_located", Spend, Percent, "methodology/wider-share.md",
        "Share of located influenceable spend with suppliers in the wider place";
    DeprivedShareOfLocated = "deprived_share_of_located", Spend, Percent, "methodology/deprived-share.md",
        "Share of located influenceable spend with suppliers in IoD deciles 1-2";
    SmeShareOfKnown = "sme_share_of_known", Spend, Percent, "methodology/sme-share.md",
        "Share of influenceable spend of known size with SMEs";
    VcseShareOfAll = "vcse_share_of_all", Spend, Percent, "methodology/vcse-share.md",
        "Share of all influenceable spend with the social economy (VCSE)";
    LocationCoverage = "location_coverage", Spend, Percent, "methodology/supplier-location.md",
        "Share of influenceable spend whose supplier is located";
    InfluenceableSpend = "influenceable_spend", Spend, Pounds, "methodology/influenceable-spend.md",
        "Influenceable spend";
    Top10Share = "top10_supplier_share", Spend, Percent, "methodology/concentration.md",
        "Share of influenceable spend with the ten largest suppliers";
    VacantAssets = "vacant_assets", Assets, Count, "assets.md",
        "Vacant assets in the registers";
    VacantAssetsInCommunityUse = "vacant_assets_in_community_use", Assets, Count, "assets.md",
        "Vacant assets agreed or transferred for community use";
    VacantAssetsInProgress = "vacant_assets_in_progress", Assets, Count, "assets.md",
        "Vacant assets in discussion, agreed or transferred";
    AssetsLocatedShare = "assets_located_share", Assets, Percent, "assets.md",
        "Share of register assets placed in their neighbourhood";
    StaffLivingLocalShare = "staff_living_local_share", Workforce, Percent, "employment.md",
        "Share of staff with a placed home postcode living in the local place";
    StaffBelowRealLivingWageShare = "staff_below_real_living_wage_share", Workforce, Percent, "employment.md",
        "Share of staff paid below the Real Living Wage";
    NewHiresDeprivedShare = "new_hires_deprived_share", Workforce, Percent, "employment.md",
        "Share of the year's new hires (placed in England) living in IoD deciles 1-2";
}

impl fmt::Display for IndicatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An indicator id that is not one of [`IndicatorId::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown indicator {0:?}; known: {known}", known = IndicatorId::ALL.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", "))]
pub struct UnknownIndicator(pub String);

impl FromStr for IndicatorId {
    type Err = UnknownIndicator;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        IndicatorId::ALL
            .iter()
            .copied()
            .find(|i| i.as_str() == k)
            .ok_or_else(|| UnknownIndicator(s.to_string()))
    }
}

impl<'de> serde::Deserialize<'de> for IndicatorId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The asset figures of one scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssetCounts {
    /// Assets read.
    pub assets: u64,
    /// Placed in a neighbourhood.
    pub located: u64,
    /// Vacant (a candidate at first).
    pub vacant: u64,
    /// Vacant and now `in-discussion`, `agreed` or `transferred`.
    pub in_progress: u64,
    /// Vacant and now `agreed` or `transferred`.
    pub in_community_use: u64,
}

impl AssetCounts {
    /// Count a located register (one anchor's registers).
    pub fn of(l: &anchornet_assets::Located) -> AssetCounts {
        use anchornet_assets::Status;
        let mut c = AssetCounts::default();
        for (i, p) in l.placements.iter().enumerate() {
            c.assets += 1;
            c.located += u64::from(p.method.is_some());
            if matches!(l.vacancy[i], Some((true, _))) {
                c.vacant += 1;
                let s = l.status(i);
                c.in_progress += u64::from(matches!(
                    s,
                    Some(Status::InDiscussion | Status::Agreed | Status::Transferred)
                ));
                c.in_community_use +=
                    u64::from(matches!(s, Some(Status::Agreed | Status::Transferred)));
            }
        }
        c
    }

    fn add(&mut self, o: &AssetCounts) {
        self.assets += o.assets;
        self.located += o.located;
        self.vacant += o.vacant;
        self.in_progress += o.in_progress;
        self.in_community_use += o.in_community_use;
    }
}

/// The workforce figures of one scope (raw counts; the plan shows shares only, and none drawn
/// from fewer than [`anchornet_workforce::metrics::MIN_PEOPLE`] people).
pub type WorkforceCounts = anchornet_workforce::metrics::Counts;

/// Everything the indicators are read from on one run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The spend analysis.
    pub analysis: Option<Analysis>,
    /// Asset figures per anchor (the network's are their sum).
    pub assets: BTreeMap<String, AssetCounts>,
    /// The year the asset figures describe (the plan's `as_of`).
    pub assets_year: Option<FinancialYear>,
    /// Workforce figures per scope (anchors and the network), and their year.
    pub workforce: Option<(FinancialYear, Vec<(ScopeName, WorkforceCounts)>)>,
}

/// Why the workforce indicators could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum WorkforceError {
    /// The bundled wage rates.
    #[error(transparent)]
    Rates(#[from] anchornet_workforce::rates::RatesError),
    /// Measuring the posts.
    #[error(transparent)]
    Measure(#[from] anchornet_workforce::metrics::MeasureError),
}

/// One measured value: its year and the value in the indicator's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The financial year it describes.
    pub fy: FinancialYear,
    /// The value.
    pub value: f64,
}

fn pct(x: Option<f64>) -> Option<f64> {
    x.map(|v| v * 100.0)
}

fn share_pct(s: &Share, of_all: bool) -> Option<f64> {
    pct(if of_all { s.of_all() } else { s.of_known() })
}

fn spend_value(id: IndicatorId, f: &Figures) -> Option<f64> {
    use IndicatorId::*;
    match id {
        LocalShareOfLocated => share_pct(&f.local, false),
        LocalShareOfAll => share_pct(&f.local, true),
        WiderShareOfLocated => share_pct(&f.wider, false),
        DeprivedShareOfLocated => share_pct(&f.deprived.share, false),
        SmeShareOfKnown => share_pct(&f.sme, false),
        VcseShareOfAll => share_pct(&f.vcse, true),
        LocationCoverage => pct(f.local.coverage()),
        InfluenceableSpend => Some(f.influenceable.pence as f64 / 100.0),
        Top10Share => pct(f.concentration.top10_share),
        _ => None,
    }
}

fn ratio_pct(a: u64, b: u64, min: u64) -> Option<f64> {
    (b >= min && b > 0).then(|| a as f64 * 100.0 / b as f64)
}

impl Facts {
    /// Every reading of an indicator for a scope, oldest first.
    pub fn series(&self, id: IndicatorId, scope: &ScopeName) -> Vec<Reading> {
        match id.source() {
            Source::Spend => {
                let Some(a) = &self.analysis else {
                    return Vec::new();
                };
                let mut v: Vec<Reading> = a
                    .figures
                    .iter()
                    .filter(|f| &f.scope == scope)
                    .filter_map(|f| {
                        let fy = f.fy?;
                        spend_value(id, &f.figures).map(|value| Reading { fy, value })
                    })
                    .collect();
                v.sort_by_key(|r| r.fy);
                v
            }
            Source::Assets => {
                let (Some(fy), Some(c)) = (self.assets_year, self.asset_counts(scope)) else {
                    return Vec::new();
                };
                let value = match id {
                    IndicatorId::VacantAssets => Some(c.vacant as f64),
                    IndicatorId::VacantAssetsInCommunityUse => Some(c.in_community_use as f64),
                    IndicatorId::VacantAssetsInProgress => Some(c.in_progress as f64),
                    IndicatorId::AssetsLocatedShare => ratio_pct(c.located, c.assets, 1),
                    _ => None,
                };
                value
                    .map(|value| Reading { fy, value })
                    .into_iter()
                    .collect()
            }
            Source::Workforce => {
                let Some((fy, scopes)) = &self.workforce else {
                    return Vec::new();
                };
                let Some((_, c)) = scopes.iter().find(|(s, _)| s == scope) else {
                    return Vec::new();
                };
                let min = anchornet_workforce::metrics::MIN_PEOPLE;
                let value = match id {
                    IndicatorId::StaffLivingLocalShare => ratio_pct(c.in_place, c.placed, min),
                    IndicatorId::StaffBelowRealLivingWageShare => {
                        ratio_pct(c.below_rlw, c.staff, min)
                    }
                    IndicatorId::NewHiresDeprivedShare => {
                        ratio_pct(c.hires_deprived, c.hires_with_decile, min)
                    }
                    _ => None,
                };
                value
                    .map(|value| Reading { fy: *fy, value })
                    .into_iter()
                    .collect()
            }
        }
    }

    /// Count an anchor's located registers into the asset figures (added to what the
    /// anchor already has: one anchor may have several registers). The command line passes
    /// registers with its decisions file applied, a workspace with its stored decisions.
    pub fn add_assets(&mut self, anchor: &str, located: &anchornet_assets::Located) {
        self.assets
            .entry(anchor.to_string())
            .or_default()
            .add(&AssetCounts::of(located));
    }

    /// Measure a plan's workforce extracts for the workforce indicators, for the network's
    /// local place: the same measures as `anchornet workforce`. Returns the extracts that
    /// could not be read (file, why); their posts are left out.
    pub fn add_workforce(
        &mut self,
        w: &crate::action::WorkforceInput,
        geo: &anchornet_geo::GeoIndex,
        local: &anchornet_geo::Place,
        deprivation: anchornet_geo::Deprivation,
    ) -> Result<Vec<(String, String)>, WorkforceError> {
        use anchornet_workforce::{metrics, rates::Rates};
        let rates = Rates::bundled()?;
        let cx = metrics::Context {
            geo,
            place: local,
            deprivation,
            rates: &rates,
            rlw_area: "UK".into(),
            year: w.year,
            hire_target: 0.10,
        };
        // The same run as `anchornet workforce` and the web's /workforce.
        let extracts: Vec<&std::path::Path> = w.extracts.iter().map(|p| p.as_path()).collect();
        let run = metrics::run(&cx, &extracts)?;
        let unread = run
            .reports
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| (r.file.clone(), e.clone())))
            .collect();
        self.workforce = Some((
            w.year,
            run.measures
                .scopes
                .into_iter()
                .map(|(s, c)| (ScopeName::parse(&s), c))
                .collect(),
        ));
        Ok(unread)
    }

    fn asset_counts(&self, scope: &ScopeName) -> Option<AssetCounts> {
        match scope {
            ScopeName::Network if !self.assets.is_empty() => {
                let mut t = AssetCounts::default();
                for c in self.assets.values() {
                    t.add(c);
                }
                Some(t)
            }
            ScopeName::Network => None,
            ScopeName::Anchor(a) => self.assets.get(a).copied(),
        }
    }

    /// The scopes the facts know: the network, then each anchor of the analysis, then
    /// anchors with assets or staff the analysis does not name.
    pub fn scopes(&self) -> Vec<ScopeName> {
        let mut v = vec![ScopeName::Network];
        let mut push = |s: ScopeName| {
            if !v.contains(&s) {
                v.push(s);
            }
        };
        if let Some(a) = &self.analysis {
            for x in &a.anchors {
                push(ScopeName::Anchor(x.name.clone()));
            }
        }
        for k in self.assets.keys() {
            push(ScopeName::Anchor(k.clone()));
        }
        if let Some((_, w)) = &self.workforce {
            for (s, _) in w {
                push(s.clone());
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_list_the_known_ones() {
        for i in IndicatorId::ALL {
            assert_eq!(i.as_str().parse::<IndicatorId>(), Ok(*i));
        }
        assert_eq!(
            "Local-Share-of-Located".parse::<IndicatorId>(),
            Ok(IndicatorId::LocalShareOfLocated)
        );
        let e = "local_share"
            .parse::<IndicatorId>()
            .unwrap_err()
            .to_string();
        assert!(e.starts_with(
            "unknown indicator \"local_share\"; known: local_share_of_located, local_share_of_all"
        ));
    }
}
