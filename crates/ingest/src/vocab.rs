//! Header vocabulary: how strongly a column header suggests each [`Role`].
//!
//! Headers are first normalised ([`normalise`]): camelCase split (`BeneficiaryName` →
//! `beneficiary name`), punctuation to spaces (`Supplier(Beneficiary) Name`), lower case.
//! Scores are in 0..=1: 1 is an unambiguous name (`Net Amount`), 0.5 a plausible one
//! (`Value`). The vocabulary comes from the Local Government Transparency Code 2015's
//! recommended fields, the LGA/iStandUK spend schema (`BeneficiaryName`, `PaymentDate`,
//! `ProclassLabel`…) and the layouts councils actually publish; values then confirm
//! or veto a header's suggestion (see [`crate::profile`]).

use anchornet_core::Role;

/// Normalise a header: split camelCase, punctuation to spaces, lower case, single spaces.
pub fn normalise(h: &str) -> String {
    let chars: Vec<char> = h.trim().trim_start_matches('\u{feff}').chars().collect();
    let mut out = String::with_capacity(h.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            // "Address1", "AccountName2": a number written onto a word is a separate word.
            if i > 0 && c.is_ascii_digit() && chars[i - 1].is_alphabetic() {
                out.push(' ');
            }
            if i > 0 && c.is_uppercase() {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
                if prev.is_lowercase() || (prev.is_uppercase() && next_lower) {
                    out.push(' ');
                }
            }
            out.extend(c.to_lowercase());
        } else if c == '£' {
            // "Net Amount(£)" — the currency sign says nothing about the role.
            out.push(' ');
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct H<'a> {
    s: &'a str,
    words: Vec<&'a str>,
}

impl H<'_> {
    fn has(&self, w: &str) -> bool {
        self.words.contains(&w)
    }
    fn any(&self, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.has(w))
    }
    fn eq(&self, phrases: &[&str]) -> bool {
        phrases.contains(&self.s)
    }
    fn contains(&self, phrase: &str) -> bool {
        let p: Vec<&str> = phrase.split(' ').collect();
        self.words.windows(p.len()).any(|w| w == p.as_slice())
    }
}

const ID_WORDS: [&str; 13] = [
    "id",
    "number",
    "no",
    "num",
    "code",
    "ref",
    "reference",
    "uri",
    "registration",
    "reg",
    "internal",
    "key",
    "nbr",
];

/// What a header says about VAT, read as a phrase: whether the amount it names is before VAT
/// (net) or after it (gross). `None` when the header names no basis ("VAT", "Net Amount").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatBasis {
    /// "excl. VAT", "excludes VAT", "ex VAT", "net of VAT", "exc VAT", "before VAT",
    /// "VAT exclusive"…: the amount without VAT.
    Net,
    /// "inc VAT", "including VAT", "incl. VAT", "after VAT", "VAT inclusive"…: the amount
    /// with VAT.
    Gross,
}

/// Words that, just before "VAT" (or "tax"), say the amount leaves it out: English
/// abbreviations of exclude/exclusive as published in spend files under the Local Government
/// Transparency Code 2015 (whose recommended "Amount" is "excluding VAT") and in finance
/// systems' exports ("Ex VAT", "Exc. VAT", "Excl VAT", "pre-VAT", "less VAT").
const BEFORE_TAX_NET: [&str; 12] = [
    "ex",
    "exc",
    "excl",
    "exclude",
    "excludes",
    "excluding",
    "exclusive",
    "before",
    "pre",
    "less",
    "without",
    "minus",
];
/// Words that, just before "VAT", say the amount holds it ("inc VAT", "including VAT",
/// "inclusive of VAT", "after VAT", "with VAT"). "plus VAT" is left out: after a figure it
/// means the figure is before VAT ("£100 plus VAT"), so as a header it is ambiguous.
const BEFORE_TAX_GROSS: [&str; 8] = [
    "inc",
    "incl",
    "include",
    "includes",
    "including",
    "inclusive",
    "after",
    "with",
];
/// Words written after "VAT" to the same effect ("VAT exclusive", "VAT excl").
const AFTER_TAX_NET: [&str; 5] = ["exclusive", "excluded", "excl", "exc", "ex"];
const AFTER_TAX_GROSS: [&str; 4] = ["inclusive", "included", "incl", "inc"];

