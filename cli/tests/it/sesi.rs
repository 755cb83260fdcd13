//! `luring-cli login`, `sesi` and `logout` against the real local OpenID provider, driven as a script would: the
//! sign-in URL read from stdout, the "browser" played by `idp-harness`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use idp_harness::{Idp, IdpOptions};

use crate::{Temp, cli, stderr, stdout};

#[test]
fn login_prints_the_url_waits_for_the_browser_and_sesi_shows_the_officer_until_logout() {
    let idp = Idp::start(&IdpOptions::default());
    let temp = Temp::new("login");
    let data = temp.path.join("data");
    let data = data.to_str().unwrap();
    let officer = idp_harness::account("operator_instansi");

    let mut login = cli()
        .args(["--data", data, "login", "--json", "--timeout", "60", "--sso-issuer", idp.issuer()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let url = first["url"].as_str().expect("the first line carries the sign-in URL").to_owned();
    assert!(first["redirect_uri"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(idp_harness::sign_in_at(&url, &officer));
    let identity_line = lines.next().unwrap().unwrap();
    let identity: serde_json::Value = serde_json::from_str(&identity_line).unwrap();
    let login = login.wait_with_output().unwrap();
    assert!(login.status.success(), "login failed: {}", stderr(&login));
    assert_eq!(identity["nip"], officer.nip.as_str());
    assert_eq!(identity["sub"], officer.sub.as_str());
    let mut printed = format!("{first}\n{identity_line}\n{}", stderr(&login));

    let output = cli().args(["--data", data, "sesi", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    printed.push_str(&stdout(&output));
    printed.push_str(&stderr(&output));
    let sesi: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(sesi["nip"], officer.nip.as_str());
    assert_eq!(sesi["bisa_sinkron"], true);
    let left = sesi["luring_sisa_detik"].as_u64().unwrap();
    assert!(left > 29 * 24 * 3600 && left <= 30 * 24 * 3600, "{left}");
    let text = stdout(&cli().args(["--data", data, "sesi"]).output().unwrap());
    assert!(
        text.contains(&format!("NIP {}", officer.nip)) && text.contains("kerja luring masih bisa: 29 hari"),
        "{text}"
    );
    printed.push_str(&text);

    // The refresh token is stored (in the encrypted replica), and never printed.
    let folder = temp.path.join("data");
    let stored: serde_json::Value =
        serde_json::from_str(&crate::open_replica(&folder).meta("sesi").unwrap().unwrap()).unwrap();
    let refresh_token = stored["refresh_token"].as_str().expect("a stored refresh token").to_owned();
    assert!(refresh_token.len() > 20);
    assert!(!printed.contains(&refresh_token), "a token was printed");
    // Neither the token nor the officer's NIP is readable in any file of the replica (main file, WAL, SHM).
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with("replika.sqlite") {
            let bytes = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(!bytes.contains(&officer.nip) && !bytes.contains(&refresh_token), "{} is readable", path.display());
        }
    }

    let output = cli().args(["--data", data, "logout"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Token dicabut"), "{}", stdout(&output));
    assert!(!stdout(&output).contains(&refresh_token) && !stderr(&output).contains(&refresh_token));
    let output = cli().args(["--data", data, "sesi", "--json"]).output().unwrap();
    assert_eq!(stdout(&output).trim(), r#"{"masuk":false}"#);
}

#[test]
fn login_without_an_issuer_says_how_to_give_one_and_a_sync_without_a_session_says_login() {
    let temp = Temp::new("tanpa-issuer");
    let data = temp.path.join("data");
    let data = data.to_str().unwrap();
    let output = cli().args(["--data", data, "login"]).env_remove("LURING_SSO_ISSUER").output().unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("LURING_SSO_ISSUER"), "{}", stderr(&output));
    assert!(!temp.path.join("data").join("replika.sqlite").exists(), "a failed login leaves no replica");

    let output = cli()
        .args(["--data", data, "sync", "--hub", "http://127.0.0.1:9", "--scope", "instansi:X"])
        .env_remove("LURING_TOKEN")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("login"), "{}", stderr(&output));
}
