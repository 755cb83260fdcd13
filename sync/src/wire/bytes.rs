//! Byte strings on the wire: [`Bytes`] and the serde helpers for fixed-size ids and hashes.
//!
//! serde has no byte-string type of its own: a `Vec<u8>` or `[u8; N]` serializes as a sequence of integers, which
//! ciborium writes as a CBOR array (major type 4, one to two bytes per byte). Everything here goes through
//! `serialize_bytes` instead, so it becomes a CBOR byte string (major type 2). Deserializing accepts only a byte
//! string (definite or indefinite length), never an array of integers, so the schema stays exact.
//!
//! This is the small part of the `serde_bytes` crate that the wire format needs; it does not try to be more.

use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A variable-length byte string: CBOR major type 2 (`bstr` in the schema).
///
/// Holds raw automerge changes, document saves and actor ids. `Debug` shows the length and the first bytes in hex,
/// not every byte.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// The bytes, by value.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 16;
        write!(f, "Bytes({} bytes: ", self.0.len())?;
        for byte in self.0.iter().take(SHOWN) {
            write!(f, "{byte:02x}")?;
        }
        if self.0.len() > SHOWN {
            f.write_str("…")?;
        }
        f.write_str(")")
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Self {
        bytes.0
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

/// Accepts a byte string only.
struct BytesVisitor;

impl Visitor<'_> for BytesVisitor {
    type Value = Bytes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Bytes, E> {
        Ok(Bytes(bytes.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Bytes, E> {
        Ok(Bytes(bytes))
    }
}

/// A fixed-size byte string, `bstr .size N` in the schema: document ids (16 bytes) and hashes (32 bytes).
struct Fixed<const N: usize>([u8; N]);

/// A borrowed [`Fixed`], for serializing without a copy.
struct FixedRef<'a, const N: usize>(&'a [u8; N]);

impl<const N: usize> Serialize for FixedRef<'_, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Fixed<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(FixedVisitor::<N>)
    }
}

/// Accepts a byte string of exactly `N` bytes.
struct FixedVisitor<const N: usize>;

impl<const N: usize> Visitor<'_> for FixedVisitor<N> {
    type Value = Fixed<N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a byte string of {N} bytes")
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Fixed<N>, E> {
        <[u8; N]>::try_from(bytes).map(Fixed).map_err(|_| E::invalid_length(bytes.len(), &self))
    }
}

/// `#[serde(with = "fixed")]` for a `[u8; N]` field.
pub(crate) mod fixed {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(value: &[u8; N], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(deserializer: D) -> Result<[u8; N], D::Error> {
        Fixed::<N>::deserialize(deserializer).map(|fixed| fixed.0)
    }
}

/// `#[serde(with = "fixed_vec")]` for a `Vec<[u8; N]>` field: an array of byte strings.
pub(crate) mod fixed_vec {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        values: &[[u8; N]],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(values.iter().map(FixedRef))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<Vec<[u8; N]>, D::Error> {
        let values = Vec::<Fixed<N>>::deserialize(deserializer)?;
        Ok(values.into_iter().map(|fixed| fixed.0).collect())
    }
}

/// `#[serde(with = "fixed_opt")]` for an `Option<[u8; N]>` field: a byte string or `null`.
pub(crate) mod fixed_opt {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        value: &Option<[u8; N]>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&FixedRef(value)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<Option<[u8; N]>, D::Error> {
        Ok(Option::<Fixed<N>>::deserialize(deserializer)?.map(|fixed| fixed.0))
    }
}
