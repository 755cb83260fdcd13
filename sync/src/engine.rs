//! The sans-IO sync engine: which request to send next and what to do with its answer (DESIGN §5, sync.md §5.4–5.7).
//!
//! One sync run of one scope goes through these phases, in order:
//!
//! 1. **bootstrap** when the replica has no cursor for the scope: the snapshot manifest, then each chunk file,
//!    resumable within a chunk by HTTP Range and across runs by the chunk index the replica stores;
//! 2. **blob upload** ([`Local::blobs_to_upload`]): for each local blob the hub does not hold yet, ask its status,
//!    send only the chunks the hub lacks, and mark it uploaded when the hub has checked the whole SHA-256. After a
//!    cut the status is asked again, so a chunk that reached the hub is never sent twice;
//! 3. **push** of the outbox (deps first when the hub answers `missing_deps`; items leave the outbox only on
//!    `applied` or `duplicate`), then a late blob upload pass for blobs queued meanwhile (not those that failed in
//!    the first pass);
//! 4. **pull** of the feed until it is up to date (live mode: one long-poll `wait`);
//! 5. **repair** of the documents the replica marked ([`Local::repairs`]: a feed change it could not apply, heads
//!    short of the feed's `heads_after`, a quarantined copy) with automerge's sync protocol for that document
//!    alone, over `POST /v1/repair` ([`crate::repair`]); the hub only sends, so the device's own changes it lacks
//!    are queued for the push, and when a repair queued some the run pushes (and pulls) once more;
//! 6. **blob download** ([`Local::blobs_to_download`]): each blob a document references whose content is not
//!    here, resumed by HTTP Range from the bytes kept of an earlier cut, checked against its SHA-256 before it is
//!    stored (a mismatch is discarded and reported, never stored).
//!
//! Blobs go up **before** the push, so a document change that references a blob normally reaches the hub after the
//! blob. A blob attached while the run was pushing (its change may have gone with the push) goes up in a second,
//! late pass right after the push, in the same run: every blob referenced by a change a run pushed is uploaded by
//! that run, unless its upload failed. The hub does not insist on the order: it accepts a reference to a blob it
//! does not hold, and such a blob follows in a later run; until then a download of it answers 404 and the
//! downloading replica marks it `missing` and asks again in its next ordinary run (not in every long-poll of live
//! mode).
//!
//! A `must_refetch` answer (the hub compacted its log past the cursor) forgets the cursor and bootstraps again;
//! the outbox survives, because changes are idempotent. An error answer about one blob or one document (a 4xx
//! other than 401/403/408/429: too large, not found, refused) is recorded in the [`Summary`] and the run moves on;
//! 401/403 stop the run, and 5xx/408/429 are returned as errors the driver retries after a backoff (the engine's
//! state is left as it was, so the same request is made again).
//!
//! The engine never does IO: [`Engine::poll`] returns the next [`Request`] (or that the run is done), the caller
//! sends it however it likes (the reqwest driver in [`crate::driver`], or an in-memory network in tests) and hands
//! the outcome to [`Engine::handle`] — a [`Response`], or a cut connection with the bytes that did arrive. Every
//! durable effect goes through [`Local`], one replica transaction per batch, chunk or blob step, so a crash or a
//! cut at any point repeats at most one of them. The engine holds no state that matters across runs (a blob being
//! downloaded is held in memory, its received bytes also by the replica); it does not retry or sleep (the driver's
//! backoff does) and does not know SQL (the replica implements [`Local`]). Every loop is bounded per run
//! ([`MAX_PUSH_ROUNDS`], [`MAX_FEED_BATCHES`], [`MAX_BLOB_UPLOADS`], [`MAX_BLOB_DOWNLOADS`], [`MAX_BLOB_ATTEMPTS`],
//! [`MAX_REPAIRS`], [`MAX_REPAIR_ROUNDS`]); what is left is done by the next run.

mod blobs;
mod repairs;

use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::wire::{
    self, DocId, ErrorBody, ErrorCode, FeedBatch, HashBytes, PushChange, PushOutcome, PushRequest, PushResponse,
    RecordKind, SnapshotChunk, SnapshotManifest, WireError,
};

