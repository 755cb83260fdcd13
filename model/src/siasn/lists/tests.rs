//! Instansi lists and the unor tree against the shared fixture and hand-written dirty bodies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::*;
use crate::siasn::ws::decode_data_utama;

const REF_UNOR: &str = include_str!("../../../../../shared/fixtures/ws/ref-unor.json");
const EXPECTED: &str = include_str!("../../../../../shared/fixtures/expected.json");
const ROOT: &str = "8935C86DEA89B234E040640A30C333E2";
const SD_001: &str = "AA11C3D95BA3F5C3E040640A0981775E";
const DINAS_PENDIDIKAN: &str = "E0D4DBF3E5399F09E040640A4127123C";
const SEKDA: &str = "3EE20AA94236AE48E040640A72FD9170";

fn date(y: i32, m: u32, d: u32) -> Option<Tanggal> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn fixture_tree() -> UnorTree {
    let mut warnings = Vec::new();
    let units = decode_ref_unor(REF_UNOR, &mut warnings);
    let tree = UnorTree::new(units, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    tree
}

fn unit(id: &str, above: Option<&str>) -> Unor {
    Unor {
        id: id.to_owned(),
        diatasan_id: above.map(str::to_owned),
        nama_unor: Some(format!("UNOR {id}")),
        ..Unor::default()
    }
}

fn ids<'a>(units: &[&'a Unor]) -> Vec<&'a str> {
    units.iter().map(|unit| unit.id.as_str()).collect()
}

#[test]
fn ref_unor_fixture_decodes_and_builds_one_tree() {
    let tree = fixture_tree();
    assert_eq!(tree.len(), 321);
    assert_eq!(ids(&tree.roots()), [ROOT]);
    assert_eq!(tree.parent(ROOT), None);
    let root = tree.get(ROOT).unwrap();
    assert_eq!(root.nama_unor.as_deref(), Some("PEMERINTAH KABUPATEN CONTOH SELATAN"));
    assert_eq!(root.nama_jabatan.as_deref(), Some("BUPATI CONTOH SELATAN"));
    assert_eq!(root.cepat_kode.as_deref(), Some("6412"));
    assert_eq!(
        (root.eselon_id.as_deref(), root.diatasan_id.as_deref(), root.pemimpin_pns_id.as_deref()),
        (None, None, None)
    );

    let opd = tree.opd_of(SD_001).unwrap();
    assert_eq!(opd.id, DINAS_PENDIDIKAN);
    assert_eq!(opd.nama_unor.as_deref(), Some("DINAS PENDIDIKAN DAN KEBUDAYAAN"));
    assert_eq!(ids(&tree.path(SD_001)), [ROOT, DINAS_PENDIDIKAN, SD_001]);
    assert_eq!(tree.parent(SD_001).map(|unit| unit.id.as_str()), Some(DINAS_PENDIDIKAN));
    assert_eq!(tree.opd_of(DINAS_PENDIDIKAN).map(|unit| unit.id.as_str()), Some(DINAS_PENDIDIKAN));
    assert_eq!(tree.opd_of(ROOT), None);
    assert_eq!(tree.opd_of("no such unit"), None);
    assert!(tree.path("no such unit").is_empty());

    assert_eq!(tree.eselon_of(SEKDA), Some("21"));
    assert_eq!(tree.eselon_of(DINAS_PENDIDIKAN), Some("22"));
    assert_eq!(tree.eselon_of(SD_001), None);
    let sekda = tree.get(SEKDA).unwrap();
    assert_eq!(sekda.pemimpin_pns_id.as_deref(), Some("93478C2539A8E7D8E040640AE50C628D"));
    assert_eq!(sekda.induk_unor_id.as_deref(), Some(SEKDA));

    let all = tree.subtree(ROOT);
    assert_eq!(all.len(), 321);
    assert_eq!(all[0], ROOT);
    let dinas = tree.subtree(DINAS_PENDIDIKAN);
    assert!(dinas.contains(&SD_001) && !dinas.contains(&ROOT));
    assert_eq!(tree.subtree(SD_001), [SD_001]);
    assert!(tree.children(DINAS_PENDIDIKAN).iter().any(|unit| unit.id == SD_001));
}

