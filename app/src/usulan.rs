//! The Usulan and Verifikasi screens' use cases: the usulan list (filters, keyset pages, counts per status), one
//! usulan in detail (its pegawai, proposed changes, document checklist, event log, conflicts, the pre-submit check
//! and the transitions the signed-in officer may make now), creating a draft, attaching a document, and every
//! transition of the workflow (`model::usulan::alur`), all offline: each is an automerge change queued in the
//! outbox and pushed by the next sync.
//!
//! - A transition is an event appended to the usulan's log by [`alur::event_baru`] (UUIDv7 id from the context's
//!   clock, `oleh` the signed-in officer's NIP, `induk` the heads the officer saw), so the status is always the
//!   fold of the log and two offline decisions that disagree show as a conflict on every device after sync.
//! - Submitting (`diajukan`) runs the pre-submit check (`model::usulan::syarat::periksa_pengajuan`) on the pegawai
//!   documents of the replica, today's date and the pegawai's IKD codes; a blocking finding refuses it.
//! - Attaching checks type and size against the checklist row (`syarat::daftar_syarat`), stores the bytes
//!   content-addressed (`store::sync_state::put_blob`, uploaded by the next sync) and writes the [`BlobRef`] into
//!   `dokumen`.
//! - A verifikator's `diverifikasi` of a peremajaan data applies the proposed values of the fields the instansi
//!   writes (`kewenangan-field.json` penulis operator or verifikator instansi) to the pegawai documents of the NIPs
//!   this very event moves to diverifikasi (a kolektif NIP already at BTS or TMS is left alone); fields BKN writes
//!   are left for BKN. The store has no transaction over several documents, so the order is fixed: the event
//!   first, then each pegawai in its own transaction. Should a pegawai write fail after the event, or a pegawai
//!   be missing from the replica, the detail reports it (code [`KODE_BELUM_DITERAPKAN`]) and asking `diverifikasi`
//!   again applies what is still missing without a new event.
//! - Permissions: when the signed-in officer's permissions are known (the roster the hub gave at the last sign-in
//!   or sync), a transition needing one the officer lacks is refused here ([`KodeGalat::Ditolak`], naming the aksi
//!   and the roles that may make it), before anything is written. When they are unknown (signed in without a hub
//!   yet), the transitions the workflow allows are offered and written, the detail says so (code
//!   [`KODE_PERAN_BELUM_DIKETAHUI`]), a peremajaan's fields wait for the roster, and the hub decides at the next
//!   sync.
//!
//! What it deliberately does not do: have the last word on permissions. The hub judges every pushed event against
//! its roster; an event it refuses is undone by its compensating change and the reason shows in
//! [`UsulanDetail::temuan`] (code [`KODE_DITOLAK_HUB`]). It never logs a pegawai's values or NIPs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, SecondsFormat, TimeZone, Utc};
use model::Pegawai;
use model::id::Nip;
use model::peran::Izin;
use model::referensi::{KeteranganTolak, Penulis, referensi};
use model::usulan::alur::{self, EventMasukan, StatusUsulan};
use model::usulan::syarat::{self, Tingkat};
use model::usulan::{AksiUsulan, BlobRef, JenisUsulan, Usulan, UsulanEvent, UsulanPegawai};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::context::AppContext;
use crate::error::{AppError, KodeGalat, sentence};
use crate::pegawai::Hitung;
use crate::session::Identity;

/// The fields a pencantuman gelar usulan changes (BKN's: applied by the hub once BKN approves).
pub const FIELD_GELAR: [&str; 2] = ["data_utama.gelar_depan", "data_utama.gelar_belakang"];

/// How many distinct NIPs `raw` names (blank entries not counted).
fn nips_mentah(raw: &[String]) -> usize {
    let mut seen: Vec<String> = raw.iter().map(|nip| nip.chars().filter(char::is_ascii_digit).collect()).collect();
    seen.retain(|nip: &String| !nip.is_empty());
    seen.sort();
    seen.dedup();
    seen.len()
}

/// The most rows one page of the list returns.
pub const MAX_ROWS: usize = 500;

/// The code of a [`TemuanView`] that reports a change of this usulan the hub refused (its reason in `pesan`).
pub const KODE_DITOLAK_HUB: &str = "ditolak_hub";

/// The code of a [`TemuanView`] that says the officer's roles are not known on this device yet (signed in without
/// reaching the hub): [`UsulanDetail::aksi`] then lists every transition the workflow allows, and the hub decides.
pub const KODE_PERAN_BELUM_DIKETAHUI: &str = "peran_belum_diketahui";

/// The code of a [`TemuanView`] that names a pegawai (`nip`) of a verified peremajaan whose pegawai document does
/// not hold the verified instansi values yet (a write that failed, a pegawai missing from the replica, or roles
/// unknown when it was verified); asking `diverifikasi` again applies them.
pub const KODE_BELUM_DITERAPKAN: &str = "perubahan_belum_diterapkan";

/// How many of the hub's latest refusals of one usulan [`UsulanDetail::temuan`] shows.
const MAX_PENOLAKAN: usize = 3;

/// Every jenis usulan, in the order the UI offers them.
const JENIS: [JenisUsulan; 6] = [
    JenisUsulan::KenaikanPangkat,
    JenisUsulan::PeremajaanData,
    JenisUsulan::Pemberhentian,
    JenisUsulan::PindahInstansi,
    JenisUsulan::PencantumanGelar,
    JenisUsulan::PeninjauanMasaKerja,
];

/// Every aksi an officer may ask for (all but `dibuat`, which [`AppContext::usulan_buat`] writes), in workflow
/// order.
const AKSI: [AksiUsulan; 8] = [
    AksiUsulan::Diajukan,
    AksiUsulan::Diverifikasi,
    AksiUsulan::Bts,
    AksiUsulan::Tms,
    AksiUsulan::DiteruskanKeBkn,
    AksiUsulan::Disetujui,
    AksiUsulan::SkTerbit,
    AksiUsulan::Dibatalkan,
];

/// One usulan as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsulanRingkas {
    /// Document id (UUID text): what `usulan_detail`, `usulan_lampirkan` and `usulan_aksi` take.
    pub id: String,
    /// Jenis usulan code (`kenaikan_pangkat`, `peremajaan_data`, `pemberhentian`, `pindah_instansi`,
    /// `pencantuman_gelar`, `peninjauan_masa_kerja`).
    pub jenis: String,
    /// Jenis usulan label (`"Kenaikan pangkat"`).
    pub jenis_nama: String,
    /// Sub jenis reference id (jenis KP `"101"`, jenis pemberhentian `"1"`), when the jenis has one.
    pub sub_jenis: Option<String>,
    /// Sub jenis label (`"Reguler"`), when known.
    pub sub_jenis_nama: Option<String>,
    /// Status code of the fold (`StatusUsulan::kode`: `draft`, `diajukan`, …, `konflik`, `campuran`).
    pub status: String,
    /// Status label (`"Diajukan"`).
    pub status_nama: String,
    /// Two decisions made without seeing each other disagree: a verifikator has to choose.
    pub konflik: bool,
    /// How many times the usulan was returned (BTS).
    pub jumlah_bts: u32,
    /// NIP of the (first) pegawai.
    pub nip: Option<String>,
    /// Nama with gelar of the (first) pegawai, as the usulan recorded it.
    pub nama: Option<String>,
    /// Pegawai the usulan concerns (more than one: kolektif).
    pub jumlah_pegawai: u32,
    /// Time of the first event (RFC 3339, UTC).
    pub dibuat: Option<String>,
    /// Time of the latest event (RFC 3339, UTC).
    pub diperbarui: Option<String>,
}

/// Filters of the usulan list; every set field narrows it (empty text counts as unset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FilterUsulan {
    /// Jenis usulan code.
    pub jenis: Option<String>,
    /// Status code (`draft`, …, `konflik`, `campuran`).
    pub status: Option<String>,
    /// Only usulan that name this NIP (kolektif ones included).
    pub nip: Option<String>,
    /// Created on or after this day (`yyyy-mm-dd`, the officer's time zone).
    pub dari: Option<String>,
    /// Created on or before this day (`yyyy-mm-dd`, inclusive).
    pub sampai: Option<String>,
}

/// Where the next page starts (opaque to the UI: pass back what came).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KursorUsulan {
    /// The last row's latest event time, unix milliseconds.
    pub diperbarui_ms: i64,
    /// The last row's row id.
    pub rowid: i64,
}

/// One page of the usulan list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HalamanUsulan {
    /// The rows, newest activity first.
    pub baris: Vec<UsulanRingkas>,
    /// Usulan per status under the filter without its status (`kunci` the status code, `label` its name), in
    /// workflow order, statuses without an usulan left out.
    pub per_status: Vec<Hitung>,
    /// The next page's cursor (`None` on the last page).
    pub berikut: Option<KursorUsulan>,
}

/// A file as an usulan references it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct BerkasView {
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// MIME type (`application/pdf`).
    pub mime: String,
    /// File name as the officer chose it.
    pub name: String,
}

/// One row of the document checklist, with the file attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DokumenSyaratView {
    /// The key to attach with (`usulan_lampirkan`'s `kode_dokumen`): a ref dokumen id (`"858"`) or a stable
    /// local code (`"ijazah_transkrip"`).
    pub kode: String,
    /// Document name (`"SK Pangkat Terakhir"`).
    pub nama: String,
    /// Whether submitting needs it.
    pub wajib: bool,
    /// MIME types accepted.
    pub tipe: Vec<String>,
    /// The largest file accepted, bytes.
    pub ukuran_maks: Option<u64>,
    /// The attached file, if any.
    pub terlampir: Option<BerkasView>,
}

/// A finding of the pre-submit check (or a refusal by the hub, code [`KODE_DITOLAK_HUB`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TemuanView {
    /// `"blokir"` (submitting is refused until it is fixed) or `"peringatan"`.
    pub tingkat: String,
    /// Machine-readable code.
    pub kode: String,
    /// The NIP it concerns (kolektif usulan), if one.
    pub nip: Option<String>,
    /// What is wrong and what to do, in Bahasa Indonesia.
    pub pesan: String,
}

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct EventView {
    /// Event id.
    pub id: String,
    /// Aksi code (`dibuat`, `diajukan`, `diverifikasi`, `bts`, `tms`, `diteruskan_ke_bkn`, `disetujui`,
    /// `sk_terbit`, `dibatalkan`).
    pub aksi: String,
    /// Aksi label (`"Diajukan"`).
    pub aksi_nama: String,
    /// NIP of the officer.
    pub oleh: String,
    /// When (RFC 3339).
    pub waktu: String,
    /// Alasan tolak id (BTS, TMS).
    pub alasan_id: Option<String>,
    /// Alasan tolak text (`alasan-tolak.json`).
    pub alasan: Option<String>,
    /// Free text.
    pub catatan: Option<String>,
    /// The NIPs it concerns (kolektif; empty = all).
    pub nip: Vec<String>,
}

/// One pegawai of the usulan with its own status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PegawaiUsulanView {
    /// NIP.
    pub nip: String,
    /// Nama with gelar as the usulan recorded it.
    pub nama: String,
    /// Status code of this NIP.
    pub status: String,
    /// Status label.
    pub status_nama: String,
}

/// One proposed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PerubahanView {
    /// Field path (`data_utama.no_hp`).
    pub field: String,
    /// Field name (`kewenangan-field.json`).
    pub nama_field: String,
    /// The pegawai's current value as text (the first pegawai's), `None` when empty.
    pub sebelum: Option<String>,
    /// The proposed value as text.
    pub sesudah: String,
}

/// Competing decisions a verifikator has to choose between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KonflikView {
    /// The NIP in conflict; `None` when it concerns the whole usulan.
    pub nip: Option<String>,
    /// The competing events (choose one by repeating its aksi).
    pub pilihan: Vec<EventView>,
}

/// A transition the signed-in officer may make now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AksiView {
    /// Aksi code, as `AksiMasukan::aksi` takes it.
    pub aksi: String,
    /// Button label (`"Ajukan"`).
    pub nama: String,
    /// Whether an alasan tolak must be chosen (BTS, TMS).
    pub perlu_alasan: bool,
}