/// Push batches are capped at this many bytes of changes before compression (sync.md §5.5: about 256 KB).
pub const MAX_PUSH_BYTES: usize = 256 * 1024;
/// Feed batches are asked for at most this many compressed bytes.
pub const FEED_BATCH_BYTES: usize = wire::DEFAULT_FEED_BATCH_BYTES;
/// Push rounds per run at most (each round sends what is pending, plus dependencies the hub asked for); a round
/// that makes no progress also ends the push.
pub const MAX_PUSH_ROUNDS: usize = 64;
/// Feed batches per run at most; the rest comes in the next run (bounded work per run).
pub const MAX_FEED_BATCHES: usize = 100_000;
/// Longest long-poll wait the engine asks for, seconds (the hub caps it at 25 as well).
pub const LIVE_WAIT_SECONDS: u32 = 25;
/// Blobs uploaded per run at most.
pub const MAX_BLOB_UPLOADS: usize = 1_000;
/// Blobs downloaded per run at most.
pub const MAX_BLOB_DOWNLOADS: usize = 1_000;
/// Requests per blob per run at most: status asks of an upload (one at the start and one after each cut or lost
/// upload), or download attempts. Past it the blob waits for the next run (reported in the [`Summary`]).
pub const MAX_BLOB_ATTEMPTS: u32 = 16;
/// The largest blob a hub accepts, bytes (the hub's own limit is this constant). A blob download never keeps
/// more bytes than this, or than the size the referencing document gives when it gives one.
pub const MAX_BLOB_BYTES: u64 = 64 * 1024 * 1024;
/// The smallest chunk size the engine accepts from a hub's blob status, bytes (unless the whole blob is smaller):
/// a 64 MiB blob has at most about 67,000 chunks.
pub const MIN_BLOB_CHUNK_BYTES: u32 = 1_000;
/// Chunk uploads of one blob per run that the hub may answer with success without then holding the chunk; past
/// it the blob waits for the next run (reported in the [`Summary`]).
pub const MAX_UPLOAD_STALLS: u32 = 3;
/// The most body bytes the driver reads of an answer other than blob content and snapshot chunks.
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// What the answer to a snapshot chunk request may have beyond the chunk's size in the manifest, bytes.
pub const CHUNK_BODY_SLACK: u64 = 64 * 1024;
/// Downloads of a blob that gave wrong bytes after which the replica stops asking for it ([`Local::blob_mismatched`]).
pub const MAX_BLOB_MISMATCHES: u32 = 3;
/// Documents repaired per run at most.
pub const MAX_REPAIRS: usize = 100;
/// Rounds of the repair of one document per run at most (one usually suffices, two when a change was withheld by
/// a false positive of the peer's Bloom filter).
pub const MAX_REPAIR_ROUNDS: u32 = 8;

/// A blob whose content the replica holds and the hub may not: an item of [`Local::blobs_to_upload`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobToUpload {
    /// The blob's SHA-256.
    pub sha256: HashBytes,
    /// Its size in bytes.
    pub size: u64,
}

/// A blob a document of the replica references whose content is not here: an item of
/// [`Local::blobs_to_download`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobToDownload {
    /// The blob's SHA-256.
    pub sha256: HashBytes,
    /// Bytes kept from an interrupted download ([`Local::blob_partial`]); the download resumes after them.
    pub bytes_done: u64,
    /// Its size as the referencing document gives it, 0 when it gives none: the download keeps no more bytes
    /// than this (or than [`MAX_BLOB_BYTES`]).
    pub size: u64,
}

/// A document the replica marked for repair: an item of [`Local::repairs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairTarget {
    /// The document.
    pub doc: DocId,
    /// What it holds (as the feed said, or the hub's answer when it differs).
    pub record: RecordKind,
}

/// The durable side of sync: the replica. Each method is one transaction (or a read).
pub trait Local {
    /// The replica's error.
    type Error: std::fmt::Display;

    /// The replica's automerge actor (the device's registered actor id), sent with every push.
    fn actor(&mut self) -> Result<Vec<u8>, Self::Error>;
    /// The feed cursor of `scope` (opaque text from the hub), if the scope was bootstrapped.
    fn cursor(&mut self, scope: &str) -> Result<Option<String>, Self::Error>;
    /// A bootstrap of `scope` in progress: (the manifest cursor it follows, the next chunk index to apply).
    fn bootstrap_progress(&mut self, scope: &str) -> Result<Option<(String, u32)>, Self::Error>;
    /// Stores the documents of chunk `index` of the bootstrap at manifest `cursor` and records `index + 1` as the
    /// next chunk, in one transaction. Documents already present are merged (idempotent). Returns how many
    /// documents the chunk held.
    fn apply_chunk(
        &mut self,
        scope: &str,
        cursor: &str,
        index: u32,
        chunk: SnapshotChunk,
    ) -> Result<usize, Self::Error>;
    /// Ends a bootstrap: the scope's cursor becomes `cursor` and the progress is cleared (one transaction).
    fn finish_bootstrap(&mut self, scope: &str, cursor: &str) -> Result<(), Self::Error>;
    /// The hub answered `must_refetch`: forget the cursor and any bootstrap progress of `scope` (the documents and
    /// the outbox stay).
    fn forget_scope(&mut self, scope: &str) -> Result<(), Self::Error>;
    /// Applies a feed batch and advances the cursor to `batch.next_cursor`, in one transaction. Returns how many
    /// documents changed.
    fn apply_feed(&mut self, scope: &str, batch: &FeedBatch) -> Result<usize, Self::Error>;
    /// Pending outbox changes to push, at most about `max_bytes`, each document's changes in causal order; items
    /// the hub rejected for good are not offered again.
    fn pending(&mut self, max_bytes: usize) -> Result<Vec<PushChange>, Self::Error>;
    /// A change by hash from the replica's documents (a dependency the hub asked for), if the replica has it.
    fn change(&mut self, hash: &HashBytes) -> Result<Option<PushChange>, Self::Error>;
    /// Applies the hub's answers to the outbox in one transaction: `applied`/`duplicate` leave it, `rejected` is
    /// recorded with its reason (and leaves it when the hub kept the change with a compensation), the others stay.
    fn acknowledge(&mut self, response: &PushResponse) -> Result<(), Self::Error>;

