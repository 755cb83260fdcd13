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
    // A local id equal to the row's key is a new row made on a device (pushed to SI-ASN by the hub later).
    let lokal = ChangedPath {
        segments: vec![
            PathSegment::Key("riwayat_jabatan".into()),
            PathSegment::Row("lokal-0193a1".into()),
            PathSegment::Key("id".into()),
        ],
        value: Some(json!("lokal-0193a1")),
    };
    assert_eq!(pegawai_writers(&lokal), [true, true, true, false, true]);
    // Renaming an existing row to a local id, or a bare prefix, stays the hub's.
    let rename = ChangedPath { value: Some(json!("lokal-0193a1")), ..path("riwayat_jabatan/SIASN1/id") };
    assert_eq!(pegawai_writers(&rename), [false; 5]);
    let bare = ChangedPath {
        segments: vec![
            PathSegment::Key("riwayat_jabatan".into()),
            PathSegment::Row("lokal-".into()),
            PathSegment::Key("id".into()),
        ],
        value: Some(json!("lokal-")),
    };
    assert_eq!(pegawai_writers(&bare), [false; 5]);
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
        (RecordKind::Usulan,             "status_siasn/kode",         [false, false, false, false, false]),
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

// -------------------------------------------------------------------------------------------------------------
// Usulan: the state machine and the fields of a submitted usulan

mod usulan {
    use std::collections::BTreeMap;

    use model::Nip;
    use model::usulan::alur::{self, EventMasukan, StatusUsulan};
    use model::usulan::{AksiUsulan, JenisUsulan, Usulan, UsulanPegawai};
    use sync::PathSegment;

    use super::{ADMIN, BKN, HUB, OPERATOR, VERIFIKATOR};
    use crate::authority::{ChangedPath, Refused, check_usulan, check_usulan_of_other_instansi};
    use crate::roster::Role;

    /// The NIP every caller of these tests pushes as (the event's `oleh` is checked against it).
    const PELAKU: &str = "198503152010011001";
    const LAIN: &str = "197806202005012002";
    const GURU: &str = "199001012015031001";
    const BIDAN: &str = "199202022019022002";

    fn kp(nips: &[&str]) -> Usulan {
        Usulan {
            id: "0193a0c0-0000-7000-8000-000000000001".to_owned(),
            jenis: JenisUsulan::KenaikanPangkat,
            sub_jenis: Some("101".to_owned()),
            pegawai: nips
                .iter()
                .map(|nip| UsulanPegawai { nip: Nip::new(*nip), nama: format!("Pegawai {nip}") })
                .collect(),
            perubahan: BTreeMap::new(),
            dokumen: BTreeMap::new(),
            riwayat_status: Vec::new(),
            siasn_id: None,
            status_siasn: None,
        }
    }

    /// `usulan` with one more event, made as a device makes it (`alur::event_baru`).
    fn dengan(usulan: &Usulan, id: &str, aksi: AksiUsulan, oleh: &str, nip: &[&str]) -> Usulan {
        let masukan = EventMasukan {
            id: id.to_owned(),
            aksi,
            oleh: Nip::new(oleh),
            waktu: "2026-11-30T08:00:00+07:00".to_owned(),
            alasan_id: match aksi {
                AksiUsulan::Bts => Some("51".to_owned()),
                AksiUsulan::Tms => Some("52".to_owned()),
                _ => None,
            },
            catatan: None,
            nip: nip.iter().map(|nip| Nip::new(*nip)).collect(),
        };
        let event = alur::event_baru(usulan, masukan).unwrap_or_else(|galat| panic!("{id}: {galat}"));
        let mut next = usulan.clone();
        next.riwayat_status.push(event);
        next
    }

    /// A KP usulan after `steps` (each by [`PELAKU`]).
    fn setelah(steps: &[AksiUsulan]) -> Usulan {
        steps
            .iter()
            .enumerate()
            .fold(kp(&[GURU]), |usulan, (index, aksi)| dengan(&usulan, &format!("e{index}"), *aksi, PELAKU, &[]))
    }

