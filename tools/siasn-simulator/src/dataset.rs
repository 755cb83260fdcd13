//! The simulator's data: the generator's kabupaten held in memory, the lists built from it, and the writes that
//! change it (`*/save`, `upload-dok-rw`, [`crate::Simulator::ubah`]).
//!
//! Every pegawai's `data-utama` object and riwayat `data` are kept per NIP exactly as the generator rendered them
//! (siasn-api.md §2.1–§2.3), so what is served is what `generator::write_ws_dir` would write, until a write changes
//! it. The instansi lists (`list-kp-instansi`, `list-pensiun-instansi`, §2.4) are computed from the current data on
//! every request and are a pure function of it (ids and numbers come from a hash of the NIP and the query).
//!
//! What it deliberately does not do: no HTTP, no faults, no locking (the caller holds the lock); it does not
//! recompute data-utama from riwayat after a save (SI-ASN needs a separate `data-utama-jabatansync` call for that,
//! which the simulator does not offer), and it never deletes rows.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Map, Value, json};

/// One pegawai as served: the `data` of `data-utama` and of each riwayat endpoint (`None` answers 404 `code 0`).
#[derive(Debug, Clone)]
struct Pegawai {
    data_utama: Value,
    riwayat: BTreeMap<&'static str, Option<Value>>,
}

/// The generated kabupaten in memory, mutable by writes.
#[derive(Debug)]
pub(crate) struct Dataset {
    instansi: generator::Instansi,
    unor: Vec<Value>,
    /// Per NIP.
    pegawai: BTreeMap<String, Pegawai>,
    /// NIPs in generation order (the order of the CSV export).
    urutan: Vec<String>,
    /// data-utama `id` (pnsId) → NIP.
    pns_id: HashMap<String, String>,
    /// Riwayat row id → (NIP, endpoint).
    riwayat_id: HashMap<String, (String, &'static str)>,
    /// Jabatan fungsional / pelaksana id → its name, as the riwayat carry them.
    nama_jabatan: HashMap<String, String>,
    /// Uploaded documents by `object` path.
    dokumen: HashMap<String, Vec<u8>>,
    /// Rows put at the front of a list while paging (`Faults::shift_pages`), newest first, per list key.
    sisipan: BTreeMap<String, Vec<Value>>,
    /// For new ids (deterministic: seeded from the dataset seed).
    rng: fastrand::Rng,
}

/// What a successful `*/save` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tersimpan {
    /// The pegawai's NIP.
    pub(crate) nip: String,
    /// The rw-jabatan row id (new or the one updated).
    pub(crate) id: String,
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GagalUnggah {
    /// No riwayat row has that id (404 `code 0`).
    TidakAda,
    /// The request lacks something (400 `code 0` with this message).
    Salah(String),
}

impl Dataset {
    /// Generates `config.pegawai` pegawai (CPU-bound: about 150 µs each in release, more in debug builds).
    pub(crate) fn new(config: &generator::Config) -> Dataset {
        let generator = generator::Generator::new(config);
        let instansi = generator.instansi().clone();
        let unor = generator.unor().to_vec();
        let mut dataset = Dataset {
            instansi,
            unor,
            pegawai: BTreeMap::new(),
            urutan: Vec::with_capacity(config.pegawai),
            pns_id: HashMap::new(),
            riwayat_id: HashMap::new(),
            nama_jabatan: HashMap::new(),
            dokumen: HashMap::new(),
            sisipan: BTreeMap::new(),
            rng: fastrand::Rng::with_seed(config.seed ^ 0x5349_4153_4E5F_4944),
        };
        for generated in generator {
            let nip = generated.nip;
            if let Some(id) = generated.data_utama.get("id").and_then(Value::as_str) {
                dataset.pns_id.insert(id.to_owned(), nip.clone());
            }
            for (endpoint, data) in &generated.riwayat {
                let Some(Value::Array(rows)) = data else { continue };
                for row in rows {
                    if let Some(id) = row.get("id").and_then(Value::as_str) {
                        dataset.riwayat_id.insert(id.to_owned(), (nip.clone(), endpoint));
                    }
                    if *endpoint == "rw-jabatan" {
                        dataset.catat_nama_jabatan(row);
                    }
                }
            }
            dataset.urutan.push(nip.clone());
            dataset.pegawai.insert(nip, Pegawai { data_utama: generated.data_utama, riwayat: generated.riwayat });
        }
        dataset
    }

