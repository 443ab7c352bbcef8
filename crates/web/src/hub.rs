//! The supply chain hub in the workspace: the pipeline sources of `[hub]` read once by the
//! same functions as `anchornet hub` (`anchornet_hub::sources::read`, then
//! `anchornet_hub::anchors::link` to the store's anchors), and each audience's shortlists of
//! local suppliers, computed on first use and kept until the analysis is rebuilt or the
//! sources change.
//!
//! **Reload.** Before a hub page is served, every source file's size and modification time
//! (each file under a source directory, recursively) are compared with those of the last
//! read; when any differs — a file changed, added or removed — the sources are read again,
//! and the opportunities and shortlists made from the old read are dropped. No restart.
//!
//! ```text
//! [hub] sources ──► sources::read (again when a file changes) ──► Pipeline
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
    pipeline: tokio::sync::Mutex<Option<(Stamp, Arc<Pipeline>)>>,
    /// The opportunities linked for a snapshot version, from one read of the sources.
    linked: Mutex<Option<Linked>>,
    /// Shortlists by snapshot version and audience, with the opportunities they rank.
    shortlists: Mutex<HashMap<(u64, Audience), Ranked>>,
}

/// Opportunities linked to the anchors of a snapshot version, from one read of the sources.
type Linked = (u64, Arc<Pipeline>, Arc<Vec<Opportunity>>);

/// Shortlists, with the opportunities they rank.
type Ranked = (Arc<Vec<Opportunity>>, Arc<Shortlists>);

/// Each source file's path, size and modification time: what tells that a source changed.
type Stamp = Vec<(PathBuf, Option<(u64, Option<std::time::SystemTime>)>)>;

fn stamp(paths: &[PathBuf]) -> Stamp {
    fn walk(p: &std::path::Path, out: &mut Stamp) {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut kids: Vec<PathBuf> = std::fs::read_dir(p)
                    .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                    .unwrap_or_default();
                kids.sort();
                out.push((p.to_path_buf(), Some((0, m.modified().ok()))));
                for k in kids {
                    walk(&k, out);
                }
            }
            Ok(m) => out.push((p.to_path_buf(), Some((m.len(), m.modified().ok())))),
            Err(_) => out.push((p.to_path_buf(), None)),
        }
    }
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out);
    }
    out
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
    /// The sources of `[hub]` read: again whenever a source file has changed since the last
    /// read (size or modification time; a file added or removed), else the last read.
    pub async fn pipeline(&self, cfg: &Arc<WorkspaceConfig>) -> Arc<Pipeline> {
        let paths: Vec<PathBuf> = cfg.hub.sources.iter().map(|s| cfg.dir.join(s)).collect();
        let mut held = self.pipeline.lock().await;
        let paths2 = paths.clone();
        let now = tokio::task::spawn_blocking(move || stamp(&paths2))
            .await
            .unwrap_or_default();
        if let Some((s, p)) = held.as_ref() {
            if *s == now {
                return p.clone();
            }
        }
        let limits = cfg.limits;
        let pipe = tokio::task::spawn_blocking(move || {
            Arc::new(anchornet_hub::sources::read(&paths, &limits))
        })
        .await
        .unwrap_or_default();
        *held = Some((now, pipe.clone()));
        pipe
    }

    /// The opportunities, each linked to the store's anchor it belongs to (cached for the
    /// snapshot's version and this read of the sources: a new anchor relinks them).
    pub fn opportunities(
        &self,
        cfg: &WorkspaceConfig,
        pipe: &Arc<Pipeline>,
        snap: &Snapshot,
    ) -> Arc<Vec<Opportunity>> {
        let mut linked = self.linked.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((v, p, ops)) = linked.as_ref() {
            if *v == snap.version && Arc::ptr_eq(p, pipe) {
                return ops.clone();
            }
        }
        let mut ops = pipe.opportunities.clone();
        let anchors = anchors_of(cfg, snap.anchors.iter().map(|a| a.name.as_str()));
        anchornet_hub::anchors::link(&mut ops, &anchors);
        let ops = Arc::new(ops);
        *linked = Some((snap.version, pipe.clone(), ops.clone()));
        ops
    }

    /// Every opportunity's shortlist (at most `top`) for an audience, over the payments it
    /// may see (see the module docs); cached for the snapshot's version and these
    /// opportunities.
    pub async fn shortlists(
        &self,
        snap: &Arc<Snapshot>,
        ops: &Arc<Vec<Opportunity>>,
        who: Audience,
        top: usize,
    ) -> Arc<Shortlists> {
        let key = (snap.version, who);
        if let Some((o, s)) = self
            .shortlists
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            if Arc::ptr_eq(o, ops) {
                return s.clone();
            }
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
        // Only the current version's, for the current opportunities, are kept.
        cache.retain(|(v, _), (o, _)| *v == snap.version && Arc::ptr_eq(o, ops));
        cache.insert(key, (ops.clone(), made.clone()));
        made
    }
}
