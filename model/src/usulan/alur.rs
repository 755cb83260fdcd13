//! The usulan workflow (DESIGN §3.1, §5.4; domain.md §1.3–1.7): which transition is allowed from which status, which
//! permission it needs, and the status of an usulan as a deterministic fold over its event log.
//!
//! **The log is a small DAG.** Every [`UsulanEvent`] names, in [`UsulanEvent::induk`], the events its author saw
//! as the latest. Two verifikators deciding the same usulan offline (one approves, one returns it as BTS) write
//! two events with the same parent; after sync both are in the list, neither names the other, and the fold reports
//! a [`Konflik`] with both events instead of letting the list order pick a silent winner. A verifikator resolves it
//! with an event that names both as parents and re-affirms one decision (or makes a transition allowed from both).
//!
//! **Status per pegawai.** A kolektif usulan has one status per NIP. An event with an empty [`UsulanEvent::nip`]
//! concerns every NIP for which its transition is allowed (a resubmission after a BTS for one NIP moves only that
//! NIP); an event naming NIPs must be allowed for each of them. The usulan's own [`Keadaan::status`] is the
//! status every NIP shares, [`StatusUsulan::Konflik`] when any NIP is in conflict, else [`StatusUsulan::Campuran`].
//!
//! **Transitions** ([`izin_transisi`]): dibuat (`usulan.buat`) → draft; draft or BTS → diajukan, and draft, BTS or
//! diajukan → dibatalkan (`usulan.ubah`, the operator); diajukan → diverifikasi / BTS / TMS, and diverifikasi →
//! diteruskan ke BKN when the usulan needs BKN ([`perlu_bkn`]) (`usulan.verifikasi`, the verifikator instansi);
//! diteruskan ke BKN → disetujui / BTS / TMS, and disetujui → SK terbit (`usulan.putus_bkn`, BKN). TMS, SK terbit
//! and dibatalkan are final; diverifikasi is final for an usulan that does not go to BKN.
//!
//! What this module deliberately does not do: know who the author is (the hub checks `oleh` against the caller
//! and the permission against its roster), read a clock or make ids (both are inputs), or check documents and
//! eligibility (that is [`super::syarat`]). Events the rules refuse are listed in [`Keadaan::tidak_sah`] and take
//! no part in the fold; the hub never accepts them, so they appear only in a log written around it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AksiUsulan, JenisUsulan, Usulan, UsulanEvent};
use crate::id::Nip;
use crate::peran::Izin;
use crate::referensi::{KeteranganTolak, Penulis, referensi};

/// The status of an usulan (or of one NIP of a kolektif usulan), as the fold of its events gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusUsulan {
    /// Being prepared by the operator; not yet submitted.
    Draft,
    /// Submitted to the instansi's verifikator.
    Diajukan,
    /// Verified by the instansi.
    Diverifikasi,
    /// Berkas belum tuntas: returned to the operator for correction.
    Bts,
    /// Tidak memenuhi syarat: rejected (final).
    Tms,
    /// Forwarded to BKN.
    DiteruskanKeBkn,
    /// Approved by BKN.
    Disetujui,
    /// SK issued (final).
    SkTerbit,
    /// Withdrawn by the operator (final).
    Dibatalkan,
    /// Two decisions made without seeing each other disagree; a verifikator must choose.
    Konflik,
    /// The NIPs of a kolektif usulan are at different statuses (see [`Keadaan::per_nip`]).
    Campuran,
}

