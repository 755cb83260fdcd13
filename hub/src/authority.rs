//! Who may change what (DESIGN §3.2, §5.4): the pure check of a pushed change's paths against the pusher's roles,
//! the field authority table (`schemas/referensi/kewenangan-field.json`, read through
//! `model::referensi().kewenangan`) and the roles table (`schemas/peran.json`, read through `model::peran`).
//!
//! Every rule names a permission ([`Izin`]); which roles hold it is the roles table's business, so changing that
//! file changes who may write. The rules, per kind of record:
//!
//! - **pegawai**: a path is matched to the most specific row of the field table (a row covers everything below
//!   it). Its `penulis` names the permission ([`Izin::untuk_penulis`]): `operator_instansi` → `pegawai.ubah`,
//!   `verifikator_instansi` → `pegawai.verifikasi`, `bkn` → `pegawai.ubah_bkn`, `hub` → nobody through a push
//!   (only the hub's own import writes it). A `*_nama` field without a row follows the row of its `*_id` sibling
//!   (`agama_nama` follows `agama_id`); any other path without a row needs `pegawai.ubah_bkn` (the table says "the
//!   hub refuses it"; refusing BKN too would leave no way to correct such a field). Whatever the tables say,
//!   [`LOCKED`] fields (`nip`, `pns_id`, `instansi_induk_id`, `instansi_kerja_id`) are never written through a
//!   push, nor is anything that replaces or deletes them as a whole (`data_utama`, the root). A row id (`*.*.id`,
//!   `hub`) may still be written empty, or as a local id `lokal-…` equal to the row's key: a new riwayat row is
//!   created that way, and the hub's SI-ASN push sends a `lokal-…` row and records the id SI-ASN gives it.
//!   The reminders' follow-ups (`tindak_lanjut.<kunci>`, row `tindak_lanjut`: `pegawai.ubah`) also need a key
//!   that reads as a reminder key and an `oleh` that is the pusher's own NIP ([`check_pegawai`]).
//! - **usulan** ([`check_usulan`], which needs the usulan before and after the change): paths are looked up as
//!   `usulan.<path>`; the table's `hub` rows (`status_siasn`, `siasn_id`) are nobody's through a push. The event log
//!   (`riwayat_status`, [`LOG`]) is judged by the usulan state machine (DESIGN §5.4, `model::usulan::alur`)
//!   instead of by path: `alur::periksa_event_baru` must accept the events the change adds (none changed or
//!   removed, each an allowed transition from the events it names as `induk`), each added event's `oleh` must be
//!   the pusher's own NIP, and the pusher must hold every permission the transition needs (`usulan.buat`,
//!   `usulan.ubah`, `usulan.verifikasi`, `usulan.putus_bkn`). A new usulan's first change must add its `dibuat`
//!   event. Every other path needs `usulan.ubah` while the usulan (as it was before the change) is open for the
//!   operator: draft or BTS, or a kolektif usulan with a NIP at draft or BTS. Once submitted it needs
//!   `usulan.verifikasi`: only a verifikator corrects a submitted usulan, the operator waits for a BTS. Once it
//!   reached BKN (a NIP forwarded, approved or with its SK, none back at draft or BTS) nobody edits it, so what
//!   BKN approves is what was forwarded. `periksa_event_baru` also refuses a change that would make an event
//!   valid before no longer valid (editing what the fold reads), a new BTS or TMS without an alasan of its kind,
//!   and a log over `alur::MAX_EVENT` events. A document that does not read as an `Usulan` after the change is
//!   refused whole.
//! - **verifikasi_lapangan** ([`check_verifikasi_lapangan`], which needs the visit before and after the change):
//!   a change whose document does not read as a `model::verifikasi::VerifikasiLapangan` (before or after) is
//!   refused whole. A new visit needs `verifikasi_lapangan.buat` only, and its content must hold: `petugas` is
//!   the pusher's own NIP, `nip` is 18 digits, `waktu` is RFC 3339, each photo's `id` is its `sha256` (64
//!   lower-case hex digits). Afterwards `id`, `nip`, `petugas` and `waktu` are nobody's; `hasil` and `catatan`
//!   are the visit's petugas's (with `verifikasi_lapangan.ubah`) or a holder of `pegawai.verifikasi`'s (the
//!   verifikator corrects a visit); adding photos needs `verifikasi_lapangan.ubah`, changing or removing a photo
//!   already there is for the petugas or the verifikator as `hasil` is; any other member is refused. (The plain
//!   path check [`check`], for callers without the documents, asks `verifikasi_lapangan.ubah` for every path.)
//!
//! - **usulan of another instansi** ([`check_usulan_of_other_instansi`]): a pusher whose roles read every
//!   instansi (verifikator BKN, admin hub) may record BKN's decisions on any instansi's usulan. There only those
//!   roles count (a verifikator instansi of one instansi decides nothing in another), only the event log may be
//!   written, and the state machine judges it as above: `usulan.putus_bkn` for disetujui, BTS and TMS at BKN
//!   stage and SK terbit. Every other path (`perubahan`, `dokumen`, `pegawai`, …) is refused.
//!
//! Creating a document ([`may_create`]) needs `pegawai.buat`, `usulan.buat` or `verifikasi_lapangan.buat`
//! ([`creation_izin`]).
//!
//! What this module does not do: decide the caller's scope (the core lets a change through only to a document of
//! the caller's own instansi, or to an existing usulan of another instansi when the caller's roles read every
//! instansi, and picks [`check_usulan`] or [`check_usulan_of_other_instansi`] accordingly; a new document is
//! always created in the caller's own instansi), read documents (the core hydrates the usulan before and after
//! the change and passes them in), look at values other than a row id's and an usulan's, or read any state.

