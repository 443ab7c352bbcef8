//! The same transaction published twice — overlapping monthly files, a re-issued month —
//! is kept once.
//!
//! Two rows are the same transaction when every field read from them is equal (anchor, date,
//! amount, gross, VAT, supplier, identifiers, transaction id, categories, description).
//! Only copies in **different files** are duplicates: within one file identical rows are
//! separate payments (two identical care-home invoices paid the same day are two payments).
//! Counting is by multiplicity: if file A has a row twice and file B has it three times,
//! two of B's copies are duplicates and one is new.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use anchornet_core::Payment;

/// Remembers transactions already seen in earlier files.
#[derive(Default)]
pub struct Deduper {
    /// key → (most copies in any one earlier file, where the first was seen).
    seen: HashMap<u128, (u32, u32, u64)>,
    /// copies in the current file so far.
    current: HashMap<u128, u32>,
    file_names: Vec<String>,
}

/// The transaction key of a payment: 128 bits over every field read from its row (not its
/// file or line). Pure, so it can be computed where the row is converted.
pub fn key(p: &Payment) -> u128 {
    // 128 bits from two independent SipHash runs: collisions are negligible at 10^8 rows.
    let mut a = std::collections::hash_map::DefaultHasher::new();
    let mut b = std::collections::hash_map::DefaultHasher::new();
    0xA5u8.hash(&mut b);
    for h in [&mut a, &mut b] {
        (
            &p.anchor,
            p.date,
            p.amount,
            p.gross,
            p.vat,
            &p.supplier_name,
            p.redacted,
        )
            .hash(h);
        (
            &p.supplier_id,
            &p.company_number,
            &p.charity_number,
            &p.vat_number,
            &p.supplier_postcode,
        )
            .hash(h);
        (
            &p.expense_type,
            &p.procurement_category,
            &p.expense_code,
            &p.service_area,
        )
            .hash(h);
        (&p.transaction_id, &p.capital_revenue, &p.description).hash(h);
    }
    ((a.finish() as u128) << 64) | b.finish() as u128
}

impl Deduper {
    /// Start a new file.
    pub fn begin_file(&mut self, name: &str) {
        self.finish_file();
        self.file_names.push(name.to_string());
    }

    fn finish_file(&mut self) {
        let idx = self.file_names.len().saturating_sub(1) as u32;
        for (k, n) in self.current.drain() {
            let e = self.seen.entry(k).or_insert((0, idx, 0));
            if n > e.0 {
                e.0 = n;
            }
        }
    }

    /// Check a payment of the current file: `Some("file line N")` if it duplicates an
    /// earlier file's row, else `None` (and it is remembered).
    pub fn check(&mut self, p: &Payment) -> Option<String> {
        self.check_key(key(p), p.line)
    }

    /// [`Deduper::check`] of a payment on `line` whose [`key`] is `k`.
    pub fn check_key(&mut self, k: u128, line: u64) -> Option<String> {
        let n = self.current.entry(k).or_insert(0);
        *n += 1;
        let this_idx = self.file_names.len().saturating_sub(1) as u32;
        match self.seen.get_mut(&k) {
            Some((max, file, first)) if *file != this_idx && *n <= *max => {
                Some(format!("{} line {}", self.file_names[*file as usize], first))
            }
            Some((_, file, first)) if *file == this_idx && *first == 0 => {
                *first = line;
                None
            }
            Some(_) => None,
            None => {
                self.seen.insert(k, (0, this_idx, line));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchornet_core::{FinancialYear, PaymentDate, Pence};

    fn pay(line: u64, amount: i64) -> Payment {
        let date = PaymentDate::parse("2022-05-03").unwrap();
        Payment {
            anchor: "A".into(),
            source_file: "f".into(),
            line,
            date,
            financial_year: FinancialYear::of(date),
            amount: Pence(amount),
            gross: None,
            vat: None,
            supplier_name: "S".into(),
            redacted: false,
            supplier_id: None,
            company_number: None,
            charity_number: None,
            vat_number: None,
            supplier_postcode: None,
            expense_type: None,
            procurement_category: None,
            expense_code: None,
            service_area: None,
            transaction_id: None,
            capital_revenue: None,
            description: None,
        }
    }

    #[test]
    fn across_files_by_multiplicity() {
        let mut d = Deduper::default();
        d.begin_file("a.csv");
        assert_eq!(d.check(&pay(2, 100)), None);
        assert_eq!(d.check(&pay(3, 100)), None); // same file: a separate payment
        d.begin_file("b.csv");
        assert_eq!(d.check(&pay(2, 100)).as_deref(), Some("a.csv line 2"));
        assert!(d.check(&pay(3, 100)).is_some());
        assert_eq!(d.check(&pay(4, 100)), None); // a third copy is new
        assert_eq!(d.check(&pay(5, 200)), None);
        d.begin_file("c.csv");
        assert!(d.check(&pay(9, 200)).is_some());
    }
}
