//! [`SiasnClient`]: HTTP to BKN's SI-ASN web service with its two tokens (siasn-api.md §1.2), for the pull and
//! the push of [`crate::siasn`].
//!
//! - **APIM token** (WSO2): client-credentials grant with the consumer key and secret as HTTP Basic auth, cached
//!   until shortly before `expires_in` runs out; sent as `Authorization: Bearer <token>`.
//! - **SSO token** (Keycloak realm `public-siasn`): pasted ([`SsoSource::Token`], the 2025 way: an operator signs in
//!   in a browser and copies the token) or by the password grant ([`SsoSource::Password`]); sent as
//!   `Auth: bearer <token>`. A pasted token's JWT `exp` is read without verifying the signature (the hub only needs
//!   to know when it stops working, [`SiasnClient::sso_kedaluwarsa`]); an expired one is refused before any call
//!   with [`SiasnError::SsoKedaluwarsa`], which says how to get a new one.
//! - **Load-balancer cookies** (§1.2.5): kept in a cookie store and sent back; dropped with the tokens after a 401.
//! - **401** (or a WSO2 token message, §1.2.6): the tokens are dropped, fetched again, and the request is retried
//!   once; a second refusal is reported ([`SiasnError::Otentikasi`]). Concurrent requests that hit the same stale
//!   token cause one refresh, not one each.
//! - **Transport errors and 5xx** on a GET (reset connection, timeout, a cut body, 502/503, 429): retried up to
//!   [`GET_ATTEMPTS`] times with capped, jittered exponential backoff, then reported. A **write** (`post_*`) is not
//!   retried once the request may have reached SI-ASN: a transport error after sending, a cut answer or a 5xx is
//!   [`SiasnError::HasilTidakDiketahui`], and the caller (the push) finds out what happened before sending again.
//!   A write that never left (connection refused) or was refused before processing (401, 429) is retried.
//! - **Limits**: at most `konkurensi` requests in flight (a semaphore), at most `per_detik` requests started per
//!   second (requests are spaced evenly), a per-request timeout covering the whole answer, and a counter of every
//!   HTTP request sent ([`SiasnClient::jumlah_permintaan`], token requests and retries included).
//!
//! What it does not do: decode SI-ASN's envelopes (`model::siasn::ws` does), decide what to fetch or send
//! ([`super::pull`], [`super::push`]), or log anything about the data (paths with NIPs at most, never bodies,
//! tokens or secrets; [`SiasnConfig`] and [`SsoSource`] print their secrets as `***`).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex, RwLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde_json::Value;
use tokio::sync::{Mutex, Semaphore};

use crate::core::HubError;

/// The path prefix of the main web service under the base URL (siasn-api.md §1.1, §1.3).
pub const WS_PREFIX: &str = "/apisiasn/1.0";

/// BKN's production base URL: the WSO2 gateway host with its HTTPS port (siasn-api.md §1.1).
pub const BASE_URL_BKN: &str = "https://apimws.bkn.go.id:8243";

/// BKN's production APIM token URL (siasn-api.md §1.1).
pub const APIM_TOKEN_URL_BKN: &str = "https://apimws.bkn.go.id/oauth2/token";

/// BKN's production SSO token URL, for the password grant (siasn-api.md §1.1).
pub const SSO_TOKEN_URL_BKN: &str =
    "https://sso-siasn.bkn.go.id/auth/realms/public-siasn/protocol/openid-connect/token";

/// How many times a GET is sent at most when the network or SI-ASN fails (transport errors, 5xx, 429).
pub const GET_ATTEMPTS: u32 = 4;

/// How many times a write is sent at most when it surely did not reach SI-ASN (connection refused, 429).
const WRITE_ATTEMPTS: u32 = 3;

/// The first backoff pause; it doubles per attempt up to [`BACKOFF_MAX`], with up to 50 % jitter added.
const BACKOFF_FIRST: Duration = Duration::from_millis(100);

/// The longest backoff pause.
const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// How long establishing a connection may take, within the per-request timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// The longest answer body read (32 MiB); a longer one is an error, not kept in memory.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Longest piece of an answer body quoted in an error message.
const EXCERPT: usize = 200;