impl StatusUsulan {
    /// The code as documents, projections and the UI write it (`"draft"`, `"diteruskan_ke_bkn"`, …), as serde does.
    pub fn kode(self) -> &'static str {
        match self {
            StatusUsulan::Draft => "draft",
            StatusUsulan::Diajukan => "diajukan",
            StatusUsulan::Diverifikasi => "diverifikasi",
            StatusUsulan::Bts => "bts",
            StatusUsulan::Tms => "tms",
            StatusUsulan::DiteruskanKeBkn => "diteruskan_ke_bkn",
            StatusUsulan::Disetujui => "disetujui",
            StatusUsulan::SkTerbit => "sk_terbit",
            StatusUsulan::Dibatalkan => "dibatalkan",
            StatusUsulan::Konflik => "konflik",
            StatusUsulan::Campuran => "campuran",
        }
    }

    /// Every status, in workflow order.
    pub const ALL: [StatusUsulan; 11] = [
        StatusUsulan::Draft,
        StatusUsulan::Diajukan,
        StatusUsulan::Diverifikasi,
        StatusUsulan::Bts,
        StatusUsulan::Tms,
        StatusUsulan::DiteruskanKeBkn,
        StatusUsulan::Disetujui,
        StatusUsulan::SkTerbit,
        StatusUsulan::Dibatalkan,
        StatusUsulan::Konflik,
        StatusUsulan::Campuran,
    ];

    /// The inverse of [`Self::kode`].
    pub fn parse(kode: &str) -> Option<StatusUsulan> {
        StatusUsulan::ALL.into_iter().find(|status| status.kode() == kode)
    }

    /// The label officers read, in Bahasa Indonesia.
    pub fn nama(self) -> &'static str {
        match self {
            StatusUsulan::Draft => "Draf",
            StatusUsulan::Diajukan => "Diajukan",
            StatusUsulan::Diverifikasi => "Diverifikasi instansi",
            StatusUsulan::Bts => "BTS (perbaikan)",
            StatusUsulan::Tms => "TMS",
            StatusUsulan::DiteruskanKeBkn => "Diteruskan ke BKN",
            StatusUsulan::Disetujui => "Disetujui BKN",
            StatusUsulan::SkTerbit => "SK terbit",
            StatusUsulan::Dibatalkan => "Dibatalkan",
            StatusUsulan::Konflik => "Konflik keputusan",
            StatusUsulan::Campuran => "Status berbeda per pegawai",
        }
    }

    /// The nearest SI-ASN status usulan code (`schemas/referensi/status-usulan.json`, siasn-api.md §3), for
    /// display beside ours and for matching `list-kp-instansi` rows: draft `1` Input Berkas, diajukan `2` Berkas
    /// Disimpan, diverifikasi `4` Approval Surat Usulan, BTS `5` Perbaikan Dokumen, TMS `6` Tidak Memenuhi Syarat,
    /// diteruskan ke BKN `12` Terima Usulan, disetujui `15` Validasi Usulan – Disetujui, SK terbit `32` Pembuatan
    /// SK Berhasil, dibatalkan `99` Usulan Dihapus. `None` for konflik and campuran, which SI-ASN does not have.
    /// SI-ASN has many more statuses (paraf, TTE…); the hub keeps the one SI-ASN reports as its own field.
    pub fn kode_siasn(self) -> Option<&'static str> {
        match self {
            StatusUsulan::Draft => Some("1"),
            StatusUsulan::Diajukan => Some("2"),
            StatusUsulan::Diverifikasi => Some("4"),
            StatusUsulan::Bts => Some("5"),
            StatusUsulan::Tms => Some("6"),
            StatusUsulan::DiteruskanKeBkn => Some("12"),
            StatusUsulan::Disetujui => Some("15"),
            StatusUsulan::SkTerbit => Some("32"),
            StatusUsulan::Dibatalkan => Some("99"),
            StatusUsulan::Konflik | StatusUsulan::Campuran => None,
        }
    }

    /// Whether nothing more happens to an usulan at this status: TMS, SK terbit, dibatalkan, and diverifikasi when
    /// the usulan does not go to BKN (`perlu_bkn`, [`perlu_bkn`]).
    pub fn selesai(self, perlu_bkn: bool) -> bool {
        match self {
            StatusUsulan::Tms | StatusUsulan::SkTerbit | StatusUsulan::Dibatalkan => true,
            StatusUsulan::Diverifikasi => !perlu_bkn,
            _ => false,
        }
    }
}

impl fmt::Display for StatusUsulan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.nama())
    }
}

/// The label of an aksi for messages, in Bahasa Indonesia (`"mengajukan"`).
pub fn nama_aksi(aksi: AksiUsulan) -> &'static str {
    match aksi {
        AksiUsulan::Dibuat => "membuat",
        AksiUsulan::Diajukan => "mengajukan",
        AksiUsulan::Diverifikasi => "memverifikasi",
        AksiUsulan::Bts => "mengembalikan (BTS)",
        AksiUsulan::Tms => "menolak (TMS)",
        AksiUsulan::DiteruskanKeBkn => "meneruskan ke BKN",
        AksiUsulan::Disetujui => "menyetujui",
        AksiUsulan::SkTerbit => "mencatat SK terbit",
        AksiUsulan::Dibatalkan => "membatalkan",
    }
}