    /// Blobs whose content is here and that are queued for upload (not yet known to be on the hub), at most
    /// `limit`, oldest first.
    fn blobs_to_upload(&mut self, limit: usize) -> Result<Vec<BlobToUpload>, Self::Error>;
    /// The content of blob `sha256`, checked against its hash (an error when the bytes do not match or are absent;
    /// the engine reports it and moves on to the next blob).
    fn blob_content(&mut self, sha256: &HashBytes) -> Result<Vec<u8>, Self::Error>;
    /// Upload progress of blob `sha256`: the hub holds `bytes_done` bytes of it; with `complete`, the hub holds it
    /// whole and checked, so the blob is synced and not offered again.
    fn blob_uploaded(&mut self, sha256: &HashBytes, bytes_done: u64, complete: bool) -> Result<(), Self::Error>;
    /// Blobs the replica's documents reference whose content is not here, at most `limit`: those waiting for a
    /// download first, then, with `retry_missing`, those the hub did not serve last time.
    fn blobs_to_download(&mut self, limit: usize, retry_missing: bool) -> Result<Vec<BlobToDownload>, Self::Error>;
    /// The bytes kept of an interrupted download of `sha256`, from byte 0 (empty when none, or when what was kept
    /// does not read back whole: the download then starts over).
    fn blob_partial(&mut self, sha256: &HashBytes) -> Result<Vec<u8>, Self::Error>;
    /// Keeps `bytes` that arrived at byte `offset` of a download before the connection broke, durably (one
    /// transaction), so that the next request, or the next run, asks only for what follows (HTTP Range).
    fn blob_received(&mut self, sha256: &HashBytes, offset: u64, bytes: &[u8]) -> Result<(), Self::Error>;
    /// Stores a downloaded blob and drops the bytes kept of it. The engine checked `content` against `sha256`.
    fn blob_downloaded(&mut self, sha256: &HashBytes, content: &[u8]) -> Result<(), Self::Error>;
    /// A download did not give the blob: the bytes kept of it are dropped (the next download starts at byte 0);
    /// with `missing`, the hub does not serve it (not uploaded yet, or not referenced in the caller's scope).
    fn blob_not_downloaded(&mut self, sha256: &HashBytes, missing: bool) -> Result<(), Self::Error>;
    /// A download of `sha256` gave bytes that are not the blob (not its SHA-256, or more than it has): the bytes
    /// kept of it are dropped, and the replica counts it. Returns how many downloads of it went wrong so far
    /// (across runs); from the first one the blob is left out of live mode's runs (like a `missing` one), and
    /// from [`MAX_BLOB_MISMATCHES`] on it is not offered for download any more. The provided implementation
    /// only drops the bytes ([`Local::blob_not_downloaded`]) and counts nothing (always 1).
    fn blob_mismatched(&mut self, sha256: &HashBytes) -> Result<u32, Self::Error> {
        self.blob_not_downloaded(sha256, false).map(|()| 1)
    }

    /// Documents of `scope` to repair, at most `limit`: those marked when a feed item could not be applied or left
    /// their heads short of its `heads_after`, and quarantined ones; not those given up after repeated failures.
    fn repairs(&mut self, scope: &str, limit: usize) -> Result<Vec<RepairTarget>, Self::Error>;
    /// The replica's copy of document `doc` to repair from, or `None` when it has none it can load (the repair
    /// then starts from an empty document and receives the hub's whole copy).
    fn repair_base(&mut self, doc: &DocId) -> Result<Option<Document>, Self::Error>;
    /// Stores a repaired `document` (the replica's copy with every change of the hub's `hub_heads`) in one
    /// transaction: merged into the stored copy (or replacing an unreadable one, or inserted), projected, the
    /// repair mark cleared, and the device's own changes the hub lacks queued in the outbox. Returns how many were
    /// queued.
    fn finish_repair(
        &mut self,
        scope: &str,
        target: &RepairTarget,
        document: &Document,
        hub_heads: &[HashBytes],
    ) -> Result<usize, Self::Error>;
    /// The repair of `doc` did not finish, because of `reason`; it is tried again by later runs, a few times.
    fn repair_failed(&mut self, doc: &DocId, reason: &str) -> Result<(), Self::Error>;
}

