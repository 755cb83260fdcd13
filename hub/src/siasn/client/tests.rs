//! Unit tests of [`super::SiasnClient`] against small loopback servers: both tokens on every call, the pasted
//! token's expiry, one refresh-and-retry on 401, bounded retries of reads, writes that report an unknown outcome,
//! load-balancer cookies, the concurrency bound and the rate limit.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use base64::Engine as _;
use serde_json::json;

use super::*;

/// A JWT-shaped token (unsigned: the client never verifies it) with `exp`.
fn jwt(exp: i64) -> String {
    let encode = |value: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&value).unwrap())
    };
    format!("{}.{}.c2lnbmF0dXJl", encode(json!({"alg": "HS256", "typ": "JWT"})), encode(json!({"exp": exp})))
}

/// What the test server does and saw.
#[derive(Default)]
struct Server {
    /// Statuses to answer the WS requests with, in order; then 200.
    script: Mutex<VecDeque<u16>>,
    apim_tokens: AtomicUsize,
    sso_tokens: AtomicUsize,
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Pause of each WS answer.
    pause: Mutex<Duration>,
    /// (Authorization, Auth, Cookie) of each WS request.
    seen: Mutex<Vec<(String, String, String)>>,
}

async fn token(State(server): State<Arc<Server>>, headers: HeaderMap, body: String) -> Response {
    if body.contains("grant_type=password") {
        let n = server.sso_tokens.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(body.contains("username=198501012010011001") && body.contains("client_id=instansi-x"), "{body}");
        let token = format!("{}x{n}", jwt(Utc::now().timestamp() + 3600));
        return axum::Json(json!({"access_token": token, "expires_in": 3600, "token_type": "Bearer"})).into_response();
    }
    let basic = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let expected = base64::engine::general_purpose::STANDARD.encode("kunci:rahasia");
    if basic != format!("Basic {expected}") || body != "grant_type=client_credentials" {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"error": "invalid_client"}))).into_response();
    }
    let n = server.apim_tokens.fetch_add(1, Ordering::SeqCst) + 1;
    axum::Json(json!({"access_token": format!("apim-{n}"), "expires_in": "3600", "token_type": "Bearer"}))
        .into_response()
}

async fn ws(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    server.requests.fetch_add(1, Ordering::SeqCst);
    let now = server.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    server.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    server.seen.lock().unwrap().push((header("authorization"), header("auth"), header("cookie")));
    let pause = *server.pause.lock().unwrap();
    tokio::time::sleep(pause).await;
    let status = server.script.lock().unwrap().pop_front().unwrap_or(200);
    server.in_flight.fetch_sub(1, Ordering::SeqCst);
    let status = StatusCode::from_u16(status).unwrap();
    let body = match status.as_u16() {
        200 => json!({"code": 1, "data": {"ok": true}}),
        401 => json!({"code": 900901, "message": "invalid or expired jwt", "description": "x"}),
        _ => json!({"code": 0, "data": "galat"}),
    };
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert("set-cookie", HeaderValue::from_static("LB=node-2; Path=/"));
    response
}

/// Starts the test server: its base URL.
async fn start(server: Arc<Server>) -> String {
    let app = Router::new().route("/oauth2/token", post(token)).route("/apisiasn/1.0/{*rest}", any(ws));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app.with_state(server)).await.unwrap() });
    format!("http://{addr}")
}

fn config(base: &str, sso: SsoSource) -> SiasnConfig {
    SiasnConfig {
        base_url: base.to_owned(),
        apim_token_url: format!("{base}/oauth2/token"),
        consumer_key: "kunci".to_owned(),
        consumer_secret: "rahasia".to_owned(),
        sso,
        konkurensi: 4,
        per_detik: 0.0,
        timeout: Duration::from_secs(5),
    }
}

fn pasted() -> SsoSource {
    SsoSource::Token(jwt(Utc::now().timestamp() + 3600))
}

#[test]
fn the_jwt_expiry_is_read_without_verifying() {
    let exp = jwt(1_900_000_000);
    assert_eq!(jwt_kedaluwarsa(&exp).unwrap().timestamp(), 1_900_000_000);
    assert_eq!(jwt_kedaluwarsa("bukan-jwt"), None);
    assert_eq!(jwt_kedaluwarsa("a.%%%.c"), None);
}

#[test]
fn secrets_are_never_printed() {
    let mut config = config("http://127.0.0.1:1", SsoSource::Token("eyJ.rahasia-sso.x".to_owned()));
    config.consumer_secret = "rahasia-apim".to_owned();
    let printed = format!("{config:?}");
    assert!(!printed.contains("rahasia"), "{printed}");
    let password = SsoSource::Password {
        token_url: "u".into(),
        client_id: "c".into(),
        username: "198501012010011001".into(),
        password: "sandi-rahasia".into(),
    };
    assert!(!format!("{password:?}").contains("sandi"));
}

