//! [`pull`]: one pull of an instansi from SI-ASN into the hub, as a resumable job (issue 8, deliverable 2).
//!
//! 1. **Job.** The running pull job of the instansi is continued (only its NIPs not done yet are fetched);
//!    otherwise, or with [`PullOptions::ulang`], a new one starts. One SI-ASN job runs per data folder at a time
//!    ([`SiasnStore::lock_job`]).
//! 2. **Lists** (every run, a resumed job's too: NIPs they name that the job lacks join it): `referensi/ref-unor`, `list-kp-instansi` for the current and the next KP period
//!    (the date-versioned calendar of `periode-kp.json`: monthly since October 2025) and `list-pensiun-instansi`
//!    for [`PullOptions::pensiun_bulan`] months from today. Each is read page by page (`limit`, `offset`) until an
//!    empty page, deduplicated by id; `count` is never read (SI-ASN's moving totals made Rumah ASN lose and
//!    duplicate rows, domain.md §2.1). A page that brings nothing new does not end the walk (pages shift while
//!    read); as a bound against a server that ignores `offset`, [`STALE_PAGES`] such pages in a row end it, and no
//!    walk reads more than [`MAX_PAGES`]. The first pages are read once more at the end to catch rows that
//!    appeared at the front while paging. Rows removed from a list while it is paged can still be missed (the
//!    following rows move back over a page already read); the next pull reads them again. The rows are kept in `siasn.sqlite`, and the usulan statuses are copied onto the matching usulan
//!    documents ([`Hub::catat_status_siasn`]). A list that fails is reported, not fatal, except when the run
//!    cannot authenticate (APIM or SSO token, tokens refused, configuration): then the run stops before any job
//!    is started or continued, with the client's message.
//! 3. **NIPs** = the hub's pegawai of the instansi ([`Hub::pegawai_nips`]) ∪ the NIPs of both lists.
//! 4. **Per NIP**, the endpoints of [`PullOptions::endpoints`] (at most 11 by default) are fetched concurrently
//!    within the client's bound, decoded by `model::siasn::ws::decode_pegawai`, handed to
//!    [`push::ganti_id_terkirim`] (rows our push created get their local id back) and imported through
//!    [`Hub::import_pegawai_each`] in batches of [`PullOptions::batch`] (one import at a time, in the background
//!    while the next pegawai are fetched); a NIP is marked done only after its batch committed, so a run killed
//!    halfway loses at most two batches of work. An unchanged record writes nothing; a
//!    changed field writes that field only (the import's reconcile, `sync::overlay`).
//! 5. **Failures** are per NIP (an endpoint that kept failing, a body that is not SI-ASN's JSON, a data utama
//!    SI-ASN does not have, that names another NIP, or whose `instansi_induk_id` (else `instansi_kerja_id`) is not
//!    [`PullOptions::instansi`]: never imported into the wrong scope): recorded with the error and tried once more at the end of
//!    the run, and again when the job resumes. Only what makes every request fail stops the run: an expired SSO
//!    token, a token that cannot be fetched, [`STOP_AFTER_FAILURES`] NIPs failing in a row, or the first
//!    [`STOP_AFTER_WRONG_INSTANSI`] NIPs all belonging to another instansi ([`SiasnError::InstansiLain`]: check
//!    `--instansi`); the job then stays open for the next pull.
//!
//! Riwayat lists follow SI-ASN's (a row SI-ASN no longer lists goes), except rows made here and not yet pushed
//! (`lokal-…` ids, kept by the import). What it does not do: move a pegawai whose
//! document is in another instansi's scope (reported `dilewati`), or log personal data (NIPs and counts only).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Months, NaiveDate, Utc};
use model::Nip;
use model::siasn::lists::{self, Unor, UsulanKp, UsulanPensiun};
use model::siasn::ws::{self, Envelope};
use model::usulan::{JenisUsulan, StatusSiasn};
use serde::Serialize;
use tokio::task::JoinSet;

use super::client::{SiasnClient, SiasnError};
use super::job::{JobStatus, NipOutcome, NipReport, SiasnStore};
use super::push;
use crate::Hub;
use crate::core::{ImportOutcome, ItemStatusSiasn};

/// The endpoints fetched per NIP by default (`GET /pns/<endpoint>/{nip}`, siasn-api.md §1.3): data utama, the
/// riwayat an instansi keeps up to date and keluarga: 11 requests per pegawai.
pub const DEFAULT_ENDPOINTS: [&str; 11] = [
    "data-utama",
    "rw-golongan",
    "rw-jabatan",
    "rw-pendidikan",
    "rw-diklat",
    "rw-kursus",
    "rw-skp22",
    "rw-penghargaan",
    "data-pasangan",
    "data-anak",
    "data-ortu",
];

/// The job kind of a pull in [`SiasnStore`].
pub const JENIS_JOB: &str = "pull";

