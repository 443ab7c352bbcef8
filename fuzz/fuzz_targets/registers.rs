//! Register layouts through `Registers::load`, which recognises the layout from the header:
//! the first byte picks a real header (Companies House bulk and search exports, a Charity
//! Commission extract, a council's business-rates list, a supplier list), the rest follows
//! it as the file's body.
#![no_main]

mod common;

const HEADERS: [&str; 5] = [
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,IncorporationDate,SICCode.SicText_1\n",
    "company_name,company_number,company_status,company_type,registered_office_address,date_of_creation\n",
    "registered_charity_number,charity_name,charity_contact_postcode,charity_activities\n",
    "Ratepayer,Property Address,Postcode,Rateable Value\n",
    "Supplier Name,Address,Postcode,Company Number\n",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("anchornet-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("register.csv");
    let mut bytes = HEADERS[k as usize % HEADERS.len()].as_bytes().to_vec();
    bytes.extend_from_slice(rest);
    std::fs::write(&path, bytes).unwrap();
    let mut regs = anchornet_resolve::registers::Registers::new();
    let _ = regs.load(&path, None);
});
