//! Thresholds learned from the unlabelled names (issue 16): how rare a word must be before
//! sharing it alone says two names are one supplier, how much a trading name must weigh
//! before it may link on its own, and how large a word block may be before its pairs need a
//! second key.
//!
//! The method is Fellegi and Sunter's, fitted by expectation-maximisation as splink fits
//! it, on pairs of the unlabelled names:
//!
//! 1. every name is parsed and its words weighed exactly as [`crate::Resolver`] does
//!    (inverse document frequency over the names and the built-in background);
//! 2. the pairs are every two names that share a word carried by at most 1,000 names, each
//!    pair once, under the rarest word it shares; public bodies are left out (they are
//!    judged by the body, not by words). (Not the resolver's own blocks: their caps cut
//!    across the weight bands and bias them.)
//! 3. each pair is described by four comparisons, taken as independent given whether the
//!    two names are one supplier: the weight of the words only one of them has, whether
//!    the first words agree, whether the last words agree, and whether their legal forms
//!    agree;
//! 4. EM over the pattern counts gives the share of matches among the pairs, `m` and `u`
//!    for every level, and for each pair the posterior probability that it is a match;
//! 5. the pairs are grouped into 0.5-wide weight bands, and each band's `m` (share of the
//!    matches in it) and `u` (share of the non-matches) are read off the posteriors: by
//!    the rarest shared word (for `rare_word`), by that word among pairs where one name is
//!    that one word (`alias_one_word`), and by the total weight of the shared words
//!    (`alias_weight`);
//! 6. **the bands are fitted by a pair-weighted isotonic regression** ([`isotonic`]): the
//!    share of matches may not fall as the weight rises; runs of bands that do fall are
//!    merged. A threshold is the lowest band whose fitted `log2(m/u)` is above 0: from
//!    there on, sharing that much weight is evidence for a match.
//!
//! **Why isotonic.** Weight is `ln(N/df)`: a heavier shared word (or set of words) is one
//! fewer other suppliers carry, so the chance that two names sharing it are one supplier
//! cannot fall as the weight rises; that is the one law the model gives about the bands.
//! Raw bands break it where pairs of another kind land on the same weight (two common words
//! shared weigh as much as one rare one, and are matches less often: the total-weight bands
//! fall below 0 again at 10–10.5). Reading "the lowest band from which every band is above
//! 0" off raw bands lets one such dip move the threshold far up (11.0 for `alias_weight`),
//! and one noisy band move it down. The isotonic fit is the maximum-likelihood estimate of
//! the match shares under that order (Barlow et al., 1972); a merged run's value is that
//! run's own pooled `log2(m/u)`, so no smoothing width or scale is chosen, and on bands that
//! already rise it is the raw reading (`rare_word` is 7.0 either way).
//!
//! **Block caps.** The resolver pairs names through key blocks. A word lighter than
//! `rare_word` is, by the bands, no evidence for a match alone, so its block pairs names only
//! together with a second key (`big_block_weight` = `rare_word`); two keys together lighter
//! than `alias_weight`, the least total shared weight that is evidence, pair nothing
//! (`word_cap_weight` = `alias_weight`). A block's size is what the resolver knows, so the
//! weights are turned into sizes for each input ([`block_size_below`]): the largest block
//! whose word could still weigh that much for `n` input names. They grow with the input (395
//! for the 217,312 B3 names, 198 for 889), and never hold back a word that is rare in the
//! input but absent from the background.
//!
//! `alias_one_word` alone is not taken from the bands ([`ALIAS_ONE_WORD_FIXED`]): the
//! one-word bands do not describe what it decides, and the learned value loses precision.
//!
//! No label enters: the EM is started from the pairs whose names have the same words (a
//! supplier written twice), and learns the rest. The values are committed in
//! `data/calibration.tsv` with the command that made them (`anchornet resolve calibrate`
//! makes it from any list of names); [`thresholds`] reads them, and a test re-derives them
//! from the shared data so the file cannot drift from the method.

