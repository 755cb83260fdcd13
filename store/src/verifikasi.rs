//! The queries behind the Verifikasi lapangan screen: the list of field visits (filtered, newest first, keyset
//! pages), its counts per hasil, and one visit's document.
//!
//! The list reads the `verifikasi_lapangan` projection (migration 0008, [`crate::projection::KunjunganRow`]) and
//! joins the pegawai's current name and unor from `pegawai` by NIP (the oldest document with that NIP; none when
//! the replica does not hold the pegawai). Pages use keyset pagination on (visit time, row id), never OFFSET. The
//! unor filter takes the unit and everything below it, as the pegawai list does (the unor tree's path prefix).
//!
//! It deliberately does not write: visits are created and changed through [`crate::edit`].

use model::verifikasi::VerifikasiLapangan;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::document::{self, Kind};
use crate::projection::{KUNJUNGAN_COLUMNS, KunjunganRow};
use crate::{Error, Result};

/// Filters of the visit list; every set field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterKunjungan {
    /// Only this hasil (snake_case as in the document: `ditemukan`, `tidak_ditemukan`, `meninggal`, `pindah`,
    /// `lainnya`). [`jumlah_per_hasil`] ignores it.
    pub hasil: Option<String>,
    /// Only visits to this NIP (exactly).
    pub nip: Option<String>,
    /// Only visits to pegawai (as the replica holds them now) in this unor or below it.
    pub unor: Option<String>,
    /// Only visits at or after this time, unix milliseconds.
    pub dari_ms: Option<i64>,
    /// Only visits before this time, unix milliseconds (exclusive: a day is `[midnight, next midnight)`).
    pub sampai_ms: Option<i64>,
    /// Start after this row (the [`KursorKunjungan`] of the last row of the previous page); `None`: the first page.
    /// [`jumlah_per_hasil`] ignores it.
    pub setelah: Option<KursorKunjungan>,
    /// At most this many rows. [`jumlah_per_hasil`] ignores it.
    pub limit: usize,
}

/// Where the next page of the list starts: after this (visit time, row id), in descending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KursorKunjungan {
    /// [`KunjunganRow::waktu_ms`] of the last row shown.
    pub waktu_ms: i64,
    /// [`KunjunganBaris::rowid`] of the last row shown.
    pub rowid: i64,
}

/// One visit as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KunjunganBaris {
    /// Internal row id (stable for the life of the replica; the tie-break of keyset pagination).
    pub rowid: i64,
    /// The document id, UUID text (what [`lihat`] and [`crate::edit::edit_document`] take).
    pub id: String,
    /// The projected columns (NIP, hasil, catatan, petugas, time, photo count), flattened in JSON.
    #[serde(flatten)]
    pub kunjungan: KunjunganRow,
    /// The pegawai's name with gelar, as the replica holds it now (`None`: not in the replica).
    pub nama: Option<String>,
    /// The pegawai's unor id now.
    pub unor_id: Option<String>,
    /// The pegawai's unor name now.
    pub unor_nama: Option<String>,
}

impl KunjunganBaris {
    /// The cursor of the page after this row.
    pub fn kursor(&self) -> KursorKunjungan {
        KursorKunjungan { waktu_ms: self.kunjungan.waktu_ms, rowid: self.rowid }
    }

    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<KunjunganBaris> {
        let id: Vec<u8> = row.get(1)?;
        Ok(KunjunganBaris {
            rowid: row.get(0)?,
            id: Uuid::from_slice(&id).map_or_else(|_| String::new(), |id| id.to_string()),
            nama: row.get(2)?,
            unor_id: row.get(3)?,
            unor_nama: row.get(4)?,
            kunjungan: KunjunganRow::read(row, 5)?,
        })
    }
}

