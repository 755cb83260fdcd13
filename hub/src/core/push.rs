//! [`push`]: a device's outbox changes into the hub (DESIGN §5.2, §5.4; sync.md §5.5).
//!
//! The whole request is refused ([`HubError::Forbidden`]) when its actor is not a registered device of the caller
//! ([`HubError::DeviceRevoked`] when it is, but revoked), or when one of its documents is in a scope other than
//! the caller's own instansi, except an existing usulan when one of the caller's roles reads every instansi
//! (verifikator BKN, admin hub: BKN's decisions on any instansi's usulan). A new document is always created in
//! the caller's own scope, and every feed entry goes to its document's own scope (an approval recorded by BKN
//! reaches the feed of the usulan's instansi). Otherwise each
//! change, in order (a later change may depend on an earlier one of the same request), gets one outcome:
//!
//! 1. bytes that are not a valid change → `rejected(invalid_change)`, not kept;
//! 2. a change the hub holds (by hash) → `duplicate(seq)`;
//! 3. dependencies the document lacks → `missing_deps(those)`, not kept (send them first);
//! 4. a change by another actor than the request's → `rejected(actor_palsu)`, not kept;
//! 5. a change whose `record` disagrees with the stored document's → `rejected(jenis_dokumen)`, not kept;
//! 6. the first change of a new document: kept when the caller may create that kind
//!    ([`authority::may_create`]) and, for an usulan, the document reads as one and adds its `dibuat` event by
//!    the caller ([`authority::check_usulan`]); for a verifikasi lapangan, the document reads as one, in the
//!    caller's NIP as petugas, of an 18-digit NIP ([`authority::check_verifikasi_lapangan`]); else
//!    `rejected(kewenangan)` without compensation (nothing was kept);
//! 7. otherwise the change is applied; the paths its operations write are checked ([`authority::check`], for a
//!    pegawai [`authority::check_pegawai`]; for an
//!    usulan [`authority::check_usulan`], which also runs the state machine on the usulan hydrated before and
//!    after the change, so refused events are taken back like any refused path; for an usulan of another
//!    instansi [`authority::check_usulan_of_other_instansi`]: only the event log, by the roles that read every
//!    instansi; for a verifikasi lapangan [`authority::check_verifikasi_lapangan`] on the visit before and
//!    after).
//!    Allowed → `applied(seq)`, feed entry `changes [change]`. Refused → the change stays merged (the hub's
//!    history must stay a superset of the devices') and the hub writes a compensating change on top of it, by its
//!    own actor, putting back the values from before the change (message `kompensasi: <reason>`); the feed entry
//!    is `changes [change, compensation…]` and the answer `rejected(kewenangan, reason, compensation)`.
//!
//! 8. a kept usulan change (compensated or not) that moves NIPs of a peremajaan data usulan to disetujui (BKN's
//!    approval, [`approval::approved`]): after the feed entries of the request's own changes, the hub writes the
//!    usulan's `perubahan` of fields whose `penulis` is `bkn` into the pegawai documents of those NIPs in the
//!    usulan's scope (found by NIP), one change per document by its own actor with the message `usulan <id>
//!    disetujui BKN: <paths> diterapkan hub`, each its own `changes` feed entry. The instansi's fields are the
//!    verifikator's device's to write, at `diverifikasi`.
//!
//! Everything the request writes (documents, change hashes, feed entries) commits in one transaction; when it
//! fails, nothing is written and the error is returned for the whole request. `checkpoint_seq` is the highest seq
//! of the request's outcomes.
//!
//! How (the hub's push rate is a bar, ≥ 3,000 changes/s with these checks): each change is decoded once; the
//! documents are taken out of the cache or loaded on every core; then the changes of different documents, which
//! are independent, are checked and applied on every core, each document's changes in request order (all of the
//! request in one pass, in order, when a change appears under two documents or the request's actor is the hub's
//! own, since an earlier change could then be a later one's duplicate across documents); the outcomes and feed
//! entries are put back in request order and committed. A change is applied to the working document itself (no
//! copy, [`Document::apply_in_place`]); when automerge fails or panics on it, that working document is rebuilt from
//! the storage and the request's changes kept before it.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use automerge::Change;
use model::usulan::Usulan;
use model::verifikasi::VerifikasiLapangan;
use sync::wire::{
    DocId, HashBytes, PushChange, PushOutcome, PushRequest, PushResponse, PushResult, RecordKind, VERSION,
};
use sync::{ActorId, ChangeHash, Document};

