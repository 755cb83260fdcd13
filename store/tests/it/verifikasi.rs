//! Verifikasi lapangan (field visits) made on this device: a new visit goes to the outbox as a visit record and is
//! listed with its pegawai's current name and unor; the list filters by hasil, NIP, unor subtree and period, keyset
//! pages cover it exactly once, counts per hasil ignore the hasil filter, adding a photo moves the photo count, a
//! rebuild derives identical rows and `check` names a changed row; a value that is not a visit is refused without
//! writing anything; a visit made on another device is listed when the feed brings it.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use model::siasn::lists;
use model::usulan::BlobRef;
use model::verifikasi::{FotoKunjungan, HasilVerifikasi, VerifikasiLapangan};
use model::{Nip, Pegawai};
use serde_json::json;
use store::document::Kind;
use store::edit::{create_document, create_document_with_blobs, edit_document, edit_document_with_blobs};
use store::import::{ImportOptions, import_pegawai, replace_unor};
use store::projection::{self, KunjunganRow};
use store::replication::ReplicaSync;
use store::verifikasi::{FilterKunjungan, KunjunganBaris, baris, daftar, jumlah_per_hasil, lihat};
use store::{Error, Replica, integrity};
use sync::engine::Local;
use sync::wire::{Bytes, Cursor, FeedBatch, FeedBody, FeedItem, RecordKind};
use uuid::Uuid;

use crate::{TempDir, open};

/// The officer making the visits.
const PETUGAS: &str = "198001012005011001";
/// A guru of SD Negeri 1 (below Dinas Pendidikan).
const GURU: &str = "198703152010012004";
/// The head of Dinas Pendidikan.
const KADIS: &str = "197005102000031001";
/// A perawat of Dinas Kesehatan.
const PERAWAT: &str = "198502022010012002";
/// 2026-11-30T02:00:00Z (09:00 WIB), the first visit of the tests.
const T0_MS: i64 = 1_796_004_000_000;

/// RFC 3339 text of `minutes` after [`T0_MS`], and its unix milliseconds.
fn at(minutes: i64) -> (String, i64) {
    let time = DateTime::<Utc>::from_timestamp_millis(T0_MS).unwrap() + Duration::minutes(minutes);
    (time.to_rfc3339_opts(SecondsFormat::Secs, true), time.timestamp_millis())
}

/// A pegawai with a NIP, a name and a unor (id and the name the record carries).
fn pegawai(nip: &str, nama: &str, unor_id: &str, unor_nama: &str) -> Pegawai {
    Pegawai {
        data_utama: model::DataUtama {
            nip: Nip::clean(nip),
            nama: nama.into(),
            unor_id: Some(unor_id.into()),
            unor_nama: Some(unor_nama.into()),
            ..model::DataUtama::default()
        },
        ..Pegawai::default()
    }
}

/// A ref-unor tree from (id, parent id, name).
fn tree(units: &[(&str, Option<&str>, &str)]) -> Vec<lists::Unor> {
    let data: Vec<serde_json::Value> =
        units.iter().map(|(id, parent, nama)| json!({"Id": id, "DiatasanId": parent, "NamaUnor": nama})).collect();
    let mut warnings = Vec::new();
    lists::decode_ref_unor(&json!({"code": 1, "data": data}).to_string(), &mut warnings)
}

/// A replica with the unor tree ROOT > DIK > SD1 and ROOT > KES, and three pegawai in it.
fn kabupaten(name: &str) -> (TempDir, Replica) {
    let dir = TempDir::new(name);
    let replica = open(&dir);
    replace_unor(
        &replica,
        tree(&[
            ("ROOT", None, "PEMERINTAH KABUPATEN UJI"),
            ("DIK", Some("ROOT"), "DINAS PENDIDIKAN"),
            ("SD1", Some("DIK"), "SD NEGERI 1"),
            ("KES", Some("ROOT"), "DINAS KESEHATAN"),
        ]),
    )
    .unwrap();
    let options = ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:UJI".into()),
        now_ms: T0_MS,
        batch: 100,
        message: "impor uji".into(),
        threads: 1,
    };
    let pegawai = vec![
        pegawai(GURU, "SITI AMINAH", "SD1", "SD NEGERI 1"),
        pegawai(KADIS, "CITRA PIMPINAN", "DIK", "DINAS PENDIDIKAN"),
        pegawai(PERAWAT, "BUDI PERAWAT", "KES", "DINAS KESEHATAN"),
    ];
    import_pegawai(&replica, pegawai, &options, &mut |_| {}).unwrap();
    (dir, replica)
}

