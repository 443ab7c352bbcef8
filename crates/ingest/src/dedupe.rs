//! The same transaction published twice — overlapping monthly files, a re-issued month —
//! is kept once.
//!
//! Two rows are the same transaction when every field read from them is equal (anchor, date,
//! amount, gross, VAT, supplier, identifiers, transaction id, categories, description).
//! Only copies in **different files** are duplicates: within one file identical rows are
//! separate payments (two identical care-home invoices paid the same day are two payments).
//! Counting is by multiplicity: if file A has a row twice and file B has it three times,
//! two of B's copies are duplicates and one is new.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use anchornet_core::Payment;
use chrono::Datelike;

/// Remembers transactions already seen in earlier files.
///
/// Memory is one 28-byte entry per distinct transaction, in 256 maps chosen by the key, so
/// that no single map's growth holds two large tables at once. A row costs one look-up: a
/// transaction first seen in the current file keeps its running count in its own entry
/// (no earlier file has it, so the entry's "most copies in an earlier file" is free until
/// the file ends, and then it is exactly that); only transactions also seen in an earlier
/// file are counted on the side.
pub struct Deduper {
    /// key → where it was first seen and the most copies in any one earlier file (or, for
    /// a key first seen in the current file, its copies so far).
    seen: Vec<HashMap<Key, Seen, KeyHash>>,
    /// copies in the current file so far of keys first seen in an earlier file.
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

/// The maps' hasher: a key is already a hash of the transaction, so its low 64 bits are the
/// hash.
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

/// Appends an unambiguous encoding of a transaction's fields: every text is preceded by
/// its length and every optional value by whether it is present, so two different
/// transactions never encode to the same bytes.
struct Encoder<'b>(&'b mut Vec<u8>);

impl Encoder<'_> {
    fn text(&mut self, s: &str) {
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_text(&mut self, s: &Option<String>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.text(s);
            }
        }
    }
    fn int(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn opt_int(&mut self, v: Option<i64>) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                self.int(v);
            }
        }
    }
}

thread_local! {
    /// The encoding buffer of [`key`], reused row after row.
    static ENCODED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The transaction key of a payment: 128 bits over every field read from its row (not its
/// file or line). Pure, so it can be computed where the row is converted.
///
/// The fields are encoded unambiguously into one buffer ([`Encoder`]) and hashed once with
/// XXH3-128 (a fast non-cryptographic hash of 128 bits, the width the key had when it was two
/// SipHash runs): two different transactions share a key with probability about
/// n² / 2¹²⁹, about 10⁻²² for 10⁸ payments.
pub fn key(p: &Payment) -> u128 {
    ENCODED.with(|b| {
        let mut buf = b.borrow_mut();
        buf.clear();
        let mut e = Encoder(&mut buf);
        e.text(&p.anchor);
        e.int(i64::from(p.date.naive().num_days_from_ce()));
        e.int(p.amount.0);
        e.opt_int(p.gross.map(|g| g.0));
        e.opt_int(p.vat.map(|g| g.0));
        e.text(&p.supplier_name);
        e.0.push(u8::from(p.redacted));
        for f in p.text_fields() {
            e.opt_text(f);
        }
        match &p.proclass_code {
            None => e.0.push(0),
            Some(c) => {
                e.0.push(1);
                e.text(c.as_str());
            }
        }
        twox_hash::XxHash3_128::oneshot(&buf)
    })
}

impl Deduper {
    /// Start a new file.
    pub fn begin_file(&mut self, name: &str) {
        self.finish_file();
        self.file_names.push(name.to_string());
    }

    /// Fold the current file's counts of keys seen in earlier files into their entries (the
    /// keys first seen in this file already hold their counts).
    fn finish_file(&mut self) {
        for (k, n) in self.current.drain() {
            if let Some(e) = self.seen[k.shard()].get_mut(&k) {
                e.max = e.max.max(n);
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
        let this_idx = self.file_names.len().saturating_sub(1) as u32;
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let e = self.seen[k.shard()].entry(k).or_insert(Seen {
            max: 0,
            file: this_idx,
            line,
        });
        if e.file == this_idx {
            // First seen in this file: a separate payment however often it recurs here.
            e.max += 1;
            if e.line == 0 {
                e.line = line;
            }
            return None;
        }
        let n = self.current.entry(k).or_insert(0);
        *n += 1;
        (*n <= e.max).then(|| format!("{} line {}", self.file_names[e.file as usize], e.line))
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
            proclass_code: None,
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

    #[test]
    fn the_most_copies_in_any_one_earlier_file() {
        // One copy in a.csv, three in b.csv: b's first copy duplicates a's, its other two are
        // new; c.csv's first three copies duplicate b's (the most in one earlier file), a
        // fourth is new. Each duplicate names where the transaction was first seen.
        let mut d = Deduper::default();
        d.begin_file("a.csv");
        assert_eq!(d.check(&pay(7, 100)), None);
        d.begin_file("b.csv");
        assert_eq!(d.check(&pay(2, 100)).as_deref(), Some("a.csv line 7"));
        assert_eq!(d.check(&pay(3, 100)), None);
        assert_eq!(d.check(&pay(4, 100)), None);
        d.begin_file("c.csv");
        for line in 2..5 {
            assert_eq!(d.check(&pay(line, 100)).as_deref(), Some("a.csv line 7"));
        }
        assert_eq!(d.check(&pay(5, 100)), None);
    }

    #[test]
    fn keys_differ_when_any_field_differs() {
        let a = pay(2, 100);
        let mut b = a.clone();
        b.supplier_name = "S ".into();
        assert_ne!(key(&a), key(&b));
        // The same text in two fields is not the same transaction.
        let (mut c, mut e) = (a.clone(), a.clone());
        c.supplier_id = Some("X".into());
        e.company_number = Some("X".into());
        assert_ne!(key(&c), key(&e));
        // Line and file are not part of a transaction.
        let mut f = a.clone();
        f.line = 99;
        f.source_file = "g".into();
        assert_eq!(key(&a), key(&f));
    }
}
