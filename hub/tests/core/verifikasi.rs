//! Verifikasi lapangan at push time: a new visit reads as one, is in the pusher's own NIP and names an 18-digit
//! NIP (else refused whole, nothing kept); afterwards its identity (`id`, `nip`, `petugas`, `waktu`) is nobody's,
//! `hasil` and `catatan` are its petugas's or a verifikator's, photos are added by whoever may change visits and
//! changed or removed only by the petugas or a verifikator; a refused write is compensated. Photos are keyed by
//! their hash, so two devices that each add one offline both keep theirs.

use hub::{Hub, Role};
use model::Nip;
use model::usulan::BlobRef;
use model::verifikasi::{FotoKunjungan, HasilVerifikasi, VerifikasiLapangan};
use serde_json::{Value, json};
use sync::Document;
use sync::wire::{DocId, FeedBody, PushOutcome, RecordKind};

use crate::{Device, INSTANSI, Replica, SCOPE, TempDir, change, edit, open, outcomes, person};

const OPERATOR: &str = "198503152010011001";
const OPERATOR_2: &str = "198704212011012003";
const VERIFIKATOR: &str = "197806202005012002";
const ADMIN: &str = "197901012003121001";
const PEGAWAI: &str = "197603012006012005";

/// A visit by `petugas` to [`PEGAWAI`], with `foto`; its id is the document's.
fn kunjungan(doc: DocId, petugas: &str, foto: Vec<FotoKunjungan>) -> VerifikasiLapangan {
    VerifikasiLapangan {
        id: uuid::Uuid::from_bytes(doc).to_string(),
        nip: Nip::new(PEGAWAI),
        hasil: HasilVerifikasi::TidakDitemukan,
        catatan: Some("Rumah kosong".to_owned()),
        foto,
        petugas: Nip::new(petugas),
        waktu: "2026-12-01T02:30:00Z".to_owned(),
    }
}

/// A photo whose content is `isi` (only its hash matters here).
fn foto(isi: &str) -> FotoKunjungan {
    use sha2::Digest as _;
    let digest: [u8; 32] = sha2::Sha256::digest(isi.as_bytes()).into();
    let sha256 = sync::blob::hex(&digest);
    FotoKunjungan::baru(BlobRef { sha256, size: 2_048, mime: "image/jpeg".to_owned(), name: format!("{isi}.jpg") })
}

/// One officer's device with its replica of the instansi's scope.
struct Meja {
    device: Device,
    replica: Replica,
}

impl Meja {
    fn new(hub: &Hub, nip: &str, roles: &[Role], byte: u8) -> Meja {
        let caller = person(hub, nip, INSTANSI, roles);
        Meja { device: Device::register(hub, &caller, byte), replica: Replica::default() }
    }

    fn sync(&mut self, hub: &Hub) {
        self.replica.follow(hub, &self.device.caller, SCOPE, 1 << 20);
    }

    /// Records a new visit as the app does (one change of a new document) and pushes it.
    fn catat(&mut self, hub: &Hub, visit: &VerifikasiLapangan) -> PushOutcome {
        self.catat_json(hub, &serde_json::to_value(visit).unwrap())
    }

    fn catat_json(&mut self, hub: &Hub, value: &Value) -> PushOutcome {
        let id = *uuid::Uuid::parse_str(value["id"].as_str().unwrap()).unwrap().as_bytes();
        let mut doc = Document::new(self.device.actor.clone());
        doc.reconcile(value, Some("verifikasi lapangan dicatat"), 1_764_556_200_000).unwrap();
        let raw = doc.changes_since(&[]).pop().unwrap();
        let outcome = self.push(hub, id, raw);
        if matches!(outcome, PushOutcome::Applied { .. }) {
            self.replica.docs.insert(id, doc);
        }
        outcome
    }

    /// Edits the visit's JSON in this device's replica, as the app does, returning the change.
    fn ubah(&mut self, id: DocId, change: impl FnOnce(&mut Value)) -> Vec<u8> {
        let doc = self.replica.docs.get_mut(&id).unwrap();
        doc.set_actor(self.device.actor.clone());
        edit(doc, change)
    }

    fn push(&self, hub: &Hub, id: DocId, raw: Vec<u8>) -> PushOutcome {
        let response = self.device.push(hub, vec![change(id, RecordKind::VerifikasiLapangan, raw)]);
        let [outcome] = &outcomes(&response)[..] else { panic!("{response:?}") };
        outcome.clone()
    }
}

