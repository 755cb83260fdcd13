//! The replica's side of sync (DESIGN §5, sync.md §5.3–5.6): [`ReplicaSync`] implements the engine's
//! [`sync::engine::Local`] on a [`Replica`], and [`status`] reports what sync left behind.
//!
//! - **Bootstrap.** Each snapshot chunk is one transaction: its documents (merged into a document of the same id,
//!   otherwise inserted as the hub sent them, `compressed = 0`, so [`crate::document::compact_imported`] recompresses
//!   them later), their projections, and the progress `(manifest cursor, next chunk)` in `meta` under
//!   `bootstrap:<scope>` ([`BOOTSTRAP_KEY_PREFIX`]). Each document is loaded, hydrated and derived once, by worker
//!   threads (one per core) that prepare blocks of documents while the writer stores the blocks before them.
//! - **Feed.** One transaction per batch: changes, snapshots and removes, then the cursor. Items at or before the
//!   stored cursor (same epoch) are skipped, so a batch applied twice changes nothing. A change whose dependencies
//!   the replica lacks fails the whole batch with an error naming the document (nothing of the batch is applied;
//!   the engine retries it after a repair).
//! - **Hub authority over pegawai identity.** A pegawai arriving from the hub whose NIP (and SI-ASN id, when both
//!   have one) a *different* local document holds replaces that document when the local one was made here only (a
//!   bulk-import seed, or a document whose every change is by this replica's actor) and has nothing in the outbox.
//!   A local duplicate with pending outbox rows is kept next to the hub's, and a [`Notice::DuplicateKept`] says so;
//!   a duplicate that carries changes of other actors came from the hub itself and is kept (deleting it would make
//!   the replica diverge from the hub) with a [`Notice::DuplicateFromHub`].
//! - **Remove.** A document leaving the scope is deleted with its projections unless it has pending outbox rows: then
//!   it stays ([`Notice::RemoveDeferred`]) and its changes are pushed first. It is purged by a later `remove` item
//!   for it, which this relies on the hub to publish after accepting (or refusing) such a push; until then it is an
//!   ordinary local document.
//! - **Outbox.** [`Local::pending`] offers pending changes grouped by document in each document's causal order;
//!   rows whose `last_error` starts with [`REJECTED_PREFIX`] were refused for good and are not offered again.
//!   Rejections are also kept in `meta` ([`REJECTIONS_KEY`], the newest [`MAX_REJECTIONS`]) for `luring-cli status`.
//!
//! It does no network IO and knows nothing of HTTP (that is `sync::driver`), and it does not check a document's
//! heads against the hub's `heads_after` (the repair path of sync.md §5.4 is not built yet).

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;

use model::Pegawai;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use sync::engine::Local;
use sync::wire::{
    Bytes, Cursor, FeedBatch, FeedBody, HashBytes, PushChange, PushOutcome, PushResponse, RecordKind, SnapshotChunk,
    SnapshotDocument,
};
use sync::{ActorId, ChangeHash, Document};
use uuid::Uuid;

use crate::document::{self, Kind, Prepared};
use crate::projection::{self, PegawaiProjection, UnorIndex};
use crate::sync_state::{self, FeedCursor};
use crate::{Error, Replica, Result};

/// `last_error` of an outbox row the hub rejected for good (no compensation): `ditolak: <code>: <reason>`.
/// [`Local::pending`] does not offer such rows again.
pub const REJECTED_PREFIX: &str = "ditolak:";
/// `meta` key prefix of a bootstrap in progress: `bootstrap:<scope>` → `{"cursor": <manifest cursor>, "next": n}`.
pub const BOOTSTRAP_KEY_PREFIX: &str = "bootstrap:";
/// `meta` key of the recent rejections: a JSON list of [`Rejection`], oldest first.
pub const REJECTIONS_KEY: &str = "sync_rejections";
/// How many rejections [`REJECTIONS_KEY`] keeps (the oldest are dropped).
pub const MAX_REJECTIONS: usize = 100;

/// Documents a bootstrap worker prepares at a time (the writer takes them block by block, in chunk order).
const BLOCK: usize = 64;

