//! The rows of an export, streamed: finding the header, reading each record with its real line number, and
//! recovering from an unclosed quote.
//!
//! The header is the first of the first 10 lines that has a NIP column (`nip_baru`, or a bare `NIP`): title rows
//! above it ("DAFTAR PEGAWAI …") and Excel's `sep=;` line (whose delimiter is then used) are skipped. A quote that
//! is never closed makes a CSV reader swallow every following row into one cell; a record whose cells hold a line
//! break and that has fewer cells than the header (or whose cell holds what looks like further rows) is split back
//! into its lines, read without quoting, and reported.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Chain, Cursor, Read};

use super::text::{self, Encoding, Repair, Sniff, Transcoder};
use super::{file_warning, map_columns};
use crate::siasn::field::fold_key;
use crate::warning::{Warning, WarningKind};

/// How many lines from the top may hold title rows before the header.
const HEADER_SEARCH_LINES: usize = 10;
/// How much text is read ahead to find the header.
const PREFIX_LIMIT: usize = 256 * 1024;
/// How many bytes are sniffed for the encoding.
const SNIFF_BYTES: usize = 8 * 1024;

/// One data row, ready to decode.
#[derive(Debug)]
pub(super) struct Row {
    /// 0-based position among the data rows, the same in every pass over the file.
    pub(super) ordinal: usize,
    /// The 1-based line where the row starts.
    pub(super) line: usize,
    /// `nip …` or `baris N`: how warnings name the record.
    pub(super) label: String,
    /// The cells.
    pub(super) record: csv::StringRecord,
    /// Problems of the row itself (ragged, unclosed quote, encoding), already labelled.
    pub(super) warnings: Vec<Warning>,
}

/// An opened export: its rows, or why it cannot be read.
#[derive(Debug)]
pub(super) enum Opened<'a> {
    /// The header was found; the rows follow.
    Rows(Box<Rows<'a>>),
    /// Nothing can be read: the reason, and the file warnings gathered so far.
    Fatal(String, Vec<Warning>),
}

/// The row reader of one pass over an export.
#[derive(Debug)]
pub(super) struct Rows<'a> {
    reader: csv::Reader<Chain<Cursor<Vec<u8>>, Transcoder<'a>>>,
    /// Offset of the header line in the decoded stream (the CSV reader's positions are relative to it).
    base: u64,
    delimiter: u8,
    /// Folded column name to (index, header as written).
    pub(super) columns: HashMap<String, (usize, String)>,
    /// Header cells as written, for naming the column of a repaired cell.
    header_names: Vec<String>,
    /// Header cells up to the last non-empty one.
    header_len: usize,
    /// Line starts consumed from the transcoder so far.
    lines_seen: usize,
    /// End of the previous record in the decoded stream.
    previous_end: u64,
    queue: VecDeque<Row>,
    record: csv::StringRecord,
    next_ordinal: usize,
    /// Problems of the file itself.
    pub(super) warnings: Vec<Warning>,
    /// Records the CSV reader could not read at all.
    pub(super) broken: usize,
}

