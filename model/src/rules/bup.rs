//! Batas usia pensiun (BUP) and TMT pensiun.
//!
//! UU 5/2014 Pasal 90 and PP 11/2017 Pasal 239: 58 years for pejabat administrasi, JF ahli pertama, ahli muda and
//! keterampilan; 60 for JPT (eselon I–II) and JF ahli madya; 65 for JF ahli utama. Laws on specific jabatan override
//! these (UU 14/2005: guru 60, guru besar/profesor 70; jaksa 62), carried per jabatan by SI-ASN's `usiaBup` and here
//! by `schemas/referensi/usia-bup-jabatan.json`. TMT pensiun is the 1st of the month after the BUP birthday
//! (siasn-api.md §4: born 30-03-1967, BUP 58 → 01-04-2025). This module does not handle the transitional BUPs of
//! people who held an older BUP when PP 11/2017 took effect, nor pensiun dini or janda/duda: those come with usulan.

use crate::date::{self, Tanggal};
use crate::pegawai::DataUtama;
use crate::referensi::referensi;

/// Where a BUP came from, for the officer's explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DasarBup {
    /// A jabatan-specific law (the `usia-bup-jabatan` row id, e.g. `"guru"`).
    Jabatan(String),
    /// The jenjang of a jabatan fungsional (`"UT"`, `"MA"`, …).
    JenjangJf(String),
    /// The eselon of a jabatan struktural (`"21"`, `"31"`, …).
    Eselon(String),
    /// None of the above is known: the general 58 years of PP 11/2017 Pasal 239.
    Umum,
}

/// A BUP in years with the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bup {
    /// Years.
    pub usia: u8,
    /// Which rule applied.
    pub dasar: DasarBup,
}

/// The general BUP of PP 11/2017 Pasal 239 (pejabat administrasi, JF ahli pertama/muda, keterampilan).
pub const BUP_UMUM: u8 = 58;

/// The BUP of a pegawai from the current jabatan.
///
/// `eselon_id` is the eselon of the current jabatan struktural when known (data utama's `eselonId`, or the unor's
/// eselon for exports that lack it). Order: a jabatan-specific override by name; then for jabatan fungsional the
/// jenjang (`kode_jenjang_jabatan`, or "Ahli Utama"/"Ahli Madya"/… in the name); for struktural the eselon; else 58.
pub fn bup(utama: &DataUtama, eselon_id: Option<&str>) -> Bup {
    let referensi = referensi();
    let jabatan = utama.jabatan_nama.as_deref().unwrap_or("");
    if let Some(row) = referensi.usia_bup_jabatan(jabatan) {
        return Bup { usia: row.usia_bup, dasar: DasarBup::Jabatan(row.id.clone()) };
    }
    match utama.jenis_jabatan_id.as_deref() {
        Some("1") | Some("3") => {
            if let Some(row) = eselon_id.and_then(|id| referensi.eselon(id))
                && let Some(usia) = row.usia_bup
            {
                return Bup { usia, dasar: DasarBup::Eselon(row.id.clone()) };
            }
        }
        Some("2") => {
            let kode = utama.jenjang_jabatan.clone().or_else(|| jenjang_dari_nama(jabatan).map(str::to_owned));
            if let Some(row) = kode.as_deref().and_then(|kode| referensi.jenjang_jf(kode)) {
                return Bup { usia: row.usia_bup, dasar: DasarBup::JenjangJf(row.id.clone()) };
            }
        }
        _ => {}
    }
    Bup { usia: BUP_UMUM, dasar: DasarBup::Umum }
}

/// TMT pensiun: the 1st of the month after the day the pegawai reaches `usia` years.
///
/// A birthday on the 1st still retires on the 1st of the next month (born 01-03-1976, BUP 58 → 01-04-2034);
/// a 29 February birthday in a common year counts from 28 February.
pub fn tmt_pensiun(tgl_lahir: Tanggal, usia: u8) -> Tanggal {
    date::first_of_next_month(date::add_years(tgl_lahir, i32::from(usia)))
}

/// The jenjang code a jabatan fungsional name implies (`"Perawat Ahli Madya"` → `"MA"`), if it names one.
pub fn jenjang_dari_nama(nama_jabatan: &str) -> Option<&'static str> {
    let lower = nama_jabatan.to_lowercase();
    const JENJANG: [(&str, &str); 8] = [
        ("ahli utama", "UT"),
        ("ahli madya", "MA"),
        ("ahli muda", "MU"),
        ("ahli pertama", "PT"),
        ("penyelia", "PY"),
        ("mahir", "MH"),
        ("terampil", "TR"),
        ("pemula", "PM"),
    ];
    JENJANG.iter().find(|(phrase, _)| lower.contains(phrase)).map(|(_, kode)| *kode)
}

/// The eselon a struktural jabatan name implies in a kabupaten/kota, for exports that carry no eselon and no unor
/// table: Sekretaris Daerah II.a; heads of dinas, badan, inspektorat, satpol PP, sekretariat DPRD (`SEKRETARIS
/// DEWAN`, `SEKRETARIS DPRD`), RSUD, the asisten and the staf ahli bupati II.b; wakil direktur RSUD III.a; camat, sekretaris dinas/badan, kepala bagian, inspektur pembantu III.a; kepala bidang and sekretaris
/// kecamatan III.b; kepala seksi, sub bagian, UPT and lurah IV.a; sekretaris kelurahan IV.b (Permendagri 1/2017 and
/// PP 18/2016 nomenclature). A guess: the unor's `EselonId` from `ref-unor` is preferred whenever available.
pub fn eselon_dari_nama_jabatan(nama_jabatan: &str) -> Option<&'static str> {
    let name = nama_jabatan.trim().to_uppercase();
    const RULES: [(&str, &str); 23] = [
        ("SEKRETARIS DAERAH", "21"),
        ("SEKRETARIS DPRD", "22"),
        ("STAF AHLI", "22"),
        ("WAKIL DIREKTUR", "31"),
        ("ASISTEN", "22"),
        ("KEPALA DINAS", "22"),
        ("KEPALA BADAN", "22"),
        ("KEPALA SATUAN", "22"),
        ("KEPALA PELAKSANA", "22"),
        ("INSPEKTUR PEMBANTU", "31"),
        ("INSPEKTUR", "22"),
        ("SEKRETARIS DEWAN", "22"),
        ("DIREKTUR", "22"),
        ("CAMAT", "31"),
        ("SEKRETARIS KECAMATAN", "32"),
        ("SEKRETARIS KELURAHAN", "42"),
        ("SEKRETARIS", "31"),
        ("KEPALA BAGIAN", "31"),
        ("KEPALA BIDANG", "32"),
        ("KEPALA SUB", "41"),
        ("KEPALA SEKSI", "41"),
        ("KEPALA UPT", "41"),
        ("LURAH", "41"),
    ];
    RULES.iter().find(|(prefix, _)| name.starts_with(prefix)).map(|(_, eselon)| *eselon)
}

#[cfg(test)]
mod tests;
