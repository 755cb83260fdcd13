//! Talking to the hub as the signed-in officer (issue 5 items 1, 2 and 5): the roster identity, device
//! registration, and one sync run with the session's tokens.
//!
//! [`sync`] is the whole rule set around a run of the sync engine:
//! - a scope locked because the hub revoked this device stays locked ([`locked_scope`]): its local data stays
//!   readable, nothing is sent;
//! - only the replica's owner syncs it ([`crate::session::Session::check_push`]): its device is registered to them
//!   and its outbox is their work;
//! - the access token comes from the session (refreshed single-flight); a 401 drops it and the run is tried once
//!   more with a fresh one;
//! - the device (the replica's automerge actor) is registered with the hub once per hub, bound to the officer;
//! - a `device_revoked` answer locks the scope and says what to do.
//!
//! What it does not do: show progress (the caller's observer does), retry beyond the driver's backoff, or loop
//! (live mode is the caller's).

use std::sync::Arc;

use store::Replica;
use store::replication::{self, ApplyReport, ReplicaSync};
use sync::driver::{self, DriverOptions, HttpTransport, Identitas, TokenSource};
use sync::engine::{Engine, Summary, SyncError};

use crate::session::{Roster, Session, SessionError};

/// `meta` key prefix remembering that this replica's device is registered with a hub: `sync_device:<hub url>` →
/// the device name.
pub const DEVICE_KEY_PREFIX: &str = "sync_device:";

/// `meta` key prefix of a scope locked after the hub revoked this device: `lingkup_terkunci:<scope>` → why.
pub const LOCKED_KEY_PREFIX: &str = "lingkup_terkunci:";

/// What stopped [`sync`].
#[derive(Debug, thiserror::Error)]
pub enum SyncFailure {
    /// The session could not give a token, or the replica belongs to another officer.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The scope is locked: the hub revoked this device.
    #[error(
        "lingkup {scope} dikunci di perangkat ini: {reason}. Data lokal tetap dapat dibaca, tetapi tidak dikirim. \
         Hubungi admin instansi; setelah perangkat didaftarkan ulang, unduh replika baru ke folder data lain"
    )]
    Locked {
        /// The scope.
        scope: String,
        /// The hub's words when it was locked.
        reason: String,
    },
    /// The SSO sign-in succeeded (and is stored) but the hub refused to say who the officer is (the hub's words):
    /// not on its roster (403), the token not accepted (401: the hub's issuer or client id differ from the app's),
    /// a revoked device, or trouble on the hub.
    #[error("masuk SSO berhasil, tetapi hub menolak: {}. {}", .0, roster_advice(.0))]
    Roster(String),
    /// Registering the device failed (the hub's words, or the network's).
    #[error("pendaftaran perangkat gagal: {0}")]
    Registration(String),
    /// The run failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The replica failed.
    #[error("replika: {0}")]
    Replica(#[from] store::Error),
}

/// What to do about a refused `GET /v1/identitas`, from the hub's status and code in `message`.
fn roster_advice(message: &str) -> &'static str {
    if message.contains("device_revoked") {
        "Perangkat ini dicabut admin; hubungi admin instansi"
    } else if message.contains("(401") {
        "Hub tidak menerima token SSO ini: periksa bahwa hub dan aplikasi memakai penerbit (issuer) dan client id \
         yang sama"
    } else if message.contains("(403") {
        "Minta admin instansi menambahkan NIP Anda ke roster hub (`luring-hub roster add`)"
    } else {
        "Coba lagi nanti; bila berulang, hubungi admin hub"
    }
}

/// How [`sync`] gets its access token.
#[derive(Clone, Copy)]
pub enum Credentials<'a> {
    /// The signed-in officer's session (the normal case).
    Session(&'a Session),
    /// A token given by a script (`luring-cli sync --token`); no refresh, no owner check (the hub still binds the
    /// device to one NIP).
    Token(&'a str),
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Session(session) => f.debug_tuple("Session").field(session).finish(),
            Credentials::Token(_) => f.write_str("Token([rahasia])"),
        }
    }
}

/// What one [`sync`] did.
#[derive(Debug, Clone)]
pub struct Synced {
    /// What moved.
    pub summary: Summary,
    /// What the replica applied, rejected and noticed.
    pub report: ApplyReport,
}

