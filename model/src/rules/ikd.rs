//! The BKN Indeks Kualitas Data (IKD) indicators that a profile alone can decide.
//!
//! The indicators, their dimensions and weights are data in `schemas/referensi/ikd-indikator.json` (from BKN's
//! `kualitas_data`, in use since 2024; siasn-api.md §4). This module evaluates the ones computable from one pegawai:
//! CON_1–CON_3, ACC_1, ACC_4, ACC_5, ACC_10, COM_3–COM_7, TIM_3 and TIM_5, with the exact conditions of
//! `../shared/fixtures/expected.json` `ikd_rules`. Each finding explains itself in Bahasa Indonesia with the values
//! involved. Indicators that need other records (TIM_4: one struktural unor held by two ASN) or reference data we
//! do not hold (COM_2, ACC_6, ACC_8: jabatan minimum pendidikan) are not evaluated here.

use chrono::Datelike;

use crate::date::{self, Tanggal};
use crate::pegawai::{JenisAsn, JenisKelamin, Pegawai};
use crate::referensi::referensi;
use crate::rules::nip::{self, NipForm};

/// One IKD anomaly of one pegawai.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Temuan {
    /// The indicator code, e.g. `"CON_2"`.
    pub kode: &'static str,
    /// What is wrong, with the values, in Bahasa Indonesia.
    pub penjelasan: String,
}

/// Facts computed elsewhere that some indicators need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Konteks<'a> {
    /// The reference date ("today"), an input: rules never read the clock.
    pub hari_ini: Tanggal,
    /// TMT pensiun from [`crate::rules::bup`], for TIM_5.
    pub tmt_pensiun: Option<Tanggal>,
    /// The eselon of the current jabatan struktural, for ACC_10.
    pub eselon_id: Option<&'a str>,
}

/// The codes [`evaluate`] decides, in the order it reports them.
pub const EVALUATED: [&str; 14] = [
    "CON_1", "CON_2", "CON_3", "ACC_1", "ACC_4", "ACC_5", "ACC_10", "COM_3", "COM_4", "COM_5", "COM_6", "COM_7",
    "TIM_3", "TIM_5",
];

