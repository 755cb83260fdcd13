//! The pre-import check of an SI-ASN export, shared by `luring-cli inspect siasn-csv|siasn-ws` and
//! `luring-hub import … --dry-run`: a data officer's look at a file before anything is written.
//!
//! Reads an SIASN web "Export Data ASN" CSV or a folder of saved web-service responses (laid out as
//! `<endpoint>/<nipBaru>.json`, with `ref-unor.json` at the top), decodes every pegawai leniently, derives the facts
//! (BUP, TMT pensiun, next KP, IKD anomalies) and prints a summary or, with `--json`, one object per pegawai.
//! Records are streamed: each is written (or counted) as soon as it is read and then dropped, so a file of any
//! size is checked in little memory. It writes nothing else: importing is `luring-cli import` (a replica) or
//! `luring-hub import` (the hub); the caller names its own import command for the report's last step.
//!
//! Exit status: 0 when the input was read (whatever its warnings), 1 when it could not be read at all (an empty,
//! binary or header-less file, a folder without responses, or no pegawai whose data utama could be read).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use model::inspect::{Laporan, Ringkasan, laporan_owned, laporan_tanpa_data_utama};
use model::referensi::referensi;
use model::siasn::lists::{UnorTree, decode_ref_unor};
use model::siasn::{export, ws};
use model::warning::{Warning, WarningKind};
use model::{Nip, Pegawai};

/// What to inspect.
#[derive(Debug, Subcommand)]
pub enum Source {
    /// Berkas CSV "Export Data ASN" dari SIASN web.
    SiasnCsv {
        /// Berkas CSV yang diperiksa.
        file: PathBuf,
        /// Respons `ref-unor` tersimpan, untuk eselon jabatan struktural (bawaan: `ref-unor.json` di samping
        /// berkas CSV, bila ada).
        #[arg(long)]
        ref_unor: Option<PathBuf>,
        /// Opsi keluaran.
        #[command(flatten)]
        options: Options,
    },
    /// Folder respons web service SI-ASN tersimpan (`data-utama/<nip>.json`, `rw-golongan/<nip>.json`, …).
    SiasnWs {
        /// Folder yang diperiksa.
        dir: PathBuf,
        /// Opsi keluaran.
        #[command(flatten)]
        options: Options,
    },
}

/// Options shared by both sources.
#[derive(Debug, Args)]
pub struct Options {
    /// Cetak satu objek JSON per pegawai (satu per baris), bukan ringkasan.
    #[arg(long)]
    pub json: bool,
    /// Tanggal acuan untuk usia, BUP, KP dan IKD (`yyyy-mm-dd` atau `dd-mm-yyyy`); bawaan hari ini.
    #[arg(long, value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// Berapa contoh peringatan yang ditampilkan di ringkasan.
    #[arg(long, default_value_t = 20)]
    pub max_warnings: usize,
}

/// Reads a reference date as `yyyy-mm-dd` or `dd-mm-yyyy`; the error says how to write it.
///
/// # Errors
/// The text is neither form.
pub fn parse_today(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d-%m-%Y"))
        .map_err(|_| format!("'{text}' bukan tanggal; tulis yyyy-mm-dd (2026-11-30) atau dd-mm-yyyy (30-11-2026)"))
}

/// Runs the check and prints the report to standard output; `impor` is the command that would import the same
/// input (the report's last step), e.g. `luring-cli --data <folder> import siasn-csv <berkas>`.
///
/// # Errors
/// When the file or folder cannot be read, or holds nothing readable; bad content is reported as warnings.
pub fn run(source: Source, impor: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let (name, kind, options) = match &source {
        Source::SiasnCsv { file, options, .. } => (file.display().to_string(), Jenis::Csv, options),
        Source::SiasnWs { dir, options, .. } => (dir.display().to_string(), Jenis::Ws, options),
    };
    // "Today" is read once, so every record is judged against the same date.
    let today = options.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut report = Report::new(&mut out, options.json, today, options.max_warnings);
    match &source {
        Source::SiasnCsv { file, ref_unor, .. } => inspect_csv(file, ref_unor.as_deref(), today, &mut report)?,
        Source::SiasnWs { dir, .. } => inspect_ws(dir, today, &mut report)?,
    }
    report.finish(&name, kind, impor, started)?;
    out.flush()?;
    Ok(())
}

