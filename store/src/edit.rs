//! Local edits: an officer's new record or change to a record, written as one automerge change by this replica's
//! actor.
//!
//! [`create_document`] writes a new document (an usulan, a verifikasi lapangan, a pegawai) from its JSON form;
//! [`edit_document`] changes any document by id, and [`edit_pegawai`] the pegawai with a NIP (materialising a
//! bulk-import seed). An edit lets the caller change the record's JSON form and reconciles that into the fewest ops.
//! Either way one transaction stores the change, queues it in the outbox and re-derives the projections and
//! conflicts; the sync engine pushes it later ([`crate::replication`]; the first change of a new document creates
//! it at the hub).
//!
//! It does not check who may change which field or make which transition (the hub's authority rules and
//! `model::usulan::alur` do) nor validate the value beyond "it reads as a record of its kind" (a value that does
//! not is refused and nothing is written).

use model::Pegawai;
use model::usulan::Usulan;
use model::verifikasi::VerifikasiLapangan;
use rusqlite::{OptionalExtension, Transaction};
use serde::Deserialize;
use serde_json::Value;
use sync::{ChangeHash, Document, PathSegment};
use uuid::Uuid;

use crate::document::{self, Kind};
use crate::projection;
use crate::{Error, Replica, Result};

/// Creates document `id` of `kind` from `value`, the record's JSON form (for an usulan, a [`Usulan`] whose `id` is
/// `id` as text), as one change with `message` at `now_ms` (milliseconds since the Unix epoch) by the replica's
/// actor. In one transaction the document is stored, its change queued in the outbox and its projections derived.
/// Returns the change's hash.
///
/// The document's scope (`document.scope`, the feed scope a repair of it asks) is that of the pegawai it names
/// (an usulan's pegawai, a visit's pegawai) when the replica holds one of them, else the scope the replica syncs
/// when it syncs exactly one (its feed cursor), else that of its oldest pegawai document with a scope, else none.
/// The hub puts a new document in the scope of the caller's own instansi whatever this says.
///
/// # Errors
/// [`Error::Shape`] when `value` is not an object, does not read as the kind's record ([`Pegawai`], [`Usulan`],
/// [`VerifikasiLapangan`]) or names another id (nothing is written); SQLite errors, including a constraint
/// violation when a document with `id` exists.
pub fn create_document(
    replica: &Replica,
    kind: Kind,
    id: Uuid,
    value: &Value,
    now_ms: i64,
    message: &str,
) -> Result<ChangeHash> {
    create_document_with_blobs(replica, kind, id, value, now_ms, message, &[])
}

/// A file a document references, as (content, MIME type): stored content-addressed
/// ([`crate::sync_state::put_blob`], queued for upload) in the same transaction as the document's change, so a
/// change that fails leaves no blob behind and a stored change never lacks its blob.
pub type BlobBaru<'a> = (&'a [u8], &'a str);

