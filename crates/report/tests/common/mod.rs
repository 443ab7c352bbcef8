//! A small real network for the report tests, built from the files in `../shared/data`:
//!
//! - payments: Salford City Council July 2021 and April 2022, Manchester City Council July
//!   2021 (the councils' own published layouts), read by `anchornet_ingest`;
//! - suppliers: one entity per payee name (case and spaces ignored), shared across anchors;
//!   payments whose payee the publisher withheld are one redacted "individual" supplier;
//! - locations: an exact (case-insensitive) name join to Salford's contracts register 2022,
//!   whose postcode is placed with the ONS postcode directory (LSOA 2011, district) and NSPL
//!   (latitude/longitude), deprivation from IMD 2019 on 2011 LSOAs; a supplier the register
//!   does not name, or whose postcode the directory does not know, is left unlocated;
//! - SME status from the register's `SME Supplier?` column (Yes/No), unknown otherwise;
//! - exclusion rules: payments with the payee withheld, and payments to public bodies (payee
//!   name containing COUNCIL, NHS, DEPARTMENT, HMRC or REVENUE & CUSTOMS) — a crude keyword
//!   rule, enough to exercise the exclusions table;
//! - the map: Salford's 2011 LSOAs, with their IMD 2019 decile and the spend located in each.
//!
//! This is test scaffolding, not the pipeline's locate/classify stages.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anchornet_core::{Payment, Postcode};
use anchornet_ingest::dedupe::Deduper;
use anchornet_ingest::{input, FileReport, Ingest, Record};
use anchornet_metrics::{
    analyse, Analysis, AnchorInfo, Dataset, Location, NetworkInfo, RuleInfo, SupplierInfo, Txn,
};
use anchornet_report::{Count, FileQuality, MapArea, MapData, Quality, ReportInput};

pub const SALFORD: &str = "E08000006";
pub const GM: [&str; 10] = [
    "E08000001",
    "E08000002",
    "E08000003",
    "E08000004",
    "E08000005",
    "E08000006",
    "E08000007",
    "E08000008",
    "E08000009",
    "E08000010",
];
pub const FILES: [&str; 3] = [
    "original_layouts/salford/2021-07.csv.xz",
    "original_layouts/salford/2022-04.csv.xz",
    "original_layouts/manchester/2021-07.csv.xz",
];
pub const REGISTER_SOURCE: &str = "Salford contracts register 2022";

/// `../shared/data`, or `$ANCHORNET_SHARED_DATA`. Missing data is a failure, not a skip.
pub fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

fn xz_text(path: &Path) -> String {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = String::new();
    xz2::read::XzDecoder::new(BufReader::new(f))
        .read_to_string(&mut s)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    s
}

fn xz_csv(path: &Path) -> csv::Reader<Box<dyn Read>> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let r: Box<dyn Read> = Box::new(xz2::read::XzDecoder::new(BufReader::new(f)));
    csv::Reader::from_reader(r)
}

pub fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

pub struct Fixture {
    pub ds: Dataset,
    pub analysis: Analysis,
    pub quality: Quality,
    pub map: MapData,
    pub reports: Vec<FileReport>,
    pub payments: Vec<Payment>,
}

impl Fixture {
    pub fn input(&self) -> ReportInput<'_> {
        ReportInput {
            analysis: &self.analysis,
            maps: vec![self.map.clone()],
            quality: self.quality.clone(),
            generated: "anchornet-report tests".into(),
            sources: vec![
                "Payments: Salford City Council and Manchester City Council, Open Government Licence v3.0."
                    .into(),
            ],
        }
    }
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(build)
}

