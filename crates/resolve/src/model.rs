//! Names prepared for matching: words interned to ids, each with its weight (how much
//! evidence sharing it is) and its class (does appending it make a new organisation, or
//! only name an account or a region).
//!
//! Weights are inverse document frequencies over the input names *and* a built-in
//! background of 217,312 real supplier names (`data/token_df.tsv`), so that `Care`,
//! `Services` and `Leeds` are weak evidence and `Seddon` strong even when the input is a
//! short list.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::parse::{Form, Parsed, F_BRACKET, F_INIT, F_SPLIT};
use crate::words::{self, LegalForm};

/// Token class: appending it makes a new organisation (`Enterprises`, `Union`).
pub const C_ORG: u8 = 1;
/// Token class: names an account, office or purpose (`Rent`, `Int`, `Stamp Duty`).
pub const C_ACCOUNT: u8 = 2;
/// Token class: a direction or region (`North East`, `Yorkshire`, `UK`).
pub const C_REGION: u8 = 4;
/// Token class: a town or city (`Leeds`, `Castleford`).
pub const C_PLACE: u8 = 8;
/// Token class: `charity`, `charitable`.
pub const C_CHARITY: u8 = 16;
/// Token class: contains a digit.
pub const C_NUM: u8 = 32;
/// Token class: names a building or site (`Court`, `Lodge`, `House`).
pub const C_SITE: u8 = 64;

/// Token class: names only qualify, never identify.
pub const C_QUAL: u8 = C_ACCOUNT | C_REGION | C_PLACE | C_NUM;

/// Word fact: a place to `compare` (a town or a local authority's name: two places are
/// never spellings of each other).
pub const W_PLACE: u16 = 1;
/// Word fact: a function word ([`words::is_function_word`]).
pub const W_FUNCTION: u16 = 2;
/// Word fact: a compass word ([`words::is_direction_word`]).
pub const W_DIRECTION: u16 = 4;
/// Word fact: a national word ([`words::is_national_word`]).
pub const W_NATIONAL: u16 = 8;
/// Word fact: has an ASCII digit.
pub const W_DIGIT: u16 = 16;
/// Word fact: 2–6 ASCII letters (may be initials).
pub const W_ACRONYM: u16 = 32;
/// Word fact: `hospital`.
pub const W_HOSPITAL: u16 = 64;
/// Word fact: `university`.
pub const W_UNIVERSITY: u16 = 128;
/// Word fact: `nhs`.
pub const W_NHS: u16 = 256;

/// The background frequencies.
pub struct Background {
    /// Number of names counted.
    pub n: u32,
    /// Token → number of names containing it.
    pub df: FxHashMap<&'static str, u32>,
}

/// The built-in background table.
pub fn background() -> &'static Background {
    static B: OnceLock<Background> = OnceLock::new();
    B.get_or_init(|| {
        let mut n = 1;
        let mut df = FxHashMap::default();
        for line in include_str!("../data/token_df.tsv").lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut it = line.split('\t');
            let (Some(t), Some(c)) = (it.next(), it.next()) else {
                continue;
            };
            let c: u32 = c.parse().unwrap_or(0);
            if t == "N" {
                n = c.max(1);
            } else {
                df.insert(t, c);
            }
        }
        Background { n, df }
    })
}

/// Interned tokens with weights and classes.
#[derive(Default)]
pub struct Vocab {
    /// Token text by id.
    pub text: Vec<Box<str>>,
    /// Id by token text.
    pub ids: FxHashMap<Box<str>, u32>,
    /// Number of input names containing the token.
    pub df_in: Vec<u32>,
    /// Background document frequency.
    pub df_bg: Vec<u32>,
    /// Weight (inverse document frequency, natural log).
    pub weight: Vec<f32>,
    /// `C_*` class bits.
    pub class: Vec<u8>,
    /// `W_*` word facts: what the comparison asks of a word for every pair it is in,
    /// found once when the word is interned.
    pub facts: Vec<u16>,
    /// Number of input names.
    pub n_in: u32,
}

