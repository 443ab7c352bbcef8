//! The fields of a land and building asset register, read from a column header by meaning.
//!
//! The field list is the Local Government Transparency Code 2015's (DCLG, February 2015,
//! part 2, "Land and building assets"): for each asset "Unique Property Reference Number,
//! unique asset identity, name of the building/land or both, street number(s), street name,
//! post town, United Kingdom postcode, map reference (Ordnance Survey or ISO 6709), whether
//! the authority owns the freehold or a lease" and which characteristics apply ("occupied by
//! the local authority, ground leasehold, leasehold, licence, vacant"; for leases "sub
//! leasehold"; for other assets a free-text description). The LGA/iStandUK schema names them
//! `UPRN, AssetCode, PropertyName, StreetNumber, StreetName, PostTown, PostCode,
//! CoordinateReferenceSystem, GeoX, GeoY, TenureType, TenureDetail, OtherDetail,
//! HoldingType` (plus `BuildingSize, LandArea`); councils publish the same fields with their
//! own words ("Unique Asset ID", "X Co-ordinate", "Easting", "Tenure Category", "Land
//! only"), so each header is normalised as payment headers are
//! ([`anchornet_ingest::vocab::normalise`]) and scored for each field by its words. NHS
//! estates (ERIC) and the planning data specification's asset-of-community-value fields use
//! the same words for the same things (`name`, `address`, `point`, `uprn`).

/// One field of an asset register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// Unique Property Reference Number (GeoPlace / OS AddressBase).
    Uprn,
    /// The publisher's own asset identity (`AssetCode`, `Unique Asset ID`, `reference`).
    AssetId,
    /// Name of the building or land.
    Name,
    /// Street number(s).
    StreetNumber,
    /// Street name.
    Street,
    /// Post town (or locality).
    Town,
    /// Postcode.
    Postcode,
    /// Free-text address (may hold a postcode).
    Address,
    /// The coordinate reference system of `GeoX`/`GeoY` (`WGS84`, `OSGB36`, `EPSG:27700`).
    Crs,
    /// An x coordinate of unstated kind (`GeoX`, `X Co-ordinate`, `Map reference X`).
    X,
    /// A y coordinate of unstated kind.
    Y,
    /// A British National Grid easting.
    Easting,
    /// A British National Grid northing.
    Northing,
    /// Latitude (WGS84).
    Latitude,
    /// Longitude (WGS84).
    Longitude,
    /// A point as text: WKT `POINT(x y)` (the planning data specification's `point`).
    Point,
    /// Freehold or leasehold (`TenureType`, `Tenure`).
    Tenure,
    /// The characteristics of the holding (`TenureDetail`, `Tenure Category`: occupied by
    /// the authority, leasehold out, licence, vacant…).
    TenureDetail,
    /// Land, buildings, or land and buildings (`HoldingType`, `Land only`).
    HoldingType,
    /// Use, occupation or other detail (`OtherDetail`, `Current use`, `Asset type`).
    Use,
    /// A yes/no column about vacancy or occupation (`Vacant?`, `Occupied`).
    Vacancy,
    /// Building size (floor area).
    BuildingSize,
    /// Land or site area.
    LandArea,
}

impl Field {
    /// Every field, in the order columns are claimed (specific before general).
    pub const ALL: [Field; 23] = [
        Field::Uprn,
        Field::Postcode,
        Field::Crs,
        Field::Easting,
        Field::Northing,
        Field::Latitude,
        Field::Longitude,
        Field::Point,
        Field::X,
        Field::Y,
        Field::AssetId,
        Field::StreetNumber,
        Field::Street,
        Field::Town,
        Field::Tenure,
        Field::TenureDetail,
        Field::HoldingType,
        Field::Vacancy,
        Field::BuildingSize,
        Field::LandArea,
        Field::Use,
        Field::Name,
        Field::Address,
    ];

