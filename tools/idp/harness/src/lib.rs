//! Test support for every crate that signs in: the real local OpenID provider (`tools/idp/idp.mjs`, npm
//! `oidc-provider`) as a child process, and a headless "browser" that signs in through it over HTTP exactly like
//! `../shared/reference/sso.md` Appendix B (`flow.sh`): authorization request with PKCE S256 → login page →
//! credentials → redirects up to the loopback `redirect_uri` → code exchange ([`Idp::login`], the hub's tests);
//! the same officer's part for an authorization URL an app built ([`sign_in_at`], which then calls the app's
//! loopback listener); and the device-code approval pages ([`approve_device`]).
//!
//! It is a dev-dependency only; nothing in it is product code.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The desktop's client id at the test IdP.
pub const DESKTOP_CLIENT: &str = "luring-desktop";
/// Another application of the same realm, whose tokens are not for the hub.
pub const OTHER_CLIENT: &str = "aplikasi-lain";
/// The `aud` the test IdP puts in access tokens.
pub const HUB_AUDIENCE: &str = "luring-hub";

/// How long one start of the IdP may take to print its ready line (Node start-up is 0.2–0.7 s on an idle machine).
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Starts tried before giving up.
const START_ATTEMPTS: usize = 3;
/// How long `npm ci` may take.
const NPM_TIMEOUT: Duration = Duration::from_secs(300);
/// How long one whole login may take.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(30);
/// Redirects followed after the credentials before giving up.
const MAX_REDIRECTS: usize = 10;

/// `tools/idp` of this workspace.
fn idp_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tools/idp/harness has a parent").to_path_buf()
}

/// A demo account of `tools/idp/accounts.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub nip: String,
    pub password: String,
    pub sub: String,
    pub name: String,
    pub peran: String,
}

