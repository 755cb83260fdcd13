//! The IO around [`crate::engine`]: HTTP with reqwest on tokio, a no-progress watchdog on every request, capped
//! and jittered backoff that resets when the network answers again, and long-poll live mode (DESIGN §5.1).
//!
//! [`Transport`] is the seam: [`HttpTransport`] talks to a hub over HTTP (wire messages, and raw bytes for blob
//! chunks and blob content); tests put an in-memory network or a faulty proxy behind the same trait. Blob requests
//! go through the same watchdog and backoff as the others: a stalled chunk or download is abandoned and resumed. [`run`] drives one engine run to its end through cuts and timeouts;
//! [`live`] repeats runs with long-polls until asked to stop. "One sync at a time" is the caller's lock (the
//! replica file's), not this module's: it never runs two engines itself.
//!
//! It does not know the replica (the engine's [`Local`] does) nor where tokens come from (the caller passes a
//! [`TokenSource`]); it never logs tokens or bodies.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::engine::{Engine, Local, Method, Outcome, Request, Response, Step, Summary, SyncError};
use crate::wire::DEVICE_HEADER;

/// A request's answer or the bytes that arrived before it broke.
pub type TransportResult = Result<Response, TransportError>;

/// A broken exchange.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The connection failed or broke; `partial` is the body of a 200/206 received before the break.
    #[error("koneksi terputus: {reason}")]
    Cut {
        /// Why.
        reason: String,
        /// Body bytes received.
        partial: Vec<u8>,
    },
    /// Nothing arrived for the watchdog's period.
    #[error("tidak ada kemajuan selama {0:?}")]
    Stalled(Duration),
    /// The answer's body was longer than the request allowed (its `Content-Length` said so, or the bytes that
    /// arrived went past it): the transport stopped reading it.
    #[error("jawaban hub melebihi batas {0} byte; dihentikan")]
    TooLarge(u64),
    /// The connection broke after a 200 answered a Range request (the hub sent the resource from byte 0): `partial`
    /// starts at byte 0 and replaces what was kept.
    #[error("koneksi terputus: {reason}")]
    CutFromStart {
        /// Why.
        reason: String,
        /// Body bytes received, from byte 0 of the resource.
        partial: Vec<u8>,
    },
}

/// Sends one request (an HTTP client, an in-memory network, a faulty proxy).
pub trait Transport: Send + Sync {
    /// Sends `request` with bearer `token` and returns the answer; must give up when nothing arrives for
    /// `watchdog`.
    fn send<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>>;

    /// Like [`Transport::send`], reading at most `max_body` bytes of the answer's body
    /// ([`TransportError::TooLarge`] past it). The provided implementation does not bound the body (an in-memory
    /// network's answers are already in memory); [`run`] still refuses an answer past the limit.
    fn send_limited<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
        max_body: u64,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        let _ = max_body;
        self.send(request, token, watchdog)
    }
}

/// Gives the current access token (refreshing it when needed); `None` when the user must sign in.
pub type TokenSource = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// The real network: reqwest over HTTP(S).
///
/// It exchanges the OIDC access token for a short hub session (`POST /v1/session`, answered `{session,
/// expires_at_ms}`) and sends that instead: a ~50-byte bearer instead of a ~1 KB JWT on every request. The
/// session is kept in memory only, renewed a minute before it ends, and exchanged again after a 401; against a hub
/// without sessions the token itself is sent.
///
/// Given the device's actor ([`HttpTransport::with_device`]), every request names the device in the
/// [`DEVICE_HEADER`] header, so that the hub refuses even a sync with nothing to push once the device is revoked
/// (403 `device_revoked`, [`SyncError::is_device_revoked`]).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    base: String,
    session: Arc<std::sync::Mutex<SessionState>>,
    /// The device's actor id in hex, sent in [`DEVICE_HEADER`].
    device: Option<String>,
}