    fn catat_nama_jabatan(&mut self, row: &Value) {
        for (id_key, nama_key) in
            [("jabatanFungsionalId", "jabatanFungsionalNama"), ("jabatanFungsionalUmumId", "jabatanFungsionalUmumNama")]
        {
            let id = teks(row, id_key);
            let nama = teks(row, nama_key);
            if !id.is_empty() && !nama.is_empty() {
                self.nama_jabatan.entry(id.to_owned()).or_insert_with(|| nama.to_owned());
            }
        }
    }

    /// The instansi (`instansiIndukId` and the names every record repeats).
    pub(crate) fn instansi(&self) -> &generator::Instansi {
        &self.instansi
    }

    /// The `ref-unor` rows.
    pub(crate) fn unor(&self) -> &[Value] {
        &self.unor
    }

    /// Every NIP, sorted.
    pub(crate) fn nips(&self) -> Vec<String> {
        self.pegawai.keys().cloned().collect()
    }

    /// The `data` served for `GET /pns/{endpoint}/{nip}`, or `None` for the 404 `code 0` answer.
    pub(crate) fn data(&self, nip: &str, endpoint: &str) -> Option<&Value> {
        let pegawai = self.pegawai.get(nip)?;
        if endpoint == "data-utama" {
            return Some(&pegawai.data_utama);
        }
        pegawai.riwayat.get(endpoint).and_then(Option::as_ref)
    }

    /// The "Export Data ASN" CSV of the current data-utama objects, in generation order.
    pub(crate) fn export_csv(&self) -> Vec<u8> {
        let pegawai = self
            .urutan
            .iter()
            .filter_map(|nip| self.pegawai.get(nip).map(|pegawai| (nip, pegawai)))
            .map(|(nip, pegawai)| generator::GeneratedPegawai {
                nip: nip.clone(),
                data_utama: pegawai.data_utama.clone(),
                riwayat: BTreeMap::new(),
                anomali: Vec::new(),
            })
            .collect();
        let kabupaten = generator::Kabupaten { instansi: self.instansi.clone(), unor: self.unor.clone(), pegawai };
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = generator::write_csv(&kabupaten, &mut bytes);
        bytes
    }

    /// Changes one field of one record. `row` is `None` for data-utama and for the top level of `data-pasangan` /
    /// `data-anak`; for `rw-*` it is the riwayat row id, for keluarga the id of a `listPasangan` / `listAnak` item
    /// (its `id` or `orang.id`). `field` may be a dotted path (`orang.nama`) and must already exist.
    pub(crate) fn ubah(
        &mut self,
        nip: &str,
        endpoint: &str,
        row: Option<&str>,
        field: &str,
        value: Value,
    ) -> Result<(), String> {
        let pegawai = self.pegawai.get_mut(nip).ok_or_else(|| format!("NIP {nip} tidak ada di simulator"))?;
        let data = if endpoint == "data-utama" {
            &mut pegawai.data_utama
        } else {
            match pegawai.riwayat.get_mut(endpoint) {
                Some(Some(data)) => data,
                Some(None) => return Err(format!("{endpoint}/{nip} kosong (404)")),
                None => return Err(format!("endpoint {endpoint} tidak disimulasikan")),
            }
        };
        let record = match row {
            None => data,
            Some(id) => cari_baris(data, id).ok_or_else(|| format!("baris {id} tidak ada di {endpoint}/{nip}"))?,
        };
        let mut target = record;
        for part in field.split('.') {
            target = target
                .as_object_mut()
                .and_then(|object| object.get_mut(part))
                .ok_or_else(|| format!("field {field} tidak ada di {endpoint}/{nip}"))?;
        }
        *target = value;
        Ok(())
    }

