//! The messages of wire version 1, as serde types. `schemas/sync/wire-v1.cddl` describes the same shapes for
//! other languages; a test keeps the two in step.
//!
//! Shape rules shared by every message: structs are CBOR maps with text keys, written in field order; every
//! top-level message starts with `v` (= [`VERSION`](super::VERSION)); byte strings are CBOR byte strings (major
//! type 2); tagged unions are maps whose `t` member names the variant; unknown keys are ignored when reading, so a
//! later v1 may add keys. Nothing here checks values beyond their shape (the hub and the engine do that).

use serde::{Deserialize, Serialize};

use super::bytes::{Bytes, fixed, fixed_opt, fixed_vec};

/// A document id: the record's UUID (v7) as its 16 bytes, in RFC 9562 byte order.
pub type DocId = [u8; 16];

/// A SHA-256 digest: an automerge change hash ([`crate::ChangeHash`]`.0`), or the hash of a file or blob.
pub type HashBytes = [u8; 32];

/// The kind of record a document holds (DESIGN §3.1); on the wire its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// One ASN: `"pegawai"`.
    Pegawai,
    /// One usulan: `"usulan"`.
    Usulan,
    /// One field verification visit: `"verifikasi_lapangan"`.
    VerifikasiLapangan,
}

impl RecordKind {
    /// Every kind, in wire order.
    pub const ALL: [RecordKind; 3] = [RecordKind::Pegawai, RecordKind::Usulan, RecordKind::VerifikasiLapangan];

    /// The wire name (also `store`'s `document.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Pegawai => "pegawai",
            RecordKind::Usulan => "usulan",
            RecordKind::VerifikasiLapangan => "verifikasi_lapangan",
        }
    }

    /// The inverse of [`Self::as_str`].
    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// One batch of a scope's change feed: the answer to a feed request (sync.md §5.4).
///
/// The client applies every item and stores `next_cursor` in one transaction; a batch applied twice is harmless.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedBatch {
    /// The wire version, 1.
    pub v: u32,
    /// The scope the feed belongs to: `"instansi:<id>"` (later also finer scopes such as `"unit:<id>"`).
    pub scope: String,
    /// The log entries after the request's cursor, by increasing `seq`. Empty when nothing is new.
    pub items: Vec<FeedItem>,
    /// The cursor to send next time: the position after the last item (the request's cursor when `items` is
    /// empty). Opaque to clients.
    pub next_cursor: String,
    /// True when the batch ends at the head of the log: nothing more is waiting right now.
    pub up_to_date: bool,
    /// The hub's clock when it built the batch, milliseconds since the Unix epoch (for display and clock-skew
    /// warnings only, never for ordering).
    pub server_time_ms: i64,
}

/// One entry of the change feed: something that happened to one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    /// The entry's position in the hub log. Increases over the whole hub (not per scope), so a push answer's
    /// [`PushResponse::checkpoint_seq`] can be compared with it.
    pub seq: u64,
    /// The document.
    #[serde(with = "fixed")]
    pub doc: DocId,
    /// What kind of record the document holds.
    pub record: RecordKind,
    /// What happened.
    pub body: FeedBody,
    /// The document's heads at the hub after this entry, each a 32-byte change hash. Empty for `remove`.
    /// A client whose heads differ after applying the entry has diverged and runs the repair path.
    #[serde(with = "fixed_vec")]
    pub heads_after: Vec<HashBytes>,
}

/// What a [`FeedItem`] carries. On the wire a map with `t` = `"changes"`, `"snapshot"` or `"remove"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum FeedBody {
    /// New automerge changes to apply (idempotent: changes the client holds are ignored).
    Changes {
        /// Raw automerge changes (each one `Change::raw_bytes`), dependencies first.
        changes: Vec<Bytes>,
    },
    /// The whole document, to load or merge (a document entering the scope, or after a hub history reset).
    Snapshot {
        /// An automerge save (`Automerge::save`).
        save: Bytes,
    },
    /// The document left the scope (mutasi, revoked access): the client purges it once its outbox holds no change
    /// of it (unsent changes are pushed first).
    Remove,
}

/// A batch of outbox changes from one device (sync.md §5.5). Body of the push request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// The wire version, 1.
    pub v: u32,
    /// The automerge actor id of the pushing device (16 bytes in this project: device id ‖ install epoch). The hub
    /// refuses changes by an actor that is not registered to the caller.
    pub actor: Bytes,
    /// A client-chosen id of this batch, for logs only (the idempotency key is each change's hash).
    pub batch_id: String,
    /// The changes, dependencies before dependents. The hub answers each in [`PushResponse::results`], same order.
    pub changes: Vec<PushChange>,
}

