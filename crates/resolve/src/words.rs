//! Vocabularies: legal forms, ledger noise, words that make a new organisation, words that
//! only qualify one, places, abbreviations. Each list says why it exists; none names a
//! particular supplier.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// A legal form read from a name's ending (`Ltd`, `PLC`, `CIC`…). It ends the registered
/// name: what follows it (`BRACKENFIELD CARE LIMITED (ROWAN HOUSE)`) is a branch, home or
/// account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    /// Private company limited by shares or guarantee (`Ltd`, `Limited`).
    Ltd,
    /// Public limited company (`PLC`, `Public Limited Company`).
    Plc,
    /// Limited liability partnership (`LLP`).
    Llp,
    /// Community interest company (`CIC`).
    Cic,
    /// Charitable incorporated organisation (`CIO`).
    Cio,
    /// Registered society: co-operative or community benefit society (`IPS`, `CBS`).
    Society,
    /// Overseas corporation forms (`Inc`, `GmbH`, `BV`, `LLC`…).
    Overseas,
    /// An NHS trust or foundation trust (`NHS Trust`, `NHS FT`, `Foundation Trust`).
    Nhs,
    /// A statutory corporation: higher or further education corporation (`HEC`).
    Statutory,
}

impl LegalForm {
    /// Short label used in outputs.
    pub fn label(self) -> &'static str {
        match self {
            LegalForm::Ltd => "ltd",
            LegalForm::Plc => "plc",
            LegalForm::Llp => "llp",
            LegalForm::Cic => "cic",
            LegalForm::Cio => "cio",
            LegalForm::Society => "society",
            LegalForm::Overseas => "overseas",
            LegalForm::Nhs => "nhs",
            LegalForm::Statutory => "statutory",
        }
    }

    /// Whether two forms can name the same body. A company may re-register from Ltd to PLC
    /// under the same number, so only clearly different families disagree.
    pub fn compatible(a: LegalForm, b: LegalForm) -> bool {
        use LegalForm::*;
        a == b
            || matches!(
                (a, b),
                (Ltd, Plc)
                    | (Plc, Ltd)
                    | (Ltd, Cic)
                    | (Cic, Ltd)
                    | (Ltd, Overseas)
                    | (Overseas, Ltd)
            )
    }
}

/// Multi-word legal forms, longest first (matched on cleaned words, before stopwords go).
pub const LEGAL_PHRASES: &[(&[&str], LegalForm)] = &[
    (
        &["industrial", "and", "provident", "society"],
        LegalForm::Society,
    ),
    (
        &["higher", "education", "corporation"],
        LegalForm::Statutory,
    ),
    (
        &["further", "education", "corporation"],
        LegalForm::Statutory,
    ),
    (&["company", "limited", "by", "guarantee"], LegalForm::Ltd),
    (
        &["charitable", "incorporated", "organisation"],
        LegalForm::Cio,
    ),
    (
        &["charitable", "incorporated", "organization"],
        LegalForm::Cio,
    ),
    (&["community", "interest", "company"], LegalForm::Cic),
    (&["community", "benefit", "society"], LegalForm::Society),
    (&["limited", "liability", "partnership"], LegalForm::Llp),
    (&["public", "limited", "company"], LegalForm::Plc),
    (&["public", "ltd", "company"], LegalForm::Plc),
    (&["limited", "company"], LegalForm::Ltd),
    (&["co", "operative", "society"], LegalForm::Society),
    (&["cooperative", "society"], LegalForm::Society),
];

/// One-word legal forms (any position after the first word). `Limited` is also read
/// through one slip of the keyboard (a letter missing, doubled, changed or two swapped:
/// OSA distance 1), the way any long word is matched elsewhere; shorter forms are not,
/// since three-letter words one letter from `Ltd` are other words.
pub fn legal_word(w: &str) -> Option<LegalForm> {
    Some(match w {
        "ltd" | "limited" => LegalForm::Ltd,
        "plc" | "plcs" => LegalForm::Plc,
        "llp" => LegalForm::Llp,
        "cic" => LegalForm::Cic,
        "cio" => LegalForm::Cio,
        "hec" | "fec" => LegalForm::Statutory,
        "inc" | "incorporated" | "llc" | "gmbh" | "bv" | "nv" | "sarl" | "srl" | "pty" => {
            LegalForm::Overseas
        }
        _ if w.len() >= 6
            && w.starts_with('l')
            && crate::text::osa(w.as_bytes(), b"limited", 1) <= 1 =>
        {
            LegalForm::Ltd
        }
        _ => return None,
    })
}

