//! The replica end to end on generated kabupaten data: import, search, filters, pages, facets, profiles,
//! re-import, rebuild, quarantine and concurrent readers.

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::Duration;

use chrono::NaiveDate;
use model::siasn::{export, lists, ws};
use model::{Nip, Pegawai};
use store::import::{ImportOptions, import_pegawai, replace_unor};
use store::query::{self, Filter, Urutan};
use store::{Replica, projection};

use crate::{TempDir, open};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn config(pegawai: usize) -> generator::Config {
    generator::Config { pegawai, seed: 7, today: today(), ..generator::Config::default() }
}

fn options(replica: &Replica) -> ImportOptions {
    ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:test".into()),
        now_ms: 1_764_460_800_000,
        batch: 500,
        message: "impor uji".into(),
        threads: 0,
    }
}

/// Generated pegawai through the real CSV decoder, plus the unor tree.
fn import_generated(replica: &Replica, count: usize) -> (generator::Kabupaten, Vec<Pegawai>) {
    let kabupaten = generator::generate(&config(count));
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    let decoded = export::decode(&csv);
    let pegawai: Vec<Pegawai> = decoded
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect();
    let mut warnings = Vec::new();
    let units =
        lists::decode_ref_unor(&serde_json::json!({"code": 1, "data": kabupaten.unor}).to_string(), &mut warnings);
    replace_unor(replica, units).unwrap();
    let report = import_pegawai(replica, pegawai.clone(), &options(replica), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, count);
    (kabupaten, pegawai)
}

fn all_pages(replica: &Replica, filter: &Filter, urutan: Urutan, page: usize) -> Vec<query::PegawaiRingkas> {
    let reader = replica.reader().unwrap();
    let mut rows = Vec::new();
    let mut after = None;
    for _ in 0..10_000 {
        let halaman = query::list(&reader, filter, urutan, after.as_ref(), page, today()).unwrap();
        rows.extend(halaman.rows);
        match halaman.berikutnya {
            Some(next) => after = Some(next),
            None => return rows,
        }
    }
    panic!("pagination did not end");
}

