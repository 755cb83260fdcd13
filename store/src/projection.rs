//! Projections: the tables the UI and the CLI read, derived from documents alone.
//!
//! Written in the same transaction as every document write ([`project_pegawai`]), removable ([`remove`]),
//! re-derived when the unor tree changes ([`reproject_changed_units`]), verified against the documents
//! ([`verify`]) and rebuildable from them ([`rebuild_projections`]). Dropping them loses no data.
//!
//! Facts that depend on "today" are not stored, so the replica never goes stale overnight: the KP column holds the
//! first KP period after the 4 years in pangkat (`kp_pertama`), and IKD anomalies that depend on the date (TIM_3,
//! TIM_5) are computed at query time from `tmt_cpns`, `tmt_pensiun` and `kedudukan_hukum_id`
//! ([`crate::query`]). Everything else (BUP, TMT pensiun, date-independent IKD codes) is stored here.
//!
//! A quarantined pegawai document leaves the list, but its identity (NIP, SI-ASN id) stays in
//! `pegawai_karantina` so that a re-import finds the document instead of creating a second one ([`find_pegawai`]).
//! The unor columns follow the replica's unor tree: a renamed or moved unit shows its current name and path.
//! [`search_all`] streams every match of a search, for exports (the interactive search is capped).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use model::Pegawai;
use model::fakta;
use model::referensi::referensi;
use model::rules::kgb;
use model::rules::kp::KpReguler;
use model::usulan::{Usulan, alur};
use model::verifikasi::VerifikasiLapangan;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use serde_json::Value;
use sync::Document;

use crate::document::{self, Kind, Seed, StoredBytes};
use crate::{Error, Result};

/// The reference date used to derive date-independent facts: early enough that no date-dependent rule fires.
pub fn date_independent() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("1900-01-01 exists")
}

/// One unit of the unor tree as projections use it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UnitFacts {
    path: String,
    eselon: Option<String>,
    nama: String,
}

/// The replica's unor tree as a lookup: unor id → path from the root, eselon id and name. Loaded once per batch.
#[derive(Debug, Clone, Default)]
pub struct UnorIndex {
    units: HashMap<String, UnitFacts>,
}

impl UnorIndex {
    /// Reads the `unor` table.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn load(conn: &Connection) -> Result<UnorIndex> {
        let mut statement = conn.prepare_cached("SELECT id, path, eselon_id, nama FROM unor")?;
        let units = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, UnitFacts { path: row.get(1)?, eselon: row.get(2)?, nama: row.get(3)? }))
            })?
            .collect::<Result<_, _>>()?;
        Ok(UnorIndex { units })
    }

    /// The path from the root of unor `id`, if the tree holds it.
    pub fn path(&self, id: &str) -> Option<&str> {
        self.units.get(id).map(|unit| unit.path.as_str())
    }

    /// The eselon of unor `id`, if known.
    pub fn eselon(&self, id: &str) -> Option<&str> {
        self.units.get(id).and_then(|unit| unit.eselon.as_deref())
    }

    /// The name of unor `id` in the tree, if the tree holds it with a non-empty name.
    pub fn nama(&self, id: &str) -> Option<&str> {
        self.units.get(id).map(|unit| unit.nama.as_str()).filter(|nama| !nama.is_empty())
    }

    /// The unor ids whose path, eselon or name differ between `self` and `other`, including ids only one holds:
    /// the units whose pegawai have to be re-derived when the tree is replaced.
    pub fn changed_units(&self, other: &UnorIndex) -> HashSet<String> {
        let mut changed: HashSet<String> = self
            .units
            .iter()
            .filter(|(id, unit)| other.units.get(*id) != Some(unit))
            .map(|(id, _)| id.clone())
            .collect();
        changed.extend(other.units.keys().filter(|id| !self.units.contains_key(*id)).cloned());
        changed
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
    kgb_awal: Option<String>,
    kgb_pertama: Option<String>,
    kgb_akhir: Option<String>,
    kgb_siklus: Option<i64>,
    /// Date-independent IKD anomalies: (code, explanation).
    ikd: Vec<(&'static str, String)>,
    /// The follow-ups recorded on reminders, in key order: (key, status code, note, officer NIP, time).
    tindak_lanjut: Vec<TindakLanjutRow>,
}

/// One row of `tindak_lanjut` (migration 0009): (key, status code, note, officer NIP, RFC 3339 time).
type TindakLanjutRow = (String, &'static str, Option<String>, String, String);

/// The columns of the `pegawai` table after `document_rowid`, in the order of [`PegawaiProjection::values`].
const PEGAWAI_COLUMNS: [&str; 27] = [
    "nip",
    "pns_id",
    "nama",
    "nama_lengkap",
    "jenis_asn",
    "kedudukan_hukum_id",
    "golongan_id",
    "golongan_urutan",
    "jenis_jabatan_id",
    "jabatan_nama",
    "eselon_id",
    "tingkat_pendidikan_id",
    "unor_id",
    "unor_nama",
    "unor_path",
    "tgl_lahir",
    "tmt_cpns",
    "tmt_pensiun",
    "bup",
    "kp_pertama",
    "kp_golongan_id",
    "kp_status",
    "ikd_count",
    "kgb_awal",
    "kgb_pertama",
    "kgb_akhir",
    "kgb_siklus",
];

static INSERT_PEGAWAI: LazyLock<String> = LazyLock::new(|| {
    let placeholders: Vec<String> = (1..=PEGAWAI_COLUMNS.len() + 1).map(|at| format!("?{at}")).collect();
    format!("INSERT INTO pegawai (document_rowid, {}) VALUES ({})", PEGAWAI_COLUMNS.join(", "), placeholders.join(", "))
});

static SELECT_PEGAWAI: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM pegawai WHERE document_rowid = ?1", PEGAWAI_COLUMNS.join(", ")));

impl PegawaiProjection {
    /// The values of [`PEGAWAI_COLUMNS`], as SQLite stores them (the tables are STRICT: text or integer or NULL).
    fn values(&self) -> [ValueRef<'_>; 27] {
        fn text(value: Option<&str>) -> ValueRef<'_> {
            value.map_or(ValueRef::Null, |text| ValueRef::Text(text.as_bytes()))
        }
        fn small(value: Option<u8>) -> ValueRef<'static> {
            value.map_or(ValueRef::Null, |number| ValueRef::Integer(i64::from(number)))
        }
        [
            text(Some(&self.nip)),
            text(self.pns_id.as_deref()),
            text(Some(&self.nama)),
            text(Some(&self.nama_lengkap)),
            text(self.jenis_asn),
            text(self.kedudukan_hukum_id.as_deref()),
            text(self.golongan_id.as_deref()),
            small(self.golongan_urutan),
            text(self.jenis_jabatan_id.as_deref()),
            text(self.jabatan_nama.as_deref()),
            text(self.eselon_id.as_deref()),
            text(self.tingkat_pendidikan_id.as_deref()),
            text(self.unor_id.as_deref()),
            text(self.unor_nama.as_deref()),
            text(self.unor_path.as_deref()),
            text(self.tgl_lahir.as_deref()),
            text(self.tmt_cpns.as_deref()),
            text(self.tmt_pensiun.as_deref()),
            small(self.bup),
            text(self.kp_pertama.as_deref()),
            text(self.kp_golongan_id.as_deref()),
            text(Some(self.kp_status)),
            ValueRef::Integer(self.ikd.len() as i64),
            text(self.kgb_awal.as_deref()),
            text(self.kgb_pertama.as_deref()),
            text(self.kgb_akhir.as_deref()),
            self.kgb_siklus.map_or(ValueRef::Null, ValueRef::Integer),
        ]
    }

    /// The values this row adds to `search_value`: (kind, value) for its jabatan and unor names.
    fn search_values(&self) -> [(&'static str, Option<&str>); 2] {
        [("jabatan", self.jabatan_nama.as_deref()), ("unor", self.unor_nama.as_deref())]
    }
}

/// Derives the projection of `pegawai` (date-independent facts only; see the module doc). The unor's name and
/// path come from the tree when it holds the unit (a renamed unit shows its current name), otherwise from the record.
pub fn derive_pegawai(pegawai: &Pegawai, unor: &UnorIndex) -> PegawaiProjection {
    let utama = &pegawai.data_utama;
    let eselon_of = |id: &str| unor.eselon(id).map(str::to_owned);
    let label = format!("nip {}", utama.nip);
    let facts = fakta::derive(pegawai, &label, date_independent(), &eselon_of);
    let (kp_pertama, kp_golongan_id) = match &facts.kp_reguler {
        KpReguler::Berikutnya { tmt, golongan_baru_id, .. } => (Some(tmt.to_string()), Some(golongan_baru_id.clone())),
        KpReguler::TidakBerlaku(_) => (None, None),
    };
    let unor_id = utama.unor_id.as_deref();
    let unor_path = unor_id.map(|id| unor.path(id).map_or_else(|| format!("/{id}/"), str::to_owned));
    let unor_nama = unor_id.and_then(|id| unor.nama(id)).map(str::to_owned).or_else(|| utama.unor_nama.clone());
    let kgb = kgb::jadwal(pegawai).ok();
    // Entries that do not read are already left out (`model::pengingat::baca_tindak_lanjut`).
    let tindak_lanjut = pegawai
        .tindak_lanjut
        .iter()
        .map(|(kunci, row)| {
            (kunci.clone(), row.status.kode(), row.catatan.clone(), row.oleh.clone(), row.waktu.clone())
        })
        .collect();
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
        unor_nama,
        unor_path,
        tgl_lahir: utama.tgl_lahir.map(|date| date.to_string()),
        tmt_cpns: utama.tmt_cpns.map(|date| date.to_string()),
        tmt_pensiun: facts.tmt_pensiun.map(|date| date.to_string()),
        bup: facts.bup.map(|bup| bup.usia),
        kp_pertama,
        kp_golongan_id,
        kp_status: facts.kp_reguler.status(),
        ikd: facts.ikd.into_iter().map(|temuan| (temuan.kode, temuan.penjelasan)).collect(),
        kgb_awal: kgb.map(|jadwal| jadwal.awal.to_string()),
        kgb_pertama: kgb.map(|jadwal| jadwal.pertama.to_string()),
        kgb_akhir: kgb.map(|jadwal| jadwal.akhir.to_string()),
        kgb_siklus: kgb.map(|jadwal| kgb_siklus(jadwal.pertama)),
        tindak_lanjut,
    }
}

