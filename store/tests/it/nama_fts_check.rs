//! `integrity::check` must not report a corruption of an FTS index that is not there.
//!
//! `PRAGMA integrity_check` checks an FTS5 index with the structure its connection cached when it last read it. In
//! a long-lived process (the desktop app) a pooled reader that searched before an import reported "fts5: corruption
//! found reading blob … from table pegawai_nama_fts" while a fresh connection said "ok", until `check` read every FTS
//! table first (it read only `pegawai_fts`).

use chrono::NaiveDate;
use store::import::{ImportOptions, import_pegawai};
use store::{integrity, query};

use crate::{TempDir, generated_pegawai, open};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn options(replica: &store::Replica) -> ImportOptions {
    ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: 1_764_460_800_000,
        batch: 100,
        message: "impor uji".into(),
        threads: 0,
    }
}

#[test]
fn check_after_a_search_and_an_import_in_the_same_process_reports_no_false_fts_corruption() {
    let dir = TempDir::new("nama-fts-check");
    let replica = open(&dir);
    import_pegawai(&replica, generated_pegawai(300, 3), &options(&replica), &mut |_| {}).unwrap();
    for round in 0..8u64 {
        {
            // The pooled readers search (as the app's search box does), caching the FTS structures.
            let a = replica.reader().unwrap();
            let b = replica.reader().unwrap();
            for reader in [&a, &b] {
                query::search(reader, "sri", 20, today()).unwrap();
                query::search(reader, "ahmad", 20, today()).unwrap();
            }
        }
        import_pegawai(&replica, generated_pegawai(300, 100 + round), &options(&replica), &mut |_| {}).unwrap();
        let report = integrity::check(&replica).unwrap();
        let fresh = rusqlite::Connection::open(dir.0.join("replika.sqlite")).unwrap();
        let fresh_says: String = fresh.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(fresh_says, "ok");
        assert!(
            report.sqlite_ok,
            "round {round}: check says {:?}, a fresh connection says {fresh_says}",
            report.sqlite_messages
        );
    }
}
