//! Reminders (pengingat) over a small replica whose dates are known: which pegawai each list holds within a
//! horizon, with which key and target dates and state on a given day; a follow-up recorded in the pegawai document
//! attaches to its reminder (and to nothing else), moves the counts per state and survives a rebuild; keyset pages
//! cover a list once; a replica projected before migration 0009 gets its KGB columns on the next open.

use chrono::NaiveDate;
use model::pengingat::{JenisPengingat, StatusPengingat, StatusTindakLanjut};
use model::{DataUtama, JenisAsn, Nip, Pegawai};
use serde_json::json;
use store::import::{ImportOptions, import_pegawai};
use store::pengingat::{FilterPengingat, PengingatBaris, daftar, jumlah_per_status};
use store::{Replica, integrity, projection};

use crate::{TempDir, open};

/// KP reguler eligible from the December 2026 period (III/c since 01-12-2022).
const KP_DESEMBER: &str = "198001012005011001";
/// KP reguler eligible from May 2027 (III/b since 01-05-2023).
const KP_MEI: &str = "198202022006021002";
/// Born 10-02-1969, BUP 58: TMT pensiun 01-03-2027.
const BUP_MARET: &str = "196902102000031003";
/// III/d since 01-06-2024 with MKG 9 y 0 m: KGB on 01-06-2027 (MKG 12).
const KGB_JUNI: &str = "198503032010011004";
/// III/b since 01-12-2025 with MKG 11 y 0 m: KGB on 01-12-2026 (MKG 12).
const KGB_DESEMBER: &str = "198604042011012005";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 05-12-2026: after the December KP period and the December KGB.
fn today() -> NaiveDate {
    date(2026, 12, 5)
}

fn pns(nip: &str, nama: &str) -> DataUtama {
    DataUtama {
        nip: Nip::clean(nip),
        nama: nama.into(),
        jenis_asn: Some(JenisAsn::Pns),
        kedudukan_hukum_id: Some("01".into()),
        ..DataUtama::default()
    }
}

fn with_golongan(utama: DataUtama, golongan: &str, tmt: NaiveDate, mkg: Option<i64>) -> DataUtama {
    DataUtama {
        golongan_akhir_id: Some(golongan.into()),
        tmt_golongan: Some(tmt),
        mk_golongan_tahun: mkg,
        mk_golongan_bulan: mkg.map(|_| 0),
        ..utama
    }
}

fn kabupaten(name: &str) -> (TempDir, Replica) {
    let dir = TempDir::new(name);
    let replica = open(&dir);
    let pegawai: Vec<Pegawai> = [
        with_golongan(pns(KP_DESEMBER, "AHMAD DESEMBER"), "33", date(2022, 12, 1), None),
        with_golongan(pns(KP_MEI, "BUDI MEI"), "32", date(2023, 5, 1), None),
        DataUtama { tgl_lahir: Some(date(1969, 2, 10)), ..pns(BUP_MARET, "CITRA MARET") },
        with_golongan(pns(KGB_JUNI, "DEWI JUNI"), "34", date(2024, 6, 1), Some(9)),
        with_golongan(pns(KGB_DESEMBER, "EKO DESEMBER"), "32", date(2025, 12, 1), Some(11)),
    ]
    .into_iter()
    .map(|data_utama| Pegawai { data_utama, ..Pegawai::default() })
    .collect();
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:UJI".into()),
        now_ms: 1_796_004_000_000,
        batch: 100,
        message: "impor uji".into(),
        threads: 1,
    };
    import_pegawai(&replica, pegawai, &options, &mut |_| {}).unwrap();
    (dir, replica)
}

fn filter(jenis: JenisPengingat, bulan: u32) -> FilterPengingat {
    FilterPengingat { jenis, hari_ini: today(), bulan, status: None, unor: None, setelah: None, limit: 100 }
}

fn list(replica: &Replica, filter: &FilterPengingat) -> Vec<PengingatBaris> {
    daftar(&replica.reader().unwrap(), filter).unwrap()
}

