//! The kode referensi of SI-ASN and the date-versioned kepegawaian rules, as data.
//!
//! Every table lives as one JSON file in `schemas/referensi/` (see its `README.md`); this module embeds them
//! with `include_str!`, parses them once into [`Referensi`] and answers the lookups the rules need: a row by id,
//! the name of any code, golongan order, the BUP override for a jabatan name, the KP calendar in force on a date
//! and the next valid TMT KP, and the field authority table of DESIGN §3.2.
//!
//! Ids are strings exactly as SI-ASN writes them (`"01"`, `"00"`, `"05"`): leading zeros matter, and callers
//! join on ids, never on names (SI-ASN itself spells the same code differently in different places).
//! Rows that are not confirmed by a source carry `dikonfirmasi: false`.
//!
//! What this module deliberately does not do:
//! - It does not apply the rules. Eligibility for KP, BUP and TMT pensiun, and IKD anomalies are computed in
//!   [`crate::rules`] from these tables; this module only answers "what does the table say".
//! - It holds no large SI-ASN dumps (instansi, unor, jabatan fungsional, pendidikan, lokasi): those are loaded
//!   into the replica from SI-ASN, not compiled in.
//! - It does not read files at run time, the clock or the network: the data is compiled into the binary.
//!   A table that fails to parse is a programming error caught by the tests, so loading panics on it.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// One row of a code table: an id (as SI-ASN writes it) and a name in Bahasa Indonesia.
pub trait Baris {
    /// The code, as a string with its leading zeros (`"01"`, `"M"`, `"COM_1"`).
    fn id(&self) -> &str;
    /// The name as the source spells it, typos included.
    fn nama(&self) -> &str;
    /// False when the row is an assumption that no source confirms (for example kedudukan hukum `"72"`).
    fn dikonfirmasi(&self) -> bool {
        true
    }
}

/// One file of `schemas/referensi/`: a header and its rows, with an index by id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tabel<R> {
    /// The table name, equal to the file name without `.json` (kebab-case, e.g. `"kedudukan-hukum"`).
    pub tabel: String,
    /// A human title in Bahasa Indonesia.
    pub judul: String,
    /// Where the data comes from: reference section, source dump, regulation.
    pub sumber: String,
    /// Notes on columns, assumptions and quirks of the source.
    #[serde(default)]
    pub catatan: Option<String>,
    /// The rows, in file order (which is meaningful for golongan and periode KP).
    pub rows: Vec<R>,
    /// Row position by id; the first row wins if an id repeats ([`Referensi::periksa`] reports repeats).
    #[serde(skip)]
    indeks: HashMap<String, usize>,
}

impl<R: Baris> Tabel<R> {
    /// The row with this id, compared exactly (case and leading zeros matter).
    pub fn get(&self, id: &str) -> Option<&R> {
        self.indeks.get(id).map(|&posisi| &self.rows[posisi])
    }

    /// The name of the row with this id.
    pub fn nama(&self, id: &str) -> Option<&str> {
        self.get(id).map(Baris::nama)
    }

    /// The position of the row with this id in file order, from 0.
    pub fn posisi(&self, id: &str) -> Option<usize> {
        self.indeks.get(id).copied()
    }

    fn bangun_indeks(&mut self) {
        let mut indeks = HashMap::with_capacity(self.rows.len());
        for (posisi, row) in self.rows.iter().enumerate() {
            indeks.entry(row.id().to_owned()).or_insert(posisi);
        }
        self.indeks = indeks;
    }
}

/// An id, its name and whether a source confirms it: one row of any table, seen without its other columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KodeNama<'a> {
    /// The code.
    pub id: &'a str,
    /// Its name.
    pub nama: &'a str,
    /// False for assumed rows.
    pub dikonfirmasi: bool,
}

/// Any table seen without its typed columns, for generic code (pickers, validation, [`Referensi::nama`]).
pub trait TabelKode: fmt::Debug + Send + Sync {
    /// The table name (the file name without `.json`).
    fn nama_tabel(&self) -> &str;
    /// The human title.
    fn judul(&self) -> &str;
    /// Where the data comes from.
    fn sumber(&self) -> &str;
    /// The name of the row with this id.
    fn nama(&self, id: &str) -> Option<&str>;
    /// Every row as id and name, in file order.
    fn kode(&self) -> Vec<KodeNama<'_>>;
}

impl<R: Baris + fmt::Debug + Send + Sync> TabelKode for Tabel<R> {
    fn nama_tabel(&self) -> &str {
        &self.tabel
    }

    fn judul(&self) -> &str {
        &self.judul
    }

    fn sumber(&self) -> &str {
        &self.sumber
    }

    fn nama(&self, id: &str) -> Option<&str> {
        Tabel::nama(self, id)
    }

    fn kode(&self) -> Vec<KodeNama<'_>> {
        self.rows
            .iter()
            .map(|row| KodeNama { id: row.id(), nama: row.nama(), dikonfirmasi: row.dikonfirmasi() })
            .collect()
    }
}

fn benar() -> bool {
    true
}

/// A plain code table row: id and name (agama, status kawin, CLTN, penghargaan, status usulan, …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KodeUmum {
    /// The code.
    pub id: String,
    /// The name as the source spells it.
    pub nama: String,
    /// Why the row is not confirmed, or another note.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// A golongan/ruang PNS (`golonganPns`; PP 99/2000): id `"11"` (I/a) to `"45"` (IV/e).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Golongan {
    /// `"11"`…`"45"`: the first digit is the golongan, the second the ruang.
    pub id: String,
    /// The golongan/ruang as written on an SK, e.g. `"III/d"`.
    pub nama: String,
    /// The pangkat name, e.g. `"Penata Tingkat I"`.
    pub pangkat: String,
}

