//! Decoders for the keluarga responses: `data-pasangan`, `data-anak` and `data-ortu` (siasn-api.md §2.2).
//!
//! Same envelope and warning rules as [`crate::siasn::ws::decode_riwayat`]: a 404 `code 0` body, `"record not found"`
//! or an empty list is "no family members" without a warning; an unreadable body is one warning; an item that is
//! not an object is reported and skipped; every other item is kept even if some fields are unreadable. Warnings
//! name the pegawai (`nip …`) and the item (`data-pasangan[0].orang.tglLahir`). Personal data: the decoders never
//! log. They do no IO and know nothing of the `Pegawai` document beyond the keluarga types.
//!
//! `data-ortu`: no sample of its body was found (siasn-api.md §2.2 lists none). S4 (laravel-siasn-simpeg) stores it
//! as `ayah_id`/`ibu_id` plus separate `orangtua_ayah`/`orangtua_ibu` tables with the `orang` fields, so the guess
//! is `data: {ayah: {…}, ibu: {…}}`. [`decode_orang_tua`] also accepts `data.listOrtu[]` (or `listOrangTua`,
//! `orangTua`), a bare array of persons and a single person object.

use serde_json::{Map, Value};

use crate::id::Nip;
use crate::pegawai::JenisKelamin;
use crate::pegawai::keluarga::{Anak, OrangTua, Pasangan};
use crate::siasn::data_utama::parse_jenis_kelamin;
use crate::siasn::field::{FieldReader, JsonRecord, Source};
use crate::siasn::ws::{is_not_found_text, malformed, open_payload};
use crate::warning::{Warning, WarningKind};

/// Decodes a `data-pasangan` body (`data.listPasangan[]`, each `{orang, statusNikah, dataPernikahan}`) for `nip`.
///
/// A flat item (the `orang` fields at the top level, no `orang` object) is read too.
pub fn decode_pasangan(body: &str, nip: &Nip, warnings: &mut Vec<Warning>) -> Vec<Pasangan> {
    const ENDPOINT: &str = "data-pasangan";
    let label = format!("nip {nip}");
    let Some(data) = open_payload(body, &label, ENDPOINT, warnings) else { return Vec::new() };
    let Some(items) = list_items(&data, &["listPasangan", "pasangan"], &label, ENDPOINT, warnings) else {
        return Vec::new();
    };
    objects(items, &label, ENDPOINT, warnings)
        .into_iter()
        .map(|(index, item)| pasangan(item, &label, &format!("{ENDPOINT}[{index}]."), warnings))
        .collect()
}

/// Decodes a `data-anak` body (`data.listAnak[]`) for `nip`.
pub fn decode_anak(body: &str, nip: &Nip, warnings: &mut Vec<Warning>) -> Vec<Anak> {
    const ENDPOINT: &str = "data-anak";
    let label = format!("nip {nip}");
    let Some(data) = open_payload(body, &label, ENDPOINT, warnings) else { return Vec::new() };
    let Some(items) = list_items(&data, &["listAnak", "anak"], &label, ENDPOINT, warnings) else {
        return Vec::new();
    };
    objects(items, &label, ENDPOINT, warnings)
        .into_iter()
        .map(|(index, item)| anak(item, &label, &format!("{ENDPOINT}[{index}]."), warnings))
        .collect()
}

/// Decodes a `data-ortu` body for `nip`. The shape is a guess (see the module doc): `data.ayah` / `data.ibu`
/// objects (their key becomes [`OrangTua::hubungan`]), `data.listOrtu[]`, a bare array, or one person object.
pub fn decode_orang_tua(body: &str, nip: &Nip, warnings: &mut Vec<Warning>) -> Vec<OrangTua> {
    const ENDPOINT: &str = "data-ortu";
    let label = format!("nip {nip}");
    let Some(data) = open_payload(body, &label, ENDPOINT, warnings) else { return Vec::new() };
    let mut people = Vec::new();
    if let Value::Object(object) = &data {
        let record = JsonRecord::new(object);
        let mut found_parent_key = false;
        for (hubungan, keys) in [("ayah", ["ayah", "dataAyah"]), ("ibu", ["ibu", "dataIbu"])] {
            let Some(value) = record.value(&keys) else { continue };
            found_parent_key = true;
            let field = format!("{ENDPOINT}.{hubungan}");
            match value {
                Value::Object(person) => {
                    let mut parent = orang_tua(person, &label, &format!("{field}."), warnings);
                    parent.hubungan.get_or_insert_with(|| hubungan.to_owned());
                    people.push(parent);
                }
                Value::Null => {}
                Value::String(text) if crate::date::is_null_like(text) => {}
                other => warnings.push(shape_warning(&label, &field, other, "data orang tua bukan objek; dilewati")),
            }
        }
        if found_parent_key {
            return people;
        }
        if !has_list_key(&record, &["listOrtu", "listOrangTua", "orangTua", "ortu"]) && looks_like_person(&record) {
            people.push(orang_tua(object, &label, &format!("{ENDPOINT}."), warnings));
            return people;
        }
    }
    let Some(items) = list_items(&data, &["listOrtu", "listOrangTua", "orangTua", "ortu"], &label, ENDPOINT, warnings)
    else {
        return people;
    };
    for (index, item) in objects(items, &label, ENDPOINT, warnings) {
        people.push(orang_tua(item, &label, &format!("{ENDPOINT}[{index}]."), warnings));
    }
    people
}

