//! Pengingat (KP, BUP, KGB reminders) through `AppContext` on two devices against the real local OpenID provider
//! and a real hub over HTTP on 127.0.0.1, on the fixtures of Contoh Selatan (today 30-11-2026): the KGB of a
//! fixture pegawai is listed at the date its masa kerja golongan gives; an operator records "ditangani" with the hub
//! stopped, the follow-up survives a restart and, once synced, shows on a verifikator's device with who recorded it;
//! taking it back syncs too; wrong input names the field and the value; a role without `pegawai.ubah` is refused.

use app::KodeGalat;
use app::pengingat::{FilterPengingat, PengingatView};
use idp_harness::{Idp, IdpOptions};

use crate::verifikasi::Device;
use crate::{RunningHub, TempDir, account};

/// JAJANG YAYAN SUPRIATNA: III/a since 01-10-2022 with MKG 16 y 9 m, so MKG 0 on 01-01-2006 and the KGB fall in
/// January of even years; the next after today is 01-01-2028 (MKG 22).
const NIP: &str = "197603012006012005";
const KUNCI: &str = "kgb-2028-01-01";

fn kgb(bulan: u32, status: Option<&str>) -> FilterPengingat {
    FilterPengingat { jenis: "kgb".into(), bulan: Some(bulan), status: status.map(str::to_owned), unor: None }
}

