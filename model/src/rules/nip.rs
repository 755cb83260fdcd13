//! NIP and NI PPPK structure (Peraturan Kepala BKN 22/2007 on NIP; siasn-api.md §4).
//!
//! NIP PNS, 18 digits: birth date `yyyymmdd`, TMT CPNS `yyyymm`, gender (1 male, 2 female), sequence `nnn`.
//! NI PPPK, 18 digits: birth date `yyyymmdd`, the year of first appointment `yyyy`, two digits that are not a month
//! (`21` PPPK, `24` PPPK paruh waktu), gender, sequence. The NIP never changes, so a NIP whose parts disagree with
//! the record is a data-quality finding (IKD CON_1–CON_3), not a reason to reject the record.

use chrono::{Datelike, NaiveDate};

use crate::id::Nip;
use crate::pegawai::JenisKelamin;

/// Which form an 18-character identifier has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NipForm {
    /// NIP PNS/CPNS: digits 13–14 are a month (01–12).
    Pns,
    /// NI PPPK: digits 13–14 are not a month.
    Pppk,
    /// Not 18 digits, or no valid birth date in digits 1–8.
    Invalid,
}

/// The parts of a well-formed NIP or NI PPPK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NipParts {
    /// Which form it has ([`NipForm::Pns`] or [`NipForm::Pppk`]).
    pub form: NipForm,
    /// Digits 1–8.
    pub tgl_lahir: NaiveDate,
    /// Digits 9–12: the year of TMT CPNS (PNS) or of the first PPPK appointment.
    pub tahun_pengangkatan: i32,
    /// Digits 13–14: the month of TMT CPNS (PNS only).
    pub bulan_tmt_cpns: Option<u32>,
    /// Digit 15, when it is 1 or 2.
    pub jenis_kelamin: Option<JenisKelamin>,
    /// Digits 16–18.
    pub urut: u16,
}

/// Why an identifier is not a well-formed NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    /// Empty.
    #[error("NIP kosong")]
    Empty,
    /// Not exactly 18 digits.
    #[error("NIP harus 18 angka")]
    NotEighteenDigits,
    /// Digits 1–8 are not a calendar date.
    #[error("8 angka pertama NIP bukan tanggal lahir yang valid")]
    InvalidBirthDate,
}

/// The form of `nip` (see [`NipForm`]).
pub fn form(nip: &Nip) -> NipForm {
    parse(nip).map_or(NipForm::Invalid, |parts| parts.form)
}

/// Splits a NIP or NI PPPK into its parts.
///
/// # Errors
/// [`NipError`] when it is empty, not 18 digits, or digits 1–8 are not a date.
pub fn parse(nip: &Nip) -> Result<NipParts, NipError> {
    let text = nip.as_str();
    if text.is_empty() {
        return Err(NipError::Empty);
    }
    if text.len() != 18 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(NipError::NotEighteenDigits);
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().expect("checked to be ASCII digits");
    let tgl_lahir = NaiveDate::from_ymd_opt(number(0..4) as i32, number(4..6), number(6..8))
        .filter(|date| date.year() >= 1900)
        .ok_or(NipError::InvalidBirthDate)?;
    let tahun_pengangkatan = number(8..12) as i32;
    let month = number(12..14);
    let (form, bulan_tmt_cpns) =
        if (1..=12).contains(&month) { (NipForm::Pns, Some(month)) } else { (NipForm::Pppk, None) };
    let jenis_kelamin = match &text[14..15] {
        "1" => Some(JenisKelamin::LakiLaki),
        "2" => Some(JenisKelamin::Perempuan),
        _ => None,
    };
    Ok(NipParts { form, tgl_lahir, tahun_pengangkatan, bulan_tmt_cpns, jenis_kelamin, urut: number(15..18) as u16 })
}

#[cfg(test)]
mod tests;
