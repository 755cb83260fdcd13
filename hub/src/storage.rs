//! Where the hub keeps its state: the [`Storage`] trait the core writes through, and [`SqliteStorage`], the
//! embedded default (one SQLite file, WAL, `synchronous=FULL`).
//!
//! The trait is the set of operations [`crate::core`] really performs, each atomic on its own: roster and device
//! rows, document reads, one [`Commit`] per push or import batch (documents, change hashes, blob references and
//! feed entries together), feed reads, log compaction, the consistent read a snapshot is built from, snapshot
//! build records and blob uploads. It holds no rules: who may do what, what a change means and how documents merge
//! are the core's. It does not cache documents either (the core does, under its write lock) and does not
//! serialize writers beyond what each call needs: the core holds one writer at a time.
//!
//! Byte layouts shared with the core: heads are concatenated 32-byte change hashes; a document's state is a save
//! followed by zero or more incremental chunks, which `sync::Document::load` reads as one byte string.

mod sqlite;

use std::fmt;

pub use sqlite::SqliteStorage;
use sync::wire::{DocId, HashBytes, RecordKind};

use crate::core::HubError;
use crate::roster::{Device, RosterEntry};

/// A storage result; failures are [`HubError::Storage`] (or [`HubError::NotFound`] where documented).
pub type StorageResult<T> = Result<T, HubError>;

/// The hub's state, behind one interface so another backend (PostgreSQL for a national hub) can replace SQLite.
///
/// Every method is atomic. Writers are serialized by the caller (the core holds one writer at a time); readers may
/// run concurrently with a writer and see committed state only.
pub trait Storage: Send + Sync + fmt::Debug {
    /// A hub setting (`hub_actor`, `base_epoch`), if set.
    fn meta(&self, key: &str) -> StorageResult<Option<Vec<u8>>>;
    /// Sets a hub setting.
    fn set_meta(&self, key: &str, value: &[u8]) -> StorageResult<()>;

    /// The roster entry of `nip`.
    fn roster_entry(&self, nip: &str) -> StorageResult<Option<RosterEntry>>;
    /// Inserts or replaces a roster entry.
    fn roster_upsert(&self, entry: &RosterEntry) -> StorageResult<()>;
    /// Removes a roster entry; whether it existed.
    fn roster_remove(&self, nip: &str) -> StorageResult<bool>;
    /// The roster, by NIP.
    fn roster_list(&self) -> StorageResult<Vec<RosterEntry>>;

    /// The device registered with `actor`, revoked or not.
    fn device(&self, actor: &[u8]) -> StorageResult<Option<Device>>;
    /// Registers a device (the actor must not be registered yet).
    fn insert_device(&self, actor: &[u8], device: &Device) -> StorageResult<()>;
    /// Every device, by registration time.
    fn devices(&self) -> StorageResult<Vec<Device>>;
    /// Marks a device revoked at `at_ms` unless it already is; whether it was active.
    fn revoke_device(&self, actor: &[u8], at_ms: i64) -> StorageResult<bool>;

    /// A stored document.
    fn document(&self, doc: &DocId) -> StorageResult<Option<StoredDocument>>;
    /// Where the pegawai documents of these NIPs are (`data_utama.nip` at their last hub import), by NIP.
    fn pegawai_by_nip(&self, nips: &[&str]) -> StorageResult<Vec<(String, DocId, String)>>;
    /// The NIPs and document ids of every pegawai document of `scope`, in NIP order.
    fn pegawai_nips(&self, scope: &str) -> StorageResult<Vec<(String, DocId)>>;
    /// The feed seq of the log entry that carried the change `hash`, if the hub holds it.
    fn change_seq(&self, hash: &HashBytes) -> StorageResult<Option<u64>>;
    /// Writes documents, change hashes, blob references and feed entries in one transaction; returns the seq of
    /// each of `commit.log`, in order.
    fn commit(&self, commit: &Commit) -> StorageResult<Vec<u64>>;