use std::fmt::Write as _;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::block;
use crate::model::{FRec, NRec, Vocab};
use crate::parse::{parse, Parsed};

/// Width of a weight band (natural-log units of inverse document frequency).
pub const BAND: f32 = 0.5;
/// Weight bands: `[0, 0.5)`, `[0.5, 1)` … the last open above.
const BANDS: usize = 30;
/// Levels of the rarest-shared-word comparison: none shared, then one per band.
const A: usize = BANDS + 1;
/// Levels of the weight of the words only one name has.
const B: usize = 6;
/// Levels of "first words agree".
const C: usize = 2;
/// Levels of "legal forms agree".
const D: usize = 4;
/// Levels of "last words agree".
const E: usize = 2;
/// Patterns of the comparisons.
const PATTERNS: usize = A * B * C * D * E;
/// A band decides only with at least this many pairs (fewer say little either way).
const MIN_PAIRS: f64 = 50.0;
/// Words carried by more names than this give no pairs (they are too common to be a
/// supplier's own word at any threshold the bands could find).
const POPULATION_CAP: usize = 1000;

/// The thresholds the resolver uses, learned from the names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A word at least this heavy identifies a supplier alone (a one-word name may take a
    /// tail; a trading name must have one; a one-word register link must be one).
    pub rare_word: f32,
    /// Least total weight of a trading name that links on its own.
    pub alias_weight: f32,
    /// Least weight of a one-word trading name.
    pub alias_one_word: f32,
    /// A word block whose word certainly weighs less than this pairs names only together
    /// with a second key ([`Thresholds::block_caps`]).
    pub big_block_weight: f32,
    /// Compound and acronym blocks whose key certainly weighs less than this are not used.
    pub word_cap_weight: f32,
}

/// The smallest size a block can have, for `n` input names, that certainly belongs to a key
/// lighter than `weight`. The resolver weighs a word carried by `df` input names and `bg`
/// names of the background as `ln((N_bg + n + 1) / (bg + df + 0.5))`
/// ([`crate::model::Vocab::reweigh`]), never more than `ln((N_bg + n + 1) / (df + 0.5))`; so
/// a block of more than `(N_bg + n + 1)·e^(−weight) − 0.5` names is a word lighter than
/// `weight` whatever the background says of it. Floored, and at least 2.
pub fn block_size_below(weight: f32, n: usize) -> usize {
    let total = (crate::model::background().n as usize + n + 1) as f64;
    ((total * (-f64::from(weight)).exp() - 0.5).floor().max(2.0)) as usize
}

impl Thresholds {
    /// The block caps for an input of `n` names, `(big_block, word_cap)`: a word block of
    /// more than `big_block` names pairs them only with a second key, and compound and
    /// acronym blocks of more than `word_cap` are not used ([`block_size_below`] of the two
    /// weights). For the 217,312 B3 names both are 395; for 4,000 names, 201.
    pub fn block_caps(&self, n: usize) -> (usize, usize) {
        (
            block_size_below(self.big_block_weight, n),
            block_size_below(self.word_cap_weight, n),
        )
    }