/// The status an aksi leads to.
pub fn status_setelah(aksi: AksiUsulan) -> StatusUsulan {
    match aksi {
        AksiUsulan::Dibuat => StatusUsulan::Draft,
        AksiUsulan::Diajukan => StatusUsulan::Diajukan,
        AksiUsulan::Diverifikasi => StatusUsulan::Diverifikasi,
        AksiUsulan::Bts => StatusUsulan::Bts,
        AksiUsulan::Tms => StatusUsulan::Tms,
        AksiUsulan::DiteruskanKeBkn => StatusUsulan::DiteruskanKeBkn,
        AksiUsulan::Disetujui => StatusUsulan::Disetujui,
        AksiUsulan::SkTerbit => StatusUsulan::SkTerbit,
        AksiUsulan::Dibatalkan => StatusUsulan::Dibatalkan,
    }
}

/// The permission `aksi` needs from status `dari` (`None`: a new usulan), or `None` when the transition is not
/// allowed there (see the module documentation for the table). `perlu_bkn` allows diteruskan ke BKN.
pub fn izin_transisi(dari: Option<StatusUsulan>, aksi: AksiUsulan, perlu_bkn: bool) -> Option<Izin> {
    use AksiUsulan as A;
    use StatusUsulan as S;
    match (dari, aksi) {
        (None, A::Dibuat) => Some(Izin::UsulanBuat),
        (Some(S::Draft | S::Bts), A::Diajukan) | (Some(S::Draft | S::Bts | S::Diajukan), A::Dibatalkan) => {
            Some(Izin::UsulanUbah)
        }
        (Some(S::Diajukan), A::Diverifikasi | A::Bts | A::Tms) => Some(Izin::UsulanVerifikasi),
        (Some(S::Diverifikasi), A::DiteruskanKeBkn) if perlu_bkn => Some(Izin::UsulanVerifikasi),
        (Some(S::DiteruskanKeBkn), A::Disetujui | A::Bts | A::Tms) | (Some(S::Disetujui), A::SkTerbit) => {
            Some(Izin::UsulanPutusBkn)
        }
        _ => None,
    }
}

/// The rank of a workflow permission: operator (`usulan.buat`, `usulan.ubah`) below the instansi's verifikator
/// (`usulan.verifikasi`) below BKN (`usulan.putus_bkn`). Settling a conflict needs the highest rank among the
/// competing decisions.
fn tingkat_izin(izin: Izin) -> u8 {
    match izin {
        Izin::UsulanPutusBkn => 3,
        Izin::UsulanVerifikasi => 2,
        _ => 1,
    }
}

/// The aksi allowed from `dari`, in workflow order (for messages and for the UI's buttons).
pub fn aksi_boleh(dari: StatusUsulan, perlu_bkn: bool) -> Vec<AksiUsulan> {
    AKSI.into_iter().filter(|aksi| izin_transisi(Some(dari), *aksi, perlu_bkn).is_some()).collect()
}

const AKSI: [AksiUsulan; 9] = [
    AksiUsulan::Dibuat,
    AksiUsulan::Diajukan,
    AksiUsulan::Diverifikasi,
    AksiUsulan::Bts,
    AksiUsulan::Tms,
    AksiUsulan::DiteruskanKeBkn,
    AksiUsulan::Disetujui,
    AksiUsulan::SkTerbit,
    AksiUsulan::Dibatalkan,
];

/// Whether the usulan goes on to BKN after the instansi's verification: every jenis does except a peremajaan data
/// whose changed fields are all the instansi's to verify (`kewenangan-field.json`: no field with `penulis` `bkn`
/// or `hub`, and none without a row). The field paths of [`Usulan::perubahan`] are looked up as the table writes them.
pub fn perlu_bkn(usulan: &Usulan) -> bool {
    match usulan.jenis {
        JenisUsulan::PeremajaanData => usulan.perubahan.keys().any(|path| {
            referensi().kewenangan(path).is_none_or(|row| matches!(row.penulis, Penulis::Bkn | Penulis::Hub))
        }),
        _ => true,
    }
}

/// The result of the fold ([`keadaan`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Keadaan {
    /// The usulan's status: the one every NIP shares; [`StatusUsulan::Konflik`] when a NIP is in conflict;
    /// [`StatusUsulan::Campuran`] when NIPs differ; [`StatusUsulan::Draft`] for an usulan without a valid
    /// `dibuat` event (a log written around the hub).
    pub status: StatusUsulan,
    /// Status per NIP of [`Usulan::pegawai`] (one entry for an usulan of one pegawai).
    pub per_nip: BTreeMap<String, StatusUsulan>,
    /// Ids of the head events: the [`UsulanEvent::induk`] of the next event.
    pub kepala: Vec<String>,
    /// Decisions that disagree, per NIP (`nip` is `None` when every NIP shares the same conflict).
    pub konflik: Vec<Konflik>,
    /// How many BTS events the usulan has had (SIASN's BTS counter).
    pub jumlah_bts: u32,
    /// Whether the usulan goes to BKN ([`perlu_bkn`]).
    pub perlu_bkn: bool,
    /// Events the rules refuse, in log order; they take no part in the fold.
    pub tidak_sah: Vec<EventTidakSah>,
}

