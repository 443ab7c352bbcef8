//! The normalised payment record every importer produces.

use serde::{Deserialize, Serialize};

use crate::{FinancialYear, PaymentDate, Pence, ProclassCode};

/// What a column of an input file means. Importers detect roles from header
/// vocabulary and from the values; a mapping file can set them by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The paying body (anchor) named on each row.
    Body,
    /// Date the payment was made.
    Date,
    /// Net amount (preferred).
    NetAmount,
    /// Gross amount including VAT.
    GrossAmount,
    /// VAT (or irrecoverable VAT) amount.
    Vat,
    /// An amount of unspecified basis (`Amount`, `Value`, `Spend`).
    Amount,
    /// Supplier (beneficiary, vendor, payee) name.
    SupplierName,
    /// The anchor's own supplier id.
    SupplierId,
    /// Companies House number.
    CompanyNumber,
    /// Charity Commission number.
    CharityNumber,
    /// VAT registration number.
    VatNumber,
    /// Supplier postcode.
    SupplierPostcode,
    /// Supplier address text.
    SupplierAddress,
    /// Expense type / account / category text.
    ExpenseType,
    /// Procurement category (ProClass label etc.).
    ProcurementCategory,
    /// Expense or ledger classification code (SeRCOP/BVACOP/CIPFA/cost element).
    ExpenseCode,
    /// ProClass code (`ProclassCode`, six digits): a column named after ProClass whose values
    /// are ProClass codes.
    ProclassCode,
    /// Service area, directorate, department, cost centre.
    ServiceArea,
    /// Transaction / document / invoice id.
    TransactionId,
    /// Capital or revenue.
    CapitalRevenue,
    /// Description / purpose / narrative.
    Description,
    /// Whether the supplier is an SME (supplier-side inputs).
    SmeFlag,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 22] = [
        Role::Body,
        Role::Date,
        Role::NetAmount,
        Role::GrossAmount,
        Role::Vat,
        Role::Amount,
        Role::SupplierName,
        Role::SupplierId,
        Role::CompanyNumber,
        Role::CharityNumber,
        Role::VatNumber,
        Role::SupplierPostcode,
        Role::SupplierAddress,
        Role::ExpenseType,
        Role::ProcurementCategory,
        Role::ExpenseCode,
        Role::ProclassCode,
        Role::ServiceArea,
        Role::TransactionId,
        Role::CapitalRevenue,
        Role::Description,
        Role::SmeFlag,
    ];

    /// The snake_case name used in mapping files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Role::Body => "body",
            Role::Date => "date",
            Role::NetAmount => "net_amount",
            Role::GrossAmount => "gross_amount",
            Role::Vat => "vat",
            Role::Amount => "amount",
            Role::SupplierName => "supplier_name",
            Role::SupplierId => "supplier_id",
            Role::CompanyNumber => "company_number",
            Role::CharityNumber => "charity_number",
            Role::VatNumber => "vat_number",
            Role::SupplierPostcode => "supplier_postcode",
            Role::SupplierAddress => "supplier_address",
            Role::ExpenseType => "expense_type",
            Role::ProcurementCategory => "procurement_category",
            Role::ExpenseCode => "expense_code",
            Role::ProclassCode => "proclass_code",
            Role::ServiceArea => "service_area",
            Role::TransactionId => "transaction_id",
            Role::CapitalRevenue => "capital_revenue",
            Role::Description => "description",
            Role::SmeFlag => "sme_flag",
        }
    }

    /// Look a role up by its snake_case name.
    pub fn from_name(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == s)
    }
}

/// One payment, normalised, with the place it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The anchor (paying body).
    pub anchor: String,
    /// Source file path as given.
    pub source_file: String,
    /// 1-based physical line number of the record in the source file (row number for spreadsheets).
    pub line: u64,
    /// Payment date.
    pub date: PaymentDate,
    /// Financial year of `date`.
    pub financial_year: FinancialYear,
    /// The amount used for analysis: net where the file gives net, else the only amount given.
    pub amount: Pence,
    /// Gross amount, where given.
    pub gross: Option<Pence>,
    /// VAT, where given.
    pub vat: Option<Pence>,
    /// Supplier name as written (empty when redacted).
    pub supplier_name: String,
    /// True when the file withheld the supplier (personal data, "REDACTED", blank).
    pub redacted: bool,
    /// The anchor's own supplier id.
    pub supplier_id: Option<String>,
    /// Companies House number.
    pub company_number: Option<String>,
    /// Charity number.
    pub charity_number: Option<String>,
    /// VAT registration number.
    pub vat_number: Option<String>,
    /// Supplier postcode, normalised, when present and valid.
    pub supplier_postcode: Option<String>,
    /// Expense type / account description.
    pub expense_type: Option<String>,
    /// Procurement category (e.g. ProClass label).
    pub procurement_category: Option<String>,
    /// Expense / ledger classification code.
    pub expense_code: Option<String>,
    /// ProClass code, from a column the file names as ProClass ([`Role::ProclassCode`]);
    /// never read from an expense code by its shape.
    #[serde(default)]
    pub proclass_code: Option<ProclassCode>,
    /// Service area / directorate.
    pub service_area: Option<String>,
    /// Transaction or document id.
    pub transaction_id: Option<String>,
    /// Capital or revenue, as written.
    pub capital_revenue: Option<String>,
    /// Description / purpose.
    pub description: Option<String>,
}

impl Payment {
    /// The optional text fields, in output column order: supplier id, company number, charity
    /// number, VAT number, supplier postcode, expense type, procurement category, expense code,
    /// service area, transaction id, capital/revenue, description.
    pub fn text_fields(&self) -> [&Option<String>; 12] {
        [
            &self.supplier_id,
            &self.company_number,
            &self.charity_number,
            &self.vat_number,
            &self.supplier_postcode,
            &self.expense_type,
            &self.procurement_category,
            &self.expense_code,
            &self.service_area,
            &self.transaction_id,
            &self.capital_revenue,
            &self.description,
        ]
    }
}