/// The roster's answer as a [`Roster`] for the session.
pub fn roster(identitas: Identitas) -> Roster {
    Roster {
        nip: Some(identitas.nip),
        nama: identitas.nama,
        instansi_id: Some(identitas.instansi_id),
        peran: identitas.peran,
        izin: identitas.izin,
    }
}

/// A transport to the hub at `base` that names the replica's device on every request (so a revoked device is
/// told so on any request, not only on a push).
///
/// # Errors
/// When the HTTP client cannot be built, or `base` is not a URL.
pub fn transport(base: &str, replica: &Replica) -> Result<HttpTransport, SyncFailure> {
    let transport = HttpTransport::new(base)
        .map_err(|error| SyncFailure::Registration(format!("alamat hub {base} tidak dapat dipakai: {error}")))?;
    Ok(transport.with_device(replica.actor().to_bytes()))
}

/// Completes a sign-in on `replica`: asks the hub's roster who the officer is (instansi, peran, izin), stores the
/// session ([`Session::complete_sign_in`]) and registers the device with the hub, bound to the officer (DESIGN
/// §5.4). When the hub cannot be reached the sign-in still counts (the identity then has no instansi until the
/// first sync), and the registration happens at the first sync.
///
/// # Errors
/// [`SyncFailure::Session`] when the tokens carry no identity or no refresh token, or the replica belongs to another
/// officer; [`SyncFailure::Roster`] when the hub refuses to say who the officer is; [`SyncFailure::Registration`]
/// when the hub refuses the device (not when it cannot be reached); replica errors.
pub async fn finish_sign_in(
    session: &Session,
    replica: &Replica,
    transport: &HttpTransport,
    tokens: &crate::sso::Tokens,
    device_name: &str,
) -> Result<crate::session::SignedIn, SyncFailure> {
    let (roster, refusal) = match transport.identity(&tokens.access_token).await {
        Ok(identitas) => (Some(roster(identitas)), None),
        // Offline or the hub down: the sign-in counts; the roster comes with the first sync.
        Err(message) if message.starts_with("hub tidak terjangkau") => (None, None),
        Err(message) => (None, Some(crate::sso::printable(&message))),
    };
    let reached = roster.is_some();
    // The replica's owner is checked first: another officer's sign-in is refused whatever the hub says.
    let signed_in = session.complete_sign_in(replica, tokens, roster).await?;
    if let Some(message) = refusal {
        return Err(SyncFailure::Roster(message));
    }
    if reached {
        register_device(replica, transport, &tokens.access_token, device_name).await?;
    }
    Ok(signed_in)
}

/// Why `scope` is locked on this replica, if it is.
///
/// # Errors
/// Replica errors.
pub fn locked_scope(replica: &Replica, scope: &str) -> Result<Option<String>, store::Error> {
    replica.meta(&format!("{LOCKED_KEY_PREFIX}{scope}"))
}

/// Registers the replica's device with the hub under `name`, once per hub (remembered in the replica).
///
/// # Errors
/// The hub's refusal or the network's failure, as text.
pub async fn register_device(
    replica: &Replica,
    transport: &HttpTransport,
    token: &str,
    name: &str,
) -> Result<(), SyncFailure> {
    let key = format!("{DEVICE_KEY_PREFIX}{}", transport.base());
    if replica.meta(&key)?.is_some() {
        return Ok(());
    }
    let actor = replica.actor().to_bytes().to_vec();
    transport.register_device(token, &actor, name).await.map_err(SyncFailure::Registration)?;
    replica.set_meta(&key, name)?;
    Ok(())
}

/// Syncs `scope` of `replica` with the hub of `transport` once: see the module doc for the rules around the run.
/// `device_name` is used when the device is registered for the first time.
///
/// # Errors
/// [`SyncFailure`]; nothing local is lost in any of them (the outbox stays, a bootstrap resumes).
pub async fn sync(
    replica: &Replica,
    credentials: Credentials<'_>,
    transport: &HttpTransport,
    scope: &str,
    device_name: &str,
    options: &DriverOptions,
    observer: driver::Observer<'_>,
) -> Result<Synced, SyncFailure> {
    let token = prepare(replica, credentials, transport, scope, device_name).await?;
    let mut local = ReplicaSync::new(replica, replication::system_clock);
    let mut result = run_once(&mut local, transport, scope, &token, options, &mut *observer).await;
    if let (Err(SyncError::Unauthorized { .. }), Credentials::Session(session)) = (&result, credentials) {
        // The hub refused the access token (revoked, or expired early): once more with a fresh one.
        session.forget_access_token();
        let token = session.access_token(replica).await?;
        result = run_once(&mut local, transport, scope, &token, options, &mut *observer).await;
    }
    conclude(replica, scope, result, &local)
}

