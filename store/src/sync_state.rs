//! The replica's sync bookkeeping (DESIGN §5): a feed cursor per scope, the outbox of local changes, and
//! content-addressed blobs with their transfer state.
//!
//! The outbox is written by [`crate::document`] in the same transaction as each local change; here it is read and
//! drained. A cursor is advanced in the same transaction as the batch it follows ([`set_cursor`] takes the
//! caller's transaction) and never moves back: a batch replayed after a cut connection leaves it where it is.
//! Blobs are stored in the replica file itself, so they are encrypted with it; every content written or read is
//! checked against its SHA-256, and a blob's state always agrees with whether its content is here (`local`,
//! `queued_upload`, `synced`: content here; `queued_download`, `missing`: not yet). A download cut part-way keeps
//! what arrived in `blob_part` ([`record_blob_part`]), contiguous from byte 0, so it resumes by HTTP Range even
//! after a restart; the parts go when the blob is stored whole or the download is dropped.
//!
//! The repair queue ([`mark_repair`], [`repair_queue`]) lists documents whose copy disagrees with the hub's, for
//! the sync engine's repair phase. This module does not move bytes over the network (that is `sync`) nor decide
//! what disagrees (that is [`crate::replication`]).

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};
use sync::engine::MAX_BLOB_BYTES as MAX_BLOB_BYTES_U64;
use uuid::Uuid;

use crate::document::Kind;
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

/// Advances the cursor of `scope` to `cursor`, in the caller's transaction (the one applying the batch).
///
/// Cursors only move forward, in (epoch, seq) order: a cursor behind the stored one (a replayed or late batch) is
/// ignored and `false` returned; an equal one refreshes `updated_at` (the time of the last successful pull). A
/// hub answer `must-refetch` (the epoch is gone) goes through [`forget_cursor`] and a re-bootstrap instead.
///
/// # Errors
/// SQLite errors.
pub fn set_cursor(tx: &Transaction<'_>, scope: &str, cursor: FeedCursor, now_ms: i64) -> Result<bool> {
    let written = tx
        .prepare_cached(
            "INSERT INTO feed_cursor (scope, epoch, seq, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (scope) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, \
             updated_at = excluded.updated_at \
             WHERE (excluded.epoch, excluded.seq) >= (feed_cursor.epoch, feed_cursor.seq)",
        )?
        .execute(params![scope, cursor.epoch, cursor.seq, now_ms])?;
    Ok(written > 0)
}

/// Forgets the cursor of `scope` (the hub answered `must-refetch`: the scope is bootstrapped again from a
/// snapshot, whose cursor may be in any epoch). Returns whether there was one.
///
/// # Errors
/// SQLite errors.
pub fn forget_cursor(tx: &Transaction<'_>, scope: &str) -> Result<bool> {
    Ok(tx.prepare_cached("DELETE FROM feed_cursor WHERE scope = ?1")?.execute([scope])? > 0)
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
    /// The value stored in `blob.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlobState::Local => "local",
            BlobState::QueuedUpload => "queued_upload",
            BlobState::Synced => "synced",
            BlobState::QueuedDownload => "queued_download",
            BlobState::Missing => "missing",
        }
    }

    /// The inverse of [`Self::as_str`].
    pub fn parse(text: &str) -> Option<BlobState> {
        match text {
            "local" => Some(BlobState::Local),
            "queued_upload" => Some(BlobState::QueuedUpload),
            "synced" => Some(BlobState::Synced),
            "queued_download" => Some(BlobState::QueuedDownload),
            "missing" => Some(BlobState::Missing),
            _ => None,
        }
    }

    /// Whether a blob in this state has its content here.
    pub fn has_content(self) -> bool {
        matches!(self, BlobState::Local | BlobState::QueuedUpload | BlobState::Synced)
    }
}

