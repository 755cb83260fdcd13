//! Unit tests of the push: the `/jabatan/save` body from a real-shaped row, reading SI-ASN's answers, matching a
//! row after a lost answer, the state table, and `ganti_id_terkirim`.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeSet;
use std::path::PathBuf;

use model::Nip;
use model::pegawai::{DataUtama, RiwayatJabatan};
use model::siasn::ws::{decode_data_utama, decode_riwayat};
use serde_json::json;

use super::*;

/// NIP of the fixture pegawai below (`../shared/fixtures/ws`, a fictional kabupaten).
const NIP: &str = "196407241988032001";

/// Data utama as SI-ASN sends it, the fields the push reads (others left out; camelCase keys, GUID ids).
fn data_utama() -> DataUtama {
    let body = json!({"code": 1, "data": {
        "id": "9CE9BA793B7E7009E040640A2C9D8B95",
        "nipBaru": NIP,
        "nipLama": "139035312",
        "nama": "CONTOH",
        "instansiIndukId": "CB3E94428C058428E040640AAD66431D",
        "instansiKerjaId": "CB3E94428C058428E040640AAD66431D",
        "satuanKerjaIndukId": "B6B66FF63138B57FE040640AA381DA2D",
        "satuanKerjaKerjaId": "B6B66FF63138B57FE040640AA381DA2D",
        "unorId": "A6FAEE70AD1E1CBAE040640A95AB0DC7",
        "path": "{}"
    }});
    let mut warnings = Vec::new();
    decode_data_utama(&body.to_string(), &Nip::new(NIP), &mut warnings).unwrap()
}

/// One `rw-jabatan` element as SI-ASN sends it (fixture shape: nulls, `""` for unused ids, trailing spaces).
fn row_json() -> serde_json::Value {
    json!({
        "id": "FB6E7C73B34B0219E040640A82568351",
        "idPns": "9CE9BA793B7E7009E040640A2C9D8B95",
        "nipBaru": NIP,
        "nipLama": "139035312",
        "jenisJabatan": "2",
        "instansiKerjaId": "CB3E94428C058428E040640AAD66431D",
        "instansiKerjaNama": "Pemerintah Kab. Contoh Selatan",
        "satuanKerjaId": "B6B66FF63138B57FE040640AA381DA2D",
        "satuanKerjaNama": "Pemerintah Kab. Contoh Selatan",
        "unorId": "A6FAEE70AD1E1CBAE040640A95AB0DC7",
        "unorNama": "BIDANG PELAYANAN MEDIS ",
        "unorIndukId": "A40895FFAAE64348E040640AEC9A1C01",
        "unorIndukNama": "RUMAH SAKIT UMUM DAERAH CONTOH SELATAN",
        "namaUnor": "BIDANG PELAYANAN MEDIS",
        "eselon": null,
        "eselonId": null,
        "jabatanFungsionalId": "2A7906F597A653F369BD1B09544D0D38",
        "jabatanFungsionalNama": "Dokter Ahli Muda",
        "jabatanFungsionalUmumId": "",
        "jabatanFungsionalUmumNama": "",
        "namaJabatan": null,
        "subJabatanId": null,
        "jenisPenugasanId": "",
        "jenisMutasiId": "",
        "tmtJabatan": "01-04-2026",
        "tanggalSk": "23-03-2026",
        "tmtPelantikan": null,
        "tmtMutasi": null,
        "nomorSk": "821.2/0417/BKPSDM/2026",
        "path": null
    })
}

