//! Tests of the record ↔ automerge mapping, with real `model::Pegawai` values.

use std::collections::BTreeMap;

use automerge::ReadDoc;
use model::pegawai::{DokumenRef, RiwayatGolongan};
use model::{DataUtama, JenisAsn, JenisKelamin, Nik, Nip, Pegawai, PnsId, Tanggal};
use serde_json::{Value, json};

use super::*;

const T0: i64 = 1_764_460_800_000;

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16])
}

fn date(year: i32, month: u32, day: u32) -> Option<Tanggal> {
    Tanggal::from_ymd_opt(year, month, day)
}

fn golongan(id: Option<&str>, golongan_id: &str, nama: &str, tmt: Option<Tanggal>) -> RiwayatGolongan {
    RiwayatGolongan {
        id: id.map(str::to_owned),
        golongan_id: Some(golongan_id.to_owned()),
        golongan: Some(nama.to_owned()),
        jenis_kp_id: Some("101".to_owned()),
        jenis_kp_nama: Some("Reguler".to_owned()),
        mk_golongan_tahun: Some(4),
        mk_golongan_bulan: Some(0),
        jumlah_kredit_utama: Some(112.5),
        sk_nomor: Some(format!("823.3/{golongan_id}/BKPSDM/2020")),
        sk_tanggal: tmt,
        tmt_golongan: tmt,
        ..Default::default()
    }
}

fn pegawai() -> Pegawai {
    let data_utama = DataUtama {
        pns_id: Some(PnsId::new("A8ACA7397AEB3912E040640A040269BB")),
        nip: Nip::new("198503152010012001"),
        nip_lama: Some("010123456".to_owned()),
        nama: "RATNA RAHMAWATI".to_owned(),
        gelar_depan: Some("dr.".to_owned()),
        gelar_belakang: Some("Sp.B.".to_owned()),
        tempat_lahir_id: Some("A5EB03E23BFBF6A0E040640A040252AD".to_owned()),
        tempat_lahir: Some("SLEMAN".to_owned()),
        tgl_lahir: date(1985, 3, 15),
        jenis_kelamin: Some(JenisKelamin::Perempuan),
        agama_id: Some("1".to_owned()),
        agama_nama: Some("Islam".to_owned()),
        status_kawin_id: Some("2".to_owned()),
        status_kawin_nama: Some("Menikah".to_owned()),
        nik: Some(Nik::new("3404015503850001")),
        valid_nik: Some(true),
        email: Some("ratna@example.org".to_owned()),
        no_hp: Some("081234567890".to_owned()),
        alamat: Some("Jl. Kaliurang Km 5, Sleman".to_owned()),
        jenis_pegawai_id: Some("4".to_owned()),
        jenis_pegawai_nama: Some("PNS Daerah Kabupaten/Kota".to_owned()),
        jenis_asn: Some(JenisAsn::Pns),
        kedudukan_hukum_id: Some("01".to_owned()),
        kedudukan_hukum_nama: Some("Aktif".to_owned()),
        nomor_sk_cpns: Some("813/001/2010".to_owned()),
        tgl_sk_cpns: date(2009, 12, 1),
        tmt_cpns: date(2010, 1, 1),
        tmt_pns: date(2011, 3, 1),
        golongan_awal_id: Some("31".to_owned()),
        golongan_akhir_id: Some("33".to_owned()),
        tmt_golongan: date(2018, 4, 1),
        mk_golongan_tahun: Some(12),
        mk_golongan_bulan: Some(3),
        jenis_jabatan_id: Some("2".to_owned()),
        jabatan_id: Some("8ae483a6-2a0c-11ea-9b1a-0050568f0a01".to_owned()),
        jabatan_nama: Some("Dokter Ahli Madya".to_owned()),
        tmt_jabatan: date(2019, 1, 2),
        tingkat_pendidikan_id: Some("50".to_owned()),
        pendidikan_nama: Some("S-2 SPESIALIS BEDAH".to_owned()),
        tahun_lulus: Some("2015".to_owned()),
        unor_id: Some("8ae483a6-5b11-0a2b-015b-1aa0b1c20001".to_owned()),
        unor_nama: Some("RSUD SLEMAN".to_owned()),
        instansi_induk_id: Some("A5EB03E23CD1F6A0E040640A040252AD".to_owned()),
        instansi_induk_nama: Some("Pemerintah Kab. Sleman".to_owned()),
        bup_siasn: Some(60),
        dokumen: vec![DokumenRef {
            dok_id: "872".to_owned(),
            dok_nama: Some("Dok SK Jabatan".to_owned()),
            dok_uri: Some("peremajaan/usulan/872.pdf".to_owned()),
            ..Default::default()
        }],
        raw: BTreeMap::from([
            ("tglLahir".to_owned(), "15-03-1985".to_owned()),
            ("noHp".to_owned(), "+62 812-3456-7890".to_owned()),
        ]),
        ..Default::default()
    };
    Pegawai {
        data_utama,
        riwayat_golongan: vec![
            golongan(Some("8ae48d-rg-01"), "31", "III/a", date(2010, 1, 1)),
            golongan(Some("8ae48d-rg-02"), "32", "III/b", date(2014, 4, 1)),
            golongan(Some("8ae48d-rg-03"), "33", "III/c", date(2018, 4, 1)),
        ],
        ..Default::default()
    }
}

