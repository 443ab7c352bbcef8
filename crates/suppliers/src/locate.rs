//! Locate: a postcode from any evidence, placed in its district, ward and neighbourhood with
//! its deprivation decile, and whether it is in the network's local and wider places.
//!
//! The location the metrics use is the best placed evidence by the precedence of
//! [`SourceKind::ALL`] (DESIGN.md, "Supplier location"): a person's decision, the anchor's
//! own vendor address, a contracts register or notice, premises in business-rates lists, a
//! registered office. CLES counts a supplier "based or branched" in the place as local, so by
//! default ([`Policy::branch_is_local`]) premises in the place make a supplier local even
//! when its best address is elsewhere.

use std::collections::HashSet;

use anchornet_core::{LocationKind, Postcode, SourceKind};
use anchornet_geo::{Deprivation, GeoIndex, Place};
use anchornet_metrics::Location;

/// How suppliers are counted as local.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Premises (a branch) in the place make a supplier local (CLES: "based or branched").
    #[serde(default = "yes")]
    pub branch_is_local: bool,
}

fn yes() -> bool {
    true
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            branch_is_local: true,
        }
    }
}

/// What locating needs: the geography index, the network's places and deprivation edition.
pub struct Context<'a> {
    /// The postcode index.
    pub geo: &'a GeoIndex,
    /// The local place.
    pub local: &'a Place,
    /// The wider place.
    pub wider: &'a Place,
    /// The deprivation edition.
    pub deprivation: Deprivation,
    /// How "local" is counted.
    pub policy: Policy,
    /// Files that are anchors' vendor lists (their rows are vendor-master addresses).
    pub vendor_files: HashSet<String>,
}

/// Place one postcode, or say why it cannot be placed.
pub fn place(
    cx: &Context<'_>,
    postcode: &str,
    source: SourceKind,
    kind: LocationKind,
) -> Result<Location, String> {
    let pc = Postcode::parse(postcode).map_err(|e| e.to_string())?;
    let l = cx
        .geo
        .lookup(&pc)
        .ok_or_else(|| format!("unknown postcode: {}", cx.geo.why_unknown(&pc)))?;
    let lad = l.lad.ok_or("the postcode has no district")?;
    let (lsoa, decile) = cx.deprivation.area_and_decile(&l);
    Ok(Location {
        postcode: pc.as_str().to_string(),
        source,
        kind,
        lad: lad.code.to_string(),
        lad_name: lad.name.unwrap_or("").to_string(),
        ward: l.ward.map(|w| w.code.to_string()),
        ward_name: l.ward.and_then(|w| w.name.map(str::to_string)),
        lsoa,
        decile,
        lat: l.lat,
        long: l.long,
        local: cx.local.contains(&l),
        wider: cx.wider.contains(&l),
        head_office: kind == LocationKind::RegisteredOffice,
    })
}
