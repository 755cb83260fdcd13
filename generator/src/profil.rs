//! One pegawai's whole record as typed values: identity, career (golongan, jabatan, pendidikan), SKP, diklat,
//! penghargaan and keluarga, drawn consistently and then, for a share of records, given one deliberate IKD anomaly.
//!
//! A career is built forward from the TMT CPNS: golongan awal from the ijazah (`golongan_awal_id`, III/b for dokter
//! and apoteker), KP every four years or more on the KP dates of the calendar in force (`tmt_kp_berikutnya`; April
//! and October before 2000), KP reguler (101) only up to the ijazah's `golongan_maks_id`, KP pilihan for jabatan
//! fungsional (202) and struktural (201) up to the jenjang or eselon range, penyesuaian ijazah (203) when a higher
//! ijazah arrives, and a masa kerja golongan that follows the TMT. Birth dates follow the entry age of the ijazah
//! and keep every clean record before its BUP. Anomalies change only what their IKD rule looks at (see
//! `../shared/fixtures/expected.json` `ikd_rules`), so that `model`'s rules find exactly the injected code.
//!
//! What this module does not do: it writes no JSON (that is `render`), it does not model CLTN, hukuman disiplin,
//! pindah instansi, PMK or angka kredit, and it does not inject representation dirt.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use model::referensi::referensi;

use crate::ids::{
    FnvBuild, add_days, add_months, date_between, digits, first_of_month, guid_pada, timestamp, uuid4, whole_months,
    ymd,
};
use crate::katalog::{self, Fungsional, Kategori, Nakes, Program};
use crate::nama::{self, Wilayah};
use crate::rng::Rng;
use crate::unor::{JenisUnit, Sektor, Tree};
use crate::{Config, Instansi};

/// The stream number of pegawai 0; pegawai `i` draws from stream `STREAM_PEGAWAI + i`.
pub(crate) const STREAM_PEGAWAI: u64 = 1 << 32;

/// PNS, CPNS or PPPK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asn {
    Pns,
    Cpns,
    Pppk,
}

/// What a pegawai does; heads and kepala sekolah carry their unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peran {
    Struktural(usize),
    KepalaSekolah(usize),
    Guru,
    Nakes,
    Pelaksana,
    Fungsional,
}

/// One slot of the plan: a role and a kind of ASN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rencana {
    pub(crate) peran: Peran,
    pub(crate) asn: Asn,
}

/// A weighted list of unit indices, drawn by binary search over cumulative weights.
#[derive(Debug, Clone, Default)]
pub(crate) struct Daftar {
    units: Vec<usize>,
    cumulative: Vec<f64>,
}

impl Daftar {
    fn push(&mut self, unit: usize, weight: f64) {
        if weight <= 0.0 {
            return;
        }
        let total = self.cumulative.last().copied().unwrap_or(0.0) + weight;
        self.units.push(unit);
        self.cumulative.push(total);
    }

    fn pick(&self, rng: &mut Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        let target = rng.unit() * total;
        let position = self.cumulative.partition_point(|&cumulative| cumulative <= target);
        self.units.get(position.min(self.units.len() - 1)).copied()
    }

    fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// Where each kind of pegawai works.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pools {
    sekolah: Daftar,
    puskesmas: Daftar,
    rsud: Daftar,
    dinkes: Daftar,
    pelaksana: Daftar,
    opd_fungsional: Daftar,
    /// Office units (not schools, not puskesmas) of each OPD, indexed by the OPD's unit index.
    kantor: Vec<Vec<usize>>,
    /// Units by eselon id, for the earlier posts of a pejabat.
    per_eselon: HashMap<&'static str, Vec<usize>>,
}

impl Pools {
    /// The pools of `tree`.
    pub(crate) fn new(tree: &Tree) -> Self {
        let mut pools = Pools { kantor: vec![Vec::new(); tree.units.len()], ..Pools::default() };
        for (index, unit) in tree.units.iter().enumerate() {
            if let Some(eselon) = unit.eselon {
                pools.per_eselon.entry(eselon).or_default().push(index);
            }
            let opd = &tree.units[unit.opd];
            match unit.jenis {
                JenisUnit::Root => continue,
                JenisUnit::Sd => pools.sekolah.push(index, 1.0),
                JenisUnit::Smp => pools.sekolah.push(index, 2.0),
                JenisUnit::Puskesmas => pools.puskesmas.push(index, 1.0),
                _ if opd.sektor == Sektor::RumahSakit && unit.jenis != JenisUnit::Opd => {
                    let weight = if unit.nama.contains("TATA USAHA") || unit.nama.contains("UMUM") { 0.2 } else { 1.0 };
                    pools.rsud.push(index, weight);
                }
                _ if opd.sektor == Sektor::Kesehatan && unit.jenis == JenisUnit::Bidang => {
                    pools.dinkes.push(index, 1.0)
                }
                _ => {}
            }
            let pelaksana = match unit.jenis {
                JenisUnit::Root => 0.0,
                JenisUnit::SubBagian | JenisUnit::Bidang | JenisUnit::Kelurahan => 3.0,
                JenisUnit::Seksi | JenisUnit::Bagian | JenisUnit::Irban => 2.0,
                JenisUnit::Sekretariat | JenisUnit::Kecamatan => 1.5,
                JenisUnit::Opd => 1.0,
                JenisUnit::Asisten => 0.5,
                JenisUnit::Puskesmas => 0.8,
                JenisUnit::Sd | JenisUnit::Smp => 0.12,
            };
            pools.pelaksana.push(index, pelaksana);
            if !matches!(unit.jenis, JenisUnit::Sd | JenisUnit::Smp | JenisUnit::Puskesmas) {
                pools.kantor[unit.opd].push(index);
            }
            if unit.jenis == JenisUnit::Opd || unit.jenis == JenisUnit::Kecamatan {
                pools.opd_fungsional.push(index, katalog::bobot_fungsional(unit.sektor));
            }
        }
        pools
    }
}

/// Everything pegawai generation reads.
#[derive(Debug)]
pub(crate) struct Konteks<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tree: &'a Tree,
    pub(crate) instansi: &'a Instansi,
    pub(crate) pools: &'a Pools,
}

// Riwayat rows keep their numbers and dates; the texts only a web-service response shows (row ids, SK numbers,
// names of keluarga) are drawn from each row's own `benih` when rendered, so the CSV path never builds them.

/// One ijazah held.
#[derive(Debug, Clone)]
pub(crate) struct Pendidikan {
    pub(crate) benih: u64,
    pub(crate) program: Program,
    pub(crate) lulus: NaiveDate,
    pub(crate) pertama: bool,
}

impl Pendidikan {
    /// The row id and nomor ijazah.
    pub(crate) fn teks(&self, tmt: NaiveDate) -> (String, String) {
        let rng = &mut Rng::new(self.benih, 0);
        let id = guid_pada(rng, self.lulus.year().max(tmt.year()));
        let kampus = rng.pick(self.program.kampus);
        let nomor = if *kampus == "SEKOLAH" {
            format!("DN-{:02} Ma {}", rng.range(1, 30), digits(rng, 7))
        } else {
            format!("{:04}/{kampus}/{}", rng.range(1, 9999), self.lulus.year())
        };
        (id, nomor)
    }
}

/// One row of riwayat golongan.
#[derive(Debug, Clone)]
pub(crate) struct Pangkat {
    pub(crate) benih: u64,
    pub(crate) golongan: &'static str,
    pub(crate) jenis_kp: &'static str,
    pub(crate) tmt: NaiveDate,
    /// Masa kerja golongan at `tmt`, in months.
    pub(crate) mk_bulan: i32,
    pub(crate) sk_tanggal: NaiveDate,
    pub(crate) pertek_tanggal: Option<NaiveDate>,
    pub(crate) dokumen: bool,
}

/// The texts of a [`Pangkat`] row.
#[derive(Debug, Clone)]
pub(crate) struct TeksPangkat {
    pub(crate) id: String,
    pub(crate) sk_nomor: String,
    pub(crate) pertek: Option<String>,
}

impl Pangkat {
    /// The row id, SK number and pertek number.
    pub(crate) fn teks(&self) -> TeksPangkat {
        let rng = &mut Rng::new(self.benih, 0);
        let jenis = if self.jenis_kp == "211" { "cpns" } else { "kp" };
        TeksPangkat {
            id: guid_pada(rng, self.sk_tanggal.year()),
            sk_nomor: nomor_sk(rng, jenis, self.sk_tanggal.year()),
            pertek: self.pertek_tanggal.map(|date| nomor_pertek(rng, date.year())),
        }
    }
}

/// One row of riwayat jabatan.
#[derive(Debug, Clone)]
pub(crate) struct Jabatan {
    pub(crate) benih: u64,
    /// `"1"` struktural, `"2"` fungsional, `"4"` pelaksana.
    pub(crate) jenis: &'static str,
    pub(crate) unit: usize,
    pub(crate) nama: String,
    pub(crate) eselon: Option<&'static str>,
    /// Jenjang code of a jabatan fungsional.
    pub(crate) jenjang: Option<&'static str>,
    pub(crate) tmt: NaiveDate,
    pub(crate) tanggal_sk: NaiveDate,
    /// `"jabatan"`, or `"pppk"` for the SK of a PPPK.
    pub(crate) jenis_sk: &'static str,
    /// `""`, `"MJ"` or `"MU"`.
    pub(crate) mutasi: &'static str,
    pub(crate) penugasan: &'static str,
    pub(crate) sub_jabatan: Option<&'static str>,
    pub(crate) dokumen: bool,
}

impl Jabatan {
    /// The row id and SK number.
    pub(crate) fn teks(&self) -> (String, String) {
        let rng = &mut Rng::new(self.benih, 0);
        (guid_pada(rng, self.tanggal_sk.year()), nomor_sk(rng, self.jenis_sk, self.tanggal_sk.year()))
    }

