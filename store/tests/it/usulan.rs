//! Usulan made and changed on this device: a new document goes to the outbox (and is offered to the push as an
//! usulan record), the list follows the workflow's fold, filters find a kolektif usulan by any of its NIPs, keyset
//! pages cover the list exactly once, a rebuild derives the same rows, and a value that is not an usulan is refused
//! without writing anything. Usulan made on other devices are listed when the feed brings them, and a feed change
//! to a local usulan moves its row.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use model::Nip;
use model::usulan::alur::{self, EventMasukan};
use model::usulan::{AksiUsulan, JenisUsulan, Usulan, UsulanEvent, UsulanPegawai};
use serde_json::json;
use store::document::Kind;
use store::edit::{create_document, edit_document};
use store::import::{ImportOptions, import_pegawai};
use store::projection::{self, UsulanRow};
use store::replication::ReplicaSync;
use store::usulan::{FilterUsulan, KursorUsulan, UsulanBaris, baris, daftar, jumlah_per_status, lihat};
use store::{Error, Replica, integrity};
use sync::engine::Local;
use sync::wire::{Bytes, Cursor, FeedBatch, FeedBody, FeedItem, RecordKind};
use uuid::Uuid;

use crate::{TempDir, open};

/// The operator making the usulan.
const OPERATOR: &str = "198001012005011001";
/// The verifikator instansi.
const VERIFIKATOR: &str = "197805052003121002";
/// 2026-11-30T02:00:00Z (09:00 WIB), the first event of the tests.
const T0_MS: i64 = 1_796_004_000_000;

/// RFC 3339 text of `minutes` after [`T0_MS`], and its unix milliseconds.
fn at(minutes: i64) -> (String, i64) {
    let time = DateTime::<Utc>::from_timestamp_millis(T0_MS).unwrap() + Duration::minutes(minutes);
    (time.to_rfc3339_opts(SecondsFormat::Secs, true), time.timestamp_millis())
}

/// A new usulan of `jenis` for `pegawai` (NIP, nama), with its `dibuat` event at `minutes`.
fn usulan_baru(
    id: Uuid,
    jenis: JenisUsulan,
    sub_jenis: Option<&str>,
    pegawai: &[(&str, &str)],
    minutes: i64,
) -> Usulan {
    let mut usulan = Usulan {
        id: id.to_string(),
        jenis,
        sub_jenis: sub_jenis.map(str::to_owned),
        pegawai: pegawai
            .iter()
            .map(|(nip, nama)| UsulanPegawai { nip: Nip::clean(nip), nama: (*nama).to_owned() })
            .collect(),
        perubahan: Default::default(),
        dokumen: Default::default(),
        riwayat_status: Vec::new(),
        siasn_id: None,
        status_siasn: None,
    };
    tambah(&mut usulan, AksiUsulan::Dibuat, OPERATOR, minutes, None);
    usulan
}

/// Appends the event `aksi` by `oleh` at `minutes` (concerning every NIP), as the workflow allows it.
fn tambah(usulan: &mut Usulan, aksi: AksiUsulan, oleh: &str, minutes: i64, alasan_id: Option<&str>) {
    let event = alur::event_baru(usulan, masukan(aksi, oleh, minutes, alasan_id)).unwrap();
    usulan.riwayat_status.push(event);
}

fn masukan(aksi: AksiUsulan, oleh: &str, minutes: i64, alasan_id: Option<&str>) -> EventMasukan {
    EventMasukan {
        id: Uuid::now_v7().to_string(),
        aksi,
        oleh: Nip::clean(oleh),
        waktu: at(minutes).0,
        alasan_id: alasan_id.map(str::to_owned),
        catatan: None,
        nip: Vec::new(),
    }
}

/// Stores `usulan` as a new document made on this device.
fn simpan(replica: &Replica, usulan: &Usulan) -> sync::ChangeHash {
    let id: Uuid = usulan.id.parse().unwrap();
    create_document(replica, Kind::Usulan, id, &serde_json::to_value(usulan).unwrap(), T0_MS, "usulan baru").unwrap()
}

