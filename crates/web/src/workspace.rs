//! A workspace: a directory holding the network's `anchornet.toml` and (by default) its
//! SQLite database. `anchornet init DIR --place NAME` makes one; `anchornet serve` opens it.
//!
//! ```toml
//! name = "Salford anchor network"
//! local_place = "Salford"
//! wider_place = "Greater Manchester"   # defaults to the local place
//! deprivation = "iod2025"              # or "imd2019"
//! database_url = "sqlite://anchornet.db" # the default; or postgres://…
//! database_max_mib = 4096              # SQLite only: the file's cap (none by default)
//!
//! [web]
//! bind = "127.0.0.1:8080"
//! secure_cookies = true   # false only for plain-http loopback
//! publish = true          # serve the public view at /public
//! max_upload_mib = 256    # the import routes' body limit
//! max_form_kib = 64       # every other request's body limit (sign-in included)
//! trusted_proxies = []    # e.g. ["127.0.0.1"]: a reverse proxy whose header names the client
//! client_ip_header = "X-Forwarded-For"
//!
//! [limits]                # what one upload may make the reader allocate (docs/security.md)
//! max_decompressed_mib = 1024
//! max_rows = 5000000
//!
//! [hub]                   # the supply chain hub's pages (/hub; docs/hub.md)
//! sources = ["notices/", "registers/forward_plan.csv"] # OCDS files or folders, registers,
//!                         # notices tables, forward plans; relative to the workspace
//! months = 18             # the pipeline calendar's horizon
//! lead = "0:3,30000:6,214904:9,5372609:12" # lead times by value band, POUNDS:MONTHS
//! top = 5                 # local suppliers shortlisted per opportunity
//! min_anchors = 2         # aggregated demand: fewest anchors leaking spend in a category
//! with_unlocated = false  # aggregated demand: pool spend with unlocated suppliers too
//! [hub.anchors]           # sources that are an anchor's own (a register names no buyer)
//! "Salford City Council" = ["registers/salford_contracts_register_2022.csv.xz"]
//! [assets]                # land and building registers shown at /assets (docs/assets.md)
//! registers = ["assets/trafford_land_and_building_assets.csv.xz"]
//!
//! [plan]                  # the action plan shown at /plan (docs/plan.md)
//! file = "plan.toml"
//! assessments = ["assessments/*.csv"]
//!
//! [workforce]             # /workforce and /jobs (docs/employment.md, "In the workspace")
//! extracts = ["workforce/extract_2025-26.csv"] # anonymised per-post extracts
//! year = 2025             # their financial year (2025 = 2025/26); required with extracts
//! rlw_area = "UK"         # or "London"
//! hire_target_pct = 10    # new hires from deciles 1–2
//! funnel = ["workforce/funnel_events.csv"]     # the jobs pathway's events
//! as_at = "2025-12-31"    # default: the latest event
//! ```
//!
//! Paths are relative to the workspace directory. The assets' status decisions are kept in
//! the store (made at `/assets/{asset}`), not in a file; the plan's asset indicators read its
//! own `[[assets]]` registers with those stored decisions.
//!
//! Configuration is strict: defaults in code, then this file, then `ANCHORNET_DATABASE_URL`,
//! `ANCHORNET_BIND`, `ANCHORNET_SECURE_COOKIES` and `ANCHORNET_LIMIT_<KEY>` from the
//! environment; unknown keys are errors that name the key.

use std::path::{Path, PathBuf};

use anchornet_network::config::{AnchorConfig, AnchorKind, Deprivation, NetworkConfig};
use serde::{Deserialize, Serialize};

/// The workspace file's name.
pub const FILE: &str = "anchornet.toml";
/// The default SQLite database file in the workspace directory.
pub const DB_FILE: &str = "anchornet.db";