fn build() -> Fixture {
    let data = shared();
    // payments
    let ing = Ingest::default();
    let mut payments = Vec::new();
    let mut reports = Vec::new();
    for rel in FILES {
        let path = data.join("spend").join(rel);
        let sources = input::open(&path).expect("opens");
        let mut rs = ing.source(
            &sources[0],
            &mut Deduper::default(),
            &mut |r| {
                if let Record::Payment(p) = r {
                    payments.push(*p)
                }
            },
            &mut |_| {},
        );
        assert!(
            rs.iter().all(|r| r.reconciles() && r.accepted > 100),
            "{rs:?}"
        );
        reports.append(&mut rs);
    }

    // the register: name → (postcode, sme)
    let reg_path = data.join("procurement/salford_contracts_register_2022.csv");
    let mut reg: HashMap<String, (String, Option<bool>)> = HashMap::new();
    let mut rdr = csv::Reader::from_path(&reg_path).expect("register");
    let headers: Vec<String> = rdr
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n).expect(n);
    let (c_name, c_pc, c_sme) = (
        col("Supplier Company Name"),
        col("Supplier Postcode"),
        col("SME Supplier?"),
    );
    for r in rdr.records() {
        let r = r.unwrap();
        let Ok(pc) = Postcode::parse(&r[c_pc]) else {
            continue;
        };
        let sme = match r[c_sme].trim() {
            "Yes" => Some(true),
            "No" => Some(false),
            _ => None,
        };
        reg.entry(key(&r[c_name]))
            .or_insert((pc.as_str().to_string(), sme));
    }

    // suppliers
    let anchors: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for p in &payments {
            if !v.contains(&p.anchor) {
                v.push(p.anchor.clone());
            }
        }
        v
    };
    let mut sup_index: HashMap<String, u32> = HashMap::new();
    let mut suppliers: Vec<SupplierInfo> = Vec::new();
    let mut sup_of = Vec::with_capacity(payments.len());
    for p in &payments {
        let k = if p.redacted {
            "\0redacted".to_string()
        } else {
            key(&p.supplier_name)
        };
        let i = *sup_index.entry(k.clone()).or_insert_with(|| {
            suppliers.push(SupplierInfo {
                name: if p.redacted {
                    "Redacted".into()
                } else {
                    p.supplier_name.trim().to_string()
                },
                kind: if p.redacted {
                    anchornet_core::Kind::Individual
                } else {
                    anchornet_core::Kind::Unknown
                },
                individual: p.redacted,
                ..Default::default()
            });
            suppliers.len() as u32 - 1
        });
        sup_of.push(i);
    }

    // locate by the register, with the postcode directory and deprivation
    let wanted: HashSet<String> = suppliers
        .iter()
        .filter_map(|s| reg.get(&key(&s.name)).map(|r| r.0.clone()))
        .collect();
    let mut pcd: HashMap<String, (String, String)> = HashMap::new();
    let mut rdr =
        xz_csv(&data.join("geography/postcodes/pcd_oa11_lsoa11_msoa11_lad_may22_uk.csv.xz"));
    for r in rdr.records() {
        let r = r.unwrap();
        if wanted.contains(&r[0]) {
            pcd.insert(r[0].to_string(), (r[5].to_string(), r[7].to_string()));
        }
    }
    let mut latlong: HashMap<String, (f64, f64)> = HashMap::new();
    let mut rdr = xz_csv(&data.join("geography/postcodes/nspl_may25_latlong_uk.csv.xz"));
    for r in rdr.records() {
        let r = r.unwrap();
        if wanted.contains(&r[0]) {
            if let (Ok(lat), Ok(long)) = (r[1].parse(), r[2].parse()) {
                latlong.insert(r[0].to_string(), (lat, long));
            }
        }
    }
    let mut decile: HashMap<String, u8> = HashMap::new();
    let mut rdr =
        csv::Reader::from_path(data.join("deprivation/imd2019_england_lsoa11.csv")).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        decile.insert(r[0].to_string(), r[1].parse().unwrap());
    }
    let mut lad_names: HashMap<String, String> = HashMap::new();
    let mut rdr =
        csv::Reader::from_path(data.join("geography/lookups/lad_names_may22_uk.csv")).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        lad_names.insert(r[0].to_string(), r[1].to_string());
    }
    for s in suppliers.iter_mut().filter(|s| !s.individual) {
        let Some((pc, sme)) = reg.get(&key(&s.name)) else {
            continue;
        };
        s.sme = *sme;
        s.evidence.push(format!("named in {REGISTER_SOURCE}"));
        let Some((lsoa, lad)) = pcd.get(pc) else {
            continue;
        };
        let ll = latlong.get(pc);
        s.location = Some(Location {
            postcode: pc.clone(),
            source: anchornet_core::SourceKind::ContractsRegister,
            kind: anchornet_core::LocationKind::TradingAddress,
            lad: lad.clone(),
            lad_name: lad_names.get(lad).cloned().unwrap_or_else(|| lad.clone()),
            ward: None,
            ward_name: None,
            lsoa: Some(lsoa.clone()),
            decile: decile.get(lsoa).copied(),
            lat: ll.map(|l| l.0),
            long: ll.map(|l| l.1),
            local: lad == SALFORD,
            wider: GM.contains(&lad.as_str()),
            head_office: false,
        });
    }

    // categories, rules, payments
    let mut categories = vec!["Uncategorised".to_string()];
    let mut cat_index: HashMap<String, u32> = HashMap::new();
    let rules = vec![
        RuleInfo {
            id: "redacted".into(),
            reason: "The publisher withheld the payee (personal data); reported on its own line."
                .into(),
        },
        RuleInfo {
            id: "public-bodies".into(),
            reason: "Payments to other public bodies (payee name names a council, the NHS, a government department or HMRC)."
                .into(),
        },
    ];
    let public = |n: &str| {
        let k = key(n);
        ["COUNCIL", "NHS", "DEPARTMENT", "HMRC", "REVENUE & CUSTOMS"]
            .iter()
            .any(|w| k.contains(w))
    };
    let mut txns = Vec::with_capacity(payments.len());
    for (p, &s) in payments.iter().zip(&sup_of) {
        let category = match p.expense_type.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => *cat_index.entry(c.to_string()).or_insert_with(|| {
                categories.push(c.to_string());
                categories.len() as u32 - 1
            }),
            _ => 0,
        };
        let excluded_by = if p.redacted {
            Some(0)
        } else if public(&p.supplier_name) {
            Some(1)
        } else {
            None
        };
        txns.push(Txn {
            anchor: anchors.iter().position(|a| *a == p.anchor).unwrap() as u16,
            supplier: s,
            category,
            date: p.date,
            fy: p.financial_year,
            pence: p.amount.0,
            excluded_by,
        });
    }
    let ds = Dataset {
        network: NetworkInfo {
            name: "Salford & Manchester test network".into(),
            local_place: "Salford".into(),
            wider_place: "Greater Manchester".into(),
            deprivation: "IMD 2019".into(),
        },
        anchors: anchors
            .iter()
            .map(|a| AnchorInfo {
                name: a.clone(),
                kind: "council".into(),
            })
            .collect(),
        categories,
        category_codes: Vec::new(),
        suppliers,
        rules,
        txns,
    };
    let analysis = analyse(&ds, None);

    // the map: Salford's 2011 LSOAs
    let gj: serde_json::Value = serde_json::from_str(&xz_text(
        &data.join("geography/boundaries/lsoa11_boundaries_wm_lancs_gm_wy_london.geojson.xz"),
    ))
    .unwrap();
    let mut areas = Vec::new();
    for f in gj["features"].as_array().unwrap() {
        let pr = &f["properties"];
        if pr["LADCD_ACTIVE"] != SALFORD {
            continue;
        }
        let code = pr["LSOA11CD"].as_str().unwrap().to_string();
        let g = &f["geometry"];
        let polys: Vec<&serde_json::Value> = match g["type"].as_str().unwrap() {
            "Polygon" => vec![&g["coordinates"]],
            "MultiPolygon" => g["coordinates"].as_array().unwrap().iter().collect(),
            t => panic!("geometry {t}"),
        };
        let rings = polys
            .into_iter()
            .flat_map(|p| p.as_array().unwrap().iter())
            .map(|ring| {
                ring.as_array()
                    .unwrap()
                    .iter()
                    .map(|pt| [pt[0].as_f64().unwrap(), pt[1].as_f64().unwrap()])
                    .collect()
            })
            .collect();
        areas.push(MapArea {
            decile: decile.get(&code).copied(),
            name: pr["LSOA11NM"].as_str().unwrap().to_string(),
            code,
            rings,
        });
    }
    assert!(areas.len() > 100, "Salford has {} LSOAs", areas.len());
    let mut map = MapData {
        title: "Where the network's influenceable spend lands in Salford, all years".into(),
        level: "LSOA (2011)".into(),
        areas,
        ..Default::default()
    };
    map.add_spend(&ds, None, |l| l.lsoa.clone());

    // quality
    let located = ds.suppliers.iter().filter(|s| s.location.is_some()).count();
    let named = ds
        .suppliers
        .iter()
        .filter(|s| !s.individual && reg.contains_key(&key(&s.name)))
        .count();
    let quality = Quality {
        files: reports.iter().map(FileQuality::from).collect(),
        suppliers: vec![
            Count {
                label: "supplier entities (payee names, case and spacing ignored)".into(),
                count: ds.suppliers.len() as u64,
                pence: None,
            },
            Count {
                label: format!("named in the {REGISTER_SOURCE}"),
                count: named as u64,
                pence: None,
            },
            Count {
                label: "located (register postcode found in the postcode directory)".into(),
                count: located as u64,
                pence: None,
            },
        ],
        locations: Quality::locations_from(&ds, None),
        head_offices: Quality::head_offices_from(&ds, None),
        notes: vec![
            "Test network: locations come from one council's contracts register only.".into(),
        ],
    };
    Fixture {
        ds,
        analysis,
        quality,
        map,
        reports,
        payments,
    }
}
