//! Matching: for each opportunity, the local suppliers of the network's register who could
//! bid, ranked, each with the reasons shown.
//!
//! A supplier is a candidate when it is located in the network's place (the register's
//! chosen location is local), is not an individual, a redacted name or a public body, and
//! either
//! * the network already pays it under a spend category whose words overlap the
//!   opportunity's words (title, CPV labels of its codes and of their parent codes, category
//!   text) — "what the network already buys from them in that category"; or
//! * it won an earlier opportunity in the same CPV division (past awards; name words equal).
//!
//! There is no CPV↔SIC concordance: no official one exists (ONS publishes none; Eurostat's
//! CPA↔CPV correspondence is for products, not the SIC 2007 activities Companies House
//! records), and the register holds no SIC codes, so the category link is the overlap of
//! words between CPV labels and the anchors' own spend categories. It is shown as such.
//!
//! Score = category fit (cosine of the opportunity's and the best category's words, each
//! weighted by its rarity among the network's categories, 0–1) × 10 + 3 for a past award in the division + 1 if the opportunity is suitable for
//! SMEs and the supplier is one + 1 likewise for VCSEs + log10 of the spend in the fitting
//! categories / 10. The ranking is a shortlist to invite, not a judgement of capability.

use std::collections::{HashMap, HashSet};

use anchornet_core::supplier::name_words;
use anchornet_core::{Kind, Pence};
use anchornet_metrics::Dataset;
use serde::Serialize;

use crate::cpv::CpvCode;
use crate::opportunity::Opportunity;

/// Words too general to show a fit (English function words and the generic words of CPV
/// labels and spend categories: "services", "works", "supplies", "general", "other"…).
const STOP: &[&str] = &[
    "a",
    "an",
    "and",
    "the",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "by",
    "at",
    "or",
    "from",
    "services",
    "service",
    "works",
    "work",
    "supplies",
    "supply",
    "products",
    "general",
    "other",
    "related",
    "various",
    "equipment",
    "costs",
    "cost",
    "contract",
    "contracts",
    "provision",
    "council",
    "framework",
    "lot",
    "expenses",
    "expenditure",
    "payments",
    "fees",
    "charges",
    "misc",
    "miscellaneous",
    "city",
    "non",
    "external",
    "internal",
    "etc",
];

/// Content words of a text, lower case, lightly stemmed (plural `s` dropped).
pub fn content_words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in name_words(s) {
        if w.len() < 3 || w.chars().all(|c| c.is_ascii_digit()) || STOP.contains(&w.as_str()) {
            continue;
        }
        let w = if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
            w[..w.len() - 1].to_string()
        } else {
            w
        };
        if !STOP.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The words that describe what an opportunity buys: CPV labels (and their parents'),
/// category text and title.
pub fn opportunity_words(o: &Opportunity) -> Vec<String> {
    let mut text = String::new();
    for c in &o.cpv {
        for p in lineage(*c) {
            if let Some(l) = p.label() {
                text.push_str(l);
                text.push(' ');
            }
        }
    }
    if let Some(c) = &o.category {
        text.push_str(c);
        text.push(' ');
    }
    text.push_str(&o.title);
    content_words(&text)
}

/// A code and its parents up to its group (`45261210` → `45261200`, `45261000`, `45260000`):
/// the last non-zero digit zeroed in turn, stopping at the three-digit group level.
pub fn lineage(c: CpvCode) -> Vec<CpvCode> {
    let mut out = vec![c];
    let mut v = c.value();
    let mut unit = 1u32;
    while unit < 100_000 {
        let digit = (v / unit) % 10;
        if digit != 0 {
            v -= digit * unit;
            if let Ok(p) = CpvCode::parse_shape(&format!("{v:08}")) {
                if p.label().is_some() {
                    out.push(p);
                }
            }
        }
        unit *= 10;
    }
    out
}

/// One reason a supplier is on the shortlist.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// Index into `dataset.suppliers`.
    pub supplier: u32,
    /// Supplier name.
    pub name: String,
    /// Rank score (see the module docs).
    pub score: f64,
    /// Postcode and district of its local location.
    pub location: String,
    /// SME, as the register knows it.
    pub sme: Option<bool>,
    /// VCSE, as the register knows it.
    pub vcse: Option<bool>,
    /// The reasons, in words.
    pub reasons: Vec<String>,
}

/// The register indexed for matching.
pub struct Index<'a> {
    ds: &'a Dataset,
    /// Category id → its content words.
    cat_words: Vec<Vec<String>>,
    /// Word → categories containing it.
    by_word: HashMap<String, Vec<u32>>,
    /// Category → (local candidate supplier → pence paid).
    paid: Vec<HashMap<u32, i64>>,
    /// Name words → supplier.
    by_name: HashMap<Vec<String>, u32>,
}

