//! The hub's access-token checks against a real OpenID provider: `tools/idp/idp.mjs` (npm `oidc-provider`),
//! started by the tests on 127.0.0.1, signed in to over HTTP with PKCE like a desktop would
//! (`../shared/reference/sso.md` §3.2, §4). One valid case, then every way a token must be denied, each asserting
//! the specific [`AuthError`] variant.

#![allow(clippy::unwrap_used, unreachable_pub, reason = "test helpers panic on broken setup by design")]

use idp_harness as idp;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{TimeDelta, Utc};
use hub::auth::{AuthError, TokenVerifier, VerifiedToken, bearer_token};
use jsonwebtoken::{Algorithm, EncodingKey, Header};

use idp::{Account, DESKTOP_CLIENT, HUB_AUDIENCE, Idp, IdpOptions, OTHER_CLIENT, Tokens, account};

/// One IdP for the tests that do not restart it or need a second one. Never dropped: it exits when this test
/// process does (its stdin closes).
fn shared_idp() -> &'static Idp {
    static IDP: OnceLock<Idp> = OnceLock::new();
    IDP.get_or_init(|| Idp::start(&IdpOptions::default()))
}

fn verifier(idp: &Idp) -> TokenVerifier {
    TokenVerifier::new(idp.issuer(), DESKTOP_CLIENT).expect("verifier configuration")
}

async fn operator_tokens(idp: &Idp) -> (Account, Tokens) {
    let operator = account("operator_instansi");
    let tokens = idp.login(DESKTOP_CLIENT, &operator).await;
    (operator, tokens)
}

async fn accepted(verifier: &TokenVerifier, token: &str) -> VerifiedToken {
    match verifier.verify(token).await {
        Ok(verified) => verified,
        Err(e) => panic!("token rejected: {e} ({e:?})"),
    }
}

async fn rejected(verifier: &TokenVerifier, token: &str) -> AuthError {
    let error = verifier.verify(token).await.expect_err("token accepted");
    let message = error.to_string();
    assert!(!message.contains(token), "the error message quotes the token: {message}");
    error
}

fn decode_part(part: &str) -> serde_json::Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

fn encode_part(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON"))
}

/// `token` with its header and payload changed by `edit`, keeping the original signature.
fn edited(token: &str, edit: impl FnOnce(&mut serde_json::Value, &mut serde_json::Value)) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWS has three parts");
    let (mut header, mut payload) = (decode_part(parts[0]), decode_part(parts[1]));
    edit(&mut header, &mut payload);
    format!("{}.{}.{}", encode_part(&header), encode_part(&payload), parts[2])
}

fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token).expect("JWT header").kid.expect("kid")
}

/// A private JWKS path under the target directory, removed when dropped.
struct KeysFile(PathBuf);

impl KeysFile {
    fn new() -> KeysFile {
        let name = format!("idp-keys-{}.json", uuid::Uuid::new_v4().simple());
        KeysFile(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name))
    }
}

impl Drop for KeysFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn valid_access_token_is_accepted_with_sub_nip_and_name() {
    let idp = shared_idp();
    let (operator, tokens) = operator_tokens(idp).await;
    let verifier = verifier(idp);

    let verified = accepted(&verifier, &tokens.access_token).await;
    assert_eq!(verified.sub, operator.sub);
    assert_eq!(verified.nip.as_str(), operator.nip);
    assert_ne!(verified.sub, operator.nip, "sub is the provider's user id, the NIP is preferred_username");
    assert_eq!(verified.name.as_deref(), Some(operator.name.as_str()));
    assert!(verified.scopes.iter().any(|s| s == "openid"), "scopes {:?}", verified.scopes);
    assert!(verified.token_id.is_some(), "jti");
    let lifetime = verified.expires_at - Utc::now();
    assert!(lifetime > TimeDelta::seconds(200) && lifetime <= TimeDelta::seconds(300), "lifetime {lifetime}");

