//! Verifikasi lapangan through `AppContext` on two devices against the real local OpenID provider and a real hub
//! over HTTP on 127.0.0.1: an operator's wrong inputs are refused naming the field and the raw value (nothing
//! written); with the hub stopped the operator records a visit with a photo and adds a second; the visit survives
//! closing and reopening the app on the same replica; once the hub is back it is pushed with its photos, and a
//! verifikator's device lists it and shows both photos byte for byte; the CSV export holds it. The same photo
//! chosen twice is kept once, and added again is refused; two devices that each add a photo to the visit offline
//! both keep theirs after syncing.

use std::sync::Arc;
use std::time::Duration;

use app::secret::MemoryStore;
use app::verifikasi::{FilterKunjungan, FotoBaru, KunjunganBaru, KunjunganDetail};
use app::{AppContext, KodeGalat};
use idp_harness::{Account, Idp, IdpOptions};

use crate::{RunningHub, TempDir, account, config, now};

/// A fixture pegawai of Contoh Selatan.
const NIP: &str = "197603012006012005";

/// One officer's computer: a data folder, a keyring and the app, signed in and synced once.
pub(crate) struct Device {
    folder: TempDir,
    secrets: Arc<MemoryStore>,
    pub(crate) context: Arc<AppContext>,
    pub(crate) officer: Account,
}

impl Device {
    pub(crate) async fn signed_in(name: &str, idp: &Idp, hub: &RunningHub, officer: Account) -> Device {
        let folder = TempDir::new(name);
        let secrets = Arc::new(MemoryStore::default());
        let context = AppContext::new(config(&folder, idp, hub, &secrets), Arc::new(app::context::QuietHost));
        context.start();
        let started = context.masuk_mulai().await.unwrap();
        let (url, who) = (started.url.clone(), officer.clone());
        let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &who).await });
        context.masuk_tunggu().await.unwrap();
        browser.await.unwrap();
        let device = Device { folder, secrets, context, officer };
        device.sync().await;
        device
    }

    pub(crate) async fn sync(&self) {
        let status = self.context.sinkron_mulai().await.unwrap();
        assert_eq!(status.galat, None, "{}: {status:?}", self.officer.peran);
        assert_eq!((status.outbox_total, status.blob_menunggu), (0, 0), "{}: {status:?}", self.officer.peran);
    }

    pub(crate) async fn restart(&mut self, idp: &Idp, hub: &RunningHub) {
        assert!(self.context.shutdown(Duration::from_secs(10)).await);
        let context = AppContext::new(config(&self.folder, idp, hub, &self.secrets), Arc::new(app::context::QuietHost));
        context.start();
        self.context = context;
    }

    async fn visits(&self, filter: FilterKunjungan) -> Vec<app::verifikasi::KunjunganRingkas> {
        self.context.verifikasi_lapangan_daftar(filter, None, 100).await.unwrap().baris
    }
}

/// A JPEG-looking photo of `size` bytes whose content depends on `tag`.
fn jpeg(tag: &str, size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend_from_slice(tag.as_bytes());
    bytes.resize(size, 0x5A);
    bytes
}

fn foto(nama: &str, isi: Vec<u8>) -> FotoBaru {
    FotoBaru { nama: nama.to_owned(), mime: "image/jpeg".to_owned(), isi }
}