use super::approval::{self, Approval};
use super::cache::{self, CachedDocument, head_bytes};
use super::{Caller, Hub, HubError, lock, now_ms, parallel, paths};
use crate::authority::{self, ChangedPath};
use crate::storage::{Commit, DocumentWrite, LogAppend, LogBody, StateWrite, Storage};

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

/// Documents whose changes are worked on together, in request order, and what came of them.
#[derive(Debug, Default)]
struct Group {
    docs: HashMap<DocId, Working>,
    /// Indexes of the request's changes, ascending.
    changes: Vec<usize>,
    /// The outcome of each of `changes`.
    outcomes: Vec<(usize, Outcome)>,
    /// The storage writes of the changed documents.
    writes: Vec<DocumentWrite>,
}

/// What came of one change, before the commit gives seqs.
#[derive(Debug)]
enum Outcome {
    /// Final, nothing kept.
    Done(PushOutcome),
    /// The same change as the earlier change at this index of the request, which was kept.
    Same(usize),
    /// Kept: its feed entry, why it was refused when it was compensated, and the BKN approval it records when it
    /// approves a peremajaan data usulan (for the hub to carry into the pegawai documents).
    Kept { entry: LogAppend, refused: Option<Refusal>, approval: Option<Approval> },
}

#[derive(Debug)]
struct Refusal {
    reason: String,
    compensation: Option<HashBytes>,
}

/// Where an outcome's seq comes from until the commit gives seqs.
#[derive(Debug)]
enum Pending {
    Done(PushOutcome),
    Applied(usize),
    Duplicate(usize),
    Rejected { code: &'static str, reason: String, compensation: Option<HashBytes>, log: usize },
}

/// What every change of a request is checked against.
struct Context<'a> {
    storage: &'a dyn Storage,
    hub_actor: &'a ActorId,
    caller: &'a Caller,
    own_scope: &'a str,
    actor: &'a [u8],
    now: i64,
    changes: &'a [PushChange],
    decoded: &'a [Option<Change>],
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

    // Every change decoded once: its hash, checksum, dependencies and actor, and what is applied.
    let decoded: Vec<Option<Change>> =
        parallel::map(&request.changes, |change| sync::document::decode_checked(change.change.as_ref()).ok());

    // Every document of the request, taken out of the cache or loaded; any in another scope refuses the whole
    // request (as does a document that cannot be loaded, the first in request order).
    let mut docs: Vec<DocId> = Vec::new();
    let mut seen = HashSet::new();
    for change in &request.changes {
        if seen.insert(change.doc) {
            docs.push(change.doc);
        }
    }
    let taken = cache.take_all(inner.storage.as_ref(), &docs, &inner.hub_actor);
    let mut working: Vec<(DocId, Working)> = Vec::with_capacity(docs.len());
    let mut failure = None;
    for (doc, taken) in docs.iter().zip(taken) {
        match taken {
            Ok(cached) => {
                if failure.is_none()
                    && let Some(cached) = &cached
                    && !writable(caller, &own_scope, cached)
                {
                    failure = Some(HubError::Forbidden(format!(
                        "dokumen di cakupan {} bukan milik instansi Anda",
                        cached.scope
                    )));
                }
                working.push((*doc, Working { cached, new: false, dirty: false, refs_dirty: false }));
            }
            Err(error) => {
                if failure.is_none() {
                    failure = Some(error);
                }
            }
        }
    }
    if let Some(failure) = failure {
        // Nothing was changed yet: the documents go back as they were.
        put_back(&mut cache, working);
        return Err(failure);
    }

    // The changes of each document together (all of them together when one change appears under two documents,
    // or when the request's actor is the hub's own: an earlier change's compensation could then be a later one).
    let mut groups: Vec<Group> = Vec::new();
    let together = request.actor.as_ref() == inner.hub_actor.to_bytes() || {
        let mut doc_of: HashMap<HashBytes, DocId> = HashMap::with_capacity(decoded.len());
        decoded.iter().zip(&request.changes).any(|(decoded, change)| {
            decoded.as_ref().is_some_and(|decoded| *doc_of.entry(decoded.hash().0).or_insert(change.doc) != change.doc)
        })
    };
    if together {
        let mut group = Group { docs: working.into_iter().collect(), ..Group::default() };
        group.changes = (0..request.changes.len()).collect();
        groups.push(group);
    } else {
        let mut group_of: HashMap<DocId, usize> = HashMap::with_capacity(working.len());
        for (doc, work) in working {
            group_of.insert(doc, groups.len());
            groups.push(Group { docs: HashMap::from([(doc, work)]), ..Group::default() });
        }
        for (index, change) in request.changes.iter().enumerate() {
            if let Some(group) = group_of.get(&change.doc).and_then(|&group| groups.get_mut(group)) {
                group.changes.push(index);
            }
        }
    }