/// How the hub reaches SI-ASN: hosts, credentials and limits (siasn-api.md §1.1, §1.2).
#[derive(Clone)]
pub struct SiasnConfig {
    /// The gateway host, e.g. [`BASE_URL_BKN`] or a simulator's `http://127.0.0.1:PORT`; the web service is
    /// `{base_url}/apisiasn/1.0`. No trailing slash needed.
    pub base_url: String,
    /// The APIM (WSO2) token URL, e.g. [`APIM_TOKEN_URL_BKN`].
    pub apim_token_url: String,
    /// The instansi's APIM consumer key.
    pub consumer_key: String,
    /// The instansi's APIM consumer secret (never printed).
    pub consumer_secret: String,
    /// Where the SSO token comes from.
    pub sso: SsoSource,
    /// Requests in flight at most (at least 1; 8 is a good value against BKN).
    pub konkurensi: usize,
    /// Requests started per second at most; `0` (or less) for no limit.
    pub per_detik: f64,
    /// The longest one request may take, answer body included.
    pub timeout: Duration,
}

impl fmt::Debug for SiasnConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SiasnConfig")
            .field("base_url", &self.base_url)
            .field("apim_token_url", &self.apim_token_url)
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"***")
            .field("sso", &self.sso)
            .field("konkurensi", &self.konkurensi)
            .field("per_detik", &self.per_detik)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Where the SSO token (the `Auth` header) comes from (siasn-api.md §1.2.2, §1.2.4).
#[derive(Clone)]
pub enum SsoSource {
    /// A token obtained elsewhere (an operator's browser login) and pasted: used until its `exp`.
    Token(String),
    /// The resource-owner password grant against Keycloak, fetched and refreshed by the client.
    Password {
        /// The token endpoint, e.g. [`SSO_TOKEN_URL_BKN`].
        token_url: String,
        /// The instansi's SSO client id.
        client_id: String,
        /// The operator's NIP.
        username: String,
        /// The operator's password (never printed).
        password: String,
    },
}

impl fmt::Debug for SsoSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SsoSource::Token(_) => f.write_str("Token(***)"),
            SsoSource::Password { token_url, client_id, username, .. } => f
                .debug_struct("Password")
                .field("token_url", token_url)
                .field("client_id", client_id)
                .field("username", username)
                .field("password", &"***")
                .finish(),
        }
    }
}

/// An answer of SI-ASN: any HTTP status that came back with its whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jawaban {
    /// The HTTP status.
    pub status: u16,
    /// The body as text (lossy UTF-8).
    pub body: String,
}

