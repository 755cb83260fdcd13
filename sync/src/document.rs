//! One automerge document per record, mapped to and from the record's serde JSON form (DESIGN §3.1–3.2).
//!
//! `sync` never sees the `model` types: a pegawai, usulan or verifikasi document crosses this boundary as its
//! `serde_json::Value`. [`Document::reconcile`] writes the fewest ops that make the document equal to a value and
//! commits them as one change; [`Document::hydrate`] reads the value back. The mapping is self-describing, so a
//! document hydrates without knowing which record type it holds:
//!
//! - **Objects** are automerge maps, reconciled key by key. A key absent from the value is deleted, and a JSON
//!   `null` is the same as an absent key: it is deleted too, and hydrate never returns `null` object members.
//! - **Scalars** are atomic automerge scalars: strings are `Str` (never `Text`, which would merge character by
//!   character), integers `Int` (`Uint` only above `i64::MAX`), other numbers `F64`, booleans `Boolean`.
//!   A put of the value already there writes no op, so reconciling an unchanged value makes no change.
//! - **Keyed arrays** hold riwayat rows (DESIGN §3.1 "maps keyed by a stable row id"). An array is keyed when
//!   every element is an object and at least one has an `id` or `dok_id` member (even `null`), or when it is
//!   empty, or when the document already holds a keyed array there and every element is an object. It is stored
//!   as a map holding the marker `_keyed: true` and one row map per element, keyed by the row's string `id`
//!   (else its `dok_id`). A row without a non-empty string id gets the derived key `_h` + 16 hex digits: the
//!   FNV-1a 64 hash of the row's canonical form ([`row_hash`]), so importing the same row twice gives the same
//!   key. A repeated key gets `_<n>~` in front (`_2~<key>`) for its n-th occurrence. Each row map holds its
//!   position in `_urutan` (an `Int`); hydrate sorts rows by `_urutan`, then by key (two rows appended
//!   concurrently share a position). Rows with ids merge: a row deleted on one replica and another inserted on a
//!   second give the union minus the deleted row, with no duplicates. An id-less row is identified by its
//!   content, so editing it is a delete plus an insert.
//! - **Other arrays** (of scalars, or of objects without ids) are automerge lists, written whole: when the value
//!   differs from the list the document holds, a new list replaces it. Concurrent edits of such an array do not
//!   interleave element by element: one whole array wins, and [`Document::conflicts`] shows both. That suits the
//!   small value lists of our documents; anything edited concurrently by rows should carry ids.
//!
//! Keys starting with `_` are reserved for the markers above. A JSON key that starts with `_` is stored with one
//! more `_` in front (`_x` → `__x`), and hydrate removes it, so a user key can never be taken for a marker: the
//! `raw` map of a record (a plain `BTreeMap<String, String>` of source field names) always hydrates as an object,
//! never as a keyed array. Row ids are escaped the same way.
//!
//! Bytes from peers are untrusted: loading or applying them returns a [`DocumentError`] and never panics, and a
//! failed load or apply leaves the document as it was. Automerge 0.12 needs help for that: its change decoder does
//! not verify chunk checksums (so this module does), its incremental load accepts truncated or garbled input as a
//! shorter valid prefix (so [`Document::load_incremental`] checks the chunk framing first), and it panics on some
//! changes whose ops refer to objects that do not exist (an `unwrap` in its op import). So every operation that
//! takes foreign bytes runs on a copy of the document inside `catch_unwind`, and the copy replaces the document
//! only on success ([`Document::apply_in_place`] skips the copy and resets the document on failure instead, for a
//! caller that can rebuild it). This relies on the workspace's default `panic = "unwind"`.
//!
//! Performance (measured, release): in automerge 0.12 a `get` or `map_range` on a nested object costs 2–5 µs, and
//! ops written one by one cost ~15 µs each but ~1 µs in a batch. So reads go through one pass over the whole
//! document ([`ReadDoc::iter`]) and new objects are written in one batch each (`batch_create_object`).
//!
//! Nothing here reads the clock: commit times are arguments, in milliseconds since the Unix epoch.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use automerge::iter::DocItem;
use automerge::transaction::{CommitOptions, Transactable, Transaction};
use automerge::{
    Automerge, AutomergeError, Change, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, ScalarValueRef, ValueRef,
    hydrate,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

pub use automerge::{ActorId, ChangeHash};

mod history;
#[cfg(test)]
mod tests;

pub use history::{ChangeMessage, FieldChange, History, HistoryEntry};

/// The marker entry of a keyed array's map.
const KEYED: &str = "_keyed";
/// The entry of a row map holding the row's position in its array.
const URUTAN: &str = "_urutan";
/// The members that identify a row, in order of preference.
const ROW_ID_FIELDS: [&str; 2] = ["id", "dok_id"];

/// One record's automerge document.
///
/// Reads take `&self`; writes happen only through [`Self::reconcile`], [`Self::resolve`] and the merge family,
/// each of which commits at once, so the document never holds an open transaction.
pub struct Document {
    doc: Automerge,
}

/// Why bytes could not be loaded or applied, or a value could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The bytes are not an automerge document or incremental save (truncated, garbage, or failed verification).
    /// The source is `None` when they are not whole automerge chunks, or when automerge panicked on them (see
    /// [`Document::apply_changes`]).
    #[error("corrupt document bytes")]
    Corrupt(#[source] Option<AutomergeError>),
    /// One raw change of a batch could not be decoded; nothing of the batch was applied.
    #[error("change {index} of the batch cannot be decoded")]
    InvalidChange {
        /// The position of the change in the batch.
        index: usize,
        /// What the decoder said.
        #[source]
        source: automerge::LoadChangeError,
    },
    /// A raw change of a batch decodes but does not match its checksum (damaged in transit or at rest); nothing of
    /// the batch was applied.
    #[error("change {index} of the batch does not match its checksum")]
    ChecksumMismatch {
        /// The position of the change in the batch.
        index: usize,
    },
    /// Decoded changes could not be applied (for example an actor reusing a sequence number, or ops that refer to
    /// objects that do not exist); the document is unchanged. The source is `None` when automerge panicked.
    #[error("the changes cannot be applied to this document")]
    ApplyFailed(#[source] Option<AutomergeError>),
    /// A record value must be a JSON object: the document root is a map.
    #[error("a document value must be a JSON object, not {found}")]
    NotAnObject {
        /// The JSON kind found instead.
        found: &'static str,
    },
    /// [`Document::resolve`] was given a path the document does not hold.
    #[error("no value at {path}")]
    PathNotFound {
        /// The path, written as [`FieldConflict::path`] writes it.
        path: String,
    },
    /// Automerge refused an op while writing; the change was rolled back.
    #[error("the document cannot be written")]
    WriteFailed(#[source] AutomergeError),
    /// A typed value could not be turned into JSON, or the document's JSON into the requested type.
    #[error("the document does not match the requested type")]
    TypeMismatch(#[source] serde_json::Error),
}

/// One step of a path into a document, as [`Document::conflicts`] reports it and [`Document::resolve`] takes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PathSegment {
    /// A member of an object, by its JSON key.
    Key(String),
    /// A row of a keyed array, by its key in the document: the row's id (one more `_` in front if it starts with
    /// `_`), or the derived `_h…` key of a row without id.
    Row(String),
    /// An element of a list (an array without row ids).
    Index(usize),
}

/// A key holding several values because replicas wrote it concurrently (DESIGN §3.2, sync.md §5.8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// Where, for people and for the conflict projection: `data_utama.golongan_akhir_id`,
    /// `riwayat_jabatan[<row id>].tmt_jabatan`, `list[2]`.
    pub path: String,
    /// The same path, step by step, for [`Document::resolve`].
    pub segments: Vec<PathSegment>,
    /// Every value, the one [`Document::hydrate`] shows (the automerge winner) first.
    pub values: Vec<ConflictValue>,
}

/// One of the values of a [`FieldConflict`], with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictValue {
    /// The value, as hydrate would show it.
    pub value: Value,
    /// The automerge actor that wrote it, in hex (a registered device, DESIGN §5.4).
    pub actor: String,
    /// The change that wrote it.
    pub change: Option<ChangeHash>,
    /// That change's commit time, milliseconds since the Unix epoch, as its author's clock gave it.
    pub time_ms: Option<i64>,
    /// That change's commit message.
    pub message: Option<String>,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("actor", &self.doc.get_actor().to_hex_string())
            .field("heads", &self.doc.get_heads())
            .finish_non_exhaustive()
    }
}

