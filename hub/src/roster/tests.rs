//! The roster's roles and the roles table (`schemas/peran.json`) agree: every [`Role`] has exactly one row, every
//! row is a [`Role`], and what a role may do is read from its row.

use model::peran::{Izin, peran};

use super::Role;

#[test]
fn every_role_has_exactly_one_row_and_every_row_is_a_role() {
    let tabel = peran();
    for role in Role::ALL {
        let rows = tabel.peran.iter().filter(|row| row.kode == role.as_str()).count();
        assert_eq!(rows, 1, "{role} must appear once in schemas/peran.json");
    }
    for row in &tabel.peran {
        assert!(Role::parse(&row.kode).is_some(), "peran {:?} of schemas/peran.json is no Role", row.kode);
    }
    assert_eq!(tabel.peran.len(), Role::ALL.len());
    assert!(tabel.periksa().is_empty(), "{:#?}", tabel.periksa());
}

#[test]
fn every_izin_of_the_file_parses_and_the_catalogue_is_complete() {
    let tabel = peran();
    for row in &tabel.peran {
        for izin in &row.izin {
            assert_eq!(Izin::parse(izin.kode()), Some(*izin), "{}: {izin}", row.kode);
        }
    }
    let katalog: Vec<Izin> = tabel.izin.iter().map(|keterangan| keterangan.kode).collect();
    assert_eq!(katalog, Izin::ALL);
}

#[test]
fn a_role_answers_from_its_row() {
    for role in Role::ALL {
        let row = peran().get(role.as_str()).expect("a row");
        assert_eq!(role.peran(), Some(row));
        assert_eq!(role.izin(), &row.izin, "{role}");
        assert_eq!(role.reads_every_scope(), row.membaca_semua_instansi, "{role}");
        for izin in Izin::ALL {
            assert_eq!(role.may(izin), row.izin.contains(&izin), "{role} {izin}");
        }
    }
    // The shipped file: BKN and the hub's admin read every instansi, the instansi's roles their own.
    let every: Vec<bool> = Role::ALL.map(Role::reads_every_scope).to_vec();
    assert_eq!(every, [false, false, false, true, true]);
}
