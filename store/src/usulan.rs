//! The queries behind the Usulan screen: the list of usulan (filtered, newest first, keyset pages), its counts per
//! status, and one usulan's document.
//!
//! The list reads the `usulan` projection (migration 0007, [`crate::projection::UsulanRow`]): the status is the
//! workflow's fold of the event log (`model::usulan::alur::keadaan`), computed when the document was written, and
//! a NIP finds every usulan that names it, kolektif ones included (`usulan_pegawai`). Pages use keyset pagination
//! on (latest event time, row id), never OFFSET.
//!
//! It deliberately does not write: usulan are created and changed through [`crate::edit`], and their transitions
//! are decided by `model::usulan::alur`.

use model::usulan::Usulan;
use model::usulan::alur::StatusUsulan;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::document::{self, Kind};
use crate::projection::{USULAN_COLUMNS, UsulanRow};
use crate::{Error, Result};

/// Filters of the usulan list; every set field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterUsulan {
    /// Only this jenis usulan (snake_case as in the document: `kenaikan_pangkat`, `peremajaan_data`, …).
    pub jenis: Option<String>,
    /// Only this status code (`model::usulan::alur::StatusUsulan::kode`: `draft`, `diajukan`, …, `konflik`,
    /// `campuran`). [`jumlah_per_status`] ignores it.
    pub status: Option<String>,
    /// Only usulan that name this NIP (exactly), as their only pegawai or as one of a kolektif usulan.
    pub nip: Option<String>,
    /// Only usulan created (earliest event) at or after this time, unix milliseconds.
    pub dari_ms: Option<i64>,
    /// Only usulan created (earliest event) before this time, unix milliseconds (exclusive: a day is
    /// `[midnight, next midnight)`).
    pub sampai_ms: Option<i64>,
    /// Start after this row (the [`KursorUsulan`] of the last row of the previous page); `None`: the first page.
    /// [`jumlah_per_status`] ignores it.
    pub setelah: Option<KursorUsulan>,
    /// At most this many rows. [`jumlah_per_status`] ignores it.
    pub limit: usize,
}

/// Where the next page of the list starts: after this (latest event time, row id), in descending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KursorUsulan {
    /// [`UsulanBaris::updated_at`] of the last row shown.
    pub updated_at: i64,
    /// [`UsulanBaris::rowid`] of the last row shown.
    pub rowid: i64,
}

/// One usulan as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsulanBaris {
    /// Internal row id (stable for the life of the replica; the tie-break of keyset pagination).
    pub rowid: i64,
    /// The document id, UUID text (what [`lihat`] and [`crate::edit::edit_document`] take).
    pub id: String,
    /// The projected columns (jenis, status, konflik, BTS counter, first pegawai, times), flattened in JSON.
    #[serde(flatten)]
    pub usulan: UsulanRow,
}

impl UsulanBaris {
    /// The cursor of the page after this row.
    pub fn kursor(&self) -> KursorUsulan {
        KursorUsulan { updated_at: self.usulan.updated_at, rowid: self.rowid }
    }

    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UsulanBaris> {
        let id: Vec<u8> = row.get(1)?;
        Ok(UsulanBaris {
            rowid: row.get(0)?,
            id: Uuid::from_slice(&id).map_or_else(|_| String::new(), |id| id.to_string()),
            usulan: UsulanRow::read(row, 2)?,
        })
    }
}

/// A WHERE clause and its parameters, built from a filter.
#[derive(Debug, Default)]
struct Where {
    clauses: Vec<String>,
    params: Vec<SqlValue>,
}

impl Where {
    /// Binds `value` and returns its placeholder.
    fn bind(&mut self, value: SqlValue) -> String {
        self.params.push(value);
        format!("?{}", self.params.len())
    }