/// An HTTP method of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST (a wire message body).
    Post,
    /// PUT (a raw blob chunk body, `application/octet-stream`).
    Put,
}

/// What a request is for (for logs, progress and fault tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// `GET /v1/snapshot`.
    Manifest,
    /// `GET /v1/snapshot/chunk`, chunk `index` of `count`.
    Chunk {
        /// The chunk's index.
        index: u32,
        /// Chunks in the manifest.
        count: u32,
    },
    /// `POST /v1/push`.
    Push,
    /// `GET /v1/feed`.
    Feed,
    /// `GET /v1/blob/{sha256}?size=`: what the hub holds of a blob being uploaded.
    BlobStatus,
    /// `PUT /v1/blob/{sha256}/{index}`: chunk `index` of `count` of a blob being uploaded.
    BlobChunk {
        /// The chunk's index.
        index: u32,
        /// Chunks in the blob.
        count: u32,
    },
    /// `GET /v1/blob/{sha256}/content`: a blob being downloaded (from `range_from` on, when resuming).
    BlobContent,
    /// `POST /v1/repair`: one round of the repair of one document.
    Repair,
}

/// One HTTP request to the hub, relative to its base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Path and query, percent-encoded (`/v1/feed?scope=instansi%3A123&cursor=...`).
    pub path: String,
    /// Body: a [`wire`] message for POST, raw blob bytes for PUT, empty for GET.
    pub body: Vec<u8>,
    /// Ask for the resource from this byte offset on (`Range: bytes=N-`), to resume a cut chunk or blob download.
    pub range_from: Option<u64>,
    /// What it is for.
    pub kind: RequestKind,
}

/// The hub's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Body bytes (for a 206, the requested tail).
    pub body: Vec<u8>,
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A complete response.
    Response(Response),
    /// The connection broke (or the watchdog fired); `partial` holds the body bytes of a 200/206 that did arrive
    /// (only meaningful for snapshot chunk and blob downloads, which resume from there).
    Cut {
        /// Body bytes received before the cut.
        partial: Vec<u8>,
        /// Whether `partial` starts at byte 0 of the resource (the hub answered 200, even to a Range request),
        /// rather than where the Range asked (206): then it replaces what was kept instead of following it.
        from_start: bool,
    },
    /// The answer's body was longer than [`Engine::body_limit`] allowed: the driver stopped reading it.
    TooLarge {
        /// The limit, bytes.
        limit: u64,
    },
}

/// The engine's next move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this request and give its outcome to [`Engine::handle`].
    Send(Request),
    /// The run is finished.
    Done,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The replica failed (disk full, corrupt file); the message is the replica's.
    #[error("replika lokal gagal: {0}")]
    Local(String),
    /// The hub refused the caller (401): sign in again.
    #[error("hub menolak sesi ({message}); masuk (login) lagi")]
    Unauthorized {
        /// The hub's message.
        message: String,
    },
    /// The hub forbade the request (403 `forbidden`): not on the roster, another instansi's scope, an actor that
    /// is not the caller's registered device.
    #[error("hub menolak akses ({message}); hubungi admin instansi")]
    Forbidden {
        /// The hub's message.
        message: String,
    },
    /// The hub answered with another error: any other status, or a 403 with another code than `forbidden`. A
    /// revoked device is `status` 403 with `code` `device_revoked` ([`SyncError::is_device_revoked`]): stop
    /// syncing and lock the scope; retrying does not help.
    #[error("hub menjawab {status} {code}: {message}")]
    Hub {
        /// HTTP status.
        status: u16,
        /// The error code of the body, or `?` when the body was not an error message.
        code: String,
        /// The hub's message.
        message: String,
    },
    /// The hub's bytes did not decode or did not match what the manifest promised.
    #[error("jawaban hub tidak sah: {0}")]
    Protocol(String),
}

impl SyncError {
    /// Whether trying again later can help (network-like or server-side trouble), as opposed to a decision
    /// (refused access) or a broken replica. Status 0 is the driver giving up after too many failed exchanges in
    /// a row (the hub unreachable), which is network trouble too.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Hub { status, .. } => *status == 0 || *status >= 500 || *status == 408 || *status == 429,
            SyncError::Protocol(_) => true,
            SyncError::Local(_) | SyncError::Unauthorized { .. } | SyncError::Forbidden { .. } => false,
        }
    }

    /// Whether the hub refused the request because an admin revoked this device (403 `device_revoked`): the
    /// caller locks the scope's local data (keeping its unsynced work) instead of retrying. The hub says so for
    /// a push from the device's actor, and for any request naming the device in [`wire::DEVICE_HEADER`].
    pub fn is_device_revoked(&self) -> bool {
        matches!(self, SyncError::Hub { status: 403, code, .. } if code == ErrorCode::DeviceRevoked.as_str())
    }
}