use model::peran::{Izin, peran};
use model::referensi::{KewenanganField, Penulis, referensi};
use model::usulan::alur::{self, EventBaru, StatusUsulan};
use model::usulan::{AksiUsulan, Usulan};
use model::verifikasi::{FotoKunjungan, VerifikasiLapangan};
use sync::PathSegment;
use sync::wire::RecordKind;

use crate::roster::Role;

/// Fields of a pegawai's `data_utama` no push may write, whatever the pusher's role: the identity keys the hub
/// and SI-ASN join on (`model::peran::FIELD_TERKUNCI`, which the desktop reads too). They change only through the
/// hub's import from SI-ASN.
pub const LOCKED: [&str; 4] = model::peran::FIELD_TERKUNCI;

/// One path a change writes, as the core derives it from the change's operations.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedPath {
    /// The steps from the document root: member keys, riwayat row keys, list indexes. A change that writes a
    /// list element is reported at the list; one that reorders a row (`_urutan`) at the row.
    pub segments: Vec<PathSegment>,
    /// The scalar the operation writes, when it is a put of a scalar (`None` for deletes and new objects).
    pub value: Option<serde_json::Value>,
}

impl ChangedPath {
    /// A path of member keys only, writing nothing in particular (for tests and simple callers).
    pub fn keys(keys: &[&str]) -> ChangedPath {
        ChangedPath { segments: keys.iter().map(|key| PathSegment::Key((*key).to_owned())).collect(), value: None }
    }

    /// The path with `/` between steps, as shown to people: `data_utama/nama`, `riwayat_jabatan/<row>/tmt_jabatan`.
    pub fn display(&self) -> String {
        self.segments.iter().map(segment_text).collect::<Vec<_>>().join("/")
    }

    /// The path with `.` between steps, as the field authority table writes it.
    fn dotted(&self, prefix: Option<&str>) -> String {
        prefix
            .into_iter()
            .map(str::to_owned)
            .chain(self.segments.iter().map(segment_text))
            .collect::<Vec<_>>()
            .join(".")
    }
}

fn segment_text(segment: &PathSegment) -> String {
    match segment {
        PathSegment::Key(key) | PathSegment::Row(key) => key.clone(),
        PathSegment::Index(index) => index.to_string(),
    }
}

/// Why a change is refused: the first path the pusher may not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The path, as [`ChangedPath::display`] writes it (empty for a refused creation).
    pub path: String,
    /// Why, in Bahasa Indonesia, for the officer.
    pub reason: String,
}

/// A refused change: the first reason, and every path of the change to take back (the compensation puts back
/// their values from before the change).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// The first reason, as the author is told it.
    pub violation: Violation,
    /// The refused paths, in the change's operation order.
    pub paths: Vec<ChangedPath>,
}

/// Who may write, as the check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// Whoever holds this permission (`schemas/peran.json`).
    Holder(Izin),
    /// Nobody through a push.
    Nobody,
}

impl Writer {
    fn allows(self, roles: &[Role]) -> bool {
        match self {
            Writer::Holder(izin) => roles.iter().any(|role| role.may(izin)),
            Writer::Nobody => false,
        }
    }

    /// Who, in Bahasa Indonesia, from the roles table: "verifikator BKN atau admin hub".
    fn who(self) -> String {
        match self {
            Writer::Holder(Izin::PegawaiUbahBkn) => format!("BKN ({})", peran().nama_pemegang(Izin::PegawaiUbahBkn)),
            Writer::Holder(izin) => peran().nama_pemegang(izin),
            Writer::Nobody => "hub sendiri (dari SI-ASN), tidak lewat perangkat".to_owned(),
        }
    }
}

fn writer_of(penulis: Penulis) -> Writer {
    Izin::untuk_penulis(penulis).map_or(Writer::Nobody, Writer::Holder)
}

/// The permission creating a document of kind `record` needs.
pub fn creation_izin(record: RecordKind) -> Izin {
    match record {
        RecordKind::Pegawai => Izin::PegawaiBuat,
        RecordKind::Usulan => Izin::UsulanBuat,
        RecordKind::VerifikasiLapangan => Izin::VerifikasiLapanganBuat,
    }
}

/// Whether `roles` may create a new document of kind `record`: whether one of them holds its
/// [`creation_izin`].
///
/// # Errors
/// A [`Violation`] with an empty path when none of the roles may.
pub fn may_create(roles: &[Role], record: RecordKind) -> Result<(), Violation> {
    let izin = creation_izin(record);
    if roles.iter().any(|role| role.may(izin)) {
        Ok(())
    } else {
        Err(Violation {
            path: String::new(),
            reason: format!("dokumen {} baru hanya boleh dibuat oleh {}", record.as_str(), peran().nama_pemegang(izin)),
        })
    }
}