/// Legal forms cut short by a fixed-width field; only recognised as the last word.
pub fn truncated_legal_word(w: &str) -> Option<LegalForm> {
    match w {
        "lt" | "lim" | "limi" | "limit" | "limite" | "lmt" => Some(LegalForm::Ltd),
        "pl" => None,
        _ => None,
    }
}

/// Words dropped from the comparison key: they carry no identity.
pub fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "and"
            | "of"
            | "for"
            | "an"
            | "a"
            | "at"
            | "in"
            | "on"
            | "to"
            | "t"
            | "http"
            | "https"
            | "www"
    )
}

/// English function words: never an abbreviation of a longer word (`With` is not
/// `Withington`).
pub fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "with"
            | "you"
            | "your"
            | "our"
            | "are"
            | "we"
            | "all"
            | "one"
            | "new"
            | "from"
            | "by"
            | "into"
            | "over"
            | "under"
            | "this"
            | "that"
            | "who"
            | "what"
            | "not"
            | "no"
            | "my"
            | "me"
            | "us"
            | "its"
            | "it"
            | "is"
            | "be"
            | "as"
            | "or"
            | "so"
            | "up"
            | "out"
            | "off"
            | "get"
            | "go"
            | "do"
            | "how"
            | "why"
            | "her"
            | "his"
            | "him"
            | "she"
            | "he"
            | "they"
            | "them"
            | "their"
            | "more"
            | "just"
            | "about"
            | "after"
            | "here"
            | "there"
            | "where"
            | "when"
            | "than"
            | "then"
            | "very"
            | "can"
            | "will"
    )
}

/// Common forenames: a name of a forename and one or two more words, with no word of a
/// business, is taken as a person's (`EDWARD JOHN MILLS`, `Timothy Taylor`). From the
/// most frequent given names in England and Wales (ONS baby names and census tables).
pub fn is_forename(w: &str) -> bool {
    matches!(
        w,
        "john"
            | "david"
            | "michael"
            | "paul"
            | "andrew"
            | "peter"
            | "james"
            | "robert"
            | "mark"
            | "richard"
            | "stephen"
            | "christopher"
            | "ian"
            | "anthony"
            | "william"
            | "thomas"
            | "daniel"
            | "simon"
            | "matthew"
            | "steven"
            | "gary"
            | "martin"
            | "kevin"
            | "brian"
            | "alan"
            | "graham"
            | "philip"
            | "neil"
            | "jonathan"
            | "colin"
            | "keith"
            | "stuart"
            | "adam"
            | "lee"
            | "jason"
            | "craig"
            | "darren"
            | "wayne"
            | "dean"
            | "scott"
            | "nicholas"
            | "timothy"
            | "edward"
            | "george"
            | "joseph"
            | "benjamin"
            | "samuel"
            | "jack"
            | "harry"
            | "oliver"
            | "charles"
            | "patrick"
            | "ryan"
            | "luke"
            | "liam"
            | "sean"
            | "shaun"
            | "barry"
            | "terry"
            | "tony"
            | "dave"
            | "mike"
            | "chris"
            | "steve"
            | "nick"
            | "tom"
            | "ben"
            | "sam"
            | "joe"
            | "dan"
            | "rob"
            | "bob"
            | "bill"
            | "jim"
            | "phil"
            | "kenneth"
            | "ronald"
            | "derek"
            | "trevor"
            | "roger"
            | "malcolm"
            | "geoffrey"
            | "howard"
            | "nigel"
            | "russell"
            | "carl"
            | "jamie"
            | "karl"
            | "mohammed"
            | "muhammad"
            | "mohammad"
            | "ali"
            | "ahmed"
            | "imran"
            | "tariq"
            | "mary"
            | "susan"
            | "sarah"
            | "karen"
            | "julie"
            | "elizabeth"
            | "jane"
            | "helen"
            | "linda"
            | "margaret"
            | "patricia"
            | "christine"
            | "alison"
            | "lisa"
            | "jennifer"
            | "nicola"
            | "claire"
            | "rachel"
            | "emma"
            | "catherine"
            | "amanda"
            | "ann"
            | "anne"
            | "joanne"
            | "deborah"
            | "tracey"
            | "michelle"
            | "louise"
            | "samantha"
            | "victoria"
            | "laura"
            | "rebecca"
            | "hannah"
            | "jessica"
            | "sophie"
            | "charlotte"
            | "emily"
            | "lucy"
            | "amy"
            | "kate"
            | "katie"
            | "gillian"
            | "janet"
            | "angela"
            | "carol"
            | "sandra"
            | "dawn"
            | "wendy"
            | "paula"
            | "joan"
            | "barbara"
            | "pauline"
            | "sharon"
            | "kelly"
            | "donna"
            | "lynne"
            | "jill"
            | "ruth"
            | "heather"
            | "jacqueline"
            | "judith"
            | "fiona"
            | "caroline"
            | "joanna"
            | "natalie"
            | "kirsty"
            | "gemma"
            | "zoe"
            | "jade"
            | "chloe"
            | "megan"
            | "ellie"
            | "fatima"
            | "ayesha"
            | "aisha"
    )
}

