//! `cargo xtask test`, the project's test command: setup, the UI's checks, tests and build, fmt, clippy, the desktop
//! binary, then `cargo test --workspace`.
//!
//! Each step is announced and timed; the first failure stops the run, and a closing summary shows every step.
//! The UI comes before any cargo step: the desktop crate embeds `ui/dist` at compile time. It uses plain
//! `cargo test` (not nextest, which CI may not have). The test step runs where a Secret Service is available, in a
//! private D-Bus session with a throwaway gnome-keyring when need be ([`setup::secret_service`]), so the real
//! keyring round trip runs (`LURING_SECRET_SERVICE=1`); inside that session it runs under `xvfb-run` with a
//! WebKitWebDriver on a free loopback port ([`desktop::with_webdriver`]), so the desktop E2E test (`tests/e2e`)
//! drives the real `luring` window, built just before.

use std::fmt;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use crate::flags::TestOptions;
use crate::process::Cmd;
use crate::{desktop, setup, ui, workspace};

/// The environment variable whose whitespace-separated words are appended to `cargo test --workspace`.
pub(crate) const TEST_ARGS_ENV: &str = "LURING_TEST_ARGS";

/// Runs the test steps that `options` keep, stopping at the first failure.
pub(crate) fn test(options: &TestOptions) -> Result<()> {
    let steps = [
        Step { name: "setup", skipped_by: options.no_setup.then_some("--no-setup"), action: setup::run },
        Step { name: "ui-check", skipped_by: options.quick.then_some("--quick"), action: ui::check_and_test },
        Step { name: "ui-build", skipped_by: None, action: ui::build },
        Step { name: "fmt", skipped_by: options.quick.then_some("--quick"), action: fmt },
        Step { name: "clippy", skipped_by: options.quick.then_some("--quick"), action: clippy },
        Step { name: "desktop", skipped_by: None, action: build_desktop },
        Step { name: "test", skipped_by: None, action: cargo_test },
    ];
    let started = Instant::now();
    let mut outcomes = Vec::with_capacity(steps.len());
    let mut failure = None;
    for (index, step) in steps.iter().enumerate() {
        let outcome = if failure.is_some() {
            Outcome::NotRun
        } else if let Some(flag) = step.skipped_by {
            println!("==> [{}/{}] {}: skipped ({flag})", index + 1, steps.len(), step.name);
            Outcome::Skipped(flag)
        } else {
            println!("==> [{}/{}] {}", index + 1, steps.len(), step.name);
            let step_started = Instant::now();
            let result = (step.action)();
            let elapsed = step_started.elapsed();
            match result {
                Ok(()) => Outcome::Passed(elapsed),
                Err(error) => {
                    failure = Some(error.context(format!("step `{}` failed", step.name)));
                    Outcome::Failed(elapsed)
                }
            }
        };
        outcomes.push((step.name, outcome));
    }
    println!("==> summary of `cargo xtask test`");
    for (name, outcome) in &outcomes {
        println!("  {name:<9} {outcome}");
    }
    let total = seconds(started.elapsed());
    match failure {
        Some(error) => {
            println!("xtask test: FAILED after {total}");
            Err(error)
        }
        None => {
            println!("xtask test: ok in {total}");
            Ok(())
        }
    }
}

/// One step of the test command.
struct Step {
    name: &'static str,
    /// The flag that skips this step, when given.
    skipped_by: Option<&'static str>,
    action: fn() -> Result<()>,
}

/// What became of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed(Duration),
    Failed(Duration),
    Skipped(&'static str),
    NotRun,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Passed(elapsed) => write!(f, "ok      {}", seconds(*elapsed)),
            Self::Failed(elapsed) => write!(f, "FAILED  {}", seconds(*elapsed)),
            Self::Skipped(flag) => write!(f, "skipped ({flag})"),
            Self::NotRun => write!(f, "not run (an earlier step failed)"),
        }
    }
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.1}s", elapsed.as_secs_f64())
}

fn fmt() -> Result<()> {
    Cmd::new("cargo").args(["fmt", "--all", "--", "--check"]).dir(&workspace::root()).run()
}

fn clippy() -> Result<()> {
    Cmd::new("cargo")
        .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
        .dir(&workspace::root())
        .run()
}

/// The `luring` binary that the desktop E2E test launches (a test of another package does not build it).
fn build_desktop() -> Result<()> {
    desktop::build()
}

fn cargo_test() -> Result<()> {
    let extra = std::env::var(TEST_ARGS_ENV).unwrap_or_default();
    let command =
        Cmd::new("cargo").args(["test", "--workspace"]).args(extra.split_whitespace()).dir(&workspace::root());
    let command = desktop::with_webdriver(command)?;
    setup::secret_service::run(command).map_err(|error| {
        if extra.trim().is_empty() { error } else { anyhow!("{error:#} (with {TEST_ARGS_ENV}={extra:?})") }
    })
}