/// The KGB cycle of a month (migration 0009): `(year % 2) * 12 + month - 1`, 0..23. A pegawai whose schedule
/// starts in a month with cycle `c` has a KGB in every month with cycle `c` after it (until the last).
pub fn kgb_siklus(bulan: NaiveDate) -> i64 {
    i64::from(bulan.year().rem_euclid(2)) * 12 + i64::from(bulan.month0())
}

/// Writes (replacing) the projections of the pegawai document at `rowid`. `fresh`: the document is new, so there
/// is nothing to remove first.
///
/// # Errors
/// SQLite errors.
pub fn write_pegawai(tx: &Transaction<'_>, rowid: i64, row: &PegawaiProjection, fresh: bool) -> Result<()> {
    if !fresh {
        remove(tx, rowid)?;
        // Projected again: no longer quarantined (repaired), so its identity lives in `pegawai` again.
        tx.prepare_cached("DELETE FROM pegawai_karantina WHERE document_rowid = ?1")?.execute([rowid])?;
    }
    insert_pegawai(tx, rowid, row, Names::Now)
}

/// Writes the projections of a NEW pegawai document during a bulk load (`store::import`): as
/// [`write_pegawai`], except that its name is left out of `pegawai_nama_fts`, where [`INDEX_UNINDEXED_NAMES`]
/// puts every name at the end of the load in one statement (at 250,000 pegawai: ~1.5 s, against several seconds
/// of the import's writer spent on the index row by row).
///
/// # Errors
/// SQLite errors.
pub(crate) fn write_bulk_pegawai(tx: &Transaction<'_>, rowid: i64, row: &PegawaiProjection) -> Result<()> {
    insert_pegawai(tx, rowid, row, Names::AtBulkLoadEnd)
}

/// Puts the name of every `pegawai` row that `pegawai_nama_fts` lacks into it: the end of a bulk load
/// ([`write_bulk_pegawai`]), also when it runs again after a load was killed (rows already there are skipped).
pub(crate) const INDEX_UNINDEXED_NAMES: &str = "INSERT INTO pegawai_nama_fts (rowid, nama) \
    SELECT document_rowid, nama_lengkap FROM pegawai WHERE document_rowid NOT IN (SELECT rowid FROM pegawai_nama_fts)";

/// When a new row's name enters `pegawai_nama_fts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    /// With the row, in the same transaction.
    Now,
    /// At the end of the bulk load ([`INDEX_UNINDEXED_NAMES`]).
    AtBulkLoadEnd,
}

