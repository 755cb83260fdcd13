//! A SIMULATOR of BKN's SI-ASN web service, for tests, benchmarks and the demo. It is not BKN's service, talks to
//! nothing outside this machine, and every person and number in it is generated (`generator`).
//!
//! It serves the generator's kabupaten over HTTP on loopback in the published shapes (siasn-api.md §1–§2):
//! - `POST {base}/oauth2/token`: the APIM (WSO2) token, client credentials with HTTP Basic `key:secret`;
//! - `POST {base}/auth/realms/public-siasn/protocol/openid-connect/token`: the SSO token, password grant for any
//!   18-digit NIP with the password `simulator`; a JWT with `exp` ([`Simulator::sso_token`] makes one to paste);
//! - `{base}/apisiasn/1.0/…` (both tokens: `Authorization: Bearer <apim>`, `Auth: bearer <sso>`):
//!   `GET /pns/data-utama/{nip}`, `GET /pns/{rw-*|data-pasangan|data-anak}/{nip}` for every endpoint of
//!   `generator::ENDPOINTS` (any other → 404 `{"code":0,"data":"Data tidak ditemukan"}`), `GET /referensi/ref-unor`,
//!   `GET /pns/list-kp-instansi`, `GET /pns/list-pensiun-instansi`, `POST /jabatan/save`,
//!   `POST /jabatan/unorjabatan/save`, `POST /upload-dok-rw`, `GET /download-dok`;
//! - `{base}/referensi_siasn/1/{agama|golongan|ref-dokumen}[/search]` (APIM token only).
//!
//! Faults ([`Faults`], applied in `faults`): latency, slow responses, random 401s, APIM token expiry, connections
//! cut mid-response, list pagination that shifts while paging (with a `count` that lies), and lost responses of
//! writes that were applied. Every request is counted in [`Statistik`].
//!
//! Modules: `dataset` (the data and the writes), `auth` (tokens), `faults` (the middleware), `routes` (handlers).
//!
//! What it deliberately does not do: TLS, the other endpoints of §1.3, RS256 Keycloak keys, usulan workflows
//! (the lists are derived from the data, not from submissions), data dirt (the generator's clean shapes), and
//! persistence (everything lives in memory and is gone at [`Simulator::stop`]).

mod auth;
mod dataset;
mod faults;
mod routes;

use std::collections::BTreeMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::Auth;
use crate::dataset::Dataset;
use crate::faults::FaultState;

/// How the simulator starts.
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// Number of generated pegawai (`generator::Config::pegawai`).
    pub pegawai: usize,
    /// Seed of the dataset (`generator::Config::seed`; also derives the JWT secret and new row ids).
    pub seed: u64,
    /// Where to listen; `127.0.0.1:0` picks a free port.
    pub addr: SocketAddr,
    /// The faults in force from the start ([`Simulator::set_faults`] changes them).
    pub faults: Faults,
    /// The APIM consumer key accepted by `POST /oauth2/token`.
    pub consumer_key: String,
    /// The APIM consumer secret.
    pub consumer_secret: String,
}

impl Default for SimulatorConfig {
    /// 200 pegawai, seed 1, `127.0.0.1:0`, no faults, key `simulator-key`, secret `simulator-secret`.
    fn default() -> Self {
        SimulatorConfig {
            pegawai: 200,
            seed: 1,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            faults: Faults::default(),
            consumer_key: "simulator-key".into(),
            consumer_secret: "simulator-secret".into(),
        }
    }
}

/// The injected faults (exact behaviour and order: module `faults`). Probabilities are per request to the web
/// service (`/apisiasn/1.0`, `/referensi_siasn/1`), 0.0–1.0; the token endpoints only get `latency`.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Added to every response (100 ms for the benchmark).
    pub latency: Duration,
    /// Random HTTP 401 `{"message":"invalid or expired jwt"}` (WSO2 shape, §1.2.6); the handler does not run.
    pub p_401: f64,
    /// Connection cut without a full response (headers, about half the body, then a body stream error). A write
    /// hit by it is NOT applied.
    pub p_reset: f64,
    /// Probability of an occasional slow response …
    pub p_slow: f64,
    /// … slowed by this much on top of `latency`.
    pub slow: Duration,
    /// APIM tokens expire this long after issue (401 WSO2 `Invalid Credentials` afterwards); `None` = 3600 s.
    /// Checked at each request, so lowering it expires tokens already issued.
    pub apim_ttl: Option<Duration>,
    /// `list-kp-instansi` / `list-pensiun-instansi`: every request with `offset > 0` first puts a new usulan row at
    /// the front (so the previous page's last row comes again), and `count` excludes those rows.
    pub shift_pages: bool,
    /// The next N write requests (`*/save`, `upload-dok-rw`) that pass the token checks are APPLIED, then their
    /// response is cut.
    pub lose_write_responses: u32,
    /// The next N write requests that pass the token checks are NOT applied and their response is cut (a write
    /// lost on its way: the client cannot tell it from a lost answer).
    pub drop_writes: u32,
    /// The next N jabatan saves are applied and answered `success:true` without `mapData.rwJabatanId`.
    pub saves_without_id: u32,
    /// Seed of the fault RNG (fastrand), re-seeded by every [`Simulator::set_faults`].
    pub seed: u64,
}