/// Checks every path a change to an existing document of kind `record` writes against `roles` (see the module
/// documentation for the rules).
///
/// For an usulan this gives only the path rules of a draft, and the event log needs `usulan.ubah` like any other
/// path: the state machine needs the document, so the push checks an usulan with [`check_usulan`].
///
/// # Errors
/// The first path none of the roles may write, with the reason.
pub fn check(roles: &[Role], record: RecordKind, paths: &[ChangedPath]) -> Result<(), Violation> {
    for path in paths {
        let writer = writer_for(record, path);
        if !writer.allows(roles) {
            return Err(Violation {
                path: path.display(),
                reason: format!("{} hanya boleh diubah oleh {}", path.display(), writer.who()),
            });
        }
    }
    Ok(())
}

/// Checks a change to an existing pegawai document by the pusher `nip` with `roles`: [`check`] for each path, then
/// the reminders' follow-ups (`tindak_lanjut.<kunci>`, `model::pengingat`), judged on `tindak_lanjut_sesudah`, the
/// document's `tindak_lanjut` after the change (`None` when it has none; only read when the change writes under it):
///
/// - the map itself stays a map (replacing or deleting it would break the merge of every officer's follow-ups);
/// - each key written reads as a reminder key ([`model::pengingat::baca_kunci`], `kgb-2027-03-01`);
/// - each entry written, unless the change deleted it, reads as a `TindakLanjut` that passes
///   [`model::pengingat::TindakLanjut::periksa`] (`oleh` 18 digits, `waktu` RFC 3339, `catatan` at most 500
///   characters), so a pegawai never stops reading as one on every replica;
/// - each entry written is a map of `status`, `oleh`, `waktu` and `catatan` only (no list, no other member);
/// - an entry the change creates, or whose `oleh` it writes, holds the pusher's own NIP as `oleh` after the change
///   (judged on the result, so writing `oleh` twice in one change does not slip through). A change that leaves an
///   earlier officer's `oleh` in place and changes the status is not refused: two officers' concurrent writes merge
///   field by field, and the audit trail shows each change's real author.
///
/// Replacing or deleting the map itself once it exists is refused before this check, by the push, without keeping
/// the change (no compensation could bring back the old map and what others wrote into it).
///
/// A refused entry is taken back whole (its path `tindak_lanjut/<kunci>` is among the refused paths), never
/// field by field, which could leave an entry without its `oleh`.
///
/// # Errors
/// [`Refused`] with the first reason, in Bahasa Indonesia naming the path, and every path to take back.
pub fn check_pegawai(
    nip: &str,
    roles: &[Role],
    tindak_lanjut_sesudah: Option<&serde_json::Value>,
    paths: &[ChangedPath],
) -> Result<(), Refused> {
    let mut violation: Option<Violation> = None;
    let mut refused: Vec<ChangedPath> = Vec::new();
    let mut refuse = |path: ChangedPath, reason: Violation| {
        violation.get_or_insert(reason);
        if !refused.contains(&path) {
            refused.push(path);
        }
    };
    for path in paths {
        if let Err(reason) = check(roles, RecordKind::Pegawai, std::slice::from_ref(path)) {
            refuse(path.clone(), reason);
        }
    }
    let mut keys: Vec<&str> = Vec::new();
    let mut map_written = false;
    for path in paths {
        match path.segments.as_slice() {
            [PathSegment::Key(root)] if root == TINDAK_LANJUT => map_written = true,
            [PathSegment::Key(root), PathSegment::Key(kunci), ..]
                if root == TINDAK_LANJUT && !keys.contains(&kunci.as_str()) =>
            {
                keys.push(kunci);
            }
            _ => {}
        }
    }
    let map = tindak_lanjut_sesudah.and_then(serde_json::Value::as_object);
    if map_written && map.is_none() {
        refuse(
            ChangedPath::keys(&[TINDAK_LANJUT]),
            Violation {
                path: TINDAK_LANJUT.to_owned(),
                reason: format!("{TINDAK_LANJUT} harus tetap berupa daftar tindak lanjut pengingat"),
            },
        );
    }
    for kunci in keys {
        let entry_path = ChangedPath::keys(&[TINDAK_LANJUT, kunci]);
        let why = tindak_lanjut_salah(nip, kunci, map.and_then(|map| map.get(kunci)), paths);
        if let Some(why) = why {
            let shown = entry_path.display();
            refuse(entry_path, Violation { reason: format!("{shown}: {why}"), path: shown });
        }
    }
    match violation {
        None => Ok(()),
        Some(violation) => Err(Refused { violation, paths: refused }),
    }
}

/// The root member holding a pegawai's follow-ups.
const TINDAK_LANJUT: &str = "tindak_lanjut";

