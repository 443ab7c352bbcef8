//! The register as rows: one per supplier, the columns `anchornet suppliers --out` writes.

use anchornet_geo::Deprivation;

use crate::register::Register;

/// The column names ([`anchornet_core::supplier::REGISTER_COLUMNS`]), the LSOA column named
/// for the deprivation edition's LSOA vintage.
pub fn header(dep: Deprivation) -> Vec<&'static str> {
    anchornet_core::supplier::REGISTER_COLUMNS
        .iter()
        .map(|&c| match (c, dep) {
            ("lsoa", Deprivation::Iod2025) => "lsoa21",
            ("lsoa", Deprivation::Imd2019) => "lsoa11",
            (c, _) => c,
        })
        .collect()
}

/// One row per supplier, in register order, parallel to [`header`].
pub fn rows(r: &Register) -> impl Iterator<Item = Vec<String>> + '_ {
    r.suppliers.iter().map(|s| {
        let l = s.location();
        let p = s.placed();
        let opt = |b: Option<bool>| match b {
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
            None => String::new(),
        };
        vec![
            s.id.clone(),
            s.key.clone(),
            s.canonical_name.clone(),
            s.names.join(" | "),
            s.identifiers.cell(),
            s.spend.0.to_string(),
            s.kind.label(),
            s.size.label().to_string(),
            opt(s.vcse),
            p.as_ref().map(|p| p.postcode.clone()).unwrap_or_default(),
            p.as_ref().map(|p| p.lad.clone()).unwrap_or_default(),
            p.as_ref().map(|p| p.lad_name.clone()).unwrap_or_default(),
            p.as_ref().and_then(|p| p.lsoa.clone()).unwrap_or_default(),
            p.as_ref()
                .and_then(|p| p.decile)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            opt(p.as_ref().map(|p| p.local)),
            opt(p.as_ref().map(|p| p.wider)),
            l.map(|l| l.kind.label().to_string()).unwrap_or_default(),
            l.map(|l| l.source.label().to_string()).unwrap_or_default(),
            l.map(|l| l.file.clone()).unwrap_or_default(),
            l.map(|l| l.line.to_string()).unwrap_or_default(),
            l.and_then(|l| l.date)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            l.map(|l| format!("{:.2}", l.confidence))
                .unwrap_or_default(),
            s.locations.len().to_string(),
        ]
    })
}

/// Write the register as CSV (the header, then one row per supplier).
pub fn write_csv<W: std::io::Write>(r: &Register, dep: Deprivation, w: W) -> csv::Result<W> {
    write_rows(header(dep), rows(r), w)
}

/// Write a header and rows as CSV, every cell made safe to open in a spreadsheet
/// ([`anchornet_core::cell::spreadsheet_text`]: a name starting with `=` cannot run as a
/// formula; numbers are left as they are).
pub fn write_rows<W: std::io::Write>(
    header: Vec<&str>,
    rows: impl Iterator<Item = Vec<String>>,
    w: W,
) -> csv::Result<W> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(header)?;
    for row in rows {
        w.write_record(
            row.iter()
                .map(|c| anchornet_core::cell::spreadsheet_text(c).into_owned()),
        )?;
    }
    w.flush()?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
