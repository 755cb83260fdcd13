//! Who is calling: validation of the OpenID provider's access tokens that desktops send as
//! `Authorization: Bearer …` (DESIGN §6, `../shared/reference/sso.md` §3.2).
//!
//! A [`TokenVerifier`] is built from the issuer URL (BKN's Keycloak realm, or the local test IdP in
//! `tools/idp/`) and the desktop's client id. It finds the JWKS through OIDC discovery, caches the keys, refetches
//! them when a token names an unknown `kid` (key rotation; at most once per [`DEFAULT_REFETCH_INTERVAL`]) or when
//! the cache is older than [`DEFAULT_MAX_KEY_AGE`], and checks each token: RS256 only (never the algorithm the
//! header asks for), the signature, `iss` exactly, `exp` (and `nbf`) with [`DEFAULT_LEEWAY`], that it is an access
//! token and not an ID or refresh token, `azp` = our client id, and `aud` when an audience is configured.
//! The answer is a [`VerifiedToken`]: the subject, the NIP (`preferred_username`) and the name.
//!
//! What it deliberately does not do:
//! - authorize. Instansi and role come from the hub's own roster, looked up by NIP, never from token claims
//!   (claims go stale when an officer is transferred; BKN may not send them at all);
//! - call the provider per request (no introspection, no userinfo): a revoked but unexpired access token is
//!   accepted until its `exp`, which is why access tokens live minutes;
//! - know about HTTP frameworks: [`bearer_token`] takes the header value as a `&str`;
//! - log or keep tokens. Errors name what was wrong, never the token.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use model::id::Nip;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::{Mutex, RwLock};

/// Clock skew tolerated on `exp` and `nbf` (sso.md §3.2: 30–60 s).
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(30);

/// Least time between two JWKS fetches: a stream of tokens with made-up `kid`s cannot make the hub hammer the
/// provider.
pub const DEFAULT_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// Keys older than this are fetched again before use, so a key the provider withdrew stops being accepted.
/// If that fetch fails, the cached keys keep working.
pub const DEFAULT_MAX_KEY_AGE: Duration = Duration::from_secs(60 * 60);