/// What the simulator has seen since it started.
#[derive(Clone, Debug, Default)]
pub struct Statistik {
    /// Every request that reached the router (including 401, 404 and faulted ones).
    pub permintaan: u64,
    /// Requests per endpoint: `data-utama`, `rw-jabatan`, `list-kp-instansi`, `ref-unor`, `jabatan/save`,
    /// `jabatan/unorjabatan/save`, `upload-dok-rw`, `download-dok`, `oauth2/token`, `openid-connect/token`,
    /// `referensi/<name>`, or the path for anything else.
    pub per_endpoint: BTreeMap<String, u64>,
    /// Requests naming this NIP in the path (`/pns/{endpoint}/{nip}`).
    pub per_nip: BTreeMap<String, u64>,
    /// Every APPLIED write, in order: (endpoint `jabatan/save` / `jabatan/unorjabatan/save` / `upload-dok-rw`,
    /// NIP, riwayat id).
    pub simpan: Vec<(String, String, String)>,
}

/// State shared by the handlers.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) dataset: RwLock<Dataset>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) auth: Auth,
    statistik: Mutex<Statistik>,
}

impl Shared {
    /// Counts one request.
    pub(crate) fn catat(&self, endpoint: &str, nip: Option<&str>) {
        let mut statistik = self.statistik.lock().unwrap_or_else(PoisonError::into_inner);
        statistik.permintaan += 1;
        *statistik.per_endpoint.entry(endpoint.to_owned()).or_default() += 1;
        if let Some(nip) = nip {
            *statistik.per_nip.entry(nip.to_owned()).or_default() += 1;
        }
    }

    /// Records one applied write.
    pub(crate) fn catat_simpan(&self, endpoint: &str, nip: &str, id: &str) {
        let mut statistik = self.statistik.lock().unwrap_or_else(PoisonError::into_inner);
        statistik.simpan.push((endpoint.to_owned(), nip.to_owned(), id.to_owned()));
    }
}

/// A running simulator of the SI-ASN web service. Dropping it stops the server too (without waiting).
#[derive(Debug)]
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

/// How long [`Simulator::stop`] waits for requests in flight before aborting them.
const STOP_GRACE: Duration = Duration::from_secs(2);

impl Simulator {
    /// Generates the dataset (CPU-bound, on a blocking thread), binds `config.addr` and starts serving.
    ///
    /// # Errors
    /// Binding the address fails, or the generation thread panicked.
    pub async fn start(config: SimulatorConfig) -> io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let generator_config =
            generator::Config { pegawai: config.pegawai, seed: config.seed, ..generator::Config::default() };
        let dataset =
            tokio::task::spawn_blocking(move || Dataset::new(&generator_config)).await.map_err(io::Error::other)?;
        let base_url = format!("http://{addr}");
        let shared = Arc::new(Shared {
            dataset: RwLock::new(dataset),
            faults: Mutex::new(FaultState::new(config.faults)),
            auth: Auth::new(&config.consumer_key, &config.consumer_secret, config.seed, &base_url),
            statistik: Mutex::new(Statistik::default()),
        });
        let app = routes::router(shared.clone());
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = signal.await;
                })
                .await
        });
        Ok(Simulator { shared, addr, shutdown: Some(shutdown), task: Some(task) })
    }

    /// `http://127.0.0.1:PORT`. The web service is under `{base}/apisiasn/1.0`, the referensi under
    /// `{base}/referensi_siasn/1`, the APIM token at `{base}/oauth2/token`, the SSO token at
    /// `{base}/auth/realms/public-siasn/protocol/openid-connect/token`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// An SSO JWT (HS256, signed with the simulator's secret) for the first NIP of the dataset, expiring `ttl`
    /// from now (`exp` in whole seconds): the token an operator would paste.
    pub fn sso_token(&self, ttl: Duration) -> String {
        let operator = self.nips().into_iter().next().unwrap_or_else(|| "199001012020121001".into());
        self.shared.auth.sso_token(&operator, "simulator", ttl)
    }

    /// Replaces the faults; re-seeds the fault RNG and resets the count of write responses to lose.
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.faults.lock().unwrap_or_else(PoisonError::into_inner) = FaultState::new(faults);
    }

    /// Every NIP of the dataset, sorted.
    pub fn nips(&self) -> Vec<String> {
        self.dataset().nips()
    }

    /// The "Export Data ASN" CSV matching the dataset (`generator::write_csv` of the current data-utama objects, in
    /// generation order: equal to `generator::csv_bytes` of the same config until [`Simulator::ubah`] changes a
    /// data-utama field).
    pub fn export_csv(&self) -> Vec<u8> {
        self.dataset().export_csv()
    }

    /// The generated instansi id (`instansiIndukId`, 32 hex).
    pub fn instansi_id(&self) -> String {
        self.dataset().instansi().instansi_id.clone()
    }

    /// Changes one field of one record, as if BKN had changed it: `endpoint` `data-utama` with `row` `None`, or a
    /// riwayat endpoint with `row` = the riwayat id (keluarga: the `listPasangan`/`listAnak` item's `id` or
    /// `orang.id`; `None` for the top level). `field` may be dotted (`orang.nama`) and must exist.
    ///
    /// # Errors
    /// A message naming what does not exist (NIP, endpoint, row or field).
    pub fn ubah(&self, nip: &str, endpoint: &str, row: Option<&str>, field: &str, value: Value) -> Result<(), String> {
        self.shared.dataset.write().unwrap_or_else(PoisonError::into_inner).ubah(nip, endpoint, row, field, value)
    }

    /// The `data` the simulator would serve for `GET /pns/{endpoint}/{nip}` now (`None`: it answers 404 `code 0`).
    pub fn data(&self, nip: &str, endpoint: &str) -> Option<Value> {
        self.dataset().data(nip, endpoint).cloned()
    }

    /// A copy of the counters.
    pub fn statistik(&self) -> Statistik {
        self.shared.statistik.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Stops accepting, lets requests in flight finish for up to 2 s, then aborts the rest.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(STOP_GRACE, &mut task).await.is_err()
        {
            task.abort();
        }
    }

    fn dataset(&self) -> std::sync::RwLockReadGuard<'_, Dataset> {
        self.shared.dataset.read().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