/// Live mode: like [`sync`], then long-polls the hub and syncs again on every change until `stop` resolves
/// (`sync::driver::live`). The session's access token is renewed in the background (checked every
/// [`TOKEN_CHECK`]; refreshed before it expires), so live mode outlives any one token.
///
/// # Errors
/// As [`sync`]; network trouble does not end live mode, a decision of the hub (401/403) does.
#[allow(clippy::too_many_arguments, reason = "the same inputs as `sync`, plus the stop signal")]
pub async fn live(
    replica: &Replica,
    credentials: Credentials<'_>,
    transport: &HttpTransport,
    scope: &str,
    device_name: &str,
    options: &DriverOptions,
    stop: std::pin::Pin<&mut (dyn std::future::Future<Output = ()> + Send)>,
    observer: driver::Observer<'_>,
) -> Result<Synced, SyncFailure> {
    let token = prepare(replica, credentials, transport, scope, device_name).await?;
    let current = Arc::new(std::sync::Mutex::new(token));
    let shared = Arc::clone(&current);
    let tokens: TokenSource =
        Arc::new(move || Some(shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()));
    // The renewal is never cancelled halfway: a refresh dropped after the provider rotated the token would lose
    // it. When the run ends, the renewal finishes what it is doing and stops.
    let finished = tokio::sync::Notify::new();
    let renew = async {
        let Credentials::Session(session) = credentials else { return };
        loop {
            tokio::select! {
                () = tokio::time::sleep(TOKEN_CHECK) => {}
                () = finished.notified() => return,
            }
            // Offline or refused: keep the old token; the run reports what the hub says about it.
            if let Ok(token) = session.access_token(replica).await {
                *current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = token;
            }
        }
    };
    let mut local = ReplicaSync::new(replica, replication::system_clock);
    let run = async {
        let result = driver::live(scope, &mut local, transport, &tokens, options, stop, observer).await;
        finished.notify_one();
        result
    };
    let (result, ()) = tokio::join!(run, renew);
    conclude(replica, scope, result, &local)
}

/// How often live mode checks whether the access token needs a refresh.
pub const TOKEN_CHECK: std::time::Duration = std::time::Duration::from_secs(20);

/// The checks before a run, and its token (see the module doc).
async fn prepare(
    replica: &Replica,
    credentials: Credentials<'_>,
    transport: &HttpTransport,
    scope: &str,
    device_name: &str,
) -> Result<String, SyncFailure> {
    if let Some(reason) = locked_scope(replica, scope)? {
        return Err(SyncFailure::Locked { scope: scope.to_owned(), reason });
    }
    let token = match credentials {
        Credentials::Session(session) => {
            session.check_push(replica)?;
            session.access_token(replica).await?
        }
        Credentials::Token(token) => token.to_owned(),
    };
    register_device(replica, transport, &token, device_name).await?;
    if let Credentials::Session(session) = credentials
        && let Ok(identitas) = transport.identity(&token).await
    {
        // The roster may have changed (a transfer, a new role): keep the offline identity current.
        session.update_roster(replica, roster(identitas))?;
    }
    Ok(token)
}

/// What a finished run means: the summary, or a locked scope when the hub revoked the device.
fn conclude(
    replica: &Replica,
    scope: &str,
    result: Result<Summary, SyncError>,
    local: &ReplicaSync<'_>,
) -> Result<Synced, SyncFailure> {
    match result {
        Ok(summary) => Ok(Synced { summary, report: local.report().clone() }),
        Err(error) if error.is_device_revoked() => {
            let reason = error.to_string();
            replica.set_meta(&format!("{LOCKED_KEY_PREFIX}{scope}"), &reason)?;
            Err(SyncFailure::Locked { scope: scope.to_owned(), reason })
        }
        Err(error) => Err(error.into()),
    }
}

async fn run_once(
    local: &mut ReplicaSync<'_>,
    transport: &HttpTransport,
    scope: &str,
    token: &str,
    options: &DriverOptions,
    observer: driver::Observer<'_>,
) -> Result<Summary, SyncError> {
    let token = token.to_owned();
    let tokens: TokenSource = Arc::new(move || Some(token.clone()));
    let mut engine = Engine::new(scope.to_owned());
    driver::run(&mut engine, local, transport, &tokens, options, observer).await
}
