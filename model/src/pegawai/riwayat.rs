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

/// The prefix of riwayat row ids made on a device or at the hub, not by SI-ASN (`"lokal-…"`).
///
/// SI-ASN's own row ids are GUIDs (siasn-api.md §2.6), so they never start with it. A row with such an id is not at
/// SI-ASN yet: once the hub has accepted it (its authority checks passed), the hub pushes it back through the
/// matching `*/save` endpoint (siasn-api.md §1.4) and records the id SI-ASN gave it, keeping the local id as the
/// row's key.
pub const ID_LOKAL: &str = "lokal-";

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

riwayat_row! {
    /// One diklat struktural / kepemimpinan completed (`rw-diklat`; siasn-api.md §2.3, write body `/diklat/save`
    /// §1.4). Diklat teknis and fungsional are in [`RiwayatKursus`].
    RiwayatDiklat = "rw-diklat" {
        /// SI-ASN person id of the pegawai (`idPns`; S4 keys the table on `pnsId`; the write body says
        /// `pnsOrangId`).
        id_pns: code ["idPns", "pnsId", "pnsOrangId"],
        /// NIP baru of the pegawai as the row repeats it.
        nip_baru: code ["nipBaru"],
        /// Old 9-character NIP as the row repeats it.
        nip_lama: code ["nipLama"],
        /// Latihan struktural id, `"1"`..`"8"` (`referensi/latihan-struktural.json`: SEPADA, SEPALA/ADUM/PIM IV, …).
        latihan_struktural_id: code ["latihanStrukturalId"],
        /// Latihan struktural name as sent.
        latihan_struktural_nama: text ["latihanStrukturalNama"],
        /// Nomor sertifikat / STTPP.
        nomor: text ["nomor"],
        /// Tanggal sertifikat (first day of the diklat in S1's form).
        tanggal: date ["tanggal"],
        /// Last day of the diklat.
        tanggal_selesai: date ["tanggalSelesai"],
        /// Year of the diklat.
        tahun: int ["tahun"],
        /// Length in jam pelajaran.
        jumlah_jam: int ["jumlahJam"],
        /// Bobot (write body only; not seen in read responses).
        bobot: int ["bobot"],
        /// Jenis kompetensi (write body only; values not documented).
        jenis_kompetensi: text ["jenisKompetensi"],
        /// Organiser, e.g. `LEMBAGA ADMINISTRASI NEGARA`.
        institusi_penyelenggara: text ["institusiPenyelenggara"],
    }
}

riwayat_row! {
    /// One kursus / diklat teknis or fungsional (`rw-kursus`; siasn-api.md §2.3, write body `/kursus/save` §1.4).
    ///
    /// The read model spells the certificate kind `jenisKursusSertifikat`, the write body `jenisKursusSertipikat`,
    /// the reference `jenisKursusSetifikat`; all three are read.
    RiwayatKursus = "rw-kursus" {
        /// SI-ASN person id of the pegawai (`idPns`; write body `pnsOrangId`).
        id_pns: code ["idPns", "pnsOrangId", "pnsId"],
        /// NIP baru of the pegawai as the row repeats it.
        nip_baru: code ["nipBaru"],
        /// Old 9-character NIP as the row repeats it.
        nip_lama: code ["nipLama"],
        /// Instansi id (GUID) the kursus is recorded under (write body).
        instansi_id: code ["instansiId"],
        /// Jenis kursus id (kursus reference GUID; the write body calls it `jenisKursus`, S10 `jenisKursusId`).
        jenis_kursus_id: code ["jenisKursusId", "jenisKursus"],
        /// Jenis kursus name as sent.
        jenis_kursus_nama: text ["jenisKursusNama"],
        /// Certificate kind `T`/`F`/`P` (`referensi/jenis-diklat.json` column `jenis_kursus_sertifikat`; meaning not
        /// documented).
        jenis_kursus_sertifikat: code ["jenisKursusSertifikat", "jenisKursusSertipikat", "jenisKursusSetifikat"],
        /// Jenis diklat id, `"1"`..`"25"` (`referensi/jenis-diklat.json`); SI-ASN sometimes sends a non-numeric value.
        jenis_diklat_id: code ["jenisDiklatId"],
        /// Name of the kursus.
        nama_kursus: text ["namaKursus"],
        /// Nomor sertifikat (read `noSertipikat`, write `nomorSertipikat`).
        nomor_sertifikat: text ["noSertipikat", "nomorSertipikat", "noSertifikat", "nomorSertifikat"],
        /// Organiser.
        institusi_penyelenggara: text ["institusiPenyelenggara"],
        /// Length in jam pelajaran.
        jumlah_jam: int ["jumlahJam"],
        /// Year of the kursus.
        tahun_kursus: int ["tahunKursus"],
        /// First day of the kursus.
        tanggal_kursus: date ["tanggalKursus"],
        /// Last day of the kursus.
        tanggal_selesai_kursus: date ["tanggalSelesaiKursus"],
        /// Lokasi id (GUID) of the kursus (write body).
        lokasi_id: code ["lokasiId"],
    }
}

