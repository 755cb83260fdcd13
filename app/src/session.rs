//! The signed-in officer (issue 5; `../shared/reference/sso.md` §2.4): who it is, offline too, and the tokens that
//! let the replica talk to the hub.
//!
//! What is kept, in the replica's `meta` table (so encrypted at rest with the replica, written in one SQLite
//! transaction each):
//! - `sesi`: the last **verified identity** ([`Identity`]: issuer, `sub`, NIP, nama, and from the hub's roster the
//!   instansi, peran and izin) with the refresh (offline) token. After one online sign-in the officer works offline
//!   on it until [`MAX_OFFLINE`] after the last online verification (Keycloak's default Offline Session Idle).
//! - `antrean_milik`: whose work the outbox holds ([`QueueOwner`]). Another officer signing in on the same replica
//!   may pull but never pushes that work under their own name ([`Session::check_push`]).
//!
//! Access tokens live in memory only. [`Session::access_token`] refreshes one at a time (an async mutex: a second
//! caller waits and takes the first one's result), saves the rotated refresh token **before** returning the new
//! access token, and on `invalid_grant` forgets the refresh token and answers [`SessionError::SignInAgain`] (the
//! identity stays, so the next sign-in can be compared with it).
//!
//! What it does not do: open the browser (the caller shows [`crate::sso::BrowserSignIn::url`]), sync, or decide
//! permissions (the hub does on every request; [`Identity::izin`] only lets the UI hide what a role cannot do).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use store::Replica;

use crate::sso::{Provider, SsoConfig, SsoError, TokenIdentity, Tokens};

/// How long offline work stays possible after the last online verification: Keycloak's default Offline Session
/// Idle (30 days), after which the provider forgets an unused offline token. Shown to the officer; a sync past it
/// still tries the refresh token (the realm may allow more) and asks for a sign-in when it is refused. Local work is
/// kept either way.
pub const MAX_OFFLINE: Duration = Duration::from_secs(30 * 24 * 3600);

/// An access token is refreshed when it has less than this left (clock skew and request time), or less than half
/// its lifetime when that is shorter.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// `meta` key of the stored session.
const SESSION_KEY: &str = "sesi";
/// `meta` key of the owner of the queued work.
const QUEUE_OWNER_KEY: &str = "antrean_milik";

/// The officer as last verified online: the ID token's `sub`, NIP and name, and the hub's roster entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The client id the officer signed in with (to refresh with the same client).
    pub client_id: String,
    /// The provider's user id (`sub`).
    pub sub: String,
    /// NIP (`preferred_username`).
    pub nip: String,
    /// Name with gelar.
    pub nama: String,
    /// The instansi on the hub's roster (`None` until the hub has been reached once).
    pub instansi_id: Option<String>,
    /// Roles on the hub's roster (`operator_instansi`, …; `schemas/peran.json`).
    pub peran: Vec<String>,
    /// What those roles may do (`schemas/peran.json`), for hiding what the officer cannot do.
    pub izin: Vec<String>,
    /// When the identity was last verified online (sign-in or refresh), UTC.
    pub verified_at: DateTime<Utc>,
}

impl Identity {
    /// Until when offline work is possible: [`MAX_OFFLINE`] after [`Self::verified_at`].
    pub fn offline_until(&self) -> DateTime<Utc> {
        self.verified_at + chrono::Duration::from_std(MAX_OFFLINE).unwrap_or(chrono::Duration::days(30))
    }

    /// How long offline work is still possible at `now` (zero when it is over).
    pub fn offline_remaining(&self, now: DateTime<Utc>) -> Duration {
        (self.offline_until() - now).to_std().unwrap_or(Duration::ZERO)
    }

    /// Whether the roster gives the officer permission `izin`.
    pub fn may(&self, izin: &str) -> bool {
        self.izin.iter().any(|granted| granted == izin)
    }
}

/// Whose work the outbox holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueOwner {
    /// The provider's `sub` of the officer who made it.
    pub sub: String,
    /// Their NIP.
    pub nip: String,
    /// Their name.
    pub nama: String,
}

/// What is stored under `sesi`.
#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    identity: Identity,
    /// `None` after `invalid_grant` or logout: sign in again before syncing.
    refresh_token: Option<String>,
}

