//! The setup step: install what a fresh Debian 12 machine lacks to build and test the whole project.
//!
//! It checks before it installs, so on a ready machine it only reads (`dpkg-query`, `rustup`) and says so.
//! It does not start services: the test command starts the D-Bus session with gnome-keyring ([`secret_service`]),
//! and the tests start the local OpenID provider themselves.
//! Its progress lines go to standard error, so a task's standard output stays the commands' own output.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::process::{self, Cmd};
use crate::workspace;

pub(crate) mod secret_service;

/// Debian packages the project needs, installed with `apt-get install --no-install-recommends`.
///
/// `gnome-keyring` is the Secret Service of the real keyring round trip ([`secret_service`]); the D-Bus package that
/// gives it a session bus (`dbus-run-session`) is [`dbus_package`]'s, as its name differs between releases.
/// `libwebkit2gtk-4.1-dev` builds the desktop (Tauri/WebKitGTK; it pulls in GTK, libsoup and libdbus headers);
/// `xvfb`, `xauth` (needed by `xvfb-run`, only a Recommends) and `webkit2gtk-driver` (`WebKitWebDriver`) run its
/// window without a screen for the E2E test, the demo's tour and the desktop benchmark
/// (../shared/reference/tauri-linux.md §1, §4). Not `dbus-x11`: without a session bus it autolaunches daemons that
/// outlive the tests.
pub(crate) const APT_PACKAGES: &[&str] = &[
    "pkg-config",
    "libssl-dev",
    "build-essential",
    "gnome-keyring",
    "libwebkit2gtk-4.1-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
];

/// The rustup components the test command uses (`cargo fmt`, `cargo clippy`).
const RUST_COMPONENTS: &[&str] = &["rustfmt", "clippy"];

/// Runs the whole setup step: apt packages, rustup components, then the npm packages of the UI and of the local
/// OpenID provider.
pub(crate) fn run() -> Result<()> {
    let root = workspace::root();
    apt_packages()?;
    rust_components(&root)?;
    ui_packages(&root)?;
    idp_packages(&root)?;
    Ok(())
}

/// Installs the missing [`APT_PACKAGES`] and [`dbus_package`]; when not root, prints the commands to run and fails.
fn apt_packages() -> Result<()> {
    if !Cmd::new("dpkg-query").arg("--version").succeeds() {
        eprintln!(
            "setup: dpkg-query not found, so this is not Debian: make sure these are installed yourself: {} \
             and dbus-run-session (D-Bus)",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let mut missing: Vec<&str> = APT_PACKAGES.iter().copied().filter(|package| !apt_installed(package)).collect();
    let needs_dbus = !process::on_path("dbus-run-session");
    if missing.is_empty() && !needs_dbus {
        eprintln!("setup: apt packages present: {} (and dbus-run-session)", APT_PACKAGES.join(" "));
        return Ok(());
    }
    let mut shown = missing.clone();
    if needs_dbus {
        shown.push("dbus-daemon/dbus (for dbus-run-session)");
    }
    eprintln!("setup: apt packages missing: {}", shown.join(" "));
    let root = is_root()?;
    let update = || Cmd::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive");
    if root {
        update().run_on_stderr()?;
    }
    // Chosen after `apt-get update`, which lets apt know `dbus-daemon` on a machine that has no package lists yet.
    missing.extend(needs_dbus.then(dbus_package));
    let install = Cmd::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    if !root {
        bail!(
            "setup needs root to install the missing Debian packages; run these, then try again:\n    sudo {}\n    sudo {install}",
            update()
        );
    }
    install.run_on_stderr()?;
    Ok(())
}

/// The Debian package that installs `dbus-run-session`.
///
/// It is `dbus-daemon` in Debian 12 and recent Ubuntu releases, and `dbus` in older ones; `dbus` depends on
/// `dbus-daemon` where that exists, so it is the choice whenever apt does not know `dbus-daemon`.
fn dbus_package() -> &'static str {
    if Cmd::new("apt-cache").args(["show", "--no-all-versions", "dbus-daemon"]).succeeds() {
        "dbus-daemon"
    } else {
        "dbus"
    }
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
    if up_to_date(&ui.join("package-lock.json"), &ui.join("node_modules").join(".package-lock.json")) {
        eprintln!("setup: ui/node_modules matches ui/package-lock.json (delete it to reinstall)");
        return Ok(());
    }
    need_npm("the UI (ui/)")?;
    let npm =
        if ui.join("package-lock.json").is_file() { Cmd::new("npm").arg("ci") } else { Cmd::new("npm").arg("install") };
    npm.args(["--no-audit", "--no-fund"]).dir(&ui).run_on_stderr()
}

/// Whether `installed` (npm's `node_modules/.package-lock.json`, written by every install) exists and is not older
/// than `lock`: then `npm ci` would install the same packages again, and it empties `node_modules` first, under
/// the feet of a running dev server or test watcher.
fn up_to_date(lock: &Path, installed: &Path) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|metadata| metadata.modified()).ok();
    match (modified(lock), modified(installed)) {
        (Some(lock), Some(installed)) => installed >= lock,
        _ => false,
    }
}

/// Installs the local OpenID provider's npm packages (tools/idp) when they are missing.
fn idp_packages(root: &Path) -> Result<()> {
    let idp = root.join("tools").join("idp");
    if idp.join("node_modules").join("oidc-provider").join("package.json").is_file() {
        eprintln!("setup: tools/idp npm packages present");
        return Ok(());
    }
    need_npm("the local OpenID provider (tools/idp)")?;
    Cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]).dir(&idp).run_on_stderr()
}

/// Fails with the command to run when npm is missing.
fn need_npm(for_what: &str) -> Result<()> {
    if process::on_path("npm") {
        return Ok(());
    }
    bail!(
        "npm not found on PATH; {for_what} needs Node.js 20 or later with npm: install it (Debian: \
         `sudo apt-get install nodejs npm`, or from https://nodejs.org), then try again"
    )
}

#[cfg(test)]
mod tests;
