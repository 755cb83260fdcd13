//! Decoders for the SI-ASN web service responses (`/apisiasn/1.0`, siasn-api.md §1.5, §2).
//!
//! Every response is an envelope: `{"code":1,"data":…}` on success, HTTP 404 `{"code":0,"data":"Data tidak
//! ditemukan"}` (or `"record not found"`) for "none", and WSO2 gateway errors `{code,message,description}`.
//! [`open_envelope`] tells them apart; the per-endpoint functions return the decoded records plus warnings and
//! never fail. They take response bodies, not URLs: fetching is the hub's job.

use serde_json::Value;

use crate::id::Nip;
use crate::pegawai::riwayat::RiwayatRow;
use crate::pegawai::{DataUtama, DokumenRef};
use crate::siasn::field::{FieldReader, JsonRecord, Source};
use crate::warning::{Warning, WarningKind};

pub use crate::siasn::data_utama::decode_data_utama_record;

/// What an SI-ASN response body holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    /// `code` 1 (or a bare array): the payload.
    Data(Value),
    /// The "nothing here" answers: 404 `code 0` with `"Data tidak ditemukan"`, `"record not found"`, or an empty
    /// `data`. An empty riwayat list, not an error.
    NotFound,
    /// Anything else: a gateway or application error, or a body that is not JSON. The text says what came back.
    Error(String),
}

/// Reads a response body into an [`Envelope`]; never fails.
///
/// Envelope keys are matched case-insensitively (`{"CODE":1,"DATA":…}`). `code 0` with an empty or null `data`
/// (`[]`, `{}`, `null`) is "none", like `"Data tidak ditemukan"`. An empty body is [`Envelope::NotFound`] too; the
/// decoders tell it apart with [`is_empty_body`] and report it, since SI-ASN never answers with nothing.
pub fn open_envelope(body: &str) -> Envelope {
    let body = body.trim_start_matches('\u{feff}').trim();
    if body.is_empty() {
        return Envelope::NotFound;
    }
    let value: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(_) if body.starts_with('<') => {
            return Envelope::Error("halaman HTML (galat gateway atau halaman login), bukan JSON".into());
        }
        Err(error) => return Envelope::Error(format!("bukan JSON: {error}")),
    };
    match value {
        Value::Array(_) => Envelope::Data(value),
        Value::Object(mut object) => {
            let code = key_of(&object, "code").and_then(|key| object.get(&key)).map(|code| match code {
                Value::String(text) => text.trim().to_owned(),
                other => other.to_string(),
            });
            let data = key_of(&object, "data").and_then(|key| object.remove(&key));
            match (code.as_deref(), data) {
                (_, Some(Value::String(text))) if is_not_found_text(&text) => Envelope::NotFound,
                (Some("1") | None, Some(Value::Null)) | (Some("0"), None | Some(Value::Null)) => Envelope::NotFound,
                (Some("0"), Some(data)) if is_empty_payload(&data) => Envelope::NotFound,
                (Some("1") | None, Some(data)) => Envelope::Data(data),
                (_, Some(Value::String(text))) => Envelope::Error(text),
                (code, _) => {
                    let message = ["message", "description", "error"]
                        .iter()
                        .find_map(|name| key_of(&object, name).and_then(|key| object.get(&key)?.as_str()))
                        .unwrap_or("tanpa pesan");
                    Envelope::Error(format!("code {}: {message}", code.unwrap_or("?")))
                }
            }
        }
        other => Envelope::Error(format!("bentuk respons tak terduga: {other}")),
    }
}

/// True for a body with nothing in it (whitespace and a BOM aside): a response that was not saved.
pub fn is_empty_body(body: &str) -> bool {
    body.trim_start_matches('\u{feff}').trim().is_empty()
}

/// The key of `object` equal to `name` ignoring ASCII case, as the object spells it.
fn key_of(object: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    if object.contains_key(name) {
        return Some(name.to_owned());
    }
    object.keys().find(|key| key.eq_ignore_ascii_case(name)).cloned()
}

fn is_empty_payload(data: &Value) -> bool {
    match data {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(object) => object.is_empty(),
        Value::String(text) => crate::date::is_null_like(text),
        _ => false,
    }
}

