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
///
/// Memory is one 28-byte entry per distinct transaction, in 256 maps chosen by the key, so
/// that no single map's growth holds two large tables at once.
pub struct Deduper {
    /// key → where it was first seen and the most copies in any one earlier file.
    seen: Vec<HashMap<Key, Seen, KeyHash>>,
    /// copies in the current file so far.
    current: HashMap<Key, u32, KeyHash>,
    file_names: Vec<String>,
}

impl Default for Deduper {
    fn default() -> Self {
        Deduper {
            seen: (0..SHARDS).map(|_| HashMap::default()).collect(),
            current: HashMap::default(),
            file_names: Vec::new(),
        }
    }
}

const SHARDS: usize = 256;

/// A 128-bit key stored with 4-byte alignment (a `u128` would pad each entry to 32 bytes).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key([u32; 4]);

impl Key {
    fn of(k: u128) -> Key {
        Key([
            k as u32,
            (k >> 32) as u32,
            (k >> 64) as u32,
            (k >> 96) as u32,
        ])
    }
    fn shard(&self) -> usize {
        (self.0[3] >> 24) as usize % SHARDS
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(u64::from(self.0[0]) | u64::from(self.0[1]) << 32);
    }
}

/// Where a transaction was first seen, and the most copies of it in any one earlier file.
#[derive(Clone, Copy)]
struct Seen {
    max: u32,
    file: u32,
    /// The line (saturating at `u32::MAX`; 0 = not yet known).
    line: u32,
}

/// The maps' hasher: a key is already a SipHash output, so its low 64 bits are the hash.
#[derive(Default, Clone, Copy)]
struct KeyHash;

impl std::hash::BuildHasher for KeyHash {
    type Hasher = KeyHasher;
    fn build_hasher(&self) -> KeyHasher {
        KeyHasher(0)
    }
}

/// See [`KeyHash`].
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = k;
    }
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
            let e = self.seen[k.shard()].entry(k).or_insert(Seen {
                max: 0,
                file: idx,
                line: 0,
            });
            if n > e.max {
                e.max = n;
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
        let k = Key::of(k);
        let n = self.current.entry(k).or_insert(0);
        *n += 1;
        let n = *n;
        let this_idx = self.file_names.len().saturating_sub(1) as u32;
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let shard = &mut self.seen[k.shard()];
        match shard.get_mut(&k) {
            Some(e) if e.file != this_idx && n <= e.max => Some(format!(
                "{} line {}",
                self.file_names[e.file as usize], e.line
            )),
            Some(e) if e.file == this_idx && e.line == 0 => {
                e.line = line;
                None
            }
            Some(_) => None,
            None => {
                shard.insert(
                    k,
                    Seen {
                        max: 0,
                        file: this_idx,
                        line,
                    },
                );
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
