//! The 360Giving Data Standard's flattened layout (CSV or spreadsheet): the one place that
//! knows its column titles and its award dates. Two readers take the same files for
//! different things, both through [`Columns`]: the Total Place view reads the money
//! (`anchornet_plan::place::grants`: amount, date, programme, beneficiary location) and the
//! supplier registers read the recipients as evidence (`anchornet_resolve`'s open registers:
//! names, charity and company numbers, org identifiers, postcodes).
//!
//! Titles are the standard's (`Amount Awarded`, `Award Date`, `Recipient Org:Name`,
//! `Recipient Org:Charity Number`, `Recipient Org:Identifier`, `Recipient Org:Postal Code`,
//! `Beneficiary Location:Geographic Code`, `Grant Programme:Title`, `Funding Org:Name` …),
//! matched after [`normalise`] — case, spacing and punctuation ignored — so `recipient
//! org: postal code` and `RecipientOrg:PostalCode` are read too. The first column of a title
//! is used.

use anchornet_core::PaymentDate;

use crate::vocab::normalise;

/// Where each of the standard's columns is, by position in the header.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// `Identifier`: the grant's.
    pub identifier: Option<usize>,
    /// `Amount Awarded`.
    pub amount_awarded: Option<usize>,
    /// `Award Date`.
    pub award_date: Option<usize>,
    /// `Grant Programme:Title`.
    pub programme: Option<usize>,
    /// `Funding Org:Department`.
    pub funder_department: Option<usize>,
    /// `Funding Org:Name`.
    pub funder: Option<usize>,
    /// `Recipient Org:Name`.
    pub recipient: Option<usize>,
    /// `Recipient Org:Charity Number`.
    pub recipient_charity: Option<usize>,
    /// `Recipient Org:Company Number`.
    pub recipient_company: Option<usize>,
    /// `Recipient Org:Identifier` (org-id: `GB-CHC-…`, `GB-COH-…`).
    pub recipient_identifier: Option<usize>,
    /// `Recipient Org:Postal Code`.
    pub recipient_postcode: Option<usize>,
    /// `Beneficiary Location:Geographic Code`.
    pub beneficiary_code: Option<usize>,
}

impl Columns {
    /// The columns of a header row.
    pub fn of<S: AsRef<str>>(header: &[S]) -> Columns {
        let mut c = Columns::default();
        for (i, h) in header.iter().enumerate() {
            let slot = match normalise(h.as_ref()).as_str() {
                "identifier" => &mut c.identifier,
                "amount awarded" => &mut c.amount_awarded,
                "award date" => &mut c.award_date,
                "grant programme title" => &mut c.programme,
                "funding org department" => &mut c.funder_department,
                "funding org name" => &mut c.funder,
                "recipient org name" => &mut c.recipient,
                "recipient org charity number" => &mut c.recipient_charity,
                "recipient org company number" => &mut c.recipient_company,
                "recipient org identifier" => &mut c.recipient_identifier,
                "recipient org postal code" | "recipient org postcode" => &mut c.recipient_postcode,
                "beneficiary location geographic code" => &mut c.beneficiary_code,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(i);
            }
        }
        c
    }

    /// A grants table: the standard's two required money fields are there.
    pub fn has_grants(&self) -> bool {
        self.amount_awarded.is_some() && self.award_date.is_some()
    }

    /// A table of recipients (the standard names the recipient organisation).
    pub fn has_recipients(&self) -> bool {
        self.recipient.is_some()
    }
}

/// An award date: the standard requires ISO 8601, a date or a date-time (`2021-06-30`,
/// `2021-06-30T00:00:00+00:00`); anything else is `None`.
pub fn award_date(s: &str) -> Option<PaymentDate> {
    let d = s.trim().get(..10)?;
    let mut it = d.split('-');
    let (y, m, dd) = (
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    );
    if it.next().is_some() {
        return None;
    }
    PaymentDate::from_ymd(y, m, dd)
}

/// The register number an org-id carries for one register list (`GB-CHC-` charities of
/// England and Wales, `GB-COH-` Companies House): `GB-CHC-1234567` → `1234567`.
pub fn org_id_number<'a>(org_id: &'a str, prefix: &str) -> Option<&'a str> {
    org_id
        .trim()
        .strip_prefix(prefix)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_titles_are_found_in_any_spelling() {
        // The flattened titles as the standard's template spells them, and respelt.
        let c = Columns::of(&[
            "Identifier",
            "Title",
            "Amount Awarded",
            "Award Date",
            "Recipient Org:Identifier",
            "Recipient Org:Name",
            "recipient org: charity number",
            "RecipientOrg:CompanyNumber",
            "Recipient Org:Postal Code",
            "Beneficiary Location:Geographic Code",
            "Funding Org:Name",
            "Grant Programme:Title",
            "Amount Awarded",
        ]);
        assert_eq!(c.identifier, Some(0));
        assert_eq!(c.amount_awarded, Some(2), "the first of a repeated title");
        assert_eq!(c.award_date, Some(3));
        assert_eq!(c.recipient_identifier, Some(4));
        assert_eq!(c.recipient, Some(5));
        assert_eq!(c.recipient_charity, Some(6));
        assert_eq!(c.recipient_company, Some(7));
        assert_eq!(c.recipient_postcode, Some(8));
        assert_eq!(c.beneficiary_code, Some(9));
        assert_eq!(c.funder, Some(10));
        assert_eq!(c.programme, Some(11));
        assert!(c.has_grants() && c.has_recipients());
        assert!(!Columns::of(&["Supplier Name", "Amount", "Date"]).has_grants());
    }

    #[test]
    fn award_dates_are_iso_8601_only() {
        assert_eq!(
            award_date("2021-06-30T00:00:00+00:00"),
            PaymentDate::from_ymd(2021, 6, 30)
        );
        assert_eq!(award_date("2021-06-30"), PaymentDate::from_ymd(2021, 6, 30));
        assert_eq!(award_date("30/06/2021"), None);
        assert_eq!(award_date("2021-02-30"), None);
        assert_eq!(org_id_number("GB-CHC-1234567", "GB-CHC-"), Some("1234567"));
        assert_eq!(org_id_number("GB-CHC-", "GB-CHC-"), None);
        assert_eq!(org_id_number("GB-COH-01234567", "GB-CHC-"), None);
    }
}