/// The texts SI-ASN puts in `data` for "none": `Data tidak ditemukan`, `record not found`, `not found`.
pub(crate) fn is_not_found_text(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    lower == "data tidak ditemukan" || lower == "record not found" || lower == "not found"
}

/// Decodes a `data-utama` response body for the pegawai `nip` (the NIP the file or request was for).
///
/// Returns `None` (with a warning) when the body holds no data utama; a partly unreadable one is still returned.
pub fn decode_data_utama(body: &str, nip: &Nip, warnings: &mut Vec<Warning>) -> Option<DataUtama> {
    let label = format!("nip {nip}");
    if is_empty_body(body) {
        warnings.push(empty_body_warning(&label, "data-utama"));
        return None;
    }
    let data = match open_envelope(body) {
        Envelope::Data(data) => data,
        Envelope::NotFound => {
            warnings.push(Warning {
                record: label,
                field: "data-utama".into(),
                raw: body_excerpt(body),
                kind: WarningKind::MissingValue,
                message: "data utama tidak ditemukan di SI-ASN (404 code 0); periksa NIP, lalu unduh ulang".into(),
            });
            return None;
        }
        Envelope::Error(text) => {
            let message = format!("respons data utama tidak dapat dibaca ({text}); unduh ulang respons");
            warnings.push(response_warning(&label, "data-utama", body, &message));
            return None;
        }
    };
    let Value::Object(object) = &data else {
        let message = "data utama bukan objek JSON; unduh ulang respons";
        warnings.push(response_warning(&label, "data-utama", &data.to_string(), message));
        return None;
    };
    let record = JsonRecord::new(object);
    let mut utama = decode_data_utama_record(&record, &label, warnings);
    if utama.nip.as_str().is_empty() {
        utama.nip = nip.clone();
    }
    let mut reader = FieldReader::new(&record, &label, "", warnings);
    utama.dokumen = decode_dokumen(record.value(&["path"]), &mut reader);
    let extra = reader.into_raw();
    utama.raw.extend(extra);
    Some(utama)
}

/// Decodes an `rw-*` response body into rows of `T` for the pegawai `nip`.
///
/// A 404 `code 0` body or an empty list gives no rows and no warning. A row that is not an object is reported and
/// skipped (there is nothing to keep); every other row is kept even if some of its fields are unreadable.
pub fn decode_riwayat<T: RiwayatRow>(body: &str, nip: &Nip, warnings: &mut Vec<Warning>) -> Vec<T> {
    let label = format!("nip {nip}");
    let Some(data) = open_payload(body, &label, T::ENDPOINT, warnings) else { return Vec::new() };
    let items = match data {
        Value::Array(items) => items,
        Value::Object(_) => vec![data],
        other => {
            let message = "riwayat bukan daftar; unduh ulang respons";
            warnings.push(response_warning(&label, T::ENDPOINT, &other.to_string(), message));
            return Vec::new();
        }
    };
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let prefix = format!("{}[{index}].", T::ENDPOINT);
        let Value::Object(object) = item else {
            warnings.push(Warning {
                record: label.clone(),
                field: format!("{}[{index}]", T::ENDPOINT),
                raw: item.to_string(),
                kind: WarningKind::UnexpectedShape,
                message: "baris riwayat bukan objek; dilewati".into(),
            });
            continue;
        };
        let record = JsonRecord::new(object);
        let mut reader = FieldReader::new(&record, &label, &prefix, warnings);
        let mut row = T::decode(&record, &mut reader);
        row.set_raw(reader.into_raw());
        rows.push(row);
    }
    rows
}

