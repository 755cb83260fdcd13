//! Writes a generated kabupaten as files: the "Export Data ASN" CSV, the folder of web-service responses with
//! `ref-unor.json` and `_status.json`, and `ringkasan.json` (counts for a reader of the data set).
//!
//! The CSV row of a pegawai is read off its `data-utama` object, so the CSV and the WS folder always agree. The
//! responses are compact JSON in the fixture's envelopes: `{"code":1,"data":…}`, or `{"code":0,"data":"Data tidak
//! ditemukan"}` with status 404.
//!
//! What this module does not do: it does not generate (that is [`crate::Generator`]), add dirt (BOM, CRLF, `;`),
//! or clean the target folder first: files of an earlier, larger run stay.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use std::collections::HashMap;
use std::sync::OnceLock;

use model::siasn::export::COLUMNS;
use serde_json::{Map, Value};

use crate::ids::FnvBuild;
use crate::render::Isian;
use crate::{Config, ENDPOINTS, GeneratedPegawai, Generator, Kabupaten};

/// The 404 body SI-ASN answers when a pegawai has none of something.
const TIDAK_DITEMUKAN: &[u8] = br#"{"code":0,"data":"Data tidak ditemukan"}"#;

/// The data-utama key of each CSV column (`None` for the columns computed in [`sel`]).
fn kunci(kolom: &str) -> Option<&'static str> {
    Some(match kolom {
        "pns_id" => "id",
        "nip_baru" => "nipBaru",
        "nip_lama" => "nipLama",
        "nama" => "nama",
        "gelar_depan" => "gelarDepan",
        "gelar_belakang" => "gelarBelakang",
        "tempat_lahir_id" => "tempatLahirId",
        "tempat_lahir_nama" => "tempatLahir",
        "tanggal_lahir" => "tglLahir",
        "jenis_kelamin" => "jenisKelamin",
        "agama_id" => "agamaId",
        "agama_nama" => "agama",
        "jenis_kawin_id" => "jenisKawinId",
        "jenis_kawin_nama" => "statusPerkawinan",
        "nik" => "nik",
        "nomor_hp" => "noHp",
        "email" => "email",
        "email_gov" => "emailGov",
        "alamat" => "alamat",
        "npwp_nomor" => "noNpwp",
        "bpjs" => "bpjs",
        "jenis_pegawai_id" => "jenisPegawaiId",
        "jenis_pegawai_nama" => "jenisPegawaiNama",
        "kedudukan_hukum_id" => "kedudukanPnsId",
        "kedudukan_hukum_nama" => "kedudukanPnsNama",
        "kartu_asn_virtual" => "kartuAsn",
        "nomor_sk_cpns" => "nomorSkCpns",
        "tanggal_sk_cpns" => "tglSkCpns",
        "tmt_cpns" => "tmtCpns",
        "nomor_sk_pns" => "nomorSkPns",
        "tanggal_sk_pns" => "tglSkPns",
        "tmt_pns" => "tmtPns",
        "gol_awal_id" => "golRuangAwalId",
        "gol_awal_nama" => "golRuangAwal",
        "gol_akhir_id" => "golRuangAkhirId",
        "gol_akhir_nama" => "golRuangAkhir",
        "tmt_golongan" => "tmtGolAkhir",
        "mk_tahun" => "mkTahun",
        "mk_bulan" => "mkBulan",
        "jenis_jabatan_id" => "jenisJabatanId",
        "jenis_jabatan_nama" => "jenisJabatan",
        "jabatan_nama" => "jabatanNama",
        "tmt_jabatan" => "tmtJabatan",
        "tingkat_pendidikan_id" => "tkPendidikanTerakhirId",
        "tingkat_pendidikan_nama" => "tkPendidikanTerakhir",
        "pendidikan_id" => "pendidikanTerakhirId",
        "pendidikan_nama" => "pendidikanTerakhirNama",
        "tahun_lulus" => "tahunLulus",
        "kpkn_id" => "kpknId",
        "kpkn_nama" => "kpknNama",
        "lokasi_kerja_id" => "lokasiKerjaId",
        "lokasi_kerja_nama" => "lokasiKerja",
        "unor_id" => "unorId",
        "unor_nama" => "unorNama",
        "instansi_induk_id" => "instansiIndukId",
        "instansi_induk_nama" => "instansiIndukNama",
        "instansi_kerja_id" => "instansiKerjaId",
        "instansi_kerja_nama" => "instansiKerjaNama",
        "satuan_kerja_induk_id" => "satuanKerjaIndukId",
        "satuan_kerja_induk_nama" => "satuanKerjaIndukNama",
        "satuan_kerja_kerja_id" => "satuanKerjaKerjaId",
        "satuan_kerja_kerja_nama" => "satuanKerjaKerjaNama",
        _ => return None,
    })
}

