//! Public bodies recognised from their names alone: local authorities in any of the ways
//! ledgers write them (`Wirral MBC`, `Metropolitan Borough of Wirral`, `WIRRAL MET
//! COUNCIL`, `Sefton M.B.C.`, `LB of Hackney`, `Hackney London Borough Council`), and the
//! national bodies every anchor pays under many names (`HMRC`, `H M Revenue and Customs
//! Stamp Duty Office`, the pre-2005 `Inland Revenue`).
//!
//! A recognised body gets a key (`la:wirral`, `gov:hmrc`): two names with the same key are
//! the same body, two with different keys are different bodies, whatever their words share.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::words::{place_key, places};

/// The key of a public body recognised from its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PublicKey {
    /// A local authority, by its normalised place name (`wirral`, `bath north east somerset`).
    Council(String),
    /// A national body from [`national_bodies`], by its short key (`hmrc`).
    National(&'static str),
}

impl PublicKey {
    /// The key as text (`la:wirral`, `gov:hmrc`), used for blocking and in outputs.
    pub fn text(&self) -> String {
        match self {
            PublicKey::Council(p) => format!("la:{p}"),
            PublicKey::National(k) => format!("gov:{k}"),
        }
    }
}

/// A national public body: key, display name, subtype, and the word sequences (cleaned,
/// stopwords removed, stemmed) a name may start with.
#[derive(Debug)]
pub struct National {
    /// Short key.
    pub key: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Subtype for classification (`hmrc`, `central_government`…).
    pub subtype: &'static str,
    /// Word sequences that open a name of this body.
    pub patterns: Vec<Vec<&'static str>>,
}

/// National bodies that anchors pay under several names, read once from
/// `data/national_bodies.tsv`: official names from GOV.UK's list of departments and
/// agencies, their initials, and the names of the bodies they replaced (HMRC from the
/// Inland Revenue and HM Customs & Excise, Commissioners for Revenue and Customs Act 2005).
pub fn national_bodies() -> &'static [National] {
    static N: OnceLock<Vec<National>> = OnceLock::new();
    N.get_or_init(|| {
        let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
        include_str!("../data/national_bodies.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let [key, subtype, name, patterns] = f[..] else {
                    return None;
                };
                Some(National {
                    key: leak(key),
                    subtype: leak(subtype),
                    name: leak(name),
                    patterns: patterns
                        .split('|')
                        .map(|p| p.split_whitespace().map(leak).collect())
                        .collect(),
                })
            })
            .collect()
    })
}

/// Look a national body up by key.
pub fn national(key: &str) -> Option<&'static National> {
    national_bodies().iter().find(|n| n.key == key)
}

