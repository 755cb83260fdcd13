//! Riwayat perubahan: the audit trail of a pegawai or an usulan from its automerge history (who, from which
//! device, when, which field, the value before and after), and the change messages every local write carries.
//!
//! Every local write of the app passes its message through [`AppContext::pesan_perubahan`], which wraps what the
//! officer did in the envelope of [`sync::ChangeMessage`] with the signed-in officer's NIP and this device's name
//! (`{"luring":1,"pesan":"ubah kontak (no HP, email)","nip":"…","perangkat":"…"}`). Reading a change back:
//!
//! - this replica's own actor is "perangkat ini";
//! - a compensation (`kompensasi: …`) is "Hub: perubahan ditolak", and the hub's own changes (its known messages:
//!   `impor data pegawai`, `status usulan dari SI-ASN`, `usulan … disetujui BKN: … diterapkan hub`, and any other
//!   change by an actor that wrote one of those in the same document) are "Hub (SI-ASN / impor)";
//! - otherwise the envelope's NIP and device, or "(tidak tercatat)" for a message without them (written before
//!   the envelope existed, or by a device that was not signed in).
//!
//! Field names come from the authority table (`kewenangan-field.json` rows' `nama`) where it knows the path;
//! values are shown as the profile shows them; times are RFC 3339 (UTC) for the UI to format. Values appear only
//! in the returned audit (the officer's own replica data), never in the log.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use sync::{ChangeMessage, History, HistoryEntry};
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
    /// The value before, as shown; `None` when there was none (a new field or row).
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
    /// From which device: [`PERANGKAT_INI`], the device's name, "hub", or [`TIDAK_TERCATAT`].
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
    /// The newest changes (at most 200), newest first.
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
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let history = store::riwayat::pegawai(&*replica.reader()?, &nip, rowid, store::riwayat::Batas::default())?;
            Ok(riwayat(history, &replica.actor().to_hex_string()))
        })
        .await
    }

    /// `riwayat_perubahan_usulan`: the audit trail of usulan `id`.
    ///
    /// # Errors
    /// [`KodeGalat::MasukanTidakSah`] for an id that is not a UUID; [`KodeGalat::TidakDitemukan`];
    /// [`KodeGalat::Replika`] for a document that does not load; [`KodeGalat::BelumMasuk`] without a replica.
    pub async fn riwayat_perubahan_usulan(self: &Arc<Self>, id: String) -> Result<RiwayatPerubahan, AppError> {
        let id = Uuid::parse_str(id.trim())
            .map_err(|_| AppError::masukan("Id usulan", &id, "tulis id usulan (UUID) seperti di daftar"))?;
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let history = store::riwayat::dokumen(
                &*replica.reader()?,
                store::document::Kind::Usulan,
                id,
                store::riwayat::Batas::default(),
            )
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
            Ok(riwayat(history, &replica.actor().to_hex_string()))
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

/// `history` as the UI shows it; `sendiri` is this replica's actor (hex).
pub fn riwayat(history: History, sendiri: &str) -> RiwayatPerubahan {
    // The hub's actor, learnt from the changes it signs with its known messages.
    let hub: HashSet<&str> = history
        .changes
        .iter()
        .filter(|entry| entry.actor != sendiri)
        .filter(|entry| {
            entry.message.as_deref().is_some_and(|message| pesan_hub(message) || message.starts_with("kompensasi:"))
        })
        .map(|entry| entry.actor.as_str())
        .collect();
    let perubahan = history.changes.iter().map(|entry| perubahan(entry, sendiri, &hub)).collect();
    RiwayatPerubahan {
        perubahan,
        total: u32::try_from(history.total).unwrap_or(u32::MAX),
        terpotong: history.truncated,
    }
}

fn perubahan(entry: &HistoryEntry, sendiri: &str, hub: &HashSet<&str>) -> PerubahanDokumen {
    let message = ChangeMessage::parse(entry.message.as_deref().unwrap_or_default());
    let sumber = if entry.actor == sendiri {
        SumberPerubahan::PerangkatIni
    } else if message.pesan.starts_with("kompensasi:") {
        SumberPerubahan::HubDitolak
    } else if message.nip.is_none() && (pesan_hub(&message.pesan) || hub.contains(entry.actor.as_str())) {
        SumberPerubahan::Hub
    } else {
        SumberPerubahan::PerangkatLain
    };
    let tercatat = |value: &Option<String>| value.clone().unwrap_or_else(|| TIDAK_TERCATAT.to_owned());
    let (oleh, perangkat) = match sumber {
        SumberPerubahan::PerangkatIni => (tercatat(&message.nip), PERANGKAT_INI.to_owned()),
        SumberPerubahan::Hub => (OLEH_HUB.to_owned(), "hub".to_owned()),
        SumberPerubahan::HubDitolak => (OLEH_HUB_DITOLAK.to_owned(), "hub".to_owned()),
        SumberPerubahan::PerangkatLain => (tercatat(&message.nip), tercatat(&message.perangkat)),
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
        field: entry
            .fields
            .iter()
            .map(|field| PerubahanField {
                field: nama_field(&field.path),
                path: field.path.clone(),
                sebelum: field.before.as_ref().and_then(shown),
                sesudah: field.after.as_ref().and_then(shown),
            })
            .collect(),
        field_lainnya: u32::try_from(entry.fields_omitted).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests;
