//! The fault tests of the sync issue (sync.md §5.11) over real HTTP on loopback: a real test OpenID provider
//! (`tools/idp`), a real hub server (`serve_on` on 127.0.0.1) over a `Hub` in a temporary folder, the faulty TCP
//! proxy of `../support/proxy.rs` in front of it, and desktop replicas (`store::Replica`, real SQLite files) syncing
//! through `sync::driver::run` with `HttpTransport`.
//!
//! [`blobs`] adds the blob transfers (cut mid-chunk, cut mid-download, a flipped byte) and the repair path over
//! the same harness.
//!
//! Each test ends with the same checks: every edit made is on the hub (a fresh replica bootstrapped through the
//! proxy with faults off holds it, and the hub's log holds each change exactly once), `integrity::check` is healthy
//! on every replica, outboxes are empty, and all replicas hold identical documents. The SIGKILL test re-executes
//! this test binary as the client process ([`sigkill_child`], ignored unless its environment is set).
//!
//! Every wait is bounded: sync runs are retried a bounded number of times, child processes are killed, the server's
//! graceful shutdown is awaited with a deadline.

#![allow(clippy::unwrap_used, clippy::print_stdout, reason = "tests")]

mod blobs;
#[allow(dead_code, unreachable_pub, reason = "the auth tests use the rest of the harness")]
use idp_harness as idp;
#[allow(unreachable_pub, reason = "shared test support")]
#[path = "../support/proxy.rs"]
mod proxy;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use hub::auth::TokenVerifier;
use hub::server::{ServerState, serve_on};
use hub::{Caller, Hub, HubOptions, Role, RosterEntry};
use model::Pegawai;
use model::siasn::export;
use serde_json::Value;
use store::integrity;
use store::replication::{ReplicaSync, system_clock};
use store::{OpenOptions, Replica};
use sync::ChangeHash;
use sync::driver::{self, DriverOptions, HttpTransport, TokenSource, Transport, TransportError, TransportResult};
use sync::engine::{Engine, Request, Summary, SyncError};
use sync::wire::FeedBody;
use tokio::sync::oneshot;

use crate::idp::{DESKTOP_CLIENT, Idp, IdpOptions};
use crate::proxy::{Proxy, ProxyFaults};

/// The role of the demo account the tests sign in with.
const OPERATOR: &str = "operator_instansi";
/// Documents per snapshot chunk: several chunks per bootstrap, so cuts and kills land between and inside them.
const CHUNK_DOCUMENTS: usize = 50;
/// The child process's environment: the replica file (its presence makes [`sigkill_child`] run).
const CHILD_REPLICA: &str = "LURING_FAULTS_CHILD_REPLICA";
/// The hub's base URL for the child.
const CHILD_URL: &str = "LURING_FAULTS_CHILD_URL";
/// The access token for the child.
const CHILD_TOKEN: &str = "LURING_FAULTS_CHILD_TOKEN";
/// The scope for the child.
const CHILD_SCOPE: &str = "LURING_FAULTS_CHILD_SCOPE";
/// The child's first edit number.
const CHILD_FIRST: &str = "LURING_FAULTS_CHILD_FIRST";
/// How many edits the child makes at most.
const CHILD_EDITS: &str = "LURING_FAULTS_CHILD_EDITS";
/// The fields the child's edits write, one pass over every pegawai each.
const KILL_FIELDS: [&str; 3] = ["email", "no_hp", "alamat"];

/// A folder under the target directory, removed when dropped.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("faults-{label}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// `count` generated pegawai through the real CSV decoder (as `tests/sync` does).
fn generated(count: usize, seed: u64) -> Vec<Pegawai> {
    let kabupaten = generator::generate(&generator::Config {
        pegawai: count,
        seed,
        today: today(),
        ..generator::Config::default()
    });
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    export::decode(&csv)
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect()
}

