//! Automerge documents in SQLite: the latest full save plus the incremental chunks written since, and the heads.
//!
//! sync.md §5.3: a write appends `save_after(previous heads)` as a chunk instead of rewriting the whole document;
//! [`compact`] folds the chunks back into one save when there are more than [`MAX_CHUNKS`] or [`MAX_CHUNK_BYTES`].
//! Every local change is also put in the outbox (keyed by change hash) in the same transaction, so an edit and its
//! pending upload are never separated by a crash. A document whose stored bytes cannot be loaded is quarantined
//! (marked with the reason and left out of projections) instead of failing the replica.
//!
//! A bulk import stores new pegawai as [`Seed`]s instead (the record's JSON and the actor, time and message of its
//! first change): building ~70-field automerge documents is what made imports slow, and a seed materialises into
//! the same bytes whenever that happens. [`load`] materialises transparently, the first write ([`append`],
//! [`store_after`]) replaces the seed with a real save, and [`compact_imported`] materialises the rest when the
//! replica is idle. A seed's first change is not in the outbox: the record came from SI-ASN data, not from an
//! officer's edit (the hub asks for it as a missing dependency if an edit built on it is pushed).
//!
//! This module stores bytes; it does not interpret what a document holds (that is [`crate::projection`]).

use std::cell::RefCell;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sync::{ActorId, ChangeHash, Document};
use uuid::Uuid;

use crate::{Error, Result};

/// Fold chunks into a new save once a document has more than this many.
pub const MAX_CHUNKS: i64 = 16;
/// Fold chunks into a new save once they hold more than this many bytes.
pub const MAX_CHUNK_BYTES: i64 = 8 * 1024;

/// The kinds of record, each its own document type (DESIGN §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One ASN.
    Pegawai,
    /// One usulan.
    Usulan,
    /// One field verification visit.
    VerifikasiLapangan,
}

impl Kind {
    /// The value stored in `document.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pegawai => "pegawai",
            Kind::Usulan => "usulan",
            Kind::VerifikasiLapangan => "verifikasi_lapangan",
        }
    }

    /// The inverse of [`Self::as_str`].
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "pegawai" => Some(Kind::Pegawai),
            "usulan" => Some(Kind::Usulan),
            "verifikasi_lapangan" => Some(Kind::VerifikasiLapangan),
            _ => None,
        }
    }
}

/// A document not built yet: the JSON value and the parameters of the one change that will create it.
///
/// Stored as JSON in `document.seed`: `{"actor": hex, "time_ms": i64, "message": string, "value": object}`.
/// [`Seed::materialize`] is deterministic: the same seed always gives the same change hash and bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seed {
    /// The automerge actor of the first change, hex.
    pub actor: String,
    /// The first change's time, milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// The first change's message (`"impor siasn-csv export.csv"`).
    pub message: String,
    /// The record's JSON form (what [`Document::reconcile`] writes).
    pub value: Value,
}

/// zstd level of stored seeds: a fast level; seeds live only until [`compact_imported`] replaces them.
pub const SEED_ZSTD_LEVEL: i32 = 1;

/// The first bytes of a zstd frame (RFC 8878 §3.1.1).
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// The largest seed JSON read back: 16 MiB (a pegawai with every riwayat is a few hundred KB).
const MAX_SEED_JSON: usize = 16 << 20;

impl Seed {
    /// A seed of `value` written by `actor` at `time_ms`.
    pub fn new(actor: &ActorId, time_ms: i64, message: &str, value: Value) -> Seed {
        Seed { actor: actor.to_hex_string(), time_ms, message: message.to_owned(), value }
    }

    /// The stored form: its JSON compressed as one zstd frame (level [`SEED_ZSTD_LEVEL`]; a seed of a CSV-imported pegawai is ~2 KB of
    /// JSON, about half of that compressed, and the import writes every byte twice, to the WAL and to the database).
    pub fn encode(&self) -> Vec<u8> {
        thread_local! {
            /// One compression context per thread: making one per seed cost more than compressing.
            static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
        }
        let json = serde_json::to_vec(self).unwrap_or_default();
        COMPRESSOR
            .with(|compressor| {
                let mut compressor = compressor.borrow_mut();
                if compressor.is_none() {
                    *compressor = zstd::bulk::Compressor::new(SEED_ZSTD_LEVEL).ok();
                }
                compressor.as_mut().and_then(|compressor| compressor.compress(&json).ok())
            })
            // Without a compressor (it cannot fail short of memory) the JSON itself is a valid stored seed.
            .unwrap_or(json)
    }

