//! Thresholds learned from the unlabelled names (issue 16): how rare a word must be before
//! sharing it alone says two names are one supplier, and how much a trading name must
//! weigh before it may link on its own.
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
//! 5. the pairs are grouped by the weight band of the rarest word they share, and each
//!    band's `m` (share of the matches in it) and `u` (share of the non-matches) are read
//!    off the posteriors. The **rare-word** weight is the lowest band from which on sharing
//!    the word is evidence for a match: `log2(m/u) > 0` in it and every band above.
//!
//! No label enters: the EM is started from the pairs whose names have the same words (a
//! supplier written twice), and learns the rest. The values are committed in
//! `data/calibration.tsv` with the command that made them; [`thresholds`] reads them, and a
//! test re-derives them from the shared data so the file cannot drift from the method.
//! The trading-name weights and the block caps are not learned yet ([`FIXED`]).

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
    /// Word blocks larger than this pair names only together with a second key.
    pub big_block: usize,
    /// Word blocks (and compound blocks) larger than this are not used.
    pub word_cap: usize,
}

impl Thresholds {
    /// Read the `key<TAB>value` lines of a calibration file (`#` lines are comments).
    pub fn from_tsv(text: &str) -> Result<Thresholds, String> {
        let mut t = Thresholds {
            rare_word: f32::NAN,
            alias_weight: f32::NAN,
            alias_one_word: f32::NAN,
            big_block: 0,
            word_cap: 0,
        };
        for (k, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (key, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab", k + 1))?;
            let bad = |e: &dyn std::fmt::Display| format!("line {}: {key}: {e}", k + 1);
            match key {
                "rare_word" => t.rare_word = value.parse().map_err(|e| bad(&e))?,
                "alias_weight" => t.alias_weight = value.parse().map_err(|e| bad(&e))?,
                "alias_one_word" => t.alias_one_word = value.parse().map_err(|e| bad(&e))?,
                "big_block" => t.big_block = value.parse().map_err(|e| bad(&e))?,
                "word_cap" => t.word_cap = value.parse().map_err(|e| bad(&e))?,
                _ => return Err(format!("line {}: unknown key {key:?}", k + 1)),
            }
        }
        if t.rare_word.is_nan()
            || t.alias_weight.is_nan()
            || t.alias_one_word.is_nan()
            || t.big_block == 0
            || t.word_cap == 0
        {
            return Err("a threshold is missing".into());
        }
        Ok(t)
    }

    /// The `key<TAB>value` lines, as [`Thresholds::from_tsv`] reads them.
    pub fn to_tsv(&self) -> String {
        format!(
            "rare_word\t{:.1}\nalias_weight\t{:.1}\nalias_one_word\t{:.1}\nbig_block\t{}\nword_cap\t{}\n",
            self.rare_word, self.alias_weight, self.alias_one_word, self.big_block, self.word_cap
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
    /// Where the total-shared-weight bands cross (not used: see [`FIXED`]).
    pub alias_weight_crossing: f32,
    /// Where the one-word bands cross (not used: see [`FIXED`]).
    pub alias_one_word_crossing: f32,
}

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
    acc.iter()
        .enumerate()
        .skip(usize::from(skip_first))
        .map(|(b, &(mm, uu))| {
            let k = if skip_first { b - 1 } else { b };
            BandRow {
                from: k as f32 * BAND,
                pairs: mm + uu,
                p_match: if mm + uu > 0.0 { mm / (mm + uu) } else { 0.0 },
                log2_bf: ((mm.max(1e-9) / all_m) / (uu.max(1e-9) / all_u)).log2(),
            }
        })
        .collect()
}

/// The lowest band edge from which on every band with enough pairs has more matches than
/// not.
fn crossing(rows: &[BandRow]) -> f32 {
    let mut edge = rows.last().map_or(0.0, |r| r.from + BAND);
    for r in rows.iter().rev() {
        if r.pairs < MIN_PAIRS {
            continue;
        }
        if r.log2_bf > 0.0 {
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
        let mut seen: Vec<u32> = rec.main.toks.clone();
        if let Some(a) = &rec.alias {
            seen.extend(&a.toks);
        }
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            v.df_in[t as usize] += 1;
        }
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

/// Thresholds not learned yet, kept at the values set by hand: the EM bands for the
/// trading-name weights are not monotone (pairs sharing two common words dip below pairs
/// sharing one), so no crossing reads cleanly from them (see the tables in
/// `data/calibration.tsv`); the block caps bound the work on the B3 names.
pub const FIXED: Thresholds = Thresholds {
    rare_word: f32::NAN,
    alias_weight: 7.0,
    alias_one_word: 9.5,
    big_block: 48,
    word_cap: 600,
};

/// Learn the thresholds from `names` (distinct supplier names; order does not matter).
pub fn calibrate(names: &[String]) -> Calibration {
    let mut names: Vec<String> = names.to_vec();
    names.sort_unstable();
    names.dedup();
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
    let (pat, tot, one) = by_word
        .par_iter()
        .enumerate()
        .filter(|(_, l)| l.len() >= 2 && l.len() <= POPULATION_CAP)
        .fold(zero, |mut acc, (t, l)| {
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
            ..FIXED
        },
        alias_weight_crossing: crossing(&total),
        alias_one_word_crossing: crossing(&one_word),
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
        let _ = writeln!(s, "# more often matches than the average pair: log2(m/u) above 0 in that band and every band
# above it (bands of fewer than 50 pairs skipped). Bands: from, pairs, P(match), log2(m/u).");
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
                    "#   {:>4.1}  {:>9.0}  {:.3}  {:+.2}",
                    r.from, r.pairs, r.p_match, r.log2_bf
                );
            }
        }
        let _ = writeln!(s, "# word blocks by size (up to, blocks, pairs):");
        for (up, b, p) in &self.block_sizes {
            let _ = writeln!(s, "#   {up:>6}  {b:>7}  {p:>10}");
        }
        let _ = writeln!(
            s,
            "# Learned: rare_word. Fixed by hand (the bands above do not cross cleanly; read off,"
        );
        let _ = writeln!(
            s,
            "# alias_weight would be {:.1} and alias_one_word {:.1}): the others.",
            self.alias_weight_crossing, self.alias_one_word_crossing
        );
        s.push_str(&self.thresholds.to_tsv());
        s
    }
}