/// The row decoded as the pull does, then made local (as a device makes a new row).
fn row_lokal() -> RiwayatJabatan {
    let body = json!({"code": 1, "data": [row_json()]}).to_string();
    let mut warnings = Vec::new();
    let mut rows: Vec<RiwayatJabatan> = decode_riwayat(&body, &Nip::new(NIP), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut row = rows.remove(0);
    row.id = Some(format!("{ID_LOKAL}0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"));
    row
}

#[test]
fn a_real_shaped_row_becomes_the_jabatan_save_body() {
    let (path, body) = badan_simpan(&data_utama(), &row_lokal()).unwrap();
    assert_eq!(path, SIMPAN_JABATAN);
    assert_eq!(
        body,
        json!({
            "id": "",
            "pnsId": "9CE9BA793B7E7009E040640A2C9D8B95",
            "instansiId": "CB3E94428C058428E040640AAD66431D",
            "satuanKerjaId": "B6B66FF63138B57FE040640AA381DA2D",
            "unorId": "A6FAEE70AD1E1CBAE040640A95AB0DC7",
            "eselonId": "",
            "jenisJabatan": "2",
            "jabatanFungsionalId": "2A7906F597A653F369BD1B09544D0D38",
            "jabatanFungsionalUmumId": "",
            "nomorSk": "821.2/0417/BKPSDM/2026",
            "tanggalSk": "23-03-2026",
            "tmtJabatan": "01-04-2026",
            "tmtPelantikan": ""
        })
    );
    // No field SI-ASN takes only through BKN layanan, nor a name, ever goes into the body.
    let text = body.to_string();
    for field in ["nama", "gelar", "tglLahir", "nik", "golongan"] {
        assert!(!text.to_lowercase().contains(&format!("\"{}", field.to_lowercase())), "{field} in {text}");
    }
}

#[test]
fn a_struktural_row_sends_its_eselon_and_pelantikan_and_a_pelaksana_its_jfu() {
    let mut row = row_lokal();
    row.jenis_jabatan_id = Some("1".into());
    row.eselon_id = Some("32".into());
    row.tmt_pelantikan = row.tmt_jabatan;
    let (_, body) = badan_simpan(&data_utama(), &row).unwrap();
    assert_eq!(
        (&body["eselonId"], &body["jabatanFungsionalId"], &body["tmtPelantikan"]),
        (&json!("32"), &json!(""), &json!("01-04-2026"))
    );
    let mut row = row_lokal();
    row.jenis_jabatan_id = Some("4".into());
    row.jabatan_fungsional_umum_id = Some("8ae48296661ba2d801661c5e3d8a0c3a".into());
    let (_, body) = badan_simpan(&data_utama(), &row).unwrap();
    assert_eq!(
        (&body["jabatanFungsionalId"], &body["jabatanFungsionalUmumId"]),
        (&json!(""), &json!("8ae48296661ba2d801661c5e3d8a0c3a"))
    );
}

#[test]
fn mutasi_or_penugasan_fields_go_through_unorjabatan_save() {
    let mut row = row_lokal();
    row.jenis_mutasi_id = Some("MJ".into());
    row.tmt_mutasi = row.tmt_jabatan;
    let (path, body) = badan_simpan(&data_utama(), &row).unwrap();
    assert_eq!(path, SIMPAN_UNOR_JABATAN);
    assert_eq!(body["jenisMutasiId"], json!("MJ"));
    assert_eq!(body["jenisPenugasanId"], json!(""));
    assert_eq!(body["subJabatanId"], json!(""));
    assert_eq!(body["tmtMutasi"], json!("01-04-2026"));
    assert_eq!(body["instansiIndukId"], json!("CB3E94428C058428E040640AAD66431D"));
}

#[test]
fn an_incomplete_row_is_reported_not_sent() {
    let mut row = row_lokal();
    row.nomor_sk = Some("  ".into());
    row.tmt_jabatan = None;
    row.jabatan_fungsional_id = None;
    let mut utama = data_utama();
    utama.pns_id = None;
    let pesan = badan_simpan(&utama, &row).unwrap_err();
    for field in ["pnsId", "tmtJabatan", "nomorSk", "jabatanFungsionalId"] {
        assert!(pesan.contains(field), "{pesan}");
    }
    let mut row = row_lokal();
    row.jenis_jabatan_id = Some("9".into());
    assert!(badan_simpan(&data_utama(), &row).unwrap_err().contains("jenisJabatan"));
}

fn jawaban(status: u16, body: serde_json::Value) -> Result<Jawaban, SiasnError> {
    Ok(Jawaban { status, body: body.to_string() })
}

#[test]
fn save_answers_are_read_as_siasn_writes_them() {
    let ok = jawaban(200, json!({"success": true, "message": "success", "mapData": {"rwJabatanId": "ff80808190ab"}}));
    assert_eq!(hasil_simpan(ok), Hasil::Diterima("ff80808190ab".into()));
    // §1.5: the reason in a string mapData or data comes first.
    let refused = jawaban(200, json!({"success": false, "message": "gagal", "mapData": "Unor tidak aktif"}));
    assert_eq!(hasil_simpan(refused), Hasil::Ditolak("Unor tidak aktif".into()));
    let refused = jawaban(200, json!({"success": "false", "Message": "pnsId wajib diisi"}));
    assert_eq!(hasil_simpan(refused), Hasil::Ditolak("pnsId wajib diisi".into()));
    // A WSO2 refusal: nothing was written.
    let gateway = jawaban(401, json!({"code": "900901", "message": "Invalid Credentials", "type": "Status report"}));
    assert!(matches!(hasil_simpan(gateway), Hasil::Ditolak(pesan) if pesan.contains("Invalid Credentials")));
    // Success without the id, a gateway HTML page with 502, a lost answer: maybe applied.
    let no_id = jawaban(200, json!({"success": true, "message": "success", "mapData": {}}));
    // SI-ASN saved it: never to be sent again, whatever else happens.
    assert!(matches!(hasil_simpan(no_id), Hasil::SuksesTanpaId(_)));
    let html = Ok(Jawaban { status: 502, body: "<html>Bad Gateway</html>".into() });
    assert!(matches!(hasil_simpan(html), Hasil::TidakDiketahui(_)));
    let lost = Err(SiasnError::HasilTidakDiketahui { path: SIMPAN_JABATAN.into(), pesan: "jawaban terputus".into() });
    assert!(matches!(hasil_simpan(lost), Hasil::TidakDiketahui(pesan) if pesan.contains("terputus")));
}

#[test]
fn upload_answers_are_read_as_siasn_writes_them() {
    let dok = json!({"code": 1, "data": {
        "dok_id": "872", "dok_nama": "Dok SK Jabatan", "dok_uri": "peremajaan/usulan/872_0193.pdf",
        "object": "peremajaan/usulan/872_0193.pdf", "slug": "872"
    }});
    assert_eq!(hasil_unggah(jawaban(200, dok)), Hasil::Diterima("peremajaan/usulan/872_0193.pdf".into()));
    let missing = jawaban(404, json!({"code": 0, "data": "Data tidak ditemukan"}));
    assert_eq!(hasil_unggah(missing), Hasil::Ditolak("Data tidak ditemukan".into()));
    let bad = jawaban(400, json!({"success": false, "message": "field file wajib"}));
    assert_eq!(hasil_unggah(bad), Hasil::Ditolak("field file wajib".into()));
    let lost = Err(SiasnError::HasilTidakDiketahui { path: UNGGAH_DOKUMEN.into(), pesan: "terputus".into() });
    assert!(matches!(hasil_unggah(lost), Hasil::TidakDiketahui(_)));
}

/// A row as SI-ASN would list it after our save: its own id, the same content.
fn siasn_row(id: &str) -> RiwayatJabatan {
    let mut row = row_lokal();
    row.id = Some(id.into());
    row
}

#[test]
fn a_row_is_found_by_nomor_sk_tmt_and_jabatan() {
    let kunci = Kunci::dari(&row_lokal());
    let same = siasn_row("a1");
    assert!(kunci.cocok(&same));
    // Spacing and case of the nomor SK do not matter; a missing jabatan id at SI-ASN does not veto.
    let mut spaced = siasn_row("a2");
    spaced.nomor_sk = Some(" 821.2/0417/bkpsdm/2026".into());
    spaced.jabatan_fungsional_id = Some(String::new());
    assert!(kunci.cocok(&spaced));
    let mut other_tmt = siasn_row("a3");
    other_tmt.tmt_jabatan = chrono::NaiveDate::from_ymd_opt(2026, 5, 1);
    assert!(!kunci.cocok(&other_tmt));
    let mut other_jabatan = siasn_row("a4");
    other_jabatan.jabatan_fungsional_id = Some("7A7214E14BD9081E59386F882CC5010C".into());
    assert!(!kunci.cocok(&other_jabatan));
    let mut other_sk = siasn_row("a5");
    other_sk.nomor_sk = Some("821.2/0418/BKPSDM/2026".into());
    assert!(!kunci.cocok(&other_sk));
    // A key without nomor SK matches nothing, even a row without one.
    let mut bare = row_lokal();
    bare.nomor_sk = None;
    let mut bare_siasn = siasn_row("a6");
    bare_siasn.nomor_sk = None;
    assert!(!Kunci::dari(&bare).cocok(&bare_siasn));

    // An id another local row already owns is skipped.
    let rows = vec![other_tmt, same, spaced];
    let dipakai: BTreeSet<&str> = ["a1"].into_iter().collect();
    assert_eq!(cari_cocok(&rows, &kunci, &dipakai).and_then(|row| row.id.as_deref()), Some("a2"));
    assert_eq!(cari_cocok(&rows, &kunci, &BTreeSet::new()).and_then(|row| row.id.as_deref()), Some("a1"));
}

/// A folder under the system temp dir, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("hub-push-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Folder(path)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn row_states_go_from_dikirim_to_terkirim_and_a_refusal_clears_them() {
    let folder = Folder::new("state");
    let store = SiasnStore::open(&folder.0).unwrap();
    let kunci = Kunci::dari(&row_lokal());
    let state = store
        .with_conn(|conn| {
            buat_tabel(conn)?;
            buat_tabel(conn)?; // idempotent
            assert_eq!(keadaan_baris(conn, NIP, "lokal-1")?, None);
            tandai_dikirim(conn, NIP, "lokal-1", &kunci)?;
            let dikirim = keadaan_baris(conn, NIP, "lokal-1")?;
            tandai_terkirim(conn, NIP, "lokal-1", "ff80808190ab")?;
            let terkirim = keadaan_baris(conn, NIP, "lokal-1")?;
            tandai_dikirim(conn, NIP, "lokal-2", &kunci)?;
            hapus_baris(conn, NIP, "lokal-2")?;
            Ok((dikirim, terkirim, keadaan_baris(conn, NIP, "lokal-2")?, id_terpakai(conn, NIP, "lokal-2")?))
        })
        .unwrap();
    assert_eq!(state.0, Some(Keadaan::Dikirim { kunci, sukses: false }));
    assert_eq!(state.1, Some(Keadaan::Terkirim { siasn_id: "ff80808190ab".into() }));
    assert_eq!(state.2, None);
    assert_eq!(state.3, vec!["ff80808190ab".to_owned()]);
    // The synchronous setting the store runs with is put back after a durable write.
    let synchronous: i64 =
        store.with_conn(|conn| conn.pragma_query_value(None, "synchronous", |row| row.get(0))).unwrap();
    assert_eq!(synchronous, 1, "NORMAL");
}

