//! Reminder follow-ups (`tindak_lanjut.<kunci>` in a pegawai document) pushed to the hub: a good one is applied;
//! a bad one (someone else's NIP as `oleh`, a shape that would not read, a list, an extra member) is taken back
//! whole by the hub's compensation, so the pegawai still reads as one on every replica; replacing the map itself is
//! refused without keeping the change; two operators' first follow-ups on the same pegawai, made offline, both
//! survive the merge because every imported document holds the map.

use hub::{Hub, Role};
use serde_json::{Value, json};
use sync::wire::{DocId, PushOutcome, RecordKind};

use crate::{Device, INSTANSI, Replica, SCOPE, TempDir, change, edit, open, outcomes, pegawai, person};

const OPERATOR: &str = "198703152010011002";
const OPERATOR_2: &str = "199001012015031001";
const KGB: &str = "kgb-2027-06-01";

struct Kabupaten {
    _dir: TempDir,
    hub: Hub,
    operator: Device,
    replica: Replica,
    doc: DocId,
}

fn kabupaten(name: &str) -> Kabupaten {
    let dir = TempDir::new(name);
    let hub = open(&dir);
    hub.import_pegawai(INSTANSI, vec![pegawai("198503032010011004", "SARI")], &mut |_| {}).unwrap();
    let caller = person(&hub, OPERATOR, INSTANSI, &[Role::OperatorInstansi]);
    let operator = Device::register(&hub, &caller, 1);
    let mut replica = Replica::default();
    replica.follow(&hub, &operator.caller, SCOPE, 1 << 20);
    let doc = *replica.docs.keys().next().unwrap();
    for document in replica.docs.values_mut() {
        document.set_actor(operator.actor.clone());
    }
    Kabupaten { _dir: dir, hub, operator, replica, doc }
}

impl Kabupaten {
    fn push(&mut self, change_json: impl FnOnce(&mut Value)) -> Vec<PushOutcome> {
        let raw = edit(self.replica.docs.get_mut(&self.doc).unwrap(), change_json);
        outcomes(&self.operator.push(&self.hub, vec![change(self.doc, RecordKind::Pegawai, raw)]))
    }

    /// The document as the replica holds it after following the feed: it must still read as a pegawai.
    fn pegawai(&mut self) -> model::Pegawai {
        self.replica.follow(&self.hub, &self.operator.caller, SCOPE, 1 << 20);
        serde_json::from_value(self.replica.docs[&self.doc].hydrate()).expect("the pegawai still reads as one")
    }

    fn tindak_lanjut(&mut self) -> Value {
        self.replica.follow(&self.hub, &self.operator.caller, SCOPE, 1 << 20);
        self.replica.docs[&self.doc].hydrate()["tindak_lanjut"].clone()
    }
}

/// A change to a pegawai's JSON form.
type Edit = dyn Fn(&mut Value);

fn entry(oleh: &str) -> Value {
    json!({"status": "ditangani", "oleh": oleh, "waktu": "2026-12-01T05:00:00Z", "catatan": "SK KGB disiapkan"})
}

fn is_applied(outcome: &PushOutcome) -> bool {
    matches!(outcome, PushOutcome::Applied { .. })
}

#[test]
fn an_imported_pegawai_holds_an_empty_map_and_a_good_follow_up_is_applied() {
    let mut kabupaten = kabupaten("pengingat-baik");
    assert_eq!(kabupaten.tindak_lanjut(), json!({}));
    let outcome = kabupaten.push(|value| value["tindak_lanjut"][KGB] = entry(OPERATOR));
    assert!(outcome.iter().all(is_applied), "{outcome:?}");
    let pegawai = kabupaten.pegawai();
    assert_eq!(pegawai.tindak_lanjut[KGB].oleh, OPERATOR);
}

#[test]
fn a_bad_follow_up_is_taken_back_whole_and_the_pegawai_still_reads() {
    let mut kabupaten = kabupaten("pengingat-buruk");
    let bad: [(&str, Box<Edit>); 5] = [
        ("oleh lain", Box::new(|value: &mut Value| value["tindak_lanjut"][KGB] = entry(OPERATOR_2))),
        ("status x", Box::new(|value: &mut Value| value["tindak_lanjut"][KGB] = json!({"status": "x"}))),
        (
            "catatan panjang",
            Box::new(|value: &mut Value| {
                value["tindak_lanjut"][KGB] = json!({"status": "ditangani", "oleh": OPERATOR,
                    "waktu": "2026-12-01T05:00:00Z", "catatan": "x".repeat(200_000)});
            }),
        ),
        (
            "daftar, bukan peta",
            Box::new(|value: &mut Value| {
                value["tindak_lanjut"][KGB] = json!(["ditangani", null, OPERATOR_2, "2026-12-01T05:00:00Z"]);
            }),
        ),
        (
            "anggota lain",
            Box::new(|value: &mut Value| {
                let mut extra = entry(OPERATOR);
                extra["lampiran"] = json!("x".repeat(10_000));
                value["tindak_lanjut"][KGB] = extra;
            }),
        ),
    ];
    for (what, change_json) in bad {
        let outcome = kabupaten.push(|value| change_json(value));
        assert!(
            matches!(outcome.as_slice(), [PushOutcome::Rejected { code, .. }] if code == "kewenangan"),
            "{what}: {outcome:?}"
        );
        assert_eq!(kabupaten.tindak_lanjut(), json!({}), "{what}: taken back whole");
        assert!(kabupaten.pegawai().tindak_lanjut.is_empty(), "{what}");
    }
}

#[test]
fn two_operators_first_follow_ups_made_offline_both_survive() {
    let mut kabupaten = kabupaten("pengingat-bersamaan");
    let caller = person(&kabupaten.hub, OPERATOR_2, INSTANSI, &[Role::OperatorInstansi]);
    let second = Device::register(&kabupaten.hub, &caller, 2);
    let mut other = kabupaten.replica.docs[&kabupaten.doc].fork().with_actor(second.actor.clone());
    let first = edit(kabupaten.replica.docs.get_mut(&kabupaten.doc).unwrap(), |value| {
        value["tindak_lanjut"][KGB] = entry(OPERATOR);
    });
    let later = edit(&mut other, |value| value["tindak_lanjut"]["bup-2027-03-01"] = entry(OPERATOR_2));
    let doc = kabupaten.doc;
    let outcome = outcomes(&kabupaten.operator.push(&kabupaten.hub, vec![change(doc, RecordKind::Pegawai, first)]));
    assert!(outcome.iter().all(is_applied), "{outcome:?}");
    let outcome = outcomes(&second.push(&kabupaten.hub, vec![change(doc, RecordKind::Pegawai, later)]));
    assert!(outcome.iter().all(is_applied), "{outcome:?}");
    let pegawai = kabupaten.pegawai();
    assert_eq!(pegawai.tindak_lanjut.keys().collect::<Vec<_>>(), ["bup-2027-03-01", KGB]);
}

#[test]
fn replacing_the_map_is_refused_and_not_kept() {
    let mut kabupaten = kabupaten("pengingat-peta");
    let outcome = kabupaten.push(|value| value["tindak_lanjut"] = json!("junk"));
    assert!(matches!(outcome.as_slice(), [PushOutcome::Rejected { code, .. }] if code == "kewenangan"), "{outcome:?}");
    // Another device following the hub sees the map as it was.
    let mut fresh = Replica::default();
    fresh.follow(&kabupaten.hub, &kabupaten.operator.caller, SCOPE, 1 << 20);
    assert_eq!(fresh.docs[&kabupaten.doc].hydrate()["tindak_lanjut"], json!({}));
}