#[test]
fn bad_configuration_is_refused_with_what_to_fix() {
    let error = SiasnClient::new(config("apimws.bkn.go.id", pasted())).unwrap_err();
    assert!(error.to_string().contains("https://"), "{error}");
    let mut empty = config("http://127.0.0.1:1", pasted());
    empty.consumer_secret = " ".into();
    assert!(matches!(SiasnClient::new(empty), Err(SiasnError::Konfigurasi(m)) if m.contains("consumer_secret")));
}

#[tokio::test]
async fn both_tokens_and_cookies_go_with_every_call() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let sso = jwt(Utc::now().timestamp() + 3600);
    let client = SiasnClient::new(config(&base, SsoSource::Token(sso.clone()))).unwrap();
    assert!(client.sso_kedaluwarsa().is_some());
    let first = client.get("/pns/data-utama/198501012010011001", &[]).await.unwrap();
    assert_eq!(first.status, 200);
    assert!(first.body.contains("\"ok\""));
    client.get("/pns/rw-jabatan/198501012010011001", &[("x", "1")]).await.unwrap();
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].0, "Bearer apim-1");
    assert_eq!(seen[0].1, format!("bearer {sso}"));
    assert_eq!(seen[0].2, "", "no cookie before the first answer");
    assert_eq!(seen[1].2, "LB=node-2", "the load-balancer cookie is sent back");
    assert_eq!(server.apim_tokens.load(Ordering::SeqCst), 1, "the APIM token is cached");
    assert_eq!(client.jumlah_permintaan(), 3, "one token request and two calls");
}

#[tokio::test]
async fn an_expired_pasted_token_is_refused_before_any_request() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let client = SiasnClient::new(config(&base, SsoSource::Token(jwt(Utc::now().timestamp() - 10)))).unwrap();
    let error = client.get("/pns/data-utama/198501012010011001", &[]).await.unwrap_err();
    assert!(matches!(error, SiasnError::SsoKedaluwarsa { .. }), "{error}");
    assert!(error.to_string().contains("sso_token_file"), "says what to do: {error}");
    let SiasnError::SsoKedaluwarsa { sejak } = &error else { unreachable!() };
    let when = format!("sejak {} UTC;", sejak.format("%d-%m-%Y %H:%M"));
    assert!(error.to_string().contains(&when) && !error.to_string().contains("(UTC)"), "{error}");
    assert_eq!(client.jumlah_permintaan(), 0);
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_401_renews_the_tokens_once_then_reports() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let client = SiasnClient::new(config(&base, pasted())).unwrap();
    server.script.lock().unwrap().extend([401]);
    let answer = client.get("/pns/data-utama/198501012010011001", &[]).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(server.apim_tokens.load(Ordering::SeqCst), 2, "a new APIM token after the 401");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[1].0, "Bearer apim-2");
    assert_eq!(seen[1].2, "", "cookies are dropped with the tokens");

    server.script.lock().unwrap().extend([401, 401]);
    let error = client.get("/pns/data-utama/198501012010011001", &[]).await.unwrap_err();
    assert!(matches!(error, SiasnError::Otentikasi { .. }), "{error}");
    assert!(error.to_string().contains("invalid or expired jwt"), "{error}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 4, "one retry, not more");
}

#[tokio::test]
async fn concurrent_401s_on_one_token_cause_one_refresh() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let client = SiasnClient::new(config(&base, pasted())).unwrap();
    client.get("/pns/x/1", &[]).await.unwrap();
    *server.pause.lock().unwrap() = Duration::from_millis(50);
    server.script.lock().unwrap().extend([401, 401, 401, 401]);
    let calls: Vec<_> = (0..4)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.get(&format!("/pns/x/{i}"), &[]).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().status, 200);
    }
    assert_eq!(server.apim_tokens.load(Ordering::SeqCst), 2, "one refresh for four refusals of the same token");
}

#[tokio::test]
async fn reads_are_retried_on_server_errors_a_bounded_number_of_times() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let client = SiasnClient::new(config(&base, pasted())).unwrap();
    server.script.lock().unwrap().extend([503, 502]);
    assert_eq!(client.get("/pns/x/1", &[]).await.unwrap().status, 200);
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);

    server.script.lock().unwrap().extend([500; 10]);
    let error = client.get("/pns/x/1", &[]).await.unwrap_err();
    assert!(matches!(error, SiasnError::Server { status: 500, .. }), "{error}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 3 + GET_ATTEMPTS as usize);

    // 404 is an answer ("nothing here"), not an error.
    server.script.lock().unwrap().clear();
    server.script.lock().unwrap().extend([404]);
    assert_eq!(client.get("/pns/x/1", &[]).await.unwrap().status, 404);
}

