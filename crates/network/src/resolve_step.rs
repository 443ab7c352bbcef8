//! The resolve stage as the pipeline uses it: the network's distinct supplier names, with
//! what the payment files say about them, resolved by `anchornet-resolve` into one entity per
//! real supplier, linked to the registers (the anchors' contracts registers and vendor lists,
//! and any Companies House, Charity Commission or OCDS files the network names).

use std::path::PathBuf;

use anchornet_core::Pence;
use anchornet_resolve::registers::{NameFilter, Registers};
use anchornet_resolve::{Config, NameInput, Overrides, Resolution, Resolver};

use crate::pipeline::PipelineError;

/// Register files to link, with the anchor whose own list each is (if any).
pub struct RegisterFiles {
    /// (path, anchor) pairs.
    pub files: Vec<(PathBuf, Option<String>)>,
}

/// Resolve distinct names. `inputs[i]` is the i-th distinct name (trimmed, non-empty), so
/// `resolution.names[i]` is its resolution.
pub fn resolve_names(
    inputs: &[NameInput],
    registers: &RegisterFiles,
    overrides: Option<&std::path::Path>,
) -> Result<(Resolution, Vec<(String, usize)>), PipelineError> {
    let filter = NameFilter::from_inputs(inputs);
    let mut regs = Registers::new();
    for (path, anchor) in &registers.files {
        let before = regs.records.len();
        regs.load(path, Some(&filter))
            .map_err(|e| PipelineError::Config(e.to_string()))?;
        if let Some(a) = anchor {
            for r in &mut regs.records[before..] {
                r.anchor.get_or_insert_with(|| a.clone());
            }
        }
    }
    let files = regs.files.clone();
    let mut resolver = Resolver::new(Config::default()).with_registers(regs);
    if let Some(o) = overrides {
        resolver = resolver
            .with_overrides(Overrides::load(o).map_err(|e| PipelineError::Config(e.to_string()))?);
    }
    let r = resolver.resolve(inputs);
    debug_assert_eq!(r.names.len(), inputs.len());
    Ok((r, files))
}

/// A resolver input for one distinct name.
pub fn input(name: &str, anchor: &str, spend: i64, company: Option<&str>) -> NameInput {
    NameInput {
        name: name.to_string(),
        anchor: Some(anchor.to_string()),
        company_number: company.map(str::to_string),
        spend: Pence(spend),
        ..NameInput::default()
    }
}
