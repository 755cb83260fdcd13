//! Kenaikan pangkat (KP) reguler: eligibility and the next KP date.
//!
//! PP 99/2000 jo. PP 12/2002 (siasn-api.md §4): at least 4 years in the current pangkat; performance at least
//! "Baik" in the last 2 years (today predikat kinerja from SKP, PP 30/2019 and PermenPANRB 6/2022: kuadran 1 Sangat
//! Baik or 2 Baik); not above the highest golongan the ijazah allows by KP reguler (`tingkat-pendidikan`
//! `golongan_maks_id`; dokter and apoteker at S-1 reach IV/a, the Dokter/S-2/Apoteker row of the ijazah table).
//! KP takes effect only on a KP period date, whose calendar is date-versioned data (`periode-kp.json`: PP 12/2002
//! April/October; Peraturan BKN 4/2023 six a year from 2024; Peraturan BKN 4/2025 monthly from October 2025).
//!
//! This module does not decide KP pilihan (struktural, JF with angka kredit, penyesuaian ijazah): those need the
//! usulan's documents and come with the usulan issue. "Not above the direct superior's pangkat" needs the superior's
//! record and is left to the verifikator.

use crate::date::{self, Tanggal};
use crate::pegawai::{JenisAsn, Pegawai};
use crate::referensi::referensi;

/// The years a pegawai must hold a pangkat before KP reguler (PP 99/2000 Pasal 7).
pub const MASA_PANGKAT_TAHUN: i32 = 4;

/// Whether one condition of KP reguler is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pemenuhan {
    /// Met.
    Terpenuhi,
    /// Not met.
    TidakTerpenuhi,
    /// The data needed to decide is missing (for example an export without SKP).
    TidakDiketahui,
}

/// One condition of KP reguler with an explanation in Bahasa Indonesia.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syarat {
    /// Short name: `"masa pangkat"`, `"predikat kinerja"`, `"batas ijazah"`.
    pub nama: &'static str,
    /// Met, not met, or unknown.
    pub pemenuhan: Pemenuhan,
    /// What was checked, with values.
    pub penjelasan: String,
}

/// The outcome for one pegawai.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KpReguler {
    /// A next KP reguler date exists: `tmt` is the first KP period date on or after both `pada` and the end of the
    /// 4 years in pangkat; `syarat` says which conditions are met on that date.
    Berikutnya {
        /// The KP period date.
        tmt: Tanggal,
        /// The golongan it leads to.
        golongan_baru_id: String,
        /// Each condition, checked for that date.
        syarat: Vec<Syarat>,
    },
    /// No KP reguler is possible; the reason says why (PPPK, CPNS, not aktif, at the ijazah's maximum, data missing).
    TidakBerlaku(String),
}

impl KpReguler {
    /// A one-word summary: `memenuhi` (every condition met), `belum_pasti` (some unknown), `tidak_memenuhi`
    /// (some not met) or `tidak_berlaku` (no KP reguler possible).
    pub fn status(&self) -> &'static str {
        match self {
            KpReguler::Berikutnya { syarat, .. } => {
                if syarat.iter().any(|s| s.pemenuhan == Pemenuhan::TidakTerpenuhi) {
                    "tidak_memenuhi"
                } else if syarat.iter().any(|s| s.pemenuhan == Pemenuhan::TidakDiketahui) {
                    "belum_pasti"
                } else {
                    "memenuhi"
                }
            }
            KpReguler::TidakBerlaku(_) => "tidak_berlaku",
        }
    }

    /// The next KP date, if any.
    pub fn tmt(&self) -> Option<Tanggal> {
        match self {
            KpReguler::Berikutnya { tmt, .. } => Some(*tmt),
            KpReguler::TidakBerlaku(_) => None,
        }
    }

    /// True when a date exists and every condition is met (none unmet, none unknown).
    pub fn memenuhi_syarat(&self) -> bool {
        match self {
            KpReguler::Berikutnya { syarat, .. } => {
                syarat.iter().all(|syarat| syarat.pemenuhan == Pemenuhan::Terpenuhi)
            }
            KpReguler::TidakBerlaku(_) => false,
        }
    }
}