    /// The scope's epoch and floor, plus the hub's last seq.
    fn scope_state(&self, scope: &str) -> StorageResult<ScopeState>;
    /// Up to `limit` log entries of `scope` with `seq > after`, by seq.
    fn log_after(&self, scope: &str, after: u64, limit: usize) -> StorageResult<Vec<LogEntry>>;
    /// Replaces the log of `scope` by one snapshot entry per document (its current state) and starts epoch
    /// `epoch`: cursors of older epochs or below the new floor must refetch. Returns the new state.
    fn compact(&self, scope: &str, epoch: u64) -> StorageResult<ScopeState>;

    /// Reads every document of `scope`, by doc id, in one read transaction, and the scope's state at that moment
    /// (the cursor the documents are consistent at).
    fn scope_documents(
        &self,
        scope: &str,
        visit: &mut dyn FnMut(StoredDocument) -> StorageResult<()>,
    ) -> StorageResult<ScopeState>;
    /// How many log entries of `scope` are newer than `seq`.
    fn log_count_after(&self, scope: &str, seq: u64) -> StorageResult<u64>;
    /// The snapshot builds recorded for `scope`, newest first.
    fn snapshot_builds(&self, scope: &str) -> StorageResult<Vec<SnapshotBuild>>;
    /// Records a finished build (its files are already in place).
    fn insert_snapshot_build(&self, build: &SnapshotBuild) -> StorageResult<()>;
    /// Forgets a build (its files are removed by the caller).
    fn delete_snapshot_build(&self, scope: &str, epoch: u64, seq: u64) -> StorageResult<()>;

    /// A complete blob's size, if the hub holds it.
    fn blob_size(&self, sha256: &HashBytes) -> StorageResult<Option<u64>>;
    /// A complete blob's bytes.
    fn blob(&self, sha256: &HashBytes) -> StorageResult<Option<Vec<u8>>>;
    /// Whether a document of one of `scopes` (every scope when `None`) references the blob.
    fn blob_referenced(&self, sha256: &HashBytes, scopes: Option<&[String]>) -> StorageResult<bool>;
    /// The upload in progress of a blob: its declared size and chunk size, and the chunk indexes received.
    fn blob_upload(&self, sha256: &HashBytes) -> StorageResult<Option<BlobUpload>>;
    /// Starts (or restarts, dropping received chunks) the upload of a blob.
    fn start_blob_upload(&self, sha256: &HashBytes, size: u64, chunk_size: u32) -> StorageResult<()>;
    /// Stores one received chunk (replacing a previous copy).
    fn put_blob_chunk(&self, sha256: &HashBytes, index: u32, bytes: &[u8]) -> StorageResult<()>;
    /// Every received chunk of an upload, by index.
    fn blob_chunks(&self, sha256: &HashBytes) -> StorageResult<Vec<(u32, Vec<u8>)>>;
    /// Ends an upload: with `Some(bytes)` the blob is stored whole; either way the upload and its chunks go.
    fn finish_blob_upload(&self, sha256: &HashBytes, bytes: Option<&[u8]>) -> StorageResult<()>;
}

/// A document as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Its id.
    pub doc: DocId,
    /// Its scope (`instansi:<id>`).
    pub scope: String,
    /// Its kind.
    pub record: RecordKind,
    /// A save (`save_uncompressed`) followed by the incremental chunks written since: loadable as one.
    pub bytes: Vec<u8>,
    /// How many incremental chunks follow the save.
    pub chunk_count: u32,
    /// How many bytes they take.
    pub chunk_bytes: u64,
    /// Its heads.
    pub heads: Vec<HashBytes>,
    /// Whether it references at least one blob.
    pub has_blob_refs: bool,
}

/// What one [`Storage::commit`] writes, in one transaction.
#[derive(Debug, Default)]
pub struct Commit {
    /// Document states to write.
    pub documents: Vec<DocumentWrite>,
    /// Feed entries to append, in order; each records the hashes of the changes it carries.
    pub log: Vec<LogAppend>,
}

