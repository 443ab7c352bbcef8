//! Which opportunities are the network's: a buyer is an anchor when its name has the same
//! words as the anchor's name in the network file (case, punctuation and `&`/`and` aside,
//! [`anchornet_core::supplier::name_words`]), or when the source file is one of the anchor's
//! registers in the network file and names no buyer itself. No fuzzy matching: a buyer
//! written differently from the network file is not linked (the network file is the place
//! to spell it as the publisher does).

use std::path::{Path, PathBuf};

use anchornet_core::supplier::name_words;

use crate::opportunity::Opportunity;

/// An anchor's name and the register files listed under it.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// Name in the network file.
    pub name: String,
    /// Its register files (absolute or as given).
    pub files: Vec<PathBuf>,
}

fn same_file(a: &str, b: &Path) -> bool {
    let pa = Path::new(a);
    match (pa.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => pa == b,
    }
}

/// Set each opportunity's anchor (and an empty buyer from its file's anchor). Returns how
/// many were linked.
pub fn link(ops: &mut [Opportunity], anchors: &[Anchor]) -> usize {
    let keys: Vec<Vec<String>> = anchors.iter().map(|a| name_words(&a.name)).collect();
    let mut n = 0;
    for o in ops.iter_mut() {
        if o.buyer.is_empty() {
            if let Some(a) = anchors.iter().find(|a| {
                o.files
                    .iter()
                    .any(|f| a.files.iter().any(|p| same_file(f, p)))
            }) {
                o.buyer = a.name.clone();
            }
        }
        let w = name_words(&o.buyer);
        o.anchor = keys
            .iter()
            .position(|k| !k.is_empty() && *k == w)
            .map(|i| anchors[i].name.clone());
        n += usize::from(o.anchor.is_some());
    }
    n
}