/// Something sync did that the officer should know about (none of them is an error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum Notice {
    /// The hub sent pegawai `nip` as document `hub`, and the local document `local` with the same NIP has
    /// `pending` unsent changes: both are kept (the local one is pushed; an admin merges the two at the hub).
    DuplicateKept {
        /// The NIP both documents hold.
        nip: String,
        /// The local document (UUID).
        local: String,
        /// The hub's document (UUID).
        hub: String,
        /// Outbox rows of the local document.
        pending: i64,
    },
    /// The hub holds two documents with NIP `nip` (`local` arrived from the hub earlier): both are kept.
    DuplicateFromHub {
        /// The NIP both documents hold.
        nip: String,
        /// The document already in the replica (UUID).
        local: String,
        /// The document just received (UUID).
        hub: String,
    },
    /// The hub removed `document` from the scope, but it has `pending` unsent changes: kept until they are pushed.
    RemoveDeferred {
        /// The document (UUID).
        document: String,
        /// Its outbox rows.
        pending: i64,
    },
    /// A feed change for a quarantined (unreadable) document was not applied; a hub snapshot repairs it.
    SkippedQuarantined {
        /// The document (UUID).
        document: String,
    },
}

/// What the applies of one [`ReplicaSync`] did besides the counts the engine keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Local documents replaced by the hub's document of the same pegawai (see the module doc).
    pub replaced_local: usize,
    /// Things the officer should know, in order.
    pub notices: Vec<Notice>,
}

/// The replica as the sync engine's [`Local`]: every method is one transaction or a read.
///
/// Times come from `clock` (milliseconds since the Unix epoch), so tests are deterministic; [`system_clock`] is the
/// real one.
#[derive(Debug)]
pub struct ReplicaSync<'a> {
    replica: &'a Replica,
    clock: fn() -> i64,
    report: ApplyReport,
    /// Documents whose changes the last [`Local::pending`] offered: where [`Local::change`] looks for a dependency
    /// the outbox does not hold (the first change of a bulk-imported document is never in the outbox).
    offered: Vec<i64>,
}

/// The system clock in milliseconds since the Unix epoch (0 if the clock is before 1970).
pub fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
}

impl<'a> ReplicaSync<'a> {
    /// Sync bookkeeping on `replica`, timing writes with `clock` (ms since the Unix epoch).
    pub fn new(replica: &'a Replica, clock: fn() -> i64) -> ReplicaSync<'a> {
        ReplicaSync { replica, clock, report: ApplyReport::default(), offered: Vec::new() }
    }

    /// What the applies so far did (replaced local duplicates, notices).
    pub fn report(&self) -> &ApplyReport {
        &self.report
    }

    fn now(&self) -> i64 {
        (self.clock)()
    }

    /// Runs `f` in one write transaction with a [`Writer`]; its report joins [`Self::report`] only on commit.
    fn write_with<T>(&mut self, f: impl FnOnce(&mut Writer<'_, '_>) -> Result<T>) -> Result<T> {
        let unor = UnorIndex::load(&*self.replica.reader()?)?;
        let now = self.now();
        let actor = self.replica.actor().clone();
        let mut report = ApplyReport::default();
        let value = self.replica.write(|tx| {
            tx.set_prepared_statement_cache_capacity(64);
            let mut writer = Writer { tx, unor: &unor, now, actor: &actor, report: &mut report };
            f(&mut writer)
        })?;
        self.report.replaced_local += report.replaced_local;
        self.report.notices.extend(report.notices);
        Ok(value)
    }
}

impl Local for ReplicaSync<'_> {
    type Error = Error;

    fn actor(&mut self) -> Result<Vec<u8>> {
        Ok(self.replica.actor().to_bytes().to_vec())
    }

    fn cursor(&mut self, scope: &str) -> Result<Option<String>> {
        Ok(sync_state::cursor(&*self.replica.reader()?, scope)?.map(wire_cursor))
    }

    fn bootstrap_progress(&mut self, scope: &str) -> Result<Option<(String, u32)>> {
        let value = read_meta(&*self.replica.reader()?, &progress_key(scope))?;
        Ok(value.and_then(|text| serde_json::from_str::<Progress>(&text).ok()).map(|p| (p.cursor, p.next)))
    }

