//! The HTTP routes of the simulator and their answers in SI-ASN's envelopes (siasn-api.md §1.3–§1.5).
//!
//! Handlers only read or change the [`crate::dataset::Dataset`] and shape the answer; counting, latency, tokens and
//! faults are done around them by [`crate::faults::middleware`].
//!
//! What it deliberately does not serve: every other endpoint of §1.3 (other `*/save`, deletes, `upload-dok`,
//! photos, sync endpoints, pengadaan) answers 404 `{"code":0,"data":"Data tidak ditemukan"}`; the referensi WS
//! knows only `agama`, `golongan` and `ref-dokumen`.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::Shared;
use crate::auth::{SSO_TTL, TolakToken};
use crate::dataset::{self, GagalUnggah, tanggal};

/// The largest request body accepted (uploads): 32 MiB.
const BATAS_BODY: usize = 32 * 1024 * 1024;

/// Every route, wrapped in the fault middleware.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/oauth2/token", post(apim_token))
        .route("/auth/realms/public-siasn/protocol/openid-connect/token", post(sso_token))
        .route("/apisiasn/1.0/pns/list-kp-instansi", get(list_kp))
        .route("/apisiasn/1.0/pns/list-pensiun-instansi", get(list_pensiun))
        .route("/apisiasn/1.0/pns/{endpoint}/{nip}", get(pns))
        .route("/apisiasn/1.0/referensi/ref-unor", get(ref_unor))
        .route("/apisiasn/1.0/jabatan/save", post(jabatan_save))
        .route("/apisiasn/1.0/jabatan/unorjabatan/save", post(unorjabatan_save))
        .route("/apisiasn/1.0/upload-dok-rw", post(upload_dok_rw))
        .route("/apisiasn/1.0/download-dok", get(download_dok))
        .route("/referensi_siasn/1/{name}", get(referensi))
        .route("/referensi_siasn/1/{name}/search", get(referensi))
        .fallback(|| async { tidak_ditemukan() })
        .layer(DefaultBodyLimit::max(BATAS_BODY))
        .layer(from_fn_with_state(shared.clone(), crate::faults::middleware))
        .with_state(shared)
}

/// A JSON response.
pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// HTTP 404 `{"code":0,"data":"Data tidak ditemukan"}` (§1.5).
fn tidak_ditemukan() -> Response {
    json_response(StatusCode::NOT_FOUND, json!({"code": 0, "data": "Data tidak ditemukan"}))
}

/// HTTP 400 `{"code":0,"data":<pesan>}`.
fn permintaan_salah(pesan: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, json!({"code": 0, "data": pesan}))
}

/// `POST /oauth2/token` (WSO2 client credentials, §1.2.1).
async fn apim_token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else { return oauth_error(StatusCode::BAD_REQUEST, "invalid_request") };
    let authorization = headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok());
    match shared.auth.apim_token(authorization, &form) {
        Ok(token) => {
            let ttl = shared.faults.lock().unwrap_or_else(PoisonError::into_inner).apim_ttl();
            json_response(
                StatusCode::OK,
                json!({"access_token": token, "scope": "default", "token_type": "Bearer", "expires_in": ttl.as_secs()}),
            )
        }
        Err(TolakToken::Grant) => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
        Err(TolakToken::Kredensial) => oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
    }
}

/// `POST /auth/realms/public-siasn/protocol/openid-connect/token` (Keycloak password grant, §1.2.2).
async fn sso_token(
    State(shared): State<Arc<Shared>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else { return oauth_error(StatusCode::BAD_REQUEST, "invalid_request") };
    match shared.auth.sso_password(&form) {
        Ok(token) => json_response(
            StatusCode::OK,
            json!({
                "access_token": token,
                "expires_in": SSO_TTL.as_secs(),
                "refresh_expires_in": 0,
                "token_type": "Bearer",
                "not-before-policy": 0,
                "scope": "profile email",
            }),
        ),
        Err(TolakToken::Grant) => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
        Err(TolakToken::Kredensial) => oauth_error(StatusCode::UNAUTHORIZED, "invalid_grant"),
    }
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    let description = match error {
        "invalid_client" => "Kunci atau rahasia konsumen salah (simulator SI-ASN)",
        "invalid_grant" => "Invalid user credentials",
        "unsupported_grant_type" => "grant_type tidak didukung endpoint ini",
        _ => "Permintaan token harus berupa form application/x-www-form-urlencoded",
    };
    json_response(status, json!({"error": error, "error_description": description}))
}

/// `GET /pns/{endpoint}/{nip}`: data-utama, the generated riwayat and keluarga endpoints; others 404 `code 0`.
async fn pns(State(shared): State<Arc<Shared>>, Path((endpoint, nip)): Path<(String, String)>) -> Response {
    let dataset = shared.dataset.read().unwrap_or_else(PoisonError::into_inner);
    match dataset.data(&nip, &endpoint) {
        Some(data) => json_response(StatusCode::OK, json!({"code": 1, "data": data})),
        None => tidak_ditemukan(),
    }
}

