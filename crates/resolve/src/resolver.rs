//! The resolver: names in, entities out.
//!
//! ```text
//! inputs ─┬─ distinct names (+ names of earlier runs' entities, + register records)
//!         ├─ parse ─ intern ─ weigh (rare words count)
//!         ├─ block (candidate pairs) ─ judge (link / conflict / near miss)
//!         ├─ overrides (must-link, cannot-link) ─ cluster (never across a conflict)
//!         └─ entities ─ register facts ─ kind ─ review list
//! ```

use std::collections::BTreeSet;

use anchornet_core::Pence;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::block;
use crate::bound::Sketches;
use crate::cluster::{self, Conflict, Fate, Link, NO_OWNER};
use crate::compare::{Reason, Strength, LINK};
use crate::ids;
use crate::judge::{judge, Item, Pair};
use crate::kind::{self, Kind, KindEvidence};
use crate::model::{NRec, Vocab};
use crate::overrides::{Override, OverrideIssue, Overrides};
use crate::parse::{parse, Parsed};
use crate::registers::{RegisterKind, RegisterRecord, Registers, Sme};
use crate::state::State;

/// One supplier name as it occurs in an input, with what came with it. The same name may
/// be given many times (one per payment, or per anchor); they are combined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NameInput {
    /// The supplier name as written.
    pub name: String,
    /// The anchor (paying body) it occurs in.
    pub anchor: Option<String>,
    /// The anchor's own supplier id.
    pub supplier_id: Option<String>,
    /// Companies House number.
    pub company_number: Option<String>,
    /// Charity number.
    pub charity_number: Option<String>,
    /// VAT registration number.
    pub vat_number: Option<String>,
    /// The spend this occurrence represents.
    pub spend: Pence,
    /// How many rows this input stands for, when a caller has already added up repeated
    /// rows (0 counts as 1).
    pub rows: u64,
}

impl NameInput {
    /// A bare name.
    pub fn new(name: impl Into<String>) -> NameInput {
        NameInput {
            name: name.into(),
            ..NameInput::default()
        }
    }

    /// The name with an anchor.
    pub fn with_anchor(mut self, anchor: impl Into<String>) -> NameInput {
        self.anchor = Some(anchor.into());
        self
    }

    /// The name with a spend.
    pub fn with_spend(mut self, spend: Pence) -> NameInput {
        self.spend = spend;
        self
    }

    /// The supplier of one payment, with its anchor, identifiers and amount; `None` when
    /// the name is withheld or blank (there is nothing to resolve).
    pub fn from_payment(p: &anchornet_core::Payment) -> Option<NameInput> {
        if p.redacted || p.supplier_name.trim().is_empty() {
            return None;
        }
        Some(NameInput {
            name: p.supplier_name.clone(),
            anchor: Some(p.anchor.clone()),
            supplier_id: p.supplier_id.clone(),
            company_number: p.company_number.clone(),
            charity_number: p.charity_number.clone(),
            vat_number: p.vat_number.clone(),
            spend: p.amount,
            rows: 1,
        })
    }
}

/// Spend, names and rows of one way of getting a supplier postcode (see
/// [`Resolution::postcode_coverage`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Spend under these names.
    pub spend: Pence,
    /// Distinct input names.
    pub names: usize,
    /// Input rows (payments) under these names.
    pub rows: u64,
}

/// How the input names' spend gets a supplier postcode from the registers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PostcodeCoverage {
    /// By an identifier or the same normalised name.
    pub exact: Coverage,
    /// By a matcher link.
    pub fuzzy: Coverage,
    /// No postcode.
    pub none: Coverage,
}

/// Settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Links below this confidence are not made.
    pub link_threshold: f32,
    /// Links below this confidence are listed for review.
    pub review_below: f32,
    /// Near misses at or above this similarity are listed for review.
    pub review_near: f32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            link_threshold: LINK,
            review_below: 0.86,
            review_near: 0.6,
        }
    }
}

/// Why a name belongs to its entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The name it was linked to.
    pub other: String,
    /// Why.
    pub reason: Reason,
    /// Confidence of that link.
    pub score: f32,
}

/// One distinct name, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedName {
    /// The name as given (trimmed).
    pub name: String,
    /// Index of its entity in [`Resolution::entities`].
    pub entity: usize,
    /// Confidence of its link to the entity (1 for a name alone).
    pub confidence: f32,
    /// The strongest link that holds it in its entity.
    pub evidence: Option<Evidence>,
    /// Given in this run's inputs (false: known only from the state of an earlier run).
    pub input: bool,
    /// Anchors it occurs in.
    pub anchors: Vec<String>,
    /// Identifiers given with it.
    pub identifiers: Identifiers,
    /// Spend under this name.
    pub spend: Pence,
    /// Occurrences.
    pub rows: u64,
    /// Normalised key (for inspection).
    pub key: String,
}

/// Identifiers of a name or an entity, from the ledgers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifiers {
    /// Companies House numbers.
    pub company_numbers: Vec<String>,
    /// Charity numbers.
    pub charity_numbers: Vec<String>,
    /// VAT numbers.
    pub vat_numbers: Vec<String>,
    /// Anchors' supplier ids, `anchor:id`.
    pub supplier_ids: Vec<String>,
}

impl Identifiers {
    /// `company:…;charity:…;vat:…;supplier:…` for a CSV cell.
    pub fn cell(&self) -> String {
        let mut parts = Vec::new();
        for (tag, v) in [
            ("company", &self.company_numbers),
            ("charity", &self.charity_numbers),
            ("vat", &self.vat_numbers),
            ("supplier", &self.supplier_ids),
        ] {
            for x in v {
                parts.push(format!("{tag}:{x}"));
            }
        }
        parts.join(";")
    }

