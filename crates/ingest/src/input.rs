//! Opening inputs: files, directories, glob patterns and stdin (`-`), with `.gz`, `.xz` and
//! `.zip` opened transparently. A zip archive yields one source per member file.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::limits::{LimitError, Limits, RATIO_FLOOR_BYTES};

/// The raw bytes of one input, after decompression, with the name reports use.
#[derive(Debug, Clone)]
pub struct Source {
    /// Name as reported: the path given, or `archive.zip!member.csv`, or `-` for stdin.
    pub name: String,
    /// The name with compression suffixes removed, used to recognise the format.
    pub inner_name: String,
    /// Uncompressed content.
    pub bytes: Vec<u8>,
    /// The limits it was opened within, which the format readers apply in turn.
    pub limits: Limits,
}

/// An input that could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct InputError {
    /// The path or pattern.
    pub name: String,
    /// What went wrong.
    pub message: String,
    /// The limit breached, when that is what went wrong (the whole input is refused).
    pub limit: Option<LimitError>,
}

fn err(name: &str, message: impl Into<String>) -> InputError {
    InputError {
        name: name.to_string(),
        message: message.into(),
        limit: None,
    }
}

impl From<InputError> for crate::format::ReadError {
    fn from(e: InputError) -> Self {
        match e.limit {
            Some(l) => crate::format::ReadError::Limit(l),
            None => crate::format::ReadError::Other(e.message),
        }
    }
}

/// File name suffixes the readers understand (after removing compression suffixes).
pub const DATA_EXTENSIONS: [&str; 6] = ["csv", "tsv", "txt", "xlsx", "xls", "ods"];

fn is_data_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let stripped = strip_compression(&name);
    if name.ends_with(".zip") {
        return true;
    }
    DATA_EXTENSIONS
        .iter()
        .any(|e| stripped.ends_with(&format!(".{e}")))
}

/// Remove `.gz` / `.xz` suffixes.
pub fn strip_compression(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    for s in [".gz", ".xz"] {
        if lower.ends_with(s) {
            return name[..name.len() - s.len()].to_string();
        }
    }
    name.to_string()
}

/// Expand the user's arguments into a sorted, de-duplicated list of files (or `-`).
/// Directories are walked recursively for data files; patterns with `*`, `?` or `[` are globbed.
pub fn expand(args: &[String]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(PathBuf::from("-"));
            continue;
        }
        let p = Path::new(a);
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|e| err(a, e.to_string()))?;
            if found.is_empty() {
                return Err(err(a, "directory has no data files (.csv, .tsv, .xlsx, .ods, optionally .gz/.xz/.zip)"));
            }
            found.sort();
            out.extend(found);
        } else if p.is_file() {
            out.push(p.to_path_buf());
        } else if a.contains(['*', '?', '[']) {
            let mut found: Vec<PathBuf> = glob::glob(a)
                .map_err(|e| err(a, format!("bad pattern: {e}")))?
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            if found.is_empty() {
                return Err(err(a, "pattern matches no files"));
            }
            found.sort();
            out.extend(found);
        } else {
            return Err(err(a, "no such file or directory"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if is_data_file(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Read one path (or stdin for `-`) into sources, decompressing as needed, within this
/// process's [`Limits`].
pub fn open(path: &Path) -> Result<Vec<Source>, InputError> {
    open_with(path, &Limits::process())
}

/// [`open`] within `limits`.
pub fn open_with(path: &Path, limits: &Limits) -> Result<Vec<Source>, InputError> {
    let name = path.to_string_lossy().to_string();
    let raw = if name == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| err(&name, e.to_string()))?;
        b
    } else {
        std::fs::read(path).map_err(|e| err(&name, e.to_string()))?
    };
    from_bytes_with(&name, raw, limits)
}

/// Decompress bytes named `name` into sources, within this process's [`Limits`].
/// Compression is recognised by magic bytes, not only by suffix, so a mislabelled file
/// still opens.
pub fn from_bytes(name: &str, raw: Vec<u8>) -> Result<Vec<Source>, InputError> {
    from_bytes_with(name, raw, &Limits::process())
}

/// [`from_bytes`] within `limits`: at most `max_decompressed_mib` come out of all the
/// decompressors together, no stream beyond `max_ratio` once past
/// [`RATIO_FLOOR_BYTES`](crate::limits::RATIO_FLOOR_BYTES), no deeper than `max_nesting`
/// containers. Output is read in chunks and checked as it grows, so a bomb is stopped
/// at the limit, never after.
pub fn from_bytes_with(
    name: &str,
    raw: Vec<u8>,
    limits: &Limits,
) -> Result<Vec<Source>, InputError> {
    let mut budget = limits.max_decompressed_bytes();
    unpack(name, raw, limits, &mut budget, 0)
}

fn limit_err(name: &str, e: LimitError) -> InputError {
    InputError {
        name: name.to_string(),
        message: e.to_string(),
        limit: Some(e),
    }
}

fn nesting(name: &str, limits: &Limits, depth: u32) -> Result<(), InputError> {
    Limits::check(
        u64::from(depth) + 1,
        u64::from(limits.max_nesting),
        "max_nesting",
        || format!("{} compressed containers inside one another", depth + 1),
    )
    .map_err(|e| limit_err(name, e))
}

/// Read a decompressor to the end within the budget and the ratio limit.
pub(crate) fn read_limited(
    r: impl Read,
    compressed: u64,
    limits: &Limits,
    budget: &mut u64,
    name: &str,
    what: &str,
) -> Result<Vec<u8>, InputError> {
    read_limited_hinted(r, compressed, 0, limits, budget, name, what)
}

/// [`read_limited`] with the size the stream says it decompresses to (`hint`, 0 when
/// unknown): the buffer is reserved at that size (never beyond the limits) and grows by
/// doubling only if the stream turns out longer. A 280 MB file read by doubling copies and
/// faults in about twice its size.
fn read_limited_hinted(
    r: impl Read,
    compressed: u64,
    hint: u64,
    limits: &Limits,
    budget: &mut u64,
    name: &str,
    what: &str,
) -> Result<Vec<u8>, InputError> {
    // The most this stream may produce; the buffer grows by doubling up to it, not past it.
    let most = (*budget).min(RATIO_FLOOR_BYTES.max(limits.max_ratio.saturating_mul(compressed)));
    let most = usize::try_from(most).unwrap_or(usize::MAX);
    let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).min(most));
    pump_limited(r, compressed, limits, budget, name, what, |b| {
        let need = out.len() + b.len();
        if need > out.capacity() {
            let want = (out.capacity() * 2).min(most).max(need);
            out.reserve_exact(want - out.len());
        }
        out.extend_from_slice(b)
    })?;
    Ok(out)
}

