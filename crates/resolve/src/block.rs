//! Candidate generation (blocking): which pairs of names are worth comparing.
//!
//! Comparing every pair of 200,000 names is 20 billion comparisons; names of one supplier
//! almost always share a rare word, an acronym, a spelling of their rarest word, a public
//! body or an identifier. Each name gets a few keys of those kinds; names sharing a key are
//! compared. Keys shared by too many names (`services`, `leeds`) are dropped: they are
//! covered by the rarer keys of the same names.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use crate::model::{FRec, Vocab, C_PLACE, C_QUAL};

// Two caps, learned from the names as weights (`data/calibration.tsv`, `crate::calibrate`) and
// turned into block sizes for the input at hand: in a word block larger than `big_block`,
// two names are compared only if they share another such key as well (big blocks are words
// too common to be evidence alone); compound and acronym blocks larger than `word_cap` are
// not used.
/// Low bit of a key: a one-letter-deletion spelling key.
const DELETION: u64 = 1;
/// Cap for exact keys (public body, identifier).
pub const EXACT_CAP: usize = 3000;

const KIND: u64 = 3u64 << 62;
const EXACT: u64 = 2u64 << 62;
const ACRONYM: u64 = 1u64 << 62;

fn h(tag: u8, parts: &[&str]) -> u64 {
    let mut s = FxHasher::default();
    tag.hash(&mut s);
    for p in parts {
        p.hash(&mut s);
    }
    // The top two bits tell word keys, exact keys (identifiers, public bodies) and
    // acronym keys apart; the low bit marks spelling (deletion) keys.
    let k = s.finish() & !KIND;
    if tag == b'd' {
        k | DELETION
    } else {
        k & !DELETION
    }
}

/// Mark a key as exact (a larger block size is allowed).
pub fn exact(k: u64) -> u64 {
    (k & !KIND) | EXACT
}

/// Bit 1 of an acronym key: the acronym has two letters (too common to pair up words).
const SHORT: u64 = 2;

fn acronym(tag: u8, s: &str) -> u64 {
    let k = h(tag, &[s]) | ACRONYM;
    if s.len() <= 2 {
        k | SHORT
    } else {
        k & !SHORT
    }
}

/// Keys for an identifier or public-body key (`c` company, `h` charity, `v` VAT, `s`
/// supplier id, `p` public body).
pub fn exact_key(tag: u8, value: &str) -> u64 {
    exact(h(tag, &[value]))
}

/// Word keys for one name form.
pub fn form_keys(v: &Vocab, f: &FRec, out: &mut Vec<u64>) {
    let n = f.toks.len();
    if n == 0 {
        return;
    }
    let text = |i: usize| &*v.text[f.toks[i] as usize];
    // Rarest two identifying tokens.
    // (Places count: `University of Exeter` is known by `university` and `exeter` together.)
    let mut idx: Vec<usize> = (0..n)
        .filter(|&i| v.class[f.toks[i] as usize] & (C_QUAL & !C_PLACE) == 0 || n == 1)
        .collect();
    idx.sort_by(|&x, &y| {
        v.weight[f.toks[y] as usize]
            .total_cmp(&v.weight[f.toks[x] as usize])
            .then(x.cmp(&y))
    });
    for &i in idx.iter().take(2) {
        out.push(h(b't', &[text(i)]));
    }
    // First token, or the first two when the first is very common.
    if v.freq(f.toks[0]) > 2000 && n >= 2 {
        out.push(h(b'f', &[text(0), text(1)]));
    } else {
        out.push(h(b't', &[text(0)]));
    }
    // Spellings of the rarest token: every one-letter deletion (catches one typo or a
    // swapped pair on either side).
    if let Some(&r) = idx.first() {
        let t = text(r).as_bytes();
        if t.len() >= 5 && t.iter().all(u8::is_ascii_alphabetic) {
            out.push(h(b'd', &[text(r)]));
            let mut buf = Vec::with_capacity(t.len());
            for k in 0..t.len() {
                buf.clear();
                buf.extend_from_slice(&t[..k]);
                buf.extend_from_slice(&t[k + 1..]);
                out.push(h(b'd', &[std::str::from_utf8(&buf).unwrap_or("")]));
            }
        }
        // A cut-short rarest token: its first five letters.
        if t.len() >= 5 && r + 1 == n {
            out.push(h(
                b'p',
                &[text(0), std::str::from_utf8(&t[..5]).unwrap_or("")],
            ));
        }
    }
    if n >= 2 {
        let t0 = text(0).as_bytes();
        if t0.len() >= 5 && t0.iter().all(u8::is_ascii_alphabetic) {
            let t1 = text(1);
            let cut = t1.char_indices().nth(5).map_or(t1.len(), |(i, _)| i);
            out.push(h(b'p', &[text(0), &t1[..cut]]));
        }
    }
    // The name run together, first 8 letters: `lexis nexis` / `lexisnexis`.
    let sq: String = f.toks.iter().map(|&t| &*v.text[t as usize]).collect();
    if sq.len() >= 8 {
        let cut = sq.char_indices().nth(8).map_or(sq.len(), |(i, _)| i);
        out.push(h(b's', &[&sq[..cut]]));
    }
    // Acronyms: initials of a multi-word name; a short one-word name as itself.
    if n >= 2 {
        let mut ini = String::new();
        for i in 0..n {
            if f.initialism(i) {
                ini.push_str(text(i));
            } else if let Some(c) = text(i).chars().next() {
                ini.push(c);
            }
        }
        if (2..=6).contains(&ini.len()) && ini.bytes().all(|b| b.is_ascii_alphabetic()) {
            out.push(acronym(b'a', &ini));
        }
    }
    for i in 0..n {
        let t = text(i);
        if (2..=6).contains(&t.len())
            && t.bytes().all(|b| b.is_ascii_alphabetic())
            && (f.initialism(i) || n <= 2)
        {
            out.push(acronym(b'a', t));
        }
    }
}

