//! The replica's encryption at rest: SQLCipher with a 32-byte raw key (DESIGN §4, issue 5 "encrypted replica").
//!
//! A replica holds NIK, addresses and family data of thousands of people; on a stolen laptop the file must be
//! unreadable without the key. [`state`] tells a plain file from an encrypted one without the key, and
//! [`encrypt_in_place`] turns an existing plain replica (written before encryption, or by a build without a key)
//! into an encrypted one, atomically: the plain file stays whole until the encrypted copy is complete, checked and
//! renamed over it, so a crash at any point leaves one readable replica and a re-run finishes the job.
//!
//! This module does not choose or keep the key: the app generates it and keeps it in the platform's secret store
//! (keyring). It does not re-key an encrypted file (`PRAGMA rekey` does that) or decrypt one.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// What a replica file is, as far as can be told without a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// No file (a first start): it will be created encrypted when opened with a key.
    Missing,
    /// A plain SQLite database (its header reads "SQLite format 3").
    Plain,
    /// Not a plain database: encrypted (or not a database at all, which opening with the key reports).
    Encrypted,
}

/// The first 16 bytes of every plain SQLite database file (sqlite.org/fileformat.html §1.3.1).
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Reads the first bytes of `path` to tell a plain replica from an encrypted one (SQLCipher encrypts the header
/// too: its first 16 bytes are the salt).
///
/// # Errors
/// [`Error::Io`] when the file exists but cannot be read.
pub fn state(path: &Path) -> Result<FileState> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(error) => return Err(error.into()),
    };
    let mut header = Vec::with_capacity(PLAIN_HEADER.len());
    file.take(PLAIN_HEADER.len() as u64).read_to_end(&mut header)?;
    // An empty file is what SQLite leaves after creating a database it never wrote to: plain, and empty.
    Ok(if header.is_empty() || header == PLAIN_HEADER { FileState::Plain } else { FileState::Encrypted })
}

/// What [`encrypt_in_place`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encrypted {
    /// The file was plain and is now encrypted with the key.
    Done,
    /// Nothing to do: the file is already encrypted, or does not exist yet.
    AlreadyEncrypted,
}

/// Encrypts the plain replica at `path` with `key`, in place.
///
/// Steps: checkpoint the plain file's WAL into it; `sqlcipher_export` everything (schema, rows, `user_version`) into
/// `<path>.enkripsi`, keyed; check the copy with the key (`PRAGMA integrity_check`, same row count of `document`);
/// remove the plain file's `-wal` and `-shm` (a plain WAL beside an encrypted file would be read as garbage); rename
/// the copy over `path` and sync the folder. A leftover `<path>.enkripsi` from a crash is replaced. No other process
/// may have the replica open meanwhile (the app runs this before it opens the replica).
///
/// # Errors
/// [`Error::Sqlite`] when the plain file cannot be read or the copy fails its check (the plain file is kept, the
/// copy removed); [`Error::Io`] for file operations.
pub fn encrypt_in_place(path: &Path, key: &[u8; 32]) -> Result<Encrypted> {
    match state(path)? {
        FileState::Missing | FileState::Encrypted => return Ok(Encrypted::AlreadyEncrypted),
        FileState::Plain => {}
    }
    let copy = sibling(path, ".enkripsi");
    remove_if_present(&copy)?;
    let result = export(path, &copy, key).and_then(|documents| check_copy(&copy, key, documents));
    if let Err(error) = result {
        let _ = remove_if_present(&copy);
        return Err(error);
    }
    remove_if_present(&sibling(path, "-wal"))?;
    remove_if_present(&sibling(path, "-shm"))?;
    std::fs::rename(&copy, path)?;
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        // The rename survives a power cut only once the folder is synced (POSIX); best effort elsewhere.
        if let Ok(folder) = std::fs::File::open(folder) {
            let _ = folder.sync_all();
        }
    }
    Ok(Encrypted::Done)
}

/// The SQL literal of a raw SQLCipher key for `PRAGMA key`: `"x'<64 hex digits>'"`.
pub(crate) fn key_literal(key: &[u8; 32]) -> String {
    format!("\"x'{}'\"", hex(key))
}

fn hex(key: &[u8; 32]) -> String {
    key.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Exports the plain database at `path` into a new encrypted file at `copy`; returns its count of documents.
fn export(path: &Path, copy: &Path, key: &[u8; 32]) -> Result<i64> {
    // CREATE: an attached database is opened with the main connection's flags, and the copy is a new file.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Everything committed into the main file, so that nothing is left only in the WAL removed below.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let documents = count_documents(&conn)?;
    let copy_text =
        copy.to_str().ok_or_else(|| Error::Shape(format!("nama berkas bukan UTF-8: {}", copy.display())))?;
    // The key as text `x'<hex>'`: SQLCipher's raw-key form (no passphrase derivation), as `PRAGMA key` takes it.
    conn.execute("ATTACH DATABASE ?1 AS encrypted KEY ?2", [copy_text, &format!("x'{}'", hex(key))])?;
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    conn.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
    Ok(documents)
}

/// Opens `copy` with `key` and checks it: `integrity_check` ok and `documents` documents.
fn check_copy(copy: &Path, key: &[u8; 32], documents: i64) -> Result<()> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.execute_batch(&format!("PRAGMA key = {};", key_literal(key)))?;
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    let copied = count_documents(&conn)?;
    if verdict != "ok" || copied != documents {
        return Err(Error::Sqlite(rusqlite::Error::InvalidParameterName(format!(
            "salinan terenkripsi gagal diperiksa ({verdict}; {copied} dari {documents} dokumen); berkas asli tetap"
        ))));
    }
    drop(conn);
    // The copy's bytes on disk before it replaces the original.
    std::fs::File::open(copy)?.sync_all()?;
    Ok(())
}

/// Documents in the replica, or 0 for a file without the `document` table (created but never migrated).
fn count_documents(conn: &Connection) -> Result<i64> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'document')",
        [],
        |row| row.get(0),
    )?;
    if !exists {
        return Ok(0);
    }
    Ok(conn.query_row("SELECT count(*) FROM document", [], |row| row.get(0))?)
}

/// `path` with `suffix` appended to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}
