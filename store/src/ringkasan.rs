//! Summaries for the desktop screens that the list queries of [`crate::query`] do not give: the dashboard's counts
//! (by pendidikan, by age band, IKD anomalies by code), the unor tree with pegawai counts, a pegawai's IKD codes
//! today, and the outbox by pegawai.
//!
//! Everything is read from the projections (`pegawai`, `ikd_anomali`, `unor`, `outbox`), never from documents, so
//! each function is one or two indexed or whole-table aggregate reads (about 250,000 rows at most). Codes come back
//! as ids; labels are the caller's (from `model::referensi`). The date-dependent IKD codes (TIM_3, TIM_5) are
//! computed for `today` exactly as the Pegawai list's anomaly filter does.
//!
//! It does not decide what a figure means on screen (periods, horizons): the caller passes dates.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// Age bands of the dashboard, as (key, lowest age, highest age) in whole years; `None` is open-ended.
pub const USIA: [(&str, u32, Option<u32>); 6] = [
    ("<30", 0, Some(29)),
    ("30-39", 30, Some(39)),
    ("40-49", 40, Some(49)),
    ("50-54", 50, Some(54)),
    ("55-59", 55, Some(59)),
    (">=60", 60, None),
];

/// The key of pegawai whose tgl lahir is unknown, in [`per_usia`] (and of a NULL value in [`per_pendidikan`]).
pub const TIDAK_DIKETAHUI: &str = "?";