async fn row(device: &Device, status: Option<&str>) -> Option<PengingatView> {
    let page = device.context.pengingat_daftar(kgb(23, status), None, 500).await.unwrap();
    page.baris.into_iter().find(|row| row.nip == NIP)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_recorded_offline_reaches_the_other_devices() {
    let idp = Idp::start(&IdpOptions::default());
    let hub_dir = TempDir::new("pengingat-hub");
    let mut hub = RunningHub::start(&hub_dir.0, idp.issuer()).await;
    let mut operator = Device::signed_in("pengingat-operator", &idp, &hub, account("operator_instansi")).await;

    let listed = row(&operator, None).await.expect("the fixture pegawai's KGB is within 23 months");
    assert_eq!(
        (listed.kunci.as_str(), listed.tanggal.as_str(), listed.keterangan.as_str(), listed.status.as_str()),
        (KUNCI, "2028-01-01", "MKG 22 tahun", "aktif")
    );
    assert_eq!(listed.golongan.as_deref(), Some("III/a"));
    // Twelve months do not reach January 2028.
    let page = operator.context.pengingat_daftar(kgb(12, None), None, 500).await.unwrap();
    assert!(page.baris.iter().all(|row| row.nip != NIP));
    assert!(page.boleh_tandai);

    // Wrong input names the field and the raw value.
    let context = &operator.context;
    let upper = context.pengingat_daftar(FilterPengingat { jenis: "KGB".into(), ..kgb(23, None) }, None, 500).await;
    assert!(upper.unwrap().baris.iter().any(|row| row.kunci == KUNCI), "the jenis in capitals reads too");
    let error = context.pengingat_daftar(FilterPengingat { jenis: "cuti".into(), ..kgb(12, None) }, None, 10).await;
    assert_eq!(error.unwrap_err().message, "Jenis pengingat \"cuti\" tidak sah: salah satu dari kp, bup, kgb.");
    let error = context.pengingat_daftar(kgb(36, None), None, 10).await.unwrap_err();
    assert_eq!(error.message, "Rentang bulan \"36\" tidak sah: antara 1 dan 23 bulan.");
    let error = context.pengingat_tandai(NIP.into(), None, "kgb-2028-1-1".into(), Some("ditangani".into()), None).await;
    assert_eq!(error.unwrap_err().code, KodeGalat::MasukanTidakSah);
    let error = context.pengingat_tandai(NIP.into(), None, KUNCI.into(), Some("selesai".into()), None).await;
    assert_eq!(error.unwrap_err().message, "Tindak lanjut \"selesai\" tidak sah: ditangani atau tidak_perlu.");
    // A key of the right form that is not this pegawai's reminder (the KGB falls in January, not on the 15th),
    // and taking back what was never recorded: both name the key and say what there is.
    let error = context.pengingat_tandai(NIP.into(), None, "kgb-2028-01-15".into(), Some("ditangani".into()), None);
    let message = error.await.unwrap_err().message;
    assert!(message.starts_with("Kunci pengingat \"kgb-2028-01-15\" tidak sah: bukan pengingat NIP"), "{message}");
    assert!(message.contains("kgb-2028-01-01"), "{message}");
    let error = context.pengingat_tandai(NIP.into(), None, KUNCI.into(), None, None).await.unwrap_err();
    assert!(error.message.contains("belum ada tindak lanjut untuk pengingat ini"), "{}", error.message);
    let error = context
        .pengingat_tandai(NIP.into(), None, KUNCI.into(), Some("ditangani".into()), Some("baris\u{7}".into()))
        .await
        .unwrap_err();
    assert!(error.message.contains("tanpa karakter kendali"), "{}", error.message);
    let error = context.pengingat_tandai(NIP.into(), None, KUNCI.into(), Some(" ".into()), None).await;
    assert_eq!(error.unwrap_err().message, "Tindak lanjut \"\" tidak sah: ditangani atau tidak_perlu.");

    // Offline: recorded, and still there after closing and opening the app.
    hub.stop().await;
    let recorded = context
        .pengingat_tandai(
            NIP.into(),
            Some(listed.rowid),
            KUNCI.into(),
            Some("ditangani".into()),
            Some("  SK KGB sedang disiapkan  ".into()),
        )
        .await
        .unwrap()
        .expect("a follow-up was recorded");
    assert_eq!(
        (recorded.status.as_str(), recorded.catatan.as_deref(), recorded.oleh.as_str()),
        ("ditangani", Some("SK KGB sedang disiapkan"), operator.officer.nip.as_str())
    );
    operator.restart(&idp, &hub).await;
    let after = row(&operator, Some("ditangani")).await.expect("listed under ditangani");
    assert_eq!(after.tindak_lanjut.as_ref(), Some(&recorded));
    assert!(row(&operator, Some("aktif")).await.is_none());

    // The hub back: a verifikator's device sees it, with who recorded it.
    hub.restart().await;
    operator.sync().await;
    let verifikator = Device::signed_in("pengingat-verifikator", &idp, &hub, account("verifikator_instansi")).await;
    let seen = row(&verifikator, None).await.unwrap();
    assert_eq!((seen.status.as_str(), seen.tindak_lanjut.as_ref()), ("ditangani", Some(&recorded)));

    // Taken back on the verifikator's device: aktif again everywhere.
    let taken = verifikator.context.pengingat_tandai(NIP.into(), None, KUNCI.into(), None, None).await.unwrap();
    assert_eq!(taken, None);
    verifikator.sync().await;
    operator.sync().await;
    let again = row(&operator, None).await.unwrap();
    assert_eq!((again.status.as_str(), again.tindak_lanjut), ("aktif", None));

    // Verifikator BKN reads but does not hold pegawai.ubah: refused before anything is written.
    let bkn_account = account("verifikator_bkn");
    hub.add_to_roster(&bkn_account);
    let bkn = Device::signed_in("pengingat-bkn", &idp, &hub, bkn_account).await;
    let error = bkn.context.pengingat_tandai(NIP.into(), None, KUNCI.into(), Some("tidak_perlu".into()), None).await;
    let error = error.unwrap_err();
    assert_eq!(error.code, KodeGalat::Ditolak, "{error:?}");
    assert!(error.message.contains("mencatat tindak lanjut pengingat"), "{}", error.message);
    assert_eq!(bkn.context.sinkron_status().await.unwrap().outbox_total, 0);
}
