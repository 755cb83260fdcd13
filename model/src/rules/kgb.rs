//! Kenaikan gaji berkala (KGB): when the next periodic raise of gaji pokok falls due.
//!
//! PP 7/1977 Pasal 9 and its amendments (lastly PP 5/2024; siasn-api.md §4): a PNS gets a KGB every 2 years of
//! masa kerja golongan (MKG), on the steps of the gaji table of the golongan, up to its highest MKG: I/a 0, 2, …,
//! 26 years; I/b–I/d 3, 5, …, 27; golongan II 0, 1, 3, …, 33; III and IV 0, 2, …, 32. So a KGB falls on the day the
//! MKG reaches a step of the same parity as the table's top (odd for golongan II and I/b–I/d, even otherwise), from
//! 1 or 2 years on. The MKG is the one SI-ASN records at the TMT of the current golongan ([`super::masa_kerja`]);
//! a KP by penyesuaian ijazah that cuts the MKG (II→III by 5 years) changes the parity with the table. A KGB takes
//! effect on the first day of a month: on that day when the step is reached on a 1st, else on the 1st of the next
//! month.
//!
//! Applies to PNS whose kedudukan hukum is aktif (or not recorded). Not to CPNS (80 % of gaji pokok until the SK
//! PNS; their first KGB follows it) nor to PPPK (gaji by Perpres 11/2024, not modelled here).
//!
//! This module does not compute the new gaji pokok (the per-MKG grid is not in the reference data), does not read
//! an SK KGB history (`rw-kgb` is not among the endpoints SI-ASN documents), and does not apply a penundaan KGB
//! (hukuman disiplin, siasn-api.md §3): the verifikator sees the hukdis in the profile.

use chrono::{Datelike, Months};

use crate::date::{self, Tanggal};
use crate::pegawai::{JenisAsn, Pegawai};
use crate::rules::masa_kerja::MasaKerja;

/// Years of MKG between two KGB.
pub const MASA_KGB_TAHUN: i32 = 2;

/// The KGB dates of a pegawai, independent of today: [`JadwalKgb::pertama`] and every [`MASA_KGB_TAHUN`] years
/// after it, up to [`JadwalKgb::akhir`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JadwalKgb {
    /// The first of the month on or after the day the MKG was zero (the TMT golongan minus the MKG recorded at it).
    /// The MKG a KGB reaches is the whole years from it.
    pub awal: Tanggal,
    /// The first KGB in the current golongan: the first step of its table after the TMT golongan.
    pub pertama: Tanggal,
    /// The last KGB: the MKG reaches the top of the golongan's gaji table on it.
    pub akhir: Tanggal,
}

impl JadwalKgb {
    /// The first KGB on or after the first day of `pada`'s month (so a KGB due this month is still listed), `None`
    /// after the last one ([`JadwalKgb::akhir`]).
    pub fn berikutnya(&self, pada: Tanggal) -> Option<Tanggal> {
        let bulan_ini = pada.with_day(1).unwrap_or(pada);
        let siklus = i64::from(MASA_KGB_TAHUN) * 12;
        // Whole cycles after `pertama`, rounded up (0 while `pertama` is still ahead).
        let sejak = if bulan_ini <= self.pertama {
            0
        } else {
            crate::rules::masa_kerja::whole_months_between(self.pertama, bulan_ini)
        };
        let ke = (sejak + siklus - 1) / siklus;
        let tmt = date::add_years(self.pertama, i32::try_from(ke).ok()?.checked_mul(MASA_KGB_TAHUN)?);
        (tmt <= self.akhir).then_some(tmt)
    }

    /// The MKG, in whole years, that a KGB on `tmt` reaches (`tmt` being one of the schedule's dates).
    pub fn mkg_tahun_pada(&self, tmt: Tanggal) -> i32 {
        date::whole_years_between(self.awal, tmt)
    }
}

/// The highest MKG, in years, of the gaji table of `golongan_id` (PP 5/2024 lampiran; siasn-api.md §4), `None` for
/// an unknown golongan.
pub fn mkg_maks_tahun(golongan_id: &str) -> Option<i32> {
    match golongan_id {
        "11" => Some(26),
        "12" | "13" | "14" => Some(27),
        "21" | "22" | "23" | "24" => Some(33),
        "31" | "32" | "33" | "34" | "41" | "42" | "43" | "44" | "45" => Some(32),
        _ => None,
    }
}

