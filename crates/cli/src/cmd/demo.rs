//! `anchornet demo`: run the pipeline on the real network bundled in `data/demo/`.

use std::path::PathBuf;

/// Run Anchornet on the bundled real sample network: Salford, Manchester and Trafford
/// councils' published payments (Open Government Licence v3.0; see data/demo/README.md).
///
/// Today this ingests every bundled file and writes the clean payments and the issues
/// report to the output directory; as the analysis stages land it runs them too.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Where to write the outputs.
    #[arg(long, default_value = "anchornet-demo")]
    pub out: PathBuf,
    /// The bundled data directory (defaults to the repository's data/demo).
    #[arg(long, hide = true)]
    pub data: Option<PathBuf>,
}

/// The repository's bundled demo data.
pub fn demo_dir() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
    p.canonicalize().unwrap_or(p)
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let data = a.data.clone().unwrap_or_else(demo_dir);
    anyhow::ensure!(
        data.is_dir(),
        "demo data not found at {} (run from a clone of the repository)",
        data.display()
    );
    std::fs::create_dir_all(&a.out)?;
    let payments = a.out.join("payments.csv");
    let issues = a.out.join("issues.csv");
    eprintln!(
        "Anchornet demo: ingesting the bundled real network in {}",
        data.display()
    );
    let code = super::ingest::run(super::ingest::Args {
        inputs: vec![
            data.join("spend").to_string_lossy().to_string(),
            data.join("registers").to_string_lossy().to_string(),
        ],
        anchor: None,
        mapping: None,
        out: Some(payments.clone()),
        issues: Some(issues.clone()),
        json: false,
        explain: false,
        keep_duplicates: false,
    })?;
    eprintln!(
        "wrote {} , {} and {}",
        payments.display(),
        a.out.join("payments.suppliers.csv").display(),
        issues.display()
    );
    Ok(code)
}