fn pegawai_json() -> Value {
    serde_json::to_value(pegawai()).expect("a pegawai serializes")
}

/// The JSON without `null` object members: what a document holds (`null` and absent are the same).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn document_of(value: &Value) -> Document {
    let mut document = Document::new(actor(1));
    document.reconcile(value, Some("impor SI-ASN"), T0).expect("reconcile").expect("a first change");
    document
}

fn rows_of(value: &Value, field: &str) -> Vec<String> {
    value[field]
        .as_array()
        .expect("an array")
        .iter()
        .map(|row| row["id"].as_str().expect("a row id").to_owned())
        .collect()
}

/// Two replicas of `base` writing as actors 2 and 3.
fn two_replicas(base: &Document) -> (Document, Document) {
    let bytes = base.save();
    let a = Document::load(&bytes).expect("load").with_actor(actor(2));
    let b = Document::load(&bytes).expect("load").with_actor(actor(3));
    (a, b)
}

#[test]
fn a_pegawai_round_trips_through_save_and_load() {
    let original = pegawai();
    let value = pegawai_json();
    let document = document_of(&value);

    let loaded = Document::load(&document.save()).expect("load");
    let hydrated = loaded.hydrate();
    assert_eq!(hydrated, without_nulls(&value));
    assert_eq!(serde_json::from_value::<Pegawai>(hydrated).expect("a pegawai"), original);
    assert_eq!(loaded.hydrate_as::<Pegawai>().expect("typed hydrate"), original);
    assert_eq!(loaded.heads(), document.heads());
}

#[test]
fn reconcile_from_a_typed_value_matches_reconcile() {
    let mut typed = Document::new(actor(1));
    let hash = typed.reconcile_from(&pegawai(), None, T0).expect("reconcile").expect("a change");
    let untyped = document_of(&pegawai_json());
    assert_eq!(typed.hydrate(), untyped.hydrate());
    assert_eq!(typed.heads(), vec![hash]);
}

#[test]
fn reconciling_an_unchanged_value_makes_no_change() {
    let value = pegawai_json();
    let mut document = document_of(&value);
    let heads = document.heads();
    assert_eq!(document.reconcile(&value, Some("lagi"), T0 + 1).expect("reconcile"), None);
    assert_eq!(document.heads(), heads);

    // Also on a freshly loaded replica, and with the nulls already stripped.
    let mut loaded = Document::load(&document.save()).expect("load").with_actor(actor(2));
    assert_eq!(loaded.reconcile(&without_nulls(&value), None, T0 + 2).expect("reconcile"), None);
    assert_eq!(loaded.heads(), heads);
}