/// One usulan in detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsulanDetail {
    /// The list row.
    pub ringkas: UsulanRingkas,
    /// The pegawai, each with its status.
    pub pegawai: Vec<PegawaiUsulanView>,
    /// Proposed changes (peremajaan data and the like).
    pub perubahan: Vec<PerubahanView>,
    /// The document checklist that applies, then any other attached file.
    pub dokumen: Vec<DokumenSyaratView>,
    /// The event log, in log order.
    pub riwayat: Vec<EventView>,
    /// Decisions in conflict.
    pub konflik: Vec<KonflikView>,
    /// The pre-submit check as of now, then the hub's latest refusals of changes to this usulan.
    pub temuan: Vec<TemuanView>,
    /// What this officer may do now: the workflow's next aksi filtered by the officer's permissions (all of them, with
    /// a `peran_belum_diketahui` finding, while the roles are unknown); `diverifikasi` also re-applies a verified
    /// peremajaan's fields that did not reach a pegawai.
    pub aksi: Vec<AksiView>,
    /// The usulan has changes on this device not yet accepted by the hub.
    pub lokal: bool,
    /// SI-ASN's own status of the usulan at BKN, once the hub has read it from SI-ASN's lists.
    pub siasn: Option<StatusSiasnView>,
}

/// SI-ASN's status of an usulan at BKN (`model::usulan::StatusSiasn`, written by the hub from `list-kp-instansi` /
/// `list-pensiun-instansi`): BKN's word beside the local workflow, shown as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StatusSiasnView {
    /// The SI-ASN usulan id.
    pub id: Option<String>,
    /// Status code as sent (`"32"`).
    pub kode: String,
    /// Status name as sent (`"Sudah TTE SK"`); the code's name from `status-usulan.json` when SI-ASN sent none.
    pub nama: String,
    /// Nomor pertek BKN.
    pub nomor_pertek: Option<String>,
    /// Tanggal pertek, `yyyy-mm-dd`.
    pub tanggal_pertek: Option<String>,
    /// Nomor SK.
    pub nomor_sk: Option<String>,
    /// Tanggal SK, `yyyy-mm-dd`.
    pub tanggal_sk: Option<String>,
    /// TMT the usulan gives (KP or pensiun), `yyyy-mm-dd`.
    pub tmt: Option<String>,
    /// When the hub saw this status change (RFC 3339).
    pub diperbarui: String,
}

/// The view of `usulan`'s SI-ASN status, if the hub recorded one.
fn status_siasn_view(usulan: &Usulan) -> Option<StatusSiasnView> {
    let status = usulan.status_siasn.as_ref()?;
    let iso = |date: Option<NaiveDate>| date.map(|date| date.format("%Y-%m-%d").to_string());
    let nama = status.nama.clone().filter(|nama| !nama.trim().is_empty()).unwrap_or_else(|| {
        referensi().status_usulan(&status.kode).map_or_else(|| format!("kode {}", status.kode), |row| row.nama.clone())
    });
    Some(StatusSiasnView {
        id: usulan.siasn_id.clone(),
        kode: status.kode.clone(),
        nama,
        nomor_pertek: status.nomor_pertek.clone(),
        tanggal_pertek: iso(status.tanggal_pertek),
        nomor_sk: status.nomor_sk.clone(),
        tanggal_sk: iso(status.tanggal_sk),
        tmt: iso(status.tmt),
        diperbarui: status.diperbarui.clone(),
    })
}

/// A new usulan, as the officer fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsulanBaru {
    /// Jenis usulan code.
    pub jenis: String,
    /// Sub jenis id: required for kenaikan pangkat (`jenis-kp.json`) and pemberhentian
    /// (`jenis-pemberhentian.json`), refused for the other jenis.
    pub sub_jenis: Option<String>,
    /// NIPs of the pegawai (more than one: kolektif); each must be in the replica.
    pub nip: Vec<String>,
    /// Proposed changes: (field path as in `kewenangan-field.json`, value as text; JSON is taken as JSON).
    pub perubahan: Vec<(String, String)>,
    /// Note on the `dibuat` event.
    pub catatan: Option<String>,
}

/// A transition asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AksiMasukan {
    /// Aksi code (`diajukan`, `diverifikasi`, `bts`, `tms`, `diteruskan_ke_bkn`, `disetujui`, `sk_terbit`,
    /// `dibatalkan`).
    pub aksi: String,
    /// Alasan tolak id (`alasan-tolak.json`, keterangan BTS or TMS as the aksi): required for BTS and TMS only.
    pub alasan_id: Option<String>,
    /// Free text.
    pub catatan: Option<String>,
    /// For a kolektif usulan: the NIPs concerned (empty = every NIP the transition applies to).
    pub nip: Vec<String>,
}

/// A code with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Pilihan {
    /// Code.
    pub kode: String,
    /// Label.
    pub nama: String,
}

/// A jenis usulan with its sub jenis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct JenisUsulanView {
    /// Jenis code.
    pub kode: String,
    /// Label.
    pub nama: String,
    /// Sub jenis to choose from (empty: the jenis has none).
    pub sub_jenis: Vec<Pilihan>,
}

/// An alasan tolak (`alasan-tolak.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AlasanTolakView {
    /// Id (`"51"`).
    pub id: String,
    /// Text.
    pub nama: String,
    /// `"BTS"` or `"TMS"`: the aksi it goes with.
    pub keterangan: String,
}

/// The reference lists of the usulan screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReferensiUsulan {
    /// Jenis usulan with their sub jenis.
    pub jenis: Vec<JenisUsulanView>,
    /// Alasan tolak for BTS and TMS.
    pub alasan: Vec<AlasanTolakView>,
}

/// The code of a jenis usulan, as documents write it.
pub fn jenis_kode(jenis: JenisUsulan) -> &'static str {
    match jenis {
        JenisUsulan::KenaikanPangkat => "kenaikan_pangkat",
        JenisUsulan::PeremajaanData => "peremajaan_data",
        JenisUsulan::Pemberhentian => "pemberhentian",
        JenisUsulan::PindahInstansi => "pindah_instansi",
        JenisUsulan::PencantumanGelar => "pencantuman_gelar",
        JenisUsulan::PeninjauanMasaKerja => "peninjauan_masa_kerja",
    }
}

/// The label of a jenis usulan.
pub fn jenis_nama(jenis: JenisUsulan) -> &'static str {
    match jenis {
        JenisUsulan::KenaikanPangkat => "Kenaikan pangkat",
        JenisUsulan::PeremajaanData => "Peremajaan data",
        JenisUsulan::Pemberhentian => "Pemberhentian",
        JenisUsulan::PindahInstansi => "Pindah instansi",
        JenisUsulan::PencantumanGelar => "Pencantuman gelar",
        JenisUsulan::PeninjauanMasaKerja => "Peninjauan masa kerja",
    }
}

/// The jenis usulan of `kode`.
fn parse_jenis(kode: &str) -> Option<JenisUsulan> {
    JENIS.into_iter().find(|jenis| jenis_kode(*jenis) == kode)
}

/// The code of an aksi, as documents write it.
pub fn aksi_kode(aksi: AksiUsulan) -> &'static str {
    match aksi {
        AksiUsulan::Dibuat => "dibuat",
        AksiUsulan::Diajukan => "diajukan",
        AksiUsulan::Diverifikasi => "diverifikasi",
        AksiUsulan::Bts => "bts",
        AksiUsulan::Tms => "tms",
        AksiUsulan::DiteruskanKeBkn => "diteruskan_ke_bkn",
        AksiUsulan::Disetujui => "disetujui",
        AksiUsulan::SkTerbit => "sk_terbit",
        AksiUsulan::Dibatalkan => "dibatalkan",
    }
}

/// The aksi of `kode` (`dibuat` included).
pub fn parse_aksi(kode: &str) -> Option<AksiUsulan> {
    std::iter::once(AksiUsulan::Dibuat).chain(AKSI).find(|aksi| aksi_kode(*aksi) == kode)
}

/// What happened, for the log (`"Diajukan"`).
fn aksi_nama(aksi: AksiUsulan) -> &'static str {
    match aksi {
        AksiUsulan::Dibuat => "Dibuat",
        AksiUsulan::Diajukan => "Diajukan",
        AksiUsulan::Diverifikasi => "Diverifikasi",
        AksiUsulan::Bts => "BTS (dikembalikan untuk perbaikan)",
        AksiUsulan::Tms => "TMS (tidak memenuhi syarat)",
        AksiUsulan::DiteruskanKeBkn => "Diteruskan ke BKN",
        AksiUsulan::Disetujui => "Disetujui BKN",
        AksiUsulan::SkTerbit => "SK terbit",
        AksiUsulan::Dibatalkan => "Dibatalkan",
    }
}

/// The button of an aksi (`"Ajukan"`).
fn aksi_tombol(aksi: AksiUsulan) -> &'static str {
    match aksi {
        AksiUsulan::Dibuat => "Buat",
        AksiUsulan::Diajukan => "Ajukan",
        AksiUsulan::Diverifikasi => "Verifikasi",
        AksiUsulan::Bts => "Kembalikan (BTS)",
        AksiUsulan::Tms => "Tolak (TMS)",
        AksiUsulan::DiteruskanKeBkn => "Teruskan ke BKN",
        AksiUsulan::Disetujui => "Setujui",
        AksiUsulan::SkTerbit => "Catat SK terbit",
        AksiUsulan::Dibatalkan => "Batalkan",
    }
}

/// Whether an aksi needs an alasan tolak.
fn perlu_alasan(aksi: AksiUsulan) -> bool {
    matches!(aksi, AksiUsulan::Bts | AksiUsulan::Tms)
}