/// Inserts the pegawai, search and IKD rows of `rowid` (none may exist).
fn insert_pegawai(tx: &Transaction<'_>, rowid: i64, row: &PegawaiProjection, names: Names) -> Result<()> {
    let values = std::iter::once(ValueRef::Integer(rowid)).chain(row.values()).map(ToSqlOutput::Borrowed);
    tx.prepare_cached(&INSERT_PEGAWAI)?.execute(params_from_iter(values))?;
    if names == Names::Now {
        tx.prepare_cached("INSERT INTO pegawai_nama_fts (rowid, nama) VALUES (?1, ?2)")?
            .execute(params![rowid, row.nama_lengkap])?;
    }
    for (kind, value) in row.search_values() {
        let Some(value) = value else { continue };
        // A value seen before (nearly always: a kabupaten has a few hundred jabatan and unor names) costs one
        // lookup in the unique index; a new one gets its words indexed.
        let inserted = tx
            .prepare_cached("INSERT INTO search_value (kind, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute(params![kind, value])?;
        if inserted == 1 {
            // `kind` is one of two constants: the FTS column of the value's kind.
            tx.prepare_cached(&format!("INSERT INTO search_value_fts (rowid, {kind}) VALUES (?1, ?2)"))?
                .execute(params![tx.last_insert_rowid(), value])?;
        }
    }
    let mut anomali =
        tx.prepare_cached("INSERT INTO ikd_anomali (document_rowid, kode, penjelasan) VALUES (?1, ?2, ?3)")?;
    for (kode, penjelasan) in &row.ikd {
        anomali.execute(params![rowid, kode, penjelasan])?;
    }
    if !row.tindak_lanjut.is_empty() {
        let mut tindak = tx.prepare_cached(
            "INSERT INTO tindak_lanjut (document_rowid, kunci, status, catatan, oleh, waktu) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (kunci, status, catatan, oleh, waktu) in &row.tindak_lanjut {
            tindak.execute(params![rowid, kunci, status, catatan, oleh, waktu])?;
        }
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

/// The conflicts `doc` holds as stored: (path, values as JSON), in document order.
fn conflict_rows(doc: &Document) -> Result<Vec<(String, String)>> {
    doc.conflicts()
        .into_iter()
        .map(|conflict| {
            let values = serde_json::to_string(&conflict.values).map_err(|error| Error::Shape(error.to_string()))?;
            Ok((conflict.path, values))
        })
        .collect()
}

/// Writes the conflicts `doc` holds (automerge `get_all` > 1), replacing the previous ones of `rowid`.
///
/// # Errors
/// SQLite errors.
pub fn project_conflicts(tx: &Transaction<'_>, rowid: i64, doc: &Document) -> Result<()> {
    write_conflicts(tx, rowid, &conflict_rows(doc)?, true)
}

fn write_conflicts(tx: &Transaction<'_>, rowid: i64, conflicts: &[(String, String)], replace: bool) -> Result<()> {
    if replace {
        tx.prepare_cached("DELETE FROM field_conflict WHERE document_rowid = ?1")?.execute([rowid])?;
    }
    let mut insert =
        tx.prepare_cached("INSERT INTO field_conflict (document_rowid, path, values_json) VALUES (?1, ?2, ?3)")?;
    for (path, values) in conflicts {
        insert.execute(params![rowid, path, values])?;
    }
    Ok(())
}

/// Removes every projection row of the document at `rowid`. When the document is quarantined (see
/// [`crate::document::quarantine`], which marks it first), its NIP and SI-ASN id are kept in `pegawai_karantina`.
///
/// # Errors
/// SQLite errors.
pub fn remove(tx: &Transaction<'_>, rowid: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO pegawai_karantina (document_rowid, nip, pns_id) \
         SELECT p.document_rowid, p.nip, p.pns_id FROM pegawai p JOIN document d ON d.rowid = p.document_rowid \
         WHERE p.document_rowid = ?1 AND d.quarantined IS NOT NULL",
    )?
    .execute([rowid])?;
    let existed = tx.prepare_cached("DELETE FROM pegawai WHERE document_rowid = ?1")?.execute([rowid])? > 0;
    if existed {
        tx.prepare_cached("DELETE FROM pegawai_nama_fts WHERE rowid = ?1")?.execute([rowid])?;
    }
    tx.prepare_cached("DELETE FROM ikd_anomali WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM tindak_lanjut WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM usulan WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM verifikasi_lapangan WHERE document_rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM field_conflict WHERE document_rowid = ?1")?.execute([rowid])?;
    Ok(())
}

/// Projects one loaded document of any kind.
///
/// # Errors
/// [`Error::Shape`] when the document does not hydrate into its record type; SQLite errors.
pub fn project(tx: &Transaction<'_>, rowid: i64, kind: Kind, doc: &Document) -> Result<()> {
    let unor = UnorIndex::load(tx)?;
    let rows = derive_value(kind, doc.hydrate(), &unor)?;
    write_derived(tx, rowid, &Derived { rows, conflicts: conflict_rows(doc)? }, Previous::Replace)
}

/// What one stored document projects to.
#[derive(Debug)]
struct Derived {
    /// Its list rows.
    rows: Rows,
    /// Its conflicts: (path, values as JSON).
    conflicts: Vec<(String, String)>,
}

/// The list rows of one document: at most one of them, by its kind.
#[derive(Debug, Default)]
struct Rows {
    /// The pegawai row, for a pegawai document.
    projection: Option<PegawaiProjection>,
    /// The usulan list row and the NIPs it names, for an usulan document.
    usulan: Option<UsulanProjection>,
    /// The visit's list row, for a verifikasi lapangan document.
    kunjungan: Option<KunjunganRow>,
}

/// Derives the projections of one stored document: a seed's JSON is read as it is (a seed has one change, so no
/// conflicts), anything else is loaded and hydrated.
fn derive_stored(stored: &StoredBytes, unor: &UnorIndex) -> Result<Derived> {
    let corrupt = |reason: String| Error::CorruptDocument { id: stored.id.to_string(), reason };
    let (value, conflicts) = match &stored.seed {
        Some(seed) => (Seed::decode(seed).map_err(corrupt)?.value, Vec::new()),
        None => {
            let doc = stored.document().map_err(corrupt)?;
            (doc.hydrate(), conflict_rows(&doc)?)
        }
    };
    let rows = derive_value(stored.kind, value, unor)?;
    Ok(Derived { rows, conflicts })
}

/// The list rows a hydrated document of `kind` derives to.
///
/// # Errors
/// [`Error::Shape`] when `value` is not a record of its kind.
fn derive_value(kind: Kind, value: Value, unor: &UnorIndex) -> Result<Rows> {
    let shape = |error: serde_json::Error| Error::Shape(error.to_string());
    Ok(match kind {
        Kind::Pegawai => {
            let pegawai: Pegawai = serde_json::from_value(value).map_err(shape)?;
            Rows { projection: Some(derive_pegawai(&pegawai, unor)), ..Rows::default() }
        }
        Kind::Usulan => {
            let usulan: Usulan = serde_json::from_value(value).map_err(shape)?;
            Rows { usulan: Some(UsulanProjection::of(&usulan)), ..Rows::default() }
        }
        Kind::VerifikasiLapangan => {
            let visit: VerifikasiLapangan = serde_json::from_value(value).map_err(shape)?;
            Rows { kunjungan: Some(KunjunganRow::derive(&visit)), ..Rows::default() }
        }
    })
}

/// The `verifikasi_lapangan` list row of one visit document (migration 0008). Everything comes from the document
/// alone, so a rebuild gives the same row; the pegawai's name and unor are joined at query time
/// ([`crate::verifikasi`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KunjunganRow {
    /// NIP of the pegawai visited.
    pub nip: String,
    /// The outcome, snake_case as in the document (`ditemukan`, `tidak_ditemukan`, `meninggal`, `pindah`,
    /// `lainnya`).
    pub hasil: String,
    /// The officer's notes.
    pub catatan: Option<String>,
    /// NIP of the officer.
    pub petugas: String,
    /// Time of the visit (the document's RFC 3339 `waktu`), unix milliseconds; 0 when it does not read.
    pub waktu_ms: i64,
    /// How many photos the visit holds.
    pub jumlah_foto: i64,
}

/// The `verifikasi_lapangan` columns [`KunjunganRow::read`] reads, in its order (`v.` is the table's alias).
pub(crate) const KUNJUNGAN_COLUMNS: &str = "v.nip, v.hasil, v.catatan, v.petugas, v.waktu_ms, v.jumlah_foto";

impl KunjunganRow {
    /// Reads [`KUNJUNGAN_COLUMNS`] starting at column `at` of `row`.
    pub(crate) fn read(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<KunjunganRow> {
        Ok(KunjunganRow {
            nip: row.get(at)?,
            hasil: row.get(at + 1)?,
            catatan: row.get(at + 2)?,
            petugas: row.get(at + 3)?,
            waktu_ms: row.get(at + 4)?,
            jumlah_foto: row.get(at + 5)?,
        })
    }

    /// The row of `visit`.
    pub fn derive(visit: &VerifikasiLapangan) -> KunjunganRow {
        let hasil = match serde_json::to_value(visit.hasil) {
            Ok(Value::String(text)) => text,
            _ => String::new(),
        };
        KunjunganRow {
            nip: visit.nip.to_string(),
            hasil,
            catatan: visit.catatan.clone(),
            petugas: visit.petugas.to_string(),
            waktu_ms: chrono::DateTime::parse_from_rfc3339(&visit.waktu).map_or(0, |time| time.timestamp_millis()),
            jumlah_foto: visit.foto.len() as i64,
        }
    }
}

/// Writes (replacing) the visit list row of `rowid`.
fn write_kunjungan(tx: &Transaction<'_>, rowid: i64, row: &KunjunganRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO verifikasi_lapangan (document_rowid, nip, hasil, catatan, petugas, waktu_ms, \
         jumlah_foto) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![rowid, row.nip, row.hasil, row.catatan, row.petugas, row.waktu_ms, row.jumlah_foto])?;
    Ok(())
}

/// The `usulan` list row of one usulan document (migration 0007), and the NIPs it names (`usulan_pegawai`).
///
/// `status`, `konflik` and `jumlah_bts` come from the workflow's fold ([`model::usulan::alur::keadaan`]); the
/// times are the earliest and the latest `waktu` (RFC 3339) of [`Usulan::riwayat_status`] in unix milliseconds, 0
/// when no event's time reads. Everything comes from the document alone, so a rebuild gives the same row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UsulanRow {
    /// Jenis usulan, snake_case as in the document (`kenaikan_pangkat`, `peremajaan_data`, …).
    pub jenis: String,
    /// Sub jenis reference id.
    pub sub_jenis: Option<String>,
    /// The fold's status code ([`model::usulan::alur::StatusUsulan::kode`]: `draft`, `diajukan`, …, `konflik`,
    /// `campuran`).
    pub status: String,
    /// Two decisions made without seeing each other disagree (the fold's [`Keadaan::konflik`] is not empty).
    ///
    /// [`Keadaan::konflik`]: model::usulan::alur::Keadaan::konflik
    pub konflik: bool,
    /// How many BTS the usulan has had (SIASN's BTS counter).
    pub jumlah_bts: i64,
    /// NIP of the first pegawai (a kolektif usulan has more; every one is in `usulan_pegawai`).
    pub nip: Option<String>,
    /// Nama of the first pegawai, as the usulan recorded it.
    pub nama: Option<String>,
    /// How many pegawai the usulan concerns (more than one: kolektif).
    pub jumlah_pegawai: i64,
    /// Time of the earliest event (normally `dibuat`), unix milliseconds (0: unknown).
    pub dibuat_at: i64,
    /// Time of the latest event, unix milliseconds (0: unknown).
    pub updated_at: i64,
}

/// The `usulan` columns [`UsulanRow::read`] reads, in its order (`u.` is the table's alias).
pub(crate) const USULAN_COLUMNS: &str = "u.jenis, u.sub_jenis, u.status, u.konflik, u.jumlah_bts, u.nip, u.nama, \
    u.jumlah_pegawai, u.dibuat_at, u.updated_at";

impl UsulanRow {
    /// Reads [`USULAN_COLUMNS`] starting at column `at` of `row`.
    pub(crate) fn read(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<UsulanRow> {
        Ok(UsulanRow {
            jenis: row.get(at)?,
            sub_jenis: row.get(at + 1)?,
            status: row.get(at + 2)?,
            konflik: row.get(at + 3)?,
            jumlah_bts: row.get(at + 4)?,
            nip: row.get(at + 5)?,
            nama: row.get(at + 6)?,
            jumlah_pegawai: row.get(at + 7)?,
            dibuat_at: row.get(at + 8)?,
            updated_at: row.get(at + 9)?,
        })
    }

    /// The row of `usulan`.
    pub fn derive(usulan: &Usulan) -> UsulanRow {
        let keadaan = alur::keadaan(usulan);
        let jenis = match serde_json::to_value(usulan.jenis) {
            Ok(Value::String(text)) => text,
            _ => String::new(),
        };
        let times: Vec<i64> = usulan
            .riwayat_status
            .iter()
            .filter_map(|event| chrono::DateTime::parse_from_rfc3339(&event.waktu).ok())
            .map(|time| time.timestamp_millis())
            .collect();
        UsulanRow {
            jenis,
            sub_jenis: usulan.sub_jenis.clone(),
            status: keadaan.status.kode().to_owned(),
            konflik: !keadaan.konflik.is_empty(),
            jumlah_bts: i64::from(keadaan.jumlah_bts),
            nip: usulan.pegawai.first().map(|pegawai| pegawai.nip.to_string()),
            nama: usulan.pegawai.first().map(|pegawai| pegawai.nama.clone()),
            jumlah_pegawai: usulan.pegawai.len() as i64,
            dibuat_at: times.iter().copied().min().unwrap_or(0),
            updated_at: times.iter().copied().max().unwrap_or(0),
        }
    }

    /// Every NIP `usulan` names (its `usulan_pegawai` rows): sorted, each once.
    pub fn nip_pegawai(usulan: &Usulan) -> Vec<String> {
        let mut nips: Vec<String> = usulan.pegawai.iter().map(|pegawai| pegawai.nip.to_string()).collect();
        nips.sort_unstable();
        nips.dedup();
        nips
    }
}

/// What one usulan document projects to: its list row and the NIPs it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UsulanProjection {
    row: UsulanRow,
    /// [`UsulanRow::nip_pegawai`].
    nips: Vec<String>,
}

impl UsulanProjection {
    fn of(usulan: &Usulan) -> UsulanProjection {
        UsulanProjection { row: UsulanRow::derive(usulan), nips: UsulanRow::nip_pegawai(usulan) }
    }
}

/// Writes (replacing) the usulan list row of `rowid` and its `usulan_pegawai` rows.
fn write_usulan(tx: &Transaction<'_>, rowid: i64, usulan: &UsulanProjection) -> Result<()> {
    // Deleting the row first (its `usulan_pegawai` rows go with it, ON DELETE CASCADE) rather than INSERT OR
    // REPLACE: a REPLACE does not run the cascade unless recursive triggers are on.
    tx.prepare_cached("DELETE FROM usulan WHERE document_rowid = ?1")?.execute([rowid])?;
    let row = &usulan.row;
    tx.prepare_cached(
        "INSERT INTO usulan (document_rowid, jenis, sub_jenis, status, konflik, jumlah_bts, nip, nama, \
         jumlah_pegawai, dibuat_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        rowid,
        row.jenis,
        row.sub_jenis,
        row.status,
        row.konflik,
        row.jumlah_bts,
        row.nip,
        row.nama,
        row.jumlah_pegawai,
        row.dibuat_at,
        row.updated_at
    ])?;
    let mut insert = tx.prepare_cached("INSERT INTO usulan_pegawai (usulan_rowid, nip) VALUES (?1, ?2)")?;
    for nip in &usulan.nips {
        insert.execute(params![rowid, nip])?;
    }
    Ok(())
}