    /// The paths a change adding event `id` writes: the row, then its members.
    fn event_paths(id: &str) -> Vec<ChangedPath> {
        let row = vec![PathSegment::Key("riwayat_status".to_owned()), PathSegment::Row(id.to_owned())];
        let mut paths = vec![ChangedPath { segments: row.clone(), value: None }];
        for member in ["aksi", "oleh", "waktu", "induk"] {
            let mut segments = row.clone();
            segments.push(PathSegment::Key(member.to_owned()));
            paths.push(ChangedPath { segments, value: None });
        }
        paths
    }

    fn field(text: &str) -> ChangedPath {
        ChangedPath::keys(&text.split('/').collect::<Vec<_>>())
    }

    fn check(roles: &[Role], sebelum: &Usulan, sesudah: &Usulan, paths: &[ChangedPath]) -> Result<(), Refused> {
        check_usulan(PELAKU, roles, Some(Ok(sebelum)), Ok(sesudah), paths)
    }

    use AksiUsulan::{Diajukan, Dibatalkan, Dibuat, Disetujui, DiteruskanKeBkn, Diverifikasi, SkTerbit, Tms};

    #[test]
    fn each_transition_needs_the_permission_of_its_stage() {
        const BTS: AksiUsulan = AksiUsulan::Bts;
        #[rustfmt::skip]
        let cases: &[(&[AksiUsulan], AksiUsulan, [bool; 5])] = &[
            // Operator and verifikator instansi, admin instansi, verifikator BKN, admin hub.
            (&[Dibuat],                                              Diajukan,        [true,  true,  false, false, false]),
            (&[Dibuat],                                              Dibatalkan,      [true,  true,  false, false, false]),
            (&[Dibuat, Diajukan, BTS],                               Diajukan,        [true,  true,  false, false, false]),
            (&[Dibuat, Diajukan],                                    Diverifikasi,    [false, true,  false, false, false]),
            (&[Dibuat, Diajukan],                                    BTS,             [false, true,  false, false, false]),
            (&[Dibuat, Diajukan],                                    Tms,             [false, true,  false, false, false]),
            (&[Dibuat, Diajukan, Diverifikasi],                      DiteruskanKeBkn, [false, true,  false, false, false]),
            (&[Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn],     Disetujui,       [false, false, false, true,  true]),
            (&[Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn],     BTS,             [false, false, false, true,  true]),
            (&[Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn, Disetujui], SkTerbit, [false, false, false, true,  true]),
        ];
        for (steps, aksi, expected) in cases {
            let sebelum = setelah(steps);
            let sesudah = dengan(&sebelum, "baru", *aksi, PELAKU, &[]);
            let allowed = [OPERATOR, VERIFIKATOR, ADMIN, BKN, HUB]
                .map(|role| check(&[role], &sebelum, &sesudah, &event_paths("baru")).is_ok());
            assert_eq!(allowed, *expected, "{aksi:?} after {steps:?}");
        }
    }

    #[test]
    fn a_refused_event_names_the_aksi_and_who_may_do_it_and_takes_back_the_log() {
        let sebelum = setelah(&[Dibuat, Diajukan]);
        let sesudah = dengan(&sebelum, "e2", Diverifikasi, PELAKU, &[]);
        let refused = check(&[OPERATOR], &sebelum, &sesudah, &event_paths("e2")).unwrap_err();
        assert_eq!(refused.violation.reason, "memverifikasi hanya boleh dilakukan oleh verifikator instansi");
        assert_eq!(refused.violation.path, "riwayat_status/e2");
        assert_eq!(refused.paths, event_paths("e2"), "every path of the log is taken back");
        // A field the same change writes is refused too (the usulan was submitted): both are taken back.
        let mut sesudah_dan_field = sesudah.clone();
        sesudah_dan_field.perubahan.insert("golongan_id".to_owned(), "\"32\"".to_owned());
        let mut paths = event_paths("e2");
        paths.push(field("perubahan/golongan_id"));
        let refused = check(&[OPERATOR], &sebelum, &sesudah_dan_field, &paths).unwrap_err();
        assert_eq!(refused.violation.reason, "memverifikasi hanya boleh dilakukan oleh verifikator instansi");
        assert_eq!(refused.paths, paths, "the log and the field of a submitted usulan");

        // BKN's stage: the roles table names who decides.
        let sebelum = setelah(&[Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn]);
        let sesudah = dengan(&sebelum, "e4", Disetujui, PELAKU, &[]);
        let refused = check(&[VERIFIKATOR], &sebelum, &sesudah, &event_paths("e4")).unwrap_err();
        assert_eq!(refused.violation.reason, "menyetujui hanya boleh dilakukan oleh verifikator BKN atau admin hub");
    }