    let context = Context {
        storage: inner.storage.as_ref(),
        hub_actor: &inner.hub_actor,
        caller,
        own_scope: &own_scope,
        actor: request.actor.as_ref(),
        now: now_ms(),
        changes: &request.changes,
        decoded: &decoded,
    };
    let cells: Vec<Mutex<Group>> = groups.into_iter().map(Mutex::new).collect();
    let results = parallel::map(&cells, |cell| process(&context, &mut lock(cell)));
    // On an error the working documents, which may hold changes the storage does not, are dropped.
    results.into_iter().collect::<Result<(), HubError>>()?;
    let groups: Vec<Group> =
        cells.into_iter().map(|cell| cell.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)).collect();

    // Outcomes and feed entries in request order.
    let mut outcomes: Vec<Option<Outcome>> = (0..request.changes.len()).map(|_| None).collect();
    let mut working: HashMap<DocId, Working> = HashMap::with_capacity(docs.len());
    let mut commit = Commit { documents: Vec::new(), log: Vec::new() };
    for group in groups {
        for (index, outcome) in group.outcomes {
            if let Some(slot) = outcomes.get_mut(index) {
                *slot = Some(outcome);
            }
        }
        working.extend(group.docs);
        commit.documents.extend(group.writes);
    }
    let mut pending: Vec<(HashBytes, Pending)> = Vec::with_capacity(request.changes.len());
    let mut log_of: Vec<usize> = vec![0; request.changes.len()];
    let mut kept: HashMap<HashBytes, usize> = HashMap::new();
    let mut approvals: Vec<(String, Approval)> = Vec::new();
    for (index, (outcome, change)) in outcomes.into_iter().zip(&request.changes).enumerate() {
        let hash = decoded.get(index).and_then(Option::as_ref).map(|decoded| decoded.hash().0);
        let result = match outcome {
            None => return Err(HubError::Storage("perubahan push tidak diperiksa".to_owned())),
            // A change kept earlier in another group (a compensation, when changes are grouped by document).
            Some(Outcome::Done(_)) if let Some(&log) = hash.as_ref().and_then(|hash| kept.get(hash)) => {
                Pending::Duplicate(log)
            }
            Some(Outcome::Done(outcome)) => Pending::Done(outcome),
            Some(Outcome::Same(first)) => Pending::Duplicate(log_of.get(first).copied().unwrap_or(0)),
            Some(Outcome::Kept { entry, refused, approval }) => {
                if let Some(approval) = approval {
                    approvals.push((entry.scope.clone(), approval));
                }
                let log = commit.log.len();
                for hash in &entry.change_hashes {
                    kept.entry(*hash).or_insert(log);
                }
                commit.log.push(entry);
                if let Some(slot) = log_of.get_mut(index) {
                    *slot = log;
                }
                match refused {
                    None => Pending::Applied(log),
                    Some(Refusal { reason, compensation }) => {
                        Pending::Rejected { code: "kewenangan", reason, compensation, log }
                    }
                }
            }
        };
        pending.push((hash.unwrap_or_else(|| sha256(change.change.as_ref())), result));
    }

    // The pegawai changes of BKN's approvals, after every feed entry of the request's own changes.
    for (scope, approval) in &approvals {
        apply_approval(&context, &mut cache, &mut working, &mut commit, scope, approval)?;
    }

    // One transaction for everything the request wrote.
    let seqs = if commit.log.is_empty() { Vec::new() } else { inner.storage.commit(&commit)? };
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

/// Checks and applies a group's changes in order, then prepares the storage writes of its changed documents.
fn process(context: &Context<'_>, group: &mut Group) -> Result<(), HubError> {
    let mut in_request: HashMap<HashBytes, usize> = HashMap::new();
    for position in 0..group.changes.len() {
        let Some(&index) = group.changes.get(position) else { break };
        let outcome = check_and_apply(context, group, &mut in_request, index)?;
        group.outcomes.push((index, outcome));
    }
    for (doc, work) in &group.docs {
        if let (true, Some(cached)) = (work.dirty, &work.cached) {
            group.writes.push(document_write(*doc, cached, work.new, work.refs_dirty));
        }
    }
    Ok(())
}

