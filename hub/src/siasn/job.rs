//! [`SiasnStore`]: the gateway's own SQLite file, `siasn.sqlite` in the hub's data folder: the pull jobs with the
//! state of each NIP (so a run killed halfway resumes without fetching again what it committed), a report per NIP,
//! and what the instansi lists and `ref-unor` returned (for the usulan mapping and the unor checks that come later).
//! The push keeps its own table (`siasn_kirim`, created by [`super::push`]) in the same file, through
//! [`SiasnStore::with_conn`].
//!
//! A job is one run over a fixed set of NIPs, chosen when it starts. Its NIPs move from `menunggu` to `selesai`
//! (imported and committed in the hub; outcome `baru`, `berubah`, `tetap` or `dilewati`) or `gagal` (with the
//! error text; tried again when the job resumes). A job stays `berjalan` until every NIP was tried, so the next
//! pull of that instansi continues it; `--ulang` marks it `dibatalkan` and starts a new one.
//!
//! What it does not do: hold personal data in reports (a NIP, counts and SI-ASN's error text only; the list rows it
//! keeps are BKN's own usulan records), or write the hub's documents ([`crate::Hub::import_pegawai`] does).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::client::SiasnError;

/// The file name of the store in the hub's data folder.
pub const FILE_NAME: &str = "siasn.sqlite";

/// The lock file a pull or a push holds while it runs (one SI-ASN job per hub data folder at a time).
const JOB_LOCK: &str = "siasn-job.lock";

/// The schema version this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS siasn_job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    jenis TEXT NOT NULL,
    instansi TEXT NOT NULL,
    status TEXT NOT NULL,
    dimulai_ms INTEGER NOT NULL,
    selesai_ms INTEGER,
    pesan TEXT
);
CREATE INDEX IF NOT EXISTS siasn_job_status ON siasn_job (jenis, instansi, status);
CREATE TABLE IF NOT EXISTS siasn_job_nip (
    job INTEGER NOT NULL REFERENCES siasn_job (id),
    nip TEXT NOT NULL,
    status TEXT NOT NULL,
    hasil TEXT,
    peringatan INTEGER NOT NULL DEFAULT 0,
    galat TEXT,
    percobaan INTEGER NOT NULL DEFAULT 0,
    diperbarui_ms INTEGER,
    PRIMARY KEY (job, nip)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS siasn_usulan_kp (
    instansi TEXT NOT NULL,
    id TEXT NOT NULL,
    periode TEXT NOT NULL,
    nip TEXT,
    data TEXT NOT NULL,
    diambil_ms INTEGER NOT NULL,
    PRIMARY KEY (instansi, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS siasn_usulan_pensiun (
    instansi TEXT NOT NULL,
    id TEXT NOT NULL,
    nip TEXT,
    data TEXT NOT NULL,
    diambil_ms INTEGER NOT NULL,
    PRIMARY KEY (instansi, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS siasn_unor (
    instansi TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    diambil_ms INTEGER NOT NULL,
    PRIMARY KEY (instansi, id)
) WITHOUT ROWID;
";

/// The gateway's store. Cheap to clone (one connection behind a mutex, shared); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct SiasnStore {
    conn: Arc<Mutex<Connection>>,
    data_dir: PathBuf,
}

/// The state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Started and not finished: the next pull of its instansi continues it.
    Berjalan,
    /// Every NIP was tried (some may have failed; see the NIP reports).
    Selesai,
    /// Given up for a new job (`--ulang`).
    Dibatalkan,
}

impl JobStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Berjalan => "berjalan",
            JobStatus::Selesai => "selesai",
            JobStatus::Dibatalkan => "dibatalkan",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [JobStatus::Berjalan, JobStatus::Selesai, JobStatus::Dibatalkan].into_iter().find(|s| s.as_str() == text)
    }
}

/// One job with the tally of its NIPs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// The job id.
    pub id: i64,
    /// What it does: `pull`.
    pub jenis: String,
    /// The instansi id.
    pub instansi: String,
    /// Its state.
    pub status: JobStatus,
    /// When it started.
    pub dimulai: DateTime<Utc>,
    /// When it finished or was given up.
    pub selesai: Option<DateTime<Utc>>,
    /// The closing message (counts, no personal data).
    pub pesan: Option<String>,
    /// NIPs of the job.
    pub nip_total: usize,
    /// NIPs done (committed in the hub).
    pub nip_selesai: usize,
    /// NIPs whose last try failed.
    pub nip_gagal: usize,
}

/// What a pull did with one NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NipOutcome {
    /// A new pegawai document.
    Baru,
    /// Its document changed (only the fields that differ).
    Berubah,
    /// Its document already held the same data: nothing written.
    Tetap,
    /// Not imported: its document belongs to another instansi's scope (a mutasi), or no NIP.
    Dilewati,
    /// Not fetched or not importable; the error says why.
    Gagal,
}