/// Time limit of one request to the provider (discovery or JWKS).
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest discovery document or JWKS accepted; real ones are a few KiB.
const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// Why a request's caller could not be identified.
///
/// [`AuthError::is_provider_problem`] separates "the caller's token is not acceptable" (answer 401) from "the hub
/// cannot check tokens right now or is misconfigured" (answer 503 and alert an admin).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The request has no `Authorization` header.
    #[error(
        "permintaan tidak membawa header Authorization: masuk (login) lewat aplikasi, lalu kirim \
         `Authorization: Bearer <access token>`"
    )]
    MissingAuthorization,

    /// The `Authorization` header is not `Bearer <token>`.
    #[error("header Authorization tidak sah: {problem}; bentuk yang benar `Bearer <access token>`")]
    MalformedAuthorization {
        /// What is wrong with it (never its content).
        problem: &'static str,
    },

    /// The bearer value is not a readable JWT (an opaque refresh token, garbage, a truncated copy).
    #[error("token tidak dapat dibaca sebagai JWT ({problem}); kirim access token dari SSO, bukan refresh token")]
    MalformedToken {
        /// Which part could not be read.
        problem: String,
    },

    /// The token's header names an algorithm other than RS256.
    #[error("token ditandatangani dengan algoritme {alg}, padahal hub hanya menerima RS256")]
    AlgorithmNotAllowed {
        /// The `alg` of the token's header.
        alg: String,
    },

    /// The token's header has no `kid`, so no key can be chosen.
    #[error("header token tidak menyebut kunci penanda tangan (kid)")]
    MissingKeyId,

    /// No key with this `kid` in the provider's JWKS (as last fetched; a refetch is rate limited).
    #[error("kunci penanda tangan token (kid {kid}) tidak dikenal: tidak ada di JWKS penerbit yang terakhir diambil")]
    UnknownKey {
        /// The `kid` of the token's header.
        kid: String,
    },

    /// The signature does not match the key: the token was altered or comes from someone else.
    #[error("tanda tangan token tidak cocok: token telah diubah atau tidak diterbitkan oleh penerbit ini")]
    BadSignature,

    /// A required claim is absent or empty.
    #[error("token tidak memuat klaim wajib `{claim}`")]
    MissingClaim {
        /// The claim's name.
        claim: String,
    },

    /// The token's `iss` is not the configured issuer.
    #[error("token diterbitkan oleh {found}, bukan oleh penerbit yang dipercaya hub ({expected})")]
    WrongIssuer {
        /// The configured issuer.
        expected: String,
        /// The token's `iss`.
        found: String,
    },

    /// The token's `exp` has passed (beyond the leeway).
    #[error(
        "token sudah kedaluwarsa sejak {} UTC; perbarui token (refresh) lalu coba lagi",
        expired_at.format("%d-%m-%Y %H:%M:%S")
    )]
    Expired {
        /// The token's `exp`.
        expired_at: DateTime<Utc>,
    },

    /// The token's `nbf` is still in the future (beyond the leeway).
    #[error("token baru berlaku mulai {} UTC; periksa jam komputer", valid_from.format("%d-%m-%Y %H:%M:%S"))]
    NotYetValid {
        /// The token's `nbf`.
        valid_from: DateTime<Utc>,
    },

    /// The token is an ID token, refresh token or other JWT, not an access token.
    #[error("token ini bukan access token ({found}); ID token dan refresh token tidak boleh dipakai sebagai Bearer")]
    NotAnAccessToken {
        /// What marks it as something else.
        found: String,
    },

    /// The token was issued to another application (`azp`).
    #[error("token diterbitkan untuk aplikasi {}, bukan untuk {expected}", found.as_deref().unwrap_or("(tanpa azp)"))]
    WrongClient {
        /// The configured client id.
        expected: String,
        /// The token's `azp`, if any.
        found: Option<String>,
    },

    /// The token's `aud` does not include the configured audience.
    #[error("token tidak ditujukan untuk {expected} (aud token: {})", display_list(found))]
    WrongAudience {
        /// The configured audience.
        expected: String,
        /// The token's `aud` values.
        found: Vec<String>,
    },

    /// Discovery or the JWKS could not be fetched or read.
    #[error("penyedia SSO tidak dapat dihubungi atau jawabannya tidak sah: {reason}")]
    ProviderUnavailable {
        /// What failed, with the URL.
        reason: String,
    },

    /// The discovery document names another issuer than the configured one (OIDC Discovery §4.3).
    #[error("discovery penyedia SSO menyebut issuer {found}, bukan {expected}; periksa konfigurasi issuer hub")]
    ProviderMismatch {
        /// The configured issuer.
        expected: String,
        /// The discovery document's `issuer`.
        found: String,
    },

    /// The verifier's configuration is unusable (issuer URL, client id).
    #[error("konfigurasi verifikasi token tidak sah: {problem}")]
    InvalidConfiguration {
        /// What is wrong.
        problem: String,
    },
}

impl AuthError {
    /// True when the fault is the provider's or the hub's configuration, not the caller's token: answer 503
    /// (and tell an admin) rather than 401.
    pub fn is_provider_problem(&self) -> bool {
        matches!(
            self,
            Self::ProviderUnavailable { .. } | Self::ProviderMismatch { .. } | Self::InvalidConfiguration { .. }
        )
    }
}

fn display_list(values: &[String]) -> String {
    if values.is_empty() { "(tidak ada)".to_owned() } else { values.join(", ") }
}

/// The bearer token of an `Authorization` header value: `Bearer <token>`, the scheme in any case (RFC 7235 §2.1).
///
/// `None` means the header is absent. A header value that is not visible ASCII (`HeaderValue::to_str` fails)
/// should be passed as `Some("")`: it is malformed, not missing.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str, AuthError> {
    let malformed = |problem| AuthError::MalformedAuthorization { problem };
    let value = authorization.ok_or(AuthError::MissingAuthorization)?.trim();
    if value.is_empty() {
        return Err(malformed("nilainya kosong"));
    }
    let (scheme, token) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(malformed("skemanya bukan Bearer"));
    }
    let token = token.trim_start_matches([' ', '\t']);
    if token.is_empty() {
        return Err(malformed("tidak ada token sesudah `Bearer`"));
    }
    // RFC 6750 §2.1 b64token: letters, digits, `-._~+/`, then optional `=` padding.
    let body = token.trim_end_matches('=');
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)) {
        return Err(malformed("token berisi karakter yang tidak boleh (spasi, koma, atau lainnya)"));
    }
    Ok(token)
}