    /// Applies a `POST /jabatan/save` or `/jabatan/unorjabatan/save` body (siasn-api.md §1.4): an empty `id`
    /// creates a rw-jabatan row with a new 32-hex id, an existing id of the same pegawai replaces that row. The
    /// error is the `message` of a `success: false` answer.
    pub(crate) fn simpan_jabatan(&mut self, body: &Value, unorjabatan: bool) -> Result<Tersimpan, String> {
        let Some(body) = body.as_object() else { return Err("body harus objek JSON".into()) };
        let field = |key: &str| match body.get(key) {
            Some(Value::String(text)) => text.trim().to_owned(),
            Some(Value::Number(number)) => number.to_string(),
            _ => String::new(),
        };
        for key in ["pnsId", "unorId", "tmtJabatan"] {
            if field(key).is_empty() {
                return Err(format!("{key} wajib diisi"));
            }
        }
        for key in ["tmtJabatan", "tanggalSk", "tmtPelantikan", "tmtMutasi"] {
            let value = field(key);
            if !value.is_empty() && tanggal(&value).is_none() {
                return Err(format!("{key} harus berformat dd-mm-yyyy, bukan {value:?}"));
            }
        }
        let pns_id = field("pnsId");
        let nip = self.pns_id.get(&pns_id).cloned().ok_or_else(|| format!("pnsId {pns_id} tidak ditemukan"))?;
        let unor_id = field("unorId");
        let unor = self.cari_unor(&unor_id).cloned().ok_or_else(|| format!("unorId {unor_id} tidak ditemukan"))?;
        let id = field("id");
        let id = if id.is_empty() {
            self.id_baru()
        } else if self.riwayat_id.get(&id) == Some(&(nip.clone(), "rw-jabatan")) {
            id
        } else {
            return Err(format!("riwayat jabatan {id} tidak ditemukan untuk pnsId ini"));
        };
        let induk_id = teks(&unor, "IndukUnorId").to_owned();
        let induk_nama = self.cari_unor(&induk_id).map(|induk| teks(induk, "NamaUnor").to_owned()).unwrap_or_default();
        let pegawai = self.pegawai.get(&nip).ok_or_else(|| format!("NIP {nip} tidak ada"))?;
        let utama = &pegawai.data_utama;
        let or_utama = |key: &str, utama_key: &str| {
            let value = field(key);
            if value.is_empty() { teks(utama, utama_key).to_owned() } else { value }
        };
        let kosong_null = |value: String| if value.is_empty() { Value::Null } else { Value::String(value) };
        let jenis = field("jenisJabatan");
        let eselon_id = field("eselonId");
        let fungsional_id = field("jabatanFungsionalId");
        let umum_id = field("jabatanFungsionalUmumId");
        let nama_of = |id: &str| self.nama_jabatan.get(id).cloned().unwrap_or_default();
        let extra = |key: &str| if unorjabatan { kosong_null(field(key)) } else { Value::Null };
        let mut row = json!({
            "id": id,
            "idPns": pns_id,
            "nipBaru": nip,
            "nipLama": utama.get("nipLama").cloned().unwrap_or(Value::Null),
            "jenisJabatan": jenis,
            "instansiKerjaId": or_utama("instansiId", "instansiKerjaId"),
            "instansiKerjaNama": teks(utama, "instansiKerjaNama"),
            "satuanKerjaId": or_utama("satuanKerjaId", "satuanKerjaKerjaId"),
            "satuanKerjaNama": teks(utama, "satuanKerjaKerjaNama"),
            "unorId": unor_id,
            "unorNama": teks(&unor, "NamaUnor"),
            "unorIndukId": induk_id,
            "unorIndukNama": induk_nama,
            "namaUnor": teks(&unor, "NamaUnor"),
            "eselon": eselon_nama(&eselon_id).map_or(Value::Null, |nama| Value::String(nama.into())),
            "eselonId": kosong_null(eselon_id),
            "jabatanFungsionalId": fungsional_id,
            "jabatanFungsionalNama": nama_of(&fungsional_id),
            "jabatanFungsionalUmumId": umum_id,
            "jabatanFungsionalUmumNama": nama_of(&umum_id),
            "namaJabatan": if jenis == "1" { Value::String(teks(&unor, "NamaJabatan").into()) } else { Value::Null },
            "subJabatanId": extra("subJabatanId"),
            "jenisPenugasanId": if unorjabatan { field("jenisPenugasanId") } else { String::new() },
            "jenisMutasiId": if unorjabatan { field("jenisMutasiId") } else { String::new() },
            "tmtJabatan": field("tmtJabatan"),
            "tanggalSk": kosong_null(field("tanggalSk")),
            "tmtPelantikan": kosong_null(field("tmtPelantikan")),
            "tmtMutasi": extra("tmtMutasi"),
            "nomorSk": field("nomorSk"),
            "path": path_dari_body(body.get("path")),
        });
        let pegawai = self.pegawai.get_mut(&nip).ok_or_else(|| format!("NIP {nip} tidak ada"))?;
        let rows = pegawai.riwayat.entry("rw-jabatan").or_insert(None).get_or_insert_with(|| json!([]));
        let Value::Array(rows) = rows else { return Err("rw-jabatan bukan daftar".into()) };
        match rows.iter_mut().find(|existing| teks(existing, "id") == id) {
            Some(existing) => {
                if row.get("path") == Some(&Value::Null) {
                    // A save without documents keeps the ones uploaded before.
                    row["path"] = existing.get("path").cloned().unwrap_or(Value::Null);
                }
                *existing = row;
            }
            None => rows.push(row),
        }
        self.riwayat_id.insert(id.clone(), (nip.clone(), "rw-jabatan"));
        Ok(Tersimpan { nip, id })
    }

