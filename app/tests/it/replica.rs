//! The replica encrypted with a key from the secret store (issue 5 item 4).

use app::replica::{self, ReplicaError};
use app::secret::{MemoryStore, SecretStore};
use store::{OpenOptions, Replica};

use crate::TempDir;

fn generated(count: usize) -> Vec<model::Pegawai> {
    let csv = std::fs::read(crate::fixtures().join("export-data-asn.csv")).unwrap();
    model::siasn::export::decode(&csv)
        .records
        .into_iter()
        .take(count)
        .map(|record| model::Pegawai { data_utama: record.data_utama, ..model::Pegawai::default() })
        .collect()
}

fn import(replica: &Replica, count: usize) {
    let options = store::import::ImportOptions {
        actor: replica.actor().clone(),
        scope: Some(format!("instansi:{}", crate::SELATAN)),
        now_ms: 1_764_500_000_000,
        batch: 100,
        message: "impor uji".to_owned(),
        threads: 1,
    };
    store::import::import_pegawai(replica, generated(count), &options, &mut |_| {}).unwrap();
}

fn integrity(replica: &Replica) -> String {
    replica.reader().unwrap().query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap()
}

#[test]
fn a_new_replica_is_encrypted_and_opens_only_with_its_key() {
    let data = TempDir::new("baru");
    let secrets = MemoryStore::default();
    let opened = replica::open(&data.0, &secrets, true).unwrap();
    import(&opened, 10);
    drop(opened);
    let path = data.0.join(replica::FILE_NAME);
    assert_eq!(store::encryption::state(&path).unwrap(), store::encryption::FileState::Encrypted);

    // Without the key: a plain open fails, and another user's (empty) keyring gets a clear error.
    assert!(Replica::open(&path, OpenOptions::default()).is_err());
    assert!(matches!(replica::open(&data.0, &MemoryStore::default(), false), Err(ReplicaError::KeyMissing(_))));
    // With the key: every record, and a sound file.
    let reopened = replica::open(&data.0, &secrets, false).unwrap();
    assert_eq!(integrity(&reopened), "ok");
    assert!(store::query::profil(&reopened.reader().unwrap(), "197603012006012005").is_ok());
}

#[test]
fn a_plain_replica_is_encrypted_in_place_on_first_open() {
    let data = TempDir::new("polos");
    let path = data.0.join(replica::FILE_NAME);
    let plain = Replica::open(&path, OpenOptions::default()).unwrap();
    import(&plain, 10);
    drop(plain);
    assert_eq!(store::encryption::state(&path).unwrap(), store::encryption::FileState::Plain);

    let secrets = MemoryStore::default();
    let opened = replica::open(&data.0, &secrets, false).unwrap();
    assert_eq!(store::encryption::state(&path).unwrap(), store::encryption::FileState::Encrypted);
    assert_eq!(integrity(&opened), "ok");
    assert!(store::query::profil(&opened.reader().unwrap(), "197603012006012005").is_ok());
    let id = std::fs::read_to_string(data.0.join(replica::ID_FILE_NAME)).unwrap();
    let key = secrets.get(&replica::key_name(&uuid::Uuid::parse_str(id.trim()).unwrap())).unwrap().unwrap();
    assert_eq!(key.len(), 32);
}

#[test]
fn a_damaged_key_or_id_is_reported_and_nothing_is_replaced() {
    let data = TempDir::new("rusak");
    let secrets = MemoryStore::default();
    drop(replica::open(&data.0, &secrets, true).unwrap());
    let id_path = data.0.join(replica::ID_FILE_NAME);
    let id = uuid::Uuid::parse_str(std::fs::read_to_string(&id_path).unwrap().trim()).unwrap();
    let key = secrets.get(&replica::key_name(&id)).unwrap().unwrap();

    secrets.set(&replica::key_name(&id), b"pendek").unwrap();
    assert!(matches!(replica::open(&data.0, &secrets, false), Err(ReplicaError::BadKey(6))));
    secrets.set(&replica::key_name(&id), &key).unwrap();

    std::fs::write(&id_path, "bukan-uuid").unwrap();
    match replica::open(&data.0, &secrets, false) {
        Err(ReplicaError::BadId { raw, .. }) => assert_eq!(raw, "bukan-uuid"),
        other => panic!("expected BadId, got {other:?}"),
    }
    std::fs::remove_file(&id_path).unwrap();
    assert!(matches!(replica::open(&data.0, &secrets, true), Err(ReplicaError::IdMissing(_))));
    assert!(!id_path.exists(), "no new id (and key) is made for an encrypted replica");
    assert!(matches!(replica::open(&TempDir::new("kosong").0, &secrets, false), Err(ReplicaError::NotFound(_))));
}

#[test]
fn processes_opening_a_new_folder_at_once_share_one_key() {
    // Threads open the files as processes do (each its own lock file handle); 20 rounds of 3 at once.
    for round in 0..20 {
        let data = TempDir::new(&format!("balapan-{round}"));
        let secrets = MemoryStore::default();
        std::thread::scope(|scope| {
            let openers: Vec<_> =
                (0..3).map(|_| scope.spawn(|| replica::open(&data.0, &secrets, true).map(drop))).collect();
            for opener in openers {
                opener.join().unwrap().unwrap();
            }
        });
        let reopened = replica::open(&data.0, &secrets, false).unwrap();
        assert_eq!(integrity(&reopened), "ok", "round {round}");
    }
}
