//! CPV codes (Common Procurement Vocabulary 2008, Regulation (EC) No 213/2008), parsed once
//! into [`CpvCode`] and labelled from the bundled list (`data/cpv2008_codes_en.csv.xz`, see
//! `data/NOTICE.md`).
//!
//! A code is eight digits and an optional check digit (`45000000-7`). Publishers also write
//! it without the check digit (`45000000`, as Contracts Finder's OCDS does) or as a number
//! that lost its leading zero (`3000000` for `03000000`); both are read. A code of the right
//! shape that is not in the vocabulary is an [`CpvError::Unknown`], reported by the caller
//! with where it was found.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::sync::OnceLock;

use serde::{Serialize, Serializer};

/// A CPV 2008 code: its eight digits (the check digit is derived, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CpvCode(u32);

/// Why text is not a CPV code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpvError {
    /// Not eight digits (with an optional `-d` check digit).
    #[error("not a CPV code (eight digits, optionally -check digit)")]
    Malformed,
    /// Eight digits that are not in CPV 2008.
    #[error("not a code of CPV 2008")]
    Unknown,
    /// Seven digits that read as a CPV 2008 code both with a leading zero restored and
    /// with a last zero restored.
    #[error(
        "seven digits: a CPV 2008 code both with a leading zero and with a trailing zero restored"
    )]
    Ambiguous,
}

impl CpvCode {
    /// Parse and check against the vocabulary. Seven digits are a code that lost a digit:
    /// its leading zero (a number column) or its last digit (a truncated export); the
    /// code is read when exactly one of the two is in CPV 2008, and is
    /// [`CpvError::Ambiguous`] when both are.
    pub fn parse(s: &str) -> Result<CpvCode, CpvError> {
        let t = s.trim();
        let digits = t.split_once('-').map(|x| x.0).unwrap_or(t);
        let code = Self::parse_shape(s)?;
        let known = |c: CpvCode| Vocabulary::get().label(c).is_some();
        if digits.len() == 7 {
            let right = CpvCode(code.0 * 10);
            return match (known(code), known(right)) {
                (true, false) => Ok(code),
                (false, true) => Ok(right),
                (true, true) => Err(CpvError::Ambiguous),
                (false, false) => Err(CpvError::Unknown),
            };
        }
        if !known(code) {
            return Err(CpvError::Unknown);
        }
        Ok(code)
    }

    /// Parse the shape only (eight digits, or seven that lost a leading zero).
    pub fn parse_shape(s: &str) -> Result<CpvCode, CpvError> {
        let t = s.trim();
        let digits = match t.split_once('-') {
            Some((d, check)) if check.len() == 1 && check.bytes().all(|b| b.is_ascii_digit()) => d,
            Some(_) => return Err(CpvError::Malformed),
            None => t,
        };
        if !(7..=8).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CpvError::Malformed);
        }
        digits.parse().map(CpvCode).map_err(|_| CpvError::Malformed)
    }

    /// The two-digit division (`45` construction work).
    pub fn division(self) -> u8 {
        (self.0 / 1_000_000) as u8
    }

    /// Its English name in CPV 2008.
    pub fn label(self) -> Option<&'static str> {
        Vocabulary::get().label(self)
    }

    /// Supplies, works or services (the vocabulary's type).
    pub fn kind(self) -> Option<&'static str> {
        Vocabulary::get().kind(self)
    }

    /// The eight digits as a number.
    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for CpvCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

impl Serialize for CpvCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The CPV 2008 list.
pub struct Vocabulary {
    codes: HashMap<u32, (u8, String)>,
}

static BUNDLED: &[u8] = include_bytes!("../data/cpv2008_codes_en.csv.xz");
static VOCAB: OnceLock<Vocabulary> = OnceLock::new();

impl Vocabulary {
    /// The bundled list, read once.
    pub fn get() -> &'static Vocabulary {
        VOCAB.get_or_init(|| {
            let mut text = String::new();
            // The bundled file is part of the build; a failure here is a broken build.
            xz2::read::XzDecoder::new(BUNDLED)
                .read_to_string(&mut text)
                .expect("bundled CPV list decompresses");
            let mut codes = HashMap::new();
            let mut r = csv::Reader::from_reader(text.as_bytes());
            for rec in r.records().map_while(Result::ok) {
                let (Some(Ok(code)), Some(kind), Some(name)) =
                    (rec.get(0).map(CpvCode::parse_shape), rec.get(1), rec.get(2))
                else {
                    continue;
                };
                codes.insert(code.0, (kind.parse().unwrap_or(0), name.to_string()));
            }
            Vocabulary { codes }
        })
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the list is empty (never, for the bundled list).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Every label of the list, in no particular order (the neutral corpus the matcher
    /// estimates word rarity on).
    pub fn labels(&'static self) -> impl Iterator<Item = &'static str> {
        self.codes.values().map(|x| x.1.as_str())
    }

    fn label(&'static self, c: CpvCode) -> Option<&'static str> {
        self.codes.get(&c.0).map(|x| x.1.as_str())
    }

    fn kind(&'static self, c: CpvCode) -> Option<&'static str> {
        self.codes.get(&c.0).and_then(|x| match x.0 {
            1 => Some("supplies"),
            2 => Some("works"),
            3 => Some("services"),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_in_the_forms_publishers_write() {
        assert_eq!(Vocabulary::get().len(), 9454);
        let c = CpvCode::parse("45000000-7").unwrap();
        assert_eq!(c.to_string(), "45000000");
        assert_eq!(c.label(), Some("Construction work"));
        assert_eq!(c.kind(), Some("works"));
        assert_eq!(CpvCode::parse("45000000").unwrap(), c);
        // Seven digits: a lost leading zero, a lost last digit, or both readings possible.
        assert_eq!(CpvCode::parse("3111200").unwrap().to_string(), "03111200");
        assert_eq!(CpvCode::parse("3000000"), Err(CpvError::Ambiguous));
        // The CF pipeline report's truncated `3360000` is 33600000 (03360000 is no code).
        assert_eq!(CpvCode::parse("3360000").unwrap().to_string(), "33600000");
        assert_eq!(CpvCode::parse("45000001"), Err(CpvError::Unknown));
        assert_eq!(CpvCode::parse("4500"), Err(CpvError::Malformed));
        assert_eq!(CpvCode::parse("45000000-77"), Err(CpvError::Malformed));
        assert_eq!(c.division(), 45);
    }
}
