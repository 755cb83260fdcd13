//! Secrets kept outside the replica: the platform's secret store (keyring), behind [`SecretStore`].
//!
//! The app keeps exactly one kind of secret there: the replica's random 32-byte SQLCipher key ([`crate::replica`]).
//! Everything else that must stay secret (the refresh token, the officer's identity) lives inside the encrypted
//! replica, so only 32 bytes ever touch the OS store (Windows caps a credential at ~1,280 characters;
//! `../shared/reference/sso.md` §5.1) and there is one place to wipe.
//!
//! Stores:
//! - [`KeyringStore`]: `keyring-core` with the platform store: on Linux the Secret Service over D-Bus (GNOME
//!   Keyring, KWallet) through `zbus-secret-service-keyring-store`; on Windows the Credential Manager
//!   (`windows-native-keyring-store`); on macOS the login Keychain (`apple-native-keyring-store`). Only the Linux
//!   store is built and tested here (CI runs Linux); the other two are compiled on their platforms only.
//! - [`MemoryStore`]: in memory, for unit tests.
//! - [`FileStore`]: one file per secret in a folder, **protecting nothing**; only for tests and for servers
//!   without a keyring where the administrator chooses it explicitly (`LURING_SECRET_STORE=berkas:<folder>`).
//!
//! What this module does not do: choose secret names (callers do), or fall back silently from the keyring to a
//! file: without a keyring the app says so ([`from_env`]).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The keyring "service" every secret of the app is filed under.
pub const SERVICE: &str = "siasn-luring";

/// The environment variable choosing the store: unset or `sistem` → the platform keyring, `berkas:<folder>` → a
/// [`FileStore`] (no protection). There is deliberately no in-memory choice: a replica encrypted with a key that
/// dies with the process could never be opened again.
pub const STORE_VARIABLE: &str = "LURING_SECRET_STORE";

/// Why a secret could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No secret store is reachable (no Secret Service on the session bus, an unknown operating system).
    #[error(
        "penyimpanan rahasia (keyring) sistem tidak tersedia: {0}. Jalankan aplikasi di sesi pengguna yang memiliki \
         keyring (Windows Credential Manager, macOS Keychain, GNOME Keyring/KWallet di Linux), atau untuk server \
         tanpa keyring setel {STORE_VARIABLE}=berkas:<folder> (kunci disimpan tanpa perlindungan)"
    )]
    Unavailable(String),
    /// The store answered with an error (locked keyring, access refused, bad data).
    #[error("penyimpanan rahasia menolak: {0}")]
    Store(String),
    /// A [`FileStore`] file could not be read or written.
    #[error("berkas rahasia {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// Where secrets are kept: get, set and delete small byte strings by name.
///
/// Implementations must be safe to share between threads. Names are short ASCII (`kunci-replika:<uuid>`).
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The secret `name`, or `None` when there is none.
    ///
    /// # Errors
    /// [`SecretError`] when the store cannot be read.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretError>;

    /// Stores `secret` under `name`, replacing what was there.
    ///
    /// # Errors
    /// [`SecretError`] when the store cannot be written.
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), SecretError>;

    /// Removes the secret `name`; removing a missing secret is not an error.
    ///
    /// # Errors
    /// [`SecretError`] when the store cannot be written.
    fn delete(&self, name: &str) -> Result<(), SecretError>;
}

/// The store named by [`STORE_VARIABLE`] (the platform keyring when unset).
///
/// # Errors
/// [`SecretError::Unavailable`] when the platform keyring is not reachable, or the variable names no store.
pub fn from_env() -> Result<Arc<dyn SecretStore>, SecretError> {
    let choice = std::env::var(STORE_VARIABLE).unwrap_or_default();
    let choice = choice.trim();
    if choice.is_empty() || choice == "sistem" {
        return Ok(Arc::new(KeyringStore::platform()?));
    }
    if let Some(folder) = choice.strip_prefix("berkas:").filter(|folder| !folder.is_empty()) {
        tracing::warn!(folder, "rahasia disimpan di berkas tanpa perlindungan ({STORE_VARIABLE})");
        return Ok(Arc::new(FileStore::new(folder)));
    }
    Err(SecretError::Unavailable(format!(
        "{STORE_VARIABLE}={choice:?} tidak dikenal; pakai sistem atau berkas:<folder>"
    )))
}

/// The platform keyring through `keyring-core` (see the module doc for which platforms).
pub struct KeyringStore {
    store: Arc<keyring_core::CredentialStore>,
}

impl fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyringStore").field("store", &self.store.id()).finish()
    }
}

impl KeyringStore {
    /// Connects to the platform's secret store.
    ///
    /// # Errors
    /// [`SecretError::Unavailable`] when there is none (no D-Bus session bus or no Secret Service on it; another
    /// operating system).
    pub fn platform() -> Result<KeyringStore, SecretError> {
        #[cfg(target_os = "linux")]
        {
            let store = zbus_secret_service_keyring_store::Store::new()
                .map_err(|error| SecretError::Unavailable(error.to_string()))?;
            Ok(KeyringStore { store })
        }
        #[cfg(target_os = "windows")]
        {
            let store = windows_native_keyring_store::Store::new()
                .map_err(|error| SecretError::Unavailable(error.to_string()))?;
            Ok(KeyringStore { store })
        }
        #[cfg(target_os = "macos")]
        {
            let store = apple_native_keyring_store::keychain::Store::new()
                .map_err(|error| SecretError::Unavailable(error.to_string()))?;
            Ok(KeyringStore { store })
        }
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
        {
            Err(SecretError::Unavailable("tidak ada keyring yang dikenal untuk sistem operasi ini".to_owned()))
        }
    }