/// Why the session cannot give an access token or cannot sign in.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Nobody has signed in on this replica (or they logged out).
    #[error("belum masuk; jalankan `luring-cli login` (atau masuk dari aplikasi) saat tersambung")]
    NotSignedIn,
    /// The refresh token is gone or refused: sign in again (local work is kept).
    #[error(
        "sesi berakhir ({0}); masuk (login) lagi saat tersambung. Pekerjaan lokal tetap tersimpan dan dikirim setelah \
         masuk"
    )]
    SignInAgain(String),
    /// The outbox holds another officer's work: it is not pushed under the signed-in officer's name.
    #[error(
        "antrean kiriman berisi pekerjaan {} (NIP {}) yang belum tersinkron; pekerjaan itu tidak dikirim atas nama \
         akun lain. Minta {} masuk di perangkat ini dan sinkronkan dulu",
        .0.nama, .0.nip, .0.nama
    )]
    QueueOfAnotherOfficer(QueueOwner),
    /// The provider failed (offline, refused, invalid answer).
    #[error(transparent)]
    Sso(#[from] SsoError),
    /// The replica failed.
    #[error("replika: {0}")]
    Replica(#[from] store::Error),
}

/// What [`Session::complete_sign_in`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The identity now stored.
    pub identity: Identity,
    /// Another officer signed in before on this replica (their `sub` differs).
    pub previous: Option<QueueOwner>,
    /// Whether the outbox holds another officer's work, which this officer's syncs will not push.
    pub push_blocked: bool,
}

/// The in-memory access token.
struct Access {
    token: String,
    /// When to stop using it: its expiry minus the refresh margin.
    use_until: Instant,
}