/// Why the follow-up `kunci`, as it reads after the change (`None`: deleted), may not stand, if it may not.
fn tindak_lanjut_salah(
    nip: &str,
    kunci: &str,
    sesudah: Option<&serde_json::Value>,
    paths: &[ChangedPath],
) -> Option<String> {
    if model::pengingat::baca_kunci(kunci).is_none() {
        return Some("kunci tindak lanjut harus kp-, bup- atau kgb- diikuti tanggal yyyy-mm-dd".to_owned());
    }
    // Deleted (taken back): nothing more to judge.
    let entry = sesudah?;
    // A map with the four members at most: not a list (serde reads a struct from an array too, and a list write is
    // reported at the list, so its `oleh` would not be seen), nor extra members of any size.
    let shape = "tindak lanjut harus berisi status (ditangani atau tidak_perlu), oleh dan waktu, dan catatan bila ada";
    let serde_json::Value::Object(members) = entry else { return Some(shape.to_owned()) };
    if members.keys().any(|member| !FIELD_TINDAK_LANJUT.contains(&member.as_str())) {
        return Some(shape.to_owned());
    }
    let row = match serde_json::from_value::<model::pengingat::TindakLanjut>(entry.clone()) {
        Err(_) => return Some(shape.to_owned()),
        Ok(row) => row,
    };
    if let Some(why) = row.periksa().err() {
        return Some(why);
    }
    // Judged on what the entry holds after the change, not on the values the operations wrote (a change may put
    // `oleh` twice): an entry the change creates, or whose `oleh` it writes, must be in the pusher's NIP.
    let menulis_oleh = paths.iter().any(|path| match path.segments.as_slice() {
        [PathSegment::Key(root), PathSegment::Key(key)] => root == TINDAK_LANJUT && key == kunci,
        [PathSegment::Key(root), PathSegment::Key(key), PathSegment::Key(field)] => {
            root == TINDAK_LANJUT && key == kunci && field == "oleh"
        }
        _ => false,
    });
    (menulis_oleh && row.oleh != nip)
        .then(|| "tindak lanjut hanya boleh dicatat atas NIP pengirimnya sendiri".to_owned())
}

/// The members a follow-up entry may hold (`model::pengingat::TindakLanjut`).
const FIELD_TINDAK_LANJUT: [&str; 4] = ["status", "catatan", "oleh", "waktu"];

fn writer_for(record: RecordKind, path: &ChangedPath) -> Writer {
    match record {
        RecordKind::Pegawai => pegawai_writer(path),
        RecordKind::Usulan => usulan_writer(path, Tahap::Terbuka),
        RecordKind::VerifikasiLapangan => Writer::Holder(Izin::VerifikasiLapanganUbah),
    }
}

/// Where an usulan stands, for who may edit its content (everything but the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tahap {
    /// Draft or BTS (for a kolektif usulan: one of its NIPs is): the operator edits.
    Terbuka,
    /// Submitted, at the instansi: only a verifikator edits.
    DiInstansi,
    /// Forwarded to BKN or decided by BKN (and no NIP back at draft or BTS): nobody edits, so what BKN approves is
    /// what was forwarded (the hub applies BKN's fields from it).
    DiBkn,
}

impl Tahap {
    fn of(keadaan: &alur::Keadaan) -> Tahap {
        let open = |status: &StatusUsulan| matches!(status, StatusUsulan::Draft | StatusUsulan::Bts);
        let bkn = |status: &StatusUsulan| {
            matches!(status, StatusUsulan::DiteruskanKeBkn | StatusUsulan::Disetujui | StatusUsulan::SkTerbit)
        };
        if open(&keadaan.status) || keadaan.per_nip.values().any(open) {
            Tahap::Terbuka
        } else if keadaan.per_nip.values().any(bkn) {
            Tahap::DiBkn
        } else {
            Tahap::DiInstansi
        }
    }
}

/// Who may write a path of an usulan by path rules: nobody for the hub's fields; else `usulan.ubah` while the
/// usulan is open for the operator, `usulan.verifikasi` once it was submitted, nobody once it reached BKN
/// ([`Tahap`]).
fn usulan_writer(path: &ChangedPath, tahap: Tahap) -> Writer {
    match referensi().kewenangan(&path.dotted(Some("usulan"))) {
        Some(row) if row.penulis == Penulis::Hub => Writer::Nobody,
        _ => match tahap {
            Tahap::Terbuka => Writer::Holder(Izin::UsulanUbah),
            Tahap::DiInstansi => Writer::Holder(Izin::UsulanVerifikasi),
            Tahap::DiBkn => Writer::Nobody,
        },
    }
}

fn pegawai_writer(path: &ChangedPath) -> Writer {
    let keys: Vec<String> = path.segments.iter().map(segment_text).collect();
    // The root, `data_utama` as a whole, or a locked field (or anything inside one).
    match keys.as_slice() {
        [] => return Writer::Nobody,
        [first] if first == "data_utama" => return Writer::Nobody,
        [first, field, ..] if first == "data_utama" && LOCKED.contains(&field.as_str()) => return Writer::Nobody,
        _ => {}
    }
    match pegawai_row(&path.dotted(None)) {
        Some(row) if row.penulis == Penulis::Hub && (is_empty_row_id(path) || is_local_row_id(path)) => {
            row_writer(path)
        }
        Some(row) => writer_of(row.penulis),
        None => Writer::Holder(Izin::PegawaiUbahBkn),
    }
}