/// Competing decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Konflik {
    /// The NIP in conflict; `None` when the conflict concerns every NIP of the usulan alike.
    pub nip: Option<String>,
    /// The competing events, in log order.
    pub event: Vec<UsulanEvent>,
}

/// An event the fold leaves out, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventTidakSah {
    /// The event's id (`#<index>` for an event without one).
    pub id: String,
    /// Why, in Bahasa Indonesia.
    pub alasan: String,
}

/// The status of an usulan: the deterministic fold of [`Usulan::riwayat_status`] (see the module documentation).
/// Every replica with the same events computes the same result.
pub fn keadaan(usulan: &Usulan) -> Keadaan {
    let fold = Fold::run(usulan);
    fold.keadaan()
}

/// What an officer asks for: one new event, before the fold sets its parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMasukan {
    /// A new UUIDv7 text (made by the caller).
    pub id: String,
    /// The transition.
    pub aksi: AksiUsulan,
    /// NIP of the officer.
    pub oleh: Nip,
    /// RFC 3339 time (the caller's clock).
    pub waktu: String,
    /// Alasan tolak id (`alasan-tolak.json`); required for BTS and TMS.
    pub alasan_id: Option<String>,
    /// Free text.
    pub catatan: Option<String>,
    /// For a kolektif usulan: the NIPs concerned (empty = every NIP the transition is allowed for).
    pub nip: Vec<Nip>,
}

/// Why an event cannot be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GalatAlur {
    /// What was asked.
    pub aksi: AksiUsulan,
    /// The usulan's status at the time.
    pub status: StatusUsulan,
    /// What went wrong and what can be done instead, in Bahasa Indonesia.
    pub pesan: String,
}

impl fmt::Display for GalatAlur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pesan)
    }
}

impl std::error::Error for GalatAlur {}

/// A new event for `usulan`: `masukan` with [`UsulanEvent::induk`] set to the current heads, after checking that
/// the transition is allowed from the current status of every NIP it concerns.
///
/// # Errors
/// [`GalatAlur`] when the id is empty or already used; the aksi is BTS or TMS without an alasan; a NIP is not one
/// of the usulan's; the transition is not allowed (the message names the status and the aksi allowed instead), or
/// the NIP is in conflict and the aksi neither re-affirms one of the competing decisions nor is allowed from all.
pub fn event_baru(usulan: &Usulan, masukan: EventMasukan) -> Result<UsulanEvent, GalatAlur> {
    let fold = Fold::run(usulan);
    let keadaan = fold.keadaan();
    let galat = |pesan: String| GalatAlur { aksi: masukan.aksi, status: keadaan.status, pesan };
    if masukan.id.is_empty() || fold.nodes.contains_key(&masukan.id) {
        return Err(galat(format!("id event {:?} kosong atau sudah dipakai", masukan.id)));
    }
    if matches!(masukan.aksi, AksiUsulan::Bts | AksiUsulan::Tms)
        && masukan.alasan_id.as_deref().is_none_or(str::is_empty)
    {
        return Err(galat(format!("{} memerlukan alasan dari daftar alasan tolak", nama_aksi(masukan.aksi))));
    }
    let event = UsulanEvent {
        id: masukan.id,
        induk: keadaan.kepala.clone(),
        aksi: masukan.aksi,
        oleh: masukan.oleh,
        waktu: masukan.waktu,
        alasan_id: masukan.alasan_id,
        catatan: masukan.catatan,
        nip: masukan.nip,
    };
    match fold.judge(&event) {
        Ok(_) => Ok(event),
        Err(alasan) => Err(galat(alasan)),
    }
}

/// An event a change adds, with the permissions it needs (for the hub, DESIGN §5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBaru {
    /// The event as the document holds it.
    pub event: UsulanEvent,
    /// Every permission the transition needs (one, unless a kolektif usulan's NIPs are at different stages).
    pub izin: BTreeSet<Izin>,
}

/// The most events an usulan's log may hold. SIASN usulan see a handful of transitions (a BTS counter above 10 is
/// rare); the cap keeps the fold, which the hub runs on every push, small.
pub const MAX_EVENT: usize = 200;

/// The longest `catatan` of an event, in characters.
pub const MAX_CATATAN: usize = 2_000;