impl Jawaban {
    /// True for a 2xx status.
    pub fn sukses(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What went wrong talking to SI-ASN, or in the gateway's own storage. Messages are Bahasa Indonesia and say what
/// to do next; they never contain a token, a secret or a body with personal data (at most 200 characters of an
/// error answer, which SI-ASN fills with its own messages).
#[derive(Debug, thiserror::Error)]
pub enum SiasnError {
    /// The configuration cannot be used (an empty key, a bad URL).
    #[error("konfigurasi SI-ASN tidak sah: {0}; periksa bagian [siasn] konfigurasi hub")]
    Konfigurasi(String),
    /// The pasted SSO token expired: no request is sent.
    #[error(
        "token SSO SI-ASN sudah kedaluwarsa sejak {} UTC; masuk lagi ke SSO SIASN di browser, simpan token \
         barunya di berkas token SSO (siasn.sso_token_file) atau LURING_HUB_SIASN_SSO_TOKEN, lalu ulangi",
        sejak.format("%d-%m-%Y %H:%M")
    )]
    SsoKedaluwarsa {
        /// The token's `exp`.
        sejak: DateTime<Utc>,
    },
    /// The APIM token could not be obtained.
    #[error(
        "token APIM SI-ASN tidak dapat diambil dari {url} ({pesan}); periksa consumer key/secret instansi dan \
         jaringan, lalu ulangi"
    )]
    TokenApim {
        /// The token URL.
        url: String,
        /// What came back.
        pesan: String,
    },
    /// The SSO token could not be obtained by the password grant.
    #[error(
        "token SSO SI-ASN tidak dapat diambil dari {url} ({pesan}); periksa client id, NIP dan kata sandi operator, \
         atau tempel token SSO dari browser"
    )]
    TokenSso {
        /// The token URL.
        url: String,
        /// What came back.
        pesan: String,
    },
    /// SI-ASN refused the tokens again after they were renewed.
    #[error(
        "SI-ASN menolak token untuk {path} ({pesan}) walau token sudah diperbarui; periksa token SSO (mungkin \
         dicabut, kedaluwarsa, atau milik instansi lain) dan consumer key, lalu ulangi"
    )]
    Otentikasi {
        /// The request path.
        path: String,
        /// What came back.
        pesan: String,
    },
    /// The network failed on every attempt.
    #[error(
        "SI-ASN tidak dapat dihubungi untuk {path} setelah {percobaan} percobaan ({pesan}); periksa jaringan, lalu \
         ulangi (pekerjaan dilanjutkan dari yang belum selesai)"
    )]
    Jaringan {
        /// The request path.
        path: String,
        /// The last error.
        pesan: String,
        /// Attempts made.
        percobaan: u32,
    },
    /// SI-ASN answered with a server error on every attempt of a read.
    #[error(
        "SI-ASN menjawab {status} untuk {path} pada setiap percobaan ({pesan}); SI-ASN sedang bermasalah, ulangi nanti"
    )]
    Server {
        /// The request path.
        path: String,
        /// The last HTTP status.
        status: u16,
        /// The start of the last body.
        pesan: String,
    },
    /// SI-ASN answered, but not with something usable: a status other than 200/404 on a read, an error envelope,
    /// a body that is not JSON, a data utama it does not have or that names another NIP.
    #[error(
        "jawaban SI-ASN untuk {path} tidak dapat dipakai ({pesan}); data ini dicoba lagi pada penarikan berikutnya"
    )]
    Jawaban {
        /// The request path.
        path: String,
        /// What came back.
        pesan: String,
    },
    /// A write may or may not have been applied: the request was sent and no whole answer came back.
    #[error(
        "hasil pengiriman ke {path} tidak diketahui ({pesan}): data mungkin sudah tersimpan di SI-ASN; periksa \
         riwayatnya di SI-ASN sebelum mengirim lagi (`luring-hub siasn push` memeriksanya sendiri)"
    )]
    HasilTidakDiketahui {
        /// The request path.
        path: String,
        /// What happened.
        pesan: String,
    },
    /// The first NIPs of a pull all belong to another instansi than the one asked for: the id is most likely wrong.
    #[error(
        "data utama {nip} NIP pertama dari SI-ASN milik instansi {milik}, bukan instansi {instansi} yang diminta; \
         periksa --instansi (id instansi SI-ASN, instansiIndukId), lalu ulangi (NIP itu tidak diimpor)"
    )]
    InstansiLain {
        /// The instansi asked for.
        instansi: String,
        /// The instansi the data utama named (the last one seen).
        milik: String,
        /// How many NIPs named another instansi.
        nip: usize,
    },
    /// Another pull or push of SI-ASN holds the data folder's job lock.
    #[error("pekerjaan SI-ASN lain (pull atau push) sedang berjalan ({0}); tunggu sampai selesai, lalu ulangi")]
    SedangBerjalan(String),
    /// The gateway's own file (`siasn.sqlite`) failed.
    #[error("penyimpanan SI-ASN hub (siasn.sqlite) gagal: {0}; periksa izin dan ruang disk folder data hub")]
    Penyimpanan(String),
    /// The hub's storage refused or failed.
    #[error("{0}")]
    Hub(#[from] HubError),
}

impl From<rusqlite::Error> for SiasnError {
    fn from(error: rusqlite::Error) -> Self {
        SiasnError::Penyimpanan(error.to_string())
    }
}

/// The `exp` claim of a JWT, read without verifying anything; `None` when `token` is not a JWT with a numeric
/// `exp`.
pub fn jwt_kedaluwarsa(token: &str) -> Option<DateTime<Utc>> {
    let payload = token.trim().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let exp = match claims.get("exp")? {
        Value::Number(number) => number.as_i64().or_else(|| number.as_f64().map(|f| f as i64))?,
        Value::String(text) => text.trim().parse().ok()?,
        _ => return None,
    };
    DateTime::from_timestamp(exp, 0)
}