/// Personal titles: a name that opens with one is a person (or a sole trader).
pub fn is_title(w: &str) -> bool {
    matches!(
        w,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "mx"
            | "dr"
            | "rev"
            | "revd"
            | "prof"
            | "sir"
            | "dame"
            | "cllr"
            | "lady"
            | "lord"
            | "mstr"
    )
}

/// Card processors that put themselves before the merchant: `PAYPAL *SHOP`, `SP * SHOP`.
pub fn is_processor(w: &str) -> bool {
    matches!(
        w,
        "paypal"
            | "pp"
            | "sp"
            | "sq"
            | "iz"
            | "izettle"
            | "zettle"
            | "sumup"
            | "eb"
            | "ebay"
            | "allpay"
            | "wp"
            | "worldpay"
            | "stripe"
            | "square"
            | "gocardless"
            | "sagepay"
            | "opayo"
    )
}

/// Words opening a name that are about the payment or the vendor record, not the payee
/// (`ALT PAYEE …`; `DO NOT USE …`, `DNU …`, how finance systems mark a retired record).
pub fn leading_noise(words: &[String]) -> usize {
    match words {
        [a, b, c, ..] if a == "do" && b == "not" && c == "use" => 3,
        [a, b, ..] if a == "alt" && b == "payee" => 2,
        [a, ..] if a == "payee" || a == "dnu" => 1,
        _ => 0,
    }
}

/// A trailing bracket whose words are all of these is about the payment, not the payee:
/// `(RENT)`, `(SP)`, `(Direct Debit Only)`, `(USE 30007386)`, `(345559)`.
pub fn is_noise_word(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_digit())
        || is_account_word(w)
        || matches!(
            w,
            "use" | "see" | "only" | "do" | "not" | "old" | "new" | "acc"
        )
}

/// Words that name an account, office or purpose of the same payee (`Rent Acc`, `Stamp
/// Duty`, `Accounts Payable`, `MOTO`), not a different organisation: the vocabulary of
/// ledgers and payment methods (Transparency Code fields, BACS/CHAPS, card "mail order /
/// telephone order"), not codes of one publisher.
pub fn is_account_word(w: &str) -> bool {
    matches!(
        w,
        "account"
            | "accounts"
            | "acc"
            | "acct"
            | "accs"
            | "ac"
            | "payable"
            | "payables"
            | "receivable"
            | "income"
            | "incomes"
            | "fee"
            | "fees"
            | "rent"
            | "rents"
            | "sale"
            | "sales"
            | "ledger"
            | "only"
            | "direct"
            | "debit"
            | "dd"
            | "bacs"
            | "chaps"
            | "cheque"
            | "card"
            | "cardpay"
            | "internet"
            | "online"
            | "web"
            | "moto"
            | "general"
            | "main"
            | "office"
            | "offices"
            | "dept"
            | "department"
            | "div"
            | "division"
            | "unit"
            | "branch"
            | "site"
            | "team"
            | "section"
            | "use"
            | "sp"
            | "stamp"
            | "duty"
            | "paye"
            | "vat"
            | "ni"
            | "cis"
            | "charge"
            | "charges"
            | "invoice"
            | "invoices"
            | "refund"
            | "refunds"
            | "deposit"
            | "deposits"
            | "ref"
            | "reference"
            | "no"
            | "number"
            | "head"
            | "hq"
            | "store"
            | "stores"
            | "depot"
            | "returning"
            | "officer"
            | "payroll"
            | "admin"
            | "finance"
            | "fin"
            | "estates"
            | "estate"
            | "supplies"
            | "purchasing"
            | "procurement"
            | "usage"
            | "utility"
            | "billing"
            | "bill"
            | "bills"
            | "remittance"
            | "student"
            | "students"
    )
}

