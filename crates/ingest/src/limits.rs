//! Input limits: the one place that says how much an input may make the reader allocate.
//!
//! A hostile or broken file can declare far more than it holds: an XLSX with one cell at A1
//! and one at XFD1048576 declares 17 billion cells in 1.6 KB; an ODS row repeated a million
//! times with a cell repeated 16,384 times declares 17 billion more in 800 bytes; a 39 KB xz
//! can hold 8 million rows and a chain of zips inside zips can recurse until the stack
//! overflows. Every reader checks these limits *before* it allocates by what a file declares,
//! and a breach is an error that names the limit, its value and how to raise it.
//!
//! The same [`Limits`] serve the CLI and the web workspace. Defaults are in code
//! ([`Limits::default`]); the workspace's `anchornet.toml` may set any of them in a
//! `[limits]` section (unknown keys are errors), and the environment variables
//! `ANCHORNET_LIMIT_<KEY>` (e.g. `ANCHORNET_LIMIT_MAX_ROWS=8000000`) override both, for the
//! CLI too. The defaults admit the largest real files in the project's data (Leeds's
//! 2.8 million rows, 250 MB decompressed, North Tyneside's 291 MB at a 49:1 xz ratio).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The ratio limit applies only once this much has come out of a decompressor, so that a
/// small, very repetitive file (a real monthly CSV reaches 166:1) is never refused.
pub const RATIO_FLOOR_BYTES: u64 = 16 * 1024 * 1024;

/// How much one input may make the reader allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Bytes that may come out of decompression for one input (a file or an upload: every
    /// member and every nesting level together; for an XLSX or ODS, its XML parts), in MiB.
    pub max_decompressed_mib: u64,
    /// Largest ratio of decompressed to compressed bytes, checked once
    /// [`RATIO_FLOOR_BYTES`] have come out.
    pub max_ratio: u64,
    /// Compressed containers inside one another (`.zip` holding a `.zip` holding a `.gz` is 3).
    pub max_nesting: u32,
    /// Rows in one table (a CSV file or a sheet).
    pub max_rows: u64,
    /// Columns in one table, counted from the first to the last non-empty one.
    pub max_columns: u64,
    /// Characters in one cell.
    pub max_cell_chars: u64,
    /// Cells in one sheet's rectangle (rows × columns from the first to the last non-empty
    /// cell), checked before the rectangle is allocated.
    pub max_sheet_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_decompressed_mib: 1024,
            max_ratio: 250,
            max_nesting: 3,
            max_rows: 5_000_000,
            max_columns: 1_000,
            max_cell_chars: 100_000,
            max_sheet_cells: 30_000_000,
        }
    }
}

/// Every key, with what it counts (for messages and docs).
pub const KEYS: [(&str, &str); 7] = [
    ("max_decompressed_mib", "MiB decompressed"),
    ("max_ratio", "decompressed:compressed ratio"),
    ("max_nesting", "nested archives"),
    ("max_rows", "rows"),
    ("max_columns", "columns"),
    ("max_cell_chars", "characters in a cell"),
    ("max_sheet_cells", "cells in a sheet"),
];

/// A limit breached: what was found, the limit, and how to raise it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: over the limit {key} = {limit}; raise it with `{key} = …` under [limits] in anchornet.toml, or the environment variable ANCHORNET_LIMIT_{env}", env = key.to_ascii_uppercase())]
pub struct LimitError {
    /// What was found, with where (e.g. `sheet "Data": 16384 columns (A to XFD)`).
    pub what: String,
    /// The limit's key.
    pub key: &'static str,
    /// Its value.
    pub limit: u64,
}

static PROCESS: OnceLock<Limits> = OnceLock::new();

impl Limits {
    /// No limits at all (tests of the readers themselves; never for user input).
    pub fn unlimited() -> Limits {
        Limits {
            max_decompressed_mib: u64::MAX / (1 << 20),
            max_ratio: u64::MAX,
            max_nesting: u32::MAX,
            max_rows: u64::MAX,
            max_columns: u64::MAX,
            max_cell_chars: u64::MAX,
            max_sheet_cells: u64::MAX,
        }
    }

