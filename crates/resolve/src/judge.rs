//! Judging a candidate pair of names with everything known about them: identifiers,
//! public bodies, trading names, anchors — on top of the word comparison of
//! [`crate::compare`].

use crate::cluster::{Conflict, Link};
use crate::compare::{compare_forms, Context, Judgement, Reason, Strength, Verdict, LINK};
use crate::model::{NRec, Vocab};
use crate::parse::hint;
use crate::public::PublicKey;

/// What is known about one distinct name, for judging pairs.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// The name as given (trimmed).
    pub name: String,
    /// Interned name.
    pub rec: NRec,
    /// A recognised public body.
    pub public: Option<PublicKey>,
    /// Anchors the name occurs in (sorted, unique).
    pub anchors: Vec<String>,
    /// Company numbers (normalised, sorted, unique).
    pub company: Vec<String>,
    /// Charity numbers.
    pub charity: Vec<String>,
    /// VAT numbers.
    pub vat: Vec<String>,
    /// Supplier ids, as `anchor` + U+001F + id.
    pub supplier_ids: Vec<String>,
    /// Spend in pence.
    pub spend: i64,
    /// Occurrences (rows).
    pub rows: u64,
}

impl Item {
    /// Items for names alone (no identifiers, spend or anchors), prepared as the resolver
    /// prepares its input: parsed, interned, and the words weighed over these names.
    pub fn of_names(names: &[String]) -> (Vocab, Vec<Item>) {
        let mut v = Vocab::default();
        let items: Vec<Item> = names
            .iter()
            .map(|n| {
                let p = crate::parse::parse(n);
                let rec = NRec::from_parsed(&p, &mut v);
                v.count_input(&rec);
                Item {
                    name: n.clone(),
                    rec,
                    public: p.public,
                    ..Item::default()
                }
            })
            .collect();
        v.n_in = items.len() as u32;
        v.reweigh();
        (v, items)
    }
}

/// The outcome for a pair: a link, a conflict, or a near miss kept for review.
#[derive(Debug, Clone, Copy)]
pub enum Pair {
    /// Link.
    Link(Link),
    /// Conflict.
    Conflict(Conflict),
    /// Not linked; similarity and reason, for the review list.
    Near(f32, Reason),
    /// Nothing to say.
    None,
}

fn intersects(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.binary_search(x).is_ok())
}

const PUBLIC_LIKE: u16 =
    hint::HOSPITAL | hint::UNIVERSITY | hint::SCHOOL | hint::PUBLIC | hint::COLLEGE | hint::NHS;

