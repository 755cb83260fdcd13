//! [`import_pegawai`]: pegawai records (from SI-ASN, an export or the generator) into an instansi's scope, written
//! by the hub's own actor.
//!
//! A pegawai document holds the serde JSON of `model::Pegawai` with empty riwayat lists left out (absent and empty
//! are the same), as the desktop's import writes it. Records are matched to documents by NIP
//! (`data_utama.nip`): a new NIP becomes a new document (UUIDv7) announced by a `snapshot` feed entry; a known
//! NIP is reconciled into its document, which writes only the fields that differ, as one `changes` feed entry; an
//! equal record writes nothing, and what the source does not carry (riwayat in a CSV export, an empty cell) keeps
//! its value (`sync::overlay`). A riwayat list the source does carry replaces the stored one, except the rows made
//! on a device or at the hub that SI-ASN does not have yet (`lokal-…` ids), which stay. Batches of [`BATCH`]
//! records commit one transaction each, so an interrupted import keeps whole batches. It does not move a pegawai
//! between instansi: a NIP whose document is in another scope is skipped (mutasi comes with its own issue), and so
//! is an empty NIP. It logs no record content.
//! [`Hub::import_pegawai_each`] also tells the caller what happened to each record once its batch committed (the
//! SI-ASN pull marks a NIP done only then).

use std::collections::HashMap;

use serde_json::Value;
use sync::Document;
use sync::wire::{DocId, RecordKind};

use super::cache::{CachedDocument, head_bytes};
use super::push::mark_stored;
use super::{Hub, HubError, ImportReport, SCOPE_PREFIX, lock, now_ms, valid_instansi};
use crate::storage::{Commit, DocumentWrite, LogAppend, LogBody, StateWrite};

/// Records per transaction.
pub(super) const BATCH: usize = 500;

/// The commit message of an import change.
const MESSAGE: &str = "impor data pegawai";

/// The JSON a pegawai document holds: the record with its empty riwayat lists left out.
pub(super) fn document_value(pegawai: &model::Pegawai) -> Result<Value, HubError> {
    let mut value = serde_json::to_value(pegawai)
        .map_err(|error| HubError::BadRequest(format!("data pegawai tidak dapat diubah ke JSON: {error}")))?;
    if let Value::Object(map) = &mut value {
        map.retain(|_, member| !matches!(member, Value::Array(items) if items.is_empty()));
    }
    Ok(value)
}

/// What an import did with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportOutcome {
    /// A new document.
    Inserted,
    /// Its document changed (one hub change with the fields that differ).
    Updated,
    /// Its document already held the same data; nothing written.
    Unchanged,
    /// Not imported: an empty NIP, or a NIP whose document is in another instansi's scope.
    Skipped,
}

impl Hub {
    /// [`Hub::import_pegawai`] that also calls `each(index, outcome)` for every record (`index` counts the
    /// records of `pegawai` from 0) right after the batch holding it committed, in order.
    ///
    /// # Errors
    /// As [`Hub::import_pegawai`]; records of batches that committed before the error were already reported.
    pub fn import_pegawai_each(
        &self,
        instansi: &str,
        pegawai: impl IntoIterator<Item = model::Pegawai>,
        each: &mut dyn FnMut(usize, ImportOutcome),
    ) -> Result<ImportReport, HubError> {
        let mut index = 0;
        let mut on_batch = |outcomes: &[ImportOutcome]| {
            for outcome in outcomes {
                each(index, *outcome);
                index += 1;
            }
        };
        import_reporting(self, instansi, &mut pegawai.into_iter(), &mut |_| {}, &mut on_batch)
    }
}

