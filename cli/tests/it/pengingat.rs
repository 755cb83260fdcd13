//! `luring-cli pengingat …` on an imported replica with the operator signed in through the real local OpenID
//! provider (no hub: offline work): the KGB of a fixture pegawai listed as JSON and as a table, a follow-up recorded
//! and listed under its state with who recorded it, taken back, and wrong input named with its value.

use serde_json::Value;

use crate::usulan::login;
use crate::{Temp, fixtures_dir, run, stderr, stdout};

/// JAJANG YAYAN SUPRIATNA: III/a since 01-10-2022 with MKG 16 y 9 m, so MKG 0 on 01-01-2006: KGB every January of
/// an even year (the CLI runs on the real clock, so the test reads which one from the list).
const NIP: &str = "197603012006012005";

/// The JSON rows of `output` (one object per line).
fn rows(output: &std::process::Output) -> Vec<Value> {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output).lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

#[test]
fn a_follow_up_is_recorded_listed_and_taken_back_offline() {
    let idp = idp_harness::Idp::start(&idp_harness::IdpOptions::default());
    let temp = Temp::new("pengingat");
    let data = temp.path().join("data");
    let data = data.to_str().unwrap().to_owned();
    let csv = fixtures_dir().join("export-data-asn.csv");
    let output = run(&["--data", &data, "--quiet", "import", "siasn-csv", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    login(&data, &idp);
    let operator = idp_harness::account("operator_instansi");
    let pengingat = |args: &[&str]| run(&[&["--data", data.as_str(), "pengingat"][..], args].concat());

    let all = rows(&pengingat(&["daftar", "--jenis", "kgb", "--bulan", "23", "--json"]));
    let row = all.iter().find(|row| row["nip"] == NIP).expect("a KGB every two years falls within 23 months");
    let kunci = row["kunci"].as_str().unwrap().to_owned();
    let tahun: i32 = kunci.strip_prefix("kgb-").unwrap()[..4].parse().unwrap();
    assert_eq!((kunci.ends_with("-01-01"), tahun % 2), (true, 0), "{kunci}");
    assert_eq!(row["tanggal"], format!("{tahun}-01-01"));
    assert_eq!(row["keterangan"], format!("MKG {} tahun", tahun - 2006));
    // The CLI runs on the real clock: a KGB of the last months not handled is kedaluwarsa.
    let today = chrono::Local::now().date_naive();
    let expected = if today > chrono::NaiveDate::from_ymd_opt(tahun, 1, 1).unwrap() { "kedaluwarsa" } else { "aktif" };
    assert_eq!((row["status"].as_str(), row["golongan"].as_str()), (Some(expected), Some("III/a")));

    // Wrong input: the field and the value, exit status 1; a missing flag is a usage error.
    let output = pengingat(&["daftar", "--jenis", "cuti"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("Jenis pengingat \"cuti\" tidak sah: salah satu dari kp, bup, kgb"),
        "{}",
        stderr(&output)
    );
    let output = pengingat(&["tandai", "--nip", NIP, "--kunci", "kgb-2028-1-1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("Kunci pengingat \"kgb-2028-1-1\" tidak sah"), "{}", stderr(&output));
    assert_eq!(pengingat(&["tandai", "--nip", NIP]).status.code(), Some(2));

    let output = pengingat(&["tandai", "--nip", NIP, "--kunci", &kunci, "--catatan", "SK KGB disiapkan"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(&format!("Pengingat {kunci} NIP {NIP} ditandai ditangani")),
        "{}",
        stdout(&output)
    );
    let handled = rows(&pengingat(&["daftar", "--jenis", "kgb", "--bulan", "23", "--status", "ditangani", "--json"]));
    assert_eq!(handled.len(), 1, "{handled:?}");
    assert_eq!(handled[0]["nip"], NIP);
    assert_eq!(handled[0]["tindak_lanjut"]["oleh"], operator.nip.as_str());
    assert_eq!(handled[0]["tindak_lanjut"]["catatan"], "SK KGB disiapkan");

    // The table: a header, the rows, and the counts per state (as many as the JSON rows in each state; a KGB of
    // this month that passed is kedaluwarsa, depending on the day the test runs).
    let now = rows(&pengingat(&["daftar", "--jenis", "kgb", "--bulan", "23", "--json"]));
    let count = |status: &str| now.iter().filter(|row| row["status"] == status).count();
    assert_eq!((now.len(), count("ditangani")), (all.len(), 1));
    let output = pengingat(&["daftar", "--jenis", "kgb", "--bulan", "23"]);
    let text = stdout(&output);
    assert!(text.starts_with("TANGGAL"), "{text}");
    assert!(text.contains(&format!("01-01-{tahun}  {NIP}")), "{text}");
    let summary = format!(
        "{n} dari {n} pengingat ditampilkan; per status: Aktif {}, Kedaluwarsa {}, Ditangani 1, Tidak perlu 0.",
        count("aktif"),
        count("kedaluwarsa"),
        n = now.len()
    );
    assert!(text.contains(&summary), "{text}");

    let output = pengingat(&["batal", "--nip", NIP, "--kunci", &kunci]);
    assert!(output.status.success(), "{}", stderr(&output));
    let again = rows(&pengingat(&["daftar", "--jenis", "kgb", "--bulan", "23", "--json"]));
    let row = again.iter().find(|row| row["nip"] == NIP).unwrap();
    assert_eq!((row["status"].as_str(), &row["tindak_lanjut"]), (Some(expected), &Value::Null));
}
