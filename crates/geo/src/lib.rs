//! # anchornet-geo
//!
//! The *locate* stage of the Anchornet pipeline
//! (`ingest → resolve → locate → classify → measure → present`): every UK postcode, live or
//! terminated, to its neighbourhood, ward, local authority district, region, combined
//! authority and English deprivation decile — offline, from the official files.
//!
//! ## Overview
//!
//! * [`GeoIndex`] is built from the official ONS, Ordnance Survey and MHCLG files (the
//!   postcode directory, NSPL coordinates, Code-Point Open, the 2011→2021 LSOA lookup, the
//!   2021 LSOA and 2025 ward boundaries, IMD 2019 and IoD 2025). The repository ships them
//!   compressed in `data/reference`; [`GeoIndex::open_default`] builds the index on first use
//!   (a few seconds) into a cache file and afterwards maps that file into memory (a few
//!   milliseconds). It is rebuilt when a source file changes; [`GeoIndex::build_into_cache`]
//!   rebuilds it from a newer release (`anchornet geo build --from DIR`). Files are
//!   recognised by their columns, not their names, so ONSPD/NSPL and the IoD "File 7" CSVs
//!   work as published.
//! * [`GeoIndex::lookup`] gives a [`Location`]: 2011 output area, LSOA and MSOA; 2021 LSOA
//!   and how it was assigned ([`Lsoa21Route`]: the official lookup, or point in polygon where
//!   a 2011 LSOA split); 2025 ward; district now and as the directory has it; region;
//!   combined authority; latitude and longitude; IMD 2019 and IoD 2025 deciles, ranks,
//!   scores and domains, or the reason there are none (outside England, ambiguous split).
//!   [`GeoIndex::lookup_many`] does a batch in parallel; [`GeoIndex::lookup_str`] says why
//!   a string gives no answer (invalid, or unknown and why).
//! * [`Places`] are named sets of districts — any district by name or code, regions,
//!   combined authorities, built-in sets ("Greater Manchester", "Lancashire-14",
//!   "Birmingham and Solihull"), sets from a TOML file, and circles ("within 10 km of
//!   M50 2EQ") — with membership of a [`Location`] or an LSOA.
//! * [`PointIndex`] finds the 2021 LSOA and 2025 ward containing a point (point in polygon
//!   on the ONS boundaries); [`osgb`] converts British National Grid eastings and northings
//!   to WGS84 latitude and longitude by the Ordnance Survey's published method.
//! * [`bulk`] adds area and deprivation columns (all, or a selection) to a CSV file, row for
//!   row (invalid and unknown postcodes marked with the reason, never dropped), on every core.
//!
//! ```no_run
//! use anchornet_core::Postcode;
//! use anchornet_geo::{GeoIndex, Places};
//!
//! let index = GeoIndex::open_default()?;
//! let loc = index.lookup(&Postcode::parse("m5 4wt")?).expect("a Salford postcode");
//! assert_eq!(loc.lad.unwrap().code.as_str(), "E08000006");
//! let places = Places::builtin(&index);
//! assert!(places.get("Greater Manchester").unwrap().contains(&loc));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Licences: the data are © Crown copyright, Royal Mail and Ordnance Survey, under the Open
//! Government Licence v3.0; see `data/reference/README.md` for the attribution to show.
#![deny(missing_docs)]

use std::path::{Path, PathBuf};

pub mod boundaries;
mod build;
pub mod bulk;
mod cache;
mod csvfast;
pub mod deprivation;
mod geojson;
mod index;
pub mod osgb;
mod pip;
mod places;
pub mod points;
mod source;
mod store;
mod tags;

pub use build::{BuildStats, FileStat, Skipped};
pub use cache::{default_cache_dir, default_reference_dir, OpenOptions, INDEX_FILE};
pub use deprivation::Deprivation;
pub use index::{
    Area, Country, District, Domain, GeoIndex, Imd2019, Iod2025, Location, LookupError,
    Lsoa21Route, LsoaInfo, PostcodeRow,
};
pub use places::{distance_km, Circle, Place, PlaceError, PlaceKind, Places};
pub use points::{PointArea, PointIndex};
pub use source::{SourceFile, Sources, DOMAINS};

/// What can go wrong opening or building the index.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A source file is not what the index needs.
    #[error("{path}: {message}")]
    Source {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The sources do not make an index.
    #[error("building the geography index: {0}")]
    Build(String),
    /// An index file cannot be used (it is rebuilt by `open`).
    #[error("{0}")]
    Cache(String),
}

impl GeoError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> GeoError {
        GeoError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
