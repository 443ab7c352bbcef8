//! The index file: a header, a section table and 8-byte aligned little-endian arrays, read in
//! place from a memory map (no parsing, no per-row allocation on open).
//!
//! Layout: `MAGIC` (8 bytes), format version (u32), section count (u32), metadata length (u64),
//! metadata (JSON: source fingerprints and build statistics), padding to 8, then one entry per
//! section (tag u32, reserved u32, offset u64, length u64), then the sections, each starting on
//! an 8-byte boundary.

use std::ops::Range;

/// First bytes of every index file.
pub(crate) const MAGIC: &[u8; 8] = b"ANCGEO\x00\x01";
/// Bumped whenever the layout or the meaning of a section changes; an older file is rebuilt.
pub(crate) const FORMAT_VERSION: u32 = 3;

/// Plain old data that may be viewed in place: fixed size, any bit pattern valid.
///
/// # Safety
/// Implemented only for primitive integers, which have no padding and no invalid values.
pub(crate) unsafe trait Plain: Copy + 'static {}
unsafe impl Plain for u8 {}
unsafe impl Plain for u16 {}
unsafe impl Plain for u32 {}
unsafe impl Plain for i32 {}
unsafe impl Plain for u64 {}

/// Little-endian bytes of a slice of plain values (the index is only built and read on
/// little-endian machines; `Reader::open` refuses others).
pub(crate) fn bytes_of<T: Plain>(v: &[T]) -> &[u8] {
    // SAFETY: T is a primitive integer (Plain); any such slice is also a valid byte slice.
    unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v)) }
}

/// View bytes as plain values. Panics if misaligned or of a length that is not a multiple of
/// the size: the reader checks both for every section when the file is opened.
pub(crate) fn cast<T: Plain>(b: &[u8]) -> &[T] {
    let size = std::mem::size_of::<T>();
    assert!(
        (b.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>())
            && b.len().is_multiple_of(size),
        "misaligned section"
    );
    // SAFETY: alignment and length checked above; T accepts any bit pattern (Plain).
    unsafe { std::slice::from_raw_parts(b.as_ptr().cast::<T>(), b.len() / size) }
}

/// Builds an index file in memory.
#[derive(Default)]
pub(crate) struct Writer {
    sections: Vec<(u32, Vec<u8>)>,
}

impl Writer {
    pub(crate) fn put<T: Plain>(&mut self, tag: u32, v: &[T]) {
        debug_assert!(
            self.sections.iter().all(|(t, _)| *t != tag),
            "tag {tag} twice"
        );
        self.sections.push((tag, bytes_of(v).to_vec()));
    }

    /// A string table: `tag` holds `n + 1` u32 offsets into the blob at `tag + 1`.
    pub(crate) fn put_strs<S: AsRef<str>>(&mut self, tag: u32, strs: &[S]) {
        let mut offs = Vec::with_capacity(strs.len() + 1);
        let mut blob = Vec::new();
        offs.push(0u32);
        for s in strs {
            blob.extend_from_slice(s.as_ref().as_bytes());
            offs.push(u32::try_from(blob.len()).expect("string table under 4 GB"));
        }
        self.put(tag, &offs);
        self.sections.push((tag + 1, blob));
    }

    /// The whole file, as u64 words so that the buffer is 8-byte aligned in memory too.
    pub(crate) fn finish(self, meta: &[u8]) -> Vec<u64> {
        let mut out: Vec<u8> = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        out.extend_from_slice(&(meta.len() as u64).to_le_bytes());
        out.extend_from_slice(meta);
        pad8(&mut out);
        let table_at = out.len();
        out.resize(table_at + self.sections.len() * 24, 0);
        let mut entries = Vec::with_capacity(self.sections.len());
        for (tag, data) in &self.sections {
            pad8(&mut out);
            entries.push((*tag, out.len() as u64, data.len() as u64));
            out.extend_from_slice(data);
        }
        pad8(&mut out);
        for (i, (tag, off, len)) in entries.into_iter().enumerate() {
            let e = table_at + i * 24;
            out[e..e + 4].copy_from_slice(&tag.to_le_bytes());
            out[e + 8..e + 16].copy_from_slice(&off.to_le_bytes());
            out[e + 16..e + 24].copy_from_slice(&len.to_le_bytes());
        }
        let mut words = vec![0u64; out.len() / 8];
        // SAFETY: u64 words viewed as bytes, same length as `out`.
        let dst =
            unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), out.len()) };
        dst.copy_from_slice(&out);
        words
    }
}

fn pad8(v: &mut Vec<u8>) {
    while !v.len().is_multiple_of(8) {
        v.push(0);
    }
}

/// Why an index file cannot be used (it is then rebuilt).
#[derive(Debug, thiserror::Error)]
pub(crate) enum FormatError {
    #[error("not an Anchornet geography index (bad magic)")]
    Magic,
    #[error("index format version {0}, this program reads {FORMAT_VERSION}")]
    Version(u32),
    #[error("index file truncated or corrupt ({0})")]
    Corrupt(&'static str),
    #[error("index built on a machine of the other byte order")]
    Endian,
}

/// The parsed header of an index file: metadata bytes and the byte range of each section.
pub(crate) struct Header {
    pub meta: Range<usize>,
    pub sections: rustc_hash::FxHashMap<u32, Range<usize>>,
}

pub(crate) fn read_header(b: &[u8]) -> Result<Header, FormatError> {
    if cfg!(target_endian = "big") {
        return Err(FormatError::Endian);
    }
    if b.len() < 24 || &b[..8] != MAGIC {
        return Err(FormatError::Magic);
    }
    let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
    let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    let version = u32_at(8);
    if version != FORMAT_VERSION {
        return Err(FormatError::Version(version));
    }
    let n = u32_at(12) as usize;
    let meta_len = usize::try_from(u64_at(16)).map_err(|_| FormatError::Corrupt("metadata"))?;
    let meta = 24..24usize.saturating_add(meta_len);
    if meta.end > b.len() {
        return Err(FormatError::Corrupt("metadata"));
    }
    let table_at = meta.end.div_ceil(8) * 8;
    if table_at.saturating_add(n.saturating_mul(24)) > b.len() {
        return Err(FormatError::Corrupt("section table"));
    }
    let mut sections = rustc_hash::FxHashMap::default();
    for i in 0..n {
        let e = table_at + i * 24;
        let tag = u32_at(e);
        let off = usize::try_from(u64_at(e + 8)).map_err(|_| FormatError::Corrupt("offset"))?;
        let len = usize::try_from(u64_at(e + 16)).map_err(|_| FormatError::Corrupt("length"))?;
        if !off.is_multiple_of(8) || off.saturating_add(len) > b.len() {
            return Err(FormatError::Corrupt("section bounds"));
        }
        sections.insert(tag, off..off + len);
    }
    Ok(Header { meta, sections })
}