/// Where records go as they are read: written as JSON lines or counted for the summary.
pub trait Sink {
    /// One pegawai.
    ///
    /// # Errors
    /// When the output cannot be written (a closed pipe ends the run early).
    fn record(&mut self, record: Laporan) -> anyhow::Result<()>;
    /// Problems of the file or folder itself.
    fn file_warnings(&mut self, warnings: Vec<Warning>);
}

/// Decodes and reports a CSV export, streaming each record to `sink`.
///
/// # Errors
/// When the CSV or the ref-unor file cannot be read, or the CSV holds nothing readable.
pub fn inspect_csv(file: &Path, ref_unor: Option<&Path>, today: NaiveDate, sink: &mut dyn Sink) -> anyhow::Result<()> {
    if file.is_dir() {
        bail!("{} adalah folder; untuk folder respons web service pakai `inspect siasn-ws`", file.display());
    }
    let input = File::open(file)
        .with_context(|| format!("tidak dapat membuka {}; periksa path dan izin berkas", file.display()))?;
    let mut file_warnings = Vec::new();
    let beside = file.parent().map(|dir| dir.join("ref-unor.json")).filter(|path| path.is_file());
    let tree = match ref_unor.map(Path::to_path_buf).or(beside) {
        Some(path) => Some(load_unor(&path, &mut file_warnings)?),
        None => None,
    };
    let eselon_unor = |id: &str| tree.as_ref().and_then(|tree| tree.eselon_of(id).map(str::to_owned));
    let mut failure = None;
    let decoded = export::decode_stream(input, &mut |record| {
        let pegawai = Pegawai { data_utama: record.data_utama, ..Pegawai::default() };
        let report = laporan_owned(pegawai, record.warnings, format!("baris {}", record.baris), today, &eselon_unor);
        match sink.record(report) {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => {
                failure = Some(error);
                ControlFlow::Break(())
            }
        }
    })
    .with_context(|| format!("gagal membaca {}", file.display()))?;
    if let Some(error) = failure {
        return Err(error);
    }
    if let Some(fatal) = decoded.fatal {
        bail!("{} tidak dapat dibaca: {fatal}", file.display());
    }
    file_warnings.extend(decoded.warnings);
    sink.file_warnings(file_warnings);
    Ok(())
}

/// Decodes and reports a folder of saved web-service responses, streaming each pegawai to `sink`.
///
/// # Errors
/// When the folder cannot be listed or holds no response.
pub fn inspect_ws(dir: &Path, today: NaiveDate, sink: &mut dyn Sink) -> anyhow::Result<()> {
    if !dir.is_dir() {
        bail!("{} bukan folder; berikan folder berisi data-utama/<nip>.json dan rw-*/<nip>.json", dir.display());
    }
    let mut file_warnings = Vec::new();
    let unor_path = dir.join("ref-unor.json");
    let tree = if unor_path.is_file() { Some(load_unor(&unor_path, &mut file_warnings)?) } else { None };
    let folder = list_responses(dir, &mut file_warnings)?;
    if folder.is_empty() {
        bail!(
            "tidak ada berkas <nip>.json di {}; berikan folder berisi data-utama/<nip>.json (dan rw-*/<nip>.json)",
            dir.display()
        );
    }
    let eselon_unor = |id: &str| tree.as_ref().and_then(|tree| tree.eselon_of(id).map(str::to_owned));
    for (stem, files) in folder {
        let nip = Nip::clean(&stem);
        let mut warnings = Vec::new();
        let sumber = files.get("data-utama").unwrap_or(&dir.to_path_buf()).display().to_string();
        let mut body_of = |endpoint: &str| read_body(files.get(endpoint)?, &mut file_warnings);
        let record = match ws::decode_pegawai(&nip, &mut body_of, &mut warnings) {
            Some(pegawai) => laporan_owned(pegawai, warnings, sumber, today, &eselon_unor),
            None => laporan_tanpa_data_utama(&nip, warnings, sumber),
        };
        sink.record(record)?;
    }
    sink.file_warnings(file_warnings);
    Ok(())
}

