//! Everything that happens to a request before and after its handler: counting, latency, the token checks, and
//! the injected faults of [`Faults`] (a middleware over every route).
//!
//! Order for one request:
//! 1. it is counted in [`crate::Statistik`] (endpoint, NIP in the path);
//! 2. `latency` is slept (every request, token endpoints included);
//! 3. for the web service (`/apisiasn/1.0`, `/referensi_siasn/1`) three numbers are drawn from the seeded RNG, in
//!    this order: slow (`p_slow`), 401 (`p_401`), reset (`p_reset`); token endpoints draw nothing;
//! 4. slow → `slow` is slept on top of the latency;
//! 5. tokens: a missing, unknown or expired APIM token → 401 WSO2 body; under `/apisiasn/1.0` a missing or foreign
//!    SSO token → 401 `{"code":0,"data":"Token SSO mismatch"}`, an expired one → 401 `{"message":"invalid or
//!    expired jwt"}`; then the random 401 → `{"message":"invalid or expired jwt"}` (§1.2.6). None of these run
//!    the handler, so a refused write is not applied;
//! 6. writes (POST under `/apisiasn/1.0`): a reset draw cuts the connection WITHOUT applying the write; otherwise,
//!    while `lose_write_responses` is above zero, it is decremented, the handler runs (a valid write is applied,
//!    counted in `Statistik::simpan`) and its response is cut; while `drop_writes` is above zero, it is
//!    decremented and the connection is cut WITHOUT applying the write; while `saves_without_id` is above zero, a
//!    jabatan save decrements it and is answered `success:true` without `mapData.rwJabatanId`;
//! 7. reads: the handler runs and, on a reset draw, its response is cut.
//!
//! "Cut" means: the status line and headers go out, then about half of the body (none for an unapplied write),
//! then the body stream fails, so the server aborts the connection without the final chunk. A client sees an
//! error while reading the body (or, if nothing was flushed yet, while waiting for the response).
//!
//! Determinism: the RNG is re-seeded with `Faults::seed` by every `set_faults`, so a sequential client sees the same
//! faults on every run; concurrent clients interleave their draws in arrival order.
//!
//! What it deliberately does not do: no faults on the token endpoints (only latency), no TLS, no rate limiting,
//! no 5xx answers, and no resets at the TCP level before the headers (the body stream error is how axum lets a
//! handler break a connection).

use std::io;
use std::pin::Pin;
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

use crate::auth::TolakSso;
use crate::{Faults, Shared, routes::json_response};

/// The APIM token lifetime when `Faults::apim_ttl` is `None` (S2 and S7 cache it for an hour).
pub(crate) const APIM_TTL: Duration = Duration::from_secs(3_600);

/// The load-balancer cookie the simulated gateway sets (S7 keeps such cookies; nothing checks it).
const LB_COOKIE: &str = "SIASNLB=simulator-1; Path=/; HttpOnly";

/// The fault settings and the RNG drawing from them.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub(crate) faults: Faults,
    rng: fastrand::Rng,
    /// Write responses still to lose.
    lose_left: u32,
    /// Writes still to drop unapplied.
    drop_left: u32,
    /// Jabatan saves still to answer without their id.
    tanpa_id_left: u32,
}

/// What the RNG decided for one request.
#[derive(Debug, Clone, Copy, Default)]
struct Undian {
    slow: bool,
    unauthorized: bool,
    reset: bool,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> FaultState {
        FaultState {
            rng: fastrand::Rng::with_seed(faults.seed),
            lose_left: faults.lose_write_responses,
            drop_left: faults.drop_writes,
            tanpa_id_left: faults.saves_without_id,
            faults,
        }
    }

    /// The APIM token lifetime in force.
    pub(crate) fn apim_ttl(&self) -> Duration {
        self.faults.apim_ttl.unwrap_or(APIM_TTL)
    }

