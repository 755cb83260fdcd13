//! [`AppContext`]: everything one running desktop app holds (data folder, settings, secret store, the replica, the
//! session, a clock, the sync state and the host's callbacks), and the sign-in use cases (`sesi`, `masuk_mulai`,
//! `masuk_tunggu`, `keluar`) and settings (`pengaturan`, `pengaturan_simpan`).
//!
//! The other use cases are `impl AppContext` blocks of their own modules: [`crate::pegawai`], [`crate::beranda`],
//! [`crate::sinkron`]. Each use case is one async method returning `Result<_, AppError>`; blocking SQLite work runs
//! on tokio's blocking pool ([`AppContext::blocking`]), never on the caller's (IPC) thread.
//!
//! The replica is opened at [`AppContext::start`] when the data folder holds one, or created by the first sign-in
//! (a failed sign-in leaves no empty replica and key behind, as in `luring-cli login`). A setup problem found at
//! construction (unreadable settings, no keyring) does not stop the app: [`AppContext::galat_mulai`] returns it for
//! the UI's error screen, and every use case that needs the missing piece answers it.
//!
//! What it does not do: open windows or the browser itself (the [`Host`] does), or know about Tauri.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use store::Replica;
use sync::driver::DriverOptions;

use crate::error::{AppError, KodeGalat};
use crate::secret::SecretStore;
use crate::session::Session;
use crate::settings::{self, Overrides, Pengaturan, SettingsFile};
use crate::sinkron::{SinkronStatus, SyncState};
use crate::sso::{BrowserSignIn, SsoConfig};

/// How long `masuk_tunggu` waits for the officer to finish signing in in the browser.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// How often the background sync runs while signed in.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(60);

/// The current time (UTC). Tests pass a fixed one.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What the host (the desktop shell) provides: telling the UI that the sync state changed, and opening a URL in the
/// system browser.
pub trait Host: Send + Sync + std::fmt::Debug {
    /// The sync state changed (a round started, progressed or ended). Called from any thread; must not block.
    fn sinkron_berubah(&self, status: &SinkronStatus);

    /// Opens `url` in the system browser.
    ///
    /// # Errors
    /// Why it could not be opened (logged by the caller, never shown as an error: the UI shows the URL).
    fn open_browser(&self, url: &str) -> Result<(), String>;
}

/// A host that does nothing (tests, the CLI).
#[derive(Debug, Default, Clone, Copy)]
pub struct QuietHost;

impl Host for QuietHost {
    fn sinkron_berubah(&self, _status: &SinkronStatus) {}

    fn open_browser(&self, _url: &str) -> Result<(), String> {
        Err("tidak ada peramban (mode uji)".to_owned())
    }
}

/// How to build an [`AppContext`].
#[derive(Clone)]
pub struct Config {
    /// The settings file (`pengaturan.toml`).
    pub settings_file: PathBuf,
    /// Values from the environment that win over the file.
    pub overrides: Overrides,
    /// The secret store; `None` takes the one of `LURING_SECRET_STORE` ([`crate::secret::from_env`]).
    pub secrets: Option<Arc<dyn SecretStore>>,
    /// The clock.
    pub clock: Clock,
    /// The background sync's period.
    pub sync_interval: Duration,
    /// Retry and timeout options of each sync round.
    pub driver: DriverOptions,
    /// The name this device is registered with at the hub.
    pub device_name: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("settings_file", &self.settings_file)
            .field("overrides", &self.overrides)
            .field("sync_interval", &self.sync_interval)
            .field("device_name", &self.device_name)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The configuration of the process environment: the settings file of [`settings::default_file`], the
    /// `LURING_*` overrides, the secret store of `LURING_SECRET_STORE`, the system clock, a 60 s background sync
    /// whose rounds give up quickly ([`desktop_driver_options`]).
    pub fn from_env() -> Config {
        Config {
            settings_file: settings::default_file(),
            overrides: Overrides::from_env(),
            secrets: None,
            clock: Arc::new(Utc::now),
            sync_interval: SYNC_INTERVAL,
            driver: desktop_driver_options(),
            device_name: device_name(),
        }
    }
}

