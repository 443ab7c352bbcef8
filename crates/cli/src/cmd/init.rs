//! `anchornet init`: make a workspace.

use std::path::PathBuf;

use anyhow::Context;

/// Make a network workspace in DIR: `anchornet.toml` for a network in PLACE and its SQLite
/// database (`anchornet.db`). Then add anchors (`anchornet anchor add`) and users
/// (`anchornet user add`), and `anchornet serve`.
///
/// Exit codes: 0 made; 2 the place is unknown or a workspace is already there.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The workspace directory (created if missing).
    pub dir: PathBuf,
    /// The local place: a district, region, combined authority or built-in place.
    #[arg(long)]
    pub place: String,
    /// The wider place (defaults to the local place).
    #[arg(long)]
    pub wider: Option<String>,
    /// The network's name (defaults to "PLACE anchor network").
    #[arg(long)]
    pub name: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let rt = super::serve::runtime()?;
    let geo = anchornet_geo::GeoIndex::open_default().context("geography index")?;
    let name = a
        .name
        .clone()
        .unwrap_or_else(|| format!("{} anchor network", a.place));
    let cfg = rt.block_on(anchornet_web::workspace::init(
        &a.dir,
        &name,
        &a.place,
        a.wider.as_deref(),
        &geo,
    ))?;
    println!(
        "made workspace {} ({}), database {}",
        a.dir.display(),
        cfg.name,
        anchornet_store::redact_url(&cfg.database_url())
    );
    println!(
        "next: anchornet anchor add --workspace {} NAME --kind council",
        a.dir.display()
    );
    Ok(0)
}