/// Reads one `listPasangan[]` item.
fn pasangan(item: &Map<String, Value>, label: &str, prefix: &str, warnings: &mut Vec<Warning>) -> Pasangan {
    let outer = JsonRecord::new(item);
    let orang = nested(&outer, "orang", item, label, prefix, warnings);
    let nikah = nested(&outer, "dataPernikahan", item, label, prefix, warnings);

    let orang_record = JsonRecord::new(orang);
    let orang_prefix = if std::ptr::eq(orang, item) { prefix.to_owned() } else { format!("{prefix}orang.") };
    let mut reader = FieldReader::new(&orang_record, label, &orang_prefix, warnings);
    let mut pasangan = Pasangan {
        id: reader.code(&["id"]),
        nama: reader.text(&["nama"]),
        nama_ktp: reader.text(&["namaKtp"]),
        gelar_depan: reader.text(&["gelarDepan"]),
        gelar_belakang: reader.text(&["gelarBlk", "gelarBelakang"]),
        tempat_lahir: reader.text(&["tempatLahir"]),
        tgl_lahir: reader.date(&["tglLahir"]),
        tgl_meninggal: reader.date_or_none(&["tglMeninggal"]),
        akta_meninggal: reader.text(&["aktaMeninggal"]),
        jenis_kelamin: jenis_kelamin(&mut reader),
        status_hidup: reader.code(&["StatusHidup"]),
        status_kawin_id: reader.code(&["JenisKawinId"]),
        karis_karsu: reader.text(&["karisKarsu", "karis_karsu"]),
        nik: reader.code(&["nik", "nomorIdentitas"]),
        ..Pasangan::default()
    };
    let mut raw = reader.into_raw();

    let mut reader = FieldReader::new(&outer, label, prefix, warnings);
    pasangan.status_nikah = reader.text(&["statusNikah"]);
    raw.extend(reader.into_raw());

    let nikah_record = JsonRecord::new(nikah);
    let nikah_prefix = if std::ptr::eq(nikah, item) { prefix.to_owned() } else { format!("{prefix}dataPernikahan.") };
    let mut reader = FieldReader::new(&nikah_record, label, &nikah_prefix, warnings);
    // A flat item has no marriage id of its own: its `id` is the person's.
    pasangan.pernikahan_id = if std::ptr::eq(nikah, item) { None } else { reader.code(&["id"]) };
    pasangan.tgl_menikah = reader.date(&["tgglMenikah", "tglMenikah"]);
    pasangan.akta_menikah = reader.text(&["aktaMenikah"]);
    pasangan.tgl_cerai = reader.date_or_none(&["tgglCerai", "tglCerai"]);
    pasangan.akta_cerai = reader.text(&["aktaCerai"]);
    pasangan.posisi = reader.int(&["posisi"]);
    pasangan.status = reader.code(&["status"]);
    pasangan.is_pns = reader.flag(&["isPns"]);
    pasangan.no_sk_pensiun = reader.text(&["noSkPensiun"]);
    let nikah_raw = reader.into_raw();
    if std::ptr::eq(nikah, item) {
        raw.extend(nikah_raw);
    } else {
        raw.extend(nikah_raw.into_iter().map(|(key, value)| (format!("dataPernikahan.{key}"), value)));
    }
    pasangan.raw = raw;
    pasangan
}

/// Reads one `listAnak[]` item.
fn anak(item: &Map<String, Value>, label: &str, prefix: &str, warnings: &mut Vec<Warning>) -> Anak {
    let record = JsonRecord::new(item);
    let mut reader = FieldReader::new(&record, label, prefix, warnings);
    let mut anak = Anak {
        id: reader.code(&["id"]),
        nama: reader.text(&["nama"]),
        nama_ktp: reader.text(&["namaKtp"]),
        jenis_kelamin: jenis_kelamin(&mut reader),
        tgl_lahir: reader.date(&["tglLahir"]),
        tempat_lahir: reader.text(&["tempatLahir"]),
        kabupaten_id: reader.code(&["kabupatenId"]),
        jenis_anak: reader.code(&["jenisAnak"]),
        status_hidup: reader.code(&["StatusHidup"]),
        ayah_id: reader.code(&["ayahId"]),
        ibu_id: reader.code(&["ibuId"]),
        akta_kelahiran: reader.text(&["aktaKelahiran"]),
        raw: Default::default(),
    };
    anak.raw = reader.into_raw();
    anak
}