    /// The jabatan id: the unit's id for a jabatan struktural, the jabatan reference id otherwise.
    pub(crate) fn jabatan_id(&self, tree: &Tree) -> String {
        if self.jenis == "1" { tree.units[self.unit].id.clone() } else { crate::ids::ref_id("jabatan", &self.nama) }
    }
}

/// One year of SKP (PermenPANRB 6/2022): hasil and perilaku kerja, 1 di atas, 2 sesuai, 3 di bawah ekspektasi.
#[derive(Debug, Clone)]
pub(crate) struct Skp {
    pub(crate) benih: u64,
    pub(crate) tahun: i32,
    pub(crate) hasil: u8,
    pub(crate) perilaku: u8,
    pub(crate) dokumen: bool,
}

/// One diklat struktural.
#[derive(Debug, Clone)]
pub(crate) struct Diklat {
    pub(crate) id: String,
    pub(crate) latihan_id: &'static str,
    pub(crate) latihan_nama: &'static str,
    pub(crate) nomor: String,
    pub(crate) mulai: NaiveDate,
    pub(crate) selesai: NaiveDate,
    pub(crate) jam: u32,
    pub(crate) penyelenggara: &'static str,
}

/// One Satyalancana Karya Satya.
#[derive(Debug, Clone)]
pub(crate) struct Penghargaan {
    pub(crate) benih: u64,
    pub(crate) harga_id: &'static str,
    pub(crate) harga_nama: &'static str,
    pub(crate) tahun: i32,
    pub(crate) sk_tanggal: NaiveDate,
}

impl Penghargaan {
    /// The row id and the Keppres number.
    pub(crate) fn teks(&self) -> (String, String) {
        let rng = &mut Rng::new(self.benih, 0);
        (guid_pada(rng, self.tahun), format!("{}/TK/TAHUN {}", rng.range(1, 130), self.tahun))
    }
}

/// The spouse (current, divorced or deceased).
#[derive(Debug, Clone)]
pub(crate) struct Pasangan {
    pub(crate) benih: u64,
    pub(crate) wilayah: Wilayah,
    pub(crate) wanita: bool,
    pub(crate) tgl_lahir: NaiveDate,
    /// `"1"` Menikah, `"2"` Cerai, `"3"` Janda / Duda.
    pub(crate) jenis_kawin: &'static str,
    pub(crate) tgl_menikah: NaiveDate,
    pub(crate) tgl_cerai: Option<NaiveDate>,
    pub(crate) tgl_meninggal: Option<NaiveDate>,
    pub(crate) is_pns: bool,
}

/// The texts of a [`Pasangan`].
#[derive(Debug, Clone)]
pub(crate) struct TeksPasangan {
    pub(crate) orang_id: String,
    pub(crate) created_at: String,
    pub(crate) nama: String,
    pub(crate) pernikahan_id: String,
    pub(crate) akta_menikah: String,
}

impl Pasangan {
    /// The person id, record time, name, marriage id and akta nikah number.
    pub(crate) fn teks(&self) -> TeksPasangan {
        let rng = &mut Rng::new(self.benih, 0);
        let created = date_between(rng, ymd(2021, 6, 1), ymd(2024, 6, 30));
        let bulan = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
        TeksPasangan {
            orang_id: uuid4(rng),
            created_at: timestamp(rng, created),
            nama: nama::nama_orang(rng, self.wilayah, self.wanita),
            pernikahan_id: uuid4(rng),
            akta_menikah: format!(
                "{}/{}/{}/{}",
                rng.range(1, 999),
                rng.range(1, 99),
                bulan[self.tgl_menikah.month0() as usize],
                self.tgl_menikah.year()
            ),
        }
    }
}

/// A child.
#[derive(Debug, Clone)]
pub(crate) struct Anak {
    pub(crate) benih: u64,
    pub(crate) wanita: bool,
    pub(crate) tgl_lahir: NaiveDate,
}

impl Anak {
    /// The id, record time, given name and birth place of a child of a family of `wilayah` in `tree`.
    pub(crate) fn teks(&self, wilayah: Wilayah, tree: &Tree) -> (String, String, String, String) {
        let rng = &mut Rng::new(self.benih, 0);
        let created = date_between(rng, ymd(2021, 6, 1), ymd(2024, 6, 30)).max(self.tgl_lahir);
        let id = uuid4(rng);
        let created_at = timestamp(rng, created);
        let nama = nama::nama_anak(rng, wilayah, self.wanita, self.tgl_lahir.year());
        let tempat = rng.pick(&tree.kecamatan).nama.clone();
        (id, created_at, nama, tempat)
    }
}

/// A document number with its date (SK, SPMT, STTPL, surat keterangan).
pub(crate) type Surat = (String, NaiveDate);

/// One pegawai, typed. Dates are the recorded ones (anomalies included); the NIP carries the true ones.
#[derive(Debug, Clone)]
pub(crate) struct Profil {
    pub(crate) asn: Asn,
    pub(crate) peran: Peran,
    pub(crate) anomali: Option<&'static str>,
    pub(crate) pns_id: String,
    pub(crate) nip: String,
    pub(crate) nip_lama: Option<String>,
    pub(crate) nama: String,
    pub(crate) gelar_depan: Option<String>,
    pub(crate) gelar_belakang: Option<String>,
    pub(crate) wanita: bool,
    pub(crate) wilayah: Wilayah,
    pub(crate) tgl_lahir: NaiveDate,
    pub(crate) tempat_lahir: String,
    pub(crate) agama: &'static str,
    pub(crate) nik: Option<String>,
    pub(crate) valid_nik: bool,
    pub(crate) email: Option<String>,
    pub(crate) email_gov: Option<String>,
    pub(crate) no_hp: Option<String>,
    pub(crate) alamat: String,
    pub(crate) kode_pos: String,
    pub(crate) npwp: Option<String>,
    pub(crate) bpjs: Option<String>,
    pub(crate) kartu_asn: Option<String>,
    pub(crate) karpeg: Option<String>,
    pub(crate) karis_karsu: Option<String>,
    pub(crate) kedudukan: &'static str,
    /// TMT CPNS as recorded (PNS/CPNS).
    pub(crate) tmt_cpns: Option<NaiveDate>,
    pub(crate) sk_cpns: Option<Surat>,
    pub(crate) tmt_pns: Option<NaiveDate>,
    pub(crate) sk_pns: Option<Surat>,
    /// The true first TMT (CPNS or PPPK), for masa kerja.
    pub(crate) tmt_awal: NaiveDate,
    pub(crate) spmt: Option<Surat>,
    pub(crate) sttpl: Option<Surat>,
    pub(crate) surat_dokter: Option<Surat>,
    pub(crate) surat_narkoba: Option<Surat>,
    pub(crate) skck: Option<Surat>,
    pub(crate) taspen: Option<String>,
    pub(crate) dokumen_utama: bool,
    pub(crate) pendidikan: Vec<Pendidikan>,
    /// COM_3: the pendidikan terakhir is not recorded (and rw-pendidikan answers 404).
    pub(crate) pendidikan_kosong: bool,
    pub(crate) golongan: Vec<Pangkat>,
    pub(crate) jabatan: Vec<Jabatan>,
    pub(crate) skp: Vec<Skp>,
    pub(crate) diklat: Vec<Diklat>,
    pub(crate) penghargaan: Vec<Penghargaan>,
    pub(crate) pasangan: Option<Pasangan>,
    pub(crate) anak: Vec<Anak>,
    pub(crate) bup: u8,
    pub(crate) tmt_pensiun: NaiveDate,
    /// For each optional endpoint with no rows: answer 404 (true) or an empty 200 (false).
    pub(crate) kosong_404: [bool; 4],
    /// How far this NIP's sequence number moves past the previous one with the same first 15 digits (1–3).
    pub(crate) langkah_urut: u16,
}

impl Profil {
    /// The current jabatan (the last row).
    pub(crate) fn jabatan_kini(&self) -> Option<&Jabatan> {
        self.jabatan.last()
    }

    /// The current golongan (the last row), none for PPPK.
    pub(crate) fn golongan_kini(&self) -> Option<&Pangkat> {
        self.golongan.last()
    }

    /// The pendidikan terakhir (the highest, which is also the latest).
    pub(crate) fn pendidikan_terakhir(&self) -> Option<&Pendidikan> {
        self.pendidikan.last()
    }

    /// Completes the NIP with its sequence number: the next free one for its first 15 digits (unique per prefix,
    /// as BKN assigns them), skipping `langkah_urut - 1` numbers. Call in plan order.
    pub(crate) fn beri_nomor(&mut self, urut: &mut HashMap<[u8; 15], u16>) {
        let mut prefix = [0u8; 15];
        prefix.copy_from_slice(&self.nip.as_bytes()[..15]);
        let entry = urut.entry(prefix).or_insert(0);
        *entry = (*entry + self.langkah_urut).min(999);
        self.nip = format!("{}{:03}", &self.nip[..15], *entry);
    }

    /// The unit of the current jabatan.
    pub(crate) fn unit(&self) -> usize {
        self.jabatan_kini().map_or(0, |jabatan| jabatan.unit)
    }
}