#[test]
fn a_one_field_change_is_one_small_change() {
    let mut value = pegawai_json();
    let mut document = document_of(&value);
    let heads = document.heads();

    value["data_utama"]["no_hp"] = json!("081298765432");
    let hash = document.reconcile(&value, Some("ubah nomor HP"), T0 + 60_000).expect("reconcile").expect("a change");

    let chunk = document.save_after(&heads);
    assert!(chunk.len() < 300, "a one-field chunk takes {} bytes", chunk.len());
    let changes = document.changes_since(&heads);
    assert_eq!(changes.len(), 1);
    assert_eq!(change_hash_of(&changes[0]).expect("a change"), hash);
    assert_eq!(document.heads(), vec![hash]);
    assert_eq!(document.hydrate()["data_utama"]["no_hp"], json!("081298765432"));

    let meta = document.automerge().get_change_meta_by_hash(&hash).expect("the change");
    assert_eq!(meta.timestamp, T0 + 60_000);
    assert_eq!(meta.message.as_deref(), Some("ubah nomor HP"));
}

#[test]
fn a_snapshot_and_its_chunks_load_to_the_latest_value() {
    let mut value = pegawai_json();
    let mut document = document_of(&value);
    let snapshot = document.save();
    let mut chunks = Vec::new();
    for (step, hp) in ["0811", "0812", "0813"].into_iter().enumerate() {
        let heads = document.heads();
        value["data_utama"]["no_hp"] = json!(hp);
        document.reconcile(&value, None, T0 + step as i64).expect("reconcile");
        chunks.push(document.save_after(&heads));
    }
    let loaded = Document::load_with_chunks(&snapshot, chunks.iter().map(Vec::as_slice)).expect("load");
    assert_eq!(loaded.hydrate(), without_nulls(&value));
    assert_eq!(loaded.heads(), document.heads());

    // A snapshot followed by its chunks in one buffer is also a valid save.
    let joined: Vec<u8> = snapshot.iter().chain(chunks.iter().flatten()).copied().collect();
    assert_eq!(Document::load(&joined).expect("load").heads(), document.heads());
}

#[test]
fn changes_applied_on_a_replica_reproduce_the_document() {
    let mut value = pegawai_json();
    let mut document = document_of(&value);
    let mut replica = Document::load(&document.save()).expect("load").with_actor(actor(2));
    let heads = document.heads();
    value["data_utama"]["email"] = json!("ratna.r@example.org");
    value["riwayat_golongan"][0]["sk_nomor"] = json!("823.3/31/BKPSDM/2010");
    document.reconcile(&value, None, T0 + 1).expect("reconcile");

    let outbox = document.changes_since(&heads);
    let hashes = document.change_hashes_since(&heads);
    assert_eq!(hashes.len(), 1);
    assert_eq!(change_hash_of(&outbox[0]).expect("a change"), hashes[0]);
    assert_eq!(document.change_bytes(&hashes[0]).as_ref(), Some(&outbox[0]));
    assert_eq!(document.change_hashes_since(&[]).len(), 2);
    replica.apply_changes(&outbox).expect("apply");
    replica.apply_changes(&outbox).expect("applying twice is harmless");
    assert_eq!(replica.hydrate(), document.hydrate());
    assert_eq!(replica.heads(), document.heads());
    assert!(replica.missing_deps().is_empty());
}

