//! The SI-ASN simulator over real HTTP on 127.0.0.1: tokens, envelopes, lists, writes and faults, as a client of
//! the web service sees them.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use siasn_simulator::{Faults, Simulator, SimulatorConfig};

const PEGAWAI: usize = 40;
const SSO_URL: &str = "/auth/realms/public-siasn/protocol/openid-connect/token";

async fn mulai(faults: Faults) -> Simulator {
    let config = SimulatorConfig { pegawai: PEGAWAI, seed: 7, faults, ..SimulatorConfig::default() };
    Simulator::start(config).await.expect("simulator starts")
}

/// A minimal client: both tokens obtained through the token endpoints.
struct Klien {
    http: reqwest::Client,
    base: String,
    apim: String,
    sso: String,
}

impl Klien {
    async fn new(simulator: &Simulator) -> Klien {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
        let base = simulator.base_url();
        let mut klien = Klien { http, base, apim: String::new(), sso: String::new() };
        klien.apim = klien.apim_token().await;
        let nip = simulator.nips()[0].clone();
        let response = klien
            .http
            .post(format!("{}{SSO_URL}", klien.base))
            .form(&[
                ("grant_type", "password"),
                ("client_id", "instansi"),
                ("username", &nip),
                ("password", "simulator"),
            ])
            .send()
            .await
            .expect("sso token");
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("json");
        klien.sso = body["access_token"].as_str().expect("access_token").to_owned();
        assert_eq!(klien.sso.split('.').count(), 3, "a JWT");
        klien
    }

    async fn apim_token(&self) -> String {
        let response = self
            .http
            .post(format!("{}/oauth2/token", self.base))
            .basic_auth("simulator-key", Some("simulator-secret"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .expect("apim token");
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("json");
        body["access_token"].as_str().expect("access_token").to_owned()
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/apisiasn/1.0{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.apim))
            .header("Auth", format!("bearer {}", self.sso))
            .header("Accept", "application/json")
    }

    /// GET under `/apisiasn/1.0`: status and JSON body.
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self.request(reqwest::Method::GET, path).send().await.expect("response");
        let status = response.status();
        (status, response.json().await.expect("json body"))
    }

    async fn post_json(&self, path: &str, body: &Value) -> Result<(StatusCode, Value), reqwest::Error> {
        let response = self.request(reqwest::Method::POST, path).json(body).send().await?;
        let status = response.status();
        Ok((status, response.json().await?))
    }
}

fn tidak_ditemukan() -> Value {
    json!({"code": 0, "data": "Data tidak ditemukan"})
}

/// A `/jabatan/save` body (§1.4) for a new row of `nip`, from its data-utama.
fn body_jabatan(simulator: &Simulator, nip: &str, nomor_sk: &str) -> Value {
    let utama = simulator.data(nip, "data-utama").expect("data-utama");
    json!({
        "id": "",
        "pnsId": utama["id"],
        "instansiId": utama["instansiKerjaId"],
        "satuanKerjaId": utama["satuanKerjaKerjaId"],
        "unorId": utama["unorId"],
        "eselonId": "",
        "jenisJabatan": "4",
        "jabatanFungsionalId": "",
        "jabatanFungsionalUmumId": utama["jabatanFungsionalUmumId"],
        "nomorSk": nomor_sk,
        "tanggalSk": "20-11-2026",
        "tmtJabatan": "01-12-2026",
        "tmtPelantikan": "",
        "path": [],
    })
}

fn jabatan_rows(simulator: &Simulator, nip: &str) -> Vec<Value> {
    simulator.data(nip, "rw-jabatan").and_then(|data| data.as_array().cloned()).unwrap_or_default()
}