/// The demo operator of `tools/idp/accounts.json` and the instansi the roster gives it there.
fn operator() -> (idp::Account, String) {
    let account = idp::account(OPERATOR);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/idp/accounts.json");
    let accounts: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let instansi = accounts["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["nip"] == account.nip.as_str())
        .and_then(|entry| entry["instansi_id"].as_str())
        .unwrap()
        .to_owned();
    (account, instansi)
}

/// Driver options for fast tests: short backoff, many attempts.
fn options() -> DriverOptions {
    DriverOptions {
        watchdog: Duration::from_secs(15),
        backoff_base: Duration::from_millis(5),
        backoff_cap: Duration::from_millis(80),
        max_failures: 100,
    }
}

/// One engine run of `scope` on `replica` against the hub at `url`, on its own runtime and HTTP client (so its
/// connections close when it returns).
/// With `fresh_connections`, every request goes over a new connection (each one a new roll of the proxy's fault
/// plan); otherwise the client keeps its connections alive as the desktop does.
fn run_sync(
    url: &str,
    token: &str,
    scope: &str,
    replica: &Replica,
    options: &DriverOptions,
    fresh_connections: bool,
) -> Result<Summary, SyncError> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let transport: Box<dyn Transport> = if fresh_connections {
        Box::new(FreshConnections { base: url.to_owned() })
    } else {
        Box::new(HttpTransport::new(url).unwrap())
    };
    let token = token.to_owned();
    let source: TokenSource = Arc::new(move || Some(token.clone()));
    let mut local = ReplicaSync::new(replica, system_clock);
    let mut engine = Engine::new(scope);
    let result =
        runtime.block_on(driver::run(&mut engine, &mut local, transport.as_ref(), &source, options, &mut |_| {}));
    drop(transport);
    result
}

/// [`HttpTransport`] with a new HTTP client, so a new connection (carrying its own session exchange and the
/// request), for every request.
#[derive(Debug)]
struct FreshConnections {
    base: String,
}

impl Transport for FreshConnections {
    fn send<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        Box::pin(async move {
            let transport = HttpTransport::new(&self.base)
                .map_err(|error| TransportError::Cut { reason: error.to_string(), partial: Vec::new() })?;
            transport.send(request, token, watchdog).await
        })
    }
}

/// The (epoch, seq) of `scope`'s feed cursor in `replica`.
fn cursor_of(replica: &Replica, scope: &str) -> Option<(i64, i64)> {
    let status = store::replication::status(replica).unwrap();
    status.scopes.iter().find(|entry| entry.scope == scope).map(|entry| (entry.epoch, entry.seq))
}

/// A replica's documents as compared between replicas: (id, sorted heads, JSON), sorted by id.
type Documents = Vec<(Vec<u8>, Vec<ChangeHash>, Value)>;