/// Pass a decompressor's output to `sink` in chunks, stopping with an error the moment it
/// goes over the budget (`max_decompressed_mib`, shared by every stream of one input) or,
/// once past [`RATIO_FLOOR_BYTES`], over `max_ratio` times its `compressed` size.
pub(crate) fn pump_limited(
    mut r: impl Read,
    compressed: u64,
    limits: &Limits,
    budget: &mut u64,
    name: &str,
    what: &str,
    mut sink: impl FnMut(&[u8]),
) -> Result<u64, InputError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut produced = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(err(name, format!("{what}: {e}"))),
        };
        produced += n as u64;
        if n as u64 > *budget {
            let limit = limits.max_decompressed_mib;
            return Err(limit_err(
                name,
                LimitError {
                    what: format!("{what}: more than {limit} MiB after decompression"),
                    key: "max_decompressed_mib",
                    limit,
                },
            ));
        }
        *budget -= n as u64;
        if produced > RATIO_FLOOR_BYTES && produced > limits.max_ratio.saturating_mul(compressed) {
            return Err(limit_err(
                name,
                LimitError {
                    what: format!(
                        "{what}: {compressed} compressed bytes expand more than {}:1",
                        limits.max_ratio
                    ),
                    key: "max_ratio",
                    limit: limits.max_ratio,
                },
            ));
        }
        sink(&buf[..n]);
    }
    Ok(produced)
}