riwayat_row! {
    /// One penetapan angka kredit, PAK, of a jabatan fungsional (`rw-angkakredit`; siasn-api.md §2.3, write body
    /// `/angkakredit/save` §1.4).
    ///
    /// "Penailan" (sic) is the real SI-ASN spelling of the period fields; "Penilaian" is read too.
    RiwayatAngkaKredit = "rw-angkakredit" {
        /// SI-ASN person id of the pegawai (read `pns`, write `pnsId`).
        pns_id: code ["pns", "pnsId", "idPns"],
        /// Nomor SK PAK.
        nomor_sk: text ["nomorSk"],
        /// Tanggal SK PAK.
        tanggal_sk: date ["tanggalSk"],
        /// First month of the assessed period, 1–12.
        bulan_mulai_penilaian: int ["bulanMulaiPenailan", "bulanMulaiPenilaian"],
        /// First year of the assessed period.
        tahun_mulai_penilaian: int ["tahunMulaiPenailan", "tahunMulaiPenilaian"],
        /// Last month of the assessed period, 1–12.
        bulan_selesai_penilaian: int ["bulanSelesaiPenailan", "bulanSelesaiPenilaian"],
        /// Last year of the assessed period.
        tahun_selesai_penilaian: int ["tahunSelesaiPenailan", "tahunSelesaiPenilaian"],
        /// Angka kredit utama gained (decimal, up to 3 places).
        kredit_utama_baru: decimal ["kreditUtamaBaru"],
        /// Angka kredit penunjang gained (decimal).
        kredit_penunjang_baru: decimal ["kreditPenunjangBaru"],
        /// Total angka kredit after this PAK (decimal).
        kredit_baru_total: decimal ["kreditBaruTotal"],
        /// Riwayat jabatan id the PAK belongs to (read `rwJabatan`, write `rwJabatanId`).
        rw_jabatan_id: code ["rwJabatan", "rwJabatanId"],
        /// Jabatan name as sent.
        nama_jabatan: text ["namaJabatan"],
        /// Whether this is the first PAK in the jabatan (`"0"`/`"1"`).
        is_angka_kredit_pertama: flag ["isAngkaKreditPertama"],
        /// Whether this is a PAK integrasi (`"0"`/`"1"`).
        is_integrasi: flag ["isIntegrasi"],
        /// Whether this is a PAK konversi from a predikat kinerja (`"0"`/`"1"`).
        is_konversi: flag ["isKonversi"],
        /// Where SI-ASN got the row from (key `Sumber`, capital S; values not documented).
        sumber: text ["Sumber"],
    }
}