#[test]
fn an_import_is_searchable_filterable_and_pages_cover_every_row_once() {
    let dir = TempDir::new("import");
    let replica = open(&dir);
    let (_, pegawai) = import_generated(&replica, 1_500);
    let reader = replica.reader().unwrap();

    // Exact NIP first.
    let target = &pegawai[123].data_utama;
    let hits = query::search(&reader, target.nip.as_str(), 20, today()).unwrap();
    assert_eq!(hits[0].nip, target.nip.as_str());
    // A NIP prefix finds it among others.
    let hits = query::search(&reader, &target.nip.as_str()[..10], 50, today()).unwrap();
    assert!(hits.iter().all(|hit| hit.nip.starts_with(&target.nip.as_str()[..10])));
    // A three-letter prefix of the first name, in lower case, finds pegawai whose name has a word with it.
    let first = target.nama.split_whitespace().next().unwrap();
    let prefix: String = first.chars().take(3).collect::<String>().to_lowercase();
    let hits = query::search(&reader, &prefix, 50, today()).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|hit| {
        let haystack = format!(
            "{} {} {}",
            hit.nama_lengkap,
            hit.jabatan_nama.clone().unwrap_or_default(),
            hit.unor_nama.clone().unwrap_or_default()
        )
        .to_uppercase();
        haystack.split(|c: char| !c.is_alphanumeric()).any(|word| word.starts_with(&prefix.to_uppercase()))
    }));
    // Name and jabatan together.
    let jabatan_word = target.jabatan_nama.as_deref().unwrap().split_whitespace().next().unwrap();
    let hits = query::search(&reader, &format!("{first} {jabatan_word}"), 50, today()).unwrap();
    assert!(hits.iter().any(|hit| hit.nip == target.nip.as_str()), "{first} {jabatan_word}");

    // Pages cover every row exactly once, in order, for every sort.
    for urutan in [Urutan::Nama, Urutan::Nip, Urutan::Golongan, Urutan::TmtPensiun] {
        let rows = all_pages(&replica, &Filter::default(), urutan, 97);
        assert_eq!(rows.len(), 1_500, "{urutan:?}");
        let unique: BTreeSet<i64> = rows.iter().map(|row| row.rowid).collect();
        assert_eq!(unique.len(), 1_500, "{urutan:?}");
        if urutan == Urutan::Nama {
            assert!(rows.windows(2).all(|pair| pair[0].nama <= pair[1].nama));
        }
    }

    // A filter and its facets agree with a count over the imported data.
    let filter = Filter { jenis_asn: vec!["PPPK".into()], ..Filter::default() };
    let rows = all_pages(&replica, &filter, Urutan::Nama, 50);
    let expected = pegawai.iter().filter(|p| p.data_utama.jenis_asn == Some(model::JenisAsn::Pppk)).count();
    assert_eq!(rows.len(), expected);
    let facets = query::facets(&reader, &Filter::default(), today()).unwrap();
    assert_eq!(facets.total, 1_500);
    assert_eq!(facets.jenis_asn.iter().find(|(jenis, _)| jenis == "PPPK").unwrap().1, expected as i64);

    // Anomalies today include the date-dependent ones the generator injected.
    let with_anomaly = all_pages(&replica, &Filter { ada_anomali: Some(true), ..Filter::default() }, Urutan::Nama, 200);
    assert_eq!(with_anomaly.len() as i64, facets.ada_anomali);
    let tim5 = all_pages(&replica, &Filter { ikd: Some("TIM_5".into()), ..Filter::default() }, Urutan::Nama, 200);
    assert!(!tim5.is_empty());
    assert!(tim5.iter().all(|row| row.tmt_pensiun.as_deref().unwrap() <= "2026-11-30"));

    // A unor subtree filter returns only pegawai under it.
    let unor = target.unor_id.clone().unwrap();
    let in_unor = all_pages(&replica, &Filter { unor: Some(unor.clone()), ..Filter::default() }, Urutan::Nama, 50);
    assert!(in_unor.iter().any(|row| row.nip == target.nip.as_str()));

    // The profile hydrates the document back.
    let profil = query::profil(&reader, target.nip.as_str()).unwrap();
    assert_eq!(profil.pegawai.data_utama, *target);
}

#[test]
fn reimporting_the_same_data_changes_nothing_and_one_edit_changes_one_field() {
    let dir = TempDir::new("reimport");
    let replica = open(&dir);
    let (_, mut pegawai) = import_generated(&replica, 300);
    // Imported SI-ASN data is not an officer's edit: nothing to push.
    let outbox_before = store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0;
    assert_eq!(outbox_before, 0);

    let report = import_pegawai(&replica, pegawai.clone(), &options(&replica), &mut |_| {}).unwrap();
    assert_eq!((report.inserted, report.updated, report.unchanged), (0, 0, 300));
    assert_eq!(store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0, 0);
    let seeds: i64 = replica
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM document WHERE seed IS NOT NULL", [], |row| row.get(0))
        .unwrap();
    assert_eq!(seeds, 300, "an unchanged re-import leaves the seeds unbuilt");

    // The edit materialises that one document (its first change is the seed's) and queues one change.
    pegawai[5].data_utama.no_hp = Some("081234567890".into());
    let report = import_pegawai(&replica, pegawai.clone(), &options(&replica), &mut |_| {}).unwrap();
    assert_eq!((report.inserted, report.updated, report.unchanged), (0, 1, 299));
    assert_eq!(store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0, 1);
    let (seeds, chunks): (i64, i64) = replica
        .reader()
        .unwrap()
        .query_row("SELECT count(seed), sum(chunk_count) FROM document", [], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    assert_eq!((seeds, chunks), (299, 0), "the first write stores a whole save, not a chunk");
    let profil = query::profil(&replica.reader().unwrap(), pegawai[5].data_utama.nip.as_str()).unwrap();
    assert_eq!(profil.pegawai.data_utama.no_hp.as_deref(), Some("081234567890"));
}

/// Every projection table as text, for comparing two builds.
fn dump_projections(replica: &Replica) -> String {
    let reader = replica.reader().unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT * FROM pegawai ORDER BY document_rowid",
        "SELECT * FROM ikd_anomali ORDER BY document_rowid, kode",
        "SELECT * FROM field_conflict ORDER BY document_rowid, path",
    ] {
        let mut statement = reader.prepare(sql).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for index in 0..columns {
                let value: rusqlite::types::Value = row.get(index).unwrap();
                out.push_str(&format!("{value:?}|"));
            }
            out.push('\n');
        }
    }
    // FTS: what a few searches return.
    for word in ["guru", "dinas", "ahm", "sri", "19"] {
        let hits = query::search(&reader, word, 30, today()).unwrap();
        out.push_str(&format!("{word}: {:?}\n", hits.iter().map(|hit| hit.rowid).collect::<Vec<_>>()));
    }
    out
}

