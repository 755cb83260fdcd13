//! The kepegawaian domain of SIASN Luring: what an ASN record is, how SI-ASN emits it, and the rules BKN applies.
//!
//! - [`pegawai`], [`usulan`], [`verifikasi`]: the document types (data utama, every riwayat, keluarga; proposals;
//!   field verification visits), with JSON Schemas generated into `schemas/documents/` ([`schema`]).
//! - [`siasn`]: lenient decoding of the SI-ASN web service responses and of the SIASN web "Export Data ASN" CSV.
//!   Dirty input never panics and never drops a record: every problem becomes a [`Warning`] naming the record,
//!   the field, the raw value and the reason.
//! - [`referensi`]: the kode referensi tables of `schemas/referensi/`, embedded.
//! - [`peran`]: the five roles of the hub's users and their permissions (`schemas/peran.json`), embedded.
//! - [`rules`]: NIP/NIK checks, masa kerja, KP reguler, BUP and TMT pensiun, IKD indicators; each cites its regulation.
//! - [`pengingat`]: the KP/BUP/KGB reminders and the follow-up recorded on them.
//! - [`fakta`]: the facts derived for one pegawai (BUP, TMT pensiun, next KP, IKD anomalies).
//! - [`inspect`]: the pre-import report over a whole export (per-record facts and warnings, and totals).
//!
//! This crate does no IO, reads no clock and draws no randomness: file contents, "today" and ids are inputs.

pub mod date;
pub mod fakta;
pub mod id;
pub mod inspect;
pub mod pegawai;
pub mod pengingat;
pub mod peran;
pub mod referensi;

pub mod rules;
pub mod schema;
pub mod siasn;
pub mod usulan;
pub mod verifikasi;
pub mod warning;

pub use date::Tanggal;
pub use id::{GolonganId, Nik, Nip, PnsId};
pub use pegawai::{DataUtama, JenisAsn, JenisKelamin, Pegawai};
pub use warning::{Warning, WarningKind};
