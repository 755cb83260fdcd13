//! The usulan workflow through `AppContext` on several devices (each its own data folder, replica and sign-in)
//! against the real local OpenID provider and a real hub over HTTP on 127.0.0.1, which judges every transition
//! by its roster:
//! - KP reguler: a draft made offline survives a restart; submitting without a mandatory document is refused
//!   naming it; attachments are checked against the checklist; submit, an operator's own "verification" refused on
//!   the device by the roles the hub gave it, and, written straight into the replica past the app, refused by the
//!   hub with its reason on the operator's device; BTS by the verifikator, resubmit, verify, forward to BKN.
//! - Peremajaan data decided offline by two verifikators at once (verify and BTS): both devices show the conflict
//!   after sync; one re-affirms the verification, and the instansi's field reaches the pegawai while BKN's waits.
//! - A kolektif peremajaan of four pegawai with one returned (BTS) and one rejected (TMS): the operator still
//!   attaches files while the statuses differ; verifying changes only the pegawai it verifies; a verification
//!   whose pegawai write is missing (the event alone in the replica) is reported and applied by verifying again.

use std::sync::Arc;
use std::time::Duration;

use app::secret::MemoryStore;
use app::usulan::{AksiMasukan, FilterUsulan, UsulanBaru, UsulanDetail};
use app::{AppContext, KodeGalat};
use chrono::NaiveDate;
use hub::{Role, RosterEntry};
use idp_harness::{Account, Idp, IdpOptions};
use model::id::Nip;
use model::usulan::AksiUsulan;
use model::usulan::alur::{self, EventMasukan};
use model::usulan::syarat::{self, Tingkat};

use crate::{RunningHub, SELATAN, TempDir, account, config};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// One officer's computer: a data folder, a keyring and the app, signed in and synced once.
pub(crate) struct Device {
    folder: TempDir,
    secrets: Arc<MemoryStore>,
    pub(crate) context: Arc<AppContext>,
    pub(crate) officer: Account,
}

impl Device {
    /// A new device of `officer`: signed in through the "browser" (the harness) and synced.
    pub(crate) async fn signed_in(name: &str, idp: &Idp, hub: &RunningHub, officer: Account) -> Device {
        let folder = TempDir::new(name);
        let secrets = Arc::new(MemoryStore::default());
        let context = AppContext::new(config(&folder, idp, hub, &secrets), Arc::new(app::context::QuietHost));
        context.start();
        let started = context.masuk_mulai().await.unwrap();
        let (url, who) = (started.url.clone(), officer.clone());
        let browser = tokio::spawn(async move { idp_harness::sign_in_at(&url, &who).await });
        let sesi = context.masuk_tunggu().await.unwrap();
        browser.await.unwrap();
        assert_eq!(sesi.nip.as_deref(), Some(officer.nip.as_str()));
        let device = Device { folder, secrets, context, officer };
        device.sync().await;
        device
    }

    /// One sync round that must succeed with nothing left to push.
    pub(crate) async fn sync(&self) {
        let status = self.context.sinkron_mulai().await.unwrap();
        assert_eq!(status.galat, None, "{}: {status:?}", self.officer.peran);
        assert_eq!((status.outbox_total, status.blob_menunggu), (0, 0), "{}: {status:?}", self.officer.peran);
    }

    /// The app closed and opened again on the same folder and keyring.
    async fn restart(&mut self, idp: &Idp, hub: &RunningHub) {
        assert!(self.context.shutdown(Duration::from_secs(10)).await);
        let context = AppContext::new(config(&self.folder, idp, hub, &self.secrets), Arc::new(app::context::QuietHost));
        context.start();
        self.context = context;
    }

    pub(crate) async fn detail(&self, id: &str) -> UsulanDetail {
        self.context.usulan_detail(id.to_owned()).await.unwrap()
    }

    pub(crate) async fn aksi(&self, id: &str, aksi: &str, alasan: Option<&str>) -> Result<UsulanDetail, app::AppError> {
        let masukan = AksiMasukan {
            aksi: aksi.to_owned(),
            alasan_id: alasan.map(str::to_owned),
            catatan: Some(format!("{aksi} oleh {}", self.officer.peran)),
            nip: Vec::new(),
        };
        self.context.usulan_aksi(id.to_owned(), masukan).await
    }

