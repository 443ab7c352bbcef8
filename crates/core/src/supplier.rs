//! What a supplier is and where its locations come from: the typed values every stage after
//! ingest shares (the resolver decides a [`Kind`], the supplier register keeps locations of a
//! [`LocationKind`] from a [`SourceKind`], the metrics count [`Size`] and VCSE).
//!
//! Each type has one text label, used in every output and accepted back from files
//! (overrides, rules); parsing a label is the only way in from text.

use serde::{Deserialize, Serialize};

/// Kinds of public body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicType {
    /// A local authority, or a combined authority of several (`Greater Manchester Combined
    /// Authority`).
    Council,
    /// An NHS trust, foundation trust or other NHS body.
    Nhs,
    /// A school or academy trust.
    School,
    /// A university (higher education corporation or chartered body).
    University,
    /// A further education college.
    College,
    /// A police force or police and crime commissioner.
    Police,
    /// A fire and rescue service.
    Fire,
    /// HMRC, the UK's tax and customs authority.
    Hmrc,
    /// A central government department or agency.
    CentralGovernment,
    /// A transport authority or executive (`Transport for Greater Manchester`, `TfL`,
    /// `West Yorkshire Passenger Transport Executive`).
    Transport,
}

impl PublicType {
    /// Snake-case label.
    pub fn label(self) -> &'static str {
        match self {
            PublicType::Council => "council",
            PublicType::Nhs => "nhs",
            PublicType::School => "school",
            PublicType::University => "university",
            PublicType::College => "college",
            PublicType::Police => "police",
            PublicType::Fire => "fire",
            PublicType::Hmrc => "hmrc",
            PublicType::CentralGovernment => "central_government",
            PublicType::Transport => "transport",
        }
    }
}

/// The kind of body an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "subtype")]
pub enum Kind {
    /// A private company (limited by shares or guarantee).
    Company,
    /// A limited liability partnership.
    Llp,
    /// A public limited company.
    Plc,
    /// A registered charity (trust, association or charitable company).
    Charity,
    /// A charitable incorporated organisation.
    Cio,
    /// A community interest company.
    Cic,
    /// A co-operative or community benefit society (registered society).
    Society,
    /// A public body.
    PublicBody(PublicType),
    /// An individual or sole trader: redacted outside its own anchor.
    Individual,
    /// Not known.
    Unknown,
}

impl Kind {
    /// `company`, `charity`, `public_body/council`, `individual`…
    pub fn label(self) -> String {
        match self {
            Kind::Company => "company".into(),
            Kind::Llp => "llp".into(),
            Kind::Plc => "plc".into(),
            Kind::Charity => "charity".into(),
            Kind::Cio => "cio".into(),
            Kind::Cic => "cic".into(),
            Kind::Society => "society".into(),
            Kind::PublicBody(t) => format!("public_body/{}", t.label()),
            Kind::Individual => "individual".into(),
            Kind::Unknown => "unknown".into(),
        }
    }

    /// Parse a label written by [`Kind::label`] (as in an overrides file).
    pub fn from_label(s: &str) -> Option<Kind> {
        let s = s.trim().to_ascii_lowercase();
        Some(match s.as_str() {
            "company" | "ltd" => Kind::Company,
            "llp" => Kind::Llp,
            "plc" => Kind::Plc,
            "charity" => Kind::Charity,
            "cio" => Kind::Cio,
            "cic" => Kind::Cic,
            "society" | "cooperative" | "co-operative" | "cbs" => Kind::Society,
            "individual" | "sole_trader" | "sole trader" => Kind::Individual,
            "unknown" => Kind::Unknown,
            _ => {
                let t = s
                    .strip_prefix("public_body/")
                    .or(s.strip_prefix("public/"))?;
                Kind::PublicBody(match t {
                    "council" => PublicType::Council,
                    "nhs" => PublicType::Nhs,
                    "school" => PublicType::School,
                    "university" => PublicType::University,
                    "college" => PublicType::College,
                    "police" => PublicType::Police,
                    "fire" => PublicType::Fire,
                    "hmrc" => PublicType::Hmrc,
                    "central_government" => PublicType::CentralGovernment,
                    "transport" => PublicType::Transport,
                    _ => return None,
                })
            }
        })
    }