/// [`create_document`] with `blobs` stored in the same transaction (see [`BlobBaru`]).
///
/// # Errors
/// As [`create_document`]; nothing is written, blobs included, on any error.
pub fn create_document_with_blobs(
    replica: &Replica,
    kind: Kind,
    id: Uuid,
    value: &Value,
    now_ms: i64,
    message: &str,
    blobs: &[BlobBaru<'_>],
) -> Result<ChangeHash> {
    let record = Record::read(kind, value)?;
    if let Some(named) = record.id()
        && named != id.to_string()
    {
        return Err(Error::Shape(format!("dokumen {} baru bernilai id {named:?}, bukan {id}", kind.as_str())));
    }
    let mut doc = Document::new(replica.actor().clone());
    let hash = doc
        .reconcile(value, Some(message), now_ms)
        .map_err(|error| Error::Shape(error.to_string()))?
        .ok_or_else(|| Error::Shape(format!("dokumen {} baru kosong", kind.as_str())))?;
    replica.write(|tx| {
        for (content, mime) in blobs {
            crate::sync_state::put_blob(tx, content, mime)?;
        }
        let scope = new_document_scope(tx, &record.nips())?;
        let rowid = document::insert(tx, id, kind, scope.as_deref(), &doc, now_ms)?;
        projection::project(tx, rowid, kind, &doc)?;
        Ok(hash)
    })
}

/// Changes document `id`, of any kind: `change` edits the record's JSON form, and what differs is committed as one
/// change with `message` at `now_ms` (milliseconds since the Unix epoch), by the replica's actor. Returns the
/// change's hash, or `None` when `change` left the record as it was (nothing is written).
///
/// # Errors
/// [`Error::NotFound`] when the replica holds no document `id` or it is quarantined; [`Error::Shape`] when the
/// edited value is not an object or no longer reads as a record of its kind (nothing is written);
/// [`Error::CorruptDocument`] when the stored document does not load; SQLite errors.
pub fn edit_document(
    replica: &Replica,
    id: Uuid,
    now_ms: i64,
    message: &str,
    change: impl FnOnce(&mut Value),
) -> Result<Option<ChangeHash>> {
    edit_document_with_blobs(replica, id, now_ms, message, &[], change)
}

/// [`edit_document`] with `blobs` stored in the same transaction as the change (see [`BlobBaru`]); when `change`
/// leaves the record as it was, nothing is written, blobs included.
///
/// # Errors
/// As [`edit_document`]; nothing is written, blobs included, on any error.
pub fn edit_document_with_blobs(
    replica: &Replica,
    id: Uuid,
    now_ms: i64,
    message: &str,
    blobs: &[BlobBaru<'_>],
    change: impl FnOnce(&mut Value),
) -> Result<Option<ChangeHash>> {
    let found: Option<(i64, bool)> = replica
        .reader()?
        .prepare_cached("SELECT rowid, quarantined IS NOT NULL FROM document WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match found {
        None => Err(Error::NotFound(format!("dokumen {id}"))),
        Some((_, true)) => Err(Error::NotFound(format!(
            "dokumen {id}: dokumennya dikarantina; perbaiki dari hub (sinkronkan) sebelum mengubahnya"
        ))),
        Some((rowid, false)) => edit_at(replica, rowid, now_ms, message, blobs, change),
    }
}

/// Changes the pegawai with `nip` (the oldest document with that NIP): `change` edits the record's JSON form
/// (`{"data_utama": {...}, "riwayat_jabatan": [...], ...}`), and what differs is committed as one change with
/// `message` at `now_ms` (milliseconds since the Unix epoch), by the replica's actor. Returns the change's hash, or
/// `None` when `change` left the record as it was (nothing is written).
///
/// # Errors
/// [`Error::NotFound`] when no pegawai has that NIP or its document is quarantined; [`Error::Shape`] when the edited
/// value is not an object or no longer reads as a pegawai (nothing is written); [`Error::CorruptDocument`] when the
/// stored document does not load; SQLite errors.
pub fn edit_pegawai(
    replica: &Replica,
    nip: &str,
    now_ms: i64,
    message: &str,
    change: impl FnOnce(&mut Value),
) -> Result<Option<ChangeHash>> {
    let found = projection::find_pegawai(&*replica.reader()?, nip, None)?
        .ok_or_else(|| Error::NotFound(format!("pegawai dengan NIP {nip}")))?;
    if found.quarantined {
        return Err(Error::NotFound(format!(
            "pegawai dengan NIP {nip}: dokumennya dikarantina; perbaiki dari hub (sinkronkan) sebelum mengubahnya"
        )));
    }
    edit_at(replica, found.document_rowid, now_ms, message, &[], change)
}

/// As [`edit_pegawai`], for the pegawai document at `rowid` when given (its NIP must be `nip`), else the oldest
/// document with `nip`. Two documents may share a NIP (a correction at the source); a list row names its own.
///
/// # Errors
/// As [`edit_pegawai`]; [`Error::NotFound`] also when the document at `rowid` is not a pegawai with `nip`.
pub fn edit_pegawai_document(
    replica: &Replica,
    nip: &str,
    rowid: Option<i64>,
    now_ms: i64,
    message: &str,
    change: impl FnOnce(&mut Value),
) -> Result<Option<ChangeHash>> {
    let Some(rowid) = rowid else { return edit_pegawai(replica, nip, now_ms, message, change) };
    let rowid = crate::query::pegawai_rowid(&*replica.reader()?, nip, Some(rowid))?;
    edit_at(replica, rowid, now_ms, message, &[], change)
}

/// Writes `value` at `path` of the document at `rowid` (any kind) as one change with `message` at `now_ms`
/// (milliseconds since the Unix epoch) by the replica's actor, superseding every concurrent value there: the
/// verifikator's decision on a same-field conflict (DESIGN §3.2), which clears the conflict on every replica once
/// merged. A `null` value deletes the key. Written even when `value` equals the value shown. In one transaction
/// the change is stored, queued in the outbox and the projections (conflicts included) re-derived. Returns the
/// change's hash (`None` is not returned today: a resolve always writes; the `Option` matches [`edit_document`]).
///
/// `path` is a [`sync::FieldConflict::segments`] as [`crate::conflict::find`] returns it.
///
/// It does not check that `path` is in conflict nor who may decide (the caller and the hub's authority rules do).
///
/// # Errors
/// [`Error::NotFound`] when the replica holds no such document (or it is quarantined) or `path` does not lead to
/// a value in it; [`Error::Shape`] when the document with `value` there no longer reads as a record of its kind
/// (nothing is written); [`Error::CorruptDocument`] when the stored document does not load; SQLite errors.
pub fn resolve_conflict(
    replica: &Replica,
    rowid: i64,
    path: &[PathSegment],
    value: &Value,
    now_ms: i64,
    message: &str,
) -> Result<Option<ChangeHash>> {
    write_at(replica, rowid, now_ms, &[], |kind, doc| {
        let hash = doc.resolve(path, value, Some(message), now_ms).map_err(|error| match error {
            sync::DocumentError::PathNotFound { path } => Error::NotFound(format!("field {path} di dokumen {rowid}")),
            other => Error::Shape(other.to_string()),
        })?;
        Record::read(kind, &doc.hydrate())?;
        Ok(Some(hash))
    })
}

/// The one write path of every edit: loads the document at `rowid`, lets `change` edit its JSON form, refuses a
/// value that no longer reads as a record of the document's kind, and stores the change through [`write_at`].
fn edit_at(
    replica: &Replica,
    rowid: i64,
    now_ms: i64,
    message: &str,
    blobs: &[BlobBaru<'_>],
    change: impl FnOnce(&mut Value),
) -> Result<Option<ChangeHash>> {
    write_at(replica, rowid, now_ms, blobs, |kind, doc| {
        let mut value = doc.hydrate();
        change(&mut value);
        Record::read(kind, &value)?;
        doc.reconcile(&value, Some(message), now_ms).map_err(|error| Error::Shape(error.to_string()))
    })
}

/// Loads the document at `rowid` with the replica's actor, lets `write` commit at most one change to it (given the
/// document's kind), and stores that change, its outbox row, the projections and `blobs` in one transaction.
/// Nothing is written when `write` returns `None` or an error.
fn write_at(
    replica: &Replica,
    rowid: i64,
    now_ms: i64,
    blobs: &[BlobBaru<'_>],
    write: impl FnOnce(Kind, &mut Document) -> Result<Option<ChangeHash>>,
) -> Result<Option<ChangeHash>> {
    replica.write(|tx| {
        let (stored, mut doc) = document::load(tx, rowid)?;
        // A loaded document has a random actor; the hub accepts only the device's registered one.
        doc.set_actor(replica.actor().clone());
        let before = doc.heads();
        let Some(hash) = write(stored.kind, &mut doc)? else {
            return Ok(None);
        };
        for (content, mime) in blobs {
            crate::sync_state::put_blob(tx, content, mime)?;
        }
        document::append(tx, rowid, &doc, &before, now_ms)?;
        projection::project(tx, rowid, stored.kind, &doc)?;
        Ok(Some(hash))
    })
}

/// A record read from its JSON form, as the model type of its kind.
enum Record {
    Pegawai(Box<Pegawai>),
    Usulan(Box<Usulan>),
    VerifikasiLapangan(Box<VerifikasiLapangan>),
}

impl Record {
    /// Reads `value` as a record of `kind`.
    ///
    /// # Errors
    /// [`Error::Shape`] naming the kind and what serde said.
    fn read(kind: Kind, value: &Value) -> Result<Record> {
        let shape =
            |error: serde_json::Error| Error::Shape(format!("bukan dokumen {} yang sah: {error}", kind.as_str()));
        Ok(match kind {
            Kind::Pegawai => Record::Pegawai(Box::new(Pegawai::deserialize(value).map_err(shape)?)),
            Kind::Usulan => Record::Usulan(Box::new(Usulan::deserialize(value).map_err(shape)?)),
            Kind::VerifikasiLapangan => {
                Record::VerifikasiLapangan(Box::new(VerifikasiLapangan::deserialize(value).map_err(shape)?))
            }
        })
    }

    /// The document id the record holds (usulan and verifikasi lapangan do; a pegawai does not).
    fn id(&self) -> Option<&str> {
        match self {
            Record::Pegawai(_) => None,
            Record::Usulan(usulan) => Some(&usulan.id),
            Record::VerifikasiLapangan(visit) => Some(&visit.id),
        }
    }

    /// The NIPs of the pegawai the record is about, in record order.
    fn nips(&self) -> Vec<String> {
        match self {
            Record::Pegawai(pegawai) => vec![pegawai.data_utama.nip.to_string()],
            Record::Usulan(usulan) => usulan.pegawai.iter().map(|pegawai| pegawai.nip.to_string()).collect(),
            Record::VerifikasiLapangan(visit) => vec![visit.nip.to_string()],
        }
    }
}

/// The scope of a new local document about the pegawai `nips` (see [`create_document`]).
///
/// # Errors
/// SQLite errors.
fn new_document_scope(tx: &Transaction<'_>, nips: &[String]) -> Result<Option<String>> {
    let mut of_pegawai = tx.prepare_cached(
        "SELECT d.scope FROM pegawai p JOIN document d ON d.rowid = p.document_rowid \
         WHERE p.nip = ?1 AND d.scope IS NOT NULL ORDER BY p.document_rowid LIMIT 1",
    )?;
    for nip in nips {
        if let Some(scope) = of_pegawai.query_row([nip], |row| row.get::<_, String>(0)).optional()? {
            return Ok(Some(scope));
        }
    }
    let cursors: Vec<String> = tx
        .prepare_cached("SELECT scope FROM feed_cursor LIMIT 2")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    if let Ok([scope]) = <[String; 1]>::try_from(cursors) {
        return Ok(Some(scope));
    }
    Ok(tx
        .prepare_cached(
            "SELECT scope FROM document WHERE kind = 'pegawai' AND scope IS NOT NULL ORDER BY rowid LIMIT 1",
        )?
        .query_row([], |row| row.get(0))
        .optional()?)
}
