//! The hub's HTTP server (DESIGN §5, `schemas/sync/README.md`): the routes of [`ROUTES`] over axum, described for
//! other implementers in `schemas/hub/openapi.yaml`.
//!
//! Every endpoint except `/health` and `/openapi.yaml` requires `Authorization: Bearer <access token>`: the token
//! is checked by [`TokenVerifier`] and the caller looked up in the hub's roster ([`Hub::caller`]). A token problem
//! answers 401 with `WWW-Authenticate: Bearer …`, a provider that cannot be reached 503, a caller the roster does
//! not allow 403. A request may name the caller's device in the [`wire::DEVICE_HEADER`] header (its automerge
//! actor in hex; desktops always do): a revoked one answers 403 `device_revoked`, another user's 403 `forbidden`
//! ([`Hub::check_named_device`]). Bodies are `sync::wire` messages (CBOR compressed with zstd, media type
//! [`wire::MEDIA_TYPE`]); errors are the wire [`ErrorBody`] encoded the same way, or JSON when the request's
//! `Accept` asks for `application/json` (curl, a browser, an admin).
//!
//! - `GET /v1/identitas` answers JSON: who the roster says the caller is, with its roles' permissions
//!   (`schemas/peran.json`), for the desktop's offline identity.
//! - `GET /v1/feed` long-polls: when the scope is up to date and `wait` (seconds, at most
//!   [`MAX_WAIT`]) is given, it waits on [`Hub::subscribe`] until the scope's head moves or the time is up.
//! - `GET /v1/snapshot/chunk` and `GET /v1/blob/{sha256}/content` honour `Range: bytes=…` (one range: 206 with
//!   `Content-Range`; past the end: 416).
//! - `POST /v1/push` takes at most [`PUSH_BODY_LIMIT`] compressed bytes (413 `too_large` beyond), and at most
//!   [`PUSH_DECODED_LIMIT`] once decompressed; `POST /v1/repair` at most [`REPAIR_BODY_LIMIT`].
//! - The hub's own calls are blocking (SQLite, files): each runs in `spawn_blocking`.
//!
//! Logs: one line per request with method, path, status and latency, never a token, a query string or a body.
//! What it does not do: TLS (put a reverse proxy in front), rate limiting, CORS (desktops are not browsers).

mod range;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, Request, State};
use axum::http::header::{
    ACCEPT, ACCEPT_RANGES, AUTHORIZATION, CACHE_CONTROL, CONTENT_RANGE, CONTENT_TYPE, HeaderMap, HeaderName,
    HeaderValue, RANGE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde::{Deserialize, Serialize};
use sync::wire::{self, ErrorBody, ErrorCode};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::auth::{AuthError, TokenVerifier, VerifiedToken};
use crate::config::HubConfig;
use crate::{Caller, Hub, HubError};

use self::range::{ByteRange, Ranged};

/// The OpenAPI description served at `/openapi.yaml`.
pub const OPENAPI_YAML: &str = include_str!("../../schemas/hub/openapi.yaml");

/// The longest a feed request may wait for news (`wait`, in seconds): below the 30 s idle timeouts of common
/// proxies (sync.md §5.4: keep-alive at about 20–25 s).
pub const MAX_WAIT: Duration = Duration::from_secs(25);

/// The largest push body accepted, compressed: 1 MiB (clients aim at 256 KiB and halve on 413).
pub const PUSH_BODY_LIMIT: usize = 1024 * 1024;

/// The largest push body accepted once decompressed: 16 MiB.
pub const PUSH_DECODED_LIMIT: usize = 16 * 1024 * 1024;

/// The largest blob chunk body accepted: 4 MiB (the hub's chunk size is at most that).
pub const BLOB_CHUNK_LIMIT: usize = 4 * 1024 * 1024;

/// The largest repair request body, compressed: 1 MiB (a round carries heads, needs and a Bloom filter of the
/// client's changes: a few KiB).
pub const REPAIR_BODY_LIMIT: usize = 1024 * 1024;

/// The largest device registration body: 16 KiB.
const DEVICE_BODY_LIMIT: usize = 16 * 1024;

/// The smallest and largest `max_bytes` a feed request may ask for.
const FEED_MAX_BYTES_RANGE: (usize, usize) = (4 * 1024, 8 * 1024 * 1024);

/// The media type of raw blob bytes.
const OCTET_STREAM: &str = "application/octet-stream";

/// The `WWW-Authenticate` challenge's realm.
const REALM: &str = "luring-hub";

/// One route of the server: what the router is built from and what `schemas/hub/openapi.yaml` must describe.
#[derive(Clone, Copy)]
pub struct Route {
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path, with `{name}` segments as in OpenAPI (and axum).
    pub path: &'static str,
    /// Whether the route requires a bearer token.
    pub requires_token: bool,
    build: fn(MethodFilter) -> MethodRouter<ServerState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("requires_token", &self.requires_token)
            .finish_non_exhaustive()
    }
}

