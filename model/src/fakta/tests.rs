use chrono::NaiveDate;

use super::*;
use crate::pegawai::{DataUtama, JenisAsn, RiwayatGolongan};
use crate::{Nip, WarningKind};

fn date(y: i32, m: u32, d: u32) -> Tanggal {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn pegawai(nip: &str) -> Pegawai {
    Pegawai {
        data_utama: DataUtama {
            nip: Nip::clean(nip),
            nama: "ANI".into(),
            tgl_lahir: Some(date(1976, 3, 1)),
            jenis_asn: Some(JenisAsn::Pns),
            jenis_jabatan_id: Some("4".into()),
            jabatan_nama: Some("Pengolah Data".into()),
            golongan_akhir_id: Some("31".into()),
            tmt_golongan: Some(date(2022, 10, 1)),
            ..DataUtama::default()
        },
        ..Pegawai::default()
    }
}

fn warnings_of(pegawai: &Pegawai, hari_ini: Tanggal) -> Vec<Warning> {
    derive(pegawai, "nip x", hari_ini, &|_| None).warnings
}

fn kinds(warnings: &[Warning]) -> Vec<(&str, WarningKind)> {
    warnings.iter().map(|w| (w.field.as_str(), w.kind)).collect()
}

#[test]
fn a_sequence_of_000_is_what_a_spreadsheet_leaves_of_a_nip() {
    let warnings = warnings_of(&pegawai("197603012006012000"), date(2026, 11, 30));
    assert_eq!(kinds(&warnings), vec![("nip", WarningKind::InvalidNip)]);
    assert!(warnings[0].message.contains("3 digit terakhir kemungkinan hilang karena spreadsheet"));
    assert!(warnings[0].message.contains("format kolom NIP sebagai teks lalu ekspor ulang"));
    assert!(warnings_of(&pegawai("197603012006012001"), date(2026, 11, 30)).is_empty());
}

#[test]
fn impossible_dates_are_kept_and_reported() {
    let mut p = pegawai("197603012006012001");
    p.data_utama.tgl_lahir = Some(date(2030, 1, 1));
    p.data_utama.tmt_jabatan = Some(date(2202, 1, 1));
    let warnings = warnings_of(&p, date(2026, 11, 30));
    let invalid: Vec<_> = warnings.iter().filter(|w| w.kind == WarningKind::InvalidDate).collect();
    assert_eq!(invalid.len(), 2, "{warnings:#?}");
    assert_eq!((invalid[0].field.as_str(), invalid[0].raw.as_str()), ("tgl_lahir", "01-01-2030"));
    assert_eq!((invalid[1].field.as_str(), invalid[1].raw.as_str()), ("tmt_jabatan", "01-01-2202"));
    assert!(invalid.iter().all(|w| w.message.starts_with("tanggal tidak masuk akal")));
    // The values stay: the facts are still computed from them.
    assert_eq!(p.data_utama.tmt_jabatan, Some(date(2202, 1, 1)));
    // A birth on the reference date itself and a TMT in 2100 are possible.
    p.data_utama.tgl_lahir = Some(date(2026, 11, 30));
    p.data_utama.tmt_jabatan = Some(date(2100, 12, 31));
    assert!(warnings_of(&p, date(2026, 11, 30)).iter().all(|w| w.kind != WarningKind::InvalidDate));
}

#[test]
fn data_utama_disagreeing_with_the_last_riwayat_golongan_is_reported() {
    let mut p = pegawai("197603012006012001");
    let row = |id: &str, tmt: Tanggal| RiwayatGolongan {
        golongan_id: Some(id.into()),
        tmt_golongan: Some(tmt),
        ..RiwayatGolongan::default()
    };
    // Sent out of order: the last row is the latest TMT, not the last in the list.
    p.riwayat_golongan = vec![row("24", date(2018, 10, 1)), row("31", date(2022, 10, 1)), row("23", date(2014, 10, 1))];
    assert!(warnings_of(&p, date(2026, 11, 30)).is_empty());
    p.riwayat_golongan.push(row("32", date(2026, 10, 1)));
    let warnings = warnings_of(&p, date(2026, 11, 30));
    assert_eq!(
        kinds(&warnings),
        vec![("golongan_akhir_id", WarningKind::Inconsistent), ("tmt_golongan", WarningKind::Inconsistent)]
    );
    assert!(warnings[0].message.contains("31") && warnings[0].message.contains("32"), "{}", warnings[0].message);
}

#[test]
fn our_bup_and_tmt_pensiun_are_compared_with_siasn() {
    let mut p = pegawai("197603012006012001");
    p.data_utama.bup_siasn = Some(58);
    p.data_utama.tmt_pensiun_siasn = Some(date(2034, 4, 1));
    assert!(warnings_of(&p, date(2026, 11, 30)).is_empty());
    p.data_utama.bup_siasn = Some(60);
    p.data_utama.tmt_pensiun_siasn = Some(date(2036, 4, 1));
    let warnings = warnings_of(&p, date(2026, 11, 30));
    assert_eq!(kinds(&warnings), vec![("bup", WarningKind::Inconsistent), ("tmt_pensiun", WarningKind::Inconsistent)]);
    assert!(warnings[0].message.contains("BUP SI-ASN 60 tahun, hitungan luring 58 tahun"), "{}", warnings[0].message);
    assert!(warnings[1].message.contains("01-04-2036") && warnings[1].message.contains("01-04-2034"));
}