/// The events `sesudah` adds to `sebelum` (the same usulan before and after a pushed change), each with the
/// permissions it needs. For the hub: it checks the permissions against the pusher's roles and `oleh` against the
/// pusher.
///
/// # Errors
/// A message in Bahasa Indonesia when an event of `sebelum` was changed or removed; an added event has no id,
/// repeats one, is not an allowed transition from its parents, is a BTS or TMS without an alasan of that kind
/// (`alasan-tolak.json`), has a `waktu` that is not RFC 3339 or a `catatan` over [`MAX_CATATAN`] characters; the log
/// would exceed [`MAX_EVENT`] events; the change makes an event that was valid no longer valid (by reordering the
/// log, or by editing what the fold reads: the pegawai, jenis or perubahan); or it changes the pegawai, jenis or
/// sub jenis of an usulan that has left draft.
pub fn periksa_event_baru(sebelum: &Usulan, sesudah: &Usulan) -> Result<Vec<EventBaru>, String> {
    if sesudah.riwayat_status.len() > MAX_EVENT {
        return Err(format!("log status usulan paling banyak {MAX_EVENT} event"));
    }
    let lama: BTreeMap<String, &UsulanEvent> =
        normalised(&sebelum.riwayat_status).into_iter().map(|(id, _, event)| (id, event)).collect();
    let baru = normalised(&sesudah.riwayat_status);
    let mut seen = BTreeSet::new();
    for (id, _, event) in &baru {
        if !seen.insert(id.clone()) {
            return Err(format!("id event {id} dipakai lebih dari sekali"));
        }
        if let Some(old) = lama.get(id)
            && *old != *event
        {
            return Err(format!(
                "event {id} ({}) tidak boleh diubah: log status hanya boleh ditambah",
                nama_aksi(old.aksi)
            ));
        }
    }
    if let Some(hilang) = lama.keys().find(|id| !seen.contains(*id)) {
        return Err(format!("event {hilang} tidak boleh dihapus: log status hanya boleh ditambah"));
    }
    let before = Fold::run(sebelum);
    let fold = Fold::run(sesudah);
    if before.keadaan().per_nip.values().any(|status| *status != StatusUsulan::Draft) {
        let nips = |usulan: &Usulan| -> BTreeSet<String> {
            usulan.pegawai.iter().map(|pegawai| pegawai.nip.as_str().to_owned()).collect()
        };
        if nips(sebelum) != nips(sesudah) || sebelum.jenis != sesudah.jenis || sebelum.sub_jenis != sesudah.sub_jenis {
            return Err(
                "pegawai, jenis dan sub jenis usulan hanya dapat diubah selama draf; buat usulan baru".to_owned()
            );
        }
    }
    for (id, node) in &before.nodes {
        if let Some(refused) = fold.tidak_sah.iter().find(|refused| refused.id == *id) {
            return Err(format!(
                "perubahan ini membatalkan event {id} ({}) yang sudah sah: {}",
                nama_aksi(node.event.aksi),
                refused.alasan
            ));
        }
    }
    let mut added = Vec::new();
    for (id, _, event) in baru {
        if lama.contains_key(&id) {
            continue;
        }
        if event.id.is_empty() {
            return Err("event baru harus memiliki id".to_owned());
        }
        if let Some(refused) = fold.tidak_sah.iter().find(|refused| refused.id == id) {
            return Err(format!("{} tidak sah: {}", nama_aksi(event.aksi), refused.alasan));
        }
        periksa_isi(event)?;
        let izin = fold.nodes.get(&id).map(|node| node.izin.clone()).unwrap_or_default();
        added.push(EventBaru { event: event.clone(), izin });
    }
    Ok(added)
}

/// The fields of a new event the fold does not judge: the alasan of a BTS or TMS, the time, the note's length.
fn periksa_isi(event: &UsulanEvent) -> Result<(), String> {
    let wanted = match event.aksi {
        AksiUsulan::Bts => Some(KeteranganTolak::Bts),
        AksiUsulan::Tms => Some(KeteranganTolak::Tms),
        _ => None,
    };
    if let Some(wanted) = wanted {
        let alasan = event.alasan_id.as_deref().unwrap_or_default();
        if referensi().alasan_tolak.get(alasan).is_none_or(|row| row.keterangan != wanted) {
            return Err(format!(
                "{} memerlukan alasan tolak yang sah (alasan-tolak.json); {alasan:?} bukan alasan {}",
                nama_aksi(event.aksi),
                if wanted == KeteranganTolak::Bts { "BTS" } else { "TMS" }
            ));
        }
    }
    if chrono::DateTime::parse_from_rfc3339(&event.waktu).is_err() {
        return Err(format!("waktu event {:?} bukan waktu RFC 3339", event.waktu));
    }
    if event.catatan.as_deref().is_some_and(|catatan| catatan.chars().count() > MAX_CATATAN) {
        return Err(format!("catatan event paling panjang {MAX_CATATAN} karakter"));
    }
    Ok(())
}