/// One change of a [`PushRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushChange {
    /// The document the change belongs to.
    #[serde(with = "fixed")]
    pub doc: DocId,
    /// What kind of record that document holds (a new usulan's first change creates it at the hub).
    pub record: RecordKind,
    /// The raw automerge change. Its hash (SHA-256, as automerge computes it) is its identity.
    pub change: Bytes,
}

/// The hub's answer to a [`PushRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The wire version, 1.
    pub v: u32,
    /// One result per pushed change, in the request's order.
    pub results: Vec<PushResult>,
    /// The write checkpoint: the highest feed `seq` of the changes this batch applied or found duplicate (0 when
    /// none). Once the client's feed cursor has passed it, what was pushed has come back through the feed.
    pub checkpoint_seq: u64,
}

/// The outcome for one pushed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// The change's hash, as the hub computed it from the bytes.
    #[serde(with = "fixed")]
    pub hash: HashBytes,
    /// What happened to it.
    pub outcome: PushOutcome,
}

/// What the hub did with one pushed change. On the wire a map with `t` = `"applied"`, `"duplicate"`,
/// `"missing_deps"` or `"rejected"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Stored; the feed carries it at `seq`. The change leaves the outbox.
    Applied {
        /// Its feed sequence number.
        seq: u64,
    },
    /// The hub already had it (an earlier push whose answer was lost); at `seq`. The change leaves the outbox.
    Duplicate {
        /// Its feed sequence number.
        seq: u64,
    },
    /// Not stored: the hub lacks changes it depends on. Send those first (the change stays in the outbox).
    MissingDeps {
        /// The hashes of the missing dependencies.
        #[serde(with = "fixed_vec")]
        hashes: Vec<HashBytes>,
    },
    /// Refused by the hub's authority rules (DESIGN §5.4).
    Rejected {
        /// A machine-readable reason (for example `forbidden_field`, `invalid_transition`, `unknown_actor`,
        /// `invalid_change`); the set belongs to the hub's rules, so clients must accept unknown codes.
        code: String,
        /// A human-readable reason, in Bahasa Indonesia, to show the author.
        reason: String,
        /// When present, the hub merged the change and superseded it by this compensating change (which depends
        /// on it; both reach every replica through the feed), so the change is settled. When absent (`null`) the
        /// hub did not keep the change.
        #[serde(default, with = "fixed_opt")]
        compensation: Option<HashBytes>,
    },
}

/// The description of a scope's bootstrap snapshot: which chunk files to fetch, and where the feed continues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotManifest {
    /// The wire version, 1.
    pub v: u32,
    /// The scope, `"instansi:<id>"`.
    pub scope: String,
    /// The feed cursor the snapshot is consistent at: after loading every chunk, pull the feed from here.
    pub cursor: String,
    /// The chunk files, by increasing `index` from 0.
    pub chunks: Vec<ChunkInfo>,
}

/// One chunk file of a [`SnapshotManifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkInfo {
    /// Its position, from 0.
    pub index: u32,
    /// The file's size in bytes as served (compressed), for progress and HTTP Range resumption.
    pub size: u64,
    /// SHA-256 of the file as served (compressed bytes); the client checks it before decoding.
    #[serde(with = "fixed")]
    pub sha256: HashBytes,
    /// How many documents the chunk holds.
    pub documents: u32,
}

/// The content of one snapshot chunk file (itself zstd-compressed CBOR, like every message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotChunk {
    /// The wire version, 1.
    pub v: u32,
    /// The documents, each whole.
    pub documents: Vec<SnapshotDocument>,
}

/// One document of a [`SnapshotChunk`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotDocument {
    /// The document.
    #[serde(with = "fixed")]
    pub doc: DocId,
    /// What kind of record it holds.
    pub record: RecordKind,
    /// An automerge save of it (`Automerge::save`).
    pub save: Bytes,
    /// Its heads in that save (32-byte change hashes), so the client can check the load.
    #[serde(with = "fixed_vec")]
    pub heads: Vec<HashBytes>,
}

