//! `anchornet serve`: the workspace in a browser.

use std::path::PathBuf;

use anyhow::Context;

/// Serve a workspace's web app: sign-in, the network overview, anchors, suppliers,
/// categories, leakage, the map, imports, the review queue and the published view, each table
/// with `.csv` and `.json` twins (see docs/web.md). Stops on Ctrl-C.
///
/// Exit codes: 0 stopped; 2 the workspace cannot be opened or the address cannot be bound.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The workspace directory.
    #[arg(long, env = "ANCHORNET_WORKSPACE", default_value = ".")]
    pub workspace: PathBuf,
    /// Address to listen on (default: the workspace's `web.bind`, 127.0.0.1:8080).
    #[arg(long)]
    pub bind: Option<String>,
    /// Session cookies without `Secure`, for plain http on loopback only.
    #[arg(long)]
    pub insecure_cookies: bool,
}

/// A Tokio runtime for a command.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    if a.insecure_cookies {
        std::env::set_var("ANCHORNET_SECURE_COOKIES", "false");
    }
    runtime()?.block_on(async {
        eprintln!(
            "opening workspace {} (analysing its batches)…",
            a.workspace.display()
        );
        let state = anchornet_web::open(&a.workspace)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        let bind = a.bind.clone().unwrap_or_else(|| state.cfg.web.bind.clone());
        serve(state, &bind).await
    })
}

/// Serve until Ctrl-C; shared with `demo --serve`.
pub async fn serve(state: anchornet_web::AppState, bind: &str) -> anyhow::Result<u8> {
    let insecure = !state.cfg.web.secure_cookies;
    anchornet_web::serve(
        state,
        bind,
        |addr| {
            // Tests and scripts read this line to find the port.
            println!("listening on http://{addr}");
            if insecure {
                eprintln!("note: cookies without Secure (plain http); use only on loopback");
            }
        },
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await
    .with_context(|| format!("serving on {bind}"))?;
    Ok(0)
}

/// `anchornet demo --serve`: the bundled network loaded into a workspace in `out/workspace`
/// (each file one batch; already-loaded files are recognised), users `admin`, `salford`
/// (member of Salford City Council) and `viewer` with one password (ANCHORNET_PASSWORD, or
/// generated and shown once), then served.
pub fn demo(data: &std::path::Path, out: &std::path::Path, bind: &str) -> anyhow::Result<u8> {
    use anchornet_store::{password, Role, Username};
    let net = anchornet_network::NetworkConfig::load(&data.join("anchornet.toml"))?;
    let ws = out.join("workspace");
    runtime()?.block_on(async {
        // The demo's action plan, its assessments and its asset register in the workspace.
        let plan = data.join("plan.toml");
        let cfg = anchornet_web::workspace::write_for_network(
            &ws,
            &net,
            false,
            plan.exists().then_some(plan.as_path()),
        )?;
        let store = cfg.open_store().await?;
        eprintln!("loading the demo network into {} …", ws.display());
        anchornet_web::import::import_network(store.as_ref(), &net, "demo", &cfg.limits, |f, r| {
            if let anchornet_store::Imported::Created(b) = r {
                eprintln!("  batch {}: {f} ({} rows)", b.id, b.accepted);
            }
        })
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
        if store.users().await?.is_empty() {
            let pw = std::env::var("ANCHORNET_PASSWORD")
                .unwrap_or_else(|_| password::token()[..20].to_string());
            let hash = password::hash(&pw)?;
            let salford = store
                .anchors()
                .await?
                .into_iter()
                .find(|a| a.name == "Salford City Council")
                .map(|a| a.id);
            store
                .add_user(&Username::parse("admin")?, &hash, Role::Admin)
                .await?;
            store
                .add_user(&Username::parse("viewer")?, &hash, Role::Viewer)
                .await?;
            if let Some(s) = salford {
                store
                    .add_user(&Username::parse("salford")?, &hash, Role::Member(s))
                    .await?;
            }
            eprintln!(
                "users admin, salford (member of Salford City Council) and viewer; password: {pw}"
            );
        }
        drop(store);
        let state = anchornet_web::open(&ws)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        serve(state, bind).await
    })
}