    /// Reads a stored seed: a zstd frame of JSON, or plain JSON (seeds stored before they were compressed).
    ///
    /// # Errors
    /// The reason the bytes are not a seed (the caller quarantines the document).
    pub fn decode(bytes: &[u8]) -> std::result::Result<Seed, String> {
        let json = if bytes.starts_with(&ZSTD_MAGIC) {
            std::borrow::Cow::Owned(
                zstd::bulk::decompress(bytes, MAX_SEED_JSON).map_err(|error| format!("seed tidak terbaca: {error}"))?,
            )
        } else {
            std::borrow::Cow::Borrowed(bytes)
        };
        serde_json::from_slice(&json).map_err(|error| format!("seed tidak terbaca: {error}"))
    }

    /// Builds the automerge document: one change by [`Self::actor`] at [`Self::time_ms`].
    ///
    /// # Errors
    /// The reason when the actor is not hex or the value cannot be written (not an object).
    pub fn materialize(&self) -> std::result::Result<Document, String> {
        let actor = ActorId::try_from(self.actor.as_str()).map_err(|error| format!("actor seed salah: {error}"))?;
        let mut document = Document::new(actor);
        document.reconcile(&self.value, Some(&self.message), self.time_ms).map_err(|error| error.to_string())?;
        Ok(document)
    }
}

/// A new document made ready for storage off the writer thread: its save, heads and change hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The save.
    pub snapshot: Vec<u8>,
    /// Whether the save is DEFLATE-compressed ([`Document::save`]) or not ([`Document::save_uncompressed`]).
    pub compressed: bool,
    /// The document's heads.
    pub heads: Vec<ChangeHash>,
    /// Every change of the document (all local: they go to the outbox).
    pub changes: Vec<ChangeHash>,
}

impl Prepared {
    /// Saves `doc`, compressed or not (bulk imports save uncompressed and compact later).
    pub fn new(doc: &Document, compressed: bool) -> Prepared {
        Prepared {
            snapshot: if compressed { doc.save() } else { doc.save_uncompressed() },
            compressed,
            heads: doc.heads(),
            changes: doc.change_hashes_since(&[]),
        }
    }
}

/// Inserts a new document and puts each of its changes in the outbox. Returns the document's rowid.
///
/// # Errors
/// SQLite errors, including a duplicate `id`.
pub fn insert(
    tx: &Transaction<'_>,
    id: Uuid,
    kind: Kind,
    scope: Option<&str>,
    doc: &Document,
    now_ms: i64,
) -> Result<i64> {
    insert_prepared(tx, id, kind, scope, &Prepared::new(doc, true), now_ms)
}

/// [`insert`] for a document prepared elsewhere.
///
/// # Errors
/// SQLite errors, including a duplicate `id`.
pub fn insert_prepared(
    tx: &Transaction<'_>,
    id: Uuid,
    kind: Kind,
    scope: Option<&str>,
    prepared: &Prepared,
    now_ms: i64,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO document (id, kind, scope, snapshot, compressed, heads, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id.as_bytes().as_slice(),
        kind.as_str(),
        scope,
        prepared.snapshot,
        prepared.compressed,
        encode_heads(&prepared.heads),
        now_ms
    ])?;
    let rowid = tx.last_insert_rowid();
    let mut statement = tx
        .prepare_cached("INSERT OR IGNORE INTO outbox (change_hash, document_rowid, created_at) VALUES (?1, ?2, ?3)")?;
    for hash in &prepared.changes {
        statement.execute(params![hash.0.as_slice(), rowid, now_ms])?;
    }
    Ok(rowid)
}