    /// The snake_case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Uprn => "uprn",
            Field::AssetId => "asset_id",
            Field::Name => "name",
            Field::StreetNumber => "street_number",
            Field::Street => "street",
            Field::Town => "town",
            Field::Postcode => "postcode",
            Field::Address => "address",
            Field::Crs => "crs",
            Field::X => "x",
            Field::Y => "y",
            Field::Easting => "easting",
            Field::Northing => "northing",
            Field::Latitude => "latitude",
            Field::Longitude => "longitude",
            Field::Point => "point",
            Field::Tenure => "tenure",
            Field::TenureDetail => "tenure_detail",
            Field::HoldingType => "holding_type",
            Field::Use => "use",
            Field::Vacancy => "vacancy",
            Field::BuildingSize => "building_size",
            Field::LandArea => "land_area",
        }
    }

    /// Whether several columns may hold this field (an address in several lines).
    pub fn repeats(self) -> bool {
        matches!(self, Field::Address | Field::Use)
    }
}

/// How strongly a header (raw, as published) names a field: 1 unambiguous, 0.5 plausible,
/// 0 not at all.
pub fn score(field: Field, header: &str) -> f32 {
    let n = anchornet_ingest::vocab::normalise(header);
    let w: Vec<&str> = n.split(' ').collect();
    let has = |x: &str| w.contains(&x);
    let any = |xs: &[&str]| xs.iter().any(|x| has(x));
    let phrase = |p: &str| {
        let p: Vec<&str> = p.split(' ').collect();
        w.windows(p.len()).any(|x| x == p.as_slice())
    };
    let is = |xs: &[&str]| xs.contains(&n.as_str());
    if n.is_empty() {
        return 0.0;
    }
    let idish = any(&[
        "id",
        "code",
        "ref",
        "reference",
        "number",
        "no",
        "identity",
        "identifier",
    ]);
    match field {
        Field::Uprn => {
            if has("uprn") || phrase("unique property reference") {
                1.0
            } else {
                0.0
            }
        }
        Field::AssetId => {
            if has("uprn") || phrase("unique property") || any(&["street", "house", "building"]) {
                0.0
            } else if (any(&["asset", "property", "site", "land", "terrier", "estate"]) && idish)
                || phrase("unique asset")
            {
                1.0
            } else if is(&[
                "id",
                "ref",
                "reference",
                "code",
                "identifier",
                "object id",
                "fid",
            ]) {
                0.6
            } else {
                0.0
            }
        }
        Field::Name => {
            if any(&[
                "organisation",
                "organization",
                "council",
                "authority",
                "owner",
                "trust",
            ]) || idish
                || any(&[
                    "street", "town", "type", "use", "tenure", "ward", "district",
                ])
            {
                0.0
            } else if phrase("property name")
                || phrase("asset name")
                || phrase("site name")
                || phrase("building name")
                || phrase("name of the building")
                || phrase("land name")
                || is(&[
                    "name", "property", "asset", "site", "premises", "building", "title",
                ])
            {
                1.0
            } else if has("name")
                || is(&["description", "asset description", "property description"])
            {
                0.6
            } else {
                0.0
            }
        }
        Field::StreetNumber => {
            if (any(&["street", "house", "building", "property", "paon", "primary"])
                && any(&["number", "no", "numbers", "num"]))
                || is(&["no", "number", "house no", "paon"])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::Street => {
            if any(&["number", "no", "num"]) {
                0.0
            } else if phrase("street name")
                || is(&["street", "road", "thoroughfare", "street description"])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::Town => {
            if phrase("post town")
                || is(&[
                    "town",
                    "posttown",
                    "locality",
                    "city",
                    "town city",
                    "town or city",
                ])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::Postcode => {
            if has("postcode") || phrase("post code") || is(&["pcode", "post code", "pc"]) {
                1.0
            } else {
                0.0
            }
        }
        Field::Address => {
            if has("postcode") || phrase("post code") || any(&["email", "web", "website", "url"]) {
                0.0
            } else if has("address")
                || phrase("site location")
                || is(&["location", "location description"])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::Crs => {
            if phrase("coordinate reference system")
                || phrase("co ordinate reference system")
                || phrase("spatial reference")
                || is(&[
                    "crs",
                    "srs",
                    "epsg",
                    "srid",
                    "coordinate system",
                    "projection",
                ])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::X | Field::Y => {
            let letter = if field == Field::X { "x" } else { "y" };
            let x = has(letter)
                || w.iter()
                    .any(|t| *t == format!("geo{letter}") || *t == format!("{letter}coord"));
            if x && !any(&[
                "easting",
                "northing",
                "lat",
                "latitude",
                "lon",
                "long",
                "longitude",
            ]) {
                1.0
            } else {
                0.0
            }
        }
        Field::Easting => {
            if any(&["easting", "eastings"])
                || is(&["east", "e", "grid east", "bng e", "bng easting"])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::Northing => {
            if any(&["northing", "northings"])
                || is(&["north", "n", "grid north", "bng n", "bng northing"])
            {
                1.0
            } else {
                0.0
            }
        }
        Field::Latitude => {
            if any(&["lat", "latitude"]) {
                1.0
            } else {
                0.0
            }
        }
        Field::Longitude => {
            if any(&["lon", "lng", "longitude"]) || is(&["long"]) {
                1.0
            } else {
                0.0
            }
        }
        Field::Point => {
            if is(&["point", "wkt", "the geom", "location point"]) {
                1.0
            } else {
                0.0
            }
        }
        Field::Tenure => {
            if has("tenure")
                && !any(&[
                    "detail",
                    "details",
                    "category",
                    "characteristic",
                    "characteristics",
                    "sub",
                ])
            {
                1.0
            } else if is(&[
                "freehold leasehold",
                "freehold or leasehold",
                "ownership",
                "interest",
                "tenancy",
            ]) {
                0.8
            } else {
                0.0
            }
        }
        Field::TenureDetail => {
            if has("tenure")
                && any(&[
                    "detail",
                    "details",
                    "category",
                    "characteristic",
                    "characteristics",
                    "status",
                ])
            {
                1.0
            } else if is(&[
                "occupation",
                "occupancy",
                "occupation status",
                "occupancy status",
                "holding status",
            ]) {
                0.9
            } else {
                0.0
            }
        }
        Field::HoldingType => {
            if phrase("holding type")
                || phrase("land only")
                || phrase("land or building")
                || phrase("land building")
            {
                1.0
            } else if is(&[
                "asset type",
                "property type",
                "holding",
                "type",
                "land building type",
            ]) {
                0.6
            } else {
                0.0
            }
        }
        Field::Use => {
            if phrase("other detail")
                || phrase("other details")
                || has("use")
                || has("usage")
                || is(&[
                    "purpose",
                    "function",
                    "asset category",
                    "category",
                    "service",
                    "primary purpose",
                    "notes",
                ])
            {
                0.8
            } else {
                0.0
            }
        }
        Field::Vacancy => {
            if any(&[
                "vacant",
                "vacancy",
                "void",
                "empty",
                "occupied",
                "unoccupied",
            ]) && !has("tenure")
            {
                1.0
            } else {
                0.0
            }
        }
        Field::BuildingSize => {
            if phrase("building size") || phrase("floor area") || any(&["gia", "nia", "gifa"]) {
                1.0
            } else {
                0.0
            }
        }
        Field::LandArea => {
            if phrase("land area") || phrase("site area") || any(&["hectares", "acres", "ha"]) {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// Which column holds each field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    /// (field, column index, score), one entry per column claimed.
    pub claims: Vec<(Field, usize, f32)>,
}

impl Columns {
    /// The first column holding `f`.
    pub fn get(&self, f: Field) -> Option<usize> {
        self.claims.iter().find(|c| c.0 == f).map(|c| c.1)
    }

    /// Every column holding `f`, in column order.
    pub fn all(&self, f: Field) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .claims
            .iter()
            .filter(|c| c.0 == f)
            .map(|c| c.1)
            .collect();
        v.sort_unstable();
        v
    }

    /// One line: `field=Header` for each claim.
    pub fn summary(&self, header: &[String]) -> String {
        let mut c = self.claims.clone();
        c.sort_by_key(|x| x.1);
        c.iter()
            .map(|(f, i, _)| format!("{}={}", f.name(), header.get(*i).map_or("", |s| s.trim())))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Give each header its field: the best-scoring field of each column (score at least 0.5),
/// each non-repeating field to its best column only.
pub fn assign(header: &[String]) -> Columns {
    let mut cands: Vec<(f32, usize, Field, usize)> = Vec::new(); // (score, -priority, field, col)
    for (i, h) in header.iter().enumerate() {
        for (k, f) in Field::ALL.iter().enumerate() {
            let s = score(*f, h);
            if s >= 0.5 {
                cands.push((s, k, *f, i));
            }
        }
    }
    // Best score first; among equals, the more specific field (earlier in ALL), then the
    // earlier column.
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.3.cmp(&b.3)));
    let mut taken_col = vec![false; header.len()];
    let mut out = Columns::default();
    for (s, _, f, i) in cands {
        if taken_col[i] || (!f.repeats() && out.get(f).is_some()) {
            continue;
        }
        taken_col[i] = true;
        out.claims.push((f, i, s));
    }
    out
}

/// How many fields a row of cells names as headers (for finding the header row).
pub fn header_matches(cells: &[String]) -> usize {
    let c = assign(cells);
    c.claims.iter().filter(|x| x.2 >= 0.8).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_code_schema_as_trafford_publishes_it() {
        let header = h(&[
            "OrganisationLabel",
            "OrganisationURI",
            "EffectiveDate",
            "UPRN",
            "AssetCode",
            "PropertyName",
            "StreetNumber",
            "StreetName",
            "PostTown",
            "PostCode",
            "CoordinateReferenceSystem",
            "GeoX",
            "GeoY",
            "TenureType",
            "TenureDetail",
            "OtherDetail",
            "HoldingType",
            "BuildingSize",
            "LandArea",
            "EnergyRating",
        ]);
        let c = assign(&header);
        for (f, i) in [
            (Field::Uprn, 3),
            (Field::AssetId, 4),
            (Field::Name, 5),
            (Field::StreetNumber, 6),
            (Field::Street, 7),
            (Field::Town, 8),
            (Field::Postcode, 9),
            (Field::Crs, 10),
            (Field::X, 11),
            (Field::Y, 12),
            (Field::Tenure, 13),
            (Field::TenureDetail, 14),
            (Field::Use, 15),
            (Field::HoldingType, 16),
            (Field::BuildingSize, 17),
            (Field::LandArea, 18),
        ] {
            assert_eq!(c.get(f), Some(i), "{f:?}: {}", c.summary(&header));
        }
        assert_eq!(c.get(Field::Name), Some(5));
    }

    /// Other councils' spellings of the same fields (Gosport's explanatory notes, Herefordshire's
    /// list, typical NLPG-style exports).
    #[test]
    fn other_spellings() {
        let header = h(&[
            "Organisation name",
            "Unique Property Reference Number (UPRN)",
            "Unique Asset ID",
            "Name",
            "No",
            "Street",
            "Post Town",
            "Post Code",
            "X Co-ordinate",
            "Y Co-ordinate",
            "Tenure",
            "Tenure Category",
            "Land only",
        ]);
        let c = assign(&header);
        assert_eq!(c.get(Field::Uprn), Some(1));
        assert_eq!(c.get(Field::AssetId), Some(2));
        assert_eq!(c.get(Field::Name), Some(3));
        assert_eq!(c.get(Field::StreetNumber), Some(4));
        assert_eq!(c.get(Field::Street), Some(5));
        assert_eq!(c.get(Field::Postcode), Some(7));
        assert_eq!(c.get(Field::X), Some(8));
        assert_eq!(c.get(Field::Y), Some(9));
        assert_eq!(c.get(Field::Tenure), Some(10));
        assert_eq!(c.get(Field::TenureDetail), Some(11));
        assert_eq!(c.get(Field::HoldingType), Some(12));
        let c = assign(&h(&[
            "Site Ref",
            "Site Name",
            "Address",
            "Easting",
            "Northing",
            "Vacant?",
        ]));
        assert_eq!(c.get(Field::AssetId), Some(0));
        assert_eq!(c.get(Field::Name), Some(1));
        assert_eq!(c.get(Field::Address), Some(2));
        assert_eq!(c.get(Field::Easting), Some(3));
        assert_eq!(c.get(Field::Northing), Some(4));
        assert_eq!(c.get(Field::Vacancy), Some(5));
        assert_eq!(score(Field::Name, "Organisation name"), 0.0);
        assert_eq!(score(Field::Latitude, "lat"), 1.0);
        assert_eq!(score(Field::Longitude, "lon"), 1.0);
    }
}
