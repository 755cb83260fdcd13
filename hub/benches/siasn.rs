//! The SI-ASN pull bar of issue 8: requests per NIP (≤ 11 for a full profile) and pegawai per minute at
//! concurrency 8 against the SI-ASN simulator with 100 ms latency on every response, over real HTTP on loopback,
//! into a real hub (SQLite in a temporary folder) bootstrapped from the simulator's "Export Data ASN" CSV.
//!
//! `cargo bench -p hub --bench siasn` (200 pegawai); `LURING_BENCH_PEGAWAI=1000` for more,
//! `LURING_BENCH_LATENCY_MS` and `LURING_BENCH_KONKURENSI` to vary the setting.
//! A `harness = false` binary: the bar is a whole-run figure, printed with its parts.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::expect_used, unreachable_pub, reason = "benchmark")]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hub::siasn::pull::{self, Progress, PullOptions};
use hub::siasn::{SiasnClient, SiasnConfig, SiasnStore, SsoSource};
use hub::{Hub, HubOptions};
use model::Pegawai;
use siasn_simulator::{Faults, Simulator, SimulatorConfig};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

fn main() {
    let pegawai = env_number("LURING_BENCH_PEGAWAI", 200) as usize;
    let latency = Duration::from_millis(env_number("LURING_BENCH_LATENCY_MS", 100));
    let konkurensi = env_number("LURING_BENCH_KONKURENSI", 8) as usize;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(bench(pegawai, latency, konkurensi));
}

async fn bench(pegawai: usize, latency: Duration, konkurensi: usize) {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = TempDir(std::env::temp_dir().join(format!("luring-bench-siasn-{}-{nanos}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let faults = Faults { latency, ..Faults::default() };
    let defaults = SimulatorConfig::default();
    let sim =
        Simulator::start(SimulatorConfig { pegawai, seed: 42, faults, ..SimulatorConfig::default() }).await.unwrap();
    let instansi = sim.instansi_id();
    let hub = Hub::open(&dir.0, HubOptions::default()).unwrap();
    let export = model::siasn::export::decode(&sim.export_csv());
    let records = export.records.into_iter().map(|r| Pegawai { data_utama: r.data_utama, ..Pegawai::default() });
    hub.import_pegawai(&instansi, records, &mut |_| {}).unwrap();
    let store = SiasnStore::open(&dir.0).unwrap();
    let base = sim.base_url();
    let client = SiasnClient::new(SiasnConfig {
        apim_token_url: format!("{base}/oauth2/token"),
        base_url: base,
        consumer_key: defaults.consumer_key,
        consumer_secret: defaults.consumer_secret,
        sso: SsoSource::Token(sim.sso_token(Duration::from_secs(3600))),
        konkurensi,
        per_detik: 0.0,
        timeout: Duration::from_secs(30),
    })
    .unwrap();
    let hari_ini = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let options = PullOptions::new(&instansi, hari_ini);
    let started = Instant::now();
    let mut lists_done: Option<Instant> = None;
    let report = pull::pull(&hub, &client, &store, &options, &mut |progress| {
        if let Progress::Pegawai { .. } = progress {
            lists_done.get_or_insert_with(Instant::now);
        }
    })
    .await
    .unwrap();
    let total = started.elapsed();
    let pegawai_phase = lists_done.map_or(total, |at| at.elapsed());
    let stats = sim.statistik();
    let nip_requests: u64 = stats.per_nip.values().sum();
    let nips = report.nip_diambil.max(1) as f64;
    let list_requests: u64 = ["list-kp-instansi", "list-pensiun-instansi", "ref-unor"]
        .iter()
        .map(|endpoint| stats.per_endpoint.get(*endpoint).copied().unwrap_or(0))
        .sum();
    let tokens = stats.per_endpoint.get("oauth2/token").copied().unwrap_or(0);
    println!("SI-ASN pull against the simulator (latency {} ms, konkurensi {konkurensi})", latency.as_millis());
    println!(
        "  pegawai: {} (baru {}, berubah {}, tetap {}, gagal {})",
        report.nip_total,
        report.baru,
        report.berubah,
        report.tetap,
        report.gagal.len()
    );
    println!(
        "  requests per NIP: {:.2} (bar ≤ 11); all requests {} = per-NIP {nip_requests} + lists {list_requests} \
         + tokens {tokens}",
        nip_requests as f64 / nips,
        report.permintaan
    );
    println!(
        "  pegawai per minute: {:.0} (pegawai phase {:.1} s); whole run {:.1} s incl. lists ({:.0} per minute)",
        nips * 60.0 / pegawai_phase.as_secs_f64(),
        pegawai_phase.as_secs_f64(),
        total.as_secs_f64(),
        nips * 60.0 / total.as_secs_f64()
    );
    let ceiling = konkurensi as f64 / latency.as_secs_f64().max(0.001) * 60.0 / (nip_requests as f64 / nips);
    println!("  ceiling at this latency and concurrency: {ceiling:.0} pegawai per minute");
    sim.stop().await;
}
