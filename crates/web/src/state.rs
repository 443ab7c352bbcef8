//! `AppState`: what every handler shares — the store, the workspace settings, the geography
//! index, the current analysis snapshot, running import jobs, the login limiter and the
//! supply chain hub's cached pipeline.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use anchornet_core::Payment;
use anchornet_geo::GeoIndex;
use anchornet_store::{Anchor, Store};

use crate::auth::LoginLimiter;
use crate::import::Job;
use crate::snapshot::{Shapes, Snapshot, Source};
use crate::workspace::WorkspaceConfig;

/// Every live batch's payments with their anchor id, and the batches: (batch id, anchor id,
/// how many payments), in order ([`Source`]).
pub type LivePayments = (Vec<(i64, Payment)>, Vec<(i64, i64, usize)>);

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    /// The workspace's store.
    pub store: Arc<dyn Store>,
    /// The workspace settings.
    pub cfg: Arc<WorkspaceConfig>,
    /// The geography index.
    pub geo: Arc<GeoIndex>,
    /// The analysis pages read.
    pub snapshot: Arc<RwLock<Arc<Snapshot>>>,
    /// One rebuild at a time; each reads the store afresh, so a queued one sees every change.
    pub rebuilding: Arc<tokio::sync::Mutex<u64>>,
    /// Import jobs of this process, by id.
    pub jobs: Arc<Mutex<HashMap<u64, Job>>>,
    /// Failed logins, by client address and by user name.
    pub limiter: Arc<Mutex<LoginLimiter>>,
    /// Map outlines of the wider place, read once.
    pub shapes: Arc<tokio::sync::OnceCell<Option<Shapes>>>,
    /// The supply chain hub's pipeline and shortlists, computed on first use.
    pub hub: Arc<crate::hub::Hub>,
    /// LSOA and ward boundaries for placing assets, read on first use.
    pub points: Arc<tokio::sync::OnceCell<Arc<anchornet_geo::PointIndex>>>,
    /// The workspace's asset registers located, with the stored decisions (see
    /// [`crate::land`]); built on first use.
    pub assets: Arc<tokio::sync::Mutex<Option<Arc<crate::land::AssetsView>>>>,
}