    /// Attaches a generated PDF to every mandatory document not attached yet.
    async fn lampirkan_wajib(&self, id: &str) -> UsulanDetail {
        let mut detail = self.detail(id).await;
        let missing: Vec<String> = detail
            .dokumen
            .iter()
            .filter(|dokumen| dokumen.wajib && dokumen.terlampir.is_none())
            .map(|dokumen| dokumen.kode.clone())
            .collect();
        assert!(!missing.is_empty(), "{:?}", detail.dokumen);
        for kode in missing {
            let name = format!("{kode}.pdf");
            detail = self
                .context
                .usulan_lampirkan(id.to_owned(), kode.clone(), name, "application/pdf".to_owned(), pdf(&kode, 20_480))
                .await
                .unwrap();
        }
        detail
    }
}

/// A PDF-looking file of `size` bytes whose content depends on `tag`.
pub(crate) fn pdf(tag: &str, size: usize) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n% {tag}\n").into_bytes();
    let tail = b"\n%%EOF\n";
    bytes.resize(size - tail.len(), b' ');
    bytes.extend_from_slice(tail);
    bytes
}

pub(crate) fn aksi_of(detail: &UsulanDetail) -> Vec<&str> {
    detail.aksi.iter().map(|aksi| aksi.aksi.as_str()).collect()
}

pub(crate) fn riwayat_of(detail: &UsulanDetail) -> Vec<&str> {
    detail.riwayat.iter().map(|event| event.aksi.as_str()).collect()
}

/// Appends an `aksi` event by the device's officer (for `nip`; empty: all) to usulan `id` straight into the
/// device's replica, past the app's checks, as a forged or outdated app would: the event only, nothing else.
fn tulis_langsung(device: &Device, id: &str, aksi: AksiUsulan, nip: &[&str]) {
    let replica = device.context.replica(false).unwrap();
    let uuid = uuid::Uuid::parse_str(id).unwrap();
    let usulan = store::usulan::lihat(&replica.reader().unwrap(), uuid).unwrap().unwrap();
    let masukan = EventMasukan {
        id: uuid::Uuid::now_v7().to_string(),
        aksi,
        oleh: Nip::new(device.officer.nip.clone()),
        waktu: "2026-11-30T03:00:00Z".to_owned(),
        alasan_id: None,
        catatan: None,
        nip: nip.iter().map(|nip| Nip::new(*nip)).collect(),
    };
    let event = serde_json::to_value(alur::event_baru(&usulan, masukan).unwrap()).unwrap();
    let now_ms = crate::now().timestamp_millis();
    let written = store::edit::edit_document(&replica, uuid, now_ms, "usulan ditulis langsung", |json| {
        json["riwayat_status"].as_array_mut().unwrap().push(event);
    });
    assert!(written.unwrap().is_some());
}

/// The email dinas of pegawai `nip` in the device's replica.
fn email_dinas(device: &Device, nip: &str) -> Option<String> {
    let replica = device.context.replica(false).unwrap();
    let profil = store::query::profil(&replica.reader().unwrap(), nip).unwrap();
    profil.pegawai.data_utama.email_gov
}

