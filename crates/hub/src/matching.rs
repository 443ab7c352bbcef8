//! Matching: for each opportunity, the local suppliers of the network's register who could
//! bid, ranked, each with the reasons shown.
//!
//! A supplier is a candidate when it is located in the network's place (the register's
//! chosen location is local), is not an individual, a redacted name or a public body, and
//! either
//! * the network already pays it under a spend category that fits the opportunity (below) —
//!   "what the network already buys from them in that category"; or
//! * it won an earlier opportunity in the same CPV division (past awards; name words equal).
//!
//! There is no CPV↔SIC concordance: no official one exists (ONS publishes none; Eurostat's
//! CPA↔CPV correspondence is for products, not the SIC 2007 activities Companies House
//! records), and the register holds no SIC codes, so the category link is the overlap of
//! words between CPV labels and the anchors' own spend categories. It is shown as such.
//!
//! Words are matched as *terms*: content words, lower case, lightly stemmed (plural forms
//! to singular), function words and procurement's generic words ([`STOP`]) aside; the
//! opportunity's terms come from its CPV labels (its codes' and their parents'), its
//! category text and its title — never its description.
//!
//! Each term weighs by its rarity over a large neutral corpus: the 9,454 labels of CPV 2008
//! together with the network's spend category texts, `ln(1 + documents / documents with the
//! term)`. A category fits only when it shares a **telling** term with the opportunity: one
//! in at most 1 % of the CPV 2008 labels ([`TELLING_MAX_SHARE`]; "service" is in 20 % of
//! them, "construction" 4.7 %, "building" 1.2 %). Its fit is then the cosine of the two term
//! sets with those weights (0–1).
//!
//! Score = 10 × evidence + 3 for a past award in the division + 1 if the opportunity is
//! suitable for SMEs and the supplier is one + 1 likewise for VCSEs, rounded to 10⁻⁶, where
//! evidence = ½ × the best fit among the supplier's paid categories + ½ × the fit of its
//! whole paid spend (each category's fit weighted by its share of what the network pays the
//! supplier): a specialist whose spend is all in a fitting category keeps its fit, a large
//! generalist paid mostly for other things keeps about half. Equal scores are ordered by the
//! pence paid in the fitting categories (the size of the evidence is a tie-breaker only, it
//! cannot lift a weaker fit), then name. The ranking is a shortlist to invite, not a
//! judgement of capability.
//!
//! **ProClass.** Where both sides carry ProClass codes (the local-government procurement
//! classification: a contracts register's code for the contract, a payment file's code beside
//! its procurement category), a category paid under the opportunity's own code fits it with
//! [`PROCLASS_EXACT_FIT`] (1, as a category with exactly the opportunity's terms), and one
//! paid under another code of the same second-level group (the first four digits, e.g.
//! `3914..` roads: `391400`, `391410`, `391411`) with [`PROCLASS_GROUP_FIT`]; a category's fit
//! is the larger of this and its terms' fit. Codes at ProClass's top level (`XX0000`) are not
//! used: they name a whole field ("ICT", "Works - construction, repair and maintenance"), and
//! in the demo network's Trafford payments they disagree with their own labels (`150000`
//! "BUILDING MATERIALS : Electrica", where 15 is consultancy). Without codes on both sides
//! (most networks) nothing changes.
//!
//! The shortlist is the exact top N by that score (then pence, then name), found without scoring every
//! candidate: a threshold algorithm over each category's suppliers sorted by what the network
//! pays them ([`Index::matches`]), so 100,000 local suppliers cost about what 10,000 do.

use std::collections::{HashMap, HashSet};

use anchornet_core::supplier::name_words;
use anchornet_core::{Kind, Pence};
use anchornet_metrics::Dataset;
use serde::Serialize;

use crate::cpv::CpvCode;
use crate::opportunity::Opportunity;

