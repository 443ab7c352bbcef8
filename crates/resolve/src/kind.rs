//! What kind of body an entity is — company, charity, CIC, public body, individual — with
//! the evidence for it, from registers first and names second.
//!
//! Community wealth building counts spend with social-economy bodies (charities, CIOs,
//! CICs, co-operatives and community benefit societies) and excludes payments to other
//! public bodies; individuals and sole traders are redacted outside their own anchor. Each
//! of those needs the kind, and a coordinator needs to see why.

use serde::{Deserialize, Serialize};

use crate::parse::{hint, Parsed, F_BRACKET};
use crate::public::{national, PublicKey};
use crate::words::{is_direction_word, is_place_word, is_region_word, LegalForm};

pub use anchornet_core::supplier::{Kind, PublicType};

/// One piece of evidence for a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindEvidence {
    /// The kind it supports.
    pub kind: Kind,
    /// Where it comes from: `name` or a register (`companies_house`…).
    pub source: String,
    /// What was seen (`legal form "Ltd" in "AMEY LG LTD"`).
    pub detail: String,
}

/// What a single name says about the kind of its body.
pub fn from_name(name: &str, p: &Parsed) -> Option<KindEvidence> {
    let ev = |kind: Kind, detail: String| {
        Some(KindEvidence {
            kind,
            source: "name".into(),
            detail,
        })
    };
    if let Some(k) = &p.public {
        return match k {
            PublicKey::Council(place) => ev(
                Kind::PublicBody(PublicType::Council),
                format!("council of {place:?} in {name:?}"),
            ),
            PublicKey::National(key) => {
                let n = national(key);
                let t = match n.map(|n| n.subtype) {
                    Some("hmrc") => PublicType::Hmrc,
                    Some("nhs") => PublicType::Nhs,
                    _ => PublicType::CentralGovernment,
                };
                ev(
                    Kind::PublicBody(t),
                    format!("{} in {name:?}", n.map_or(*key, |n| n.name)),
                )
            }
        };
    }
    let h = p.hints;
    if h & hint::REDACTED != 0 {
        return ev(
            Kind::Individual,
            format!("withheld as personal data: {name:?}"),
        );
    }
    match p.main.lf {
        Some(LegalForm::Nhs) => {
            return ev(
                Kind::PublicBody(PublicType::Nhs),
                format!("NHS trust form in {name:?}"),
            )
        }
        Some(LegalForm::Statutory) => {
            let t = if h & hint::COLLEGE != 0 && h & hint::UNIVERSITY == 0 {
                PublicType::College
            } else {
                PublicType::University
            };
            return ev(
                Kind::PublicBody(t),
                format!("education corporation in {name:?}"),
            );
        }
        _ => {}
    }
    if p.main.lf.is_none() {
        if let Some(ev) = local_public_body(name, p) {
            return Some(ev);
        }
    }
    // Bodies whose names say what they are, before legal forms: an academy trust is a
    // company limited by guarantee but counts as a school.
    if h & hint::POLICE != 0 {
        return ev(
            Kind::PublicBody(PublicType::Police),
            format!("police in {name:?}"),
        );
    }
    if h & hint::FIRE != 0 && name.to_ascii_lowercase().contains("rescue") {
        return ev(
            Kind::PublicBody(PublicType::Fire),
            format!("fire and rescue in {name:?}"),
        );
    }
    if h & hint::NHS != 0 {
        return ev(
            Kind::PublicBody(PublicType::Nhs),
            format!("NHS in {name:?}"),
        );
    }
    if h & hint::UNIVERSITY != 0
        && !matches!(
            p.main.lf,
            Some(LegalForm::Ltd | LegalForm::Plc | LegalForm::Llp)
        )
    {
        let union = p.main.toks.iter().any(|t| matches!(&*t.s, "union" | "su"));
        if !union {
            return ev(
                Kind::PublicBody(PublicType::University),
                format!("university in {name:?}"),
            );
        }
    }
    if h & hint::SCHOOL != 0 && !matches!(p.main.lf, Some(LegalForm::Plc | LegalForm::Llp)) {
        return ev(
            Kind::PublicBody(PublicType::School),
            format!("school or academy in {name:?}"),
        );
    }
    // Co-operatives registered as societies end in `Limited` too.
    if h & hint::COOP != 0 && matches!(p.main.lf, None | Some(LegalForm::Ltd | LegalForm::Society))
    {
        return ev(Kind::Society, format!("co-operative in {name:?}"));
    }
    if let Some(lf) = p.main.lf {
        let k = match lf {
            LegalForm::Ltd | LegalForm::Overseas => Kind::Company,
            LegalForm::Plc => Kind::Plc,
            LegalForm::Llp => Kind::Llp,
            LegalForm::Cic => Kind::Cic,
            LegalForm::Cio => Kind::Cio,
            LegalForm::Society => Kind::Society,
            LegalForm::Nhs | LegalForm::Statutory => Kind::Unknown,
        };
        return ev(k, format!("legal form {:?} in {name:?}", lf.label()));
    }
    if h & hint::COLLEGE != 0 {
        return ev(
            Kind::PublicBody(PublicType::College),
            format!("college in {name:?}"),
        );
    }
    if h & hint::CHARITY != 0 {
        return ev(Kind::Charity, format!("charity in {name:?}"));
    }
    if h & hint::PERSON != 0 {
        return ev(Kind::Individual, format!("a person's name: {name:?}"));
    }
    None
}