/// The first fixture pegawai (by NIP) for whom the model's pre-submit check finds KP reguler possible at `today`:
/// no blocking finding but missing documents.
fn kp_reguler_eligible(context: &AppContext) -> String {
    let replica = context.replica(false).unwrap();
    let reader = replica.reader().unwrap();
    let mut nips: Vec<String> =
        store::query::search(&reader, "19", 500, today()).unwrap().into_iter().map(|row| row.nip).collect();
    nips.sort();
    nips.into_iter()
        .find(|nip| {
            let pegawai = store::query::profil(&reader, nip).unwrap().pegawai;
            let usulan = model::usulan::Usulan {
                id: "uji".to_owned(),
                jenis: model::usulan::JenisUsulan::KenaikanPangkat,
                sub_jenis: Some("101".to_owned()),
                pegawai: vec![model::usulan::UsulanPegawai {
                    nip: pegawai.data_utama.nip.clone(),
                    nama: pegawai.data_utama.nama_lengkap(),
                }],
                perubahan: Default::default(),
                dokumen: Default::default(),
                riwayat_status: Vec::new(),
                siasn_id: None,
                status_siasn: None,
            };
            syarat::periksa_pengajuan(&usulan, &[pegawai], today(), &[])
                .iter()
                .filter(|temuan| temuan.tingkat == Tingkat::Blokir)
                .all(|temuan| temuan.kode == syarat::KODE_DOKUMEN_BELUM_ADA)
        })
        .expect("a fixture pegawai is due for KP reguler at the test's date")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kp_reguler_goes_from_an_offline_draft_through_bts_to_bkn_and_an_operator_cannot_verify_it() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("hub-usulan");
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let mut operator = Device::signed_in("operator", &idp, &hub, account("operator_instansi")).await;
    let verifikator = Device::signed_in("verifikator", &idp, &hub, account("verifikator_instansi")).await;
    let nip = kp_reguler_eligible(&operator.context);

    // The reference lists: every jenis, KP with its sub jenis (names tidied), alasan of BTS and TMS only.
    let referensi = operator.context.usulan_referensi().await.unwrap();
    let kp = referensi.jenis.iter().find(|jenis| jenis.kode == "kenaikan_pangkat").unwrap();
    assert_eq!(kp.sub_jenis[0].kode, "101");
    assert!(kp.sub_jenis.iter().any(|sub| sub.nama == "Pilihan (Jabatan Struktural)"), "{:?}", kp.sub_jenis);
    assert!(referensi.alasan.iter().all(|alasan| alasan.keterangan == "BTS" || alasan.keterangan == "TMS"));

    // Offline: the operator makes the draft. Bad input names the field and the value.
    hub.stop().await;
    let baru = |jenis: &str, sub: Option<&str>, nip: &str| UsulanBaru {
        jenis: jenis.to_owned(),
        sub_jenis: sub.map(str::to_owned),
        nip: vec![nip.to_owned()],
        perubahan: Vec::new(),
        catatan: Some("usulan KP periode April".to_owned()),
    };
    let bad = operator.context.usulan_buat(baru("kp", Some("101"), &nip)).await.unwrap_err();
    assert_eq!(bad.code, KodeGalat::MasukanTidakSah);
    assert!(bad.message.contains("Jenis usulan \"kp\""), "{}", bad.message);
    let bad = operator.context.usulan_buat(baru("kenaikan_pangkat", Some("999"), &nip)).await.unwrap_err();
    assert!(bad.message.contains("Sub jenis \"999\"") && bad.message.contains("101"), "{}", bad.message);
    let bad = operator.context.usulan_buat(baru("kenaikan_pangkat", Some("101"), "199001012020011001")).await;
    let bad = bad.unwrap_err();
    assert!(bad.message.contains("NIP \"199001012020011001\"") && bad.message.contains("tidak ada"), "{}", bad.message);
    let draft = operator.context.usulan_buat(baru("kenaikan_pangkat", Some("101"), &nip)).await.unwrap();
    let id = draft.ringkas.id.clone();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);
    assert_eq!((draft.ringkas.status.as_str(), draft.ringkas.status_nama.as_str()), ("draft", "Draf"));
    assert_eq!(draft.ringkas.jenis_nama, "Kenaikan pangkat");
    assert_eq!(draft.ringkas.sub_jenis_nama.as_deref(), Some("Reguler"));
    assert_eq!(draft.ringkas.nip.as_deref(), Some(nip.as_str()));
    assert_eq!(draft.ringkas.dibuat.as_deref(), Some("2026-11-30T03:00:00Z"));
    assert_eq!(riwayat_of(&draft), ["dibuat"]);
    assert_eq!(draft.riwayat[0].oleh, operator.officer.nip);
    assert_eq!(draft.riwayat[0].catatan.as_deref(), Some("usulan KP periode April"));
    assert_eq!(aksi_of(&draft), ["diajukan", "dibatalkan"], "the operator's roles: submit or withdraw");
    assert!(draft.lokal);
    let sk_pangkat = draft.dokumen.iter().find(|dokumen| dokumen.kode == "858").unwrap();
    assert_eq!((sk_pangkat.nama.as_str(), sk_pangkat.wajib), ("SK Pangkat Terakhir", true));
    assert_eq!(
        (sk_pangkat.tipe.as_slice(), sk_pangkat.ukuran_maks),
        (&["application/pdf".to_owned()][..], Some(2_097_152))
    );
    assert!(draft.temuan.iter().any(|temuan| temuan.tingkat == "blokir" && temuan.kode == "dokumen_belum_ada"));

    // Restart mid-draft: nothing lost.
    operator.restart(&idp, &hub).await;
    assert_eq!(operator.detail(&id).await, draft);

    // Submitting without the mandatory documents is refused, naming the first one.
    let refused = operator.aksi(&id, "diajukan", None).await.unwrap_err();
    assert_eq!(refused.code, KodeGalat::MasukanTidakSah);
    assert!(refused.message.starts_with("Usulan belum dapat diajukan"), "{}", refused.message);
    assert!(refused.message.contains("SK Pangkat Terakhir"), "{}", refused.message);
    assert!(refused.message.contains("masalah lain"), "{}", refused.message);

    // Attachments are checked against the checklist row: type, size, content, code.
    let lampirkan = |kode: &str, mime: &str, isi: Vec<u8>| {
        operator.context.usulan_lampirkan(id.clone(), kode.to_owned(), "sk.pdf".to_owned(), mime.to_owned(), isi)
    };
    let wrong_type = lampirkan("858", "image/png", pdf("858", 20_480)).await.unwrap_err();
    assert_eq!(wrong_type.code, KodeGalat::MasukanTidakSah);
    assert!(
        wrong_type.message.contains("SK Pangkat Terakhir")
            && wrong_type.message.contains("\"image/png\"")
            && wrong_type.message.contains("application/pdf"),
        "{}",
        wrong_type.message
    );
    let too_big = lampirkan("858", "application/pdf", pdf("858", 2_097_153)).await.unwrap_err();
    assert!(
        too_big.message.contains("SK Pangkat Terakhir")
            && too_big.message.contains("\"2097153 byte\"")
            && too_big.message.contains("2097152 byte (2 MB)"),
        "{}",
        too_big.message
    );
    let not_pdf = lampirkan("858", "application/pdf", vec![b'x'; 20_480]).await.unwrap_err();
    assert!(not_pdf.message.contains("bukan PDF"), "{}", not_pdf.message);
    let unknown = lampirkan("999", "application/pdf", pdf("999", 20_480)).await.unwrap_err();
    assert!(unknown.message.contains("Kode dokumen \"999\"") && unknown.message.contains("858"), "{}", unknown.message);
    let attached = operator.lampirkan_wajib(&id).await;
    let berkas = attached.dokumen.iter().find(|dokumen| dokumen.kode == "858").unwrap().terlampir.clone().unwrap();
    assert_eq!((berkas.name.as_str(), berkas.size, berkas.mime.as_str()), ("858.pdf", 20_480, "application/pdf"));
    assert_eq!(berkas.sha256.len(), 64);
    assert!(attached.temuan.iter().all(|temuan| temuan.tingkat != "blokir"), "{:?}", attached.temuan);

    // Submit, still offline.
    let submitted = operator.aksi(&id, "diajukan", None).await.unwrap();
    assert_eq!(submitted.ringkas.status, "diajukan");
    assert_eq!(riwayat_of(&submitted), ["dibuat", "diajukan"]);
    assert_eq!(submitted.riwayat[1].id.len(), 36);
    assert_eq!(aksi_of(&submitted), ["dibatalkan"], "only withdrawing is the operator's now");
    let again = operator.aksi(&id, "diajukan", None).await.unwrap_err();
    assert!(again.message.contains("Diajukan") && again.message.contains("membatalkan"), "{}", again.message);

    // Online: the usulan and its files reach the hub and the verifikator's device.
    hub.restart().await;
    operator.sync().await;
    assert!(!operator.detail(&id).await.lokal);
    verifikator.sync().await;
    let seen = verifikator.detail(&id).await;
    assert_eq!(seen.ringkas.status, "diajukan");
    assert_eq!(aksi_of(&seen), ["diverifikasi", "bts", "tms", "dibatalkan"]);
    assert!(seen.aksi.iter().filter(|aksi| aksi.perlu_alasan).map(|aksi| aksi.aksi.as_str()).eq(["bts", "tms"]));
    assert_eq!(seen.dokumen, attached.dokumen, "the verifikator sees the same files");

    // The operator "verifies": the workflow allows the transition from diajukan, but the roles the hub gave this
    // device do not; refused on the device, naming who may, and nothing is written.
    let own = operator.aksi(&id, "diverifikasi", None).await.unwrap_err();
    assert_eq!(own.code, KodeGalat::Ditolak);
    assert_eq!(
        own.message,
        "Anda tidak dapat memverifikasi usulan ini: memverifikasi hanya boleh dilakukan oleh verifikator instansi \
         (peran Anda: operator instansi); tidak ada yang dicatat."
    );
    assert_eq!(riwayat_of(&operator.detail(&id).await), ["dibuat", "diajukan"]);
    // A device that writes it anyway, straight into its replica past the app (a forged or outdated app): the hub
    // refuses it, undoes it, and the operator's device shows why.
    tulis_langsung(&operator, &id, AksiUsulan::Diverifikasi, &[]);
    assert_eq!(operator.detail(&id).await.ringkas.status, "diverifikasi");
    operator.sync().await;
    operator.sync().await;
    let undone = operator.detail(&id).await;
    assert_eq!(undone.ringkas.status, "diajukan", "{:?}", undone.riwayat);
    let penolakan = undone.temuan.iter().find(|temuan| temuan.kode == app::usulan::KODE_DITOLAK_HUB).unwrap();
    assert!(penolakan.pesan.starts_with("Hub menolak perubahan usulan ini"), "{}", penolakan.pesan);
    assert!(
        penolakan.pesan.contains("memverifikasi hanya boleh dilakukan oleh verifikator instansi"),
        "the hub's reason: {}",
        penolakan.pesan
    );

    // BTS by the verifikator (an alasan of BTS is required), the operator corrects and resubmits.
    let no_reason = verifikator.aksi(&id, "bts", None).await.unwrap_err();
    assert!(no_reason.message.contains("Alasan") && no_reason.message.contains("51"), "{}", no_reason.message);
    let returned = verifikator.aksi(&id, "bts", Some("51")).await.unwrap();
    assert_eq!((returned.ringkas.status.as_str(), returned.ringkas.jumlah_bts), ("bts", 1));
    assert_eq!(returned.riwayat.last().unwrap().alasan.as_deref(), Some("BTS - Dokumen Tidak Lengkap"));
    verifikator.sync().await;
    operator.sync().await;
    let back = operator.detail(&id).await;
    assert_eq!((back.ringkas.status.as_str(), back.ringkas.jumlah_bts), ("bts", 1));
    assert_eq!(aksi_of(&back), ["diajukan", "dibatalkan"]);
    operator
        .context
        .usulan_lampirkan(
            id.clone(),
            "858".to_owned(),
            "sk-pangkat-baru.pdf".to_owned(),
            "application/pdf".to_owned(),
            pdf("858 baru", 30_000),
        )
        .await
        .unwrap();
    let resubmitted = operator.aksi(&id, "diajukan", None).await.unwrap();
    assert_eq!(riwayat_of(&resubmitted), ["dibuat", "diajukan", "bts", "diajukan"]);
    operator.sync().await;

    // Verified and forwarded to BKN; after that the instansi has nothing left to decide.
    verifikator.sync().await;
    let verified = verifikator.aksi(&id, "diverifikasi", None).await.unwrap();
    assert_eq!(aksi_of(&verified), ["diteruskan_ke_bkn"]);
    let forwarded = verifikator.aksi(&id, "diteruskan_ke_bkn", None).await.unwrap();
    assert_eq!(forwarded.ringkas.status, "diteruskan_ke_bkn");
    assert!(forwarded.aksi.is_empty(), "BKN decides now: {:?}", forwarded.aksi);
    verifikator.sync().await;
    operator.sync().await;
    let done = operator.detail(&id).await;
    assert_eq!(done.ringkas.status_nama, "Diteruskan ke BKN");
    assert_eq!(riwayat_of(&done), ["dibuat", "diajukan", "bts", "diajukan", "diverifikasi", "diteruskan_ke_bkn"]);
    assert_eq!(done.riwayat[4].oleh, verifikator.officer.nip);
    assert_eq!(
        done.dokumen.iter().find(|dokumen| dokumen.kode == "858").unwrap().terlampir.as_ref().unwrap().name,
        "sk-pangkat-baru.pdf"
    );

    // The list: by status, by NIP, counts per status; a bad filter names the field.
    let filter = FilterUsulan { status: Some("diteruskan_ke_bkn".to_owned()), ..FilterUsulan::default() };
    let page = operator.context.usulan_daftar(filter, None, 50).await.unwrap();
    assert_eq!(page.baris.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    assert_eq!(page.berikut, None);
    assert_eq!(page.per_status.len(), 1);
    assert_eq!((page.per_status[0].label.as_str(), page.per_status[0].jumlah), ("Diteruskan ke BKN", 1));
    let filter =
        FilterUsulan { nip: Some(nip.clone()), dari: Some("2026-11-30".to_owned()), ..FilterUsulan::default() };
    assert_eq!(operator.context.usulan_daftar(filter, None, 50).await.unwrap().baris.len(), 1);
    let filter = FilterUsulan { sampai: Some("2026-11-29".to_owned()), ..FilterUsulan::default() };
    assert!(operator.context.usulan_daftar(filter, None, 50).await.unwrap().baris.is_empty());
    let filter = FilterUsulan { status: Some("selesai".to_owned()), ..FilterUsulan::default() };
    let bad = operator.context.usulan_daftar(filter, None, 50).await.unwrap_err();
    assert!(bad.message.contains("Status usulan \"selesai\""), "{}", bad.message);
    assert!(operator.context.shutdown(Duration::from_secs(10)).await);
    assert!(verifikator.context.shutdown(Duration::from_secs(10)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_verifikators_deciding_offline_see_the_conflict_and_a_verified_peremajaan_updates_only_instansi_fields() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("hub-konflik");
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    // A second verifikator of the kabupaten: the demo admin account, given the role on the hub's roster.
    let second = account("admin_instansi");
    hub.hub
        .roster_add(RosterEntry {
            nip: second.nip.clone(),
            nama: Some(second.name.clone()),
            instansi: SELATAN.to_owned(),
            roles: vec![Role::parse("verifikator_instansi").unwrap()],
        })
        .unwrap();
    let operator = Device::signed_in("operator", &idp, &hub, account("operator_instansi")).await;
    let dewi = Device::signed_in("verifikator-1", &idp, &hub, account("verifikator_instansi")).await;
    let bambang = Device::signed_in("verifikator-2", &idp, &hub, second).await;

    // A peremajaan of one instansi field (email dinas) and one BKN field (TMT PNS).
    const NIP: &str = "197603012006012005";
    let before = operator.context.profil(NIP.to_owned(), None).await.unwrap();
    let field = |profil: &app::pegawai::ProfilView, label: &str| {
        profil.tab[0].baris.iter().find(|row| row[0].as_deref() == Some(label)).and_then(|row| row[1].clone())
    };
    let tmt_pns = field(&before, "TMT PNS");
    let baru = UsulanBaru {
        jenis: "peremajaan_data".to_owned(),
        sub_jenis: None,
        nip: vec![NIP.to_owned()],
        perubahan: vec![
            ("data_utama.email_gov".to_owned(), "pegawai@bkd.contoh-selatan.go.id".to_owned()),
            ("data_utama.tmt_pns".to_owned(), "2007-03-01".to_owned()),
        ],
        catatan: None,
    };
    let bad = UsulanBaru { perubahan: vec![("data_utama.tmt_pns".to_owned(), "maret".to_owned())], ..baru.clone() };
    let bad = operator.context.usulan_buat(bad).await.unwrap_err();
    assert!(bad.message.contains("Perubahan data_utama.tmt_pns \"maret\""), "{}", bad.message);
    let hub_only = UsulanBaru { perubahan: vec![("data_utama.pns_id".to_owned(), "x".to_owned())], ..baru.clone() };
    let hub_only = operator.context.usulan_buat(hub_only).await.unwrap_err();
    assert!(hub_only.message.contains("hanya diisi hub"), "{}", hub_only.message);
    let draft = operator.context.usulan_buat(baru).await.unwrap();
    let id = draft.ringkas.id.clone();
    let email = draft.perubahan.iter().find(|perubahan| perubahan.field == "data_utama.email_gov").unwrap();
    assert_eq!(
        (email.nama_field.as_str(), email.sesudah.as_str()),
        ("Email dinas", "pegawai@bkd.contoh-selatan.go.id")
    );
    let tmt = draft.perubahan.iter().find(|perubahan| perubahan.field == "data_utama.tmt_pns").unwrap();
    assert_eq!((tmt.sebelum.clone(), tmt.sesudah.as_str()), (tmt_pns.clone(), "2007-03-01"));
    operator.lampirkan_wajib(&id).await;
    assert_eq!(operator.aksi(&id, "diajukan", None).await.unwrap().ringkas.status, "diajukan");
    operator.sync().await;
    dewi.sync().await;
    bambang.sync().await;

    // Both verifikators decide offline, without seeing each other: one verifies, one returns it.
    hub.stop().await;
    let verified = dewi.aksi(&id, "diverifikasi", None).await.unwrap();
    assert_eq!(verified.ringkas.status, "diverifikasi");
    let returned = bambang.aksi(&id, "bts", Some("50")).await.unwrap();
    assert_eq!(returned.ringkas.status, "bts");
    hub.restart().await;
    dewi.sync().await;
    bambang.sync().await;
    dewi.sync().await;
    for device in [&dewi, &bambang] {
        let detail = device.detail(&id).await;
        assert_eq!(
            (detail.ringkas.status.as_str(), detail.ringkas.konflik),
            ("konflik", true),
            "{}",
            device.officer.nip
        );
        assert_eq!(detail.ringkas.status_nama, "Konflik keputusan");
        assert_eq!(detail.konflik.len(), 1);
        let mut pilihan: Vec<(&str, &str)> =
            detail.konflik[0].pilihan.iter().map(|event| (event.aksi.as_str(), event.oleh.as_str())).collect();
        pilihan.sort_unstable();
        assert_eq!(pilihan, [("bts", bambang.officer.nip.as_str()), ("diverifikasi", dewi.officer.nip.as_str())]);
        let aksi = aksi_of(&detail);
        assert!(aksi.contains(&"diverifikasi") && aksi.contains(&"bts"), "the choices: {aksi:?}");
        let filter = FilterUsulan { status: Some("konflik".to_owned()), ..FilterUsulan::default() };
        assert_eq!(device.context.usulan_daftar(filter, None, 10).await.unwrap().baris.len(), 1);
    }

    // Dewi re-affirms the verification; both devices agree after sync.
    let resolved = dewi.aksi(&id, "diverifikasi", None).await.unwrap();
    assert_eq!((resolved.ringkas.status.as_str(), resolved.konflik.len()), ("diverifikasi", 0));
    assert_eq!(resolved.riwayat.last().unwrap().aksi, "diverifikasi");
    dewi.sync().await;
    bambang.sync().await;
    operator.sync().await;
    for device in [&bambang, &operator] {
        let detail = device.detail(&id).await;
        assert_eq!((detail.ringkas.status.as_str(), detail.ringkas.konflik), ("diverifikasi", false));
        assert_eq!(detail.ringkas.jumlah_bts, 1);
        // The instansi's field is the pegawai's now; BKN's field waits for BKN.
        let profil = device.context.profil(NIP.to_owned(), None).await.unwrap();
        assert_eq!(field(&profil, "Email gov").as_deref(), Some("pegawai@bkd.contoh-selatan.go.id"));
        assert_eq!(field(&profil, "TMT PNS"), tmt_pns);
        // A peremajaan with a BKN field goes on to BKN.
        let teruskan = detail.aksi.iter().any(|aksi| aksi.aksi == "diteruskan_ke_bkn");
        assert_eq!(teruskan, device.officer.peran != "operator_instansi");
    }
    for device in [operator, dewi, bambang] {
        assert!(device.context.shutdown(Duration::from_secs(10)).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kolektif_peremajaan_verified_in_part_changes_only_the_verified_pegawai() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("hub-kolektif");
    let hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let operator = Device::signed_in("operator", &idp, &hub, account("operator_instansi")).await;
    let verifikator = Device::signed_in("verifikator", &idp, &hub, account("verifikator_instansi")).await;
    // Returned (BTS), verified now, verified by a device whose pegawai write went missing, rejected (TMS).
    const BTS: &str = "197107271996041002";
    const NANTI: &str = "197704222006012002";
    const TERTUNDA: &str = "197608132002122004";
    const TMS: &str = "196711022008031005";
    const EMAIL: &str = "kepegawaian@bkd.contoh-selatan.go.id";
    let before: Vec<Option<String>> =
        [BTS, NANTI, TERTUNDA, TMS].iter().map(|nip| email_dinas(&operator, nip)).collect();
    assert!(before.iter().all(|email| email.as_deref() != Some(EMAIL)), "{before:?}");

    let baru = UsulanBaru {
        jenis: "peremajaan_data".to_owned(),
        sub_jenis: None,
        nip: [BTS, NANTI, TERTUNDA, TMS].iter().map(|nip| (*nip).to_owned()).collect(),
        perubahan: vec![
            ("data_utama.email_gov".to_owned(), EMAIL.to_owned()),
            // Bidang Perhubungan Sungai dan Penyeberangan: a reorganisation moves them all there.
            ("data_utama.unor_id".to_owned(), "916D2BE679112E2AE040640A01F67CFC".to_owned()),
        ],
        catatan: Some("penataan unit kerja".to_owned()),
    };
    let id = operator.context.usulan_buat(baru).await.unwrap().ringkas.id;
    operator.lampirkan_wajib(&id).await;
    assert_eq!(operator.aksi(&id, "diajukan", None).await.unwrap().ringkas.status, "diajukan");
    operator.sync().await;
    verifikator.sync().await;

    // One pegawai returned, one rejected: the usulan's statuses differ.
    let per_nip = |aksi: &str, alasan: &str, nip: &str| {
        let masukan = AksiMasukan {
            aksi: aksi.to_owned(),
            alasan_id: Some(alasan.to_owned()),
            catatan: None,
            nip: vec![nip.to_owned()],
        };
        verifikator.context.usulan_aksi(id.clone(), masukan)
    };
    per_nip("bts", "51", BTS).await.unwrap();
    let campuran = per_nip("tms", "52", TMS).await.unwrap();
    assert_eq!(campuran.ringkas.status, "campuran");
    let status: Vec<(&str, &str)> =
        campuran.pegawai.iter().map(|pegawai| (pegawai.nip.as_str(), pegawai.status.as_str())).collect();
    assert_eq!(status, [(BTS, "bts"), (NANTI, "diajukan"), (TERTUNDA, "diajukan"), (TMS, "tms")]);
    verifikator.sync().await;

    // The operator corrects the returned pegawai's file while the others wait: attaching is allowed.
    operator.sync().await;
    let seen = operator.detail(&id).await;
    assert_eq!(seen.ringkas.status, "campuran");
    let kode = seen.dokumen.iter().find(|dokumen| dokumen.kode.starts_with(BTS)).unwrap().kode.clone();
    let attached = operator
        .context
        .usulan_lampirkan(
            id.clone(),
            kode.clone(),
            "perbaikan.pdf".to_owned(),
            "application/pdf".to_owned(),
            pdf("perbaikan", 30_000),
        )
        .await
        .unwrap();
    let berkas = attached.dokumen.iter().find(|dokumen| dokumen.kode == kode).unwrap().terlampir.clone().unwrap();
    assert_eq!((berkas.name.as_str(), berkas.size), ("perbaikan.pdf", 30_000));
    operator.sync().await;
    verifikator.sync().await;

    // A verification of one pegawai whose pegawai write never happened (the event alone, as after a failure
    // between the two writes): reported on the usulan.
    tulis_langsung(&verifikator, &id, AksiUsulan::Diverifikasi, &[TERTUNDA]);
    let tertunda = verifikator.detail(&id).await;
    let pending: Vec<(Option<&str>, &str)> = tertunda
        .temuan
        .iter()
        .filter(|temuan| temuan.kode == app::usulan::KODE_BELUM_DITERAPKAN)
        .map(|temuan| (temuan.nip.as_deref(), temuan.pesan.as_str()))
        .collect();
    assert_eq!(
        pending,
        [(
            Some(TERTUNDA),
            "Perubahan yang diverifikasi belum diterapkan: data pegawai NIP 197608132002122004 belum memuat Email \
             dinas, Unit organisasi; bila memang belum diterapkan, verifikator instansi memilih Verifikasi lagi untuk menerapkannya."
        )]
    );

    // "Verify all": only the pegawai still submitted is verified and changed; the returned, the rejected and the
    // one verified before keep their email.
    let verified = verifikator.aksi(&id, "diverifikasi", None).await.unwrap();
    let status: Vec<(&str, &str)> =
        verified.pegawai.iter().map(|pegawai| (pegawai.nip.as_str(), pegawai.status.as_str())).collect();
    assert_eq!(status, [(BTS, "bts"), (NANTI, "diverifikasi"), (TERTUNDA, "diverifikasi"), (TMS, "tms")]);
    assert_eq!(verified.riwayat.last().unwrap().aksi, "diverifikasi");
    let after: Vec<Option<String>> =
        [BTS, NANTI, TERTUNDA, TMS].iter().map(|nip| email_dinas(&verifikator, nip)).collect();
    assert_eq!(after, [before[0].clone(), Some(EMAIL.to_owned()), before[2].clone(), before[3].clone()]);
    // The pending one is still reported, and applying it is offered.
    assert!(verified.temuan.iter().any(|temuan| temuan.nip.as_deref() == Some(TERTUNDA)), "{:?}", verified.temuan);
    let terapkan = verified.aksi.iter().find(|aksi| aksi.aksi == "diverifikasi").unwrap();
    assert_eq!(terapkan.nama, "Terapkan perubahan ke data pegawai");
    let operator_view = operator.detail(&id).await;
    assert!(operator_view.aksi.iter().all(|aksi| aksi.aksi != "diverifikasi"), "{:?}", operator_view.aksi);

    // Verifying again applies what is missing, without a new event.
    let applied = verifikator.aksi(&id, "diverifikasi", None).await.unwrap();
    assert_eq!(applied.riwayat.len(), verified.riwayat.len());
    assert!(
        applied.temuan.iter().all(|temuan| temuan.kode != app::usulan::KODE_BELUM_DITERAPKAN),
        "{:?}",
        applied.temuan
    );
    assert_eq!(aksi_of(&applied), ["diajukan", "dibatalkan"], "only the returned pegawai's resubmission is left");
    assert_eq!(email_dinas(&verifikator, TERTUNDA).as_deref(), Some(EMAIL));
    assert_eq!(email_dinas(&verifikator, BTS), before[0]);
    let again = verifikator.aksi(&id, "diverifikasi", None).await.unwrap_err();
    assert_eq!(again.code, KodeGalat::MasukanTidakSah);

    // The hub keeps it all; the operator's device sees the verified email of the two pegawai only.
    verifikator.sync().await;
    operator.sync().await;
    let after: Vec<Option<String>> =
        [BTS, NANTI, TERTUNDA, TMS].iter().map(|nip| email_dinas(&operator, nip)).collect();
    assert_eq!(after, [before[0].clone(), Some(EMAIL.to_owned()), Some(EMAIL.to_owned()), before[3].clone()]);
    for device in [operator, verifikator] {
        assert!(device.context.shutdown(Duration::from_secs(10)).await);
    }
}
