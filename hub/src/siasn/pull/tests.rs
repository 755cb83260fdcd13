//! Unit tests of the pull's pure parts: the KP periods asked for, the endpoint list, which errors stop a run before
//! any job, the instansi check and SI-ASN's own "no rows" answer.

#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn kp_periods_follow_the_calendar_in_force() {
    // Monthly since October 2025 (periode-kp.json).
    assert_eq!(kp_periods(date("2026-12-15")), vec![date("2026-12-01"), date("2027-01-01")]);
    assert_eq!(kp_periods(date("2026-12-01")), vec![date("2026-12-01"), date("2027-01-01")]);
    // Six periods a year in 2024–2025: the last is August, the next October.
    assert_eq!(kp_periods(date("2025-09-10")), vec![date("2025-08-01"), date("2025-10-01")]);
}

#[test]
fn data_utama_comes_first_and_unknown_endpoints_are_dropped() {
    let wanted: Vec<String> =
        ["rw-jabatan", "data-utama", "rw-tidak-ada", "rw-jabatan"].iter().map(|e| (*e).to_owned()).collect();
    assert_eq!(endpoints_of(&wanted), vec!["data-utama".to_owned(), "rw-jabatan".to_owned()]);
    let defaults: Vec<String> = DEFAULT_ENDPOINTS.iter().map(|e| (*e).to_owned()).collect();
    assert_eq!(endpoints_of(&defaults).len(), 11);
}

#[test]
fn a_run_that_cannot_authenticate_stops_before_any_job() {
    let apim = SiasnError::TokenApim { url: "u".into(), pesan: "HTTP 401".into() };
    let refused = SiasnError::Otentikasi { path: "/referensi/ref-unor".into(), pesan: "HTTP 401".into() };
    let expired = SiasnError::SsoKedaluwarsa { sejak: Utc::now() };
    for error in [apim, refused, expired] {
        assert!(is_auth_failure(&error), "{error}");
    }
    let page = SiasnError::Jawaban { path: "/pns/list-kp-instansi".into(), pesan: "HTTP 500".into() };
    let network = SiasnError::Jaringan { path: "/x".into(), pesan: "reset".into(), percobaan: 4 };
    assert!(!is_auth_failure(&page) && !is_auth_failure(&network), "a list that fails is reported, not fatal");
}

#[test]
fn a_data_utama_of_another_instansi_is_told_apart() {
    let mut utama = model::pegawai::DataUtama {
        instansi_induk_id: Some("A5EB03E23CCCF6A0E040640A040252AD".into()),
        instansi_kerja_id: Some("X".into()),
        ..Default::default()
    };
    assert_eq!(instansi_lain(&utama, "A5EB03E23CCCF6A0E040640A040252AD"), None);
    assert_eq!(instansi_lain(&utama, " a5eb03e23cccf6a0e040640a040252ad "), None, "case and spaces aside");
    assert_eq!(instansi_lain(&utama, "SALAH").as_deref(), Some("A5EB03E23CCCF6A0E040640A040252AD"));
    // No induk: the kerja id decides; neither: nothing to check.
    utama.instansi_induk_id = Some("  ".into());
    assert_eq!(instansi_lain(&utama, "SALAH").as_deref(), Some("X"));
    utama.instansi_kerja_id = None;
    assert_eq!(instansi_lain(&utama, "SALAH"), None);
    let stop = SiasnError::InstansiLain { instansi: "SALAH".into(), milik: "X".into(), nip: 5 };
    assert!(stop.to_string().contains("periksa --instansi"), "{stop}");
}

