//! Tests of the embedded roles table: it parses and is sound, the five roles of DESIGN §6 hold what the hub's
//! rules need, and the table, not code, decides (a changed file changes the answers).

use std::collections::BTreeSet;

use super::*;

/// The five roles of DESIGN §6, by roster code.
const LIMA_PERAN: [&str; 5] =
    ["operator_instansi", "verifikator_instansi", "admin_instansi", "verifikator_bkn", "admin_hub"];

#[test]
fn the_embedded_file_parses_and_passes_periksa() {
    let masalah = peran().periksa();
    assert!(masalah.is_empty(), "schemas/peran.json problems:\n{}", masalah.join("\n"));
    let kode: Vec<&str> = peran().peran.iter().map(|peran| peran.kode.as_str()).collect();
    assert_eq!(kode, LIMA_PERAN);
}

#[test]
fn izin_codes_round_trip_and_the_set_is_closed() {
    let kode: BTreeSet<&str> = Izin::ALL.iter().map(|izin| izin.kode()).collect();
    assert_eq!(kode.len(), Izin::ALL.len());
    for izin in Izin::ALL {
        assert_eq!(Izin::parse(izin.kode()), Some(izin));
        assert_eq!(izin.to_string(), izin.kode());
        let json = serde_json::to_string(&izin).expect("serialises");
        assert_eq!(json, format!("\"{}\"", izin.kode()));
        assert_eq!(serde_json::from_str::<Izin>(&json).expect("deserialises"), izin);
    }
    assert_eq!(Izin::parse("pegawai.hapus"), None);
    assert_eq!(Izin::parse("PEGAWAI.UBAH"), None);
    // The catalogue lists them in `Izin::ALL` order.
    let katalog: Vec<Izin> = peran().izin.iter().map(|keterangan| keterangan.kode).collect();
    assert_eq!(katalog, Izin::ALL);
}

#[test]
fn an_unknown_izin_or_member_fails_to_load() {
    let unknown_izin = PERAN_JSON.replacen("\"usulan.putus_bkn\"]", "\"pegawai.hapus\"]", 1);
    assert_ne!(unknown_izin, PERAN_JSON, "the edit applies");
    let error = TabelPeran::baca(&unknown_izin).expect_err("pegawai.hapus is no izin");
    assert!(error.to_string().contains("pegawai.hapus"), "{error}");
    let unknown_member = PERAN_JSON.replacen("\"membaca_semua_instansi\": false,", "\"menulis_semua\": true,", 1);
    assert!(TabelPeran::baca(&unknown_member).is_err());
}

#[test]
fn the_roles_hold_what_design_gives_them() {
    use Izin::*;
    let tabel = peran();
    let izin = |kode: &str| tabel.izin([kode]);
    assert_eq!(
        izin("operator_instansi"),
        BTreeSet::from([
            InstansiBaca,
            PegawaiUbah,
            UsulanBuat,
            UsulanUbah,
            VerifikasiLapanganBuat,
            VerifikasiLapanganUbah
        ])
    );
    assert_eq!(
        izin("verifikator_instansi"),
        &izin("operator_instansi") | &BTreeSet::from([PegawaiVerifikasi, UsulanVerifikasi])
    );
    assert_eq!(izin("admin_instansi"), BTreeSet::from([InstansiBaca, PegawaiBuat, PegawaiUbah, PegawaiVerifikasi]));
    assert_eq!(izin("verifikator_bkn"), BTreeSet::from([InstansiBaca, PegawaiUbahBkn, UsulanPutusBkn]));
    assert_eq!(
        izin("admin_hub"),
        BTreeSet::from([InstansiBaca, PegawaiBuat, PegawaiUbah, PegawaiVerifikasi, PegawaiUbahBkn, UsulanPutusBkn])
    );
    let semua: Vec<bool> = LIMA_PERAN.iter().map(|kode| tabel.membaca_semua_instansi([*kode])).collect();
    assert_eq!(semua, [false, false, false, true, true]);
    // Every role reads its own instansi; nobody but the instansi's operator and verifikator records usulan.
    assert!(LIMA_PERAN.iter().all(|kode| izin(kode).contains(&InstansiBaca)));
    assert_eq!(tabel.nama_pemegang(UsulanBuat), "operator instansi atau verifikator instansi");
    assert_eq!(tabel.nama_pemegang(PegawaiBuat), "admin instansi atau admin hub");
    assert_eq!(tabel.nama_pemegang(PegawaiUbahBkn), "verifikator BKN atau admin hub");
    assert_eq!(
        tabel.nama_pemegang(PegawaiUbah),
        "operator instansi, verifikator instansi, admin instansi atau admin hub"
    );
}

