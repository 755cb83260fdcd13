//! The hub's core: [`Hub`], everything the HTTP server and the command line call, synchronous (the server runs it
//! in `spawn_blocking`).
//!
//! - Identity: [`Hub::caller`] turns a verified token into a [`Caller`] with instansi and roles from the roster
//!   (never from token claims, DESIGN §6); devices bind an automerge actor to one NIP.
//! - Scopes are `instansi:<id>`. A caller writes its own instansi's scope and reads it with `instansi.baca`; a
//!   role with `membaca_semua_instansi` (`schemas/peran.json`: verifikator BKN, admin hub) reads every scope and
//!   may push to an existing usulan of any instansi, where only BKN's decisions are recorded (its event log,
//!   judged by the state machine; never a pegawai or verifikasi lapangan document of another instansi, never a
//!   new document there). Anything else is [`HubError::Forbidden`].
//! - Devices: a push must come from a registered, active device of the caller; any request may name its device
//!   ([`Hub::check_named_device`]). A revoked device is [`HubError::DeviceRevoked`] (wire `device_revoked`), so the
//!   desktop can tell it from other refusals and lock the scope.
//! - Download (sync.md §5.4): [`Hub::feed`] reads the scope's log after a cursor, packed within a byte budget;
//!   [`Hub::snapshot_manifest`] and [`Hub::snapshot_chunk_path`] serve bootstrap snapshots; [`Hub::compact_log`]
//!   starts a new epoch.
//! - Upload (sync.md §5.5): [`Hub::push`] applies, checks and (for a violation) compensates each change, writing
//!   documents and feed entries in one transaction; when BKN approves a peremajaan data usulan, the hub writes
//!   its BKN fields into the pegawai documents by its own actor in the same transaction.
//! - Blobs (sync.md §5.7): chunked resumable uploads verified by SHA-256, served only when referenced.
//! - Repair (sync.md §5.4): [`Hub::repair`] answers one round of automerge's sync protocol for one document of a
//!   scope the caller reads; the hub only sends that way (changes come in through the push alone).
//! - [`Hub::import_pegawai`]: pegawai from SI-ASN into an instansi's scope, written by the hub's own actor.
//!
//! Writers (push, import, compaction) run one at a time under one lock, which also guards a cache of loaded
//! documents (loading a pegawai document costs more than checking a change to it). Readers (feed, snapshots,
//! blobs) do not take it. What this module does not do: HTTP, token verification ([`crate::auth`]), SQL
//! ([`crate::storage`]), the field rules ([`crate::authority`]).

mod approval;
mod blob;
mod cache;
mod feed;
mod import;
mod parallel;
mod paths;
mod push;
mod repair;
mod siasn;
mod snapshot;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use sync::ActorId;
use sync::wire::{
    BlobStatus, ErrorCode, FeedBatch, PushRequest, PushResponse, RepairRequest, RepairResponse, SnapshotManifest,
};

use std::collections::BTreeSet;

use model::peran::Izin;

use crate::auth::VerifiedToken;
use crate::roster::{Device, Role, RosterEntry};
use crate::storage::{SqliteStorage, Storage};
use cache::DocumentCache;

pub use blob::MAX_BLOB_BYTES;
pub use import::ImportOutcome;
pub use push::MAX_CHANGES;
pub use siasn::{ItemStatusSiasn, LaporanStatusSiasn};
pub use snapshot::REUSE_MAX_LAG;

/// Tuning of a [`Hub`].
#[derive(Debug, Clone)]
pub struct HubOptions {
    /// The chunk size of blob uploads, in bytes (default 256 KiB). Uploads already started keep the size they
    /// started with.
    pub blob_chunk_size: u32,
    /// How many documents one snapshot chunk file holds at most (default 2000: about 1–4 MB compressed).
    pub snapshot_chunk_documents: usize,
    /// The automerge actor of the hub's own changes (imports, compensations, BKN approvals carried into pegawai
    /// documents). `None`: the one stored in the
    /// database, made (16 random bytes) on first open.
    pub hub_actor: Option<ActorId>,
    /// How many loaded documents the writer keeps in memory (default 4096; a pegawai with riwayat takes ~20 KB).
    pub document_cache: usize,
}

