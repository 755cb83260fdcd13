//! Review of the replica search without per-pegawai jabatan/unor words (migration 0006, `query::search`,
//! `query::any_column`, `projection::search_all`, the bulk load's index of names): hostile input, words spanning
//! columns, edits, rebuilds, `check`, and a bulk load interrupted before its names were indexed.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use model::{Nip, Pegawai};
use store::edit::edit_pegawai;
use store::import::{ImportOptions, import_pegawai};
use store::{Replica, integrity, projection, query};

use crate::{TempDir, generated_pegawai, open};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn options(replica: &Replica, batch: usize) -> ImportOptions {
    ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: 1_764_460_800_000,
        batch,
        message: "impor uji".into(),
        threads: 1,
    }
}

fn one(nip: &str, nama: &str, jabatan: Option<&str>, unor: Option<&str>) -> Pegawai {
    Pegawai {
        data_utama: model::DataUtama {
            nip: Nip::clean(nip),
            nama: nama.into(),
            jabatan_nama: jabatan.map(Into::into),
            unor_id: unor.map(|_| "U1".into()),
            unor_nama: unor.map(Into::into),
            ..model::DataUtama::default()
        },
        ..Pegawai::default()
    }
}

/// Lower-cased, the few diacritics of the data below folded (what `unicode61 remove_diacritics 2` does to them).
fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'á' | 'à' => 'a',
            'ñ' => 'n',
            'ü' | 'ú' => 'u',
            other => other,
        })
        .collect()
}

fn words_of(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_owned).collect()
}

/// The words a search uses: as `query::search_words` (at most 8, 40 characters each, one-letter words dropped
/// when a longer one is present).
fn query_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in words_of(text) {
        let word: String = word.chars().take(40).collect();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == 8 {
            break;
        }
    }
    if words.iter().any(|word| word.chars().count() > 1) {
        words.retain(|word| word.chars().count() > 1);
    }
    words
}

fn records() -> Vec<Pegawai> {
    vec![
        one("199001012015011001", "Sité Nurhaliza", Some("Guru Ahli Pertama"), Some("SD Negeri 12 Kota")),
        one("199002022015012002", "Budi \"Santoso\" AND", Some("Kepala Sub-Bagian Umum"), Some("Dinas Pendidikan")),
        one("198803032010011003", "NEAR Guruh", Some("Perawat Terampil"), Some("Puskesmas Kota")),
        one("198704042009012004", "Ani Muñoz", None, None),
        one("198605052008011005", "Jabatan Unor", Some("Analis 2a*"), Some("Bagian: Umum")),
        one("198506062007012006", "Dewi Kepegawaian", Some("Analis Kepegawaian Ahli Muda"), Some("BKPSDM")),
    ]
}

/// Every pegawai whose words (name, jabatan, unor; a digit word also the NIP) start with every query word.
fn brute(rows: &[Pegawai], text: &str) -> BTreeSet<String> {
    let words = query_words(text);
    if words.is_empty() {
        return BTreeSet::new();
    }
    rows.iter()
        .filter(|row| {
            let utama = &row.data_utama;
            let mut indexed = words_of(&utama.nama_lengkap());
            indexed.extend(words_of(utama.jabatan_nama.as_deref().unwrap_or_default()));
            indexed.extend(words_of(utama.unor_nama.as_deref().unwrap_or_default()));
            words.iter().all(|word| {
                indexed.iter().any(|one| one.starts_with(word.as_str()))
                    || (word.chars().all(|c| c.is_ascii_digit()) && utama.nip.as_str().starts_with(word.as_str()))
            })
        })
        .map(|row| row.data_utama.nip.to_string())
        .collect()
}

fn all(replica: &Replica, text: &str) -> store::Result<BTreeSet<String>> {
    let reader = replica.reader()?;
    let mut found = BTreeSet::new();
    projection::search_all(&reader, text, |_, nip| -> store::Result<()> {
        assert!(found.insert(nip.to_owned()), "{text:?}: {nip} twice");
        Ok(())
    })?;
    Ok(found)
}

fn capped(replica: &Replica, text: &str) -> store::Result<BTreeSet<String>> {
    let reader = replica.reader()?;
    Ok(query::search(&reader, text, 50, today())?.into_iter().map(|row| row.nip).collect())
}