/// What the hub holds of one blob (an attached scan, content-addressed by SHA-256), for a resumable upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobStatus {
    /// The wire version, 1.
    pub v: u32,
    /// The blob's SHA-256 (of its whole content).
    #[serde(with = "fixed")]
    pub sha256: HashBytes,
    /// The blob's size in bytes.
    pub size: u64,
    /// The chunk size in bytes: chunk `i` covers bytes `[i * chunk_size, min((i + 1) * chunk_size, size))`.
    pub chunk_size: u32,
    /// The indexes of the chunks the hub already holds, ascending.
    pub have: Vec<u32>,
    /// True when the hub holds every chunk and has checked the whole blob against `sha256`.
    pub complete: bool,
}

/// One round of the repair path for one document (sync.md §5.4): the body of `POST /v1/repair`.
///
/// The repair runs automerge's own sync protocol for that document only, when the desktop's copy disagrees with
/// the hub's (a feed change it cannot apply, heads that do not reach the feed's `heads_after`, a quarantined
/// copy). The hub answers each round without keeping any state between rounds, and never takes changes through
/// it: it reads the message as a read-only peer, so the client's changes reach the hub only through the push,
/// with its authority checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairRequest {
    /// The wire version, 1.
    pub v: u32,
    /// The scope the document belongs to, `"instansi:<id>"`; the caller must read it.
    pub scope: String,
    /// The document.
    #[serde(with = "fixed")]
    pub doc: DocId,
    /// An automerge sync message (`automerge::sync::Message::encode`) of the client's session for this document.
    pub message: Bytes,
}

/// The hub's answer to a [`RepairRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairResponse {
    /// The wire version, 1.
    pub v: u32,
    /// The document.
    #[serde(with = "fixed")]
    pub doc: DocId,
    /// What kind of record it holds (for a client that does not hold the document at all).
    pub record: RecordKind,
    /// The document's heads at the hub. The repair is done when the client's copy holds every one of them.
    #[serde(with = "fixed_vec")]
    pub heads: Vec<HashBytes>,
    /// The hub's automerge sync message for the client (with the changes it lacks), or `null` when the hub has
    /// nothing to say.
    #[serde(default)]
    pub message: Option<Bytes>,
}

/// The body of every error answer (any HTTP status ≥ 400 from the hub).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The wire version, 1.
    pub v: u32,
    /// One of [`ErrorCode`]'s names. A string, so that a client meeting a code it does not know still reads the
    /// body (it treats the code as `internal`).
    pub code: String,
    /// A human-readable explanation, for logs and support (not for decisions).
    pub message: String,
}

impl ErrorBody {
    /// An error body of wire version 1.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { v: super::VERSION, code: code.as_str().to_owned(), message: message.into() }
    }

    /// The code, if it is one this build knows.
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::parse(&self.code)
    }
}

/// The closed set of error codes of [`ErrorBody::code`], each with the HTTP status it is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 401: no valid access token; sign in again (or refresh the token) and retry.
    Unauthorized,
    /// 403: the caller may not do this (not on the roster, a scope it does not hold, an actor that is not its
    /// registered device).
    Forbidden,
    /// 403: the device the request comes from (the push's actor, or the device the request names) was revoked by
    /// an admin: stop syncing, lock the scope's local data, and sign in on a newly registered installation.
    DeviceRevoked,
    /// 409: the feed cursor is from an older epoch (log compacted, scopes re-partitioned): bootstrap the scope
    /// again from its snapshot manifest, then re-push the outbox.
    MustRefetch,
    /// 400: the request is malformed (bad CBOR, bad cursor, bad parameter).
    BadRequest,
    /// 413: the body is larger than the hub accepts; split the batch (halve it) and retry.
    TooLarge,
    /// 404: no such scope, snapshot chunk or blob.
    NotFound,
    /// 415: the body's wire version (or media type) is not one the hub speaks.
    UnsupportedVersion,
    /// 503: the hub is overloaded or in maintenance; retry later with backoff.
    Unavailable,
    /// 500: a fault in the hub; retry later with backoff.
    Internal,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::DeviceRevoked,
        ErrorCode::MustRefetch,
        ErrorCode::BadRequest,
        ErrorCode::TooLarge,
        ErrorCode::NotFound,
        ErrorCode::UnsupportedVersion,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::DeviceRevoked => "device_revoked",
            ErrorCode::MustRefetch => "must_refetch",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
        }
    }

    /// The inverse of [`Self::as_str`].
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|code| code.as_str() == text)
    }

    /// The HTTP status the hub answers with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::DeviceRevoked => 403,
            ErrorCode::MustRefetch => 409,
            ErrorCode::BadRequest => 400,
            ErrorCode::TooLarge => 413,
            ErrorCode::NotFound => 404,
            ErrorCode::UnsupportedVersion => 415,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}
