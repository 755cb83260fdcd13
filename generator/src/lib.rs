//! A realistic, deterministic generator of SI-ASN data for a fictional kabupaten, "Pemerintah Kab. Contoh Utara".
//!
//! It writes what an instansi gets out of SI-ASN, in exactly the shapes of `../shared/fixtures/` (same keys, string
//! scalars, dates `dd-mm-yyyy`, jenis kelamin `M`/`F`): the SIASN web "Export Data ASN" CSV (the 64 columns of
//! [`model::siasn::export::COLUMNS`]) and a folder of web-service responses (`<endpoint>/<nip>.json` with their
//! `{"code":1,"data":…}` envelopes or the 404 body, `ref-unor.json`, `_status.json`). It feeds the store's
//! benchmarks, the tests, `cargo xtask gen` and the demo.
//!
//! What is in it (details in each module):
//! - the unor tree (`unor`): about forty OPD under the Bupati, schools under the Dinas Pendidikan, UPT Puskesmas
//!   under the Dinas Kesehatan, kecamatan with kelurahan; ids in both SI-ASN styles;
//! - the mix of pegawai (`rencana`): guru 45%, tenaga kesehatan 12%, pelaksana 30%, struktural 8% (one head per unit
//!   with an eselon), other jabatan fungsional 5%; PNS 75%, CPNS 5%, PPPK 20%;
//! - careers (`profil`): valid NIP/NI PPPK and NIK, golongan from the ijazah, KP on the dates of the KP calendar in
//!   force, masa kerja golongan, jenjang by golongan, BUP respected, gelar from pendidikan, SKP 2022 with the
//!   PermenPANRB 6/2022 kuadran, diklat struktural, Satyalancana Karya Satya, keluarga;
//! - deliberate data-quality anomalies: a share [`Config::anomaly_rate`] of records carries exactly one of the IKD
//!   codes `model::rules::ikd` evaluates, listed in [`GeneratedPegawai::anomali`]; `model`'s rules find exactly it.
//!
//! Determinism: the output is a pure function of [`Config`]. The only randomness is the embedded xoshiro256**
//! generator (`rng`), seeded from [`Config::seed`] with one stream per part and per pegawai; no clock, no OS entropy,
//! no hash-map iteration order reaches the output. Same config, byte-identical files.
//!
//! Scale: pegawai are built in batches on all cores (`LURING_GEN_THREADS` overrides the thread count; the output
//! never depends on it). [`csv_bytes`] streams straight from the typed profiles to CSV without building JSON: on the
//! 2-core development machine, release build, 250,000 pegawai took 7.8 s while other builds kept about one core busy
//! (about 30 µs of CPU per pegawai). [`Generator`] yields pegawai one at a time as JSON values, holding only the unit
//! tree, the plan and the heads of units; a `serde_json::Value` pegawai costs about 150 µs (some 1,000 allocations),
//! so [`generate`] of 250,000 takes about a minute and ~10 GB: use it for thousands, stream for more. [`write_all`]
//! streams too. The `scale_250_thousand_pegawai` test (ignored; run it in release) measures both paths.
//!
//! What it does not do: no representation dirt (mixed date formats, `"undefined"`, stray spaces: that is a separate
//! concern layered on top), no CLTN, hukuman disiplin, pindah instansi, angka kredit or kinerja periodik, and no
//! claim that any person or number is real. JSON objects are written with their keys sorted (serde_json's map), not
//! in SI-ASN's key order; readers never depend on key order.

mod ids;
mod katalog;
mod nama;
mod output;
mod paralel;
mod profil;
mod rencana;
mod render;
mod rng;
#[cfg(test)]
mod tests;
mod unor;

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::NaiveDate;
use serde_json::Value;

pub use output::{csv_bytes, ringkasan, write_all, write_csv, write_ws_dir};

use crate::profil::{Konteks, Penilai, Peran, Pools, Profil, Rencana};
use crate::rng::Rng;
use crate::unor::Tree;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Number of pegawai (ASN records). The unit tree grows with it (kecamatan, schools, puskesmas).
    pub pegawai: usize,
    /// The seed: same seed (and other fields), byte-identical output.
    pub seed: u64,
    /// The reference date ("today"): ages, tenure, BUP, the last SKP year and the CPNS/PPPK dates follow it.
    pub today: NaiveDate,
    /// Share of records (0.0–1.0) carrying one deliberate IKD anomaly; default 0.05.
    pub anomaly_rate: f64,
}

