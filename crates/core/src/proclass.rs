//! ProClass codes: the procurement classification of English local government.
//!
//! ProClass (the successor of the National Procurement Classification, maintained for local
//! government by the ProClass user group) is hierarchical: a six-digit code is a top-level
//! category, a subcategory and a detail, two digits each (`19 14 00`). Spend files under the
//! Transparency Code publish it beside its label (Trafford's `ProclassLabel,ProclassCode`:
//! `FACILITIES MGT : Lifts` and `191400`). Only the code's shape can be checked here: which
//! codes exist is the classification's list, which this crate does not hold.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A ProClass code, six digits (`191400`). Parsed from `191400`, `19 14 00`, `19.14.00` or
/// `19-14-00`; shown as six digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProclassCode([u8; 6]);

/// Why a value is not a ProClass code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a ProClass code (six digits, XX YY ZZ)")]
pub struct ProclassError(pub String);

impl ProclassCode {
    /// Parse a code: six digits, or three pairs of digits separated by one space, `.` or `-`
    /// (the same separator each time). Surrounding white space is ignored.
    pub fn parse(s: &str) -> Result<ProclassCode, ProclassError> {
        let t = s.trim();
        let b = t.as_bytes();
        let digits: Option<[u8; 6]> = match b.len() {
            6 => b.try_into().ok(),
            8 if matches!(b[2], b' ' | b'.' | b'-') && b[5] == b[2] => {
                Some([b[0], b[1], b[3], b[4], b[6], b[7]])
            }
            _ => None,
        };
        match digits {
            Some(d) if d.iter().all(u8::is_ascii_digit) => Ok(ProclassCode(d)),
            _ => Err(ProclassError(s.to_string())),
        }
    }

    /// The six digits (`"191400"`).
    pub fn as_str(&self) -> &str {
        // Six ASCII digits, checked when parsed.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The top level (`"19"` of `191400`).
    pub fn top(&self) -> &str {
        &self.as_str()[..2]
    }
}

impl std::fmt::Display for ProclassCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProclassCode {
    type Err = ProclassError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProclassCode::parse(s)
    }
}

impl Serialize for ProclassCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProclassCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ProclassCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forms() {
        for s in ["191400", " 191400 ", "19 14 00", "19.14.00", "19-14-00"] {
            assert_eq!(ProclassCode::parse(s).unwrap().as_str(), "191400", "{s:?}");
        }
        assert_eq!(ProclassCode::parse("191400").unwrap().top(), "19");
        for s in [
            "",
            "NA",
            "19140",
            "1914000",
            "19 14-00",
            "CAT04",
            "19a400",
            "١٩١٤٠٠",
        ] {
            assert!(ProclassCode::parse(s).is_err(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn six_digits_round_trip(n in 0u32..1_000_000) {
            let s = format!("{n:06}");
            let c = ProclassCode::parse(&s).unwrap();
            prop_assert_eq!(c.to_string(), s.clone());
            let spaced = format!("{} {} {}", &s[..2], &s[2..4], &s[4..]);
            prop_assert_eq!(ProclassCode::parse(&spaced).unwrap(), c);
        }

        #[test]
        fn never_panics(s in ".{0,12}") {
            let _ = ProclassCode::parse(&s);
        }
    }
}