/// After this many NIPs failing in a row the run stops (SI-ASN refuses everything; the job resumes later).
pub const STOP_AFTER_FAILURES: usize = 50;

/// When this many NIPs of a run all belong to another instansi before any belongs to `--instansi`, the run stops:
/// the id given is most likely wrong.
pub const STOP_AFTER_WRONG_INSTANSI: usize = 5;

/// The most pages read from one list (a bound on every walk: 10,000 pages of 100 rows).
const MAX_PAGES: usize = 10_000;

/// After this many pages in a row that bring no new id the walk ends (a server that ignores `offset` would
/// otherwise be read up to [`MAX_PAGES`]).
const STALE_PAGES: usize = 3;

/// How many first pages are read again at the end of a list walk, for rows that appeared at the front meanwhile.
const RECHECK_PAGES: usize = 3;

/// A batch is imported once its oldest pegawai waited this long, even when it is not full.
const FLUSH_AFTER: Duration = Duration::from_secs(2);

/// What to pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullOptions {
    /// The instansi id (scope `instansi:<id>`).
    pub instansi: String,
    /// Start a new job even when one is running for the instansi (which is marked `dibatalkan`).
    pub ulang: bool,
    /// The endpoints fetched per NIP; names of `model::siasn::ws::PEGAWAI_ENDPOINTS`. `data-utama` is always
    /// fetched. Default [`DEFAULT_ENDPOINTS`].
    pub endpoints: Vec<String>,
    /// "Today", for the KP periods and the pensiun range.
    pub hari_ini: NaiveDate,
    /// How many months ahead `list-pensiun-instansi` is asked for (default 12).
    pub pensiun_bulan: u32,
    /// Pegawai per import transaction (default 100; at most 500, the import's own batch).
    pub batch: usize,
    /// Rows per list page (`limit`, default 100).
    pub halaman: usize,
}

impl PullOptions {
    /// The defaults for `instansi` on `hari_ini`.
    pub fn new(instansi: &str, hari_ini: NaiveDate) -> Self {
        PullOptions {
            instansi: instansi.trim().to_owned(),
            ulang: false,
            endpoints: DEFAULT_ENDPOINTS.iter().map(|endpoint| (*endpoint).to_owned()).collect(),
            hari_ini,
            pensiun_bulan: 12,
            batch: 100,
            halaman: 100,
        }
    }
}

/// Where a pull is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Reading a list: its endpoint and the distinct rows so far.
    Daftar {
        /// `ref-unor`, `list-kp-instansi` or `list-pensiun-instansi`.
        endpoint: &'static str,
        /// Distinct rows read so far.
        baris: usize,
    },
    /// Pegawai: `selesai` (committed or failed, earlier runs of the job included) of `total`.
    Pegawai {
        /// NIPs done or failed.
        selesai: usize,
        /// NIPs of the job.
        total: usize,
    },
}

/// What one pull run did. Counts are NIPs unless named otherwise; nothing in it is personal data.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PullReport {
    /// The job id in `siasn.sqlite`.
    pub job: i64,
    /// The instansi.
    pub instansi: String,
    /// True when this run continued an unfinished job.
    pub dilanjutkan: bool,
    /// NIPs of the job.
    pub nip_total: usize,
    /// NIPs already done by earlier runs of the job (not fetched again).
    pub nip_sebelumnya: usize,
    /// New pegawai documents.
    pub baru: usize,
    /// Documents that changed.
    pub berubah: usize,
    /// Documents that already held the same data.
    pub tetap: usize,
    /// NIPs not imported (document in another instansi's scope).
    pub dilewati: usize,
    /// NIPs that failed in this run, with the reason; they are tried again by the next pull.
    pub gagal: Vec<NipReport>,
    /// Data warnings of the decoders, all NIPs of this run together.
    pub peringatan: usize,
    /// HTTP requests this run sent (tokens and retries included).
    pub permintaan: u64,
    /// NIPs fetched in this run (each once per try).
    pub nip_diambil: usize,
    /// Distinct KP usulan read.
    pub usulan_kp: usize,
    /// Distinct pensiun usulan read.
    pub usulan_pensiun: usize,
    /// Unor read.
    pub unor: usize,
    /// Usulan documents whose SI-ASN status changed.
    pub status_usulan_diperbarui: usize,
    /// Lists that failed, with the reason.
    pub galat_daftar: Vec<String>,
    /// Wall time of the run, seconds.
    pub detik: f64,
    /// Time spent importing into the hub and recording the NIP states, seconds (in the background: the fetching
    /// goes on meanwhile).
    pub detik_impor: f64,
    /// The report of every NIP this run finished (done or failed), in the order they finished.
    pub per_nip: Vec<NipReport>,
}