/// Words too general to show a fit (English function words and the generic words of CPV
/// labels and spend categories: "services", "works", "supplies", "general", "other"…).
pub const STOP: &[&str] = &[
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

/// What an opportunity buys, as text: the labels of its CPV codes and of their parents, its
/// category text and its title (not its description, whose many words would match anything).
fn opportunity_text(o: &Opportunity) -> String {
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
    text
}

/// The words that describe what an opportunity buys: CPV labels (and their parents'),
/// category text and title.
pub fn opportunity_words(o: &Opportunity) -> Vec<String> {
    content_words(&opportunity_text(o))
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

/// The largest share of CPV 2008 labels a term may appear in and still link an opportunity
/// to a spend category on its own: 1 in 100 (at most 94 of the 9,454 labels). A category
/// shares no term this rare is no fit, whatever else it shares.
pub const TELLING_MAX_SHARE: f64 = 0.01;

/// A word lightly stemmed: plural forms to the singular (`-ies` → `-y`, `-sses` → `-ss`,
/// a final `-s` dropped except after `s`, `u` or `i`: "glass", "bus", "analysis" stay).
/// Both sides of a match go through it, so a rare wrong stem costs nothing.
pub fn stem(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.ends_with("sses") {
        w[..w.len() - 2].to_string()
    } else if w.len() > 3
        && w.ends_with('s')
        && !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is"))
    {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// The matching terms of a text: its content words (three letters or more, not all digits,
/// not in [`STOP`]), stemmed, each once, in order.
pub fn terms(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in name_words(s) {
        if w.len() < 3 || w.chars().all(|c| c.is_ascii_digit()) || STOP.contains(&w.as_str()) {
            continue;
        }
        let w = stem(&w);
        if !STOP.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The terms of what an opportunity buys: the labels of its CPV codes and of their parents,
/// its category text and its title (not its description, whose many words would match
/// anything).
pub fn opportunity_terms(o: &Opportunity) -> Vec<String> {
    terms(&opportunity_text(o))
}

/// Term → number of CPV 2008 labels holding it, and the number of labels.
fn cpv_document_frequency() -> &'static (HashMap<String, u32>, u32) {
    static DF: std::sync::OnceLock<(HashMap<String, u32>, u32)> = std::sync::OnceLock::new();
    DF.get_or_init(|| {
        let mut df: HashMap<String, u32> = HashMap::new();
        let mut n = 0;
        for l in crate::cpv::Vocabulary::get().labels() {
            n += 1;
            for t in terms(l) {
                *df.entry(t).or_default() += 1;
            }
        }
        (df, n)
    })
}

/// The share of CPV 2008 labels holding a term (0 for a term in none).
pub fn cpv_share(term: &str) -> f64 {
    let (df, n) = cpv_document_frequency();
    f64::from(df.get(term).copied().unwrap_or(0)) / f64::from((*n).max(1))
}

/// Whether a term is rare enough to link on its own ([`TELLING_MAX_SHARE`]).
pub fn telling(term: &str) -> bool {
    cpv_share(term) <= TELLING_MAX_SHARE
}

/// The fit of a category paid under the opportunity's own ProClass code.
pub const PROCLASS_EXACT_FIT: f64 = 1.0;

/// The fit of a category paid under another ProClass code of the opportunity's code's
/// second-level group (same first four digits): a judgement, half an exact code.
pub const PROCLASS_GROUP_FIT: f64 = 0.5;

/// The second-level group of a ProClass code usable for matching (its first four digits):
/// six digits, below the top level (digits 3–4 not `00`); `None` otherwise.
pub fn proclass_group(code: &str) -> Option<&str> {
    let c = code.trim();
    (c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()) && &c[2..4] != "00").then(|| &c[..4])
}

/// Scores are rounded to this grid, so that scores equal but for floating-point rounding
/// are equal and the tie-breakers decide.
const GRID: f64 = 1e6;

fn round_score(x: f64) -> f64 {
    (x * GRID).round() / GRID
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
    /// Category id → its terms.
    cat_words: Vec<Vec<String>>,
    /// Category id → the squared weight of each of its terms (as `cat_words`), and their sum.
    cat_sq: Vec<(Vec<f64>, f64)>,
    /// Term → categories containing it.
    by_word: HashMap<String, Vec<u32>>,
    /// Category id → its ProClass codes usable for matching ([`proclass_group`]).
    cat_codes: Vec<Vec<String>>,
    /// ProClass second-level group → categories paid under a code in it.
    by_group: HashMap<String, Vec<u32>>,
    /// Term → documents of the rarity corpus (CPV labels and the categories) holding it.
    df: HashMap<String, u32>,
    /// Documents in the rarity corpus.
    docs: u32,
    /// Category → for each group of suppliers (SME or not × VCSE or not, [`group`]), the
    /// local candidates paid under it, most paid in all categories first.
    lists: Vec<[Vec<u32>; 4]>,
    /// Supplier → (category, pence paid under it), in `cats_of[start[s]..start[s + 1]]`.
    cats_of: Vec<(u32, i64)>,
    start: Vec<usize>,
    /// Supplier → pence paid in all categories.
    total: Vec<i64>,
    /// Name words → supplier.
    by_name: HashMap<Vec<String>, u32>,
}

/// A supplier's group: bit 0 an SME, bit 1 a VCSE (as the register knows them), the two
/// flags that add to a score.
fn group(s: &anchornet_metrics::SupplierInfo) -> usize {
    usize::from(s.sme == Some(true)) | (usize::from(s.vcse == Some(true)) << 1)
}

/// One scored candidate: score, supplier, best fit, best category (`u32::MAX`: none), pence
/// in the fitting categories.
type Scored = (f64, u32, f64, u32, i64);

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
        let cat_words: Vec<Vec<String>> = ds.categories.iter().map(|c| terms(c)).collect();
        let mut by_word: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, ws) in cat_words.iter().enumerate() {
            for w in ws {
                by_word.entry(w.clone()).or_default().push(i as u32);
            }
        }
        // The rarity corpus: every CPV 2008 label and every category text, one document each.
        let (cpv_df, cpv_n) = cpv_document_frequency();
        let mut df = cpv_df.clone();
        for (w, cs) in &by_word {
            *df.entry(w.clone()).or_default() += cs.len() as u32;
        }
        let docs = cpv_n + cat_words.len() as u32;
        let cat_codes: Vec<Vec<String>> = (0..ds.categories.len())
            .map(|c| {
                ds.category_codes
                    .get(c)
                    .into_iter()
                    .flatten()
                    .filter(|k| proclass_group(k).is_some())
                    .map(|k| k.trim().to_string())
                    .collect()
            })
            .collect();
        let mut by_group: HashMap<String, Vec<u32>> = HashMap::new();
        for (c, ks) in cat_codes.iter().enumerate() {
            let mut groups: Vec<&str> = ks.iter().filter_map(|k| proclass_group(k)).collect();
            groups.dedup();
            for g in groups {
                by_group.entry(g.to_string()).or_default().push(c as u32);
            }
        }
        let cand: Vec<bool> = (0..ds.suppliers.len()).map(|i| candidate(ds, i)).collect();
        // (supplier, category) → pence, summed.
        let mut paid: HashMap<(u32, u32), i64> = HashMap::new();
        for t in &ds.txns {
            if t.pence > 0
                && keep(t)
                && cand.get(t.supplier as usize).copied().unwrap_or(false)
                && (t.category as usize) < ds.categories.len()
            {
                *paid.entry((t.supplier, t.category)).or_default() += t.pence;
            }
        }
        let mut pairs: Vec<((u32, u32), i64)> = paid.into_iter().collect();
        pairs.sort_unstable();
        let n = ds.suppliers.len();
        let mut total = vec![0i64; n];
        let mut start = vec![0usize; n + 1];
        for &((s, _), p) in &pairs {
            total[s as usize] += p;
            start[s as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let cats_of: Vec<(u32, i64)> = pairs.iter().map(|&((_, c), p)| (c, p)).collect();
        let mut lists: Vec<[Vec<u32>; 4]> = vec![Default::default(); ds.categories.len()];
        for &((s, c), _) in &pairs {
            lists[c as usize][group(&ds.suppliers[s as usize])].push(s);
        }
        for l in lists.iter_mut().flatten() {
            l.sort_unstable_by(|a, b| total[*b as usize].cmp(&total[*a as usize]).then(a.cmp(b)));
        }
        let by_name = (0..ds.suppliers.len())
            .filter(|&i| cand[i])
            .map(|i| (name_words(&ds.suppliers[i].name), i as u32))
            .collect();
        let mut ix = Index {
            ds,
            cat_words,
            cat_sq: Vec::new(),
            by_word,
            cat_codes,
            by_group,
            df,
            docs,
            lists,
            cats_of,
            start,
            total,
            by_name,
        };
        ix.cat_sq = ix
            .cat_words
            .iter()
            .map(|ws| {
                let sq: Vec<f64> = ws.iter().map(|w| ix.idf(w).powi(2)).collect();
                let sum = sq.iter().sum::<f64>();
                (sq, sum)
            })
            .collect();
        ix
    }

    /// A term's weight: ln(1 + documents / documents holding it) over the CPV 2008 labels
    /// and the network's categories; a term in none weighs as one in a single document.
    pub fn idf(&self, w: &str) -> f64 {
        let df = self.df.get(w).copied().unwrap_or(1).max(1);
        (1.0 + f64::from(self.docs.max(1)) / f64::from(df)).ln()
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

    /// How a category's ProClass codes agree with the opportunity's code: the fit they give
    /// and the code that gave it (the opportunity's own, else one of its group), if any.
    pub fn proclass_fit(&self, cat: u32, code: Option<&str>) -> Option<(f64, &str)> {
        let code = code?.trim();
        let group = proclass_group(code)?;
        let ks = self.cat_codes.get(cat as usize)?;
        if let Some(k) = ks.iter().find(|k| k.as_str() == code) {
            return Some((PROCLASS_EXACT_FIT, k));
        }
        ks.iter()
            .find(|k| proclass_group(k) == Some(group))
            .map(|k| (PROCLASS_GROUP_FIT, k.as_str()))
    }

    /// Each category that fits the opportunity, with its fit: the categories sharing a
    /// telling term (their terms' cosine), and those paid under its ProClass code or its
    /// group (see the module docs), the larger fit kept.
    fn fits(&self, words: &[String], proclass: Option<&str>) -> HashMap<u32, f64> {
        let mut fit_of = self.term_fits(words);
        if let Some(g) = proclass.and_then(proclass_group) {
            for &c in self.by_group.get(g).into_iter().flatten() {
                if let Some((f, _)) = self.proclass_fit(c, proclass) {
                    let e = fit_of.entry(c).or_insert(0.0);
                    *e = e.max(f);
                }
            }
        }
        fit_of
    }

    /// Each category that fits the opportunity's terms, with its fit: the categories sharing
    /// a telling term (see the module docs).
    fn term_fits(&self, words: &[String]) -> HashMap<u32, f64> {
        let wset: HashSet<&str> = words.iter().map(String::as_str).collect();
        let mut cats: HashSet<u32> = HashSet::new();
        for w in words.iter().filter(|w| telling(w)) {
            if let Some(cs) = self.by_word.get(w.as_str()) {
                cats.extend(cs.iter().copied());
            }
        }
        let own = words.iter().map(|w| self.idf(w).powi(2)).sum::<f64>();
        let mut fit_of: HashMap<u32, f64> = HashMap::with_capacity(cats.len());
        for &c in &cats {
            let (sq, all) = &self.cat_sq[c as usize];
            let num = self.cat_words[c as usize]
                .iter()
                .zip(sq)
                .filter(|(w, _)| wset.contains(w.as_str()))
                .map(|(_, q)| *q)
                .sum::<f64>();
            let den = (own * all).sqrt();
            if den > 0.0 && num > 0.0 {
                fit_of.insert(c, num / den);
            }
        }
        fit_of
    }

    /// The ranked shortlist for one opportunity (at most `top`).
    pub fn matches(
        &self,
        o: &Opportunity,
        past: &HashMap<u32, Vec<(u8, String)>>,
        top: usize,
    ) -> Vec<Match> {
        let words = opportunity_terms(o);
        let proclass = o
            .proclass
            .as_deref()
            .filter(|c| proclass_group(c).is_some());
        if (words.is_empty() && proclass.is_none()) || top == 0 {
            return Vec::new();
        }
        let wset: HashSet<&str> = words.iter().map(String::as_str).collect();
        let fit_of = self.fits(&words, proclass);
        let divisions: HashSet<u8> = o.cpv.iter().map(|c| c.division()).collect();
        // A past award counts when it is in one of the notice's CPV divisions and is not this
        // procurement's own.
        let counts = |(d, id): &(u8, String)| divisions.contains(d) && *id != o.id;
        let won_here = |s: u32| -> Vec<&str> {
            past.get(&s)
                .into_iter()
                .flatten()
                .filter(|x| counts(x))
                .map(|x| x.1.as_str())
                .collect()
        };
        let sme_bonus = o.sme_suitable == Some(true);
        let vcse_bonus = o.vcse_suitable == Some(true);
        let bonus = |g: usize| -> f64 {
            f64::from(u8::from(g & 1 != 0 && sme_bonus))
                + f64::from(u8::from(g & 2 != 0 && vcse_bonus))
        };
        // A supplier scored: its best fitting category (the lowest id among equal fits), the
        // pence paid to it in all the fitting categories, and the score.
        let score_of = |s: u32| -> Scored {
            let info = &self.ds.suppliers[s as usize];
            let total = self.total[s as usize];
            let (mut fit, mut cat, mut pence, mut spread) = (0.0, u32::MAX, 0i64, 0.0);
            for &(c, p) in &self.cats_of[self.start[s as usize]..self.start[s as usize + 1]] {
                if let Some(&f) = fit_of.get(&c) {
                    pence += p;
                    // p / total is exactly 1 when all its spend is in this category.
                    spread += f * (p as f64 / total as f64);
                    if cat == u32::MAX || f > fit || (f == fit && c < cat) {
                        fit = f;
                        cat = c;
                    }
                }
            }
            let mut score = 10.0 * (0.5 * fit + 0.5 * spread);
            if past.get(&s).is_some_and(|w| w.iter().any(counts)) {
                score += 3.0;
            }
            score += bonus(group(info));
            (round_score(score), s, fit, cat, pence)
        };
        let order = |a: &Scored, b: &Scored| {
            b.0.total_cmp(&a.0)
                .then(b.4.cmp(&a.4))
                .then_with(|| {
                    self.ds.suppliers[a.1 as usize]
                        .name
                        .cmp(&self.ds.suppliers[b.1 as usize].name)
                })
                .then(a.1.cmp(&b.1))
        };
        // The exact top N without scoring every candidate (a threshold algorithm): the
        // suppliers with a past award here first, then the categories best fit first, each
        // category's suppliers most paid first within their group (SME, VCSE). A supplier's
        // evidence is at most its best fit, and a supplier first met in a category either
        // has that category's fit as its best or was passed over in a better one whose bound
        // was already too low; so its score is at most fit × 10 + its group's bonus. Once
        // that bound is below the N-th score so far — or equal to it while the supplier's
        // whole pay is below the N-th's pence in the fitting categories (the tie-breaker) —
        // the rest of the group's list cannot enter the shortlist, and once the bound with
        // the largest bonus is below it, the rest of the categories cannot.
        let mut kept: Vec<Scored> = Vec::with_capacity(top + 1);
        let mut seen: HashSet<u32> = HashSet::new();
        let offer = |x: Scored, kept: &mut Vec<Scored>| {
            let at = kept
                .binary_search_by(|k| order(k, &x))
                .unwrap_or_else(|e| e);
            if at < top {
                kept.insert(at, x);
                kept.truncate(top);
            }
        };
        for (&s, wins) in past {
            if wins.iter().any(counts) && seen.insert(s) {
                offer(score_of(s), &mut kept);
            }
        }
        // The bound carries a margin far above floating-point rounding, then is rounded as
        // scores are (rounding keeps order, so it is still a bound).
        let bound = |fit: f64, extra: f64| round_score(fit * 10.0 + extra + 1e-9);
        let max_bonus = bonus(3);
        let mut order_cats: Vec<(f64, u32)> = fit_of.iter().map(|(&c, &f)| (f, c)).collect();
        order_cats.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(fit, c) in &order_cats {
            if kept.len() == top && bound(fit, max_bonus) < kept[top - 1].0 {
                break;
            }
            for (g, list) in self.lists[c as usize].iter().enumerate() {
                let b = bound(fit, bonus(g));
                for &s in list {
                    if kept.len() == top {
                        let last = &kept[top - 1];
                        if b < last.0 || (b == last.0 && self.total[s as usize] < last.4) {
                            break;
                        }
                    }
                    if seen.insert(s) {
                        offer(score_of(s), &mut kept);
                    }
                }
            }
        }
        let shared = |c: u32| -> String {
            self.cat_words[c as usize]
                .iter()
                .filter(|w| wset.contains(w.as_str()))
                .map(|w| format!("{w} {:.1}", self.idf(w)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let incumbents: HashSet<Vec<String>> =
            o.incumbents.iter().map(|i| name_words(&i.name)).collect();
        kept.into_iter()
            .map(|(score, s, fit, cat, pence)| {
                let info = &self.ds.suppliers[s as usize];
                let mut reasons = Vec::new();
                let loc = info.location.as_ref();
                let location = loc
                    .map(|l| format!("{} ({})", l.postcode, l.lad_name))
                    .unwrap_or_default();
                reasons.push(format!("located in the place: {location}"));
                if cat != u32::MAX {
                    let total = self.total[s as usize].max(1);
                    let code = match (self.proclass_fit(cat, proclass), proclass) {
                        (Some((f, k)), Some(_)) if f == PROCLASS_EXACT_FIT => {
                            format!("ProClass {k}, the contract's own code; ")
                        }
                        (Some((_, k)), Some(own)) => format!(
                            "ProClass {k}, same group {} as the contract's {own}; ",
                            &own[..4]
                        ),
                        _ => String::new(),
                    };
                    let words = shared(cat);
                    let words = if words.is_empty() {
                        "none".to_string()
                    } else {
                        words
                    };
                    reasons.push(format!(
                        "the network pays it {} under \"{}\" ({code}fit {:.2}; shared words and weights: {}); {:.0}% of what the network pays it is in fitting categories",
                        Pence(pence).to_pounds_string(),
                        self.ds.categories[cat as usize],
                        fit,
                        words,
                        100.0 * pence as f64 / total as f64
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
    use anchornet_core::{FinancialYear, LocationKind, PaymentDate, SourceKind as Loc};
    use anchornet_metrics::{Location, SupplierInfo, Txn};

    /// The score of every candidate, written out plainly (every category, every supplier),
    /// then sorted (score, then pence in the fitting categories, then name, then index):
    /// the reference for [`Index::matches`]'s threshold algorithm.
    fn by_scan(
        ix: &Index,
        o: &Opportunity,
        past: &HashMap<u32, Vec<(u8, String)>>,
        top: usize,
    ) -> Vec<(u32, u64)> {
        let words = opportunity_terms(o);
        // A ProClass code is used when it is six digits below the top level.
        let code = o
            .proclass
            .as_deref()
            .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()) && &c[2..4] != "00");
        if (words.is_empty() && code.is_none()) || top == 0 {
            return Vec::new();
        }
        let wset: HashSet<&str> = words.iter().map(String::as_str).collect();
        let sq = |ws: &mut dyn Iterator<Item = &String>| ws.map(|w| ix.idf(w).powi(2)).sum::<f64>();
        let own = sq(&mut words.iter());
        let fit: Vec<Option<f64>> = ix
            .cat_words
            .iter()
            .enumerate()
            .map(|(c, cw)| {
                // ProClass: 1 for the opportunity's own code among the category's, 0.5 for
                // another code with the same first four digits; top-level codes unused.
                let codes = ix.ds.category_codes.get(c).cloned().unwrap_or_default();
                let by_code = code.and_then(|k| {
                    let usable = |x: &&String| &x[2..4] != "00";
                    if codes.iter().filter(usable).any(|x| x == k) {
                        Some(1.0)
                    } else if codes.iter().filter(usable).any(|x| x[..4] == k[..4]) {
                        Some(0.5)
                    } else {
                        None
                    }
                });
                let shared: Vec<String> = cw
                    .iter()
                    .filter(|w| wset.contains(w.as_str()))
                    .cloned()
                    .collect();
                if !shared.iter().any(|w| telling(w)) {
                    return by_code;
                }
                let num = sq(&mut shared.iter());
                let den = (own * sq(&mut cw.iter())).sqrt();
                Some(by_code.map_or(num / den, |b: f64| b.max(num / den)))
            })
            .collect();
        let divisions: HashSet<u8> = o.cpv.iter().map(|c| c.division()).collect();
        let won = |s: u32| {
            past.get(&s)
                .is_some_and(|w| w.iter().any(|(d, id)| divisions.contains(d) && *id != o.id))
        };
        let mut scored: Vec<(f64, i64, u32)> = Vec::new();
        for s in 0..ix.ds.suppliers.len() as u32 {
            let (mut best, mut spread, mut pence, mut any) = (0.0f64, 0.0, 0i64, false);
            let total = ix.total[s as usize];
            for &(c, p) in &ix.cats_of[ix.start[s as usize]..ix.start[s as usize + 1]] {
                if let Some(f) = fit[c as usize] {
                    any = true;
                    pence += p;
                    spread += f * (p as f64 / total as f64);
                    best = best.max(f);
                }
            }
            if !any && !won(s) {
                continue;
            }
            let info = &ix.ds.suppliers[s as usize];
            let mut score = 10.0 * (0.5 * best + 0.5 * spread);
            if won(s) {
                score += 3.0;
            }
            if o.sme_suitable == Some(true) && info.sme == Some(true) {
                score += 1.0;
            }
            if info.vcse == Some(true) && o.vcse_suitable == Some(true) {
                score += 1.0;
            }
            scored.push((round_score(score), pence, s));
        }
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then_with(|| {
                    ix.ds.suppliers[a.2 as usize]
                        .name
                        .cmp(&ix.ds.suppliers[b.2 as usize].name)
                })
                .then(a.2.cmp(&b.2))
        });
        scored.truncate(top);
        scored
            .into_iter()
            .map(|(x, _, s)| (s, x.to_bits()))
            .collect()
    }

    /// A made-up register: suppliers paid under one to three of a few categories, some SMEs
    /// and VCSEs, some not local; opportunities whose titles share words with them.
    #[test]
    fn threshold_top_n_is_the_scan_top_n() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let words = [
            "roofing",
            "cleaning",
            "catering",
            "legal",
            "transport",
            "repair",
            "software",
            "training",
            "waste",
            "grounds",
        ];
        let categories: Vec<String> = (0..25)
            .map(|i| format!("{} {}", words[i % 10], words[(i * 7 + 3) % 10]))
            .collect();
        let loc = |local: bool| Location {
            postcode: "M1 1AA".into(),
            source: Loc::PaymentFile,
            kind: LocationKind::VendorMaster,
            lad: "E08000003".into(),
            lad_name: "Manchester".into(),
            ward: None,
            ward_name: None,
            lsoa: None,
            decile: None,
            lat: None,
            long: None,
            local,
            wider: true,
            head_office: false,
        };
        let flag = |x: u64| match x {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        };
        let suppliers: Vec<SupplierInfo> = (0..600)
            .map(|i| SupplierInfo {
                // Some names repeat, to exercise the tie on names.
                name: format!("Supplier {:03} Ltd", i % 450),
                sme: flag(rnd(3)),
                vcse: flag(rnd(3)),
                location: Some(loc(rnd(10) != 0)),
                ..Default::default()
            })
            .collect();
        let date = PaymentDate::parse("2024-05-01").unwrap();
        let mut txns = Vec::new();
        for s in 0..600u32 {
            for _ in 0..=rnd(3) {
                txns.push(Txn {
                    anchor: 0,
                    supplier: s,
                    category: rnd(25) as u32,
                    date,
                    fy: FinancialYear::of(date),
                    // Equal amounts are common, to exercise ties on scores.
                    pence: [100_000, 250_000, 1_000_000][rnd(3) as usize] * (1 + rnd(2) as i64),
                    excluded_by: None,
                });
            }
        }
        // ProClass codes on some categories (one at the top level, unused) and opportunities.
        let codes = [
            "391100", "391110", "391400", "391411", "321000", "321014", "150000",
        ];
        let category_codes: Vec<Vec<String>> = (0..categories.len())
            .map(|_| match rnd(4) {
                0 => Vec::new(),
                1 => vec![codes[rnd(7) as usize].to_string()],
                _ => {
                    let mut v = vec![
                        codes[rnd(7) as usize].to_string(),
                        codes[rnd(7) as usize].to_string(),
                    ];
                    v.sort();
                    v.dedup();
                    v
                }
            })
            .collect();
        let ds = Dataset {
            categories,
            category_codes,
            suppliers,
            txns,
            ..Default::default()
        };
        let ix = Index::new(&ds);
        let mut ops = Vec::new();
        for k in 0..300 {
            let mut o = Opportunity::new(
                format!("ocds-{k}"),
                crate::opportunity::SourceKind::Ocds,
                "t.json",
            );
            o.title = format!(
                "{} and {} {}",
                words[rnd(10) as usize],
                words[rnd(10) as usize],
                if rnd(2) == 0 {
                    words[rnd(10) as usize]
                } else {
                    ""
                }
            );
            o.cpv = vec![
                CpvCode::parse(["45261210", "90910000", "79110000"][rnd(3) as usize]).unwrap(),
            ];
            o.sme_suitable = flag(rnd(3));
            o.vcse_suitable = flag(rnd(3));
            if rnd(2) == 0 {
                o.proclass = Some(codes[rnd(7) as usize].to_string());
            }
            if rnd(10) == 0 {
                // Only a code: no title, no CPV.
                o.title.clear();
                o.cpv.clear();
            }
            if rnd(4) == 0 {
                o.incumbents.push(crate::opportunity::Incumbent {
                    name: format!("Supplier {:03} Ltd", rnd(450)),
                    ..Default::default()
                });
            }
            ops.push(o);
        }
        let past = ix.past_awards(&ops);
        assert!(!past.is_empty());
        for top in [1, 5, 40] {
            for o in &ops {
                let got: Vec<(u32, u64)> = ix
                    .matches(o, &past, top)
                    .iter()
                    .map(|m| (m.supplier, m.score.to_bits()))
                    .collect();
                assert_eq!(got, by_scan(&ix, o, &past, top), "{} (top {top})", o.title);
            }
        }
    }

    #[test]
    fn words_and_lineage() {
        assert_eq!(
            content_words("Building repair and maintenance services"),
            vec!["building", "repair", "maintenance"]
        );
        assert_eq!(
            terms("Supplies of batteries, glasses and trees; bus analysis"),
            vec!["battery", "glass", "tree", "bus", "analysis"]
        );
        assert_eq!(stem("trees"), "tree");
        assert_eq!(stem("utilities"), "utility");
        assert_eq!(stem("addresses"), "address");
        let c = CpvCode::parse("45261210").unwrap();
        let l: Vec<String> = lineage(c).iter().map(|x| x.to_string()).collect();
        assert_eq!(l[0], "45261210");
        assert!(l.contains(&"45260000".to_string()), "{l:?}");
    }
}