fn candidate(ds: &Dataset, i: usize) -> bool {
    let s = &ds.suppliers[i];
    !s.individual
        && !s.redacted
        && !matches!(s.kind, Kind::PublicBody(_))
        && s.location.as_ref().is_some_and(|l| l.local)
}

impl<'a> Index<'a> {
    /// Index a prepared network's dataset.
    pub fn new(ds: &'a Dataset) -> Index<'a> {
        Index::over(ds, |_| true)
    }

    /// Index a dataset counting only the payments `keep` keeps: what the network already
    /// buys from a supplier is then read from those payments alone (the web workspace
    /// matches over the payments the viewer may see; [`Index::new`] keeps every one).
    pub fn over(ds: &'a Dataset, keep: impl Fn(&anchornet_metrics::Txn) -> bool) -> Index<'a> {
        let cat_words: Vec<Vec<String>> = ds.categories.iter().map(|c| content_words(c)).collect();
        let mut by_word: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, ws) in cat_words.iter().enumerate() {
            for w in ws {
                by_word.entry(w.clone()).or_default().push(i as u32);
            }
        }
        let mut paid: Vec<HashMap<u32, i64>> = vec![HashMap::new(); ds.categories.len()];
        let cand: Vec<bool> = (0..ds.suppliers.len()).map(|i| candidate(ds, i)).collect();
        for t in &ds.txns {
            if t.pence > 0 && keep(t) && cand.get(t.supplier as usize).copied().unwrap_or(false) {
                if let Some(m) = paid.get_mut(t.category as usize) {
                    *m.entry(t.supplier).or_default() += t.pence;
                }
            }
        }
        let by_name = (0..ds.suppliers.len())
            .filter(|&i| cand[i])
            .map(|i| (name_words(&ds.suppliers[i].name), i as u32))
            .collect();
        Index {
            ds,
            cat_words,
            by_word,
            paid,
            by_name,
        }
    }

    /// A word's weight: ln(1 + categories / categories containing it); a word in no
    /// category weighs as one in a single category.
    fn idf(&self, w: &str) -> f64 {
        let n = self.cat_words.len().max(1) as f64;
        let df = self.by_word.get(w).map_or(1, Vec::len).max(1) as f64;
        (1.0 + n / df).ln()
    }

    /// The local suppliers who won earlier opportunities, by CPV division.
    pub fn past_awards(&self, ops: &[Opportunity]) -> HashMap<u32, Vec<(u8, String)>> {
        let mut out: HashMap<u32, Vec<(u8, String)>> = HashMap::new();
        for o in ops {
            for inc in &o.incumbents {
                if let Some(&s) = self.by_name.get(&name_words(&inc.name)) {
                    for c in &o.cpv {
                        out.entry(s).or_default().push((c.division(), o.id.clone()));
                    }
                }
            }
        }
        out
    }

    /// The shortlists (at most `top` each) of the opportunities `keep` keeps, as (index,
    /// shortlist) in order, computed on every core.
    pub fn shortlists(
        &self,
        ops: &[Opportunity],
        keep: impl Fn(&Opportunity) -> bool + Sync,
        top: usize,
    ) -> Vec<(usize, Vec<Match>)> {
        use rayon::prelude::*;
        let past = self.past_awards(ops);
        ops.par_iter()
            .enumerate()
            .filter(|&(_, o)| keep(o))
            .map(|(i, o)| (i, self.matches(o, &past, top)))
            .collect()
    }

    /// The ranked shortlist for one opportunity (at most `top`).
    pub fn matches(
        &self,
        o: &Opportunity,
        past: &HashMap<u32, Vec<(u8, String)>>,
        top: usize,
    ) -> Vec<Match> {
        let words = opportunity_words(o);
        if words.is_empty() {
            return Vec::new();
        }
        let wset: HashSet<&str> = words.iter().map(String::as_str).collect();
        // Categories sharing a word, with their fit.
        let mut cats: HashSet<u32> = HashSet::new();
        for w in &words {
            if let Some(cs) = self.by_word.get(w) {
                cats.extend(cs.iter().copied());
            }
        }
        // Supplier → (best fit, its category, pence in fitting categories); the words each
        // category shares with the opportunity are kept once per category.
        let mut best: HashMap<u32, (f64, u32, i64)> = HashMap::new();
        let mut shared_of: HashMap<u32, Vec<String>> = HashMap::new();
        let sq =
            |ws: &mut dyn Iterator<Item = &String>| ws.map(|w| self.idf(w).powi(2)).sum::<f64>();
        let own = sq(&mut words.iter());
        for &c in &cats {
            let shared: Vec<String> = self.cat_words[c as usize]
                .iter()
                .filter(|w| wset.contains(w.as_str()))
                .cloned()
                .collect();
            // Cosine of the two word sets, each word weighted by its rarity among the
            // network's categories (idf), so that a word shared by many categories
            // ("management", "building") counts for less than a telling one ("arboricultural").
            let num = sq(&mut shared.iter());
            let den = (own * sq(&mut self.cat_words[c as usize].iter())).sqrt();
            let fit = if den > 0.0 { num / den } else { 0.0 };
            for (&s, &p) in &self.paid[c as usize] {
                let e = best.entry(s).or_insert((0.0, c, 0));
                e.2 += p;
                if fit > e.0 {
                    e.0 = fit;
                    e.1 = c;
                }
            }
            shared_of.insert(c, shared);
        }
        let divisions: HashSet<u8> = o.cpv.iter().map(|c| c.division()).collect();
        let won_here = |s: u32| -> Vec<&str> {
            past.get(&s)
                .into_iter()
                .flatten()
                .filter(|(d, id)| divisions.contains(d) && *id != o.id)
                .map(|x| x.1.as_str())
                .collect()
        };
        for (&s, wins) in past {
            if wins
                .iter()
                .any(|(d, id)| divisions.contains(d) && *id != o.id)
            {
                best.entry(s).or_insert((0.0, u32::MAX, 0));
            }
        }
        // Scores first (no text), then the reasons of the shortlist only: a register of
        // 100,000 suppliers gives thousands of candidates per opportunity.
        let mut scored: Vec<(f64, u32, f64, u32, i64)> =
            best.into_iter()
                .map(|(s, (fit, cat, pence))| {
                    let info = &self.ds.suppliers[s as usize];
                    let mut score = fit * 10.0;
                    if cat != u32::MAX && fit > 0.0 {
                        score += (pence.max(1) as f64).log10() / 10.0;
                    }
                    if past.get(&s).is_some_and(|w| {
                        w.iter().any(|(d, id)| divisions.contains(d) && *id != o.id)
                    }) {
                        score += 3.0;
                    }
                    if o.sme_suitable == Some(true) && info.sme == Some(true) {
                        score += 1.0;
                    }
                    if info.vcse == Some(true) && o.vcse_suitable == Some(true) {
                        score += 1.0;
                    }
                    (score, s, fit, cat, pence)
                })
                .collect();
        let order = |a: &(f64, u32, f64, u32, i64), b: &(f64, u32, f64, u32, i64)| {
            b.0.total_cmp(&a.0).then_with(|| {
                self.ds.suppliers[a.1 as usize]
                    .name
                    .cmp(&self.ds.suppliers[b.1 as usize].name)
            })
        };
        if top == 0 {
            return Vec::new();
        }
        if scored.len() > top {
            scored.select_nth_unstable_by(top - 1, order);
            scored.truncate(top);
        }
        scored.sort_by(order);
        let incumbents: HashSet<Vec<String>> =
            o.incumbents.iter().map(|i| name_words(&i.name)).collect();
        scored
            .into_iter()
            .map(|(score, s, fit, cat, pence)| {
                let info = &self.ds.suppliers[s as usize];
                let mut reasons = Vec::new();
                let loc = info.location.as_ref();
                let location = loc
                    .map(|l| format!("{} ({})", l.postcode, l.lad_name))
                    .unwrap_or_default();
                reasons.push(format!("located in the place: {location}"));
                if cat != u32::MAX && fit > 0.0 {
                    reasons.push(format!(
                        "the network pays it {} under \"{}\" (shared words: {})",
                        Pence(pence).to_pounds_string(),
                        self.ds.categories[cat as usize],
                        shared_of
                            .get(&cat)
                            .map(|w| w.join(", "))
                            .unwrap_or_default()
                    ));
                }
                let same = won_here(s);
                if !same.is_empty() {
                    reasons.push(format!(
                        "won {} earlier contract(s) in the same CPV division ({})",
                        same.len(),
                        same.join(", ")
                    ));
                }
                if o.sme_suitable == Some(true) && info.sme == Some(true) {
                    reasons.push("SME, and the notice says it suits SMEs".into());
                } else if info.sme == Some(true) {
                    reasons.push("SME".into());
                }
                if info.vcse == Some(true) {
                    reasons.push("VCSE".into());
                }
                if incumbents.contains(&name_words(&info.name)) {
                    reasons.push("the incumbent".into());
                }
                Match {
                    supplier: s,
                    name: info.name.clone(),
                    score,
                    location,
                    sme: info.sme,
                    vcse: info.vcse,
                    reasons,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_lineage() {
        assert_eq!(
            content_words("Building repair and maintenance services"),
            vec!["building", "repair", "maintenance"]
        );
        let c = CpvCode::parse("45261210").unwrap();
        let l: Vec<String> = lineage(c).iter().map(|x| x.to_string()).collect();
        assert_eq!(l[0], "45261210");
        assert!(l.contains(&"45260000".to_string()), "{l:?}");
    }
}
