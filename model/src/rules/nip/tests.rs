use super::*;

#[test]
fn a_pns_nip_splits_into_birth_date_tmt_cpns_gender_and_sequence() {
    let parts = parse(&Nip::from("198501012010011001")).unwrap();
    assert_eq!(parts.form, NipForm::Pns);
    assert_eq!(parts.tgl_lahir, NaiveDate::from_ymd_opt(1985, 1, 1).unwrap());
    assert_eq!((parts.tahun_pengangkatan, parts.bulan_tmt_cpns), (2010, Some(1)));
    assert_eq!(parts.jenis_kelamin, Some(JenisKelamin::LakiLaki));
    assert_eq!(parts.urut, 1);
}

#[test]
fn a_pppk_ni_has_a_year_and_no_month() {
    // From the fixture: NI NYOMAN WIDIASTUTI, PPPK 2024, female.
    let parts = parse(&Nip::from("199507192024212003")).unwrap();
    assert_eq!(parts.form, NipForm::Pppk);
    assert_eq!(parts.tahun_pengangkatan, 2024);
    assert_eq!(parts.bulan_tmt_cpns, None);
    assert_eq!(parts.jenis_kelamin, Some(JenisKelamin::Perempuan));
    // PPPK paruh waktu uses 24 in digits 13-14.
    assert_eq!(form(&Nip::from("199001012025242001")), NipForm::Pppk);
}

#[test]
fn leap_day_birth_dates_are_valid_only_in_leap_years() {
    assert_eq!(form(&Nip::from("199602292020121001")), NipForm::Pns);
    assert_eq!(parse(&Nip::from("199702292020121001")), Err(NipError::InvalidBirthDate));
}

#[test]
fn malformed_nips_are_rejected_with_a_reason() {
    assert_eq!(parse(&Nip::from("")), Err(NipError::Empty));
    assert_eq!(parse(&Nip::from("19850101201001100")), Err(NipError::NotEighteenDigits));
    assert_eq!(parse(&Nip::from("19850101201001100A")), Err(NipError::NotEighteenDigits));
    assert_eq!(parse(&Nip::from("198513012010011001")), Err(NipError::InvalidBirthDate));
    assert_eq!(form(&Nip::from("1.98501E+17")), NipForm::Invalid);
}

#[test]
fn a_gender_digit_other_than_1_or_2_is_unknown() {
    assert_eq!(parse(&Nip::from("198501012010013001")).unwrap().jenis_kelamin, None);
}
