//! Comparing two name forms: align their words, then judge what the words left over mean.
//!
//! Words are aligned exactly, then by joining (`Lexis Nexis` = `LexisNexis`), then by
//! spelling and abbreviation (`Northen` ≈ `Northern`, `Svs` ≈ `Services`, `Infras'ture`
//! ≈ `Infrastructure`, `Hospita…` ≈ `Hospital`), then by initials (`P and I` = `Property
//! and Infrastructure`). What is left decides:
//!
//! * nothing left on either side: the same name written differently — a link;
//! * only a tail on the longer name: a branch, account or home (`Westmoor Trust
//!   (Resources)`, `HARBOUR TRUST-ELM TREE CARE HOME`) — a link; unless the tail makes a
//!   new organisation (`Age UK Barnet Enterprises`, `Exeter University Students Union`) —
//!   a conflict; or both names end in a legal form (`Corbel Rail Ltd` / `Corbel Rail
//!   Projects Ltd`: two registered names) — a conflict;
//! * different tails on both (`Ravensworth Resourcing` / `Ravensworth Business Services`,
//!   `Age UK Barnet` / `Age UK Enfield`) — a conflict, so that a bare `Ravensworth` cannot
//!   chain them;
//! * a university and a hospital trust named after it (`University of Exeter` / `Exeter
//!   University Hospitals NHS FT`), in any word order — a conflict;
//! * anything else — no link, with a similarity kept for the review list.
//!
//! Leftover words are weighed by rarity: a rare tail (`MHRE`) says more than a common one.

use serde::{Deserialize, Serialize};

use crate::model::{
    FRec, Vocab, C_ACCOUNT, C_CHARITY, C_NUM, C_ORG, C_PLACE, C_QUAL, C_REGION, C_SITE, W_ACRONYM,
    W_DIGIT, W_DIRECTION, W_FUNCTION, W_HOSPITAL, W_NATIONAL, W_NHS, W_PLACE, W_UNIVERSITY,
};
use crate::text::osa;
use crate::words;
use crate::words::LegalForm;

/// Most tokens of a form that are compared.
pub const MAX_TOKS: usize = 24;

/// Score at or above which a name comparison is a link.
pub const LINK: f32 = 0.72;

/// How strongly a conflict keeps two names apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Name evidence that two registered names differ; a trading name or an identifier
    /// may still join them (renames look like this).
    Soft = 1,
    /// Name evidence of a different organisation (`… Enterprises`, another council).
    Hard = 2,
    /// Different company or charity numbers.
    Identifier = 3,
    /// A cannot-link in the overrides file.
    Manual = 4,
}

/// Why two names were linked or kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The same words.
    SameWords,
    /// The same words with spelling, abbreviation, truncation or order differences.
    SameWordsFuzzy,
    /// One name is the other plus a branch, account, region or purpose.
    QualifiedTail,
    /// One name is the other cut short.
    Truncation,
    /// One name is the other plus rarer words; judged by their weight.
    WeightedTail,
    /// The same council or national body.
    SamePublicBody,
    /// A trading name (`T/A`) or a bracketed registered name of one is the other.
    TradingName,
    /// The same company, charity number or supplier id.
    SameIdentifier,
    /// A must-link in the overrides file.
    Override,
    /// Two different registered names (both end in a legal form).
    DifferentRegisteredNames,
    /// One name adds a word that makes another organisation (`Enterprises`, `Union`).
    OrganisationWord,
    /// The names share a start and go different ways (`Capita Resourcing` / `Capita IT`).
    DivergingNames,
    /// Different towns (`Age UK Barnet` / `Age UK Enfield`).
    DifferentPlaces,
    /// Different councils or national bodies.
    DifferentPublicBodies,
    /// Different company or charity numbers.
    DifferentIdentifiers,
    /// Legal forms of different families (`LLP` / `Ltd`, `NHS` / `Ltd`).
    DifferentLegalForms,
    /// Schools of the same name paid by different anchors.
    DifferentSchools,
    /// The same words spelt differently, but no exact word in common to anchor them.
    Unanchored,
    /// One name has words inside or before the other's (`Harlow Business Services` /
    /// `Harlow Services`).
    InsertedWords,
    /// One name adds words at the end that may make another body.
    ExtraWords,
    /// Each name has words the other lacks.
    DifferentWords,
    /// Not enough in common.
    Dissimilar,
}

impl Reason {
    /// A short phrase for reports.
    pub fn text(self) -> &'static str {
        match self {
            Reason::SameWords => "same name",
            Reason::SameWordsFuzzy => "same name (spelling, abbreviation or word order)",
            Reason::QualifiedTail => "same name plus a branch, region, account or purpose",
            Reason::Truncation => "same name cut short",
            Reason::WeightedTail => "same name plus extra words",
            Reason::SamePublicBody => "same public body",
            Reason::TradingName => "trading name",
            Reason::SameIdentifier => "same identifier",
            Reason::Override => "override (must-link)",
            Reason::DifferentRegisteredNames => "different registered names",
            Reason::OrganisationWord => "extra word makes another organisation",
            Reason::DivergingNames => "names go different ways after a shared start",
            Reason::DifferentPlaces => "different places",
            Reason::DifferentPublicBodies => "different public bodies",
            Reason::DifferentIdentifiers => "different identifiers",
            Reason::DifferentLegalForms => "different legal forms",
            Reason::DifferentSchools => "schools of the same name in different places",
            Reason::Unanchored => "spelling matches without an exact word in common",
            Reason::InsertedWords => "one name has extra words inside or before the other",
            Reason::ExtraWords => "one name adds words at the end",
            Reason::DifferentWords => "each name has words the other lacks",
            Reason::Dissimilar => "dissimilar",
        }
    }
}

