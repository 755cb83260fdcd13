//! Push back against the SI-ASN simulator (issue 8, the Push bar): an approved jabatan row and its SK arrive in
//! SI-ASN once, even when the first answer is lost or the run is killed after the save; a later pull maps SI-ASN's
//! row back onto the local one (no duplicate row); a refused row is reported and the run goes on.

#![allow(clippy::unwrap_used, reason = "test setup panics on a broken environment")]

use std::path::PathBuf;
use std::time::Duration;

use hub::siasn::push::{self, LaporanKirim};
use hub::siasn::{SiasnClient, SiasnConfig, SiasnError, SiasnStore, SsoSource};
use hub::{Hub, HubOptions, Role, RosterEntry};
use model::Nip;
use model::pegawai::{DokumenRef, ID_LOKAL, RiwayatGolongan, RiwayatJabatan};
use model::usulan::BlobRef;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use siasn_simulator::{Faults, Simulator, SimulatorConfig};

/// A folder under the system temp dir, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("luring-push-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Folder(path)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A simulator, a hub in `folder` and the gateway's store and client.
struct Setup {
    sim: Simulator,
    hub: Hub,
    store: SiasnStore,
    client: SiasnClient,
    instansi: String,
}

async fn setup(folder: &Folder, pegawai: usize) -> Setup {
    let config = SimulatorConfig { pegawai, seed: 8, ..SimulatorConfig::default() };
    let (key, secret) = (config.consumer_key.clone(), config.consumer_secret.clone());
    let sim = Simulator::start(config).await.unwrap();
    let base = sim.base_url();
    let client = SiasnClient::new(SiasnConfig {
        apim_token_url: format!("{base}/oauth2/token"),
        base_url: base,
        consumer_key: key,
        consumer_secret: secret,
        sso: SsoSource::Token(sim.sso_token(Duration::from_secs(3600))),
        konkurensi: 2,
        per_detik: 0.0,
        timeout: Duration::from_secs(20),
    })
    .unwrap();
    let hub = Hub::open(&folder.0, HubOptions::default()).unwrap();
    let store = SiasnStore::open(&folder.0).unwrap();
    let instansi = sim.instansi_id();
    Setup { sim, hub, store, client, instansi }
}

/// The pegawai `nip` as a pull decodes it from what the simulator serves.
fn tarik(sim: &Simulator, nip: &str) -> model::Pegawai {
    let mut warnings = Vec::new();
    let mut body_of = |endpoint: &str| sim.data(nip, endpoint).map(|data| json!({"code": 1, "data": data}).to_string());
    model::siasn::ws::decode_pegawai(&Nip::new(nip), &mut body_of, &mut warnings).unwrap()
}

/// A small PDF (a scanned SK Jabatan stand-in) put into the hub's blob store, as a device's upload does.
fn simpan_pdf(setup: &Setup) -> BlobRef {
    let pdf = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> \
                endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
        .to_vec();
    let hash: [u8; 32] = Sha256::digest(&pdf).into();
    let operator = "199203152019032001";
    setup
        .hub
        .roster_add(RosterEntry {
            nip: operator.into(),
            nama: None,
            instansi: setup.instansi.clone(),
            roles: vec![Role::OperatorInstansi],
        })
        .unwrap();
    let token = hub::auth::VerifiedToken {
        sub: format!("sub-{operator}"),
        nip: Nip::new(operator),
        name: None,
        expires_at: chrono::DateTime::from_timestamp(4_000_000_000, 0).unwrap(),
        scopes: vec!["openid".into()],
        token_id: None,
    };
    let caller = setup.hub.caller(&token).unwrap();
    setup.hub.blob_status(&caller, &hash, pdf.len() as u64).unwrap();
    assert!(setup.hub.put_blob_chunk(&caller, &hash, 0, &pdf).unwrap().complete);
    BlobRef {
        sha256: hash.iter().map(|byte| format!("{byte:02x}")).collect(),
        size: pdf.len() as u64,
        mime: "application/pdf".into(),
        name: "SK Jabatan 2026.pdf".into(),
    }
}