/// `limit` and `offset` of a list request (absent limit: everything from `offset`); the error is the message of a
/// 400 answer.
fn halaman(query: &HashMap<String, String>) -> Result<(Option<usize>, usize), String> {
    let number = |key: &str| -> Result<Option<usize>, String> {
        match query.get(key).map(|value| value.trim()).filter(|value| !value.is_empty()) {
            None => Ok(None),
            Some(value) => value.parse().map(Some).map_err(|_| format!("{key} harus bilangan bulat ≥ 0")),
        }
    };
    Ok((number("limit")?, number("offset")?.unwrap_or(0)))
}

/// A list answer `{"code":1,"data":[page],"count":count}`, or 404 `code 0` when the whole list is empty.
fn daftar(rows: &[Value], limit: Option<usize>, offset: usize, count: usize) -> Response {
    if rows.is_empty() {
        return tidak_ditemukan();
    }
    let start = offset.min(rows.len());
    let end = limit.map_or(rows.len(), |limit| start.saturating_add(limit).min(rows.len()));
    json_response(StatusCode::OK, json!({"code": 1, "data": &rows[start..end], "count": count}))
}

/// A list of usulan with `Faults::shift_pages`: a request for a page after the first first puts a new row at the
/// front; `count` then stays the number of rows without those (so it lies once any was added).
fn daftar_usulan(
    shared: &Shared,
    key: &str,
    kp: Option<NaiveDate>,
    base: impl FnOnce(&dataset::Dataset) -> Vec<Value>,
    query: &HashMap<String, String>,
) -> Response {
    let (limit, offset) = match halaman(query) {
        Ok(page) => page,
        Err(pesan) => return permintaan_salah(&pesan),
    };
    let shift = shared.faults.lock().unwrap_or_else(PoisonError::into_inner).faults.shift_pages;
    let mut dataset = shared.dataset.write().unwrap_or_else(PoisonError::into_inner);
    if shift && offset > 0 {
        dataset.sisipkan(key, kp);
    }
    let base = base(&dataset);
    let count = base.len();
    let mut rows = dataset.sisipan(key).to_vec();
    rows.extend(base);
    let count = if shift { count } else { rows.len() };
    daftar(&rows, limit, offset, count)
}

/// `GET /pns/list-kp-instansi?periode=yyyy-mm-dd&limit&offset` (§2.4).
async fn list_kp(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let periode = query.get("periode").and_then(|text| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok());
    let Some(periode) = periode else { return permintaan_salah("parameter periode wajib, format yyyy-mm-dd") };
    let key = format!("list-kp-instansi?periode={periode}");
    daftar_usulan(&shared, &key, Some(periode), |dataset| dataset.list_kp(periode), &query)
}

/// `GET /pns/list-pensiun-instansi?tglAwal=dd-mm-yyyy&tglAkhir=dd-mm-yyyy&limit&offset` (§2.4).
async fn list_pensiun(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let date = |key: &str| query.get(key).and_then(|text| tanggal(text));
    let (Some(awal), Some(akhir)) = (date("tglAwal"), date("tglAkhir")) else {
        return permintaan_salah("parameter tglAwal dan tglAkhir wajib, format dd-mm-yyyy");
    };
    let key = format!("list-pensiun-instansi?tglAwal={awal}&tglAkhir={akhir}");
    daftar_usulan(&shared, &key, None, |dataset| dataset.list_pensiun(awal, akhir), &query)
}

/// `GET /referensi/ref-unor?limit&offset`: the unit tree, paged honestly (no shifting).
async fn ref_unor(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let (limit, offset) = match halaman(&query) {
        Ok(page) => page,
        Err(pesan) => return permintaan_salah(&pesan),
    };
    let dataset = shared.dataset.read().unwrap_or_else(PoisonError::into_inner);
    daftar(dataset.unor(), limit, offset, dataset.unor().len())
}

/// `POST /jabatan/save` (§1.4).
async fn jabatan_save(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    simpan(&shared, &body, "jabatan/save", false)
}

/// `POST /jabatan/unorjabatan/save` (§1.4: the jabatan fields plus mutasi/penugasan/subjabatan).
async fn unorjabatan_save(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    simpan(&shared, &body, "jabatan/unorjabatan/save", true)
}

/// Applies a jabatan save; failures are `{"success":false,"message":…}` with HTTP 200, as SI-ASN reports them.
fn simpan(shared: &Shared, body: &[u8], endpoint: &str, unorjabatan: bool) -> Response {
    let result = match serde_json::from_slice::<Value>(body) {
        Ok(body) => shared.dataset.write().unwrap_or_else(PoisonError::into_inner).simpan_jabatan(&body, unorjabatan),
        Err(error) => Err(format!("body bukan JSON: {error}")),
    };
    match result {
        Ok(tersimpan) => {
            shared.catat_simpan(endpoint, &tersimpan.nip, &tersimpan.id);
            let tanpa_id = shared.faults.lock().unwrap_or_else(PoisonError::into_inner).take_save_without_id();
            if tanpa_id {
                return json_response(StatusCode::OK, json!({"success": true, "message": "success", "mapData": {}}));
            }
            json_response(
                StatusCode::OK,
                json!({"success": true, "message": "success", "mapData": {"rwJabatanId": tersimpan.id}}),
            )
        }
        Err(message) => json_response(StatusCode::OK, json!({"success": false, "message": message})),
    }
}