/// A tingkat pendidikan (referensi WS `tingkat-pendidikan`), with the golongan it opens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TingkatPendidikan {
    /// `"05"` (SD) … `"50"` (S-3).
    pub id: String,
    /// The name, e.g. `"S-1/Sarjana"`.
    pub nama: String,
    /// The golongan id at CPNS appointment with this ijazah.
    pub golongan_awal_id: String,
    /// The highest golongan id reachable by KP reguler (column `golongan_id` in SI-ASN).
    pub golongan_maks_id: String,
    /// The group id (`group_tk_pend_id`), e.g. `"60"` for S-1/D-IV.
    pub kelompok_id: String,
    /// The group name (`group_tk_pend_nm`).
    pub kelompok: String,
    /// The id in the old SAPK coding, when known.
    pub id_lama: Option<String>,
    /// False for 42/47/49, which appear only in the pendidikan dump and are treated as S-2 level.
    #[serde(default = "benar")]
    pub dikonfirmasi: bool,
    /// Why the row is not confirmed.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// One row of the KP reguler table by ijazah (PP 99/2000 jo. PP 12/2002, Keputusan Kepala BKN 12/2002).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpRegulerIjazah {
    /// A local code (this table has no SI-ASN code), e.g. `"S1-DIV"`.
    pub id: String,
    /// The ijazah as the source table names it, e.g. `"S-1 / D-IV"`.
    pub nama: String,
    /// The golongan id at appointment.
    pub golongan_awal_id: String,
    /// The highest golongan id by KP reguler.
    pub golongan_maks_id: String,
    /// The tingkat pendidikan ids this ijazah covers (empty for SGPLB, which has none).
    pub tingkat_pendidikan_ids: Vec<String>,
    /// A note on the mapping.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// A jenis kelamin with the three encodings in use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JenisKelamin {
    /// `"M"` or `"F"`, as the SI-ASN WS writes it.
    pub id: String,
    /// `"Laki-laki"` or `"Perempuan"`.
    pub nama: String,
    /// `"L"` or `"P"`, as most SIMPEG and spreadsheets write it.
    pub kode: String,
    /// Digit 15 of the NIP: 1 male, 2 female (Perka BKN 22/2007).
    pub kode_nip: u8,
    /// Added to the birth day in the NIK: 0 male, 40 female (PP 40/2019 Pasal 30).
    pub tambah_hari_nik: u8,
}

/// An eselon with the pangkat range of PP 13/2002 and its BUP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eselon {
    /// `"00"` (none), `"10"`…`"52"`, `"99"` (NON).
    pub id: String,
    /// E.g. `"II.a"`.
    pub nama: String,
    /// The UU ASN name, e.g. `"JPT PRATAMA"`, `"ADMINISTRATOR"`.
    pub jabatan_asn: Option<String>,
    /// The lowest golongan id for this eselon (IKD ACC_10).
    pub pangkat_min_id: Option<String>,
    /// The highest golongan id for this eselon.
    pub pangkat_maks_id: Option<String>,
    /// BUP in years: 60 for eselon I–II, 58 otherwise (UU 5/2014 Pasal 90; PP 11/2017 Pasal 239).
    pub usia_bup: Option<u8>,
    /// A note (e.g. the empty source name of `"00"`).
    #[serde(default)]
    pub catatan: Option<String>,
}

/// The category of a jabatan fungsional jenjang.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KategoriJf {
    /// Ahli Pertama, Muda, Madya, Utama.
    Keahlian,
    /// Pemula, Terampil, Mahir, Penyelia.
    Keterampilan,
}

/// A jenjang jabatan fungsional with its annual angka kredit koefisien and BUP.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JenjangJf {
    /// SI-ASN `jenjang` code: PT, MU, MA, UT, PM, TR, MH, PY.
    pub id: String,
    /// E.g. `"Ahli Muda"`.
    pub nama: String,
    /// Keahlian or keterampilan.
    pub kategori: KategoriJf,
    /// Angka kredit per year at predikat Baik (PermenPANRB 1/2023), e.g. 12.5.
    pub koefisien: f64,
    /// The SI-ASN `koefisienId` used by kinerja periodik.
    pub koefisien_id: String,
    /// BUP in years by jenjang (PP 11/2017 Pasal 239); jabatan-specific overrides are in [`UsiaBupJabatan`].
    pub usia_bup: u8,
}

/// How a [`UsiaBupJabatan`] pattern is matched against a jabatan name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaraPencocokan {
    /// The name starts with the pattern.
    Awalan,
    /// The pattern occurs anywhere in the name.
    Memuat,
}

/// A jabatan whose BUP is set by its own law rather than by its jenjang (guru, profesor, jaksa, peneliti utama).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsiaBupJabatan {
    /// A local code, e.g. `"guru-besar"`.
    pub id: String,
    /// What the row covers.
    pub nama: String,
    /// The pattern, matched case-insensitively on whole words.
    pub pola: String,
    /// Prefix or anywhere.
    pub cara: CaraPencocokan,
    /// BUP in years.
    pub usia_bup: u8,
    /// The law or reference the value comes from.
    pub dasar_hukum: String,
    /// A note on the pattern.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// Whether a code applies to PNS/CPNS or to PPPK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum KelompokAsn {
    /// PNS and CPNS.
    #[serde(rename = "PNS")]
    Pns,
    /// PPPK.
    #[serde(rename = "PPPK")]
    Pppk,
}

/// A kedudukan hukum (`kedudukanPnsId`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KedudukanHukum {
    /// `"01"` (Aktif) … `"99"` (Pensiun), plus `"71"`/`"72"` seen for PPPK.
    pub id: String,
    /// E.g. `"Aktif"`, `"Masa Persiapan Pensiun"`.
    pub nama: String,
    /// Whether the code is used for PNS or PPPK (IKD ACC_4).
    pub jenis_asn: KelompokAsn,
    /// False for 71 and 72, which are not in the reference dump.
    #[serde(default = "benar")]
    pub dikonfirmasi: bool,
    /// Why the row is not confirmed.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// Dipekerjakan or diperbantukan on another instansi.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum DpkDpb {
    /// Dipekerjakan.
    #[serde(rename = "DPK")]
    Dpk,
    /// Diperbantukan.
    #[serde(rename = "DPB")]
    Dpb,
}

/// A jenis pegawai (`jenisPegawaiId`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JenisPegawai {
    /// `"1"` … `"19"` for PNS.
    pub id: String,
    /// E.g. `"PNS Daerah Kab./Kota yang bekerja pada Kab./Kota"`.
    pub nama: String,
    /// PNS or PPPK.
    pub jenis_asn: KelompokAsn,
    /// DPK/DPB status read from the name, or none (IKD ACC_2).
    pub dpk_dpb: Option<DpkDpb>,
    /// False for the assumed PPPK row.
    #[serde(default = "benar")]
    pub dikonfirmasi: bool,
    /// Why the row is not confirmed.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// The kind of a jenis KP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KategoriKp {
    /// 101 Reguler.
    Reguler,
    /// 201–210 Pilihan.
    Pilihan,
    /// 211 golongan from CPNS/PNS appointment.
    Pengadaan,
}

/// A jenis kenaikan pangkat (`jenisKPId`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JenisKp {
    /// `"101"`, `"201"`…`"211"`.
    pub id: String,
    /// The reference name (two spaces after "Pilihan"; riwayat data has one).
    pub nama: String,
    /// Reguler, pilihan or pengadaan.
    pub kategori: KategoriKp,
}

/// A jenis hukuman disiplin with its tingkat.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JenisHukuman {
    /// `"1"`…`"28"`.
    pub id: String,
    /// The name, upper case as in the source.
    pub nama: String,
    /// The tingkat id in `tingkat-hukuman`: `"R"`, `"S"` or `"B"`.
    pub tingkat: String,
}