/// The next KP reguler of `pegawai` on or after `pada` (usually today).
pub fn kp_reguler(pegawai: &Pegawai, pada: Tanggal) -> KpReguler {
    let utama = &pegawai.data_utama;
    match utama.jenis_asn {
        Some(JenisAsn::Pppk) => {
            return KpReguler::TidakBerlaku("PPPK tidak memiliki kenaikan pangkat golongan I–IV".into());
        }
        Some(JenisAsn::Cpns) => {
            return KpReguler::TidakBerlaku("CPNS belum dapat naik pangkat; menunggu SK PNS".into());
        }
        _ => {}
    }
    if let Some(kedudukan) = utama.kedudukan_hukum_id.as_deref().filter(|id| *id != "01") {
        return KpReguler::TidakBerlaku(format!("kedudukan hukum {kedudukan} bukan Aktif"));
    }
    let referensi = referensi();
    let Some(golongan_id) = utama.golongan_akhir_id.as_deref() else {
        return KpReguler::TidakBerlaku("golongan akhir kosong".into());
    };
    let Some(tmt_golongan) = utama.tmt_golongan else {
        return KpReguler::TidakBerlaku("TMT golongan kosong".into());
    };
    let Some(golongan_baru) = referensi.golongan_berikutnya(golongan_id) else {
        return KpReguler::TidakBerlaku(format!("golongan {golongan_id} adalah golongan tertinggi atau tidak dikenal"));
    };
    let maks = golongan_maks_ijazah(pegawai);
    if let Some((maks_id, ijazah)) = &maks
        && referensi.golongan_urutan(golongan_id) >= referensi.golongan_urutan(maks_id)
    {
        let nama = referensi.golongan(maks_id).map_or(maks_id.as_str(), |row| row.nama.as_str());
        return KpReguler::TidakBerlaku(format!(
            "golongan sudah mencapai batas tertinggi KP reguler untuk ijazah {ijazah} ({nama}); hanya KP pilihan"
        ));
    }

    let empat_tahun = date::add_years(tmt_golongan, MASA_PANGKAT_TAHUN);
    let tmt = referensi.tmt_kp_berikutnya(empat_tahun.max(pada));
    let mut syarat = vec![Syarat {
        nama: "masa pangkat",
        pemenuhan: Pemenuhan::Terpenuhi,
        penjelasan: format!(
            "TMT golongan {}; 4 tahun dalam pangkat tercapai {}",
            date::format_dmy(tmt_golongan),
            date::format_dmy(empat_tahun)
        ),
    }];
    syarat.push(match &maks {
        Some((_, ijazah)) => Syarat {
            nama: "batas ijazah",
            pemenuhan: Pemenuhan::Terpenuhi,
            penjelasan: format!("golongan {} masih di bawah batas KP reguler ijazah {ijazah}", golongan_baru.nama),
        },
        None => Syarat {
            nama: "batas ijazah",
            pemenuhan: Pemenuhan::TidakDiketahui,
            penjelasan: "tingkat pendidikan kosong atau tidak dikenal".into(),
        },
    });
    syarat.push(predikat_kinerja(pegawai, tmt));
    KpReguler::Berikutnya { tmt, golongan_baru_id: golongan_baru.id.clone(), syarat }
}

/// The highest golongan by KP reguler for the pegawai's ijazah, with the ijazah's name.
fn golongan_maks_ijazah(pegawai: &Pegawai) -> Option<(String, String)> {
    let utama = &pegawai.data_utama;
    let tingkat = referensi().tingkat_pendidikan(utama.tingkat_pendidikan_id.as_deref()?)?;
    let pendidikan = utama.pendidikan_nama.as_deref().unwrap_or("").to_uppercase();
    // Dokter, dokter gigi and apoteker are S-1 in the tingkat table but start at III/b and reach IV/a
    // (the Dokter/S-2/Apoteker row of the KP reguler ijazah table, Keputusan Kepala BKN 12/2002).
    if tingkat.id == "40" && (pendidikan.contains("DOKTER") || pendidikan.contains("APOTEKER")) {
        return Some(("41".into(), "Dokter/Apoteker".into()));
    }
    Some((tingkat.golongan_maks_id.clone(), tingkat.nama.clone()))
}

/// Predikat kinerja at least Baik in each of the two years before the KP date (SKP 2022 model).
fn predikat_kinerja(pegawai: &Pegawai, tmt: Tanggal) -> Syarat {
    use chrono::Datelike;
    let years = [tmt.year() - 2, tmt.year() - 1];
    if pegawai.riwayat_skp22.is_empty() {
        return Syarat {
            nama: "predikat kinerja",
            pemenuhan: Pemenuhan::TidakDiketahui,
            penjelasan: format!("riwayat SKP {} dan {} tidak tersedia di data ini", years[0], years[1]),
        };
    }
    let mut missing = Vec::new();
    let mut below = Vec::new();
    for year in years {
        let row = pegawai.riwayat_skp22.iter().rfind(|row| row.tahun == Some(i64::from(year)));
        match row.and_then(|row| row.kuadran_kinerja_nilai.as_deref()) {
            Some("1") | Some("2") => {}
            Some(other) => below.push(format!("{year} (predikat {other})")),
            None => missing.push(year.to_string()),
        }
    }
    let (pemenuhan, penjelasan) = if !below.is_empty() {
        (Pemenuhan::TidakTerpenuhi, format!("predikat di bawah Baik pada {}", below.join(", ")))
    } else if !missing.is_empty() {
        (Pemenuhan::TidakDiketahui, format!("SKP tahun {} belum ada", missing.join(", ")))
    } else {
        (Pemenuhan::Terpenuhi, format!("predikat Baik atau Sangat Baik pada {} dan {}", years[0], years[1]))
    };
    Syarat { nama: "predikat kinerja", pemenuhan, penjelasan }
}

#[cfg(test)]
mod tests;
