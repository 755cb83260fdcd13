//! The two tokens of SI-ASN as the simulator issues and checks them (siasn-api.md §1.2).
//!
//! - APIM (WSO2) token: `POST /oauth2/token`, client-credentials grant with HTTP Basic `key:secret` (or
//!   `client_id`/`client_secret` in the form). Tokens are opaque UUID-shaped strings kept in a table with their
//!   issue time; one is valid while younger than `Faults::apim_ttl` (read at check time, so lowering the TTL
//!   expires tokens already handed out). Sent as `Authorization: Bearer <token>`.
//! - SSO (Keycloak realm `public-siasn`) token: `POST /auth/realms/public-siasn/protocol/openid-connect/token`,
//!   password grant for any 18-digit NIP with the password [`SSO_PASSWORD`]; or made directly by
//!   `Simulator::sso_token` for a "pasted" token. A JWT with `exp`, sent as `Auth: bearer <token>`.
//!
//! What it deliberately does not do: real Keycloak signs with RS256 and publishes its keys; the simulator signs
//! with HS256 and a secret derived from the seed (clients only read `exp`, they never verify the signature). No
//! refresh tokens, no MFA, no token revocation.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};

/// The password the simulated SSO accepts for every operator NIP.
pub(crate) const SSO_PASSWORD: &str = "simulator";
/// Lifetime of SSO tokens from the password grant (S2's default cache age, 12 h).
pub(crate) const SSO_TTL: Duration = Duration::from_secs(43_200);

/// Issues and checks tokens.
#[derive(Debug)]
pub(crate) struct Auth {
    consumer_key: String,
    consumer_secret: String,
    secret: Vec<u8>,
    issuer: String,
    /// APIM token → when it was issued.
    apim: Mutex<HashMap<String, Instant>>,
    rng: Mutex<fastrand::Rng>,
}

/// Why an SSO token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TolakSso {
    /// Missing, not a JWT, or not signed by this simulator.
    Mismatch,
    /// Past its `exp`.
    Expired,
}

/// Why a token request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TolakToken {
    /// `grant_type` is not the one this endpoint serves (400 `unsupported_grant_type`).
    Grant,
    /// Wrong client or user credentials (401).
    Kredensial,
}

impl Auth {
    /// `base_url` names the SSO issuer; `seed` derives the JWT secret and the token randomness.
    pub(crate) fn new(consumer_key: &str, consumer_secret: &str, seed: u64, base_url: &str) -> Auth {
        Auth {
            consumer_key: consumer_key.to_owned(),
            consumer_secret: consumer_secret.to_owned(),
            secret: format!("siasn-simulator-hs256-{seed}").into_bytes(),
            issuer: format!("{base_url}/auth/realms/public-siasn"),
            apim: Mutex::new(HashMap::new()),
            rng: Mutex::new(fastrand::Rng::with_seed(seed ^ 0x4150_494D)),
        }
    }