#[test]
fn ganti_id_terkirim_gives_pushed_rows_their_local_id_and_settles_unknown_outcomes() {
    let folder = Folder::new("ganti");
    let store = SiasnStore::open(&folder.0).unwrap();
    // lokal-a was pushed and became "s-a"; lokal-b was sent by a run that was killed before the answer.
    let mut row_b = row_lokal();
    row_b.nomor_sk = Some("821.2/0999/BKPSDM/2026".into());
    store
        .with_conn(|conn| {
            buat_tabel(conn)?;
            tandai_dikirim(conn, NIP, "lokal-a", &Kunci::dari(&row_lokal()))?;
            tandai_terkirim(conn, NIP, "lokal-a", "s-a")?;
            tandai_dikirim(conn, NIP, "lokal-b", &Kunci::dari(&row_b))
        })
        .unwrap();
    // What a pull decodes: SI-ASN's rows under SI-ASN's ids, plus one old row with the same SK as lokal-a (its id
    // is taken, so it is left alone) and the row the killed run created.
    let mut pegawai = model::Pegawai { data_utama: data_utama(), ..Default::default() };
    let mut old = siasn_row("E51EA32B3DE9206EE040640AC4F29D2D");
    old.tmt_jabatan = chrono::NaiveDate::from_ymd_opt(1988, 3, 1);
    let mut created_b = row_b.clone();
    created_b.id = Some("s-b".into());
    pegawai.riwayat_jabatan = vec![old, siasn_row("s-a"), created_b];
    ganti_id_terkirim(&store, NIP, &mut pegawai).unwrap();
    let ids: Vec<_> = pegawai.riwayat_jabatan.iter().map(|row| row.id.clone().unwrap()).collect();
    assert_eq!(ids, ["E51EA32B3DE9206EE040640AC4F29D2D", "lokal-a", "lokal-b"]);
    let state = store.with_conn(|conn| keadaan_baris(conn, NIP, "lokal-b")).unwrap();
    assert_eq!(state, Some(Keadaan::Terkirim { siasn_id: "s-b".into() }));

    // Another NIP, or a NIP with no push: untouched.
    let mut other = model::Pegawai { data_utama: data_utama(), ..Default::default() };
    other.riwayat_jabatan = vec![siasn_row("s-a")];
    ganti_id_terkirim(&store, "199001012015011001", &mut other).unwrap();
    assert_eq!(other.riwayat_jabatan[0].id.as_deref(), Some("s-a"));
}

