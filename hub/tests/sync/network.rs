//! A deterministic in-memory network between desktop replicas and a real [`Hub`] (its SQLite files in a temp
//! folder): the engine's requests are routed to the hub's methods as the HTTP server would, without sockets
//! (snapshot, feed, push, blob status/chunk/content with Range, repair), and a seeded fault plan cuts requests
//! before or after the hub saw them, cuts snapshot chunk and blob downloads mid-body, flips a byte of blob
//! downloads, replays old pushes (duplicates and reordering) and partitions devices. It records which requests
//! each device made and how often each blob chunk reached the hub. Tokens are not involved: each device's
//! transport carries its [`Caller`] (the HTTP server's token checks have their own tests).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hub::{Caller, Hub, HubError};
use sync::driver::{Transport, TransportError, TransportResult};
use sync::engine::{Method, Request, RequestKind, Response};
use sync::wire::{self, ErrorBody, PushRequest, RepairRequest};

/// What may go wrong on the network, as probabilities per request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// The request is lost before the hub sees it.
    pub cut_before: f64,
    /// The hub handles the request but the answer is lost.
    pub cut_after: f64,
    /// A chunk download breaks after a random number of its bytes.
    pub cut_chunk: f64,
    /// An earlier push of the same device is delivered again first (duplicate + reorder).
    pub replay: f64,
    /// A blob download breaks after a random number of its bytes.
    pub cut_blob: f64,
    /// One byte of a blob download arrives flipped (a faulty middlebox): the download must be refused.
    pub corrupt_blob: f64,
}

/// What the network counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub requests: usize,
    pub cuts: usize,
    pub replays: usize,
    pub request_bytes: usize,
    pub response_bytes: usize,
    pub corrupted: usize,
    /// Bytes of blob content that reached devices (the parts of cut downloads included).
    pub blob_bytes_down: usize,
}

#[derive(Debug)]
struct State {
    rng: fastrand::Rng,
    faults: Faults,
    partitioned: Vec<bool>,
    pushes: Vec<(usize, PushRequest)>,
    counters: Counters,
    /// Each device's requests, in order: (kind, `range_from`).
    requests: Vec<Vec<(RequestKind, Option<u64>)>>,
    /// How often each blob chunk (hash hex, index) reached the hub.
    chunks_delivered: HashMap<(String, u32), usize>,
}

/// The network: one hub, many devices.
#[derive(Debug, Clone)]
pub struct Network {
    hub: Hub,
    state: Arc<Mutex<State>>,
}

impl Network {
    pub fn new(hub: Hub, seed: u64, devices: usize) -> Network {
        let state = State {
            rng: fastrand::Rng::with_seed(seed),
            faults: Faults::default(),
            partitioned: vec![false; devices],
            pushes: Vec::new(),
            counters: Counters::default(),
            requests: vec![Vec::new(); devices],
            chunks_delivered: HashMap::new(),
        };
        Network { hub, state: Arc::new(Mutex::new(state)) }
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state.lock().unwrap().faults = faults;
    }

    pub fn partition(&self, device: usize, cut_off: bool) {
        self.state.lock().unwrap().partitioned[device] = cut_off;
    }

    pub fn counters(&self) -> Counters {
        self.state.lock().unwrap().counters.clone()
    }

    pub fn reset_counters(&self) {
        let mut state = self.state.lock().unwrap();
        state.counters = Counters::default();
        state.requests.iter_mut().for_each(Vec::clear);
        state.chunks_delivered.clear();
    }

    /// Device `index`'s requests so far: (kind, `range_from`).
    pub fn requests(&self, index: usize) -> Vec<(RequestKind, Option<u64>)> {
        self.state.lock().unwrap().requests[index].clone()
    }

    /// How often each blob chunk reached the hub: (hash hex, index) → deliveries.
    pub fn chunks_delivered(&self) -> HashMap<(String, u32), usize> {
        self.state.lock().unwrap().chunks_delivered.clone()
    }

    /// The transport of device `index`, calling as `caller`.
    pub fn transport(&self, index: usize, caller: Caller) -> DeviceTransport {
        DeviceTransport { network: self.clone(), index, caller }
    }
}

/// One device's view of the network.
#[derive(Debug, Clone)]
pub struct DeviceTransport {
    network: Network,
    index: usize,
    caller: Caller,
}