/// (NIP, key, target date, state) of each row.
fn summary(rows: &[PengingatBaris]) -> Vec<(String, String, NaiveDate, StatusPengingat)> {
    rows.iter().map(|row| (row.nip.clone(), row.kunci.clone(), row.tanggal, row.status)).collect()
}

fn counts(replica: &Replica, filter: &FilterPengingat) -> Vec<(StatusPengingat, i64)> {
    jumlah_per_status(&replica.reader().unwrap(), filter).unwrap()
}

/// Records a follow-up on `kunci` of `nip` as the app does (the pegawai document's `tindak_lanjut` map).
fn tandai(replica: &Replica, nip: &str, kunci: &str, status: &str) {
    store::edit::edit_pegawai(replica, nip, 1_796_005_000_000, "tandai", |json| {
        let map = json.as_object_mut().unwrap().entry("tindak_lanjut").or_insert_with(|| json!({}));
        map.as_object_mut().unwrap().insert(
            kunci.to_owned(),
            json!({"status": status, "catatan": "usulan KP sudah dibuat", "oleh": "199001012015031001",
                   "waktu": "2026-12-05T03:00:00Z"}),
        );
    })
    .unwrap()
    .expect("the follow-up changes the document");
}

#[test]
fn each_list_holds_what_falls_due_within_the_horizon() {
    let (_dir, replica) = kabupaten("pengingat-daftar");
    // KP: the December eligibility shows at the next period (January 2027) and is overdue; May 2027 is ahead.
    assert_eq!(
        summary(&list(&replica, &filter(JenisPengingat::Kp, 12))),
        vec![
            (KP_DESEMBER.into(), "kp-2026-12-01".into(), date(2027, 1, 1), StatusPengingat::Kedaluwarsa),
            (KP_MEI.into(), "kp-2027-05-01".into(), date(2027, 5, 1), StatusPengingat::Aktif),
        ]
    );
    assert_eq!(summary(&list(&replica, &filter(JenisPengingat::Kp, 3))).len(), 1);
    let kp = &list(&replica, &filter(JenisPengingat::Kp, 3))[0];
    assert_eq!((kp.golongan_id.as_deref(), kp.kp_golongan_id.as_deref()), (Some("33"), Some("34")));

    // BUP: TMT pensiun 01-03-2027, within 3 months, not within 2.
    let bup = list(&replica, &filter(JenisPengingat::Bup, 3));
    assert_eq!(
        summary(&bup),
        vec![(BUP_MARET.into(), "bup-2027-03-01".into(), date(2027, 3, 1), StatusPengingat::Aktif)]
    );
    assert_eq!(bup[0].bup, Some(58));
    assert!(list(&replica, &filter(JenisPengingat::Bup, 2)).is_empty());

    // KGB: this month's (passed on the 1st, not handled: overdue) and June 2027's.
    let kgb = list(&replica, &filter(JenisPengingat::Kgb, 12));
    assert_eq!(
        summary(&kgb),
        vec![
            (KGB_DESEMBER.into(), "kgb-2026-12-01".into(), date(2026, 12, 1), StatusPengingat::Kedaluwarsa),
            (KGB_JUNI.into(), "kgb-2027-06-01".into(), date(2027, 6, 1), StatusPengingat::Aktif),
        ]
    );
    assert_eq!(kgb[1].kgb_awal, Some(date(2015, 6, 1)));
    assert_eq!(summary(&list(&replica, &filter(JenisPengingat::Kgb, 5))).len(), 1);
    // A month later the December KGB, not handled, is still listed (overdue, up to KGB_LALU_BULAN months back),
    // and the same pegawai's next one two years on is a reminder of its own.
    let januari = FilterPengingat { hari_ini: date(2027, 1, 2), ..filter(JenisPengingat::Kgb, 23) };
    assert_eq!(
        summary(&list(&replica, &januari)).into_iter().map(|row| (row.0, row.2, row.3)).collect::<Vec<_>>(),
        vec![
            (KGB_DESEMBER.to_owned(), date(2026, 12, 1), StatusPengingat::Kedaluwarsa),
            (KGB_JUNI.to_owned(), date(2027, 6, 1), StatusPengingat::Aktif),
            (KGB_DESEMBER.to_owned(), date(2028, 12, 1), StatusPengingat::Aktif)
        ]
    );
    // Four months on it has left the list.
    let april = FilterPengingat { hari_ini: date(2027, 4, 2), ..filter(JenisPengingat::Kgb, 3) };
    assert_eq!(summary(&list(&replica, &april)).into_iter().map(|row| row.0).collect::<Vec<_>>(), [KGB_JUNI]);
}

