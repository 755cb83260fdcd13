//! Usulan at push time (DESIGN §5.4): the state machine judges every event a change adds (the transition, the
//! author's NIP, the permission of the stage), a submitted usulan is corrected by the verifikator only, a new
//! usulan starts with its `dibuat` event, and a refused event is taken back by the compensation so that the hub's
//! copy folds to the status before it. A verifikator BKN rostered in any instansi records BKN's decisions (and
//! nothing else) on another instansi's usulan, which reach that instansi's feed; BKN's approval of a peremajaan
//! data writes its BKN fields into the pegawai document at the hub, by the hub's own actor.

use hub::{Hub, Role};
use model::Nip;
use model::usulan::alur::{self, EventMasukan, StatusUsulan};
use model::usulan::{AksiUsulan, JenisUsulan, Usulan, UsulanPegawai};
use serde_json::json;
use sync::Document;
use sync::wire::{DocId, FeedBody, PushOutcome, RecordKind};

use crate::{Device, INSTANSI, LAIN, Replica, SCOPE, SCOPE_LAIN, TempDir, change, edit, open, outcomes, person};

const OPERATOR: &str = "198503152010011001";
const VERIFIKATOR: &str = "197806202005012002";
const VERIFIKATOR_2: &str = "198001012006041003";
const BKN: &str = "197501011999031004";
const BKN_LAIN: &str = "197602022000032005";
const GURU: &str = "199001012015031001";

/// A KP reguler usulan for one guru, with its `dibuat` event by `oleh`; its id is the document's.
pub fn kp_dibuat(doc: DocId, oleh: &str) -> Usulan {
    let usulan = Usulan {
        id: uuid::Uuid::from_bytes(doc).to_string(),
        jenis: JenisUsulan::KenaikanPangkat,
        sub_jenis: Some("101".to_owned()),
        pegawai: vec![UsulanPegawai { nip: Nip::new(GURU), nama: "SITI AMINAH".to_owned() }],
        perubahan: [("golongan_id".to_owned(), "\"32\"".to_owned())].into(),
        dokumen: Default::default(),
        riwayat_status: Vec::new(),
        siasn_id: None,
        status_siasn: None,
    };
    let mut usulan = usulan;
    let event = alur::event_baru(&usulan, masukan(AksiUsulan::Dibuat, oleh)).unwrap();
    usulan.riwayat_status.push(event);
    usulan
}

/// What an officer asks for, as the app builds it: a new UUIDv7 event id, the officer's NIP, an alasan for BTS/TMS.
fn masukan(aksi: AksiUsulan, oleh: &str) -> EventMasukan {
    EventMasukan {
        id: uuid::Uuid::now_v7().to_string(),
        aksi,
        oleh: Nip::new(oleh),
        waktu: "2026-11-30T09:15:00+07:00".to_owned(),
        alasan_id: match aksi {
            AksiUsulan::Bts => Some("51".to_owned()),
            AksiUsulan::Tms => Some("52".to_owned()),
            _ => None,
        },
        catatan: None,
        nip: Vec::new(),
    }
}

/// The one change of a new document holding `usulan`, written by `device`.
pub fn new_document(device: &Device, usulan: &Usulan) -> (Document, Vec<u8>) {
    let mut doc = Document::new(device.actor.clone());
    doc.reconcile(&serde_json::to_value(usulan).unwrap(), Some("buat usulan"), 1_764_468_000_000).unwrap();
    let raw = doc.changes_since(&[]).pop().unwrap();
    (doc, raw)
}

/// Edits the usulan a replica holds as the app would, returning the change.
fn edit_usulan(doc: &mut Document, change: impl FnOnce(&mut Usulan)) -> Vec<u8> {
    edit(doc, |value| {
        let mut usulan: Usulan = serde_json::from_value(value.clone()).unwrap();
        change(&mut usulan);
        *value = serde_json::to_value(&usulan).unwrap();
    })
}

/// One officer's device with its replica of the instansi's scope.
struct Meja {
    device: Device,
    replica: Replica,
}

impl Meja {
    fn new(hub: &Hub, nip: &str, instansi: &str, roles: &[Role], byte: u8) -> Meja {
        let caller = person(hub, nip, instansi, roles);
        Meja { device: Device::register(hub, &caller, byte), replica: Replica::default() }
    }