/// An approved new jabatan of `pegawai` (a promotion in the same unit), as a device records it: a local id, the
/// SK's number and dates, and the scanned SK attached as document 872.
fn jabatan_baru(pegawai: &model::Pegawai, nomor_sk: &str, berkas: Option<BlobRef>) -> RiwayatJabatan {
    let mut row = pegawai.riwayat_jabatan.last().cloned().unwrap();
    row.id = Some(format!("{ID_LOKAL}{}", uuid::Uuid::now_v7()));
    row.nomor_sk = Some(nomor_sk.into());
    row.tanggal_sk = chrono::NaiveDate::from_ymd_opt(2026, 10, 20);
    row.tmt_jabatan = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
    row.tmt_pelantikan = None;
    (row.jenis_mutasi_id, row.jenis_penugasan_id, row.sub_jabatan_id, row.tmt_mutasi) = (None, None, None, None);
    row.raw.clear();
    row.dokumen = berkas
        .map(|berkas| DokumenRef {
            dok_id: "872".into(),
            dok_nama: Some("Dok SK Jabatan".into()),
            berkas: Some(berkas),
            ..DokumenRef::default()
        })
        .into_iter()
        .collect();
    row
}

/// The simulator's writes for `nip`: (endpoint, riwayat id).
fn simpan_of(sim: &Simulator, nip: &str) -> Vec<(String, String)> {
    sim.statistik().simpan.into_iter().filter(|(_, of, _)| of == nip).map(|(endpoint, _, id)| (endpoint, id)).collect()
}

async fn kirim(setup: &Setup) -> LaporanKirim {
    let mut progress = Vec::new();
    let laporan = push::kirim(&setup.hub, &setup.client, &setup.store, &setup.instansi, &mut |done, total| {
        progress.push((done, total))
    })
    .await
    .unwrap();
    let total = setup.hub.pegawai_nips(&setup.instansi).unwrap().len();
    assert_eq!(progress.last(), Some(&(total, total)));
    laporan
}