#[test]
fn a_sha256_is_read_from_hex_and_odd_names_are_not_sent() {
    let hex = "00ff".repeat(16);
    let bytes = sha256(&hex).unwrap();
    assert_eq!((bytes[0], bytes[1], bytes[31]), (0x00, 0xff, 0xff));
    assert!(sha256("abc").is_none());
    assert!(sha256(&"zz".repeat(32)).is_none());
    let berkas =
        |name: &str| BlobRef { sha256: hex.clone(), size: 1, mime: "application/pdf".into(), name: name.into() };
    assert_eq!(nama_berkas(&berkas("SK Jabatan 2026.pdf"), "872"), "SK Jabatan 2026.pdf");
    assert_eq!(nama_berkas(&berkas("../../etc/passwd"), "872"), "872.pdf");
    assert_eq!(nama_berkas(&berkas(""), "872"), "872.pdf");
}

#[test]
fn only_token_failures_stop_the_run() {
    let expired = SiasnError::SsoKedaluwarsa { sejak: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap() };
    assert!(menghentikan(&expired));
    assert!(menghentikan(&SiasnError::Otentikasi { path: SIMPAN_JABATAN.into(), pesan: "invalid jwt".into() }));
    let lost = SiasnError::HasilTidakDiketahui { path: SIMPAN_JABATAN.into(), pesan: "terputus".into() };
    assert!(!menghentikan(&lost));
    let network =
        SiasnError::Jaringan { path: SIMPAN_JABATAN.into(), pesan: "connection refused".into(), percobaan: 3 };
    assert!(!menghentikan(&network));
}