/// Web settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebConfig {
    /// Address to listen on.
    #[serde(default = "default_bind")]
    pub bind: String,
    /// Mark the session cookie `Secure` (sent over HTTPS only). Turn off only when serving
    /// plain HTTP on loopback.
    #[serde(default = "yes")]
    pub secure_cookies: bool,
    /// Serve the public view (aggregates with small cells suppressed) without a login.
    #[serde(default = "yes")]
    pub publish: bool,
    /// Largest upload accepted, in MiB (the import routes only).
    #[serde(default = "default_upload")]
    pub max_upload_mib: usize,
    /// Largest body of any other request (sign-in and every other form), in KiB: a
    /// sign-in form is a few hundred bytes, and a 256 MiB user name must never be read.
    #[serde(default = "default_form")]
    pub max_form_kib: usize,
    /// Reverse proxies (their addresses) whose `client_ip_header` is trusted to name the
    /// client; sign-in throttling then counts the client, not the proxy. Empty (the
    /// default): the TCP peer is the client and the header is ignored.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The header a trusted proxy sets, e.g. `X-Forwarded-For` (the default).
    #[serde(default = "default_client_ip_header")]
    pub client_ip_header: String,
    /// Fewest distinct suppliers behind a figure shown to anyone but an admin (primary
    /// suppression; docs/security.md).
    #[serde(default = "default_min_suppliers")]
    pub min_suppliers: usize,
    /// Fewest payments behind a figure shown to anyone but an admin.
    #[serde(default = "default_min_payments")]
    pub min_payments: u64,
}

impl WebConfig {
    /// The thresholds of suppression.
    pub fn thresholds(&self) -> crate::privacy::Thresholds {
        crate::privacy::Thresholds {
            min_suppliers: self.min_suppliers,
            min_payments: self.min_payments,
        }
    }
}

fn default_bind() -> String {
    "127.0.0.1:8080".into()
}
fn yes() -> bool {
    true
}
fn default_upload() -> usize {
    256
}
fn default_form() -> usize {
    64
}
fn default_min_suppliers() -> usize {
    crate::privacy::MIN_SUPPLIERS
}
fn default_min_payments() -> u64 {
    crate::privacy::MIN_PAYMENTS
}
fn default_client_ip_header() -> String {
    "X-Forwarded-For".into()
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            bind: default_bind(),
            secure_cookies: true,
            publish: true,
            max_upload_mib: default_upload(),
            max_form_kib: default_form(),
            trusted_proxies: Vec::new(),
            client_ip_header: default_client_ip_header(),
            min_suppliers: default_min_suppliers(),
            min_payments: default_min_payments(),
        }
    }
}

/// The supply chain hub's settings (`[hub]`): the same sources and parameters as
/// `anchornet hub calendar|match|demand`, read by the same functions of `anchornet-hub`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubConfig {
    /// Pipeline sources, relative to the workspace: OCDS JSON files or folders (any
    /// packaging), contracts registers, notices tables, forward plans.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The calendar's horizon, in months.
    #[serde(default = "default_months")]
    pub months: u32,
    /// Lead times by value band, `POUNDS:MONTHS,…` (docs/hub.md); the defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Local suppliers shortlisted per opportunity.
    #[serde(default = "default_top")]
    pub top: usize,
    /// Aggregated demand: fewest anchors leaking spend in a category.
    #[serde(default = "default_min_anchors")]
    pub min_anchors: usize,
    /// Aggregated demand: pool the spend whose supplier is not located too.
    #[serde(default)]
    pub with_unlocated: bool,
    /// Which sources are an anchor's own (`[hub.anchors]`, anchor name → files, relative to
    /// the workspace): a contracts register names no buyer, so its rows are that anchor's, as
    /// a network file's `registers` are for `anchornet hub`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub anchors: std::collections::BTreeMap<String, Vec<String>>,
}

fn default_months() -> u32 {
    18
}
fn default_top() -> usize {
    5
}
fn default_min_anchors() -> usize {
    2
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            sources: Vec::new(),
            months: default_months(),
            lead: None,
            top: default_top(),
            min_anchors: default_min_anchors(),
            with_unlocated: false,
            anchors: std::collections::BTreeMap::new(),
        }
    }
}