impl Default for Config {
    /// 8,000 pegawai, seed 1, today 2026-11-30 (the fixtures' reference date), 5% anomalies.
    fn default() -> Self {
        Config { pegawai: 8_000, seed: 1, today: ids::ymd(2026, 11, 30), anomaly_rate: 0.05 }
    }
}

/// The instansi the pegawai belong to: the ids and names every record repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instansi {
    /// `instansiIndukNama` / `instansiKerjaNama`, e.g. `Pemerintah Kab. Contoh Utara`.
    pub nama: String,
    /// The kabupaten's name in upper case, as unit names use it (`CONTOH UTARA`).
    pub nama_kabupaten: String,
    /// `instansiIndukId` / `instansiKerjaId` (32 hex).
    pub instansi_id: String,
    /// `satuanKerjaIndukId` / `satuanKerjaKerjaId`.
    pub satuan_kerja_id: String,
    /// `lokasiKerjaId`.
    pub lokasi_kerja_id: String,
    /// `lokasiKerja`, e.g. `KAB. CONTOH UTARA`.
    pub lokasi_kerja_nama: String,
    /// `instansiKerjaKodeCepat`.
    pub kode_cepat: String,
    /// `kanregId` (`08`, Kantor Regional VIII Banjarmasin).
    pub kanreg_id: String,
    /// `kanregNama`.
    pub kanreg_nama: String,
    /// `kpknId` (also `kppnId`).
    pub kpkn_id: String,
    /// `kpknNama` (the ibukota).
    pub kpkn_nama: String,
    /// `ktuaId`.
    pub ktua_id: String,
    /// `taspenId`.
    pub taspen_id: String,
    /// `taspenNama`.
    pub taspen_nama: String,
    /// `Id` of the root unit (the pemerintah kabupaten).
    pub root_unor_id: String,
    /// The first four digits of local NIKs (province and kabupaten code), `6413`.
    pub nik_region_prefix: String,
    /// The domain of `emailGov`, `contohutarakab.go.id`.
    pub domain_email: String,
    /// The Bupati (the penilai of OPD heads; not an ASN, so not a pegawai).
    pub bupati: String,
}

/// A whole generated kabupaten.
#[derive(Debug, Clone, PartialEq)]
pub struct Kabupaten {
    /// The instansi.
    pub instansi: Instansi,
    /// The `ref-unor` rows (PascalCase keys: `Id`, `DiatasanId`, `EselonId`, `NamaUnor`, `NamaJabatan`, …).
    pub unor: Vec<Value>,
    /// The pegawai, in generation order.
    pub pegawai: Vec<GeneratedPegawai>,
}

/// One generated pegawai: what the web service answers for their NIP.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedPegawai {
    /// NIP (PNS/CPNS) or NI PPPK, 18 digits, unique in the kabupaten.
    pub nip: String,
    /// The `data` object of `data-utama` (every scalar a string or null).
    pub data_utama: Value,
    /// For each endpoint of [`RIWAYAT_ENDPOINTS`], the `data` of the response (an array for `rw-*`, an object for
    /// `data-pasangan`/`data-anak`), or `None` for the 404 answer `{"code":0,"data":"Data tidak ditemukan"}`.
    pub riwayat: BTreeMap<&'static str, Option<Value>>,
    /// The IKD codes deliberately injected into this record (none or one).
    pub anomali: Vec<&'static str>,
}

/// The riwayat and keluarga endpoints generated for each pegawai, as named in the URL.
pub const RIWAYAT_ENDPOINTS: [&str; 8] = [
    "rw-golongan",
    "rw-jabatan",
    "rw-pendidikan",
    "rw-skp22",
    "rw-diklat",
    "rw-penghargaan",
    "data-pasangan",
    "data-anak",
];

/// Every endpoint written per pegawai: `data-utama` and [`RIWAYAT_ENDPOINTS`].
pub const ENDPOINTS: [&str; 9] = [
    "data-utama",
    "rw-golongan",
    "rw-jabatan",
    "rw-pendidikan",
    "rw-skp22",
    "rw-diklat",
    "rw-penghargaan",
    "data-pasangan",
    "data-anak",
];

