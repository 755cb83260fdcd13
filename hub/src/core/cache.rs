//! The writer's cache of loaded documents, least recently used out first.
//!
//! Loading a pegawai document with its riwayat costs ~0.5 ms (release), several times what checking and applying
//! a change to it costs, and devices push to the same documents again and again. The cache is owned by the
//! writer lock: a document is taken out while a writer works on it and put back only once its state is
//! committed, so the cache never holds anything the storage does not. It does not write anything itself.

use std::collections::HashMap;

use sync::wire::{DocId, HashBytes, RecordKind};
use sync::{ActorId, ChangeHash, Document};

use super::HubError;
use crate::storage::Storage;

/// From this many evicted documents on, they are freed on a thread of their own.
const FREE_ELSEWHERE: usize = 64;

/// A document as the writer works on it, with what is known of its stored state.
#[derive(Debug)]
pub(super) struct CachedDocument {
    /// The document, with the hub's actor (boxed: an automerge document is ~3.5 KB by value, and cached
    /// documents move between maps).
    pub(super) doc: Box<Document>,
    /// Its scope.
    pub(super) scope: String,
    /// Its kind.
    pub(super) record: RecordKind,
    /// Its heads as stored (the base of the next incremental chunk).
    pub(super) stored_heads: Vec<ChangeHash>,
    /// Incremental chunks stored after its save.
    pub(super) chunk_count: u32,
    /// Their size in bytes.
    pub(super) chunk_bytes: u64,
    /// Whether it references a blob (as stored).
    pub(super) has_blob_refs: bool,
}

/// Loaded documents by id, each with the tick of its last use.
#[derive(Debug)]
pub(super) struct DocumentCache {
    documents: HashMap<DocId, (CachedDocument, u64)>,
    tick: u64,
    capacity: usize,
}

impl DocumentCache {
    /// An empty cache of at most `capacity` documents (0: no caching).
    pub(super) fn new(capacity: usize) -> Self {
        Self { documents: HashMap::new(), tick: 0, capacity }
    }

    /// Takes `doc` out of the cache, or loads it from `storage`; `None` when the hub does not hold it.
    pub(super) fn take(
        &mut self,
        storage: &dyn Storage,
        doc: &DocId,
        hub_actor: &ActorId,
    ) -> Result<Option<CachedDocument>, HubError> {
        match self.documents.remove(doc) {
            Some((cached, _)) => Ok(Some(cached)),
            None => load(storage, doc, hub_actor),
        }
    }

    /// [`Self::take`] of each of `docs` (distinct), in order: the cached ones taken out, the others loaded on every
    /// core (loading is most of a cold push: ~0.1–0.5 ms per document, against ~0.1 ms to check and apply a
    /// change). Nothing goes into the cache here, so loading cannot evict a document the caller is about to take.
    pub(super) fn take_all(
        &mut self,
        storage: &dyn Storage,
        docs: &[DocId],
        hub_actor: &ActorId,
    ) -> Vec<Result<Option<CachedDocument>, HubError>> {
        let cached: Vec<Option<CachedDocument>> =
            docs.iter().map(|doc| self.documents.remove(doc).map(|(cached, _)| cached)).collect();
        let missing: Vec<&DocId> =
            docs.iter().zip(&cached).filter(|(_, cached)| cached.is_none()).map(|(doc, _)| doc).collect();
        let mut loaded = super::parallel::map(&missing, |doc| load(storage, doc, hub_actor)).into_iter();
        cached
            .into_iter()
            .map(|cached| match cached {
                Some(cached) => Ok(Some(cached)),
                None => loaded.next().unwrap_or(Ok(None)),
            })
            .collect()
    }

    /// Puts a committed document back, evicting the least recently used quarter when full.
    pub(super) fn put(&mut self, doc: DocId, cached: CachedDocument) {
        if self.capacity == 0 {
            return;
        }
        self.tick += 1;
        self.documents.insert(doc, (cached, self.tick));
        if self.documents.len() > self.capacity {
            let mut ticks: Vec<u64> = self.documents.values().map(|(_, tick)| *tick).collect();
            ticks.sort_unstable();
            let cut = ticks[ticks.len() / 4];
            let evicted: Vec<CachedDocument> =
                self.documents.extract_if(|_, (_, tick)| *tick <= cut).map(|(_, (cached, _))| cached).collect();
            // Freeing a thousand documents takes tens of milliseconds: not while the writer lock is held (when the
            // thread cannot start, they are freed here).
            if evicted.len() >= FREE_ELSEWHERE {
                let _ = std::thread::Builder::new().name("hub-evict".to_owned()).spawn(move || drop(evicted));
            }
        }
    }
}

/// Loads `doc` from `storage`; `None` when the hub does not hold it.
pub(super) fn load(
    storage: &dyn Storage,
    doc: &DocId,
    hub_actor: &ActorId,
) -> Result<Option<CachedDocument>, HubError> {
    let Some(stored) = storage.document(doc)? else {
        return Ok(None);
    };
    let loaded = Document::load(&stored.bytes).map_err(|error| {
        HubError::Storage(format!("dokumen {} tersimpan tidak dapat dibaca: {error}", uuid::Uuid::from_bytes(*doc)))
    })?;
    Ok(Some(CachedDocument {
        doc: Box::new(loaded.with_actor(hub_actor.clone())),
        scope: stored.scope,
        record: stored.record,
        stored_heads: stored.heads.iter().map(|hash| ChangeHash(*hash)).collect(),
        chunk_count: stored.chunk_count,
        chunk_bytes: stored.chunk_bytes,
        has_blob_refs: stored.has_blob_refs,
    }))
}

/// Heads as wire hashes.
pub(super) fn head_bytes(heads: &[ChangeHash]) -> Vec<HashBytes> {
    heads.iter().map(|hash| hash.0).collect()
}