    #[test]
    fn an_event_in_another_nip_is_refused() {
        let sebelum = setelah(&[Dibuat, Diajukan]);
        let sesudah = dengan(&sebelum, "e2", Diverifikasi, LAIN, &[]);
        let refused = check(&[VERIFIKATOR], &sebelum, &sesudah, &event_paths("e2")).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            format!(
                "memverifikasi dicatat atas nama NIP {LAIN}, bukan NIP Anda ({PELAKU}); event status hanya boleh \
                 dicatat atas nama pelakunya sendiri"
            )
        );
    }

    #[test]
    fn the_state_machine_refuses_a_skipped_step_or_a_rewritten_history() {
        let sebelum = setelah(&[Dibuat, Diajukan]);
        // Approval by BKN straight from diajukan, written around `event_baru`.
        let mut loncat = sebelum.clone();
        let mut event = dengan(&sebelum, "e2", Diverifikasi, PELAKU, &[]).riwayat_status.remove(2);
        event.aksi = Disetujui;
        loncat.riwayat_status.push(event);
        let refused = check(&[BKN], &sebelum, &loncat, &event_paths("e2")).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "menyetujui tidak sah: usulan berstatus Diajukan: tidak dapat menyetujui; yang dapat dilakukan: \
             memverifikasi, mengembalikan (BTS), menolak (TMS), membatalkan"
        );
        // An existing event changed, by anyone.
        let mut diubah = sebelum.clone();
        diubah.riwayat_status[1].catatan = Some("diubah".to_owned());
        let paths = [field("riwayat_status/e1/catatan")];
        let refused = check(&[VERIFIKATOR, OPERATOR], &sebelum, &diubah, &paths).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "event e1 (mengajukan) tidak boleh diubah: log status hanya boleh ditambah"
        );
        assert_eq!(refused.paths, paths);
    }

    #[test]
    fn a_submitted_usulan_is_corrected_by_the_verifikator_only() {
        let paths = [field("perubahan/golongan_id"), field("dokumen/D2"), field("pegawai")];
        let edit = |usulan: &Usulan| {
            let mut edited = usulan.clone();
            edited.perubahan.insert("golongan_id".to_owned(), "\"32\"".to_owned());
            edited
        };
        // Draft and BTS: the operator's.
        for steps in [&[Dibuat][..], &[Dibuat, Diajukan, AksiUsulan::Bts]] {
            let sebelum = setelah(steps);
            assert_eq!(check(&[OPERATOR], &sebelum, &edit(&sebelum), &paths), Ok(()), "{steps:?}");
            assert!(check(&[BKN], &sebelum, &edit(&sebelum), &paths).is_err(), "{steps:?}");
        }
        // Submitted, at the instansi: the verifikator's.
        for steps in [&[Dibuat, Diajukan][..], &[Dibuat, Diajukan, Diverifikasi]] {
            let sebelum = setelah(steps);
            assert_eq!(check(&[VERIFIKATOR], &sebelum, &edit(&sebelum), &paths), Ok(()), "{steps:?}");
            let refused = check(&[OPERATOR], &sebelum, &edit(&sebelum), &paths).unwrap_err();
            assert_eq!(refused.paths, paths, "{steps:?}");
            let status = alur::keadaan(&sebelum).status.nama();
            assert_eq!(
                refused.violation.reason,
                format!(
                    "perubahan/golongan_id hanya boleh diubah oleh verifikator instansi karena usulan berstatus \
                     {status}; usulan hanya dapat diperbaiki pengusulnya saat berstatus Draf atau BTS (perbaikan)"
                )
            );
        }
        // Forwarded to BKN: nobody's, so BKN decides on what was forwarded.
        let sebelum = setelah(&[Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn]);
        for role in [OPERATOR, VERIFIKATOR, BKN, HUB] {
            let refused = check(&[role], &sebelum, &edit(&sebelum), &paths).unwrap_err();
            assert_eq!(refused.paths, paths, "{role}");
            assert_eq!(
                refused.violation.reason,
                "perubahan/golongan_id tidak dapat diubah lagi karena usulan berstatus Diteruskan ke BKN: BKN \
                 memutuskan isi yang diteruskan kepadanya; bila perlu diperbaiki, BKN mengembalikannya (BTS)"
            );
        }
        // The hub's own fields stay nobody's.
        let sebelum = setelah(&[Dibuat]);
        let refused = check(&[VERIFIKATOR], &sebelum, &sebelum, &[field("siasn_id")]).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "siasn_id hanya boleh diubah oleh hub sendiri (dari SI-ASN), tidak lewat perangkat"
        );
    }

    #[test]
    fn a_kolektif_usulan_with_a_returned_nip_is_open_for_the_operator() {
        let mut sebelum = kp(&[GURU, BIDAN]);
        sebelum = dengan(&sebelum, "e1", Dibuat, PELAKU, &[]);
        sebelum = dengan(&sebelum, "e2", Diajukan, PELAKU, &[]);
        sebelum = dengan(&sebelum, "e3", AksiUsulan::Bts, PELAKU, &[BIDAN]);
        sebelum = dengan(&sebelum, "e4", Diverifikasi, PELAKU, &[GURU]);
        assert_eq!(alur::keadaan(&sebelum).status, StatusUsulan::Campuran);
        let mut sesudah = sebelum.clone();
        sesudah.perubahan.insert("golongan_id".to_owned(), "\"32\"".to_owned());
        assert_eq!(check(&[OPERATOR], &sebelum, &sesudah, &[field("perubahan/golongan_id")]), Ok(()));
    }

    #[test]
    fn a_new_usulan_starts_with_its_dibuat_event_by_the_creator() {
        let tanpa = kp(&[GURU]);
        let paths = [field("id"), field("jenis"), field("pegawai")];
        let refused = check_usulan(PELAKU, &[OPERATOR], None, Ok(&tanpa), &paths).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "usulan baru harus dimulai dengan event dibuat atas nama pembuatnya; perubahan ini tidak memuatnya"
        );
        let dibuat = dengan(&tanpa, "e1", Dibuat, PELAKU, &[]);
        let mut all = paths.to_vec();
        all.extend(event_paths("e1"));
        assert_eq!(check_usulan(PELAKU, &[OPERATOR], None, Ok(&dibuat), &all), Ok(()));
        // Created and submitted in one change: both events are the creator's.
        let diajukan = dengan(&dibuat, "e2", Diajukan, PELAKU, &[]);
        assert_eq!(check_usulan(PELAKU, &[OPERATOR], None, Ok(&diajukan), &all), Ok(()));
        // In someone else's name.
        let orang_lain = dengan(&tanpa, "e1", Dibuat, LAIN, &[]);
        let refused = check_usulan(PELAKU, &[OPERATOR], None, Ok(&orang_lain), &all).unwrap_err();
        assert!(refused.violation.reason.starts_with(&format!("membuat dicatat atas nama NIP {LAIN}")));
        // A second `dibuat`.
        let mut dua = dibuat.clone();
        let mut kedua = dibuat.riwayat_status[0].clone();
        kedua.id = "e2".to_owned();
        dua.riwayat_status.push(kedua);
        let refused = check_usulan(PELAKU, &[OPERATOR], None, Ok(&dua), &all).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "membuat tidak sah: usulan sudah dibuat; event dibuat hanya boleh sekali, di awal"
        );
    }

    #[test]
    fn a_document_that_does_not_read_as_an_usulan_is_refused_whole() {
        let paths = [field("jenis"), field("riwayat_status")];
        let refused = check_usulan(PELAKU, &[OPERATOR], None, Err("unknown variant `kp`"), &paths).unwrap_err();
        assert_eq!(refused.violation.reason, "dokumen usulan baru tidak terbaca sebagai usulan (unknown variant `kp`)");
        assert_eq!(refused.paths, paths);
        let sebelum = setelah(&[Dibuat]);
        let refused =
            check_usulan(PELAKU, &[OPERATOR], Some(Ok(&sebelum)), Err("missing field `pegawai`"), &paths).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "perubahan ini membuat dokumen tidak terbaca sebagai usulan (missing field `pegawai`)"
        );
        assert_eq!(refused.paths, paths);
        let refused =
            check_usulan(PELAKU, &[OPERATOR], Some(Err("missing field `jenis`")), Ok(&sebelum), &paths).unwrap_err();
        assert!(refused.violation.reason.starts_with("usulan ini tidak terbaca sebagai usulan sebelum perubahan"));
    }

    #[test]
    fn another_instansis_usulan_takes_only_bkns_decisions() {
        let sebelum = setelah(&[Dibuat, Diajukan, Diverifikasi, DiteruskanKeBkn]);
        let disetujui = dengan(&sebelum, "e4", Disetujui, PELAKU, &[]);
        let lain = |roles: &[Role], sesudah: &Usulan, paths: &[ChangedPath]| {
            check_usulan_of_other_instansi(PELAKU, roles, Ok(&sebelum), Ok(sesudah), paths)
        };
        // The roles that read every instansi decide at BKN's stage, as in their own.
        for roles in [&[BKN][..], &[HUB], &[BKN, OPERATOR]] {
            assert_eq!(lain(roles, &disetujui, &event_paths("e4")), Ok(()), "{roles:?}");
        }
        let refused = lain(&[VERIFIKATOR], &disetujui, &event_paths("e4")).unwrap_err();
        assert_eq!(refused.violation.reason, "menyetujui hanya boleh dilakukan oleh verifikator BKN atau admin hub");
        assert_eq!(refused.paths, event_paths("e4"));

        // The roles of the pusher's own instansi do not count there: a verifikator instansi who is also a
        // verifikator BKN verifies only the usulan of the instansi it is rostered in.
        let diajukan = setelah(&[Dibuat, Diajukan]);
        let diverifikasi = dengan(&diajukan, "e2", Diverifikasi, PELAKU, &[]);
        let roles = [VERIFIKATOR, BKN];
        let refused =
            check_usulan_of_other_instansi(PELAKU, &roles, Ok(&diajukan), Ok(&diverifikasi), &event_paths("e2"))
                .unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "memverifikasi usulan instansi lain tidak dapat dilakukan: verifikator instansi hanya bertindak atas \
             usulan instansinya sendiri"
        );
        assert_eq!(check_usulan(PELAKU, &roles, Some(Ok(&diajukan)), Ok(&diverifikasi), &event_paths("e2")), Ok(()));

        // Nothing but the event log: not perubahan, not even with a role that corrects its own instansi's usulan.
        let mut diubah = sebelum.clone();
        diubah.perubahan.insert("golongan_id".to_owned(), "\"33\"".to_owned());
        let refused = lain(&[BKN, VERIFIKATOR], &diubah, &[field("perubahan/golongan_id")]).unwrap_err();
        assert_eq!(
            refused.violation.reason,
            "perubahan/golongan_id tidak boleh diubah dari luar instansi pengusul; pada usulan instansi lain hanya \
             keputusan BKN (riwayat status) yang dapat dicatat"
        );
        assert_eq!(refused.paths, [field("perubahan/golongan_id")]);
        // An approval and an edit in one change: the edit alone is taken back.
        let mut both = disetujui.clone();
        both.perubahan.insert("golongan_id".to_owned(), "\"33\"".to_owned());
        let mut paths = event_paths("e4");
        paths.push(field("perubahan/golongan_id"));
        let refused = lain(&[BKN], &both, &paths).unwrap_err();
        assert_eq!(refused.paths, [field("perubahan/golongan_id")]);
        // The hub's fields stay nobody's, with the same reason.
        let refused = lain(&[HUB], &sebelum, &[field("siasn_id")]).unwrap_err();
        assert!(refused.violation.reason.starts_with("siasn_id tidak boleh diubah dari luar instansi pengusul"));
    }
}