/// `POST /upload-dok-rw` as a hand-built multipart body (`id_riwayat`, `id_ref_dokumen` 872, `file` sk.pdf).
async fn upload(klien: &Klien, id_riwayat: &str, pdf: &[u8]) -> reqwest::Result<reqwest::Response> {
    let boundary = "batas-simulator-42";
    let mut body = Vec::new();
    for (name, value) in [("id_riwayat", id_riwayat), ("id_ref_dokumen", "872")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sk.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    klien
        .request(reqwest::Method::POST, "/upload-dok-rw")
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn token_flow_and_both_tokens_are_required() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    let nip = simulator.nips()[3].clone();

    let (status, body) = klien.get(&format!("/pns/data-utama/{nip}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["code"], 1);
    assert_eq!(body["data"]["nipBaru"], nip.as_str());

    let wrong = klien
        .http
        .post(format!("{}/oauth2/token", klien.base))
        .basic_auth("simulator-key", Some("salah"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("response");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong_sso = klien
        .http
        .post(format!("{}{SSO_URL}", klien.base))
        .form(&[("grant_type", "password"), ("username", nip.as_str()), ("password", "rahasia")])
        .send()
        .await
        .expect("response");
    assert_eq!(wrong_sso.status(), StatusCode::UNAUTHORIZED);

    let url = format!("{}/apisiasn/1.0/pns/data-utama/{nip}", klien.base);
    let only_apim = klien.http.get(&url).bearer_auth(&klien.apim).send().await.expect("response");
    assert_eq!(only_apim.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(only_apim.json::<Value>().await.expect("json"), json!({"code": 0, "data": "Token SSO mismatch"}));
    let only_sso = klien.http.get(&url).header("Auth", format!("bearer {}", klien.sso)).send().await.expect("response");
    assert_eq!(only_sso.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(only_sso.json::<Value>().await.expect("json")["message"], "Invalid Credentials");

    // Referensi: the APIM token alone is enough.
    let referensi = klien
        .http
        .get(format!("{}/referensi_siasn/1/golongan/search", klien.base))
        .bearer_auth(&klien.apim)
        .send()
        .await
        .expect("response");
    assert_eq!(referensi.status(), StatusCode::OK);
    assert_eq!(referensi.json::<Value>().await.expect("json").as_array().map(Vec::len), Some(17));

    // A pasted SSO token works until its exp; an expired one is refused with the WSO2 message.
    let pasted = Klien { sso: simulator.sso_token(Duration::from_secs(600)), ..klien };
    assert_eq!(pasted.get(&format!("/pns/rw-golongan/{nip}")).await.0, StatusCode::OK);
    let expired = Klien { sso: simulator.sso_token(Duration::ZERO), ..pasted };
    let (status, body) = expired.get(&format!("/pns/rw-golongan/{nip}")).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, json!({"message": "invalid or expired jwt"})));

    // APIM tokens expire after apim_ttl; a new token works again.
    simulator.set_faults(Faults { apim_ttl: Some(Duration::from_millis(300)), ..Faults::default() });
    let klien = Klien { sso: simulator.sso_token(Duration::from_secs(600)), ..expired };
    assert_eq!(klien.get(&format!("/pns/data-utama/{nip}")).await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, body) = klien.get(&format!("/pns/data-utama/{nip}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "Invalid Credentials");
    let klien = Klien { apim: klien.apim_token().await, ..klien };
    assert_eq!(klien.get(&format!("/pns/data-utama/{nip}")).await.0, StatusCode::OK);

    let statistik = simulator.statistik();
    assert_eq!(statistik.per_endpoint.get("oauth2/token"), Some(&3));
    assert_eq!(statistik.per_endpoint.get("openid-connect/token"), Some(&2));
    assert_eq!(statistik.per_nip.get(&nip), Some(&8), "every request naming the NIP, refused ones included");
    simulator.stop().await;
}

#[tokio::test]
async fn every_generated_endpoint_is_served_and_the_rest_is_404_code_0() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    assert_eq!(simulator.nips().len(), PEGAWAI);
    let mut seen_404 = false;
    for nip in simulator.nips().iter().take(10) {
        for endpoint in generator::ENDPOINTS {
            let (status, body) = klien.get(&format!("/pns/{endpoint}/{nip}")).await;
            match simulator.data(nip, endpoint) {
                Some(data) => assert_eq!((status, body), (StatusCode::OK, json!({"code": 1, "data": data}))),
                None => {
                    seen_404 = true;
                    assert_eq!((status, body), (StatusCode::NOT_FOUND, tidak_ditemukan()));
                }
            }
        }
    }
    assert!(seen_404, "some pegawai have no anak or no diklat");
    let nip = &simulator.nips()[0];
    for path in [
        format!("/pns/rw-kursus/{nip}"),
        format!("/pns/data-ortu/{nip}"),
        "/pns/data-utama/199901012020011999".to_owned(),
        "/angkakredit/id/1".to_owned(),
    ] {
        assert_eq!(klien.get(&path).await, (StatusCode::NOT_FOUND, tidak_ditemukan()), "{path}");
    }
    let (status, unor) = klien.get("/referensi/ref-unor?limit=5&offset=0").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unor["data"].as_array().map(Vec::len), Some(5));
    assert!(unor["count"].as_u64().is_some_and(|count| count > 5));
    simulator.stop().await;
}

#[tokio::test]
async fn shifting_pages_repeat_a_row_and_the_count_lies() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    let list = "/pns/list-pensiun-instansi?tglAwal=01-01-2000&tglAkhir=31-12-2080";

    // Without faults: pages partition the list and count is the truth.
    let (status, all) = klien.get(list).await;
    assert_eq!(status, StatusCode::OK);
    let base: Vec<Value> = all["data"].as_array().cloned().expect("rows");
    assert!(base.len() > 10, "the PNS of the dataset, {} rows", base.len());
    assert_eq!(all["count"].as_u64(), Some(base.len() as u64));
    for key in ["id", "nipBaru", "pnsId", "statusUsulan", "statusUsulanNama", "tmtPensiun", "golonganKppId"] {
        assert!(base[0].get(key).is_some(), "list-pensiun item has {key}");
    }

    simulator.set_faults(Faults { shift_pages: true, ..Faults::default() });
    let limit = 5;
    let mut ids = Vec::new();
    let mut pages = Vec::new();
    for page in 0..100 {
        let (status, body) = klien.get(&format!("{list}&limit={limit}&offset={}", page * limit)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["count"].as_u64(), Some(base.len() as u64), "count excludes the rows that appeared");
        let rows = body["data"].as_array().cloned().expect("rows");
        if rows.is_empty() {
            break;
        }
        ids.extend(rows.iter().map(|row| row["id"].as_str().expect("id").to_owned()));
        pages.push(rows);
    }
    assert_eq!(pages[0].last().map(|row| &row["id"]), pages[1].first().map(|row| &row["id"]), "a row comes again");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert!(unique.len() < ids.len(), "duplicates across pages");
    let base_ids: BTreeSet<&str> = base.iter().map(|row| row["id"].as_str().expect("id")).collect();
    assert_eq!(unique.iter().map(|id| id.as_str()).collect::<BTreeSet<_>>(), base_ids, "no row is skipped");
    // The rows that appeared while paging are at the front now, each a new usulan of a pegawai of the dataset.
    let (_, again) = klien.get(&format!("{list}&limit={limit}&offset=0")).await;
    let front = &again["data"][0];
    assert!(!base_ids.contains(front["id"].as_str().expect("id")));
    assert_eq!(front["statusUsulan"], "01");
    assert!(simulator.nips().iter().any(|nip| front["nipBaru"] == nip.as_str()));

    // list-kp-instansi: same envelope, its own items.
    let (status, kp) = klien.get("/pns/list-kp-instansi?periode=2026-04-01").await;
    assert_eq!(status, StatusCode::OK);
    let first = &kp["data"][0];
    for key in ["id", "pnsId", "nipBaru", "statusUsulan", "golonganBaruId", "tmtKp", "no_pertek", "gaji_pokok_baru"] {
        assert!(first.get(key).is_some(), "list-kp item has {key}");
    }
    assert_eq!(first["tmtKp"], "01-04-2026");
    let (status, _) = klien.get("/pns/list-kp-instansi?periode=April").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    simulator.stop().await;
}

#[tokio::test]
async fn a_lost_write_response_still_applies_the_write_once() {
    let simulator = mulai(Faults { lose_write_responses: 1, ..Faults::default() }).await;
    let klien = Klien::new(&simulator).await;
    let nip = simulator.nips()[5].clone();
    let before = jabatan_rows(&simulator, &nip).len();

    let body = body_jabatan(&simulator, &nip, "800.1.3/0042/BKPSDM/2026");
    let response = klien.request(reqwest::Method::POST, "/jabatan/save").json(&body).send().await;
    let response = response.expect("the status line and headers arrive");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.is_err(), "the rest of the response is cut");
    let rows = jabatan_rows(&simulator, &nip);
    assert_eq!(rows.len(), before + 1, "the write was applied");
    let row = rows.iter().find(|row| row["nomorSk"] == "800.1.3/0042/BKPSDM/2026").expect("the new row");
    let id = row["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 32);
    assert_eq!(row["tmtJabatan"], "01-12-2026");
    assert_eq!(row["nipBaru"], nip.as_str());
    assert_eq!(simulator.statistik().simpan, vec![("jabatan/save".to_owned(), nip.clone(), id.clone())]);

    // The client reads rw-jabatan back and finds its row; a save with that id updates it, no second row.
    let (_, served) = klien.get(&format!("/pns/rw-jabatan/{nip}")).await;
    assert!(served["data"].as_array().expect("rows").iter().any(|row| row["id"] == id.as_str()));
    let mut update = body_jabatan(&simulator, &nip, "800.1.3/0042/BKPSDM/2026");
    update["id"] = json!(id);
    update["tmtJabatan"] = json!("02-12-2026");
    let (status, reply) = klien.post_json("/jabatan/unorjabatan/save", &update).await.expect("reply");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply, json!({"success": true, "message": "success", "mapData": {"rwJabatanId": id}}));
    let rows = jabatan_rows(&simulator, &nip);
    assert_eq!(rows.len(), before + 1);
    assert!(rows.iter().any(|row| row["id"] == id.as_str() && row["tmtJabatan"] == "02-12-2026"));

    // A body without tmtJabatan is refused in the body, nothing applied.
    let mut bad = body_jabatan(&simulator, &nip, "X");
    bad["tmtJabatan"] = json!("");
    let (_, reply) = klien.post_json("/jabatan/save", &bad).await.expect("reply");
    assert_eq!(reply["success"], false);
    assert!(reply["message"].as_str().is_some_and(|message| message.contains("tmtJabatan")));
    assert_eq!(simulator.statistik().simpan.len(), 2);
    simulator.stop().await;
}

#[tokio::test]
async fn resets_cut_reads_and_drop_writes_unapplied() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    let nip = simulator.nips()[1].clone();
    simulator.set_faults(Faults { p_reset: 1.0, ..Faults::default() });
    let response = klien.request(reqwest::Method::GET, &format!("/pns/rw-golongan/{nip}")).send().await;
    let response = response.expect("the status line and headers arrive");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.is_err(), "the body never completes");
    let before = jabatan_rows(&simulator, &nip).len();
    let write = klien.request(reqwest::Method::POST, "/jabatan/save").json(&body_jabatan(&simulator, &nip, "Y"));
    let response = write.send().await.expect("the status line and headers arrive");
    assert!(response.text().await.is_err(), "the body never completes");
    assert_eq!(jabatan_rows(&simulator, &nip).len(), before, "a reset write is not applied");
    assert!(simulator.statistik().simpan.is_empty());

    // Random 401s with the WSO2 body; slow responses add their delay.
    simulator.set_faults(Faults { p_401: 1.0, ..Faults::default() });
    let (status, body) = klien.get(&format!("/pns/data-utama/{nip}")).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, json!({"message": "invalid or expired jwt"})));
    simulator.set_faults(Faults {
        latency: Duration::from_millis(50),
        p_slow: 1.0,
        slow: Duration::from_millis(150),
        ..Faults::default()
    });
    let started = Instant::now();
    assert_eq!(klien.get(&format!("/pns/data-utama/{nip}")).await.0, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(200));
    simulator.set_faults(Faults::default());
    assert_eq!(klien.get(&format!("/pns/data-utama/{nip}")).await.0, StatusCode::OK, "a new connection works");
    simulator.stop().await;
}

