use chrono::NaiveDate;

use super::*;

fn date(y: i32, m: u32, d: u32) -> Tanggal {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn pegawai() -> Pegawai {
    Pegawai {
        data_utama: DataUtama {
            nip: Nip::clean("196704012000031001"),
            nama: "ANI".into(),
            tgl_lahir: Some(date(1967, 4, 1)),
            jenis_asn: Some(JenisAsn::Pns),
            jenis_jabatan_id: Some("4".into()),
            ..DataUtama::default()
        },
        ..Pegawai::default()
    }
}

#[test]
fn the_owned_report_equals_the_borrowed_one() {
    let borrowed = laporan(&pegawai(), Vec::new(), "baris 2".into(), date(2026, 11, 30), &|_| None);
    let owned = laporan_owned(pegawai(), Vec::new(), "baris 2".into(), date(2026, 11, 30), &|_| None);
    assert_eq!(borrowed, owned);
    assert!(owned.data_utama_ada);
    assert_eq!(owned.data_utama.nama, "ANI");
}

#[test]
fn a_pegawai_without_data_utama_has_no_facts_and_is_counted_apart() {
    let nip = Nip::clean("196704012000031001");
    let warning = Warning {
        record: "nip 196704012000031001".into(),
        field: "data-utama".into(),
        raw: String::new(),
        kind: WarningKind::MissingValue,
        message: "berkas kosong".into(),
    };
    let missing = laporan_tanpa_data_utama(&nip, vec![warning], "ws/data-utama/196704012000031001.json".into());
    assert!(!missing.data_utama_ada);
    assert!(missing.ikd.is_empty() && missing.bup.is_none() && missing.tmt_pensiun.is_none());
    assert_eq!(missing.kp_status, "tidak_diketahui");
    let json = serde_json::to_value(&missing).unwrap();
    for key in ["nip", "ikd", "bup", "tmt_pensiun", "kp_berikutnya", "warnings", "data_utama", "data_utama_ada"] {
        assert!(json.get(key).is_some(), "{key}");
    }

    let found = laporan_owned(pegawai(), Vec::new(), "ws".into(), date(2026, 11, 30), &|_| None);
    let totals = ringkasan(&[found.clone(), missing.clone()], &[], date(2026, 11, 30));
    assert_eq!((totals.pegawai, totals.pegawai_tanpa_data_utama), (1, 1));
    assert_eq!(totals.per_jenis_asn.values().sum::<usize>(), 1);
    assert_eq!(totals.pegawai_dengan_peringatan, 1);
    assert_eq!(totals.peringatan_per_jenis.get(&WarningKind::MissingValue), Some(&1));
    // Born 01-04-1967, BUP 58: TMT pensiun 01-05-2025, already past on the reference date.
    assert_eq!(totals.tmt_pensiun_dalam_12_bulan, 1);

    // Incremental totals equal the batch ones.
    let mut incremental = Ringkasan::new(date(2026, 11, 30));
    incremental.add(&found);
    incremental.add(&missing);
    incremental.add_file_warnings(&[]);
    assert_eq!(incremental, totals);
}