impl HubConfig {
    /// The lead times by value band (checked when the workspace is loaded).
    pub fn bands(&self) -> Result<anchornet_hub::calendar::Bands, String> {
        match &self.lead {
            Some(s) => {
                anchornet_hub::calendar::Bands::parse(s).map_err(|e| format!("[hub] lead: {e}"))
            }
            None => Ok(anchornet_hub::calendar::Bands::default()),
        }
    }
}

fn is_default_hub(h: &HubConfig) -> bool {
    *h == HubConfig::default()
}

/// Land and building registers (`[assets]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetsConfig {
    /// Register files, directories or patterns (relative to the workspace), read as
    /// `anchornet assets` reads them.
    #[serde(default)]
    pub registers: Vec<String>,
}

impl AssetsConfig {
    fn is_empty(&self) -> bool {
        self.registers.is_empty()
    }
}

/// The action plan (`[plan]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanConfig {
    /// The plan file (TOML, docs/plan.md), relative to the workspace.
    pub file: Option<String>,
    /// Self-assessment answer files (`anchor,year,question,level,evidence`; files,
    /// directories or patterns), relative to the workspace.
    #[serde(default)]
    pub assessments: Vec<String>,
}

impl PlanConfig {
    fn is_empty(&self) -> bool {
        self.file.is_none() && self.assessments.is_empty()
    }
}

/// Employment (`[workforce]`): the anonymised workforce extracts `/workforce` measures and the
/// jobs pathway's funnel events `/jobs` counts, read by the same functions of
/// `anchornet-workforce` as `anchornet workforce` and `anchornet jobs funnel`. Personal data
/// stays in the workspace: only the suppressed tables are shown (docs/employment.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkforceConfig {
    /// Workforce extract files, directories or patterns (relative to the workspace); each
    /// post's anchor is the one its `anchor` column names, as for `anchornet workforce`.
    #[serde(default)]
    pub extracts: Vec<String>,
    /// The extracts' financial year, by its first calendar year (2025 = 2025/26); required
    /// with `extracts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The Real Living Wage's area: `UK` or `London`.
    #[serde(default = "default_rlw_area")]
    pub rlw_area: String,
    /// The new-hire target: share of new hires from deciles 1–2, in percent.
    #[serde(default = "default_hire_target_pct")]
    pub hire_target_pct: f64,
    /// Jobs pathway funnel event files, directories or patterns (relative to the workspace).
    #[serde(default)]
    pub funnel: Vec<String>,
    /// The funnel's as-at date (`2025-12-31`); the latest event's date when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_at: Option<String>,
}

fn default_rlw_area() -> String {
    "UK".into()
}
fn default_hire_target_pct() -> f64 {
    10.0
}

impl Default for WorkforceConfig {
    fn default() -> Self {
        WorkforceConfig {
            extracts: Vec::new(),
            year: None,
            rlw_area: default_rlw_area(),
            hire_target_pct: default_hire_target_pct(),
            funnel: Vec::new(),
            as_at: None,
        }
    }
}

impl WorkforceConfig {
    fn is_default(&self) -> bool {
        *self == WorkforceConfig::default()
    }

    /// The funnel's as-at date, parsed.
    pub fn as_at(&self) -> Result<Option<anchornet_core::PaymentDate>, String> {
        self.as_at
            .as_deref()
            .map(|d| {
                anchornet_core::PaymentDate::parse(d)
                    .map_err(|e| format!("[workforce] as_at = {d:?}: {e}"))
            })
            .transpose()
    }