/// How a pegawai's career runs.
#[derive(Debug, Clone, Copy)]
enum Jalur {
    Guru { smp: bool },
    Nakes(&'static Nakes),
    Fungsional(Fungsional),
    Pelaksana,
    Struktural { eselon: &'static str, sektor: Sektor },
}

/// The IKD codes a record can be given, in `ikd::EVALUATED` order.
pub(crate) const ANOMALI: [&str; 14] = [
    "CON_1", "CON_2", "CON_3", "ACC_1", "ACC_4", "ACC_5", "ACC_10", "COM_3", "COM_4", "COM_5", "COM_6", "COM_7",
    "TIM_3", "TIM_5",
];

/// Masa kerja golongan at appointment, in months, by golongan awal (II/b one year; II/c and III/b three years).
fn mk_awal(golongan: &str) -> i32 {
    match golongan {
        "22" => 12,
        "23" | "32" => 36,
        _ => 0,
    }
}

/// The first KP date on or after `date`: the calendar of `periode-kp.json` from 2000, April and October before.
pub(crate) fn tanggal_kp(date: NaiveDate) -> NaiveDate {
    if date >= ymd(2000, 1, 1) {
        return referensi().tmt_kp_berikutnya(date);
    }
    let april = ymd(date.year(), 4, 1);
    let oktober = ymd(date.year(), 10, 1);
    if date <= april {
        april
    } else if date <= oktober {
        oktober
    } else {
        ymd(date.year() + 1, 4, 1)
    }
}

/// Adds whole years (29 February falls back to 28 February).
fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    model::date::add_years(date, years)
}

/// The earliest birth date that has not reached a BUP of `usia` on `today`: born on or after it, TMT pensiun is
/// after `today` (TMT pensiun is the 1st of the month after the BUP birthday).
fn lahir_paling_awal(today: NaiveDate, usia: u8) -> NaiveDate {
    let mut date = add_years(first_of_month(today), -i32::from(usia));
    // Step over the 29-February edge so that the rule, not the arithmetic, decides.
    while model::rules::bup::tmt_pensiun(date, usia) <= today {
        date = add_days(date, 1);
    }
    date
}

/// A SK number in the local style of `tahun` (old classification codes before 2023, BKD before 2017).
fn nomor_sk(rng: &mut Rng, jenis: &str, tahun: i32) -> String {
    let kode = match (jenis, tahun >= 2023) {
        ("cpns", false) => "813.3",
        ("cpns", true) => "800.1.2.2",
        ("pns", false) => "821.13",
        ("pns", true) => "800.1.2.5",
        ("kp", false) => "823.3",
        ("kp", true) => "800.1.3.2",
        ("pppk", _) => "800.1.2.4",
        (_, false) => "821.2",
        (_, true) => "800.1.3.3",
    };
    let badan = if tahun < 2017 { "BKD" } else { "BKPSDM" };
    format!("{kode}/{:04}/{badan}/{tahun}", rng.range(1, 2999))
}

/// A pertek BKN number: `NN/KEP/YYYY` before 2019, `MG-##########` since.
fn nomor_pertek(rng: &mut Rng, tahun: i32) -> String {
    if tahun < 2019 { format!("{:02}/KEP/{tahun}", rng.range(1, 99)) } else { format!("MG-{}", digits(rng, 10)) }
}

/// Delay after the four years of a KP step, in months: most go on time, some wait a period or several.
fn jeda_kp(rng: &mut Rng) -> i32 {
    if rng.chance(0.55) { 0 } else { rng.range(1, 30) as i32 }
}

/// The share of women in each line of work.
fn peluang_wanita(jalur: &Jalur) -> f64 {
    match jalur {
        Jalur::Guru { smp: false } => 0.72,
        Jalur::Guru { smp: true } => 0.6,
        Jalur::Nakes(line) if line.fungsional.nama == "Bidan" => 1.0,
        Jalur::Nakes(_) => 0.62,
        Jalur::Fungsional(_) => 0.45,
        Jalur::Pelaksana => 0.42,
        Jalur::Struktural { .. } => 0.28,
    }
}

/// The youngest age at which an ijazah lets someone become CPNS/PPPK.
fn usia_masuk_minimum(program: &Program) -> i64 {
    match program.tingkat {
        "05" | "10" | "12" => 19,
        "15" | "17" | "18" => 19,
        "20" | "25" => 20,
        "30" => 21,
        "35" | "40" if program.depan.is_some() => 25,
        "35" | "40" => 23,
        _ => 25,
    }
}

/// The age at which the ijazah is usually obtained.
fn usia_lulus(rng: &mut Rng, program: &Program) -> i64 {
    match program.tingkat {
        "05" => 12,
        "10" | "12" => 15,
        "15" | "17" | "18" => 18,
        "20" | "25" => rng.range(20, 21),
        "30" => rng.range(21, 22),
        "35" | "40" if program.depan.is_some() => rng.range(24, 26),
        "35" | "40" => rng.range(22, 24),
        "45" => rng.range(26, 32),
        _ => rng.range(32, 40),
    }
}

/// Decides the role details: the unit, the career line.
fn pilih_jalur(rng: &mut Rng, ctx: &Konteks<'_>, peran: Peran) -> (usize, Jalur) {
    let tree = ctx.tree;
    let pools = ctx.pools;
    match peran {
        Peran::Struktural(unit) => {
            let eselon = tree.units[unit].eselon.unwrap_or("41");
            (unit, Jalur::Struktural { eselon, sektor: tree.opd(unit).sektor })
        }
        Peran::KepalaSekolah(unit) => (unit, Jalur::Guru { smp: tree.units[unit].jenis == JenisUnit::Smp }),
        Peran::Guru => {
            let unit = pools.sekolah.pick(rng).unwrap_or(0);
            (unit, Jalur::Guru { smp: tree.units[unit].jenis == JenisUnit::Smp })
        }
        Peran::Nakes => {
            let line = katalog::pilih_nakes(rng);
            let unit = if rng.chance(line.rsud) && !pools.rsud.is_empty() {
                pools.rsud.pick(rng)
            } else if rng.chance(0.06) && !pools.dinkes.is_empty() {
                pools.dinkes.pick(rng)
            } else {
                pools.puskesmas.pick(rng)
            };
            (unit.unwrap_or(0), Jalur::Nakes(line))
        }
        Peran::Fungsional => {
            let opd = pools.opd_fungsional.pick(rng).unwrap_or(0);
            let sektor = tree.units[opd].sektor;
            let fungsional = *rng.pick(katalog::fungsional_sektor(sektor));
            let offices = &pools.kantor[opd];
            let unit = if offices.is_empty() { opd } else { *rng.pick(offices) };
            (unit, Jalur::Fungsional(fungsional))
        }
        Peran::Pelaksana => (pools.pelaksana.pick(rng).unwrap_or(0), Jalur::Pelaksana),
    }
}

/// The BUP a role is known to have before its career is drawn (guru 60, eselon I–II 60, pelaksana and
/// keterampilan 58), or `None` when the jenjang reached decides it.
fn bup_pasti(jalur: &Jalur) -> Option<u8> {
    match jalur {
        Jalur::Guru { .. } => Some(60),
        Jalur::Pelaksana => Some(58),
        Jalur::Struktural { eselon, .. } => Some(if matches!(*eselon, "21" | "22") { 60 } else { 58 }),
        Jalur::Nakes(line) if line.fungsional.kategori == Kategori::Keterampilan => Some(58),
        Jalur::Fungsional(fungsional) if fungsional.kategori == Kategori::Keterampilan => Some(58),
        _ => None,
    }
}

/// The anomaly codes that make sense for a record (before its education is known: COM_5 is checked later).
fn anomali_berlaku(asn: Asn, jalur: &Jalur) -> Vec<&'static str> {
    let mut codes = vec!["CON_2", "CON_3", "ACC_5", "COM_3", "COM_5", "COM_6", "COM_7"];
    match asn {
        Asn::Pns => {
            codes.extend(["CON_1", "ACC_1", "COM_4"]);
            if bup_pasti(jalur).is_some() {
                codes.push("TIM_5");
            }
            if matches!(jalur, Jalur::Struktural { .. }) {
                codes.push("ACC_10");
            }
        }
        Asn::Cpns => codes.push("TIM_3"),
        Asn::Pppk => codes.push("ACC_4"),
    }
    codes.sort_by_key(|code| ANOMALI.iter().position(|known| known == code));
    codes
}

/// A TMT CPNS (first of a month) for a PNS: weighted by recruitment waves, at least `tenure_bulan` months ago.
fn tmt_pns(rng: &mut Rng, today: NaiveDate, tenure_bulan: i32, paling_awal: NaiveDate) -> NaiveDate {
    let latest = first_of_month(add_months(today, -tenure_bulan.max(13)));
    let earliest = first_of_month(paling_awal).max(ymd(1982, 1, 1));
    if latest <= earliest {
        return earliest;
    }
    let years: Vec<i32> = (earliest.year()..=latest.year()).collect();
    let weights: Vec<f64> = years
        .iter()
        .map(|&year| match year {
            ..=1994 => 2.0,
            1995..=2004 => 2.5,
            2005..=2010 => 4.0,
            2011..=2018 => 1.5,
            _ => 3.0,
        })
        .collect();
    let year = years[rng.weighted(&weights)];
    let month = match rng.weighted(&[30.0, 20.0, 10.0, 10.0, 30.0]) {
        0 => 1,
        1 => 3,
        2 => 4,
        3 => 12,
        _ => rng.range(1, 12) as u32,
    };
    ymd(year, month, 1).clamp(earliest, latest)
}

