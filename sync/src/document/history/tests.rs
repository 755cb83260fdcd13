//! Tests of the audit trail with pegawai-shaped documents: field-level before/after, riwayat rows by id,
//! concurrent changes from two devices, the caps, and the change message envelope.

use serde_json::{Value, json};

use super::*;
use crate::ActorId;

const T0: i64 = 1_764_460_800_000;

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16])
}

/// A pegawai in its serde JSON form (as `model::Pegawai` serializes), with riwayat rows with ids.
fn pegawai() -> Value {
    json!({
        "data_utama": {
            "pns_id": "A8ACA7397AEB3912E040640A040269BB",
            "nip": "198503152010012001",
            "nama": "RATNA RAHMAWATI",
            "gelar_depan": "dr.",
            "tgl_lahir": "1985-03-15",
            "no_hp": "081234567890",
            "email": "ratna@example.org",
            "golongan_akhir_id": "34",
            "mk_golongan_tahun": 10,
        },
        "riwayat_jabatan": [
            {"id": "rj-1", "jabatan_nama": "Dokter Ahli Pertama", "tmt_jabatan": "2010-01-01"},
            {"id": "rj-2", "jabatan_nama": "Dokter Ahli Muda", "tmt_jabatan": "2016-04-01"},
        ],
        "riwayat_golongan": [
            {"id": "rg-1", "golongan_id": "33", "tmt_golongan": "2014-04-01"},
        ],
        "raw": {"_source": "siasn-ws"},
    })
}

fn field<'h>(entry: &'h HistoryEntry, path: &str) -> &'h FieldChange {
    entry.fields.iter().find(|field| field.path == path).unwrap_or_else(|| panic!("{path} in {:?}", entry.fields))
}

#[test]
fn every_change_with_its_fields_before_and_after() {
    let mut doc = Document::new(actor(1));
    let value = pegawai();
    let first = doc.reconcile(&value, Some("impor data pegawai"), T0).expect("import").expect("a change");

    let mut edited = value.clone();
    edited["data_utama"]["no_hp"] = json!("085600001111");
    edited["data_utama"]["email"] = Value::Null;
    let kontak = ChangeMessage::new("ubah kontak (no HP, email)", Some("199001012015011001"), Some("LAPTOP-BKD"));
    let second = doc.reconcile(&edited, Some(&kontak.encode()), T0 + 60_000).expect("edit").expect("a change");

    // A riwayat row edited, one removed, one added, and the order changed: only what changed in a row is reported.
    edited["riwayat_jabatan"] = json!([
        {"id": "rj-3", "jabatan_nama": "Dokter Ahli Madya", "tmt_jabatan": "2022-10-01"},
        {"id": "rj-2", "jabatan_nama": "Dokter Ahli Muda", "tmt_jabatan": "2016-05-01"},
    ]);
    doc.reconcile(&edited, Some("peremajaan data diverifikasi"), T0 + 120_000).expect("edit").expect("a change");

    let history = doc.history(100, 1_000);
    assert_eq!((history.total, history.truncated, history.changes.len()), (3, false, 3));
    let [third_entry, second_entry, first_entry] = &history.changes[..] else { panic!("three changes") };

    // Newest first; each with its actor, time and message.
    assert_eq!(first_entry.hash, first);
    assert!(first_entry.first && !second_entry.first);
    assert_eq!(first_entry.actor, actor(1).to_hex_string());
    assert_eq!(first_entry.message.as_deref(), Some("impor data pegawai"));
    assert_eq!((second_entry.hash, second_entry.time_ms), (second, T0 + 60_000));

    // The import wrote every leaf: nothing before, no internal entry, an escaped key unescaped.
    let nama = field(first_entry, "data_utama.nama");
    assert_eq!((nama.before.clone(), nama.after.clone()), (None, Some(json!("RATNA RAHMAWATI"))));
    assert_eq!(field(first_entry, "riwayat_jabatan[rj-1].tmt_jabatan").after, Some(json!("2010-01-01")));
    assert_eq!(field(first_entry, "raw._source").after, Some(json!("siasn-ws")));
    assert!(first_entry.fields.iter().all(|field| !field.path.contains("_urutan") && !field.path.contains("_keyed")));
    assert_eq!(first_entry.fields_omitted, 0);

    // The kontak edit: exactly its two fields, a removal as `after: None`.
    assert_eq!(second_entry.fields.len(), 2, "{:?}", second_entry.fields);
    let no_hp = field(second_entry, "data_utama.no_hp");
    assert_eq!((no_hp.before.clone(), no_hp.after.clone()), (Some(json!("081234567890")), Some(json!("085600001111"))));
    assert_eq!(no_hp.segments, vec![PathSegment::Key("data_utama".to_owned()), PathSegment::Key("no_hp".to_owned())]);
    let email = field(second_entry, "data_utama.email");
    assert_eq!((email.before.clone(), email.after.clone()), (Some(json!("ratna@example.org")), None));
    let parsed = ChangeMessage::parse(second_entry.message.as_deref().unwrap_or_default());
    assert_eq!(parsed, kontak);

    // The riwayat edit: rows by id; the moved row reports only its changed date.
    let paths: Vec<&str> = third_entry.fields.iter().map(|field| field.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "riwayat_jabatan[rj-1].jabatan_nama",
            "riwayat_jabatan[rj-1].tmt_jabatan",
            "riwayat_jabatan[rj-2].tmt_jabatan",
            "riwayat_jabatan[rj-3].jabatan_nama",
            "riwayat_jabatan[rj-3].tmt_jabatan",
        ]
    );
    let moved = field(third_entry, "riwayat_jabatan[rj-2].tmt_jabatan");
    assert_eq!((moved.before.clone(), moved.after.clone()), (Some(json!("2016-04-01")), Some(json!("2016-05-01"))));
    assert_eq!(field(third_entry, "riwayat_jabatan[rj-1].tmt_jabatan").after, None);
    assert_eq!(field(third_entry, "riwayat_jabatan[rj-3].jabatan_nama").before, None);
}