    fn sync(&mut self, hub: &Hub) {
        self.replica.follow(hub, &self.device.caller, SCOPE, 1 << 20);
    }

    fn doc(&mut self, id: DocId) -> &mut Document {
        let doc = self.replica.docs.get_mut(&id).unwrap();
        doc.set_actor(self.device.actor.clone());
        doc
    }

    /// Adds one event by `oleh` (the device's own officer unless a test forges it), as `alur::event_baru` makes it.
    fn aksi(&mut self, id: DocId, aksi: AksiUsulan, oleh: &str) -> Vec<u8> {
        edit_usulan(self.doc(id), |usulan| {
            let event = alur::event_baru(usulan, masukan(aksi, oleh)).unwrap();
            usulan.riwayat_status.push(event);
        })
    }

    /// Pushes one change of usulan `id` and returns its outcome.
    fn push(&self, hub: &Hub, id: DocId, raw: Vec<u8>) -> PushOutcome {
        let response = self.device.push(hub, vec![change(id, RecordKind::Usulan, raw)]);
        let [outcome] = &outcomes(&response)[..] else { panic!("{response:?}") };
        outcome.clone()
    }

    fn usulan(&self, id: DocId) -> Usulan {
        self.replica.docs[&id].hydrate_as().unwrap()
    }
}

/// A hub with an operator and a verifikator of [`INSTANSI`], each on their own device.
struct Kantor {
    _dir: TempDir,
    hub: Hub,
    operator: Meja,
    verifikator: Meja,
}

fn kantor(name: &str) -> Kantor {
    let dir = TempDir::new(name);
    let hub = open(&dir);
    let operator = Meja::new(&hub, OPERATOR, INSTANSI, &[Role::OperatorInstansi], 1);
    let verifikator = Meja::new(&hub, VERIFIKATOR, INSTANSI, &[Role::VerifikatorInstansi], 2);
    Kantor { _dir: dir, hub, operator, verifikator }
}

impl Kantor {
    /// A KP usulan made by the operator and pushed (kept); with `diajukan`, submitted too.
    fn usulan(&mut self, diajukan: bool) -> DocId {
        let id = *uuid::Uuid::now_v7().as_bytes();
        let (doc, raw) = new_document(&self.operator.device, &kp_dibuat(id, OPERATOR));
        assert!(matches!(self.operator.push(&self.hub, id, raw), PushOutcome::Applied { .. }));
        self.operator.replica.docs.insert(id, doc);
        if diajukan {
            let raw = self.operator.aksi(id, AksiUsulan::Diajukan, OPERATOR);
            assert!(matches!(self.operator.push(&self.hub, id, raw), PushOutcome::Applied { .. }));
        }
        self.operator.sync(&self.hub);
        self.verifikator.sync(&self.hub);
        id
    }

    /// The hub's copy of usulan `id`, as a fresh device reads it from the feed.
    fn at_hub(&self, id: DocId) -> Usulan {
        let mut replica = Replica::default();
        replica.follow(&self.hub, &self.verifikator.device.caller, SCOPE, 1 << 20);
        replica.docs[&id].hydrate_as().unwrap()
    }
}

fn refusal(outcome: &PushOutcome) -> &str {
    match outcome {
        PushOutcome::Rejected { code, reason, compensation: Some(_) } if code == "kewenangan" => reason,
        other => panic!("expected a compensated refusal, got {other:?}"),
    }
}

fn refusal_not_kept(outcome: &PushOutcome) -> &str {
    match outcome {
        PushOutcome::Rejected { code, reason, compensation: None } if code == "kewenangan" => reason,
        other => panic!("expected a refusal without compensation, got {other:?}"),
    }
}