#[test]
fn only_siasn_s_own_envelope_means_no_rows() {
    assert!(is_siasn_not_found(r#"{"code":0,"data":"Data tidak ditemukan"}"#));
    assert!(is_siasn_not_found(r#"{"code":"0","data":[]}"#));
    assert!(is_siasn_not_found(r#"{"data":"record not found"}"#));
    assert!(!is_siasn_not_found(""));
    assert!(!is_siasn_not_found("<html>404 Not Found</html>"));
    assert!(!is_siasn_not_found(r#"{"code":404,"message":"Not Found"}"#));
    assert!(!is_siasn_not_found(r#"{"data":null}"#));
}

/// A loopback SI-ASN whose list pages and per-NIP answers are scripted: its base URL.
async fn scripted(pages: Vec<Vec<&'static str>>, per_nip: (u16, &'static str)) -> String {
    use axum::extract::{Query, State};
    use axum::response::IntoResponse;
    type Script = (Vec<Vec<&'static str>>, usize, (u16, &'static str));
    let script: Arc<Script> = Arc::new((pages, 2, per_nip));
    let token = || async { axum::Json(serde_json::json!({"access_token": "apim", "expires_in": 3600})) };
    let list = |State(script): State<Arc<Script>>, Query(query): Query<BTreeMap<String, usize>>| async move {
        // `limit` is 2 in these tests; the page index is offset / limit.
        let page = query.get("offset").copied().unwrap_or(0) / script.1;
        let rows: Vec<serde_json::Value> = script
            .0
            .get(page)
            .map(|ids| ids.iter().map(|id| serde_json::json!({"id": id, "nip": "199001012015011001"})).collect())
            .unwrap_or_default();
        axum::Json(serde_json::json!({"code": 1, "data": rows}))
    };
    let nip = |State(script): State<Arc<Script>>| async move {
        let (status, body) = script.2;
        (axum::http::StatusCode::from_u16(status).unwrap(), body).into_response()
    };
    let app = axum::Router::new()
        .route("/oauth2/token", axum::routing::post(token))
        .route("/apisiasn/1.0/pns/list-kp-instansi", axum::routing::get(list))
        .route("/apisiasn/1.0/pns/{endpoint}/{nip}", axum::routing::get(nip))
        .with_state(script);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn scripted_client(base: &str) -> SiasnClient {
    SiasnClient::new(super::super::SiasnConfig {
        base_url: base.to_owned(),
        apim_token_url: format!("{base}/oauth2/token"),
        consumer_key: "kunci".into(),
        consumer_secret: "rahasia".into(),
        sso: super::super::SsoSource::Token("sso".into()),
        konkurensi: 2,
        per_detik: 0.0,
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

async fn walk_ids(base: &str) -> (Vec<String>, usize) {
    let client = scripted_client(base);
    let walk = walk::<UsulanKp>(&client, "/pns/list-kp-instansi", &[], 2, "list-kp-instansi", &mut |_| {}).await;
    let walk = walk.unwrap();
    (walk.items.iter().filter_map(|item| item.id.clone()).collect(), walk.pages)
}

#[tokio::test]
async fn a_list_is_read_until_an_empty_page_past_pages_with_nothing_new() {
    // Page 1 repeats page 0 (the list shifted), page 2 brings new rows, page 3 is empty.
    let base = scripted(vec![vec!["a", "b"], vec!["a", "b"], vec!["c", "d"], vec![]], (200, "")).await;
    let (ids, _) = walk_ids(&base).await;
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn a_server_ignoring_offset_ends_the_walk_after_a_few_stale_pages() {
    let same = vec!["a", "b"];
    let base = scripted(vec![same.clone(); MAX_PAGES], (200, "")).await;
    let (ids, pages) = walk_ids(&base).await;
    assert_eq!(ids, ["a", "b"]);
    // The first page, STALE_PAGES with nothing new, then the second look at the first page.
    assert_eq!(pages, 1 + STALE_PAGES + 1);
}

#[tokio::test]
async fn an_empty_body_or_a_foreign_404_fails_the_nip_instead_of_emptying_its_list() {
    let endpoints = Arc::new(vec!["rw-jabatan".to_owned()]);
    let nip = "199001012015011001".to_owned();
    for (status, body) in [(200, ""), (404, ""), (404, "<html><body>404 Not Found</body></html>"), (404, "{}")] {
        let base = scripted(Vec::new(), (status, body)).await;
        let (_, fetched) = fetch_nip(scripted_client(&base), nip.clone(), endpoints.clone()).await;
        assert!(matches!(fetched, Err(SiasnError::Jawaban { .. })), "{status} {body:?}: {fetched:?}");
    }
    // SI-ASN's own "none" is an empty riwayat list.
    for body in [r#"{"code":0,"data":"Data tidak ditemukan"}"#, r#"{"code":0,"data":"record not found"}"#] {
        let base = scripted(Vec::new(), (404, body)).await;
        let (_, fetched) = fetch_nip(scripted_client(&base), nip.clone(), endpoints.clone()).await;
        assert_eq!(fetched.unwrap().get("rw-jabatan").map(String::as_str), Some(body));
    }
}
