//! The signed-in officer (issue 5; `../shared/reference/sso.md` §2.4): who it is, offline too, and the tokens that
//! let the replica talk to the hub.
//!
//! What is kept, in the replica's `meta` table (so encrypted at rest with the replica, written in one SQLite
//! transaction each):
//! - `sesi`: the last **verified identity** ([`Identity`]: issuer, `sub`, NIP, nama, and from the hub's roster the
//!   instansi, peran and izin) with the refresh (offline) token. After one online sign-in the officer works offline
//!   on it until [`MAX_OFFLINE`] after the last online verification (Keycloak's default Offline Session Idle).
//! - `pemilik`: the officer the replica belongs to ([`Owner`]): the first one to sign in on it. The hub binds the
//!   replica's device (its automerge actor) to that officer, and every change in the outbox was made on their
//!   behalf, so another account (another `sub`, or another issuer) can never sign in on it and push that work under
//!   its own name ([`SessionError::ReplicaOfAnotherOfficer`]); it uses a data folder of its own. Logout keeps the
//!   owner (and the unsynced work) for the owner's next sign-in.
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
const OWNER_KEY: &str = "pemilik";

/// The officer as last verified online: the ID token's `sub`, NIP and name, and the hub's roster entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The client id the officer signed in with (to refresh with the same client).
    #[serde(default)]
    pub client_id: String,
    /// The provider's user id (`sub`).
    pub sub: String,
    /// NIP (`preferred_username`).
    pub nip: String,
    /// Name with gelar.
    pub nama: String,
    /// The instansi on the hub's roster (`None` until the hub has been reached once).
    #[serde(default)]
    pub instansi_id: Option<String>,
    /// Roles on the hub's roster (`operator_instansi`, …; `schemas/peran.json`).
    #[serde(default)]
    pub peran: Vec<String>,
    /// What those roles may do (`schemas/peran.json`), for hiding what the officer cannot do.
    #[serde(default)]
    pub izin: Vec<String>,
    /// When the identity was last verified online (sign-in or refresh), UTC.
    pub verified_at: DateTime<Utc>,
}

