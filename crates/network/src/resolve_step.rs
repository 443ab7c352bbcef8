//! The resolve stage as the pipeline uses it: the network's distinct supplier names, with
//! what the payment files say about them, resolved by `anchornet-resolve` into one entity per
//! real supplier, linked to the registers (the anchors' contracts registers and vendor lists,
//! and any Companies House, Charity Commission or OCDS files the network names).

use std::collections::HashSet;
use std::path::PathBuf;

use anchornet_ingest::{Issue, Outcome, SupplierRecord};
use anchornet_resolve::registers::{NameFilter, Registers};
use anchornet_resolve::{Config, NameInput, Resolution, Resolver};
use anchornet_resolve::{RegisterKind, RegisterRecord};
use anchornet_suppliers::Decisions;

use crate::pipeline::PipelineError;

/// A register file to read.
pub struct RegisterFile {
    /// The file (or OCDS folder).
    pub path: PathBuf,
    /// The anchor whose own list it is.
    pub anchor: Option<String>,
    /// An anchor's vendor list (its addresses are vendor-master addresses).
    pub vendor_list: bool,
}

/// Registers to link: files, and records already read (a workspace's stored vendor lists
/// and contracts registers).
#[derive(Default)]
pub struct RegisterFiles {
    /// Files to read.
    pub files: Vec<RegisterFile>,
    /// Records already read.
    pub records: Vec<RegisterRecord>,
    /// The files of `records` that are vendor lists.
    pub vendor_files: HashSet<String>,
}

/// A supplier-side record read by ingest (a contracts register or vendor list row stored by
/// a workspace), as a register record: the same conversion as for the files the pipeline
/// reads ([`anchornet_resolve::registers::supplier_list::record_of`]).
pub fn register_record(s: &SupplierRecord) -> RegisterRecord {
    anchornet_resolve::registers::supplier_list::record_of(s, RegisterKind::SupplierList)
}

/// One register file reconciled: rows read = kept + not about the network's suppliers +
/// rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegisterFileReport {
    /// The file.
    pub file: String,
    /// Rows kept as evidence about the network's suppliers.
    pub kept: usize,
    /// Rows about none of the network's suppliers (no shared identifier or rare name word),
    /// left out.
    pub not_relevant: usize,
    /// Rows that could not be used (see the issues), including individuals' rows of a
    /// ratepayer list.
    pub rejected: usize,
}

impl RegisterFileReport {
    /// Rows read.
    pub fn read(&self) -> usize {
        self.kept + self.not_relevant + self.rejected
    }
}

/// What the resolve step gives the supplier register.
pub struct Resolved {
    /// The resolution.
    pub resolution: Resolution,
    /// The register records the resolver was given (`resolution.register_links` index them).
    pub records: Vec<RegisterRecord>,
    /// Register files read, each reconciled.
    pub files: Vec<RegisterFileReport>,
    /// Register rows that could not be used, and kept rows without a usable postcode.
    pub issues: Vec<Issue>,
    /// Files that are anchors' vendor lists.
    pub vendor_files: HashSet<String>,
}

/// Resolve distinct names. `inputs[i]` is the i-th distinct name (trimmed, non-empty), so
/// `resolution.names[i]` is its resolution. People's decisions on which names are one
/// supplier (`decisions`) are applied by the resolver.
pub fn resolve_names(
    inputs: &[NameInput],
    registers: RegisterFiles,
    decisions: &Decisions,
) -> Result<Resolved, PipelineError> {
    let filter = NameFilter::from_inputs(inputs);
    let mut regs = Registers::new();
    let mut vendor_files = registers.vendor_files;
    for r in registers.records {
        regs.push(r);
    }
    let mut dropped = Vec::new();
    for f in &registers.files {
        let before = regs.records.len();
        let dropped_before = filter.dropped();
        regs.load(&f.path, Some(&filter))?;
        dropped.push(filter.dropped() - dropped_before);
        for r in &mut regs.records[before..] {
            if let Some(a) = &f.anchor {
                r.anchor.get_or_insert_with(|| a.clone());
            }
            if f.vendor_list {
                vendor_files.insert(r.file.clone());
            }
        }
    }
    let mut issues: Vec<Issue> = regs
        .issues
        .iter()
        .map(|i| Issue {
            file: i.file.clone(),
            line: i.line,
            column: String::new(),
            value: String::new(),
            problem: i.problem.clone(),
            outcome: if i.line == 0 {
                Outcome::FileError
            } else {
                Outcome::Rejected
            },
        })
        .collect();
    // A row that names a supplier but gives no usable postcode still identifies it; say so.
    issues.extend(
        regs.records
            .iter()
            .filter(|r| r.postcode.is_none() && r.line > 0)
            .map(|r| Issue {
                file: r.file.clone(),
                line: r.line,
                column: "postcode".into(),
                value: r.name.clone(),
                problem: "no usable postcode (blank or not a UK postcode): identifies the supplier, does not locate it".into(),
                outcome: Outcome::Warning,
            }),
    );
    // Files given as records (a workspace's stored rows) were filtered by no one.
    let offset = regs.files.len().saturating_sub(dropped.len());
    let files = regs
        .files
        .iter()
        .enumerate()
        .map(|(i, (f, kept))| {
            let rejected = regs
                .issues
                .iter()
                .filter(|x| {
                    x.line > 0
                        && (x.file == *f
                            || x.file.starts_with(&format!("{f}!"))
                            || x.file.starts_with(&format!("{f}:")))
                })
                .count();
            RegisterFileReport {
                file: f.clone(),
                kept: *kept,
                not_relevant: i.checked_sub(offset).map_or(0, |j| dropped[j]),
                rejected,
            }
        })
        .collect();
    let records = regs.records.clone();
    let resolver = Resolver::new(Config::default())
        .with_registers(regs)
        .with_overrides(decisions.resolver_overrides());
    let resolution = resolver.resolve(inputs);
    debug_assert_eq!(resolution.names.len(), inputs.len());
    Ok(Resolved {
        resolution,
        records,
        files,
        issues,
        vendor_files,
    })
}
