//! [`push`]: a device's outbox changes into the hub (DESIGN §5.2, §5.4; sync.md §5.5).
//!
//! The whole request is refused ([`HubError::Forbidden`]) when its actor is not a registered, active device of
//! the caller, or when one of its documents is in a scope other than the caller's own instansi. Otherwise each
//! change, in order (a later change may depend on an earlier one of the same request), gets one outcome:
//!
//! 1. bytes that are not a valid change → `rejected(invalid_change)`, not kept;
//! 2. a change the hub holds (by hash) → `duplicate(seq)`;
//! 3. dependencies the document lacks → `missing_deps(those)`, not kept (send them first);
//! 4. a change by another actor than the request's → `rejected(actor_palsu)`, not kept;
//! 5. a change whose `record` disagrees with the stored document's → `rejected(jenis_dokumen)`, not kept;
//! 6. the first change of a new document: kept when the caller may create that kind
//!    ([`authority::may_create`]), else `rejected(kewenangan)` without compensation (nothing was kept);
//! 7. otherwise the change is applied; the paths its operations write are checked ([`authority::check`]).
//!    Allowed → `applied(seq)`, feed entry `changes [change]`. Refused → the change stays merged (the hub's
//!    history must stay a superset of the devices') and the hub writes a compensating change on top of it, by its
//!    own actor, putting back the values from before the change (message `kompensasi: <reason>`); the feed entry
//!    is `changes [change, compensation…]` and the answer `rejected(kewenangan, reason, compensation)`.
//!
//! Everything the request writes (documents, change hashes, feed entries) commits in one transaction; when it
//! fails, nothing is written and the error is returned for the whole request. `checkpoint_seq` is the highest seq
//! of the request's outcomes.

use std::collections::HashMap;

use sync::wire::{DocId, HashBytes, PushOutcome, PushRequest, PushResponse, PushResult, RecordKind, VERSION};
use sync::{ChangeHash, Document};

use super::cache::{CachedDocument, head_bytes};
use super::paths;
use super::{Caller, Hub, HubError, lock, now_ms};
use crate::authority::{self, ChangedPath};
use crate::storage::{Commit, DocumentWrite, LogAppend, LogBody, StateWrite};

/// The most changes one request may carry.
pub const MAX_CHANGES: usize = 10_000;

/// A document's incremental chunks are folded into a new save past this many chunks…
const MAX_CHUNKS: u32 = 16;
/// …or this many bytes of chunks (sync.md §5.9).
const MAX_CHUNK_BYTES: u64 = 8 * 1024;

/// One document a request works on.
#[derive(Debug)]
struct Working {
    /// `None` while the hub does not hold it (a new document before its first change).
    cached: Option<CachedDocument>,
    /// Created by this request.
    new: bool,
    /// Changed by this request.
    dirty: bool,
    /// Its blob references must be recomputed.
    refs_dirty: bool,
}