impl Document {
    /// An empty document whose changes will be written by `actor` (the device's registered actor).
    pub fn new(actor: ActorId) -> Self {
        Self { doc: Automerge::new().with_actor(actor) }
    }

    /// Loads a whole [`Self::save`] (or such a save followed by incremental chunks, concatenated). Empty bytes
    /// load as an empty document, as in automerge.
    ///
    /// The loaded document has a random actor: call [`Self::set_actor`] before writing to it, or the hub will
    /// refuse its changes (DESIGN §5.4).
    pub fn load(bytes: &[u8]) -> Result<Self, DocumentError> {
        match panic::catch_unwind(|| Automerge::load(bytes)) {
            Ok(Ok(doc)) => Ok(Self { doc }),
            Ok(Err(error)) => Err(DocumentError::Corrupt(Some(error))),
            Err(_) => Err(DocumentError::Corrupt(None)),
        }
    }

    /// Loads a snapshot, then each incremental chunk ([`Self::save_after`] outputs) in order: the store layout of
    /// sync.md §5.3. Every chunk is checked as [`Self::load_incremental`] checks it.
    pub fn load_with_chunks<'a>(
        snapshot: &[u8],
        chunks: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, DocumentError> {
        let mut document = Self::load(snapshot)?;
        for chunk in chunks {
            document.load_incremental(chunk)?;
        }
        Ok(document)
    }

    /// Merges a [`Self::save`] or [`Self::save_after`] output (or several, concatenated) into this document;
    /// changes already present are ignored. All or nothing: on error the document is unchanged.
    ///
    /// Stricter than automerge's `load_incremental`, which loads the valid prefix of truncated or garbled input
    /// and reports success: the bytes must be a whole sequence of automerge chunks, every change chunk must decode
    /// with a valid checksum and every document chunk must load.
    pub fn load_incremental(&mut self, bytes: &[u8]) -> Result<(), DocumentError> {
        let frames = chunk_frames(bytes).ok_or(DocumentError::Corrupt(None))?;
        let mut changes = Vec::new();
        let mut documents = Vec::new();
        for (chunk_type, frame) in frames {
            if chunk_type == CHUNK_CHANGE || chunk_type == CHUNK_COMPRESSED_CHANGE {
                changes.push(decode_change(frame, 0).map_err(|error| match error {
                    DocumentError::InvalidChange { source, .. } => DocumentError::Corrupt(Some(source.into())),
                    _ => DocumentError::Corrupt(None),
                })?);
            } else {
                documents.push(Self::load(frame)?.doc);
            }
        }
        self.guarded(|doc| {
            for other in &mut documents {
                doc.merge(other)?;
            }
            doc.apply_changes(changes)
        })
        .map_err(DocumentError::Corrupt)
    }

    /// Sets the actor that writes this document's next changes.
    pub fn set_actor(&mut self, actor: ActorId) {
        self.doc.set_actor(actor);
    }

    /// This document with `actor` as its writer.
    pub fn with_actor(mut self, actor: ActorId) -> Self {
        self.set_actor(actor);
        self
    }

    /// The actor that writes this document's next changes.
    pub fn actor(&self) -> &ActorId {
        self.doc.get_actor()
    }

    /// The whole document, compacted (the `doc.blob` of sync.md §5.3).
    pub fn save(&self) -> Vec<u8> {
        self.doc.save()
    }

    /// [`Self::save`] without DEFLATE on its columns: about 10x faster to write and about twice the size.
    /// For bulk imports that recompress later ([`Self::load`] reads both forms).
    pub fn save_uncompressed(&self) -> Vec<u8> {
        self.doc.save_nocompress()
    }

    /// The changes that are not dependencies of `heads`, as one incremental chunk (sync.md §1.3, §5.3).
    ///
    /// This is the right call after [`Self::load`]; automerge's `save_incremental` would return every change.
    pub fn save_after(&self, heads: &[ChangeHash]) -> Vec<u8> {
        self.doc.save_after(heads)
    }

    /// The hashes of the changes no other change depends on: the document's version.
    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The hashes of changes that applied changes depend on but this document lacks; those changes wait until
    /// their dependencies arrive (the push answer `missing_deps` of DESIGN §5.2).
    pub fn missing_deps(&self) -> Vec<ChangeHash> {
        self.doc.get_missing_deps(&[])
    }

    /// The raw bytes of every change that is not a dependency of `heads`, oldest first: outbox items.
    pub fn changes_since(&self, heads: &[ChangeHash]) -> Vec<Vec<u8>> {
        self.doc.get_changes(heads).iter().map(|change| change.raw_bytes().to_vec()).collect()
    }

    /// The hashes of every change that is not a dependency of `heads`, oldest first: the outbox keys
    /// (DESIGN §5.2), without copying the changes.
    pub fn change_hashes_since(&self, heads: &[ChangeHash]) -> Vec<ChangeHash> {
        self.doc.get_changes_meta(heads).into_iter().map(|meta| meta.hash).collect()
    }

    /// The raw bytes of the change `hash`, if this document holds it: an outbox item, or a dependency a peer
    /// reported missing.
    pub fn change_bytes(&self, hash: &ChangeHash) -> Option<Vec<u8>> {
        self.doc.get_change_by_hash(hash).map(|change| change.raw_bytes().to_vec())
    }

