//! NIK structure and its agreement with the record (PP 40/2019 Pasal 30(2); siasn-api.md §4).
//!
//! 16 digits: province (2), kab/kota (2), kecamatan (2), birth date `DDMMYY` with DD + 40 for women, sequence (4).
//! The NIK is permanent and is not corrected when its date part differs from the true birth date, so every
//! disagreement found here is a warning for the officer, never a rejection.

use chrono::{Datelike, NaiveDate};

use crate::id::Nik;
use crate::pegawai::JenisKelamin;

/// The parts of a 16-digit NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NikParts {
    /// Kode wilayah: province, kab/kota, kecamatan (6 digits as a number, e.g. 641203).
    pub kode_wilayah: u32,
    /// Day of birth as written, 1–31 (41–71 already reduced by 40 for women).
    pub hari: u32,
    /// Month of birth, 1–12.
    pub bulan: u32,
    /// Two-digit year of birth.
    pub tahun_dua_digit: u32,
    /// Perempuan when the day was written + 40.
    pub jenis_kelamin: JenisKelamin,
    /// Sequence, from 1.
    pub urut: u16,
}

/// A disagreement between a NIK and the record, or a malformed NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NikFinding {
    /// Not exactly 16 digits.
    #[error("NIK harus 16 angka")]
    NotSixteenDigits,
    /// The day (after removing 40) or the month is not possible.
    #[error("bagian tanggal lahir NIK tidak valid")]
    InvalidDatePart,
    /// The date part is not the record's tanggal lahir.
    #[error("tanggal lahir di NIK berbeda dengan tanggal lahir pegawai")]
    BirthDateMismatch,
    /// The day part says one gender, the record another (perempuan writes the day + 40).
    #[error("kode jenis kelamin di NIK (tanggal + 40 untuk perempuan) berbeda dengan jenis kelamin pegawai")]
    GenderMismatch,
}

/// Splits a NIK into its parts.
///
/// # Errors
/// [`NikFinding::NotSixteenDigits`] or [`NikFinding::InvalidDatePart`].
pub fn parse(nik: &Nik) -> Result<NikParts, NikFinding> {
    let text = nik.as_str();
    if text.len() != 16 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(NikFinding::NotSixteenDigits);
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().expect("checked to be ASCII digits");
    let day_written = number(6..8);
    let (hari, jenis_kelamin) = if day_written > 40 {
        (day_written - 40, JenisKelamin::Perempuan)
    } else {
        (day_written, JenisKelamin::LakiLaki)
    };
    let bulan = number(8..10);
    if !(1..=31).contains(&hari) || !(1..=12).contains(&bulan) {
        return Err(NikFinding::InvalidDatePart);
    }
    Ok(NikParts {
        kode_wilayah: number(0..6),
        hari,
        bulan,
        tahun_dua_digit: number(10..12),
        jenis_kelamin,
        urut: number(12..16) as u16,
    })
}

/// Every disagreement between `nik` and the record's tanggal lahir and jenis kelamin (empty when they agree).
pub fn check(nik: &Nik, tgl_lahir: Option<NaiveDate>, jenis_kelamin: Option<JenisKelamin>) -> Vec<NikFinding> {
    let parts = match parse(nik) {
        Ok(parts) => parts,
        Err(finding) => return vec![finding],
    };
    let mut findings = Vec::new();
    if let Some(date) = tgl_lahir {
        let same = date.day() == parts.hari
            && date.month() == parts.bulan
            && date.year().rem_euclid(100) as u32 == parts.tahun_dua_digit;
        if !same {
            findings.push(NikFinding::BirthDateMismatch);
        }
    }
    if jenis_kelamin.is_some_and(|jenis| jenis != parts.jenis_kelamin) {
        findings.push(NikFinding::GenderMismatch);
    }
    findings
}

#[cfg(test)]
mod tests;