/// The demo account with role `peran` (the first one, when several have it).
pub fn account(peran: &str) -> Account {
    #[derive(Deserialize)]
    struct Accounts {
        accounts: Vec<Account>,
    }
    let path = idp_dir().join("accounts.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let accounts: Accounts = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    accounts.accounts.into_iter().find(|a| a.peran == peran).unwrap_or_else(|| panic!("no {peran} account"))
}

/// Runs `npm ci` in tools/idp once when its node_modules is missing. Test threads of this process wait on the
/// `OnceLock`, other processes (nextest, a second test binary) on a lock file under the target directory.
fn ensure_installed() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INSTALLED.get_or_init(|| {
        let dir = idp_dir();
        let marker = dir.join("node_modules").join("oidc-provider").join("package.json");
        if marker.is_file() {
            return Ok(());
        }
        let lock_path = std::env::temp_dir().join("tools-idp-npm-ci.lock");
        let lock = File::create(&lock_path).map_err(|e| format!("{}: {e}", lock_path.display()))?;
        let deadline = Instant::now() + NPM_TIMEOUT + Duration::from_secs(30);
        while lock.try_lock().is_err() {
            if Instant::now() > deadline {
                return Err(format!("another process held {} too long", lock_path.display()));
            }
            thread::sleep(Duration::from_millis(200));
        }
        if marker.is_file() {
            return Ok(()); // installed by the process that held the lock
        }
        let mut npm = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("npm ci in {}: {e} (is Node.js installed?)", dir.display()))?;
        let status = wait_bounded(&mut npm, NPM_TIMEOUT).map_err(|e| format!("npm ci in {}: {e}", dir.display()))?;
        if !status.success() {
            return Err(format!("npm ci in {} failed: {status}", dir.display()));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("the test IdP's npm packages are not installed: {e}");
    }
}

/// Waits for `child` at most `limit`, killing it when the time is up.
fn wait_bounded(child: &mut Child, limit: Duration) -> Result<std::process::ExitStatus, String> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {limit:?}, killed"));
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// How to start the IdP.
#[derive(Debug, Clone, Default)]
pub struct IdpOptions {
    /// The port; 0 lets the OS pick one.
    pub port: u16,
    /// A private JWKS file to read the signing key from (written there first if missing). `None`: a new key.
    pub keys: Option<PathBuf>,
    /// The access tokens' lifetime in seconds (`--access-token-ttl`); `None`: the IdP's 300 s.
    pub access_token_ttl: Option<u64>,
}

/// A running test IdP; killed when dropped. It also exits by itself when this process dies (its stdin closes).
#[derive(Debug)]
pub struct Idp {
    child: Child,
    _stdin: Option<ChildStdin>,
    issuer: String,
    port: u16,
    access_token_ttl: Option<u64>,
    stderr: Arc<Mutex<String>>,
}

impl Idp {
    /// Starts `node tools/idp/idp.mjs` and waits for its `IDP_READY <issuer>` line.
    pub fn start(options: &IdpOptions) -> Idp {
        // Seen twice in CI (never on an idle machine): a node that printed its first warning and then nothing for
        // 30 and 90 s. Such a start is killed and tried again, at most START_ATTEMPTS times.
        let mut failures = Vec::new();
        for attempt in 1..=START_ATTEMPTS {
            match Idp::start_once(options) {
                Ok(idp) => return idp,
                Err(failure) => failures.push(format!("attempt {attempt}: {failure}")),
            }
        }
        panic!("the test IdP did not start:\n{}", failures.join("\n"));
    }

    fn start_once(options: &IdpOptions) -> Result<Idp, String> {
        ensure_installed();
        let dir = idp_dir();
        let mut command = Command::new("node");
        command
            .arg(dir.join("idp.mjs"))
            .args(["--port", &options.port.to_string(), "--exit-with-stdin"])
            .current_dir(&dir)
            .env_remove("IDP_KEYS")
            .env_remove("IDP_AT_TTL")
            .env_remove("IDP_PORT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(keys) = &options.keys {
            command.arg("--keys").arg(keys);
        }
        if let Some(ttl) = options.access_token_ttl {
            command.args(["--access-token-ttl", &ttl.to_string()]);
        }
        let mut child = command.spawn().unwrap_or_else(|e| panic!("cannot start node (is Node.js installed?): {e}"));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr_pipe = child.stderr.take().expect("stderr is piped");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut idp = Idp {
            child,
            _stdin: stdin,
            issuer: String::new(),
            port: 0,
            access_token_ttl: options.access_token_ttl,
            stderr: Arc::clone(&stderr),
        };

        thread::spawn(move || drain(stderr_pipe, &stderr));
        let (lines, ready) = mpsc::channel();
        thread::spawn(move || {
            // Read stdout to its end even after the ready line: the IdP logs there (e.g. device-flow notices), and
            // a closed pipe kills it with EPIPE.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = lines.send(line);
            }
        });
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match ready.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => {
                    if let Some(issuer) = line.strip_prefix("IDP_READY ") {
                        idp.issuer = issuer.trim().to_owned();
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Dropping `idp` kills the process.
                    return Err(format!("no IDP_READY within {READY_TIMEOUT:?}; stderr:\n{}", idp.stderr()));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = wait_bounded(&mut idp.child, Duration::from_secs(5));
                    return Err(format!("exited before it was ready ({status:?}); stderr:\n{}", idp.stderr()));
                }
            }
        }
        let url = Url::parse(&idp.issuer).unwrap_or_else(|e| panic!("issuer {:?}: {e}", idp.issuer));
        assert_eq!(url.host_str(), Some("127.0.0.1"), "the test IdP must listen on 127.0.0.1 only");
        idp.port = url.port().expect("the issuer has an explicit port");
        assert!(options.port == 0 || options.port == idp.port, "asked for port {}, got {}", options.port, idp.port);
        Ok(idp)
    }

    /// Stops this IdP and starts a new one on the same port (so with the same issuer), e.g. with a new key.
    pub fn restart(&mut self, keys: Option<PathBuf>) {
        self.stop();
        let next = Idp::start(&IdpOptions { port: self.port, keys, access_token_ttl: self.access_token_ttl });
        *self = next;
    }

    /// The issuer URL, as printed in the ready line.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// What the IdP wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Signs `account` in at `client_id` and returns its tokens.
    pub async fn login(&self, client_id: &str, account: &Account) -> Tokens {
        let flow = login(&self.issuer, client_id, &account.nip, &account.password);
        match tokio::time::timeout(LOGIN_TIMEOUT, flow).await {
            Ok(tokens) => tokens,
            Err(_) => panic!("login took longer than {LOGIN_TIMEOUT:?}; IdP stderr:\n{}", self.stderr()),
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = wait_bounded(&mut self.child, Duration::from_secs(10));
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Appends what `pipe` yields to `into` (at most 64 KiB), until it closes.
fn drain(mut pipe: impl Read, into: &Mutex<String>) {
    let mut buffer = [0u8; 4096];
    while let Ok(n) = pipe.read(&mut buffer) {
        if n == 0 {
            break;
        }
        if let Ok(mut text) = into.lock()
            && text.len() < 64 * 1024
        {
            text.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    }
}

/// The token response of a login.
#[derive(Debug, Clone, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: String,
}

/// The user's side of the login, played over HTTP (`flow.sh`).
async fn login(issuer: &str, client_id: &str, nip: &str, password: &str) -> Tokens {
    let mut browser = Browser::new();
    let discovery: serde_json::Value = browser
        .http
        .get(format!("{issuer}/.well-known/openid-configuration"))
        .send()
        .await
        .expect("discovery request")
        .json()
        .await
        .expect("discovery JSON");
    let endpoint = |name: &str| {
        let url = discovery[name].as_str().unwrap_or_else(|| panic!("discovery has no {name}"));
        Url::parse(url).unwrap_or_else(|e| panic!("{name} {url}: {e}"))
    };
    let (authorization_endpoint, token_endpoint) = (endpoint("authorization_endpoint"), endpoint("token_endpoint"));

    // The app's loopback listener (RFC 8252 §7.3): it fixes the port; the browser stops before connecting to it.
    let loopback = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let redirect_uri = format!("http://127.0.0.1:{}/callback", loopback.local_addr().expect("local address").port());
    let verifier = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()); // 64 chars
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let state = uuid::Uuid::new_v4().simple().to_string();
    let nonce = uuid::Uuid::new_v4().simple().to_string();

    // 1) the authorization request → 303 to the login page (interaction)
    let mut authorization = authorization_endpoint;
    authorization
        .query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("scope", "openid profile offline_access")
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let next = browser.sign_in(&authorization, &redirect_uri, nip, password).await;
    drop(loopback);

    // 4) the callback's parameters: state and iss (RFC 9207) must match
    let callback: HashMap<String, String> = next.query_pairs().into_owned().collect();
    assert!(!callback.contains_key("error"), "the IdP answered with an error: {callback:?}");
    assert_eq!(callback.get("state"), Some(&state), "state");
    assert_eq!(callback.get("iss").map(String::as_str), Some(issuer), "iss (RFC 9207)");
    let code = callback.get("code").expect("code in the callback");

    // 5) the code exchange with the PKCE verifier (public client: client_id in the body, no secret)
    let response = browser
        .http
        .post(token_endpoint)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &redirect_uri),
            ("client_id", client_id),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .expect("token request");
    let status = response.status();
    let body = response.text().await.expect("token response body");
    assert!(status.is_success(), "code exchange: HTTP {status}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("token response {body}: {e}"))
}

/// The absolute `Location` of a redirect response; panics on anything else.
fn redirect_target(response: reqwest::Response, url: &Url) -> Url {
    let status = response.status();
    let location = response.headers().get(LOCATION).and_then(|l| l.to_str().ok());
    match location {
        Some(location) if status.is_redirection() => {
            url.join(location).unwrap_or_else(|e| panic!("Location {location}: {e}"))
        }
        _ => panic!("{url}: expected a redirect, got HTTP {status} (wrong password?)"),
    }
}

/// A reqwest client that follows no redirects, with a small cookie jar (what a browser keeps between the IdP's
/// pages: the interaction and session cookies, each scoped to its path).
struct Browser {
    http: reqwest::Client,
    cookies: Vec<Cookie>,
}

struct Cookie {
    name: String,
    value: String,
    path: String,
}

impl Browser {
    fn new() -> Browser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("HTTP client");
        Browser { http, cookies: Vec::new() }
    }

    async fn get(&mut self, url: &Url) -> reqwest::Response {
        let request = self.with_cookies(self.http.get(url.clone()), url);
        let response = request.send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
        self.store(url, response.headers());
        response
    }

    async fn post_form(&mut self, url: &Url, form: &[(&str, &str)]) -> reqwest::Response {
        let request = self.with_cookies(self.http.post(url.clone()).form(form), url);
        let response = request.send().await.unwrap_or_else(|e| panic!("POST {url}: {e}"));
        self.store(url, response.headers());
        response
    }

    fn with_cookies(&self, request: reqwest::RequestBuilder, url: &Url) -> reqwest::RequestBuilder {
        let path = url.path();
        let header: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| path == c.path || path.starts_with(&format!("{}/", c.path.trim_end_matches('/'))))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if header.is_empty() { request } else { request.header(COOKIE, header.join("; ")) }
    }

    /// Keeps the `Set-Cookie`s of a response (RFC 6265 §5.2, the parts the IdP uses: path, expires, max-age).
    fn store(&mut self, url: &Url, headers: &HeaderMap) {
        for set_cookie in headers.get_all(SET_COOKIE) {
            let Ok(text) = set_cookie.to_str() else { continue };
            let mut parts = text.split(';');
            let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else { continue };
            let default_path = url.path().rsplit_once('/').map_or("/", |(dir, _)| dir);
            let mut path = if default_path.is_empty() { "/".to_owned() } else { default_path.to_owned() };
            let mut removed = value.trim().is_empty();
            for attribute in parts {
                let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
                match key.trim().to_ascii_lowercase().as_str() {
                    "path" => path = val.trim().to_owned(),
                    "max-age" => removed |= val.trim().parse::<i64>().is_ok_and(|age| age <= 0),
                    "expires" => {
                        removed |= DateTime::parse_from_rfc2822(val.trim()).is_ok_and(|at| at < Utc::now());
                    }
                    _ => {}
                }
            }
            let name = name.trim().to_owned();
            self.cookies.retain(|c| !(c.name == name && c.path == path));
            if !removed {
                self.cookies.push(Cookie { name, value: value.trim().to_owned(), path });
            }
        }
    }
}