/// The verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// No word in common.
    Unrelated,
    /// Related but not linked; the similarity (0–1) is kept for review.
    Neutral(f32),
    /// Linked with this confidence (0–1).
    Link(f32),
    /// Kept apart.
    Conflict(Strength),
}

/// A verdict with its reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// Why.
    pub reason: Reason,
}

impl Judgement {
    fn new(verdict: Verdict, reason: Reason) -> Judgement {
        Judgement { verdict, reason }
    }

    /// The similarity behind the verdict (links and neutral pairs), else 0.
    pub fn score(&self) -> f32 {
        match self.verdict {
            Verdict::Link(s) | Verdict::Neutral(s) => s,
            _ => 0.0,
        }
    }
}

const NONE: u8 = u8::MAX;

/// Alignment of two forms.
struct Align {
    /// For each A token: index of the B token it matched (first of a run), or NONE.
    a: [u8; MAX_TOKS],
    /// For each B token: index of the A token it matched, or NONE.
    b: [u8; MAX_TOKS],
    /// Quality of the match of each A token (1 exact).
    qa: [f32; MAX_TOKS],
    qb: [f32; MAX_TOKS],
    matched_weight: f32,
    fuzzy_loss: f32,
    n: usize,
    m: usize,
}

fn is_subsequence(s: &[u8], l: &[u8]) -> bool {
    let mut it = l.iter();
    s.iter().all(|c| it.any(|x| x == c))
}

