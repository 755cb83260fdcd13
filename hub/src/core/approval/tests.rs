//! Which approvals the hub carries into pegawai documents, and what it writes there.

use std::collections::BTreeMap;

use model::Nip;
use model::usulan::alur::{self, EventMasukan};
use model::usulan::{AksiUsulan, JenisUsulan, Usulan, UsulanPegawai};
use serde_json::{Value, json};

use super::{Approval, approved, bkn_field, candidates};

const ID: &str = "0193a0c0-0000-7000-8000-0000000000aa";
const GURU: &str = "199001012015031001";
const BIDAN: &str = "199202022019022002";
const OPERATOR: &str = "198503152010011001";

/// A peremajaan data of `nips` proposing `perubahan` (path, JSON text).
fn peremajaan(nips: &[&str], perubahan: &[(&str, &str)]) -> Usulan {
    Usulan {
        id: ID.to_owned(),
        jenis: JenisUsulan::PeremajaanData,
        sub_jenis: None,
        pegawai: nips.iter().map(|nip| UsulanPegawai { nip: Nip::new(*nip), nama: format!("Pegawai {nip}") }).collect(),
        perubahan: perubahan.iter().map(|(path, value)| ((*path).to_owned(), (*value).to_owned())).collect(),
        dokumen: BTreeMap::new(),
        riwayat_status: Vec::new(),
        siasn_id: None,
        status_siasn: None,
    }
}

/// `usulan` with one more event concerning `nip` (empty: every NIP), as a device makes it.
fn dengan(usulan: &Usulan, aksi: AksiUsulan, nip: &[&str]) -> Usulan {
    let masukan = EventMasukan {
        id: format!("e{}", usulan.riwayat_status.len()),
        aksi,
        oleh: Nip::new(OPERATOR),
        waktu: "2026-12-01T10:00:00+07:00".to_owned(),
        alasan_id: None,
        catatan: None,
        nip: nip.iter().map(|nip| Nip::new(*nip)).collect(),
    };
    let mut next = usulan.clone();
    next.riwayat_status.push(alur::event_baru(usulan, masukan).unwrap());
    next
}

/// `usulan` taken from creation to diteruskan ke BKN.
fn diteruskan(usulan: &Usulan) -> Usulan {
    use AksiUsulan::{Diajukan, Dibuat, DiteruskanKeBkn, Diverifikasi};
    [Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn].into_iter().fold(usulan.clone(), |u, aksi| dengan(&u, aksi, &[]))
}

#[test]
fn only_data_utama_fields_bkn_writes_are_carried() {
    assert_eq!(bkn_field("data_utama.nama"), Some("nama"));
    assert_eq!(bkn_field("data_utama.tgl_lahir"), Some("tgl_lahir"));
    assert_eq!(bkn_field("data_utama.golongan_akhir_id"), Some("golongan_akhir_id"));
    // A `*_nama` follows its `*_id` row, as the push rules read it.
    assert_eq!(bkn_field("data_utama.agama_nama"), Some("agama_nama"));
    // The instansi's fields are the verifikator's device's; identity keys only the import writes.
    assert_eq!(bkn_field("data_utama.no_hp"), None);
    assert_eq!(bkn_field("data_utama.jabatan_id"), None);
    assert_eq!(bkn_field("data_utama.nip"), None);
    assert_eq!(bkn_field("data_utama.instansi_induk_id"), None);
    // Riwayat paths, paths without a row, and malformed paths are not written.
    assert_eq!(bkn_field("riwayat_pendidikan.rp-1.pendidikan_id"), None);
    assert_eq!(bkn_field("riwayat_golongan"), None);
    assert_eq!(bkn_field("data_utama"), None);
    assert_eq!(bkn_field("data_utama."), None);
    assert_eq!(bkn_field("data_utamax.nama"), None);
    assert_eq!(bkn_field("data_utama.nama.depan"), None);
}

#[test]
fn values_are_json_text_with_a_plain_string_fallback() {
    assert_eq!(candidates("\"SITI AMINAH\""), [json!("SITI AMINAH")]);
    assert_eq!(candidates("SITI AMINAH"), [json!("SITI AMINAH")]);
    assert_eq!(candidates("2015"), [json!(2015), json!("2015")]);
    assert_eq!(candidates("null"), [Value::Null, json!("null")]);
}