/// What the replica knows about one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    /// Size in bytes.
    pub size: i64,
    /// MIME type.
    pub mime: String,
    /// Transfer state.
    pub state: BlobState,
    /// Bytes transferred so far in the current upload or download (0 when nothing is moving).
    pub bytes_done: i64,
    /// Whether the content is stored here.
    pub has_content: bool,
}

/// Stores `content` under its SHA-256 and queues it for upload. Returns the hash. Storing bytes that are already
/// here is a no-op; storing the content of a blob that was only referenced (`queued_download` or `missing`) fills
/// it in: `synced` if the hub has it, `queued_upload` if not.
///
/// # Errors
/// SQLite errors.
pub fn put_blob(tx: &Transaction<'_>, content: &[u8], mime: &str) -> Result<[u8; 32]> {
    let hash: [u8; 32] = Sha256::digest(content).into();
    tx.prepare_cached(
        "INSERT INTO blob (sha256, size, mime, state, bytes_done, content) VALUES (?1, ?2, ?3, ?4, 0, ?5) \
         ON CONFLICT (sha256) DO UPDATE SET content = excluded.content, size = excluded.size, bytes_done = 0, \
         state = CASE blob.state WHEN 'queued_download' THEN 'synced' ELSE 'queued_upload' END \
         WHERE blob.content IS NULL",
    )?
    .execute(params![hash.as_slice(), content.len() as i64, mime, BlobState::QueuedUpload.as_str(), content])?;
    // A download of it that was under way is not needed any more.
    tx.prepare_cached("DELETE FROM blob_part WHERE sha256 = ?1")?.execute([hash.as_slice()])?;
    Ok(hash)
}