/// A jenis diklat/kursus (`jenisDiklatId`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JenisDiklat {
    /// `"1"`…`"25"`.
    pub id: String,
    /// The name.
    pub nama: String,
    /// The source column `jenisKursusSetifikat` (sic): `"T"`, `"F"` or `"P"`, meaning undocumented.
    pub jenis_kursus_sertifikat: String,
}

/// The class of an alasan tolak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum KeteranganTolak {
    /// Berkas belum tuntas: returned for correction.
    #[serde(rename = "BTS")]
    Bts,
    /// Tidak memenuhi syarat: rejected.
    #[serde(rename = "TMS")]
    Tms,
    /// Cancellation of a NIP or pertek.
    Pembatalan,
    /// Correction of a NIP or pertek.
    Perbaikan,
}

/// A reason for rejecting an usulan.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlasanTolak {
    /// E.g. `"50"`.
    pub id: String,
    /// The reason text (column `alasan` in the source).
    pub nama: String,
    /// The layanan it belongs to, when known (meaning of the ids unknown).
    pub layanan_id: Option<String>,
    /// BTS, TMS, Pembatalan or Perbaikan.
    pub keterangan: KeteranganTolak,
}

/// A document type (`id_ref_dokumen`) and the riwayat it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefDokumen {
    /// E.g. `"872"`.
    pub id: String,
    /// E.g. `"Dok SK Jabatan"`.
    pub nama: String,
    /// The pegawai document list it belongs to: `data_utama` or a riwayat list name (`riwayat_jabatan`, …).
    pub riwayat: String,
    /// SI-ASN's `detailLayananNama`, when known.
    pub layanan: Option<String>,
    /// Whether SI-ASN requires it, when known.
    pub wajib: Option<bool>,
    /// The file type SI-ASN accepts, when known (`"PDF"`).
    pub tipe_file: Option<String>,
    /// False where the riwayat mapping is a guess.
    #[serde(default = "benar")]
    pub dikonfirmasi: bool,
    /// A note on the mapping.
    #[serde(default)]
    pub catatan: Option<String>,
}

/// The four dimensions of BKN's Indeks Kualitas Data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum DimensiIkd {
    /// Completeness (COM_*).
    #[serde(rename = "kelengkapan")]
    Kelengkapan,
    /// Timeliness (TIM_*).
    #[serde(rename = "ketepatan waktu")]
    KetepatanWaktu,
    /// Accuracy (ACC_*).
    #[serde(rename = "akurasi")]
    Akurasi,
    /// Consistency (CON_*).
    #[serde(rename = "konsistensi")]
    Konsistensi,
}

/// An IKD indicator (BKN data-quality index, in use since 2024).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IkdIndikator {
    /// `"COM_1"`…`"CON_4"`.
    pub id: String,
    /// The short name from BKN's table, e.g. `"NIK Belum Valid"`.
    pub nama: String,
    /// The dimension.
    pub dimensi: DimensiIkd,
    /// The weight of the dimension in the index (fraction; the four sum to 1.0).
    pub bobot_dimensi: f64,
    /// The weight of the indicator within its dimension, in percent.
    pub bobot_indikator: f64,
    /// The rule as BKN describes it.
    pub aturan: String,
    /// True when it can be computed offline from the pegawai document alone.
    pub dihitung_dari_profil: bool,
}

/// The KP calendar in force over a date range: the months whose `tanggal`-th day is a valid TMT KP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodeKp {
    /// A local code naming the regulation, e.g. `"perban-4-2023"`.
    pub id: String,
    /// A description of the calendar.
    pub nama: String,
    /// First day the calendar applies (inclusive).
    pub berlaku_mulai: NaiveDate,
    /// First day it no longer applies (exclusive), or none while in force.
    pub berlaku_sampai: Option<NaiveDate>,
    /// The months (1–12) with a KP date.
    pub bulan: Vec<u32>,
    /// The day of the month of the KP date (always 1).
    pub tanggal: u32,
    /// The regulation.
    pub dasar_hukum: String,
    /// False when the regulation text was not found (Peraturan BKN 4/2025).
    #[serde(default = "benar")]
    pub dikonfirmasi: bool,
    /// Exceptions (KP anumerta, pengabdian), submission windows.
    #[serde(default)]
    pub catatan: Option<String>,
}

impl PeriodeKp {
    /// True when the calendar is in force on `tanggal` (berlaku_mulai ≤ tanggal < berlaku_sampai).
    pub fn berlaku_pada(&self, tanggal: NaiveDate) -> bool {
        self.berlaku_mulai <= tanggal && self.berlaku_sampai.is_none_or(|sampai| tanggal < sampai)
    }

    /// True when `tanggal` is a KP date under this calendar (ignoring whether the calendar is in force then).
    pub fn tanggal_kp(&self, tanggal: NaiveDate) -> bool {
        tanggal.day() == self.tanggal && self.bulan.contains(&tanggal.month())
    }
}

/// Who may write a field (DESIGN §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Penulis {
    /// The instansi operator (and the instansi verifikator above them).
    OperatorInstansi,
    /// Only the instansi verifikator.
    VerifikatorInstansi,
    /// Only BKN: the hub's SI-ASN pull or a verifikator BKN. The instansi proposes through an usulan.
    Bkn,
    /// Only the hub itself (SI-ASN ids, usulan status).
    Hub,
}

/// Who must approve a new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verifikator {
    /// The instansi verifikator (jabatan, unit kerja, diklat, keluarga, kinerja).
    VerifikatorInstansi,
    /// A BKN/Kanreg verifikator (identity, golongan, pendidikan).
    VerifikatorBkn,
}

/// What happens when two replicas change the same field concurrently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KebijakanKonflik {
    /// Last writer wins (cosmetic fields such as nomor HP).
    Lww,
    /// Every concurrent value is kept and shown to a verifikator, whose decision clears the conflict.
    Verify,
}

/// One row of the field authority table: a field path, who writes it, who verifies it, the conflict policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KewenanganField {
    /// A dotted path (`"data_utama.no_hp"`, `"riwayat_jabatan"`, `"usulan.status_siasn"`); a `*` segment matches any one
    /// segment. A path also covers everything below it.
    pub id: String,
    /// The field's name in Bahasa Indonesia.
    pub nama: String,
    /// Who may write it.
    pub penulis: Penulis,
    /// Who must approve a new value, if anyone.
    pub diverifikasi_oleh: Option<Verifikator>,
    /// LWW or verify.
    pub kebijakan_konflik: KebijakanKonflik,
    /// Why (the SI-ASN endpoint or layanan behind the decision).
    #[serde(default)]
    pub catatan: Option<String>,
}