/// The text of `key` in a data-utama object (`""` for null or absent).
fn teks<'a>(data: &'a Map<String, Value>, key: &str) -> &'a str {
    data.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The CSV cell of `kolom` for a data-utama object.
fn sel<'a>(data: &'a Map<String, Value>, kolom: &str) -> &'a str {
    match kolom {
        "status_cpns_pns" => match teks(data, "statusPegawai") {
            "PNS" => "P",
            "CPNS" => "C",
            _ => "",
        },
        "jabatan_id" => ["jabatanStrukturalId", "jabatanFungsionalId", "jabatanFungsionalUmumId"]
            .iter()
            .map(|key| teks(data, key))
            .find(|value| !value.is_empty())
            .unwrap_or(""),
        _ => kunci(kolom).map_or("", |key| teks(data, key)),
    }
}

/// The CSV column of each data-utama key that has one.
fn kolom(key: &str) -> Option<usize> {
    static KOLOM: OnceLock<HashMap<&'static str, usize, FnvBuild>> = OnceLock::new();
    let map = KOLOM.get_or_init(|| {
        COLUMNS.iter().enumerate().filter_map(|(index, name)| kunci(name).map(|key| (key, index))).collect()
    });
    map.get(key).copied()
}

/// Where a data-utama field goes in a CSV row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tujuan {
    Kolom(usize),
    /// `statusPegawai` → `status_cpns_pns` (`P`/`C`/empty).
    Status(usize),
    /// One of the three jabatan ids → `jabatan_id` (when not empty).
    Jabatan(usize),
    Tidak,
}

fn tujuan(key: &str) -> Tujuan {
    let position = |name: &str| COLUMNS.iter().position(|column| *column == name);
    match key {
        "statusPegawai" => position("status_cpns_pns").map_or(Tujuan::Tidak, Tujuan::Status),
        "jabatanStrukturalId" | "jabatanFungsionalId" | "jabatanFungsionalUmumId" => {
            position("jabatan_id").map_or(Tujuan::Tidak, Tujuan::Jabatan)
        }
        _ => kolom(key).map_or(Tujuan::Tidak, Tujuan::Kolom),
    }
}

/// A CSV row filled straight from a profile's data-utama fields (no JSON built), as [`sel`] reads them: the cells
/// are ranges of one text buffer. Fields arrive in the same order for every row, so where each goes is looked up
/// once per writer and then followed by position (and looked up again if a key ever differs).
struct BarisCsv {
    text: String,
    cells: [(usize, usize); COLUMNS.len()],
    urutan: Vec<(&'static str, Tujuan)>,
    posisi: usize,
}

impl BarisCsv {
    fn new() -> Self {
        BarisCsv {
            text: String::with_capacity(1_200),
            cells: [(0, 0); COLUMNS.len()],
            urutan: Vec::with_capacity(130),
            posisi: 0,
        }
    }

    fn clear(&mut self) {
        self.text.clear();
        self.cells = [(0, 0); COLUMNS.len()];
        self.posisi = 0;
    }

    fn set(&mut self, column: usize, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.cells[column] = (start, self.text.len());
    }

    fn cells(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|&(start, end)| &self.text[start..end])
    }
}