    /// Checked when the workspace is loaded: the message names the key.
    fn check(&self) -> Result<(), String> {
        if !self.extracts.is_empty() && self.year.is_none() {
            return Err(
                "[workforce] year: required with extracts (the financial year, 2025 = 2025/26)"
                    .into(),
            );
        }
        if !matches!(self.rlw_area.as_str(), "UK" | "London") {
            return Err(format!(
                "[workforce] rlw_area = {:?}: use \"UK\" or \"London\"",
                self.rlw_area
            ));
        }
        if !(0.0..=100.0).contains(&self.hire_target_pct) {
            return Err(format!(
                "[workforce] hire_target_pct = {}: a percentage, 0 to 100",
                self.hire_target_pct
            ));
        }
        self.as_at().map(|_| ())
    }
}

/// The workspace file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceConfig {
    /// Network name.
    pub name: String,
    /// Local place (district, region, combined authority or a built-in place).
    pub local_place: String,
    /// Wider place; the local place when absent.
    pub wider_place: Option<String>,
    /// Deprivation edition.
    #[serde(default = "default_dep")]
    pub deprivation: String,
    /// Database URL; `sqlite://anchornet.db` in the workspace directory when absent.
    pub database_url: Option<String>,
    /// The most a SQLite database may grow to, in MiB (none when absent): an import that
    /// would pass it fails whole, as on a full disk, so uploads cannot fill the disk.
    pub database_max_mib: Option<u64>,
    /// A places file adding custom places (relative to the workspace).
    pub places: Option<String>,
    /// An influenceable-spend rules file (relative to the workspace).
    pub rules: Option<String>,
    /// Registers for the whole network (Companies House, Charity Commission, OCDS files),
    /// relative to the workspace: the same evidence `anchornet analyse` links.
    #[serde(default)]
    pub registers: Vec<String>,
    /// An overrides file applied before the review decisions (relative to the workspace).
    pub overrides: Option<String>,
    /// How suppliers are counted local.
    #[serde(default)]
    pub suppliers: anchornet_suppliers::Policy,
    /// Web settings.
    #[serde(default)]
    pub web: WebConfig,
    /// Input limits for uploads and imports (`[limits]`; see docs/security.md).
    #[serde(default, skip_serializing_if = "is_default_limits")]
    pub limits: anchornet_ingest::Limits,
    /// The supply chain hub (`[hub]`).
    #[serde(default, skip_serializing_if = "is_default_hub")]
    pub hub: HubConfig,
    /// Land and building registers (`[assets]`).
    #[serde(default, skip_serializing_if = "AssetsConfig::is_empty")]
    pub assets: AssetsConfig,
    /// The action plan (`[plan]`).
    #[serde(default, skip_serializing_if = "PlanConfig::is_empty")]
    pub plan: PlanConfig,
    /// Employment: workforce extracts and the jobs pathway funnel (`[workforce]`).
    #[serde(default, skip_serializing_if = "WorkforceConfig::is_default")]
    pub workforce: WorkforceConfig,
    /// The workspace directory.
    #[serde(skip)]
    pub dir: PathBuf,
}

fn is_default_limits(l: &anchornet_ingest::Limits) -> bool {
    *l == anchornet_ingest::Limits::default()
}

fn default_dep() -> String {
    "iod2025".into()
}