/// The saved responses of a folder: for each file stem (a NIP), its file per endpoint, with the real path.
///
/// Endpoint folders are the names of [`ws::PEGAWAI_ENDPOINTS`]; files are `<nip>.json` in any case
/// (`.JSON` too). A stem that is not 18 digits is read but reported; a copy such as `<nip> (1).json` is skipped
/// and reported, as is a second file for the same NIP and endpoint.
pub fn list_responses(
    dir: &Path,
    warnings: &mut Vec<Warning>,
) -> anyhow::Result<BTreeMap<String, BTreeMap<String, PathBuf>>> {
    let mut folder: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    let mut endpoints: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("tidak dapat membaca folder {}", dir.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("tidak dapat membaca folder {}", dir.display()))?;
    endpoints.sort();
    for path in endpoints {
        if !path.is_dir() {
            continue;
        }
        let endpoint = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        if !ws::PEGAWAI_ENDPOINTS.contains(&endpoint.as_str()) {
            warnings.push(folder_warning(
                &endpoint,
                &path,
                WarningKind::UnknownColumn,
                format!("folder '{endpoint}' bukan endpoint pegawai yang dikenal; diabaikan"),
            ));
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
            .with_context(|| format!("tidak dapat membaca folder {}", path.display()))?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<_, _>>()
            .with_context(|| format!("tidak dapat membaca folder {}", path.display()))?;
        files.sort();
        for file in files {
            let is_json = file.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
            let Some(stem) = file.file_stem().map(|stem| stem.to_string_lossy().into_owned()) else { continue };
            if !is_json || !file.is_file() || stem.starts_with('.') {
                continue;
            }
            let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 18 && stem.len() > 18 {
                warnings.push(folder_warning(
                    &endpoint,
                    &file,
                    WarningKind::DuplicateRecord,
                    format!(
                        "'{}' tampak salinan ganda dari {}.json; dilewati. Hapus salinan itu atau ganti namanya",
                        file_name(&file),
                        &stem[..18]
                    ),
                ));
                continue;
            }
            if digits != 18 || stem.len() != 18 {
                warnings.push(folder_warning(
                    &endpoint,
                    &file,
                    WarningKind::InvalidNip,
                    format!(
                        "nama berkas '{}' bukan NIP 18 angka; tetap dibaca. Simpan respons sebagai <nip>.json",
                        file_name(&file)
                    ),
                ));
            }
            let files = folder.entry(stem).or_default();
            if let Some(first) = files.get(&endpoint) {
                warnings.push(folder_warning(
                    &endpoint,
                    &file,
                    WarningKind::DuplicateRecord,
                    format!(
                        "'{}' berisi NIP dan endpoint yang sama dengan '{}'; dilewati. Hapus salah satunya",
                        file_name(&file),
                        file_name(first)
                    ),
                ));
                continue;
            }
            files.insert(endpoint.clone(), file);
        }
    }
    Ok(folder)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
}

fn folder_warning(endpoint: &str, path: &Path, kind: WarningKind, message: String) -> Warning {
    Warning { record: "berkas".into(), field: endpoint.to_owned(), raw: path.display().to_string(), kind, message }
}

/// A saved response body, or `None` when it was not saved. An unreadable file is a warning, not an error.
pub fn read_body(path: &Path, warnings: &mut Vec<Warning>) -> Option<String> {
    match std::fs::read(path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            warnings.push(Warning {
                record: "berkas".into(),
                field: path.display().to_string(),
                raw: String::new(),
                kind: WarningKind::MalformedResponse,
                message: format!("berkas tidak dapat dibaca: {error}; periksa izin berkas"),
            });
            None
        }
    }
}

/// The unit tree of a saved `ref-unor` response (siasn-api.md §2.4); problems of its rows go to `warnings`.
///
/// # Errors
/// The file cannot be read.
pub fn load_unor(path: &Path, warnings: &mut Vec<Warning>) -> anyhow::Result<UnorTree> {
    let body = std::fs::read(path)
        .with_context(|| format!("tidak dapat membaca {}; periksa path dan izin berkas", path.display()))?;
    let unor = decode_ref_unor(&String::from_utf8_lossy(&body), warnings);
    Ok(UnorTree::new(unor, warnings))
}

