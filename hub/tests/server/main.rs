//! The hub's HTTP server over real HTTP: the server on 127.0.0.1 with a temporary data folder, tokens from the
//! real local OpenID provider (`tools/idp/idp.mjs`, signed in to with PKCE like a desktop), requests with reqwest.
//! Also the `luring-hub` binary's roster and dry-run import commands, and that every route is in the OpenAPI
//! document. The hub's denials below the token (off the roster, another instansi, an unregistered or foreign
//! actor, a revoked device, a role without the permission) are each tested here; the token's own (expired, wrong
//! issuer or client, ID or refresh token as bearer) are in the `auth` tests.
//!
//! Every wait is bounded: requests time out, the long-poll tests assert upper bounds, child processes are killed
//! past a deadline.

#![allow(clippy::unwrap_used, unreachable_pub, reason = "test helpers panic on broken setup by design")]

#[allow(dead_code, reason = "the auth tests use the rest of the harness")]
use idp_harness as idp;

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use hub::auth::TokenVerifier;
use hub::server::{ROUTES, ServerState, serve_on};
use hub::{Hub, HubOptions, Role, RosterEntry};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_RANGE, CONTENT_TYPE, RANGE, WWW_AUTHENTICATE};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sync::wire::{
    self, BlobStatus, Bytes, DocId, ErrorBody, FeedBatch, FeedBody, PushChange, PushOutcome, PushRequest, PushResponse,
    RecordKind, SnapshotChunk, SnapshotManifest,
};
use sync::{ActorId, Document};
use tokio::sync::oneshot;

use crate::idp::{Account, DESKTOP_CLIENT, Idp, IdpOptions};

/// Kab. Contoh Selatan: the fixtures' instansi, with an operator, a verifikator and an admin among the demo accounts.
const SELATAN: &str = "CB3E94428C058428E040640AAD66431D";
/// Kota Contoh Utara: another instansi, with one operator.
const UTARA: &str = "CB3E94428C5E8428E040640AAD66433A";
/// The NIP of the demo verifikator of Contoh Selatan, deliberately left off the roster.
const NOT_ON_ROSTER: &str = "198911222014032005";

/// How long one HTTP request may take (long-polls wait at most 25 s on the server).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(40);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// `<repo>/../shared/fixtures`, or `$LURING_SHARED/fixtures` (as every other crate's tests and `.ci/run`).
fn fixtures() -> PathBuf {
    std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("..").join("shared"))
        .join("fixtures")
}

/// One IdP for every test of this binary; it exits with the test process.
fn shared_idp() -> &'static Idp {
    static IDP: OnceLock<Idp> = OnceLock::new();
    IDP.get_or_init(|| Idp::start(&IdpOptions::default()))
}

/// A demo account of `tools/idp/accounts.json`, with the instansi the roster gives it.
#[derive(Debug, Clone, Deserialize)]
struct DemoAccount {
    nip: String,
    password: String,
    sub: String,
    name: String,
    peran: String,
    instansi_id: Option<String>,
}

impl DemoAccount {
    fn login_account(&self) -> Account {
        Account {
            nip: self.nip.clone(),
            password: self.password.clone(),
            sub: self.sub.clone(),
            name: self.name.clone(),
            peran: self.peran.clone(),
        }
    }

    fn instansi(&self) -> &str {
        self.instansi_id.as_deref().unwrap_or(SELATAN)
    }
}

fn demo_accounts() -> Vec<DemoAccount> {
    #[derive(Deserialize)]
    struct Accounts {
        accounts: Vec<DemoAccount>,
    }
    let path = workspace().join("tools").join("idp").join("accounts.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str::<Accounts>(&text).unwrap().accounts
}

fn demo(nip: &str) -> DemoAccount {
    demo_accounts().into_iter().find(|a| a.nip == nip).unwrap_or_else(|| panic!("no demo account {nip}"))
}

/// The operator of Contoh Selatan.
const OPERATOR_SELATAN: &str = "198703152010011003";
/// The operator of Kota Contoh Utara.
const OPERATOR_UTARA: &str = "199204182019022001";

/// An access token of `nip`.
async fn token(nip: &str) -> String {
    shared_idp().login(DESKTOP_CLIENT, &demo(nip).login_account()).await.access_token
}

/// A folder under the target directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("server-{label}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A hub served on 127.0.0.1, with every demo account but [`NOT_ON_ROSTER`] on its roster.
struct Server {
    hub: Hub,
    base: String,
    http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: TempDir,
}

impl Server {
    async fn start(options: HubOptions) -> Server {
        Server::start_with_issuer(options, shared_idp().issuer()).await
    }

    /// A server checking tokens against `issuer` (which may be unreachable).
    async fn start_with_issuer(options: HubOptions, issuer: &str) -> Server {
        let dir = TempDir::new("hub");
        let hub = Hub::open(dir.path(), options).unwrap();
        for account in demo_accounts().into_iter().filter(|a| a.nip != NOT_ON_ROSTER) {
            let role = Role::parse(&account.peran).unwrap();
            let instansi = account.instansi().to_owned();
            hub.roster_add(RosterEntry { nip: account.nip, nama: Some(account.name), instansi, roles: vec![role] })
                .unwrap();
        }
        let verifier = TokenVerifier::new(issuer, DESKTOP_CLIENT).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let state = ServerState::new(hub.clone(), Arc::new(verifier));
        let task = tokio::spawn(serve_on(listener, state, async move {
            let _ = stopped.await;
        }));
        let http = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build().unwrap();
        Server { hub, base, http, stop: Some(stop), task: Some(task), _dir: dir }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.http.get(self.url(path)).bearer_auth(token).send().await.unwrap()
    }

    async fn push(&self, token: &str, request: &PushRequest) -> reqwest::Response {
        self.http
            .post(self.url("/v1/push"))
            .bearer_auth(token)
            .header(CONTENT_TYPE, wire::MEDIA_TYPE)
            .body(wire::encode(request).unwrap())
            .send()
            .await
            .unwrap()
    }

    async fn register(&self, token: &str, actor: &ActorId) -> reqwest::Response {
        let body = serde_json::json!({"actor_hex": actor.to_hex_string(), "name": "Laptop uji"});
        self.http.post(self.url("/v1/devices")).bearer_auth(token).json(&body).send().await.unwrap()
    }

    /// Imports the fixtures' 60 pegawai into Contoh Selatan and `count` generated ones into Kota Contoh Utara.
    async fn import_pegawai(&self, utara: usize) {
        let hub = self.hub.clone();
        tokio::task::spawn_blocking(move || {
            let csv = std::fs::read(fixtures().join("export-data-asn.csv")).unwrap();
            let selatan: Vec<model::Pegawai> = model::siasn::export::decode(&csv)
                .records
                .into_iter()
                .map(|record| model::Pegawai { data_utama: record.data_utama, ..model::Pegawai::default() })
                .collect();
            assert_eq!(selatan.len(), 60);
            hub.import_pegawai(SELATAN, selatan, &mut |_| {}).unwrap();
            hub.import_pegawai(UTARA, generated(utara), &mut |_| {}).unwrap();
        })
        .await
        .unwrap();
    }

    /// Stops the server and waits (bounded) for it to finish.
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), task).await;
            assert!(matches!(result, Ok(Ok(Ok(())))), "the server did not stop cleanly: {result:?}");
        }
    }
}

