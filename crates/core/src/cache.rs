//! Where Anchornet keeps what it builds once and reopens: the geography index, the Companies
//! House index. One directory for every crate.

use std::path::PathBuf;

/// The cache directory: `$ANCHORNET_CACHE_DIR`, else `$XDG_CACHE_HOME/anchornet`, else
/// `~/.cache/anchornet`, else the system temporary directory's `anchornet`.
pub fn default_cache_dir() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = env("ANCHORNET_CACHE_DIR") {
        return d;
    }
    if let Some(d) = env("XDG_CACHE_HOME") {
        return d.join("anchornet");
    }
    if let Some(h) = env("HOME") {
        return h.join(".cache").join("anchornet");
    }
    std::env::temp_dir().join("anchornet")
}
