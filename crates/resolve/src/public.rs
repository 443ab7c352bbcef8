//! Public bodies recognised from their names alone: local authorities in any of the ways
//! ledgers write them (`Bradford MDC`, `City of Bradford Metropolitan District Council`,
//! `BRADFORD MET COUNCIL`, `Calderdale M.B.C.`), and the national bodies every anchor pays
//! under many names (`HMRC`, `H M Revenues & Customs Stamp Duty`, the pre-2005
//! `Inland Revenue`).
//!
//! A recognised body gets a key (`la:bradford`, `gov:hmrc`): two names with the same key are
//! the same body, two with different keys are different bodies, whatever their words share.

use serde::{Deserialize, Serialize};

use crate::words::{place_key, places};

/// The key of a public body recognised from its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PublicKey {
    /// A local authority, by its normalised place name (`bradford`, `cheshire west chester`).
    Council(String),
    /// A national body from [`NATIONAL`], by its short key (`hmrc`).
    National(&'static str),
}

impl PublicKey {
    /// The key as text (`la:bradford`, `gov:hmrc`), used for blocking and in outputs.
    pub fn text(&self) -> String {
        match self {
            PublicKey::Council(p) => format!("la:{p}"),
            PublicKey::National(k) => format!("gov:{k}"),
        }
    }
}

/// A national public body: key, display name, subtype, and the word sequences (cleaned,
/// stopwords removed, stemmed) a name may start with.
pub struct National {
    /// Short key.
    pub key: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Subtype for classification (`hmrc`, `central_government`…).
    pub subtype: &'static str,
    /// Word sequences that open a name of this body.
    pub patterns: &'static [&'static [&'static str]],
}

/// National bodies that anchors pay under several names. HMRC's legacy names come from
/// its creation from the Inland Revenue and HM Customs & Excise (Commissioners for Revenue
/// and Customs Act 2005).
pub const NATIONAL: &[National] = &[
    National {
        key: "hmrc",
        name: "HM Revenue & Customs",
        subtype: "hmrc",
        patterns: &[
            &["hmrc"],
            &["hm", "revenue", "custom"],
            &["hm", "revenue"],
            &["her", "majesty", "revenue", "custom"],
            &["revenue", "custom"],
            &["inland", "revenue"],
            &["hm", "custom", "excise"],
            &["hmce"],
        ],
    },
    National {
        key: "dwp",
        name: "Department for Work and Pensions",
        subtype: "central_government",
        patterns: &[&["dwp"], &["department", "work", "pension"]],
    },
    National {
        key: "hmlr",
        name: "HM Land Registry",
        subtype: "central_government",
        patterns: &[
            &["hm", "land", "registry"],
            &["land", "registry"],
            &["hmlr"],
        ],
    },
    National {
        key: "dvla",
        name: "Driver and Vehicle Licensing Agency",
        subtype: "central_government",
        patterns: &[&["dvla"], &["driver", "vehicle", "licensing", "agency"]],
    },
    National {
        key: "hmcts",
        name: "HM Courts & Tribunals Service",
        subtype: "central_government",
        patterns: &[
            &["hmcts"],
            &["hm", "court", "tribunal", "service"],
            &["hm", "court", "service"],
        ],
    },
    National {
        key: "moj",
        name: "Ministry of Justice",
        subtype: "central_government",
        patterns: &[&["ministry", "justice"], &["moj"]],
    },
    National {
        key: "home_office",
        name: "Home Office",
        subtype: "central_government",
        patterns: &[&["home", "office"]],
    },
    National {
        key: "dfe",
        name: "Department for Education",
        subtype: "central_government",
        patterns: &[&["department", "education"], &["dfe"]],
    },
    National {
        key: "esfa",
        name: "Education and Skills Funding Agency",
        subtype: "central_government",
        patterns: &[&["education", "skill", "funding", "agency"], &["esfa"]],
    },
    National {
        key: "environment_agency",
        name: "Environment Agency",
        subtype: "central_government",
        patterns: &[&["environment", "agency"]],
    },
    National {
        key: "cqc",
        name: "Care Quality Commission",
        subtype: "central_government",
        patterns: &[&["care", "quality", "commission"], &["cqc"]],
    },
    National {
        key: "dbs",
        name: "Disclosure and Barring Service",
        subtype: "central_government",
        patterns: &[&["disclosure", "barring", "service"]],
    },
    National {
        key: "nhsbsa",
        name: "NHS Business Services Authority",
        subtype: "nhs",
        patterns: &[
            &["nhs", "business", "service", "authority"],
            &["nhsbsa"],
            &["nhs", "bsa"],
        ],
    },
    National {
        key: "slc",
        name: "Student Loans Company",
        subtype: "central_government",
        patterns: &[&["student", "loan", "company"]],
    },
    National {
        key: "ico",
        name: "Information Commissioner's Office",
        subtype: "central_government",
        patterns: &[&["information", "commissioner"]],
    },
    National {
        key: "cabinet_office",
        name: "Cabinet Office",
        subtype: "central_government",
        patterns: &[&["cabinet", "office"]],
    },
    National {
        key: "hm_treasury",
        name: "HM Treasury",
        subtype: "central_government",
        patterns: &[&["hm", "treasury"]],
    },
];

/// Look a national body up by key.
pub fn national(key: &str) -> Option<&'static National> {
    NATIONAL.iter().find(|n| n.key == key)
}