    /// Applies `POST /upload-dok-rw`: stores the file and sets `path["<id_ref_dokumen>"]` on the riwayat row.
    /// Returns the NIP and the document descriptor `{dok_id, dok_nama, dok_uri, object, slug}` (§1.5, §1.6).
    pub(crate) fn unggah(
        &mut self,
        id_riwayat: &str,
        id_ref_dokumen: &str,
        nama_file: &str,
        bytes: Vec<u8>,
    ) -> Result<(String, Value), GagalUnggah> {
        if id_ref_dokumen.is_empty() || !id_ref_dokumen.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(GagalUnggah::Salah("id_ref_dokumen harus angka (mis. 872)".into()));
        }
        if bytes.is_empty() {
            return Err(GagalUnggah::Salah("file kosong".into()));
        }
        let (nip, endpoint) = self.riwayat_id.get(id_riwayat).cloned().ok_or(GagalUnggah::TidakAda)?;
        let ekstensi = nama_file
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .filter(|ext| !ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|byte| byte.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "pdf".into());
        let object = format!("peremajaan/usulan/{id_ref_dokumen}_{}.{ekstensi}", self.uuid());
        let dok = json!({
            "dok_id": id_ref_dokumen,
            "dok_nama": nama_dokumen(id_ref_dokumen),
            "dok_uri": object,
            "object": object,
            "slug": id_ref_dokumen,
        });
        let row = self
            .pegawai
            .get_mut(&nip)
            .and_then(|pegawai| pegawai.riwayat.get_mut(endpoint))
            .and_then(Option::as_mut)
            .and_then(|data| cari_baris(data, id_riwayat))
            .ok_or(GagalUnggah::TidakAda)?;
        let Some(row) = row.as_object_mut() else { return Err(GagalUnggah::TidakAda) };
        let path = row.entry("path").or_insert(Value::Null);
        if !path.is_object() {
            *path = Value::Object(Map::new());
        }
        if let Value::Object(path) = path {
            path.insert(id_ref_dokumen.to_owned(), dok.clone());
        }
        self.dokumen.insert(object, bytes);
        Ok((nip, dok))
    }

