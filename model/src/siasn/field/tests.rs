use super::*;

fn object(json: &str) -> serde_json::Map<String, Value> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn keys_match_across_case_and_separators() {
    let data = object(r#"{"NIP_BARU": "'198501012010011001", "KuadranKinerjaNilai": 2, "StatusHidup": "1"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "nip x", "", &mut warnings);
    assert_eq!(reader.code(&["nipBaru"]).as_deref(), Some("198501012010011001"));
    assert_eq!(reader.int(&["kuadranKinerjaNilai"]), Some(2));
    assert_eq!(reader.text(&["statusHidup"]).as_deref(), Some("1"));
    assert!(warnings.is_empty());
}

#[test]
fn null_likes_are_empty_without_warnings() {
    let data = object(r#"{"a": "", "b": null, "c": "undefined", "d": "  ", "e": "NULL", "f": "-"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "nip x", "", &mut warnings);
    for key in ["a", "b", "c", "d", "e", "f", "missing"] {
        assert_eq!(reader.text(&[key]), None, "{key}");
        assert_eq!(reader.date(&[key]), None, "{key}");
        assert_eq!(reader.int(&[key]), None, "{key}");
    }
    assert!(warnings.is_empty());
}

#[test]
fn bad_values_warn_with_record_field_and_raw_and_keep_the_raw() {
    let data = object(r#"{"tglLahir": "31-02-1980", "mkTahun": "dua", "nik": "6.41203E+15", "validNik": "mungkin"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "nip 198002312005011001", "", &mut warnings);
    assert_eq!(reader.date(&["tglLahir"]), None);
    assert_eq!(reader.int(&["mkTahun"]), None);
    assert_eq!(reader.code(&["nik"]).as_deref(), Some("6.41203E+15"));
    assert_eq!(reader.flag(&["validNik"]), None);
    let raw = reader.into_raw();
    assert_eq!(raw.get("tglLahir").map(String::as_str), Some("31-02-1980"));
    let kinds: Vec<_> =
        warnings.iter().map(|warning| (warning.field.as_str(), warning.kind, warning.raw.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            ("tglLahir", WarningKind::InvalidDate, "31-02-1980"),
            ("mkTahun", WarningKind::InvalidNumber, "dua"),
            ("nik", WarningKind::ScientificNotation, "6.41203E+15"),
            ("validNik", WarningKind::InvalidBool, "mungkin"),
        ]
    );
    assert!(warnings.iter().all(|warning| warning.record == "nip 198002312005011001"));
}

#[test]
fn numbers_arrive_as_strings_or_numbers() {
    let data = object(r#"{"a": "12", "b": 12, "c": "12.0", "d": "37,5", "e": 2.5, "f": true, "g": "1"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "r", "", &mut warnings);
    assert_eq!(reader.int(&["a"]), Some(12));
    assert_eq!(reader.int(&["b"]), Some(12));
    assert_eq!(reader.int(&["c"]), Some(12));
    assert_eq!(reader.decimal(&["d"]), Some(37.5));
    assert_eq!(reader.decimal(&["e"]), Some(2.5));
    assert_eq!(reader.flag(&["f"]), Some(true));
    assert_eq!(reader.flag(&["g"]), Some(true));
    assert!(warnings.is_empty());
}

#[test]
fn sentinels_warn_only_where_a_real_date_is_expected() {
    let data = object(r#"{"tglLahir": "01-01-0001", "tglMeninggal": "01-01-0001"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "r", "", &mut warnings);
    assert_eq!(reader.date(&["tglLahir"]), None);
    assert_eq!(reader.date_or_none(&["tglMeninggal"]), None);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, WarningKind::SentinelDate);
}

#[test]
fn the_folded_key_lookup_agrees_with_fold_key_without_truncating() {
    let long = format!("{}_Tail", "Ab".repeat(40));
    for key in ["nip_baru", "NIP BARU", "nipBaru", "kode-jenjang_jabatan", "", "_-_", "Ä nama", long.as_str()] {
        with_folded_key(key, |folded| assert_eq!(folded, fold_key(key), "{key}"));
    }
    // Exactly 64 folded characters still fit the buffer; 65 take the allocating path and stay whole.
    let sixty_four = "a".repeat(64);
    with_folded_key(&sixty_four, |folded| assert_eq!(folded.len(), 64));
    let sixty_five = format!("{}B", "a".repeat(64));
    with_folded_key(&sixty_five, |folded| assert_eq!(folded, format!("{}b", "a".repeat(64))));
    // Lookups through both record types use it.
    let data = object(r#"{"NIP_BARU": "198501012010011001"}"#);
    let record = JsonRecord::new(&data);
    assert!(record.value(&["nip-baru"]).is_some());
    assert!(record.lookup(&["Nip Baru"]).is_some());
}

#[test]
fn a_leading_apostrophe_is_dropped_from_text_too() {
    let data = object(
        r#"{"noHp": "'081234567890", "nomorSkCpns": " ' 813.3/0385/BKD/1988", "tahunLulus": "'2004", "x": "'"}"#,
    );
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "r", "", &mut warnings);
    assert_eq!(reader.text(&["noHp"]).as_deref(), Some("081234567890"));
    assert_eq!(reader.text(&["nomorSkCpns"]).as_deref(), Some("813.3/0385/BKD/1988"));
    assert_eq!(reader.text(&["tahunLulus"]).as_deref(), Some("2004"));
    assert_eq!(reader.text(&["x"]), None);
    // Spreadsheet markup is not data: nothing is kept raw or reported.
    assert!(reader.into_raw().is_empty());
    assert!(warnings.is_empty());
}

#[test]
fn long_numbers_in_scientific_notation_are_reported() {
    let data = object(r#"{"noHp": "6.28123E+11", "npwp": "'5.47851E+14"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "r", "", &mut warnings);
    assert_eq!(reader.code(&["noHp"]).as_deref(), Some("6.28123E+11"));
    assert_eq!(reader.code(&["npwp"]).as_deref(), Some("5.47851E+14"));
    assert_eq!(warnings.iter().filter(|w| w.kind == WarningKind::ScientificNotation).count(), 2);
}

#[test]
fn control_characters_become_spaces_and_are_reported() {
    let data = object(r#"{"nipBaru": "1985\u0000010120100110", "nama": "SRI\u0007WAHYUNI\u001b", "gelar": "\u0000"}"#);
    let record = JsonRecord::new(&data);
    let mut warnings = Vec::new();
    let mut reader = FieldReader::new(&record, "nip x", "", &mut warnings);
    assert_eq!(reader.code(&["nipBaru"]).as_deref(), Some("1985 010120100110"));
    assert_eq!(reader.text(&["nama"]).as_deref(), Some("SRI WAHYUNI"));
    assert_eq!(reader.text(&["gelar"]), None);
    let raw = reader.into_raw();
    assert_eq!(raw.get("nipBaru").map(String::as_str), Some("1985\u{0}010120100110"));
    assert_eq!(warnings.len(), 3);
    assert!(warnings.iter().all(|warning| warning.kind == WarningKind::UnexpectedShape));
    assert_eq!(warnings[1].field, "nama");
}
