//! The pegawai document: one ASN's data utama, every riwayat, keluarga and document references (DESIGN §3.1).
//!
//! Field names are the SI-ASN terms in snake_case (`tmt_golongan`, `golongan_akhir_id`); codes are the reference
//! ids of `schemas/referensi/` kept as strings. Every record keeps `raw`: the raw value of each field a decoder
//! had to change or could not read, so nothing SI-ASN sent is lost. This module holds types only; decoding is in
//! [`crate::siasn`], rules in [`crate::rules`], derived facts in [`crate::fakta`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Tanggal;
use crate::id::{Nik, Nip, PnsId};

pub mod keluarga;
pub mod riwayat;

pub use keluarga::{Anak, OrangTua, Pasangan};
pub use riwayat::*;

/// One ASN's whole profile: the pegawai document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Pegawai {
    /// Data utama (`GET /pns/data-utama/{nip}`, or one row of the "Export Data ASN" CSV).
    pub data_utama: DataUtama,
    /// Riwayat golongan/pangkat (`rw-golongan`), oldest first as SI-ASN sends it.
    #[serde(default)]
    pub riwayat_golongan: Vec<RiwayatGolongan>,
    /// Riwayat jabatan (`rw-jabatan`).
    #[serde(default)]
    pub riwayat_jabatan: Vec<RiwayatJabatan>,
    /// Riwayat pendidikan (`rw-pendidikan`).
    #[serde(default)]
    pub riwayat_pendidikan: Vec<RiwayatPendidikan>,
    /// Riwayat diklat struktural (`rw-diklat`).
    #[serde(default)]
    pub riwayat_diklat: Vec<RiwayatDiklat>,
    /// Riwayat kursus / diklat teknis (`rw-kursus`).
    #[serde(default)]
    pub riwayat_kursus: Vec<RiwayatKursus>,
    /// Riwayat angka kredit (`rw-angkakredit`).
    #[serde(default)]
    pub riwayat_angka_kredit: Vec<RiwayatAngkaKredit>,
    /// SKP up to 2021 (`rw-skp`).
    #[serde(default)]
    pub riwayat_skp: Vec<RiwayatSkp>,
    /// SKP 2022 onwards, PermenPANRB 6/2022 (`rw-skp22`).
    #[serde(default)]
    pub riwayat_skp22: Vec<RiwayatSkp22>,
    /// Kinerja periodik, monthly or quarterly (`rw-kinerjaperiodik`).
    #[serde(default)]
    pub riwayat_kinerja_periodik: Vec<RiwayatKinerjaPeriodik>,
    /// Hukuman disiplin (`rw-hukdis`).
    #[serde(default)]
    pub riwayat_hukdis: Vec<RiwayatHukdis>,
    /// Penghargaan (`rw-penghargaan`).
    #[serde(default)]
    pub riwayat_penghargaan: Vec<RiwayatPenghargaan>,
    /// Pemberhentian (`rw-pemberhentian`).
    #[serde(default)]
    pub riwayat_pemberhentian: Vec<RiwayatPemberhentian>,
    /// Pindah instansi (`rw-pindahinstansi`).
    #[serde(default)]
    pub riwayat_pindah_instansi: Vec<RiwayatPindahInstansi>,
    /// PNS unor changes (`rw-pnsunor`).
    #[serde(default)]
    pub riwayat_pns_unor: Vec<RiwayatPnsUnor>,
    /// Pindah wilayah kerja (`rw-pwk`).
    #[serde(default)]
    pub riwayat_pwk: Vec<RiwayatPwk>,
    /// Peninjauan masa kerja, PMK (`rw-masakerja`).
    #[serde(default)]
    pub riwayat_masa_kerja: Vec<RiwayatMasaKerja>,
    /// Cuti di luar tanggungan negara (`rw-cltn`).
    #[serde(default)]
    pub riwayat_cltn: Vec<RiwayatCltn>,
    /// Sertifikasi (`rw-sertifikasi`).
    #[serde(default)]
    pub riwayat_sertifikasi: Vec<RiwayatSertifikasi>,
    /// Suami/istri (`data-pasangan`). Personal data.
    #[serde(default)]
    pub pasangan: Vec<Pasangan>,
    /// Anak (`data-anak`). Personal data.
    #[serde(default)]
    pub anak: Vec<Anak>,
    /// Orang tua (`data-ortu`). Personal data.
    #[serde(default)]
    pub orang_tua: Vec<OrangTua>,
    /// Follow-ups recorded on this pegawai's reminders, keyed by [`crate::pengingat::kunci`] (`"kgb-2027-03-01"`).
    /// Not from SI-ASN: an import carries it empty, which keeps what the officers recorded. Always written, even
    /// empty: a document made with the map lets two officers' first follow-ups merge (two devices each creating it
    /// would conflict on the map itself). Read leniently ([`crate::pengingat::baca_tindak_lanjut`]).
    #[serde(default, deserialize_with = "crate::pengingat::baca_tindak_lanjut")]
    pub tindak_lanjut: BTreeMap<String, crate::pengingat::TindakLanjut>,
}

