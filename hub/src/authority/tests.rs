//! Table-driven tests of the authority rules: who may write which path of which kind of record.

use serde_json::json;
use sync::PathSegment;
use sync::wire::RecordKind;

use model::peran::{Izin, peran};
use model::referensi::{Penulis, referensi};

use super::{ChangedPath, check, creation_izin, may_create};
use crate::roster::Role;

const OPERATOR: Role = Role::OperatorInstansi;
const VERIFIKATOR: Role = Role::VerifikatorInstansi;
const ADMIN: Role = Role::AdminInstansi;
const BKN: Role = Role::VerifikatorBkn;
const HUB: Role = Role::AdminHub;

fn path(text: &str) -> ChangedPath {
    ChangedPath {
        segments: text
            .split('/')
            .filter(|step| !step.is_empty())
            .enumerate()
            .map(|(index, step)| {
                // The second step under a riwayat or keluarga list is a row key.
                if index == 1 && !text.starts_with("data_utama") {
                    PathSegment::Row(step.to_owned())
                } else {
                    PathSegment::Key(step.to_owned())
                }
            })
            .collect(),
        value: None,
    }
}

/// Which of the five roles may write `path` of a pegawai, in the order operator, verifikator, admin instansi,
/// verifikator BKN, admin hub.
fn pegawai_writers(path: &ChangedPath) -> [bool; 5] {
    [OPERATOR, VERIFIKATOR, ADMIN, BKN, HUB]
        .map(|role| check(&[role], RecordKind::Pegawai, std::slice::from_ref(path)).is_ok())
}

#[test]
fn pegawai_paths_follow_the_field_authority_table() {
    #[rustfmt::skip]
    let cases: &[(&str, [bool; 5])] = &[
        // Instansi fields (penulis operator_instansi).
        ("data_utama/no_hp",                      [true,  true,  true,  false, true]),
        ("data_utama/email_gov",                  [true,  true,  true,  false, true]),
        ("data_utama/unor_id",                    [true,  true,  true,  false, true]),
        ("riwayat_jabatan/rj-1/nama_jabatan",     [true,  true,  true,  false, true]),
        ("riwayat_jabatan/rj-1",                  [true,  true,  true,  false, true]),
        ("riwayat_jabatan",                       [true,  true,  true,  false, true]),
        ("anak/a-1/nama",                         [true,  true,  true,  false, true]),
        ("dokumen",                               [true,  true,  true,  false, true]),
        // BKN fields.
        ("data_utama/nama",                       [false, false, false, true,  true]),
        ("data_utama/gelar_depan",                [false, false, false, true,  true]),
        ("data_utama/tgl_lahir",                  [false, false, false, true,  true]),
        ("data_utama/nik",                        [false, false, false, true,  true]),
        ("data_utama/golongan_akhir_id",          [false, false, false, true,  true]),
        ("data_utama/tingkat_pendidikan_id",      [false, false, false, true,  true]),
        ("riwayat_golongan/rg-1/golongan_id",     [false, false, false, true,  true]),
        ("riwayat_pendidikan/rp-1",               [false, false, false, true,  true]),
        // A `*_nama` follows its `*_id`; other unlisted paths are BKN's.
        ("data_utama/agama_nama",                 [false, false, false, true,  true]),
        ("data_utama/jenis_pegawai_nama",         [false, false, false, true,  true]),
        ("data_utama/kartu_asn",                  [false, false, false, true,  true]),
        ("data_utama/raw/tglLahir",               [false, false, false, true,  true]),
        // Never through a push.
        ("data_utama/nip",                        [false, false, false, false, false]),
        ("data_utama/pns_id",                     [false, false, false, false, false]),
        ("data_utama/instansi_induk_id",          [false, false, false, false, false]),
        ("data_utama/instansi_kerja_id",          [false, false, false, false, false]),
        ("data_utama",                            [false, false, false, false, false]),
        ("",                                      [false, false, false, false, false]),
        ("riwayat_jabatan/rj-1/id",               [false, false, false, false, false]),
    ];
    for (text, expected) in cases {
        assert_eq!(pegawai_writers(&path(text)), *expected, "{text}");
    }
}

#[test]
fn a_new_row_may_carry_an_empty_id() {
    let empty = ChangedPath { value: Some(json!("")), ..path("riwayat_jabatan/_habc/id") };
    assert_eq!(pegawai_writers(&empty), [true, true, true, false, true]);
    let in_bkn_list = ChangedPath { value: Some(json!("")), ..path("riwayat_golongan/_habc/id") };
    assert_eq!(pegawai_writers(&in_bkn_list), [false, false, false, true, true]);
    let filled = ChangedPath { value: Some(json!("SIASN-1")), ..path("riwayat_jabatan/_habc/id") };
    assert_eq!(pegawai_writers(&filled), [false; 5]);
}

#[test]
fn the_first_refused_path_is_reported_in_bahasa() {
    let paths = [path("data_utama/no_hp"), path("data_utama/tgl_lahir"), path("data_utama/nama")];
    let violation = check(&[OPERATOR], RecordKind::Pegawai, &paths).unwrap_err();
    assert_eq!(violation.path, "data_utama/tgl_lahir");
    assert_eq!(violation.reason, "data_utama/tgl_lahir hanya boleh diubah oleh BKN (verifikator BKN atau admin hub)");
    // Several roles: any one that allows the path is enough.
    assert!(check(&[OPERATOR, BKN], RecordKind::Pegawai, &paths).is_ok());
    assert!(check(&[], RecordKind::Pegawai, &[path("data_utama/no_hp")]).is_err());
    assert!(check(&[], RecordKind::Pegawai, &[]).is_ok());
}