#[test]
fn projections_rebuilt_from_documents_alone_are_identical() {
    let dir = TempDir::new("rebuild");
    let replica = open(&dir);
    import_generated(&replica, 800);
    let before = dump_projections(&replica);
    assert!(before.lines().count() > 800);
    let rebuilt = projection::rebuild_projections(&replica, 128, &mut |_| {}).unwrap();
    assert_eq!(rebuilt.documents, 800);
    assert!(rebuilt.quarantined.is_empty());
    assert_eq!(dump_projections(&replica), before);
}

#[test]
fn a_corrupt_document_is_quarantined_and_the_replica_still_opens() {
    let dir = TempDir::new("corrupt");
    let path = dir.0.join("replika.sqlite");
    let (seed_nip, saved_nip);
    {
        let replica = open(&dir);
        let (_, pegawai) = import_generated(&replica, 50);
        seed_nip = pegawai[10].data_utama.nip.to_string();
        saved_nip = pegawai[20].data_utama.nip.to_string();
        // A corrupt seed is found when the documents are built after the import.
        replica
            .write(|tx| {
                tx.execute(
                    "UPDATE document SET seed = x'deadbeef' \
                     WHERE rowid = (SELECT document_rowid FROM pegawai WHERE nip = ?1)",
                    [&seed_nip],
                )?;
                Ok(())
            })
            .unwrap();
        let built = store::document::compact_imported(&replica, 16, &mut |_| {}).unwrap();
        assert_eq!(built, 50);
    }
    {
        // A corrupt save is found by the integrity check.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE document SET snapshot = x'deadbeef' WHERE rowid = (SELECT document_rowid FROM pegawai WHERE nip = ?1)",
            [&saved_nip],
        )
        .unwrap();
    }
    let replica = store::Replica::open(&path, store::OpenOptions::default()).unwrap();
    let report = store::integrity::check(&replica).unwrap();
    assert!(report.sqlite_ok);
    assert_eq!(report.quarantined.len(), 2, "{report:?}");
    assert_eq!(report.documents, 48);
    // The other 48 are still there and searchable; the quarantined ones are out of the projections.
    let reader = replica.reader().unwrap();
    for nip in [&seed_nip, &saved_nip] {
        assert!(matches!(query::profil(&reader, nip), Err(store::Error::NotFound(_))));
    }
    assert_eq!(query::facets(&reader, &Filter::default(), today()).unwrap().total, 48);
    assert!(!report.is_healthy());
}