/// A hub with the visit's petugas, another operator, a verifikator and an admin of [`INSTANSI`].
struct Kantor {
    _dir: TempDir,
    hub: Hub,
    petugas: Meja,
    rekan: Meja,
    verifikator: Meja,
    admin: Meja,
}

fn kantor(name: &str) -> Kantor {
    let dir = TempDir::new(name);
    let hub = open(&dir);
    let petugas = Meja::new(&hub, OPERATOR, &[Role::OperatorInstansi], 1);
    let rekan = Meja::new(&hub, OPERATOR_2, &[Role::OperatorInstansi], 2);
    let verifikator = Meja::new(&hub, VERIFIKATOR, &[Role::VerifikatorInstansi], 3);
    let admin = Meja::new(&hub, ADMIN, &[Role::AdminInstansi], 4);
    Kantor { _dir: dir, hub, petugas, rekan, verifikator, admin }
}

impl Kantor {
    /// A visit recorded by the petugas with `foto`, pushed (kept), and read by every other device.
    fn kunjungan(&mut self, foto: Vec<FotoKunjungan>) -> DocId {
        let id = *uuid::Uuid::now_v7().as_bytes();
        assert!(matches!(self.petugas.catat(&self.hub, &kunjungan(id, OPERATOR, foto)), PushOutcome::Applied { .. }));
        for meja in [&mut self.petugas, &mut self.rekan, &mut self.verifikator, &mut self.admin] {
            meja.sync(&self.hub);
        }
        id
    }

