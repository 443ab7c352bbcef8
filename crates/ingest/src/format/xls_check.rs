//! Legacy XLS (BIFF records in an OLE2 compound file) checked before calamine reads it.
//!
//! calamine reads an XLS whole when it opens it: it follows the compound file's sector
//! chains for as many bytes as the directory declares, reserves room for the cells a
//! sheet's `Dimensions` record declares (up to 2³² rows in BIFF8) and lays out each sheet's
//! rectangle of cells and of formulas. A few hundred crafted bytes can therefore ask for
//! terabytes, loop forever on a chain that points back at itself, or index past the end of
//! a table. This walk goes over the same structures first, with nothing allocated beyond the
//! file's own size, and refuses:
//!
//! * a sector chain that is longer than the file has sectors (a loop), points past the
//!   allocation table or past the end of the file, or a file allocation table made of more
//!   sectors than the file holds;
//! * a sheet whose declared or used rows or columns are over `max_rows` / `max_columns`,
//!   or a workbook whose sheets would lay out more than `max_sheet_cells` cells altogether
//!   (declared `Dimensions`, values and formulas, as calamine lays them out).
//!
//! The layout follows [MS-CFB] (the compound file) and [MS-XLS] (BIFF8 records); only the
//! fields calamine itself reads are looked at, so a file calamine reads correctly is never
//! refused for its structure.

use super::ReadError;
use crate::limits::Limits;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Special sector numbers start here ([MS-CFB] 2.1).
const MAXREGSECT: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const MINI_CUTOFF: u64 = 4096;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn broken(what: impl std::fmt::Display) -> ReadError {
    ReadError::Other(format!("xls: not a readable compound file: {what}"))
}

/// The compound file's sectors, as calamine numbers them: sector `n` starts at
/// `(n + 1) × size` (the header takes the first sector's room).
struct Sectors<'a> {
    bytes: &'a [u8],
    size: usize,
    /// calamine's bound on a sector number: the file's length over the sector size.
    max_id: u32,
}

impl<'a> Sectors<'a> {
    /// The bytes of sector `id` (short or empty at the end of the file, as calamine reads).
    fn get(&self, id: u32) -> Result<&'a [u8], ReadError> {
        if id > self.max_id {
            return Err(broken(format!("sector {id} is past the end of the file")));
        }
        let start = (id as usize + 1).saturating_mul(self.size);
        // calamine slices past its buffer for a sector wholly beyond the end of the file.
        if start >= self.bytes.len() {
            return Err(broken(format!("sector {id} is past the end of the file")));
        }
        let end = start.saturating_add(self.size).min(self.bytes.len());
        Ok(self.bytes.get(start..end).unwrap_or(&[]))
    }

    fn words(&self, id: u32) -> Result<impl Iterator<Item = u32> + 'a, ReadError> {
        Ok(self
            .get(id)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
    }
}

/// Follow a chain from `start` through `table` until `ENDOFCHAIN` or until `len` bytes are
/// gathered (calamine's stopping rule), each step reading `read(id)`; refused if the chain
/// visits more sectors than `most` (it loops) or leaves the table.
fn chain(
    start: u32,
    table: &[u32],
    len: u64,
    most: u64,
    what: &str,
    mut read: impl FnMut(u32) -> Result<usize, ReadError>,
) -> Result<u64, ReadError> {
    let (mut id, mut got, mut steps) = (start, 0u64, 0u64);
    while id != ENDOFCHAIN {
        steps += 1;
        if steps > most {
            return Err(broken(format!("the {what} chain loops")));
        }
        got = got.saturating_add(read(id)? as u64);
        if got >= len {
            break;
        }
        id = *table.get(id as usize).ok_or_else(|| {
            broken(format!(
                "the {what} chain leaves the allocation table at sector {id}"
            ))
        })?;
    }
    Ok(got.min(len))
}

/// Gather a chain's bytes (only called once [`chain`] has bounded it).
fn gather(
    start: u32,
    table: &[u32],
    len: u64,
    piece: impl Fn(u32) -> Result<Vec<u8>, ReadError>,
) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    let mut id = start;
    while id != ENDOFCHAIN && (out.len() as u64) < len {
        let p = piece(id)?;
        let take = p.len().min((len - out.len() as u64) as usize);
        out.extend_from_slice(&p[..take]);
        match table.get(id as usize) {
            Some(next) => id = *next,
            None => break,
        }
    }
    Ok(out)
}

