//! The pre-import report of an SI-ASN export: one [`Laporan`] record per pegawai and a [`Ringkasan`].
//!
//! `luring-cli inspect` prints it, and the hub's `import --dry-run` prints the same, so it is built here, once.
//! A record carries the normalised data utama, the derived facts ([`crate::fakta`]) and every warning about it;
//! the key names of the flat part follow `../shared/fixtures/expected.json` so a report can be compared with it.
//! Formatting for a terminal is the caller's job.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::Tanggal;
use crate::fakta::{self, Fakta};
use crate::id::Nip;
use crate::pegawai::{DataUtama, JenisAsn, JenisKelamin, Pegawai};
use crate::rules::kp::KpReguler;
use crate::warning::{Warning, WarningKind};

/// One pegawai in the report (one JSON object per line with `--json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Laporan {
    /// NIP / NI PPPK as read.
    pub nip: String,
    /// SI-ASN person id.
    pub pns_id: Option<String>,
    /// Nama without gelar.
    pub nama: String,
    /// Nama with gelar, as on an SK.
    pub nama_lengkap: String,
    /// Gelar depan.
    pub gelar_depan: Option<String>,
    /// Gelar belakang.
    pub gelar_belakang: Option<String>,
    /// Tanggal lahir, `yyyy-mm-dd`.
    pub tgl_lahir: Option<Tanggal>,
    /// `L` or `P`.
    pub jenis_kelamin: Option<JenisKelamin>,
    /// `PNS`, `CPNS` or `PPPK`.
    pub jenis_asn: Option<JenisAsn>,
    /// Kedudukan hukum id.
    pub kedudukan_hukum_id: Option<String>,
    /// Golongan akhir id (none for PPPK).
    pub golongan_akhir_id: Option<String>,
    /// TMT golongan akhir.
    pub tmt_golongan: Option<Tanggal>,
    /// Tingkat pendidikan terakhir id.
    pub tingkat_pendidikan_id: Option<String>,
    /// Jenis jabatan id.
    pub jenis_jabatan_id: Option<String>,
    /// Eselon of the current jabatan struktural.
    pub eselon_id: Option<String>,
    /// Where the eselon came from: `data_utama`, `unor`, `nama_jabatan`.
    pub eselon_sumber: Option<&'static str>,
    /// Unor id.
    pub unor_id: Option<String>,
    /// BUP in years.
    pub bup: Option<u8>,
    /// TMT pensiun, the 1st of the month after the BUP birthday.
    pub tmt_pensiun: Option<Tanggal>,
    /// The next KP reguler period date, if a KP reguler is possible.
    pub kp_berikutnya: Option<Tanggal>,
    /// The golongan that KP leads to.
    pub kp_berikutnya_golongan_id: Option<String>,
    /// `memenuhi` (all conditions met), `belum_pasti` (some unknown), `tidak_memenuhi`, `tidak_berlaku`, or
    /// `tidak_diketahui` (no data utama).
    pub kp_status: &'static str,
    /// Why, in Bahasa Indonesia (conditions and reasons).
    pub kp_keterangan: Vec<String>,
    /// IKD anomaly codes.
    pub ikd: Vec<&'static str>,
    /// IKD anomalies with explanations.
    pub ikd_penjelasan: Vec<IkdPenjelasan>,
    /// Every warning about this record.
    pub warnings: Vec<Warning>,
    /// Where the record came from: `baris N` of a CSV, or the path of the `data-utama` response.
    pub sumber: String,
    /// False when the pegawai's data utama could not be read (not saved, 404, unreadable response): the record
    /// then carries only its NIP and warnings, no derived facts and no IKD codes.
    pub data_utama_ada: bool,
    /// The whole normalised data utama (empty but for the NIP when `data_utama_ada` is false).
    pub data_utama: DataUtama,
}

/// One IKD anomaly with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IkdPenjelasan {
    /// The code, e.g. `"COM_6"`.
    pub kode: &'static str,
    /// The explanation with values.
    pub penjelasan: String,
}

/// Builds the report record of one pegawai read with `warnings`, on `hari_ini`; the data utama is cloned into it.
/// Prefer [`laporan_owned`] when the pegawai is not needed afterwards.
pub fn laporan(
    pegawai: &Pegawai,
    warnings: Vec<Warning>,
    sumber: String,
    hari_ini: Tanggal,
    eselon_unor: &dyn Fn(&str) -> Option<String>,
) -> Laporan {
    let mut laporan = susun(pegawai, warnings, sumber, hari_ini, eselon_unor);
    laporan.data_utama = pegawai.data_utama.clone();
    laporan
}