/// Reads one parent.
fn orang_tua(item: &Map<String, Value>, label: &str, prefix: &str, warnings: &mut Vec<Warning>) -> OrangTua {
    let record = JsonRecord::new(item);
    let mut reader = FieldReader::new(&record, label, prefix, warnings);
    let mut parent = OrangTua {
        id: reader.code(&["id", "orangId"]),
        nama: reader.text(&["nama"]),
        jenis_kelamin: jenis_kelamin(&mut reader),
        tgl_lahir: reader.date(&["tglLahir"]),
        tempat_lahir: reader.text(&["tempatLahir"]),
        status_hidup: reader.code(&["StatusHidup"]),
        hubungan: reader.text(&["hubungan", "hubunganKeluarga", "jenisOrtu"]),
        tgl_meninggal: reader.date_or_none(&["tglMeninggal"]),
        akta_meninggal: reader.text(&["aktaMeninggal"]),
        raw: Default::default(),
    };
    parent.raw = reader.into_raw();
    parent
}

/// `jenisKelamin` read with [`parse_jenis_kelamin`]; an unknown value is reported and kept in `raw`.
fn jenis_kelamin<S: Source + ?Sized>(reader: &mut FieldReader<'_, S>) -> Option<JenisKelamin> {
    let raw = reader.text(&["jenisKelamin"])?;
    let value = parse_jenis_kelamin(&raw);
    if value.is_none() {
        reader.warn("jenisKelamin", &raw, WarningKind::UnknownCode, "jenis kelamin bukan M/F/L/P; dikosongkan");
    }
    value
}

/// The object under `key` of `outer` (e.g. `orang`), or `item` itself when the key is absent or null (a flat item).
/// A value of another type is reported and the item itself is read instead.
fn nested<'a>(
    outer: &JsonRecord<'a>,
    key: &str,
    item: &'a Map<String, Value>,
    label: &str,
    prefix: &str,
    warnings: &mut Vec<Warning>,
) -> &'a Map<String, Value> {
    match outer.value(&[key]) {
        Some(Value::Object(object)) => object,
        None | Some(Value::Null) => item,
        Some(other) => {
            let message = format!("{key} bukan objek; diabaikan");
            warnings.push(shape_warning(label, &format!("{prefix}{key}"), other, &message));
            item
        }
    }
}

/// The items of a keluarga payload: the payload itself when it is an array, else the first of `keys` (matched like
/// field keys). `None` (no warning) when the list is null, empty-like or SI-ASN's "none" text
/// (`"listAnak": "Data tidak ditemukan"`); `None` with a warning when the payload has no list at all.
fn list_items<'a>(
    data: &'a Value,
    keys: &[&str],
    label: &str,
    endpoint: &str,
    warnings: &mut Vec<Warning>,
) -> Option<&'a [Value]> {
    match data {
        Value::Array(items) => Some(items),
        Value::Object(object) => {
            let record = JsonRecord::new(object);
            match record.value(keys) {
                Some(Value::Array(items)) => Some(items),
                Some(Value::Null) => None,
                Some(Value::String(text)) if crate::date::is_null_like(text) || is_not_found_text(text) => None,
                Some(other) => {
                    let field = format!("{endpoint}.{}", keys.first().copied().unwrap_or_default());
                    warnings.push(shape_warning(label, &field, other, "daftar keluarga bukan larik; diabaikan"));
                    None
                }
                None => {
                    warnings.push(malformed(
                        label,
                        endpoint,
                        &data.to_string(),
                        "daftar keluarga tidak ada di respons",
                    ));
                    None
                }
            }
        }
        other => {
            warnings.push(malformed(label, endpoint, &other.to_string(), "data keluarga bukan objek atau larik"));
            None
        }
    }
}

/// The object items with their index; every other item is reported and skipped.
fn objects<'a>(
    items: &'a [Value],
    label: &str,
    endpoint: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<(usize, &'a Map<String, Value>)> {
    let mut objects = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::Object(object) => objects.push((index, object)),
            other => warnings.push(shape_warning(
                label,
                &format!("{endpoint}[{index}]"),
                other,
                "baris keluarga bukan objek; dilewati",
            )),
        }
    }
    objects
}

/// True when any of `keys` is present.
fn has_list_key(record: &JsonRecord<'_>, keys: &[&str]) -> bool {
    record.value(keys).is_some()
}

/// True for an object that reads as one person (it has a `nama` or an `id` and a `tglLahir`).
fn looks_like_person(record: &JsonRecord<'_>) -> bool {
    record.value(&["nama"]).is_some() || (record.value(&["id"]).is_some() && record.value(&["tglLahir"]).is_some())
}

/// An [`WarningKind::UnexpectedShape`] warning with the value shown compactly (cut to 300 characters).
fn shape_warning(label: &str, field: &str, value: &Value, message: &str) -> Warning {
    Warning {
        record: label.to_owned(),
        field: field.to_owned(),
        raw: value.to_string().chars().take(300).collect(),
        kind: WarningKind::UnexpectedShape,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