/// Records a blob a document references whose content is not here (state `queued_download`). Returns `false` when
/// the replica already knows the blob (then nothing changes).
///
/// # Errors
/// SQLite errors.
pub fn want_blob(tx: &Transaction<'_>, hash: &[u8; 32], size: i64, mime: &str) -> Result<bool> {
    let inserted = tx
        .prepare_cached(
            "INSERT INTO blob (sha256, size, mime, state, bytes_done, content) VALUES (?1, ?2, ?3, ?4, 0, NULL) \
             ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![hash.as_slice(), size, mime, BlobState::QueuedDownload.as_str()])?;
    Ok(inserted > 0)
}

/// Stores the downloaded content of the wanted blob `hash` (state becomes `synced`), after checking that the bytes
/// hash to it.
///
/// # Errors
/// [`Error::Shape`] when `content` does not hash to `hash` (nothing is written: download it again);
/// [`Error::NotFound`] when the blob was never wanted ([`want_blob`]); SQLite errors.
pub fn put_downloaded_blob(tx: &Transaction<'_>, hash: &[u8; 32], content: &[u8]) -> Result<()> {
    let actual: [u8; 32] = Sha256::digest(content).into();
    if &actual != hash {
        return Err(Error::Shape(format!("downloaded blob {} hashes to {}", hex(hash), hex(&actual))));
    }
    let known = blob(tx, hash)?.ok_or_else(|| Error::NotFound(format!("blob {}", hex(hash))))?;
    tx.prepare_cached("DELETE FROM blob_part WHERE sha256 = ?1")?.execute([hash.as_slice()])?;
    tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?
        .execute([format!("{BLOB_MISMATCH_KEY_PREFIX}{}", hex(hash))])?;
    if known.has_content {
        return Ok(());
    }
    tx.prepare_cached("UPDATE blob SET content = ?2, size = ?3, state = 'synced', bytes_done = 0 WHERE sha256 = ?1")?
        .execute(params![hash.as_slice(), content, content.len() as i64])?;
    Ok(())
}

/// What the replica knows about blob `hash`, if anything.
///
/// # Errors
/// SQLite errors; [`Error::Shape`] for a state this build does not know.
pub fn blob(conn: &Connection, hash: &[u8; 32]) -> Result<Option<BlobInfo>> {
    let row: Option<(i64, String, String, i64, bool)> = conn
        .prepare_cached("SELECT size, mime, state, bytes_done, content IS NOT NULL FROM blob WHERE sha256 = ?1")?
        .query_row([hash.as_slice()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))
        .optional()?;
    row.map(|(size, mime, state, bytes_done, has_content)| {
        let state = BlobState::parse(&state).ok_or_else(|| Error::Shape(format!("blob state {state}")))?;
        Ok(BlobInfo { size, mime, state, bytes_done, has_content })
    })
    .transpose()
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

/// Sets a blob's transfer state and the bytes moved so far in that transfer (upload or download progress).
///
/// # Errors
/// [`Error::NotFound`] for an unknown blob; [`Error::Shape`] when the state disagrees with the content (`local`,
/// `queued_upload` and `synced` need the content here, `queued_download` and `missing` need it absent: content
/// arrives through [`put_blob`] or [`put_downloaded_blob`]) or `bytes_done` is outside `0..=size`; SQLite errors.
pub fn set_blob_state(tx: &Transaction<'_>, hash: &[u8; 32], state: BlobState, bytes_done: i64) -> Result<()> {
    let known = blob(tx, hash)?.ok_or_else(|| Error::NotFound(format!("blob {}", hex(hash))))?;
    if state.has_content() != known.has_content {
        return Err(Error::Shape(format!(
            "blob {} {} its content, so it cannot be {}",
            hex(hash),
            if known.has_content { "has" } else { "lacks" },
            state.as_str()
        )));
    }
    if !(0..=known.size).contains(&bytes_done) {
        return Err(Error::Shape(format!("blob {}: {bytes_done} of {} bytes", hex(hash), known.size)));
    }
    tx.prepare_cached("UPDATE blob SET state = ?2, bytes_done = ?3 WHERE sha256 = ?1")?.execute(params![
        hash.as_slice(),
        state.as_str(),
        bytes_done
    ])?;
    Ok(())
}

/// A blob waiting to move: an item of [`upload_queue`] or [`download_queue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedBlob {
    /// Its SHA-256.
    pub sha256: [u8; 32],
    /// Its size in bytes (for a download, as the referencing document gave it: 0 when it did not).
    pub size: i64,
    /// Bytes moved so far in the current transfer (for a download, the bytes kept in `blob_part`).
    pub bytes_done: i64,
}

fn queued_blob(row: &rusqlite::Row<'_>) -> rusqlite::Result<QueuedBlob> {
    let hash: Vec<u8> = row.get(0)?;
    Ok(QueuedBlob { sha256: hash.as_slice().try_into().unwrap_or([0; 32]), size: row.get(1)?, bytes_done: row.get(2)? })
}

/// The largest blob the hub accepts, bytes, as SQLite counts.
const MAX_BLOB_BYTES: i64 = MAX_BLOB_BYTES_U64 as i64;

/// Blobs whose content is here and that wait for upload (`queued_upload`), at most `limit`, by hash. A `local`
/// blob is not queued: it is kept here only.
///
/// # Errors
/// SQLite errors.
pub fn upload_queue(conn: &Connection, limit: usize) -> Result<Vec<QueuedBlob>> {
    let mut statement = conn.prepare_cached(
        "SELECT sha256, size, bytes_done FROM blob WHERE state = 'queued_upload' AND content IS NOT NULL \
         ORDER BY sha256 LIMIT ?1",
    )?;
    let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], queued_blob)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Blobs referenced but not here, at most `limit`: those waiting for a download (`queued_download`) first, then
