//! What the hub writes itself when BKN approves a peremajaan data or pencantuman gelar usulan (DESIGN §3.2, §5.4;
//! issue 7): the usulan's proposed changes to fields whose `penulis` is `bkn` (`kewenangan-field.json`: nama,
//! gelar, tanggal lahir, golongan, pendidikan, …) go into the pegawai's document as a change by the hub's own actor.
//!
//! [`approved`] reads an usulan before and after a kept change: when the change moves NIPs to
//! [`StatusUsulan::Disetujui`] (a `disetujui` event, or the re-affirmation that settles a conflict around one),
//! it gives an [`Approval`] with those NIPs and the BKN fields of `perubahan`. [`Approval::edit`] gives a pegawai
//! record with them written. The push core finds the pegawai documents by NIP in the usulan's scope and stores the
//! hub's change with its own feed entry, in the same transaction as the approval.
//!
//! What this module deliberately does not do:
//! - write the instansi's fields (`penulis` `operator_instansi` or `verifikator_instansi`): the verifikator's
//!   device writes those when it records `diverifikasi`;
//! - write a path other than `data_utama.<field>`: riwayat paths (`riwayat_pendidikan.<row>.…`) and paths without
//!   a row in the field authority table are left for BKN to write (no shape for proposing a riwayat row exists
//!   yet), and so are the identity keys the hub joins on ([`authority::LOCKED`]: `nip`, `pns_id`, instansi ids),
//!   which change only through the import from SI-ASN;
//! - take anything back: a conflicting decision that arrives after the approval was applied (a concurrent BTS)
//!   leaves the pegawai as approved, for the verifikator BKN to settle;
//! - read or write storage (the push core does), or log values (only field paths).

use model::Pegawai;
use model::referensi::Penulis;
use model::usulan::alur::{self, StatusUsulan};
use model::usulan::{AksiUsulan, JenisUsulan, Usulan};
use serde_json::Value;

use crate::authority;

/// The member of a pegawai record that holds the fields the hub writes on approval.
const DATA_UTAMA: &str = "data_utama";

/// An approval to carry into pegawai documents.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Approval {
    /// The usulan's id (its document id, UUID text), for the change's message.
    pub(super) usulan: String,
    /// The NIPs the change approved, in NIP order.
    pub(super) nip: Vec<String>,
    /// The BKN fields of `perubahan`: the field under `data_utama`, and the value candidates in order of
    /// preference (the text read as JSON, then the text itself).
    fields: Vec<(String, Vec<Value>)>,
}

/// The approval a kept change to an usulan makes, if any: `sebelum` and `sesudah` are the usulan before and after
/// the change (after its compensation, if part of it was refused); `usulan` is its document id. `None` unless the
/// usulan is a peremajaan data or a pencantuman gelar (the jenis whose `perubahan` are the pegawai's own fields; a
/// KP's new golongan, a pemberhentian or a pindah reach the pegawai from SI-ASN's own records through the pull), the
/// change adds a `disetujui` event, some NIP's status becomes disetujui, and
/// `perubahan` holds a field the hub writes (see the module documentation).
pub(super) fn approved(usulan: &str, sebelum: &Usulan, sesudah: &Usulan) -> Option<Approval> {
    if !matches!(sesudah.jenis, JenisUsulan::PeremajaanData | JenisUsulan::PencantumanGelar) {
        return None;
    }
    let adds_disetujui = sesudah.riwayat_status.iter().any(|event| {
        event.aksi == AksiUsulan::Disetujui
            && !sebelum.riwayat_status.iter().any(|old| old.id == event.id && old.aksi == event.aksi)
    });
    if !adds_disetujui {
        return None;
    }
    let fields: Vec<(String, Vec<Value>)> = sesudah
        .perubahan
        .iter()
        .filter_map(|(path, text)| Some((bkn_field(path)?.to_owned(), candidates(text))))
        .collect();
    if fields.is_empty() {
        return None;
    }
    let before = alur::keadaan(sebelum).per_nip;
    let nip: Vec<String> = alur::keadaan(sesudah)
        .per_nip
        .into_iter()
        .filter(|(nip, status)| {
            *status == StatusUsulan::Disetujui && before.get(nip).is_none_or(|old| *old != StatusUsulan::Disetujui)
        })
        .map(|(nip, _)| nip)
        .collect();
    if nip.is_empty() {
        return None;
    }
    Some(Approval { usulan: usulan.to_owned(), nip, fields })
}

/// The field under `data_utama` a `perubahan` path names, when the hub writes it on approval: a path
/// `data_utama.<field>` whose `penulis` is `bkn`, not one of [`authority::LOCKED`].
fn bkn_field(path: &str) -> Option<&str> {
    let field = path.strip_prefix(DATA_UTAMA)?.strip_prefix('.')?;
    let writes = !field.is_empty()
        && !field.contains('.')
        && !authority::LOCKED.contains(&field)
        && authority::pegawai_penulis(path) == Some(Penulis::Bkn);
    writes.then_some(field)
}

/// A `perubahan` value (JSON text) as values to try: the text read as JSON, then (unless it is a JSON string) the
/// text as a plain string: `"\"SITI\""` is `"SITI"` only, `1990` the number then the text `"1990"`, `SITI` (not
/// JSON) the text.
fn candidates(text: &str) -> Vec<Value> {
    let plain = Value::String(text.trim().to_owned());
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(parsed @ Value::String(_)) => vec![parsed],
        Ok(parsed) => vec![parsed, plain],
        Err(_) => vec![plain],
    }
}

impl Approval {
    /// `pegawai` (a pegawai document's JSON) with the approved fields written, and the dotted paths written (those
    /// whose value differs), in field order. A field is written with the first of its candidates the record still
    /// reads as a [`Pegawai`] with; a field none fits is left as it is and named in the third list (for the log:
    /// the path, never the value). `None` when `pegawai` has no `data_utama` object.
    pub(super) fn edit(&self, pegawai: &Value) -> Option<(Value, Vec<String>, Vec<String>)> {
        let mut edited = pegawai.clone();
        edited.get(DATA_UTAMA)?.as_object()?;
        let mut written = Vec::new();
        let mut unfit = Vec::new();
        for (field, candidates) in &self.fields {
            let path = format!("{DATA_UTAMA}.{field}");
            let current = edited.get(DATA_UTAMA).and_then(|data| data.get(field)).cloned();
            let fits = candidates.iter().find(|candidate| {
                let mut trial = edited.clone();
                set(&mut trial, field, (*candidate).clone());
                serde_json::from_value::<Pegawai>(trial).is_ok()
            });
            match fits {
                Some(value) if current.as_ref() == Some(value) => {}
                Some(value) => {
                    set(&mut edited, field, value.clone());
                    written.push(path);
                }
                None => unfit.push(path),
            }
        }
        Some((edited, written, unfit))
    }

    /// The message of the hub's change to a pegawai: names the usulan and the paths written.
    pub(super) fn message(&self, written: &[String]) -> String {
        format!("usulan {} disetujui BKN: {} diterapkan hub", self.usulan, written.join(", "))
    }
}

/// Writes `value` as `data_utama.<field>` of a pegawai record whose `data_utama` is an object.
fn set(pegawai: &mut Value, field: &str, value: Value) {
    if let Some(data) = pegawai.get_mut(DATA_UTAMA).and_then(Value::as_object_mut) {
        data.insert(field.to_owned(), value);
    }
}

#[cfg(test)]
mod tests;
