//! Reading one supplier name into its parts: the registered name that identifies the
//! payee, its legal form, a trading name, and the ledger noise around them.
//!
//! ```text
//! "BRAMLEY SYSTEMS LTD T/A QUILLPOINT SOFTWARE SERVICES"
//!     main   = bramley system              (legal form ltd, ends the registered name)
//!     alias  = quillpoint software service (the trading name)
//! "BRACKENFIELD CARE LIMITED (ROWAN HOUSE)"  main = brackenfield care, ltd;
//!                                            qualifier = rowan house (a home)
//! "Paypal *westmoor Mind"                    main = westmoor mind (the card processor
//!                                            prefix dropped)
//! "Westmoor Housing Association (Rent)"      main = westmoor housing association;
//!                                            qualifier rent
//! "Corbel Highways Lighting (Wigan)"         main = corbel highway lighting [wigan]
//!                                            (a trailing bracket without a legal form is
//!                                            kept, marked, because it may be part of the
//!                                            name)
//! ```
//!
//! The tokens of a [`Form`] are lower-case, stemmed (`services` → `service`), without
//! stopwords (`the`, `and`, `of`…), with single letters joined (`H M` → `hm`, `M.B.C.` →
//! `mbc`) and a few spelling variants made one ([`crate::words::canonical_word`]).

use serde::Serialize;

use crate::public::{detect_council, detect_national, PublicKey};
use crate::text::{clean, lex, Lex};
use crate::words::{self, LegalForm};

/// Token flag: the token is an initialism made of joined single letters (`hm`, `pi`).
pub const F_INIT: u8 = 1;
/// Token flag: the token came from a trailing bracket with no legal form before it.
pub const F_BRACKET: u8 = 2;
/// Token flag: a hyphen or comma came right before the token (`TRUST-ASHCROFT`).
pub const F_SPLIT: u8 = 4;

/// One normalised word of a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tok {
    /// The normalised word.
    pub s: Box<str>,
    /// `F_*` flags.
    pub f: u8,
}

impl Tok {
    fn new(s: &str, f: u8) -> Tok {
        Tok { s: s.into(), f }
    }
}

/// One name form: the words that identify the body, and its legal form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Form {
    /// Normalised key tokens, in order.
    pub toks: Vec<Tok>,
    /// The legal form that ended the registered name, when the name has one.
    pub lf: Option<LegalForm>,
    /// The name looks cut short by a fixed-width field (ends with `and`, or a legal form
    /// cut short).
    pub truncated: bool,
    /// An optional last word that was dropped from the key (`group`, `hospital`).
    pub dropped: Option<&'static str>,
}

impl Form {
    /// The key tokens joined by spaces.
    pub fn key(&self) -> String {
        let mut s = String::new();
        for (i, t) in self.toks.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&t.s);
        }
        s
    }

    /// The key tokens run together (`lexisnexis`), to compare names split differently.
    pub fn squashed(&self) -> String {
        self.toks.iter().map(|t| &*t.s).collect()
    }
}

/// Hint flags: what a name's words say about the kind of body.
pub mod hint {
    /// `hospital`, or an NHS legal form.
    pub const HOSPITAL: u16 = 1;
    /// `university`.
    pub const UNIVERSITY: u16 = 2;
    /// A school or academy (`primary`, `school`, `academy`, `infant`, `junior`).
    pub const SCHOOL: u16 = 4;
    /// A recognised council or national body.
    pub const PUBLIC: u16 = 8;
    /// `charity`, `charitable`.
    pub const CHARITY: u16 = 16;
    /// A person: a title (`Mr`), or initials and a surname.
    pub const PERSON: u16 = 32;
    /// `police`, `constabulary`.
    pub const POLICE: u16 = 64;
    /// `fire` and `rescue`.
    pub const FIRE: u16 = 128;
    /// `college`.
    pub const COLLEGE: u16 = 256;
    /// `housing association`, `homes` with `housing`.
    pub const HOUSING: u16 = 512;
    /// `co-operative`, `cooperative`, `community benefit society`.
    pub const COOP: u16 = 1024;
    /// A card-merchant or processor descriptor was removed (`PAYPAL *`).
    pub const CARD: u16 = 2048;
    /// `trust` (a charitable trust, or an academy trust with `school`).
    pub const TRUST: u16 = 4096;
    /// `nhs` seen anywhere.
    pub const NHS: u16 = 8192;
    /// The name is a redaction marker (`REDACTED - PERSONAL DATA`).
    pub const REDACTED: u16 = 16384;
}

