use super::*;

fn nip() -> Nip {
    Nip::clean("197603012006011005")
}

#[test]
fn envelope_keys_are_matched_in_any_case() {
    assert_eq!(open_envelope(r#"{"CODE":1,"DATA":{"nama":"ANI"}}"#), Envelope::Data(serde_json::json!({"nama":"ANI"})));
    assert_eq!(open_envelope(r#"{"Code":"1","Data":[]}"#), Envelope::Data(serde_json::json!([])));
    assert_eq!(open_envelope(r#"{"CODE":0,"DATA":"Data tidak ditemukan"}"#), Envelope::NotFound);
    assert_eq!(
        open_envelope(r#"{"CODE":"500","MESSAGE":"Runtime Error"}"#),
        Envelope::Error("code 500: Runtime Error".into())
    );
}

#[test]
fn code_zero_with_an_empty_payload_is_none() {
    for body in [r#"{"code":0,"data":[]}"#, r#"{"code":0,"data":{}}"#, r#"{"code":"0","data":""}"#] {
        assert_eq!(open_envelope(body), Envelope::NotFound, "{body}");
    }
    // code 0 with something in it is still an error worth reporting.
    assert!(matches!(open_envelope(r#"{"code":0,"data":"token expired"}"#), Envelope::Error(_)));
}

#[test]
fn an_empty_data_utama_body_is_berkas_kosong_not_a_404() {
    let mut warnings = Vec::new();
    assert_eq!(decode_data_utama(" \n", &nip(), &mut warnings), None);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].kind, WarningKind::MissingValue);
    assert!(warnings[0].message.starts_with("berkas kosong"), "{}", warnings[0].message);
    assert!(!warnings[0].message.contains("404"));

    let mut warnings = Vec::new();
    assert_eq!(decode_data_utama(r#"{"code":0,"data":"Data tidak ditemukan"}"#, &nip(), &mut warnings), None);
    assert_eq!(warnings[0].kind, WarningKind::MissingValue);
    assert!(warnings[0].message.contains("404"), "{}", warnings[0].message);
}

#[test]
fn a_malformed_body_keeps_its_start_as_raw_and_the_parser_error_in_the_message() {
    let body = format!("{{\"code\":1,\"data\":{{\"nama\":\"{}", "A".repeat(500));
    let mut warnings = Vec::new();
    assert_eq!(decode_data_utama(&body, &nip(), &mut warnings), None);
    assert_eq!(warnings.len(), 1);
    let warning = &warnings[0];
    assert_eq!(warning.kind, WarningKind::MalformedResponse);
    assert_eq!(warning.raw, body.chars().take(300).collect::<String>());
    assert!(warning.message.contains("EOF while parsing"), "{}", warning.message);
    assert!(warning.message.contains("unduh ulang"), "{}", warning.message);

    let mut warnings = Vec::new();
    let html = "<html><body>502 Bad Gateway</body></html>";
    assert_eq!(decode_data_utama(html, &nip(), &mut warnings), None);
    assert_eq!(warnings[0].raw, html);
    assert!(warnings[0].message.contains("HTML"), "{}", warnings[0].message);

    // A gateway error keeps the whole envelope as raw and its message in the text.
    let mut warnings = Vec::new();
    let gateway = r#"{"code":"900901","message":"Invalid Credentials","description":"Access failure"}"#;
    assert_eq!(decode_data_utama(gateway, &nip(), &mut warnings), None);
    assert_eq!(warnings[0].raw, gateway);
    assert!(warnings[0].message.contains("Invalid Credentials"), "{}", warnings[0].message);
}

#[test]
fn riwayat_without_data_utama_gives_no_pegawai_and_says_why() {
    let mut warnings = Vec::new();
    let mut body_of = |endpoint: &str| (endpoint == "rw-golongan").then(|| r#"{"code":1,"data":[]}"#.to_owned());
    assert_eq!(decode_pegawai(&nip(), &mut body_of, &mut warnings), None);
    assert_eq!(warnings.len(), 1);
    assert_eq!((warnings[0].field.as_str(), warnings[0].kind), ("data-utama", WarningKind::MissingValue));
}
