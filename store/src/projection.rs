//! Projections: the tables the UI and the CLI read, derived from documents alone.
//!
//! Written in the same transaction as every document write ([`project_pegawai`]), removable ([`remove`]) and
//! rebuildable from the documents ([`rebuild_projections`]). Dropping them loses no data.
//!
//! Facts that depend on "today" are not stored, so the replica never goes stale overnight: the KP column holds the
//! first KP period after the 4 years in pangkat (`kp_pertama`), and IKD anomalies that depend on the date (TIM_3,
//! TIM_5) are computed at query time from `tmt_cpns`, `tmt_pensiun` and `kedudukan_hukum_id`
//! ([`crate::query`]). Everything else (BUP, TMT pensiun, date-independent IKD codes) is stored here.

use std::collections::HashMap;

use chrono::NaiveDate;
use model::Pegawai;
use model::fakta;
use model::referensi::referensi;
use model::rules::kp::KpReguler;
use rusqlite::{Connection, Transaction, params};
use sync::Document;

use crate::document::{self, Kind};
use crate::{Error, Result};

/// The reference date used to derive date-independent facts: early enough that no date-dependent rule fires.
pub fn date_independent() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("1900-01-01 exists")
}

/// The replica's unor tree as a lookup: unor id → (path from the root, eselon id). Loaded once per batch.
#[derive(Debug, Clone, Default)]
pub struct UnorIndex {
    units: HashMap<String, (String, Option<String>)>,
}

impl UnorIndex {
    /// Reads the `unor` table.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn load(conn: &Connection) -> Result<UnorIndex> {
        let mut statement = conn.prepare_cached("SELECT id, path, eselon_id FROM unor")?;
        let units = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, (row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?)))
            })?
            .collect::<Result<_, _>>()?;
        Ok(UnorIndex { units })
    }

    /// The path from the root of unor `id`, if the tree holds it.
    pub fn path(&self, id: &str) -> Option<&str> {
        self.units.get(id).map(|(path, _)| path.as_str())
    }

    /// The eselon of unor `id`, if known.
    pub fn eselon(&self, id: &str) -> Option<&str> {
        self.units.get(id).and_then(|(_, eselon)| eselon.as_deref())
    }
}

