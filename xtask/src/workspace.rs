//! Where things are: the workspace root (found from this crate's manifest) and the `shared/` folder beside it.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

/// The environment variable that overrides where `shared/` is.
pub(crate) const SHARED_ENV: &str = "LURING_SHARED";

/// The workspace root: the parent of `xtask/`, from `CARGO_MANIFEST_DIR`.
///
/// `cargo run` sets that variable at run time too; the compile-time value is the fallback for a bare binary.
pub(crate) fn root() -> PathBuf {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir.parent().map_or_else(|| manifest_dir.clone(), Path::to_path_buf)
}

/// The `shared/` folder: `$LURING_SHARED` if set (made absolute), else `../shared` next to the clone.
///
/// The default is returned relative to [`root`] (`../shared`), so commands run from the root show short paths.
/// Fails with a clear message when the folder does not exist.
pub(crate) fn shared() -> Result<PathBuf> {
    let (shared, shown) = match std::env::var_os(SHARED_ENV) {
        Some(value) if !value.is_empty() => {
            // Commands run from the root, so a relative override is made absolute from where xtask was started.
            let shared = std::path::absolute(&value).with_context(|| format!("{SHARED_ENV} is not a usable path"))?;
            (shared.clone(), shared)
        }
        _ => (root().join("..").join("shared"), PathBuf::from("../shared")),
    };
    if !shared.is_dir() {
        bail!(
            "the shared/ folder was not found at {} (expected `../shared` beside the clone; set {SHARED_ENV} to point elsewhere)",
            shared.display()
        );
    }
    Ok(shown)
}