#[test]
fn concurrent_changes_are_each_diffed_against_what_their_author_saw() {
    let mut hub = Document::new(actor(9));
    hub.reconcile(&pegawai(), Some("impor data pegawai"), T0).expect("import");
    let mut a = hub.fork().with_actor(actor(1));
    let mut b = hub.fork().with_actor(actor(2));

    let mut on_a = pegawai();
    on_a["data_utama"]["nama"] = json!("RATNA RAHMAWATI S");
    a.reconcile(
        &on_a,
        Some(&ChangeMessage::new("ubah nama", Some("198001012005011001"), Some("PC-A")).encode()),
        T0 + 10,
    )
    .expect("edit a");
    let mut on_b = pegawai();
    on_b["data_utama"]["nama"] = json!("RATNA RAHMAWATY");
    on_b["data_utama"]["mk_golongan_tahun"] = json!(11);
    b.reconcile(
        &on_b,
        Some(&ChangeMessage::new("ubah nama", Some("198001012005011002"), Some("PC-B")).encode()),
        T0 + 20,
    )
    .expect("edit b");
    a.merge(&mut b).expect("merge");

    let history = a.history(10, 100);
    assert_eq!(history.total, 3);
    let by_actor = |n: u8| {
        history.changes.iter().find(|entry| entry.actor == actor(n).to_hex_string()).expect("the device's change")
    };
    // Each concurrent change is compared with the version its author saw, not with the other device's value.
    let nama_a = field(by_actor(1), "data_utama.nama");
    assert_eq!(
        (nama_a.before.clone(), nama_a.after.clone()),
        (Some(json!("RATNA RAHMAWATI")), Some(json!("RATNA RAHMAWATI S")))
    );
    let nama_b = field(by_actor(2), "data_utama.nama");
    assert_eq!(
        (nama_b.before.clone(), nama_b.after.clone()),
        (Some(json!("RATNA RAHMAWATI")), Some(json!("RATNA RAHMAWATY")))
    );
    assert_eq!(field(by_actor(2), "data_utama.mk_golongan_tahun").after, Some(json!(11)));
    assert_eq!(by_actor(1).fields.len(), 1);
    // The import is the oldest, so it is listed last.
    assert_eq!(history.changes.last().map(|entry| entry.actor.clone()), Some(actor(9).to_hex_string()));

    // A resolve (a verifikator's decision over the conflict) writes over both.
    let resolved = a
        .resolve(
            &[PathSegment::Key("data_utama".to_owned()), PathSegment::Key("nama".to_owned())],
            &json!("RATNA RAHMAWATI"),
            Some("putuskan konflik data_utama.nama"),
            T0 + 30,
        )
        .expect("resolve");
    let history = a.history(1, 100);
    assert_eq!((history.changes.len(), history.truncated), (1, true));
    assert_eq!(history.changes[0].hash, resolved);
    let decided = field(&history.changes[0], "data_utama.nama");
    assert_eq!(decided.after, Some(json!("RATNA RAHMAWATI")));
    assert!(decided.before.is_some());
}

