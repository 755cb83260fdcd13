//! Same-field conflicts on `verify` fields (DESIGN §3.2): the list a verifikator works through, every competing
//! value side by side with the device that wrote it and when, and the decision (one of the values or another),
//! written as an ordinary local change that clears the conflict on every replica once synced.
//!
//! It refuses a decision only when the session's known permissions lack `pegawai.verifikasi`; with no known
//! permissions it lets the write through and the hub decides (DESIGN §5). It does not decide which value is right.

use std::collections::BTreeSet;
use std::sync::Arc;

use model::peran::Izin;
use model::referensi::{KebijakanKonflik, referensi};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::context::AppContext;
use crate::error::{AppError, KodeGalat, sentence};
use crate::pegawai::shown;

/// One competing value of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct NilaiKonflik {
    /// The value as shown ("(kosong)" for none).
    pub tampil: String,
    /// The value as JSON text; [`AppContext::konflik_selesaikan`] takes it back as `nilai` to choose this value.
    pub json: String,
    /// Who wrote it: "Perangkat ini", or "Perangkat " and the first 8 hex digits of the device's actor.
    pub oleh: String,
    /// The automerge actor (hex) that wrote it.
    pub aktor: String,
    /// When, RFC 3339 UTC, by the author's clock; `None` when unknown.
    pub waktu: Option<String>,
    /// The change's message (what the author was doing), when it has one.
    pub pesan: Option<String>,
}

/// One conflicting field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct KonflikBaris {
    /// The document's rowid in this replica.
    pub rowid: i64,
    /// The pegawai's NIP, when the document names one.
    pub nip: Option<String>,
    /// The pegawai's name with gelar.
    pub nama: Option<String>,
    /// The field's path as the profile shows it (`data_utama.nama`, `riwayat_jabatan[<row>].tmt_jabatan`).
    pub path: String,
    /// The field's name (`kewenangan-field.json`), with the part below the table's row when deeper.
    pub field: String,
    /// The competing values, the one the record shows now first.
    pub nilai: Vec<NilaiKonflik>,
}

impl AppContext {
    /// `konflik_daftar`: every same-field conflict in the replica that waits for a verifikator, by pegawai name: those
    /// on fields whose policy in `kewenangan-field.json` is `verify`, or that the table does not know. A conflict
    /// on an `lww` field (nomor HP, email) is left to automerge's winner and not listed.
    ///
    /// # Errors
    /// [`KodeGalat::BelumMasuk`] without a replica; replica errors.
    pub async fn konflik_daftar(self: &Arc<Self>) -> Result<Vec<KonflikBaris>, AppError> {
        self.blocking(|context| {
            let replica = context.replica(false)?;
            daftar(&replica)
        })
        .await
    }

    /// `konflik_selesaikan`: decides the conflict at `path` (as [`KonflikBaris::path`]) of the document at `rowid`
    /// with `nilai`: a [`NilaiKonflik::json`] to choose that value, or what the verifikator typed (JSON when it
    /// parses as the same type as the competing values, else text). Written offline as one change queued in the
    /// outbox. Returns the updated list.
    ///
    /// # Errors
    /// [`KodeGalat::Ditolak`] when the session's known permissions lack `pegawai.verifikasi` (naming who may);
    /// [`KodeGalat::TidakDitemukan`] when the field is no longer in conflict (decided elsewhere) or the document is
    /// gone; [`KodeGalat::MasukanTidakSah`] when the record refuses the value; replica errors.
    pub async fn konflik_selesaikan(
        self: &Arc<Self>,
        rowid: i64,
        path: String,
        nilai: String,
    ) -> Result<Vec<KonflikBaris>, AppError> {
        self.blocking(move |context| {
            let replica = context.replica(false)?;
            let field = nama_field(&path);
            let izin = match context.session(&replica)? {
                Some(session) => session.identity(&replica)?.map(|identity| identity.izin_petugas()),
                None => None,
            };
            boleh_memutuskan(izin.as_ref(), &field)?;
            let conflict = store::conflict::find(&*replica.reader()?, rowid, &path)?.ok_or_else(|| {
                AppError::new(
                    KodeGalat::TidakDitemukan,
                    format!(
                        "{field} tidak lagi berkonflik (mungkin sudah diputuskan di perangkat lain). Muat ulang \
                         daftar konflik."
                    ),
                )
            })?;
            let value = nilai_keputusan(&nilai, conflict.values.iter().map(|value| &value.value));
            let now_ms = (context.clock)().timestamp_millis();
            store::edit::resolve_conflict(
                &replica,
                rowid,
                &conflict.segments,
                &value,
                now_ms,
                &format!("putuskan konflik {path}"),
            )
            .map_err(|error| match error {
                store::Error::Shape(_) => AppError::masukan(&field, &nilai, "nilai ini membuat data tidak sah"),
                other => other.into(),
            })?;
            tracing::info!(rowid, "konflik field diputuskan (luring)");
            daftar(&replica)
        })
        .await
    }
}

