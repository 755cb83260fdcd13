//! Opening the officer's replica, encrypted with a key from the secret store (issue 5 "encrypted replica").
//!
//! A data folder holds `replika.sqlite` (SQLCipher, DESIGN §4) and `replika.id`, a random UUID naming the key in the
//! secret store (`kunci-replika:<uuid>`), so the key follows the replica when the folder is moved or renamed. The
//! key is 32 random bytes from the OS generator, used raw (no passphrase derivation: 0.14 ms per open instead of
//! ~97 ms; `../shared/reference/build-notes.md` §1).
//!
//! [`open`] creates the key with a new replica, encrypts a plain replica in place (one written before encryption:
//! `store::encryption::encrypt_in_place`), and refuses to guess: an encrypted replica whose key is gone is reported,
//! never replaced by an empty one, and an existing key is never overwritten.
//!
//! What it does not do: re-key, export a decrypted copy, or keep the key anywhere but the secret store.

use std::path::{Path, PathBuf};

use store::encryption::{self, FileState};
use store::{OpenOptions, Replica};

use crate::secret::{SecretError, SecretStore};

/// The replica file inside a data folder.
pub const FILE_NAME: &str = "replika.sqlite";

/// The file holding the replica's id (a UUID, plain text) inside a data folder.
pub const ID_FILE_NAME: &str = "replika.id";

/// The lock file inside a data folder, held (an OS file lock) while a process opens the replica: two processes
/// starting on a new folder at once must not make two keys, and two must not encrypt one plain file together.
pub const OPEN_LOCK_FILE_NAME: &str = "replika.buka.lock";

/// Why the replica could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    /// The data folder does not hold a replica and `create` was false.
    #[error(
        "folder data {0} belum berisi replika; impor dulu (`luring-cli --data <folder> import siasn-csv <berkas>`) \
         atau sinkronkan dari hub"
    )]
    NotFound(PathBuf),
    /// The replica is encrypted and its key is not in the secret store (another user account, a wiped keyring,
    /// a folder copied from another computer).
    #[error(
        "kunci replika {0} tidak ada di keyring pengguna ini: replika terenkripsi tidak dapat dibuka. Buka dengan \
         akun komputer yang membuatnya, atau pindahkan folder ini dan unduh ulang replika dari hub (perubahan \
         yang belum tersinkron di replika lama tidak dapat dibaca)"
    )]
    KeyMissing(PathBuf),
    /// The replica is encrypted but its id file is gone, so its key cannot be found.
    #[error(
        "berkas {0} hilang: tanpa id itu kunci replika terenkripsi di keyring tidak dapat ditemukan. Kembalikan \
         berkas itu dari cadangan atau dari folder asal (isinya satu UUID); jangan hapus replika"
    )]
    IdMissing(PathBuf),
    /// The id file is damaged.
    #[error("berkas {path} rusak (isi {raw:?} bukan UUID); jangan hapus replika, hubungi admin instansi")]
    BadId {
        /// The id file.
        path: PathBuf,
        /// What it holds (at most 64 characters).
        raw: String,
    },
    /// The key in the secret store is not 32 bytes.
    #[error("kunci replika di keyring rusak ({0} bita, seharusnya 32); hubungi admin instansi")]
    BadKey(usize),
    /// The secret store failed.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The replica failed to open, encrypt or migrate (a wrong key reads as "file is not a database").
    #[error("replika {path}: {source}")]
    Store {
        /// The replica file.
        path: PathBuf,
        /// What the store said.
        source: store::Error,
    },
    /// A file of the data folder could not be read or written.
    #[error("folder data {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// The secret store name of the key of the replica with id `id`.
pub fn key_name(id: &uuid::Uuid) -> String {
    format!("kunci-replika:{id}")
}

