//! The Secret Service session of `cargo xtask test`: the real keyring round trip needs a D-Bus session bus with an
//! unlocked Secret Service, which a headless machine (CI) lacks.
//!
//! [`run`] decides, then runs the command:
//! - `LURING_SECRET_SERVICE` already set: the caller vouches for the session, so the command runs as it is.
//! - A session bus whose `org.freedesktop.secrets` is running (a desktop): no second one is started and the command
//!   runs as it is, without the variable, so the user's own keyring stays untouched; under CI (`CI` set) the variable
//!   is set when the service's default collection answers unlocked.
//! - Otherwise, with `dbus-run-session` and `gnome-keyring-daemon` installed: the command runs inside a private bus
//!   (`dbus-run-session -- sh secret_service.sh COMMAND…`) whose script starts gnome-keyring with a throwaway
//!   keyring, sets `LURING_SECRET_SERVICE=1` once the service answers unlocked, and stops the daemon after the
//!   command; xtask then waits for the bus and the daemon to be gone. `XDG_RUNTIME_DIR` and `XDG_DATA_HOME` point
//!   into a throwaway folder (mode 700) removed afterwards.
//! - Without those programs: a warning, and the command runs without the variable.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};

use crate::process::{self, Cmd};

/// Set to `1` for the tests when a session bus with an unlocked Secret Service is available.
pub(crate) const SECRET_SERVICE_ENV: &str = "LURING_SECRET_SERVICE";

/// The script run inside `dbus-run-session`.
const SESSION_SCRIPT: &str = include_str!("secret_service.sh");

/// The programs a private session runs: `dbus-send` comes with `dbus-run-session` (`dbus-bin`).
const SESSION_PROGRAMS: &[&str] = &["dbus-run-session", "gnome-keyring-daemon", "dbus-send"];

/// The D-Bus name of a running Secret Service.
const SECRETS_NAME: &str = "org.freedesktop.secrets";

/// What to do about the Secret Service before running a command.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// Run the command as it is; the message says why (printed when not empty).
    AsIs(String),
    /// Run it as it is with `LURING_SECRET_SERVICE=1`: a verified Secret Service is already on the session bus.
    Verified(String),
    /// Run it inside a private `dbus-run-session` with a throwaway gnome-keyring.
    Private,
    /// Run it as it is, after this warning: no Secret Service, and none can be started.
    Unavailable(String),
}

/// Runs `command` with a Secret Service when one is available or can be started (see the module doc).
pub(crate) fn run(command: Cmd) -> Result<()> {
    let plan = plan();
    match plan {
        Plan::AsIs(message) => {
            if !message.is_empty() {
                eprintln!("secret-service: {message}");
            }
            command.run()
        }
        Plan::Verified(message) => {
            eprintln!("secret-service: {message}");
            command.env(SECRET_SERVICE_ENV, "1").run()
        }
        Plan::Unavailable(warning) => {
            eprintln!("secret-service: warning: {warning}");
            command.run()
        }
        Plan::Private => run_private(command),
    }
}

/// Runs `command` inside a private D-Bus session with a throwaway, unlocked gnome-keyring.
fn run_private(command: Cmd) -> Result<()> {
    let folder = ThrowawayFolder::create()?;
    let script = folder.path().join("secret_service.sh");
    fs::write(&script, SESSION_SCRIPT).with_context(|| format!("could not write {}", script.display()))?;
    let data = folder.path().join("data");
    fs::create_dir(&data).with_context(|| format!("could not create {}", data.display()))?;
    let result = command
        .inside("dbus-run-session", [OsString::from("--"), OsString::from("sh"), script.into_os_string()])
        .env("XDG_RUNTIME_DIR", &folder.path().to_string_lossy())
        .env("XDG_DATA_HOME", &data.to_string_lossy())
        .env_remove(SECRET_SERVICE_ENV)
        .run();
    // dbus-run-session sends the bus SIGTERM and returns without waiting; the script already stopped the keyring.
    let pids = fs::read_to_string(folder.path().join("pids")).unwrap_or_default();
    for pid in pids.lines().filter_map(|line| line.trim().parse::<u32>().ok()) {
        stop(pid);
    }
    result
}

/// Waits up to 5 s for process `pid` of the session to stop, then kills it.
fn stop(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while running(pid) {
        if Instant::now() >= deadline {
            eprintln!("secret-service: process {pid} of the session is still running after 5 s: killing it");
            // The shell's own `kill`: the procps program may be missing.
            let _ = Cmd::new("sh").args(["-c", "kill -KILL \"$1\"", "kill", &pid.to_string()]).succeeds();
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether process `pid` runs, from `/proc` (a zombie, which only waits for its parent to reap it, has stopped).
fn running(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, state)| !state.starts_with('Z')))
}

