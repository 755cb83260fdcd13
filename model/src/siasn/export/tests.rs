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

fn warnings_of(export: &Export, kind: WarningKind) -> Vec<&Warning> {
    export.records.iter().flat_map(|record| &record.warnings).filter(|w| w.kind == kind).collect()
}

#[test]
fn nips_mangled_by_a_spreadsheet_never_merge_different_pegawai() {
    let text = "nip_baru,nama,tanggal_lahir\n\
                1.97603E+17,ANI,01-03-1976\n\
                1.97603E+17,BUDI,05-03-1976\n\
                197603012006012000,CICI,01-03-1976\n\
                197603012006012000,DEDI,01-03-1976\n";
    let export = decode(text.as_bytes());
    let names: Vec<&str> = export.records.iter().map(|r| r.data_utama.nama.as_str()).collect();
    assert_eq!(names, ["ANI", "BUDI", "CICI", "DEDI"]);
    let duplicates = warnings_of(&export, WarningKind::DuplicateRecord);
    assert_eq!(duplicates.len(), 4, "{duplicates:#?}");
    assert!(duplicates[0].message.contains("baris 3"), "{}", duplicates[0].message);
    assert!(duplicates[1].message.contains("baris 2"), "{}", duplicates[1].message);
    assert!(duplicates.iter().all(|w| w.message.contains("Periksa")));
    // Even the same person on a mangled NIP is kept twice: the NIP cannot prove it.
    let text = "nip_baru,nama,tanggal_lahir\n197603012006012000,CICI,01-03-1976\n197603012006012000,CICI,01-03-1976\n";
    assert_eq!(decode(text.as_bytes()).records.len(), 2);
}

#[test]
fn a_valid_nip_merges_only_rows_that_agree_on_who_it_is() {
    // Same NIP, different pns_id: two people (one of them has a wrong NIP in SIASN).
    let text = "pns_id,nip_baru,nama,tanggal_lahir\n\
                A1,197603012006011001,ANI,01-03-1976\n\
                B2,197603012006011001,ANI,01-03-1976\n";
    let export = decode(text.as_bytes());
    assert_eq!(export.records.len(), 2);
    let duplicates = warnings_of(&export, WarningKind::DuplicateRecord);
    assert_eq!(duplicates.len(), 2);
    assert!(duplicates[0].message.starts_with("NIP sama dengan baris 3, data berbeda"), "{}", duplicates[0].message);
    assert!(duplicates[0].message.contains("Periksa di SIASN"));

    // Without pns_id, nama and tanggal lahir decide: spacing and case do not matter.
    let text = "nip_baru,nama,tanggal_lahir\n\
                197603012006011001,ANI  SUSANTI,01-03-1976\n\
                197603012006011001,Ani Susanti,01-03-1976\n\
                197603012006011001,BUDI,01-03-1976\n";
    let export = decode(text.as_bytes());
    let names: Vec<&str> = export.records.iter().map(|r| r.data_utama.nama.as_str()).collect();
    assert_eq!(names, ["Ani Susanti", "BUDI"], "the pegawai of lines 2–3 comes at its last row");
    assert_eq!(export.records[0].baris, 3, "the later row wins a tie");
    assert_eq!(warnings_of(&export, WarningKind::DuplicateRecord).len(), 3, "one merge, two people on one NIP");
}

#[test]
fn merged_rows_keep_the_losers_warnings_labelled_with_their_line() {
    let text = "pns_id,nip_baru,nama,tanggal_lahir,tmt_jabatan,mk_tahun\n\
                A1,197603012006011001,ANI,01-03-1976,01-01-2020,satu\n\
                X9,199001012015011001,LAIN,01-01-1990,,\n\
                A1,197603012006011001,ANI,01-03-1976,01-01-2010,dua\n";
    let export = decode(text.as_bytes());
    assert_eq!(export.records.len(), 2);
    let ani = export.records.iter().find(|r| r.data_utama.nama == "ANI").unwrap();
    assert_eq!(ani.baris, 2, "the later TMT jabatan wins");
    let numbers: Vec<&str> =
        ani.warnings.iter().filter(|w| w.kind == WarningKind::InvalidNumber).map(|w| w.field.as_str()).collect();
    assert_eq!(numbers, ["mk_tahun", "baris 4: mk_tahun"]);
    let duplicate: Vec<_> = ani.warnings.iter().filter(|w| w.kind == WarningKind::DuplicateRecord).collect();
    assert_eq!(duplicate.len(), 1);
    assert!(duplicate[0].message.contains("NIP dan pns_id sama"), "{}", duplicate[0].message);
    assert!(duplicate[0].message.contains("dipakai baris 2"), "{}", duplicate[0].message);
}

