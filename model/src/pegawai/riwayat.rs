//! Riwayat rows: one struct per SI-ASN `rw-*` endpoint, with the lenient decoder generated beside it.
//!
//! Each row is declared once with [`riwayat_row!`]: its field, the reader kind (`text`, `code`, `date`,
//! `date_or_none`, `int`, `decimal`, `flag`) and the SI-ASN keys it may arrive under (first match wins, keys matched
//! case- and underscore-insensitively). Field lists follow `../shared/reference/siasn-api.md` §2.3. Every row keeps
//! its `dokumen` (the `path` object keyed by ref dokumen id) and `raw` values, like [`super::DataUtama`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Tanggal;
use crate::pegawai::DokumenRef;
use crate::siasn::field::{FieldReader, JsonRecord};
use crate::siasn::ws::decode_dokumen;

/// A riwayat row type that can be decoded from one element of an `rw-*` response's `data` array.
pub trait RiwayatRow: Sized {
    /// The SI-ASN endpoint, `GET /apisiasn/1.0/pns/<ENDPOINT>/{nip}`.
    const ENDPOINT: &'static str;
    /// Reads one row; problems go to the reader's warnings, the row is always returned.
    fn decode(record: &JsonRecord<'_>, reader: &mut FieldReader<'_, JsonRecord<'_>>) -> Self;
    /// The riwayat id as SI-ASN sent it, if any.
    fn riwayat_id(&self) -> Option<&str>;
    /// Stores the raw values the reader kept for this row.
    fn set_raw(&mut self, raw: BTreeMap<String, String>);
}

/// The Rust type of a field for each reader kind.
macro_rules! riwayat_field_type {
    (text) => { Option<String> };
    (code) => { Option<String> };
    (date) => { Option<Tanggal> };
    (date_or_none) => { Option<Tanggal> };
    (int) => { Option<i64> };
    (decimal) => { Option<f64> };
    (flag) => { Option<bool> };
}

/// Declares a riwayat row struct and its [`RiwayatRow`] decoder.
///
/// ```ignore
/// riwayat_row! {
///     /// Doc of the row.
///     RiwayatGolongan = "rw-golongan" {
///         /// Doc of the field.
///         golongan_id: code ["golonganId"],
///     }
/// }
/// ```
/// Every row gets `id: Option<String>` (key `id`), `dokumen` and `raw` in addition to the declared fields.
macro_rules! riwayat_row {
    (
        $(#[$meta:meta])*
        $name:ident = $endpoint:literal {
            $( $(#[$field_meta:meta])* $field:ident : $kind:ident [$($key:literal),+ $(,)?] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        pub struct $name {
            /// Riwayat id as SI-ASN sends it (opaque; either GUID style, never case-folded).
            pub id: Option<String>,
            $( $(#[$field_meta])* pub $field: riwayat_field_type!($kind), )*
            /// Documents attached at SI-ASN (`path`), by ref dokumen id.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub dokumen: Vec<DokumenRef>,
            /// Raw values of fields that were changed or could not be read.
            #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
            pub raw: BTreeMap<String, String>,
        }

        impl RiwayatRow for $name {
            const ENDPOINT: &'static str = $endpoint;

            fn decode(record: &JsonRecord<'_>, reader: &mut FieldReader<'_, JsonRecord<'_>>) -> Self {
                let id = reader.code(&["id"]);
                $( let $field = reader.$kind(&[$($key),+]); )*
                let dokumen = decode_dokumen(record.value(&["path"]), reader);
                Self { id, $($field,)* dokumen, raw: Default::default() }
            }

            fn riwayat_id(&self) -> Option<&str> {
                self.id.as_deref()
            }

            fn set_raw(&mut self, raw: BTreeMap<String, String>) {
                self.raw = raw;
            }
        }
    };
}

riwayat_row! {
    /// One step of riwayat golongan/pangkat (`rw-golongan`; siasn-api.md §2.3).
    RiwayatGolongan = "rw-golongan" {
        /// Golongan id, `"11"`..`"45"`.
        golongan_id: code ["golonganId"],
        /// Golongan as sent (`"III/d"`).
        golongan: text ["golongan"],
        /// Pangkat name as sent.
        pangkat: text ["pangkat"],
        /// Jenis KP id (`referensi/jenis-kp.json`: 101 reguler, 201–210 pilihan, 211 pengadaan).
        jenis_kp_id: code ["jenisKPId", "jenisKpId"],
        /// Jenis KP name as sent.
        jenis_kp_nama: text ["jenisKPNama", "jenisKpNama"],
        /// Masa kerja golongan, years.
        mk_golongan_tahun: int ["masaKerjaGolonganTahun"],
        /// Masa kerja golongan, months.
        mk_golongan_bulan: int ["masaKerjaGolonganBulan"],
        /// Angka kredit utama at this KP (JF).
        jumlah_kredit_utama: decimal ["jumlahKreditUtama"],
        /// Angka kredit tambahan at this KP (JF).
        jumlah_kredit_tambahan: decimal ["jumlahKreditTambahan"],
        /// Nomor pertek BKN.
        no_pertek_bkn: text ["noPertekBkn"],
        /// Tanggal pertek BKN.
        tgl_pertek_bkn: date ["tglPertekBkn"],
        /// Nomor SK.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK.
        sk_tanggal: date ["skTanggal"],
        /// TMT golongan (SI-ASN sends ISO `2022-04-01T00:00:00Z` or `dd-mm-yyyy`).
        tmt_golongan: date ["tmtGolongan"],
    }
}

riwayat_row! {
    /// One jabatan held (`rw-jabatan`).
    RiwayatJabatan = "rw-jabatan" {
        /// Jenis jabatan id: 1 struktural, 2 JFT, 4 JFU/pelaksana.
        jenis_jabatan_id: code ["jenisJabatan", "jenisJabatanId"],
        /// Instansi kerja id.
        instansi_kerja_id: code ["instansiKerjaId"],
        /// Instansi kerja name.
        instansi_kerja_nama: text ["instansiKerjaNama"],
        /// Satuan kerja id.
        satuan_kerja_id: code ["satuanKerjaId"],
        /// Unor id.
        unor_id: code ["unorId"],
        /// Unor name (trailing spaces removed).
        unor_nama: text ["unorNama", "namaUnor"],
        /// Unor induk id.
        unor_induk_id: code ["unorIndukId"],
        /// Eselon id (struktural).
        eselon_id: code ["eselonId"],
        /// Eselon as sent (`"II.b"`).
        eselon: text ["eselon"],
        /// Jabatan fungsional id.
        jabatan_fungsional_id: code ["jabatanFungsionalId"],
        /// Jabatan fungsional name.
        jabatan_fungsional_nama: text ["jabatanFungsionalNama"],
        /// Jabatan fungsional umum (pelaksana) id.
        jabatan_fungsional_umum_id: code ["jabatanFungsionalUmumId"],
        /// Jabatan fungsional umum name.
        jabatan_fungsional_umum_nama: text ["jabatanFungsionalUmumNama"],
        /// Struktural jabatan name (null for non-struktural).
        nama_jabatan: text ["namaJabatan"],
        /// Sub jabatan id (e.g. guru subject).
        sub_jabatan_id: code ["subJabatanId"],
        /// Jenis penugasan: D, PLT, PLH, PJ, TT.
        jenis_penugasan_id: code ["jenisPenugasanId"],
        /// Jenis mutasi: MJ, MU.
        jenis_mutasi_id: code ["jenisMutasiId"],
        /// TMT jabatan.
        tmt_jabatan: date ["tmtJabatan"],
        /// Tanggal SK.
        tanggal_sk: date ["tanggalSk"],
        /// Nomor SK.
        nomor_sk: text ["nomorSk"],
        /// TMT pelantikan.
        tmt_pelantikan: date ["tmtPelantikan"],
        /// TMT mutasi.
        tmt_mutasi: date ["tmtMutasi"],
    }
}

riwayat_row! {
    /// One pendidikan completed (`rw-pendidikan`).
    RiwayatPendidikan = "rw-pendidikan" {
        /// Pendidikan id (GUID of the pendidikan reference).
        pendidikan_id: code ["pendidikanId"],
        /// Pendidikan name (`D-III KOMPUTER`).
        pendidikan_nama: text ["pendidikanNama"],
        /// Tingkat pendidikan id (`referensi/tingkat-pendidikan.json`).
        tingkat_pendidikan_id: code ["tkPendidikanId", "tingkatPendidikanId"],
        /// Tingkat pendidikan name as sent.
        tingkat_pendidikan_nama: text ["tkPendidikanNama", "tingkatPendidikanNama"],
        /// Tahun lulus.
        tahun_lulus: int ["tahunLulus"],
        /// Tanggal lulus (often empty).
        tgl_lulus: date ["tglLulus"],
        /// Whether this was the pendidikan at appointment.
        is_pendidikan_pertama: flag ["isPendidikanPertama"],
        /// Nomor ijazah (SI-ASN spells it `nomorIjasah`).
        nomor_ijazah: text ["nomorIjasah", "nomorIjazah"],
        /// School name.
        nama_sekolah: text ["namaSekolah"],
        /// Gelar depan earned.
        gelar_depan: text ["gelarDepan"],
        /// Gelar belakang earned.
        gelar_belakang: text ["gelarBelakang"],
    }
}

riwayat_row! {
    /// One year of SKP under PermenPANRB 6/2022 (`rw-skp22`). Ratings 1 di atas / 2 sesuai / 3 di bawah ekspektasi.
    RiwayatSkp22 = "rw-skp22" {
        /// Year assessed.
        tahun: int ["tahun"],
        /// Hasil kinerja, name as sent.
        hasil_kinerja: text ["hasilKinerja"],
        /// Hasil kinerja rating id (`referensi/hasil-kinerja.json`).
        hasil_kinerja_nilai: code ["hasilKinerjaNilai"],
        /// Perilaku kerja, name as sent.
        perilaku_kerja: text ["perilakuKerja"],
        /// Perilaku kerja rating id (SI-ASN sends the key capitalised: `PerilakuKerjaNilai`).
        perilaku_kerja_nilai: code ["PerilakuKerjaNilai"],
        /// Predikat (kuadran) name as sent.
        kuadran_kinerja: text ["kuadranKinerja"],
        /// Predikat kinerja id 1–5 (`referensi/kuadran-kinerja.json`; key `KuadranKinerjaNilai`).
        kuadran_kinerja_nilai: code ["KuadranKinerjaNilai"],
        /// Penilai name.
        nama_penilai: text ["namaPenilai"],
        /// Penilai NIP/NRP.
        nip_nrp_penilai: code ["nipNrpPenilai"],
        /// Penilai golongan id.
        penilai_golongan_id: code ["penilaiGolonganId"],
        /// Penilai jabatan.
        penilai_jabatan: text ["penilaiJabatanNm"],
        /// Penilai unor.
        penilai_unor: text ["penilaiUnorNm"],
        /// `ASN` or `NON ASN`.
        status_penilai: text ["statusPenilai"],
    }
}

// Rows still to be declared by the riwayat decoders' author; placeholders keep the crate building meanwhile.
riwayat_row! { /// Placeholder. 
RiwayatDiklat = "rw-diklat" {} }
riwayat_row! { /// Placeholder.
RiwayatKursus = "rw-kursus" {} }
riwayat_row! { /// Placeholder.
RiwayatAngkaKredit = "rw-angkakredit" {} }
riwayat_row! { /// Placeholder.
RiwayatSkp = "rw-skp" {} }
riwayat_row! { /// Placeholder.
RiwayatKinerjaPeriodik = "rw-kinerjaperiodik" {} }
riwayat_row! { /// Placeholder.
RiwayatHukdis = "rw-hukdis" {} }
riwayat_row! { /// Placeholder.
RiwayatPenghargaan = "rw-penghargaan" {} }
riwayat_row! { /// Placeholder.
RiwayatPemberhentian = "rw-pemberhentian" {} }
riwayat_row! { /// Placeholder.
RiwayatPindahInstansi = "rw-pindahinstansi" {} }
riwayat_row! { /// Placeholder.
RiwayatPnsUnor = "rw-pnsunor" {} }
riwayat_row! { /// Placeholder.
RiwayatPwk = "rw-pwk" {} }
riwayat_row! { /// Placeholder.
RiwayatMasaKerja = "rw-masakerja" {} }
riwayat_row! { /// Placeholder.
RiwayatCltn = "rw-cltn" {} }
riwayat_row! { /// Placeholder.
RiwayatSertifikasi = "rw-sertifikasi" {} }