#[test]
fn a_reader_is_not_blocked_by_a_write_batch_in_progress() {
    let dir = TempDir::new("concurrency");
    let replica = open(&dir);
    import_generated(&replica, 100);
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let replica = &replica;
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            replica
                .write(|tx| {
                    tx.execute("UPDATE pegawai SET nama = nama || '' WHERE document_rowid < 50", [])?;
                    started_tx.send(()).unwrap();
                    // Hold the write transaction open until the reader has finished.
                    release_rx.recv_timeout(Duration::from_secs(30)).unwrap();
                    Ok(())
                })
                .unwrap();
        });
        started_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        // The write transaction is open now; a reader must still answer.
        let reader = replica.reader().unwrap();
        let total = query::facets(&reader, &Filter::default(), today()).unwrap().total;
        assert_eq!(total, 100);
        release_tx.send(()).unwrap();
        writer.join().unwrap();
    });
}

#[test]
fn a_ws_import_keeps_every_riwayat() {
    let dir = TempDir::new("ws");
    let replica = open(&dir);
    let kabupaten = generator::generate(&config(60));
    let mut pegawai = Vec::new();
    for generated in &kabupaten.pegawai {
        let nip = Nip::clean(&generated.nip);
        let mut warnings = Vec::new();
        let mut body_of = |endpoint: &str| -> Option<String> {
            if endpoint == "data-utama" {
                return Some(serde_json::json!({"code": 1, "data": generated.data_utama}).to_string());
            }
            generated.riwayat.get(endpoint).map(|data| match data {
                Some(data) => serde_json::json!({"code": 1, "data": data}).to_string(),
                None => r#"{"code":0,"data":"Data tidak ditemukan"}"#.to_string(),
            })
        };
        pegawai.push(ws::decode_pegawai(&nip, &mut body_of, &mut warnings).unwrap());
        assert!(warnings.is_empty(), "{warnings:?}");
    }
    let report = import_pegawai(&replica, pegawai.clone(), &options(&replica), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 60);
    let reader = replica.reader().unwrap();
    for original in &pegawai {
        let profil = query::profil(&reader, original.data_utama.nip.as_str()).unwrap();
        assert_eq!(&profil.pegawai, original);
    }
}

/// A record with nothing but a NIP, a name and an old TMT CPNS: every optional column NULL.
fn sparse(nip: &str, nama: &str, pns_id: Option<&str>) -> Pegawai {
    Pegawai {
        data_utama: model::DataUtama {
            nip: Nip::clean(nip),
            nama: nama.into(),
            pns_id: pns_id.map(model::PnsId::new),
            tmt_cpns: NaiveDate::from_ymd_opt(2010, 1, 1),
            ..model::DataUtama::default()
        },
        ..Pegawai::default()
    }
}

#[test]
fn rows_with_null_columns_list_search_and_filter_without_errors() {
    let dir = TempDir::new("nulls");
    let replica = open(&dir);
    import_pegawai(&replica, vec![sparse("197603012006011005", "ANI KOSONG", None)], &options(&replica), &mut |_| {})
        .unwrap();
    let reader = replica.reader().unwrap();
    let page = query::list(&reader, &Filter::default(), Urutan::TmtPensiun, None, 50, today()).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(query::search(&reader, "ani", 10, today()).unwrap().len(), 1);
    let with = Filter { ada_anomali: Some(true), ..Filter::default() };
    // No NIK, no pendidikan, no email, no HP: anomalies exist and the row is counted, not dropped as NULL.
    assert_eq!(query::list(&reader, &with, Urutan::Nama, None, 50, today()).unwrap().rows.len(), 1);
    let far = Filter { bup_dalam_bulan: Some(u32::MAX), ..Filter::default() };
    assert!(query::list(&reader, &far, Urutan::Nama, None, 50, today()).is_ok());
}

