//! End-to-end support of the desktop (`luring`): a small W3C WebDriver client for WebKitWebDriver
//! (`../shared/reference/tauri-linux.md` §4, route A), the launcher that gives the app its `LURING_*` environment,
//! WebKitWebDriver as a child process, and screenshots.
//!
//! WebKitWebDriver starts the app itself when a session is created, with the driver's own environment and only the
//! binary and arguments of `webkitgtk:browserOptions`; so each session's binary is a tiny shell script
//! ([`Launcher`]) that exports the session's variables and `exec`s the real binary.
//!
//! Nothing here is product code: the E2E test, the demo's tour (`luring-tur`) and the desktop benchmark
//! (`luring-bench-desktop`) use it.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "test support that reports progress and the driver's log"
)]

pub mod webdriver;

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

pub use webdriver::Client;

/// Kab. Contoh Selatan, the instansi of the demo operator (`tools/idp/accounts.json`).
pub const SELATAN: &str = "CB3E94428C058428E040640AAD66431D";

/// The environment variable naming the WebDriver server (e.g. `http://127.0.0.1:4545`).
pub const WEBDRIVER_ENV: &str = "WEBDRIVER_URL";

/// The environment variable overriding the path of the `luring` binary.
pub const APP_ENV: &str = "LURING_APP";

/// The workspace root (`tests/e2e/../..`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// The cargo profile folder this program was built into (`target/debug` or `target/release`), from its own path:
/// `target/<profile>/deps/e2e-…` for a test, `target/<profile>/luring-tur` for a binary.
pub fn profile_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("the path of this program is unknown")?;
    let mut dir = exe.parent().map(Path::to_path_buf).context("this program has no folder")?;
    if dir.file_name().is_some_and(|name| name == "deps") {
        dir.pop();
    }
    Ok(dir)
}

/// The `luring` binary: `$LURING_APP`, else `luring` beside this program's profile folder.
///
/// # Errors
/// When the binary does not exist (it is built by `cargo build -p desktop`).
pub fn luring_binary() -> Result<PathBuf> {
    let path = match std::env::var_os(APP_ENV).filter(|value| !value.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => profile_dir()?.join("luring"),
    };
    if !path.is_file() {
        bail!(
            "the desktop binary {} does not exist: build it with `cargo build -p desktop` (or set {APP_ENV})",
            path.display()
        );
    }
    std::path::absolute(&path).context("the path of the desktop binary")
}

/// A port on 127.0.0.1 that was free a moment ago (bound, read, released).
///
/// # Errors
/// When no port can be bound.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

/// A shell script that exports the session's environment and `exec`s the app: what WebKitWebDriver launches.
#[derive(Debug)]
pub struct Launcher {
    path: PathBuf,
}

impl Launcher {
    /// Writes `<folder>/luring-launcher.sh` starting `binary` with `envs` (and `TAURI_WEBVIEW_AUTOMATION=true`,
    /// without which the webview refuses automation).
    ///
    /// # Errors
    /// When the script cannot be written.
    pub fn write(folder: &Path, binary: &Path, envs: &[(&str, String)]) -> Result<Launcher> {
        let mut script = String::from(
            "#!/bin/sh\n# Written by the desktop E2E support (tests/e2e): the app with its session's environment.\n",
        );
        script.push_str("export TAURI_WEBVIEW_AUTOMATION=true\n");
        for (key, value) in envs {
            script.push_str(&format!("export {key}={}\n", shell_quote(value)));
        }
        script.push_str(&format!("exec {} \"$@\"\n", shell_quote(&binary.to_string_lossy())));
        std::fs::create_dir_all(folder).with_context(|| format!("could not create {}", folder.display()))?;
        let path = folder.join("luring-launcher.sh");
        std::fs::write(&path, script).with_context(|| format!("could not write {}", path.display()))?;
        make_executable(&path)?;
        Ok(Launcher { path })
    }