/// The events with their effective ids and parents: an event without an id is `#<index>`, child of the one before.
fn normalised(events: &[UsulanEvent]) -> Vec<(String, Vec<String>, &UsulanEvent)> {
    let mut out: Vec<(String, Vec<String>, &UsulanEvent)> = Vec::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        let (id, induk) = if event.id.is_empty() {
            let induk = match (event.induk.is_empty(), out.last()) {
                (true, Some((previous, _, _))) => vec![previous.clone()],
                _ => event.induk.clone(),
            };
            (format!("#{index}"), induk)
        } else {
            (event.id.clone(), event.induk.clone())
        };
        out.push((id, induk, event));
    }
    out
}

/// One NIP's status as a set of candidates: the latest decisions no other candidate descends from. One candidate is
/// the normal case; more than one with different statuses is a conflict.
type Candidates = Vec<Candidate>;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    /// The event that set the status.
    source: String,
    /// The status it set.
    status: StatusUsulan,
}

/// A valid event in the fold.
#[derive(Debug, Clone)]
struct Node {
    /// Position in the log.
    index: usize,
    event: UsulanEvent,
    /// The event's own ancestors (transitively), for telling a stale candidate from a live one.
    ancestors: BTreeSet<String>,
    /// The state after this event, per NIP key.
    state: BTreeMap<String, Candidates>,
    /// Per NIP this event moved: the status it moved from.
    from: BTreeMap<String, StatusUsulan>,
    /// The permissions the event needed.
    izin: BTreeSet<Izin>,
}

struct Fold {
    /// The NIP keys: the usulan's pegawai (or one empty key for an usulan without any).
    keys: Vec<String>,
    perlu_bkn: bool,
    nodes: BTreeMap<String, Node>,
    tidak_sah: Vec<EventTidakSah>,
    jumlah_bts: u32,
}

