//! The review queue: questions put to a person only where the answer is uncertain and
//! moves money, largest first (CLES's top-300 method made systematic).
//!
//! * **link** — the resolver's own uncertain decisions (merges just above its threshold,
//!   near-misses kept apart): "is `A` the same supplier as `B`?", at stake the spend that
//!   would move between the two.
//! * **location** — a supplier located only by evidence that may not be where it works (a
//!   registered office) or by a weak register link, at stake its influenceable spend.
//! * **individual** — a supplier the resolver took for a person from its name alone (no
//!   register says so), to confirm before its name is redacted.
//!
//! Suppliers whose kind or location a register settles, and public bodies whose spend the
//! rules exclude, are not asked about.

use anchornet_core::{Kind, LocationKind, SourceKind};
use anchornet_resolve::Resolution;

use crate::register::Register;

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Two names are (or are not) one supplier.
    Link,
    /// A supplier's location.
    Location,
    /// A supplier is an individual or sole trader.
    Individual,
}

impl Topic {
    /// `link`, `location` or `individual` (as the workspace stores decisions).
    pub fn label(self) -> &'static str {
        match self {
            Topic::Link => "link",
            Topic::Location => "location",
            Topic::Individual => "individual",
        }
    }
}

/// One question.
#[derive(Debug, Clone)]
pub struct Question {
    /// What it is about.
    pub topic: Topic,
    /// The name or supplier asked about.
    pub subject: String,
    /// The supplier it is judged against (for a link, the other name's supplier).
    pub entity: String,
    /// The supplier (register index) whose page shows the evidence.
    pub supplier: u32,
    /// The question, for a person.
    pub text: String,
    /// Pence that the answer moves.
    pub pence: i64,
}

/// Below this confidence a register link's location is asked about.
const WEAK_LINK: f32 = 0.9;

/// The questions for a register, given each supplier's influenceable spend (pence, parallel
/// to `register.suppliers`), largest first. `decided` says whether a (topic, subject) pair
/// was already decided.
pub fn questions(
    register: &Register,
    res: &Resolution,
    influenceable: &[i64],
    decided: &dyn Fn(Topic, &str) -> bool,
) -> Vec<Question> {
    let mut out = Vec::new();
    let name_ix = res.name_index();
    // One question per pair of suppliers (several names of one supplier near-missing the
    // same other supplier are one question), and per merged name.
    let mut asked = std::collections::HashSet::new();
    let infl = |s: u32| influenceable.get(s as usize).copied().unwrap_or(0).max(0);
    for item in &res.review {
        if decided(Topic::Link, item.a.trim()) {
            continue;
        }
        let (Some(&a), Some(&b)) = (name_ix.get(item.a.as_str()), name_ix.get(item.b.as_str()))
        else {
            continue;
        };
        let (sa, sb) = (register.of_name[a], register.of_name[b]);
        // What the answer moves, in influenceable spend: for a merge, the name's spend if it
        // leaves (no more than its supplier's influenceable spend); for two suppliers kept
        // apart, the smaller one's, which would join the other. Spend the rules exclude (tax,
        // public bodies) moves nothing.
        let at_stake = if sa == sb {
            item.spend_at_stake.0.abs().min(infl(sa))
        } else {
            infl(sa).min(infl(sb))
        };
        let pair = if sa == sb {
            (sa, u32::MAX, item.a.trim().to_string())
        } else {
            (sa.min(sb), sa.max(sb), String::new())
        };
        if at_stake == 0 || !asked.insert(pair) {
            continue;
        }
        let other = &register.suppliers[sb as usize].canonical_name;
        out.push(Question {
            topic: Topic::Link,
            subject: item.a.trim().to_string(),
            entity: item.b.trim().to_string(),
            supplier: sb,
            text: format!(
                "Is `{}` the same supplier as `{}`{}? ({} with score {:.2}: {})",
                item.a.trim(),
                item.b.trim(),
                if other.trim() != item.b.trim() {
                    format!(" (`{other}`)")
                } else {
                    String::new()
                },
                item.decision,
                item.score,
                item.reason
            ),
            pence: at_stake,
        });
    }
    for (i, s) in register.suppliers.iter().enumerate() {
        let pence = influenceable.get(i).copied().unwrap_or(0);
        if pence <= 0 {
            continue;
        }
        if let Some(l) = s.location() {
            let weak = l.kind == LocationKind::RegisteredOffice
                || (l.source != SourceKind::Person
                    && l.source != SourceKind::PaymentFile
                    && l.confidence < WEAK_LINK);
            if weak
                && !decided(Topic::Location, &s.canonical_name)
                && !decided(Topic::Location, &s.key)
            {
                let p = l.place.as_ref().expect("chosen locations are placed");
                out.push(Question {
                    topic: Topic::Location,
                    subject: s.canonical_name.clone(),
                    entity: s.canonical_name.clone(),
                    supplier: i as u32,
                    text: format!(
                        "Is `{}` based or branched at {} ({}, {})? The only evidence is the {} ({}, confidence {:.2}).",
                        s.canonical_name,
                        p.postcode,
                        p.lad_name,
                        if p.local { "local" } else if p.wider { "wider place" } else { "outside the place" },
                        l.source.describe(),
                        l.detail,
                        l.confidence
                    ),
                    pence,
                });
            }
        }
        // Only the name says so: no register or person has settled it.
        let from_name_only = s.kind_evidence.iter().all(|e| e.source == "name");
        if s.kind == Kind::Individual
            && from_name_only
            && !decided(Topic::Individual, &s.canonical_name)
            && !decided(Topic::Individual, &s.key)
        {
            out.push(Question {
                topic: Topic::Individual,
                subject: s.canonical_name.clone(),
                entity: s.canonical_name.clone(),
                supplier: i as u32,
                text: format!(
                    "Is `{}` an individual or sole trader (redacted outside the anchors that paid them)? Evidence: {}",
                    s.canonical_name,
                    s.kind_evidence
                        .iter()
                        .map(|e| e.detail.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                pence,
            });
        }
    }
    out.sort_by(|a, b| b.pence.cmp(&a.pence).then(a.subject.cmp(&b.subject)));
    out
}
