//! `cargo xtask bench`: the benchmarks of the issues' performance bars, and where their results are recorded;
//! `cargo xtask gen`: the data generator they use.

use anyhow::Result;

use crate::process::Cmd;
use crate::workspace;

/// Where benchmark results are written down, relative to the workspace root.
const RESULTS: &str = "docs/benchmarks.md";

/// Runs the model inspect benchmark and the replica benchmarks, passing `extra` to the bench binaries.
pub(crate) fn run(extra: &[String]) -> Result<()> {
    let root = workspace::root();
    for (package, bench) in [("model", "inspect"), ("store", "document"), ("store", "replica")] {
        let mut cmd = Cmd::new("cargo").args(["bench", "-p", package, "--bench", bench]).dir(&root);
        if !extra.is_empty() {
            cmd = cmd.arg("--").args(extra);
        }
        cmd.run()?;
    }
    println!(
        "bench: record these results (with the machine and the date) in {RESULTS} ({})",
        root.join(RESULTS).display()
    );
    Ok(())
}

/// Runs `luring-gen` (release build) with `extra`: `--pegawai N --seed S --out DIR`.
pub(crate) fn generate(extra: &[String]) -> Result<()> {
    Cmd::new("cargo")
        .args(["run", "--release", "-q", "-p", "generator", "--bin", "luring-gen", "--"])
        .args(extra)
        .dir(&workspace::root())
        .run()
}
