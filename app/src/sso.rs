//! Signing in with the OpenID provider (BKN's SI-ASN Keycloak, or `tools/idp` in tests and the demo): RFC 8252
//! "OAuth 2.0 for Native Apps" with `openidconnect` 4.1 (`../shared/reference/sso.md` §2–3).
//!
//! - [`Provider::discover`] reads `{issuer}/.well-known/openid-configuration` (the issuer must match exactly).
//! - [`Provider::begin_browser`]: authorization code + PKCE S256, `scope=openid profile offline_access`, with a
//!   loopback listener on `127.0.0.1` and a port the OS picks (the IPv4 literal: Keycloak ignores the port only for
//!   `http://127.0.0.1/…` and `http://localhost/…`). The caller opens [`BrowserSignIn::url`] in the **system
//!   browser** (never a webview, RFC 8252 §8.12); [`BrowserSignIn::finish`] waits for the one redirect, checks
//!   `state` and `iss` (RFC 9207), exchanges the code and verifies the ID token (signature, `iss`, `aud`, `exp`,
//!   `nonce`).
//! - [`Provider::begin_device`]: the device authorization grant (RFC 8628) for machines where no browser can reach
//!   the loopback; [`DeviceSignIn::finish`] polls, honouring `slow_down`.
//! - [`Provider::refresh`] and [`Provider::revoke`] (RFC 7009).
//!
//! What it does not do: keep tokens (that is [`crate::session`]), decide who may do what (the hub's roster), or
//! validate access tokens (opaque to the desktop; the hub checks them). No token is ever logged.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod,
    CoreDeviceAuthorizationResponse, CoreErrorResponseType, CoreGrantType, CoreIdToken, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType,
    CoreSubjectIdentifierType, CoreTokenResponse,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthorizationCode, ClientId, CsrfToken, DeviceAuthorizationUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadata, RedirectUrl, RefreshToken, RequestTokenError, RevocationUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The scopes the desktop asks for: `offline_access` gives Keycloak's offline token, which outlives the SSO session
/// (30 days idle by default) so that officers can work for days without a network.
pub const SCOPES: [&str; 2] = ["profile", "offline_access"];

/// The loopback redirect path (register `http://127.0.0.1/callback` at the provider; any port is accepted).
pub const CALLBACK_PATH: &str = "/callback";

/// Where the provider lives and who we are to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoConfig {
    /// The issuer, exactly as the provider writes it (no trailing slash), e.g.
    /// `https://sso-siasn.bkn.go.id/auth/realms/public-siasn`.
    pub issuer: String,
    /// The public client id BKN registered for the desktop (`luring-desktop` at the test IdP).
    pub client_id: String,
}

/// Why signing in, refreshing or revoking failed. Messages are Bahasa Indonesia and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider could not be reached or its discovery document is unusable.
    #[error("penyedia SSO {issuer} tidak dapat dipakai: {reason}. Periksa jaringan dan alamat penerbit (issuer)")]
    Discovery {
        /// The configured issuer.
        issuer: String,
        /// What went wrong.
        reason: String,
    },
    /// A request to the provider did not get an answer (offline, timeout).
    #[error("penyedia SSO tidak terjangkau ({0}); coba lagi saat tersambung")]
    Network(String),
    /// The refresh token was refused (`invalid_grant`): expired, revoked, or already used. Sign in again.
    #[error("sesi SSO berakhir atau dicabut ({0}); masuk (login) lagi")]
    SignInAgain(String),
    /// The provider or the officer refused the sign-in (`access_denied`, …).
    #[error("masuk ditolak oleh penyedia SSO: {0}")]
    Denied(String),
    /// The redirect carried our `state` but a wrong or missing `iss` (RFC 9207): a possible mix-up attack; nothing
    /// was used. (A redirect without our `state` is ignored, and the sign-in goes on waiting.)
    #[error("balasan masuk tidak cocok dengan permintaan ({0}); ulangi masuk dari aplikasi")]
    Mismatch(String),
    /// Nobody completed the sign-in in time.
    #[error("waktu masuk habis ({0:?}); ulangi masuk")]
    TimedOut(Duration),
    /// The ID token failed verification.
    #[error("token identitas dari penyedia SSO tidak sah: {0}")]
    IdToken(String),
    /// The provider does not offer what was asked (no device grant, no revocation endpoint).
    #[error("penyedia SSO tidak mendukung {0}")]
    Unsupported(&'static str),
    /// Any other answer of the provider, or a local I/O failure of the loopback listener.
    #[error("penyedia SSO: {0}")]
    Provider(String),
}

