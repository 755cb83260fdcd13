//! The versioned wire messages of the sync protocol, version 1 (DESIGN §5.5, sync.md §5.4–5.7).
//!
//! Every HTTP body between a desktop and the hub, except raw blob chunks, is one message: a CBOR data item
//! (RFC 8949) compressed as zstd frames (RFC 8878), media type [`MEDIA_TYPE`]. The messages are the serde types of
//! this module; `schemas/sync/wire-v1.cddl` describes the same bytes for implementers in other languages (a PHP or
//! JS SIMPEG), and `schemas/sync/README.md` explains the protocol flow. Tests keep the schema and the types in step.
//!
//! - [`encode`] writes a message (CBOR, then zstd level [`ZSTD_LEVEL`]).
//! - [`decode`] reads one from untrusted bytes and never panics: it stops decompressing past
//!   [`MAX_DECODED_BYTES`], refuses frames that need a zstd window over 2^[`MAX_WINDOW_LOG`] bytes, bounds CBOR
//!   nesting, checks `v` before anything else ([`WireError::UnsupportedVersion`]) and refuses trailing bytes.
//! - [`FeedBatchBuilder`] packs feed items into a batch whose compressed body stays within a byte budget.
//! - [`Cursor`] is the hub's reading of the opaque feed cursor.
//!
//! What it deliberately does not do: HTTP, retries, storage, or checking what the bytes inside a message mean
//! (whether a change decodes, whether heads are right, whether the caller may push): those belong to the engine,
//! [`crate::document`] and the hub. Messages are data; anything can build one, including one with a wrong `v`.

mod batch;
mod bytes;
mod cursor;
mod messages;

#[cfg(test)]
mod tests;

use std::io::{self, Read};

use serde::Serialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};

pub use batch::{FeedBatchBuilder, PackedFeedBatch};
pub use bytes::Bytes;
pub use cursor::Cursor;
pub use messages::{
    BlobStatus, ChunkInfo, DocId, ErrorBody, ErrorCode, FeedBatch, FeedBody, FeedItem, HashBytes, PushChange,
    PushOutcome, PushRequest, PushResponse, PushResult, RecordKind, RepairRequest, RepairResponse, SnapshotChunk,
    SnapshotDocument, SnapshotManifest,
};

/// The wire version these types speak: the `v` member of every message.
pub const VERSION: u32 = 1;

/// The media type of every message body (`Content-Type` and `Accept`).
pub const MEDIA_TYPE: &str = "application/vnd.luring.sync.v1+cbor+zstd";

/// The HTTP header a desktop names its device in on every request: the automerge actor id it registered, in hex.
/// Reads are the user's, but the hub refuses any request naming a revoked device with
/// [`ErrorCode::DeviceRevoked`], so a revoked device learns it on its next sync even with nothing to push (lower
/// case, as HTTP/2 writes header names).
pub const DEVICE_HEADER: &str = "luring-device";

/// The zstd level [`encode`] compresses at: zstd's default, a good ratio at a few hundred MB/s.
pub const ZSTD_LEVEL: i32 = 3;

/// The most bytes [`decode`] decompresses one message to: 64 MiB.
///
/// Real messages are far smaller: a feed batch or push is about 256 KiB compressed (about 1 MiB of CBOR), and a
/// snapshot chunk 1–4 MiB compressed. Anything larger is refused as [`WireError::TooLarge`] before it is held
/// whole, so a small hostile body (a "zip bomb") cannot make the reader allocate gigabytes.
pub const MAX_DECODED_BYTES: usize = 64 * 1024 * 1024;

/// The largest zstd window [`decode`] accepts, as a power of two: 2^23 bytes = 8 MiB.
///
/// zstd levels up to 19 never need more; the decoder's window buffer is then at most 8 MiB. Implementations in
/// other languages must not use `--long` or the ultra levels (20–22).
pub const MAX_WINDOW_LOG: u32 = 23;

/// The default budget of a feed batch, in compressed bytes: 256 KiB (sync.md §5.4).
pub const DEFAULT_FEED_BATCH_BYTES: usize = 256 * 1024;

/// How deeply arrays and maps may nest in a message; version 1 needs 5.
const MAX_NESTING: usize = 32;