/// [`laporan`] taking the pegawai by value: its data utama moves into the report instead of being cloned.
pub fn laporan_owned(
    pegawai: Pegawai,
    warnings: Vec<Warning>,
    sumber: String,
    hari_ini: Tanggal,
    eselon_unor: &dyn Fn(&str) -> Option<String>,
) -> Laporan {
    let mut laporan = susun(&pegawai, warnings, sumber, hari_ini, eselon_unor);
    laporan.data_utama = pegawai.data_utama;
    laporan
}

/// The report record of a pegawai whose data utama could not be read: its NIP and the `warnings` that say why,
/// no derived facts and no IKD codes (inventing them from an empty record would report anomalies that are not
/// there). [`Ringkasan`] counts it apart.
pub fn laporan_tanpa_data_utama(nip: &Nip, warnings: Vec<Warning>, sumber: String) -> Laporan {
    Laporan {
        nip: nip.to_string(),
        pns_id: None,
        nama: String::new(),
        nama_lengkap: String::new(),
        gelar_depan: None,
        gelar_belakang: None,
        tgl_lahir: None,
        jenis_kelamin: None,
        jenis_asn: None,
        kedudukan_hukum_id: None,
        golongan_akhir_id: None,
        tmt_golongan: None,
        tingkat_pendidikan_id: None,
        jenis_jabatan_id: None,
        eselon_id: None,
        eselon_sumber: None,
        unor_id: None,
        bup: None,
        tmt_pensiun: None,
        kp_berikutnya: None,
        kp_berikutnya_golongan_id: None,
        kp_status: "tidak_diketahui",
        kp_keterangan: vec!["data utama tidak terbaca; fakta tidak dihitung".into()],
        ikd: Vec::new(),
        ikd_penjelasan: Vec::new(),
        warnings,
        sumber,
        data_utama_ada: false,
        data_utama: DataUtama { nip: nip.clone(), ..DataUtama::default() },
    }
}

/// Everything of the report record except the data utama itself (left empty for the caller to move or clone in).
fn susun(
    pegawai: &Pegawai,
    mut warnings: Vec<Warning>,
    sumber: String,
    hari_ini: Tanggal,
    eselon_unor: &dyn Fn(&str) -> Option<String>,
) -> Laporan {
    let record = if pegawai.data_utama.nip.as_str().is_empty() {
        sumber.clone()
    } else {
        format!("nip {}", pegawai.data_utama.nip)
    };
    let Fakta { bup, tmt_pensiun, kp_reguler, ikd, eselon, warnings: fakta_warnings } =
        fakta::derive(pegawai, &record, hari_ini, eselon_unor);
    warnings.extend(fakta_warnings);
    let utama = &pegawai.data_utama;
    let kp_status = kp_reguler.status();
    let (kp_berikutnya, kp_berikutnya_golongan_id, kp_keterangan) = match &kp_reguler {
        KpReguler::Berikutnya { tmt, golongan_baru_id, syarat } => {
            let keterangan = syarat.iter().map(|s| format!("{}: {}", s.nama, s.penjelasan)).collect();
            (Some(*tmt), Some(golongan_baru_id.clone()), keterangan)
        }
        KpReguler::TidakBerlaku(reason) => (None, None, vec![reason.clone()]),
    };
    Laporan {
        nip: utama.nip.to_string(),
        pns_id: utama.pns_id.as_ref().map(ToString::to_string),
        nama: utama.nama.clone(),
        nama_lengkap: utama.nama_lengkap(),
        gelar_depan: utama.gelar_depan.clone(),
        gelar_belakang: utama.gelar_belakang.clone(),
        tgl_lahir: utama.tgl_lahir,
        jenis_kelamin: utama.jenis_kelamin,
        jenis_asn: utama.jenis_asn,
        kedudukan_hukum_id: utama.kedudukan_hukum_id.clone(),
        golongan_akhir_id: utama.golongan_akhir_id.clone(),
        tmt_golongan: utama.tmt_golongan,
        tingkat_pendidikan_id: utama.tingkat_pendidikan_id.clone(),
        jenis_jabatan_id: utama.jenis_jabatan_id.clone(),
        eselon_id: eselon.as_ref().map(|(id, _)| id.clone()),
        eselon_sumber: eselon.as_ref().map(|(_, sumber)| match sumber {
            fakta::SumberEselon::DataUtama => "data_utama",
            fakta::SumberEselon::Unor => "unor",
            fakta::SumberEselon::NamaJabatan => "nama_jabatan",
        }),
        unor_id: utama.unor_id.clone(),
        bup: bup.as_ref().map(|bup| bup.usia),
        tmt_pensiun,
        kp_berikutnya,
        kp_berikutnya_golongan_id,
        kp_status,
        kp_keterangan,
        ikd: ikd.iter().map(|temuan| temuan.kode).collect(),
        ikd_penjelasan: ikd
            .into_iter()
            .map(|temuan| IkdPenjelasan { kode: temuan.kode, penjelasan: temuan.penjelasan })
            .collect(),
        warnings,
        sumber,
        data_utama_ada: true,
        data_utama: DataUtama::default(),
    }
}

