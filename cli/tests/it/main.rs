//! Integration tests of `luring-cli`: the built binary run on the shared fixtures and on files written to a
//! temporary folder, checking exit codes, output shapes and messages as an officer or a script sees them.

#![allow(clippy::unwrap_used, clippy::print_stderr, reason = "tests panic on broken setup by design")]

mod check;
mod inspect;
mod pengingat;
mod replika;
mod search_json;
mod sesi;
mod sync;
mod usulan;
mod verifikasi;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// `<repo>/../shared/fixtures`, or `$LURING_SHARED/fixtures`.
fn fixtures_dir() -> PathBuf {
    let shared = std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("fixtures")
}

/// The folder of this test process's replica keys (`LURING_SECRET_STORE=berkas:…`), instead of the user's keyring.
fn secrets() -> PathBuf {
    std::env::temp_dir().join(format!("luring-cli-it-{}-kunci", std::process::id()))
}

/// The built `luring-cli`, keeping replica keys in [`secrets`].
fn cli() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_luring-cli"));
    command.env("LURING_SECRET_STORE", format!("berkas:{}", secrets().display()));
    command
}

/// Opens the (encrypted) replica of data folder `data` as `luring-cli` does, with its key from [`secrets`].
fn open_replica(data: &Path) -> store::Replica {
    app::replica::open(data, &app::secret::FileStore::new(secrets()), false).unwrap()
}

/// Runs `luring-cli` with `args` and returns its output.
fn run(args: &[&str]) -> Output {
    cli().args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A folder of its own under the system temporary folder, removed when dropped.
struct Temp {
    path: PathBuf,
}

impl Temp {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!("luring-cli-it-{}-{}-{name}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).unwrap();
        Temp { path }
    }

    /// Writes `bytes` to `relative` (creating folders) and returns the full path.
    fn file(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