    // The whole header path, scheme in any case; the keys were fetched once and then cached.
    let header = format!("bearer {}", tokens.access_token);
    assert_eq!(verifier.verify_authorization(Some(&header)).await, Ok(verified));
    assert_eq!(verifier.jwks_fetch_count(), 1);

    // Another officer of another instansi: the verifier knows nothing of instansi, only who it is.
    let other = account("verifikator_bkn");
    let tokens = idp.login(DESKTOP_CLIENT, &other).await;
    let verified = accepted(&verifier, &tokens.access_token).await;
    assert_eq!((verified.sub.as_str(), verified.nip.as_str()), (other.sub.as_str(), other.nip.as_str()));
}

#[tokio::test]
async fn audience_is_checked_when_configured() {
    let idp = shared_idp();
    let (_, tokens) = operator_tokens(idp).await;

    let hub_audience = verifier(idp).with_audience(HUB_AUDIENCE);
    accepted(&hub_audience, &tokens.access_token).await;

    let other_audience = verifier(idp).with_audience("hub-lain");
    let error = rejected(&other_audience, &tokens.access_token).await;
    assert_eq!(
        error,
        AuthError::WrongAudience { expected: "hub-lain".to_owned(), found: vec![HUB_AUDIENCE.to_owned()] }
    );
}

#[tokio::test]
async fn missing_authorization_header_is_denied() {
    assert_eq!(bearer_token(None), Err(AuthError::MissingAuthorization));
    let verifier = verifier(shared_idp());
    assert_eq!(verifier.verify_authorization(None).await, Err(AuthError::MissingAuthorization));
    assert_eq!(verifier.jwks_fetch_count(), 0, "nothing to check, nothing fetched");
}

#[tokio::test]
async fn malformed_authorization_headers_are_denied() {
    for value in [
        "",
        "   ",
        "Bearer",
        "Bearer   ",
        "Basic dXNlcjpwYXNzd29yZA==",
        "Token abc.def.ghi",
        "abc.def.ghi",
        "Bearerabc.def.ghi",
        "Bearer abc def",
        "Bearer abc,def",
        "Bearer ===",
        "Bearer \"abc\"",
    ] {
        let result = bearer_token(Some(value));
        assert!(
            matches!(result, Err(AuthError::MalformedAuthorization { .. })),
            "{value:?} gave {result:?}, expected MalformedAuthorization"
        );
    }
    assert_eq!(bearer_token(Some("Bearer abc.def-ghi_")), Ok("abc.def-ghi_"));
    assert_eq!(bearer_token(Some("BEARER  abc.d/e+f==  ")), Ok("abc.d/e+f=="));
    assert_eq!(bearer_token(Some("bearer\tabc")), Ok("abc"));

    let error = verifier(shared_idp()).verify_authorization(Some("Basic dXNlcjpwYXNzd29yZA==")).await.unwrap_err();
    assert!(matches!(error, AuthError::MalformedAuthorization { .. }), "{error:?}");
    assert!(!error.to_string().contains("dXNlcjpwYXNzd29yZA"), "the message quotes the credentials: {error}");
}

#[tokio::test]
async fn expired_token_is_denied_after_the_leeway() {
    let idp = shared_idp();
    let (_, tokens) = operator_tokens(idp).await;
    let expires_at = accepted(&verifier(idp), &tokens.access_token).await.expires_at;

    let within_leeway = verifier(idp).with_clock(move || expires_at + TimeDelta::seconds(29));
    accepted(&within_leeway, &tokens.access_token).await;

    let past_leeway = verifier(idp).with_clock(move || expires_at + TimeDelta::seconds(31));
    assert_eq!(rejected(&past_leeway, &tokens.access_token).await, AuthError::Expired { expired_at: expires_at });

    let no_leeway = verifier(idp).with_leeway(Duration::ZERO).with_clock(move || expires_at + TimeDelta::seconds(1));
    assert_eq!(rejected(&no_leeway, &tokens.access_token).await, AuthError::Expired { expired_at: expires_at });
}