#[test]
fn two_people_sharing_a_nip_stay_two_documents_and_reimport_matches_each() {
    let dir = TempDir::new("shared-nip");
    let replica = open(&dir);
    let first = sparse("197603012006011005", "PERTAMA", Some("AAAA0000000000000000000000000001"));
    let second = sparse("197603012006011005", "KEDUA", Some("BBBB0000000000000000000000000002"));
    let report =
        import_pegawai(&replica, vec![first.clone(), second.clone()], &options(&replica), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 2);
    let report = import_pegawai(&replica, vec![first, second], &options(&replica), &mut |_| {}).unwrap();
    assert_eq!((report.inserted, report.updated, report.unchanged), (0, 0, 2));
    let names: BTreeSet<String> = query::search(&replica.reader().unwrap(), "197603012006011005", 10, today())
        .unwrap()
        .into_iter()
        .map(|row| row.nama)
        .collect();
    assert_eq!(names, BTreeSet::from(["PERTAMA".to_owned(), "KEDUA".to_owned()]));

    // Each row opens and edits its own document; without a row id, the oldest; a row id of another NIP is refused.
    let nip = "197603012006011005";
    let rows = query::search(&replica.reader().unwrap(), nip, 10, today()).unwrap();
    let kedua = rows.iter().find(|row| row.nama == "KEDUA").unwrap().rowid;
    let pertama = rows.iter().find(|row| row.nama == "PERTAMA").unwrap().rowid;
    assert_eq!(query::pegawai_rowid(&replica.reader().unwrap(), nip, None).unwrap(), pertama.min(kedua));
    assert_eq!(query::pegawai_rowid(&replica.reader().unwrap(), nip, Some(kedua)).unwrap(), kedua);
    let other = query::pegawai_rowid(&replica.reader().unwrap(), "197603012006011006", Some(kedua)).unwrap_err();
    assert!(matches!(other, store::Error::NotFound(_)), "{other:?}");
    store::edit::edit_pegawai_document(&replica, nip, Some(kedua), 1_764_500_000_000, "ubah email", |json| {
        json["data_utama"]["email"] = serde_json::Value::String("kedua@contoh.go.id".into());
    })
    .unwrap()
    .expect("a change");
    let reader = replica.reader().unwrap();
    let email = |rowid| query::profil_by_rowid(&reader, rowid).unwrap().pegawai.data_utama.email;
    assert_eq!(email(kedua).as_deref(), Some("kedua@contoh.go.id"));
    assert_eq!(email(pertama), None, "the other document is untouched");
    // The list's count is the filter's rows.
    assert_eq!(query::count(&reader, &Filter::default(), today()).unwrap(), 2);
    let none = Filter { jenis_asn: vec!["PPPK".into()], ..Filter::default() };
    assert_eq!(query::count(&reader, &none, today()).unwrap(), 0);
}

#[test]
fn typed_searches_are_capped_and_never_fail() {
    assert_eq!(query::fts_query("a b sri"), Some("\"sri\"*".to_owned()));
    let long = "kata ".repeat(5_000);
    assert_eq!(query::fts_query(&long), Some("\"kata\"*".to_owned()));
    let many: String = (0..50).map(|n| format!("w{n} ")).collect();
    assert_eq!(query::fts_query(&many).unwrap().matches('*').count(), query::MAX_SEARCH_WORDS);
    assert_eq!(query::fts_query("\"*:() AND NEAR("), Some("\"and\"* \"near\"*".to_owned()));
    assert_eq!(query::fts_query("  "), None);
}

