//! ONS Government Statistical Service (GSS) codes: nine characters, a country letter
//! (E England, W Wales, S Scotland, N Northern Ireland, K UK/GB/E&W, J/L/M for some
//! other UK-wide sets) and eight digits, the first two of which name the entity type
//! (`E08` metropolitan district, `E01` LSOA, `E05` ward...). Source: ONS Code History Database.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A valid GSS code such as `E08000006` (Salford).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GssCode([u8; 9]);

/// Why a string is not a GSS code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a GSS code (a letter E/W/S/N/K/J/L/M and 8 digits, e.g. E08000006): {0:?}")]
pub struct GssError(pub String);

impl GssCode {
    /// Parse, accepting surrounding white space and lower case.
    pub fn parse(s: &str) -> Result<GssCode, GssError> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() != 9 {
            return Err(GssError(s.to_string()));
        }
        let first = b[0].to_ascii_uppercase();
        if !b"EWSNKJLM".contains(&first) || !b[1..].iter().all(u8::is_ascii_digit) {
            return Err(GssError(s.to_string()));
        }
        let mut out = [0u8; 9];
        out.copy_from_slice(b);
        out[0] = first;
        Ok(GssCode(out))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII by construction")
    }

    /// The entity prefix, e.g. `E08`.
    pub fn entity(&self) -> &str {
        &self.as_str()[..3]
    }

    /// The country letter.
    pub fn country(&self) -> char {
        self.0[0] as char
    }
}

impl fmt::Display for GssCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl FromStr for GssCode {
    type Err = GssError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GssCode::parse(s)
    }
}
impl Serialize for GssCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
impl<'de> Deserialize<'de> for GssCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        GssCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes() {
        let c = GssCode::parse(" e08000006 ").unwrap();
        assert_eq!(c.as_str(), "E08000006");
        assert_eq!(c.entity(), "E08");
        assert_eq!(c.country(), 'E');
        assert!(GssCode::parse("E0800006").is_err());
        assert!(GssCode::parse("X08000006").is_err());
        assert!(GssCode::parse("E08O00006").is_err());
    }

    proptest! {
        #[test]
        fn valid_round_trip(l in "[EWSNK]", n in 0u32..100_000_000) {
            let s = format!("{l}{n:08}");
            prop_assert_eq!(GssCode::parse(&s).unwrap().to_string(), s);
        }
        #[test]
        fn never_panics(s in ".{0,12}") { let _ = GssCode::parse(&s); }
    }
}