/// Who the ID token says signed in (OIDC Core §5.1 claims).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenIdentity {
    /// `sub`: the provider's stable user id (Keycloak: a UUID, not the NIP).
    pub sub: String,
    /// `preferred_username`: the NIP at BKN's SSO.
    pub nip: Option<String>,
    /// `name`, with gelar as the provider writes it.
    pub nama: Option<String>,
}

/// A token response.
#[derive(Clone)]
pub struct Tokens {
    /// The access token (a JWT for the hub; opaque here). Kept in memory only.
    pub access_token: String,
    /// Its lifetime as the provider said (`expires_in`), measured from the response (not from the local clock).
    pub expires_in: Duration,
    /// The (rotated) refresh or offline token, when one was issued.
    pub refresh_token: Option<String>,
    /// The verified ID token's identity, when an ID token came with the response.
    pub identity: Option<TokenIdentity>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"[rahasia]")
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "[rahasia]"))
            .field("identity", &self.identity)
            .finish()
    }
}

/// The discovery fields `CoreProviderMetadata` leaves out: RFC 8628 and RFC 7009 endpoints.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ExtraMetadata {
    #[serde(default)]
    authorization_response_iss_parameter_supported: Option<bool>,
    #[serde(default)]
    device_authorization_endpoint: Option<DeviceAuthorizationUrl>,
    #[serde(default)]
    revocation_endpoint: Option<RevocationUrl>,
}

impl AdditionalProviderMetadata for ExtraMetadata {}

type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The client with its endpoints: authorization (always), token and userinfo (as discovered). The device and
/// revocation endpoints are set on a copy when used (openidconnect types them as always-present).
type OidcClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A discovered provider, ready to sign in, refresh and revoke.
#[derive(Debug, Clone)]
pub struct Provider {
    config: SsoConfig,
    client: OidcClient,
    device_url: Option<DeviceAuthorizationUrl>,
    revocation_url: Option<RevocationUrl>,
    /// The provider puts `iss` in authorization responses (RFC 9207): one without it is refused.
    iss_in_response: bool,
    http: reqwest::Client,
}

/// How long one request to the provider may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request the loopback listener reads (a redirect with code, state and iss is a few hundred bytes).
const MAX_CALLBACK_REQUEST: usize = 16 * 1024;