/// When a row of `syarat-dokumen-usulan.json` applies; `null` there means always. Evaluated by
/// [`crate::usulan::syarat`], which documents each condition with the data it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KondisiDokumen {
    /// The pegawai is married (status kawin 1, or a pasangan whose marriage still runs).
    Menikah,
    /// The pegawai holds a jabatan fungsional tertentu (jenis jabatan 2).
    JabatanFungsional,
    /// The pegawai's tingkat pendidikan opens a higher golongan awal than the one they were appointed in.
    PendidikanNaik,
    /// The next golongan crosses from golongan II to III or III to IV (ujian dinas).
    LintasGolongan,
    /// The next golongan is IV/a or above.
    KeGolonganIv,
    /// SI-ASN does not hold the document yet (no `path` entry with this id in data utama).
    BelumAdaDiSiasn,
    /// The usulan changes nama, tempat or tanggal lahir, jenis kelamin or NIK.
    UbahIdentitas,
    /// The usulan changes pendidikan (tingkat, pendidikan, tahun lulus, riwayat pendidikan).
    UbahPendidikan,
    /// The usulan changes another field that must be verified (`kewenangan-field.json`).
    UbahDataLain,
}

/// Whether a document is one per pegawai or one for the whole usulan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LingkupDokumen {
    /// One file per pegawai (per NIP in a kolektif usulan).
    Pegawai,
    /// One file for the usulan (a surat pengantar).
    Usulan,
}

/// One document an usulan needs, per jenis usulan and sub jenis (`syarat-dokumen-usulan.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyaratDokumenUsulan {
    /// `"<jenis>/<sub_jenis or *>/<kode>"`, e.g. `"kenaikan_pangkat/101/stl_ujian_dinas"`.
    pub id: String,
    /// The jenis usulan.
    pub jenis: crate::usulan::JenisUsulan,
    /// Jenis KP (`jenis-kp`) or jenis pemberhentian (`jenis-pemberhentian`) id; `None` for every sub jenis.
    pub sub_jenis: Option<String>,
    /// The ref dokumen id (`"858"`) where one exists, else a local snake_case code (`"surat_pengantar"`).
    pub kode: String,
    /// The document as the officer knows it, e.g. `"SK Pangkat Terakhir"`.
    pub nama: String,
    /// Whether the usulan cannot be submitted without it.
    pub wajib: bool,
    /// When the row applies; `None` means always.
    pub syarat: Option<KondisiDokumen>,
    /// One per pegawai or one per usulan.
    pub lingkup: LingkupDokumen,
    /// Accepted MIME types, e.g. `["application/pdf"]`.
    pub tipe: Vec<String>,
    /// Smallest accepted size in bytes (smaller files are empty or broken scans).
    pub ukuran_min: u64,
    /// Largest accepted size in bytes.
    pub ukuran_maks: u64,
    /// Most pages allowed, or `None` (photos, court rulings).
    pub halaman_maks: Option<u32>,
    /// Where the requirement comes from (domain.md section, regulation).
    pub sumber: String,
    /// False where no published list confirms the row.
    #[serde(default = "benar")]
    pub dikonfirmasi: bool,
    /// A note (local codes, assumptions).
    #[serde(default)]
    pub catatan: Option<String>,
}

macro_rules! baris {
    ($($tipe:ty),* $(,)?) => {$(
        impl Baris for $tipe {
            fn id(&self) -> &str {
                &self.id
            }
            fn nama(&self) -> &str {
                &self.nama
            }
        }
    )*};
}

macro_rules! baris_dikonfirmasi {
    ($($tipe:ty),* $(,)?) => {$(
        impl Baris for $tipe {
            fn id(&self) -> &str {
                &self.id
            }
            fn nama(&self) -> &str {
                &self.nama
            }
            fn dikonfirmasi(&self) -> bool {
                self.dikonfirmasi
            }
        }
    )*};
}

baris!(
    KodeUmum,
    Golongan,
    KpRegulerIjazah,
    JenisKelamin,
    Eselon,
    JenjangJf,
    UsiaBupJabatan,
    JenisKp,
    JenisHukuman,
    JenisDiklat,
    AlasanTolak,
    IkdIndikator,
    KewenanganField,
);
baris_dikonfirmasi!(TingkatPendidikan, KedudukanHukum, JenisPegawai, RefDokumen, PeriodeKp, SyaratDokumenUsulan);

/// Every table of `schemas/referensi/`, parsed. Get the embedded copy with [`referensi`].
///
/// Each field is one file (`golongan` is `golongan.json`, `kedudukan_hukum` is `kedudukan-hukum.json`).
/// The methods are the lookups the rules use; they never panic on unknown input.
#[derive(Debug, Clone)]
pub struct Referensi {
    /// Golongan/ruang PNS, in order from I/a to IV/e.
    pub golongan: Tabel<Golongan>,
    /// Tingkat pendidikan with golongan awal and maksimum.
    pub tingkat_pendidikan: Tabel<TingkatPendidikan>,
    /// The KP reguler table by ijazah.
    pub kp_reguler_ijazah: Tabel<KpRegulerIjazah>,
    /// Agama (`agamaId`).
    pub agama: Tabel<KodeUmum>,
    /// Jenis kelamin (M/F) with its NIP and NIK encodings.
    pub jenis_kelamin: Tabel<JenisKelamin>,
    /// Status perkawinan (`jenisKawinId`).
    pub status_kawin: Tabel<KodeUmum>,
    /// Jenis jabatan (1 struktural, 2 JFT, 3 rangkap, 4 pelaksana).
    pub jenis_jabatan: Tabel<KodeUmum>,
    /// Eselon with pangkat range and BUP.
    pub eselon: Tabel<Eselon>,
    /// Jenjang jabatan fungsional with koefisien and BUP.
    pub jenjang_jf: Tabel<JenjangJf>,
    /// BUP overrides by jabatan name.
    pub usia_bup_jabatan: Tabel<UsiaBupJabatan>,
    /// Kedudukan hukum (`kedudukanPnsId`).
    pub kedudukan_hukum: Tabel<KedudukanHukum>,
    /// Jenis pegawai (`jenisPegawaiId`).
    pub jenis_pegawai: Tabel<JenisPegawai>,
    /// Jenis kenaikan pangkat (`jenisKPId`).
    pub jenis_kp: Tabel<JenisKp>,
    /// Jenis pemberhentian (`jenisHenti`).
    pub jenis_pemberhentian: Tabel<KodeUmum>,
    /// Jenis pensiun.
    pub jenis_pensiun: Tabel<KodeUmum>,
    /// Jenis hukuman disiplin.
    pub jenis_hukuman: Tabel<JenisHukuman>,
    /// Tingkat hukuman disiplin (R/S/B).
    pub tingkat_hukuman: Tabel<KodeUmum>,
    /// CLTN and reactivation kinds (`cltnId`).
    pub cltn: Tabel<KodeUmum>,
    /// Latihan struktural (`latihanStrukturalId`).
    pub latihan_struktural: Tabel<KodeUmum>,
    /// Jenis diklat/kursus (`jenisDiklatId`).
    pub jenis_diklat: Tabel<JenisDiklat>,
    /// Tanda jasa/penghargaan (`hargaId`).
    pub penghargaan: Tabel<KodeUmum>,
    /// Predikat kinerja / kuadran (1–5).
    pub kuadran_kinerja: Tabel<KodeUmum>,
    /// Rating of hasil kerja and perilaku kerja (1–3).
    pub hasil_kinerja: Tabel<KodeUmum>,
    /// Kinerja periodik period (1 bulanan, 2 triwulan).
    pub periodik_kinerja: Tabel<KodeUmum>,
    /// SI-ASN usulan status codes.
    pub status_usulan: Tabel<KodeUmum>,
    /// Known reasons for rejecting an usulan.
    pub alasan_tolak: Tabel<AlasanTolak>,
    /// Document types per riwayat.
    pub ref_dokumen: Tabel<RefDokumen>,
    /// Jenis penugasan jabatan (D, PLT, PLH, PJ, TT).
    pub jenis_penugasan: Tabel<KodeUmum>,
    /// Jenis mutasi (MJ, MU).
    pub jenis_mutasi: Tabel<KodeUmum>,
    /// Jenis riwayat.
    pub jenis_riwayat: Tabel<KodeUmum>,
    /// Jenis pengadaan.
    pub jenis_pengadaan: Tabel<KodeUmum>,
    /// IKD indicators.
    pub ikd_indikator: Tabel<IkdIndikator>,
    /// KP calendars, versioned by date.
    pub periode_kp: Tabel<PeriodeKp>,
    /// The field authority table.
    pub kewenangan_field: Tabel<KewenanganField>,
    /// The documents each jenis and sub jenis of usulan needs.
    pub syarat_dokumen_usulan: Tabel<SyaratDokumenUsulan>,
}

