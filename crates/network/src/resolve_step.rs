//! The resolve stage as the pipeline uses it: distinct supplier names in, one entity per
//! real supplier out, each with its kind and evidence.

/// One distinct supplier name with what is known about it.
#[derive(Debug, Clone)]
pub struct NameIn {
    /// The name as written.
    pub name: String,
    /// An anchor that used it.
    pub anchor: String,
    /// Spend under this name, pence.
    pub pence: i64,
    /// Companies House number, where a file gave one.
    pub company_number: Option<String>,
}

/// What a name resolved to.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Entity index (dense, from 0).
    pub entity: u32,
    /// The entity's canonical name.
    pub canonical: String,
    /// Kind (`company`, `charity`, `public_body:council`, `individual`, `unknown`…).
    pub kind: String,
    /// Evidence for the link and the kind.
    pub evidence: Vec<String>,
}

/// Resolve names into entities (placeholder: exact normalised key, until the resolve crate
/// is wired in).
pub fn resolve_names(names: &[NameIn]) -> Vec<Resolved> {
    let mut keys: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(names.len());
    let mut canon: Vec<String> = Vec::new();
    for n in names {
        let key = crate::rules::words(&n.name).join(" ");
        let next = keys.len() as u32;
        let e = *keys.entry(key).or_insert(next);
        if e as usize == canon.len() {
            canon.push(n.name.clone());
        }
        out.push(Resolved {
            entity: e,
            canonical: canon[e as usize].clone(),
            kind: "unknown".into(),
            evidence: Vec::new(),
        });
    }
    out
}