    /// Read the `key<TAB>value` lines of a calibration file (`#` lines are comments).
    pub fn from_tsv(text: &str) -> Result<Thresholds, String> {
        let mut t = Thresholds {
            rare_word: f32::NAN,
            alias_weight: f32::NAN,
            alias_one_word: f32::NAN,
            big_block_weight: f32::NAN,
            word_cap_weight: f32::NAN,
        };
        for (k, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (key, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab", k + 1))?;
            let slot = match key {
                "rare_word" => &mut t.rare_word,
                "alias_weight" => &mut t.alias_weight,
                "alias_one_word" => &mut t.alias_one_word,
                "big_block_weight" => &mut t.big_block_weight,
                "word_cap_weight" => &mut t.word_cap_weight,
                _ => return Err(format!("line {}: unknown key {key:?}", k + 1)),
            };
            *slot = value
                .trim()
                .parse()
                .map_err(|e| format!("line {}: {key}: {e}", k + 1))?;
        }
        for (key, v) in [
            ("rare_word", t.rare_word),
            ("alias_weight", t.alias_weight),
            ("alias_one_word", t.alias_one_word),
            ("big_block_weight", t.big_block_weight),
            ("word_cap_weight", t.word_cap_weight),
        ] {
            if !v.is_finite() {
                return Err(format!("{key} is missing"));
            }
        }
        Ok(t)
    }

    /// The `key<TAB>value` lines, as [`Thresholds::from_tsv`] reads them.
    pub fn to_tsv(&self) -> String {
        format!(
            "rare_word\t{:.1}\nalias_weight\t{:.1}\nalias_one_word\t{:.1}\nbig_block_weight\t{:.1}\nword_cap_weight\t{:.1}\n",
            self.rare_word,
            self.alias_weight,
            self.alias_one_word,
            self.big_block_weight,
            self.word_cap_weight
        )
    }
}

/// The committed thresholds (`data/calibration.tsv`).
pub fn thresholds() -> &'static Thresholds {
    static T: OnceLock<Thresholds> = OnceLock::new();
    T.get_or_init(|| {
        Thresholds::from_tsv(include_str!("../data/calibration.tsv"))
            .expect("data/calibration.tsv is written by calibrate")
    })
}

/// One weight band's figures.
#[derive(Debug, Clone, Copy, Default)]
pub struct BandRow {
    /// Lower edge of the band.
    pub from: f32,
    /// Pairs in the band.
    pub pairs: f64,
    /// Mean posterior probability of a match.
    pub p_match: f64,
    /// `log2(m/u)` of the band, where `m` and `u` are the shares of matches and of
    /// non-matches in it.
    pub log2_bf: f64,
    /// `log2(m/u)` of the isotonic fit ([`isotonic`]): of the band merged with the
    /// neighbours it was pooled with (NaN for a band of fewer than 50 pairs, left out).
    pub fitted: f64,
}

/// The result of [`calibrate`]: the thresholds and what they were read from.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The thresholds.
    pub thresholds: Thresholds,
    /// Names used.
    pub names: usize,
    /// Candidate pairs compared.
    pub pairs: u64,
    /// EM iterations.
    pub iterations: usize,
    /// Share of matches among the pairs.
    pub lambda: f64,
    /// By the weight of the rarest shared word.
    pub rare: Vec<BandRow>,
    /// By that weight, among pairs with a one-word name.
    pub one_word: Vec<BandRow>,
    /// By the total weight of the shared words.
    pub total: Vec<BandRow>,
    /// Key blocks by size ([`block_sizes`]).
    pub block_sizes: Vec<(usize, u64, u64)>,
    /// Where the isotonic fit of the one-word bands crosses 0: what `alias_one_word` would
    /// be if learned (not used: [`ALIAS_ONE_WORD_FIXED`]).
    pub alias_one_word_learned: f32,
}

/// `alias_one_word`, kept at the value set by hand. Learned by the same rule it would be the
/// one-word bands' crossing (6.5 on the B3 names; in effect `rare_word`, 7.0, which a
/// one-word trading name must reach anyway), and that loses precision on the silver set
/// (pairwise P 0.9524 -> 0.9038, F1 0.8380 -> 0.8209; the dev set does not move): the
/// one-word bands describe a one-word *name* beside a name holding its word, while the
/// threshold decides whether a one-word *trading name* joins its payee's registered name to
/// every name of that word, a merge of two different names whose cost those pairs do not
/// show. See docs/resolve.md.
pub const ALIAS_ONE_WORD_FIXED: f32 = 9.5;

