//! End-to-end sync between desktop replicas (`store`, real SQLite files) and a real hub (`hub::Hub`, real
//! SQLite files) through the sans-IO engine and the driver, over the deterministic in-memory network of
//! [`network`]: bootstrap, push, pull, faults, and the convergence property of DESIGN §5 (three devices and the
//! hub, random edits including the same field, random schedules and partitions → identical documents,
//! projections and conflicts everywhere); blobs ([`blobs`]: up before the push, down after the pull, resumed
//! through cuts, refused when corrupted) and the repair path ([`repair`]).

#![allow(clippy::unwrap_used, clippy::print_stdout, unreachable_pub, reason = "tests")]

mod blobs;
mod network;
mod repair;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use hub::{Caller, Hub, HubOptions, Role, RosterEntry};
use model::Pegawai;
use model::siasn::export;
use network::{Faults, Network};
use serde_json::Value;
use store::query::{self, Filter, Urutan};
use store::replication::ReplicaSync;
use store::{OpenOptions, Replica};
use sync::driver::{self, DriverOptions, TokenSource};
use sync::engine::{Engine, Summary};

/// A fresh folder under the system temp dir, removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("luring-sync-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// `count` generated pegawai through the real CSV decoder.
pub fn generated(count: usize, seed: u64) -> Vec<Pegawai> {
    let kabupaten = generator::generate(&generator::Config {
        pegawai: count,
        seed,
        today: today(),
        ..generator::Config::default()
    });
    let mut csv = Vec::new();
    generator::write_csv(&kabupaten, &mut csv).unwrap();
    export::decode(&csv)
        .records
        .into_iter()
        .map(|record| Pegawai { data_utama: record.data_utama, ..Pegawai::default() })
        .collect()
}

/// A hub with `pegawai` imported into one instansi and an operator per device on its roster.
#[derive(Debug)]
pub struct Setup {
    pub _dir: TempDir,
    pub network: Network,
    pub scope: String,
    pub instansi: String,
    pub devices: Vec<Device>,
    pub pegawai: Vec<Pegawai>,
}

#[derive(Debug)]
pub struct Device {
    pub replica: Replica,
    pub caller: Caller,
}

pub fn setup(name: &str, count: usize, devices: usize, seed: u64) -> Setup {
    setup_with(name, count, devices, seed, HubOptions { snapshot_chunk_documents: 50, ..HubOptions::default() })
}

/// [`setup`] with the hub's `options`.
pub fn setup_with(name: &str, count: usize, devices: usize, seed: u64, options: HubOptions) -> Setup {
    let dir = TempDir::new(name);
    let hub = Hub::open(&dir.0.join("hub"), options).unwrap();
    let pegawai = generated(count, seed);
    let instansi = pegawai[0].data_utama.instansi_kerja_id.clone().unwrap_or_else(|| "INSTANSI-UJI".into());
    let report = hub.import_pegawai(&instansi, pegawai.clone(), &mut |_| {}).unwrap();
    assert_eq!(report.inserted, count);
    let network = Network::new(hub.clone(), seed, devices);
    let devices = (0..devices)
        .map(|index| {
            let nip = format!("19900101201501100{index}");
            hub.roster_add(RosterEntry {
                nip: nip.clone(),
                nama: Some(format!("Operator {index}")),
                instansi: instansi.clone(),
                roles: vec![Role::OperatorInstansi],
            })
            .unwrap();
            let caller = Caller {
                sub: format!("sub-{index}"),
                nip,
                nama: None,
                instansi: instansi.clone(),
                roles: vec![Role::OperatorInstansi],
            };
            let replica =
                Replica::open(&dir.0.join(format!("perangkat-{index}.sqlite")), OpenOptions::default()).unwrap();
            hub.register_device(&caller, replica.actor().to_bytes(), &format!("laptop {index}")).unwrap();
            Device { replica, caller }
        })
        .collect();
    Setup { _dir: dir, network, scope: format!("instansi:{instansi}"), instansi, devices, pegawai }
}

pub fn options() -> DriverOptions {
    DriverOptions {
        watchdog: Duration::from_secs(5),
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(4),
        max_failures: 200,
    }
}

pub fn token() -> TokenSource {
    Arc::new(|| Some("token-uji".to_owned()))
}