/// Inserts a new document as a seed (not built yet; see [`Seed`]). Nothing goes to the outbox. Returns the rowid.
///
/// # Errors
/// SQLite errors, including a duplicate `id`.
pub fn insert_seed(
    tx: &Transaction<'_>,
    id: Uuid,
    kind: Kind,
    scope: Option<&str>,
    seed: &[u8],
    now_ms: i64,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO document (id, kind, scope, snapshot, compressed, heads, updated_at, seed) \
         VALUES (?1, ?2, ?3, X'', 1, X'', ?4, ?5)",
    )?
    .execute(params![id.as_bytes().as_slice(), kind.as_str(), scope, now_ms, seed])?;
    Ok(tx.last_insert_rowid())
}

/// Stores a local change of the document at `rowid`: appends the chunk since `previous_heads`, updates the heads,
/// queues the new changes for upload and compacts when the chunks grow past the limits.
///
/// # Errors
/// SQLite errors, or [`Error::NotFound`] when the document does not exist.
pub fn append(
    tx: &Transaction<'_>,
    rowid: i64,
    doc: &Document,
    previous_heads: &[ChangeHash],
    now_ms: i64,
) -> Result<()> {
    store_after(tx, rowid, doc, previous_heads, now_ms)?;
    enqueue_changes(tx, rowid, doc, previous_heads, now_ms)
}

/// Stores changes that came from elsewhere (the hub's feed): like [`append`] without the outbox.
/// It stores bytes only: the caller re-projects the document ([`crate::projection::project`]) in the same transaction.
///
/// # Errors
/// As [`append`].
pub fn store_after(
    tx: &Transaction<'_>,
    rowid: i64,
    doc: &Document,
    previous_heads: &[ChangeHash],
    now_ms: i64,
) -> Result<()> {
    let chunk = doc.save_after(previous_heads);
    if chunk.is_empty() {
        return Ok(());
    }
    let (count, bytes, seeded): (i64, i64, bool) = tx
        .prepare_cached("SELECT chunk_count, chunk_bytes, seed IS NOT NULL FROM document WHERE rowid = ?1")?
        .query_row([rowid], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("document {rowid}")))?;
    // A seed has no save to append to: the first write stores the whole document.
    if seeded || count + 1 > MAX_CHUNKS || bytes + chunk.len() as i64 > MAX_CHUNK_BYTES {
        return compact(tx, rowid, doc, now_ms);
    }
    tx.prepare_cached("INSERT INTO document_chunk (document_rowid, seq, bytes) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, count + 1, chunk])?;
    tx.prepare_cached(
        "UPDATE document SET heads = ?2, chunk_count = ?3, chunk_bytes = ?4, updated_at = ?5 WHERE rowid = ?1",
    )?
    .execute(params![rowid, encode_heads(&doc.heads()), count + 1, bytes + chunk.len() as i64, now_ms])?;
    Ok(())
}

/// Replaces the document's save with a fresh one and drops its chunks.
///
/// # Errors
/// SQLite errors.
pub fn compact(tx: &Transaction<'_>, rowid: i64, doc: &Document, now_ms: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM document_chunk WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached(
        "UPDATE document SET snapshot = ?2, compressed = 1, heads = ?3, chunk_count = 0, chunk_bytes = 0, \
         updated_at = ?4, seed = NULL WHERE rowid = ?1",
    )?
    .execute(params![rowid, doc.save(), encode_heads(&doc.heads()), now_ms])?;
    Ok(())
}

/// The stored bytes of one document: its save and its chunks in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBytes {
    /// The document's rowid.
    pub rowid: i64,
    /// Its UUID.
    pub id: Uuid,
    /// Its kind.
    pub kind: Kind,
    /// The last full save.
    pub snapshot: Vec<u8>,
    /// Incremental chunks since that save, in order.
    pub chunks: Vec<Vec<u8>>,
    /// The seed, for a document a bulk import has not materialised yet (then `snapshot` is empty).
    pub seed: Option<Vec<u8>>,
}