/// What a run moved, for the progress bar and the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Requests sent (each counted once, retries included).
    pub requests: usize,
    /// Request body bytes sent.
    pub bytes_sent: usize,
    /// Response body bytes received.
    pub bytes_received: usize,
    /// Whether this run bootstrapped the scope.
    pub bootstrapped: bool,
    /// Snapshot chunks applied, of how many.
    pub chunks: (u32, u32),
    /// Documents stored from snapshot chunks.
    pub snapshot_documents: usize,
    /// Changes the hub applied or already had.
    pub pushed: usize,
    /// Changes the hub rejected: (hash, code, reason).
    pub rejected: Vec<(HashBytes, String, String)>,
    /// Feed batches applied.
    pub feed_batches: usize,
    /// Documents changed by the feed.
    pub pulled_documents: usize,
    /// Times the hub answered `must_refetch`.
    pub refetches: usize,
    /// Blobs the hub now holds whole and checked (uploaded this run, or found already complete there).
    pub blobs_uploaded: usize,
    /// Blob bytes sent in chunks the hub acknowledged.
    pub blob_bytes_sent: u64,
    /// Blobs downloaded, checked against their SHA-256 and stored.
    pub blobs_downloaded: usize,
    /// Blob bytes received (the parts of cut downloads included).
    pub blob_bytes_received: u64,
    /// Blobs that did not move this run: (SHA-256, why, in Bahasa Indonesia). Nothing of them was stored wrongly;
    /// a later run tries them again.
    pub blob_failures: Vec<(HashBytes, String)>,
    /// Documents repaired (their copy now holds the hub's heads).
    pub repaired: usize,
    /// The device's own changes the hub lacked, found by repairs and queued for push.
    pub repair_requeued: usize,
    /// Documents whose repair did not finish: (document, why, in Bahasa Indonesia).
    pub repair_failures: Vec<(DocId, String)>,
}

#[derive(Debug)]
enum State {
    Start,
    Manifest,
    Chunk { manifest: SnapshotManifest, index: u32, partial: Vec<u8> },
    Upload(Box<blobs::Uploads>),
    Push { round: usize, deps: Vec<PushChange> },
    Pull { batches: usize },
    Repair(Box<repairs::Repairs>),
    Download(Box<blobs::Downloads>),
    Done,
}

/// One sync run of one scope. See the module documentation for the order of work.
#[derive(Debug)]
pub struct Engine {
    scope: String,
    live_wait: Option<u32>,
    /// Whether blobs the hub did not serve last time are asked for again (not in live mode's long-poll runs).
    retry_missing: bool,
    /// Whether the repair phase ran (it runs once per run; a repair that queued changes brings the push back).
    repaired: bool,
    state: State,
    /// The request sent: what it is for, its body's size, and the most body bytes its answer may have.
    in_flight: Option<(RequestKind, usize, u64)>,
    summary: Summary,
}

impl Engine {
    /// A run for `scope` (`instansi:<id>`).
    pub fn new(scope: impl Into<String>) -> Engine {
        Engine {
            scope: scope.into(),
            live_wait: None,
            retry_missing: true,
            repaired: false,
            state: State::Start,
            in_flight: None,
            summary: Summary::default(),
        }
    }

    /// A live run: bootstrap and push as usual, then one long-poll pull that waits up to `wait` seconds (capped
    /// at [`LIVE_WAIT_SECONDS`]) for news when the feed is up to date. Blobs the hub did not serve last time are
    /// left to the next ordinary run, so a reference nobody uploaded costs no request per long-poll.
    pub fn live(scope: impl Into<String>, wait: u32) -> Engine {
        Engine { live_wait: Some(wait.min(LIVE_WAIT_SECONDS)), retry_missing: false, ..Engine::new(scope) }
    }

    /// The scope.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The most body bytes the answer to the request in flight may have (the driver stops reading past it and
    /// hands [`Outcome::TooLarge`] over): the blob's size for blob content, the chunk's size in the manifest
    /// (plus [`CHUNK_BODY_SLACK`]) for a snapshot chunk, [`MAX_BODY_BYTES`] otherwise. [`MAX_BODY_BYTES`] when
    /// nothing is in flight.
    pub fn body_limit(&self) -> u64 {
        self.in_flight.map_or(MAX_BODY_BYTES, |(_, _, limit)| limit)
    }