    fn entry(&self, name: &str) -> Result<keyring_core::Entry, SecretError> {
        keyring_core::Entry::new_in_store(&self.store, SERVICE, name).map_err(store_error)
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretError> {
        match self.entry(name)?.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(error) => Err(store_error(error)),
        }
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), SecretError> {
        self.entry(name)?.set_secret(secret).map_err(store_error)
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(error) => Err(store_error(error)),
        }
    }
}

fn store_error(error: keyring_core::Error) -> SecretError {
    match error {
        keyring_core::Error::NoStorageAccess(_) | keyring_core::Error::NoDefaultStore => {
            SecretError::Unavailable(error.to_string())
        }
        other => SecretError::Store(other.to_string()),
    }
}

/// Secrets in memory, shared by clones; gone when the last clone is dropped. For tests.
#[derive(Clone, Default)]
pub struct MemoryStore {
    secrets: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore").field("secrets", &self.secrets().len()).finish()
    }
}

impl MemoryStore {
    fn secrets(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<u8>>> {
        self.secrets.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretError> {
        Ok(self.secrets().get(name).cloned())
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), SecretError> {
        self.secrets().insert(name.to_owned(), secret.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        self.secrets().remove(name);
        Ok(())
    }
}

/// Secrets as files in a folder (mode 0600 on Unix), **without any protection**: whoever reads the folder reads
/// the replica key. For tests, and for headless servers without a keyring when the administrator chooses it.
#[derive(Debug, Clone)]
pub struct FileStore {
    folder: PathBuf,
}

impl FileStore {
    /// A store in `folder` (created on the first write).
    pub fn new(folder: impl Into<PathBuf>) -> FileStore {
        FileStore { folder: folder.into() }
    }

    /// The file of secret `name`: its name with every byte outside `[A-Za-z0-9-]` as `_XX` hex.
    fn file(&self, name: &str) -> PathBuf {
        let mut file = String::with_capacity(name.len());
        for byte in name.bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'-' {
                file.push(char::from(byte));
            } else {
                file.push_str(&format!("_{byte:02X}"));
            }
        }
        self.folder.join(file)
    }
}

impl SecretStore for FileStore {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, SecretError> {
        let path = self.file(name);
        match std::fs::read(&path) {
            Ok(secret) => Ok(Some(secret)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(SecretError::Io { path, source }),
        }
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), SecretError> {
        let path = self.file(name);
        let io = |source| SecretError::Io { path: path.clone(), source };
        std::fs::create_dir_all(&self.folder).map_err(io)?;
        write_private(&path, secret).map_err(io)
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        let path = self.file(name);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(SecretError::Io { path, source }),
        }
    }
}

/// Writes `bytes` to `path` through a temporary sibling of its own and a rename (the folder synced after), readable
/// by the owner only on Unix.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let temporary = path.with_extension(format!("{}.baru", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::File::options();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    if let Some(folder) = path.parent()
        && let Ok(folder) = std::fs::File::open(folder)
    {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(store: &dyn SecretStore) {
        let name = format!("uji:{}", uuid::Uuid::new_v4());
        assert_eq!(store.get(&name).unwrap(), None);
        store.set(&name, b"\x00\x01kunci").unwrap();
        assert_eq!(store.get(&name).unwrap().as_deref(), Some(&b"\x00\x01kunci"[..]));
        store.set(&name, b"lain").unwrap();
        assert_eq!(store.get(&name).unwrap().as_deref(), Some(&b"lain"[..]));
        store.delete(&name).unwrap();
        assert_eq!(store.get(&name).unwrap(), None);
        store.delete(&name).unwrap();
    }

    #[test]
    fn memory_store_round_trip() {
        round_trip(&MemoryStore::default());
    }

    #[test]
    fn file_store_round_trip_with_unsafe_names() {
        let folder = std::env::temp_dir().join(format!("luring-secret-{}", uuid::Uuid::new_v4()));
        let store = FileStore::new(&folder);
        round_trip(&store);
        // A name with path separators stays inside the folder.
        store.set("../../etc/x", b"1").unwrap();
        assert!(folder.join("_2E_2E_2F_2E_2E_2Fetc_2Fx").exists());
        std::fs::remove_dir_all(&folder).unwrap();
    }

    /// The one real round trip against the platform's Secret Service (gnome-keyring under `dbus-run-session` in
    /// CI; `cargo xtask test` sets `LURING_SECRET_SERVICE=1` when it started one). Under CI without that variable
    /// the test fails instead of skipping, so the real store is never silently untested.
    #[test]
    fn platform_keyring_round_trip() {
        if std::env::var("LURING_SECRET_SERVICE").as_deref() != Ok("1") {
            // The same reading of CI as `cargo xtask test`: set, and neither empty nor "false".
            let ci = std::env::var("CI").is_ok_and(|ci| !ci.is_empty() && ci != "false");
            assert!(!ci, "CI must run this test against a real Secret Service (LURING_SECRET_SERVICE=1 is missing)");
            return;
        }
        let store = KeyringStore::platform().expect("the Secret Service is reachable");
        round_trip(&store);
    }
}