#[test]
fn opd_counts_match_expected_json() {
    let tree = fixture_tree();
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    let ws = fixture_ws();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut warnings = Vec::new();
    for nip in expected["pegawai"].as_object().unwrap().keys() {
        let body = std::fs::read_to_string(ws.join("data-utama").join(format!("{nip}.json"))).unwrap();
        let utama = decode_data_utama(&body, &Nip::new(nip.as_str()), &mut warnings).unwrap();
        let unor_id = utama.unor_id.unwrap();
        let opd = tree.opd_of(&unor_id).unwrap_or_else(|| panic!("{nip}: unor {unor_id} has no OPD"));
        *counts.entry(opd.nama_unor.clone().unwrap()).or_default() += 1;
    }
    let want: BTreeMap<String, u64> = serde_json::from_value(expected["summary"]["by_opd"].clone()).unwrap();
    assert_eq!(counts, want);
    assert!(warnings.is_empty(), "{warnings:?}");
}

fn fixture_ws() -> PathBuf {
    let shared = std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("fixtures/ws")
}

#[test]
fn cyclic_tree_is_cut_and_reported() {
    // R is the root; B's parent is A, C's is B, A's is C: a cycle hanging nowhere. D hangs under A; E points at
    // itself; F at a ghost; G is twice.
    let units = vec![
        unit("R", None),
        unit("B", Some("A")),
        unit("C", Some("B")),
        unit("A", Some("C")),
        unit("D", Some("A")),
        unit("E", Some("E")),
        unit("F", Some("GHOST")),
        unit("G", Some("R")),
        unit("G", Some("D")),
    ];
    let mut warnings = Vec::new();
    let tree = UnorTree::new(units, &mut warnings);
    let seen: Vec<(&str, &str, WarningKind)> =
        warnings.iter().map(|w| (w.record.as_str(), w.field.as_str(), w.kind)).collect();
    assert_eq!(
        seen,
        [
            ("unor G", "Id", WarningKind::DuplicateRecord),
            ("unor E", "DiatasanId", WarningKind::UnexpectedShape),
            ("unor F", "DiatasanId", WarningKind::UnknownCode),
            ("unor A", "DiatasanId", WarningKind::UnexpectedShape),
        ]
    );
    assert!(warnings[3].message.contains("B → A → C → B"), "{}", warnings[3].message);
    // A, the smallest id of the cycle, lost its parent: the cycle is now the chain A ← B ← C.
    assert_eq!(tree.parent("A"), None);
    assert_eq!(ids(&tree.path("B")), ["A", "B"]);
    assert_eq!(ids(&tree.path("C")), ["A", "B", "C"]);
    assert_eq!(ids(&tree.path("D")), ["A", "D"]);
    assert_eq!(tree.opd_of("C").map(|unit| unit.id.as_str()), Some("B"));
    assert_eq!(ids(&tree.path("E")), ["E"]);
    assert_eq!(ids(&tree.path("F")), ["F"]);
    assert_eq!(ids(&tree.path("G")), ["R", "G"], "the first G wins");
    let mut roots = ids(&tree.roots());
    roots.sort_unstable();
    assert_eq!(roots, ["A", "E", "F", "R"]);
    let mut below_a = tree.subtree("A");
    below_a.sort_unstable();
    assert_eq!(below_a, ["A", "B", "C", "D"]);
    assert_eq!(tree.len(), 9);
}

#[test]
fn two_node_cycle_and_everything_cyclic_terminate() {
    let mut warnings = Vec::new();
    let tree = UnorTree::new(vec![unit("X", Some("Y")), unit("Y", Some("X"))], &mut warnings);
    assert_eq!(warnings.len(), 1);
    assert_eq!(ids(&tree.path("X")), ["X"]);
    assert_eq!(ids(&tree.path("Y")), ["X", "Y"]);
    assert_eq!(tree.subtree("X"), ["X", "Y"]);

    let many: Vec<Unor> = (0..500).map(|n| unit(&format!("{n:03}"), Some(&format!("{:03}", (n + 1) % 500)))).collect();
    let mut warnings = Vec::new();
    let tree = UnorTree::new(many, &mut warnings);
    assert_eq!(warnings.len(), 1);
    assert_eq!(tree.path("250").len(), 251, "000 was cut: 000 ← 499 ← … ← 250");
    assert_eq!(tree.subtree("000").len(), 500);
}