    fn apply_chunk(&mut self, scope: &str, cursor: &str, index: u32, chunk: SnapshotChunk) -> Result<usize> {
        let progress = serde_json::to_string(&Progress { cursor: cursor.to_owned(), next: index + 1 })
            .map_err(|error| Error::Shape(error.to_string()))?;
        let documents = &chunk.documents;
        let unor = UnorIndex::load(&*self.replica.reader()?)?;
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).max(1);
        let blocks = documents.len().div_ceil(BLOCK);
        // Workers load, hydrate and derive blocks of documents while this thread writes the blocks before them.
        std::thread::scope(|threads| {
            let mut receivers = Vec::with_capacity(workers);
            let mut handles = Vec::with_capacity(workers);
            for worker in 0..workers {
                let (sender, receiver) = mpsc::sync_channel::<Vec<Result<Incoming>>>(2);
                let unor = &unor;
                handles.push(threads.spawn(move || {
                    for block in documents.chunks(BLOCK).skip(worker).step_by(workers) {
                        if sender.send(block.iter().map(|document| prepare_snapshot(document, unor)).collect()).is_err()
                        {
                            break; // the writer stopped
                        }
                    }
                }));
                receivers.push(receiver);
            }
            let written = self.write_with(|writer| {
                for block in 0..blocks {
                    let prepared = receivers[block % workers]
                        .recv()
                        .map_err(|_| Error::Shape("menyiapkan dokumen dari hub berhenti (panic)".into()))?;
                    for incoming in prepared {
                        writer.snapshot(scope, incoming?)?;
                    }
                }
                write_meta(writer.tx, &progress_key(scope), &progress)
            });
            drop(receivers);
            let joined = handles.into_iter().map(|handle| handle.join()).filter(Result::is_err).count() == 0;
            match written {
                Ok(()) if !joined => Err(Error::Shape("menyiapkan dokumen dari hub gagal (panic)".into())),
                other => other,
            }
        })?;
        Ok(documents.len())
    }

    fn finish_bootstrap(&mut self, scope: &str, cursor: &str) -> Result<()> {
        let cursor = feed_cursor(cursor)?;
        let now = self.now();
        self.replica.write(|tx| {
            sync_state::set_cursor(tx, scope, cursor, now)?;
            delete_meta(tx, &progress_key(scope))
        })
    }

    fn forget_scope(&mut self, scope: &str) -> Result<()> {
        self.replica.write(|tx| {
            sync_state::forget_cursor(tx, scope)?;
            delete_meta(tx, &progress_key(scope))
        })
    }

    fn apply_feed(&mut self, scope: &str, batch: &FeedBatch) -> Result<usize> {
        let next = feed_cursor(&batch.next_cursor)?;
        self.write_with(|writer| {
            // Items the replica already applied (a replayed batch) are skipped; the cursor never moves back.
            let applied_through =
                sync_state::cursor(writer.tx, scope)?.filter(|c| c.epoch == next.epoch).map(|c| c.seq);
            let mut changed = HashSet::new();
            for item in &batch.items {
                let seq = i64::try_from(item.seq).unwrap_or(i64::MAX);
                if applied_through.is_some_and(|through| seq <= through) {
                    continue;
                }
                let id = Uuid::from_bytes(item.doc);
                let kind = kind_of(item.record);
                let did = match &item.body {
                    FeedBody::Changes { changes } => writer.changes(scope, id, kind, changes)?,
                    FeedBody::Snapshot { save } => {
                        let incoming = prepare(id, kind, save.0.clone(), None, writer.unor, false)?;
                        writer.snapshot(scope, incoming)?
                    }
                    FeedBody::Remove => writer.remove(id)?,
                };
                if did {
                    changed.insert(id);
                }
            }
            sync_state::set_cursor(writer.tx, scope, next, writer.now)?;
            Ok(changed.len())
        })
    }

    fn pending(&mut self, max_bytes: usize) -> Result<Vec<PushChange>> {
        let reader = self.replica.reader()?;
        let mut order: Vec<i64> = Vec::new();
        let mut by_document: HashMap<i64, HashSet<[u8; 32]>> = HashMap::new();
        {
            let mut statement = reader.prepare_cached(
                "SELECT document_rowid, change_hash FROM outbox \
                 WHERE last_error IS NULL OR substr(last_error, 1, length(?1)) <> ?1 \
                 ORDER BY created_at, document_rowid",
            )?;
            let mut rows = statement.query([REJECTED_PREFIX])?;
            while let Some(row) = rows.next()? {
                let rowid: i64 = row.get(0)?;
                let hash: Vec<u8> = row.get(1)?;
                let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) else { continue };
                by_document
                    .entry(rowid)
                    .or_insert_with(|| {
                        order.push(rowid);
                        HashSet::new()
                    })
                    .insert(hash);
            }
        }
        self.offered.clear();
        let mut changes = Vec::new();
        let mut size = 0;
        for rowid in order {
            if size >= max_bytes && !changes.is_empty() {
                break;
            }
            let (stored, doc) = match document::load(&reader, rowid) {
                Ok(loaded) => loaded,
                // Quarantined or unreadable: nothing can be pushed from it until it is repaired.
                Err(Error::NotFound(_) | Error::CorruptDocument { .. }) => continue,
                Err(error) => return Err(error),
            };
            self.offered.push(rowid);
            let wanted = &by_document[&rowid];
            for hash in doc.change_hashes_since(&[]) {
                if !wanted.contains(&hash.0) {
                    continue;
                }
                if let Some(bytes) = doc.change_bytes(&hash) {
                    size += bytes.len();
                    changes.push(PushChange {
                        doc: *stored.id.as_bytes(),
                        record: record_of(stored.kind),
                        change: Bytes(bytes),
                    });
                }
            }
        }
        Ok(changes)
    }

    fn change(&mut self, hash: &HashBytes) -> Result<Option<PushChange>> {
        let reader = self.replica.reader()?;
        let in_outbox: Option<i64> = reader
            .prepare_cached("SELECT document_rowid FROM outbox WHERE change_hash = ?1")?
            .query_row([hash.as_slice()], |row| row.get(0))
            .optional()?;
        let wanted = ChangeHash(*hash);
        for rowid in in_outbox.into_iter().chain(self.offered.iter().copied()) {
            let (stored, doc) = match document::load(&reader, rowid) {
                Ok(loaded) => loaded,
                Err(Error::NotFound(_) | Error::CorruptDocument { .. }) => continue,
                Err(error) => return Err(error),
            };
            if let Some(bytes) = doc.change_bytes(&wanted) {
                return Ok(Some(PushChange {
                    doc: *stored.id.as_bytes(),
                    record: record_of(stored.kind),
                    change: Bytes(bytes),
                }));
            }
        }
        Ok(None)
    }

    fn acknowledge(&mut self, response: &PushResponse) -> Result<()> {
        let now = self.now();
        self.replica.write(|tx| {
            let mut rejections: Vec<Rejection> = Vec::new();
            for result in &response.results {
                match &result.outcome {
                    PushOutcome::Applied { .. } | PushOutcome::Duplicate { .. } => {
                        sync_state::remove_from_outbox(tx, &[result.hash])?;
                    }
                    PushOutcome::Rejected { code, reason, compensation } => {
                        let (document, nip) = owner_of(tx, &result.hash)?;
                        if compensation.is_some() {
                            // The hub kept the change and superseded it: settled, it leaves the outbox.
                            sync_state::remove_from_outbox(tx, &[result.hash])?;
                        } else {
                            sync_state::record_attempt(
                                tx,
                                &result.hash,
                                &format!("{REJECTED_PREFIX} {code}: {reason}"),
                            )?;
                        }
                        rejections.push(Rejection {
                            change: sync_state::hex(&result.hash),
                            document,
                            nip,
                            code: code.clone(),
                            reason: reason.clone(),
                            compensated: compensation.is_some(),
                            at_ms: now,
                        });
                    }
                    PushOutcome::MissingDeps { hashes } => {
                        let message = format!("missing_deps: hub belum punya {} perubahan induk", hashes.len());
                        sync_state::record_attempt(tx, &result.hash, &message)?;
                    }
                }
            }
            if !rejections.is_empty() {
                let mut all = read_rejections(tx)?;
                all.extend(rejections);
                let excess = all.len().saturating_sub(MAX_REJECTIONS);
                all.drain(..excess);
                let text = serde_json::to_string(&all).map_err(|error| Error::Shape(error.to_string()))?;
                write_meta(tx, REJECTIONS_KEY, &text)?;
            }
            Ok(())
        })
    }
}