/// The streams of the fixed parts (pegawai use `profil::STREAM_PEGAWAI + i`).
const STREAM_TREE: u64 = 1;
const STREAM_PLAN: u64 = 2;
const STREAM_INSTANSI: u64 = 3;

/// A streaming generator: the unit tree and the plan up front, then one pegawai per [`Iterator::next`].
///
/// Memory: the tree, the plan (a few bytes per pegawai), the NIP sequence table, the profiles of the heads of units
/// (needed first, as penilai of everyone else) and one batch of pegawai being rendered.
#[derive(Debug)]
pub struct Generator {
    config: Config,
    instansi: Instansi,
    tree: Tree,
    pools: Pools,
    plan: Vec<Rencana>,
    unor_rows: Vec<Value>,
    pejabat: HashMap<usize, Profil>,
    penilai: Vec<Option<Penilai>>,
    nip_urut: HashMap<[u8; 15], u16>,
    next: usize,
    siap: VecDeque<GeneratedPegawai>,
}

/// Pegawai are built and rendered in batches of this size, on all cores; output never depends on it.
const BATCH: usize = 2048;

impl Generator {
    /// Builds the tree, the plan and the heads of units for `config`.
    pub fn new(config: &Config) -> Self {
        let config = Config { anomaly_rate: config.anomaly_rate.clamp(0.0, 1.0), ..*config };
        let tree = unor::build(&mut Rng::new(config.seed, STREAM_TREE), config.pegawai, "CONTOH UTARA");
        let instansi = instansi(&tree);
        let pools = Pools::new(&tree);
        let mut plan_rng = Rng::new(config.seed, STREAM_PLAN);
        let plan = rencana::susun(&mut plan_rng, config.pegawai, &tree);
        let mut nip_urut = HashMap::new();
        let mut pejabat = HashMap::new();
        let mut penilai: Vec<Option<Penilai>> = vec![None; tree.units.len()];
        let mut pemimpin = vec![String::new(); tree.units.len()];
        // Heads of units first: everyone else's SKP names them as penilai.
        let kepala: Vec<(usize, Rencana)> = plan
            .iter()
            .enumerate()
            .filter(|(_, rencana)| matches!(rencana.peran, Peran::Struktural(_) | Peran::KepalaSekolah(_)))
            .map(|(index, rencana)| (index, *rencana))
            .collect();
        let built = {
            let ctx = Konteks { config: &config, tree: &tree, instansi: &instansi, pools: &pools };
            paralel::peta(&kepala, |(index, rencana)| profil::buat(&ctx, *index, *rencana))
        };
        for ((index, rencana), mut profil) in kepala.into_iter().zip(built) {
            profil.beri_nomor(&mut nip_urut);
            let (Peran::Struktural(unit) | Peran::KepalaSekolah(unit)) = rencana.peran else { continue };
            penilai[unit] = Some(Penilai::dari(&profil, &tree));
            // SI-ASN knows the head of every school but of few other units.
            if matches!(rencana.peran, Peran::KepalaSekolah(_)) || plan_rng.chance(0.35) {
                pemimpin[unit] = profil.pns_id.clone();
            }
            pejabat.insert(index, profil);
        }
        let unor_rows = tree.rows(&instansi.instansi_id, &pemimpin);
        Generator {
            config,
            instansi,
            tree,
            pools,
            plan,
            unor_rows,
            pejabat,
            penilai,
            nip_urut,
            next: 0,
            siap: VecDeque::new(),
        }
    }

    /// The instansi.
    pub fn instansi(&self) -> &Instansi {
        &self.instansi
    }

    /// The `ref-unor` rows.
    pub fn unor(&self) -> &[Value] {
        &self.unor_rows
    }

    /// The config in use (with `anomaly_rate` clamped to 0–1).
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl Generator {
    /// The profiles of the next batch of pegawai (empty at the end): built in parallel, numbered in plan order.
    fn batch_profil(&mut self) -> Vec<Profil> {
        let end = (self.next + BATCH).min(self.plan.len());
        let tasks: Vec<(usize, Rencana)> = (self.next..end).map(|index| (index, self.plan[index])).collect();
        self.next = end;
        let built = {
            let ctx = self.konteks();
            let pejabat = &self.pejabat;
            paralel::peta(&tasks, |(index, rencana)| {
                (!pejabat.contains_key(index)).then(|| profil::buat(&ctx, *index, *rencana))
            })
        };
        let mut profiles = Vec::with_capacity(built.len());
        for ((index, _), profil) in tasks.iter().zip(built) {
            match profil {
                Some(mut profil) => {
                    profil.beri_nomor(&mut self.nip_urut);
                    profiles.push(profil);
                }
                None => profiles.extend(self.pejabat.remove(index)),
            }
        }
        profiles
    }

    fn konteks(&self) -> Konteks<'_> {
        Konteks { config: &self.config, tree: &self.tree, instansi: &self.instansi, pools: &self.pools }
    }

