//! An anchor's own supplier list, vendor master or contracts register, in whatever layout:
//! read by `anchornet-ingest`, whose supplier-side records carry name, postcode, company,
//! charity and VAT numbers, supplier id and a declared SME flag.

use std::path::Path;

use anchornet_ingest::{Ingest, Record, SupplierRecord};

use super::{
    NameFilter, RegisterError, RegisterIssue, RegisterKind, RegisterRecord, Registers, Sme,
};
use crate::ids;

/// Read a supplier list or contracts register.
pub fn load(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
) -> Result<(), RegisterError> {
    load_as(path, regs, filter, RegisterKind::SupplierList)
}

/// Read a supplier-side file in any layout as a register of `kind` (a supplier list, or a
/// business-rates ratepayer list). A ratepayer list names individuals too: their rows are
/// never used (reported instead), as personal data with no bearing on organisations.
pub fn load_as(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
    kind: RegisterKind,
) -> Result<(), RegisterError> {
    let ing = Ingest::default();
    let args = vec![path.to_string_lossy().to_string()];
    let mut out = Vec::new();
    let mut payments = 0u64;
    let mut issues = Vec::new();
    let reports = ing
        .paths(
            &args,
            |_, _, _| {},
            |rec| match rec {
                Record::Supplier(s) => out.push(s),
                Record::Payment(_) => payments += 1,
            },
            |i| {
                if matches!(
                    i.outcome,
                    anchornet_ingest::Outcome::Rejected | anchornet_ingest::Outcome::FileError
                ) {
                    issues.push(RegisterIssue {
                        file: i.file,
                        line: i.line,
                        problem: i.problem,
                    });
                }
            },
        )
        .map_err(|e| RegisterError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
    if out.is_empty() && payments > 0 {
        return Err(RegisterError::Format {
            path: path.display().to_string(),
            message: format!(
                "{payments} payment rows and no supplier rows: a payment file, not a register"
            ),
        });
    }
    if let Some(err) = reports.iter().find_map(|r| r.error.clone()) {
        if out.is_empty() {
            return Err(RegisterError::Format {
                path: path.display().to_string(),
                message: err,
            });
        }
    }
    for s in out {
        if kind == RegisterKind::BusinessRates {
            let parsed = crate::parse::parse(&s.name);
            if crate::kind::from_name(&s.name, &parsed)
                .is_some_and(|e| e.kind == crate::Kind::Individual)
            {
                issues.push(RegisterIssue {
                    file: s.source_file.clone(),
                    line: s.line,
                    problem: "a ratepayer who is an individual: not used".into(),
                });
                continue;
            }
        }
        let company = s.company_number.as_deref().and_then(ids::company_number);
        let charity = s.charity_number.as_deref().and_then(ids::charity_number);
        if filter.is_some_and(|f| !f.keep(&s.name, company.as_deref(), charity.as_deref())) {
            continue;
        }
        regs.records.push(record_of(&s, kind));
    }
    regs.issues.extend(issues);
    Ok(())
}

/// A supplier-side row read by ingest as a register record of `kind`: identifiers
/// normalised, a declared SME flag kept with where it was declared. The one conversion, for
/// files read here and for a workspace's stored rows alike.
pub fn record_of(s: &SupplierRecord, kind: RegisterKind) -> RegisterRecord {
    // A ratepayer list's relief columns (small business rate relief) are about the
    // property's rateable value, not the PPN 001 size of the occupier, and its property
    // reference is not a supplier id: neither is used.
    let rates = kind == RegisterKind::BusinessRates;
    let sme = match s.sme {
        _ if rates => Sme::Unknown,
        Some(true) => Sme::Yes,
        Some(false) => Sme::No,
        None => Sme::Unknown,
    };
    RegisterRecord {
        register: Some(kind),
        file: s.source_file.clone(),
        line: s.line,
        // A ratepayer list is the billing authority's list of occupiers, not an anchor's list
        // of its payees: the publisher ingest guesses for it is no anchor.
        anchor: Some(s.anchor.clone()).filter(|a| !a.is_empty() && !rates),
        name: s.name.clone(),
        company_number: s.company_number.as_deref().and_then(ids::company_number),
        charity_number: s.charity_number.as_deref().and_then(ids::charity_number),
        vat_number: s.vat_number.as_deref().and_then(ids::vat_number),
        supplier_id: s
            .supplier_id
            .as_deref()
            .filter(|_| !rates)
            .and_then(ids::supplier_id),
        postcode: s.postcode.clone(),
        sme,
        sme_basis: (sme != Sme::Unknown).then(|| format!("declared in {}", s.source_file)),
        date: s.date,
        ..RegisterRecord::default()
    }
}