    /// Answers the client-credentials grant: a new APIM token, or why not.
    pub(crate) fn apim_token(
        &self,
        authorization: Option<&str>,
        form: &HashMap<String, String>,
    ) -> Result<String, TolakToken> {
        if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
            return Err(TolakToken::Grant);
        }
        let basic = authorization.and_then(basic_credentials);
        let (key, secret) = match basic {
            Some(pair) => pair,
            None => (
                form.get("client_id").cloned().unwrap_or_default(),
                form.get("client_secret").cloned().unwrap_or_default(),
            ),
        };
        if key != self.consumer_key || secret != self.consumer_secret {
            return Err(TolakToken::Kredensial);
        }
        let token = {
            let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
            uuid(&mut rng)
        };
        self.apim.lock().unwrap_or_else(PoisonError::into_inner).insert(token.clone(), Instant::now());
        Ok(token)
    }

    /// Whether the request carries `Authorization: Bearer <APIM token>` of a token younger than `ttl`.
    pub(crate) fn apim_valid(&self, headers: &HeaderMap, ttl: Duration) -> bool {
        let Some(token) = bearer(headers, "authorization") else { return false };
        let tokens = self.apim.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.get(token).is_some_and(|issued| issued.elapsed() < ttl)
    }

    /// Answers the password grant: an SSO JWT valid for [`SSO_TTL`], or why not.
    pub(crate) fn sso_password(&self, form: &HashMap<String, String>) -> Result<String, TolakToken> {
        if form.get("grant_type").map(String::as_str) != Some("password") {
            return Err(TolakToken::Grant);
        }
        let username = form.get("username").map(String::as_str).unwrap_or("");
        let nip_ok = username.len() == 18 && username.bytes().all(|byte| byte.is_ascii_digit());
        if !nip_ok || form.get("password").map(String::as_str) != Some(SSO_PASSWORD) {
            return Err(TolakToken::Kredensial);
        }
        let client_id = form.get("client_id").map(String::as_str).unwrap_or("");
        Ok(self.sso_token(username, client_id, SSO_TTL))
    }

    /// An SSO JWT (HS256) for `username`, expiring `ttl` from now (`exp` in whole seconds).
    pub(crate) fn sso_token(&self, username: &str, client_id: &str, ttl: Duration) -> String {
        let now = unix_now();
        let jti = {
            let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
            uuid(&mut rng)
        };
        let claims = json!({
            "exp": now + ttl.as_secs(),
            "iat": now,
            "jti": jti,
            "iss": self.issuer,
            "aud": "account",
            "sub": format!("simulator-{username}"),
            "typ": "Bearer",
            "azp": client_id,
            "preferred_username": username,
            "scope": "profile email",
        });
        // HS256 over a JSON object with a non-empty secret cannot fail.
        EncodingKey::from_secret(&self.secret)
            .and_then(|key| jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key))
            .unwrap_or_default()
    }

    /// Checks `Auth: bearer <SSO JWT>`: signed by this simulator and not yet expired (no leeway: a token is
    /// expired from its `exp` second on).
    pub(crate) fn sso_check(&self, headers: &HeaderMap) -> Result<(), TolakSso> {
        let token = bearer(headers, "auth").ok_or(TolakSso::Mismatch)?;
        let key = DecodingKey::from_secret(&self.secret).map_err(|_| TolakSso::Mismatch)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        let data = jsonwebtoken::decode::<Value>(token, &key, &validation).map_err(|_| TolakSso::Mismatch)?;
        let exp = data.claims.get("exp").and_then(Value::as_u64).ok_or(TolakSso::Mismatch)?;
        if exp > unix_now() { Ok(()) } else { Err(TolakSso::Expired) }
    }
}

/// The token of a `<name>: Bearer <token>` header (scheme case-insensitive, as S1/S7 send `bearer`).
fn bearer<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let value = headers.get(name)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `key` and `secret` of an `Authorization: Basic base64(key:secret)` header.
fn basic_credentials(value: &str) -> Option<(String, String)> {
    use base64::Engine;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (key, secret) = text.split_once(':')?;
    Some((key.to_owned(), secret.to_owned()))
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// A random UUID-shaped token, as WSO2 issues.
fn uuid(rng: &mut fastrand::Rng) -> String {
    let (a, b) = (rng.u64(..), rng.u64(..));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn basic_credentials_are_read() {
        assert_eq!(basic_credentials("Basic a2V5OnNlY3JldA=="), Some(("key".into(), "secret".into())));
        assert_eq!(basic_credentials("Bearer a2V5OnNlY3JldA=="), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }

    #[test]
    fn sso_tokens_expire_and_foreign_tokens_are_refused() {
        let auth = Auth::new("k", "s", 1, "http://127.0.0.1:1");
        let other = Auth::new("k", "s", 2, "http://127.0.0.1:1");
        let mut headers = HeaderMap::new();
        let with = |headers: &mut HeaderMap, token: &str| {
            headers.insert("auth", HeaderValue::from_str(&format!("bearer {token}")).expect("header"));
        };
        with(&mut headers, &auth.sso_token("199001012020121001", "c", Duration::from_secs(60)));
        assert_eq!(auth.sso_check(&headers), Ok(()));
        assert_eq!(other.sso_check(&headers), Err(TolakSso::Mismatch), "a token signed with another secret");
        with(&mut headers, &auth.sso_token("199001012020121001", "c", Duration::ZERO));
        assert_eq!(auth.sso_check(&headers), Err(TolakSso::Expired), "exp = now is expired");
        headers.remove("auth");
        assert_eq!(auth.sso_check(&headers), Err(TolakSso::Mismatch));
    }
}
