//! SME and VCSE targets: each anchor's (and the network's) share of influenceable spend with
//! SMEs and with VCSEs, year by year, against the targets the network sets in its file.
//! Methodology: `docs/methodology/sme-vcse-targets.md`.
//!
//! The shares are the spend analysis's own ([`anchornet_metrics::sme_share`],
//! [`anchornet_metrics::vcse_share`]), not recomputed. **No default target.** PPN 001 (SME
//! and VCSE procurement spend targets, Cabinet Office, February 2025) asks each in-scope body
//! (central government departments, their agencies and NDPBs; others "may choose to apply the
//! approach") to set its own target for direct spend with SMEs (from 1 April 2025) and with
//! VCSEs (from 1 April 2026), to be met in 2027/28, and to publish results annually; it sets no
//! figure, and neither does the National Procurement Policy Statement. A target is therefore
//! only what the network writes (`[targets] sme = 0.3`, `vcse = 0.05`); without one the shares
//! are shown with no verdict.
//!
//! **Verdict.** Size and type are never guessed, so a share has unknowns. With target `t`
//! over influenceable spend `B`, SME spend `M` and spend whose size is known `K`:
//! * **met**: `M ≥ t·B` — met even if every unknown supplier is not an SME (PPN 001's guidance
//!   measures direct spend with SMEs as a share of all in-scope spend);
//! * **not met**: `M + (B − K) < t·B` — not met even if every unknown supplier were an SME;
//! * **unknown**: between the two: finding out the unknown suppliers' size decides it.

use anchornet_metrics::{Analysis, Share};
use serde::Serialize;

/// The network's targets, as fractions of influenceable spend (0–1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Targets {
    /// SME share target.
    pub sme: Option<f64>,
    /// VCSE share target.
    pub vcse: Option<f64>,
}

/// A share against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Met even counting every unknown as not passing.
    Met,
    /// Not met even counting every unknown as passing.
    NotMet,
    /// Depends on the unknowns.
    Unknown,
}

impl Verdict {
    /// Label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::Unknown => "unknown",
        }
    }

    /// The verdict for a share against a target fraction (none when there is no spend).
    pub fn of(s: &Share, target: f64) -> Option<Verdict> {
        if s.base <= 0 {
            return None;
        }
        let need = target * s.base as f64;
        Some(if s.matched as f64 >= need {
            Verdict::Met
        } else if (s.matched + (s.base - s.known)) as f64 >= need {
            Verdict::Unknown
        } else {
            Verdict::NotMet
        })
    }
}

/// One scope's shares in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    /// `network` or the anchor.
    pub scope: String,
    /// Financial year.
    pub fy: String,
    /// SME share.
    pub sme: Share,
    /// Its verdict against the target.
    pub sme_verdict: Option<Verdict>,
    /// VCSE share.
    pub vcse: Share,
    /// Its verdict against the target.
    pub vcse_verdict: Option<Verdict>,
}

/// Every scope and year of the analysis, anchors and the network, with verdicts.
pub fn targets(a: &Analysis, t: &Targets) -> Vec<TargetRow> {
    a.figures
        .iter()
        .map(|f| TargetRow {
            scope: f.scope.as_str().to_string(),
            fy: f.fy.map(|y| y.to_string()).unwrap_or_default(),
            sme: f.figures.sme,
            sme_verdict: t.sme.and_then(|x| Verdict::of(&f.figures.sme, x)),
            vcse: f.figures.vcse,
            vcse_verdict: t.vcse.and_then(|x| Verdict::of(&f.figures.vcse, x)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_count_unknowns_both_ways() {
        // £100 influenceable, £60 of known size, £20 with SMEs: 20% for sure, up to 60%.
        let s = Share {
            matched: 20,
            known: 60,
            base: 100,
        };
        assert_eq!(Verdict::of(&s, 0.2), Some(Verdict::Met));
        assert_eq!(Verdict::of(&s, 0.3), Some(Verdict::Unknown));
        assert_eq!(Verdict::of(&s, 0.6), Some(Verdict::Unknown));
        assert_eq!(Verdict::of(&s, 0.61), Some(Verdict::NotMet));
        assert_eq!(Verdict::of(&Share::default(), 0.3), None);
    }
}