/// Local public bodies that are neither councils nor national bodies, and the parochial
/// church councils that share their initials, from a name without a legal form (a `Ltd`
/// makes a company: `TRANSPORT FOR EDINBURGH LTD` is a council-owned company, not a
/// transport authority).
///
/// - combined authorities (`LIVERPOOL CITY REGION COMBINED AUTHORITY`, cut short as
///   `Greater Manchester Combined Authori`), unless only an account bracket says so
///   (`RNN GROUP (COMBINED AUTHORITY)` is a college group paid through one);
/// - transport authorities and executives: `Transport for` and a place (`Transport for
///   Greater Manchester`, `Transport for the North`; not `Transport for All`), their
///   initials (`TfGM`, `TfL`, `TfWM`), and passenger transport executives;
/// - police and crime commissioners by initials: `PCC for Cleveland`, `OPCC for …` (a
///   police area, not always a place of today: Cleveland);
/// - parochial church councils, which are charities: `PCC of Holy Trinity Bingley`,
///   `PCC St John The Divine`.
fn local_public_body(name: &str, p: &Parsed) -> Option<KindEvidence> {
    let ev = |kind: Kind, what: &str| {
        Some(KindEvidence {
            kind,
            source: "name".into(),
            detail: format!("{what} in {name:?}"),
        })
    };
    let toks = &p.main.toks;
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|x| !x.is_empty())
        .collect();
    let combined = toks
        .windows(2)
        .any(|t| &*t[0].s == "combined" && t[1].s.starts_with("auth") && t[1].f & F_BRACKET == 0);
    if combined {
        return ev(Kind::PublicBody(PublicType::Council), "combined authority");
    }
    let placed = |from: usize| {
        toks.len() > from
            && toks[from..]
                .iter()
                .all(|t| is_place_word(&t.s) || is_direction_word(&t.s) || is_region_word(&t.s))
    };
    let transport = (words.starts_with(&["transport", "for"]) && placed(1))
        || matches!(words.first(), Some(&("tfgm" | "tfl" | "tfwm")))
        || words
            .windows(3)
            .any(|x| x == ["passenger", "transport", "executive"])
        // `SYPTE`, `WYPTE`, `GMPTE`: one word of the name as written, so spaced-out
        // initials (`P T E Sound Systems`) do not count.
        || words
            .first()
            .is_some_and(|x| x.ends_with("pte") && (4..=6).contains(&x.len()));
    if transport {
        return ev(
            Kind::PublicBody(PublicType::Transport),
            "transport authority or executive",
        );
    }
    if matches!(words.first(), Some(&("pcc" | "opcc"))) && words.get(1) == Some(&"for") {
        return ev(
            Kind::PublicBody(PublicType::Police),
            "police and crime commissioner",
        );
    }
    let church = |x: &&str| {
        matches!(
            *x,
            "church"
                | "parish"
                | "st"
                | "saint"
                | "saints"
                | "holy"
                | "trinity"
                | "christ"
                | "cathedral"
                | "chapel"
                | "minster"
                | "abbey"
                | "priory"
                | "apostles"
        )
    };
    if words.first() == Some(&"pcc") && words.iter().skip(1).any(church) {
        return ev(Kind::Charity, "parochial church council");
    }
    None
}