impl Browser {
    /// Loads the IdP's login page and posts the credentials to its form; the form's URL and the answer.
    async fn submit_login(&mut self, login_page: &Url, nip: &str, password: &str) -> (Url, reqwest::Response) {
        let response = self.get(login_page).await;
        assert!(response.status().is_success(), "login page {login_page}: HTTP {}", response.status());
        let html = response.text().await.expect("login page body");
        let action = html
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no form on the login page:\n{html}"));
        let action = login_page.join(&action.replace("&amp;", "&")).expect("form action URL");
        let response = self.post_form(&action, &[("username", nip), ("password", password)]).await;
        (action, response)
    }

    /// Plays the officer from an authorization URL: the login page, the credentials, then the redirects up to
    /// `redirect_uri`, which is returned without being requested.
    async fn sign_in(&mut self, authorization: &Url, redirect_uri: &str, nip: &str, password: &str) -> Url {
        let browser = self;
        let login_page = redirect_target(browser.get(authorization).await, authorization);

        // 2) the form, then the credentials
        let (action, response) = browser.submit_login(&login_page, nip, password).await;
        let mut next = redirect_target(response, &action);

        // 3) redirects (resume, consent if any) until the loopback redirect_uri
        for _ in 0..MAX_REDIRECTS {
            if next.as_str().starts_with(redirect_uri) {
                break;
            }
            let response = browser.get(&next).await;
            next = redirect_target(response, &next);
        }
        assert!(next.as_str().starts_with(redirect_uri), "no redirect to {redirect_uri} within {MAX_REDIRECTS} hops");
        next
    }
}

