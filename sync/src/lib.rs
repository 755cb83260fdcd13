//! Sync between a desktop replica and the hub (DESIGN §5).
//!
//! This crate will own the automerge document lifecycle, the versioned wire messages (CBOR + zstd, described in
//! `schemas/`), a sans-IO engine for the change feed, the outbox push and the blob transfer, and the tokio/reqwest
//! driver around it. It is empty until the sync issue: nothing here pretends to work yet.
//!
//! It will not own SQL (that is `store` and `hub`) nor the kepegawaian rules (that is `model`).