/// with `include_missing` those the hub did not serve last time (`missing`); by hash within each. A blob whose
/// download gave wrong bytes ([`record_blob_mismatch`]) is offered only with `include_missing` (ordinary runs, not
/// live mode's long-polls), and not at all after [`MAX_BLOB_MISMATCHES`] of them.
///
/// # Errors
/// SQLite errors.
pub fn download_queue(conn: &Connection, limit: usize, include_missing: bool) -> Result<Vec<QueuedBlob>> {
    let mut statement = conn.prepare_cached(
        "SELECT sha256, size, bytes_done FROM blob WHERE content IS NULL \
         AND (state = 'queued_download' OR (?2 AND state = 'missing')) \
         AND coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?3 || lower(hex(blob.sha256))), 0) \
             < CASE WHEN ?2 THEN ?4 ELSE 1 END \
         ORDER BY state = 'missing', sha256 LIMIT ?1",
    )?;
    let rows = statement.query_map(
        params![
            i64::try_from(limit).unwrap_or(i64::MAX),
            include_missing,
            BLOB_MISMATCH_KEY_PREFIX,
            i64::from(MAX_BLOB_MISMATCHES)
        ],
        queued_blob,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Keeps `bytes` received at byte `offset` of the download of blob `hash` (a download cut part-way), and sets its
/// `bytes_done` to `offset + bytes.len()`. Parts from `offset` on are replaced. Nothing happens for a blob whose
/// content is here already. The blob's `size` is not changed: the bytes kept never go past it when the
/// referencing document gave one, nor past [`sync::engine::MAX_BLOB_BYTES`].
///
/// # Errors
/// [`Error::NotFound`] for a blob the replica does not know; [`Error::Shape`] when `offset` is past the bytes kept
/// (a gap) or the bytes would go past the blob's size (nothing is written); SQLite errors.
pub fn record_blob_part(tx: &Transaction<'_>, hash: &[u8; 32], offset: i64, bytes: &[u8]) -> Result<()> {
    let known = blob(tx, hash)?.ok_or_else(|| Error::NotFound(format!("blob {}", hex(hash))))?;
    if known.has_content || bytes.is_empty() {
        return Ok(());
    }
    if offset < 0 || offset > known.bytes_done {
        return Err(Error::Shape(format!(
            "blob {}: bagian di byte {offset}, padahal baru {} byte tersimpan",
            hex(hash),
            known.bytes_done
        )));
    }
    let limit = if known.size > 0 { known.size.min(MAX_BLOB_BYTES) } else { MAX_BLOB_BYTES };
    let end = i64::try_from(bytes.len()).ok().and_then(|len| offset.checked_add(len));
    if end.is_none_or(|end| end > limit) {
        return Err(Error::Shape(format!(
            "blob {}: bagian di byte {offset} sepanjang {} byte melewati ukuran berkas ({limit} byte)",
            hex(hash),
            bytes.len()
        )));
    }
    tx.prepare_cached("DELETE FROM blob_part WHERE sha256 = ?1 AND start >= ?2")?
        .execute(params![hash.as_slice(), offset])?;
    tx.prepare_cached("INSERT INTO blob_part (sha256, start, bytes) VALUES (?1, ?2, ?3)")?.execute(params![
        hash.as_slice(),
        offset,
        bytes
    ])?;
    let done = offset + bytes.len() as i64;
    tx.prepare_cached("UPDATE blob SET bytes_done = ?2 WHERE sha256 = ?1")?.execute(params![hash.as_slice(), done])?;
    Ok(())
}

/// The bytes kept of an interrupted download of blob `hash`, from byte 0; `None` when they are not contiguous from
/// byte 0 or do not add up to its `bytes_done` (drop them with [`drop_blob_parts`]).
///
/// # Errors
/// SQLite errors.
pub fn blob_parts(conn: &Connection, hash: &[u8; 32]) -> Result<Option<Vec<u8>>> {
    let done: i64 = conn
        .prepare_cached("SELECT bytes_done FROM blob WHERE sha256 = ?1")?
        .query_row([hash.as_slice()], |row| row.get(0))
        .optional()?
        .unwrap_or(0);
    let mut statement = conn.prepare_cached("SELECT start, bytes FROM blob_part WHERE sha256 = ?1 ORDER BY start")?;
    let mut rows = statement.query([hash.as_slice()])?;
    let mut whole = Vec::new();
    while let Some(row) = rows.next()? {
        let start: i64 = row.get(0)?;
        let bytes: Vec<u8> = row.get(1)?;
        if start != whole.len() as i64 {
            return Ok(None);
        }
        whole.extend_from_slice(&bytes);
    }
    Ok((whole.len() as i64 == done).then_some(whole))
}

/// Drops the bytes kept of a download of blob `hash` (its `bytes_done` goes back to 0 when its content is not
/// here): the next download starts at byte 0.
///
/// # Errors
/// SQLite errors.
pub fn drop_blob_parts(tx: &Transaction<'_>, hash: &[u8; 32]) -> Result<()> {
    tx.prepare_cached("DELETE FROM blob_part WHERE sha256 = ?1")?.execute([hash.as_slice()])?;
    tx.prepare_cached("UPDATE blob SET bytes_done = 0 WHERE sha256 = ?1 AND content IS NULL")?
        .execute([hash.as_slice()])?;
    Ok(())
}

/// `meta` key prefix of the count of wrong downloads of a blob (followed by its SHA-256 in lowercase hex).
pub const BLOB_MISMATCH_KEY_PREFIX: &str = "blob_mismatch:";
/// Downloads of a blob that gave wrong bytes (not its SHA-256, or more bytes than it has) after which it is not
/// downloaded again automatically.
pub const MAX_BLOB_MISMATCHES: u32 = sync::engine::MAX_BLOB_MISMATCHES;

/// A download of blob `hash` gave bytes that are not the blob: its kept parts are dropped and its count of wrong
/// downloads goes up (its state stays). Returns the new count. From the first one [`download_queue`] offers it
/// only to ordinary runs (not to live mode's long-polls, which do not include `missing` blobs); at
/// [`MAX_BLOB_MISMATCHES`] it is not offered for download any more.
///
/// # Errors
/// SQLite errors.
pub fn record_blob_mismatch(tx: &Transaction<'_>, hash: &[u8; 32]) -> Result<u32> {
    drop_blob_parts(tx, hash)?;
    let key = format!("{BLOB_MISMATCH_KEY_PREFIX}{}", hex(hash));
    let count: u32 = tx
        .prepare_cached("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1")?
        .query_row([&key], |row| row.get::<_, i64>(0))
        .optional()?
        .and_then(|count| u32::try_from(count).ok())
        .unwrap_or(0)
        .saturating_add(1);
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, count.to_string()])?;
    Ok(count)
}

