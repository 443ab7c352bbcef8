//! Register files never make the loader panic (issue 17): each layout `Registers::load`
//! recognises — Companies House bulk and search exports, a Charity Commission extract, a
//! council's business-rates list, a supplier list, OCDS JSON — with a body of random bytes,
//! or of a real-looking row cut and corrupted, from a small seeded generator (no new
//! dependency; the same seed every run). An `Err` is fine; a panic is not.

use anchornet_resolve::Registers;

/// xorshift64*: enough for reproducible garbage.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const LAYOUTS: [(&str, &str, &str); 6] = [
    (
        "BasicCompanyData.csv",
        "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,IncorporationDate,SICCode.SicText_1\n",
        "\"ACME TRADING LIMITED\",01234567,,,\"1 HIGH STREET\",,SALFORD,,UNITED KINGDOM,M5 4WT,Private Limited Company,Active,United Kingdom,,01/01/2001,\"70100 - Activities of head offices\"\n",
    ),
    (
        "companies_search.csv",
        "company_name,company_number,company_status,company_type,registered_office_address,date_of_creation\n",
        "ACME TRADING LIMITED,01234567,active,ltd,\"1 High Street, Salford, M5 4WT\",2001-01-01\n",
    ),
    (
        "charities.csv",
        "registered_charity_number,charity_name,charity_contact_postcode,charity_activities\n",
        "1000001,SALFORD FOOD BANK,M6 5FX,\"Food parcels\"\n",
    ),
    (
        "nndr.csv",
        "Ratepayer,Property Address,Postcode,Rateable Value\n",
        "Acme Trading Ltd,1 High Street Salford,M5 4WT,12500\n",
    ),
    (
        "suppliers.csv",
        "Supplier Name,Address,Postcode,Company Number\n",
        "Acme Trading Ltd,1 High Street,M5 4WT,01234567\n",
    ),
    (
        "releases.json",
        "",
        "{\"releases\":[{\"ocid\":\"ocds-b5fd17-1\",\"id\":\"1\",\"date\":\"2025-01-23T16:26:00Z\",\"parties\":[{\"name\":\"Acme Trading Ltd\",\"roles\":[\"supplier\"],\"address\":{\"postalCode\":\"M5 4WT\"}}]}]}",
    ),
];

#[test]
fn random_and_corrupted_register_files_are_read_or_refused() {
    let dir = std::env::temp_dir().join(format!("anchornet-regs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x5eed_1717);
    let mut loaded = 0;
    for case in 0..600 {
        let (name, header, row) = LAYOUTS[case % LAYOUTS.len()];
        let mut body: Vec<u8> = header.as_bytes().to_vec();
        if case % 2 == 0 {
            for _ in 0..rng.below(300) {
                body.push(rng.next() as u8);
            }
        } else {
            for _ in 0..1 + rng.below(5) {
                let mut r = row.as_bytes().to_vec();
                r.truncate(1 + rng.below(r.len()));
                for _ in 0..rng.below(4) {
                    let at = rng.below(r.len());
                    r[at] = rng.next() as u8;
                }
                body.extend(r);
            }
        }
        let path = dir.join(name);
        std::fs::write(&path, &body).unwrap();
        let mut regs = Registers::new();
        if regs.load(&path, None).is_ok() {
            loaded += 1;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    // Not everything is refused: the readers still read what they can.
    assert!(loaded > 100, "{loaded} of 600 loaded");
}