    /// Part of the social economy (VCSE): charities, CIOs, CICs, registered societies.
    pub fn is_vcse(self) -> bool {
        matches!(self, Kind::Charity | Kind::Cio | Kind::Cic | Kind::Society)
    }

    /// Rank for choosing between candidates: more specific evidence first.
    pub fn rank(self) -> u8 {
        match self {
            Kind::PublicBody(_) => 9,
            Kind::Cio | Kind::Cic | Kind::Society => 8,
            Kind::Charity => 7,
            Kind::Plc | Kind::Llp => 6,
            Kind::Company => 5,
            Kind::Individual => 2,
            Kind::Unknown => 0,
        }
    }
}

/// What kind of address a supplier location is (DESIGN.md, "Supplier location").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// The address an anchor's own vendor master or payment file holds for the supplier.
    VendorMaster,
    /// Where the supplier trades or delivers, from a contracts register or a notice.
    TradingAddress,
    /// A branch or premises the supplier occupies (business-rates ratepayer lists): CLES
    /// counts a supplier "based or branched" in the place as local.
    Premises,
    /// A registered office, which may be far from where the work is done (the head-office
    /// effect).
    RegisteredOffice,
}

impl LocationKind {
    /// Every kind, in order.
    pub const ALL: [LocationKind; 4] = [
        LocationKind::VendorMaster,
        LocationKind::TradingAddress,
        LocationKind::Premises,
        LocationKind::RegisteredOffice,
    ];

    /// Snake-case label.
    pub fn label(self) -> &'static str {
        match self {
            LocationKind::VendorMaster => "vendor_master",
            LocationKind::TradingAddress => "trading_address",
            LocationKind::Premises => "premises",
            LocationKind::RegisteredOffice => "registered_office",
        }
    }

    /// Parse a label written by [`LocationKind::label`].
    pub fn from_label(s: &str) -> Option<LocationKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// Where a piece of supplier evidence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A person's decision (an override with who and when).
    Person,
    /// An anchor's payment file that carries the supplier's address.
    PaymentFile,
    /// An anchor's vendor list (vendor master export).
    VendorList,
    /// A contracts register or an anchor's supplier list.
    ContractsRegister,
    /// A party of an OCDS notice (Contracts Finder, Find a Tender).
    Ocds,
    /// A business-rates (NNDR) ratepayer list: premises.
    BusinessRates,
    /// Co-operatives UK open data.
    CooperativesUk,
    /// A 360Giving grants file (recipient organisations).
    Giving360,
    /// The Charity Commission register.
    CharityRegister,
    /// Companies House (the registered office).
    CompaniesHouse,
}

impl SourceKind {
    /// Every source, in order of precedence for a location (best first): a person's
    /// decision, then the anchor's own vendor address, then a contracts register or notice,
    /// then premises, then registered offices (DESIGN.md, "Supplier location").
    pub const ALL: [SourceKind; 10] = [
        SourceKind::Person,
        SourceKind::PaymentFile,
        SourceKind::VendorList,
        SourceKind::ContractsRegister,
        SourceKind::Ocds,
        SourceKind::BusinessRates,
        SourceKind::CooperativesUk,
        SourceKind::Giving360,
        SourceKind::CharityRegister,
        SourceKind::CompaniesHouse,
    ];