/// How long a page waits for a rebuild under way before it is served from the analysis
/// it has (see [`AppState::refresh_if_stale`]).
pub const STALE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl AppState {
    /// A state over an open store; call [`AppState::rebuild`] before serving.
    pub fn new(store: Arc<dyn Store>, cfg: WorkspaceConfig, geo: Arc<GeoIndex>) -> AppState {
        AppState {
            store,
            cfg: Arc::new(cfg),
            geo,
            snapshot: Arc::new(RwLock::new(Arc::new(Snapshot::empty()))),
            rebuilding: Arc::new(tokio::sync::Mutex::new(0)),
            jobs: Arc::new(Mutex::new(HashMap::new())),
            limiter: Arc::new(Mutex::new(LoginLimiter::default())),
            shapes: Arc::new(tokio::sync::OnceCell::new()),
            hub: Arc::new(crate::hub::Hub::default()),
            points: Arc::new(tokio::sync::OnceCell::new()),
            assets: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// The current snapshot.
    pub fn snap(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Rebuild the analysis from the store and swap it in.
    pub async fn rebuild(&self) -> Result<Arc<Snapshot>, RebuildError> {
        let mut version = self.rebuilding.lock().await;
        self.rebuild_locked(&mut version).await
    }

    /// [`AppState::rebuild`] with the rebuild lock held.
    async fn rebuild_locked(&self, version: &mut u64) -> Result<Arc<Snapshot>, RebuildError> {
        let t0 = std::time::Instant::now();
        let fingerprint = self.store.fingerprint().await?;
        let anchors = self.store.anchors().await?;
        let (payments, batches) = self.live_payments(&anchors).await?;
        let src = Source {
            fingerprint,
            anchors,
            payments,
            batches,
            suppliers: self.store.live_supplier_records().await?,
            overrides: self.store.overrides().await?,
        };
        let t_read = t0.elapsed();
        let payments = src.payments.len();
        let shapes = self.shapes(&src).await;
        *version += 1;
        let v = *version;
        let cfg = self.cfg.clone();
        let geo = self.geo.clone();
        let snap = tokio::task::spawn_blocking(move || {
            Snapshot::build(&cfg, &geo, src, shapes.as_ref(), v)
        })
        .await??;
        let t_build = t0.elapsed();
        // The register as built, persisted for other readers (one transaction: the old
        // register or the new, never half of each).
        let rows: Vec<Vec<String>> =
            anchornet_suppliers::table::rows(&snap.prepared.register).collect();
        self.store.replace_register(&rows, snap.built_at).await?;
        let t_register = t0.elapsed();
        let snap = Arc::new(snap);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snap.clone();
        // The plan recomputed on the new data: its changes go into the plan's change log.
        if let Err(e) = crate::handlers::plan::record_changes(self, "data").await {
            eprintln!("anchornet-web: plan change log: {}", e.message);
        }
        // One line per rebuild, for whoever runs the server: how long, and where it went.
        eprintln!(
            "anchornet-web: analysis {v} of {payments} payments rebuilt in {:.2} s (store read {:.2} s, \
             pipeline and figures {:.2} s, register stored {:.2} s, plan {:.2} s)",
            t0.elapsed().as_secs_f64(),
            t_read.as_secs_f64(),
            (t_build - t_read).as_secs_f64(),
            (t_register - t_build).as_secs_f64(),
            (t0.elapsed() - t_register).as_secs_f64(),
        );
        Ok(snap)
    }

    /// Every live batch's payments, batch by batch in id order, with the batches: those the
    /// current analysis holds are taken from it, only the others are read from the store.
    /// The result is what reading every batch would give (each payment is stored once and
    /// never changed; a withdrawn batch is no longer live), unless an anchor was renamed
    /// since (a payment carries its anchor's name): then everything is read again.
    pub async fn live_payments(&self, anchors: &[Anchor]) -> Result<LivePayments, RebuildError> {
        let live = self.store.live_batches().await?;
        let old = self.snap();
        let renamed = old
            .anchors
            .iter()
            .any(|o| anchors.iter().any(|a| a.id == o.id && a.name != o.name));
        let held: HashMap<i64, std::ops::Range<usize>> = if renamed {
            HashMap::new()
        } else {
            old.batches
                .iter()
                .map(|(b, _, r)| (*b, r.clone()))
                .collect()
        };
        let missing: Vec<i64> = live
            .iter()
            .map(|&(b, _)| b)
            .filter(|b| !held.contains_key(b))
            .collect();
        let mut fresh: HashMap<i64, Vec<(i64, Payment)>> = HashMap::new();
        for (b, a, p) in self.store.batch_payments(&missing).await? {
            fresh.entry(b).or_default().push((a, p));
        }
        let total = held.values().map(|r| r.len()).sum::<usize>()
            + fresh.values().map(Vec::len).sum::<usize>();
        let mut payments = Vec::with_capacity(total);
        let mut batches = Vec::with_capacity(live.len());
        for (b, a) in live {
            let before = payments.len();
            match held.get(&b) {
                Some(r) => payments.extend(
                    old.prepared.payments[r.clone()]
                        .iter()
                        .map(|p| (a, p.clone())),
                ),
                None => payments.extend(fresh.remove(&b).unwrap_or_default()),
            }
            batches.push((b, a, payments.len() - before));
        }
        Ok((payments, batches))
    }

    /// Rebuild when the store changed behind this process's back (another web node on the
    /// same PostgreSQL, or `anchornet import` from the command line).
    pub async fn refresh_if_stale(&self) -> Result<bool, RebuildError> {
        let now = self.store.fingerprint().await?;
        if now == self.snap().fingerprint {
            return Ok(false);
        }
        // The rebuild runs as a task of its own and the request waits for it, but not for
        // long: past [`STALE_WAIT`] the request is served from the analysis it has, so that a
        // large network's rebuild (minutes at 12 M payments) does not stall every page; the
        // task finishes and the next request finds the new analysis.
        let st = self.clone();
        let job = tokio::spawn(async move {
            let mut version = st.rebuilding.lock().await;
            // Requests that found the analysis stale together rebuild it once: the others
            // see, once they hold the lock, that it is current.
            if st.store.fingerprint().await? == st.snap().fingerprint {
                return Ok(false);
            }
            st.rebuild_locked(&mut version).await?;
            Ok(true)
        });
        match tokio::time::timeout(STALE_WAIT, job).await {
            Ok(done) => done?,
            Err(_) => Ok(false),
        }
    }

    async fn shapes(&self, src: &Source) -> Option<Shapes> {
        if src.anchors.is_empty() {
            return None;
        }
        let cfg = self.cfg.clone();
        let geo = self.geo.clone();
        self.shapes
            .get_or_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    let wider = cfg.wider_place.clone().unwrap_or(cfg.local_place.clone());
                    let mut places = anchornet_geo::Places::builtin(&geo);
                    if let Some(p) = &cfg.places {
                        let text = std::fs::read_to_string(cfg.dir.join(p)).ok()?;
                        places.add_toml(&geo, &text).ok()?;
                    }
                    let place = places.get(&wider)?;
                    let districts = place.districts.iter().map(|d| d.to_string()).collect();
                    let shapes = anchornet_geo::boundaries::lsoa21_in(
                        &anchornet_geo::default_reference_dir(),
                        &districts,
                    )
                    .ok()?;
                    Some(
                        shapes
                            .into_iter()
                            .map(|s| (s.code, s.name, s.rings))
                            .collect(),
                    )
                })
                .await
                .ok()
                .flatten()
            })
            .await
            .clone()
    }
}

/// Why the analysis could not be rebuilt from the store.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    /// Reading the store.
    #[error(transparent)]
    Store(#[from] anchornet_store::StoreError),
    /// Running the pipeline on what it holds.
    #[error(transparent)]
    Pipeline(#[from] anchornet_network::pipeline::PipelineError),
    /// The building task failed.
    #[error("the analysis task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}