#[test]
fn a_deleted_row_and_a_concurrent_insert_merge_to_the_union_without_duplicates() {
    let base_value = pegawai_json();
    let base = document_of(&base_value);
    let (mut a, mut b) = two_replicas(&base);

    // Replica a deletes the middle row.
    let mut deleted = base_value.clone();
    deleted["riwayat_golongan"].as_array_mut().expect("rows").remove(1);
    a.reconcile(&deleted, Some("hapus"), T0 + 1).expect("reconcile").expect("a change");

    // Replica b inserts a row in front.
    let mut inserted = base_value.clone();
    let new_row = serde_json::to_value(golongan(Some("8ae48d-rg-00"), "21", "II/a", date(2006, 1, 1))).expect("row");
    inserted["riwayat_golongan"].as_array_mut().expect("rows").insert(0, new_row);
    b.reconcile(&inserted, Some("tambah"), T0 + 2).expect("reconcile").expect("a change");

    let mut b_copy = b.fork();
    a.merge(&mut b).expect("merge");
    b_copy.merge(&mut a.fork()).expect("merge");
    let merged = a.hydrate();
    assert_eq!(merged, b_copy.hydrate(), "both merge orders converge");

    let mut ids = rows_of(&merged, "riwayat_golongan");
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], "8ae48d-rg-00", "the inserted row comes first");
    ids.sort();
    assert_eq!(ids, ["8ae48d-rg-00", "8ae48d-rg-01", "8ae48d-rg-03"]);
    // Positions rewritten on both sides are internal: they are not conflicts to show.
    assert_eq!(a.conflicts(), []);
}

#[test]
fn concurrent_edits_of_one_field_are_listed_with_both_actors() {
    let base_value = pegawai_json();
    let base = document_of(&base_value);
    let (mut a, mut b) = two_replicas(&base);

    let mut value_a = base_value.clone();
    value_a["data_utama"]["golongan_akhir_id"] = json!("34");
    a.reconcile(&value_a, Some("KP reguler"), T0 + 10).expect("reconcile");
    let mut value_b = base_value.clone();
    value_b["data_utama"]["golongan_akhir_id"] = json!("41");
    b.reconcile(&value_b, Some("KP pilihan"), T0 + 20).expect("reconcile");

    a.merge(&mut b).expect("merge");
    let conflicts = a.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let conflict = &conflicts[0];
    assert_eq!(conflict.path, "data_utama.golongan_akhir_id");
    assert_eq!(
        conflict.segments,
        [PathSegment::Key("data_utama".into()), PathSegment::Key("golongan_akhir_id".into())]
    );
    assert_eq!(conflict.values.len(), 2);
    assert_eq!(conflict.values[0].value, a.hydrate()["data_utama"]["golongan_akhir_id"], "the winner comes first");
    let mut seen: Vec<(String, Value)> =
        conflict.values.iter().map(|value| (value.actor.clone(), value.value.clone())).collect();
    seen.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(seen, [(actor(2).to_hex_string(), json!("34")), (actor(3).to_hex_string(), json!("41"))]);
    let by_b = conflict.values.iter().find(|value| value.value == json!("41")).expect("b's value");
    assert_eq!(by_b.time_ms, Some(T0 + 20));
    assert_eq!(by_b.message.as_deref(), Some("KP pilihan"));

    // An unrelated edit keeps the conflict for the verifikator.
    let mut edited = a.hydrate();
    edited["data_utama"]["email"] = json!("baru@example.org");
    a.reconcile(&edited, None, T0 + 30).expect("reconcile").expect("a change");
    assert_eq!(a.conflicts().len(), 1);

    // Reconciling a chosen value that differs from the one shown clears it, on every replica once merged.
    let loser = conflict.values[1].value.clone();
    let mut chosen = a.hydrate();
    chosen["data_utama"]["golongan_akhir_id"] = loser.clone();
    a.reconcile(&chosen, Some("diverifikasi"), T0 + 40).expect("reconcile").expect("a change");
    assert_eq!(a.conflicts(), []);
    assert_eq!(a.hydrate()["data_utama"]["golongan_akhir_id"], loser);
    b.merge(&mut a).expect("merge");
    assert_eq!(b.conflicts(), []);
    assert_eq!(b.hydrate(), a.hydrate());
}

