//! The desktop end to end in a real window: WebKitWebDriver drives the `luring` binary (under Xvfb in CI) against
//! the real local OpenID provider (`tools/idp`) and a real hub on 127.0.0.1 seeded with generated pegawai.
//!
//! Scenario: sign in through the provider → first sync → search a pegawai by name and by NIP → Profil → the hub
//! stops (offline) → edit the kontak → end the session and relaunch (nothing lost: `#belum-terkirim`, outbox 1) →
//! the hub serves again on the same port → `#sinkronkan` → synced, outbox 0 → the change is at the hub.
//! Then the usulan workflow (issue 7, [`usulan`]): the hub stops again → Usulan → Usulan baru → kenaikan pangkat,
//! 101 reguler, a pegawai the pre-submit check finds due for KP reguler → a real PDF attached through the file input
//! of every mandatory document → Ajukan, all offline → the hub serves again → sync → the usulan and its files are at
//! the hub. A second signed-in session, the verifikator's (its own data folder: a replica belongs to the officer who
//! first signed in on it), finds it in Verifikasi, verifies it and syncs; the operator's window, relaunched and
//! synced, shows "Diverifikasi instansi".
//! Each screen is saved to `docs/screenshots/<screen>.png`.
//!
//! It needs `WEBDRIVER_URL` (a WebKitWebDriver started with `TAURI_WEBVIEW_AUTOMATION=true`; `cargo xtask test`
//! starts one under `xvfb-run`) and the `luring` binary (`cargo build -p desktop`, or `LURING_APP`). Without
//! `WEBDRIVER_URL` it prints "skipping" and passes, except under `CI=true`, where it fails.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a test that reports its progress")]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail, ensure};
use e2e::{Client, Launcher, SELATAN, Screens, WEBDRIVER_ENV, since};
use hub::auth::TokenVerifier;
use hub::server::{ServerState, serve_on};
use hub::storage::Storage as _;
use hub::{Hub, HubOptions, Role, RosterEntry};
use idp_harness::{Idp, IdpOptions};

mod usulan;

/// Pegawai generated into the hub.
const PEGAWAI: usize = 300;
/// The new mobile number typed in Profil while offline.
const NO_HP_BARU: &str = "081298765432";
/// Longest wait for one screen.
const SCREEN: Duration = Duration::from_secs(60);
/// Longest wait for a sync round to show its end.
const SYNC: Duration = Duration::from_secs(120);

/// A folder under the system temp folder, removed when dropped.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("luring-e2e-{name}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("temp folder");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One generated pegawai the test looks for.
#[derive(Debug, Clone)]
struct Sought {
    nip: String,
    nama: String,
}

/// The generated pegawai the scenario works on.
#[derive(Debug, Clone)]
struct Seeded {
    /// Searched for, opened in Profil and edited offline.
    sought: Sought,
    /// Due for KP reguler now: the pre-submit check finds nothing blocking but the missing documents.
    kp: Sought,
}

