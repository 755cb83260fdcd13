//! What the SI-ASN gateway ([`crate::siasn`]) reads from the hub's own replica: the NIPs of an instansi, a pegawai
//! document as JSON, and a blob's bytes.
//!
//! These are reads for the gateway's jobs, not for callers over HTTP: they take no [`super::Caller`] and check no
//! permission (the gateway runs as the hub itself). Writes go through [`Hub::import_pegawai`], so a pull is one
//! more hub-authored import and the feed announces it like any other.

use serde_json::Value;

use super::{Hub, HubError, SCOPE_PREFIX, lock, valid_instansi};

impl Hub {
    /// The NIPs of every pegawai document of `instansi`'s scope, in NIP order.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an invalid instansi id; [`HubError::Storage`].
    pub fn pegawai_nips(&self, instansi: &str) -> Result<Vec<String>, HubError> {
        if !valid_instansi(instansi) {
            return Err(HubError::BadRequest(format!("id instansi {instansi:?} tidak valid")));
        }
        let scope = format!("{SCOPE_PREFIX}{instansi}");
        Ok(self.inner.storage.pegawai_nips(&scope)?.into_iter().map(|(nip, _)| nip).collect())
    }

    /// The pegawai document of `nip` in `instansi`'s scope as JSON (the shape of `model::Pegawai`, riwayat as
    /// lists), or `None` when the hub holds no such document there.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an invalid instansi id; [`HubError::Storage`] (also for a stored document that
    /// cannot be read).
    pub fn pegawai_json(&self, instansi: &str, nip: &str) -> Result<Option<Value>, HubError> {
        if !valid_instansi(instansi) {
            return Err(HubError::BadRequest(format!("id instansi {instansi:?} tidak valid")));
        }
        let scope = format!("{SCOPE_PREFIX}{instansi}");
        let inner = &self.inner;
        let Some((_, doc, found_scope)) = inner.storage.pegawai_by_nip(&[nip])?.into_iter().next() else {
            return Ok(None);
        };
        if found_scope != scope {
            return Ok(None);
        }
        let mut cache = lock(&inner.writer);
        let Some(cached) = cache.take(inner.storage.as_ref(), &doc, &inner.hub_actor)? else {
            return Ok(None);
        };
        let value = cached.doc.hydrate();
        cache.put(doc, cached);
        Ok(Some(value))
    }

    /// The bytes of the blob `sha256` (SHA-256 of its content), or `None` when the hub does not hold all of it.
    ///
    /// # Errors
    /// [`HubError::Storage`].
    pub fn blob_bytes(&self, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, HubError> {
        Ok(self.inner.storage.blob(sha256)?)
    }
}