    /// Snake-case label.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Person => "person",
            SourceKind::PaymentFile => "payment_file",
            SourceKind::VendorList => "vendor_list",
            SourceKind::ContractsRegister => "contracts_register",
            SourceKind::Ocds => "ocds",
            SourceKind::BusinessRates => "business_rates",
            SourceKind::CooperativesUk => "cooperatives_uk",
            SourceKind::Giving360 => "360giving",
            SourceKind::CharityRegister => "charity_register",
            SourceKind::CompaniesHouse => "companies_house",
        }
    }

    /// How the source is described to a reader.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Person => "a person's decision",
            SourceKind::PaymentFile => "payment file (the anchor's vendor address)",
            SourceKind::VendorList => "vendor list",
            SourceKind::ContractsRegister => "contracts register or supplier list",
            SourceKind::Ocds => "OCDS party address",
            SourceKind::BusinessRates => "business-rates premises",
            SourceKind::CooperativesUk => "Co-operatives UK register",
            SourceKind::Giving360 => "360Giving recipient address",
            SourceKind::CharityRegister => "charity register address",
            SourceKind::CompaniesHouse => "Companies House registered office",
        }
    }

    /// Parse a label written by [`SourceKind::label`].
    pub fn from_label(s: &str) -> Option<SourceKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.label().eq_ignore_ascii_case(s.trim()))
    }

    /// Precedence (0 = best).
    pub fn rank(self) -> usize {
        Self::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(usize::MAX)
    }

    /// The kind of address this source gives.
    pub fn location_kind(self) -> LocationKind {
        match self {
            SourceKind::PaymentFile | SourceKind::VendorList => LocationKind::VendorMaster,
            SourceKind::Person | SourceKind::ContractsRegister | SourceKind::Ocds => {
                LocationKind::TradingAddress
            }
            SourceKind::BusinessRates => LocationKind::Premises,
            SourceKind::CooperativesUk
            | SourceKind::Giving360
            | SourceKind::CharityRegister
            | SourceKind::CompaniesHouse => LocationKind::RegisteredOffice,
        }
    }
}

/// Size by the PPN 001 definition of an SME (fewer than 250 staff and turnover ≤ £44m or
/// balance sheet ≤ £38m): known from a register or a declaration, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// A small or medium-sized enterprise.
    Sme,
    /// Not an SME.
    Large,
    /// Not known.
    #[default]
    Unknown,
}

impl Size {
    /// `sme`, `large` or `unknown`.
    pub fn label(self) -> &'static str {
        match self {
            Size::Sme => "sme",
            Size::Large => "large",
            Size::Unknown => "unknown",
        }
    }

    /// `Some(true)` for an SME, `Some(false)` for large, `None` when unknown.
    pub fn is_sme(self) -> Option<bool> {
        match self {
            Size::Sme => Some(true),
            Size::Large => Some(false),
            Size::Unknown => None,
        }
    }

    /// From a yes/no/unknown.
    pub fn from_flag(sme: Option<bool>) -> Size {
        match sme {
            Some(true) => Size::Sme,
            Some(false) => Size::Large,
            None => Size::Unknown,
        }
    }
}

/// A name's lower-case alphanumeric words, `&` read as `and`: the one normalisation the
/// influenceable-spend rules match on and supplier keys are made from.
pub fn name_words(s: &str) -> Vec<String> {
    s.replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

impl std::fmt::Display for LocationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Shown as its description (`contracts register or supplier list`).
impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// The supplier register's columns, one row per supplier: what `anchornet suppliers --out`
/// writes (where the LSOA column is named for its vintage, `lsoa21` or `lsoa11`) and what a
/// workspace persists (where it is `lsoa`).
pub const REGISTER_COLUMNS: [&str; 23] = [
    "entity_id",
    "key",
    "canonical_name",
    "names",
    "identifiers",
    "spend_pence",
    "kind",
    "sme",
    "vcse",
    "postcode",
    "lad",
    "lad_name",
    "lsoa",
    "deprivation_decile",
    "local",
    "wider",
    "location_kind",
    "location_source",
    "location_file",
    "location_line",
    "location_date",
    "confidence",
    "locations",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for k in LocationKind::ALL {
            assert_eq!(LocationKind::from_label(k.label()), Some(k));
        }
        for s in SourceKind::ALL {
            assert_eq!(SourceKind::from_label(s.label()), Some(s));
        }
        for k in [
            Kind::Company,
            Kind::Cic,
            Kind::PublicBody(PublicType::Nhs),
            Kind::Individual,
        ] {
            assert_eq!(Kind::from_label(&k.label()), Some(k));
        }
    }

    #[test]
    fn precedence_follows_the_design() {
        // DESIGN.md: vendor address → contracts register or OCDS → premises → registered office.
        let order = [
            SourceKind::PaymentFile,
            SourceKind::ContractsRegister,
            SourceKind::Ocds,
            SourceKind::BusinessRates,
            SourceKind::CompaniesHouse,
        ];
        assert!(order.windows(2).all(|w| w[0].rank() < w[1].rank()));
        assert_eq!(
            SourceKind::CompaniesHouse.location_kind(),
            LocationKind::RegisteredOffice
        );
    }
}