/// Below this many documents, deriving on other threads costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// [`derive_stored`] for each of `stored`, in order, on every core.
fn derive_each(stored: &[StoredBytes], unor: &UnorIndex) -> Result<Vec<Result<Derived>>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers < 2 || stored.len() < PARALLEL_FROM {
        return Ok(stored.iter().map(|one| derive_stored(one, unor)).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = stored
            .chunks(stored.len().div_ceil(workers))
            .map(|part| scope.spawn(move || part.iter().map(|one| derive_stored(one, unor)).collect::<Vec<_>>()))
            .collect();
        let mut derived = Vec::with_capacity(stored.len());
        for handle in handles {
            derived.extend(handle.join().map_err(|_| Error::Shape("deriving projections panicked".into()))?);
        }
        Ok(derived)
    })
}

/// What the projection tables of a document hold before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Previous {
    /// Anything: every projection row of the document is removed first.
    Replace,
    /// A rebuild cleared the search indexes, IKD and conflicts; only the `pegawai` row may remain.
    Cleared,
}

fn write_derived(tx: &Transaction<'_>, rowid: i64, derived: &Derived, previous: Previous) -> Result<()> {
    match previous {
        Previous::Replace => match &derived.rows.projection {
            Some(row) => write_pegawai(tx, rowid, row, false)?,
            None => remove(tx, rowid)?,
        },
        Previous::Cleared => {
            tx.prepare_cached("DELETE FROM pegawai WHERE document_rowid = ?1")?.execute([rowid])?;
            tx.prepare_cached("DELETE FROM pegawai_karantina WHERE document_rowid = ?1")?.execute([rowid])?;
            if let Some(row) = &derived.rows.projection {
                insert_pegawai(tx, rowid, row, Names::Now)?;
            }
        }
    }
    if let Some(row) = &derived.rows.usulan {
        write_usulan(tx, rowid, row)?;
    }
    if let Some(row) = &derived.rows.kunjungan {
        write_kunjungan(tx, rowid, row)?;
    }
    write_conflicts(tx, rowid, &derived.conflicts, previous == Previous::Replace)
}

