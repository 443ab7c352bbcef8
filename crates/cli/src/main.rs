//! The `anchornet` binary: glue over the pipeline crates, no logic of its own.
//!
//! Exit codes: 0 success; 1 the run finished but some input rows were rejected
//! (see the issues file) only when `--strict` is given; 2 usage or input error
//! (a file that cannot be read or understood).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Payments are built on worker threads and freed on the writer's: mimalloc does that
/// cheaply where glibc's arenas contend (docs/benchmarks.md, B1).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Anchornet — community wealth building analysis for anchor institution networks.
///
/// Reads councils', NHS trusts' and universities' payment files in any layout,
/// and measures how much of their spending stays in their place.
#[derive(Parser)]
#[command(name = "anchornet", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Ingest(cmd::ingest::Args),
    Analyse(cmd::analyse::Args),
    Geo(cmd::geo::Args),
    Resolve(cmd::resolve::Args),
    Suppliers(cmd::suppliers::Args),
    Assets(cmd::assets::Args),
    Hub(cmd::hub::Args),
    Demo(cmd::demo::Args),
    Init(cmd::init::Args),
    Jobs(cmd::jobs::Args),
    Import(cmd::import::Args),
    User(cmd::user::Args),
    Anchor(cmd::user::AnchorArgs),
    Serve(cmd::serve::Args),
    Workforce(cmd::workforce::Args),
    Plan(cmd::plan::Args),
    Place(cmd::place::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Input limits for every command that reads files: the defaults, then
    // ANCHORNET_LIMIT_<KEY> (a workspace's `[limits]` applies to its imports and uploads).
    match anchornet_ingest::Limits::default().with_env(std::env::vars()) {
        Ok(l) => {
            l.install();
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Analyse(a) => cmd::analyse::run(a),
        Command::Geo(a) => cmd::geo::run(a),
        Command::Resolve(a) => cmd::resolve::run(a),
        Command::Suppliers(a) => cmd::suppliers::run(a),
        Command::Assets(a) => cmd::assets::run(a),
        Command::Hub(a) => cmd::hub::run(a),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::Jobs(a) => cmd::jobs::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::User(a) => cmd::user::run(a),
        Command::Anchor(a) => cmd::user::run_anchor(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Workforce(a) => cmd::workforce::run(a),
        Command::Plan(a) => cmd::plan::run(a),
        Command::Place(a) => cmd::place::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