#[tokio::test]
async fn token_of_another_issuer_is_denied() {
    // Two IdPs (two issuers) signing with the same key: only `iss` tells their tokens apart.
    let keys = KeysFile::new();
    let ours = Idp::start(&IdpOptions { keys: Some(keys.0.clone()), ..IdpOptions::default() });
    let theirs = Idp::start(&IdpOptions { keys: Some(keys.0.clone()), ..IdpOptions::default() });
    assert_ne!(ours.issuer(), theirs.issuer());
    let operator = account("operator_instansi");
    let our_token = ours.login(DESKTOP_CLIENT, &operator).await.access_token;
    let their_token = theirs.login(DESKTOP_CLIENT, &operator).await.access_token;
    assert_eq!(kid_of(&our_token), kid_of(&their_token), "both IdPs use the key in {}", keys.0.display());

    let verifier = verifier(&ours);
    accepted(&verifier, &our_token).await;
    assert_eq!(
        rejected(&verifier, &their_token).await,
        AuthError::WrongIssuer { expected: ours.issuer().to_owned(), found: theirs.issuer().to_owned() }
    );
}

#[tokio::test]
async fn issuer_that_discovery_does_not_confirm_is_a_provider_problem() {
    let idp = shared_idp();
    let (_, tokens) = operator_tokens(idp).await;
    // One character off (a trailing slash): discovery answers, but for another issuer string (OIDC Discovery §4.3).
    let configured = format!("{}/", idp.issuer());
    let verifier = TokenVerifier::new(&configured, DESKTOP_CLIENT).expect("verifier configuration");
    let expected = AuthError::ProviderMismatch { expected: configured.clone(), found: idp.issuer().to_owned() };
    assert_eq!(verifier.prefetch().await, Err(expected.clone()));
    assert!(expected.is_provider_problem());
    // Within the refetch interval the verifier does not ask again; it says it has no keys yet.
    let error = verifier.verify(&tokens.access_token).await.unwrap_err();
    assert!(matches!(error, AuthError::ProviderUnavailable { .. }), "{error:?}");
    assert_eq!(verifier.jwks_fetch_count(), 0);
}

#[tokio::test]
async fn unreachable_provider_is_a_provider_problem() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    }; // closed again: nothing listens there now
    let verifier = TokenVerifier::new(&format!("http://127.0.0.1:{port}/realms/luring"), DESKTOP_CLIENT).unwrap();
    let (_, tokens) = operator_tokens(shared_idp()).await;
    let error = verifier.verify(&tokens.access_token).await.unwrap_err();
    assert!(matches!(error, AuthError::ProviderUnavailable { .. }), "{error:?}");
    assert!(error.is_provider_problem());

    for bad in ["127.0.0.1/realms/x", "ftp://127.0.0.1/realms/x", "http://127.0.0.1/realms/x?a=b"] {
        let result = TokenVerifier::new(bad, DESKTOP_CLIENT);
        assert!(matches!(result, Err(AuthError::InvalidConfiguration { .. })), "{bad}: {result:?}");
    }
    assert!(matches!(TokenVerifier::new("http://127.0.0.1/x", " "), Err(AuthError::InvalidConfiguration { .. })));
}

#[tokio::test]
async fn token_issued_to_another_client_is_denied() {
    let idp = shared_idp();
    let operator = account("operator_instansi");
    let tokens = idp.login(OTHER_CLIENT, &operator).await;
    let error = rejected(&verifier(idp), &tokens.access_token).await;
    assert_eq!(
        error,
        AuthError::WrongClient { expected: DESKTOP_CLIENT.to_owned(), found: Some(OTHER_CLIENT.to_owned()) }
    );
    // Same audience, still another application's token.
    let error = rejected(&verifier(idp).with_audience(HUB_AUDIENCE), &tokens.access_token).await;
    assert!(matches!(error, AuthError::WrongClient { .. }), "{error:?}");
}