/// A token that passed every check, and what the hub needs from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// `sub`: the provider's stable id of the person (a UUID at Keycloak). Compare it across logins.
    pub sub: String,
    /// `preferred_username`, exactly as sent: the officer's NIP at BKN's SSO. The roster maps it to instansi
    /// and role.
    pub nip: Nip,
    /// `name`, for display and audit logs.
    pub name: Option<String>,
    /// `exp`.
    pub expires_at: DateTime<Utc>,
    /// `scope`, split on spaces.
    pub scopes: Vec<String>,
    /// `jti`, for audit logs.
    pub token_id: Option<String>,
}

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Checks access tokens of one issuer for one client; share one per hub (it holds the JWKS cache).
///
/// Building it does no IO: discovery and the first JWKS fetch happen on the first [`TokenVerifier::verify`]
/// (or [`TokenVerifier::prefetch`]), so the hub starts even while the provider is unreachable.
pub struct TokenVerifier {
    issuer: String,
    client_id: String,
    audience: Option<String>,
    leeway: Duration,
    refetch_interval: Duration,
    max_key_age: Duration,
    clock: Clock,
    http: reqwest::Client,
    keys: RwLock<KeyCache>,
    fetcher: Mutex<FetchState>,
    jwks_fetches: AtomicU64,
}

/// The verification keys by `kid`, and when they were fetched.
#[derive(Default)]
struct KeyCache {
    by_kid: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

/// Serializes fetches (one at a time) and remembers what rate limiting needs.
#[derive(Default)]
struct FetchState {
    jwks_uri: Option<String>,
    last_attempt: Option<Instant>,
}

impl fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("audience", &self.audience)
            .field("leeway", &self.leeway)
            .field("refetch_interval", &self.refetch_interval)
            .field("max_key_age", &self.max_key_age)
            .field("jwks_fetches", &self.jwks_fetch_count())
            .finish_non_exhaustive()
    }
}

