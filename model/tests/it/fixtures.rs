//! The derived facts of every fixture pegawai equal `expected.json`, from the CSV and from the WS responses.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::inspect::{Laporan, laporan, laporan_owned};
use model::siasn::lists::{UnorTree, decode_ref_unor};
use model::siasn::{export, ws};
use model::{Nip, Pegawai};
use serde_json::Value;

use crate::fixtures_dir;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

pub fn expected() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(fixtures_dir().join("expected.json")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    value["pegawai"].as_object().unwrap().clone().into_iter().collect()
}

pub fn unor_tree() -> UnorTree {
    let body = std::fs::read_to_string(fixtures_dir().join("ws/ref-unor.json")).unwrap();
    let mut warnings = Vec::new();
    let tree = UnorTree::new(decode_ref_unor(&body, &mut warnings), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    tree
}

/// Reports for the CSV bytes, with or without the unor table.
pub fn csv_reports(bytes: &[u8], tree: Option<&UnorTree>) -> (Vec<Laporan>, Vec<model::Warning>) {
    let decoded = export::decode(bytes);
    let eselon = |id: &str| tree.and_then(|tree| tree.eselon_of(id).map(str::to_owned));
    let records = decoded
        .records
        .into_iter()
        .map(|record| {
            let pegawai = Pegawai { data_utama: record.data_utama, ..Pegawai::default() };
            laporan_owned(pegawai, record.warnings, format!("baris {}", record.baris), today(), &eselon)
        })
        .collect();
    (records, decoded.warnings)
}

/// The facts `expected.json` lists, as JSON, from a report.
pub fn facts(report: &Laporan) -> Value {
    let mut ikd: Vec<&str> = report.ikd.clone();
    ikd.sort_unstable();
    serde_json::json!({
        "pns_id": report.pns_id,
        "nama": report.nama,
        "gelar_depan": report.gelar_depan,
        "gelar_belakang": report.gelar_belakang,
        "tgl_lahir": report.tgl_lahir,
        "jenis_kelamin": report.jenis_kelamin,
        "jenis_asn": report.jenis_asn,
        "kedudukan_hukum_id": report.kedudukan_hukum_id,
        "golongan_akhir_id": report.golongan_akhir_id,
        "tmt_golongan": report.tmt_golongan,
        "tingkat_pendidikan_id": report.tingkat_pendidikan_id,
        "jenis_jabatan_id": report.jenis_jabatan_id,
        "eselon_id": report.eselon_id,
        "unor_id": report.unor_id,
        "bup": report.bup,
        "tmt_pensiun": report.tmt_pensiun,
        "ikd": ikd,
    })
}

/// Compares every listed fact of every pegawai; returns the differences as readable lines.
pub fn differences(reports: &[Laporan], expected: &BTreeMap<String, Value>, skip: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let by_nip: BTreeMap<&str, &Laporan> = reports.iter().map(|report| (report.nip.as_str(), report)).collect();
    for (nip, want) in expected {
        let Some(report) = by_nip.get(nip.as_str()) else {
            out.push(format!("{nip}: missing"));
            continue;
        };
        let got = facts(report);
        for (key, got_value) in got.as_object().unwrap() {
            if skip.contains(&key.as_str()) {
                continue;
            }
            let mut want_value = want[key].clone();
            if key == "ikd" {
                let mut codes: Vec<String> =
                    want_value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
                codes.sort();
                want_value = serde_json::json!(codes);
            }
            if *got_value != want_value {
                out.push(format!("{nip} {key}: got {got_value}, want {want_value}"));
            }
        }
    }
    if reports.len() != expected.len() {
        out.push(format!("{} reports for {} expected pegawai", reports.len(), expected.len()));
    }
    out
}

#[test]
fn csv_export_gives_the_expected_facts_for_every_pegawai() {
    let bytes = std::fs::read(fixtures_dir().join("export-data-asn.csv")).unwrap();
    let tree = unor_tree();
    let (reports, file_warnings) = csv_reports(&bytes, Some(&tree));
    assert!(file_warnings.is_empty(), "{file_warnings:?}");
    assert_eq!(model::siasn::export::decode(&bytes).fatal, None);
    let warnings: Vec<_> = reports.iter().flat_map(|report| &report.warnings).collect();
    assert!(warnings.iter().all(|w| w.kind == model::WarningKind::InvalidNik), "clean fixture: {warnings:#?}");
    let diff = differences(&reports, &expected(), &[]);
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}

#[test]
fn csv_export_without_the_unor_table_guesses_eselon_from_the_jabatan_name() {
    let bytes = std::fs::read(fixtures_dir().join("export-data-asn.csv")).unwrap();
    let (reports, _) = csv_reports(&bytes, None);
    // Only the eselon of the one kepala sub bagian of a kecamatan-level unit (IV.b in ref-unor) differs; BUP,
    // TMT pensiun and the IKD codes (ACC_10 included) are the same.
    let diff = differences(&reports, &expected(), &[]);
    assert_eq!(diff, vec!["198706012017031001 eselon_id: got \"41\", want \"42\"".to_owned()]);
}

#[test]
fn ws_responses_give_the_expected_facts_for_every_pegawai() {
    let dir = fixtures_dir().join("ws");
    let tree = unor_tree();
    let eselon = |id: &str| tree.eselon_of(id).map(str::to_owned);
    let mut reports = Vec::new();
    for entry in std::fs::read_dir(dir.join("data-utama")).unwrap() {
        let path = entry.unwrap().path();
        let nip = Nip::clean(&path.file_stem().unwrap().to_string_lossy());
        let mut warnings = Vec::new();
        let mut body_of = |endpoint: &str| std::fs::read_to_string(dir.join(endpoint).join(format!("{nip}.json"))).ok();
        let pegawai = ws::decode_pegawai(&nip, &mut body_of, &mut warnings).unwrap();
        assert!(warnings.is_empty(), "{nip}: {warnings:#?}");
        let report = laporan(&pegawai, warnings, "ws".into(), today(), &eselon);
        // Data utama, riwayat golongan and SI-ASN's own BUP and TMT pensiun agree in the fixture.
        let unexpected: Vec<_> = report.warnings.iter().filter(|w| w.kind != model::WarningKind::InvalidNik).collect();
        assert!(unexpected.is_empty(), "{nip}: {unexpected:#?}");
        reports.push(report);
    }
    let diff = differences(&reports, &expected(), &[]);
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}