/// Directions and national words: a division or regional office of the same body
/// (`Harlow Ridge Construction Northern`, `Ferncastle UK`). Named regions and counties
/// (`Yorkshire`, `Scotland`) are places instead: federations (Groundwork, Age UK, Mind)
/// have a separate body per place.
pub fn is_region_word(w: &str) -> bool {
    is_direction_word(w) || is_national_word(w)
}

/// Compass directions.
pub fn is_direction_word(w: &str) -> bool {
    matches!(
        w,
        "north"
            | "south"
            | "east"
            | "west"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
            | "central"
            | "midland"
            | "midlands"
            | "ne"
            | "nw"
            | "se"
            | "sw"
            | "region"
            | "regional"
            | "area"
            | "district"
            | "county"
            | "metropolitan"
            | "greater"
    )
}

/// Words naming the whole country or more.
pub fn is_national_word(w: &str) -> bool {
    matches!(
        w,
        "uk" | "gb"
            | "national"
            | "british"
            | "britain"
            | "england"
            | "europe"
            | "european"
            | "international"
    )
}

/// Named regions and counties that are not local authority names.
const REGIONS: &[&str] = &[
    "yorkshire",
    "lancashire",
    "cumbria",
    "cheshire",
    "merseyside",
    "humberside",
    "tyneside",
    "scotland",
    "wales",
    "ireland",
    "northumberland",
    "durham",
    "anglia",
    "london",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "teesside",
    "wearside",
    "pennine",
    "pennines",
    "cornwall",
    "devon",
    "kent",
    "essex",
    "surrey",
    "sussex",
    "hampshire",
    "norfolk",
    "suffolk",
    "midlothian",
    "lothian",
    "highlands",
];

/// Words that, appended to a name, make it a different organisation: a subsidiary,
/// trading arm, union, fund or association of the first (`Age UK Barnet` → `Age UK
/// Barnet Enterprises`; `Corwen Trust` → `Corwen Services`; `University of Exeter` →
/// `Exeter University Students Union`). Compared after stemming.
pub fn is_org_word(w: &str) -> bool {
    matches!(
        w,
        "enterprise"
            | "union"
            | "su"
            | "fund"
            | "trustee"
            | "foundation"
            | "holding"
            | "consulting"
            | "consultancy"
            | "consultant"
            | "service"
            | "solution"
            | "property"
            | "development"
            | "investment"
            | "venture"
            | "payment"
            | "pension"
            | "association"
            | "society"
            | "club"
            | "institute"
            | "federation"
            | "school"
            | "academy"
            | "college"
            | "centre"
            | "church"
            | "recruitment"
            | "resourcing"
            | "home"
            | "trading"
            | "insurance"
            | "agency"
            | "education"
            | "management"
            | "partnership"
            | "fostering"
            | "adoption"
            | "housing"
            | "homecare"
            | "nursing"
            | "subsidiary"
            | "limited"
            | "cic"
            | "llp"
            | "productions"
            | "production"
            | "studio"
            | "theatre"
            | "hospital"
            | "clinic"
            | "practice"
            | "surgery"
            | "pharmacy"
            | "chemist"
            | "council"
            | "committee"
            | "project"
            | "network"
            | "forum"
            | "alliance"
            | "cooperative"
            | "coop"
            | "bank"
            | "two"
            | "three"
            | "four"
            | "five"
            | "ii"
            | "iii"
            | "iv"
    )
}

/// Words that always make another organisation of the name before them, whatever it is:
/// its trading subsidiary, union, fund, trustees or holding company (`… Enterprises`,
/// `… Students Union`, `… Charitable Fund`, `… Pension Fund`, `… Holdings`).
pub fn is_new_body_word(w: &str) -> bool {
    matches!(
        w,
        "enterprise"
            | "union"
            | "su"
            | "fund"
            | "trustee"
            | "charitable"
            | "holding"
            | "subsidiary"
            | "pension"
    ) || is_charity_word(w)
}