riwayat_row! {
    /// One year of SKP under the rules before PermenPANRB 6/2022 (PP 46/2011, `rw-skp`; siasn-api.md §2.3, write
    /// bodies `/skp/save` and `/skp/2021/save` §1.4). SKP 2022 onwards is [`RiwayatSkp22`].
    ///
    /// Scores are decimals; SI-ASN sometimes sends non-numeric text, which is reported and kept in `raw`.
    RiwayatSkp = "rw-skp" {
        /// Year assessed.
        tahun: int ["tahun"],
        /// SI-ASN person id of the pegawai assessed (read `pns`, write `pnsDinilaiOrang`).
        pns_id: code ["pns", "pnsDinilaiOrang", "pnsId"],
        /// SI-ASN user id of the pegawai (write body of `/skp/save` only).
        pns_user_id: code ["pnsUserId"],
        /// Nilai SKP (sasaran kerja), 0–100.
        nilai_skp: decimal ["nilaiSkp"],
        /// Perilaku: orientasi pelayanan, 0–100.
        orientasi_pelayanan: decimal ["orientasiPelayanan"],
        /// Perilaku: integritas, 0–100.
        integritas: decimal ["integritas"],
        /// Perilaku: komitmen, 0–100.
        komitmen: decimal ["komitmen"],
        /// Perilaku: disiplin, 0–100.
        disiplin: decimal ["disiplin"],
        /// Perilaku: kerja sama, 0–100.
        kerjasama: decimal ["kerjasama"],
        /// Perilaku: kepemimpinan, 0–100 (struktural only).
        kepemimpinan: decimal ["kepemimpinan"],
        /// Perilaku: inisiatif kerja, 0–100 (2021 form only).
        inisiatif_kerja: decimal ["inisiatifKerja"],
        /// Sum of the perilaku scores.
        jumlah: decimal ["jumlah"],
        /// Mean of the perilaku scores (`nilairatarata`).
        nilai_rata_rata: decimal ["nilairatarata", "nilaiRataRata"],
        /// Nilai perilaku kerja.
        nilai_perilaku_kerja: decimal ["nilaiPerilakuKerja"],
        /// Nilai prestasi kerja (the final score).
        nilai_prestasi_kerja: decimal ["nilaiPrestasiKerja"],
        /// Konversi nilai (2021 form only).
        konversi_nilai: decimal ["konversiNilai"],
        /// Nilai integrasi (2021 form only).
        nilai_integrasi: decimal ["nilaiIntegrasi"],
        /// Jenis jabatan id: 1 struktural, 2 JFT, 4 JFU/pelaksana (`referensi/jenis-jabatan.json`).
        jenis_jabatan_id: code ["jenisJabatan", "jenisJabatanId"],
        /// Jenis peraturan kinerja code (2021 form only; values not documented).
        jenis_peraturan_kinerja_kd: code ["jenisPeraturanKinerjaKd"],
        /// Pejabat penilai, SI-ASN person id.
        pejabat_penilai: code ["pejabatPenilai"],
        /// Atasan pejabat penilai, SI-ASN person id.
        atasan_pejabat_penilai: code ["atasanPejabatPenilai"],
        /// Penilai who is not a PNS, as sent (meaning of the value not documented).
        penilai_non_pns: text ["penilaiNonPns"],
        /// Atasan penilai who is not a PNS, as sent (meaning of the value not documented).
        atasan_non_pns: text ["atasanNonPns"],
        /// Penilai NIP/NRP.
        penilai_nip_nrp: code ["penilaiNipNrp"],
        /// Penilai name.
        penilai_nama: text ["penilaiNama"],
        /// Penilai unor name.
        penilai_unor_nama: text ["penilaiUnorNama"],
        /// Penilai jabatan name.
        penilai_jabatan: text ["penilaiJabatan"],
        /// Penilai golongan id (`referensi/golongan.json`).
        penilai_golongan: code ["penilaiGolongan"],
        /// Penilai TMT golongan.
        penilai_tmt_golongan: date ["penilaiTmtGolongan"],
        /// Atasan penilai NIP/NRP.
        atasan_penilai_nip_nrp: code ["atasanPenilaiNipNrp"],
        /// Atasan penilai name.
        atasan_penilai_nama: text ["atasanPenilaiNama"],
        /// Atasan penilai unor name.
        atasan_penilai_unor_nama: text ["atasanPenilaiUnorNama"],
        /// Atasan penilai jabatan name.
        atasan_penilai_jabatan: text ["atasanPenilaiJabatan"],
        /// Atasan penilai golongan id (`referensi/golongan.json`).
        atasan_penilai_golongan: code ["atasanPenilaiGolongan"],
        /// Atasan penilai TMT golongan.
        atasan_penilai_tmt_golongan: date ["atasanPenilaiTmtGolongan"],
        /// Status of the penilai: `ASN` / `NON ASN` (or a code; as sent).
        status_penilai: text ["statusPenilai"],
        /// Status of the atasan penilai, as sent.
        status_atasan_penilai: text ["statusAtasanPenilai"],
    }
}