/// Where an outcome's seq comes from until the commit gives seqs.
#[derive(Debug)]
enum Pending {
    Done(PushOutcome),
    Applied(usize),
    Duplicate(usize),
    Rejected { code: &'static str, reason: String, compensation: Option<HashBytes>, log: usize },
}

pub(super) fn push(hub: &Hub, caller: &Caller, request: PushRequest) -> Result<PushResponse, HubError> {
    let inner = &hub.inner;
    if request.changes.len() > MAX_CHANGES {
        return Err(HubError::TooLarge(format!(
            "satu push paling banyak {MAX_CHANGES} perubahan, bukan {}",
            request.changes.len()
        )));
    }
    let mut cache = lock(&inner.writer);
    check_device(hub, caller, &request.actor)?;
    let own_scope = caller.own_scope();

    // Every document of the request, taken out of the cache; any in another scope refuses the whole request.
    let mut working: HashMap<DocId, Working> = HashMap::new();
    let mut refused = None;
    for change in &request.changes {
        if working.contains_key(&change.doc) {
            continue;
        }
        let cached = cache.take(inner.storage.as_ref(), &change.doc, &inner.hub_actor)?;
        if let Some(cached) = &cached
            && cached.scope != own_scope
        {
            refused = Some(cached.scope.clone());
        }
        working.insert(change.doc, Working { cached, new: false, dirty: false, refs_dirty: false });
        if refused.is_some() {
            break;
        }
    }
    if let Some(scope) = refused {
        put_back(&mut cache, working);
        return Err(HubError::Forbidden(format!("dokumen di cakupan {scope} bukan milik instansi Anda")));
    }

    let now = now_ms();
    let mut log: Vec<LogAppend> = Vec::new();
    let mut pending: Vec<(HashBytes, Pending)> = Vec::with_capacity(request.changes.len());
    let mut in_request: HashMap<HashBytes, usize> = HashMap::new();
    for change in &request.changes {
        let bytes = change.change.as_ref();
        let Ok(hash) = sync::change_hash_of(bytes) else {
            let hash = sha256(bytes);
            pending.push((hash, rejected_not_kept("invalid_change", "perubahan tidak dapat dibaca (rusak)")));
            continue;
        };
        let hash_bytes = hash.0;
        if let Some(&index) = in_request.get(&hash_bytes) {
            pending.push((hash_bytes, Pending::Duplicate(index)));
            continue;
        }
        if let Some(seq) = inner.storage.change_seq(&hash_bytes)? {
            pending.push((hash_bytes, Pending::Done(PushOutcome::Duplicate { seq })));
            continue;
        }
        let decoded = match automerge::Change::try_from(bytes) {
            Ok(decoded) => decoded,
            Err(_) => {
                pending.push((hash_bytes, rejected_not_kept("invalid_change", "perubahan tidak dapat dibaca (rusak)")));
                continue;
            }
        };
        let Some(work) = working.get_mut(&change.doc) else {
            // Every document of the request was taken above.
            return Err(HubError::Storage("dokumen push hilang dari daftar kerja".to_owned()));
        };
        let missing: Vec<HashBytes> = match &work.cached {
            Some(cached) => decoded
                .deps()
                .iter()
                .filter(|dep| cached.doc.automerge().get_change_meta_by_hash(dep).is_none())
                .map(|dep| dep.0)
                .collect(),
            None => decoded.deps().iter().map(|dep| dep.0).collect(),
        };
        if !missing.is_empty() {
            pending.push((hash_bytes, Pending::Done(PushOutcome::MissingDeps { hashes: missing })));
            continue;
        }
        if decoded.actor_id().to_bytes() != request.actor.as_ref() {
            pending.push((
                hash_bytes,
                rejected_not_kept("actor_palsu", "perubahan ini ditulis actor lain, bukan perangkat pengirim"),
            ));
            continue;
        }
        if let Some(cached) = &work.cached
            && cached.record != change.record
        {
            pending.push((
                hash_bytes,
                rejected_not_kept(
                    "jenis_dokumen",
                    &format!("dokumen ini {}, bukan {}", cached.record.as_str(), change.record.as_str()),
                ),
            ));
            continue;
        }

        // A new document: its first change creates it.
        if work.cached.is_none() {
            if let Err(violation) = authority::may_create(&caller.roles, change.record) {
                pending.push((hash_bytes, rejected_not_kept("kewenangan", &violation.reason)));
                continue;
            }
            let mut doc = Document::new(inner.hub_actor.clone());
            if doc.apply_changes([bytes]).is_err() {
                pending.push((hash_bytes, rejected_not_kept("invalid_change", "perubahan tidak dapat diterapkan")));
                continue;
            }
            let touched = paths::touched(&doc, &decoded);
            // An usulan or a field visit is created by an operator: its first change may not already write what
            // only the hub writes (status from SI-ASN, siasn_id, …). A new pegawai is a whole record written by an
            // admin (`may_create`), so its fields are not checked one by one.
            if change.record != RecordKind::Pegawai
                && let Err(violation) = authority::check(&caller.roles, change.record, &touched.paths)
            {
                pending.push((hash_bytes, rejected_not_kept("kewenangan", &violation.reason)));
                continue;
            }
            work.cached = Some(CachedDocument {
                doc,
                scope: own_scope.clone(),
                record: change.record,
                stored_heads: Vec::new(),
                chunk_count: 0,
                chunk_bytes: 0,
                has_blob_refs: false,
            });
            work.new = true;
            work.dirty = true;
            work.refs_dirty |= touched.writes_sha256;
            let Some(cached) = &work.cached else { continue };
            log.push(entry(change.doc, cached, vec![bytes.to_vec()], vec![hash_bytes]));
            in_request.insert(hash_bytes, log.len() - 1);
            pending.push((hash_bytes, Pending::Applied(log.len() - 1)));
            continue;
        }

        let Some(cached) = work.cached.as_mut() else { continue };
        let before_heads = cached.doc.heads();
        if cached.doc.apply_changes([bytes]).is_err() {
            pending.push((hash_bytes, rejected_not_kept("invalid_change", "perubahan tidak dapat diterapkan")));
            continue;
        }
        work.dirty = true;
        let touched = paths::touched(&cached.doc, &decoded);
        work.refs_dirty |= touched.writes_sha256 || (cached.has_blob_refs && touched.overwrites);
        match authority::check(&caller.roles, cached.record, &touched.paths) {
            Ok(()) => {
                log.push(entry(change.doc, cached, vec![bytes.to_vec()], vec![hash_bytes]));
                in_request.insert(hash_bytes, log.len() - 1);
                pending.push((hash_bytes, Pending::Applied(log.len() - 1)));
            }
            Err(violation) => {
                // The path names a field or a row id, never a value.
                tracing::info!(
                    nip = %caller.nip,
                    doc = %uuid::Uuid::from_bytes(change.doc),
                    path = %violation.path,
                    "perubahan ditolak karena kewenangan; dikompensasi"
                );
                let refused: Vec<&ChangedPath> = touched
                    .paths
                    .iter()
                    .filter(|path| authority::check(&caller.roles, cached.record, std::slice::from_ref(*path)).is_err())
                    .collect();
                let compensations = compensate(&mut cached.doc, &before_heads, &refused, &violation.reason, now)?;
                work.refs_dirty = true;
                let mut changes = vec![bytes.to_vec()];
                let mut hashes = vec![hash_bytes];
                for compensation in &compensations {
                    if let Some(raw) = cached.doc.change_bytes(compensation) {
                        changes.push(raw);
                        hashes.push(compensation.0);
                    }
                }
                log.push(entry(change.doc, cached, changes, hashes.clone()));
                for hash in hashes {
                    in_request.insert(hash, log.len() - 1);
                }
                pending.push((
                    hash_bytes,
                    Pending::Rejected {
                        code: "kewenangan",
                        reason: violation.reason,
                        compensation: compensations.last().map(|hash| hash.0),
                        log: log.len() - 1,
                    },
                ));
            }
        }
    }

    // One transaction for everything the request wrote.
    let mut commit = Commit { documents: Vec::new(), log };
    for (doc, work) in &working {
        if let (true, Some(cached)) = (work.dirty, &work.cached) {
            commit.documents.push(document_write(*doc, cached, work.new, work.refs_dirty));
        }
    }
    let seqs = if commit.log.is_empty() { Ok(Vec::new()) } else { inner.storage.commit(&commit) };
    let seqs = match seqs {
        Ok(seqs) => seqs,
        Err(error) => {
            // The working documents hold changes the storage does not: drop them.
            drop(working);
            return Err(error);
        }
    };
    for write in &commit.documents {
        if let Some(cached) = working.get_mut(&write.doc).and_then(|work| work.cached.as_mut()) {
            mark_stored(cached, &write.state);
            if let Some(refs) = &write.blob_refs {
                cached.has_blob_refs = !refs.is_empty();
            }
        }
    }
    put_back(&mut cache, working);
    drop(cache);
    if let Some(&last) = seqs.last() {
        inner.changed.send_replace(last);
    }

    let seq_of = |index: usize| seqs.get(index).copied().unwrap_or(0);
    let mut checkpoint_seq = 0;
    let results = pending
        .into_iter()
        .map(|(hash, pending)| {
            let outcome = match pending {
                Pending::Done(outcome) => outcome,
                Pending::Applied(index) => PushOutcome::Applied { seq: seq_of(index) },
                Pending::Duplicate(index) => PushOutcome::Duplicate { seq: seq_of(index) },
                Pending::Rejected { code, reason, compensation, log } => {
                    checkpoint_seq = checkpoint_seq.max(seq_of(log));
                    PushOutcome::Rejected { code: code.to_owned(), reason, compensation }
                }
            };
            if let PushOutcome::Applied { seq } | PushOutcome::Duplicate { seq } = &outcome {
                checkpoint_seq = checkpoint_seq.max(*seq);
            }
            PushResult { hash, outcome }
        })
        .collect();
    Ok(PushResponse { v: VERSION, results, checkpoint_seq })
}

/// The request's actor must be a registered, active device of the caller.
fn check_device(hub: &Hub, caller: &Caller, actor: &[u8]) -> Result<(), HubError> {
    match hub.inner.storage.device(actor)? {
        Some(device) if device.nip == caller.nip && device.revoked_at_ms.is_none() => Ok(()),
        Some(device) if device.nip == caller.nip => {
            Err(HubError::Forbidden("perangkat ini sudah dicabut; perubahannya tidak diterima".to_owned()))
        }
        Some(_) => Err(HubError::Forbidden("actor ini terdaftar untuk pengguna lain".to_owned())),
        None => Err(HubError::Forbidden("perangkat ini belum terdaftar di hub; daftarkan dulu".to_owned())),
    }
}

fn rejected_not_kept(code: &'static str, reason: &str) -> Pending {
    Pending::Done(PushOutcome::Rejected { code: code.to_owned(), reason: reason.to_owned(), compensation: None })
}

fn sha256(bytes: &[u8]) -> HashBytes {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}

fn entry(doc: DocId, cached: &CachedDocument, changes: Vec<Vec<u8>>, hashes: Vec<HashBytes>) -> LogAppend {
    LogAppend {
        scope: cached.scope.clone(),
        doc,
        record: cached.record,
        body: LogBody::Changes(changes),
        heads_after: head_bytes(&cached.doc.heads()),
        change_hashes: hashes,
    }
}

/// The storage write of a changed document: a whole save for a new one or past the chunk limits, else one more
/// incremental chunk.
fn document_write(doc: DocId, cached: &CachedDocument, new: bool, refs_dirty: bool) -> DocumentWrite {
    let chunk = if new { None } else { Some(cached.doc.save_after(&cached.stored_heads)) };
    let state = match chunk {
        Some(chunk)
            if cached.chunk_count < MAX_CHUNKS && cached.chunk_bytes + chunk.len() as u64 <= MAX_CHUNK_BYTES =>
        {
            StateWrite::Append(chunk)
        }
        _ => StateWrite::Save(cached.doc.save_uncompressed()),
    };
    DocumentWrite {
        doc,
        scope: cached.scope.clone(),
        record: cached.record,
        nip: None,
        state,
        heads: head_bytes(&cached.doc.heads()),
        blob_refs: refs_dirty.then(|| paths::blob_refs(&cached.doc.hydrate())),
    }
}

/// Records in the cached document what the storage now holds.
pub(super) fn mark_stored(cached: &mut CachedDocument, state: &StateWrite) {
    match state {
        StateWrite::Save(_) => {
            cached.chunk_count = 0;
            cached.chunk_bytes = 0;
        }
        StateWrite::Append(chunk) => {
            cached.chunk_count += 1;
            cached.chunk_bytes += chunk.len() as u64;
        }
    }
    cached.stored_heads = cached.doc.heads();
}

fn put_back(cache: &mut super::cache::DocumentCache, working: HashMap<DocId, Working>) {
    for (doc, work) in working {
        if let Some(cached) = work.cached {
            cache.put(doc, cached);
        }
    }
}

/// Writes the compensating change(s) for `refused` paths on `doc` (which holds the refused change), by the hub's
/// actor: the document as it is, with the values from `before_heads` put back at those paths, as one reconcile;
/// then, for a refused path that still holds concurrent values (the refused write lost the tie-break, so the value
/// shown did not change), a `resolve` that writes the old value over all of them. Returns the new changes' hashes
/// (usually one; the last depends on all the others).
fn compensate(
    doc: &mut Document,
    before_heads: &[ChangeHash],
    refused: &[&ChangedPath],
    reason: &str,
    now: i64,
) -> Result<Vec<ChangeHash>, HubError> {
    let message = format!("kompensasi: {reason}");
    let before = doc
        .automerge()
        .fork_at(before_heads)
        .ok()
        .and_then(|fork| Document::load(&fork.save_nocompress()).ok())
        .map(|fork| fork.hydrate())
        .ok_or_else(|| HubError::Storage("keadaan dokumen sebelum perubahan tidak dapat dibentuk".to_owned()))?;
    let mut target = doc.hydrate();
    for path in refused {
        paths::revert(&mut target, &before, &path.segments);
    }
    let mut written = Vec::new();
    let compensation_error = |error: sync::DocumentError| HubError::Storage(format!("kompensasi gagal: {error}"));
    if let Some(hash) = doc.reconcile(&target, Some(&message), now).map_err(compensation_error)? {
        written.push(hash);
    }
    let conflicts = doc.conflicts();
    for path in refused {
        if conflicts.iter().any(|conflict| conflict.segments == path.segments) {
            let old = paths::value_at(&before, &path.segments).cloned().unwrap_or(serde_json::Value::Null);
            if let Ok(hash) = doc.resolve(&path.segments, &old, Some(&message), now) {
                written.push(hash);
            }
        }
    }
    if written.is_empty() {
        // Nothing visible to take back (the refused write equals what was there): still answer with a change the
        // author's replica can see superseding it.
        if let Some(path) = refused.first() {
            let old = paths::value_at(&before, &path.segments).cloned().unwrap_or(serde_json::Value::Null);
            if let Ok(hash) = doc.resolve(&path.segments, &old, Some(&message), now) {
                written.push(hash);
            }
        }
    }
    Ok(written)
}