    /// The bytes of an uploaded document by its `dok_uri` / `object` (`GET /download-dok?filePath=`).
    pub(crate) fn dokumen(&self, object: &str) -> Option<&[u8]> {
        self.dokumen.get(object).map(Vec::as_slice)
    }

    /// The rows of `list-kp-instansi?periode=` as computed from the data (before any `shift_pages` row).
    ///
    /// A PNS is in the list of a period when their golongan can still rise and their TMT golongan is at least
    /// four years before the period, for about a third of them (chosen by a hash of NIP and period).
    pub(crate) fn list_kp(&self, periode: NaiveDate) -> Vec<Value> {
        let kunci = periode.format("%Y-%m-%d").to_string();
        self.pegawai
            .iter()
            .filter(|(nip, pegawai)| {
                let utama = &pegawai.data_utama;
                let naik =
                    teks(utama, "statusPegawai") == "PNS" && golongan_berikut(teks(utama, "golRuangAkhirId")).is_some();
                let layak = tanggal(teks(utama, "tmtGolAkhir"))
                    .and_then(|tmt| tmt.checked_add_months(Months::new(48)))
                    .is_some_and(|batas| batas <= periode);
                naik && layak && hash(&[nip.as_str(), &kunci]).is_multiple_of(3)
            })
            .map(|(nip, pegawai)| usulan_kp(&pegawai.data_utama, nip, periode, hash(&[nip.as_str(), &kunci]), None))
            .collect()
    }

    /// The rows of `list-pensiun-instansi?tglAwal=&tglAkhir=`: every PNS whose `tmtPensiun` is in the range.
    pub(crate) fn list_pensiun(&self, awal: NaiveDate, akhir: NaiveDate) -> Vec<Value> {
        self.pegawai
            .iter()
            .filter(|(_, pegawai)| {
                let utama = &pegawai.data_utama;
                teks(utama, "statusPegawai") == "PNS"
                    && tanggal(teks(utama, "tmtPensiun")).is_some_and(|tmt| awal <= tmt && tmt <= akhir)
            })
            .map(|(nip, pegawai)| {
                usulan_pensiun(&pegawai.data_utama, &self.instansi, hash(&[nip.as_str(), "pensiun"]), None)
            })
            .collect()
    }

    /// The rows put at the front of the list `key` so far (newest first).
    pub(crate) fn sisipan(&self, key: &str) -> &[Value] {
        self.sisipan.get(key).map_or(&[], Vec::as_slice)
    }

    /// Puts one new usulan row at the front of the list `key` (`Faults::shift_pages`): a new usulan (status
    /// `01` Input Berkas, fresh id) of the next PNS of the dataset, cycling through them.
    pub(crate) fn sisipkan(&mut self, key: &str, kp: Option<NaiveDate>) {
        let sudah = self.sisipan(key).len();
        let pns: Vec<&String> = self
            .pegawai
            .iter()
            .filter(|(_, pegawai)| teks(&pegawai.data_utama, "statusPegawai") == "PNS")
            .map(|(nip, _)| nip)
            .collect();
        let Some(nip) = pns.get(sudah % pns.len().max(1)).map(|nip| (*nip).clone()) else { return };
        let id = self.uuid();
        let Some(pegawai) = self.pegawai.get(&nip) else { return };
        let row = match kp {
            Some(periode) => usulan_kp(&pegawai.data_utama, &nip, periode, hash(&[&id]), Some(&id)),
            None => usulan_pensiun(&pegawai.data_utama, &self.instansi, hash(&[&id]), Some(&id)),
        };
        self.sisipan.entry(key.to_owned()).or_default().insert(0, row);
    }