impl Identity {
    /// The officer's known permissions: the roster's (`izin` from the hub's `GET /v1/identitas`), else those of
    /// the roster's roles by the local `schemas/peran.json`; empty when neither is known (signed in without
    /// reaching a hub), in which case the hub decides when the work is pushed.
    pub fn izin_petugas(&self) -> std::collections::BTreeSet<model::peran::Izin> {
        let given: std::collections::BTreeSet<model::peran::Izin> =
            self.izin.iter().filter_map(|kode| model::peran::Izin::parse(kode)).collect();
        if !given.is_empty() {
            return given;
        }
        model::peran::peran().izin(self.peran.iter().map(String::as_str))
    }

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

/// The officer a replica belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The provider's issuer.
    pub issuer: String,
    /// The provider's `sub`.
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
    /// The replica belongs to another officer: its device is registered to them and its unsynced work is theirs,
    /// so it is never synced under another account.
    #[error(
        "replika di folder data ini milik {} (NIP {}): perangkatnya terdaftar atas nama itu dan pekerjaan yang \
         belum tersinkron adalah pekerjaannya, jadi tidak dikirim atas nama akun lain. Masuk dengan akun itu, atau \
         pakai folder data lain (replika baru) untuk akun Anda",
        .0.nama, .0.nip
    )]
    ReplicaOfAnotherOfficer(Owner),
    /// The owner's NIP signed in with another SSO account (a re-created account, another realm), and the hub's
    /// roster could not be asked to confirm the NIP.
    #[error(
        "akun SSO untuk NIP {} berbeda dengan akun yang membuat replika ini; masuk lagi saat hub terjangkau (login \
         dengan --hub) agar roster hub memastikan NIP Anda, lalu replika dipindah ke akun baru",
        .0.nip
    )]
    OwnerAccountChanged(Owner),
    /// The provider failed (offline, refused, invalid answer).
    #[error(transparent)]
    Sso(#[from] SsoError),
    /// The replica failed.
    #[error("replika: {0}")]
    Replica(#[from] store::Error),
}

/// What [`Session::complete_sign_in`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The identity now stored.
    pub identity: Identity,
    /// Whether this sign-in made the officer the replica's owner (its first sign-in).
    pub first: bool,
    /// Whether this sign-in re-bound the replica from the owner's previous account (same NIP, confirmed by the
    /// hub's roster).
    pub rebound: bool,
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
    /// and keeps the access token in memory. The first sign-in on a replica makes the officer its owner.
    ///
    /// The owner's account is matched by issuer and `sub`. When those differ but the NIP is the owner's, and the
    /// hub's roster (reached now) confirms that NIP, the owner is the same person with a new account (re-created,
    /// or another realm): the replica is re-bound to it.
    ///
    /// Nothing is revoked here: at Keycloak, revoking one offline token ends all of the officer's offline sessions
    /// of this client (every device), the new one included. A replaced refresh token stays valid at the provider
    /// until it idles out; a refused sign-in's token is simply dropped.
    ///
    /// # Errors
    /// [`SessionError::ReplicaOfAnotherOfficer`] when the replica belongs to another NIP;
    /// [`SessionError::OwnerAccountChanged`] when it is the owner's NIP under another account and the roster could
    /// not confirm it; [`SessionError::SignInAgain`] when the response has no refresh token or no identity; replica
    /// errors. In all of them nothing is stored.
    pub async fn complete_sign_in(
        &self,
        replica: &Replica,
        tokens: &Tokens,
        roster: Option<Roster>,
    ) -> Result<SignedIn, SessionError> {
        // Not while a refresh of this session is in flight: it would write its older record over this one.
        let _single_flight = self.refreshing.lock().await;
        let who: &TokenIdentity =
            tokens.identity.as_ref().ok_or_else(|| SessionError::SignInAgain("tanpa token identitas".to_owned()))?;
        let refresh_token = tokens.refresh_token.clone().ok_or_else(|| {
            SessionError::SignInAgain("penyedia tidak memberi token luring (offline_access)".to_owned())
        })?;
        let owner = Session::owner(replica)?;
        let roster = roster.unwrap_or_default();
        let nip = roster.nip.clone().or_else(|| who.nip.clone()).unwrap_or_default();
        let mut rebound = false;
        if let Some(owner) = owner.as_ref().filter(|owner| owner.issuer != self.config.issuer || owner.sub != who.sub) {
            let same_nip = who.nip.as_deref() == Some(owner.nip.as_str());
            let confirmed = same_nip && roster.nip.as_deref() == Some(owner.nip.as_str());
            if confirmed {
                tracing::info!(nip = %owner.nip, "replika dipindah ke akun SSO baru dengan NIP yang sama");
                rebound = true;
            } else if same_nip {
                return Err(SessionError::OwnerAccountChanged(owner.clone()));
            } else {
                return Err(SessionError::ReplicaOfAnotherOfficer(owner.clone()));
            }
        }
        let identity = Identity {
            issuer: self.config.issuer.clone(),
            client_id: self.config.client_id.clone(),
            sub: who.sub.clone(),
            nip,
            nama: roster.nama.or_else(|| who.nama.clone()).unwrap_or_default(),
            instansi_id: roster.instansi_id,
            peran: roster.peran,
            izin: roster.izin,
            verified_at: Utc::now(),
        };
        let stored_json = to_json(&Stored { identity: identity.clone(), refresh_token: Some(refresh_token) })?;
        let new_owner = match &owner {
            Some(owner) if !rebound => owner.clone(),
            _ => owner_of(&identity),
        };
        let owner_json = to_json(&new_owner)?;
        replica.set_metas(&[(SESSION_KEY, &stored_json), (OWNER_KEY, &owner_json)])?;
        self.keep_access(tokens);
        Ok(SignedIn { identity, first: owner.is_none(), rebound })
    }

    /// The officer `replica` belongs to (`None` before its first sign-in). A replica signed in on before owners were
    /// recorded belongs to its stored identity.
    ///
    /// # Errors
    /// Replica errors.
    pub fn owner(replica: &Replica) -> Result<Option<Owner>, SessionError> {
        if let Some(owner) = replica.meta(OWNER_KEY)?.and_then(|text| serde_json::from_str(&text).ok()) {
            return Ok(Some(owner));
        }
        Ok(load(replica).ok().flatten().map(|stored| owner_of(&stored.identity)))
    }

    /// Revokes `refresh_token` at the provider if it can be reached within a few seconds; whether it was.
    async fn revoke_quietly(&self, refresh_token: &str) -> bool {
        let revoke = async {
            match self.provider().await {
                Ok(provider) => provider.revoke(refresh_token).await.is_ok(),
                Err(_) => false,
            }
        };
        tokio::time::timeout(Duration::from_secs(10), revoke).await.unwrap_or(false)
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
        // The record as read: written back only if nobody (a sign-in, a logout, another process) changed it since.
        let read = replica.meta(SESSION_KEY)?.ok_or(SessionError::NotSignedIn)?;
        let mut stored = parse(&read)?;
        let Some(refresh_token) = stored.refresh_token.clone() else {
            return Err(SessionError::SignInAgain("tidak ada token luring".to_owned()));
        };
        let provider = self.provider().await?;
        let tokens = match provider.refresh(&refresh_token).await {
            Ok(tokens) => tokens,
            Err(SsoError::SignInAgain(reason)) => {
                // Never offer the refused token again (reusing it would revoke a newer grant at Keycloak).
                stored.refresh_token = None;
                replica.compare_and_set_meta(SESSION_KEY, Some(&read), &to_json(&stored)?)?;
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
        if !replica.compare_and_set_meta(SESSION_KEY, Some(&read), &to_json(&stored)?)? {
            return Err(SessionError::SignInAgain(
                "sesi berubah saat token diperbarui (masuk atau keluar lain)".into(),
            ));
        }
        self.keep_access(&tokens);
        Ok(tokens.access_token)
    }

    /// Forgets the in-memory access token (e.g. after the hub answered 401 to it).
    pub fn forget_access_token(&self) {
        *self.access.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Whether a sync may run as the signed-in officer: they must own the replica (see the module doc).
    ///
    /// # Errors
    /// [`SessionError::NotSignedIn`], [`SessionError::ReplicaOfAnotherOfficer`]; replica errors.
    pub fn check_push(&self, replica: &Replica) -> Result<(), SessionError> {
        let identity = load(replica)?.ok_or(SessionError::NotSignedIn)?.identity;
        match Session::owner(replica)? {
            Some(owner) if owner.issuer != identity.issuer || owner.sub != identity.sub => {
                Err(SessionError::ReplicaOfAnotherOfficer(owner))
            }
            _ => Ok(()),
        }
    }

    /// Logs out: revokes the refresh token at the provider when it can be reached (best effort), then forgets the
    /// session (identity and tokens). The replica stays the officer's, with its unsynced local work. At BKN's
    /// Keycloak, revoking an offline token ends **all** of the officer's offline sessions of this client, on every
    /// device (what a lost laptop needs; other devices sign in again).
    ///
    /// Returns whether the provider confirmed the revocation.
    ///
    /// # Errors
    /// Replica errors.
    pub async fn logout(&self, replica: &Replica) -> Result<bool, SessionError> {
        let _single_flight = self.refreshing.lock().await;
        // A session that no longer reads is forgotten all the same.
        let stored = load(replica).ok().flatten();
        let mut revoked = false;
        if let Some(refresh_token) = stored.as_ref().and_then(|stored| stored.refresh_token.clone()) {
            revoked = self.revoke_quietly(&refresh_token).await;
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

fn owner_of(identity: &Identity) -> Owner {
    Owner {
        issuer: identity.issuer.clone(),
        sub: identity.sub.clone(),
        nip: identity.nip.clone(),
        nama: identity.nama.clone(),
    }
}

fn load(replica: &Replica) -> Result<Option<Stored>, SessionError> {
    replica.meta(SESSION_KEY)?.map(|text| parse(&text)).transpose()
}

fn parse(text: &str) -> Result<Stored, SessionError> {
    serde_json::from_str(text)
        .map_err(|error| SessionError::SignInAgain(format!("sesi tersimpan tidak terbaca ({error})")))
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