/// Every route of the server.
pub const ROUTES: &[Route] = &[
    Route { method: "GET", path: "/health", requires_token: false, build: |f| on(f, health) },
    Route { method: "GET", path: "/openapi.yaml", requires_token: false, build: |f| on(f, openapi) },
    Route {
        method: "POST",
        path: "/v1/devices",
        requires_token: true,
        build: |f| on(f, register_device).layer(DefaultBodyLimit::max(DEVICE_BODY_LIMIT)),
    },
    Route { method: "POST", path: "/v1/session", requires_token: true, build: |f| on(f, open_session) },
    Route { method: "GET", path: "/v1/identitas", requires_token: true, build: |f| on(f, identity) },
    Route { method: "GET", path: "/v1/feed", requires_token: true, build: |f| on(f, feed) },
    Route { method: "GET", path: "/v1/snapshot", requires_token: true, build: |f| on(f, snapshot_manifest) },
    Route { method: "GET", path: "/v1/snapshot/chunk", requires_token: true, build: |f| on(f, snapshot_chunk) },
    Route {
        method: "POST",
        path: "/v1/push",
        requires_token: true,
        build: |f| on(f, push).layer(DefaultBodyLimit::max(PUSH_BODY_LIMIT)),
    },
    Route { method: "GET", path: "/v1/blob/{sha256}", requires_token: true, build: |f| on(f, blob_status) },
    Route {
        method: "PUT",
        path: "/v1/blob/{sha256}/{index}",
        requires_token: true,
        build: |f| on(f, put_blob_chunk).layer(DefaultBodyLimit::max(BLOB_CHUNK_LIMIT)),
    },
    Route { method: "GET", path: "/v1/blob/{sha256}/content", requires_token: true, build: |f| on(f, blob_content) },
    Route {
        method: "POST",
        path: "/v1/repair",
        requires_token: true,
        build: |f| on(f, repair).layer(DefaultBodyLimit::max(REPAIR_BODY_LIMIT)),
    },
];

/// What every request handler shares: the hub, the token verifier, and the shutdown signal long-polls listen to.
#[derive(Clone)]
pub struct ServerState {
    hub: Hub,
    verifier: Arc<TokenVerifier>,
    sessions: Arc<crate::session::Sessions>,
    stop: Arc<watch::Sender<bool>>,
}

impl std::fmt::Debug for ServerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerState").field("verifier", &self.verifier).finish_non_exhaustive()
    }
}

impl ServerState {
    /// The state of a server over `hub`, checking tokens with `verifier`.
    pub fn new(hub: Hub, verifier: Arc<TokenVerifier>) -> Self {
        Self { hub, verifier, sessions: Arc::default(), stop: Arc::new(watch::channel(false).0) }
    }

    /// Ends every long-poll now (each answers its current batch); called when the server shuts down.
    pub fn stop_long_polls(&self) {
        self.stop.send_replace(true);
    }
}

/// The router of every route in [`ROUTES`], with request logging and error negotiation.
pub fn router(state: ServerState) -> Router {
    let mut router = Router::new();
    for route in ROUTES {
        let filter = Method::from_bytes(route.method.as_bytes())
            .ok()
            .and_then(|method| MethodFilter::try_from(method).ok())
            .unwrap_or(MethodFilter::GET);
        router = router.route(route.path, (route.build)(filter));
    }
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(observe))
        .with_state(state)
}