/// Entry and later programs of a line of work, for an appointment in `tahun`.
fn pilih_pendidikan(rng: &mut Rng, jalur: &Jalur, asn: Asn, tahun: i32) -> (Program, Vec<Program>) {
    let pns = asn == Asn::Pns;
    match jalur {
        Jalur::Guru { smp } => {
            if !smp && tahun < 2000 && pns {
                let entry = if rng.chance(0.6) { *rng.pick(katalog::SLTA_GURU) } else { katalog::D2_PGSD };
                let mut later = Vec::new();
                if rng.chance(0.8) {
                    later.push(katalog::S1_PGSD);
                }
                return (entry, later);
            }
            let entry = if *smp { *rng.pick(katalog::S1_GURU_SMP) } else { katalog::S1_PGSD };
            let later = if pns && rng.chance(0.12) { vec![*rng.pick(katalog::S2_PENDIDIKAN)] } else { Vec::new() };
            (entry, later)
        }
        Jalur::Nakes(line) => {
            let entry = *rng.pick(line.fungsional.program);
            let mut later = Vec::new();
            if line.spesialis {
                later.push(*rng.pick(katalog::S2_SPESIALIS));
            } else if pns && entry == katalog::D3_PERAWAT && rng.chance(0.15) {
                later.push(katalog::S1_NERS);
            } else if pns && entry == katalog::D3_BIDAN && rng.chance(0.15) {
                later.push(katalog::D4_BIDAN);
            } else if pns && entry == katalog::S1_KESMAS && rng.chance(0.2) {
                later.push(katalog::S2_KESEHATAN);
            }
            (entry, later)
        }
        Jalur::Fungsional(fungsional) => {
            let entry = *rng.pick(fungsional.program);
            let later = if pns && entry.tingkat == "40" && rng.chance(0.15) {
                vec![*rng.pick(&katalog::S2_UMUM[..4])]
            } else {
                Vec::new()
            };
            (entry, later)
        }
        Jalur::Pelaksana => {
            let weights: [f64; 5] = match tahun {
                ..=1999 => [8.0, 65.0, 10.0, 17.0, 0.0],
                2000..=2010 => [2.0, 50.0, 15.0, 33.0, 0.0],
                _ => [0.0, 25.0, 20.0, 50.0, 5.0],
            };
            let entry = match rng.weighted(&weights) {
                0 if rng.chance(0.4) => katalog::SD,
                0 => *rng.pick(katalog::SLTP),
                1 => *rng.pick(katalog::SLTA),
                2 => *rng.pick(katalog::D3_UMUM),
                3 => *rng.pick(katalog::S1_UMUM),
                _ => *rng.pick(&katalog::S2_UMUM[..4]),
            };
            let mut later = Vec::new();
            if pns && matches!(entry.tingkat, "15" | "17" | "30") && rng.chance(0.2) {
                later.push(*rng.pick(katalog::S1_UMUM));
            } else if pns && entry.tingkat == "40" && rng.chance(0.08) {
                later.push(*rng.pick(&katalog::S2_UMUM[..4]));
            }
            (entry, later)
        }
        Jalur::Struktural { eselon, sektor } => {
            let (entry, later) = katalog::pendidikan_pejabat(rng, *sektor, eselon);
            let mut later: Vec<Program> = later.into_iter().collect();
            if later.first().is_some_and(|program| program.tingkat == "50") {
                later.insert(0, *rng.pick(&katalog::S2_UMUM[..4]));
            }
            (entry, later)
        }
    }
}

/// The highest golongan by KP reguler an ijazah set allows on `pada`.
fn maks_pada(pendidikan: &[(Program, NaiveDate)], pada: NaiveDate) -> &'static str {
    pendidikan
        .iter()
        .filter(|(_, lulus)| *lulus <= pada)
        .map(|(program, _)| katalog::golongan_awal_maks(program).1)
        .max_by_key(|id| katalog::urutan(id))
        .unwrap_or("21")
}