pub(super) fn import_pegawai(
    hub: &Hub,
    instansi: &str,
    pegawai: &mut dyn Iterator<Item = model::Pegawai>,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport, HubError> {
    import_reporting(hub, instansi, pegawai, progress, &mut |_| {})
}

/// The import, with `progress` (records done) and `on_batch` (the outcomes of each committed batch).
fn import_reporting(
    hub: &Hub,
    instansi: &str,
    pegawai: &mut dyn Iterator<Item = model::Pegawai>,
    progress: &mut dyn FnMut(usize),
    on_batch: &mut dyn FnMut(&[ImportOutcome]),
) -> Result<ImportReport, HubError> {
    if !valid_instansi(instansi) {
        return Err(HubError::BadRequest(format!("id instansi {instansi:?} tidak valid")));
    }
    let scope = format!("{SCOPE_PREFIX}{instansi}");
    let mut report = ImportReport::default();
    let mut done = 0;
    loop {
        let batch: Vec<model::Pegawai> = (&mut *pegawai).take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        done += batch.len();
        let outcomes = import_batch(hub, &scope, batch, &mut report)?;
        on_batch(&outcomes);
        progress(done);
    }
    Ok(report)
}

/// A document an import batch works on.
#[derive(Debug)]
struct Imported {
    cached: CachedDocument,
    /// Written by this batch.
    dirty: bool,
    nip: String,
    /// The blobs the record references (its JSON is the document's content).
    refs: Vec<sync::wire::HashBytes>,
}

/// Imports one batch in one transaction; the outcome of each record, in order.
fn import_batch(
    hub: &Hub,
    scope: &str,
    batch: Vec<model::Pegawai>,
    report: &mut ImportReport,
) -> Result<Vec<ImportOutcome>, HubError> {
    let inner = &hub.inner;
    let mut cache = lock(&inner.writer);
    let nips: Vec<&str> = batch.iter().map(|pegawai| pegawai.data_utama.nip.as_str()).collect();
    let mut known: HashMap<String, (DocId, String)> =
        inner.storage.pegawai_by_nip(&nips)?.into_iter().map(|(nip, doc, scope)| (nip, (doc, scope))).collect();
    let now = now_ms();
    let mut working: HashMap<DocId, Imported> = HashMap::new();
    let mut log = Vec::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    for pegawai in &batch {
        let nip = pegawai.data_utama.nip.as_str();
        if nip.is_empty() {
            report.skipped += 1;
            outcomes.push(ImportOutcome::Skipped);
            continue;
        }
        let value = document_value(pegawai)?;
        match known.get(nip) {
            Some((_, other)) if other != scope => {
                report.skipped += 1;
                outcomes.push(ImportOutcome::Skipped);
            }
            Some((doc, _)) => {
                let doc = *doc;
                let (mut cached, was_dirty) = match working.remove(&doc) {
                    Some(imported) => (imported.cached, imported.dirty),
                    None => {
                        let cached = cache.take(inner.storage.as_ref(), &doc, &inner.hub_actor)?.ok_or_else(|| {
                            HubError::Storage("dokumen pegawai yang tercatat tidak ditemukan".to_owned())
                        })?;
                        (cached, false)
                    }
                };
                // A partial source (a CSV has no riwayat) adds and updates, never deletes (`sync::overlay`); a riwayat
                // list SI-ASN sends replaces the list, except the rows made here that SI-ASN does not have yet.
                let existing = cached.doc.hydrate();
                let mut merged = sync::overlay(&existing, &value);
                keep_local_rows(&existing, &mut merged);
                let written = cached
                    .doc
                    .reconcile(&merged, Some(MESSAGE), now)
                    .map_err(|error| HubError::BadRequest(format!("data pegawai tidak dapat ditulis: {error}")))?;
                let changed = match written.and_then(|hash| Some((hash, cached.doc.change_bytes(&hash)?))) {
                    Some((hash, raw)) => {
                        report.updated += 1;
                        outcomes.push(ImportOutcome::Updated);
                        log.push(LogAppend {
                            scope: scope.to_owned(),
                            doc,
                            record: RecordKind::Pegawai,
                            body: LogBody::Changes(vec![raw]),
                            heads_after: head_bytes(&cached.doc.heads()),
                            change_hashes: vec![hash.0],
                        });
                        true
                    }
                    None => {
                        report.unchanged += 1;
                        outcomes.push(ImportOutcome::Unchanged);
                        false
                    }
                };
                let refs = super::paths::blob_refs(&value);
                working.insert(doc, Imported { cached, dirty: changed || was_dirty, nip: nip.to_owned(), refs });
            }
            None => {
                let doc = *uuid::Uuid::now_v7().as_bytes();
                let mut created = Document::new(inner.hub_actor.clone());
                created
                    .reconcile(&value, Some(MESSAGE), now)
                    .map_err(|error| HubError::BadRequest(format!("data pegawai tidak dapat ditulis: {error}")))?;
                report.inserted += 1;
                outcomes.push(ImportOutcome::Inserted);
                let heads = created.heads();
                log.push(LogAppend {
                    scope: scope.to_owned(),
                    doc,
                    record: RecordKind::Pegawai,
                    body: LogBody::Snapshot(created.save_uncompressed()),
                    heads_after: head_bytes(&heads),
                    change_hashes: head_bytes(&heads),
                });
                known.insert(nip.to_owned(), (doc, scope.to_owned()));
                let cached = CachedDocument {
                    doc: Box::new(created),
                    scope: scope.to_owned(),
                    record: RecordKind::Pegawai,
                    stored_heads: Vec::new(),
                    chunk_count: 0,
                    chunk_bytes: 0,
                    has_blob_refs: false,
                };
                let refs = super::paths::blob_refs(&value);
                working.insert(doc, Imported { cached, dirty: true, nip: nip.to_owned(), refs });
            }
        }
    }
    let mut commit = Commit { documents: Vec::new(), log };
    for (doc, imported) in &working {
        if !imported.dirty {
            continue;
        }
        let cached = &imported.cached;
        // Imports rewrite many fields: a whole save keeps later loads fast.
        commit.documents.push(DocumentWrite {
            doc: *doc,
            scope: scope.to_owned(),
            record: RecordKind::Pegawai,
            nip: Some(imported.nip.clone()),
            state: StateWrite::Save(cached.doc.save_uncompressed()),
            heads: head_bytes(&cached.doc.heads()),
            blob_refs: Some(imported.refs.clone()),
        });
    }
    if commit.log.is_empty() {
        for (doc, imported) in working {
            cache.put(doc, imported.cached);
        }
        return Ok(outcomes);
    }
    let seqs = inner.storage.commit(&commit)?;
    for write in &commit.documents {
        if let Some(imported) = working.get_mut(&write.doc) {
            mark_stored(&mut imported.cached, &write.state);
            imported.cached.has_blob_refs = !imported.refs.is_empty();
        }
    }
    for (doc, imported) in working {
        cache.put(doc, imported.cached);
    }
    drop(cache);
    if let Some(&last) = seqs.last() {
        inner.changed.send_replace(last);
    }
    Ok(outcomes)
}

/// Puts back into `merged` the riwayat rows of `existing` made on a device or at the hub (id starting with
/// [`model::pegawai::riwayat::ID_LOKAL`], or empty) that an imported riwayat list lacks: an approved row waiting for
/// `siasn push` must survive a pull that ran first (once pushed, the pull brings it back under its local id,
/// `siasn::push::ganti_id_terkirim`). Rows SI-ASN knows follow SI-ASN's list.
fn keep_local_rows(existing: &Value, merged: &mut Value) {
    let (Value::Object(existing), Value::Object(merged)) = (existing, merged) else { return };
    for (key, rows) in existing {
        let (true, Value::Array(rows)) = (key.starts_with("riwayat_"), rows) else { continue };
        let Some(Value::Array(target)) = merged.get_mut(key) else { continue };
        let mut kept = Vec::new();
        for row in rows {
            let Some(id) = row.get("id").and_then(Value::as_str) else { continue };
            // A row with an empty id was made on a device before local ids existed: SI-ASN never sends one.
            let local = id.is_empty() || id.starts_with(model::pegawai::riwayat::ID_LOKAL);
            let present = if id.is_empty() {
                target.contains(row)
            } else {
                target.iter().any(|other| other.get("id").and_then(Value::as_str) == Some(id))
            };
            if local && !present {
                kept.push(row.clone());
            }
        }
        target.extend(kept);
    }
}