/// The KGB schedule of `pegawai`, or why it has none (a sentence in Bahasa Indonesia).
///
/// The MKG at the TMT golongan comes from data utama (`mkTahun`/`mkBulan` with `tmtGolAkhir`), else from the
/// rw-golongan row of the current golongan with that TMT (`masaKerjaGolonganTahun`/`Bulan`).
///
/// # Errors
/// The reason as text: not a PNS, kedudukan not aktif, golongan or TMT golongan or MKG missing or out of range, the
/// top of the golongan's table already reached.
pub fn jadwal(pegawai: &Pegawai) -> Result<JadwalKgb, String> {
    let utama = &pegawai.data_utama;
    match utama.jenis_asn {
        Some(JenisAsn::Pns) => {}
        Some(JenisAsn::Cpns) => return Err("CPNS: KGB setelah SK PNS".into()),
        Some(JenisAsn::Pppk) => return Err("PPPK: gaji berkala tidak mengikuti tabel MKG PNS".into()),
        None => return Err("jenis ASN kosong".into()),
    }
    if let Some(kedudukan) = utama.kedudukan_hukum_id.as_deref().filter(|id| *id != "01") {
        return Err(format!("kedudukan hukum {kedudukan} bukan Aktif"));
    }
    let golongan_id = utama.golongan_akhir_id.as_deref().ok_or("golongan akhir kosong")?;
    let maks = mkg_maks_tahun(golongan_id).ok_or_else(|| format!("golongan {golongan_id} tidak dikenal"))?;
    let tmt_golongan = utama.tmt_golongan.ok_or("TMT golongan kosong")?;
    let mkg = match (utama.mk_golongan_tahun, utama.mk_golongan_bulan) {
        (Some(tahun), bulan) => Some((tahun, bulan.unwrap_or(0))),
        (None, _) => pegawai
            .riwayat_golongan
            .iter()
            .filter(|row| row.golongan_id.as_deref() == Some(golongan_id) && row.tmt_golongan == Some(tmt_golongan))
            .find_map(|row| row.mk_golongan_tahun.map(|tahun| (tahun, row.mk_golongan_bulan.unwrap_or(0)))),
    };
    let (tahun, bulan) = mkg.ok_or("masa kerja golongan pada TMT golongan kosong")?;
    if !(0..=i64::from(maks)).contains(&tahun) || !(0..12).contains(&bulan) {
        return Err(format!("masa kerja golongan {tahun} tahun {bulan} bulan di luar rentang golongan ini"));
    }
    let months = MasaKerja { tahun, bulan }.months();
    let nol = tmt_golongan
        .checked_sub_months(Months::new(u32::try_from(months).map_err(|_| "masa kerja golongan tidak sah")?))
        .ok_or("masa kerja golongan melampaui kalender")?;
    let awal = if nol.day() == 1 { nol } else { date::first_of_next_month(nol) };
    // The steps share the parity of the table's top: 1, 3, … for an odd top; 2, 4, … for an even one. The first
    // KGB is the first step the MKG reaches after the TMT golongan (the step held at the TMT itself is the KP's),
    // counted in months of MKG so that a TMT not on the 1st does not shift it.
    let mut langkah = if maks % 2 == 1 { 1 } else { MASA_KGB_TAHUN };
    while langkah <= maks && i64::from(langkah) * 12 <= months {
        langkah += MASA_KGB_TAHUN;
    }
    if langkah > maks {
        return Err(format!("masa kerja golongan sudah mencapai batas tabel gaji golongan ini ({maks} tahun)"));
    }
    Ok(JadwalKgb { awal, pertama: date::add_years(awal, langkah), akhir: date::add_years(awal, maks) })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::pegawai::DataUtama;

    fn date(y: i32, m: u32, d: u32) -> Tanggal {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn pns(golongan: &str, tmt: Tanggal, tahun: i64, bulan: i64) -> Pegawai {
        Pegawai {
            data_utama: DataUtama {
                jenis_asn: Some(JenisAsn::Pns),
                kedudukan_hukum_id: Some("01".into()),
                golongan_akhir_id: Some(golongan.into()),
                tmt_golongan: Some(tmt),
                mk_golongan_tahun: Some(tahun),
                mk_golongan_bulan: Some(bulan),
                ..DataUtama::default()
            },
            ..Pegawai::default()
        }
    }

    #[test]
    fn kgb_falls_every_two_years_of_mkg() {
        // siasn-api.md §2.3 sample: III/d at TMT 01-04-2022 with MKG 12 y 1 m → MKG 0 on 01-03-2010.
        let jadwal = jadwal(&pns("34", date(2022, 4, 1), 12, 1)).unwrap();
        assert_eq!(jadwal.awal, date(2010, 3, 1));
        assert_eq!(jadwal.pertama, date(2024, 3, 1));
        assert_eq!(jadwal.akhir, date(2042, 3, 1));
        // MKG 16 y 8 m on 30-11-2026: the next even year (18) is reached on 01-03-2028.
        assert_eq!(jadwal.berikutnya(date(2026, 11, 30)), Some(date(2028, 3, 1)));
        assert_eq!(jadwal.mkg_tahun_pada(date(2028, 3, 1)), 18);
        // A KGB in the current month is still the next one, the month after it is not.
        assert_eq!(jadwal.berikutnya(date(2028, 3, 31)), Some(date(2028, 3, 1)));
        assert_eq!(jadwal.berikutnya(date(2028, 4, 1)), Some(date(2030, 3, 1)));
        // The last KGB is at MKG 32; none after.
        assert_eq!(jadwal.berikutnya(date(2042, 3, 1)), Some(date(2042, 3, 1)));
        assert_eq!(jadwal.berikutnya(date(2042, 4, 1)), None);
    }

    #[test]
    fn mkg_reached_mid_month_takes_effect_on_the_next_first() {
        // MKG 0 y 0 m at TMT 15-01-2020 (an odd TMT): MKG 2 reached 15-01-2022, KGB from 01-02-2022.
        let jadwal = jadwal(&pns("31", date(2020, 1, 15), 0, 0)).unwrap();
        assert_eq!(jadwal.awal, date(2020, 2, 1));
        // The appointment month itself is not a raise: the first KGB is after one cycle.
        assert_eq!(jadwal.berikutnya(date(2020, 1, 20)), Some(date(2022, 2, 1)));
    }

    #[test]
    fn a_tmt_not_on_the_first_does_not_make_the_kp_a_kgb() {
        // III/a at TMT 15-01-2020 with MKG 2 y 0 m: MKG 0 on 15-01-2018, so the schedule starts 01-02-2018, but the
        // step of MKG 2 is the KP's; the first KGB is at MKG 4.
        let jadwal = jadwal(&pns("31", date(2020, 1, 15), 2, 0)).unwrap();
        assert_eq!((jadwal.awal, jadwal.pertama), (date(2018, 2, 1), date(2022, 2, 1)));
        assert_eq!(jadwal.berikutnya(date(2020, 2, 10)), Some(date(2022, 2, 1)));
    }

    #[test]
    fn the_golongan_decides_the_steps() {
        // I/b: steps 3, 5, …, 27 (odd). MKG 3 at TMT 01-01-2000: the next KGB at MKG 5 (2002), the last at 27.
        let ib = jadwal(&pns("12", date(2000, 1, 1), 3, 0)).unwrap();
        assert_eq!((ib.awal, ib.pertama, ib.akhir), (date(1997, 1, 1), date(2002, 1, 1), date(2024, 1, 1)));
        assert_eq!(ib.berikutnya(date(2000, 1, 2)), Some(date(2002, 1, 1)));
        assert_eq!(ib.mkg_tahun_pada(date(2002, 1, 1)), 5);
        // II/c from D-III, MKG 3 y 0 m at TMT 01-03-2020 (siasn-api.md §4): KGB at MKG 5 on 01-03-2022, not at 4.
        let iic = jadwal(&pns("23", date(2020, 3, 1), 3, 0)).unwrap();
        assert_eq!(iic.berikutnya(date(2020, 3, 1)), Some(date(2022, 3, 1)));
        assert_eq!(iic.mkg_tahun_pada(date(2022, 3, 1)), 5);
        // The last one at MKG 33; none after.
        assert_eq!(iic.akhir, date(2050, 3, 1));
        assert_eq!(iic.berikutnya(date(2050, 4, 1)), None);
        // II/a starts at MKG 0: the first KGB after one year.
        let iia = jadwal(&pns("21", date(2024, 3, 1), 0, 0)).unwrap();
        assert_eq!(iia.berikutnya(date(2024, 3, 1)), Some(date(2025, 3, 1)));
        // III/a starts at MKG 0: the first KGB after two years.
        let iiia = jadwal(&pns("31", date(2024, 3, 1), 0, 0)).unwrap();
        assert_eq!(iiia.berikutnya(date(2024, 3, 1)), Some(date(2026, 3, 1)));
    }

    #[test]
    fn mkg_from_the_riwayat_golongan_row_of_the_current_golongan() {
        let mut pegawai = pns("33", date(2018, 10, 1), 0, 0);
        pegawai.data_utama.mk_golongan_tahun = None;
        pegawai.data_utama.mk_golongan_bulan = None;
        assert_eq!(jadwal(&pegawai).unwrap_err(), "masa kerja golongan pada TMT golongan kosong");
        let row = |golongan: &str, tmt, tahun| crate::pegawai::RiwayatGolongan {
            golongan_id: Some(golongan.into()),
            tmt_golongan: Some(tmt),
            mk_golongan_tahun: Some(tahun),
            mk_golongan_bulan: Some(6),
            ..Default::default()
        };
        pegawai.riwayat_golongan = vec![row("32", date(2014, 10, 1), 4), row("33", date(2018, 10, 1), 8)];
        assert_eq!(jadwal(&pegawai).unwrap().awal, date(2010, 4, 1));
    }

    #[test]
    fn who_gets_no_kgb_and_why() {
        let mut cpns = pns("31", date(2025, 3, 1), 0, 0);
        cpns.data_utama.jenis_asn = Some(JenisAsn::Cpns);
        assert_eq!(jadwal(&cpns).unwrap_err(), "CPNS: KGB setelah SK PNS");
        let mut pensiun = pns("31", date(2000, 3, 1), 0, 0);
        pensiun.data_utama.kedudukan_hukum_id = Some("99".into());
        assert_eq!(jadwal(&pensiun).unwrap_err(), "kedudukan hukum 99 bukan Aktif");
        assert_eq!(
            jadwal(&pns("31", date(2000, 3, 1), 40, 0)).unwrap_err(),
            "masa kerja golongan 40 tahun 0 bulan di luar rentang golongan ini"
        );
        assert_eq!(jadwal(&pns("51", date(2000, 3, 1), 1, 0)).unwrap_err(), "golongan 51 tidak dikenal");
    }
}
