//! The replica's sync bookkeeping (DESIGN §5): a feed cursor per scope, the outbox of local changes, and
//! content-addressed blobs with their transfer state.
//!
//! The outbox is written by [`crate::document`] in the same transaction as each local change; here it is read and
//! drained. A cursor is advanced in the same transaction as the batch it follows ([`set_cursor`] takes the
//! caller's transaction). Blobs are stored in the replica file itself, so they are encrypted with it. This module
//! does not move bytes over the network: that is `sync`.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// A position in a scope's feed on the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedCursor {
    /// The hub's log epoch (changes after a compaction or re-partition; an old epoch means re-bootstrap).
    pub epoch: i64,
    /// The last applied sequence number within the epoch.
    pub seq: i64,
}

/// The cursor of `scope`, if the replica has pulled from it.
///
/// # Errors
/// SQLite errors.
pub fn cursor(conn: &Connection, scope: &str) -> Result<Option<FeedCursor>> {
    Ok(conn
        .prepare_cached("SELECT epoch, seq FROM feed_cursor WHERE scope = ?1")?
        .query_row([scope], |row| Ok(FeedCursor { epoch: row.get(0)?, seq: row.get(1)? }))
        .optional()?)
}

/// Sets the cursor of `scope`, in the caller's transaction (the one applying the batch).
///
/// # Errors
/// SQLite errors.
pub fn set_cursor(tx: &Transaction<'_>, scope: &str, cursor: FeedCursor, now_ms: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO feed_cursor (scope, epoch, seq, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (scope) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, updated_at = excluded.updated_at",
    )?
    .execute(params![scope, cursor.epoch, cursor.seq, now_ms])?;
    Ok(())
}

/// One pending local change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// The change hash (32 bytes), the idempotency key of the push.
    pub change_hash: [u8; 32],
    /// The document it belongs to.
    pub document_rowid: i64,
    /// When it was recorded, ms since the Unix epoch.
    pub created_at: i64,
    /// Push attempts so far.
    pub attempts: i64,
    /// The last error the hub or the network gave.
    pub last_error: Option<String>,
}

/// Up to `limit` pending changes, oldest first.
///
/// # Errors
/// SQLite errors.
pub fn outbox(conn: &Connection, limit: usize) -> Result<Vec<OutboxItem>> {
    let mut statement = conn.prepare_cached(
        "SELECT change_hash, document_rowid, created_at, attempts, last_error FROM outbox \
         ORDER BY created_at, document_rowid LIMIT ?1",
    )?;
    let rows = statement.query_map([limit as i64], |row| {
        let hash: Vec<u8> = row.get(0)?;
        Ok(OutboxItem {
            change_hash: hash.as_slice().try_into().unwrap_or([0; 32]),
            document_rowid: row.get(1)?,
            created_at: row.get(2)?,
            attempts: row.get(3)?,
            last_error: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The number of pending changes and of documents they touch.
///
/// # Errors
/// SQLite errors.
pub fn outbox_size(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row("SELECT count(*), count(DISTINCT document_rowid) FROM outbox", [], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?)
}

/// Removes changes the hub answered `applied` or `duplicate` for (the only answers that end an outbox item).
///
/// # Errors
/// SQLite errors.
pub fn remove_from_outbox(tx: &Transaction<'_>, hashes: &[[u8; 32]]) -> Result<usize> {
    let mut statement = tx.prepare_cached("DELETE FROM outbox WHERE change_hash = ?1")?;
    let mut removed = 0;
    for hash in hashes {
        removed += statement.execute([hash.as_slice()])?;
    }
    Ok(removed)
}

/// Records a failed push attempt with its reason.
///
/// # Errors
/// SQLite errors.
pub fn record_attempt(tx: &Transaction<'_>, hash: &[u8; 32], error: &str) -> Result<()> {
    tx.prepare_cached("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE change_hash = ?1")?
        .execute(params![hash.as_slice(), error])?;
    Ok(())
}

/// The transfer state of a blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobState {
    /// Stored here only; not yet queued.
    Local,
    /// Waiting to be uploaded.
    QueuedUpload,
    /// The hub has it.
    Synced,
    /// Referenced by a document, content not here yet.
    QueuedDownload,
    /// The hub does not have it either.
    Missing,
}

impl BlobState {
    fn as_str(self) -> &'static str {
        match self {
            BlobState::Local => "local",
            BlobState::QueuedUpload => "queued_upload",
            BlobState::Synced => "synced",
            BlobState::QueuedDownload => "queued_download",
            BlobState::Missing => "missing",
        }
    }
}

/// Stores `content` under its SHA-256 and queues it for upload. Returns the hash. Storing the same bytes twice is a
/// no-op.
///
/// # Errors
/// SQLite errors.
pub fn put_blob(tx: &Transaction<'_>, content: &[u8], mime: &str) -> Result<[u8; 32]> {
    let hash: [u8; 32] = Sha256::digest(content).into();
    tx.prepare_cached(
        "INSERT INTO blob (sha256, size, mime, state, bytes_done, content) VALUES (?1, ?2, ?3, ?4, ?2, ?5) \
         ON CONFLICT (sha256) DO NOTHING",
    )?
    .execute(params![hash.as_slice(), content.len() as i64, mime, BlobState::QueuedUpload.as_str(), content])?;
    Ok(hash)
}

/// The content of a blob, verified against its hash.
///
/// # Errors
/// [`Error::NotFound`] when absent or not downloaded; [`Error::Shape`] when the bytes do not match the hash.
pub fn get_blob(conn: &Connection, hash: &[u8; 32]) -> Result<Vec<u8>> {
    let content: Option<Vec<u8>> = conn
        .prepare_cached("SELECT content FROM blob WHERE sha256 = ?1")?
        .query_row([hash.as_slice()], |row| row.get(0))
        .optional()?
        .flatten();
    let content = content.ok_or_else(|| Error::NotFound(format!("blob {}", hex(hash))))?;
    let actual: [u8; 32] = Sha256::digest(&content).into();
    if &actual != hash {
        return Err(Error::Shape(format!("blob {} does not match its hash", hex(hash))));
    }
    Ok(content)
}

/// Sets a blob's transfer state (and progress in bytes).
///
/// # Errors
/// SQLite errors.
pub fn set_blob_state(tx: &Transaction<'_>, hash: &[u8; 32], state: BlobState, bytes_done: i64) -> Result<()> {
    tx.prepare_cached("UPDATE blob SET state = ?2, bytes_done = ?3 WHERE sha256 = ?1")?.execute(params![
        hash.as_slice(),
        state.as_str(),
        bytes_done
    ])?;
    Ok(())
}

/// Lower-case hex of a hash.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
