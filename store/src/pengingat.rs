//! The queries behind the Pengingat screen: the pegawai whose KP reguler, TMT pensiun (BUP) or KGB falls due within
//! a horizon, each with the follow-up recorded on it (`tindak_lanjut`, migration 0009), in pages; and the counts per
//! follow-up state.
//!
//! Every reminder has a *key date* (the date it fell due: what [`model::pengingat::kunci`] is made of, so a
//! follow-up stays attached while the facts do not change) and a *target date* (what the list shows and sorts by):
//!
//! | jenis | listed when | key date | target date |
//! |---|---|---|---|
//! | `kp`  | `kp_pertama` ≤ horizon, KP status not "tidak memenuhi", not retired by the target | `kp_pertama` (the first KP period after 4 years in pangkat) | that period, or the next KP period from today when it passed |
//! | `bup` | kedudukan aktif (or unrecorded), TMT pensiun ≤ horizon (past ones included) | TMT pensiun | TMT pensiun |
//! | `kgb` | a KGB in a month from [`KGB_LALU_BULAN`] months ago to the horizon's (`kgb_siklus`), before TMT pensiun | the KGB's TMT | the KGB's TMT |
//!
//! The state is `ditangani` / `tidak_perlu` when a follow-up is recorded under the key, else `kedaluwarsa` when the
//! key date is before today, else `aktif` ([`model::pengingat::StatusPengingat::dari`]). A KP that stays
//! unhandled past its first period is therefore `kedaluwarsa` while it keeps showing at the next period; a KP made
//! moves `kp_pertama` 4 years on, so the next reminder has a new key.
//!
//! Pages use keyset pagination on (target date, nama, row id). Nothing here writes: follow-ups are recorded by
//! editing the pegawai document (`store::edit`), which projects them.

use chrono::{Datelike, Months, NaiveDate};
use model::pengingat::{JenisPengingat, StatusPengingat, StatusTindakLanjut, TindakLanjut};
use model::referensi::referensi;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::projection::kgb_siklus;

/// The longest horizon, in months.
pub const MAX_BULAN: u32 = 23;

/// How many months back the KGB list reaches: a KGB of the last months nobody handled stays listed (kedaluwarsa)
/// instead of leaving the list on the 1st of the next month. KP and BUP list every past one still due.
pub const KGB_LALU_BULAN: u32 = 3;

/// Filters of a reminder list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterPengingat {
    /// Which reminders.
    pub jenis: JenisPengingat,
    /// Today (the lists depend on it; the replica stores only date-independent facts).
    pub hari_ini: NaiveDate,
    /// The horizon in months from today, 1..=[`MAX_BULAN`] (clamped).
    pub bulan: u32,
    /// Only this state. [`jumlah_per_status`] ignores it.
    pub status: Option<StatusPengingat>,
    /// Only pegawai in this unor or below it (the unor tree's path prefix, as the pegawai list filters).
    pub unor: Option<String>,
    /// Start after this row (the [`KursorPengingat`] of the last row of the previous page). [`jumlah_per_status`]
    /// ignores it.
    pub setelah: Option<KursorPengingat>,
    /// At most this many rows. [`jumlah_per_status`] ignores it.
    pub limit: usize,
}

/// Where the next page starts: after this (target date, nama, row id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KursorPengingat {
    /// [`PengingatBaris::tanggal`] of the last row shown.
    pub tanggal: NaiveDate,
    /// The sort name (without gelar) of the last row shown.
    pub nama: String,
    /// [`PengingatBaris::rowid`] of the last row shown.
    pub rowid: i64,
}

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PengingatBaris {
    /// The pegawai document's row id (what `store::edit::edit_pegawai_document` takes with the NIP).
    pub rowid: i64,
    /// NIP.
    pub nip: String,
    /// Name without gelar (the sort key).
    pub nama: String,
    /// Name with gelar.
    pub nama_lengkap: String,
    /// Unor id and name now.
    pub unor_id: Option<String>,
    /// Unor name now.
    pub unor_nama: Option<String>,
    /// Golongan id now (`"34"`).
    pub golongan_id: Option<String>,
    /// Jabatan name now.
    pub jabatan_nama: Option<String>,
    /// The date it fell due (see the module doc): the key's date.
    pub tanggal_kunci: NaiveDate,
    /// The date shown (see the module doc).
    pub tanggal: NaiveDate,
    /// The key of its follow-up ([`model::pengingat::kunci`]).
    pub kunci: String,
    /// Its state today.
    pub status: StatusPengingat,
    /// The follow-up recorded, if any.
    pub tindak_lanjut: Option<TindakLanjut>,
    /// `kp`: the golongan the KP leads to (`"41"`).
    pub kp_golongan_id: Option<String>,
    /// `bup`: the BUP age.
    pub bup: Option<u8>,
    /// `kgb`: the start of the pegawai's KGB schedule (`model::rules::kgb::JadwalKgb::awal`): the MKG a KGB
    /// reaches is the whole years from it.
    pub kgb_awal: Option<NaiveDate>,
}

