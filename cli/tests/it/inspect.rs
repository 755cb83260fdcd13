//! `luring-cli inspect`: exit codes, the JSON lines, the summary, a closed pipe and the WS folder walk.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use crate::{Temp, cli, fixtures_dir, run, stderr, stdout};

fn csv_fixture() -> String {
    fixtures_dir().join("export-data-asn.csv").display().to_string()
}

/// The fixture CSV with `rows` rows (its 60 rows repeated, each with its own NIP sequence and pns_id).
fn big_csv(rows: usize) -> String {
    let text = std::fs::read_to_string(fixtures_dir().join("export-data-asn.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    let body: Vec<&str> = lines.collect();
    for index in 0..rows {
        let (pns_id, rest) = body[index % body.len()].split_once(',').unwrap();
        let (nip, rest) = rest.split_once(',').unwrap();
        out.push_str(&format!("{pns_id}{index},{}{:03},{rest}\n", &nip[..15], index / body.len() % 999 + 1));
    }
    out
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))).collect()
}

#[test]
fn the_fixture_summary_counts_pegawai_and_anomalies() {
    let output = run(&["inspect", "siasn-csv", &csv_fixture(), "--today", "2026-11-30"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Pegawai terbaca             : 60 (CPNS 5, PNS 43, PPPK 12)"), "{text}");
    assert!(text.contains("Pegawai dengan anomali IKD  : 26"), "{text}");
    assert!(text.contains("Tanggal acuan: 30-11-2026"), "{text}");
    assert!(text.contains("Langkah berikutnya:"), "{text}");
    assert!(text.contains("Impor dengan: luring-cli --data <folder> import siasn-csv <berkas>"), "{text}");
    assert!(!text.contains("jalankan impor"), "{text}");
    // dd-mm-yyyy is accepted too, and gives the same report.
    let same = run(&["inspect", "siasn-csv", &csv_fixture(), "--today", "30-11-2026"]);
    let strip_time = |text: &str| text.lines().filter(|l| !l.starts_with("Selesai")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip_time(&stdout(&same)), strip_time(&text));
    // A date in neither form is a usage error.
    assert_eq!(run(&["inspect", "siasn-csv", &csv_fixture(), "--today", "30/11/26"]).status.code(), Some(2));
}

#[test]
fn json_is_one_object_per_line_with_the_expected_keys() {
    let output = run(&["inspect", "siasn-csv", &csv_fixture(), "--today", "2026-11-30", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let records = json_lines(&stdout(&output));
    assert_eq!(records.len(), 60);
    for record in &records {
        for key in [
            "nip",
            "nama",
            "tgl_lahir",
            "jenis_asn",
            "golongan_akhir_id",
            "bup",
            "tmt_pensiun",
            "kp_berikutnya",
            "ikd",
            "warnings",
            "sumber",
            "data_utama_ada",
            "data_utama",
        ] {
            assert!(record.get(key).is_some(), "{key} missing in {record}");
        }
        assert!(record["ikd"].is_array());
        assert_eq!(record["data_utama_ada"], Value::Bool(true));
        assert!(record["sumber"].as_str().unwrap().starts_with("baris "));
    }
    assert_eq!(records.iter().filter(|r| !r["ikd"].as_array().unwrap().is_empty()).count(), 26);
}

#[test]
fn unreadable_files_exit_1_with_one_clear_message() {
    let temp = Temp::new("unreadable");
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (temp.file("kosong.csv", b""), "berkas kosong"),
        (
            temp.file("buku.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00rest of a workbook"),
            "simpan ulang sebagai CSV UTF-8",
        ),
        (temp.file("biner.csv", b"\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00"), "biner"),
        (temp.file("tanpa-nip.csv", "nama,tanggal_lahir\nANI,01-01-1980\n"), "kolom NIP"),
        (temp.path().join("tidak-ada.csv"), "tidak dapat membuka"),
        (temp.path().to_path_buf(), "folder"),
    ];
    for (path, expected) in cases {
        let output = run(&["inspect", "siasn-csv", &path.display().to_string(), "--json"]);
        assert_eq!(output.status.code(), Some(1), "{}: {}", path.display(), stderr(&output));
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.starts_with("galat: "), "{message}");
        assert!(message.contains(expected), "{}: {message}", path.display());
        assert!(output.stdout.is_empty(), "{}", stdout(&output));
    }
    // The UTF-16 and title-row export of a spreadsheet is readable.
    let text = "judul\r\nnip_baru,nama\r\n197603012006011001,ANI\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = temp.file("unicode.csv", utf16);
    let output = run(&["inspect", "siasn-csv", &path.display().to_string(), "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = json_lines(&stdout(&output));
    assert_eq!(lines.iter().filter(|line| line.get("nip").is_some()).count(), 1);
    assert!(lines.iter().any(|line| line["warning"]["field"] == "encoding"), "the file says it was UTF-16");
}

#[test]
fn an_unclosed_quote_keeps_every_row() {
    let temp = Temp::new("quote");
    let path = temp.file(
        "kutip.csv",
        "nip_baru,nama,tanggal_lahir\n197603012006011001,\"ANI,01-03-1976\n197603012006011002,BUDI,01-03-1976\n\
         197603012006011003,CICI,01-03-1976\n",
    );
    let output = run(&["inspect", "siasn-csv", &path.display().to_string(), "--json", "--today", "2026-11-30"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let records: Vec<Value> = json_lines(&stdout(&output)).into_iter().filter(|r| r.get("nip").is_some()).collect();
    let nips: Vec<&str> = records.iter().map(|r| r["nip"].as_str().unwrap()).collect();
    assert_eq!(nips, ["197603012006011001", "197603012006011002", "197603012006011003"]);
    let summary = run(&["inspect", "siasn-csv", &path.display().to_string(), "--today", "2026-11-30"]);
    let text = stdout(&summary);
    assert!(text.contains("Pegawai terbaca             : 3"), "{text}");
    assert!(text.contains("tanda kutip tidak tertutup di baris 2"), "{text}");
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let temp = Temp::new("pipe");
    let path = temp.file("besar.csv", big_csv(3_000));
    let mut child = cli()
        .args(["inspect", "siasn-csv", &path.display().to_string(), "--json", "--today", "2026-11-30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(serde_json::from_str::<Value>(&first).is_ok(), "{first}");
    drop(reader);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

/// A saved response folder: two pegawai from the fixtures, one of them saved with an upper-case `.JSON`, a copy
/// `<nip> (1).json`, a pegawai with only rw-golongan, one with a gateway error page and a file that is not a NIP.
fn ws_folder(temp: &Temp) -> (String, String) {
    let ws = fixtures_dir().join("ws");
    let nips = ["196407241988032001", "199507192024212003"];
    for endpoint in ["data-utama", "rw-golongan", "rw-jabatan", "data-anak"] {
        for nip in nips {
            let body = std::fs::read(ws.join(endpoint).join(format!("{nip}.json"))).unwrap();
            let name =
                if endpoint == "data-utama" && nip == nips[1] { format!("{nip}.JSON") } else { format!("{nip}.json") };
            temp.file(&format!("{endpoint}/{name}"), body);
        }
    }
    temp.file(&format!("data-utama/{} (1).json", nips[0]), b"{}");
    temp.file("rw-golongan/197603012006012005.json", r#"{"code":1,"data":[]}"#);
    temp.file("data-utama/198001012005011001.json", "<html><body>502 Bad Gateway</body></html>");
    temp.file("data-utama/catatan.json", r#"{"code":0,"data":"Data tidak ditemukan"}"#);
    temp.file("data-utama/README.txt", "bukan respons");
    (nips[0].to_owned(), nips[1].to_owned())
}

#[test]
fn the_ws_folder_walk_reads_real_paths_and_reports_pegawai_without_data_utama() {
    let temp = Temp::new("ws");
    let (first, upper) = ws_folder(&temp);
    let dir = temp.path().display().to_string();
    let output = run(&["inspect", "siasn-ws", &dir, "--json", "--today", "2026-11-30"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = json_lines(&stdout(&output));
    let records: Vec<&Value> = lines.iter().filter(|line| line.get("nip").is_some()).collect();
    let file_warnings: Vec<&Value> = lines.iter().filter(|line| line.get("berkas").is_some()).collect();
    let nips: Vec<&str> = records.iter().map(|r| r["nip"].as_str().unwrap()).collect();
    assert_eq!(nips, [first.as_str(), "197603012006012005", "198001012005011001", upper.as_str(), "catatan"]);

    let by_nip = |nip: &str| *records.iter().find(|r| r["nip"] == nip).unwrap();
    // The upper-case .JSON file is read, and `sumber` is the data utama file itself.
    let pppk = by_nip(&upper);
    assert_eq!(pppk["data_utama_ada"], Value::Bool(true));
    assert_eq!(pppk["jenis_asn"], "PPPK");
    assert!(pppk["sumber"].as_str().unwrap().ends_with(&format!("data-utama/{upper}.JSON")), "{}", pppk["sumber"]);
    // No data utama: the warnings say why, and there are no invented facts.
    for nip in ["197603012006012005", "198001012005011001", "catatan"] {
        let record = by_nip(nip);
        assert_eq!(record["data_utama_ada"], Value::Bool(false), "{nip}");
        assert_eq!(record["ikd"], serde_json::json!([]), "{nip}");
        assert_eq!(record["tmt_pensiun"], Value::Null, "{nip}");
        assert!(!record["warnings"].as_array().unwrap().is_empty(), "{nip}");
    }
    let gateway = &by_nip("198001012005011001")["warnings"][0];
    assert_eq!(gateway["kind"], "malformed_response");
    assert!(gateway["raw"].as_str().unwrap().starts_with("<html>"), "{gateway}");
    // The copy is skipped and the odd file name reported, each as a file warning.
    let messages: Vec<&str> = file_warnings.iter().map(|w| w["warning"]["message"].as_str().unwrap()).collect();
    assert!(messages.iter().any(|m| m.contains("salinan ganda")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("bukan NIP 18 angka")), "{messages:#?}");

    let summary = run(&["inspect", "siasn-ws", &dir, "--today", "2026-11-30"]);
    assert_eq!(summary.status.code(), Some(0), "{}", stderr(&summary));
    let text = stdout(&summary);
    assert!(text.contains("Pegawai terbaca             : 2 (PNS 1, PPPK 1)"), "{text}");
    assert!(text.contains("Pegawai tanpa data utama    : 3"), "{text}");
}

#[test]
fn a_ws_folder_without_any_readable_data_utama_exits_1() {
    let temp = Temp::new("ws-empty");
    temp.file("data-utama/196407241988032001.json", "");
    temp.file("rw-golongan/196407241988032001.json", r#"{"code":1,"data":[]}"#);
    let dir = temp.path().display().to_string();
    let output = run(&["inspect", "siasn-ws", &dir]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains("tidak satu pun data utama"), "{}", stderr(&output));
    assert!(stdout(&output).contains("Pegawai tanpa data utama    : 1"), "{}", stdout(&output));

    let nothing = Temp::new("ws-nothing");
    let output = run(&["inspect", "siasn-ws", &nothing.path().display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("tidak ada berkas <nip>.json"), "{}", stderr(&output));
}