/// PNS, CPNS or PPPK: the kind of ASN (UU 20/2023 Pasal 6; SI-ASN `statusPegawai`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum JenisAsn {
    /// Pegawai Negeri Sipil.
    #[serde(rename = "PNS")]
    Pns,
    /// Calon PNS, in the probation year(s) before the SK PNS.
    #[serde(rename = "CPNS")]
    Cpns,
    /// Pegawai Pemerintah dengan Perjanjian Kerja (NI PPPK instead of NIP).
    #[serde(rename = "PPPK")]
    Pppk,
}

impl JenisAsn {
    /// `"PNS"`, `"CPNS"` or `"PPPK"`.
    pub fn as_str(self) -> &'static str {
        match self {
            JenisAsn::Pns => "PNS",
            JenisAsn::Cpns => "CPNS",
            JenisAsn::Pppk => "PPPK",
        }
    }
}

/// Jenis kelamin, written `L`/`P` as Indonesian forms do (SI-ASN sends `M`/`F`; NIP digit 15 is 1/2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum JenisKelamin {
    /// Laki-laki (SI-ASN `M`, NIP digit 15 = 1).
    #[serde(rename = "L")]
    LakiLaki,
    /// Perempuan (SI-ASN `F`, NIP digit 15 = 2, NIK day + 40).
    #[serde(rename = "P")]
    Perempuan,
}

