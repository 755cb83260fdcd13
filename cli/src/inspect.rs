//! `luring-cli inspect siasn-csv FILE` and `inspect siasn-ws DIR`: a data officer's pre-import check.
//!
//! Reads an SIASN web "Export Data ASN" CSV or a folder of saved web-service responses (laid out as
//! `<endpoint>/<nipBaru>.json`, with `ref-unor.json` at the top), decodes every pegawai leniently, derives the facts
//! (BUP, TMT pensiun, next KP, IKD anomalies) and prints a summary or, with `--json`, one object per pegawai.
//! It writes nothing: importing into a replica or the hub is another command.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use model::inspect::{Laporan, laporan, ringkasan};
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
        /// Path to the CSV file.
        file: PathBuf,
        /// Path to a saved `ref-unor` response, to read the eselon of struktural jabatan (default: `ref-unor.json`
        /// beside the CSV, if present).
        #[arg(long)]
        ref_unor: Option<PathBuf>,
        #[command(flatten)]
        options: Options,
    },
    /// Folder respons web service SI-ASN tersimpan (`data-utama/<nip>.json`, `rw-golongan/<nip>.json`, …).
    SiasnWs {
        /// Path to the folder.
        dir: PathBuf,
        #[command(flatten)]
        options: Options,
    },
}

/// Options shared by both sources.
#[derive(Debug, Args)]
pub struct Options {
    /// Print one JSON object per pegawai (one per line) instead of the summary.
    #[arg(long)]
    json: bool,
    /// Reference date for ages, BUP, KP and IKD (`yyyy-mm-dd`); default today.
    #[arg(long, value_parser = parse_today)]
    today: Option<NaiveDate>,
    /// How many warnings to list in the summary.
    #[arg(long, default_value_t = 20)]
    max_warnings: usize,
}

fn parse_today(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("'{text}' bukan tanggal yyyy-mm-dd"))
}

/// Runs the command.
///
/// # Errors
/// When the file or folder cannot be read; bad content is reported as warnings, never as an error.
pub fn run(source: Source) -> anyhow::Result<()> {
    let started = Instant::now();
    let (name, records, file_warnings, options) = match source {
        Source::SiasnCsv { file, ref_unor, options } => {
            let today = options.today.unwrap_or_else(today);
            let (records, warnings) = inspect_csv(&file, ref_unor.as_deref(), today)?;
            (file.display().to_string(), records, warnings, options)
        }
        Source::SiasnWs { dir, options } => {
            let today = options.today.unwrap_or_else(today);
            let (records, warnings) = inspect_ws(&dir, today)?;
            (dir.display().to_string(), records, warnings, options)
        }
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if options.json {
        for record in &records {
            serde_json::to_writer(&mut out, record)?;
            out.write_all(b"\n")?;
        }
        for warning in &file_warnings {
            serde_json::to_writer(&mut out, &serde_json::json!({ "berkas": name, "warning": warning }))?;
            out.write_all(b"\n")?;
        }
    } else {
        let today = options.today.unwrap_or_else(today);
        print_summary(&mut out, &name, &records, &file_warnings, today, options.max_warnings, started)?;
    }
    out.flush()?;
    Ok(())
}

/// Decodes and reports a CSV export.
///
/// # Errors
/// When the CSV or the ref-unor file cannot be read.
pub fn inspect_csv(
    file: &Path,
    ref_unor: Option<&Path>,
    today: NaiveDate,
) -> anyhow::Result<(Vec<Laporan>, Vec<Warning>)> {
    let bytes = std::fs::read(file)
        .with_context(|| format!("tidak dapat membaca {}; periksa path dan izin berkas", file.display()))?;
    let export = export::decode(&bytes);
    let mut file_warnings = export.warnings;
    let beside = file.parent().map(|dir| dir.join("ref-unor.json")).filter(|path| path.is_file());
    let tree = match ref_unor.map(Path::to_path_buf).or(beside) {
        Some(path) => Some(load_unor(&path, &mut file_warnings)?),
        None => None,
    };
    let eselon_unor = |id: &str| tree.as_ref().and_then(|tree| tree.eselon_of(id).map(str::to_owned));
    let records = export
        .records
        .into_iter()
        .map(|record| {
            let pegawai = Pegawai { data_utama: record.data_utama, ..Pegawai::default() };
            laporan(&pegawai, record.warnings, format!("baris {}", record.baris), today, &eselon_unor)
        })
        .collect();
    Ok((records, file_warnings))
}

/// Decodes and reports a folder of saved web-service responses.
///
/// # Errors
/// When the folder cannot be listed.
pub fn inspect_ws(dir: &Path, today: NaiveDate) -> anyhow::Result<(Vec<Laporan>, Vec<Warning>)> {
    if !dir.is_dir() {
        bail!("{} bukan folder; berikan folder berisi data-utama/<nip>.json dan rw-*/<nip>.json", dir.display());
    }
    let mut file_warnings = Vec::new();
    let unor_path = dir.join("ref-unor.json");
    let tree = if unor_path.is_file() { Some(load_unor(&unor_path, &mut file_warnings)?) } else { None };
    let nips = list_nips(dir, &mut file_warnings)?;
    if nips.is_empty() {
        bail!("tidak ada berkas <nip>.json di {}; apakah ini folder respons SI-ASN?", dir.display());
    }
    let eselon_unor = |id: &str| tree.as_ref().and_then(|tree| tree.eselon_of(id).map(str::to_owned));
    let mut records = Vec::with_capacity(nips.len());
    for nip in nips {
        let nip = Nip::clean(&nip);
        let mut warnings = Vec::new();
        let mut body_of =
            |endpoint: &str| read_body(&dir.join(endpoint).join(format!("{nip}.json")), &mut file_warnings);
        let pegawai = ws::decode_pegawai(&nip, &mut body_of, &mut warnings).unwrap_or_else(|| Pegawai {
            data_utama: model::DataUtama { nip: nip.clone(), ..model::DataUtama::default() },
            ..Pegawai::default()
        });
        records.push(laporan(&pegawai, warnings, dir.display().to_string(), today, &eselon_unor));
    }
    Ok((records, file_warnings))
}

/// Every NIP that has a file under any endpoint folder, sorted.
fn list_nips(dir: &Path, warnings: &mut Vec<Warning>) -> anyhow::Result<BTreeSet<String>> {
    let mut nips = BTreeSet::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("tidak dapat membaca folder {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        let endpoint = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        if !ws::PEGAWAI_ENDPOINTS.contains(&endpoint.as_str()) {
            warnings.push(Warning {
                record: "berkas".into(),
                field: endpoint.clone(),
                raw: path.display().to_string(),
                kind: WarningKind::UnknownColumn,
                message: format!("folder '{endpoint}' bukan endpoint pegawai yang dikenal; diabaikan"),
            });
            continue;
        }
        for file in
            std::fs::read_dir(&path).with_context(|| format!("tidak dapat membaca folder {}", path.display()))?
        {
            let file = file?.path();
            if file.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
                && let Some(stem) = file.file_stem()
            {
                nips.insert(stem.to_string_lossy().into_owned());
            }
        }
    }
    Ok(nips)
}