impl Default for HubOptions {
    fn default() -> Self {
        Self { blob_chunk_size: 256 * 1024, snapshot_chunk_documents: 2000, hub_actor: None, document_cache: 4096 }
    }
}

/// Who is calling: the token's identity with the roster's instansi and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's `sub` (the identity provider's stable id of the person).
    pub sub: String,
    /// The NIP (the roster key).
    pub nip: String,
    /// The name from the roster, else from the token (display and audit only).
    pub nama: Option<String>,
    /// The instansi id from the roster: the caller's own scope is `instansi:<id>`.
    pub instansi: String,
    /// The roles from the roster.
    pub roles: Vec<Role>,
}

impl Caller {
    /// The caller's own scope, `instansi:<id>`: where its new documents go, and the only one it writes to unless
    /// it reads every scope (then it may also record BKN's decisions on another instansi's usulan).
    pub fn own_scope(&self) -> String {
        format!("{SCOPE_PREFIX}{}", self.instansi)
    }

    /// Whether one of the caller's roles holds `izin` (`schemas/peran.json`).
    pub fn may(&self, izin: Izin) -> bool {
        self.roles.iter().any(|role| role.may(izin))
    }

    /// Every permission of the caller: the union of its roles'.
    pub fn izin(&self) -> BTreeSet<Izin> {
        self.roles.iter().flat_map(|role| role.izin().iter().copied()).collect()
    }

    /// Whether one of the caller's roles reads every instansi's scope.
    pub fn reads_every_scope(&self) -> bool {
        self.roles.iter().any(|role| role.reads_every_scope())
    }

    /// Whether the caller may read `scope`: every scope with `membaca_semua_instansi`, else its own with
    /// `instansi.baca`.
    pub fn may_read(&self, scope: &str) -> bool {
        self.reads_every_scope() || (scope == self.own_scope() && self.may(Izin::InstansiBaca))
    }

    /// What `GET /v1/identitas` answers: the roster's view of the caller, with the permissions of its roles.
    pub fn identitas(&self) -> sync::driver::Identitas {
        sync::driver::Identitas {
            nip: self.nip.clone(),
            nama: self.nama.clone(),
            instansi_id: self.instansi.clone(),
            peran: self.roles.iter().map(|role| role.as_str().to_owned()).collect(),
            izin: self.izin().into_iter().map(|izin| izin.kode().to_owned()).collect(),
            membaca_semua_instansi: self.reads_every_scope(),
        }
    }

    /// The scopes the caller reads, or `None` for every scope.
    fn readable_scopes(&self) -> Option<Vec<String>> {
        if self.reads_every_scope() {
            None
        } else if self.may(Izin::InstansiBaca) {
            Some(vec![self.own_scope()])
        } else {
            Some(Vec::new())
        }
    }
}

/// What went wrong, with a message in Bahasa Indonesia for the officer or the admin. [`HubError::code`] gives the
/// wire error code (and so the HTTP status).
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// No valid identity (401).
    #[error("tidak terautentikasi: {0}")]
    Unauthorized(String),
    /// The caller may not do this (403): not on the roster, another instansi's scope, a device that is not its own.
    #[error("tidak berwenang: {0}")]
    Forbidden(String),
    /// The request's device (the push's actor, or the device it names) was revoked by an admin (403, wire
    /// `device_revoked`): the desktop stops syncing and locks the scope.
    #[error("perangkat dicabut: {0}")]
    DeviceRevoked(String),
    /// The feed cursor is from an older epoch, before the retained log or not from this hub (409): bootstrap the
    /// scope again from its snapshot manifest, then push the outbox again.
    #[error("kursor feed {scope} sudah tidak berlaku: unduh ulang snapshot cakupan ini")]
    MustRefetch {
        /// The scope.
        scope: String,
    },
    /// The request is malformed (400).
    #[error("permintaan tidak valid: {0}")]
    BadRequest(String),
    /// No such scope, snapshot chunk or blob (404).
    #[error("tidak ditemukan: {0}")]
    NotFound(String),
    /// More than the hub accepts (413).
    #[error("terlalu besar: {0}")]
    TooLarge(String),
    /// The hub's storage failed (500); the operation did not happen.
    #[error("kesalahan penyimpanan hub: {0}")]
    Storage(String),
}