/// Data utama of one ASN, normalised from the SI-ASN web service or the "Export Data ASN" CSV.
///
/// Every field is optional except the NIP: SI-ASN leaves any of them empty. Dates are calendar dates.
/// Codes are reference ids (`schemas/referensi/`); the matching `*_nama` is what SI-ASN sent, kept for display.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DataUtama {
    /// SI-ASN person id (`id` / `pns_id`).
    pub pns_id: Option<PnsId>,
    /// NIP baru or NI PPPK, 18 digits when valid (`nipBaru` / `nip_baru`).
    pub nip: Nip,
    /// The old 9-character NIP, possibly alphanumeric (`nipLama`).
    pub nip_lama: Option<String>,
    /// Nama without gelar, as SI-ASN writes it (usually upper case).
    pub nama: String,
    /// Gelar depan (`dr.`, `Ir.`, `H.`).
    pub gelar_depan: Option<String>,
    /// Gelar belakang (`S.Pd.`, `M.Si.`).
    pub gelar_belakang: Option<String>,
    /// Tempat lahir id (lokasi GUID).
    pub tempat_lahir_id: Option<String>,
    /// Tempat lahir, name.
    pub tempat_lahir: Option<String>,
    /// Tanggal lahir.
    pub tgl_lahir: Option<Tanggal>,
    /// Jenis kelamin.
    pub jenis_kelamin: Option<JenisKelamin>,
    /// Agama id (`referensi/agama.json`).
    pub agama_id: Option<String>,
    /// Agama, name as sent.
    pub agama_nama: Option<String>,
    /// Status kawin id (`referensi/status-kawin.json`).
    pub status_kawin_id: Option<String>,
    /// Status kawin, name as sent.
    pub status_kawin_nama: Option<String>,
    /// NIK. Personal data: encrypted at rest, never logged.
    pub nik: Option<Nik>,
    /// Whether Dukcapil validated the NIK (`validNik`; absent from the CSV).
    pub valid_nik: Option<bool>,
    /// Personal email (`email`).
    pub email: Option<String>,
    /// Government email (`emailGov`).
    pub email_gov: Option<String>,
    /// Mobile number (`noHp` / `nomor_hp`).
    pub no_hp: Option<String>,
    /// Landline (`noTelp`).
    pub no_telp: Option<String>,
    /// Alamat. Personal data.
    pub alamat: Option<String>,
    /// NPWP number.
    pub npwp: Option<String>,
    /// BPJS number.
    pub bpjs: Option<String>,
    /// Kartu ASN (virtual) number.
    pub kartu_asn: Option<String>,
    /// Jenis pegawai id (`referensi/jenis-pegawai.json`).
    pub jenis_pegawai_id: Option<String>,
    /// Jenis pegawai, name as sent.
    pub jenis_pegawai_nama: Option<String>,
    /// PNS, CPNS or PPPK.
    pub jenis_asn: Option<JenisAsn>,
    /// Kedudukan hukum id (`kedudukanPnsId`; `referensi/kedudukan-hukum.json`).
    pub kedudukan_hukum_id: Option<String>,
    /// Kedudukan hukum, name as sent.
    pub kedudukan_hukum_nama: Option<String>,
    /// Nomor SK CPNS.
    pub nomor_sk_cpns: Option<String>,
    /// Tanggal SK CPNS.
    pub tgl_sk_cpns: Option<Tanggal>,
    /// TMT CPNS.
    pub tmt_cpns: Option<Tanggal>,
    /// Nomor SK PNS.
    pub nomor_sk_pns: Option<String>,
    /// Tanggal SK PNS.
    pub tgl_sk_pns: Option<Tanggal>,
    /// TMT PNS.
    pub tmt_pns: Option<Tanggal>,
    /// Golongan awal id (`golRuangAwalId` / `gol_awal_id`).
    pub golongan_awal_id: Option<String>,
    /// Golongan akhir id (`golRuangAkhirId` / `gol_akhir_id`); empty for PPPK.
    pub golongan_akhir_id: Option<String>,
    /// TMT golongan akhir (`tmtGolAkhir` / `tmt_golongan`).
    pub tmt_golongan: Option<Tanggal>,
    /// Masa kerja golongan, years (`mkTahun`).
    pub mk_golongan_tahun: Option<i64>,
    /// Masa kerja golongan, months (`mkBulan`).
    pub mk_golongan_bulan: Option<i64>,
    /// Jenis jabatan id: 1 struktural, 2 fungsional tertentu, 4 fungsional umum/pelaksana.
    pub jenis_jabatan_id: Option<String>,
    /// Jabatan id (the struktural unor id, or the JF/JFU reference id).
    pub jabatan_id: Option<String>,
    /// Jabatan name (`jabatanNama` / `jabatan_nama`).
    pub jabatan_nama: Option<String>,
    /// TMT jabatan.
    pub tmt_jabatan: Option<Tanggal>,
    /// Eselon id of a struktural jabatan (`referensi/eselon.json`); absent from the CSV.
    pub eselon_id: Option<String>,
    /// Jenjang jabatan fungsional code (`kode_jenjang_jabatan`: PT, MU, MA, UT, PM, TR, MH, PY).
    pub jenjang_jabatan: Option<String>,
    /// Tingkat pendidikan terakhir id (`referensi/tingkat-pendidikan.json`).
    pub tingkat_pendidikan_id: Option<String>,
    /// Tingkat pendidikan terakhir, name as sent.
    pub tingkat_pendidikan_nama: Option<String>,
    /// Pendidikan terakhir id (pendidikan GUID).
    pub pendidikan_id: Option<String>,
    /// Pendidikan terakhir, name as sent.
    pub pendidikan_nama: Option<String>,
    /// Tahun lulus.
    pub tahun_lulus: Option<String>,
    /// Unor id (`unorId` / `unor_id`).
    pub unor_id: Option<String>,
    /// Unor name as sent (trailing spaces removed).
    pub unor_nama: Option<String>,
    /// Unor induk id.
    pub unor_induk_id: Option<String>,
    /// Unor induk name.
    pub unor_induk_nama: Option<String>,
    /// Instansi induk id.
    pub instansi_induk_id: Option<String>,
    /// Instansi induk name.
    pub instansi_induk_nama: Option<String>,
    /// Instansi kerja id.
    pub instansi_kerja_id: Option<String>,
    /// Instansi kerja name.
    pub instansi_kerja_nama: Option<String>,
    /// Satuan kerja induk id.
    pub satuan_kerja_induk_id: Option<String>,
    /// Satuan kerja kerja id.
    pub satuan_kerja_kerja_id: Option<String>,
    /// Lokasi kerja id.
    pub lokasi_kerja_id: Option<String>,
    /// Lokasi kerja name.
    pub lokasi_kerja_nama: Option<String>,
    /// KPKN id.
    pub kpkn_id: Option<String>,
    /// KPKN name.
    pub kpkn_nama: Option<String>,
    /// TMT pensiun as SI-ASN computed it (`tmtPensiun`), kept to compare with ours.
    pub tmt_pensiun_siasn: Option<Tanggal>,
    /// BUP as SI-ASN computed it (`bupPensiun`), years.
    pub bup_siasn: Option<i64>,
    /// Document references of data utama (`path`, a JSON string in data-utama), keyed by ref dokumen id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dokumen: Vec<DokumenRef>,
    /// Raw values of fields that were changed or could not be read, keyed by the source's field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

