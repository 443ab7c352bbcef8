//! The dataset the metrics read: payments already resolved, located and classified.

use anchornet_core::{FinancialYear, Kind, LocationKind, PaymentDate, SourceKind};
use serde::{Deserialize, Serialize};

/// The network being measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkInfo {
    /// Network name.
    pub name: String,
    /// The local place (e.g. `Salford`).
    pub local_place: String,
    /// The wider place (e.g. `Greater Manchester`).
    pub wider_place: String,
    /// The deprivation edition used (`IoD 2025` or `IMD 2019`).
    pub deprivation: String,
}

/// One anchor institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorInfo {
    /// Name.
    pub name: String,
    /// Kind: council, NHS trust, university, college, housing association, police, fire, other.
    pub kind: String,
}

/// Where a supplier is, with the evidence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Location {
    /// The postcode used.
    pub postcode: String,
    /// Where the postcode came from.
    pub source: SourceKind,
    /// What kind of address it is.
    pub kind: LocationKind,
    /// Local authority district GSS code.
    pub lad: String,
    /// Local authority district name.
    pub lad_name: String,
    /// Ward GSS code, where known.
    pub ward: Option<String>,
    /// Ward name, where known.
    pub ward_name: Option<String>,
    /// The LSOA of the deprivation edition in use.
    pub lsoa: Option<String>,
    /// Deprivation decile of that LSOA (1 = most deprived 10%); `None` outside England.
    pub decile: Option<u8>,
    /// Latitude, for maps.
    pub lat: Option<f64>,
    /// Longitude, for maps.
    pub long: Option<f64>,
    /// In the network's local place.
    pub local: bool,
    /// In the network's wider place.
    pub wider: bool,
    /// The address is a registered office and may not be where the work is done.
    pub head_office: bool,
}

/// A resolved supplier entity with its classification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupplierInfo {
    /// Canonical name.
    pub name: String,
    /// Kind (company, charity, public body, individual…).
    pub kind: Kind,
    /// An individual or sole trader: redacted outside the anchor that paid them.
    pub individual: bool,
    /// The pseudo-supplier standing for every recipient the anchors withheld or left blank.
    pub redacted: bool,
    /// SME by the PPN 001 definition: `Some(true/false)` from a register or declaration,
    /// `None` when unknown (never guessed).
    pub sme: Option<bool>,
    /// Social economy (charity, CIO, CIC, co-operative, community benefit society…).
    pub vcse: Option<bool>,
    /// Location, when one was found.
    pub location: Option<Location>,
    /// Evidence for the classification and location, one line each.
    pub evidence: Vec<String>,
}

impl Default for SupplierInfo {
    fn default() -> Self {
        SupplierInfo {
            name: String::new(),
            kind: Kind::Unknown,
            individual: false,
            redacted: false,
            sme: None,
            vcse: None,
            location: None,
            evidence: Vec::new(),
        }
    }
}

impl Location {
    /// The address is a registered office, which may not be where the work is done.
    pub fn is_registered_office(&self) -> bool {
        self.kind == LocationKind::RegisteredOffice
    }
}

/// An influenceable-spend exclusion rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Short id (`hmrc`, `public-bodies`).
    pub id: String,
    /// Why the rule excludes spend.
    pub reason: String,
}

/// One payment, reduced to what the metrics need.
#[derive(Debug, Clone, Copy)]
pub struct Txn {
    /// Index into [`Dataset::anchors`].
    pub anchor: u16,
    /// Index into [`Dataset::suppliers`].
    pub supplier: u32,
    /// Index into [`Dataset::categories`].
    pub category: u32,
    /// Payment date.
    pub date: PaymentDate,
    /// Financial year of the date.
    pub fy: FinancialYear,
    /// Amount in pence (net where the file gives net).
    pub pence: i64,
    /// The rule (index into [`Dataset::rules`]) that excluded the payment from influenceable spend.
    pub excluded_by: Option<u16>,
}

/// Everything the metrics read.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The network.
    pub network: NetworkInfo,
    /// Anchors.
    pub anchors: Vec<AnchorInfo>,
    /// Category names (index 0 is conventionally `Uncategorised`).
    pub categories: Vec<String>,
    /// Each category's classification codes (ProClass, where a payment file gives them
    /// beside its procurement category), sorted; empty where none are given (as `categories`
    /// or shorter).
    pub category_codes: Vec<Vec<String>>,
    /// Supplier entities.
    pub suppliers: Vec<SupplierInfo>,
    /// Exclusion rules, in the order applied.
    pub rules: Vec<RuleInfo>,
    /// Payments.
    pub txns: Vec<Txn>,
}

impl Dataset {
    /// The supplier of a payment.
    pub fn supplier(&self, t: &Txn) -> &SupplierInfo {
        &self.suppliers[t.supplier as usize]
    }

    /// The supplier's location, if known.
    pub fn location(&self, t: &Txn) -> Option<&Location> {
        self.supplier(t).location.as_ref()
    }

    /// The name to show outside the paying anchor: individuals are redacted.
    pub fn public_name(&self, supplier: u32) -> &str {
        let s = &self.suppliers[supplier as usize];
        if s.individual {
            "Individual (redacted)"
        } else {
            &s.name
        }
    }
}
