//! The bytes of an export as UTF-8 text, streamed: encoding sniffing, UTF-16, and Windows-1252 repair.
//!
//! Excel writes CSV as UTF-8 (with or without a BOM), as Windows-1252 ("CSV (Comma delimited)") or as UTF-16
//! ("Unicode Text"); some officers send the `.xlsx` itself. [`sniff`] looks at the first bytes and tells which;
//! [`Transcoder`] then turns the stream into UTF-8 as the CSV reader pulls it, without holding the whole file.
//! Valid UTF-8 is kept as it is and only each run of invalid bytes is read as Windows-1252, so one stray byte does
//! not re-decode the rest of the file; each repair is remembered with its position so the decoder can warn on
//! the record that holds it. The transcoder also records where each line starts (`\n`, `\r\n` and a lone `\r`
//! all end a line), so records are named by their real line even with CR-only files.

use std::collections::VecDeque;
use std::io::{self, Read};

/// How many bytes [`Transcoder`] reads from its source at a time.
const CHUNK: usize = 64 * 1024;

/// How the text of a file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// UTF-8, with each invalid byte run read as Windows-1252.
    Utf8,
    /// UTF-16 little endian (what Excel's "Unicode Text" writes).
    Utf16Le,
    /// UTF-16 big endian.
    Utf16Be,
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sniff {
    /// Text in this encoding, after a byte-order mark of `bom` bytes (0 when there is none).
    Text(Encoding, usize),
    /// A ZIP container: an `.xlsx` (or `.ods`) workbook.
    Zip,
    /// An OLE compound file: an old `.xls` workbook.
    Ole,
    /// Some other binary file.
    Binary,
}

/// Tells the encoding (or binary format) of a file from its first bytes.
pub(super) fn sniff(first: &[u8]) -> Sniff {
    if first.starts_with(b"PK\x03\x04") {
        return Sniff::Zip;
    }
    if first.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniff::Ole;
    }
    if first.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Sniff::Text(Encoding::Utf8, 3);
    }
    if first.starts_with(&[0xFF, 0xFE]) {
        return Sniff::Text(Encoding::Utf16Le, 2);
    }
    if first.starts_with(&[0xFE, 0xFF]) {
        return Sniff::Text(Encoding::Utf16Be, 2);
    }
    let zeros_even = first.iter().step_by(2).filter(|&&byte| byte == 0).count();
    let zeros_odd = first.iter().skip(1).step_by(2).filter(|&&byte| byte == 0).count();
    let zeros = zeros_even + zeros_odd;
    // UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte.
    if zeros * 4 > first.len() {
        if zeros_odd > zeros_even * 4 {
            return Sniff::Text(Encoding::Utf16Le, 0);
        }
        if zeros_even > zeros_odd * 4 {
            return Sniff::Text(Encoding::Utf16Be, 0);
        }
        return Sniff::Binary;
    }
    let control =
        first.iter().filter(|&&byte| matches!(byte, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1A | 0x1C..=0x1F)).count();
    if zeros > 0 || (control >= 2 && control * 50 > first.len()) {
        return Sniff::Binary;
    }
    Sniff::Text(Encoding::Utf8, 0)
}

/// Invalid UTF-8 bytes that were read as Windows-1252, at a position of the decoded stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repair {
    /// Byte offset of the replacement in the decoded (UTF-8) stream.
    pub(super) at: u64,
    /// The bytes as they were in the file.
    pub(super) bytes: Vec<u8>,
    /// What they were read as.
    pub(super) text: String,
}

/// A reader of UTF-8 text over a source in any [`Encoding`], recording line starts and repairs as it goes.
pub(super) struct Transcoder<'a> {
    inner: &'a mut dyn Read,
    encoding: Encoding,
    /// Source bytes read but not decoded yet (an incomplete sequence at the end of a chunk).
    raw: Vec<u8>,
    eof: bool,
    /// Decoded bytes not handed out yet, from `out_pos`.
    out: Vec<u8>,
    out_pos: usize,
    /// Position of `out[0]` in the decoded stream.
    out_base: u64,
    /// A `\r` ended the last decoded chunk: whether it ends a line depends on the next byte.
    cr_pending: bool,
    /// Positions (in the decoded stream) where a line starts, after the first line; consumed by the decoder.
    pub(super) line_starts: VecDeque<u64>,
    /// Windows-1252 repairs not claimed by a record yet.
    pub(super) repairs: VecDeque<Repair>,
}

impl std::fmt::Debug for Transcoder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcoder").field("encoding", &self.encoding).field("out_base", &self.out_base).finish()
    }
}

impl<'a> Transcoder<'a> {
    /// Reads `inner` as `encoding`; `first` holds bytes already read from it, of which the first `skip` (a BOM)
    /// are dropped.
    pub(super) fn new(inner: &'a mut dyn Read, encoding: Encoding, mut first: Vec<u8>, skip: usize) -> Self {
        first.drain(..skip.min(first.len()));
        Transcoder {
            inner,
            encoding,
            raw: first,
            eof: false,
            out: Vec::new(),
            out_pos: 0,
            out_base: 0,
            cr_pending: false,
            line_starts: VecDeque::new(),
            repairs: VecDeque::new(),
        }
    }