/// Recognise a national body from a name's key tokens (stopwords removed, stemmed).
/// Returns the body and how many tokens the pattern used (the rest qualify it:
/// `HMRC Shipley Office`).
pub fn detect_national(tokens: &[&str]) -> Option<(&'static National, usize)> {
    let mut best: Option<(&'static National, usize)> = None;
    for n in NATIONAL {
        for p in n.patterns {
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
    // sit inside it. `metroplitan`, `metro` and cut-short `counc` are real ledger forms.
    match w {
        "council" | "mbc" | "mdc" | "bc" | "dc" | "cc" | "mb" | "md" | "lbc" | "cbc" | "ccc"
        | "mbcouncil" => Some(true),
        "metropolitan" | "met" | "metro" | "borough" | "district" | "county" | "city" | "m"
        | "b" | "d" | "c" | "royal" | "unitary" | "authority" => Some(false),
        _ if w.len() >= 4 && "council".starts_with(w) => Some(true),
        // A name keyed twice without a space: `Oldham Mbcoldham Mbc`.
        _ if w.len() > 3 && (w.starts_with("mbc") || w.starts_with("mdc")) => Some(true),
        _ if w.len() >= 6 && (w.starts_with("metrop") || w.starts_with("metrpo")) => Some(false),
        _ => None,
    }
}

/// Recognise a local authority from a name's cleaned words (before stopwords are removed,
/// single letters already joined: `m b c` → `mbc`). Returns the place key and the number of
/// words the council's name used; the rest qualifies it (`LEEDS CITY COUNCIL DEVELOPMENT
/// DEPT`). `BRADFORD COUNCIL OF MUSLIM WOMEN`, `Bradford City of Film Ltd` and `Leeds Racial
/// Equality Council` are not councils.
pub fn detect_council(words: &[&str]) -> Option<(String, usize)> {
    let mut w = words;
    let mut used = 0;
    if w.first() == Some(&"the") {
        w = &w[1..];
        used += 1;
    }
    // `City of X`, `Royal Borough of X`, `London Borough of X`, `Metropolitan Borough of X`.
    let mut prefix = false;
    if let Some(of) = w.iter().take(4).position(|x| *x == "of") {
        if of >= 1
            && w[..of]
                .iter()
                .all(|x| marker(x).is_some() || *x == "london")
        {
            prefix = true;
            w = &w[of + 1..];
            used += of + 1;
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
                    // (`NORTH YORKSHIRE COUNTY`), not in `Durham County Cricket Club`.
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
        if rest.get(i) == Some(&"of") {
            return None;
        }
        if prefix && !terminal && !rest.is_empty() {
            return None;
        }
        // Markers must not be followed directly by a word that makes it another body
        // (`Leeds City College`).
        if let Some(next) = rest.get(i) {
            if matches!(
                *next,
                "college"
                    | "club"
                    | "football"
                    | "fc"
                    | "stadium"
                    | "cricket"
                    | "rugby"
                    | "church"
                    | "mosque"
                    | "union"
            ) {
                return None;
            }
        }
        return Some((place, used + k + i));
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
            ("Bradford Council", "bradford"),
            ("BRADFORD MDC", "bradford"),
            ("Bradford Met Council", "bradford"),
            ("BRADFORD METROPLITAN DISTRICT COUNCIL", "bradford"),
            ("City of Bradford MDC", "bradford"),
            ("CITY OF SALFORD", "salford"),
            ("Calderdale Metropolitan Borough", "calderdale"),
            ("NORTH YORKSHIRE COUNTY", "north yorkshire"),
            ("Cheshire West And Chester Council", "cheshire west chester"),
            ("CHESHIRE WEST CHESTER COUNCIL", "cheshire west chester"),
            ("LEEDS CITY COUNCIL DEVELOPMENT DEPT", "leeds"),
            ("BARNSLEY METROPOLITAN BOROUGH COUNC", "barnsley"),
            (
                "Royal Borough of Kingston upon Thames",
                "kingston upon thames",
            ),
        ] {
            assert_eq!(la(s).as_deref(), Some(p), "{s}");
        }
        for s in [
            "BRADFORD COUNCIL OF MUSLIM WOMEN",
            "Bradford City of Film Ltd",
            "Leeds Racial Equality Council",
            "Manchester City of Literature",
            "City Of Salford Community Stadium",
            "Calderdale Council Of Mosques",
            "Leeds City College",
        ] {
            assert_eq!(la(s), None, "{s}");
        }
    }

    #[test]
    fn national_bodies() {
        assert_eq!(detect_national(&["hmrc", "shipley"]).unwrap().0.key, "hmrc");
        assert_eq!(
            detect_national(&["inland", "revenue", "shipley", "paye"])
                .unwrap()
                .1,
            2
        );
        assert!(detect_national(&["revenue", "management", "ltd"]).is_none());
    }
}