    fn merge(&mut self, o: &Identifiers) {
        for (a, b) in [
            (&mut self.company_numbers, &o.company_numbers),
            (&mut self.charity_numbers, &o.charity_numbers),
            (&mut self.vat_numbers, &o.vat_numbers),
            (&mut self.supplier_ids, &o.supplier_ids),
        ] {
            for x in b {
                push_sorted(a, x.clone());
            }
        }
    }
}

/// How a register record was linked to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Same company or charity number.
    Identifier,
    /// Same name after normalisation.
    ExactName,
    /// A name link of the matcher (spelling, truncation, qualifiers…).
    FuzzyName,
}

/// One fact about an entity, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The value (`M5 4BD`, `02535986`, `Active`…).
    pub value: String,
    /// The register.
    pub register: RegisterKind,
    /// File and line.
    pub source: String,
    /// The record's own name.
    pub record_name: String,
    /// How the record was linked.
    pub matched: MatchKind,
    /// Confidence of that link.
    pub confidence: f32,
}

/// What registers say about an entity. Each fact is the best-sourced one: an anchor's own
/// supplier list, then contract notices, then Companies House, then the charity register;
/// within one register, identifier links before exact names before fuzzy ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    /// Postcode used for location.
    pub postcode: Option<Fact>,
    /// Other postcodes seen (a registered office far from the trading address shows here).
    pub other_postcodes: Vec<Fact>,
    /// Name as registered.
    pub registered_name: Option<Fact>,
    /// Companies House number.
    pub company_number: Option<Fact>,
    /// Charity number.
    pub charity_number: Option<Fact>,
    /// SIC 2007 codes, space-separated.
    pub sic: Option<Fact>,
    /// Legal form in the register's words.
    pub legal_form: Option<Fact>,
    /// Status (`Active`, `Dissolved`, `Registered`…).
    pub status: Option<Fact>,
    /// SME: yes, no or unknown — never guessed.
    pub sme: Sme,
    /// The basis of `sme`.
    pub sme_source: Option<Fact>,
    /// Register records linked.
    pub records: usize,
}

/// One real supplier.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// Stable id (`E` + hex): kept from earlier runs, else derived from the shown name.
    pub id: String,
    /// The name shown for the entity.
    pub canonical_name: String,
    /// Indices of its names in [`Resolution::names`].
    pub members: Vec<usize>,
    /// Total spend.
    pub spend: Pence,
    /// Anchors that pay it.
    pub anchors: Vec<String>,
    /// Identifiers from the ledgers.
    pub identifiers: Identifiers,
    /// What kind of body it is.
    pub kind: Kind,
    /// Why.
    pub kind_evidence: Vec<KindEvidence>,
    /// What registers say.
    pub facts: Facts,
    /// Kept from an earlier run.
    pub known: bool,
}

impl Entity {
    /// The name to show to a viewer from `anchor` (`None`: the public): individuals and
    /// sole traders are redacted outside the anchors that pay them.
    pub fn display_name(&self, anchor: Option<&str>) -> &str {
        if self.kind == Kind::Individual
            && !anchor.is_some_and(|a| self.anchors.iter().any(|x| x == a))
        {
            "Individual (redacted)"
        } else {
            &self.canonical_name
        }
    }
}

/// A link a person should look at.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    /// One name.
    pub a: String,
    /// The other.
    pub b: String,
    /// Entity of `a`.
    pub entity_a: String,
    /// Entity of `b`.
    pub entity_b: String,
    /// Similarity or link confidence.
    pub score: f32,
    /// `merged` (an uncertain link that was made) or `apart` (a near miss not made, or a
    /// link refused by a conflict).
    pub decision: &'static str,
    /// Why.
    pub reason: String,
    /// Spend that moves if the decision is wrong: the smaller side's entity spend.
    pub spend_at_stake: Pence,
}

/// A link that joined two names' clusters: the evidence tree of each entity.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRecord {
    /// One name (index in [`Resolution::names`]).
    pub a: usize,
    /// The other.
    pub b: usize,
    /// Confidence.
    pub score: f32,
    /// Why.
    pub reason: Reason,
}

/// A register record and the entity it was linked to.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterLink {
    /// Index in the resolver's [`Registers::records`].
    pub record: usize,
    /// Entity index.
    pub entity: usize,
    /// How.
    pub matched: MatchKind,
    /// Confidence.
    pub confidence: f32,
    /// The input name it matched.
    pub name: usize,
}

/// Counts for the run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Distinct names.
    pub names: usize,
    /// Register records considered.
    pub register_records: usize,
    /// Candidate pairs compared.
    pub pairs: usize,
    /// Links found.
    pub links: usize,
    /// Conflicts found (that could matter).
    pub conflicts: usize,
    /// Links refused because of a conflict.
    pub blocked: usize,
    /// Entities.
    pub entities: usize,
}

/// The result of resolving a batch of names.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Resolution {
    /// One per distinct name (inputs first, in first-seen order, then names known only
    /// from the state of earlier runs).
    pub names: Vec<ResolvedName>,
    /// The entities.
    pub entities: Vec<Entity>,
    /// Register records linked to entities.
    pub register_links: Vec<RegisterLink>,
    /// Register records a name came close to but was not linked to (a similarity below the
    /// link threshold but at or above the review threshold, or a record two entities matched
    /// equally well): suggestions for a person, never used by the metrics. Best first per
    /// entity.
    pub register_suggestions: Vec<RegisterLink>,
    /// Uncertain links, most spend at stake first.
    pub review: Vec<ReviewItem>,
    /// The links that made the entities (a spanning tree of each).
    pub links: Vec<LinkRecord>,
    /// Override rows that could not be applied.
    pub override_issues: Vec<OverrideIssue>,
    /// Counts.
    pub stats: Stats,
}