    /// Decodes the next chunk into `out`; leaves `out` empty only at the end of the source.
    fn fill(&mut self) -> io::Result<()> {
        self.out_base += self.out.len() as u64;
        self.out.clear();
        self.out_pos = 0;
        loop {
            if !self.eof && self.raw.len() < CHUNK {
                let start = self.raw.len();
                self.raw.resize(start + CHUNK, 0);
                let read = loop {
                    match self.inner.read(&mut self.raw[start..]) {
                        Ok(read) => break read,
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                        Err(error) => {
                            self.raw.truncate(start);
                            return Err(error);
                        }
                    }
                };
                self.raw.truncate(start + read);
                self.eof = read == 0;
            }
            match self.encoding {
                Encoding::Utf8 => self.decode_utf8(),
                Encoding::Utf16Le | Encoding::Utf16Be => self.decode_utf16(),
            }
            self.register_lines();
            if !self.out.is_empty() || (self.eof && self.raw.is_empty()) {
                break;
            }
        }
        if self.eof && self.raw.is_empty() && self.cr_pending {
            self.cr_pending = false;
            self.line_starts.push_back(self.out_base + self.out.len() as u64);
        }
        Ok(())
    }

    /// Valid UTF-8 as it is; each run of invalid bytes through Windows-1252, remembered as a [`Repair`].
    fn decode_utf8(&mut self) {
        let raw = std::mem::take(&mut self.raw);
        let mut consumed = 0;
        while consumed < raw.len() {
            let rest = &raw[consumed..];
            let error = match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.out.extend_from_slice(text.as_bytes());
                    consumed = raw.len();
                    break;
                }
                Err(error) => error,
            };
            let valid = error.valid_up_to();
            self.out.extend_from_slice(&rest[..valid]);
            consumed += valid;
            let bad_len = match error.error_len() {
                Some(len) => len,
                // A sequence cut by the chunk end: wait for the rest, unless there is no more.
                None if !self.eof => break,
                None => rest.len() - valid,
            };
            let bad = &rest[valid..valid + bad_len];
            let text: String = bad.iter().map(|&byte| windows_1252(byte)).collect();
            let at = self.out_base + self.out.len() as u64;
            self.out.extend_from_slice(text.as_bytes());
            match self.repairs.back_mut() {
                Some(last) if last.at + last.text.len() as u64 == at => {
                    last.bytes.extend_from_slice(bad);
                    last.text.push_str(&text);
                }
                _ => self.repairs.push_back(Repair { at, bytes: bad.to_vec(), text }),
            }
            consumed += bad_len;
        }
        self.raw = raw;
        self.raw.drain(..consumed);
    }

    /// UTF-16 code units to UTF-8 (unpaired surrogates become U+FFFD); a unit cut by the chunk end waits.
    fn decode_utf16(&mut self) {
        let mut usable = self.raw.len() & !1;
        let unit = |pair: &[u8]| match self.encoding {
            Encoding::Utf16Be => u16::from_be_bytes([pair[0], pair[1]]),
            _ => u16::from_le_bytes([pair[0], pair[1]]),
        };
        let mut units: Vec<u16> = self.raw[..usable].chunks_exact(2).map(unit).collect();
        if !self.eof && units.last().is_some_and(|last| (0xD800..0xDC00).contains(last)) {
            units.pop();
            usable -= 2;
        }
        self.out.extend_from_slice(String::from_utf16_lossy(&units).as_bytes());
        self.raw.drain(..usable);
        if self.eof && !self.raw.is_empty() {
            // An odd byte at the very end.
            self.out.extend_from_slice(char::REPLACEMENT_CHARACTER.to_string().as_bytes());
            self.raw.clear();
        }
    }

    /// Records the line starts in the newly decoded `out`.
    fn register_lines(&mut self) {
        if !self.cr_pending && !self.out.contains(&b'\r') {
            // The common case, LF only: a plain scan.
            let base = self.out_base + 1;
            let starts =
                self.out.iter().enumerate().filter(|(_, byte)| **byte == b'\n').map(|(index, _)| base + index as u64);
            self.line_starts.extend(starts);
            return;
        }
        for (index, &byte) in self.out.iter().enumerate() {
            let at = self.out_base + index as u64;
            if std::mem::take(&mut self.cr_pending) && byte != b'\n' {
                self.line_starts.push_back(at);
            }
            match byte {
                b'\n' => self.line_starts.push_back(at + 1),
                b'\r' => self.cr_pending = true,
                _ => {}
            }
        }
    }
}

impl Read for Transcoder<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos == self.out.len() {
            self.fill()?;
        }
        let available = &self.out[self.out_pos..];
        let count = available.len().min(buf.len());
        buf[..count].copy_from_slice(&available[..count]);
        self.out_pos += count;
        Ok(count)
    }
}

/// Windows-1252 to Unicode; the 0x80–0x9F block differs from Latin-1.
pub(super) fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The number of line breaks in `text`: `\r\n`, a lone `\r` and a lone `\n` each count once.
pub(super) fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(index, &byte)| byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n')))
        .count()
}

/// `text` split at `\r\n`, `\r` and `\n`, with the byte offset where each line starts.
pub(super) fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\n' => {
                lines.push((start, &text[start..index]));
                start = index + 1;
            }
            b'\r' => {
                lines.push((start, &text[start..index]));
                if bytes.get(index + 1) == Some(&b'\n') {
                    index += 1;
                }
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    if start < bytes.len() {
        lines.push((start, &text[start..]));
    }
    lines
}