/// The outcome of the request's change `index` (see the module doc), applying it to its working document.
/// `in_request` maps the hashes the group kept so far to the index of the change whose feed entry holds them.
fn check_and_apply(
    context: &Context<'_>,
    group: &mut Group,
    in_request: &mut HashMap<HashBytes, usize>,
    index: usize,
) -> Result<Outcome, HubError> {
    let (Some(change), Some(decoded)) = (context.changes.get(index), context.decoded.get(index)) else {
        return Err(HubError::Storage("perubahan push hilang dari daftar kerja".to_owned()));
    };
    let Some(decoded) = decoded else {
        return Ok(rejected_not_kept("invalid_change", "perubahan tidak dapat dibaca (rusak)"));
    };
    let bytes = change.change.as_ref();
    let hash_bytes = decoded.hash().0;
    if let Some(&first) = in_request.get(&hash_bytes) {
        return Ok(Outcome::Same(first));
    }
    if let Some(seq) = context.storage.change_seq(&hash_bytes)? {
        return Ok(Outcome::Done(PushOutcome::Duplicate { seq }));
    }
    let Some(work) = group.docs.get_mut(&change.doc) else {
        // Every document of the request was taken.
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
        return Ok(Outcome::Done(PushOutcome::MissingDeps { hashes: missing }));
    }
    if decoded.actor_id().to_bytes() != context.actor {
        return Ok(rejected_not_kept("actor_palsu", "perubahan ini ditulis actor lain, bukan perangkat pengirim"));
    }
    if let Some(cached) = &work.cached
        && cached.record != change.record
    {
        return Ok(rejected_not_kept(
            "jenis_dokumen",
            &format!("dokumen ini {}, bukan {}", cached.record.as_str(), change.record.as_str()),
        ));
    }

    // A new document: its first change creates it.
    let Some(cached) = work.cached.as_mut() else {
        if let Err(violation) = authority::may_create(&context.caller.roles, change.record) {
            return Ok(rejected_not_kept("kewenangan", &violation.reason));
        }
        let mut doc = Document::new(context.hub_actor.clone());
        if doc.apply_in_place(vec![decoded.clone()]).is_err() {
            return Ok(rejected_not_kept("invalid_change", "perubahan tidak dapat diterapkan"));
        }
        let touched = paths::touched(&doc, decoded);
        // An usulan or a field visit is created by an operator: its first change may not already write what
        // only the hub writes (status from SI-ASN, siasn_id, …), and an usulan's must read as one and add its
        // `dibuat` event by the caller. A new pegawai is a whole record written by an admin (`may_create`), so its
        // fields are not checked one by one.
        let roles = &context.caller.roles;
        let mut approval = None;
        let verdict = match change.record {
            RecordKind::Pegawai => Ok(()),
            RecordKind::Usulan => {
                let sesudah = read_usulan(&doc);
                let verdict =
                    authority::check_usulan(&context.caller.nip, roles, None, as_read(&sesudah), &touched.paths)
                        .map_err(|refused| refused.violation);
                // A caller holding every role could create, submit, verify, forward and approve in one change.
                if let (Ok(()), Ok(sesudah)) = (&verdict, &sesudah) {
                    let kosong = Usulan { riwayat_status: Vec::new(), ..sesudah.clone() };
                    approval = approval::approved(&doc_text(&change.doc), &kosong, sesudah);
                }
                verdict
            }
            RecordKind::VerifikasiLapangan => authority::check_verifikasi_lapangan(
                &context.caller.nip,
                roles,
                None,
                as_read(&read_record::<VerifikasiLapangan>(&doc)),
                &touched.paths,
            )
            .map_err(|refused| refused.violation),
        };
        if let Err(violation) = verdict {
            return Ok(rejected_not_kept("kewenangan", &violation.reason));
        }
        let cached = CachedDocument {
            doc: Box::new(doc),
            scope: context.own_scope.to_owned(),
            record: change.record,
            stored_heads: Vec::new(),
            chunk_count: 0,
            chunk_bytes: 0,
            has_blob_refs: false,
        };
        let entry = entry(change.doc, &cached, vec![bytes.to_vec()], vec![hash_bytes]);
        work.cached = Some(cached);
        work.new = true;
        work.dirty = true;
        work.refs_dirty |= touched.writes_sha256;
        in_request.insert(hash_bytes, index);
        return Ok(Outcome::Kept { entry, refused: None, approval });
    };

    // Only an usulan may be another instansi's here (`writable`); anything else is a programming error.
    let other_instansi = cached.scope != context.own_scope;
    if other_instansi && cached.record != RecordKind::Usulan {
        return Err(HubError::Forbidden(format!("dokumen di cakupan {} bukan milik instansi Anda", cached.scope)));
    }
    let before_heads = cached.doc.heads();
    // An usulan's state machine compares the usulan before and after the change.
    let usulan_before = (cached.record == RecordKind::Usulan).then(|| read_usulan(&cached.doc));
    // So does a visit's check (its petugas, its photos).
    let visit_before =
        (cached.record == RecordKind::VerifikasiLapangan).then(|| read_record::<VerifikasiLapangan>(&cached.doc));
    // A pegawai's map of follow-ups, once there, is never replaced (see below).
    let had_tindak_lanjut = cached.record == RecordKind::Pegawai
        && automerge::ReadDoc::get(cached.doc.automerge(), automerge::ROOT, TINDAK_LANJUT).ok().flatten().is_some();
    if cached.doc.apply_in_place(vec![decoded.clone()]).is_err() {
        // The working document may hold part of the change: build it again from the storage and the changes
        // this request kept before.
        *cached.doc = rebuild(context, &change.doc, work.new, &group.outcomes)?;
        return Ok(rejected_not_kept("invalid_change", "perubahan tidak dapat diterapkan"));
    }
    let touched = paths::touched(&cached.doc, decoded);
    if had_tindak_lanjut
        && touched
            .paths
            .iter()
            .any(|path| matches!(path.segments.as_slice(), [sync::PathSegment::Key(root)] if root == TINDAK_LANJUT))
    {
        // Replacing or deleting the map would hide every follow-up other officers write into it concurrently, and
        // no compensation can bring the old map back: the change is not kept at all.
        *cached.doc = rebuild(context, &change.doc, work.new, &group.outcomes)?;
        return Ok(rejected_not_kept(
            "kewenangan",
            "tindak_lanjut: daftar tindak lanjut pengingat tidak boleh diganti atau dihapus; ubah isinya per pengingat",
        ));
    }
    work.dirty = true;
    work.refs_dirty |= touched.writes_sha256 || (cached.has_blob_refs && touched.overwrites);
    let roles = &context.caller.roles;
    let nip = &context.caller.nip;
    let mut usulan_after = None;
    let verdict = match (&usulan_before, &visit_before) {
        (Some(sebelum), _) => {
            let sesudah = read_usulan(&cached.doc);
            let verdict = if other_instansi {
                authority::check_usulan_of_other_instansi(
                    nip,
                    roles,
                    as_read(sebelum),
                    as_read(&sesudah),
                    &touched.paths,
                )
            } else {
                authority::check_usulan(nip, roles, Some(as_read(sebelum)), as_read(&sesudah), &touched.paths)
            };
            usulan_after = Some(sesudah);
            verdict
        }
        (None, Some(sebelum)) => authority::check_verifikasi_lapangan(
            nip,
            roles,
            Some(as_read(sebelum)),
            as_read(&read_record::<VerifikasiLapangan>(&cached.doc)),
            &touched.paths,
        ),
        (None, None) if cached.record == RecordKind::Pegawai => {
            // The follow-ups are judged on what they read as after the change: hydrated only when written.
            let writes_tindak_lanjut = touched.paths.iter().any(
                |path| matches!(path.segments.first(), Some(sync::PathSegment::Key(root)) if root == TINDAK_LANJUT),
            );
            let sesudah = if writes_tindak_lanjut { cached.doc.hydrate().get(TINDAK_LANJUT).cloned() } else { None };
            authority::check_pegawai(nip, roles, sesudah.as_ref(), &touched.paths)
        }
        (None, None) => {
            let check = |paths: &[ChangedPath]| authority::check(roles, cached.record, paths);
            check(&touched.paths).map_err(|violation| authority::Refused {
                violation,
                paths: touched
                    .paths
                    .iter()
                    .filter(|path| check(std::slice::from_ref(*path)).is_err())
                    .cloned()
                    .collect(),
            })
        }
    };
    let mut changes = vec![bytes.to_vec()];
    let mut hashes = vec![hash_bytes];
    let refused = match verdict {
        Ok(()) => None,
        Err(authority::Refused { violation, paths: refused }) => {
            // The path names a field, a row id or an event id, never a value.
            tracing::info!(
                nip = %context.caller.nip,
                doc = %uuid::Uuid::from_bytes(change.doc),
                path = %violation.path,
                "perubahan ditolak karena kewenangan; dikompensasi"
            );
            let refused: Vec<&ChangedPath> = refused.iter().collect();
            let compensations = compensate(&mut cached.doc, &before_heads, &refused, &violation.reason, context.now)?;
            work.refs_dirty = true;
            for compensation in &compensations {
                if let Some(raw) = cached.doc.change_bytes(compensation) {
                    changes.push(raw);
                    hashes.push(compensation.0);
                }
            }
            // What the compensation left is what counts for an approval.
            usulan_after = usulan_after.map(|_| read_usulan(&cached.doc));
            Some(Refusal { reason: violation.reason, compensation: compensations.last().map(|hash| hash.0) })
        }
    };
    for hash in &hashes {
        in_request.insert(*hash, index);
    }
    let approval = match (&usulan_before, &usulan_after) {
        (Some(Ok(sebelum)), Some(Ok(sesudah))) => approval::approved(&doc_text(&change.doc), sebelum, sesudah),
        _ => None,
    };
    Ok(Outcome::Kept { entry: entry(change.doc, cached, changes, hashes), refused, approval })
}

