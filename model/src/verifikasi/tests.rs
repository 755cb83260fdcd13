//! The visit document's photos: keyed by their hash, read leniently from documents written before photo ids.

use serde_json::json;

use super::{FotoKunjungan, VerifikasiLapangan};
use crate::usulan::BlobRef;

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

#[test]
fn a_photo_without_id_reads_with_its_hash_as_id() {
    let visit: VerifikasiLapangan = serde_json::from_value(json!({
        "id": "v-1", "nip": "197603012006012005", "hasil": "ditemukan", "petugas": "198503152010011001",
        "waktu": "2026-12-01T02:30:00Z",
        "foto": [
            {"sha256": SHA, "size": 2048, "mime": "image/jpeg", "name": "depan.jpg"},
            {"id": "", "sha256": SHA, "size": 2048, "mime": "image/jpeg", "name": "lagi.jpg"},
        ],
    }))
    .unwrap();
    assert_eq!(visit.foto.iter().map(|foto| foto.id.as_str()).collect::<Vec<_>>(), [SHA, SHA]);
    // Written back, every photo carries its id, so the list is keyed by row.
    let written = serde_json::to_value(&visit).unwrap();
    assert_eq!(written["foto"][0]["id"], SHA);
}

#[test]
fn a_new_photo_is_keyed_by_its_hash() {
    let blob = BlobRef { sha256: SHA.to_owned(), size: 2048, mime: "image/png".to_owned(), name: "a.png".to_owned() };
    let foto = FotoKunjungan::baru(blob.clone());
    assert_eq!((foto.id.as_str(), foto.blob()), (SHA, blob));
    let back: FotoKunjungan = serde_json::from_value(serde_json::to_value(&foto).unwrap()).unwrap();
    assert_eq!(back, foto);
}
