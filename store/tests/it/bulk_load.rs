//! The bulk load (an import into a replica without pegawai drops the secondary indexes and creates them again at
//! the end, `store/src/import.rs`, `BulkLoad`), against the two ways review broke it:
//!
//! 1. `query::list` named its sort index (`INDEXED BY pegawai_nama`), so while a bulk import ran, the list of the
//!    same process (the desktop app browsing while it imports) failed with "no such index".
//! 2. Two imports into the same empty replica (two processes, or the app and `luring-cli`): the second one saved
//!    an empty list over the first one's statements and the indexes were gone for good. Now one import at a time:
//!    the second is refused with a clear error while the first runs, and every index survives.

use std::sync::mpsc;

use chrono::NaiveDate;
use model::Pegawai;
use store::import::{BULK_INDEXES_META, ImportOptions, import_pegawai};
use store::query::{self, Filter, Urutan};
use store::{Replica, integrity};

use crate::{TempDir, generated_pegawai, open};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn options(replica: &Replica) -> ImportOptions {
    ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: 1_764_460_800_000,
        batch: 50,
        message: "impor uji".into(),
        threads: 1,
    }
}

fn index_count(replica: &Replica) -> i64 {
    replica
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL", [], |row| row.get(0))
        .unwrap()
}

/// Waits until the replica's `meta` holds the bulk load's saved statements.
fn wait_for_bulk_load(replica: &Replica) {
    for _ in 0..500 {
        if replica.meta(BULK_INDEXES_META).unwrap().is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the bulk load did not start");
}

#[test]
fn the_list_works_while_a_bulk_import_runs_in_the_same_process() {
    let dir = TempDir::new("bulk-list");
    let replica = open(&dir);
    let pegawai = generated_pegawai(200, 5);
    let (sender, receiver) = mpsc::sync_channel::<Pegawai>(0);
    std::thread::scope(|scope| {
        let importing = scope.spawn(|| import_pegawai(&replica, receiver, &options(&replica), &mut |_| {}));
        wait_for_bulk_load(&replica);
        for one in pegawai.iter().take(120) {
            sender.send(one.clone()).unwrap();
        }
        // Some batches are committed; the import is still running.
        let listed = {
            let reader = replica.reader().unwrap();
            query::list(&reader, &Filter::default(), Urutan::Nama, None, 20, today()).map(|page| page.rows.len())
        };
        for one in pegawai.iter().skip(120) {
            sender.send(one.clone()).unwrap();
        }
        drop(sender);
        importing.join().unwrap().unwrap();
        assert!(listed.is_ok(), "the list during a bulk import: {listed:?}");
    });
}

#[test]
fn two_imports_into_an_empty_replica_keep_every_index() {
    let dir = TempDir::new("bulk-twice");
    let first = open(&dir);
    let expected = index_count(&first);
    let second = open(&dir);
    let pegawai = generated_pegawai(100, 5);
    let (send_first, receive_first) = mpsc::sync_channel::<Pegawai>(0);
    std::thread::scope(|scope| {
        let a = scope.spawn(|| import_pegawai(&first, receive_first, &options(&first), &mut |_| {}));
        wait_for_bulk_load(&first);
        // A second import while the first one runs (before it committed any pegawai): refused, nothing dropped.
        let refused = import_pegawai(&second, generated_pegawai(10, 5), &options(&second), &mut |_| {});
        assert!(matches!(refused, Err(store::Error::ImportRunning)), "{refused:?}");
        for one in &pegawai {
            send_first.send(one.clone()).unwrap();
        }
        drop(send_first);
        a.join().unwrap().unwrap();
        // Once it finished, the next import goes ahead (no longer a bulk load: the replica holds pegawai).
        let report = import_pegawai(&second, generated_pegawai(100, 5), &options(&second), &mut |_| {}).unwrap();
        assert_eq!(report.unchanged, 100);
    });
    drop((first, second));
    let replica = open(&dir);
    let report = integrity::check(&replica).unwrap();
    let listed = query::list(&replica.reader().unwrap(), &Filter::default(), Urutan::Nama, None, 20, today())
        .map(|page| page.rows.len());
    assert_eq!(
        (index_count(&replica), listed.is_ok()),
        (expected, true),
        "indexes after two imports, and the list: {listed:?}; check says healthy: {}",
        report.is_healthy()
    );
}

#[test]
fn saved_statements_that_no_longer_apply_never_make_the_replica_unopenable() {
    let dir = TempDir::new("bulk-stale");
    let replica = open(&dir);
    import_pegawai(&replica, generated_pegawai(30, 5), &options(&replica), &mut |_| {}).unwrap();
    // A bulk load killed on an older version whose column a later migration removed: its statement fails.
    replica.set_meta(BULK_INDEXES_META, r#"["CREATE INDEX pegawai_lama ON pegawai (kolom_lama)"]"#).unwrap();
    drop(replica);
    let replica = open(&dir);
    let listed = query::list(&replica.reader().unwrap(), &Filter::default(), Urutan::Nama, None, 20, today()).unwrap();
    assert_eq!(listed.rows.len(), 20);
    // The statements stay for a later open; the replica's own indexes are all there.
    assert!(replica.meta(BULK_INDEXES_META).unwrap().is_some());
    assert!(integrity::check(&replica).unwrap().sqlite_ok);
}

#[test]
fn an_import_waiting_for_input_does_not_hold_the_write_lock() {
    let dir = TempDir::new("bulk-lock");
    let replica = open(&dir);
    let pegawai = generated_pegawai(2_500, 5);
    let (sender, receiver) = mpsc::sync_channel::<Pegawai>(0);
    let options = ImportOptions { batch: 3_000, ..options(&replica) };
    std::thread::scope(|scope| {
        let importing = scope.spawn(|| import_pegawai(&replica, receiver, &options, &mut |_| {}));
        wait_for_bulk_load(&replica);
        // A whole chunk (2,000) reaches the builders; its transaction (3,000) is not complete.
        for one in pegawai.iter().take(2_100) {
            sender.send(one.clone()).unwrap();
        }
        // Another writer (an officer's edit, sync) goes ahead meanwhile instead of waiting for the import's input.
        let (done, finished) = mpsc::channel();
        let replica = &replica;
        let other = scope.spawn(move || {
            let written = replica.set_meta("uji:penulis_lain", "ya");
            let _ = done.send(());
            written
        });
        let waited = finished.recv_timeout(std::time::Duration::from_secs(20));
        for one in pegawai.iter().skip(2_100) {
            sender.send(one.clone()).unwrap();
        }
        drop(sender);
        other.join().unwrap().unwrap();
        assert_eq!(importing.join().unwrap().unwrap().inserted, 2_500);
        assert!(waited.is_ok(), "another write waited for the import's input");
    });
}