/// Pegawai counts by tingkat pendidikan id (`"?"` for none), ordered by id.
///
/// # Errors
/// SQLite errors.
pub fn per_pendidikan(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut statement = conn
        .prepare_cached("SELECT coalesce(tingkat_pendidikan_id, '?'), count(*) FROM pegawai GROUP BY 1 ORDER BY 1")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Pegawai counts by age band on `today` (keys of [`USIA`] in that order, then `"?"` when some tgl lahir is
/// unknown); every band is present, zero or not.
///
/// # Errors
/// SQLite errors.
pub fn per_usia(conn: &Connection, today: NaiveDate) -> Result<Vec<(String, i64)>> {
    // Whole years: the year difference, minus one when the birthday has not come yet this year.
    let age = "(CAST(strftime('%Y', ?1) AS INTEGER) - CAST(strftime('%Y', tgl_lahir) AS INTEGER) \
               - (strftime('%m-%d', ?1) < strftime('%m-%d', tgl_lahir)))";
    let mut statement = conn.prepare_cached(&format!(
        "SELECT CASE WHEN tgl_lahir IS NULL OR strftime('%Y', tgl_lahir) IS NULL THEN -1 ELSE {age} END AS usia, \
         count(*) FROM pegawai GROUP BY usia"
    ))?;
    let ages = statement
        .query_map([today.to_string()], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut bands: Vec<(String, i64)> = USIA.iter().map(|(key, _, _)| ((*key).to_owned(), 0)).collect();
    let mut unknown = 0;
    for (age, count) in ages {
        let band = u32::try_from(age)
            .ok()
            .and_then(|age| USIA.iter().position(|(_, low, high)| age >= *low && high.is_none_or(|high| age <= high)));
        match band {
            Some(at) => bands[at].1 += count,
            None => unknown += count,
        }
    }
    if unknown > 0 {
        bands.push((TIDAK_DIKETAHUI.to_owned(), unknown));
    }
    Ok(bands)
}

/// Pegawai counts per IKD code on `today`, as (code, stored explanation, pegawai), most frequent first: the stored
/// codes of `ikd_anomali` plus TIM_3 (CPNS for more than a year) and TIM_5 (at BUP, still aktif) for `today`.
///
/// # Errors
/// SQLite errors.
pub fn anomali_per_kode(conn: &Connection, today: NaiveDate) -> Result<Vec<(String, String, i64)>> {
    let mut statement = conn.prepare_cached(
        "SELECT kode, min(penjelasan), count(*) FROM ikd_anomali GROUP BY kode \
         UNION ALL SELECT 'TIM_3', '', count(*) FROM pegawai \
           WHERE jenis_asn = 'CPNS' AND tmt_cpns IS NOT NULL AND tmt_cpns < date(?1, '-1 year') \
         UNION ALL SELECT 'TIM_5', '', count(*) FROM pegawai \
           WHERE kedudukan_hukum_id = '01' AND tmt_pensiun IS NOT NULL AND tmt_pensiun <= ?1",
    )?;
    let mut rows = statement
        .query_map([today.to_string()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<Vec<(String, String, i64)>, _>>()?;
    rows.retain(|(_, _, count)| *count > 0);
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Ok(rows)
}

/// The IKD codes of the pegawai document at `rowid` on `today`, as (code, stored explanation), ordered by code.
///
/// # Errors
/// SQLite errors.
pub fn ikd_pegawai(conn: &Connection, rowid: i64, today: NaiveDate) -> Result<Vec<(String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT kode, penjelasan FROM ikd_anomali WHERE document_rowid = ?1 \
         UNION ALL SELECT 'TIM_3', '' FROM pegawai WHERE document_rowid = ?1 \
           AND jenis_asn = 'CPNS' AND tmt_cpns IS NOT NULL AND tmt_cpns < date(?2, '-1 year') \
         UNION ALL SELECT 'TIM_5', '' FROM pegawai WHERE document_rowid = ?1 \
           AND kedudukan_hukum_id = '01' AND tmt_pensiun IS NOT NULL AND tmt_pensiun <= ?2 \
         ORDER BY 1",
    )?;
    let rows = statement
        .query_map(rusqlite::params![rowid, today.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One unor of the tree with its pegawai count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnorJumlah {
    /// Unor id.
    pub id: String,
    /// Name.
    pub nama: String,
    /// Parent unor id (`None` at a root).
    pub induk_id: Option<String>,
    /// Pegawai in this unor and every unor below it.
    pub jumlah: i64,
}

/// The unor tree of the replica in path order (a parent before its children), each with the pegawai of its
/// subtree.
///
/// # Errors
/// SQLite errors.
pub fn unor_pohon(conn: &Connection) -> Result<Vec<UnorJumlah>> {
    let mut statement = conn.prepare_cached(
        "SELECT u.id, u.nama, u.parent_id, \
           (SELECT count(*) FROM pegawai p WHERE p.unor_path >= u.path AND p.unor_path < u.path || x'ff') \
         FROM unor u ORDER BY u.path",
    )?;
    let rows = statement
        .query_map([], |row| {
            Ok(UnorJumlah { id: row.get(0)?, nama: row.get(1)?, induk_id: row.get(2)?, jumlah: row.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The name of unor `id`, if the replica's tree has it.
///
/// # Errors
/// SQLite errors.
pub fn unor_nama(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT nama FROM unor WHERE id = ?1")?.query_row([id], |row| row.get(0)).optional()?)
}

/// The outbox of one document: its changes not yet accepted by the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxDokumen {
    /// The document's row id.
    pub document_rowid: i64,
    /// The pegawai's NIP, for a pegawai document.
    pub nip: Option<String>,
    /// The pegawai's nama with gelar, for a pegawai document.
    pub nama: Option<String>,
    /// Changes waiting.
    pub perubahan: i64,
    /// The most push attempts of any of them.
    pub percobaan: i64,
    /// The latest error of any of them (the hub's or the network's words).
    pub galat: Option<String>,
}

/// The outbox by document, oldest waiting first, at most `limit` documents.
///
/// # Errors
/// SQLite errors.
pub fn outbox_per_dokumen(conn: &Connection, limit: usize) -> Result<Vec<OutboxDokumen>> {
    let mut statement = conn.prepare_cached(
        "SELECT o.document_rowid, p.nip, p.nama_lengkap, count(*), max(o.attempts), max(o.last_error), \
           min(o.created_at) AS sejak \
         FROM outbox o LEFT JOIN pegawai p ON p.document_rowid = o.document_rowid \
         GROUP BY o.document_rowid ORDER BY sejak, o.document_rowid LIMIT ?1",
    )?;
    let rows = statement
        .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
            Ok(OutboxDokumen {
                document_rowid: row.get(0)?,
                nip: row.get(1)?,
                nama: row.get(2)?,
                perubahan: row.get(3)?,
                percobaan: row.get(4)?,
                galat: row.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Changes of the document at `rowid` still in the outbox.
///
/// # Errors
/// SQLite errors.
pub fn outbox_dokumen(conn: &Connection, rowid: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE document_rowid = ?1")?
        .query_row([rowid], |row| row.get(0))?)
}

/// The BUP (retirement age, years) of the pegawai document at `rowid`, as projected.
///
/// # Errors
/// SQLite errors.
pub fn bup(conn: &Connection, rowid: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT bup FROM pegawai WHERE document_rowid = ?1")?
        .query_row([rowid], |row| row.get(0))
        .optional()?
        .flatten())
}

/// Documents a compaction ([`crate::document::compact_imported`]) still has to do: seeds and saves written
/// uncompressed, not quarantined. The total of its progress stage.
///
/// # Errors
/// SQLite errors.
pub fn to_compact(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM document WHERE (seed IS NOT NULL OR (compressed = 0 AND chunk_count = 0)) \
             AND quarantined IS NULL",
        )?
        .query_row([], |row| row.get(0))?)
}
