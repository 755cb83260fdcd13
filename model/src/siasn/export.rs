//! The SIASN web "Export Data ASN" CSV (`../shared/fixtures/README.md` lists its 64 columns).
//!
//! Real exports pass through spreadsheets before they reach us: title rows and an Excel `sep=;` line above the
//! header, headers that change case and gain spaces, a UTF-8 BOM, CRLF or CR-only line ends, the delimiter `;`, a
//! tab or `|`, long numbers with a leading apostrophe or turned into `6.41203E+15` (or cut to 15 digits), cells
//! saying `null`, Windows-1252 or UTF-16 text, an unclosed quote, a pegawai on two rows, and sometimes an `.xlsx`
//! renamed to `.csv`. This decoder reads all of that: every row becomes a record (never dropped), every problem a
//! warning on that record or on the file, and a file that cannot be read at all says why ([`Export::fatal`]).
//!
//! The file is streamed ([`decode_stream`]): a first pass notes who each row is ([`duplikat`]), a second decodes
//! and hands over each record as soon as it is complete, so memory does not grow with the file.
//! [`text`] turns the bytes into UTF-8, [`rows`] finds the header and reads the rows.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use crate::pegawai::DataUtama;
use crate::siasn::data_utama::decode_data_utama_record;
use crate::siasn::field::{RawValue, Source, fold_key, with_folded_key};
use crate::warning::{Warning, WarningKind};

mod duplikat;
mod rows;
mod text;

use duplikat::{Index, Plan, Role};
use rows::{Opened, Row, Rows};
#[cfg(test)]
use text::windows_1252;

/// The columns of the export, in the order SIASN writes them.
pub const COLUMNS: [&str; 64] = [
    "pns_id",
    "nip_baru",
    "nip_lama",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "tempat_lahir_id",
    "tempat_lahir_nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "agama_id",
    "agama_nama",
    "jenis_kawin_id",
    "jenis_kawin_nama",
    "nik",
    "nomor_hp",
    "email",
    "email_gov",
    "alamat",
    "npwp_nomor",
    "bpjs",
    "jenis_pegawai_id",
    "jenis_pegawai_nama",
    "kedudukan_hukum_id",
    "kedudukan_hukum_nama",
    "status_cpns_pns",
    "kartu_asn_virtual",
    "nomor_sk_cpns",
    "tanggal_sk_cpns",
    "tmt_cpns",
    "nomor_sk_pns",
    "tanggal_sk_pns",
    "tmt_pns",
    "gol_awal_id",
    "gol_awal_nama",
    "gol_akhir_id",
    "gol_akhir_nama",
    "tmt_golongan",
    "mk_tahun",
    "mk_bulan",
    "jenis_jabatan_id",
    "jenis_jabatan_nama",
    "jabatan_id",
    "jabatan_nama",
    "tmt_jabatan",
    "tingkat_pendidikan_id",
    "tingkat_pendidikan_nama",
    "pendidikan_id",
    "pendidikan_nama",
    "tahun_lulus",
    "kpkn_id",
    "kpkn_nama",
    "lokasi_kerja_id",
    "lokasi_kerja_nama",
    "unor_id",
    "unor_nama",
    "instansi_induk_id",
    "instansi_induk_nama",
    "instansi_kerja_id",
    "instansi_kerja_nama",
    "satuan_kerja_induk_id",
    "satuan_kerja_induk_nama",
    "satuan_kerja_kerja_id",
    "satuan_kerja_kerja_nama",
];

/// The column without which a row cannot name its pegawai (a bare `NIP` header is read as it).
const REQUIRED: [&str; 1] = ["nip_baru"];

/// One pegawai read from the export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportRecord {
    /// The 1-based line of the row that was kept (line 1 is the first line of the file).
    pub baris: usize,
    /// The normalised data utama.
    pub data_utama: DataUtama,
    /// Problems found in this record's row(s), including duplicates merged into it (their fields are prefixed
    /// with `baris N: `, the line they came from).
    pub warnings: Vec<Warning>,
}