/// `POST /upload-dok-rw` (multipart `file`, `id_riwayat`, `id_ref_dokumen`; §1.3, §1.5).
async fn upload_dok_rw(
    State(shared): State<Arc<Shared>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut multipart) = multipart else { return permintaan_salah("body harus multipart/form-data") };
    let (mut file, mut nama_file, mut id_riwayat, mut id_ref_dokumen) = (None, String::new(), None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return permintaan_salah(&format!("multipart rusak: {error}")),
        };
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "file" => {
                nama_file = field.file_name().unwrap_or("").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some(bytes.to_vec()),
                    Err(error) => return permintaan_salah(&format!("file tidak terbaca: {error}")),
                }
            }
            "id_riwayat" | "id_ref_dokumen" => {
                let Ok(text) = field.text().await else { return permintaan_salah("field multipart tidak terbaca") };
                let text = text.trim().to_owned();
                if name == "id_riwayat" { id_riwayat = Some(text) } else { id_ref_dokumen = Some(text) }
            }
            _ => {}
        }
    }
    let (Some(file), Some(id_riwayat), Some(id_ref_dokumen)) = (file, id_riwayat, id_ref_dokumen) else {
        return permintaan_salah("field file, id_riwayat dan id_ref_dokumen wajib");
    };
    let result = shared.dataset.write().unwrap_or_else(PoisonError::into_inner).unggah(
        &id_riwayat,
        &id_ref_dokumen,
        &nama_file,
        file,
    );
    match result {
        Ok((nip, dok)) => {
            shared.catat_simpan("upload-dok-rw", &nip, &id_riwayat);
            json_response(StatusCode::OK, json!({"code": 1, "data": dok}))
        }
        Err(GagalUnggah::TidakAda) => tidak_ditemukan(),
        Err(GagalUnggah::Salah(pesan)) => permintaan_salah(&pesan),
    }
}

/// `GET /download-dok?filePath=<dok_uri>`: a document uploaded to this simulator.
async fn download_dok(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let path = query.get("filePath").map(String::as_str).unwrap_or("");
    let dataset = shared.dataset.read().unwrap_or_else(PoisonError::into_inner);
    let Some(bytes) = dataset.dokumen(path) else { return tidak_ditemukan() };
    let mime = if path.ends_with(".pdf") { "application/pdf" } else { "application/octet-stream" };
    let mut response = bytes.to_vec().into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(mime));
    response
}

/// `GET /referensi_siasn/1/{name}[/search]`: a bare array (S5), for the few references the simulator knows.
async fn referensi(Path(name): Path<String>) -> Response {
    let rows: Vec<Value> = match name.as_str() {
        "agama" => ["Islam", "Kristen", "Katholik", "Hindu", "Budha", "Konghucu", "Lainnya"]
            .iter()
            .enumerate()
            .map(|(index, nama)| json!({"id": (index + 1).to_string(), "nama": nama}))
            .collect(),
        "golongan" => {
            GOLONGAN.iter().map(|(id, nama, pangkat)| json!({"id": id, "nama": nama, "namaPangkat": pangkat})).collect()
        }
        "ref-dokumen" => {
            dataset::REF_DOKUMEN.iter().map(|id| json!({"id": id, "nama": dataset::nama_dokumen(id)})).collect()
        }
        _ => return tidak_ditemukan(),
    };
    json_response(StatusCode::OK, Value::Array(rows))
}

/// Golongan/ruang (siasn-api.md §3): id, nama, namaPangkat.
const GOLONGAN: [(&str, &str, &str); 17] = [
    ("11", "I/a", "Juru Muda"),
    ("12", "I/b", "Juru Muda Tingkat I"),
    ("13", "I/c", "Juru"),
    ("14", "I/d", "Juru Tingkat I"),
    ("21", "II/a", "Pengatur Muda"),
    ("22", "II/b", "Pengatur Muda Tingkat I"),
    ("23", "II/c", "Pengatur"),
    ("24", "II/d", "Pengatur Tingkat I"),
    ("31", "III/a", "Penata Muda"),
    ("32", "III/b", "Penata Muda Tingkat I"),
    ("33", "III/c", "Penata"),
    ("34", "III/d", "Penata Tingkat I"),
    ("41", "IV/a", "Pembina"),
    ("42", "IV/b", "Pembina Tingkat I"),
    ("43", "IV/c", "Pembina Utama Muda"),
    ("44", "IV/d", "Pembina Utama Madya"),
    ("45", "IV/e", "Pembina Utama"),
];