enum Fate {
    Deliver,
    CutBefore,
    CutAfter,
}

impl DeviceTransport {
    fn exchange(&self, request: &Request) -> TransportResult {
        let (fate, replay, chunk_cut) = {
            let mut state = self.network.state.lock().unwrap();
            state.counters.requests += 1;
            state.counters.request_bytes += request.body.len();
            state.requests[self.index].push((request.kind, request.range_from));
            if state.partitioned[self.index] {
                state.counters.cuts += 1;
                return Err(TransportError::Cut { reason: "partisi".into(), partial: Vec::new() });
            }
            let faults = state.faults;
            let roll = state.rng.f64();
            let fate = if roll < faults.cut_before {
                Fate::CutBefore
            } else if roll < faults.cut_before + faults.cut_after {
                Fate::CutAfter
            } else {
                Fate::Deliver
            };
            let own: Vec<PushRequest> =
                state.pushes.iter().filter(|(device, _)| *device == self.index).map(|(_, push)| push.clone()).collect();
            let replay = (request.method == Method::Post && !own.is_empty() && state.rng.f64() < faults.replay)
                .then(|| own[state.rng.usize(..own.len())].clone());
            let chunk_cut = match request.kind {
                RequestKind::BlobContent => state.rng.f64() < faults.cut_blob,
                _ => state.rng.f64() < faults.cut_chunk,
            };
            (fate, replay, chunk_cut.then(|| state.rng.f64()))
        };
        if let Some(old) = replay {
            // An old push arrives again before this request (its answer goes nowhere).
            self.network.state.lock().unwrap().counters.replays += 1;
            let _ = self.network.hub.push(&self.caller, old);
        }
        if let Fate::CutBefore = fate {
            self.network.state.lock().unwrap().counters.cuts += 1;
            return Err(TransportError::Cut { reason: "terputus sebelum sampai".into(), partial: Vec::new() });
        }
        let mut response = self.route(request);
        let mut state = self.network.state.lock().unwrap();
        if let Fate::CutAfter = fate {
            state.counters.cuts += 1;
            return Err(TransportError::Cut { reason: "jawaban hilang".into(), partial: Vec::new() });
        }
        if request.kind == RequestKind::BlobContent
            && matches!(response.status, 200 | 206)
            && !response.body.is_empty()
            && state.rng.f64() < state.faults.corrupt_blob
        {
            let at = state.rng.usize(..response.body.len());
            response.body[at] ^= 0x20;
            state.counters.corrupted += 1;
        }
        if let (Some(fraction), RequestKind::Chunk { .. } | RequestKind::BlobContent, 200 | 206) =
            (chunk_cut, request.kind, response.status)
        {
            let keep = ((response.body.len() as f64) * fraction) as usize;
            if keep < response.body.len() {
                state.counters.cuts += 1;
                state.counters.response_bytes += keep;
                if request.kind == RequestKind::BlobContent {
                    state.counters.blob_bytes_down += keep;
                }
                return Err(TransportError::Cut {
                    reason: "potongan terputus".into(),
                    partial: response.body[..keep].to_vec(),
                });
            }
        }
        state.counters.response_bytes += response.body.len();
        if request.kind == RequestKind::BlobContent && matches!(response.status, 200 | 206) {
            state.counters.blob_bytes_down += response.body.len();
        }
        Ok(response)
    }