fn muat<R: DeserializeOwned + Baris>(nama_file: &str, json: &str) -> Tabel<R> {
    let mut tabel: Tabel<R> = serde_json::from_str(json).unwrap_or_else(|err| {
        panic!(
            "schemas/referensi/{nama_file}.json is compiled into the binary and checked by the tests, \
             so it must parse: {err}"
        )
    });
    tabel.bangun_indeks();
    tabel
}

macro_rules! tabel {
    ($file:literal) => {
        muat($file, include_str!(concat!("../../schemas/referensi/", $file, ".json")))
    };
}

static REFERENSI: OnceLock<Referensi> = OnceLock::new();

/// The embedded reference data, parsed on first use and shared for the life of the process.
///
/// Panics only if an embedded file does not parse, which the tests rule out.
pub fn referensi() -> &'static Referensi {
    REFERENSI.get_or_init(Referensi::tertanam)
}

/// A month added to a date, or `None` at the end of chrono's calendar.
fn bulan_berikutnya(tanggal: NaiveDate) -> Option<NaiveDate> {
    tanggal.checked_add_months(Months::new(1))
}

/// Lower-cased, with runs of whitespace collapsed to one space.
fn normal(teks: &str) -> String {
    teks.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// True when `pola` occurs in `teks` as whole words (at the start only, for [`CaraPencocokan::Awalan`]).
fn cocok_per_kata(teks: &str, pola: &str, cara: CaraPencocokan) -> bool {
    if pola.is_empty() {
        return false;
    }
    let batas_kata = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    teks.match_indices(pola).any(|(mulai, _)| {
        let sebelum = teks[..mulai].chars().next_back();
        let sesudah = teks[mulai + pola.len()..].chars().next();
        let posisi_sah = match cara {
            CaraPencocokan::Awalan => mulai == 0,
            CaraPencocokan::Memuat => batas_kata(sebelum),
        };
        posisi_sah && batas_kata(sesudah)
    })
}

/// True when the dotted `pola` (segments, `*` for any one) covers `path`: equal to it or a prefix of it.
fn pola_mencakup(pola: &[&str], path: &[&str]) -> bool {
    pola.len() <= path.len() && pola.iter().zip(path).all(|(p, s)| *p == "*" || p == s)
}

impl Referensi {
    fn tertanam() -> Self {
        Referensi {
            golongan: tabel!("golongan"),
            tingkat_pendidikan: tabel!("tingkat-pendidikan"),
            kp_reguler_ijazah: tabel!("kp-reguler-ijazah"),
            agama: tabel!("agama"),
            jenis_kelamin: tabel!("jenis-kelamin"),
            status_kawin: tabel!("status-kawin"),
            jenis_jabatan: tabel!("jenis-jabatan"),
            eselon: tabel!("eselon"),
            jenjang_jf: tabel!("jenjang-jf"),
            usia_bup_jabatan: tabel!("usia-bup-jabatan"),
            kedudukan_hukum: tabel!("kedudukan-hukum"),
            jenis_pegawai: tabel!("jenis-pegawai"),
            jenis_kp: tabel!("jenis-kp"),
            jenis_pemberhentian: tabel!("jenis-pemberhentian"),
            jenis_pensiun: tabel!("jenis-pensiun"),
            jenis_hukuman: tabel!("jenis-hukuman"),
            tingkat_hukuman: tabel!("tingkat-hukuman"),
            cltn: tabel!("cltn"),
            latihan_struktural: tabel!("latihan-struktural"),
            jenis_diklat: tabel!("jenis-diklat"),
            penghargaan: tabel!("penghargaan"),
            kuadran_kinerja: tabel!("kuadran-kinerja"),
            hasil_kinerja: tabel!("hasil-kinerja"),
            periodik_kinerja: tabel!("periodik-kinerja"),
            status_usulan: tabel!("status-usulan"),
            alasan_tolak: tabel!("alasan-tolak"),
            ref_dokumen: tabel!("ref-dokumen"),
            jenis_penugasan: tabel!("jenis-penugasan"),
            jenis_mutasi: tabel!("jenis-mutasi"),
            jenis_riwayat: tabel!("jenis-riwayat"),
            jenis_pengadaan: tabel!("jenis-pengadaan"),
            ikd_indikator: tabel!("ikd-indikator"),
            periode_kp: tabel!("periode-kp"),
            kewenangan_field: tabel!("kewenangan-field"),
            syarat_dokumen_usulan: tabel!("syarat-dokumen-usulan"),
        }
    }

    /// Every table, in a fixed order, without its typed columns.
    pub fn semua_tabel(&self) -> Vec<&dyn TabelKode> {
        vec![
            &self.golongan,
            &self.tingkat_pendidikan,
            &self.kp_reguler_ijazah,
            &self.agama,
            &self.jenis_kelamin,
            &self.status_kawin,
            &self.jenis_jabatan,
            &self.eselon,
            &self.jenjang_jf,
            &self.usia_bup_jabatan,
            &self.kedudukan_hukum,
            &self.jenis_pegawai,
            &self.jenis_kp,
            &self.jenis_pemberhentian,
            &self.jenis_pensiun,
            &self.jenis_hukuman,
            &self.tingkat_hukuman,
            &self.cltn,
            &self.latihan_struktural,
            &self.jenis_diklat,
            &self.penghargaan,
            &self.kuadran_kinerja,
            &self.hasil_kinerja,
            &self.periodik_kinerja,
            &self.status_usulan,
            &self.alasan_tolak,
            &self.ref_dokumen,
            &self.jenis_penugasan,
            &self.jenis_mutasi,
            &self.jenis_riwayat,
            &self.jenis_pengadaan,
            &self.ikd_indikator,
            &self.periode_kp,
            &self.kewenangan_field,
            &self.syarat_dokumen_usulan,
        ]
    }

    /// The table with this name (the file name without `.json`, e.g. `"kedudukan-hukum"`).
    pub fn tabel(&self, nama_tabel: &str) -> Option<&dyn TabelKode> {
        self.semua_tabel().into_iter().find(|tabel| tabel.nama_tabel() == nama_tabel)
    }

    /// The name of code `id` in table `tabel` (file name without `.json`), e.g. `nama("agama", "1")` is `"Islam"`.
    pub fn nama(&self, tabel: &str, id: &str) -> Option<&str> {
        self.tabel(tabel)?.nama(id)
    }

    /// The golongan with this id (`"11"`…`"45"`).
    pub fn golongan(&self, id: &str) -> Option<&Golongan> {
        self.golongan.get(id)
    }

    /// The tingkat pendidikan with this id (`"05"`…`"50"`).
    pub fn tingkat_pendidikan(&self, id: &str) -> Option<&TingkatPendidikan> {
        self.tingkat_pendidikan.get(id)
    }

    /// The eselon with this id (`"00"`…`"99"`).
    pub fn eselon(&self, id: &str) -> Option<&Eselon> {
        self.eselon.get(id)
    }

    /// The kedudukan hukum with this id (`"01"`…`"99"`).
    pub fn kedudukan_hukum(&self, id: &str) -> Option<&KedudukanHukum> {
        self.kedudukan_hukum.get(id)
    }

    /// The jenis KP with this id (`"101"`, `"201"`…`"211"`).
    pub fn jenis_kp(&self, id: &str) -> Option<&JenisKp> {
        self.jenis_kp.get(id)
    }

    /// The SI-ASN usulan status with this code. Display the name the server sent when there is one.
    pub fn status_usulan(&self, id: &str) -> Option<&KodeUmum> {
        self.status_usulan.get(id)
    }

    /// The IKD indicator with this code (`"COM_1"`…`"CON_4"`).
    pub fn ikd_indikator(&self, kode: &str) -> Option<&IkdIndikator> {
        self.ikd_indikator.get(kode)
    }

    /// The jenjang JF with this SI-ASN `jenjang` code (`"PT"`, `"MU"`, …).
    pub fn jenjang_jf(&self, kode: &str) -> Option<&JenjangJf> {
        self.jenjang_jf.get(kode)
    }

    /// The rank of a golongan from 1 (I/a, `"11"`) to 17 (IV/e, `"45"`), for comparing golongan.
    pub fn golongan_urutan(&self, id: &str) -> Option<u8> {
        let posisi = self.golongan.posisi(id)?;
        u8::try_from(posisi + 1).ok()
    }

    /// The golongan one step above `id` (III/d → IV/a), or `None` for IV/e and unknown ids.
    pub fn golongan_berikutnya(&self, id: &str) -> Option<&Golongan> {
        let posisi = self.golongan.posisi(id)?;
        self.golongan.rows.get(posisi + 1)
    }

    /// The BUP override for a jabatan name, if its own law sets one (`"Guru Ahli Madya"` → 60).
    ///
    /// Matching ignores case and extra whitespace and works on whole words (`"Kejaksaan"` does not match
    /// `"Jaksa"`). When several patterns match, the longest wins (`"Guru Besar"` over `"Guru"`), then
    /// [`CaraPencocokan::Awalan`] over [`CaraPencocokan::Memuat`], then file order. `None` means the BUP follows
    /// the jenjang or eselon; prefer the `usiaBup` of SI-ASN's jabatan fungsional reference when it is known.
    pub fn usia_bup_jabatan(&self, nama_jabatan: &str) -> Option<&UsiaBupJabatan> {
        let nama = normal(nama_jabatan);
        let mut terbaik: Option<(&UsiaBupJabatan, (usize, bool))> = None;
        for row in &self.usia_bup_jabatan.rows {
            let pola = normal(&row.pola);
            if !cocok_per_kata(&nama, &pola, row.cara) {
                continue;
            }
            let kekhususan = (pola.chars().count(), row.cara == CaraPencocokan::Awalan);
            if terbaik.is_none_or(|(_, lain)| kekhususan > lain) {
                terbaik = Some((row, kekhususan));
            }
        }
        terbaik.map(|(row, _)| row)
    }

    /// The KP calendar in force on `tanggal`, or `None` before the first one in the table (2000-01-01).
    pub fn periode_kp_pada(&self, tanggal: NaiveDate) -> Option<&PeriodeKp> {
        self.periode_kp.rows.iter().find(|periode| periode.berlaku_pada(tanggal))
    }

    /// The first valid TMT KP on or after `dari`: the first day of a month that is a KP month under the
    /// calendar in force on that day.
    ///
    /// The walk goes month by month and is bounded: it stops at most 13 months after the later of `dari` and the
    /// start of the last calendar, which always has a KP date (checked by [`Referensi::periksa`]).
    /// Dates before 2000-01-01 walk forward to the first calendar. Returns `NaiveDate::MAX` only when `dari`
    /// is within a month of the end of chrono's calendar.
    ///
    /// # Panics
    ///
    /// Only if the embedded `periode-kp.json` has no open calendar with a KP month, which the tests rule out.
    pub fn tmt_kp_berikutnya(&self, dari: NaiveDate) -> NaiveDate {
        let awal_bulan = dari.with_day(1).unwrap_or(dari);
        let mut calon = if awal_bulan < dari {
            match bulan_berikutnya(awal_bulan) {
                Some(tanggal) => tanggal,
                None => return NaiveDate::MAX,
            }
        } else {
            awal_bulan
        };
        let mulai_terakhir = self.periode_kp.rows.iter().map(|periode| periode.berlaku_mulai).max();
        let batas = mulai_terakhir
            .map_or(dari, |mulai| mulai.max(dari))
            .checked_add_months(Months::new(13))
            .unwrap_or(NaiveDate::MAX);
        while calon <= batas {
            if let Some(periode) = self.periode_kp_pada(calon)
                && periode.tanggal_kp(calon)
            {
                return calon;
            }
            match bulan_berikutnya(calon) {
                Some(tanggal) => calon = tanggal,
                None => return NaiveDate::MAX,
            }
        }
        panic!(
            "schemas/referensi/periode-kp.json must end with an open calendar that has a KP date \
             (checked by Referensi::periksa); no TMT KP found from {dari}"
        )
    }

    /// The authority rule for a dotted field path, e.g. `"data_utama.no_hp"` or
    /// `"riwayat_jabatan.<row id>.tmt_jabatan"` (covered by the `"riwayat_jabatan"` row).
    ///
    /// The most specific row wins: the one with more segments, then the one with fewer `*`.
    /// `None` means the table has no rule for the path; the hub treats that as "nobody may write it".
    pub fn kewenangan(&self, field_path: &str) -> Option<&KewenanganField> {
        let path: Vec<&str> = field_path.split('.').collect();
        let mut terbaik: Option<(&KewenanganField, (usize, Reverse<usize>))> = None;
        for row in &self.kewenangan_field.rows {
            let pola: Vec<&str> = row.id.split('.').collect();
            if !pola_mencakup(&pola, &path) {
                continue;
            }
            let wildcard = pola.iter().filter(|segmen| **segmen == "*").count();
            let kekhususan = (pola.len(), Reverse(wildcard));
            if terbaik.is_none_or(|(_, lain)| kekhususan > lain) {
                terbaik = Some((row, kekhususan));
            }
        }
        terbaik.map(|(row, _)| row)
    }

    /// The row of a pegawai field at dotted path `dotted` as the push rules read the table: [`Self::kewenangan`],
    /// and a `*_nama` field without a row of its own follows its `*_id` sibling (`agama_nama` follows
    /// `agama_id`).
    pub fn kewenangan_pegawai(&self, dotted: &str) -> Option<&KewenanganField> {
        self.kewenangan(dotted).or_else(|| {
            let stem = dotted.strip_suffix("_nama")?;
            self.kewenangan(&format!("{stem}_id"))
        })
    }

    /// The document rows for an usulan of `jenis` and `sub_jenis`, in file order: the rows for every sub jenis
    /// (`sub_jenis: null`) and those for this one. Conditions are not applied here ([`crate::usulan::syarat`] does).
    pub fn syarat_dokumen(
        &self,
        jenis: crate::usulan::JenisUsulan,
        sub_jenis: Option<&str>,
    ) -> impl Iterator<Item = &SyaratDokumenUsulan> {
        self.syarat_dokumen_usulan
            .rows
            .iter()
            .filter(move |row| row.jenis == jenis && row.sub_jenis.as_deref().is_none_or(|sub| Some(sub) == sub_jenis))
    }

    /// Checks the data for what the types cannot express, returning one English message per problem.
    ///
    /// Checked: each table's name and file agree; ids are unique and ids and names non-empty; golongan is in
    /// order 11…45; every golongan, tingkat pendidikan and tingkat hukuman named by another table exists;
    /// golongan awal ≤ maksimum; the KP-by-ijazah table agrees with tingkat pendidikan; the IKD table has 27
    /// indicators in 4 dimensions whose weights sum to 1; the KP calendars are contiguous, do not overlap and
    /// end open with a KP date; BUP patterns are non-empty. The tests require an empty result.
    pub fn periksa(&self) -> Vec<String> {
        let mut masalah = Vec::new();
        self.periksa_umum(&mut masalah);
        self.periksa_golongan(&mut masalah);
        self.periksa_pendidikan(&mut masalah);
        self.periksa_rujukan(&mut masalah);
        periksa_ikd(&self.ikd_indikator.rows, &mut masalah);
        periksa_periode_kp(&self.periode_kp.rows, &mut masalah);
        masalah
    }

    fn periksa_umum(&self, masalah: &mut Vec<String>) {
        let nama_file = [
            "golongan",
            "tingkat-pendidikan",
            "kp-reguler-ijazah",
            "agama",
            "jenis-kelamin",
            "status-kawin",
            "jenis-jabatan",
            "eselon",
            "jenjang-jf",
            "usia-bup-jabatan",
            "kedudukan-hukum",
            "jenis-pegawai",
            "jenis-kp",
            "jenis-pemberhentian",
            "jenis-pensiun",
            "jenis-hukuman",
            "tingkat-hukuman",
            "cltn",
            "latihan-struktural",
            "jenis-diklat",
            "penghargaan",
            "kuadran-kinerja",
            "hasil-kinerja",
            "periodik-kinerja",
            "status-usulan",
            "alasan-tolak",
            "ref-dokumen",
            "jenis-penugasan",
            "jenis-mutasi",
            "jenis-riwayat",
            "jenis-pengadaan",
            "ikd-indikator",
            "periode-kp",
            "kewenangan-field",
            "syarat-dokumen-usulan",
        ];
        let semua = self.semua_tabel();
        if semua.len() != nama_file.len() {
            masalah.push(format!("{} tables loaded, {} file names listed", semua.len(), nama_file.len()));
        }
        for (tabel, file) in semua.iter().zip(nama_file) {
            if tabel.nama_tabel() != file {
                masalah.push(format!("{file}.json says \"tabel\": \"{}\"", tabel.nama_tabel()));
            }
            if tabel.judul().trim().is_empty() || tabel.sumber().trim().is_empty() {
                masalah.push(format!("{file}: judul and sumber must not be empty"));
            }
            let kode = tabel.kode();
            if kode.is_empty() {
                masalah.push(format!("{file}: no rows"));
            }
            let mut dilihat = HashMap::new();
            for (posisi, baris) in kode.iter().enumerate() {
                if baris.id.trim().is_empty() || baris.id.trim() != baris.id {
                    masalah.push(format!("{file}: row {posisi} has an empty or padded id {:?}", baris.id));
                }
                if baris.nama.trim().is_empty() {
                    masalah.push(format!("{file}: id {:?} has an empty nama", baris.id));
                }
                if let Some(pertama) = dilihat.insert(baris.id, posisi) {
                    masalah.push(format!("{file}: id {:?} in rows {pertama} and {posisi}", baris.id));
                }
            }
        }
        for row in &self.usia_bup_jabatan.rows {
            if normal(&row.pola).is_empty() {
                masalah.push(format!("usia-bup-jabatan {}: empty pola", row.id));
            }
        }
    }

    fn periksa_golongan(&self, masalah: &mut Vec<String>) {
        let angka: Vec<Option<u32>> = self.golongan.rows.iter().map(|row| row.id.parse().ok()).collect();
        if angka.iter().any(Option::is_none) || !angka.windows(2).all(|pasangan| pasangan[0] < pasangan[1]) {
            masalah.push("golongan: ids must be numeric and in ascending order (11 … 45)".to_owned());
        }
        if self.golongan.rows.len() != 17 {
            masalah.push(format!("golongan: {} rows, expected 17 (I/a … IV/e)", self.golongan.rows.len()));
        }
    }

    fn periksa_rentang(&self, tabel: &str, id: &str, awal: &str, maks: &str, masalah: &mut Vec<String>) {
        match (self.golongan_urutan(awal), self.golongan_urutan(maks)) {
            (Some(urutan_awal), Some(urutan_maks)) if urutan_awal > urutan_maks => {
                masalah.push(format!("{tabel} {id}: golongan {awal} is above {maks}"))
            }
            (Some(_), Some(_)) => {}
            _ => masalah.push(format!("{tabel} {id}: golongan {awal} or {maks} is not in golongan")),
        }
    }

    fn periksa_pendidikan(&self, masalah: &mut Vec<String>) {
        for row in &self.tingkat_pendidikan.rows {
            self.periksa_rentang("tingkat-pendidikan", &row.id, &row.golongan_awal_id, &row.golongan_maks_id, masalah);
        }
        let mut dipakai: HashMap<&str, usize> = HashMap::new();
        for row in &self.kp_reguler_ijazah.rows {
            self.periksa_rentang("kp-reguler-ijazah", &row.id, &row.golongan_awal_id, &row.golongan_maks_id, masalah);
            for id in &row.tingkat_pendidikan_ids {
                *dipakai.entry(id).or_default() += 1;
                match self.tingkat_pendidikan(id) {
                    None => masalah.push(format!("kp-reguler-ijazah {}: tingkat pendidikan {id} unknown", row.id)),
                    Some(tp)
                        if tp.golongan_awal_id != row.golongan_awal_id
                            || tp.golongan_maks_id != row.golongan_maks_id =>
                    {
                        masalah.push(format!(
                            "kp-reguler-ijazah {} says {}–{} but tingkat-pendidikan {id} says {}–{}",
                            row.id,
                            row.golongan_awal_id,
                            row.golongan_maks_id,
                            tp.golongan_awal_id,
                            tp.golongan_maks_id
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        for row in &self.tingkat_pendidikan.rows {
            let kali = dipakai.get(row.id.as_str()).copied().unwrap_or(0);
            if kali != 1 {
                masalah.push(format!("tingkat-pendidikan {} is in {kali} kp-reguler-ijazah rows, expected 1", row.id));
            }
        }
    }

    fn periksa_rujukan(&self, masalah: &mut Vec<String>) {
        for row in &self.eselon.rows {
            match (&row.pangkat_min_id, &row.pangkat_maks_id) {
                (Some(min), Some(maks)) => self.periksa_rentang("eselon", &row.id, min, maks, masalah),
                (None, None) => {}
                _ => masalah.push(format!("eselon {}: pangkat_min_id and pangkat_maks_id go together", row.id)),
            }
        }
        for row in &self.jenis_hukuman.rows {
            if self.tingkat_hukuman.get(&row.tingkat).is_none() {
                masalah.push(format!("jenis-hukuman {}: tingkat {:?} unknown", row.id, row.tingkat));
            }
        }
        for row in &self.jenis_kelamin.rows {
            if !matches!(row.kode_nip, 1 | 2) || !matches!(row.tambah_hari_nik, 0 | 40) {
                masalah.push(format!("jenis-kelamin {}: kode_nip must be 1/2 and tambah_hari_nik 0/40", row.id));
            }
        }
        for row in &self.kewenangan_field.rows {
            if row.id.split('.').any(str::is_empty) {
                masalah.push(format!("kewenangan-field {:?}: empty path segment", row.id));
            }
        }
    }
}

/// The 27 IKD codes, in 4 dimensions with one weight each, summing to 1; code prefixes match dimensions.
fn periksa_ikd(rows: &[IkdIndikator], masalah: &mut Vec<String>) {
    if rows.len() != 27 {
        masalah.push(format!("ikd-indikator: {} rows, expected 27", rows.len()));
    }
    let mut bobot: HashMap<DimensiIkd, f64> = HashMap::new();
    for row in rows {
        let awalan = match row.dimensi {
            DimensiIkd::Kelengkapan => "COM_",
            DimensiIkd::KetepatanWaktu => "TIM_",
            DimensiIkd::Akurasi => "ACC_",
            DimensiIkd::Konsistensi => "CON_",
        };
        if !row.id.starts_with(awalan) {
            masalah.push(format!("ikd-indikator {}: dimension {:?} needs prefix {awalan}", row.id, row.dimensi));
        }
        let sebelumnya = *bobot.entry(row.dimensi).or_insert(row.bobot_dimensi);
        if (sebelumnya - row.bobot_dimensi).abs() > 1e-9 {
            masalah.push(format!("ikd-indikator {}: bobot_dimensi differs within {:?}", row.id, row.dimensi));
        }
    }
    if bobot.len() != 4 {
        masalah.push(format!("ikd-indikator: {} dimensions, expected 4", bobot.len()));
    }
    let jumlah: f64 = bobot.values().sum();
    if (jumlah - 1.0).abs() > 1e-9 {
        masalah.push(format!("ikd-indikator: dimension weights sum to {jumlah}, expected 1"));
    }
}

/// KP calendars: in order, each ending where the next starts, the last one open; months valid; day 1.
fn periksa_periode_kp(rows: &[PeriodeKp], masalah: &mut Vec<String>) {
    if rows.is_empty() {
        masalah.push("periode-kp: no rows".to_owned());
        return;
    }
    for (posisi, periode) in rows.iter().enumerate() {
        let terakhir = posisi + 1 == rows.len();
        match (periode.berlaku_sampai, rows.get(posisi + 1)) {
            (Some(sampai), _) if sampai <= periode.berlaku_mulai => {
                masalah.push(format!("periode-kp {}: berlaku_sampai is not after berlaku_mulai", periode.id))
            }
            (Some(sampai), Some(berikut)) if sampai != berikut.berlaku_mulai => masalah.push(format!(
                "periode-kp {}: ends {sampai} but {} starts {} (gap or overlap)",
                periode.id, berikut.id, berikut.berlaku_mulai
            )),
            (None, Some(_)) => masalah.push(format!("periode-kp {}: only the last period may be open", periode.id)),
            (Some(_), None) => masalah.push(format!("periode-kp {}: the last period must be open", periode.id)),
            _ => {}
        }
        let bulan_sah = !periode.bulan.is_empty()
            && periode.bulan.iter().all(|bulan| (1..=12).contains(bulan))
            && periode.bulan.windows(2).all(|pasangan| pasangan[0] < pasangan[1]);
        if !bulan_sah {
            masalah.push(format!("periode-kp {}: bulan must be ascending months 1–12, non-empty", periode.id));
        }
        if periode.tanggal != 1 {
            masalah.push(format!("periode-kp {}: tanggal must be 1 (the walk checks first days)", periode.id));
        }
        if terakhir && periode.bulan.is_empty() {
            masalah.push("periode-kp: the open period has no KP month".to_owned());
        }
    }
}

#[cfg(test)]
mod tests;
