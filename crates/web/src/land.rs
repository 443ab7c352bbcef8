//! The workspace's land and building registers (`[assets] registers` in `anchornet.toml`),
//! located by the same pipeline as `anchornet assets` ([`anchornet_assets::Located`]) and
//! with the status decisions kept in the store applied where the command line applies its
//! decisions file ([`Located::decide`]).
//!
//! ```text
//! [assets] registers ──► Register::read ──► Located::build (placed once, kept)
//! store: asset_decision ──► Decisions ──► Located::decide (again on every new decision)
//! ```
//!
//! Placing is the slow part (the boundaries are read once per process, the registers once);
//! a new decision, made here or by another web node on the same database, only replays the
//! decisions.

use std::collections::HashSet;
use std::sync::Arc;

use anchornet_assets::{Decision, Decisions, Located, Locator, Register, Step};
use anchornet_geo::PointIndex;
use anchornet_report::{MapArea, MapData};
use anchornet_store::AssetDecision;

use crate::error::AppError;
use crate::state::AppState;

/// The located registers with the stored decisions applied.
pub struct AssetsView {
    /// The registers, placed, with each asset's history and status.
    pub located: Located,
    /// The stored decisions applied (in the order made).
    pub decisions: Vec<AssetDecision>,
    /// The 2021 LSOAs of the districts the assets are in, coloured by IoD 2025 decile.
    pub map: Arc<Option<MapData>>,
}

impl AssetsView {
    /// No registers: what the pages show in a workspace that names none.
    pub fn empty() -> AssetsView {
        AssetsView {
            located: Located {
                register: Register::default(),
                placements: Vec::new(),
                vacancy: Vec::new(),
                histories: Vec::new(),
                keys: Vec::new(),
                decision_problems: Vec::new(),
            },
            decisions: Vec::new(),
            map: Arc::new(None),
        }
    }
}

/// The stored decisions as the decisions file's rows: `line` is the decision's store id, `at`
/// its date and time (UTC).
pub fn decisions_of(stored: &[AssetDecision]) -> Decisions {
    Decisions {
        list: stored
            .iter()
            .map(|d| Decision {
                file: "store".into(),
                line: d.id as u64,
                asset: d.asset.clone(),
                step: Step {
                    status: d.status,
                    by: d.decided_by.clone(),
                    at: crate::handlers::imports::when(d.decided_at),
                    note: d.note.clone(),
                },
            })
            .collect(),
        problems: Vec::new(),
    }
}

impl AppState {
    /// The LSOA and ward boundaries, read on first use.
    pub async fn points(&self) -> Result<Arc<PointIndex>, AppError> {
        self.points
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(|| {
                    PointIndex::open_reference(&anchornet_geo::default_reference_dir())
                })
                .await
                .map_err(AppError::internal)?
                .map(Arc::new)
                .map_err(|e| AppError::internal(format!("LSOA boundaries: {e}")))
            })
            .await
            .cloned()
    }

    /// The workspace's registers located, with the store's decisions; `None` when the
    /// workspace names no register.
    pub async fn assets(&self) -> Result<Option<Arc<AssetsView>>, AppError> {
        if self.cfg.assets.registers.is_empty() {
            return Ok(None);
        }
        let stored = self.store.asset_decisions().await?;
        let mut cache = self.assets.lock().await;
        if let Some(v) = cache.as_ref() {
            if v.decisions == stored {
                return Ok(Some(v.clone()));
            }
        }
        let (mut located, map) = match cache.as_ref() {
            Some(v) => (v.located.clone(), v.map.clone()),
            None => {
                let points = self.points().await?;
                let geo = self.geo.clone();
                let files: Vec<String> = self
                    .cfg
                    .assets
                    .registers
                    .iter()
                    .map(|p| self.cfg.path(p))
                    .collect();
                let limits = self.cfg.limits;
                tokio::task::spawn_blocking(move || {
                    let register = Register::read(&files, &limits);
                    for p in &register.problems {
                        eprintln!("anchornet-web: assets: {}: {}", p.file, p.problem);
                    }
                    let locator = Locator {
                        geo: &geo,
                        points: &points,
                    };
                    let located = Located::build(register, &locator, None);
                    let map = map_of(&located, &geo);
                    (located, Arc::new(map))
                })
                .await
                .map_err(AppError::internal)?
            }
        };
        located.decide(decisions_of(&stored));
        for p in &located.decision_problems {
            // A stored decision whose asset left the registers (a register file replaced):
            // kept in the store, reported here, shown nowhere.
            eprintln!(
                "anchornet-web: asset decision {}: {} = {:?}: {}",
                p.line, p.column, p.value, p.problem
            );
        }
        let v = Arc::new(AssetsView {
            located,
            decisions: stored,
            map,
        });
        *cache = Some(v.clone());
        Ok(Some(v))
    }
}

/// The map's areas: every 2021 LSOA of the districts holding a placed asset.
fn map_of(l: &Located, geo: &anchornet_geo::GeoIndex) -> Option<MapData> {
    let districts: HashSet<String> = l
        .placements
        .iter()
        .filter_map(|p| p.lad.as_ref().map(|d| d.0.clone()))
        .collect();
    if districts.is_empty() {
        return None;
    }
    let shapes =
        anchornet_geo::boundaries::lsoa21_in(&anchornet_geo::default_reference_dir(), &districts)
            .map_err(|e| eprintln!("anchornet-web: assets map: {e}"))
            .ok()?;
    let mut names: Vec<String> = l
        .placements
        .iter()
        .filter_map(|p| p.lad.as_ref().map(|d| d.1.clone()))
        .filter(|n| !n.is_empty())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    names.truncate(4);
    Some(MapData {
        title: format!(
            "Land and building assets over IoD 2025 deciles, {}",
            names.join(", ")
        ),
        level: "LSOA (2021)".into(),
        areas: shapes
            .into_iter()
            .map(|s| MapArea {
                decile: geo.iod2025_of(&s.code).map(|d| d.decile),
                code: s.code,
                name: s.name,
                rings: s.rings,
            })
            .collect(),
        ..MapData::default()
    })
}