/// Decides what to do, from the environment and what the machine has.
fn plan() -> Plan {
    if !cfg!(target_os = "linux") {
        return Plan::AsIs(String::new());
    }
    if let Some(value) = std::env::var_os(SECRET_SERVICE_ENV).filter(|value| !value.is_empty()) {
        return Plan::AsIs(format!(
            "{SECRET_SERVICE_ENV}={} is set: using the session bus as it is",
            value.to_string_lossy()
        ));
    }
    // Like the keyring test itself, which insists on the real store whenever `CI` is set.
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty() && value != "false");
    if let Some(address) = session_bus_address()
        && secret_service_running(&address)
    {
        if !ci {
            return Plan::AsIs(format!(
                "a Secret Service runs on your session bus ({address}): no private one is started, and the real \
                 keyring round trip is left out so your own keyring stays untouched \
                 (`{SECRET_SERVICE_ENV}=1 cargo xtask test` includes it, against that keyring)"
            ));
        }
        if default_collection_unlocked(&address) {
            return Plan::Verified(format!(
                "the session bus ({address}) has a Secret Service with an unlocked default collection: \
                 {SECRET_SERVICE_ENV}=1"
            ));
        }
        return Plan::Unavailable(format!(
            "the session bus ({address}) has a Secret Service whose default collection is not unlocked: running \
             without {SECRET_SERVICE_ENV}, so the real keyring round trip fails under CI"
        ));
    }
    let missing: Vec<&str> = SESSION_PROGRAMS.iter().copied().filter(|program| !process::on_path(program)).collect();
    if missing.is_empty() {
        return Plan::Private;
    }
    let consequence =
        if ci { "the real keyring round trip fails under CI" } else { "the real keyring round trip is skipped" };
    Plan::Unavailable(format!(
        "no Secret Service is available and none can be started ({} not found; `cargo xtask setup` installs the \
         Debian packages dbus-daemon and gnome-keyring): running without {SECRET_SERVICE_ENV}, so {consequence}",
        missing.join(", ")
    ))
}

/// The address of the user's session bus: `DBUS_SESSION_BUS_ADDRESS`, else the `$XDG_RUNTIME_DIR/bus` socket.
fn session_bus_address() -> Option<String> {
    if let Some(address) = std::env::var("DBUS_SESSION_BUS_ADDRESS").ok().filter(|address| !address.is_empty()) {
        return Some(address);
    }
    let bus = Path::new(&std::env::var_os("XDG_RUNTIME_DIR")?).join("bus");
    is_socket(&bus).then(|| format!("unix:path={}", bus.display()))
}

#[cfg(unix)]
fn is_socket(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt as _;
    fs::metadata(path).is_ok_and(|metadata| metadata.file_type().is_socket())
}

#[cfg(not(unix))]
fn is_socket(_path: &Path) -> bool {
    false
}

/// Whether a Secret Service owns its name on the bus at `address` (asked of the bus driver, so nothing is
/// started by D-Bus activation).
fn secret_service_running(address: &str) -> bool {
    dbus_send(address, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner")
        .arg(format!("string:{SECRETS_NAME}"))
        .read()
        .is_ok_and(|reply| reply_says(&reply, "boolean true"))
}

/// Whether the Secret Service at `address` reports its default collection as unlocked.
fn default_collection_unlocked(address: &str) -> bool {
    dbus_send(address, SECRETS_NAME, "/org/freedesktop/secrets/aliases/default", "org.freedesktop.DBus.Properties.Get")
        .args(["string:org.freedesktop.Secret.Collection", "string:Locked"])
        .read()
        .is_ok_and(|reply| reply_says(&reply, "boolean false"))
}

/// A `dbus-send` method call on the bus at `address`, with a short timeout.
fn dbus_send(address: &str, destination: &str, path: &str, method: &str) -> Cmd {
    Cmd::new("dbus-send")
        .arg(format!("--bus={address}"))
        .args(["--print-reply", "--reply-timeout=2000"])
        .arg(format!("--dest={destination}"))
        .args([path, method])
}

/// Whether a `dbus-send --print-reply` answer carries `value` (such as `boolean true`) as its reply, plain or in a
/// variant (`variant boolean false`, the answer of a property).
fn reply_says(reply: &str, value: &str) -> bool {
    let wanted: Vec<&str> = value.split_whitespace().collect();
    reply.lines().skip(1).any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words == wanted || (words.first() == Some(&"variant") && words[1..] == wanted[..])
    })
}

/// A folder of mode 700 under the temporary folder, removed with everything in it when dropped.
#[derive(Debug)]
struct ThrowawayFolder(PathBuf);

impl ThrowawayFolder {
    fn create() -> Result<Self> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.subsec_nanos());
        let path = std::env::temp_dir().join(format!("luring-session-{}-{nanos}", std::process::id()));
        create_private_dir(&path).with_context(|| format!("could not create the folder {}", path.display()))?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ThrowawayFolder {
    fn drop(&mut self) {
        if let Err(error) = fs::remove_dir_all(&self.0) {
            eprintln!("secret-service: could not remove {}: {error}", self.0.display());
        }
    }
}

/// Creates `path` (not its parents) readable by its owner only: `XDG_RUNTIME_DIR` must be mode 700.
#[cfg(unix)]
fn create_private_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    fs::DirBuilder::new().mode(0o700).create(path)
}

#[cfg(not(unix))]
fn create_private_dir(path: &Path) -> io::Result<()> {
    fs::create_dir(path)
}

#[cfg(test)]
mod tests;