/// A change the hub refused, as `luring-cli status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The change hash, hex.
    pub change: String,
    /// The document it belongs to (UUID), when the outbox still knew it.
    pub document: Option<String>,
    /// The pegawai's NIP, for a pegawai document.
    pub nip: Option<String>,
    /// The hub's machine-readable code (`forbidden_field`, …).
    pub code: String,
    /// The hub's reason, in Bahasa Indonesia.
    pub reason: String,
    /// True when the hub kept the change and wrote a compensating change over it (the document already shows the
    /// hub's value once the feed brings it); false when the change was not kept (it stays in the outbox, marked).
    pub compensated: bool,
    /// When the rejection arrived, ms since the Unix epoch.
    pub at_ms: i64,
}

/// The feed position of one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeStatus {
    /// `instansi:<id>`.
    pub scope: String,
    /// The cursor as the hub reads it (opaque text).
    pub cursor: String,
    /// The hub log's epoch.
    pub epoch: i64,
    /// The last applied feed sequence number.
    pub seq: i64,
    /// The last successful pull (or the end of the bootstrap), ms since the Unix epoch.
    pub last_pull_ms: i64,
}

/// A bootstrap that stopped part-way (resumed by the next sync).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BootstrapStatus {
    /// `instansi:<id>`.
    pub scope: String,
    /// The manifest cursor it follows.
    pub cursor: String,
    /// The next chunk to apply (chunks before it are in the replica).
    pub next_chunk: u32,
}