/// Runs of whitespace collapsed (`"Pilihan  (Jabatan Struktural)"` → one space).
fn rapi(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sub jenis of `jenis` to choose from: jenis KP reguler and pilihan, or jenis pemberhentian; empty for the
/// jenis without sub jenis.
fn sub_jenis_pilihan(jenis: JenisUsulan) -> Vec<Pilihan> {
    let tables = referensi();
    match jenis {
        JenisUsulan::KenaikanPangkat => tables
            .jenis_kp
            .rows
            .iter()
            .filter(|row| !matches!(row.kategori, model::referensi::KategoriKp::Pengadaan))
            .map(|row| Pilihan { kode: row.id.clone(), nama: rapi(&row.nama) })
            .collect(),
        JenisUsulan::Pemberhentian => tables
            .jenis_pemberhentian
            .rows
            .iter()
            .map(|row| Pilihan { kode: row.id.clone(), nama: rapi(&row.nama) })
            .collect(),
        _ => Vec::new(),
    }
}

/// The label of sub jenis `id` of `jenis`.
fn sub_jenis_nama(jenis: JenisUsulan, id: &str) -> Option<String> {
    let tables = referensi();
    match jenis {
        JenisUsulan::KenaikanPangkat => tables.jenis_kp.nama(id).map(rapi),
        JenisUsulan::Pemberhentian => tables.jenis_pemberhentian.nama(id).map(rapi),
        _ => None,
    }
}

/// Unix milliseconds as RFC 3339 (UTC); `None` for 0 (unknown).
pub(crate) fn rfc3339_ms(ms: i64) -> Option<String> {
    (ms != 0)
        .then(|| DateTime::<Utc>::from_timestamp_millis(ms))
        .flatten()
        .map(|time| time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The list row of `baris`.
fn ringkas(baris: store::usulan::UsulanBaris) -> UsulanRingkas {
    let id = baris.id;
    let baris = baris.usulan;
    let jenis = parse_jenis(&baris.jenis);
    UsulanRingkas {
        jenis_nama: jenis.map_or_else(|| baris.jenis.clone(), |jenis| jenis_nama(jenis).to_owned()),
        sub_jenis_nama: match (jenis, baris.sub_jenis.as_deref()) {
            (Some(jenis), Some(id)) => sub_jenis_nama(jenis, id),
            _ => None,
        },
        status_nama: StatusUsulan::parse(&baris.status).map_or_else(|| baris.status.clone(), |s| s.nama().to_owned()),
        id,
        jenis: baris.jenis,
        sub_jenis: baris.sub_jenis,
        status: baris.status,
        konflik: baris.konflik,
        jumlah_bts: u32::try_from(baris.jumlah_bts).unwrap_or(0),
        nip: baris.nip,
        nama: baris.nama,
        jumlah_pegawai: u32::try_from(baris.jumlah_pegawai).unwrap_or(0),
        dibuat: rfc3339_ms(baris.dibuat_at),
        diperbarui: rfc3339_ms(baris.updated_at),
    }
}

/// Text trimmed, `None` when empty.
pub(crate) fn isi(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

/// Unix milliseconds of local midnight starting `day`.
pub(crate) fn midnight_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc().timestamp_millis(), |time| time.timestamp_millis())
}

impl FilterUsulan {
    /// The store's filter (without cursor and limit).
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the field and value: an unknown jenis or status, a day not
    /// `yyyy-mm-dd`, `dari` after `sampai`.
    fn to_store(&self) -> Result<store::usulan::FilterUsulan, AppError> {
        let jenis = match isi(self.jenis.as_deref()) {
            Some(kode) => Some(
                parse_jenis(kode)
                    .map(|jenis| jenis_kode(jenis).to_owned())
                    .ok_or_else(|| AppError::masukan("Jenis usulan", kode, &jenis_diharapkan()))?,
            ),
            None => None,
        };
        let status = match isi(self.status.as_deref()) {
            Some(kode) => Some(StatusUsulan::parse(kode).map(|status| status.kode().to_owned()).ok_or_else(|| {
                let kodes: Vec<&str> = StatusUsulan::ALL.iter().map(|status| status.kode()).collect();
                AppError::masukan("Status usulan", kode, &format!("salah satu dari {}", kodes.join(", ")))
            })?),
            None => None,
        };
        let day = |label: &str, text: Option<&str>| -> Result<Option<NaiveDate>, AppError> {
            match isi(text) {
                Some(text) => text
                    .parse::<NaiveDate>()
                    .map(Some)
                    .map_err(|_| AppError::masukan(label, text, "tulis tanggal sebagai yyyy-mm-dd")),
                None => Ok(None),
            }
        };
        let dari = day("Dibuat dari tanggal", self.dari.as_deref())?;
        let sampai = day("Dibuat sampai tanggal", self.sampai.as_deref())?;
        if let (Some(dari), Some(sampai)) = (dari, sampai)
            && dari > sampai
        {
            return Err(AppError::masukan(
                "Dibuat sampai tanggal",
                &sampai.to_string(),
                &format!("tidak boleh sebelum tanggal dari ({dari})"),
            ));
        }
        Ok(store::usulan::FilterUsulan {
            jenis,
            status,
            nip: isi(self.nip.as_deref()).map(str::to_owned),
            dari_ms: dari.map(midnight_ms),
            sampai_ms: sampai.and_then(|day| day.succ_opt()).map(midnight_ms),
            setelah: None,
            limit: 0,
        })
    }
}

/// "salah satu dari kenaikan_pangkat, …".
fn jenis_diharapkan() -> String {
    let kodes: Vec<&str> = JENIS.iter().map(|jenis| jenis_kode(*jenis)).collect();
    format!("salah satu dari {}", kodes.join(", "))
}

/// The usulan id typed or passed.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] when it is not a UUID.
fn parse_id(id: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(id.trim())
        .map_err(|_| AppError::masukan("Id usulan", id, "tulis id usulan (UUID) seperti di daftar"))
}

/// A NIP typed: 18 digits (spaces ignored).
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the value.
pub(crate) fn parse_nip(raw: &str) -> Result<Nip, AppError> {
    let nip: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if nip.len() != 18 || !nip.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::masukan("NIP", raw, "tulis 18 angka NIP"));
    }
    Ok(Nip::new(nip))
}

/// Errors of reading an usulan: a document that does not read as an usulan is damaged on this device.
fn baca_error(error: store::Error) -> AppError {
    match error {
        store::Error::Shape(_) | store::Error::CorruptDocument { .. } => {
            tracing::warn!("dokumen usulan tidak terbaca di replika");
            AppError::new(
                KodeGalat::Replika,
                "Data usulan ini rusak di perangkat; sinkronkan untuk memperbaikinya dari hub.",
            )
        }
        other => other.into(),
    }
}

/// The usulan `id` could not be found.
fn tidak_ditemukan(id: Uuid) -> AppError {
    AppError::new(
        KodeGalat::TidakDitemukan,
        format!(
            "Usulan {id} tidak ada di perangkat ini. Periksa kembali, atau sinkronkan bila usulan baru ada di hub."
        ),
    )
}

/// The display text of a JSON value (`None` for null).
fn tampil(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// The display text of a proposed value stored as JSON text.
fn tampil_teks(json: &str) -> String {
    match serde_json::from_str::<Value>(json) {
        Ok(value) => tampil(&value).unwrap_or_else(|| "(kosong)".to_owned()),
        Err(_) => json.to_owned(),
    }
}

/// The value at dotted `path` of a record's JSON form: objects by key, lists by their rows' `id`.
fn nilai_di<'a>(json: &'a Value, path: &str) -> Option<&'a Value> {
    let mut here = json;
    for segment in path.split('.') {
        here = match here {
            Value::Object(map) => map.get(segment)?,
            Value::Array(rows) => rows.iter().find(|row| row.get("id").and_then(Value::as_str) == Some(segment))?,
            _ => return None,
        };
    }
    Some(here)
}

/// Sets dotted `path` of a record's JSON form to `value`: objects by key (created along the way), lists by their
/// rows' `id` (a whole row named by a new id is added).
///
/// # Errors
/// Why the path does not lead anywhere (a list row that is not there, a value that is not an object or list).
fn setel(json: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = segments.split_last() else { return Err("path kosong".to_owned()) };
    let mut here = json;
    for segment in parents {
        here = match here {
            Value::Object(map) => map.entry((*segment).to_owned()).or_insert_with(|| Value::Object(Default::default())),
            Value::Array(rows) => rows
                .iter_mut()
                .find(|row| row.get("id").and_then(Value::as_str) == Some(*segment))
                .ok_or_else(|| format!("baris {segment} tidak ada"))?,
            _ => return Err(format!("{segment} bukan bagian yang dapat diisi")),
        };
    }
    match here {
        Value::Object(map) => {
            map.insert((*last).to_owned(), value);
            Ok(())
        }
        Value::Array(rows) => {
            match rows.iter_mut().find(|row| row.get("id").and_then(Value::as_str) == Some(*last)) {
                Some(row) => *row = value,
                None => rows.push(value),
            }
            Ok(())
        }
        _ => Err(format!("{last} tidak dapat diisi di sini")),
    }
}

/// The kewenangan row's name for `path`, with the part below the row's path (`Riwayat jabatan (…​.tmt_jabatan)`).
fn nama_field(path: &str) -> String {
    match referensi().kewenangan(path) {
        Some(row) if row.id == path => row.nama.clone(),
        Some(row) => {
            let depth = row.id.split('.').count();
            let rest: Vec<&str> = path.split('.').skip(depth).collect();
            format!("{} ({})", row.nama, rest.join("."))
        }
        None => path.to_owned(),
    }
}

/// Whether the instansi writes `path` (penulis operator or verifikator instansi): a verified peremajaan applies
/// such a value at once; a value BKN writes waits for BKN.
fn ditulis_instansi(path: &str) -> bool {
    referensi()
        .kewenangan(path)
        .is_some_and(|row| matches!(row.penulis, Penulis::OperatorInstansi | Penulis::VerifikatorInstansi))
}

/// A proposed value for `path` of `pegawai`, as JSON text: `raw` as JSON when it parses and the record accepts it,
/// else `raw` as text.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the field and the value: a path the authority table does not know or
/// that only the hub writes, or a value the pegawai record refuses either way.
fn nilai_usulan(pegawai: &Pegawai, path: &str, raw: &str) -> Result<String, AppError> {
    let label = format!("Perubahan {path}");
    match referensi().kewenangan(path) {
        None => {
            return Err(AppError::masukan(
                &label,
                raw,
                "field ini tidak dikenal di tabel kewenangan (kewenangan-field.json); tulis path seperti \
                 data_utama.no_hp",
            ));
        }
        Some(row) if matches!(row.penulis, Penulis::Hub) => {
            return Err(AppError::masukan(&label, raw, &format!("{} hanya diisi hub dari SI-ASN", row.nama)));
        }
        Some(_) => {}
    }
    let record = serde_json::to_value(pegawai).map_err(AppError::internal)?;
    let mut candidates = Vec::new();
    if let Ok(parsed) = serde_json::from_str::<Value>(raw.trim()) {
        candidates.push(parsed);
    }
    candidates.push(Value::String(raw.trim().to_owned()));
    let mut why = String::new();
    for candidate in candidates {
        let mut edited = record.clone();
        if let Err(error) = setel(&mut edited, path, candidate.clone()) {
            why = error;
            continue;
        }
        match Pegawai::deserialize(&edited) {
            Ok(_) => return Ok(candidate.to_string()),
            Err(error) => why = error.to_string(),
        }
    }
    Err(AppError::masukan(&label, raw, &format!("nilai tidak sesuai bentuk data pegawai ({why})")))
}

/// The pegawai record with every instansi-written change of `perubahan` applied, and the paths applied.
///
/// # Errors
/// Why a change cannot be applied (its path leads nowhere, or the record refuses the value).
fn terapkan(json: &Value, perubahan: &BTreeMap<String, String>) -> Result<(Value, Vec<String>), String> {
    let mut edited = json.clone();
    let mut applied = Vec::new();
    for (path, text) in perubahan {
        if !ditulis_instansi(path) {
            continue;
        }
        let value: Value = serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()));
        setel(&mut edited, path, value).map_err(|why| format!("{path}: {why}"))?;
        applied.push(path.clone());
    }
    Pegawai::deserialize(&edited).map_err(|error| error.to_string())?;
    Ok((edited, applied))
}

/// What a verified peremajaan writes: the pegawai documents to change (row id, NIP) and the NIPs whose pegawai the
/// replica does not hold (reported, applied once they arrive).
struct RencanaPenerapan {
    tulis: Vec<(i64, String)>,
    hilang: Vec<String>,
}

/// The pegawai (of `pegawai`, those the replica holds) among `nips` that `usulan`, a verified peremajaan, changes, each checked now, before anything is
/// written: the proposed instansi values must apply to its record.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the NIP and why a change does not apply (the verifikator returns the
/// usulan with BTS instead); [`KodeGalat::Internal`] when a record does not serialise.
fn rencana_penerapan(
    usulan: &Usulan,
    pegawai: &[PegawaiDimuat],
    nips: &BTreeSet<String>,
) -> Result<RencanaPenerapan, AppError> {
    let mut rencana = RencanaPenerapan { tulis: Vec::new(), hilang: Vec::new() };
    for nip in nips {
        let Some(target) = pegawai.iter().find(|found| found.pegawai.data_utama.nip.as_str() == nip) else {
            rencana.hilang.push(nip.clone());
            continue;
        };
        let json = serde_json::to_value(&target.pegawai).map_err(AppError::internal)?;
        let (_, applied) = terapkan(&json, &usulan.perubahan).map_err(|why| {
            AppError::new(
                KodeGalat::MasukanTidakSah,
                format!(
                    "Perubahan usulan tidak dapat diterapkan ke data pegawai {nip}: {why}. Kembalikan usulan (BTS) \
                     agar operator memperbaikinya."
                ),
            )
        })?;
        if !applied.is_empty() {
            rencana.tulis.push((target.rowid, nip.clone()));
        }
    }
    Ok(rencana)
}

/// A pegawai of an usulan found in the replica.
struct PegawaiDimuat {
    /// The document's row id.
    rowid: i64,
    pegawai: Pegawai,
}

