//! The setup step: install what a fresh Debian 12 machine lacks to build and test the whole project.
//!
//! It checks before it installs, so on a ready machine it only reads (`dpkg-query`, `rustup`) and says so.
//! It does not start services: those belong to `.ci/run` and the tests that need them.
//! Its progress lines go to standard error, so a task's standard output stays the commands' own output.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::process::Cmd;
use crate::workspace;

/// Debian packages the project needs, installed with `apt-get install --no-install-recommends`.
// The Tauri/WebKit build packages (libwebkit2gtk-4.1-dev …), Xvfb/xauth and gnome-keyring/keyutils of
// ../shared/reference/tauri-linux.md §1 join this list with the desktop issue.
pub(crate) const APT_PACKAGES: &[&str] = &["pkg-config", "libssl-dev", "build-essential"];

/// The rustup components the test command uses (`cargo fmt`, `cargo clippy`).
const RUST_COMPONENTS: &[&str] = &["rustfmt", "clippy"];

/// Runs the whole setup step: apt packages, rustup components, then the UI's npm packages.
pub(crate) fn run() -> Result<()> {
    let root = workspace::root();
    apt_packages()?;
    rust_components(&root)?;
    ui_packages(&root)?;
    Ok(())
}

/// Installs the missing [`APT_PACKAGES`]; when not root, prints the command to run and fails.
fn apt_packages() -> Result<()> {
    if !Cmd::new("dpkg-query").arg("--version").succeeds() {
        eprintln!(
            "setup: dpkg-query not found, so this is not Debian: make sure these are installed yourself: {}",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES.iter().copied().filter(|package| !apt_installed(package)).collect();
    if missing.is_empty() {
        eprintln!("setup: apt packages present: {}", APT_PACKAGES.join(" "));
        return Ok(());
    }
    eprintln!("setup: apt packages missing: {}", missing.join(" "));
    let update = Cmd::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive");
    let install = Cmd::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    if !is_root()? {
        bail!(
            "setup needs root to install the missing Debian packages; run these, then try again:\n    sudo {update}\n    sudo {install}"
        );
    }
    update.run_on_stderr()?;
    install.run_on_stderr()?;
    Ok(())
}

/// Whether `dpkg` reports `package` as installed (`install ok installed`).
fn apt_installed(package: &str) -> bool {
    // One line per architecture: `libssl-dev` may be known for amd64 and i386.
    Cmd::new("dpkg-query")
        .args(["-W", "-f=${Status}\\n", package])
        .read()
        .is_ok_and(|status| status_says_installed(&status))
}

/// Whether a `dpkg-query -W -f='${Status}\n'` answer has a line whose state is `installed`.
fn status_says_installed(status: &str) -> bool {
    status.lines().any(|line| line.split_whitespace().last() == Some("installed"))
}

fn is_root() -> Result<bool> {
    let uid = Cmd::new("id").arg("-u").read()?;
    Ok(uid.trim() == "0")
}

/// Adds the missing [`RUST_COMPONENTS`] with rustup, for the toolchain that `rust-toolchain.toml` pins.
fn rust_components(root: &Path) -> Result<()> {
    let Ok(installed) = Cmd::new("rustup").args(["component", "list", "--installed"]).dir(root).read() else {
        // Without rustup (a distribution's Rust, say) there is nothing to install with: just check.
        for (component, subcommand) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
            if !Cmd::new("cargo").args([subcommand, "--version"]).dir(root).succeeds() {
                bail!(
                    "rustup is not available and `cargo {subcommand}` does not work: install {component} for this toolchain"
                );
            }
        }
        eprintln!("setup: no rustup, but cargo fmt and cargo clippy work");
        return Ok(());
    };
    let missing: Vec<&str> =
        RUST_COMPONENTS.iter().copied().filter(|component| !component_installed(&installed, component)).collect();
    if missing.is_empty() {
        eprintln!("setup: rust components present: {}", RUST_COMPONENTS.join(" "));
        return Ok(());
    }
    Cmd::new("rustup")
        .args(["component", "add"])
        .args(&missing)
        .dir(root)
        .run_on_stderr()
        .context("could not add the rust components")
}

/// Whether `rustup component list --installed` lists `component` (as `rustfmt` or `rustfmt-x86_64-…`).
fn component_installed(list: &str, component: &str) -> bool {
    list.lines()
        .map(str::trim)
        .any(|line| line == component || line.strip_prefix(component).is_some_and(|rest| rest.starts_with('-')))
}

/// Installs the UI's npm packages when there is a UI package.
fn ui_packages(root: &Path) -> Result<()> {
    let ui = root.join("ui");
    if !ui.join("package.json").is_file() {
        eprintln!("setup: no ui/package.json yet, skipping npm");
        return Ok(());
    }
    let npm =
        if ui.join("package-lock.json").is_file() { Cmd::new("npm").arg("ci") } else { Cmd::new("npm").arg("install") };
    npm.dir(&ui).run_on_stderr()
}

#[cfg(test)]
mod tests;
