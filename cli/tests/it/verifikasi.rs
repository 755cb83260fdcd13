//! `luring-cli verifikasi-lapangan …` on an imported replica with the operator signed in through the real local
//! OpenID provider (no hub: everything is offline work): wrong inputs named with their value and exit status 1, a
//! visit recorded with a photo, a second photo added, the list as JSON and as text, the detail, and the CSV export
//! to standard output and to a file.

use serde_json::Value;

use crate::usulan::{json_of, login};
use crate::{Temp, fixtures_dir, run, stderr, stdout};

/// A fixture pegawai of Contoh Selatan.
const NIP: &str = "197603012006012005";

/// A JPEG-looking photo of `size` bytes.
fn jpeg(tag: &str, size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend_from_slice(tag.as_bytes());
    bytes.resize(size, 0x33);
    bytes
}

#[test]
fn a_visit_is_recorded_with_photos_listed_shown_and_exported_offline() {
    let idp = idp_harness::Idp::start(&idp_harness::IdpOptions::default());
    let temp = Temp::new("kunjungan");
    let data = temp.path().join("data");
    let data = data.to_str().unwrap().to_owned();
    let csv = fixtures_dir().join("export-data-asn.csv");
    let output = run(&["--data", &data, "--quiet", "import", "siasn-csv", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    login(&data, &idp);
    let operator = idp_harness::account("operator_instansi");
    let vl = |args: &[&str]| run(&[&["--data", data.as_str(), "verifikasi-lapangan"][..], args].concat());

    // Wrong inputs: usage errors exit 2; a bad value names the field and the value and exits 1.
    assert_eq!(vl(&["catat", "--nip", NIP]).status.code(), Some(2));
    let output = vl(&["catat", "--nip", NIP, "--hasil", "hilang"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("Hasil \"hilang\" tidak sah: salah satu dari ditemukan"), "{}", stderr(&output));
    let output = vl(&["catat", "--nip", NIP, "--hasil", "lainnya"]);
    assert!(stderr(&output).contains("hasil \"Lainnya\" perlu catatan"), "{}", stderr(&output));
    let big = temp.file("besar.jpg", jpeg("besar", 5 * 1024 * 1024 + 1));
    let output = vl(&["catat", "--nip", NIP, "--hasil", "ditemukan", "--foto", big.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("foto {} (5242881 byte) tidak dapat dilampirkan: ", big.display()))
            && message.contains("Ukuran foto besar.jpg \"5242881 byte\" tidak sah: paling besar 5242880 byte (5 MB)"),
        "{message}"
    );
    let pdf = temp.file("akta.pdf", b"%PDF-1.4 akta".repeat(200));
    let output = vl(&["catat", "--nip", NIP, "--hasil", "meninggal", "--foto", pdf.to_str().unwrap()]);
    assert!(
        stderr(&output).contains("Jenis foto akta.pdf \"application/pdf\" tidak sah: yang diterima: image/jpeg (JPG)"),
        "{}",
        stderr(&output)
    );
    let text = temp.file("catatan.txt", "bukan foto");
    let output = vl(&["catat", "--nip", NIP, "--hasil", "ditemukan", "--foto", text.to_str().unwrap()]);
    assert!(stderr(&output).contains("tidak dikenali dari akhirannya; tambahkan --mime"), "{}", stderr(&output));
    let output = vl(&["daftar", "--json"]);
    assert_eq!(stdout(&output), "", "nothing was written");

    // Recorded with one photo, then a second.
    let rumah = temp.file("rumah.jpg", jpeg("rumah", 40_000));
    let created = json_of(&vl(&[
        "catat",
        "--nip",
        NIP,
        "--hasil",
        "meninggal",
        "--catatan",
        "Keluarga menunjukkan akta kematian",
        "--foto",
        rumah.to_str().unwrap(),
        "--json",
    ]));
    let id = created["ringkas"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["ringkas"]["nip"], NIP);
    assert_eq!(created["ringkas"]["hasil"], "meninggal");
    assert_eq!(created["ringkas"]["hasil_nama"], "Meninggal");
    assert_eq!(created["ringkas"]["petugas"], operator.nip.as_str());
    assert_eq!(created["ringkas"]["jumlah_foto"], 1);
    assert_eq!(created["foto"][0]["name"], "rumah.jpg");
    assert_eq!(created["foto"][0]["size"], 40_000);
    assert_eq!(created["lokal"], true);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(3_000, 7);
    let akta = temp.file("akta.png", png);
    let added = json_of(&vl(&["foto", &id, akta.to_str().unwrap(), "--nama", "akta kematian.png", "--json"]));
    let photos: Vec<(&str, &str)> = added["foto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|foto| (foto["name"].as_str().unwrap(), foto["mime"].as_str().unwrap()))
        .collect();
    assert_eq!(photos, [("rumah.jpg", "image/jpeg"), ("akta kematian.png", "image/png")]);

    // The list as JSON (one object per visit) and as text; the detail as text.
    let output = vl(&["daftar", "--json", "--hasil", "meninggal"]);
    let rows: Vec<Value> = stdout(&output).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["id"].as_str(), rows[0]["jumlah_foto"].as_u64()), (Some(id.as_str()), Some(2)));
    assert_eq!(stdout(&vl(&["daftar", "--json", "--hasil", "pindah"])), "");
    let text = stdout(&vl(&["daftar"]));
    assert!(text.contains(&id) && text.contains("1 kunjungan ditampilkan; per hasil: Meninggal 1."), "{text}");
    // Dates as yyyy-mm-dd or dd-mm-yyyy.
    let rows = |args: &[&str]| stdout(&vl(&[&["daftar", "--json"][..], args].concat())).lines().count();
    assert_eq!((rows(&["--dari", "01-01-2000"]), rows(&["--dari", "2000-01-01"])), (1, 1));
    assert_eq!((rows(&["--sampai", "31-12-2000"]), rows(&["--sampai", "2000-12-31"])), (0, 0));
    let output = vl(&["daftar", "--dari", "30/11/2026"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "Dari tanggal \"30/11/2026\" tidak sah: tulis tanggal sebagai yyyy-mm-dd (2026-11-30) atau dd-mm-yyyy"
        ),
        "{}",
        stderr(&output)
    );
    let text = stdout(&vl(&["lihat", &id]));
    assert!(text.contains("hasil   : Meninggal; belum terkirim ke hub"), "{text}");
    assert!(text.contains("catatan : Keluarga menunjukkan akta kematian"), "{text}");
    assert!(text.contains("foto    : akta kematian.png (3000 byte, image/png)"), "{text}");
    let output = vl(&["lihat", "bukan-id"]);
    assert!(stderr(&output).contains("Id verifikasi lapangan \"bukan-id\" tidak sah"), "{}", stderr(&output));

    // The export: CSV to standard output, or to a file.
    let output = vl(&["ekspor", "--hasil", "meninggal"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let csv = stdout(&output);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}NIP,Nama,Unor,Hasil,Catatan,Petugas,Waktu,Jumlah foto");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with(&format!("\"=\"\"{NIP}\"\"\",")), "{csv}");
    assert!(
        lines[1].contains(&format!(",Meninggal,Keluarga menunjukkan akta kematian,\"=\"\"{}\"\"\",", operator.nip)),
        "{csv}"
    );
    assert!(lines[1].ends_with(",2"), "{csv}");
    let file = temp.path().join("tindak-lanjut.csv");
    let output = vl(&["ekspor", "--keluar", file.to_str().unwrap()]);
    assert_eq!(stdout(&output), format!("1 kunjungan diekspor ke {}.\n", file.display()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);

    // --mime for a photo whose name does not tell its type; a note starting with a minus sign.
    let foto = temp.file("IMG_0002", jpeg("tanpa akhiran", 20_000));
    let created = json_of(&vl(&[
        "catat",
        "--nip",
        NIP,
        "--hasil",
        "lainnya",
        "--catatan",
        "-tidak ada yang membukakan pintu",
        "--foto",
        foto.to_str().unwrap(),
        "--mime",
        "image/jpeg",
        "--json",
    ]));
    assert_eq!(created["ringkas"]["catatan"], "-tidak ada yang membukakan pintu");
    assert_eq!(
        (created["foto"][0]["name"].as_str(), created["foto"][0]["mime"].as_str()),
        (Some("IMG_0002"), Some("image/jpeg"))
    );
    // --limit 0 lists every visit; --limit 1 one.
    let text = stdout(&vl(&["daftar", "--limit", "0"]));
    assert!(text.contains("2 kunjungan ditampilkan"), "{text}");
    let text = stdout(&vl(&["daftar", "--limit", "1"]));
    assert!(text.contains("1 kunjungan ditampilkan"), "{text}");
}