/// Loads the pegawai `nips` names (those the replica holds; a pegawai of another instansi may be missing).
///
/// # Errors
/// Replica errors.
fn muat_pegawai<'a>(
    reader: &store::Reader<'_>,
    nips: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<PegawaiDimuat>, AppError> {
    let mut out = Vec::new();
    for nip in nips {
        let rowid = match store::query::pegawai_rowid(reader, nip, None) {
            Ok(rowid) => rowid,
            Err(store::Error::NotFound(_)) => continue,
            Err(error) => return Err(error.into()),
        };
        match store::query::profil_by_rowid(reader, rowid) {
            Ok(profil) => out.push(PegawaiDimuat { rowid, pegawai: profil.pegawai }),
            Err(store::Error::Shape(_) | store::Error::CorruptDocument { .. }) => {
                tracing::warn!("dokumen pegawai sebuah usulan tidak terbaca; dilewati");
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(out)
}

/// Everything the detail and the checks read of one usulan.
struct Dimuat {
    id: Uuid,
    usulan: Usulan,
    baris: store::usulan::UsulanBaris,
    pegawai: Vec<PegawaiDimuat>,
    /// IKD codes today, per NIP.
    ikd: Vec<(String, Vec<String>)>,
    /// Outbox rows of the usulan document.
    outbox: i64,
}

impl Dimuat {
    fn pegawai(&self) -> Vec<Pegawai> {
        self.pegawai.iter().map(|loaded| loaded.pegawai.clone()).collect()
    }

    /// The pre-submit check as of `today`.
    fn temuan(&self, today: NaiveDate) -> Vec<syarat::Temuan> {
        syarat::periksa_pengajuan(&self.usulan, &self.pegawai(), today, &self.ikd)
    }
}

/// The event view of `event`.
fn event_view(event: &UsulanEvent) -> EventView {
    EventView {
        id: event.id.clone(),
        aksi: aksi_kode(event.aksi).to_owned(),
        aksi_nama: aksi_nama(event.aksi).to_owned(),
        oleh: event.oleh.to_string(),
        waktu: event.waktu.clone(),
        alasan_id: event.alasan_id.clone(),
        alasan: event.alasan_id.as_deref().and_then(|id| referensi().alasan_tolak.nama(id)).map(str::to_owned),
        catatan: event.catatan.clone(),
        nip: event.nip.iter().map(ToString::to_string).collect(),
    }
}

/// Every permission appending `event` to `usulan` needs (the workflow's `izin` of the new node, computed as the
/// hub computes it, by `alur::periksa_event_baru`).
///
/// # Errors
/// The workflow's reason (Bahasa Indonesia) when the hub would not accept the event there (its transition, its
/// alasan, its time, the length of its note).
fn izin_perlu(usulan: &Usulan, event: &UsulanEvent) -> Result<BTreeSet<Izin>, String> {
    let mut after = usulan.clone();
    after.riwayat_status.push(event.clone());
    let added = alur::periksa_event_baru(usulan, &after)?;
    Ok(added.into_iter().flat_map(|baru| baru.izin).collect())
}

/// An alasan tolak of the kind `aksi` needs (the first BTS or TMS row of `alasan-tolak.json`), for trying the aksi.
fn alasan_contoh(aksi: AksiUsulan) -> Option<String> {
    let wanted = match aksi {
        AksiUsulan::Bts => KeteranganTolak::Bts,
        AksiUsulan::Tms => KeteranganTolak::Tms,
        _ => return None,
    };
    referensi().alasan_tolak.rows.iter().find(|row| row.keterangan == wanted).map(|row| row.id.clone())
}

/// The transitions allowed now: each aksi the workflow accepts from the current state (a conflict's resolutions
/// included) whose every needed permission is in `izin`; every such aksi when `izin` is empty (the officer's
/// roles are not known yet: the hub decides). Each is tried as an event by `oleh` with id `id` (an unused UUID)
/// at `waktu` (RFC 3339, now), never written.
fn aksi_boleh(usulan: &Usulan, izin: &BTreeSet<Izin>, oleh: &Nip, id: &str, waktu: &str) -> Vec<AksiView> {
    let mut out = Vec::new();
    for aksi in AKSI {
        let trial = EventMasukan {
            id: id.to_owned(),
            aksi,
            oleh: oleh.clone(),
            waktu: waktu.to_owned(),
            alasan_id: alasan_contoh(aksi),
            catatan: None,
            nip: Vec::new(),
        };
        let Ok(event) = alur::event_baru(usulan, trial) else { continue };
        let Ok(perlu) = izin_perlu(usulan, &event) else { continue };
        if izin.is_empty() || perlu.iter().all(|needed| izin.contains(needed)) {
            out.push(AksiView {
                aksi: aksi_kode(aksi).to_owned(),
                nama: aksi_tombol(aksi).to_owned(),
                perlu_alasan: perlu_alasan(aksi),
            });
        }
    }
    out
}

/// Refuses `aksi` when the officer's known permissions `izin` lack one of `perlu`; nothing is refused when `izin`
/// is empty (roles not known yet: the hub decides at the next sync).
///
/// # Errors
/// [`KodeGalat::Ditolak`] naming the aksi, the roles that may make it and the officer's roles.
fn periksa_izin(
    aksi: AksiUsulan,
    perlu: &BTreeSet<Izin>,
    izin: &BTreeSet<Izin>,
    peran: &[String],
) -> Result<(), AppError> {
    if izin.is_empty() {
        return Ok(());
    }
    let Some(kurang) = perlu.iter().find(|needed| !izin.contains(needed)) else { return Ok(()) };
    let tabel = model::peran::peran();
    let milik: Vec<&str> =
        peran.iter().map(|kode| tabel.get(kode).map_or(kode.as_str(), |peran| peran.nama.as_str())).collect();
    let milik = if milik.is_empty() { "tidak ada".to_owned() } else { milik.join(", ") };
    let nama = alur::nama_aksi(aksi);
    Err(AppError::new(
        KodeGalat::Ditolak,
        sentence(&format!(
            "Anda tidak dapat {nama} usulan ini: {nama} hanya boleh dilakukan oleh {} (peran Anda: {milik}); \
             tidak ada yang dicatat",
            tabel.nama_pemegang(*kurang)
        )),
    ))
}

/// The NIPs whose status `sesudah` (the usulan with a new event) makes diverifikasi and `sebelum` did not: the
/// pegawai a verified peremajaan changes.
fn jadi_diverifikasi(sebelum: &Usulan, sesudah: &Usulan) -> BTreeSet<String> {
    let before = alur::keadaan(sebelum).per_nip;
    alur::keadaan(sesudah)
        .per_nip
        .into_iter()
        .filter(|(nip, status)| {
            *status == StatusUsulan::Diverifikasi && before.get(nip) != Some(&StatusUsulan::Diverifikasi)
        })
        .map(|(nip, _)| nip)
        .collect()
}

/// The instansi-written paths of `perubahan` whose value `pegawai` does not hold yet, compared in the record's own
/// serialised form (so a value reads the same however it was typed).
///
/// # Errors
/// Why the changes cannot be applied to this pegawai (see [`terapkan`]).
fn belum_diterapkan(pegawai: &Pegawai, perubahan: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let json = serde_json::to_value(pegawai).map_err(|error| error.to_string())?;
    let (edited, applied) = terapkan(&json, perubahan)?;
    let edited = Pegawai::deserialize(&edited).map_err(|error| error.to_string())?;
    let edited = serde_json::to_value(&edited).map_err(|error| error.to_string())?;
    Ok(applied.into_iter().filter(|path| nilai_di(&json, path) != nilai_di(&edited, path)).collect())
}

/// The pegawai of a verified peremajaan (NIPs at diverifikasi) whose documents do not hold the verified instansi
/// values: (NIP, names of the fields missing; empty when the replica does not hold the pegawai). Empty for other
/// jenis.
fn penerapan_tertunda(
    usulan: &Usulan,
    pegawai: &[PegawaiDimuat],
    keadaan: &alur::Keadaan,
) -> Vec<(String, Vec<String>)> {
    if usulan.jenis != JenisUsulan::PeremajaanData || !usulan.perubahan.keys().any(|path| ditulis_instansi(path)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (nip, status) in &keadaan.per_nip {
        if *status != StatusUsulan::Diverifikasi {
            continue;
        }
        match pegawai.iter().find(|found| found.pegawai.data_utama.nip.as_str() == nip) {
            None => out.push((nip.clone(), Vec::new())),
            Some(found) => {
                // A change that no longer applies is not "pending": verifying said what it could.
                if let Ok(paths) = belum_diterapkan(&found.pegawai, &usulan.perubahan)
                    && !paths.is_empty()
                {
                    out.push((nip.clone(), paths.iter().map(|path| nama_field(path)).collect()));
                }
            }
        }
    }
    out
}

/// The view of a pre-submit finding.
fn temuan_view(temuan: syarat::Temuan) -> TemuanView {
    TemuanView {
        tingkat: match temuan.tingkat {
            Tingkat::Blokir => "blokir",
            Tingkat::Peringatan => "peringatan",
        }
        .to_owned(),
        kode: temuan.kode,
        nip: temuan.nip,
        pesan: temuan.pesan,
    }
}

/// The `"<nip>/<kode>"` key form of a per-pegawai checklist row (a one-pegawai usulan accepts it beside the bare
/// kode, `syarat::kunci_dokumen`); the row's own key for an usulan-wide row.
fn kunci_lengkap(row: &syarat::SyaratDokumen) -> String {
    syarat::kunci_dokumen(&row.kode, row.nip.as_deref())
}

/// The file attached for checklist row `row`: under its key, else under its `"<nip>/<kode>"` form.
fn terlampir<'a>(usulan: &'a Usulan, row: &syarat::SyaratDokumen) -> Option<&'a BlobRef> {
    usulan.dokumen.get(&row.kunci).or_else(|| usulan.dokumen.get(&kunci_lengkap(row)))
}

/// Checks an attachment against its checklist row and the content.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the document and the raw mime or size with the limit.
fn periksa_berkas(syarat: &syarat::SyaratDokumen, mime: &str, isi: &[u8]) -> Result<String, AppError> {
    let nama = &syarat.nama;
    let mime_bersih = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !syarat.tipe.iter().any(|tipe| tipe.eq_ignore_ascii_case(&mime_bersih)) {
        return Err(AppError::masukan(
            &format!("Jenis berkas {nama}"),
            mime,
            &format!("yang diterima: {}", syarat.tipe.join(", ")),
        ));
    }
    periksa_ukuran(syarat, isi.len() as u64)?;
    let magic: Option<(&[u8], &str)> = match mime_bersih.as_str() {
        "application/pdf" => Some((b"%PDF-", "PDF")),
        "image/jpeg" => Some((&[0xFF, 0xD8, 0xFF], "JPEG")),
        "image/png" => Some((b"\x89PNG\r\n\x1a\n", "PNG")),
        _ => None,
    };
    if let Some((awal, jenis)) = magic
        && !isi.starts_with(awal)
    {
        return Err(AppError::masukan(
            &format!("Isi berkas {nama}"),
            mime,
            &format!("isinya bukan {jenis}; pilih berkas {jenis} yang benar"),
        ));
    }
    if let (Some(maks), "application/pdf") = (syarat.halaman_maks, mime_bersih.as_str())
        && let Some(halaman) = halaman_pdf(isi)
        && halaman > maks
    {
        return Err(AppError::masukan(
            &format!("Jumlah halaman {nama}"),
            &format!("{halaman} halaman"),
            &format!("paling banyak {maks} halaman"),
        ));
    }
    Ok(mime_bersih)
}

/// Checks a file of `size` bytes against its checklist row's minimum and maximum: the one place of the size rule,
/// for the bytes attached and for a size asked before reading a file ([`AppContext::usulan_periksa_lampiran`]).
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the document, the size and the limit.
fn periksa_ukuran(syarat: &syarat::SyaratDokumen, size: u64) -> Result<(), AppError> {
    let nama = &syarat.nama;
    let (min, maks) = (syarat.ukuran_min, syarat.ukuran_maks);
    if size > maks {
        return Err(AppError::masukan(
            &format!("Ukuran berkas {nama}"),
            &format!("{size} byte"),
            &format!("paling besar {maks} byte ({})", ukuran(maks)),
        ));
    }
    if size < min {
        return Err(AppError::masukan(
            &format!("Ukuran berkas {nama}"),
            &format!("{size} byte"),
            &format!("paling kecil {min} byte ({}); berkas sekecil ini biasanya kosong atau rusak", ukuran(min)),
        ));
    }
    Ok(())
}

/// The checklist row `kode` names: its key, or its `"<nip>/<kode>"` form.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the code and the usulan's codes.
fn baris_syarat<'a>(syarat: &'a [syarat::SyaratDokumen], kode: &str) -> Result<&'a syarat::SyaratDokumen, AppError> {
    syarat.iter().find(|row| row.kunci == kode || kunci_lengkap(row) == kode).ok_or_else(|| {
        let kodes: Vec<&str> = syarat.iter().map(|row| row.kunci.as_str()).collect();
        AppError::masukan(
            "Kode dokumen",
            kode,
            &format!("bukan dokumen dalam daftar syarat usulan ini ({})", kodes.join(", ")),
        )
    })
}

