//! The feed: packing within a byte budget, cursors and their refusals, compaction into a new epoch, long-poll
//! notifications.

use hub::{HubError, Role};
use serde_json::json;
use sync::wire::{Cursor, FeedBody, RecordKind};

use crate::{Device, INSTANSI, Replica, SCOPE, TempDir, change, edit, generated_from_csv, hub_heads, open, person};

#[test]
fn batches_stay_within_the_budget_and_the_feed_ends_up_to_date() {
    let dir = TempDir::new("feed-pack");
    let hub = open(&dir);
    hub.import_pegawai(INSTANSI, generated_from_csv(300, 5), &mut |_| {}).unwrap();
    let caller = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let budget = 16 * 1024;
    let mut replica = Replica::default();
    let mut last_seq = 0;
    let mut batches = 0;
    loop {
        let batch = hub.feed(&caller, SCOPE, replica.cursor.as_deref(), budget).unwrap();
        batches += 1;
        let size = sync::wire::encode(&batch).unwrap().len();
        assert!(size <= budget || batch.items.len() == 1, "batch of {} items is {size} bytes", batch.items.len());
        for item in &batch.items {
            assert!(item.seq > last_seq);
            last_seq = item.seq;
            assert_eq!(item.record, RecordKind::Pegawai);
            assert!(matches!(item.body, FeedBody::Snapshot { .. }));
        }
        assert_eq!(Cursor::decode(&batch.next_cursor).unwrap().seq, last_seq);
        replica.apply(&batch);
        if batch.up_to_date {
            break;
        }
    }
    assert!(batches > 3, "{batches} batches");
    assert_eq!(replica.docs.len(), 300);
    assert_eq!(last_seq, hub.head_seq(SCOPE).unwrap());
    // Up to date: an empty batch that keeps the cursor.
    let batch = hub.feed(&caller, SCOPE, replica.cursor.as_deref(), budget).unwrap();
    assert!(batch.items.is_empty() && batch.up_to_date);
    assert_eq!(Some(batch.next_cursor), replica.cursor);
    // An empty scope the caller may read: nothing, up to date.
    let bkn = person(&hub, "8001", "B1", &[Role::VerifikatorBkn]);
    let empty = hub.feed(&bkn, "instansi:B1", None, budget).unwrap();
    assert!(empty.items.is_empty() && empty.up_to_date);
}

#[test]
fn malformed_or_stale_cursors_and_scopes_are_refused() {
    let dir = TempDir::new("feed-cursor");
    let hub = open(&dir);
    hub.import_pegawai(INSTANSI, vec![crate::pegawai("1001", "SARI")], &mut |_| {}).unwrap();
    let caller = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let batch = hub.feed(&caller, SCOPE, None, 1 << 20).unwrap();
    let cursor = Cursor::decode(&batch.next_cursor).unwrap();
    assert!(matches!(hub.feed(&caller, SCOPE, Some("bukan-kursor"), 1 << 20), Err(HubError::BadRequest(_))));
    let other_epoch = Cursor { epoch: cursor.epoch + 1, seq: cursor.seq }.encode();
    assert!(matches!(hub.feed(&caller, SCOPE, Some(&other_epoch), 1 << 20), Err(HubError::MustRefetch { .. })));
    let beyond = Cursor { epoch: cursor.epoch, seq: cursor.seq + 10 }.encode();
    assert!(matches!(hub.feed(&caller, SCOPE, Some(&beyond), 1 << 20), Err(HubError::MustRefetch { .. })));
    for scope in ["instansi:", "unit:1", "instansi:../x", SCOPE.to_lowercase().as_str()] {
        let result = hub.feed(&caller, scope, None, 1 << 20);
        assert!(matches!(result, Err(HubError::BadRequest(_) | HubError::Forbidden(_))), "{scope}: {result:?}");
    }
    assert!(matches!(hub.head_seq("instansi:a/b"), Err(HubError::BadRequest(_))));
}

#[test]
fn compaction_starts_an_epoch_whose_log_is_one_snapshot_per_document() {
    let dir = TempDir::new("feed-compact");
    let hub = open(&dir);
    hub.import_pegawai(INSTANSI, vec![crate::pegawai("1001", "SARI"), crate::pegawai("1002", "BUDI")], &mut |_| {})
        .unwrap();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let device = Device::register(&hub, &operator, 1);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator, SCOPE, 1 << 20);
    // A few edits, so that documents have history after their import snapshot.
    let docs: Vec<_> = replica.docs.keys().copied().collect();
    for (index, doc) in docs.iter().enumerate() {
        let local = replica.docs.get_mut(doc).unwrap();
        local.set_actor(device.actor.clone());
        let raw = edit(local, |value| value["data_utama"]["no_hp"] = json!(format!("08{index}")));
        device.push(&hub, vec![change(*doc, RecordKind::Pegawai, raw)]);
    }
    let before = hub_heads(&hub, &operator, SCOPE);
    let stale = replica.cursor.clone();
    let watch = hub.subscribe();
    hub.compact_log(SCOPE).unwrap();
    assert!(watch.has_changed().unwrap());
    assert!(matches!(hub.feed(&operator, SCOPE, stale.as_deref(), 1 << 20), Err(HubError::MustRefetch { .. })));
    let fresh = hub.feed(&operator, SCOPE, None, 1 << 20).unwrap();
    assert_eq!(fresh.items.len(), 2);
    assert!(fresh.items.iter().all(|item| matches!(item.body, FeedBody::Snapshot { .. })));
    assert_eq!(hub_heads(&hub, &operator, SCOPE), before);
    assert_eq!(*watch.borrow(), fresh.items[1].seq);
    // The device re-bootstraps and keeps following.
    let mut again = Replica::default();
    again.follow(&hub, &operator, SCOPE, 1 << 20);
    let doc = docs[0];
    let mut local = again.docs.remove(&doc).unwrap().with_actor(device.actor.clone());
    let raw = edit(&mut local, |value| value["data_utama"]["email"] = json!("a@b.go.id"));
    let response = device.push(&hub, vec![change(doc, RecordKind::Pegawai, raw)]);
    assert!(matches!(response.results[0].outcome, sync::wire::PushOutcome::Applied { .. }));
    again.docs.insert(doc, local);
    again.follow(&hub, &operator, SCOPE, 1 << 20);
    assert_eq!(Cursor::decode(again.cursor.as_deref().unwrap()).unwrap().seq, response.checkpoint_seq);
}

#[test]
fn every_append_bumps_the_watch() {
    let dir = TempDir::new("feed-watch");
    let hub = open(&dir);
    let mut watch = hub.subscribe();
    assert_eq!(*watch.borrow_and_update(), 0);
    hub.import_pegawai(INSTANSI, vec![crate::pegawai("1001", "SARI")], &mut |_| {}).unwrap();
    assert!(watch.has_changed().unwrap());
    assert_eq!(*watch.borrow_and_update(), hub.head_seq(SCOPE).unwrap());
    // Reopened, the watch starts at the hub's last seq.
    drop(hub);
    let hub = open(&dir);
    assert_eq!(*hub.subscribe().borrow(), hub.head_seq(SCOPE).unwrap());
}