impl TokenVerifier {
    /// A verifier for access tokens of `issuer` (exactly as the provider writes it in `iss`, e.g.
    /// `https://sso-siasn.bkn.go.id/auth/realms/public-siasn`) issued to the desktop client `client_id` (`azp`).
    pub fn new(issuer: &str, client_id: &str) -> Result<Self, AuthError> {
        let invalid = |problem: String| AuthError::InvalidConfiguration { problem };
        let url = reqwest::Url::parse(issuer).map_err(|e| invalid(format!("issuer `{issuer}` bukan URL: {e}")))?;
        if !matches!(url.scheme(), "https" | "http") || url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(format!("issuer `{issuer}` harus URL http(s) tanpa query dan fragment")));
        }
        if client_id.trim().is_empty() {
            return Err(invalid("client id kosong".to_owned()));
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(HTTP_TIMEOUT)
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| invalid(format!("klien HTTP tidak dapat dibuat: {e}")))?;
        Ok(Self {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            audience: None,
            leeway: DEFAULT_LEEWAY,
            refetch_interval: DEFAULT_REFETCH_INTERVAL,
            max_key_age: DEFAULT_MAX_KEY_AGE,
            clock: Arc::new(Utc::now),
            http,
            keys: RwLock::new(KeyCache::default()),
            fetcher: Mutex::new(FetchState::default()),
            jwks_fetches: AtomicU64::new(0),
        })
    }

    /// Also require `audience` in `aud` (when the provider has an audience mapper for the hub). `azp` is checked
    /// either way.
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Clock skew tolerated on `exp` and `nbf` (default [`DEFAULT_LEEWAY`]).
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Least time between two JWKS fetches (default [`DEFAULT_REFETCH_INTERVAL`]).
    pub fn with_refetch_interval(mut self, interval: Duration) -> Self {
        self.refetch_interval = interval;
        self
    }

    /// Age after which cached keys are fetched again before use (default [`DEFAULT_MAX_KEY_AGE`]).
    pub fn with_max_key_age(mut self, age: Duration) -> Self {
        self.max_key_age = age;
        self
    }

    /// The clock `exp` and `nbf` are compared with (default: the system clock). For tests.
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The issuer, as configured.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The client id `azp` must equal.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// How many times the JWKS was requested from the provider so far (for metrics and tests).
    pub fn jwks_fetch_count(&self) -> u64 {
        self.jwks_fetches.load(Ordering::Relaxed)
    }

    /// Runs discovery and fetches the JWKS now, so that a misconfigured issuer shows at start-up.
    pub async fn prefetch(&self) -> Result<(), AuthError> {
        let mut state = self.fetcher.lock().await;
        self.fetch_keys(&mut state).await
    }

    /// [`bearer_token`] then [`TokenVerifier::verify`]: the whole check of one request's `Authorization` header.
    pub async fn verify_authorization(&self, authorization: Option<&str>) -> Result<VerifiedToken, AuthError> {
        self.verify(bearer_token(authorization)?).await
    }

    /// Checks one access token (the part after `Bearer `).
    pub async fn verify(&self, token: &str) -> Result<VerifiedToken, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| malformed_token(e.kind()))?;
        // Pinned: the header's `alg` only selects the error message, never the verification.
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::AlgorithmNotAllowed { alg: format!("{:?}", header.alg) });
        }
        let kid = header.kid.as_deref().filter(|k| !k.is_empty()).ok_or(AuthError::MissingKeyId)?;
        let key = self.key(kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        // jsonwebtoken checks iss/aud only when present unless required: presence is required here, values are
        // checked below so that each failure gets its own error, and time with the injectable clock.
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        let data = jsonwebtoken::decode::<AccessTokenClaims>(token, &key, &validation).map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => AuthError::BadSignature,
            ErrorKind::MissingRequiredClaim(claim) => AuthError::MissingClaim { claim: claim.clone() },
            kind => malformed_token(kind),
        })?;
        self.check_claims(data.header.typ.as_deref(), data.claims)
    }

    fn check_claims(&self, header_typ: Option<&str>, claims: AccessTokenClaims) -> Result<VerifiedToken, AuthError> {
        let missing = |claim: &str| AuthError::MissingClaim { claim: claim.to_owned() };
        let iss = claims.iss.ok_or_else(|| missing("iss"))?;
        if iss != self.issuer {
            return Err(AuthError::WrongIssuer { expected: self.issuer.clone(), found: iss });
        }
        let now = (self.clock)();
        let leeway = TimeDelta::from_std(self.leeway).unwrap_or(TimeDelta::MAX);
        let expires_at = timestamp(claims.exp.ok_or_else(|| missing("exp"))?, "exp")?;
        if now > expires_at.checked_add_signed(leeway).unwrap_or(DateTime::<Utc>::MAX_UTC) {
            return Err(AuthError::Expired { expired_at: expires_at });
        }
        if let Some(nbf) = claims.nbf {
            let valid_from = timestamp(nbf, "nbf")?;
            if valid_from > now.checked_add_signed(leeway).unwrap_or(DateTime::<Utc>::MAX_UTC) {
                return Err(AuthError::NotYetValid { valid_from });
            }
        }
        check_access_token_type(header_typ, claims.typ.as_deref())?;
        if claims.azp.as_deref() != Some(self.client_id.as_str()) {
            return Err(AuthError::WrongClient { expected: self.client_id.clone(), found: claims.azp });
        }
        if let Some(expected) = &self.audience {
            let found = claims.aud.map(Audience::into_vec).unwrap_or_default();
            if !found.contains(expected) {
                return Err(AuthError::WrongAudience { expected: expected.clone(), found });
            }
        }
        let sub = claims.sub.filter(|s| !s.is_empty()).ok_or_else(|| missing("sub"))?;
        let nip = claims.preferred_username.filter(|n| !n.is_empty()).ok_or_else(|| missing("preferred_username"))?;
        Ok(VerifiedToken {
            sub,
            nip: Nip::new(nip),
            name: claims.name,
            expires_at,
            scopes: claims.scope.map(|s| s.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
            token_id: claims.jti,
        })
    }

    /// The key for `kid`: from the cache, or after one (rate-limited) fetch when it is unknown or the cache is old.
    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.keys.read().await.fresh_key(kid, self.max_key_age) {
            return Ok(key);
        }
        let refreshed = {
            let mut state = self.fetcher.lock().await;
            // Another request may have fetched while this one waited for the lock.
            if self.keys.read().await.fresh_key(kid, self.max_key_age).is_some() {
                Ok(())
            } else if state.last_attempt.is_some_and(|at| at.elapsed() < self.refetch_interval) {
                if self.keys.read().await.fetched_at.is_none() {
                    Err(AuthError::ProviderUnavailable {
                        reason: "kunci penerbit belum pernah berhasil diambil; dicoba lagi sebentar lagi".to_owned(),
                    })
                } else {
                    Ok(()) // rate limited: answer from what is cached
                }
            } else {
                self.fetch_keys(&mut state).await
            }
        };
        let keys = self.keys.read().await;
        match (keys.by_kid.get(kid), refreshed) {
            // An old cache whose refresh failed still vouches for its keys: the provider being down must not
            // lock everybody out.
            (Some(key), Ok(())) => Ok(key.clone()),
            (Some(key), Err(e)) => {
                tracing::warn!(issuer = %self.issuer, error = %e, "JWKS refresh failed; using cached keys");
                Ok(key.clone())
            }
            (None, Ok(())) => Err(AuthError::UnknownKey { kid: kid.to_owned() }),
            (None, Err(e)) => Err(e),
        }
    }

    /// Discovery (once) and the JWKS; replaces the cache on success. The caller holds the fetch lock.
    async fn fetch_keys(&self, state: &mut FetchState) -> Result<(), AuthError> {
        state.last_attempt = Some(Instant::now());
        let jwks_uri = match &state.jwks_uri {
            Some(uri) => uri.clone(),
            None => {
                let uri = self.discover().await?;
                state.jwks_uri = Some(uri.clone());
                uri
            }
        };
        self.jwks_fetches.fetch_add(1, Ordering::Relaxed);
        let jwks: RawJwks = self.get_json(&jwks_uri).await?;
        let by_kid = usable_keys(jwks);
        if by_kid.is_empty() {
            return Err(AuthError::ProviderUnavailable {
                reason: format!("JWKS {jwks_uri} tidak memuat satu pun kunci RS256 untuk tanda tangan"),
            });
        }
        tracing::debug!(issuer = %self.issuer, keys = by_kid.len(), "JWKS fetched");
        *self.keys.write().await = KeyCache { by_kid, fetched_at: Some(Instant::now()) };
        Ok(())
    }

    /// OIDC discovery: the provider's `jwks_uri`, after checking that it speaks for our issuer.
    async fn discover(&self) -> Result<String, AuthError> {
        let url = format!("{}/.well-known/openid-configuration", self.issuer.trim_end_matches('/'));
        let metadata: ProviderMetadata = self.get_json(&url).await?;
        if metadata.issuer != self.issuer {
            return Err(AuthError::ProviderMismatch { expected: self.issuer.clone(), found: metadata.issuer });
        }
        let jwks_uri = reqwest::Url::parse(&metadata.jwks_uri).map_err(|e| AuthError::ProviderUnavailable {
            reason: format!("jwks_uri `{}` di {url} bukan URL: {e}", metadata.jwks_uri),
        })?;
        let issuer_is_https = self.issuer.starts_with("https:");
        if jwks_uri.scheme() != "https" && (issuer_is_https || jwks_uri.scheme() != "http") {
            return Err(AuthError::ProviderUnavailable {
                reason: format!("jwks_uri `{jwks_uri}` di {url} harus https seperti issuer-nya"),
            });
        }
        Ok(metadata.jwks_uri)
    }

    /// GET `url` as JSON, bounded in time and size.
    async fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, AuthError> {
        let unavailable = |reason: String| AuthError::ProviderUnavailable { reason };
        let mut response = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| unavailable(format!("GET {url} gagal: {e}")))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("GET {url} dijawab HTTP {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| unavailable(format!("GET {url} terputus: {e}")))? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(unavailable(format!("jawaban {url} lebih dari {MAX_DOCUMENT_BYTES} byte")));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| unavailable(format!("jawaban {url} bukan JSON yang diharapkan: {e}")))
    }
}

