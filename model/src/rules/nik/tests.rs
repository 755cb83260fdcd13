use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_female_nik_writes_the_day_plus_forty() {
    // RATNA RAHMAWATI (fixture), born 24-07-1964, perempuan: day 24 + 40 = 64.
    let nik = Nik::from("6412036407640307");
    let parts = parse(&nik).unwrap();
    assert_eq!((parts.hari, parts.bulan, parts.tahun_dua_digit), (24, 7, 64));
    assert_eq!(parts.jenis_kelamin, JenisKelamin::Perempuan);
    assert_eq!(parts.kode_wilayah, 641203);
    assert!(check(&nik, Some(date(1964, 7, 24)), Some(JenisKelamin::Perempuan)).is_empty());
}

#[test]
fn a_male_nik_on_the_first_of_the_month_agrees() {
    // JAJANG YAYAN SUPRIATNA (fixture), born 01-03-1976.
    let nik = Nik::from("6412030103760263");
    assert!(check(&nik, Some(date(1976, 3, 1)), Some(JenisKelamin::LakiLaki)).is_empty());
}

#[test]
fn disagreements_are_findings_not_errors() {
    let nik = Nik::from("6412036407640307");
    assert_eq!(
        check(&nik, Some(date(1964, 7, 25)), Some(JenisKelamin::Perempuan)),
        vec![NikFinding::BirthDateMismatch]
    );
    assert_eq!(check(&nik, Some(date(1964, 7, 24)), Some(JenisKelamin::LakiLaki)), vec![NikFinding::GenderMismatch]);
}

#[test]
fn a_leap_day_birth_is_read_from_the_nik() {
    let nik = Nik::from("3201016902960001");
    assert_eq!(check(&nik, Some(date(1996, 2, 29)), Some(JenisKelamin::Perempuan)), vec![]);
}

#[test]
fn malformed_niks_are_reported() {
    assert_eq!(check(&Nik::from("641203640764030"), None, None), vec![NikFinding::NotSixteenDigits]);
    assert_eq!(check(&Nik::from("6.41204E+15"), None, None), vec![NikFinding::NotSixteenDigits]);
    assert_eq!(check(&Nik::from("6412037907640307"), None, None), vec![NikFinding::InvalidDatePart]);
    assert_eq!(check(&Nik::from("6412030013640307"), None, None), vec![NikFinding::InvalidDatePart]);
}