/// Totals over a report, for the readable summary. Built incrementally ([`Ringkasan::add`]) so a caller can
/// stream the records and keep none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ringkasan {
    /// The reference date the "within 12 months" counts are measured from.
    pub tanggal_acuan: Tanggal,
    /// Pegawai read, with their data utama.
    pub pegawai: usize,
    /// Pegawai whose data utama could not be read (reported without facts; not in the IKD and jenis totals).
    pub pegawai_tanpa_data_utama: usize,
    /// Records with at least one warning.
    pub pegawai_dengan_peringatan: usize,
    /// Warnings about the file itself (encoding, columns).
    pub peringatan_berkas: usize,
    /// Warnings by kind, records and file together.
    pub peringatan_per_jenis: BTreeMap<WarningKind, usize>,
    /// Records per IKD code.
    pub ikd_per_kode: BTreeMap<&'static str, usize>,
    /// Records with at least one IKD anomaly.
    pub pegawai_dengan_anomali: usize,
    /// Records per jenis ASN (`PNS`, `CPNS`, `PPPK`, `?`).
    pub per_jenis_asn: BTreeMap<&'static str, usize>,
    /// Records whose TMT pensiun is on or before the reference date plus 12 months (past ones included).
    pub tmt_pensiun_dalam_12_bulan: usize,
    /// Records whose next KP reguler falls within the next 12 months.
    pub kp_dalam_12_bulan: usize,
}

impl Ringkasan {
    /// Empty totals as of `hari_ini`.
    pub fn new(hari_ini: Tanggal) -> Self {
        Ringkasan { tanggal_acuan: hari_ini, ..Ringkasan::default() }
    }

    /// Counts one record.
    pub fn add(&mut self, record: &Laporan) {
        if !record.warnings.is_empty() {
            self.pegawai_dengan_peringatan += 1;
        }
        for warning in &record.warnings {
            *self.peringatan_per_jenis.entry(warning.kind).or_default() += 1;
        }
        if !record.data_utama_ada {
            self.pegawai_tanpa_data_utama += 1;
            return;
        }
        self.pegawai += 1;
        if !record.ikd.is_empty() {
            self.pegawai_dengan_anomali += 1;
        }
        for code in &record.ikd {
            *self.ikd_per_kode.entry(code).or_default() += 1;
        }
        *self.per_jenis_asn.entry(record.jenis_asn.map_or("?", JenisAsn::as_str)).or_default() += 1;
        let horizon = crate::date::add_years(self.tanggal_acuan, 1);
        if record.tmt_pensiun.is_some_and(|tmt| tmt <= horizon) {
            self.tmt_pensiun_dalam_12_bulan += 1;
        }
        if record.kp_berikutnya.is_some_and(|tmt| tmt <= horizon) {
            self.kp_dalam_12_bulan += 1;
        }
    }

    /// Counts warnings about the file itself.
    pub fn add_file_warnings(&mut self, warnings: &[Warning]) {
        self.peringatan_berkas += warnings.len();
        for warning in warnings {
            *self.peringatan_per_jenis.entry(warning.kind).or_default() += 1;
        }
    }
}

/// Sums `records` and the file's own warnings as of `hari_ini`.
pub fn ringkasan(records: &[Laporan], file_warnings: &[Warning], hari_ini: Tanggal) -> Ringkasan {
    let mut ringkasan = Ringkasan::new(hari_ini);
    ringkasan.add_file_warnings(file_warnings);
    for record in records {
        ringkasan.add(record);
    }
    ringkasan
}

#[cfg(test)]
mod tests;