/// The HTTP client of the SI-ASN web service. Cheap to clone (shared state inside); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct SiasnClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: SiasnConfig,
    /// The web service's URL prefix, `{base_url}/apisiasn/1.0`.
    ws: String,
    cookies: Arc<LoadBalancerCookies>,
    /// Held while tokens are read or fetched: one refresh at a time.
    tokens: Mutex<Tokens>,
    permits: Semaphore,
    rate: Rate,
    requests: AtomicU64,
    /// The pasted SSO token's `exp`, or the last fetched one's.
    sso_exp: StdMutex<Option<DateTime<Utc>>>,
}

/// The cached tokens.
#[derive(Debug, Default)]
struct Tokens {
    apim: Option<Cached>,
    sso: Option<Cached>,
    /// Bumped each time the tokens are dropped, so concurrent 401s on the same tokens drop them once.
    generation: u64,
}

#[derive(Debug, Clone)]
struct Cached {
    value: String,
    /// When to fetch a new one; `None`: until refused.
    refresh_at: Option<Instant>,
}

impl Cached {
    fn fresh(&self) -> bool {
        self.refresh_at.is_none_or(|at| Instant::now() < at)
    }
}

/// The tokens one request is sent with.
#[derive(Debug, Clone)]
struct Credentials {
    apim: String,
    sso: String,
    generation: u64,
}

/// The body of a request, rebuilt for each attempt.
#[derive(Debug, Clone, Copy)]
enum Body<'a> {
    None,
    Json(&'a Value),
    Multipart { fields: &'a [(&'a str, String)], file_name: &'a str, mime: &'a str, bytes: &'a [u8] },
}

/// Requests spaced evenly: at most `per_detik` started per second.
#[derive(Debug)]
struct Rate {
    interval: Option<Duration>,
    next: StdMutex<Instant>,
}

impl Rate {
    fn new(per_detik: f64) -> Self {
        let interval = (per_detik.is_finite() && per_detik > 0.0).then(|| Duration::from_secs_f64(1.0 / per_detik));
        Rate { interval, next: StdMutex::new(Instant::now()) }
    }