#[test]
fn caps_bound_the_work() {
    let mut doc = Document::new(actor(1));
    let mut value = pegawai();
    doc.reconcile(&value, Some("impor data pegawai"), T0).expect("import");
    for step in 0..30 {
        value["data_utama"]["no_hp"] = json!(format!("0812000000{step:02}"));
        doc.reconcile(&value, Some("ubah kontak (no HP, email)"), T0 + i64::from(step)).expect("edit");
    }
    let history = doc.history(5, 3);
    assert_eq!((history.total, history.truncated, history.changes.len()), (31, true, 5));
    assert_eq!(history.changes[0].fields[0].after, Some(json!("081200000029")));
    assert_eq!(history.changes[4].fields[0].before, Some(json!("081200000024")));
    // All of them, the import capped to 3 fields with the rest counted.
    let all = doc.history(usize::MAX, 3);
    assert!(!all.truncated);
    let import = all.changes.last().expect("the import");
    assert_eq!(import.fields.len(), 3);
    assert_eq!(import.fields.len() + import.fields_omitted, 16);
    assert!(Document::new(actor(1)).history(10, 10).changes.is_empty());
}

#[test]
fn messages_envelope_round_trips_and_plain_messages_stay_plain() {
    let full = ChangeMessage::new("usulan diajukan", Some("199001012015011001"), Some("LAPTOP \"BKD\" {3}"));
    assert_eq!(ChangeMessage::parse(&full.encode()), full);
    assert!(full.encode().starts_with(r#"{"luring":1,"pesan":"usulan diajukan","#), "{}", full.encode());
    let without_device = ChangeMessage::new("usulan dibuat", Some("199001012015011001"), Some("  "));
    assert_eq!(ChangeMessage::parse(&without_device.encode()), without_device);
    assert_eq!(without_device.perangkat, None);
    // Nothing recorded: the plain message.
    assert_eq!(ChangeMessage::new("impor data pegawai", None, None).encode(), "impor data pegawai");
    for plain in ["impor data pegawai", "kompensasi: field ini milik BKN", "{not json", r#"{"pesan":"x"}"#, ""] {
        assert_eq!(ChangeMessage::parse(plain), ChangeMessage { pesan: plain.to_owned(), nip: None, perangkat: None });
    }
    // A later version with more members still reads.
    let later = ChangeMessage::parse(
        r#"{"luring":2,"pesan":"x","nip":"199001012015011001","perangkat":"P","peran":"operator"}"#,
    );
    assert_eq!((later.nip.as_deref(), later.perangkat.as_deref()), (Some("199001012015011001"), Some("P")));
    assert!(ChangeMessage::parse_envelope("impor data pegawai").is_none());
    assert!(ChangeMessage::parse_envelope(r#"{"luring":1,"pesan":"x"}"#).is_some());
}

#[test]
fn malformed_claims_in_an_envelope_are_dropped() {
    let parse = |nip: &str, perangkat: &str| {
        let message = serde_json::json!({"luring": 1, "pesan": "ubah", "nip": nip, "perangkat": perangkat});
        ChangeMessage::parse(&message.to_string())
    };
    // A 17-digit NIP, a 19-digit one, one with a letter, one of non-ASCII digits: dropped; the rest is kept.
    for nip in
        ["19900101201501100", "1990010120150110011", "19900101201501100X", "１９９００１０１２０１５０１１００１"]
    {
        let parsed = parse(nip, "PC");
        assert_eq!(
            (parsed.nip, parsed.perangkat.as_deref(), parsed.pesan.as_str()),
            (None, Some("PC"), "ubah"),
            "{nip}"
        );
    }
    assert_eq!(parse("199001012015011001", "PC").nip.as_deref(), Some("199001012015011001"));
    // A device name with a control character, or longer than 200 characters: dropped.
    assert_eq!(parse("199001012015011001", "PC\nHub").perangkat, None);
    assert_eq!(parse("199001012015011001", "PC\u{7}").perangkat, None);
    assert_eq!(parse("199001012015011001", &"é".repeat(200)).perangkat.map(|name| name.chars().count()), Some(200));
    assert_eq!(parse("199001012015011001", &"é".repeat(201)).perangkat, None);
}

#[test]
fn a_decision_that_keeps_the_shown_value_lists_the_field_with_every_competing_value() {
    let mut hub = Document::new(actor(9));
    hub.reconcile(&pegawai(), Some("impor data pegawai"), T0).expect("import");
    let mut a = hub.fork().with_actor(actor(1));
    let mut b = hub.fork().with_actor(actor(2));
    // Two devices write different values offline, then merge: a conflict.
    let mut on_a = pegawai();
    on_a["data_utama"]["gelar_depan"] = json!("drg.");
    a.reconcile(&on_a, Some("ubah gelar"), T0 + 10).expect("edit a");
    let mut on_b = pegawai();
    on_b["data_utama"]["gelar_depan"] = json!("dr. Sp.A");
    b.reconcile(&on_b, Some("ubah gelar"), T0 + 20).expect("edit b");
    a.merge(&mut b).expect("merge");
    let winner = a.hydrate()["data_utama"]["gelar_depan"].clone();
    let loser = if winner == json!("drg.") { json!("dr. Sp.A") } else { json!("drg.") };

    // The verifikator keeps the value shown: the value does not change, yet the decision lists the field.
    let path = [PathSegment::Key("data_utama".to_owned()), PathSegment::Key("gelar_depan".to_owned())];
    a.resolve(&path, &winner, Some("putuskan konflik data_utama.gelar_depan"), T0 + 30).expect("resolve");
    let history = a.history(1, 100);
    let decided = &history.changes[0];
    assert_eq!(decided.fields.len(), 1, "{:?}", decided.fields);
    let gelar = field(decided, "data_utama.gelar_depan");
    assert_eq!((gelar.before.clone(), gelar.after.clone()), (Some(winner.clone()), Some(winner.clone())));
    assert_eq!(gelar.competing, vec![winner, loser]);
}

#[test]
fn a_member_of_an_object_in_a_list_is_reported_at_the_list() {
    let mut doc = Document::new(actor(1));
    let mut value = json!({"pegawai": [{"nip": "198503152010012001", "nama": "RATNA"}], "jenis": "kenaikan_pangkat"});
    doc.reconcile(&value, Some("usulan dibuat"), T0).expect("create");
    value["pegawai"][0]["nama"] = json!("RATNA SARI");
    doc.reconcile(&value, Some("ubah"), T0 + 1).expect("edit");
    let edit = &doc.history(1, 10).changes[0];
    let paths: Vec<&str> = edit.fields.iter().map(|field| field.path.as_str()).collect();
    assert_eq!(paths, ["pegawai"]);
    assert_eq!(field(edit, "pegawai").after, Some(json!([{"nip": "198503152010012001", "nama": "RATNA SARI"}])));
}
