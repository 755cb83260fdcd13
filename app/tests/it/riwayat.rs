//! Riwayat perubahan through `AppContext` on two devices against the real local OpenID provider and a real hub over
//! HTTP on 127.0.0.1: an operator and a verifikator edit the same pegawai on their own computers, sync through the
//! hub, and each device's audit trail shows both changes with the right officer, device and before/after values,
//! the hub's import as the hub's, and an usulan's creation with its officer.

use std::sync::Arc;

use app::AppContext;
use app::riwayat::{OLEH_HUB, PERANGKAT_INI, RiwayatPerubahan, SumberPerubahan};
use app::secret::MemoryStore;
use app::usulan::UsulanBaru;
use idp_harness::{Account, Idp, IdpOptions};

use crate::{RunningHub, TempDir, account, config};

/// A fixture pegawai of Contoh Selatan.
const NIP: &str = "197603012006012005";

/// One officer's computer, named `device`, signed in and synced once.
async fn signed_in(
    name: &str,
    device: &str,
    idp: &Idp,
    hub: &RunningHub,
    officer: &Account,
) -> (TempDir, Arc<AppContext>) {
    let folder = TempDir::new(name);
    let secrets = Arc::new(MemoryStore::default());
    let mut config = config(&folder, idp, hub, &secrets);
    config.device_name = device.to_owned();
    let context = AppContext::new(config, Arc::new(app::context::QuietHost));
    context.start();
    let started = context.masuk_mulai().await.unwrap();
    let (url, who) = (started.url.clone(), officer.clone());
    let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &who).await });
    context.masuk_tunggu().await.unwrap();
    browser.await.unwrap();
    sync(&context).await;
    (folder, context)
}

async fn sync(context: &Arc<AppContext>) {
    let status = context.sinkron_mulai().await.unwrap();
    assert_eq!((status.galat.clone(), status.outbox_total), (None, 0), "{status:?}");
}

/// The changes of `riwayat` as (source, who, device, message, [(field, before, after)]).
type Baris = (SumberPerubahan, String, String, String, Vec<(String, Option<String>, Option<String>)>);

fn baris(riwayat: &RiwayatPerubahan) -> Vec<Baris> {
    riwayat
        .perubahan
        .iter()
        .map(|row| {
            let fields = row.field.iter().map(|f| (f.field.clone(), f.sebelum.clone(), f.sesudah.clone())).collect();
            (row.sumber, row.oleh.clone(), row.perangkat.clone(), row.pesan.clone(), fields)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_officers_edits_of_one_pegawai_show_in_the_audit_trail_of_both_devices() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("riwayat-hub");
    let hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let (operator, verifikator) = (account("operator_instansi"), account("verifikator_instansi"));
    let (_a_dir, a) = signed_in("riwayat-a", "Laptop Operator", &idp, &hub, &operator).await;
    let (_b_dir, b) = signed_in("riwayat-b", "PC Verifikator", &idp, &hub, &verifikator).await;

    let before = a.profil(NIP.to_owned(), None).await.unwrap().kontak;
    let no_hp = "081234500001".to_owned();
    let email = "pegawai.baru@contoh-selatan.go.id".to_owned();
    assert_ne!(before.no_hp.as_deref(), Some(no_hp.as_str()));

    // The operator changes the no HP, the verifikator (having synced it) the email.
    a.kontak_ubah(NIP.to_owned(), None, Some(no_hp.clone()), before.email.clone()).await.unwrap();
    sync(&a).await;
    sync(&b).await;
    b.kontak_ubah(NIP.to_owned(), None, Some(no_hp.clone()), Some(email.clone())).await.unwrap();
    sync(&b).await;
    sync(&a).await;

    let on_a = a.riwayat_perubahan_pegawai(NIP.to_owned(), None).await.unwrap();
    let on_b = b.riwayat_perubahan_pegawai(NIP.to_owned(), None).await.unwrap();
    assert_eq!((on_a.total, on_a.terpotong, on_a.perubahan.len()), (3, false, 3), "{on_a:#?}");
    let pesan = "ubah kontak (no HP, email)".to_owned();
    let expected = |a_device: &str, b_device: &str, a_sumber, b_sumber| {
        vec![
            (
                b_sumber,
                verifikator.nip.clone(),
                b_device.to_owned(),
                pesan.clone(),
                vec![("Email pribadi".to_owned(), before.email.clone(), Some(email.clone()))],
            ),
            (
                a_sumber,
                operator.nip.clone(),
                a_device.to_owned(),
                pesan.clone(),
                vec![("Nomor HP".to_owned(), before.no_hp.clone(), Some(no_hp.clone()))],
            ),
        ]
    };
    assert_eq!(
        baris(&on_a)[..2],
        expected(PERANGKAT_INI, "PC Verifikator", SumberPerubahan::PerangkatIni, SumberPerubahan::PerangkatLain)[..]
    );
    assert_eq!(
        baris(&on_b)[..2],
        expected("Laptop Operator", PERANGKAT_INI, SumberPerubahan::PerangkatLain, SumberPerubahan::PerangkatIni)[..]
    );
    // The oldest change is the hub's import, which wrote the pegawai.
    for riwayat in [&on_a, &on_b] {
        let import = riwayat.perubahan.last().unwrap();
        assert_eq!((import.sumber, import.oleh.as_str(), import.pertama), (SumberPerubahan::Hub, OLEH_HUB, true));
        assert!(import.field.iter().any(|field| field.path == "data_utama.nip"), "{import:?}");
        assert!(chrono::DateTime::parse_from_rfc3339(&import.waktu).is_ok(), "{}", import.waktu);
    }
    assert_eq!(on_a.perubahan[1].waktu, "2026-11-30T03:00:00Z");

    // An usulan's history: its creation by the operator, on both devices once synced.
    let draft = a
        .usulan_buat(UsulanBaru {
            jenis: "kenaikan_pangkat".to_owned(),
            sub_jenis: Some("101".to_owned()),
            nip: vec![NIP.to_owned()],
            perubahan: Vec::new(),
            catatan: None,
        })
        .await
        .unwrap();
    sync(&a).await;
    sync(&b).await;
    let usulan = b.riwayat_perubahan_usulan(draft.ringkas.id.clone()).await.unwrap();
    assert_eq!(usulan.perubahan.len(), 1, "{usulan:#?}");
    let dibuat = &usulan.perubahan[0];
    assert_eq!(
        (dibuat.sumber, dibuat.oleh.as_str(), dibuat.perangkat.as_str(), dibuat.pesan.as_str(), dibuat.pertama),
        (SumberPerubahan::PerangkatLain, operator.nip.as_str(), "Laptop Operator", "usulan dibuat", true)
    );
    assert!(dibuat.field.iter().any(|field| field.path == "jenis"
        && field.field == "Jenis usulan"
        && field.sesudah.as_deref() == Some("kenaikan_pangkat")));
    // An usulan's fields are named as an usulan's, its status events' aksi by name.
    assert!(
        dibuat.field.iter().any(|field| field.path.starts_with("riwayat_status[")
            && field.field == "Riwayat status: aksi"
            && field.sesudah.as_deref() == Some("membuat")),
        "{dibuat:#?}"
    );
    let missing = a.riwayat_perubahan_usulan("bukan-uuid".to_owned()).await.unwrap_err();
    assert_eq!(missing.code, app::KodeGalat::MasukanTidakSah);
}