/// Binds `config.listen` and serves until `shutdown` completes, SIGINT (Ctrl-C) or SIGTERM arrives; then stops
/// accepting, ends long-polls and waits for requests in flight.
///
/// # Errors
/// When the address cannot be bound, or the server fails.
pub async fn serve(
    config: &HubConfig,
    hub: Hub,
    verifier: TokenVerifier,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = TcpListener::bind(config.listen).await.map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("tidak dapat mendengarkan di {}: {e}; port dipakai program lain atau alamat salah", config.listen),
        )
    })?;
    let verifier = Arc::new(verifier);
    // A misconfigured issuer shows at start-up; an unreachable provider does not stop the hub (cached keys later).
    if let Err(error) = verifier.prefetch().await {
        tracing::warn!(issuer = %verifier.issuer(), %error, "kunci penyedia SSO belum dapat diambil; dicoba lagi saat ada permintaan");
    }
    let state = ServerState::new(hub, verifier);
    serve_on(listener, state, async move {
        tokio::select! {
            () = shutdown => {}
            () = termination_signal() => {}
        }
    })
    .await
}

/// Serves on a bound `listener` until `shutdown` completes (no signal handling: for tests and embedding).
///
/// # Errors
/// When the server fails.
pub async fn serve_on(
    listener: TcpListener,
    state: ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(%address, version = env!("CARGO_PKG_VERSION"), "luring-hub melayani");
    let stopper = state.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("berhenti: menyelesaikan permintaan yang sedang berjalan");
            stopper.stop_long_polls();
        })
        .await
}

/// Completes on SIGINT or SIGTERM (SIGTERM on Unix only).
async fn termination_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/// An error answer: a status, the wire error code and a message, plus a `WWW-Authenticate` challenge for 401.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    /// One more header: the `WWW-Authenticate` challenge of a 401, the `Content-Range` of a 416.
    header: Option<Box<(HeaderName, HeaderValue)>>,
}

impl ApiError {
    /// An error with `code`'s own status.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self { status, code, message: message.into(), header: None }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }

    fn internal(context: &str) -> Self {
        Self::new(ErrorCode::Internal, format!("kesalahan internal hub ({context}); coba lagi nanti"))
    }

    /// The answer to a request whose caller could not be identified.
    pub fn from_auth(error: &AuthError) -> Self {
        if error.is_provider_problem() {
            tracing::error!(%error, "token tidak dapat diperiksa: masalah penyedia SSO atau konfigurasi hub");
            return Self::new(
                ErrorCode::Unavailable,
                "hub belum dapat memeriksa token karena penyedia SSO tidak terjangkau; coba lagi nanti",
            )
            .with_header(RETRY_AFTER, "30");
        }
        let answer = Self::new(ErrorCode::Unauthorized, error.to_string());
        // RFC 6750 §3.1: no error code when the request has no authentication at all.
        let challenge = match error {
            AuthError::MissingAuthorization => format!("Bearer realm=\"{REALM}\""),
            AuthError::MalformedAuthorization { .. } => format!("Bearer realm=\"{REALM}\", error=\"invalid_request\""),
            _ => format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
        };
        answer.with_header(WWW_AUTHENTICATE, &challenge)
    }

