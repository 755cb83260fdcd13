use chrono::NaiveDate;

use super::*;
use crate::pegawai::{DataUtama, RiwayatSkp22};

fn date(y: i32, m: u32, d: u32) -> Tanggal {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn pns(golongan: &str, tmt: Tanggal, tingkat: &str) -> Pegawai {
    Pegawai {
        data_utama: DataUtama {
            jenis_asn: Some(JenisAsn::Pns),
            kedudukan_hukum_id: Some("01".into()),
            golongan_akhir_id: Some(golongan.into()),
            tmt_golongan: Some(tmt),
            tingkat_pendidikan_id: Some(tingkat.into()),
            ..DataUtama::default()
        },
        ..Pegawai::default()
    }
}

fn skp(tahun: i64, kuadran: &str) -> RiwayatSkp22 {
    RiwayatSkp22 { tahun: Some(tahun), kuadran_kinerja_nilai: Some(kuadran.into()), ..RiwayatSkp22::default() }
}

#[test]
fn overdue_kp_falls_on_the_next_monthly_period_after_today() {
    // Fixture JAJANG YAYAN SUPRIATNA: III/a since 01-10-2022, SLTA (max III/b). 4 years reached 01-10-2026;
    // on 30-11-2026 the next period under Peraturan BKN 4/2025 is 01-12-2026.
    let result = kp_reguler(&pns("31", date(2022, 10, 1), "15"), date(2026, 11, 30));
    assert_eq!(result.tmt(), Some(date(2026, 12, 1)));
    let KpReguler::Berikutnya { golongan_baru_id, syarat, .. } = &result else { panic!("{result:?}") };
    assert_eq!(golongan_baru_id, "32");
    assert_eq!(syarat[0].pemenuhan, Pemenuhan::Terpenuhi);
    // The CSV carries no SKP: the condition is unknown, so not fully eligible.
    assert_eq!(syarat[2].pemenuhan, Pemenuhan::TidakDiketahui);
    assert!(!result.memenuhi_syarat());
}

#[test]
fn the_period_calendar_in_force_on_the_date_decides() {
    // Under PP 12/2002 (April/October): 4 years reached 02-05-2019 → 01-10-2019.
    assert_eq!(kp_reguler(&pns("32", date(2015, 5, 2), "40"), date(2016, 1, 1)).tmt(), Some(date(2019, 10, 1)));
    // Under Peraturan BKN 4/2023 (even months from February): reached 02-03-2024 → 01-04-2024.
    assert_eq!(kp_reguler(&pns("32", date(2020, 3, 2), "40"), date(2020, 1, 1)).tmt(), Some(date(2024, 4, 1)));
    // Monthly from October 2025: reached 01-11-2027, itself a period date.
    assert_eq!(kp_reguler(&pns("32", date(2023, 11, 1), "40"), date(2026, 11, 30)).tmt(), Some(date(2027, 11, 1)));
}

#[test]
fn a_29_february_tmt_reaches_four_years_on_the_29th() {
    // TMT 29-02-2024 + 4 years = 29-02-2028 (leap year) → next monthly period 01-03-2028.
    assert_eq!(kp_reguler(&pns("32", date(2024, 2, 29), "40"), date(2026, 11, 30)).tmt(), Some(date(2028, 3, 1)));
}

#[test]
fn the_ijazah_caps_kp_reguler() {
    // Fixture RUSLAN LATIF: III/c with D-III, whose maximum is III/c.
    let result = kp_reguler(&pns("33", date(2026, 4, 1), "30"), date(2026, 11, 30));
    assert!(matches!(&result, KpReguler::TidakBerlaku(reason) if reason.contains("batas tertinggi")), "{result:?}");
    // S-1 at III/d is at its cap; S-2 at III/d is not.
    assert_eq!(kp_reguler(&pns("34", date(2020, 4, 1), "40"), date(2026, 11, 30)).tmt(), None);
    assert_eq!(kp_reguler(&pns("34", date(2020, 4, 1), "45"), date(2026, 11, 30)).tmt(), Some(date(2026, 12, 1)));
}

#[test]
fn dokter_at_s1_reach_iv_a() {
    let mut dokter = pns("34", date(2020, 4, 1), "40");
    dokter.data_utama.pendidikan_nama = Some("PENDIDIKAN DOKTER".into());
    assert_eq!(kp_reguler(&dokter, date(2026, 11, 30)).tmt(), Some(date(2026, 12, 1)));
    dokter.data_utama.golongan_akhir_id = Some("41".into());
    assert_eq!(kp_reguler(&dokter, date(2026, 11, 30)).tmt(), None);
}

#[test]
fn skp_of_the_two_years_before_the_kp_decides_predikat() {
    let mut pegawai = pns("32", date(2022, 12, 1), "40");
    pegawai.riwayat_skp22 = vec![skp(2024, "2"), skp(2025, "1")];
    let result = kp_reguler(&pegawai, date(2026, 11, 30));
    assert_eq!(result.tmt(), Some(date(2026, 12, 1)));
    assert!(result.memenuhi_syarat(), "{result:?}");
    pegawai.riwayat_skp22 = vec![skp(2024, "3"), skp(2025, "2")];
    let KpReguler::Berikutnya { syarat, .. } = kp_reguler(&pegawai, date(2026, 11, 30)) else { panic!() };
    assert_eq!(syarat[2].pemenuhan, Pemenuhan::TidakTerpenuhi);
}

#[test]
fn pppk_cpns_and_non_aktif_have_no_kp_reguler() {
    let mut pegawai = pns("32", date(2020, 4, 1), "40");
    pegawai.data_utama.jenis_asn = Some(JenisAsn::Pppk);
    assert!(matches!(kp_reguler(&pegawai, date(2026, 11, 30)), KpReguler::TidakBerlaku(_)));
    pegawai.data_utama.jenis_asn = Some(JenisAsn::Cpns);
    assert!(matches!(kp_reguler(&pegawai, date(2026, 11, 30)), KpReguler::TidakBerlaku(_)));
    pegawai.data_utama.jenis_asn = Some(JenisAsn::Pns);
    pegawai.data_utama.kedudukan_hukum_id = Some("02".into());
    assert!(matches!(kp_reguler(&pegawai, date(2026, 11, 30)), KpReguler::TidakBerlaku(_)));
    // IV/e is the top.
    assert!(matches!(kp_reguler(&pns("45", date(2010, 4, 1), "50"), date(2026, 11, 30)), KpReguler::TidakBerlaku(_)));
}