impl<'a> Rows<'a> {
    /// Sniffs the encoding, finds the header and positions the reader on the first data row.
    pub(super) fn open(input: &'a mut dyn Read) -> io::Result<Opened<'a>> {
        let mut warnings = Vec::new();
        let mut first = Vec::with_capacity(SNIFF_BYTES);
        input.take(SNIFF_BYTES as u64).read_to_end(&mut first)?;
        let (encoding, bom) = match text::sniff(&first) {
            Sniff::Text(encoding, bom) => (encoding, bom),
            Sniff::Zip => {
                return Ok(fatal(
                    "berkas ini buku kerja Excel (.xlsx) atau ZIP, bukan CSV; buka di Excel lalu simpan ulang sebagai \
                 CSV UTF-8 (Save As > \"CSV UTF-8 (Comma delimited)\")",
                    warnings,
                ));
            }
            Sniff::Ole => {
                return Ok(fatal(
                    "berkas ini buku kerja Excel lama (.xls), bukan CSV; buka di Excel lalu simpan ulang sebagai CSV \
                 UTF-8 (Save As > \"CSV UTF-8 (Comma delimited)\")",
                    warnings,
                ));
            }
            Sniff::Binary => {
                return Ok(fatal(
                    "berkas biner, bukan CSV teks; ekspor ulang dari SIASN atau simpan ulang sebagai CSV UTF-8",
                    warnings,
                ));
            }
        };
        if encoding != Encoding::Utf8 {
            let name = if encoding == Encoding::Utf16Le { "UTF-16 LE" } else { "UTF-16 BE" };
            warnings.push(file_warning(
                "encoding",
                name,
                WarningKind::UnexpectedShape,
                format!("berkas berenkode {name}; dibaca sebagai {name}. Sebaiknya simpan sebagai CSV UTF-8"),
            ));
        }
        let mut transcoder = Transcoder::new(input, encoding, first, bom);

        // Read ahead far enough to see the first lines.
        let mut prefix = Vec::new();
        let mut chunk = [0u8; 8 * 1024];
        loop {
            let lines = prefix.iter().filter(|&&byte| byte == b'\n' || byte == b'\r').count();
            if lines > HEADER_SEARCH_LINES + 1 || prefix.len() >= PREFIX_LIMIT {
                break;
            }
            let read = transcoder.read(&mut chunk)?;
            if read == 0 {
                break;
            }
            prefix.extend_from_slice(&chunk[..read]);
        }
        let text = String::from_utf8_lossy(&prefix).into_owned();
        if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
            return Ok(fatal("berkas kosong; ekspor ulang dari SIASN (menu Export Data ASN)", warnings));
        }
        let Some((header_start, delimiter)) = find_header(&text) else {
            warnings.push(file_warning(
                "header",
                "nip_baru",
                WarningKind::MissingColumn,
                "kolom wajib 'nip_baru' (atau 'NIP') tidak ada di 10 baris pertama; berkas tidak dapat dibaca".into(),
            ));
            return Ok(fatal(
                "tidak ada baris judul kolom dengan kolom NIP (nip_baru atau NIP) di 10 baris pertama; pastikan \
                 berkas adalah Export Data ASN dari SIASN dan simpan sebagai CSV UTF-8 dengan kolom NIP berformat \
                 teks",
                warnings,
            ));
        };
        let tail = prefix.split_off(header_start);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .trim(csv::Trim::None)
            .from_reader(Cursor::new(tail).chain(transcoder));
        let headers = match reader.headers() {
            Ok(headers) => headers.clone(),
            Err(error) => {
                if let csv::ErrorKind::Io(error) = error.into_kind() {
                    return Err(error);
                }
                return Ok(fatal("baris header CSV tidak terbaca; simpan ulang sebagai CSV UTF-8", warnings));
            }
        };
        let base = header_start as u64;
        let columns = map_columns(&headers, &mut warnings);
        let header_names: Vec<String> = headers.iter().map(super::clean_header).collect();
        let header_len = header_names.iter().rposition(|name| !name.is_empty()).map_or(0, |index| index + 1);
        let mut rows = Rows {
            reader,
            base,
            delimiter,
            columns,
            header_names,
            header_len,
            lines_seen: 0,
            previous_end: 0,
            queue: VecDeque::new(),
            record: csv::StringRecord::new(),
            next_ordinal: 0,
            warnings,
            broken: 0,
        };
        rows.previous_end = base + rows.reader.position().byte();
        // Repairs in title rows or in the header belong to the file.
        let header_repairs = rows.take_repairs(rows.previous_end);
        if !header_repairs.is_empty() {
            let (raw, message) = repair_message(&header_repairs);
            rows.warnings.push(file_warning("header", &raw, WarningKind::MalformedResponse, message));
        }
        Ok(Opened::Rows(Box::new(rows)))
    }