/// What [`rebuild_projections`] or [`reproject`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Documents projected.
    pub documents: usize,
    /// Documents quarantined because their bytes or shape were unreadable: (document row id, reason).
    pub quarantined: Vec<(String, String)>,
}

/// Re-derives the documents at `rowids` from their stored bytes in chunks of `batch` (derived on every core) and
/// writes them; unreadable ones are quarantined. `progress(done)` after each chunk.
fn reproject_rowids(
    tx: &Transaction<'_>,
    rowids: &[i64],
    unor: &UnorIndex,
    previous: Previous,
    batch: usize,
    rebuilt: &mut Rebuilt,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    for part in rowids.chunks(batch.max(1)) {
        let mut stored = Vec::with_capacity(part.len());
        for &rowid in part {
            match document::read_bytes(tx, rowid) {
                Ok(bytes) => stored.push(bytes),
                Err(Error::NotFound(_)) => {} // quarantined: it has no projections to derive
                Err(error) => return Err(error),
            }
        }
        for (bytes, derived) in stored.iter().zip(derive_each(&stored, unor)?) {
            match derived {
                Ok(derived) => {
                    write_derived(tx, bytes.rowid, &derived, previous)?;
                    rebuilt.documents += 1;
                }
                Err(error @ (Error::CorruptDocument { .. } | Error::Shape(_))) => {
                    let reason = error.to_string();
                    document::quarantine(tx, bytes.rowid, &reason)?;
                    rebuilt.quarantined.push((bytes.rowid.to_string(), reason));
                }
                Err(error) => return Err(error),
            }
        }
        progress(rebuilt.documents + rebuilt.quarantined.len());
    }
    Ok(())
}

/// The FTS5 tables of the projections.
pub(crate) const SEARCH_INDEXES: [&str; 2] = ["pegawai_nama_fts", "search_value_fts"];