    /// The next batch, rendered by `render` on all cores (empty at the end).
    fn batch<U: Send>(&mut self, render: impl Fn(&Konteks<'_>, &Profil, &[Option<Penilai>]) -> U + Sync) -> Vec<U> {
        let profiles = self.batch_profil();
        let ctx = self.konteks();
        let penilai = &self.penilai;
        paralel::peta(&profiles, |profil| render(&ctx, profil, penilai))
    }

    /// The next batch in slices of `chunk` pegawai, each slice rendered by `render` on all cores (empty at the end).
    pub(crate) fn batch_slices<U: Send>(
        &mut self,
        chunk: usize,
        render: impl Fn(&Konteks<'_>, &[Profil]) -> U + Sync,
    ) -> Vec<U> {
        let profiles = self.batch_profil();
        let ctx = self.konteks();
        let slices: Vec<&[Profil]> = profiles.chunks(chunk.max(1)).collect();
        paralel::peta(&slices, |slice| render(&ctx, slice))
    }
}

impl Iterator for Generator {
    type Item = GeneratedPegawai;

    fn next(&mut self) -> Option<GeneratedPegawai> {
        if self.siap.is_empty() {
            let bupati = self.instansi.bupati.clone();
            let batch = self.batch(|ctx, profil, penilai| render::render(ctx, profil, penilai, &bupati));
            self.siap.extend(batch);
        }
        self.siap.pop_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.plan.len() - self.next.min(self.plan.len()) + self.siap.len();
        (left, Some(left))
    }
}

impl ExactSizeIterator for Generator {}

/// The instansi of the tree's kabupaten; its ids are fixed (the same for every seed).
fn instansi(tree: &Tree) -> Instansi {
    let mut rng = Rng::new(0x5141_534E, STREAM_INSTANSI);
    let ibukota = tree.kecamatan.first().map_or_else(|| "CONTOH UTARA".to_owned(), |kec| kec.nama.clone());
    let nama_bupati = nama::nama_orang(&mut rng, nama::Wilayah::Banjar, false);
    Instansi {
        nama: "Pemerintah Kab. Contoh Utara".into(),
        nama_kabupaten: "CONTOH UTARA".into(),
        instansi_id: ids::guid_lama(&mut rng),
        satuan_kerja_id: ids::guid_lama(&mut rng),
        lokasi_kerja_id: ids::ref_id("lokasi", "KAB. CONTOH UTARA"),
        lokasi_kerja_nama: "KAB. CONTOH UTARA".into(),
        kode_cepat: "4213".into(),
        kanreg_id: "08".into(),
        kanreg_nama: "KANTOR REGIONAL VIII BANJARMASIN".into(),
        kpkn_id: ids::ref_id("kpkn", &ibukota),
        kpkn_nama: ibukota.clone(),
        ktua_id: ids::ref_id("ktua", "KAB. CONTOH UTARA"),
        taspen_id: ids::ref_id("taspen", &ibukota),
        taspen_nama: format!("KANTOR CABANG TASPEN {ibukota}"),
        root_unor_id: tree.units.first().map_or_else(String::new, |unit| unit.id.clone()),
        nik_region_prefix: "6413".into(),
        domain_email: "contohutarakab.go.id".into(),
        bupati: format!("H. {nama_bupati}"),
    }
}

/// Generates the whole kabupaten for `config`, in memory. Deterministic: same config, same value.
///
/// For hundreds of thousands of pegawai prefer [`Generator`], [`csv_bytes`] or [`write_all`], which stream.
pub fn generate(config: &Config) -> Kabupaten {
    let generator = Generator::new(config);
    let instansi = generator.instansi.clone();
    let unor = generator.unor_rows.clone();
    let pegawai = generator.collect();
    Kabupaten { instansi, unor, pegawai }
}
