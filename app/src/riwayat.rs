//! Riwayat perubahan: the audit trail of a pegawai or an usulan from its automerge history (who, from which
//! device, when, which field, the value before and after), and the change messages every local write carries.
//!
//! Every local write of the app passes its message through [`AppContext::pesan_perubahan`], which wraps what the
//! officer did in the envelope of [`sync::ChangeMessage`] with the signed-in officer's NIP and this device's name
//! (`{"luring":1,"pesan":"ubah kontak (no HP, email)","nip":"…","perangkat":"…"}`). Reading a change back:
//!
//! - this replica's own actor is "perangkat ini";
//! - a plain (non-envelope) compensation message (`kompensasi: …`) is "Hub: perubahan ditolak", and the hub's own
//!   plain messages (`impor data pegawai`, `status usulan dari SI-ASN`, `usulan … disetujui BKN: … diterapkan
//!   hub`, and any other plain change by an actor that wrote one of those plainly in the same document) are
//!   "Hub (SI-ASN / impor)". The hub writes plain messages; devices write envelopes, so an envelope is never taken
//!   for the hub, whatever its `pesan` or `perangkat` says, and does not make its actor the hub;
//! - otherwise the envelope's NIP and device, "(tidak tercatat)" for a change without a NIP (written before the
//!   envelope existed, or by a device that was not signed in), and "Perangkat <8 hex digits of the actor>" (as
//!   the Konflik screen names a device) when no device name is recorded.
//!
//! **Who and which device are claims.** The NIP and the device name are what the writing device declared in its
//! message ([`sync::ChangeMessage`]); nothing verifies them. The hub binds each actor to one officer when it
//! registers the device, but it does not rewrite messages, so the actor ([`PerubahanDokumen::aktor`]) is the only
//! part automerge itself records. A malformed NIP (not 18 digits) or device name is dropped when read.
//!
//! Field names come from the authority table (`kewenangan-field.json` rows' `nama`) where it knows the path (for
//! an usulan, its `usulan.<path>` rows, then the usulan's own parts: jenis, sub jenis, pegawai, the proposed
//! changes named by the pegawai table, the checklist documents by name, the status events); values are shown as
//! the profile shows them, an event's aksi by its name. A decision over a conflict shows every value competing
//! before it as "before", joined by ` | ` (the one that was shown first: `B2 | B1`). Times are RFC 3339 (UTC) for
//! the UI to format. Values appear only in the returned audit (the officer's own replica data), never in the log.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::SecondsFormat;
use model::referensi::referensi;
use model::usulan::AksiUsulan;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::document::Kind;
use store::riwayat::Batas;
use sync::{ChangeMessage, FieldChange, History, HistoryEntry, PathSegment};
use uuid::Uuid;

use crate::context::AppContext;
use crate::error::{AppError, KodeGalat};
use crate::konflik::nama_field;
use crate::pegawai::shown;

/// Who wrote a change, for the hub's changes and the unknown ones.
pub const OLEH_HUB: &str = "Hub (SI-ASN / impor)";
/// Who wrote a compensation: the hub undoing a refused write.
pub const OLEH_HUB_DITOLAK: &str = "Hub: perubahan ditolak";
/// What is shown when a change does not record its officer or device.
pub const TIDAK_TERCATAT: &str = "(tidak tercatat)";
/// The device of this replica's own changes.
pub const PERANGKAT_INI: &str = "perangkat ini";

/// Where a change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SumberPerubahan {
    /// This device (this replica's actor).
    PerangkatIni,
    /// Another officer's device, synced through the hub.
    PerangkatLain,
    /// The hub itself: an import, a status from SI-ASN, a BKN approval applied.
    Hub,
    /// The hub undoing a write it refused (a compensation).
    HubDitolak,
}

/// One field a change wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PerubahanField {
    /// The display path: `data_utama.nama`, `riwayat_jabatan[<row id>].tmt_jabatan`.
    pub path: String,
    /// The field's name from the authority table (with the part below the table's row when deeper), else the path.
    pub field: String,
    /// The value before, as shown; `None` when there was none (a new field or row). Where concurrent values competed
    /// there (a decision over a conflict), all of them joined by ` | `, the one that was shown first.
    pub sebelum: Option<String>,
    /// The value after, as shown; `None` when the change removed it.
    pub sesudah: Option<String>,
}