/// Opens the replica in `data` with its key from `secrets`, creating folder, id, key and replica when `create`,
/// and encrypting a plain replica first.
///
/// # Errors
/// [`ReplicaError`]: no replica (and not `create`), the id or key is missing or damaged, the secret store failed,
/// or the store could not open, encrypt or migrate the file.
pub fn open(data: &Path, secrets: &dyn SecretStore, create: bool) -> Result<Replica, ReplicaError> {
    let path = data.join(FILE_NAME);
    if !create && encryption::state(&path).ok() == Some(FileState::Missing) {
        return Err(ReplicaError::NotFound(data.to_path_buf()));
    }
    std::fs::create_dir_all(data).map_err(|source| ReplicaError::Io { path: data.to_path_buf(), source })?;
    let lock_path = data.join(OPEN_LOCK_FILE_NAME);
    let lock_error = |source| ReplicaError::Io { path: lock_path.clone(), source };
    let lock =
        std::fs::File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(lock_error)?;
    // Released when `lock` is dropped, or by the OS when the process ends (a crash included).
    lock.lock().map_err(lock_error)?;
    let state = encryption::state(&path).map_err(|source| ReplicaError::Store { path: path.clone(), source })?;
    if state == FileState::Missing && !create {
        return Err(ReplicaError::NotFound(data.to_path_buf()));
    }
    let id = replica_id(data, state == FileState::Missing || state == FileState::Plain)?;
    let name = key_name(&id);
    let key = match secrets.get(&name)? {
        Some(bytes) => <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| ReplicaError::BadKey(bytes.len()))?,
        None if state == FileState::Encrypted => return Err(ReplicaError::KeyMissing(path)),
        None => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(|error| ReplicaError::Io {
                path: path.clone(),
                source: std::io::Error::other(format!("pembangkit acak sistem: {error}")),
            })?;
            secrets.set(&name, &key)?;
            // Read back: a store that silently drops writes must not leave a replica nobody can open.
            if secrets.get(&name)?.as_deref() != Some(&key[..]) {
                return Err(ReplicaError::Secret(SecretError::Store(
                    "kunci yang baru disimpan tidak terbaca kembali".to_owned(),
                )));
            }
            key
        }
    };
    let store_error = |source| ReplicaError::Store { path: path.clone(), source };
    if state == FileState::Plain {
        tracing::info!(path = %path.display(), "mengenkripsi replika lama");
        encryption::encrypt_in_place(&path, &key).map_err(store_error)?;
    }
    let replica = Replica::open(&path, OpenOptions { key: Some(key), ..OpenOptions::default() }).map_err(store_error);
    drop(lock);
    replica
}

/// The replica id of `data`, made when missing and `may_create` (a new or a plain replica; an encrypted replica
/// without its id file has lost the link to its key).
fn replica_id(data: &Path, may_create: bool) -> Result<uuid::Uuid, ReplicaError> {
    let path = data.join(ID_FILE_NAME);
    let io = |source| ReplicaError::Io { path: path.clone(), source };
    match std::fs::read_to_string(&path) {
        Ok(text) => uuid::Uuid::parse_str(text.trim())
            .map_err(|_| ReplicaError::BadId { path: path.clone(), raw: text.chars().take(64).collect() }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && may_create => {
            // Written whole through a temporary file and a rename (under the open lock): never seen half-written.
            let id = uuid::Uuid::new_v4();
            let temporary = data.join(format!("{ID_FILE_NAME}.{}.baru", uuid::Uuid::new_v4().simple()));
            let written = std::fs::write(&temporary, format!("{id}\n"))
                .and_then(|()| std::fs::File::open(&temporary)?.sync_all())
                .and_then(|()| std::fs::rename(&temporary, &path));
            if let Err(source) = written {
                let _ = std::fs::remove_file(&temporary);
                return Err(io(source));
            }
            if let Ok(folder) = std::fs::File::open(data) {
                let _ = folder.sync_all();
            }
            Ok(id)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(ReplicaError::IdMissing(path.clone())),
        Err(source) => Err(io(source)),
    }
}