/// How KP steps are taken.
#[derive(Debug, Clone, Copy)]
enum ModeKp {
    /// Pelaksana: KP reguler only, up to the ijazah's maximum.
    Reguler,
    /// Jabatan fungsional: KP pilihan (202) up to the top of the family's highest jenjang.
    Fungsional { puncak: &'static str },
    /// Pejabat struktural: reguler up to the ijazah, then pilihan (201) up to `cap`; no waiting before `target`.
    Struktural { target: &'static str, cap: &'static str },
}

/// One KP step before its SK details are drawn.
#[derive(Debug, Clone, Copy)]
struct Langkah {
    golongan: &'static str,
    jenis: &'static str,
    tmt: NaiveDate,
    mk_bulan: i32,
}

/// The golongan steps from `tmt` (golongan awal of `pendidikan[0]`) up to `today`.
fn langkah_kp(
    rng: &mut Rng,
    today: NaiveDate,
    tmt: NaiveDate,
    pendidikan: &[(Program, NaiveDate)],
    mode: ModeKp,
) -> Vec<Langkah> {
    let awal = pendidikan.first().map_or("21", |(program, _)| katalog::golongan_awal_maks(program).0);
    let mk0 = mk_awal(awal);
    let mut steps = vec![Langkah { golongan: awal, jenis: "211", tmt, mk_bulan: mk0 }];
    let mut golongan = awal;
    let mut tmt_golongan = tmt;
    let mut mk_bulan = mk0;
    for _ in 0..20 {
        // Penyesuaian ijazah: a later ijazah whose golongan awal is above the current golongan.
        let penyesuaian = pendidikan
            .iter()
            .skip(1)
            .filter(|(_, lulus)| *lulus > tmt)
            .filter_map(|(program, lulus)| {
                let baru = katalog::golongan_awal_maks(program).0;
                let allowed = match mode {
                    ModeKp::Struktural { cap, .. } => katalog::urutan(baru) <= katalog::urutan(cap),
                    _ => true,
                };
                (allowed && katalog::urutan(baru) > katalog::urutan(golongan)).then(|| {
                    let from = add_months(*lulus, 6).max(add_months(tmt_golongan, 12));
                    (baru, tanggal_kp(from))
                })
            })
            .min_by_key(|(_, date)| *date);
        let mut candidate: Option<(&'static str, &'static str, NaiveDate)> =
            penyesuaian.filter(|(_, date)| *date <= today).map(|(baru, date)| (baru, "203", date));

        let terburu =
            matches!(mode, ModeKp::Struktural { target, .. } if katalog::urutan(golongan) < katalog::urutan(target));
        let mut jeda = if terburu { 0 } else { jeda_kp(rng) };
        // From III/d upwards a jabatan fungsional waits for its angka kredit: KP pilihan comes later.
        if matches!(mode, ModeKp::Fungsional { .. }) && katalog::urutan(golongan) >= 12 && rng.chance(0.6) {
            jeda += rng.range(6, 36) as i32;
        }
        let date = tanggal_kp(add_months(add_years(tmt_golongan, 4), jeda));
        if let Some(naik) = katalog::naik(golongan)
            && date <= today
        {
            let maks = maks_pada(pendidikan, date);
            let rank = katalog::urutan(naik);
            let jenis = match mode {
                ModeKp::Reguler => (rank <= katalog::urutan(maks)).then_some("101"),
                ModeKp::Fungsional { puncak } => (rank <= katalog::urutan(puncak)).then_some("202"),
                ModeKp::Struktural { cap, .. } if rank > katalog::urutan(cap) => None,
                ModeKp::Struktural { .. } if rank <= katalog::urutan(maks) => Some("101"),
                ModeKp::Struktural { .. } => Some("201"),
            };
            if let Some(jenis) = jenis
                && candidate.is_none_or(|(_, _, other)| date < other)
            {
                candidate = Some((naik, jenis, date));
            }
        }
        let Some((baru, jenis, date)) = candidate else { break };
        // Masa kerja golongan runs on from the last TMT; moving up a golongan by penyesuaian ijazah takes six
        // (I→II) or five (II→III) years off, never below zero.
        let reduksi = match (jenis, golongan.as_bytes().first(), baru.as_bytes().first()) {
            ("203", Some(b'1'), Some(b'2')) => 72,
            ("203", Some(b'2'), Some(b'3')) => 60,
            _ => 0,
        };
        mk_bulan = (mk_bulan + whole_months(tmt_golongan, date) - reduksi).max(0);
        steps.push(Langkah { golongan: baru, jenis, tmt: date, mk_bulan });
        golongan = baru;
        tmt_golongan = date;
    }
    steps
}

/// Builds pegawai number `index` of the plan.
///
/// Pure in `(config, index, rencana)`: pegawai can be built in any order or in parallel. The NIP is complete only
/// after [`Profil::beri_nomor`], which must run in plan order.
pub(crate) fn buat(ctx: &Konteks<'_>, index: usize, rencana: Rencana) -> Profil {
    let config = ctx.config;
    let today = config.today;
    let mut rng = Rng::new(config.seed, STREAM_PEGAWAI + index as u64);
    let rng = &mut rng;
    let asn = rencana.asn;
    let (unit, jalur) = pilih_jalur(rng, ctx, rencana.peran);
    let wanita = rng.chance(peluang_wanita(&jalur));
    let wilayah = nama::wilayah(rng);

    // The deliberate anomaly, if any.
    let mut anomali = if rng.chance(config.anomaly_rate) {
        let codes = anomali_berlaku(asn, &jalur);
        Some(*rng.pick(&codes))
    } else {
        None
    };

    // TMT, education and birth date, drawn together until they agree with the BUP and the entry age.
    let bup_tebakan = bup_pasti(&jalur).unwrap_or(58);
    let lahir_min = ymd(1966, 1, 1).max(lahir_paling_awal(today, bup_tebakan));
    let lahir_max = ymd(2002, 12, 31);
    // A pejabat's education does not depend on the era; it decides how long the way to the eselon's pangkat is.
    let pendidikan_tetap = matches!(jalur, Jalur::Struktural { .. }).then(|| pilih_pendidikan(rng, &jalur, asn, 2000));
    let tenure_bulan = match (&jalur, rencana.peran, &pendidikan_tetap) {
        (Jalur::Struktural { eselon, .. }, _, Some((entry, _))) => {
            let target = referensi().eselon(eselon).and_then(|row| row.pangkat_min_id.clone()).unwrap_or_default();
            let awal = katalog::golongan_awal_maks(entry).0;
            // Worst case: four years per step plus half a year to the next KP date.
            let langkah = i32::from(katalog::urutan(&target).saturating_sub(katalog::urutan(awal))).max(1);
            langkah * 54 + 6
        }
        (_, Peran::KepalaSekolah(_), _) => 12 * 12,
        _ => 13,
    };
    let mut tmt = today;
    let mut tgl_lahir = lahir_max;
    let mut entry = katalog::SD;
    let mut later: Vec<Program> = Vec::new();
    for attempt in 0..60 {
        tmt = match asn {
            Asn::Cpns if anomali == Some("TIM_3") => first_of_month(add_months(today, -(rng.range(14, 30) as i32))),
            Asn::Cpns => first_of_month(add_months(today, -(rng.range(0, 11) as i32))),
            Asn::Pppk => {
                let years: Vec<i32> = (2022..=today.year()).collect();
                let weights: Vec<f64> = years
                    .iter()
                    .map(|&year| {
                        if year == 2022 {
                            1.0
                        } else if year == today.year() {
                            1.5
                        } else {
                            3.0
                        }
                    })
                    .collect();
                let year = years[rng.weighted(&weights)];
                let month = *rng.pick(&[1u32, 1, 3, 4, 7, 9, 10]);
                ymd(year, month, 1).min(first_of_month(today))
            }
            Asn::Pns if anomali == Some("TIM_5") => tmt_pns(rng, ymd(2001, 6, 1), 0, ymd(1984, 1, 1)),
            Asn::Pns => tmt_pns(rng, today, tenure_bulan, add_years(lahir_min, 19)),
        };
        (entry, later) = match &pendidikan_tetap {
            Some(tetap) => tetap.clone(),
            None => pilih_pendidikan(rng, &jalur, asn, tmt.year()),
        };
        let mut usia_min = usia_masuk_minimum(&entry);
        let usia_max = match (asn, tmt.year()) {
            (Asn::Pppk, _) => 50,
            (_, 2005..=2010) => 42,
            _ => 35,
        };
        if anomali == Some("TIM_5") {
            usia_min = usia_min.max(22);
        }
        let usia = rng.range(usia_min, usia_max.max(usia_min));
        tgl_lahir = add_days(add_years(tmt, -(usia as i32)), -rng.range(0, 364));
        if anomali == Some("TIM_5") {
            break;
        }
        let ok = tgl_lahir >= lahir_min && tgl_lahir <= lahir_max;
        if ok || attempt == 59 {
            tgl_lahir = tgl_lahir.clamp(lahir_min, lahir_max);
            break;
        }
    }
    if anomali == Some("TIM_5") {
        // Past BUP by one to thirty months, still aktif.
        let bup = bup_tebakan;
        let batas = lahir_paling_awal(today, bup);
        tgl_lahir = add_months(batas, -(rng.range(1, 30) as i32));
        while model::rules::bup::tmt_pensiun(tgl_lahir, bup) > today {
            tgl_lahir = add_months(tgl_lahir, -1);
        }
        // Keep the appointment at a plausible age.
        let youngest = add_years(tgl_lahir, 22);
        if tmt < youngest {
            tmt = first_of_month(add_months(youngest, 1));
        }
    }

    // Education rows: the school before a diploma or degree, the entry ijazah, the later ones.
    let mut rows_pendidikan: Vec<(Program, NaiveDate, bool)> = Vec::new();
    let lulus_entry = {
        let age = usia_lulus(rng, &entry);
        let natural = add_days(add_years(tgl_lahir, age as i32), rng.range(150, 300));
        natural.min(add_months(tmt, -(rng.range(2, 10) as i32)))
    };
    if !matches!(entry.tingkat, "05" | "10" | "12" | "15" | "17" | "18") {
        // Before a degree usually the SMA (IPA for health), sometimes a vocational school.
        let sekolah = match entry.tingkat {
            "25" => *rng.pick(katalog::SLTA_GURU),
            _ if katalog::kesehatan(&entry) && rng.chance(0.85) => katalog::SLTA[0],
            _ if rng.chance(0.75) => *rng.pick(&katalog::SLTA[..3]),
            _ => *rng.pick(katalog::SLTA),
        };
        let lulus = add_days(add_years(tgl_lahir, 18), rng.range(150, 200)).min(add_years(lulus_entry, -2));
        rows_pendidikan.push((sekolah, lulus, false));
    }
    rows_pendidikan.push((entry, lulus_entry, true));
    let mut previous = tmt;
    for program in &later {
        let from =
            add_years(previous, if program.tingkat == "45" && program.nama.contains("SPESIALIS") { 3 } else { 2 });
        let to = add_months(today, -6);
        if from >= to {
            break;
        }
        let lulus = date_between(rng, from, to);
        rows_pendidikan.push((*program, lulus, false));
        previous = lulus;
    }
    let ijazah: Vec<(Program, NaiveDate)> = rows_pendidikan
        .iter()
        .skip_while(|(_, _, pertama)| !pertama)
        .map(|(program, lulus, _)| (*program, *lulus))
        .collect();

    // Golongan steps.
    let acc10 = anomali == Some("ACC_10");
    let mode = match &jalur {
        Jalur::Pelaksana => ModeKp::Reguler,
        // Most Ahli Madya stop at IV/b: IV/c needs more angka kredit than most collect before their BUP.
        Jalur::Guru { .. } => ModeKp::Fungsional { puncak: if rng.chance(0.15) { "43" } else { "42" } },
        Jalur::Nakes(Nakes { fungsional, .. }) | Jalur::Fungsional(fungsional) => {
            let puncak = katalog::golongan_puncak(fungsional.puncak);
            ModeKp::Fungsional { puncak: if puncak == "43" && !rng.chance(0.15) { "42" } else { puncak } }
        }
        Jalur::Struktural { eselon, .. } => {
            let row = referensi().eselon(eselon);
            let min = row.and_then(|row| row.pangkat_min_id.as_deref()).map_or("33", katalog::golongan_static);
            let maks = row.and_then(|row| row.pangkat_maks_id.as_deref()).map_or("34", katalog::golongan_static);
            if acc10 {
                let below = (katalog::urutan(min) as usize).saturating_sub(1 + rng.index(2)).max(1);
                let target = katalog::golongan_static(&referensi().golongan.rows[below - 1].id);
                ModeKp::Struktural { target, cap: target }
            } else {
                ModeKp::Struktural { target: min, cap: maks }
            }
        }
    };
    let langkah = match asn {
        Asn::Pns => langkah_kp(rng, today, tmt, &ijazah, mode),
        Asn::Cpns => langkah_kp(rng, tmt, tmt, &ijazah, mode),
        Asn::Pppk => Vec::new(),
    };
    if acc10 {
        // ACC_10 needs the golongan below the eselon minimum: make sure the steps stopped there.
        if let ModeKp::Struktural { target, .. } = mode
            && langkah.last().is_some_and(|step| katalog::urutan(step.golongan) > katalog::urutan(target))
        {
            anomali = Some("COM_7");
        }
    }

    let golongan: Vec<Pangkat> = langkah
        .iter()
        .map(|step| {
            let (sk_tanggal, pertek_tanggal) = if step.jenis == "211" {
                (add_days(step.tmt, -rng.range(10, 80)), None)
            } else {
                let pertek_tanggal = add_days(step.tmt, -rng.range(35, 75));
                (add_days(pertek_tanggal, rng.range(5, 25)), Some(pertek_tanggal))
            };
            Pangkat {
                benih: rng.next_u64(),
                golongan: step.golongan,
                jenis_kp: step.jenis,
                tmt: step.tmt,
                mk_bulan: step.mk_bulan,
                sk_tanggal,
                pertek_tanggal,
                dokumen: step.jenis != "211" && sk_tanggal.year() >= 2020 && rng.chance(0.5),
            }
        })
        .collect();

    // Jabatan rows.
    let mut jabatan = buat_jabatan(rng, ctx, &jalur, asn, unit, tmt, &golongan, &ijazah);
    if jabatan.is_empty() {
        jabatan.push(jabatan_pelaksana(rng, "Pengadministrasi Perkantoran", unit, tmt, ""));
    }

    let bup = usia_bup(jabatan.last());
    if anomali != Some("TIM_5") {
        // A clean record is never past its BUP (the guess above is a lower bound, this only guards).
        while model::rules::bup::tmt_pensiun(tgl_lahir, bup) <= today {
            tgl_lahir = add_months(tgl_lahir, 1);
        }
    }

    // Identity.
    let nama_lengkap = nama::nama_orang(rng, wilayah, wanita);
    let agama = nama::agama(rng, wilayah, &nama_lengkap);
    let kecamatan_index = ctx.tree.units[unit].wilayah.min(ctx.tree.kecamatan.len().saturating_sub(1));
    let kecamatan = &ctx.tree.kecamatan[kecamatan_index];
    let tempat_lahir = if tgl_lahir.year() >= 1985 && rng.chance(0.35) {
        rng.pick(&ctx.tree.kecamatan).nama.clone()
    } else {
        nama::tempat_lahir(rng, wilayah).to_owned()
    };
    let tahun_awal = tmt.year();
    let pns_id = guid_pada(rng, tahun_awal.max(2000) + if tahun_awal < 2013 { 0 } else { 3 });

    // NIP / NI PPPK from the true birth date, TMT and sex (CON_1/CON_3 change what is recorded, not the NIP).
    let nip_lahir = tgl_lahir;
    let kode_jk = match (wanita, anomali == Some("CON_3")) {
        (false, false) | (true, true) => b'1',
        _ => b'2',
    };
    let tengah = match asn {
        Asn::Pppk => format!("{:04}21", tmt.year()),
        _ => format!("{:04}{:02}", tmt.year(), tmt.month()),
    };
    let head = format!("{:04}{:02}{:02}{tengah}", nip_lahir.year(), nip_lahir.month(), nip_lahir.day());
    // The sequence (digits 16–18) is given later, in plan order, by `Profil::beri_nomor`.
    let langkah_urut = 1 + rng.below(3) as u16;
    let nip = format!("{head}{}000", char::from(kode_jk));
    let nip_lama =
        (asn == Asn::Pns && tmt.year() < 2008).then(|| format!("{}{}", rng.pick(&["0", "1"]), digits(rng, 8)));

    // Recorded dates and their SK.
    let (mut tmt_cpns, sk_cpns) = match asn {
        Asn::Pppk => (None, None),
        _ => {
            let tanggal = golongan.first().map_or(add_days(tmt, -30), |row| row.sk_tanggal);
            let nomor =
                golongan.first().map_or_else(|| nomor_sk(rng, "cpns", tanggal.year()), |row| row.teks().sk_nomor);
            (Some(tmt), Some((nomor, tanggal)))
        }
    };
    let (mut tmt_pns_tercatat, mut sk_pns) = match asn {
        Asn::Pns => {
            let jeda = if rng.chance(0.7) { 0 } else { rng.range(1, 24) as i32 };
            let tanggal_pns = add_months(tmt, 12 + jeda).min(first_of_month(today)).max(add_months(tmt, 12));
            let sk_tanggal = add_days(tanggal_pns, rng.range(-40, 60)).min(today);
            (Some(tanggal_pns), Some((nomor_sk(rng, "pns", sk_tanggal.year()), sk_tanggal)))
        }
        _ => (None, None),
    };

    // Personal details.
    let kelurahan = rng.pick(&kecamatan.kelurahan).clone();
    let alamat = nama::alamat(rng, &kelurahan, &kecamatan.nama, &ctx.instansi.nama_kabupaten);
    let nik = {
        let hari = tgl_lahir.day() + if wanita { 40 } else { 0 };
        let wilayah_nik = if rng.chance(0.9) {
            format!("{}{:02}", ctx.instansi.nik_region_prefix, kecamatan_index + 1)
        } else {
            (*rng.pick(&["630714", "637101", "737101", "337401", "357801", "647201", "617101"])).to_owned()
        };
        format!(
            "{wilayah_nik}{hari:02}{:02}{:02}{:04}",
            tgl_lahir.month(),
            tgl_lahir.year().rem_euclid(100),
            rng.range(1, 450)
        )
    };
    let email = nama::email(rng, &nama_lengkap, tgl_lahir.day(), tgl_lahir.year());
    let email_gov = (asn != Asn::Pppk && rng.chance(0.35))
        .then(|| nama::email_dinas(rng, &nama_lengkap, &ctx.instansi.domain_email));
    let no_hp = nama::nomor_hp(rng);
    let npwp = nama::npwp(rng, Some(&nik));
    let bpjs = rng.chance(0.82).then(|| format!("000{}", digits(rng, 10)));
    let kartu_asn = (asn == Asn::Pns && rng.chance(0.28)).then(|| nama::kartu_asn(rng));
    let karpeg = (asn == Asn::Pns && tmt.year() < 2021 && rng.chance(0.85)).then(|| nama::seri_kartu(rng));
    let taspen = (asn == Asn::Pns && rng.chance(0.55)).then(|| digits(rng, 16));
    let dokumen_utama = asn != Asn::Pppk && tmt.year() >= 2014 && rng.chance(0.5);
    let spmt = (asn != Asn::Pppk && tmt.year() >= 2011)
        .then(|| (format!("800/{:03}/SPMT/{}", rng.range(1, 999), tmt.year()), tmt));
    let sttpl = match (asn, tmt_pns_tercatat) {
        (Asn::Pns, Some(pns)) if tmt.year() >= 2006 => {
            let tanggal = date_between(rng, add_months(tmt, 5), add_months(pns, -1).max(add_months(tmt, 5)));
            Some((format!("{:04}/LATSAR/{}", rng.range(1, 9999), tanggal.year()), first_of_month(tanggal)))
        }
        _ => None,
    };
    let berkas = tmt.year() >= 2014 || asn == Asn::Pppk;
    let surat_dokter = berkas.then(|| {
        let tanggal = add_days(tmt, -rng.range(60, 120));
        (format!("445/{:03}/RSUD/{}", rng.range(1, 999), tanggal.year()), tanggal)
    });
    let surat_narkoba = surat_dokter.as_ref().map(|(_, tanggal)| {
        let tanggal = add_days(*tanggal, 10);
        (format!("R/{:03}/BNNK/{}", rng.range(1, 999), tanggal.year()), tanggal)
    });
    let skck = surat_dokter.as_ref().map(|(_, tanggal)| {
        let tanggal = add_days(*tanggal, 5);
        (format!("SKCK/{:04}/{}", rng.range(1, 9999), tanggal.year()), tanggal)
    });

    // Pendidikan rows with their gelar.
    let pendidikan: Vec<Pendidikan> = rows_pendidikan
        .iter()
        .map(|(program, lulus, pertama)| Pendidikan {
            benih: rng.next_u64(),
            program: *program,
            lulus: *lulus,
            pertama: *pertama,
        })
        .collect();
    let (mut gelar_depan, mut gelar_belakang) = gelar_gabungan(&pendidikan, &jabatan, wanita, rng);

    // SKP, diklat, penghargaan.
    let skp = buat_skp(rng, today, tmt);
    let diklat = buat_diklat(rng, today, &jabatan);
    let penghargaan = if asn == Asn::Pns { buat_penghargaan(rng, today, tmt) } else { Vec::new() };

    // Keluarga.
    let (pasangan, anak) = buat_keluarga(rng, today, tgl_lahir, wanita, wilayah);
    let karis_karsu = (pasangan.as_ref().is_some_and(|p| p.jenis_kawin == "1") && asn != Asn::Cpns && rng.chance(0.55))
        .then(|| nama::seri_kartu(rng));

    // The deliberate anomaly: change only what its rule reads.
    let mut nik_tercatat = Some(nik);
    let mut valid_nik = true;
    let mut email_tercatat = Some(email);
    let mut hp_tercatat = Some(no_hp);
    let mut kedudukan = if asn == Asn::Pppk { "71" } else { "01" };
    let mut pendidikan_kosong = false;
    let mut tgl_lahir_tercatat = tgl_lahir;
    if anomali == Some("COM_5") && pendidikan.last().is_none_or(|row| row.program.tingkat < "20") {
        anomali = Some("COM_6");
    }
    match anomali {
        Some("CON_1") => tmt_cpns = tmt_cpns.map(|date| add_months(date, -(rng.range(1, 18) as i32))),
        Some("CON_2") => {
            // Recorded younger than the NIP says (day and month swapped, or a year later): never past the BUP.
            let swapped = ymd(tgl_lahir.year(), tgl_lahir.day().min(12), tgl_lahir.month());
            tgl_lahir_tercatat = if swapped > tgl_lahir && rng.chance(0.5) { swapped } else { add_years(tgl_lahir, 1) };
            let hari = tgl_lahir_tercatat.day() + if wanita { 40 } else { 0 };
            nik_tercatat = nik_tercatat.map(|nik| {
                format!(
                    "{}{hari:02}{:02}{:02}{}",
                    &nik[..6],
                    tgl_lahir_tercatat.month(),
                    tgl_lahir_tercatat.year().rem_euclid(100),
                    &nik[12..]
                )
            });
        }
        Some("ACC_1") => tmt_pns_tercatat = tmt_cpns.map(|date| add_months(date, -(rng.range(12, 30) as i32))),
        Some("ACC_4") => kedudukan = "01",
        Some("ACC_5") => {
            valid_nik = false;
            nik_tercatat = if rng.chance(0.6) { None } else { nik_tercatat.map(|nik| nik[..15].to_owned()) };
        }
        Some("COM_3") => pendidikan_kosong = true,
        Some("COM_4") => {
            tmt_pns_tercatat = None;
            sk_pns = None;
        }
        Some("COM_5") => {
            gelar_depan = None;
            gelar_belakang = None;
        }
        Some("COM_6") => {
            email_tercatat = match rng.below(4) {
                0 | 1 => None,
                2 => email_tercatat.map(|email| email.replacen('@', "@@", 1)),
                _ => email_tercatat.map(|email| {
                    let local = email.split_once('@').map_or(email.as_str(), |(local, _)| local);
                    format!("{local}@gmail")
                }),
            }
        }
        Some("COM_7") => hp_tercatat = None,
        _ => {}
    }

    // SI-ASN computes TMT pensiun from the birth date it holds (CON_2 records hold another one than the NIP).
    let tmt_pensiun = model::rules::bup::tmt_pensiun(tgl_lahir_tercatat, bup);
    let kosong_404 = [rng.chance(0.65), rng.chance(0.7), rng.chance(0.8), rng.chance(0.6)];
    Profil {
        asn,
        peran: rencana.peran,
        anomali,
        pns_id,
        nip,
        nip_lama,
        nama: nama_lengkap,
        gelar_depan,
        gelar_belakang,
        wanita,
        wilayah,
        tgl_lahir: tgl_lahir_tercatat,
        tempat_lahir,
        agama,
        nik: nik_tercatat,
        valid_nik,
        email: email_tercatat,
        email_gov,
        no_hp: hp_tercatat,
        alamat,
        kode_pos: format!("77{:03}", rng.range(100, 399)),
        npwp,
        bpjs,
        kartu_asn,
        karpeg,
        karis_karsu,
        kedudukan,
        tmt_cpns,
        sk_cpns,
        tmt_pns: tmt_pns_tercatat,
        sk_pns,
        tmt_awal: tmt,
        spmt,
        sttpl,
        surat_dokter,
        surat_narkoba,
        skck,
        taspen,
        dokumen_utama,
        pendidikan,
        pendidikan_kosong,
        golongan,
        jabatan,
        skp,
        diklat,
        penghargaan,
        pasangan,
        anak,
        bup,
        tmt_pensiun,
        kosong_404,
        langkah_urut,
    }
}

/// The BUP of the current jabatan, exactly as `model::rules::bup::bup` computes it (cached per jabatan: the name
/// patterns it matches cost microseconds, and a kabupaten has a few hundred distinct jabatan).
fn usia_bup(kini: Option<&Jabatan>) -> u8 {
    thread_local! {
        static CACHE: RefCell<HashMap<String, u8, FnvBuild>> = RefCell::default();
    }
    let Some(kini) = kini else { return model::rules::bup::BUP_UMUM };
    let key = format!("{}|{}|{}|{}", kini.jenis, kini.jenjang.unwrap_or(""), kini.eselon.unwrap_or(""), kini.nama);
    if let Some(usia) = CACHE.with(|cache| cache.borrow().get(&key).copied()) {
        return usia;
    }
    let utama = model::DataUtama {
        jabatan_nama: Some(kini.nama.clone()),
        jenis_jabatan_id: Some(kini.jenis.to_owned()),
        jenjang_jabatan: kini.jenjang.map(str::to_owned),
        ..model::DataUtama::default()
    };
    let usia = model::rules::bup::bup(&utama, kini.eselon).usia;
    CACHE.with(|cache| cache.borrow_mut().insert(key, usia));
    usia
}

/// The gelar a program gives to someone who graduated in `tahun` (`Drs.`/`Dra.`/`Ir.` before 1993).
pub(crate) fn gelar_program(
    program: &Program,
    tahun: i32,
    wanita: bool,
) -> (Option<&'static str>, Option<&'static str>) {
    if tahun < 1993 {
        match program.gelar_lama {
            Some(true) => return (Some("Ir."), None),
            Some(false) => return (Some(if wanita { "Dra." } else { "Drs." }), None),
            None => {}
        }
    }
    (program.depan, program.belakang)
}

/// The gelar written with the name: every depan in order, the belakang of the highest diploma/degree plus the
/// S-2/specialist ones, and `Gr.` for a certified young guru.
fn gelar_gabungan(
    pendidikan: &[Pendidikan],
    jabatan: &[Jabatan],
    wanita: bool,
    rng: &mut Rng,
) -> (Option<String>, Option<String>) {
    let gelar = |row: &Pendidikan| gelar_program(&row.program, row.lulus.year(), wanita);
    let mut depan: Vec<&str> = Vec::new();
    let mut belakang: Vec<&str> = Vec::new();
    let sarjana = pendidikan.iter().rev().find(|row| matches!(row.program.tingkat, "25" | "30" | "35" | "40"));
    for row in pendidikan {
        if let Some(text) = gelar(row).0
            && !depan.contains(&text)
        {
            depan.push(text);
        }
    }
    if let Some(text) = sarjana.and_then(|row| gelar(row).1) {
        belakang.push(text);
    }
    for row in pendidikan.iter().filter(|row| matches!(row.program.tingkat, "45" | "50")) {
        if let Some(text) = gelar(row).1 {
            belakang.push(text);
        }
    }
    let guru = jabatan.last().is_some_and(|row| row.nama.starts_with("Guru"));
    if guru && sarjana.is_some_and(|row| row.lulus.year() >= 2010) && rng.chance(0.3) {
        belakang.push("Gr.");
    }
    let join = |parts: Vec<&str>, separator: &str| (!parts.is_empty()).then(|| parts.join(separator));
    (join(depan, " "), join(belakang, ", "))
}

/// A pelaksana row.
fn jabatan_pelaksana(rng: &mut Rng, nama: &str, unit: usize, tmt: NaiveDate, mutasi: &'static str) -> Jabatan {
    let tanggal_sk = add_days(tmt, -rng.range(5, 40));
    Jabatan {
        benih: rng.next_u64(),
        jenis: "4",
        unit,
        nama: nama.to_owned(),
        eselon: None,
        jenjang: None,
        tmt,
        tanggal_sk,
        jenis_sk: "jabatan",
        mutasi,
        penugasan: if tmt.year() >= 2020 { "D" } else { "" },
        sub_jabatan: None,
        dokumen: tmt.year() >= 2020 && rng.chance(0.4),
    }
}

/// A jabatan fungsional row of `family` at `jenjang`.
fn jabatan_fungsional(
    rng: &mut Rng,
    family: &str,
    jenjang: &'static str,
    unit: usize,
    tmt: NaiveDate,
    mutasi: &'static str,
    sub_jabatan: Option<&'static str>,
) -> Jabatan {
    let nama = format!("{family} {}", katalog::nama_jenjang(jenjang));
    let tanggal_sk = add_days(tmt, -rng.range(5, 40));
    Jabatan {
        benih: rng.next_u64(),
        jenis: "2",
        unit,
        nama,
        eselon: None,
        jenjang: Some(jenjang),
        tmt,
        tanggal_sk,
        jenis_sk: "jabatan",
        mutasi,
        penugasan: if tmt.year() >= 2020 { "D" } else { "" },
        sub_jabatan,
        dokumen: tmt.year() >= 2020 && rng.chance(0.4),
    }
}

/// The jabatan rows of a career.
#[allow(clippy::too_many_arguments)]
fn buat_jabatan(
    rng: &mut Rng,
    ctx: &Konteks<'_>,
    jalur: &Jalur,
    asn: Asn,
    unit: usize,
    tmt: NaiveDate,
    golongan: &[Pangkat],
    ijazah: &[(Program, NaiveDate)],
) -> Vec<Jabatan> {
    let today = ctx.config.today;
    let tree = ctx.tree;
    let tenure_years = today.year() - tmt.year();
    // An earlier unit of the same kind, left on a mutasi unit (MU) some years ago.
    let pindah = (asn == Asn::Pns && tenure_years >= 8 && rng.chance(0.3))
        .then(|| date_between(rng, add_years(tmt, 3), add_years(today, -1)));
    let unit_lama = |rng: &mut Rng| -> usize {
        let pool = match tree.units[unit].jenis {
            JenisUnit::Sd | JenisUnit::Smp => &ctx.pools.sekolah,
            JenisUnit::Puskesmas => &ctx.pools.puskesmas,
            _ => &ctx.pools.pelaksana,
        };
        pool.pick(rng).unwrap_or(unit)
    };
    let mut rows = Vec::new();
    match jalur {
        Jalur::Guru { .. } | Jalur::Nakes(_) | Jalur::Fungsional(_) => {
            let (family, kategori, puncak) = match jalur {
                Jalur::Nakes(line) => (line.fungsional.nama, line.fungsional.kategori, line.fungsional.puncak),
                Jalur::Fungsional(fungsional) => (fungsional.nama, fungsional.kategori, fungsional.puncak),
                _ => ("Guru", Kategori::Keahlian, "MA"),
            };
            let sub = match (jalur, tree.units[unit].jenis) {
                (Jalur::Guru { .. }, JenisUnit::Sd) => Some("2501"),
                (Jalur::Guru { .. }, _) => Some(["2502", "2503", "2504", "2505", "2506", "2507"][rng.index(6)]),
                _ => None,
            };
            let cap = |kode: &'static str| -> &'static str {
                let order = ["TR", "MH", "PY", "PT", "MU", "MA", "UT"];
                let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(0);
                if rank(kode) > rank(puncak) { puncak } else { kode }
            };
            let old_unit = pindah.map(|_| unit_lama(rng));
            let unit_at = |date: NaiveDate| match (pindah, old_unit) {
                (Some(moved), Some(old)) if date < moved => old,
                _ => unit,
            };
            let mut current = cap(katalog::jenjang(kategori, golongan.first().map(|row| row.golongan)));
            rows.push(jabatan_fungsional(rng, family, current, unit_at(tmt), tmt, "", sub));
            let mut events: Vec<(NaiveDate, Option<&'static str>)> =
                golongan.iter().skip(1).map(|row| (row.tmt, Some(row.golongan))).collect();
            if let Some(moved) = pindah {
                events.push((moved, None));
            }
            events.sort_by_key(|(date, _)| *date);
            for (date, new_golongan) in events {
                match new_golongan {
                    Some(id) => {
                        let jenjang = cap(katalog::jenjang(kategori, Some(id)));
                        if jenjang != current {
                            current = jenjang;
                            rows.push(jabatan_fungsional(rng, family, jenjang, unit_at(date), date, "MJ", sub));
                        }
                    }
                    None => rows.push(jabatan_fungsional(rng, family, current, unit, date, "MU", sub)),
                }
            }
        }
        Jalur::Pelaksana => {
            let tingkat_awal = ijazah.first().map_or("15", |(program, _)| program.tingkat);
            let first = *rng.pick(katalog::pelaksana_lama(tingkat_awal));
            let mut name = if tmt >= ymd(2024, 6, 1) { katalog::pelaksana_baru(tingkat_awal) } else { first };
            let old_unit = pindah.map(|_| unit_lama(rng));
            rows.push(jabatan_pelaksana(rng, name, old_unit.unwrap_or(unit), tmt, ""));
            if let Some(moved) = pindah {
                rows.push(jabatan_pelaksana(rng, name, unit, moved, "MU"));
            }
            // A higher ijazah often brings a pelaksana post that fits it.
            if let Some((program, lulus)) = ijazah.iter().skip(1).last()
                && rng.chance(0.5)
            {
                let date = first_of_month(add_months(*lulus, rng.range(6, 24) as i32));
                if date < today && rows.last().is_some_and(|row| row.tmt < date) {
                    name = *rng.pick(katalog::pelaksana_lama(program.tingkat));
                    rows.push(jabatan_pelaksana(rng, name, unit, date, "MJ"));
                }
            }
            // The 2024 penyetaraan renamed many pelaksana posts.
            if tmt < ymd(2024, 1, 1) && rng.chance(0.45) {
                let date =
                    ymd(2024, *rng.pick(&[7u32, 10, 12]), 1).max(add_months(rows.last().map_or(tmt, |row| row.tmt), 1));
                if date < today {
                    let tingkat = ijazah.last().map_or(tingkat_awal, |(program, _)| program.tingkat);
                    rows.push(jabatan_pelaksana(rng, katalog::pelaksana_baru(tingkat), unit, date, "MJ"));
                }
            }
        }
        Jalur::Struktural { eselon, .. } => {
            // First a pelaksana post in the same OPD, then the ladder of posts up to this one.
            let opd = tree.units[unit].opd;
            let offices = &ctx.pools.kantor[opd];
            let start_unit = if offices.is_empty() { unit } else { *rng.pick(offices) };
            let tingkat_awal = ijazah.first().map_or("40", |(program, _)| program.tingkat);
            let first = *rng.pick(katalog::pelaksana_lama(tingkat_awal));
            rows.push(jabatan_pelaksana(rng, first, start_unit, tmt, ""));
            let ladder: &[&'static str] = match *eselon {
                "21" => &["32", "31", "22"],
                "22" => &["41", "32", "31"],
                "31" => &["41", "32"],
                "32" => &["41"],
                "41" if rng.chance(0.3) => &["42"],
                _ => &[],
            };
            let reached = |min: &str| -> Option<NaiveDate> {
                golongan.iter().find(|row| katalog::urutan(row.golongan) >= katalog::urutan(min)).map(|row| row.tmt)
            };
            let latest = add_months(today, -1);
            let mut previous = add_years(tmt, 2);
            let mut posts: Vec<(&'static str, usize, NaiveDate)> = Vec::new();
            for level in ladder.iter().copied().chain(std::iter::once(*eselon)) {
                let min = referensi().eselon(level).and_then(|row| row.pangkat_min_id.clone()).unwrap_or_default();
                let since = reached(&min).unwrap_or(previous).max(add_months(previous, 6));
                let start = add_days(since, rng.range(20, 540)).min(latest);
                let post_unit = if level == *eselon {
                    unit
                } else {
                    ctx.pools.per_eselon.get(level).map_or(unit, |units| *rng.pick(units))
                };
                posts.push((level, post_unit, start));
                previous = start;
            }
            // Keep the posts in order even when the golongan came late.
            let mut floor = add_months(tmt, 12);
            for (level, post_unit, start) in posts {
                let start = start.max(floor).min(latest);
                floor = add_months(start, 3);
                let tanggal_sk = add_days(start, -rng.range(3, 35));
                let unit_row = &tree.units[post_unit];
                rows.push(Jabatan {
                    benih: rng.next_u64(),
                    jenis: "1",
                    unit: post_unit,
                    nama: unit_row.nama_jabatan.clone(),
                    eselon: Some(unit_row.eselon.unwrap_or(level)),
                    jenjang: None,
                    tmt: start,
                    tanggal_sk,
                    jenis_sk: "jabatan",
                    mutasi: "MJ",
                    penugasan: "D",
                    sub_jabatan: None,
                    dokumen: start.year() >= 2020 && rng.chance(0.4),
                });
            }
        }
    }
    if asn == Asn::Pppk {
        for row in &mut rows {
            row.jenis_sk = "pppk";
        }
    }
    rows
}

/// SKP 2022 rows for the last two or three years the pegawai served.
fn buat_skp(rng: &mut Rng, today: NaiveDate, tmt: NaiveDate) -> Vec<Skp> {
    let first = if rng.chance(0.4) { today.year() - 3 } else { today.year() - 2 };
    (first..today.year())
        .filter(|year| *year >= tmt.year())
        .map(|tahun| {
            let hasil = match rng.weighted(&[18.0, 80.0, 2.0]) {
                0 => 1,
                1 => 2,
                _ => 3,
            };
            // Perilaku is never "di bawah ekspektasi": the cell where implementations of the matrix disagree.
            let perilaku = if rng.chance(0.22) { 1 } else { 2 };
            Skp { benih: rng.next_u64(), tahun, hasil, perilaku, dokumen: rng.chance(0.5) }
        })
        .collect()
}

/// The predikat (kuadran) of a hasil × perilaku pair, PermenPANRB 6/2022 Lampiran: 1 Sangat Baik, 2 Baik,
/// 3 Butuh Perbaikan, 4 Kurang, 5 Sangat Kurang.
pub(crate) fn kuadran(hasil: u8, perilaku: u8) -> u8 {
    match (hasil, perilaku) {
        (1, 1) => 1,
        (1 | 2, 1 | 2) => 2,
        (3, 1 | 2) => 3,
        (1 | 2, _) => 4,
        _ => 5,
    }
}

/// Diklat struktural for each level of posts held (PIM/PKP IV, PIM/PKA III, PIM/PKN II).
fn buat_diklat(rng: &mut Rng, today: NaiveDate, jabatan: &[Jabatan]) -> Vec<Diklat> {
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    for row in jabatan.iter().filter(|row| row.jenis == "1") {
        let level = row.eselon.and_then(|eselon| eselon.as_bytes().first().copied()).unwrap_or(b'4');
        if seen.contains(&level) {
            continue;
        }
        seen.push(level);
        let (id, nama, jam, singkat) = match level {
            b'2' => ("4", "SPAMEN/SESPA/SESPANAS/PIM II", 400, "PKN"),
            b'3' => ("3", "SEPADYA/SPAMA/PIM III", 380, "PKA"),
            _ => ("2", "SEPALA/ADUM/PIM IV", 285, "PKP"),
        };
        let latest = add_months(today, -4);
        let mulai = date_between(rng, add_months(row.tmt, 2), add_months(row.tmt, 30)).min(latest);
        let selesai = add_days(mulai, rng.range(80, 120)).min(add_days(today, -1));
        let penyelenggara = *rng.pick(&[
            "PUSAT PENGEMBANGAN SDM KEMENTERIAN DALAM NEGERI",
            "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA PROVINSI",
            "LEMBAGA ADMINISTRASI NEGARA",
        ]);
        rows.push(Diklat {
            id: guid_pada(rng, mulai.year()),
            latihan_id: id,
            latihan_nama: nama,
            nomor: format!("{:03}/{singkat}/{}", rng.range(1, 999), mulai.year()),
            mulai,
            selesai,
            jam,
            penyelenggara,
        });
    }
    rows.sort_by_key(|row| row.mulai);
    rows
}

/// Satyalancana Karya Satya X/XX/XXX Tahun for ten, twenty, thirty years of service.
fn buat_penghargaan(rng: &mut Rng, today: NaiveDate, tmt: NaiveDate) -> Vec<Penghargaan> {
    let mut rows = Vec::new();
    for (years, id, nama) in [
        (10, "201", "Satyalancana Karya Satya X Tahun"),
        (20, "202", "Satyalancana Karya Satya XX Tahun"),
        (30, "203", "Satyalancana Karya Satya XXX Tahun"),
    ] {
        let tahun = tmt.year() + years + rng.range(0, 2) as i32;
        if tahun >= today.year() || !rng.chance(0.8) {
            continue;
        }
        let sk_tanggal = ymd(tahun, 8, rng.range(1, 16) as u32);
        rows.push(Penghargaan { benih: rng.next_u64(), harga_id: id, harga_nama: nama, tahun, sk_tanggal });
    }
    rows
}

/// Spouse and children, consistent with the pegawai's age.
fn buat_keluarga(
    rng: &mut Rng,
    today: NaiveDate,
    tgl_lahir: NaiveDate,
    wanita: bool,
    wilayah: Wilayah,
) -> (Option<Pasangan>, Vec<Anak>) {
    let usia = whole_months(tgl_lahir, today) / 12;
    let belum = match usia {
        ..=25 => 0.6,
        26..=32 => 0.2,
        _ => 0.06,
    };
    if rng.chance(belum) {
        return (None, Vec::new());
    }
    let jenis_kawin = match rng.weighted(&[92.0, 4.0, if usia > 40 { 4.0 } else { 0.5 }]) {
        0 => "1",
        1 => "2",
        _ => "3",
    };
    let wilayah_pasangan = if rng.chance(0.8) { wilayah } else { nama::wilayah(rng) };
    let tgl_lahir_pasangan =
        if wanita { add_days(tgl_lahir, -rng.range(0, 6 * 365)) } else { add_days(tgl_lahir, rng.range(0, 7 * 365)) };
    let istri_lahir = if wanita { tgl_lahir } else { tgl_lahir_pasangan };
    let suami_lahir = if wanita { tgl_lahir_pasangan } else { tgl_lahir };
    let boleh = add_years(istri_lahir, 20).max(add_years(suami_lahir, 22));
    let batas = add_months(today, -3);
    let tgl_menikah = date_between(rng, boleh, add_years(boleh, 8).min(batas)).min(batas);
    let tgl_cerai = (jenis_kawin == "2").then(|| date_between(rng, add_years(tgl_menikah, 2), batas).min(batas));
    let tgl_meninggal = (jenis_kawin == "3").then(|| date_between(rng, add_years(tgl_menikah, 5), batas).min(batas));
    let pasangan = Pasangan {
        benih: rng.next_u64(),
        wilayah: wilayah_pasangan,
        wanita: !wanita,
        tgl_lahir: tgl_lahir_pasangan,
        jenis_kawin,
        tgl_menikah,
        tgl_cerai,
        tgl_meninggal,
        is_pns: rng.chance(0.15),
    };
    let jumlah = rng.weighted(&[12.0, 22.0, 33.0, 22.0, 11.0]);
    let akhir = [Some(add_years(istri_lahir, 42)), tgl_cerai, tgl_meninggal, Some(add_days(today, -30))]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(today);
    let awal = add_months(tgl_menikah, 10);
    let mut lahir: Vec<NaiveDate> =
        if awal < akhir { (0..jumlah).map(|_| date_between(rng, awal, akhir)).collect() } else { Vec::new() };
    lahir.sort();
    lahir.dedup();
    let anak =
        lahir.into_iter().map(|tgl_lahir| Anak { benih: rng.next_u64(), wanita: rng.chance(0.5), tgl_lahir }).collect();
    (Some(pasangan), anak)
}

/// What a penilai SKP shows of a pejabat.
#[derive(Debug, Clone)]
pub(crate) struct Penilai {
    pub(crate) nama: String,
    pub(crate) nip: String,
    pub(crate) golongan: Option<&'static str>,
    pub(crate) jabatan: String,
    pub(crate) unor: String,
}

impl Penilai {
    /// The penilai record of `profil` in `unit`.
    pub(crate) fn dari(profil: &Profil, tree: &Tree) -> Self {
        let unit = profil.unit();
        Penilai {
            nama: profil.nama.clone(),
            nip: profil.nip.clone(),
            golongan: profil.golongan_kini().map(|row| row.golongan),
            jabatan: profil.jabatan_kini().map_or_else(String::new, |row| row.nama.clone()),
            unor: tree.units[unit].nama.clone(),
        }
    }
}
