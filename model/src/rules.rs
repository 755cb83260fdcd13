//! The rules of kepegawaian as pure functions; each cites the regulation it implements.
//!
//! - [`nip`], [`nik`]: structure of NIP / NI PPPK (Perka BKN 22/2007) and NIK (PP 40/2019).
//! - [`masa_kerja`]: masa kerja golongan (PP 7/1977 and amendments).
//! - [`kp`]: kenaikan pangkat reguler eligibility and the next KP date (PP 99/2000 jo. PP 12/2002,
//!   Peraturan BKN 4/2023 and 4/2025).
//! - [`kgb`]: kenaikan gaji berkala every 2 years of masa kerja golongan (PP 7/1977 Pasal 9, PP 5/2024).
//! - [`bup`]: batas usia pensiun and TMT pensiun (UU 5/2014 Pasal 90, PP 11/2017 Pasal 239).
//! - [`ikd`]: the BKN Indeks Kualitas Data indicators computable from a profile.
//!
//! Rules take "today" as an argument and read reference data from [`crate::referensi`]; they never read a clock.

pub mod bup;
pub mod ikd;
pub mod kgb;
pub mod kp;
pub mod masa_kerja;
pub mod nik;
pub mod nip;
