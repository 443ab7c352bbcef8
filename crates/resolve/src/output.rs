//! Writing a resolution: the clusters file (one row per input name), the entities file
//! (one row per entity, with its facts and their sources) and the review list.

use std::io::Write;

use crate::kind::Kind;
use crate::resolver::Fact;
use crate::Resolution;

/// Columns of the clusters file.
pub const CLUSTER_COLUMNS: [&str; 6] = [
    "name",
    "cluster_id",
    "canonical_name",
    "confidence",
    "kind",
    "identifiers",
];

/// Shown instead of a person's name where names are redacted.
pub const REDACTED: &str = "Individual (redacted)";

fn fact_value(f: &Option<Fact>) -> String {
    f.as_ref().map(|f| f.value.clone()).unwrap_or_default()
}

fn fact_source(f: &Option<Fact>) -> String {
    f.as_ref()
        .map(|f| {
            format!(
                "{} ({:?} {:.2}: {:?})",
                f.source, f.matched, f.confidence, f.record_name
            )
        })
        .unwrap_or_default()
}

impl Resolution {
    /// One row per input name: `name,cluster_id,canonical_name,confidence,kind,identifiers`.
    /// With `redact`, individuals' names are replaced (for outputs shared beyond the anchor).
    pub fn write_clusters_csv(&self, w: impl Write, redact: bool) -> csv::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(CLUSTER_COLUMNS)?;
        for n in self.names.iter().filter(|n| n.input) {
            let e = &self.entities[n.entity];
            let person = redact && e.kind == Kind::Individual;
            out.write_record([
                if person { REDACTED } else { n.name.as_str() },
                e.id.as_str(),
                if person {
                    REDACTED
                } else {
                    e.canonical_name.as_str()
                },
                &format!("{:.3}", n.confidence),
                &e.kind.label(),
                &e.identifiers.cell(),
            ])?;
        }
        out.flush()?;
        Ok(())
    }

    /// One row per entity with its facts and where each comes from.
    pub fn write_entities_csv(&self, w: impl Write, redact: bool) -> csv::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "cluster_id",
            "canonical_name",
            "kind",
            "kind_evidence",
            "names",
            "anchors",
            "spend",
            "identifiers",
            "postcode",
            "postcode_source",
            "other_postcodes",
            "registered_name",
            "company_number",
            "company_number_source",
            "charity_number",
            "sic",
            "legal_form",
            "status",
            "sme",
            "sme_source",
        ])?;
        for e in &self.entities {
            if !e.members.iter().any(|&m| self.names[m].input) {
                continue;
            }
            let person = redact && e.kind == Kind::Individual;
            let names: Vec<&str> = e
                .members
                .iter()
                .map(|&m| self.names[m].name.as_str())
                .collect();
            let evidence: Vec<String> = e
                .kind_evidence
                .iter()
                .map(|k| format!("{}: {} ({})", k.kind.label(), k.detail, k.source))
                .collect();
            out.write_record([
                e.id.as_str(),
                if person { REDACTED } else { &e.canonical_name },
                &e.kind.label(),
                &if person {
                    String::new()
                } else {
                    evidence.join(" | ")
                },
                &if person {
                    String::new()
                } else {
                    names.join(" | ")
                },
                &e.anchors.join(";"),
                &e.spend.to_pounds_string(),
                &e.identifiers.cell(),
                &fact_value(&e.facts.postcode),
                &fact_source(&e.facts.postcode),
                &e.facts
                    .other_postcodes
                    .iter()
                    .map(|f| format!("{} ({})", f.value, f.source))
                    .collect::<Vec<_>>()
                    .join(" | "),
                &fact_value(&e.facts.registered_name),
                &fact_value(&e.facts.company_number),
                &fact_source(&e.facts.company_number),
                &fact_value(&e.facts.charity_number),
                &fact_value(&e.facts.sic),
                &fact_value(&e.facts.legal_form),
                &fact_value(&e.facts.status),
                match e.facts.sme {
                    crate::Sme::Yes => "yes",
                    crate::Sme::No => "no",
                    crate::Sme::Unknown => "unknown",
                },
                &e.facts
                    .sme_source
                    .as_ref()
                    .map(|f| format!("{} ({})", f.value, f.source))
                    .unwrap_or_default(),
            ])?;
        }
        out.flush()?;
        Ok(())
    }

    /// The review list (the first `top`, or all): most spend at stake first.
    pub fn write_review_csv(&self, w: impl Write, top: Option<usize>) -> csv::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "rank",
            "spend_at_stake",
            "decision",
            "score",
            "name_a",
            "cluster_a",
            "name_b",
            "cluster_b",
            "reason",
        ])?;
        for (k, r) in self
            .review
            .iter()
            .take(top.unwrap_or(usize::MAX))
            .enumerate()
        {
            out.write_record([
                &(k + 1).to_string(),
                &r.spend_at_stake.to_pounds_string(),
                r.decision,
                &format!("{:.3}", r.score),
                &r.a,
                &r.entity_a,
                &r.b,
                &r.entity_b,
                &r.reason,
            ])?;
        }
        out.flush()?;
        Ok(())
    }
}