impl Provider {
    /// Discovers the provider of `config.issuer`.
    ///
    /// # Errors
    /// [`SsoError::Discovery`] when the document cannot be fetched, parsed, or names another issuer.
    pub async fn discover(config: &SsoConfig) -> Result<Provider, SsoError> {
        let discovery = |reason: String| SsoError::Discovery { issuer: config.issuer.clone(), reason };
        // No redirects: following them from a token endpoint opens SSRF holes (openidconnect's docs).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| discovery(error.to_string()))?;
        let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|error| discovery(error.to_string()))?;
        if !protected(issuer.url()) {
            return Err(discovery("penerbit harus memakai https (http hanya untuk 127.0.0.1 saat uji)".to_owned()));
        }
        let metadata = Metadata::discover_async(issuer, &http).await.map_err(|error| discovery(chain(&error)))?;
        let extra = metadata.additional_metadata().clone();
        let endpoints = [
            Some(metadata.authorization_endpoint().url()),
            metadata.token_endpoint().map(|url| url.url()),
            Some(metadata.jwks_uri().url()),
            extra.device_authorization_endpoint.as_ref().map(|url| url.url()),
        ];
        if endpoints.into_iter().flatten().any(|url| !protected(url)) {
            return Err(discovery("endpoint penyedia harus memakai https".to_owned()));
        }
        let client = CoreClient::from_provider_metadata(metadata, ClientId::new(config.client_id.clone()), None);
        Ok(Provider {
            config: config.clone(),
            client,
            device_url: extra.device_authorization_endpoint,
            revocation_url: extra.revocation_endpoint,
            iss_in_response: extra.authorization_response_iss_parameter_supported.unwrap_or(false),
            http,
        })
    }

    /// The configuration this provider was discovered from.
    pub fn config(&self) -> &SsoConfig {
        &self.config
    }

    /// Starts a browser sign-in: binds the loopback listener and builds the authorization URL.
    ///
    /// # Errors
    /// [`SsoError::Provider`] when no loopback port can be bound.
    pub async fn begin_browser(&self) -> Result<BrowserSignIn, SsoError> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|error| SsoError::Provider(format!("port loopback 127.0.0.1 tidak dapat dibuka: {error}")))?;
        let port = listener.local_addr().map_err(|error| SsoError::Provider(error.to_string()))?.port();
        let redirect = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
        let redirect_url = RedirectUrl::new(redirect).map_err(|error| SsoError::Provider(error.to_string()))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self
            .client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_redirect_uri(std::borrow::Cow::Owned(redirect_url.clone()))
            .set_pkce_challenge(challenge);
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        Ok(BrowserSignIn { url: url.to_string(), listener, redirect_url, state, nonce, verifier })
    }

    /// Starts a device sign-in (RFC 8628): asks the provider for a user code to show the officer.
    ///
    /// # Errors
    /// [`SsoError::Unsupported`] when the provider has no device endpoint; [`SsoError::Network`] or
    /// [`SsoError::Provider`] when the request fails.
    pub async fn begin_device(&self) -> Result<DeviceSignIn, SsoError> {
        let url = self.device_url.clone().ok_or(SsoError::Unsupported("masuk dengan kode perangkat"))?;
        let client = self.client.clone().set_device_authorization_url(url);
        let mut request = client.exchange_device_code();
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let details: CoreDeviceAuthorizationResponse = request.request_async(&self.http).await.map_err(token_error)?;
        Ok(DeviceSignIn { details, client })
    }

    /// Exchanges `refresh_token` for new tokens. The caller must keep the rotated refresh token **before** it uses
    /// the new access token (a reused refresh token revokes the whole grant at Keycloak with "Revoke Refresh
    /// Token" on, and at the test IdP).
    ///
    /// # Errors
    /// [`SsoError::SignInAgain`] on `invalid_grant`; [`SsoError::Network`] when the provider cannot be reached;
    /// [`SsoError::IdToken`] when a returned ID token fails verification.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, SsoError> {
        let token = RefreshToken::new(refresh_token.to_owned());
        let response = self
            .client
            .exchange_refresh_token(&token)
            .map_err(|error| SsoError::Provider(error.to_string()))?
            .request_async(&self.http)
            .await
            .map_err(token_error)?;
        // A refreshed ID token carries the first nonce (or none); the identity was verified at sign-in, and `sub`
        // is compared by the session.
        self.tokens(&response, &|_: Option<&Nonce>| Ok(()))
    }

    /// Revokes `refresh_token` (RFC 7009 §2.1: `token` and `token_type_hint=refresh_token`, the public client's
    /// `client_id` in the body) so a stolen copy is useless. Best effort at logout. The endpoint must be HTTPS,
    /// except on the loopback interface (the test IdP).
    ///
    /// # Errors
    /// [`SsoError::Unsupported`] without a revocation endpoint (or a plain-HTTP one off loopback);
    /// [`SsoError::Network`] or [`SsoError::Provider`] (a non-2xx answer).
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), SsoError> {
        let url = self.revocation_url.as_ref().ok_or(SsoError::Unsupported("pencabutan token"))?.url();
        if !protected(url) {
            return Err(SsoError::Unsupported("pencabutan token lewat HTTP tanpa TLS"));
        }
        let form = [
            ("token", refresh_token),
            ("token_type_hint", "refresh_token"),
            ("client_id", self.config.client_id.as_str()),
        ];
        let response =
            self.http.post(url.clone()).form(&form).send().await.map_err(|error| SsoError::Network(chain(&error)))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(SsoError::Provider(format!("pencabutan token dijawab HTTP {}", response.status())))
        }
    }

    fn tokens(
        &self,
        response: &CoreTokenResponse,
        nonce: &dyn Fn(Option<&Nonce>) -> Result<(), String>,
    ) -> Result<Tokens, SsoError> {
        let identity = match response.id_token() {
            Some(id_token) => Some(self.verify(id_token, nonce)?),
            None => None,
        };
        Ok(Tokens {
            access_token: response.access_token().secret().clone(),
            // Keycloak's default is 300 s; a provider that says nothing gets a conservative minute.
            expires_in: response.expires_in().unwrap_or(Duration::from_secs(60)),
            refresh_token: response.refresh_token().map(|token| token.secret().clone()),
            identity,
        })
    }

    fn verify(
        &self,
        id_token: &CoreIdToken,
        nonce: &dyn Fn(Option<&Nonce>) -> Result<(), String>,
    ) -> Result<TokenIdentity, SsoError> {
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, |found: Option<&Nonce>| nonce(found))
            .map_err(|error| SsoError::IdToken(chain(&error)))?;
        Ok(TokenIdentity {
            sub: claims.subject().as_str().to_owned(),
            nip: claims.preferred_username().map(|name| name.as_str().to_owned()),
            nama: claims.name().and_then(|name| name.get(None)).map(|name| name.as_str().to_owned()),
        })
    }
}

