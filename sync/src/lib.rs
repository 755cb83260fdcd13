//! Sync between a desktop replica and the hub (DESIGN §5).
//!
//! What exists: [`document`], one automerge document per record (pegawai, usulan, verifikasi lapangan), mapped to
//! and from the record's serde JSON form: reconcile a value into the fewest ops, hydrate it back, load and save
//! (snapshot plus incremental chunks), raw changes for the outbox and the feed, merges, and the concurrent values
//! of a field for the verifikator (DESIGN §3.1–3.2). It knows the records only as JSON, so it does not depend on
//! `model`; bytes from peers are checked and can never make it panic.
//!
//! [`wire`] holds the versioned messages of the protocol (version 1): feed batches, pushes and their outcomes,
//! snapshot manifests and chunks, blob status, repair rounds and error bodies, as CBOR compressed with zstd. Their
//! schema for other languages is `schemas/sync/wire-v1.cddl`, the protocol flow `schemas/sync/README.md`.
//! [`wire::decode`] is safe on hostile bodies (capped decompression, version checked first, never panics), and
//! [`wire::FeedBatchBuilder`] packs feed items within a compressed byte budget.
//!
//! [`engine`] is the sans-IO sync engine of one scope — bootstrap from snapshot chunks (resumable by HTTP Range and
//! by chunk index), upload of local blobs (chunked, resumable, before the push that references them), push of the
//! outbox (dependencies first on `missing_deps`), pull of the feed until up to date, repair of documents whose copy
//! disagrees with the hub's, download of referenced blobs (resumable by Range, SHA-256 checked), re-bootstrap on
//! `must_refetch` — over the [`engine::Local`] trait the replica implements. [`driver`] runs it over HTTP (reqwest
//! on tokio) with a no-progress watchdog, capped jittered backoff and long-poll live mode. [`repair`] is
//! automerge's per-document sync protocol, kept only for that repair; [`blob`] says which blobs a document
//! references.
//!
//! It does not own SQL (that is `store` and `hub`) nor the kepegawaian rules (that is `model`).

#![warn(missing_docs)]

pub mod blob;
pub mod document;
pub mod driver;
pub mod engine;
pub mod repair;
pub mod wire;

pub use document::{
    ActorId, ChangeHash, ChangeMessage, ConflictValue, Document, DocumentError, FieldChange, FieldConflict, History,
    HistoryEntry, PathSegment, change_hash_of, overlay,
};