riwayat_row! {
    /// One period of kinerja periodik, monthly or quarterly (`rw-kinerjaperiodik`; siasn-api.md §2.3, write body
    /// `/kinerjaperiodik/save` §1.4). Ratings 1 di atas / 2 sesuai / 3 di bawah ekspektasi.
    RiwayatKinerjaPeriodik = "rw-kinerjaperiodik" {
        /// Year assessed.
        tahun: int ["tahun"],
        /// NIP of the pegawai assessed.
        nip: code ["nip"],
        /// Name of the pegawai assessed.
        nama: text ["nama"],
        /// SI-ASN person id of the pegawai assessed.
        pns_dinilai_id: code ["pnsDinilaiId"],
        /// Periodik id: 1 bulanan, 2 triwulan (`referensi/periodik-kinerja.json`).
        periodik_id: code ["periodikId"],
        /// Periodik name as sent.
        periodik_nama: text ["periodikNama"],
        /// First month of the period, 1–12 (write body).
        bulan_mulai_penilaian: int ["bulanMulaiPenilaian"],
        /// Last month of the period, 1–12 (write body).
        bulan_selesai_penilaian: int ["bulanSelesaiPenilaian"],
        /// First year of the period (write body).
        tahun_mulai_penilaian: int ["tahunMulaiPenilaian"],
        /// Last year of the period (write body).
        tahun_selesai_penilaian: int ["tahunSelesaiPenilaian"],
        /// Hasil kinerja, name as sent.
        hasil_kinerja: text ["hasilKinerja"],
        /// Hasil kinerja rating id (`referensi/hasil-kinerja.json`).
        hasil_kinerja_nilai: code ["hasilKinerjaNilai"],
        /// Perilaku kerja, name as sent.
        perilaku_kerja: text ["perilakuKerja"],
        /// Perilaku kerja rating id (`referensi/hasil-kinerja.json`).
        perilaku_kerja_nilai: code ["perilakuKerjaNilai"],
        /// Predikat kinerja id 1–5 (`referensi/kuadran-kinerja.json`).
        kuadran_kinerja_nilai: code ["kuadranKinerjaNilai"],
        /// `kuadranNilai` as sent (beside `kuadranKinerjaNilai`; its meaning is not documented).
        kuadran_nilai: code ["kuadranNilai"],
        /// Koefisien angka kredit id (`referensi/jenjang-jf.json` column `koefisien_id`; SI-ASN reads `koefisenId`
        /// (sic), the write body `koefisienId`).
        koefisien_id: code ["koefisenId", "koefisienId"],
        /// Kriteria as sent.
        kriteria: text ["kriteria"],
        /// Persentase of the annual koefisien earned in the period.
        persentase: decimal ["persentase"],
        /// Instansi id (GUID).
        instansi_id: code ["instansiId"],
        /// Instansi name.
        instansi_nama: text ["instansiNama"],
        /// Jabatan name of the pegawai in the period.
        jabatan: text ["jabatan"],
        /// Unor id (GUID).
        unor_id: code ["unorId"],
        /// Unor name.
        unor_nama: text ["unorNama"],
        /// Penilai name (read `namaPenilai`, write `penilaiNama`).
        nama_penilai: text ["namaPenilai", "penilaiNama"],
        /// Penilai NIP/NRP.
        penilai_nip_nrp: code ["penilaiNipNrp"],
        /// Penilai SI-ASN person id.
        penilai_pns_id: code ["penilaiPnsId"],
        /// Penilai golongan id (read `penilaiGolonganId`, write `penilaiGolongan`; `referensi/golongan.json`).
        penilai_golongan_id: code ["penilaiGolonganId", "penilaiGolongan"],
        /// Penilai jabatan name.
        penilai_jabatan_nama: text ["penilaiJabatanNama"],
        /// Penilai unor name (read `penilaiUnorNm`, write `penilaiUnorNama`).
        penilai_unor_nama: text ["penilaiUnorNm", "penilaiUnorNama"],
        /// `ASN` or `NON ASN`.
        status_penilai: text ["statusPenilai"],
    }
}