    fn cari_unor(&self, id: &str) -> Option<&Value> {
        if id.is_empty() {
            return None;
        }
        self.unor.iter().find(|row| teks(row, "Id") == id)
    }

    /// A new riwayat id in SI-ASN's newer lower-case style (`ff808081…`, 32 hex).
    fn id_baru(&mut self) -> String {
        loop {
            let id = format!("ff808081{:016x}{:08x}", self.rng.u64(..), self.rng.u32(..));
            if !self.riwayat_id.contains_key(&id) {
                return id;
            }
        }
    }

    /// A random UUID-shaped id (with dashes), as keluarga and pensiun usulan ids are.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.rng.u64(..), self.rng.u64(..));
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// The item of a riwayat `data` with this id: a row of a `rw-*` list, or a `listPasangan` / `listAnak` item of a
/// keluarga object (matched on its `id` or `orang.id`).
fn cari_baris<'a>(data: &'a mut Value, id: &str) -> Option<&'a mut Value> {
    let cocok = |item: &Value| teks(item, "id") == id || item.get("orang").is_some_and(|orang| teks(orang, "id") == id);
    match data {
        Value::Array(rows) => rows.iter_mut().find(|row| cocok(row)),
        Value::Object(object) => object
            .values_mut()
            .filter_map(|value| value.as_array_mut())
            .flat_map(|items| items.iter_mut())
            .find(|item| cocok(item)),
        _ => None,
    }
}

/// A save body's `path` (an array of `{dok_id, …}` descriptors, §1.4) as the read model's object keyed by dok id,
/// or null.
fn path_dari_body(path: Option<&Value>) -> Value {
    let Some(Value::Array(items)) = path else { return Value::Null };
    let object: Map<String, Value> = items
        .iter()
        .filter_map(|item| {
            let dok_id = match item.get("dok_id")? {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => return None,
            };
            Some((dok_id, item.clone()))
        })
        .collect();
    if object.is_empty() { Value::Null } else { Value::Object(object) }
}

/// The text of `key` in an object (`""` for null, absent or not a string).
fn teks<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A `dd-mm-yyyy` date.
pub(crate) fn tanggal(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d-%m-%Y").ok()
}

fn dmy(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// FNV-1a over the parts (with a separator): stable across runs and platforms.
fn hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The golongan after a kenaikan pangkat (`"34"` → `"41"`), `None` at IV/e or for no golongan (PPPK).
fn golongan_berikut(id: &str) -> Option<String> {
    let number: u8 = id.parse().ok()?;
    let (group, step) = (number / 10, number % 10);
    match (group, step) {
        (1..=3, 1..=3) | (4, 1..=4) => Some((number + 1).to_string()),
        (1..=3, 4) => Some(((group + 1) * 10 + 1).to_string()),
        _ => None,
    }
}

/// The lowest gaji pokok of a golongan under PP 5/2024, rupiah (siasn-api.md §4).
fn gaji_minimum(id: &str) -> i64 {
    match id {
        "11" => 1_685_700,
        "12" => 1_840_800,
        "13" => 1_918_700,
        "14" => 1_999_900,
        "21" => 2_184_000,
        "22" => 2_385_000,
        "23" => 2_485_900,
        "24" => 2_591_000,
        "31" => 2_785_700,
        "32" => 2_903_600,
        "33" => 3_026_400,
        "34" => 3_154_400,
        "41" => 3_287_800,
        "42" => 3_426_900,
        "43" => 3_571_900,
        "44" => 3_723_000,
        "45" => 3_880_400,
        _ => 0,
    }
}

/// The eselon name of an eselon id (`"41"` → `IV.a`; §3).
fn eselon_nama(id: &str) -> Option<&'static str> {
    Some(match id {
        "10" | "11" => "I.a",
        "12" => "I.b",
        "21" => "II.a",
        "22" => "II.b",
        "31" => "III.a",
        "32" => "III.b",
        "41" => "IV.a",
        "42" => "IV.b",
        "51" => "V.a",
        "52" => "V.b",
        _ => return None,
    })
}

