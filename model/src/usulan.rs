//! The usulan document: one proposal (KP, peremajaan data, pemberhentian, pindah instansi, pencantuman gelar,
//! peninjauan masa kerja), for one pegawai or many (kolektif), with its checklist and an append-only event log.
//!
//! Shapes follow SIASN layanan records (siasn-api.md §2.5) and DESIGN §3.1. Status is never stored: it is a fold over
//! [`Usulan::riwayat_status`] ([`alur::keadaan`]), so concurrent offline transitions merge as events and a conflict
//! stays visible. Every event names the events its author saw as latest ([`UsulanEvent::induk`]), so the log is a
//! small DAG and two decisions made without seeing each other are told apart from one made after the other.
//!
//! This module holds the document shape; [`alur`] holds the workflow (the fold, which transition needs which
//! permission) and [`syarat`] the document checklist and the pre-submit check.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::Nip;

pub mod alur;
pub mod syarat;

/// Jenis usulan (layanan SIASN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JenisUsulan {
    /// Kenaikan pangkat (sub jenis: `jenis-kp.json` id, 101 reguler, 201–210 pilihan).
    KenaikanPangkat,
    /// Peremajaan data: field changes to a pegawai, verified by kewenangan (`kewenangan-field.json`).
    PeremajaanData,
    /// Pemberhentian / pensiun (sub jenis: `jenis-pemberhentian.json` id).
    Pemberhentian,
    /// Pindah instansi, masuk or keluar.
    PindahInstansi,
    /// Pencantuman gelar.
    PencantumanGelar,
    /// Peninjauan masa kerja (PMK).
    PeninjauanMasaKerja,
}

/// One proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Usulan {
    /// Document id (UUIDv7 text), never the SIASN usulan id.
    pub id: String,
    /// Jenis usulan.
    pub jenis: JenisUsulan,
    /// Sub jenis as a reference id (e.g. jenis KP `"101"`), when the jenis has one.
    pub sub_jenis: Option<String>,
    /// The pegawai concerned: one, or many for a kolektif usulan, each with its own status.
    pub pegawai: Vec<UsulanPegawai>,
    /// Proposed changes: field path (as in `kewenangan-field.json`) to the proposed value, as JSON text.
    #[serde(default)]
    pub perubahan: BTreeMap<String, String>,
    /// The document checklist: ref dokumen id to the attached file.
    #[serde(default)]
    pub dokumen: BTreeMap<String, BlobRef>,
    /// Append-only status events, in the order they were recorded.
    #[serde(default)]
    pub riwayat_status: Vec<UsulanEvent>,
    /// The SIASN usulan id once the usulan reached BKN (`list-kp-instansi` `id`).
    pub siasn_id: Option<String>,
    /// What SI-ASN's own tracking says about the usulan, written only by the hub (kewenangan `usulan.status_siasn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_siasn: Option<StatusSiasn>,
}

/// The status of an usulan at BKN as SI-ASN's instansi lists report it (`GET /pns/list-kp-instansi`,
/// `GET /pns/list-pensiun-instansi`; siasn-api.md §2.4, status codes §3). The hub copies it onto the usulan that
/// SI-ASN's item matches; it is BKN's word, beside the local workflow's fold, never part of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StatusSiasn {
    /// `statusUsulan` as sent (`"32"`); see `schemas/referensi/status-usulan.json`.
    pub kode: String,
    /// `statusUsulanNama` as sent (`"Sudah TTE SK"`): the server's name is kept, not derived from the code.
    pub nama: Option<String>,
    /// Nomor pertek BKN (`no_pertek` / `pertekNomor`).
    pub nomor_pertek: Option<String>,
    /// Tanggal pertek.
    pub tanggal_pertek: Option<crate::date::Tanggal>,
    /// Nomor SK (`no_sk` / `skNomor`).
    pub nomor_sk: Option<String>,
    /// Tanggal SK.
    pub tanggal_sk: Option<crate::date::Tanggal>,
    /// TMT the usulan gives: `tmtKp` of a KP, `tmtPensiun` of a pensiun.
    pub tmt: Option<crate::date::Tanggal>,
    /// When the hub last saw this status change (RFC 3339, UTC).
    pub diperbarui: String,
}

/// One pegawai of an usulan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UsulanPegawai {
    /// NIP (a field, not the identity: NIPs get corrected).
    pub nip: Nip,
    /// Nama at the time of the usulan, for display.
    pub nama: String,
}

/// A content-addressed file (DESIGN §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BlobRef {
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// MIME type (`application/pdf`).
    pub mime: String,
    /// File name as the officer chose it.
    pub name: String,
}

/// One transition in the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UsulanEvent {
    /// Event id (UUIDv7 text), unique within the usulan. Empty in logs written before event ids existed: the fold
    /// then names it `#<index>` and takes the event before it as its [`UsulanEvent::induk`].
    #[serde(default)]
    pub id: String,
    /// Ids of the events the author saw as the latest (the heads of the log when the event was made); empty only
    /// for [`AksiUsulan::Dibuat`]. Two events with a shared parent that neither names are concurrent.
    #[serde(default)]
    pub induk: Vec<String>,
    /// What happened.
    pub aksi: AksiUsulan,
    /// NIP of the officer who did it.
    pub oleh: Nip,
    /// When, as RFC 3339 text (given by the caller's clock, never read here).
    pub waktu: String,
    /// Alasan tolak id (`alasan-tolak.json`) for BTS/TMS.
    pub alasan_id: Option<String>,
    /// Free text.
    pub catatan: Option<String>,
    /// For a kolektif usulan: the NIPs this event concerns (empty = all).
    #[serde(default)]
    pub nip: Vec<Nip>,
}

/// The transitions of the usulan workflow (DESIGN §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AksiUsulan {
    /// Created as a draft (operator).
    Dibuat,
    /// Submitted (operator).
    Diajukan,
    /// Verified by the instansi (verifikator instansi).
    Diverifikasi,
    /// Belum tuntas: returned for correction, with alasan.
    Bts,
    /// Tidak memenuhi syarat: rejected, with alasan.
    Tms,
    /// Forwarded to BKN.
    DiteruskanKeBkn,
    /// Approved (verifikator BKN).
    Disetujui,
    /// SK issued.
    SkTerbit,
    /// Withdrawn by the operator.
    Dibatalkan,
}