/// The pages of a PDF as its uncompressed page objects count them (`/Type /Page`, not `/Pages`); `None` when none
/// is visible (page objects inside compressed object streams, PDF 1.5+): then the limit is not checked here.
fn halaman_pdf(isi: &[u8]) -> Option<u32> {
    let mut count = 0u32;
    let mut at = 0;
    while let Some(found) = isi[at..].windows(5).position(|window| window == b"/Type") {
        let mut rest = &isi[at + found + 5..];
        while let [b' ' | b'\r' | b'\n' | b'\t', tail @ ..] = rest {
            rest = tail;
        }
        if rest.starts_with(b"/Page") && !rest[5..].first().is_some_and(u8::is_ascii_alphanumeric) {
            count += 1;
        }
        at += found + 5;
    }
    (count > 0).then_some(count)
}

/// `2097152` → `"2 MB"`.
pub(crate) fn ukuran(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} byte")
    }
}

/// A file name as stored: the last path component, trimmed, without control characters, at most 200 characters.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] for an empty name.
pub(crate) fn nama_berkas_bersih(raw: &str) -> Result<String, AppError> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() {
        return Err(AppError::masukan("Nama berkas", raw, "pilih berkas yang bernama"));
    }
    Ok(cleaned)
}

impl AppContext {
    /// The signed-in officer, as last verified online.
    ///
    /// # Errors
    /// [`KodeGalat::BelumMasuk`] when nobody is signed in on the replica; replica errors.
    pub(crate) fn petugas(&self, replica: &store::Replica) -> Result<Identity, AppError> {
        let Some(session) = self.session(replica)? else { return Err(AppError::belum_masuk()) };
        session.identity(replica)?.ok_or_else(AppError::belum_masuk)
    }

    /// Writes the verified instansi values of peremajaan `perubahan` to the pegawai of `rencana`, each in its own
    /// transaction, applied to the document as it is now (a change synced in meanwhile is kept). `setelah_event`:
    /// the verification event was just written (the message says it stands). Logs counts only.
    ///
    /// # Errors
    /// [`KodeGalat::Replika`] naming each NIP whose write failed and why, and how to apply again.
    fn terapkan_peremajaan(
        &self,
        replica: &store::Replica,
        perubahan: &BTreeMap<String, String>,
        rencana: &RencanaPenerapan,
        now_ms: i64,
        setelah_event: bool,
    ) -> Result<(), AppError> {
        if !rencana.hilang.is_empty() {
            tracing::warn!(
                jumlah = rencana.hilang.len(),
                "pegawai peremajaan yang diverifikasi tidak ada di replika; perubahannya menunggu"
            );
        }
        let mut gagal: Vec<String> = Vec::new();
        for (rowid, nip) in &rencana.tulis {
            let mut why = None;
            let result = store::edit::edit_pegawai_document(
                replica,
                nip,
                Some(*rowid),
                now_ms,
                &self.pesan_perubahan(replica, "peremajaan data diverifikasi"),
                |json| match terapkan(json, perubahan) {
                    Ok((edited, _)) => *json = edited,
                    Err(error) => why = Some(error),
                },
            );
            match (result, why) {
                (Ok(_), None) => {}
                (Ok(_), Some(why)) => gagal.push(format!("NIP {nip}: {why}")),
                (Err(error), _) => {
                    gagal.push(format!("NIP {nip}: {}", crate::error::edit_error(error).message.trim_end_matches('.')));
                }
            }
        }
        if gagal.is_empty() {
            tracing::info!(jumlah = rencana.tulis.len(), "peremajaan yang diverifikasi diterapkan ke data pegawai");
            return Ok(());
        }
        tracing::warn!(jumlah = gagal.len(), "peremajaan yang diverifikasi gagal diterapkan ke sebagian pegawai");
        let awal = if setelah_event {
            "Verifikasi usulan sudah tercatat, tetapi perubahannya"
        } else {
            "Perubahan yang diverifikasi"
        };
        Err(AppError::new(
            KodeGalat::Replika,
            format!(
                "{awal} belum dapat diterapkan ke data pegawai ({}). Buka usulan ini lagi dan pilih Verifikasi untuk \
                 menerapkannya; bila tetap gagal, sinkronkan lalu ulangi.",
                gagal.join("; ")
            ),
        ))
    }

    /// Whether files may be attached to `loaded` now: while any of its NIPs is at draft or BTS (the operator
    /// corrects), else only by a verifikator (whose permissions this device knows).
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the status; replica errors.
    fn boleh_lampirkan(&self, replica: &store::Replica, loaded: &Dimuat) -> Result<(), AppError> {
        let keadaan = alur::keadaan(&loaded.usulan);
        let terbuka = |status: &StatusUsulan| matches!(status, StatusUsulan::Draft | StatusUsulan::Bts);
        if terbuka(&keadaan.status) || keadaan.per_nip.values().any(terbuka) {
            return Ok(());
        }
        let verifikator = match self.session(replica)? {
            Some(session) => session
                .identity(replica)?
                .is_some_and(|identity| identity.izin_petugas().contains(&Izin::UsulanVerifikasi)),
            None => false,
        };
        if verifikator {
            return Ok(());
        }
        Err(AppError::new(
            KodeGalat::MasukanTidakSah,
            format!(
                "Usulan ini berstatus {}: dokumen hanya dapat dilampirkan saat draf atau setelah BTS.",
                keadaan.status.nama()
            ),
        ))
    }

    /// The current time (the context's clock) as event time (RFC 3339, UTC, seconds) and unix milliseconds.
    pub(crate) fn sekarang(&self) -> (String, i64) {
        let now = (self.clock)();
        (now.to_rfc3339_opts(SecondsFormat::Secs, true), now.timestamp_millis())
    }

