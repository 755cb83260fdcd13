//! `luring-cli usulan …` on an imported replica with the officer signed in through the real local OpenID provider
//! (no hub: everything is offline work): a draft, a refused submission naming the missing document, refused
//! attachments naming the document and the value, the checklist filled, the submission, the list and the detail
//! as JSON and as text, and errors naming the field and value with exit status 1 (2 for usage).

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use idp_harness::{Idp, IdpOptions};
use serde_json::Value;

use crate::{Temp, cli, fixtures_dir, run, stderr, stdout};

/// A fixture pegawai of Contoh Selatan.
const NIP: &str = "197603012006012005";

/// A PDF-looking file of `size` bytes.
fn pdf(tag: &str, size: usize) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n% {tag}\n").into_bytes();
    bytes.resize(size - 7, b' ');
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

/// The one JSON object `luring-cli … --json` printed.
pub(crate) fn json_of(output: &std::process::Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    let text = stdout(output);
    let mut lines = text.lines();
    let value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(lines.next(), None, "one object: {text}");
    value
}

/// Signs the demo operator in on the replica in `data` (`login --json`, the browser played by the harness).
pub(crate) fn login(data: &str, idp: &Idp) {
    let officer = idp_harness::account("operator_instansi");
    let mut login = cli()
        .args(["--data", data, "login", "--json", "--timeout", "60", "--sso-issuer", idp.issuer()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let url = first["url"].as_str().unwrap().to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(idp_harness::sign_in_at(&url, &officer));
    let identity: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(identity["nip"], officer.nip.as_str());
    let login = login.wait_with_output().unwrap();
    assert!(login.status.success(), "login failed: {}", stderr(&login));
}

#[test]
fn an_usulan_is_drafted_checked_filled_and_submitted_offline_and_errors_name_what_is_wrong() {
    let idp = Idp::start(&IdpOptions::default());
    let temp = Temp::new("usulan");
    let data = temp.path().join("data");
    let data = data.to_str().unwrap().to_owned();
    let csv = fixtures_dir().join("export-data-asn.csv");
    let output = run(&["--data", &data, "--quiet", "import", "siasn-csv", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));

    // Nobody signed in: an usulan needs the officer's NIP.
    let output = run(&["--data", &data, "usulan", "buat", "--jenis", "peninjauan_masa_kerja", "--nip", NIP]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("galat: Anda belum masuk"), "{message}");
    assert!(message.contains(&format!("`luring-cli --data {data} login`, lalu ulangi perintah ini")), "{message}");
    login(&data, &idp);
    let operator = idp_harness::account("operator_instansi");

    // Usage errors exit 2; a bad value names the field and the value and exits 1.
    assert_eq!(run(&["--data", &data, "usulan", "buat", "--nip", NIP]).status.code(), Some(2));
    let output = run(&["--data", &data, "usulan", "buat", "--jenis", "pmk", "--nip", NIP]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("Jenis usulan \"pmk\" tidak sah"), "{}", stderr(&output));
    let output = run(&["--data", &data, "usulan", "buat", "--jenis", "peninjauan_masa_kerja", "--nip", "1976"]);
    assert!(stderr(&output).contains("NIP \"1976\" tidak sah"), "{}", stderr(&output));

    let buat = ["--data", &data, "usulan", "buat", "--jenis", "peninjauan_masa_kerja", "--nip", NIP, "--catatan"];
    let created = json_of(&run(&[&buat[..], &["PMK pengalaman kerja swasta", "--json"]].concat()));
    let id = created["ringkas"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["ringkas"]["status"], "draft");
    assert_eq!(created["ringkas"]["jenis_nama"], "Peninjauan masa kerja");
    assert_eq!(created["ringkas"]["nip"], NIP);
    assert_eq!(created["riwayat"][0]["aksi"], "dibuat");
    assert_eq!(created["riwayat"][0]["oleh"], operator.nip.as_str());
    assert_eq!(created["riwayat"][0]["catatan"], "PMK pengalaman kerja swasta");
    assert_eq!(created["lokal"], true);
    // No roster reached yet, so no roles known: what the workflow allows is offered, with a note; the hub decides.
    let aksi: Vec<&str> =
        created["aksi"].as_array().unwrap().iter().map(|aksi| aksi["aksi"].as_str().unwrap()).collect();
    assert_eq!(aksi, ["diajukan", "dibatalkan"]);
    let catatan: Vec<&Value> = created["temuan"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|temuan| temuan["kode"] == "peran_belum_diketahui")
        .collect();
    assert_eq!(catatan.len(), 1, "{}", created["temuan"]);
    assert_eq!(catatan[0]["tingkat"], "peringatan");
    let dokumen = created["dokumen"].as_array().unwrap();
    assert_eq!(dokumen[0]["kode"], "surat_pengantar");
    assert_eq!(dokumen[0]["nama"], "Surat Pengantar Usul Peninjauan Masa Kerja");
    assert_eq!(dokumen[0]["ukuran_maks"], 2_097_152);

    // Submitting with nothing attached: refused, naming the first missing document.
    let output = run(&["--data", &data, "usulan", "ajukan", &id]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("Usulan belum dapat diajukan")
            && message.contains("Surat Pengantar Usul Peninjauan Masa Kerja"),
        "{message}"
    );

    // Attachments: too large, not recognised without --mime, not a PDF.
    let big = temp.file("besar.pdf", pdf("besar", 2_097_153));
    let output = run(&["--data", &data, "usulan", "lampirkan", &id, "surat_pengantar", big.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("berkas {} (2097153 byte) tidak dapat dilampirkan: ", big.display()))
            && message.contains("Ukuran berkas Surat Pengantar Usul Peninjauan Masa Kerja \"2097153 byte\"")
            && message.contains("2 MB"),
        "{message}"
    );
    let text = temp.file("catatan.txt", "bukan pdf");
    let output = run(&["--data", &data, "usulan", "lampirkan", &id, "surat_pengantar", text.to_str().unwrap()]);
    assert!(stderr(&output).contains("--mime"), "{}", stderr(&output));
    let fake = temp.file("palsu.pdf", vec![b'x'; 20_000]);
    let output = run(&["--data", &data, "usulan", "lampirkan", &id, "surat_pengantar", fake.to_str().unwrap()]);
    assert!(stderr(&output).contains("bukan PDF"), "{}", stderr(&output));

    // Every mandatory document, then the submission.
    let mut detail = created.clone();
    let wajib: Vec<String> = dokumen
        .iter()
        .filter(|row| row["wajib"] == true && row["terlampir"].is_null())
        .map(|row| row["kode"].as_str().unwrap().to_owned())
        .collect();
    assert!(wajib.len() >= 4, "{wajib:?}");
    for kode in &wajib {
        let file = temp.file(&format!("{kode}.pdf"), pdf(kode, 12_000));
        let args = ["--data", &data, "usulan", "lampirkan", &id, kode, file.to_str().unwrap(), "--json"];
        detail = json_of(&run(&args));
    }
    let attached = detail["dokumen"].as_array().unwrap().iter().find(|row| row["kode"] == "surat_pengantar").unwrap();
    assert_eq!(attached["terlampir"]["name"], "surat_pengantar.pdf");
    assert_eq!(attached["terlampir"]["size"], 12_000);
    assert_eq!(attached["terlampir"]["mime"], "application/pdf");
    let submitted = json_of(&run(&["--data", &data, "usulan", "ajukan", &id, "--json"]));
    assert_eq!(submitted["ringkas"]["status"], "diajukan");
    assert_eq!(submitted["riwayat"].as_array().unwrap().len(), 2);

    // The list as JSON (one object per usulan) and as text; the detail as text.
    let output = run(&["--data", &data, "usulan", "daftar", "--json", "--nip", NIP]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Value> = stdout(&output).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["id"].as_str(), rows[0]["status"].as_str()), (Some(id.as_str()), Some("diajukan")));
    let output = run(&["--data", &data, "usulan", "daftar"]);
    let text = stdout(&output);
    assert!(text.contains(&id) && text.contains("1 usulan ditampilkan; per status: Diajukan 1."), "{text}");
    let output = run(&["--data", &data, "usulan", "daftar", "--status", "selesai"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("Status usulan \"selesai\" tidak sah"), "{}", stderr(&output));
    let output = run(&["--data", &data, "usulan", "lihat", &id]);
    let text = stdout(&output);
    assert!(text.contains("status  : Diajukan; ada perubahan yang belum terkirim ke hub"), "{text}");
    assert!(text.contains("[x] surat_pengantar"), "{text}");
    assert!(
        text.contains(
            "aksi    : diverifikasi, bts, tms, dibatalkan (menurut alur usulan; peran Anda belum diketahui, hub \
             memutuskan saat sinkronisasi)"
        ),
        "{text}"
    );

    // Transitions name what is wrong: a BTS needs an alasan, an id must be one, the workflow's order holds.
    let output = run(&["--data", &data, "usulan", "bts", &id]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("Alasan \"\" tidak sah: pilih salah satu alasan BTS"), "{}", stderr(&output));
    let output = run(&["--data", &data, "usulan", "verifikasi", "bukan-id"]);
    assert!(stderr(&output).contains("Id usulan \"bukan-id\" tidak sah"), "{}", stderr(&output));
    let output = run(&["--data", &data, "usulan", "teruskan", &id]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("berstatus Diajukan: tidak dapat meneruskan ke BKN"), "{}", stderr(&output));
}