/// A new document state.
#[derive(Debug)]
pub struct DocumentWrite {
    /// The document.
    pub doc: DocId,
    /// Its scope.
    pub scope: String,
    /// Its kind.
    pub record: RecordKind,
    /// For a pegawai written by an import: its NIP (kept otherwise).
    pub nip: Option<String>,
    /// The bytes.
    pub state: StateWrite,
    /// Its heads after the write.
    pub heads: Vec<HashBytes>,
    /// The blobs it references now, when they were recomputed (`None`: unchanged).
    pub blob_refs: Option<Vec<HashBytes>>,
}

/// How a document's bytes change.
#[derive(Debug)]
pub enum StateWrite {
    /// A whole new save; incremental chunks are dropped.
    Save(Vec<u8>),
    /// One more incremental chunk after the stored ones (`save_after` the stored heads).
    Append(Vec<u8>),
}

/// One feed entry to append.
#[derive(Debug)]
pub struct LogAppend {
    /// Its scope.
    pub scope: String,
    /// Its document.
    pub doc: DocId,
    /// The document's kind.
    pub record: RecordKind,
    /// What it carries.
    pub body: LogBody,
    /// The document's heads after it.
    pub heads_after: Vec<HashBytes>,
    /// The changes it carries (all changes of a snapshot), recorded with its seq for push idempotency.
    pub change_hashes: Vec<HashBytes>,
}

/// The payload of a feed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogBody {
    /// Raw automerge changes, dependencies first.
    Changes(Vec<Vec<u8>>),
    /// A whole document (a save, possibly followed by incremental chunks).
    Snapshot(Vec<u8>),
    /// The document left the scope.
    Remove,
}

/// One stored feed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Its seq.
    pub seq: u64,
    /// Its document.
    pub doc: DocId,
    /// The document's kind.
    pub record: RecordKind,
    /// What it carries.
    pub body: LogBody,
    /// The document's heads after it.
    pub heads_after: Vec<HashBytes>,
}

/// A scope's position in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeState {
    /// The current epoch (cursors of another epoch must refetch).
    pub epoch: u64,
    /// The highest seq dropped by compaction: a cursor below it must refetch; a new reader starts here.
    pub floor_seq: u64,
    /// The highest seq of the scope's log (`floor_seq` when it is empty).
    pub head_seq: u64,
    /// The highest seq the hub ever gave (any scope): a cursor beyond it is not from this hub.
    pub last_seq: u64,
}

/// A built bootstrap snapshot of one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotBuild {
    /// The scope.
    pub scope: String,
    /// The epoch it belongs to.
    pub epoch: u64,
    /// The seq it is consistent at.
    pub seq: u64,
    /// Its chunk files, by index.
    pub chunks: Vec<SnapshotChunkRecord>,
}

/// One chunk file of a [`SnapshotBuild`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotChunkRecord {
    /// Its index, from 0.
    pub index: u32,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the file.
    pub sha256: HashBytes,
    /// How many documents it holds.
    pub documents: u32,
}

/// A blob upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobUpload {
    /// The declared size in bytes.
    pub size: u64,
    /// The chunk size in bytes it was started with.
    pub chunk_size: u32,
    /// The chunk indexes received, ascending.
    pub have: Vec<u32>,
}

/// Splits concatenated 32-byte hashes; a trailing partial hash is ignored (never written).
pub(crate) fn split_hashes(bytes: &[u8]) -> Vec<HashBytes> {
    bytes.chunks_exact(32).filter_map(|chunk| <HashBytes>::try_from(chunk).ok()).collect()
}

/// Concatenates 32-byte hashes.
pub(crate) fn join_hashes(hashes: &[HashBytes]) -> Vec<u8> {
    hashes.iter().flatten().copied().collect()
}