/// Words that make a charity of a public body: `Royal Devon Hospital Charity`.
pub fn is_charity_word(w: &str) -> bool {
    matches!(w, "charity" | "charitable" | "charities")
}

/// Pairs of words that make one phrase: a tail starting with the second word continues a
/// name ending with the first (`Westmoor Housing` → `… Housing Association`, `Royal Devon
/// Hospital Charitable` → `… Charitable Fund`), so it is not a new organisation.
pub fn compound(prev: &str, next: &str) -> bool {
    matches!(
        (prev, next),
        ("housing", "association")
            | (
                "charitable" | "charity",
                "fund" | "trust" | "foundation" | "trustee"
            )
            | ("university", "college")
            | ("building" | "friendly" | "cooperative", "society")
            | ("credit" | "trade" | "student", "union")
            | ("resident" | "tenant", "association")
            | ("parish" | "town", "council")
            | ("law" | "advice", "centre")
    )
}

/// Words naming a building or site: a tail of two or more words ending in one names a
/// home or site of the body (`Harbour Trust Elm Tree Court`).
pub fn is_site_word(w: &str) -> bool {
    matches!(
        w,
        "court"
            | "house"
            | "lodge"
            | "home"
            | "hall"
            | "grange"
            | "manor"
            | "view"
            | "park"
            | "gardens"
            | "garden"
            | "place"
            | "close"
            | "mews"
            | "villa"
            | "cottage"
            | "farm"
            | "mill"
            | "croft"
            | "towers"
            | "tower"
            | "residence"
            | "nursing"
            | "unit"
            | "ward"
            | "wing"
    )
}

/// Abbreviations that cannot be derived from their expansion by the prefix or
/// letter-skipping rules of the matcher.
pub fn canonical_word(w: &str) -> &str {
    match w {
        "saint" => "st",
        "center" => "centre",
        "organization" | "organisation" => "organisation",
        "program" => "programme",
        "bureaux" => "bureau",
        "brothers" | "bros" => "brother",
        "intl" | "int'l" => "international",
        "govt" | "gov" => "government",
        "dept" => "department",
        "assn" | "assoc" => "association",
        "hosp" => "hospital",
        "univ" => "university",
        // Police forces are named `X Police` or `X Constabulary` (Police Act 1996, Sched. 1
        // police areas): one force either way.
        "constabulary" => "police",
        // The county abbreviations of postal addresses (Royal Mail's former county names).
        "yorks" => "yorkshire",
        "lancs" => "lancashire",
        "notts" => "nottinghamshire",
        "staffs" => "staffordshire",
        "leics" => "leicestershire",
        "lincs" => "lincolnshire",
        "northants" => "northamptonshire",
        "glos" => "gloucestershire",
        "herts" => "hertfordshire",
        "worcs" => "worcestershire",
        "wilts" => "wiltshire",
        "cambs" => "cambridgeshire",
        "oxon" => "oxfordshire",
        "hants" => "hampshire",
        "svs" | "svcs" | "srvs" | "svc" | "srv" | "servs" | "serv" | "sevs" => "service",
        "mgmt" | "mgt" | "mngt" => "management",
        "ctr" | "cntr" => "centre",
        "cttee" => "committee",
        "centres" | "centers" => "centre",
        _ => w,
    }
}

/// A number or reference rather than a word: it has a digit and no run of four letters
/// (`24`, `F7LWR4`, `L04007`; not the brand `Vets4pets`, nor `4Children`).
pub fn is_number_like(w: &str) -> bool {
    let mut run = 0;
    let mut digit = false;
    for b in w.bytes() {
        if b.is_ascii_digit() {
            digit = true;
        }
        run = if b.is_ascii_alphabetic() { run + 1 } else { 0 };
        if run >= 4 {
            return false;
        }
    }
    digit
}

/// Stem a word: plural `-s`/`-ies` to singular, so `Services` = `Service`,
/// `Nurseries` = `Nursery`, `Barnardos` = `Barnardo`.
pub fn stem(w: &str) -> std::borrow::Cow<'_, str> {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]).into();
    }
    // A four-letter word whose third letter is `a`, `i`, `o` or `u` is more often initials
    // than a plural (`ACAS` is not the plural of `ACA`); `ties`, `eyes` still stem.
    let initials = n == 4 && matches!(w.as_bytes()[2], b'a' | b'i' | b'o' | b'u');
    if n > 3
        && !initials
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && w.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return w[..n - 1].into();
    }
    w.into()
}

