//! The desktop's use cases through `AppContext`, against the real local OpenID provider and a real hub: sign-in,
//! first sync, search by name and NIP, profile, an offline contact edit with the hub stopped, a restart of the
//! context (nothing lost), the hub back and the edit pushed; bad contact input; the dashboard's figures against
//! counts computed from the fixtures.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::context::{Config, Host};
use app::pegawai::{FilterPegawai, Urutan};
use app::secret::{MemoryStore, SecretStore};
use app::settings::Overrides;
use app::sinkron::SinkronStatus;
use app::{AppContext, KodeGalat};
use chrono::{Datelike, NaiveDate};
use idp_harness::{Idp, IdpOptions};
use sync::driver::DriverOptions;

use crate::{RunningHub, SELATAN, TempDir, account, config, fixtures, now};

/// A fixture pegawai of Contoh Selatan.
const NIP: &str = "197603012006012005";

/// A host that remembers the sync states it was told about and never opens a browser.
#[derive(Debug, Default)]
struct RecordingHost {
    seen: Mutex<Vec<SinkronStatus>>,
}

impl Host for RecordingHost {
    fn sinkron_berubah(&self, status: &SinkronStatus) {
        self.seen.lock().unwrap().push(status.clone());
    }

    fn open_browser(&self, _url: &str) -> Result<(), String> {
        Err("tidak ada peramban di uji".to_owned())
    }
}

/// A secret store that keeps the names of the secrets it holds.
#[derive(Debug, Default)]
struct KeyLog {
    inner: MemoryStore,
    live: Mutex<std::collections::BTreeSet<String>>,
}

impl SecretStore for KeyLog {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, app::secret::SecretError> {
        self.inner.get(name)
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), app::secret::SecretError> {
        self.live.lock().unwrap().insert(name.to_owned());
        self.inner.set(name, secret)
    }

    fn delete(&self, name: &str) -> Result<(), app::secret::SecretError> {
        self.live.lock().unwrap().remove(name);
        self.inner.delete(name)
    }
}

/// Counts computed from the fixtures' CSV with nothing of the app: by jenis ASN, golongan id, tingkat pendidikan id
/// and age band on `today`.
fn expected_counts(today: NaiveDate) -> BTreeMap<&'static str, BTreeMap<String, i64>> {
    let csv = std::fs::read(fixtures().join("export-data-asn.csv")).unwrap();
    let mut counts: BTreeMap<&'static str, BTreeMap<String, i64>> = BTreeMap::new();
    for record in model::siasn::export::decode(&csv).records {
        let utama = serde_json::to_value(&record.data_utama).unwrap();
        let text = |key: &str| utama[key].as_str().map_or_else(|| "?".to_owned(), str::to_owned);
        *counts.entry("jenis_asn").or_default().entry(text("jenis_asn")).or_default() += 1;
        *counts.entry("golongan").or_default().entry(text("golongan_akhir_id")).or_default() += 1;
        *counts.entry("pendidikan").or_default().entry(text("tingkat_pendidikan_id")).or_default() += 1;
        let band = match utama["tgl_lahir"].as_str().and_then(|date| date.parse::<NaiveDate>().ok()) {
            Some(born) => {
                let mut age = today.year() - born.year();
                if (today.month(), today.day()) < (born.month(), born.day()) {
                    age -= 1;
                }
                match age {
                    ..30 => "<30",
                    30..40 => "30-39",
                    40..50 => "40-49",
                    50..55 => "50-54",
                    55..60 => "55-59",
                    _ => ">=60",
                }
            }
            None => "?",
        };
        *counts.entry("usia").or_default().entry(band.to_owned()).or_default() += 1;
    }
    counts
}