/// Reads a `path` value into document references.
///
/// `path` is `null`, an object keyed by ref dokumen id (`{"858": {dok_id, dok_nama, dok_uri, object, slug}}`), a
/// JSON-encoded string of that object (data-utama), or occasionally an array of the same entries.
pub fn decode_dokumen<S: Source + ?Sized>(value: Option<&Value>, reader: &mut FieldReader<'_, S>) -> Vec<DokumenRef> {
    let Some(value) = value else { return Vec::new() };
    let parsed;
    let value = match value {
        Value::String(text) if crate::date::is_null_like(text) => return Vec::new(),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(inner) => {
                parsed = inner;
                &parsed
            }
            Err(_) => {
                reader.warn("path", text, WarningKind::UnexpectedShape, "path bukan JSON; dokumen diabaikan");
                return Vec::new();
            }
        },
        other => other,
    };
    let entries: Vec<(Option<&str>, &Value)> = match value {
        Value::Null => return Vec::new(),
        Value::Object(map) => map.iter().map(|(key, entry)| (Some(key.as_str()), entry)).collect(),
        Value::Array(items) => items.iter().map(|entry| (None, entry)).collect(),
        other => {
            reader.warn("path", &other.to_string(), WarningKind::UnexpectedShape, "path tak terduga; diabaikan");
            return Vec::new();
        }
    };
    let mut dokumen = Vec::with_capacity(entries.len());
    for (key, entry) in entries {
        let Value::Object(object) = entry else { continue };
        let record = JsonRecord::new(object);
        let mut warnings = Vec::new();
        let mut fields = FieldReader::new(&record, "", "", &mut warnings);
        let dok_id = fields.code(&["dok_id", "dokId"]).or_else(|| key.map(str::to_owned)).unwrap_or_default();
        dokumen.push(DokumenRef {
            dok_id,
            dok_nama: fields.text(&["dok_nama", "dokNama"]),
            dok_uri: fields.text(&["dok_uri", "dokUri"]),
            object: fields.text(&["object"]),
            slug: fields.text(&["slug"]),
            berkas: None,
        });
    }
    dokumen
}

/// A [`WarningKind::MalformedResponse`] warning: `raw` is the start of the body (300 characters), `message` says
/// what the parser found and what to do.
fn response_warning(record: &str, field: &str, raw: &str, message: &str) -> Warning {
    Warning {
        record: record.to_owned(),
        field: field.to_owned(),
        raw: body_excerpt(raw),
        kind: WarningKind::MalformedResponse,
        message: message.to_owned(),
    }
}

/// The first 300 characters of a body, for a warning's `raw`.
fn body_excerpt(body: &str) -> String {
    body.trim_start_matches('\u{feff}').trim().chars().take(300).collect()
}

/// The warning for a saved data utama that is empty: it was not saved properly, which is not SI-ASN's "none".
fn empty_body_warning(record: &str, endpoint: &str) -> Warning {
    Warning {
        record: record.to_owned(),
        field: endpoint.to_owned(),
        raw: String::new(),
        kind: WarningKind::MissingValue,
        message: "berkas kosong: respons tidak tersimpan dengan benar; unduh ulang respons".into(),
    }
}

/// Opens the body of `endpoint` for `record`: its payload, or `None` for the "nothing here" answers and an empty
/// body (no warning: an empty riwayat is common and harmless) and for an unreadable body (one
/// [`WarningKind::MalformedResponse`] warning). Shared by the riwayat, keluarga and list decoders.
pub(crate) fn open_payload(body: &str, record: &str, endpoint: &str, warnings: &mut Vec<Warning>) -> Option<Value> {
    match open_envelope(body) {
        Envelope::Data(data) => Some(data),
        Envelope::NotFound => None,
        Envelope::Error(text) => {
            let message = format!("respons tidak dapat dibaca ({text}); unduh ulang respons");
            warnings.push(response_warning(record, endpoint, body, &message));
            None
        }
    }
}

/// A [`WarningKind::MalformedResponse`] warning about a whole response (raw value cut to 300 characters).
pub(crate) fn malformed(record: &str, field: &str, raw: &str, message: &str) -> Warning {
    response_warning(record, field, raw, message)
}

/// Every endpoint [`decode_pegawai`] asks for, named as in the URL (`GET /apisiasn/1.0/pns/<endpoint>/{nip}`):
/// `data-utama`, the riwayat of the pegawai document and keluarga. `rw-dp3` (pre-2014 DP3) is not part of the
/// document and is not asked for.
pub const PEGAWAI_ENDPOINTS: &[&str] = &[
    "data-utama",
    "rw-golongan",
    "rw-jabatan",
    "rw-pendidikan",
    "rw-diklat",
    "rw-kursus",
    "rw-angkakredit",
    "rw-skp",
    "rw-skp22",
    "rw-kinerjaperiodik",
    "rw-hukdis",
    "rw-penghargaan",
    "rw-pemberhentian",
    "rw-pindahinstansi",
    "rw-pnsunor",
    "rw-pwk",
    "rw-masakerja",
    "rw-cltn",
    "rw-sertifikasi",
    "data-pasangan",
    "data-anak",
    "data-ortu",
];

