//! Signing in through the real local OpenID provider and syncing with a real hub (issue 5's bars): sign-in,
//! sync, refresh with rotation, offline past the access token's expiry, restart, reconnect and push; a reused
//! refresh token; another officer on the same replica; the device grant; a revoked device; logout.

use std::time::Duration;

use app::hub::{Credentials, SyncFailure, Synced};
use app::secret::MemoryStore;
use app::session::{SessionError, SignedIn};
use app::sso::{SsoConfig, SsoError};
use app::{hub as app_hub, session::Session};
use idp_harness::{Account, Idp, IdpOptions};
use store::Replica;
use sync::driver::DriverOptions;

use crate::{RunningHub, SELATAN, TempDir, account};

/// A fixture pegawai of Contoh Selatan (`../shared/fixtures/export-data-asn.csv`).
const NIP: &str = "197603012006012005";

fn config(idp: &Idp) -> SsoConfig {
    SsoConfig { issuer: idp.issuer().to_owned(), client_id: "luring-desktop".to_owned() }
}

fn options() -> DriverOptions {
    // An unreachable hub gives up after two failed exchanges, quickly.
    DriverOptions { max_failures: 2, backoff_base: Duration::from_millis(20), ..DriverOptions::default() }
}

/// The officer signs in in the "system browser" (the harness plays it against the app's own authorization URL
/// and loopback listener), then the app completes the sign-in with the hub.
async fn sign_in(session: &Session, replica: &Replica, hub: &RunningHub, officer: &Account) -> SignedIn {
    try_sign_in(session, replica, hub, officer).await.unwrap()
}

async fn try_sign_in(
    session: &Session,
    replica: &Replica,
    hub: &RunningHub,
    officer: &Account,
) -> Result<SignedIn, SyncFailure> {
    let provider = session.provider().await.unwrap();
    let pending = provider.begin_browser().await.unwrap();
    assert!(pending.redirect_uri().starts_with("http://127.0.0.1:"), "{}", pending.redirect_uri());
    let (url, officer) = (pending.url.clone(), officer.clone());
    let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &officer).await });
    let tokens = pending.finish(provider, Duration::from_secs(30)).await.unwrap();
    browser.await.unwrap();
    let transport = app_hub::transport(&hub.base, replica).unwrap();
    app_hub::finish_sign_in(session, replica, &transport, &tokens, "Laptop uji").await
}

async fn sync(replica: &Replica, session: &Session, hub: &RunningHub) -> Result<Synced, SyncFailure> {
    let transport = app_hub::transport(&hub.base, replica).unwrap();
    let scope = format!("instansi:{SELATAN}");
    let mut observer = |_: &sync::engine::Summary| {};
    app_hub::sync(replica, Credentials::Session(session), &transport, &scope, "Laptop uji", &options(), &mut observer)
        .await
}

fn stored_refresh_token(replica: &Replica) -> Option<String> {
    let stored: serde_json::Value = serde_json::from_str(&replica.meta("sesi").unwrap().unwrap()).unwrap();
    stored["refresh_token"].as_str().map(str::to_owned)
}

fn outbox(replica: &Replica) -> i64 {
    store::replication::status(replica).unwrap().outbox_changes
}

fn edit_no_hp(replica: &Replica, value: &str) {
    let changed = store::edit::edit_pegawai(replica, NIP, 1_764_500_000_000, "ubah nomor HP", |json| {
        json["data_utama"]["no_hp"] = serde_json::Value::String(value.to_owned());
    })
    .unwrap();
    assert!(changed.is_some());
}

fn no_hp(replica: &Replica) -> serde_json::Value {
    let profil = store::query::profil(&replica.reader().unwrap(), NIP).unwrap();
    serde_json::to_value(&profil.pegawai).unwrap()["data_utama"]["no_hp"].clone()
}

fn pegawai_count(replica: &Replica) -> i64 {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    store::query::facets(&replica.reader().unwrap(), &store::query::Filter::default(), today).unwrap().total
}