impl PengingatBaris {
    /// The cursor of the page after this row.
    pub fn kursor(&self) -> KursorPengingat {
        KursorPengingat { tanggal: self.tanggal, nama: self.nama.clone(), rowid: self.rowid }
    }
}

/// The SQL pieces of one list: `FROM` (with `p` the pegawai row), the key date and target date expressions, and the
/// conditions, with their parameters.
struct Sumber {
    from: String,
    kunci: String,
    tanggal: String,
    clauses: Vec<String>,
    params: Vec<SqlValue>,
}

impl Sumber {
    fn bind(&mut self, value: SqlValue) -> String {
        self.params.push(value);
        format!("?{}", self.params.len())
    }

    fn text(&mut self, text: impl Into<String>) -> String {
        self.bind(SqlValue::Text(text.into()))
    }

    /// The reminders of `filter.jenis` within the horizon, and the unor filter; not the state or the cursor.
    fn of(filter: &FilterPengingat) -> Sumber {
        let bulan = filter.bulan.clamp(1, MAX_BULAN);
        let akhir = filter.hari_ini.checked_add_months(Months::new(bulan)).unwrap_or(filter.hari_ini);
        let mut at = Sumber {
            from: "pegawai p".into(),
            kunci: String::new(),
            tanggal: String::new(),
            clauses: Vec::new(),
            params: Vec::new(),
        };
        match filter.jenis {
            JenisPengingat::Kp => {
                let periode = referensi().tmt_kp_berikutnya(filter.hari_ini);
                let (periode, akhir) = (at.text(periode.to_string()), at.text(akhir.to_string()));
                at.kunci = "p.kp_pertama".into();
                at.tanggal = format!("max(p.kp_pertama, {periode})");
                at.clauses.push(format!(
                    "p.kp_pertama <= {akhir} AND p.kp_status <> 'tidak_memenuhi' \
                     AND (p.tmt_pensiun IS NULL OR p.tmt_pensiun > max(p.kp_pertama, {periode}))"
                ));
            }
            JenisPengingat::Bup => {
                let akhir = at.text(akhir.to_string());
                at.kunci = "p.tmt_pensiun".into();
                at.tanggal = "p.tmt_pensiun".into();
                at.clauses.push(format!("p.tmt_pensiun <= {akhir} AND coalesce(p.kedudukan_hukum_id, '01') = '01'"));
            }
            JenisPengingat::Kgb => {
                // One row per month from KGB_LALU_BULAN months ago to the horizon's: (cycle, the month's 1st). A
                // pegawai matches every month of its cycle in the range: two months 24 apart are its two KGB.
                let awal_bulan = filter.hari_ini.with_day(1).unwrap_or(filter.hari_ini);
                let mut bulan_ini = awal_bulan.checked_sub_months(Months::new(KGB_LALU_BULAN)).unwrap_or(awal_bulan);
                let mut values = Vec::new();
                while bulan_ini <= akhir && values.len() <= (KGB_LALU_BULAN + MAX_BULAN) as usize {
                    let siklus = at.bind(SqlValue::Integer(kgb_siklus(bulan_ini)));
                    let tanggal = at.text(bulan_ini.to_string());
                    values.push(format!("({siklus}, {tanggal})"));
                    let Some(next) = bulan_ini.checked_add_months(Months::new(1)) else { break };
                    bulan_ini = next;
                }
                at.from = format!(
                    "(SELECT column1 AS siklus, column2 AS tanggal FROM (VALUES {})) b \
                     JOIN pegawai p ON p.kgb_siklus = b.siklus AND p.kgb_pertama <= b.tanggal AND b.tanggal <= p.kgb_akhir",
                    values.join(", ")
                );
                at.kunci = "b.tanggal".into();
                at.tanggal = "b.tanggal".into();
                at.clauses.push("(p.tmt_pensiun IS NULL OR p.tmt_pensiun > b.tanggal)".into());
            }
        }
        if let Some(unor) = &filter.unor {
            let mark = at.text(unor.clone());
            let prefix = format!("coalesce((SELECT path FROM unor WHERE id = {mark}), '/' || {mark} || '/')");
            at.clauses.push(format!("p.unor_path >= {prefix} AND p.unor_path < {prefix} || x'ff'"));
        }
        at
    }