/// The uncompressed size an xz file's last stream records in its index (the sum of its
/// blocks' sizes), read from the stream footer without decompressing; `None` when the
/// footer or index is not as the format says. Only a hint for the output buffer: the
/// decompressor's output is what counts. Format: "The .xz File Format" 1.2.0, sections
/// 2.1.2 (stream footer), 4 (index) and 1.2 (multibyte integers).
fn xz_size(raw: &[u8]) -> Option<u64> {
    // Stream padding: null bytes in multiples of four after the last footer.
    let mut end = raw.len();
    while end >= 4 && raw[end - 4..end] == [0, 0, 0, 0] {
        end -= 4;
    }
    let footer = raw.get(end.checked_sub(12)?..end)?;
    if &footer[10..12] != b"YZ" {
        return None;
    }
    let backward = (u64::from(u32::from_le_bytes(footer[4..8].try_into().ok()?)) + 1) * 4;
    let start = (end - 12).checked_sub(usize::try_from(backward).ok()?)?;
    let index = &raw[start..end - 12];
    if index.first() != Some(&0) {
        return None;
    }
    let mut pos = 1;
    let mut varint = || -> Option<u64> {
        let mut v = 0u64;
        for i in 0..9 {
            let b = *index.get(pos)?;
            pos += 1;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    let records = varint()?;
    let mut total = 0u64;
    for _ in 0..records {
        let _unpadded = varint()?;
        total = total.checked_add(varint()?)?;
    }
    Some(total)
}

fn unpack(
    name: &str,
    raw: Vec<u8>,
    limits: &Limits,
    budget: &mut u64,
    depth: u32,
) -> Result<Vec<Source>, InputError> {
    let lower = name.to_ascii_lowercase();
    let stream = if raw.starts_with(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Some("xz")
    } else {
        None
    };
    if let Some(kind) = stream {
        nesting(name, limits, depth)?;
        let n = raw.len() as u64;
        let bytes = if kind == "gzip" {
            read_limited(
                flate2::read::MultiGzDecoder::new(&raw[..]),
                n,
                limits,
                budget,
                name,
                kind,
            )?
        } else {
            read_limited_hinted(
                xz2::read::XzDecoder::new_multi_decoder(&raw[..]),
                n,
                xz_size(&raw).unwrap_or(0),
                limits,
                budget,
                name,
                kind,
            )?
        };
        return Ok(vec![Source {
            name: name.into(),
            inner_name: strip_compression(name),
            bytes,
            limits: *limits,
        }]);
    }
    // A zip: either an archive of data files, or an XLSX/ODS (which are zips themselves).
    if raw.starts_with(b"PK\x03\x04") && lower.ends_with(".zip") {
        nesting(name, limits, depth)?;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(raw))
            .map_err(|e| err(name, format!("zip: {e}")))?;
        let mut out = Vec::new();
        for i in 0..archive.len() {
            let f = archive
                .by_index(i)
                .map_err(|e| err(name, format!("zip: {e}")))?;
            if f.is_dir() || !is_data_file(Path::new(f.name())) {
                continue;
            }
            let member = f.name().to_string();
            let compressed = f.compressed_size();
            let what = format!("zip member {member}");
            let b = read_limited(f, compressed, limits, budget, name, &what)?;
            let full = format!("{name}!{member}");
            out.extend(unpack(&full, b, limits, budget, depth + 1)?);
        }
        if out.is_empty() {
            return Err(err(name, "zip archive has no data files"));
        }
        return Ok(out);
    }
    Ok(vec![Source {
        name: name.into(),
        inner_name: name.into(),
        bytes: raw,
        limits: *limits,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn decompresses_by_magic() {
        let text = b"a,b\n1,2\n".to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let s = from_bytes("x.csv.gz", gz.finish().unwrap()).unwrap();
        assert_eq!(s[0].bytes, text);
        assert_eq!(s[0].inner_name, "x.csv");
        let mut xz = xz2::write::XzEncoder::new(Vec::new(), 6);
        xz.write_all(&text).unwrap();
        let s = from_bytes("x.csv.xz", xz.finish().unwrap()).unwrap();
        assert_eq!(s[0].bytes, text);

        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("inner/a.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(&text).unwrap();
        z.start_file("readme.pdf", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"%PDF").unwrap();
        let bytes = z.finish().unwrap().into_inner();
        let s = from_bytes("bundle.zip", bytes).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "bundle.zip!inner/a.csv");
        assert_eq!(s[0].bytes, text);
    }

    /// The size read from the index agrees with `xz --list` on a real file, and with the
    /// last stream's size when there are several.
    #[test]
    fn xz_index_gives_the_size() {
        let raw = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/spend/odileeds_processed/london.csv.xz"
        ));
        if let Ok(raw) = raw {
            // `xz --list --robot` on this file: uncompressed 10,590,756 bytes.
            assert_eq!(xz_size(&raw), Some(10_590_756));
            assert_eq!(
                from_bytes("london.csv.xz", raw).unwrap()[0].bytes.len(),
                10_590_756
            );
        }
        let text = b"a,b\n1,2\n".repeat(1000);
        for blocks in [1usize, 3] {
            // Several streams concatenated, and stream padding after the last.
            let mut raw = Vec::new();
            for chunk in text.chunks(text.len().div_ceil(blocks)) {
                let mut xz = xz2::write::XzEncoder::new(Vec::new(), 6);
                xz.write_all(chunk).unwrap();
                raw.extend(xz.finish().unwrap());
            }
            raw.extend([0u8; 8]);
            let last = text
                .chunks(text.len().div_ceil(blocks))
                .last()
                .unwrap()
                .len();
            assert_eq!(xz_size(&raw), Some(last as u64));
            assert_eq!(from_bytes("t.csv.xz", raw.clone()).unwrap()[0].bytes, text);
            let n = raw.len();
            raw[n - 10] ^= 0xff; // a damaged footer magic: no hint
            assert_eq!(xz_size(&raw), None);
        }
        assert_eq!(xz_size(b"short"), None);
    }

    #[test]
    fn missing_paths_are_named() {
        let e = expand(&["/no/such/file.csv".into()]).unwrap_err();
        assert!(e.to_string().contains("/no/such/file.csv"));
        let e = expand(&["/no/such/*.csv".into()]).unwrap_err();
        assert!(e.to_string().contains("matches no files"));
    }
}