impl Resolution {
    /// An index from name to its position in [`Resolution::names`], for looking up many
    /// names (every payment of a ledger) without a scan each.
    pub fn name_index(&self) -> FxHashMap<&str, usize> {
        self.names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i))
            .collect()
    }

    /// The resolved name for a name string, if it was given (a scan: use
    /// [`Resolution::name_index`] for many).
    pub fn name(&self, name: &str) -> Option<&ResolvedName> {
        let n = name.trim();
        self.names.iter().find(|x| x.name == n)
    }

    /// The entity of a resolved name.
    pub fn entity_of(&self, n: &ResolvedName) -> &Entity {
        &self.entities[n.entity]
    }

    /// The input names' spend by how their entity got its postcode: exact, fuzzy or none.
    pub fn postcode_coverage(&self) -> PostcodeCoverage {
        let mut c = PostcodeCoverage::default();
        for n in self.names.iter().filter(|n| n.input) {
            let slot = match self.entity_of(n).facts.postcode.as_ref().map(|f| f.matched) {
                Some(MatchKind::Identifier) | Some(MatchKind::ExactName) => &mut c.exact,
                Some(MatchKind::FuzzyName) => &mut c.fuzzy,
                None => &mut c.none,
            };
            slot.spend = Pence(slot.spend.0 + n.spend.0);
            slot.names += 1;
            slot.rows += n.rows;
        }
        c
    }

    /// The chain of links that puts two names in one entity (empty when they are not).
    pub fn path(&self, a: usize, b: usize) -> Vec<&LinkRecord> {
        let mut adj: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (k, l) in self.links.iter().enumerate() {
            adj.entry(l.a).or_default().push(k);
            adj.entry(l.b).or_default().push(k);
        }
        let mut prev: FxHashMap<usize, usize> = FxHashMap::default();
        let mut queue = std::collections::VecDeque::from([a]);
        let mut seen = FxHashSet::from_iter([a]);
        while let Some(x) = queue.pop_front() {
            if x == b {
                break;
            }
            for &k in adj.get(&x).map(Vec::as_slice).unwrap_or(&[]) {
                let l = &self.links[k];
                let y = if l.a == x { l.b } else { l.a };
                if seen.insert(y) {
                    prev.insert(y, k);
                    queue.push_back(y);
                }
            }
        }
        let mut out = Vec::new();
        let mut x = b;
        while x != a {
            let Some(&k) = prev.get(&x) else {
                return Vec::new();
            };
            let l = &self.links[k];
            out.push(l);
            x = if l.a == x { l.b } else { l.a };
        }
        out.reverse();
        out
    }
}

/// Where an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Input,
    State,
    Register(u32),
}

/// Resolves supplier names into entities.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    /// Settings.
    pub config: Config,
    /// Decisions applied on every run.
    pub overrides: Overrides,
    /// Registers to link entities to.
    pub registers: Registers,
    /// Entities of earlier runs.
    pub state: Option<State>,
}

fn push_sorted(v: &mut Vec<String>, x: String) {
    if let Err(p) = v.binary_search(&x) {
        v.insert(p, x);
    }
}

impl Resolver {
    /// A resolver with these settings.
    pub fn new(config: Config) -> Resolver {
        Resolver {
            config,
            ..Resolver::default()
        }
    }

    /// With an overrides file's decisions.
    pub fn with_overrides(mut self, o: Overrides) -> Resolver {
        self.overrides = o;
        self
    }

    /// With registers.
    pub fn with_registers(mut self, r: Registers) -> Resolver {
        self.registers = r;
        self
    }

    /// With the entities of an earlier run (incremental resolution).
    pub fn with_state(mut self, s: State) -> Resolver {
        self.state = Some(s);
        self
    }