/// Who the hub says the caller is: its answer to `GET /v1/identitas` (JSON), read from the hub's roster, never
/// from the token's claims. The app keeps the last one it got online to work offline with the instansi and the
/// roles it gives, and hides what those roles may not do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identitas {
    /// The NIP: the roster key, the token's `preferred_username`.
    pub nip: String,
    /// The name on the roster (the token's `name` when the roster has none), for display only.
    pub nama: Option<String>,
    /// The instansi id from the roster; the caller's own scope is `instansi:<instansi_id>`.
    pub instansi_id: String,
    /// The roles on the roster, as roster codes (`"operator_instansi"`, codes of `schemas/peran.json`).
    pub peran: Vec<String>,
    /// The permissions those roles give by the hub's copy of `schemas/peran.json` (`"instansi.baca"`,
    /// `"pegawai.ubah"`, …), sorted. Prefer these to a local reading of the roles, which may be older.
    pub izin: Vec<String>,
    /// Whether the caller reads every instansi's scope, not only its own.
    pub membaca_semua_instansi: bool,
}

/// What the transport knows about its hub session.
#[derive(Clone, Default)]
enum SessionState {
    /// None yet (or dropped after a 401).
    #[default]
    None,
    /// A live session: (bearer, expiry in ms since the Unix epoch, the access token it was exchanged for).
    Live(String, i64, String),
    /// The hub does not offer sessions: send the access token.
    Unsupported,
}

impl std::fmt::Debug for SessionState {
    /// Never the bearer nor the access token it was exchanged for.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionState::None => f.write_str("None"),
            SessionState::Live(_, expires, _) => write!(f, "Live([rahasia], expires_at_ms: {expires})"),
            SessionState::Unsupported => f.write_str("Unsupported"),
        }
    }
}

impl HttpTransport {
    /// A transport to the hub at `base` (`http://127.0.0.1:8780`, no trailing slash needed).
    ///
    /// # Errors
    /// When the HTTP client cannot be built (TLS backend failure).
    pub fn new(base: &str) -> Result<HttpTransport, reqwest::Error> {
        let client = reqwest::Client::builder().connect_timeout(Duration::from_secs(15)).build()?;
        Ok(HttpTransport {
            client,
            base: base.trim_end_matches('/').to_owned(),
            session: Arc::new(std::sync::Mutex::new(SessionState::None)),
            device: None,
        })
    }

    /// This transport naming the device of automerge `actor` (the one registered with
    /// [`HttpTransport::register_device`]) on every request, in the [`DEVICE_HEADER`] header.
    #[must_use]
    pub fn with_device(mut self, actor: &[u8]) -> HttpTransport {
        self.device = Some(hex(actor));
        self
    }

    /// `builder` with the [`DEVICE_HEADER`] header when the transport knows its device.
    fn named(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.device {
            Some(device) => builder.header(DEVICE_HEADER, device),
            None => builder,
        }
    }

    /// The bearer to send: a live session exchanged for `token`, a new one, or `token` itself.
    async fn bearer(&self, token: &str, watchdog: Duration) -> Result<String, TransportError> {
        let now = now_ms();
        match &*self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner) {
            SessionState::Live(session, expires, exchanged) if *expires > now + 60_000 && exchanged == token => {
                return Ok(session.clone());
            }
            SessionState::Unsupported => return Ok(token.to_owned()),
            _ => {}
        }
        let exchange = self
            .client
            .post(format!("{}/v1/session", self.base))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send();
        let response = match tokio::time::timeout(watchdog, exchange).await {
            Err(_) => return Err(TransportError::Stalled(watchdog)),
            Ok(Err(error)) => return Err(TransportError::Cut { reason: error.to_string(), partial: Vec::new() }),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let body = match tokio::time::timeout(watchdog, response.bytes()).await {
            Ok(Ok(body)) => body,
            Ok(Err(error)) => return Err(TransportError::Cut { reason: error.to_string(), partial: Vec::new() }),
            Err(_) => return Err(TransportError::Stalled(watchdog)),
        };
        let mut state = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match status {
            200 => {
                #[derive(serde::Deserialize)]
                struct Issued {
                    session: String,
                    expires_at_ms: i64,
                }
                match serde_json::from_slice::<Issued>(&body) {
                    Ok(issued) => {
                        *state = SessionState::Live(issued.session.clone(), issued.expires_at_ms, token.to_owned());
                        Ok(issued.session)
                    }
                    Err(_) => Ok(token.to_owned()),
                }
            }
            404 | 405 => {
                *state = SessionState::Unsupported;
                Ok(token.to_owned())
            }
            // A refused token is refused again on the real request, which reports it.
            _ => Ok(token.to_owned()),
        }
    }