/// The retry options of the desktop's sync rounds: at most 3 failed attempts, backoff capped at 5 s, so a hub that
/// is down shows as "Luring" within seconds rather than after the driver's default 8 attempts (up to about a minute
/// of backoff, measured at ~54 s in the E2E test). Giving up loses nothing: the background round every
/// [`SYNC_INTERVAL`] starts over, and the outbox keeps every local change.
pub fn desktop_driver_options() -> DriverOptions {
    DriverOptions { backoff_cap: Duration::from_secs(5), max_failures: 3, ..DriverOptions::default() }
}

/// This computer's name, for the hub's device list (`HOSTNAME`/`COMPUTERNAME`, else "Komputer").
pub fn device_name() -> String {
    ["HOSTNAME", "COMPUTERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.trim().is_empty()))
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|name| name.trim().to_owned()))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "Komputer".to_owned())
}

/// Who is signed in, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SesiView {
    /// Whether an officer is signed in on this replica (offline work possible).
    pub masuk: bool,
    /// Their NIP.
    pub nip: Option<String>,
    /// Their name with gelar.
    pub nama: Option<String>,
    /// The instansi's name (from the replica's unor tree), or its id when the tree does not name it.
    pub instansi_nama: Option<String>,
    /// Roles on the hub's roster.
    pub peran: Vec<String>,
    /// Until when offline work is possible (RFC 3339, UTC).
    pub luring_sampai: Option<String>,
    /// The session ended (no refresh token): sign in again before syncing; local work is kept.
    pub perlu_masuk_ulang: bool,
    /// The SSO issuer of the session.
    pub issuer: Option<String>,
}

impl SesiView {
    fn signed_out() -> SesiView {
        SesiView {
            masuk: false,
            nip: None,
            nama: None,
            instansi_nama: None,
            peran: Vec::new(),
            luring_sampai: None,
            perlu_masuk_ulang: false,
            issuer: None,
        }
    }
}

/// The start of a browser sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MasukMulai {
    /// The provider's authorization URL: open it in a browser on this computer.
    pub url: String,
}

/// A browser sign-in waiting for its redirect.
struct Pending {
    session: Arc<Session>,
    sign_in: BrowserSignIn,
    /// The sign-in attempt's number ([`AppContext::attempt`]); a newer attempt cancels the wait of this one.
    attempt: u64,
}

/// The running desktop app's state; put in the host's state once, shared as `Arc<AppContext>`.
pub struct AppContext {
    pub(crate) settings_file: PathBuf,
    pub(crate) file: Mutex<SettingsFile>,
    pub(crate) overrides: Overrides,
    pub(crate) data: PathBuf,
    pub(crate) startup: Option<AppError>,
    crash: Mutex<Option<AppError>>,
    pub(crate) secrets: Option<Arc<dyn SecretStore>>,
    pub(crate) replica: Mutex<Option<Arc<Replica>>>,
    pub(crate) session: Mutex<Option<Arc<Session>>>,
    pending: tokio::sync::Mutex<Option<Pending>>,
    /// The URL of the sign-in started last, until it finished, failed or was replaced (`buka_tautan_masuk`).
    pending_url: Mutex<Option<String>>,
    /// The number of the latest sign-in attempt; `masuk_mulai` and `keluar` bump it, which ends an older wait.
    attempt: tokio::sync::watch::Sender<u64>,
    pub(crate) clock: Clock,
    pub(crate) host: Arc<dyn Host>,
    pub(crate) sync: SyncState,
    pub(crate) sync_interval: Duration,
    pub(crate) driver: DriverOptions,
    pub(crate) device_name: String,
    /// Whole-replica aggregates kept while the replica does not change ([`crate::cache`]).
    pub(crate) cache: crate::cache::Cache,
}

