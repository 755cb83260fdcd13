//! `cargo xtask bench`: the benchmarks of the issues' performance bars, and where their results are recorded;
//! `cargo xtask bench desktop`: the desktop's bars in a real window; `cargo xtask gen`: the data generator they use.

use anyhow::{Result, bail};

use crate::process::Cmd;
use crate::{desktop, ui, workspace};

/// Where benchmark results are written down, relative to the workspace root.
const RESULTS: &str = "docs/benchmarks.md";

/// Runs the model inspect benchmark and the replica benchmarks, passing `extra` to the bench binaries.
pub(crate) fn run(extra: &[String]) -> Result<()> {
    if let Some((first, rest)) = extra.split_first()
        && first == "desktop"
    {
        return desktop_bars(rest);
    }
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

/// `bench desktop [--pegawai N]`: release builds of `luring`, `luring-cli` and `luring-bench-desktop` (crate
/// `tests/e2e`), then the benchmark under `xvfb-run` (or on the screen with `--layar`): a replica of N generated
/// pegawai (250,000 by default, kept in `target/bench-desktop` between runs), signed in at the local provider,
/// then cold start to an interactive Pegawai screen, keystroke to results and frame times while scrolling.
fn desktop_bars(extra: &[String]) -> Result<()> {
    let root = workspace::root();
    let on_screen = extra.iter().any(|arg| arg == "--layar");
    let passed: Vec<&String> = extra.iter().filter(|arg| *arg != "--layar").collect();
    ui::build()?;
    desktop::build_release_tools()?;
    let bench = root.join("target").join("release").join("luring-bench-desktop");
    let cmd = if on_screen {
        if !desktop::has_display() {
            bail!("--layar needs a screen (DISPLAY or WAYLAND_DISPLAY)");
        }
        Cmd::new(bench.to_string_lossy())
    } else {
        let missing = desktop::missing_programs();
        if !missing.is_empty() {
            bail!(
                "the desktop bench runs under Xvfb and needs {} (cargo xtask setup installs them)",
                missing.join(", ")
            );
        }
        Cmd::new("xvfb-run").args(["-a", "-s", desktop::XVFB_SCREEN]).arg(&bench)
    };
    cmd.args(passed).dir(&root).run()?;
    println!("bench: record these results (with the machine and the date) in {RESULTS}, section \"Desktop\"");
    Ok(())
}
