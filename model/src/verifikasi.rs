//! The verifikasi lapangan document: one field visit to check that a pegawai exists and works where recorded.
//!
//! DESIGN §3.1. This module holds the document shape; the screens, list and export arrive with the usulan issue.

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
    /// Photos, as content-addressed blobs.
    #[serde(default)]
    pub foto: Vec<BlobRef>,
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
