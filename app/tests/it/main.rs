//! Integration tests of the app's use cases against the real local OpenID provider (`tools/idp`) and a real hub
//! over HTTP on 127.0.0.1.

#![allow(clippy::unwrap_used, reason = "tests panic on broken setup by design")]

mod desk;
mod pengingat;
mod replica;
mod riwayat;
mod sign_in;
mod usulan;
mod usulan_jenis;
mod verifikasi;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use app::context::Config;
use app::secret::{MemoryStore, SecretStore};
use app::settings::Overrides;
use chrono::{DateTime, Utc};
use hub::auth::TokenVerifier;
use hub::server::{ServerState, serve_on};
use hub::{Hub, HubOptions, Role, RosterEntry};
use idp_harness::{Account, Idp};
use sync::driver::DriverOptions;

/// Kab. Contoh Selatan, the instansi of `../shared/fixtures` and of the demo operator.
pub const SELATAN: &str = "CB3E94428C058428E040640AAD66431D";

/// A folder under the system temp folder, removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("luring-app-{name}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The fixed "now" of the desktop tests (the clock of every device).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-30T03:00:00Z").unwrap().with_timezone(&Utc)
}

/// The configuration of one test device: its folder, the provider and hub under test, its keyring, the fixed
/// clock; only the round right after sign-in and the explicit ones run during a test.
pub fn config(folder: &TempDir, idp: &Idp, hub: &RunningHub, secrets: &Arc<MemoryStore>) -> Config {
    Config {
        settings_file: folder.0.join("pengaturan.toml"),
        overrides: Overrides {
            data: Some(folder.0.join("data")),
            hub: Some(hub.base.clone()),
            sso_issuer: Some(idp.issuer().to_owned()),
            sso_client_id: None,
        },
        secrets: Some(Arc::clone(secrets) as Arc<dyn SecretStore>),
        clock: Arc::new(now),
        sync_interval: Duration::from_secs(3_600),
        driver: DriverOptions { max_failures: 2, backoff_base: Duration::from_millis(20), ..DriverOptions::default() },
        device_name: "Laptop uji".to_owned(),
    }
}

fn fixtures() -> PathBuf {
    match std::env::var_os("LURING_SHARED") {
        Some(shared) => PathBuf::from(shared).join("fixtures"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..").join("shared").join("fixtures"),
    }
}

#[allow(missing_debug_implementations, reason = "test support")]
/// A hub serving on 127.0.0.1 (a fixed port once chosen, so it can be stopped and started again at the same URL).
pub struct RunningHub {
    pub hub: Hub,
    pub base: String,
    port: u16,
    issuer: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl RunningHub {
    /// Opens a hub in `dir` with the demo roster of Contoh Selatan and the fixtures' 60 pegawai, and serves it.
    pub async fn start(dir: &Path, issuer: &str) -> RunningHub {
        let hub = Hub::open(dir, HubOptions::default()).unwrap();
        for peran in ["operator_instansi", "verifikator_instansi"] {
            let account = idp_harness::account(peran);
            let role = Role::parse(&account.peran).unwrap();
            let entry = RosterEntry {
                nip: account.nip,
                nama: Some(account.name),
                instansi: SELATAN.to_owned(),
                roles: vec![role],
            };
            hub.roster_add(entry).unwrap();
        }
        let importer = hub.clone();
        tokio::task::spawn_blocking(move || {
            let csv = std::fs::read(fixtures().join("export-data-asn.csv")).unwrap();
            let pegawai: Vec<model::Pegawai> = model::siasn::export::decode(&csv)
                .records
                .into_iter()
                .map(|record| model::Pegawai { data_utama: record.data_utama, ..model::Pegawai::default() })
                .collect();
            importer.import_pegawai(SELATAN, pegawai, &mut |_| {}).unwrap();
        })
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut running = RunningHub {
            hub,
            base: format!("http://127.0.0.1:{port}"),
            port,
            issuer: issuer.to_owned(),
            stop: None,
            task: None,
        };
        running.serve(listener);
        running
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let verifier = TokenVerifier::new(&self.issuer, "luring-desktop").unwrap();
        let state = ServerState::new(self.hub.clone(), Arc::new(verifier));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        self.stop = Some(stop);
        self.task = Some(tokio::spawn(serve_on(listener, state, async move {
            let _ = stopped.await;
        })));
    }

    /// Stops serving (the officer is offline); the hub's data stays.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), task).await;
            assert!(matches!(result, Ok(Ok(Ok(())))), "the hub did not stop cleanly: {result:?}");
        }
    }

    /// Puts demo `account` on the hub's roster of Contoh Selatan with its own role.
    pub fn add_to_roster(&self, account: &Account) {
        let entry = RosterEntry {
            nip: account.nip.clone(),
            nama: Some(account.name.clone()),
            instansi: SELATAN.to_owned(),
            roles: vec![Role::parse(&account.peran).unwrap()],
        };
        self.hub.roster_add(entry).unwrap();
    }

    /// Serves again at the same URL.
    pub async fn restart(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }
}

/// The demo account with role `peran`.
pub fn account(peran: &str) -> Account {
    idp_harness::account(peran)
}
