//! Opening register files as streams, decompressing `.gz`, `.xz` and `.zip` on the fly
//! (a Companies House bulk file is 2.5 GB uncompressed; it is never held in memory).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anchornet_ingest::limits::{LimitError, Limits, RATIO_FLOOR_BYTES};

use super::{RegisterError, RegisterIssue, RegisterRecord, Registers};

/// Call `f` with a reader over the (decompressed) content of each data file in `path`:
/// the file itself, or each member of a zip archive.
///
/// Register files are national (a Companies House bulk file is 2.5 GB of CSV), so the
/// upload budget `max_decompressed_mib` does not apply to them; every stream is guarded
/// instead by the process's other [`Limits`]: a compressed stream may not expand more than
/// `max_ratio` times its compressed size once past [`RATIO_FLOOR_BYTES`] (a bomb stops
/// there, not at the end of memory), and no line may be longer than `max_cell_chars` bytes
/// (a register's record is a line of a few hundred bytes; a file with no line breaks
/// would otherwise be buffered whole by the CSV reader). [`each_document`] reads a JSON
/// document whole instead, within `max_decompressed_mib`. A breach is an error naming the
/// file, the limit and how to raise it.
pub fn each_stream(
    path: &Path,
    mut f: impl FnMut(&str, &mut dyn Read) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let limits = Limits::process();
    each_guarded(path, Guard::lines(&limits), &mut f)
}

/// [`each_stream`] for files whose streams are whole JSON documents: no line limit, and at
/// most `max_decompressed_mib` from each stream, since the caller holds it in memory.
pub fn each_document(
    path: &Path,
    mut f: impl FnMut(&str, &mut dyn Read) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let limits = Limits::process();
    each_guarded(path, Guard::document(&limits), &mut f)
}

fn each_guarded(
    path: &Path,
    guard: Guard,
    f: &mut dyn FnMut(&str, &mut dyn Read) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path.to_string_lossy().to_string();
    let lower = name.to_ascii_lowercase();
    let file = File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    if lower.ends_with(".zip") {
        let mut z = zip::ZipArchive::new(BufReader::new(file)).map_err(std::io::Error::other)?;
        for i in 0..z.len() {
            let m = z.by_index(i).map_err(std::io::Error::other)?;
            if m.is_dir() {
                continue;
            }
            let member = format!("{name}!{}", m.name());
            let compressed = m.compressed_size();
            let mut r = Guarded::new(m, &member, Some(compressed), guard);
            f(&member, &mut r)?;
        }
        return Ok(());
    }
    if lower.ends_with(".gz") {
        let d = flate2::read::MultiGzDecoder::new(BufReader::new(file));
        return f(&name, &mut Guarded::new(d, &name, Some(size), guard));
    }
    if lower.ends_with(".xz") {
        let d = xz2::read::XzDecoder::new_multi_decoder(BufReader::new(file));
        return f(&name, &mut Guarded::new(d, &name, Some(size), guard));
    }
    f(
        &name,
        &mut Guarded::new(BufReader::new(file), &name, None, guard),
    )
}

/// What a stream may hold.
#[derive(Debug, Clone, Copy)]
struct Guard {
    max_ratio: u64,
    /// Longest line in bytes (None: any).
    max_line: Option<u64>,
    /// Most bytes in all (None: any).
    max_bytes: Option<u64>,
}

impl Guard {
    fn lines(l: &Limits) -> Guard {
        Guard {
            max_ratio: l.max_ratio,
            max_line: Some(l.max_cell_chars),
            max_bytes: None,
        }
    }

    fn document(l: &Limits) -> Guard {
        Guard {
            max_ratio: l.max_ratio,
            max_line: None,
            max_bytes: Some(l.max_decompressed_bytes()),
        }
    }
}

/// A reader that counts what comes out of `inner` and fails, for good, at a breach of its
/// [`Guard`].
struct Guarded<R> {
    inner: R,
    name: String,
    /// Compressed size of a compressed stream.
    compressed: Option<u64>,
    guard: Guard,
    produced: u64,
    line: u64,
    /// Bytes since the last line break.
    run: u64,
    failed: Option<String>,
}

impl<R: Read> Guarded<R> {
    fn new(inner: R, name: &str, compressed: Option<u64>, guard: Guard) -> Guarded<R> {
        Guarded {
            inner,
            name: name.to_string(),
            compressed,
            guard,
            produced: 0,
            line: 1,
            run: 0,
            failed: None,
        }
    }

    fn breach(&self, what: String, key: &'static str, limit: u64) -> String {
        format!("{}: {}", self.name, LimitError { what, key, limit })
    }

    fn check(&mut self, chunk: &[u8]) -> Result<(), String> {
        self.produced += chunk.len() as u64;
        if let Some(most) = self.guard.max_bytes {
            if self.produced > most {
                let mib = most >> 20;
                return Err(self.breach(
                    format!("more than {mib} MiB in one document"),
                    "max_decompressed_mib",
                    mib,
                ));
            }
        }
        if let Some(c) = self.compressed {
            let ratio = self.guard.max_ratio;
            if self.produced > RATIO_FLOOR_BYTES && self.produced > ratio.saturating_mul(c.max(1)) {
                return Err(self.breach(
                    format!("{c} compressed bytes expand more than {ratio}:1"),
                    "max_ratio",
                    ratio,
                ));
            }
        }
        if let Some(most) = self.guard.max_line {
            for part in chunk.split_inclusive(|&b| b == b'\n') {
                self.run += part.len() as u64;
                if self.run > most + 2 {
                    return Err(self.breach(
                        format!("line {} is longer than {most} bytes", self.line),
                        "max_cell_chars",
                        most,
                    ));
                }
                if part.ends_with(b"\n") {
                    self.line += 1;
                    self.run = 0;
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(e) = &self.failed {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                e.clone(),
            ));
        }
        let n = self.inner.read(buf)?;
        if let Err(e) = self.check(&buf[..n]) {
            self.failed = Some(e.clone());
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e));
        }
        Ok(n)
    }
}

/// A CSV record that could not be read. An I/O error (a corrupt stream, or one over a
/// limit) fails the whole file, since half a register is never loaded; any other error is
/// an issue on its line, and reading goes on.
pub fn record_error(
    e: csv::Error,
    file: &str,
    line: u64,
    issues: &mut Vec<RegisterIssue>,
) -> std::io::Result<()> {
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        return Err(std::io::Error::other(e.to_string()));
    }
    issues.push(RegisterIssue {
        file: file.into(),
        line,
        problem: e.to_string(),
    });
    Ok(())
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
