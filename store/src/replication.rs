//! The replica's side of sync (DESIGN §5, sync.md §5.3–5.6): [`ReplicaSync`] implements the engine's
//! [`sync::engine::Local`] on a [`Replica`], and [`status`] reports what sync left behind.
//!
//! - **Bootstrap.** Each snapshot chunk is one transaction: its documents (merged into a document of the same id,
//!   otherwise inserted as the hub sent them, `compressed = 0`, so [`crate::document::compact_imported`] recompresses
//!   them later), their projections, and the progress `(manifest cursor, next chunk)` in `meta` under
//!   `bootstrap:<scope>` ([`BOOTSTRAP_KEY_PREFIX`]). Each document is loaded, hydrated and derived once, by worker
//!   threads (one per core) that prepare blocks of documents while the writer stores the blocks before them.
//! - **Feed.** One transaction per batch: changes, snapshots and removes, then the cursor. Items at or before the
//!   stored cursor (same epoch) are skipped, so a batch applied twice changes nothing. A document whose copy
//!   disagrees with the hub's — a change whose dependencies the replica lacks or that does not apply, heads that do
//!   not reach the item's `heads_after`, a quarantined copy — is marked for repair in the same transaction
//!   ([`Notice::RepairQueued`]) and the rest of the batch applies (the item's changes are not stored: the repair
//!   brings them).
//! - **Repair.** [`Local::repairs`] lists the marked documents and the scope's quarantined ones;
//!   [`Local::finish_repair`] stores the copy the engine repaired with the hub (merged into the stored copy,
//!   replacing an unreadable one, or inserted), clears the mark, and queues in the outbox the changes of this
//!   replica's actor that the hub lacks (the hub takes changes only through the push). A copy still quarantined
//!   after the repair (the hub's does not read as a pegawai either) is given up until a new feed item marks it.
//! - **Blobs.** Every document stored from the hub (chunk, feed, repair) is scanned for blob references
//!   ([`sync::blob::references`]): a blob the replica does not know is recorded as wanted (`queued_download`),
//!   for the engine's download phase. Downloads keep what arrived in `blob_part`, so they resume by Range across
//!   runs; a content is stored only after the engine and [`sync_state::put_downloaded_blob`] checked its SHA-256.
//!   Uploads mark progress in `bytes_done` and the blob `synced` once the hub holds it whole.
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
//! It does no network IO and knows nothing of HTTP (that is `sync::driver`), and does not run the repair protocol
//! itself (that is `sync::engine`): it marks, lists and stores.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc;

use model::Pegawai;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use sync::blob::{self, Reference};
use sync::engine::{BlobToDownload, BlobToUpload, Local, RepairTarget};
use sync::wire::{
    Bytes, Cursor, DocId, FeedBatch, FeedBody, HashBytes, PushChange, PushOutcome, PushResponse, RecordKind,
    SnapshotChunk, SnapshotDocument,
};
use sync::{ActorId, ChangeHash, Document};
use uuid::Uuid;