fn semua(replica: &Replica, filter: FilterUsulan) -> Vec<UsulanBaris> {
    daftar(&replica.reader().unwrap(), &FilterUsulan { limit: 1_000, ..filter }).unwrap()
}

fn ids(rows: &[UsulanBaris]) -> Vec<String> {
    rows.iter().map(|row| row.id.clone()).collect()
}

fn count(replica: &Replica, sql: &str) -> i64 {
    replica.reader().unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

fn import_options(replica: &Replica, scope: &str) -> ImportOptions {
    ImportOptions {
        actor: replica.actor().clone(),
        scope: Some(scope.to_owned()),
        now_ms: T0_MS,
        batch: 100,
        message: "impor uji".into(),
        threads: 1,
    }
}

#[test]
fn a_new_usulan_is_stored_queued_for_the_push_and_listed() {
    let dir = TempDir::new("usulan-baru");
    let replica = open(&dir);
    let pegawai = crate::generated_pegawai(2, 7);
    let nip = pegawai[0].data_utama.nip.to_string();
    let nama = pegawai[0].data_utama.nama.clone();
    import_pegawai(&replica, pegawai, &import_options(&replica, "instansi:SELATAN"), &mut |_| {}).unwrap();

    let id = Uuid::now_v7();
    let usulan = usulan_baru(id, JenisUsulan::KenaikanPangkat, Some("101"), &[(&nip, &nama)], 0);
    let hash = simpan(&replica, &usulan);

    // Stored in the scope of its pegawai, with its one change in the outbox.
    let reader = replica.reader().unwrap();
    let (kind, scope, rowid): (String, Option<String>, i64) = reader
        .query_row("SELECT kind, scope, rowid FROM document WHERE id = ?1", [id.as_bytes().as_slice()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!((kind.as_str(), scope.as_deref()), ("usulan", Some("instansi:SELATAN")));
    let outbox: Vec<Vec<u8>> = reader
        .prepare("SELECT change_hash FROM outbox WHERE document_rowid = ?1")
        .unwrap()
        .query_map([rowid], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(outbox, [hash.0.to_vec()]);
    drop(reader);

    // The push offers it as the first change of an usulan record (the hub creates the document from it).
    let mut sync = ReplicaSync::new(&replica, || T0_MS);
    let pending = sync.pending(1 << 20).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].doc, pending[0].record), (*id.as_bytes(), RecordKind::Usulan));
    assert_eq!(sync::change_hash_of(&pending[0].change.0).unwrap(), hash);

    // Listed, and read back as it was written.
    let rows = semua(&replica, FilterUsulan::default());
    let expected = UsulanBaris {
        rowid,
        id: id.to_string(),
        usulan: UsulanRow {
            jenis: "kenaikan_pangkat".into(),
            sub_jenis: Some("101".into()),
            status: "draft".into(),
            konflik: false,
            jumlah_bts: 0,
            nip: Some(nip.clone()),
            nama: Some(nama),
            jumlah_pegawai: 1,
            dibuat_at: 1_796_004_000_000,
            updated_at: 1_796_004_000_000,
        },
    };
    assert_eq!(rows, std::slice::from_ref(&expected));
    let reader = replica.reader().unwrap();
    assert_eq!(baris(&reader, id).unwrap(), Some(expected));
    assert_eq!(lihat(&reader, id).unwrap(), Some(usulan));
    assert_eq!(lihat(&reader, Uuid::now_v7()).unwrap(), None);
    // A pegawai document is not an usulan.
    let pegawai_id: Vec<u8> =
        reader.query_row("SELECT id FROM document WHERE kind = 'pegawai' LIMIT 1", [], |row| row.get(0)).unwrap();
    assert_eq!(lihat(&reader, Uuid::from_slice(&pegawai_id).unwrap()).unwrap(), None);
}

#[test]
fn a_new_document_takes_the_replicas_only_feed_scope_when_its_pegawai_is_not_here() {
    let dir = TempDir::new("usulan-scope");
    let replica = open(&dir);
    // Nothing to go by: no scope.
    let first = usulan_baru(Uuid::now_v7(), JenisUsulan::PencantumanGelar, None, &[("199001012015031001", "Ani")], 0);
    simpan(&replica, &first);
    replica
        .write(|tx| {
            store::sync_state::set_cursor(tx, "instansi:UTARA", store::sync_state::FeedCursor { epoch: 1, seq: 5 }, 1)
        })
        .unwrap();
    let second = usulan_baru(Uuid::now_v7(), JenisUsulan::PencantumanGelar, None, &[("199001012015031001", "Ani")], 1);
    simpan(&replica, &second);
    let scopes: Vec<Option<String>> = replica
        .reader()
        .unwrap()
        .prepare("SELECT scope FROM document ORDER BY rowid")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(scopes, [None, Some("instansi:UTARA".to_owned())]);
}

/// Four usulan: a KP for Ahmad (draft), a kolektif KP for Budi, Rina and Dedi (BTS), a peremajaan data for Rina
/// (diajukan), a pemberhentian for Eko (draft). Returns their ids in that order.
fn four_usulan(replica: &Replica) -> [Uuid; 4] {
    let ids = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
    let ahmad = usulan_baru(ids[0], JenisUsulan::KenaikanPangkat, Some("101"), &[("198303032011011003", "Ahmad")], 0);
    let mut kolektif = usulan_baru(
        ids[1],
        JenisUsulan::KenaikanPangkat,
        Some("101"),
        &[("198404042012012004", "Budi"), ("198505052013011005", "Rina"), ("198606062014011006", "Dedi")],
        10,
    );
    tambah(&mut kolektif, AksiUsulan::Diajukan, OPERATOR, 20, None);
    tambah(&mut kolektif, AksiUsulan::Bts, VERIFIKATOR, 30, Some("1"));
    let mut rina = usulan_baru(ids[2], JenisUsulan::PeremajaanData, None, &[("198505052013011005", "Rina")], 40);
    tambah(&mut rina, AksiUsulan::Diajukan, OPERATOR, 50, None);
    let eko = usulan_baru(ids[3], JenisUsulan::Pemberhentian, Some("2"), &[("198707072015011007", "Eko")], 60);
    for usulan in [&ahmad, &kolektif, &rina, &eko] {
        simpan(replica, usulan);
    }
    ids
}

#[test]
fn the_list_filters_by_jenis_status_period_and_any_nip_of_a_kolektif_usulan() {
    let dir = TempDir::new("usulan-filter");
    let replica = open(&dir);
    let [ahmad, kolektif, rina, eko] = four_usulan(&replica).map(|id| id.to_string());

    let all = semua(&replica, FilterUsulan::default());
    let summary: Vec<(&str, &str, &str, i64, i64, i64, i64)> = all
        .iter()
        .map(|row| {
            let name = if row.id == ahmad {
                "ahmad"
            } else if row.id == kolektif {
                "kolektif"
            } else if row.id == rina {
                "rina"
            } else {
                "eko"
            };
            (
                name,
                row.usulan.jenis.as_str(),
                row.usulan.status.as_str(),
                row.usulan.jumlah_bts,
                row.usulan.jumlah_pegawai,
                row.usulan.dibuat_at,
                row.usulan.updated_at,
            )
        })
        .collect();
    let minute = 60_000;
    assert_eq!(
        summary,
        [
            ("eko", "pemberhentian", "draft", 0, 1, T0_MS + 60 * minute, T0_MS + 60 * minute),
            ("rina", "peremajaan_data", "diajukan", 0, 1, T0_MS + 40 * minute, T0_MS + 50 * minute),
            ("kolektif", "kenaikan_pangkat", "bts", 1, 3, T0_MS + 10 * minute, T0_MS + 30 * minute),
            ("ahmad", "kenaikan_pangkat", "draft", 0, 1, T0_MS, T0_MS),
        ]
    );
    let kolektif_row = all.iter().find(|row| row.id == kolektif).unwrap();
    assert_eq!(
        (kolektif_row.usulan.nip.as_deref(), kolektif_row.usulan.nama.as_deref()),
        (Some("198404042012012004"), Some("Budi"))
    );

    let kp = FilterUsulan { jenis: Some("kenaikan_pangkat".into()), ..FilterUsulan::default() };
    assert_eq!(ids(&semua(&replica, kp.clone())), [kolektif.clone(), ahmad.clone()]);
    let draft = FilterUsulan { status: Some("draft".into()), ..FilterUsulan::default() };
    assert_eq!(ids(&semua(&replica, draft)), [eko.clone(), ahmad.clone()]);
    let kp_draft = FilterUsulan { status: Some("draft".into()), ..kp.clone() };
    assert_eq!(ids(&semua(&replica, kp_draft)), std::slice::from_ref(&ahmad));
    // Rina is the second pegawai of the kolektif usulan and the only one of hers.
    let rina_nip = FilterUsulan { nip: Some("198505052013011005".into()), ..FilterUsulan::default() };
    assert_eq!(ids(&semua(&replica, rina_nip.clone())), [rina.clone(), kolektif.clone()]);
    let dedi = FilterUsulan { nip: Some("198606062014011006".into()), ..FilterUsulan::default() };
    assert_eq!(ids(&semua(&replica, dedi)), std::slice::from_ref(&kolektif));
    let prefix = FilterUsulan { nip: Some("1985050520".into()), ..FilterUsulan::default() };
    assert!(semua(&replica, prefix).is_empty(), "a NIP filter is exact");
    // Created in [T0 + 10 min, T0 + 60 min): the kolektif usulan and Rina's; Eko's was created at the bound.
    let period = FilterUsulan {
        dari_ms: Some(T0_MS + 10 * minute),
        sampai_ms: Some(T0_MS + 60 * minute),
        ..FilterUsulan::default()
    };
    assert_eq!(ids(&semua(&replica, period.clone())), [rina.clone(), kolektif.clone()]);

    // Counts per status in workflow order, under the other filters (the status filter is ignored).
    let reader = replica.reader().unwrap();
    let per_status = |filter: &FilterUsulan| jumlah_per_status(&reader, filter).unwrap();
    let owned = |counts: &[(&str, i64)]| counts.iter().map(|(kode, n)| ((*kode).to_owned(), *n)).collect::<Vec<_>>();
    assert_eq!(per_status(&FilterUsulan::default()), owned(&[("draft", 2), ("diajukan", 1), ("bts", 1)]));
    assert_eq!(per_status(&FilterUsulan { status: Some("bts".into()), ..kp }), owned(&[("draft", 1), ("bts", 1)]));
    assert_eq!(per_status(&rina_nip), owned(&[("diajukan", 1), ("bts", 1)]));
    assert_eq!(per_status(&period), owned(&[("diajukan", 1), ("bts", 1)]));
    assert_eq!(daftar(&reader, &FilterUsulan::default()).unwrap(), [], "limit 0: no rows");
}

#[test]
fn keyset_pages_are_disjoint_and_complete() {
    let dir = TempDir::new("usulan-halaman");
    let replica = open(&dir);
    // Eleven usulan; their latest events fall on four distinct minutes, so pages cut through equal times.
    for n in 0..11 {
        let nip = format!("1990010120150310{n:02}");
        let usulan =
            usulan_baru(Uuid::now_v7(), JenisUsulan::KenaikanPangkat, Some("101"), &[(&nip, "Pegawai")], n % 4);
        simpan(&replica, &usulan);
    }
    let all = semua(&replica, FilterUsulan::default());
    assert_eq!(all.len(), 11);
    let keys: Vec<(i64, i64)> = all.iter().map(|row| (row.usulan.updated_at, row.rowid)).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted, "newest first, then by row id");

    for limit in [1, 3, 4, 11, 20] {
        let reader = replica.reader().unwrap();
        let mut paged = Vec::new();
        let mut setelah: Option<KursorUsulan> = None;
        loop {
            let page = daftar(&reader, &FilterUsulan { setelah, limit, ..FilterUsulan::default() }).unwrap();
            assert!(page.len() <= limit);
            let last = page.len() < limit;
            setelah = page.last().map(UsulanBaris::kursor);
            paged.extend(page);
            if last {
                break;
            }
        }
        assert_eq!(paged, all, "pages of {limit}");
    }
}