/// NHS trust form words that may end a name: `NHS Trust`, `NHS Foundation Trust`, `NHS
/// FT` (the forms of the NHS Act 2006 and NHS Digital's ODS names), written short the
/// two ways ledgers shorten any word: cut at the field width (`NHS FOUNDATI`, `NHS TRU`)
/// or with letters dropped (`Fdn`, `Tst`). See [`is_foundation_word`] and
/// [`is_trust_word`].
pub fn is_nhs_form_word(w: &str) -> bool {
    matches!(w, "nhs" | "ft" | "nhsft" | "nhst") || is_foundation_word(w) || is_trust_word(w)
}

/// `Foundation` whole, cut short (`F`, `Foundati`) or without its vowels (`Fdn`, `Fndtn`).
pub fn is_foundation_word(w: &str) -> bool {
    shortened(w, "foundation", 1)
}

/// `Trust` whole, cut short (`T`, `Tru`) or without its vowel (`Tst`, `Trst`).
pub fn is_trust_word(w: &str) -> bool {
    shortened(w, "trust", 1)
}

/// `w` is `full`, a start of it at least `min` letters long, or its letters in order with
/// no vowel but the first letter (an abbreviation that drops letters: `Fdn`, `Tst`).
fn shortened(w: &str, full: &str, min: usize) -> bool {
    let (wb, fb) = (w.as_bytes(), full.as_bytes());
    if wb.len() < min || wb.is_empty() || wb[0] != fb[0] {
        return false;
    }
    if full.starts_with(w) {
        return true;
    }
    let vowel = |c: &u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    wb.len() >= 2 && !wb[1..].iter().any(vowel) && {
        let mut it = fb.iter();
        wb.iter().all(|c| it.any(|x| x == c))
    }
}

/// Places: local authority names (ONS) plus towns that are not authorities, as normalised
/// word sequences. Used to recognise councils and local branches (`Age UK Barnet`).
pub struct Places {
    /// Local authority names, words joined by one space (`cheshire west chester`).
    pub authorities: FxHashSet<String>,
    /// Single words that name a place (`leeds`, `castleford`).
    pub words: FxHashSet<String>,
    /// Short forms councils go by, to the official name's key (`hull` → `kingston upon
    /// hull`).
    pub aliases: rustc_hash::FxHashMap<String, String>,
}

/// Towns and cities that are not local authority names but appear as branch suffixes.
const TOWNS: &[&str] = &[
    "huddersfield",
    "halifax",
    "castleford",
    "pontefract",
    "keighley",
    "shipley",
    "bingley",
    "dewsbury",
    "batley",
    "todmorden",
    "brighouse",
    "stretford",
    "altrincham",
    "eccles",
    "swinton",
    "walkden",
    "worsley",
    "ashton",
    "hyde",
    "stalybridge",
    "heywood",
    "middleton",
    "leigh",
    "farnworth",
    "prestwich",
    "radcliffe",
    "otley",
    "ilkley",
    "morley",
    "pudsey",
    "wetherby",
    "scarborough",
    "whitby",
    "stockton",
    "jarrow",
    "wallsend",
    "tynemouth",
    "blyth",
    "cramlington",
    "morpeth",
    "hexham",
    "durham",
    "chester",
    "crewe",
    "macclesfield",
    "widnes",
    "runcorn",
    "birkenhead",
    "southport",
    "bootle",
    "accrington",
    "nelson",
    "colne",
    "morecambe",
    "fleetwood",
    "lytham",
    "leyland",
    "ormskirk",
    "skelmersdale",
    "kendal",
    "barrow",
    "workington",
    "whitehaven",
    "penrith",
    "hull",
    "brighton",
    "stoke",
    "newcastle",
    "bristol",
    "nottingham",
    "derby",
    "leicester",
    "coventry",
    "birmingham",
    "liverpool",
    "manchester",
    "london",
    "croydon",
    "goole",
    "selby",
    "ripon",
    "skipton",
    "harrogate",
    "knaresborough",
    "normanton",
    "ossett",
    "featherstone",
    "hemsworth",
    "knottingley",
    "mirfield",
    "holmfirth",
    "elland",
    "sowerby",
    "hebden",
    "rothwell",
    "garforth",
    "guiseley",
    "yeadon",
    "horsforth",
    "hillsborough",
    "ecclesfield",
    "stocksbridge",
    "mexborough",
    "wath",
    "penistone",
    "cudworth",
    "gateshead",
    "sunderland",
    "darlington",
    "hartlepool",
    "middlesbrough",
    "redcar",
    "wigan",
    "bolton",
    "bury",
    "oldham",
    "rochdale",
    "stockport",
    "tameside",
    "trafford",
    "salford",
    "leeds",
    "bradford",
    "wakefield",
    "calderdale",
    "kirklees",
    "sheffield",
    "rotherham",
    "barnsley",
    "doncaster",
    "york",
];

