//! One module per subcommand. Each has `Args` (clap derive; doc comments are the help)
//! and `run(Args) -> anyhow::Result<u8>` returning the exit code.
pub mod analyse;
pub mod assets;
pub mod demo;
pub mod geo;
pub mod hub;
pub mod import;
pub mod ingest;
pub mod init;
pub mod jobs;
pub mod place;
pub mod plan;
pub mod resolve;
pub mod serve;
pub mod suppliers;
pub mod user;
pub mod workforce;