    /// A new UUIDv7 (document or event id) stamped with the context's clock.
    pub(crate) fn id_baru(&self) -> Uuid {
        let now = (self.clock)();
        let seconds = u64::try_from(now.timestamp()).unwrap_or(0);
        Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, seconds, now.timestamp_subsec_nanos()))
    }

    /// Loads usulan `id` with its pegawai and their IKD codes today.
    ///
    /// # Errors
    /// [`KodeGalat::TidakDitemukan`]; replica errors.
    fn muat(&self, replica: &store::Replica, id: Uuid) -> Result<Dimuat, AppError> {
        let reader = replica.reader()?;
        let usulan = store::usulan::lihat(&reader, id).map_err(baca_error)?.ok_or_else(|| tidak_ditemukan(id))?;
        let baris = store::usulan::baris(&reader, id)?.ok_or_else(|| tidak_ditemukan(id))?;
        let pegawai = muat_pegawai(&reader, usulan.pegawai.iter().map(|pegawai| pegawai.nip.as_str()))?;
        let today = self.today();
        let mut ikd = Vec::new();
        for loaded in &pegawai {
            let codes = store::ringkasan::ikd_pegawai(&reader, loaded.rowid, today)?;
            ikd.push((loaded.pegawai.data_utama.nip.to_string(), codes.into_iter().map(|(kode, _)| kode).collect()));
        }
        let outbox = store::ringkasan::outbox_dokumen(&reader, baris.rowid)?;
        Ok(Dimuat { id, usulan, baris, pegawai, ikd, outbox })
    }

    /// The detail of usulan `id` as of now. Blocking.
    fn detail_now(&self, id: Uuid) -> Result<UsulanDetail, AppError> {
        let replica = self.replica(false)?;
        let loaded = self.muat(&replica, id)?;
        let usulan = &loaded.usulan;
        let keadaan = alur::keadaan(usulan);
        let pegawai = usulan
            .pegawai
            .iter()
            .map(|pegawai| {
                let status = keadaan.per_nip.get(pegawai.nip.as_str()).copied().unwrap_or(keadaan.status);
                PegawaiUsulanView {
                    nip: pegawai.nip.to_string(),
                    nama: pegawai.nama.clone(),
                    status: status.kode().to_owned(),
                    status_nama: status.nama().to_owned(),
                }
            })
            .collect();
        let first = match loaded.pegawai.first() {
            Some(first) => Some(serde_json::to_value(&first.pegawai).map_err(AppError::internal)?),
            None => None,
        };
        let perubahan = usulan
            .perubahan
            .iter()
            .map(|(path, text)| PerubahanView {
                field: path.clone(),
                nama_field: nama_field(path),
                sebelum: first.as_ref().and_then(|json| nilai_di(json, path)).and_then(tampil),
                sesudah: tampil_teks(text),
            })
            .collect();
        let berkas = |blob: &BlobRef| BerkasView {
            sha256: blob.sha256.clone(),
            size: blob.size,
            mime: blob.mime.clone(),
            name: blob.name.clone(),
        };
        let syarat = syarat::daftar_syarat(usulan, &loaded.pegawai());
        let kolektif = usulan.pegawai.len() > 1;
        let mut dokumen: Vec<DokumenSyaratView> = syarat
            .iter()
            .map(|row| DokumenSyaratView {
                kode: row.kunci.clone(),
                nama: match (&row.nip, kolektif) {
                    (Some(nip), true) => format!("{} (NIP {nip})", row.nama),
                    _ => row.nama.clone(),
                },
                wajib: row.wajib,
                tipe: row.tipe.clone(),
                ukuran_maks: Some(row.ukuran_maks),
                terlampir: terlampir(usulan, row).map(berkas),
            })
            .collect();
        for (kunci, blob) in &usulan.dokumen {
            if !syarat.iter().any(|row| terlampir(usulan, row).is_some_and(|found| std::ptr::eq(found, blob))) {
                let kode = kunci.rsplit('/').next().unwrap_or(kunci);
                dokumen.push(DokumenSyaratView {
                    kode: kunci.clone(),
                    nama: referensi().ref_dokumen.nama(kode).map_or_else(|| kunci.clone(), str::to_owned),
                    wajib: false,
                    tipe: vec![blob.mime.clone()],
                    ukuran_maks: None,
                    terlampir: Some(berkas(blob)),
                });
            }
        }
        let konflik = keadaan
            .konflik
            .iter()
            .map(|konflik| KonflikView {
                nip: konflik.nip.clone(),
                pilihan: konflik.event.iter().map(event_view).collect(),
            })
            .collect();
        let mut temuan: Vec<TemuanView> = loaded.temuan(self.today()).into_iter().map(temuan_view).collect();
        temuan.extend(penolakan_hub(&replica, id)?);
        let identity = match self.session(&replica)? {
            Some(session) => session.identity(&replica)?,
            None => None,
        };
        let izin = identity.as_ref().map(Identity::izin_petugas).unwrap_or_default();
        let mut aksi = match &identity {
            Some(identity) => {
                let (waktu, _) = self.sekarang();
                aksi_boleh(usulan, &izin, &Nip::new(identity.nip.clone()), &self.id_baru().to_string(), &waktu)
            }
            None => Vec::new(),
        };
        let tertunda = penerapan_tertunda(usulan, &loaded.pegawai, &keadaan);
        for (nip, fields) in &tertunda {
            let apa = if fields.is_empty() {
                format!("data pegawai NIP {nip} tidak ada di perangkat ini; sinkronkan agar datanya ada, lalu")
            } else {
                format!("data pegawai NIP {nip} belum memuat {}; bila memang belum diterapkan,", fields.join(", "))
            };
            let siapa = if izin.is_empty() {
                "setelah peran Anda diketahui dari hub (sinkronkan), verifikator instansi memilih Verifikasi lagi \
                 untuk menerapkannya"
            } else {
                "verifikator instansi memilih Verifikasi lagi untuk menerapkannya"
            };
            temuan.push(TemuanView {
                tingkat: "peringatan".to_owned(),
                kode: KODE_BELUM_DITERAPKAN.to_owned(),
                nip: Some(nip.clone()),
                pesan: format!("Perubahan yang diverifikasi belum diterapkan: {apa} {siapa}."),
            });
        }
        let diverifikasi = aksi_kode(AksiUsulan::Diverifikasi);
        if !tertunda.is_empty()
            && izin.contains(&Izin::UsulanVerifikasi)
            && !aksi.iter().any(|a| a.aksi == diverifikasi)
        {
            aksi.push(AksiView {
                aksi: diverifikasi.to_owned(),
                nama: "Terapkan perubahan ke data pegawai".to_owned(),
                perlu_alasan: false,
            });
        }
        if identity.is_some() && izin.is_empty() {
            temuan.push(TemuanView {
                tingkat: "peringatan".to_owned(),
                kode: KODE_PERAN_BELUM_DIKETAHUI.to_owned(),
                nip: None,
                pesan: "Peran Anda belum diketahui di perangkat ini (belum tersambung ke hub): aksi yang ditawarkan \
                        adalah yang dibolehkan alur usulan, dan hub memutuskan apakah peran Anda boleh melakukannya \
                        saat sinkronisasi."
                    .to_owned(),
            });
        }
        Ok(UsulanDetail {
            ringkas: ringkas(loaded.baris),
            pegawai,
            perubahan,
            dokumen,
            riwayat: usulan.riwayat_status.iter().map(event_view).collect(),
            konflik,
            temuan,
            aksi,
            lokal: loaded.outbox > 0,
            siasn: status_siasn_view(usulan),
        })
    }

    /// `usulan_daftar`: one page of the usulan list under `filter`, newest activity first, after `kursor`, at most
    /// `batas` rows (1–500), with the counts per status under the filter without its status.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the filter field and value; [`KodeGalat::BelumMasuk`] without a
    /// replica; replica errors.
    pub async fn usulan_daftar(
        self: &Arc<Self>,
        filter: FilterUsulan,
        kursor: Option<KursorUsulan>,
        batas: u32,
    ) -> Result<HalamanUsulan, AppError> {
        let mut filter = filter.to_store()?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let reader = replica.reader()?;
            let limit = (batas as usize).clamp(1, MAX_ROWS);
            let per_status = store::usulan::jumlah_per_status(&reader, &filter)?
                .into_iter()
                .map(|(kunci, jumlah)| Hitung {
                    label: StatusUsulan::parse(&kunci).map_or_else(|| kunci.clone(), |status| status.nama().to_owned()),
                    kunci,
                    jumlah,
                })
                .collect();
            filter.setelah = kursor
                .map(|kursor| store::usulan::KursorUsulan { updated_at: kursor.diperbarui_ms, rowid: kursor.rowid });
            filter.limit = limit;
            let rows = store::usulan::daftar(&reader, &filter)?;
            let berikut = match rows.last() {
                Some(last) if rows.len() == limit => {
                    let next = last.kursor();
                    Some(KursorUsulan { diperbarui_ms: next.updated_at, rowid: next.rowid })
                }
                _ => None,
            };
            Ok(HalamanUsulan { baris: rows.into_iter().map(ringkas).collect(), per_status, berikut })
        })
        .await
    }

    /// `usulan_detail`: one usulan with its pegawai, proposed changes, checklist, log, conflicts, the pre-submit
    /// check as of today and what the signed-in officer may do now.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] for an id that is not a UUID; [`KodeGalat::TidakDitemukan`];
    /// [`KodeGalat::BelumMasuk`] without a replica; replica errors.
    pub async fn usulan_detail(self: &Arc<Self>, id: String) -> Result<UsulanDetail, AppError> {
        let id = parse_id(&id)?;
        self.blocking(move |context| context.detail_now(id)).await
    }

    /// `usulan_buat`: a new draft usulan with its `dibuat` event by the signed-in officer, written offline.
    /// Returns its detail.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] naming the field and value: an unknown jenis; a sub jenis missing, unknown or
    /// not used by the jenis; no NIP, or a NIP that is not 18 digits or not in the replica; a peremajaan data
    /// without changes; a change to a field the authority table does not know or only the hub writes, or with a
    /// value the pegawai record refuses. [`KodeGalat::BelumMasuk`] when nobody is signed in; replica errors.
    pub async fn usulan_buat(self: &Arc<Self>, baru: UsulanBaru) -> Result<UsulanDetail, AppError> {
        let jenis = parse_jenis(baru.jenis.trim())
            .ok_or_else(|| AppError::masukan("Jenis usulan", &baru.jenis, &jenis_diharapkan()))?;
        let pilihan = sub_jenis_pilihan(jenis);
        let sub_jenis = match (isi(baru.sub_jenis.as_deref()), pilihan.is_empty()) {
            (None, true) => None,
            (Some(kode), true) => {
                return Err(AppError::masukan(
                    "Sub jenis",
                    kode,
                    &format!("usulan {} tidak memiliki sub jenis; kosongkan", jenis_nama(jenis).to_lowercase()),
                ));
            }
            (None, false) => {
                return Err(AppError::masukan(
                    "Sub jenis",
                    "",
                    &format!("pilih sub jenis {}", jenis_nama(jenis).to_lowercase()),
                ));
            }
            (Some(kode), false) => {
                if !pilihan.iter().any(|pilihan| pilihan.kode == kode) {
                    let kodes: Vec<&str> = pilihan.iter().map(|pilihan| pilihan.kode.as_str()).collect();
                    return Err(AppError::masukan("Sub jenis", kode, &format!("salah satu dari {}", kodes.join(", "))));
                }
                Some(kode.to_owned())
            }
        };
        let mut nips: Vec<Nip> = Vec::new();
        for raw in &baru.nip {
            let nip = parse_nip(raw)?;
            if !nips.contains(&nip) {
                nips.push(nip);
            }
        }
        if nips.is_empty() {
            return Err(AppError::masukan("NIP", "", "pilih sedikitnya satu pegawai"));
        }
        if jenis == JenisUsulan::PeremajaanData && baru.perubahan.is_empty() {
            return Err(AppError::masukan("Perubahan", "", "peremajaan data memerlukan sedikitnya satu perubahan"));
        }
        if jenis == JenisUsulan::PencantumanGelar {
            if baru.perubahan.is_empty() {
                return Err(AppError::masukan(
                    "Perubahan",
                    "",
                    "pencantuman gelar memerlukan gelar depan atau gelar belakang yang baru",
                ));
            }
            if let Some((path, _)) = baru.perubahan.iter().find(|(path, _)| !FIELD_GELAR.contains(&path.trim())) {
                return Err(AppError::masukan(
                    "Perubahan",
                    path,
                    "pencantuman gelar hanya mengubah data_utama.gelar_depan atau data_utama.gelar_belakang; \
                     perubahan data lain diusulkan lewat peremajaan data",
                ));
            }
            if nips_mentah(&baru.nip) > 1 {
                return Err(AppError::masukan(
                    "NIP",
                    &baru.nip.join(", "),
                    "pencantuman gelar diusulkan untuk satu pegawai",
                ));
            }
        }
        let catatan = isi(baru.catatan.as_deref()).map(str::to_owned);
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let petugas = context.petugas(&replica)?;
            let loaded = {
                let reader = replica.reader()?;
                let loaded = muat_pegawai(&reader, nips.iter().map(Nip::as_str))?;
                if let Some(hilang) =
                    nips.iter().find(|nip| !loaded.iter().any(|loaded| loaded.pegawai.data_utama.nip == **nip))
                {
                    return Err(AppError::masukan(
                        "NIP",
                        hilang.as_str(),
                        "pegawai ini tidak ada di replika; sinkronkan atau periksa NIP",
                    ));
                }
                loaded
            };
            let mut perubahan = BTreeMap::new();
            for (path, raw) in &baru.perubahan {
                let path = path.trim();
                let first = &loaded[0].pegawai;
                perubahan.insert(path.to_owned(), nilai_usulan(first, path, raw)?);
            }
            let (waktu, now_ms) = context.sekarang();
            let id = context.id_baru();
            let mut usulan = Usulan {
                id: id.to_string(),
                jenis,
                sub_jenis,
                pegawai: loaded
                    .iter()
                    .map(|loaded| UsulanPegawai {
                        nip: loaded.pegawai.data_utama.nip.clone(),
                        nama: loaded.pegawai.data_utama.nama_lengkap(),
                    })
                    .collect(),
                perubahan,
                dokumen: BTreeMap::new(),
                riwayat_status: Vec::new(),
                siasn_id: None,
                status_siasn: None,
            };
            let event = alur::event_baru(
                &usulan,
                EventMasukan {
                    id: context.id_baru().to_string(),
                    aksi: AksiUsulan::Dibuat,
                    oleh: Nip::new(petugas.nip.clone()),
                    waktu,
                    alasan_id: None,
                    catatan,
                    nip: Vec::new(),
                },
            )
            .map_err(|galat| AppError::internal(format!("event dibuat ditolak alur: {galat}")))?;
            usulan.riwayat_status.push(event);
            let value = serde_json::to_value(&usulan).map_err(AppError::internal)?;
            let pesan = context.pesan_perubahan(&replica, "usulan dibuat");
            store::edit::create_document(&replica, store::document::Kind::Usulan, id, &value, now_ms, &pesan)?;
            tracing::info!(jenis = jenis_kode(jenis), pegawai = usulan.pegawai.len(), "usulan dibuat (luring)");
            context.detail_now(id)
        })
        .await
    }

    /// `usulan_lampirkan`: attaches `isi` (the file's bytes, named `nama_berkas`, of type `mime`) as checklist
    /// document `kode_dokumen` of usulan `id`, replacing a file attached before. The bytes are stored
    /// content-addressed (uploaded by the next sync) and the reference written into the usulan offline. Returns the
    /// detail.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`]: a document code not in the usulan's checklist; a type the row does not
    /// accept (naming the document, the raw mime and the accepted ones); a size above the row's maximum or below
    /// its minimum (naming the document, the size and the limit); a PDF with more pages than the row allows (pages
    /// counted from uncompressed page objects); content that is not of its type (a PDF without `%PDF-`); an
    /// usulan none of whose NIPs is at draft or BTS (only a verifikator may still change it then; a kolektif with one
    /// NIP returned takes files). [`KodeGalat::TidakDitemukan`]; replica errors.
    pub async fn usulan_lampirkan(
        self: &Arc<Self>,
        id: String,
        kode_dokumen: String,
        nama_berkas: String,
        mime: String,
        isi: Vec<u8>,
    ) -> Result<UsulanDetail, AppError> {
        let id = parse_id(&id)?;
        let name = nama_berkas_bersih(&nama_berkas)?;
        let kode = kode_dokumen.trim().to_owned();
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let loaded = context.muat(&replica, id)?;
            context.boleh_lampirkan(&replica, &loaded)?;
            let syarat = syarat::daftar_syarat(&loaded.usulan, &loaded.pegawai());
            let row = baris_syarat(&syarat, &kode)?;
            let mime = periksa_berkas(row, &mime, &isi)?;
            let hash = replica.write(|tx| store::sync_state::put_blob(tx, &isi, &mime))?;
            let blob = BlobRef { sha256: sync::blob::hex(&hash), size: isi.len() as u64, mime, name };
            let blob_json = serde_json::to_value(&blob).map_err(AppError::internal)?;
            let (_, now_ms) = context.sekarang();
            let (kunci, lengkap) = (row.kunci.clone(), kunci_lengkap(row));
            let pesan = context.pesan_perubahan(&replica, "lampirkan dokumen usulan");
            store::edit::edit_document(&replica, id, now_ms, &pesan, |json| {
                if let Some(usulan) = json.as_object_mut() {
                    let dokumen = usulan.entry("dokumen").or_insert_with(|| Value::Object(Default::default()));
                    if let Some(dokumen) = dokumen.as_object_mut() {
                        // One file per row: a file attached before under the row's other key form goes.
                        if lengkap != kunci {
                            dokumen.remove(&lengkap);
                        }
                        dokumen.insert(kunci, blob_json);
                    }
                }
            })?;
            tracing::info!(ukuran = blob.size, "dokumen usulan dilampirkan (luring)");
            context.detail_now(loaded.id)
        })
        .await
    }

    /// `usulan_periksa_lampiran`: whether a file of `ukuran` bytes may be attached as checklist document
    /// `kode_dokumen` of usulan `id`, asked before the file is read (the CLI asks with the file's size on disk).
    /// The same checks of the usulan, the code and the size as [`Self::usulan_lampirkan`] makes; type and content
    /// are checked when the bytes come.
    ///
    /// # Errors
    /// As [`Self::usulan_lampirkan`] for the usulan, the code and the size.
    pub async fn usulan_periksa_lampiran(
        self: &Arc<Self>,
        id: String,
        kode_dokumen: String,
        ukuran: u64,
    ) -> Result<(), AppError> {
        let id = parse_id(&id)?;
        let kode = kode_dokumen.trim().to_owned();
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let loaded = context.muat(&replica, id)?;
            context.boleh_lampirkan(&replica, &loaded)?;
            let syarat = syarat::daftar_syarat(&loaded.usulan, &loaded.pegawai());
            periksa_ukuran(baris_syarat(&syarat, &kode)?, ukuran)
        })
        .await
    }

    /// `usulan_aksi`: one transition of usulan `id` by the signed-in officer, written offline as an event whose
    /// parents are the heads the officer sees (a conflict is resolved by repeating one of the competing aksi).
    /// When the officer's permissions are known, a transition needing one they lack is refused before anything is
    /// written (unknown: the hub decides at the next sync). `diajukan` then runs the pre-submit check; a
    /// verifikator's `diverifikasi` of a peremajaan data also applies the proposed values of the fields the
    /// instansi writes to the pegawai documents of the NIPs it verifies (BKN's fields wait for BKN; with the roles
    /// unknown, all wait), and on a peremajaan verified already applies what its pegawai still lack (see
    /// [`KODE_BELUM_DITERAPKAN`]) without a new event. Returns the detail.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`]: an unknown aksi (or `dibuat`); BTS or TMS without an alasan of its
    /// keterangan, or an alasan on another aksi; a NIP not of the usulan; a blocking finding of the pre-submit check
    /// (the message is the first finding's, naming the document or field, and how many more there are); a
    /// transition the workflow does not allow from the current status (the message names what is allowed); a
    /// proposed value that cannot be applied. [`KodeGalat::Ditolak`]: the officer's known roles may not make the
    /// transition (the message names the aksi and the roles that may). [`KodeGalat::Replika`]: the event was
    /// written but a pegawai write failed (the message names the NIP and says to verify again).
    /// [`KodeGalat::BelumMasuk`]; [`KodeGalat::TidakDitemukan`]; replica errors.
    pub async fn usulan_aksi(self: &Arc<Self>, id: String, masukan: AksiMasukan) -> Result<UsulanDetail, AppError> {
        let id = parse_id(&id)?;
        let aksi = parse_aksi(masukan.aksi.trim()).filter(|aksi| *aksi != AksiUsulan::Dibuat).ok_or_else(|| {
            let kodes: Vec<&str> = AKSI.iter().map(|aksi| aksi_kode(*aksi)).collect();
            AppError::masukan("Aksi", &masukan.aksi, &format!("salah satu dari {}", kodes.join(", ")))
        })?;
        let alasan_id = periksa_alasan(aksi, isi(masukan.alasan_id.as_deref()))?;
        let nip = masukan.nip.iter().map(|raw| parse_nip(raw)).collect::<Result<Vec<_>, _>>()?;
        let catatan = isi(masukan.catatan.as_deref()).map(str::to_owned);
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let petugas = context.petugas(&replica)?;
            let loaded = context.muat(&replica, id)?;
            let izin = petugas.izin_petugas();
            let peremajaan = aksi == AksiUsulan::Diverifikasi && loaded.usulan.jenis == JenisUsulan::PeremajaanData;
            let (waktu, now_ms) = context.sekarang();
            let event = alur::event_baru(
                &loaded.usulan,
                EventMasukan {
                    id: context.id_baru().to_string(),
                    aksi,
                    oleh: Nip::new(petugas.nip.clone()),
                    waktu,
                    alasan_id,
                    catatan,
                    nip: nip.clone(),
                },
            );
            let event = match event {
                Ok(event) => event,
                // Verified already, but a pegawai does not hold the values yet: asking again applies them.
                Err(galat) if peremajaan => {
                    let keadaan = alur::keadaan(&loaded.usulan);
                    let nips: BTreeSet<String> = penerapan_tertunda(&loaded.usulan, &loaded.pegawai, &keadaan)
                        .into_iter()
                        .map(|(tertunda, _)| tertunda)
                        .filter(|tertunda| nip.is_empty() || nip.iter().any(|named| named.as_str() == tertunda))
                        .collect();
                    if nips.is_empty() {
                        return Err(AppError::new(KodeGalat::MasukanTidakSah, sentence(&galat.pesan)));
                    }
                    if izin.is_empty() {
                        return Err(AppError::new(
                            KodeGalat::Ditolak,
                            "Peran Anda belum diketahui di perangkat ini: sinkronkan dulu, lalu terapkan perubahan \
                             yang diverifikasi.",
                        ));
                    }
                    periksa_izin(aksi, &BTreeSet::from([Izin::UsulanVerifikasi]), &izin, &petugas.peran)?;
                    let rencana = rencana_penerapan(&loaded.usulan, &loaded.pegawai, &nips)?;
                    context.terapkan_peremajaan(&replica, &loaded.usulan.perubahan, &rencana, now_ms, false)?;
                    return context.detail_now(id);
                }
                Err(galat) => return Err(AppError::new(KodeGalat::MasukanTidakSah, sentence(&galat.pesan))),
            };
            let perlu = izin_perlu(&loaded.usulan, &event)
                .map_err(|why| AppError::new(KodeGalat::MasukanTidakSah, sentence(&why)))?;
            periksa_izin(aksi, &perlu, &izin, &petugas.peran)?;
            if aksi == AksiUsulan::Diajukan {
                let blokir: Vec<syarat::Temuan> = loaded
                    .temuan(context.today())
                    .into_iter()
                    .filter(|temuan| temuan.tingkat == Tingkat::Blokir)
                    .collect();
                if let Some(first) = blokir.first() {
                    let lagi = match blokir.len() - 1 {
                        0 => String::new(),
                        more => format!(" Ada {more} masalah lain yang juga harus diselesaikan; lihat daftar temuan."),
                    };
                    return Err(AppError::new(
                        KodeGalat::MasukanTidakSah,
                        format!("Usulan belum dapat diajukan: {}{lagi}", sentence(&first.pesan)),
                    ));
                }
            }
            // A verified peremajaan: the instansi's fields, for the NIPs this event verifies, checked on each of their
            // pegawai before anything is written. With the roles unknown they wait (the hub may refuse the event).
            let rencana = if peremajaan && !izin.is_empty() {
                let mut after = loaded.usulan.clone();
                after.riwayat_status.push(event.clone());
                Some(rencana_penerapan(&loaded.usulan, &loaded.pegawai, &jadi_diverifikasi(&loaded.usulan, &after))?)
            } else {
                None
            };
            // The event first, then each pegawai in its own transaction (the store has none over several
            // documents): a pegawai write that fails leaves a verified usulan whose detail reports the pegawai
            // and offers applying again.
            let pesan = context.pesan_perubahan(&replica, &format!("usulan {}", aksi_kode(aksi)));
            store::edit::edit_document(&replica, id, now_ms, &pesan, |json| {
                if let Some(usulan) = json.as_object_mut()
                    && let Ok(event) = serde_json::to_value(&event)
                {
                    let log = usulan.entry("riwayat_status").or_insert_with(|| Value::Array(Vec::new()));
                    if let Some(log) = log.as_array_mut() {
                        log.push(event);
                    }
                }
            })?;
            if let Some(rencana) = &rencana {
                context.terapkan_peremajaan(&replica, &loaded.usulan.perubahan, rencana, now_ms, true)?;
            }
            tracing::info!(aksi = aksi_kode(aksi), "aksi usulan (luring)");
            context.detail_now(id)
        })
        .await
    }

    /// `usulan_referensi`: the jenis usulan with their sub jenis, and the alasan tolak of BTS and TMS.
    ///
    /// # Errors
    /// None; `Result` for the IPC's uniform shape.
    pub async fn usulan_referensi(self: &Arc<Self>) -> Result<ReferensiUsulan, AppError> {
        let jenis = JENIS
            .into_iter()
            .map(|jenis| JenisUsulanView {
                kode: jenis_kode(jenis).to_owned(),
                nama: jenis_nama(jenis).to_owned(),
                sub_jenis: sub_jenis_pilihan(jenis),
            })
            .collect();
        let alasan = referensi()
            .alasan_tolak
            .rows
            .iter()
            .filter_map(|row| {
                let keterangan = match row.keterangan {
                    KeteranganTolak::Bts => "BTS",
                    KeteranganTolak::Tms => "TMS",
                    KeteranganTolak::Pembatalan | KeteranganTolak::Perbaikan => return None,
                };
                Some(AlasanTolakView { id: row.id.clone(), nama: row.nama.clone(), keterangan: keterangan.to_owned() })
            })
            .collect();
        Ok(ReferensiUsulan { jenis, alasan })
    }
}