    /// The clauses of `filter`, without its status when `with_status` is false, and without its cursor.
    fn of(filter: &FilterUsulan, with_status: bool) -> Where {
        let mut at = Where::default();
        let text = |value: &String| SqlValue::Text(value.clone());
        if let Some(jenis) = &filter.jenis {
            let mark = at.bind(text(jenis));
            at.clauses.push(format!("u.jenis = {mark}"));
        }
        if let Some(status) = filter.status.as_ref().filter(|_| with_status) {
            let mark = at.bind(text(status));
            at.clauses.push(format!("u.status = {mark}"));
        }
        if let Some(nip) = &filter.nip {
            let mark = at.bind(text(nip));
            at.clauses
                .push(format!("u.document_rowid IN (SELECT usulan_rowid FROM usulan_pegawai WHERE nip = {mark})"));
        }
        if let Some(dari) = filter.dari_ms {
            let mark = at.bind(SqlValue::Integer(dari));
            at.clauses.push(format!("u.dibuat_at >= {mark}"));
        }
        if let Some(sampai) = filter.sampai_ms {
            let mark = at.bind(SqlValue::Integer(sampai));
            at.clauses.push(format!("u.dibuat_at < {mark}"));
        }
        at
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

/// One page of the usulan list under `filter`: newest first by the latest event's time (then by row id), starting
/// after `filter.setelah`, at most `filter.limit` rows. The next page starts after the last row's
/// [`UsulanBaris::kursor`]; a page shorter than the limit is the last.
///
/// # Errors
/// SQLite errors.
pub fn daftar(conn: &Connection, filter: &FilterUsulan) -> Result<Vec<UsulanBaris>> {
    if filter.limit == 0 {
        return Ok(Vec::new());
    }
    let mut at = Where::of(filter, true);
    if let Some(setelah) = filter.setelah {
        let (time, rowid) = (at.bind(SqlValue::Integer(setelah.updated_at)), at.bind(SqlValue::Integer(setelah.rowid)));
        at.clauses.push(format!("(u.updated_at, u.document_rowid) < ({time}, {rowid})"));
    }
    let limit = at.bind(SqlValue::Integer(i64::try_from(filter.limit).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT u.document_rowid, d.id, {USULAN_COLUMNS} FROM usulan u JOIN document d ON d.rowid = u.document_rowid{} \
         ORDER BY u.updated_at DESC, u.document_rowid DESC LIMIT {limit}",
        at.sql()
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params_from_iter(at.params), UsulanBaris::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The list row of usulan `id`, `None` when the replica holds no usulan with that id (or it is quarantined).
///
/// # Errors
/// SQLite errors.
pub fn baris(conn: &Connection, id: Uuid) -> Result<Option<UsulanBaris>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT u.document_rowid, d.id, {USULAN_COLUMNS} FROM document d \
             JOIN usulan u ON u.document_rowid = d.rowid WHERE d.id = ?1"
        ))?
        .query_row([id.as_bytes().as_slice()], UsulanBaris::from_row)
        .optional()?)
}

/// How many usulan each status has under `filter` (its status, cursor and limit are ignored: the counts are those
/// of the other filters), as (status code, count) in workflow order ([`StatusUsulan::ALL`]), statuses without an
/// usulan left out.
///
/// # Errors
/// SQLite errors.
pub fn jumlah_per_status(conn: &Connection, filter: &FilterUsulan) -> Result<Vec<(String, i64)>> {
    let at = Where::of(filter, false);
    let sql = format!("SELECT u.status, count(*) FROM usulan u{} GROUP BY u.status", at.sql());
    let mut statement = conn.prepare_cached(&sql)?;
    let mut counts: Vec<(String, i64)> = statement
        .query_map(params_from_iter(at.params), |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    // A code this build does not know (written by a newer one) sorts last.
    let order = |kode: &str| StatusUsulan::ALL.iter().position(|status| status.kode() == kode).unwrap_or(usize::MAX);
    counts.sort_by(|(a, _), (b, _)| order(a).cmp(&order(b)).then_with(|| a.cmp(b)));
    Ok(counts)
}

/// The usulan document `id`, hydrated; `None` when the replica holds no usulan with that id (or it is
/// quarantined).
///
/// # Errors
/// [`Error::CorruptDocument`] when its bytes do not load; [`Error::Shape`] when it does not read as an usulan;
/// SQLite errors.
pub fn lihat(conn: &Connection, id: Uuid) -> Result<Option<Usulan>> {
    let Some(rowid) = document::rowid_of(conn, id)? else { return Ok(None) };
    let (stored, value) = match document::load_value(conn, rowid) {
        Ok(loaded) => loaded,
        Err(Error::NotFound(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    if stored.kind != Kind::Usulan {
        return Ok(None);
    }
    serde_json::from_value(value).map(Some).map_err(|error| Error::Shape(format!("usulan {id}: {error}")))
}
