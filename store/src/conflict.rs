//! Same-field conflicts across the replica: the `field_conflict` projection (automerge `get_all` > 1 on one key,
//! DESIGN §3.2) listed for a verifikator, with the pegawai each document is about.
//!
//! It only reads. The decision is written by [`crate::edit::resolve_conflict`]; who may decide is the caller's
//! and the hub's concern.

use rusqlite::Connection;
use sync::{ConflictValue, FieldConflict};
use uuid::Uuid;

use crate::document::{self, Kind};
use crate::{Error, Result};

/// One conflicting field of one document, as the `field_conflict` projection holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    /// The document's rowid in this replica.
    pub rowid: i64,
    /// The document's id.
    pub document_id: Uuid,
    /// The document's kind.
    pub kind: Kind,
    /// The pegawai's NIP (for an usulan, its first pegawai); `None` when the document names none.
    pub nip: Option<String>,
    /// The pegawai's name with gelar (for an usulan, the first pegawai's name).
    pub nama: Option<String>,
    /// The field, as [`sync::FieldConflict::path`] displays it (`data_utama.nama`, `riwayat_jabatan[<row>].tmt`).
    pub path: String,
    /// The competing values, the one the document shows first; each with its actor (hex), change, commit time
    /// (milliseconds since the Unix epoch, by its author's clock) and message.
    pub values: Vec<ConflictValue>,
}

/// Every conflict in the replica (quarantined documents excluded), by pegawai name, NIP, document and path.
///
/// # Errors
/// [`Error::Shape`] when a stored `values_json` does not read as conflict values; SQLite errors.
pub fn list(conn: &Connection) -> Result<Vec<ConflictRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.document_rowid, d.id, d.kind, coalesce(p.nip, u.nip), coalesce(p.nama_lengkap, u.nama), c.path, \
                c.values_json \
         FROM field_conflict c JOIN document d ON d.rowid = c.document_rowid \
         LEFT JOIN pegawai p ON p.document_rowid = c.document_rowid \
         LEFT JOIN usulan u ON u.document_rowid = c.document_rowid \
         WHERE d.quarantined IS NULL \
         ORDER BY coalesce(p.nama, u.nama), coalesce(p.nip, u.nip), c.document_rowid, c.path",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Vec<u8>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, String>(6)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (rowid, id, kind, nip, nama, path, values) = row?;
        let values: Vec<ConflictValue> = serde_json::from_str(&values)
            .map_err(|error| Error::Shape(format!("konflik {path} dokumen {rowid}: {error}")))?;
        found.push(ConflictRow {
            rowid,
            document_id: Uuid::from_slice(&id).unwrap_or_default(),
            kind: Kind::parse(&kind).unwrap_or(Kind::Pegawai),
            nip,
            nama,
            path,
            values,
        });
    }
    Ok(found)
}

/// The conflict at display `path` of the pegawai document at `rowid` as the document holds it now (with the
/// path's [`sync::PathSegment`]s for [`crate::edit::resolve_conflict`]), or `None` when that field is not in
/// conflict. Only pegawai documents: an usulan's conflicts are decided through its workflow.
///
/// # Errors
/// [`Error::NotFound`] when there is no such document, it is quarantined or it is not a pegawai;
/// [`Error::CorruptDocument`] when it does not load; SQLite errors.
pub fn find(conn: &Connection, rowid: i64, path: &str) -> Result<Option<FieldConflict>> {
    let (stored, doc) = document::load(conn, rowid)?;
    if stored.kind != Kind::Pegawai {
        return Err(Error::NotFound(format!("dokumen pegawai {rowid}")));
    }
    Ok(doc.conflicts().into_iter().find(|conflict| conflict.path == path))
}
