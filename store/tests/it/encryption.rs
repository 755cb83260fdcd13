//! The encrypted replica (`store::encryption`): a plain replica encrypted in place keeps every record, cannot be
//! read without the key, and passes `integrity_check` with it.

use chrono::NaiveDate;
use store::encryption::{self, Encrypted, FileState};
use store::import::{ImportOptions, import_pegawai};
use store::query::{self, Filter, Urutan};
use store::{OpenOptions, Replica, integrity};

use crate::{TempDir, generated_pegawai};

const KEY: [u8; 32] = [
    0x5a, 0x11, 0x3c, 0x9e, 0x02, 0x7f, 0xb4, 0x68, 0xd1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32, 0x54,
    0x76, 0x98, 0xba, 0xdc, 0xfe, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn import(replica: &Replica, count: usize) {
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: None,
        now_ms: 1_764_460_800_000,
        batch: 100,
        message: "impor uji".into(),
        threads: 1,
    };
    import_pegawai(replica, generated_pegawai(count, 9), &options, &mut |_| {}).unwrap();
}

fn names(replica: &Replica) -> Vec<String> {
    let reader = replica.reader().unwrap();
    query::list(&reader, &Filter::default(), Urutan::Nip, None, 500, today())
        .unwrap()
        .rows
        .into_iter()
        .map(|row| format!("{} {}", row.nip, row.nama_lengkap))
        .collect()
}

#[test]
fn a_plain_replica_encrypted_in_place_keeps_every_record_and_needs_the_key() {
    let dir = TempDir::new("encrypt-in-place");
    let path = dir.0.join("replika.sqlite");
    assert_eq!(encryption::state(&path).unwrap(), FileState::Missing);
    let before = {
        let replica = Replica::open(&path, OpenOptions::default()).unwrap();
        import(&replica, 300);
        names(&replica)
    };
    assert_eq!(before.len(), 300);
    assert_eq!(encryption::state(&path).unwrap(), FileState::Plain);
    // The plain file and its WAL (committed pages may still be there).
    let mut plain_bytes = std::fs::read(&path).unwrap();
    plain_bytes.extend(std::fs::read(dir.0.join("replika.sqlite-wal")).unwrap_or_default());
    let nip = before[0].split(' ').next().unwrap().to_owned();
    assert!(plain_bytes.windows(nip.len()).any(|window| window == nip.as_bytes()), "a plain file shows its NIPs");

    assert_eq!(encryption::encrypt_in_place(&path, &KEY).unwrap(), Encrypted::Done);
    assert_eq!(encryption::state(&path).unwrap(), FileState::Encrypted);
    assert!(!dir.0.join("replika.sqlite.enkripsi").exists());
    let encrypted_bytes = std::fs::read(&path).unwrap();
    assert!(!encrypted_bytes.windows(nip.len()).any(|window| window == nip.as_bytes()), "no NIP in clear");
    // Idempotent: a second run finds nothing to do.
    assert_eq!(encryption::encrypt_in_place(&path, &KEY).unwrap(), Encrypted::AlreadyEncrypted);

    // Without the key, or with another one: not a database.
    let without = Replica::open(&path, OpenOptions::default());
    assert!(without.is_err(), "opened without the key");
    let mut wrong = KEY;
    wrong[0] ^= 1;
    assert!(Replica::open(&path, OpenOptions { key: Some(wrong), ..OpenOptions::default() }).is_err());

    // With the key: the same records, integrity ok, and writable.
    let replica = Replica::open(&path, OpenOptions { key: Some(KEY), ..OpenOptions::default() }).unwrap();
    assert_eq!(names(&replica), before);
    let report = integrity::check(&replica).unwrap();
    assert!(report.sqlite_ok, "{:?}", report.sqlite_messages);
    assert!(report.is_healthy(), "{report:?}");
    // Another generated kabupaten's pegawai (different NIPs) go in: the encrypted file is writable.
    import(&replica, 50);
    assert!(names(&replica).len() > 300);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn a_new_replica_opened_with_a_key_is_encrypted_from_the_start() {
    let dir = TempDir::new("encrypt-new");
    let path = dir.0.join("replika.sqlite");
    {
        let replica = Replica::open(&path, OpenOptions { key: Some(KEY), ..OpenOptions::default() }).unwrap();
        import(&replica, 20);
    }
    assert_eq!(encryption::state(&path).unwrap(), FileState::Encrypted);
    assert_eq!(encryption::encrypt_in_place(&path, &KEY).unwrap(), Encrypted::AlreadyEncrypted);
    assert!(Replica::open(&path, OpenOptions::default()).is_err());
    let replica = Replica::open(&path, OpenOptions { key: Some(KEY), ..OpenOptions::default() }).unwrap();
    assert_eq!(names(&replica).len(), 20);
}

#[test]
fn a_leftover_copy_from_a_crash_is_replaced_and_the_plain_file_was_never_touched() {
    let dir = TempDir::new("encrypt-leftover");
    let path = dir.0.join("replika.sqlite");
    let before = {
        let replica = Replica::open(&path, OpenOptions::default()).unwrap();
        import(&replica, 40);
        names(&replica)
    };
    // A run killed while writing its copy leaves a partial `.enkripsi` beside the intact plain file.
    std::fs::write(dir.0.join("replika.sqlite.enkripsi"), b"sebagian salinan").unwrap();
    assert_eq!(encryption::state(&path).unwrap(), FileState::Plain);
    assert_eq!(encryption::encrypt_in_place(&path, &KEY).unwrap(), Encrypted::Done);
    let replica = Replica::open(&path, OpenOptions { key: Some(KEY), ..OpenOptions::default() }).unwrap();
    assert_eq!(names(&replica), before);
}

#[test]
fn a_damaged_plain_replica_is_refused_and_kept_as_it_was() {
    let dir = TempDir::new("encrypt-damaged");
    let path = dir.0.join("replika.sqlite");
    {
        let replica = Replica::open(&path, OpenOptions::default()).unwrap();
        import(&replica, 40);
    }
    // Every page in the main file (the WAL emptied), so that the damage below is all there is.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    // The header of a plain database, then garbage where its pages should be.
    let mut bytes = std::fs::read(&path).unwrap();
    let length = bytes.len();
    bytes[4_096..length].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(encryption::state(&path).unwrap(), FileState::Plain);
    assert!(encryption::encrypt_in_place(&path, &KEY).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the original is untouched");
    assert!(!dir.0.join("replika.sqlite.enkripsi").exists(), "no partial copy left");
}

#[test]
fn a_file_that_is_not_a_database_is_left_alone_and_does_not_open() {
    let dir = TempDir::new("encrypt-not-db");
    let path = dir.0.join("replika.sqlite");
    std::fs::write(&path, b"bukan basis data, hanya teks biasa").unwrap();
    assert_eq!(encryption::state(&path).unwrap(), FileState::Encrypted);
    assert_eq!(encryption::encrypt_in_place(&path, &KEY).unwrap(), Encrypted::AlreadyEncrypted);
    assert!(Replica::open(&path, OpenOptions { key: Some(KEY), ..OpenOptions::default() }).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"bukan basis data, hanya teks biasa");
}