    /// The script's path (what `webkitgtk:browserOptions.binary` names).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("could not make {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

/// Quotes a word for a POSIX shell.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// WebKitWebDriver as a child process on a free loopback port; killed when dropped.
#[derive(Debug)]
pub struct WebDriverProcess {
    child: Child,
    url: String,
}

impl WebDriverProcess {
    /// Starts `WebKitWebDriver --port=<free>` (with `TAURI_WEBVIEW_AUTOMATION=true`) and waits up to 20 s for its
    /// `/status` to answer.
    ///
    /// # Errors
    /// When the program is missing (apt `webkit2gtk-driver`) or does not answer in time.
    pub async fn start() -> Result<WebDriverProcess> {
        let port = free_port()?;
        let child = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("could not start WebKitWebDriver: install the Debian package webkit2gtk-driver")?;
        let mut process = WebDriverProcess { child, url: format!("http://127.0.0.1:{port}") };
        if let Some(stderr) = process.child.stderr.take() {
            // Keep draining its log so it never blocks on a full pipe; show what looks like a problem.
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if !line.contains("Failed to set fd limit") {
                        eprintln!("WebKitWebDriver: {line}");
                    }
                }
            });
        }
        webdriver::wait_ready(&process.url, Duration::from_secs(20)).await?;
        Ok(process)
    }

    /// The driver's base URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for WebDriverProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where screenshots go, one PNG per screen name.
#[derive(Debug, Clone)]
pub struct Screens {
    dir: PathBuf,
}

impl Screens {
    /// Screenshots into `dir` (created).
    ///
    /// # Errors
    /// When the folder cannot be created.
    pub fn new(dir: &Path) -> Result<Screens> {
        std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
        Ok(Screens { dir: dir.to_owned() })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Waits for the page to settle (two animation frames, then 400 ms: WebDriver screenshots can show the screen as
    /// it was just before the last DOM change), then saves `<name>.png`.
    ///
    /// # Errors
    /// When the screenshot cannot be taken or written.
    pub async fn capture(&self, client: &Client, name: &str) -> Result<PathBuf> {
        let _ = client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                &[],
            )
            .await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let png = client.screenshot().await?;
        let path = self.dir.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("could not write {}", path.display()))?;
        println!("  tangkapan layar: {}", path.display());
        Ok(path)
    }
}

/// Seconds since `started`, for progress lines.
pub fn since(started: Instant) -> String {
    format!("{:.1}s", started.elapsed().as_secs_f64())
}

/// Signs `account` in through the Masuk screen: clicks `#masuk-sso`, reads the URL from `#tautan-masuk` and plays
/// the officer's browser at the real provider ([`idp_harness::sign_in_at`]), then waits (≤ 90 s) for Beranda.
///
/// # Errors
/// When a screen does not appear in time or the provider refuses.
pub async fn sign_in(client: &Client, account: &idp_harness::Account, screens: Option<&Screens>) -> Result<()> {
    client.wait_element("#masuk-sso", Duration::from_secs(60), "the Masuk screen").await?;
    if let Some(screens) = screens {
        screens.capture(client, "masuk").await?;
    }
    client.click_on("#masuk-sso", Duration::from_secs(5)).await?;
    let url = client
        .wait_js(
            "(() => { const e = document.querySelector('#tautan-masuk'); \
               const t = e ? (e.textContent || '').trim() : ''; return t.startsWith('http') ? t : null; })()",
            Duration::from_secs(30),
            "the sign-in URL",
        )
        .await?;
    let url = url.as_str().unwrap_or_default().to_owned();
    let officer = account.clone();
    let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &officer).await });
    tokio::time::timeout(Duration::from_secs(60), browser)
        .await
        .context("the sign-in at the provider took over 60 s")?
        .map_err(|error| anyhow::anyhow!("the sign-in at the provider failed: {error}"))?;
    client.wait_element("#beranda", Duration::from_secs(90), "Beranda after signing in").await?;
    Ok(())
}