#[test]
fn resolve_keeps_the_shown_value_and_clears_the_conflict() {
    let base_value = pegawai_json();
    let base = document_of(&base_value);
    let (mut a, mut b) = two_replicas(&base);
    for (document, tmt) in [(&mut a, "2022-04-01"), (&mut b, "2022-10-01")] {
        let mut value = base_value.clone();
        value["riwayat_golongan"][2]["tmt_golongan"] = json!(tmt);
        document.reconcile(&value, None, T0 + 1).expect("reconcile");
    }
    a.merge(&mut b).expect("merge");

    let conflicts = a.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert_eq!(conflicts[0].path, "riwayat_golongan[8ae48d-rg-03].tmt_golongan");
    let shown = a.hydrate()["riwayat_golongan"][2]["tmt_golongan"].clone();
    assert_eq!(conflicts[0].values[0].value, shown);

    // Reconciling the shown value writes nothing; resolving it does.
    assert_eq!(a.reconcile(&a.hydrate(), None, T0 + 2).expect("reconcile"), None);
    a.resolve(&conflicts[0].segments, &shown, Some("diverifikasi"), T0 + 3).expect("resolve");
    assert_eq!(a.conflicts(), []);
    assert_eq!(a.hydrate()["riwayat_golongan"][2]["tmt_golongan"], shown);

    let missing = [PathSegment::Key("data_utama".into()), PathSegment::Key("tidak_ada".into())];
    assert!(a.resolve(&missing[..1], &json!(1), None, T0).is_ok(), "a key may be written anew");
    let bad_path = [PathSegment::Key("tidak_ada".into()), PathSegment::Key("x".into())];
    assert!(matches!(a.resolve(&bad_path, &json!(1), None, T0), Err(DocumentError::PathNotFound { .. })));
}

#[test]
fn row_order_is_preserved_and_reordering_is_a_change() {
    let mut value = pegawai_json();
    value["riwayat_golongan"].as_array_mut().expect("rows").reverse();
    let mut document = document_of(&value);
    let loaded = Document::load(&document.save()).expect("load");
    assert_eq!(rows_of(&loaded.hydrate(), "riwayat_golongan"), ["8ae48d-rg-03", "8ae48d-rg-02", "8ae48d-rg-01"]);

    value["riwayat_golongan"].as_array_mut().expect("rows").swap(0, 2);
    let heads = document.heads();
    document.reconcile(&value, None, T0 + 1).expect("reconcile").expect("a change");
    assert_eq!(rows_of(&document.hydrate(), "riwayat_golongan"), ["8ae48d-rg-01", "8ae48d-rg-02", "8ae48d-rg-03"]);
    assert!(document.save_after(&heads).len() < 300, "a reorder rewrites positions only");
}

#[test]
fn null_and_absent_are_the_same() {
    let with_null = json!({ "nama": "BUDI", "gelar_depan": null, "raw": {} });
    let without = json!({ "nama": "BUDI", "raw": {} });
    let mut document = document_of(&with_null);
    assert_eq!(document.hydrate(), without);
    assert_eq!(document.reconcile(&without, None, T0).expect("reconcile"), None);

    document.reconcile(&json!({ "nama": "BUDI", "gelar_depan": "Drs.", "raw": {} }), None, T0).expect("reconcile");
    assert_eq!(document.hydrate()["gelar_depan"], json!("Drs."));
    document.reconcile(&with_null, None, T0).expect("reconcile").expect("null deletes the key");
    assert_eq!(document.hydrate(), without);
    assert_eq!(document.reconcile(&without, None, T0).expect("reconcile"), None);
}