/// Recognise a national body from a name's key tokens (stopwords removed, stemmed).
/// Returns the body and how many tokens the pattern used (the rest qualify it:
/// `HMRC Cumbernauld Office`).
pub fn detect_national(tokens: &[&str]) -> Option<(&'static National, usize)> {
    let mut best: Option<(&'static National, usize)> = None;
    for n in national_bodies() {
        for p in &n.patterns {
            if tokens.len() >= p.len()
                && tokens.iter().zip(p.iter()).all(|(a, b)| a == b)
                && best.is_none_or(|(_, l)| p.len() > l)
            {
                best = Some((n, p.len()));
            }
        }
    }
    best
}

fn marker(w: &str) -> Option<bool> {
    // Some(true): a word that can end a council's name; Some(false): one that can only
    // sit inside it. The forms are those of the Local Government Act 1972 and the London
    // Government Act 1963 (county, district, borough, metropolitan borough, city, London
    // borough, royal borough) and their usual initials (MBC, MDC, LBC, RBC, LB, RB).
    match w {
        "council" | "mbc" | "mdc" | "bc" | "dc" | "cc" | "mb" | "md" | "lbc" | "cbc" | "ccc"
        | "rbc" => Some(true),
        "metropolitan" | "met" | "metro" | "borough" | "district" | "county" | "city" | "m"
        | "b" | "d" | "c" | "royal" | "unitary" | "authority" | "london" | "lb" | "rb" | "bor"
        | "boro" => Some(false),
        // Cut at a field width (`Counc`), or one slip of the keyboard in a long word
        // (`Concil`, `Conty`, `Metroplitan`, `Borugh`).
        _ if w.len() >= 4 && "council".starts_with(w) => Some(true),
        _ if typo(w, "council") => Some(true),
        _ if ["metropolitan", "borough", "county", "district"]
            .iter()
            .any(|f| typo(w, f)) =>
        {
            Some(false)
        }
        _ => None,
    }
}

/// `w` is `full` with one letter missing, added, changed or two swapped (two in words of
/// ten letters or more), starting with the same letter.
fn typo(w: &str, full: &str) -> bool {
    let max = if full.len() >= 10 { 2 } else { 1 };
    w.len() >= 5
        && w.len() + max >= full.len()
        && w.as_bytes()[0] == full.as_bytes()[0]
        && crate::text::osa(w.as_bytes(), full.as_bytes(), max) <= max
}

/// Recognise a local authority from a name's cleaned words (before stopwords are removed,
/// single letters already joined: `m b c` → `mbc`), against the ONS names of local
/// authority districts and counties (`data/local_authorities.txt`). Returns the place key and
/// the number of words the council's name used; the rest qualifies it (`WALSALL COUNCIL
/// HIGHWAYS DEPT`). A body named after the council is not the council: `WIRRAL COUNCIL OF
/// FAITHS`, `Walsall City of Culture Ltd`, `Sefton Council for Voluntary Service`,
/// `Wolverhampton Racial Equality Council`.
pub fn detect_council(words: &[&str]) -> Option<(String, usize)> {
    let mut w = words;
    let mut used = 0;
    if w.first() == Some(&"the") {
        w = &w[1..];
        used += 1;
    }
    // `City of X`, `Royal Borough of X`, `London Borough of X`, `LB of X`, `Metropolitan
    // Borough of X`; without the `of` only a borough's initials or words (`LB X`, `London
    // Borough X`, `RB X`).
    let mut prefix = false;
    if let Some(of) = w.iter().take(4).position(|x| *x == "of") {
        if of >= 1 && w[..of].iter().all(|x| marker(x).is_some()) {
            prefix = true;
            w = &w[of + 1..];
            used += of + 1;
        }
    }
    if !prefix {
        let k = w
            .iter()
            .take(3)
            .take_while(|x| marker(x) == Some(false))
            .count();
        if k >= 1
            && k < w.len()
            && matches!(w[0], "lb" | "rb" | "london" | "royal")
            && matches!(w[k - 1], "lb" | "rb" | "borough")
        {
            prefix = true;
            w = &w[k..];
            used += k;
        }
    }
    let max = w.len().min(6);
    for k in (1..=max).rev() {
        let place = place_key(&w[..k].join(" "));
        if place.is_empty() || !places().authorities.contains(&place) {
            continue;
        }
        let rest = &w[k..];
        let mut i = 0;
        let mut terminal = false;
        while i < rest.len() {
            match marker(rest[i]) {
                Some(t) => {
                    let last = i + 1 == rest.len();
                    // `County` and `Borough` end a name only at its very end
                    // (`LINCOLNSHIRE COUNTY`), not in `Durham County Cricket Club`.
                    let ends = t || (last && matches!(rest[i], "county" | "borough" | "district"));
                    terminal |= ends;
                    i += 1;
                }
                None => break,
            }
        }
        if !(terminal || (prefix && i == 0 && rest.is_empty())) {
            continue;
        }
        // `… Council of Mosques`, `… Council for Voluntary Service`: another body named
        // after the place.
        if matches!(rest.get(i), Some(&("of" | "for"))) {
            return None;
        }
        if prefix && !terminal && !rest.is_empty() {
            return None;
        }
        // Words after the council's name that make another body named after it (`Leeds
        // City College`, `… Council Credit Union`, `… Council Sports Club`): not the
        // council, whatever follows.
        if rest[i..].iter().any(|x| {
            matches!(
                *x,
                "college"
                    | "club"
                    | "football"
                    | "fc"
                    | "stadium"
                    | "cricket"
                    | "rugby"
                    | "church"
                    | "mosque"
                    | "mosques"
                    | "union"
                    | "voluntary"
                    | "cvs"
                    | "enterprise"
                    | "enterprises"
                    | "charity"
                    | "charitable"
                    | "trustee"
                    | "trustees"
                    | "association"
                    | "society"
            )
        }) {
            return None;
        }
        let place = places().aliases.get(&place).cloned().unwrap_or(place);
        return Some((place, used + k + i));
    }
    // `Royal Borough of Kensington & Chels`: after a council's prefix, a place name cut at
    // a field width, when it is the start of exactly one authority's name (its last word
    // cut after three letters or more).
    if prefix && !w.is_empty() && w.last().is_some_and(|x| x.len() >= 3) {
        let start = place_key(&w.join(" "));
        let mut found = places()
            .authorities
            .iter()
            .filter(|a| a.len() > start.len() && a.starts_with(&start));
        if let (Some(a), None) = (found.next(), found.next()) {
            let a = places().aliases.get(a).unwrap_or(a).clone();
            return Some((a, used + w.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn la(s: &str) -> Option<String> {
        let c = crate::text::clean(s);
        let words: Vec<&str> = c
            .split(|ch: char| !ch.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        detect_council(&words).map(|(p, _)| p)
    }

    #[test]
    fn councils() {
        for (s, p) in [
            ("Wirral Council", "wirral"),
            ("WIRRAL MBC", "wirral"),
            ("Wirral Met Council", "wirral"),
            ("Metropolitan Borough of Wirral", "wirral"),
            ("CITY OF WOLVERHAMPTON", "wolverhampton"),
            ("City of Wolverhampton Council", "wolverhampton"),
            ("Sefton Metropolitan Borough", "sefton"),
            ("LINCOLNSHIRE COUNTY", "lincolnshire"),
            (
                "Bath And North East Somerset Council",
                "bath north east somerset",
            ),
            (
                "BATH NORTH EAST SOMERSET COUNCIL",
                "bath north east somerset",
            ),
            ("WALSALL COUNCIL HIGHWAYS DEPT", "walsall"),
            ("KNOWSLEY METROPOLITAN BOROUGH COUNC", "knowsley"),
            (
                "Royal Borough of Kingston upon Thames",
                "kingston upon thames",
            ),
            // The London Government Act 1963 forms and their initials.
            ("London Borough of Hackney", "hackney"),
            ("LB of Hackney", "hackney"),
            ("LB Hackney", "hackney"),
            ("ROYAL BOR OF KINGSTON UPON THAMES", "kingston upon thames"),
            ("LONDON BOROUGH HACKNEY", "hackney"),
            ("Hackney London Borough Council", "hackney"),
            ("Hackney LBC", "hackney"),
            // Short forms councils go by.
            ("Hull City Council", "kingston upon hull"),
            ("Kingston upon Hull City Council", "kingston upon hull"),
            ("Stoke City Council", "stoke trent"),
            ("Stoke-on-Trent City Council", "stoke trent"),
            // `with` in a place's name is written `&` too (ONS: Blackburn with Darwen).
            ("Blackburn with Darwen Borough Council", "blackburn darwen"),
            ("BLACKBURN & DARWEN BC", "blackburn darwen"),
            // One slip of the keyboard in the council's words.
            ("Lancashire Conty Council", "lancashire"),
            ("Norfolk County Concil", "norfolk"),
            ("WIRRAL METROPLITAN BOROUGH COUNCIL", "wirral"),
            ("Wirral Metropolitan Borugh Council", "wirral"),
            // A place cut at a field width after a council's prefix.
            ("ROYAL BOROUGH OF KENSINGTON & CHELS", "kensington chelsea"),
            ("LONDON BOROUGH OF TOWER HAM", "tower hamlets"),
        ] {
            assert_eq!(la(s).as_deref(), Some(p), "{s}");
        }
        for s in [
            "WIRRAL COUNCIL OF FAITHS",
            "Walsall City of Culture Ltd",
            "Wolverhampton Racial Equality Council",
            "Wolverhampton City of Sanctuary",
            "City Of Wolverhampton Community Stadium",
            "Sefton Council for Voluntary Service",
            "Knowsley Council Credit Union",
            "Walsall City College",
            "Hackney London",
            "County Durham Sports Club",
            // (The start of two authorities' names is neither.)
            "City of Newcastle",
        ] {
            assert_eq!(la(s), None, "{s}");
        }
    }

    #[test]
    fn national_bodies_from_data() {
        assert_eq!(
            detect_national(&["hmrc", "cumbernauld"]).unwrap().0.key,
            "hmrc"
        );
        assert_eq!(
            detect_national(&["inland", "revenue", "cumbernauld", "paye"])
                .unwrap()
                .1,
            2
        );
        assert!(detect_national(&["revenue", "management", "ltd"]).is_none());
        // Every body of the data file has a name, a subtype and a pattern.
        assert!(national_bodies().len() >= 15);
        for n in national_bodies() {
            assert!(!n.name.is_empty() && !n.patterns.is_empty(), "{n:?}");
        }
    }
}