    /// The follow-up join and the state expression (`hari_ini` bound here).
    fn status_sql(&mut self, jenis: JenisPengingat, hari_ini: NaiveDate) -> (String, String) {
        let prefix = self.text(format!("{}-", jenis.kode()));
        let today = self.text(hari_ini.to_string());
        let join = format!(
            " LEFT JOIN tindak_lanjut t ON t.document_rowid = p.document_rowid AND t.kunci = {prefix} || {}",
            self.kunci
        );
        let status = format!(
            "CASE WHEN t.status IS NOT NULL THEN t.status WHEN {} < {today} THEN 'kedaluwarsa' ELSE 'aktif' END",
            self.kunci
        );
        (join, status)
    }
}

/// One page of the reminders under `filter`: by target date, then name, then row id, after `filter.setelah`, at
/// most `filter.limit` rows. A page shorter than the limit is the last.
///
/// # Errors
/// SQLite errors.
pub fn daftar(conn: &Connection, filter: &FilterPengingat) -> Result<Vec<PengingatBaris>> {
    if filter.limit == 0 {
        return Ok(Vec::new());
    }
    let mut at = Sumber::of(filter);
    let (join, status) = at.status_sql(filter.jenis, filter.hari_ini);
    if let Some(wanted) = filter.status {
        let mark = at.text(wanted.kode());
        at.clauses.push(format!("({status}) = {mark}"));
    }
    if let Some(setelah) = &filter.setelah {
        let tanggal = at.text(setelah.tanggal.to_string());
        let nama = at.text(setelah.nama.clone());
        let rowid = at.bind(SqlValue::Integer(setelah.rowid));
        at.clauses.push(format!("({}, p.nama, p.document_rowid) > ({tanggal}, {nama}, {rowid})", at.tanggal));
    }
    let limit = at.bind(SqlValue::Integer(i64::try_from(filter.limit).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT p.document_rowid, p.nip, p.nama, p.nama_lengkap, p.unor_id, p.unor_nama, p.golongan_id, \
         p.jabatan_nama, {kunci}, {tanggal}, {status}, t.catatan, t.oleh, t.waktu, p.kp_golongan_id, p.bup, \
         p.kgb_awal \
         FROM {from}{join} WHERE {where_} ORDER BY {tanggal}, p.nama, p.document_rowid LIMIT {limit}",
        kunci = at.kunci,
        tanggal = at.tanggal,
        from = at.from,
        where_ = at.clauses.join(" AND "),
    );
    let jenis = filter.jenis;
    let hari_ini = filter.hari_ini;
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params_from_iter(at.params), |row| {
        let tanggal_kunci = tanggal(row, 8)?;
        let status_kode: String = row.get(10)?;
        let recorded = StatusTindakLanjut::dari_kode(&status_kode);
        let tindak_lanjut = match (recorded, row.get::<_, Option<String>>(12)?, row.get::<_, Option<String>>(13)?) {
            (Some(status), Some(oleh), Some(waktu)) => {
                Some(TindakLanjut { status, catatan: row.get(11)?, oleh, waktu })
            }
            _ => None,
        };
        Ok(PengingatBaris {
            rowid: row.get(0)?,
            nip: row.get(1)?,
            nama: row.get(2)?,
            nama_lengkap: row.get(3)?,
            unor_id: row.get(4)?,
            unor_nama: row.get(5)?,
            golongan_id: row.get(6)?,
            jabatan_nama: row.get(7)?,
            kunci: model::pengingat::kunci(jenis, tanggal_kunci),
            tanggal_kunci,
            tanggal: tanggal(row, 9)?,
            status: StatusPengingat::dari(recorded, tanggal_kunci, hari_ini),
            tindak_lanjut,
            kp_golongan_id: row.get(14)?,
            bup: row.get(15)?,
            kgb_awal: row.get::<_, Option<String>>(16)?.and_then(|text| text.parse().ok()),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The `yyyy-mm-dd` date in column `at` (the projection writes only those).
fn tanggal(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(at)?;
    text.parse()
        .map_err(|error| rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, Box::new(error)))
}

/// How many reminders each state has under `filter` (its state, cursor and limit ignored), every state listed
/// (zero included) in [`StatusPengingat::SEMUA`] order.
///
/// # Errors
/// SQLite errors.
pub fn jumlah_per_status(conn: &Connection, filter: &FilterPengingat) -> Result<Vec<(StatusPengingat, i64)>> {
    let mut at = Sumber::of(filter);
    let (join, status) = at.status_sql(filter.jenis, filter.hari_ini);
    let sql = format!(
        "SELECT {status}, count(*) FROM {from}{join} WHERE {where_} GROUP BY 1",
        from = at.from,
        where_ = at.clauses.join(" AND "),
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let counts: Vec<(String, i64)> = statement
        .query_map(params_from_iter(at.params), |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(StatusPengingat::SEMUA
        .into_iter()
        .map(|status| {
            let jumlah = counts.iter().filter(|(kode, _)| kode == status.kode()).map(|(_, n)| n).sum();
            (status, jumlah)
        })
        .collect())
}

/// The reminders one pegawai has by its facts now, whatever the horizon: what a follow-up may be recorded on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PengingatPegawai {
    /// The first KP period it is eligible at (none when KP reguler does not apply or is ruled out).
    pub kp: Option<NaiveDate>,
    /// Its TMT pensiun.
    pub bup: Option<NaiveDate>,
    /// Its KGB schedule: the first KGB in the current golongan and the last.
    pub kgb: Option<(NaiveDate, NaiveDate)>,
}

impl PengingatPegawai {
    /// Whether `jenis` on `tanggal` is one of these reminders (for KGB: a date of the schedule, every 2 years from
    /// the first, on the 1st of the month).
    pub fn punya(&self, jenis: JenisPengingat, tanggal: NaiveDate) -> bool {
        match jenis {
            JenisPengingat::Kp => self.kp == Some(tanggal),
            JenisPengingat::Bup => self.bup == Some(tanggal),
            JenisPengingat::Kgb => self.kgb.is_some_and(|(pertama, akhir)| {
                let bulan = (tanggal.year() - pertama.year()) * 12 + tanggal.month() as i32 - pertama.month() as i32;
                tanggal.day() == 1 && pertama <= tanggal && tanggal <= akhir && bulan % 24 == 0
            }),
        }
    }

    /// The keys of its reminders an officer would act on from `hari_ini`: the KP, the BUP, and the KGB from
    /// [`KGB_LALU_BULAN`] months ago on (the next one of the schedule).
    pub fn kunci(&self, hari_ini: NaiveDate) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(kp) = self.kp {
            keys.push(model::pengingat::kunci(JenisPengingat::Kp, kp));
        }
        if let Some(bup) = self.bup {
            keys.push(model::pengingat::kunci(JenisPengingat::Bup, bup));
        }
        if let Some((pertama, akhir)) = self.kgb {
            let awal_bulan = hari_ini.with_day(1).unwrap_or(hari_ini);
            let dari = awal_bulan.checked_sub_months(Months::new(KGB_LALU_BULAN)).unwrap_or(awal_bulan);
            let mut tanggal = pertama;
            // Bounded: a schedule spans at most the 33 years of a gaji table.
            for _ in 0..40 {
                if tanggal > akhir {
                    break;
                }
                if tanggal >= dari {
                    keys.push(model::pengingat::kunci(JenisPengingat::Kgb, tanggal));
                    break;
                }
                let Some(next) = tanggal.checked_add_months(Months::new(24)) else { break };
                tanggal = next;
            }
        }
        keys
    }
}

/// The reminders of the pegawai document at `rowid` (`None` when it is not a listed pegawai).
///
/// # Errors
/// SQLite errors.
pub fn pengingat_pegawai(conn: &Connection, rowid: i64) -> Result<Option<PengingatPegawai>> {
    let date = |text: Option<String>| text.and_then(|text| text.parse::<NaiveDate>().ok());
    let found = conn
        .prepare_cached(
            "SELECT CASE WHEN kp_status <> 'tidak_memenuhi' THEN kp_pertama END, tmt_pensiun, kgb_pertama, kgb_akhir \
             FROM pegawai WHERE document_rowid = ?1",
        )?
        .query_row([rowid], |row| Ok((row.get::<_, Option<String>>(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
        .optional()?;
    Ok(found.map(|(kp, bup, pertama, akhir)| PengingatPegawai {
        kp: date(kp),
        bup: date(bup),
        kgb: date(pertama).zip(date(akhir)),
    }))
}

/// Whether the pegawai document at `rowid` holds a follow-up under `kunci`.
///
/// # Errors
/// SQLite errors.
pub fn ada_tindak_lanjut(conn: &Connection, rowid: i64, kunci: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM tindak_lanjut WHERE document_rowid = ?1 AND kunci = ?2")?
        .query_row(rusqlite::params![rowid, kunci], |_| Ok(()))
        .optional()?
        .is_some())
}