/// Judge names `i` and `j`.
pub fn judge(v: &Vocab, items: &[Item], i: u32, j: u32) -> Pair {
    let (x, y) = (&items[i as usize], &items[j as usize]);
    let link = |score: f32, power: u8, reason: Reason| {
        Pair::Link(Link {
            a: i,
            b: j,
            score,
            power,
            reason,
        })
    };
    let conflict = |strength: Strength, reason: Reason| {
        Pair::Conflict(Conflict {
            a: i,
            b: j,
            strength,
            reason,
        })
    };
    // 1. Company and charity numbers: strong, and different numbers are different bodies.
    for (p, q) in [(&x.company, &y.company), (&x.charity, &y.charity)] {
        if !p.is_empty() && !q.is_empty() {
            if intersects(p, q) {
                return link(0.98, 2, Reason::SameIdentifier);
            }
            return conflict(Strength::Identifier, Reason::DifferentIdentifiers);
        }
    }
    // 2. Public bodies.
    match (&x.public, &y.public) {
        (Some(a), Some(b)) => {
            return if a == b {
                link(0.97, 0, Reason::SamePublicBody)
            } else {
                conflict(Strength::Hard, Reason::DifferentPublicBodies)
            };
        }
        (Some(_), None) | (None, Some(_)) => return Pair::None,
        _ => {}
    }
    // 3. Schools share names across towns: two of one name paid by different anchors are
    // different schools.
    let school = x.rec.hints & y.rec.hints & hint::SCHOOL != 0;
    if school
        && !x.anchors.is_empty()
        && !y.anchors.is_empty()
        && !intersects(&x.anchors, &y.anchors)
    {
        return Pair::Near(0.0, Reason::DifferentSchools);
    }
    // 4. Words: main names, then trading names.
    let ctx = Context {
        public_like: (x.rec.hints | y.rec.hints) & PUBLIC_LIKE != 0,
    };
    let main = compare_forms(v, &x.rec.main, &y.rec.main, ctx);
    // A trading name links only to the same words (not to a longer or shorter name), only
    // when it is distinctive, and only to a name without a legal form: `HOLMEWOOD LTD T/A
    // BRIARCARE HEALTH` trades under a brand that `Briarcare Health Ltd` is registered as,
    // and the two companies are not one. A registered name in brackets
    // (`QUILLPOINT (BRAMLEY PUBLISHING UK LTD)`) may link to the registered name.
    let mut best_alias: Option<(f32, u8)> = None;
    for (fa, registered, acronym, fb, power) in [
        (
            x.rec.alias.as_ref(),
            x.rec.alias_registered,
            x.rec.alias_acronym,
            Some(&y.rec.main),
            1u8,
        ),
        (
            y.rec.alias.as_ref(),
            y.rec.alias_registered,
            y.rec.alias_acronym,
            Some(&x.rec.main),
            1,
        ),
        (x.rec.alias.as_ref(), false, false, y.rec.alias.as_ref(), 0),
    ] {
        let (Some(fa), Some(fb)) = (fa, fb) else {
            continue;
        };
        // (A trading name with a legal form may link to that registered name when it
        // extends the payee's own name: `Tarnfield T/A Tarnfield Consulting Ltd`.)
        let own = |own_main: &crate::model::FRec| {
            fa.lf.is_some()
                && !own_main.toks.is_empty()
                && fa.toks.len() > own_main.toks.len()
                && fa.toks[..own_main.toks.len()] == own_main.toks[..]
        };
        let extends = if std::ptr::eq(fb, &y.rec.main) {
            own(&x.rec.main)
        } else {
            own(&y.rec.main)
        };
        // (One word alone must be rare: `T/A PAVILION` is not every `The Pavilion`.)
        // (And it must have a rare word: `T/A CREATIVE SOLUTIONS` is not every `Creative
        // Solutions`.)
        // (The weights are learned from the unlabelled names: `crate::calibrate`.)
        let th = crate::calibrate::thresholds();
        let rare = fa.toks.iter().any(|&t| {
            v.weight[t as usize] >= th.rare_word && v.class[t as usize] & crate::model::C_PLACE == 0
        });
        let weak = fa.weight(v) < th.alias_weight
            || (fa.toks.len() == 1 && !acronym && fa.weight(v) < th.alias_one_word)
            || (!rare && !acronym);
        if weak || (fb.lf.is_some() && !registered && !extends && power == 1) {
            continue;
        }
        let j2 = compare_forms(v, fa, fb, ctx);
        // Initials match only the same initials (`EE` = `EE Ltd`), not any name they spell.
        let equal = if acronym || (fa.toks.len() == 1 && fb.toks.len() > 1) {
            j2.reason == Reason::SameWords
        } else {
            matches!(j2.reason, Reason::SameWords | Reason::SameWordsFuzzy)
        };
        if let (Verdict::Link(s), true) = (j2.verdict, equal) {
            let s = s * if power == 1 { 0.95 } else { 0.85 };
            if best_alias.is_none_or(|(b, _)| b < s) {
                best_alias = Some((s, power));
            }
        }
    }
    let mut verdict = main;
    // People: only the same name (in any order) is the same person; `M Ibrahim` is not
    // `Ibrahim M Ahmed`, nor `Rashid Mahmood` `Rashad Mahmood`.
    let person = (x.rec.hints | y.rec.hints) & hint::PERSON != 0
        && (x.rec.hints | y.rec.hints) & hint::REDACTED == 0;
    if person && matches!(verdict.verdict, Verdict::Link(_)) && verdict.reason != Reason::SameWords
    {
        verdict = Judgement {
            verdict: Verdict::Neutral(verdict.score().min(0.7)),
            reason: verdict.reason,
        };
    }
    let mut power = 0u8;
    if let Some((s, p)) = best_alias {
        let beats = match main.verdict {
            Verdict::Link(m) => s > m,
            Verdict::Conflict(st) => p >= st as u8,
            _ => true,
        };
        if beats && s >= LINK {
            verdict = Judgement {
                verdict: Verdict::Link(s),
                reason: Reason::TradingName,
            };
            power = p;
        }
    }
    // 5. VAT numbers and supplier ids: supporting evidence, never enough alone (a VAT group
    // spans companies; vendor records get duplicated).
    let same_vat = !x.vat.is_empty() && intersects(&x.vat, &y.vat);
    let same_sid = !x.supplier_ids.is_empty() && intersects(&x.supplier_ids, &y.supplier_ids);
    let bonus = if same_sid {
        0.12
    } else if same_vat {
        0.06
    } else {
        0.0
    };
    match verdict.verdict {
        // Near-equal names may cross a soft conflict that a third name brings (a renamed
        // company's variants must still join it).
        Verdict::Link(s) if s >= 0.93 => link((s + bonus).min(0.99), power.max(1), verdict.reason),
        Verdict::Link(s) => link((s + bonus).min(0.99), power, verdict.reason),
        Verdict::Neutral(s) => {
            let s2 = s + bonus;
            // (Only names already close: an anchor's vendor record can be shared by two
            // schools of one account, `THE GREEN SCHOOL TRUST` / `GREENFORD HIGH SCHOOL`.)
            if bonus > 0.0 && s >= 0.66 && s2 >= LINK {
                link(s2.min(0.95), 0, Reason::SameIdentifier)
            } else {
                Pair::Near(s2, verdict.reason)
            }
        }
        Verdict::Conflict(st) => {
            if same_sid && st == Strength::Soft {
                Pair::Near(0.5, verdict.reason)
            } else {
                conflict(st, verdict.reason)
            }
        }
        Verdict::Unrelated => {
            if same_sid {
                Pair::Near(0.4, Reason::SameIdentifier)
            } else {
                Pair::None
            }
        }
    }
}
