//! The resolve stage as the pipeline uses it: the network's distinct supplier names, with
//! what the payment files say about them, resolved by `anchornet-resolve` into one entity per
//! real supplier, linked to the registers (the anchors' contracts registers and vendor lists,
//! and any Companies House, Charity Commission or OCDS files the network names).

use std::path::PathBuf;

use anchornet_core::Pence;
use anchornet_ingest::SupplierRecord;
use anchornet_resolve::registers::{NameFilter, Registers};
use anchornet_resolve::{Config, NameInput, Overrides, Resolution, Resolver};
use anchornet_resolve::{RegisterKind, RegisterRecord, Sme};

use crate::pipeline::PipelineError;

/// Registers to link: files, with the anchor whose own list each is (if any), and records
/// already read (a workspace's stored vendor lists and contracts registers).
pub struct RegisterFiles {
    /// (path, anchor) pairs.
    pub files: Vec<(PathBuf, Option<String>)>,
    /// Records already read.
    pub records: Vec<RegisterRecord>,
}

/// A supplier-side record read by ingest (a contracts register or vendor list row), as an
/// anchor's own supplier-list record for the resolver.
pub fn register_record(s: &SupplierRecord) -> RegisterRecord {
    RegisterRecord {
        register: Some(RegisterKind::SupplierList),
        file: s.source_file.clone(),
        line: s.line,
        anchor: Some(s.anchor.clone()).filter(|a| !a.is_empty()),
        name: s.name.clone(),
        previous_names: Vec::new(),
        company_number: s.company_number.clone(),
        charity_number: s.charity_number.clone(),
        vat_number: s.vat_number.clone(),
        supplier_id: s.supplier_id.clone(),
        postcode: s.postcode.clone(),
        sic: Vec::new(),
        legal_form: None,
        kind: None,
        status: None,
        sme: match s.sme {
            Some(true) => Sme::Yes,
            Some(false) => Sme::No,
            None => Sme::Unknown,
        },
        sme_basis: s.sme.map(|_| format!("declared in {}", s.source_file)),
    }
}

/// Resolve distinct names. `inputs[i]` is the i-th distinct name (trimmed, non-empty), so
/// `resolution.names[i]` is its resolution.
pub fn resolve_names(
    inputs: &[NameInput],
    registers: RegisterFiles,
    overrides: Option<&std::path::Path>,
) -> Result<(Resolution, Vec<(String, usize)>), PipelineError> {
    let filter = NameFilter::from_inputs(inputs);
    let mut regs = Registers::new();
    for r in registers.records {
        regs.push(r);
    }
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