/// `count` generated pegawai (another kabupaten's shapes).
fn generated(count: usize) -> Vec<model::Pegawai> {
    let config = generator::Config { pegawai: count, seed: 3, ..generator::Config::default() };
    generator::Generator::new(&config)
        .map(|g| {
            let nip = model::Nip::clean(&g.nip);
            let mut warnings = Vec::new();
            let mut body_of = |endpoint: &str| -> Option<String> {
                if endpoint == "data-utama" {
                    return Some(serde_json::json!({"code": 1, "data": g.data_utama}).to_string());
                }
                g.riwayat.get(endpoint).map(|data| match data {
                    Some(data) => serde_json::json!({"code": 1, "data": data}).to_string(),
                    None => r#"{"code":0,"data":"Data tidak ditemukan"}"#.to_owned(),
                })
            };
            model::siasn::ws::decode_pegawai(&nip, &mut body_of, &mut warnings).unwrap()
        })
        .collect()
}

fn scope(instansi: &str) -> String {
    format!("instansi:{instansi}")
}

/// The body of a wire answer; panics on another status or media type.
async fn wire_body<T: serde::de::DeserializeOwned>(response: reqwest::Response, expected: StatusCode) -> T {
    let status = response.status();
    let media = response.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.bytes().await.unwrap();
    if status != expected {
        let error = wire::decode::<ErrorBody>(&bytes).map(|e| format!("{}: {}", e.code, e.message));
        panic!("HTTP {status} instead of {expected}: {error:?}");
    }
    assert_eq!(media.as_deref(), Some(wire::MEDIA_TYPE));
    wire::decode(&bytes).unwrap()
}

/// The status and error body of an error answer.
async fn error_of(response: reqwest::Response) -> (StatusCode, ErrorBody) {
    let status = response.status();
    assert_eq!(response.headers().get(CONTENT_TYPE).unwrap(), wire::MEDIA_TYPE);
    let body = wire::decode(&response.bytes().await.unwrap()).unwrap();
    (status, body)
}

/// Every document of a scope read through the feed from the start, and the cursor at its end.
async fn read_feed(server: &Server, token: &str, instansi: &str) -> (HashMap<DocId, Document>, String) {
    let mut documents: HashMap<DocId, Document> = HashMap::new();
    let mut cursor = String::new();
    for _ in 0..1000 {
        let path = format!("/v1/feed?scope={}&cursor={cursor}&max_bytes=1048576", scope(instansi));
        let batch: FeedBatch = wire_body(server.get(&path, token).await, StatusCode::OK).await;
        for item in batch.items {
            apply(&mut documents, item.doc, item.body);
        }
        cursor = batch.next_cursor;
        if batch.up_to_date {
            return (documents, cursor);
        }
    }
    panic!("the feed of {instansi} never came up to date");
}

fn apply(documents: &mut HashMap<DocId, Document>, doc: DocId, body: FeedBody) {
    match body {
        FeedBody::Snapshot { save } => {
            let mut loaded = Document::load(&save).unwrap();
            match documents.get_mut(&doc) {
                Some(existing) => {
                    existing.merge(&mut loaded).unwrap();
                }
                None => {
                    documents.insert(doc, loaded);
                }
            }
        }
        FeedBody::Changes { changes } => {
            let document = documents.entry(doc).or_insert_with(|| Document::new(ActorId::random()));
            document.apply_changes(changes.iter().map(|c| c.0.clone())).unwrap();
        }
        FeedBody::Remove => {
            documents.remove(&doc);
        }
    }
}

/// A change by `actor` setting `data_utama.no_hp` of `document`.
fn edit_no_hp(document: &Document, actor: &ActorId, no_hp: &str) -> Vec<u8> {
    let before = document.heads();
    let mut fork = document.fork().with_actor(actor.clone());
    let mut value = fork.hydrate();
    value["data_utama"]["no_hp"] = serde_json::Value::from(no_hp);
    fork.reconcile(&value, Some("ubah nomor HP"), 1_700_000_000_000).unwrap().expect("a change");
    let mut changes = fork.changes_since(&before);
    assert_eq!(changes.len(), 1);
    changes.pop().unwrap()
}

fn push_request(actor: &ActorId, doc: DocId, change: Vec<u8>) -> PushRequest {
    PushRequest {
        v: wire::VERSION,
        actor: Bytes(actor.to_bytes().to_vec()),
        batch_id: uuid::Uuid::new_v4().to_string(),
        changes: vec![PushChange { doc, record: RecordKind::Pegawai, change: Bytes(change) }],
    }
}

fn new_actor() -> ActorId {
    ActorId::from(uuid::Uuid::new_v4().as_bytes().to_vec())
}

/// A pegawai document of the map (the first by id, so tests are repeatable).
fn some_document(documents: &HashMap<DocId, Document>) -> (DocId, &Document) {
    let id = documents.keys().min().copied().expect("the scope holds documents");
    (id, &documents[&id])
}

// ---------------------------------------------------------------------------------------------------------------