#[tokio::test]
async fn a_write_answered_with_a_server_error_has_an_unknown_outcome_and_is_not_resent() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let client = SiasnClient::new(config(&base, pasted())).unwrap();
    server.script.lock().unwrap().extend([500, 500]);
    let error = client.post_json("/jabatan/save", &json!({"id": ""})).await.unwrap_err();
    assert!(matches!(error, SiasnError::HasilTidakDiketahui { .. }), "{error}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    // A 401 happens at the gateway, before the service: renewed and sent again.
    server.script.lock().unwrap().clear();
    server.script.lock().unwrap().extend([401]);
    let answer = client
        .post_multipart("/upload-dok-rw", &[("id_riwayat", "r1".to_owned())], "sk.pdf", "application/pdf", vec![1; 10])
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_cut_connection_is_retried_for_reads_and_unknown_for_writes() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    // A service that reads the request and closes the connection without answering.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let cut = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = vec![0u8; 65536];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buffer).await;
            drop(socket);
        }
    });
    let mut settings = config(&cut, pasted());
    settings.apim_token_url = format!("{base}/oauth2/token");
    let client = SiasnClient::new(settings).unwrap();
    let error = client.get("/pns/x/1", &[]).await.unwrap_err();
    assert!(matches!(error, SiasnError::Jaringan { percobaan: GET_ATTEMPTS, .. }), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), GET_ATTEMPTS as usize);
    let error = client.post_json("/jabatan/save", &json!({})).await.unwrap_err();
    assert!(matches!(error, SiasnError::HasilTidakDiketahui { .. }), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), GET_ATTEMPTS as usize + 1, "a write is sent once");
}

#[tokio::test]
async fn requests_in_flight_are_bounded_and_spaced_by_the_rate() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    *server.pause.lock().unwrap() = Duration::from_millis(30);
    let mut settings = config(&base, pasted());
    settings.konkurensi = 3;
    let client = SiasnClient::new(settings).unwrap();
    let calls: Vec<_> = (0..12)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.get(&format!("/pns/x/{i}"), &[]).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 3);

    *server.pause.lock().unwrap() = Duration::ZERO;
    let mut settings = config(&base, pasted());
    settings.per_detik = 20.0;
    let client = SiasnClient::new(settings).unwrap();
    let started = Instant::now();
    for i in 0..6 {
        client.get(&format!("/pns/x/{i}"), &[]).await.unwrap();
    }
    // 7 requests (a token and 6 calls) at 20 per second: at least 6 intervals of 50 ms.
    assert!(started.elapsed() >= Duration::from_millis(290), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_password_grant_fetches_and_caches_the_sso_token() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let sso = SsoSource::Password {
        token_url: format!("{base}/oauth2/token"),
        client_id: "instansi-x".to_owned(),
        username: "198501012010011001".to_owned(),
        password: "sandi".to_owned(),
    };
    let client = SiasnClient::new(config(&base, sso)).unwrap();
    assert_eq!(client.sso_kedaluwarsa(), None, "not fetched yet");
    client.get("/pns/x/1", &[]).await.unwrap();
    client.get("/pns/x/2", &[]).await.unwrap();
    assert_eq!(server.sso_tokens.load(Ordering::SeqCst), 1);
    assert!(client.sso_kedaluwarsa().is_some_and(|exp| exp > Utc::now()));
    let seen = server.seen.lock().unwrap().clone();
    assert!(seen[0].1.starts_with("bearer ey") && seen[0].1.ends_with("x1"), "{}", seen[0].1);
    // A 401 renews both tokens of the password grant.
    server.script.lock().unwrap().extend([401]);
    client.get("/pns/x/3", &[]).await.unwrap();
    assert_eq!(server.sso_tokens.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_wrong_secret_says_what_to_check() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let mut settings = config(&base, pasted());
    settings.consumer_secret = "salah".to_owned();
    let client = SiasnClient::new(settings).unwrap();
    let error = client.get("/pns/x/1", &[]).await.unwrap_err();
    assert!(matches!(error, SiasnError::TokenApim { .. }), "{error}");
    assert!(error.to_string().contains("consumer key/secret"), "{error}");
    assert!(!error.to_string().contains("salah"), "the secret is not in the message");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried_then_reported() {
    let server = Arc::new(Server::default());
    let base = start(server.clone()).await;
    let mut settings = config(&base, pasted());
    settings.timeout = Duration::from_millis(150);
    let client = SiasnClient::new(settings).unwrap();
    // Warm the token up first (the token request shares the timeout).
    client.get("/pns/x/0", &[]).await.unwrap();
    *server.pause.lock().unwrap() = Duration::from_millis(600);
    let error = client.get("/pns/x/1", &[]).await.unwrap_err();
    assert!(matches!(error, SiasnError::Jaringan { percobaan: GET_ATTEMPTS, .. }), "{error}");
    assert!(error.to_string().contains("waktu habis"), "{error}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 1 + GET_ATTEMPTS as usize);
}

#[tokio::test]
async fn a_body_over_the_cap_is_not_read() {
    let answer = |bytes: usize| reqwest::Response::from(axum::http::Response::new(vec![b'x'; bytes]));
    assert_eq!(read_body(answer(100), 100).await.unwrap().map(|body| body.len()), Some(100));
    assert_eq!(read_body(answer(101), 100).await.unwrap(), None);
    assert_eq!(MAX_BODY, 32 * 1024 * 1024);
    // What a read then reports.
    let error =
        SiasnError::Jawaban { path: "/pns/rw-jabatan/1".into(), pesan: "jawaban HTTP 200 terlalu besar".into() };
    assert!(error.to_string().contains("terlalu besar"));
}