fn band(w: f32) -> usize {
    ((w / BAND).floor().max(0.0) as usize).min(BANDS - 1)
}

/// One pair's comparisons.
#[derive(Clone, Copy)]
struct PairStat {
    pattern: usize,
    /// Band of the total shared weight + 1 (0: nothing shared).
    total: usize,
    /// One name is one word, and the other shares it.
    one_word: bool,
}

fn compare(v: &Vocab, x: &FRec, y: &FRec) -> PairStat {
    let mut a: Vec<u32> = x.toks.clone();
    let mut b: Vec<u32> = y.toks.clone();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    let w = |t: u32| v.weight[t as usize];
    let (mut max, mut sum, mut diff) = (None::<f32>, 0f32, 0f32);
    for &t in &a {
        if b.binary_search(&t).is_ok() {
            max = Some(max.map_or(w(t), |m| m.max(w(t))));
            sum += w(t);
        } else {
            diff += w(t);
        }
    }
    for &t in &b {
        if a.binary_search(&t).is_err() {
            diff += w(t);
        }
    }
    let la = max.map_or(0, |m| 1 + band(m));
    let lb = match diff {
        d if d <= 0.0 => 0,
        d if d <= 1.0 => 1,
        d if d <= 3.0 => 2,
        d if d <= 6.0 => 3,
        d if d <= 10.0 => 4,
        _ => 5,
    };
    let lc = usize::from(!x.toks.is_empty() && !y.toks.is_empty() && x.toks[0] == y.toks[0]);
    let le =
        usize::from(!x.toks.is_empty() && !y.toks.is_empty() && x.toks.last() == y.toks.last());
    let ld = match (x.lf, y.lf) {
        (Some(p), Some(q)) if p == q => 0,
        (Some(_), Some(_)) => 1,
        (None, None) => 2,
        _ => 3,
    };
    PairStat {
        pattern: (((la * B + lb) * C + lc) * D + ld) * E + le,
        total: max.map_or(0, |_| 1 + band(sum)),
        one_word: max.is_some() && (a.len() == 1 || b.len() == 1),
    }
}

fn levels(p: usize) -> [usize; 5] {
    [
        p / (E * D * C * B),
        (p / (E * D * C)) % B,
        (p / (E * D)) % C,
        (p / E) % D,
        p % E,
    ]
}

/// Fellegi–Sunter EM over pattern counts. Returns the posterior match probability of each
/// pattern, the share of matches and the iterations used.
fn em(counts: &[f64]) -> (Vec<f64>, f64, usize) {
    let sizes = [A, B, C, D, E];
    // The rarest shared word's band (the first comparison) is what the thresholds are read
    // from: it is left out of the model, so that the bands are judged by the other words.
    let use_f = [false, true, true, true, true];
    // Start: the pairs whose names have the same words (nothing differs) are matches, the
    // rest are not; EM learns from there.
    let mut post: Vec<f64> = (0..PATTERNS)
        .map(|p| if levels(p)[1] == 0 { 0.9 } else { 0.1 })
        .collect();
    let total: f64 = counts.iter().sum();
    let mut lambda = 0.0;
    let mut it = 0;
    while it < 1000 {
        it += 1;
        // M step.
        let mut m: Vec<Vec<f64>> = sizes.iter().map(|&s| vec![1e-6; s]).collect();
        let mut u = m.clone();
        let mut matches = 0.0;
        for p in 0..PATTERNS {
            let (c, r) = (counts[p], post[p]);
            if c == 0.0 {
                continue;
            }
            matches += c * r;
            for (f, &l) in levels(p).iter().enumerate() {
                m[f][l] += c * r;
                u[f][l] += c * (1.0 - r);
            }
        }
        for f in m.iter_mut().chain(u.iter_mut()) {
            let s: f64 = f.iter().sum();
            f.iter_mut().for_each(|x| *x /= s);
        }
        let new_lambda = matches / total;
        // E step.
        let mut change: f64 = (new_lambda - lambda).abs();
        lambda = new_lambda;
        for (p, r) in post.iter_mut().enumerate() {
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for (f, &l) in levels(p).iter().enumerate().filter(|(f, _)| use_f[*f]) {
                pm *= m[f][l];
                pu *= u[f][l];
            }
            let nr = pm / (pm + pu);
            change = change.max((nr - *r).abs());
            *r = nr;
        }
        if change < 1e-12 {
            break;
        }
    }
    (post, lambda, it)
}