/// Everything the projections hold for one pegawai, derived without SQL (so it can be computed off the writer).
#[derive(Debug, Clone, PartialEq)]
pub struct PegawaiProjection {
    nip: String,
    pns_id: Option<String>,
    nama: String,
    nama_lengkap: String,
    jenis_asn: Option<&'static str>,
    kedudukan_hukum_id: Option<String>,
    golongan_id: Option<String>,
    golongan_urutan: Option<u8>,
    jenis_jabatan_id: Option<String>,
    jabatan_nama: Option<String>,
    eselon_id: Option<String>,
    tingkat_pendidikan_id: Option<String>,
    unor_id: Option<String>,
    unor_nama: Option<String>,
    unor_path: Option<String>,
    tgl_lahir: Option<String>,
    tmt_cpns: Option<String>,
    tmt_pensiun: Option<String>,
    bup: Option<u8>,
    kp_pertama: Option<String>,
    kp_golongan_id: Option<String>,
    kp_status: &'static str,
    /// Date-independent IKD anomalies: (code, explanation).
    ikd: Vec<(&'static str, String)>,
}

/// Derives the projection of `pegawai` (date-independent facts only; see the module doc).
pub fn derive_pegawai(pegawai: &Pegawai, unor: &UnorIndex) -> PegawaiProjection {
    let utama = &pegawai.data_utama;
    let eselon_of = |id: &str| unor.eselon(id).map(str::to_owned);
    let label = format!("nip {}", utama.nip);
    let facts = fakta::derive(pegawai, &label, date_independent(), &eselon_of);
    let (kp_pertama, kp_golongan_id) = match &facts.kp_reguler {
        KpReguler::Berikutnya { tmt, golongan_baru_id, .. } => (Some(tmt.to_string()), Some(golongan_baru_id.clone())),
        KpReguler::TidakBerlaku(_) => (None, None),
    };
    let unor_path = utama.unor_id.as_deref().map(|id| unor.path(id).map_or_else(|| format!("/{id}/"), str::to_owned));
    PegawaiProjection {
        nip: utama.nip.to_string(),
        pns_id: utama.pns_id.as_ref().map(ToString::to_string),
        nama: utama.nama.clone(),
        nama_lengkap: utama.nama_lengkap(),
        jenis_asn: utama.jenis_asn.map(|jenis| jenis.as_str()),
        kedudukan_hukum_id: utama.kedudukan_hukum_id.clone(),
        golongan_id: utama.golongan_akhir_id.clone(),
        golongan_urutan: utama.golongan_akhir_id.as_deref().and_then(|id| referensi().golongan_urutan(id)),
        jenis_jabatan_id: utama.jenis_jabatan_id.clone(),
        jabatan_nama: utama.jabatan_nama.clone(),
        eselon_id: facts.eselon.map(|(id, _)| id),
        tingkat_pendidikan_id: utama.tingkat_pendidikan_id.clone(),
        unor_id: utama.unor_id.clone(),
        unor_nama: utama.unor_nama.clone(),
        unor_path,
        tgl_lahir: utama.tgl_lahir.map(|date| date.to_string()),
        tmt_cpns: utama.tmt_cpns.map(|date| date.to_string()),
        tmt_pensiun: facts.tmt_pensiun.map(|date| date.to_string()),
        bup: facts.bup.map(|bup| bup.usia),
        kp_pertama,
        kp_golongan_id,
        kp_status: facts.kp_reguler.status(),
        ikd: facts.ikd.into_iter().map(|temuan| (temuan.kode, temuan.penjelasan)).collect(),
    }
}

/// Writes (replacing) the projections of the pegawai document at `rowid`. `fresh`: the document is new, so there
/// is nothing to remove first.
///
/// # Errors
/// SQLite errors.
pub fn write_pegawai(tx: &Transaction<'_>, rowid: i64, row: &PegawaiProjection, fresh: bool) -> Result<()> {
    if !fresh {
        remove(tx, rowid)?;
    }
    tx.prepare_cached(
        "INSERT INTO pegawai (document_rowid, nip, pns_id, nama, nama_lengkap, jenis_asn, kedudukan_hukum_id, \
         golongan_id, golongan_urutan, jenis_jabatan_id, jabatan_nama, eselon_id, tingkat_pendidikan_id, unor_id, \
         unor_nama, unor_path, tgl_lahir, tmt_cpns, tmt_pensiun, bup, kp_pertama, kp_golongan_id, kp_status, \
         ikd_count) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, \
         ?22, ?23, ?24)",
    )?
    .execute(params![
        rowid,
        row.nip,
        row.pns_id,
        row.nama,
        row.nama_lengkap,
        row.jenis_asn,
        row.kedudukan_hukum_id,
        row.golongan_id,
        row.golongan_urutan,
        row.jenis_jabatan_id,
        row.jabatan_nama,
        row.eselon_id,
        row.tingkat_pendidikan_id,
        row.unor_id,
        row.unor_nama,
        row.unor_path,
        row.tgl_lahir,
        row.tmt_cpns,
        row.tmt_pensiun,
        row.bup,
        row.kp_pertama,
        row.kp_golongan_id,
        row.kp_status,
        row.ikd.len() as i64,
    ])?;
    tx.prepare_cached("INSERT INTO pegawai_fts (rowid, nama, nip, jabatan, unor) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![rowid, row.nama_lengkap, row.nip, row.jabatan_nama, row.unor_nama])?;
    let mut anomali =
        tx.prepare_cached("INSERT INTO ikd_anomali (document_rowid, kode, penjelasan) VALUES (?1, ?2, ?3)")?;
    for (kode, penjelasan) in &row.ikd {
        anomali.execute(params![rowid, kode, penjelasan])?;
    }
    Ok(())
}

/// Writes (replacing) the projections of the pegawai document at `rowid`, reading the unor tree from `tx`.
///
/// # Errors
/// SQLite errors.
pub fn project_pegawai(tx: &Transaction<'_>, rowid: i64, pegawai: &Pegawai) -> Result<()> {
    let unor = UnorIndex::load(tx)?;
    write_pegawai(tx, rowid, &derive_pegawai(pegawai, &unor), false)
}

/// Writes the conflicts `doc` holds (automerge `get_all` > 1), replacing the previous ones of `rowid`.
///
/// # Errors
/// SQLite errors.
pub fn project_conflicts(tx: &Transaction<'_>, rowid: i64, doc: &Document) -> Result<()> {
    tx.prepare_cached("DELETE FROM field_conflict WHERE document_rowid = ?1")?.execute([rowid])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO field_conflict (document_rowid, path, values_json) VALUES (?1, ?2, ?3)")?;
    for conflict in doc.conflicts() {
        let values = serde_json::to_string(&conflict.values).map_err(|error| Error::Shape(error.to_string()))?;
        insert.execute(params![rowid, conflict.path, values])?;
    }
    Ok(())
}

/// Removes every projection row of the document at `rowid`.
///
/// # Errors
/// SQLite errors.
pub fn remove(tx: &Transaction<'_>, rowid: i64) -> Result<()> {
    let existed = tx.prepare_cached("DELETE FROM pegawai WHERE document_rowid = ?1")?.execute([rowid])? > 0;
    if existed {
        tx.prepare_cached("DELETE FROM pegawai_fts WHERE rowid = ?1")?.execute([rowid])?;
    }
    tx.prepare_cached("DELETE FROM ikd_anomali WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM usulan WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM field_conflict WHERE document_rowid = ?1")?.execute([rowid])?;
    Ok(())
}

/// Projects one loaded document of any kind.
///
/// # Errors
/// [`Error::Shape`] when the document does not hydrate into its record type; SQLite errors.
pub fn project(tx: &Transaction<'_>, rowid: i64, kind: Kind, doc: &Document) -> Result<()> {
    project_with(tx, rowid, kind, doc, &UnorIndex::load(tx)?)
}

fn project_with(tx: &Transaction<'_>, rowid: i64, kind: Kind, doc: &Document, unor: &UnorIndex) -> Result<()> {
    match kind {
        Kind::Pegawai => {
            let pegawai: Pegawai = doc.hydrate_as().map_err(|error| Error::Shape(error.to_string()))?;
            write_pegawai(tx, rowid, &derive_pegawai(&pegawai, unor), false)?;
        }
        Kind::Usulan | Kind::VerifikasiLapangan => remove(tx, rowid)?,
    }
    project_conflicts(tx, rowid, doc)
}

/// What [`rebuild_projections`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Documents projected.
    pub documents: usize,
    /// Documents quarantined because their bytes or shape were unreadable: (document row id, reason).
    pub quarantined: Vec<(String, String)>,
}

/// Drops every projection and rebuilds them from the documents alone, in batches of `batch` documents.
///
/// # Errors
/// SQLite errors. Unreadable documents are quarantined and listed, not errors.
pub fn rebuild_projections(replica: &crate::Replica, batch: usize) -> Result<Rebuilt> {
    replica.write(|tx| {
        tx.execute_batch(
            "DELETE FROM pegawai; DELETE FROM pegawai_fts; DELETE FROM ikd_anomali; DELETE FROM usulan; \
             DELETE FROM field_conflict;",
        )?;
        Ok(())
    })?;
    let mut rebuilt = Rebuilt::default();
    let mut after = 0i64;
    loop {
        let rowids: Vec<i64> = {
            let reader = replica.reader()?;
            let mut statement = reader.prepare_cached(
                "SELECT rowid FROM document WHERE rowid > ?1 AND quarantined IS NULL ORDER BY rowid LIMIT ?2",
            )?;
            statement.query_map(params![after, batch as i64], |row| row.get(0))?.collect::<Result<_, _>>()?
        };
        let Some(&last) = rowids.last() else { break };
        after = last;
        replica.write(|tx| {
            let unor = UnorIndex::load(tx)?;
            for &rowid in &rowids {
                match document::load(tx, rowid)
                    .and_then(|(stored, doc)| project_with(tx, rowid, stored.kind, &doc, &unor))
                {
                    Ok(()) => rebuilt.documents += 1,
                    Err(error @ (Error::CorruptDocument { .. } | Error::Shape(_))) => {
                        let reason = error.to_string();
                        document::quarantine(tx, rowid, &reason)?;
                        rebuilt.quarantined.push((rowid.to_string(), reason));
                    }
                    Err(error) => return Err(error),
                }
            }
            Ok(())
        })?;
    }
    Ok(rebuilt)
}

/// Reads the projection counts, for consistency checks: (pegawai rows, FTS rows, pegawai documents not quarantined).
///
/// # Errors
/// SQLite errors.
pub fn counts(conn: &Connection) -> Result<(i64, i64, i64)> {
    let pegawai: i64 = conn.query_row("SELECT count(*) FROM pegawai", [], |row| row.get(0))?;
    let fts: i64 = conn.query_row("SELECT count(*) FROM pegawai_fts", [], |row| row.get(0))?;
    let documents: i64 =
        conn.query_row("SELECT count(*) FROM document WHERE kind = 'pegawai' AND quarantined IS NULL", [], |row| {
            row.get(0)
        })?;
    Ok((pegawai, fts, documents))
}