impl std::fmt::Debug for AppContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppContext")
            .field("data", &self.data)
            .field("settings_file", &self.settings_file)
            .field("startup", &self.startup)
            .finish_non_exhaustive()
    }
}

impl AppContext {
    /// A context of `config` with `host`. Never fails: a setup problem is kept for [`AppContext::galat_mulai`].
    /// Nothing runs until [`AppContext::start`].
    pub fn new(config: Config, host: Arc<dyn Host>) -> Arc<AppContext> {
        let (file, mut startup) = match settings::read(&config.settings_file) {
            Ok(file) => (file, None),
            Err(error) => (SettingsFile::default(), Some(error)),
        };
        let secrets = match config.secrets {
            Some(secrets) => Some(secrets),
            None => match crate::secret::from_env() {
                Ok(secrets) => Some(secrets),
                Err(error) => {
                    startup.get_or_insert(error.into());
                    None
                }
            },
        };
        let data = settings::data_folder(&file, &config.overrides);
        Arc::new(AppContext {
            settings_file: config.settings_file,
            file: Mutex::new(file),
            overrides: config.overrides,
            data,
            startup,
            crash: Mutex::new(None),
            secrets,
            replica: Mutex::new(None),
            session: Mutex::new(None),
            pending: tokio::sync::Mutex::new(None),
            pending_url: Mutex::new(None),
            attempt: tokio::sync::watch::Sender::new(0),
            clock: config.clock,
            host,
            sync: SyncState::new(),
            sync_interval: config.sync_interval,
            driver: config.driver,
            device_name: config.device_name,
            cache: crate::cache::Cache::default(),
        })
    }

    /// Opens the replica when the data folder holds one, and starts the background sync (every
    /// [`Config::sync_interval`] while signed in, and right away). Call once, inside a tokio runtime.
    pub fn start(self: &Arc<Self>) {
        crate::sinkron::start_background(self);
    }

    /// Stops the background sync (a round in flight finishes first; nothing is lost).
    pub fn stop(&self) {
        self.sync.stop();
    }

    /// The data folder in use.
    pub fn data_folder(&self) -> &Path {
        &self.data
    }

    /// The setup problem found at start (unreadable settings, no keyring; reported on every call), else a crash
    /// recorded since ([`Self::record_crash`]; reported once, so "Muat ulang" gets the app back), for the UI's
    /// error screen.
    pub fn galat_mulai(&self) -> Option<AppError> {
        if let Some(startup) = &self.startup {
            return Some(startup.clone());
        }
        self.crash.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }

    /// Records a crash (a panic at `place`, file and line) for [`Self::galat_mulai`].
    pub fn record_crash(&self, place: &str) {
        let error = AppError::internal(format!("panic di {place}"));
        self.crash.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_or_insert(error);
    }

    /// Today's date in the officer's time zone (the clock in local time).
    pub fn today(&self) -> NaiveDate {
        (self.clock)().with_timezone(&chrono::Local).date_naive()
    }

    /// The key of [`crate::cache`] for `replica` now: its content version and today. Blocking (one SQLite pragma).
    ///
    /// # Errors
    /// Replica errors.
    pub(crate) fn cache_key(&self, replica: &Replica) -> Result<crate::cache::Key, AppError> {
        Ok((replica.versi()?, self.today()))
    }