/// The columns of a list row: row id, document id, the pegawai's name and unor (its oldest document), then
/// [`KUNJUNGAN_COLUMNS`]. `v` is the visit table, `d` the document.
fn select() -> String {
    format!(
        "SELECT v.document_rowid, d.id, p.nama_lengkap, p.unor_id, p.unor_nama, {KUNJUNGAN_COLUMNS} \
         FROM verifikasi_lapangan v JOIN document d ON d.rowid = v.document_rowid \
         LEFT JOIN pegawai p ON p.document_rowid = \
         (SELECT min(q.document_rowid) FROM pegawai q WHERE q.nip = v.nip)"
    )
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

    /// The clauses of `filter`, without its hasil when `with_hasil` is false, and without its cursor.
    fn of(filter: &FilterKunjungan, with_hasil: bool) -> Where {
        let mut at = Where::default();
        let text = |value: &String| SqlValue::Text(value.clone());
        if let Some(hasil) = filter.hasil.as_ref().filter(|_| with_hasil) {
            let mark = at.bind(text(hasil));
            at.clauses.push(format!("v.hasil = {mark}"));
        }
        if let Some(nip) = &filter.nip {
            let mark = at.bind(text(nip));
            at.clauses.push(format!("v.nip = {mark}"));
        }
        if let Some(unor) = &filter.unor {
            // The subtree: every pegawai whose unor path starts with the unit's path (as `query` filters pegawai).
            let mark = at.bind(text(unor));
            let prefix = format!("coalesce((SELECT path FROM unor WHERE id = {mark}), '/' || {mark} || '/')");
            at.clauses.push(format!(
                "v.nip IN (SELECT q.nip FROM pegawai q WHERE q.unor_path >= {prefix} AND q.unor_path < {prefix} || x'ff')"
            ));
        }
        if let Some(dari) = filter.dari_ms {
            let mark = at.bind(SqlValue::Integer(dari));
            at.clauses.push(format!("v.waktu_ms >= {mark}"));
        }
        if let Some(sampai) = filter.sampai_ms {
            let mark = at.bind(SqlValue::Integer(sampai));
            at.clauses.push(format!("v.waktu_ms < {mark}"));
        }
        at
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }
}

/// One page of the visit list under `filter`: newest visit first (then by row id), starting after
/// `filter.setelah`, at most `filter.limit` rows. The next page starts after the last row's
/// [`KunjunganBaris::kursor`]; a page shorter than the limit is the last.
///
/// # Errors
/// SQLite errors.
pub fn daftar(conn: &Connection, filter: &FilterKunjungan) -> Result<Vec<KunjunganBaris>> {
    if filter.limit == 0 {
        return Ok(Vec::new());
    }
    let mut at = Where::of(filter, true);
    if let Some(setelah) = filter.setelah {
        let (time, rowid) = (at.bind(SqlValue::Integer(setelah.waktu_ms)), at.bind(SqlValue::Integer(setelah.rowid)));
        at.clauses.push(format!("(v.waktu_ms, v.document_rowid) < ({time}, {rowid})"));
    }
    let limit = at.bind(SqlValue::Integer(i64::try_from(filter.limit).unwrap_or(i64::MAX)));
    let sql = format!("{}{} ORDER BY v.waktu_ms DESC, v.document_rowid DESC LIMIT {limit}", select(), at.sql());
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params_from_iter(at.params), KunjunganBaris::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The list row of visit `id`, `None` when the replica holds no visit with that id (or it is quarantined).
///
/// # Errors
/// SQLite errors.
pub fn baris(conn: &Connection, id: Uuid) -> Result<Option<KunjunganBaris>> {
    Ok(conn
        .prepare_cached(&format!("{} WHERE d.id = ?1", select()))?
        .query_row([id.as_bytes().as_slice()], KunjunganBaris::from_row)
        .optional()?)
}

/// How many visits each hasil has under `filter` (its hasil, cursor and limit are ignored: the counts are those of
/// the other filters), as (hasil, count) sorted by hasil, hasil without a visit left out.
///
/// # Errors
/// SQLite errors.
pub fn jumlah_per_hasil(conn: &Connection, filter: &FilterKunjungan) -> Result<Vec<(String, i64)>> {
    let at = Where::of(filter, false);
    let sql = format!("SELECT v.hasil, count(*) FROM verifikasi_lapangan v{} GROUP BY v.hasil ORDER BY 1", at.sql());
    let mut statement = conn.prepare_cached(&sql)?;
    let counts = statement.query_map(params_from_iter(at.params), |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(counts.collect::<Result<_, _>>()?)
}

/// The visit document `id`, hydrated; `None` when the replica holds no visit with that id (or it is quarantined).
///
/// # Errors
/// [`Error::CorruptDocument`] when its bytes do not load; [`Error::Shape`] when it does not read as a visit;
/// SQLite errors.
pub fn lihat(conn: &Connection, id: Uuid) -> Result<Option<VerifikasiLapangan>> {
    let Some(rowid) = document::rowid_of(conn, id)? else { return Ok(None) };
    let (stored, value) = match document::load_value(conn, rowid) {
        Ok(loaded) => loaded,
        Err(Error::NotFound(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    if stored.kind != Kind::VerifikasiLapangan {
        return Ok(None);
    }
    serde_json::from_value(value).map(Some).map_err(|error| Error::Shape(format!("verifikasi lapangan {id}: {error}")))
}