    async fn wait(&self) {
        let Some(interval) = self.interval else { return };
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

/// The cookie store: reqwest's jar, replaced by an empty one when the tokens are dropped (as S7 clears its
/// `Cookie` header with them, siasn-api.md §1.2.5).
#[derive(Debug, Default)]
struct LoadBalancerCookies {
    jar: RwLock<Arc<reqwest::cookie::Jar>>,
}

impl LoadBalancerCookies {
    fn jar(&self) -> Arc<reqwest::cookie::Jar> {
        self.jar.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn clear(&self) {
        *self.jar.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::default();
    }
}

impl reqwest::cookie::CookieStore for LoadBalancerCookies {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &reqwest::Url) {
        self.jar().set_cookies(cookie_headers, url);
    }

    fn cookies(&self, url: &reqwest::Url) -> Option<HeaderValue> {
        self.jar().cookies(url)
    }
}

/// What one attempt gave.
enum Attempt {
    /// A whole answer.
    Answer(Jawaban),
    /// No whole answer. `sent`: the request may have reached the server.
    Failed { pesan: String, sent: bool },
    /// An answer longer than [`MAX_BODY`]: not read further.
    TooLarge { status: u16 },
}

impl SiasnClient {
    /// A client for `config`. No request is made yet.
    ///
    /// # Errors
    /// [`SiasnError::Konfigurasi`] for an empty base URL, token URL, key or secret, a base URL that is not
    /// `http(s)://`, or an HTTP client that cannot be built.
    pub fn new(config: SiasnConfig) -> Result<Self, SiasnError> {
        let base = config.base_url.trim().trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(SiasnError::Konfigurasi(format!(
                "base_url `{base}` harus diawali https:// (mis. {BASE_URL_BKN})"
            )));
        }
        for (key, value) in [
            ("apim_token_url", &config.apim_token_url),
            ("consumer_key", &config.consumer_key),
            ("consumer_secret", &config.consumer_secret),
        ] {
            if value.trim().is_empty() {
                return Err(SiasnError::Konfigurasi(format!("{key} kosong")));
            }
        }
        let sso_exp = match &config.sso {
            SsoSource::Token(token) if token.trim().is_empty() => {
                return Err(SiasnError::Konfigurasi("token SSO kosong".to_owned()));
            }
            SsoSource::Token(token) => jwt_kedaluwarsa(token),
            SsoSource::Password { token_url, username, .. } => {
                if token_url.trim().is_empty() || username.trim().is_empty() {
                    return Err(SiasnError::Konfigurasi("sso_token_url dan sso_username wajib diisi".to_owned()));
                }
                None
            }
        };
        let cookies = Arc::new(LoadBalancerCookies::default());
        let http = reqwest::Client::builder()
            .cookie_provider(cookies.clone())
            .connect_timeout(CONNECT_TIMEOUT.min(config.timeout.max(Duration::from_millis(1))))
            .user_agent(concat!("siasn-luring-hub/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| SiasnError::Konfigurasi(format!("klien HTTP tidak dapat dibuat: {error}")))?;
        let tokens = match &config.sso {
            SsoSource::Token(token) => {
                Tokens { sso: Some(Cached { value: token.trim().to_owned(), refresh_at: None }), ..Tokens::default() }
            }
            SsoSource::Password { .. } => Tokens::default(),
        };
        let ws = format!("{base}{WS_PREFIX}");
        Ok(SiasnClient {
            inner: Arc::new(Inner {
                http,
                permits: Semaphore::new(config.konkurensi.max(1)),
                rate: Rate::new(config.per_detik),
                config,
                ws,
                cookies,
                tokens: Mutex::new(tokens),
                requests: AtomicU64::new(0),
                sso_exp: StdMutex::new(sso_exp),
            }),
        })
    }

    /// GET `{base}/apisiasn/1.0{path}` with `query`, e.g. `get("/pns/rw-jabatan/198501012010011001", &[])`.
    ///
    /// Returns any status that came with a whole body (404 `code 0` included: "nothing here" is an answer).
    ///
    /// # Errors
    /// [`SiasnError::SsoKedaluwarsa`] before sending with an expired pasted token; [`SiasnError::TokenApim`] /
    /// [`SiasnError::TokenSso`] when a token cannot be fetched; [`SiasnError::Otentikasi`] on a 401 after the
    /// refresh; [`SiasnError::Jaringan`] or [`SiasnError::Server`] after [`GET_ATTEMPTS`] failed attempts.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Jawaban, SiasnError> {
        self.send(reqwest::Method::GET, path, query, Body::None).await
    }

    /// POST a JSON body to `{base}/apisiasn/1.0{path}` (a `*/save` endpoint, siasn-api.md §1.4).
    ///
    /// # Errors
    /// As [`SiasnClient::get`], except that a request that may have reached SI-ASN without a whole answer coming
    /// back (a transport error after sending, a cut answer, a 5xx) is [`SiasnError::HasilTidakDiketahui`] and is
    /// not retried.
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Jawaban, SiasnError> {
        self.send(reqwest::Method::POST, path, &[], Body::Json(body)).await
    }

    /// POST a multipart form to `{base}/apisiasn/1.0{path}`: the text `fields` and one part `file` named
    /// `file_name` of type `mime` (e.g. `/upload-dok-rw` with `id_riwayat` and `id_ref_dokumen`, §1.3).
    ///
    /// # Errors
    /// As [`SiasnClient::post_json`]; [`SiasnError::Konfigurasi`] for an invalid `mime`.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, String)],
        file_name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> Result<Jawaban, SiasnError> {
        if mime.parse::<reqwest::header::HeaderValue>().is_err() || !mime.contains('/') {
            return Err(SiasnError::Konfigurasi(format!("jenis berkas `{mime}` tidak sah")));
        }
        self.send(reqwest::Method::POST, path, &[], Body::Multipart { fields, file_name, mime, bytes: &bytes }).await
    }

    /// When the SSO token stops working: a pasted token's JWT `exp`, or the last fetched one's; `None` when not
    /// known (a pasted token that is not a JWT, or none fetched yet).
    pub fn sso_kedaluwarsa(&self) -> Option<DateTime<Utc>> {
        *self.inner.sso_exp.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every HTTP request sent so far (token requests and retries included).
    pub fn jumlah_permintaan(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    /// The configured number of requests in flight.
    pub fn konkurensi(&self) -> usize {
        self.inner.config.konkurensi.max(1)
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<Jawaban, SiasnError> {
        let read = method == reqwest::Method::GET;
        let url = format!("{}/{}", self.inner.ws, path.trim_start_matches('/'));
        let attempts = if read { GET_ATTEMPTS } else { WRITE_ATTEMPTS };
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            let credentials = self.credentials().await?;
            let result = self.attempt(&method, &url, query, body, &credentials).await;
            let retry = attempt < attempts;
            match result {
                Attempt::Answer(answer) if token_refused(&answer) => {
                    if renewed {
                        return Err(SiasnError::Otentikasi { path: path.to_owned(), pesan: describe(&answer) });
                    }
                    renewed = true;
                    // A refused token is not a failed attempt: the request did not reach the service.
                    attempt -= 1;
                    tracing::debug!(path, status = answer.status, "token SI-ASN ditolak; token diperbarui");
                    self.drop_tokens(credentials.generation).await;
                }
                Attempt::Answer(answer) if answer.status == 429 && retry => self.backoff(attempt).await,
                Attempt::Answer(answer) if answer.status >= 500 && read => {
                    if !retry {
                        return Err(SiasnError::Server {
                            path: path.to_owned(),
                            status: answer.status,
                            pesan: excerpt(&answer.body),
                        });
                    }
                    tracing::debug!(path, status = answer.status, attempt, "SI-ASN menjawab galat server; diulang");
                    self.backoff(attempt).await;
                }
                Attempt::Answer(answer) if answer.status >= 500 => {
                    return Err(SiasnError::HasilTidakDiketahui { path: path.to_owned(), pesan: describe(&answer) });
                }
                Attempt::Answer(answer) => return Ok(answer),
                Attempt::TooLarge { status } => {
                    let pesan = format!("jawaban HTTP {status} terlalu besar (lebih dari {} MiB)", MAX_BODY >> 20);
                    if read {
                        return Err(SiasnError::Jawaban { path: path.to_owned(), pesan });
                    }
                    // The write reached SI-ASN and was answered: whether it applied is not known.
                    return Err(SiasnError::HasilTidakDiketahui { path: path.to_owned(), pesan });
                }
                Attempt::Failed { pesan, sent } => {
                    if !read && sent {
                        return Err(SiasnError::HasilTidakDiketahui { path: path.to_owned(), pesan });
                    }
                    if !retry {
                        return Err(SiasnError::Jaringan { path: path.to_owned(), pesan, percobaan: attempt });
                    }
                    tracing::debug!(path, attempt, error = %pesan, "permintaan SI-ASN gagal; diulang");
                    self.backoff(attempt).await;
                }
            }
        }
    }

    /// One HTTP exchange within the concurrency and rate limits.
    async fn attempt(
        &self,
        method: &reqwest::Method,
        url: &str,
        query: &[(&str, &str)],
        body: Body<'_>,
        credentials: &Credentials,
    ) -> Attempt {
        let inner = &self.inner;
        let Ok(_permit) = inner.permits.acquire().await else {
            return Attempt::Failed { pesan: "klien SI-ASN ditutup".to_owned(), sent: false };
        };
        inner.rate.wait().await;
        let mut request = inner
            .http
            .request(method.clone(), url)
            .timeout(inner.config.timeout)
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, format!("Bearer {}", credentials.apim))
            .header("Auth", format!("bearer {}", credentials.sso));
        if !query.is_empty() {
            request = request.query(query);
        }
        request = match body {
            Body::None => request,
            Body::Json(value) => request.json(value),
            Body::Multipart { fields, file_name, mime, bytes } => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    form = form.text((*name).to_owned(), value.clone());
                }
                let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_owned());
                let part = match part.mime_str(mime) {
                    Ok(part) => part,
                    Err(error) => return Attempt::Failed { pesan: format!("jenis berkas: {error}"), sent: false },
                };
                request.multipart(form.part("file", part))
            }
        };
        inner.requests.fetch_add(1, Ordering::Relaxed);
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return Attempt::Failed { pesan: transport_text(&error), sent: !error.is_connect() },
        };
        let status = response.status().as_u16();
        match read_body(response, MAX_BODY).await {
            Ok(Some(bytes)) => Attempt::Answer(Jawaban { status, body: String::from_utf8_lossy(&bytes).into_owned() }),
            Ok(None) => Attempt::TooLarge { status },
            Err(error) => {
                Attempt::Failed { pesan: format!("jawaban {status} terputus: {}", transport_text(&error)), sent: true }
            }
        }
    }

    /// The tokens to send, fetching the missing or stale ones (one fetch at a time).
    async fn credentials(&self) -> Result<Credentials, SiasnError> {
        let inner = &self.inner;
        let mut tokens = inner.tokens.lock().await;
        if let SsoSource::Token(_) = &inner.config.sso
            && let Some(exp) = self.sso_kedaluwarsa()
            && exp <= Utc::now()
        {
            return Err(SiasnError::SsoKedaluwarsa { sejak: exp });
        }
        let apim = match tokens.apim.as_ref().filter(|token| token.fresh()) {
            Some(token) => token.value.clone(),
            None => {
                let fetched = self.fetch_apim().await?;
                let value = fetched.value.clone();
                tokens.apim = Some(fetched);
                value
            }
        };
        let sso = match tokens.sso.as_ref().filter(|token| token.fresh()) {
            Some(token) => token.value.clone(),
            None => match &inner.config.sso {
                SsoSource::Token(token) => {
                    let cached = Cached { value: token.trim().to_owned(), refresh_at: None };
                    tokens.sso = Some(cached);
                    token.trim().to_owned()
                }
                SsoSource::Password { token_url, client_id, username, password } => {
                    let form = [
                        ("grant_type", "password"),
                        ("client_id", client_id.as_str()),
                        ("username", username.as_str()),
                        ("password", password.as_str()),
                    ];
                    let request = inner.http.post(token_url).form(&form);
                    let (value, expires_in) = self
                        .fetch_token(request)
                        .await
                        .map_err(|pesan| SiasnError::TokenSso { url: token_url.clone(), pesan })?;
                    let exp = jwt_kedaluwarsa(&value).or_else(|| {
                        expires_in.and_then(|d| Utc::now().checked_add_signed(chrono::Duration::from_std(d).ok()?))
                    });
                    *inner.sso_exp.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = exp;
                    let until_exp = exp.and_then(|exp| (exp - Utc::now()).to_std().ok());
                    let refresh_at = until_exp.or(expires_in).map(refresh_instant);
                    tokens.sso = Some(Cached { value: value.clone(), refresh_at });
                    value
                }
            },
        };
        Ok(Credentials { apim, sso, generation: tokens.generation })
    }

    async fn fetch_apim(&self) -> Result<Cached, SiasnError> {
        let config = &self.inner.config;
        let request = self
            .inner
            .http
            .post(&config.apim_token_url)
            .basic_auth(&config.consumer_key, Some(&config.consumer_secret))
            .form(&[("grant_type", "client_credentials")]);
        let (value, expires_in) = self
            .fetch_token(request)
            .await
            .map_err(|pesan| SiasnError::TokenApim { url: config.apim_token_url.clone(), pesan })?;
        // S2 and S7 keep it an hour when the answer does not say.
        let lifetime = expires_in.unwrap_or(Duration::from_secs(3600));
        Ok(Cached { value, refresh_at: Some(refresh_instant(lifetime)) })
    }

    /// One token request, retried like a GET on transport errors and 5xx: the access token and `expires_in`.
    async fn fetch_token(&self, request: reqwest::RequestBuilder) -> Result<(String, Option<Duration>), String> {
        let mut last = String::new();
        for attempt in 1..=GET_ATTEMPTS {
            let Some(request) = request.try_clone() else { return Err("permintaan token tidak dapat diulang".into()) };
            self.inner.rate.wait().await;
            self.inner.requests.fetch_add(1, Ordering::Relaxed);
            let result = request.timeout(self.inner.config.timeout).header(ACCEPT, "application/json").send().await;
            let answer = match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    match read_body(response, MAX_BODY).await {
                        Ok(Some(bytes)) => Ok((status, bytes)),
                        Ok(None) => return Err(format!("jawaban token HTTP {status} terlalu besar")),
                        Err(error) => Err(transport_text(&error)),
                    }
                }
                Err(error) => Err(transport_text(&error)),
            };
            match answer {
                Ok((status, bytes)) if (200..300).contains(&status) => return parse_token(&bytes),
                Ok((status, bytes)) if status >= 500 || status == 429 => {
                    last = format!("HTTP {status}: {}", excerpt(&String::from_utf8_lossy(&bytes)));
                }
                Ok((status, bytes)) => {
                    return Err(format!("HTTP {status}: {}", excerpt(&String::from_utf8_lossy(&bytes))));
                }
                Err(error) => last = error,
            }
            if attempt < GET_ATTEMPTS {
                self.backoff(attempt).await;
            }
        }
        Err(format!("{last} (setelah {GET_ATTEMPTS} percobaan)"))
    }

    /// Drops the tokens the refused request used (unless another task already did) and the cookies.
    async fn drop_tokens(&self, generation: u64) {
        let mut tokens = self.inner.tokens.lock().await;
        if tokens.generation != generation {
            return;
        }
        tokens.generation += 1;
        tokens.apim = None;
        if let SsoSource::Password { .. } = self.inner.config.sso {
            tokens.sso = None;
        }
        self.inner.cookies.clear();
    }

    async fn backoff(&self, attempt: u32) {
        let doubled = BACKOFF_FIRST.saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let pause = doubled.min(BACKOFF_MAX);
        let jitter = pause.mul_f64(fastrand::f64() * 0.5);
        tokio::time::sleep(pause + jitter).await;
    }
}

