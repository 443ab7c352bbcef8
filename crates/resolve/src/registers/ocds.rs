//! OCDS release packages (Contracts Finder): the parties of each release that supplied or
//! tendered, with their identifiers (`GB-COH` Companies House, `GB-CHC` charity numbers),
//! postcode and the `sme` flag the notice declares.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::open::each_document;
use super::{
    NameFilter, RegisterError, RegisterIssue, RegisterKind, RegisterRecord, Registers, Sme,
};
use crate::ids;

/// Read one OCDS JSON file, or every `.json` file under a directory.
pub fn load(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
) -> Result<(), RegisterError> {
    let mut files: Vec<PathBuf> = Vec::new();
    if path.is_dir() {
        walk(path, &mut files).map_err(|e| RegisterError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    for f in files {
        let name = f.to_string_lossy().to_string();
        let mut text = Vec::new();
        let read = each_document(&f, |_, r| r.read_to_end(&mut text).map(|_| ()));
        if let Err(e) = read {
            regs.issues.push(RegisterIssue {
                file: name,
                line: 0,
                problem: e.to_string(),
            });
            continue;
        }
        match serde_json::from_slice::<Value>(&text) {
            Ok(v) => parties(&name, &v, regs, filter),
            Err(e) => {
                if path.is_dir() {
                    regs.issues.push(RegisterIssue {
                        file: name,
                        line: e.line() as u64,
                        problem: format!("not JSON: {e}"),
                    });
                } else {
                    return Err(RegisterError::Format {
                        path: name,
                        message: format!("not JSON: {e}"),
                    });
                }
            }
        }
    }
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.to_string_lossy().to_ascii_lowercase().contains(".json") {
            out.push(p);
        }
    }
    Ok(())
}

fn parties(file: &str, v: &Value, regs: &mut Registers, filter: Option<&NameFilter>) {
    // A release package (`releases`), a record package (`records[].compiledRelease`), a
    // single release, or a list of any of them.
    let mut releases: Vec<&Value> = Vec::new();
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        match x {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => {
                if let Some(rs) = o.get("releases") {
                    stack.push(rs);
                } else if let Some(rs) = o.get("records") {
                    stack.push(rs);
                } else if let Some(c) = o.get("compiledRelease") {
                    stack.push(c);
                } else if o.contains_key("parties") {
                    releases.push(x);
                }
            }
            _ => {}
        }
    }
    let mut k = 0u64;
    for rel in releases {
        let buyer = rel
            .get("buyer")
            .and_then(|b| b.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string);
        // The release's date: when its parties' details were published.
        let date = rel
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| anchornet_core::PaymentDate::parse(d.get(..10).unwrap_or(d)).ok());
        for p in rel
            .get("parties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            k += 1;
            let roles: Vec<&str> = p
                .get("roles")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if !roles
                .iter()
                .any(|r| matches!(*r, "supplier" | "tenderer" | "payee"))
            {
                continue;
            }
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .or_else(|| p.pointer("/identifier/legalName").and_then(Value::as_str))
                .unwrap_or("")
                .trim()
                .to_string();
            if name.is_empty() {
                regs.issues.push(RegisterIssue {
                    file: file.into(),
                    line: k,
                    problem: "supplier party without a name".into(),
                });
                continue;
            }
            let mut company = None;
            let mut charity = None;
            let ids_iter = p.get("identifier").into_iter().chain(
                p.get("additionalIdentifiers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
            for id in ids_iter {
                let scheme = id.get("scheme").and_then(Value::as_str).unwrap_or("");
                let val = match id.get("id") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => continue,
                };
                match scheme {
                    "GB-COH" => company = company.or_else(|| ids::company_number(&val)),
                    "GB-CHC" | "GB-SC" | "GB-NIC" => {
                        charity = charity.or_else(|| ids::charity_number(&val))
                    }
                    _ => {}
                }
            }
            if filter.is_some_and(|f| !f.keep(&name, company.as_deref(), charity.as_deref())) {
                continue;
            }
            let addr = p.get("address");
            let postcode = addr
                .and_then(|a| a.get("postalCode"))
                .and_then(Value::as_str)
                .and_then(super::postcode)
                .or_else(|| {
                    let text: Vec<&str> = ["streetAddress", "locality", "region"]
                        .iter()
                        .filter_map(|f| addr.and_then(|a| a.get(*f)).and_then(Value::as_str))
                        .collect();
                    super::postcode_in(&text.join("\n"))
                });
            let sme = match p.get("sme").or_else(|| p.pointer("/details/scale")) {
                Some(Value::Bool(true)) => Sme::Yes,
                Some(Value::Bool(false)) => Sme::No,
                Some(Value::String(s)) if s == "sme" || s == "micro" || s == "small" => Sme::Yes,
                Some(Value::String(s)) if s == "large" => Sme::No,
                _ => Sme::Unknown,
            };
            regs.records.push(RegisterRecord {
                register: Some(RegisterKind::Ocds),
                file: file.to_string(),
                line: k,
                anchor: buyer.clone(),
                name,
                company_number: company,
                charity_number: charity,
                postcode,
                sme,
                sme_basis: (sme != Sme::Unknown)
                    .then(|| "declared in the contract notice (OCDS party `sme`)".to_string()),
                date,
                ..RegisterRecord::default()
            });
        }
    }
}
