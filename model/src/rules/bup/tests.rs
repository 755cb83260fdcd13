use chrono::NaiveDate;

use super::*;

fn date(y: i32, m: u32, d: u32) -> Tanggal {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn jabatan(jenis: &str, nama: &str, jenjang: Option<&str>) -> DataUtama {
    DataUtama {
        jenis_jabatan_id: Some(jenis.into()),
        jabatan_nama: Some(nama.into()),
        jenjang_jabatan: jenjang.map(Into::into),
        ..DataUtama::default()
    }
}

#[test]
fn tmt_pensiun_is_the_first_of_the_month_after_the_bup_birthday() {
    // siasn-api.md §4 sample: born 30-03-1967, BUP 58 → 01-04-2025.
    assert_eq!(tmt_pensiun(date(1967, 3, 30), 58), date(2025, 4, 1));
    // Born on the 1st: still the next month (fixture JAJANG YAYAN SUPRIATNA, 01-03-1976 → 2034-04-01).
    assert_eq!(tmt_pensiun(date(1976, 3, 1), 58), date(2034, 4, 1));
    // Born 29 February, BUP year not a leap year, and in December.
    assert_eq!(tmt_pensiun(date(1968, 2, 29), 58), date(2026, 3, 1));
    assert_eq!(tmt_pensiun(date(1964, 2, 29), 60), date(2024, 3, 1));
    assert_eq!(tmt_pensiun(date(1966, 12, 31), 60), date(2027, 1, 1));
}

#[test]
fn bup_follows_the_jabatan() {
    // Fixture values (expected.json): guru 60, JF ahli madya 60, JF ahli utama 65, dokter ahli muda 58.
    assert_eq!(bup(&jabatan("2", "Guru Ahli Pertama", None), None).usia, 60);
    assert_eq!(bup(&jabatan("2", "Perawat Ahli Madya", None), None).usia, 60);
    assert_eq!(bup(&jabatan("2", "Dokter Ahli Utama", Some("UT")), None).usia, 65);
    assert_eq!(bup(&jabatan("2", "Dokter Ahli Muda", None), None).usia, 58);
    assert_eq!(bup(&jabatan("2", "Perawat Terampil", None), None).usia, 58);
    assert_eq!(bup(&jabatan("4", "Pengolah Data", None), None).usia, 58);
    // Struktural: eselon II 60, eselon III 58.
    assert_eq!(bup(&jabatan("1", "SEKRETARIS DAERAH", None), Some("21")).usia, 60);
    assert_eq!(bup(&jabatan("1", "KEPALA DINAS KEPEMUDAAN", None), Some("22")).usia, 60);
    assert_eq!(bup(&jabatan("1", "CAMAT LONG SEJAHTERA", None), Some("31")).usia, 58);
    // A jabatan-specific law wins over the jenjang.
    assert_eq!(bup(&jabatan("2", "Jaksa Ahli Muda", None), None).usia, 62);
    // Nothing known: 58.
    assert_eq!(bup(&DataUtama::default(), None), Bup { usia: 58, dasar: DasarBup::Umum });
}

#[test]
fn eselon_is_guessed_from_kabupaten_jabatan_names() {
    assert_eq!(eselon_dari_nama_jabatan("SEKRETARIS DAERAH"), Some("21"));
    assert_eq!(eselon_dari_nama_jabatan("KEPALA DINAS KEPEMUDAAN, OLAHRAGA DAN PARIWISATA"), Some("22"));
    assert_eq!(eselon_dari_nama_jabatan("CAMAT LONG SEJAHTERA"), Some("31"));
    assert_eq!(eselon_dari_nama_jabatan("KEPALA BIDANG PERIKANAN BUDIDAYA"), Some("32"));
    assert_eq!(eselon_dari_nama_jabatan("Inspektur Pembantu Wilayah IV"), Some("31"));
    assert_eq!(eselon_dari_nama_jabatan("Guru Ahli Muda"), None);
}

#[test]
fn specific_kabupaten_jabatan_come_before_the_generic_sekretaris() {
    // Sekretaris DPRD and staf ahli bupati are JPT pratama (II.b), not a sekretaris dinas (III.a).
    assert_eq!(eselon_dari_nama_jabatan("SEKRETARIS DPRD"), Some("22"));
    assert_eq!(eselon_dari_nama_jabatan("Sekretaris DPRD Kabupaten Contoh Selatan"), Some("22"));
    assert_eq!(eselon_dari_nama_jabatan("STAF AHLI BUPATI BIDANG PEMERINTAHAN"), Some("22"));
    // A wakil direktur RSUD is administrator (III.a), not the direktur's II.b.
    assert_eq!(eselon_dari_nama_jabatan("WAKIL DIREKTUR PELAYANAN"), Some("31"));
    assert_eq!(eselon_dari_nama_jabatan("DIREKTUR RSUD"), Some("22"));
    assert_eq!(eselon_dari_nama_jabatan("SEKRETARIS DINAS PENDIDIKAN"), Some("31"));
    assert_eq!(eselon_dari_nama_jabatan("SEKRETARIS DEWAN"), Some("22"));
}