/// How many blobs are in each state, for `status`: (state, count), by state name.
///
/// # Errors
/// SQLite errors; [`Error::Shape`] for a state this build does not know.
pub fn blob_counts(conn: &Connection) -> Result<Vec<(BlobState, i64)>> {
    let mut statement = conn.prepare_cached("SELECT state, count(*) FROM blob GROUP BY state ORDER BY state")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))?;
    let mut counts = Vec::new();
    for row in rows {
        let (state, count) = row?;
        let state = BlobState::parse(&state).ok_or_else(|| Error::Shape(format!("blob state {state}")))?;
        counts.push((state, count));
    }
    Ok(counts)
}

/// Marks document `id` of `scope` (of `kind`) for repair because of `reason`, in the caller's transaction (the one
/// that found the disagreement). Marking it again refreshes the reason and gives it a fresh count of attempts.
///
/// # Errors
/// SQLite errors.
pub fn mark_repair(tx: &Transaction<'_>, id: Uuid, scope: &str, kind: Kind, reason: &str, now_ms: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO document_repair (id, scope, kind, reason, attempts, last_error, updated_at) \
         VALUES (?1, ?2, ?3, ?4, 0, NULL, ?5) \
         ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, kind = excluded.kind, reason = excluded.reason, \
         attempts = 0, last_error = NULL, updated_at = excluded.updated_at",
    )?
    .execute(params![id.as_bytes().as_slice(), scope, kind.as_str(), reason, now_ms])?;
    Ok(())
}