/// One full sync run of device `index`.
pub fn sync(setup: &Setup, index: usize) -> Result<Summary, sync::engine::SyncError> {
    sync_with(setup, index, &options())
}

/// One sync run of device `index` that gives up after `options.max_failures` failed exchanges in a row.
pub fn sync_with(setup: &Setup, index: usize, options: &DriverOptions) -> Result<Summary, sync::engine::SyncError> {
    let device = &setup.devices[index];
    let transport = setup.network.transport(index, device.caller.clone());
    let mut local = ReplicaSync::new(&device.replica, store::replication::system_clock);
    let mut engine = Engine::new(setup.scope.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    runtime.block_on(driver::run(&mut engine, &mut local, &transport, &token(), options, &mut |_| {}))
}

/// Every document of a replica: (id, heads, JSON), sorted by id.
pub fn documents(replica: &Replica) -> Vec<(Vec<u8>, Vec<sync::ChangeHash>, Value)> {
    let reader = replica.reader().unwrap();
    let rows: Vec<(Vec<u8>, i64)> = reader
        .prepare("SELECT id, rowid FROM document WHERE quarantined IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.into_iter()
        .map(|(id, rowid)| {
            let (_, document) = store::document::load(&reader, rowid).unwrap();
            let mut heads = document.heads();
            heads.sort();
            (id, heads, document.hydrate())
        })
        .collect()
}

/// Field conflicts as stored: (document id, path, values as JSON).
pub type Conflicts = Vec<(Vec<u8>, String, String)>;

/// The pegawai list as the officer sees it, without the replica-local row ids, plus the field conflicts.
pub fn projections(replica: &Replica) -> (Vec<Value>, Conflicts) {
    let reader = replica.reader().unwrap();
    let mut rows = Vec::new();
    let mut after = None;
    for _ in 0..10_000 {
        let page = query::list(&reader, &Filter::default(), Urutan::Nip, after.as_ref(), 100, today()).unwrap();
        for row in page.rows {
            let mut value = serde_json::to_value(row).unwrap();
            value.as_object_mut().unwrap().remove("rowid");
            rows.push(value);
        }
        match page.berikutnya {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let conflicts = reader
        .prepare(
            "SELECT d.id, c.path, c.values_json FROM field_conflict c JOIN document d ON d.rowid = c.document_rowid \
             ORDER BY d.id, c.path",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (rows, conflicts)
}

/// An officer's edit of one data-utama field on device `index`; returns whether it changed anything.
pub fn edit(setup: &Setup, index: usize, nip: &str, field: &str, value: &str, now_ms: i64) -> bool {
    store::edit::edit_pegawai(&setup.devices[index].replica, nip, now_ms, "ubah data", |json| {
        json["data_utama"][field] = Value::String(value.to_owned());
    })
    .unwrap()
    .is_some()
}

#[test]
fn a_new_device_bootstraps_pushes_and_pulls() {
    let setup = setup("dasar", 120, 2, 11);
    let first = sync(&setup, 0).unwrap();
    assert!(first.bootstrapped);
    assert_eq!(first.snapshot_documents, 120);
    assert_eq!(first.chunks, (3, 3), "120 documents in chunks of 50");
    assert_eq!(documents(&setup.devices[0].replica).len(), 120);

    // An edit on device 0 reaches device 1 through the hub.
    let nip = setup.pegawai[7].data_utama.nip.to_string();
    assert!(edit(&setup, 0, &nip, "no_hp", "081200000007", 1_764_500_000_000));
    let pushed = sync(&setup, 0).unwrap();
    assert_eq!((pushed.pushed, pushed.rejected.len()), (1, 0));
    sync(&setup, 1).unwrap();
    let on_second = query::profil(&setup.devices[1].replica.reader().unwrap(), &nip).unwrap();
    assert_eq!(on_second.pegawai.data_utama.no_hp.as_deref(), Some("081200000007"));

    // A no-op sync of an up-to-date replica is one request.
    setup.network.reset_counters();
    let noop = sync(&setup, 1).unwrap();
    assert_eq!(noop.requests, 1);
    assert_eq!(setup.network.counters().requests, 1);
    assert_eq!(documents(&setup.devices[0].replica), documents(&setup.devices[1].replica));
}

#[test]
fn a_field_outside_the_operators_authority_is_compensated_everywhere() {
    let setup = setup("kewenangan", 20, 2, 12);
    sync(&setup, 0).unwrap();
    sync(&setup, 1).unwrap();
    let target = &setup.pegawai[3].data_utama;
    let nip = target.nip.to_string();
    assert!(edit(&setup, 0, &nip, "nama", "NAMA PALSU", 1_764_500_000_000));
    let summary = sync(&setup, 0).unwrap();
    assert_eq!(summary.rejected.len(), 1, "{summary:?}");
    assert_eq!(summary.rejected[0].1, "kewenangan");
    sync(&setup, 1).unwrap();
    sync(&setup, 0).unwrap();
    for device in &setup.devices {
        let profil = query::profil(&device.replica.reader().unwrap(), &nip).unwrap();
        assert_eq!(profil.pegawai.data_utama.nama, target.nama, "the compensation restored the name");
        assert_eq!(store::sync_state::outbox_size(&device.replica.reader().unwrap()).unwrap().0, 0);
    }
    assert_eq!(documents(&setup.devices[0].replica), documents(&setup.devices[1].replica));
}

/// The convergence property: random edits (often the same field of the same pegawai) on three devices, random
/// sync order, partitions and a lossy network that replays old pushes; after healing and two rounds of sync every
/// device and a freshly bootstrapped fourth one hold identical documents, lists and conflicts.
#[test]
fn three_devices_and_the_hub_converge_under_random_schedules_and_faults() {
    for seed in [1u64, 2, 3] {
        let setup = setup(&format!("konvergen-{seed}"), 40, 4, 100 + seed);
        let mut rng = fastrand::Rng::with_seed(seed);
        for index in 0..3 {
            sync(&setup, index).unwrap();
        }
        setup.network.set_faults(Faults {
            cut_before: 0.1,
            cut_after: 0.1,
            cut_chunk: 0.3,
            replay: 0.3,
            ..Faults::default()
        });
        let fields = ["no_hp", "email", "alamat"];
        let mut clock = 1_764_500_000_000i64;
        for _ in 0..150 {
            clock += 1_000;
            let device = rng.usize(..3);
            match rng.u8(..10) {
                0..=5 => {
                    // Few pegawai and fields, so concurrent edits of the same field happen.
                    let nip = setup.pegawai[rng.usize(..4)].data_utama.nip.to_string();
                    let field = fields[rng.usize(..fields.len())];
                    edit(&setup, device, &nip, field, &format!("nilai-{device}-{}", rng.u32(..1000)), clock);
                }
                6..=8 => {
                    // A run on a bad link may give up; what it did not finish is done by a later run.
                    let _ = sync_with(&setup, device, &DriverOptions { max_failures: 6, ..options() });
                }
                // Cut a device off, or bring it back (more often, so partitions do not last the whole test).
                _ => setup.network.partition(device, rng.u8(..3) == 0),
            }
        }
        let counters = setup.network.counters();
        assert!(counters.cuts > 0 && counters.replays > 0, "the faults happened: {counters:?}");
        setup.network.set_faults(Faults::default());
        for device in 0..3 {
            setup.network.partition(device, false);
        }
        for _ in 0..2 {
            for device in 0..3 {
                sync(&setup, device).unwrap();
            }
        }
        // A fourth device bootstraps from the hub alone: the hub holds the same as the devices.
        sync(&setup, 3).unwrap();
        let reference = documents(&setup.devices[0].replica);
        let reference_projections = projections(&setup.devices[0].replica);
        assert_eq!(reference.len(), 40);
        assert!(!reference_projections.1.is_empty(), "seed {seed}: concurrent edits of one field left a conflict");
        for (index, device) in setup.devices.iter().enumerate() {
            assert_eq!(store::sync_state::outbox_size(&device.replica.reader().unwrap()).unwrap().0, 0, "seed {seed}");
            assert_eq!(documents(&device.replica), reference, "seed {seed}: documents of device {index}");
            assert_eq!(projections(&device.replica), reference_projections, "seed {seed}: lists of device {index}");
        }
        println!("seed {seed}: {counters:?}; conflicts on every replica: {}", reference_projections.1.len());
    }
}