/// The conflicts of `replica` as the UI shows them.
///
/// # Errors
/// Replica errors.
fn daftar(replica: &store::Replica) -> Result<Vec<KonflikBaris>, AppError> {
    let sendiri = replica.actor().to_hex_string();
    let rows = store::conflict::list(&*replica.reader()?)?;
    Ok(rows
        .into_iter()
        .filter(|row| perlu_keputusan(&row.path))
        .map(|row| KonflikBaris {
            rowid: row.rowid,
            nip: row.nip,
            nama: row.nama,
            field: nama_field(&row.path),
            path: row.path,
            nilai: row
                .values
                .into_iter()
                .map(|value| NilaiKonflik {
                    tampil: shown(&value.value).unwrap_or_else(|| "(kosong)".to_owned()),
                    json: value.value.to_string(),
                    oleh: label_perangkat(&value.actor, &sendiri),
                    waktu: value
                        .time_ms
                        .and_then(chrono::DateTime::from_timestamp_millis)
                        .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                    aktor: value.actor,
                    pesan: value.message.filter(|message| !message.is_empty()),
                })
                .collect(),
        })
        .collect())
}

/// "Perangkat ini" for this replica's actor `sendiri`, else "Perangkat " and the actor's first 8 hex digits.
fn label_perangkat(actor: &str, sendiri: &str) -> String {
    if actor == sendiri { "Perangkat ini".to_owned() } else { format!("Perangkat {}", actor.get(..8).unwrap_or(actor)) }
}

/// A display path (`riwayat_jabatan[r1].tmt`) in the dotted form of `kewenangan-field.json` (`riwayat_jabatan.r1.tmt`).
fn bertitik(path: &str) -> String {
    path.replace('[', ".").replace(']', "")
}

/// Whether a conflict at display `path` waits for a verifikator: the field's policy is `verify`, or the authority
/// table has no rule for it (nothing is hidden that nobody decided to hide).
fn perlu_keputusan(path: &str) -> bool {
    referensi().kewenangan(&bertitik(path)).is_none_or(|row| row.kebijakan_konflik == KebijakanKonflik::Verify)
}

/// The field's name for display path `path`: the kewenangan row of its dotted form (`riwayat_jabatan[r1].tmt`
/// is `riwayat_jabatan.r1.tmt`), with the part below the row when deeper; the path itself when the table has none.
fn nama_field(path: &str) -> String {
    let dotted = bertitik(path);
    match referensi().kewenangan(&dotted) {
        Some(row) if row.id == dotted => row.nama.clone(),
        Some(row) => {
            let depth = row.id.split('.').count();
            let rest: Vec<&str> = dotted.split('.').skip(depth).collect();
            format!("{} ({})", row.nama, rest.join("."))
        }
        None => path.to_owned(),
    }
}