riwayat_row! {
    /// One hukuman disiplin (`rw-hukdis`; siasn-api.md §2.3, write body `/hukdis/save` §1.4; PP 94/2021).
    ///
    /// The read model names the end date `akhirHukumTanggal`, the write body `akhirHukumanTanggal`; both are read.
    RiwayatHukdis = "rw-hukdis" {
        /// `rwHukumanDisiplin` as sent: the id of a related riwayat hukdis (meaning not documented).
        rw_hukuman_disiplin: code ["rwHukumanDisiplin"],
        /// SI-ASN person id of the pegawai (read `pnsOrang`, write `pnsOrangId`).
        pns_orang_id: code ["pnsOrang", "pnsOrangId"],
        /// Jenis hukuman id (`referensi/jenis-hukuman.json`; read `jenisHukuman`, write `jenisHukumanId`).
        jenis_hukuman_id: code ["jenisHukuman", "jenisHukumanId"],
        /// Jenis hukuman name as sent.
        jenis_hukuman_nama: text ["jenisHukumanNama"],
        /// Tingkat hukuman: `R` ringan, `S` sedang, `B` berat (`referensi/tingkat-hukuman.json`).
        jenis_tingkat_hukuman_id: code ["jenisTingkatHukumanId"],
        /// Golongan id at the time of the hukuman (read `golongan`, write `golonganId`; `referensi/golongan.json`).
        golongan_id: code ["golongan", "golonganId"],
        /// Golongan id before a demotion (`golonganLama`).
        golongan_lama_id: code ["golonganLama", "golonganLamaId"],
        /// Kedudukan hukum id (read `kedudukanHukum`, write `kedudukanHukumId`; `referensi/kedudukan-hukum.json`).
        kedudukan_hukum_id: code ["kedudukanHukum", "kedudukanHukumId"],
        /// Alasan hukuman disiplin id (read `alasanHukumanDisiplin`, write `alasanHukumanDisiplinId`).
        alasan_hukuman_disiplin_id: code ["alasanHukumanDisiplin", "alasanHukumanDisiplinId"],
        /// Alasan hukuman disiplin name as sent.
        alasan_hukuman_disiplin_nama: text ["alasanHukumanDisiplinNama"],
        /// The hukdis that this one ends, by riwayat id (write body `hukdisYangDiberhentikanId`).
        hukdis_yang_diberhentikan_id: code ["hukdisYangDiberhentikanId"],
        /// Nomor SK hukuman.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK hukuman.
        sk_tanggal: date ["skTanggal"],
        /// First day of the hukuman (TMT).
        hukuman_tanggal: date ["hukumanTanggal"],
        /// Length of the hukuman, years.
        masa_tahun: int ["masaTahun"],
        /// Length of the hukuman, months.
        masa_bulan: int ["masaBulan"],
        /// Last day of the hukuman (read `akhirHukumTanggal`, write `akhirHukumanTanggal`).
        akhir_hukuman_tanggal: date ["akhirHukumTanggal", "akhirHukumanTanggal"],
        /// Nomor PP the hukuman rests on (e.g. PP 94/2021), as sent.
        nomor_pp: text ["nomorPp"],
        /// Nomor SK pembatalan, when the hukuman was annulled.
        sk_pembatalan_nomor: text ["skPembatalanNomor"],
        /// Tanggal SK pembatalan.
        sk_pembatalan_tanggal: date ["skPembatalanTanggal"],
        /// Keterangan.
        keterangan: text ["keterangan"],
    }
}

