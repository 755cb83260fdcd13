//! Tests of who, which device and which field each change of a history shows.

use serde_json::json;
use sync::{ActorId, ChangeMessage, Document, PathSegment};

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

    let shown = riwayat(doc.history(10, 10), &sendiri.to_hex_string(), Kind::Pegawai);
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

#[test]
fn an_envelope_is_never_the_hub_and_malformed_claims_are_dropped() {
    let hub = ActorId::from([9; 16]);
    let sendiri = ActorId::from([1; 16]);
    let forger = ActorId::from([3; 16]);
    let mut value = json!({"data_utama": {"nip": "198503152010012001", "nama": "RATNA", "no_hp": "081234567890"}});
    let mut doc = Document::new(hub);
    doc.reconcile(&value, Some("impor data pegawai"), T0).expect("import");
    let mut other = doc.fork().with_actor(forger.clone());
    // A device names itself the hub and writes the hub's messages in envelopes, with a 17-digit NIP.
    let forged = json!({"luring": 1, "pesan": "kompensasi: field ini milik BKN", "nip": "19900101201501100",
        "perangkat": "Hub (SI-ASN / impor)"});
    value["data_utama"]["nama"] = json!("RATNA X");
    other.reconcile(&value, Some(&forged.to_string()), T0 + 1_000).expect("forged compensation");
    let impor = json!({"luring": 1, "pesan": "impor data pegawai"});
    value["data_utama"]["nama"] = json!("RATNA Y");
    other.reconcile(&value, Some(&impor.to_string()), T0 + 2_000).expect("forged import");
    // Its later plain change is not the hub's either: an envelope does not make its actor the hub.
    value["data_utama"]["no_hp"] = json!("089999999999");
    other.reconcile(&value, Some("pembetulan"), T0 + 3_000).expect("plain");
    doc.merge(&mut other).expect("merge");

    let shown = riwayat(doc.history(10, 10), &sendiri.to_hex_string(), Kind::Pegawai);
    let rows: Vec<(SumberPerubahan, &str, Option<&str>, &str)> = shown
        .perubahan
        .iter()
        .map(|row| (row.sumber, row.oleh.as_str(), row.nip.as_deref(), row.perangkat.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (SumberPerubahan::PerangkatLain, TIDAK_TERCATAT, None, "Perangkat 03030303"),
            (SumberPerubahan::PerangkatLain, TIDAK_TERCATAT, None, "Perangkat 03030303"),
            // The declared name is shown as a device's name, never as the hub.
            (SumberPerubahan::PerangkatLain, TIDAK_TERCATAT, None, "Hub (SI-ASN / impor)"),
            (SumberPerubahan::Hub, OLEH_HUB, None, "hub"),
        ]
    );
}

#[test]
fn a_decision_shows_every_competing_value_before_it() {
    let mut hub = Document::new(ActorId::from([9; 16]));
    let value = json!({"data_utama": {"nip": "198503152010012001", "no_hp": "081234567890"}});
    hub.reconcile(&value, Some("impor data pegawai"), T0).expect("import");
    let mut a = hub.fork().with_actor(ActorId::from([1; 16]));
    let mut b = hub.fork().with_actor(ActorId::from([2; 16]));
    let mut on_a = value.clone();
    on_a["data_utama"]["no_hp"] = json!("0811");
    a.reconcile(&on_a, Some("ubah kontak"), T0 + 10).expect("a");
    let mut on_b = value;
    on_b["data_utama"]["no_hp"] = json!("0822");
    b.reconcile(&on_b, Some("ubah kontak"), T0 + 20).expect("b");
    a.merge(&mut b).expect("merge");
    let winner = a.hydrate()["data_utama"]["no_hp"].as_str().expect("a value").to_owned();
    let loser = if winner == "0811" { "0822" } else { "0811" };
    let path = [PathSegment::Key("data_utama".to_owned()), PathSegment::Key("no_hp".to_owned())];
    a.resolve(&path, &json!(winner), Some("putuskan konflik"), T0 + 30).expect("resolve");

    let shown = riwayat(a.history(1, 10), &ActorId::from([1; 16]).to_hex_string(), Kind::Pegawai);
    let decided = &shown.perubahan[0].field;
    assert_eq!(decided.len(), 1, "{decided:?}");
    assert_eq!(decided[0].path, "data_utama.no_hp");
    assert_eq!(decided[0].sebelum.as_deref(), Some(format!("{winner} | {loser}").as_str()));
    assert_eq!(decided[0].sesudah.as_deref(), Some(winner.as_str()));
}