impl HubError {
    /// The wire error code this error is answered with.
    pub fn code(&self) -> ErrorCode {
        match self {
            HubError::Unauthorized(_) => ErrorCode::Unauthorized,
            HubError::Forbidden(_) => ErrorCode::Forbidden,
            HubError::DeviceRevoked(_) => ErrorCode::DeviceRevoked,
            HubError::MustRefetch { .. } => ErrorCode::MustRefetch,
            HubError::BadRequest(_) => ErrorCode::BadRequest,
            HubError::NotFound(_) => ErrorCode::NotFound,
            HubError::TooLarge(_) => ErrorCode::TooLarge,
            HubError::Storage(_) => ErrorCode::Internal,
        }
    }
}

/// What [`Hub::import_pegawai`] did, counted in pegawai.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New documents (a NIP the hub did not know).
    pub inserted: usize,
    /// Existing documents that changed (one hub change each).
    pub updated: usize,
    /// Existing documents already equal to the record.
    pub unchanged: usize,
    /// Records not imported: an empty NIP, or a NIP whose document is in another instansi's scope (a mutasi,
    /// which the import does not perform).
    pub skipped: usize,
}

/// The scope prefix of an instansi.
const SCOPE_PREFIX: &str = "instansi:";

/// What a revoked device is told, for the officer.
const REVOKED: &str = "perangkat ini sudah dicabut oleh admin; data lokalnya dikunci, masuk dari instalasi baru yang \
                       terdaftar";

/// The hub. Cheap to clone (shared state inside); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    storage: Box<dyn Storage>,
    data_dir: PathBuf,
    options: HubOptions,
    hub_actor: ActorId,
    /// Held by every writer of documents (push, import, compaction); guards the document cache.
    writer: Mutex<DocumentCache>,
    /// Held while a snapshot is built or pruned.
    snapshots: Mutex<()>,
    /// Held while a blob upload is completed.
    blobs: Mutex<()>,
    /// The hub's last log seq, bumped after every append.
    changed: tokio::sync::watch::Sender<u64>,
}

/// Locks a mutex; a panic of another holder leaves nothing half-written (storage writes are transactions and the
/// cache only holds committed documents), so a poisoned lock is used as is.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Milliseconds since the Unix epoch, from the system clock.
fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Reads lower- or upper-case hex.
fn parse_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|index| text.get(index..index + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect()
}