#[test]
fn appending_events_updates_the_status_and_a_concurrent_decision_shows_as_konflik() {
    let dir = TempDir::new("usulan-ubah");
    let replica = open(&dir);
    let id = Uuid::now_v7();
    let mut usulan = usulan_baru(id, JenisUsulan::KenaikanPangkat, Some("101"), &[("198303032011011003", "Ahmad")], 0);
    simpan(&replica, &usulan);

    // The operator submits; the verifikator returns it as BTS.
    for (aksi, oleh, minutes, alasan) in
        [(AksiUsulan::Diajukan, OPERATOR, 5, None), (AksiUsulan::Bts, VERIFIKATOR, 65, Some("1"))]
    {
        let event = alur::event_baru(&usulan, masukan(aksi, oleh, minutes, alasan)).unwrap();
        usulan.riwayat_status.push(event.clone());
        let changed = edit_document(&replica, id, T0_MS + minutes * 60_000, "ubah status", |value| {
            value["riwayat_status"].as_array_mut().unwrap().push(serde_json::to_value(&event).unwrap());
        })
        .unwrap();
        assert!(changed.is_some());
    }
    let row = baris(&replica.reader().unwrap(), id).unwrap().unwrap();
    assert_eq!((row.usulan.status.as_str(), row.usulan.konflik, row.usulan.jumlah_bts), ("bts", false, 1));
    assert_eq!((row.usulan.dibuat_at, row.usulan.updated_at), (T0_MS, at(65).1));
    assert_eq!(lihat(&replica.reader().unwrap(), id).unwrap().as_ref(), Some(&usulan));
    assert_eq!(count(&replica, "SELECT count(*) FROM outbox"), 3, "the creation and two edits");
    // The same log again changes nothing and writes nothing.
    assert_eq!(edit_document(&replica, id, T0_MS, "tidak berubah", |_| {}).unwrap(), None);
    assert_eq!(count(&replica, "SELECT count(*) FROM outbox"), 3);

    // Resubmitted; then two verifikators decide without seeing each other: both events name the resubmission.
    tambah(&mut usulan, AksiUsulan::Diajukan, OPERATOR, 70, None);
    let setuju = alur::event_baru(&usulan, masukan(AksiUsulan::Diverifikasi, VERIFIKATOR, 80, None)).unwrap();
    let tolak = alur::event_baru(&usulan, masukan(AksiUsulan::Tms, "197909092004121003", 81, Some("2"))).unwrap();
    assert_eq!(setuju.induk, tolak.induk);
    let events: Vec<UsulanEvent> = usulan.riwayat_status[usulan.riwayat_status.len() - 1..].to_vec();
    edit_document(&replica, id, at(81).1, "dua keputusan", |value| {
        let log = value["riwayat_status"].as_array_mut().unwrap();
        for event in events.iter().chain([&setuju, &tolak]) {
            log.push(serde_json::to_value(event).unwrap());
        }
    })
    .unwrap();
    let row = baris(&replica.reader().unwrap(), id).unwrap().unwrap();
    assert_eq!(
        (row.usulan.status.as_str(), row.usulan.konflik, row.usulan.jumlah_bts, row.usulan.updated_at),
        ("konflik", true, 1, at(81).1)
    );
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn a_rebuild_derives_the_same_rows_and_check_names_a_changed_nip_list() {
    let dir = TempDir::new("usulan-bangun");
    let replica = open(&dir);
    let [_, kolektif, ..] = four_usulan(&replica);
    let before = semua(&replica, FilterUsulan::default());
    let nips_before = count(&replica, "SELECT count(*) FROM usulan_pegawai");
    assert_eq!(nips_before, 6);
    assert!(integrity::check(&replica).unwrap().is_healthy());

    let rowid = baris(&replica.reader().unwrap(), kolektif).unwrap().unwrap().rowid;
    replica
        .write(|tx| {
            tx.execute("DELETE FROM usulan_pegawai WHERE usulan_rowid = ?1 AND nip = '198606062014011006'", [rowid])?;
            tx.execute("UPDATE usulan SET konflik = 1 WHERE document_rowid = ?1", [rowid])?;
            Ok(())
        })
        .unwrap();
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches.len(), 1, "{report:?}");
    assert_eq!((report.mismatches[0].document_rowid, report.mismatches[0].nip.as_str()), (rowid, "198404042012012004"));
    assert_eq!(report.mismatches[0].fields, ["usulan", "usulan_pegawai"]);

    projection::rebuild_projections(&replica, 2, &mut |_| {}).unwrap();
    assert_eq!(semua(&replica, FilterUsulan::default()), before);
    assert_eq!(count(&replica, "SELECT count(*) FROM usulan_pegawai"), nips_before);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn a_value_that_is_not_an_usulan_is_refused_and_nothing_is_written() {
    let dir = TempDir::new("usulan-tolak");
    let replica = open(&dir);
    let id = Uuid::now_v7();
    let valid = serde_json::to_value(usulan_baru(
        id,
        JenisUsulan::KenaikanPangkat,
        Some("101"),
        &[("198303032011011003", "Ahmad")],
        0,
    ))
    .unwrap();
    let mut unknown_jenis = valid.clone();
    unknown_jenis["jenis"] = json!("mutasi_jabatan");
    let mut no_pegawai_list = valid.clone();
    no_pegawai_list.as_object_mut().unwrap().remove("pegawai");
    let mut other_id = valid.clone();
    other_id["id"] = json!(Uuid::now_v7().to_string());
    let pegawai = json!({"data_utama": {"nip": "198303032011011003", "nama": "Ahmad"}});
    for value in [unknown_jenis, no_pegawai_list, other_id, pegawai, json!("usulan"), json!({})] {
        let error = create_document(&replica, Kind::Usulan, id, &value, T0_MS, "usulan baru").unwrap_err();
        assert!(matches!(error, Error::Shape(_)), "{value}: {error:?}");
    }
    for table in ["document", "outbox", "usulan", "usulan_pegawai"] {
        assert_eq!(count(&replica, &format!("SELECT count(*) FROM {table}")), 0, "{table}");
    }

    // Once it exists, an edit that breaks it is refused the same way, and a second creation is an error.
    create_document(&replica, Kind::Usulan, id, &valid, T0_MS, "usulan baru").unwrap();
    let error = edit_document(&replica, id, T0_MS, "rusak", |value| value["jenis"] = json!(7)).unwrap_err();
    assert!(matches!(error, Error::Shape(_)), "{error:?}");
    assert!(create_document(&replica, Kind::Usulan, id, &valid, T0_MS, "lagi").is_err());
    assert_eq!(count(&replica, "SELECT count(*) FROM outbox"), 1);
    assert_eq!(semua(&replica, FilterUsulan::default())[0].usulan.jenis, "kenaikan_pangkat");
    let missing = edit_document(&replica, Uuid::now_v7(), T0_MS, "tidak ada", |_| {}).unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing:?}");
}