impl Isian for BarisCsv {
    fn isi(&mut self, key: &'static str, value: Option<&str>) {
        let known = self.urutan.get(self.posisi).filter(|(seen, _)| std::ptr::eq(*seen, key)).map(|(_, to)| *to);
        let target = known.unwrap_or_else(|| {
            let target = tujuan(key);
            self.urutan.truncate(self.posisi);
            self.urutan.push((key, target));
            target
        });
        self.posisi += 1;
        let value = value.unwrap_or("");
        match target {
            Tujuan::Kolom(column) => self.set(column, value),
            Tujuan::Status(column) => {
                let status = match value {
                    "PNS" => "P",
                    "CPNS" => "C",
                    _ => "",
                };
                self.set(column, status);
            }
            Tujuan::Jabatan(column) if !value.is_empty() => self.set(column, value),
            Tujuan::Jabatan(_) | Tujuan::Tidak => {}
        }
    }
}

fn csv_error(error: csv::Error) -> io::Error {
    io::Error::other(error)
}

/// A CSV writer over `out` with the export's header already written.
fn csv_writer<W: Write>(out: W) -> io::Result<csv::Writer<W>> {
    let mut writer = csv::WriterBuilder::new().from_writer(out);
    writer.write_record(COLUMNS).map_err(csv_error)?;
    Ok(writer)
}

/// Writes one pegawai's CSV row.
fn csv_row<W: Write>(writer: &mut csv::Writer<W>, pegawai: &GeneratedPegawai) -> io::Result<()> {
    let empty = Map::new();
    let data = pegawai.data_utama.as_object().unwrap_or(&empty);
    writer.write_record(COLUMNS.iter().map(|kolom| sel(data, kolom))).map_err(csv_error)
}

/// Writes the "Export Data ASN" CSV of `kab`: the header of [`COLUMNS`], then one row per pegawai (comma-separated,
/// `\n` line ends, quoted where a cell needs it, UTF-8 without BOM).
///
/// # Errors
/// Any error of `out`.
pub fn write_csv(kab: &Kabupaten, out: &mut impl Write) -> io::Result<()> {
    let mut writer = csv_writer(out)?;
    for pegawai in &kab.pegawai {
        csv_row(&mut writer, pegawai)?;
    }
    writer.flush()
}

/// The CSV rows (no header) of one batch of profiles, written straight from their fields, slice by slice.
fn csv_rows(generator: &mut Generator) -> Vec<Vec<u8>> {
    generator.batch_slices(128, |ctx, profiles| {
        let mut row = BarisCsv::new();
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::with_capacity(profiles.len() * 1_100));
        for profil in profiles {
            row.clear();
            crate::render::data_utama(&mut row, ctx, profil);
            // Writing into a Vec cannot fail.
            let _ = writer.write_record(row.cells());
        }
        writer.into_inner().unwrap_or_default()
    })
}

/// The CSV of the kabupaten `config` describes, generated and written in one streaming pass on all cores, without
/// building the JSON of each pegawai (for benchmarks and `cargo xtask gen`). Equal to [`write_csv`] of
/// [`crate::generate`].
pub fn csv_bytes(config: &Config) -> Vec<u8> {
    let mut generator = Generator::new(config);
    let mut bytes = Vec::with_capacity(config.pegawai.saturating_mul(1_100));
    // Writing into a Vec cannot fail.
    if let Ok(writer) = csv_writer(&mut bytes) {
        drop(writer.into_inner());
    }
    loop {
        let rows = csv_rows(&mut generator);
        if rows.is_empty() {
            break;
        }
        for row in rows {
            bytes.extend_from_slice(&row);
        }
    }
    bytes
}

