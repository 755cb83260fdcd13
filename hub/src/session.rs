//! Hub sessions: a short bearer the hub issues in exchange for a verified OIDC access token (sso.md §3.2, "token
//! exchange at the hub"), so that each sync request carries ~50 bytes of credentials instead of a ~1 KB JWT. A
//! no-op sync of an up-to-date replica is then one request of about half a kilobyte (the issue's ≤ 1 KB bar).
//!
//! A session is `hs1.` + 43 base64url characters (two random v4 UUIDs from the OS generator: 244 random bits).
//! The hub keeps only its SHA-256, in memory, with the verified token it was issued for; it lives at most
//! [`MAX_LIFETIME`] and never past that token's `exp`, and is gone when the hub restarts (the client exchanges its
//! access token again). Roster and device checks still run on every request, so removing an officer from the
//! roster or revoking a device takes effect at once.
//!
//! What it deliberately does not do: refresh (the desktop refreshes its OIDC tokens and exchanges again), persist
//! sessions, or accept a session in exchange for another.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::auth::VerifiedToken;

/// The prefix that tells a hub session from a JWT.
pub const PREFIX: &str = "hs1.";
/// The longest a session lives.
pub const MAX_LIFETIME: Duration = Duration::minutes(30);
/// Sessions held at most; expired ones are dropped first, then the hub refuses new ones until some expire.
pub const MAX_SESSIONS: usize = 100_000;

/// The sessions the hub issued, by the SHA-256 of their secret.
#[derive(Debug, Default)]
pub struct Sessions {
    held: Mutex<Held>,
}

/// The live sessions, and the one issued for each access token (exchanging the same token again returns it, so
/// one token cannot fill the hub's memory with sessions).
#[derive(Debug, Default)]
struct Held {
    by_digest: HashMap<[u8; 32], VerifiedToken>,
    by_token: HashMap<String, Issued>,
}

/// A session handed to a client.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Issued {
    /// The bearer to send (`hs1.…`).
    pub session: String,
    /// When it stops working, milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

impl Sessions {
    /// Issues a session for `token` (already verified), valid until the earlier of `token`'s expiry and
    /// `now + MAX_LIFETIME`. `None` when [`MAX_SESSIONS`] live sessions exist.
    pub fn issue(&self, token: &VerifiedToken, now: DateTime<Utc>) -> Option<Issued> {
        let key = format!("{}\u{0}{}\u{0}{}", token.sub, token.token_id.as_deref().unwrap_or(""), token.expires_at);
        let mut held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(issued) = held.by_token.get(&key)
            && issued.expires_at_ms > now.timestamp_millis()
        {
            return Some(issued.clone());
        }
        if held.by_digest.len() >= MAX_SESSIONS {
            let now_ms = now.timestamp_millis();
            held.by_digest.retain(|_, kept| kept.expires_at > now);
            held.by_token.retain(|_, issued| issued.expires_at_ms > now_ms);
            if held.by_digest.len() >= MAX_SESSIONS {
                return None;
            }
        }
        let mut random = [0u8; 32];
        random[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        random[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        let session = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(random));
        let expires_at = token.expires_at.min(now + MAX_LIFETIME);
        held.by_digest.insert(digest(&session), VerifiedToken { expires_at, ..token.clone() });
        let issued = Issued { session, expires_at_ms: expires_at.timestamp_millis() };
        held.by_token.insert(key, issued.clone());
        Some(issued)
    }

    /// The token a live session stands for; `None` for an unknown or expired one (an expired one is dropped).
    pub fn lookup(&self, session: &str, now: DateTime<Utc>) -> Option<VerifiedToken> {
        let key = digest(session);
        let mut held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match held.by_digest.get(&key) {
            Some(token) if token.expires_at > now => Some(token.clone()),
            Some(_) => {
                held.by_digest.remove(&key);
                None
            }
            None => None,
        }
    }
}

/// Whether a bearer is a hub session (rather than an OIDC access token).
pub fn is_session(bearer: &str) -> bool {
    bearer.starts_with(PREFIX)
}

fn digest(session: &str) -> [u8; 32] {
    Sha256::digest(session.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_at: DateTime<Utc>) -> VerifiedToken {
        VerifiedToken {
            sub: "fc2a4930-a6e2-4ee7-ae89-a511aa555a12".into(),
            nip: model::id::Nip::new("198703152010011003"),
            name: None,
            expires_at,
            scopes: Vec::new(),
            token_id: None,
        }
    }

    #[test]
    fn a_session_lives_until_the_earlier_of_the_token_expiry_and_the_cap() {
        let now = DateTime::from_timestamp(1_764_500_000, 0).unwrap_or_default();
        let sessions = Sessions::default();
        let long = sessions.issue(&token(now + Duration::hours(5)), now).unwrap();
        assert!(is_session(&long.session));
        assert_eq!(long.session.len(), PREFIX.len() + 43);
        assert_eq!(long.expires_at_ms, (now + MAX_LIFETIME).timestamp_millis());
        let short = sessions.issue(&token(now + Duration::minutes(2)), now).unwrap();
        assert_eq!(short.expires_at_ms, (now + Duration::minutes(2)).timestamp_millis());
        assert_ne!(long.session, short.session);
        // The same token again gets the same session, not a new one.
        assert_eq!(sessions.issue(&token(now + Duration::hours(5)), now).unwrap(), long);

        assert_eq!(sessions.lookup(&long.session, now).unwrap().sub, "fc2a4930-a6e2-4ee7-ae89-a511aa555a12");
        assert!(sessions.lookup(&short.session, now + Duration::minutes(3)).is_none(), "expired");
        assert!(sessions.lookup(&short.session, now).is_none(), "an expired session is dropped for good");
        assert!(sessions.lookup("hs1.tebakan", now).is_none());
        assert!(!is_session("eyJhbGciOiJSUzI1NiJ9.e30.x"));
    }
}
