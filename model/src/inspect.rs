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
use crate::pegawai::{DataUtama, JenisAsn, JenisKelamin, Pegawai};
use crate::rules::kp::{KpReguler, Pemenuhan};
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
    /// `memenuhi` (all conditions met), `belum_pasti` (some unknown), `tidak_memenuhi`, or `tidak_berlaku`.
    pub kp_status: &'static str,
    /// Why, in Bahasa Indonesia (conditions and reasons).
    pub kp_keterangan: Vec<String>,
    /// IKD anomaly codes.
    pub ikd: Vec<&'static str>,
    /// IKD anomalies with explanations.
    pub ikd_penjelasan: Vec<IkdPenjelasan>,
    /// Every warning about this record.
    pub warnings: Vec<Warning>,
    /// Where the record came from: `baris N` of a CSV, or the WS folder.
    pub sumber: String,
    /// The whole normalised data utama.
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

/// Builds the report record of one pegawai read with `warnings`, on `hari_ini`.
pub fn laporan(
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
    let (kp_berikutnya, kp_berikutnya_golongan_id, kp_status, kp_keterangan) = match &kp_reguler {
        KpReguler::Berikutnya { tmt, golongan_baru_id, syarat } => {
            let status = if syarat.iter().any(|s| s.pemenuhan == Pemenuhan::TidakTerpenuhi) {
                "tidak_memenuhi"
            } else if syarat.iter().any(|s| s.pemenuhan == Pemenuhan::TidakDiketahui) {
                "belum_pasti"
            } else {
                "memenuhi"
            };
            let keterangan = syarat.iter().map(|s| format!("{}: {}", s.nama, s.penjelasan)).collect();
            (Some(*tmt), Some(golongan_baru_id.clone()), status, keterangan)
        }
        KpReguler::TidakBerlaku(reason) => (None, None, "tidak_berlaku", vec![reason.clone()]),
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
        data_utama: utama.clone(),
    }
}

/// Totals over a report, for the readable summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ringkasan {
    /// Records (pegawai) read.
    pub pegawai: usize,
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
    /// Records whose TMT pensiun is on or before the reference date plus 12 months.
    pub bup_dalam_12_bulan: usize,
    /// Records whose next KP reguler falls within the next 12 months.
    pub kp_dalam_12_bulan: usize,
}

/// Sums `records` and the file's own warnings as of `hari_ini`.
pub fn ringkasan(records: &[Laporan], file_warnings: &[Warning], hari_ini: Tanggal) -> Ringkasan {
    let mut ringkasan =
        Ringkasan { pegawai: records.len(), peringatan_berkas: file_warnings.len(), ..Ringkasan::default() };
    let horizon = crate::date::add_years(hari_ini, 1);
    for warning in file_warnings {
        *ringkasan.peringatan_per_jenis.entry(warning.kind).or_default() += 1;
    }
    for record in records {
        if !record.warnings.is_empty() {
            ringkasan.pegawai_dengan_peringatan += 1;
        }
        for warning in &record.warnings {
            *ringkasan.peringatan_per_jenis.entry(warning.kind).or_default() += 1;
        }
        if !record.ikd.is_empty() {
            ringkasan.pegawai_dengan_anomali += 1;
        }
        for code in &record.ikd {
            *ringkasan.ikd_per_kode.entry(code).or_default() += 1;
        }
        *ringkasan.per_jenis_asn.entry(record.jenis_asn.map_or("?", JenisAsn::as_str)).or_default() += 1;
        if record.tmt_pensiun.is_some_and(|tmt| tmt <= horizon) {
            ringkasan.bup_dalam_12_bulan += 1;
        }
        if record.kp_berikutnya.is_some_and(|tmt| tmt <= horizon) {
            ringkasan.kp_dalam_12_bulan += 1;
        }
    }
    ringkasan
}