    /// The next data row, or `None` at the end of the file.
    pub(super) fn next_row(&mut self) -> io::Result<Option<Row>> {
        loop {
            if let Some(row) = self.queue.pop_front() {
                return Ok(Some(row));
            }
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    let repairs = self.take_repairs(u64::MAX);
                    if !repairs.is_empty() {
                        let (raw, message) = repair_message(&repairs);
                        self.warnings.push(file_warning("encoding", &raw, WarningKind::MalformedResponse, message));
                    }
                    return Ok(None);
                }
                Err(error) => match error.into_kind() {
                    csv::ErrorKind::Io(error) => return Err(error),
                    kind => {
                        self.broken += 1;
                        let field = format!("sesudah baris {}", self.lines_seen + 1);
                        self.warnings.push(file_warning(
                            &field,
                            "",
                            WarningKind::MalformedResponse,
                            format!("baris CSV rusak, dilewati: {kind:?}; simpan ulang sebagai CSV UTF-8"),
                        ));
                        continue;
                    }
                },
            }
            let end = self.base + self.reader.position().byte();
            // The record ends on the line of its terminator; it starts as many lines earlier as its cells break.
            // A quote left open to the end of the file swallowed the last line end too: there is no terminator.
            let last_line = self.line_of(end.saturating_sub(1));
            // All cells end to end: one fast scan tells whether any cell breaks a line (rare) or has content.
            let cells = self.record.as_slice();
            let has_break = cells.contains('\n') || cells.contains('\r');
            let blank = cells.trim().is_empty();
            let mut breaks: usize = if has_break { self.record.iter().map(text::count_line_breaks).sum() } else { 0 };
            let runaway = if has_break { self.runaway_quote(&self.record) } else { None };
            if runaway.is_some_and(|index| index + 1 == self.record.len())
                && self.record.get(self.record.len() - 1).is_some_and(|cell| cell.ends_with(['\n', '\r']))
            {
                breaks = breaks.saturating_sub(1);
            }
            let line = last_line.saturating_sub(breaks).max(1);
            let repairs = self.take_repairs(end);
            self.previous_end = end;
            if blank {
                if !repairs.is_empty() {
                    let (raw, message) = repair_message(&repairs);
                    let field = format!("baris {line}");
                    self.warnings.push(file_warning(&field, &raw, WarningKind::MalformedResponse, message));
                }
                continue;
            }
            let record = std::mem::replace(&mut self.record, csv::StringRecord::with_capacity(1024, 64));
            let mut pieces = match runaway {
                Some(index) => self.split_runaway(&record, index, line),
                None => vec![(line, record, None)],
            };
            if let Some(first) = pieces.first_mut()
                && !repairs.is_empty()
            {
                let (raw, message) = repair_message(&repairs);
                let field = repairs
                    .iter()
                    .find_map(|repair| self.column_holding(&first.1, &repair.text))
                    .unwrap_or_else(|| "encoding".into());
                first.2.get_or_insert_with(Vec::new).push((field, raw, WarningKind::MalformedResponse, message));
            }
            for (line, record, notes) in pieces {
                let row = self.row(line, record, notes.unwrap_or_default());
                self.queue.push_back(row);
            }
        }
    }

    /// Builds a row: its label, a ragged-row check and its notes as labelled warnings.
    fn row(&mut self, line: usize, record: csv::StringRecord, notes: Vec<Note>) -> Row {
        let ordinal = self.next_ordinal;
        self.next_ordinal += 1;
        let nip = self
            .columns
            .get("nipbaru")
            .and_then(|(index, _)| record.get(*index))
            .map(|cell| cell.trim().trim_start_matches('\'').trim())
            .filter(|nip| !nip.is_empty());
        let label = match nip {
            Some(nip) => format!("nip {nip}"),
            None => format!("baris {line}"),
        };
        let mut warnings: Vec<Warning> = notes
            .into_iter()
            .map(|(field, raw, kind, message)| Warning { record: label.clone(), field, raw, kind, message })
            .collect();
        // Cells past the header are fine when empty (Excel pads rows with delimiters).
        let used = (0..record.len())
            .rposition(|index| record.get(index).is_some_and(|cell| !cell.trim().is_empty()))
            .map_or(0, |index| index + 1);
        if record.len() < self.header_len || used > self.header_len {
            warnings.push(Warning {
                record: label.clone(),
                field: format!("baris {line}"),
                raw: format!("{} sel", record.len()),
                kind: WarningKind::RaggedRow,
                message: format!(
                    "baris berisi {} sel, header {} kolom; sel dibaca menurut urutan header. Periksa pemisah \
                     kolom dan tanda kutip di baris itu",
                    record.len(),
                    self.header_len
                ),
            });
        }
        Row { ordinal, line, label, record, warnings }
    }

    /// The index of the cell that swallowed the following rows through an unclosed quote, if one did.
    ///
    /// A cell may legitimately hold a line break (a quoted multi-line alamat). It is a runaway when the record
    /// has fewer cells than the header, or when a line inside the cell starts with 18 digits (a NIP) or holds
    /// as many delimiters as a whole row.
    fn runaway_quote(&self, record: &csv::StringRecord) -> Option<usize> {
        let index = record.iter().position(|cell| cell.contains(['\n', '\r']))?;
        if record.len() < self.header_len {
            return Some(index);
        }
        let delimiter = char::from(self.delimiter);
        let row_like = |line: &str| {
            let line = line.trim_start_matches(['\'', '"', ' ']);
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            digits == 18 || line.matches(delimiter).count() >= (self.header_len / 2).max(3)
        };
        let cell = record.get(index)?;
        text::lines_with_offsets(cell).into_iter().skip(1).any(|(_, line)| row_like(line)).then_some(index)
    }

    /// Splits a record whose cell `index` swallowed further rows back into one piece per line, read without
    /// quoting. The first piece is reported.
    fn split_runaway(&self, record: &csv::StringRecord, index: usize, line: usize) -> Vec<Piece> {
        let delimiter = char::from(self.delimiter);
        let unquoted = |text: &str| -> Vec<String> {
            text.split(delimiter).map(|cell| cell.trim_matches('"').replace("\"\"", "\"")).collect()
        };
        let cell = record.get(index).unwrap_or_default();
        let lines = text::lines_with_offsets(cell);
        let mut pieces: Vec<(usize, Vec<String>)> = Vec::new();
        for (number, (_, text)) in lines.iter().enumerate() {
            let mut cells =
                if number == 0 { record.iter().take(index).map(str::to_owned).collect() } else { Vec::new() };
            if number > 0 && text.trim().is_empty() {
                continue;
            }
            cells.extend(unquoted(text));
            pieces.push((line + number, cells));
        }
        // Cells after the runaway one (when a later quote closed it) belong to its last line.
        if let Some((_, last)) = pieces.last_mut() {
            last.extend(record.iter().skip(index + 1).map(str::to_owned));
        }
        let swallowed = pieces.len().saturating_sub(1);
        // The raw value is the line as written, from the quote that was never closed.
        let excerpt: String =
            format!("\"{}", lines.first().map_or("", |(_, first)| *first)).chars().take(300).collect();
        let message = format!(
            "tanda kutip tidak tertutup di baris {line}; baris ini dan {swallowed} baris sesudahnya dibaca ulang per \
             baris tanpa tanda kutip. Tutup atau hapus tanda kutip itu di berkas, lalu simpan ulang sebagai CSV UTF-8"
        );
        pieces
            .into_iter()
            .enumerate()
            .map(|(number, (line_number, cells))| {
                let notes = (number == 0).then(|| {
                    vec![(format!("baris {line}"), excerpt.clone(), WarningKind::MalformedResponse, message.clone())]
                });
                (line_number, csv::StringRecord::from(cells), notes)
            })
            .collect()
    }

    /// The header of the first cell of `record` that contains `text`.
    fn column_holding(&self, record: &csv::StringRecord, text: &str) -> Option<String> {
        let index = record.iter().position(|cell| cell.contains(text))?;
        self.header_names.get(index).filter(|name| !name.is_empty()).cloned()
    }

    /// The 1-based line holding decoded position `at`. Positions must not decrease between calls.
    fn line_of(&mut self, at: u64) -> usize {
        let starts = &mut self.reader.get_mut().get_mut().1.line_starts;
        while starts.front().is_some_and(|&start| start <= at) {
            starts.pop_front();
            self.lines_seen += 1;
        }
        self.lines_seen + 1
    }

    /// The repairs before decoded position `end`.
    fn take_repairs(&mut self, end: u64) -> Vec<Repair> {
        let repairs = &mut self.reader.get_mut().get_mut().1.repairs;
        let mut taken = Vec::new();
        while repairs.front().is_some_and(|repair| repair.at < end) {
            taken.extend(repairs.pop_front());
        }
        taken
    }

    /// How many data rows were produced.
    pub(super) fn rows_read(&self) -> usize {
        self.next_ordinal
    }
}