    /// Resolve a batch of names.
    pub fn resolve(&self, inputs: &[NameInput]) -> Resolution {
        // 1. Distinct names with what came with them.
        let mut index: FxHashMap<String, usize> = FxHashMap::default();
        let mut items: Vec<Item> = Vec::new();
        let mut origin: Vec<Origin> = Vec::new();
        for inp in inputs {
            let name = inp.name.trim();
            if name.is_empty() {
                continue;
            }
            let k = match index.get(name) {
                Some(&k) => k,
                None => {
                    items.push(Item {
                        name: name.to_string(),
                        ..Item::default()
                    });
                    origin.push(Origin::Input);
                    index.insert(name.to_string(), items.len() - 1);
                    items.len() - 1
                }
            };
            let it = &mut items[k];
            it.rows += inp.rows.max(1);
            it.spend += inp.spend.0;
            if let Some(a) = inp.anchor.as_ref().filter(|a| !a.trim().is_empty()) {
                push_sorted(&mut it.anchors, a.trim().to_string());
            }
            add_ids(
                it,
                inp.company_number.as_deref(),
                inp.charity_number.as_deref(),
                inp.vat_number.as_deref(),
                inp.supplier_id.as_deref(),
                inp.anchor.as_deref(),
            );
        }
        let n_input = items.len();
        // 2. Names of earlier runs' entities.
        let mut owner: Vec<u32> = vec![NO_OWNER; items.len()];
        if let Some(st) = &self.state {
            for (e, ent) in st.entities.iter().enumerate() {
                for nm in &ent.names {
                    let nm = nm.trim();
                    if nm.is_empty() {
                        continue;
                    }
                    let k = match index.get(nm) {
                        Some(&k) => k,
                        None => {
                            items.push(Item {
                                name: nm.to_string(),
                                ..Item::default()
                            });
                            origin.push(Origin::State);
                            owner.push(NO_OWNER);
                            index.insert(nm.to_string(), items.len() - 1);
                            items.len() - 1
                        }
                    };
                    if owner[k] == NO_OWNER {
                        owner[k] = e as u32;
                    }
                }
            }
        }
        let n_names = items.len();
        // 3. Identifiers from the overrides.
        let mut override_issues = self.overrides.issues.clone();
        for (line, o) in &self.overrides.items {
            let (name, ids3) = match o {
                Override::CompanyNumber(n, v) => (n, (Some(v.as_str()), None, None)),
                Override::CharityNumber(n, v) => (n, (None, Some(v.as_str()), None)),
                Override::VatNumber(n, v) => (n, (None, None, Some(v.as_str()))),
                _ => continue,
            };
            match index.get(name.trim()) {
                Some(&k) => add_ids(&mut items[k], ids3.0, ids3.1, ids3.2, None, None),
                None => override_issues.push(OverrideIssue {
                    line: *line,
                    problem: format!("{name:?} is not among the names"),
                }),
            }
        }
        // 4. Register records, one item per name they are known by.
        for (r, rec) in self.registers.records.iter().enumerate() {
            for nm in std::iter::once(&rec.name).chain(&rec.previous_names) {
                let mut it = Item {
                    name: nm.clone(),
                    ..Item::default()
                };
                add_ids(
                    &mut it,
                    rec.company_number.as_deref(),
                    rec.charity_number.as_deref(),
                    rec.vat_number.as_deref(),
                    rec.supplier_id.as_deref(),
                    rec.anchor.as_deref(),
                );
                if let Some(a) = &rec.anchor {
                    it.anchors.push(a.clone());
                }
                items.push(it);
                origin.push(Origin::Register(r as u32));
            }
        }
        // 5. Parse (in parallel) and intern; weigh words over the names (not registers).
        let parsed: Vec<Parsed> = items.par_iter().map(|it| parse(&it.name)).collect();
        let mut v = Vocab::default();
        for (k, (it, p)) in items.iter_mut().zip(&parsed).enumerate() {
            it.rec = NRec::from_parsed(p, &mut v);
            it.public = p.public.clone();
            if k >= n_names {
                continue;
            }
            v.count_input(&it.rec);
        }
        v.n_in = n_names as u32;
        v.reweigh();
        // 6. Candidate pairs.
        let keys: Vec<Vec<u64>> = items
            .par_iter()
            .map(|it| {
                let mut k = Vec::with_capacity(24);
                block::form_keys(&v, &it.rec.main, &mut k);
                if let Some(a) = &it.rec.alias {
                    block::form_keys(&v, a, &mut k);
                }
                if let Some(p) = &it.public {
                    k.push(block::exact_key(b'P', &p.text()));
                }
                for c in &it.company {
                    k.push(block::exact_key(b'C', c));
                }
                for c in &it.charity {
                    k.push(block::exact_key(b'H', c));
                }
                for c in &it.vat {
                    k.push(block::exact_key(b'V', c));
                }
                for c in &it.supplier_ids {
                    k.push(block::exact_key(b'S', c));
                }
                k
            })
            .collect();
        let expansion: Vec<u64> = items
            .iter()
            .map(|it| block::expansion_id(&v, &it.rec.main))
            .collect();
        let mut pairs = block::pairs(&keys, &expansion, n_names);
        drop((keys, expansion));
        // Register records are compared with names, not with each other.
        pairs.retain(|&(i, j)| (i as usize) < n_names || (j as usize) < n_names);
        // 7. Judge every pair, keeping (in order) only the verdicts used below: a register
        // of near-identical names gives millions of pairs with nothing to say, or with a
        // conflict between two names no link joins. Conflicts are kept in a second pass
        // (step 9), for the pairs the links put in one component: only those can matter.
        // (Pairs that surely give neither a link nor a near miss are not judged: most
        // candidates share one middling word and nothing else; `crate::bound`.)
        let n_pairs = pairs.len();
        let review_near = self.config.review_near;
        let sketches = Sketches::new(&v, &items);
        let judged: Vec<((u32, u32), Pair)> = pairs
            .par_iter()
            .filter(|&&(i, j)| sketches.may_keep(&v, i, j, review_near))
            .filter_map(|&(i, j)| match judge(&v, &items, i, j) {
                Pair::None | Pair::Conflict(_) => None,
                Pair::Near(s, _) if s < review_near => None,
                p => Some(((i, j), p)),
            })
            .collect();
        let mut links: Vec<Link> = Vec::new();
        let mut manual: Vec<Conflict> = Vec::new();
        let mut near: Vec<(u32, u32, f32, Reason)> = Vec::new();
        let mut reg_cands: Vec<(u32, u32, f32, Reason)> = Vec::new();
        let mut reg_near: Vec<(u32, u32, f32, Reason)> = Vec::new();
        for &((i, j), ref p) in &judged {
            let reg = (i as usize) >= n_names || (j as usize) >= n_names;
            if reg {
                // (register item, name item)
                let (r, nm) = if (i as usize) >= n_names {
                    (i, j)
                } else {
                    (j, i)
                };
                match p {
                    Pair::Link(l)
                        if l.score >= self.config.link_threshold
                            && specific_register_link(
                                &v,
                                &items[r as usize],
                                &items[nm as usize],
                                l.reason,
                            ) =>
                    {
                        reg_cands.push((r, nm, l.score, l.reason))
                    }
                    Pair::Link(l) if l.score >= self.config.review_near => {
                        reg_near.push((r, nm, l.score, l.reason))
                    }
                    Pair::Near(s, why) if *s >= self.config.review_near => {
                        reg_near.push((r, nm, *s, *why))
                    }
                    _ => {}
                }
                continue;
            }
            match p {
                Pair::Link(l) if l.score >= self.config.link_threshold => links.push(*l),
                Pair::Link(l) => near.push((i, j, l.score, l.reason)),
                Pair::Near(s, r) if *s >= self.config.review_near => near.push((i, j, *s, *r)),
                _ => {}
            }
        }
        // 8. Earlier entities stay together; overrides.
        if let Some(st) = &self.state {
            for ent in &st.entities {
                let ks: Vec<usize> = ent
                    .names
                    .iter()
                    .filter_map(|n| index.get(n.trim()).copied())
                    .collect();
                for w in ks.windows(2) {
                    links.push(Link {
                        a: w[0] as u32,
                        b: w[1] as u32,
                        score: 1.0,
                        power: 3,
                        reason: Reason::Override,
                    });
                }
            }
        }
        for (line, o) in &self.overrides.items {
            let (a, b, must) = match o {
                Override::MustLink(a, b) => (a, b, true),
                Override::CannotLink(a, b) => (a, b, false),
                _ => continue,
            };
            let (Some(&x), Some(&y)) = (index.get(a.trim()), index.get(b.trim())) else {
                override_issues.push(OverrideIssue {
                    line: *line,
                    problem: format!("{a:?} or {b:?} is not among the names"),
                });
                continue;
            };
            if must {
                links.push(Link {
                    a: x as u32,
                    b: y as u32,
                    score: 1.0,
                    power: 3,
                    reason: Reason::Override,
                });
            } else {
                manual.push(Conflict {
                    a: x as u32,
                    b: y as u32,
                    strength: Strength::Manual,
                    reason: Reason::Override,
                });
            }
        }
        // 9. Cluster. Only conflicts inside a component of the links can ever matter.
        let mut comp = cluster::Clusters::new(n_names);
        for l in &links {
            comp.join(l.a, l.b, 3);
        }
        let root: Vec<u32> = (0..n_names as u32).map(|x| comp.find(x)).collect();
        let same = |a: u32, b: u32| {
            (a as usize) < n_names && (b as usize) < n_names && root[a as usize] == root[b as usize]
        };
        // The judged conflicts in pair order (as the first pass would have listed them), then
        // people's cannot-links.
        let mut conflicts: Vec<Conflict> = pairs
            .par_iter()
            .filter(|&&(i, j)| same(i, j))
            .filter_map(|&(i, j)| match judge(&v, &items, i, j) {
                Pair::Conflict(c) => Some(c),
                _ => None,
            })
            .collect();
        drop(pairs);
        conflicts.extend(manual);
        conflicts.retain(|c| same(c.a, c.b));
        let (roots, fates) = cluster::cluster(n_names, &links, &conflicts, &owner);
        let ctx = Assembly {
            items: &items,
            parsed: &parsed,
            origin: &origin,
            n_input,
            n_names,
            owner: &owner,
        };
        let mut res = self.assemble(&ctx, roots, &links, &fates, &near, &reg_cands);
        res.register_suggestions =
            register_suggestions(&ctx, &res, &reg_near, &reg_cands, &self.registers);
        res.stats.pairs = n_pairs;
        res.stats.conflicts = conflicts.len();
        res.stats.register_records = self.registers.records.len();
        res.override_issues = override_issues;
        res
    }