#[test]
fn ref_unor_dirty_rows() {
    let body = r#"{"code":1,"data":[
        {"id":"r","NAMA_UNOR":"ROOT","diatasanId":""},
        {"Id":"c","DiatasanId":"r","EselonId":41,"CepatKode":641201,"NamaUnor":"  ANAK  ","PemimpinPnsId":"undefined"},
        {"NamaUnor":"TANPA ID"},
        ["not", "an", "object"]
    ]}"#;
    let mut warnings = Vec::new();
    let units = decode_ref_unor(body, &mut warnings);
    assert_eq!(units.len(), 3);
    assert_eq!(units[0].nama_unor.as_deref(), Some("ROOT"));
    assert_eq!(units[0].diatasan_id, None);
    assert_eq!(units[1].eselon_id.as_deref(), Some("41"));
    assert_eq!(units[1].cepat_kode.as_deref(), Some("641201"));
    assert_eq!(units[1].nama_unor.as_deref(), Some("ANAK"));
    assert_eq!(units[1].pemimpin_pns_id, None);
    assert_eq!(units[2].id, "");
    let seen: Vec<(&str, &str, WarningKind)> =
        warnings.iter().map(|w| (w.record.as_str(), w.field.as_str(), w.kind)).collect();
    assert_eq!(
        seen,
        [
            ("unor ref-unor[2]", "Id", WarningKind::MissingValue),
            ("ref-unor[3]", "ref-unor[3]", WarningKind::UnexpectedShape)
        ]
    );
    let mut warnings = Vec::new();
    let tree = UnorTree::new(units, &mut warnings);
    assert!(warnings.is_empty());
    assert_eq!(ids(&tree.path("c")), ["r", "c"]);
    assert_eq!(tree.len(), 3);
    assert_eq!(tree.roots().len(), 1, "the row without an id is not indexed");
}

#[test]
fn list_kp_mixed_keys_and_number_types() {
    let body = r#"{"code":1,"count":2,"data":[
        {"id":"u1","pnsId":"P1","nipBaru":"198501012010011001","nama":"BUDI CONTOH","statusUsulan":"21",
         "statusUsulanNama":"Sudah TTE Pertek","golonganBaruId":"34","tmtKp":"01-04-2024","no_pertek":"MG-0000000001",
         "tgl_pertek":"15-03-2024","no_sk":"800/1","tgl_sk":"2024-03-20 00:00:00","path_ttd_pertek":"a/b.pdf",
         "path_ttd_sk":null,"path_preview_sk":"undefined","gaji_pokok_lama":"3000000","gaji_pokok_baru":3100000,
         "masa_kerja_tahun":"12","masa_kerja_bulan":1,"jenis_kp":"101","jenis_prosedur":"1"},
        {"ID":"u2","NIP_BARU":"'198501012010011002","gaji_pokok_baru":"tiga juta","tmtKp":"2024-13-01"}
    ]}"#;
    let mut warnings = Vec::new();
    let list = decode_list_kp(body, &mut warnings);
    assert_eq!(list.len(), 2);
    let kp = &list[0];
    assert_eq!(kp.id.as_deref(), Some("u1"));
    assert_eq!(kp.pns_id.as_deref(), Some("P1"));
    assert_eq!(kp.nip.as_ref().map(Nip::as_str), Some("198501012010011001"));
    assert_eq!(kp.status_usulan.as_deref(), Some("21"));
    assert_eq!(kp.golongan_baru_id.as_deref(), Some("34"));
    assert_eq!(kp.tmt_kp, date(2024, 4, 1));
    assert_eq!(kp.no_pertek.as_deref(), Some("MG-0000000001"));
    assert_eq!(kp.tgl_pertek, date(2024, 3, 15));
    assert_eq!(kp.tgl_sk, date(2024, 3, 20));
    assert_eq!(
        (kp.path_ttd_pertek.as_deref(), kp.path_ttd_sk.as_deref(), kp.path_preview_sk.as_deref()),
        (Some("a/b.pdf"), None, None)
    );
    assert_eq!((kp.gaji_pokok_lama, kp.gaji_pokok_baru), (Some(3_000_000), Some(3_100_000)));
    assert_eq!((kp.masa_kerja_tahun, kp.masa_kerja_bulan), (Some(12), Some(1)));
    assert_eq!((kp.jenis_kp.as_deref(), kp.jenis_prosedur.as_deref()), (Some("101"), Some("1")));
    assert!(kp.raw.is_empty());
    let dirty = &list[1];
    assert_eq!(dirty.nip.as_ref().map(Nip::as_str), Some("198501012010011002"));
    assert_eq!(dirty.gaji_pokok_baru, None);
    assert_eq!(dirty.raw.get("gaji_pokok_baru").map(String::as_str), Some("tiga juta"));
    let seen: Vec<(&str, &str, WarningKind)> =
        warnings.iter().map(|w| (w.record.as_str(), w.field.as_str(), w.kind)).collect();
    assert_eq!(
        seen,
        [
            ("usulan u2", "tmtKp", WarningKind::InvalidDate),
            ("usulan u2", "gaji_pokok_baru", WarningKind::InvalidNumber)
        ]
    );
}