/// The name of a ref-dokumen id (siasn-api.md §1.6).
pub(crate) fn nama_dokumen(id: &str) -> String {
    match id {
        "872" => "Dok SK Jabatan",
        "873" => "Dok Surat Pelantikan",
        "874" => "Dok Sertifikat Diklat",
        "879" => "Dok PAK",
        "880" => "SK PAK",
        "881" => "Dok Sertifikat Kursus",
        "882" => "Dok SK Hukuman Disiplin",
        "887" => "Dok SK PNS",
        "888" => "Dok SPMT",
        "889" => "Dok SK CPNS",
        "890" | "1179" => "Dokumen Evaluasi Kinerja",
        "891" => "Dok Realisasi SKP",
        "892" => "Dok Sertifikat Penghargaan",
        "858" => "Dok SK KP",
        _ => return format!("Dokumen {id}"),
    }
    .to_owned()
}

/// The ref-dokumen rows the simulator knows (§1.6), for `referensi_siasn/1/ref-dokumen`.
pub(crate) const REF_DOKUMEN: [&str; 15] =
    ["858", "872", "873", "874", "879", "880", "881", "882", "887", "888", "889", "890", "891", "892", "1179"];

/// Status usulan codes the lists use, with the names the server sends (§3; `32` as the real list sends it).
const STATUS: [(&str, &str); 5] = [
    ("01", "Input Berkas"),
    ("12", "Terima Usulan"),
    ("20", "Menunggu TTD"),
    ("22", "Sdh di TTD"),
    ("32", "Sudah TTE SK"),
];

/// One `list-kp-instansi` item (§2.4; keys mix camelCase and snake_case). `id` given: a new usulan (status 01).
fn usulan_kp(utama: &Value, nip: &str, periode: NaiveDate, hash: u64, id: Option<&str>) -> Value {
    let (status, status_nama) = if id.is_some() { STATUS[0] } else { STATUS[(hash % STATUS.len() as u64) as usize] };
    let id = id.map_or_else(|| format!("{:016x}{:016x}", hash, hash.rotate_left(23) ^ 0x4b50), str::to_owned);
    let pertek = status >= "20";
    let sk = status == "32";
    let lama = teks(utama, "golRuangAkhirId");
    let baru = golongan_berikut(lama).unwrap_or_default();
    let mk_tahun: i64 = teks(utama, "mkTahun").parse().unwrap_or(0);
    let mk_bulan: i64 = teks(utama, "mkBulan").parse().unwrap_or(0);
    let tahun = periode.year();
    let kalau = |on: bool, text: String| if on { Value::String(text) } else { Value::Null };
    let before = |days: u64| periode.checked_sub_days(chrono::Days::new(days)).map(dmy).unwrap_or_default();
    json!({
        "id": id,
        "pnsId": teks(utama, "id"),
        "nipBaru": nip,
        "nama": teks(utama, "nama"),
        "statusUsulan": status,
        "statusUsulanNama": status_nama,
        "golonganBaruId": baru,
        "tmtKp": dmy(periode),
        "no_pertek": kalau(pertek, format!("MG-{:010}", hash % 10_000_000_000)),
        "tgl_pertek": kalau(pertek, before(30)),
        "no_sk": kalau(sk, format!("800.1.3.1/{:04}/BKPSDM/{tahun}", hash % 10_000)),
        "tgl_sk": kalau(sk, before(20)),
        "path_ttd_pertek": kalau(pertek, format!("pertek/kp/{tahun}/{id}.pdf")),
        "path_ttd_sk": kalau(sk, format!("sk/kp/{tahun}/{id}.pdf")),
        "path_preview_sk": kalau(sk, format!("sk/kp/{tahun}/{id}-preview.pdf")),
        "gaji_pokok_lama": (gaji_minimum(lama) + mk_tahun * 20_000).to_string(),
        "gaji_pokok_baru": (gaji_minimum(&baru) + mk_tahun * 20_000).to_string(),
        "masa_kerja_tahun": mk_tahun.to_string(),
        "masa_kerja_bulan": mk_bulan.to_string(),
        "jenis_kp": "101",
        "jenis_prosedur": "1",
    })
}