/// How well two different words may stand for one another (0 = not at all).
fn fuzzy(v: &Vocab, x: u32, y: u32, x_last: bool, y_last: bool) -> f32 {
    let (xs, ys) = (v.text[x as usize].as_bytes(), v.text[y as usize].as_bytes());
    let (s, l, s_last, sid, lid) = if xs.len() <= ys.len() {
        (xs, ys, x_last, x, y)
    } else {
        (ys, xs, y_last, y, x)
    };
    if s.is_empty() || s[0] != l[0] {
        return 0.0;
    }
    // Two places are two places, however alike (`Hart` / `Hartlepool`, `Brent` /
    // `Brentwood`: ONS districts of their own).
    // (`W_PLACE`: the class `C_PLACE` or a local authority's name, found when interned.)
    let place = |id: u32| v.facts[id as usize] & W_PLACE != 0;
    // (A plural is the same place: `Pennine` / `Pennines`; and a name cut at a field width
    // may end in the start of a place's name: `Great York…`.)
    if place(x) && place(y) && !s_last && !(l.len() == s.len() + 1 && l.ends_with(b"s")) {
        return 0.0;
    }
    if v.facts[sid as usize] & W_FUNCTION != 0 && !s_last {
        return 0.0;
    }
    let (fs, fl) = (v.freq(sid), v.freq(lid));
    // Two words both common in their own right are different words (`homes` / `holmes`).
    let both_common = fs >= 60 && fl >= 60;
    if (v.facts[sid as usize] | v.facts[lid as usize]) & W_DIGIT != 0 {
        return 0.0;
    }
    if l.starts_with(s) {
        let extra = l.len() - s.len();
        // Word forms: `Education` / `Educational`, `Service` / `Services`.
        if s.len() >= 5
            && matches!(
                &l[s.len()..],
                b"al"
                    | b"s"
                    | b"es"
                    | b"ing"
                    | b"ed"
                    | b"er"
                    | b"ers"
                    | b"ion"
                    | b"ions"
                    | b"ly"
                    | b"ic"
                    | b"ics"
                    | b"ional"
                    | b"ist"
                    | b"ists"
            )
        {
            return 0.85;
        }
        if s_last {
            // A name cut at a field width: `Hospita`, `Servic`, `Infrastr`, down to one
            // letter (`… Morecambe B`; a one-letter last word counts as cut only in a name
            // cut at a publisher's field width, see `align`).
            return match s.len() {
                1 => 0.5,
                2 | 3 => 0.6,
                _ => 0.85,
            };
        }
        // A compound is not an abbreviation: `River` / `Riverview`, `Land` / `Landform`
        // (the rest is a word of its own).
        // (Only a common second word counts: `unity` in `community` or `chester` in
        // `manchester` do not stop `Comm` or `Man.`.)
        let rest = std::str::from_utf8(&l[s.len()..]).unwrap_or("");
        let compound = rest.len() >= 4
            && crate::model::background()
                .df
                .get(rest)
                .is_some_and(|&d| d >= 150)
            && v.class[lid as usize] & crate::model::C_PLACE == 0;
        if s.len() >= 3 && extra >= 2 && !(both_common && extra < 3) && !compound {
            return 0.8;
        }
        return 0.0;
    }
    // Typos only in long words: short ones are too often other words (`Civil` / `Civic`,
    // `Rashid` / `Rashad`).
    if !both_common && s.len() >= 7 {
        let max = if s.len() >= 12 { 2 } else { 1 };
        let d = osa(s, l, max);
        // One letter changed in a word of fewer than 10 is too often another name
        // (`Newline` / `Newlife`, `Woodhey` / `Woodley`); a letter missing, added or
        // swapped is a typo (`Northen`, `Hosptial`).
        let substitution = d == 1
            && s.len() == l.len()
            && s.len() < 10
            && !s
                .windows(2)
                .zip(l.windows(2))
                .any(|(x, y)| x[0] == y[1] && x[1] == y[0] && x[0] != x[1]);
        if d <= max && !substitution {
            return if d == 1 { 0.85 } else { 0.75 };
        }
    }
    // Contractions: `infras'ture` = `infras…ture` (at least four letters kept before the
    // gap: `Bar…ton` is not `Barrington`).
    if s.len() >= 5 && l.len() >= s.len() + 2 {
        for k in 4..s.len() - 1 {
            if l.starts_with(&s[..k]) && l.ends_with(&s[k..]) {
                return 0.8;
            }
        }
    }
    // Abbreviations that drop letters: `svcs`, `mgmt`, `mcr`, `pymts`.
    let room = if both_common { 3 } else { 2 };
    // A word in its own right (`inn`, `can`) is an abbreviation only if it ends like the
    // long word (`mcr` = `manchester`).
    let word_like = fs >= 400 || (fs >= 150 && s.last() != l.last());
    // Abbreviations drop vowels: at most one after the first letter, and then the first two
    // letters agree; and they keep the last letter (`dept`, `govt`, `mgmt`, `mcr`; not
    // `pig` for `parking`, `cool` for `control`, nor the initials `crc` for `commercial`).
    let vowels = s[1..]
        .iter()
        .filter(|c| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u'))
        .count();
    let abbrev_like = vowels == 0 || (vowels == 1 && l.len() >= 2 && s[..2] == l[..2]);
    if s.len() >= 3
        && l.len() >= s.len() + room
        && l.len() <= 3 * s.len() + 2
        && !word_like
        && abbrev_like
        && s.last() == l.last()
        && is_subsequence(s, l)
    {
        return 0.75;
    }
    0.0
}

fn align(v: &Vocab, a: &FRec, b: &FRec) -> Align {
    let n = a.toks.len().min(MAX_TOKS);
    let m = b.toks.len().min(MAX_TOKS);
    let mut al = Align {
        a: [NONE; MAX_TOKS],
        b: [NONE; MAX_TOKS],
        qa: [0.0; MAX_TOKS],
        qb: [0.0; MAX_TOKS],
        matched_weight: 0.0,
        fuzzy_loss: 0.0,
        n,
        m,
    };
    let w = |t: u32| v.weight[t as usize];
    // 1. Exact, preferring the same order.
    let mut next_j = 0;
    for i in 0..n {
        let t = a.toks[i];
        let found = (next_j..m)
            .chain(0..next_j.min(m))
            .find(|&j| al.b[j] == NONE && b.toks[j] == t);
        if let Some(j) = found {
            al.a[i] = j as u8;
            al.b[j] = i as u8;
            al.qa[i] = 1.0;
            al.qb[j] = 1.0;
            al.matched_weight += w(t);
            next_j = j + 1;
        }
    }
    if al.a[..n].iter().all(|&x| x == NONE) && n > 0 && m > 0 {
        // Nothing exact: still try the other passes (a typo in a one-word name).
    }
    // 2. Joined words: `lexisnexis` = `lexis` + `nexis`.
    squash(v, a, b, &mut al, false);
    squash(v, b, a, &mut al, true);
    // 3. Spelling, abbreviation, truncation.
    for i in 0..n {
        if al.a[i] != NONE {
            continue;
        }
        let mut best = (0.0f32, NONE);
        for j in 0..m {
            if al.b[j] != NONE {
                continue;
            }
            // A last word may be cut short; a very short one only in a name cut at a field
            // width (`Production Light & Sou`, not `Kim Ho` for `Kim Holt`).
            let a_last = i + 1 == n && (a.truncated || v.text[a.toks[i] as usize].len() >= 4);
            let b_last = j + 1 == m && (b.truncated || v.text[b.toks[j] as usize].len() >= 4);
            let q = fuzzy(v, a.toks[i], b.toks[j], a_last, b_last);
            let better = q > best.0
                || (q > 0.0 && q == best.0 && i.abs_diff(j) < i.abs_diff(best.1 as usize));
            if better {
                best = (q, j as u8);
            }
        }
        if best.0 > 0.0 {
            let j = best.1 as usize;
            al.a[i] = j as u8;
            al.b[j] = i as u8;
            al.qa[i] = best.0;
            al.qb[j] = best.0;
            al.matched_weight += w(a.toks[i]).min(w(b.toks[j])) * best.0;
            al.fuzzy_loss += 1.0 - best.0;
        }
    }
    // 4. Initials: `pi` = `property infrastructure`, `nfp` = `northern fibre partnership`.
    initials(v, a, b, &mut al, false);
    initials(v, b, a, &mut al, true);
    al
}

/// Match single unmatched tokens of `x` to runs of 2–3 unmatched tokens of `y` that spell
/// them when joined.
fn squash(v: &Vocab, x: &FRec, y: &FRec, al: &mut Align, swapped: bool) {
    let (nx, ny) = if swapped { (al.m, al.n) } else { (al.n, al.m) };
    for i in 0..nx {
        let xi_free = if swapped { al.b[i] } else { al.a[i] } == NONE;
        if !xi_free {
            continue;
        }
        let xs = &*v.text[x.toks[i] as usize];
        if xs.len() < 6 {
            continue;
        }
        let xb = xs.as_bytes();
        'outer: for j in 0..ny {
            // Walk the run of free tokens from j while they spell a prefix of x.
            let mut at = 0;
            for k in 0..3 {
                let jj = j + k;
                if jj >= ny {
                    break;
                }
                let yfree = if swapped { al.a[jj] } else { al.b[jj] } == NONE;
                if !yfree {
                    break;
                }
                let t = v.text[y.toks[jj] as usize].as_bytes();
                if !xb[at..].starts_with(t) {
                    break;
                }
                at += t.len();
                if k >= 1 && at == xb.len() {
                    let wx = v.weight[x.toks[i] as usize];
                    let wy: f32 = (j..=jj).map(|q| v.weight[y.toks[q] as usize]).sum();
                    for q in j..=jj {
                        set_match(al, swapped, i, q, 0.95);
                    }
                    al.matched_weight += wx.min(wy) * 0.95;
                    al.fuzzy_loss += 0.05;
                    break 'outer;
                }
            }
        }
    }
}