fn baru(nip: &str, hasil: &str, catatan: Option<&str>, foto: Vec<FotoBaru>) -> KunjunganBaru {
    KunjunganBaru { nip: nip.to_owned(), hasil: hasil.to_owned(), catatan: catatan.map(str::to_owned), foto }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_recorded_offline_survives_a_restart_and_reaches_another_device_with_its_photos() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("kunjungan-hub");
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let mut operator = Device::signed_in("kunjungan-operator", &idp, &hub, account("operator_instansi")).await;
    let context = Arc::clone(&operator.context);

    // Wrong inputs name the field and the raw value, and write nothing.
    let refused = |error: app::AppError| {
        assert_eq!(error.code, KodeGalat::MasukanTidakSah, "{error:?}");
        error.message
    };
    let message =
        refused(context.verifikasi_lapangan_buat(baru("1976 0301", "ditemukan", None, vec![])).await.unwrap_err());
    assert_eq!(message, "NIP \"1976 0301\" tidak sah: tulis 18 angka NIP.");
    let message = refused(
        context.verifikasi_lapangan_buat(baru("199901012024011001", "ditemukan", None, vec![])).await.unwrap_err(),
    );
    assert_eq!(
        message,
        "NIP \"199901012024011001\" tidak sah: pegawai ini tidak ada di replika; sinkronkan atau periksa NIP."
    );
    let message = refused(context.verifikasi_lapangan_buat(baru(NIP, "hilang", None, vec![])).await.unwrap_err());
    assert_eq!(
        message,
        "Hasil \"hilang\" tidak sah: salah satu dari ditemukan, tidak_ditemukan, meninggal, pindah, lainnya."
    );
    let long = format!("Rumah kosong. {}", "Tetangga tidak tahu. ".repeat(100));
    let message =
        refused(context.verifikasi_lapangan_buat(baru(NIP, "pindah", Some(&long), vec![])).await.unwrap_err());
    assert!(message.starts_with("Catatan \"Rumah kosong. Tetangga tidak tahu."), "{message}");
    assert!(message.contains("paling panjang 2000 karakter (ada 2113)"), "{message}");
    let pdf = FotoBaru { nama: "akta.pdf".into(), mime: "application/pdf".into(), isi: b"%PDF-1.4".repeat(200) };
    let message = refused(context.verifikasi_lapangan_buat(baru(NIP, "meninggal", None, vec![pdf])).await.unwrap_err());
    assert!(message.starts_with("Jenis foto akta.pdf \"application/pdf\" tidak sah"), "{message}");
    assert!(operator.visits(FilterKunjungan::default()).await.is_empty());

    // Offline: the visit with one photo, then a second photo.
    hub.stop().await;
    let rumah = jpeg("rumah", 48_000);
    let surat = jpeg("surat keterangan lurah", 120_000);
    let detail = context
        .verifikasi_lapangan_buat(baru(
            NIP,
            "tidak_ditemukan",
            Some("  Rumah kosong sejak 2024, menurut ketua RT pindah ke luar daerah.  "),
            // The same photo chosen twice: one photo.
            vec![foto("IMG_0001.jpg", rumah.clone()), foto("IMG_0001 (salinan).jpg", rumah.clone())],
        ))
        .await
        .unwrap();
    let id = detail.ringkas.id.clone();
    assert_eq!(detail.ringkas.nip, NIP);
    assert_eq!(detail.ringkas.hasil, "tidak_ditemukan");
    assert_eq!(detail.ringkas.hasil_nama, "Tidak ditemukan");
    assert_eq!(
        detail.ringkas.catatan.as_deref(),
        Some("Rumah kosong sejak 2024, menurut ketua RT pindah ke luar daerah.")
    );
    assert_eq!(detail.ringkas.petugas, operator.officer.nip);
    assert_eq!(
        detail.ringkas.waktu.as_deref(),
        Some(now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true).as_str())
    );
    assert!(detail.ringkas.nama.is_some() && detail.ringkas.unor_nama.is_some(), "{:?}", detail.ringkas);
    assert!(detail.lokal && detail.boleh_tambah_foto);
    let detail =
        context.verifikasi_lapangan_foto_tambah(id.clone(), foto("surat-rt.jpg", surat.clone())).await.unwrap();
    let names: Vec<(&str, u64, bool)> =
        detail.foto.iter().map(|foto| (foto.name.as_str(), foto.size, foto.tersedia)).collect();
    assert_eq!(names, [("IMG_0001.jpg", 48_000, true), ("surat-rt.jpg", 120_000, true)]);
    assert_eq!(detail.ringkas.jumlah_foto, 2);
    let message = refused(
        context.verifikasi_lapangan_foto_tambah(id.clone(), foto("kosong.jpg", jpeg("x", 200))).await.unwrap_err(),
    );
    assert!(message.starts_with("Ukuran foto kosong.jpg \"200 byte\" tidak sah"), "{message}");
    // A photo already there is said to be so, not reported as added; nothing more is queued.
    let menunggu = context.sinkron_status().await.unwrap().blob_menunggu;
    let message = refused(
        context.verifikasi_lapangan_foto_tambah(id.clone(), foto("surat lagi.jpg", surat.clone())).await.unwrap_err(),
    );
    assert_eq!(
        message,
        "Foto ini sudah ada pada kunjungan ini (isinya sama dengan surat-rt.jpg); tidak ditambahkan lagi."
    );
    assert_eq!(context.sinkron_status().await.unwrap().blob_menunggu, menunggu);
    assert_eq!(context.verifikasi_lapangan_detail(id.clone()).await.unwrap(), detail);
    drop(context);

    // Closed and opened again on the same replica: nothing lost.
    operator.restart(&idp, &hub).await;
    let again: KunjunganDetail = operator.context.verifikasi_lapangan_detail(id.clone()).await.unwrap();
    assert_eq!(again, detail);
    let listed = operator.visits(FilterKunjungan { hasil: Some("tidak_ditemukan".into()), ..Default::default() }).await;
    assert_eq!(listed, std::slice::from_ref(&detail.ringkas));
    assert!(
        operator.visits(FilterKunjungan { hasil: Some("ditemukan".into()), ..Default::default() }).await.is_empty()
    );

    // The hub back: pushed with its photos; the verifikator's device lists it and shows the same bytes.
    hub.restart().await;
    operator.sync().await;
    assert!(!operator.context.verifikasi_lapangan_detail(id.clone()).await.unwrap().lokal);
    let verifikator = Device::signed_in("kunjungan-verifikator", &idp, &hub, account("verifikator_instansi")).await;
    let seen = verifikator.visits(FilterKunjungan { nip: Some(NIP.into()), ..Default::default() }).await;
    assert_eq!(seen, std::slice::from_ref(&detail.ringkas));
    let there = verifikator.context.verifikasi_lapangan_detail(id.clone()).await.unwrap();
    assert!(there.foto.iter().all(|foto| foto.tersedia), "{:?}", there.foto);
    for (shown, original) in there.foto.iter().zip([&rumah, &surat]) {
        let isi = verifikator.context.verifikasi_lapangan_foto(id.clone(), shown.sha256.clone()).await.unwrap();
        assert_eq!((isi.mime.as_str(), &isi.isi), ("image/jpeg", original));
    }

    // The export for follow-up: a header and the visit.
    let ekspor = verifikator.context.verifikasi_lapangan_ekspor(FilterKunjungan::default()).await.unwrap();
    assert_eq!(ekspor.jumlah, 1);
    let text = std::fs::read_to_string(&ekspor.berkas).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "\u{feff}NIP,Nama,Unor,Hasil,Catatan,Petugas,Waktu,Jumlah foto");
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].starts_with(&format!("\"=\"\"{NIP}\"\"\",")), "{text}");
    assert!(
        lines[1].contains(&format!(
            ",Tidak ditemukan,\"Rumah kosong sejak 2024, menurut ketua RT pindah ke luar daerah.\",\"=\"\"{}\"\"\",",
            operator.officer.nip
        )),
        "{text}"
    );
    assert!(lines[1].ends_with(",2"), "{text}");

    // Both devices offline each add a photo to the visit: after syncing, both photos are on both.
    hub.stop().await;
    let ktp = jpeg("ktp", 30_000);
    let lurah = jpeg("surat lurah", 40_000);
    operator.context.verifikasi_lapangan_foto_tambah(id.clone(), foto("ktp.jpg", ktp)).await.unwrap();
    verifikator.context.verifikasi_lapangan_foto_tambah(id.clone(), foto("lurah.jpg", lurah)).await.unwrap();
    hub.restart().await;
    operator.sync().await;
    verifikator.sync().await;
    operator.sync().await;
    for device in [&operator, &verifikator] {
        let detail = device.context.verifikasi_lapangan_detail(id.clone()).await.unwrap();
        let mut names: Vec<&str> = detail.foto.iter().map(|foto| foto.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["IMG_0001.jpg", "ktp.jpg", "lurah.jpg", "surat-rt.jpg"], "{}", device.officer.peran);
        assert!(detail.foto.iter().all(|foto| foto.tersedia), "{:?}", detail.foto);
        assert!(!detail.lokal && detail.ringkas.jumlah_foto == 4);
    }
}