    /// The hub's copy of visit `id`, as a fresh device reads it from the feed.
    fn at_hub(&self, id: DocId) -> VerifikasiLapangan {
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
fn a_new_visit_is_in_the_pushers_own_nip_of_an_18_digit_nip_and_reads_as_a_visit() {
    let mut k = kantor("kunjungan-baru");
    let head = k.hub.head_seq(SCOPE).unwrap();
    let id = *uuid::Uuid::now_v7().as_bytes();
    // In a colleague's name.
    let outcome = k.petugas.catat(&k.hub, &kunjungan(id, OPERATOR_2, Vec::new()));
    assert_eq!(
        refusal_not_kept(&outcome),
        format!(
            "petugas verifikasi lapangan dicatat atas nama NIP {OPERATOR_2}, bukan NIP Anda ({OPERATOR}); kunjungan \
             hanya boleh dicatat atas nama petugasnya sendiri"
        )
    );
    // Of a NIP that is not 18 digits.
    let visit = VerifikasiLapangan { nip: Nip::new("1001"), ..kunjungan(id, OPERATOR, Vec::new()) };
    assert_eq!(
        refusal_not_kept(&k.petugas.catat(&k.hub, &visit)),
        "nip pegawai yang dikunjungi harus 18 angka, bukan \"1001\""
    );
    // A time that does not read.
    let visit = VerifikasiLapangan { waktu: "01-12-2026".to_owned(), ..kunjungan(id, OPERATOR, Vec::new()) };
    assert_eq!(
        refusal_not_kept(&k.petugas.catat(&k.hub, &visit)),
        "waktu verifikasi lapangan harus berupa waktu RFC 3339 (2026-12-01T02:30:00Z), bukan \"01-12-2026\""
    );
    // A photo not keyed by its hash.
    let mut palsu = foto("depan");
    palsu.id = "foto-1".to_owned();
    let reason = refusal_not_kept(&k.petugas.catat(&k.hub, &kunjungan(id, OPERATOR, vec![palsu]))).to_owned();
    assert!(reason.starts_with("foto verifikasi lapangan harus ber-id sha256 isinya"), "{reason}");
    // Not a visit at all: an unknown hasil, or no petugas.
    let mut value = serde_json::to_value(kunjungan(id, OPERATOR, Vec::new())).unwrap();
    value["hasil"] = json!("hilang");
    let reason = refusal_not_kept(&k.petugas.catat_json(&k.hub, &value)).to_owned();
    assert!(
        reason.starts_with(
            "dokumen verifikasi lapangan baru tidak terbaca sebagai verifikasi lapangan (unknown variant `hilang`"
        ),
        "{reason}"
    );
    let mut value = serde_json::to_value(kunjungan(id, OPERATOR, Vec::new())).unwrap();
    value.as_object_mut().unwrap().remove("petugas");
    let reason = refusal_not_kept(&k.petugas.catat_json(&k.hub, &value)).to_owned();
    assert!(reason.contains("missing field `petugas`"), "{reason}");
    // By an admin instansi, who does not record visits.
    assert_eq!(
        refusal_not_kept(&k.admin.catat(&k.hub, &kunjungan(id, ADMIN, Vec::new()))),
        "dokumen verifikasi_lapangan baru hanya boleh dibuat oleh operator instansi atau verifikator instansi"
    );
    assert_eq!(k.hub.head_seq(SCOPE).unwrap(), head, "nothing was kept");
    // Properly made, with a photo: kept.
    assert!(matches!(
        k.petugas.catat(&k.hub, &kunjungan(id, OPERATOR, vec![foto("depan")])),
        PushOutcome::Applied { .. }
    ));
    assert_eq!(k.at_hub(id), kunjungan(id, OPERATOR, vec![foto("depan")]));
}

#[test]
fn hasil_and_catatan_are_the_petugas_or_a_verifikators_and_the_identity_nobodys() {
    let mut k = kantor("kunjungan-ubah");
    let id = k.kunjungan(Vec::new());
    let before = k.at_hub(id);
    // A colleague changes the hasil: merged, refused, compensated on every replica.
    let raw = k.rekan.ubah(id, |value| value["hasil"] = json!("ditemukan"));
    let outcome = k.rekan.push(&k.hub, id, raw);
    let reason = format!(
        "hasil hanya boleh diubah oleh petugas yang mencatat kunjungan ini (NIP {OPERATOR}) atau verifikator instansi, \
         admin instansi atau admin hub"
    );
    assert_eq!(refusal(&outcome), reason);
    let PushOutcome::Rejected { compensation: Some(compensation), .. } = outcome else { unreachable!() };
    let batch = k.hub.feed(&k.rekan.device.caller, SCOPE, k.rekan.replica.cursor.as_deref(), 1 << 20).unwrap();
    let FeedBody::Changes { changes } = &batch.items[0].body else { panic!("{batch:?}") };
    let written = automerge::Change::try_from(changes[1].as_ref()).unwrap();
    assert_eq!(written.hash().0, compensation);
    assert_eq!(written.message(), Some(format!("kompensasi: {reason}").as_str()));
    assert_eq!(k.at_hub(id), before);
    k.rekan.sync(&k.hub);
    assert_eq!(k.rekan.replica.docs[&id].hydrate_as::<VerifikasiLapangan>().unwrap(), before);

    // The petugas corrects the note, the verifikator the hasil: kept.
    let raw = k.petugas.ubah(id, |value| value["catatan"] = json!("Rumah kosong sejak 2024"));
    assert!(matches!(k.petugas.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    k.verifikator.sync(&k.hub);
    let raw = k.verifikator.ubah(id, |value| value["hasil"] = json!("pindah"));
    assert!(matches!(k.verifikator.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    let at_hub = k.at_hub(id);
    assert_eq!((at_hub.hasil, at_hub.catatan.as_deref()), (HasilVerifikasi::Pindah, Some("Rumah kosong sejak 2024")));

    // Nobody changes who was visited, by whom or when: not even the petugas, nor the verifikator.
    k.petugas.sync(&k.hub);
    for (field, value) in [("petugas", OPERATOR_2), ("nip", "198001012006041003"), ("waktu", "2026-11-01T00:00:00Z")] {
        let raw = k.petugas.ubah(id, |visit| visit[field] = json!(value));
        assert_eq!(
            refusal(&k.petugas.push(&k.hub, id, raw)),
            format!("{field} verifikasi lapangan tidak dapat diubah setelah kunjungan dicatat")
        );
        k.petugas.sync(&k.hub);
    }
    let raw = k.verifikator.ubah(id, |visit| visit["id"] = json!("lain"));
    assert_eq!(
        refusal(&k.verifikator.push(&k.hub, id, raw)),
        "id verifikasi lapangan tidak dapat diubah setelah kunjungan dicatat"
    );
    assert_eq!(k.at_hub(id), at_hub);

    // A member a visit does not have.
    k.petugas.sync(&k.hub);
    let raw = k.petugas.ubah(id, |visit| visit["gaji"] = json!("0"));
    assert_eq!(
        refusal(&k.petugas.push(&k.hub, id, raw)),
        "gaji bukan bagian dari verifikasi lapangan; hub tidak menerimanya"
    );
    // A change that leaves the document unreadable as a visit, even by its petugas: refused whole.
    k.petugas.sync(&k.hub);
    let raw = k.petugas.ubah(id, |visit| visit["hasil"] = json!("hilang"));
    let reason = refusal(&k.petugas.push(&k.hub, id, raw)).to_owned();
    assert!(
        reason.starts_with("perubahan ini membuat dokumen tidak terbaca sebagai verifikasi lapangan (unknown variant"),
        "{reason}"
    );
    assert_eq!(k.at_hub(id), at_hub);
}

#[test]
fn photos_are_added_by_whoever_may_change_visits_and_removed_only_by_petugas_or_verifikator() {
    let mut k = kantor("kunjungan-foto");
    let id = k.kunjungan(vec![foto("depan")]);
    let tambah = |foto: FotoKunjungan| {
        move |value: &mut Value| value["foto"].as_array_mut().unwrap().push(serde_json::to_value(&foto).unwrap())
    };
    // A colleague adds one: kept.
    let raw = k.rekan.ubah(id, tambah(foto("samping")));
    assert!(matches!(k.rekan.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    // The admin instansi (no verifikasi_lapangan.ubah) may not.
    let raw = k.admin.ubah(id, tambah(foto("admin")));
    assert_eq!(
        refusal(&k.admin.push(&k.hub, id, raw)),
        "foto hanya boleh ditambahkan oleh operator instansi atau verifikator instansi"
    );
    // The colleague removes the petugas's photo: refused and put back.
    k.rekan.sync(&k.hub);
    let raw = k.rekan.ubah(id, |value| {
        value["foto"].as_array_mut().unwrap().remove(0);
    });
    assert_eq!(
        refusal(&k.rekan.push(&k.hub, id, raw)),
        format!(
            "foto yang sudah ada hanya boleh diubah atau dihapus oleh petugas yang mencatat kunjungan ini (NIP \
             {OPERATOR}) atau verifikator instansi, admin instansi atau admin hub"
        )
    );
    // (Put back as a set: the compensation restores the row, not necessarily its position.)
    let mut at_hub = k.at_hub(id).foto;
    at_hub.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(at_hub, [foto("depan"), foto("samping")]);
    // A photo whose id is not its hash.
    k.rekan.sync(&k.hub);
    let mut palsu = foto("palsu");
    palsu.id = "x".to_owned();
    let raw = k.rekan.ubah(id, tambah(palsu));
    assert!(refusal(&k.rekan.push(&k.hub, id, raw)).starts_with("foto verifikasi lapangan harus ber-id sha256"));
    // The petugas removes one: kept.
    k.petugas.sync(&k.hub);
    let raw = k.petugas.ubah(id, |value| {
        value["foto"].as_array_mut().unwrap().retain(|foto| foto["sha256"] != json!(self::foto("samping").sha256));
    });
    assert!(matches!(k.petugas.push(&k.hub, id, raw), PushOutcome::Applied { .. }));
    assert_eq!(k.at_hub(id).foto, [foto("depan")]);
}

#[test]
fn two_devices_adding_a_photo_offline_keep_both() {
    let mut k = kantor("kunjungan-foto-serentak");
    // With no photo yet, and with one.
    for awal in [Vec::new(), vec![foto("depan")]] {
        let id = k.kunjungan(awal.clone());
        // Both offline, neither seeing the other.
        let satu = k.petugas.ubah(id, |value| {
            value["foto"].as_array_mut().unwrap().push(serde_json::to_value(foto("rumah")).unwrap());
        });
        let dua = k.rekan.ubah(id, |value| {
            value["foto"].as_array_mut().unwrap().push(serde_json::to_value(foto("surat-rt")).unwrap());
        });
        assert!(matches!(k.petugas.push(&k.hub, id, satu), PushOutcome::Applied { .. }));
        assert!(matches!(k.rekan.push(&k.hub, id, dua), PushOutcome::Applied { .. }));
        // The hub and both devices after their sync hold both photos, and no conflict.
        let mut sha: Vec<String> = k.at_hub(id).foto.into_iter().map(|foto| foto.sha256).collect();
        sha.sort();
        let mut expected: Vec<String> =
            awal.iter().chain(&[foto("rumah"), foto("surat-rt")]).map(|foto| foto.sha256.clone()).collect();
        expected.sort();
        assert_eq!(sha, expected);
        for meja in [&mut k.petugas, &mut k.rekan] {
            meja.sync(&k.hub);
            let doc = &meja.replica.docs[&id];
            assert_eq!(doc.hydrate_as::<VerifikasiLapangan>().unwrap().foto.len(), expected.len());
            assert!(doc.conflicts().is_empty(), "{:?}", doc.conflicts());
        }
    }
}