    /// Applies raw changes from a peer, all or none: changes already present are ignored, and changes whose
    /// dependencies are missing wait for them ([`Self::missing_deps`]).
    ///
    /// The changes are decoded first, then applied to a copy of the document under `catch_unwind`; the copy
    /// replaces the document only if that succeeded. The copy costs about as much as the apply for a record-sized
    /// document, and it turns a malformed change that automerge would panic on into [`DocumentError::ApplyFailed`].
    pub fn apply_changes<I, B>(&mut self, raw: I) -> Result<(), DocumentError>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let changes = raw
            .into_iter()
            .enumerate()
            .map(|(index, bytes)| decode_change(bytes.as_ref(), index))
            .collect::<Result<Vec<_>, _>>()?;
        self.guarded(|doc| doc.apply_changes(changes)).map_err(DocumentError::ApplyFailed)
    }

    /// [`Self::apply_changes`] for changes already decoded with [`decode_checked`] (a caller that reads a change's
    /// hash, dependencies or actor first need not decode it twice): all or none, on a copy, under `catch_unwind`.
    pub fn apply_decoded(&mut self, changes: Vec<Change>) -> Result<(), DocumentError> {
        self.guarded(|doc| doc.apply_changes(changes)).map_err(DocumentError::ApplyFailed)
    }

    /// Applies changes decoded with [`decode_checked`] to the document itself, under `catch_unwind` but without
    /// the copy [`Self::apply_changes`] makes (which costs about as much as the apply). On an error or a panic the
    /// apply may have stopped half-way, so the document is reset to an empty one with the same actor: the caller
    /// must rebuild it (load it again and re-apply what it held). For a caller that can, and for which failures
    /// are rare, such as the hub, which holds every document it works on in its storage.
    pub fn apply_in_place(&mut self, changes: Vec<Change>) -> Result<(), DocumentError> {
        match panic::catch_unwind(AssertUnwindSafe(|| self.doc.apply_changes(changes))) {
            Ok(Ok(())) => Ok(()),
            failed => {
                let actor = self.doc.get_actor().clone();
                self.doc = Automerge::new().with_actor(actor);
                Err(DocumentError::ApplyFailed(failed.ok().and_then(Result::err)))
            }
        }
    }

    /// Applies every change of `other` that this document lacks; returns their hashes. On error the document is
    /// unchanged.
    pub fn merge(&mut self, other: &mut Document) -> Result<Vec<ChangeHash>, DocumentError> {
        self.guarded(|doc| doc.merge(&mut other.doc)).map_err(DocumentError::ApplyFailed)
    }

    /// Runs `write` on a copy of the document, catching a panic, and keeps the copy only if `write` succeeded.
    /// `None` stands for a panic. The copy keeps the actor, so it is the same replica.
    fn guarded<T>(
        &mut self,
        write: impl FnOnce(&mut Automerge) -> Result<T, AutomergeError>,
    ) -> Result<T, Option<AutomergeError>> {
        let mut copy = self.doc.clone();
        match panic::catch_unwind(AssertUnwindSafe(|| write(&mut copy))) {
            Ok(Ok(value)) => {
                self.doc = copy;
                Ok(value)
            }
            Ok(Err(error)) => Err(Some(error)),
            Err(_) => Err(None),
        }
    }

    /// A copy with a new random actor; give it its real one with [`Self::set_actor`].
    pub fn fork(&self) -> Document {
        Document { doc: self.doc.fork() }
    }

    /// Read access to the underlying automerge document, for the per-document sync protocol (repair path).
    pub fn automerge(&self) -> &Automerge {
        &self.doc
    }

    /// Replaces the document by `doc` (the repair path applies a sync message to a copy, then keeps it).
    pub(crate) fn replace_automerge(&mut self, doc: Automerge) {
        self.doc = doc;
    }

    /// Writes the fewest ops that make the document equal to `value` (see the module doc for the mapping) and
    /// commits them as one change with `message` and `time_ms`. Returns the change's hash, or `None` when the
    /// document already equals `value`.
    ///
    /// A key holding a conflict whose shown value equals the new one is left alone, so ordinary edits keep a
    /// conflict for the verifikator; [`Self::resolve`] is the write that clears it.
    pub fn reconcile(
        &mut self,
        value: &Value,
        message: Option<&str>,
        time_ms: i64,
    ) -> Result<Option<ChangeHash>, DocumentError> {
        let Value::Object(map) = value else {
            return Err(DocumentError::NotAnObject { found: kind_of(value) });
        };
        let written = if self.doc.is_empty() {
            // A new document: one batch for the whole value.
            let root = new_map(map, None);
            let mut tx = self.doc.transaction();
            tx.init_root_from_hydrate(&root).map(|()| tx)
        } else {
            // Read the document once, decide every write, then write.
            let steps = {
                let snapshot = Snapshot::read(&self.doc);
                let mut plan = Plan { snapshot: &snapshot, steps: Vec::new() };
                plan.map(&ROOT, map, None);
                plan.steps
            };
            let mut tx = self.doc.transaction();
            apply_steps(&mut tx, steps).map(|()| tx)
        };
        match written {
            Ok(tx) => Ok(tx.commit_with(commit_options(message, time_ms)).0),
            // Dropping a transaction rolls it back.
            Err(error) => Err(DocumentError::WriteFailed(error)),
        }
    }

    /// [`Self::reconcile`] with the serde JSON form of `value`.
    pub fn reconcile_from<T: Serialize>(
        &mut self,
        value: &T,
        message: Option<&str>,
        time_ms: i64,
    ) -> Result<Option<ChangeHash>, DocumentError> {
        let value = serde_json::to_value(value).map_err(DocumentError::TypeMismatch)?;
        self.reconcile(&value, message, time_ms)
    }

    /// The document as JSON: the inverse of [`Self::reconcile`], showing the winner of each conflict.
    pub fn hydrate(&self) -> Value {
        Value::Object(Snapshot::read(&self.doc).fields(&ROOT).0)
    }

    /// [`Self::hydrate`], deserialized into `T`.
    pub fn hydrate_as<T: DeserializeOwned>(&self) -> Result<T, DocumentError> {
        serde_json::from_value(self.hydrate()).map_err(DocumentError::TypeMismatch)
    }

    /// Every key, at any depth, that holds more than one distinct value after concurrent writes, in document
    /// order. Keys whose concurrent values are all equal are not reported, nor are the internal `_urutan` and
    /// `_keyed` entries.
    pub fn conflicts(&self) -> Vec<FieldConflict> {
        let mut found = Vec::new();
        let mut segments = Vec::new();
        collect_conflicts(&Snapshot::read(&self.doc), &ROOT, ObjType::Map, &mut segments, &mut found);
        found
    }

    /// Writes `value` at `path` even when it equals the value shown, which clears a conflict there on every
    /// replica once merged (the verifikator's decision, DESIGN §3.2). A `null` value deletes the key.
    pub fn resolve(
        &mut self,
        path: &[PathSegment],
        value: &Value,
        message: Option<&str>,
        time_ms: i64,
    ) -> Result<ChangeHash, DocumentError> {
        let not_found = || DocumentError::PathNotFound { path: display_path(path) };
        let Some((last, parents)) = path.split_last() else {
            return Err(not_found());
        };
        let mut obj = ROOT;
        for segment in parents {
            obj = child_object(&self.doc, &obj, segment).ok_or_else(not_found)?;
        }
        let parent_type = self.doc.object_type(&obj).map_err(|_| not_found())?;
        let step = match (last, parent_type, value) {
            (PathSegment::Key(key), ObjType::Map, Value::Null) => Step::Delete(escape_key(key).into_owned()),
            (PathSegment::Key(key), ObjType::Map, value) => Step::Create(escape_key(key).into_owned(), value),
            (PathSegment::Row(key), ObjType::Map, Value::Null) => Step::Delete(key.clone()),
            (PathSegment::Row(key), ObjType::Map, Value::Object(row)) => {
                let order = child_object(&self.doc, &obj, last).and_then(|current| row_order(&self.doc, &current));
                Step::NewRow(key.clone(), row, order.unwrap_or(0))
            }
            (PathSegment::Index(index), ObjType::List, value) if *index < self.doc.length(&obj) => {
                Step::SetIndex(*index, value)
            }
            _ => return Err(not_found()),
        };
        let mut tx = self.doc.transaction();
        if let Err(error) = apply_steps(&mut tx, vec![(obj, step)]) {
            return Err(DocumentError::WriteFailed(error));
        }
        match tx.commit_with(commit_options(message, time_ms)).0 {
            Some(hash) => Ok(hash),
            // Only a delete of a key that is not there writes nothing.
            None => Err(not_found()),
        }
    }
}