    /// The answer to an unknown or expired hub session: 401 with an `invalid_token` challenge, so the client
    /// exchanges its access token again.
    fn unauthorized_session(message: &str) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
            .with_header(WWW_AUTHENTICATE, &format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""))
    }

    /// This error with one more header (dropped if `value` is not a valid header value).
    fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        self.header = HeaderValue::from_str(value).ok().map(|value| Box::new((name, value)));
        self
    }

    /// The wire code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<HubError> for ApiError {
    fn from(error: HubError) -> Self {
        let code = error.code();
        match code {
            ErrorCode::Internal => {
                tracing::error!(%error, "kesalahan hub");
                Self::internal("penyimpanan")
            }
            ErrorCode::Unauthorized => Self::new(code, error.to_string())
                .with_header(WWW_AUTHENTICATE, &format!("Bearer realm=\"{REALM}\", error=\"invalid_token\"")),
            _ => Self::new(code, error.to_string()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::bad_request(format!("parameter query tidak sah: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::bad_request(format!("path tidak sah: {}", rejection.body_text()))
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::new(
                ErrorCode::TooLarge,
                "isi permintaan terlalu besar; bagi menjadi beberapa permintaan lalu kirim ulang",
            )
        } else {
            Self::bad_request(format!("isi permintaan tidak terbaca: {}", rejection.body_text()))
        }
    }
}

impl From<wire::WireError> for ApiError {
    fn from(error: wire::WireError) -> Self {
        Self::new(error.error_code(), format!("isi permintaan bukan pesan sync v1 yang sah: {error}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody::new(self.code, self.message);
        let mut response = match wire::encode(&body) {
            Ok(bytes) => {
                (self.status, [(CONTENT_TYPE, HeaderValue::from_static(wire::MEDIA_TYPE))], bytes).into_response()
            }
            Err(_) => (self.status, body.message.clone()).into_response(),
        };
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(header) = self.header {
            let (name, value) = *header;
            headers.insert(name, value);
        }
        response.extensions_mut().insert(body);
        response
    }
}

/// Logs every request (method, path, status, latency; never the query, headers or body) and turns error bodies
/// into JSON when the client asked for JSON.
async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let wants_json = prefers_json(request.headers());
    let mut response = next.run(request).await;
    if wants_json && let Some(body) = response.extensions_mut().remove::<ErrorBody>() {
        let json = serde_json::json!({"v": body.v, "code": body.code, "message": body.message});
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
        *response.body_mut() = Body::from(json.to_string());
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(%method, %path, status, latency_ms, "permintaan");
    } else {
        tracing::info!(%method, %path, status, latency_ms, "permintaan");
    }
    response
}

/// True when `Accept` names `application/json` and not the wire media type.
fn prefers_json(headers: &HeaderMap) -> bool {
    let accept = headers.get_all(ACCEPT).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    accept.contains("application/json") && !accept.contains(wire::MEDIA_TYPE)
}

async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "alamat ini tidak ada di hub; lihat /openapi.yaml")
}

async fn method_not_allowed() -> ApiError {
    let mut error = ApiError::bad_request("metode HTTP ini tidak dilayani pada alamat ini; lihat /openapi.yaml");
    error.status = StatusCode::METHOD_NOT_ALLOWED;
    error
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication and plumbing

/// The identified caller of a request: its bearer token verified, its roster entry found, and the device it names
/// (if any) not revoked.
struct Authenticated(Arc<Caller>);

impl FromRequestParts<ServerState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, ApiError> {
        // A header value that is not visible ASCII is malformed, not missing (`bearer_token`'s contract).
        let header = parts.headers.get(AUTHORIZATION).map(|value| value.to_str().unwrap_or(""));
        let token = verified_token(state, header).await?;
        let device = named_device(&parts.headers)?;
        let hub = state.hub.clone();
        let caller = blocking(move || {
            let caller = hub.caller(&token)?;
            if let Some(actor) = &device {
                hub.check_named_device(&caller, actor)?;
            }
            Ok(caller)
        })
        .await?;
        Ok(Self(Arc::new(caller)))
    }
}

/// The device a request names in [`wire::DEVICE_HEADER`]: its actor id, from hex.
fn named_device(headers: &HeaderMap) -> Result<Option<Vec<u8>>, ApiError> {
    let Some(value) = headers.get(wire::DEVICE_HEADER) else {
        return Ok(None);
    };
    value.to_str().ok().and_then(|text| decode_hex(text.trim())).map(Some).ok_or_else(|| {
        ApiError::bad_request(format!("header {} harus actor perangkat dalam heksadesimal", wire::DEVICE_HEADER))
    })
}

/// The verified identity behind an `Authorization` header: a live hub session, or an OIDC access token checked
/// against the provider's keys.
async fn verified_token(state: &ServerState, header: Option<&str>) -> Result<VerifiedToken, ApiError> {
    if let Ok(bearer) = crate::auth::bearer_token(header)
        && crate::session::is_session(bearer)
    {
        return state.sessions.lookup(bearer, chrono::Utc::now()).ok_or_else(|| {
            ApiError::unauthorized_session("sesi hub tidak dikenal atau sudah habis; tukar token akses lagi")
        });
    }
    state.verifier.verify_authorization(header).await.map_err(|e| ApiError::from_auth(&e))
}

/// `POST /v1/session`: exchanges a verified OIDC access token (not a session) for a short hub session
/// ([`crate::session`]); answers JSON `{session, expires_at_ms}`.
async fn open_session(State(state): State<ServerState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let header = headers.get(AUTHORIZATION).map(|value| value.to_str().unwrap_or(""));
    if crate::auth::bearer_token(header).is_ok_and(crate::session::is_session) {
        return Err(ApiError::bad_request("sesi tidak dapat ditukar dengan sesi; kirim token akses SSO"));
    }
    let token = state.verifier.verify_authorization(header).await.map_err(|e| ApiError::from_auth(&e))?;
    // Only someone on the roster gets a session.
    let hub = state.hub.clone();
    let checked = token.clone();
    blocking(move || hub.caller(&checked)).await?;
    let issued = state
        .sessions
        .issue(&token, chrono::Utc::now())
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable, "terlalu banyak sesi aktif; coba lagi nanti"))?;
    let json = serde_json::to_vec(&issued).map_err(|_| ApiError::internal("pengodean sesi"))?;
    Ok((StatusCode::OK, [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], json).into_response())
}