use crate::document::{self, Kind, Prepared};
use crate::projection::{self, PegawaiProjection, UnorIndex};
use crate::sync_state::{self, BlobState, FeedCursor};
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
    /// A feed change for a quarantined (unreadable) document was not applied; the repair brings the hub's copy.
    SkippedQuarantined {
        /// The document (UUID).
        document: String,
    },
    /// The replica's copy of `document` disagrees with the hub's (`reason`): it is repaired from the hub by this
    /// sync (or the next).
    RepairQueued {
        /// The document (UUID).
        document: String,
        /// Why, in Bahasa Indonesia.
        reason: String,
    },
    /// A repair replaced an unreadable copy of `document`, and `lost` of this device's changes waiting in the
    /// outbox were in the unreadable bytes only: they cannot be sent and are dropped from the outbox; the officer
    /// enters them again.
    LocalChangesLost {
        /// The document (UUID).
        document: String,
        /// How many outbox rows were dropped.
        lost: i64,
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
                    FeedBody::Changes { changes } => writer.changes(scope, id, kind, changes, &item.heads_after)?,
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

    fn blobs_to_upload(&mut self, limit: usize) -> Result<Vec<BlobToUpload>> {
        let queued = sync_state::upload_queue(&*self.replica.reader()?, limit)?;
        Ok(queued
            .into_iter()
            .map(|blob| BlobToUpload { sha256: blob.sha256, size: u64::try_from(blob.size).unwrap_or(0) })
            .collect())
    }

    fn blob_content(&mut self, sha256: &HashBytes) -> Result<Vec<u8>> {
        sync_state::get_blob(&*self.replica.reader()?, sha256)
    }

    fn blob_uploaded(&mut self, sha256: &HashBytes, bytes_done: u64, complete: bool) -> Result<()> {
        let (state, done) = if complete {
            (BlobState::Synced, 0)
        } else {
            (BlobState::QueuedUpload, i64::try_from(bytes_done).unwrap_or(i64::MAX))
        };
        self.replica.write(|tx| sync_state::set_blob_state(tx, sha256, state, done))
    }

    fn blobs_to_download(&mut self, limit: usize, retry_missing: bool) -> Result<Vec<BlobToDownload>> {
        let queued = sync_state::download_queue(&*self.replica.reader()?, limit, retry_missing)?;
        Ok(queued
            .into_iter()
            .map(|blob| BlobToDownload {
                sha256: blob.sha256,
                bytes_done: u64::try_from(blob.bytes_done).unwrap_or(0),
                size: u64::try_from(blob.size).unwrap_or(0),
            })
            .collect())
    }

    fn blob_partial(&mut self, sha256: &HashBytes) -> Result<Vec<u8>> {
        let kept = sync_state::blob_parts(&*self.replica.reader()?, sha256)?;
        match kept {
            Some(bytes) => Ok(bytes),
            None => {
                // Not contiguous any more: start the download over.
                self.replica.write(|tx| sync_state::drop_blob_parts(tx, sha256))?;
                Ok(Vec::new())
            }
        }
    }

    fn blob_received(&mut self, sha256: &HashBytes, offset: u64, bytes: &[u8]) -> Result<()> {
        let offset = i64::try_from(offset).map_err(|_| Error::Shape(format!("offset {offset} terlalu besar")))?;
        self.replica.write(|tx| sync_state::record_blob_part(tx, sha256, offset, bytes))
    }

    fn blob_downloaded(&mut self, sha256: &HashBytes, content: &[u8]) -> Result<()> {
        self.replica.write(|tx| sync_state::put_downloaded_blob(tx, sha256, content))
    }

    fn blob_not_downloaded(&mut self, sha256: &HashBytes, missing: bool) -> Result<()> {
        self.replica.write(|tx| {
            sync_state::drop_blob_parts(tx, sha256)?;
            match sync_state::blob(tx, sha256)? {
                Some(known) if missing && !known.has_content => {
                    sync_state::set_blob_state(tx, sha256, BlobState::Missing, 0)
                }
                _ => Ok(()),
            }
        })
    }

    fn blob_mismatched(&mut self, sha256: &HashBytes) -> Result<u32> {
        self.replica.write(|tx| sync_state::record_blob_mismatch(tx, sha256))
    }

    fn repairs(&mut self, scope: &str, limit: usize) -> Result<Vec<RepairTarget>> {
        let now = self.now();
        let marks = self.replica.write(|tx| sync_state::repair_queue(tx, scope, limit, now))?;
        Ok(marks
            .into_iter()
            .map(|mark| RepairTarget { doc: *mark.id.as_bytes(), record: record_of(mark.kind) })
            .collect())
    }

    fn repair_base(&mut self, doc: &DocId) -> Result<Option<Document>> {
        let reader = self.replica.reader()?;
        let Some(rowid) = document::rowid_of(&reader, Uuid::from_bytes(*doc))? else { return Ok(None) };
        // Quarantined documents too: what of them loads is the base the hub's copy is merged into.
        Ok(document::read_bytes_any(&reader, rowid)?.and_then(|stored| stored.document().ok()))
    }

    fn finish_repair(
        &mut self,
        scope: &str,
        target: &RepairTarget,
        repaired: &Document,
        hub_heads: &[HashBytes],
    ) -> Result<usize> {
        let id = Uuid::from_bytes(target.doc);
        let kind = kind_of(target.record);
        self.write_with(|writer| writer.repaired(scope, id, kind, repaired, hub_heads))
    }

    fn repair_failed(&mut self, doc: &DocId, reason: &str) -> Result<()> {
        let now = self.now();
        self.replica.write(|tx| sync_state::repair_failed(tx, Uuid::from_bytes(*doc), reason, now))
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
    /// Blobs per transfer state (`queued_upload`, `queued_download`, `missing`, `synced`, `local`), by state name.
    pub blobs: Vec<BlobCount>,
    /// Documents waiting for a repair from the hub (or given up), oldest mark first (at most 100).
    pub repairs: Vec<RepairStatus>,
}

/// How many blobs are in one transfer state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobCount {
    /// The state's name (`queued_upload`, …).
    pub state: String,
    /// Blobs in it.
    pub count: i64,
}