#[tokio::test]
async fn id_token_used_as_bearer_is_denied() {
    let idp = shared_idp();
    let (_, tokens) = operator_tokens(idp).await;
    // The ID token is validly signed by the same key, for our client: only its type gives it away.
    assert_eq!(kid_of(&tokens.id_token), kid_of(&tokens.access_token));
    let error = rejected(&verifier(idp), &tokens.id_token).await;
    assert!(matches!(error, AuthError::NotAnAccessToken { .. }), "{error:?}");

    // Keycloak's ID tokens say so in a claim: `typ: "ID"` (re-signed here would need the IdP's key, so the
    // signature check comes first and the forged copy fails there).
    let keycloak_style = edited(&tokens.access_token, |_, payload| payload["typ"] = "ID".into());
    assert_eq!(rejected(&verifier(idp), &keycloak_style).await, AuthError::BadSignature);
}

#[tokio::test]
async fn refresh_token_used_as_bearer_is_denied() {
    let idp = shared_idp();
    let (_, tokens) = operator_tokens(idp).await;
    // oidc-provider's refresh tokens are opaque (Keycloak's are JWTs with typ "Refresh", covered by the type check).
    assert!(!tokens.refresh_token.contains('.'), "expected an opaque refresh token");
    let error = rejected(&verifier(idp), &tokens.refresh_token).await;
    assert!(matches!(error, AuthError::MalformedToken { .. }), "{error:?}");
    let error = verifier(idp).verify_authorization(Some(&format!("Bearer {}", tokens.refresh_token))).await;
    assert!(matches!(error, Err(AuthError::MalformedToken { .. })), "{error:?}");
}

#[tokio::test]
async fn tampered_or_forged_tokens_are_denied() {
    let idp = shared_idp();
    let (_, tokens) = operator_tokens(idp).await;
    let verifier = verifier(idp);
    let someone_else = account("admin_hub");

    // Another officer's NIP and sub pasted into a valid token.
    let impersonation = edited(&tokens.access_token, |_, payload| {
        payload["sub"] = someone_else.sub.clone().into();
        payload["preferred_username"] = someone_else.nip.clone().into();
    });
    assert_eq!(rejected(&verifier, &impersonation).await, AuthError::BadSignature);

    // A longer lifetime.
    let prolonged = edited(&tokens.access_token, |_, payload| {
        payload["exp"] = (Utc::now().timestamp() + 86_400).into();
    });
    assert_eq!(rejected(&verifier, &prolonged).await, AuthError::BadSignature);

    // HS256 "signed" with a guessable secret, naming the real key: the algorithm is pinned, not read.
    let claims = decode_part(tokens.access_token.split('.').nth(1).unwrap());
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid_of(&tokens.access_token));
    let hs256 =
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(b"public key bytes").unwrap()).unwrap();
    assert_eq!(rejected(&verifier, &hs256).await, AuthError::AlgorithmNotAllowed { alg: "HS256".to_owned() });

    // alg "none" is not even an algorithm.
    let none = edited(&tokens.access_token, |header, _| header["alg"] = "none".into());
    let unsigned = format!("{}.", none.rsplit_once('.').unwrap().0);
    assert!(matches!(rejected(&verifier, &unsigned).await, AuthError::MalformedToken { .. }));

    // No kid: no key to check with.
    let no_kid = edited(&tokens.access_token, |header, _| {
        header.as_object_mut().unwrap().remove("kid");
    });
    assert_eq!(rejected(&verifier, &no_kid).await, AuthError::MissingKeyId);

    // Signature cut off or garbled.
    let truncated = tokens.access_token.rsplit_once('.').unwrap().0.to_owned();
    assert!(matches!(rejected(&verifier, &truncated).await, AuthError::MalformedToken { .. }));
    assert!(matches!(rejected(&verifier, "not-a-token").await, AuthError::MalformedToken { .. }));

    // And the genuine token still passes.
    accepted(&verifier, &tokens.access_token).await;
}