impl DataUtama {
    /// Nama with gelar, as it is written on an SK: `dr. RATNA RAHMAWATI, Sp.B.`.
    pub fn nama_lengkap(&self) -> String {
        let mut name = String::new();
        if let Some(depan) = &self.gelar_depan {
            name.push_str(depan);
            name.push(' ');
        }
        name.push_str(&self.nama);
        if let Some(belakang) = &self.gelar_belakang {
            name.push_str(", ");
            name.push_str(belakang);
        }
        name
    }
}

/// A document of a record: one SI-ASN holds (`path` entries: `{dok_id, dok_nama, dok_uri, object, slug}`), or a
/// file attached locally and not yet uploaded ([`DokumenRef::berkas`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DokumenRef {
    /// Ref dokumen id (`referensi/ref-dokumen.json`), e.g. `"872"` Dok SK Jabatan.
    pub dok_id: String,
    /// Document name as sent.
    pub dok_nama: Option<String>,
    /// Storage URI at SI-ASN (for `GET /download-dok?filePath=`).
    pub dok_uri: Option<String>,
    /// Object key at SI-ASN.
    pub object: Option<String>,
    /// Slug as sent.
    pub slug: Option<String>,
    /// The local file attached on a device (or at the hub), not yet uploaded to SI-ASN; `None` for a document
    /// SI-ASN already holds. Its `sha256` makes it a synced blob (`sync::blob`), so the hub holds the bytes it
    /// uploads through `POST /upload-dok-rw` (siasn-api.md §1.3 Documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub berkas: Option<crate::usulan::BlobRef>,
}