/// Whether `caller` may push changes to the stored document `cached`: one of its own instansi (`own_scope`), or
/// an usulan of another instansi when one of its roles reads every instansi, to record BKN's decisions there
/// ([`authority::check_usulan_of_other_instansi`] judges the change). Pegawai and verifikasi lapangan documents of
/// another instansi are never writable; a new document is always created in the caller's own scope.
fn writable(caller: &Caller, own_scope: &str, cached: &CachedDocument) -> bool {
    cached.scope == own_scope || (cached.record == RecordKind::Usulan && caller.reads_every_scope())
}

/// A document id as UUID text (an usulan's `id`).
fn doc_text(doc: &DocId) -> String {
    uuid::Uuid::from_bytes(*doc).to_string()
}

/// Carries one BKN approval ([`approval::approved`]) into the pegawai documents of its NIPs in `scope` (the
/// usulan's): each document, taken from the request's working documents, the cache or the storage, gets one
/// change by the hub's actor writing the approved fields (message `usulan <id> disetujui BKN: <paths> diterapkan
/// hub`), appended to `commit` as its own feed entry with the document's new state. A NIP without a pegawai
/// document in `scope` (the hub finds pegawai by the NIP of their last import), a field none of whose values fits
/// the record, or a document the hub cannot write is logged (paths and ids, never values) and left: the approval
/// itself stays kept.
fn apply_approval(
    context: &Context<'_>,
    cache: &mut cache::DocumentCache,
    working: &mut HashMap<DocId, Working>,
    commit: &mut Commit,
    scope: &str,
    approval: &Approval,
) -> Result<(), HubError> {
    let nips: Vec<&str> = approval.nip.iter().map(String::as_str).collect();
    let found = context.storage.pegawai_by_nip(&nips)?;
    if found.iter().filter(|(_, _, at)| at == scope).count() < nips.len() {
        tracing::warn!(
            usulan = %approval.usulan,
            "usulan disetujui BKN: sebagian pegawainya tidak ada di cakupan usulan; perubahannya tidak diterapkan"
        );
    }
    for (_, doc, _) in found.into_iter().filter(|(_, _, at)| at == scope) {
        let work = match working.entry(doc) {
            Entry::Occupied(taken) => taken.into_mut(),
            Entry::Vacant(slot) => {
                let Some(cached) = cache.take(context.storage, &doc, context.hub_actor)? else { continue };
                slot.insert(Working { cached: Some(cached), new: false, dirty: false, refs_dirty: false })
            }
        };
        let Some(cached) = work.cached.as_mut().filter(|cached| cached.record == RecordKind::Pegawai) else {
            continue;
        };
        let Some((edited, written, unfit)) = approval.edit(&cached.doc.hydrate()) else {
            tracing::warn!(
                usulan = %approval.usulan,
                doc = %doc_text(&doc),
                "dokumen pegawai tanpa data_utama; persetujuan BKN tidak diterapkan"
            );
            continue;
        };
        if !unfit.is_empty() {
            tracing::warn!(
                usulan = %approval.usulan,
                doc = %doc_text(&doc),
                paths = %unfit.join(", "),
                "nilai usulan tidak sesuai bentuk data pegawai; field itu tidak diterapkan"
            );
        }
        if written.is_empty() {
            continue;
        }
        let hash = match cached.doc.reconcile(&edited, Some(&approval.message(&written)), context.now) {
            Ok(Some(hash)) => hash,
            Ok(None) => continue,
            Err(error) => {
                tracing::warn!(
                    usulan = %approval.usulan,
                    doc = %doc_text(&doc),
                    %error,
                    "persetujuan BKN tidak dapat ditulis ke dokumen pegawai"
                );
                continue;
            }
        };
        let raw = cached
            .doc
            .change_bytes(&hash)
            .ok_or_else(|| HubError::Storage("perubahan hub atas dokumen pegawai hilang".to_owned()))?;
        commit.log.push(entry(doc, cached, vec![raw], vec![hash.0]));
        work.dirty = true;
        commit.documents.retain(|write| write.doc != doc);
        commit.documents.push(document_write(doc, cached, work.new, work.refs_dirty));
    }
    Ok(())
}

