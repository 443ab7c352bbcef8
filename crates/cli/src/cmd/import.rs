//! `anchornet import`: import files into a workspace as batches.

use std::path::PathBuf;

use anchornet_store::Imported;
use anyhow::Context;

/// Import payment files (or contracts registers, vendor lists) into a workspace for one
/// anchor: one batch per file, all of its rows or none; a file already imported is
/// recognised by its SHA-256 and skipped. A running server picks the batches up within a
/// few seconds.
///
/// Exit codes: 0 done; 2 a file could not be read or stored (earlier files stay imported).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files, directories or glob patterns.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// The anchor the files belong to (its name).
    #[arg(long)]
    pub anchor: String,
    /// The workspace directory.
    #[arg(long, env = "ANCHORNET_WORKSPACE", default_value = ".")]
    pub workspace: PathBuf,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    super::serve::runtime()?.block_on(async {
        let cfg = anchornet_web::workspace::WorkspaceConfig::load(&a.workspace)?;
        let store = cfg.open_store().await?;
        let anchor = store
            .anchors()
            .await?
            .into_iter()
            .find(|x| x.name == a.anchor)
            .with_context(|| {
                format!(
                    "no anchor named `{}` (see `anchornet anchor list`)",
                    a.anchor
                )
            })?;
        for f in anchornet_ingest::input::expand(&a.inputs)? {
            let r =
                anchornet_web::import::import_file(store.as_ref(), &anchor, &f, "cli", &cfg.limits)
                    .await
                    .map_err(|e| anyhow::anyhow!(e))?;
            let b = r.batch();
            match r {
                Imported::Created(_) => println!(
                    "batch {}: {} — {} of {} rows accepted ({} skipped, {} rejected)",
                    b.id, b.file_name, b.accepted, b.rows_read, b.skipped, b.rejected
                ),
                Imported::AlreadyImported(_) => {
                    println!("{}: already imported as batch {}", f.display(), b.id)
                }
            }
        }
        Ok(0)
    })
}
