//! Keluarga: pasangan, anak and orang tua (`data-pasangan`, `data-anak`, `data-ortu`; siasn-api.md §2.2).
//! Personal data: encrypted at rest, never logged.
//!
//! Types only, normalised like the riwayat rows: codes as strings, dates as calendar dates (the `01-01-0001`
//! sentinel SI-ASN writes for "none" becomes `None`), `raw` keeping what a decoder had to change or could not read.
//! Decoding is in [`crate::siasn::keluarga`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Tanggal;
use crate::pegawai::JenisKelamin;

/// A spouse (suami/istri) with the marriage data: one `listPasangan[]` item of `data-pasangan`, i.e. its `orang`
/// (the person), `statusNikah` and `dataPernikahan` (the marriage) flattened into one record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Pasangan {
    /// Person id at SI-ASN (`orang.id`, a UUID with dashes).
    pub id: Option<String>,
    /// Nama as SI-ASN writes it (`orang.nama`).
    pub nama: Option<String>,
    /// Nama as on the KTP (`orang.namaKtp`), often empty.
    pub nama_ktp: Option<String>,
    /// Gelar depan (`orang.gelarDepan`).
    pub gelar_depan: Option<String>,
    /// Gelar belakang (`orang.gelarBlk`, sic).
    pub gelar_belakang: Option<String>,
    /// Tempat lahir, name (`orang.tempatLahir`).
    pub tempat_lahir: Option<String>,
    /// Tanggal lahir (`orang.tglLahir`).
    pub tgl_lahir: Option<Tanggal>,
    /// Tanggal meninggal (`orang.tglMeninggal`); SI-ASN's `01-01-0001` "none" sentinel is read as `None`.
    pub tgl_meninggal: Option<Tanggal>,
    /// Nomor akta kematian (`orang.aktaMeninggal`).
    pub akta_meninggal: Option<String>,
    /// Jenis kelamin (`orang.jenisKelamin`, `M`/`F` on the wire).
    pub jenis_kelamin: Option<JenisKelamin>,
    /// Status hidup code as sent (`orang.StatusHidup`, capital S; `"1"` hidup).
    pub status_hidup: Option<String>,
    /// Status kawin id of the spouse (`orang.JenisKawinId`, capital J; `referensi/status-kawin.json`).
    pub status_kawin_id: Option<String>,
    /// Nomor karis/karsu (`orang.karisKarsu`; SI-ASN sends the string `undefined` for none).
    pub karis_karsu: Option<String>,
    /// NIK / nomor identitas, when SI-ASN sends one (`nik` or `nomorIdentitas`; the write body carries it).
    pub nik: Option<String>,
    /// Status nikah as sent (`statusNikah`: `Menikah`, `Cerai`, …).
    pub status_nikah: Option<String>,
    /// Marriage record id at SI-ASN (`dataPernikahan.id`, a UUID).
    pub pernikahan_id: Option<String>,
    /// Tanggal menikah (`dataPernikahan.tgglMenikah`, sic).
    pub tgl_menikah: Option<Tanggal>,
    /// Nomor akta nikah (`dataPernikahan.aktaMenikah`).
    pub akta_menikah: Option<String>,
    /// Tanggal cerai (`dataPernikahan.tgglCerai`, sic); the `01-01-0001` sentinel is read as `None`.
    pub tgl_cerai: Option<Tanggal>,
    /// Nomor akta cerai (`dataPernikahan.aktaCerai`).
    pub akta_cerai: Option<String>,
    /// Position of this marriage (`dataPernikahan.posisi`, a number: 1 = first spouse).
    pub posisi: Option<i64>,
    /// Marriage status code (`dataPernikahan.status`; `"1"` menikah, `"2"` cerai as in `referensi/status-kawin.json`).
    pub status: Option<String>,
    /// Whether the spouse is also an ASN (`dataPernikahan.isPns`, a JSON boolean).
    pub is_pns: Option<bool>,
    /// Nomor SK pensiun of the spouse, for a pensioner spouse (`dataPernikahan.noSkPensiun`).
    pub no_sk_pensiun: Option<String>,
    /// Raw values of fields that were changed or could not be read; `dataPernikahan` fields are prefixed
    /// `dataPernikahan.`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

/// A child: one `listAnak[]` item of `data-anak`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Anak {
    /// Person id at SI-ASN (a UUID with dashes).
    pub id: Option<String>,
    /// Nama.
    pub nama: Option<String>,
    /// Nama as on the KTP (`namaKtp`), often empty.
    pub nama_ktp: Option<String>,
    /// Jenis kelamin (`M`/`F` on the wire).
    pub jenis_kelamin: Option<JenisKelamin>,
    /// Tanggal lahir.
    pub tgl_lahir: Option<Tanggal>,
    /// Tempat lahir, name.
    pub tempat_lahir: Option<String>,
    /// Kabupaten id of the place of birth (`kabupatenId`; in S4's table, not seen in samples).
    pub kabupaten_id: Option<String>,
    /// Jenis anak code as sent (`jenisAnak`; `"1"` anak kandung in the samples; SI-ASN referensi `jenis-anak`).
    pub jenis_anak: Option<String>,
    /// Status hidup code as sent (`StatusHidup`; `"1"` hidup).
    pub status_hidup: Option<String>,
    /// Person id of the father (`ayahId`: the spouse's `orang.id` or the PNS id).
    pub ayah_id: Option<String>,
    /// Person id of the mother (`ibuId`).
    pub ibu_id: Option<String>,
    /// Nomor akta kelahiran (`aktaKelahiran`).
    pub akta_kelahiran: Option<String>,
    /// Raw values of fields that were changed or could not be read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

/// A parent: one person of `data-ortu` (the wire shape was not observed; see [`crate::siasn::keluarga`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OrangTua {
    /// Person id at SI-ASN.
    pub id: Option<String>,
    /// Nama.
    pub nama: Option<String>,
    /// Jenis kelamin (`M`/`F` on the wire).
    pub jenis_kelamin: Option<JenisKelamin>,
    /// Tanggal lahir.
    pub tgl_lahir: Option<Tanggal>,
    /// Tempat lahir, name.
    pub tempat_lahir: Option<String>,
    /// Status hidup code as sent (`StatusHidup`; `"1"` hidup).
    pub status_hidup: Option<String>,
    /// `ayah` or `ibu` when the response says which parent this is (the `ayah`/`ibu` key it came under, or a
    /// `hubungan` field as sent). Never guessed from the jenis kelamin.
    pub hubungan: Option<String>,
    /// Tanggal meninggal; the `01-01-0001` sentinel is read as `None`.
    pub tgl_meninggal: Option<Tanggal>,
    /// Nomor akta kematian (`aktaMeninggal`).
    pub akta_meninggal: Option<String>,
    /// Raw values of fields that were changed or could not be read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}
