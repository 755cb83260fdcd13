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
    /// [`KodeGalat::Ditolak`] when the officer may not decide the field (the field's writer
    /// permission as the hub judges it, plus `pegawai.verifikasi` for the instansi's fields), naming who may;
    /// [`KodeGalat::MasukanTidakSah`] for a typed value over [`MAX_NILAI`] characters;
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
            if nilai.chars().count() > MAX_NILAI {
                return Err(AppError::masukan(&field, &nilai, &format!("paling panjang {MAX_NILAI} karakter")));
            }
            boleh_memutuskan(izin.as_ref(), &path, &field)?;
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
                &context.pesan_perubahan(&replica, &format!("putuskan konflik {path}")),
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
        .filter(|row| row.kind == store::document::Kind::Pegawai && perlu_keputusan(&row.path))
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
                    oleh: label_penulis(&value.actor, &sendiri, value.message.as_deref()),
                    waktu: value
                        .time_ms
                        .and_then(chrono::DateTime::from_timestamp_millis)
                        .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                    aktor: value.actor,
                    pesan: value
                        .message
                        .map(|message| sync::ChangeMessage::parse(&message).pesan)
                        .filter(|message| !message.is_empty()),
                })
                .collect(),
        })
        .collect())
}

/// [`label_perangkat`], with the device's name and the officer's NIP when the change's `message` records them
/// ([`sync::ChangeMessage`]): "Perangkat LAPTOP-BKD (NIP 1990…)".
fn label_penulis(actor: &str, sendiri: &str, message: Option<&str>) -> String {
    let tercatat = message.map(sync::ChangeMessage::parse).unwrap_or_default();
    let perangkat = match (&tercatat.perangkat, actor == sendiri) {
        (Some(nama), false) => format!("Perangkat {nama}"),
        _ => label_perangkat(actor, sendiri),
    };
    match tercatat.nip {
        Some(nip) => format!("{perangkat} (NIP {nip})"),
        None => perangkat,
    }
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
pub(crate) fn nama_field(path: &str) -> String {
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

/// The longest value a verifikator may type, in characters (the longest pegawai field, an alamat, is far shorter).
pub const MAX_NILAI: usize = 500;

/// Whether an officer with permissions `izin` may decide the conflict at display path `path` (the field's name
/// `field`): the decision is an ordinary write, so it needs what the hub requires for the field
/// ([`model::peran::izin_tulis_pegawai`]), and, for the instansi's fields, `pegawai.verifikasi` (a conflict is a
/// verifikator's to decide). A field only BKN writes is BKN's to decide. When the permissions are unknown
/// (`None` or empty: signed in without reaching the hub) the instansi's fields are allowed (the hub decides at
/// push) but BKN's and the hub's are refused: the hub would take such a decision back and keep one of the
/// competing values without anyone choosing.
///
/// # Errors
/// [`KodeGalat::Ditolak`] naming the field, who may decide it and what to do instead.
fn boleh_memutuskan(izin: Option<&BTreeSet<Izin>>, path: &str, field: &str) -> Result<(), AppError> {
    let tolak = |alasan: String| {
        Err(AppError::new(
            KodeGalat::Ditolak,
            sentence(&format!("Anda tidak dapat memutuskan konflik {field}: {alasan}; tidak ada yang dicatat")),
        ))
    };
    let Some(tulis) = model::peran::izin_tulis_pegawai(&bertitik(path)) else {
        return tolak("field ini hanya diisi hub dari SI-ASN, tidak lewat perangkat; sinkronkan".to_owned());
    };
    let mut perlu = BTreeSet::from([tulis]);
    if tulis != Izin::PegawaiUbahBkn {
        perlu.insert(Izin::PegawaiVerifikasi);
    }
    let nama_pemegang = |izin: Izin| model::peran::peran().nama_pemegang(izin);
    match izin.filter(|izin| !izin.is_empty()) {
        Some(izin) => match perlu.iter().find(|needed| !izin.contains(needed)) {
            None => Ok(()),
            Some(Izin::PegawaiUbahBkn) => tolak(format!(
                "field ini kewenangan BKN; hanya {} yang memutuskannya. Ajukan usulan peremajaan data bila nilainya \
                 perlu diperbaiki",
                nama_pemegang(Izin::PegawaiUbahBkn)
            )),
            Some(missing) => tolak(format!("hanya {} yang boleh memilih nilainya", nama_pemegang(*missing))),
        },
        None if tulis == Izin::PegawaiUbahBkn => tolak(format!(
            "field ini kewenangan BKN dan peran Anda belum diketahui (belum tersambung ke hub); hanya {} yang \
             memutuskannya",
            nama_pemegang(Izin::PegawaiUbahBkn)
        )),
        None => Ok(()),
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
        let error = boleh_memutuskan(Some(&operator), "data_utama.tmt_jabatan", "TMT jabatan").unwrap_err();
        assert_eq!(error.code, KodeGalat::Ditolak);
        let pemegang = model::peran::peran().nama_pemegang(Izin::PegawaiVerifikasi);
        assert_eq!(
            error.message,
            format!(
                "Anda tidak dapat memutuskan konflik TMT jabatan: hanya {pemegang} yang boleh memilih nilainya; \
                 tidak ada yang dicatat."
            )
        );
    }

    #[test]
    fn a_verifikator_decides_the_instansis_fields_and_bkn_decides_bkns() {
        let verifikator = model::peran::peran().izin(["verifikator_instansi"]);
        let bkn = model::peran::peran().izin(["verifikator_bkn"]);
        assert_eq!(boleh_memutuskan(Some(&verifikator), "data_utama.tmt_jabatan", "TMT jabatan"), Ok(()));
        assert_eq!(boleh_memutuskan(Some(&verifikator), "riwayat_jabatan[r1].tmt_jabatan", "Riwayat jabatan"), Ok(()));
        // Nama is BKN's: the hub would take a verifikator instansi's decision back, so the device refuses it.
        let error = boleh_memutuskan(Some(&verifikator), "data_utama.nama", "Nama").unwrap_err();
        assert_eq!(error.code, KodeGalat::Ditolak);
        assert!(error.message.contains("kewenangan BKN") && error.message.contains("usulan peremajaan"), "{error:?}");
        assert_eq!(boleh_memutuskan(Some(&bkn), "data_utama.nama", "Nama"), Ok(()));
        assert!(boleh_memutuskan(Some(&bkn), "data_utama.tmt_jabatan", "TMT jabatan").is_err(), "the instansi's");
        // Nobody decides the identity keys or the hub's fields through a device.
        for path in ["data_utama.nip", "data_utama.pns_id", "riwayat_jabatan[r1].id"] {
            let all = BTreeSet::from(Izin::ALL);
            assert!(
                boleh_memutuskan(Some(&all), path, path).unwrap_err().message.contains("hanya diisi hub"),
                "{path}"
            );
        }
        // Unknown permissions (signed in without the hub): the instansi's fields only.
        assert_eq!(boleh_memutuskan(Some(&BTreeSet::new()), "data_utama.tmt_jabatan", "TMT jabatan"), Ok(()));
        assert_eq!(boleh_memutuskan(None, "data_utama.unor_id", "Unor"), Ok(()));
        assert!(boleh_memutuskan(None, "data_utama.nama", "Nama").is_err());
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