/// The demo operator signed in on a new replica, synced once with a hub of the fixtures' kabupaten.
struct Officer {
    idp: Idp,
    hub: RunningHub,
    _hub_dir: TempDir,
    _data: TempDir,
    replica: Replica,
    session: Session,
}

impl Officer {
    async fn synced() -> Officer {
        let idp = Idp::start(&IdpOptions::default());
        let hub_dir = TempDir::new("hub");
        let hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
        let data = TempDir::new("data");
        let replica = app::replica::open(&data.0, &MemoryStore::default(), true).unwrap();
        let session = Session::new(config(&idp));
        sign_in(&session, &replica, &hub, &account("operator_instansi")).await;
        sync(&replica, &session, &hub).await.unwrap();
        Officer { idp, hub, _hub_dir: hub_dir, _data: data, replica, session }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_signs_in_syncs_refreshes_works_offline_and_pushes_after_a_restart() {
    // Access tokens live 4 s, so "past the access token's expiry" takes seconds.
    let idp = Idp::start(&IdpOptions { access_token_ttl: Some(4), ..IdpOptions::default() });
    let hub_dir = TempDir::new("hub");
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let data = TempDir::new("data");
    let secrets = MemoryStore::default();
    let operator = account("operator_instansi");

    let replica = app::replica::open(&data.0, &secrets, true).unwrap();
    let session = Session::new(config(&idp));
    let signed = sign_in(&session, &replica, &hub, &operator).await;
    assert_eq!(signed.identity.sub, operator.sub);
    assert_eq!(signed.identity.nip, operator.nip);
    assert_eq!(signed.identity.instansi_id.as_deref(), Some(SELATAN), "the instansi comes from the hub's roster");
    assert_eq!(signed.identity.peran, ["operator_instansi"]);
    assert!(!signed.identity.izin.is_empty(), "the roster's permissions are kept for the UI");
    assert!(signed.first && !signed.rebound, "the first sign-in makes the operator the replica's owner");
    assert!(signed.identity.offline_remaining(chrono::Utc::now()) > Duration::from_secs(29 * 24 * 3600));

    // First sync: the bootstrap of the instansi's 60 pegawai.
    let first = sync(&replica, &session, &hub).await.unwrap();
    assert!(first.summary.bootstrapped);
    assert_eq!(pegawai_count(&replica), 60);

    // The access token runs out; the next use refreshes it and the rotated refresh token is stored.
    let first_refresh = stored_refresh_token(&replica).unwrap();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    session.access_token(&replica).await.unwrap();
    let second_refresh = stored_refresh_token(&replica).unwrap();
    assert_ne!(first_refresh, second_refresh, "the provider rotates refresh tokens");
    // Two callers at once after expiry: one refresh (a second would reuse a rotated token and lose the grant).
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let (a, b) = tokio::join!(session.access_token(&replica), session.access_token(&replica));
    assert_eq!(a.unwrap(), b.unwrap());
    assert_ne!(stored_refresh_token(&replica).unwrap(), second_refresh);

    // Offline: the hub is gone and the access token expires; the officer keeps working.
    hub.stop().await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    edit_no_hp(&replica, "081299990001");
    assert_eq!(outbox(&replica), 1);
    match sync(&replica, &session, &hub).await {
        Err(SyncFailure::Sync(error)) => assert!(error.is_transient(), "{error}"),
        other => panic!("a sync without a hub must fail as network trouble, got {other:?}"),
    }
    assert_eq!(outbox(&replica), 1, "nothing is lost offline");

    // The app restarts, still offline: the identity is there, the access token is not.
    drop(replica);
    drop(session);
    let replica = app::replica::open(&data.0, &secrets, false).unwrap();
    let session = Session::new(config(&idp));
    let identity = session.identity(&replica).unwrap().expect("the identity survives a restart");
    assert_eq!((identity.nip.as_str(), identity.instansi_id.as_deref()), (operator.nip.as_str(), Some(SELATAN)));
    assert_eq!(no_hp(&replica), "081299990001");
    assert_eq!(outbox(&replica), 1);

    // Back online: a refreshed token, the queued change pushed.
    hub.restart().await;
    let synced = sync(&replica, &session, &hub).await.unwrap();
    assert_eq!(synced.summary.pushed, 1);
    assert!(synced.summary.rejected.is_empty(), "{:?}", synced.summary.rejected);
    assert_eq!(outbox(&replica), 0);

    // Another officer's new device bootstraps and sees the change.
    let other_data = TempDir::new("data-lain");
    let other_replica = app::replica::open(&other_data.0, &secrets, true).unwrap();
    let other_session = Session::new(config(&idp));
    sign_in(&other_session, &other_replica, &hub, &account("verifikator_instansi")).await;
    sync(&other_replica, &other_session, &hub).await.unwrap();
    assert_eq!(no_hp(&other_replica), "081299990001");
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_refresh_token_means_signing_in_again_and_another_officer_never_pushes_the_queue() {
    let Officer { idp: _idp, mut hub, _hub_dir, _data, replica, session } = Officer::synced().await;
    let operator = account("operator_instansi");

    // A refresh rotates the token; then the old one is used again (a copy restored from before the rotation).
    let old = stored_refresh_token(&replica).unwrap();
    session.forget_access_token();
    session.access_token(&replica).await.unwrap();
    let provider = session.provider().await.unwrap();
    assert!(matches!(provider.refresh(&old).await, Err(SsoError::SignInAgain(_))), "a reused token is refused");
    // The provider revoked the whole grant: the app's current token is dead too, and the app says sign in again.
    session.forget_access_token();
    assert!(matches!(session.access_token(&replica).await, Err(SessionError::SignInAgain(_))));
    assert_eq!(stored_refresh_token(&replica), None, "a refused refresh token is never offered again");

    // The operator keeps working; the sync asks for a sign-in and keeps the work.
    edit_no_hp(&replica, "081288880002");
    assert!(matches!(sync(&replica, &session, &hub).await, Err(SyncFailure::Session(SessionError::SignInAgain(_)))));
    assert_eq!(outbox(&replica), 1);

    // Another officer (another `sub`) signs in on this replica: refused, nothing stored, the queue untouched, so
    // the operator's work is never pushed under their name.
    let verifikator = account("verifikator_instansi");
    match try_sign_in(&session, &replica, &hub, &verifikator).await {
        Err(SyncFailure::Session(SessionError::ReplicaOfAnotherOfficer(owner))) => {
            assert_eq!((owner.sub.as_str(), owner.nip.as_str()), (operator.sub.as_str(), operator.nip.as_str()));
        }
        other => panic!("another officer's sign-in must be refused, got {other:?}"),
    }
    assert_eq!(session.identity(&replica).unwrap().unwrap().sub, operator.sub, "the operator's identity stays");
    assert_eq!(stored_refresh_token(&replica), None);
    assert!(matches!(sync(&replica, &session, &hub).await, Err(SyncFailure::Session(SessionError::SignInAgain(_)))));
    assert_eq!(outbox(&replica), 1);

    // The operator signs in again (the recovery) and the work goes up, attributed to them.
    let signed = sign_in(&session, &replica, &hub, &operator).await;
    assert!(!signed.first);
    let synced = sync(&replica, &session, &hub).await.unwrap();
    assert_eq!(synced.summary.pushed, 1);
    assert_eq!(outbox(&replica), 0);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_grant_signs_in_the_same_officer() {
    let idp = Idp::start(&IdpOptions::default());
    let session = Session::new(config(&idp));
    let provider = session.provider().await.unwrap();
    let pending = provider.begin_device().await.unwrap();
    assert!(!pending.user_code().is_empty());
    let officer = account("operator_instansi");
    let (uri, code, who) = (pending.verification_uri().to_owned(), pending.user_code().to_owned(), officer.clone());
    let approval = tokio::spawn(async move { idp_harness::approve_device(&uri, &code, &who).await });
    let tokens = pending.finish(provider, Duration::from_secs(60)).await.unwrap();
    approval.await.unwrap();
    let identity = tokens.identity.expect("a verified ID token");
    assert_eq!((identity.sub.as_str(), identity.nip.as_deref()), (officer.sub.as_str(), Some(officer.nip.as_str())));
    assert!(tokens.refresh_token.is_some(), "offline_access gives a refresh token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_locks_its_scope_and_logout_keeps_local_work() {
    let Officer { idp: _idp, mut hub, _hub_dir, _data, replica, session } = Officer::synced().await;
    let devices = hub.hub.devices().unwrap();
    assert_eq!(devices.len(), 1, "the sign-in registered the device");

    // Signing in again replaces the refresh token (nothing revoked: at Keycloak that would end the new session
    // too), and the new one works.
    let old = stored_refresh_token(&replica).unwrap();
    let again = sign_in(&session, &replica, &hub, &account("operator_instansi")).await;
    assert!(!again.first);
    assert_ne!(stored_refresh_token(&replica).unwrap(), old);
    session.forget_access_token();
    session.access_token(&replica).await.unwrap();
    assert_eq!(hub.hub.devices().unwrap().len(), 1, "the same device");

    // The admin revokes the device; its next sync is refused and the scope is locked, with the work kept.
    edit_no_hp(&replica, "081277770003");
    assert!(hub.hub.revoke_device(&replica.actor().to_hex_string()).unwrap());
    assert!(matches!(sync(&replica, &session, &hub).await, Err(SyncFailure::Locked { .. })));
    let scope = format!("instansi:{SELATAN}");
    assert!(app_hub::locked_scope(&replica, &scope).unwrap().is_some());
    hub.stop().await;
    // Locked without asking the hub again.
    assert!(matches!(sync(&replica, &session, &hub).await, Err(SyncFailure::Locked { .. })));
    assert_eq!(outbox(&replica), 1);
    assert_eq!(no_hp(&replica), "081277770003");
    let provider = session.provider().await.unwrap();

    // Logout revokes the refresh token at the provider and forgets the session; the local work stays.
    let refresh = stored_refresh_token(&replica).unwrap();
    assert!(session.logout(&replica).await.unwrap(), "the provider confirmed the revocation");
    assert_eq!(session.identity(&replica).unwrap(), None);
    assert!(matches!(provider.refresh(&refresh).await, Err(SsoError::SignInAgain(_))));
    assert_eq!(outbox(&replica), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loopback_listener_ignores_what_is_not_our_redirect() {
    let idp = Idp::start(&IdpOptions::default());
    let session = Session::new(config(&idp));
    let provider = session.provider().await.unwrap();
    let pending = provider.begin_browser().await.unwrap();
    let redirect = pending.redirect_uri().to_owned();

    let officer = account("operator_instansi");
    let url = pending.url.clone();
    let started = std::time::Instant::now();
    let finish = pending.finish(provider, Duration::from_secs(30));
    let others = async {
        // A connection that never finishes its request, opened first.
        let port = redirect.trim_start_matches("http://127.0.0.1:").split('/').next().unwrap().to_owned();
        let idle = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}")).await.unwrap();
        // A web page or a local program guessing the port: a forged error and a forged code, without our state.
        let http = reqwest::Client::new();
        let forged = format!("{redirect}?error=access_denied&error_description=%1b%5b31mAKUN%20DIBLOKIR&state=palsu");
        assert_eq!(http.get(&forged).send().await.unwrap().status(), 400);
        let forged = format!("{redirect}?code=curian&state=palsu");
        assert_eq!(http.get(&forged).send().await.unwrap().status(), 400);
        assert_eq!(http.get(redirect.replace("/callback", "/favicon.ico")).send().await.unwrap().status(), 404);
        // The real redirect still completes the sign-in, at once.
        idp_harness::sign_in_at(&url, &officer).await;
        idle
    };
    let (tokens, idle) = tokio::join!(finish, others);
    let tokens = tokens.unwrap();
    assert!(started.elapsed() < Duration::from_secs(8), "the idle connection delayed nothing");
    assert_eq!(tokens.identity.unwrap().sub, officer.sub);
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_over_plain_http_off_loopback_is_refused() {
    let config = SsoConfig { issuer: "http://sso.contoh.go.id/realms/x".to_owned(), client_id: "c".to_owned() };
    match Session::new(config).provider().await {
        Err(SsoError::Discovery { reason, .. }) => assert!(reason.contains("https"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_mode_pulls_another_officers_change_until_stopped() {
    let Officer { idp, mut hub, _hub_dir, _data, replica, session } = Officer::synced().await;
    // The verifikator works on a device (and data folder) of their own.
    let their_data = TempDir::new("data-verifikator");
    let their_replica = app::replica::open(&their_data.0, &MemoryStore::default(), true).unwrap();
    let their_session = Session::new(config(&idp));
    sign_in(&their_session, &their_replica, &hub, &account("verifikator_instansi")).await;
    sync(&their_replica, &their_session, &hub).await.unwrap();

    let transport = app_hub::transport(&hub.base, &replica).unwrap();
    let scope = format!("instansi:{SELATAN}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop_signal = std::pin::pin!(async move {
        let _ = stopped.await;
    });
    let mut observer = |_: &sync::engine::Summary| {};
    let options = options();
    let live = app_hub::live(
        &replica,
        Credentials::Session(&session),
        &transport,
        &scope,
        "Laptop uji",
        &options,
        stop_signal.as_mut(),
        &mut observer,
    );
    let elsewhere = async {
        edit_no_hp(&their_replica, "081266660004");
        sync(&their_replica, &their_session, &hub).await.unwrap();
        // Bounded wait for the long-poll to bring it in.
        let mut arrived = false;
        for _ in 0..200 {
            if no_hp(&replica) == "081266660004" {
                arrived = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = stop.send(());
        arrived
    };
    let (result, arrived) = tokio::join!(live, elsewhere);
    assert!(arrived, "live mode pulled the change within 20 s");
    result.unwrap();
    hub.stop().await;
}

/// The `state` the app put in its authorization URL (what the provider sends back).
fn state_of(authorization_url: &str) -> String {
    let url = reqwest::Url::parse(authorization_url).unwrap();
    url.query_pairs().find(|(name, _)| name == "state").map(|(_, value)| value.into_owned()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_with_our_state_but_without_iss_is_refused_and_errors_are_printable() {
    let idp = Idp::start(&IdpOptions::default());
    let session = Session::new(config(&idp));
    let provider = session.provider().await.unwrap();

    // The test IdP advertises RFC 9207, so a redirect without `iss` is a mix-up attempt.
    let pending = provider.begin_browser().await.unwrap();
    let forged = format!("{}?code=curian&state={}", pending.redirect_uri(), state_of(&pending.url));
    let send = async { reqwest::get(&forged).await.unwrap().status() };
    let (result, status) = tokio::join!(pending.finish(provider, Duration::from_secs(20)), send);
    assert_eq!(status, 200);
    assert!(matches!(result, Err(SsoError::Mismatch(ref what)) if what.contains("iss")), "{result:?}");

    // An error redirect from the provider is reported without the control characters it carried.
    let pending = provider.begin_browser().await.unwrap();
    let forged = format!(
        "{}?error=access_denied&error_description=%1b%5b31mditolak&state={}&iss={}",
        pending.redirect_uri(),
        state_of(&pending.url),
        idp.issuer()
    );
    let send = async { reqwest::get(&forged).await.unwrap().status() };
    let (result, _) = tokio::join!(pending.finish(provider, Duration::from_secs(20)), send);
    match result {
        Err(SsoError::Denied(text)) => assert_eq!(text, "access_denied  [31mditolak"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_code_nobody_approves_times_out() {
    let idp = Idp::start(&IdpOptions::default());
    let session = Session::new(config(&idp));
    let provider = session.provider().await.unwrap();
    let pending = provider.begin_device().await.unwrap();
    let result = pending.finish(provider, Duration::from_secs(2)).await;
    assert!(matches!(result, Err(SsoError::TimedOut(_))), "{result:?}");
}
