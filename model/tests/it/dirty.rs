//! The fixture CSV made as dirty as real exports get must still give exactly the expected facts, with each
//! problem reported as a warning and no record lost.

use model::WarningKind;

use crate::fixtures::{csv_reports, differences, expected, unor_tree};
use crate::fixtures_dir;

/// Rewrites the fixture CSV with the representation dirt of spreadsheet-edited SIASN exports.
fn dirty_export() -> Vec<u8> {
    let bytes = std::fs::read(fixtures_dir().join("export-data-asn.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<Vec<String>> = reader.records().map(|row| row.unwrap().iter().map(str::to_owned).collect()).collect();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();

    // Headers: upper case with spaces, one unknown column appended, two columns swapped.
    let mut out_headers: Vec<String> = headers.iter().map(|header| header.replace('_', " ").to_uppercase()).collect();
    out_headers.swap(column("nama"), column("nip_lama"));
    out_headers.push("KETERANGAN OPERATOR".into());

    let mut out_rows = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let mut row = row.clone();
        // Spreadsheet apostrophes on long numbers.
        row[column("nip_baru")] = format!("'{}", row[column("nip_baru")]);
        if !row[column("nik")].is_empty() {
            row[column("nik")] = format!("'{}", row[column("nik")]);
        }
        // Mixed date formats (never shifting the day).
        let iso = |cell: &str| -> String {
            if cell.is_empty() {
                return String::new();
            }
            let parts: Vec<&str> = cell.split('-').collect();
            if parts.len() == 3 { format!("{}-{}-{}", parts[2], parts[1], parts[0]) } else { cell.to_owned() }
        };
        match index % 4 {
            0 if !row[column("tmt_golongan")].is_empty() => {
                row[column("tmt_golongan")] = format!("{}T00:00:00Z", iso(&row[column("tmt_golongan")]))
            }
            1 if !row[column("tmt_cpns")].is_empty() => {
                row[column("tmt_cpns")] = format!("{} 00:00:00", iso(&row[column("tmt_cpns")]))
            }
            2 => row[column("tanggal_lahir")] = row[column("tanggal_lahir")].replace('-', "/"),
            3 if !row[column("tmt_pns")].is_empty() => {
                row[column("tmt_pns")] = format!("{}T00:00:00+07:00", iso(&row[column("tmt_pns")]))
            }
            _ => {}
        }
        // Literal null-likes in empty cells.
        for (cell_index, cell) in row.iter_mut().enumerate() {
            if cell.is_empty() {
                *cell = ["null", "NULL", "undefined", " "][(index + cell_index) % 4].into();
            }
        }
        // Trailing spaces as SI-ASN writes unor names.
        row[column("unor_nama")] = format!("{}  ", row[column("unor_nama")]);
        row.swap(column("nama"), column("nip_lama"));
        row.push(String::new());
        out_rows.push(row);
    }
    // A duplicate of the first pegawai from an older jabatan row, placed after it: the newer row must win.
    let mut older = out_rows[0].clone();
    older[column("tmt_jabatan")] = "01-01-2000".into();
    older[column("unor_id")] = "00000000000000000000000000000000".into();
    out_rows.insert(3, older);

    let mut writer =
        csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(&out_headers).unwrap();
    for row in &out_rows {
        writer.write_record(row).unwrap();
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(writer.into_inner().unwrap());
    bytes
}

#[test]
fn a_dirty_export_gives_the_same_facts_with_warnings() {
    let (reports, file_warnings) = csv_reports(&dirty_export(), Some(&unor_tree()));
    let diff = differences(&reports, &expected(), &[]);
    assert!(diff.is_empty(), "{}", diff.join("\n"));

    let kinds: Vec<WarningKind> = file_warnings.iter().map(|warning| warning.kind).collect();
    assert_eq!(kinds, vec![WarningKind::UnknownColumn], "{file_warnings:#?}");
    let duplicates: Vec<_> =
        reports.iter().flat_map(|report| &report.warnings).filter(|w| w.kind == WarningKind::DuplicateRecord).collect();
    assert_eq!(duplicates.len(), 1, "{duplicates:#?}");
    assert!(duplicates[0].message.contains("dipakai baris 2"), "{}", duplicates[0].message);
    // Only the guesses that are worth an officer's look are reported; ISO and SQL date-times are SI-ASN forms.
    let unexpected: Vec<_> = reports
        .iter()
        .flat_map(|report| &report.warnings)
        .filter(|w| !matches!(w.kind, WarningKind::DuplicateRecord | WarningKind::InvalidNik))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

#[test]
fn broken_values_are_reported_with_record_field_and_raw_value() {
    let text = "nip_baru,nama,tanggal_lahir,jenis_kelamin,nik,tmt_golongan,mk_tahun,gol_akhir_id\n\
                197603012006011005,ANI,31-02-1976,X,6.41203E+15,kemarin,dua,31\n\
                ,TANPA NIP,01-01-0001,F,,,,\n\
                199507192024212003,PPPK,19-07-1995,F\n";
    let (reports, _) = csv_reports(text.as_bytes(), None);
    assert_eq!(reports.len(), 3, "no record is dropped");
    let warned: Vec<(String, String, String, WarningKind)> = reports
        .iter()
        .flat_map(|report| &report.warnings)
        .map(|w| (w.record.clone(), w.field.clone(), w.raw.clone(), w.kind))
        .collect();
    let has = |record: &str, field: &str, raw: &str, kind: WarningKind| {
        warned.iter().any(|(r, f, v, k)| r == record && f == field && v == raw && *k == kind)
    };
    let ani = "nip 197603012006011005";
    assert!(has(ani, "tanggal_lahir", "31-02-1976", WarningKind::InvalidDate), "{warned:#?}");
    assert!(has(ani, "nik", "6.41***E+15", WarningKind::InvalidNik), "the NIK is masked: {warned:#?}");
    assert!(has(ani, "jenis_kelamin", "X", WarningKind::UnknownCode), "{warned:#?}");
    assert!(has(ani, "nik", "6.41203E+15", WarningKind::ScientificNotation), "{warned:#?}");
    assert!(has(ani, "tmt_golongan", "kemarin", WarningKind::InvalidDate), "{warned:#?}");
    assert!(has(ani, "mk_tahun", "dua", WarningKind::InvalidNumber), "{warned:#?}");
    assert!(has("baris 3", "tanggal_lahir", "01-01-0001", WarningKind::SentinelDate), "{warned:#?}");
    assert!(has("baris 3", "nip", "", WarningKind::InvalidNip), "{warned:#?}");
    assert!(warned.iter().any(|(r, _, _, k)| r == "nip 199507192024212003" && *k == WarningKind::RaggedRow));
    // The raw values are kept on the record.
    assert_eq!(reports[0].data_utama.raw.get("tanggal_lahir").map(String::as_str), Some("31-02-1976"));
    // A short row still yields what it has: a PPPK by its NI form.
    assert_eq!(reports[2].jenis_asn, Some(model::JenisAsn::Pppk));
}

#[test]
fn a_non_utf8_export_is_read_as_windows_1252() {
    let mut bytes = b"nip_baru,nama\n197603012006011005,FRAN".to_vec();
    bytes.push(0xC7); // Ç in Windows-1252
    bytes.extend(b"OIS\n");
    let (reports, file_warnings) = csv_reports(&bytes, None);
    assert_eq!(reports[0].nama, "FRANÇOIS");
    // The repair is reported on the record that holds it, naming the column.
    assert!(file_warnings.iter().all(|w| w.kind != WarningKind::MalformedResponse), "{file_warnings:#?}");
    let repaired: Vec<_> = reports[0].warnings.iter().filter(|w| w.kind == WarningKind::MalformedResponse).collect();
    assert_eq!(repaired.len(), 1);
    assert_eq!(repaired[0].field, "nama");
}

#[test]
fn an_export_without_a_nip_column_is_reported_not_guessed() {
    let (reports, file_warnings) = csv_reports(b"nama,tanggal_lahir\nANI,01-01-1980\n", None);
    assert!(reports.is_empty());
    assert!(file_warnings.iter().any(|w| w.kind == WarningKind::MissingColumn && w.raw == "nip_baru"));
    let fatal = model::siasn::export::decode(b"nama,tanggal_lahir\nANI,01-01-1980\n").fatal;
    assert!(fatal.is_some_and(|message| message.contains("kolom NIP")));
}

#[test]
fn the_dirty_export_saved_as_utf16_with_a_title_row_gives_the_same_facts() {
    let dirty = String::from_utf8(dirty_export()).unwrap();
    let text = format!("sep=;\r\nEXPORT DATA ASN KAB. CONTOH SELATAN\r\n{}", dirty.trim_start_matches('\u{feff}'));
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (reports, file_warnings) = csv_reports(&bytes, Some(&unor_tree()));
    let diff = differences(&reports, &expected(), &[]);
    assert!(diff.is_empty(), "{}", diff.join("\n"));
    let kinds: Vec<WarningKind> = file_warnings.iter().map(|warning| warning.kind).collect();
    assert_eq!(kinds, vec![WarningKind::UnexpectedShape, WarningKind::UnknownColumn], "{file_warnings:#?}");
}