/// One saved response body: the envelope around `data`, or the 404 body.
fn body(out: &mut impl Write, data: Option<&Value>) -> io::Result<u16> {
    match data {
        Some(data) => {
            out.write_all(br#"{"code":1,"data":"#)?;
            serde_json::to_writer(&mut *out, data).map_err(io::Error::other)?;
            out.write_all(b"}")?;
            Ok(200)
        }
        None => {
            out.write_all(TIDAK_DITEMUKAN)?;
            Ok(404)
        }
    }
}

/// The status of every saved response, kept compactly until written: (endpoint rank in alphabetical order, NIP,
/// HTTP status).
#[derive(Debug, Default)]
struct Status {
    rows: Vec<(u8, String, u16)>,
}

/// The endpoints in alphabetical order, which is the order of `_status.json` keys.
fn urutan_endpoint() -> [u8; 9] {
    let mut order: Vec<(usize, &str)> = ENDPOINTS.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, name)| *name);
    let mut rank = [0u8; 9];
    for (position, (index, _)) in order.iter().enumerate() {
        rank[*index] = position as u8;
    }
    rank
}

/// Creates `<dir>/<endpoint>/` for every endpoint.
fn buat_folder(dir: &Path) -> io::Result<()> {
    for endpoint in ENDPOINTS {
        fs::create_dir_all(dir.join(endpoint))?;
    }
    Ok(())
}

/// Writes one pegawai's responses and records their statuses.
fn tulis_pegawai(dir: &Path, pegawai: &GeneratedPegawai, status: &mut Status, rank: &[u8; 9]) -> io::Result<()> {
    for (index, endpoint) in ENDPOINTS.iter().enumerate() {
        let data =
            if index == 0 { Some(&pegawai.data_utama) } else { pegawai.riwayat.get(endpoint).and_then(Option::as_ref) };
        let mut out = BufWriter::new(fs::File::create(dir.join(endpoint).join(format!("{}.json", pegawai.nip)))?);
        let code = body(&mut out, data)?;
        out.flush()?;
        // `_status.json` is ordered by endpoint name, then NIP, like the fixture.
        status.rows.push((rank[index], pegawai.nip.clone(), code));
    }
    Ok(())
}