    /// What the run moved so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The next request, or [`Step::Done`].
    ///
    /// # Errors
    /// [`SyncError::Local`] when the replica fails.
    pub fn poll<L: Local>(&mut self, local: &mut L) -> Result<Step, SyncError> {
        loop {
            let request = match &mut self.state {
                State::Start => {
                    self.state = match local.cursor(&self.scope).map_err(local_error)? {
                        Some(_) => State::Upload(Box::default()),
                        None => State::Manifest,
                    };
                    continue;
                }
                State::Manifest => Request {
                    method: Method::Get,
                    path: format!("/v1/snapshot?scope={}", encode_query(&self.scope)),
                    body: Vec::new(),
                    range_from: None,
                    kind: RequestKind::Manifest,
                },
                State::Chunk { manifest, index, partial } => {
                    if *index as usize >= manifest.chunks.len() {
                        local.finish_bootstrap(&self.scope, &manifest.cursor).map_err(local_error)?;
                        self.summary.bootstrapped = true;
                        self.state = State::Upload(Box::default());
                        continue;
                    }
                    Request {
                        method: Method::Get,
                        path: format!(
                            "/v1/snapshot/chunk?scope={}&cursor={}&index={index}",
                            encode_query(&self.scope),
                            encode_query(&manifest.cursor)
                        ),
                        body: Vec::new(),
                        range_from: (!partial.is_empty()).then_some(partial.len() as u64),
                        kind: RequestKind::Chunk { index: *index, count: manifest.chunks.len() as u32 },
                    }
                }
                State::Upload(uploads) => match uploads.poll(local, &mut self.summary)? {
                    Some(request) => request,
                    None => {
                        self.state = if uploads.is_late() {
                            State::Pull { batches: 0 }
                        } else {
                            State::Push { round: 0, deps: Vec::new() }
                        };
                        continue;
                    }
                },
                State::Push { round, deps } => {
                    if *round >= MAX_PUSH_ROUNDS {
                        self.state = State::Upload(Box::new(blobs::Uploads::late()));
                        continue;
                    }
                    let mut changes = std::mem::take(deps);
                    let mut size: usize = changes.iter().map(|change| change.change.0.len()).sum();
                    for change in local.pending(MAX_PUSH_BYTES).map_err(local_error)? {
                        if size >= MAX_PUSH_BYTES && !changes.is_empty() {
                            break;
                        }
                        if !changes.iter().any(|sent| sent.change == change.change) {
                            size += change.change.0.len();
                            changes.push(change);
                        }
                    }
                    if changes.is_empty() {
                        self.state = State::Upload(Box::new(blobs::Uploads::late()));
                        continue;
                    }
                    let body = wire::encode(&PushRequest {
                        v: wire::VERSION,
                        actor: wire::Bytes(local.actor().map_err(local_error)?),
                        batch_id: format!("{}-{round}", self.scope),
                        changes,
                    })
                    .map_err(protocol_error)?;
                    Request {
                        method: Method::Post,
                        path: "/v1/push".to_owned(),
                        body,
                        range_from: None,
                        kind: RequestKind::Push,
                    }
                }
                State::Pull { batches } => {
                    if *batches >= MAX_FEED_BATCHES {
                        self.state = self.after_pull();
                        continue;
                    }
                    let Some(cursor) = local.cursor(&self.scope).map_err(local_error)? else {
                        // Forgotten by a must-refetch that arrived while pushing: bootstrap again.
                        self.state = State::Manifest;
                        continue;
                    };
                    let wait = match self.live_wait {
                        Some(wait) if wait > 0 => format!("&wait={wait}"),
                        _ => String::new(),
                    };
                    Request {
                        method: Method::Get,
                        path: format!(
                            "/v1/feed?scope={}&cursor={}&max_bytes={FEED_BATCH_BYTES}{wait}",
                            encode_query(&self.scope),
                            encode_query(&cursor)
                        ),
                        body: Vec::new(),
                        range_from: None,
                        kind: RequestKind::Feed,
                    }
                }
                State::Repair(repairs) => match repairs.poll(local, &self.scope, &mut self.summary)? {
                    Some(request) => request,
                    None => {
                        self.repaired = true;
                        self.state = if self.summary.repair_requeued > 0 {
                            // The repairs found changes of this device the hub lacks: push them now.
                            State::Push { round: 0, deps: Vec::new() }
                        } else {
                            State::Download(Box::default())
                        };
                        continue;
                    }
                },
                State::Download(downloads) => match downloads.poll(local, self.retry_missing, &mut self.summary)? {
                    Some(request) => request,
                    None => {
                        self.state = State::Done;
                        continue;
                    }
                },
                State::Done => return Ok(Step::Done),
            };
            self.summary.requests += 1;
            self.summary.bytes_sent += request.body.len();
            let limit = match (&self.state, request.kind) {
                (State::Download(downloads), RequestKind::BlobContent) => downloads.body_limit(),
                (State::Chunk { manifest, index, .. }, RequestKind::Chunk { .. }) => manifest
                    .chunks
                    .iter()
                    .find(|info| info.index == *index)
                    .map_or(MAX_BODY_BYTES, |info| info.size.saturating_add(CHUNK_BODY_SLACK)),
                _ => MAX_BODY_BYTES,
            };
            self.in_flight = Some((request.kind, request.body.len(), limit));
            return Ok(Step::Send(request));
        }
    }