/// Pulls `options.instansi` from SI-ASN into `hub` (see the module docs); `progress` is told where it is.
///
/// # Errors
/// What stops the whole run (the job stays open and the next pull continues it): another SI-ASN job holds the lock
/// ([`SiasnError::SedangBerjalan`]); an expired SSO token ([`SiasnError::SsoKedaluwarsa`]); a token that cannot be
/// fetched; [`STOP_AFTER_FAILURES`] NIPs failing in a row (the last one's error); the hub's or the store's storage.
/// Per-NIP and per-list problems are in the report instead.
pub async fn pull(
    hub: &Hub,
    client: &SiasnClient,
    store: &SiasnStore,
    options: &PullOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<PullReport, SiasnError> {
    let started = Instant::now();
    let requests_before = client.jumlah_permintaan();
    let instansi = options.instansi.as_str();
    // Checked before anything is fetched (the hub refuses an invalid id).
    let hub_nips = blocking({
        let hub = hub.clone();
        let instansi = instansi.to_owned();
        move || hub.pegawai_nips(&instansi).map_err(SiasnError::from)
    })
    .await?;
    let _lock = store.lock_job()?;
    let mut report = PullReport { instansi: instansi.to_owned(), ..PullReport::default() };
    let running = store.running_job(JENIS_JOB, instansi)?;
    let job = match running {
        Some(job) if options.ulang => {
            store.finish_job(job.id, JobStatus::Dibatalkan, "dibatalkan oleh --ulang")?;
            None
        }
        other => other,
    };
    // The lists are read by every run, a resumed one too (its first run may have stopped before or while reading
    // them): a failure to authenticate stops the run here, before any job is started.
    let listed = fetch_lists(hub, client, store, options, &mut report, progress).await?;
    let nips: BTreeSet<String> = hub_nips.into_iter().chain(listed).collect();
    let nips: Vec<String> = nips.into_iter().collect();
    let job = match job {
        Some(job) => {
            report.dilanjutkan = true;
            // NIPs the lists name now and the job does not have yet join it; the others keep their state.
            store.add_nips(job.id, &nips)?;
            store.job(job.id)?.unwrap_or(job)
        }
        None => store.start_job(JENIS_JOB, instansi, &nips)?,
    };
    report.job = job.id;
    report.nip_total = job.nip_total;
    let pending = store.pending_nips(job.id)?;
    report.nip_sebelumnya = job.nip_total.saturating_sub(pending.len());
    let endpoints = endpoints_of(&options.endpoints);
    let mut run = Run {
        hub,
        client,
        store,
        job: job.id,
        instansi,
        endpoints: Arc::new(endpoints),
        batch_size: options.batch.clamp(1, 500),
        done: report.nip_sebelumnya,
        total: job.nip_total,
        failures_in_a_row: 0,
        wrong_instansi: 0,
        instansi_seen: false,
        importing: None,
        failed_nips: Vec::new(),
    };
    progress(Progress::Pegawai { selesai: run.done, total: run.total });
    let failed = run.nips(pending, &mut report, progress).await?;
    if !failed.is_empty() {
        // One more try for what failed (a double 401, a connection reset on every attempt): usually it works now.
        run.done -= failed.len();
        report.gagal.clear();
        report.per_nip.retain(|nip| nip.hasil != Some(NipOutcome::Gagal));
        run.nips(failed, &mut report, progress).await?;
    }
    report.permintaan = client.jumlah_permintaan() - requests_before;
    report.detik = started.elapsed().as_secs_f64();
    let pesan = format!(
        "baru {}, berubah {}, tetap {}, dilewati {}, gagal {}",
        report.baru,
        report.berubah,
        report.tetap,
        report.dilewati,
        report.gagal.len()
    );
    store.finish_job(job.id, JobStatus::Selesai, &pesan)?;
    Ok(report)
}

/// The endpoints to fetch: the known ones of `wanted` in order, once each, `data-utama` first.
fn endpoints_of(wanted: &[String]) -> Vec<String> {
    let mut endpoints = vec!["data-utama".to_owned()];
    for endpoint in wanted {
        let endpoint = endpoint.trim();
        if ws::PEGAWAI_ENDPOINTS.contains(&endpoint) && !endpoints.iter().any(|e| e == endpoint) {
            endpoints.push(endpoint.to_owned());
        }
    }
    endpoints
}

/// Runs blocking work (the hub, SQLite) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SiasnError> + Send + 'static,
) -> Result<T, SiasnError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| SiasnError::Penyimpanan(format!("pekerjaan latar berhenti tak terduga: {error}")))?
}

// ---------------------------------------------------------------------------------------------------------------
// lists

