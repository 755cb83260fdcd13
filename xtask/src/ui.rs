//! The desktop's web UI (`ui/`, Svelte + Vite): its npm checks and tests, and the build into `ui/dist`, which the
//! desktop crate embeds at compile time (tauri's `generate_context!` fails without it), so it runs before any cargo
//! build or clippy of the workspace.

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use crate::process::Cmd;
use crate::workspace;

/// `ui/` of the workspace.
fn folder() -> PathBuf {
    workspace::root().join("ui")
}

/// The scripts `ui/package.json` defines.
fn scripts() -> Result<Vec<String>> {
    let manifest = folder().join("package.json");
    let text = std::fs::read_to_string(&manifest).with_context(|| format!("could not read {}", manifest.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", manifest.display()))?;
    Ok(json["scripts"].as_object().map(|scripts| scripts.keys().cloned().collect()).unwrap_or_default())
}

/// Whether there is a UI package at all.
pub(crate) fn exists() -> bool {
    folder().join("package.json").is_file()
}

/// `npm run check` (types, svelte-check) and `npm test` (unit tests), each when `package.json` defines it.
pub(crate) fn check_and_test() -> Result<()> {
    if !exists() {
        eprintln!("ui: no ui/package.json yet, nothing to check");
        return Ok(());
    }
    let scripts = scripts()?;
    for (script, args) in [("check", &["run", "check"][..]), ("test", &["test"][..])] {
        if scripts.iter().any(|name| name == script) {
            Cmd::new("npm").args(args).dir(&folder()).env("CI", "true").run()?;
        } else {
            eprintln!("ui: ui/package.json has no `{script}` script, skipped");
        }
    }
    Ok(())
}

/// `npm run build`: writes `ui/dist`, which the desktop embeds.
pub(crate) fn build() -> Result<()> {
    if !exists() {
        bail!("ui/package.json not found: the desktop needs its UI (ui/) built into ui/dist");
    }
    if !folder().join("node_modules").is_dir() {
        bail!("ui/node_modules is missing: run `cargo xtask setup` (npm ci in ui/) first");
    }
    Cmd::new("npm").args(["run", "build"]).dir(&folder()).run()
}
