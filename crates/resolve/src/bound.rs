//! A cheap, exact test that a candidate pair can never give a verdict the resolver keeps
//! from its first judging pass, so the full comparison ([`crate::judge::judge`]) is skipped
//! for it (issue 18: the learned block caps give 14.4 million candidate pairs on B3's
//! 217,312 names, most of them two names that share one middling word and little else).
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
//! A word can be matched by a step of the alignment in [`crate::compare`] only if one of
//! these holds (each a necessary condition of one step, ignoring which words earlier steps
//! took):
//!
//! * a word of the other name is the same word (exact);
//! * a word of the other name has the same first letter, neither has a digit, and the
//!   shorter is a prefix of the longer, or has at least seven letters and is at most two
//!   shorter, or has at least five letters and the longer is at least two longer with the
//!   same first four letters, or has at least three letters and the longer is at least two
//!   longer with the same last letter (spelling, truncation, contraction, abbreviation);
//! * it is six bytes or more and two or three consecutive words of the other name run
//!   together spell it, or it is one of those words (`lexisnexis` / `lexis nexis`);
//! * it is 2–6 ASCII letters spelt by the initials of two or more consecutive words of the
//!   other name, or it is one of those words (`pi` / `property infrastructure`).
//!
//! A word for which none holds is surely left over.

use crate::compare::MAX_TOKS;
use crate::judge::Item;
use crate::model::{Vocab, W_ACRONYM, W_DIGIT};
use crate::parse::F_INIT;

/// A word marked as initials in its name (`F_INIT`), beside the `W_*` facts.
const INIT: u16 = 1 << 15;

/// What the bound needs of one word.
#[derive(Debug, Clone, Copy, Default)]
struct Word {
    id: u32,
    weight: f32,
    /// The first eight bytes, little-endian, zero after the end.
    head: u64,
    len: u32,
    first: u8,
    last: u8,
    /// `W_DIGIT`, `W_ACRONYM`, and `INIT` when the word is marked as initials in its name.
    facts: u16,
}

impl Word {
    fn new(v: &Vocab, id: u32, flags: u8) -> Word {
        let t = v.text[id as usize].as_bytes();
        let mut head = [0u8; 8];
        let k = t.len().min(8);
        head[..k].copy_from_slice(&t[..k]);
        Word {
            id,
            weight: v.weight[id as usize],
            head: u64::from_le_bytes(head),
            len: t.len() as u32,
            first: t[0],
            last: t[t.len() - 1],
            facts: (v.facts[id as usize] & (W_DIGIT | W_ACRONYM))
                | if flags & F_INIT != 0 { INIT } else { 0 },
        }
    }
}

/// What the bound needs of each name (one entry per name; words in one flat list).
#[derive(Debug, Default)]
pub struct Sketches {
    /// Whether the name is plain (see the module docs), and which identifiers it has:
    /// `PLAIN` and the `HAS_*` bits.
    flags: Vec<u8>,
    /// `start[k]..start[k + 1]`: the name's words in `words`.
    start: Vec<u32>,
    words: Vec<Word>,
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

/// Whether words `t` and `u` may be matched to each other as the same word or a spelling
/// of it (see the module docs).
fn may_match(v: &Vocab, t: &Word, u: &Word) -> bool {
    if t.id == u.id {
        return true;
    }
    if t.first != u.first || (t.facts | u.facts) & W_DIGIT != 0 {
        return false;
    }
    let (s, l) = if t.len <= u.len { (t, u) } else { (u, t) };
    let prefix = if s.len <= 8 {
        let keep = if s.len == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * s.len)) - 1
        };
        l.head & keep == s.head
    } else {
        let text = |w: &Word| v.text[w.id as usize].as_bytes();
        text(l).starts_with(text(s))
    };
    prefix
        || (s.len >= 7 && l.len - s.len <= 2)
        || (s.len >= 5 && l.len >= s.len + 2 && (s.head ^ l.head) & 0xFFFF_FFFF == 0)
        || (s.len >= 3 && l.len >= s.len + 2 && s.last == l.last)
}

