//! A cheap, exact test that a candidate pair can never give a verdict the resolver keeps
//! from its first judging pass, so the full comparison ([`crate::judge::judge`]) is skipped
//! for it (issue 18: the learned block caps give 14.4 million candidate pairs on B3's
//! 217,312 names, most of them two names that share one middling word and nothing else).
//!
//! The first pass keeps a pair's judgement only if it is a link or a near miss with a
//! similarity of at least `review_near` (conflicts are found again, in full, for the pairs
//! the links put in one component). For two plain names — no trading name, no public body,
//! and no kind of identifier that both carry — the judgement is the word comparison of
//! [`crate::compare::compare_forms`] alone, and when *each* name has a word that no step of
//! its alignment can match, the comparison ends in its last branch ("both sides have
//! leftovers"): a conflict (dropped) or a near miss scored
//!
//! ```text
//! score = mw / (mw + 0.5 · (ua + ub))
//! ```
//!
//! with `mw` the matched weight and `ua`, `ub` the weights of each side's unmatched words.
//! Every alignment step adds to `mw` at most the weight of the words it matches, on either
//! side, so `mw ≤ min(Pa, Pb)`, the weights of the words of each side that some step *could*
//! match, and `ua + ub ≥ Ua + Ub`, the weights of the words no step can match. The score is
//! then at most `min(Pa, Pb) / (min(Pa, Pb) + 0.5 · (Ua + Ub))`; when that is below
//! `review_near` (with a margin for rounding) the pair is dropped without being judged.
//!
//! A word `t` of one name can be matched by a step of the alignment only if
//!
//! * its first letter starts a word of the other name (the same word; a spelling,
//!   abbreviation or truncation, which keep the first letter; `t` spelt by words of the other
//!   run together, the first of them a prefix of `t`; `t` as initials, the first of which
//!   starts the other's word), or
//! * its first letter is in a word of 2–6 letters of the other name (`t` one of a run of
//!   words whose initials spell that word), or
//! * its first letter is in a word of six letters or more of the other name (`t` one of a
//!   run of words that, run together, spell that word).
//!
//! Letters are kept as bit sets (`u128`, the byte's low seven bits: two bytes sharing a bit
//! only make the test keep more pairs).

use crate::compare::MAX_TOKS;
use crate::judge::Item;
use crate::model::{FRec, Vocab};

/// What the bound needs of each name, in flat arrays (one entry per name).
#[derive(Debug, Default)]
pub struct Sketches {
    /// Whether the name is plain (see the module docs), and which identifiers it has:
    /// `PLAIN` and the `HAS_*` bits.
    flags: Vec<u8>,
    /// First letters of the main form's words.
    firsts: Vec<u128>,
    /// Letters of the words that may be an acronym's target (2–6 ASCII letters) or a run's
    /// joined spelling (6 bytes or more).
    inner: Vec<u128>,
    /// `start[k]..start[k + 1]`: the name's words in `first` and `weight`.
    start: Vec<u32>,
    /// Each word's first byte's bit.
    first: Vec<u8>,
    /// Each word's weight.
    weight: Vec<f32>,
}

const PLAIN: u8 = 1;
const HAS_COMPANY: u8 = 2;
const HAS_CHARITY: u8 = 4;
const HAS_VAT: u8 = 8;
const HAS_SID: u8 = 16;
const HAS_ANY: u8 = HAS_COMPANY | HAS_CHARITY | HAS_VAT | HAS_SID;

/// Margin for rounding: the bound and the score sum the same `f32` weights in different
/// orders.
const MARGIN: f32 = 1e-3;

fn bit(b: u8) -> u128 {
    1u128 << (b & 127)
}

impl Sketches {
    /// Sketch every item (after the words are weighed: the weights are copied).
    pub fn new(v: &Vocab, items: &[Item]) -> Sketches {
        let mut s = Sketches {
            start: vec![0],
            ..Sketches::default()
        };
        for it in items {
            let f: &FRec = &it.rec.main;
            let mut flags = 0u8;
            if !it.company.is_empty() {
                flags |= HAS_COMPANY;
            }
            if !it.charity.is_empty() {
                flags |= HAS_CHARITY;
            }
            if !it.vat.is_empty() {
                flags |= HAS_VAT;
            }
            if !it.supplier_ids.is_empty() {
                flags |= HAS_SID;
            }
            let texts = f.toks.iter().map(|&t| v.text[t as usize].as_bytes());
            let plain = it.rec.alias.is_none()
                && it.public.is_none()
                && f.toks.len() <= MAX_TOKS
                && texts.clone().all(|t| !t.is_empty());
            let (mut firsts, mut inner) = (0u128, 0u128);
            if plain {
                flags |= PLAIN;
                for (t, &id) in texts.zip(&f.toks) {
                    firsts |= bit(t[0]);
                    let acronym =
                        (2..=6).contains(&t.len()) && t.iter().all(u8::is_ascii_alphabetic);
                    if acronym || t.len() >= 6 {
                        for &b in t {
                            inner |= bit(b);
                        }
                    }
                    s.first.push(t[0] & 127);
                    s.weight.push(v.weight[id as usize]);
                }
            }
            s.flags.push(flags);
            s.firsts.push(firsts);
            s.inner.push(inner);
            s.start.push(s.first.len() as u32);
        }
        s
    }

