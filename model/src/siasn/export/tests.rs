use super::*;

#[test]
fn the_delimiter_is_sniffed_from_the_header() {
    assert_eq!(sniff_delimiter("nip_baru,nama\n1,2"), b',');
    assert_eq!(sniff_delimiter("nip_baru;nama;alamat\n1;2;\"a, b\""), b';');
    assert_eq!(sniff_delimiter("nip_baru\tnama\n"), b'\t');
    assert_eq!(sniff_delimiter("nip_baru\n"), b',');
}

#[test]
fn windows_1252_differs_from_latin_1_in_the_c1_block() {
    assert_eq!(windows_1252(0x80), '€');
    assert_eq!(windows_1252(0x92), '’');
    assert_eq!(windows_1252(0xC7), 'Ç');
    assert_eq!(windows_1252(b'A'), 'A');
}

#[test]
fn headers_match_in_any_case_and_spacing() {
    let headers = csv::StringRecord::from(vec!["NIP BARU", "Nama", "tanggal-lahir", "\u{feff}PNS_ID", "catatan"]);
    let mut warnings = Vec::new();
    let columns = map_columns(&headers, &mut warnings);
    assert_eq!(columns.get("nipbaru").map(|(index, _)| *index), Some(0));
    assert_eq!(columns.get("tanggallahir").map(|(index, _)| *index), Some(2));
    assert_eq!(columns.get("pnsid").map(|(index, _)| *index), Some(3));
    let unknown: Vec<_> =
        warnings.iter().filter(|w| w.kind == WarningKind::UnknownColumn).map(|w| w.raw.as_str()).collect();
    assert_eq!(unknown, vec!["catatan"]);
    // 64 known columns, 4 present: 60 reported missing, none of them fatal.
    assert_eq!(warnings.iter().filter(|w| w.kind == WarningKind::MissingColumn).count(), 60);
}

#[test]
fn a_quoted_multi_line_alamat_stays_in_its_record() {
    let text =
        "nip_baru,nama,alamat\r\n197603012006011005,ANI,\"JL. MAWAR NO. 1\r\nRT 02\"\r\n198501012010011001,BUDI,-\r\n";
    let export = decode(text.as_bytes());
    assert_eq!(export.records.len(), 2);
    assert_eq!(export.records[0].data_utama.alamat.as_deref(), Some("JL. MAWAR NO. 1\r\nRT 02"));
    assert_eq!(export.records[1].baris, 4);
    assert_eq!(export.records[1].data_utama.alamat, None);
}