/// What an acronym block needs to know of a name: 0 for a one-word name (the acronym
/// side), else a hash of its words (an expansion). A block whose acronym has two different
/// expansions (`EE` = `Everything Everywhere` or `Eco Energy`?) is ambiguous and dropped.
pub fn expansion_id(v: &Vocab, f: &FRec) -> u64 {
    if f.toks.len() < 2 {
        return 0;
    }
    let mut s = FxHasher::default();
    for &t in &f.toks {
        v.text[t as usize].hash(&mut s);
    }
    s.finish() | 1
}

/// All candidate pairs `(i, j)`, `i < j`, from each name's keys; `expansion` is each
/// name's [`expansion_id`]; `n_in` the number of input names the words were weighed over
/// (the caps are block sizes for that many names: [`crate::calibrate::Thresholds::block_caps`]).
///
/// Small blocks give all their pairs. A word key shared by many names (more than
/// `big_block`, [`crate::calibrate::thresholds`]) gives a pair only together with
/// another such key: each name's big keys are combined two by two into compound keys,
/// which are blocked in turn. Names sharing a small key are compared through it; names
/// sharing only common words must share two. Blocks larger than `word_cap` are not used.
pub fn pairs(keys: &[Vec<u64>], expansion: &[u64], n_in: usize) -> Vec<(u32, u32)> {
    let (big_block, word_cap) = crate::calibrate::thresholds().block_caps(n_in);
    pairs_capped(keys, expansion, big_block, word_cap)
}