/// Runs a blocking hub call on the blocking pool.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, HubError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(call).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(error) => {
            tracing::error!(%error, "tugas hub berhenti tak terduga");
            Err(ApiError::internal("tugas berhenti"))
        }
    }
}

/// A 200 answer holding `message` as a wire body.
fn wire_response<T: Serialize>(message: &T) -> Result<Response, ApiError> {
    let bytes = wire::encode(message).map_err(|error| {
        tracing::error!(%error, "jawaban tidak dapat dikodekan");
        ApiError::internal("pengodean jawaban")
    })?;
    Ok((
        StatusCode::OK,
        [
            (CONTENT_TYPE, HeaderValue::from_static(wire::MEDIA_TYPE)),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}

/// The request's media type (`Content-Type` without parameters), lower case.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Requires the wire media type as the body's `Content-Type`.
fn require_wire_body(headers: &HeaderMap) -> Result<(), ApiError> {
    match content_type(headers) {
        Some(media) if media == wire::MEDIA_TYPE => Ok(()),
        other => Err(ApiError::new(
            ErrorCode::UnsupportedVersion,
            format!(
                "Content-Type {} tidak dilayani; kirim pesan sync sebagai {}",
                other.as_deref().unwrap_or("(kosong)"),
                wire::MEDIA_TYPE
            ),
        )),
    }
}

/// Reads a SHA-256 written as 64 hex digits (either case).
fn parse_sha256(text: &str) -> Result<[u8; 32], ApiError> {
    let bytes = decode_hex(text)
        .filter(|bytes| bytes.len() == 32)
        .ok_or_else(|| ApiError::bad_request("sha256 harus 64 digit heksadesimal"))?;
    let mut hash = [0u8; 32];
    hash.copy_from_slice(&bytes);
    Ok(hash)
}

/// Bytes from hex digits; `None` when the text is empty, of odd length or not hex.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    let value = |digit: u8| char::from(digit).to_digit(16).and_then(|v| u8::try_from(v).ok());
    digits.chunks_exact(2).map(|pair| Some(value(pair[0])? << 4 | value(pair[1])?)).collect()
}

/// Lower-case hex digits of `bytes`.
pub fn encode_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

/// `GET /health`.
async fn health() -> Response {
    let body = serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")});
    ([(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], body.to_string()).into_response()
}

/// `GET /openapi.yaml`.
async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/yaml")], OPENAPI_YAML).into_response()
}

/// The body of `POST /v1/devices`, as JSON or as a wire message (then with `v`).
#[derive(Debug, Deserialize)]
struct DeviceRegistration {
    /// The device's automerge actor id, in hex.
    actor_hex: String,
    /// A name the officer recognises ("Laptop Bidang Mutasi").
    name: String,
}

/// `POST /v1/devices`: registers the caller's device (its automerge actor).
async fn register_device(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body?;
    let registration: DeviceRegistration = match content_type(&headers).as_deref() {
        Some("application/json") => serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("JSON pendaftaran perangkat tidak sah: {e}")))?,
        Some(wire::MEDIA_TYPE) => wire::decode_with_limit(&body, DEVICE_BODY_LIMIT)?,
        other => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedVersion,
                format!(
                    "Content-Type {} tidak dilayani; kirim application/json atau {}",
                    other.unwrap_or("(kosong)"),
                    wire::MEDIA_TYPE
                ),
            ));
        }
    };
    let actor = decode_hex(registration.actor_hex.trim())
        .ok_or_else(|| ApiError::bad_request("actor_hex harus digit heksadesimal berjumlah genap"))?;
    let hub = state.hub.clone();
    let device = blocking(move || hub.register_device(&caller, &actor, &registration.name)).await?;
    let json = serde_json::to_vec(&device).map_err(|_| ApiError::internal("pengodean perangkat"))?;
    Ok((StatusCode::OK, [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], json).into_response())
}