/// One change of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PerubahanDokumen {
    /// The change's hash (hex): a stable key for the list.
    pub hash: String,
    /// When, RFC 3339 UTC, by its author's clock.
    pub waktu: String,
    /// Where it came from.
    pub sumber: SumberPerubahan,
    /// Who: the officer's NIP, [`OLEH_HUB`], [`OLEH_HUB_DITOLAK`] or [`TIDAK_TERCATAT`].
    pub oleh: String,
    /// The officer's NIP when recorded.
    pub nip: Option<String>,
    /// From which device: [`PERANGKAT_INI`], the device's name (as it declared it), "hub", or "Perangkat " and
    /// the actor's first 8 hex digits when no name is recorded.
    pub perangkat: String,
    /// The automerge actor that wrote it (hex).
    pub aktor: String,
    /// What was done (the message without its envelope); empty when the change has no message.
    pub pesan: String,
    /// Whether it is the document's first change (its creation or import).
    pub pertama: bool,
    /// The fields it changed, at most 100.
    pub field: Vec<PerubahanField>,
    /// How many more fields it changed than [`Self::field`] lists.
    pub field_lainnya: u32,
}

/// The audit trail of one document, newest change first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RiwayatPerubahan {
    /// The newest changes (at most 50 by default, [`Batas`]), newest first.
    pub perubahan: Vec<PerubahanDokumen>,
    /// How many changes the document holds in all.
    pub total: u32,
    /// Whether older changes exist than those listed.
    pub terpotong: bool,
}

impl AppContext {
    /// `riwayat_perubahan_pegawai`: the audit trail of the pegawai document at `rowid` (its NIP must be `nip`), or of
    /// the oldest pegawai with `nip` when `None`.
    ///
    /// # Errors
    /// [`KodeGalat::TidakDitemukan`]; [`KodeGalat::Replika`] for a document that does not load;
    /// [`KodeGalat::BelumMasuk`] without a replica.
    pub async fn riwayat_perubahan_pegawai(
        self: &Arc<Self>,
        nip: String,
        rowid: Option<i64>,
    ) -> Result<RiwayatPerubahan, AppError> {
        self.riwayat_perubahan_pegawai_batas(nip, rowid, Batas::default()).await
    }

    /// [`Self::riwayat_perubahan_pegawai`] with at most `batas` changes and fields per change.
    ///
    /// # Errors
    /// As [`Self::riwayat_perubahan_pegawai`].
    pub async fn riwayat_perubahan_pegawai_batas(
        self: &Arc<Self>,
        nip: String,
        rowid: Option<i64>,
        batas: Batas,
    ) -> Result<RiwayatPerubahan, AppError> {
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let history = store::riwayat::pegawai(&*replica.reader()?, &nip, rowid, batas)?;
            Ok(riwayat(history, &replica.actor().to_hex_string(), Kind::Pegawai))
        })
        .await
    }

    /// `riwayat_perubahan_usulan`: the audit trail of usulan `id`.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] for an id that is not a UUID; [`KodeGalat::TidakDitemukan`];
    /// [`KodeGalat::Replika`] for a document that does not load; [`KodeGalat::BelumMasuk`] without a replica.
    pub async fn riwayat_perubahan_usulan(self: &Arc<Self>, id: String) -> Result<RiwayatPerubahan, AppError> {
        self.riwayat_perubahan_usulan_batas(id, Batas::default()).await
    }

    /// [`Self::riwayat_perubahan_usulan`] with at most `batas` changes and fields per change.
    ///
    /// # Errors
    /// As [`Self::riwayat_perubahan_usulan`].
    pub async fn riwayat_perubahan_usulan_batas(
        self: &Arc<Self>,
        id: String,
        batas: Batas,
    ) -> Result<RiwayatPerubahan, AppError> {
        let id = Uuid::parse_str(id.trim())
            .map_err(|_| AppError::masukan("Id usulan", &id, "tulis id usulan (UUID) seperti di daftar"))?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let history = store::riwayat::dokumen(&*replica.reader()?, Kind::Usulan, id, batas)
            .map_err(|error| match error {
                store::Error::NotFound(_) => AppError::new(
                    KodeGalat::TidakDitemukan,
                    format!(
                        "Usulan {id} tidak ada di perangkat ini. Periksa kembali, atau sinkronkan bila usulan baru ada \
                         di hub."
                    ),
                ),
                store::Error::CorruptDocument { .. } | store::Error::Shape(_) => {
                    tracing::warn!("dokumen usulan tidak terbaca di replika");
                    AppError::new(
                        KodeGalat::Replika,
                        "Data usulan ini rusak di perangkat; sinkronkan untuk memperbaikinya dari hub.",
                    )
                }
                other => other.into(),
            })?;
            Ok(riwayat(history, &replica.actor().to_hex_string(), Kind::Usulan))
        })
        .await
    }

    /// The message of a local write: `pesan` (what the officer did) in the envelope of [`sync::ChangeMessage`],
    /// with the signed-in officer's NIP (left out when nobody is signed in) and this device's name.
    pub(crate) fn pesan_perubahan(&self, replica: &store::Replica, pesan: &str) -> String {
        let nip = match self.session(replica) {
            Ok(Some(session)) => session.identity(replica).ok().flatten().map(|identity| identity.nip),
            _ => None,
        };
        ChangeMessage::new(pesan, nip.as_deref(), Some(&self.device_name)).encode()
    }
}