/// A path of member keys that writes `value`.
fn put(keys: &[&str], value: serde_json::Value) -> ChangedPath {
    ChangedPath { value: Some(value), ..ChangedPath::keys(keys) }
}

#[test]
fn a_reminder_follow_up_is_an_instansi_field_recorded_under_the_pushers_own_nip() {
    use super::check_pegawai;
    const NIP: &str = "198703152010011002";
    const KGB: &str = "kgb-2027-03-01";
    let follow_up = [
        ChangedPath::keys(&["tindak_lanjut", KGB]),
        put(&["tindak_lanjut", KGB, "status"], json!("ditangani")),
        put(&["tindak_lanjut", KGB, "oleh"], json!(NIP)),
        put(&["tindak_lanjut", KGB, "waktu"], json!("2026-12-01T05:00:00Z")),
    ];
    let good = json!({KGB: {"status": "ditangani", "oleh": NIP, "waktu": "2026-12-01T05:00:00Z"}});
    for role in [OPERATOR, VERIFIKATOR, ADMIN, HUB] {
        assert_eq!(check_pegawai(NIP, &[role], Some(&good), &follow_up), Ok(()), "{role:?}");
    }
    let refused = check_pegawai(NIP, &[BKN], Some(&good), &follow_up).unwrap_err();
    assert_eq!(refused.violation.path, format!("tindak_lanjut/{KGB}"));
    assert_eq!(refused.paths.len(), 4, "every path of the entry is taken back: {:?}", refused.paths);

    // Someone else's NIP as `oleh`: the whole entry is taken back, not only `oleh`.
    let other = [
        ChangedPath::keys(&["tindak_lanjut", KGB]),
        put(&["tindak_lanjut", KGB, "status"], json!("ditangani")),
        put(&["tindak_lanjut", KGB, "oleh"], json!("199001012015031001")),
    ];
    let after = json!({KGB: {"status": "ditangani", "oleh": "199001012015031001", "waktu": "2026-12-01T05:00:00Z"}});
    let refused = check_pegawai(NIP, &[OPERATOR], Some(&after), &other).unwrap_err();
    assert_eq!(refused.violation.path, format!("tindak_lanjut/{KGB}"));
    assert!(refused.violation.reason.contains("NIP pengirimnya sendiri"), "{}", refused.violation.reason);
    assert_eq!(refused.paths, vec![ChangedPath::keys(&["tindak_lanjut", KGB])]);

    // Judged on the result: an `oleh` written as the pusher's NIP and then as another's in the same change.
    let twice = [put(&["tindak_lanjut", KGB, "oleh"], json!(NIP))];
    let refused = check_pegawai(NIP, &[OPERATOR], Some(&after), &twice).unwrap_err();
    assert!(refused.violation.reason.contains("NIP pengirimnya sendiri"), "{}", refused.violation.reason);

    // An entry that would not read as a follow-up, and one over the limits.
    for (entry, why) in [
        (json!({"status": "x"}), "harus berisi status"),
        (json!({"status": "ditangani", "oleh": NIP}), "harus berisi status"),
        (json!({"status": "ditangani", "oleh": NIP, "waktu": "kemarin"}), "waktu harus waktu RFC 3339"),
        (json!(["ditangani", null, NIP, "2026-12-01T05:00:00Z"]), "harus berisi status"),
        (json!({"status": "ditangani", "oleh": NIP, "waktu": "2026-12-01T05:00:00Z", "x": 1}), "harus berisi status"),
        (
            json!({"status": "ditangani", "oleh": NIP, "waktu": "2026-12-01T05:00:00Z", "catatan": "x".repeat(501)}),
            "catatan paling panjang 500 karakter",
        ),
    ] {
        let refused = check_pegawai(NIP, &[OPERATOR], Some(&json!({KGB: entry})), &follow_up[..2]).unwrap_err();
        assert!(refused.violation.reason.contains(why), "{why}: {}", refused.violation.reason);
        assert_eq!(refused.paths, vec![ChangedPath::keys(&["tindak_lanjut", KGB])]);
    }

    // The map replaced by something else, or deleted.
    for after in [Some(json!("junk")), None] {
        let refused =
            check_pegawai(NIP, &[OPERATOR], after.as_ref(), &[put(&["tindak_lanjut"], json!("junk"))]).unwrap_err();
        assert_eq!(refused.violation.path, "tindak_lanjut");
        assert!(refused.violation.reason.contains("harus tetap berupa daftar"), "{}", refused.violation.reason);
    }

    // A key that is not a reminder key.
    for kunci in ["cuti-2027-03-01", "kgb-2027-3-1", "kgb"] {
        let refused =
            check_pegawai(NIP, &[OPERATOR], Some(&json!({})), &[ChangedPath::keys(&["tindak_lanjut", kunci])])
                .unwrap_err();
        assert_eq!(refused.violation.path, format!("tindak_lanjut/{kunci}"));
    }
    // Taking a follow-up back (the entry deleted) stands.
    let taken = [ChangedPath::keys(&["tindak_lanjut", "kp-2027-04-01"])];
    assert_eq!(check_pegawai(NIP, &[OPERATOR], Some(&json!({})), &taken), Ok(()));
}