#[test]
fn many_rows_of_one_nip_stay_linear() {
    let mut text = String::from("pns_id,nip_baru,nama,tanggal_lahir\n");
    for index in 0..5_000 {
        text.push_str(&format!("P{index},197603012006011001,ORANG {index},01-03-1976\n"));
    }
    let started = std::time::Instant::now();
    let export = decode(text.as_bytes());
    assert_eq!(export.records.len(), 5_000);
    // Each note names a few lines, not all 5,000.
    let longest = export.records.iter().flat_map(|r| &r.warnings).map(|w| w.message.len()).max().unwrap();
    assert!(longest < 400, "{longest}");
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());

    let mut text = String::from("pns_id,nip_baru,nama,tanggal_lahir,tmt_jabatan\n");
    for index in 0..5_000 {
        text.push_str(&format!("P1,197603012006011001,ANI,01-03-1976,{:02}-01-2000\n", index % 28 + 1));
    }
    let export = decode(text.as_bytes());
    assert_eq!(export.records.len(), 1);
    let duplicates = export.records[0].warnings.iter().filter(|w| w.kind == WarningKind::DuplicateRecord).count();
    assert_eq!(duplicates, 4_999);
}

#[test]
fn an_unclosed_quote_does_not_swallow_the_following_rows() {
    let text = "nip_baru,nama,tanggal_lahir\n\
                197603012006011001,\"ANI,01-03-1976\n\
                197603012006011002,BUDI,01-03-1976\n\
                197603012006011003,CICI,01-03-1976\n";
    let export = decode(text.as_bytes());
    let got: Vec<(usize, &str, &str)> =
        export.records.iter().map(|r| (r.baris, r.data_utama.nip.as_str(), r.data_utama.nama.as_str())).collect();
    assert_eq!(
        got,
        [(2, "197603012006011001", "ANI"), (3, "197603012006011002", "BUDI"), (4, "197603012006011003", "CICI")]
    );
    let quote: Vec<_> = export.records[0].warnings.iter().filter(|w| w.message.contains("tanda kutip")).collect();
    assert_eq!(quote.len(), 1);
    assert!(quote[0].message.starts_with("tanda kutip tidak tertutup di baris 2"), "{}", quote[0].message);
    assert!(export.records[1..].iter().all(|r| r.warnings.iter().all(|w| w.kind != WarningKind::RaggedRow)));

    // A later, legitimate quote closes the runaway one: the rows after it are read normally again.
    let text = "nip_baru,nama,alamat\n\
                197603012006011001,\"ANI,JL A\n\
                197603012006011002,BUDI,\"JL B, NO 2\"\n\
                197603012006011003,CICI,\"JL C, NO 3\"\n";
    let export = decode(text.as_bytes());
    let nips: Vec<&str> = export.records.iter().map(|r| r.data_utama.nip.as_str()).collect();
    assert!(nips.contains(&"197603012006011003"), "{nips:?}");
    assert_eq!(export.records.last().unwrap().data_utama.alamat.as_deref(), Some("JL C, NO 3"));
}

#[test]
fn the_header_is_found_below_title_rows_and_a_sep_line() {
    let text =
        "sep=;\nDAFTAR PEGAWAI KAB. CONTOH SELATAN\n\nNIP;Nama;Tanggal Lahir\n'197603012006011001;ANI;01-03-1976\n";
    let export = decode(text.as_bytes());
    assert_eq!(export.fatal, None);
    assert_eq!(export.records.len(), 1);
    assert_eq!(export.records[0].baris, 5);
    assert_eq!(export.records[0].data_utama.nip.as_str(), "197603012006011001");
    assert_eq!(export.records[0].data_utama.nama, "ANI");
    assert!(export.warnings.iter().all(|w| w.kind == WarningKind::MissingColumn), "{:#?}", export.warnings);
    // NIP alone is enough: no nama column is not fatal, each record says its nama is empty.
    let export = decode(b"nip_baru\n197603012006011001\n");
    assert_eq!(export.fatal, None);
    assert_eq!(export.records.len(), 1);
    assert!(export.records[0].warnings.iter().any(|w| w.message == "nama kosong"));
}