impl NipOutcome {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            NipOutcome::Baru => "baru",
            NipOutcome::Berubah => "berubah",
            NipOutcome::Tetap => "tetap",
            NipOutcome::Dilewati => "dilewati",
            NipOutcome::Gagal => "gagal",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [NipOutcome::Baru, NipOutcome::Berubah, NipOutcome::Tetap, NipOutcome::Dilewati, NipOutcome::Gagal]
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }
}

/// The report of one NIP in a job: no personal data, only the NIP, the outcome, counts and SI-ASN's error text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NipReport {
    /// The NIP.
    pub nip: String,
    /// The outcome of its last try; `None` while not tried.
    pub hasil: Option<NipOutcome>,
    /// Data warnings of the decoders for this pegawai (details: `luring-cli inspect siasn-ws`).
    pub peringatan: usize,
    /// Why it failed.
    pub galat: Option<String>,
    /// How many times it was tried.
    pub percobaan: u32,
}

/// Holds the job lock of a data folder until dropped (the OS releases it when the process dies).
#[derive(Debug)]
pub struct JobLock {
    _file: File,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn time_of(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn count(value: i64) -> usize {
    usize::try_from(value).unwrap_or(0)
}

impl SiasnStore {
    /// Opens (creating when needed) `siasn.sqlite` in `data_dir`.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`] when the folder or the file cannot be created or opened, or the file was
    /// written by a newer version.
    pub fn open(data_dir: &Path) -> Result<Self, SiasnError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|error| SiasnError::Penyimpanan(format!("folder {}: {error}", data_dir.display())))?;
        let conn = Connection::open(data_dir.join(FILE_NAME))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(SiasnError::Penyimpanan(format!(
                "{FILE_NAME} dibuat oleh versi hub yang lebih baru (skema {version}); pakai luring-hub versi itu"
            )));
        }
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(SiasnStore { conn: Arc::new(Mutex::new(conn)), data_dir: data_dir.to_path_buf() })
    }

    /// Runs `f` on the connection (one at a time). For the push's own table.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`] with `f`'s error.
    pub fn with_conn<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, SiasnError> {
        let conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(f(&conn)?)
    }

    fn with_tx<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>) -> Result<T, SiasnError> {
        let mut conn = self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = conn.transaction()?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Takes the job lock of this data folder: one pull or push at a time (a push running beside a pull could
    /// send a row whose earlier send the pull is settling).
    ///
    /// # Errors
    /// [`SiasnError::SedangBerjalan`] when another pull or push (this process or another) holds it;
    /// [`SiasnError::Penyimpanan`] when the lock file cannot be opened.
    pub fn lock_job(&self) -> Result<JobLock, SiasnError> {
        let path = self.data_dir.join(JOB_LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|error| SiasnError::Penyimpanan(format!("berkas kunci {}: {error}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(JobLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(SiasnError::SedangBerjalan(format!("kunci {} dipegang proses lain", path.display())))
            }
            Err(std::fs::TryLockError::Error(error)) => {
                Err(SiasnError::Penyimpanan(format!("berkas kunci {}: {error}", path.display())))
            }
        }
    }

    /// The running job of `jenis` for `instansi`, if any.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn running_job(&self, jenis: &str, instansi: &str) -> Result<Option<Job>, SiasnError> {
        let id: Option<i64> = self.with_conn(|conn| {
            conn.query_row(
                "SELECT id FROM siasn_job WHERE jenis = ?1 AND instansi = ?2 AND status = 'berjalan' \
                 ORDER BY id DESC LIMIT 1",
                params![jenis, instansi],
                |row| row.get(0),
            )
            .optional()
        })?;
        match id {
            Some(id) => self.job(id),
            None => Ok(None),
        }
    }

    /// Starts a job over `nips` (duplicates kept once), all `menunggu`.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn start_job(&self, jenis: &str, instansi: &str, nips: &[String]) -> Result<Job, SiasnError> {
        let id = self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO siasn_job (jenis, instansi, status, dimulai_ms) VALUES (?1, ?2, 'berjalan', ?3)",
                params![jenis, instansi, now_ms()],
            )?;
            let id = tx.last_insert_rowid();
            let mut insert =
                tx.prepare("INSERT OR IGNORE INTO siasn_job_nip (job, nip, status) VALUES (?1, ?2, 'menunggu')")?;
            for nip in nips {
                insert.execute(params![id, nip])?;
            }
            Ok(id)
        })?;
        self.job(id)?.ok_or_else(|| SiasnError::Penyimpanan("job baru tidak terbaca".to_owned()))
    }

    /// Adds `nips` to the job `id` as `menunggu`; NIPs it already has keep their state. How many were added.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn add_nips(&self, id: i64, nips: &[String]) -> Result<usize, SiasnError> {
        self.with_tx(|tx| {
            let mut insert =
                tx.prepare("INSERT OR IGNORE INTO siasn_job_nip (job, nip, status) VALUES (?1, ?2, 'menunggu')")?;
            let mut added = 0;
            for nip in nips {
                added += insert.execute(params![id, nip])?;
            }
            Ok(added)
        })
    }

    /// Closes a job as `status` with a message.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn finish_job(&self, id: i64, status: JobStatus, pesan: &str) -> Result<(), SiasnError> {
        self.with_conn(|conn| {
            conn.execute(
                "UPDATE siasn_job SET status = ?2, selesai_ms = ?3, pesan = ?4 WHERE id = ?1",
                params![id, status.as_str(), now_ms(), pesan],
            )
        })?;
        Ok(())
    }

    /// The NIPs of job `id` not done yet (`menunggu` or `gagal`), in NIP order.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn pending_nips(&self, id: i64) -> Result<Vec<String>, SiasnError> {
        self.with_conn(|conn| {
            let mut statement =
                conn.prepare("SELECT nip FROM siasn_job_nip WHERE job = ?1 AND status != 'selesai' ORDER BY nip")?;
            statement.query_map(params![id], |row| row.get(0))?.collect()
        })
    }

    /// Records the outcome of NIPs of job `id` in one transaction: [`NipOutcome::Gagal`] leaves the NIP to be tried
    /// again, anything else marks it done.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn record_nips(&self, id: i64, reports: &[NipReport]) -> Result<(), SiasnError> {
        if reports.is_empty() {
            return Ok(());
        }
        let now = now_ms();
        self.with_tx(|tx| {
            let mut upsert = tx.prepare(
                "INSERT INTO siasn_job_nip (job, nip, status, hasil, peringatan, galat, percobaan, diperbarui_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7) \
                 ON CONFLICT (job, nip) DO UPDATE SET status = excluded.status, hasil = excluded.hasil, \
                 peringatan = excluded.peringatan, galat = excluded.galat, percobaan = percobaan + 1, \
                 diperbarui_ms = excluded.diperbarui_ms",
            )?;
            for report in reports {
                let status = match report.hasil {
                    Some(NipOutcome::Gagal) => "gagal",
                    Some(_) => "selesai",
                    None => "menunggu",
                };
                upsert.execute(params![
                    id,
                    report.nip,
                    status,
                    report.hasil.map(NipOutcome::as_str),
                    i64::try_from(report.peringatan).unwrap_or(i64::MAX),
                    report.galat,
                    now,
                ])?;
            }
            Ok(())
        })
    }

    /// Every NIP report of job `id`, in NIP order.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn nip_reports(&self, id: i64) -> Result<Vec<NipReport>, SiasnError> {
        self.with_conn(|conn| {
            let mut statement = conn.prepare(
                "SELECT nip, hasil, peringatan, galat, percobaan FROM siasn_job_nip WHERE job = ?1 ORDER BY nip",
            )?;
            statement
                .query_map(params![id], |row| {
                    let hasil: Option<String> = row.get(1)?;
                    Ok(NipReport {
                        nip: row.get(0)?,
                        hasil: hasil.as_deref().and_then(NipOutcome::parse),
                        peringatan: count(row.get(2)?),
                        galat: row.get(3)?,
                        percobaan: u32::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
                    })
                })?
                .collect()
        })
    }

    /// One job with its tally.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn job(&self, id: i64) -> Result<Option<Job>, SiasnError> {
        Ok(self.jobs_where("WHERE j.id = ?1", params![id])?.into_iter().next())
    }

    /// The latest `limit` jobs, newest first.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn jobs(&self, limit: usize) -> Result<Vec<Job>, SiasnError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.jobs_where("ORDER BY j.id DESC LIMIT ?1", params![limit])
    }

    fn jobs_where(&self, tail: &str, values: &[&dyn rusqlite::ToSql]) -> Result<Vec<Job>, SiasnError> {
        let sql = format!(
            "SELECT j.id, j.jenis, j.instansi, j.status, j.dimulai_ms, j.selesai_ms, j.pesan, \
             (SELECT count(*) FROM siasn_job_nip n WHERE n.job = j.id), \
             (SELECT count(*) FROM siasn_job_nip n WHERE n.job = j.id AND n.status = 'selesai'), \
             (SELECT count(*) FROM siasn_job_nip n WHERE n.job = j.id AND n.status = 'gagal') \
             FROM siasn_job j {tail}"
        );
        self.with_conn(|conn| {
            let mut statement = conn.prepare(&sql)?;
            statement
                .query_map(values, |row| {
                    let status: String = row.get(3)?;
                    Ok(Job {
                        id: row.get(0)?,
                        jenis: row.get(1)?,
                        instansi: row.get(2)?,
                        status: JobStatus::parse(&status).unwrap_or(JobStatus::Dibatalkan),
                        dimulai: time_of(row.get(4)?),
                        selesai: row.get::<_, Option<i64>>(5)?.map(time_of),
                        pesan: row.get(6)?,
                        nip_total: count(row.get(7)?),
                        nip_selesai: count(row.get(8)?),
                        nip_gagal: count(row.get(9)?),
                    })
                })?
                .collect()
        })
    }

    /// Keeps the KP usulan of `instansi` listed for `periode` (`yyyy-mm-dd`), replacing earlier copies by id.
    /// Items without an id are not kept (they cannot be told apart); returns how many were kept.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn save_usulan_kp(
        &self,
        instansi: &str,
        periode: &str,
        items: &[model::siasn::lists::UsulanKp],
    ) -> Result<usize, SiasnError> {
        let now = now_ms();
        self.with_tx(|tx| {
            let mut upsert = tx.prepare(
                "INSERT OR REPLACE INTO siasn_usulan_kp (instansi, id, periode, nip, data, diambil_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut kept = 0;
            for item in items {
                let Some(id) = item.id.as_deref() else { continue };
                let data = serde_json::to_string(item).unwrap_or_default();
                let nip = item.nip.as_ref().map(|nip| nip.as_str().to_owned());
                upsert.execute(params![instansi, id, periode, nip, data, now])?;
                kept += 1;
            }
            Ok(kept)
        })
    }

    /// Keeps the pensiun usulan of `instansi`, replacing earlier copies by id; returns how many were kept.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn save_usulan_pensiun(
        &self,
        instansi: &str,
        items: &[model::siasn::lists::UsulanPensiun],
    ) -> Result<usize, SiasnError> {
        let now = now_ms();
        self.with_tx(|tx| {
            let mut upsert = tx.prepare(
                "INSERT OR REPLACE INTO siasn_usulan_pensiun (instansi, id, nip, data, diambil_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut kept = 0;
            for item in items {
                let Some(id) = item.id.as_deref() else { continue };
                let data = serde_json::to_string(item).unwrap_or_default();
                let nip = item.nip.as_ref().map(|nip| nip.as_str().to_owned());
                upsert.execute(params![instansi, id, nip, data, now])?;
                kept += 1;
            }
            Ok(kept)
        })
    }

    /// Replaces the unor of `instansi` with `units` (a unit SI-ASN no longer lists is removed); returns how many
    /// were kept.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn replace_unor(&self, instansi: &str, units: &[model::siasn::lists::Unor]) -> Result<usize, SiasnError> {
        let now = now_ms();
        self.with_tx(|tx| {
            tx.execute("DELETE FROM siasn_unor WHERE instansi = ?1", params![instansi])?;
            let mut insert = tx.prepare(
                "INSERT OR REPLACE INTO siasn_unor (instansi, id, data, diambil_ms) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut kept = 0;
            for unit in units.iter().filter(|unit| !unit.id.is_empty()) {
                let data = serde_json::to_string(unit).unwrap_or_default();
                insert.execute(params![instansi, unit.id, data, now])?;
                kept += 1;
            }
            Ok(kept)
        })
    }

    /// The KP usulan kept for `instansi`, by id.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn usulan_kp(&self, instansi: &str) -> Result<Vec<model::siasn::lists::UsulanKp>, SiasnError> {
        self.read_json("SELECT data FROM siasn_usulan_kp WHERE instansi = ?1 ORDER BY id", instansi)
    }

    /// The pensiun usulan kept for `instansi`, by id.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn usulan_pensiun(&self, instansi: &str) -> Result<Vec<model::siasn::lists::UsulanPensiun>, SiasnError> {
        self.read_json("SELECT data FROM siasn_usulan_pensiun WHERE instansi = ?1 ORDER BY id", instansi)
    }

    /// The unor kept for `instansi`, by id.
    ///
    /// # Errors
    /// [`SiasnError::Penyimpanan`].
    pub fn unor(&self, instansi: &str) -> Result<Vec<model::siasn::lists::Unor>, SiasnError> {
        self.read_json("SELECT data FROM siasn_unor WHERE instansi = ?1 ORDER BY id", instansi)
    }

    fn read_json<T: serde::de::DeserializeOwned>(&self, sql: &str, instansi: &str) -> Result<Vec<T>, SiasnError> {
        let texts: Vec<String> = self.with_conn(|conn| {
            let mut statement = conn.prepare(sql)?;
            statement.query_map(params![instansi], |row| row.get(0))?.collect()
        })?;
        // A row this version cannot read is left out rather than failing the whole read.
        Ok(texts.iter().filter_map(|text| serde_json::from_str(text).ok()).collect())
    }
}

#[cfg(test)]
mod tests;
