//! Opening inputs: files, directories, glob patterns and stdin (`-`), with `.gz`, `.xz` and
//! `.zip` opened transparently. A zip archive yields one source per member file.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The raw bytes of one input, after decompression, with the name reports use.
#[derive(Debug, Clone)]
pub struct Source {
    /// Name as reported: the path given, or `archive.zip!member.csv`, or `-` for stdin.
    pub name: String,
    /// The name with compression suffixes removed, used to recognise the format.
    pub inner_name: String,
    /// Uncompressed content.
    pub bytes: Vec<u8>,
}

/// An input that could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct InputError {
    /// The path or pattern.
    pub name: String,
    /// What went wrong.
    pub message: String,
}

fn err(name: &str, message: impl Into<String>) -> InputError {
    InputError {
        name: name.to_string(),
        message: message.into(),
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

/// Read one path (or stdin for `-`) into sources, decompressing as needed.
pub fn open(path: &Path) -> Result<Vec<Source>, InputError> {
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
    from_bytes(&name, raw)
}

/// Decompress bytes named `name` into sources. Compression is recognised by magic bytes,
/// not only by suffix, so a mislabelled file still opens.
pub fn from_bytes(name: &str, raw: Vec<u8>) -> Result<Vec<Source>, InputError> {
    let lower = name.to_ascii_lowercase();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| err(name, format!("gzip: {e}")))?;
        return Ok(vec![Source {
            name: name.into(),
            inner_name: strip_compression(name),
            bytes: out,
        }]);
    }
    if raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        let mut out = Vec::new();
        xz2::read::XzDecoder::new_multi_decoder(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| err(name, format!("xz: {e}")))?;
        return Ok(vec![Source {
            name: name.into(),
            inner_name: strip_compression(name),
            bytes: out,
        }]);
    }
    // A zip: either an archive of data files, or an XLSX/ODS (which are zips themselves).
    if raw.starts_with(b"PK\x03\x04") && lower.ends_with(".zip") {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(raw))
            .map_err(|e| err(name, format!("zip: {e}")))?;
        let mut out = Vec::new();
        for i in 0..archive.len() {
            let mut f = archive
                .by_index(i)
                .map_err(|e| err(name, format!("zip: {e}")))?;
            if f.is_dir() || !is_data_file(Path::new(f.name())) {
                continue;
            }
            let member = f.name().to_string();
            let mut b = Vec::new();
            f.read_to_end(&mut b)
                .map_err(|e| err(name, format!("zip member {member}: {e}")))?;
            let full = format!("{name}!{member}");
            out.extend(from_bytes(&full, b)?);
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

    #[test]
    fn missing_paths_are_named() {
        let e = expand(&["/no/such/file.csv".into()]).unwrap_err();
        assert!(e.to_string().contains("/no/such/file.csv"));
        let e = expand(&["/no/such/*.csv".into()]).unwrap_err();
        assert!(e.to_string().contains("matches no files"));
    }
}
