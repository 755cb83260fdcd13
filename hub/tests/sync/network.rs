//! A deterministic in-memory network between desktop replicas and a real [`Hub`] (its SQLite files in a temp
//! folder): the engine's requests are routed to the hub's methods as the HTTP server would, without sockets, and
//! a seeded fault plan cuts requests before or after the hub saw them, cuts chunk downloads mid-body, replays old
//! pushes (duplicates and reordering) and partitions devices. Tokens are not involved: each device's transport
//! carries its [`Caller`] (the HTTP server's token checks have their own tests).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hub::{Caller, Hub, HubError};
use sync::driver::{Transport, TransportError, TransportResult};
use sync::engine::{Method, Request, Response};
use sync::wire::{self, ErrorBody, PushRequest};

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
}

/// What the network counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub requests: usize,
    pub cuts: usize,
    pub replays: usize,
    pub request_bytes: usize,
    pub response_bytes: usize,
}

#[derive(Debug)]
struct State {
    rng: fastrand::Rng,
    faults: Faults,
    partitioned: Vec<bool>,
    pushes: Vec<(usize, PushRequest)>,
    counters: Counters,
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
        self.state.lock().unwrap().counters = Counters::default();
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
            let chunk_cut = state.rng.f64() < faults.cut_chunk;
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
        let response = self.route(request);
        let mut state = self.network.state.lock().unwrap();
        if let Fate::CutAfter = fate {
            state.counters.cuts += 1;
            return Err(TransportError::Cut { reason: "jawaban hilang".into(), partial: Vec::new() });
        }
        if let (Some(fraction), sync::engine::RequestKind::Chunk { .. }, 200 | 206) =
            (chunk_cut, request.kind, response.status)
        {
            let keep = ((response.body.len() as f64) * fraction) as usize;
            if keep < response.body.len() {
                state.counters.cuts += 1;
                state.counters.response_bytes += keep;
                return Err(TransportError::Cut {
                    reason: "potongan terputus".into(),
                    partial: response.body[..keep].to_vec(),
                });
            }
        }
        state.counters.response_bytes += response.body.len();
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