#[test]
fn list_pensiun_sample_and_both_tmt_formats() {
    let body = r#"{"code":1,"data":[
        {"id":"00000000-0000-4000-8000-0000000000aa","nama":"BUDI CONTOH","statusUsulan":"32","statusUsulanNama":"Sudah TTE SK",
         "pnsId":"A5EB0000000000000000000000000001","nipBaru":"196701012000011001","pertekNomor":"PH-00000000000",
         "pertekTgl":"03-07-2024","skNomor":"800.1.6.3/0000/000/2024","skTgl":"30-07-2024","pathSk":"sk.pdf",
         "pathPertek":"pertek.pdf","pathSkPreview":"","instansiId":"I","instansiNama":"Pemerintah Provinsi Contoh",
         "detailLayananNama":"BUP KPP","tglLahir":"01-01-1967","golonganId":"34","golonganKppId":"41","tmtPensiun":"01-04-2025"},
        {"id":"b","tmtPensiun":"2025-04-01 00:00:00","golonganId":34}
    ]}"#;
    let mut warnings = Vec::new();
    let list = decode_list_pensiun(body, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let p = &list[0];
    assert_eq!(p.status_usulan.as_deref(), Some("32"));
    assert_eq!(p.status_usulan_nama.as_deref(), Some("Sudah TTE SK"));
    assert_eq!(p.nip.as_ref().map(Nip::as_str), Some("196701012000011001"));
    assert_eq!(p.pertek_nomor.as_deref(), Some("PH-00000000000"));
    assert_eq!(p.pertek_tgl, date(2024, 7, 3));
    assert_eq!(p.sk_tgl, date(2024, 7, 30));
    assert_eq!(
        (p.path_sk.as_deref(), p.path_pertek.as_deref(), p.path_sk_preview.as_deref()),
        (Some("sk.pdf"), Some("pertek.pdf"), None)
    );
    assert_eq!(p.detail_layanan_nama.as_deref(), Some("BUP KPP"));
    assert_eq!(p.tgl_lahir, date(1967, 1, 1));
    assert_eq!((p.golongan_id.as_deref(), p.golongan_kpp_id.as_deref()), (Some("34"), Some("41")));
    assert_eq!(p.tmt_pensiun, date(2025, 4, 1));
    assert_eq!(p.instansi_nama.as_deref(), Some("Pemerintah Provinsi Contoh"));
    assert_eq!(list[1].tmt_pensiun, date(2025, 4, 1));
    assert_eq!(list[1].golongan_id.as_deref(), Some("34"));
}

#[test]
fn list_envelopes() {
    let row = r#"{"id":"u","nama":"X"}"#;
    for body in [
        format!(r#"{{"code":1,"data":[{row}]}}"#),
        format!(r#"{{"code":1,"data":{{"count":1,"data":[{row}]}}}}"#),
        format!(r#"{{"code":1,"data":{{"results":[{row}]}}}}"#),
        format!("[{row}]"),
    ] {
        let mut warnings = Vec::new();
        let list = decode_list_kp(&body, &mut warnings);
        assert_eq!(list.len(), 1, "{body}");
        assert!(warnings.is_empty(), "{body}");
    }
    for body in [r#"{"code":0,"data":"Data tidak ditemukan"}"#, "", r#"{"code":1,"data":{"count":0,"data":null}}"#] {
        let mut warnings = Vec::new();
        assert!(decode_list_pensiun(body, &mut warnings).is_empty(), "{body}");
        assert!(warnings.is_empty(), "{body}");
    }
    for body in [
        "{\"code\":1,\"data\":[{",
        r#"{"code":1,"data":{"count":3}}"#,
        r#"{"code":1,"data":"x"}"#,
        r#"{"code":1,"data":5}"#,
    ] {
        let mut warnings = Vec::new();
        assert!(decode_ref_unor(body, &mut warnings).is_empty(), "{body}");
        assert_eq!(warnings.len(), 1, "{body}: {warnings:?}");
        assert_eq!(warnings[0].record, "ref-unor", "{body}");
    }
}

#[test]
fn list_items_round_trip_through_json() {
    let mut warnings = Vec::new();
    let units = decode_ref_unor(REF_UNOR, &mut warnings);
    let json = serde_json::to_string(&units[..3]).unwrap();
    let back: Vec<Unor> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, units[..3]);
    let schema = schemars::schema_for!(UsulanPensiun);
    assert!(serde_json::to_string(&schema).unwrap().contains("tmt_pensiun"));
}