#[test]
fn a_seed_builds_the_same_document_whenever_it_is_built() {
    let dir = TempDir::new("seed");
    let replica = open(&dir);
    let (_, pegawai) = import_generated(&replica, 20);
    let reader = replica.reader().unwrap();
    let rowids: Vec<i64> = reader
        .prepare("SELECT rowid FROM document WHERE seed IS NOT NULL ORDER BY rowid")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rowids.len(), 20);
    let mut built = Vec::new();
    for &rowid in &rowids {
        let (stored, value) = store::document::load_value(&reader, rowid).unwrap();
        let seed = store::document::Seed::decode(stored.seed.as_deref().unwrap()).unwrap();
        let (first, second) = (seed.materialize().unwrap(), seed.materialize().unwrap());
        // Deterministic: same bytes and change hash, so building it later (or on another device) is the same.
        assert_eq!(first.save(), second.save());
        assert_eq!(first.heads(), second.heads());
        assert_eq!(first.heads().len(), 1);
        // What a profile reads from the seed is what the built document hydrates to (the document leaves nulls
        // out, so compare the records).
        let from_seed: Pegawai = serde_json::from_value(value).unwrap();
        assert_eq!(first.hydrate_as::<Pegawai>().unwrap(), from_seed);
        built.push((rowid, first.heads()));
    }
    drop(reader);
    assert_eq!(store::document::compact_imported(&replica, 7, &mut |_| {}).unwrap(), 20);
    let reader = replica.reader().unwrap();
    for (rowid, heads) in built {
        let (stored, document) = store::document::load(&reader, rowid).unwrap();
        assert!(stored.seed.is_none());
        assert_eq!(document.heads(), heads, "compaction built the same document");
    }
    let profil = query::profil(&reader, pegawai[3].data_utama.nip.as_str()).unwrap();
    assert_eq!(profil.pegawai.data_utama, pegawai[3].data_utama);
}

#[test]
fn a_partial_source_never_deletes_what_it_does_not_carry() {
    let dir = TempDir::new("partial");
    let replica = open(&dir);
    // First the "web-service" form: data utama plus a riwayat golongan row and BUP from SI-ASN.
    let kabupaten = generator::generate(&config(30));
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    let from_csv: Vec<Pegawai> = export::decode(&csv)
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect();
    let full: Vec<Pegawai> = from_csv
        .iter()
        .cloned()
        .map(|mut pegawai| {
            pegawai.data_utama.bup_siasn = Some(58);
            pegawai.riwayat_golongan = vec![model::pegawai::RiwayatGolongan {
                id: Some("rw-1".into()),
                golongan_id: Some("31".into()),
                golongan: Some("III/a".into()),
                ..Default::default()
            }];
            pegawai
        })
        .collect();
    let report = import_pegawai(&replica, full, &options(&replica), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 30);

    // Then the CSV of the same people: no riwayat, no BUP from SI-ASN. Nothing changes, nothing is deleted.
    let report = import_pegawai(&replica, from_csv.clone(), &options(&replica), &mut |_| {}).unwrap();
    assert_eq!((report.inserted, report.updated, report.unchanged), (0, 0, 30));
    assert_eq!(store::sync_state::outbox_size(&replica.reader().unwrap()).unwrap().0, 0);
    let profil = query::profil(&replica.reader().unwrap(), from_csv[4].data_utama.nip.as_str()).unwrap();
    assert_eq!(profil.pegawai.data_utama.bup_siasn, Some(58));
    assert_eq!(profil.pegawai.riwayat_golongan.len(), 1);
    assert_eq!(profil.pegawai.riwayat_golongan[0].golongan.as_deref(), Some("III/a"));

    // A value the CSV does carry still updates (and only that field).
    let mut changed = from_csv.clone();
    changed[4].data_utama.email = Some("baru@contoh.go.id".into());
    let report = import_pegawai(&replica, changed, &options(&replica), &mut |_| {}).unwrap();
    assert_eq!((report.updated, report.unchanged), (1, 29));
    let profil = query::profil(&replica.reader().unwrap(), from_csv[4].data_utama.nip.as_str()).unwrap();
    assert_eq!(profil.pegawai.data_utama.email.as_deref(), Some("baru@contoh.go.id"));
    assert_eq!(profil.pegawai.riwayat_golongan.len(), 1);
}