/// A supplier name read into its parts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Parsed {
    /// The name that identifies the payee.
    pub main: Form,
    /// A trading name (`T/A …`) or a registered name given in brackets
    /// (`QUILLPOINT (BRAMLEY PUBLISHING UK LTD)`).
    pub alias: Option<Form>,
    /// The alias is a registered name in brackets, not a trading name.
    pub alias_registered: bool,
    /// The alias is the initials of the name, given in brackets (`(EE)`, `(ISP)`).
    pub alias_acronym: bool,
    /// Words that only qualify the payment (home, account, purpose, reference).
    pub qualifier: Vec<String>,
    /// A recognised council or national body.
    pub public: Option<PublicKey>,
    /// `hint::*` flags.
    pub hints: u16,
}

impl Parsed {
    /// Whether the name has any key token.
    pub fn is_empty(&self) -> bool {
        self.main.toks.is_empty() && self.public.is_none()
    }
}

/// Raw word with flags and bracket group (0 = none) before normalisation.
#[derive(Debug, Clone)]
struct W {
    s: String,
    f: u8,
    group: u32,
}

/// Widths at which publishers cut supplier names (Leeds card data 22; Trafford, Bradford,
/// Salford 35; Sheffield 40).
const CUT_WIDTHS: [usize; 5] = [22, 25, 30, 35, 40];

