//! The desktop app (`luring`, package `desktop`) for the tasks that run it: building it, telling whether a screen is
//! there, and the wrapper that gives the test run a virtual screen with WebKitWebDriver (`xvfb-run`, route A of
//! ../shared/reference/tauri-linux.md §4) so the E2E test of `tests/e2e` drives a real window.

use std::net::TcpListener;

use anyhow::{Context as _, Result};

use crate::process::{self, Cmd};
use crate::workspace;

/// The environment variable that tells the E2E test where WebKitWebDriver listens.
pub(crate) const WEBDRIVER_ENV: &str = "WEBDRIVER_URL";

/// The screen of the virtual X server.
pub(crate) const XVFB_SCREEN: &str = "-screen 0 1280x800x24";

/// Run inside `xvfb-run` as `sh -c SCRIPT webdriver PORT COMMAND…`: starts WebKitWebDriver on PORT (with
/// `TAURI_WEBVIEW_AUTOMATION=true`, which the app's webview needs to accept automation), runs COMMAND with
/// `WEBDRIVER_URL` set, then stops the driver (the E2E test waits for its `/status` itself). The exit status is the
/// command's.
const WEBDRIVER_SCRIPT: &str = r#"port="$1"; shift
TAURI_WEBVIEW_AUTOMATION=true WebKitWebDriver --port="$port" &
driver=$!
trap 'kill "$driver" 2>/dev/null' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "desktop-e2e: WebKitWebDriver (pid $driver) on 127.0.0.1:$port, display $DISPLAY" >&2
WEBDRIVER_URL="http://127.0.0.1:$port" "$@"
status=$?
kill "$driver" 2>/dev/null
wait "$driver" 2>/dev/null
exit $status"#;

/// Builds the `luring` binary (debug, for the E2E test).
pub(crate) fn build() -> Result<()> {
    Cmd::new("cargo").args(["build", "-p", "desktop", "--bin", "luring"]).dir(&workspace::root()).run()
}

/// Release builds of everything the demo and the desktop benchmark run: `luring`, `luring-hub`, `luring-cli`,
/// `luring-tur` and `luring-bench-desktop`. Always the same set, so that the two tasks share their artifacts (another
/// set unifies dependency features differently and rebuilds much of the tree).
pub(crate) fn build_release_tools() -> Result<()> {
    Cmd::new("cargo")
        .args(["build", "--release", "-p", "desktop", "-p", "hub", "-p", "e2e", "-p", "cli"])
        .args(["--bin", "luring", "--bin", "luring-hub", "--bin", "luring-tur", "--bin", "luring-cli"])
        .args(["--bin", "luring-bench-desktop"])
        .dir(&workspace::root())
        .run()
}

/// Whether a graphical session is there (`DISPLAY` or `WAYLAND_DISPLAY`).
pub(crate) fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

/// The programs a virtual screen with WebDriver needs that are missing.
pub(crate) fn missing_programs() -> Vec<&'static str> {
    ["xvfb-run", "Xvfb", "xauth", "WebKitWebDriver"].into_iter().filter(|program| !process::on_path(program)).collect()
}

/// A port on 127.0.0.1 that was free a moment ago.
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

/// `command` inside `xvfb-run` with a WebKitWebDriver on a free port (`WEBDRIVER_URL` set for it), when those programs
/// are installed; otherwise `command` as it is, after a warning (the E2E test then skips, or fails under CI).
pub(crate) fn with_webdriver(command: Cmd) -> Result<Cmd> {
    let missing = missing_programs();
    if !missing.is_empty() {
        eprintln!(
            "desktop-e2e: warning: {} not found (`cargo xtask setup` installs the Debian packages xvfb, xauth and \
             webkit2gtk-driver): the desktop E2E test runs without {WEBDRIVER_ENV}, so it skips (and fails under CI)",
            missing.join(", ")
        );
        return Ok(command);
    }
    let port = free_port()?;
    let wrapped = command
        .inside("sh", ["-c", WEBDRIVER_SCRIPT, "webdriver", &port.to_string()])
        .inside("xvfb-run", ["-a", "-s", XVFB_SCREEN])
        .env_remove(WEBDRIVER_ENV);
    Ok(wrapped)
}