#[test]
fn every_route_is_described_in_the_openapi_document() {
    let yaml = std::fs::read_to_string(workspace().join("schemas").join("hub").join("openapi.yaml")).unwrap();
    assert_eq!(yaml, hub::server::OPENAPI_YAML, "the server serves the committed file");
    // A line scan of `paths:`: paths at two spaces, methods at four, `security: []` (no token) at six.
    let mut described: HashMap<(String, String), bool> = HashMap::new();
    let (mut in_paths, mut path, mut method) = (false, String::new(), String::new());
    for line in yaml.lines() {
        if line == "paths:" {
            in_paths = true;
            continue;
        }
        if !in_paths || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            break;
        }
        let indent = line.len() - line.trim_start().len();
        let key = line.trim().trim_end_matches(':');
        match indent {
            2 => path = key.to_owned(),
            4 if ["get", "put", "post", "delete", "patch", "head"].contains(&key) => {
                method = key.to_ascii_uppercase();
                described.insert((method.clone(), path.clone()), true);
            }
            6 if line.trim() == "security: []" => {
                described.insert((method.clone(), path.clone()), false);
            }
            _ => {}
        }
    }
    let routes: BTreeSet<(String, String)> = ROUTES.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    let documented: BTreeSet<(String, String)> = described.keys().cloned().collect();
    assert_eq!(routes, documented, "ROUTES and the OpenAPI paths differ");
    for route in ROUTES {
        let needs_token = described[&(route.method.to_owned(), route.path.to_owned())];
        assert_eq!(
            needs_token, route.requires_token,
            "{} {}: security in the OpenAPI document",
            route.method, route.path
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_openapi_need_no_token_and_everything_else_does() {
    let server = Server::start(HubOptions::default()).await;
    let health = server.http.get(server.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    let openapi = server.http.get(server.url("/openapi.yaml")).send().await.unwrap();
    assert_eq!(openapi.status(), StatusCode::OK);
    assert!(openapi.text().await.unwrap().starts_with("openapi: 3.1"));

    // No token: 401 with a challenge without an error code, for every authenticated route.
    for route in ROUTES.iter().filter(|r| r.requires_token) {
        let path = route.path.replace("{sha256}", &"ab".repeat(32)).replace("{index}", "0");
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let response = server.http.request(method, server.url(&path)).send().await.unwrap();
        let challenge = response.headers().get(WWW_AUTHENTICATE).unwrap().to_str().unwrap().to_owned();
        assert_eq!(challenge, "Bearer realm=\"luring-hub\"", "{} {path}", route.method);
        let (status, error) = error_of(response).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"), "{path}");
    }
    // The same as JSON for a human with curl.
    let response =
        server.http.get(server.url("/v1/feed?scope=x")).header(ACCEPT, "application/json").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers().get(CONTENT_TYPE).unwrap(), "application/json");
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["code"], "unauthorized");
    assert!(json["message"].as_str().unwrap().contains("Authorization"));

    // A malformed header and an unknown route.
    let response =
        server.http.get(server.url("/v1/feed?scope=x")).header(AUTHORIZATION, "Basic abc").send().await.unwrap();
    assert!(response.headers()[WWW_AUTHENTICATE].to_str().unwrap().contains("invalid_request"));
    assert_eq!(error_of(response).await.0, StatusCode::UNAUTHORIZED);
    let (status, error) = error_of(server.http.get(server.url("/v2/nothing")).send().await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::NOT_FOUND, "not_found"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_tokens_and_callers_off_the_roster_are_refused() {
    let server = Server::start(HubOptions::default()).await;
    let operator = shared_idp().login(DESKTOP_CLIENT, &demo(OPERATOR_SELATAN).login_account()).await;
    let feed = format!("/v1/feed?scope={}", scope(SELATAN));

    // An ID token is not an access token.
    let response = server.get(&feed, &operator.id_token).await;
    let challenge = response.headers()[WWW_AUTHENTICATE].to_str().unwrap().to_owned();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    let (status, error) = error_of(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    assert!(!error.message.contains(&operator.id_token), "the error quotes the token");
    // Nor is a refresh token, nor a tampered access token.
    assert_eq!(server.get(&feed, &operator.refresh_token).await.status(), StatusCode::UNAUTHORIZED);
    let mut tampered = operator.access_token.clone();
    tampered.truncate(tampered.len() - 4);
    tampered.push_str("AAAA");
    assert_eq!(server.get(&feed, &tampered).await.status(), StatusCode::UNAUTHORIZED);

    // A valid token of somebody the roster does not know.
    let stranger = token(NOT_ON_ROSTER).await;
    let (status, error) = error_of(server.get(&feed, &stranger).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"));

    // The operator's own scope answers.
    let batch: FeedBatch = wire_body(server.get(&feed, &operator.access_token).await, StatusCode::OK).await;
    assert_eq!(batch.scope, scope(SELATAN));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_identity_provider_is_a_503_not_a_401() {
    // A port nothing listens on: the hub cannot fetch the provider's keys.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}/realms/luring", closed.local_addr().unwrap());
    drop(closed);
    let server = Server::start_with_issuer(HubOptions::default(), &issuer).await;
    let token = token(OPERATOR_SELATAN).await;
    let response = server.get(&format!("/v1/feed?scope={}", scope(SELATAN)), &token).await;
    assert_eq!(response.headers()["retry-after"], "30");
    assert!(response.headers().get(WWW_AUTHENTICATE).is_none());
    let (status, error) = error_of(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instansi_can_neither_read_nor_write() {
    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(3).await;
    let (selatan, utara) = (token(OPERATOR_SELATAN).await, token(OPERATOR_UTARA).await);

    // Read: Contoh Utara's operator on Contoh Selatan's feed and snapshot.
    for path in [format!("/v1/feed?scope={}", scope(SELATAN)), format!("/v1/snapshot?scope={}", scope(SELATAN))] {
        let (status, error) = error_of(server.get(&path, &utara).await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{path}");
    }

    // Write: Contoh Utara's operator pushes a change to a Contoh Selatan document with its own registered actor.
    let (documents, _) = read_feed(&server, &selatan, SELATAN).await;
    let (doc, document) = some_document(&documents);
    let actor = new_actor();
    assert_eq!(server.register(&utara, &actor).await.status(), StatusCode::OK);
    let request = push_request(&actor, doc, edit_no_hp(document, &actor, "081100000001"));
    let (status, error) = error_of(server.push(&utara, &request).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", error.message);
    // Contoh Selatan's document is unchanged.
    let (after, _) = read_feed(&server, &selatan, SELATAN).await;
    assert_ne!(after[&doc].hydrate()["data_utama"]["no_hp"], "081100000001");

    // Pushing with an actor registered to somebody else is refused too.
    let request = push_request(&actor, doc, edit_no_hp(document, &actor, "081100000002"));
    let (status, error) = error_of(server.push(&selatan, &request).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", error.message);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_is_applied_once_comes_back_through_the_feed_and_wakes_long_polls() {
    let server = Arc::new(Server::start(HubOptions::default()).await);
    server.import_pegawai(0).await;
    let operator = token(OPERATOR_SELATAN).await;
    let (documents, head) = read_feed(&server, &operator, SELATAN).await;
    assert_eq!(documents.len(), 60);
    let (doc, document) = some_document(&documents);

    let actor = new_actor();
    let registered = server.register(&operator, &actor).await;
    assert_eq!(registered.status(), StatusCode::OK);
    let device: serde_json::Value = registered.json().await.unwrap();
    assert_eq!(device["actor_hex"], actor.to_hex_string());
    assert_eq!(device["nip"], OPERATOR_SELATAN);

    // Applied, then Duplicate for the same bytes.
    let change = edit_no_hp(document, &actor, "081234567890");
    let request = push_request(&actor, doc, change.clone());
    let first: PushResponse = wire_body(server.push(&operator, &request).await, StatusCode::OK).await;
    let PushOutcome::Applied { seq } = first.results[0].outcome else { panic!("not applied: {first:?}") };
    assert_eq!(first.results[0].hash, sync::change_hash_of(&change).unwrap().0);
    assert_eq!(first.checkpoint_seq, seq);
    let again: PushResponse = wire_body(server.push(&operator, &request).await, StatusCode::OK).await;
    assert_eq!(again.results[0].outcome, PushOutcome::Duplicate { seq });

    // The feed from the earlier head carries it.
    let path = format!("/v1/feed?scope={}&cursor={head}", scope(SELATAN));
    let batch: FeedBatch = wire_body(server.get(&path, &operator).await, StatusCode::OK).await;
    assert!(batch.items.iter().any(|item| item.seq == seq && item.doc == doc), "{batch:?}");
    let mut replica = documents;
    for item in batch.items {
        apply(&mut replica, item.doc, item.body);
    }
    assert_eq!(replica[&doc].hydrate()["data_utama"]["no_hp"], "081234567890");
    let head = batch.next_cursor;

    // Up to date: a long-poll answers empty once its wait is over, not before and not much after.
    let path = format!("/v1/feed?scope={}&cursor={head}&wait=2", scope(SELATAN));
    let started = Instant::now();
    let batch: FeedBatch = wire_body(server.get(&path, &operator).await, StatusCode::OK).await;
    let waited = started.elapsed();
    assert!(batch.items.is_empty() && batch.up_to_date, "{batch:?}");
    assert!(waited >= Duration::from_millis(1900) && waited < Duration::from_secs(10), "waited {waited:?}");

    // A long-poll of 20 s wakes as soon as a push lands.
    let poll = {
        let (server, operator) = (Arc::clone(&server), operator.clone());
        let path = format!("/v1/feed?scope={}&cursor={head}&wait=20", scope(SELATAN));
        tokio::spawn(async move {
            let started = Instant::now();
            let batch: FeedBatch = wire_body(server.get(&path, &operator).await, StatusCode::OK).await;
            (batch, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let change = edit_no_hp(&replica[&doc], &actor, "081298765432");
    let pushed: PushResponse =
        wire_body(server.push(&operator, &push_request(&actor, doc, change)).await, StatusCode::OK).await;
    let PushOutcome::Applied { seq } = pushed.results[0].outcome else { panic!("not applied: {pushed:?}") };
    let (batch, waited) = tokio::time::timeout(Duration::from_secs(15), poll).await.unwrap().unwrap();
    assert!(waited < Duration::from_secs(10), "the long-poll did not wake early: {waited:?}");
    assert!(batch.items.iter().any(|item| item.seq == seq), "{batch:?}");

    // `wait` is capped: a huge value is accepted (and answered at once here, since there is news).
    let path = format!("/v1/feed?scope={}&cursor={head}&wait=100000", scope(SELATAN));
    let batch: FeedBatch = wire_body(server.get(&path, &operator).await, StatusCode::OK).await;
    assert!(!batch.items.is_empty());

    Arc::into_inner(server).expect("no other handle").stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutting_down_answers_long_polls_at_once() {
    let server = Server::start(HubOptions::default()).await;
    let operator = token(OPERATOR_SELATAN).await;
    let (http, url) = (server.http.clone(), server.url(&format!("/v1/feed?scope={}&wait=25", scope(SELATAN))));
    let poll = tokio::spawn(async move {
        let response = http.get(url).bearer_auth(operator).send().await.unwrap();
        wire_body::<FeedBatch>(response, StatusCode::OK).await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    server.stop().await;
    let batch = tokio::time::timeout(Duration::from_secs(5), poll).await.unwrap().unwrap();
    assert!(batch.items.is_empty() && batch.up_to_date, "{batch:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "shutdown waited for the long-poll: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_bodies_are_checked_before_the_hub_sees_them() {
    let server = Server::start(HubOptions::default()).await;
    let operator = token(OPERATOR_SELATAN).await;
    let post = |body: Vec<u8>, media: &'static str| {
        server.http.post(server.url("/v1/push")).bearer_auth(&operator).header(CONTENT_TYPE, media).body(body).send()
    };
    // Over the 1 MiB limit: 413 too_large.
    let (status, error) = error_of(post(vec![0u8; 1_200_000], wire::MEDIA_TYPE).await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    // Not zstd: 400; another media type: 415.
    let (status, error) = error_of(post(b"not zstd".to_vec(), wire::MEDIA_TYPE).await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::BAD_REQUEST, "bad_request"));
    let (status, error) = error_of(post(b"{}".to_vec(), "application/json").await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_version"));
    // A bad query parameter: 400.
    let (status, error) =
        error_of(server.get(&format!("/v1/feed?scope={}&max_bytes=lots", scope(SELATAN)), &operator).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::BAD_REQUEST, "bad_request"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_chunks_are_served_whole_and_by_range() {
    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(0).await;
    let operator = token(OPERATOR_SELATAN).await;
    let manifest: SnapshotManifest =
        wire_body(server.get(&format!("/v1/snapshot?scope={}", scope(SELATAN)), &operator).await, StatusCode::OK).await;
    assert_eq!(manifest.scope, scope(SELATAN));
    let chunk = manifest.chunks.first().expect("a snapshot of 60 documents has a chunk");
    let path = format!("/v1/snapshot/chunk?scope={}&cursor={}&index={}", scope(SELATAN), manifest.cursor, chunk.index);

    let whole = server.get(&path, &operator).await;
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    let whole = whole.bytes().await.unwrap().to_vec();
    assert_eq!(whole.len() as u64, chunk.size);
    assert_eq!(<[u8; 32]>::from(Sha256::digest(&whole)), chunk.sha256);
    let decoded: SnapshotChunk = wire::decode(&whole).unwrap();
    assert_eq!(decoded.documents.len() as u32, chunk.documents);

    let tail =
        server.http.get(server.url(&path)).bearer_auth(&operator).header(RANGE, "bytes=10-").send().await.unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.headers()[CONTENT_RANGE], format!("bytes 10-{}/{}", whole.len() - 1, whole.len()).as_str());
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &whole[10..]);

    let past = format!("bytes={}-", whole.len());
    let beyond = server.http.get(server.url(&path)).bearer_auth(&operator).header(RANGE, past).send().await.unwrap();
    assert_eq!(beyond.headers()[CONTENT_RANGE], format!("bytes */{}", whole.len()).as_str());
    assert_eq!(error_of(beyond).await.0, StatusCode::RANGE_NOT_SATISFIABLE);

    // Another instansi cannot fetch the chunk.
    let utara = token(OPERATOR_UTARA).await;
    assert_eq!(server.get(&path, &utara).await.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blobs_upload_in_chunks_and_are_checked() {
    const CHUNK: u32 = 64 * 1024;
    let server = Server::start(HubOptions { blob_chunk_size: CHUNK, ..HubOptions::default() }).await;
    server.import_pegawai(0).await;
    let (operator, utara) = (token(OPERATOR_SELATAN).await, token(OPERATOR_UTARA).await);
    let content: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let sha: [u8; 32] = Sha256::digest(&content).into();
    let hex = hub::server::encode_hex(&sha);

    let status_path = format!("/v1/blob/{hex}?size={}", content.len());
    let status: BlobStatus = wire_body(server.get(&status_path, &operator).await, StatusCode::OK).await;
    assert_eq!((status.chunk_size, status.have.as_slice(), status.complete), (CHUNK, &[][..], false));

    let put = |index: usize, bytes: Vec<u8>, hex: String| {
        server.http.put(server.url(&format!("/v1/blob/{hex}/{index}"))).bearer_auth(&operator).body(bytes).send()
    };
    let chunks: Vec<Vec<u8>> = content.chunks(CHUNK as usize).map(<[u8]>::to_vec).collect();
    assert_eq!(chunks.len(), 2);
    let after_first: BlobStatus =
        wire_body(put(0, chunks[0].clone(), hex.clone()).await.unwrap(), StatusCode::OK).await;
    assert_eq!((after_first.have.as_slice(), after_first.complete), (&[0][..], false));
    let status: BlobStatus = wire_body(server.get(&status_path, &operator).await, StatusCode::OK).await;
    assert_eq!(status.have, vec![0], "the status shows the chunk the hub has");
    let done: BlobStatus = wire_body(put(1, chunks[1].clone(), hex.clone()).await.unwrap(), StatusCode::OK).await;
    assert_eq!((done.have.as_slice(), done.complete), (&[0, 1][..], true));

    // Content that does not match its hash is refused when complete.
    let mut wrong = content.clone();
    wrong[5] ^= 0xff;
    let claimed: [u8; 32] = Sha256::digest(b"something else entirely").into();
    let claimed_hex = hub::server::encode_hex(&claimed);
    let _: BlobStatus =
        wire_body(server.get(&format!("/v1/blob/{claimed_hex}?size={}", wrong.len()), &operator).await, StatusCode::OK)
            .await;
    let wrong_chunks: Vec<Vec<u8>> = wrong.chunks(CHUNK as usize).map(<[u8]>::to_vec).collect();
    let _ = put(0, wrong_chunks[0].clone(), claimed_hex.clone()).await.unwrap();
    let (status, error) = error_of(put(1, wrong_chunks[1].clone(), claimed_hex.clone()).await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::BAD_REQUEST, "bad_request"), "{}", error.message);
    // A malformed hash never reaches the hub.
    let (status, _) = error_of(server.get("/v1/blob/xyz?size=1", &operator).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Knowing the hash is not enough: no document of the caller's scope refers to the blob yet. The hub answers
    // 404 rather than 403 here, so as not to tell whether the blob exists.
    let content_path = format!("/v1/blob/{hex}/content");
    let refused = |status: StatusCode, code: &str| {
        matches!((status, code), (StatusCode::FORBIDDEN, "forbidden") | (StatusCode::NOT_FOUND, "not_found"))
    };
    let (status, error) = error_of(server.get(&content_path, &operator).await).await;
    assert!(refused(status, &error.code), "{status} {}", error.code);

    // Once a Contoh Selatan document refers to it, Contoh Selatan reads it (whole and by range) ...
    let (documents, _) = read_feed(&server, &operator, SELATAN).await;
    let (doc, document) = some_document(&documents);
    let actor = new_actor();
    assert_eq!(server.register(&operator, &actor).await.status(), StatusCode::OK);
    let before = document.heads();
    let mut fork = document.fork().with_actor(actor.clone());
    let mut value = fork.hydrate();
    value["dokumen"] = serde_json::json!([
        {"dok_id": "lampiran-sk", "sha256": hex, "size": content.len(), "mime": "application/pdf", "name": "sk.pdf"}
    ]);
    fork.reconcile(&value, Some("lampirkan SK"), 1_700_000_000_000).unwrap().expect("a change");
    let change = fork.changes_since(&before).pop().unwrap();
    let pushed: PushResponse =
        wire_body(server.push(&operator, &push_request(&actor, doc, change)).await, StatusCode::OK).await;
    assert!(matches!(pushed.results[0].outcome, PushOutcome::Applied { .. }), "{pushed:?}");
    let whole = server.get(&content_path, &operator).await;
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.headers()[CONTENT_TYPE], "application/octet-stream");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), content.as_slice());
    let tail = server
        .http
        .get(server.url(&content_path))
        .bearer_auth(&operator)
        .header(RANGE, "bytes=-100")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &content[content.len() - 100..]);

    // ... and another instansi still cannot.
    let (status, error) = error_of(server.get(&content_path, &utara).await).await;
    assert!(refused(status, &error.code), "another instansi read the blob: {status} {}", error.code);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_from_before_a_compaction_must_refetch() {
    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(0).await;
    let operator = token(OPERATOR_SELATAN).await;
    let (_, cursor) = read_feed(&server, &operator, SELATAN).await;
    let hub = server.hub.clone();
    tokio::task::spawn_blocking(move || hub.compact_log(&scope(SELATAN)).unwrap()).await.unwrap();
    let path = format!("/v1/feed?scope={}&cursor={cursor}", scope(SELATAN));
    let (status, error) = error_of(server.get(&path, &operator).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::CONFLICT, "must_refetch"));
    // The way back: a new manifest, whose cursor reads the feed again.
    let manifest: SnapshotManifest =
        wire_body(server.get(&format!("/v1/snapshot?scope={}", scope(SELATAN)), &operator).await, StatusCode::OK).await;
    let path = format!("/v1/feed?scope={}&cursor={}", scope(SELATAN), manifest.cursor);
    let _: FeedBatch = wire_body(server.get(&path, &operator).await, StatusCode::OK).await;
    server.stop().await;
}

// ---------------------------------------------------------------------------------------------------------------
// The binary

/// Runs `luring-hub` with `args`, killed after 120 s; returns (exit code, stdout, stderr).
fn luring_hub(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_luring-hub"))
        .args(args)
        .env_remove("LURING_HUB_CONFIG")
        .env_remove("LURING_HUB_DATA")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("luring-hub {args:?} ran longer than 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.code().unwrap_or(-1), out.join().unwrap(), err.join().unwrap())
}

#[test]
fn the_binary_manages_the_roster_and_dry_runs_an_import() {
    let dir = TempDir::new("cli");
    let data = dir.path().join("hub");
    let data = data.to_str().unwrap();

    let (code, _, stderr) = luring_hub(&["--data", data, "roster", "list"]);
    assert_eq!(code, 1, "a missing data folder is an error");
    assert!(stderr.contains("belum ada") && stderr.contains("--data"), "{stderr}");

    let add = [
        "--data",
        data,
        "roster",
        "add",
        OPERATOR_SELATAN,
        "--instansi",
        SELATAN,
        "--role",
        "operator_instansi",
        "--role",
        "verifikator_instansi",
        "--nama",
        "Agus Setiawan, S.Kom.",
    ];
    let (code, stdout, stderr) = luring_hub(&add);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(OPERATOR_SELATAN), "{stdout}");
    let (code, _, stderr) = luring_hub(&["--data", data, "roster", "add", "1", "--instansi", "X", "--role", "raja"]);
    assert_eq!(code, 2, "an unknown role is a usage error");
    assert!(stderr.contains("operator_instansi"), "the error lists the roles: {stderr}");

    let (code, stdout, stderr) = luring_hub(&["--data", data, "roster", "list", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let entries: Vec<RosterEntry> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].nip, OPERATOR_SELATAN);
    assert_eq!(entries[0].instansi, SELATAN);
    assert_eq!(entries[0].nama.as_deref(), Some("Agus Setiawan, S.Kom."));
    let roles: BTreeSet<Role> = entries[0].roles.iter().copied().collect();
    assert_eq!(roles, BTreeSet::from([Role::OperatorInstansi, Role::VerifikatorInstansi]));

    let (code, _, stderr) = luring_hub(&["--data", data, "roster", "remove", "000000000000000000"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("galat: ") && stderr.contains("roster list"), "{stderr}");
    let (code, _, stderr) = luring_hub(&["--data", data, "roster", "remove", OPERATOR_SELATAN]);
    assert_eq!(code, 0, "{stderr}");
    let (_, stdout, _) = luring_hub(&["--data", data, "roster", "list", "--json"]);
    assert!(stdout.trim().is_empty(), "{stdout}");

    // A dry run reads the fixtures' CSV, stores nothing and needs no data folder.
    let csv = fixtures().join("export-data-asn.csv");
    let csv = csv.to_str().unwrap();
    let (code, stdout, stderr) = luring_hub(&["import", "siasn-csv", csv, "--instansi", SELATAN, "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("tidak ada yang disimpan"), "{stdout}");
    // The report of `luring-cli inspect`, naming the hub's import as the next step.
    assert!(stdout.contains("Pegawai terbaca             : 60 (CPNS 5, PNS 43, PPPK 12)"), "{stdout}");
    assert!(stdout.contains("Pegawai dengan anomali IKD  : "), "{stdout}");
    assert!(
        stdout.contains(&format!("Impor dengan: luring-hub import siasn-csv {csv} --instansi {SELATAN}")),
        "{stdout}"
    );
    assert!(!stdout.contains("instansi induk di data berbeda"), "the fixtures are all Contoh Selatan: {stdout}");
    // --json: one object per pegawai, as `luring-cli inspect --json`, and nothing else.
    let (code, stdout, stderr) = luring_hub(&[
        "import",
        "siasn-csv",
        csv,
        "--instansi",
        SELATAN,
        "--dry-run",
        "--json",
        "--today",
        "2026-11-30",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<serde_json::Value> =
        stdout.lines().map(|line| serde_json::from_str(line).expect("every line is one JSON object")).collect();
    let pegawai: Vec<&serde_json::Value> = lines.iter().filter(|line| line.get("berkas").is_none()).collect();
    assert_eq!(pegawai.len(), 60, "{stdout}");
    assert!(
        pegawai
            .iter()
            .all(|record| record["nip"].is_string() && record.get("tmt_pensiun").is_some() && record["ikd"].is_array()),
        "{stdout}"
    );
    let (code, _, stderr) = luring_hub(&["import", "siasn-csv", csv, "--instansi", SELATAN, "--json"]);
    assert_eq!(code, 2, "--json belongs to --dry-run: {stderr}");
    let (code, stdout, _) = luring_hub(&["import", "siasn-csv", csv, "--instansi", UTARA, "--dry-run"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("instansi induk di data berbeda dari --instansi: 60"), "{stdout}");
    let ws = fixtures().join("ws");
    let (code, stdout, stderr) =
        luring_hub(&["import", "siasn-ws", ws.to_str().unwrap(), "--instansi", SELATAN, "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Pegawai tanpa data utama    : 0"), "{stdout}");

    let (code, _, stderr) = luring_hub(&["import", "siasn-csv", "/nonexistent.csv", "--instansi", "X", "--dry-run"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("periksa path"), "{stderr}");
}

#[test]
fn the_binary_seeds_a_demo_imports_and_compacts() {
    let dir = TempDir::new("cli-seed");
    let data = dir.path().join("hub");
    let data = data.to_str().unwrap();

    let (code, stdout, stderr) = luring_hub(&["--data", data, "seed-demo", "--pegawai", "25", "--instansi", UTARA]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("25 pegawai") && stdout.contains("baru: 25"), "{stdout}");
    assert!(stdout.contains("Roster: 6 akun demo"), "{stdout}");
    let (_, stdout, _) = luring_hub(&["--data", data, "roster", "list", "--json"]);
    let entries: Vec<RosterEntry> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(entries.len(), 6, "every demo account can sign in");
    let operator = entries.iter().find(|e| e.nip == OPERATOR_SELATAN).unwrap();
    assert_eq!((operator.instansi.as_str(), operator.roles.as_slice()), (SELATAN, &[Role::OperatorInstansi][..]));

    // A real import of the fixtures, then the same again: nothing changes the second time.
    let csv = fixtures().join("export-data-asn.csv");
    let import = ["--data", data, "import", "siasn-csv", csv.to_str().unwrap(), "--instansi", SELATAN];
    let (code, stdout, stderr) = luring_hub(&import);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("baru: 60, berubah: 0, tidak berubah: 0"), "{stdout}");
    let (code, stdout, _) = luring_hub(&import);
    assert_eq!(code, 0);
    assert!(stdout.contains("baru: 0, berubah: 0, tidak berubah: 60"), "{stdout}");

    let (code, stdout, stderr) = luring_hub(&["--data", data, "compact", "--scope", &scope(SELATAN)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("must_refetch"), "{stdout}");

    let (code, stdout, stderr) = luring_hub(&["--data", data, "device", "list", "--json"]);
    assert_eq!((code, stdout.trim()), (0, ""), "{stderr}");
    let (code, _, stderr) = luring_hub(&["--data", data, "device", "revoke", "00112233445566778899aabbccddeeff"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("device list"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_session_stands_for_the_access_token_until_the_roster_says_otherwise() {
    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(2).await;
    let access = token(OPERATOR_SELATAN).await;
    let response = server.http.post(server.url("/v1/session")).bearer_auth(&access).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let issued: hub::session::Issued = response.json().await.unwrap();
    assert!(hub::session::is_session(&issued.session));
    assert!(issued.session.len() < 50, "a session is much shorter than the {}-byte access token", access.len());

    // The session reads what the token reads, and only that.
    let feed = format!("/v1/feed?scope={}", scope(SELATAN));
    assert_eq!(server.get(&feed, &issued.session).await.status(), StatusCode::OK);
    let (status, error) =
        error_of(server.get(&format!("/v1/feed?scope={}", scope(UTARA)), &issued.session).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"));

    // A session cannot buy another one; a made-up session is refused with a 401 the client answers by exchanging.
    let again = server.http.post(server.url("/v1/session")).bearer_auth(&issued.session).send().await.unwrap();
    assert_eq!(error_of(again).await.0, StatusCode::BAD_REQUEST);
    let forged = format!("{}AAAA", &issued.session[..issued.session.len() - 4]);
    let response = server.get(&feed, &forged).await;
    assert!(response.headers().get("www-authenticate").is_some());
    assert_eq!(error_of(response).await.0, StatusCode::UNAUTHORIZED);

    // Taken off the roster: the live session stops working at once.
    assert!(server.hub.roster_remove(OPERATOR_SELATAN).unwrap());
    let (status, _) = error_of(server.get(&feed, &issued.session).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await;
}

// ---------------------------------------------------------------------------------------------------------------
// Identity, devices and roles (issue 5: every hub denial tested over HTTP)

/// The admin of Contoh Selatan.
const ADMIN_SELATAN: &str = "197605102000121002";
/// The hub's admin.
const ADMIN_HUB: &str = "197912032005012003";

/// A GET of `path` naming the device of `actor` in the `Luring-Device` header.
async fn get_as_device(server: &Server, path: &str, token: &str, actor: &ActorId) -> reqwest::Response {
    server
        .http
        .get(server.url(path))
        .bearer_auth(token)
        .header(wire::DEVICE_HEADER, actor.to_hex_string())
        .send()
        .await
        .unwrap()
}

/// A change by `actor` setting `data_utama.<field>` of `document`.
fn edit_field(document: &Document, actor: &ActorId, field: &str, value: &str) -> Vec<u8> {
    let before = document.heads();
    let mut fork = document.fork().with_actor(actor.clone());
    let mut json = fork.hydrate();
    json["data_utama"][field] = serde_json::Value::from(value);
    fork.reconcile(&json, Some("ubah"), 1_700_000_000_000).unwrap().expect("a change");
    fork.changes_since(&before).pop().unwrap()
}

/// The first change of a new pegawai document, by `actor`.
fn new_pegawai(actor: &ActorId) -> Vec<u8> {
    let mut baru = Document::new(actor.clone());
    let json = serde_json::json!({"data_utama": {"nip": "199901012024011001", "nama": "BARU"}});
    baru.reconcile(&json, None, 1).unwrap();
    baru.changes_since(&[]).pop().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identity_comes_from_the_roster_never_from_the_token() {
    let server = Server::start(HubOptions::default()).await;
    let operator = token(OPERATOR_SELATAN).await;

    let response = server.get("/v1/identitas", &operator).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "nip": OPERATOR_SELATAN,
            "nama": demo(OPERATOR_SELATAN).name,
            "instansi_id": SELATAN,
            "peran": ["operator_instansi"],
            "izin": [
                "instansi.baca", "pegawai.ubah", "usulan.buat", "usulan.ubah",
                "verifikasi_lapangan.buat", "verifikasi_lapangan.ubah"
            ],
            "membaca_semua_instansi": false
        })
    );

    // The roster changes, the token does not: the answer follows the roster.
    server
        .hub
        .roster_add(RosterEntry {
            nip: OPERATOR_SELATAN.into(),
            nama: Some("Nama Menurut Roster".into()),
            instansi: UTARA.into(),
            roles: vec![Role::VerifikatorBkn],
        })
        .unwrap();
    let transport = sync::driver::HttpTransport::new(&server.base).unwrap();
    let identitas = transport.identity(&operator).await.unwrap();
    assert_eq!(
        identitas,
        sync::driver::Identitas {
            nip: OPERATOR_SELATAN.into(),
            nama: Some("Nama Menurut Roster".into()),
            instansi_id: UTARA.into(),
            peran: vec!["verifikator_bkn".into()],
            izin: vec!["instansi.baca".into(), "pegawai.ubah_bkn".into(), "usulan.putus_bkn".into()],
            membaca_semua_instansi: true,
        }
    );
    let admin_hub = transport.identity(&token(ADMIN_HUB).await).await.unwrap();
    assert!(admin_hub.membaca_semua_instansi);
    assert!(admin_hub.izin.contains(&"pegawai.buat".to_owned()));

    // Off the roster: refused, and the client says why.
    let stranger = token(NOT_ON_ROSTER).await;
    let (status, error) = error_of(server.get("/v1/identitas", &stranger).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    let refused = transport.identity(&stranger).await.unwrap_err();
    assert!(refused.contains("403") && refused.contains("forbidden"), "{refused}");
    // On the roster without a role: who they are, and that they may do nothing.
    server
        .hub
        .roster_add(RosterEntry { nip: NOT_ON_ROSTER.into(), nama: None, instansi: SELATAN.into(), roles: vec![] })
        .unwrap();
    let nobody = transport.identity(&stranger).await.unwrap();
    assert_eq!((nobody.peran.len(), nobody.izin.len(), nobody.instansi_id.as_str()), (0, 0, SELATAN));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_told_so_on_its_next_push_and_on_every_request_naming_it() {
    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(1).await;
    let operator = token(OPERATOR_SELATAN).await;
    let (documents, _) = read_feed(&server, &operator, SELATAN).await;
    let (doc, document) = some_document(&documents);
    let actor = new_actor();
    assert_eq!(server.register(&operator, &actor).await.status(), StatusCode::OK);
    let feed = format!("/v1/feed?scope={}", scope(SELATAN));
    assert_eq!(get_as_device(&server, &feed, &operator, &actor).await.status(), StatusCode::OK);
    let request = push_request(&actor, doc, edit_no_hp(document, &actor, "081311110000"));
    let pushed: PushResponse = wire_body(server.push(&operator, &request).await, StatusCode::OK).await;
    assert!(matches!(pushed.results[0].outcome, PushOutcome::Applied { .. }), "{pushed:?}");

    assert!(server.hub.revoke_device(&actor.to_hex_string()).unwrap());
    // The push: refused with its own code, not a generic forbidden.
    let request = push_request(&actor, doc, edit_no_hp(document, &actor, "081311110001"));
    let (status, error) = error_of(server.push(&operator, &request).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "device_revoked"), "{}", error.message);
    // Any request naming the device: a sync with nothing to push, the identity, registering it again.
    for path in [feed.clone(), format!("/v1/snapshot?scope={}", scope(SELATAN)), "/v1/identitas".to_owned()] {
        let (status, error) = error_of(get_as_device(&server, &path, &operator, &actor).await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "device_revoked"), "{path}");
    }
    let (status, error) = error_of(server.register(&operator, &actor).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "device_revoked"));
    // As JSON for an admin with curl.
    let response = server
        .http
        .get(server.url(&feed))
        .bearer_auth(&operator)
        .header(wire::DEVICE_HEADER, actor.to_hex_string())
        .header(ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["code"], "device_revoked");

    // Reads are the person's, not the device's: without naming the device the person still reads (from another,
    // active installation); taking a person's reads away is the roster's job.
    assert_eq!(server.get(&feed, &operator).await.status(), StatusCode::OK);
    // Somebody else naming the device is plainly forbidden; a malformed header is a bad request.
    let utara = token(OPERATOR_UTARA).await;
    let (status, error) =
        error_of(get_as_device(&server, &format!("/v1/feed?scope={}", scope(UTARA)), &utara, &actor).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    let response = server
        .http
        .get(server.url(&feed))
        .bearer_auth(&operator)
        .header(wire::DEVICE_HEADER, "laptop-saya")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(response).await.0, StatusCode::BAD_REQUEST);
    // A new installation registers a new actor and works again.
    let fresh = new_actor();
    assert_eq!(server.register(&operator, &fresh).await.status(), StatusCode::OK);
    assert_eq!(get_as_device(&server, &feed, &operator, &fresh).await.status(), StatusCode::OK);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_client_tells_a_revoked_device_from_other_refusals() {
    use store::replication::{ReplicaSync, system_clock};
    use sync::driver::{DriverOptions, HttpTransport, TokenSource};
    use sync::engine::{Engine, SyncError};

    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(1).await;
    let operator = token(OPERATOR_SELATAN).await;
    let dir = TempDir::new("replica");
    let replica = store::Replica::open(&dir.path().join("replika.sqlite"), store::OpenOptions::default()).unwrap();
    let actor = replica.actor().to_bytes().to_vec();
    let named = HttpTransport::new(&server.base).unwrap().with_device(&actor);
    named.register_device(&operator, &actor, "Laptop Bidang Mutasi").await.unwrap();
    let source: TokenSource = {
        let operator = operator.clone();
        Arc::new(move || Some(operator.clone()))
    };
    let options =
        DriverOptions { backoff_base: Duration::from_millis(10), max_failures: 2, ..DriverOptions::default() };
    let sync = |transport: &HttpTransport, scope: String| {
        let (replica, source, options, transport) = (&replica, &source, &options, transport.clone());
        async move {
            let mut local = ReplicaSync::new(replica, system_clock);
            let mut engine = Engine::new(scope);
            sync::driver::run(&mut engine, &mut local, &transport, source, options, &mut |_| {}).await
        }
    };

    let summary = sync(&named, scope(SELATAN)).await.unwrap();
    assert!(summary.bootstrapped && summary.snapshot_documents == 60, "{summary:?}");
    // Another instansi's scope is a plain refusal, not a revoked device.
    let other = sync(&named, scope(UTARA)).await.unwrap_err();
    assert!(matches!(other, SyncError::Forbidden { .. }) && !other.is_device_revoked(), "{other:?}");

    server.hub.revoke_device(&hub::server::encode_hex(&actor)).unwrap();
    // Nothing to push: the feed request names the device, and the run stops at once, for good.
    let revoked = sync(&named, scope(SELATAN)).await.unwrap_err();
    assert!(revoked.is_device_revoked() && !revoked.is_transient(), "{revoked:?}");
    assert!(matches!(&revoked, SyncError::Hub { status: 403, code, .. } if code == "device_revoked"), "{revoked:?}");
    // A client that does not name its device learns it from its next push.
    let (documents, _) = read_feed(&server, &operator, SELATAN).await;
    let nip = documents.values().find_map(|d| d.hydrate()["data_utama"]["nip"].as_str().map(str::to_owned)).unwrap();
    store::edit::edit_pegawai(&replica, &nip, system_clock(), "ubah nomor HP", |json| {
        json["data_utama"]["no_hp"] = serde_json::Value::from("081322223333");
    })
    .unwrap()
    .expect("a change");
    let unnamed = HttpTransport::new(&server.base).unwrap();
    let revoked = sync(&unnamed, scope(SELATAN)).await.unwrap_err();
    assert!(revoked.is_device_revoked(), "{revoked:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unregistered_or_foreign_actors_and_roles_without_permission_are_refused() {
    let server = Server::start(HubOptions::default()).await;
    server.import_pegawai(0).await;
    let (operator, admin) = (token(OPERATOR_SELATAN).await, token(ADMIN_SELATAN).await);
    let (documents, head) = read_feed(&server, &operator, SELATAN).await;
    let (doc, document) = some_document(&documents);
    let nama = document.hydrate()["data_utama"]["nama"].clone();

    // An actor nobody registered.
    let unregistered = new_actor();
    let request = push_request(&unregistered, doc, edit_no_hp(document, &unregistered, "081344440000"));
    let (status, error) = error_of(server.push(&operator, &request).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", error.message);
    // The actor of another person of the same instansi.
    let admins = new_actor();
    assert_eq!(server.register(&admin, &admins).await.status(), StatusCode::OK);
    let request = push_request(&admins, doc, edit_no_hp(document, &admins, "081344440001"));
    let (status, error) = error_of(server.push(&operator, &request).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", error.message);
    // Neither left a trace.
    let path = format!("/v1/feed?scope={}&cursor={head}", scope(SELATAN));
    let batch: FeedBatch = wire_body(server.get(&path, &operator).await, StatusCode::OK).await;
    assert!(batch.items.is_empty(), "{batch:?}");

    // A role without the permission: the operator may not create a pegawai (pegawai.buat) ...
    let operators = new_actor();
    assert_eq!(server.register(&operator, &operators).await.status(), StatusCode::OK);
    let new_doc = *uuid::Uuid::now_v7().as_bytes();
    let created = new_pegawai(&operators);
    let response: PushResponse =
        wire_body(server.push(&operator, &push_request(&operators, new_doc, created)).await, StatusCode::OK).await;
    let PushOutcome::Rejected { code, reason, compensation } = &response.results[0].outcome else {
        panic!("not rejected: {response:?}")
    };
    assert_eq!(
        (code.as_str(), reason.as_str(), compensation),
        ("kewenangan", "dokumen pegawai baru hanya boleh dibuat oleh admin instansi atau admin hub", &None)
    );
    // ... nor write a BKN field (pegawai.ubah_bkn): merged, then compensated.
    let renamed = edit_field(document, &operators, "nama", "NAMA LAIN");
    let response: PushResponse =
        wire_body(server.push(&operator, &push_request(&operators, doc, renamed)).await, StatusCode::OK).await;
    let PushOutcome::Rejected { code, reason, compensation } = &response.results[0].outcome else {
        panic!("not rejected: {response:?}")
    };
    assert_eq!(code, "kewenangan");
    assert_eq!(reason, "data_utama/nama hanya boleh diubah oleh BKN (verifikator BKN atau admin hub)");
    assert!(compensation.is_some());
    let (after, _) = read_feed(&server, &operator, SELATAN).await;
    assert!(!after.contains_key(&new_doc), "the refused pegawai reached the feed");
    assert_eq!(after[&doc].hydrate()["data_utama"]["nama"], nama, "the compensation puts the name back");
    // The admin of the instansi holds pegawai.buat: the same creation from their device is applied.
    let created = new_pegawai(&admins);
    let response: PushResponse =
        wire_body(server.push(&admin, &push_request(&admins, new_doc, created)).await, StatusCode::OK).await;
    assert!(matches!(response.results[0].outcome, PushOutcome::Applied { .. }), "{response:?}");

    // A person on the roster without any role reads nothing, not even their own instansi.
    server
        .hub
        .roster_add(RosterEntry { nip: NOT_ON_ROSTER.into(), nama: None, instansi: SELATAN.into(), roles: vec![] })
        .unwrap();
    let (status, error) =
        error_of(server.get(&format!("/v1/feed?scope={}", scope(SELATAN)), &token(NOT_ON_ROSTER).await).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    server.stop().await;
}
