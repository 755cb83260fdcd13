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
//!   `hub`) may still be written empty: a new riwayat row is created with id `""` and the hub fills it from SI-ASN
//!   later.
//! - **usulan**: paths are looked up as `usulan.<path>`; the table's `hub` rows (`status`, `siasn_id`) are nobody's
//!   through a push, everything else needs `usulan.ubah`. The usulan state machine (which transitions of
//!   `riwayat_status` each role may append) is NOT checked yet: it comes with the usulan workflow issue, with its
//!   own permissions, and will need the document before and after the change.
//! - **verifikasi_lapangan**: `verifikasi_lapangan.ubah`.
//!
//! Creating a document ([`may_create`]) needs `pegawai.buat`, `usulan.buat` or `verifikasi_lapangan.buat`
//! ([`creation_izin`]).
//!
//! What this module does not do: decide the caller's scope (the core checks that the document is in the caller's
//! own instansi before anything else), look at values other than a row id's, or read any state.

use model::peran::{Izin, peran};
use model::referensi::{Penulis, referensi};
use sync::PathSegment;
use sync::wire::RecordKind;

use crate::roster::Role;

/// Fields of a pegawai's `data_utama` no push may write, whatever the pusher's role: the identity keys the hub
/// and SI-ASN join on. They change only through the hub's import from SI-ASN.
pub const LOCKED: [&str; 4] = ["nip", "pns_id", "instansi_induk_id", "instansi_kerja_id"];

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

fn writer_for(record: RecordKind, path: &ChangedPath) -> Writer {
    match record {
        RecordKind::Pegawai => pegawai_writer(path),
        RecordKind::Usulan => match referensi().kewenangan(&path.dotted(Some("usulan"))) {
            Some(row) if row.penulis == Penulis::Hub => Writer::Nobody,
            _ => Writer::Holder(Izin::UsulanUbah),
        },
        RecordKind::VerifikasiLapangan => Writer::Holder(Izin::VerifikasiLapanganUbah),
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
    let tabel = referensi();
    let dotted = path.dotted(None);
    let row = tabel.kewenangan(&dotted).or_else(|| {
        // `agama_nama` follows `agama_id`.
        let stem = dotted.strip_suffix("_nama")?;
        tabel.kewenangan(&format!("{stem}_id"))
    });
    match row {
        Some(row) if row.penulis == Penulis::Hub && is_empty_row_id(path) => row_writer(path),
        Some(row) => writer_of(row.penulis),
        None => Writer::Holder(Izin::PegawaiUbahBkn),
    }
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

#[cfg(test)]
mod tests;