/// The session of one replica: identity, refresh token (both in the replica), access token (memory).
pub struct Session {
    config: SsoConfig,
    provider: tokio::sync::OnceCell<Provider>,
    access: Mutex<Option<Access>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Session {
    /// A session for the provider of `config`; the provider is discovered on first use (so an offline start works).
    pub fn new(config: SsoConfig) -> Session {
        Session {
            config,
            provider: tokio::sync::OnceCell::new(),
            access: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The provider configuration of the session stored in `replica` (issuer and client id of the last sign-in).
    ///
    /// # Errors
    /// Replica errors, or a stored session that is not readable JSON.
    pub fn stored_config(replica: &Replica) -> Result<Option<SsoConfig>, SessionError> {
        Ok(load(replica)?
            .map(|stored| SsoConfig { issuer: stored.identity.issuer, client_id: stored.identity.client_id }))
    }

    /// The provider, discovered once.
    ///
    /// # Errors
    /// [`SsoError::Discovery`] when the provider cannot be reached.
    pub async fn provider(&self) -> Result<&Provider, SsoError> {
        self.provider.get_or_try_init(|| Provider::discover(&self.config)).await
    }

    /// The stored identity of `replica`, if anyone signed in (valid offline, see [`Identity::offline_remaining`]).
    ///
    /// # Errors
    /// Replica errors, or a stored session that is not readable JSON.
    pub fn identity(&self, replica: &Replica) -> Result<Option<Identity>, SessionError> {
        Ok(load(replica)?.map(|stored| stored.identity))
    }

    /// Whether a refresh token is stored (syncing is possible without a new sign-in).
    ///
    /// # Errors
    /// Replica errors.
    pub fn has_refresh_token(&self, replica: &Replica) -> Result<bool, SessionError> {
        Ok(load(replica)?.is_some_and(|stored| stored.refresh_token.is_some()))
    }

    /// Stores a completed sign-in (`tokens` from [`crate::sso::BrowserSignIn::finish`] or
    /// [`crate::sso::DeviceSignIn::finish`]) with what the hub's roster says (`roster`, when the hub was reached),
    /// and keeps the access token in memory.
    ///
    /// When a previous identity with another `sub` left work in the outbox, that work stays attributed to them and
    /// [`Self::check_push`] refuses to push it under the new officer.
    ///
    /// # Errors
    /// [`SessionError::SignInAgain`] when the response has no refresh token or no identity; replica errors.
    pub fn complete_sign_in(
        &self,
        replica: &Replica,
        tokens: &Tokens,
        roster: Option<Roster>,
    ) -> Result<SignedIn, SessionError> {
        let who: &TokenIdentity =
            tokens.identity.as_ref().ok_or_else(|| SessionError::SignInAgain("tanpa token identitas".to_owned()))?;
        let refresh_token = tokens.refresh_token.clone().ok_or_else(|| {
            SessionError::SignInAgain("penyedia tidak memberi token luring (offline_access)".to_owned())
        })?;
        let roster = roster.unwrap_or_default();
        let identity = Identity {
            issuer: self.config.issuer.clone(),
            client_id: self.config.client_id.clone(),
            sub: who.sub.clone(),
            nip: roster.nip.or_else(|| who.nip.clone()).unwrap_or_default(),
            nama: roster.nama.or_else(|| who.nama.clone()).unwrap_or_default(),
            instansi_id: roster.instansi_id,
            peran: roster.peran,
            izin: roster.izin,
            verified_at: Utc::now(),
        };
        let previous = load(replica)?.map(|stored| owner(&stored.identity)).filter(|owner| owner.sub != who.sub);
        let queued = store::replication::status(replica)?.outbox_changes > 0;
        let stored = Stored { identity: identity.clone(), refresh_token: Some(refresh_token) };
        let stored_json = to_json(&stored)?;
        let current_owner = load_owner(replica)?;
        // The queue belongs to whoever signed in when it was empty; a sign-in on a non-empty queue keeps its owner.
        let new_owner = match (&current_owner, queued) {
            (Some(existing), true) => existing.clone(),
            (None, true) => previous.clone().unwrap_or_else(|| owner(&identity)),
            (_, false) => owner(&identity),
        };
        let owner_json = to_json(&new_owner)?;
        replica.set_metas(&[(SESSION_KEY, &stored_json), (QUEUE_OWNER_KEY, &owner_json)])?;
        self.keep_access(tokens);
        Ok(SignedIn { push_blocked: new_owner.sub != identity.sub, identity, previous })
    }

    /// Updates the stored identity with the hub's roster (instansi, peran, izin), e.g. after the first sync.
    ///
    /// # Errors
    /// [`SessionError::NotSignedIn`]; replica errors.
    pub fn update_roster(&self, replica: &Replica, roster: Roster) -> Result<Identity, SessionError> {
        let mut stored = load(replica)?.ok_or(SessionError::NotSignedIn)?;
        if let Some(nip) = roster.nip {
            stored.identity.nip = nip;
        }
        if let Some(nama) = roster.nama {
            stored.identity.nama = nama;
        }
        stored.identity.instansi_id = roster.instansi_id;
        stored.identity.peran = roster.peran;
        stored.identity.izin = roster.izin;
        replica.set_meta(SESSION_KEY, &to_json(&stored)?)?;
        Ok(stored.identity)
    }

    /// An access token for the hub: the one in memory while it has more than [`REFRESH_MARGIN`] left, otherwise a
    /// refreshed one. One refresh at a time; the rotated refresh token is committed to the replica before the new
    /// access token is returned.
    ///
    /// # Errors
    /// [`SessionError::NotSignedIn`]; [`SessionError::SignInAgain`] when the refresh token is gone or refused
    /// (`invalid_grant`; it is then forgotten); [`SessionError::Sso`] when the provider cannot be reached (offline:
    /// keep working, sync later).
    pub async fn access_token(&self, replica: &Replica) -> Result<String, SessionError> {
        if let Some(token) = self.fresh_access() {
            return Ok(token);
        }
        let _single_flight = self.refreshing.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(token) = self.fresh_access() {
            return Ok(token);
        }
        let mut stored = load(replica)?.ok_or(SessionError::NotSignedIn)?;
        let Some(refresh_token) = stored.refresh_token.clone() else {
            return Err(SessionError::SignInAgain("tidak ada token luring".to_owned()));
        };
        let provider = self.provider().await?;
        let tokens = match provider.refresh(&refresh_token).await {
            Ok(tokens) => tokens,
            Err(SsoError::SignInAgain(reason)) => {
                // Never offer the refused token again (reusing it would revoke a newer grant at Keycloak).
                stored.refresh_token = None;
                replica.set_meta(SESSION_KEY, &to_json(&stored)?)?;
                return Err(SessionError::SignInAgain(reason));
            }
            Err(error) => return Err(error.into()),
        };
        if let Some(who) = &tokens.identity
            && who.sub != stored.identity.sub
        {
            return Err(SessionError::SignInAgain("token baru milik akun lain".to_owned()));
        }
        if let Some(rotated) = &tokens.refresh_token {
            stored.refresh_token = Some(rotated.clone());
        }
        stored.identity.verified_at = Utc::now();
        replica.set_meta(SESSION_KEY, &to_json(&stored)?)?;
        self.keep_access(&tokens);
        Ok(tokens.access_token)
    }

    /// Forgets the in-memory access token (e.g. after the hub answered 401 to it).
    pub fn forget_access_token(&self) {
        *self.access.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Whether a sync may push the outbox under the signed-in officer: yes when it is empty or holds their work.
    ///
    /// # Errors
    /// [`SessionError::NotSignedIn`], [`SessionError::QueueOfAnotherOfficer`]; replica errors.
    pub fn check_push(&self, replica: &Replica) -> Result<(), SessionError> {
        let identity = load(replica)?.ok_or(SessionError::NotSignedIn)?.identity;
        if store::replication::status(replica)?.outbox_changes == 0 {
            return Ok(());
        }
        match load_owner(replica)? {
            Some(queue) if queue.sub != identity.sub => Err(SessionError::QueueOfAnotherOfficer(queue)),
            _ => Ok(()),
        }
    }

    /// Whose work the outbox holds, as last recorded (`None` before the first sign-in).
    ///
    /// # Errors
    /// Replica errors.
    pub fn queue_owner(replica: &Replica) -> Result<Option<QueueOwner>, SessionError> {
        load_owner(replica)
    }

    /// Records that the outbox is now the signed-in officer's (after a sync emptied it).
    ///
    /// # Errors
    /// Replica errors.
    pub fn claim_empty_queue(&self, replica: &Replica) -> Result<(), SessionError> {
        let Some(stored) = load(replica)? else { return Ok(()) };
        if store::replication::status(replica)?.outbox_changes == 0 {
            replica.set_meta(QUEUE_OWNER_KEY, &to_json(&owner(&stored.identity))?)?;
        }
        Ok(())
    }

    /// Logs out: revokes the refresh token at the provider when it can be reached (best effort), then forgets the
    /// session (identity and tokens). Unsynced local work is kept, still attributed to this officer.
    ///
    /// Returns whether the provider confirmed the revocation.
    ///
    /// # Errors
    /// Replica errors.
    pub async fn logout(&self, replica: &Replica) -> Result<bool, SessionError> {
        let stored = load(replica)?;
        let mut revoked = false;
        if let Some(refresh_token) = stored.as_ref().and_then(|stored| stored.refresh_token.clone()) {
            revoked = match self.provider().await {
                Ok(provider) => provider.revoke(&refresh_token).await.is_ok(),
                Err(_) => false,
            };
        }
        replica.delete_meta(SESSION_KEY)?;
        self.forget_access_token();
        Ok(revoked)
    }

    fn fresh_access(&self) -> Option<String> {
        let access = self.access.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        access.as_ref().filter(|access| access.use_until > Instant::now()).map(|access| access.token.clone())
    }

    fn keep_access(&self, tokens: &Tokens) {
        let margin = REFRESH_MARGIN.min(tokens.expires_in / 2);
        let use_until = Instant::now() + tokens.expires_in.saturating_sub(margin);
        *self.access.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(Access { token: tokens.access_token.clone(), use_until });
    }
}

/// What the hub's roster says about the signed-in officer (`GET /v1/identitas`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// NIP on the roster.
    pub nip: Option<String>,
    /// Name on the roster.
    pub nama: Option<String>,
    /// The officer's instansi.
    pub instansi_id: Option<String>,
    /// Roles.
    pub peran: Vec<String>,
    /// Permissions of those roles.
    pub izin: Vec<String>,
}

fn owner(identity: &Identity) -> QueueOwner {
    QueueOwner { sub: identity.sub.clone(), nip: identity.nip.clone(), nama: identity.nama.clone() }
}

fn load(replica: &Replica) -> Result<Option<Stored>, SessionError> {
    match replica.meta(SESSION_KEY)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| SessionError::SignInAgain(format!("sesi tersimpan tidak terbaca ({error})"))),
    }
}

fn load_owner(replica: &Replica) -> Result<Option<QueueOwner>, SessionError> {
    Ok(replica.meta(QUEUE_OWNER_KEY)?.and_then(|text| serde_json::from_str(&text).ok()))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, SessionError> {
    serde_json::to_string(value).map_err(|error| SessionError::Replica(store::Error::Shape(error.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(verified_at: DateTime<Utc>) -> Identity {
        Identity {
            issuer: "http://127.0.0.1:9400/realms/luring".to_owned(),
            client_id: "luring-desktop".to_owned(),
            sub: "fc2a4930-a6e2-4ee7-ae89-a511aa555a12".to_owned(),
            nip: "198703152010011003".to_owned(),
            nama: "Agus Setiawan, S.Kom.".to_owned(),
            instansi_id: None,
            peran: vec!["operator_instansi".to_owned()],
            izin: vec!["usulan.buat".to_owned()],
            verified_at,
        }
    }

    #[test]
    fn offline_work_lasts_thirty_days_after_the_last_online_verification() {
        let verified = DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z").unwrap().with_timezone(&Utc);
        let officer = identity(verified);
        assert_eq!(officer.offline_until().to_rfc3339(), "2026-12-01T08:00:00+00:00");
        let day_29 = verified + chrono::Duration::days(29);
        assert_eq!(officer.offline_remaining(day_29), Duration::from_secs(24 * 3600));
        assert_eq!(officer.offline_remaining(verified + chrono::Duration::days(31)), Duration::ZERO);
        assert!(officer.may("usulan.buat") && !officer.may("pegawai.buat"));
    }
}