/// The field authority row of a pegawai's dotted path (`data_utama.nama`): the table's own, else, for a `*_nama`
/// field, its `*_id` sibling's (`agama_nama` follows `agama_id`).
fn pegawai_row(dotted: &str) -> Option<&'static KewenanganField> {
    referensi().kewenangan_pegawai(dotted)
}

/// Who writes a pegawai's field at dotted path `dotted` (`data_utama.nama`), as the push rules read the field
/// authority table (a `*_nama` field follows its `*_id` sibling); `None` when the table has no row for it.
/// [`LOCKED`] fields keep their row's `penulis` here: that no push writes them is a rule of its own.
pub fn pegawai_penulis(dotted: &str) -> Option<Penulis> {
    pegawai_row(dotted).map(|row| row.penulis)
}

/// For an empty row id: whoever may write the row (an empty id adds nothing to what writing the row needs).
fn row_writer(path: &ChangedPath) -> Writer {
    let row_path =
        ChangedPath { segments: path.segments[..path.segments.len().saturating_sub(1)].to_vec(), value: None };
    match referensi().kewenangan(&row_path.dotted(None)) {
        Some(row) => writer_of(row.penulis),
        None => Writer::Holder(Izin::PegawaiUbahBkn),
    }
}

/// A put of `""` to a riwayat row's `id`: the shape of a new row.
fn is_empty_row_id(path: &ChangedPath) -> bool {
    matches!(path.segments.as_slice(), [PathSegment::Key(_), _, PathSegment::Key(id)] if id == "id")
        && matches!(&path.value, Some(serde_json::Value::String(text)) if text.is_empty())
}

/// A put of a local id (`lokal-…`, [`model::pegawai::riwayat::ID_LOKAL`]) to the `id` of the riwayat row keyed by
/// that same id: the shape of a new row made on a device, which the hub's SI-ASN push sends and which a pull keeps
/// until SI-ASN has it. Renaming an existing row (its key is another id) is not this shape and stays the hub's.
fn is_local_row_id(path: &ChangedPath) -> bool {
    match (path.segments.as_slice(), &path.value) {
        (
            [PathSegment::Key(list), PathSegment::Row(key), PathSegment::Key(id)],
            Some(serde_json::Value::String(text)),
        ) => {
            list.starts_with("riwayat_")
                && id == "id"
                && text == key
                && text.starts_with(model::pegawai::riwayat::ID_LOKAL)
                && text.len() > model::pegawai::riwayat::ID_LOKAL.len()
        }
        _ => false,
    }
}

// -------------------------------------------------------------------------------------------------------------
// Verifikasi lapangan: the visit's own fields, its petugas, its photos

/// The members of a visit nobody changes once it is recorded.
const KUNJUNGAN_TETAP: [&str; 4] = ["id", "nip", "petugas", "waktu"];