    /// Words of name `k` no alignment step can match against a name whose letter sets are
    /// `firsts` and `inner`: (weight of the others, weight of these, whether there is one).
    fn split(&self, k: usize, firsts: u128, inner: u128) -> (f32, f32, bool) {
        let (s, e) = (self.start[k] as usize, self.start[k + 1] as usize);
        let any = firsts | inner;
        let (mut p, mut u, mut some) = (0.0f32, 0.0f32, false);
        for (&b, &w) in self.first[s..e].iter().zip(&self.weight[s..e]) {
            if any & (1u128 << b) != 0 {
                p += w;
            } else {
                u += w;
                some = true;
            }
        }
        (p, u, some)
    }

    /// Whether judging names `i` and `j` may give a verdict the first pass keeps (a link,
    /// or a near miss scored at least `review_near`); `false` only when it surely does not.
    pub fn may_keep(&self, i: u32, j: u32, review_near: f32) -> bool {
        let (i, j) = (i as usize, j as usize);
        let (fi, fj) = (self.flags[i], self.flags[j]);
        if fi & fj & PLAIN == 0 || fi & fj & HAS_ANY != 0 {
            return true;
        }
        let (pa, ua, some_a) = self.split(i, self.firsts[j], self.inner[j]);
        if !some_a {
            return true;
        }
        let (pb, ub, some_b) = self.split(j, self.firsts[i], self.inner[i]);
        if !some_b {
            return true;
        }
        let mw = pa.min(pb);
        let bound = mw / (mw + 0.5 * (ua + ub));
        bound >= review_near - MARGIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::{judge, Pair};
    use crate::model::NRec;
    use crate::parse::parse;

    /// Items for `names`, weighed over them as the resolver weighs its input.
    fn items(names: &[String]) -> (Vocab, Vec<Item>) {
        let mut v = Vocab::default();
        let mut items: Vec<Item> = names
            .iter()
            .map(|n| {
                let p = parse(n);
                Item {
                    name: n.clone(),
                    rec: NRec::from_parsed(&p, &mut v),
                    public: p.public.clone(),
                    ..Item::default()
                }
            })
            .collect();
        for it in &mut items {
            let mut t = it.rec.main.toks.clone();
            if let Some(a) = &it.rec.alias {
                t.extend(&a.toks);
            }
            t.sort_unstable();
            t.dedup();
            for x in t {
                v.df_in[x as usize] += 1;
            }
        }
        v.n_in = items.len() as u32;
        v.reweigh();
        (v, items)
    }

    fn kept(p: Pair) -> bool {
        match p {
            Pair::Link(_) => true,
            Pair::Near(s, _) => s >= 0.6,
            Pair::None | Pair::Conflict(_) => false,
        }
    }

    /// Names with no letter in common where words start: no alignment step can match a
    /// word, so the bound is 0. The same name twice: every word may match, so it is judged.
    #[test]
    fn by_hand() {
        let names: Vec<String> = [
            "Alder Plumbing Ltd",
            "Xylo Quartz Ltd",
            "Alder Plumbing Ltd",
        ]
        .map(String::from)
        .to_vec();
        let (v, items) = items(&names);
        let s = Sketches::new(&v, &items);
        assert!(!s.may_keep(0, 1, 0.6));
        assert!(s.may_keep(0, 2, 0.6));
    }

    /// On real names (the demo's Manchester ledgers, every pair sharing a word), the bound
    /// never drops a pair whose judgement the first pass keeps, and it drops many.
    #[test]
    fn never_drops_a_kept_pair_on_real_names() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/demo/spend/manchester");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("the demo's Manchester ledgers")
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut set = std::collections::BTreeSet::new();
        for f in files {
            let xz = xz2::read::XzDecoder::new(std::fs::File::open(&f).unwrap());
            let mut rdr = csv::Reader::from_reader(xz);
            let col = rdr
                .headers()
                .unwrap()
                .iter()
                .position(|h| {
                    let h = h.trim_start_matches('\u{feff}');
                    h == "Supplier Name" || h == "beneficiary_name"
                })
                .expect("a supplier name column");
            for rec in rdr.records() {
                let n = rec.unwrap()[col].trim().to_string();
                if !n.is_empty() {
                    set.insert(n);
                }
            }
        }
        let names: Vec<String> = set.into_iter().collect();
        let (v, items) = items(&names);
        let s = Sketches::new(&v, &items);
        let mut by_word: rustc_hash::FxHashMap<u32, Vec<u32>> = Default::default();
        for (k, it) in items.iter().enumerate() {
            let mut t = it.rec.main.toks.clone();
            t.sort_unstable();
            t.dedup();
            for x in t {
                by_word.entry(x).or_default().push(k as u32);
            }
        }
        let (mut pairs, mut dropped) = (0usize, 0usize);
        for ks in by_word.values().filter(|ks| ks.len() <= 400) {
            for (x, &i) in ks.iter().enumerate() {
                for &j in &ks[x + 1..] {
                    pairs += 1;
                    if !s.may_keep(i, j, 0.6) {
                        dropped += 1;
                        let p = judge(&v, &items, i, j);
                        assert!(
                            !kept(p),
                            "{:?} / {:?}: {p:?}",
                            items[i as usize].name,
                            items[j as usize].name
                        );
                    }
                }
            }
        }
        assert!(names.len() > 3000, "{} names", names.len());
        eprintln!("{dropped} of {pairs} pairs dropped");
        assert!(dropped * 5 > pairs, "{dropped} of {pairs} pairs dropped");
    }
}