#[tokio::test]
async fn upload_puts_the_document_on_the_row() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    let nip = simulator.nips()[2].clone();
    let row = jabatan_rows(&simulator, &nip).into_iter().next().expect("a rw-jabatan row");
    let id = row["id"].as_str().expect("id").to_owned();
    let pdf = b"%PDF-1.4 SK jabatan (fiktif)\n%%EOF\n".to_vec();

    let response = upload(&klien, &id, &pdf).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let reply: Value = response.json().await.expect("json");
    assert_eq!(reply["code"], 1);
    let dok = &reply["data"];
    assert_eq!(dok["dok_id"], "872");
    assert_eq!(dok["dok_nama"], "Dok SK Jabatan");
    let uri = dok["dok_uri"].as_str().expect("dok_uri").to_owned();
    assert!(uri.starts_with("peremajaan/usulan/872_") && uri.ends_with(".pdf"), "{uri}");

    let (_, served) = klien.get(&format!("/pns/rw-jabatan/{nip}")).await;
    let served_row = served["data"].as_array().expect("rows").iter().find(|row| row["id"] == id.as_str()).cloned();
    assert_eq!(served_row.expect("row")["path"]["872"], *dok);
    assert_eq!(simulator.statistik().simpan, vec![("upload-dok-rw".to_owned(), nip.clone(), id)]);

    let download =
        klien.request(reqwest::Method::GET, &format!("/download-dok?filePath={uri}")).send().await.expect("download");
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), pdf.as_slice());

    let missing = upload(&klien, "ff808081000000000000000000000000", &pdf).await.expect("response");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    simulator.stop().await;
}