/// Why a message could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The value could not be written as CBOR (its `Serialize` failed; never the case for this module's messages).
    #[error("the message cannot be encoded as CBOR")]
    Encode(#[source] ciborium::ser::Error<io::Error>),
    /// zstd could not compress (out of memory).
    #[error("zstd compression failed")]
    Compress(#[source] io::Error),
    /// The body is not a valid zstd stream: truncated, corrupt, not zstd at all, or needing a
    /// window larger than [`MAX_WINDOW_LOG`] allows.
    #[error("the body is not a valid zstd stream")]
    Decompress(#[source] io::Error),
    /// The body decompresses to more than `limit` bytes (see [`MAX_DECODED_BYTES`]).
    #[error("the body decompresses to more than {limit} bytes")]
    TooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// The decompressed body is not a CBOR map holding an unsigned integer `v`: not a sync message.
    #[error("the body is not a sync message (no CBOR map with an integer `v`)")]
    NoVersion,
    /// The message is of a wire version this build does not speak.
    #[error("wire version {found} is not supported; this build speaks version {VERSION}")]
    UnsupportedVersion {
        /// The `v` the message carries.
        found: u64,
    },
    /// The message is version 1 but not of the expected shape (missing or mistyped member, unknown variant, bad
    /// CBOR, nesting deeper than the format needs).
    #[error("the message does not have the expected shape")]
    Malformed(#[source] ciborium::de::Error<io::Error>),
    /// Bytes follow the message's CBOR item.
    #[error("{count} bytes follow the message")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// A string that is not a feed cursor written by [`Cursor::encode`].
    #[error("not a feed cursor")]
    InvalidCursor,
}

impl WireError {
    /// The error code the hub answers a request body failing this way with.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            WireError::Encode(_) | WireError::Compress(_) => ErrorCode::Internal,
            WireError::TooLarge { .. } => ErrorCode::TooLarge,
            WireError::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            WireError::Decompress(_)
            | WireError::NoVersion
            | WireError::Malformed(_)
            | WireError::TrailingBytes { .. }
            | WireError::InvalidCursor => ErrorCode::BadRequest,
        }
    }
}

/// Writes a message: its CBOR, compressed by zstd at [`ZSTD_LEVEL`].
///
/// Any `Serialize` value is accepted; [`decode`] reads back only maps with `v` = [`VERSION`].
pub fn encode<T: Serialize + ?Sized>(message: &T) -> Result<Vec<u8>, WireError> {
    let mut cbor = Vec::new();
    ciborium::ser::into_writer(message, &mut cbor).map_err(WireError::Encode)?;
    zstd::bulk::compress(&cbor, ZSTD_LEVEL).map_err(WireError::Compress)
}

/// Reads a message from untrusted bytes, decompressing at most [`MAX_DECODED_BYTES`].
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, WireError> {
    decode_with_limit(body, MAX_DECODED_BYTES)
}

/// [`decode`] with a smaller (or larger) cap on the decompressed size, in bytes: a hub can hold push bodies to
/// less than the default.
///
/// In order: zstd is decompressed through a bounded reader (more than `max_decoded` bytes is
/// [`WireError::TooLarge`]); the CBOR must be a map whose `v` is [`VERSION`] ([`WireError::NoVersion`],
/// [`WireError::UnsupportedVersion`]), checked before the shape so a newer message is reported as such; then the
/// item is read as `T` ([`WireError::Malformed`]) and must be the whole body ([`WireError::TrailingBytes`]).
pub fn decode_with_limit<T: DeserializeOwned>(body: &[u8], max_decoded: usize) -> Result<T, WireError> {
    let cbor = decompress(body, max_decoded)?;
    check_version(&cbor)?;
    let mut rest = cbor.as_slice();
    let message =
        ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_NESTING).map_err(WireError::Malformed)?;
    if !rest.is_empty() {
        return Err(WireError::TrailingBytes { count: rest.len() });
    }
    Ok(message)
}

/// Decompresses zstd frames into at most `limit` bytes.
fn decompress(body: &[u8], limit: usize) -> Result<Vec<u8>, WireError> {
    let mut decoder = zstd::stream::read::Decoder::with_buffer(body).map_err(WireError::Decompress)?;
    decoder.window_log_max(MAX_WINDOW_LOG).map_err(WireError::Decompress)?;
    let mut out = Vec::new();
    // One byte more than the limit tells "exactly the limit" from "over it" without reading further.
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    decoder.take(cap).read_to_end(&mut out).map_err(WireError::Decompress)?;
    if out.len() > limit {
        return Err(WireError::TooLarge { limit });
    }
    Ok(out)
}

/// Checks that `cbor` is a map whose `v` is [`VERSION`], reading as little of it as it can (this module writes `v`
/// first).
fn check_version(cbor: &[u8]) -> Result<(), WireError> {
    let mut rest = cbor;
    let probe: VersionProbe =
        ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_NESTING).map_err(|_| WireError::NoVersion)?;
    match probe.0 {
        Some(found) if found == u64::from(VERSION) => Ok(()),
        Some(found) => Err(WireError::UnsupportedVersion { found }),
        None => Err(WireError::NoVersion),
    }
}

/// The `v` of a message, if its top-level map has one.
struct VersionProbe(Option<u64>);

impl<'de> de::Deserialize<'de> for VersionProbe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(VersionProbeVisitor)
    }
}

/// Walks the top-level map until it meets `v`, skipping other members.
struct VersionProbeVisitor;

impl<'de> Visitor<'de> for VersionProbeVisitor {
    type Value = VersionProbe;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map with an integer `v`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VersionProbe, A::Error> {
        while let Some(key) = map.next_key::<ciborium::Value>()? {
            if key.as_text() == Some("v") {
                // Returning early leaves the rest of the map unread, which is all the probe needs.
                return map.next_value::<u64>().map(|v| VersionProbe(Some(v)));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(VersionProbe(None))
    }
}