/// Checks a change to a verifikasi lapangan document (see the module documentation): `nip` and `roles` are the
/// pusher's; `sebelum` is the visit before the change (`None` for a new visit, whose first change this is; `Err`
/// with the reason when the stored document does not read as a visit); `sesudah` the visit after it, or why it
/// does not read as one; `paths` what the change writes. Creating needs [`may_create`] too, which the core asks
/// first.
///
/// # Errors
/// [`Refused`] with the first reason, in Bahasa Indonesia naming the field, and the paths to take back:
/// - a document that does not read as a verifikasi lapangan, before or after the change: every path;
/// - a new visit whose `petugas` is not the pusher's NIP, whose `nip` is not 18 digits, whose `waktu` is not RFC
///   3339, or with a photo whose `id` is not its `sha256`: every path (the core refuses the creation whole);
/// - on an existing visit: `id`, `nip`, `petugas`, `waktu` (nobody's), `hasil`/`catatan` or a changed or removed
///   photo by someone other than its petugas or a verifikator, a photo added without `verifikasi_lapangan.ubah`
///   or whose `id` is not its hash, a member a visit does not have: those paths.
pub fn check_verifikasi_lapangan(
    nip: &str,
    roles: &[Role],
    sebelum: Option<Result<&VerifikasiLapangan, &str>>,
    sesudah: Result<&VerifikasiLapangan, &str>,
    paths: &[ChangedPath],
) -> Result<(), Refused> {
    let refuse_all = |path: &str, reason: String| Refused {
        violation: Violation { path: path.to_owned(), reason },
        paths: paths.to_vec(),
    };
    let (sebelum, sesudah) = match (sebelum, sesudah) {
        (Some(Err(galat)), _) => {
            return Err(refuse_all(
                "",
                format!(
                    "verifikasi lapangan ini tidak terbaca sebelum perubahan ({galat}); perubahannya tidak dapat \
                     diperiksa"
                ),
            ));
        }
        (None, Err(galat)) => {
            return Err(refuse_all(
                "",
                format!("dokumen verifikasi lapangan baru tidak terbaca sebagai verifikasi lapangan ({galat})"),
            ));
        }
        (Some(Ok(_)), Err(galat)) => {
            return Err(refuse_all(
                "",
                format!("perubahan ini membuat dokumen tidak terbaca sebagai verifikasi lapangan ({galat})"),
            ));
        }
        (sebelum, Ok(sesudah)) => (sebelum.and_then(Result::ok), sesudah),
    };

    // A new visit: its content, whole.
    let Some(sebelum) = sebelum else {
        if sesudah.petugas.as_str() != nip {
            return Err(refuse_all(
                "petugas",
                format!(
                    "petugas verifikasi lapangan dicatat atas nama NIP {}, bukan NIP Anda ({nip}); kunjungan hanya \
                     boleh dicatat atas nama petugasnya sendiri",
                    sesudah.petugas.as_str()
                ),
            ));
        }
        if !nip_18_angka(sesudah.nip.as_str()) {
            return Err(refuse_all(
                "nip",
                format!(
                    "nip pegawai yang dikunjungi harus 18 angka, bukan \"{}\"",
                    sesudah.nip.as_str().chars().take(40).collect::<String>()
                ),
            ));
        }
        if chrono::DateTime::parse_from_rfc3339(&sesudah.waktu).is_err() {
            return Err(refuse_all(
                "waktu",
                format!(
                    "waktu verifikasi lapangan harus berupa waktu RFC 3339 (2026-12-01T02:30:00Z), bukan \"{}\"",
                    sesudah.waktu.chars().take(40).collect::<String>()
                ),
            ));
        }
        if let Some(foto) = sesudah.foto.iter().find(|foto| !foto_sah(foto)) {
            return Err(refuse_all("foto", foto_tidak_sah(foto)));
        }
        return Ok(());
    };

    // An existing visit: path by path.
    let petugas_sendiri = sebelum.petugas.as_str() == nip && Writer::Holder(Izin::VerifikasiLapanganUbah).allows(roles);
    let verifikator = Writer::Holder(Izin::PegawaiVerifikasi).allows(roles);
    let petugas_atau_verifikator = || {
        format!(
            "petugas yang mencatat kunjungan ini (NIP {}) atau {}",
            sebelum.petugas.as_str(),
            peran().nama_pemegang(Izin::PegawaiVerifikasi)
        )
    };
    // Photos: only added (every photo of before still there, unchanged), or some changed or removed.
    let tetap = sebelum.foto.iter().all(|lama| sesudah.foto.iter().any(|foto| foto == lama));
    let ditambah: Vec<&FotoKunjungan> =
        sesudah.foto.iter().filter(|foto| !sebelum.foto.iter().any(|lama| lama.id == foto.id)).collect();
    let mut first: Option<Violation> = None;
    let mut refused: Vec<ChangedPath> = Vec::new();
    for path in paths {
        let field = match path.segments.first() {
            Some(PathSegment::Key(key)) => key.as_str(),
            _ => "",
        };
        let reason = match field {
            "" => Some("dokumen verifikasi lapangan tidak boleh ditulis ulang seluruhnya".to_owned()),
            field if KUNJUNGAN_TETAP.contains(&field) => {
                Some(format!("{field} verifikasi lapangan tidak dapat diubah setelah kunjungan dicatat"))
            }
            "hasil" | "catatan" if !(petugas_sendiri || verifikator) => {
                Some(format!("{field} hanya boleh diubah oleh {}", petugas_atau_verifikator()))
            }
            "hasil" | "catatan" => None,
            "foto" if !(tetap || petugas_sendiri || verifikator) => {
                Some(format!("foto yang sudah ada hanya boleh diubah atau dihapus oleh {}", petugas_atau_verifikator()))
            }
            "foto" if !Writer::Holder(Izin::VerifikasiLapanganUbah).allows(roles) => Some(format!(
                "foto hanya boleh ditambahkan oleh {}",
                peran().nama_pemegang(Izin::VerifikasiLapanganUbah)
            )),
            "foto" => ditambah.iter().find(|foto| !foto_sah(foto)).map(|foto| foto_tidak_sah(foto)),
            other => Some(format!("{other} bukan bagian dari verifikasi lapangan; hub tidak menerimanya")),
        };
        if let Some(reason) = reason {
            if first.is_none() {
                first = Some(Violation { path: path.display(), reason });
            }
            refused.push(path.clone());
        }
    }
    match first {
        None => Ok(()),
        Some(violation) => Err(Refused { violation, paths: refused }),
    }
}