/// [`pairs`] with the given caps.
pub fn pairs_capped(
    keys: &[Vec<u64>],
    expansion: &[u64],
    big_block: usize,
    word_cap: usize,
) -> Vec<(u32, u32)> {
    let sorted: Vec<Vec<u64>> = keys
        .par_iter()
        .map(|ks| {
            let mut ks = ks.clone();
            ks.sort_unstable();
            ks.dedup();
            ks
        })
        .collect();
    let flat = flatten(&sorted);
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut big: rustc_hash::FxHashSet<u64> = rustc_hash::FxHashSet::default();
    for (s, e) in runs(&flat) {
        let size = e - s;
        let key = flat[s].0;
        let kind = key & KIND;
        if kind == 0 && size > big_block {
            if key & DELETION == 0 {
                big.insert(key);
            }
            continue;
        }
        let cap = if kind == EXACT { EXACT_CAP } else { word_cap };
        let mut ok = size >= 2 && size <= cap;
        if ok && kind == ACRONYM {
            let mut exp: Vec<u64> = flat[s..e]
                .iter()
                .map(|&(_, i)| expansion[i as usize])
                .filter(|&x| x != 0)
                .collect();
            exp.sort_unstable();
            exp.dedup();
            ok = exp.len() <= 1;
            if !ok && key & SHORT == 0 {
                // An ambiguous acronym still helps beside another word (`Ravensworth P and I` /
                // `Ravensworth Property & Infrastructure`).
                big.insert(key);
            }
        }
        if ok {
            groups.push((s, e));
        }
    }
    // Compound keys from each name's big keys.
    let compound: Vec<Vec<u64>> = sorted
        .par_iter()
        .map(|ks| {
            let b: Vec<u64> = ks.iter().copied().filter(|k| big.contains(k)).collect();
            let mut out = Vec::new();
            for x in 0..b.len() {
                for y in x + 1..b.len() {
                    let mut hs = FxHasher::default();
                    (b[x], b[y]).hash(&mut hs);
                    out.push(hs.finish() & !KIND & !DELETION);
                }
            }
            out
        })
        .collect();
    let cflat = flatten(&compound);
    let cgroups: Vec<(usize, usize)> = runs(&cflat)
        .filter(|(s, e)| e - s >= 2 && e - s <= word_cap)
        .collect();
    // A common pair of words gives one block per combination of the names' common keys
    // (`t:bench`, `f:bench supplier`, `s:benchsup`…), most with the same members: their pairs
    // are emitted once, not once per key. And they are written into one vector of the exact
    // size (no per-thread lists concatenated into a second copy), so a register of
    // near-identical names holds each candidate pair once, in 8 bytes, before the sort.
    let groups = distinct_groups(&flat, groups);
    let cgroups = distinct_groups(&cflat, cgroups);
    let size = |g: &[(usize, usize)]| {
        g.iter()
            .map(|&(s, e)| (e - s) * (e - s - 1) / 2)
            .sum::<usize>()
    };
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(size(&groups) + size(&cgroups));
    for (flat, groups) in [(&flat, &groups), (&cflat, &cgroups)] {
        for &(s, e) in groups.iter() {
            let members = &flat[s..e];
            for x in 0..members.len() {
                for y in x + 1..members.len() {
                    let (a, b) = (members[x].1, members[y].1);
                    out.push(if a < b { (a, b) } else { (b, a) });
                }
            }
        }
    }
    // (Sorted as one `u64` each, the same order as the tuples': one comparison, not two.)
    out.par_sort_unstable_by_key(|&(a, b)| (u64::from(a) << 32) | u64::from(b));
    out.dedup();
    out.shrink_to_fit();
    out
}

/// The groups whose members (in a sorted key list, `flat[s..e]`, members by index) differ:
/// of groups with the same members, the first only. Their pairs are the same.
fn distinct_groups(flat: &[(u64, u32)], groups: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let members = |&(s, e): &(usize, usize)| flat[s..e].iter().map(|x| x.1);
    let mut by: Vec<(u64, usize)> = groups
        .iter()
        .enumerate()
        .map(|(g, r)| {
            let mut hs = FxHasher::default();
            for m in members(r) {
                m.hash(&mut hs);
            }
            (hs.finish(), g)
        })
        .collect();
    by.sort_unstable();
    let mut keep = vec![true; groups.len()];
    for (k, &(hash, g)) in by.iter().enumerate() {
        // Earlier groups of the same hash are `by[..k]` with that hash (sorted by hash, then
        // group): compare the members, not only the hash.
        let dup = by[..k]
            .iter()
            .rev()
            .take_while(|x| x.0 == hash)
            .any(|&(_, o)| keep[o] && members(&groups[o]).eq(members(&groups[g])));
        if dup {
            keep[g] = false;
        }
    }
    groups
        .into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect()
}

fn flatten(keys: &[Vec<u64>]) -> Vec<(u64, u32)> {
    let mut flat: Vec<(u64, u32)> = keys
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, ks)| ks.iter().map(move |&k| (k, i as u32)))
        .collect();
    flat.par_sort_unstable();
    flat
}

/// Runs of equal keys in a sorted key list, as (start, end).
fn runs(flat: &[(u64, u32)]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut s = 0;
    std::iter::from_fn(move || {
        if s >= flat.len() {
            return None;
        }
        let mut e = s + 1;
        while e < flat.len() && flat[e].0 == flat[s].0 {
            e += 1;
        }
        let r = (s, e);
        s = e;
        Some(r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names 0, 1 and 2 share two keys (two blocks with the same members), 0 and 3 a third:
    /// each pair once, as listed by hand.
    #[test]
    fn blocks_with_the_same_members_give_their_pairs_once() {
        let (a, b, c) = (10u64, 20u64, 30u64);
        let keys = vec![vec![a, b, c], vec![b, a], vec![a, b], vec![c]];
        let got = pairs(&keys, &[0; 4], 4);
        assert_eq!(got, vec![(0, 1), (0, 2), (0, 3), (1, 2)]);
    }
}