    /// Routes a request the way the HTTP server does.
    fn route(&self, request: &Request) -> Response {
        let (path, query) = request.path.split_once('?').unwrap_or((request.path.as_str(), ""));
        let param = |name: &str| -> Option<String> {
            query.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                (key == name).then(|| percent_decode(value))
            })
        };
        let hub = &self.network.hub;
        let caller = &self.caller;
        let result: Result<(u16, Vec<u8>), HubError> = match (request.method, path) {
            (Method::Get, "/v1/snapshot") => hub
                .snapshot_manifest(caller, &param("scope").unwrap_or_default())
                .map(|manifest| (200, wire::encode(&manifest).unwrap())),
            (Method::Get, "/v1/snapshot/chunk") => {
                let index = param("index").and_then(|index| index.parse().ok()).unwrap_or(u32::MAX);
                hub.snapshot_chunk_path(
                    caller,
                    &param("scope").unwrap_or_default(),
                    &param("cursor").unwrap_or_default(),
                    index,
                )
                .and_then(|path| std::fs::read(path).map_err(|error| HubError::NotFound(error.to_string())))
                .map(|bytes| match request.range_from {
                    Some(from) if (from as usize) <= bytes.len() => (206, bytes[from as usize..].to_vec()),
                    Some(_) => (416, Vec::new()),
                    None => (200, bytes),
                })
            }
            (Method::Get, "/v1/feed") => {
                let max = param("max_bytes").and_then(|max| max.parse().ok()).unwrap_or(wire::DEFAULT_FEED_BATCH_BYTES);
                hub.feed(caller, &param("scope").unwrap_or_default(), param("cursor").as_deref(), max)
                    .map(|batch| (200, wire::encode(&batch).unwrap()))
            }
            (Method::Post, "/v1/push") => match wire::decode::<PushRequest>(&request.body) {
                Ok(push) => {
                    self.network.state.lock().unwrap().pushes.push((self.index, push.clone()));
                    hub.push(caller, push).map(|answer| (200, wire::encode(&answer).unwrap()))
                }
                Err(error) => Err(HubError::BadRequest(error.to_string())),
            },
            (Method::Post, "/v1/repair") => match wire::decode::<RepairRequest>(&request.body) {
                Ok(repair) => hub.repair(caller, &repair).map(|answer| (200, wire::encode(&answer).unwrap())),
                Err(error) => Err(HubError::BadRequest(error.to_string())),
            },
            (method, blob) if blob.starts_with("/v1/blob/") => self.route_blob(method, blob, request, &param),
            _ => Err(HubError::NotFound(request.path.clone())),
        };
        match result {
            Ok((status, body)) => Response { status, body },
            Err(error) => {
                let code = error.code();
                Response {
                    status: code.http_status(),
                    body: wire::encode(&ErrorBody::new(code, error.to_string())).unwrap(),
                }
            }
        }
    }
}

impl DeviceTransport {
    /// The three blob routes, as the HTTP server serves them (Range on the content: 206 or 416).
    fn route_blob(
        &self,
        method: Method,
        path: &str,
        request: &Request,
        param: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(u16, Vec<u8>), HubError> {
        let hub = &self.network.hub;
        let caller = &self.caller;
        let segments: Vec<&str> = path.trim_start_matches("/v1/blob/").split('/').collect();
        let hash = sync::blob::parse_sha256(segments[0]).ok_or_else(|| HubError::BadRequest("sha256".into()))?;
        match (method, &segments[1..]) {
            (Method::Get, []) => {
                let size = param("size").and_then(|size| size.parse().ok()).unwrap_or(u64::MAX);
                hub.blob_status(caller, &hash, size).map(|status| (200, wire::encode(&status).unwrap()))
            }
            (Method::Put, [index]) => {
                let index: u32 = index.parse().map_err(|_| HubError::BadRequest("index".into()))?;
                let status = hub.put_blob_chunk(caller, &hash, index, &request.body);
                if status.is_ok() {
                    *self
                        .network
                        .state
                        .lock()
                        .unwrap()
                        .chunks_delivered
                        .entry((segments[0].to_owned(), index))
                        .or_insert(0) += 1;
                }
                status.map(|status| (200, wire::encode(&status).unwrap()))
            }
            (Method::Get, ["content"]) => hub.blob(caller, &hash).map(|bytes| match request.range_from {
                Some(from) if (from as usize) < bytes.len() => (206, bytes[from as usize..].to_vec()),
                Some(_) => (416, wire::encode(&ErrorBody::new(wire::ErrorCode::BadRequest, "rentang")).unwrap()),
                None => (200, bytes),
            }),
            _ => Err(HubError::NotFound(path.to_owned())),
        }
    }
}

impl Transport for DeviceTransport {
    fn send<'a>(
        &'a self,
        request: &'a Request,
        _token: &'a str,
        _watchdog: Duration,
    ) -> Pin<Box<dyn Future<Output = TransportResult> + Send + 'a>> {
        Box::pin(async move { self.exchange(request) })
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && index + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&text[index + 1..index + 3], 16)
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