/// Checks the alasan of `aksi`: required for BTS and TMS (an `alasan-tolak.json` id of that keterangan), refused
/// for the other aksi.
///
/// # Errors
/// [`KodeGalat::MasukanTidakSah`] naming the value and what is expected.
fn periksa_alasan(aksi: AksiUsulan, alasan: Option<&str>) -> Result<Option<String>, AppError> {
    let wanted = match aksi {
        AksiUsulan::Bts => KeteranganTolak::Bts,
        AksiUsulan::Tms => KeteranganTolak::Tms,
        _ => {
            return match alasan {
                None => Ok(None),
                Some(id) => Err(AppError::masukan(
                    "Alasan",
                    id,
                    "alasan tolak hanya untuk BTS atau TMS; kosongkan, atau tulis catatan",
                )),
            };
        }
    };
    let choices = || {
        let ids: Vec<String> = referensi()
            .alasan_tolak
            .rows
            .iter()
            .filter(|row| row.keterangan == wanted)
            .map(|row| format!("{} ({})", row.id, row.nama))
            .collect();
        format!("pilih salah satu alasan {}: {}", aksi_kode(aksi).to_uppercase(), ids.join("; "))
    };
    let Some(id) = alasan else { return Err(AppError::masukan("Alasan", "", &choices())) };
    match referensi().alasan_tolak.get(id) {
        Some(row) if row.keterangan == wanted => Ok(Some(id.to_owned())),
        _ => Err(AppError::masukan("Alasan", id, &choices())),
    }
}

