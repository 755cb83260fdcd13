//! xtask's integration tests: the workspace's tidy checks and the dependency rules of DESIGN §2.
//!
//! They are tests so that the project's plain `cargo test --workspace` enforces them.

mod dependency_rules;
mod tidy;

use std::path::{Path, PathBuf};

/// The workspace root: the parent of `xtask/`.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().expect("xtask/ has a parent folder, the workspace root").to_path_buf()
}