/// A problem noted on a row before its label is known: field, raw value, kind, message.
type Note = (String, String, WarningKind, String);
/// One line of a record: its line number, cells and notes.
type Piece = (usize, csv::StringRecord, Option<Vec<Note>>);

fn fatal<'a>(message: &str, mut warnings: Vec<Warning>) -> Opened<'a> {
    warnings.push(file_warning("berkas", "", WarningKind::MalformedResponse, message.to_owned()));
    Opened::Fatal(message.to_owned(), warnings)
}

/// The raw bytes and the message of a record's Windows-1252 repairs.
fn repair_message(repairs: &[Repair]) -> (String, String) {
    let bytes: Vec<String> =
        repairs.iter().flat_map(|repair| repair.bytes.iter().map(|byte| format!("0x{byte:02X}"))).collect();
    let texts: Vec<String> = repairs.iter().map(|repair| format!("'{}'", repair.text)).collect();
    let raw = texts.join(" ");
    let message = format!(
        "byte bukan UTF-8 ({}) dibaca sebagai Windows-1252 ({}); periksa ejaannya, lalu simpan berkas sebagai CSV \
         UTF-8",
        bytes.join(", "),
        texts.join(", ")
    );
    (raw, message)
}

/// The header line among the first lines of `text`: its byte offset and delimiter.
///
/// An Excel `sep=;` line sets the delimiter and is skipped; title rows are skipped; the header is the first line
/// with a cell that is a NIP column (`nip_baru` in any spelling, or a bare `NIP`).
fn find_header(text: &str) -> Option<(usize, u8)> {
    let lines = text::lines_with_offsets(text);
    let mut lines = lines.into_iter().peekable();
    let mut sep = None;
    if let Some((_, first)) = lines.peek() {
        let first = first.trim().trim_start_matches('\u{feff}').trim_matches('"');
        if let Some(rest) = first.strip_prefix("sep=").or_else(|| first.strip_prefix("SEP=")) {
            sep = rest.bytes().next();
            lines.next();
        }
    }
    for (start, line) in lines.take(HEADER_SEARCH_LINES) {
        if line.trim().is_empty() {
            continue;
        }
        let delimiter = sep.unwrap_or_else(|| super::sniff_delimiter(line));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(line.as_bytes());
        let Some(Ok(cells)) = reader.records().next() else { continue };
        let is_nip = |cell: &str| matches!(fold_key(&super::clean_header(cell)).as_str(), "nipbaru" | "nip");
        if cells.iter().any(is_nip) {
            return Some((start, delimiter));
        }
    }
    None
}