/// Whether a plain message is one the hub writes as itself.
fn pesan_hub(pesan: &str) -> bool {
    pesan == "impor data pegawai"
        || pesan == "status usulan dari SI-ASN"
        || (pesan.starts_with("usulan ") && pesan.contains(" disetujui BKN") && pesan.ends_with(" diterapkan hub"))
}

/// `history` of a document of `kind` as the UI shows it; `sendiri` is this replica's actor (hex).
pub fn riwayat(history: History, sendiri: &str, kind: Kind) -> RiwayatPerubahan {
    // The hub's actor, learnt from the changes it signs, plainly, with its known messages; never from an envelope.
    let hub: HashSet<&str> = history
        .changes
        .iter()
        .filter(|entry| entry.actor != sendiri)
        .filter(|entry| {
            entry.message.as_deref().is_some_and(|message| {
                ChangeMessage::parse_envelope(message).is_none()
                    && (pesan_hub(message) || message.starts_with("kompensasi:"))
            })
        })
        .map(|entry| entry.actor.as_str())
        .collect();
    let perubahan = history.changes.iter().map(|entry| perubahan(entry, sendiri, &hub, kind)).collect();
    RiwayatPerubahan {
        perubahan,
        total: u32::try_from(history.total).unwrap_or(u32::MAX),
        terpotong: history.truncated,
    }
}