/// Documents re-derived per chunk by [`reproject`] and [`verify`].
const CHUNK: usize = 1_000;

/// Re-derives the projections of the documents at `rowids` from their stored bytes, in the caller's transaction
/// (quarantined documents are skipped; documents that turn out unreadable are quarantined and listed).
///
/// # Errors
/// SQLite errors.
pub fn reproject(tx: &Transaction<'_>, rowids: &[i64]) -> Result<Rebuilt> {
    let unor = UnorIndex::load(tx)?;
    let mut rebuilt = Rebuilt::default();
    reproject_rowids(tx, rowids, &unor, Previous::Replace, CHUNK, &mut rebuilt, &mut |_| {})?;
    Ok(rebuilt)
}

/// After the unor tree in `tx` was replaced: re-derives, from their documents, the pegawai whose unor's path,
/// name or eselon differ from `before` (the tree as it was), in the caller's transaction. Pegawai of unchanged
/// units are not touched.
///
/// # Errors
/// SQLite errors.
pub fn reproject_changed_units(tx: &Transaction<'_>, before: &UnorIndex) -> Result<Rebuilt> {
    let changed = before.changed_units(&UnorIndex::load(tx)?);
    if changed.is_empty() {
        return Ok(Rebuilt::default());
    }
    let mut rowids = Vec::new();
    let mut statement =
        tx.prepare_cached("SELECT document_rowid, unor_id FROM pegawai WHERE unor_id IS NOT NULL ORDER BY 1")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        if changed.contains(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?) {
            rowids.push(row.get(0)?);
        }
    }
    reproject(tx, &rowids)
}

/// Rebuilds every projection from the documents alone, in ONE write transaction: readers keep seeing the
/// previous, complete lists until it commits (WAL), never an empty or half-built one. Documents are read and
/// derived in chunks of `batch` (on every core); `progress(done)` is called after each chunk, inside the
/// transaction. The identities of quarantined pegawai (`pegawai_karantina`) are kept: their documents cannot be
/// derived.
///
/// # Errors
/// SQLite errors (the transaction rolls back: the previous projections stay). Unreadable documents are quarantined
/// and listed, not errors.
pub fn rebuild_projections(replica: &crate::Replica, batch: usize, progress: &mut dyn FnMut(usize)) -> Result<Rebuilt> {
    replica.write(|tx| {
        // `pegawai` rows are replaced one by one below (a document found unreadable still has its row then, so
        // quarantine keeps its identity); the other tables are emptied here.
        tx.execute_batch(
            "DELETE FROM pegawai_nama_fts; DELETE FROM search_value_fts; DELETE FROM search_value; \
             DELETE FROM ikd_anomali; DELETE FROM tindak_lanjut; \
             DELETE FROM usulan_pegawai; DELETE FROM usulan; DELETE FROM verifikasi_lapangan; \
             DELETE FROM field_conflict;",
        )?;
        let rowids: Vec<i64> = tx
            .prepare("SELECT rowid FROM document WHERE quarantined IS NULL ORDER BY rowid")?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let unor = UnorIndex::load(tx)?;
        let mut rebuilt = Rebuilt::default();
        reproject_rowids(tx, &rowids, &unor, Previous::Cleared, batch, &mut rebuilt, progress)?;
        tx.execute(
            "DELETE FROM pegawai WHERE document_rowid NOT IN \
             (SELECT rowid FROM document WHERE kind = 'pegawai' AND quarantined IS NULL)",
            [],
        )?;
        // Every row is derived again: a reprojection a migration asked for is done.
        tx.execute("DELETE FROM meta WHERE key = ?1", [crate::REPROJECT_MARK])?;
        Ok(rebuilt)
    })
}

/// A document whose stored projections differ from what it derives to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The document's row id.
    pub document_rowid: i64,
    /// The NIP it derives to (an usulan: its first pegawai's; empty when none), or, for a row without a live
    /// document of its kind, the NIP the row holds.
    pub nip: String,
    /// What differs: a `pegawai` column name (`unor_nama`, `tmt_pensiun`, …); `pegawai` when the row is missing;
    /// `pegawai_nama_fts.nama` when the index of names lacks the name's words; `search_value.jabatan` or
    /// `search_value.unor` when the search values lack that name or its words; `ikd_anomali`; `tindak_lanjut`; `field_conflict`;
    /// `usulan` when the usulan list row is missing or differs; `usulan_pegawai` when the NIPs listed for an usulan
    /// differ from those it names; `verifikasi_lapangan` when a visit's list row is missing or differs; `dokumen`
    /// for a pegawai, usulan or visit list row whose document is quarantined or of another kind.
    pub fields: Vec<String>,
}

/// What [`verify`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    /// Documents that loaded and derived.
    pub documents: i64,
    /// Documents that did not load or derive: (row id, reason). The caller quarantines them.
    pub unreadable: Vec<(i64, String)>,
    /// Documents whose projections differ, in row id order.
    pub mismatches: Vec<Mismatch>,
}

/// Re-derives every document that is not quarantined and compares the result with the stored `pegawai` row
/// (every column), its search words (name, jabatan and unor), `ikd_anomali`, `tindak_lanjut` and `field_conflict` rows, an
/// usulan's `usulan` row and `usulan_pegawai` NIPs, and a visit's `verifikasi_lapangan` row; also lists `pegawai`,
/// `usulan` and `verifikasi_lapangan` rows without a live document of their kind. Run it inside one read transaction so that concurrent writes do not show up as differences.
/// Nothing is written.
///
/// # Errors
/// SQLite errors.
pub fn verify(conn: &Connection) -> Result<Verified> {
    let unor = UnorIndex::load(conn)?;
    let rowids: Vec<i64> = conn
        .prepare("SELECT rowid FROM document WHERE quarantined IS NULL ORDER BY rowid")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut verified = Verified::default();
    for part in rowids.chunks(CHUNK) {
        let stored: Vec<StoredBytes> =
            part.iter().map(|&rowid| document::read_bytes(conn, rowid)).collect::<Result<_>>()?;
        for (bytes, derived) in stored.iter().zip(derive_each(&stored, &unor)?) {
            let derived = match derived {
                Ok(derived) => derived,
                Err(error @ (Error::CorruptDocument { .. } | Error::Shape(_))) => {
                    verified.unreadable.push((bytes.rowid, error.to_string()));
                    continue;
                }
                Err(error) => return Err(error),
            };
            verified.documents += 1;
            let fields = differences(conn, bytes.rowid, &derived)?;
            if !fields.is_empty() {
                let rows = &derived.rows;
                let nip = match (&rows.projection, &rows.usulan, &rows.kunjungan) {
                    (Some(row), _, _) => row.nip.clone(),
                    (None, Some(usulan), _) => usulan.row.nip.clone().unwrap_or_default(),
                    (None, None, Some(kunjungan)) => kunjungan.nip.clone(),
                    (None, None, None) => String::new(),
                };
                verified.mismatches.push(Mismatch { document_rowid: bytes.rowid, nip, fields });
            }
        }
    }
    let mut statement = conn.prepare(
        "SELECT p.document_rowid, p.nip FROM pegawai p JOIN document d ON d.rowid = p.document_rowid \
         WHERE d.kind <> 'pegawai' OR d.quarantined IS NOT NULL \
         UNION ALL SELECT u.document_rowid, coalesce(u.nip, '') FROM usulan u \
         JOIN document d ON d.rowid = u.document_rowid WHERE d.kind <> 'usulan' OR d.quarantined IS NOT NULL \
         UNION ALL SELECT v.document_rowid, v.nip FROM verifikasi_lapangan v \
         JOIN document d ON d.rowid = v.document_rowid \
         WHERE d.kind <> 'verifikasi_lapangan' OR d.quarantined IS NOT NULL \
         ORDER BY 1",
    )?;
    let orphans = statement.query_map([], |row| {
        Ok(Mismatch { document_rowid: row.get(0)?, nip: row.get(1)?, fields: vec!["dokumen".into()] })
    })?;
    for orphan in orphans {
        verified.mismatches.push(orphan?);
    }
    verified.mismatches.sort_by_key(|mismatch| mismatch.document_rowid);
    Ok(verified)
}