    /// Takes the outcome of the request [`Self::poll`] returned.
    ///
    /// A cut connection leaves the state as it was (the same request is made again, a chunk from the bytes that
    /// arrived), so the caller only has to back off and poll again. A push whose answer was lost is simply pushed
    /// again: the hub answers `duplicate` for what it already has. A cut blob upload asks the hub's status again
    /// (only what it lacks is sent); a cut blob download keeps what arrived ([`Local::blob_received`]) and asks for
    /// the rest by Range; a cut repair round starts a fresh protocol session over the copy as it stands.
    ///
    /// # Errors
    /// What stopped the run: refused access, a broken replica, bad bytes from the hub, an error status.
    pub fn handle<L: Local>(&mut self, local: &mut L, outcome: Outcome) -> Result<(), SyncError> {
        let Some((kind, sent, _)) = self.in_flight.take() else {
            return Err(SyncError::Protocol("jawaban tanpa permintaan".into()));
        };
        self.summary.bytes_received += match &outcome {
            Outcome::Response(response) => response.body.len(),
            Outcome::Cut { partial, .. } => partial.len(),
            Outcome::TooLarge { .. } => 0,
        };
        match &mut self.state {
            State::Upload(uploads) => return uploads.handle(local, &mut self.summary, kind, sent, outcome),
            State::Download(downloads) => return downloads.handle(local, &mut self.summary, outcome),
            State::Repair(repairs) => return repairs.handle(local, &self.scope, &mut self.summary, outcome),
            _ => {}
        }
        let response = match outcome {
            Outcome::Response(response) => response,
            Outcome::Cut { partial, from_start } => {
                if let (RequestKind::Chunk { .. }, State::Chunk { manifest, index, partial: received }) =
                    (kind, &mut self.state)
                {
                    if from_start {
                        received.clear();
                    }
                    received.extend_from_slice(&partial);
                    let size = manifest.chunks.iter().find(|info| info.index == *index).map_or(0, |info| info.size);
                    if received.len() as u64 > size {
                        // More than the chunk holds: not a prefix of it; fetch it whole.
                        received.clear();
                    }
                }
                return Ok(());
            }
            Outcome::TooLarge { limit } => {
                return Err(SyncError::Protocol(format!("jawaban hub melebihi batas {limit} byte")));
            }
        };
        if response.status == 409 && error_code(&response) == Some(ErrorCode::MustRefetch) {
            // The hub compacted its log past our cursor (or re-partitioned the scope): bootstrap again.
            local.forget_scope(&self.scope).map_err(local_error)?;
            self.summary.refetches += 1;
            if self.summary.refetches > 3 {
                return Err(SyncError::Protocol("hub meminta unduh ulang berkali-kali".into()));
            }
            self.state = State::Manifest;
            return Ok(());
        }
        if !(200..300).contains(&response.status) {
            if let (RequestKind::Chunk { .. }, 416) = (kind, response.status) {
                // The partial bytes we hold are not a prefix any more: fetch the chunk whole.
                if let State::Chunk { partial, .. } = &mut self.state {
                    partial.clear();
                }
                return Ok(());
            }
            if let (RequestKind::Chunk { .. }, 404) = (kind, response.status) {
                // The snapshot this bootstrap followed is gone: start again from a fresh manifest.
                local.forget_scope(&self.scope).map_err(local_error)?;
                self.state = State::Manifest;
                return Ok(());
            }
            return Err(status_error(&response));
        }
        match std::mem::replace(&mut self.state, State::Done) {
            State::Manifest => {
                let manifest: SnapshotManifest = wire::decode(&response.body).map_err(protocol_error)?;
                let resume = match local.bootstrap_progress(&self.scope).map_err(local_error)? {
                    Some((cursor, next)) if cursor == manifest.cursor => next,
                    _ => 0,
                };
                self.summary.chunks = (resume, manifest.chunks.len() as u32);
                self.state = State::Chunk { manifest, index: resume, partial: Vec::new() };
            }
            State::Chunk { manifest, index, mut partial } => {
                if response.status == 206 {
                    partial.extend_from_slice(&response.body);
                } else {
                    partial = response.body;
                }
                let info = manifest
                    .chunks
                    .iter()
                    .find(|info| info.index == index)
                    .ok_or_else(|| SyncError::Protocol(format!("potongan {index} tidak ada di manifest")))?;
                let digest: [u8; 32] = Sha256::digest(&partial).into();
                if partial.len() as u64 != info.size || digest != info.sha256 {
                    return Err(SyncError::Protocol(format!(
                        "potongan {index}: {} byte, hash tidak cocok dengan manifest ({} byte)",
                        partial.len(),
                        info.size
                    )));
                }
                let chunk: SnapshotChunk = wire::decode(&partial).map_err(protocol_error)?;
                let documents = local.apply_chunk(&self.scope, &manifest.cursor, index, chunk).map_err(local_error)?;
                self.summary.snapshot_documents += documents;
                self.summary.chunks.0 = index + 1;
                self.state = State::Chunk { manifest, index: index + 1, partial: Vec::new() };
            }
            State::Push { round, .. } => {
                let answer: PushResponse = wire::decode(&response.body).map_err(protocol_error)?;
                local.acknowledge(&answer).map_err(local_error)?;
                let mut progress = false;
                let mut deps = Vec::new();
                for result in &answer.results {
                    match &result.outcome {
                        PushOutcome::Applied { .. } | PushOutcome::Duplicate { .. } => {
                            self.summary.pushed += 1;
                            progress = true;
                        }
                        PushOutcome::MissingDeps { hashes } => {
                            for hash in hashes {
                                if let Some(change) = local.change(hash).map_err(local_error)? {
                                    deps.push(change);
                                }
                            }
                        }
                        PushOutcome::Rejected { code, reason, .. } => {
                            self.summary.rejected.push((result.hash, code.clone(), reason.clone()));
                            progress = true;
                        }
                    }
                }
                self.state = if progress || !deps.is_empty() {
                    State::Push { round: round + 1, deps }
                } else {
                    State::Upload(Box::new(blobs::Uploads::late()))
                };
            }
            State::Pull { batches } => {
                let batch: FeedBatch = wire::decode(&response.body).map_err(protocol_error)?;
                if batch.scope != self.scope {
                    return Err(SyncError::Protocol(format!("feed untuk {} bukan {}", batch.scope, self.scope)));
                }
                self.summary.pulled_documents += local.apply_feed(&self.scope, &batch).map_err(local_error)?;
                self.summary.feed_batches += 1;
                // Live mode waits once; after news arrived, the rest is read without waiting.
                if self.live_wait.is_some() && !batch.items.is_empty() {
                    self.live_wait = Some(0);
                }
                self.state = if batch.up_to_date { self.after_pull() } else { State::Pull { batches: batches + 1 } };
            }
            state @ (State::Start | State::Done | State::Upload(_) | State::Repair(_) | State::Download(_)) => {
                self.state = state
            }
        }
        Ok(())
    }