/// A working document again after a failed apply: as stored (empty for a new one), with the changes of this
/// request's feed entries for it (`outcomes`, in order) applied again.
fn rebuild(context: &Context<'_>, doc: &DocId, new: bool, outcomes: &[(usize, Outcome)]) -> Result<Document, HubError> {
    let failed = |reason: String| {
        HubError::Storage(format!("dokumen {} tidak dapat dibentuk ulang: {reason}", uuid::Uuid::from_bytes(*doc)))
    };
    let mut rebuilt = if new {
        Document::new(context.hub_actor.clone())
    } else {
        *cache::load(context.storage, doc, context.hub_actor)?.ok_or_else(|| failed("tidak tersimpan".to_owned()))?.doc
    };
    let kept = outcomes.iter().filter_map(|(_, outcome)| match outcome {
        Outcome::Kept { entry, .. } if entry.doc == *doc => match &entry.body {
            LogBody::Changes(changes) => Some(changes),
            _ => None,
        },
        _ => None,
    });
    rebuilt.apply_changes(kept.flatten()).map_err(|error| failed(error.to_string()))?;
    Ok(rebuilt)
}

/// The usulan a document holds, or why it does not read as one (the serde error, which names the member).
fn read_usulan(doc: &Document) -> Result<Usulan, String> {
    read_record(doc)
}

