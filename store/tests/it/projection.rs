//! Projections kept true to the documents: a replaced unor tree re-derives its pegawai, a rebuild never shows
//! readers an empty list, `check` names every pegawai whose projection differs and the field that does, the
//! uncapped search for exports, and quarantined pegawai keeping their NIP for the next import.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use model::siasn::{export, lists};
use model::{Nip, Pegawai};
use store::import::{ImportOptions, import_pegawai, replace_unor};
use store::projection::{self, Mismatch, PegawaiMatch};
use store::query::{self, Filter, Urutan};
use store::{Replica, integrity};

use crate::{TempDir, open};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn options(replica: &Replica) -> ImportOptions {
    ImportOptions {
        actor: replica.actor().clone(),
        scope: Some("instansi:test".into()),
        now_ms: 1_764_460_800_000,
        batch: 100,
        message: "impor uji".into(),
        threads: 0,
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    Some(text.parse().unwrap())
}

/// A pegawai with a NIP, a name, a birth date and a unor (id and the name the record carries).
fn pegawai(nip: &str, nama: &str, unor_id: &str, unor_nama: &str) -> Pegawai {
    Pegawai {
        data_utama: model::DataUtama {
            nip: Nip::clean(nip),
            nama: nama.into(),
            tgl_lahir: date(&format!("{}-{}-{}", &nip[..4], &nip[4..6], &nip[6..8])),
            tmt_cpns: date("2000-03-01"),
            unor_id: Some(unor_id.into()),
            unor_nama: Some(unor_nama.into()),
            ..model::DataUtama::default()
        },
        ..Pegawai::default()
    }
}

/// A ref-unor tree from (id, parent id, name, eselon id).
fn tree(units: &[(&str, Option<&str>, &str, Option<&str>)]) -> Vec<lists::Unor> {
    let data: Vec<serde_json::Value> = units
        .iter()
        .map(|(id, parent, nama, eselon)| {
            serde_json::json!({"Id": id, "DiatasanId": parent, "NamaUnor": nama, "EselonId": eselon})
        })
        .collect();
    let mut warnings = Vec::new();
    lists::decode_ref_unor(&serde_json::json!({"code": 1, "data": data}).to_string(), &mut warnings)
}

/// (nip, unor_nama, unor_path, eselon_id, bup, tmt_pensiun) of every list row, by NIP.
type UnorColumns = (String, Option<String>, Option<String>, Option<String>, Option<i64>, Option<String>);

fn unor_columns(replica: &Replica) -> Vec<UnorColumns> {
    let reader = replica.reader().unwrap();
    let mut statement = reader
        .prepare("SELECT nip, unor_nama, unor_path, eselon_id, bup, tmt_pensiun FROM pegawai ORDER BY nip")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn nips_under(replica: &Replica, unor: &str) -> Vec<String> {
    let reader = replica.reader().unwrap();
    let filter = Filter { unor: Some(unor.into()), ..Filter::default() };
    let page = query::list(&reader, &filter, Urutan::Nip, None, 100, today()).unwrap();
    page.rows.into_iter().map(|row| row.nip).collect()
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

#[test]
fn replacing_the_unor_tree_re_derives_names_paths_eselon_facts_and_subtree_filters() {
    let dir = TempDir::new("unor-tree");
    let replica = open(&dir);
    replace_unor(
        &replica,
        tree(&[
            ("ROOT", None, "PEMERINTAH KABUPATEN UJI", None),
            ("DIK", Some("ROOT"), "DINAS PENDIDIKAN", None),
            ("SD1", Some("DIK"), "SD NEGERI 1", None),
            ("KES", Some("ROOT"), "DINAS KESEHATAN", Some("22")),
        ]),
    )
    .unwrap();
    let guru = pegawai("198001012005011001", "ANI GURU", "SD1", "SD NEGERI 1");
    let perawat = pegawai("198502022010012002", "BUDI PERAWAT", "KES", "DINAS KESEHATAN");
    // A struktural whose eselon comes from the unit he leads: BUP 58 without it, 60 once the unit is eselon II/a.
    let mut pimpinan = pegawai("197005102000031001", "CITRA PIMPINAN", "DIK", "DINAS PENDIDIKAN");
    pimpinan.data_utama.jenis_jabatan_id = Some("1".into());
    pimpinan.data_utama.jabatan_nama = Some("PIMPINAN UNIT UJI".into());
    let report = import_pegawai(&replica, vec![guru, perawat, pimpinan], &options(&replica), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, 3);
    assert_eq!(
        unor_columns(&replica),
        [
            (
                "197005102000031001".to_owned(),
                text("DINAS PENDIDIKAN"),
                text("/ROOT/DIK/"),
                None,
                Some(58),
                text("2028-06-01")
            ),
            (
                "198001012005011001".to_owned(),
                text("SD NEGERI 1"),
                text("/ROOT/DIK/SD1/"),
                None,
                Some(58),
                text("2038-02-01")
            ),
            (
                "198502022010012002".to_owned(),
                text("DINAS KESEHATAN"),
                text("/ROOT/KES/"),
                None,
                Some(58),
                text("2043-03-01")
            ),
        ]
    );
    assert_eq!(nips_under(&replica, "DIK"), ["197005102000031001", "198001012005011001"]);

    // The school is renamed and moved under the health office; the education office is renamed and becomes II/a.
    replace_unor(
        &replica,
        tree(&[
            ("ROOT", None, "PEMERINTAH KABUPATEN UJI", None),
            ("DIK", Some("ROOT"), "DINAS PENDIDIKAN DAN KEBUDAYAAN", Some("21")),
            ("KES", Some("ROOT"), "DINAS KESEHATAN", Some("22")),
            ("SD1", Some("KES"), "SD NEGERI 1 MAJU", None),
        ]),
    )
    .unwrap();
    assert_eq!(
        unor_columns(&replica),
        [
            (
                "197005102000031001".to_owned(),
                text("DINAS PENDIDIKAN DAN KEBUDAYAAN"),
                text("/ROOT/DIK/"),
                text("21"),
                Some(60),
                text("2030-06-01")
            ),
            (
                "198001012005011001".to_owned(),
                text("SD NEGERI 1 MAJU"),
                text("/ROOT/KES/SD1/"),
                None,
                Some(58),
                text("2038-02-01")
            ),
            (
                "198502022010012002".to_owned(),
                text("DINAS KESEHATAN"),
                text("/ROOT/KES/"),
                None,
                Some(58),
                text("2043-03-01")
            ),
        ]
    );
    // The list rows, the subtree filters and the search index follow the new tree.
    let reader = replica.reader().unwrap();
    let rows = query::list(&reader, &Filter::default(), Urutan::Nip, None, 10, today()).unwrap().rows;
    let names: Vec<Option<String>> = rows.into_iter().map(|row| row.unor_nama).collect();
    assert_eq!(names, [text("DINAS PENDIDIKAN DAN KEBUDAYAAN"), text("SD NEGERI 1 MAJU"), text("DINAS KESEHATAN")]);
    assert_eq!(nips_under(&replica, "KES"), ["198001012005011001", "198502022010012002"]);
    assert_eq!(nips_under(&replica, "DIK"), ["197005102000031001"]);
    assert_eq!(nips_under(&replica, "SD1"), ["198001012005011001"]);
    let hits: Vec<String> =
        query::search(&reader, "maju", 10, today()).unwrap().into_iter().map(|hit| hit.nip).collect();
    assert_eq!(hits, ["198001012005011001"]);
    let hits: Vec<String> =
        query::search(&reader, "kebudayaan", 10, today()).unwrap().into_iter().map(|hit| hit.nip).collect();
    assert_eq!(hits, ["197005102000031001"]);
    drop(reader);
    // Everything the documents derive to, IKD rows included, is what the projections hold.
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches, []);
    assert!(report.is_healthy(), "{report:?}");

    // A unit the tree no longer holds: its pegawai fall back to the record's unor name and a path of their own.
    replace_unor(
        &replica,
        tree(&[
            ("ROOT", None, "PEMERINTAH KABUPATEN UJI", None),
            ("DIK", Some("ROOT"), "DINAS PENDIDIKAN DAN KEBUDAYAAN", Some("21")),
            ("KES", Some("ROOT"), "DINAS KESEHATAN", Some("22")),
        ]),
    )
    .unwrap();
    let guru = &unor_columns(&replica)[1];
    assert_eq!((guru.1.as_deref(), guru.2.as_deref()), (Some("SD NEGERI 1"), Some("/SD1/")));
    assert_eq!(nips_under(&replica, "KES"), ["198502022010012002"]);
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

/// Generated pegawai through the real CSV decoder, with their unor tree.
fn import_generated(replica: &Replica, count: usize) -> Vec<Pegawai> {
    let config = generator::Config { pegawai: count, seed: 7, today: today(), ..generator::Config::default() };
    let kabupaten = generator::generate(&config);
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    let pegawai: Vec<Pegawai> = export::decode(&csv)
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect();
    let mut warnings = Vec::new();
    let units =
        lists::decode_ref_unor(&serde_json::json!({"code": 1, "data": kabupaten.unor}).to_string(), &mut warnings);
    replace_unor(replica, units).unwrap();
    let report = import_pegawai(replica, pegawai.clone(), &options(replica), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, count);
    pegawai
}

fn rowid_of(replica: &Replica, nip: &str) -> i64 {
    query::profil(&replica.reader().unwrap(), nip).unwrap().rowid
}

/// Makes the stored bytes of the document at `rowid` unreadable, whether it is a saved document or a seed.
fn corrupt_document(replica: &Replica, rowid: i64) {
    replica
        .write(|tx| {
            tx.execute(
                "UPDATE document SET snapshot = x'deadbeef', seed = CASE WHEN seed IS NULL THEN NULL ELSE x'7b' END \
                 WHERE rowid = ?1",
                [rowid],
            )?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_rebuild_never_shows_readers_an_empty_or_partial_list() {
    let dir = TempDir::new("rebuild-readers");
    let replica = open(&dir);
    let pegawai = import_generated(&replica, 300);
    let broken_nip = pegawai[17].data_utama.nip.to_string();
    let searched = pegawai[42].data_utama.nip.to_string();
    corrupt_document(&replica, rowid_of(&replica, &broken_nip));

    // A reader that opened its read transaction before the rebuild.
    let held = replica.reader().unwrap();
    let snapshot = held.unchecked_transaction().unwrap();
    assert_eq!(projection::counts(&snapshot).unwrap(), (300, 300, 300));
    let mut seen_during = Vec::new();
    let rebuilt = projection::rebuild_projections(&replica, 50, &mut |done| {
        // Mid-rebuild, inside the rebuild's transaction: a new reader and the held one see the whole old list.
        let reader = replica.reader().unwrap();
        let total = query::facets(&reader, &Filter::default(), today()).unwrap().total;
        let found = query::search(&reader, &searched, 5, today()).unwrap().len();
        seen_during.push((done, projection::counts(&reader).unwrap(), total, found));
        assert_eq!(projection::counts(&snapshot).unwrap(), (300, 300, 300));
    })
    .unwrap();
    assert_eq!(rebuilt.documents, 299);
    assert_eq!(rebuilt.quarantined.len(), 1);
    assert_eq!(
        seen_during,
        [50, 100, 150, 200, 250, 300].map(|done| (done, (300, 300, 300), 300, 1)),
        "every point of the rebuild shows the complete list"
    );
    // The held reader keeps its snapshot after the commit too; a new reader sees the rebuilt lists.
    assert_eq!(projection::counts(&snapshot).unwrap(), (300, 300, 300));
    drop(snapshot);
    drop(held);
    let reader = replica.reader().unwrap();
    assert_eq!(projection::counts(&reader).unwrap(), (299, 299, 299));
    assert_eq!(query::search(&reader, &searched, 5, today()).unwrap().len(), 1);
    assert!(query::search(&reader, &broken_nip, 5, today()).unwrap().is_empty());
    // The quarantined pegawai's NIP is still known, for the next import.
    let found = projection::find_pegawai(&reader, &broken_nip, None).unwrap();
    assert_eq!(found.map(|found| found.quarantined), Some(true));
    drop(reader);
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches, []);
    assert_eq!(report.pegawai, (299, 299, 299));
}

#[test]
fn check_names_each_nip_and_field_that_differs_and_a_rebuild_fixes_them() {
    let dir = TempDir::new("check-contents");
    let replica = open(&dir);
    let pegawai = import_generated(&replica, 120);
    let report = integrity::check(&replica).unwrap();
    assert!(report.is_healthy(), "{report:?}");
    assert_eq!(report.mismatches, []);

    let nip = |at: usize| pegawai[at].data_utama.nip.to_string();
    let (first, second, third) = (nip(3), nip(50), nip(99));
    let (first_rowid, second_rowid, third_rowid) =
        (rowid_of(&replica, &first), rowid_of(&replica, &second), rowid_of(&replica, &third));
    replica
        .write(|tx| {
            // One column of one row; counts stay equal, which the old count-only check could not see.
            tx.execute("UPDATE pegawai SET unor_nama = 'UNIT LAMA' WHERE document_rowid = ?1", [first_rowid])?;
            tx.execute(
                "UPDATE pegawai SET tmt_pensiun = '2099-01-01', golongan_urutan = 99 WHERE document_rowid = ?1",
                [second_rowid],
            )?;
            // The search words of the third's name: replaced with another name.
            tx.execute("DELETE FROM pegawai_nama_fts WHERE rowid = ?1", [third_rowid])?;
            tx.execute("INSERT INTO pegawai_nama_fts (rowid, nama) VALUES (?1, 'NAMA LAIN')", [third_rowid])?;
            Ok(())
        })
        .unwrap();
    // The search value of one jabatan name gone: every pegawai holding that jabatan lacks its words.
    let jabatan = pegawai[70].data_utama.jabatan_nama.clone().expect("a generated pegawai has a jabatan");
    let holders: Vec<i64> = {
        let reader = replica.reader().unwrap();
        let mut statement =
            reader.prepare("SELECT document_rowid FROM pegawai WHERE jabatan_nama = ?1 ORDER BY 1").unwrap();
        statement.query_map([&jabatan], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert!(!holders.is_empty());
    replica
        .write(|tx| {
            tx.execute("DELETE FROM search_value WHERE kind = 'jabatan' AND value = ?1", [&jabatan])?;
            Ok(())
        })
        .unwrap();
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.pegawai, (120, 120, 120));
    let mut expected: std::collections::BTreeMap<i64, Mismatch> = std::collections::BTreeMap::new();
    let mut expect = |rowid: i64, nip: String, field: &str| {
        expected
            .entry(rowid)
            .or_insert(Mismatch { document_rowid: rowid, nip, fields: vec![] })
            .fields
            .push(field.into());
    };
    expect(first_rowid, first, "unor_nama");
    expect(second_rowid, second.clone(), "golongan_urutan");
    expect(second_rowid, second, "tmt_pensiun");
    expect(third_rowid, third, "pegawai_nama_fts.nama");
    for &rowid in &holders {
        let nip = pegawai.iter().map(|one| one.data_utama.nip.to_string()).find(|nip| rowid_of(&replica, nip) == rowid);
        expect(rowid, nip.unwrap(), "search_value.jabatan");
    }
    assert_eq!(report.mismatches, expected.into_values().collect::<Vec<_>>());
    assert!(!report.is_healthy());
    assert!(!report.projections_match());

    let rebuilt = projection::rebuild_projections(&replica, 64, &mut |_| {}).unwrap();
    assert_eq!((rebuilt.documents, rebuilt.quarantined.len()), (120, 0));
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches, []);
    assert!(report.is_healthy(), "{report:?}");
}

#[test]
fn check_reports_missing_ikd_rows_and_list_rows_without_a_live_document() {
    let dir = TempDir::new("check-ikd");
    let replica = open(&dir);
    let nip = "197603012006011005";
    // No NIK, no pendidikan, no contact: the record has date-independent IKD anomalies.
    import_pegawai(&replica, vec![pegawai(nip, "ANI", "X", "UNIT X")], &options(&replica), &mut |_| {}).unwrap();
    let rowid = rowid_of(&replica, nip);
    let anomalies: i64 = replica
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM ikd_anomali WHERE document_rowid = ?1", [rowid], |row| row.get(0))
        .unwrap();
    assert!(anomalies > 0);
    replica
        .write(|tx| {
            tx.execute("DELETE FROM ikd_anomali WHERE document_rowid = ?1", [rowid])?;
            Ok(())
        })
        .unwrap();
    let report = integrity::check(&replica).unwrap();
    assert_eq!(
        report.mismatches,
        [Mismatch { document_rowid: rowid, nip: nip.into(), fields: vec!["ikd_anomali".into()] }]
    );
    projection::rebuild_projections(&replica, 10, &mut |_| {}).unwrap();
    assert_eq!(integrity::check(&replica).unwrap().mismatches, []);
}

#[test]
fn search_all_streams_every_match_names_first() {
    let dir = TempDir::new("search-all");
    let replica = open(&dir);
    let mut guru_sd = pegawai("198101012006041001", "ADI", "X", "SD NEGERI 2");
    guru_sd.data_utama.jabatan_nama = Some("GURU KELAS".into());
    let records = vec![
        pegawai("198001012005011001", "ANI GURU", "X", "SD NEGERI 1"),
        pegawai("198202022010012002", "GURUH", "X", "DINAS KESEHATAN"),
        pegawai("198303032010012003", "BUDI", "X", "DINAS KESEHATAN"),
        guru_sd,
    ];
    import_pegawai(&replica, records, &options(&replica), &mut |_| {}).unwrap();
    let reader = replica.reader().unwrap();
    let all = |text: &str| -> Vec<String> {
        let mut found = Vec::new();
        let count = projection::search_all(&reader, text, |_, nip| -> store::Result<()> {
            found.push(nip.to_owned());
            Ok(())
        })
        .unwrap();
        assert_eq!(count, found.len());
        found
    };
    // Names with a word starting "guru" first (ANI GURU, GURUH by nama), then the jabatan match (ADI).
    assert_eq!(all("guru"), ["198001012005011001", "198202022010012002", "198101012006041001"]);
    assert_eq!(all("dinas kes"), ["198303032010012003", "198202022010012002"]);
    // A NIP prefix: the NIP range (exact first), then other words starting with those digits; a full NIP alone.
    assert_eq!(all("19820202"), ["198202022010012002"]);
    assert_eq!(all("1981"), ["198101012006041001"]);
    assert_eq!(all("198"), ["198001012005011001", "198101012006041001", "198202022010012002", "198303032010012003"]);
    assert_eq!(all("zzz"), Vec::<String>::new());
    assert_eq!(all("  "), Vec::<String>::new());
    // What the callback returns stops the search.
    let mut calls = 0;
    let stopped = projection::search_all(&reader, "guru", |_, _| {
        calls += 1;
        Err(store::Error::NotFound("berhenti".into()))
    });
    assert!(matches!(stopped, Err(store::Error::NotFound(_))));
    assert_eq!(calls, 1);
}

#[test]
fn a_quarantined_pegawai_keeps_its_identity_until_it_is_projected_again() {
    let dir = TempDir::new("quarantine-identity");
    let replica = open(&dir);
    let records =
        vec![pegawai("198001012005011001", "ANI", "X", "UNIT X"), pegawai("198202022010012002", "BUDI", "X", "UNIT X")];
    import_pegawai(&replica, records, &options(&replica), &mut |_| {}).unwrap();
    let rowid = rowid_of(&replica, "198001012005011001");
    replica.write(|tx| store::document::quarantine(tx, rowid, "uji: byte rusak")).unwrap();

    let reader = replica.reader().unwrap();
    // Out of the list and the search…
    assert_eq!(query::facets(&reader, &Filter::default(), today()).unwrap().total, 1);
    assert!(query::search(&reader, "ani", 10, today()).unwrap().is_empty());
    // …but still found by NIP for an import, flagged as quarantined.
    assert_eq!(
        projection::find_pegawai(&reader, "198001012005011001", None).unwrap(),
        Some(PegawaiMatch { document_rowid: rowid, quarantined: true })
    );
    let other = rowid_of(&replica, "198202022010012002");
    assert_eq!(
        projection::find_pegawai(&reader, "198202022010012002", None).unwrap(),
        Some(PegawaiMatch { document_rowid: other, quarantined: false })
    );
    assert_eq!(projection::find_pegawai(&reader, "199999999999999999", None).unwrap(), None);
    assert_eq!(
        projection::known_nips(&reader).unwrap(),
        BTreeSet::from(["198001012005011001", "198202022010012002"])
            .into_iter()
            .map(str::to_owned)
            .collect::<std::collections::HashSet<String>>()
    );
    drop(reader);
    // A rebuild cannot derive it, and keeps its identity.
    projection::rebuild_projections(&replica, 10, &mut |_| {}).unwrap();
    let found = projection::find_pegawai(&replica.reader().unwrap(), "198001012005011001", None).unwrap();
    assert_eq!(found, Some(PegawaiMatch { document_rowid: rowid, quarantined: true }));
    let report = integrity::check(&replica).unwrap();
    assert_eq!((report.quarantined.len(), report.mismatches.len()), (1, 0));

    // Repaired (here: the mark lifted) and projected again: listed again, and no longer flagged.
    replica
        .write(|tx| {
            tx.execute("UPDATE document SET quarantined = NULL WHERE rowid = ?1", [rowid])?;
            projection::reproject(tx, &[rowid])?;
            Ok(())
        })
        .unwrap();
    let reader = replica.reader().unwrap();
    assert_eq!(
        projection::find_pegawai(&reader, "198001012005011001", None).unwrap(),
        Some(PegawaiMatch { document_rowid: rowid, quarantined: false })
    );
    assert_eq!(query::facets(&reader, &Filter::default(), today()).unwrap().total, 2);
}

#[test]
fn reimporting_a_quarantined_pegawai_does_not_create_a_second_document() {
    let dir = TempDir::new("quarantine-reimport");
    let replica = open(&dir);
    let records = vec![
        pegawai("198001012005011001", "ANI", "X", "UNIT X"),
        pegawai("198202022010012002", "BUDI", "X", "UNIT X"),
        pegawai("198303032010012003", "CITRA", "X", "UNIT X"),
    ];
    import_pegawai(&replica, records.clone(), &options(&replica), &mut |_| {}).unwrap();
    let rowid = rowid_of(&replica, "198202022010012002");
    corrupt_document(&replica, rowid);
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.quarantined.len(), 1);

    let report = import_pegawai(&replica, records, &options(&replica), &mut |_| {}).unwrap();
    assert_eq!((report.inserted, report.updated, report.unchanged, report.quarantined.len()), (0, 0, 2, 1));
    assert_eq!(report.quarantined[0].0, rowid.to_string());
    let documents: i64 = replica
        .reader()
        .unwrap()
        .query_row("SELECT count(*) FROM document WHERE kind = 'pegawai'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(documents, 3);
    assert_eq!(
        projection::find_pegawai(&replica.reader().unwrap(), "198202022010012002", None).unwrap(),
        Some(PegawaiMatch { document_rowid: rowid, quarantined: true })
    );
}

/// An usulan document as JSON: jenis, the pegawai it concerns, and its events (action, RFC 3339 time).
fn usulan_value(jenis: &str, nips: &[(&str, &str)], events: &[(&str, &str)]) -> serde_json::Value {
    serde_json::json!({
        "id": "x",
        "jenis": jenis,
        "sub_jenis": null,
        "pegawai": nips.iter().map(|(nip, nama)| serde_json::json!({"nip": nip, "nama": nama})).collect::<Vec<_>>(),
        "riwayat_status": events.iter().map(|(aksi, waktu)| serde_json::json!({
            "aksi": aksi, "oleh": "198001012005011001", "waktu": waktu, "alasan_id": null, "catatan": null
        })).collect::<Vec<_>>(),
        "siasn_id": null,
    })
}

#[test]
fn usulan_documents_project_to_the_usulan_list_and_rebuild_the_same() {
    use store::document::{self, Kind};
    use store::usulan::{FilterUsulan, KursorUsulan, daftar};
    let dir = TempDir::new("usulan-list");
    let replica = open(&dir);
    let values = [
        usulan_value(
            "kenaikan_pangkat",
            &[("198001012005011001", "Ahmad")],
            &[("dibuat", "2026-11-01T08:00:00+07:00")],
        ),
        usulan_value(
            "peremajaan_data",
            &[("198202022010012002", "Siti")],
            &[("dibuat", "2026-11-02T08:00:00+07:00"), ("diajukan", "2026-11-03T09:30:00+07:00")],
        ),
        usulan_value(
            "kenaikan_pangkat",
            &[("198303032011011003", "Budi"), ("198404042012012004", "Rina"), ("198505052013011005", "Dedi")],
            &[
                ("dibuat", "2026-11-04T08:00:00Z"),
                ("diajukan", "2026-11-05T08:00:00Z"),
                ("bts", "2026-11-06T08:00:00Z"),
            ],
        ),
        // No events (a log written around the hub): status draft, updated_at 0.
        usulan_value("pemberhentian", &[("198606062014011006", "Eko")], &[]),
    ];
    let rowids: Vec<i64> = replica
        .write(|tx| {
            let mut rowids = Vec::new();
            for value in &values {
                let mut doc = sync::Document::new(replica.actor().clone());
                doc.reconcile(value, Some("uji"), 1_764_460_800_000).unwrap();
                let rowid = document::insert(tx, uuid::Uuid::now_v7(), Kind::Usulan, Some("instansi:uji"), &doc, 1)?;
                store::projection::project(tx, rowid, Kind::Usulan, &doc)?;
                rowids.push(rowid);
            }
            Ok(rowids)
        })
        .unwrap();
    let reader = replica.reader().unwrap();
    let semua = FilterUsulan { limit: 10, ..FilterUsulan::default() };
    let all = daftar(&reader, &semua).unwrap();
    let summary: Vec<_> = all
        .iter()
        .map(|row| {
            (
                row.rowid,
                row.usulan.jenis.as_str(),
                row.usulan.status.as_str(),
                row.usulan.nip.as_deref(),
                row.usulan.jumlah_pegawai,
                row.usulan.updated_at,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (rowids[2], "kenaikan_pangkat", "bts", Some("198303032011011003"), 3, 1_793_952_000_000),
            (rowids[1], "peremajaan_data", "diajukan", Some("198202022010012002"), 1, 1_793_673_000_000),
            (rowids[0], "kenaikan_pangkat", "draft", Some("198001012005011001"), 1, 1_793_494_800_000),
            (rowids[3], "pemberhentian", "draft", Some("198606062014011006"), 1, 0),
        ]
    );
    assert!(all.iter().all(|row| row.id.len() == 36), "UUID text");
    // Filters and keyset pages.
    let kp = FilterUsulan { jenis: Some("kenaikan_pangkat".into()), limit: 1, ..FilterUsulan::default() };
    let page = daftar(&reader, &kp).unwrap();
    assert_eq!(page.iter().map(|row| row.rowid).collect::<Vec<_>>(), [rowids[2]]);
    assert_eq!(page[0].kursor(), KursorUsulan { updated_at: 1_793_952_000_000, rowid: rowids[2] });
    let page = daftar(&reader, &FilterUsulan { setelah: Some(page[0].kursor()), ..kp.clone() }).unwrap();
    assert_eq!(page.iter().map(|row| row.rowid).collect::<Vec<_>>(), [rowids[0]]);
    let bts = FilterUsulan { status: Some("bts".into()), ..semua.clone() };
    assert_eq!(daftar(&reader, &bts).unwrap().len(), 1);
    // A kolektif usulan is found by any of its NIPs, not only the first.
    let by_nip = FilterUsulan { nip: Some("198404042012012004".into()), ..semua.clone() };
    assert_eq!(daftar(&reader, &by_nip).unwrap()[0].rowid, rowids[2]);
    drop(reader);

    // `check` compares the rows with what the documents derive; a rebuild gives the same list.
    let report = integrity::check(&replica).unwrap();
    assert!(report.is_healthy(), "{report:?}");
    replica
        .write(|tx| Ok(tx.execute("UPDATE usulan SET status = 'disetujui' WHERE document_rowid = ?1", [rowids[1]])?))
        .unwrap();
    let report = integrity::check(&replica).unwrap();
    assert_eq!(report.mismatches.len(), 1);
    assert_eq!(report.mismatches[0].fields, ["usulan"]);
    projection::rebuild_projections(&replica, 2, &mut |_| {}).unwrap();
    let rebuilt = daftar(&replica.reader().unwrap(), &semua).unwrap();
    assert_eq!(rebuilt, all);
    assert!(integrity::check(&replica).unwrap().is_healthy());
}