/// The magic bytes that open every automerge storage chunk.
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Chunk types of the automerge binary format: document, change, compressed change, bundle.
const CHUNK_TYPES: u8 = 4;
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED_CHANGE: u8 = 2;

/// Splits `bytes` into automerge storage chunks, `(chunk type, whole chunk)`, or `None` unless they are a whole
/// number of well-formed chunks. A chunk is the magic bytes, a 4-byte checksum, a type byte, the data length as
/// unsigned LEB128, and the data (automerge binary format; its magic bytes version it). Checksums are left to the
/// decoders.
fn chunk_frames(mut bytes: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut frames = Vec::new();
    while !bytes.is_empty() {
        if bytes.get(..4)? != CHUNK_MAGIC {
            return None;
        }
        let chunk_type = *bytes.get(8)?;
        if chunk_type >= CHUNK_TYPES {
            return None;
        }
        let (data_len, len_size) = uleb128(bytes.get(9..)?)?;
        let end = (9 + len_size).checked_add(usize::try_from(data_len).ok()?)?;
        frames.push((chunk_type, bytes.get(..end)?));
        bytes = &bytes[end..];
    }
    Some(frames)
}

/// An unsigned LEB128 number at the start of `bytes` and its size, or `None` if it does not end within 10 bytes.
fn uleb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0_u64;
    for (index, byte) in bytes.iter().take(10).enumerate() {
        value |= u64::from(byte & 0x7f).checked_shl(7 * index as u32)?;
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

/// The hash of a raw change, without a document: the outbox key (DESIGN §5.2).
pub fn change_hash_of(raw: &[u8]) -> Result<ChangeHash, DocumentError> {
    decode_change(raw, 0).map(|change| change.hash())
}

/// Decodes one raw change from a peer, checking its checksum as [`Document::apply_changes`] does, for a caller
/// that reads the change (hash, dependencies, actor, operations) before applying it with
/// [`Document::apply_decoded`] or [`Document::apply_in_place`].
pub fn decode_checked(raw: &[u8]) -> Result<Change, DocumentError> {
    decode_change(raw, 0)
}

/// Decodes one raw change chunk (the change at `index` of a batch), checking its checksum.
///
/// Automerge 0.12 checks chunk checksums when it loads a document but not in `Change::try_from`, which would take
/// a damaged change for a different one. The checksum is the first 4 bytes of the change hash, and a compressed
/// change carries the checksum of the uncompressed one, so both compare with the decoded change's hash.
fn decode_change(raw: &[u8], index: usize) -> Result<Change, DocumentError> {
    let change = Change::try_from(raw).map_err(|source| DocumentError::InvalidChange { index, source })?;
    if raw.get(4..8) == Some(&change.hash().0[..4]) {
        Ok(change)
    } else {
        Err(DocumentError::ChecksumMismatch { index })
    }
}

/// `imported` laid over `existing`, for an import from a partial source (a CSV export has no riwayat; a WS folder
/// may lack some endpoints): objects merge member by member, recursively; a `null` or absent member keeps the
/// existing value; any other value (a scalar, or an array such as a whole riwayat list) replaces it. So an import
/// adds and updates but never deletes — a value emptied at the source stays until someone changes it.
pub fn overlay(existing: &Value, imported: &Value) -> Value {
    match (existing, imported) {
        (Value::Object(existing), Value::Object(imported)) => {
            let mut merged = existing.clone();
            for (key, value) in imported {
                if value.is_null() {
                    continue;
                }
                let next = match merged.get(key) {
                    Some(current) => overlay(current, value),
                    None => value.clone(),
                };
                merged.insert(key.clone(), next);
            }
            Value::Object(merged)
        }
        (existing, Value::Null) => existing.clone(),
        (_, imported) => imported.clone(),
    }
}

/// The FNV-1a 64 hash of a row's canonical form, from which a row without id gets its key (`_h` + 16 hex digits).
///
/// The canonical form is a byte stream, not JSON text, so it does not depend on key order or number formatting
/// choices of a serializer: `null` → `n`; `true`/`false` → `t`/`f`; a number → `#` and its serde_json text
/// (`12`, `12.5`); a string → `s`, its UTF-8 length as 8 little-endian bytes, its bytes; an array → `[`, its length
/// (8 bytes LE), its elements; an object → `{`, the count of its non-null members (8 bytes LE), then each
/// non-null member in byte order of keys as key string then value. Null members are skipped because `null` and
/// absent are the same. Changing this changes the keys of id-less rows already stored: it is a format change.
pub fn row_hash(value: &Value) -> u64 {
    let mut hasher = Fnv1a64::new();
    hasher.value(value);
    hasher.0
}

/// FNV-1a, 64 bits (Fowler–Noll–Vo): tiny, stable across platforms and versions, and enough to tell the rows of
/// one array apart. It is no defence against a crafted collision, which costs little: the colliding row gets the
/// `_2~` key of a repeated key.
struct Fnv1a64(u64);

impl Fnv1a64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;

    fn new() -> Self {
        Self(Self::OFFSET_BASIS)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn len(&mut self, len: usize) {
        self.bytes(&(len as u64).to_le_bytes());
    }

    fn str(&mut self, text: &str) {
        self.len(text.len());
        self.bytes(text.as_bytes());
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.bytes(b"n"),
            Value::Bool(true) => self.bytes(b"t"),
            Value::Bool(false) => self.bytes(b"f"),
            Value::Number(number) => {
                self.bytes(b"#");
                // Writing into the hasher cannot fail.
                let _ = write!(self, "{number}");
            }
            Value::String(text) => {
                self.bytes(b"s");
                self.str(text);
            }
            Value::Array(items) => {
                self.bytes(b"[");
                self.len(items.len());
                items.iter().for_each(|item| self.value(item));
            }
            Value::Object(map) => {
                let mut members: Vec<(&String, &Value)> = map.iter().filter(|(_, value)| !value.is_null()).collect();
                members.sort_unstable_by(|a, b| a.0.cmp(b.0));
                self.bytes(b"{");
                self.len(members.len());
                for (key, value) in members {
                    self.str(key);
                    self.value(value);
                }
            }
        }
    }
}

