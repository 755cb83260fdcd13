//! The generated files read back through `model`'s real decoders with no warning, and `model`'s IKD rules find
//! exactly the anomalies the generator injected: the generator and the rules agree.

use std::collections::BTreeSet;

use generator::{Config, Kabupaten, csv_bytes, generate, write_csv};
use model::inspect::{Laporan, laporan};
use model::siasn::lists::{UnorTree, decode_ref_unor};
use model::siasn::{export, ws};
use model::{Nip, Pegawai, WarningKind};

use crate::{body, config, kab_2000, today};

fn unor_tree(kab: &Kabupaten) -> UnorTree {
    let body = serde_json::json!({"code": 1, "data": kab.unor}).to_string();
    let mut warnings = Vec::new();
    let tree = UnorTree::new(decode_ref_unor(&body, &mut warnings), &mut warnings);
    assert!(warnings.is_empty(), "ref-unor: {warnings:#?}");
    assert_eq!(tree.len(), kab.unor.len());
    tree
}

/// The report of every pegawai read from the WS responses, asserting that decoding warns about nothing.
fn ws_reports(kab: &Kabupaten, tree: &UnorTree) -> Vec<Laporan> {
    let eselon = |id: &str| tree.eselon_of(id).map(str::to_owned);
    kab.pegawai
        .iter()
        .map(|generated| {
            let nip = Nip::clean(&generated.nip);
            let mut warnings = Vec::new();
            let mut body_of = |endpoint: &str| {
                let known = endpoint == "data-utama" || generated.riwayat.contains_key(endpoint);
                known.then(|| body(generated, endpoint))
            };
            let pegawai = ws::decode_pegawai(&nip, &mut body_of, &mut warnings).unwrap();
            assert!(warnings.is_empty(), "{nip}: {warnings:#?}");
            laporan(&pegawai, warnings, "ws".into(), today(), &eselon)
        })
        .collect()
}

/// The report of every CSV record, asserting that decoding warns about nothing.
fn csv_reports(bytes: &[u8], tree: &UnorTree) -> Vec<Laporan> {
    let decoded = export::decode(bytes);
    assert!(decoded.warnings.is_empty(), "file warnings: {:#?}", decoded.warnings);
    let eselon = |id: &str| tree.eselon_of(id).map(str::to_owned);
    decoded
        .records
        .into_iter()
        .map(|record| {
            assert!(record.warnings.is_empty(), "line {}: {:#?}", record.baris, record.warnings);
            let pegawai = Pegawai { data_utama: record.data_utama, ..Pegawai::default() };
            laporan(&pegawai, record.warnings, format!("baris {}", record.baris), today(), &eselon)
        })
        .collect()
}

/// Every report's IKD codes equal the injected ones, and the only other findings are the malformed-NIK warnings of
/// ACC_5 records.
fn assert_rules_agree(kab: &Kabupaten, reports: &[Laporan], source: &str) {
    assert_eq!(reports.len(), kab.pegawai.len(), "{source}");
    for (generated, report) in kab.pegawai.iter().zip(reports) {
        assert_eq!(report.nip, generated.nip, "{source}: order");
        let found: BTreeSet<&str> = report.ikd.iter().copied().collect();
        let injected: BTreeSet<&str> = generated.anomali.iter().copied().collect();
        assert_eq!(found, injected, "{source} {}: {:#?}", generated.nip, report.ikd_penjelasan);
        for warning in &report.warnings {
            assert!(
                warning.kind == WarningKind::InvalidNik && injected.contains("ACC_5"),
                "{source} {}: unexpected {warning:?}",
                generated.nip
            );
        }
    }
}

#[test]
fn the_csv_decodes_without_a_warning_and_the_rules_find_exactly_the_anomalies() {
    let bytes = csv_bytes(&config(2_000));
    let kab = kab_2000();
    let tree = unor_tree(kab);
    let reports = csv_reports(&bytes, &tree);
    assert_eq!(reports.len(), 2_000);
    assert_rules_agree(kab, &reports, "csv");
    let injected = kab.pegawai.iter().filter(|pegawai| !pegawai.anomali.is_empty()).count();
    // 5% of 2,000, give or take the binomial spread.
    assert!((60..=140).contains(&injected), "{injected} anomalous records");
}

#[test]
fn the_ws_responses_decode_without_a_warning_and_the_rules_find_exactly_the_anomalies() {
    let kab = kab_2000();
    let tree = unor_tree(kab);
    let reports = ws_reports(kab, &tree);
    assert_rules_agree(kab, &reports, "ws");
}

#[test]
fn every_ikd_code_can_be_injected_and_is_found_from_both_sources() {
    let config = Config { pegawai: 3_000, seed: 7, anomaly_rate: 0.6, ..Config::default() };
    let kab = generate(&config);
    let tree = unor_tree(&kab);
    let codes: BTreeSet<&str> = kab.pegawai.iter().flat_map(|pegawai| pegawai.anomali.iter().copied()).collect();
    let expected: BTreeSet<&str> = model::rules::ikd::EVALUATED.into_iter().collect();
    assert_eq!(codes, expected);
    assert!(kab.pegawai.iter().all(|pegawai| pegawai.anomali.len() <= 1));
    assert_rules_agree(&kab, &ws_reports(&kab, &tree), "ws");
    let mut bytes = Vec::new();
    write_csv(&kab, &mut bytes).unwrap();
    assert_rules_agree(&kab, &csv_reports(&bytes, &tree), "csv");
}

#[test]
fn a_clean_kabupaten_has_no_ikd_finding() {
    let config = Config { pegawai: 1_500, seed: 11, anomaly_rate: 0.0, ..Config::default() };
    let kab = generate(&config);
    let tree = unor_tree(&kab);
    let reports = ws_reports(&kab, &tree);
    let dirty: Vec<_> = reports.iter().filter(|report| !report.ikd.is_empty()).map(|report| &report.nip).collect();
    assert!(dirty.is_empty(), "{dirty:?}");
    assert!(reports.iter().all(|report| report.warnings.is_empty()));
}

#[test]
fn csv_and_ws_give_the_same_facts() {
    let kab = generate(&config(800));
    let tree = unor_tree(&kab);
    let mut bytes = Vec::new();
    write_csv(&kab, &mut bytes).unwrap();
    let from_csv = csv_reports(&bytes, &tree);
    let from_ws = ws_reports(&kab, &tree);
    for (csv, ws) in from_csv.iter().zip(&from_ws) {
        let facts = |report: &Laporan| {
            (
                report.jenis_asn,
                report.golongan_akhir_id.clone(),
                report.tmt_golongan,
                report.eselon_id.clone(),
                report.bup,
                report.tmt_pensiun,
                report.kp_berikutnya,
                report.unor_id.clone(),
            )
        };
        assert_eq!(facts(csv), facts(ws), "{}", csv.nip);
    }
}