/// Reads the stored bytes of the document at `rowid` (not quarantined ones).
///
/// # Errors
/// [`Error::NotFound`] or SQLite errors.
pub fn read_bytes(conn: &Connection, rowid: i64) -> Result<StoredBytes> {
    read_stored(conn, rowid, false)?.ok_or_else(|| Error::NotFound(format!("document {rowid}")))
}

/// Reads the stored bytes of the document at `rowid`, quarantined or not (a repair starts from what still loads);
/// `None` when there is no such document.
///
/// # Errors
/// SQLite errors.
pub fn read_bytes_any(conn: &Connection, rowid: i64) -> Result<Option<StoredBytes>> {
    read_stored(conn, rowid, true)
}

/// A `document` row as [`read_stored`] reads it: id, kind, snapshot, seed.
type DocumentRow = (Vec<u8>, String, Vec<u8>, Option<Vec<u8>>);

fn read_stored(conn: &Connection, rowid: i64, quarantined_too: bool) -> Result<Option<StoredBytes>> {
    // Two statements, not one with `?2 OR …`: a parameter-dependent condition makes SQLite re-prepare the
    // statement on every call (see `projection::find_pegawai`).
    let sql = if quarantined_too {
        "SELECT id, kind, snapshot, seed FROM document WHERE rowid = ?1"
    } else {
        "SELECT id, kind, snapshot, seed FROM document WHERE rowid = ?1 AND quarantined IS NULL"
    };
    let row: Option<DocumentRow> = conn
        .prepare_cached(sql)?
        .query_row([rowid], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
        .optional()?;
    let Some((id, kind, snapshot, seed)) = row else { return Ok(None) };
    let mut statement =
        conn.prepare_cached("SELECT bytes FROM document_chunk WHERE document_rowid = ?1 ORDER BY seq")?;
    let chunks = statement.query_map([rowid], |row| row.get::<_, Vec<u8>>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(Some(StoredBytes {
        rowid,
        id: Uuid::from_slice(&id).unwrap_or_default(),
        kind: Kind::parse(&kind).unwrap_or(Kind::Pegawai),
        snapshot,
        chunks,
        seed,
    }))
}

/// Loads the document at `rowid`.
///
/// # Errors
/// [`Error::CorruptDocument`] when the bytes do not load (the caller quarantines it with [`quarantine`]),
/// [`Error::NotFound`], or SQLite errors.
pub fn load(conn: &Connection, rowid: i64) -> Result<(StoredBytes, Document)> {
    let stored = read_bytes(conn, rowid)?;
    let doc = stored.document().map_err(|reason| Error::CorruptDocument { id: stored.id.to_string(), reason })?;
    Ok((stored, doc))
}

/// The JSON form of the document at `rowid`: a seed's value as stored (no document is built), otherwise the
/// hydrated document. For reads that need the values only (a profile, re-deriving projections).
///
/// # Errors
/// As [`load`].
pub fn load_value(conn: &Connection, rowid: i64) -> Result<(StoredBytes, Value)> {
    let stored = read_bytes(conn, rowid)?;
    let value = match &stored.seed {
        Some(seed) => Seed::decode(seed).map(|seed| seed.value),
        None => stored.document().map(|doc| doc.hydrate()),
    }
    .map_err(|reason| Error::CorruptDocument { id: stored.id.to_string(), reason })?;
    Ok((stored, value))
}

impl StoredBytes {
    /// Builds the document from these bytes (materialising a seed).
    ///
    /// # Errors
    /// Why the bytes do not load.
    pub fn document(&self) -> std::result::Result<Document, String> {
        match &self.seed {
            Some(seed) => Seed::decode(seed)?.materialize(),
            None => Document::load_with_chunks(&self.snapshot, self.chunks.iter().map(Vec::as_slice))
                .map_err(|error| error.to_string()),
        }
    }
}

/// Marks the document at `rowid` as quarantined with `reason`, and removes its projections.
///
/// Its bytes stay for a later repair from the hub; the rest of the replica works without it.
///
/// # Errors
/// SQLite errors.
pub fn quarantine(tx: &Transaction<'_>, rowid: i64, reason: &str) -> Result<()> {
    tx.execute("UPDATE document SET quarantined = ?2 WHERE rowid = ?1", params![rowid, reason])?;
    crate::projection::remove(tx, rowid)?;
    Ok(())
}

/// The rowid of the document with `id`.
///
/// # Errors
/// SQLite errors.
pub fn rowid_of(conn: &Connection, id: Uuid) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT rowid FROM document WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |row| row.get(0))
        .optional()?)
}

