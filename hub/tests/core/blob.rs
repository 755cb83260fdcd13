//! Blobs: resumable chunked upload, the whole-hash check, and reads only through a referencing document.

use hub::{HubError, HubOptions, Role};
use serde_json::json;
use sha2::{Digest, Sha256};
use sync::Document;
use sync::wire::{PushOutcome, RecordKind};

use crate::{Device, INSTANSI, TempDir, change, outcomes, person};

fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn an_upload_resumes_is_verified_and_is_served_only_through_a_reference() {
    let dir = TempDir::new("blob");
    let hub = hub::Hub::open(&dir.0, HubOptions { blob_chunk_size: 1000, ..HubOptions::default() }).unwrap();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let scan: Vec<u8> = (0..2_500u32).map(|i| (i * 7 % 251) as u8).collect();
    let hash = sha(&scan);

    let status = hub.blob_status(&operator, &hash, 2_500).unwrap();
    assert_eq!((status.chunk_size, status.have.clone(), status.complete), (1000, vec![], false));
    // Chunk 2 (the short last one), then a cut: the status lists what arrived.
    let status = hub.put_blob_chunk(&operator, &hash, 2, &scan[2000..]).unwrap();
    assert_eq!((status.have.clone(), status.complete), (vec![2], false));
    assert_eq!(hub.blob_status(&operator, &hash, 2_500).unwrap().have, vec![2]);
    // Wrong length or index.
    assert!(matches!(hub.put_blob_chunk(&operator, &hash, 0, &scan[..999]), Err(HubError::BadRequest(_))));
    assert!(matches!(hub.put_blob_chunk(&operator, &hash, 3, &scan[..500]), Err(HubError::BadRequest(_))));
    hub.put_blob_chunk(&operator, &hash, 0, &scan[..1000]).unwrap();
    let status = hub.put_blob_chunk(&operator, &hash, 1, &scan[1000..2000]).unwrap();
    assert_eq!((status.have.clone(), status.complete), (vec![0, 1, 2], true));
    assert!(hub.blob_status(&operator, &hash, 2_500).unwrap().complete);
    assert!(matches!(hub.blob_status(&operator, &hash, 2_501), Err(HubError::BadRequest(_))));

    // Not referenced yet: not served.
    assert!(matches!(hub.blob(&operator, &hash), Err(HubError::NotFound(_))));
    // A verifikasi lapangan whose photo references it.
    let device = Device::register(&hub, &operator, 1);
    let mut visit = Document::new(device.actor.clone());
    let visit_id = uuid::Uuid::now_v7();
    visit
        .reconcile(
            &json!({"id": visit_id.to_string(), "nip": "197603012006012005", "hasil": "ditemukan",
                "petugas": operator.nip.as_str(), "waktu": "2026-12-01T02:30:00Z", "foto": [
                {"id": hex(&hash), "sha256": hex(&hash), "size": 2500, "mime": "image/jpeg", "name": "depan.jpg"}
            ]}),
            None,
            1,
        )
        .unwrap();
    let raw = visit.changes_since(&[]).pop().unwrap();
    let response = device.push(&hub, vec![change(*visit_id.as_bytes(), RecordKind::VerifikasiLapangan, raw)]);
    assert!(matches!(outcomes(&response)[..], [PushOutcome::Applied { .. }]), "{response:?}");
    assert_eq!(hub.blob(&operator, &hash).unwrap(), scan);
    // Another instansi's operator: not theirs. A verifikator BKN reads every scope.
    let other = person(&hub, "8001", "B1", &[Role::OperatorInstansi]);
    assert!(matches!(hub.blob(&other, &hash), Err(HubError::NotFound(_))));
    let bkn = person(&hub, "8002", "B1", &[Role::VerifikatorBkn]);
    assert_eq!(hub.blob(&bkn, &hash).unwrap().len(), 2_500);
}

#[test]
fn a_blob_that_does_not_match_its_hash_is_discarded() {
    let dir = TempDir::new("blob-bad");
    let hub = hub::Hub::open(&dir.0, HubOptions { blob_chunk_size: 4, ..HubOptions::default() }).unwrap();
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let claimed = sha(b"abcdefgh");
    hub.blob_status(&operator, &claimed, 8).unwrap();
    hub.put_blob_chunk(&operator, &claimed, 0, b"abcd").unwrap();
    let result = hub.put_blob_chunk(&operator, &claimed, 1, b"XXXX");
    assert!(matches!(result, Err(HubError::BadRequest(_))), "{result:?}");
    // Every chunk is gone: the upload starts over.
    assert!(matches!(hub.put_blob_chunk(&operator, &claimed, 1, b"efgh"), Err(HubError::BadRequest(_))));
    let status = hub.blob_status(&operator, &claimed, 8).unwrap();
    assert_eq!((status.have, status.complete), (vec![], false));
    hub.put_blob_chunk(&operator, &claimed, 0, b"abcd").unwrap();
    assert!(hub.put_blob_chunk(&operator, &claimed, 1, b"efgh").unwrap().complete);
    // Limits.
    assert!(matches!(hub.blob_status(&operator, &claimed, hub::core::MAX_BLOB_BYTES + 1), Err(HubError::TooLarge(_))));
    let empty = sha(b"");
    assert!(hub.blob_status(&operator, &empty, 0).unwrap().complete);
}