/// A browser sign-in in progress: open [`Self::url`] in the system browser, then [`Self::finish`].
#[derive(Debug)]
pub struct BrowserSignIn {
    /// The authorization URL to open in the system browser (carries no secret: PKCE keeps the verifier here).
    pub url: String,
    listener: TcpListener,
    redirect_url: RedirectUrl,
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

impl BrowserSignIn {
    /// The loopback redirect URI, `http://127.0.0.1:<port>/callback`.
    pub fn redirect_uri(&self) -> &str {
        self.redirect_url.as_str()
    }

    /// Waits (at most `timeout`) for the browser's redirect, then exchanges the code and verifies the ID token.
    ///
    /// # Errors
    /// [`SsoError::TimedOut`] (no redirect with our `state` in time); [`SsoError::Denied`] when the provider
    /// redirected with an error; [`SsoError::Mismatch`] on a wrong or missing `iss`; [`SsoError::IdToken`];
    /// network and provider errors.
    pub async fn finish(self, provider: &Provider, timeout: Duration) -> Result<Tokens, SsoError> {
        // Only a redirect carrying our `state` counts; anything else reaching the port (another program, a web
        // page guessing it) is answered and ignored, so it can neither end nor mislead the sign-in.
        let query = tokio::time::timeout(timeout, callback(&self.listener, self.state.secret()))
            .await
            .map_err(|_| SsoError::TimedOut(timeout))??;
        drop(self.listener);
        match query.get("iss") {
            Some(iss) if iss != &provider.config.issuer => return Err(SsoError::Mismatch(format!("iss {iss}"))),
            None if provider.iss_in_response => return Err(SsoError::Mismatch("tanpa iss (RFC 9207)".to_owned())),
            _ => {}
        }
        if let Some(error) = query.get("error") {
            let description = query.get("error_description").map(String::as_str).unwrap_or("");
            return Err(SsoError::Denied(printable(&format!("{error} {description}"))));
        }
        let code = query.get("code").ok_or_else(|| SsoError::Denied("tanpa kode otorisasi".to_owned()))?;
        let response = provider
            .client
            .exchange_code(AuthorizationCode::new(code.clone()))
            .map_err(|error| SsoError::Provider(error.to_string()))?
            .set_pkce_verifier(self.verifier)
            .set_redirect_uri(std::borrow::Cow::Owned(self.redirect_url))
            .request_async(&provider.http)
            .await
            .map_err(token_error)?;
        let expected = self.nonce;
        let tokens = provider.tokens(&response, &|found: Option<&Nonce>| match found {
            Some(found) if found.secret() == expected.secret() => Ok(()),
            _ => Err("nonce tidak cocok".to_owned()),
        })?;
        if tokens.identity.is_none() {
            return Err(SsoError::IdToken("tanpa token identitas (scope openid?)".to_owned()));
        }
        Ok(tokens)
    }
}

/// A device sign-in in progress (RFC 8628): show [`Self::user_code`] and [`Self::verification_uri`].
#[derive(Debug)]
pub struct DeviceSignIn {
    details: CoreDeviceAuthorizationResponse,
    client: CoreClient<EndpointSet, EndpointSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>,
}

impl DeviceSignIn {
    /// The code the officer types at the verification page.
    pub fn user_code(&self) -> &str {
        self.details.user_code().secret()
    }