/// The projection fields of `rowid` that differ from `derived` (see [`Mismatch::fields`]).
fn differences(conn: &Connection, rowid: i64, derived: &Derived) -> Result<Vec<String>> {
    let mut fields = Vec::new();
    if let Some(expected) = &derived.rows.projection {
        let mut statement = conn.prepare_cached(&SELECT_PEGAWAI)?;
        let mut rows = statement.query([rowid])?;
        match rows.next()? {
            None => fields.push("pegawai".to_owned()),
            Some(row) => {
                for (at, (column, value)) in PEGAWAI_COLUMNS.iter().zip(expected.values()).enumerate() {
                    if row.get_ref(at)? != value {
                        fields.push((*column).to_owned());
                    }
                }
            }
        }
        fields.extend(search_differences(conn, rowid, expected)?);
        let mut expected_ikd: Vec<(&str, &str)> =
            expected.ikd.iter().map(|(kode, penjelasan)| (*kode, penjelasan.as_str())).collect();
        expected_ikd.sort_unstable();
        let stored: Vec<(String, String)> = conn
            .prepare_cached("SELECT kode, penjelasan FROM ikd_anomali WHERE document_rowid = ?1 ORDER BY kode")?
            .query_map([rowid], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        if !stored.iter().map(|(kode, penjelasan)| (kode.as_str(), penjelasan.as_str())).eq(expected_ikd) {
            fields.push("ikd_anomali".to_owned());
        }
        let stored: Vec<(String, String, Option<String>, String, String)> = conn
            .prepare_cached(
                "SELECT kunci, status, catatan, oleh, waktu FROM tindak_lanjut WHERE document_rowid = ?1 ORDER BY kunci",
            )?
            .query_map([rowid], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))?
            .collect::<Result<_, _>>()?;
        let same = stored
            .iter()
            .map(|(k, s, c, o, w)| (k.as_str(), s.as_str(), c.as_deref(), o.as_str(), w.as_str()))
            .eq(expected
                .tindak_lanjut
                .iter()
                .map(|(k, s, c, o, w)| (k.as_str(), *s, c.as_deref(), o.as_str(), w.as_str())));
        if !same {
            fields.push("tindak_lanjut".to_owned());
        }
    }
    if let Some(expected) = &derived.rows.kunjungan {
        let stored = conn
            .prepare_cached(&format!(
                "SELECT {KUNJUNGAN_COLUMNS} FROM verifikasi_lapangan v WHERE v.document_rowid = ?1"
            ))?
            .query_row([rowid], |row| KunjunganRow::read(row, 0))
            .optional()?;
        if stored.as_ref() != Some(expected) {
            fields.push("verifikasi_lapangan".to_owned());
        }
    }
    if let Some(expected) = &derived.rows.usulan {
        let stored = conn
            .prepare_cached(&format!("SELECT {USULAN_COLUMNS} FROM usulan u WHERE u.document_rowid = ?1"))?
            .query_row([rowid], |row| UsulanRow::read(row, 0))
            .optional()?;
        if stored.as_ref() != Some(&expected.row) {
            fields.push("usulan".to_owned());
        }
        let nips: Vec<String> = conn
            .prepare_cached("SELECT nip FROM usulan_pegawai WHERE usulan_rowid = ?1 ORDER BY nip")?
            .query_map([rowid], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if nips != expected.nips {
            fields.push("usulan_pegawai".to_owned());
        }
    }
    let mut expected_conflicts: Vec<&(String, String)> = derived.conflicts.iter().collect();
    expected_conflicts.sort_unstable();
    let stored: Vec<(String, String)> = conn
        .prepare_cached("SELECT path, values_json FROM field_conflict WHERE document_rowid = ?1 ORDER BY path")?
        .query_map([rowid], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if !stored.iter().eq(expected_conflicts) {
        fields.push("field_conflict".to_owned());
    }
    Ok(fields)
}

/// The search words of `rowid` that are missing (see [`Mismatch::fields`]): its name must match
/// `pegawai_nama_fts` as a phrase at its row id, and its jabatan and unor names must be `search_value` rows whose
/// words `search_value_fts` holds (same tokenizer, so case and diacritics fold the same way). A contentless index
/// cannot be read back, so extra words are not detected.
fn search_differences(conn: &Connection, rowid: i64, expected: &PegawaiProjection) -> Result<Vec<String>> {
    let phrase =
        |text: &str| text.chars().any(char::is_alphanumeric).then(|| format!("\"{}\"", text.replace('"', "\"\"")));
    let mut fields = Vec::new();
    if let Some(nama) = phrase(&expected.nama_lengkap) {
        let mut names = conn
            .prepare_cached("SELECT count(*) FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH ?1 AND rowid = ?2")?;
        if names.query_row(params![nama, rowid], |row| row.get::<_, i64>(0))? == 0 {
            fields.push("pegawai_nama_fts.nama".to_owned());
        }
    }
    for (kind, value) in expected.search_values() {
        let Some(value) = value else { continue };
        // Two statements, not `?3 IS NULL OR …`: a parameter-dependent condition is re-prepared on every call.
        let found = match phrase(value).map(|words| format!("{kind} : {words}")) {
            Some(words) => conn
                .prepare_cached(
                    "SELECT count(*) FROM search_value WHERE kind = ?1 AND value = ?2 \
                     AND id IN (SELECT rowid FROM search_value_fts WHERE search_value_fts MATCH ?3)",
                )?
                .query_row(params![kind, value, words], |row| row.get::<_, i64>(0))?,
            None => conn
                .prepare_cached("SELECT count(*) FROM search_value WHERE kind = ?1 AND value = ?2")?
                .query_row(params![kind, value], |row| row.get::<_, i64>(0))?,
        };
        if found == 0 {
            fields.push(format!("search_value.{kind}"));
        }
    }
    Ok(fields)
}

/// Reads the projection counts, for consistency checks: (pegawai rows, FTS rows, pegawai documents not quarantined).
///
/// # Errors
/// SQLite errors.
pub fn counts(conn: &Connection) -> Result<(i64, i64, i64)> {
    let pegawai: i64 = conn.query_row("SELECT count(*) FROM pegawai", [], |row| row.get(0))?;
    let fts: i64 = conn.query_row("SELECT count(*) FROM pegawai_nama_fts", [], |row| row.get(0))?;
    let documents: i64 =
        conn.query_row("SELECT count(*) FROM document WHERE kind = 'pegawai' AND quarantined IS NULL", [], |row| {
            row.get(0)
        })?;
    Ok((pegawai, fts, documents))
}

/// Calls `each(document rowid, nip)` for EVERY pegawai a search for `text` finds, without the caps of the
/// interactive [`crate::query::search`] (for exports such as `pegawai search --json`), in its order: a NIP or NIP
/// prefix first (NIP order; a query of 8 digits or more is a NIP and nothing else), then rows whose name has every
/// word as a prefix, then rows with the words in NIP, jabatan or unor; each group in nama order, each row once.
/// Rows are streamed: `each` may read through `conn` (e.g. load the document). Returns how many rows were passed.
///
/// # Errors
/// SQLite errors, or what `each` returns (which stops the search).
pub fn search_all<E: From<Error>>(
    conn: &Connection,
    text: &str,
    mut each: impl FnMut(i64, &str) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    let text = text.trim();
    let mut seen: HashSet<i64> = HashSet::new();
    let mut emit = |rows: &mut rusqlite::Rows<'_>, seen: &mut HashSet<i64>| -> std::result::Result<(), E> {
        while let Some(row) = rows.next().map_err(Error::from)? {
            let rowid: i64 = row.get(0).map_err(Error::from)?;
            if seen.insert(rowid) {
                each(rowid, row.get_ref(1).and_then(|nip| Ok(nip.as_str()?)).map_err(Error::from)?)?;
            }
        }
        Ok(())
    };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() == text.chars().filter(|c| !c.is_whitespace()).count() {
        let upper = format!("{digits}:"); // ':' sorts right after '9'
        let mut statement = conn
            .prepare_cached(
                "SELECT document_rowid, nip FROM pegawai WHERE nip >= ?1 AND nip < ?2 \
                 ORDER BY nip <> ?1, nip, document_rowid",
            )
            .map_err(Error::from)?;
        emit(&mut statement.query(params![digits, upper]).map_err(Error::from)?, &mut seen)?;
        if digits.len() >= 8 {
            return Ok(seen.len());
        }
    }
    let words = crate::query::search_words(text);
    if words.is_empty() {
        return Ok(seen.len());
    }
    let mut names = conn
        .prepare_cached(
            "SELECT p.document_rowid, p.nip FROM (SELECT rowid FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH ?1) \
             AS hit CROSS JOIN pegawai p ON p.document_rowid = hit.rowid ORDER BY p.nama, p.document_rowid",
        )
        .map_err(Error::from)?;
    let fts = crate::query::fts_words(&words, crate::query::Form::Prefix);
    emit(&mut names.query([&fts]).map_err(Error::from)?, &mut seen)?;
    let (candidates, params) = crate::query::any_column(conn, &words, crate::query::Form::Prefix)?;
    let mut statement = conn
        .prepare_cached(&format!(
            "SELECT p.document_rowid, p.nip FROM ({candidates}) AS hit \
             CROSS JOIN pegawai p ON p.document_rowid = hit.r ORDER BY p.nama, p.document_rowid"
        ))
        .map_err(Error::from)?;
    emit(&mut statement.query(params_from_iter(params)).map_err(Error::from)?, &mut seen)?;
    Ok(seen.len())
}

/// The pegawai document a record with `nip` (and SI-ASN id `pns_id`, when known) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PegawaiMatch {
    /// The document's row id.
    pub document_rowid: i64,
    /// The document is quarantined: it cannot be read or changed until it is repaired from the hub.
    pub quarantined: bool,
}