/// A saved response body, or `None` when it was not saved. An unreadable file is a warning, not an error.
fn read_body(path: &Path, warnings: &mut Vec<Warning>) -> Option<String> {
    match std::fs::read(path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => {
            warnings.push(Warning {
                record: "berkas".into(),
                field: path.display().to_string(),
                raw: String::new(),
                kind: WarningKind::MalformedResponse,
                message: format!("berkas tidak dapat dibaca: {error}"),
            });
            None
        }
    }
}

fn load_unor(path: &Path, warnings: &mut Vec<Warning>) -> anyhow::Result<UnorTree> {
    let body = std::fs::read(path).with_context(|| format!("tidak dapat membaca {}", path.display()))?;
    let unor = decode_ref_unor(&String::from_utf8_lossy(&body), warnings);
    Ok(UnorTree::new(unor, warnings))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn print_summary(
    out: &mut impl Write,
    name: &str,
    records: &[Laporan],
    file_warnings: &[Warning],
    today: NaiveDate,
    max_warnings: usize,
    started: Instant,
) -> std::io::Result<()> {
    let totals = ringkasan(records, file_warnings, today);
    let per_jenis: Vec<String> = totals.per_jenis_asn.iter().map(|(jenis, count)| format!("{jenis} {count}")).collect();
    writeln!(out, "Pemeriksaan ekspor SI-ASN: {name}")?;
    writeln!(out, "Tanggal acuan: {}", model::date::format_dmy(today))?;
    writeln!(out)?;
    writeln!(out, "  Pegawai terbaca             : {} ({})", totals.pegawai, per_jenis.join(", "))?;
    writeln!(out, "  Pegawai dengan peringatan   : {}", totals.pegawai_dengan_peringatan)?;
    writeln!(out, "  Peringatan tentang berkas   : {}", totals.peringatan_berkas)?;
    writeln!(out, "  Pegawai dengan anomali IKD  : {}", totals.pegawai_dengan_anomali)?;
    writeln!(out, "  TMT pensiun ≤ 12 bulan lagi : {} (termasuk yang sudah lewat)", totals.bup_dalam_12_bulan)?;
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
    let mut listed: BTreeMap<&str, usize> = BTreeMap::new();
    let all = file_warnings.iter().chain(records.iter().flat_map(|record| record.warnings.iter()));
    let examples: Vec<&Warning> = all.take(max_warnings).collect();
    if !examples.is_empty() {
        writeln!(out)?;
        writeln!(out, "Contoh peringatan (maks. {max_warnings}; semua ada di --json):")?;
        for warning in examples {
            *listed.entry(warning.kind.code()).or_default() += 1;
            writeln!(out, "  - {} · {} = '{}': {}", warning.record, warning.field, warning.raw, warning.message)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "Selesai dalam {:.2} s. Berkas tidak diubah; jalankan impor untuk memasukkan data.",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