/// A photo reference of `size` bytes whose hash is made of `digit`.
fn foto(digit: char, size: u64) -> FotoKunjungan {
    FotoKunjungan::baru(BlobRef {
        sha256: std::iter::repeat_n(digit, 64).collect(),
        size,
        mime: "image/jpeg".into(),
        name: format!("foto-{digit}.jpg"),
    })
}

/// A visit to `nip` with `hasil` at `minutes`, with `photos` photos.
fn kunjungan(
    nip: &str,
    hasil: HasilVerifikasi,
    minutes: i64,
    catatan: Option<&str>,
    photos: usize,
) -> VerifikasiLapangan {
    VerifikasiLapangan {
        id: Uuid::now_v7().to_string(),
        nip: Nip::clean(nip),
        hasil,
        catatan: catatan.map(str::to_owned),
        foto: ['a', 'b', 'c'].into_iter().take(photos).map(|digit| foto(digit, 150_000)).collect(),
        petugas: Nip::clean(PETUGAS),
        waktu: at(minutes).0,
    }
}

/// Stores `visit` as a new document made on this device.
fn simpan(replica: &Replica, visit: &VerifikasiLapangan) -> Uuid {
    let id: Uuid = visit.id.parse().unwrap();
    let value = serde_json::to_value(visit).unwrap();
    create_document(replica, Kind::VerifikasiLapangan, id, &value, T0_MS, "verifikasi lapangan dicatat").unwrap();
    id
}

fn semua(replica: &Replica, filter: FilterKunjungan) -> Vec<KunjunganBaris> {
    daftar(&replica.reader().unwrap(), &FilterKunjungan { limit: 1_000, ..filter }).unwrap()
}

fn nips(rows: &[KunjunganBaris]) -> Vec<&str> {
    rows.iter().map(|row| row.kunjungan.nip.as_str()).collect()
}