#[test]
fn an_approval_is_the_step_to_disetujui_of_a_peremajaan_with_bkn_fields() {
    let usulan = peremajaan(&[GURU], &[("data_utama.nama", "\"SITI AMINAH\""), ("data_utama.no_hp", "\"0812\"")]);
    let sebelum = diteruskan(&usulan);
    let sesudah = dengan(&sebelum, AksiUsulan::Disetujui, &[]);
    let approval = approved(ID, &sebelum, &sesudah).unwrap();
    assert_eq!(approval.usulan, ID);
    assert_eq!(approval.nip, [GURU]);
    assert_eq!(approval.fields, [("nama".to_owned(), vec![json!("SITI AMINAH")])]);
    // Not again once disetujui (an SK terbit, or a later change).
    assert_eq!(approved(ID, &sesudah, &dengan(&sesudah, AksiUsulan::SkTerbit, &[])), None);
    assert_eq!(approved(ID, &sesudah, &sesudah), None);
    // Not for any other step.
    assert_eq!(approved(ID, &usulan, &sebelum), None);
    // Not for a peremajaan of the instansi's fields only (it does not even go to BKN), nor for a KP.
    let instansi = diteruskan(&peremajaan(&[GURU], &[("data_utama.nama", "\"X\"")]));
    let mut hanya_instansi = dengan(&instansi, AksiUsulan::Disetujui, &[]);
    hanya_instansi.perubahan = [("data_utama.no_hp".to_owned(), "\"0812\"".to_owned())].into();
    assert_eq!(approved(ID, &instansi, &hanya_instansi), None);
    let mut kp = sesudah.clone();
    kp.jenis = JenisUsulan::KenaikanPangkat;
    assert_eq!(approved(ID, &Usulan { jenis: JenisUsulan::KenaikanPangkat, ..sebelum.clone() }, &kp), None);
    // A pencantuman gelar carries the gelar as a BKN field of its own: approved like a peremajaan.
    let mut gelar = sesudah.clone();
    gelar.jenis = JenisUsulan::PencantumanGelar;
    let approval = approved(ID, &Usulan { jenis: JenisUsulan::PencantumanGelar, ..sebelum }, &gelar).unwrap();
    assert_eq!(approval.nip, [GURU]);
}

#[test]
fn a_kolektif_approval_names_only_the_nips_it_approved() {
    let usulan = diteruskan(&peremajaan(&[GURU, BIDAN], &[("data_utama.tgl_lahir", "\"1990-01-01\"")]));
    let satu = dengan(&usulan, AksiUsulan::Disetujui, &[BIDAN]);
    assert_eq!(approved(ID, &usulan, &satu).unwrap().nip, [BIDAN]);
    let dua = dengan(&satu, AksiUsulan::Disetujui, &[GURU]);
    assert_eq!(approved(ID, &satu, &dua).unwrap().nip, [GURU]);
}

#[test]
fn the_edit_writes_fitting_values_and_names_the_rest() {
    let approval = Approval {
        usulan: ID.to_owned(),
        nip: vec![GURU.to_owned()],
        fields: vec![
            ("nama".to_owned(), candidates("\"SITI AMINAH\"")),
            ("tgl_lahir".to_owned(), candidates("\"bukan tanggal\"")),
            ("gelar_belakang".to_owned(), candidates("\"S.Pd.\"")),
            ("mk_golongan_tahun".to_owned(), candidates("7")),
        ],
    };
    let pegawai = json!({
        "data_utama": {"nip": GURU, "nama": "SITI AMINA", "gelar_belakang": "S.Pd.", "no_hp": "0811"},
        "riwayat_golongan": [{"id": "rg-1", "golongan_id": "31"}]
    });
    let (edited, written, unfit) = approval.edit(&pegawai).unwrap();
    assert_eq!(written, ["data_utama.nama", "data_utama.mk_golongan_tahun"]);
    assert_eq!(unfit, ["data_utama.tgl_lahir"]);
    assert_eq!(
        edited,
        json!({
            "data_utama": {"nip": GURU, "nama": "SITI AMINAH", "gelar_belakang": "S.Pd.", "no_hp": "0811",
                "mk_golongan_tahun": 7},
            "riwayat_golongan": [{"id": "rg-1", "golongan_id": "31"}]
        })
    );
    assert_eq!(
        approval.message(&written),
        format!("usulan {ID} disetujui BKN: data_utama.nama, data_utama.mk_golongan_tahun diterapkan hub")
    );
    assert_eq!(approval.edit(&json!({"riwayat_golongan": []})), None);
}