    fn draw(&mut self) -> Undian {
        let (slow, unauthorized, reset) = (self.rng.f64(), self.rng.f64(), self.rng.f64());
        Undian {
            slow: slow < self.faults.p_slow,
            unauthorized: unauthorized < self.faults.p_401,
            reset: reset < self.faults.p_reset,
        }
    }

    fn take_dropped_write(&mut self) -> bool {
        let drop = self.drop_left > 0;
        self.drop_left = self.drop_left.saturating_sub(1);
        drop
    }

    /// Whether the next jabatan save is answered without its id (and counts it).
    pub(crate) fn take_save_without_id(&mut self) -> bool {
        let tanpa_id = self.tanpa_id_left > 0;
        self.tanpa_id_left = self.tanpa_id_left.saturating_sub(1);
        tanpa_id
    }

    fn take_lost_write(&mut self) -> bool {
        let lose = self.lose_left > 0;
        self.lose_left = self.lose_left.saturating_sub(1);
        lose
    }
}

/// Which part of the service a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bagian {
    /// `/oauth2/token`, the SSO token endpoint.
    Token,
    /// `/apisiasn/1.0/...`: both tokens.
    Ws,
    /// `/referensi_siasn/1/...`: APIM token only.
    Referensi,
    /// Anything else (404).
    Lain,
}

/// A request as counted: its endpoint name, the NIP in its path, and its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Permintaan {
    pub(crate) endpoint: String,
    pub(crate) nip: Option<String>,
    bagian: Bagian,
}

/// Names the endpoint of `path` as [`crate::Statistik::per_endpoint`] counts it.
pub(crate) fn klasifikasi(path: &str) -> Permintaan {
    let permintaan = |endpoint: &str, nip: Option<&str>, bagian| Permintaan {
        endpoint: endpoint.to_owned(),
        nip: nip.filter(|nip| !nip.is_empty()).map(str::to_owned),
        bagian,
    };
    if path == "/oauth2/token" {
        return permintaan("oauth2/token", None, Bagian::Token);
    }
    if path == "/auth/realms/public-siasn/protocol/openid-connect/token" {
        return permintaan("openid-connect/token", None, Bagian::Token);
    }
    if let Some(rest) = path.strip_prefix("/apisiasn/1.0/") {
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        return match segments.as_slice() {
            ["pns", endpoint, nip] => permintaan(endpoint, Some(nip), Bagian::Ws),
            ["pns", endpoint] | ["referensi", endpoint] => permintaan(endpoint, None, Bagian::Ws),
            _ => permintaan(rest.trim_end_matches('/'), None, Bagian::Ws),
        };
    }
    if let Some(rest) = path.strip_prefix("/referensi_siasn/1/") {
        let name = rest.split('/').next().unwrap_or("");
        return permintaan(&format!("referensi/{name}"), None, Bagian::Referensi);
    }
    permintaan(path.trim_matches('/'), None, Bagian::Lain)
}

