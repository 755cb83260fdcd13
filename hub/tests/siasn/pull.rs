//! The pull bars against the SI-ASN simulator: every pegawai exactly once after a full pull with faults on, a second
//! pull with zero changes, exactly the fields the simulator changed, a killed run that resumes without fetching
//! again what it committed, and list pages that shift while being read.

#![allow(clippy::unwrap_used, clippy::print_stdout, reason = "test setup panics on a broken environment")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use hub::siasn::job::{JobStatus, NipOutcome};
use hub::siasn::pull::{self, Progress, PullOptions, PullReport};
use hub::siasn::{SiasnClient, SiasnConfig, SiasnStore, SsoSource};
use hub::{Hub, HubOptions};
use model::Pegawai;
use model::siasn::lists::UsulanKp;
use serde_json::{Value, json};
use siasn_simulator::{Faults, Simulator, SimulatorConfig};

/// A folder under the system temp dir, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("luring-pull-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Folder(path)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The simulator's "today" (the generator's reference date), so the lists hold rows.
fn hari_ini() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

async fn simulator(pegawai: usize, faults: Faults) -> Simulator {
    Simulator::start(SimulatorConfig { pegawai, seed: 3, faults, ..SimulatorConfig::default() }).await.unwrap()
}

fn client(sim: &Simulator, konkurensi: usize) -> SiasnClient {
    let base = sim.base_url();
    let defaults = SimulatorConfig::default();
    SiasnClient::new(SiasnConfig {
        apim_token_url: format!("{base}/oauth2/token"),
        base_url: base,
        consumer_key: defaults.consumer_key,
        consumer_secret: defaults.consumer_secret,
        sso: SsoSource::Token(sim.sso_token(Duration::from_secs(3600))),
        konkurensi,
        per_detik: 0.0,
        timeout: Duration::from_secs(10),
    })
    .unwrap()
}

/// Bootstraps the hub from the simulator's "Export Data ASN" CSV, as `luring-hub import siasn-csv` does.
fn bootstrap(hub: &Hub, sim: &Simulator) {
    let export = model::siasn::export::decode(&sim.export_csv());
    let pegawai: Vec<Pegawai> = export
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect();
    let report = hub.import_pegawai(&sim.instansi_id(), pegawai, &mut |_| {}).unwrap();
    assert_eq!(report.inserted, sim.nips().len(), "{report:?}");
}

async fn run(hub: &Hub, client: &SiasnClient, store: &SiasnStore, sim: &Simulator) -> PullReport {
    let options = PullOptions::new(&sim.instansi_id(), hari_ini());
    pull::pull(hub, client, store, &options, &mut |_| {}).await.unwrap()
}

/// Every leaf of a hydrated pegawai document by path; rows of a riwayat list keyed by their `id`.
fn leaves(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                leaves(&format!("{prefix}.{key}"), member, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let key = item.get("id").and_then(Value::as_str).map_or_else(|| index.to_string(), str::to_owned);
                leaves(&format!("{prefix}[{key}]"), item, out);
            }
        }
        leaf => {
            out.insert(prefix.to_owned(), leaf.clone());
        }
    }
}

/// Every hub document of the simulator's pegawai, flattened.
fn documents(hub: &Hub, sim: &Simulator) -> BTreeMap<String, BTreeMap<String, Value>> {
    let instansi = sim.instansi_id();
    sim.nips()
        .into_iter()
        .map(|nip| {
            let value = hub.pegawai_json(&instansi, &nip).unwrap().unwrap();
            let mut flat = BTreeMap::new();
            leaves("", &value, &mut flat);
            (nip, flat)
        })
        .collect()
}

/// The paths (`nip` + leaf path) whose value differs between two sets of documents.
fn differences(
    before: &BTreeMap<String, BTreeMap<String, Value>>,
    after: &BTreeMap<String, BTreeMap<String, Value>>,
) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for (nip, after_doc) in after {
        let empty = BTreeMap::new();
        let before_doc = before.get(nip).unwrap_or(&empty);
        let keys: BTreeSet<&String> = before_doc.keys().chain(after_doc.keys()).collect();
        for key in keys {
            if before_doc.get(key) != after_doc.get(key) {
                paths.insert(format!("{nip}{key}"));
            }
        }
    }
    paths
}

