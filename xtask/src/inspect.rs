//! `cargo xtask inspect`: setup, then the CLI's inspect commands on the shared fixtures.
//!
//! The `cli` crate does the work; this only builds the command lines and points them at `shared/fixtures`.
//! Everything xtask itself prints goes to standard error, so with `--json` standard output is pure JSON lines.

use anyhow::Result;

use crate::process::Cmd;
use crate::{setup, workspace};

/// Runs setup, then `luring-cli inspect siasn-csv` and `inspect siasn-ws` on the fixtures, passing `extra` to both.
pub(crate) fn run(extra: &[String]) -> Result<()> {
    // Find the fixtures first: a missing shared/ should fail before setup takes its time.
    let fixtures = workspace::shared()?.join("fixtures");
    let root = workspace::root();
    setup::run()?;
    for (source, path) in [("siasn-csv", fixtures.join("export-data-asn.csv")), ("siasn-ws", fixtures.join("ws"))] {
        Cmd::new("cargo")
            .args(["run", "--release", "-p", "cli", "--bin", "luring-cli", "--"])
            .args(["inspect", source])
            .arg(&path)
            .args(extra)
            .dir(&root)
            .run()?;
    }
    Ok(())
}