/// Reads the lists and keeps them; the NIPs they name. Failures go to `report.galat_daftar`, except a failure to
/// authenticate ([`is_auth_failure`]), which every later request would hit too: it is returned.
async fn fetch_lists(
    hub: &Hub,
    client: &SiasnClient,
    store: &SiasnStore,
    options: &PullOptions,
    report: &mut PullReport,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Vec<String>, SiasnError> {
    let instansi = options.instansi.as_str();
    let halaman = options.halaman.max(1);
    let mut nips = Vec::new();

    let unor = walk::<Unor>(client, "/referensi/ref-unor", &[], halaman, "ref-unor", progress).await;
    match unor {
        Ok(Walk { items, .. }) => report.unor = store.replace_unor(instansi, &items)?,
        Err(error) if is_auth_failure(&error) => return Err(error),
        Err(error) => report.galat_daftar.push(format!("ref-unor: {error}")),
    }

    let mut status_items = Vec::new();
    for periode in kp_periods(options.hari_ini) {
        let periode = periode.format("%Y-%m-%d").to_string();
        let query = [("periode", periode.clone())];
        match walk::<UsulanKp>(client, "/pns/list-kp-instansi", &query, halaman, "list-kp-instansi", progress).await {
            Ok(Walk { items, .. }) => {
                report.usulan_kp += store.save_usulan_kp(instansi, &periode, &items)?;
                nips.extend(items.iter().filter_map(|item| valid_nip(item.nip.as_ref())));
                status_items.extend(items.iter().filter_map(status_kp));
            }
            Err(error) if is_auth_failure(&error) => return Err(error),
            Err(error) => report.galat_daftar.push(format!("list-kp-instansi {periode}: {error}")),
        }
    }

    let awal = options.hari_ini;
    let akhir = awal.checked_add_months(Months::new(options.pensiun_bulan.max(1))).unwrap_or(awal);
    let query = [("tglAwal", awal.format("%d-%m-%Y").to_string()), ("tglAkhir", akhir.format("%d-%m-%Y").to_string())];
    let endpoint = "list-pensiun-instansi";
    match walk::<UsulanPensiun>(client, "/pns/list-pensiun-instansi", &query, halaman, endpoint, progress).await {
        Ok(Walk { items, .. }) => {
            report.usulan_pensiun = store.save_usulan_pensiun(instansi, &items)?;
            nips.extend(items.iter().filter_map(|item| valid_nip(item.nip.as_ref())));
            status_items.extend(items.iter().filter_map(status_pensiun));
        }
        Err(error) if is_auth_failure(&error) => return Err(error),
        Err(error) => report.galat_daftar.push(format!("{endpoint}: {error}")),
    }

    if !status_items.is_empty() {
        let hub = hub.clone();
        let instansi = instansi.to_owned();
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let laporan = blocking(move || hub.catat_status_siasn(&instansi, &status_items, &now).map_err(Into::into));
        match laporan.await {
            Ok(laporan) => report.status_usulan_diperbarui = laporan.diperbarui,
            Err(error) => report.galat_daftar.push(format!("status usulan: {error}")),
        }
    }
    Ok(nips)
}

/// Errors that say the run cannot authenticate (or is not configured to): every other request would fail the same.
fn is_auth_failure(error: &SiasnError) -> bool {
    matches!(
        error,
        SiasnError::TokenApim { .. }
            | SiasnError::TokenSso { .. }
            | SiasnError::SsoKedaluwarsa { .. }
            | SiasnError::Otentikasi { .. }
            | SiasnError::Konfigurasi(_)
    )
}

/// The KP periods asked for on `hari_ini`: the latest KP date on or before it and the first one after it, by the
/// calendar in force on each date (`periode-kp.json`).
pub fn kp_periods(hari_ini: NaiveDate) -> Vec<NaiveDate> {
    let referensi = model::referensi::referensi();
    let mut current = None;
    let start = hari_ini.checked_sub_months(Months::new(13)).unwrap_or(hari_ini);
    let mut date = referensi.tmt_kp_berikutnya(start);
    // At most one KP date per month: bounded by the 13 months walked.
    for _ in 0..=14 {
        if date > hari_ini {
            break;
        }
        current = Some(date);
        let Some(next_day) = date.succ_opt() else { break };
        date = referensi.tmt_kp_berikutnya(next_day);
    }
    let next = referensi.tmt_kp_berikutnya(hari_ini.succ_opt().unwrap_or(hari_ini));
    current.into_iter().chain((next != NaiveDate::MAX).then_some(next)).collect()
}

/// A NIP worth fetching: 18 digits.
fn valid_nip(nip: Option<&Nip>) -> Option<String> {
    let nip = nip?.as_str();
    (nip.len() == 18 && nip.bytes().all(|b| b.is_ascii_digit())).then(|| nip.to_owned())
}

fn status_kp(item: &UsulanKp) -> Option<ItemStatusSiasn> {
    Some(ItemStatusSiasn {
        id: item.id.clone()?,
        nip: valid_nip(item.nip.as_ref())?,
        jenis: JenisUsulan::KenaikanPangkat,
        status: StatusSiasn {
            kode: item.status_usulan.clone()?,
            nama: item.status_usulan_nama.clone(),
            nomor_pertek: item.no_pertek.clone(),
            tanggal_pertek: item.tgl_pertek,
            nomor_sk: item.no_sk.clone(),
            tanggal_sk: item.tgl_sk,
            tmt: item.tmt_kp,
            diperbarui: String::new(),
        },
    })
}

fn status_pensiun(item: &UsulanPensiun) -> Option<ItemStatusSiasn> {
    Some(ItemStatusSiasn {
        id: item.id.clone()?,
        nip: valid_nip(item.nip.as_ref())?,
        jenis: JenisUsulan::Pemberhentian,
        status: StatusSiasn {
            kode: item.status_usulan.clone()?,
            nama: item.status_usulan_nama.clone(),
            nomor_pertek: item.pertek_nomor.clone(),
            tanggal_pertek: item.pertek_tgl,
            nomor_sk: item.sk_nomor.clone(),
            tanggal_sk: item.sk_tgl,
            tmt: item.tmt_pensiun,
            diperbarui: String::new(),
        },
    })
}

/// A list item with an id to deduplicate by.
pub trait ListRow: Sized {
    /// Decodes one page's body.
    fn decode(body: &str, warnings: &mut Vec<model::Warning>) -> Vec<Self>;
    /// The row's id, when it has one.
    fn id(&self) -> Option<&str>;
}

impl ListRow for Unor {
    fn decode(body: &str, warnings: &mut Vec<model::Warning>) -> Vec<Self> {
        lists::decode_ref_unor(body, warnings)
    }
    fn id(&self) -> Option<&str> {
        Some(self.id.as_str()).filter(|id| !id.is_empty())
    }
}

impl ListRow for UsulanKp {
    fn decode(body: &str, warnings: &mut Vec<model::Warning>) -> Vec<Self> {
        lists::decode_list_kp(body, warnings)
    }
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

impl ListRow for UsulanPensiun {
    fn decode(body: &str, warnings: &mut Vec<model::Warning>) -> Vec<Self> {
        lists::decode_list_pensiun(body, warnings)
    }
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

/// What a list walk read.
#[derive(Debug)]
pub struct Walk<T> {
    /// Distinct rows by id, in the order first seen (rows without an id are left out: they cannot be told apart).
    pub items: Vec<T>,
    /// Pages requested.
    pub pages: usize,
    /// Rows seen again while paging (a page shifted under us); the second look at the first pages not counted.
    pub duplicates: usize,
    /// Rows without an id.
    pub without_id: usize,
}

/// Reads the list at `path` page by page until an empty page (see the module docs), deduplicated by id.
///
/// # Errors
/// The client's error for a page, or [`SiasnError::Jawaban`] for an answer that is not SI-ASN's list (an error
/// envelope, a status other than 200 and 404).
pub async fn walk<T: ListRow>(
    client: &SiasnClient,
    path: &str,
    query: &[(&str, String)],
    limit: usize,
    endpoint: &'static str,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<Walk<T>, SiasnError> {
    let mut walk = Walk { items: Vec::new(), pages: 0, duplicates: 0, without_id: 0 };
    let mut seen = HashSet::new();
    let limit_text = limit.to_string();
    let mut offset = 0usize;
    let mut rechecked = None;
    let mut stale = 0usize;
    while walk.pages < MAX_PAGES {
        let offset_text = offset.to_string();
        let mut page_query: Vec<(&str, &str)> = query.iter().map(|(key, value)| (*key, value.as_str())).collect();
        page_query.push(("limit", &limit_text));
        page_query.push(("offset", &offset_text));
        let answer = client.get(path, &page_query).await?;
        walk.pages += 1;
        if answer.status != 200 && answer.status != 404 {
            let pesan = format!("HTTP {}: {}", answer.status, excerpt(&answer.body));
            return Err(SiasnError::Jawaban { path: path.to_owned(), pesan });
        }
        if ws::is_empty_body(&answer.body) {
            // Not an empty page: SI-ASN never answers with nothing (taken as the end, it would cut the list).
            let pesan = format!("HTTP {} tanpa isi", answer.status);
            return Err(SiasnError::Jawaban { path: path.to_owned(), pesan });
        }
        if let Envelope::Error(text) = ws::open_envelope(&answer.body) {
            return Err(SiasnError::Jawaban { path: path.to_owned(), pesan: excerpt(&text) });
        }
        let mut warnings = Vec::new();
        let rows = T::decode(&answer.body, &mut warnings);
        let page_len = rows.len();
        let mut fresh = 0;
        for row in rows {
            match row.id().map(str::to_owned) {
                Some(id) if !seen.contains(&id) => {
                    seen.insert(id);
                    fresh += 1;
                    walk.items.push(row);
                }
                // The second look at the first pages sees them again by design.
                Some(_) if rechecked.is_none() => walk.duplicates += 1,
                Some(_) => {}
                None => walk.without_id += 1,
            }
        }
        progress(Progress::Daftar { endpoint, baris: walk.items.len() });
        stale = if fresh == 0 { stale + 1 } else { 0 };
        match rechecked {
            None if page_len == 0 || stale >= STALE_PAGES => {
                // The end (or a server ignoring `offset`): read the first pages again for rows added meanwhile.
                rechecked = Some(0);
                offset = 0;
            }
            None => offset += limit,
            Some(count) if page_len == 0 || fresh == 0 || count + 1 >= RECHECK_PAGES => break,
            Some(count) => {
                rechecked = Some(count + 1);
                offset += limit;
            }
        }
    }
    Ok(walk)
}

fn excerpt(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// pegawai

/// The state of one run over a job's NIPs.
struct Run<'a> {
    hub: &'a Hub,
    client: &'a SiasnClient,
    store: &'a SiasnStore,
    job: i64,
    instansi: &'a str,
    endpoints: Arc<Vec<String>>,
    batch_size: usize,
    /// NIPs done or failed (earlier runs included).
    done: usize,
    total: usize,
    failures_in_a_row: usize,
    /// NIPs of this run whose data utama named another instansi, while none named `instansi` yet.
    wrong_instansi: usize,
    /// Whether a data utama of this run named `instansi` (or no instansi).
    instansi_seen: bool,
    /// The import running in the background while the next pegawai are fetched (one at a time).
    importing: Option<tokio::task::JoinHandle<Result<Imported, SiasnError>>>,
    /// NIPs that failed in this pass.
    failed_nips: Vec<String>,
}

/// What a background import gave: the NIP reports and the seconds it took.
type Imported = (Vec<NipReport>, f64);

/// One NIP's fetch: the NIP and the body of each endpoint.
type Fetched = (String, Result<BTreeMap<String, String>, SiasnError>);

/// A fetched and decoded pegawai waiting for its batch.
struct Ready {
    nip: String,
    pegawai: model::Pegawai,
    warnings: usize,
}

impl Run<'_> {
    /// Fetches, decodes and imports `nips`; the NIPs that failed.
    async fn nips(
        &mut self,
        nips: Vec<String>,
        report: &mut PullReport,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Vec<String>, SiasnError> {
        let window = self.client.konkurensi().max(2);
        let mut queue = nips.into_iter();
        let mut inflight: JoinSet<Fetched> = JoinSet::new();
        let mut ready: Vec<Ready> = Vec::new();
        let mut failed: Vec<NipReport> = Vec::new();
        let mut oldest: Option<Instant> = None;
        loop {
            while inflight.len() < window {
                let Some(nip) = queue.next() else { break };
                inflight.spawn(fetch_nip(self.client.clone(), nip, self.endpoints.clone()));
            }
            let Some(joined) = inflight.join_next().await else { break };
            // A fetch task cannot panic short of a bug; its NIP then stays pending for the next run.
            let Ok((nip, fetched)) = joined else { continue };
            report.nip_diambil += 1;
            let mut wrong = None;
            let decoded = fetched.and_then(|bodies| decode(&nip, &bodies)).and_then(|ready| {
                match instansi_lain(&ready.pegawai.data_utama, self.instansi) {
                    Some(milik) => {
                        let pesan = format!(
                            "data utama milik instansi {milik}, bukan instansi {} yang ditarik; tidak diimpor \
                             (periksa --instansi)",
                            self.instansi
                        );
                        wrong = Some(milik);
                        Err(SiasnError::Jawaban { path: format!("/pns/data-utama/{nip}"), pesan })
                    }
                    None => Ok(ready),
                }
            });
            match &wrong {
                Some(_) if !self.instansi_seen => self.wrong_instansi += 1,
                Some(_) => {}
                None if decoded.is_ok() => self.instansi_seen = true,
                None => {}
            }
            match decoded {
                Ok(decoded) => {
                    self.failures_in_a_row = 0;
                    oldest.get_or_insert_with(Instant::now);
                    ready.push(decoded);
                }
                Err(error) if is_fatal(&error) => {
                    self.flush(&mut ready, &mut failed, report, progress).await?;
                    self.settle(report, progress).await?;
                    return Err(error);
                }
                Err(error) => {
                    self.failures_in_a_row += 1;
                    tracing::debug!(nip, error = %error, "pegawai dari SI-ASN gagal diambil");
                    failed.push(NipReport {
                        nip,
                        hasil: Some(NipOutcome::Gagal),
                        peringatan: 0,
                        galat: Some(error.to_string()),
                        percobaan: 1,
                    });
                    if let Some(milik) = wrong
                        && !self.instansi_seen
                        && self.wrong_instansi >= STOP_AFTER_WRONG_INSTANSI
                    {
                        self.flush(&mut ready, &mut failed, report, progress).await?;
                        self.settle(report, progress).await?;
                        let instansi = self.instansi.to_owned();
                        return Err(SiasnError::InstansiLain { instansi, milik, nip: self.wrong_instansi });
                    }
                    if self.failures_in_a_row >= STOP_AFTER_FAILURES {
                        self.flush(&mut ready, &mut failed, report, progress).await?;
                        self.settle(report, progress).await?;
                        return Err(error);
                    }
                }
            }
            if ready.len() >= self.batch_size || oldest.is_some_and(|at| at.elapsed() >= FLUSH_AFTER) {
                self.flush(&mut ready, &mut failed, report, progress).await?;
                oldest = None;
            }
        }
        self.flush(&mut ready, &mut failed, report, progress).await?;
        self.settle(report, progress).await?;
        Ok(std::mem::take(&mut self.failed_nips))
    }

    /// Starts importing the ready pegawai in one transaction in the background (after the previous import
    /// finished), then recording them and the failed NIPs as done or failed; the fetching goes on meanwhile.
    async fn flush(
        &mut self,
        ready: &mut Vec<Ready>,
        failed: &mut Vec<NipReport>,
        report: &mut PullReport,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), SiasnError> {
        if ready.is_empty() && failed.is_empty() {
            return Ok(());
        }
        self.settle(report, progress).await?;
        let batch = std::mem::take(ready);
        let mut failures = std::mem::take(failed);
        let hub = self.hub.clone();
        let store = self.store.clone();
        let instansi = self.instansi.to_owned();
        let job = self.job;
        self.importing = Some(tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let reports = import_batch(&hub, &store, &instansi, job, batch, &mut failures)?;
            Ok((reports, started.elapsed().as_secs_f64()))
        }));
        Ok(())
    }

    /// Waits for the background import, if any, and counts what it did.
    async fn settle(
        &mut self,
        report: &mut PullReport,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<(), SiasnError> {
        let Some(importing) = self.importing.take() else { return Ok(()) };
        let (reports, seconds) = importing
            .await
            .map_err(|error| SiasnError::Penyimpanan(format!("impor latar berhenti tak terduga: {error}")))??;
        report.detik_impor += seconds;
        for nip_report in &reports {
            report.peringatan += nip_report.peringatan;
            match nip_report.hasil {
                Some(NipOutcome::Baru) => report.baru += 1,
                Some(NipOutcome::Berubah) => report.berubah += 1,
                Some(NipOutcome::Tetap) => report.tetap += 1,
                Some(NipOutcome::Dilewati) => report.dilewati += 1,
                Some(NipOutcome::Gagal) => {
                    self.failed_nips.push(nip_report.nip.clone());
                    report.gagal.push(nip_report.clone());
                }
                None => {}
            }
        }
        self.done += reports.len();
        report.per_nip.extend(reports);
        progress(Progress::Pegawai { selesai: self.done, total: self.total });
        Ok(())
    }
}

/// The blocking half of a flush: the push's id renaming, the import, then the NIP states (after the commit).
fn import_batch(
    hub: &Hub,
    store: &SiasnStore,
    instansi: &str,
    job: i64,
    batch: Vec<Ready>,
    failures: &mut Vec<NipReport>,
) -> Result<Vec<NipReport>, SiasnError> {
    let mut pegawai = Vec::with_capacity(batch.len());
    let mut reports = Vec::with_capacity(batch.len() + failures.len());
    for mut item in batch {
        match push::ganti_id_terkirim(store, &item.nip, &mut item.pegawai) {
            Ok(()) => {
                reports.push(NipReport {
                    nip: item.nip,
                    hasil: None,
                    peringatan: item.warnings,
                    galat: None,
                    percobaan: 1,
                });
                pegawai.push(item.pegawai);
            }
            Err(error) => failures.push(NipReport {
                nip: item.nip,
                hasil: Some(NipOutcome::Gagal),
                peringatan: item.warnings,
                galat: Some(error.to_string()),
                percobaan: 1,
            }),
        }
    }
    hub.import_pegawai_each(instansi, pegawai, &mut |index, outcome| {
        if let Some(report) = reports.get_mut(index) {
            report.hasil = Some(match outcome {
                ImportOutcome::Inserted => NipOutcome::Baru,
                ImportOutcome::Updated => NipOutcome::Berubah,
                ImportOutcome::Unchanged => NipOutcome::Tetap,
                ImportOutcome::Skipped => NipOutcome::Dilewati,
            });
        }
    })?;
    reports.append(failures);
    store.record_nips(job, &reports)?;
    Ok(reports)
}

/// The instansi a data utama belongs to (`instansi_induk_id`, else `instansi_kerja_id`) when it names one other
/// than `instansi`.
fn instansi_lain(utama: &model::pegawai::DataUtama, instansi: &str) -> Option<String> {
    let milik = [&utama.instansi_induk_id, &utama.instansi_kerja_id]
        .into_iter()
        .filter_map(|id| id.as_deref().map(str::trim))
        .find(|id| !id.is_empty())?;
    (!milik.eq_ignore_ascii_case(instansi.trim())).then(|| milik.to_owned())
}

/// Errors after which every other request would fail too: the run stops.
fn is_fatal(error: &SiasnError) -> bool {
    matches!(
        error,
        SiasnError::SsoKedaluwarsa { .. }
            | SiasnError::TokenApim { .. }
            | SiasnError::TokenSso { .. }
            | SiasnError::Konfigurasi(_)
            | SiasnError::Penyimpanan(_)
            | SiasnError::Hub(_)
    )
}

/// Fetches every endpoint of `nip` concurrently (the client bounds the requests in flight): the body of each.
async fn fetch_nip(client: SiasnClient, nip: String, endpoints: Arc<Vec<String>>) -> Fetched {
    let mut requests = JoinSet::new();
    for endpoint in endpoints.iter() {
        let client = client.clone();
        let path = format!("/pns/{endpoint}/{nip}");
        let endpoint = endpoint.clone();
        requests.spawn(async move {
            let answer = client.get(&path, &[]).await;
            (endpoint, path, answer)
        });
    }
    let mut bodies = BTreeMap::new();
    while let Some(joined) = requests.join_next().await {
        let Ok((endpoint, path, answer)) = joined else {
            return (nip, Err(SiasnError::Penyimpanan("permintaan SI-ASN berhenti tak terduga".to_owned())));
        };
        let answer = match answer {
            Ok(answer) => answer,
            // Dropping `requests` cancels the other endpoints of this NIP.
            Err(error) => return (nip, Err(error)),
        };
        if answer.status != 200 && answer.status != 404 {
            let pesan = format!("HTTP {}: {}", answer.status, excerpt(&answer.body));
            return (nip, Err(SiasnError::Jawaban { path, pesan }));
        }
        if ws::is_empty_body(&answer.body) {
            // SI-ASN never answers with nothing: taking it as "no rows" would empty the riwayat list.
            let pesan = format!("HTTP {} tanpa isi", answer.status);
            return (nip, Err(SiasnError::Jawaban { path, pesan }));
        }
        match ws::open_envelope(&answer.body) {
            Envelope::Error(text) => return (nip, Err(SiasnError::Jawaban { path, pesan: excerpt(&text) })),
            // A 404 is "no rows" only in SI-ASN's own envelope (`code 0`, "Data tidak ditemukan", "record not
            // found"); another 404 (a gateway's, a proxy's page) is an error, or it would empty the riwayat list.
            Envelope::NotFound if answer.status == 404 && !is_siasn_not_found(&answer.body) => {
                let pesan = format!("HTTP 404 bukan jawaban SI-ASN: {}", excerpt(&answer.body));
                return (nip, Err(SiasnError::Jawaban { path, pesan }));
            }
            Envelope::Data(_) if answer.status == 404 => {
                let pesan = format!("HTTP 404 dengan data: {}", excerpt(&answer.body));
                return (nip, Err(SiasnError::Jawaban { path, pesan }));
            }
            _ => {}
        }
        bodies.insert(endpoint, answer.body);
    }
    (nip, Ok(bodies))
}

/// True for SI-ASN's own "nothing here" answer: an object whose `code` is 0, or whose `data` (or `message`) is
/// "Data tidak ditemukan" / "record not found".
fn is_siasn_not_found(body: &str) -> bool {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_str(body.trim_start_matches('\u{feff}').trim()) else {
        return false;
    };
    let member = |name: &str| object.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value);
    let code_zero = match member("code") {
        Some(serde_json::Value::Number(number)) => number.as_i64() == Some(0),
        Some(serde_json::Value::String(text)) => text.trim() == "0",
        _ => false,
    };
    let text_not_found = ["data", "message"].iter().any(|name| {
        member(name).and_then(serde_json::Value::as_str).is_some_and(|text| {
            let lower = text.trim().to_lowercase();
            lower == "data tidak ditemukan" || lower == "record not found"
        })
    });
    code_zero || text_not_found
}

/// Decodes one NIP's bodies; a data utama SI-ASN does not have, or that names another NIP, fails the NIP.
fn decode(nip: &str, bodies: &BTreeMap<String, String>) -> Result<Ready, SiasnError> {
    let clean = Nip::clean(nip);
    let mut warnings = Vec::new();
    let decoded = ws::decode_pegawai(&clean, &mut |endpoint| bodies.get(endpoint).cloned(), &mut warnings);
    let path = format!("/pns/data-utama/{nip}");
    let Some(pegawai) = decoded else {
        let pesan = match bodies.get("data-utama").map(|body| ws::open_envelope(body)) {
            Some(Envelope::NotFound) => "data utama tidak ditemukan di SI-ASN (404 code 0)".to_owned(),
            _ => "data utama tidak dapat dibaca".to_owned(),
        };
        return Err(SiasnError::Jawaban { path, pesan });
    };
    if pegawai.data_utama.nip != clean {
        let pesan = "data utama yang dikirim milik NIP lain; tidak diimpor".to_owned();
        return Err(SiasnError::Jawaban { path, pesan });
    }
    Ok(Ready { nip: nip.to_owned(), pegawai, warnings: warnings.len() })
}

#[cfg(test)]
mod tests;