    /// The page where the code is entered.
    pub fn verification_uri(&self) -> &str {
        self.details.verification_uri().as_str()
    }

    /// The page with the code already filled in, when the provider offers it (for a QR code).
    pub fn verification_uri_complete(&self) -> Option<&str> {
        self.details.verification_uri_complete().map(|uri| uri.secret().as_str())
    }

    /// Polls the token endpoint until the officer approves (or `timeout`), honouring `interval` and `slow_down`.
    ///
    /// # Errors
    /// [`SsoError::TimedOut`], [`SsoError::Denied`] (refused or expired code), network and provider errors.
    pub async fn finish(self, provider: &Provider, timeout: Duration) -> Result<Tokens, SsoError> {
        let started = std::time::Instant::now();
        let response = self
            .client
            .exchange_device_access_token(&self.details)
            .map_err(|error| SsoError::Provider(error.to_string()))?
            .request_async(&provider.http, tokio::time::sleep, Some(timeout))
            .await
            .map_err(|error| match error {
                // oauth2 reports its own deadline, and the code's own expiry, as `expired_token`.
                RequestTokenError::ServerResponse(_) if started.elapsed() >= timeout => SsoError::TimedOut(timeout),
                RequestTokenError::ServerResponse(response) if response.error().as_ref() == "expired_token" => {
                    SsoError::TimedOut(started.elapsed())
                }
                RequestTokenError::ServerResponse(response) => SsoError::Denied(printable(response.error().as_ref())),
                RequestTokenError::Request(error) => SsoError::Network(chain(&error)),
                other => SsoError::Provider(chain(&other)),
            })?;
        // The device grant has no nonce.
        let tokens = provider.tokens(&response, &|_: Option<&Nonce>| Ok(()))?;
        if tokens.identity.is_none() {
            return Err(SsoError::IdToken("tanpa token identitas (scope openid?)".to_owned()));
        }
        Ok(tokens)
    }
}

/// Whether tokens may travel to `url`: HTTPS, or plain HTTP on the loopback interface only (the test IdP).
fn protected(url: &url::Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && matches!(url.host_str(), Some("127.0.0.1" | "[::1]")))
}