#[test]
fn corrupt_bytes_are_errors_not_panics() {
    assert!(matches!(Document::load(b"not an automerge document"), Err(DocumentError::Corrupt(_))));
    assert_eq!(Document::load(&[]).expect("empty bytes are an empty document").heads(), []);
    let saved = document_of(&pegawai_json()).save();
    assert!(matches!(Document::load(&saved[..saved.len() / 2]), Err(DocumentError::Corrupt(_))));

    // Chunks: garbage and a chunk cut short are errors, not a silent partial load.
    let mut value = pegawai_json();
    let mut source = document_of(&value);
    let heads = source.heads();
    value["data_utama"]["nama"] = json!("RATNA R.");
    source.reconcile(&value, None, T0 + 1).expect("reconcile");
    let chunk = source.save_after(&heads);
    let mut target = Document::load(&saved).expect("load");
    assert!(matches!(target.load_incremental(b"garbage"), Err(DocumentError::Corrupt(_))));
    assert!(matches!(target.load_incremental(&chunk[..chunk.len() - 1]), Err(DocumentError::Corrupt(_))));
    let mut two = chunk.clone();
    two.extend_from_slice(&chunk[..12]);
    assert!(matches!(target.load_incremental(&two), Err(DocumentError::Corrupt(_))));
    assert!(matches!(Document::load_with_chunks(&saved, [&chunk[..chunk.len() / 2]]), Err(DocumentError::Corrupt(_))));
    assert_eq!(target.heads(), heads, "failed loads change nothing");
    target.load_incremental(&chunk).expect("the whole chunk");
    target.load_incremental(&[]).expect("nothing to load");
    assert_eq!(target.hydrate(), source.hydrate());
    // A whole save loads incrementally too, into an empty document or over a copy.
    let mut empty = Document::new(actor(4));
    empty.load_incremental(&source.save()).expect("a save");
    assert_eq!(empty.heads(), source.heads());

    let mut document = Document::new(actor(1));
    let garbage: &[&[u8]] = &[b"garbage"];
    assert!(matches!(document.apply_changes(garbage), Err(DocumentError::InvalidChange { index: 0, .. })));
    assert!(matches!(change_hash_of(b"garbage"), Err(DocumentError::InvalidChange { .. })));

    // A damaged change that still decodes is caught by its checksum.
    let change = source.changes_since(&heads).remove(0);
    let mut damaged = change.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x01;
    assert!(matches!(document.apply_changes([&damaged]), Err(DocumentError::ChecksumMismatch { index: 0 })));
    assert!(matches!(change_hash_of(&damaged), Err(DocumentError::ChecksumMismatch { .. })));

    // Flipped and truncated bytes of a real save and change: any outcome but a panic.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for round in 0..300 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        for bytes in [&saved, &change] {
            let mut broken = bytes.clone();
            let at = (state as usize) % broken.len();
            broken[at] ^= 1 << (round % 8);
            if round % 3 == 0 {
                broken.truncate(at.max(1));
            }
            if let Ok(loaded) = Document::load(&broken) {
                let _ = (loaded.hydrate(), loaded.conflicts(), loaded.save());
            }
            let _ = change_hash_of(&broken);
            let mut target = Document::load(&saved).expect("load");
            let before = (target.heads(), target.hydrate());
            if target.apply_changes([&broken]).is_err() {
                assert_eq!((target.heads(), target.hydrate()), before, "a failed apply changes nothing");
            }
            if target.load_incremental(&broken).is_err() {
                assert_eq!(target.heads(), before.0, "a failed load changes nothing");
            }
            let _ = (target.hydrate(), target.conflicts(), target.save());
        }
    }
}