riwayat_row! {
    /// One tanda jasa / penghargaan (`rw-penghargaan`; siasn-api.md §2.3, write body `/penghargaan/save` §1.4).
    RiwayatPenghargaan = "rw-penghargaan" {
        /// Year of the penghargaan.
        tahun: int ["tahun"],
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrangId", "pnsOrang"],
        /// Penghargaan id, 3 digits (`referensi/penghargaan.json`: 201 Satyalancana Karya Satya X Tahun, …).
        harga_id: code ["hargaId"],
        /// Penghargaan name as sent.
        harga_nama: text ["hargaNama"],
        /// Nomor SK / keputusan.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK (`skDate`).
        sk_tanggal: date ["skDate", "skTanggal"],
    }
}

riwayat_row! {
    /// One pemberhentian (`rw-pemberhentian`; siasn-api.md §2.3).
    RiwayatPemberhentian = "rw-pemberhentian" {
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrang", "pnsOrangId"],
        /// Jenis pemberhentian id (`referensi/jenis-pemberhentian.json`: 1 BUP, 2 meninggal dunia, …).
        jenis_henti_id: code ["jenisHenti", "jenisHentiId"],
        /// Kedudukan hukum id after the pemberhentian (`referensi/kedudukan-hukum.json`).
        kedudukan_hukum_id: code ["kedudukanHukumPns", "kedudukanHukumPnsId"],
        /// Nomor SK pemberhentian.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK pemberhentian.
        sk_tanggal: date ["skTanggal"],
        /// Asal id: the source of the row (layanan or peremajaan; values not documented).
        asal_id: code ["asalId"],
        /// Asal name as sent.
        asal_nama: text ["asalNama"],
        /// Asal label as sent.
        asal_nama_label: text ["asalNamaLabel"],
    }
}

riwayat_row! {
    /// One pindah instansi, PI (`rw-pindahinstansi`; siasn-api.md §2.3). Each `*_lama` / `*_baru` pair is the value
    /// before and after the move, as SI-ASN sent it (ids, GUIDs for instansi, satuan kerja, unor and lokasi).
    RiwayatPindahInstansi = "rw-pindahinstansi" {
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrang", "pnsOrangId"],
        /// Jenis pindah instansi (values not documented).
        jenis_pi: code ["jenisPi"],
        /// Jenis pegawai id after the move (`referensi/jenis-pegawai.json`).
        jenis_pegawai: code ["jenisPegawai", "jenisPegawaiId"],
        /// Instansi induk before.
        instansi_induk_lama: code ["instansiIndukLama"],
        /// Instansi induk after.
        instansi_induk_baru: code ["instansiIndukBaru"],
        /// Instansi kerja before.
        instansi_kerja_lama: code ["instansiKerjaLama"],
        /// Instansi kerja after.
        instansi_kerja_baru: code ["instansiKerjaBaru"],
        /// Satuan kerja before.
        satuan_kerja_lama: code ["satuanKerjaLama"],
        /// Satuan kerja after.
        satuan_kerja_baru: code ["satuanKerjaBaru"],
        /// Satuan kerja induk before.
        satuan_kerja_induk_lama: code ["satuanKerjaIndukLama"],
        /// Satuan kerja induk after.
        satuan_kerja_induk_baru: code ["satuanKerjaIndukBaru"],
        /// Unor before.
        unor_lama: code ["unorLama"],
        /// Unor after.
        unor_baru: code ["unorBaru"],
        /// Lokasi kerja before.
        lokasi_kerja_lama: code ["lokasiKerjaLama"],
        /// Lokasi kerja after.
        lokasi_kerja_baru: code ["lokasiKerjaBaru"],
        /// KPKN after.
        kpkn_baru: code ["kpknBaru"],
        /// Jenis jabatan id before (1 struktural, 2 JFT, 4 JFU).
        jenis_jabatan_lama: code ["jenisJabatanLama"],
        /// Jenis jabatan id after.
        jenis_jabatan_baru: code ["jenisJabatanBaru"],
        /// Jabatan fungsional before.
        jabatan_fungsional_lama: code ["jabatanFungsionalLama"],
        /// Jabatan fungsional after.
        jabatan_fungsional_baru: code ["jabatanFungsionalBaru"],
        /// Jabatan fungsional umum (pelaksana) after.
        jabatan_fungsional_umum_baru: code ["jabatanFungsionalUmumBaru"],
        /// Eselon id after (`referensi/eselon.json`).
        eselon: code ["eselon", "eselonId"],
        /// Nomor surat usul.
        sk_usul_nomor: text ["skUsulNomor"],
        /// Tanggal surat usul.
        sk_usul_tanggal: date ["skUsulTanggal"],
        /// Nomor pertimbangan / SK BKN.
        sk_bkn_nomor: text ["skBknNomor"],
        /// Tanggal pertimbangan / SK BKN.
        sk_bkn_tanggal: date ["skBknTanggal"],
        /// Nomor SK of the instansi of origin.
        sk_asal_nomor: text ["skAsalNomor"],
        /// Tanggal SK of the instansi of origin.
        sk_asal_tanggal: date ["skAsalTanggal"],
        /// Nomor SK of the province of origin.
        sk_asal_prov_nomor: text ["skAsalProvNomor"],
        /// Tanggal SK of the province of origin.
        sk_asal_prov_tanggal: date ["skAsalProvTanggal"],
        /// Nomor SK of the destination instansi.
        sk_tujuan_nomor: text ["skTujuanNomor"],
        /// Tanggal SK of the destination instansi.
        sk_tujuan_tanggal: date ["skTujuanTanggal"],
        /// TMT pindah instansi.
        tmt_pi: date ["tmtPi"],
        /// Id of the peremajaan usulan that created the row.
        orang_usul_peremajaan_id: code ["orangUsulPeremajaanId"],
    }
}