impl KeyCache {
    /// The key for `kid` if it is cached and the cache is younger than `max_age`.
    fn fresh_key(&self, kid: &str, max_age: Duration) -> Option<DecodingKey> {
        let fresh = self.fetched_at.is_some_and(|at| at.elapsed() < max_age);
        if fresh { self.by_kid.get(kid).cloned() } else { None }
    }
}

/// Keys of a JWKS that can verify RS256 signatures: RSA, with a `kid`, not `use: enc` (Keycloak also publishes
/// an RSA-OAEP encryption key), `alg` absent or RS256. Each key is read on its own: one exotic key does not hide
/// the others.
fn usable_keys(jwks: RawJwks) -> HashMap<String, DecodingKey> {
    let mut by_kid = HashMap::new();
    for value in jwks.keys {
        let Ok(jwk) = serde_json::from_value::<Jwk>(value) else { continue };
        let signing = !matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption));
        let rs256 = matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::RS256));
        let rsa = matches!(jwk.algorithm, AlgorithmParameters::RSA(_));
        let Some(kid) = jwk.common.key_id.clone().filter(|k| !k.is_empty()) else { continue };
        if signing
            && rs256
            && rsa
            && let Ok(key) = DecodingKey::from_jwk(&jwk)
        {
            by_kid.insert(kid, key);
        }
    }
    by_kid
}

