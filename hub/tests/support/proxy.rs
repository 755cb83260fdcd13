//! A TCP proxy on 127.0.0.1 between a desktop and the hub, for fault tests and wire measurements: it counts the
//! bytes each way (HTTP headers included, i.e. what a link carries), and on request cuts connections at random
//! byte offsets, throttles to a bit rate with added latency, and replays a connection's request bytes on a second
//! upstream connection (a duplicated request whose answer is thrown away). A one-shot [`Shot`] armed with
//! [`Proxy::arm`] cuts the connection, or flips one byte, at an exact position of the traffic one way (counted
//! over every connection from when it is armed): a cut or a corruption in the middle of a blob.

#![allow(dead_code, reason = "each test target uses a part")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to traffic.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProxyFaults {
    /// Probability that a connection is cut after a random number of bytes (up to `cut_within` bytes).
    pub cut: f64,
    /// Upper bound of the random cut offset, bytes (both directions counted together).
    pub cut_within: u64,
    /// Bits per second each way; 0 = unthrottled.
    pub bits_per_second: u64,
    /// Latency added to every chunk forwarded.
    pub latency: Duration,
    /// Probability that a connection's request bytes are replayed on a second upstream connection.
    pub duplicate: f64,
}

/// Which way traffic goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Desktop to hub.
    Up,
    /// Hub to desktop.
    Down,
}

/// What a one-shot fault does at its byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shot {
    /// The connection carrying that byte is cut just before it (both directions, abruptly).
    Cut,
    /// That byte is delivered with one bit flipped (`^ 0x20`).
    Flip,
}

/// An armed one-shot fault.
#[derive(Debug, Clone, Copy)]
struct Armed {
    direction: Direction,
    /// Bytes still to pass before the shot.
    left: u64,
    shot: Shot,
}

/// Byte and connection counts.
#[derive(Debug, Default)]
pub struct Counts {
    pub up: AtomicU64,
    pub down: AtomicU64,
    pub connections: AtomicU64,
    pub cuts: AtomicU64,
    pub duplicates: AtomicU64,
    /// One-shot faults that fired.
    pub shots: AtomicU64,
}

/// A running proxy; dropped with the tokio runtime.
#[derive(Debug, Clone)]
pub struct Proxy {
    pub addr: SocketAddr,
    pub counts: Arc<Counts>,
    faults: Arc<Mutex<(ProxyFaults, fastrand::Rng)>>,
    armed: Arc<Mutex<Option<Armed>>>,
}

