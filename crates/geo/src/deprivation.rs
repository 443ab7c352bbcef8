//! Which deprivation index decides "deprived": the edition a network measures against.

/// Which deprivation index decides "deprived".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Deprivation {
    /// English Indices of Deprivation 2025, on 2021 LSOAs (the default).
    #[default]
    Iod2025,
    /// English Index of Multiple Deprivation 2019, on 2011 LSOAs.
    Imd2019,
}

impl Deprivation {
    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Deprivation::Iod2025 => "IoD 2025",
            Deprivation::Imd2019 => "IMD 2019",
        }
    }
}

impl Deprivation {
    /// The LSOA code and decile of a looked-up postcode under this edition (IoD 2025 on
    /// 2021 LSOAs, IMD 2019 on 2011 LSOAs).
    pub fn area_and_decile(self, l: &crate::Location<'_>) -> (Option<String>, Option<u8>) {
        match self {
            Deprivation::Iod2025 => (
                l.lsoa21.map(|a| a.code.to_string()),
                l.iod2025.as_ref().map(|i| i.decile),
            ),
            Deprivation::Imd2019 => (
                l.lsoa11.map(|a| a.code.to_string()),
                l.imd2019.as_ref().map(|i| i.decile),
            ),
        }
    }
}
