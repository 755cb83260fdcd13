//! Tests of who, which device and which field each change of a history shows.

use serde_json::json;
use sync::{ActorId, ChangeMessage, Document};

use super::*;

const T0: i64 = 1_764_460_800_000;

#[test]
fn each_change_says_who_from_which_device_and_what() {
    let hub = ActorId::from([9; 16]);
    let sendiri = ActorId::from([1; 16]);
    let lain = ActorId::from([2; 16]);
    let mut value = json!({"data_utama": {"nip": "198503152010012001", "nama": "RATNA", "no_hp": "081234567890"}});
    let mut doc = Document::new(hub.clone());
    doc.reconcile(&value, Some("impor data pegawai"), T0).expect("import");

    let mut other = doc.fork().with_actor(lain.clone());
    value["data_utama"]["no_hp"] = json!("085600001111");
    let pesan = ChangeMessage::new("ubah kontak (no HP, email)", Some("199001012015011001"), Some("PC-B"));
    other.reconcile(&value, Some(&pesan.encode()), T0 + 60_000).expect("edit");
    doc.merge(&mut other).expect("merge");

    value["data_utama"]["nama"] = json!("RATNA SARI");
    doc.reconcile(&value, Some("kompensasi: field ini milik BKN"), T0 + 120_000).expect("compensation");
    doc.set_actor(sendiri.clone());
    value["data_utama"]["no_hp"] = json!("081111111111");
    doc.reconcile(&value, Some("ubah kontak (no HP, email)"), T0 + 180_000).expect("old plain message");
    doc.set_actor(hub);
    value["data_utama"]["nama"] = json!("RATNA SARI D");
    doc.reconcile(&value, Some("pembetulan"), T0 + 240_000).expect("another hub change");

    let shown = riwayat(doc.history(10, 10), &sendiri.to_hex_string());
    assert_eq!((shown.total, shown.terpotong), (5, false));
    let rows: Vec<(SumberPerubahan, &str, &str, &str)> = shown
        .perubahan
        .iter()
        .map(|row| (row.sumber, row.oleh.as_str(), row.perangkat.as_str(), row.pesan.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (SumberPerubahan::Hub, OLEH_HUB, "hub", "pembetulan"),
            (SumberPerubahan::PerangkatIni, TIDAK_TERCATAT, PERANGKAT_INI, "ubah kontak (no HP, email)"),
            (SumberPerubahan::HubDitolak, OLEH_HUB_DITOLAK, "hub", "kompensasi: field ini milik BKN"),
            (SumberPerubahan::PerangkatLain, "199001012015011001", "PC-B", "ubah kontak (no HP, email)"),
            (SumberPerubahan::Hub, OLEH_HUB, "hub", "impor data pegawai"),
        ]
    );
    let edit = &shown.perubahan[3];
    assert_eq!(edit.waktu, "2025-11-30T00:01:00Z");
    assert_eq!(edit.nip.as_deref(), Some("199001012015011001"));
    assert_eq!(
        edit.field,
        [PerubahanField {
            path: "data_utama.no_hp".to_owned(),
            field: crate::konflik::nama_field("data_utama.no_hp"),
            sebelum: Some("081234567890".to_owned()),
            sesudah: Some("085600001111".to_owned()),
        }]
    );
    assert_ne!(edit.field[0].field, "data_utama.no_hp", "the authority table names the field");
    assert!(shown.perubahan[4].pertama && !edit.pertama);
}