impl fmt::Write for Fnv1a64 {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.bytes(text.as_bytes());
        Ok(())
    }
}

fn commit_options(message: Option<&str>, time_ms: i64) -> CommitOptions {
    let options = CommitOptions::default().with_time(time_ms);
    match message {
        Some(message) => options.with_message(message),
        None => options,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

/// The document key of a JSON key: one more `_` in front of a key that starts with `_`.
fn escape_key(key: &str) -> Cow<'_, str> {
    if key.starts_with('_') { Cow::Owned(format!("_{key}")) } else { Cow::Borrowed(key) }
}

/// The JSON key of a document key, or `None` for a reserved (marker) key.
fn unescape_key(key: &str) -> Option<&str> {
    match key.strip_prefix('_') {
        Some(rest) if rest.starts_with('_') => Some(rest),
        Some(_) => None,
        None => Some(key),
    }
}

/// A row of a keyed array about to be written: its document key, fields and position.
struct Row<'j> {
    key: String,
    fields: &'j Map<String, Value>,
    order: i64,
}

/// The document keys of the rows of a keyed array (every element is an object; others are skipped).
fn keyed_rows(items: &[Value]) -> Vec<Row<'_>> {
    let mut rows: Vec<Row<'_>> = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else { continue };
        let id = ROW_ID_FIELDS
            .iter()
            .find_map(|field| fields.get(*field).and_then(Value::as_str).filter(|id| !id.is_empty()));
        let base = match id {
            Some(id) => escape_key(id).into_owned(),
            None => format!("_h{:016x}", row_hash(item)),
        };
        let mut key = base.clone();
        let mut occurrence = 1;
        while rows.iter().any(|row| row.key == key) {
            occurrence += 1;
            key = format!("_{occurrence}~{base}");
        }
        rows.push(Row { key, fields, order: i64::try_from(position).unwrap_or(i64::MAX) });
    }
    rows
}

/// Whether a new array is stored keyed (see the module doc).
fn wants_keyed(items: &[Value]) -> bool {
    items.is_empty()
        || (items.iter().all(Value::is_object)
            && items.iter().any(|item| {
                item.as_object().is_some_and(|fields| ROW_ID_FIELDS.iter().any(|field| fields.contains_key(*field)))
            }))
}