/// Finds the pegawai document of `nip`, quarantined ones included: same NIP, and the same SI-ASN id when both the
/// record and the document have one (two people sharing a NIP stay two documents). The oldest document wins.
///
/// # Errors
/// SQLite errors.
pub fn find_pegawai(conn: &Connection, nip: &str, pns_id: Option<&str>) -> Result<Option<PegawaiMatch>> {
    // The SI-ASN id is compared here, not in SQL: a parameter-dependent condition (`?2 IS NULL OR …`) makes SQLite
    // re-prepare the statement on every call (it is on the import's per-row path).
    let mut statement = conn.prepare_cached(
        "SELECT document_rowid, pns_id, 0 FROM pegawai WHERE nip = ?1 \
         UNION ALL SELECT document_rowid, pns_id, 1 FROM pegawai_karantina WHERE nip = ?1",
    )?;
    let mut rows = statement.query([nip])?;
    let mut found: Option<PegawaiMatch> = None;
    while let Some(row) = rows.next()? {
        let document_pns_id: Option<String> = row.get(1)?;
        let same_person = match (pns_id, document_pns_id.as_deref()) {
            (Some(wanted), Some(held)) => wanted == held,
            _ => true,
        };
        let candidate = PegawaiMatch { document_rowid: row.get(0)?, quarantined: row.get(2)? };
        if same_person && found.is_none_or(|best| candidate.document_rowid < best.document_rowid) {
            found = Some(candidate);
        }
    }
    Ok(found)
}

/// Every NIP the replica holds a pegawai document for, quarantined ones included.
///
/// # Errors
/// SQLite errors.
pub fn known_nips(conn: &Connection) -> Result<HashSet<String>> {
    let mut statement = conn.prepare("SELECT nip FROM pegawai UNION SELECT nip FROM pegawai_karantina")?;
    let nips = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(nips)
}