/// Plays the officer in the system browser for an app that opened `authorization_url` (built by the app with its
/// own PKCE, state and loopback `redirect_uri`): logs `account` in, follows the redirects, and finally requests the
/// loopback redirect itself, as a browser does, so the app's listener receives the code. Returns the callback URL.
pub async fn sign_in_at(authorization_url: &str, account: &Account) -> Url {
    let authorization = Url::parse(authorization_url).unwrap_or_else(|e| panic!("{authorization_url}: {e}"));
    let redirect_uri = authorization
        .query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned())
        .expect("the authorization URL has a redirect_uri");
    let mut browser = Browser::new();
    let flow = browser.sign_in(&authorization, &redirect_uri, &account.nip, &account.password);
    let callback = tokio::time::timeout(LOGIN_TIMEOUT, flow).await.expect("the sign-in finished in time");
    let response = browser.get(&callback).await;
    assert!(response.status().is_success(), "the app's loopback answered HTTP {}", response.status());
    callback
}

/// Plays the officer approving a device sign-in (RFC 8628) at `verification_uri` with `user_code`: the code form,
/// the confirmation, the login page, then the redirects to the "success" page.
pub async fn approve_device(verification_uri: &str, user_code: &str, account: &Account) {
    let flow = async {
        let mut browser = Browser::new();
        let page_url = Url::parse(verification_uri).unwrap_or_else(|e| panic!("{verification_uri}: {e}"));
        let xsrf = |html: &str| {
            html.split("name=\"xsrf\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("no xsrf field on the device page:\n{html}"))
                .to_owned()
        };
        let page = browser.get(&page_url).await.text().await.expect("device page body");
        let confirm = browser
            .post_form(&page_url, &[("xsrf", &xsrf(&page)), ("user_code", user_code)])
            .await
            .text()
            .await
            .expect("confirmation page body");
        let response = browser
            .post_form(&page_url, &[("xsrf", &xsrf(&confirm)), ("user_code", user_code), ("confirm", "yes")])
            .await;
        let login_page = redirect_target(response, &page_url);
        let (mut at, mut response) = browser.submit_login(&login_page, &account.nip, &account.password).await;
        for _ in 0..MAX_REDIRECTS {
            if !response.status().is_redirection() {
                break;
            }
            let next = redirect_target(response, &at);
            response = browser.get(&next).await;
            at = next;
        }
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "device approval ended with HTTP {status}: {body}");
    };
    tokio::time::timeout(LOGIN_TIMEOUT, flow).await.expect("the device approval finished in time");
}