#[tokio::test]
async fn ubah_changes_what_is_served_and_the_export() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    let csv = simulator.export_csv();
    let config = generator::Config { pegawai: PEGAWAI, seed: 7, ..generator::Config::default() };
    assert_eq!(csv, generator::csv_bytes(&config), "the export matches the generator's");

    let nip = simulator.nips()[4].clone();
    simulator.ubah(&nip, "data-utama", None, "noHp", json!("081200000042")).expect("ubah data-utama");
    let (_, body) = klien.get(&format!("/pns/data-utama/{nip}")).await;
    assert_eq!(body["data"]["noHp"], "081200000042");
    assert!(String::from_utf8_lossy(&simulator.export_csv()).contains("081200000042"));

    let golongan = simulator.data(&nip, "rw-golongan").expect("rw-golongan");
    let row = golongan[0]["id"].as_str().expect("id").to_owned();
    simulator.ubah(&nip, "rw-golongan", Some(&row), "skNomor", json!("823.3/0001/BKD/2001")).expect("ubah riwayat");
    let (_, body) = klien.get(&format!("/pns/rw-golongan/{nip}")).await;
    assert_eq!(body["data"][0]["skNomor"], "823.3/0001/BKD/2001");
    assert_eq!(body["data"].as_array().map(Vec::len), golongan.as_array().map(Vec::len), "nothing else changed");

    assert!(simulator.ubah(&nip, "data-utama", None, "tidakAda", json!("x")).is_err());
    assert!(simulator.ubah(&nip, "rw-golongan", Some("bukan-id"), "skNomor", json!("x")).is_err());
    assert!(simulator.ubah("000", "data-utama", None, "noHp", json!("x")).is_err());
    simulator.stop().await;
}