#[test]
fn several_roles_add_up_and_unknown_roles_grant_nothing() {
    let tabel = peran();
    let gabungan = tabel.izin(["operator_instansi", "verifikator_bkn"]);
    assert!(gabungan.contains(&Izin::UsulanBuat) && gabungan.contains(&Izin::PegawaiUbahBkn));
    assert!(tabel.membaca_semua_instansi(["operator_instansi", "verifikator_bkn"]));
    assert!(tabel.izin(["kepala_dinas", "OPERATOR_INSTANSI", ""]).is_empty());
    assert!(tabel.izin(std::iter::empty()).is_empty());
    assert!(!tabel.membaca_semua_instansi(["kepala_dinas"]));
    assert_eq!(tabel.get("admin_hub").map(|peran| peran.nama.as_str()), Some("admin hub"));
    assert!(tabel.get("Admin_Hub").is_none());
}

#[test]
fn the_file_decides_not_the_code() {
    // Take usulan.buat from the operator and let the admin instansi read every instansi: the answers follow.
    let operator = "\"izin\": [\"instansi.baca\", \"pegawai.ubah\", \"usulan.buat\", \"usulan.ubah\"";
    let admin = "\"kode\": \"admin_instansi\", \"nama\": \"admin instansi\", \"membaca_semua_instansi\": false";
    assert!(PERAN_JSON.contains(operator) && PERAN_JSON.contains(admin), "the edits apply");
    let changed = PERAN_JSON
        .replacen(operator, "\"izin\": [\"instansi.baca\", \"pegawai.ubah\", \"usulan.ubah\"", 1)
        .replacen(admin, &admin.replace("false", "true"), 1);
    let tabel = TabelPeran::baca(&changed).expect("still a valid file");
    assert!(tabel.periksa().is_empty());
    assert!(!tabel.izin(["operator_instansi"]).contains(&Izin::UsulanBuat));
    assert_eq!(tabel.nama_pemegang(Izin::UsulanBuat), "verifikator instansi");
    assert!(tabel.membaca_semua_instansi(["admin_instansi"]));
}

#[test]
fn periksa_reports_repeats_gaps_and_bad_codes() {
    let mut tabel = peran().clone();
    tabel.peran.push(tabel.peran[0].clone());
    tabel.peran.push(Peran { kode: "Kepala Dinas".into(), nama: " ".into(), ..tabel.peran[0].clone() });
    tabel.izin.retain(|keterangan| keterangan.kode != Izin::UsulanUbah);
    tabel.izin.push(tabel.izin[0].clone());
    let masalah = tabel.periksa();
    for bagian in [
        "\"operator_instansi\" appears more than once",
        "\"Kepala Dinas\": the code must be snake_case",
        "\"Kepala Dinas\": empty nama",
        "izin usulan.ubah is missing",
        "izin instansi.baca appears 2 times",
    ] {
        assert!(masalah.iter().any(|m| m.contains(bagian)), "{bagian} not in {masalah:#?}");
    }
    assert_eq!(masalah.len(), 5, "{masalah:#?}");
}

#[test]
fn a_field_penulis_names_the_izin_its_writes_need() {
    assert_eq!(Izin::untuk_penulis(Penulis::OperatorInstansi), Some(Izin::PegawaiUbah));
    assert_eq!(Izin::untuk_penulis(Penulis::VerifikatorInstansi), Some(Izin::PegawaiVerifikasi));
    assert_eq!(Izin::untuk_penulis(Penulis::Bkn), Some(Izin::PegawaiUbahBkn));
    assert_eq!(Izin::untuk_penulis(Penulis::Hub), None);
}