/// Reads an answer's body up to `max` bytes; `None` when it is longer (announced or sent).
async fn read_body(mut response: reqwest::Response, max: usize) -> Result<Option<Vec<u8>>, reqwest::Error> {
    if response.content_length().is_some_and(|length| length > max as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// When to fetch a token that lives `lifetime`: a minute before it ends, or at 90 % of a short life.
fn refresh_instant(lifetime: Duration) -> Instant {
    let early = lifetime.saturating_sub(Duration::from_secs(60)).max(lifetime.mul_f64(0.9));
    Instant::now() + early
}

/// Reads an OAuth2 token answer: `access_token` and `expires_in` (a number or a numeric string).
fn parse_token(bytes: &[u8]) -> Result<(String, Option<Duration>), String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|_| "jawaban token bukan JSON".to_owned())?;
    let token = value
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|token| !token.trim().is_empty())
        .ok_or_else(|| "jawaban token tanpa access_token".to_owned())?;
    let expires_in = match value.get("expires_in") {
        Some(Value::Number(number)) => number.as_f64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    };
    let expires_in = expires_in.filter(|secs| secs.is_finite() && *secs > 0.0).map(Duration::from_secs_f64);
    Ok((token.trim().to_owned(), expires_in))
}

/// True when SI-ASN refused the tokens: a 401, or a WSO2/SSO token message on an error status (siasn-api.md
/// §1.2.6).
fn token_refused(answer: &Jawaban) -> bool {
    if answer.status == 401 {
        return true;
    }
    if answer.status < 400 {
        return false;
    }
    let body = answer.body.to_lowercase();
    ["invalid or expired jwt", "token sso mismatch", "invalid credentials"].iter().any(|marker| body.contains(marker))
}

/// The status and the start of the body, for an error message.
fn describe(answer: &Jawaban) -> String {
    let body = excerpt(&answer.body);
    if body.is_empty() { format!("HTTP {}", answer.status) } else { format!("HTTP {}: {body}", answer.status) }
}

/// The first [`EXCERPT`] characters of a body, on one line.
fn excerpt(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(EXCERPT).collect()
}

/// A transport error in words, without the URL (which reqwest includes and the caller already names).
fn transport_text(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "waktu habis"
    } else if error.is_connect() {
        "koneksi gagal"
    } else if error.is_body() || error.is_decode() {
        "jawaban terputus"
    } else {
        "galat jaringan"
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    let mut detail = None;
    // The innermost cause says the most (connection reset, refused); bounded by the chain's length.
    for _ in 0..8 {
        let Some(cause) = source else { break };
        detail = Some(cause.to_string());
        source = cause.source();
    }
    match detail {
        Some(detail) => format!("{kind}: {detail}"),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests;