fn as_map(rows: &[app::pegawai::Hitung]) -> BTreeMap<String, i64> {
    rows.iter().filter(|row| row.jumlah > 0).map(|row| (row.kunci.clone(), row.jumlah)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_signs_in_searches_edits_offline_restarts_and_the_edit_reaches_the_hub() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("hub");
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let folder = TempDir::new("desk");
    let secrets = Arc::new(MemoryStore::default());
    let host = Arc::new(RecordingHost::default());
    let context = AppContext::new(config(&folder, &idp, &hub, &secrets), host.clone());
    context.start();
    assert_eq!(context.galat_mulai(), None);

    // Not signed in: the data screens say so.
    assert!(!context.sesi().await.unwrap().masuk);
    assert_eq!(context.beranda().await.unwrap_err().code, KodeGalat::BelumMasuk);

    // A first sign-in the hub refuses (not on its roster) leaves no replica and no key behind.
    {
        let refused_folder = TempDir::new("desk-ditolak");
        let keys = Arc::new(KeyLog::default());
        let mut refused_config = config(&refused_folder, &idp, &hub, &secrets);
        refused_config.secrets = Some(keys.clone() as Arc<dyn SecretStore>);
        let refused = AppContext::new(refused_config, Arc::new(app::context::QuietHost));
        let started = refused.masuk_mulai().await.unwrap();
        let (url, officer) = (started.url.clone(), account("admin_instansi"));
        let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &officer).await });
        let error = refused.masuk_tunggu().await.unwrap_err();
        browser.await.unwrap();
        assert_eq!(error.code, KodeGalat::Ditolak, "{error:?}");
        assert!(error.message.contains("hub menolak"), "refused after the replica was made: {}", error.message);
        let data = refused_folder.0.join("data");
        assert!(!data.join("replika.sqlite").exists() && !data.join("replika.id").exists());
        assert!(keys.live.lock().unwrap().is_empty(), "the new key is removed");
        assert!(!refused.sesi().await.unwrap().masuk);
    }

    // Sign in: the "browser" is the harness, driven with the URL the UI shows. Nothing pending yet: nothing to
    // open again. A first attempt left waiting is cancelled by a second one (its wait returns promptly).
    assert_eq!(context.buka_tautan_masuk().await.unwrap_err().code, KodeGalat::BelumMasuk);
    let operator = account("operator_instansi");
    context.masuk_mulai().await.unwrap();
    let waiting = {
        let context = Arc::clone(&context);
        tokio::spawn(async move { context.masuk_tunggu().await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = context.masuk_mulai().await.unwrap();
    let stale = tokio::time::timeout(Duration::from_secs(10), waiting).await.expect("the old wait ends").unwrap();
    assert_eq!(stale.unwrap_err().code, KodeGalat::MasukUlang);
    context.buka_tautan_masuk().await.unwrap();
    let (url, officer) = (started.url.clone(), operator.clone());
    let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &officer).await });
    let sesi = context.masuk_tunggu().await.unwrap();
    browser.await.unwrap();
    assert!(sesi.masuk && !sesi.perlu_masuk_ulang);
    assert_eq!(sesi.nip.as_deref(), Some(operator.nip.as_str()));
    assert_eq!(sesi.peran, ["operator_instansi"]);

    // The first sync (started in the background by the sign-in; this call joins it or runs one more).
    let status = context.sinkron_mulai().await.unwrap();
    assert_eq!(status.galat, None, "{status:?}");
    assert_eq!(status.daring, Some(true));
    assert_eq!(status.outbox_total, 0);
    assert!(status.terakhir_berhasil.is_some());
    assert!(host.seen.lock().unwrap().iter().any(|seen| seen.berjalan), "the host heard the round start");

    // Two rounds asked at once: one runs, the other joins it and gets one more round right after; both answer, and
    // the host sees the rounds run as one stretch (one start, one end).
    host.seen.lock().unwrap().clear();
    let (first, second) = tokio::join!(context.sinkron_mulai(), context.sinkron_mulai());
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!((first.galat, second.galat), (None, None));
    assert!(!first.berjalan && !second.berjalan);
    let seen: Vec<bool> = host.seen.lock().unwrap().iter().map(|status| status.berjalan).collect();
    let starts = seen.windows(2).filter(|pair| !pair[0] && pair[1]).count() + usize::from(seen.first() == Some(&true));
    assert_eq!(starts, 1, "one running stretch: {seen:?}");
    assert_eq!(seen.last(), Some(&false), "{seen:?}");

    // Search by NIP, then by the name found.
    let by_nip = context.pegawai_cari(NIP.to_owned(), 20).await.unwrap();
    assert_eq!(by_nip.first().map(|row| row.nip.as_str()), Some(NIP));
    let nama = by_nip[0].nama.clone();
    let by_name = context.pegawai_cari(nama.clone(), 20).await.unwrap();
    assert!(by_name.iter().any(|row| row.nip == NIP), "{nama} finds {NIP}: {by_name:?}");
    assert!(by_nip[0].golongan.as_deref().is_some_and(|label| label.contains('/')), "{:?}", by_nip[0].golongan);

    // The profile: by NIP (the oldest document), by the row's document, and not with another row's document.
    let profil = context.profil(NIP.to_owned(), None).await.unwrap();
    assert_eq!(context.profil(NIP.to_owned(), Some(by_nip[0].rowid)).await.unwrap(), profil);
    let other = by_name.iter().chain(&by_nip).find(|row| row.nip != NIP).map_or(by_nip[0].rowid + 1, |row| row.rowid);
    let wrong = context.profil(NIP.to_owned(), Some(other)).await.unwrap_err();
    assert_eq!(wrong.code, KodeGalat::TidakDitemukan);
    assert_eq!(profil.nip, NIP);
    assert_eq!(profil.nama_lengkap, by_nip[0].nama_lengkap);
    assert_eq!(profil.tab[0].kunci, "data-utama");
    assert_eq!(profil.belum_terkirim, 0);
    let missing = context.profil("000000000000000000".to_owned(), None).await.unwrap_err();
    assert_eq!(missing.code, KodeGalat::TidakDitemukan);

    // The dashboard against counts made from the fixtures.
    let today = context.today();
    let beranda = context.beranda().await.unwrap();
    let expected = expected_counts(today);
    assert_eq!(beranda.total, 60);
    assert_eq!(as_map(&beranda.per_jenis_asn), expected["jenis_asn"]);
    assert_eq!(as_map(&beranda.per_golongan), expected["golongan"]);
    assert_eq!(as_map(&beranda.per_pendidikan), expected["pendidikan"]);
    assert_eq!(as_map(&beranda.per_usia), expected["usia"]);
    // BUP and anomalies against every row of the list, counted here.
    let mut rows = Vec::new();
    let mut kursor = None;
    loop {
        let first = kursor.is_none();
        let page = context.pegawai_daftar(FilterPegawai::default(), Urutan::Nip, kursor, 25).await.unwrap();
        assert_eq!(page.total, first.then_some(60), "counted on the first page only");
        rows.extend(page.baris);
        kursor = page.berikutnya;
        if kursor.is_none() {
            break;
        }
    }
    assert_eq!(rows.len(), 60);
    let horizon = today.checked_add_months(chrono::Months::new(12)).unwrap().to_string();
    let bup = rows.iter().filter(|row| row.tmt_pensiun.as_deref().is_some_and(|tmt| *tmt <= *horizon)).count();
    assert_eq!(beranda.bup_12_bulan, bup as i64);
    assert_eq!(beranda.anomali_pegawai, rows.iter().filter(|row| row.ikd_count > 0).count() as i64);
    let per_code: i64 = beranda.anomali_per_kode.iter().map(|kode| kode.jumlah).sum();
    assert_eq!(per_code, rows.iter().map(|row| row.ikd_count).sum::<i64>(), "each anomaly counted once per code");
    assert!(beranda.anomali_per_kode.iter().all(|kode| !kode.penjelasan.is_empty()));
    // KP due at the period: the KP rule of `model` on each hydrated record (not the store's filter SQL): 4 years
    // in pangkat reached by the period, requirements not failed, not retired by then.
    let period: NaiveDate = beranda.kp_periode.parse().unwrap();
    let replica = context.replica(false).unwrap();
    let due = {
        let reader = replica.reader().unwrap();
        rows.iter()
            .filter(|row| {
                let pegawai = store::query::profil_by_rowid(&reader, row.rowid).unwrap().pegawai;
                let fakta = model::fakta::derive(&pegawai, "uji", store::projection::date_independent(), &|_| None);
                let model::rules::kp::KpReguler::Berikutnya { tmt, .. } = &fakta.kp_reguler else { return false };
                *tmt <= period
                    && fakta.kp_reguler.status() != "tidak_memenuhi"
                    && row.tmt_pensiun.as_deref().is_none_or(|tmt| tmt > beranda.kp_periode.as_str())
            })
            .count()
    };
    assert!(due > 0, "the fixtures have pegawai due at {period}");
    assert_eq!(beranda.kp_jatuh_tempo, due as i64);
    let facets = context.pegawai_facets(FilterPegawai::default()).await.unwrap();
    assert_eq!(facets.total, 60);
    assert_eq!(facets.golongan.iter().map(|hitung| hitung.jumlah).sum::<i64>(), 60);
    // The fixtures' hub sends no unor reference tree: the tree is empty, not an error.
    assert_eq!(context.unor_pohon().await.unwrap(), []);
    // A BUP horizon outside 1–600 months is refused, naming the field.
    for months in [0, 601] {
        let filter = FilterPegawai { bup_dalam_bulan: Some(months), ..FilterPegawai::default() };
        let bad = context.pegawai_daftar(filter, Urutan::Nama, None, 10).await.unwrap_err();
        assert_eq!(bad.code, KodeGalat::MasukanTidakSah, "{months}");
        assert!(bad.message.contains("Pensiun dalam"), "{}", bad.message);
    }
    // IKD on the profile: the indicator's name and the stored explanation.
    if let Some(row) = rows.iter().find(|row| row.ikd_count > 0) {
        let profil = context.profil(row.nip.clone(), Some(row.rowid)).await.unwrap();
        assert_eq!(profil.ikd.len() as i64, row.ikd_count);
        assert!(
            profil.ikd.iter().all(|ikd| !ikd.indikator.is_empty() && ikd.indikator != ikd.kode),
            "{:?}",
            profil.ikd
        );
    }

    // Offline: the hub stops; the contact edit is kept locally.
    let scope = format!("instansi:{SELATAN}");
    let seq_before = hub.hub.head_seq(&scope).unwrap();
    hub.stop().await;
    let bad = context.kontak_ubah(NIP.to_owned(), None, Some("08-12ab".to_owned()), None).await.unwrap_err();
    assert_eq!(bad.code, KodeGalat::MasukanTidakSah);
    assert!(bad.message.contains("Nomor HP") && bad.message.contains("08-12ab"), "{}", bad.message);
    let bad = context.kontak_ubah(NIP.to_owned(), None, None, Some("bukan email".to_owned())).await.unwrap_err();
    assert_eq!(bad.code, KodeGalat::MasukanTidakSah);
    assert!(bad.message.contains("Email") && bad.message.contains("bukan email"), "{}", bad.message);
    let edited = context
        .kontak_ubah(
            NIP.to_owned(),
            Some(by_nip[0].rowid),
            Some("0812 3456 7890".to_owned()),
            Some("pegawai@bkd.example.go.id".to_owned()),
        )
        .await
        .unwrap();
    assert_eq!(edited.kontak.no_hp.as_deref(), Some("081234567890"));
    assert_eq!(edited.kontak.email.as_deref(), Some("pegawai@bkd.example.go.id"));
    assert!(edited.belum_terkirim >= 1);
    let offline = context.sinkron_mulai().await.unwrap();
    assert_eq!(offline.galat.as_ref().map(|galat| galat.kode), Some(KodeGalat::Luring), "{offline:?}");
    assert_eq!(offline.daring, Some(false));
    assert!(offline.outbox_total >= 1);
    assert_eq!(offline.outbox[0].nip.as_deref(), Some(NIP));
    assert_eq!(offline.outbox[0].rowid, Some(by_nip[0].rowid));

    // Restart: a new context on the same folder and keyring; the session and the edit are still there.
    drop(replica);
    assert!(context.shutdown(Duration::from_secs(10)).await, "no round left running");
    drop(context);
    let context = AppContext::new(config(&folder, &idp, &hub, &secrets), host.clone());
    context.start();
    let sesi = context.sesi().await.unwrap();
    assert!(sesi.masuk, "still signed in offline after a restart");
    let profil = context.profil(NIP.to_owned(), None).await.unwrap();
    assert_eq!(profil.kontak.no_hp.as_deref(), Some("081234567890"));
    assert!(profil.belum_terkirim >= 1);

    // The hub is back: the round pushes the edit.
    hub.restart().await;
    let status = context.sinkron_mulai().await.unwrap();
    assert_eq!(status.galat, None, "{status:?}");
    assert_eq!(status.outbox_total, 0);
    assert_eq!(context.profil(NIP.to_owned(), None).await.unwrap().belum_terkirim, 0);
    let replica = context.replica(false).unwrap();
    assert!(store::replication::status(&replica).unwrap().rejections.is_empty());
    // The hub's feed has the change.
    assert!(hub.hub.head_seq(&scope).unwrap() > seq_before, "the push reached the hub's log");

    // An edit made while a round runs is pushed by "Sinkronkan sekarang" clicked after it (the click joins the
    // running round and gets one more).
    host.seen.lock().unwrap().clear();
    let running = {
        let context = Arc::clone(&context);
        tokio::spawn(async move { context.sinkron_mulai().await })
    };
    tokio::time::timeout(Duration::from_secs(10), async {
        while !host.seen.lock().unwrap().iter().any(|seen| seen.berjalan) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await
    .expect("the round starts");
    context.kontak_ubah(NIP.to_owned(), None, None, Some("baru@bkd.example.go.id".to_owned())).await.unwrap();
    let after = context.sinkron_mulai().await.unwrap();
    assert_eq!((after.galat, after.outbox_total), (None, 0), "the edit made during the round is pushed");
    running.await.unwrap().unwrap();
    assert!(context.shutdown(Duration::from_secs(10)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_checked_saved_and_read_at_the_next_start_and_a_missing_issuer_is_a_configuration_error() {
    let folder = TempDir::new("pengaturan");
    let secrets: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    let config = Config {
        settings_file: folder.0.join("config").join("pengaturan.toml"),
        overrides: Overrides { data: Some(folder.0.join("data")), ..Overrides::default() },
        secrets: Some(secrets),
        clock: Arc::new(now),
        sync_interval: Duration::from_secs(3_600),
        driver: DriverOptions::default(),
        device_name: "Laptop uji".to_owned(),
    };
    let context = AppContext::new(config.clone(), Arc::new(app::context::QuietHost));
    context.start();
    let shown = context.pengaturan().await.unwrap();
    assert_eq!((shown.hub_url.as_deref(), shown.sso_client_id.as_str()), (None, "luring-desktop"));
    assert_eq!(context.masuk_mulai().await.unwrap_err().code, KodeGalat::Konfigurasi, "no issuer yet");
    assert_eq!(context.masuk_tunggu().await.unwrap_err().code, KodeGalat::MasukUlang, "nothing started");
    assert_eq!(context.sinkron_mulai().await.unwrap().galat.map(|galat| galat.kode), Some(KodeGalat::Konfigurasi));

    let mut typed = shown.clone();
    typed.hub_url = Some("hub.bkd.example".to_owned());
    let bad = context.pengaturan_simpan(typed.clone()).await.unwrap_err();
    assert_eq!(bad.code, KodeGalat::MasukanTidakSah);
    assert!(bad.message.contains("Alamat hub") && bad.message.contains("hub.bkd.example"), "{}", bad.message);
    typed.hub_url = Some("https://hub.bkd.example/".to_owned());
    typed.sso_issuer = Some("https://sso.example/realms/luring".to_owned());
    let saved = context.pengaturan_simpan(typed).await.unwrap();
    assert_eq!(saved.hub_url.as_deref(), Some("https://hub.bkd.example"));
    assert!(!saved.mulai_ulang);
    context.stop();

    let again = AppContext::new(config, Arc::new(app::context::QuietHost));
    assert_eq!(again.galat_mulai(), None);
    assert_eq!(again.pengaturan().await.unwrap().sso_issuer.as_deref(), Some("https://sso.example/realms/luring"));
    // Signed out, with no replica yet: the status is empty, not an error.
    let status = again.sinkron_status().await.unwrap();
    assert_eq!((status.outbox_total, status.daring), (0, None));
    // A crash is reported once (the error screen's "Muat ulang" then gets the app back).
    again.record_crash("uji.rs:1");
    assert_eq!(again.galat_mulai().map(|galat| galat.code), Some(KodeGalat::Internal));
    assert_eq!(again.galat_mulai(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_saved_while_environment_variables_are_set_keep_the_files_own_values() {
    let folder = TempDir::new("pengaturan-env");
    let file = folder.0.join("pengaturan.toml");
    let own = app::settings::SettingsFile {
        hub_url: Some("https://berkas.example".to_owned()),
        sso_issuer: None,
        sso_client_id: Some("klien-berkas".to_owned()),
        folder_data: Some(folder.0.join("data-berkas").display().to_string()),
    };
    app::settings::write(&file, &own).unwrap();
    let config = Config {
        settings_file: file.clone(),
        overrides: Overrides {
            data: Some(folder.0.join("data-env")),
            hub: Some("https://env.example".to_owned()),
            sso_issuer: None,
            sso_client_id: Some("klien-env".to_owned()),
        },
        secrets: Some(Arc::new(MemoryStore::default())),
        clock: Arc::new(now),
        sync_interval: Duration::from_secs(3_600),
        driver: DriverOptions::default(),
        device_name: "Laptop uji".to_owned(),
    };
    let context = AppContext::new(config, Arc::new(app::context::QuietHost));
    let shown = context.pengaturan().await.unwrap();
    assert_eq!(shown.hub_url.as_deref(), Some("https://env.example"));
    assert_eq!(shown.sso_client_id, "klien-env");
    assert_eq!(shown.dari_lingkungan, ["hub_url", "sso_client_id", "folder_data"]);
    assert!(!shown.mulai_ulang, "the environment's data folder is in use");

    // The UI sends back what it shows (the environment's values) plus a new issuer.
    let mut typed = shown.clone();
    typed.sso_issuer = Some("https://sso.example/realms/luring".to_owned());
    let saved = context.pengaturan_simpan(typed).await.unwrap();
    assert_eq!(saved.hub_url.as_deref(), Some("https://env.example"), "the environment keeps winning");
    let written = app::settings::read(&file).unwrap();
    assert_eq!(
        written,
        app::settings::SettingsFile { sso_issuer: Some("https://sso.example/realms/luring".to_owned()), ..own },
        "the file keeps its own hub, client id and data folder"
    );
}
