//! The desktop's local replica of an instansi (DESIGN §4).
//!
//! This crate will own the SQLite (SQLCipher) file: numbered migrations from `schemas/`, one automerge document per
//! record with its incremental chunks and heads, the projections and FTS5 index that make search instant, the feed
//! cursors, the outbox and the content-addressed blobs. It is empty until the replica issue.
//!
//! It will not talk to the network (that is `sync`) nor know about Tauri (that is `desktop`).
