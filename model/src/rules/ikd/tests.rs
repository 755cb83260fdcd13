use chrono::NaiveDate;

use super::*;
use crate::id::{Nik, Nip};
use crate::pegawai::DataUtama;

fn date(y: i32, m: u32, d: u32) -> Tanggal {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A clean PNS (fixture JAJANG YAYAN SUPRIATNA without his CON_3 anomaly).
fn clean() -> Pegawai {
    Pegawai {
        data_utama: DataUtama {
            nip: Nip::from("197603012006011005"),
            nama: "JAJANG YAYAN SUPRIATNA".into(),
            tgl_lahir: Some(date(1976, 3, 1)),
            jenis_kelamin: Some(JenisKelamin::LakiLaki),
            nik: Some(Nik::from("6412030103760263")),
            valid_nik: Some(true),
            email: Some("jajang_supriatna01@gmail.com".into()),
            no_hp: Some("628819985333".into()),
            jenis_asn: Some(JenisAsn::Pns),
            kedudukan_hukum_id: Some("01".into()),
            tmt_cpns: Some(date(2006, 1, 1)),
            tmt_pns: Some(date(2007, 1, 1)),
            golongan_akhir_id: Some("31".into()),
            jenis_jabatan_id: Some("4".into()),
            tingkat_pendidikan_id: Some("15".into()),
            pendidikan_id: Some("16DABD101761EC4C51F64BE0B76877E4".into()),
            ..DataUtama::default()
        },
        ..Pegawai::default()
    }
}

fn codes(pegawai: &Pegawai, konteks: &Konteks<'_>) -> Vec<&'static str> {
    evaluate(pegawai, konteks).into_iter().map(|temuan| temuan.kode).collect()
}

const TODAY: Konteks<'static> = Konteks {
    hari_ini: match NaiveDate::from_ymd_opt(2026, 11, 30) {
        Some(d) => d,
        None => panic!(),
    },
    tmt_pensiun: None,
    eselon_id: None,
};

#[test]
fn a_clean_record_has_no_anomaly() {
    assert_eq!(codes(&clean(), &TODAY), Vec::<&str>::new());
}

#[test]
fn nip_parts_are_compared_with_the_record() {
    let mut pegawai = clean();
    pegawai.data_utama.nip = Nip::from("197603012006012005");
    assert_eq!(codes(&pegawai, &TODAY), vec!["CON_3"]);
    pegawai.data_utama.nip = Nip::from("197603022006021005");
    assert_eq!(codes(&pegawai, &TODAY), vec!["CON_1", "CON_2"]);
}

#[test]
fn tim_5_fires_on_the_tmt_pensiun_itself() {
    let konteks = Konteks { tmt_pensiun: Some(date(2026, 11, 1)), ..TODAY };
    assert_eq!(codes(&clean(), &konteks), vec!["TIM_5"]);
    let konteks = Konteks { tmt_pensiun: Some(date(2026, 12, 1)), ..TODAY };
    assert_eq!(codes(&clean(), &konteks), Vec::<&str>::new());
}

#[test]
fn acc_10_compares_golongan_with_the_eselon_minimum() {
    let mut pegawai = clean();
    pegawai.data_utama.jenis_jabatan_id = Some("1".into());
    pegawai.data_utama.gelar_belakang = Some("S.Pi.".into());
    // Kepala bidang (III.b, min III/d) at III/c.
    pegawai.data_utama.golongan_akhir_id = Some("33".into());
    assert_eq!(codes(&pegawai, &Konteks { eselon_id: Some("32"), ..TODAY }), vec!["ACC_10"]);
    pegawai.data_utama.golongan_akhir_id = Some("34".into());
    assert_eq!(codes(&pegawai, &Konteks { eselon_id: Some("32"), ..TODAY }), Vec::<&str>::new());
}

#[test]
fn email_check_follows_the_bkn_pattern() {
    assert!(email_valid("desi.purwaningsih@yahoo.co.id"));
    assert!(!email_valid("jumriani72@@yahoo.co.id"));
    assert!(!email_valid("sutrisno_prasetyo18@outlook.c"));
    assert!(!email_valid("tanpa-at.example.com"));
    assert!(!email_valid("a b@example.com"));
}