fn row_order(doc: &Automerge, row: &ObjId) -> Option<i64> {
    match doc.get(row, URUTAN) {
        Ok(Some((automerge::Value::Scalar(value), _))) => value.as_i64(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Snapshot: the visible document, read in one pass

/// The visible state of a document, read with one [`ReadDoc::iter`] pass.
///
/// In automerge 0.12 a `get` or `map_range` on a nested object costs 2–5 µs, and a pegawai has ~30 objects (data
/// utama, `raw`, each riwayat and row); one pass over the whole document costs about as much as a dozen such reads.
/// So hydrate, conflicts and reconcile read this instead of walking object by object.
struct Snapshot<'a> {
    doc: &'a Automerge,
    /// The entries of every non-empty visible object, grouped by object, each group in key (or index) order.
    entries: Vec<Entry<'a>>,
    /// Where each object's group lies in `entries`.
    objects: HashMap<ObjId, Range<usize>>,
}

/// One visible map entry or list element.
struct Entry<'a> {
    /// The map key (empty for a list element, whose index is its position in the group).
    key: Cow<'a, str>,
    value: ValueRef<'a>,
    /// Whether concurrent writes left more than one value here.
    conflict: bool,
    /// The id of the object `value` is, if it is one.
    child: Option<ObjId>,
}

impl<'a> Snapshot<'a> {
    fn read(doc: &'a Automerge) -> Self {
        let mut entries = Vec::new();
        let mut objects = HashMap::new();
        let mut current: Option<(Arc<ObjId>, usize)> = None;
        for item in doc.iter() {
            let same = current.as_ref().is_some_and(|(obj, _)| Arc::ptr_eq(obj, &item.obj) || **obj == *item.obj);
            if !same {
                if let Some((obj, start)) = current.take() {
                    objects.insert(ObjId::clone(&obj), start..entries.len());
                }
                current = Some((Arc::clone(&item.obj), entries.len()));
            }
            let (key, value, conflict, child) = match item.item {
                DocItem::Map(entry) => {
                    let child = matches!(entry.value, ValueRef::Object(_)).then(|| entry.id());
                    (entry.key, entry.value, entry.conflict, child)
                }
                DocItem::List(element) => {
                    let child = matches!(element.value, ValueRef::Object(_)).then(|| element.id());
                    (Cow::Borrowed(""), element.value, element.conflict, child)
                }
                // Text is read whole with `ReadDoc::text` when needed.
                DocItem::Text(_) => continue,
            };
            entries.push(Entry { key, value, conflict, child });
        }
        if let Some((obj, start)) = current {
            objects.insert(ObjId::clone(&obj), start..entries.len());
        }
        Self { doc, entries, objects }
    }

    fn entries(&self, obj: &ObjId) -> &[Entry<'a>] {
        self.objects.get(obj).map_or(&[], |range| &self.entries[range.clone()])
    }

    fn is_keyed(&self, obj: &ObjId) -> bool {
        self.entries(obj).iter().any(|entry| entry.key == KEYED)
    }

    fn value(&self, entry: &Entry<'_>) -> Value {
        match (&entry.value, &entry.child) {
            (ValueRef::Scalar(scalar), _) => scalar_ref_to_json(scalar),
            (ValueRef::Object(obj_type), Some(child)) => self.object(child, *obj_type),
            (ValueRef::Object(_), None) => Value::Null,
        }
    }

    fn object(&self, obj: &ObjId, obj_type: ObjType) -> Value {
        match obj_type {
            ObjType::Map | ObjType::Table if self.is_keyed(obj) => self.keyed(obj),
            ObjType::Map | ObjType::Table => Value::Object(self.fields(obj).0),
            ObjType::List => Value::Array(self.list(obj)),
            ObjType::Text => Value::String(self.doc.text(obj).unwrap_or_default()),
        }
    }

    /// The JSON members of a map (markers and null scalars left out), and its `_urutan` if it is a row.
    fn fields(&self, obj: &ObjId) -> (Map<String, Value>, Option<i64>) {
        let mut fields = Map::new();
        let mut order = None;
        for entry in self.entries(obj) {
            let Some(key) = unescape_key(&entry.key) else {
                if entry.key == URUTAN
                    && let ValueRef::Scalar(ScalarValueRef::Int(position)) = entry.value
                {
                    order = Some(position);
                }
                continue;
            };
            let value = self.value(entry);
            if !value.is_null() {
                fields.insert(key.to_owned(), value);
            }
        }
        (fields, order)
    }

    fn list(&self, obj: &ObjId) -> Vec<Value> {
        self.entries(obj).iter().map(|entry| self.value(entry)).collect()
    }

    /// A keyed array back as an array, rows sorted by `_urutan` then key (a row without position goes last).
    fn keyed(&self, obj: &ObjId) -> Value {
        let mut rows: Vec<(i64, &str, Value)> = Vec::new();
        for entry in self.entries(obj) {
            if entry.key == KEYED {
                continue;
            }
            let (value, order) = match (&entry.value, &entry.child) {
                (ValueRef::Object(ObjType::Map), Some(row)) => {
                    let (fields, order) = self.fields(row);
                    (Value::Object(fields), order)
                }
                _ => (self.value(entry), None),
            };
            rows.push((order.unwrap_or(i64::MAX), &entry.key, value));
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        Value::Array(rows.into_iter().map(|(_, _, value)| value).collect())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reconcile

/// One write, decided from the snapshot and applied once the reading is over.
enum Step<'j> {
    /// Put a scalar: a changed JSON scalar, a marker or a position.
    Put(String, ScalarValue),
    /// Write `value` anew at the key: a scalar put, or a new object tree replacing whatever is there.
    Create(String, &'j Value),
    /// Write a new row map.
    NewRow(String, &'j Map<String, Value>, i64),
    /// Write `value` anew over a list element.
    SetIndex(usize, &'j Value),
    /// Delete the key.
    Delete(String),
}

/// Decides the writes that make the snapshot's document equal to a value.
struct Plan<'s, 'a, 'j> {
    snapshot: &'s Snapshot<'a>,
    steps: Vec<(ObjId, Step<'j>)>,
}

impl<'j> Plan<'_, '_, 'j> {
    /// Makes the map `obj` equal to `fields` (plus `_urutan = order` for a row).
    fn map(&mut self, obj: &ObjId, fields: &'j Map<String, Value>, order: Option<i64>) {
        let mut seen: Vec<&str> = Vec::with_capacity(fields.len());
        let mut order_seen = false;
        let snapshot = self.snapshot;
        for entry in snapshot.entries(obj) {
            let Some(key) = unescape_key(&entry.key) else {
                match (order, entry.key.as_ref()) {
                    (Some(order), URUTAN) => {
                        order_seen = true;
                        if !matches!(entry.value, ValueRef::Scalar(ScalarValueRef::Int(current)) if current == order) {
                            self.push(obj, Step::Put(URUTAN.to_owned(), ScalarValue::Int(order)));
                        }
                    }
                    _ => self.push(obj, Step::Delete(entry.key.to_string())),
                }
                continue;
            };
            let Some((json_key, value)) = fields.get_key_value(key).filter(|(_, value)| !value.is_null()) else {
                self.push(obj, Step::Delete(entry.key.to_string()));
                continue;
            };
            seen.push(json_key.as_str());
            if !self.value(entry, value) {
                self.push(obj, Step::Create(entry.key.to_string(), value));
            }
        }
        if let Some(order) = order.filter(|_| !order_seen) {
            self.push(obj, Step::Put(URUTAN.to_owned(), ScalarValue::Int(order)));
        }
        if seen.len() < fields.values().filter(|value| !value.is_null()).count() {
            seen.sort_unstable();
            for (key, value) in fields {
                if !value.is_null() && seen.binary_search(&key.as_str()).is_err() {
                    self.push(obj, Step::Create(escape_key(key).into_owned(), value));
                }
            }
        }
    }

    /// Plans the in-place update of an existing entry to `value`; `false` when it must be written anew instead.
    fn value(&mut self, entry: &Entry<'_>, value: &'j Value) -> bool {
        match (value, &entry.value, &entry.child) {
            (Value::Object(child_fields), ValueRef::Object(ObjType::Map), Some(child))
                if !self.snapshot.is_keyed(child) =>
            {
                self.map(child, child_fields, None);
                true
            }
            (Value::Array(items), ValueRef::Object(ObjType::Map), Some(child))
                if items.iter().all(Value::is_object) && self.snapshot.is_keyed(child) =>
            {
                self.keyed(child, items);
                true
            }
            (Value::Array(items), ValueRef::Object(ObjType::List), Some(child)) if !wants_keyed(items) => {
                self.snapshot.list(child) == *items
            }
            (_, ValueRef::Scalar(current), _) => scalar_matches(value, current),
            _ => false,
        }
    }

    /// Makes the keyed array `obj` hold exactly the rows of `items` (every element an object), in their order.
    fn keyed(&mut self, obj: &ObjId, items: &'j [Value]) {
        let rows = keyed_rows(items);
        let mut by_key: Vec<(&str, usize)> =
            rows.iter().enumerate().map(|(index, row)| (row.key.as_str(), index)).collect();
        by_key.sort_unstable();
        let mut matched = vec![false; rows.len()];
        let mut marked = false;
        let snapshot = self.snapshot;
        for entry in snapshot.entries(obj) {
            if entry.key == KEYED {
                marked = matches!(entry.value, ValueRef::Scalar(ScalarValueRef::Boolean(true)));
                continue;
            }
            let Ok(found) = by_key.binary_search_by(|(key, _)| (*key).cmp(&entry.key)) else {
                self.push(obj, Step::Delete(entry.key.to_string()));
                continue;
            };
            let index = by_key[found].1;
            matched[index] = true;
            let row = &rows[index];
            match (&entry.value, &entry.child) {
                (ValueRef::Object(ObjType::Map), Some(child)) => self.map(child, row.fields, Some(row.order)),
                _ => self.push(obj, Step::NewRow(row.key.clone(), row.fields, row.order)),
            }
        }
        if !marked {
            self.push(obj, Step::Put(KEYED.to_owned(), ScalarValue::Boolean(true)));
        }
        for (row, matched) in rows.into_iter().zip(matched) {
            if !matched {
                self.push(obj, Step::NewRow(row.key, row.fields, row.order));
            }
        }
    }

    fn push(&mut self, obj: &ObjId, step: Step<'j>) {
        self.steps.push((obj.clone(), step));
    }
}

fn apply_steps(tx: &mut Transaction<'_>, steps: Vec<(ObjId, Step<'_>)>) -> Result<(), AutomergeError> {
    for (obj, step) in steps {
        match step {
            Step::Put(key, value) => tx.put(&obj, key, value)?,
            Step::Create(key, value) => create(tx, &obj, Prop::Map(key), value)?,
            Step::NewRow(key, fields, order) => {
                tx.batch_create_object(&obj, key, &hydrate::Value::Map(new_map(fields, Some(order))), false)?;
            }
            Step::SetIndex(index, value) => create(tx, &obj, Prop::Seq(index), value)?,
            Step::Delete(key) => tx.delete(&obj, key)?,
        }
    }
    Ok(())
}

/// Whether `value` is the scalar the document would store for it.
fn scalar_matches(value: &Value, current: &ScalarValueRef<'_>) -> bool {
    match (value, current) {
        (Value::String(text), ScalarValueRef::Str(current)) => text == current,
        (Value::Bool(flag), ScalarValueRef::Boolean(current)) => flag == current,
        (Value::Number(number), ScalarValueRef::Int(current)) => number.as_i64() == Some(*current),
        (Value::Number(number), ScalarValueRef::Uint(current)) => {
            number.as_i64().is_none() && number.as_u64() == Some(*current)
        }
        (Value::Number(number), ScalarValueRef::F64(current)) => number.is_f64() && number.as_f64() == Some(*current),
        _ => false,
    }
}

/// The scalar stored for a JSON scalar; `Null` for objects and arrays, which are never stored as scalars.
fn to_scalar(value: &Value) -> ScalarValue {
    match value {
        Value::Bool(flag) => ScalarValue::Boolean(*flag),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(int), _, _) => ScalarValue::Int(int),
            (None, Some(uint), _) => ScalarValue::Uint(uint),
            (None, None, Some(float)) => ScalarValue::F64(float),
            (None, None, None) => ScalarValue::Null,
        },
        Value::String(text) => ScalarValue::Str(text.as_str().into()),
        Value::Null | Value::Array(_) | Value::Object(_) => ScalarValue::Null,
    }
}

/// Writes `value` anew at `prop` with no reads: a scalar put, or one batch creating the whole object tree.
fn create(tx: &mut Transaction<'_>, parent: &ObjId, prop: Prop, value: &Value) -> Result<(), AutomergeError> {
    match value {
        Value::Object(_) | Value::Array(_) => tx.batch_create_object(parent, prop, &new_value(value), false).map(drop),
        scalar => tx.put(parent, prop, to_scalar(scalar)),
    }
}

/// The automerge form of a new JSON value (see the module doc), for a batch creation.
fn new_value(value: &Value) -> hydrate::Value {
    match value {
        Value::Object(fields) => hydrate::Value::Map(new_map(fields, None)),
        Value::Array(items) if wants_keyed(items) => {
            let rows = keyed_rows(items);
            let mut map = hydrate::Map::default();
            map.reserve(rows.len() + 1);
            map.insert(KEYED.to_owned(), map_value(hydrate::Value::Scalar(ScalarValue::Boolean(true))));
            for row in rows {
                map.insert(row.key, map_value(hydrate::Value::Map(new_map(row.fields, Some(row.order)))));
            }
            hydrate::Value::Map(map)
        }
        Value::Array(items) => hydrate::Value::List(items.iter().map(new_value).collect::<Vec<_>>().into()),
        scalar => hydrate::Value::Scalar(to_scalar(scalar)),
    }
}

/// The automerge form of a new map (null members left out), with `_urutan` for a row.
fn new_map(fields: &Map<String, Value>, order: Option<i64>) -> hydrate::Map {
    let mut map = hydrate::Map::default();
    map.reserve(fields.len() + usize::from(order.is_some()));
    for (key, value) in fields {
        if !value.is_null() {
            map.insert(escape_key(key).into_owned(), map_value(new_value(value)));
        }
    }
    if let Some(order) = order {
        map.insert(URUTAN.to_owned(), map_value(hydrate::Value::Scalar(ScalarValue::Int(order))));
    }
    map
}

fn map_value(value: hydrate::Value) -> hydrate::MapValue {
    hydrate::MapValue { value, conflict: false }
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars to JSON

fn scalar_ref_to_json(scalar: &ScalarValueRef<'_>) -> Value {
    match scalar {
        ScalarValueRef::Str(text) => Value::String(text.as_ref().to_owned()),
        ScalarValueRef::Int(int) | ScalarValueRef::Counter(int) | ScalarValueRef::Timestamp(int) => Value::from(*int),
        ScalarValueRef::Uint(uint) => Value::from(*uint),
        ScalarValueRef::F64(float) => Number::from_f64(*float).map_or(Value::Null, Value::Number),
        ScalarValueRef::Boolean(flag) => Value::Bool(*flag),
        ScalarValueRef::Bytes(bytes) => Value::Array(bytes.iter().map(|byte| Value::from(*byte)).collect()),
        ScalarValueRef::Null | ScalarValueRef::Unknown { .. } => Value::Null,
    }
}

fn scalar_to_json(scalar: &ScalarValue) -> Value {
    match scalar {
        ScalarValue::Str(text) => Value::String(text.to_string()),
        ScalarValue::Int(int) | ScalarValue::Timestamp(int) => Value::from(*int),
        ScalarValue::Counter(counter) => Value::from(i64::from(counter)),
        ScalarValue::Uint(uint) => Value::from(*uint),
        ScalarValue::F64(float) => Number::from_f64(*float).map_or(Value::Null, Value::Number),
        ScalarValue::Boolean(flag) => Value::Bool(*flag),
        ScalarValue::Bytes(bytes) => Value::Array(bytes.iter().map(|byte| Value::from(*byte)).collect()),
        ScalarValue::Null | ScalarValue::Unknown { .. } => Value::Null,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Conflicts and paths

fn collect_conflicts(
    snapshot: &Snapshot<'_>,
    obj: &ObjId,
    obj_type: ObjType,
    segments: &mut Vec<PathSegment>,
    found: &mut Vec<FieldConflict>,
) {
    let keyed = matches!(obj_type, ObjType::Map | ObjType::Table) && snapshot.is_keyed(obj);
    for (index, entry) in snapshot.entries(obj).iter().enumerate() {
        let (segment, prop) = match obj_type {
            ObjType::List => (PathSegment::Index(index), Prop::Seq(index)),
            ObjType::Text => return,
            ObjType::Map | ObjType::Table => {
                let segment = match (keyed, unescape_key(&entry.key)) {
                    (true, _) if entry.key != KEYED => PathSegment::Row(entry.key.to_string()),
                    (false, Some(key)) => PathSegment::Key(key.to_owned()),
                    _ => continue,
                };
                (segment, Prop::Map(entry.key.to_string()))
            }
        };
        segments.push(segment);
        if entry.conflict {
            record_conflict(snapshot, obj, prop, segments, found);
        }
        if let (ValueRef::Object(child_type), Some(child)) = (&entry.value, &entry.child) {
            collect_conflicts(snapshot, child, *child_type, segments, found);
        }
        segments.pop();
    }
}

fn record_conflict(
    snapshot: &Snapshot<'_>,
    obj: &ObjId,
    prop: Prop,
    segments: &[PathSegment],
    found: &mut Vec<FieldConflict>,
) {
    let doc = snapshot.doc;
    let Ok(all) = doc.get_all(obj, prop.clone()) else { return };
    let winner = doc.get(obj, prop).ok().flatten().map(|(_, id)| id);
    let mut values: Vec<(bool, ConflictValue)> = all
        .into_iter()
        .map(|(value, id)| {
            let json = match &value {
                automerge::Value::Scalar(scalar) => scalar_to_json(scalar),
                // A losing object is not in the snapshot, which holds visible objects only.
                automerge::Value::Object(_) => match ReadDoc::hydrate(doc, &id, None) {
                    Ok(hydrated) => hydrated_to_json(&hydrated),
                    Err(_) => Value::Null,
                },
            };
            let actor = match &id {
                ObjId::Id(_, actor, _) => actor.to_hex_string(),
                ObjId::Root => String::new(),
            };
            let change = doc.hash_for_opid(&id);
            let meta = change.and_then(|hash| doc.get_change_meta_by_hash(&hash));
            let conflict_value = ConflictValue {
                value: json,
                actor,
                change,
                time_ms: meta.as_ref().map(|meta| meta.timestamp),
                message: meta.and_then(|meta| meta.message.map(Cow::into_owned)),
            };
            (winner.as_ref() == Some(&id), conflict_value)
        })
        .collect();
    if values.windows(2).all(|pair| pair[0].1.value == pair[1].1.value) {
        return;
    }
    // Stable: the winner first, the others in automerge's order.
    values.sort_by_key(|(winner, _)| !*winner);
    found.push(FieldConflict {
        path: display_path(segments),
        segments: segments.to_vec(),
        values: values.into_iter().map(|(_, value)| value).collect(),
    });
}

/// The JSON of an automerge-hydrated object (a losing conflict value), with the mapping of the module doc.
fn hydrated_to_json(value: &hydrate::Value) -> Value {
    match value {
        hydrate::Value::Scalar(scalar) => scalar_to_json(scalar),
        hydrate::Value::Text(text) => Value::String(String::from(text)),
        hydrate::Value::List(list) => Value::Array(list.iter().map(|item| hydrated_to_json(&item.value)).collect()),
        hydrate::Value::Map(map) if map.contains_key(KEYED) => {
            let mut rows: Vec<(i64, &String, Value)> = map
                .iter()
                .filter(|(key, _)| key.as_str() != KEYED)
                .map(|(key, row)| {
                    let order = match &row.value {
                        hydrate::Value::Map(fields) => match fields.get(URUTAN) {
                            Some(hydrate::Value::Scalar(ScalarValue::Int(order))) => *order,
                            _ => i64::MAX,
                        },
                        _ => i64::MAX,
                    };
                    (order, key, hydrated_to_json(&row.value))
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
            Value::Array(rows.into_iter().map(|(_, _, value)| value).collect())
        }
        hydrate::Value::Map(map) => {
            let mut fields: Vec<(&str, Value)> = map
                .iter()
                .filter_map(|(key, value)| Some((unescape_key(key)?, hydrated_to_json(&value.value))))
                .filter(|(_, value)| !value.is_null())
                .collect();
            fields.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(fields.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
        }
    }
}

/// `data_utama.golongan_akhir_id`, `riwayat_jabatan[<row key>].tmt_jabatan`, `list[2]`.
fn display_path(segments: &[PathSegment]) -> String {
    let mut path = String::new();
    for segment in segments {
        // Writing into a String cannot fail.
        let _ = match segment {
            PathSegment::Key(key) if path.is_empty() => write!(path, "{key}"),
            PathSegment::Key(key) => write!(path, ".{key}"),
            PathSegment::Row(key) => write!(path, "[{key}]"),
            PathSegment::Index(index) => write!(path, "[{index}]"),
        };
    }
    path
}

/// The object one step below `obj`, if there is one.
fn child_object(doc: &Automerge, obj: &ObjId, segment: &PathSegment) -> Option<ObjId> {
    let prop = match segment {
        PathSegment::Key(key) => Prop::Map(escape_key(key).into_owned()),
        PathSegment::Row(key) => Prop::Map(key.clone()),
        PathSegment::Index(index) => Prop::Seq(*index),
    };
    match doc.get(obj, prop).ok().flatten()? {
        (automerge::Value::Object(_), id) => Some(id),
        (automerge::Value::Scalar(_), _) => None,
    }
}

#[cfg(test)]
mod decoded_tests {
    use automerge::legacy::{ObjectId, OpId};
    use serde_json::json;

    use super::*;

    fn actor(n: u8) -> ActorId {
        ActorId::from([n; 16])
    }

    /// A document, a valid change to it by `actor(2)`, and a change with a valid checksum whose ops refer to an
    /// object that does not exist (automerge fails or panics on it).
    fn fixture() -> (Document, Vec<u8>, Vec<u8>) {
        let mut base = Document::new(actor(1));
        base.reconcile(&json!({"data_utama": {"nama": "SARI", "no_hp": "1"}}), None, 1).expect("reconcile");
        let mut device = base.fork().with_actor(actor(2));
        let heads = device.heads();
        device.reconcile(&json!({"data_utama": {"nama": "SARI", "no_hp": "2"}}), None, 2).expect("reconcile");
        let valid = device.changes_since(&heads).remove(0);
        let mut crafted = Change::try_from(valid.as_slice()).expect("a change").decode();
        crafted.hash = None;
        crafted.operations.iter_mut().for_each(|op| op.obj = ObjectId::Id(OpId(9_999, actor(7))));
        let crafted = Change::from(crafted).raw_bytes().to_vec();
        (base, valid, crafted)
    }

    #[test]
    fn decoded_changes_apply_like_raw_ones() {
        let (base, valid, crafted) = fixture();
        let mut raw = Document::load(&base.save()).expect("load");
        raw.apply_changes([&valid]).expect("apply");
        let mut decoded = Document::load(&base.save()).expect("load");
        decoded.apply_decoded(vec![decode_checked(&valid).expect("decode")]).expect("apply");
        let mut in_place = Document::load(&base.save()).expect("load").with_actor(actor(3));
        in_place.apply_in_place(vec![decode_checked(&valid).expect("decode")]).expect("apply");
        assert_eq!(decoded.heads(), raw.heads());
        assert_eq!((in_place.heads(), in_place.hydrate()), (raw.heads(), raw.hydrate()));
        assert!(matches!(decode_checked(b"garbage"), Err(DocumentError::InvalidChange { .. })));

        // A change automerge cannot apply: the guarded form leaves the document as it was, the in-place form
        // resets it to an empty document with the same actor.
        let before = (decoded.heads(), decoded.hydrate());
        let change = decode_checked(&crafted).expect("the checksum is valid");
        assert!(matches!(decoded.apply_decoded(vec![change.clone()]), Err(DocumentError::ApplyFailed(_))));
        assert_eq!((decoded.heads(), decoded.hydrate()), before);
        assert!(matches!(in_place.apply_in_place(vec![change]), Err(DocumentError::ApplyFailed(_))));
        assert_eq!((in_place.heads(), in_place.actor()), (Vec::new(), &actor(3)));
    }
}