/// Heads as stored: concatenated 32-byte hashes.
pub fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    heads.iter().flat_map(|hash| hash.0).collect()
}

/// The inverse of [`encode_heads`]; a trailing partial hash is ignored.
pub fn decode_heads(bytes: &[u8]) -> Vec<ChangeHash> {
    bytes.chunks_exact(32).filter_map(|chunk| ChangeHash::try_from(chunk).ok()).collect()
}

/// Puts every change of `doc` not reachable from `since` in the outbox (idempotent: a known hash is skipped).
fn enqueue_changes(tx: &Transaction<'_>, rowid: i64, doc: &Document, since: &[ChangeHash], now_ms: i64) -> Result<()> {
    let mut statement = tx
        .prepare_cached("INSERT OR IGNORE INTO outbox (change_hash, document_rowid, created_at) VALUES (?1, ?2, ?3)")?;
    for hash in doc.change_hashes_since(since) {
        statement.execute(params![hash.0.as_slice(), rowid, now_ms])?;
    }
    Ok(())
}

/// A recompressed save and its heads, or why the document did not load.
type Recompressed = std::result::Result<(Vec<u8>, Vec<ChangeHash>), String>;

/// Finishes what bulk imports left: materialises seeds ([`Seed`]) and recompresses saves written without DEFLATE,
/// in batches of `batch`; the automerge work runs on every core while the writer commits. Returns how many
/// documents were done. Safe to stop at any point: each batch commits on its own, and a seed or an uncompressed
/// save is a valid stored document.
///
/// # Errors
/// SQLite errors. A document that does not load is quarantined and skipped.
pub fn compact_imported(replica: &crate::Replica, batch: usize, progress: &mut dyn FnMut(usize)) -> Result<usize> {
    let batch = batch.max(1);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
    let mut done = 0;
    let mut after = 0i64;
    loop {
        let stored: Vec<StoredBytes> = {
            let reader = replica.reader()?;
            let rowids: Vec<i64> = reader
                .prepare_cached(
                    "SELECT rowid FROM document WHERE (seed IS NOT NULL OR (compressed = 0 AND chunk_count = 0)) \
                     AND quarantined IS NULL AND rowid > ?1 ORDER BY rowid LIMIT ?2",
                )?
                .query_map(params![after, batch as i64], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            rowids.iter().map(|&rowid| read_bytes(&reader, rowid)).collect::<Result<_>>()?
        };
        let Some(last) = stored.last() else { break };
        after = last.rowid;
        let chunk = stored.len().div_ceil(workers);
        let compacted: Vec<(i64, Recompressed)> = std::thread::scope(|scope| {
            let handles: Vec<_> = stored
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|bytes| (bytes.rowid, bytes.document().map(|doc| (doc.save(), doc.heads()))))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|handle| handle.join().unwrap_or_default()).collect()
        });
        replica.write(|tx| {
            for (rowid, result) in &compacted {
                match result {
                    Ok((snapshot, heads)) => {
                        // Only if nothing was written to the document since it was read (still the same seed, or
                        // the same heads and no chunk); otherwise it stays as it is, valid, for the next compaction.
                        tx.prepare_cached(
                            "UPDATE document SET snapshot = ?2, compressed = 1, heads = ?3, seed = NULL \
                             WHERE rowid = ?1 AND (seed IS NOT NULL OR (heads = ?3 AND chunk_count = 0))",
                        )?
                        .execute(params![rowid, snapshot, encode_heads(heads)])?;
                    }
                    Err(reason) => quarantine(tx, *rowid, reason)?,
                }
            }
            Ok(())
        })?;
        done += compacted.len();
        progress(done);
    }
    Ok(done)
}