/// Marks (a bit per word, in `sm` and `om`) the words of `s` that two or three consecutive
/// words of `o` run together spell, or that the initials of two or more consecutive words of
/// `o` spell, and those words of `o` (see the module docs; the steps `squash` and `initials`
/// of [`crate::compare`], whichever words they find free).
fn runs(v: &Vocab, s: &[Word], o: &[Word], sm: &mut u32, om: &mut u32) {
    let text = |w: &Word| v.text[w.id as usize].as_bytes();
    // (Byte by byte: the words are short, and a call to `memcmp` costs more than the loop.)
    let starts = |x: &[u8], p: &[u8]| p.len() <= x.len() && x.iter().zip(p).all(|(a, b)| a == b);
    for (x, t) in s.iter().enumerate() {
        let squash = t.len >= 6;
        let acronym = t.facts & W_ACRONYM != 0;
        if !squash && !acronym {
            continue;
        }
        let tt = text(t);
        for j in 0..o.len() {
            if o[j].first != tt[0] {
                continue;
            }
            if squash {
                let mut at = 0;
                for k in 0..3 {
                    let q = j + k;
                    if q >= o.len()
                        || o[q].first != tt.get(at).copied().unwrap_or(0)
                        || o[q].len as usize > tt.len() - at
                    {
                        break;
                    }
                    let u = text(&o[q]);
                    if !starts(&tt[at..], u) {
                        break;
                    }
                    at += u.len();
                    if k >= 1 && at == tt.len() {
                        *sm |= 1 << x;
                        for r in j..=q {
                            *om |= 1 << r;
                        }
                        break;
                    }
                }
            }
            if acronym {
                let (mut at, mut q) = (0, j);
                while q < o.len() && at < tt.len() {
                    if o[q].first != tt[at] {
                        break;
                    }
                    if o[q].facts & INIT == 0 {
                        at += 1;
                        q += 1;
                    } else {
                        let u = text(&o[q]);
                        if !starts(&tt[at..], u) {
                            break;
                        }
                        at += u.len();
                        q += 1;
                    }
                    if at == tt.len() && q - j >= 2 {
                        *sm |= 1 << x;
                        for r in j..q {
                            *om |= 1 << r;
                        }
                        break;
                    }
                }
            }
        }
    }
}

impl Sketches {
    /// Sketch every item (after the words are weighed: the weights are copied).
    pub fn new(v: &Vocab, items: &[Item]) -> Sketches {
        let mut s = Sketches {
            start: vec![0],
            ..Sketches::default()
        };
        for it in items {
            let f = &it.rec.main;
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
            let plain = it.rec.alias.is_none()
                && it.public.is_none()
                && f.toks.len() <= MAX_TOKS
                && f.toks.iter().all(|&t| !v.text[t as usize].is_empty());
            if plain {
                flags |= PLAIN;
                s.words.extend(
                    f.toks
                        .iter()
                        .zip(&f.flags)
                        .map(|(&t, &fl)| Word::new(v, t, fl)),
                );
            }
            s.flags.push(flags);
            s.start.push(s.words.len() as u32);
        }
        s
    }

    fn words(&self, k: usize) -> &[Word] {
        &self.words[self.start[k] as usize..self.start[k + 1] as usize]
    }

    /// Whether judging names `i` and `j` may give a verdict the first pass keeps (a link,
    /// or a near miss scored at least `review_near`); `false` only when it surely does not.
    pub fn may_keep(&self, v: &Vocab, i: u32, j: u32, review_near: f32) -> bool {
        let (i, j) = (i as usize, j as usize);
        let (fi, fj) = (self.flags[i], self.flags[j]);
        if fi & fj & PLAIN == 0 || fi & fj & HAS_ANY != 0 {
            return true;
        }
        let (a, b) = (self.words(i), self.words(j));
        // Which words may be matched: a bit per word (at most `MAX_TOKS`).
        let (mut am, mut bm) = (0u32, 0u32);
        for (x, t) in a.iter().enumerate() {
            for (y, u) in b.iter().enumerate() {
                if may_match(v, t, u) {
                    am |= 1 << x;
                    bm |= 1 << y;
                }
            }
        }
        let full = |w: &[Word]| (1u32 << w.len()) - 1;
        if am == full(a) || bm == full(b) {
            return true;
        }
        runs(v, a, b, &mut am, &mut bm);
        runs(v, b, a, &mut bm, &mut am);
        if am == full(a) || bm == full(b) {
            return true;
        }
        let split = |w: &[Word], m: u32| {
            w.iter()
                .enumerate()
                .fold((0.0f32, 0.0f32), |(p, u), (x, t)| {
                    if m & (1 << x) != 0 {
                        (p + t.weight, u)
                    } else {
                        (p, u + t.weight)
                    }
                })
        };
        let ((pa, ua), (pb, ub)) = (split(a, am), split(b, bm));
        let mw = pa.min(pb);
        let bound = mw / (mw + 0.5 * (ua + ub));
        bound >= review_near - MARGIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::{judge, Pair};

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
        let (v, items) = Item::of_names(&names);
        let s = Sketches::new(&v, &items);
        assert!(!s.may_keep(&v, 0, 1, 0.6));
        assert!(s.may_keep(&v, 0, 2, 0.6));
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
        let (v, items) = Item::of_names(&names);
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
                    if !s.may_keep(&v, i, j, 0.6) {
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