impl Vocab {
    /// The id of a token, interning it.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.text.len() as u32;
        self.text.push(s.into());
        self.ids.insert(s.into(), id);
        self.df_in.push(0);
        self.df_bg
            .push(background().df.get(s).copied().unwrap_or(0));
        self.weight.push(0.0);
        self.class.push(class_of(s));
        self.facts.push(facts_of(s));
        id
    }

    /// Count one input name's distinct words (its main form and its alias) into `df_in`;
    /// after every input name, set `n_in` and [`Vocab::reweigh`].
    pub fn count_input(&mut self, rec: &NRec) {
        let mut seen: Vec<u32> = rec.main.toks.clone();
        if let Some(a) = &rec.alias {
            seen.extend(&a.toks);
        }
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            self.df_in[t as usize] += 1;
        }
    }

    /// Recompute weights after document frequencies changed.
    pub fn reweigh(&mut self) {
        let bg = background();
        let n = (bg.n + self.n_in) as f32 + 1.0;
        for i in 0..self.text.len() {
            let df = (self.df_bg[i] + self.df_in[i]) as f32 + 0.5;
            let mut w = (n / df).ln();
            // Pure numbers and one-letter tokens identify little.
            if self.text[i].len() == 1 {
                w = w.min(3.0);
            }
            self.weight[i] = w.max(0.5);
        }
    }

    /// Combined frequency (background plus input) of a token.
    pub fn freq(&self, id: u32) -> u32 {
        self.df_bg[id as usize] + self.df_in[id as usize]
    }
}

fn facts_of(s: &str) -> u16 {
    let b = s.as_bytes();
    let mut f = 0;
    if class_of(s) & C_PLACE != 0 || words::places().authorities.contains(s) {
        f |= W_PLACE;
    }
    if words::is_function_word(s) {
        f |= W_FUNCTION;
    }
    if words::is_direction_word(s) {
        f |= W_DIRECTION;
    }
    if words::is_national_word(s) {
        f |= W_NATIONAL;
    }
    if b.iter().any(u8::is_ascii_digit) {
        f |= W_DIGIT;
    }
    if (2..=6).contains(&b.len()) && b.iter().all(u8::is_ascii_alphabetic) {
        f |= W_ACRONYM;
    }
    match s {
        "hospital" => f |= W_HOSPITAL,
        "university" => f |= W_UNIVERSITY,
        "nhs" => f |= W_NHS,
        _ => {}
    }
    f
}

fn class_of(s: &str) -> u8 {
    let mut c = 0;
    if words::is_org_word(s) {
        c |= C_ORG;
    }
    if words::is_account_word(s) {
        c |= C_ACCOUNT;
    }
    if words::is_region_word(s) {
        c |= C_REGION;
    }
    if words::is_place_word(s) {
        c |= C_PLACE;
    }
    if words::is_charity_word(s) {
        c |= C_CHARITY;
    }
    if words::is_number_like(s) {
        c |= C_NUM;
    }
    if words::is_site_word(s) {
        c |= C_SITE;
    }
    c
}

/// A name form with interned tokens.
#[derive(Debug, Clone, Default)]
pub struct FRec {
    /// Token ids.
    pub toks: Vec<u32>,
    /// `F_*` flags per token.
    pub flags: Vec<u8>,
    /// Legal form.
    pub lf: Option<LegalForm>,
    /// Looks cut short.
    pub truncated: bool,
    /// Dropped optional last word.
    pub dropped: Option<u32>,
}

impl FRec {
    /// Intern a parsed form.
    pub fn from_form(f: &Form, v: &mut Vocab) -> FRec {
        FRec {
            toks: f.toks.iter().map(|t| v.intern(&t.s)).collect(),
            flags: f.toks.iter().map(|t| t.f).collect(),
            lf: f.lf,
            truncated: f.truncated,
            dropped: f.dropped.map(|d| v.intern(d)),
        }
    }

    /// Sum of token weights.
    pub fn weight(&self, v: &Vocab) -> f32 {
        self.toks.iter().map(|&t| v.weight[t as usize]).sum()
    }

    /// Whether the token at `i` is marked as not part of the registered name for sure.
    pub fn marked(&self, i: usize) -> bool {
        self.flags[i] & (F_BRACKET | F_SPLIT) != 0
    }

    /// Whether the token at `i` is an initialism.
    pub fn initialism(&self, i: usize) -> bool {
        self.flags[i] & F_INIT != 0
    }
}

/// A parsed name interned for matching.
#[derive(Debug, Clone, Default)]
pub struct NRec {
    /// The main form.
    pub main: FRec,
    /// The trading or bracketed registered name.
    pub alias: Option<FRec>,
    /// The alias is a registered name in brackets (not a trading name).
    pub alias_registered: bool,
    /// The alias is the name's initials in brackets.
    pub alias_acronym: bool,
    /// `hint::*` flags.
    pub hints: u16,
}

impl NRec {
    /// Intern a parsed name.
    pub fn from_parsed(p: &Parsed, v: &mut Vocab) -> NRec {
        NRec {
            main: FRec::from_form(&p.main, v),
            alias: p.alias.as_ref().map(|a| FRec::from_form(a, v)),
            alias_registered: p.alias_registered,
            alias_acronym: p.alias_acronym,
            hints: p.hints,
        }
    }
}