/// The hub's latest refusals of changes to usulan `id` (at most [`MAX_PENOLAKAN`], newest first), as findings.
///
/// # Errors
/// Replica errors.
fn penolakan_hub(replica: &store::Replica, id: Uuid) -> Result<Vec<TemuanView>, AppError> {
    let id = id.to_string();
    let rejections = store::replication::status(replica)?.rejections;
    Ok(rejections
        .iter()
        .rev()
        .filter(|rejection| rejection.document.as_deref() == Some(id.as_str()))
        .take(MAX_PENOLAKAN)
        .map(|rejection| {
            let when = DateTime::<Utc>::from_timestamp_millis(rejection.at_ms)
                .map(|time| time.with_timezone(&Local).format(" pada %d-%m-%Y %H:%M").to_string())
                .unwrap_or_default();
            let nasib =
                if rejection.compensated { "perubahan itu dibatalkan hub" } else { "perubahan itu tidak dikirim lagi" };
            TemuanView {
                tingkat: "peringatan".to_owned(),
                kode: KODE_DITOLAK_HUB.to_owned(),
                nip: None,
                pesan: format!(
                    "Hub menolak perubahan usulan ini{when}: {} ({nasib}).",
                    rejection.reason.trim_end_matches('.')
                ),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for jenis in JENIS {
            assert_eq!(serde_json::to_value(jenis).unwrap(), Value::String(jenis_kode(jenis).to_owned()));
            assert_eq!(parse_jenis(jenis_kode(jenis)), Some(jenis));
        }
        for aksi in std::iter::once(AksiUsulan::Dibuat).chain(AKSI) {
            assert_eq!(serde_json::to_value(aksi).unwrap(), Value::String(aksi_kode(aksi).to_owned()));
            assert_eq!(parse_aksi(aksi_kode(aksi)), Some(aksi));
        }
        assert_eq!(parse_aksi("setuju"), None);
    }

    #[test]
    fn paths_are_read_and_set_by_key_and_by_row_id() {
        let mut json = serde_json::json!({
            "data_utama": {"nip": "1", "no_hp": null},
            "riwayat_jabatan": [{"id": "j1", "tmt_jabatan": "2020-01-01"}],
        });
        assert_eq!(nilai_di(&json, "riwayat_jabatan.j1.tmt_jabatan"), Some(&Value::String("2020-01-01".into())));
        setel(&mut json, "data_utama.no_hp", Value::String("0812".into())).unwrap();
        setel(&mut json, "riwayat_jabatan.j1.tmt_jabatan", Value::String("2021-02-03".into())).unwrap();
        setel(&mut json, "riwayat_jabatan.j2", serde_json::json!({"id": "j2"})).unwrap();
        assert_eq!(json["data_utama"]["no_hp"], "0812");
        assert_eq!(json["riwayat_jabatan"][0]["tmt_jabatan"], "2021-02-03");
        assert_eq!(json["riwayat_jabatan"][1]["id"], "j2");
        let error = setel(&mut json, "riwayat_jabatan.j9.tmt_jabatan", Value::Null).unwrap_err();
        assert!(error.contains("j9"), "{error}");
    }

    #[test]
    fn alasan_is_required_for_bts_and_tms_and_must_match_the_aksi() {
        assert_eq!(periksa_alasan(AksiUsulan::Bts, Some("51")).unwrap().as_deref(), Some("51"));
        let missing = periksa_alasan(AksiUsulan::Tms, None).unwrap_err();
        assert_eq!(missing.code, KodeGalat::MasukanTidakSah);
        assert!(missing.message.contains("Alasan") && missing.message.contains("52"), "{}", missing.message);
        let wrong = periksa_alasan(AksiUsulan::Tms, Some("51")).unwrap_err();
        assert!(wrong.message.contains("\"51\""), "{}", wrong.message);
        assert!(periksa_alasan(AksiUsulan::Diajukan, Some("51")).is_err());
        assert_eq!(periksa_alasan(AksiUsulan::Diajukan, None).unwrap(), None);
    }

    #[test]
    fn pdf_pages_are_counted_from_uncompressed_page_objects() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count 2 >>\n\
                    3 0 obj << /Type /Page /Parent 2 0 R >> endobj 4 0 obj <</Type/Page/Parent 2 0 R>> endobj\n%%EOF";
        assert_eq!(halaman_pdf(pdf), Some(2));
        assert_eq!(halaman_pdf(b"%PDF-1.7\n<< /Type /ObjStm /N 4 >> stream ... endstream"), None);
    }

    const BAHARUDDIN: &str = "197107271996041002";
    const NURLINDA: &str = "197704222006012002";
    const GUSTI: &str = "196711022008031005";
    const EMAIL: &str = "\"pegawai@bkd.contoh-selatan.go.id\"";
    const TRIAL: &str = "0193a1b2-0000-7000-8000-0000000000ff";
    const WAKTU: &str = "2026-11-30T04:00:00Z";

    /// A fixture pegawai (`../shared/fixtures/ws`), decoded as the app decodes SI-ASN, at row id `rowid`.
    fn fixture(nip: &str, rowid: i64) -> PegawaiDimuat {
        let ws = std::env::var_os("LURING_SHARED")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
            .join("fixtures/ws");
        let mut body_of = |endpoint: &str| std::fs::read_to_string(ws.join(endpoint).join(format!("{nip}.json"))).ok();
        let mut warnings = Vec::new();
        let pegawai = model::siasn::ws::decode_pegawai(&Nip::new(nip), &mut body_of, &mut warnings).unwrap();
        PegawaiDimuat { rowid, pegawai }
    }

    /// `usulan` with one more event by `oleh`.
    fn dengan(usulan: &Usulan, aksi: AksiUsulan, oleh: &str, alasan: Option<&str>, nip: &[&str]) -> Usulan {
        let masukan = EventMasukan {
            id: format!("0193a1b2-0000-7000-8000-{:012}", usulan.riwayat_status.len()),
            aksi,
            oleh: Nip::new(oleh),
            waktu: WAKTU.to_owned(),
            alasan_id: alasan.map(str::to_owned),
            catatan: None,
            nip: nip.iter().map(|nip| Nip::new(*nip)).collect(),
        };
        let mut after = usulan.clone();
        after.riwayat_status.push(alur::event_baru(usulan, masukan).unwrap());
        after
    }

    /// A kolektif peremajaan of the email dinas of three fixture pegawai, submitted by the operator.
    fn peremajaan_diajukan() -> Usulan {
        let usulan = Usulan {
            id: "0193a1b2-0000-7000-8000-0000000000aa".to_owned(),
            jenis: JenisUsulan::PeremajaanData,
            sub_jenis: None,
            pegawai: [BAHARUDDIN, NURLINDA, GUSTI]
                .into_iter()
                .map(|nip| UsulanPegawai { nip: Nip::new(nip), nama: nip.to_owned() })
                .collect(),
            perubahan: BTreeMap::from([("data_utama.email_gov".to_owned(), EMAIL.to_owned())]),
            dokumen: BTreeMap::new(),
            riwayat_status: Vec::new(),
            siasn_id: None,
            status_siasn: None,
        };
        let operator = "198001012006041001";
        let usulan = dengan(&usulan, AksiUsulan::Dibuat, operator, None, &[]);
        dengan(&usulan, AksiUsulan::Diajukan, operator, None, &[])
    }

    #[test]
    fn a_kolektif_verification_applies_only_to_the_nips_it_moves_and_reports_missing_pegawai() {
        let verifikator = "198502022010012002";
        let diajukan = peremajaan_diajukan();
        // Baharuddin returned (BTS), Gusti rejected (TMS): "verify all" verifies Nurlinda only.
        let usulan = dengan(&diajukan, AksiUsulan::Bts, verifikator, Some("51"), &[BAHARUDDIN]);
        let usulan = dengan(&usulan, AksiUsulan::Tms, verifikator, Some("52"), &[GUSTI]);
        assert_eq!(alur::keadaan(&usulan).status, StatusUsulan::Campuran);
        let verified = dengan(&usulan, AksiUsulan::Diverifikasi, verifikator, None, &[]);
        let moved = jadi_diverifikasi(&usulan, &verified);
        assert_eq!(moved, BTreeSet::from([NURLINDA.to_owned()]));
        // Verifying again after a conflict-free verification moves nobody.
        assert!(jadi_diverifikasi(&verified, &verified).is_empty());

        let all = [fixture(BAHARUDDIN, 11), fixture(NURLINDA, 12), fixture(GUSTI, 13)];
        let rencana = rencana_penerapan(&verified, &all, &moved).unwrap();
        assert_eq!((rencana.tulis, rencana.hilang), (vec![(12, NURLINDA.to_owned())], Vec::<String>::new()));
        // Nurlinda's pegawai is not on this device: nothing to write, and she is reported.
        let without = [fixture(BAHARUDDIN, 11), fixture(GUSTI, 13)];
        let rencana = rencana_penerapan(&verified, &without, &moved).unwrap();
        assert_eq!((rencana.tulis, rencana.hilang), (Vec::new(), vec![NURLINDA.to_owned()]));
        let keadaan = alur::keadaan(&verified);
        assert_eq!(penerapan_tertunda(&verified, &without, &keadaan), [(NURLINDA.to_owned(), Vec::new())]);

        // Until her record holds the verified email, the detail says so; once applied, nothing is pending. The
        // BTS and TMS pegawai are never pending.
        assert_eq!(
            penerapan_tertunda(&verified, &all, &keadaan),
            [(NURLINDA.to_owned(), vec!["Email dinas".to_owned()])]
        );
        let json = serde_json::to_value(&all[1].pegawai).unwrap();
        let (edited, applied) = terapkan(&json, &verified.perubahan).unwrap();
        assert_eq!(applied, ["data_utama.email_gov"]);
        let applied = [
            fixture(BAHARUDDIN, 11),
            PegawaiDimuat { rowid: 12, pegawai: Pegawai::deserialize(&edited).unwrap() },
            fixture(GUSTI, 13),
        ];
        assert_eq!(applied[1].pegawai.data_utama.email_gov.as_deref(), Some("pegawai@bkd.contoh-selatan.go.id"));
        assert_eq!(penerapan_tertunda(&verified, &applied, &keadaan), []);
        assert_eq!(penerapan_tertunda(&usulan, &all, &alur::keadaan(&usulan)), []);
    }

    #[test]
    fn known_roles_filter_and_refuse_and_unknown_roles_leave_it_to_the_hub() {
        let diajukan = peremajaan_diajukan();
        let oleh = Nip::new("198001012006041001");
        let kode = |aksi: Vec<AksiView>| aksi.into_iter().map(|aksi| aksi.aksi).collect::<Vec<_>>();
        let operator = model::peran::peran().izin(["operator_instansi"]);
        assert_eq!(kode(aksi_boleh(&diajukan, &operator, &oleh, TRIAL, WAKTU)), ["dibatalkan"]);
        assert_eq!(
            kode(aksi_boleh(&diajukan, &BTreeSet::new(), &oleh, TRIAL, WAKTU)),
            ["diverifikasi", "bts", "tms", "dibatalkan"]
        );

        let trial = dengan(&diajukan, AksiUsulan::Diverifikasi, oleh.as_str(), None, &[]);
        let event = trial.riwayat_status.last().unwrap();
        let perlu = izin_perlu(&diajukan, event).unwrap();
        assert_eq!(perlu, BTreeSet::from([Izin::UsulanVerifikasi]));
        let refused =
            periksa_izin(AksiUsulan::Diverifikasi, &perlu, &operator, &["operator_instansi".to_owned()]).unwrap_err();
        assert_eq!(refused.code, KodeGalat::Ditolak);
        assert_eq!(
            refused.message,
            "Anda tidak dapat memverifikasi usulan ini: memverifikasi hanya boleh dilakukan oleh verifikator instansi \
             (peran Anda: operator instansi); tidak ada yang dicatat."
        );
        let verifikator = model::peran::peran().izin(["verifikator_instansi"]);
        assert!(periksa_izin(AksiUsulan::Diverifikasi, &perlu, &verifikator, &[]).is_ok());
        assert!(
            periksa_izin(AksiUsulan::Diverifikasi, &perlu, &BTreeSet::new(), &[]).is_ok(),
            "unknown: the hub decides"
        );
    }

    #[test]
    fn sizes_read_as_officers_write_them() {
        assert_eq!(ukuran(2_097_152), "2 MB");
        assert_eq!(ukuran(10_240), "10 KB");
        assert_eq!(ukuran(1_000), "1000 byte");
        assert_eq!(nama_berkas_bersih("C:\\Dokumen\\sk pangkat.pdf").unwrap(), "sk pangkat.pdf");
        assert!(nama_berkas_bersih("  ").is_err());
    }
}
