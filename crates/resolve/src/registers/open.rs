//! Opening register files as streams, decompressing `.gz`, `.xz` and `.zip` on the fly
//! (a Companies House bulk file is 2.5 GB uncompressed; it is never held in memory).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::{RegisterError, RegisterIssue, RegisterRecord, Registers};

/// Call `f` with a reader over the (decompressed) content of each data file in `path`:
/// the file itself, or each member of a zip archive.
pub fn each_stream(
    path: &Path,
    mut f: impl FnMut(&str, &mut dyn Read) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path.to_string_lossy().to_string();
    let lower = name.to_ascii_lowercase();
    let file = File::open(path)?;
    if lower.ends_with(".zip") {
        let mut z = zip::ZipArchive::new(BufReader::new(file)).map_err(std::io::Error::other)?;
        for i in 0..z.len() {
            let mut m = z.by_index(i).map_err(std::io::Error::other)?;
            if m.is_dir() {
                continue;
            }
            let member = format!("{name}!{}", m.name());
            f(&member, &mut m)?;
        }
        return Ok(());
    }
    if lower.ends_with(".gz") {
        let mut r = flate2::read::MultiGzDecoder::new(BufReader::new(file));
        return f(&name, &mut r);
    }
    if lower.ends_with(".xz") {
        let mut r = xz2::read::XzDecoder::new_multi_decoder(BufReader::new(file));
        return f(&name, &mut r);
    }
    let mut r = BufReader::new(file);
    f(&name, &mut r)
}

/// The first few kilobytes of a file's (first) data stream, as text, to recognise it.
pub fn head(path: &Path) -> std::io::Result<String> {
    let mut out = Vec::new();
    each_stream(path, |_, r| {
        if out.is_empty() {
            let mut buf = vec![0u8; 8192];
            let mut n = 0;
            while n < buf.len() {
                let k = r.read(&mut buf[n..])?;
                if k == 0 {
                    break;
                }
                n += k;
            }
            buf.truncate(n);
            out = buf;
        }
        Ok(())
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Read a register file stream by stream: `f` gets each stream's name and reader and pushes
/// records and issues; they join `regs` only when the whole file was read.
pub fn load_records(
    path: &Path,
    regs: &mut Registers,
    mut f: impl FnMut(
        &str,
        &mut dyn Read,
        &mut Vec<RegisterRecord>,
        &mut Vec<RegisterIssue>,
    ) -> std::io::Result<()>,
) -> Result<(), RegisterError> {
    let mut out = Vec::new();
    let mut issues = Vec::new();
    each_stream(path, |member, r| f(member, r, &mut out, &mut issues)).map_err(|e| {
        RegisterError::Open {
            path: path.to_string_lossy().to_string(),
            message: e.to_string(),
        }
    })?;
    regs.records.extend(out);
    regs.issues.extend(issues);
    Ok(())
}