/// Maps a token endpoint failure: `invalid_grant` means sign in again.
fn token_error<RE: std::error::Error + 'static, T: openidconnect::ErrorResponse + 'static>(
    error: RequestTokenError<RE, T>,
) -> SsoError {
    match &error {
        RequestTokenError::ServerResponse(response) => {
            let text = serde_json::to_value(response)
                .ok()
                .and_then(|value| value.get("error").and_then(|code| code.as_str().map(str::to_owned)))
                .unwrap_or_else(|| chain(&error));
            if text == CoreErrorResponseType::InvalidGrant.as_ref() {
                SsoError::SignInAgain(text)
            } else {
                SsoError::Provider(text)
            }
        }
        RequestTokenError::Request(source) => SsoError::Network(chain(source)),
        _ => SsoError::Provider(chain(&error)),
    }
}

/// An error with its causes, `a: b: c`.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Serves the loopback listener until a `GET` [`CALLBACK_PATH`] carries `state`; returns its query. Each connection
/// is served in a task of its own with a deadline, so a slow or idle one (a browser's preconnect) delays nothing.
/// Other paths get a 404, a callback with another `state` a 400; both are ignored.
async fn callback(listener: &TcpListener, state: &str) -> Result<HashMap<String, String>, SsoError> {
    let (found, mut received) = tokio::sync::mpsc::channel(1);
    // At most this many connections are served at once; more are closed unanswered, so a flood can exhaust
    // neither file descriptors nor memory.
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    // Dropped on return: every connection still being served is aborted with it.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of descriptors or a reset connection: not the sign-in's end; try again shortly.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let Ok(slot) = std::sync::Arc::clone(&slots).try_acquire_owned() else { continue };
                let (found, state) = (found.clone(), state.to_owned());
                connections.spawn(async move {
                    let _slot = slot;
                    if let Ok(Some(query)) = tokio::time::timeout(CONNECTION_DEADLINE, serve(stream, &state)).await {
                        let _ = found.send(query).await;
                    }
                });
            }
            Some(query) = received.recv() => return Ok(query),
        }
        // Finished connections are reaped as they go.
        while connections.try_join_next().is_some() {}
    }
}

/// Loopback connections served at once.
const MAX_CONNECTIONS: usize = 32;

/// How long one loopback connection may take to send its request.
const CONNECTION_DEADLINE: Duration = Duration::from_secs(10);

/// Reads one request and answers it; the query when it is our callback.
async fn serve(mut stream: tokio::net::TcpStream, state: &str) -> Option<HashMap<String, String>> {
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    // The request line and headers end with an empty line; the body (none for a GET) is not read.
    while !buffer.windows(4).any(|window| window == b"\r\n\r\n") && buffer.len() < MAX_CALLBACK_REQUEST {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let request = String::from_utf8_lossy(&buffer);
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{target}")) else {
        let _ = respond(&mut stream, "400 Bad Request", "Permintaan tidak sah.").await;
        return None;
    };
    if method != "GET" || url.path() != CALLBACK_PATH {
        let _ = respond(&mut stream, "404 Not Found", "Tidak ada apa-apa di sini.").await;
        return None;
    }
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    if query.get("state").map(String::as_str) != Some(state) {
        let _ = respond(&mut stream, "400 Bad Request", "Balasan ini bukan untuk permintaan masuk SIASN Luring.").await;
        return None;
    }
    let page = if query.contains_key("error") {
        "Masuk gagal atau dibatalkan. Kembali ke SIASN Luring untuk mencoba lagi."
    } else {
        "Masuk selesai. Silakan kembali ke aplikasi SIASN Luring; halaman ini boleh ditutup."
    };
    let _ = respond(&mut stream, "200 OK", page).await;
    Some(query)
}

/// `text` without control characters (a terminal escape sequence in a provider's error description), at most 300
/// characters.
pub(crate) fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect::<String>().trim().to_owned()
}

async fn respond(stream: &mut tokio::net::TcpStream, status: &str, text: &str) -> std::io::Result<()> {
    let body = format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>SIASN Luring</title></head>\
         <body><p>{text}</p></body></html>"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}
