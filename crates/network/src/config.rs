//! The network file, `anchornet.toml`: the network's name, its local and wider places, its
//! anchors and their files, the deprivation edition and the rules file. Unknown keys are
//! errors that name the key; relative paths are relative to the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use anchornet_geo::Deprivation;

/// What kind of institution an anchor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    /// Local authority.
    Council,
    /// NHS trust or other NHS body.
    NhsTrust,
    /// University.
    University,
    /// Further education college.
    College,
    /// Housing association.
    HousingAssociation,
    /// Police.
    Police,
    /// Fire and rescue.
    Fire,
    /// Anything else.
    Other,
}

impl AnchorKind {
    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            AnchorKind::Council => "council",
            AnchorKind::NhsTrust => "NHS trust",
            AnchorKind::University => "university",
            AnchorKind::College => "college",
            AnchorKind::HousingAssociation => "housing association",
            AnchorKind::Police => "police",
            AnchorKind::Fire => "fire",
            AnchorKind::Other => "other",
        }
    }
}

/// One anchor as configured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnchorConfig {
    /// Name used in every output.
    pub name: String,
    /// Kind.
    pub kind: AnchorKind,
    /// Payment files, directories or globs.
    #[serde(default)]
    pub payments: Vec<String>,
    /// Vendor lists (supplier master exports) with addresses.
    #[serde(default)]
    pub vendors: Vec<String>,
    /// Contracts registers.
    #[serde(default)]
    pub registers: Vec<String>,
    /// A mapping file for payment files whose layout is not recognised.
    pub mapping: Option<String>,
}

/// The network's SME and VCSE spend targets, fractions of influenceable spend (0–1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsConfig {
    /// SME share target.
    pub sme: Option<f64>,
    /// VCSE share target.
    pub vcse: Option<f64>,
}

/// The network file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    /// Network name.
    pub name: String,
    /// Local place (a district, region, combined authority, built-in or custom place).
    pub local_place: String,
    /// Wider place.
    pub wider_place: String,
    /// Deprivation edition (`iod2025`, the default, or `imd2019`).
    #[serde(default)]
    pub deprivation: Deprivation,
    /// Influenceable-spend rules file; the built-in defaults when absent.
    pub rules: Option<String>,
    /// A places file adding custom places.
    pub places: Option<String>,
    /// Registers for the whole network: Companies House (bulk or search export), Charity
    /// Commission extract, OCDS JSON files or folders.
    #[serde(default)]
    pub registers: Vec<String>,
    /// A supplier overrides file: people's decisions (must-link, cannot-link, rename, set
    /// identifier or kind, set postcode, reject location, set SME, not local).
    pub overrides: Option<String>,
    /// How suppliers are counted local (`[suppliers] branch_is_local = true`).
    #[serde(default)]
    pub suppliers: anchornet_suppliers::Policy,
    /// SME and VCSE spend targets (`[targets] sme = 0.3`): fractions of influenceable spend.
    /// None by default: PPN 001 asks each body to set its own and sets no figure.
    #[serde(default)]
    pub targets: TargetsConfig,
    /// Anchors.
    #[serde(rename = "anchor")]
    pub anchors: Vec<AnchorConfig>,
    /// Directory the file was read from (relative paths resolve against it).
    #[serde(skip)]
    pub base: PathBuf,
}

/// Why a network file (or another of the network's TOML files) could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Invalid (the message names the key and line).
    #[error("{path}: {message}")]
    Invalid {
        /// File.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl NetworkConfig {
    /// Read a network file.
    pub fn load(path: &Path) -> Result<NetworkConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        NetworkConfig::parse(&text, &path.display().to_string(), &base)
    }

    /// Parse network TOML; `source` names it in errors, `base` resolves relative paths.
    pub fn parse(text: &str, source: &str, base: &Path) -> Result<NetworkConfig, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: source.to_string(),
            message,
        };
        let mut c: NetworkConfig = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        c.base = base.to_path_buf();
        for (key, v) in [("sme", c.targets.sme), ("vcse", c.targets.vcse)] {
            if let Some(x) = v {
                if !(0.0..=1.0).contains(&x) {
                    return Err(invalid(format!(
                        "targets.{key} = {x}: a target is a fraction of spend between 0 and 1"
                    )));
                }
            }
        }
        if c.anchors.is_empty() {
            return Err(invalid("the network has no [[anchor]]".into()));
        }
        let mut names = std::collections::HashSet::new();
        for a in &c.anchors {
            if !names.insert(a.name.as_str()) {
                return Err(invalid(format!("anchor `{}` is listed twice", a.name)));
            }
            if a.payments.is_empty() {
                return Err(invalid(format!("anchor `{}` has no payment files", a.name)));
            }
        }
        Ok(c)
    }

    /// A path from the file, resolved against its directory.
    pub fn path(&self, p: &str) -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let e = NetworkConfig::parse(
            "name = \"n\"\nlocal_place = \"Salford\"\nwider_place = \"Greater Manchester\"\nwider = 1\n[[anchor]]\nname = \"a\"\nkind = \"council\"\npayments = [\"x\"]\n",
            "anchornet.toml",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("anchornet.toml") && e.contains("wider"), "{e}");
        let e = NetworkConfig::parse(
            "name = \"n\"\nlocal_place = \"S\"\nwider_place = \"G\"\n[[anchor]]\nname = \"a\"\nkind = \"bank\"\npayments = [\"x\"]\n",
            "anchornet.toml",
            Path::new("."),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("bank"), "{e}");
    }

    #[test]
    fn targets_are_fractions_and_their_keys_checked() {
        let net = |t: &str| {
            NetworkConfig::parse(
                &format!("name = \"n\"\nlocal_place = \"S\"\nwider_place = \"G\"\n{t}\n[[anchor]]\nname = \"a\"\nkind = \"council\"\npayments = [\"x\"]\n"),
                "t.toml",
                Path::new("."),
            )
        };
        let c = net("[targets]\nsme = 0.3").unwrap();
        assert_eq!((c.targets.sme, c.targets.vcse), (Some(0.3), None));
        assert_eq!(net("").unwrap().targets, TargetsConfig::default());
        let e = net("[targets]\nsme = 30").unwrap_err().to_string();
        assert!(e.contains("targets.sme = 30"), "{e}");
        let e = net("[targets]\nsmes = 0.3").unwrap_err().to_string();
        assert!(e.contains("smes"), "{e}");
    }

    #[test]
    fn paths_resolve_against_the_file() {
        let c = NetworkConfig::parse(
            "name = \"n\"\nlocal_place = \"S\"\nwider_place = \"G\"\ndeprivation = \"imd2019\"\n[[anchor]]\nname = \"a\"\nkind = \"nhs_trust\"\npayments = [\"spend/*.csv\"]\n",
            "x",
            Path::new("/data/net"),
        )
        .unwrap();
        assert_eq!(c.path("spend/a.csv"), Path::new("/data/net/spend/a.csv"));
        assert_eq!(c.deprivation, Deprivation::Imd2019);
        assert_eq!(c.anchors[0].kind, AnchorKind::NhsTrust);
    }
}