#[test]
fn a_follow_up_attaches_to_its_own_reminder_and_survives_a_rebuild() {
    let (_dir, replica) = kabupaten("pengingat-tandai");
    let kp = filter(JenisPengingat::Kp, 12);
    assert_eq!(
        counts(&replica, &kp),
        vec![
            (StatusPengingat::Aktif, 1),
            (StatusPengingat::Kedaluwarsa, 1),
            (StatusPengingat::Ditangani, 0),
            (StatusPengingat::TidakPerlu, 0)
        ]
    );
    tandai(&replica, KP_DESEMBER, "kp-2026-12-01", "ditangani");
    // A follow-up on another date is another reminder: it attaches to nothing listed.
    tandai(&replica, KP_MEI, "kp-2027-04-01", "tidak_perlu");
    let rows = list(&replica, &kp);
    assert_eq!(rows[0].status, StatusPengingat::Ditangani);
    let recorded = rows[0].tindak_lanjut.as_ref().expect("the follow-up is listed");
    assert_eq!(
        (recorded.status, recorded.oleh.as_str(), recorded.catatan.as_deref()),
        (StatusTindakLanjut::Ditangani, "199001012015031001", Some("usulan KP sudah dibuat"))
    );
    assert_eq!((rows[1].status, rows[1].tindak_lanjut.is_none()), (StatusPengingat::Aktif, true));
    assert_eq!(
        counts(&replica, &kp),
        vec![
            (StatusPengingat::Aktif, 1),
            (StatusPengingat::Kedaluwarsa, 0),
            (StatusPengingat::Ditangani, 1),
            (StatusPengingat::TidakPerlu, 0)
        ]
    );
    let only = |status| FilterPengingat { status: Some(status), ..kp.clone() };
    assert_eq!(summary(&list(&replica, &only(StatusPengingat::Ditangani)))[0].0, KP_DESEMBER);
    assert!(list(&replica, &only(StatusPengingat::Kedaluwarsa)).is_empty());
    // The KGB list of the same pegawai is not touched by a KP follow-up.
    assert_eq!(list(&replica, &filter(JenisPengingat::Kgb, 12))[0].status, StatusPengingat::Kedaluwarsa);

    let before: Vec<_> = JenisPengingat::SEMUA.iter().map(|jenis| list(&replica, &filter(*jenis, 23))).collect();
    let reader = replica.reader().unwrap();
    assert!(projection::verify(&reader).unwrap().mismatches.is_empty());
    drop(reader);
    projection::rebuild_projections(&replica, 2, &mut |_| {}).unwrap();
    let after: Vec<_> = JenisPengingat::SEMUA.iter().map(|jenis| list(&replica, &filter(*jenis, 23))).collect();
    assert_eq!(before, after);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn a_changed_follow_up_row_is_reported_by_verify() {
    let (_dir, replica) = kabupaten("pengingat-verify");
    tandai(&replica, KGB_JUNI, "kgb-2027-06-01", "ditangani");
    replica.write(|tx| Ok(tx.execute("UPDATE tindak_lanjut SET status = 'tidak_perlu'", [])?)).unwrap();
    let verified = projection::verify(&replica.reader().unwrap()).unwrap();
    assert_eq!(verified.mismatches.len(), 1);
    assert_eq!(verified.mismatches[0].fields, vec!["tindak_lanjut".to_owned()]);
}

#[test]
fn pages_cover_a_list_once() {
    let (_dir, replica) = kabupaten("pengingat-halaman");
    // Within 23 months: December 2026, May 2027 and (III/d since June 2024) June 2028.
    let all = list(&replica, &filter(JenisPengingat::Kp, 23));
    assert_eq!(all.iter().map(|row| row.nip.as_str()).collect::<Vec<_>>(), [KP_DESEMBER, KP_MEI, KGB_JUNI]);
    let mut paged = Vec::new();
    let mut setelah = None;
    for _ in 0..10 {
        let page = list(&replica, &FilterPengingat { limit: 1, setelah, ..filter(JenisPengingat::Kp, 23) });
        let Some(last) = page.last() else { break };
        setelah = Some(last.kursor());
        paged.extend(page);
    }
    assert_eq!(paged, all);
}

#[test]
fn a_replica_of_schema_8_gets_the_kgb_columns_on_open() {
    let (dir, replica) = kabupaten("pengingat-migrasi");
    // Taken back to schema 8 as it was: without migration 0009's columns, index and table.
    replica
        .write(|tx| {
            tx.execute_batch(
                "DROP INDEX pegawai_kgb; DROP TABLE tindak_lanjut; DROP INDEX pegawai_kp_pertama; \
                 CREATE INDEX pegawai_kp_pertama ON pegawai (kp_pertama); \
                 ALTER TABLE pegawai DROP COLUMN kgb_awal; ALTER TABLE pegawai DROP COLUMN kgb_pertama; \
                 ALTER TABLE pegawai DROP COLUMN kgb_akhir; ALTER TABLE pegawai DROP COLUMN kgb_siklus; \
                 PRAGMA user_version = 8;",
            )?;
            Ok(())
        })
        .unwrap();
    drop(replica);
    // Opening runs migration 0009, which marks the replica, and the rows are derived again.
    let replica = open(&dir);
    assert_eq!(
        replica.reader().unwrap().pragma_query_value(None, "user_version", |row| row.get::<_, u32>(0)).unwrap(),
        9
    );
    assert_eq!(
        summary(&list(&replica, &filter(JenisPengingat::Kgb, 12))).into_iter().map(|row| row.0).collect::<Vec<_>>(),
        [KGB_DESEMBER, KGB_JUNI]
    );
    assert_eq!(replica.meta("proyeksi_ulang").unwrap(), None);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn a_re_import_from_si_asn_keeps_the_follow_ups() {
    let (_dir, replica) = kabupaten("pengingat-impor-ulang");
    tandai(&replica, KGB_JUNI, "kgb-2027-06-01", "ditangani");
    // SI-ASN knows nothing of follow-ups: the record it sends again has none, and a changed name.
    let again = Pegawai {
        data_utama: with_golongan(pns(KGB_JUNI, "DEWI JUNIARTI"), "34", date(2024, 6, 1), Some(9)),
        ..Pegawai::default()
    };
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:UJI".into()),
        now_ms: 1_796_006_000_000,
        batch: 100,
        message: "impor ulang".into(),
        threads: 1,
    };
    let report = import_pegawai(&replica, vec![again], &options, &mut |_| {}).unwrap();
    assert_eq!(report.updated, 1);
    let kgb = list(&replica, &filter(JenisPengingat::Kgb, 12));
    let row = kgb.iter().find(|row| row.nip == KGB_JUNI).unwrap();
    assert_eq!((row.nama.as_str(), row.status), ("DEWI JUNIARTI", StatusPengingat::Ditangani));
}

#[test]
fn the_kgb_list_of_a_generated_kabupaten_is_what_the_rule_gives() {
    // 2,000 generated pegawai (CSV shape) imported without an unor tree: the eselon comes from the record alone.
    let dir = TempDir::new("pengingat-generator");
    let replica = open(&dir);
    let pegawai = crate::generated_pegawai(2_000, 11);
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:UJI".into()),
        now_ms: 1_796_004_000_000,
        batch: 500,
        message: "impor uji".into(),
        threads: 1,
    };
    import_pegawai(&replica, pegawai.clone(), &options, &mut |_| {}).unwrap();
    let hari_ini = date(2026, 11, 30);
    let akhir = date(2027, 11, 30);
    // The rule, pegawai by pegawai: the next KGB from this month, within the horizon, before TMT pensiun.
    let mut expected: Vec<(String, NaiveDate)> = pegawai
        .iter()
        .filter_map(|one| {
            let tmt = model::rules::kgb::jadwal(one).ok()?.berikutnya(hari_ini)?;
            let fakta = model::fakta::derive(one, "uji", hari_ini, &|_| None);
            (tmt <= akhir && fakta.tmt_pensiun.is_none_or(|pensiun| pensiun > tmt))
                .then(|| (one.data_utama.nip.to_string(), tmt))
        })
        .collect();
    expected.sort();
    let filter = FilterPengingat { hari_ini, limit: 5_000, ..filter(JenisPengingat::Kgb, 12) };
    // The list also reaches back KGB_LALU_BULAN months; the rule's "next" starts at this month.
    let mut listed: Vec<(String, NaiveDate)> = list(&replica, &filter)
        .into_iter()
        .filter(|row| row.tanggal >= date(2026, 11, 1))
        .map(|row| (row.nip, row.tanggal))
        .collect();
    listed.sort();
    assert!(expected.len() > 200, "a realistic share of PNS has a KGB within a year: {}", expected.len());
    assert_eq!(listed, expected);
}