    fn assemble(
        &self,
        cx: &Assembly,
        roots: Vec<u32>,
        links: &[Link],
        fates: &[Fate],
        near: &[(u32, u32, f32, Reason)],
        reg_cands: &[(u32, u32, f32, Reason)],
    ) -> Resolution {
        let items = cx.items;
        let parsed = cx.parsed;
        let n = cx.n_names;
        // Entities in first-seen order of their members.
        let mut ent_of_root: FxHashMap<u32, usize> = FxHashMap::default();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (i, &r) in roots.iter().enumerate() {
            let e = *ent_of_root.entry(r).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[e].push(i);
        }
        let entity_index: Vec<usize> = roots.iter().map(|r| ent_of_root[r]).collect();
        // Best link per name among joined / redundant links inside its entity.
        let mut best: Vec<Option<(f32, u32, Reason)>> = vec![None; n];
        let mut blocked = 0;
        for (l, f) in links.iter().zip(fates) {
            match f {
                Fate::Blocked(..) => blocked += 1,
                _ => {
                    for (x, y) in [(l.a, l.b), (l.b, l.a)] {
                        let slot = &mut best[x as usize];
                        if slot.is_none_or(|(s, _, _)| l.score > s) {
                            *slot = Some((l.score, y, l.reason));
                        }
                    }
                }
            }
        }
        // Register records to entities.
        let register_links = attach_registers(cx, &entity_index, reg_cands, &self.registers);
        let mut recs_of: Vec<Vec<&RegisterLink>> = vec![Vec::new(); members.len()];
        for rl in &register_links {
            recs_of[rl.entity].push(rl);
        }
        let mut entities: Vec<Entity> = members
            .iter()
            .enumerate()
            .map(|(e, ms)| {
                let canonical = canonical_name(items, parsed, ms);
                let mut anchors = BTreeSet::new();
                let mut idf = Identifiers::default();
                let mut spend = 0i64;
                let mut kind_evidence = Vec::new();
                for &m in ms {
                    let it = &items[m];
                    anchors.extend(it.anchors.iter().cloned());
                    spend += it.spend;
                    idf.merge(&item_ids(it));
                    if let Some(ev) = kind::from_name(&it.name, &parsed[m]) {
                        if !kind_evidence.contains(&ev) {
                            kind_evidence.push(ev);
                        }
                    }
                }
                let facts = facts_of(&recs_of[e], &self.registers.records);
                for rl in &recs_of[e] {
                    let rec = &self.registers.records[rl.record];
                    if let (Some(k), Some(reg)) = (rec.kind, rec.register) {
                        kind_evidence.push(KindEvidence {
                            kind: k,
                            source: reg.label().to_string(),
                            detail: format!(
                                "{} {:?} ({})",
                                rec.legal_form.as_deref().unwrap_or("registered as"),
                                rec.name,
                                rec.source()
                            ),
                        });
                    }
                }
                Entity {
                    id: String::new(),
                    canonical_name: items[canonical].name.clone(),
                    members: ms.clone(),
                    spend: Pence(spend),
                    anchors: anchors.into_iter().collect(),
                    identifiers: idf,
                    kind: kind::decide(&kind_evidence, ms.len()),
                    kind_evidence,
                    facts,
                    known: ms.iter().any(|&m| cx.owner[m] != NO_OWNER),
                }
            })
            .collect();
        self.assign_ids(&mut entities, cx);
        // Overrides: rename and kind.
        let name_entity = |name: &str| {
            items[..n]
                .iter()
                .position(|it| it.name == name.trim())
                .map(|i| entity_index[i])
        };
        for (line, o) in &self.overrides.items {
            match o {
                Override::Rename(nm, to) => {
                    if let Some(e) = name_entity(nm) {
                        entities[e].canonical_name = to.clone();
                    }
                }
                Override::Kind(nm, k) => {
                    if let Some(e) = name_entity(nm) {
                        entities[e].kind = *k;
                        entities[e].kind_evidence.insert(
                            0,
                            KindEvidence {
                                kind: *k,
                                source: "override".into(),
                                detail: format!("overrides file line {line}"),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
        let names: Vec<ResolvedName> = items[..n]
            .iter()
            .enumerate()
            .map(|(i, it)| {
                let e = entity_index[i];
                let (confidence, evidence) = match best[i] {
                    Some((s, o, r)) if entities[e].members.len() > 1 => (
                        s,
                        Some(Evidence {
                            other: items[o as usize].name.clone(),
                            reason: r,
                            score: s,
                        }),
                    ),
                    _ => (1.0, None),
                };
                ResolvedName {
                    name: it.name.clone(),
                    entity: e,
                    confidence,
                    evidence,
                    input: i < cx.n_input,
                    anchors: it.anchors.clone(),
                    identifiers: item_ids(it),
                    spend: Pence(it.spend),
                    rows: it.rows,
                    key: parsed[i].main.key(),
                }
            })
            .collect();
        let review = self.review(cx, &entities, &entity_index, links, fates, near);
        let joined = links
            .iter()
            .zip(fates)
            .filter(|(_, f)| **f == Fate::Joined)
            .map(|(l, _)| LinkRecord {
                a: l.a as usize,
                b: l.b as usize,
                score: l.score,
                reason: l.reason,
            })
            .collect();
        let stats = Stats {
            names: n,
            links: links.len(),
            blocked,
            entities: entities.len(),
            ..Stats::default()
        };
        Resolution {
            names,
            entities,
            register_links,
            register_suggestions: Vec::new(),
            review,
            links: joined,
            override_issues: Vec::new(),
            stats,
        }
    }

    fn review(
        &self,
        cx: &Assembly,
        entities: &[Entity],
        entity_index: &[usize],
        links: &[Link],
        fates: &[Fate],
        near: &[(u32, u32, f32, Reason)],
    ) -> Vec<ReviewItem> {
        let items = cx.items;
        let ent_spend = |i: u32| entities[entity_index[i as usize]].spend.0.abs();
        let item =
            |a: u32, b: u32, score: f32, decision: &'static str, reason: String| ReviewItem {
                a: items[a as usize].name.clone(),
                b: items[b as usize].name.clone(),
                entity_a: entities[entity_index[a as usize]].id.clone(),
                entity_b: entities[entity_index[b as usize]].id.clone(),
                score,
                decision,
                reason,
                // (Two names of one entity: the smaller name's spend is what a wrong merge
                // moved; two entities: the smaller entity's.)
                spend_at_stake: Pence(if entity_index[a as usize] == entity_index[b as usize] {
                    items[a as usize]
                        .spend
                        .abs()
                        .min(items[b as usize].spend.abs())
                } else {
                    ent_spend(a).min(ent_spend(b))
                }),
            };
        let mut review = Vec::new();
        for (l, f) in links.iter().zip(fates) {
            match f {
                Fate::Joined if l.score < self.config.review_below => review.push(item(
                    l.a,
                    l.b,
                    l.score,
                    "merged",
                    l.reason.text().to_string(),
                )),
                Fate::Blocked(x, y) => review.push(item(
                    l.a,
                    l.b,
                    l.score,
                    "apart",
                    format!(
                        "{} but kept apart: {:?} conflicts with {:?}",
                        l.reason.text(),
                        items[*x as usize].name,
                        items[*y as usize].name
                    ),
                )),
                _ => {}
            }
        }
        for &(a, b, s, r) in near {
            if entity_index[a as usize] == entity_index[b as usize] {
                continue;
            }
            review.push(item(a, b, s, "apart", format!("near miss: {}", r.text())));
        }
        review.sort_by(|x, y| {
            y.spend_at_stake
                .0
                .cmp(&x.spend_at_stake.0)
                .then(y.score.total_cmp(&x.score))
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        review
    }

    /// Ids: an entity holding names of an earlier entity keeps its id (the largest share
    /// wins if a must-link joined two); new entities get an id from their shown name's key,
    /// with a suffix on collision.
    fn assign_ids(&self, entities: &mut [Entity], cx: &Assembly) {
        use std::hash::{Hash, Hasher};
        let mut used: FxHashSet<String> = FxHashSet::default();
        if let Some(st) = &self.state {
            for e in entities.iter_mut() {
                let mut count: FxHashMap<u32, usize> = FxHashMap::default();
                for &m in &e.members {
                    if cx.owner[m] != NO_OWNER {
                        *count.entry(cx.owner[m]).or_default() += 1;
                    }
                }
                if let Some((&o, _)) = count
                    .iter()
                    .max_by_key(|(o, c)| (**c, std::cmp::Reverse(**o)))
                {
                    let se = &st.entities[o as usize];
                    if used.insert(se.id.clone()) {
                        e.id = se.id.clone();
                        e.canonical_name = se.canonical_name.clone();
                    }
                }
            }
        }
        for e in entities.iter_mut() {
            if !e.id.is_empty() {
                continue;
            }
            let ci = e
                .members
                .iter()
                .copied()
                .find(|&m| cx.items[m].name == e.canonical_name)
                .unwrap_or(e.members[0]);
            let key = match &cx.parsed[ci].public {
                Some(p) => p.text(),
                None => format!("{}|{}", cx.parsed[ci].main.key(), e.canonical_name),
            };
            let mut h = rustc_hash::FxHasher::default();
            key.hash(&mut h);
            let base = format!("E{:012x}", h.finish() & 0xffff_ffff_ffff);
            let mut id = base.clone();
            let mut k = 1;
            while used.contains(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            used.insert(id.clone());
            e.id = id;
        }
    }
}

/// What assembling a resolution needs to know of the run.
struct Assembly<'a> {
    items: &'a [Item],
    parsed: &'a [Parsed],
    origin: &'a [Origin],
    n_input: usize,
    n_names: usize,
    owner: &'a [u32],
}

fn add_ids(
    it: &mut Item,
    company: Option<&str>,
    charity: Option<&str>,
    vat: Option<&str>,
    supplier: Option<&str>,
    anchor: Option<&str>,
) {
    if let Some(c) = company.and_then(ids::company_number) {
        push_sorted(&mut it.company, c);
    }
    if let Some(c) = charity.and_then(ids::charity_number) {
        push_sorted(&mut it.charity, c);
    }
    if let Some(c) = vat.and_then(ids::vat_number) {
        push_sorted(&mut it.vat, c);
    }
    if let Some(c) = supplier.and_then(ids::supplier_id) {
        let anchor = anchor.unwrap_or("").trim();
        push_sorted(&mut it.supplier_ids, format!("{anchor}:{c}"));
    }
}

fn item_ids(it: &Item) -> Identifiers {
    Identifiers {
        company_numbers: it.company.clone(),
        charity_numbers: it.charity.clone(),
        vat_numbers: it.vat.clone(),
        supplier_ids: it.supplier_ids.clone(),
    }
}

/// Whether a name link to a register record is specific enough to place a supplier. A name
/// link puts a supplier in a town on the strength of its name alone, so precision comes
/// first; a link that is not specific stays a suggestion for a person (the worklist):
/// - numbers in the registered name are part of it: a registered name with a number the
///   payee's name lacks is another body of those words (a numbered company of a common name);
/// - outside the paying anchor's own lists, a one-word name links only when both names are
///   that one word and nothing else (beside a legal form and `the`: no title, initial or word
///   the parser set aside), spelt the same, of five letters or more, rare among the payees' names and not a place (as a one-word
///   trading name must be, [`crate::judge`]): a short or common one-word name is shared by
///   many registered bodies.
fn specific_register_link(v: &Vocab, reg: &Item, payee: &Item, reason: Reason) -> bool {
    if reason == Reason::SameIdentifier {
        return true;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if !digits(&payee.name).contains(&digits(&reg.name)) {
        return false;
    }
    let (a, b) = (&payee.rec.main, &reg.rec.main);
    // The paying anchor's own list (its contracts register or vendor master) names the bodies
    // it contracts with: a one-word name there is that body.
    let own_list = reg
        .anchors
        .iter()
        .any(|x| payee.anchors.binary_search(x).is_ok());
    if own_list || (a.toks.len() > 1 && b.toks.len() > 1) {
        return true;
    }
    let word = |t: u32| {
        (
            &*v.text[t as usize],
            v.weight[t as usize],
            v.class[t as usize],
        )
    };
    reason == Reason::SameWords
        && bare_words(&payee.name) == 1
        && bare_words(&reg.name) == 1
        && a.toks.iter().chain(&b.toks).all(|&t| {
            let (text, weight, class) = word(t);
            text.chars().count() >= 5
                && weight >= crate::calibrate::thresholds().rare_word
                && class & crate::model::C_PLACE == 0
        })
}

/// The words of a name beside its legal form and `the` (an apostrophe joins: `Nando's`).
fn bare_words(name: &str) -> usize {
    // The words of the legal-form phrases (`community interest company`), gathered once.
    static LEGAL: std::sync::LazyLock<FxHashSet<&'static str>> = std::sync::LazyLock::new(|| {
        crate::words::LEGAL_PHRASES
            .iter()
            .flat_map(|(p, _)| p.iter().copied())
            .collect()
    });
    let legal = &*LEGAL;
    anchornet_core::supplier::name_words(&name.replace(['\'', '\u{2019}'], ""))
        .iter()
        .filter(|w| {
            w.as_str() != "the"
                && crate::words::legal_word(w).is_none()
                && !legal.contains(w.as_str())
        })
        .count()
}

/// Link each register record to one entity: the best of its links (identifier before
/// exact name before fuzzy name, then confidence); a record whose best links reach two
/// entities equally is left unlinked rather than guessed.
fn attach_registers(
    cx: &Assembly,
    entity_index: &[usize],
    cands: &[(u32, u32, f32, Reason)],
    regs: &Registers,
) -> Vec<RegisterLink> {
    let mut by_record: FxHashMap<u32, Vec<(MatchKind, f32, usize, usize)>> = FxHashMap::default();
    for &(ri, ni, score, reason) in cands {
        let Origin::Register(r) = cx.origin[ri as usize] else {
            continue;
        };
        let how = if reason == Reason::SameIdentifier {
            MatchKind::Identifier
        } else if cx.parsed[ri as usize].main.key() == cx.parsed[ni as usize].main.key()
            && !cx.parsed[ni as usize].main.toks.is_empty()
        {
            MatchKind::ExactName
        } else {
            MatchKind::FuzzyName
        };
        by_record
            .entry(r)
            .or_default()
            .push((how, score, entity_index[ni as usize], ni as usize));
    }
    let mut out: Vec<RegisterLink> = Vec::new();
    for (r, mut c) in by_record {
        c.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.3.cmp(&y.3)));
        let best = c[0];
        let rival = c
            .iter()
            .find(|x| x.2 != best.2 && x.0 == best.0 && best.1 - x.1 < 0.02);
        if rival.is_some() {
            continue;
        }
        if (r as usize) < regs.records.len() {
            out.push(RegisterLink {
                record: r as usize,
                entity: best.2,
                matched: best.0,
                confidence: best.1,
                name: best.3,
            });
        }
    }
    out.sort_by_key(|l| (l.entity, l.record));
    out
}

/// Register records a person might link: near misses, and records two entities matched
/// equally well (left unlinked by [`attach_registers`]). At most three per entity, best first;
/// never a record already linked to the entity.
fn register_suggestions(
    cx: &Assembly,
    res: &Resolution,
    near: &[(u32, u32, f32, Reason)],
    cands: &[(u32, u32, f32, Reason)],
    regs: &Registers,
) -> Vec<RegisterLink> {
    let entity_of = |ni: u32| res.names.get(ni as usize).map(|n| n.entity);
    // A record linked to an entity is settled: it is no one's suggestion.
    let linked: FxHashSet<usize> = res.register_links.iter().map(|l| l.record).collect();
    let mut best: FxHashMap<(usize, usize), RegisterLink> = FxHashMap::default();
    for &(ri, ni, score, reason) in near.iter().chain(cands) {
        let Origin::Register(r) = cx.origin[ri as usize] else {
            continue;
        };
        let r = r as usize;
        let Some(e) = entity_of(ni) else { continue };
        if r >= regs.records.len() || linked.contains(&r) {
            continue;
        }
        let matched = if reason == Reason::SameIdentifier {
            MatchKind::Identifier
        } else {
            MatchKind::FuzzyName
        };
        let slot = best.entry((e, r)).or_insert(RegisterLink {
            record: r,
            entity: e,
            matched,
            confidence: score,
            name: ni as usize,
        });
        if score > slot.confidence {
            slot.confidence = score;
            slot.name = ni as usize;
        }
    }
    let mut out: Vec<RegisterLink> = best.into_values().collect();
    out.sort_by(|a, b| {
        a.entity
            .cmp(&b.entity)
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.record.cmp(&b.record))
    });
    let mut per = 0;
    let mut last = usize::MAX;
    out.retain(|l| {
        if l.entity != last {
            last = l.entity;
            per = 0;
        }
        per += 1;
        per <= 3
    });
    out
}

fn facts_of(links: &[&RegisterLink], records: &[RegisterRecord]) -> Facts {
    let mut ranked: Vec<(&RegisterLink, &RegisterRecord)> =
        links.iter().map(|l| (*l, &records[l.record])).collect();
    ranked.sort_by(|(la, ra), (lb, rb)| {
        ra.register
            .cmp(&rb.register)
            .then(la.matched.cmp(&lb.matched))
            .then(lb.confidence.total_cmp(&la.confidence))
            .then(ra.file.cmp(&rb.file))
            .then(ra.line.cmp(&rb.line))
    });
    let fact = |l: &RegisterLink, r: &RegisterRecord, value: String| Fact {
        value,
        register: r.register.unwrap_or(RegisterKind::SupplierList),
        source: r.source(),
        record_name: r.name.clone(),
        matched: l.matched,
        confidence: l.confidence,
    };
    let first = |get: &dyn Fn(&RegisterRecord) -> Option<String>| {
        ranked
            .iter()
            .find_map(|(l, r)| get(r).map(|v| fact(l, r, v)))
    };
    let mut f = Facts {
        records: ranked.len(),
        ..Facts::default()
    };
    let mut postcodes: Vec<Fact> = Vec::new();
    for (l, r) in &ranked {
        if let Some(p) = &r.postcode {
            if !postcodes.iter().any(|x| x.value == *p) {
                postcodes.push(fact(l, r, p.clone()));
            }
        }
    }
    if !postcodes.is_empty() {
        f.postcode = Some(postcodes.remove(0));
        f.other_postcodes = postcodes;
    }
    let is_official = |r: &RegisterRecord| {
        matches!(
            r.register,
            Some(
                RegisterKind::CompaniesHouse
                    | RegisterKind::CompaniesHouseSearch
                    | RegisterKind::CharityCommission
            )
        )
    };
    f.registered_name = first(&|r| is_official(r).then(|| r.name.clone()));
    f.company_number = first(&|r| r.company_number.clone());
    f.charity_number = first(&|r| r.charity_number.clone());
    f.sic = first(&|r| (!r.sic.is_empty()).then(|| r.sic.join(" ")));
    f.legal_form = first(&|r| r.legal_form.clone());
    f.status = first(&|r| r.status.clone());
    if let Some((l, r)) = ranked.iter().find(|(_, r)| r.sme != Sme::Unknown) {
        f.sme = r.sme;
        f.sme_source = Some(fact(
            l,
            r,
            r.sme_basis
                .clone()
                .unwrap_or_else(|| "declared".to_string()),
        ));
    }
    f
}

/// The name shown for an entity: complete (not cut short), with a legal form, without
/// trailing account words or reference numbers, most used.
fn canonical_name(items: &[Item], parsed: &[Parsed], ms: &[usize]) -> usize {
    *ms.iter()
        .max_by(|&&a, &&b| {
            let key = |i: usize| {
                let p = &parsed[i];
                let it = &items[i];
                let mixed = it.name.chars().any(|c| c.is_lowercase())
                    && it.name.chars().any(|c| c.is_uppercase());
                let digits = it.name.chars().filter(char::is_ascii_digit).count();
                (
                    !p.main.truncated && digits == 0,
                    p.public.is_some() || p.main.lf.is_some(),
                    p.qualifier.is_empty() && p.alias.is_none(),
                    std::cmp::Reverse(digits),
                    it.rows.min(1_000_000) as i64 + it.spend.abs() / 100_000,
                    mixed,
                    std::cmp::Reverse(it.name.len()),
                )
            };
            key(a).cmp(&key(b)).then(b.cmp(&a))
        })
        .unwrap_or(&ms[0])
}