/// What the model's decoders make of the simulator's answers: the same number of warnings before and after a save
/// and an upload, and the new row with its document.
#[tokio::test]
async fn served_bodies_decode_with_the_model_decoders() {
    let simulator = mulai(Faults::default()).await;
    let klien = Klien::new(&simulator).await;
    let nip = simulator.nips()[6].clone();
    let decode = |bodies: Vec<(String, String)>| {
        let mut warnings = Vec::new();
        let mut body_of =
            |endpoint: &str| bodies.iter().find(|(name, _)| name == endpoint).map(|(_, body)| body.clone());
        let pegawai = model::siasn::ws::decode_pegawai(&model::id::Nip::clean(&nip), &mut body_of, &mut warnings);
        (pegawai.expect("decoded"), warnings)
    };
    let fetch = || async {
        let mut bodies = Vec::new();
        for endpoint in model::siasn::ws::PEGAWAI_ENDPOINTS {
            let response = klien.request(reqwest::Method::GET, &format!("/pns/{endpoint}/{nip}")).send().await;
            bodies.push((endpoint.to_string(), response.expect("response").text().await.expect("body")));
        }
        bodies
    };
    let (before, warnings_before) = decode(fetch().await);

    let (_, reply) =
        klien.post_json("/jabatan/save", &body_jabatan(&simulator, &nip, "800/7/2026")).await.expect("save");
    let id = reply["mapData"]["rwJabatanId"].as_str().expect("id").to_owned();
    let uploaded = upload(&klien, &id, b"%PDF-1.4 (fiktif)").await.expect("upload");
    assert_eq!(uploaded.status(), StatusCode::OK);
    let (after, warnings_after) = decode(fetch().await);
    assert_eq!(warnings_after.len(), warnings_before.len(), "{warnings_after:?}");
    assert_eq!(after.riwayat_jabatan.len(), before.riwayat_jabatan.len() + 1);
    let row = after.riwayat_jabatan.iter().find(|row| row.id.as_deref() == Some(id.as_str())).expect("new row");
    assert_eq!(row.dokumen.len(), 1);
    assert_eq!(row.dokumen[0].dok_id, "872");

    let mut warnings = Vec::new();
    let (_, kp) = klien.get("/pns/list-kp-instansi?periode=2026-04-01").await;
    let usulan = model::siasn::lists::decode_list_kp(&kp.to_string(), &mut warnings);
    let (_, pensiun) = klien.get("/pns/list-pensiun-instansi?tglAwal=01-01-2000&tglAkhir=31-12-2080").await;
    let pensiun = model::siasn::lists::decode_list_pensiun(&pensiun.to_string(), &mut warnings);
    let (_, unor) = klien.get("/referensi/ref-unor").await;
    let unor = model::siasn::lists::decode_ref_unor(&unor.to_string(), &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(!usulan.is_empty() && !pensiun.is_empty() && !unor.is_empty());
    assert!(usulan.iter().all(|usulan| usulan.nip.is_some() && usulan.tmt_kp.is_some()));
    simulator.stop().await;
}
