//! The feed cursor: a position in one scope's change feed, written as an opaque string.
//!
//! Clients store the string and send it back; only the hub (and tests) look inside, through [`Cursor`].
//! It is deliberately not signed: a cursor grants nothing, because the hub filters the feed by the caller's scopes
//! whatever position it is asked for, and a forged position only re-reads or skips what that caller may read.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::WireError;

/// A decoded feed cursor: the hub's log epoch and the last sequence number the client has applied.
///
/// Written as base64url without padding (RFC 4648 §5) of 16 bytes: `epoch` then `seq`, each a big-endian `u64`.
/// That is always 22 characters from `A–Z a–z 0–9 - _`. The epoch changes when the hub compacts its log or
/// re-partitions scopes; a cursor of an older epoch gets `must_refetch` (sync.md §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Cursor {
    /// The hub log's epoch.
    pub epoch: u64,
    /// The highest feed sequence number included so far (0: nothing yet).
    pub seq: u64,
}

/// The length of an encoded cursor, in characters.
const ENCODED_LEN: usize = 22;

impl Cursor {
    /// The opaque string form.
    pub fn encode(&self) -> String {
        let mut raw = [0u8; 16];
        raw[..8].copy_from_slice(&self.epoch.to_be_bytes());
        raw[8..].copy_from_slice(&self.seq.to_be_bytes());
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Reads [`Self::encode`]'s form back. Anything else, including padding, other alphabets and non-canonical
    /// trailing bits, is [`WireError::InvalidCursor`].
    pub fn decode(text: &str) -> Result<Self, WireError> {
        if text.len() != ENCODED_LEN {
            return Err(WireError::InvalidCursor);
        }
        // Room for the decoder's estimate (3 bytes per 4 characters, rounded up); 16 must come out.
        let mut raw = [0u8; 18];
        match URL_SAFE_NO_PAD.decode_slice(text, &mut raw) {
            Ok(16) => {}
            _ => return Err(WireError::InvalidCursor),
        }
        let (epoch, seq) = raw[..16].split_at(8);
        let word =
            |bytes: &[u8]| <[u8; 8]>::try_from(bytes).map(u64::from_be_bytes).map_err(|_| WireError::InvalidCursor);
        Ok(Self { epoch: word(epoch)?, seq: word(seq)? })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}