/// Parse a raw supplier name.
pub fn parse(raw: &str) -> Parsed {
    let cleaned = clean(raw);
    let mut lx = lex(&cleaned);
    let mut hints = 0u16;
    // Card descriptors: `PAYPAL *SHOP`, `SP * SHOP`, `AMZ*SELLER` put the processor first
    // and the merchant after the star; `AMAZON.CO.UK*MI15876C4`, `LINKEDIN-316*4281163`
    // put the merchant first and a reference after it. What follows the star decides: a
    // word (three letters or more, no digits) is a merchant; only codes are a reference.
    if let Some(star) = lx.iter().position(|l| *l == Lex::Star) {
        let pre_words = lx[..star]
            .iter()
            .filter(|l| matches!(l, Lex::Word(_)))
            .count();
        let merchant_after = lx[star + 1..].iter().any(|l| {
            matches!(l, Lex::Word(w) if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        });
        let processor = match &lx[..star] {
            [Lex::Word(w)] => w.len() <= 2 || words::is_processor(w),
            [] => true,
            _ => false,
        };
        let any_after = lx[star + 1..].iter().any(|l| matches!(l, Lex::Word(_)));
        if (merchant_after && pre_words <= 2) || (processor && any_after) {
            lx.drain(..=star);
            hints |= hint::CARD;
        }
    }
    // Trading name.
    let (main_lx, alias_lx) = match lx.iter().position(|l| *l == Lex::TradingAs) {
        Some(p) => {
            let a = lx[p + 1..].to_vec();
            let mut m = lx;
            m.truncate(p);
            (m, Some(a))
        }
        None => (lx, None),
    };
    let main_has_word = main_lx.iter().any(|l| matches!(l, Lex::Word(_)));
    let (main_lx, alias_lx) = match alias_lx {
        Some(a) if !main_has_word => (a, None),
        other => (main_lx, other),
    };
    let mut qualifier = Vec::new();
    let m = form_of(&main_lx, &mut qualifier);
    let mut alias = alias_lx
        .map(|a| form_of(&a, &mut qualifier))
        .and_then(|p| (!p.form.toks.is_empty()).then_some(p.form));
    let mut alias_registered = false;
    let mut alias_acronym = false;
    if alias.is_none() {
        alias_registered = m.bracket_alias.is_some();
        alias_acronym = m.bracket_alias.as_ref().is_some_and(|a| a.lf.is_none());
        alias = m.bracket_alias;
    }
    let mut main = m.form;
    hints |= m.hints;
    // A name withheld as personal data says nothing about who was paid.
    if is_redaction(&main) {
        // `Redacted Personal Information T/A Beresford Travel`: the trading name remains.
        main = alias.take().unwrap_or_default();
        hints |= hint::PERSON | hint::REDACTED;
    }
    // Public bodies.
    let raw_words: Vec<&str> = m.words.iter().map(|s| s.as_str()).collect();
    let mut public = None;
    if let Some((place, _)) = detect_council(&raw_words) {
        public = Some(PublicKey::Council(place));
    } else if !matches!(
        main.lf,
        Some(
            LegalForm::Ltd | LegalForm::Plc | LegalForm::Llp | LegalForm::Cic | LegalForm::Overseas
        )
    ) {
        // (A company is never a government body: `DFE UK LTD` is not the DfE.)
        let toks: Vec<&str> = main.toks.iter().map(|t| &*t.s).collect();
        if let Some((n, _)) = detect_national(&toks) {
            public = Some(PublicKey::National(n.key));
        }
    }
    if public.is_some() {
        hints |= hint::PUBLIC;
    }
    // A name cut at a publisher's field width is likely truncated, unless it ends cleanly.
    let width = raw.trim().chars().count();
    if CUT_WIDTHS.contains(&width)
        && main.lf.is_none()
        && qualifier.is_empty()
        && alias.is_none()
        && !raw.trim_end().ends_with(')')
    {
        main.truncated = true;
        // Cut inside `NHS`: `… MENTAL HEALTH NH`, `… COMMUNITY SERVICES N`.
        if main.toks.len() >= 3
            && main
                .toks
                .last()
                .is_some_and(|t| matches!(&*t.s, "n" | "nh"))
        {
            main.toks.pop();
            main.lf = Some(LegalForm::Nhs);
            hints |= hint::HOSPITAL | hint::NHS;
        }
    }
    Parsed {
        main,
        alias,
        alias_registered,
        alias_acronym,
        qualifier,
        public,
        hints,
    }
}

/// Words of the markers publishers put in place of a name withheld as personal data,
/// including their misspellings (`REDACED`, `REDCATED`).
fn is_redaction(f: &Form) -> bool {
    let toks: Vec<&str> = f.toks.iter().map(|t| &*t.s).collect();
    let redact = |w: &str| {
        w.starts_with("redact")
            || w.starts_with("redac")
            || w.starts_with("redca")
            || w.starts_with("reddact")
            || w == "withheld"
    };
    match toks.as_slice() {
        [] => false,
        [a] => redact(a) || matches!(*a, "personal" | "confidential" | "individual" | "private"),
        _ => {
            toks.iter().any(|w| redact(w))
                || toks.windows(2).any(|p| {
                    p[0] == "personal"
                        && matches!(p[1], "data" | "datum" | "information" | "detail")
                })
        }
    }
}

struct FormParse {
    form: Form,
    bracket_alias: Option<Form>,
    /// Cleaned words of the name part (before stopwords), for council detection.
    words: Vec<String>,
    hints: u16,
}

/// Read one part of a name (the part before or after `T/A`) into a [`Form`].
fn form_of(lx: &[Lex], qualifier: &mut Vec<String>) -> FormParse {
    // 1. Collect words up to the first separator that starts a payment purpose.
    let mut ws: Vec<W> = Vec::new();
    let mut group = 0u32;
    let mut in_group = false;
    let mut split_next = false;
    let mut rest_from: Option<usize> = None;
    let mut i = 0;
    while i < lx.len() {
        match &lx[i] {
            Lex::Word(w) => {
                let first = ws.is_empty();
                if !first && !in_group && (w == "re" || w == "ref") {
                    rest_from = Some(i);
                    break;
                }
                if !first
                    && w == "in"
                    && matches!(lx.get(i + 1), Some(Lex::Word(n)) if matches!(n.as_str(), "administration" | "liquidation" | "receivership"))
                {
                    rest_from = Some(i);
                    break;
                }
                if !first
                    && w == "use"
                    && matches!(lx.get(i + 1), Some(Lex::Word(n)) if n.bytes().all(|b| b.is_ascii_digit()))
                {
                    rest_from = Some(i);
                    break;
                }
                let mut f = 0;
                if split_next {
                    f |= F_SPLIT;
                    split_next = false;
                }
                ws.push(W {
                    s: w.clone(),
                    f,
                    group: if in_group { group } else { 0 },
                });
            }
            Lex::Open => {
                group += 1;
                in_group = true;
            }
            Lex::Close => in_group = false,
            Lex::Split => split_next = !ws.is_empty(),
            // A vendor record marked as retired (`DO NOT USE - …`): the name follows.
            Lex::Dash
                if !ws.is_empty()
                    && words::leading_noise(
                        &ws.iter().map(|w| w.s.clone()).collect::<Vec<_>>(),
                    ) == ws.len() =>
            {
                ws.clear();
            }
            Lex::Dash | Lex::CareOf | Lex::Star | Lex::TradingAs => {
                if !ws.is_empty() {
                    rest_from = Some(i);
                    break;
                }
            }
        }
        i += 1;
    }
    if let Some(r) = rest_from {
        let rest: Vec<String> = lx[r..]
            .iter()
            .filter_map(|l| match l {
                Lex::Word(w) => Some(w.clone()),
                _ => None,
            })
            .collect();
        // `Lt Ac Da N Ltd - Little Acorns Day Nur`: the part before the dash is initials and
        // the real name follows it.
        let junk = ws
            .iter()
            .filter(|w| words::legal_word(&w.s).is_none())
            .all(|w| w.s.len() <= 2);
        if junk && rest.iter().any(|w| w.len() >= 3) && matches!(lx[r], Lex::Dash) {
            return form_of(&lx[r + 1..], qualifier);
        }
        qualifier.extend(rest);
    }
    // 2. Join runs of single letters (`h m`, `m b c`, `s and n`, `c i c`), and `co-op`.
    ws = join_initials(ws);
    let mut k = 0;
    while k + 1 < ws.len() {
        if ws[k].s == "co"
            && matches!(
                ws[k + 1].s.as_str(),
                "op" | "operative" | "ops" | "operatives"
            )
        {
            let joined = if ws[k + 1].s.starts_with("operative") {
                "cooperative"
            } else {
                "coop"
            };
            ws[k].s = joined.to_string();
            ws.remove(k + 1);
        }
        k += 1;
    }
    // 3. Leading noise.
    let lead = words::leading_noise(&ws.iter().map(|w| w.s.clone()).collect::<Vec<_>>());
    ws.drain(..lead.min(ws.len()));
    // A trailing bracket is a purpose or account of the body, not part of its name
    // (`London Borough of X (Pensions)`), for recognising councils.
    let last_group = ws.last().map_or(0, |w| w.group);
    let words_for_public: Vec<String> = ws
        .iter()
        .filter(|w| last_group == 0 || w.group != last_group)
        .map(|w| w.s.clone())
        .collect();
    let mut hints = 0u16;
    if ws.first().is_some_and(|w| words::is_title(&w.s)) && ws.len() >= 2 {
        hints |= hint::PERSON;
        ws.remove(0);
    }
    // 4. Legal form: the last one (not the first word) ends the registered name.
    let mut bracket_alias = None;
    let mut lf = None;
    let mut truncated = false;
    loop {
        let found = find_legal(&ws);
        let Some((start, len, form)) = found.last().copied() else {
            break;
        };
        let g = ws[start].group;
        if g != 0 && ws[..start].iter().any(|w| w.group != g) {
            // A registered name in brackets: `QUILLPOINT (BRAMLEY PUBLISHING UK LTD)`.
            let inner_before: Vec<W> = ws
                .iter()
                .enumerate()
                .filter(|(k, w)| {
                    w.group == g && (*k < start || *k >= start + len) && !is_legal_token(w)
                })
                .map(|(_, w)| W {
                    group: 0,
                    ..w.clone()
                })
                .collect();
            if bracket_alias.is_none() {
                let mut f = finish(inner_before, &mut Vec::new());
                f.lf = Some(form);
                if !f.toks.is_empty() {
                    bracket_alias = Some(f);
                }
            }
            ws.retain(|w| w.group != g);
            continue;
        }
        let after: Vec<W> = ws.split_off(start + len);
        ws.truncate(start);
        // Earlier legal-form words inside the name (`HARTSIDE MEDIA LIMITED BUSINESS LIMITED`).
        let inner = find_legal(&ws);
        let mut drop = vec![false; ws.len()];
        for (s, l, _) in inner {
            for d in drop.iter_mut().skip(s).take(l) {
                *d = true;
            }
        }
        let mut k = 0;
        ws.retain(|_| {
            let keep = !drop[k];
            k += 1;
            keep
        });
        qualifier.extend(after.into_iter().map(|w| w.s));
        lf = Some(form);
        break;
    }
    if lf.is_none() {
        // A trailing bracket: noise (`(RENT)`, `(SP)`, `(USE 30007386)`) goes; anything else
        // stays, marked, since it may be part of the name (`Corbel Highways Lighting
        // (Wigan)`, `Citizens Advice Bureau (Exeter)`).
        if let Some(g) = ws.last().map(|w| w.group).filter(|g| *g != 0) {
            let from = ws.iter().position(|w| w.group == g).unwrap_or(ws.len());
            // The initials of the name in brackets: `Northern Fibre Partnership (NFP)`:
            // another name for the same body.
            let initials: String = ws[..from]
                .iter()
                .filter(|w| !words::is_stopword(&w.s))
                .filter_map(|w| w.s.chars().next())
                .collect();
            let bracket: String = ws[from..].iter().map(|w| w.s.as_str()).collect();
            if from >= 2 && bracket.len() >= 2 && bracket == initials && bracket_alias.is_none() {
                let acr: Vec<W> = ws[from..]
                    .iter()
                    .map(|w| W {
                        group: 0,
                        ..w.clone()
                    })
                    .collect();
                bracket_alias = Some(finish(acr, &mut Vec::new()));
            }
            if from > 0 {
                if ws[from..].iter().all(|w| words::is_noise_word(&w.s)) {
                    qualifier.extend(ws.drain(from..).map(|w| w.s));
                } else {
                    for w in &mut ws[from..] {
                        w.f |= F_BRACKET;
                    }
                }
            }
        }
        // Store numbers and references: `PENNANT STORES 2204`.
        while ws.len() > 1
            && ws
                .last()
                .is_some_and(|w| w.s.bytes().all(|b| b.is_ascii_digit()))
        {
            if let Some(w) = ws.pop() {
                qualifier.push(w.s);
            }
        }
        // A dangling connector: `Pennant Recycling and`, `Corbel Construction North and`.
        if ws.len() > 1
            && ws
                .last()
                .is_some_and(|w| matches!(w.s.as_str(), "and" | "of" | "the" | "for" | "on"))
        {
            truncated = true;
        }
    }
    // Web addresses: `WWW.GRANITEWORKWEAR.COM`, `BLACKPOOLZOO.ORG` — the domain's ending
    // names nothing.
    while ws.len() > 1
        && ws.last().is_some_and(|w| {
            matches!(
                w.s.as_str(),
                "com" | "org" | "net" | "co" | "uk" | "gov" | "io" | "info" | "biz"
            )
        })
        && ws.iter().any(|w| {
            matches!(
                w.s.as_str(),
                "www" | "http" | "https" | "com" | "org" | "net"
            )
        })
    {
        if let Some(w) = ws.pop() {
            qualifier.push(w.s);
        }
    }
    // 5. NHS trust forms: `NHS Trust`, `NHS FT`, `NHS Foundation Trust`, `Foundation
    // Trust`, cut short at the end (`NHS FOUNDATI`). Like a legal form, a complete one ends
    // the registered name and what follows is a department or account (`… NHS Foundation
    // Trust Estates Department`).
    // `… Hospitals NHS Trust` cut inside `NHS` (`… HOSPITALS N`).
    if ws.len() >= 3
        && matches!(ws[ws.len() - 1].s.as_str(), "n" | "nh")
        && matches!(ws[ws.len() - 2].s.as_str(), "hospital" | "hospitals")
    {
        ws.pop();
        lf = lf.or(Some(LegalForm::Nhs));
        hints |= hint::HOSPITAL | hint::NHS;
    }
    let mut p = 1;
    while p < ws.len() {
        let run = ws[p..]
            .iter()
            .take_while(|w| words::is_nhs_form_word(&w.s))
            .count();
        if run == 0 {
            p += 1;
            continue;
        }
        let tail: Vec<&str> = ws[p..p + run].iter().map(|w| w.s.as_str()).collect();
        let nhs = tail.iter().any(|w| matches!(*w, "nhs" | "nhsft" | "nhst"));
        let found = tail.iter().position(|w| words::is_foundation_word(w));
        let trust = found.is_some_and(|f| tail[f + 1..].iter().any(|w| words::is_trust_word(w)));
        let at_end = p + run == ws.len();
        // Inside a name only a whole form counts (cut-short words are cut at the end).
        // And not when the rest makes another body: `… NHS Trust Charitable Fund` is the
        // trust's charity.
        let complete =
            nhs && matches!(
                tail.last().copied(),
                Some("trust" | "ft" | "nhsft" | "nhst" | "tst")
            ) && !ws[p + run..]
                .iter()
                .any(|w| words::is_new_body_word(&words::stem(&w.s)));
        if (at_end && (nhs || trust)) || (!at_end && complete) {
            let after = ws.split_off(p + run);
            qualifier.extend(after.into_iter().map(|w| w.s));
            ws.truncate(p);
            if lf.is_none() {
                lf = Some(LegalForm::Nhs);
            }
            hints |= hint::HOSPITAL | hint::NHS;
            break;
        }
        p += run;
    }
    for w in &ws {
        match w.s.as_str() {
            "hospital" | "hospitals" | "hosp" => hints |= hint::HOSPITAL,
            "university" | "univ" | "universi" => hints |= hint::UNIVERSITY,
            "school" | "primary" | "academy" | "infant" | "infants" | "junior" | "juniors" => {
                hints |= hint::SCHOOL
            }
            "charity" | "charitable" | "charities" => hints |= hint::CHARITY,
            "police" | "constabulary" => hints |= hint::POLICE,
            "fire" => hints |= hint::FIRE,
            "college" => hints |= hint::COLLEGE,
            "housing" => hints |= hint::HOUSING,
            "cooperative" | "coop" => hints |= hint::COOP,
            "trust" => hints |= hint::TRUST,
            "nhs" => hints |= hint::NHS,
            _ => {}
        }
    }
    if ws
        .windows(2)
        .any(|p| p[0].s == "co" && p[1].s == "operative")
    {
        hints |= hint::COOP;
    }
    let mut form = finish(ws, qualifier);
    form.lf = lf;
    form.truncated |= truncated;
    if lf == Some(LegalForm::Society) {
        hints |= hint::COOP;
    }
    // A person: an initial and names (`J Smith`, `AJ Smith`, `Ibrahim M Ahmed`), no legal
    // form, no store or account number, no word that names a business.
    let is_initial = |t: &Tok| {
        (t.s.len() == 1 || (t.f & F_INIT != 0 && t.s.len() <= 3))
            && t.s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    let initials = form.toks.iter().filter(|t| is_initial(t)).count();
    // The initial opens the name (`J Smith`), or follows a forename (`Ibrahim M Ahmed`).
    let initial_placed = form.toks.first().is_some_and(&is_initial)
        || (form.toks.len() >= 3 && is_initial(&form.toks[1]));
    let numbered = qualifier
        .iter()
        .any(|q| q.bytes().any(|b| b.is_ascii_digit()));
    let forename = form.toks.first().is_some_and(|t| words::is_forename(&t.s));
    if lf.is_none()
        && !numbered
        && (2..=4).contains(&form.toks.len())
        && ((initials == 1 && initial_placed && form.toks.len() <= 3)
            || (initials == 0 && forename && form.toks.len() <= 3))
        && form.toks.iter().all(|t| {
            t.s.bytes().all(|b| b.is_ascii_alphabetic())
                && !words::is_org_word(&t.s)
                && !words::is_account_word(&t.s)
                && !words::is_site_word(&t.s)
        })
    {
        hints |= hint::PERSON;
    }
    FormParse {
        form,
        bracket_alias,
        words: words_for_public,
        hints,
    }
}

fn is_legal_token(w: &W) -> bool {
    words::legal_word(&w.s).is_some()
}

/// All legal-form matches (start, length, form) at positions ≥ 1, in order.
fn find_legal(ws: &[W]) -> Vec<(usize, usize, LegalForm)> {
    let mut out = Vec::new();
    let mut k = 1;
    while k < ws.len() {
        let mut hit = None;
        for (phrase, form) in words::LEGAL_PHRASES {
            if k + phrase.len() <= ws.len() && phrase.iter().zip(&ws[k..]).all(|(p, w)| *p == w.s) {
                hit = Some((k, phrase.len(), *form));
                break;
            }
        }
        if hit.is_none() {
            if let Some(f) = words::legal_word(&ws[k].s) {
                hit = Some((k, 1, f));
            } else if k + 1 == ws.len() {
                if let Some(f) = words::truncated_legal_word(&ws[k].s) {
                    hit = Some((k, 1, f));
                }
            }
        }
        match hit {
            Some(h) => {
                out.push(h);
                k += h.1;
            }
            None => k += 1,
        }
    }
    out
}

fn join_initials(ws: Vec<W>) -> Vec<W> {
    let single = |w: &W| w.s.len() == 1 && w.s.bytes().all(|b| b.is_ascii_alphabetic());
    let mut out: Vec<W> = Vec::with_capacity(ws.len());
    let mut i = 0;
    while i < ws.len() {
        if single(&ws[i]) {
            // A run of single letters, possibly with `and` between them.
            let mut j = i + 1;
            let mut letters = ws[i].s.clone();
            let mut count = 1;
            while j < ws.len() {
                if single(&ws[j]) && ws[j].group == ws[i].group {
                    letters.push_str(&ws[j].s);
                    count += 1;
                    j += 1;
                } else if ws[j].s == "and" && j + 1 < ws.len() && single(&ws[j + 1]) && count >= 1 {
                    j += 1;
                } else {
                    break;
                }
            }
            if count >= 2 {
                out.push(W {
                    s: letters,
                    f: ws[i].f | F_INIT,
                    group: ws[i].group,
                });
                i = j;
                continue;
            }
        }
        out.push(ws[i].clone());
        i += 1;
    }
    out
}

/// Normalise words into key tokens: stopwords out, spelling variants, stems, phrases,
/// optional last word.
fn finish(ws: Vec<W>, _qualifier: &mut Vec<String>) -> Form {
    let mut toks: Vec<Tok> = Vec::with_capacity(ws.len());
    let mut carry = 0u8;
    for w in &ws {
        if w.f & F_INIT == 0 && words::is_stopword(&w.s) {
            carry |= w.f & F_SPLIT;
            continue;
        }
        let c = words::canonical_word(&w.s);
        let s = if words::is_place_word(c) {
            c.into()
        } else {
            words::stem(c)
        };
        let s = words::canonical_word(&s).to_string();
        toks.push(Tok::new(&s, w.f | carry));
        carry = 0;
    }
    // A fire and rescue authority runs the fire and rescue service of its area (Fire and
    // Rescue Services Act 2004): `… Fire and Rescue Service` = `… Fire and Rescue
    // Authority` = `… Fire and Rescue`.
    if let Some(p) = toks.windows(3).position(|t| {
        &*t[0].s == "fire" && &*t[1].s == "rescue" && matches!(&*t[2].s, "service" | "authority")
    }) {
        toks.remove(p + 2);
    }
    // `Citizens Advice Bureau` is now `Citizens Advice`.
    if let Some(p) = toks
        .windows(3)
        .position(|t| &*t[0].s == "citizen" && &*t[1].s == "advice" && &*t[2].s == "bureau")
    {
        toks.remove(p + 2);
    }
    let mut form = Form {
        toks,
        ..Form::default()
    };
    if form.toks.len() >= 2 {
        if let Some(last) = form.toks.last() {
            let l = &*last.s;
            let opt = ["hospital"].into_iter().find(|o| {
                *o == l
                    || (*o == "hospital"
                        && l.len() >= 5
                        && (o.starts_with(l)
                            || crate::text::osa(l.as_bytes(), b"hospital", 1) <= 1))
            });
            if let Some(o) = opt {
                form.toks.pop();
                form.dropped = Some(o);
            }
        }
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        parse(s).main.key()
    }

    #[test]
    fn keys() {
        assert_eq!(
            key("Ravensworth Business Services Limited"),
            "ravensworth business service"
        );
        assert_eq!(key("RAVENSWORTH  RESOURCING LTD"), "ravensworth resourcing");
        assert_eq!(key("Ravensworth P And I Ltd"), "ravensworth pi");
        assert_eq!(key("H M Land Registry"), "hm land registry");
        assert_eq!(
            key("BRACKENFIELD CARE LIMITED (ROWAN HOUSE)"),
            "brackenfield care"
        );
        assert_eq!(key("HOLMEWOOD-OVAL LIMITED"), "holmewood oval");
        assert_eq!(
            key("Hartside Regeneration (FHM) Ltd"),
            "hartside regeneration fhm"
        );
        assert_eq!(
            key("HARTSIDE MEDIA LIMITED BUSINESS LIMITED"),
            "hartside media business"
        );
        assert_eq!(key("Paypal *westmoor Mind"), "westmoor mind");
        assert_eq!(
            key("Westmoor Housing Association (Rent)"),
            "westmoor housing association"
        );
        assert_eq!(key("PENNANT STORES 2204"), "pennant store");
        assert_eq!(key("Walsall Mbc(USE 30007386)"), "walsall mbc");
        assert_eq!(key("WESTMOOR MIND - USE 556296"), "westmoor mind");
        assert_eq!(
            key("Lt Ac Da N Ltd - Little Acorns Day Nur"),
            "little acorn day nur"
        );
        assert_eq!(key("T/A Brookvale Childcare Ltd"), "brookvale childcare");
        assert_eq!(key("Wexcombe Group Plc."), "wexcombe group");
        assert_eq!(
            key("Exeter Citizens Advice Bureau"),
            "exeter citizen advice"
        );
        assert_eq!(
            key("Ravensworth Property & Infrastructure Lt"),
            "ravensworth property infrastructure"
        );
        // `Limited` with one slip of the keyboard is still the legal form.
        for n in ["Pennant Limted", "Pennant Limtied", "Pennant Lmited"] {
            assert_eq!(parse(n).main.lf, Some(LegalForm::Ltd), "{n}");
            assert_eq!(key(n), "pennant", "{n}");
        }
        assert_eq!(parse("Pennant Limits").main.lf, None);
        // A retired vendor record's marker goes; a dash before a legal form is in the name.
        assert_eq!(key("DO NOT USE - PENNANT STORES"), "pennant store");
        assert_eq!(key("Pennant Ltd - Stores Account Ltd"), "pennant");
    }

    #[test]
    fn nhs_forms() {
        // The forms of the NHS Act 2006 and their short and cut-short spellings.
        for n in [
            "Norfolk and Norwich Hospitals NHS Trust",
            "Norfolk & Norwich Hospitals NHS Foundation Trust",
            "NORFOLK AND NORWICH HOSPITALS NHS FT",
            "Norfolk and Norwich Hospitals NHS Fdn Tst",
            "NORFOLK AND NORWICH HOSPITALS NHS FOUNDATI",
            "NORFOLK AND NORWICH HOSPITALS NHS TRU",
            "Norfolk and Norwich Hospitals Foundation Trust",
            "NORFOLK AND NORWICH HOSPITALS FNDTN T",
            "NORFOLK AND NORWICH HOSPITALS NHS F",
            "NORFOLK AND NORWICH HOSPITALS N",
            // A department after the trust's name.
            "Norfolk and Norwich Hospitals NHS Foundation Trust Pharmacy Dept",
            "Norfolk and Norwich Hospitals NHS Trust - Estates",
        ] {
            let p = parse(n);
            assert_eq!(p.main.key(), "norfolk norwich", "{n}");
            assert_eq!(p.main.lf, Some(LegalForm::Nhs), "{n}");
        }
        assert_eq!(
            key("DEVON HEALTH AND SOCIAL CARE N'HS FO"),
            "devon health social care"
        );
        // The trust's charity is another body: its words stay.
        let p = parse("Norfolk Teaching Hospitals NHS Trust Charitable Fund");
        assert_ne!(p.main.lf, Some(LegalForm::Nhs));
        // A trust that is not an NHS trust keeps its words.
        assert_eq!(key("Westmoor Fun Trust"), "westmoor fun trust");
    }

    #[test]
    fn parts() {
        let p = parse("BRAMLEY SYSTEMS LTD T/A QUILLPOINT SOFTWARE SERVICES");
        assert_eq!(p.main.lf, Some(LegalForm::Ltd));
        assert_eq!(p.alias.unwrap().key(), "quillpoint software service");
        let p = parse("QUILLPOINT (BRAMLEY PUBLISHING UK LTD)");
        assert_eq!(p.main.key(), "quillpoint");
        assert_eq!(p.alias.unwrap().key(), "bramley publishing uk");
        let p = parse("Corbel Highways Lighting (Wigan)");
        assert_eq!(p.main.key(), "corbel highway lighting wigan");
        assert_eq!(p.main.toks.last().unwrap().f & F_BRACKET, F_BRACKET);
        assert!(parse("Pennant Recycling and").main.truncated);
        assert_eq!(
            parse("Wirral MBC").public,
            Some(PublicKey::Council("wirral".into()))
        );
        assert_eq!(
            parse("Sefton M.B.C.").public,
            Some(PublicKey::Council("sefton".into()))
        );
        assert_eq!(
            parse("HMRC Cumbernauld").public,
            Some(PublicKey::National("hmrc"))
        );
        assert!(parse("MR JOHN JACKSON").hints & hint::PERSON != 0);
        assert!(parse("J Smith").hints & hint::PERSON != 0);
    }
}