/// The hub's `riwayat_jabatan` rows of `nip`.
fn rows_in_hub(setup: &Setup, nip: &str) -> Vec<Value> {
    let document = setup.hub.pegawai_json(&setup.instansi, nip).unwrap().unwrap();
    document["riwayat_jabatan"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jabatan_and_its_sk_arrive_once_when_the_first_answer_is_lost() {
    let folder = Folder::new("lost");
    let setup = setup(&folder, 3).await;
    let nip = setup.sim.nips()[0].clone();
    let mut pegawai = tarik(&setup.sim, &nip);
    let before = pegawai.riwayat_jabatan.len();
    let berkas = simpan_pdf(&setup);
    let lokal = jabatan_baru(&pegawai, "800.1.3.3/0417/BKPSDM/2026", Some(berkas));
    let lokal_id = lokal.id.clone().unwrap();
    pegawai.riwayat_jabatan.push(lokal);
    setup.hub.import_pegawai(&setup.instansi, vec![pegawai], &mut |_| {}).unwrap();

    // The save is applied, its answer is cut: the push reads rw-jabatan, finds the row and takes its id.
    setup.sim.set_faults(Faults { lose_write_responses: 1, ..Faults::default() });
    let first = kirim(&setup).await;
    assert!(first.gagal.is_empty(), "{first:?}");
    assert_eq!((first.pegawai, first.terkirim, first.diadopsi, first.sudah), (1, 1, 1, 0), "{first:?}");
    assert_eq!((first.dokumen, first.dokumen_sudah), (1, 0), "{first:?}");
    assert!(first.lewat_layanan_bkn.iter().any(|line| line.starts_with("data_utama.nik: lewat layanan BKN")));
    assert_eq!(setup.sim.statistik().per_endpoint.get("rw-jabatan"), Some(&1), "one check after the lost answer");

    // A second run sends nothing.
    let second = kirim(&setup).await;
    assert!(second.gagal.is_empty(), "{second:?}");
    assert_eq!((second.terkirim, second.sudah, second.dokumen, second.dokumen_sudah), (0, 1, 0, 1), "{second:?}");

    // Exactly one save and one upload reached the simulator, for the same row.
    let writes = simpan_of(&setup.sim, &nip);
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert_eq!((writes[0].0.as_str(), writes[1].0.as_str()), ("jabatan/save", "upload-dok-rw"));
    let siasn_id = writes[0].1.clone();
    assert_eq!(writes[1].1, siasn_id);
    let at_siasn = setup.sim.data(&nip, "rw-jabatan").unwrap();
    let rows = at_siasn.as_array().unwrap();
    assert_eq!(rows.len(), before + 1);
    let row = rows.iter().find(|row| row["id"] == json!(siasn_id)).unwrap();
    assert_eq!(row["nomorSk"], json!("800.1.3.3/0417/BKPSDM/2026"));
    assert_eq!((&row["tmtJabatan"], &row["tanggalSk"]), (&json!("01-11-2026"), &json!("20-10-2026")));
    assert_eq!(row["path"]["872"]["dok_id"], json!("872"), "{row}");

    // A pull: SI-ASN's row gets the local id back, so the import updates that row instead of adding one.
    let mut pulled = tarik(&setup.sim, &nip);
    push::ganti_id_terkirim(&setup.store, &nip, &mut pulled).unwrap();
    let ids: Vec<&str> = pulled.riwayat_jabatan.iter().filter_map(|row| row.id.as_deref()).collect();
    assert!(ids.contains(&lokal_id.as_str()) && !ids.contains(&siasn_id.as_str()), "{ids:?}");
    setup.hub.import_pegawai(&setup.instansi, vec![pulled], &mut |_| {}).unwrap();
    let rows = rows_in_hub(&setup, &nip);
    assert_eq!(rows.len(), before + 1);
    let ours: Vec<&Value> = rows.iter().filter(|row| row["nomor_sk"] == json!("800.1.3.3/0417/BKPSDM/2026")).collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(ours[0]["id"], json!(lokal_id));
    // SI-ASN's document descriptor replaced the local file reference.
    assert_eq!(ours[0]["dokumen"][0]["dok_id"], json!("872"));
    assert!(ours[0]["dokumen"][0]["dok_uri"].is_string(), "{}", ours[0]);

    // And a push after the pull still sends nothing.
    let third = kirim(&setup).await;
    assert_eq!((third.terkirim, third.sudah, third.dokumen), (0, 1, 0), "{third:?}");
    assert_eq!(simpan_of(&setup.sim, &nip).len(), 2);
    setup.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_after_the_save_does_not_save_twice() {
    let folder = Folder::new("killed");
    let setup = setup(&folder, 2).await;
    let nip = setup.sim.nips()[1].clone();
    let mut pegawai = tarik(&setup.sim, &nip);
    let berkas = simpan_pdf(&setup);
    pegawai.riwayat_jabatan.push(jabatan_baru(&pegawai, "821.2/1102/BKPSDM/2026", Some(berkas)));
    setup.hub.import_pegawai(&setup.instansi, vec![pegawai], &mut |_| {}).unwrap();

    // Every request waits 800 ms before its handler; the save's answer is lost, so the run goes on to read
    // rw-jabatan, and is killed while that read waits.
    setup.sim.set_faults(Faults { latency: Duration::from_millis(800), lose_write_responses: 1, ..Faults::default() });
    let (hub, client, store, instansi) =
        (setup.hub.clone(), setup.client.clone(), setup.store.clone(), setup.instansi.clone());
    let run = tokio::spawn(async move { push::kirim(&hub, &client, &store, &instansi, &mut |_, _| {}).await });
    let mut saved = false;
    for _ in 0..3_000 {
        if simpan_of(&setup.sim, &nip).iter().any(|(endpoint, _)| endpoint == "jabatan/save") {
            saved = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    run.abort();
    assert!(saved, "the save never reached the simulator");
    assert!(run.await.unwrap_err().is_cancelled(), "the run finished before it was killed");

    // The next run finds the row the killed one created and only uploads the document.
    setup.sim.set_faults(Faults::default());
    let laporan = kirim(&setup).await;
    assert!(laporan.gagal.is_empty(), "{laporan:?}");
    assert_eq!((laporan.terkirim, laporan.diadopsi, laporan.dokumen), (1, 1, 1), "{laporan:?}");
    let writes = simpan_of(&setup.sim, &nip);
    let endpoints: Vec<&str> = writes.iter().map(|(endpoint, _)| endpoint.as_str()).collect();
    assert_eq!(endpoints, ["jabatan/save", "upload-dok-rw"]);
    assert_eq!(writes[0].1, writes[1].1);
    setup.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_or_incomplete_row_is_reported_and_the_run_goes_on() {
    let folder = Folder::new("refused");
    let setup = setup(&folder, 3).await;
    let nips = setup.sim.nips();
    // First pegawai: a unit SI-ASN does not know (refused), and a row without its SK number (never sent), and a
    // local golongan row (not pushed: KP goes through BKN layanan).
    let mut first = tarik(&setup.sim, &nips[0]);
    let mut unknown_unit = jabatan_baru(&first, "800/1/2026", None);
    unknown_unit.unor_id = Some("8ae4829700000000000000000000dead".into());
    let unknown_id = unknown_unit.id.clone().unwrap();
    let mut no_sk = jabatan_baru(&first, "", None);
    no_sk.nomor_sk = None;
    let no_sk_id = no_sk.id.clone().unwrap();
    first.riwayat_jabatan.extend([unknown_unit, no_sk]);
    first.riwayat_golongan.push(RiwayatGolongan {
        id: Some(format!("{ID_LOKAL}golongan-1")),
        golongan_id: Some("34".into()),
        ..RiwayatGolongan::default()
    });
    // Second pegawai: a good row.
    let mut second = tarik(&setup.sim, &nips[1]);
    second.riwayat_jabatan.push(jabatan_baru(&second, "800/2/2026", None));
    setup.hub.import_pegawai(&setup.instansi, vec![first, second], &mut |_| {}).unwrap();

    for run in 0..2 {
        let laporan = kirim(&setup).await;
        assert_eq!(laporan.terkirim + laporan.sudah, 1, "run {run}: {laporan:?}");
        assert_eq!(laporan.gagal.len(), 2, "run {run}: {laporan:?}");
        let refused = laporan.gagal.iter().find(|(_, row, _)| *row == unknown_id).unwrap();
        assert!(refused.2.starts_with("ditolak SI-ASN: unorId"), "{refused:?}");
        let incomplete = laporan.gagal.iter().find(|(_, row, _)| *row == no_sk_id).unwrap();
        assert!(incomplete.2.contains("nomorSk"), "{incomplete:?}");
        assert_eq!(laporan.dilewati.len(), 1, "{laporan:?}");
        assert!(laporan.dilewati[0].1.starts_with("riwayat_golongan.lokal-"));
    }
    // Refused saves are not applied; the good row was saved once.
    assert!(simpan_of(&setup.sim, &nips[0]).is_empty());
    assert_eq!(simpan_of(&setup.sim, &nips[1]).len(), 1);
    setup.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_sso_token_stops_the_run_and_leaves_nothing_half_sent() {
    let folder = Folder::new("expired");
    let setup = setup(&folder, 2).await;
    let nip = setup.sim.nips()[0].clone();
    let mut pegawai = tarik(&setup.sim, &nip);
    pegawai.riwayat_jabatan.push(jabatan_baru(&pegawai, "800/7/2026", None));
    setup.hub.import_pegawai(&setup.instansi, vec![pegawai], &mut |_| {}).unwrap();

    let base = setup.sim.base_url();
    let expired = SiasnClient::new(SiasnConfig {
        apim_token_url: format!("{base}/oauth2/token"),
        base_url: base,
        consumer_key: "simulator-key".into(),
        consumer_secret: "simulator-secret".into(),
        sso: SsoSource::Token(setup.sim.sso_token(Duration::ZERO)),
        konkurensi: 1,
        per_detik: 0.0,
        timeout: Duration::from_secs(20),
    })
    .unwrap();
    let result = push::kirim(&setup.hub, &expired, &setup.store, &setup.instansi, &mut |_, _| {}).await;
    assert!(matches!(result, Err(SiasnError::SsoKedaluwarsa { .. })), "{result:?}");
    assert!(simpan_of(&setup.sim, &nip).is_empty());

    // Nothing was recorded as sent: with a good token the row is simply sent, not looked for first.
    let laporan = kirim(&setup).await;
    assert_eq!((laporan.terkirim, laporan.diadopsi), (1, 0), "{laporan:?}");
    assert_eq!(simpan_of(&setup.sim, &nip).len(), 1);
    assert_eq!(setup.sim.statistik().per_endpoint.get("rw-jabatan"), None, "no check of an unsent row");
    setup.sim.stop().await;
}

/// How many jabatan saves reached the simulator (applied or not).
fn saves_sent(sim: &Simulator) -> u64 {
    sim.statistik().per_endpoint.get("jabatan/save").copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_save_is_not_sent_again_in_the_same_run() {
    let folder = Folder::new("uncertain");
    let setup = setup(&folder, 2).await;
    let nip = setup.sim.nips()[0].clone();
    let mut pegawai = tarik(&setup.sim, &nip);
    pegawai.riwayat_jabatan.push(jabatan_baru(&pegawai, "821.2/0501/BKPSDM/2026", None));
    setup.hub.import_pegawai(&setup.instansi, vec![pegawai], &mut |_| {}).unwrap();

    // The save is lost on its way (not applied): one check of rw-jabatan finds nothing, and it is NOT sent again.
    setup.sim.set_faults(Faults { drop_writes: 1, ..Faults::default() });
    let first = kirim(&setup).await;
    assert!(first.gagal.is_empty(), "{first:?}");
    assert_eq!((first.terkirim, first.menunggu.len()), (0, 1), "{first:?}");
    assert!(first.menunggu[0].2.contains("tidak dikirim ulang"), "{first:?}");
    assert_eq!(saves_sent(&setup.sim), 1, "one POST per run");
    assert_eq!(setup.sim.statistik().per_endpoint.get("rw-jabatan"), Some(&1), "one check");
    assert!(simpan_of(&setup.sim, &nip).is_empty());

    // A later run still finds nothing: now it is sent again, once.
    setup.sim.set_faults(Faults::default());
    let second = kirim(&setup).await;
    assert!(second.gagal.is_empty() && second.menunggu.is_empty(), "{second:?}");
    assert_eq!((second.terkirim, second.diadopsi), (1, 0), "{second:?}");
    assert_eq!(simpan_of(&setup.sim, &nip).len(), 1);
    let third = kirim(&setup).await;
    assert_eq!((third.terkirim, third.sudah), (0, 1), "{third:?}");
    assert_eq!(saves_sent(&setup.sim), 2);
    setup.sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_answered_success_without_its_id_is_never_sent_again() {
    let folder = Folder::new("tanpa-id");
    let setup = setup(&folder, 2).await;
    let nip = setup.sim.nips()[1].clone();
    let mut pegawai = tarik(&setup.sim, &nip);
    pegawai.riwayat_jabatan.push(jabatan_baru(&pegawai, "821.2/0601/BKPSDM/2026", None));
    setup.hub.import_pegawai(&setup.instansi, vec![pegawai.clone()], &mut |_| {}).unwrap();

    // Success without mapData.rwJabatanId: the row is found in rw-jabatan and its id taken.
    setup.sim.set_faults(Faults { saves_without_id: 1, ..Faults::default() });
    let first = kirim(&setup).await;
    assert!(first.gagal.is_empty() && first.menunggu.is_empty(), "{first:?}");
    assert_eq!((first.terkirim, first.diadopsi), (1, 1), "{first:?}");
    assert_eq!(saves_sent(&setup.sim), 1);

    // A second row whose success-without-id SI-ASN does not show (yet): every run waits, none sends it again.
    pegawai.riwayat_jabatan.push(jabatan_baru(&pegawai, "821.2/0602/BKPSDM/2026", None));
    setup.hub.import_pegawai(&setup.instansi, vec![pegawai], &mut |_| {}).unwrap();
    setup.sim.set_faults(Faults { drop_writes: 1, ..Faults::default() });
    let second = kirim(&setup).await;
    assert_eq!((second.terkirim, second.menunggu.len()), (0, 1), "{second:?}");
    // As if SI-ASN had answered success without the id for it.
    setup
        .store
        .with_conn(|conn| conn.execute("UPDATE siasn_kirim SET sukses = 1 WHERE keadaan = 'dikirim'", []))
        .unwrap();
    setup.sim.set_faults(Faults::default());
    for _ in 0..2 {
        let later = kirim(&setup).await;
        assert!(later.gagal.is_empty(), "{later:?}");
        assert_eq!((later.terkirim, later.menunggu.len()), (0, 1), "{later:?}");
        assert!(later.menunggu[0].2.contains("sukses"), "{later:?}");
    }
    assert_eq!(saves_sent(&setup.sim), 2, "the success was never sent again");
    setup.sim.stop().await;
}