/// Read a normalised header's words for a VAT basis. The tax word is `vat` or `tax`; one
/// filler (`of`, `the`, `any`, `all`) may stand between ("exclusive of VAT", "net of VAT");
/// `net` counts only in "net of VAT" ("Net VAT" is the VAT). Run-together forms
/// (`exvat`, `inclvat`), as some ledgers write them, are read too.
pub fn vat_basis(words: &[&str]) -> Option<VatBasis> {
    const FILLER: [&str; 4] = ["of", "the", "any", "all"];
    for (i, w) in words.iter().enumerate() {
        match *w {
            "exvat" | "excvat" | "exclvat" | "netofvat" | "pretax" | "prevat" => {
                return Some(VatBasis::Net)
            }
            "incvat" | "inclvat" => return Some(VatBasis::Gross),
            "vat" | "tax" => {}
            _ => continue,
        }
        // Look back over at most one filler.
        let mut j = i;
        let mut filler = false;
        if j >= 2 && FILLER.contains(&words[j - 1]) {
            j -= 1;
            filler = true;
        }
        if j >= 1 {
            let p = words[j - 1];
            if BEFORE_TAX_NET.contains(&p) || (p == "net" && filler) {
                return Some(VatBasis::Net);
            }
            if BEFORE_TAX_GROSS.contains(&p) {
                return Some(VatBasis::Gross);
            }
        }
        if let Some(n) = words.get(i + 1) {
            if AFTER_TAX_NET.contains(n) {
                return Some(VatBasis::Net);
            }
            if AFTER_TAX_GROSS.contains(n) {
                return Some(VatBasis::Gross);
            }
        }
    }
    None
}

/// Words that mark an address or postcode as where letters and bills go rather than where
/// the organisation or its premises are (business-rates lists give both).
const CORRESPONDENCE: [&str; 6] = [
    "billing",
    "account",
    "corresp",
    "correspondence",
    "mailing",
    "contact",
];

/// Whether a header names ProClass: the word itself (`Proclass`, `PROCLASS_CODE`, `ProClass
/// Code`, `ProclassLabel` all normalise to a word `proclass`), run together with another
/// word (`proclasscode`), or spelt out as "pro class".
fn names_proclass(h: &H) -> bool {
    h.words.iter().any(|w| w.starts_with("proclass")) || h.contains("pro class")
}

