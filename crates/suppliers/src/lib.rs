//! # anchornet-suppliers
//!
//! The supplier register: the spine every capability of a network shares. One row per real
//! supplier the network pays — the names it was paid under, its identifiers, what kind of
//! body it is, its size (PPN 001) and whether it is in the social economy, and its
//! **locations**, each a postcode with its geography, the kind of address, the source it came
//! from (file and line), its date and a confidence. Every fact keeps its evidence, and
//! people's decisions are applied the same way whichever door they came in by (an overrides
//! file on the command line, a review decision in the workspace).
//!
//! ```text
//!  resolve ──► entities ─┐
//!  payments ─► addresses ┼─► build ──► locate (precedence, geography) ──► decisions ──► Register
//!  registers ► records ──┘               classify (kind, size, VCSE)                      │
//!                                                                                           ▼
//!                                                               metrics (SupplierInfo), exports
//! ```
//!
//! * [`register`] holds the types and [`register::build`], which turns a
//!   [`Resolution`](anchornet_resolve::Resolution) plus every piece of evidence into a
//!   [`Register`].
//! * [`locate`] places each postcode (district, ward, LSOA, deprivation, in the local or wider
//!   place) and chooses the location the metrics use by a documented precedence
//!   ([`SourceKind::ALL`](anchornet_core::SourceKind::ALL)); a branch (premises) in the place
//!   makes a supplier local when the policy says so, as CLES counts "based or branched".
//! * [`decisions`] reads people's decisions — the overrides file and the workspace's review
//!   decisions — into one typed list that resolve and this stage apply.
//! * [`review`] asks a person only the questions whose answer is uncertain and moves money.
//! * [`table`] is the register as rows (`anchornet suppliers --out suppliers.csv`).
//! * [`worklist`] lists the suppliers a person should complete, largest first, with the
//!   evidence already found (`anchornet suppliers todo`).
#![deny(missing_docs)]

pub mod decisions;
pub mod locate;
pub mod register;
pub mod review;
pub mod table;
pub mod worklist;

pub use decisions::{Action, Decision, DecisionIssue, Decisions, EntityRef, Origin};
pub use locate::{Context, Policy};
pub use register::{
    build, Evidence, PaymentAddress, Register, Suggestion, Supplier, SupplierLocation,
};

/// A supplier's stable id in URLs and decisions: the first 12 hex digits of the SHA-256 of
/// its normalised canonical name (a person's name never appears in a URL or a log).
pub fn supplier_key(name: &str) -> String {
    use sha2::Digest;
    let words = anchornet_core::supplier::name_words(name).join(" ");
    let d = sha2::Sha256::digest(words.as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_ignores_case_and_punctuation() {
        // The key is the SHA-256 of "acme and sons ltd", computed independently with
        // `printf 'acme and sons ltd' | sha256sum`.
        assert_eq!(super::supplier_key("ACME & Sons, Ltd."), "b9b9d6aa1a4e");
    }
}