/// A hub on 127.0.0.1 at a port kept across stop and restart.
struct RunningHub {
    hub: Hub,
    dir: PathBuf,
    base: String,
    port: u16,
    issuer: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl RunningHub {
    /// A hub in `dir` with the demo roster and [`PEGAWAI`] generated pegawai of Contoh Selatan; returns the ones the
    /// scenario works on.
    async fn start(dir: &Path, issuer: &str) -> Result<(RunningHub, Seeded)> {
        let hub = Hub::open(dir, HubOptions::default())?;
        for peran in ["operator_instansi", "verifikator_instansi"] {
            let account = idp_harness::account(peran);
            let role = Role::parse(&account.peran).context("role of a demo account")?;
            hub.roster_add(RosterEntry {
                nip: account.nip,
                nama: Some(account.name),
                instansi: SELATAN.to_owned(),
                roles: vec![role],
            })?;
        }
        let importer = hub.clone();
        let seeded = tokio::task::spawn_blocking(move || -> Result<Seeded> {
            let config = generator::Config { pegawai: PEGAWAI, seed: 7, ..generator::Config::default() };
            let mut pegawai = Vec::with_capacity(PEGAWAI);
            for generated in generator::Generator::new(&config) {
                let nip = model::Nip::clean(&generated.nip);
                let mut body_of = |endpoint: &str| -> Option<String> {
                    if endpoint == "data-utama" {
                        return Some(serde_json::json!({"code": 1, "data": generated.data_utama}).to_string());
                    }
                    generated.riwayat.get(endpoint).map(|data| match data {
                        Some(data) => serde_json::json!({"code": 1, "data": data}).to_string(),
                        None => r#"{"code":0,"data":"Data tidak ditemukan"}"#.to_owned(),
                    })
                };
                let mut warnings = Vec::new();
                if let Some(mut one) = model::siasn::ws::decode_pegawai(&nip, &mut body_of, &mut warnings) {
                    one.data_utama.instansi_induk_id = Some(SELATAN.to_owned());
                    one.data_utama.instansi_kerja_id = Some(SELATAN.to_owned());
                    pegawai.push(one);
                }
            }
            // A pegawai from the middle of the list, with a name of at least two words.
            let sought = pegawai
                .iter()
                .skip(PEGAWAI / 3)
                .find(|p| p.data_utama.nama.split_whitespace().count() >= 2)
                .map(|p| Sought { nip: p.data_utama.nip.to_string(), nama: p.data_utama.nama.clone() })
                .context("no generated pegawai with a two-word name")?;
            let kp = usulan::kp_reguler_due(&pegawai, &sought.nip)?;
            importer.import_pegawai(SELATAN, pegawai, &mut |_| {})?;
            Ok(Seeded { sought, kp })
        })
        .await??;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let mut running = RunningHub {
            hub,
            dir: dir.to_owned(),
            base: format!("http://127.0.0.1:{port}"),
            port,
            issuer: issuer.to_owned(),
            stop: None,
            task: None,
        };
        running.serve(listener)?;
        Ok((running, seeded))
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) -> Result<()> {
        let verifier = TokenVerifier::new(&self.issuer, idp_harness::DESKTOP_CLIENT)?;
        let state = ServerState::new(self.hub.clone(), Arc::new(verifier));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        self.stop = Some(stop);
        self.task = Some(tokio::spawn(serve_on(listener, state, async move {
            let _ = stopped.await;
        })));
        Ok(())
    }

    /// Stops serving: the officer is offline.
    async fn stop(&mut self) -> Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(15), task).await.context("the hub did not stop in 15 s")???;
        }
        Ok(())
    }

    /// Serves again at the same URL.
    async fn restart(&mut self) -> Result<()> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        self.serve(listener)
    }

    /// The pegawai document of `nip` as the hub stores it, as JSON.
    fn document(&self, nip: &str) -> Result<serde_json::Value> {
        let storage = self.storage()?;
        let found = storage.pegawai_by_nip(&[nip])?;
        let (_, doc, _) = found.into_iter().next().with_context(|| format!("the hub has no pegawai {nip}"))?;
        document_json(&storage, &doc)?.with_context(|| format!("the hub has no document for {nip}"))
    }

    /// The document `id` (an usulan's id) as the hub stores it, as JSON; `None` before it reached the hub.
    fn document_by_id(&self, id: &str) -> Result<Option<serde_json::Value>> {
        let doc = *uuid::Uuid::parse_str(id).with_context(|| format!("{id:?} is not a document id"))?.as_bytes();
        document_json(&self.storage()?, &doc)
    }

    /// Whether the hub holds the whole file whose SHA-256 is `sha256` (lower-case hex).
    fn has_blob(&self, sha256: &str) -> Result<bool> {
        let hash = usulan::hash_bytes(sha256)?;
        Ok(self.storage()?.blob_size(&hash)?.is_some())
    }

    fn storage(&self) -> Result<hub::storage::SqliteStorage> {
        Ok(hub::storage::SqliteStorage::open(&self.dir.join("hub.sqlite"))?)
    }
}

