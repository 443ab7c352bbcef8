//! Section tags of the index file. String tables take two tags: offsets at `T`, bytes at `T+1`.

// Per postcode (n rows).
pub(crate) const PC_CORE: u32 = 10; // [u16; 4]: lsoa11, directory lad, terminated, flags
pub(crate) const PC_OA11: u32 = 11; // u32
pub(crate) const PC_LSOA21: u32 = 12; // u16
pub(crate) const PC_WARD: u32 = 13; // u16
pub(crate) const PC_LAD: u32 = 14; // u16
pub(crate) const PC_INTR: u32 = 15; // u16 months
pub(crate) const PC_LAT: u32 = 16; // i32 micro-degrees
pub(crate) const PC_LON: u32 = 17; // i32 micro-degrees

// Key structure.
pub(crate) const OUTWARDS: u32 = 20; // u32 packed outward codes, sorted
pub(crate) const SLOT_START: u32 = 21; // u32, n_outward * 10 + 1
pub(crate) const SLOT_BITS: u32 = 22; // u64, n_outward * 10 * 11

// Areas.
pub(crate) const OA11_CODES: u32 = 30;
pub(crate) const LSOA11_CODES: u32 = 32;
pub(crate) const LSOA11_NAMES: u32 = 34;
pub(crate) const LSOA11_MSOA: u32 = 36; // u16
pub(crate) const LSOA11_LAD: u32 = 37; // u16
pub(crate) const MSOA11_CODES: u32 = 38;
pub(crate) const MSOA11_NAMES: u32 = 40;
pub(crate) const LSOA21_CODES: u32 = 42;
pub(crate) const LSOA21_NAMES: u32 = 44;
pub(crate) const LSOA21_LAD: u32 = 46; // u16
pub(crate) const LSOA21_CENTRE: u32 = 47; // i32 pairs (lat, lon) micro-degrees
pub(crate) const WARD_CODES: u32 = 48;
pub(crate) const WARD_NAMES: u32 = 50;
pub(crate) const LAD_CODES: u32 = 52;
pub(crate) const LAD_NAMES: u32 = 54;
pub(crate) const LAD_REGION: u32 = 56; // u16
pub(crate) const LAD_CAUTH: u32 = 57; // u16
pub(crate) const REGION_CODES: u32 = 58;
pub(crate) const REGION_NAMES: u32 = 60;
pub(crate) const CAUTH_CODES: u32 = 62;
pub(crate) const CAUTH_NAMES: u32 = 64;

// Deprivation, 8 values per LSOA (overall then the seven domains).
pub(crate) const IMD19_DECILE: u32 = 70; // u8, 0 = none
pub(crate) const IMD19_RANK: u32 = 71; // u32, 0 = none
pub(crate) const IOD25_DECILE: u32 = 72; // u8
pub(crate) const IOD25_RANK: u32 = 73; // u32
pub(crate) const IOD25_SCORE: u32 = 74; // i32 thousandths, i32::MIN = none

/// "No value" in u16 id columns.
pub(crate) const NONE16: u16 = u16::MAX;
/// "No value" in u32 id columns.
pub(crate) const NONE32: u32 = u32::MAX;
/// "No coordinate".
pub(crate) const NO_COORD: i32 = i32::MIN;

// Flags (core[3]).
pub(crate) const F_ROUTE_MASK: u16 = 0b111;
pub(crate) const F_LARGE_USER: u16 = 1 << 3;
pub(crate) const F_IN_DIRECTORY: u16 = 1 << 4;
pub(crate) const F_IN_CODEPOINT: u16 = 1 << 5;