/// The first row id of `endpoint` of `nip` at the simulator.
fn first_row(sim: &Simulator, nip: &str, endpoint: &str) -> Option<String> {
    let data = sim.data(nip, endpoint)?;
    data.as_array()?.first()?.get("id")?.as_str().map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_pull_with_faults_has_every_pegawai_once_then_changes_nothing_then_exactly_what_changed() {
    let folder = Folder::new("bars");
    let faults = Faults {
        p_401: 0.01,
        p_reset: 0.01,
        p_slow: 0.005,
        slow: Duration::from_millis(300),
        apim_ttl: Some(Duration::from_secs(4)),
        shift_pages: true,
        seed: 11,
        ..Faults::default()
    };
    let sim = simulator(3_000, faults).await;
    let hub = Hub::open(&folder.0, HubOptions::default()).unwrap();
    let store = SiasnStore::open(&folder.0).unwrap();
    let client = client(&sim, 8);
    let instansi = sim.instansi_id();
    bootstrap(&hub, &sim);
    let nips = sim.nips();

    // 1. The full pull.
    let started = Instant::now();
    let first = run(&hub, &client, &store, &sim).await;
    let took = started.elapsed();
    println!(
        "full pull: {} pegawai in {:.1} s (import {:.1} s), {} requests ({:.2} per NIP), lists: kp {} pensiun {} unor {}",
        first.nip_total,
        took.as_secs_f64(),
        first.detik_impor,
        first.permintaan,
        first.permintaan as f64 / first.nip_diambil as f64,
        first.usulan_kp,
        first.usulan_pensiun,
        first.unor
    );
    assert!(first.gagal.is_empty(), "{:?}", first.gagal.iter().take(5).collect::<Vec<_>>());
    assert!(first.galat_daftar.is_empty(), "{:?}", first.galat_daftar);
    assert_eq!(first.nip_total, nips.len(), "the lists name only pegawai the hub already holds");
    assert_eq!(first.baru + first.berubah + first.tetap, nips.len());
    assert_eq!(first.baru, 0);
    assert!(first.berubah > nips.len() / 2, "the riwayat came in: {first:?}");
    assert!(first.unor > 0 && first.usulan_kp > 0 && first.usulan_pensiun > 0, "{first:?}");
    let stats = sim.statistik();
    assert!(stats.per_endpoint.get("oauth2/token").copied().unwrap_or(0) > 1, "the APIM token expired and was renewed");
    let held = hub.pegawai_nips(&instansi).unwrap();
    assert_eq!(held, nips, "every pegawai exactly once");

    // 2. A second pull (a new job) changes nothing.
    let head = hub.head_seq(&format!("instansi:{instansi}")).unwrap();
    let hydrating = Instant::now();
    let before = documents(&hub, &sim);
    let hydrated = hydrating.elapsed();
    let started = Instant::now();
    let second = run(&hub, &client, &store, &sim).await;
    println!(
        "second pull: {:.1} s (import {:.1} s; documents hydrated in {:.1} s)",
        started.elapsed().as_secs_f64(),
        second.detik_impor,
        hydrated.as_secs_f64()
    );
    assert_ne!(second.job, first.job);
    assert!(second.gagal.is_empty(), "{:?}", second.gagal.iter().take(5).collect::<Vec<_>>());
    assert_eq!((second.baru, second.berubah, second.tetap), (0, 0, nips.len()), "{second:?}");
    assert_eq!(hub.head_seq(&format!("instansi:{instansi}")).unwrap(), head, "no feed entry at all");

    // 3. Fifty fields changed at the simulator: exactly those fifty change in the hub.
    let mut expected = BTreeSet::new();
    let mut changed_nips = BTreeSet::new();
    let mut picked = nips.iter().step_by(nips.len() / 60);
    while expected.len() < 50 {
        let nip = picked.next().unwrap();
        let n = expected.len();
        let (endpoint, row, field, path, value) = match n % 5 {
            0 => ("data-utama", None, "email", ".data_utama.email".to_owned(), json!(format!("ubah{n}@contoh.go.id"))),
            1 => ("data-utama", None, "noHp", ".data_utama.no_hp".to_owned(), json!(format!("0812000{n:05}"))),
            2 => ("data-utama", None, "alamat", ".data_utama.alamat".to_owned(), json!(format!("JL. UBAH NO {n}"))),
            3 => {
                let Some(row) = first_row(&sim, nip, "rw-jabatan") else { continue };
                let path = format!(".riwayat_jabatan[{row}].nomor_sk");
                ("rw-jabatan", Some(row), "nomorSk", path, json!(format!("821/UBAH-{n}/2026")))
            }
            _ => {
                let Some(row) = first_row(&sim, nip, "rw-golongan") else { continue };
                let path = format!(".riwayat_golongan[{row}].sk_nomor");
                ("rw-golongan", Some(row), "skNomor", path, json!(format!("823/UBAH-{n}/2026")))
            }
        };
        sim.ubah(nip, endpoint, row.as_deref(), field, value).unwrap();
        expected.insert(format!("{nip}{path}"));
        changed_nips.insert(nip.clone());
    }
    let third = run(&hub, &client, &store, &sim).await;
    assert!(third.gagal.is_empty(), "{:?}", third.gagal.iter().take(5).collect::<Vec<_>>());
    assert_eq!(third.berubah, changed_nips.len(), "{third:?}");
    assert_eq!(third.tetap, nips.len() - changed_nips.len());
    let after = documents(&hub, &sim);
    assert_eq!(differences(&before, &after), expected);
    let scope = format!("instansi:{instansi}");
    assert_eq!(hub.head_seq(&scope).unwrap() - head, changed_nips.len() as u64, "one hub change per changed pegawai");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_that_shift_while_read_give_each_row_once() {
    let sim = simulator(600, Faults::default()).await;
    let client = client(&sim, 2);
    let periode = pull::kp_periods(hari_ini())[0].format("%Y-%m-%d").to_string();
    let query = [("periode", periode.clone())];
    let path = "/pns/list-kp-instansi";
    let honest = pull::walk::<UsulanKp>(&client, path, &query, 10, "list-kp-instansi", &mut |_| {}).await.unwrap();
    assert!(honest.items.len() > 20, "several pages: {}", honest.items.len());
    assert_eq!(honest.duplicates, 0);

    sim.set_faults(Faults { shift_pages: true, ..Faults::default() });
    let mut seen = Vec::new();
    let mut progress = |p: Progress| seen.push(p);
    let shifted = pull::walk::<UsulanKp>(&client, path, &query, 10, "list-kp-instansi", &mut progress).await.unwrap();
    let ids: Vec<&str> = shifted.items.iter().filter_map(|item| item.id.as_deref()).collect();
    let distinct: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), distinct.len(), "no row twice");
    assert!(shifted.duplicates > 0, "the pages did shift");
    for item in &honest.items {
        assert!(distinct.contains(item.id.as_deref().unwrap()), "no row lost");
    }
    // The rows put at the front while paging were picked up by the second look at the first page.
    assert!(ids.len() > honest.items.len(), "{} vs {}", ids.len(), honest.items.len());
    assert!(matches!(seen.last(), Some(Progress::Daftar { endpoint: "list-kp-instansi", .. })));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_pull_resumes_without_fetching_again_what_it_committed() {
    let folder = Folder::new("kill");
    let sim = simulator(300, Faults { latency: Duration::from_millis(20), ..Faults::default() }).await;
    let instansi = sim.instansi_id();
    {
        let hub = Hub::open(&folder.0, HubOptions::default()).unwrap();
        bootstrap(&hub, &sim);
    }
    let base = sim.base_url();
    let defaults = SimulatorConfig::default();
    let token = sim.sso_token(Duration::from_secs(3600));
    let luring_hub = |json: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_luring-hub"));
        command
            .arg("--data")
            .arg(&folder.0)
            .args(["siasn", "pull", "--instansi", &instansi])
            .args(json.then_some("--json"))
            .env_remove("LURING_HUB_CONFIG")
            .env("LURING_HUB_SIASN_BASE_URL", &base)
            .env("LURING_HUB_SIASN_APIM_TOKEN_URL", format!("{base}/oauth2/token"))
            .env("LURING_HUB_SIASN_CONSUMER_KEY", &defaults.consumer_key)
            .env("LURING_HUB_SIASN_CONSUMER_SECRET", &defaults.consumer_secret)
            .env("LURING_HUB_SIASN_SSO_TOKEN", &token)
            .env("LURING_HUB_SIASN_PER_DETIK", "0")
            .env("LURING_HUB_SIASN_KONKURENSI", "4")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };
    let mut child = luring_hub(false).spawn().unwrap();
    let store = SiasnStore::open(&folder.0).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let job = loop {
        assert!(Instant::now() < deadline, "the pull committed nothing in time");
        assert!(child.try_wait().unwrap().is_none(), "the pull ended before it was killed");
        if let Some(job) = store.running_job(pull::JENIS_JOB, &instansi).unwrap()
            && job.nip_selesai >= 40
        {
            break job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let done: BTreeSet<String> = store
        .nip_reports(job.id)
        .unwrap()
        .into_iter()
        .filter(|report| report.hasil.is_some_and(|hasil| hasil != NipOutcome::Gagal))
        .map(|report| report.nip)
        .collect();
    assert!(done.len() >= 40 && done.len() < job.nip_total, "killed halfway: {} of {}", done.len(), job.nip_total);
    let fetched_before = sim.statistik().per_nip;

    let output = luring_hub(true).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let summary: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let summary = &summary["ringkasan"];
    assert_eq!(summary["job"], json!(job.id), "the same job");
    assert_eq!(summary["dilanjutkan"], json!(true));
    assert_eq!(summary["nip_sebelumnya"], json!(done.len()));
    assert_eq!(summary["nip_diambil"], json!(job.nip_total - done.len()));
    assert_eq!(
        stdout.lines().count(),
        job.nip_total - done.len() + 1,
        "one line per NIP of this run, then the summary"
    );

    let fetched_after = sim.statistik().per_nip;
    for nip in &done {
        assert_eq!(fetched_after.get(nip), fetched_before.get(nip), "{nip} was fetched again");
    }
    for nip in sim.nips().iter().filter(|nip| !done.contains(*nip)) {
        assert!(fetched_after.get(nip) > fetched_before.get(nip), "{nip} was not fetched by the second run");
    }
    let finished = store.job(job.id).unwrap().unwrap();
    assert_eq!(finished.status, JobStatus::Selesai);
    assert_eq!((finished.nip_selesai, finished.nip_gagal), (finished.nip_total, 0));
    let hub = Hub::open(&folder.0, HubOptions::default()).unwrap();
    assert_eq!(hub.pegawai_nips(&instansi).unwrap(), sim.nips());
    // Every NIP has its riwayat now: one of the first ones done, one of the resumed ones.
    for nip in [done.iter().next().unwrap(), sim.nips().iter().find(|nip| !done.contains(*nip)).unwrap()] {
        let doc = hub.pegawai_json(&instansi, nip).unwrap().unwrap();
        assert!(
            doc.get("riwayat_golongan").is_some_and(|rows| rows.as_array().is_some_and(|r| !r.is_empty())),
            "{nip}"
        );
    }
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_that_cannot_authenticate_fails_before_any_job_and_a_resumed_job_reads_the_lists() {
    let folder = Folder::new("auth");
    let sim = simulator(120, Faults::default()).await;
    let hub = Hub::open(&folder.0, HubOptions::default()).unwrap();
    let store = SiasnStore::open(&folder.0).unwrap();
    let options = PullOptions::new(&sim.instansi_id(), hari_ini());

    // A wrong consumer secret on an empty hub: the client's error, no job, nothing imported.
    let base = sim.base_url();
    let wrong = SiasnClient::new(SiasnConfig {
        apim_token_url: format!("{base}/oauth2/token"),
        base_url: base,
        consumer_key: SimulatorConfig::default().consumer_key,
        consumer_secret: "salah".into(),
        sso: SsoSource::Token(sim.sso_token(Duration::from_secs(3600))),
        konkurensi: 2,
        per_detik: 0.0,
        timeout: Duration::from_secs(10),
    })
    .unwrap();
    let error = pull::pull(&hub, &wrong, &store, &options, &mut |_| {}).await.unwrap_err();
    assert!(matches!(error, hub::siasn::SiasnError::TokenApim { .. }), "{error}");
    assert!(error.to_string().contains("consumer key/secret"), "{error}");
    assert!(store.jobs(10).unwrap().is_empty(), "no job started");

    // A running job whose lists were never read (its first run stopped before them): resuming reads them and
    // fetches the NIPs they name.
    let job = store.start_job(pull::JENIS_JOB, &sim.instansi_id(), &[]).unwrap();
    let report = pull::pull(&hub, &client(&sim, 2), &store, &options, &mut |_| {}).await.unwrap();
    assert!(report.dilanjutkan && report.job == job.id, "{report:?}");
    assert!(report.usulan_kp + report.usulan_pensiun > 0, "{report:?}");
    assert!(report.nip_total > 0 && report.baru == report.nip_total, "{report:?}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_instansi_imports_nothing_and_stops_early() {
    let folder = Folder::new("instansi");
    let sim = simulator(300, Faults::default()).await;
    let hub = Hub::open(&folder.0, HubOptions::default()).unwrap();
    let store = SiasnStore::open(&folder.0).unwrap();
    let salah = "A5EB03E23CCCF6A0E040640A040252AD";
    assert_ne!(sim.instansi_id(), salah);
    let options = PullOptions::new(salah, hari_ini());
    let error = pull::pull(&hub, &client(&sim, 2), &store, &options, &mut |_| {}).await.unwrap_err();
    assert!(matches!(error, hub::siasn::SiasnError::InstansiLain { .. }), "{error}");
    assert!(error.to_string().contains("periksa --instansi"), "{error}");
    assert!(hub.pegawai_nips(salah).unwrap().is_empty(), "nothing imported into the wrong scope");
    let job = store.running_job(pull::JENIS_JOB, salah).unwrap().unwrap();
    assert!(job.nip_total > pull::STOP_AFTER_WRONG_INSTANSI + 4, "{job:?}");
    assert_eq!(job.nip_selesai, 0, "{job:?}");
    assert!(
        job.nip_gagal >= pull::STOP_AFTER_WRONG_INSTANSI && job.nip_gagal < job.nip_total,
        "stopped early: {job:?}"
    );
    let failed = store.nip_reports(job.id).unwrap();
    assert!(failed.iter().any(|r| r.galat.as_deref().is_some_and(|g| g.contains("bukan instansi"))), "{failed:?}");
    sim.stop().await;
}