    /// Forgets the session (after a 401 on it).
    fn drop_session(&self) -> bool {
        let mut state = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let had = matches!(*state, SessionState::Live(..));
        if had {
            *state = SessionState::None;
        }
        had
    }

    /// The hub's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Registers this device's automerge `actor` under `name` with the hub (`POST /v1/devices`), idempotent.
    ///
    /// # Errors
    /// The hub's refusal or the network's failure, as text.
    pub async fn register_device(&self, token: &str, actor: &[u8], name: &str) -> Result<(), String> {
        let body = serde_json::json!({ "actor_hex": hex(actor), "name": name });
        let response = self
            .named(self.client.post(format!("{}/v1/devices", self.base)))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|error| format!("hub tidak terjangkau: {error}"))?;
        if response.status().is_success() {
            return Ok(());
        }
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        Err(format!("hub menolak pendaftaran perangkat ({status}): {text}"))
    }

    /// Who the hub's roster says the holder of `token` is (`GET /v1/identitas`): NIP, name, instansi, roles and
    /// their permissions.
    ///
    /// # Errors
    /// The hub's refusal (its JSON error body, whose `code` is `device_revoked` for a revoked device) or the
    /// network's failure, as text.
    pub async fn identity(&self, token: &str) -> Result<Identitas, String> {
        let response = self
            .named(self.client.get(format!("{}/v1/identitas", self.base)))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|error| format!("hub tidak terjangkau: {error}"))?;
        let status = response.status();
        if status.is_success() {
            return response
                .json::<Identitas>()
                .await
                .map_err(|error| format!("jawaban identitas hub tidak sah: {error}"));
        }
        let text = response.text().await.unwrap_or_default();
        Err(format!("hub menolak permintaan identitas ({status}): {text}"))
    }
}

impl Transport for HttpTransport {
    fn send<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        self.send_limited(request, token, watchdog, crate::engine::MAX_BODY_BYTES)
    }

    fn send_limited<'a>(
        &'a self,
        request: &'a Request,
        token: &'a str,
        watchdog: Duration,
        max_body: u64,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        Box::pin(async move {
            let bearer = self.bearer(token, watchdog).await?;
            let response = self.exchange(request, &bearer, watchdog, max_body).await?;
            if response.status == 401 && bearer != token && self.drop_session() {
                // The hub forgot the session (restarted, or it expired early): exchange again, once.
                let bearer = self.bearer(token, watchdog).await?;
                return self.exchange(request, &bearer, watchdog, max_body).await;
            }
            Ok(response)
        })
    }
}

impl HttpTransport {
    /// One HTTP exchange with `bearer`, reading at most `max_body` bytes of the answer's body.
    async fn exchange(&self, request: &Request, bearer: &str, watchdog: Duration, max_body: u64) -> TransportResult {
        let url = format!("{}{}", self.base, request.path);
        let builder = match request.method {
            Method::Get => self.client.get(url),
            Method::Post => self
                .client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, crate::wire::MEDIA_TYPE)
                .body(request.body.clone()),
            // Raw blob chunks: not a wire message.
            Method::Put => self
                .client
                .put(url)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(request.body.clone()),
        }
        .bearer_auth(bearer)
        .header(reqwest::header::ACCEPT, crate::wire::MEDIA_TYPE);
        let mut builder = self.named(builder);
        if let Some(from) = request.range_from {
            builder = builder.header(reqwest::header::RANGE, format!("bytes={from}-"));
        }
        let mut response = match tokio::time::timeout(watchdog, builder.send()).await {
            Err(_) => return Err(TransportError::Stalled(watchdog)),
            Ok(Err(error)) => return Err(TransportError::Cut { reason: error.to_string(), partial: Vec::new() }),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        if response.content_length().is_some_and(|length| length > max_body) {
            return Err(TransportError::TooLarge(max_body));
        }
        // A 200 to a Range request is the resource from byte 0: what arrived of it replaces what was kept.
        let cut = |reason: String, body: Vec<u8>| match status {
            200 if request.range_from.is_some() => TransportError::CutFromStart { reason, partial: body },
            200 | 206 => TransportError::Cut { reason, partial: body },
            _ => TransportError::Cut { reason, partial: Vec::new() },
        };
        let mut body = Vec::new();
        loop {
            // The watchdog restarts with every piece that arrives: a slow but moving body is not cut.
            match tokio::time::timeout(watchdog, response.chunk()).await {
                Err(_) => return Err(cut("watchdog".into(), body)),
                Ok(Ok(Some(bytes))) => {
                    if body.len() as u64 + bytes.len() as u64 > max_body {
                        return Err(TransportError::TooLarge(max_body));
                    }
                    body.extend_from_slice(&bytes);
                }
                Ok(Ok(None)) => break,
                Ok(Err(error)) => return Err(cut(error.to_string(), body)),
            }
        }
        Ok(Response { status, body })
    }
}

/// Milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_millis() as i64)
}

/// How the driver waits and gives up.
#[derive(Debug, Clone)]
pub struct DriverOptions {
    /// A request with no bytes for this long is abandoned (the PouchDB stall lesson, sync.md §3).
    pub watchdog: Duration,
    /// First backoff delay after a failure.
    pub backoff_base: Duration,
    /// Longest backoff delay (sync.md §5.4: 5–10 min).
    pub backoff_cap: Duration,
    /// Failed attempts in a row after which [`run`] gives up (the next run starts over, nothing is lost).
    pub max_failures: u32,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            watchdog: Duration::from_secs(60),
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(300),
            max_failures: 8,
        }
    }
}

/// Capped exponential backoff with full jitter; [`Backoff::reset`] when the network answers again.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
    rng: fastrand::Rng,
}

impl Backoff {
    /// A backoff from `base` doubling up to `cap`.
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        Backoff { base, cap, failures: 0, rng: fastrand::Rng::new() }
    }

    /// The delay before the next attempt: uniformly random in [delay/2, delay], delay = min(cap, base·2^failures).
    pub fn next_delay(&mut self) -> Duration {
        let exponent = self.failures.min(20);
        self.failures = self.failures.saturating_add(1);
        let delay = self.base.saturating_mul(1u32 << exponent).min(self.cap);
        let millis = delay.as_millis() as u64;
        Duration::from_millis(millis / 2 + self.rng.u64(0..=millis / 2))
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The network answered: start again from `base`.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Progress of a run, for a progress bar: called after every exchange.
pub type Observer<'a> = &'a mut (dyn FnMut(&Summary) + Send);

/// Drives `engine` to the end of its run: sends each request through `transport`, retries cut or stalled
/// exchanges after a backoff (resuming where the engine stands), and stops on a decision of the hub.
///
/// # Errors
/// [`SyncError`] when the hub refuses, the replica fails, or `options.max_failures` exchanges in a row failed
/// (then as [`SyncError::Hub`] with status 0 and the last reason).
pub async fn run<L: Local>(
    engine: &mut Engine,
    local: &mut L,
    transport: &dyn Transport,
    token: &TokenSource,
    options: &DriverOptions,
    observer: Observer<'_>,
) -> Result<Summary, SyncError> {
    let mut backoff = Backoff::new(options.backoff_base, options.backoff_cap);
    loop {
        let request = match engine.poll(local)? {
            Step::Done => return Ok(engine.summary().clone()),
            Step::Send(request) => request,
        };
        let Some(token) = token() else {
            return Err(SyncError::Unauthorized { message: "belum masuk atau sesi habis".into() });
        };
        let limit = engine.body_limit();
        let failure = match transport.send_limited(&request, &token, options.watchdog, limit).await {
            Ok(Response { body, .. }) | Err(TransportError::Cut { partial: body, .. }) if body.len() as u64 > limit => {
                // A transport that does not bound bodies itself: refuse the answer all the same.
                engine.handle(local, Outcome::TooLarge { limit })?;
                observer(engine.summary());
                continue;
            }
            Err(TransportError::CutFromStart { partial, .. }) if partial.len() as u64 > limit => {
                engine.handle(local, Outcome::TooLarge { limit })?;
                observer(engine.summary());
                continue;
            }
            Err(TransportError::TooLarge(_)) => {
                // A decision about this answer (the blob is reported, or the run stops), not network trouble.
                engine.handle(local, Outcome::TooLarge { limit })?;
                observer(engine.summary());
                continue;
            }
            Ok(response) => {
                let status = response.status;
                match engine.handle(local, Outcome::Response(response)) {
                    Ok(()) => {
                        backoff.reset();
                        observer(engine.summary());
                        continue;
                    }
                    Err(error) if error.is_transient() => error.to_string(),
                    Err(error) => return Err(error),
                }
                .replace('\n', " ")
                    + &format!(" (status {status})")
            }
            Err(TransportError::Cut { reason, partial }) => {
                engine.handle(local, Outcome::Cut { partial, from_start: false })?;
                reason
            }
            Err(TransportError::CutFromStart { reason, partial }) => {
                engine.handle(local, Outcome::Cut { partial, from_start: true })?;
                reason
            }
            Err(error @ TransportError::Stalled(_)) => {
                engine.handle(local, Outcome::Cut { partial: Vec::new(), from_start: false })?;
                error.to_string()
            }
        };
        observer(engine.summary());
        if backoff.failures() + 1 >= options.max_failures {
            return Err(SyncError::Hub { status: 0, code: "unavailable".into(), message: failure });
        }
        tokio::time::sleep(backoff.next_delay()).await;
    }
}

/// Live mode: repeats runs of `scope` with long-polls until `stop` resolves; after a failed run it backs off
/// (capped, jittered) and resets when a run succeeds. Returns the last run's summary.
///
/// # Errors
/// A decision of the hub (401/403) or a replica failure ends live mode; network trouble does not.
pub async fn live<L: Local>(
    scope: &str,
    local: &mut L,
    transport: &dyn Transport,
    token: &TokenSource,
    options: &DriverOptions,
    mut stop: Pin<&mut (dyn Future<Output = ()> + Send)>,
    observer: Observer<'_>,
) -> Result<Summary, SyncError> {
    let mut backoff = Backoff::new(options.backoff_base, options.backoff_cap);
    let mut last = Summary::default();
    loop {
        let mut engine = Engine::live(scope, crate::engine::LIVE_WAIT_SECONDS);
        let result = tokio::select! {
            result = run(&mut engine, local, transport, token, options, observer) => result,
            () = &mut stop => return Ok(last),
        };
        let delay = match result {
            Ok(summary) => {
                last = summary;
                backoff.reset();
                continue;
            }
            Err(error) if error.is_transient() => backoff.next_delay(),
            Err(error) => return Err(error),
        };
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = &mut stop => return Ok(last),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_and_resets() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let delays: Vec<Duration> = (0..8).map(|_| backoff.next_delay()).collect();
        for (attempt, delay) in delays.iter().enumerate() {
            let full = Duration::from_millis(100).saturating_mul(1 << attempt).min(Duration::from_secs(2));
            assert!(
                *delay >= full / 2 && *delay <= full,
                "attempt {attempt}: {delay:?} not in [{:?}, {full:?}]",
                full / 2
            );
        }
        assert_eq!(backoff.failures(), 8);
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }

    #[test]
    fn the_identity_reads_the_hubs_json_and_ignores_members_added_later() {
        let json = r#"{"nip": "198703152010011003", "nama": null, "instansi_id": "A1", "peran": ["operator_instansi"],
            "izin": ["instansi.baca", "pegawai.ubah"], "membaca_semua_instansi": false, "baru_di_v1_1": 1}"#;
        let identitas: Identitas = serde_json::from_str(json).expect("the hub's answer");
        assert_eq!(identitas.nip, "198703152010011003");
        assert_eq!((identitas.nama, identitas.instansi_id.as_str()), (None, "A1"));
        assert_eq!((identitas.peran.len(), identitas.izin.len(), identitas.membaca_semua_instansi), (1, 2, false));
        assert!(serde_json::from_str::<Identitas>(r#"{"nip": "1"}"#).is_err(), "members are required");
    }

    #[test]
    fn a_transport_names_its_device_in_hex() {
        let transport = HttpTransport::new("http://127.0.0.1:1/").expect("a client");
        assert_eq!((transport.base(), transport.device.as_deref()), ("http://127.0.0.1:1", None));
        let named = transport.with_device(&[0x00, 0xab, 0x10]);
        assert_eq!(named.device.as_deref(), Some("00ab10"));
    }
}