    /// The decompression budget in bytes.
    pub fn max_decompressed_bytes(&self) -> u64 {
        self.max_decompressed_mib.saturating_mul(1 << 20)
    }

    /// The limits of this process: those given to [`Limits::install`], else the defaults.
    /// Readers opened without explicit limits ([`crate::input::open`]) use these.
    pub fn process() -> Limits {
        PROCESS.get().copied().unwrap_or_default()
    }

    /// Make `self` the limits of this process (the CLI does this once at start, from the
    /// environment). A second call is ignored and returns false.
    pub fn install(self) -> bool {
        PROCESS.set(self).is_ok()
    }

    /// Set one key from text (a config or environment value).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let n: u64 = value
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| format!("limit {key}: `{value}` is not a whole number"))?;
        if n == 0 {
            return Err(format!("limit {key}: must be at least 1"));
        }
        match key {
            "max_decompressed_mib" => self.max_decompressed_mib = n,
            "max_ratio" => self.max_ratio = n,
            "max_nesting" => self.max_nesting = u32::try_from(n).unwrap_or(u32::MAX),
            "max_rows" => self.max_rows = n,
            "max_columns" => self.max_columns = n,
            "max_cell_chars" => self.max_cell_chars = n,
            "max_sheet_cells" => self.max_sheet_cells = n,
            other => {
                return Err(format!(
                    "unknown limit `{other}` (known: {})",
                    KEYS.map(|k| k.0).join(", ")
                ))
            }
        }
        Ok(())
    }

    /// These limits overridden by `ANCHORNET_LIMIT_<KEY>` variables of `vars` (normally
    /// `std::env::vars()`); an unknown `ANCHORNET_LIMIT_*` name is an error naming it.
    pub fn with_env(
        mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Limits, String> {
        for (k, v) in vars {
            if let Some(key) = k.strip_prefix("ANCHORNET_LIMIT_") {
                self.set(&key.to_ascii_lowercase(), &v)
                    .map_err(|e| format!("environment variable {k}: {e}"))?;
            }
        }
        Ok(self)
    }

    /// An error if `found` is over `limit` (named `key`).
    pub fn check(
        found: u64,
        limit: u64,
        key: &'static str,
        what: impl FnOnce() -> String,
    ) -> Result<(), LimitError> {
        if found > limit {
            Err(LimitError {
                what: what(),
                key,
                limit,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_and_unknown_keys_are_named() {
        let l = Limits::default()
            .with_env([("ANCHORNET_LIMIT_MAX_ROWS".to_string(), "12".to_string())])
            .unwrap();
        assert_eq!(l.max_rows, 12);
        assert_eq!(l.max_columns, Limits::default().max_columns);
        let e = Limits::default()
            .with_env([("ANCHORNET_LIMIT_MAX_ROWZ".to_string(), "12".to_string())])
            .unwrap_err();
        assert!(
            e.contains("ANCHORNET_LIMIT_MAX_ROWZ") && e.contains("max_rowz"),
            "{e}"
        );
        let e = Limits::default()
            .with_env([("ANCHORNET_LIMIT_MAX_ROWS".to_string(), "lots".to_string())])
            .unwrap_err();
        assert!(e.contains("not a whole number"), "{e}");
    }

    #[test]
    fn toml_is_strict() {
        let l: Limits = toml::from_str("max_rows = 7").unwrap();
        assert_eq!((l.max_rows, l.max_nesting), (7, 3));
        let e = toml::from_str::<Limits>("max_rowz = 7").unwrap_err();
        assert!(e.to_string().contains("max_rowz"), "{e}");
    }

    #[test]
    fn breach_names_limit_and_remedy() {
        let e = Limits::check(11, 10, "max_rows", || "x.csv: 11 rows".into()).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("x.csv: 11 rows"), "{m}");
        assert!(m.contains("max_rows = 10"), "{m}");
        assert!(
            m.contains("[limits]") && m.contains("ANCHORNET_LIMIT_MAX_ROWS"),
            "{m}"
        );
    }
}
