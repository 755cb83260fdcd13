//! The SIASN web "Export Data ASN" CSV (`../shared/fixtures/README.md` lists its 64 columns).
//!
//! Real exports pass through spreadsheets before they reach us: headers change case and gain spaces, a UTF-8 BOM
//! or CRLF line ends appear, the delimiter becomes `;` or a tab, long numbers gain a leading apostrophe or turn into
//! `6.41203E+15`, cells say `null`, the file may not be UTF-8, and a pegawai may appear on two rows. This decoder
//! reads all of that: every row becomes a record (never dropped), every problem a warning on that record.

use std::collections::HashMap;

use crate::date::Tanggal;
use crate::pegawai::DataUtama;
use crate::siasn::data_utama::decode_data_utama_record;
use crate::siasn::field::{RawValue, Source, fold_key};
use crate::warning::{Warning, WarningKind};

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

/// The columns without which a row cannot name its pegawai.
const REQUIRED: [&str; 2] = ["nip_baru", "nama"];

/// One pegawai read from the export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportRecord {
    /// The 1-based line of the row that was kept (the header is line 1).
    pub baris: usize,
    /// The normalised data utama.
    pub data_utama: DataUtama,
    /// Problems found in this record's row(s), including duplicates merged into it.
    pub warnings: Vec<Warning>,
}

/// The whole export, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Export {
    /// One record per pegawai, in the order of first appearance.
    pub records: Vec<ExportRecord>,
    /// Problems of the file itself: encoding, unknown or missing columns.
    pub warnings: Vec<Warning>,
}

/// Reads an export from its bytes. Never fails: an unreadable file gives no records and a file warning.
pub fn decode(bytes: &[u8]) -> Export {
    let mut export = Export::default();
    let text = to_text(bytes, &mut export.warnings);
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());

    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            export.warnings.push(file_warning(
                "header",
                "",
                WarningKind::MalformedResponse,
                format!("header CSV tidak terbaca: {error}"),
            ));
            return export;
        }
    };
    let columns = map_columns(&headers, &mut export.warnings);
    if REQUIRED.iter().any(|name| !columns.contains_key(&fold_key(name))) {
        return export;
    }
    let header_len = headers.len();

    let mut by_nip: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1usize;
    let (mut counted_byte, mut counted_line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                line += 1;
                export.warnings.push(file_warning(
                    &format!("baris {line}"),
                    "",
                    WarningKind::MalformedResponse,
                    format!("baris CSV rusak, dilewati: {error}"),
                ));
                continue;
            }
        }
        // The line where the record starts, counted over the bytes read so far (quoted cells may span lines).
        if let Some(position) = record.position() {
            // With CRLF the reader reports the record at the `\n` of the previous line end: skip line ends.
            let mut start = (position.byte() as usize).min(text.len());
            while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            line = counted_line + text.as_bytes()[counted_byte..start].iter().filter(|&&byte| byte == b'\n').count();
            (counted_byte, counted_line) = (start, line);
        } else {
            line += 1;
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let row = CsvRow { columns: &columns, record: &record };
        let nip_raw =
            row.lookup(&["nip_baru"]).map(|(_, value)| value.to_text().trim().trim_start_matches('\'').to_owned());
        let label = match nip_raw.as_deref() {
            Some(nip) if !nip.is_empty() => format!("nip {nip}"),
            _ => format!("baris {line}"),
        };
        let mut warnings = Vec::new();
        if record.len() != header_len {
            warnings.push(Warning {
                record: label.clone(),
                field: format!("baris {line}"),
                raw: format!("{} sel", record.len()),
                kind: WarningKind::RaggedRow,
                message: format!(
                    "baris berisi {} sel, header {} kolom; sel dibaca menurut urutan header",
                    record.len(),
                    header_len
                ),
            });
        }
        let data_utama = decode_data_utama_record(&row, &label, &mut warnings);
        let candidate = ExportRecord { baris: line, data_utama, warnings };
        let key = candidate.data_utama.nip.as_str().to_owned();
        match by_nip.get(&key).copied().filter(|_| !key.is_empty()) {
            None => {
                by_nip.insert(key, export.records.len());
                export.records.push(candidate);
            }
            Some(index) => merge_duplicate(&mut export.records[index], candidate),
        }
    }
    export
}