/// Whether an officer with known permissions `izin` may decide a conflict on `field`: yes with
/// `pegawai.verifikasi`, or when the permissions are unknown (`None` or empty: the hub decides at push).
///
/// # Errors
/// [`KodeGalat::Ditolak`] naming the field and the roles that may.
fn boleh_memutuskan(izin: Option<&BTreeSet<Izin>>, field: &str) -> Result<(), AppError> {
    match izin {
        Some(izin) if !izin.is_empty() && !izin.contains(&Izin::PegawaiVerifikasi) => Err(AppError::new(
            KodeGalat::Ditolak,
            sentence(&format!(
                "Anda tidak dapat memutuskan konflik {field}: hanya {} yang boleh memilih nilainya; tidak ada yang \
                 dicatat",
                model::peran::peran().nama_pemegang(Izin::PegawaiVerifikasi)
            )),
        )),
        _ => Ok(()),
    }
}

/// The value a decision writes: `nilai` as JSON when it parses to the same JSON type as one of the competing
/// `values` (a chosen [`NilaiKonflik::json`] always does), else `nilai` trimmed as text.
fn nilai_keputusan<'a>(nilai: &str, mut values: impl Iterator<Item = &'a Value>) -> Value {
    let same_type = |a: &Value, b: &Value| std::mem::discriminant(a) == std::mem::discriminant(b);
    match serde_json::from_str::<Value>(nilai.trim()) {
        Ok(parsed) if values.any(|value| same_type(value, &parsed)) => parsed,
        _ => Value::String(nilai.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_operator_may_not_decide_and_is_told_who_may() {
        let operator = BTreeSet::from([Izin::PegawaiUbah, Izin::UsulanBuat]);
        let error = boleh_memutuskan(Some(&operator), "Nama").unwrap_err();
        assert_eq!(error.code, KodeGalat::Ditolak);
        let pemegang = model::peran::peran().nama_pemegang(Izin::PegawaiVerifikasi);
        assert_eq!(
            error.message,
            format!(
                "Anda tidak dapat memutuskan konflik Nama: hanya {pemegang} yang boleh memilih nilainya; tidak ada \
                 yang dicatat."
            )
        );
    }

    #[test]
    fn a_verifikator_or_unknown_permissions_may_decide() {
        assert_eq!(boleh_memutuskan(Some(&BTreeSet::from([Izin::PegawaiVerifikasi])), "Nama"), Ok(()));
        assert_eq!(boleh_memutuskan(Some(&BTreeSet::new()), "Nama"), Ok(()));
        assert_eq!(boleh_memutuskan(None, "Nama"), Ok(()));
    }

    #[test]
    fn a_typed_value_keeps_the_type_of_the_competing_values() {
        let texts = [json!("BUDI"), json!("ANI")];
        assert_eq!(nilai_keputusan("\"ANI\"", texts.iter()), json!("ANI"));
        assert_eq!(nilai_keputusan(" 123 ", texts.iter()), json!("123"));
        assert_eq!(nilai_keputusan("BUDI SANTOSO", texts.iter()), json!("BUDI SANTOSO"));
        let numbers = [json!(2), json!(3)];
        assert_eq!(nilai_keputusan("4", numbers.iter()), json!(4));
    }

    #[test]
    fn a_device_is_named_by_its_actor() {
        assert_eq!(label_perangkat("abcdef0123456789", "abcdef0123456789"), "Perangkat ini");
        assert_eq!(label_perangkat("0123456789abcdef", "abcdef0123456789"), "Perangkat 01234567");
    }

    #[test]
    fn only_verify_fields_and_unknown_ones_wait_for_a_verifikator() {
        assert!(perlu_keputusan("data_utama.nama"));
        assert!(!perlu_keputusan("data_utama.email"));
        assert!(perlu_keputusan("tidak_dikenal.x"));
    }

    #[test]
    fn a_field_is_named_from_the_authority_table() {
        let row = referensi().kewenangan("data_utama.nama").map(|row| row.nama.clone());
        assert_eq!(Some(nama_field("data_utama.nama")), row);
        assert_eq!(nama_field("tidak_dikenal.x"), "tidak_dikenal.x");
    }
}