/// Every document of a replica.
fn documents(replica: &Replica) -> Documents {
    let reader = replica.reader().unwrap();
    let rows: Vec<(Vec<u8>, i64)> = reader
        .prepare("SELECT id, rowid FROM document WHERE quarantined IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.into_iter()
        .map(|(id, rowid)| {
            let (_, document) = store::document::load(&reader, rowid).unwrap();
            let mut heads = document.heads();
            heads.sort();
            (id, heads, document.hydrate())
        })
        .collect()
}

/// The hashes of every change in every document of a replica.
fn change_hashes(replica: &Replica) -> HashSet<ChangeHash> {
    let reader = replica.reader().unwrap();
    let rowids: Vec<i64> = reader
        .prepare("SELECT rowid FROM document WHERE quarantined IS NULL")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rowids
        .into_iter()
        .flat_map(|rowid| store::document::load(&reader, rowid).unwrap().1.change_hashes_since(&[]))
        .collect()
}

/// The value of `data_utama.<field>` of pegawai `nip` in `replica`.
fn field_of(replica: &Replica, nip: &str, field: &str) -> Value {
    let profil = store::query::profil(&replica.reader().unwrap(), nip).unwrap();
    serde_json::to_value(&profil.pegawai.data_utama).unwrap()[field].clone()
}

/// An officer's edit of `data_utama.<field>`; the value is new, so it always makes a change.
fn edit(replica: &Replica, nip: &str, field: &str, value: &str) -> ChangeHash {
    store::edit::edit_pegawai(replica, nip, system_clock(), "ubah data", |json| {
        json["data_utama"][field] = Value::String(value.to_owned());
    })
    .unwrap()
    .unwrap_or_else(|| panic!("editing {field} of {nip} to {value} changed nothing"))
}

/// The replica file is sound, its projections match its documents and nothing is quarantined.
fn assert_healthy(replica: &Replica, label: &str) -> integrity::Report {
    let report = integrity::check(replica).unwrap();
    assert!(report.is_healthy(), "{label}: {report:?}");
    report
}

/// A hub server task and how to stop it.
#[derive(Debug)]
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Starts a server over `hub` on `listener`, checking tokens against `issuer` (to be called on the runtime).
fn start_server(hub: Hub, issuer: &str, listener: tokio::net::TcpListener) -> Server {
    let verifier = TokenVerifier::new(issuer, DESKTOP_CLIENT).unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let state = ServerState::new(hub, Arc::new(verifier));
    let task = tokio::spawn(serve_on(listener, state, async move {
        let _ = stopped.await;
    }));
    Server { addr, stop: Some(stop), task }
}

/// Binds 127.0.0.1:`port` (0: any), retrying a port that is still held for a bounded time.
async fn bind(port: u16) -> tokio::net::TcpListener {
    let mut last = None;
    for _ in 0..40 {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        match socket.bind(SocketAddr::from(([127, 0, 0, 1], port))).and_then(|()| socket.listen(1024)) {
            Ok(listener) => return listener,
            Err(error) => last = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("cannot bind 127.0.0.1:{port}: {last:?}")
}

/// One test's world: IdP, hub, server, proxy, token.
#[derive(Debug)]
struct Harness {
    /// The running server (replaced by [`Harness::restart`]).
    server: Mutex<Option<Server>>,
    proxy: Proxy,
    runtime: tokio::runtime::Runtime,
    /// The hub the server serves (re-opened by [`Harness::restart`]).
    hub: Mutex<Hub>,
    token: String,
    scope: String,
    caller: Caller,
    /// The imported pegawai's NIPs, sorted.
    nips: Vec<String>,
    /// Replicas made so far (for unique file names).
    replicas: AtomicUsize,
    /// Whether runs use a new connection per request ([`FreshConnections`]).
    fresh_connections: AtomicBool,
    idp: Idp,
    dir: TempDir,
}

impl Harness {
    /// A hub with `count` generated pegawai in the operator's instansi, served on 127.0.0.1 behind the proxy.
    fn start(label: &str, count: usize, seed: u64) -> Harness {
        let dir = TempDir::new(label);
        let idp = Idp::start(&IdpOptions::default());
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let (account, instansi) = operator();
        let hub = Hub::open(&dir.0.join("hub"), hub_options()).unwrap();
        let pegawai = generated(count, seed);
        let report = hub.import_pegawai(&instansi, pegawai.clone(), &mut |_| {}).unwrap();
        assert_eq!(report.inserted, count);
        let mut nips: Vec<String> = pegawai.iter().map(|p| p.data_utama.nip.to_string()).collect();
        nips.sort();
        hub.roster_add(RosterEntry {
            nip: account.nip.clone(),
            nama: Some(account.name.clone()),
            instansi: instansi.clone(),
            roles: vec![Role::OperatorInstansi],
        })
        .unwrap();
        let caller = Caller {
            sub: account.sub.clone(),
            nip: account.nip.clone(),
            nama: None,
            instansi: instansi.clone(),
            roles: vec![Role::OperatorInstansi],
        };
        let (server, proxy, token) = runtime.block_on(async {
            let server = start_server(hub.clone(), idp.issuer(), bind(0).await);
            let proxy = Proxy::start(server.addr, seed).await;
            let token = idp.login(DESKTOP_CLIENT, &account).await.access_token;
            (server, proxy, token)
        });
        Harness {
            server: Mutex::new(Some(server)),
            proxy,
            runtime,
            hub: Mutex::new(hub),
            token,
            scope: format!("instansi:{instansi}"),
            caller,
            nips,
            replicas: AtomicUsize::new(0),
            fresh_connections: AtomicBool::new(false),
            idp,
            dir,
        }
    }

    fn server_url(&self) -> String {
        format!("http://{}", self.server.lock().unwrap().as_ref().unwrap().addr)
    }

    /// A new replica file, its actor registered with the hub (directly, not through the proxy's faults).
    fn replica(&self, name: &str) -> (PathBuf, Replica) {
        let number = self.replicas.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.0.join(format!("{name}-{number}.sqlite"));
        let replica = Replica::open(&path, OpenOptions::default()).unwrap();
        let actor = replica.actor().to_bytes().to_vec();
        let transport = HttpTransport::new(&self.server_url()).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(transport.register_device(&self.token, &actor, name)).unwrap();
        (path, replica)
    }

    /// One run through the proxy.
    fn sync(&self, replica: &Replica, options: &DriverOptions) -> Result<Summary, SyncError> {
        let fresh = self.fresh_connections.load(Ordering::Relaxed);
        run_sync(&self.proxy.url(), &self.token, &self.scope, replica, options, fresh)
    }

    /// Runs until one run finishes (at most `max_runs`), retrying transient failures; the cursor never moves back.
    /// Returns the finished run's summary and the failed runs' errors.
    fn sync_until_done(&self, replica: &Replica, options: &DriverOptions, max_runs: usize) -> (Summary, Vec<String>) {
        let mut failures = Vec::new();
        for _ in 0..max_runs {
            let before = cursor_of(replica, &self.scope);
            let result = self.sync(replica, options);
            let after = cursor_of(replica, &self.scope);
            assert!(after >= before || after.is_none(), "the cursor moved back: {before:?} → {after:?}");
            match result {
                Ok(summary) => return (summary, failures),
                Err(error) if error.is_transient() => failures.push(error.to_string()),
                Err(error) => panic!("sync failed for good: {error} (after {failures:?})"),
            }
        }
        panic!("sync not done after {max_runs} runs: {failures:?}")
    }

    /// How often each change hash occurs in the scope's whole log (read through the hub's API).
    fn log_counts(&self) -> HashMap<ChangeHash, usize> {
        let hub = self.hub.lock().unwrap().clone();
        let mut counts = HashMap::new();
        let mut cursor: Option<String> = None;
        for _ in 0..100_000 {
            let batch = hub.feed(&self.caller, &self.scope, cursor.as_deref(), 1 << 20).unwrap();
            for item in &batch.items {
                if let FeedBody::Changes { changes } = &item.body {
                    for change in changes {
                        *counts.entry(sync::change_hash_of(&change.0).unwrap()).or_insert(0) += 1;
                    }
                }
            }
            if batch.up_to_date {
                return counts;
            }
            cursor = Some(batch.next_cursor);
        }
        panic!("the feed never came up to date")
    }

    /// The end of every test: with faults off, a fresh replica bootstraps through the proxy; it holds every change
    /// of `edits`; the hub's log holds each change once (each of `edits` exactly once); every replica of
    /// `replicas` is healthy, has an empty outbox and holds the fresh replica's documents. Returns the reference
    /// documents.
    fn assert_converged(&self, replicas: &[&Replica], edits: &[ChangeHash]) -> (Replica, Documents) {
        self.proxy.set_faults(ProxyFaults::default());
        let (_, fresh) = self.replica("segar");
        let (summary, failures) = self.sync_until_done(&fresh, &options(), 3);
        assert!(summary.bootstrapped && failures.is_empty(), "{summary:?} {failures:?}");
        let reference = documents(&fresh);
        assert_eq!(reference.len(), self.nips.len());
        let on_hub = change_hashes(&fresh);
        let missing: Vec<&ChangeHash> = edits.iter().filter(|hash| !on_hub.contains(hash)).collect();
        assert!(missing.is_empty(), "{} of {} edits are not on the hub: {missing:?}", missing.len(), edits.len());
        let counts = self.log_counts();
        for hash in edits {
            assert_eq!(counts.get(hash), Some(&1), "edit {hash} in the hub's log");
        }
        let repeated: Vec<_> = counts.iter().filter(|(_, count)| **count != 1).collect();
        assert!(repeated.is_empty(), "changes logged more than once: {repeated:?}");
        assert_eq!(assert_healthy(&fresh, "fresh replica").outbox, 0);
        for (index, replica) in replicas.iter().enumerate() {
            let report = assert_healthy(replica, &format!("replica {index}"));
            assert_eq!(report.outbox, 0, "replica {index}: outbox");
            assert_eq!(store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0, 0);
            assert!(documents(replica) == reference, "replica {index} differs from the hub");
        }
        (fresh, reference)
    }

    /// Stops the server (its shutdown future; in-flight requests finish, at most `graceful` long, then the task is
    /// aborted), keeps it down for `down_for` more, re-opens the hub on the same data folder and serves it on the
    /// same port again. Returns how long the hub was unreachable.
    fn restart(&self, graceful: Duration, down_for: Duration) -> Duration {
        let down = Instant::now();
        let mut server = self.server.lock().unwrap().take().unwrap();
        let port = server.addr.port();
        let issuer = self.idp.issuer().to_owned();
        let data = self.dir.0.join("hub");
        let graceful_done = self.runtime.block_on(async {
            let _ = server.stop.take().unwrap().send(());
            match tokio::time::timeout(graceful, &mut server.task).await {
                Ok(result) => {
                    result.unwrap().unwrap();
                    true
                }
                Err(_) => {
                    server.task.abort();
                    let _ = server.task.await;
                    false
                }
            }
        });
        // The old hub is gone with its server; a new process starts and opens the same folder.
        std::thread::sleep(down_for);
        let hub = Hub::open(&data, hub_options()).unwrap();
        *self.hub.lock().unwrap() = hub.clone();
        let server = self.runtime.block_on(async { start_server(hub, &issuer, bind(port).await) });
        assert_eq!(server.addr.port(), port);
        *self.server.lock().unwrap() = Some(server);
        println!("restart: graceful shutdown finished: {graceful_done}, hub down for {:?}", down.elapsed());
        down.elapsed()
    }

    fn print_counts(&self, test: &str) {
        let counts = &self.proxy.counts;
        println!(
            "{test}: up {} B, down {} B, connections {}, cuts {}, duplicates {}",
            counts.up.load(Ordering::Relaxed),
            counts.down.load(Ordering::Relaxed),
            counts.connections.load(Ordering::Relaxed),
            counts.cuts.load(Ordering::Relaxed),
            counts.duplicates.load(Ordering::Relaxed)
        );
    }
}

/// `base`, shifted by `LURING_FAULTS_SEED` when set (to explore other fault schedules).
fn seed(base: u64) -> u64 {
    base + std::env::var("LURING_FAULTS_SEED").ok().and_then(|text| text.parse().ok()).unwrap_or(0)
}

fn hub_options() -> HubOptions {
    HubOptions { snapshot_chunk_documents: CHUNK_DOCUMENTS, ..HubOptions::default() }
}

/// Cuts at random byte offsets (30 % of connections, one connection per request) during the bootstrap of two
/// replicas and 30 edits pushed from each (many on the same pegawai and field), syncing until done. The offset
/// window matches the exchanges, so that most rolls land inside one: 24 KiB while bootstrapping (a snapshot chunk
/// of 50 pegawai is ~17 KiB), 8 KiB for pushes and pulls (1–10 KiB). The cursor never moves back (checked after
/// every run).
#[test]
fn cuts_at_random_byte_offsets_lose_nothing() {
    let started = Instant::now();
    let harness = Harness::start("potong", 300, seed(21));
    let (_, first) = harness.replica("laptop-a");
    let (_, second) = harness.replica("laptop-b");
    let cuts = || harness.proxy.counts.cuts.load(Ordering::Relaxed);
    harness.fresh_connections.store(true, Ordering::Relaxed);
    harness.proxy.set_faults(ProxyFaults { cut: 0.3, cut_within: 24 * 1024, ..ProxyFaults::default() });
    let mut failed_runs = 0;
    for replica in [&first, &second] {
        let (summary, failures) = harness.sync_until_done(replica, &options(), 50);
        failed_runs += failures.len();
        assert!(summary.bootstrapped, "{summary:?}");
        assert_eq!(documents(replica).len(), 300);
    }
    let bootstrap_cuts = cuts();
    harness.print_counts("cuts (bootstraps)");
    harness.proxy.set_faults(ProxyFaults { cut: 0.3, cut_within: 8 * 1024, ..ProxyFaults::default() });
    let mut rng = fastrand::Rng::with_seed(seed(21));
    let fields = ["email", "no_hp", "alamat"];
    let mut edits = Vec::new();
    for round in 0..3 {
        for (device, replica) in [&first, &second].into_iter().enumerate() {
            for index in 0..10 {
                // Five pegawai and three fields: the two replicas often write the same field concurrently.
                let nip = &harness.nips[rng.usize(..5)];
                let field = fields[rng.usize(..fields.len())];
                let value = format!("{field}-{device}-{round}-{index}");
                edits.push(edit(replica, nip, field, &value));
                if index % 2 == 1 {
                    failed_runs += harness.sync_until_done(replica, &options(), 50).1.len();
                }
            }
        }
    }
    for _ in 0..2 {
        for replica in [&first, &second] {
            failed_runs += harness.sync_until_done(replica, &options(), 50).1.len();
        }
    }
    assert_eq!(edits.len(), 60);
    let edit_cuts = cuts() - bootstrap_cuts;
    assert!(bootstrap_cuts > 0 && edit_cuts > 0, "cuts: {bootstrap_cuts} in bootstraps, {edit_cuts} in pushes/pulls");
    harness.print_counts("cuts");
    println!("cuts: {bootstrap_cuts} during the bootstraps, {edit_cuts} during pushes and pulls");
    harness.assert_converged(&[&first, &second], &edits);
    println!("cuts: {failed_runs} runs gave up and were retried; {:?}", started.elapsed());
}

/// A 64 kbit/s link with 2 s latency: an already bootstrapped replica pushes 5 edits and pulls within 60 s.
#[test]
fn a_throttled_link_with_high_latency_completes() {
    let harness = Harness::start("lambat", 200, seed(22));
    let (_, replica) = harness.replica("laptop");
    harness.sync_until_done(&replica, &options(), 3);
    let edits: Vec<ChangeHash> =
        (0..5).map(|n| edit(&replica, &harness.nips[n], "email", &format!("lambat{n}@contoh.go.id"))).collect();
    harness.proxy.set_faults(ProxyFaults {
        bits_per_second: 64_000,
        latency: Duration::from_secs(2),
        ..ProxyFaults::default()
    });
    harness.proxy.reset();
    let slow = DriverOptions { watchdog: Duration::from_secs(30), ..options() };
    let started = Instant::now();
    let (summary, failures) = harness.sync_until_done(&replica, &slow, 1);
    let elapsed = started.elapsed();
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!((summary.pushed, summary.rejected.len(), summary.bootstrapped), (5, 0, false), "{summary:?}");
    assert!(elapsed < Duration::from_secs(60), "push and pull took {elapsed:?}");
    harness.print_counts("throttled");
    println!("throttled: push + pull of 5 edits took {elapsed:?} in {} requests", summary.requests);
    harness.assert_converged(&[&replica], &edits);
}

/// Requests replayed on a second connection (half of all connections) while two replicas push: the hub's log
/// holds each change exactly once and the replicas converge.
#[test]
fn duplicated_requests_are_logged_once() {
    let harness = Harness::start("ganda", 200, seed(23));
    let (_, first) = harness.replica("laptop-a");
    let (_, second) = harness.replica("laptop-b");
    for replica in [&first, &second] {
        harness.sync_until_done(replica, &options(), 3);
    }
    // One connection per request: each replayed connection is one request, replayed while the run goes on.
    harness.fresh_connections.store(true, Ordering::Relaxed);
    harness.proxy.set_faults(ProxyFaults { duplicate: 0.5, ..ProxyFaults::default() });
    let mut edits = Vec::new();
    for round in 0..6 {
        for (device, replica) in [&first, &second].into_iter().enumerate() {
            for index in 0..4 {
                let nip = &harness.nips[(round + index) % 3];
                let field = ["email", "no_hp"][index % 2];
                edits.push(edit(replica, nip, field, &format!("ganda-{device}-{round}-{index}")));
            }
            let (summary, failures) = harness.sync_until_done(replica, &options(), 5);
            assert_eq!((summary.pushed, summary.rejected.len()), (4, 0), "{summary:?} {failures:?}");
        }
    }
    for replica in [&first, &second] {
        harness.sync_until_done(replica, &options(), 5);
    }
    // The replays run after their connection closed; give the last ones time to reach the hub.
    std::thread::sleep(Duration::from_secs(2));
    let duplicates = harness.proxy.counts.duplicates.load(Ordering::Relaxed);
    assert!(duplicates > 0, "the proxy replayed no connection");
    harness.print_counts("duplicates");
    harness.assert_converged(&[&first, &second], &edits);
}

/// The client as a separate process, SIGKILLed after 50–400 ms while it bootstraps (as many times as that takes),
/// then 20 times while it edits and syncs: the replica always reopens sound and holds every edit reported so far,
/// and every edit the client reported as committed reaches the hub.
#[test]
fn sigkill_of_the_client_mid_batch_loses_nothing() {
    /// Kills of children that started with a bootstrapped replica.
    const KILLS: usize = 20;
    /// Children at most (those killed while bootstrapping included).
    const CHILDREN: usize = 30;
    const EDITS_PER_CHILD: usize = 40;
    const PEGAWAI: usize = 400;
    const { assert!(CHILDREN * EDITS_PER_CHILD <= PEGAWAI * KILL_FIELDS.len(), "no edit may overwrite another") };
    let harness = Harness::start("bunuh", PEGAWAI, seed(24));
    // Registered only: the first children bootstrap it, and are killed while they do.
    let (path, replica) = harness.replica("laptop");
    drop(replica);
    let mut rng = fastrand::Rng::with_seed(seed(24));
    let (mut bootstrapped, mut kills_while_bootstrapping, mut kills) = (false, 0, 0);
    // (edit number, NIP, field, value) of every edit a child reported as committed.
    let mut reported: Vec<(usize, String, String, String)> = Vec::new();
    let mut pending_after_kill = Vec::new();
    for kill in 0..CHILDREN {
        if kills == KILLS {
            break;
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "sigkill_child", "--nocapture", "--include-ignored"])
            .env(CHILD_REPLICA, &path)
            .env(CHILD_URL, harness.proxy.url())
            .env(CHILD_TOKEN, &harness.token)
            .env(CHILD_SCOPE, &harness.scope)
            .env(CHILD_FIRST, (kill * EDITS_PER_CHILD).to_string())
            .env(CHILD_EDITS, EDITS_PER_CHILD.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines =
            std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(rng.u64(50..=400)));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "child {kill} ended by itself before the kill: {status}");
        for line in lines.join().unwrap() {
            let parts: Vec<&str> = line.split(' ').collect();
            if let ["EDIT", number, nip, field, value] = parts[..]
                && value.ends_with("@contoh.go.id")
            {
                reported.push((number.parse().unwrap(), nip.to_owned(), field.to_owned(), value.to_owned()));
            }
        }
        // The replica reopens sound, and holds every edit reported so far.
        let replica = Replica::open(&path, OpenOptions::default()).unwrap();
        let report = integrity::check(&replica).unwrap();
        assert!(report.sqlite_ok && report.quarantined.is_empty(), "after kill {kill}: {report:?}");
        assert!(report.projections_match(), "after kill {kill}: {report:?}");
        for (number, nip, field, value) in &reported {
            assert_eq!(field_of(&replica, nip, field), Value::String(value.clone()), "edit {number} after kill {kill}");
        }
        pending_after_kill.push(report.outbox);
        if bootstrapped {
            kills += 1;
        } else {
            kills_while_bootstrapping += 1;
        }
        bootstrapped = cursor_of(&replica, &harness.scope).is_some();
        assert!(bootstrapped || reported.is_empty(), "edits before the bootstrap ended");
    }
    assert_eq!(kills, KILLS, "{kills_while_bootstrapping} children were killed while bootstrapping");
    let numbers: HashSet<usize> = reported.iter().map(|(number, ..)| *number).collect();
    assert_eq!(numbers.len(), reported.len(), "each edit number is reported once");
    assert!(!reported.is_empty(), "no child got to edit before its kill");
    let replica = Replica::open(&path, OpenOptions::default()).unwrap();
    let (summary, failures) = harness.sync_until_done(&replica, &options(), 5);
    assert!(failures.is_empty(), "{failures:?}");
    harness.print_counts("sigkill");
    println!(
        "sigkill: {} edits reported over {KILLS} kills (and {kills_while_bootstrapping} while bootstrapping); outbox \
         after each kill {pending_after_kill:?}; final run {summary:?}",
        reported.len()
    );
    let (fresh, _) = harness.assert_converged(&[&replica], &[]);
    for (number, nip, field, value) in &reported {
        assert_eq!(field_of(&fresh, nip, field), Value::String(value.clone()), "edit {number} on the hub");
    }
}

/// The client process of [`sigkill_of_the_client_mid_batch_loses_nothing`]: bootstraps the replica if it has no
/// cursor yet; then, for each `n` of its range, edit `n`
/// sets field `KILL_FIELDS[n / P]` of pegawai `n % P` (by sorted NIP, P pegawai) to `x<n>@contoh.go.id` — so no
/// edit overwrites another — three at a time, reporting each committed edit on stdout (`EDIT n nip field value`),
/// and syncs after each three, until killed (or 30 s pass).
#[test]
#[ignore = "the child process of sigkill_of_the_client_mid_batch_loses_nothing; runs only with its environment"]
fn sigkill_child() {
    let Some(path) = std::env::var_os(CHILD_REPLICA) else { return };
    let var = |name: &str| std::env::var(name).unwrap();
    let (url, token, scope) = (var(CHILD_URL), var(CHILD_TOKEN), var(CHILD_SCOPE));
    let first: usize = var(CHILD_FIRST).parse().unwrap();
    let end = first + var(CHILD_EDITS).parse::<usize>().unwrap();
    let replica = Replica::open(Path::new(&path), OpenOptions::default()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while cursor_of(&replica, &scope).is_none() && Instant::now() < deadline {
        let _ = run_sync(&url, &token, &scope, &replica, &options(), false);
    }
    let nips: Vec<String> = replica
        .reader()
        .unwrap()
        .prepare("SELECT nip FROM pegawai ORDER BY nip")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut next = first;
    while Instant::now() < deadline {
        for _ in 0..3 {
            if next >= end {
                break;
            }
            let value = format!("x{next}@contoh.go.id");
            let (nip, field) = (&nips[next % nips.len()], KILL_FIELDS[next / nips.len()]);
            edit(&replica, nip, field, &value);
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "EDIT {next} {nip} {field} {value}").unwrap();
            stdout.flush().unwrap();
            next += 1;
        }
        let _ = run_sync(&url, &token, &scope, &replica, &options(), false);
    }
}

/// The hub restarts twice while a replica pushes 200 edits and pulls: once when the push's connection is open but
/// its bytes have not reached the hub (the push is lost), once when the retried push has reached it (it is applied
/// and answered; the pull that follows meets the dead hub). Each time the server is shut down through its shutdown
/// future, stays down for 300–800 ms, and a new server over the re-opened hub starts on the same port; the client's
/// backoff carries it through: all 200 edits are on the hub exactly once and the outbox is empty.
#[test]
fn a_hub_restart_mid_push_loses_and_duplicates_nothing() {
    let harness = Harness::start("mulai-ulang", 300, seed(25));
    let (_, replica) = harness.replica("laptop");
    harness.sync_until_done(&replica, &options(), 3);
    let edits: Vec<ChangeHash> =
        (0..200).map(|n| edit(&replica, &harness.nips[n], "email", &format!("ulang{n}@contoh.go.id"))).collect();
    assert_eq!(store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0, 200);
    // Latency holds every chunk of bytes in the proxy for 100 ms: the window between a connection and its bytes.
    harness.proxy.set_faults(ProxyFaults {
        bits_per_second: 2_000_000,
        latency: Duration::from_millis(100),
        ..ProxyFaults::default()
    });
    let restart_options =
        DriverOptions { backoff_base: Duration::from_millis(20), backoff_cap: Duration::from_millis(250), ..options() };
    let mut rng = fastrand::Rng::with_seed(seed(25));
    let connections = || harness.proxy.counts.connections.load(Ordering::Relaxed);
    let wait_for = |what: &str, condition: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !condition() {
            assert!(Instant::now() < deadline, "waited 20 s for {what}");
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    let baseline = connections();
    let (summary, failures) = std::thread::scope(|threads| {
        let client = threads.spawn(|| harness.sync_until_done(&replica, &restart_options, 5));
        wait_for("the push's connection", &|| connections() > baseline);
        harness.restart(Duration::from_secs(10), Duration::from_millis(rng.u64(300..=800)));
        let sent = harness.proxy.bytes().0;
        // The retried push (~12 KB) has reached the new hub.
        wait_for("the retried push", &|| harness.proxy.bytes().0 > sent + 4_000);
        harness.restart(Duration::from_secs(10), Duration::from_millis(rng.u64(300..=800)));
        client.join().unwrap()
    });
    harness.print_counts("restart");
    println!("restart: client {summary:?}, failed runs {failures:?}");
    assert_eq!((summary.pushed, summary.rejected.len()), (200, 0), "{summary:?}");
    assert!(summary.requests >= 4, "the client did not meet the restarts: {summary:?}");
    assert_eq!(store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0, 0);
    harness.assert_converged(&[&replica], &edits);
}