impl Proxy {
    /// Listens on 127.0.0.1 (ephemeral port) and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr, seed: u64) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Proxy {
            addr: listener.local_addr().unwrap(),
            counts: Arc::new(Counts::default()),
            faults: Arc::new(Mutex::new((ProxyFaults::default(), fastrand::Rng::with_seed(seed)))),
            armed: Arc::new(Mutex::new(None)),
        };
        let accepting = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let proxy = accepting.clone();
                tokio::spawn(async move { proxy.connection(client, upstream).await });
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_faults(&self, faults: ProxyFaults) {
        self.faults.lock().unwrap().0 = faults;
    }

    /// Arms a one-shot fault: once `after` more bytes have gone `direction` (over every connection), `shot` hits
    /// the next one. Replaces a shot armed before that has not fired.
    pub fn arm(&self, direction: Direction, after: u64, shot: Shot) {
        *self.armed.lock().unwrap() = Some(Armed { direction, left: after, shot });
    }

    /// Whether no armed shot is waiting (it fired, or none was armed).
    pub fn shot_fired(&self) -> bool {
        self.armed.lock().unwrap().is_none()
    }

    /// (bytes up, bytes down) so far.
    pub fn bytes(&self) -> (u64, u64) {
        (self.counts.up.load(Ordering::Relaxed), self.counts.down.load(Ordering::Relaxed))
    }

    pub fn reset(&self) {
        self.counts.up.store(0, Ordering::Relaxed);
        self.counts.down.store(0, Ordering::Relaxed);
        self.counts.connections.store(0, Ordering::Relaxed);
    }

    async fn connection(self, client: TcpStream, upstream: SocketAddr) {
        let Ok(server) = TcpStream::connect(upstream).await else { return };
        self.counts.connections.fetch_add(1, Ordering::Relaxed);
        let (faults, cut_at, duplicate) = {
            let mut guard = self.faults.lock().unwrap();
            let (faults, rng) = &mut *guard;
            let cut_at = (rng.f64() < faults.cut).then(|| rng.u64(0..faults.cut_within.max(1)));
            (*faults, cut_at, rng.f64() < faults.duplicate)
        };
        let budget = Arc::new(AtomicU64::new(cut_at.unwrap_or(u64::MAX)));
        let (client_read, client_write) = client.into_split();
        let (server_read, server_write) = server.into_split();
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let up = pump(
            client_read,
            server_write,
            faults,
            budget.clone(),
            self.counts.clone(),
            Direction::Up,
            duplicate.then(|| recorded.clone()),
            self.armed.clone(),
        );
        let down = pump(
            server_read,
            client_write,
            faults,
            budget,
            self.counts.clone(),
            Direction::Down,
            None,
            self.armed.clone(),
        );
        let (up_cut, down_cut) = tokio::join!(up, down);
        if up_cut || down_cut {
            self.counts.cuts.fetch_add(1, Ordering::Relaxed);
        }
        if duplicate {
            let bytes = recorded.lock().unwrap().clone();
            if !bytes.is_empty() {
                self.counts.duplicates.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut again) = TcpStream::connect(upstream).await {
                    let _ = again.write_all(&bytes).await;
                    let mut sink = vec![0u8; 64 * 1024];
                    // Read the answer away, bounded.
                    let _ = tokio::time::timeout(Duration::from_secs(10), async {
                        while let Ok(read) = again.read(&mut sink).await {
                            if read == 0 {
                                break;
                            }
                        }
                    })
                    .await;
                }
            }
        }
    }
}

/// Copies one direction; returns whether the connection was cut by the fault plan or a shot.
#[allow(clippy::too_many_arguments, reason = "test support: one pump per direction")]
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    faults: ProxyFaults,
    budget: Arc<AtomicU64>,
    counts: Arc<Counts>,
    direction: Direction,
    record: Option<Arc<Mutex<Vec<u8>>>>,
    armed: Arc<Mutex<Option<Armed>>>,
) -> bool {
    let upward = direction == Direction::Up;
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return false;
            }
            Ok(read) => read,
        };
        let left = budget.load(Ordering::Relaxed);
        let mut allowed = (read as u64).min(left) as usize;
        let mut shot_cut = false;
        {
            let mut armed = armed.lock().unwrap();
            if let Some(shot) = armed.as_mut().filter(|shot| shot.direction == direction) {
                if shot.left < allowed as u64 {
                    let at = shot.left as usize;
                    match shot.shot {
                        Shot::Cut => {
                            allowed = at;
                            shot_cut = true;
                            // Like a plan's cut: the other direction stops at its next read.
                            budget.store(allowed as u64, Ordering::Relaxed);
                        }
                        Shot::Flip => buffer[at] ^= 0x20,
                    }
                    *armed = None;
                    counts.shots.fetch_add(1, Ordering::Relaxed);
                } else {
                    shot.left -= allowed as u64;
                }
            }
        }
        budget.fetch_sub(allowed as u64, Ordering::Relaxed);
        if let Some(record) = &record {
            record.lock().unwrap().extend_from_slice(&buffer[..allowed]);
        }
        if !faults.latency.is_zero() {
            tokio::time::sleep(faults.latency).await;
        }
        if faults.bits_per_second > 0 {
            let seconds = (allowed as f64 * 8.0) / faults.bits_per_second as f64;
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
        }
        if to.write_all(&buffer[..allowed]).await.is_err() {
            return false;
        }
        let counter = if upward { &counts.up } else { &counts.down };
        counter.fetch_add(allowed as u64, Ordering::Relaxed);
        if allowed < read || shot_cut {
            // The fault plan's byte offset: drop both directions abruptly.
            return true;
        }
    }
}