/// Whether `text` is 18 ASCII digits (a NIP or NI PPPK; its parts are a data-quality matter, not the hub's).
fn nip_18_angka(text: &str) -> bool {
    text.len() == 18 && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Whether a photo is keyed by its hash: `id` = `sha256`, 64 lower-case hex digits.
fn foto_sah(foto: &FotoKunjungan) -> bool {
    foto.id == foto.sha256
        && foto.sha256.len() == 64
        && foto.sha256.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

fn foto_tidak_sah(foto: &FotoKunjungan) -> String {
    let awal = |text: &str| text.chars().take(70).collect::<String>();
    format!(
        "foto verifikasi lapangan harus ber-id sha256 isinya (64 angka heksadesimal huruf kecil); id \"{}\", sha256 \
         \"{}\"",
        awal(&foto.id),
        awal(&foto.sha256)
    )
}

// -------------------------------------------------------------------------------------------------------------
// Usulan: the state machine and the fields of a submitted usulan

/// The member of an usulan that holds its event log (`Usulan::riwayat_status`): its paths are judged by the
/// state machine, not by path rules.
pub const LOG: &str = "riwayat_status";

/// Checks a change to an usulan (see the module documentation): `nip` and `roles` are the pusher's (the roster's
/// NIP, compared exactly with each added event's `oleh`); `sebelum` is the usulan before the change (`None` for a
/// new usulan, whose first change this is; `Err` with the reason when the stored document does not read as an
/// `Usulan`); `sesudah` the usulan after it, or why it does not read as one; `paths` what the change writes.
///
/// # Errors
/// [`Refused`] with the first reason, in Bahasa Indonesia for the officer, and the paths to take back:
/// - a document that does not read as an usulan, before or after the change: every path of the change;
/// - an event log the state machine refuses (the message of `alur::periksa_event_baru`), an added event whose
///   `oleh` is another NIP ("`<aksi>` dicatat atas nama NIP …, bukan NIP Anda (…)…"), an added event whose
///   permission none of `roles` holds ("`<aksi>` hanya boleh dilakukan oleh `<roles holding it>`"), or a new
///   usulan without its `dibuat` event: every path of the log (`riwayat_status/…`);
/// - a field `roles` may not write: the hub's fields, anything without `usulan.ubah` while the usulan is open,
///   anything without `usulan.verifikasi` once it was submitted: that path.
pub fn check_usulan(
    nip: &str,
    roles: &[Role],
    sebelum: Option<Result<&Usulan, &str>>,
    sesudah: Result<&Usulan, &str>,
    paths: &[ChangedPath],
) -> Result<(), Refused> {
    check_usulan_in(nip, roles, None, sebelum, sesudah, paths)
}

/// Checks a change to an existing usulan of another instansi than the pusher's (see the module documentation):
/// as [`check_usulan`], with only the pusher's roles that read every instansi counting, and every path outside
/// the event log refused. `sebelum` is the stored usulan (or why it does not read as one).
///
/// # Errors
/// [`Refused`] as [`check_usulan`] gives it, and:
/// - an added event whose permission only a role of the pusher's own instansi holds: "`<aksi>` usulan instansi
///   lain tidak dapat dilakukan: `<that role>` hanya bertindak atas usulan instansinya sendiri";
/// - any path outside `riwayat_status`: "`<path>` tidak boleh diubah dari luar instansi pengusul; …", that path.
pub fn check_usulan_of_other_instansi(
    nip: &str,
    roles: &[Role],
    sebelum: Result<&Usulan, &str>,
    sesudah: Result<&Usulan, &str>,
    paths: &[ChangedPath],
) -> Result<(), Refused> {
    let (acting, elsewhere): (Vec<Role>, Vec<Role>) = roles.iter().partition(|role| role.reads_every_scope());
    check_usulan_in(nip, &acting, Some(&elsewhere), Some(sebelum), sesudah, paths)
}

/// [`check_usulan`] with `roles` acting. `elsewhere` is `Some` for an usulan of another instansi: the pusher's
/// roles that do not count there (for the message); only the event log may then be written.
fn check_usulan_in(
    nip: &str,
    roles: &[Role],
    elsewhere: Option<&[Role]>,
    sebelum: Option<Result<&Usulan, &str>>,
    sesudah: Result<&Usulan, &str>,
    paths: &[ChangedPath],
) -> Result<(), Refused> {
    let refuse_all =
        |reason: String| Refused { violation: Violation { path: String::new(), reason }, paths: paths.to_vec() };
    let sebelum = match sebelum {
        Some(Err(galat)) => {
            return Err(refuse_all(format!(
                "usulan ini tidak terbaca sebagai usulan sebelum perubahan ({galat}); perubahannya tidak dapat diperiksa"
            )));
        }
        Some(Ok(sebelum)) => Some(sebelum),
        None => None,
    };
    let sesudah = match (sesudah, sebelum) {
        (Ok(sesudah), _) => sesudah,
        (Err(galat), None) => {
            return Err(refuse_all(format!("dokumen usulan baru tidak terbaca sebagai usulan ({galat})")));
        }
        (Err(galat), Some(_)) => {
            return Err(refuse_all(format!("perubahan ini membuat dokumen tidak terbaca sebagai usulan ({galat})")));
        }
    };
    // A new usulan is judged as one without events: its first change adds them all, `dibuat` first.
    let kosong;
    let (sebelum, keadaan) = match sebelum {
        None => {
            kosong = Usulan { riwayat_status: Vec::new(), ..sesudah.clone() };
            (&kosong, None)
        }
        Some(sebelum) => (sebelum, Some(alur::keadaan(sebelum))),
    };

    let mut first: Option<Violation> = None;
    let mut refused: Vec<ChangedPath> = Vec::new();
    if let Err(violation) = check_log(nip, roles, elsewhere.unwrap_or_default(), sebelum, sesudah, keadaan.is_none()) {
        first = Some(violation);
        // The paths that write the log (or the whole document); every path when none does, so that something is
        // taken back.
        refused = paths.iter().filter(|path| covers_log(path)).cloned().collect();
        if refused.is_empty() {
            refused = paths.to_vec();
        }
    }
    let tahap = keadaan.as_ref().map_or(Tahap::Terbuka, Tahap::of);
    for path in paths {
        if in_log(path) {
            continue;
        }
        let writer = usulan_writer(path, tahap);
        if elsewhere.is_none() && writer.allows(roles) {
            continue;
        }
        if first.is_none() {
            let reason = match (&keadaan, writer) {
                _ if elsewhere.is_some() => format!(
                    "{} tidak boleh diubah dari luar instansi pengusul; pada usulan instansi lain hanya keputusan BKN \
                     (riwayat status) yang dapat dicatat",
                    path.display()
                ),
                (Some(keadaan), Writer::Nobody) if tahap == Tahap::DiBkn => format!(
                    "{} tidak dapat diubah lagi karena usulan berstatus {}: BKN memutuskan isi yang diteruskan \
                     kepadanya; bila perlu diperbaiki, BKN mengembalikannya (BTS)",
                    path.display(),
                    keadaan.status.nama()
                ),
                (Some(keadaan), Writer::Holder(Izin::UsulanVerifikasi)) => format!(
                    "{} hanya boleh diubah oleh {} karena usulan berstatus {}; usulan hanya dapat diperbaiki \
                     pengusulnya saat berstatus {} atau {}",
                    path.display(),
                    writer.who(),
                    keadaan.status.nama(),
                    StatusUsulan::Draft.nama(),
                    StatusUsulan::Bts.nama()
                ),
                _ => format!("{} hanya boleh diubah oleh {}", path.display(), writer.who()),
            };
            first = Some(Violation { path: path.display(), reason });
        }
        if !refused.contains(path) {
            refused.push(path.clone());
        }
    }
    match first {
        None => Ok(()),
        Some(violation) => Err(Refused { violation, paths: refused }),
    }
}

/// The state machine's verdict on the events `sesudah` adds to `sebelum` (`baru`: the first change of a new
/// usulan, which must add its `dibuat` event). `roles` act; `elsewhere` are the pusher's roles that do not count
/// on another instansi's usulan, named when one of them holds a permission the event lacks.
fn check_log(
    nip: &str,
    roles: &[Role],
    elsewhere: &[Role],
    sebelum: &Usulan,
    sesudah: &Usulan,
    baru: bool,
) -> Result<(), Violation> {
    let refused = |path: String, reason: String| Violation { path, reason };
    let added = alur::periksa_event_baru(sebelum, sesudah).map_err(|alasan| refused(LOG.to_owned(), alasan))?;
    if baru && !added.iter().any(|added| added.event.aksi == AksiUsulan::Dibuat) {
        return Err(refused(
            LOG.to_owned(),
            "usulan baru harus dimulai dengan event dibuat atas nama pembuatnya; perubahan ini tidak memuatnya"
                .to_owned(),
        ));
    }
    for EventBaru { event, izin } in &added {
        let path = format!("{LOG}/{}", event.id);
        let aksi = alur::nama_aksi(event.aksi);
        if event.oleh.as_str() != nip {
            return Err(refused(
                path,
                format!(
                    "{aksi} dicatat atas nama NIP {}, bukan NIP Anda ({nip}); event status hanya boleh dicatat atas \
                     nama pelakunya sendiri",
                    event.oleh.as_str()
                ),
            ));
        }
        // The fold gives every valid event at least one permission; an empty set is refused rather than trusted.
        let lacking = izin.iter().find(|izin| !roles.iter().any(|role| role.may(**izin)));
        match (lacking, izin.is_empty()) {
            (Some(izin), _) if let Some(own) = elsewhere.iter().find(|role| role.may(*izin)) => {
                let nama = own.peran().map_or(own.as_str(), |peran| peran.nama.as_str());
                return Err(refused(
                    path,
                    format!(
                        "{aksi} usulan instansi lain tidak dapat dilakukan: {nama} hanya bertindak atas usulan \
                         instansinya sendiri"
                    ),
                ));
            }
            (Some(izin), _) => {
                return Err(refused(
                    path,
                    format!("{aksi} hanya boleh dilakukan oleh {}", peran().nama_pemegang(*izin)),
                ));
            }
            (None, true) => {
                return Err(refused(path, format!("{aksi} tidak dapat diperiksa: izinnya tidak diketahui")));
            }
            (None, false) => {}
        }
    }
    Ok(())
}

/// Whether `path` writes inside the event log.
fn in_log(path: &ChangedPath) -> bool {
    matches!(path.segments.first(), Some(PathSegment::Key(key)) if key == LOG)
}

/// Whether `path` writes the event log or something holding it (the document root).
fn covers_log(path: &ChangedPath) -> bool {
    path.segments.is_empty() || in_log(path)
}

#[cfg(test)]
mod tests;