/// The whole export, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Export {
    /// One record per pegawai, in file order; a pegawai found on several rows comes where its last row is.
    /// Empty when the records were handed over one by one ([`decode_stream`]).
    pub records: Vec<ExportRecord>,
    /// Problems of the file itself: encoding, unknown or missing columns, rows the CSV reader could not read.
    pub warnings: Vec<Warning>,
    /// Why nothing could be read, with what to do about it (empty file, no header with a NIP column within the
    /// first 10 lines, an `.xlsx` or other binary file, rows none of which could be read). `None` when the file
    /// was read, even if it had problems or no pegawai at all.
    pub fatal: Option<String>,
}

/// Reads an export from its bytes. Never fails: an unreadable file gives no records, a file warning and
/// [`Export::fatal`].
pub fn decode(bytes: &[u8]) -> Export {
    let mut records = Vec::new();
    let mut collect = |record| {
        records.push(record);
        ControlFlow::Continue(())
    };
    let mut export = decode_stream(io::Cursor::new(bytes), &mut collect).unwrap_or_else(|error| {
        let message = format!("berkas tidak terbaca: {error}");
        Export {
            warnings: vec![file_warning("berkas", "", WarningKind::MalformedResponse, message.clone())],
            fatal: Some(message),
            ..Export::default()
        }
    });
    export.records = records;
    export
}

/// Reads an export from `input`, handing each record to `on_record` as soon as it is complete (return
/// [`ControlFlow::Break`] to stop early). Returns the file's warnings and [`Export::fatal`]; `records` is empty.
///
/// The input is read twice from its start (hence [`Seek`]): a first pass notes who each row is, so that rows of
/// one pegawai merge without keeping every record in memory. The decoder opens nothing itself: the caller passes
/// the bytes as a reader (a file, or a byte slice in a cursor).
///
/// # Errors
/// Only when `input` fails to read or seek; bad content is a warning or [`Export::fatal`], never an error.
pub fn decode_stream<R: Read + Seek>(
    mut input: R,
    on_record: &mut dyn FnMut(ExportRecord) -> ControlFlow<()>,
) -> io::Result<Export> {
    input.seek(SeekFrom::Start(0))?;
    let mut rows = match Rows::open(&mut input)? {
        Opened::Rows(rows) => rows,
        Opened::Fatal(message, warnings) => return Ok(Export { records: Vec::new(), warnings, fatal: Some(message) }),
    };
    let mut index = Index::default();
    while let Some(row) = rows.next_row()? {
        index.add(&row, &rows.columns);
    }
    let plan = index.into_plan();
    drop(rows);

    input.seek(SeekFrom::Start(0))?;
    let mut rows = match Rows::open(&mut input)? {
        Opened::Rows(rows) => rows,
        Opened::Fatal(message, warnings) => return Ok(Export { records: Vec::new(), warnings, fatal: Some(message) }),
    };
    let mut emitter = Emitter { plan, pending: HashMap::new(), emitted: 0, on_record };
    while let Some(row) = rows.next_row()? {
        let ordinal = row.ordinal;
        let record = decode_row(row, &rows.columns);
        if emitter.push(ordinal, record).is_break() {
            break;
        }
    }
    let (read, broken, emitted) = (rows.rows_read(), rows.broken, emitter.emitted);
    let mut export = Export { records: Vec::new(), warnings: std::mem::take(&mut rows.warnings), fatal: None };
    if emitted == 0 && broken > 0 && read == 0 {
        let message = format!(
            "{broken} baris data ada tetapi tidak satu pun terbaca; buka berkas di Excel lalu simpan ulang sebagai \
             CSV UTF-8"
        );
        export.warnings.push(file_warning("berkas", "", WarningKind::MalformedResponse, message.clone()));
        export.fatal = Some(message);
    } else if read == 0 && broken == 0 {
        export.warnings.push(file_warning(
            "berkas",
            "",
            WarningKind::MissingValue,
            "berkas hanya berisi baris header, tidak ada pegawai; ekspor ulang dari SIASN".into(),
        ));
    }
    Ok(export)
}