fn set_match(al: &mut Align, swapped: bool, xi: usize, yj: usize, q: f32) {
    if swapped {
        al.b[xi] = yj as u8;
        al.qb[xi] = q;
        if al.a[yj] == NONE {
            al.a[yj] = xi as u8;
            al.qa[yj] = q;
        }
    } else {
        al.a[xi] = yj as u8;
        al.qa[xi] = q;
        if al.b[yj] == NONE {
            al.b[yj] = xi as u8;
            al.qb[yj] = q;
        }
    }
}

fn initials(v: &Vocab, x: &FRec, y: &FRec, al: &mut Align, swapped: bool) {
    let (nx, ny) = if swapped { (al.m, al.n) } else { (al.n, al.m) };
    let free = |al: &Align, k: usize, side_x: bool| {
        let arr = if side_x != swapped { &al.a } else { &al.b };
        arr[k] == NONE
    };
    // Quick exit: initials need two free tokens on the other side.
    if (0..ny).filter(|&k| free(al, k, false)).count() < 2 {
        return;
    }
    for i in 0..nx {
        if !free(al, i, true) {
            continue;
        }
        // (2–6 ASCII letters.)
        if v.facts[x.toks[i] as usize] & W_ACRONYM == 0 {
            continue;
        }
        let xs = v.text[x.toks[i] as usize].as_bytes();
        'start: for j in 0..ny {
            // Spell x from the initials of the free run starting at j.
            let mut at = 0;
            let mut q = j;
            while q < ny && free(al, q, false) && at < xs.len() {
                let t = v.text[y.toks[q] as usize].as_bytes();
                let part: &[u8] = if y.initialism(q) {
                    t
                } else {
                    &t[..t.len().min(1)]
                };
                if !xs[at..].starts_with(part) {
                    continue 'start;
                }
                at += part.len();
                q += 1;
                if at == xs.len() && q - j >= 2 {
                    for r in j..q {
                        set_match(al, swapped, i, r, 0.6);
                    }
                    let wx = v.weight[x.toks[i] as usize];
                    let wy: f32 = (j..q).map(|r| v.weight[y.toks[r] as usize]).sum();
                    al.matched_weight += wx.min(wy) * 0.6;
                    al.fuzzy_loss += 0.4;
                    break 'start;
                }
            }
        }
    }
}

/// Word positions of one form (at most [`MAX_TOKS`]), kept on the stack: this runs for
/// every candidate pair (issue 18).
#[derive(Clone, Copy)]
struct Idx {
    at: [usize; MAX_TOKS],
    len: usize,
}

impl Idx {
    const EMPTY: Idx = Idx {
        at: [0; MAX_TOKS],
        len: 0,
    };

    fn push(&mut self, i: usize) {
        self.at[self.len] = i;
        self.len += 1;
    }

    fn remove_first(&mut self) {
        self.at.copy_within(1..self.len, 0);
        self.len -= 1;
    }
}

impl std::ops::Deref for Idx {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.at[..self.len]
    }
}

/// Positions of unmatched tokens of one side relative to its matched ones.
struct Leftover {
    lead: Idx,
    mid: Idx,
    tail: Idx,
}

fn leftover(matched: &[u8], len: usize) -> Leftover {
    let first = (0..len).find(|&i| matched[i] != NONE);
    let last = (0..len).rev().find(|&i| matched[i] != NONE);
    let mut lo = Leftover {
        lead: Idx::EMPTY,
        mid: Idx::EMPTY,
        tail: Idx::EMPTY,
    };
    let (Some(f), Some(l)) = (first, last) else {
        return lo;
    };
    for (i, &mk) in matched.iter().enumerate().take(len) {
        if mk != NONE {
            continue;
        }
        if i < f {
            lo.lead.push(i);
        } else if i > l {
            lo.tail.push(i);
        } else {
            lo.mid.push(i);
        }
    }
    lo
}

/// What the two names are, for rules that depend on it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The shorter name names a public body, hospital, university or school: a `Charity`
    /// appended to it is another body.
    pub public_like: bool,
}