const NOT_PLACE_WORDS: &[&str] = &[
    "and",
    "upon",
    "on",
    "of",
    "the",
    "city",
    "county",
    "borough",
    "vale",
    "valley",
    "forest",
    "mid",
    "great",
    "little",
    "new",
    "castle",
    "point",
    "three",
    "rivers",
    "white",
    "horse",
    "test",
    "mole",
    "st",
    "isle",
    "isles",
    "islands",
    "royal",
    "hill",
    "hills",
    "heath",
    "green",
    "north",
    "south",
    "east",
    "west",
    "central",
    "with",
    "upper",
    "lower",
    "downs",
    "park",
    "chase",
    "coast",
    "moors",
    "dales",
    "peak",
    "high",
    "sea",
    "bay",
    "river",
    "cross",
    "brook",
    "field",
    "wood",
    "common",
    "district",
    "east",
    "kings",
    "head",
    "end",
    "lake",
    "lakes",
    "marsh",
    "malvern",
    "reading",
    "bath",
    "eden",
    "rother",
    "copeland",
    "wyre",
    "fylde",
    "arun",
    "adur",
    "harlow",
    "dover",
    "bury",
    "sale",
    "broadland",
    "richmond",
];

/// Normalise a place name the way names are normalised: clean, words, no stopwords. In a
/// place's name `with` joins two places like `and` (`Blackburn with Darwen`, written
/// `Blackburn & Darwen`), so it goes too.
pub fn place_key(name: &str) -> String {
    let c = crate::text::clean(name);
    c.split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !is_stopword(w) && *w != "with")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The built-in places.
pub fn places() -> &'static Places {
    static P: OnceLock<Places> = OnceLock::new();
    P.get_or_init(|| {
        let mut authorities = FxHashSet::default();
        let mut words = FxHashSet::default();
        let mut aliases = rustc_hash::FxHashMap::default();
        for line in include_str!("../data/local_authorities.txt").lines() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let l = match l.split_once(" = ") {
                Some((short, official)) => {
                    aliases.insert(place_key(short), place_key(official));
                    short
                }
                None => l,
            };
            let k = place_key(l);
            if !k.contains(' ') && !NOT_PLACE_WORDS.contains(&k.as_str()) {
                words.insert(k.clone());
            }
            authorities.insert(k);
        }
        for t in TOWNS.iter().chain(REGIONS) {
            words.insert((*t).to_string());
        }
        Places {
            authorities,
            words,
            aliases,
        }
    })
}

/// Whether a word names a town or city.
pub fn is_place_word(w: &str) -> bool {
    places().words.contains(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(stem("services"), "service");
        assert_eq!(stem("nurseries"), "nursery");
        assert_eq!(stem("barnardos"), "barnardo");
        assert_eq!(stem("business"), "business");
        assert_eq!(stem("campus"), "campus");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("acas"), "acas");
        assert_eq!(stem("ties"), "tie");
        assert_eq!(stem("labs"), "lab");
    }

    #[test]
    fn numbers() {
        for w in ["24", "f7lwr4", "l04007", "2674068303128", "o2"] {
            assert!(is_number_like(w), "{w}");
        }
        for w in ["vets4pets", "4children", "pulse", ""] {
            assert!(!is_number_like(w), "{w}");
        }
    }

    #[test]
    fn places_load() {
        let p = places();
        assert!(p.authorities.contains("cheshire west chester"));
        assert!(p.authorities.contains("bradford"));
        assert!(p.authorities.contains("kingston upon hull"));
        assert!(p.authorities.contains("north yorkshire"));
        assert_eq!(p.aliases["hull"], "kingston upon hull");
        assert!(is_place_word("salford"));
        assert!(is_place_word("castleford"));
        assert!(!is_place_word("reading"));
    }
}