/// Decodes one row into a record.
fn decode_row(row: Row, columns: &HashMap<String, (usize, String)>) -> ExportRecord {
    let Row { line, label, record, mut warnings, .. } = row;
    let source = CsvRow { columns, record: &record };
    let data_utama = decode_data_utama_record(&source, &label, &mut warnings);
    ExportRecord { baris: line, data_utama, warnings }
}

/// A pegawai on several rows while its rows are being read.
#[derive(Default)]
struct Pending {
    /// The row kept, once read.
    kept: Option<ExportRecord>,
    /// The warnings of the rows set aside, labelled with their line.
    set_aside: Vec<Warning>,
    /// The lines set aside, with what matched them to the kept row.
    losers: Vec<(usize, &'static str)>,
}

/// The second pass: hands records over, holding back only the rows of a pegawai found on several rows until its
/// last row has been read.
struct Emitter<'a> {
    plan: Plan,
    /// Per cluster of rows of one pegawai.
    pending: HashMap<usize, Pending>,
    emitted: usize,
    on_record: &'a mut dyn FnMut(ExportRecord) -> ControlFlow<()>,
}

impl Emitter<'_> {
    fn push(&mut self, ordinal: usize, mut record: ExportRecord) -> ControlFlow<()> {
        let Some(role) = self.plan.roles.remove(&ordinal) else { return self.emit(record) };
        let (cluster, winner, sama) = match role {
            Role::Alone(note) => {
                record.warnings.push(duplicate_warning(&record, note));
                return self.emit(record);
            }
            Role::Member { cluster, winner, sama } => (cluster, winner, sama),
        };
        let state = self.pending.entry(cluster).or_default();
        if winner {
            state.kept = Some(record);
        } else {
            let line = record.baris;
            state.set_aside.extend(record.warnings.into_iter().map(|mut warning| {
                warning.field = format!("baris {line}: {}", warning.field);
                warning
            }));
            state.losers.push((line, sama));
        }
        let Some(plan) = self.plan.clusters.get_mut(cluster) else { return ControlFlow::Continue(()) };
        plan.remaining = plan.remaining.saturating_sub(1);
        if plan.remaining > 0 {
            return ControlFlow::Continue(());
        }
        let (winner_line, note) = (plan.winner_line, plan.note.take());
        let Some(Pending { kept: Some(mut kept), set_aside, losers }) = self.pending.remove(&cluster) else {
            return ControlFlow::Continue(());
        };
        kept.warnings.extend(set_aside);
        for (line, sama) in losers {
            let message = format!(
                "pegawai yang sama (NIP dan {sama} sama) muncul di baris {} dan {}; dipakai baris {winner_line} (TMT \
                 jabatan, lalu TMT golongan, lalu baris terakhir). Hapus baris ganda dari berkas",
                line.min(winner_line),
                line.max(winner_line)
            );
            kept.warnings.push(Warning {
                record: format!("nip {}", kept.data_utama.nip),
                field: format!("baris {line}"),
                raw: kept.data_utama.nip.to_string(),
                kind: WarningKind::DuplicateRecord,
                message,
            });
        }
        if let Some(note) = note {
            let warning = duplicate_warning(&kept, note);
            kept.warnings.push(warning);
        }
        self.emit(kept)
    }

    fn emit(&mut self, record: ExportRecord) -> ControlFlow<()> {
        self.emitted += 1;
        (self.on_record)(record)
    }
}

fn duplicate_warning(record: &ExportRecord, message: String) -> Warning {
    let nip = record.data_utama.nip.to_string();
    let label = if nip.is_empty() { format!("baris {}", record.baris) } else { format!("nip {nip}") };
    Warning { record: label, field: "nip".into(), raw: nip, kind: WarningKind::DuplicateRecord, message }
}