/// Which kind of input a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Jenis {
    Csv,
    Ws,
}

/// The streaming report: JSON lines as records arrive, or totals and a few examples for the summary.
struct Report<'a, W: Write> {
    out: &'a mut W,
    json: bool,
    totals: Ringkasan,
    file_warnings: Vec<Warning>,
    /// The first warnings of the records, for the summary.
    examples: Vec<Warning>,
    max_examples: usize,
}

impl<'a, W: Write> Report<'a, W> {
    fn new(out: &'a mut W, json: bool, today: NaiveDate, max_examples: usize) -> Self {
        Report {
            out,
            json,
            totals: Ringkasan::new(today),
            file_warnings: Vec::new(),
            examples: Vec::new(),
            max_examples,
        }
    }

    /// Prints the file warnings (JSON) or the summary, then fails when not one pegawai could be read.
    fn finish(self, name: &str, jenis: Jenis, impor: &str, started: Instant) -> anyhow::Result<()> {
        if self.json {
            for warning in &self.file_warnings {
                serde_json::to_writer(&mut *self.out, &serde_json::json!({ "berkas": name, "warning": warning }))?;
                self.out.write_all(b"\n")?;
            }
        } else {
            let (totals, examples) = (&self.totals, &self.examples);
            print_summary(self.out, name, jenis, impor, totals, &self.file_warnings, examples, self.max_examples)?;
            writeln!(self.out, "Selesai dalam {:.2} s.", started.elapsed().as_secs_f64())?;
        }
        if self.totals.pegawai == 0 && self.totals.pegawai_tanpa_data_utama > 0 {
            self.out.flush()?;
            bail!(
                "tidak satu pun data utama pegawai di {name} dapat dibaca ({} pegawai tanpa data utama); unduh ulang \
                 respons data-utama",
                self.totals.pegawai_tanpa_data_utama
            );
        }
        Ok(())
    }
}

impl<W: Write> Sink for Report<'_, W> {
    fn record(&mut self, record: Laporan) -> anyhow::Result<()> {
        self.totals.add(&record);
        if self.json {
            serde_json::to_writer(&mut *self.out, &record)?;
            self.out.write_all(b"\n")?;
        } else if self.examples.len() < self.max_examples {
            let room = self.max_examples - self.examples.len();
            self.examples.extend(record.warnings.into_iter().take(room));
        }
        Ok(())
    }

    fn file_warnings(&mut self, warnings: Vec<Warning>) {
        self.totals.add_file_warnings(&warnings);
        self.file_warnings.extend(warnings);
    }
}

/// One warning on one line: record, field, raw value (line breaks shown as `↵`) and message.
fn warning_line(warning: &Warning) -> String {
    let one_line = |text: &str| text.replace("\r\n", "↵").replace(['\r', '\n'], "↵");
    format!(
        "{} · {} = '{}': {}",
        warning.record,
        one_line(&warning.field),
        one_line(&warning.raw),
        one_line(&warning.message)
    )
}

/// The file warnings as summary lines; a kind with many warnings (60 missing columns) is one line.
fn file_warning_lines(warnings: &[Warning]) -> Vec<String> {
    const ONE_BY_ONE: usize = 3;
    let mut by_kind: BTreeMap<WarningKind, Vec<&Warning>> = BTreeMap::new();
    for warning in warnings {
        by_kind.entry(warning.kind).or_default().push(warning);
    }
    let mut lines = Vec::new();
    for (kind, warnings) in by_kind {
        if warnings.len() <= ONE_BY_ONE {
            lines.extend(warnings.iter().map(|w| warning_line(w)));
        } else {
            let raws: Vec<&str> = warnings.iter().take(8).map(|w| w.raw.as_str()).collect();
            let more = if warnings.len() > raws.len() { ", …" } else { "" };
            lines.push(format!("berkas · {} ({}): {}{more}", kind.label(), warnings.len(), raws.join(", ")));
        }
    }
    lines
}