/// Whether `id` is a valid instansi id: 1–64 characters of `A–Z a–z 0–9 - _` (SI-ASN ids are GUID-like hex or
/// digits). The scope becomes a directory name, so nothing else is allowed.
fn valid_instansi(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// Checks a scope's form (`instansi:<id>`).
fn check_scope(scope: &str) -> Result<(), HubError> {
    match scope.strip_prefix(SCOPE_PREFIX) {
        Some(id) if valid_instansi(id) => Ok(()),
        _ => Err(HubError::BadRequest(format!("cakupan {scope:?} tidak dikenal; bentuknya instansi:<id>"))),
    }
}

/// Checks a scope's form and that `caller` may read it.
fn readable(caller: &Caller, scope: &str) -> Result<(), HubError> {
    check_scope(scope)?;
    if caller.may_read(scope) {
        Ok(())
    } else {
        Err(HubError::Forbidden(format!("cakupan {scope} bukan milik instansi Anda")))
    }
}

impl Hub {
    /// Opens (or creates) the hub in `data_dir`: the directory, `hub.sqlite` (WAL, `synchronous=FULL`) migrated
    /// from `schemas/sql/hub/`, and the hub's actor.
    ///
    /// # Errors
    /// [`HubError::Storage`] when the directory or the database cannot be created or opened (including a database
    /// of a newer hub build).
    pub fn open(data_dir: &Path, options: HubOptions) -> Result<Hub, HubError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|error| HubError::Storage(format!("direktori data {}: {error}", data_dir.display())))?;
        let storage = SqliteStorage::open(&data_dir.join("hub.sqlite"))?;
        Hub::with_storage(data_dir, Box::new(storage), options)
    }

    /// A hub over another [`Storage`]; `data_dir` still holds the snapshot chunk files.
    ///
    /// # Errors
    /// [`HubError::Storage`] when the hub's settings cannot be read or written.
    pub fn with_storage(data_dir: &Path, storage: Box<dyn Storage>, options: HubOptions) -> Result<Hub, HubError> {
        let hub_actor = match (&options.hub_actor, storage.meta("hub_actor")?) {
            (Some(actor), stored) => {
                if stored.is_none() {
                    storage.set_meta("hub_actor", actor.to_bytes())?;
                }
                actor.clone()
            }
            (None, Some(stored)) => ActorId::from(stored),
            (None, None) => {
                let actor = ActorId::from(uuid::Uuid::new_v4().as_bytes().as_slice());
                storage.set_meta("hub_actor", actor.to_bytes())?;
                actor
            }
        };
        if storage.meta("base_epoch")?.is_none() {
            let epoch = u64::try_from(now_ms()).unwrap_or(1);
            storage.set_meta("base_epoch", &epoch.to_be_bytes())?;
        }
        // Any scope gives the hub's last seq.
        let last_seq = storage.scope_state("instansi:-")?.last_seq;
        let (changed, _) = tokio::sync::watch::channel(last_seq);
        let cache = DocumentCache::new(options.document_cache);
        Ok(Hub {
            inner: Arc::new(Inner {
                storage,
                data_dir: data_dir.to_path_buf(),
                options,
                hub_actor,
                writer: Mutex::new(cache),
                snapshots: Mutex::new(()),
                blobs: Mutex::new(()),
                changed,
            }),
        })
    }

    /// The hub's own automerge actor (imports, compensating changes, BKN approvals carried into pegawai documents).
    pub fn hub_actor(&self) -> &ActorId {
        &self.inner.hub_actor
    }

    /// The caller of a verified token: its NIP looked up on the roster, which alone gives instansi and roles.
    ///
    /// # Errors
    /// [`HubError::Forbidden`] when the NIP is not on the roster.
    pub fn caller(&self, token: &VerifiedToken) -> Result<Caller, HubError> {
        let nip = token.nip.as_str();
        let entry = self.inner.storage.roster_entry(nip)?.ok_or_else(|| {
            HubError::Forbidden("NIP Anda tidak terdaftar di roster hub; hubungi admin instansi".to_owned())
        })?;
        Ok(Caller {
            sub: token.sub.clone(),
            nip: entry.nip,
            nama: entry.nama.or_else(|| token.name.clone()),
            instansi: entry.instansi,
            roles: entry.roles,
        })
    }

    /// Registers `actor` (16 bytes) as a device of the caller, named `name`. Registering an actor already bound to
    /// the caller returns the existing device.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an actor that is not 16 bytes or an empty name; [`HubError::Forbidden`] when
    /// the actor is bound to another NIP or the hub's own; [`HubError::DeviceRevoked`] when it was revoked.
    pub fn register_device(&self, caller: &Caller, actor: &[u8], name: &str) -> Result<Device, HubError> {
        if actor.len() != 16 {
            return Err(HubError::BadRequest(format!("actor perangkat harus 16 byte, bukan {}", actor.len())));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(HubError::BadRequest("nama perangkat harus 1–200 karakter".to_owned()));
        }
        if actor == self.inner.hub_actor.to_bytes() {
            return Err(HubError::Forbidden("actor ini milik hub".to_owned()));
        }
        let _writer = lock(&self.inner.writer);
        if let Some(device) = self.inner.storage.device(actor)? {
            if device.nip != caller.nip {
                return Err(HubError::Forbidden("actor ini sudah terdaftar untuk pengguna lain".to_owned()));
            }
            if device.revoked_at_ms.is_some() {
                return Err(HubError::DeviceRevoked(REVOKED.to_owned()));
            }
            return Ok(device);
        }
        let device = Device {
            actor_hex: hex(actor),
            nip: caller.nip.clone(),
            name: name.to_owned(),
            registered_at_ms: now_ms(),
            revoked_at_ms: None,
        };
        self.inner.storage.insert_device(actor, &device)?;
        Ok(device)
    }

    /// Checks the device a request names (its automerge actor, [`sync::wire::DEVICE_HEADER`]): reads are the
    /// caller's, not a device's, but a desktop whose device was revoked must learn it on its next request even
    /// when it has nothing to push. An actor the hub does not know is let through (registration comes with the
    /// first push, which checks it again).
    ///
    /// # Errors
    /// [`HubError::DeviceRevoked`] when the device is the caller's and revoked; [`HubError::Forbidden`] when it is
    /// bound to another NIP.
    pub fn check_named_device(&self, caller: &Caller, actor: &[u8]) -> Result<(), HubError> {
        match self.inner.storage.device(actor)? {
            Some(device) if device.nip != caller.nip => {
                Err(HubError::Forbidden("perangkat yang disebut terdaftar untuk pengguna lain".to_owned()))
            }
            Some(device) if device.revoked_at_ms.is_some() => Err(HubError::DeviceRevoked(REVOKED.to_owned())),
            _ => Ok(()),
        }
    }

    /// Every registered device, revoked ones included, by registration time.
    ///
    /// # Errors
    /// [`HubError::Storage`].
    pub fn devices(&self) -> Result<Vec<Device>, HubError> {
        self.inner.storage.devices()
    }

    /// Revokes the device of `actor_hex`: its pushes, and every request naming it, are refused from now on
    /// ([`HubError::DeviceRevoked`]). Returns whether it was active.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] when `actor_hex` is not hex.
    pub fn revoke_device(&self, actor_hex: &str) -> Result<bool, HubError> {
        let actor = parse_hex(actor_hex)
            .ok_or_else(|| HubError::BadRequest(format!("actor {actor_hex:?} bukan heksadesimal")))?;
        let _writer = lock(&self.inner.writer);
        self.inner.storage.revoke_device(&actor, now_ms())
    }

    /// Adds or replaces a roster entry (roles deduplicated).
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an empty NIP or an instansi id outside `A–Z a–z 0–9 - _`.
    pub fn roster_add(&self, entry: RosterEntry) -> Result<(), HubError> {
        if entry.nip.trim().is_empty() || entry.nip.trim() != entry.nip {
            return Err(HubError::BadRequest("NIP roster kosong atau berspasi".to_owned()));
        }
        if !valid_instansi(&entry.instansi) {
            return Err(HubError::BadRequest(format!(
                "id instansi {:?} tidak valid (huruf, angka, - dan _ saja)",
                entry.instansi
            )));
        }
        self.inner.storage.roster_upsert(&entry)
    }

    /// Removes a roster entry; returns whether it existed. The person's devices stay registered but every call is
    /// refused (they are no longer a caller).
    ///
    /// # Errors
    /// [`HubError::Storage`].
    pub fn roster_remove(&self, nip: &str) -> Result<bool, HubError> {
        self.inner.storage.roster_remove(nip)
    }

    /// The roster, by NIP.
    ///
    /// # Errors
    /// [`HubError::Storage`].
    pub fn roster_list(&self) -> Result<Vec<RosterEntry>, HubError> {
        self.inner.storage.roster_list()
    }

    /// One batch of `scope`'s change feed after `cursor` (see [`feed`] for the rules).
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for a malformed scope or cursor, [`HubError::Forbidden`] for a scope the caller
    /// does not read, [`HubError::MustRefetch`] when the cursor's epoch is not current, its seq is below the
    /// retained log or beyond the hub's log.
    pub fn feed(
        &self,
        caller: &Caller,
        scope: &str,
        cursor: Option<&str>,
        max_bytes: usize,
    ) -> Result<FeedBatch, HubError> {
        readable(caller, scope)?;
        feed::feed(self, scope, cursor, max_bytes)
    }

    /// The highest log seq of `scope` (its floor when empty): a long poll waits until it passes the client's
    /// cursor.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for a malformed scope.
    pub fn head_seq(&self, scope: &str) -> Result<u64, HubError> {
        check_scope(scope)?;
        Ok(self.inner.storage.scope_state(scope)?.head_seq)
    }

    /// A receiver of the hub's last log seq, bumped after every append to any scope's log.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changed.subscribe()
    }

    /// Applies a device's push (see [`push`] for the rules).
    ///
    /// # Errors
    /// [`HubError::Forbidden`] for the whole request when its actor is not a registered device of the caller or a
    /// document is in another instansi's scope (other than an usulan, for a caller reading every scope);
    /// [`HubError::DeviceRevoked`] when its actor is the caller's revoked
    /// device; [`HubError::TooLarge`] for more than
    /// [`MAX_CHANGES`] changes; [`HubError::Storage`] when the transaction fails (nothing was written).
    pub fn push(&self, caller: &Caller, request: PushRequest) -> Result<PushResponse, HubError> {
        push::push(self, caller, request)
    }

    /// The bootstrap manifest of `scope` (see [`snapshot`] for the build and reuse policy).
    ///
    /// # Errors
    /// As [`Hub::feed`] for the scope; [`HubError::Storage`] when chunk files cannot be written.
    pub fn snapshot_manifest(&self, caller: &Caller, scope: &str) -> Result<SnapshotManifest, HubError> {
        readable(caller, scope)?;
        snapshot::manifest(self, scope)
    }

    /// The immutable file of chunk `index` of the snapshot of `scope` at `cursor` (a manifest's cursor), to serve
    /// with HTTP Range.
    ///
    /// # Errors
    /// As [`Hub::feed`] for the scope and cursor; [`HubError::NotFound`] when no such build or chunk exists (it was
    /// pruned: fetch the manifest again).
    pub fn snapshot_chunk_path(
        &self,
        caller: &Caller,
        scope: &str,
        cursor: &str,
        index: u32,
    ) -> Result<PathBuf, HubError> {
        readable(caller, scope)?;
        snapshot::chunk_path(self, scope, cursor, index)
    }

    /// What the hub holds of blob `sha256` of `size` bytes; starts its upload if needed (see [`blob`]).
    ///
    /// # Errors
    /// [`HubError::TooLarge`] over [`MAX_BLOB_BYTES`]; [`HubError::BadRequest`] when the hub holds the blob
    /// with another size.
    pub fn blob_status(&self, caller: &Caller, sha256: &[u8; 32], size: u64) -> Result<BlobStatus, HubError> {
        blob::status(self, caller, sha256, size)
    }

    /// Stores chunk `index` of an upload started by [`Hub::blob_status`]; checks the whole hash when the last
    /// chunk arrives.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] when no upload was started, the index or length is wrong, or the assembled blob
    /// does not hash to `sha256` (its chunks are then discarded).
    pub fn put_blob_chunk(
        &self,
        caller: &Caller,
        sha256: &[u8; 32],
        index: u32,
        bytes: &[u8],
    ) -> Result<BlobStatus, HubError> {
        blob::put_chunk(self, caller, sha256, index, bytes)
    }

    /// A whole blob, when a document of a scope the caller reads references it.
    ///
    /// # Errors
    /// [`HubError::NotFound`] when the hub does not hold it or no readable document references it.
    pub fn blob(&self, caller: &Caller, sha256: &[u8; 32]) -> Result<Vec<u8>, HubError> {
        blob::get(self, caller, sha256)
    }

    /// One round of the repair of one document (see [`repair`]): the hub's automerge sync message for the caller's
    /// `request.message`, with the document's heads at the hub. Nothing is written.
    ///
    /// # Errors
    /// As [`Hub::feed`] for the scope; [`HubError::NotFound`] when the hub holds no such document in that scope;
    /// [`HubError::BadRequest`] when the message is not an automerge sync message.
    pub fn repair(&self, caller: &Caller, request: &RepairRequest) -> Result<RepairResponse, HubError> {
        repair::repair(self, caller, request)
    }

    /// Imports pegawai into `instansi`'s scope (see [`import`]); `progress` gets the count done after each batch.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an invalid instansi id; [`HubError::Storage`] (batches already committed stay).
    pub fn import_pegawai(
        &self,
        instansi: &str,
        pegawai: impl IntoIterator<Item = model::Pegawai>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport, HubError> {
        import::import_pegawai(self, instansi, &mut pegawai.into_iter(), progress)
    }

    /// Compacts `scope`'s log: a new epoch whose log is one snapshot entry per document. Cursors of the old epoch
    /// get [`HubError::MustRefetch`]; snapshot builds of older epochs are removed.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for a malformed scope; [`HubError::Storage`].
    pub fn compact_log(&self, scope: &str) -> Result<(), HubError> {
        check_scope(scope)?;
        feed::compact(self, scope)
    }
}

#[cfg(test)]
mod tests;
