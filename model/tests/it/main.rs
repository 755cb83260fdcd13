//! Integration tests of `model` against the shared fixtures (`../shared/fixtures`): a fictional kabupaten in real
//! SI-ASN shapes whose derived facts are known (`expected.json`), read clean and after injecting the dirt that real
//! exports carry.

#![allow(clippy::unwrap_used, unreachable_pub, reason = "test helpers panic on broken fixtures by design")]

mod dirty;
mod fixtures;
mod schema;

use std::path::PathBuf;

/// `<repo>/../shared/fixtures`, or `$LURING_SHARED/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    let shared = std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("fixtures")
}