#[tokio::test]
async fn rotated_key_is_fetched_once_on_its_unknown_kid() {
    let mut idp = Idp::start(&IdpOptions::default());
    let operator = account("verifikator_instansi");
    let old_token = idp.login(DESKTOP_CLIENT, &operator).await.access_token;
    let verifier = Arc::new(verifier(&idp).with_refetch_interval(Duration::ZERO));
    accepted(&verifier, &old_token).await;
    assert_eq!(verifier.jwks_fetch_count(), 1);

    // The provider rotates its key (a restart without a key file makes a new one); same port, same issuer.
    let issuer = idp.issuer().to_owned();
    idp.restart(None);
    assert_eq!(idp.issuer(), issuer);
    let new_token = idp.login(DESKTOP_CLIENT, &operator).await.access_token;
    assert_ne!(kid_of(&new_token), kid_of(&old_token), "the restarted IdP signs with a new key");

    // Eight requests at once with the new kid: one refetch between them, all accepted.
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (verifier, token) = (Arc::clone(&verifier), new_token.clone());
        requests.spawn(async move { verifier.verify(&token).await });
    }
    while let Some(result) = requests.join_next().await {
        let verified = result.expect("task").unwrap_or_else(|e| panic!("rotated key not picked up: {e}"));
        assert_eq!(verified.nip.as_str(), operator.nip);
    }
    assert_eq!(verifier.jwks_fetch_count(), 2);

    // The withdrawn key is gone from the cache too: the old token now names an unknown kid.
    let error = rejected(&verifier, &old_token).await;
    assert_eq!(error, AuthError::UnknownKey { kid: kid_of(&old_token) });
    assert_eq!(verifier.jwks_fetch_count(), 3);
}

#[tokio::test]
async fn unknown_kid_refetches_are_rate_limited() {
    let mut idp = Idp::start(&IdpOptions::default());
    let operator = account("admin_instansi");
    let token = idp.login(DESKTOP_CLIENT, &operator).await.access_token;
    let verifier = verifier(&idp).with_refetch_interval(Duration::from_secs(3600));
    accepted(&verifier, &token).await;
    assert_eq!(verifier.jwks_fetch_count(), 1);

    // A stream of made-up kids does not reach the provider again within the interval.
    for n in 0..5 {
        let kid = format!("made-up-{n}");
        let forged = edited(&token, |header, _| header["kid"] = kid.clone().into());
        assert_eq!(rejected(&verifier, &forged).await, AuthError::UnknownKey { kid });
    }
    assert_eq!(verifier.jwks_fetch_count(), 1);

    // Not even a genuinely rotated key: it waits for the interval (a fresh verifier shows the JWKS has it).
    idp.restart(None);
    let rotated = idp.login(DESKTOP_CLIENT, &operator).await.access_token;
    assert_eq!(rejected(&verifier, &rotated).await, AuthError::UnknownKey { kid: kid_of(&rotated) });
    assert_eq!(verifier.jwks_fetch_count(), 1);
    accepted(&self::verifier(&idp), &rotated).await;

    // The default interval is the one sso.md gives.
    assert_eq!(hub::auth::DEFAULT_REFETCH_INTERVAL, Duration::from_secs(10));
}

#[tokio::test]
async fn error_messages_say_what_is_wrong_in_bahasa_indonesia() {
    let expired = AuthError::Expired { expired_at: chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap() };
    assert_eq!(
        expired.to_string(),
        "token sudah kedaluwarsa sejak 30-11-2026 00:53:20 UTC; perbarui token (refresh) lalu coba lagi"
    );
    let wrong_client = AuthError::WrongClient { expected: DESKTOP_CLIENT.to_owned(), found: None };
    assert_eq!(wrong_client.to_string(), "token diterbitkan untuk aplikasi (tanpa azp), bukan untuk luring-desktop");
    assert!(!wrong_client.is_provider_problem());
}