#[test]
fn crafted_changes_with_valid_checksums_do_not_panic() {
    use automerge::ExpandedChange;
    use automerge::legacy::{ElementId, Key, ObjectId, OpId};

    let mut value = pegawai_json();
    let base = document_of(&value);
    let mut source = Document::load(&base.save()).expect("load").with_actor(actor(5));
    let heads = source.heads();
    value["data_utama"]["nama"] = json!("RATNA R.");
    value["riwayat_golongan"][0]["golongan"] = json!("III/A");
    source.reconcile(&value, None, T0 + 1).expect("reconcile");
    let original = Change::try_from(source.changes_since(&heads)[0].as_slice()).expect("a change").decode();

    fn stranger() -> OpId {
        OpId(9_999, actor(7))
    }
    let mutations: [fn(&mut ExpandedChange); 8] = [
        |change| change.operations.iter_mut().for_each(|op| op.obj = ObjectId::Id(stranger())),
        |change| change.operations.iter_mut().for_each(|op| op.pred = vec![stranger()].into()),
        |change| {
            change.operations.iter_mut().for_each(|op| {
                op.key = Key::Seq(ElementId::Id(stranger()));
                op.insert = true;
            })
        },
        |change| change.operations.iter_mut().for_each(|op| op.obj = ObjectId::Root),
        |change| change.deps.clear(),
        |change| change.seq = 1,
        |change| change.start_op = std::num::NonZeroU64::MIN,
        |change| change.operations.reverse(),
    ];
    for (index, mutate) in mutations.iter().enumerate() {
        let mut crafted = original.clone();
        crafted.hash = None;
        mutate(&mut crafted);
        let raw = Change::from(crafted).raw_bytes().to_vec();
        let mut target = Document::load(&base.save()).expect("load").with_actor(actor(2));
        let before = (target.heads(), target.hydrate());
        match target.apply_changes([&raw]) {
            Ok(()) => {
                let _ = (target.hydrate(), target.conflicts(), target.save(), target.missing_deps());
            }
            Err(error) => {
                assert_eq!((target.heads(), target.hydrate()), before, "mutation {index}: {error}");
            }
        }
    }
}

#[test]
fn the_raw_map_is_an_object_even_with_marker_like_keys() {
    let mut value = pegawai_json();
    value["data_utama"]["raw"] = json!({
        "tglLahir": "31-02-1985",
        "_keyed": "true",
        "_urutan": "1",
        "__x": "two underscores",
    });
    let document = document_of(&value);
    let hydrated = Document::load(&document.save()).expect("load").hydrate();
    assert_eq!(hydrated["data_utama"]["raw"], value["data_utama"]["raw"]);
    let typed: Pegawai = serde_json::from_value(hydrated).expect("a pegawai");
    assert_eq!(typed.data_utama.raw.get("tglLahir").map(String::as_str), Some("31-02-1985"));

    // An empty raw map is an object too, never an empty keyed array.
    let empty = document_of(&json!({ "raw": {}, "rows": [] }));
    assert_eq!(empty.hydrate(), json!({ "raw": {}, "rows": [] }));
}

#[test]
fn a_row_without_id_gets_the_same_key_on_two_imports() {
    let mut value = pegawai_json();
    value["riwayat_golongan"][1]["id"] = Value::Null;
    value["riwayat_golongan"][2]["id"] = json!("");
    let first = document_of(&value);
    let mut second = Document::new(actor(9));
    second.reconcile(&without_nulls(&value), None, T0 + 5).expect("reconcile");

    let keys = |document: &Document| -> Vec<String> {
        let doc = document.automerge();
        let (_, container) = doc.get(automerge::ROOT, "riwayat_golongan").expect("get").expect("rows");
        doc.keys(&container).collect()
    };
    assert_eq!(keys(&first), keys(&second));
    let hashed: Vec<String> = keys(&first).into_iter().filter(|key| key.starts_with("_h")).collect();
    assert_eq!(hashed.len(), 2, "{:?}", keys(&first));
    assert!(hashed.iter().all(|key| key.len() == 18));
    assert_eq!(first.hydrate(), without_nulls(&value));

    // The canonical form ignores key order and null members.
    assert_eq!(row_hash(&json!({ "a": 1, "b": "x", "c": null })), row_hash(&json!({ "b": "x", "a": 1 })));
    assert_ne!(row_hash(&json!({ "a": 1 })), row_hash(&json!({ "a": "1" })));
    // Pinned (computed independently): changing the canonical form changes the keys of rows already stored.
    let mut fnv = Fnv1a64::new();
    fnv.bytes(b"a");
    assert_eq!(fnv.0, 0xaf63_dc4c_8601_ec8c, "the FNV-1a 64 test vector");
    assert_eq!(row_hash(&json!({})), 0xb8b1_8410_3b10_f3fa);
    assert_eq!(row_hash(&json!({ "b": "x", "a": 1 })), 0xd5f9_be8e_4b45_d325);
}