/// Decide an entity's kind from all evidence: register evidence beats name evidence;
/// among names, the most specific kind seen on at least a quarter of the names that say
/// anything (so one odd variant does not decide), ties by specificity. `members` is the
/// number of names of the entity: it is an individual only if at least half of all its
/// names look like a person's.
pub fn decide(evidence: &[KindEvidence], members: usize) -> Kind {
    let reg: Vec<&KindEvidence> = evidence.iter().filter(|e| e.source != "name").collect();
    if let Some(best) = reg.iter().max_by_key(|e| e.kind.rank()) {
        return best.kind;
    }
    let names: Vec<&KindEvidence> = evidence.iter().filter(|e| e.source == "name").collect();
    if names.is_empty() {
        return Kind::Unknown;
    }
    // A person cannot be a company or a public body: one name with a legal form or a
    // public body's name outweighs any number that look like a person's
    // (`W M MORRISON PLC` / `WM MORRISON 079`).
    let formal = names
        .iter()
        .any(|e| !matches!(e.kind, Kind::Individual | Kind::Unknown));
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for e in &names {
        match counts.iter_mut().find(|(k, _)| *k == e.kind) {
            Some(c) => c.1 += 1,
            None => counts.push((e.kind, 1)),
        }
    }
    let min = names.len().div_ceil(4);
    counts
        .iter()
        .filter(|(k, c)| *c >= min && !(*k == Kind::Individual && (formal || *c * 2 < members)))
        .max_by_key(|(k, c)| (k.rank(), *c))
        .map_or(Kind::Unknown, |(k, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn kind(s: &str) -> Kind {
        from_name(s, &parse(s)).map_or(Kind::Unknown, |e| e.kind)
    }

    #[test]
    fn kinds_from_names() {
        assert_eq!(kind("AMEY LG LTD"), Kind::Company);
        assert_eq!(kind("Wexcombe Group Plc"), Kind::Plc);
        assert_eq!(kind("Harrow Lane Partners LLP"), Kind::Llp);
        assert_eq!(kind("Open Doors Arts CIC"), Kind::Cic);
        assert_eq!(
            kind("RIVERSIDE RADIO Community Interest Company"),
            Kind::Cic
        );
        assert_eq!(kind("Wirral MBC"), Kind::PublicBody(PublicType::Council));
        assert_eq!(kind("HMRC Cumbernauld"), Kind::PublicBody(PublicType::Hmrc));
        assert_eq!(
            kind("Norfolk and Norwich Hospitals NHS Trust"),
            Kind::PublicBody(PublicType::Nhs)
        );
        assert_eq!(
            kind("University of Exeter"),
            Kind::PublicBody(PublicType::University)
        );
        assert_eq!(kind("Exeter University Students Union"), Kind::Unknown);
        assert_eq!(
            kind("ST AIDANS CATHOLIC PRIMARY"),
            Kind::PublicBody(PublicType::School)
        );
        assert_eq!(kind("MR JOHN JACKSON"), Kind::Individual);
        assert_eq!(kind("REDACTED PERSONAL DATA"), Kind::Individual);
        assert_eq!(kind("Wirral Community Co-operative Ltd"), Kind::Society);
        // Local public bodies and their namesakes, as anchors' ledgers name them.
        let council = Kind::PublicBody(PublicType::Council);
        let transport = Kind::PublicBody(PublicType::Transport);
        for n in [
            "GREATER MANCHESTER COMBINED AUTHORITY",
            "Greater Manchester Combined Authori",
            "NORTH EAST COMBINED AUTH (NECA)",
            "SHEFFIELD CITY REGION COMBINED AUTHORITY",
        ] {
            assert_eq!(kind(n), council, "{n}");
        }
        assert_ne!(kind("RNN GROUP (COMBINED AUTHORITY)"), council);
        for n in [
            "Transport for Greater Manchester",
            "TRANSPORT FOR LONDON",
            "Transport for the North",
            "TfGM T/A DriveSafe",
            "TFL PENALTY CHARGE",
            "WEST YORKSHIRE PASSENGER TRANSPORT EXECUTIVE",
            "SYPTE - COMBINED AUTHORITY ONLY",
        ] {
            assert_eq!(kind(n), transport, "{n}");
        }
        assert_eq!(kind("TRANSPORT FOR EDINBURGH LTD"), Kind::Company);
        assert_ne!(kind("Accessible Passenger Transport"), transport);
        assert_ne!(kind("TFC Consultants"), transport);
        assert_ne!(kind("P T E Sound Systems"), transport);
        assert_ne!(kind("PTE Ltd"), transport);
        for n in ["Pcc For Greater Manchester", "PCC FOR CLEVELAND"] {
            assert_eq!(kind(n), Kind::PublicBody(PublicType::Police), "{n}");
        }
        for n in [
            "PCC OF HOLY TRINITY BINGLEY",
            "PCC St John The Divine",
            "PCC of Christ Church Sowerby Bridge",
        ] {
            assert_eq!(kind(n), Kind::Charity, "{n}");
        }
        assert_eq!(
            kind("Harper Adams University Higher Education Corporation"),
            Kind::PublicBody(PublicType::University)
        );
        assert_eq!(
            Kind::from_label("public_body/council"),
            Some(Kind::PublicBody(PublicType::Council))
        );
        assert_eq!(Kind::from_label(&Kind::Cio.label()), Some(Kind::Cio));
    }
}