/// A stored document as JSON, if the hub has it.
fn document_json(storage: &hub::storage::SqliteStorage, doc: &[u8; 16]) -> Result<Option<serde_json::Value>> {
    let Some(stored) = storage.document(doc)? else { return Ok(None) };
    let document = automerge::AutoCommit::load(&stored.bytes).context("the hub's document does not load")?;
    Ok(Some(serde_json::to_value(automerge::AutoSerde::from(&document))?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_signs_in_syncs_searches_edits_offline_and_pushes_after_a_relaunch() {
    let Some(webdriver) = std::env::var(WEBDRIVER_ENV).ok().filter(|url| !url.is_empty()) else {
        let ci = std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false");
        assert!(
            !ci,
            "CI=true but {WEBDRIVER_ENV} is not set: the desktop E2E must run in CI (`cargo xtask test` starts \
             WebKitWebDriver under xvfb-run; apt packages xvfb, xauth, webkit2gtk-driver)"
        );
        println!("skipping the desktop E2E: {WEBDRIVER_ENV} is not set (cargo xtask test sets it under xvfb-run)");
        return;
    };
    if let Err(error) = scenario(&webdriver).await {
        panic!("desktop E2E failed: {error:#}");
    }
}

async fn scenario(webdriver: &str) -> Result<()> {
    let started = Instant::now();
    let binary = e2e::luring_binary()?;
    let screens = Screens::new(&e2e::workspace_root().join("docs").join("screenshots"))?;
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("hub");
    let (mut hub, seeded) = RunningHub::start(&hub_dir.0, idp.issuer()).await?;
    let sought = seeded.sought.clone();
    println!(
        "[{}] IdP {} and hub {} with {PEGAWAI} pegawai; sought {sought:?}; due for KP reguler {:?}",
        since(started),
        idp.issuer(),
        hub.base,
        seeded.kp
    );

    let home = TempDir::new("app");
    let launcher = app_launcher(&home.0, &binary, &hub.base, &idp, started)?;

    // First run: sign in, first sync, search, Profil, offline edit.
    let client = start_app(webdriver, &launcher, &home.0, &binary).await?;
    let operator = idp_harness::account("operator_instansi");
    e2e::sign_in(&client, &operator, Some(&screens)).await?;
    println!("[{}] signed in as {}", since(started), operator.nip);
    wait_first_sync(&client).await?;
    // The header names the instansi from the synced pegawai, not by its SI-ASN id.
    wait_text(&client, "header .instansi", "Pemerintah Kab. Contoh Utara", "the instansi named in the header").await?;
    screens.capture(&client, "beranda").await?;

    client.click_on("#nav-pegawai", SCREEN).await?;
    client.wait_element("#daftar-pegawai [data-nip]", SCREEN, "the Pegawai list").await?;
    screens.capture(&client, "pegawai").await?;

    let words: Vec<&str> = sought.nama.split_whitespace().take(2).collect();
    let by_name = words.join(" ");
    search(&client, &by_name, &sought.nip).await?;
    screens.capture(&client, "pegawai-cari-nama").await?;
    search(&client, &sought.nip, &sought.nip).await?;
    let first = client
        .wait_js(
            "(() => { const e = document.querySelector('#daftar-pegawai [data-nip]'); \
               return e ? e.getAttribute('data-nip') : null; })()",
            SCREEN,
            "the first row after a NIP search",
        )
        .await?;
    ensure!(first.as_str() == Some(sought.nip.as_str()), "a NIP search lists {first} first, not {}", sought.nip);
    screens.capture(&client, "pegawai-cari-nip").await?;
    println!("[{}] found by name {by_name:?} and by NIP", since(started));

    client.click_on(&format!("#daftar-pegawai [data-nip='{}']", sought.nip), SCREEN).await?;
    wait_text(&client, "#profil-nip", &sought.nip, "Profil").await?;
    screens.capture(&client, "profil").await?;

    hub.stop().await?;
    println!("[{}] hub stopped (offline)", since(started));
    client.click_on("#ubah-kontak", SCREEN).await?;
    let input = client.wait_element("#no-hp", SCREEN, "the kontak form").await?;
    client.clear(&input).await?;
    client.send_keys(&input, NO_HP_BARU).await?;
    screens.capture(&client, "profil-ubah-kontak").await?;
    client.click_on("#simpan-kontak", SCREEN).await?;
    client.wait_element("#belum-terkirim", SCREEN, "the not-yet-sent mark after an offline edit").await?;
    wait_text(&client, "#profil-ringkasan, main", NO_HP_BARU, "the new number in Profil").await.ok();
    screens.capture(&client, "profil-belum-terkirim").await?;
    println!("[{}] kontak edited offline", since(started));

    client.close().await.context("ending the first session")?;
    wait_app_gone(&binary).await;

    // Relaunch: nothing lost.
    let client = start_app(webdriver, &launcher, &home.0, &binary).await?;
    client.wait_element("#beranda", SCREEN, "Beranda after the relaunch (still signed in)").await?;
    client.execute(&format!("location.hash = '#/pegawai/{}';", sought.nip), &[]).await?;
    wait_text(&client, "#profil-nip", &sought.nip, "Profil after the relaunch").await?;
    client.wait_element("#belum-terkirim", SCREEN, "the not-yet-sent mark after the relaunch").await?;
    client.click_on("#nav-sinkronisasi", SCREEN).await?;
    wait_number(&client, "#outbox-jumlah", 1, SCREEN, "outbox 1 after the relaunch").await?;
    println!("[{}] relaunched: outbox 1, mark shown", since(started));
    // The round the app starts by itself finds no hub: the screen says Luring and why.
    wait_text_within(&client, "#status-koneksi", "Luring", SYNC, "Luring while the hub is down").await?;
    client.wait_element("#sinkron-galat", SCREEN, "the failed round's message while the hub is down").await?;
    screens.capture(&client, "sinkronisasi-luring").await?;
    println!("[{}] Sinkronisasi shows Luring and the failed round", since(started));

    hub.restart().await?;
    println!("[{}] hub serves again at {}", since(started), hub.base);
    sync_now(&client).await?;
    wait_text(&client, "#status-koneksi", "Daring", "Daring after the sync").await?;
    screens.capture(&client, "sinkronisasi").await?;
    println!("[{}] synced: outbox 0, Daring", since(started));

    let document = hub.document(&sought.nip)?;
    let text = document.to_string();
    ensure!(text.contains(NO_HP_BARU), "the hub's document of {} lacks {NO_HP_BARU}: {text:.600}", sought.nip);
    println!("[{}] the hub has the new number", since(started));

    // Usulan (issue 7): a KP reguler made, documented and submitted offline, then synced.
    hub.stop().await?;
    println!("[{}] hub stopped again (offline)", since(started));
    let files = TempDir::new("berkas");
    let id = usulan::create_and_submit_kp_reguler(&client, &screens, &seeded.kp, &files.0).await?;
    println!("[{}] usulan {id} made, documented and submitted offline", since(started));
    hub.restart().await?;
    let berkas = usulan::sync_until_at_hub(&client, &hub, &id, "diajukan").await?;
    println!("[{}] synced: the usulan (diajukan) and its {berkas} files are at the hub", since(started));
    client.close().await.context("ending the operator's session")?;
    wait_app_gone(&binary).await;

    // A second signed-in session: the verifikator, on a replica of their own, verifies it.
    let verifikator = idp_harness::account("verifikator_instansi");
    let home_verifikator = TempDir::new("app-verifikator");
    let launcher_verifikator = app_launcher(&home_verifikator.0, &binary, &hub.base, &idp, started)?;
    let client = start_app(webdriver, &launcher_verifikator, &home_verifikator.0, &binary).await?;
    e2e::sign_in(&client, &verifikator, None).await?;
    println!("[{}] second session: signed in as {} (verifikator)", since(started), verifikator.nip);
    wait_first_sync(&client).await?;
    usulan::verify(&client, &screens, &id).await?;
    usulan::sync_until_at_hub(&client, &hub, &id, "diverifikasi").await?;
    println!("[{}] verified by the verifikator and synced to the hub", since(started));
    client.close().await.context("ending the verifikator's session")?;
    wait_app_gone(&binary).await;

    // The operator again: after a sync the usulan shows the verifikator's decision.
    let client = start_app(webdriver, &launcher, &home.0, &binary).await?;
    client.wait_element("#beranda", SCREEN, "Beranda of the operator's relaunch").await?;
    usulan::wait_verified(&client, &screens, &id, &verifikator.nip).await?;
    println!("[{}] the operator's window shows Diverifikasi instansi", since(started));

    // Pengingat (issue 7): the KGB due within 12 months; one recorded as handled, with a note.
    client.click_on("#nav-pengingat", SCREEN).await?;
    client.wait_element("#judul-pengingat", SCREEN, "Pengingat").await?;
    client.click_on("#tab-pengingat-kgb", SCREEN).await?;
    // Only KGB rows (`data-pengingat` is `<rowid>/<kunci>`) of a loaded list: right after the tab is chosen, the KP
    // rows may still be on screen.
    let aktif = "#daftar-pengingat:not([aria-busy='true']) tr[data-status='aktif'][data-pengingat*='/kgb-']";
    client.wait_element(&format!("{aktif} button.tandai-ditangani"), SCREEN, "an aktif KGB reminder").await?;
    client.click_on(&format!("{aktif} button.tandai-ditangani"), SCREEN).await?;
    let catatan = client.wait_element("#catatan-tindak-lanjut", SCREEN, "the follow-up form").await?;
    client.send_keys(&catatan, "SK KGB sedang disiapkan").await?;
    client.click_on("#simpan-tindak-lanjut", SCREEN).await?;
    client
        .wait_element("#daftar-pengingat tr[data-status='ditangani'] .tindak-lanjut .catatan", SCREEN, "the follow-up")
        .await?;
    screens.capture(&client, "pengingat").await?;
    println!("[{}] Pengingat: a KGB reminder recorded as ditangani", since(started));

    client.click_on("#nav-pengaturan", SCREEN).await?;
    client.wait_element("#hub-url", SCREEN, "Pengaturan").await?;
    screens.capture(&client, "pengaturan").await?;
    client.close().await?;
    hub.stop().await?;
    println!("[{}] desktop E2E passed; screenshots in {}", since(started), screens.dir().display());
    Ok(())
}

/// The launcher of one officer's app: its own data folder, settings, webview storage and (unless the real Secret
/// Service is used) secret store, all under `home`.
fn app_launcher(home: &Path, binary: &Path, hub: &str, idp: &Idp, started: Instant) -> Result<Launcher> {
    let mut envs = vec![
        ("LURING_DATA", home.join("data").to_string_lossy().into_owned()),
        ("LURING_HUB", hub.to_owned()),
        ("LURING_SSO_ISSUER", idp.issuer().to_owned()),
        ("LURING_SSO_CLIENT_ID", idp_harness::DESKTOP_CLIENT.to_owned()),
        ("LURING_LOG", "info".to_owned()),
        // The settings file and the webview's own storage stay in the test's folder.
        ("XDG_CONFIG_HOME", home.join("config").to_string_lossy().into_owned()),
        ("XDG_CACHE_HOME", home.join("cache").to_string_lossy().into_owned()),
        // WebKitGTK's default paint path: WebKitWebDriver's screenshots time out on the CPU path that `luring`
        // picks without a GPU (Xvfb). The desktop benchmark, which takes no screenshot, keeps the CPU path.
        ("LURING_WEBVIEW_GPU", "bawaan".to_owned()),
    ];
    if std::env::var("LURING_SECRET_SERVICE").is_ok_and(|value| value == "1") {
        println!("[{}] replica key in the Secret Service (LURING_SECRET_SERVICE=1)", since(started));
    } else {
        envs.push(("LURING_SECRET_STORE", format!("berkas:{}", home.join("rahasia").display())));
    }
    Launcher::write(home, binary, &envs)
}

/// Waits for the first sync after a sign-in to fill Beranda.
async fn wait_first_sync(client: &Client) -> Result<()> {
    let started = Instant::now();
    let total = client
        .wait_js(
            "(() => { const e = document.querySelector('#jumlah-total'); \
               const n = e ? parseInt((e.textContent || '').replace(/\\D/g, ''), 10) : 0; return n > 0 ? n : null; })()",
            SYNC,
            "the first sync filling Beranda",
        )
        .await?;
    println!("  first sync: Beranda shows {total} pegawai ({})", since(started));
    Ok(())
}

/// On Sinkronisasi, presses `#sinkronkan` until the outbox shows 0 (at most [`SYNC`]).
async fn sync_now(client: &Client) -> Result<()> {
    client.click_on("#nav-sinkronisasi", SCREEN).await?;
    client.wait_element("#sinkronkan", SCREEN, "Sinkronisasi").await?;
    let deadline = Instant::now() + SYNC;
    loop {
        client.click_on("#sinkronkan", SCREEN).await?;
        let synced = wait_number(client, "#outbox-jumlah", 0, Duration::from_secs(20), "outbox 0 after sync").await;
        if synced.is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return synced;
        }
    }
}

/// Waits (at most 20 s) until no process runs `binary`, then half a second more: an app whose session just ended may
/// still be finishing a sync round (it waits up to 10 s), and the single-instance plugin hands a new start over to
/// the instance owning its D-Bus name (the bus releases the name of a process that is gone a moment later; a start
/// that finds the name still taken cannot reach its owner and fails).
async fn wait_app_gone(binary: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while app_processes(binary) > 0 {
        if Instant::now() > deadline {
            eprintln!("warning: {} still runs 20 s after its session ended", binary.display());
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// How many processes run `binary` (from `/proc`; nothing is ended).
fn app_processes(binary: &Path) -> usize {
    let binary = binary.canonicalize().unwrap_or_else(|_| binary.to_owned());
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .filter(|entry| std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| exe == binary))
        .count()
}

/// Starts the app of `launcher` (whose folder is `home`) under WebDriver; when that fails, the error tells how many
/// `binary` processes run and ends with the app's log.
async fn start_app(webdriver: &str, launcher: &Launcher, home: &Path, binary: &Path) -> Result<Client> {
    match Client::start(webdriver, launcher.path()).await {
        Ok(client) => Ok(client),
        Err(error) => {
            let log = std::fs::read_to_string(home.join("data").join("log").join("luring.log")).unwrap_or_default();
            let mut tail: Vec<&str> = log.lines().rev().take(25).collect();
            tail.reverse();
            Err(error.context(format!(
                "the app did not start under WebDriver ({} `luring` processes run); the end of its log:\n{}",
                app_processes(binary),
                tail.join("\n")
            )))
        }
    }
}

/// Types `query` into `#cari-pegawai` (cleared first) and waits until the row of `nip` is listed.
async fn search(client: &Client, query: &str, nip: &str) -> Result<()> {
    let input = client.wait_element("#cari-pegawai", SCREEN, "the search field").await?;
    client.clear(&input).await?;
    client.send_keys(&input, query).await?;
    client
        .wait_js(
            &format!("document.querySelector(\"#daftar-pegawai [data-nip='{nip}']\") !== null"),
            SCREEN,
            &format!("pegawai {nip} listed for {query:?}"),
        )
        .await?;
    Ok(())
}

/// Waits (≤ [`SCREEN`]) until the text of `selector` contains `wanted`.
async fn wait_text(client: &Client, selector: &str, wanted: &str, what: &str) -> Result<()> {
    wait_text_within(client, selector, wanted, SCREEN, what).await
}

/// Waits (≤ `limit`) until the text of `selector` contains `wanted`.
async fn wait_text_within(client: &Client, selector: &str, wanted: &str, limit: Duration, what: &str) -> Result<()> {
    let expression = format!(
        "Array.from(document.querySelectorAll({selector:?})).some(e => (e.textContent || '').includes({wanted:?}))"
    );
    client.wait_js(&expression, limit, what).await.map(drop)
}

/// Waits until the digits of `selector`'s text make `wanted`.
async fn wait_number(client: &Client, selector: &str, wanted: u64, limit: Duration, what: &str) -> Result<()> {
    let expression = format!(
        "(() => {{ const e = document.querySelector({selector:?}); \
           return e !== null && (e.textContent || '').replace(/\\D/g, '') === '{wanted}'; }})()"
    );
    match client.wait_js(&expression, limit, what).await {
        Ok(_) => Ok(()),
        Err(error) => bail!("{error:#}"),
    }
}