/// The workbook stream of an XLS file (`Workbook`, or `Book` for BIFF5), with every chain
/// calamine follows on the way checked.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    if bytes.len() < 512 || !bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(broken("no compound file header"));
    }
    let size: usize = match u16_at(bytes, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        s => return Err(broken(format!("sector shift {s:?} (must be 9 or 12)"))),
    };
    if u16_at(bytes, 32) != Some(6) {
        return Err(broken("mini sector shift is not 6"));
    }
    let version = u16_at(bytes, 26).unwrap_or(0);
    let max_id = u32::try_from(bytes.len() / size).unwrap_or(u32::MAX);
    let sectors = Sectors {
        bytes,
        size,
        max_id,
    };
    let most = u64::from(max_id) + 1;
    let field = |at| u32_at(bytes, at).unwrap_or(ENDOFCHAIN);
    let (dir_start, mini_fat_start, mini_fat_len, difat_start) =
        (field(48), field(60), field(64), field(68));

    // The DIFAT: the header's 109 entries, then a chain whose last word of each sector is
    // the next sector (calamine pops it). Only the FAT sector numbers are kept.
    let mut difat: Vec<u32> = (76..512)
        .step_by(4)
        .filter_map(|at| u32_at(bytes, at))
        .collect();
    let (mut id, mut steps) = (difat_start, 0u64);
    while id < MAXREGSECT {
        steps += 1;
        if steps > most {
            return Err(broken("the DIFAT chain loops"));
        }
        difat.extend(sectors.words(id)?);
        id = difat
            .pop()
            .ok_or_else(|| broken(format!("DIFAT sector {id} is empty")))?;
    }
    let fat_ids: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    // Each FAT sector is one of the file's own sectors: more than the file holds means the
    // same sectors listed again and again, which calamine would copy once per mention.
    if fat_ids.len() as u64 > most {
        return Err(broken(format!(
            "{} allocation-table sectors named in a file of {most} sectors",
            fat_ids.len()
        )));
    }
    let mut fat = Vec::with_capacity(fat_ids.len() * size / 4);
    for id in fat_ids {
        fat.extend(sectors.words(id)?);
    }

    // The directory: its chain is read to the end (calamine asks for no length).
    let read = |id| sectors.get(id).map(<[u8]>::len);
    chain(dir_start, &fat, u64::MAX, most, "directory", read)?;
    let dirs = gather(dir_start, &fat, u64::MAX, |id| {
        sectors.get(id).map(<[u8]>::to_vec)
    })?;
    let entry = |d: &[u8]| {
        let name: Vec<u16> = d[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|c| *c != 0)
            .collect();
        let start = u32_at(d, 116).unwrap_or(ENDOFCHAIN);
        let len = if size == 512 {
            u64::from(u32_at(d, 120).unwrap_or(0))
        } else {
            u64_at(d, 120).unwrap_or(0)
        };
        (String::from_utf16_lossy(&name), start, len)
    };
    let entries: Vec<_> = dirs.chunks_exact(128).map(entry).collect();
    let Some(root) = entries.first() else {
        return Err(broken("no directory entries"));
    };
    if version != 3 && root.1 == ENDOFCHAIN {
        return Err(broken("the root directory entry has no stream"));
    }

    // The mini stream and its table, read whenever the header names a mini FAT.
    let (mini_stream, mini_fat) = if mini_fat_len > 0 {
        chain(root.1, &fat, root.2, most, "mini stream", read)?;
        let stream = gather(root.1, &fat, root.2, |id| {
            sectors.get(id).map(<[u8]>::to_vec)
        })?;
        let len = u64::from(mini_fat_len) * size as u64;
        chain(mini_fat_start, &fat, len, most, "mini FAT", read)?;
        let table = gather(mini_fat_start, &fat, len, |id| {
            sectors.get(id).map(<[u8]>::to_vec)
        })?;
        let words = table
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect::<Vec<_>>();
        (stream, words)
    } else {
        (Vec::new(), Vec::new())
    };

    let found = ["Workbook", "Book"].iter().find_map(|want| {
        entries
            .iter()
            .find(|e| e.0.eq_ignore_ascii_case(want))
            .map(|e| (e.1, e.2))
    });
    let Some((start, len)) = found else {
        return Err(ReadError::Other(
            "xls: no Workbook stream (not an Excel 97–2003 workbook)".into(),
        ));
    };
    if len < MINI_CUTOFF {
        // Mini sectors of 64 bytes in the mini stream; calamine bounds their numbers by
        // eight per sector of the file.
        let mini_max = u64::from(max_id) * 8;
        let mini = |id: u32| -> Result<Vec<u8>, ReadError> {
            let s = (id as usize).saturating_mul(64);
            let e = s.saturating_add(64);
            // calamine reads a mini sector past the mini stream from the file itself.
            if u64::from(id) > mini_max || e > mini_stream.len() {
                return Err(broken(format!("mini sector {id} is past the mini stream")));
            }
            Ok(mini_stream.get(s..e).unwrap_or(&[]).to_vec())
        };
        chain(start, &mini_fat, len, mini_max + 1, "workbook", |id| {
            mini(id).map(|v| v.len())
        })?;
        gather(start, &mini_fat, len, mini)
    } else {
        chain(start, &fat, len, most, "workbook", read)?;
        gather(start, &fat, len, |id| sectors.get(id).map(<[u8]>::to_vec))
    }
}