    /// Runs blocking work (SQLite) on tokio's blocking pool.
    ///
    /// # Errors
    /// `work`'s error, or [`KodeGalat::Internal`] when it panicked.
    pub async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Arc<AppContext>) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let context = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&context)).await?
    }

    /// The open replica; opened from the data folder on first use when it exists (`create`: made when missing).
    ///
    /// # Errors
    /// [`KodeGalat::BelumMasuk`] when there is no replica yet (and not `create`); replica and key errors.
    pub fn replica(&self, create: bool) -> Result<Arc<Replica>, AppError> {
        let mut slot = self.replica.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(replica) = slot.as_ref() {
            return Ok(Arc::clone(replica));
        }
        if !create && !self.data.join(crate::replica::FILE_NAME).exists() {
            return Err(AppError::belum_masuk());
        }
        let secrets = self.secret_store()?;
        let replica = Arc::new(crate::replica::open(&self.data, secrets.as_ref(), create)?);
        *slot = Some(Arc::clone(&replica));
        Ok(replica)
    }

    /// The replica if one is open or exists in the data folder.
    pub(crate) fn existing_replica(&self) -> Result<Option<Arc<Replica>>, AppError> {
        match self.replica(false) {
            Ok(replica) => Ok(Some(replica)),
            Err(error) if error.code == KodeGalat::BelumMasuk => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn secret_store(&self) -> Result<Arc<dyn SecretStore>, AppError> {
        match &self.secrets {
            Some(secrets) => Ok(Arc::clone(secrets)),
            None => Err(self.startup.clone().unwrap_or_else(|| {
                AppError::new(KodeGalat::Konfigurasi, "Penyimpanan rahasia (keyring) tidak tersedia.")
            })),
        }
    }

    /// The session of `replica`'s last sign-in (kept once made), or `None` when nobody signed in on it.
    ///
    /// # Errors
    /// Replica errors.
    pub(crate) fn session(&self, replica: &Replica) -> Result<Option<Arc<Session>>, AppError> {
        let mut slot = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(session) = slot.as_ref() {
            return Ok(Some(Arc::clone(session)));
        }
        let Some(config) = Session::stored_config(replica)? else { return Ok(None) };
        let session = Arc::new(Session::new(config));
        *slot = Some(Arc::clone(&session));
        Ok(Some(session))
    }

    /// The effective settings.
    pub(crate) fn current_settings(&self) -> Pengaturan {
        let file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        settings::effective(&file, &self.overrides, &self.settings_file, &self.data)
    }

    /// `sesi`: who is signed in (offline too) and whether a new sign-in is needed before syncing.
    ///
    /// # Errors
    /// Replica errors.
    pub async fn sesi(self: &Arc<Self>) -> Result<SesiView, AppError> {
        self.blocking(|context| context.sesi_now()).await
    }

    fn sesi_now(&self) -> Result<SesiView, AppError> {
        let Some(replica) = self.existing_replica()? else { return Ok(SesiView::signed_out()) };
        let Some(session) = self.session(&replica)? else { return Ok(SesiView::signed_out()) };
        let Some(identity) = session.identity(&replica)? else { return Ok(SesiView::signed_out()) };
        let instansi_nama = match &identity.instansi_id {
            Some(id) => Some(store::query::instansi_nama(&*replica.reader()?, id)?.unwrap_or_else(|| id.clone())),
            None => None,
        };
        Ok(SesiView {
            masuk: true,
            nip: Some(identity.nip.clone()),
            nama: Some(identity.nama.clone()),
            instansi_nama,
            peran: identity.peran.clone(),
            luring_sampai: Some(identity.offline_until().to_rfc3339()),
            perlu_masuk_ulang: !session.has_refresh_token(&replica)?,
            issuer: Some(identity.issuer.clone()),
        })
    }

    /// `masuk_mulai`: starts a browser sign-in (loopback redirect with PKCE) with the configured provider (or the
    /// one of the last sign-in), and asks the host to open the URL (a failure is logged, not an error: the UI shows
    /// the URL). A sign-in started before is replaced: its `masuk_tunggu` returns promptly with
    /// [`KodeGalat::MasukUlang`].
    ///
    /// # Errors
    /// [`KodeGalat::Konfigurasi`] without an issuer; [`KodeGalat::Luring`] when the provider cannot be reached.
    pub async fn masuk_mulai(self: &Arc<Self>) -> Result<MasukMulai, AppError> {
        let config = self.blocking(|context| context.sso_config()).await?;
        let session = Arc::new(Session::new(config));
        let provider = session.provider().await?;
        let sign_in = provider.begin_browser().await?;
        let url = sign_in.url.clone();
        let mut attempt = 0;
        self.attempt.send_modify(|number| {
            *number += 1;
            attempt = *number;
        });
        *self.pending.lock().await = Some(Pending { session, sign_in, attempt });
        *self.pending_url.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(url.clone());
        self.open_sign_in_url(&url);
        Ok(MasukMulai { url })
    }

    /// `buka_tautan_masuk`: opens the pending sign-in's URL in the system browser again (a failure is logged, not an
    /// error: the UI shows the URL).
    ///
    /// # Errors
    /// [`KodeGalat::BelumMasuk`] when no sign-in is pending (start one with `masuk_mulai`).
    pub async fn buka_tautan_masuk(self: &Arc<Self>) -> Result<(), AppError> {
        let url = self.pending_url.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let Some(url) = url else {
            return Err(AppError::new(
                KodeGalat::BelumMasuk,
                "Belum ada proses masuk yang berjalan. Klik \"Masuk dengan SSO ASN\" untuk memulai.",
            ));
        };
        self.open_sign_in_url(&url);
        Ok(())
    }

    fn open_sign_in_url(&self, url: &str) {
        if let Err(reason) = self.host.open_browser(url) {
            tracing::warn!(%reason, "peramban sistem tidak dapat dibuka; alamat masuk ditampilkan di layar");
        }
    }

    /// Forgets the pending sign-in URL of `attempt` (if it is still the latest).
    fn forget_sign_in(&self, attempt: u64) {
        if *self.attempt.borrow() == attempt {
            *self.pending_url.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        }
    }

    fn sso_config(&self) -> Result<SsoConfig, AppError> {
        let current = self.current_settings();
        let stored = match self.existing_replica() {
            Ok(Some(replica)) => Session::stored_config(&replica).ok().flatten(),
            _ => None,
        };
        let issuer = current.sso_issuer.clone().or_else(|| stored.as_ref().map(|config| config.issuer.clone()));
        let Some(issuer) = issuer else {
            return Err(AppError::new(
                KodeGalat::Konfigurasi,
                "Alamat penerbit SSO belum diatur. Isi \"Penerbit SSO\" di Pengaturan (atau setel LURING_SSO_ISSUER), \
                 lalu masuk lagi.",
            ));
        };
        let explicit = self.overrides.sso_client_id.is_some()
            || self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).sso_client_id.is_some();
        let client_id = match stored {
            Some(config) if !explicit && !config.client_id.is_empty() && config.issuer == issuer => config.client_id,
            _ => current.sso_client_id,
        };
        Ok(SsoConfig { issuer: issuer.trim_end_matches('/').to_owned(), client_id })
    }

    /// `masuk_tunggu`: waits (at most [`SIGN_IN_TIMEOUT`]) for the redirect of the sign-in [`Self::masuk_mulai`]
    /// started, then completes it: the session is stored in the replica (made now on a first sign-in), the hub's
    /// roster gives instansi and peran and the device is registered (when the hub is configured and reachable), and
    /// the first sync starts in the background.
    ///
    /// # Errors
    /// [`KodeGalat::MasukUlang`] when no sign-in was started, it timed out, or the provider gave no identity or no
    /// offline token; [`KodeGalat::Ditolak`] when the provider, the hub or the replica's owner refused; replica
    /// errors.
    pub async fn masuk_tunggu(self: &Arc<Self>) -> Result<SesiView, AppError> {
        let Some(Pending { session, sign_in, attempt }) = self.pending.lock().await.take() else {
            return Err(AppError::new(
                KodeGalat::MasukUlang,
                "Belum ada proses masuk yang berjalan. Klik \"Masuk dengan SSO ASN\".",
            ));
        };
        let mut newer = self.attempt.subscribe();
        let result = tokio::select! {
            result = self.finish_sign_in(session, sign_in) => result,
            _ = newer.wait_for(|latest| *latest != attempt) => Err(AppError::new(
                KodeGalat::MasukUlang,
                "Proses masuk ini dibatalkan karena proses masuk baru dimulai (atau Anda keluar). Selesaikan masuk \
                 di peramban dengan tautan yang terbaru.",
            )),
        };
        self.forget_sign_in(attempt);
        result?;
        self.sync.kick();
        self.sesi().await
    }

    /// The rest of `masuk_tunggu` once a sign-in is taken: the redirect, the tokens, the replica and session.
    async fn finish_sign_in(self: &Arc<Self>, session: Arc<Session>, sign_in: BrowserSignIn) -> Result<(), AppError> {
        let provider = session.provider().await?;
        let tokens = sign_in.finish(provider, SIGN_IN_TIMEOUT).await?;
        if tokens.identity.is_none() || tokens.refresh_token.is_none() {
            return Err(AppError::new(
                KodeGalat::Konfigurasi,
                "Penyedia SSO tidak memberi token identitas atau token luring (offline_access). Minta BKN \
                 mengaktifkan scope offline_access untuk client ini.",
            ));
        }
        let hub = self.current_settings().hub_url;
        let context = Arc::clone(self);
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let created = !context.data.join(crate::replica::FILE_NAME).exists();
            let replica = context.replica(true)?;
            let result = runtime.block_on(context.sign_in_on(&replica, &session, hub.as_deref(), &tokens));
            if let Err(error) = &result
                && created
            {
                tracing::warn!(code = ?error.code, "masuk gagal; replika baru dan kuncinya dihapus");
                drop(replica);
                context.discard_new_replica();
            }
            result
        })
        .await?
    }

    /// Stores the sign-in of `tokens` in `replica`: the hub's roster (when configured and reachable), the session
    /// (kept in the context at once, so sync and `sesi` see it), then the device's registration with the hub.
    async fn sign_in_on(
        &self,
        replica: &Arc<Replica>,
        session: &Arc<Session>,
        hub: Option<&str>,
        tokens: &crate::sso::Tokens,
    ) -> Result<(), AppError> {
        let Some(hub) = hub else {
            let signed_in = session.complete_sign_in(replica, tokens, None).await?;
            tracing::info!(first = signed_in.first, "masuk berhasil (tanpa hub)");
            *self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(session));
            return Ok(());
        };
        let transport = crate::hub::transport(hub, replica)?;
        let (roster, refusal) = match transport.identity(&tokens.access_token).await {
            Ok(identitas) => (Some(crate::hub::roster(identitas)), None),
            // Offline or the hub down: the sign-in counts; the roster comes with the first sync.
            Err(message) if message.starts_with("hub tidak terjangkau") => (None, None),
            Err(message) => (None, Some(crate::sso::printable(&message))),
        };
        let reached = roster.is_some();
        // The replica's owner is checked first: another officer's sign-in is refused whatever the hub says.
        let signed_in = session.complete_sign_in(replica, tokens, roster).await?;
        if let Some(message) = refusal {
            return Err(crate::hub::SyncFailure::Roster(message).into());
        }
        *self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(session));
        tracing::info!(first = signed_in.first, "masuk berhasil");
        if reached {
            crate::hub::register_device(replica, &transport, &tokens.access_token, &self.device_name).await?;
        }
        Ok(())
    }

    /// Removes the replica made by a sign-in that then failed (file, id and key): a failed first sign-in leaves
    /// nothing behind. Failures are logged; the next sign-in makes a new one.
    fn discard_new_replica(&self) {
        *self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        let replica = self.replica.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        drop(replica);
        let id_path = self.data.join(crate::replica::ID_FILE_NAME);
        let id = std::fs::read_to_string(&id_path).ok().and_then(|id| uuid::Uuid::parse_str(id.trim()).ok());
        for name in
            [crate::replica::FILE_NAME, "replika.sqlite-wal", "replika.sqlite-shm", crate::replica::ID_FILE_NAME]
        {
            match std::fs::remove_file(self.data.join(name)) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => tracing::warn!(%error, berkas = name, "berkas replika baru tidak terhapus"),
            }
        }
        if let (Some(id), Some(secrets)) = (id, &self.secrets)
            && let Err(error) = secrets.delete(&crate::replica::key_name(&id))
        {
            tracing::warn!(%error, "kunci replika baru tidak terhapus");
        }
    }

    /// `keluar`: logs out (the refresh token is revoked when the provider answers, the session forgotten); the
    /// replica and its unsynced work stay for the next sign-in. A pending sign-in is cancelled. The background sync
    /// idles until the next sign-in.
    ///
    /// # Errors
    /// Replica errors.
    pub async fn keluar(self: &Arc<Self>) -> Result<(), AppError> {
        *self.pending.lock().await = None;
        self.attempt.send_modify(|number| *number += 1);
        *self.pending_url.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        let found = self
            .blocking(|context| match context.existing_replica()? {
                Some(replica) => Ok(context.session(&replica)?.map(|session| (replica, session))),
                None => Ok(None),
            })
            .await?;
        if let Some((replica, session)) = found {
            // The revocation is a network call and the session's removal SQLite work: both off the IPC thread.
            let runtime = tokio::runtime::Handle::current();
            let revoked = tokio::task::spawn_blocking(move || runtime.block_on(session.logout(&replica))).await??;
            tracing::info!(revoked, "keluar");
        }
        *self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        Ok(())
    }

    /// `pengaturan`: the effective settings.
    ///
    /// # Errors
    /// None today; `Result` for the IPC's uniform shape.
    pub async fn pengaturan(self: &Arc<Self>) -> Result<Pengaturan, AppError> {
        Ok(self.current_settings())
    }

    /// `pengaturan_simpan`: checks and saves hub URL, SSO issuer, client id and data folder to the settings file.
    /// A field set by an environment variable (`dari_lingkungan`) keeps the file's own value (the environment keeps
    /// winning); the data folder is written only when the officer changed it, and takes effect at the next start
    /// (`mulai_ulang` then tells the UI to say so).
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the field and value; [`KodeGalat::Konfigurasi`] when the file cannot
    /// be written.
    pub async fn pengaturan_simpan(self: &Arc<Self>, baru: Pengaturan) -> Result<Pengaturan, AppError> {
        let own = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let current = self.current_settings();
        let overrides = &self.overrides;
        let hub_url = match overrides.hub {
            Some(_) => own.hub_url.clone(),
            None => settings::check_url("Alamat hub", baru.hub_url.as_deref())?,
        };
        let sso_issuer = match overrides.sso_issuer {
            Some(_) => own.sso_issuer.clone(),
            None => settings::check_url("Penerbit SSO", baru.sso_issuer.as_deref())?,
        };
        let sso_client_id = match overrides.sso_client_id {
            Some(_) => own.sso_client_id.clone(),
            None => {
                let client_id = baru.sso_client_id.trim().to_owned();
                if client_id.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err(AppError::masukan("Client id SSO", &baru.sso_client_id, "tanpa spasi"));
                }
                Some(client_id).filter(|id| !id.is_empty() && id != settings::DEFAULT_CLIENT_ID)
            }
        };
        let folder = baru.folder_data.trim().to_owned();
        let folder_data = if overrides.data.is_some() || folder == current.folder_data.trim() {
            own.folder_data.clone()
        } else {
            if !folder.is_empty() && !Path::new(&folder).is_absolute() {
                return Err(AppError::masukan("Folder data", &baru.folder_data, "tulis path lengkap (absolut)"));
            }
            Some(folder).filter(|folder| !folder.is_empty())
        };
        let file = SettingsFile { hub_url, sso_issuer, sso_client_id, folder_data };
        let path = self.settings_file.clone();
        let written = file.clone();
        self.blocking(move |_| settings::write(&path, &written)).await?;
        *self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = file;
        Ok(self.current_settings())
    }
}
