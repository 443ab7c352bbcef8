//! Import jobs: an uploaded file is read (the ingest stage), written as one batch in one
//! transaction, and the analysis rebuilt; the job's stage and row counts are there to poll
//! while it runs. A job lives in this process only; the batch — or, if the process dies
//! first, nothing — is what the store keeps.

use std::sync::atomic::{AtomicU64, Ordering};

use anchornet_ingest::Limits;
use anchornet_store::{read, Anchor, Imported};
use serde::Serialize;

use crate::state::AppState;

static NEXT: AtomicU64 = AtomicU64::new(1);

/// One import's progress.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Id.
    pub id: u64,
    /// Anchor id.
    pub anchor_id: i64,
    /// File name.
    pub file_name: String,
    /// Who.
    pub user: String,
    /// `reading`, `writing`, `analysing`, `done` or `failed`.
    pub stage: String,
    /// Rows written so far.
    pub written: u64,
    /// Rows to write.
    pub rows: u64,
    /// The batch, when done.
    pub batch_id: Option<i64>,
    /// The same bytes were already imported (nothing added).
    pub already_imported: bool,
    /// Why it failed.
    pub error: Option<String>,
}

impl Job {
    /// Finished one way or the other.
    pub fn finished(&self) -> bool {
        matches!(self.stage.as_str(), "done" | "failed")
    }
}

fn update(state: &AppState, id: u64, f: impl FnOnce(&mut Job)) {
    if let Some(j) = state
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_mut(&id)
    {
        f(j);
    }
}

/// Start importing `bytes` for `anchor`; returns the job id at once.
pub fn start(state: &AppState, anchor: Anchor, file_name: &str, bytes: Vec<u8>, user: &str) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let job = Job {
        id,
        anchor_id: anchor.id,
        file_name: read::clean_name(file_name),
        user: user.to_string(),
        stage: "reading".into(),
        written: 0,
        rows: 0,
        batch_id: None,
        already_imported: false,
        error: None,
    };
    state
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, job.clone());
    let st = state.clone();
    let user = user.to_string();
    let name = file_name.to_string();
    tokio::spawn(async move {
        let r = run(&st, id, anchor, name, bytes, user).await;
        update(&st, id, |j| match r {
            Ok(()) => j.stage = "done".into(),
            Err(e) => {
                j.stage = "failed".into();
                j.error = Some(e);
            }
        });
    });
    id
}

async fn run(
    st: &AppState,
    id: u64,
    anchor: Anchor,
    name: String,
    bytes: Vec<u8>,
    user: String,
) -> Result<(), String> {
    // Recognise a re-upload (by this anchor: duplicates are per anchor) before reading it.
    let sha = anchornet_store::sha256_hex(&bytes);
    if let Some(b) = st
        .store
        .batch_by_sha256(anchor.id, &sha)
        .await
        .map_err(|e| e.to_string())?
    {
        update(st, id, |j| {
            j.batch_id = Some(b.id);
            j.already_imported = true;
        });
        return Ok(());
    }
    let limits = st.cfg.limits;
    let nb = tokio::task::spawn_blocking(move || read::read(&anchor, &name, bytes, &user, &limits))
        .await
        .map_err(|e| e.to_string())??;
    let rows = (nb.payments.len() + nb.suppliers.len()) as u64;
    update(st, id, |j| {
        j.stage = "writing".into();
        j.rows = rows;
    });
    let st2 = st.clone();
    let progress = move |done: u64, _total: u64| update(&st2, id, |j| j.written = done);
    let imported = st
        .store
        .import_batch(&nb, &progress)
        .await
        .map_err(|e| e.to_string())?;
    let created = matches!(imported, Imported::Created(_));
    update(st, id, |j| {
        j.batch_id = Some(imported.batch().id);
        j.already_imported = !created;
        j.stage = "analysing".into();
    });
    if created {
        st.rebuild().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Wait until a job finishes (for the API's `?wait=true`).
pub async fn wait(state: &AppState, id: u64) -> Option<Job> {
    loop {
        let j = state
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()?;
        if j.finished() {
            return Some(j);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Import one file from disk for an anchor, outside any server (the CLI, the demo), within
/// `limits` (a file over one is refused whole and nothing of it is kept).
pub async fn import_file(
    store: &dyn anchornet_store::Store,
    anchor: &Anchor,
    path: &std::path::Path,
    user: &str,
    limits: &Limits,
) -> Result<Imported, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "upload".into());
    let a = anchor.clone();
    let u = user.to_string();
    let l = *limits;
    let nb = tokio::task::spawn_blocking(move || read::read(&a, &name, bytes, &u, &l))
        .await
        .map_err(|e| e.to_string())??;
    store
        .import_batch(&nb, &|_, _| {})
        .await
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Load a network file's anchors and every one of their files (payments, vendor lists,
/// contracts registers) into a workspace's store, one batch per file. Files already
/// imported are recognised and skipped. `progress` is told each file.
pub async fn import_network(
    store: &dyn anchornet_store::Store,
    net: &anchornet_network::NetworkConfig,
    user: &str,
    limits: &Limits,
    mut progress: impl FnMut(&str, &Imported),
) -> Result<(), String> {
    let existing = store.anchors().await.map_err(|e| e.to_string())?;
    for a in &net.anchors {
        let kind = format!("{:?}", a.kind);
        let kind = crate::workspace::ANCHOR_KINDS
            .iter()
            .find(|k| k.replace('_', "") == kind.to_lowercase())
            .copied()
            .unwrap_or("other");
        let anchor = match existing.iter().find(|x| x.name == a.name) {
            Some(x) => x.clone(),
            None => store
                .add_anchor(&a.name, kind)
                .await
                .map_err(|e| e.to_string())?,
        };
        let lists: Vec<String> = a
            .payments
            .iter()
            .chain(&a.vendors)
            .chain(&a.registers)
            .map(|p| net.path(p).display().to_string())
            .collect();
        let files = anchornet_ingest::input::expand(&lists).map_err(|e| e.to_string())?;
        for f in files {
            let r = import_file(store, &anchor, &f, user, limits).await?;
            progress(&f.display().to_string(), &r);
        }
    }
    Ok(())
}
