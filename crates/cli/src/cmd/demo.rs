//! `anchornet demo`: run the whole pipeline on the real network bundled in `data/demo/`.

use std::path::PathBuf;

/// Run Anchornet on a bundled real network: by default Salford, Manchester and Trafford
/// councils' published payments and Salford's contracts register, with Greater Manchester as
/// the wider place (data/demo/README.md); with `--network west-yorkshire`, four West
/// Yorkshire councils' 2018/19 payments with three business-rates ratepayer lists
/// (data/west-yorkshire/README.md). Open Government Licence v3.0. Writes the HTML report,
/// workbook, CSV set, JSON, resolved payments and issues to `--out`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which bundled network.
    #[arg(long, value_enum, default_value_t = Network::GreaterManchester)]
    pub network: Network,
    /// Where to write the outputs.
    #[arg(long, default_value = "anchornet-demo")]
    pub out: PathBuf,
    /// The bundled data directory (defaults to the repository's data/demo).
    #[arg(long, hide = true)]
    pub data: Option<PathBuf>,
    /// Print the analysis as JSON on stdout instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Serve the demo network in the browser instead (a workspace in OUT/workspace; see
    /// docs/web.md).
    #[arg(long)]
    pub serve: bool,
    /// With --serve: the address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
    pub bind: String,
}

/// The bundled networks.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// Salford, Manchester and Trafford (data/demo): plan, assets, hub and workforce too.
    GreaterManchester,
    /// Leeds, Bradford, Calderdale and Wakefield, 2018/19, with ratepayer lists
    /// (data/west-yorkshire).
    WestYorkshire,
}

impl Network {
    /// The network's folder in the repository.
    pub fn dir(self) -> PathBuf {
        let name = match self {
            Network::GreaterManchester => "demo",
            Network::WestYorkshire => "west-yorkshire",
        };
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data")
            .join(name);
        p.canonicalize().unwrap_or(p)
    }
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let data = a.data.clone().unwrap_or_else(|| a.network.dir());
    let file = data.join("anchornet.toml");
    anyhow::ensure!(
        file.is_file(),
        "demo network not found at {} (run from a clone of the repository)",
        file.display()
    );
    if a.serve {
        return super::serve::demo(&data, &a.out, &a.bind);
    }
    eprintln!(
        "Anchornet demo: analysing the bundled real network {}",
        file.display()
    );
    let cfg = anchornet_network::NetworkConfig::load(&file)?;
    super::analyse::run_network(&cfg, None, &a.out, a.json, Default::default())
}