#[test]
fn hostile_search_input_never_fails_and_finds_exactly_the_brute_force_rows() {
    let dir = TempDir::new("review-hostile");
    let replica = open(&dir);
    let rows = records();
    import_pegawai(&replica, rows.clone(), &options(&replica, 2), &mut |_| {}).unwrap();
    let long = "guru".repeat(5_000);
    let queries = [
        "",
        " ",
        "\"",
        "\"\"",
        "*",
        "guru*",
        "\"guru\"",
        "guru\"",
        "jabatan : guru",
        "jabatan:guru",
        "unor: negeri",
        "nama : sité",
        "NEAR(guru kota)",
        "NEAR guru",
        "^guru",
        "guru AND kota",
        "guru OR dinas",
        "NOT guru",
        "-guru",
        "+guru",
        "(guru",
        "guru)",
        "{jabatan unor} : guru",
        "sité",
        "SITE",
        "Site\u{301}",
        "site guru 12",
        "sité guru negeri kota",
        "guru 1990",
        "1990 guru",
        "199001",
        "19900101 guru",
        "2a",
        "analis 2a",
        "a",
        "a b",
        "a guru",
        "muñoz",
        "MUNOZ",
        "munoz ani",
        "ani 1987",
        "sub bagian umum",
        "bagian umum",
        "kepala 1990",
        "kepegawaian",
        "kepegawaian ahli muda dewi",
        "kepegawaia",
        "umum",
        "near",
        "and",
        "budi santoso and",
        "x y z w v u t s r q",
        "guru ahli pertama sd negeri 12 kota sité",
        long.as_str(),
        "12",
        "12 kota",
        "ꞗ",
        "ꞗ guru",
        "²",
        "١٢٣",
        "日本",
        "İstanbul",
        "ß",
        "\u{0}",
        "guru\u{0}kota",
        "🙂",
        "gu-ru",
        "o'brien",
    ];
    let mut failures = Vec::new();
    for text in queries {
        let want = brute(&rows, text);
        match all(&replica, text) {
            Ok(found) if found == want => {}
            Ok(found) => failures.push(format!("search_all {text:.40?}: {found:?}, expected {want:?}")),
            Err(error) => failures.push(format!("search_all {text:.40?}: error {error}")),
        }
        match capped(&replica, text) {
            Ok(found) if found == want => {}
            Ok(found) => failures.push(format!("search {text:.40?}: {found:?}, expected {want:?}")),
            Err(error) => failures.push(format!("search {text:.40?}: error {error}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Queries over generated data: words of names, jabatan and unor, and pairs spanning them.
fn generated_queries(rows: &[Pegawai]) -> Vec<String> {
    let mut queries = Vec::new();
    for row in rows.iter().step_by(37) {
        let utama = &row.data_utama;
        let nama = words_of(&utama.nama).into_iter().find(|word| word.len() > 2).unwrap_or_default();
        let jabatan = words_of(utama.jabatan_nama.as_deref().unwrap_or("x")).into_iter().next().unwrap();
        let unor = words_of(utama.unor_nama.as_deref().unwrap_or("x")).into_iter().last().unwrap();
        queries.push(jabatan.clone());
        queries.push(format!("{jabatan} {unor}"));
        queries.push(format!("{unor} {}", &nama[..2.min(nama.len())]));
        queries.push(format!("{} {jabatan}", &utama.nip.as_str()[..4]));
    }
    queries.extend(["mercusuar", "nandu", "penjaga", "balai", "menara", "guru", "kepala", "negeri"].map(String::from));
    queries
}

fn compare(replica: &Replica, rows: &[Pegawai], queries: &[String], when: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for text in queries {
        let want = brute(rows, text);
        let found = all(replica, text).unwrap();
        if found != want {
            let reader = replica.reader().unwrap();
            let extra: Vec<String> = found
                .symmetric_difference(&want)
                .map(|nip| {
                    reader
                        .query_row(
                            "SELECT nip || ' | ' || nama_lengkap || ' | ' || coalesce(jabatan_nama, '-') || ' | ' || \
                             coalesce(unor_nama, '-') FROM pegawai WHERE nip = ?1",
                            [nip],
                            |row| row.get(0),
                        )
                        .unwrap()
                })
                .collect();
            failures.push(format!(
                "{when}: search_all {text:?}: {} found, {} expected; differ: {extra:?}",
                found.len(),
                want.len()
            ));
        }
        let some = capped(replica, text).unwrap();
        if some.len() != want.len().min(50) || !some.is_subset(&want) {
            failures.push(format!("{when}: search {text:?}: {} found, {} expected", some.len(), want.len()));
        }
    }
    failures
}

#[test]
fn edits_of_jabatan_and_unor_and_a_rebuild_keep_search_exact_and_check_healthy() {
    let dir = TempDir::new("review-edit");
    let replica = open(&dir);
    let mut rows = generated_pegawai(300, 17);
    import_pegawai(&replica, rows.clone(), &options(&replica, 64), &mut |_| {}).unwrap();
    // Some move to a jabatan and unor no one held, others to one another's.
    for (at, row) in rows.iter_mut().enumerate().step_by(29) {
        let (jabatan, unor) = if at % 2 == 0 {
            ("Penjaga Mercusuar Ñandú".to_owned(), "Balai Menara Suar".to_owned())
        } else {
            ("Guru Ahli Pertama".to_owned(), "SD Negeri 99".to_owned())
        };
        edit_pegawai(&replica, row.data_utama.nip.as_str(), 1_764_460_900_000, "pindah", |value| {
            value["data_utama"]["jabatan_nama"] = serde_json::json!(jabatan);
            value["data_utama"]["unor_nama"] = serde_json::json!(unor);
        })
        .unwrap();
        row.data_utama.jabatan_nama = Some(jabatan);
        row.data_utama.unor_nama = Some(unor);
    }
    let queries = generated_queries(&rows);
    let mut failures = compare(&replica, &rows, &queries, "after edits");
    let report = integrity::check(&replica).unwrap();
    if !report.mismatches.is_empty() {
        failures.push(format!("check after edits: {:?}", report.mismatches));
    }
    projection::rebuild_projections(&replica, 50, &mut |_| {}).unwrap();
    failures.extend(compare(&replica, &rows, &queries, "after rebuild"));
    let report = integrity::check(&replica).unwrap();
    if !report.mismatches.is_empty() {
        failures.push(format!("check after rebuild: {:?}", report.mismatches));
    }
    // A rebuild keeps only values someone holds.
    let reader = replica.reader().unwrap();
    let (values, held): (i64, i64) = reader
        .query_row(
            "SELECT (SELECT count(*) FROM search_value), \
             (SELECT count(*) FROM (SELECT DISTINCT jabatan_nama FROM pegawai WHERE jabatan_nama IS NOT NULL)) + \
             (SELECT count(*) FROM (SELECT DISTINCT unor_nama FROM pegawai WHERE unor_nama IS NOT NULL))",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    if values != held {
        failures.push(format!("after rebuild: {values} search values, {held} held"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_has_no_false_mismatch_for_names_the_tokenizer_sees_no_word_in() {
    let dir = TempDir::new("review-check");
    let replica = open(&dir);
    let rows = vec![
        one("199001012015011001", "Ani", Some("\"Guru\" (Kelas) *"), Some("-")),
        one("199002022015012002", "Budi", Some("ꞗꞗ"), Some("Dinas ꞗ")),
        one("199003032015011003", "ꞗꞗ", Some("Guru"), Some("²³")),
    ];
    import_pegawai(&replica, rows, &options(&replica, 10), &mut |_| {}).unwrap();
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches, [], "check on names made of letters unicode61 (Unicode 6.1) does not know");
}

/// The SQL of `projection::INDEX_UNINDEXED_NAMES`, as a bulk load saves it in `meta`.
fn saved_statements(replica: &Replica) -> String {
    replica.meta(store::import::BULK_INDEXES_META).unwrap().expect("a bulk load's statements")
}

#[test]
fn a_bulk_load_interrupted_before_its_names_were_indexed_gets_each_name_once_on_open() {
    let dir = TempDir::new("review-bulk");
    let replica = open(&dir);
    let rows = generated_pegawai(200, 23);
    // Catch the statements the bulk load saved while it runs.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Pegawai>(0);
    let statements = std::thread::scope(|scope| {
        let importing = scope.spawn(|| import_pegawai(&replica, receiver, &options(&replica, 50), &mut |_| {}));
        let mut saved = None;
        for _ in 0..500 {
            if let Some(value) = replica.meta(store::import::BULK_INDEXES_META).unwrap() {
                saved = Some(value);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        for one in &rows {
            sender.send(one.clone()).unwrap();
        }
        drop(sender);
        importing.join().unwrap().unwrap();
        saved.unwrap()
    });
    let names: Vec<String> = serde_json::from_str(&statements).unwrap();
    assert!(names[0].starts_with("INSERT INTO pegawai_nama_fts"), "{names:?}");
    // As a kill leaves it: half the names not indexed yet (the other half indexed, e.g. edited meanwhile), the
    // statements saved.
    replica
        .write(|tx| {
            tx.execute("DELETE FROM pegawai_nama_fts WHERE rowid % 2 = 0", [])?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                rusqlite::params![store::import::BULK_INDEXES_META, serde_json::json!([names[0]]).to_string()],
            )?;
            Ok(())
        })
        .unwrap();
    assert!(saved_statements(&replica).contains("pegawai_nama_fts"));
    drop(replica);
    let replica = open(&dir);
    assert_eq!(replica.meta(store::import::BULK_INDEXES_META).unwrap(), None);
    let reader = replica.reader().unwrap();
    let mut twice = Vec::new();
    for row in &rows {
        let nama = &row.data_utama.nama;
        let rowid: i64 = reader
            .query_row("SELECT document_rowid FROM pegawai WHERE nip = ?1", [row.data_utama.nip.as_str()], |r| r.get(0))
            .unwrap();
        let phrase = format!("\"{}\"", nama.replace('"', "\"\""));
        let hits: i64 = reader
            .query_row(
                "SELECT count(*) FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH ?1 AND rowid = ?2",
                rusqlite::params![phrase, rowid],
                |r| r.get(0),
            )
            .unwrap();
        if hits != 1 {
            twice.push(format!("{nama}: {hits}"));
        }
    }
    assert!(twice.is_empty(), "names not indexed exactly once: {twice:?}");
    let total: i64 = reader.query_row("SELECT count(*) FROM pegawai_nama_fts", [], |r| r.get(0)).unwrap();
    assert_eq!(total, 200);
    drop(reader);
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

/// Runs `work` on a thread; panics if it takes longer than `seconds` (a deadlock).
fn within<T: Send + 'static>(seconds: u64, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver.recv_timeout(std::time::Duration::from_secs(seconds)).expect("did not finish: a deadlock?")
}

#[test]
fn a_bulk_load_failing_mid_transaction_returns_the_error_and_leaves_a_sound_searchable_replica() {
    let dir = TempDir::new("review-fail");
    let path = dir.0.join("replika.sqlite");
    let rows = generated_pegawai(4_500, 29);
    let failing = rows[2_500].data_utama.nip.to_string();
    let result = within(240, {
        let path = path.clone();
        let rows = rows.clone();
        move || {
            let replica = Replica::open(&path, store::OpenOptions::default()).unwrap();
            // The writer fails in the second chunk of the first transaction (batch 3,000; chunks of 2,000).
            replica
                .write(|tx| {
                    tx.execute_batch(&format!(
                        "CREATE TRIGGER gagal BEFORE INSERT ON pegawai WHEN NEW.nip = '{failing}' \
                         BEGIN SELECT RAISE(ABORT, 'gagal uji'); END;"
                    ))?;
                    Ok(())
                })
                .unwrap();
            let options = ImportOptions { threads: 2, ..options(&replica, 3_000) };
            let result = import_pegawai(&replica, rows, &options, &mut |_| {});
            replica.write(|tx| Ok(tx.execute_batch("DROP TRIGGER gagal")?)).unwrap();
            result.map(|report| report.inserted).map_err(|error| format!("{error:?}"))
        }
    });
    assert!(result.as_ref().is_err_and(|error| error.contains("gagal uji")), "{result:?}");
    let replica = Replica::open(&path, store::OpenOptions::default()).unwrap();
    assert_eq!(replica.meta(store::import::BULK_INDEXES_META).unwrap(), None);
    let report = integrity::check(&replica).unwrap();
    assert!(report.sqlite_ok);
    assert_eq!(report.mismatches, []);
    // The failed transaction rolled back whole: nothing of it is stored, so the import simply runs again.
    assert_eq!(report.pegawai.0, 0);
    let report = within(240, move || {
        let replica = Replica::open(&path, store::OpenOptions::default()).unwrap();
        import_pegawai(&replica, rows, &options(&replica, 3_000), &mut |_| {}).unwrap()
    });
    assert_eq!(report.inserted, 4_500);
}

#[test]
fn an_edit_during_a_bulk_load_leaves_the_new_name_indexed_once_and_the_old_one_gone() {
    let dir = TempDir::new("review-bulk-edit");
    let replica = open(&dir);
    let rows = generated_pegawai(200, 31);
    let target = rows[10].data_utama.nip.to_string();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Pegawai>(0);
    std::thread::scope(|scope| {
        let importing = scope.spawn(|| import_pegawai(&replica, receiver, &options(&replica, 50), &mut |_| {}));
        for one in rows.iter().take(120) {
            sender.send(one.clone()).unwrap();
        }
        let mut committed = false;
        for _ in 0..500 {
            let found = projection::find_pegawai(&replica.reader().unwrap(), &target, None).unwrap();
            if found.is_some() {
                committed = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(committed);
        assert!(replica.meta(store::import::BULK_INDEXES_META).unwrap().is_some(), "still a bulk load");
        edit_pegawai(&replica, &target, 1_764_460_900_000, "ganti nama", |value| {
            value["data_utama"]["nama"] = serde_json::json!("ZAKIYAH QWERTYNAMA");
        })
        .unwrap();
        for one in rows.iter().skip(120) {
            sender.send(one.clone()).unwrap();
        }
        drop(sender);
        importing.join().unwrap().unwrap();
    });
    let reader = replica.reader().unwrap();
    let hits: i64 = reader
        .query_row("SELECT count(*) FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH 'qwertynama'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(hits, 1);
    let total: i64 = reader.query_row("SELECT count(*) FROM pegawai_nama_fts", [], |r| r.get(0)).unwrap();
    assert_eq!(total, 200);
    let found = query::search(&reader, "qwertynama zakiyah", 10, today()).unwrap();
    assert_eq!(found.iter().map(|row| row.nip.as_str()).collect::<Vec<_>>(), [target.as_str()]);
    let old = words_of(&rows[10].data_utama.nama).into_iter().find(|word| word.len() > 3).unwrap();
    let again = query::search(&reader, &format!("{old} qwertynama"), 10, today()).unwrap();
    assert_eq!(again.len(), 0, "the old name {old} left in the index");
    drop(reader);
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn a_first_keystroke_lists_the_first_names_or_nips_in_order() {
    let dir = TempDir::new("search-first-key");
    let replica = open(&dir);
    let pegawai = generated_pegawai(2_000, 5);
    import_pegawai(&replica, pegawai.clone(), &options(&replica, 500), &mut |_| {}).unwrap();
    let reader = replica.reader().unwrap();
    // One letter: the first 50 names (in name order) that start with it, as the list would sort them.
    let mut names: Vec<(String, String)> = pegawai
        .iter()
        .filter(|one| one.data_utama.nama.starts_with('S'))
        .map(|one| (one.data_utama.nama.clone(), one.data_utama.nip.to_string()))
        .collect();
    names.sort();
    assert!(names.len() > 50, "{}", names.len());
    let found: Vec<String> = query::search(&reader, "s", 50, today()).unwrap().into_iter().map(|row| row.nip).collect();
    let names: Vec<String> = names.into_iter().take(50).map(|(_, nip)| nip).collect();
    // Same names in the same order (ties between equal names may order by row, so compare the names' order).
    assert_eq!(found.len(), 50);
    let nama_of =
        |nip: &String| pegawai.iter().find(|one| one.data_utama.nip.as_str() == nip).unwrap().data_utama.nama.clone();
    assert_eq!(found.iter().map(nama_of).collect::<Vec<_>>(), names.iter().map(nama_of).collect::<Vec<_>>());
    // One digit: the first 50 NIPs starting with it, in NIP order; a whole NIP comes first.
    let mut nips: Vec<String> =
        pegawai.iter().map(|one| one.data_utama.nip.to_string()).filter(|nip| nip.starts_with('1')).collect();
    nips.sort();
    let found: Vec<String> = query::search(&reader, "1", 50, today()).unwrap().into_iter().map(|row| row.nip).collect();
    assert_eq!(found, nips[..50]);
    let exact = &nips[7];
    assert_eq!(&query::search(&reader, exact, 5, today()).unwrap()[0].nip, exact);
}