/// The names of the indexes of the replica's schema.
fn index_names(replica: &Replica) -> BTreeSet<String> {
    let reader = replica.reader().unwrap();
    let mut statement =
        reader.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_bulk_load_leaves_every_index_and_an_interrupted_one_is_finished_on_open() {
    let fresh_dir = TempDir::new("bulk-fresh");
    let expected = index_names(&open(&fresh_dir));
    assert!(expected.contains("pegawai_nama") && expected.contains("document_kind"), "{expected:?}");

    let dir = TempDir::new("bulk");
    let replica = open(&dir);
    import_generated(&replica, 300);
    assert_eq!(index_names(&replica), expected, "the indexes dropped for the bulk load are back");
    assert_eq!(replica.meta(store::import::BULK_INDEXES_META).unwrap(), None);
    let reader = replica.reader().unwrap();
    let plan: String = reader
        .query_row("EXPLAIN QUERY PLAN SELECT nip FROM pegawai ORDER BY nama, document_rowid LIMIT 5", [], |row| {
            row.get(3)
        })
        .unwrap();
    assert!(plan.contains("pegawai_nama"), "{plan}");
    drop(reader);

    // A process killed between the drop and the re-creation: the statements are in meta, the indexes are not.
    let sql: String = replica
        .reader()
        .unwrap()
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'pegawai_nama'", [], |row| row.get(0))
        .unwrap();
    replica
        .write(|tx| {
            tx.execute_batch("DROP INDEX pegawai_nama")?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                rusqlite::params![store::import::BULK_INDEXES_META, serde_json::json!([sql]).to_string()],
            )?;
            Ok(())
        })
        .unwrap();
    drop(replica);
    let replica = open(&dir);
    assert_eq!(index_names(&replica), expected);
    assert_eq!(replica.meta(store::import::BULK_INDEXES_META).unwrap(), None);
}

#[test]
fn seeds_are_stored_compressed_and_plain_json_seeds_still_read() {
    let dir = TempDir::new("seed-bytes");
    let replica = open(&dir);
    let (_, pegawai) = import_generated(&replica, 5);
    let reader = replica.reader().unwrap();
    let stored: Vec<u8> = reader
        .query_row("SELECT seed FROM document WHERE seed IS NOT NULL ORDER BY rowid LIMIT 1", [], |row| row.get(0))
        .unwrap();
    assert_eq!(&stored[..4], &[0x28, 0xB5, 0x2F, 0xFD], "a zstd frame");
    let seed = store::document::Seed::decode(&stored).unwrap();
    let json = serde_json::to_vec(&seed).unwrap();
    assert!(stored.len() * 5 < json.len() * 3, "{} compressed bytes for {} of JSON", stored.len(), json.len());
    // A seed written before seeds were compressed (plain JSON) reads the same.
    assert_eq!(store::document::Seed::decode(&json).unwrap(), seed);
    assert_eq!(seed.value["data_utama"]["nip"], serde_json::json!(pegawai[0].data_utama.nip.as_str()));
    // Bytes that are neither are refused with a reason, not a panic.
    let mut broken = stored.clone();
    broken.truncate(stored.len() / 2);
    assert!(store::document::Seed::decode(&broken).unwrap_err().contains("seed tidak terbaca"));
}

/// The words a search index holds for `text`: lower-cased runs of letters and digits (the `unicode61` tokenizer on
/// ASCII text, which is what the generator writes).
fn index_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase).collect()
}