#[test]
fn the_verifikator_verifies_and_the_operators_verification_is_taken_back() {
    let mut k = kantor("usulan-verifikasi");
    let id = k.usulan(true);
    assert_eq!(alur::keadaan(&k.at_hub(id)).status, StatusUsulan::Diajukan);

    // The operator approves its own usulan offline: merged, refused with the reason, compensated.
    let raw = k.operator.aksi(id, AksiUsulan::Diverifikasi, OPERATOR);
    let outcome = k.operator.push(&k.hub, id, raw);
    assert_eq!(refusal(&outcome), "memverifikasi hanya boleh dilakukan oleh verifikator instansi");
    let PushOutcome::Rejected { compensation: Some(compensation), .. } = outcome else { unreachable!() };
    let batch = k.hub.feed(&k.operator.device.caller, SCOPE, k.operator.replica.cursor.as_deref(), 1 << 20).unwrap();
    let FeedBody::Changes { changes } = &batch.items[0].body else { panic!("{batch:?}") };
    let written = automerge::Change::try_from(changes[1].as_ref()).unwrap();
    assert_eq!(written.hash().0, compensation);
    assert_eq!(written.message(), Some("kompensasi: memverifikasi hanya boleh dilakukan oleh verifikator instansi"));
    // The hub's copy and the operator's replica fold to the status before, with the two events of before.
    let at_hub = k.at_hub(id);
    let keadaan = alur::keadaan(&at_hub);
    assert_eq!((keadaan.status, at_hub.riwayat_status.len()), (StatusUsulan::Diajukan, 2));
    assert!(keadaan.tidak_sah.is_empty() && keadaan.konflik.is_empty());
    k.operator.sync(&k.hub);
    assert_eq!(k.operator.usulan(id), at_hub);
    assert!(k.operator.replica.docs[&id].conflicts().is_empty());

    // The verifikator's approval is kept.
    k.verifikator.sync(&k.hub);
    let raw = k.verifikator.aksi(id, AksiUsulan::Diverifikasi, VERIFIKATOR);
    assert!(matches!(k.verifikator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    let at_hub = k.at_hub(id);
    assert_eq!(alur::keadaan(&at_hub).status, StatusUsulan::Diverifikasi);
    assert_eq!(at_hub.riwayat_status[2].oleh.as_str(), VERIFIKATOR);
}

#[test]
fn an_event_in_another_officers_name_is_refused() {
    let mut k = kantor("usulan-oleh");
    let id = k.usulan(true);
    // The verifikator's device records an approval in a colleague's name.
    let raw = k.verifikator.aksi(id, AksiUsulan::Diverifikasi, VERIFIKATOR_2);
    assert_eq!(
        refusal(&k.verifikator.push(&k.hub, id, raw)),
        format!(
            "memverifikasi dicatat atas nama NIP {VERIFIKATOR_2}, bukan NIP Anda ({VERIFIKATOR}); event status hanya \
             boleh dicatat atas nama pelakunya sendiri"
        )
    );
    assert_eq!(alur::keadaan(&k.at_hub(id)).status, StatusUsulan::Diajukan);
}

#[test]
fn the_operator_edits_a_draft_or_a_returned_usulan_but_not_a_submitted_one() {
    let mut k = kantor("usulan-isi");
    let id = k.usulan(false);
    let golongan = |k: &Kantor| k.at_hub(id).perubahan["golongan_id"].clone();
    // A draft: the operator's edit is kept.
    let raw = edit_usulan(k.operator.doc(id), |usulan| {
        usulan.perubahan.insert("golongan_id".to_owned(), "\"33\"".to_owned());
    });
    assert!(matches!(k.operator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    // Submitted: the operator's edit is refused and the value put back; the verifikator's is kept.
    let raw = k.operator.aksi(id, AksiUsulan::Diajukan, OPERATOR);
    assert!(matches!(k.operator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    let raw = edit_usulan(k.operator.doc(id), |usulan| {
        usulan.perubahan.insert("golongan_id".to_owned(), "\"34\"".to_owned());
    });
    assert_eq!(
        refusal(&k.operator.push(&k.hub, id, raw)),
        "perubahan/golongan_id hanya boleh diubah oleh verifikator instansi karena usulan berstatus Diajukan; \
         usulan hanya dapat diperbaiki pengusulnya saat berstatus Draf atau BTS (perbaikan)"
    );
    assert_eq!(golongan(&k), "\"33\"");
    k.operator.sync(&k.hub);
    assert_eq!(k.operator.usulan(id).perubahan["golongan_id"], "\"33\"");
    k.verifikator.sync(&k.hub);
    let raw = edit_usulan(k.verifikator.doc(id), |usulan| {
        usulan.perubahan.insert("golongan_id".to_owned(), "\"32\"".to_owned());
    });
    assert!(matches!(k.verifikator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    // Returned as BTS: the operator's again.
    let raw = k.verifikator.aksi(id, AksiUsulan::Bts, VERIFIKATOR);
    assert!(matches!(k.verifikator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    k.operator.sync(&k.hub);
    let raw = edit_usulan(k.operator.doc(id), |usulan| {
        usulan.perubahan.insert("golongan_id".to_owned(), "\"34\"".to_owned());
    });
    assert!(matches!(k.operator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    assert_eq!(golongan(&k), "\"34\"");
}

#[test]
fn the_event_log_cannot_be_rewritten_and_is_restored() {
    let mut k = kantor("usulan-riwayat");
    let id = k.usulan(true);
    let before = k.at_hub(id);
    // The operator withdraws the submission by deleting its event instead of recording dibatalkan.
    let raw = edit_usulan(k.operator.doc(id), |usulan| {
        usulan.riwayat_status.pop();
    });
    let diajukan = &before.riwayat_status[1].id;
    assert_eq!(
        refusal(&k.operator.push(&k.hub, id, raw)),
        format!("event {diajukan} tidak boleh dihapus: log status hanya boleh ditambah")
    );
    assert_eq!(k.at_hub(id), before);
    k.operator.sync(&k.hub);
    assert_eq!(k.operator.usulan(id), before);
}

#[test]
fn a_new_usulan_starts_with_its_dibuat_event_by_the_creator() {
    let k = kantor("usulan-baru");
    let operator = &k.operator;
    let head = k.hub.head_seq(SCOPE).unwrap();
    // Without any event.
    let id = *uuid::Uuid::now_v7().as_bytes();
    let mut tanpa = kp_dibuat(id, OPERATOR);
    tanpa.riwayat_status.clear();
    let (_, raw) = new_document(&operator.device, &tanpa);
    assert_eq!(
        refusal_not_kept(&operator.push(&k.hub, id, raw)),
        "usulan baru harus dimulai dengan event dibuat atas nama pembuatnya; perubahan ini tidak memuatnya"
    );
    // Created in the verifikator's name.
    let (_, raw) = new_document(&operator.device, &kp_dibuat(id, VERIFIKATOR));
    assert_eq!(
        refusal_not_kept(&operator.push(&k.hub, id, raw)),
        format!(
            "membuat dicatat atas nama NIP {VERIFIKATOR}, bukan NIP Anda ({OPERATOR}); event status hanya boleh \
             dicatat atas nama pelakunya sendiri"
        )
    );
    // Not an usulan at all.
    let mut doc = Document::new(operator.device.actor.clone());
    doc.reconcile(&json!({"id": "u-1", "jenis": "kp", "pegawai": [{"nip": GURU, "nama": "SITI"}]}), None, 1).unwrap();
    let raw = doc.changes_since(&[]).pop().unwrap();
    let reason = refusal_not_kept(&operator.push(&k.hub, id, raw)).to_owned();
    assert!(reason.starts_with("dokumen usulan baru tidak terbaca sebagai usulan (unknown variant `kp`"), "{reason}");
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head, "nothing was kept");
    // Properly made: kept.
    let (_, raw) = new_document(&operator.device, &kp_dibuat(id, OPERATOR));
    assert!(matches!(operator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    assert_eq!(alur::keadaan(&k.at_hub(id)).status, StatusUsulan::Draft);
}

#[test]
fn concurrent_approval_and_bts_are_both_kept_and_fold_to_konflik() {
    let mut k = kantor("usulan-konflik");
    let id = k.usulan(true);
    let mut kedua = Meja::new(&k.hub, VERIFIKATOR_2, INSTANSI, &[Role::VerifikatorInstansi], 3);
    kedua.sync(&k.hub);
    // Both decide offline, neither seeing the other.
    let setuju = k.verifikator.aksi(id, AksiUsulan::Diverifikasi, VERIFIKATOR);
    let bts = kedua.aksi(id, AksiUsulan::Bts, VERIFIKATOR_2);
    assert!(matches!(k.verifikator.push(&k.hub, id, setuju), PushOutcome::Applied { .. }));
    assert!(matches!(kedua.push(&k.hub, id, bts), PushOutcome::Applied { .. }));
    let at_hub = k.at_hub(id);
    let keadaan = alur::keadaan(&at_hub);
    assert_eq!(keadaan.status, StatusUsulan::Konflik);
    assert_eq!(keadaan.konflik.len(), 1);
    let mut keputusan: Vec<(&str, AksiUsulan)> =
        keadaan.konflik[0].event.iter().map(|event| (event.oleh.as_str(), event.aksi)).collect();
    keputusan.sort_by_key(|(oleh, _)| *oleh);
    assert_eq!(keputusan, [(VERIFIKATOR, AksiUsulan::Diverifikasi), (VERIFIKATOR_2, AksiUsulan::Bts)]);
    assert_eq!(keadaan.kepala.len(), 2);
    // Both devices see the conflict after sync.
    k.verifikator.sync(&k.hub);
    kedua.sync(&k.hub);
    assert_eq!(alur::keadaan(&k.verifikator.usulan(id)).status, StatusUsulan::Konflik);
    assert_eq!(alur::keadaan(&kedua.usulan(id)).status, StatusUsulan::Konflik);
}

#[test]
fn bkn_decides_a_forwarded_usulan_of_the_instansi_it_is_rostered_in() {
    let mut k = kantor("usulan-bkn");
    let id = k.usulan(true);
    for aksi in [AksiUsulan::Diverifikasi, AksiUsulan::DiteruskanKeBkn] {
        let raw = k.verifikator.aksi(id, aksi, VERIFIKATOR);
        assert!(matches!(k.verifikator.push(&k.hub, id, raw), PushOutcome::Applied { .. }), "{aksi:?}");
    }
    // The instansi's verifikator cannot take BKN's decision.
    let raw = k.verifikator.aksi(id, AksiUsulan::Disetujui, VERIFIKATOR);
    assert_eq!(
        refusal(&k.verifikator.push(&k.hub, id, raw)),
        "menyetujui hanya boleh dilakukan oleh verifikator BKN atau admin hub"
    );
    // A verifikator BKN on this instansi's roster approves: kept.
    let mut bkn = Meja::new(&k.hub, BKN, INSTANSI, &[Role::VerifikatorBkn], 4);
    bkn.sync(&k.hub);
    let raw = bkn.aksi(id, AksiUsulan::Disetujui, BKN);
    assert!(matches!(bkn.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    assert_eq!(alur::keadaan(&k.at_hub(id)).status, StatusUsulan::Disetujui);
    // One rostered in another instansi decides too: BKN's decisions are recorded on any instansi's usulan
    // (`a_verifikator_bkn_of_another_instansi_decides_but_edits_nothing` for the rest).
    let mut lain = Meja::new(&k.hub, BKN_LAIN, LAIN, &[Role::VerifikatorBkn], 5);
    lain.sync(&k.hub);
    let raw = lain.aksi(id, AksiUsulan::SkTerbit, BKN_LAIN);
    assert!(matches!(lain.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    assert_eq!(alur::keadaan(&k.at_hub(id)).status, StatusUsulan::SkTerbit);
}

/// A NIP rostered in the other instansi as both its operator and a verifikator BKN.
const GANDA: &str = "197703032001121006";

impl Kantor {
    /// The verifikator verifies usulan `id` (submitted) and forwards it to BKN; every desk then syncs.
    fn teruskan(&mut self, id: DocId) {
        self.verifikator.sync(&self.hub);
        for aksi in [AksiUsulan::Diverifikasi, AksiUsulan::DiteruskanKeBkn] {
            let raw = self.verifikator.aksi(id, aksi, VERIFIKATOR);
            assert!(matches!(self.verifikator.push(&self.hub, id, raw), PushOutcome::Applied { .. }), "{aksi:?}");
        }
        self.operator.sync(&self.hub);
        self.verifikator.sync(&self.hub);
    }
}

#[test]
fn a_verifikator_bkn_of_another_instansi_decides_but_edits_nothing() {
    let mut k = kantor("usulan-bkn-lain");
    let id = k.usulan(true);
    k.teruskan(id);
    let mut bkn = Meja::new(&k.hub, BKN_LAIN, LAIN, &[Role::VerifikatorBkn], 4);
    bkn.sync(&k.hub);
    let head_lain = k.hub.head_seq(SCOPE_LAIN).unwrap();

    // Editing the instansi's proposal: refused, taken back on the hub and on the BKN desk.
    let raw = edit_usulan(bkn.doc(id), |usulan| {
        usulan.perubahan.insert("golongan_id".to_owned(), "\"34\"".to_owned());
    });
    assert_eq!(
        refusal(&bkn.push(&k.hub, id, raw)),
        "perubahan/golongan_id tidak boleh diubah dari luar instansi pengusul; pada usulan instansi lain hanya \
         keputusan BKN (riwayat status) yang dapat dicatat"
    );
    assert_eq!(k.at_hub(id).perubahan["golongan_id"], "\"32\"");
    bkn.sync(&k.hub);
    assert_eq!(bkn.usulan(id).perubahan["golongan_id"], "\"32\"");

    // Approving: kept, in the usulan's own scope.
    let raw = bkn.aksi(id, AksiUsulan::Disetujui, BKN_LAIN);
    let PushOutcome::Applied { seq } = bkn.push(&k.hub, id, raw.clone()) else { panic!("the approval is kept") };
    let batch = k.hub.feed(&k.operator.device.caller, SCOPE, k.operator.replica.cursor.as_deref(), 1 << 20).unwrap();
    let item = batch.items.iter().find(|item| item.seq == seq).expect("the approval is in the instansi's feed");
    assert_eq!((item.doc, item.record), (id, RecordKind::Usulan));
    let FeedBody::Changes { changes } = &item.body else { panic!("{item:?}") };
    assert_eq!(changes.iter().map(|change| change.as_ref().to_vec()).collect::<Vec<_>>(), [raw]);
    assert_eq!(k.hub.head_seq(SCOPE_LAIN).unwrap(), head_lain, "nothing went to the verifikator's own instansi");
    // The instansi's desks see BKN's decision, in BKN's name.
    k.operator.sync(&k.hub);
    let usulan = k.operator.usulan(id);
    assert_eq!(alur::keadaan(&usulan).status, StatusUsulan::Disetujui);
    let event = usulan.riwayat_status.last().unwrap();
    assert_eq!((event.aksi, event.oleh.as_str()), (AksiUsulan::Disetujui, BKN_LAIN));
}

#[test]
fn nobody_creates_an_usulan_in_another_instansi() {
    let k = kantor("usulan-bkn-buat");
    let head = k.hub.head_seq(SCOPE).unwrap();
    // A verifikator BKN creates no usulan at all.
    let bkn = Meja::new(&k.hub, BKN_LAIN, LAIN, &[Role::VerifikatorBkn], 4);
    let id = *uuid::Uuid::now_v7().as_bytes();
    let (_, raw) = new_document(&bkn.device, &kp_dibuat(id, BKN_LAIN));
    assert_eq!(
        refusal_not_kept(&bkn.push(&k.hub, id, raw)),
        "dokumen usulan baru hanya boleh dibuat oleh operator instansi atau verifikator instansi"
    );
    // One who is also an operator creates it in the instansi it is rostered in, whichever pegawai it names.
    let ganda = Meja::new(&k.hub, GANDA, LAIN, &[Role::OperatorInstansi, Role::VerifikatorBkn], 5);
    let (_, raw) = new_document(&ganda.device, &kp_dibuat(id, GANDA));
    assert!(matches!(ganda.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head, "nothing reached the instansi's scope");
    let mut lain = Replica::default();
    lain.follow(&k.hub, &ganda.device.caller, SCOPE_LAIN, 1 << 20);
    assert!(lain.docs.contains_key(&id));
    let mut instansi = Replica::default();
    instansi.follow(&k.hub, &k.operator.device.caller, SCOPE, 1 << 20);
    assert!(!instansi.docs.contains_key(&id));
}

/// The pegawai document of `nip` in a replica, with its id.
fn pegawai_doc(replica: &Replica, nip: &str) -> (DocId, serde_json::Value) {
    replica
        .docs
        .iter()
        .map(|(id, doc)| (*id, doc.hydrate()))
        .find(|(_, value)| value["data_utama"]["nip"] == nip)
        .unwrap_or_else(|| panic!("no pegawai {nip}"))
}

#[test]
fn bkn_approval_of_a_peremajaan_writes_the_bkn_fields_into_the_pegawai_at_the_hub() {
    let mut k = kantor("usulan-peremajaan");
    k.hub.import_pegawai(INSTANSI, vec![crate::pegawai(GURU, "SITI AMINA")], &mut |_| {}).unwrap();
    // The operator proposes a corrected nama (BKN's field) and a new nomor HP (the instansi's).
    let id = *uuid::Uuid::now_v7().as_bytes();
    let mut usulan = Usulan {
        id: uuid::Uuid::from_bytes(id).to_string(),
        jenis: JenisUsulan::PeremajaanData,
        sub_jenis: None,
        pegawai: vec![UsulanPegawai { nip: Nip::new(GURU), nama: "SITI AMINA".to_owned() }],
        perubahan: [
            ("data_utama.nama".to_owned(), "\"SITI AMINAH\"".to_owned()),
            ("data_utama.no_hp".to_owned(), "\"081234567890\"".to_owned()),
        ]
        .into(),
        dokumen: Default::default(),
        riwayat_status: Vec::new(),
        siasn_id: None,
        status_siasn: None,
    };
    usulan.riwayat_status.push(alur::event_baru(&usulan, masukan(AksiUsulan::Dibuat, OPERATOR)).unwrap());
    let (doc, raw) = new_document(&k.operator.device, &usulan);
    assert!(matches!(k.operator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    k.operator.replica.docs.insert(id, doc);
    let raw = k.operator.aksi(id, AksiUsulan::Diajukan, OPERATOR);
    assert!(matches!(k.operator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    k.teruskan(id);
    let (pegawai, before) = pegawai_doc(&k.operator.replica, GURU);
    assert_eq!((&before["data_utama"]["nama"], &before["data_utama"]["no_hp"]), (&json!("SITI AMINA"), &json!("0811")));

    // The instansi's verifikator cannot approve for BKN: refused, and the pegawai stays as it was.
    let raw = k.verifikator.aksi(id, AksiUsulan::Disetujui, VERIFIKATOR);
    assert_eq!(
        refusal(&k.verifikator.push(&k.hub, id, raw)),
        "menyetujui hanya boleh dilakukan oleh verifikator BKN atau admin hub"
    );
    k.operator.sync(&k.hub);
    assert_eq!(pegawai_doc(&k.operator.replica, GURU), (pegawai, before.clone()));

    // A verifikator BKN of another instansi approves.
    let mut bkn = Meja::new(&k.hub, BKN_LAIN, LAIN, &[Role::VerifikatorBkn], 4);
    bkn.sync(&k.hub);
    let raw = bkn.aksi(id, AksiUsulan::Disetujui, BKN_LAIN);
    let PushOutcome::Applied { seq } = bkn.push(&k.hub, id, raw) else { panic!("the approval is kept") };

    // Right after the approval, the instansi's feed carries the hub's own change to the pegawai.
    let batch = k.hub.feed(&k.operator.device.caller, SCOPE, k.operator.replica.cursor.as_deref(), 1 << 20).unwrap();
    let docs: Vec<(u64, DocId, RecordKind)> =
        batch.items.iter().map(|item| (item.seq, item.doc, item.record)).collect();
    assert_eq!(docs, [(seq, id, RecordKind::Usulan), (seq + 1, pegawai, RecordKind::Pegawai)]);
    let FeedBody::Changes { changes } = &batch.items[1].body else { panic!("{batch:?}") };
    let [written] = &changes[..] else { panic!("one hub change: {changes:?}") };
    let written = automerge::Change::try_from(written.as_ref()).unwrap();
    assert_eq!(written.actor_id(), k.hub.hub_actor());
    let message = format!("usulan {} disetujui BKN: data_utama.nama diterapkan hub", usulan.id);
    assert_eq!(written.message(), Some(message.as_str()));

    // The nama is BKN's and changed; the nomor HP is the instansi's, left for the verifikator's device.
    k.operator.sync(&k.hub);
    let (_, after) = pegawai_doc(&k.operator.replica, GURU);
    let mut expected = before.clone();
    expected["data_utama"]["nama"] = json!("SITI AMINAH");
    assert_eq!(after, expected);
    assert!(k.operator.replica.docs[&pegawai].conflicts().is_empty());

    // Stored: the scope's log rebuilt from the stored documents holds the same record.
    k.hub.compact_log(SCOPE).unwrap();
    let mut fresh = Replica::default();
    fresh.follow(&k.hub, &k.operator.device.caller, SCOPE, 1 << 20);
    assert_eq!(pegawai_doc(&fresh, GURU), (pegawai, expected));
}

/// A `list-kp-instansi` item about [`GURU`] as the gateway hands it over.
fn item_kp(id: &str, kode: &str, nama: &str, nomor_sk: Option<&str>) -> hub::ItemStatusSiasn {
    hub::ItemStatusSiasn {
        id: id.to_owned(),
        nip: GURU.to_owned(),
        jenis: JenisUsulan::KenaikanPangkat,
        status: model::usulan::StatusSiasn {
            kode: kode.to_owned(),
            nama: Some(nama.to_owned()),
            nomor_pertek: Some("MG-0000000123".to_owned()),
            tanggal_pertek: chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
            nomor_sk: nomor_sk.map(str::to_owned),
            tanggal_sk: None,
            tmt: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
            diperbarui: String::new(),
        },
    }
}

#[test]
fn siasn_status_lands_on_the_forwarded_usulan_once_and_only_from_the_hub() {
    let mut k = kantor("usulan-status-siasn");
    let draft = k.usulan(false);
    let id = k.usulan(true);
    // Not yet at BKN: nothing matches (the draft of the same NIP neither).
    let item = item_kp("8ae4830000000000000000000000aa01", "12", "Terima Usulan", None);
    let laporan = k.hub.catat_status_siasn(INSTANSI, std::slice::from_ref(&item), "2026-11-30T02:00:00Z").unwrap();
    assert_eq!((laporan.diperbarui, laporan.tanpa_usulan), (0, 1));

    k.teruskan(id);
    let laporan = k.hub.catat_status_siasn(INSTANSI, std::slice::from_ref(&item), "2026-11-30T02:00:00Z").unwrap();
    assert_eq!((laporan.diperbarui, laporan.sama, laporan.tanpa_usulan), (1, 0, 0));
    let at_hub = k.at_hub(id);
    assert_eq!(at_hub.siasn_id.as_deref(), Some("8ae4830000000000000000000000aa01"));
    let status = at_hub.status_siasn.clone().unwrap();
    assert_eq!((status.kode.as_str(), status.nama.as_deref()), ("12", Some("Terima Usulan")));
    assert_eq!(status.diperbarui, "2026-11-30T02:00:00Z");
    // The local workflow is untouched, and the draft got nothing.
    assert_eq!(alur::keadaan(&at_hub).status, StatusUsulan::DiteruskanKeBkn);
    assert_eq!(k.at_hub(draft).siasn_id, None);

    // The same status again writes nothing; a new one (SK signed) updates the same usulan by its id.
    let head = k.hub.head_seq(SCOPE).unwrap();
    let laporan = k.hub.catat_status_siasn(INSTANSI, std::slice::from_ref(&item), "2026-11-30T03:00:00Z").unwrap();
    assert_eq!((laporan.diperbarui, laporan.sama), (0, 1));
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head, "an unchanged status adds no feed entry");
    let signed = item_kp("8ae4830000000000000000000000aa01", "32", "Sudah TTE SK", Some("800.1.6.3/0001/2026"));
    let laporan = k.hub.catat_status_siasn(INSTANSI, &[signed], "2026-11-30T04:00:00Z").unwrap();
    assert_eq!(laporan.diperbarui, 1);
    let status = k.at_hub(id).status_siasn.unwrap();
    assert_eq!((status.kode.as_str(), status.nomor_sk.as_deref()), ("32", Some("800.1.6.3/0001/2026")));

    // A device cannot write it: SI-ASN's status is the hub's alone.
    k.verifikator.sync(&k.hub);
    let raw = edit_usulan(k.verifikator.doc(id), |usulan| {
        usulan.status_siasn.as_mut().unwrap().kode = "99".to_owned();
    });
    let outcome = k.verifikator.push(&k.hub, id, raw);
    assert!(refusal(&outcome).contains("status_siasn"), "{outcome:?}");
    assert_eq!(k.at_hub(id).status_siasn.unwrap().kode, "32");
}
