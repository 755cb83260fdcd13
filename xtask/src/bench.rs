//! `cargo xtask bench`: the `model` crate's inspect benchmark, and where its results are recorded.

use anyhow::Result;

use crate::process::Cmd;
use crate::workspace;

/// Where benchmark results are written down, relative to the workspace root.
const RESULTS: &str = "docs/benchmarks.md";

/// Runs `cargo bench -p model --bench inspect`, passing `extra` to the bench binary.
pub(crate) fn run(extra: &[String]) -> Result<()> {
    let root = workspace::root();
    let mut cmd = Cmd::new("cargo").args(["bench", "-p", "model", "--bench", "inspect"]).dir(&root);
    if !extra.is_empty() {
        cmd = cmd.arg("--").args(extra);
    }
    cmd.run()?;
    println!(
        "bench: record these results (with the machine and the date) in {RESULTS} ({})",
        root.join(RESULTS).display()
    );
    Ok(())
}
