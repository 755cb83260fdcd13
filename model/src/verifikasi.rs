//! The verifikasi lapangan document: one field visit to check that a pegawai exists and works where recorded.
//!
//! DESIGN §3.1. This module holds the document shape; the screens, list and export are the app's
//! (`app::verifikasi`), who may write what the hub's (`hub::authority`).
//!
//! The photos are a keyed array (`sync::document`: rows keyed by their `id`), so two devices that each add a
//! photo to the same visit offline both keep theirs after the merge: each [`FotoKunjungan`] carries its content
//! hash as its `id`. Documents written before photos had ids read with the hash as the id.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::Nip;
use crate::usulan::BlobRef;

/// One field verification visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VerifikasiLapangan {
    /// Document id (UUIDv7 text).
    pub id: String,
    /// The pegawai visited.
    pub nip: Nip,
    /// What the officer found.
    pub hasil: HasilVerifikasi,
    /// Notes.
    pub catatan: Option<String>,
    /// Photos, as content-addressed blobs, keyed by their hash.
    #[serde(default)]
    pub foto: Vec<FotoKunjungan>,
    /// NIP of the officer.
    pub petugas: Nip,
    /// When, as RFC 3339 text.
    pub waktu: String,
}

/// The outcome of a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HasilVerifikasi {
    /// Found, working where recorded.
    Ditemukan,
    /// Not found.
    TidakDitemukan,
    /// Deceased.
    Meninggal,
    /// Moved elsewhere.
    Pindah,
    /// Other; see the notes.
    Lainnya,
}

/// One photo of a visit: a content-addressed blob ([`BlobRef`]'s members) with a row id, its hash.
///
/// The `id` makes the `foto` list a keyed array, so concurrent additions merge instead of one list replacing the
/// other. A photo written before ids existed (no `id`, or an empty one) reads with `id` = `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(from = "FotoTersimpan")]
pub struct FotoKunjungan {
    /// Row id: the SHA-256 of the content, lower-case hex (the same as `sha256`).
    pub id: String,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// MIME type (`image/jpeg`, `image/png`).
    pub mime: String,
    /// File name as the officer chose it.
    pub name: String,
}

impl FotoKunjungan {
    /// The photo of `blob`, its `id` the blob's hash.
    pub fn baru(blob: BlobRef) -> FotoKunjungan {
        FotoKunjungan {
            id: blob.sha256.clone(),
            sha256: blob.sha256,
            size: blob.size,
            mime: blob.mime,
            name: blob.name,
        }
    }

    /// The blob the photo references.
    pub fn blob(&self) -> BlobRef {
        BlobRef { sha256: self.sha256.clone(), size: self.size, mime: self.mime.clone(), name: self.name.clone() }
    }
}

/// A photo as stored, `id` optional (documents written before photos had ids).
#[derive(Deserialize, JsonSchema)]
struct FotoTersimpan {
    /// Row id: the SHA-256 of the content, lower-case hex; absent in documents written before photo ids (then
    /// the hash is the id).
    #[serde(default)]
    id: Option<String>,
    /// SHA-256 of the content, lower-case hex.
    sha256: String,
    /// Size in bytes.
    size: u64,
    /// MIME type (`image/jpeg`, `image/png`).
    mime: String,
    /// File name as the officer chose it.
    name: String,
}

impl From<FotoTersimpan> for FotoKunjungan {
    fn from(stored: FotoTersimpan) -> FotoKunjungan {
        let id = stored.id.filter(|id| !id.is_empty()).unwrap_or_else(|| stored.sha256.clone());
        FotoKunjungan { id, sha256: stored.sha256, size: stored.size, mime: stored.mime, name: stored.name }
    }
}

#[cfg(test)]
mod tests;