/// One CSV row as a [`Source`]: cells looked up through the folded header.
struct CsvRow<'a> {
    columns: &'a HashMap<String, (usize, String)>,
    record: &'a csv::StringRecord,
}

impl Source for CsvRow<'_> {
    fn lookup(&self, keys: &[&str]) -> Option<(std::borrow::Cow<'_, str>, RawValue<'_>)> {
        keys.iter().find_map(|key| {
            let (index, header) = with_folded_key(key, |folded| self.columns.get(folded))?;
            let cell = self.record.get(*index)?;
            Some((std::borrow::Cow::Borrowed(header.as_str()), RawValue::Text(std::borrow::Cow::Borrowed(cell))))
        })
    }
}

/// A header cell as written, without surrounding space, quotes and BOM.
fn clean_header(header: &str) -> String {
    header.trim().trim_matches('"').trim_start_matches('\u{feff}').trim().to_owned()
}

/// Maps folded header names to (column index, header as written); reports unknown, repeated and missing columns.
///
/// A bare `NIP` column is the `nip_baru` column when there is no `nip_baru`. Empty header cells at the end of
/// the line (Excel pads with delimiters) are ignored silently.
fn map_columns(headers: &csv::StringRecord, warnings: &mut Vec<Warning>) -> HashMap<String, (usize, String)> {
    let known: HashMap<String, &str> = COLUMNS.iter().map(|name| (fold_key(name), *name)).collect();
    let cleaned: Vec<String> = headers.iter().map(clean_header).collect();
    let used = cleaned.iter().rposition(|name| !name.is_empty()).map_or(0, |index| index + 1);
    let has_nip_baru = cleaned.iter().any(|name| fold_key(name) == "nipbaru");
    let mut columns: HashMap<String, (usize, String)> = HashMap::new();
    for (index, header) in cleaned.iter().enumerate().take(used) {
        let mut folded = fold_key(header);
        if folded == "nip" && !has_nip_baru {
            folded = "nipbaru".into();
        }
        if !known.contains_key(&folded) {
            warnings.push(file_warning(
                "header",
                header,
                WarningKind::UnknownColumn,
                format!("kolom ke-{} '{header}' tidak dikenal; diabaikan", index + 1),
            ));
        }
        match columns.entry(folded) {
            Entry::Vacant(entry) => {
                entry.insert((index, header.clone()));
            }
            Entry::Occupied(entry) if !entry.key().is_empty() => {
                let first = entry.get().0 + 1;
                warnings.push(file_warning(
                    "header",
                    header,
                    WarningKind::UnexpectedShape,
                    format!(
                        "kolom '{header}' muncul dua kali (kolom ke-{first} dan ke-{}); dipakai kolom ke-{first}. \
                         Hapus kolom ganda lalu simpan ulang",
                        index + 1
                    ),
                ));
            }
            Entry::Occupied(_) => {}
        }
    }
    for name in COLUMNS {
        if !columns.contains_key(&fold_key(name)) {
            let fatal = REQUIRED.contains(&name);
            let message = if fatal {
                format!("kolom wajib '{name}' tidak ada; berkas tidak dapat dibaca")
            } else {
                format!("kolom '{name}' tidak ada; isian ini kosong untuk semua pegawai")
            };
            warnings.push(file_warning("header", name, WarningKind::MissingColumn, message));
        }
    }
    columns
}

/// The delimiter of the first line of `text`: `,`, `;`, tab or `|`, whichever occurs most (comma on a tie).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.split(['\r', '\n']).next().unwrap_or("");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|delimiter| (header.bytes().filter(|byte| byte == delimiter).count(), *delimiter == b','))
        .unwrap_or(b',')
}

fn file_warning(field: &str, raw: &str, kind: WarningKind, message: String) -> Warning {
    Warning { record: "berkas".into(), field: field.into(), raw: raw.into(), kind, message }
}

#[cfg(test)]
mod tests;