/// A document of the repair queue, as `luring-cli status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepairStatus {
    /// The document (UUID).
    pub document: String,
    /// What it holds.
    pub kind: String,
    /// Why it was marked.
    pub reason: String,
    /// Failed repairs since; at [`sync_state::MAX_REPAIR_ATTEMPTS`] it is not tried again until marked anew.
    pub attempts: i64,
    /// Why the last repair failed.
    pub last_error: Option<String>,
}

/// Reads the sync state of `replica`: cursors with their last pull time, bootstraps in progress, the outbox, the
/// recent rejections, blobs per transfer state and the repair queue.
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
    let blobs = sync_state::blob_counts(&reader)?
        .into_iter()
        .map(|(state, count)| BlobCount { state: state.as_str().to_owned(), count })
        .collect();
    let repairs = sync_state::repair_marks(&reader, None, None, 100)?
        .into_iter()
        .map(|mark| RepairStatus {
            document: mark.id.to_string(),
            kind: mark.kind.as_str().to_owned(),
            reason: mark.reason,
            attempts: mark.attempts,
            last_error: mark.last_error,
        })
        .collect();
    Ok(SyncStatus {
        scopes,
        bootstraps,
        outbox_changes,
        outbox_documents,
        outbox_rejected,
        rejections: read_rejections(&reader)?,
        blobs,
        repairs,
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
    /// The blobs it references.
    blobs: Vec<Reference>,
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
    // One hydrate gives both the blob references and the pegawai.
    let value = doc.hydrate();
    let blobs = blob::references(&value);
    let pegawai = (kind == Kind::Pegawai).then(|| {
        serde_json::from_value::<Pegawai>(value)
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
    Incoming { id, kind, save, compressed, heads, pegawai, conflicted, blobs }
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
        self.want_blobs(&incoming.blobs)?;
        let record = match incoming.kind {
            Kind::Usulan | Kind::VerifikasiLapangan => {
                Some(Document::load(&incoming.save).map_err(|error| Error::CorruptDocument {
                    id: incoming.id.to_string(),
                    reason: format!("simpanan dari hub tidak terbaca: {error}"),
                })?)
            }
            _ => None,
        };
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
        if let Some(doc) = &record {
            self.project_record(rowid, incoming.kind, doc)?;
            return Ok(rowid);
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

    /// Raw changes from the feed for document `id`: applied to it, or creating it. A copy that cannot take them (a
    /// change that does not apply, dependencies it lacks, a quarantined copy) or whose heads then fall short of the
    /// hub's `heads_after` is marked for repair, and the item's changes are not stored.
    fn changes(
        &mut self,
        scope: &str,
        id: Uuid,
        kind: Kind,
        changes: &[Bytes],
        heads_after: &[HashBytes],
    ) -> Result<bool> {
        let Some(rowid) = document::rowid_of(self.tx, id)? else {
            let mut doc = Document::new(self.actor.clone());
            if let Err(error) = doc.apply_changes(changes) {
                self.mark_repair(scope, id, kind, &format!("perubahan dari hub tidak dapat diterapkan: {error}"))?;
                return Ok(false);
            }
            let lacking = doc.missing_deps().len();
            if lacking > 0 || doc.heads().is_empty() || !sync::repair::holds_heads(&doc, heads_after) {
                let reason =
                    format!("dokumen baru dari hub bergantung pada {} perubahan yang tidak ada", lacking.max(1));
                self.mark_repair(scope, id, kind, &reason)?;
                return Ok(false);
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
                self.mark_repair(scope, id, kind, "salinan lokal dikarantina")?;
                return Ok(false);
            }
            Err(Error::CorruptDocument { reason, .. }) => {
                document::quarantine(self.tx, rowid, &reason)?;
                self.report.notices.push(Notice::SkippedQuarantined { document: id.to_string() });
                self.mark_repair(scope, id, kind, &format!("salinan lokal tidak terbaca: {reason}"))?;
                return Ok(false);
            }
            Err(error) => return Err(error),
        };
        let before = doc.heads();
        if let Err(error) = doc.apply_changes(changes) {
            self.mark_repair(scope, id, kind, &format!("perubahan dari hub tidak dapat diterapkan: {error}"))?;
            return Ok(false);
        }
        let lacking = doc.missing_deps().len();
        if lacking > 0 {
            let reason = format!("perubahan dari hub bergantung pada {lacking} perubahan yang tidak ada di replika");
            self.mark_repair(scope, id, kind, &reason)?;
            return Ok(false);
        }
        if !sync::repair::holds_heads(&doc, heads_after) {
            self.mark_repair(scope, id, kind, "heads salinan lokal tidak mencapai heads hub")?;
        }
        if doc.heads() == before {
            return Ok(false);
        }
        document::store_after(self.tx, rowid, &doc, &before, self.now)?;
        self.project(rowid, kind, &doc)?;
        Ok(true)
    }

    /// Marks document `id` for repair, with a notice.
    fn mark_repair(&mut self, scope: &str, id: Uuid, kind: Kind, reason: &str) -> Result<()> {
        sync_state::mark_repair(self.tx, id, scope, kind, reason, self.now)?;
        self.report.notices.push(Notice::RepairQueued { document: id.to_string(), reason: reason.to_owned() });
        Ok(())
    }

    /// Stores the copy of `id` the engine repaired (it holds every change of `hub_heads`): merged into the stored
    /// copy, replacing a quarantined or unreadable one, or inserted; then clears the repair mark (or gives it up
    /// when the copy is still quarantined) and queues the changes of this replica's actor the hub lacks. Returns
    /// how many were queued.
    fn repaired(
        &mut self,
        scope: &str,
        id: Uuid,
        kind: Kind,
        repaired: &Document,
        hub_heads: &[HashBytes],
    ) -> Result<usize> {
        let (rowid, stored) = match document::rowid_of(self.tx, id)? {
            None => {
                let incoming = incoming_from(id, kind, repaired.fork(), repaired.save(), self.unor, true);
                (self.insert(scope, incoming)?, repaired.fork())
            }
            Some(rowid) => match document::load(self.tx, rowid) {
                Ok((_, mut local)) => {
                    // The stored copy may have moved on while the repair ran (an officer's edit): merge.
                    let before = local.heads();
                    local.merge(&mut repaired.fork()).map_err(|error| {
                        Error::Shape(format!("dokumen {id}: salinan hasil perbaikan tidak dapat digabung: {error}"))
                    })?;
                    if local.heads() != before {
                        document::store_after(self.tx, rowid, &local, &before, self.now)?;
                        self.project(rowid, kind, &local)?;
                    }
                    (rowid, local)
                }
                Err(Error::NotFound(_) | Error::CorruptDocument { .. }) => {
                    // Quarantined or unreadable: the repaired copy (which holds what of it loaded) replaces it.
                    self.tx
                        .prepare_cached("UPDATE document SET quarantined = NULL WHERE rowid = ?1")?
                        .execute([rowid])?;
                    document::compact(self.tx, rowid, repaired, self.now)?;
                    self.project(rowid, kind, repaired)?;
                    (rowid, repaired.fork())
                }
                Err(error) => return Err(error),
            },
        };
        let quarantined: Option<String> = self
            .tx
            .prepare_cached("SELECT quarantined FROM document WHERE rowid = ?1")?
            .query_row([rowid], |row| row.get(0))?;
        if let Some(reason) = quarantined {
            let error = format!("masih dikarantina setelah diperbaiki dari hub: {reason}; hubungi admin instansi");
            sync_state::give_up_repair(self.tx, id, &error, self.now)?;
            return Ok(0);
        }
        sync_state::clear_repair(self.tx, id)?;
        // Outbox rows of changes the repaired copy does not hold were in the unreadable bytes only: they can never
        // be sent (`pending` skips them), so they go, and the officer is told.
        let waiting: Vec<Vec<u8>> = self
            .tx
            .prepare_cached("SELECT change_hash FROM outbox WHERE document_rowid = ?1")?
            .query_map([rowid], |row| row.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let mut lost = 0;
        for hash in waiting {
            let held = <[u8; 32]>::try_from(hash.as_slice())
                .is_ok_and(|bytes| stored.automerge().get_change_meta_by_hash(&ChangeHash(bytes)).is_some());
            if !held {
                lost += self.tx.prepare_cached("DELETE FROM outbox WHERE change_hash = ?1")?.execute([&hash])?;
            }
        }
        if lost > 0 {
            self.report.notices.push(Notice::LocalChangesLost { document: id.to_string(), lost: lost as i64 });
        }
        // The hub takes changes only through the push: queue ours that it lacks (it lost them, or they never
        // left). Changes of other actors it lacks cannot be pushed from here (the hub refuses another actor's).
        let hub_heads: Vec<ChangeHash> = hub_heads.iter().map(|head| ChangeHash(*head)).collect();
        let mut queued = 0;
        let mut statement = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO outbox (change_hash, document_rowid, created_at) VALUES (?1, ?2, ?3)",
        )?;
        for meta in stored.automerge().get_changes_meta(&hub_heads) {
            if meta.actor.as_ref() == self.actor {
                queued += statement.execute(params![meta.hash.0.as_slice(), rowid, self.now])?;
            }
        }
        Ok(queued)
    }

    /// Records the blobs a stored document references that the replica does not know yet (`queued_download`).
    fn want_blobs(&mut self, blobs: &[Reference]) -> Result<()> {
        for reference in blobs {
            let size = reference.size.and_then(|size| i64::try_from(size).ok()).unwrap_or(0);
            let mime = reference.mime.as_deref().unwrap_or("application/octet-stream");
            sync_state::want_blob(self.tx, &reference.sha256, size, mime)?;
        }
        Ok(())
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
        let value = doc.hydrate();
        self.want_blobs(&blob::references(&value))?;
        match kind {
            Kind::Pegawai => match serde_json::from_value::<Pegawai>(value) {
                Ok(pegawai) => {
                    projection::write_pegawai(self.tx, rowid, &projection::derive_pegawai(&pegawai, self.unor), false)?;
                }
                Err(error) => {
                    document::quarantine(self.tx, rowid, &format!("dokumen bukan pegawai yang sah: {error}"))?;
                    return Ok(());
                }
            },
            Kind::Usulan | Kind::VerifikasiLapangan => return self.project_record(rowid, kind, doc),
        }
        projection::project_conflicts(self.tx, rowid, doc)
    }

    /// Writes the list row (and conflicts) of the usulan or verifikasi lapangan document at `rowid`; one that does
    /// not read as a record of its kind is quarantined.
    fn project_record(&mut self, rowid: i64, kind: Kind, doc: &Document) -> Result<()> {
        match projection::project(self.tx, rowid, kind, doc) {
            Err(Error::Shape(reason)) => document::quarantine(
                self.tx,
                rowid,
                &format!("dokumen bukan {} yang sah: {reason}", kind.as_str().replace('_', " ")),
            ),
            other => other,
        }
    }
}