/// Score of a (normalised) header for a role.
pub fn score(role: Role, normalised: &str) -> f32 {
    let h = H {
        s: normalised,
        words: normalised.split(' ').collect(),
    };
    if normalised.is_empty() {
        return 0.0;
    }
    let supplierish = h.any(&[
        "supplier",
        "vendor",
        "beneficiary",
        "payee",
        "creditor",
        "recipient",
        "merchant",
        "contractor",
        "trader",
    ]);
    match role {
        Role::Date => {
            let datey = h.any(&["date", "dated"]) || h.contains("date paid");
            if h.eq(&[
                "date",
                "payment date",
                "date paid",
                "paid date",
                "date of payment",
                "invoice payment date",
                "transaction date",
                "clearing date",
                "gl date",
                "posting date",
                "pay date",
                "invoice gl date",
                "date of transaction",
                "cleared date",
                "payment made date",
                "date of spend",
                "processed date",
                "payment processed date",
                "cheque date",
                "date posted",
            ]) {
                1.0
            } else if h.contains("payment date")
                || h.contains("date paid")
                || (h.has("paid") && datey)
            {
                0.95
            } else if datey
                && h.any(&[
                    "effective",
                    "due",
                    "start",
                    "end",
                    "deadline",
                    "published",
                    "awarded",
                    "award",
                    "received",
                    "created",
                    "expiry",
                    "birth",
                    "tender",
                    "contract",
                    "renewal",
                    "review",
                    "period",
                ])
            {
                0.2
            } else if datey && h.has("invoice") {
                0.6
            } else if datey {
                0.75
            } else {
                0.0
            }
        }
        Role::NetAmount => {
            // "Net Amount", "Invoice Line Value (net of VAT)", "Amount excludes VAT",
            // "Value before VAT" — not "Network", not "Net VAT", not "Amount inc VAT".
            let basis = vat_basis(&h.words);
            let net =
                basis == Some(VatBasis::Net) || (h.has("net") && basis.is_none() && !h.has("vat"));
            if !net || h.any(&["network", "id", "code", "number", "ref"]) {
                0.0
            } else {
                1.0
            }
        }
        Role::GrossAmount => {
            let basis = vat_basis(&h.words);
            if basis == Some(VatBasis::Gross) || (h.has("gross") && basis != Some(VatBasis::Net)) {
                1.0
            } else {
                0.0
            }
        }
        Role::Vat => {
            // "VAT" alone, "VAT Amount", "Irrecoverable VAT", "VAT that cannot be recovered"
            // (the Transparency Code's own words): the tax itself. Not a VAT registration
            // number, rate, code or status, and not an amount said to exclude or include VAT.
            let plain_vat = h.has("vat")
                && vat_basis(&h.words).is_none()
                && !h.any(&[
                    "registration",
                    "registered",
                    "reg",
                    "number",
                    "no",
                    "id",
                    "code",
                    "rate",
                    "status",
                    "type",
                    "treatment",
                    "exempt",
                    "applicable",
                    "flag",
                    "net",
                    "gross",
                    "plus",
                ]);
            if plain_vat {
                0.9
            } else {
                0.0
            }
        }
        Role::VatNumber => {
            if h.has("vat") && h.any(&["registration", "reg", "number", "no", "id"]) {
                1.0
            } else {
                0.0
            }
        }
        Role::Amount => {
            if h.any(&ID_WORDS) && !h.has("value") || h.any(&["description", "type", "category"]) {
                0.0
            } else if h.eq(&[
                "amount",
                "value",
                "spend",
                "amount paid",
                "invoiced value",
                "payment amount",
                "total",
                "total amount",
                "invoice amount",
                "paid amount",
                "line value",
                "transaction amount",
                "expenditure",
                "cost",
                "amount gbp",
                "value gbp",
                "amount in sterling",
                "sum",
                "payment value",
                "invoice value",
                "awarded value",
                "annual value",
                "contract value",
                "total value",
                "value paid",
            ]) {
                0.9
            } else if h.has("amount") {
                0.8
            } else if h.has("value") && !h.any(&["low", "high", "min", "max", "estimated"]) {
                0.55
            } else if h.any(&["low", "high"]) && h.has("value") {
                0.2
            } else {
                0.0
            }
        }
        Role::SupplierName => {
            if h.any(&ID_WORDS)
                || h.any(&[
                    "postcode", "address", "type", "category", "group", "town", "city", "county",
                    "sme", "size", "status",
                ])
            {
                0.0
            } else if h.eq(&[
                "supplier name",
                "supplier",
                "vendor name",
                "vendor",
                "beneficiary name",
                "beneficiary",
                "payee",
                "payee name",
                "creditor name",
                "creditor",
                "supplier beneficiary name",
                "recipient",
                "recipient name",
                "supplier company name",
                "awarded supplier",
                "trader name",
                "contractor",
                "contractor name",
                // Business-rates (NNDR) lists name the ratepayer: the "liable party" of the
                // Local Government Finance Act 1988, or the account holder.
                "ratepayer",
                "ratepayer name",
                "ratepayers name",
                "ratepayer s name",
                "primary liable party name",
                "liable party name",
                "liable party",
                "liable name",
                "liable name 1",
                "account holder",
                "account holder 1",
                "holder name",
                "business name",
                "supplier names",
                "merchant name",
                "name of supplier",
                "paid to",
                "recipient org name",
            ]) {
                1.0
            } else if supplierish && h.has("name") {
                0.95
            } else if supplierish {
                0.7
            } else if h.eq(&[
                "name",
                "company name",
                "organisation name of supplier",
                "organisation name",
                "account name 1",
            ]) {
                0.6
            } else {
                0.0
            }
        }
        Role::SupplierId => {
            if h.any(&["company", "charity", "vat", "companies"]) {
                0.0
            } else if supplierish
                && h.any(&[
                    "id",
                    "number",
                    "no",
                    "ref",
                    "reference",
                    "code",
                    "num",
                    "nbr",
                    "account",
                ])
            {
                0.95
            } else if h.eq(&[
                "address book no",
                "address book number",
                "supplier",
                "vendor no",
            ]) && !h.eq(&["supplier"])
            {
                0.8
            } else if h.contains("beneficiary other id") {
                0.95
            } else {
                0.0
            }
        }
        Role::CompanyNumber => {
            if (h.has("company")
                && h.any(&["number", "no", "registration", "reg", "num", "id"])
                && !h.has("vat")
                && !h.has("charity"))
                || h.contains("companies house")
                || h.eq(&["crn", "company"])
            {
                1.0
            } else {
                0.0
            }
        }
        Role::CharityNumber => {
            if h.has("charity") && h.any(&["number", "no", "registration", "reg", "num", "id"]) {
                1.0
            } else {
                0.0
            }
        }
        Role::SupplierPostcode => {
            // "Postal Code" is the 360Giving standard's word (Recipient Org:Postal Code).
            let postcode = h.has("postcode")
                || h.contains("post code")
                || h.contains("postal code")
                || h.eq(&["zip", "zip code", "pcode"]);
            if !postcode {
                0.0
            } else if h.any(&CORRESPONDENCE) {
                // Where the bills go (an agent, a head office), after the premises' own.
                0.8
            } else {
                1.0
            }
        }
        Role::SupplierAddress => {
            if !(h.has("address") || h.has("addr")) || h.any(&["email", "web", "ip"]) {
                0.0
            } else if h.any(&CORRESPONDENCE) {
                0.7
            } else {
                0.85
            }
        }
        Role::ExpenseType => {
            if h.eq(&[
                "expense type",
                "expenses type",
                "expenditure type",
                "expenditure category",
                "expense category",
                "detailed expenditure type",
                "gl description",
                "account detail",
                "account description",
                "expense code description",
                "expenditure account code description",
                "account",
                "subjective",
                "expense description",
                "sercop expenditure category",
                "cost element description",
                "nature of expenditure",
                "spend category",
                "category",
                "expense",
                "expenditure description",
                "purchase category",
                "subjective description",
                "account name",
                "ledger description",
                "gl account description",
                "cost type",
                "expenditure",
            ]) {
                0.9
            } else if h.contains("expense type")
                || h.contains("expenditure type")
                || h.contains("expenditure category")
                || h.contains("expenses type")
            {
                0.85
            } else if h.any(&["expense", "expenditure", "subjective", "account"])
                && h.any(&["description", "label", "name", "type", "category"])
            {
                0.75
            } else {
                0.0
            }
        }
        Role::ProcurementCategory => {
            if h.any(&["code", "uri", "id"]) {
                0.0
            } else if names_proclass(&h)
                || h.contains("procurement classification")
                || h.contains("procurement category")
            {
                0.95
            } else if h.contains("category family") || h.contains("cpv description") {
                0.8
            } else if h.contains("thomson classification") || h.contains("merchant category") {
                0.55
            } else {
                0.0
            }
        }
        Role::ExpenseCode => {
            if h.any(&["description", "label", "name"]) || names_proclass(&h) {
                // A ProClass column is the procurement classification (its own role,
                // [`Role::ProclassCode`]), not a ledger code.
                0.0
            } else if h.contains("expense code")
                || h.contains("expenditure code")
                || h.contains("cost element")
                || h.contains("account code")
                || (h.has("sercop") && h.has("code"))
                || h.has("bvacop")
                || h.contains("subjective code")
                || h.has("cipfa")
                || h.contains("gl code")
                || h.contains("class code")
                || h.contains("cpv codes")
                || h.contains("cpv code")
            {
                0.85
            } else if h.eq(&[
                "bvacopse",
                "subjective",
                "gl account",
                "account number",
                "nominal code",
                "ledger code",
            ]) {
                0.7
            } else {
                0.0
            }
        }
        Role::ProclassCode => {
            // Named after the classification itself (ProClass, the procurement classification
            // of English local government; LGA/iStandUK's spend schema calls the pair
            // `ProclassLabel` and `ProclassCode`), never after one publisher's spelling. A
            // label or description is the procurement category; the values must then be
            // codes too ([`crate::detect`]).
            if !names_proclass(&h)
                || h.any(&["label", "description", "desc", "name", "details", "level"])
            {
                0.0
            } else if h.any(&["code", "id", "no", "number", "ref", "reference"]) {
                0.95
            } else {
                // `Proclass`, `ProClass Classification`: a code or a label, as the values say.
                0.8
            }
        }
        Role::ServiceArea => {
            if h.any(&["uri", "code", "id", "no", "number"]) {
                0.0
            } else if h.eq(&[
                "service area",
                "service",
                "directorate",
                "department",
                "organisational unit",
                "service label",
                "service division label",
                "expense area",
                "cost centre",
                "service cost centre",
                "department area",
                "business unit description",
                "directorate service where expenditure incurred",
                "division",
                "service division",
                "portfolio",
                "service expenditure analysis",
                "directorate name",
                "cost centre description",
                "service area name",
                "department name",
                "directotate",
                "team",
                "profit centre",
                "service sercop",
                "department family",
                "responsible unit",
                "business unit",
            ]) {
                0.85
            } else if h.any(&[
                "directorate",
                "department",
                "service",
                "division",
                "portfolio",
            ]) && !h.any(&["category", "type", "purpose"])
            {
                0.65
            } else {
                0.0
            }
        }
        Role::TransactionId => {
            if h.any(&[
                "supplier", "vendor", "company", "charity", "vat", "contract",
            ]) {
                0.0
            } else if h.has("transaction")
                && h.any(&["number", "no", "id", "ref", "reference", "num"])
                || h.eq(&["trans no", "transno", "transaction"])
            {
                0.95
            } else if h.has("document") && h.any(&["number", "no", "id", "num"])
                || h.eq(&["documentno", "doc no", "document"])
            {
                0.9
            } else if h.eq(&[
                "payment reference",
                "payment number",
                "payment id",
                "voucher number",
                "journal number",
                "internal ref number",
                "hbc ref no",
                "ref no",
                "reference",
                "ref",
                "our ref",
                "invoice ref",
            ]) || h.contains("ref no")
            {
                0.8
            } else if h.has("invoice") && h.any(&["number", "no", "id", "ref", "reference", "num"])
            {
                0.7
            } else {
                0.0
            }
        }
        Role::CapitalRevenue => {
            if (h.has("capital") && h.has("revenue"))
                || h.eq(&[
                    "cap rev",
                    "caprev",
                    "capital or revenue",
                    "capital revenue",
                    "c r",
                ])
            {
                1.0
            } else {
                0.0
            }
        }
        Role::Description => {
            if h.eq(&[
                "description",
                "purpose",
                "purpose of spend",
                "narrative",
                "details",
                "extended description",
                "line description",
                "invoice description",
                "item description",
                "payment description",
                "transaction description",
                "title",
                "summary",
                "purpose of expenditure",
                "contract title",
                "purchase description",
                "spend description",
            ]) {
                0.8
            } else if h.any(&["description", "purpose", "narrative"])
                && !names_proclass(&h)
                && !h.any(&[
                    "code",
                    "account",
                    "expense",
                    "expenditure",
                    "service",
                    "business",
                    "proclass",
                    "cpv",
                    "classification",
                    "unit",
                    "category",
                ])
            {
                0.6
            } else {
                0.0
            }
        }
        Role::Body => {
            if h.eq(&[
                "body name",
                "body",
                "authority name",
                "authority",
                "organisation label",
                "organisation",
                "entity",
                "council",
                "local authority",
                "buyer",
                "buying organisation",
                "body label",
                "purchasing body",
                "public body",
                "organistion name",
                "organisation label name",
            ]) {
                0.9
            } else if h.eq(&["organisation name"]) {
                // The paying body in spend files, but the ratepayer or member in registers
                // that also name the body ("BODY_NAME"): a little below the body's own words.
                0.85
            } else if h.eq(&["departmental family"]) {
                0.35
            } else {
                0.0
            }
        }
        Role::SmeFlag => {
            if h.has("sme") && !h.any(&["suitable", "vcse"]) {
                0.95
            } else {
                0.0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_real_headers() {
        assert_eq!(normalise("BeneficiaryName"), "beneficiary name");
        assert_eq!(
            normalise("IrrecoverableVATAmount"),
            "irrecoverable vat amount"
        );
        assert_eq!(
            normalise("VATRegistrationNumber"),
            "vat registration number"
        );
        assert_eq!(
            normalise("Supplier(Beneficiary) Name"),
            "supplier beneficiary name"
        );
        assert_eq!(normalise("Net Amount(£)"), "net amount");
        assert_eq!(normalise("Name:  "), "name");
        assert_eq!(normalise("DocumentNo"), "document no");
        assert_eq!(normalise("\u{feff}Body Name"), "body name");
    }

    /// ProClass's own name, in the spellings of the LGA/iStandUK schema (`ProclassCode`,
    /// `ProclassLabel`), of registers (`ProClass Classification`, `ProClass Description`),
    /// of ledgers (`Proclass`, `Proclass Details Level 1`) and of exports (`PROCLASS_CODE`).
    #[test]
    fn proclass_headers() {
        let s = |r, h: &str| score(r, &normalise(h));
        for h in [
            "ProclassCode",
            "ProClass Code",
            "PROCLASS_CODE",
            "Proclass Code No",
        ] {
            assert_eq!(s(Role::ProclassCode, h), 0.95, "{h:?}");
            assert_eq!(s(Role::ExpenseCode, h), 0.0, "{h:?}");
            assert_eq!(s(Role::ProcurementCategory, h), 0.0, "{h:?}");
        }
        for h in ["Proclass", "ProClass", "ProClass Classification"] {
            assert_eq!(s(Role::ProclassCode, h), 0.8, "{h:?}");
            assert_eq!(s(Role::ExpenseCode, h), 0.0, "{h:?}");
        }
        for h in [
            "ProclassLabel",
            "ProClass Description",
            "Proclass Details Level 1",
        ] {
            assert_eq!(s(Role::ProclassCode, h), 0.0, "{h:?}");
            assert_eq!(s(Role::ProcurementCategory, h), 0.95, "{h:?}");
            assert_eq!(s(Role::Description, h), 0.0, "{h:?}");
        }
        // Ledger codes keep their role.
        assert_eq!(s(Role::ExpenseCode, "Expense Code"), 0.85);
        assert_eq!(s(Role::ProclassCode, "Expense Code"), 0.0);
        assert_eq!(s(Role::ProclassCode, "Class Code"), 0.0);
    }

    #[test]
    fn scores_real_headers() {
        let s = |r, h: &str| score(r, &normalise(h));
        assert!(s(Role::NetAmount, "Invoice Line Value (net of VAT)") >= 0.9);
        assert_eq!(s(Role::Vat, "Invoice Line Value (net of VAT)"), 0.0);
        assert!(s(Role::Vat, "IrrecoverableVATAmount") >= 0.9);
        assert!(s(Role::VatNumber, "VATRegistrationNumber") >= 0.9);
        assert_eq!(s(Role::Vat, "VATRegistrationNumber"), 0.0);
        assert!(s(Role::Date, "Payment Date") > s(Role::Date, "Effective Date"));
        assert!(s(Role::SupplierName, "Supplier (Beneficiary) Name") >= 0.9);
        assert_eq!(s(Role::SupplierName, "Supplier Number"), 0.0);
        assert!(s(Role::SupplierId, "Supplier Number") >= 0.9);
        assert!(s(Role::CompanyNumber, "Supplier Registered Company Number") >= 0.9);
        assert_eq!(
            s(Role::SupplierId, "Supplier Registered Company Number"),
            0.0
        );
        assert!(s(Role::SmeFlag, "SME Supplier?") >= 0.9);
        assert_eq!(s(Role::SmeFlag, "suitable_for_sme"), 0.0);
        assert!(s(Role::SupplierName, "awarded_supplier") >= 0.9);
        assert!(s(Role::TransactionId, "TransNo") >= 0.9);
        assert_eq!(s(Role::NetAmount, "Network"), 0.0);
    }

    /// Amount headers as councils write them under the Local Government Transparency Code
    /// 2015 and in finance-system exports: the phrase, not the word "VAT", decides the role.
    #[test]
    fn vat_phrases_decide_net_gross_or_vat() {
        let s = |r, h: &str| score(r, &normalise(h));
        let net = [
            "Amount excludes VAT",
            "Amount (excl. VAT)",
            "Amount Excluding VAT",
            "Value ex VAT",
            "Value Ex-VAT",
            "Total net of VAT",
            "Amount exc VAT",
            "Amount before VAT",
            "Amount (exclusive of VAT)",
            "Value VAT exclusive",
            "Spend pre-VAT",
            "AmountExVAT",
            "Invoice Line Value (net of VAT)",
            "Net Amount",
            "Net",
        ];
        for h in net {
            assert_eq!(s(Role::NetAmount, h), 1.0, "{h:?} is the net amount");
            assert_eq!(s(Role::Vat, h), 0.0, "{h:?} is not the VAT");
            assert_eq!(s(Role::GrossAmount, h), 0.0, "{h:?} is not gross");
        }
        let gross = [
            "Amount inc VAT",
            "Amount including VAT",
            "Total (incl. VAT)",
            "Value inclusive of VAT",
            "Gross",
            "Gross Amount",
            "Amount VAT inclusive",
        ];
        for h in gross {
            assert_eq!(s(Role::GrossAmount, h), 1.0, "{h:?} is gross");
            assert_eq!(s(Role::Vat, h), 0.0, "{h:?} is not the VAT");
            assert_eq!(s(Role::NetAmount, h), 0.0, "{h:?} is not net");
        }
        let vat = [
            "VAT",
            "VAT Amount",
            "Irrecoverable VAT",
            "IrrecoverableVATAmount",
            "VAT that cannot be recovered",
        ];
        for h in vat {
            assert_eq!(s(Role::Vat, h), 0.9, "{h:?} is the VAT");
            assert_eq!(s(Role::NetAmount, h), 0.0, "{h:?} is not net");
            assert_eq!(s(Role::GrossAmount, h), 0.0, "{h:?} is not gross");
        }
        for h in [
            "Net VAT",
            "VAT Rate",
            "VAT Code",
            "VAT Registration Number",
            "VAT Exempt",
        ] {
            assert_eq!(s(Role::NetAmount, h), 0.0, "{h:?}");
        }
        for h in [
            "VAT Rate",
            "VAT Code",
            "VAT Registration Number",
            "VAT Exempt",
        ] {
            assert_eq!(s(Role::Vat, h), 0.0, "{h:?}");
        }
    }
}
