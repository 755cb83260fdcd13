//! The sync bars of the sync & hub issue, measured in one run over real HTTP on loopback: a real `luring-hub`
//! server (axum) with a real OpenID provider (tools/idp) checking every token, desktop replicas (`store`, real
//! SQLite files) synced by the engine and the reqwest driver, and a counting TCP proxy in between, so "bytes on the
//! wire" include HTTP headers. The baseline is automerge's own per-document sync protocol (`sync::repair`) over
//! the same documents, measured in the same run, in memory (which flatters it: no HTTP per message).
//!
//! `cargo bench -p hub --bench sync` (10,000 pegawai); `LURING_BENCH_PEGAWAI=250000` for the large bootstrap.
//! A `harness = false` binary: the bars are whole-run figures, printed next to their baselines and bars.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::expect_used, unreachable_pub, reason = "benchmark")]

use idp_harness as idp;
#[path = "../tests/support/proxy.rs"]
mod proxy;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hub::auth::TokenVerifier;
use hub::server::{ServerState, serve_on};
use hub::{Hub, HubOptions, Role, RosterEntry};
use model::Pegawai;
use store::replication::ReplicaSync;
use store::{OpenOptions, Replica};
use sync::driver::{self, DriverOptions, HttpTransport, TokenSource, Transport, TransportError, TransportResult};
use sync::engine::{Engine, Local, Request, RequestKind, Summary};
use sync::repair::Repair;
use sync::wire::{self, PushRequest, SnapshotManifest};
use sync::{ActorId, Document};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn main() {
    let count: usize = std::env::var("LURING_BENCH_PEGAWAI").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(bench(count));
}

fn generated(count: usize) -> Vec<Pegawai> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let kabupaten =
        generator::generate(&generator::Config { pegawai: count, seed: 42, today, ..generator::Config::default() });
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    model::siasn::export::decode(&csv)
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect()
}

fn instansi_of(nip: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/idp/accounts.json");
    let accounts: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["nip"] == nip)
        .and_then(|account| account["instansi_id"].as_str())
        .unwrap()
        .to_owned()
}

fn options() -> DriverOptions {
    DriverOptions {
        backoff_base: Duration::from_millis(5),
        backoff_cap: Duration::from_millis(50),
        ..DriverOptions::default()
    }
}