/// Requires positive evidence of an access token: header `typ` `at+jwt` (RFC 9068, oidc-provider) or claim `typ`
/// `Bearer` (Keycloak). Keycloak ID tokens say `typ: "ID"`, refresh tokens `"Refresh"`/`"Offline"`; oidc-provider
/// ID tokens carry no `typ` at all.
fn check_access_token_type(header_typ: Option<&str>, claim_typ: Option<&str>) -> Result<(), AuthError> {
    let not_access = |found: String| Err(AuthError::NotAnAccessToken { found });
    if let Some(typ) = claim_typ
        && !typ.eq_ignore_ascii_case("bearer")
    {
        return not_access(format!("klaim typ \"{typ}\""));
    }
    let header = header_typ.map(|t| {
        let t = t.to_ascii_lowercase();
        t.strip_prefix("application/").map(str::to_owned).unwrap_or(t)
    });
    match header.as_deref() {
        None | Some("jwt") => {}
        Some("at+jwt") => return Ok(()),
        Some(other) => return not_access(format!("header typ \"{other}\"")),
    }
    if claim_typ.is_some() {
        Ok(())
    } else {
        not_access("tanpa typ \"at+jwt\" di header maupun typ \"Bearer\" di klaim, seperti ID token".to_owned())
    }
}

fn timestamp(seconds: f64, claim: &str) -> Result<DateTime<Utc>, AuthError> {
    // Whole seconds; a fraction (allowed by RFC 7519's NumericDate) is dropped.
    let whole = seconds.floor();
    let in_range = whole.is_finite() && whole.abs() < 1e15;
    let parsed = in_range.then(|| DateTime::from_timestamp(whole as i64, 0)).flatten();
    parsed.ok_or_else(|| AuthError::MalformedToken { problem: format!("klaim {claim} bukan waktu yang sah") })
}

/// A description of a jsonwebtoken failure that never quotes the token.
fn malformed_token(kind: &ErrorKind) -> AuthError {
    let problem = match kind {
        ErrorKind::InvalidToken => "bukan tiga bagian yang dipisah titik".to_owned(),
        ErrorKind::Base64(_) => "salah satu bagiannya bukan base64url".to_owned(),
        ErrorKind::Json(_) => "header atau klaimnya bukan JSON yang sesuai".to_owned(),
        ErrorKind::Utf8(_) => "header atau klaimnya bukan UTF-8".to_owned(),
        ErrorKind::InvalidClaimFormat(claim) => format!("klaim {claim} formatnya salah"),
        ErrorKind::InvalidAlgorithmName | ErrorKind::UnsupportedAlgorithm => "algoritmenya tidak dikenal".to_owned(),
        ErrorKind::InvalidAlgorithm => "algoritmenya tidak cocok dengan kuncinya".to_owned(),
        ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => "kunci penerbit tidak dapat dipakai".to_owned(),
        _ => "isinya tidak sah".to_owned(),
    };
    AuthError::MalformedToken { problem }
}

/// The claims read from an access token. Required ones are `Option`s too, so that their absence is reported as
/// [`AuthError::MissingClaim`] rather than as unreadable JSON.
#[derive(Deserialize)]
struct AccessTokenClaims {
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    exp: Option<f64>,
    #[serde(default)]
    nbf: Option<f64>,
    #[serde(default)]
    aud: Option<Audience>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    jti: Option<String>,
}

/// `aud`: one string or a list (RFC 7519 §4.1.3).
#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(aud) => vec![aud],
            Self::Many(auds) => auds,
        }
    }
}

#[derive(Deserialize)]
struct ProviderMetadata {
    issuer: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<serde_json::Value>,
}