    /// The phase after the pull: the repairs once per run, then the blob downloads.
    fn after_pull(&self) -> State {
        if self.repaired { State::Download(Box::default()) } else { State::Repair(Box::default()) }
    }
}

/// How a phase reads an error answer about one blob or one document. A 4xx other than 401, 403, 408 and 429 is a
/// decision about that item (too large, not found, refused): `Ok((status, message))`, which the phase records
/// before it moves on. Anything else is `Err`: 401/403 stop the run, and 5xx, 408 and 429 go back to the driver,
/// which retries the same request after a backoff.
fn item_refusal(response: &Response) -> Result<(u16, String), SyncError> {
    let status = response.status;
    let error = status_error(response);
    if (400..500).contains(&status) && !matches!(status, 401 | 403 | 408 | 429) {
        let message = match &error {
            SyncError::Hub { message, .. } => message.clone(),
            other => other.to_string(),
        };
        Ok((status, message))
    } else {
        Err(error)
    }
}

fn local_error(error: impl std::fmt::Display) -> SyncError {
    SyncError::Local(error.to_string())
}

fn protocol_error(error: WireError) -> SyncError {
    SyncError::Protocol(error.to_string())
}

fn error_code(response: &Response) -> Option<ErrorCode> {
    wire::decode::<ErrorBody>(&response.body).ok().and_then(|body| body.error_code())
}

fn status_error(response: &Response) -> SyncError {
    let body = wire::decode::<ErrorBody>(&response.body).ok();
    let message =
        body.as_ref().map_or_else(|| String::from_utf8_lossy(&response.body).into_owned(), |body| body.message.clone());
    let code = body.as_ref().and_then(ErrorBody::error_code);
    match (response.status, code) {
        (401, _) => SyncError::Unauthorized { message },
        // A revoked device is told apart from other refusals (the caller locks the scope), as `Hub` with its code.
        (403, Some(ErrorCode::DeviceRevoked)) => {
            SyncError::Hub { status: 403, code: ErrorCode::DeviceRevoked.as_str().to_owned(), message }
        }
        (403, _) => SyncError::Forbidden { message },
        (status, _) => SyncError::Hub { status, code: body.map_or_else(|| "?".to_owned(), |body| body.code), message },
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