/// One `list-pensiun-instansi` item (§2.4). `id` given: a new usulan (status 01).
fn usulan_pensiun(utama: &Value, instansi: &generator::Instansi, hash: u64, id: Option<&str>) -> Value {
    let (status, status_nama) = if id.is_some() { STATUS[0] } else { STATUS[(hash % STATUS.len() as u64) as usize] };
    let id = id.map_or_else(
        || {
            format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                hash >> 32,
                (hash >> 16) & 0xffff,
                hash & 0xfff,
                (hash >> 40) & 0xfff,
                hash.rotate_left(17) & 0xffff_ffff_ffff
            )
        },
        str::to_owned,
    );
    let pertek = status >= "20";
    let sk = status == "32";
    let golongan = teks(utama, "golRuangAkhirId");
    let kpp = hash.is_multiple_of(2) && golongan_berikut(golongan).is_some();
    let tmt = tanggal(teks(utama, "tmtPensiun"));
    let before = |months: u32| tmt.and_then(|tmt| tmt.checked_sub_months(Months::new(months))).map(dmy);
    let tahun = tmt.map_or(0, |tmt| tmt.year());
    let kalau =
        |on: bool, value: Option<String>| if on { value.map_or(Value::Null, Value::String) } else { Value::Null };
    json!({
        "id": id,
        "nama": teks(utama, "nama"),
        "statusUsulan": status,
        "statusUsulanNama": status_nama,
        "pnsId": teks(utama, "id"),
        "nipBaru": teks(utama, "nipBaru"),
        "pertekNomor": kalau(pertek, Some(format!("PH-{:011}", hash % 100_000_000_000))),
        "pertekTgl": kalau(pertek, before(3)),
        "skNomor": kalau(sk, Some(format!("800.1.6.3/{:04}/BKPSDM/{tahun}", hash % 10_000))),
        "skTgl": kalau(sk, before(2)),
        "pathSk": kalau(sk, Some(format!("sk/pensiun/{tahun}/{id}.pdf"))),
        "pathPertek": kalau(pertek, Some(format!("pertek/pensiun/{tahun}/{id}.pdf"))),
        "pathSkPreview": kalau(sk, Some(format!("sk/pensiun/{tahun}/{id}-preview.pdf"))),
        "instansiId": instansi.instansi_id,
        "instansiNama": instansi.nama,
        "detailLayananNama": if kpp { "BUP KPP" } else { "BUP non KPP" },
        "tglLahir": teks(utama, "tglLahir"),
        "golonganId": golongan,
        "golonganKppId": if kpp { golongan_berikut(golongan).unwrap_or_default() } else { golongan.to_owned() },
        "tmtPensiun": teks(utama, "tmtPensiun"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golongan_berikut_follows_the_pangkat_ladder() {
        assert_eq!(golongan_berikut("33").as_deref(), Some("34"));
        assert_eq!(golongan_berikut("34").as_deref(), Some("41"));
        assert_eq!(golongan_berikut("44").as_deref(), Some("45"));
        assert_eq!(golongan_berikut("45"), None);
        assert_eq!(golongan_berikut(""), None);
    }

    #[test]
    fn save_path_array_becomes_an_object_keyed_by_dok_id() {
        let path =
            json!([{"dok_id": "872", "dok_nama": "Dok SK Jabatan", "dok_uri": "a", "object": "a", "slug": "872"}]);
        let object = path_dari_body(Some(&path));
        assert_eq!(object["872"]["dok_uri"], "a");
        assert_eq!(path_dari_body(Some(&json!([]))), Value::Null);
    }
}