#[allow(clippy::too_many_arguments)]
fn print_summary(
    out: &mut impl Write,
    name: &str,
    jenis: Jenis,
    impor: &str,
    totals: &Ringkasan,
    file_warnings: &[Warning],
    examples: &[Warning],
    max_warnings: usize,
) -> std::io::Result<()> {
    let per_jenis: Vec<String> = totals.per_jenis_asn.iter().map(|(jenis, count)| format!("{jenis} {count}")).collect();
    let title = match jenis {
        Jenis::Csv => "Pemeriksaan ekspor SI-ASN (CSV)",
        Jenis::Ws => "Pemeriksaan respons web service SI-ASN",
    };
    writeln!(out, "{title}: {name}")?;
    writeln!(out, "Tanggal acuan: {}", model::date::format_dmy(totals.tanggal_acuan))?;
    writeln!(out)?;
    writeln!(out, "  Pegawai terbaca             : {} ({})", totals.pegawai, per_jenis.join(", "))?;
    if totals.pegawai_tanpa_data_utama > 0 {
        writeln!(
            out,
            "  Pegawai tanpa data utama    : {}  <- PERHATIAN: tanpa fakta dan IKD; unduh ulang data-utama",
            totals.pegawai_tanpa_data_utama
        )?;
    } else if jenis == Jenis::Ws {
        writeln!(out, "  Pegawai tanpa data utama    : 0")?;
    }
    writeln!(out, "  Pegawai dengan peringatan   : {}", totals.pegawai_dengan_peringatan)?;
    writeln!(out, "  Peringatan tentang berkas   : {}", totals.peringatan_berkas)?;
    writeln!(out, "  Pegawai dengan anomali IKD  : {}", totals.pegawai_dengan_anomali)?;
    writeln!(out, "  TMT pensiun ≤ 12 bulan lagi : {} (termasuk yang sudah lewat)", totals.tmt_pensiun_dalam_12_bulan)?;
    writeln!(out, "  KP reguler ≤ 12 bulan lagi  : {}", totals.kp_dalam_12_bulan)?;
    writeln!(out)?;
    if totals.peringatan_per_jenis.is_empty() {
        writeln!(out, "Peringatan: tidak ada.")?;
    } else {
        writeln!(out, "Peringatan per jenis:")?;
        for (kind, count) in &totals.peringatan_per_jenis {
            writeln!(out, "  {:>6}  {} ({})", count, kind.label(), kind.code())?;
        }
    }
    writeln!(out)?;
    if totals.ikd_per_kode.is_empty() {
        writeln!(out, "Anomali IKD: tidak ada.")?;
    } else {
        writeln!(out, "Anomali IKD per indikator (jumlah pegawai):")?;
        for (code, count) in &totals.ikd_per_kode {
            let nama = referensi().ikd_indikator(code).map_or("", |row| row.nama.as_str());
            writeln!(out, "  {count:>6}  {code:<7} {nama}")?;
        }
    }
    let shown: Vec<String> = file_warning_lines(file_warnings)
        .into_iter()
        .chain(examples.iter().map(warning_line))
        .take(max_warnings)
        .collect();
    if !shown.is_empty() {
        writeln!(out)?;
        writeln!(out, "Contoh peringatan (maks. {max_warnings}; semua ada di --json):")?;
        for line in shown {
            writeln!(out, "  - {line}")?;
        }
    }
    let kinds: BTreeSet<WarningKind> = totals.peringatan_per_jenis.keys().copied().collect();
    writeln!(out)?;
    writeln!(out, "Langkah berikutnya:")?;
    for kind in &kinds {
        writeln!(out, "  - {}: {}", kind.label(), kind.langkah())?;
    }
    if totals.pegawai_tanpa_data_utama > 0 && !kinds.contains(&WarningKind::MissingValue) {
        writeln!(out, "  - pegawai tanpa data utama: unduh ulang data-utama/<nip>.json")?;
    }
    writeln!(out, "  - berkas tidak diubah; pemeriksaan ini tidak mengimpor apa pun. Impor dengan: {impor}")?;
    writeln!(out)?;
    Ok(())
}