/// Keeps the more recent of two rows of one pegawai: the later TMT jabatan, then the later TMT golongan, then the
/// later row. The other row's warnings are kept, with one more saying which line was set aside.
fn merge_duplicate(kept: &mut ExportRecord, other: ExportRecord) {
    let recency = |record: &ExportRecord| -> (Option<Tanggal>, Option<Tanggal>, usize) {
        (record.data_utama.tmt_jabatan, record.data_utama.tmt_golongan, record.baris)
    };
    let other_wins = recency(&other) > recency(kept);
    let (winner, loser) = if other_wins { (other, std::mem::take(kept)) } else { (std::mem::take(kept), other) };
    let mut warnings = winner.warnings;
    warnings.extend(loser.warnings);
    warnings.push(Warning {
        record: format!("nip {}", winner.data_utama.nip),
        field: format!("baris {}", loser.baris),
        raw: loser.data_utama.nip.to_string(),
        kind: WarningKind::DuplicateRecord,
        message: format!(
            "pegawai yang sama muncul di baris {} dan {}; dipakai baris {} (TMT jabatan, lalu TMT golongan, lalu baris terakhir)",
            loser.baris.min(winner.baris),
            loser.baris.max(winner.baris),
            winner.baris
        ),
    });
    *kept = ExportRecord { baris: winner.baris, data_utama: winner.data_utama, warnings };
}

/// One CSV row as a [`Source`]: cells looked up through the folded header.
struct CsvRow<'a> {
    columns: &'a HashMap<String, (usize, String)>,
    record: &'a csv::StringRecord,
}

impl Source for CsvRow<'_> {
    fn lookup(&self, keys: &[&str]) -> Option<(std::borrow::Cow<'_, str>, RawValue<'_>)> {
        keys.iter().find_map(|key| {
            let (index, header) = self.columns.get(&fold_key(key))?;
            let cell = self.record.get(*index)?;
            Some((std::borrow::Cow::Borrowed(header.as_str()), RawValue::Text(std::borrow::Cow::Borrowed(cell))))
        })
    }
}

/// Maps folded header names to (column index, header as written); reports unknown and missing columns.
fn map_columns(headers: &csv::StringRecord, warnings: &mut Vec<Warning>) -> HashMap<String, (usize, String)> {
    let known: HashMap<String, &str> = COLUMNS.iter().map(|name| (fold_key(name), *name)).collect();
    let mut columns = HashMap::new();
    for (index, header) in headers.iter().enumerate() {
        let cleaned = header.trim().trim_matches('"').trim_start_matches('\u{feff}');
        let folded = fold_key(cleaned);
        if !known.contains_key(&folded) {
            warnings.push(file_warning(
                "header",
                cleaned,
                WarningKind::UnknownColumn,
                format!("kolom ke-{} '{cleaned}' tidak dikenal; diabaikan", index + 1),
            ));
        }
        columns.entry(folded).or_insert((index, cleaned.to_owned()));
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

/// The file as text: UTF-8 when it is, otherwise read as Windows-1252 (what Excel on Windows writes) with a warning.
fn to_text<'a>(bytes: &'a [u8], warnings: &mut Vec<Warning>) -> std::borrow::Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(error) => {
            warnings.push(file_warning(
                "encoding",
                "",
                WarningKind::MalformedResponse,
                format!("berkas bukan UTF-8 (byte ke-{}); dibaca sebagai Windows-1252", error.valid_up_to() + 1),
            ));
            std::borrow::Cow::Owned(bytes.iter().map(|&byte| windows_1252(byte)).collect())
        }
    }
}

/// Windows-1252 to Unicode; the 0x80–0x9F block differs from Latin-1.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The delimiter of the header line: `,`, `;`, tab or `|`, whichever occurs most (comma on a tie).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
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