#[test]
fn usulan_fields_are_named_as_an_usulan() {
    let kode = model::referensi::referensi().syarat_dokumen_usulan.rows[0].clone();
    let mut doc = Document::new(ActorId::from([1; 16]));
    let mut value = json!({
        "id": "u-1",
        "jenis": "kenaikan_pangkat",
        "sub_jenis": "101",
        "pegawai": [{"nip": "198503152010012001", "nama": "RATNA"}],
        "perubahan": {"data_utama.no_hp": "\"0811\""},
        "dokumen": {},
        "riwayat_status": [{"id": "e-1", "induk": [], "aksi": "dibuat", "oleh": "198503152010012001",
            "waktu": "2025-11-30T00:00:00Z"}],
    });
    doc.reconcile(&value, Some("usulan dibuat"), T0).expect("create");
    value["dokumen"] =
        json!({kode.kode.clone(): {"sha256": "ab", "size": 10, "mime": "application/pdf", "name": "sk.pdf"}});
    value["riwayat_status"].as_array_mut().expect("events").push(json!({"id": "e-2", "induk": ["e-1"],
        "aksi": "diajukan", "oleh": "198503152010012001", "waktu": "2025-11-30T01:00:00Z"}));
    value["siasn_id"] = json!("S-1");
    value["status_siasn"] = json!({"kode": "32", "diperbarui": "2025-11-30T02:00:00Z"});
    doc.reconcile(&value, Some("usulan diajukan"), T0 + 1_000).expect("submit");

    let shown = riwayat(doc.history(10, 100), &ActorId::from([1; 16]).to_hex_string(), Kind::Usulan);
    let named = |perubahan: &PerubahanDokumen, path: &str| {
        perubahan.field.iter().find(|field| field.path == path).unwrap_or_else(|| panic!("{path}")).clone()
    };
    let first = &shown.perubahan[1];
    assert_eq!(named(first, "jenis").field, "Jenis usulan");
    assert_eq!(named(first, "sub_jenis").field, "Sub jenis usulan");
    assert_eq!(named(first, "pegawai").field, "Pegawai yang diusulkan");
    let perubahan = named(first, "perubahan.data_utama.no_hp");
    assert_eq!(perubahan.field, format!("Perubahan diusulkan: {}", crate::konflik::nama_field("data_utama.no_hp")));
    assert_ne!(perubahan.field, "Perubahan diusulkan: data_utama.no_hp");
    let dibuat = named(first, "riwayat_status[e-1].aksi");
    assert_eq!((dibuat.field.as_str(), dibuat.sesudah.as_deref()), ("Riwayat status: aksi", Some("membuat")));

    let second = &shown.perubahan[0];
    let diajukan = named(second, "riwayat_status[e-2].aksi");
    assert_eq!(diajukan.sesudah.as_deref(), Some("mengajukan"));
    let berkas = named(second, &format!("dokumen.{}.name", kode.kode));
    assert_eq!(berkas.field, format!("Dokumen {}: nama berkas", kode.nama));
    assert_eq!(named(second, "siasn_id").field, "Id usulan SI-ASN");
    assert!(named(second, "status_siasn.kode").field.starts_with("Status usulan di SI-ASN"));
}
