//! One end-to-end test per jenis usulan not covered in `usulan.rs` (pemberhentian BUP, pindah instansi,
//! pencantuman gelar, peninjauan masa kerja), each over the real local OpenID provider and a real hub on
//! 127.0.0.1, with three devices (operator, verifikator instansi, verifikator BKN: each its own data folder and
//! sign-in) working while the hub is stopped:
//! the operator drafts, is refused submitting while a mandatory document is missing (named), attaches the
//! checklist's mandatory files (PDF, and JPEG where the row takes only JPEG) and submits; the verifikator returns
//! it once as BTS with an alasan from the reference list; the operator replaces a file and submits again; the
//! verifikator verifies and forwards it to BKN; the verifikator BKN approves. Every replica ends with the same
//! event log, status "disetujui" and BTS counter 1, the replaced file's bytes reach the verifikator, and the pegawai
//! document changes only as the field authority table allows: not at all for jenis without proposed changes, and
//! for a proposed BKN field (pencantuman gelar → `data_utama.gelar_belakang`) only once BKN has approved, written
//! by the hub, never by a device.

use std::time::Duration;

use app::KodeGalat;
use app::usulan::{UsulanBaru, UsulanDetail};
use idp_harness::{Idp, IdpOptions};
use serde_json::Value;

use crate::usulan::{Device, aksi_of, pdf, riwayat_of};
use crate::{RunningHub, TempDir, account};

/// One jenis to take through the workflow.
struct Kasus {
    /// Jenis code (`UsulanBaru::jenis`).
    jenis: &'static str,
    /// Its label as the detail shows it.
    jenis_nama: &'static str,
    /// Sub jenis (pemberhentian: `jenis-pemberhentian.json` id) and its label.
    sub_jenis: Option<(&'static str, &'static str)>,
    /// The pegawai (a fixture NIP of Kab. Contoh Selatan).
    nip: &'static str,
    /// Proposed changes (field path, value as text).
    perubahan: &'static [(&'static str, &'static str)],
    /// Document codes the checklist must hold as mandatory for this pegawai (among others).
    wajib: &'static [&'static str],
    /// The document the operator replaces after the BTS.
    perbaiki: &'static str,
}

/// The pegawai document of `nip` in the device's replica, as JSON.
fn pegawai(device: &Device, nip: &str) -> Value {
    let replica = device.context.replica(false).unwrap();
    let profil = store::query::profil(&replica.reader().unwrap(), nip).unwrap();
    serde_json::to_value(profil.pegawai).unwrap()
}

/// `before` with the proposed `data_utama` changes written (each value as text, as the hub writes a value that is
/// not JSON).
fn dengan_perubahan(before: &Value, perubahan: &[(&str, &str)]) -> Value {
    let mut after = before.clone();
    for (path, value) in perubahan {
        let field = path.strip_prefix("data_utama.").unwrap();
        after["data_utama"][field] = Value::String((*value).to_owned());
    }
    after
}