#[test]
fn unreadable_files_say_why() {
    let cases: [(&[u8], &str); 6] = [
        (b"", "berkas kosong"),
        (b"\xEF\xBB\xBF \r\n \n", "berkas kosong"),
        (b"PK\x03\x04\x14\x00\x06\x00rest of a zip", "xlsx"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old excel", ".xls"),
        (b"\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00", "biner"),
        (b"judul\nnama,tanggal_lahir\nANI,01-01-1980\n", "kolom NIP"),
    ];
    for (bytes, expected) in cases {
        let export = decode(bytes);
        let fatal = export.fatal.clone().unwrap_or_default();
        assert!(fatal.contains(expected), "{bytes:?}: {fatal}");
        assert!(export.records.is_empty());
        assert!(!export.warnings.is_empty());
    }
    // A header and no rows is readable: no fatal, but a warning.
    let export = decode(b"nip_baru,nama\n");
    assert_eq!(export.fatal, None);
    assert!(export.warnings.iter().any(|w| w.message.contains("hanya berisi baris header")));
}

#[test]
fn utf16_files_are_decoded() {
    let text = "nip_baru,nama\r\n197603012006011001,FRANÇOIS\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    // Big endian without a BOM: found by its NUL bytes.
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [le, be] {
        let export = decode(&bytes);
        assert_eq!(export.fatal, None);
        assert_eq!(export.records.len(), 1);
        assert_eq!(export.records[0].data_utama.nama, "FRANÇOIS");
        assert!(export.warnings.iter().any(|w| w.field == "encoding" && w.message.contains("UTF-16")));
    }
}

#[test]
fn one_stray_windows_1252_byte_does_not_re_decode_the_file() {
    let mut bytes = "nip_baru,nama\n197603012006011001,JOSÉ\n197603012006011002,FRAN".as_bytes().to_vec();
    bytes.push(0xC7); // Ç in Windows-1252, invalid as UTF-8.
    bytes.extend("OIS\n197603012006011003,RENÉ\n".as_bytes());
    let export = decode(&bytes);
    let names: Vec<&str> = export.records.iter().map(|r| r.data_utama.nama.as_str()).collect();
    // Valid UTF-8 stays as it is (read whole as Windows-1252, É would become "Ã‰").
    assert_eq!(names, ["JOSÉ", "FRANÇOIS", "RENÉ"]);
    assert!(export.warnings.iter().all(|w| w.field != "encoding"), "{:#?}", export.warnings);
    let repaired: Vec<_> =
        export.records.iter().flat_map(|r| &r.warnings).filter(|w| w.kind == WarningKind::MalformedResponse).collect();
    assert_eq!(repaired.len(), 1);
    assert_eq!(repaired[0].record, "nip 197603012006011002");
    assert_eq!(repaired[0].field, "nama");
    assert!(repaired[0].message.contains("0xC7"), "{}", repaired[0].message);
}

#[test]
fn cr_only_line_ends_count_as_lines() {
    let text = "nip_baru,nama,alamat\r197603012006011001,ANI,\"JL A\rRT 1\"\r\r197603012006011002,BUDI,-\r";
    let export = decode(text.as_bytes());
    let lines: Vec<usize> = export.records.iter().map(|r| r.baris).collect();
    assert_eq!(lines, [2, 5]);
    // Mixed CRLF, LF and CR.
    let text = "nip_baru,nama\r\n197603012006011001,ANI\n197603012006011002,BUDI\r197603012006011003,CICI\r\n";
    let lines: Vec<usize> = decode(text.as_bytes()).records.iter().map(|r| r.baris).collect();
    assert_eq!(lines, [2, 3, 4]);
}

#[test]
fn repeated_and_trailing_empty_header_columns() {
    let text = "nip_baru,nama,nama,,,\n197603012006011001,ANI,X,,,\n197603012006011002,BUDI,Y\n";
    let export = decode(text.as_bytes());
    assert_eq!(export.records[0].data_utama.nama, "ANI", "the first of two columns is used");
    let repeated: Vec<_> = export.warnings.iter().filter(|w| w.kind == WarningKind::UnexpectedShape).collect();
    assert_eq!(repeated.len(), 1);
    assert!(repeated[0].message.contains("muncul dua kali"), "{}", repeated[0].message);
    // Trailing empty header cells are neither unknown columns nor a reason to call rows ragged.
    assert!(export.warnings.iter().all(|w| w.kind != WarningKind::UnknownColumn), "{:#?}", export.warnings);
    assert!(warnings_of(&export, WarningKind::RaggedRow).is_empty());
}

#[test]
fn streaming_hands_records_over_and_can_stop() {
    let text = "nip_baru,nama\n197603012006011001,ANI\n197603012006011002,BUDI\n197603012006011003,CICI\n";
    let mut seen = Vec::new();
    let export = decode_stream(std::io::Cursor::new(text.as_bytes()), &mut |record| {
        seen.push(record.data_utama.nama);
        if seen.len() == 2 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })
    .unwrap();
    assert_eq!(seen, ["ANI", "BUDI"]);
    assert!(export.records.is_empty());
    assert_eq!(export.fatal, None);
}