/// The record of type `T` a document holds, or why it does not read as one (the serde error, which names the
/// member).
fn read_record<T: serde::de::DeserializeOwned>(doc: &Document) -> Result<T, String> {
    serde_json::from_value(doc.hydrate()).map_err(|error| error.to_string())
}

fn as_read<T>(read: &Result<T, String>) -> Result<&T, &str> {
    read.as_ref().map_err(String::as_str)
}

/// The request's actor must be a registered, active device of the caller.
fn check_device(hub: &Hub, caller: &Caller, actor: &[u8]) -> Result<(), HubError> {
    match hub.inner.storage.device(actor)? {
        Some(device) if device.nip == caller.nip && device.revoked_at_ms.is_none() => Ok(()),
        Some(device) if device.nip == caller.nip => Err(HubError::DeviceRevoked(
            "perangkat ini sudah dicabut oleh admin; perubahannya tidak diterima".to_owned(),
        )),
        Some(_) => Err(HubError::Forbidden("actor ini terdaftar untuk pengguna lain".to_owned())),
        None => Err(HubError::Forbidden("perangkat ini belum terdaftar di hub; daftarkan dulu".to_owned())),
    }
}

fn rejected_not_kept(code: &'static str, reason: &str) -> Outcome {
    Outcome::Done(PushOutcome::Rejected { code: code.to_owned(), reason: reason.to_owned(), compensation: None })
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

fn put_back(cache: &mut cache::DocumentCache, working: impl IntoIterator<Item = (DocId, Working)>) {
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
/// The root member of a pegawai document holding the reminders' follow-ups (`model::pengingat`).
const TINDAK_LANJUT: &str = "tindak_lanjut";

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