#[test]
fn repeated_ids_and_dokumen_refs_are_kept() {
    let value = json!({
        "dokumen": [
            { "dok_id": "872", "dok_nama": "SK Jabatan" },
            { "dok_id": "873", "dok_nama": "SK Pelantikan" },
        ],
        "rows": [
            { "id": "a", "x": 1 },
            { "id": "a", "x": 2 },
            { "id": "_b", "x": 3 },
        ],
    });
    let mut document = document_of(&value);
    assert_eq!(document.hydrate(), value);
    assert_eq!(document.reconcile(&value, None, T0).expect("reconcile"), None);
}

#[test]
fn arrays_without_ids_are_lists_written_whole() {
    let mut value = json!({
        "tags": ["a", "b", "c"],
        "events": [{ "jenis": "dibuat" }, { "jenis": "diajukan" }],
        "nested": [[1, 2], [3]],
        "mixed": [1, "dua", true, null, 2.5],
    });
    let mut document = document_of(&value);
    assert_eq!(document.hydrate(), value);
    assert_eq!(document.reconcile(&value, None, T0).expect("reconcile"), None);

    value["tags"] = json!(["a", "c"]);
    value["events"].as_array_mut().expect("events").push(json!({ "jenis": "diverifikasi" }));
    document.reconcile(&value, None, T0 + 1).expect("reconcile").expect("a change");
    assert_eq!(document.hydrate(), value);

    // Concurrent rewrites of one list: one whole list wins and the other shows as a conflict.
    let (mut a, mut b) = two_replicas(&document);
    value["tags"] = json!(["x"]);
    a.reconcile(&value, None, T0 + 2).expect("reconcile");
    value["tags"] = json!(["y", "z"]);
    b.reconcile(&value, None, T0 + 3).expect("reconcile");
    a.merge(&mut b).expect("merge");
    let tags = a.hydrate()["tags"].clone();
    assert!(tags == json!(["x"]) || tags == json!(["y", "z"]), "{tags}");
    let conflicts = a.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].path, "tags");
    assert_eq!(conflicts[0].values[0].value, tags);
}

#[test]
fn kinds_can_change_and_numbers_keep_their_type() {
    let mut document = document_of(&json!({ "v": [], "n": 1, "f": 1.5, "u": u64::MAX, "neg": -3 }));
    assert_eq!(document.hydrate(), json!({ "v": [], "n": 1, "f": 1.5, "u": u64::MAX, "neg": -3 }));
    for next in
        [json!({ "v": ["a"] }), json!({ "v": { "k": 1 } }), json!({ "v": "s" }), json!({ "v": [{ "id": "r" }] })]
    {
        document.reconcile(&next, None, T0).expect("reconcile").expect("a change");
        assert_eq!(document.hydrate(), next);
        assert_eq!(document.reconcile(&next, None, T0).expect("reconcile"), None);
    }
    // An integer-valued float stays a float, so a typed f64 field round trips.
    let float = json!({ "f": 112.0 });
    let mut document = document_of(&float);
    assert_eq!(document.hydrate(), float);
    assert_eq!(document.reconcile(&float, None, T0).expect("reconcile"), None);
}

#[test]
fn only_objects_are_documents() {
    let mut document = Document::new(actor(1));
    assert!(matches!(document.reconcile(&json!([1]), None, T0), Err(DocumentError::NotAnObject { found: "an array" })));
    assert!(document.heads().is_empty());
}