/// Compare two forms.
pub fn compare_forms(v: &Vocab, a: &FRec, b: &FRec, ctx: Context) -> Judgement {
    if a.toks.is_empty() || b.toks.is_empty() {
        return Judgement::new(Verdict::Unrelated, Reason::Dissimilar);
    }
    let al = align(v, a, b);
    let n = al.n;
    let m = al.m;
    let matched_a = (0..n).filter(|&i| al.a[i] != NONE).count();
    if matched_a == 0 {
        return Judgement::new(Verdict::Unrelated, Reason::Dissimilar);
    }
    let w = |t: u32| v.weight[t as usize];
    // A hospital trust named after a university (`X University Hospitals NHS Trust`,
    // `University Hospitals of X`) is not the university (`University of X`), whatever
    // order the words come in: an NHS form or `Hospital` on one side only, with
    // `University` on both, is two bodies (NHS Digital's ODS lists such trusts as NHS
    // bodies; the universities are higher education corporations or chartered bodies).
    // (The words `hospital`, `nhs` and `university` are word facts, `W_*`.)
    let has = |f: &FRec, fact: u16| f.toks.iter().any(|&t| v.facts[t as usize] & fact != 0);
    let hospital = |f: &FRec| {
        has(f, W_HOSPITAL)
            || f.dropped
                .is_some_and(|d| v.facts[d as usize] & W_HOSPITAL != 0)
            || (f.truncated
                && f.toks.last().is_some_and(|&t| {
                    let x = &*v.text[t as usize];
                    x.len() >= 2 && "hospital".starts_with(x)
                }))
    };
    let health = |f: &FRec| f.lf == Some(LegalForm::Nhs) || has(f, W_NHS) || hospital(f);
    let (ha, hb) = (health(a), health(b));
    // (Unless the other name was cut at a field width, which may have taken the form away:
    // `… Partnership University` is the start of `… Partnership University NHS FT`.)
    if has(a, W_UNIVERSITY)
        && has(b, W_UNIVERSITY)
        && ha != hb
        && !(if ha { b.truncated } else { a.truncated })
    {
        return Judgement::new(Verdict::Conflict(Strength::Hard), Reason::OrganisationWord);
    }
    let la = leftover(&al.a, n);
    let lb = leftover(&al.b, m);
    let a_done = la.lead.is_empty() && la.mid.is_empty() && la.tail.is_empty();
    let b_done = lb.lead.is_empty() && lb.mid.is_empty() && lb.tail.is_empty();
    let mw = al.matched_weight;
    // The shared part must identify something before leftovers can be a conflict:
    // sharing only `UK` or `North` says nothing.
    let shared_id: f32 = (0..n)
        .filter(|&i| al.a[i] != NONE && v.class[a.toks[i] as usize] & C_QUAL == 0)
        .map(|i| w(a.toks[i]) * al.qa[i])
        .sum();
    let sharing = shared_id >= 3.0;
    // Spelling and abbreviation matches need an exact word beside them: `Experian` /
    // `Expedia` or `Martin` / `Marten` alone are different names. A one-word acronym of
    // the whole other name (`EE` = `Everything Everywhere`) stands on its own.
    let exact_w: f32 = (0..n)
        .filter(|&i| al.a[i] != NONE && al.qa[i] >= 0.95)
        .map(|i| w(a.toks[i]))
        .sum();
    let whole_acronym = (n == 1 && m >= 2 && (0..m).all(|j| al.b[j] == 0))
        || (m == 1 && n >= 2 && (0..n).all(|i| al.a[i] == 0));
    let anchored = exact_w >= 6.0 || whole_acronym || (al.fuzzy_loss == 0.0);
    let lf_both = a.lf.is_some() && b.lf.is_some();
    let lf_clash = match (a.lf, b.lf) {
        (Some(x), Some(y)) => !LegalForm::compatible(x, y),
        _ => false,
    };
    let in_order = {
        let mut last = -1i32;
        let mut ok = true;
        for i in 0..n {
            if al.a[i] != NONE {
                let j = al.a[i] as i32;
                if j < last {
                    ok = false;
                }
                last = j;
            }
        }
        ok
    };
    if a_done && b_done {
        if lf_clash {
            return Judgement::new(
                Verdict::Conflict(Strength::Soft),
                Reason::DifferentLegalForms,
            );
        }
        let mut s = 1.0 - 0.25 * al.fuzzy_loss.min(1.2);
        if !in_order {
            // Word order changes with a place (`Exeter University` / `University of Exeter`)
            // or a bracket (`NFP (Northern Fibre Partnership)`); other reorderings of
            // common words are other names (`Cafe at the Rivers` / `The River Cafe`).
            let placed = (0..n).any(|i| v.class[a.toks[i] as usize] & C_PLACE != 0)
                || a.flags
                    .iter()
                    .chain(&b.flags)
                    .any(|f| f & crate::parse::F_BRACKET != 0);
            if !placed {
                return Judgement::new(Verdict::Neutral(0.7), Reason::SameWordsFuzzy);
            }
            s -= 0.03;
        }
        if matches!((a.lf, b.lf), (Some(x), Some(y)) if x != y) {
            s -= 0.05;
        }
        // Very generic names (`Care Services`) are weaker evidence even when equal.
        if mw < 5.0 {
            s -= 0.08;
        }
        let reason = if al.fuzzy_loss > 0.0 || !in_order {
            Reason::SameWordsFuzzy
        } else {
            Reason::SameWords
        };
        if !anchored {
            return Judgement::new(Verdict::Neutral(s.min(0.7)), Reason::Unanchored);
        }
        return Judgement::new(Verdict::Link(s.clamp(0.0, 1.0)), reason);
    }
    // Words in another order only with a place or a bracket (see the equal case above).
    let placed = (0..n).any(|i| v.class[a.toks[i] as usize] & C_PLACE != 0)
        || (0..m).any(|j| v.class[b.toks[j] as usize] & C_PLACE != 0)
        || a.flags
            .iter()
            .chain(&b.flags)
            .any(|f| f & crate::parse::F_BRACKET != 0);
    if (a_done || b_done) && !in_order && !placed {
        return Judgement::new(Verdict::Neutral(0.6), Reason::DifferentWords);
    }
    if a_done || b_done {
        // Containment: S is all matched, L has leftovers.
        let (s, l, ll) = if a_done { (a, b, &lb) } else { (b, a, &la) };
        let class = |i: usize| v.class[l.toks[i] as usize];
        if !ll.lead.is_empty() || !ll.mid.is_empty() {
            let ins = ll.lead.iter().chain(ll.mid.iter());
            let ins_w: f32 = ins
                .clone()
                .filter(|&&i| class(i) & C_QUAL == 0)
                .map(|&i| w(l.toks[i]))
                .sum();
            let rest_w: f32 = ll.tail.iter().map(|&i| w(l.toks[i])).sum();
            let score = (mw / (mw + ins_w + 0.5 * rest_w)).min(0.7);
            if sharing && ins_w >= 3.0 && (lf_both || ins.clone().any(|&i| class(i) & C_ORG != 0)) {
                return Judgement::new(
                    Verdict::Conflict(Strength::Soft),
                    Reason::DifferentRegisteredNames,
                );
            }
            return Judgement::new(Verdict::Neutral(score), Reason::InsertedWords);
        }
        // Only a tail.
        let mut tail = ll.tail;
        // The short name dropped an optional word that the long one keeps:
        // `Royal Devon Hospital` vs `… Hospital Charity`.
        // (Or a name cut at a field width inside that word: `… Teaching Hos`.)
        let mut dropped_found = false;
        if let (Some(d), Some(&t0)) = (s.dropped, tail.first()) {
            let x = &*v.text[l.toks[t0] as usize];
            let cut =
                l.truncated && tail.len() == 1 && x.len() >= 2 && v.text[d as usize].starts_with(x);
            if l.toks[t0] == d || cut {
                tail.remove_first();
                dropped_found = true;
            }
        }
        // The short name dropped an optional word the long one lacks: it has a word of its
        // own, so it is not contained (`Forest Hospital` / `Forest of Bradford CIC`).
        if s.dropped.is_some() && !dropped_found && !tail.is_empty() && l.dropped != s.dropped {
            return Judgement::new(Verdict::Neutral(0.6), Reason::DifferentWords);
        }
        if tail.is_empty() {
            return if anchored {
                Judgement::new(Verdict::Link(0.9), Reason::QualifiedTail)
            } else {
                Judgement::new(Verdict::Neutral(0.7), Reason::Unanchored)
            };
        }
        // Words in another order and a word more: another body named after the same
        // words (`Transport for London` / `London Transport Museum`), not a branch.
        if !in_order && tail.iter().any(|&i| class(i) & C_QUAL == 0) {
            return Judgement::new(Verdict::Neutral(0.6), Reason::DifferentWords);
        }
        let text = |i: usize| &*v.text[l.toks[i] as usize];
        // A tail that continues the short name's last word (`Housing` → `Association`).
        // (The long name's own word before the tail, so a cut-short `Universi` counts.)
        let before = if tail[0] > 0 { text(tail[0] - 1) } else { "" };
        let cont = words::compound(before, text(tail[0]));
        let org_from = usize::from(cont);
        // A site: two or more words ending in `Court`, `Lodge`, `House`…
        let site =
            tail.len() >= 2 && s.toks.len() >= 2 && class(*tail.last().unwrap_or(&0)) & C_SITE != 0;
        // A hyphen marks a suffix (`Harlow Construction-Northern`) only after a name of two
        // words or more: after one word it makes a compound name (`Lock-Tec`, `Able-to-Enable`).
        let marked = site
            || (l.flags[tail[0]] & crate::parse::F_SPLIT != 0 && s.toks.len() >= 2)
            || tail
                .iter()
                .all(|&i| l.flags[i] & crate::parse::F_BRACKET != 0);
        // (A police authority, before 2012, governed a force and was not it: Police Reform
        // and Social Responsibility Act 2011.)
        let org = tail[org_from..].iter().any(|&i| {
            let c = class(i);
            c & C_ORG != 0
                || (c & C_CHARITY != 0 && ctx.public_like)
                || (text(i) == "authority" && i > 0 && text(i - 1) == "police")
        });
        let strong_org = tail[org_from..].iter().any(|&i| {
            (words::is_new_body_word(text(i)) && !words::is_charity_word(text(i)))
                || text(i) == "charitable"
                || (class(i) & C_CHARITY != 0 && ctx.public_like)
        });
        if (strong_org || (org && !marked)) && sharing {
            return Judgement::new(Verdict::Conflict(Strength::Hard), Reason::OrganisationWord);
        }
        let qual_only = tail.iter().all(|&i| class(i) & C_QUAL != 0);
        let tail_w: f32 = tail
            .iter()
            .map(|&i| {
                let c = class(i);
                if c & (C_ACCOUNT | C_NUM) != 0 {
                    0.1 * w(l.toks[i])
                } else if c & (C_REGION | C_PLACE) != 0 {
                    0.25 * w(l.toks[i])
                } else {
                    w(l.toks[i])
                }
            })
            .sum();
        let weighted = mw / (mw + 0.5 * tail_w);
        // A short name must identify something on its own before a tail can join it: not a
        // generic (`Care Services`, `University College`), not a place alone (`Pudsey`,
        // `Leeds and Bradford`); a one-word name must be a rare word (`Tesco`, `Barnardo`,
        // not `Lock` or `Able`); and an NHS trust's name with more words is another body
        // (`Imperial College NHS Trust` / `Imperial College London`).
        let mw_id: f32 = s
            .toks
            .iter()
            .filter(|&&t| v.class[t as usize] & (C_ORG | C_QUAL) == 0)
            .map(|&t| w(t))
            .sum();
        let all_place = s.toks.iter().all(|&t| v.class[t as usize] & C_PLACE != 0);
        // (Rare: at least the weight learned from the names, `crate::calibrate`.)
        let single_common = s.toks.len() == 1
            && (w(s.toks[0]) < crate::calibrate::thresholds().rare_word
                || v.text[s.toks[0] as usize].len() < 4);
        // (Nor is a shorter name an NHS trust's with words missing: `Heart` / `Heart of
        // England NHS FT`.)
        // (A name cut at a field width lost its form with its last words.)
        let nhs_short =
            (s.lf == Some(LegalForm::Nhs)) != (l.lf == Some(LegalForm::Nhs)) && !s.truncated;
        let weak_short =
            mw < 6.0 || mw_id < 4.5 || !anchored || all_place || single_common || nhs_short;
        if s.lf.is_some() && l.lf.is_some() {
            return if sharing {
                Judgement::new(
                    Verdict::Conflict(Strength::Soft),
                    Reason::DifferentRegisteredNames,
                )
            } else {
                Judgement::new(Verdict::Neutral(weighted.min(0.6)), Reason::ExtraWords)
            };
        }
        if l.lf.is_some() {
            // `Harlow Construction` vs `Harlow Construction Scotland Ltd`.
            if weak_short {
                return Judgement::new(Verdict::Neutral(weighted.min(0.7)), Reason::ExtraWords);
            }
            if qual_only {
                return Judgement::new(Verdict::Link(0.75), Reason::QualifiedTail);
            }
            if s.toks.len() == 1 {
                return Judgement::new(Verdict::Neutral(weighted.min(0.7)), Reason::ExtraWords);
            }
            if s.truncated || cont {
                return Judgement::new(Verdict::Link(0.8), Reason::Truncation);
            }
            if qual_only && mw >= 6.0 {
                return Judgement::new(Verdict::Link(0.75), Reason::QualifiedTail);
            }
            return Judgement::new(Verdict::Neutral(weighted.min(0.7)), Reason::ExtraWords);
        }
        if weak_short {
            return Judgement::new(Verdict::Neutral(weighted.min(0.7)), Reason::ExtraWords);
        }
        if marked || qual_only {
            let sc = 0.9 - 0.2 * al.fuzzy_loss.min(1.0);
            return Judgement::new(Verdict::Link(sc.max(0.0)), Reason::QualifiedTail);
        }
        // A one-word name (a brand) takes account numbers, regions and marked suffixes, not
        // other words (`Krystal` / `Krystal Cheung`).
        if s.toks.len() == 1 {
            return Judgement::new(Verdict::Neutral(weighted.min(0.7)), Reason::ExtraWords);
        }
        if s.truncated || cont {
            return Judgement::new(Verdict::Link(0.85), Reason::Truncation);
        }
        let sc = weighted - 0.2 * al.fuzzy_loss.min(1.0);
        if sc >= LINK {
            return Judgement::new(Verdict::Link(sc), Reason::WeightedTail);
        }
        return Judgement::new(Verdict::Neutral(sc), Reason::ExtraWords);
    }
    // Both sides have leftovers.
    let ca = |i: usize| v.class[a.toks[i] as usize];
    let cb = |j: usize| v.class[b.toks[j] as usize];
    let un_w_a: f32 = (0..n)
        .filter(|&i| al.a[i] == NONE)
        .map(|i| w(a.toks[i]))
        .sum();
    let un_w_b: f32 = (0..m)
        .filter(|&j| al.b[j] == NONE)
        .map(|j| w(b.toks[j]))
        .sum();
    let score = mw / (mw + 0.5 * (un_w_a + un_w_b));
    let only_tails =
        la.lead.is_empty() && la.mid.is_empty() && lb.lead.is_empty() && lb.mid.is_empty();
    if !sharing {
        return Judgement::new(Verdict::Neutral(score), Reason::DifferentWords);
    }
    // Places left over on both sides (`Age UK Barnet` / `Age UK Enfield`), or a place on one
    // and the whole country on the other (`Fieldwork Yorkshire` / `Fieldwork UK`). Two
    // compass words together (`North East`) name a region, i.e. a place.
    let place = |f: &FRec, matched: &[u8], len: usize| {
        let un = (0..len).filter(|&i| matched[i] == NONE);
        let c = |i: usize| v.class[f.toks[i] as usize];
        let facts = |i: usize| v.facts[f.toks[i] as usize];
        let places = un.clone().any(|i| c(i) & C_PLACE != 0)
            || un.clone().filter(|&i| facts(i) & W_DIRECTION != 0).count() >= 2;
        let national = un.clone().any(|i| facts(i) & W_NATIONAL != 0);
        (places, national)
    };
    let (place_a, nat_a) = place(a, &al.a, n);
    let (place_b, nat_b) = place(b, &al.b, m);
    if (place_a && (place_b || nat_b)) || (place_b && nat_a) {
        return Judgement::new(Verdict::Conflict(Strength::Soft), Reason::DifferentPlaces);
    }
    let distinct = |f: &FRec, idx: &[usize], cls: &dyn Fn(usize) -> u8| {
        idx.iter()
            .any(|&i| cls(i) & C_QUAL == 0 && w(f.toks[i]) >= 3.0 && !f.marked(i))
    };
    // Two abbreviations of one word (`Svs` / `Serv`) start with the same letter: only
    // leftovers that start differently are a sign of two different names.
    let initials_differ = |xa: &[usize], xb: &[usize]| {
        let first = |f: &FRec, i: usize| v.text[f.toks[i] as usize].as_bytes()[0];
        xa.iter()
            .all(|&i| xb.iter().all(|&j| first(a, i) != first(b, j)))
    };
    if only_tails {
        let da = distinct(a, &la.tail, &ca);
        let db = distinct(b, &lb.tail, &cb);
        if da && db && initials_differ(&la.tail, &lb.tail) {
            return Judgement::new(Verdict::Conflict(Strength::Soft), Reason::DivergingNames);
        }
        return Judgement::new(Verdict::Neutral(score), Reason::DifferentWords);
    }
    if lf_both {
        return Judgement::new(
            Verdict::Conflict(Strength::Soft),
            Reason::DifferentRegisteredNames,
        );
    }
    // `Exeter Mind` / `Barnet Mind`, `Exeter Citizens Advice` / `Citizens Advice Enfield`.
    let (lead_a, lead_b) = (&la.lead, &lb.lead);
    if distinct(a, lead_a, &ca) && (distinct(b, lead_b, &cb) || distinct(b, &lb.tail, &cb)) {
        return Judgement::new(Verdict::Conflict(Strength::Soft), Reason::DivergingNames);
    }
    if distinct(b, lead_b, &cb) && distinct(a, &la.tail, &ca) {
        return Judgement::new(Verdict::Conflict(Strength::Soft), Reason::DivergingNames);
    }
    Judgement::new(Verdict::Neutral(score), Reason::DifferentWords)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FRec, Vocab};
    use crate::parse::parse;

    fn judge(x: &str, y: &str) -> Judgement {
        let mut v = Vocab::default();
        let a = FRec::from_form(&parse(x).main, &mut v);
        let b = FRec::from_form(&parse(y).main, &mut v);
        v.reweigh();
        compare_forms(&v, &a, &b, Context::default())
    }

    fn links(x: &str, y: &str) -> bool {
        matches!(judge(x, y).verdict, Verdict::Link(s) if s >= LINK)
    }

    fn conflicts(x: &str, y: &str) -> bool {
        matches!(judge(x, y).verdict, Verdict::Conflict(_))
    }

    #[test]
    fn osa_distance() {
        assert_eq!(osa(b"hospital", b"hosptial", 2), 1);
        assert_eq!(osa(b"northern", b"northen", 2), 1);
        assert_eq!(osa(b"regeneration", b"regeneneration", 2), 2);
    }

    #[test]
    fn same_supplier() {
        assert!(links("CORBEL LG LTD", "Corbel LG Limited"));
        assert!(links(
            "Ravensworth Property & Infrastructure Ltd",
            "Ravensworth Property & Infrastr Ltd"
        ));
        assert!(links(
            "Ravensworth Property & Infrastructure Ltd",
            "Ravensworth P And I Ltd"
        ));
        assert!(links(
            "Ravensworth Business Services Ltd",
            "Ravensworth Bus Svs-Moto"
        ));
        assert!(links(
            "Harlow Ridge Construction",
            "Harlow Ridge Construction-Northen"
        ));
        assert!(links(
            "Elm Hollow Foster Care Ltd",
            "ELM HOLLOW FOSTERCARE LTD"
        ));
        assert!(links(
            "BRACKENFIELD CARE LIMITED",
            "BRACKENFIELD CARE LIMITED (ROWAN HOUSE)"
        ));
        assert!(links("Harbour Trust", "HARBOUR TRUST-ELM TREE CARE HOME"));
        assert!(links("University of Exeter", "Exeter University"));
        assert!(links("Hollingworth's", "Hollingworth's North East"));
        assert!(links(
            "Hartside Regeneration Ltd",
            "Hartside Regeneneration Limited"
        ));
        // NHS trust forms, and a department after the trust's name.
        assert!(links(
            "Norfolk and Norwich Hospitals NHS Foundation Trust",
            "NORFOLK & NORWICH HOSPITALS NHS FT"
        ));
        assert!(links(
            "Norfolk and Norwich Hospitals NHS Trust",
            "Norfolk and Norwich Hospitals NHS Foundation Trust Pharmacy Dept"
        ));
    }

    #[test]
    fn different_suppliers() {
        assert!(conflicts(
            "Ravensworth Resourcing Ltd",
            "Ravensworth Business Services Ltd"
        ));
        assert!(conflicts("Age Uk Barnet", "Age Uk Barnet Enterprises"));
        assert!(conflicts(
            "Exeter University",
            "Exeter University Students Union"
        ));
        assert!(conflicts("Corbel Rail Ltd", "Corbel Rail Projects Ltd"));
        assert!(conflicts("Age Uk Barnet", "Age Uk Enfield"));
        assert!(conflicts("HOLMEWOOD-OVAL LIMITED", "HOLMEWOOD LIMITED"));
        assert!(conflicts("Hollingworth's", "Hollingworth Services Ltd"));
        assert!(!links("Fill the Gap", "We Fill the Gap"));
        assert!(!links("Harlow Services Ltd", "Harlow Business Services"));
        // A hospital trust named after a university is not the university, in any order.
        assert!(conflicts(
            "University of Exeter",
            "Exeter University Hospitals NHS FT"
        ));
        assert!(conflicts(
            "Exeter University",
            "University Hospitals of Exeter NHS Trust"
        ));
        assert!(!links(
            "University of Exeter",
            "University Hospitals of Exeter"
        ));
        assert!(conflicts(
            "University of Exeter",
            "Exeter University NHS FT"
        ));
        // The trust's charity is not the trust.
        assert!(!links(
            "Norfolk Teaching Hospitals NHS Trust",
            "Norfolk Teaching Hospitals NHS Trust Charitable Fund"
        ));
    }
}