/// The middleware of every route (see the module docs for the order).
pub(crate) async fn middleware(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let permintaan = klasifikasi(request.uri().path());
    shared.catat(&permintaan.endpoint, permintaan.nip.as_deref());
    let layanan = matches!(permintaan.bagian, Bagian::Ws | Bagian::Referensi);
    let (latency, slow, undian, apim_ttl) = {
        let mut state = shared.faults.lock().unwrap_or_else(PoisonError::into_inner);
        let undian = if layanan { state.draw() } else { Undian::default() };
        (state.faults.latency, state.faults.slow, undian, state.apim_ttl())
    };
    let jeda = latency + if undian.slow { slow } else { Duration::ZERO };
    if !jeda.is_zero() {
        tokio::time::sleep(jeda).await;
    }
    if layanan && !shared.auth.apim_valid(request.headers(), apim_ttl) {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({
                "code": "900901",
                "message": "Invalid Credentials",
                "description": "Invalid Credentials. Make sure you have provided the correct security credentials",
                "type": "Status report",
            }),
        );
    }
    if permintaan.bagian == Bagian::Ws {
        match shared.auth.sso_check(request.headers()) {
            Ok(()) => {}
            Err(TolakSso::Mismatch) => {
                return json_response(StatusCode::UNAUTHORIZED, json!({"code": 0, "data": "Token SSO mismatch"}));
            }
            Err(TolakSso::Expired) => {
                return json_response(StatusCode::UNAUTHORIZED, json!({"message": "invalid or expired jwt"}));
            }
        }
    }
    if undian.unauthorized {
        return json_response(StatusCode::UNAUTHORIZED, json!({"message": "invalid or expired jwt"}));
    }
    let cookie = layanan && !request.headers().contains_key(COOKIE);
    let write = permintaan.bagian == Bagian::Ws && request.method() == Method::POST;
    if write && (undian.reset || shared.faults.lock().unwrap_or_else(PoisonError::into_inner).take_dropped_write()) {
        return terpotong(StatusCode::OK, Bytes::new());
    }
    let lost = write && shared.faults.lock().unwrap_or_else(PoisonError::into_inner).take_lost_write();
    let mut response = next.run(request).await;
    if cookie {
        response.headers_mut().insert(SET_COOKIE, HeaderValue::from_static(LB_COOKIE));
    }
    if lost || (!write && undian.reset) {
        return potong(response).await;
    }
    response
}

/// `response` with its body cut after about half of it.
async fn potong(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.remove(CONTENT_LENGTH);
    let half = bytes.slice(..bytes.len() / 2);
    Response::from_parts(parts, Body::from_stream(Terpotong::new(half)))
}

/// A JSON response of `status` whose body is `awal`, then a broken connection.
fn terpotong(status: StatusCode, awal: Bytes) -> Response {
    let mut response = Response::new(Body::from_stream(Terpotong::new(awal)));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A body stream: `awal`, a short pause (so the server flushes what it has), then an I/O error.
struct Terpotong {
    awal: Option<Bytes>,
    jeda: Pin<Box<tokio::time::Sleep>>,
}

impl Terpotong {
    fn new(awal: Bytes) -> Terpotong {
        Terpotong { awal: Some(awal), jeda: Box::pin(tokio::time::sleep(Duration::from_millis(20))) }
    }
}

impl futures_core::Stream for Terpotong {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(awal) = this.awal.take().filter(|awal| !awal.is_empty()) {
            return Poll::Ready(Some(Ok(awal)));
        }
        match this.jeda.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "simulator SI-ASN: koneksi diputus (gangguan yang disengaja)",
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_named_as_statistik_counts_them() {
        let p = klasifikasi("/apisiasn/1.0/pns/rw-jabatan/198501012010011001");
        assert_eq!((p.endpoint.as_str(), p.nip.as_deref()), ("rw-jabatan", Some("198501012010011001")));
        assert_eq!(klasifikasi("/apisiasn/1.0/pns/list-kp-instansi").endpoint, "list-kp-instansi");
        assert_eq!(klasifikasi("/apisiasn/1.0/referensi/ref-unor").endpoint, "ref-unor");
        assert_eq!(klasifikasi("/apisiasn/1.0/jabatan/unorjabatan/save").endpoint, "jabatan/unorjabatan/save");
        assert_eq!(klasifikasi("/apisiasn/1.0/upload-dok-rw").endpoint, "upload-dok-rw");
        assert_eq!(klasifikasi("/oauth2/token").endpoint, "oauth2/token");
        assert_eq!(klasifikasi("/referensi_siasn/1/agama/search").endpoint, "referensi/agama");
    }

    #[test]
    fn draws_are_deterministic_per_seed() {
        let faults = Faults { p_401: 0.5, p_reset: 0.5, p_slow: 0.5, seed: 7, ..Faults::default() };
        let run = || {
            let mut state = FaultState::new(faults.clone());
            (0..32).map(|_| state.draw()).map(|u| (u.slow, u.unauthorized, u.reset)).collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