/// BIFF records from `at` on: (type, data). Stops at the end or at a record cut short.
fn records(stream: &[u8], at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream.get(at..).unwrap_or(&[]);
    std::iter::from_fn(move || {
        let typ = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

/// The span of rows and columns a set of cells covers, as calamine lays it out.
#[derive(Default)]
struct Span(Option<(u64, u64, u64, u64)>);

impl Span {
    fn add(&mut self, row: u64, col_first: u64, col_last: u64) {
        let (r0, r1, c0, c1) = self.0.get_or_insert((row, row, col_first, col_last));
        *r0 = (*r0).min(row);
        *r1 = (*r1).max(row);
        *c0 = (*c0).min(col_first);
        *c1 = (*c1).max(col_last);
    }
    fn rows(&self) -> u64 {
        self.0.map_or(0, |(a, b, _, _)| b - a + 1)
    }
    fn cols(&self) -> u64 {
        self.0.map_or(0, |(_, _, a, b)| b - a + 1)
    }
}

/// Check a legacy XLS file against `limits` before calamine opens it.
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let stream = workbook_stream(bytes)?;
    // The globals: where each sheet's records start (BoundSheet8), up to their EOF.
    let mut sheets = Vec::new();
    for (typ, data) in records(&stream, 0) {
        match typ {
            0x0085 => {
                if data.len() < 6 {
                    return Err(ReadError::Other(format!(
                        "xls: a sheet record of {} bytes (at least 6 expected)",
                        data.len()
                    )));
                }
                let pos = u32_at(data, 0).unwrap_or(0) as usize;
                if pos > stream.len() {
                    return Err(ReadError::Other(format!(
                        "xls: a sheet starts at byte {pos} of a workbook stream of {}",
                        stream.len()
                    )));
                }
                sheets.push(pos);
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut total = 0u64;
    for (n, pos) in sheets.into_iter().enumerate() {
        let (mut values, mut formulas, mut declared) = (Span::default(), Span::default(), 0u64);
        let (mut depth, mut seen_bof) = (0usize, false);
        let mut declared_rows = 0u64;
        let mut declared_cols = 0u64;
        for (typ, d) in records(&stream, pos) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |i| u16_at(d, i).map(u64::from);
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    // Dimensions: first row, last row + 1, first column, last column + 1.
                    let (rf, rl, cf, cl) = match d.len() {
                        10 => (at(0), at(2), at(4), at(6)),
                        14 | 16 => (
                            u32_at(d, 0).map(u64::from),
                            u32_at(d, 4).map(u64::from),
                            at(8),
                            at(10),
                        ),
                        _ => (None, None, None, None),
                    };
                    if let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) {
                        if cf > 0xFF || cl < cf {
                            cf = 0;
                        }
                        if rl >= 1 && cl >= 1 {
                            // calamine lays out (last - first + 1) in u32 arithmetic: a
                            // range that runs backwards wraps to billions of cells.
                            if rl - 1 < rf || cl - 1 < cf {
                                return Err(ReadError::Other(format!(
                                    "xls: sheet {}: its Dimensions record runs backwards \
                                     (rows {rf}..{rl}, columns {cf}..{cl})",
                                    n + 1
                                )));
                            }
                            let (rows, cols) = (rl - rf, cl - cf);
                            declared_rows = declared_rows.max(rows);
                            declared_cols = declared_cols.max(cols);
                            declared = declared.saturating_add(rows.saturating_mul(cols));
                        }
                    }
                }
                // One cell: Number, Label, RString, BoolErr, RK, LabelSst, Formula.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(r), Some(c)) = (at(0), at(2)) {
                        values.add(r, c, c);
                        if typ == 0x0006 {
                            formulas.add(r, c, c);
                        }
                    }
                }
                // MulRk: a row of RK cells from the first column to the last word's.
                0x00BD if d.len() >= 6 => {
                    if let (Some(r), Some(c0), Some(c1)) = (at(0), at(2), at(d.len() - 2)) {
                        // calamine computes (last - first + 1) in u16 before checking the
                        // record's length against it.
                        if c1 < c0 || d.len() as u64 != 6 + 6 * (c1 - c0 + 1) {
                            return Err(ReadError::Other(format!(
                                "xls: sheet {}: a MulRk record for columns {c0}..={c1} \
                                 is {} bytes long",
                                n + 1,
                                d.len()
                            )));
                        }
                        values.add(r, c0, c1);
                    }
                }
                _ => {}
            }
        }
        let what = |found: u64, unit: &str| format!("xls: sheet {}: {found} {unit}", n + 1);
        let rows = values.rows().max(formulas.rows()).max(declared_rows);
        let cols = values.cols().max(formulas.cols()).max(declared_cols);
        Limits::check(rows, limits.max_rows, "max_rows", || {
            what(rows, "rows (declared or used)")
        })?;
        Limits::check(cols, limits.max_columns, "max_columns", || {
            what(cols, "columns (declared or used)")
        })?;
        let laid = values.rows().saturating_mul(values.cols());
        let laid_f = formulas.rows().saturating_mul(formulas.cols());
        total = total
            .saturating_add(declared)
            .saturating_add(laid)
            .saturating_add(laid_f);
    }
    Limits::check(total, limits.max_sheet_cells, "max_sheet_cells", || {
        format!("xls: {total} cells laid out across the workbook's sheets (declared dimensions, values and formulas)")
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_compound_file_is_named() {
        let e = check_xls(b"\xD0\xCF\x11\xE0 not really", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("compound file"), "{e}");
    }
}
