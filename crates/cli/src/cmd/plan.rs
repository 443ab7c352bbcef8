//! `anchornet plan`: the network's action plan with every status recomputed from the data.
//! Glue only: the work is in the `anchornet-plan` crate.

use std::path::PathBuf;

use anchornet_plan::indicator::{Facts, Source};
use anchornet_plan::{assess::Assessments, history, render, Evaluated, Plan};
use anyhow::Context;

/// The network's action plan: actions with owners, anchors, pillars and deadlines, each with
/// a target on a measured indicator (`local_share_of_located`, `vacant_assets_in_community_use`,
/// `new_hires_deprived_share`, …; see docs/plan.md), judged on track, at risk or off track
/// from this run's data.
///
/// Writes `plan.html` (one self-contained document for the board), `plan.docx` (the same
/// plan as a Word document: the actions table and the heatmap), `plan.xlsx`, `plan.csv`,
/// `plan-readings.csv` (and `assessment.csv` with `--assessments`) into `--out`, and appends
/// every change of an action's status, target or figure since the last run to
/// `plan-history.csv` there (`--history` to keep it elsewhere).
///
/// Exit codes: 0 done; 2 usage or input error (unreadable plan, network or history file).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The network file: its spend analysis is computed for the spend indicators, and its
    /// place for the workforce indicators.
    #[arg(long, conflicts_with = "analysis")]
    pub network: Option<PathBuf>,
    /// A spend analysis already computed (`analysis.json` of `anchornet analyse`), instead of
    /// running the network.
    #[arg(long)]
    pub analysis: Option<PathBuf>,
    /// The plan file (TOML; docs/plan.md).
    #[arg(long)]
    pub actions: PathBuf,
    /// Self-assessment answers (`anchor,year,question,level,evidence`), one file per anchor
    /// and year or together: shown as the network heatmap beside the measured figures.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub assessments: Vec<PathBuf>,
    /// Output directory.
    #[arg(long, default_value = "anchornet-plan")]
    pub out: PathBuf,
    /// The change log [default: OUT/plan-history.csv].
    #[arg(long)]
    pub history: Option<PathBuf>,
    /// The time stamped on this run's changes (default: now, UTC).
    #[arg(long)]
    pub at: Option<String>,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let plan = Plan::load(&a.actions)?;
    let mut facts = Facts::default();
    let needs_geo =
        plan.uses(Source::Assets) || plan.uses(Source::Workforce) || a.network.is_some();
    let geo = if needs_geo {
        Some(anchornet_geo::GeoIndex::open_default().context("geography index")?)
    } else {
        None
    };
    let cfg = a
        .network
        .as_deref()
        .map(anchornet_network::NetworkConfig::load)
        .transpose()?;
    if let Some(p) = &a.analysis {
        let f = std::fs::File::open(p).with_context(|| p.display().to_string())?;
        facts.analysis = Some(
            serde_json::from_reader(std::io::BufReader::new(f))
                .with_context(|| format!("{}: not an analysis.json", p.display()))?,
        );
    } else if let (Some(cfg), Some(geo)) = (&cfg, &geo) {
        let bar = super::analyse::spinner();
        let progress = |stage: &str, detail: &str| {
            bar.set_prefix(stage.to_string());
            bar.set_message(detail.to_string());
        };
        let prepared = anchornet_network::pipeline::prepare(cfg, geo, None, &progress);
        bar.finish_and_clear();
        facts.analysis = Some(anchornet_metrics::analyse(&prepared?.dataset, None));
    }
    facts.assets_year = plan.as_of.or_else(|| {
        facts
            .analysis
            .as_ref()
            .and_then(|an| an.figures.iter().filter_map(|f| f.fy).max())
    });
    if !plan.assets.is_empty() && plan.uses(Source::Assets) {
        let geo = geo.as_ref().expect("opened for assets");
        let points =
            anchornet_geo::PointIndex::open_reference(&anchornet_geo::default_reference_dir())
                .context("LSOA boundaries")?;
        let locator = anchornet_assets::Locator {
            geo,
            points: &points,
        };
        for input in &plan.assets {
            let files: Vec<String> = input
                .registers
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let register =
                anchornet_assets::Register::read(&files, &anchornet_ingest::Limits::process());
            for p in &register.problems {
                eprintln!("{}: {}", p.file, p.problem);
            }
            let decisions = input
                .decisions
                .as_deref()
                .map(anchornet_assets::Decisions::read)
                .transpose()
                .context("asset decisions")?;
            let located = anchornet_assets::Located::build(register, &locator, decisions);
            for p in &located.decision_problems {
                eprintln!(
                    "{}:{}: {} = {:?}: {}",
                    p.file, p.line, p.column, p.value, p.problem
                );
            }
            facts.add_assets(&input.anchor, &located);
        }
    }
    if let (Some(w), true) = (&plan.workforce, plan.uses(Source::Workforce)) {
        match (&cfg, &geo) {
            (Some(cfg), Some(geo)) => {
                let (local, _, _) = anchornet_network::places_and_rules(cfg, geo)?;
                for (file, e) in facts.add_workforce(w, geo, &local, cfg.deprivation)? {
                    eprintln!("{file}: {e}");
                }
            }
            _ => eprintln!("workforce indicators need --network (its place): no data"),
        }
    }
    let assessments = if a.assessments.is_empty() {
        None
    } else {
        let mut s = Assessments::default();
        for f in &a.assessments {
            let text = std::fs::read_to_string(f).with_context(|| f.display().to_string())?;
            s.parse(&f.display().to_string(), &text);
        }
        for p in &s.problems {
            eprintln!(
                "{}:{}: {} = {:?}: {}",
                p.file, p.line, p.column, p.value, p.problem
            );
        }
        s.measure(&facts);
        Some(s)
    };

    let evaluated = Evaluated::new(plan, &facts);
    std::fs::create_dir_all(&a.out).with_context(|| a.out.display().to_string())?;
    let log_path = a
        .history
        .clone()
        .unwrap_or_else(|| a.out.join("plan-history.csv"));
    let before = history::read(&log_path)?;
    let at = a.at.clone().unwrap_or_else(now);
    let changes = history::diff(&history::replay(&before), &evaluated.state(), &at);
    history::append(&log_path, &changes)?;
    let log: Vec<_> = before.into_iter().chain(changes.iter().cloned()).collect();
    let written = render::write(&a.out, &evaluated, &log, assessments.as_ref())?;

    for (act, x) in &evaluated.actions {
        println!(
            "{:<4} {:<9}  {}: {}",
            act.id,
            x.status.as_str(),
            act.target.describe(act.deadline),
            x.reason
        );
    }
    let counts = evaluated
        .counts()
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "{} actions: {counts}; {} changes logged",
        evaluated.actions.len(),
        changes.len()
    );
    for w in written {
        eprintln!("wrote {}", w.display());
    }
    eprintln!("appended to {}", log_path.display());
    Ok(0)
}

/// Now, UTC, to the second (RFC 3339).
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    history::rfc3339(secs)
}