impl Fold {
    fn run(usulan: &Usulan) -> Fold {
        let mut keys: Vec<String> = usulan.pegawai.iter().map(|pegawai| pegawai.nip.as_str().to_owned()).collect();
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            keys.push(String::new());
        }
        let mut fold =
            Fold { keys, perlu_bkn: perlu_bkn(usulan), nodes: BTreeMap::new(), tidak_sah: Vec::new(), jumlah_bts: 0 };
        // Parents first, whatever the list order (a reordered list folds the same); among events ready at the
        // same time, list order. An event waiting for a parent that never comes (unknown, refused, or a cycle) is
        // refused.
        let mut pending: Vec<(usize, UsulanEvent)> = normalised(&usulan.riwayat_status)
            .into_iter()
            .enumerate()
            .map(|(index, (id, induk, event))| (index, UsulanEvent { id, induk, ..event.clone() }))
            .collect();
        let mut refused_ids: BTreeSet<String> = BTreeSet::new();
        while !pending.is_empty() {
            let ready = pending.iter().position(|(_, event)| {
                event.induk.iter().all(|parent| fold.nodes.contains_key(parent) || refused_ids.contains(parent))
            });
            let Some(position) = ready else {
                for (_, event) in pending.drain(..) {
                    fold.tidak_sah.push(EventTidakSah {
                        id: event.id,
                        alasan: "induk tidak dikenal: event ini menyebut event yang tidak ada di log".to_owned(),
                    });
                }
                break;
            };
            let (index, event) = pending.remove(position);
            let id = event.id.clone();
            if fold.nodes.contains_key(&id) || refused_ids.contains(&id) {
                fold.tidak_sah.push(EventTidakSah { id, alasan: "id event berulang".to_owned() });
                continue;
            }
            match fold.judge(&event) {
                Ok(mut node) => {
                    node.index = index;
                    if event.aksi == AksiUsulan::Bts {
                        fold.jumlah_bts += 1;
                    }
                    fold.nodes.insert(id, node);
                }
                Err(alasan) => {
                    refused_ids.insert(id.clone());
                    fold.tidak_sah.push(EventTidakSah { id, alasan });
                }
            }
        }
        fold
    }

    /// The node `event` makes when added now, or why it is refused.
    fn judge(&self, event: &UsulanEvent) -> Result<Node, String> {
        let mut ancestors = BTreeSet::new();
        for parent in &event.induk {
            let node = self.nodes.get(parent).ok_or_else(|| format!("induk {parent} tidak dikenal atau tidak sah"))?;
            ancestors.insert(parent.clone());
            ancestors.extend(node.ancestors.iter().cloned());
        }
        let named: BTreeSet<&str> = event.nip.iter().map(Nip::as_str).collect();
        if let Some(asing) = named.iter().find(|nip| !self.keys.iter().any(|key| key == **nip)) {
            return Err(format!("NIP {asing} bukan pegawai usulan ini"));
        }
        let aksi = event.aksi;
        if aksi == AksiUsulan::Dibuat {
            if !event.induk.is_empty() || self.nodes.values().any(|node| node.event.aksi == AksiUsulan::Dibuat) {
                return Err("usulan sudah dibuat; event dibuat hanya boleh sekali, di awal".to_owned());
            }
            let state = self
                .keys
                .iter()
                .map(|key| (key.clone(), vec![Candidate { source: event.id.clone(), status: StatusUsulan::Draft }]))
                .collect();
            return Ok(Node {
                index: 0,
                event: event.clone(),
                ancestors,
                state,
                from: BTreeMap::new(),
                izin: BTreeSet::from([Izin::UsulanBuat]),
            });
        }
        if event.induk.is_empty() {
            return Err(format!(
                "{} tanpa induk: event ini tidak menyebut keadaan yang dilihat penulisnya",
                nama_aksi(aksi)
            ));
        }
        let mut state = self.merged(&event.induk);
        let mut from = BTreeMap::new();
        let mut izin = BTreeSet::new();
        let mut refusals = Vec::new();
        // An event for every NIP settles a NIP's conflict only in an usulan of one pegawai: elsewhere a decision
        // meant for the others must not silently settle it.
        let explicit = !named.is_empty() || self.keys.len() == 1;
        for key in &self.keys {
            let concerned = named.is_empty() || named.contains(key.as_str());
            if !concerned {
                continue;
            }
            let candidates = state.get(key).cloned().unwrap_or_default();
            match self.transition(&candidates, key, aksi, explicit) {
                Ok((dari, needed)) => {
                    from.insert(key.clone(), dari);
                    izin.insert(needed);
                    state.insert(
                        key.clone(),
                        vec![Candidate { source: event.id.clone(), status: status_setelah(aksi) }],
                    );
                }
                Err(alasan) => refusals.push((key.clone(), alasan)),
            }
        }
        // An event naming NIPs must be allowed for each; one for every NIP needs at least one NIP it applies to.
        let refused = if named.is_empty() { from.is_empty() } else { !refusals.is_empty() };
        if refused {
            let (key, alasan) = refusals.into_iter().next().unwrap_or_default();
            return Err(if key.is_empty() || self.keys.len() == 1 { alasan } else { format!("NIP {key}: {alasan}") });
        }
        Ok(Node { index: 0, event: event.clone(), ancestors, state, from, izin })
    }

    /// Whether `aksi` may follow `candidates` for NIP `key`: the status it moves from and the permission it needs.
    /// Settling a conflict (`explicit`: the event names the NIP, or the usulan has one) needs, besides its own
    /// permission, the highest permission among the competing decisions: an operator never overrides a
    /// verifikator's or BKN's decision.
    fn transition(
        &self,
        candidates: &[Candidate],
        key: &str,
        aksi: AksiUsulan,
        explicit: bool,
    ) -> Result<(StatusUsulan, Izin), String> {
        let statuses: BTreeSet<StatusUsulan> = candidates.iter().map(|candidate| candidate.status).collect();
        if statuses.len() == 1 {
            let dari = candidates[0].status;
            return izin_transisi(Some(dari), aksi, self.perlu_bkn).map(|izin| (dari, izin)).ok_or_else(|| {
                let boleh: Vec<&str> = aksi_boleh(dari, self.perlu_bkn).into_iter().map(nama_aksi).collect();
                let lanjut = if boleh.is_empty() {
                    "usulan ini sudah selesai".to_owned()
                } else {
                    format!("yang dapat dilakukan: {}", boleh.join(", "))
                };
                format!("usulan berstatus {}: tidak dapat {}; {lanjut}", dari.nama(), nama_aksi(aksi))
            });
        }
        if statuses.is_empty() {
            return Err("usulan belum dibuat".to_owned());
        }
        // A conflict: re-affirm one of the competing decisions (from the status it moved from), or make a
        // transition allowed from every candidate.
        let pilihan: Vec<&str> = statuses.iter().map(|status| status.nama()).collect();
        let berkonflik = || {
            format!("keputusan berkonflik ({}); pilih salah satu keputusan itu terlebih dahulu", pilihan.join(" dan "))
        };
        if !explicit {
            return Err(berkonflik());
        }
        let highest = candidates
            .iter()
            .filter_map(|candidate| self.nodes.get(&candidate.source))
            .flat_map(|node| node.izin.iter().copied())
            .max_by_key(|izin| tingkat_izin(*izin));
        let settle = |izin: Izin| highest.filter(|high| tingkat_izin(*high) > tingkat_izin(izin)).unwrap_or(izin);
        for candidate in candidates {
            if let Some(node) = self.nodes.get(&candidate.source)
                && node.event.aksi == aksi
                && let Some(dari) = node.from.get(key)
                && let Some(izin) = izin_transisi(Some(*dari), aksi, self.perlu_bkn)
            {
                return Ok((*dari, settle(izin)));
            }
        }
        let all: Option<Vec<Izin>> =
            statuses.iter().map(|status| izin_transisi(Some(*status), aksi, self.perlu_bkn)).collect();
        match all {
            Some(izin) if izin.iter().all(|one| *one == izin[0]) => Ok((candidates[0].status, settle(izin[0]))),
            _ => Err(berkonflik()),
        }
    }

    /// The state after every event of `parents`: per NIP, the candidates of all parents without those another
    /// candidate descends from.
    fn merged(&self, parents: &[String]) -> BTreeMap<String, Candidates> {
        let mut state = BTreeMap::new();
        for key in &self.keys {
            let mut candidates: Candidates = Vec::new();
            for parent in parents {
                let Some(node) = self.nodes.get(parent) else { continue };
                for candidate in node.state.get(key).into_iter().flatten() {
                    if !candidates.contains(candidate) {
                        candidates.push(candidate.clone());
                    }
                }
            }
            let live: Candidates = candidates
                .iter()
                .filter(|candidate| {
                    !candidates.iter().any(|other| {
                        other.source != candidate.source
                            && self
                                .nodes
                                .get(&other.source)
                                .is_some_and(|node| node.ancestors.contains(&candidate.source))
                    })
                })
                .cloned()
                .collect();
            let mut live = live;
            live.sort_by_key(|candidate| self.nodes.get(&candidate.source).map_or(usize::MAX, |node| node.index));
            state.insert(key.clone(), live);
        }
        state
    }

    fn keadaan(&self) -> Keadaan {
        let referenced: BTreeSet<&String> = self.nodes.values().flat_map(|node| node.event.induk.iter()).collect();
        let mut heads: Vec<&Node> = self.nodes.values().filter(|node| !referenced.contains(&node.event.id)).collect();
        heads.sort_by_key(|node| node.index);
        let kepala: Vec<String> = heads.iter().map(|node| node.event.id.clone()).collect();
        let state = self.merged(&kepala);
        let mut per_nip = BTreeMap::new();
        let mut konflik: Vec<Konflik> = Vec::new();
        for (key, candidates) in &state {
            let statuses: BTreeSet<StatusUsulan> = candidates.iter().map(|candidate| candidate.status).collect();
            let status = match statuses.len() {
                0 => StatusUsulan::Draft,
                1 => candidates[0].status,
                _ => {
                    let event: Vec<UsulanEvent> = candidates
                        .iter()
                        .filter_map(|candidate| self.nodes.get(&candidate.source).map(|node| node.event.clone()))
                        .collect();
                    konflik.push(Konflik { nip: Some(key.clone()), event });
                    StatusUsulan::Konflik
                }
            };
            per_nip.insert(key.clone(), status);
        }
        // The same competing events for every NIP: one conflict of the whole usulan.
        if konflik.len() == self.keys.len() && konflik.windows(2).all(|pair| pair[0].event == pair[1].event) {
            let event = konflik.swap_remove(0).event;
            konflik = vec![Konflik { nip: None, event }];
        }
        let distinct: BTreeSet<StatusUsulan> = per_nip.values().copied().collect();
        let status = if distinct.contains(&StatusUsulan::Konflik) {
            StatusUsulan::Konflik
        } else if distinct.len() == 1 {
            distinct.into_iter().next().unwrap_or(StatusUsulan::Draft)
        } else {
            StatusUsulan::Campuran
        };
        per_nip.remove("");
        Keadaan {
            status,
            per_nip,
            kepala,
            konflik,
            jumlah_bts: self.jumlah_bts,
            perlu_bkn: self.perlu_bkn,
            tidak_sah: self.tidak_sah.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