/// A JPEG-looking file (SOI, a JFIF APP0 segment, padding, EOI) of `size` bytes whose content depends on `tag`.
fn jpeg(tag: &str, size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];
    bytes.extend_from_slice(&[0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    bytes.extend_from_slice(tag.as_bytes());
    bytes.resize(size - 2, 0x00);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

/// Attaches a generated file of an accepted type (PDF, else JPEG) to every mandatory document not attached yet.
async fn lampirkan_wajib(device: &Device, id: &str) -> UsulanDetail {
    let mut detail = device.detail(id).await;
    let missing: Vec<(String, bool)> = detail
        .dokumen
        .iter()
        .filter(|dokumen| dokumen.wajib && dokumen.terlampir.is_none())
        .map(|dokumen| (dokumen.kode.clone(), dokumen.tipe.iter().any(|tipe| tipe == "application/pdf")))
        .collect();
    assert!(!missing.is_empty(), "{:?}", detail.dokumen);
    for (kode, is_pdf) in missing {
        let (name, mime, bytes) = if is_pdf {
            (format!("{kode}.pdf"), "application/pdf", pdf(&kode, 20_480))
        } else {
            (format!("{kode}.jpg"), "image/jpeg", jpeg(&kode, 20_480))
        };
        detail = device.context.usulan_lampirkan(id.to_owned(), kode, name, mime.to_owned(), bytes).await.unwrap();
    }
    assert!(detail.dokumen.iter().all(|dokumen| !dokumen.wajib || dokumen.terlampir.is_some()), "{:?}", detail.dokumen);
    detail
}

/// The whole workflow of `kasus` (see the module documentation).
async fn jalankan(kasus: Kasus) {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new(&format!("hub-{}", kasus.jenis));
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    // The verifikator BKN decides on the kabupaten's usulan: on the hub's roster of Contoh Selatan.
    let bkn_account = account("verifikator_bkn");
    hub.add_to_roster(&bkn_account);
    let operator = Device::signed_in("operator", &idp, &hub, account("operator_instansi")).await;
    let verifikator = Device::signed_in("verifikator", &idp, &hub, account("verifikator_instansi")).await;
    let bkn = Device::signed_in("bkn", &idp, &hub, bkn_account).await;
    let nip = kasus.nip;
    let before = pegawai(&operator, nip);
    for device in [&verifikator, &bkn] {
        assert_eq!(pegawai(device, nip), before, "{}", device.officer.peran);
    }
    for (path, value) in kasus.perubahan {
        let field = path.strip_prefix("data_utama.").unwrap();
        assert_ne!(before["data_utama"][field], Value::String((*value).to_owned()), "{path} is already {value}");
    }
    let referensi = verifikator.context.usulan_referensi().await.unwrap();
    let alasan = referensi.alasan.iter().find(|alasan| alasan.id == "51").unwrap().clone();
    assert_eq!((alasan.keterangan.as_str(), alasan.nama.as_str()), ("BTS", "BTS - Dokumen Tidak Lengkap"));

    // The operator drafts offline; submitting is refused while a mandatory document is missing, naming it.
    hub.stop().await;
    let baru = UsulanBaru {
        jenis: kasus.jenis.to_owned(),
        sub_jenis: kasus.sub_jenis.map(|(kode, _)| kode.to_owned()),
        nip: vec![nip.to_owned()],
        perubahan: kasus.perubahan.iter().map(|(path, value)| ((*path).to_owned(), (*value).to_owned())).collect(),
        catatan: Some(format!("usulan {} (uji)", kasus.jenis)),
    };
    if kasus.jenis == "pencantuman_gelar" {
        // Only the gelar fields, and at least one of them: the rest is a peremajaan data.
        let nama = UsulanBaru { perubahan: vec![("data_utama.nama".into(), "SUTRISNO P.".into())], ..baru.clone() };
        let error = operator.context.usulan_buat(nama).await.unwrap_err();
        assert_eq!(
            error.message,
            "Perubahan \"data_utama.nama\" tidak sah: pencantuman gelar hanya mengubah data_utama.gelar_depan atau \
             data_utama.gelar_belakang; perubahan data lain diusulkan lewat peremajaan data."
        );
        let kosong = UsulanBaru { perubahan: Vec::new(), ..baru.clone() };
        let error = operator.context.usulan_buat(kosong).await.unwrap_err();
        assert!(error.message.contains("memerlukan gelar depan atau gelar belakang yang baru"), "{}", error.message);
    }
    let draft = operator.context.usulan_buat(baru).await.unwrap();
    let id = draft.ringkas.id.clone();
    assert_eq!((draft.ringkas.status.as_str(), draft.ringkas.jenis.as_str()), ("draft", kasus.jenis));
    assert_eq!(draft.ringkas.jenis_nama, kasus.jenis_nama);
    assert_eq!(
        (draft.ringkas.sub_jenis.as_deref(), draft.ringkas.sub_jenis_nama.as_deref()),
        (kasus.sub_jenis.map(|(kode, _)| kode), kasus.sub_jenis.map(|(_, nama)| nama))
    );
    assert!(draft.lokal);
    let perubahan: Vec<(&str, &str)> =
        draft.perubahan.iter().map(|perubahan| (perubahan.field.as_str(), perubahan.sesudah.as_str())).collect();
    assert_eq!(perubahan, kasus.perubahan);
    let wajib: Vec<&str> =
        draft.dokumen.iter().filter(|dokumen| dokumen.wajib).map(|dokumen| dokumen.kode.as_str()).collect();
    for kode in kasus.wajib.iter().chain([&kasus.perbaiki]) {
        assert!(wajib.contains(kode), "{kode} is mandatory for {}: {wajib:?}", kasus.jenis);
    }
    let blocked = operator.aksi(&id, "diajukan", None).await.unwrap_err();
    assert_eq!(blocked.code, KodeGalat::MasukanTidakSah);
    assert!(blocked.message.starts_with("Usulan belum dapat diajukan: "), "{}", blocked.message);
    assert!(
        draft.dokumen.iter().any(|dokumen| dokumen.wajib && blocked.message.contains(&dokumen.nama)),
        "the refusal names a missing document: {}",
        blocked.message
    );
    lampirkan_wajib(&operator, &id).await;
    let submitted = operator.aksi(&id, "diajukan", None).await.unwrap();
    assert_eq!(submitted.ringkas.status, "diajukan");
    assert_eq!(riwayat_of(&submitted), ["dibuat", "diajukan"]);
    assert_eq!(aksi_of(&submitted), ["dibatalkan"], "the operator may only withdraw now");
    hub.restart().await;
    operator.sync().await;
    assert!(!operator.detail(&id).await.lokal, "the hub accepted the draft and the submission");
    verifikator.sync().await;

    // The verifikator, offline, returns it once (BTS) with an alasan from the reference list.
    hub.stop().await;
    let inbox = verifikator.detail(&id).await;
    assert_eq!(inbox.ringkas.status, "diajukan");
    assert_eq!(aksi_of(&inbox), ["diverifikasi", "bts", "tms", "dibatalkan"]);
    let missing_alasan = verifikator.aksi(&id, "bts", None).await.unwrap_err();
    assert_eq!(missing_alasan.code, KodeGalat::MasukanTidakSah);
    let returned = verifikator.aksi(&id, "bts", Some(&alasan.id)).await.unwrap();
    assert_eq!((returned.ringkas.status.as_str(), returned.ringkas.jumlah_bts), ("bts", 1));
    hub.restart().await;
    verifikator.sync().await;
    operator.sync().await;

    // The operator, offline, replaces a file and submits again.
    hub.stop().await;
    let seen = operator.detail(&id).await;
    assert_eq!((seen.ringkas.status.as_str(), seen.ringkas.jumlah_bts), ("bts", 1));
    let bts = seen.riwayat.last().unwrap();
    assert_eq!((bts.aksi.as_str(), bts.oleh.as_str()), ("bts", verifikator.officer.nip.as_str()));
    assert_eq!((bts.alasan_id.as_deref(), bts.alasan.as_deref()), (Some("51"), Some(alasan.nama.as_str())));
    assert!(aksi_of(&seen).contains(&"diajukan"), "{:?}", seen.aksi);
    let lama = seen.dokumen.iter().find(|dokumen| dokumen.kode == kasus.perbaiki).unwrap().terlampir.clone().unwrap();
    let perbaikan = pdf(&format!("perbaikan {}", kasus.perbaiki), 30_000);
    let fixed = operator
        .context
        .usulan_lampirkan(
            id.clone(),
            kasus.perbaiki.to_owned(),
            "perbaikan.pdf".to_owned(),
            "application/pdf".to_owned(),
            perbaikan.clone(),
        )
        .await
        .unwrap();
    let baru = fixed.dokumen.iter().find(|dokumen| dokumen.kode == kasus.perbaiki).unwrap().terlampir.clone().unwrap();
    assert_eq!((baru.name.as_str(), baru.size), ("perbaikan.pdf", 30_000));
    assert_ne!(baru.sha256, lama.sha256);
    let resubmitted = operator.aksi(&id, "diajukan", None).await.unwrap();
    assert_eq!(riwayat_of(&resubmitted), ["dibuat", "diajukan", "bts", "diajukan"]);
    assert_eq!((resubmitted.ringkas.status.as_str(), resubmitted.ringkas.jumlah_bts), ("diajukan", 1));
    hub.restart().await;
    operator.sync().await;
    verifikator.sync().await;

    // The verifikator, offline, has the new file, verifies and forwards to BKN; no pegawai field moves.
    hub.stop().await;
    let hash: [u8; 32] = hex_bytes(&baru.sha256);
    let replica = verifikator.context.replica(false).unwrap();
    assert_eq!(store::sync_state::get_blob(&replica.reader().unwrap(), &hash).unwrap(), perbaikan);
    let verified = verifikator.aksi(&id, "diverifikasi", None).await.unwrap();
    assert_eq!(verified.ringkas.status, "diverifikasi");
    assert_eq!(aksi_of(&verified), ["diteruskan_ke_bkn"], "every jenis but an instansi-only peremajaan goes to BKN");
    let forwarded = verifikator.aksi(&id, "diteruskan_ke_bkn", None).await.unwrap();
    assert_eq!(forwarded.ringkas.status, "diteruskan_ke_bkn");
    assert!(forwarded.aksi.is_empty(), "BKN decides now: {:?}", forwarded.aksi);
    assert_eq!(pegawai(&verifikator, nip), before, "the instansi's verification writes no BKN field");
    hub.restart().await;
    verifikator.sync().await;
    operator.sync().await;
    assert_eq!(pegawai(&operator, nip), before, "nothing reaches the pegawai before BKN decides");
    bkn.sync().await;

    // The verifikator BKN, offline, approves; its device writes nothing to the pegawai (the hub does).
    hub.stop().await;
    let at_bkn = bkn.detail(&id).await;
    assert_eq!(at_bkn.ringkas.status, "diteruskan_ke_bkn");
    assert_eq!(aksi_of(&at_bkn), ["bts", "tms", "disetujui"]);
    let approved = bkn.aksi(&id, "disetujui", None).await.unwrap();
    assert_eq!(approved.ringkas.status, "disetujui");
    assert_eq!(pegawai(&bkn, nip), before, "a device never writes BKN's fields on approval");
    hub.restart().await;
    bkn.sync().await;
    operator.sync().await;
    verifikator.sync().await;
    bkn.sync().await;

    // Every replica: the same log, status and BTS counter; the pegawai as the authority table allows.
    let expected = dengan_perubahan(&before, kasus.perubahan);
    let full = ["dibuat", "diajukan", "bts", "diajukan", "diverifikasi", "diteruskan_ke_bkn", "disetujui"];
    let mut logs = Vec::new();
    for device in [&operator, &verifikator, &bkn] {
        let who = &device.officer.peran;
        let detail = device.detail(&id).await;
        assert_eq!(
            (detail.ringkas.status.as_str(), detail.ringkas.status_nama.as_str(), detail.ringkas.jumlah_bts),
            ("disetujui", "Disetujui BKN", 1),
            "{who}"
        );
        assert!(!detail.ringkas.konflik && detail.konflik.is_empty() && !detail.lokal, "{who}: {detail:?}");
        assert_eq!(riwayat_of(&detail), full, "{who}");
        let oleh: Vec<&str> = detail.riwayat.iter().map(|event| event.oleh.as_str()).collect();
        let (o, v, b) = (&operator.officer.nip, &verifikator.officer.nip, &bkn.officer.nip);
        assert_eq!(oleh, [o, o, v, o, v, v, b], "{who}");
        assert_eq!(detail.riwayat[2].alasan.as_deref(), Some(alasan.nama.as_str()), "{who}");
        let berkas = detail.dokumen.iter().find(|dokumen| dokumen.kode == kasus.perbaiki).unwrap();
        assert_eq!(berkas.terlampir.as_ref().unwrap().sha256, baru.sha256, "{who}");
        logs.push(detail.riwayat);
        let after = pegawai(device, nip);
        for (path, _) in kasus.perubahan {
            let field = path.strip_prefix("data_utama.").unwrap();
            // The hub writes the approved BKN fields (`hub/src/core/approval.rs`: peremajaan data and pencantuman
            // gelar); the devices only receive them.
            assert_eq!(after["data_utama"][field], expected["data_utama"][field], "{who}: {path} after BKN approved");
        }
        assert_eq!(after, expected, "{who}: only the approved BKN fields changed");
    }
    assert!(logs.windows(2).all(|pair| pair[0] == pair[1]), "every replica holds the same log: {logs:?}");
    for device in [operator, verifikator, bkn] {
        assert!(device.context.shutdown(Duration::from_secs(10)).await);
    }
}

/// 64 lower-case hex digits as bytes.
fn hex_bytes(hex: &str) -> [u8; 32] {
    let mut bytes = [0_u8; 32];
    for (index, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[index * 2..index * 2 + 2], 16).unwrap();
    }
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pemberhentian_bup_goes_offline_through_bts_to_bkn_approval_and_leaves_the_pegawai_unchanged() {
    // GALIH NUGROHO, born April 1965, married: past BUP; the marriage documents apply, and the photo is a JPEG.
    jalankan(Kasus {
        jenis: "pemberhentian",
        jenis_nama: "Pemberhentian",
        sub_jenis: Some(("1", "Pemberhentian Karena BUP")),
        nip: "196504221987031001",
        perubahan: &[],
        wajib: &["surat_pengantar", "dpcp", "858", "872", "kk", "ktp", "akta_nikah", "ktp_pasangan", "pas_foto"],
        perbaiki: "dpcp",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pindah_instansi_goes_offline_through_bts_to_bkn_approval_and_leaves_the_pegawai_unchanged() {
    // SLAMET ARIS RAHARJO, a jabatan fungsional: the PAK (879) applies.
    jalankan(Kasus {
        jenis: "pindah_instansi",
        jenis_nama: "Pindah instansi",
        sub_jenis: None,
        nip: "197902182004031001",
        perubahan: &[],
        wajib: &["surat_pengantar", "persetujuan_instansi_asal", "persetujuan_instansi_tujuan", "anjab_abk", "879"],
        perbaiki: "persetujuan_instansi_tujuan",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pencantuman_gelar_goes_offline_through_bts_and_its_gelar_reaches_the_pegawai_only_after_bkn_approves() {
    // SUTRISNO PRASETYO, SLTA Kejuruan without a gelar: gelar belakang is BKN's field.
    jalankan(Kasus {
        jenis: "pencantuman_gelar",
        jenis_nama: "Pencantuman gelar",
        sub_jenis: None,
        nip: "197406182002011002",
        perubahan: &[("data_utama.gelar_belakang", "S.T.")],
        wajib: &["surat_pengantar", "ijazah_transkrip", "izin_belajar", "akreditasi", "pddikti", "1179"],
        perbaiki: "ijazah_transkrip",
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peninjauan_masa_kerja_goes_offline_through_bts_to_bkn_approval_and_leaves_the_pegawai_unchanged() {
    // RAHMAT WIBOWO, CPNS since 2026: his earlier work may count.
    jalankan(Kasus {
        jenis: "peninjauan_masa_kerja",
        jenis_nama: "Peninjauan masa kerja",
        sub_jenis: None,
        nip: "199201132026081001",
        perubahan: &[],
        wajib: &["surat_pengantar", "surat_permohonan", "858"],
        perbaiki: "bukti_masa_kerja",
    })
    .await;
}
