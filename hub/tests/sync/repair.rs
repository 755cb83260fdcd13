//! The repair path over the in-memory network: a device whose copy of a pegawai lost a change (the feed's next
//! change to it cannot apply), and whose own edit of it never reached the hub, is brought level with the hub in
//! one run, the edit pushed; a quarantined copy is replaced by the hub's; a document the hub does not hold is
//! reported and, after a few runs, left alone.

use serde_json::Value;
use store::document::{self, Kind};
use store::{integrity, projection, query, sync_state};
use sync::engine::RequestKind;
use uuid::Uuid;

use crate::{Setup, documents, edit, setup, sync};

fn rowid(setup: &Setup, device: usize, nip: &str) -> i64 {
    let reader = setup.devices[device].replica.reader().unwrap();
    projection::find_pegawai(&reader, nip, None).unwrap().unwrap().document_rowid
}

fn field(setup: &Setup, device: usize, nip: &str, name: &str) -> Value {
    let profil = query::profil(&setup.devices[device].replica.reader().unwrap(), nip).unwrap();
    serde_json::to_value(&profil.pegawai.data_utama).unwrap()[name].clone()
}

fn repair_rounds(setup: &Setup, device: usize) -> usize {
    setup.network.requests(device).iter().filter(|(kind, _)| *kind == RequestKind::Repair).count()
}

#[test]
fn a_copy_that_lost_a_change_is_repaired_and_its_own_lost_edit_is_pushed() {
    let setup = setup("perbaikan", 20, 2, 41);
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let nip = setup.pegawai[2].data_utama.nip.to_string();
    let rowid = rowid(&setup, 1, &nip);
    let (_, before) = document::load(&setup.devices[1].replica.reader().unwrap(), rowid).unwrap();

    // Device 0 edits; device 1 gets it; then device 1's copy goes back to before it (a restored backup).
    assert!(edit(&setup, 0, &nip, "no_hp", "081234500001", 1_764_500_001_000));
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    assert_eq!(field(&setup, 1, &nip, "no_hp"), "081234500001");
    setup.devices[1]
        .replica
        .write(|tx| {
            document::compact(tx, rowid, &before, 1_764_500_002_000)?;
            projection::project(tx, rowid, Kind::Pegawai, &before)
        })
        .unwrap();
    // An officer's edit on device 1 whose outbox row is lost with the backup: the hub never hears of it.
    assert!(edit(&setup, 1, &nip, "email", "pulih@contoh.go.id", 1_764_500_003_000));
    let lost: Vec<[u8; 32]> = sync_state::outbox(&setup.devices[1].replica.reader().unwrap(), 10)
        .unwrap()
        .iter()
        .map(|item| item.change_hash)
        .collect();
    setup.devices[1].replica.write(|tx| sync_state::remove_from_outbox(tx, &lost).map(|_| ())).unwrap();
    // Device 0 edits again, on top of its first edit, which device 1 now lacks.
    assert!(edit(&setup, 0, &nip, "alamat", "JL. PULIH NO. 1", 1_764_500_004_000));
    sync(&setup, 0).unwrap();

    setup.network.reset_counters();
    let repaired = sync(&setup, 1).unwrap();
    assert_eq!((repaired.repaired, repaired.repair_requeued), (1, 1), "{repaired:?}");
    assert!(repaired.repair_failures.is_empty());
    assert_eq!(repaired.pushed, 1, "the lost edit went up through the push, in the same run");
    assert!((1..=2).contains(&repair_rounds(&setup, 1)), "{} rounds", repair_rounds(&setup, 1));
    assert_eq!(field(&setup, 1, &nip, "no_hp"), "081234500001");
    assert_eq!(field(&setup, 1, &nip, "alamat"), "JL. PULIH NO. 1");
    assert_eq!(field(&setup, 1, &nip, "email"), "pulih@contoh.go.id");
    assert!(store::replication::status(&setup.devices[1].replica).unwrap().repairs.is_empty());

    sync(&setup, 0).unwrap();
    assert_eq!(field(&setup, 0, &nip, "email"), "pulih@contoh.go.id");
    assert_eq!(documents(&setup.devices[0].replica), documents(&setup.devices[1].replica));
    // Level now: the next run repairs nothing.
    setup.network.reset_counters();
    let quiet = sync(&setup, 1).unwrap();
    assert_eq!((quiet.repaired, quiet.requests), (0, 1));
}

#[test]
fn a_quarantined_copy_is_replaced_by_the_hubs_and_an_unknown_document_is_given_up() {
    let setup = setup("perbaikan-karantina", 20, 2, 42);
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let nip = setup.pegawai[5].data_utama.nip.to_string();
    let rowid = rowid(&setup, 1, &nip);
    setup.devices[1]
        .replica
        .write(|tx| {
            tx.execute("UPDATE document SET snapshot = X'00FF', compressed = 0 WHERE rowid = ?1", [rowid])?;
            tx.execute("DELETE FROM document_chunk WHERE document_rowid = ?1", [rowid])?;
            document::quarantine(tx, rowid, "uji: byte rusak")
        })
        .unwrap();
    assert_eq!(documents(&setup.devices[1].replica).len(), 19);
    // And a mark for a document the hub does not hold in the scope.
    let stranger = Uuid::now_v7();
    setup.devices[1]
        .replica
        .write(|tx| sync_state::mark_repair(tx, stranger, &setup.scope, Kind::Usulan, "uji", 1_764_500_000_000))
        .unwrap();

    let run = sync(&setup, 1).unwrap();
    assert_eq!(run.repaired, 1, "{run:?}");
    assert_eq!(run.repair_failures.len(), 1);
    assert_eq!(run.repair_failures[0].0, *stranger.as_bytes());
    assert!(run.repair_failures[0].1.contains("404"), "{}", run.repair_failures[0].1);
    let report = integrity::check(&setup.devices[1].replica).unwrap();
    assert!(report.is_healthy(), "{report:?}");
    assert_eq!(documents(&setup.devices[1].replica), documents(&setup.devices[0].replica));

    // The stranger is asked for in the next runs, then left alone.
    for _ in 1..sync_state::MAX_REPAIR_ATTEMPTS {
        assert_eq!(sync(&setup, 1).unwrap().repair_failures.len(), 1);
    }
    setup.network.reset_counters();
    let calm = sync(&setup, 1).unwrap();
    assert_eq!((calm.repair_failures.len(), repair_rounds(&setup, 1)), (0, 0));
    let status = store::replication::status(&setup.devices[1].replica).unwrap();
    assert_eq!(status.repairs.len(), 1);
    assert_eq!(status.repairs[0].attempts, sync_state::MAX_REPAIR_ATTEMPTS);
}