riwayat_row! {
    /// One change of unor (`rw-pnsunor`; siasn-api.md §2.3).
    RiwayatPnsUnor = "rw-pnsunor" {
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrang", "pnsOrangId"],
        /// New unor id (GUID).
        unor_baru: code ["unorBaru", "unorBaruId"],
        /// New unor name.
        nama_unor_baru: text ["namaUnorBaru"],
        /// Instansi id (GUID).
        instansi: code ["instansi", "instansiId"],
        /// Nomor SK.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK.
        sk_tanggal: date ["skTanggal"],
        /// Asal id: the source of the row (values not documented).
        asal_id: code ["asalId"],
        /// Asal name as sent.
        asal_nama: text ["asalNama"],
        /// Asal label as sent.
        asal_nama_label: text ["asalNamaLabel"],
    }
}

riwayat_row! {
    /// One pindah wilayah kerja, PWK (`rw-pwk`; siasn-api.md §2.3).
    RiwayatPwk = "rw-pwk" {
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrang", "pnsOrangId"],
        /// Instansi id (GUID).
        instansi: code ["instansi", "instansiId"],
        /// Satuan kerja id (GUID).
        satuan_kerja: code ["satuanKerja", "satuanKerjaId"],
        /// New unor id (GUID).
        unor_baru: code ["unorBaru"],
        /// New lokasi kerja id (GUID).
        lokasi_kerja_baru: code ["lokasiKerjaBaru"],
        /// New KPKN id.
        kpkn_baru: code ["kpknBaru"],
        /// Nomor SK.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK.
        sk_tanggal: date ["skTanggal"],
        /// TMT pindah wilayah kerja.
        tmt_pwk: date ["tmtPwk"],
        /// Asal id: the source of the row (values not documented).
        asal_id: code ["asalId"],
        /// Asal name as sent.
        asal_nama: text ["asalNama"],
    }
}