fn tulis_unor(dir: &Path, unor: &[Value]) -> io::Result<()> {
    let mut out = BufWriter::new(fs::File::create(dir.join("ref-unor.json"))?);
    out.write_all(br#"{"code":1,"data":"#)?;
    serde_json::to_writer(&mut out, unor).map_err(io::Error::other)?;
    out.write_all(b"}")?;
    out.flush()
}

/// Writes the web-service folder of `kab` into `dir` (created if needed): `<endpoint>/<nip>.json` for every
/// endpoint of [`ENDPOINTS`] with its envelope, `ref-unor.json`, and `_status.json` (`"<endpoint>/<nip>.json":
/// 200|404`, one per line, sorted).
///
/// # Errors
/// Any error creating folders or writing files.
pub fn write_ws_dir(kab: &Kabupaten, dir: &Path) -> io::Result<()> {
    buat_folder(dir)?;
    let rank = urutan_endpoint();
    let mut status = Status::default();
    for pegawai in &kab.pegawai {
        tulis_pegawai(dir, pegawai, &mut status, &rank)?;
    }
    tulis_unor(dir, &kab.unor)?;
    status.write(&dir.join("_status.json"))
}

impl Status {
    /// Writes `_status.json`; the stored endpoint numbers are ranks in alphabetical order.
    fn write(mut self, path: &Path) -> io::Result<()> {
        let mut by_rank: Vec<&str> = ENDPOINTS.to_vec();
        by_rank.sort_unstable();
        self.rows.sort_unstable();
        let mut out = BufWriter::new(fs::File::create(path)?);
        out.write_all(b"{")?;
        for (position, (rank, nip, code)) in self.rows.iter().enumerate() {
            let separator = if position == 0 { "\n" } else { ",\n" };
            let endpoint = by_rank.get(usize::from(*rank)).copied().unwrap_or("");
            write!(out, "{separator}\"{endpoint}/{nip}.json\": {code}")?;
        }
        out.write_all(b"\n}\n")?;
        out.flush()
    }
}

/// Counts over the generated pegawai, for `ringkasan.json`.
#[derive(Debug, Default)]
struct Hitungan {
    pegawai: usize,
    jenis_asn: BTreeMap<String, usize>,
    golongan: BTreeMap<String, usize>,
    jenis_jabatan: BTreeMap<String, usize>,
    opd: BTreeMap<String, usize>,
    anomali: BTreeMap<&'static str, usize>,
    pegawai_anomali: usize,
}

impl Hitungan {
    fn tambah(&mut self, pegawai: &GeneratedPegawai) {
        let empty = Map::new();
        let data = pegawai.data_utama.as_object().unwrap_or(&empty);
        self.pegawai += 1;
        *self.jenis_asn.entry(teks(data, "statusPegawai").to_owned()).or_default() += 1;
        let golongan = match teks(data, "golRuangAkhirId") {
            "" => "none(PPPK)".to_owned(),
            id => id.to_owned(),
        };
        *self.golongan.entry(golongan).or_default() += 1;
        *self.jenis_jabatan.entry(teks(data, "jenisJabatanId").to_owned()).or_default() += 1;
        *self.opd.entry(teks(data, "unorIndukNama").to_owned()).or_default() += 1;
        for code in &pegawai.anomali {
            *self.anomali.entry(code).or_default() += 1;
        }
        if !pegawai.anomali.is_empty() {
            self.pegawai_anomali += 1;
        }
    }

    fn json(self, config: &Config, unor: &[Value]) -> Value {
        let opd_count = unor
            .iter()
            .filter(|row| {
                let root = unor.first().and_then(|root| root.get("Id"));
                root.is_some() && row.get("DiatasanId") == root
            })
            .count();
        serde_json::json!({
            "config": {
                "pegawai": config.pegawai,
                "seed": config.seed,
                "today": config.today.format("%Y-%m-%d").to_string(),
                "anomaly_rate": config.anomaly_rate,
            },
            "pegawai": self.pegawai,
            "unor": unor.len(),
            "opd": opd_count,
            "by_jenis_asn": self.jenis_asn,
            "by_golongan": self.golongan,
            "by_jenis_jabatan": self.jenis_jabatan,
            "by_opd": self.opd,
            "anomali_per_ikd": self.anomali,
            "pegawai_dengan_anomali": self.pegawai_anomali,
        })
    }
}

/// The summary of `kab` as written to `ringkasan.json`: counts by jenis ASN, golongan akhir, jenis jabatan, OPD,
/// and injected anomalies per IKD code (plus the config and the number of units and OPD).
pub fn ringkasan(kab: &Kabupaten, config: &Config) -> Value {
    let mut hitungan = Hitungan::default();
    for pegawai in &kab.pegawai {
        hitungan.tambah(pegawai);
    }
    hitungan.json(config, &kab.unor)
}

/// Generates the kabupaten of `config` and writes it into `dir` (created if needed) in one streaming pass:
/// `export-data-asn.csv`, `ws/` (as [`write_ws_dir`]) and `ringkasan.json`. Returns the summary.
///
/// # Errors
/// Any error creating folders or writing files.
pub fn write_all(config: &Config, dir: &Path) -> io::Result<Value> {
    let generator = Generator::new(config);
    let ws = dir.join("ws");
    buat_folder(&ws)?;
    tulis_unor(&ws, generator.unor())?;
    let unor = generator.unor().to_vec();
    let effective = *generator.config();
    let mut csv = csv_writer(BufWriter::new(fs::File::create(dir.join("export-data-asn.csv"))?))?;
    let rank = urutan_endpoint();
    let mut status = Status::default();
    let mut hitungan = Hitungan::default();
    for pegawai in generator {
        csv_row(&mut csv, &pegawai)?;
        tulis_pegawai(&ws, &pegawai, &mut status, &rank)?;
        hitungan.tambah(&pegawai);
    }
    csv.flush()?;
    status.write(&ws.join("_status.json"))?;
    let summary = hitungan.json(&effective, &unor);
    let mut out = BufWriter::new(fs::File::create(dir.join("ringkasan.json"))?);
    serde_json::to_writer_pretty(&mut out, &summary).map_err(io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(summary)
}
