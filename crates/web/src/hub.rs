//! The supply chain hub in the workspace: the pipeline sources of `[hub]` read once by the
//! same functions as `anchornet hub` (`anchornet_hub::sources::read`, then
//! `anchornet_hub::anchors::link` to the store's anchors), and each audience's shortlists of
//! local suppliers, computed on first use and kept until the analysis is rebuilt.
//!
//! ```text
//! [hub] sources ──► sources::read (once per process) ──► Pipeline
//!                                                          │ anchors::link (store's anchors)
//! snapshot (version v) ────────────────────────────────────┼──► opportunities (cached for v)
//!   dataset, payments the viewer may see ──► matching::Index::over ──► shortlists (cached
//!                                                                        for v and audience)
//! ```
//!
//! **Privacy.** The notices are public data; the matching reads the network's payments
//! ("what the network already buys from them"), which are row-level data. As on the
//! supplier pages, what another anchor paid a supplier is never shown nor used to rank:
//! an admin's shortlists read every anchor's payments (the same as `anchornet hub match`), a
//! member's only their own anchor's, a viewer's none (past awards, from the notices, only).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anchornet_hub::anchors::Anchor;
use anchornet_hub::matching::{Index, Match};
use anchornet_hub::sources::Pipeline;
use anchornet_hub::Opportunity;

use crate::privacy::Audience;
use crate::snapshot::Snapshot;
use crate::workspace::WorkspaceConfig;

/// Each kept opportunity (its index) with its shortlist, as `anchornet hub match` makes them.
pub type Shortlists = Vec<(usize, Vec<Match>)>;

/// The hub's computations, shared by every request.
#[derive(Default)]
pub struct Hub {
    pipeline: tokio::sync::OnceCell<Arc<Pipeline>>,
    linked: Mutex<Option<(u64, Arc<Vec<Opportunity>>)>>,
    shortlists: Mutex<HashMap<(u64, Audience), Arc<Shortlists>>>,
}

/// The store's anchors (by name) as the hub links opportunities to them: each with the
/// sources `[hub.anchors]` names as its own, whose rows are its even when they name no buyer.
pub fn anchors_of<'a>(cfg: &WorkspaceConfig, names: impl Iterator<Item = &'a str>) -> Vec<Anchor> {
    names
        .map(|name| Anchor {
            name: name.to_string(),
            files: cfg
                .hub
                .anchors
                .get(name)
                .into_iter()
                .flatten()
                .map(|f| cfg.dir.join(f))
                .collect(),
        })
        .collect()
}

impl Hub {
    /// The sources of `[hub]` read (once per process: they are files named in the
    /// workspace file, not store data).
    pub async fn pipeline(&self, cfg: &Arc<WorkspaceConfig>) -> Arc<Pipeline> {
        let cfg = cfg.clone();
        self.pipeline
            .get_or_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    let paths: Vec<PathBuf> =
                        cfg.hub.sources.iter().map(|s| cfg.dir.join(s)).collect();
                    Arc::new(anchornet_hub::sources::read(&paths, &cfg.limits))
                })
                .await
                .unwrap_or_default()
            })
            .await
            .clone()
    }

    /// The opportunities, each linked to the store's anchor it belongs to (cached for the
    /// snapshot's version: a new anchor relinks them).
    pub fn opportunities(
        &self,
        cfg: &WorkspaceConfig,
        pipe: &Pipeline,
        snap: &Snapshot,
    ) -> Arc<Vec<Opportunity>> {
        let mut linked = self.linked.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((v, ops)) = linked.as_ref() {
            if *v == snap.version {
                return ops.clone();
            }
        }
        let mut ops = pipe.opportunities.clone();
        let anchors = anchors_of(cfg, snap.anchors.iter().map(|a| a.name.as_str()));
        anchornet_hub::anchors::link(&mut ops, &anchors);
        let ops = Arc::new(ops);
        *linked = Some((snap.version, ops.clone()));
        ops
    }

    /// Every opportunity's shortlist (at most `top`) for an audience, over the payments it
    /// may see (see the module docs); cached for the snapshot's version.
    pub async fn shortlists(
        &self,
        snap: &Arc<Snapshot>,
        ops: &Arc<Vec<Opportunity>>,
        who: Audience,
        top: usize,
    ) -> Arc<Shortlists> {
        let key = (snap.version, who);
        if let Some(s) = self
            .shortlists
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return s.clone();
        }
        let (snap2, ops2) = (snap.clone(), ops.clone());
        let made = tokio::task::spawn_blocking(move || {
            let ds = &snap2.prepared.dataset;
            let index = Index::over(ds, |t| who.sees_anchor(t.anchor));
            let past = index.past_awards(&ops2);
            ops2.iter()
                .enumerate()
                .map(|(i, o)| (i, index.matches(o, &past, top)))
                .collect::<Shortlists>()
        })
        .await
        .unwrap_or_default();
        let made = Arc::new(made);
        let mut cache = self.shortlists.lock().unwrap_or_else(|e| e.into_inner());
        // Only the current version's are kept.
        cache.retain(|(v, _), _| *v == snap.version);
        cache.insert(key, made.clone());
        made
    }
}