/// One document of the repair queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairMark {
    /// The document.
    pub id: Uuid,
    /// What it holds.
    pub kind: Kind,
    /// Why it was marked.
    pub reason: String,
    /// Failed repairs since it was marked.
    pub attempts: i64,
    /// Why the last repair failed.
    pub last_error: Option<String>,
}

/// Failed repairs after which a document is left alone until something marks it again (a later feed change).
pub const MAX_REPAIR_ATTEMPTS: i64 = 3;

/// Documents of `scope` to repair, at most `limit`, oldest mark first: those marked, and the scope's quarantined
/// documents (marked here, once, with their quarantine reason); not those that failed [`MAX_REPAIR_ATTEMPTS`]
/// times.
///
/// # Errors
/// SQLite errors.
pub fn repair_queue(tx: &Transaction<'_>, scope: &str, limit: usize, now_ms: i64) -> Result<Vec<RepairMark>> {
    tx.prepare_cached(
        "INSERT INTO document_repair (id, scope, kind, reason, updated_at) \
         SELECT id, scope, kind, 'karantina: ' || quarantined, ?2 FROM document \
         WHERE scope = ?1 AND quarantined IS NOT NULL ORDER BY rowid \
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![scope, now_ms])?;
    repair_marks(tx, Some(scope), Some(MAX_REPAIR_ATTEMPTS), limit)
}

/// The repair queue as it stands (of `scope`, or every scope; below `max_attempts`, or all), oldest mark first.
///
/// # Errors
/// SQLite errors.
pub fn repair_marks(
    conn: &Connection,
    scope: Option<&str>,
    max_attempts: Option<i64>,
    limit: usize,
) -> Result<Vec<RepairMark>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, kind, reason, attempts, last_error FROM document_repair \
         WHERE (?1 IS NULL OR scope = ?1) AND (?2 IS NULL OR attempts < ?2) ORDER BY updated_at, id LIMIT ?3",
    )?;
    let rows = statement.query_map(params![scope, max_attempts, i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
        Ok((
            row.get::<_, Vec<u8>>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut marks = Vec::new();
    for row in rows {
        let (id, kind, reason, attempts, last_error) = row?;
        let id = Uuid::from_slice(&id).map_err(|_| Error::Shape("id dokumen perbaikan bukan 16 byte".into()))?;
        let kind = Kind::parse(&kind).ok_or_else(|| Error::Shape(format!("jenis dokumen {kind}")))?;
        marks.push(RepairMark { id, kind, reason, attempts, last_error });
    }
    Ok(marks)
}

/// Records a failed repair of document `id`: one more attempt, with `error`.
///
/// # Errors
/// SQLite errors.
pub fn repair_failed(tx: &Transaction<'_>, id: Uuid, error: &str, now_ms: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE document_repair SET attempts = attempts + 1, last_error = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id.as_bytes().as_slice(), error, now_ms])?;
    Ok(())
}

/// Gives up the repair of document `id` (it counts as failed [`MAX_REPAIR_ATTEMPTS`] times: no further attempts
/// until it is marked again), with `error`.
///
/// # Errors
/// SQLite errors.
pub fn give_up_repair(tx: &Transaction<'_>, id: Uuid, error: &str, now_ms: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE document_repair SET attempts = max(attempts + 1, ?4), last_error = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![id.as_bytes().as_slice(), error, now_ms, MAX_REPAIR_ATTEMPTS])?;
    Ok(())
}

/// Takes document `id` out of the repair queue (it was repaired). Returns whether it was queued.
///
/// # Errors
/// SQLite errors.
pub fn clear_repair(tx: &Transaction<'_>, id: Uuid) -> Result<bool> {
    Ok(tx.prepare_cached("DELETE FROM document_repair WHERE id = ?1")?.execute([id.as_bytes().as_slice()])? > 0)
}

/// Lower-case hex of a hash.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
