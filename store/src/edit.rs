//! Local edits: an officer's change to a record, written as one automerge change by this replica's actor.
//!
//! [`edit_pegawai`] loads the pegawai's document (materialising a bulk-import seed), lets the caller change its JSON
//! form, reconciles that into the fewest ops, and in one transaction stores the change, queues it in the outbox and
//! re-derives the projections and conflicts. The sync engine pushes it later ([`crate::replication`]).
//!
//! It does not check who may change which field (the hub's authority rules do) nor validate the value beyond
//! "it still reads as a pegawai" (a value that does not is refused and nothing is written).

use serde_json::Value;
use sync::ChangeHash;

use crate::document;
use crate::projection;
use crate::{Error, Replica, Result};

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
    edit_at(replica, found.document_rowid, now_ms, message, change)
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
    edit_at(replica, rowid, now_ms, message, change)
}

fn edit_at(
    replica: &Replica,
    rowid: i64,
    now_ms: i64,
    message: &str,
    change: impl FnOnce(&mut Value),
) -> Result<Option<ChangeHash>> {
    replica.write(|tx| {
        let (stored, mut doc) = document::load(tx, rowid)?;
        // A loaded document has a random actor; the hub accepts only the device's registered one.
        doc.set_actor(replica.actor().clone());
        let mut value = doc.hydrate();
        change(&mut value);
        let before = doc.heads();
        let Some(hash) =
            doc.reconcile(&value, Some(message), now_ms).map_err(|error| Error::Shape(error.to_string()))?
        else {
            return Ok(None);
        };
        document::append(tx, rowid, &doc, &before, now_ms)?;
        projection::project(tx, rowid, stored.kind, &doc)?;
        Ok(Some(hash))
    })
}