/// What sync left in the replica: see [`status`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// Scopes with a cursor, by name.
    pub scopes: Vec<ScopeStatus>,
    /// Bootstraps in progress, by scope.
    pub bootstraps: Vec<BootstrapStatus>,
    /// Changes in the outbox (rejected-for-good ones included).
    pub outbox_changes: i64,
    /// Documents those changes belong to.
    pub outbox_documents: i64,
    /// Outbox changes the hub rejected for good (not pushed again).
    pub outbox_rejected: i64,
    /// The most recent rejections, oldest first (at most [`MAX_REJECTIONS`]).
    pub rejections: Vec<Rejection>,
}

/// Reads the sync state of `replica`: cursors with their last pull time, bootstraps in progress, the outbox and
/// the recent rejections.
///
/// # Errors
/// SQLite errors.
pub fn status(replica: &Replica) -> Result<SyncStatus> {
    let reader = replica.reader()?;
    let scopes = reader
        .prepare("SELECT scope, epoch, seq, updated_at FROM feed_cursor ORDER BY scope")?
        .query_map([], |row| {
            let (epoch, seq) = (row.get(1)?, row.get(2)?);
            Ok(ScopeStatus {
                scope: row.get(0)?,
                cursor: wire_cursor(FeedCursor { epoch, seq }),
                epoch,
                seq,
                last_pull_ms: row.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut bootstraps = Vec::new();
    let mut statement =
        reader.prepare("SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key")?;
    let mut rows = statement.query([BOOTSTRAP_KEY_PREFIX])?;
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        let value: String = row.get(1)?;
        if let (Some(scope), Ok(progress)) =
            (key.strip_prefix(BOOTSTRAP_KEY_PREFIX), serde_json::from_str::<Progress>(&value))
        {
            bootstraps.push(BootstrapStatus {
                scope: scope.to_owned(),
                cursor: progress.cursor,
                next_chunk: progress.next,
            });
        }
    }
    let (outbox_changes, outbox_documents) = sync_state::outbox_size(&reader)?;
    let outbox_rejected = reader.query_row(
        "SELECT count(*) FROM outbox WHERE substr(last_error, 1, length(?1)) = ?1",
        [REJECTED_PREFIX],
        |row| row.get(0),
    )?;
    Ok(SyncStatus {
        scopes,
        bootstraps,
        outbox_changes,
        outbox_documents,
        outbox_rejected,
        rejections: read_rejections(&reader)?,
    })
}

/// The bootstrap progress stored in `meta`.
#[derive(Debug, Serialize, Deserialize)]
struct Progress {
    cursor: String,
    next: u32,
}

fn progress_key(scope: &str) -> String {
    format!("{BOOTSTRAP_KEY_PREFIX}{scope}")
}

fn read_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?.query_row([key], |row| row.get(0)).optional()?)
}

fn write_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

fn delete_meta(tx: &Transaction<'_>, key: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?.execute([key])?;
    Ok(())
}

fn read_rejections(conn: &Connection) -> Result<Vec<Rejection>> {
    Ok(read_meta(conn, REJECTIONS_KEY)?.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default())
}

/// The document (UUID) and NIP of the outbox row `hash`, if the outbox holds it.
fn owner_of(tx: &Transaction<'_>, hash: &[u8; 32]) -> Result<(Option<String>, Option<String>)> {
    let row: Option<(Vec<u8>, Option<String>)> = tx
        .prepare_cached(
            "SELECT d.id, p.nip FROM outbox o JOIN document d ON d.rowid = o.document_rowid \
             LEFT JOIN pegawai p ON p.document_rowid = d.rowid WHERE o.change_hash = ?1",
        )?
        .query_row([hash.as_slice()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((id, nip)) => (Uuid::from_slice(&id).ok().map(|id| id.to_string()), nip),
        None => (None, None),
    })
}

/// The wire's text form of a stored cursor.
fn wire_cursor(cursor: FeedCursor) -> String {
    Cursor { epoch: u64::try_from(cursor.epoch).unwrap_or(0), seq: u64::try_from(cursor.seq).unwrap_or(0) }.encode()
}

/// The stored form of the wire's cursor text.
fn feed_cursor(text: &str) -> Result<FeedCursor> {
    let cursor = Cursor::decode(text).map_err(|error| Error::Shape(format!("kursor feed dari hub: {error}")))?;
    let number =
        |value: u64| i64::try_from(value).map_err(|_| Error::Shape(format!("kursor feed terlalu besar: {text}")));
    Ok(FeedCursor { epoch: number(cursor.epoch)?, seq: number(cursor.seq)? })
}

fn kind_of(record: RecordKind) -> Kind {
    match record {
        RecordKind::Pegawai => Kind::Pegawai,
        RecordKind::Usulan => Kind::Usulan,
        RecordKind::VerifikasiLapangan => Kind::VerifikasiLapangan,
    }
}

fn record_of(kind: Kind) -> RecordKind {
    match kind {
        Kind::Pegawai => RecordKind::Pegawai,
        Kind::Usulan => RecordKind::Usulan,
        Kind::VerifikasiLapangan => RecordKind::VerifikasiLapangan,
    }
}

/// A pegawai as the hub sent it: (NIP, SI-ASN id, projection), or why the document does not read as a pegawai.
type PegawaiFacts = std::result::Result<(String, Option<String>, Box<PegawaiProjection>), String>;

/// A document from the hub, loaded, checked and derived before the write transaction.
#[derive(Debug)]
struct Incoming {
    id: Uuid,
    kind: Kind,
    /// The bytes to store (the hub's save as it came).
    save: Vec<u8>,
    /// Whether `save` is known to be DEFLATE-compressed.
    compressed: bool,
    heads: Vec<ChangeHash>,
    /// For a pegawai document.
    pegawai: Option<PegawaiFacts>,
    /// The document, kept only when it holds conflicts (their rows are written from it).
    conflicted: Option<Document>,
}

/// Loads `save`, checks its heads against `expected` (when given) and derives what a new document's projections
/// need (with the replica's unor tree `unor`).
fn prepare(
    id: Uuid,
    kind: Kind,
    save: Vec<u8>,
    expected: Option<&[HashBytes]>,
    unor: &UnorIndex,
    compressed: bool,
) -> Result<Incoming> {
    let doc = Document::load(&save).map_err(|error| Error::CorruptDocument {
        id: id.to_string(),
        reason: format!("simpanan dari hub tidak terbaca: {error}"),
    })?;
    if let Some(expected) = expected {
        let mut expected: Vec<ChangeHash> = expected.iter().map(|hash| ChangeHash(*hash)).collect();
        expected.sort_unstable();
        if doc.heads() != expected {
            return Err(Error::CorruptDocument {
                id: id.to_string(),
                reason: "heads simpanan dari hub tidak cocok dengan manifesnya".into(),
            });
        }
    }
    Ok(incoming_from(id, kind, doc, save, unor, compressed))
}

fn incoming_from(id: Uuid, kind: Kind, doc: Document, save: Vec<u8>, unor: &UnorIndex, compressed: bool) -> Incoming {
    let pegawai = (kind == Kind::Pegawai).then(|| {
        doc.hydrate_as::<Pegawai>()
            .map(|pegawai| {
                let row = projection::derive_pegawai(&pegawai, unor);
                let utama = pegawai.data_utama;
                (utama.nip.to_string(), utama.pns_id.map(|id| id.to_string()), Box::new(row))
            })
            .map_err(|error| format!("dokumen dari hub bukan pegawai yang sah: {error}"))
    });
    let heads = doc.heads();
    // One actor's changes are sequential, so they cannot conflict: skip the conflict scan (most bootstrap documents).
    let changes = doc.automerge().get_changes_meta(&[]);
    let concurrent = changes.iter().any(|change| change.actor != changes[0].actor);
    let conflicted = (concurrent && !doc.conflicts().is_empty()).then_some(doc);
    Incoming { id, kind, save, compressed, heads, pegawai, conflicted }
}

/// [`prepare`] for one document of a snapshot chunk (stored uncompressed, heads checked).
fn prepare_snapshot(snapshot: &SnapshotDocument, unor: &UnorIndex) -> Result<Incoming> {
    prepare(
        Uuid::from_bytes(snapshot.doc),
        kind_of(snapshot.record),
        snapshot.save.0.clone(),
        Some(&snapshot.heads),
        unor,
        false,
    )
}

/// The write side of one transaction of sync.
struct Writer<'t, 'c> {
    tx: &'t Transaction<'c>,
    unor: &'t UnorIndex,
    now: i64,
    actor: &'t ActorId,
    report: &'t mut ApplyReport,
}

impl Writer<'_, '_> {
    /// A whole document from the hub (chunk or feed snapshot): merged into the local one, or inserted.
    /// Returns whether the replica changed.
    fn snapshot(&mut self, scope: &str, incoming: Incoming) -> Result<bool> {
        match document::rowid_of(self.tx, incoming.id)? {
            Some(rowid) => {
                // Already at exactly these heads (a replayed chunk, a re-bootstrap): nothing to load or merge.
                let (heads, healthy): (Vec<u8>, bool) = self
                    .tx
                    .prepare_cached("SELECT heads, quarantined IS NULL FROM document WHERE rowid = ?1")?
                    .query_row([rowid], |row| Ok((row.get(0)?, row.get(1)?)))?;
                let mut stored = document::decode_heads(&heads);
                stored.sort_unstable();
                if healthy && stored == incoming.heads {
                    return Ok(false);
                }
                let hub = match incoming.conflicted {
                    Some(doc) => doc,
                    None => Document::load(&incoming.save).map_err(|error| Error::CorruptDocument {
                        id: incoming.id.to_string(),
                        reason: error.to_string(),
                    })?,
                };
                self.merge(rowid, incoming.id, incoming.kind, hub)
            }
            None => {
                self.insert(scope, incoming)?;
                Ok(true)
            }
        }
    }

    /// Merges the hub's `hub` document into the local document at `rowid`; an unreadable or quarantined local
    /// document is replaced by the hub's (the repair).
    fn merge(&mut self, rowid: i64, id: Uuid, kind: Kind, mut hub: Document) -> Result<bool> {
        let (_, mut local) = match document::load(self.tx, rowid) {
            Ok(loaded) => loaded,
            Err(Error::NotFound(_) | Error::CorruptDocument { .. }) => {
                self.tx.prepare_cached("UPDATE document SET quarantined = NULL WHERE rowid = ?1")?.execute([rowid])?;
                document::compact(self.tx, rowid, &hub, self.now)?;
                self.project(rowid, kind, &hub)?;
                return Ok(true);
            }
            Err(error) => return Err(error),
        };
        let before = local.heads();
        local
            .merge(&mut hub)
            .map_err(|error| Error::Shape(format!("dokumen {id}: simpanan dari hub tidak dapat digabung: {error}")))?;
        if local.heads() == before {
            return Ok(false);
        }
        document::store_after(self.tx, rowid, &local, &before, self.now)?;
        self.project(rowid, kind, &local)?;
        Ok(true)
    }

    /// Inserts a document the replica does not hold, replacing local duplicates of the same pegawai first.
    fn insert(&mut self, scope: &str, incoming: Incoming) -> Result<i64> {
        if let Some(Ok((nip, pns_id, _))) = &incoming.pegawai {
            self.replace_duplicates(nip, pns_id.as_deref(), incoming.id)?;
        }
        let prepared = Prepared {
            snapshot: incoming.save,
            compressed: incoming.compressed,
            heads: incoming.heads,
            changes: vec![],
        };
        let rowid = document::insert_prepared(self.tx, incoming.id, incoming.kind, Some(scope), &prepared, self.now)?;
        match incoming.pegawai {
            Some(Ok((_, _, row))) => projection::write_pegawai(self.tx, rowid, &row, true)?,
            Some(Err(reason)) => {
                document::quarantine(self.tx, rowid, &reason)?;
                return Ok(rowid);
            }
            None => {}
        }
        if let Some(doc) = &incoming.conflicted {
            projection::project_conflicts(self.tx, rowid, doc)?;
        }
        Ok(rowid)
    }

    /// Removes the local documents of pegawai `nip` that the hub's document `hub` supersedes (see the module doc).
    fn replace_duplicates(&mut self, nip: &str, pns_id: Option<&str>, hub: Uuid) -> Result<()> {
        let rowids: Vec<i64> = self
            .tx
            .prepare_cached(
                "SELECT document_rowid FROM pegawai WHERE nip = ?1 AND (?2 IS NULL OR pns_id IS NULL OR pns_id = ?2) \
                 UNION SELECT document_rowid FROM pegawai_karantina \
                 WHERE nip = ?1 AND (?2 IS NULL OR pns_id IS NULL OR pns_id = ?2) ORDER BY 1",
            )?
            .query_map(params![nip, pns_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        for rowid in rowids {
            let (id, pending): (Vec<u8>, i64) = self
                .tx
                .prepare_cached(
                    "SELECT id, (SELECT count(*) FROM outbox WHERE document_rowid = ?1) FROM document WHERE rowid = ?1",
                )?
                .query_row([rowid], |row| Ok((row.get(0)?, row.get(1)?)))?;
            let local = Uuid::from_slice(&id).unwrap_or_default().to_string();
            if pending > 0 {
                self.report.notices.push(Notice::DuplicateKept {
                    nip: nip.to_owned(),
                    local,
                    hub: hub.to_string(),
                    pending,
                });
            } else if self.made_here(rowid)? {
                self.delete(rowid)?;
                self.report.replaced_local += 1;
            } else {
                self.report.notices.push(Notice::DuplicateFromHub { nip: nip.to_owned(), local, hub: hub.to_string() });
            }
        }
        Ok(())
    }

    /// Whether the document at `rowid` was made in this replica only: a seed, an unreadable document (nothing to
    /// keep), or one whose every change is by this replica's actor.
    fn made_here(&self, rowid: i64) -> Result<bool> {
        let stored = match document::read_bytes(self.tx, rowid) {
            Ok(stored) => stored,
            Err(Error::NotFound(_)) => return Ok(true),
            Err(error) => return Err(error),
        };
        if stored.seed.is_some() {
            return Ok(true);
        }
        let Ok(doc) = stored.document() else { return Ok(true) };
        Ok(doc.automerge().get_changes_meta(&[]).iter().all(|meta| meta.actor.as_ref() == self.actor))
    }

    /// Deletes the document at `rowid` with its projections (chunks, outbox rows and identity rows cascade).
    fn delete(&self, rowid: i64) -> Result<()> {
        projection::remove(self.tx, rowid)?;
        self.tx.prepare_cached("DELETE FROM document WHERE rowid = ?1")?.execute([rowid])?;
        Ok(())
    }

    /// Raw changes from the feed for document `id`: applied to it, or creating it.
    fn changes(&mut self, scope: &str, id: Uuid, kind: Kind, changes: &[Bytes]) -> Result<bool> {
        let unapplicable = |error: sync::DocumentError| {
            Error::Shape(format!("dokumen {id}: perubahan dari hub tidak dapat diterapkan: {error}"))
        };
        let missing = |count: usize| {
            Error::Shape(format!(
                "dokumen {id}: perubahan dari hub bergantung pada {count} perubahan yang tidak ada di replika; \
                 batch diulang setelah perbaikan"
            ))
        };
        let Some(rowid) = document::rowid_of(self.tx, id)? else {
            let mut doc = Document::new(self.actor.clone());
            doc.apply_changes(changes).map_err(unapplicable)?;
            let lacking = doc.missing_deps().len();
            if lacking > 0 || doc.heads().is_empty() {
                return Err(missing(lacking.max(1)));
            }
            let save = doc.save();
            let incoming = incoming_from(id, kind, doc, save, self.unor, true);
            self.insert(scope, incoming)?;
            return Ok(true);
        };
        let mut doc = match document::load(self.tx, rowid) {
            Ok((_, doc)) => doc,
            Err(Error::NotFound(_)) => {
                self.report.notices.push(Notice::SkippedQuarantined { document: id.to_string() });
                return Ok(false);
            }
            Err(Error::CorruptDocument { reason, .. }) => {
                document::quarantine(self.tx, rowid, &reason)?;
                self.report.notices.push(Notice::SkippedQuarantined { document: id.to_string() });
                return Ok(false);
            }
            Err(error) => return Err(error),
        };
        let before = doc.heads();
        doc.apply_changes(changes).map_err(unapplicable)?;
        let lacking = doc.missing_deps().len();
        if lacking > 0 {
            return Err(missing(lacking));
        }
        if doc.heads() == before {
            return Ok(false);
        }
        document::store_after(self.tx, rowid, &doc, &before, self.now)?;
        self.project(rowid, kind, &doc)?;
        Ok(true)
    }

    /// The hub removed document `id` from the scope.
    fn remove(&mut self, id: Uuid) -> Result<bool> {
        let Some(rowid) = document::rowid_of(self.tx, id)? else { return Ok(false) };
        let pending: i64 = self
            .tx
            .prepare_cached("SELECT count(*) FROM outbox WHERE document_rowid = ?1")?
            .query_row([rowid], |row| row.get(0))?;
        if pending > 0 {
            self.report.notices.push(Notice::RemoveDeferred { document: id.to_string(), pending });
            return Ok(false);
        }
        self.delete(rowid)?;
        Ok(true)
    }

    /// Re-derives the projections and conflicts of the document at `rowid` from `doc` (one hydrate); a pegawai
    /// document that does not read as a pegawai is quarantined.
    fn project(&mut self, rowid: i64, kind: Kind, doc: &Document) -> Result<()> {
        match kind {
            Kind::Pegawai => match doc.hydrate_as::<Pegawai>() {
                Ok(pegawai) => {
                    projection::write_pegawai(self.tx, rowid, &projection::derive_pegawai(&pegawai, self.unor), false)?;
                }
                Err(error) => {
                    document::quarantine(self.tx, rowid, &format!("dokumen bukan pegawai yang sah: {error}"))?;
                    return Ok(());
                }
            },
            Kind::Usulan | Kind::VerifikasiLapangan => projection::remove(self.tx, rowid)?,
        }
        projection::project_conflicts(self.tx, rowid, doc)
    }
}