#[test]
fn search_finds_exactly_the_rows_where_every_word_starts_a_word_of_name_nip_jabatan_or_unor() {
    let dir = TempDir::new("search-exact");
    let replica = open(&dir);
    let (_, pegawai) = import_generated(&replica, 800);
    let rows = all_pages(&replica, &Filter::default(), Urutan::Nip, 200);
    assert_eq!(rows.len(), 800);
    // Brute force over the list rows: every word is a prefix of a word of the name, jabatan or unor, or (digits)
    // of the NIP.
    let expected = |query: &str| -> BTreeSet<String> {
        let words = index_words(query);
        rows.iter()
            .filter(|row| {
                let mut indexed = index_words(&row.nama_lengkap);
                indexed.extend(index_words(row.jabatan_nama.as_deref().unwrap_or_default()));
                indexed.extend(index_words(row.unor_nama.as_deref().unwrap_or_default()));
                words.iter().all(|word| {
                    indexed.iter().any(|one| one.starts_with(word.as_str()))
                        || (word.chars().all(|c| c.is_ascii_digit()) && row.nip.starts_with(word.as_str()))
                })
            })
            .map(|row| row.nip.clone())
            .collect()
    };
    let first_word = |text: &str| index_words(text).into_iter().find(|word| word.len() > 2).unwrap();
    let mut queries: Vec<String> = Vec::new();
    for one in pegawai.iter().step_by(97) {
        let utama = &one.data_utama;
        let nama = first_word(&utama.nama);
        let jabatan = first_word(utama.jabatan_nama.as_deref().unwrap());
        let unor = index_words(utama.unor_nama.as_deref().unwrap()).into_iter().last().unwrap();
        queries.push(nama[..3].to_owned());
        queries.push(jabatan.clone());
        queries.push(format!("{nama} {jabatan}"));
        queries.push(format!("{jabatan} {unor}"));
        queries.push(format!("{} {}", &nama[..2], &utama.nip.as_str()[..4]));
    }
    queries.extend(["guru sd", "kepala dinas", "ahli pertama", "negeri", "puskesmas perawat"].map(String::from));
    let reader = replica.reader().unwrap();
    let mut nonempty = 0;
    for query in &queries {
        let want = expected(query);
        let mut all = BTreeSet::new();
        store::projection::search_all(&reader, query, |_, nip| -> store::Result<()> {
            assert!(all.insert(nip.to_owned()), "{query}: {nip} twice");
            Ok(())
        })
        .unwrap();
        assert_eq!(all, want, "search_all {query:?}");
        let capped = query::search(&reader, query, 50, today()).unwrap();
        assert_eq!(capped.len(), want.len().min(50), "search {query:?}");
        assert!(capped.iter().all(|row| want.contains(&row.nip)), "search {query:?}");
        nonempty += usize::from(!want.is_empty());
    }
    assert!(nonempty * 10 >= queries.len() * 8, "{nonempty} of {} queries found something", queries.len());
}

#[test]
fn the_version_changes_with_every_commit_and_not_otherwise() {
    let dir = TempDir::new("versi");
    let replica = open(&dir);
    let before = replica.versi().unwrap();
    assert_eq!(replica.versi().unwrap(), before, "no commit, same version");
    import_generated(&replica, 5);
    let after = replica.versi().unwrap();
    assert_ne!(after, before, "the writer committed");
    let _ = query::facets(&replica.reader().unwrap(), &Filter::default(), today()).unwrap();
    assert_eq!(replica.versi().unwrap(), after, "reading commits nothing");
    let other = open(&dir);
    assert_ne!(other.versi().unwrap().replika, after.replika, "another open replica, another number");
}

#[test]
fn the_instansi_is_named_from_the_unor_tree_or_else_from_its_pegawai() {
    let dir = TempDir::new("instansi-nama");
    let replica = open(&dir);
    let reader = replica.reader().unwrap();
    assert_eq!(query::instansi_nama(&reader, "A5EB03E23CCCF6A0E040640A040252AD").unwrap(), None, "empty replica");
    drop(reader);

    let (kabupaten, pegawai) = import_generated(&replica, 20);
    let reader = replica.reader().unwrap();
    let id = &kabupaten.instansi.instansi_id;
    assert_eq!(pegawai[0].data_utama.instansi_kerja_id.as_deref(), Some(id.as_str()));
    assert_eq!(query::instansi_nama(&reader, id).unwrap().as_deref(), Some("Pemerintah Kab. Contoh Utara"));
    assert_eq!(query::instansi_nama(&reader, "A5EB03E23CCCF6A0E040640A040252AD").unwrap(), None, "another instansi");
    // An id the unor tree has is named from the tree.
    let unor = pegawai[0].data_utama.unor_id.clone().unwrap();
    let unor_nama = store::ringkasan::unor_nama(&reader, &unor).unwrap().unwrap();
    assert_eq!(query::instansi_nama(&reader, &unor).unwrap(), Some(unor_nama));
}