riwayat_row! {
    /// One period of prior service counted by peninjauan masa kerja, PMK (`rw-masakerja`; siasn-api.md §2.3).
    RiwayatMasaKerja = "rw-masakerja" {
        /// SI-ASN person id of the pegawai.
        id_pns: code ["idPns", "pnsOrangId"],
        /// NIP baru of the pegawai as the row repeats it.
        nip_baru: code ["nipBaru"],
        /// Old 9-character NIP as the row repeats it.
        nip_lama: code ["nipLama"],
        /// The prior employer or experience, as sent.
        pengalaman: text ["pengalaman"],
        /// First day of the period.
        tanggal_awal: date ["tanggalAwal"],
        /// Last day of the period.
        tanggal_selesai: date ["tanggalSelesai"],
        /// Nomor SK PMK.
        nomor_sk: text ["nomorSk"],
        /// Tanggal SK PMK.
        tanggal_sk: date ["tanggalSk"],
        /// Nomor pertimbangan BKN.
        nomor_bkn: text ["nomorBkn"],
        /// Tanggal pertimbangan BKN.
        tanggal_bkn: date ["tanggalBkn"],
        /// Masa kerja counted, years.
        masa_kerja_tahun: int ["masaKerjaTahun"],
        /// Masa kerja counted, months.
        masa_kerja_bulan: int ["masaKerjaBulan"],
        /// Whether the period was assessed and counted (S4 stores it as a boolean).
        dinilai: flag ["dinilai"],
    }
}

riwayat_row! {
    /// One cuti di luar tanggungan negara, CLTN, event: start, extension or reactivation (`rw-cltn`; siasn-api.md
    /// §2.3).
    RiwayatCltn = "rw-cltn" {
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrangId", "pnsOrang"],
        /// Jenis CLTN id (`referensi/cltn.json`: 1 CLTN, 3 pengaktifan kembali dari CLTN, 5 perpanjangan, …).
        cltn_id: code ["cltnId"],
        /// Nomor SK.
        sk_nomor: text ["skNomor"],
        /// Tanggal SK.
        sk_tanggal: date ["skTanggal"],
        /// First day of the CLTN.
        tanggal_awal: date ["tanggalAwal"],
        /// Last day of the CLTN.
        tanggal_akhir: date ["tanggalAkhir"],
        /// Day the pegawai became active again.
        tanggal_aktif: date ["tanggalAktif"],
        /// Nomor surat (pertimbangan) BKN.
        nomor_letter_bkn: text ["nomorLetterBkn"],
        /// Tanggal surat BKN (SI-ASN sends `yyyy-mm-dd HH:MM:SS` here).
        tanggal_letter_bkn: date ["tanggalLetterBkn"],
    }
}

riwayat_row! {
    /// One professional certification (`rw-sertifikasi`; siasn-api.md §1.3 S6/S7, fields from the write body
    /// `/sertifikasi/save` §1.4: the read shape was not observed).
    RiwayatSertifikasi = "rw-sertifikasi" {
        /// SI-ASN person id of the pegawai.
        pns_orang_id: code ["pnsOrangId", "idPns", "pnsOrang"],
        /// Name of the certification.
        nama_sertifikasi: text ["namaSertifikasi"],
        /// Nomor sertifikat.
        nomor_sertifikat: text ["nomorSertifikat"],
        /// Tanggal sertifikat.
        tanggal_sertifikat: date ["tanggalSertifikat"],
        /// First day the certificate is valid.
        masa_berlaku_mulai: date ["masaBerlakuSertMulai"],
        /// Last day the certificate is valid (write spelling `masaBerlakuSertSelasai`, sic).
        masa_berlaku_selesai: date ["masaBerlakuSertSelasai", "masaBerlakuSertSelesai"],
        /// Lembaga sertifikasi id.
        lembaga_sertifikasi_id: code ["lembagaSertifikasiId"],
        /// Lembaga sertifikasi name.
        lembaga_sertifikasi_nama: text ["lembagaSertifikasiNama"],
        /// Rumpun jabatan id (a UUID with dashes).
        rumpun_jabatan_id: code ["rumpunJabatanId"],
        /// Gelar depan the certification confers.
        gelar_depan: text ["gelarDepanSert"],
        /// Gelar belakang the certification confers.
        gelar_belakang: text ["gelarBelakangSert"],
    }
}

#[cfg(test)]
mod tests;