async fn run(replica: &Replica, scope: &str, transport: &dyn Transport, token: &TokenSource) -> Summary {
    let mut local = ReplicaSync::new(replica, store::replication::system_clock);
    let mut engine = Engine::new(scope);
    driver::run(&mut engine, &mut local, transport, token, &options(), &mut |_| {}).await.unwrap()
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

/// Every document of a replica, loaded.
fn documents(replica: &Replica) -> Vec<Document> {
    let reader = replica.reader().unwrap();
    let rowids: Vec<i64> = reader
        .prepare("SELECT rowid FROM document WHERE quarantined IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rowids.into_iter().map(|rowid| store::document::load(&reader, rowid).unwrap().1).collect()
}

/// Automerge's per-document sync protocol between each pair, in memory: (messages, round trips, bytes).
fn automerge_protocol(clients: &mut [Document], hubs: &mut [Document]) -> (usize, usize, usize) {
    let (mut messages, mut round_trips, mut bytes) = (0, 0, 0);
    for (client, hub) in clients.iter_mut().zip(hubs.iter_mut()) {
        let (mut from_client, mut from_hub) = (Repair::new(), Repair::new());
        for _ in 0..32 {
            let Some(request) = from_client.message(client) else { break };
            round_trips += 1;
            messages += 1;
            bytes += request.len();
            from_hub.receive(hub, &request).unwrap();
            if let Some(answer) = from_hub.message(hub) {
                messages += 1;
                bytes += answer.len();
                from_client.receive(client, &answer).unwrap();
            }
        }
    }
    (messages, round_trips, bytes)
}

/// A transport that counts snapshot-chunk bytes and, when `cut_after` chunk bytes have arrived, breaks the
/// current chunk in the middle and then refuses everything (the link is gone).
struct Cutting {
    inner: HttpTransport,
    cut_after: Option<u64>,
    state: Mutex<(u64, bool)>,
}

impl Transport for Cutting {
    fn send<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        Box::pin(async move {
            if self.state.lock().unwrap().1 {
                return Err(TransportError::Cut { reason: "link putus".into(), partial: Vec::new() });
            }
            let response = self.inner.send(request, token, watchdog).await?;
            if let RequestKind::Chunk { .. } = request.kind {
                let mut state = self.state.lock().unwrap();
                if let Some(limit) = self.cut_after
                    && state.0 + response.body.len() as u64 > limit
                {
                    state.1 = true;
                    let half = response.body.len() / 2;
                    state.0 += half as u64;
                    return Err(TransportError::Cut {
                        reason: "putus".into(),
                        partial: response.body[..half].to_vec(),
                    });
                }
                state.0 += response.body.len() as u64;
            }
            Ok(response)
        })
    }
}

async fn bench(count: usize) {
    let dir = TempDir(std::env::temp_dir().join(format!("luring-bench-sync-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    println!("sync benchmark, {count} generated pegawai, loopback HTTP through a counting proxy, {}", machine());

    // The hub: real SQLite, real server, real OpenID provider.
    let idp = idp::Idp::start(&idp::IdpOptions::default());
    let operator = idp::account("operator_instansi");
    let instansi = instansi_of(&operator.nip);
    let scope = format!("instansi:{instansi}");
    let hub = Hub::open(&dir.0.join("hub"), HubOptions::default()).unwrap();
    let started = Instant::now();
    let pegawai = generated(count);
    let imported = {
        let (hub, instansi) = (hub.clone(), instansi.clone());
        tokio::task::spawn_blocking(move || hub.import_pegawai(&instansi, pegawai, &mut |_| {}).unwrap()).await.unwrap()
    };
    assert_eq!(imported.inserted, count);
    println!("  (setup: hub import of {count} pegawai in {:.1} s)", started.elapsed().as_secs_f64());
    hub.roster_add(RosterEntry {
        nip: operator.nip.clone(),
        nama: Some(operator.name.clone()),
        instansi: instansi.clone(),
        roles: vec![Role::OperatorInstansi],
    })
    .unwrap();
    let verifier = Arc::new(TokenVerifier::new(idp.issuer(), idp::DESKTOP_CLIENT).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve_on(listener, ServerState::new(hub.clone(), verifier.clone()), std::future::pending()));
    let proxy = proxy::Proxy::start(address, 1).await;
    let access = idp.login(idp::DESKTOP_CLIENT, &operator).await.access_token;
    let token: TokenSource = {
        let access = access.clone();
        Arc::new(move || Some(access.clone()))
    };
    let transport = HttpTransport::new(&proxy.url()).unwrap();

    // 1. Bootstrap of a new device.
    let device = Replica::open(&dir.0.join("a.sqlite"), OpenOptions::default()).unwrap();
    transport.register_device(&access, device.actor().to_bytes(), "bench A").await.unwrap();
    proxy.reset();
    let started = Instant::now();
    let summary = run(&device, &scope, &transport, &token).await;
    let wall = started.elapsed();
    let (up, down) = proxy.bytes();
    assert_eq!(summary.snapshot_documents, count);
    let hub_documents = documents(&device);
    let mut empty: Vec<Document> = (0..hub_documents.len()).map(|_| Document::new(ActorId::random())).collect();
    let mut hub_copy = hub_documents.iter().map(Document::fork).collect::<Vec<_>>();
    let (_, base_round_trips, base_bytes) = automerge_protocol(&mut empty, &mut hub_copy);
    let bar_seconds = if count <= 10_000 { 10.0 } else { 180.0 };
    println!(
        "bootstrap: {:.1} s wall, {:.0} KB on the wire ({} requests, {} chunks, {:.0} B/pegawai) \
         [bar ≤ {bar_seconds:.0} s{}]; baseline automerge sync protocol: {:.0} KB in {base_round_trips} round trips \
         (ratio {:.1}x bytes)",
        wall.as_secs_f64(),
        kb(up + down),
        summary.requests,
        summary.chunks.1,
        (up + down) as f64 / count as f64,
        if count <= 10_000 { ", ≤ 4,096 KB" } else { "" },
        kb(base_bytes as u64),
        base_bytes as f64 / (up + down) as f64,
    );

    // 2. No-op sync of an up-to-date replica.
    proxy.reset();
    let noop = run(&device, &scope, &transport, &token).await;
    let (up, down) = proxy.bytes();
    let mut clients = hub_documents.iter().map(Document::fork).collect::<Vec<_>>();
    let mut hubs = hub_documents.iter().map(Document::fork).collect::<Vec<_>>();
    let (_, base_round_trips, base_bytes) = automerge_protocol(&mut clients, &mut hubs);
    println!(
        "no-op sync: {} request(s), {} B on the wire (HTTP headers included, bearer a hub session: {up} B up, \
         {down} B down) [bar 1 request, ≤ 1,024 B]; baseline \
         automerge sync protocol over the same {count} documents: {base_bytes} B in {base_round_trips} round trips; \
         ratio {:.0}x fewer bytes [bar ≥ 50x], {:.0}x fewer round trips [bar ≥ 1000x]",
        noop.requests,
        up + down,
        base_bytes as f64 / (up + down) as f64,
        base_round_trips as f64 / noop.requests as f64
    );

    // The same no-op from a fresh process: the first request exchanges the access token for a hub session.
    let fresh = HttpTransport::new(&proxy.url()).unwrap();
    proxy.reset();
    let cold = run(&device, &scope, &fresh, &token).await;
    let (up, down) = proxy.bytes();
    println!(
        "  the same no-op from a fresh process: {} engine request + 1 session exchange, {} B (the ~{} B access token \
         is sent once per session of ≤ 30 min instead of on every request)",
        cold.requests,
        up + down,
        access.len()
    );

    // 3. 100 edited documents, pushed and pulled.
    let before_edits = documents(&device);
    let nips: Vec<String> = {
        let reader = device.reader().unwrap();
        let page = store::query::list(
            &reader,
            &store::query::Filter::default(),
            store::query::Urutan::Nip,
            None,
            100,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        )
        .unwrap();
        page.rows.into_iter().map(|row| row.nip).collect()
    };
    for (index, nip) in nips.iter().enumerate() {
        store::edit::edit_pegawai(&device, nip, 1_764_500_000_000 + index as i64, "ubah no hp", |json| {
            json["data_utama"]["no_hp"] = serde_json::Value::String(format!("0812{index:08}"));
        })
        .unwrap()
        .unwrap();
    }
    proxy.reset();
    let edited = run(&device, &scope, &transport, &token).await;
    let (up, down) = proxy.bytes();
    assert_eq!(edited.pushed, 100);
    let mut clients = documents(&device); // with the edits
    let mut hubs = before_edits; // the hub before the push
    let (_, base_round_trips, base_bytes) = automerge_protocol(&mut clients, &mut hubs);
    println!(
        "100 edited documents: {} round trips, {:.1} KB on the wire [bar ≤ 2 round trips, ≤ 30 KB]; baseline automerge \
         sync protocol over the {count} documents: {:.0} KB in {base_round_trips} round trips",
        edited.requests,
        kb(up + down),
        kb(base_bytes as u64)
    );

    // 4. Hub push throughput with validation (in process: the hub's own cost, no HTTP).
    let edits = 3_000.min(count);
    let nips: Vec<String> = {
        let reader = device.reader().unwrap();
        let mut rows = Vec::new();
        let mut after = None;
        while rows.len() < edits {
            let page = store::query::list(
                &reader,
                &store::query::Filter::default(),
                store::query::Urutan::Nama,
                after.as_ref(),
                500,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            )
            .unwrap();
            rows.extend(page.rows.into_iter().map(|row| row.nip));
            match page.berikutnya {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        rows.truncate(edits);
        rows
    };
    for (index, nip) in nips.iter().enumerate() {
        store::edit::edit_pegawai(&device, nip, 1_764_600_000_000 + index as i64, "ubah email", |json| {
            json["data_utama"]["email"] = serde_json::Value::String(format!("pegawai{index}@contoh.go.id"));
        })
        .unwrap();
    }
    let caller = hub.caller(&verifier.verify(&access).await.unwrap()).unwrap();
    let mut local = ReplicaSync::new(&device, store::replication::system_clock);
    let mut pushed = 0;
    let mut hub_time = Duration::ZERO;
    for _ in 0..1_000 {
        let changes = local.pending(sync::engine::MAX_PUSH_BYTES).unwrap();
        if changes.is_empty() {
            break;
        }
        let request = PushRequest {
            v: wire::VERSION,
            actor: wire::Bytes(device.actor().to_bytes().to_vec()),
            batch_id: "bench".into(),
            changes,
        };
        let (hub, caller) = (hub.clone(), caller.clone());
        let started = Instant::now();
        let answer = tokio::task::spawn_blocking(move || hub.push(&caller, request).unwrap()).await.unwrap();
        hub_time += started.elapsed();
        pushed += answer.results.len();
        local.acknowledge(&answer).unwrap();
    }
    println!(
        "hub push with validation: {:.0} changes/s ({pushed} changes in {:.2} s) [bar ≥ 3,000/s]",
        pushed as f64 / hub_time.as_secs_f64(),
        hub_time.as_secs_f64()
    );

    // 5. A bootstrap cut at 50 % resumes re-downloading at most one chunk.
    let manifest: SnapshotManifest = {
        let request = Request {
            method: sync::engine::Method::Get,
            path: format!("/v1/snapshot?scope={}", scope.replace(':', "%3A")),
            body: Vec::new(),
            range_from: None,
            kind: RequestKind::Manifest,
        };
        let response = transport.send(&request, &access, Duration::from_secs(60)).await.unwrap();
        wire::decode(&response.body).unwrap()
    };
    let total: u64 = manifest.chunks.iter().map(|chunk| chunk.size).sum();
    let largest = manifest.chunks.iter().map(|chunk| chunk.size).max().unwrap_or(0);
    let resumed = Replica::open(&dir.0.join("c.sqlite"), OpenOptions::default()).unwrap();
    transport.register_device(&access, resumed.actor().to_bytes(), "bench C").await.unwrap();
    let first = Cutting { inner: transport.clone(), cut_after: Some(total / 2), state: Mutex::new((0, false)) };
    let mut local = ReplicaSync::new(&resumed, store::replication::system_clock);
    let mut engine = Engine::new(scope.clone());
    let cut = driver::run(
        &mut engine,
        &mut local,
        &first,
        &token,
        &DriverOptions { max_failures: 2, ..options() },
        &mut |_| {},
    )
    .await;
    assert!(cut.is_err(), "the first run ends with the link down");
    let first_bytes = first.state.lock().unwrap().0;
    let second = Cutting { inner: transport.clone(), cut_after: None, state: Mutex::new((0, false)) };
    let finished = run(&resumed, &scope, &second, &token).await;
    assert!(finished.bootstrapped);
    let second_bytes = second.state.lock().unwrap().0;
    let again = (first_bytes + second_bytes).saturating_sub(total);
    println!(
        "bootstrap cut at 50 %: {:.0} KB before the cut, {:.0} KB after; re-downloaded {:.0} KB, one chunk is at most \
         {:.0} KB [bar ≤ one batch]",
        kb(first_bytes),
        kb(second_bytes),
        kb(again),
        kb(largest)
    );
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| text.lines().find(|line| line.starts_with("model name")).map(|line| line.to_owned()))
        .and_then(|line| line.split(':').nth(1).map(|name| name.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpu}, {} cores", std::thread::available_parallelism().map_or(0, |n| n.get()))
}