/// Band rows from counts per (pattern, band) and the posteriors.
fn rows(table: &[f64], bands: usize, post: &[f64], skip_first: bool) -> Vec<BandRow> {
    let (mut all_m, mut all_u) = (0.0, 0.0);
    let mut acc = vec![(0.0f64, 0.0f64); bands];
    for p in 0..PATTERNS {
        for (b, slot) in acc.iter_mut().enumerate() {
            let c = table[p * bands + b];
            slot.0 += c * post[p];
            slot.1 += c * (1.0 - post[p]);
            all_m += c * post[p];
            all_u += c * (1.0 - post[p]);
        }
    }
    let mut out: Vec<BandRow> = acc
        .iter()
        .enumerate()
        .skip(usize::from(skip_first))
        .map(|(b, &(mm, uu))| {
            let k = if skip_first { b - 1 } else { b };
            BandRow {
                from: k as f32 * BAND,
                pairs: mm + uu,
                p_match: if mm + uu > 0.0 { mm / (mm + uu) } else { 0.0 },
                log2_bf: ((mm.max(1e-9) / all_m) / (uu.max(1e-9) / all_u)).log2(),
                fitted: f64::NAN,
            }
        })
        .collect();
    isotonic(&mut out, all_m / all_u);
    out
}

/// The pair-count-weighted isotonic (non-decreasing) fit of the bands' match shares, by
/// pool-adjacent-violators: while a band has a larger share of matches than the band above
/// it, the two are merged (their matches and pairs summed). Each band's `fitted` is then
/// `log2(m/u)` of the merged band it ended in; `odds` is the table's `Σm / Σu` (the expected
/// matches over the expected non-matches of all its pairs). Bands of fewer than
/// [`MIN_PAIRS`] pairs take no part.
///
/// Why: the more a shared word weighs, the rarer it is, so the likelier two names sharing it
/// are one supplier: the true `m/u` cannot fall as the weight rises. Where the bands do fall
/// (pairs sharing two common words weigh as much as pairs sharing one rare word, and are
/// matches less often), the band is not evidence of a different law but of pairs of another
/// kind filed under the same weight; the isotonic fit is the maximum-likelihood estimate of
/// the match share under the one constraint the model gives (Barlow, Bartholomew, Bremner and
/// Brunk, *Statistical inference under order restrictions*, 1972), and its value on a pooled
/// run is that run's own `log2(m/u)`, so no scale or smoothing is chosen.
pub fn isotonic(rows: &mut [BandRow], odds: f64) {
    // Runs of merged bands: (matches, pairs, bands in the run), over the bands used.
    let used: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].pairs >= MIN_PAIRS)
        .collect();
    let mut runs: Vec<(f64, f64, usize)> = Vec::new();
    for &i in &used {
        let r = rows[i];
        runs.push((r.pairs * r.p_match, r.pairs, 1));
        while runs.len() >= 2 {
            let (b, a) = (runs[runs.len() - 1], runs[runs.len() - 2]);
            if a.0 / a.1 <= b.0 / b.1 {
                break;
            }
            runs.pop();
            let last = runs.len() - 1;
            runs[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
    }
    let mut k = 0;
    for (mm, pairs, n) in runs {
        let uu = pairs - mm;
        let fit = ((mm.max(1e-9) / uu.max(1e-9)) / odds).log2();
        for &i in &used[k..k + n] {
            rows[i].fitted = fit;
        }
        k += n;
    }
}

/// The lowest band edge from which on the isotonic fit says sharing is evidence for a match,
/// `log2(m/u) > 0` (the fit does not fall, so every band above says so too).
fn crossing(rows: &[BandRow]) -> f32 {
    let mut edge = rows.last().map_or(0.0, |r| r.from + BAND);
    for r in rows.iter().rev() {
        if r.pairs < MIN_PAIRS {
            continue;
        }
        if r.fitted > 0.0 {
            edge = r.from;
        } else {
            break;
        }
    }
    edge
}

/// The names prepared as the resolver prepares them: parsed, interned, weighed.
fn prepare(names: &[String]) -> (Vocab, Vec<Parsed>, Vec<NRec>) {
    let parsed: Vec<Parsed> = names.par_iter().map(|n| parse(n)).collect();
    let mut v = Vocab::default();
    let mut recs = Vec::with_capacity(parsed.len());
    for p in &parsed {
        let rec = NRec::from_parsed(p, &mut v);
        v.count_input(&rec);
        recs.push(rec);
    }
    v.n_in = names.len() as u32;
    v.reweigh();
    (v, parsed, recs)
}

/// Key blocks of the names by size: `(up to size, blocks, pairs)` for sizes `2`, `3–4`,
/// `5–8`, … doubling (the figures a choice of block caps would start from).
pub fn block_sizes(keys: &[Vec<u64>]) -> Vec<(usize, u64, u64)> {
    let mut flat: Vec<u64> = keys
        .iter()
        .flat_map(|k| {
            let mut k = k.clone();
            k.sort_unstable();
            k.dedup();
            k
        })
        .collect();
    flat.par_sort_unstable();
    let mut sizes: Vec<(usize, u64, u64)> = Vec::new();
    let mut s = 0;
    while s < flat.len() {
        let mut e = s + 1;
        while e < flat.len() && flat[e] == flat[s] {
            e += 1;
        }
        let n = e - s;
        if n >= 2 {
            let upper = n.next_power_of_two();
            let pairs = (n * (n - 1) / 2) as u64;
            match sizes.iter_mut().find(|x| x.0 == upper) {
                Some(x) => {
                    x.1 += 1;
                    x.2 += pairs;
                }
                None => sizes.push((upper, 1, pairs)),
            }
        }
        s = e;
    }
    sizes.sort_unstable();
    sizes
}

/// Learn the thresholds from `names` (distinct supplier names; order does not matter).
pub fn calibrate(names: &[String]) -> Calibration {
    calibrate_with(names, &|_, _, _| {})
}

/// [`calibrate`], telling `progress(stage, done, of)` how far it is (`of` is 0 for a stage
/// that is not counted). Called from several threads.
pub fn calibrate_with(names: &[String], progress: &(dyn Fn(&str, u64, u64) + Sync)) -> Calibration {
    let mut names: Vec<String> = names.to_vec();
    names.sort_unstable();
    names.dedup();
    progress("parsing and weighing the names", 0, 0);
    let (v, parsed, recs) = prepare(&names);
    let keys: Vec<Vec<u64>> = recs
        .par_iter()
        .map(|r| {
            let mut k = Vec::with_capacity(24);
            block::form_keys(&v, &r.main, &mut k);
            if let Some(a) = &r.alias {
                block::form_keys(&v, a, &mut k);
            }
            k
        })
        .collect();
    // The pairs: every two names sharing a word carried by at most `POPULATION_CAP` names,
    // each pair once, under the rarest word it shares (not the resolver's blocks, whose
    // caps would bias the bands they cut across). Public bodies are judged by the body.
    let mut by_word: Vec<Vec<u32>> = vec![Vec::new(); v.text.len()];
    for (i, r) in recs.iter().enumerate() {
        if parsed[i].public.is_some() {
            continue;
        }
        let mut t = r.main.toks.clone();
        t.sort_unstable();
        t.dedup();
        for t in t {
            by_word[t as usize].push(i as u32);
        }
    }
    let rarest = |x: &FRec, y: &FRec| -> Option<u32> {
        x.toks
            .iter()
            .filter(|t| y.toks.contains(t))
            .copied()
            .max_by(|&a, &b| {
                v.weight[a as usize]
                    .total_cmp(&v.weight[b as usize])
                    .then(b.cmp(&a))
            })
    };
    let zero = || {
        (
            vec![0u64; PATTERNS],
            vec![0u64; PATTERNS * A],
            vec![0u64; PATTERNS],
        )
    };
    let words = by_word
        .iter()
        .filter(|l| l.len() >= 2 && l.len() <= POPULATION_CAP)
        .count() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    progress("comparing names that share a word", 0, words);
    let (pat, tot, one) = by_word
        .par_iter()
        .enumerate()
        .filter(|(_, l)| l.len() >= 2 && l.len() <= POPULATION_CAP)
        .fold(zero, |mut acc, (t, l)| {
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if d.is_multiple_of(256) || d == words {
                progress("comparing names that share a word", d, words);
            }
            for (k, &i) in l.iter().enumerate() {
                for &j in &l[k + 1..] {
                    let (x, y) = (&recs[i as usize].main, &recs[j as usize].main);
                    if rarest(x, y) != Some(t as u32) {
                        continue;
                    }
                    let s = compare(&v, x, y);
                    acc.0[s.pattern] += 1;
                    acc.1[s.pattern * A + s.total] += 1;
                    if s.one_word {
                        acc.2[s.pattern] += 1;
                    }
                }
            }
            acc
        })
        .reduce(zero, |mut a, b| {
            a.0.iter_mut().zip(&b.0).for_each(|(x, y)| *x += y);
            a.1.iter_mut().zip(&b.1).for_each(|(x, y)| *x += y);
            a.2.iter_mut().zip(&b.2).for_each(|(x, y)| *x += y);
            a
        });
    let counts: Vec<f64> = pat.iter().map(|&c| c as f64).collect();
    progress("fitting the model (EM)", 0, 0);
    let (post, lambda, iterations) = em(&counts);
    // By the rarest shared word: the pattern's first level is the band.
    let mut by_rare = vec![0.0; PATTERNS * A];
    let mut by_one = vec![0.0; PATTERNS * A];
    for p in 0..PATTERNS {
        let a = levels(p)[0];
        by_rare[p * A + a] = counts[p];
        by_one[p * A + a] = one[p] as f64;
    }
    let tot: Vec<f64> = tot.iter().map(|&c| c as f64).collect();
    let rare = rows(&by_rare, A, &post, true);
    let one_word = rows(&by_one, A, &post, true);
    let total = rows(&tot, A, &post, true);
    Calibration {
        thresholds: Thresholds {
            rare_word: crossing(&rare),
            alias_weight: crossing(&total),
            alias_one_word: ALIAS_ONE_WORD_FIXED,
            // A word too light to link alone pairs only beside a second key; two keys
            // together too light to link pair nothing (see the module notes).
            big_block_weight: crossing(&rare),
            word_cap_weight: crossing(&total),
        },
        alias_one_word_learned: crossing(&one_word),
        names: names.len(),
        pairs: pat.iter().sum(),
        iterations,
        lambda,
        rare,
        one_word,
        total,
        block_sizes: block_sizes(&keys),
    }
}

impl Calibration {
    /// The calibration file: provenance and the band tables as comments, then the values.
    pub fn to_tsv(&self, command: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Thresholds learned from {} unlabelled supplier names by anchornet_resolve::calibrate",
            self.names
        );
        let _ = writeln!(s, "# (Fellegi-Sunter EM over {} pairs of names sharing a word of at most 1000 names, {} iterations; share of matches {:.4}).", self.pairs, self.iterations, self.lambda);
        let _ = writeln!(s, "# Made by: {command}");
        let _ = writeln!(
            s,
            "# A threshold: the lowest weight band from which on the pairs it governs are"
        );
        let _ = writeln!(s, "# more often matches than the average pair: log2(m/u) above 0 in the pair-weighted isotonic
# (non-decreasing) fit of the bands, so in that band and every band above it (bands of fewer
# than 50 pairs skipped). Bands: from, pairs, P(match), log2(m/u), fitted log2(m/u).");
        for (title, rows) in [
            ("rarest shared word (rare_word)", &self.rare),
            (
                "rarest shared word, one name one word (alias_one_word)",
                &self.one_word,
            ),
            ("total shared weight (alias_weight)", &self.total),
        ] {
            let _ = writeln!(s, "# {title}:");
            for r in rows.iter().filter(|r| r.pairs > 0.0) {
                let _ = writeln!(
                    s,
                    "#   {:>4.1}  {:>9.0}  {:.3}  {:+.2}  {:+.2}",
                    r.from, r.pairs, r.p_match, r.log2_bf, r.fitted
                );
            }
        }
        let _ = writeln!(s, "# word blocks by size (up to, blocks, pairs):");
        for (up, b, p) in &self.block_sizes {
            let _ = writeln!(s, "#   {up:>6}  {b:>7}  {p:>10}");
        }
        let (big, cap) = self.thresholds.block_caps(self.names);
        let _ = writeln!(
            s,
            "# Block caps: big_block_weight is rare_word, word_cap_weight is alias_weight; as block
# sizes (the largest block that may still hold a word that heavy, for n input names:
# (N_background + n + 1)*exp(-weight) - 0.5), for these {} names big_block {big}, word_cap {cap}.",
            self.names
        );
        let _ = writeln!(
            s,
            "# Learned: rare_word, alias_weight, big_block_weight, word_cap_weight. Fixed by hand:
# alias_one_word (learned it would be {:.1}, which loses precision on the silver set:
# calibrate::ALIAS_ONE_WORD_FIXED, docs/resolve.md).",
            self.alias_one_word_learned
        );
        s.push_str(&self.thresholds.to_tsv());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(k: usize, pairs: f64, p_match: f64) -> BandRow {
        BandRow {
            from: k as f32 * BAND,
            pairs,
            p_match,
            log2_bf: 0.0,
            fitted: f64::NAN,
        }
    }

    /// By hand: shares 0.5, 0.3 (100 pairs each) fall, so they pool to 0.4 over 200; 0.6
    /// (200) then 0.2 (50) fall, so they pool to (120 + 10) / 250 = 0.52; the band of 10
    /// pairs takes no part. Matches 50 + 30 + 120 + 10 = 210 of 450 pairs (the 10 left
    /// out), odds 210 / 240 = 0.875: fitted log2((0.4 / 0.6) / 0.875) = -0.3923 and
    /// log2((0.52 / 0.48) / 0.875) = +0.3081. The crossing is the third band's edge, 1.0.
    #[test]
    fn isotonic_pools_falling_bands_and_the_crossing_reads_the_fit() {
        let mut rows = vec![
            row(0, 100.0, 0.5),
            row(1, 100.0, 0.3),
            row(2, 200.0, 0.6),
            row(3, 50.0, 0.2),
            row(4, 10.0, 0.0),
        ];
        isotonic(&mut rows, 210.0 / 240.0);
        let fit: Vec<f64> = rows.iter().map(|r| r.fitted).collect();
        for (got, want) in fit.iter().zip([-0.3923, -0.3923, 0.3081, 0.3081]) {
            assert!((got - want).abs() < 1e-4, "{fit:?}");
        }
        assert!(fit[4].is_nan());
        assert_eq!(crossing(&rows), 1.0);
    }
}