fn count(replica: &Replica, sql: &str) -> i64 {
    replica.reader().unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

/// Five visits: the guru twice (not found at 09:00, found at 10:00 the next day), the kadis (moved), the perawat
/// (deceased), and a NIP the replica does not hold (lainnya).
fn five_visits(replica: &Replica) -> Vec<Uuid> {
    vec![
        simpan(replica, &kunjungan(GURU, HasilVerifikasi::TidakDitemukan, 0, Some("Rumah kosong"), 1)),
        simpan(replica, &kunjungan(KADIS, HasilVerifikasi::Pindah, 30, None, 0)),
        simpan(replica, &kunjungan(PERAWAT, HasilVerifikasi::Meninggal, 90, Some("Akta kematian difoto"), 2)),
        simpan(replica, &kunjungan(GURU, HasilVerifikasi::Ditemukan, 24 * 60 + 60, None, 3)),
        simpan(replica, &kunjungan("199901012024011001", HasilVerifikasi::Lainnya, 24 * 60 + 90, Some("NIP ganda"), 0)),
    ]
}

#[test]
fn a_new_visit_is_queued_for_the_push_and_listed_with_its_pegawai_as_the_replica_holds_it() {
    let (_dir, replica) = kabupaten("kunjungan-baru");
    let visit = kunjungan(GURU, HasilVerifikasi::TidakDitemukan, 0, Some("Rumah kosong, kata tetangga pindah"), 2);
    let id = simpan(&replica, &visit);

    // Stored in the scope of its pegawai, with its one change in the outbox, offered to the push as a visit.
    let reader = replica.reader().unwrap();
    let (kind, scope, rowid): (String, Option<String>, i64) = reader
        .query_row("SELECT kind, scope, rowid FROM document WHERE id = ?1", [id.as_bytes().as_slice()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!((kind.as_str(), scope.as_deref()), ("verifikasi_lapangan", Some("instansi:UJI")));
    drop(reader);
    let mut sync = ReplicaSync::new(&replica, || T0_MS);
    let pending = sync.pending(1 << 20).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].doc, pending[0].record), (*id.as_bytes(), RecordKind::VerifikasiLapangan));

    let expected = KunjunganBaris {
        rowid,
        id: id.to_string(),
        kunjungan: KunjunganRow {
            nip: GURU.into(),
            hasil: "tidak_ditemukan".into(),
            catatan: Some("Rumah kosong, kata tetangga pindah".into()),
            petugas: PETUGAS.into(),
            waktu_ms: T0_MS,
            jumlah_foto: 2,
        },
        nama: Some("SITI AMINAH".into()),
        unor_id: Some("SD1".into()),
        unor_nama: Some("SD NEGERI 1".into()),
    };
    assert_eq!(semua(&replica, FilterKunjungan::default()), std::slice::from_ref(&expected));
    let reader = replica.reader().unwrap();
    assert_eq!(baris(&reader, id).unwrap(), Some(expected));
    assert_eq!(lihat(&reader, id).unwrap(), Some(visit.clone()));
    assert_eq!(lihat(&reader, Uuid::now_v7()).unwrap(), None);
    assert_eq!(baris(&reader, Uuid::now_v7()).unwrap(), None);
    // A pegawai document is not a visit.
    let pegawai_id: Vec<u8> =
        reader.query_row("SELECT id FROM document WHERE kind = 'pegawai' LIMIT 1", [], |row| row.get(0)).unwrap();
    assert_eq!(lihat(&reader, Uuid::from_slice(&pegawai_id).unwrap()).unwrap(), None);
    drop(reader);

    // A third photo, added later through the shared edit path, moves the count.
    let third = serde_json::to_value(foto('d', 90_000)).unwrap();
    edit_document(&replica, id, T0_MS + 1, "foto ditambahkan", |value| {
        value["foto"].as_array_mut().unwrap().push(third);
    })
    .unwrap()
    .unwrap();
    let row = baris(&replica.reader().unwrap(), id).unwrap().unwrap();
    assert_eq!(row.kunjungan.jumlah_foto, 3);
    assert_eq!(count(&replica, "SELECT count(*) FROM outbox"), 2);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn the_list_filters_by_hasil_nip_unor_subtree_and_period_and_counts_per_hasil() {
    let (_dir, replica) = kabupaten("kunjungan-saring");
    five_visits(&replica);

    // Newest first; the unknown NIP is listed without a name.
    let rows = semua(&replica, FilterKunjungan::default());
    assert_eq!(nips(&rows), ["199901012024011001", GURU, PERAWAT, KADIS, GURU]);
    assert_eq!((rows[0].nama.as_deref(), rows[0].unor_nama.as_deref()), (None, None));

    let only =
        |filter: FilterKunjungan| nips(&semua(&replica, filter)).into_iter().map(str::to_owned).collect::<Vec<_>>();
    let text = |value: &str| Some(value.to_owned());
    assert_eq!(only(FilterKunjungan { hasil: text("meninggal"), ..Default::default() }), [PERAWAT]);
    assert_eq!(only(FilterKunjungan { hasil: text("ditemukan"), ..Default::default() }), [GURU]);
    assert_eq!(only(FilterKunjungan { nip: text(GURU), ..Default::default() }), [GURU, GURU]);
    // The unor filter takes the unit and everything below it.
    assert_eq!(only(FilterKunjungan { unor: text("DIK"), ..Default::default() }), [GURU, KADIS, GURU]);
    assert_eq!(only(FilterKunjungan { unor: text("SD1"), ..Default::default() }), [GURU, GURU]);
    assert_eq!(only(FilterKunjungan { unor: text("ROOT"), ..Default::default() }).len(), 4);
    assert!(only(FilterKunjungan { unor: text("TIDAK-ADA"), ..Default::default() }).is_empty());
    // The first day: [T0 - 2 h, T0 + 22 h).
    let day =
        FilterKunjungan { dari_ms: Some(T0_MS - 7_200_000), sampai_ms: Some(T0_MS + 79_200_000), ..Default::default() };
    assert_eq!(only(day.clone()), [PERAWAT, KADIS, GURU]);
    // The bound is exclusive at the end and inclusive at the start.
    assert_eq!(
        only(FilterKunjungan { dari_ms: Some(at(90).1), sampai_ms: Some(at(90).1 + 1), ..Default::default() }),
        [PERAWAT]
    );
    assert_eq!(only(FilterKunjungan { unor: text("DIK"), hasil: text("tidak_ditemukan"), ..day.clone() }), [GURU]);

    // Counts per hasil follow the other filters and ignore the hasil itself.
    let reader = replica.reader().unwrap();
    let counts = jumlah_per_hasil(&reader, &FilterKunjungan { hasil: text("meninggal"), ..day }).unwrap();
    assert_eq!(counts, [("meninggal".to_owned(), 1), ("pindah".to_owned(), 1), ("tidak_ditemukan".to_owned(), 1)]);
    let all = jumlah_per_hasil(&reader, &FilterKunjungan::default()).unwrap();
    assert_eq!(all.iter().map(|(_, count)| count).sum::<i64>(), 5);
}

#[test]
fn keyset_pages_are_disjoint_and_complete() {
    let (_dir, replica) = kabupaten("kunjungan-halaman");
    let mut made = five_visits(&replica);
    // Two more at the very same minute as the first: the row id breaks the tie.
    made.push(simpan(&replica, &kunjungan(KADIS, HasilVerifikasi::Ditemukan, 0, None, 0)));
    made.push(simpan(&replica, &kunjungan(PERAWAT, HasilVerifikasi::Ditemukan, 0, None, 0)));
    let all = semua(&replica, FilterKunjungan::default());
    assert_eq!(all.len(), 7);
    for size in 1..=4 {
        let mut seen = Vec::new();
        let mut setelah = None;
        loop {
            let page =
                daftar(&replica.reader().unwrap(), &FilterKunjungan { setelah, limit: size, ..Default::default() })
                    .unwrap();
            seen.extend(page.iter().map(|row| row.id.clone()));
            match page.last() {
                Some(last) if page.len() == size => setelah = Some(last.kursor()),
                _ => break,
            }
        }
        assert_eq!(seen, all.iter().map(|row| row.id.clone()).collect::<Vec<_>>(), "page size {size}");
    }
    made.sort();
    let mut listed: Vec<Uuid> = all.iter().map(|row| row.id.parse().unwrap()).collect();
    listed.sort();
    assert_eq!(listed, made);
}

#[test]
fn a_rebuild_derives_identical_rows_and_check_names_a_changed_row() {
    let (_dir, replica) = kabupaten("kunjungan-bangun");
    let ids = five_visits(&replica);
    let before = semua(&replica, FilterKunjungan::default());
    assert!(integrity::check(&replica).unwrap().is_healthy());

    let rowid = baris(&replica.reader().unwrap(), ids[2]).unwrap().unwrap().rowid;
    replica
        .write(|tx| {
            tx.execute("UPDATE verifikasi_lapangan SET hasil = 'ditemukan' WHERE document_rowid = ?1", [rowid])?;
            tx.execute(
                "DELETE FROM verifikasi_lapangan WHERE document_rowid <> ?1 AND nip = ?2",
                [&rowid.to_string(), KADIS],
            )?;
            Ok(())
        })
        .unwrap();
    let report = integrity::check(&replica).unwrap();
    let named: Vec<(&str, Vec<String>)> =
        report.mismatches.iter().map(|mismatch| (mismatch.nip.as_str(), mismatch.fields.clone())).collect();
    assert_eq!(
        named,
        [(KADIS, vec!["verifikasi_lapangan".to_owned()]), (PERAWAT, vec!["verifikasi_lapangan".to_owned()])]
    );

    projection::rebuild_projections(&replica, 2, &mut |_| {}).unwrap();
    assert_eq!(semua(&replica, FilterKunjungan::default()), before);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}

#[test]
fn a_value_that_is_not_a_visit_is_refused_and_nothing_is_written() {
    let (_dir, replica) = kabupaten("kunjungan-tolak");
    let visit = kunjungan(GURU, HasilVerifikasi::Ditemukan, 0, None, 1);
    let id: Uuid = visit.id.parse().unwrap();
    let valid = serde_json::to_value(&visit).unwrap();
    let mut unknown_hasil = valid.clone();
    unknown_hasil["hasil"] = json!("hilang");
    let mut no_petugas = valid.clone();
    no_petugas.as_object_mut().unwrap().remove("petugas");
    let mut other_id = valid.clone();
    other_id["id"] = json!(Uuid::now_v7().to_string());
    for value in [unknown_hasil, no_petugas, other_id, json!({})] {
        let error = create_document(&replica, Kind::VerifikasiLapangan, id, &value, T0_MS, "baru").unwrap_err();
        assert!(matches!(error, Error::Shape(_)), "{value}: {error:?}");
    }
    assert_eq!(count(&replica, "SELECT count(*) FROM document WHERE kind = 'verifikasi_lapangan'"), 0);
    assert_eq!(count(&replica, "SELECT count(*) FROM outbox"), 0);
    assert_eq!(count(&replica, "SELECT count(*) FROM verifikasi_lapangan"), 0);

    // Once it exists, an edit that breaks it is refused the same way.
    simpan(&replica, &visit);
    let error = edit_document(&replica, id, T0_MS, "rusak", |value| value["hasil"] = json!(3)).unwrap_err();
    assert!(matches!(error, Error::Shape(_)), "{error:?}");
    assert_eq!(baris(&replica.reader().unwrap(), id).unwrap().unwrap().kunjungan.hasil, "ditemukan");
}

#[test]
fn photo_blobs_are_stored_with_the_change_or_not_at_all() {
    let (_dir, replica) = kabupaten("kunjungan-blob");
    let blobs = || count(&replica, "SELECT count(*) FROM blob");
    let isi = b"\xFF\xD8\xFF foto rumah".to_vec();
    let visit = kunjungan(GURU, HasilVerifikasi::Ditemukan, 0, None, 0);
    let id: Uuid = visit.id.parse().unwrap();
    // A document refused (another id than the one named): the photo is not stored either.
    let mut other_id = serde_json::to_value(&visit).unwrap();
    other_id["id"] = json!(Uuid::now_v7().to_string());
    let error = create_document_with_blobs(
        &replica,
        Kind::VerifikasiLapangan,
        id,
        &other_id,
        T0_MS,
        "baru",
        &[(&isi, "image/jpeg")],
    )
    .unwrap_err();
    assert!(matches!(error, Error::Shape(_)), "{error:?}");
    assert_eq!(blobs(), 0);
    // Stored with the visit: queued for upload.
    let value = serde_json::to_value(&visit).unwrap();
    create_document_with_blobs(&replica, Kind::VerifikasiLapangan, id, &value, T0_MS, "baru", &[(&isi, "image/jpeg")])
        .unwrap();
    assert_eq!(count(&replica, "SELECT count(*) FROM blob WHERE state = 'queued_upload'"), 1);
    // An edit refused, or one that changes nothing: the new photo is not stored.
    let lain = b"\xFF\xD8\xFF foto surat".to_vec();
    let error = edit_document_with_blobs(&replica, id, T0_MS, "rusak", &[(&lain, "image/jpeg")], |value| {
        value["hasil"] = json!(3);
    })
    .unwrap_err();
    assert!(matches!(error, Error::Shape(_)), "{error:?}");
    assert_eq!(edit_document_with_blobs(&replica, id, T0_MS, "sama", &[(&lain, "image/jpeg")], |_| {}).unwrap(), None);
    assert_eq!(blobs(), 1);
    // An edit written: with its photo.
    edit_document_with_blobs(&replica, id, T0_MS, "foto", &[(&lain, "image/jpeg")], |value| {
        value["catatan"] = json!("ada foto surat");
    })
    .unwrap()
    .unwrap();
    assert_eq!(blobs(), 2);
}

#[test]
fn a_visit_from_the_feed_is_listed_and_its_photos_are_wanted() {
    let (_dir, replica) = kabupaten("kunjungan-feed");
    let visit = kunjungan(PERAWAT, HasilVerifikasi::Meninggal, 5, Some("Keluarga menunjukkan akta kematian"), 2);
    let id: Uuid = visit.id.parse().unwrap();
    let mut remote = sync::Document::new(sync::ActorId::from(vec![0xCD; 16]));
    remote.reconcile_from(&visit, Some("verifikasi lapangan dicatat"), T0_MS).unwrap();
    let batch = FeedBatch {
        v: 1,
        scope: "instansi:UJI".into(),
        items: vec![FeedItem {
            seq: 1,
            doc: *id.as_bytes(),
            record: RecordKind::VerifikasiLapangan,
            body: FeedBody::Changes { changes: remote.changes_since(&[]).into_iter().map(Bytes).collect() },
            heads_after: remote.heads().iter().map(|head| head.0).collect(),
        }],
        next_cursor: Cursor { epoch: 1, seq: 1 }.encode(),
        up_to_date: true,
        server_time_ms: 0,
    };
    ReplicaSync::new(&replica, || T0_MS).apply_feed("instansi:UJI", &batch).unwrap();
    let row = baris(&replica.reader().unwrap(), id).unwrap().unwrap();
    assert_eq!(
        (row.kunjungan.hasil.as_str(), row.kunjungan.jumlah_foto, row.nama.as_deref()),
        ("meninggal", 2, Some("BUDI PERAWAT"))
    );
    assert_eq!(lihat(&replica.reader().unwrap(), id).unwrap(), Some(visit));
    // Both photos are wanted from the hub.
    assert_eq!(count(&replica, "SELECT count(*) FROM blob WHERE state = 'queued_download'"), 2);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}