#[test]
fn the_reminders_of_one_pegawai_are_what_a_follow_up_may_be_recorded_on() {
    let (_dir, replica) = kabupaten("pengingat-milik");
    let reader = replica.reader().unwrap();
    let rowid = |nip: &str| store::query::pegawai_rowid(&reader, nip, None).unwrap();
    let juni = store::pengingat::pengingat_pegawai(&reader, rowid(KGB_JUNI)).unwrap().unwrap();
    // III/d since 01-06-2024 with MKG 9: the first KGB in this golongan at MKG 10 (01-06-2025), then every 2 years.
    assert_eq!(juni.kgb, Some((date(2025, 6, 1), date(2047, 6, 1))));
    assert!(juni.punya(JenisPengingat::Kgb, date(2027, 6, 1)));
    assert!(!juni.punya(JenisPengingat::Kgb, date(2026, 6, 1)), "an odd year of the cycle");
    assert!(!juni.punya(JenisPengingat::Kgb, date(2027, 6, 15)), "not on the 1st");
    assert!(!juni.punya(JenisPengingat::Kgb, date(2049, 6, 1)), "after the last");
    assert_eq!(juni.kunci(today()), ["kp-2028-06-01", "kgb-2027-06-01"]);
    let desember = store::pengingat::pengingat_pegawai(&reader, rowid(KP_DESEMBER)).unwrap().unwrap();
    assert!(desember.punya(JenisPengingat::Kp, date(2026, 12, 1)));
    assert!(!desember.punya(JenisPengingat::Kp, date(2027, 1, 1)), "the KP's key is its first period");
    assert_eq!(desember.kunci(today()), ["kp-2026-12-01"]);
    let maret = store::pengingat::pengingat_pegawai(&reader, rowid(BUP_MARET)).unwrap().unwrap();
    assert_eq!(maret.kunci(today()), ["bup-2027-03-01"]);
    let juni_rowid = rowid(KGB_JUNI);
    assert!(!store::pengingat::ada_tindak_lanjut(&reader, juni_rowid, "kgb-2027-06-01").unwrap());
    drop(reader);
    tandai(&replica, KGB_JUNI, "kgb-2027-06-01", "ditangani");
    let reader = replica.reader().unwrap();
    assert!(store::pengingat::ada_tindak_lanjut(&reader, juni_rowid, "kgb-2027-06-01").unwrap());
}