/// `GET /v1/identitas`: who the roster says the caller is (never the token's claims), with the permissions of
/// its roles, as JSON ([`sync::driver::Identitas`]).
async fn identity(Authenticated(caller): Authenticated) -> Result<Response, ApiError> {
    let json = serde_json::to_vec(&caller.identitas()).map_err(|_| ApiError::internal("pengodean identitas"))?;
    Ok((StatusCode::OK, [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], json).into_response())
}

/// The query of `GET /v1/feed`.
#[derive(Debug, Deserialize)]
struct FeedQuery {
    scope: String,
    #[serde(default)]
    cursor: Option<String>,
    #[serde(default)]
    max_bytes: Option<usize>,
    /// Seconds to wait for news when up to date.
    #[serde(default)]
    wait: Option<u64>,
    /// The same in milliseconds (`schemas/sync/README.md` spells it so); `wait` wins when both are given.
    #[serde(default)]
    wait_ms: Option<u64>,
}

/// `GET /v1/feed`: one batch of the scope's change feed, long-polling when up to date and asked to wait.
async fn feed(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let cursor = query.cursor.filter(|c| !c.is_empty());
    let max_bytes =
        query.max_bytes.unwrap_or(wire::DEFAULT_FEED_BATCH_BYTES).clamp(FEED_MAX_BYTES_RANGE.0, FEED_MAX_BYTES_RANGE.1);
    let wait = match (query.wait, query.wait_ms) {
        (Some(seconds), _) => Duration::from_secs(seconds),
        (None, Some(millis)) => Duration::from_millis(millis),
        (None, None) => Duration::ZERO,
    }
    .min(MAX_WAIT);
    let scope: Arc<str> = query.scope.into();
    let cursor: Option<Arc<str>> = cursor.map(Into::into);

    let read = {
        let (hub, caller, scope, cursor) = (state.hub.clone(), caller.clone(), scope.clone(), cursor.clone());
        move || hub.feed(&caller, &scope, cursor.as_deref(), max_bytes)
    };
    // Subscribe and read the scope's head before the batch: an append after the head was read either lands in
    // the batch or wakes the wait, never neither.
    let mut appended = state.hub.subscribe();
    let (baseline, batch) = {
        let hub = state.hub.clone();
        let (scope, read) = (scope.clone(), read.clone());
        blocking(move || {
            let head = hub.head_seq(&scope)?;
            Ok((head, read()?))
        })
        .await?
    };
    if wait.is_zero() || !batch.items.is_empty() || !batch.up_to_date {
        return wire_response(&batch);
    }
    let deadline = tokio::time::Instant::now() + wait;
    let mut stopping = state.stop.subscribe();
    loop {
        if *stopping.borrow_and_update() {
            break;
        }
        tokio::select! {
            changed = appended.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            _ = stopping.changed() => break,
            () = tokio::time::sleep_until(deadline) => break,
        }
        let hub = state.hub.clone();
        let scope = scope.clone();
        let head = blocking(move || hub.head_seq(&scope)).await?;
        if head > baseline {
            break;
        }
    }
    // Woken, timed out or stopping: answer what is there now (an empty up-to-date batch when nothing moved).
    let batch = blocking(read).await?;
    wire_response(&batch)
}

/// The query of `GET /v1/snapshot`.
#[derive(Debug, Deserialize)]
struct ScopeQuery {
    scope: String,
}

/// `GET /v1/snapshot`: the scope's snapshot manifest.
async fn snapshot_manifest(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    query: Result<Query<ScopeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let hub = state.hub.clone();
    let manifest = blocking(move || hub.snapshot_manifest(&caller, &query.scope)).await?;
    wire_response(&manifest)
}

/// The query of `GET /v1/snapshot/chunk`.
#[derive(Debug, Deserialize)]
struct ChunkQuery {
    scope: String,
    cursor: String,
    index: u32,
}