#[test]
fn usulan_and_verifikasi_belong_to_the_instansi_operators_except_hub_fields() {
    #[rustfmt::skip]
    let cases: &[(RecordKind, &str, [bool; 5])] = &[
        (RecordKind::Usulan,             "perubahan/golongan",        [true,  true,  false, false, false]),
        (RecordKind::Usulan,             "riwayat_status/e-1/aksi",   [true,  true,  false, false, false]),
        (RecordKind::Usulan,             "dokumen/sk/sha256",         [true,  true,  false, false, false]),
        (RecordKind::Usulan,             "siasn_id",                  [false, false, false, false, false]),
        (RecordKind::Usulan,             "status",                    [false, false, false, false, false]),
        (RecordKind::VerifikasiLapangan, "hasil",                     [true,  true,  false, false, false]),
        (RecordKind::VerifikasiLapangan, "foto",                      [true,  true,  false, false, false]),
    ];
    for (record, text, expected) in cases {
        let writers = [OPERATOR, VERIFIKATOR, ADMIN, BKN, HUB]
            .map(|role| check(&[role], *record, &[ChangedPath::keys(&text.split('/').collect::<Vec<_>>())]).is_ok());
        assert_eq!(writers, *expected, "{record:?} {text}");
    }
}

#[test]
fn creation_rules() {
    #[rustfmt::skip]
    let cases: &[(RecordKind, [bool; 5])] = &[
        (RecordKind::Pegawai,            [false, false, true,  false, true]),
        (RecordKind::Usulan,             [true,  true,  false, false, false]),
        (RecordKind::VerifikasiLapangan, [true,  true,  false, false, false]),
    ];
    for (record, expected) in cases {
        let creators = [OPERATOR, VERIFIKATOR, ADMIN, BKN, HUB].map(|role| may_create(&[role], *record).is_ok());
        assert_eq!(creators, *expected, "{record:?}");
    }
    assert_eq!(
        may_create(&[OPERATOR], RecordKind::Pegawai).unwrap_err().reason,
        "dokumen pegawai baru hanya boleh dibuat oleh admin instansi atau admin hub"
    );
}

#[test]
fn paths_display_with_slashes() {
    let path = ChangedPath {
        segments: vec![
            PathSegment::Key("riwayat_jabatan".into()),
            PathSegment::Row("rj-1".into()),
            PathSegment::Index(2),
        ],
        value: None,
    };
    assert_eq!(path.display(), "riwayat_jabatan/rj-1/2");
}

#[test]
fn creation_follows_the_roles_table() {
    for record in RecordKind::ALL {
        let izin = creation_izin(record);
        for role in Role::ALL {
            let holds = peran().get(role.as_str()).expect("a row").izin.contains(&izin);
            assert_eq!(may_create(&[role], record).is_ok(), holds, "{role} {record:?}");
        }
        // The refusal names the roles that hold the permission, from the table.
        let refusal = may_create(&[], record).unwrap_err().reason;
        assert!(refusal.ends_with(&peran().nama_pemegang(izin)), "{refusal}");
    }
    assert_eq!(
        [RecordKind::Pegawai, RecordKind::Usulan, RecordKind::VerifikasiLapangan].map(creation_izin),
        [Izin::PegawaiBuat, Izin::UsulanBuat, Izin::VerifikasiLapanganBuat]
    );
}

#[test]
fn a_field_write_needs_the_izin_its_penulis_names() {
    // One row of each `penulis` of the field table: the roles that may write it are those whose row holds the
    // permission `Izin::untuk_penulis` names (nobody for `hub`).
    for penulis in [Penulis::OperatorInstansi, Penulis::VerifikatorInstansi, Penulis::Bkn, Penulis::Hub] {
        let Some(row) = referensi().kewenangan_field.rows.iter().find(|row| {
            row.penulis == penulis
                && row.id.starts_with("data_utama.")
                && !super::LOCKED.iter().any(|f| row.id.ends_with(f))
        }) else {
            continue; // the shipped table has no `verifikator_instansi` row yet
        };
        let written = path(&row.id.replace('.', "/"));
        for role in Role::ALL {
            let expected = Izin::untuk_penulis(penulis).is_some_and(|izin| role.may(izin));
            let allowed = check(&[role], RecordKind::Pegawai, std::slice::from_ref(&written)).is_ok();
            assert_eq!(allowed, expected, "{role} {}", row.id);
        }
    }
    // Usulan and verifikasi lapangan fields.
    for role in Role::ALL {
        let usulan = check(&[role], RecordKind::Usulan, &[ChangedPath::keys(&["perubahan"])]).is_ok();
        assert_eq!(usulan, role.may(Izin::UsulanUbah), "{role}");
        let visit = check(&[role], RecordKind::VerifikasiLapangan, &[ChangedPath::keys(&["hasil"])]).is_ok();
        assert_eq!(visit, role.may(Izin::VerifikasiLapanganUbah), "{role}");
    }
}
