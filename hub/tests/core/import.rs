//! Import: new NIPs become documents announced by a snapshot, known ones get only their changed fields.

use hub::{HubError, ImportReport, Role};
use sync::wire::{FeedBody, RecordKind};

use crate::{INSTANSI, LAIN, Replica, SCOPE, TempDir, open, pegawai, person};

#[test]
fn new_changed_equal_and_foreign_records() {
    let dir = TempDir::new("import");
    let hub = open(&dir);
    let mut progress = Vec::new();
    let report = hub.import_pegawai(INSTANSI, vec![pegawai("1001", "SARI"), pegawai("1002", "BUDI")], &mut |done| {
        progress.push(done)
    });
    assert_eq!(report.unwrap(), ImportReport { inserted: 2, updated: 0, unchanged: 0, skipped: 0 });
    assert_eq!(progress, vec![2]);
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator, SCOPE, 1 << 20);
    let head = hub.head_seq(SCOPE).unwrap();

    let mut changed = pegawai("1001", "SARI");
    changed.data_utama.no_hp = Some("0899".into());
    let report = hub
        .import_pegawai(INSTANSI, vec![changed, pegawai("1002", "BUDI"), pegawai("", "TANPA NIP")], &mut |_| {})
        .unwrap();
    assert_eq!(report, ImportReport { inserted: 0, updated: 1, unchanged: 1, skipped: 1 });
    let batch = hub.feed(&operator, SCOPE, replica.cursor.as_deref(), 1 << 20).unwrap();
    assert_eq!(batch.items.len(), 1);
    assert_eq!(batch.items[0].seq, head + 1);
    assert_eq!(batch.items[0].record, RecordKind::Pegawai);
    let FeedBody::Changes { changes } = &batch.items[0].body else { panic!("{batch:?}") };
    assert_eq!(changes.len(), 1);
    let written = automerge::Change::try_from(changes[0].as_ref()).unwrap();
    assert_eq!(written.actor_id(), hub.hub_actor());
    // Only the changed field: one put.
    assert_eq!(written.len(), 1);
    replica.apply(&batch);
    let doc = batch.items[0].doc;
    assert_eq!(replica.docs[&doc].hydrate()["data_utama"]["no_hp"], serde_json::json!("0899"));

    // The same NIP into another instansi: skipped (a mutasi is not an import).
    let report = hub.import_pegawai(LAIN, vec![pegawai("1001", "SARI")], &mut |_| {}).unwrap();
    assert_eq!(report, ImportReport { inserted: 0, updated: 0, unchanged: 0, skipped: 1 });
    assert!(matches!(hub.import_pegawai("a/b", vec![], &mut |_| {}), Err(HubError::BadRequest(_))));
}

#[test]
fn a_nip_twice_in_one_import_is_one_document() {
    let dir = TempDir::new("import-twice");
    let hub = open(&dir);
    let mut second = pegawai("1001", "SARI");
    second.data_utama.email = Some("sari@example.go.id".into());
    let report = hub.import_pegawai(INSTANSI, vec![pegawai("1001", "SARI"), second], &mut |_| {}).unwrap();
    assert_eq!(report, ImportReport { inserted: 1, updated: 1, unchanged: 0, skipped: 0 });
    let operator = person(&hub, "9001", INSTANSI, &[Role::OperatorInstansi]);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator, SCOPE, 1 << 20);
    assert_eq!(replica.docs.len(), 1);
    let value = replica.docs.values().next().unwrap().hydrate();
    assert_eq!(value["data_utama"]["email"], serde_json::json!("sari@example.go.id"));
}

#[test]
fn an_import_keeps_local_riwayat_rows_siasn_does_not_have_yet() {
    use model::pegawai::riwayat::RiwayatJabatan;
    let dir = TempDir::new("import-lokal");
    let hub = open(&dir);
    let row = |id: &str, nomor_sk: &str| RiwayatJabatan {
        id: Some(id.to_owned()),
        nomor_sk: Some(nomor_sk.to_owned()),
        ..RiwayatJabatan::default()
    };
    let mut first = pegawai("1001", "SARI");
    first.riwayat_jabatan = vec![
        row("8ae483000000000000000000000000s1", "821/1/2020"),
        row("lokal-0193", "821/7/2026"),
        row("", "821/8/2026"),
        row("", "821/9/2026"),
    ];
    hub.import_pegawai(INSTANSI, vec![first], &mut |_| {}).unwrap();

    // SI-ASN's list has its own row only (changed) and drops one it no longer has: the local row stays.
    let mut pulled = pegawai("1001", "SARI");
    pulled.riwayat_jabatan = vec![row("8ae483000000000000000000000000s1", "821/1/2020-A")];
    let report = hub.import_pegawai(INSTANSI, vec![pulled.clone()], &mut |_| {}).unwrap();
    assert_eq!(report.updated, 1);
    let stored = hub.pegawai_json(INSTANSI, "1001").unwrap().unwrap();
    let ids: Vec<(&str, &str)> = stored["riwayat_jabatan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["id"].as_str().unwrap(), row["nomor_sk"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("8ae483000000000000000000000000s1", "821/1/2020-A"),
            ("lokal-0193", "821/7/2026"),
            ("", "821/8/2026"),
            ("", "821/9/2026")
        ]
    );
    // The same list again writes nothing, and a source without riwayat (a CSV) duplicates nothing.
    let report = hub.import_pegawai(INSTANSI, vec![pulled], &mut |_| {}).unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 1));
    let mut without_jabatan = pegawai("1001", "SARI");
    without_jabatan.riwayat_jabatan.clear();
    let report = hub.import_pegawai(INSTANSI, vec![without_jabatan], &mut |_| {}).unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 1));
    let stored = hub.pegawai_json(INSTANSI, "1001").unwrap().unwrap();
    assert_eq!(stored["riwayat_jabatan"].as_array().unwrap().len(), 4);
}