/// `GET /v1/snapshot/chunk`: one immutable chunk file, with Range support.
async fn snapshot_chunk(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    query: Result<Query<ChunkQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query?;
    let range = range_header(&headers);
    let hub = state.hub.clone();
    let ranged = blocking(move || {
        let path = hub.snapshot_chunk_path(&caller, &query.scope, &query.cursor, query.index)?;
        Ok(range::read_file(&path, range.as_deref()))
    })
    .await?
    .map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => {
            ApiError::new(ErrorCode::NotFound, "potongan snapshot sudah diganti; ambil manifest snapshot lagi")
        }
        _ => {
            tracing::error!(%error, "potongan snapshot tidak terbaca");
            ApiError::internal("potongan snapshot tidak terbaca")
        }
    })?;
    ranged_response(ranged, wire::MEDIA_TYPE, "private, max-age=31536000, immutable")
}

/// The query of `GET /v1/blob/{sha256}`.
#[derive(Debug, Deserialize)]
struct SizeQuery {
    size: u64,
}

/// `GET /v1/blob/{sha256}?size=`: what the hub holds of a blob.
async fn blob_status(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<SizeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(sha) = path?;
    let Query(query) = query?;
    let hash = parse_sha256(&sha)?;
    let hub = state.hub.clone();
    let status = blocking(move || hub.blob_status(&caller, &hash, query.size)).await?;
    wire_response(&status)
}

/// `PUT /v1/blob/{sha256}/{index}`: one chunk of a blob, as raw bytes.
async fn put_blob_chunk(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    path: Result<Path<(String, u32)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Path((sha, index)) = path?;
    let hash = parse_sha256(&sha)?;
    let body = body?;
    let hub = state.hub.clone();
    let status = blocking(move || hub.put_blob_chunk(&caller, &hash, index, &body)).await?;
    wire_response(&status)
}

/// `GET /v1/blob/{sha256}/content`: the whole blob (or a range of it).
async fn blob_content(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(sha) = path?;
    let hash = parse_sha256(&sha)?;
    let range = range_header(&headers);
    let hub = state.hub.clone();
    let bytes = blocking(move || hub.blob(&caller, &hash)).await?;
    ranged_response(range::slice(bytes, range.as_deref()), OCTET_STREAM, "private, max-age=31536000, immutable")
}

/// `POST /v1/push`: a batch of outbox changes.
async fn push(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_wire_body(&headers)?;
    let body = body?;
    let request: wire::PushRequest = wire::decode_with_limit(&body, PUSH_DECODED_LIMIT)?;
    let hub = state.hub.clone();
    let response = blocking(move || hub.push(&caller, request)).await?;
    wire_response(&response)
}

/// `POST /v1/repair`: one round of the repair of one document (the hub only sends; see `Hub::repair`).
async fn repair(
    State(state): State<ServerState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_wire_body(&headers)?;
    let body = body?;
    let request: wire::RepairRequest = wire::decode_with_limit(&body, PUSH_DECODED_LIMIT)?;
    let hub = state.hub.clone();
    let response = blocking(move || hub.repair(&caller, &request)).await?;
    wire_response(&response)
}

/// The request's `Range` header, when it is readable text.
fn range_header(headers: &HeaderMap) -> Option<String> {
    headers.get(RANGE).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

/// 200, 206 or 416 for a ranged read.
fn ranged_response(ranged: Ranged, media_type: &'static str, cache: &'static str) -> Result<Response, ApiError> {
    let common = [
        (CONTENT_TYPE, HeaderValue::from_static(media_type)),
        (ACCEPT_RANGES, HeaderValue::from_static("bytes")),
        (CACHE_CONTROL, HeaderValue::from_static(cache)),
    ];
    Ok(match ranged {
        Ranged::Full(bytes) => (StatusCode::OK, common, bytes).into_response(),
        Ranged::Partial { range: ByteRange { start, end }, total, bytes } => {
            let content_range = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}"))
                .map_err(|_| ApiError::internal("Content-Range"))?;
            let mut response = (StatusCode::PARTIAL_CONTENT, common, bytes).into_response();
            response.headers_mut().insert(CONTENT_RANGE, content_range);
            response
        }
        Ranged::Unsatisfiable { total } => {
            let mut error = ApiError::bad_request(format!(
                "rentang Range di luar berkas ({total} byte); ambil ulang dari awal atau dari byte yang ada"
            ));
            error.status = StatusCode::RANGE_NOT_SATISFIABLE;
            error.with_header(CONTENT_RANGE, &format!("bytes */{total}")).into_response()
        }
    })
}