#[test]
fn a_success_without_id_stays_dikirim_marked_sukses_until_a_match_settles_it() {
    let folder = Folder::new("sukses");
    let store = SiasnStore::open(&folder.0).unwrap();
    let kunci = Kunci::dari(&row_lokal());
    let (marked, again) = store
        .with_conn(|conn| {
            buat_tabel(conn)?;
            tandai_dikirim(conn, NIP, "lokal-1", &kunci)?;
            tandai_sukses(conn, NIP, "lokal-1")?;
            let marked = keadaan_baris(conn, NIP, "lokal-1")?;
            // A new send of the row (a later run, after a refusal cleared it) starts unmarked.
            tandai_dikirim(conn, NIP, "lokal-2", &kunci)?;
            Ok((marked, keadaan_baris(conn, NIP, "lokal-2")?))
        })
        .unwrap();
    assert_eq!(marked, Some(Keadaan::Dikirim { kunci: kunci.clone(), sukses: true }));
    assert_eq!(again, Some(Keadaan::Dikirim { kunci, sukses: false }));
    // A pull that holds the row settles it.
    let mut pegawai = model::Pegawai { data_utama: data_utama(), ..Default::default() };
    let mut created = row_lokal();
    created.id = Some("s-1".into());
    pegawai.riwayat_jabatan = vec![created];
    ganti_id_terkirim(&store, NIP, &mut pegawai).unwrap();
    let state = store.with_conn(|conn| keadaan_baris(conn, NIP, "lokal-1")).unwrap();
    assert_eq!(state, Some(Keadaan::Terkirim { siasn_id: "s-1".into() }));
}

#[test]
fn a_push_table_made_before_sukses_gets_the_column() {
    let folder = Folder::new("migrasi");
    let store = SiasnStore::open(&folder.0).unwrap();
    store
        .with_conn(|conn| {
            conn.execute_batch(
                "CREATE TABLE siasn_kirim (nip TEXT NOT NULL, jenis TEXT NOT NULL, baris TEXT NOT NULL,
                 keadaan TEXT NOT NULL, siasn_id TEXT, kunci TEXT NOT NULL, diubah INTEGER NOT NULL,
                 PRIMARY KEY (nip, jenis, baris))",
            )?;
            buat_tabel(conn)?;
            buat_tabel(conn)?;
            tandai_dikirim(conn, NIP, "lokal-1", &Kunci::dari(&row_lokal()))?;
            tandai_sukses(conn, NIP, "lokal-1")
        })
        .unwrap();
    let state = store.with_conn(|conn| keadaan_baris(conn, NIP, "lokal-1")).unwrap();
    assert!(matches!(state, Some(Keadaan::Dikirim { sukses: true, .. })), "{state:?}");
}