/// Why a workspace could not be made or opened.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// File system.
    #[error("{path}: {source}")]
    Io {
        /// Path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not valid (the message names the key).
    #[error("{path}: {message}")]
    Invalid {
        /// Path.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The database.
    #[error(transparent)]
    Store(#[from] anchornet_store::StoreError),
}

impl WorkspaceConfig {
    /// Read `DIR/anchornet.toml`, then apply the `ANCHORNET_*` environment.
    pub fn load(dir: &Path) -> Result<WorkspaceConfig, WorkspaceError> {
        let path = dir.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| WorkspaceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut c: WorkspaceConfig =
            toml::from_str(&text).map_err(|e| WorkspaceError::Invalid {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        c.dir = dir.to_path_buf();
        if let Ok(u) = std::env::var("ANCHORNET_DATABASE_URL") {
            if !u.is_empty() {
                c.database_url = Some(u);
            }
        }
        if let Ok(b) = std::env::var("ANCHORNET_BIND") {
            if !b.is_empty() {
                c.web.bind = b;
            }
        }
        if let Ok(s) = std::env::var("ANCHORNET_SECURE_COOKIES") {
            c.web.secure_cookies = !matches!(s.as_str(), "0" | "false" | "no" | "off");
        }
        c.limits =
            c.limits
                .with_env(std::env::vars())
                .map_err(|message| WorkspaceError::Invalid {
                    path: path.display().to_string(),
                    message,
                })?;
        c.deprivation().map_err(|message| WorkspaceError::Invalid {
            path: path.display().to_string(),
            message,
        })?;
        c.hub.bands().map_err(|message| WorkspaceError::Invalid {
            path: path.display().to_string(),
            message,
        })?;
        c.workforce
            .check()
            .map_err(|message| WorkspaceError::Invalid {
                path: path.display().to_string(),
                message,
            })?;
        Ok(c)
    }

    /// A path of the workspace file, resolved against the workspace directory (absolute
    /// paths and patterns stay as they are written).
    pub fn path(&self, p: &str) -> String {
        let path = Path::new(p);
        if path.is_absolute() {
            p.to_string()
        } else {
            self.dir.join(path).display().to_string()
        }
    }

    /// The database URL in force.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) if u.contains("://") && !u.starts_with("sqlite://") => u.clone(),
            Some(u) => {
                let p = u
                    .strip_prefix("sqlite://")
                    .or_else(|| u.strip_prefix("sqlite:"))
                    .unwrap_or(u);
                format!("sqlite://{}", self.dir.join(p).display())
            }
            None => format!("sqlite://{}", self.dir.join(DB_FILE).display()),
        }
    }

    fn deprivation(&self) -> Result<Deprivation, String> {
        match self.deprivation.as_str() {
            "iod2025" => Ok(Deprivation::Iod2025),
            "imd2019" => Ok(Deprivation::Imd2019),
            o => Err(format!("deprivation `{o}`: use \"iod2025\" or \"imd2019\"")),
        }
    }

    /// The network as the pipeline takes it, with these anchors (their files are in the
    /// store, so the lists of files are empty).
    pub fn network(&self, anchors: &[anchornet_store::Anchor]) -> NetworkConfig {
        NetworkConfig {
            name: self.name.clone(),
            local_place: self.local_place.clone(),
            wider_place: self
                .wider_place
                .clone()
                .unwrap_or_else(|| self.local_place.clone()),
            deprivation: self.deprivation().unwrap_or_default(),
            rules: self.rules.clone(),
            places: self.places.clone(),
            registers: self.registers.clone(),
            overrides: self.overrides.clone(),
            suppliers: self.suppliers,
            targets: Default::default(),
            anchors: anchors
                .iter()
                .map(|a| AnchorConfig {
                    name: a.name.clone(),
                    kind: anchor_kind(&a.kind).unwrap_or(AnchorKind::Other),
                    payments: Vec::new(),
                    vendors: Vec::new(),
                    registers: Vec::new(),
                    mapping: None,
                })
                .collect(),
            base: self.dir.clone(),
        }
    }

    /// Open the workspace's store (creating and migrating the database as needed).
    pub async fn open_store(
        &self,
    ) -> Result<std::sync::Arc<dyn anchornet_store::Store>, WorkspaceError> {
        Ok(anchornet_store::open_capped(&self.database_url(), self.database_max_mib).await?)
    }
}

/// The anchor kinds of the network file, by name.
pub const ANCHOR_KINDS: [&str; 8] = [
    "council",
    "nhs_trust",
    "university",
    "college",
    "housing_association",
    "police",
    "fire",
    "other",
];

/// Parse an anchor kind name.
pub fn anchor_kind(s: &str) -> Option<AnchorKind> {
    Some(match s {
        "council" => AnchorKind::Council,
        "nhs_trust" => AnchorKind::NhsTrust,
        "university" => AnchorKind::University,
        "college" => AnchorKind::College,
        "housing_association" => AnchorKind::HousingAssociation,
        "police" => AnchorKind::Police,
        "fire" => AnchorKind::Fire,
        "other" => AnchorKind::Other,
        _ => return None,
    })
}

/// Make a workspace in `dir`: write `anchornet.toml` for a network in `place` (checked
/// against the known places) and create the SQLite database. Refuses to overwrite.
pub async fn init(
    dir: &Path,
    name: &str,
    place: &str,
    wider: Option<&str>,
    geo: &anchornet_geo::GeoIndex,
) -> Result<WorkspaceConfig, WorkspaceError> {
    let places = anchornet_geo::Places::builtin(geo);
    for p in std::iter::once(place).chain(wider) {
        if places.get(p).is_none() {
            return Err(WorkspaceError::Invalid {
                path: dir.join(FILE).display().to_string(),
                message: format!("unknown place `{p}` (see `anchornet geo places`)"),
            });
        }
    }
    let path = dir.join(FILE);
    if path.exists() {
        return Err(WorkspaceError::Invalid {
            path: path.display().to_string(),
            message: "a workspace is already here".into(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|source| WorkspaceError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let text = format!(
        "# Anchornet workspace (see docs/web.md). Anchors, users and imports live in the database.\n\
         name = {}\nlocal_place = {}\n{}deprivation = \"iod2025\"\n\
         # database_url = \"postgres://user@host/db\"  # default: sqlite://{DB_FILE} here\n\
         # database_max_mib = 4096  # cap the SQLite file so uploads cannot fill the disk\n\n\
         [web]\nbind = \"127.0.0.1:8080\"\n\
         # Serving plain http on loopback only? Set secure_cookies = false.\n\
         secure_cookies = true\npublish = true\n\n\
         # Input limits for uploads (every key and its default: docs/security.md).\n\
         # [limits]\n# max_rows = 5000000\n",
        toml_str(name),
        toml_str(place),
        wider
            .map(|w| format!("wider_place = {}\n", toml_str(w)))
            .unwrap_or_default(),
    );
    std::fs::write(&path, text).map_err(|source| WorkspaceError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let cfg = WorkspaceConfig::load(dir)?;
    cfg.open_store().await?;
    Ok(cfg)
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The hub of a network file: every anchor's registers as pipeline sources, each the
/// anchor's own (absolute paths).
fn hub_for_network(net: &NetworkConfig) -> HubConfig {
    let abs = |r: &String| {
        let p = net.path(r);
        p.canonicalize().unwrap_or(p).display().to_string()
    };
    let anchors: std::collections::BTreeMap<String, Vec<String>> = net
        .anchors
        .iter()
        .filter(|a| !a.registers.is_empty())
        .map(|a| (a.name.clone(), a.registers.iter().map(abs).collect()))
        .collect();
    HubConfig {
        sources: anchors.values().flatten().cloned().collect(),
        anchors,
        ..HubConfig::default()
    }
}

/// Write a workspace file for a network file's settings (the demo's workspace), with
/// cookies for plain-http loopback; with a plan file, `[plan]` names it (and the
/// `assessments` directory beside it, if there is one) and `[assets]` its registers. Leaves
/// an existing workspace file as it is.
pub fn write_for_network(
    dir: &Path,
    net: &NetworkConfig,
    secure_cookies: bool,
    plan: Option<&Path>,
) -> Result<WorkspaceConfig, WorkspaceError> {
    let path = dir.join(FILE);
    if path.exists() {
        return WorkspaceConfig::load(dir);
    }
    std::fs::create_dir_all(dir).map_err(|source| WorkspaceError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let abs = |p: &Option<String>| {
        p.as_ref().map(|p| {
            let p = net.path(p);
            p.canonicalize().unwrap_or(p).display().to_string()
        })
    };
    let mut cfg = WorkspaceConfig {
        name: net.name.clone(),
        local_place: net.local_place.clone(),
        wider_place: Some(net.wider_place.clone()),
        deprivation: match net.deprivation {
            Deprivation::Iod2025 => "iod2025".into(),
            Deprivation::Imd2019 => "imd2019".into(),
        },
        database_url: None,
        database_max_mib: None,
        places: abs(&net.places),
        rules: abs(&net.rules),
        registers: net
            .registers
            .iter()
            .filter_map(|r| abs(&Some(r.clone())))
            .collect(),
        overrides: abs(&net.overrides),
        suppliers: net.suppliers,
        web: WebConfig {
            secure_cookies,
            ..WebConfig::default()
        },
        limits: anchornet_ingest::Limits::default(),
        hub: hub_for_network(net),
        assets: AssetsConfig::default(),
        plan: PlanConfig::default(),
        workforce: WorkforceConfig::default(),
        dir: dir.to_path_buf(),
    };
    if let Some(p) = plan {
        let abs = |p: &Path| {
            p.canonicalize()
                .unwrap_or(p.to_path_buf())
                .display()
                .to_string()
        };
        let parsed = anchornet_plan::Plan::load(p).map_err(|e| WorkspaceError::Invalid {
            path: p.display().to_string(),
            message: e.to_string(),
        })?;
        cfg.plan.file = Some(abs(p));
        let answers = p.with_file_name("assessments");
        if answers.is_dir() {
            cfg.plan.assessments = vec![abs(&answers)];
        }
        cfg.assets.registers = parsed
            .assets
            .iter()
            .flat_map(|a| a.registers.iter().map(|r| abs(r)))
            .collect();
        // The extracts the plan's workforce indicators read are the workspace's too, so
        // /workforce shows the figures the plan's targets are measured on.
        if let Some(w) = &parsed.workforce {
            cfg.workforce.extracts = w.extracts.iter().map(|e| abs(e)).collect();
            cfg.workforce.year = Some(w.year.0);
        }
    }
    let text = toml::to_string(&cfg).map_err(|e| WorkspaceError::Invalid {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    std::fs::write(
        &path,
        format!("# Anchornet workspace (see docs/web.md)\n{text}"),
    )
    .map_err(|source| WorkspaceError::Io {
        path: path.display().to_string(),
        source,
    })?;
    WorkspaceConfig::load(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(hub: &str) -> Result<WorkspaceConfig, WorkspaceError> {
        let dir = std::env::temp_dir().join(format!(
            "anchornet-ws-hub-{}-{}",
            std::process::id(),
            hub.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(FILE),
            format!("name = \"N\"\nlocal_place = \"Salford\"\n[hub]\n{hub}"),
        )
        .unwrap();
        let c = WorkspaceConfig::load(&dir);
        std::fs::remove_dir_all(&dir).ok();
        c
    }

    #[test]
    fn the_hub_section_is_strict() {
        let c = load("sources = [\"notices\"]\nmonths = 6\n").unwrap();
        assert_eq!(c.hub.sources, vec!["notices".to_string()]);
        assert_eq!((c.hub.months, c.hub.top, c.hub.min_anchors), (6, 5, 2));
        assert_eq!(
            c.hub.bands().unwrap(),
            anchornet_hub::calendar::Bands::default()
        );
        let e = load("sources = []\nmonth = 6\n").unwrap_err().to_string();
        assert!(e.contains("month"), "{e}");
        let e = load("lead = \"0-3\"\n").unwrap_err().to_string();
        assert!(e.contains("[hub] lead"), "{e}");
        assert_eq!(
            load("lead = \"0:2,100000:12\"\n")
                .unwrap()
                .hub
                .bands()
                .unwrap()
                .lead(Some(anchornet_core::Pence(10_000_000))),
            12
        );
    }
}