/// Every evaluated IKD indicator that `pegawai` violates, in [`EVALUATED`] order.
pub fn evaluate(pegawai: &Pegawai, konteks: &Konteks<'_>) -> Vec<Temuan> {
    let utama = &pegawai.data_utama;
    let mut temuan = Vec::new();
    let mut push = |kode: &'static str, penjelasan: String| temuan.push(Temuan { kode, penjelasan });
    let parts = nip::parse(&utama.nip).ok();

    // CON_1: NIP digits 9–14 against TMT CPNS (PNS/CPNS only; a NI PPPK carries a year, not yyyymm).
    if let (Some(parts), Some(tmt_cpns)) = (parts, utama.tmt_cpns)
        && parts.form == NipForm::Pns
        && utama.jenis_asn != Some(JenisAsn::Pppk)
        && (parts.tahun_pengangkatan, parts.bulan_tmt_cpns) != (tmt_cpns.year(), Some(tmt_cpns.month()))
    {
        push(
            "CON_1",
            format!(
                "NIP angka 9–14 ({}) tidak sama dengan TMT CPNS {}",
                &utama.nip.as_str()[8..14],
                date::format_dmy(tmt_cpns)
            ),
        );
    }
    // CON_2: NIP digits 1–8 against tanggal lahir.
    if let (Some(parts), Some(tgl_lahir)) = (parts, utama.tgl_lahir)
        && parts.tgl_lahir != tgl_lahir
    {
        push(
            "CON_2",
            format!(
                "NIP angka 1–8 ({}) tidak sama dengan tanggal lahir {}",
                &utama.nip.as_str()[..8],
                date::format_dmy(tgl_lahir)
            ),
        );
    }
    // CON_3: NIP digit 15 against jenis kelamin.
    if let (Some(parts), Some(jenis)) = (parts, utama.jenis_kelamin)
        && parts.jenis_kelamin != Some(jenis)
    {
        push(
            "CON_3",
            format!(
                "NIP angka ke-15 ({}) tidak sesuai jenis kelamin {} (1 = laki-laki, 2 = perempuan)",
                &utama.nip.as_str()[14..15],
                nama_jenis_kelamin(jenis)
            ),
        );
    }
    // ACC_1: TMT CPNS after TMT PNS.
    if let (Some(cpns), Some(pns)) = (utama.tmt_cpns, utama.tmt_pns)
        && cpns > pns
    {
        push(
            "ACC_1",
            format!("TMT CPNS {} lebih akhir dari TMT PNS {}", date::format_dmy(cpns), date::format_dmy(pns)),
        );
    }
    // ACC_4: PPPK whose kedudukan hukum is not 71 PPPK Aktif.
    if utama.jenis_asn == Some(JenisAsn::Pppk) && utama.kedudukan_hukum_id.as_deref() != Some("71") {
        push(
            "ACC_4",
            format!(
                "PPPK dengan kedudukan hukum {} ({}); seharusnya 71 PPPK Aktif",
                utama.kedudukan_hukum_id.as_deref().unwrap_or("kosong"),
                utama.kedudukan_hukum_nama.as_deref().unwrap_or("-")
            ),
        );
    }
    // ACC_5: NIK missing, malformed, or not validated by Dukcapil.
    match (&utama.nik, utama.valid_nik) {
        (None, _) => push("ACC_5", "NIK kosong".into()),
        (Some(nik), _) if nik.as_str().len() != 16 || !nik.as_str().bytes().all(|byte| byte.is_ascii_digit()) => {
            push("ACC_5", format!("NIK tidak 16 angka ({} karakter)", nik.as_str().chars().count()));
        }
        (Some(_), Some(false)) => push("ACC_5", "NIK belum tervalidasi Dukcapil (validNik false)".into()),
        _ => {}
    }
    // ACC_10: struktural below the minimum pangkat of its eselon (PP 13/2002).
    if matches!(utama.jenis_jabatan_id.as_deref(), Some("1"))
        && let (Some(golongan), Some(eselon)) =
            (utama.golongan_akhir_id.as_deref(), konteks.eselon_id.and_then(|id| referensi().eselon(id)))
        && let Some(minimum) = eselon.pangkat_min_id.as_deref()
        && referensi()
            .golongan_urutan(golongan)
            .is_some_and(|urutan| Some(urutan) < referensi().golongan_urutan(minimum))
    {
        push(
            "ACC_10",
            format!(
                "jabatan struktural eselon {} minimal {}, golongan pegawai {}",
                eselon.nama,
                nama_golongan(minimum),
                nama_golongan(golongan)
            ),
        );
    }
    // COM_3: pendidikan terakhir empty.
    if utama.tingkat_pendidikan_id.is_none() || utama.pendidikan_id.is_none() {
        push("COM_3", "pendidikan terakhir kosong".into());
    }
    // COM_4: PNS without TMT PNS.
    if utama.jenis_asn == Some(JenisAsn::Pns) && utama.tmt_pns.is_none() {
        push("COM_4", "PNS tanpa TMT PNS".into());
    }
    // COM_5: no gelar although pendidikan is Diploma or higher (tingkat id ≥ 20).
    let tingkat = utama.tingkat_pendidikan_id.as_deref().and_then(|id| id.parse::<u32>().ok());
    if tingkat.is_some_and(|id| id >= 20) && utama.gelar_depan.is_none() && utama.gelar_belakang.is_none() {
        push(
            "COM_5",
            format!(
                "gelar kosong padahal pendidikan {} (Diploma ke atas)",
                utama
                    .tingkat_pendidikan_nama
                    .as_deref()
                    .unwrap_or(utama.tingkat_pendidikan_id.as_deref().unwrap_or(""))
            ),
        );
    }
    // COM_6: personal email empty or malformed.
    match utama.email.as_deref() {
        None => push("COM_6", "email kosong".into()),
        Some(email) if !email_valid(email) => push("COM_6", format!("format email tidak valid: {email}")),
        _ => {}
    }
    // COM_7: mobile number empty.
    if utama.no_hp.is_none() {
        push("COM_7", "nomor HP kosong".into());
    }
    // TIM_3: CPNS for more than a year.
    if utama.jenis_asn == Some(JenisAsn::Cpns)
        && let Some(tmt_cpns) = utama.tmt_cpns
        && date::add_years(tmt_cpns, 1) < konteks.hari_ini
    {
        push(
            "TIM_3",
            format!(
                "masih CPNS lebih dari 1 tahun sejak TMT CPNS {}; segera usulkan pengangkatan PNS",
                date::format_dmy(tmt_cpns)
            ),
        );
    }
    // TIM_5: reached BUP but still aktif.
    if utama.kedudukan_hukum_id.as_deref() == Some("01")
        && let Some(tmt_pensiun) = konteks.tmt_pensiun
        && tmt_pensiun <= konteks.hari_ini
    {
        push(
            "TIM_5",
            format!("sudah mencapai BUP (TMT pensiun {}) tetapi kedudukan masih Aktif", date::format_dmy(tmt_pensiun)),
        );
    }
    temuan
}

/// `^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$`, the check BKN's indicator describes.
pub fn email_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let no_space_or_at = |part: &str| !part.is_empty() && !part.chars().any(|c| c.is_whitespace() || c == '@');
    let Some((host, tld)) = domain.rsplit_once('.') else { return false };
    no_space_or_at(local) && no_space_or_at(host) && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
}

fn nama_jenis_kelamin(jenis: JenisKelamin) -> &'static str {
    match jenis {
        JenisKelamin::LakiLaki => "laki-laki",
        JenisKelamin::Perempuan => "perempuan",
    }
}

fn nama_golongan(id: &str) -> String {
    referensi().golongan(id).map_or_else(|| id.to_owned(), |row| row.nama.clone())
}

#[cfg(test)]
mod tests;
