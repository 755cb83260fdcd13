//! Lenient decoding of what SI-ASN emits: web service responses and the SIASN web "Export Data ASN" CSV.
//!
//! SI-ASN data is dirty (`../shared/reference/siasn-api.md` §2): every scalar may arrive as a string, `""`,
//! `null` or `"undefined"`; dates come in several formats; keys change case between endpoints and even between rows
//! (`KuadranKinerjaNilai`, `StatusHidup`); the 404 body `{"code":0,"data":"Data tidak ditemukan"}` means "none".
//! The decoders here read all of it into the [`crate::pegawai`] types, keep the raw value of anything they had to
//! change or could not read, and report each problem as a [`crate::Warning`]. They never panic and never drop a
//! record. They do no IO: callers pass file contents or response bodies.
//!
//! - [`data_utama`]: data utama from either source, with the same rules for both.
//! - [`field`]: the lenient field reader shared by every decoder (key matching, null-likes, dates, numbers).
//! - [`ws`]: response envelopes and the per-endpoint decoders (`data-utama`, `rw-*`, keluarga, lists, `ref-unor`).
//! - [`keluarga`]: `data-pasangan`, `data-anak` and `data-ortu`.
//! - [`lists`]: the instansi lists (`list-kp-instansi`, `list-pensiun-instansi`) and the `ref-unor` unit tree.
//! - [`export`]: the "Export Data ASN" CSV.

pub mod data_utama;
pub mod export;
pub mod field;
pub mod keluarga;
pub mod lists;
pub mod ws;