fn perubahan(entry: &HistoryEntry, sendiri: &str, hub: &HashSet<&str>, kind: Kind) -> PerubahanDokumen {
    let raw = entry.message.as_deref().unwrap_or_default();
    let envelope = ChangeMessage::parse_envelope(raw);
    let plain = envelope.is_none();
    let message = envelope.unwrap_or_else(|| ChangeMessage::parse(raw));
    let sumber = if entry.actor == sendiri {
        SumberPerubahan::PerangkatIni
    } else if plain && message.pesan.starts_with("kompensasi:") {
        SumberPerubahan::HubDitolak
    } else if plain && (pesan_hub(&message.pesan) || hub.contains(entry.actor.as_str())) {
        SumberPerubahan::Hub
    } else {
        SumberPerubahan::PerangkatLain
    };
    let tercatat = |value: &Option<String>| value.clone().unwrap_or_else(|| TIDAK_TERCATAT.to_owned());
    let (oleh, perangkat) = match sumber {
        SumberPerubahan::PerangkatIni => (tercatat(&message.nip), PERANGKAT_INI.to_owned()),
        SumberPerubahan::Hub => (OLEH_HUB.to_owned(), "hub".to_owned()),
        SumberPerubahan::HubDitolak => (OLEH_HUB_DITOLAK.to_owned(), "hub".to_owned()),
        SumberPerubahan::PerangkatLain => {
            (tercatat(&message.nip), message.perangkat.clone().unwrap_or_else(|| perangkat_aktor(&entry.actor)))
        }
    };
    PerubahanDokumen {
        hash: entry.hash.to_string(),
        waktu: chrono::DateTime::from_timestamp_millis(entry.time_ms)
            .map(|time| time.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default(),
        sumber,
        oleh,
        nip: message.nip,
        perangkat,
        aktor: entry.actor.clone(),
        pesan: message.pesan,
        pertama: entry.first,
        field: entry.fields.iter().map(|field| perubahan_field(field, kind)).collect(),
        field_lainnya: u32::try_from(entry.fields_omitted).unwrap_or(u32::MAX),
    }
}

/// "Perangkat " and the first 8 hex digits of `actor`, as the Konflik screen names a device.
fn perangkat_aktor(actor: &str) -> String {
    format!("Perangkat {}", actor.get(..8).unwrap_or(actor))
}

fn perubahan_field(field: &FieldChange, kind: Kind) -> PerubahanField {
    let aksi = kind == Kind::Usulan
        && matches!(field.segments.as_slice(), [PathSegment::Key(list), PathSegment::Row(_), PathSegment::Key(member)]
            if list == "riwayat_status" && member == "aksi");
    let tampil = |value: &Value| if aksi { nama_aksi(value).or_else(|| shown(value)) } else { shown(value) };
    let sebelum = if field.competing.len() > 1 {
        let values: Vec<String> =
            field.competing.iter().map(|value| tampil(value).unwrap_or_else(|| "(kosong)".to_owned())).collect();
        Some(values.join(" | "))
    } else {
        field.before.as_ref().and_then(tampil)
    };
    PerubahanField {
        field: match kind {
            Kind::Usulan => nama_field_usulan(field),
            _ => nama_field(&field.path),
        },
        path: field.path.clone(),
        sebelum,
        sesudah: field.after.as_ref().and_then(tampil),
    }
}

/// An event's aksi (`"diajukan"`) by its name (`mengajukan`).
fn nama_aksi(value: &Value) -> Option<String> {
    let aksi: AksiUsulan = serde_json::from_value(value.clone()).ok()?;
    Some(model::usulan::alur::nama_aksi(aksi).to_owned())
}

/// The name of a field of an usulan document: its `usulan.<path>` row of the authority table, else the usulan's
/// own parts by name (the proposed changes by the pegawai table, a checklist document by its name), else the path.
fn nama_field_usulan(field: &FieldChange) -> String {
    let dotted = format!("usulan.{}", field.path.replace('[', ".").replace(']', ""));
    if let Some(row) = referensi().kewenangan(&dotted) {
        if row.id == dotted {
            return row.nama.clone();
        }
        let depth = row.id.split('.').count();
        let rest: Vec<&str> = dotted.split('.').skip(depth).collect();
        return format!("{} ({})", row.nama, rest.join("."));
    }
    let key = |segment: &PathSegment| match segment {
        PathSegment::Key(key) | PathSegment::Row(key) => key.clone(),
        PathSegment::Index(index) => index.to_string(),
    };
    let rest = |segments: &[PathSegment]| segments.iter().map(key).collect::<Vec<_>>().join(".");
    let dengan = |nama: String, below: &[PathSegment]| {
        if below.is_empty() { nama } else { format!("{nama} ({})", rest(below)) }
    };
    match field.segments.as_slice() {
        [PathSegment::Key(first), below @ ..] if first == "jenis" => dengan("Jenis usulan".to_owned(), below),
        [PathSegment::Key(first), below @ ..] if first == "sub_jenis" => dengan("Sub jenis usulan".to_owned(), below),
        [PathSegment::Key(first), below @ ..] if first == "pegawai" => {
            dengan("Pegawai yang diusulkan".to_owned(), below)
        }
        [PathSegment::Key(first), PathSegment::Key(target), below @ ..] if first == "perubahan" => {
            dengan(format!("Perubahan diusulkan: {}", nama_field(target)), below)
        }
        [PathSegment::Key(first), below @ ..] if first == "perubahan" => {
            dengan("Perubahan diusulkan".to_owned(), below)
        }
        [PathSegment::Key(first), PathSegment::Key(kunci), below @ ..] if first == "dokumen" => {
            // `<kode>`, or `<nip>/<kode>` for a pegawai's document of a kolektif usulan.
            let (nip, kode) = kunci.rsplit_once('/').map_or((None, kunci.as_str()), |(nip, kode)| (Some(nip), kode));
            let nama = referensi()
                .syarat_dokumen_usulan
                .rows
                .iter()
                .find(|row| row.kode == kode)
                .map_or_else(|| kode.to_owned(), |row| row.nama.clone());
            let nama = match nip {
                Some(nip) => format!("Dokumen {nama} (NIP {nip})"),
                None => format!("Dokumen {nama}"),
            };
            let member = match below {
                [PathSegment::Key(member)] => match member.as_str() {
                    "name" => "nama berkas",
                    "size" => "ukuran",
                    "mime" => "jenis berkas",
                    "sha256" => "isi berkas (SHA-256)",
                    other => other,
                }
                .to_owned(),
                _ => rest(below),
            };
            if member.is_empty() { nama } else { format!("{nama}: {member}") }
        }
        [PathSegment::Key(first), PathSegment::Row(_), below @ ..] if first == "riwayat_status" => {
            let member = match below {
                [PathSegment::Key(member)] => match member.as_str() {
                    "aksi" => "aksi",
                    "oleh" => "oleh (NIP)",
                    "waktu" => "waktu",
                    "alasan_id" => "alasan",
                    "catatan" => "catatan",
                    "nip" => "NIP yang dikenai",
                    "induk" => "peristiwa sebelumnya",
                    other => other,
                }
                .to_owned(),
                _ => rest(below),
            };
            if member.is_empty() { "Riwayat status".to_owned() } else { format!("Riwayat status: {member}") }
        }
        [PathSegment::Key(first), below @ ..] if first == "siasn_id" => dengan("Id usulan SI-ASN".to_owned(), below),
        [PathSegment::Key(first), below @ ..] if first == "status_siasn" => {
            dengan("Status usulan di SI-ASN".to_owned(), below)
        }
        _ => field.path.clone(),
    }
}

#[cfg(test)]
mod tests;