#[test]
fn a_version_6_replica_drops_its_old_usulan_rows_and_a_rebuild_derives_them_again() {
    let dir = TempDir::new("usulan-migrasi");
    let path = dir.0.join("replika.sqlite");
    let id = Uuid::now_v7();
    let usulan = usulan_baru(id, JenisUsulan::PencantumanGelar, None, &[("198303032011011003", "Ahmad")], 0);
    {
        // A replica at version 6 holding an usulan document and the list row version 6 derived for it.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for migration in &store::migration::MIGRATIONS[..6] {
            tx.execute_batch(migration.sql).unwrap();
        }
        tx.pragma_update(None, "user_version", 6).unwrap();
        let mut doc = sync::Document::new(sync::ActorId::random());
        doc.reconcile(&serde_json::to_value(&usulan).unwrap(), Some("usulan baru"), T0_MS).unwrap();
        let rowid = store::document::insert(&tx, id, Kind::Usulan, None, &doc, T0_MS).unwrap();
        tx.execute(
            "INSERT INTO usulan (document_rowid, jenis, sub_jenis, status, nip, nama, jumlah_pegawai, updated_at) \
             VALUES (?1, 'pencantuman_gelar', NULL, 'dibuat', '198303032011011003', 'Ahmad', 1, ?2)",
            rusqlite::params![rowid, T0_MS],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let replica = open(&dir);
    assert!(semua(&replica, FilterUsulan::default()).is_empty());
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches.iter().map(|m| m.fields.clone()).collect::<Vec<_>>(), [["usulan", "usulan_pegawai"]]);
    projection::rebuild_projections(&replica, 10, &mut |_| {}).unwrap();
    let rows = semua(&replica, FilterUsulan::default());
    assert_eq!(
        rows.iter().map(|row| (row.id.clone(), row.usulan.status.as_str())).collect::<Vec<_>>(),
        [(id.to_string(), "draft")]
    );
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

/// One feed batch of scope `instansi:UJI` at `seq`: the raw `changes` of usulan `id`, whose heads are then `doc`'s.
fn feed(seq: u64, id: Uuid, changes: Vec<Vec<u8>>, doc: &sync::Document) -> FeedBatch {
    FeedBatch {
        v: 1,
        scope: "instansi:UJI".into(),
        items: vec![FeedItem {
            seq,
            doc: *id.as_bytes(),
            record: RecordKind::Usulan,
            body: FeedBody::Changes { changes: changes.into_iter().map(Bytes).collect() },
            heads_after: doc.heads().iter().map(|head| head.0).collect(),
        }],
        next_cursor: Cursor { epoch: 1, seq }.encode(),
        up_to_date: true,
        server_time_ms: 0,
    }
}

#[test]
fn usulan_from_the_feed_are_listed_and_a_feed_change_moves_a_local_one() {
    let dir = TempDir::new("usulan-feed");
    let replica = open(&dir);
    let other_device = sync::ActorId::from(vec![0xCD; 16]);

    // Made on another device; its first change arrives through the feed.
    let theirs_id = Uuid::now_v7();
    let theirs = usulan_baru(theirs_id, JenisUsulan::PindahInstansi, None, &[("198909092016011009", "Fajar")], 0);
    let mut remote = sync::Document::new(other_device.clone());
    remote.reconcile_from(&theirs, Some("usulan baru"), T0_MS).unwrap();
    let changes = remote.changes_since(&[]);
    ReplicaSync::new(&replica, || T0_MS).apply_feed("instansi:UJI", &feed(1, theirs_id, changes, &remote)).unwrap();
    let row = baris(&replica.reader().unwrap(), theirs_id).unwrap().unwrap();
    assert_eq!(
        (row.usulan.jenis.as_str(), row.usulan.status.as_str(), row.usulan.nip.as_deref()),
        ("pindah_instansi", "draft", Some("198909092016011009"))
    );

    // Made here; the other device submits it, and the feed brings that change.
    let id = Uuid::now_v7();
    let mut usulan = usulan_baru(id, JenisUsulan::KenaikanPangkat, Some("101"), &[("198303032011011003", "Ahmad")], 10);
    simpan(&replica, &usulan);
    let rowid = baris(&replica.reader().unwrap(), id).unwrap().unwrap().rowid;
    let (_, mut copy) = store::document::load(&replica.reader().unwrap(), rowid).unwrap();
    copy.set_actor(other_device);
    let before = copy.heads();
    tambah(&mut usulan, AksiUsulan::Diajukan, OPERATOR, 20, None);
    copy.reconcile_from(&usulan, Some("ajukan"), at(20).1).unwrap().unwrap();
    let changes = copy.changes_since(&before);
    ReplicaSync::new(&replica, || T0_MS).apply_feed("instansi:UJI", &feed(2, id, changes, &copy)).unwrap();
    let row = baris(&replica.reader().unwrap(), id).unwrap().unwrap();
    assert_eq!((row.usulan.status.as_str(), row.usulan.updated_at), ("diajukan", at(20).1));
    assert_eq!(lihat(&replica.reader().unwrap(), id).unwrap(), Some(usulan));
    assert!(integrity::check(&replica).unwrap().is_healthy());
}