/// Assembles the whole [`crate::Pegawai`] document of `nip` from saved response bodies.
///
/// `body_of(endpoint)` returns the saved body of each endpoint of [`PEGAWAI_ENDPOINTS`], or `None` when it was not
/// saved: a riwayat or keluarga that was not saved is simply empty, without a warning. Returns `None` only when
/// there is no data utama: its body was not saved (a [`WarningKind::MissingValue`] warning) or holds none (warned
/// by [`decode_data_utama`]); the caller then reports the pegawai with those warnings and without derived facts. A data utama whose `nipBaru` is not `nip` is kept
/// as sent and reported ([`WarningKind::InvalidNip`]). Every other problem is a warning on `nip`.
pub fn decode_pegawai(
    nip: &Nip,
    body_of: &mut dyn FnMut(&str) -> Option<String>,
    warnings: &mut Vec<Warning>,
) -> Option<crate::pegawai::Pegawai> {
    use crate::siasn::keluarga;

    let Some(body) = body_of("data-utama") else {
        warnings.push(Warning {
            record: format!("nip {nip}"),
            field: "data-utama".into(),
            raw: String::new(),
            kind: WarningKind::MissingValue,
            message: "data utama tidak tersimpan; unduh data-utama/<nip>.json agar fakta pegawai dapat dihitung".into(),
        });
        return None;
    };
    let data_utama = decode_data_utama(&body, nip, warnings)?;
    if data_utama.nip != *nip {
        warnings.push(Warning {
            record: format!("nip {nip}"),
            field: "data-utama.nipBaru".into(),
            raw: data_utama.nip.to_string(),
            kind: WarningKind::InvalidNip,
            message: "data utama ini milik NIP lain; disimpan seperti yang dikirim".into(),
        });
    }
    Some(crate::pegawai::Pegawai {
        data_utama,
        riwayat_golongan: riwayat_of(nip, body_of, warnings),
        riwayat_jabatan: riwayat_of(nip, body_of, warnings),
        riwayat_pendidikan: riwayat_of(nip, body_of, warnings),
        riwayat_diklat: riwayat_of(nip, body_of, warnings),
        riwayat_kursus: riwayat_of(nip, body_of, warnings),
        riwayat_angka_kredit: riwayat_of(nip, body_of, warnings),
        riwayat_skp: riwayat_of(nip, body_of, warnings),
        riwayat_skp22: riwayat_of(nip, body_of, warnings),
        riwayat_kinerja_periodik: riwayat_of(nip, body_of, warnings),
        riwayat_hukdis: riwayat_of(nip, body_of, warnings),
        riwayat_penghargaan: riwayat_of(nip, body_of, warnings),
        riwayat_pemberhentian: riwayat_of(nip, body_of, warnings),
        riwayat_pindah_instansi: riwayat_of(nip, body_of, warnings),
        riwayat_pns_unor: riwayat_of(nip, body_of, warnings),
        riwayat_pwk: riwayat_of(nip, body_of, warnings),
        riwayat_masa_kerja: riwayat_of(nip, body_of, warnings),
        riwayat_cltn: riwayat_of(nip, body_of, warnings),
        riwayat_sertifikasi: riwayat_of(nip, body_of, warnings),
        pasangan: body_of("data-pasangan")
            .map(|body| keluarga::decode_pasangan(&body, nip, warnings))
            .unwrap_or_default(),
        anak: body_of("data-anak").map(|body| keluarga::decode_anak(&body, nip, warnings)).unwrap_or_default(),
        orang_tua: body_of("data-ortu")
            .map(|body| keluarga::decode_orang_tua(&body, nip, warnings))
            .unwrap_or_default(),
        // SI-ASN knows nothing of the officers' follow-ups.
        tindak_lanjut: std::collections::BTreeMap::new(),
    })
}

/// The rows of riwayat `T` from its saved body; none when the body was not saved.
fn riwayat_of<T: RiwayatRow>(
    nip: &Nip,
    body_of: &mut dyn FnMut(&str) -> Option<String>,
    warnings: &mut Vec<Warning>,
) -> Vec<T> {
    body_of(T::ENDPOINT).map(|body| decode_riwayat(&body, nip, warnings)).unwrap_or_default()
}

#[cfg(test)]
mod tests;
