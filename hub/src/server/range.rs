//! HTTP `Range: bytes=…` on immutable content (RFC 9110 §14): snapshot chunk files and blobs.
//!
//! One range is served (`N-`, `N-M`, `-S`); a header with several ranges, another unit or bad syntax is ignored
//! and the whole content is sent (RFC 9110 §14.2 allows that). A range starting past the end is unsatisfiable
//! (416 with `Content-Range: bytes */len`).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// An inclusive byte range `start..=end` of content of known length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ByteRange {
    /// The first byte.
    pub(crate) start: u64,
    /// The last byte (inclusive).
    pub(crate) end: u64,
}

/// What a `Range` header asks of content of length `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// No (usable) range: the whole content.
    Whole,
    /// One satisfiable range.
    Part(ByteRange),
    /// A range starting past the end (or an empty suffix).
    Unsatisfiable,
}

/// The bytes to answer with.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ranged {
    /// All of it (200).
    Full(Vec<u8>),
    /// One range (206).
    Partial {
        /// The range.
        range: ByteRange,
        /// The whole content's length.
        total: u64,
        /// The range's bytes.
        bytes: Vec<u8>,
    },
    /// Nothing (416).
    Unsatisfiable {
        /// The whole content's length.
        total: u64,
    },
}

/// Reads a `Range` header value against content of `total` bytes.
pub(crate) fn wanted(header: Option<&str>, total: u64) -> Wanted {
    let Some(spec) = header.map(str::trim).and_then(|h| h.strip_prefix("bytes=")) else { return Wanted::Whole };
    let spec = spec.trim();
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else { return Wanted::Whole };
    let number = |text: &str| -> Option<u64> {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) { None } else { text.parse().ok() }
    };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        // `-S`: the last S bytes.
        (true, false) => match number(last) {
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if total == 0 => Wanted::Unsatisfiable,
            Some(suffix) => Wanted::Part(ByteRange { start: total - suffix.min(total), end: total - 1 }),
            None => Wanted::Whole,
        },
        // `N-`: from N to the end.
        (false, true) => match number(first) {
            Some(start) if start >= total => Wanted::Unsatisfiable,
            Some(start) => Wanted::Part(ByteRange { start, end: total - 1 }),
            None => Wanted::Whole,
        },
        // `N-M`.
        (false, false) => match (number(first), number(last)) {
            (Some(start), Some(end)) if end < start => Wanted::Whole,
            (Some(start), Some(_)) if start >= total => Wanted::Unsatisfiable,
            (Some(start), Some(end)) => Wanted::Part(ByteRange { start, end: end.min(total - 1) }),
            _ => Wanted::Whole,
        },
        (true, true) => Wanted::Whole,
    }
}

/// The bytes of `content` that `header` asks for.
pub(crate) fn slice(content: Vec<u8>, header: Option<&str>) -> Ranged {
    let total = content.len() as u64;
    match wanted(header, total) {
        Wanted::Whole => Ranged::Full(content),
        Wanted::Unsatisfiable => Ranged::Unsatisfiable { total },
        Wanted::Part(range) => {
            let (start, end) = (to_usize(range.start), to_usize(range.end));
            let bytes = content.get(start..=end).map(<[u8]>::to_vec).unwrap_or_default();
            Ranged::Partial { range, total, bytes }
        }
    }
}

/// Reads the part of the file at `path` that `header` asks for, reading only that part.
///
/// # Errors
/// When the file cannot be opened or read (`NotFound` when it does not exist).
pub(crate) fn read_file(path: &Path, header: Option<&str>) -> io::Result<Ranged> {
    let mut file = File::open(path)?;
    let total = file.metadata()?.len();
    match wanted(header, total) {
        Wanted::Whole => {
            let mut bytes = Vec::with_capacity(to_usize(total));
            file.read_to_end(&mut bytes)?;
            Ok(Ranged::Full(bytes))
        }
        Wanted::Unsatisfiable => Ok(Ranged::Unsatisfiable { total }),
        Wanted::Part(range) => {
            file.seek(SeekFrom::Start(range.start))?;
            let length = range.end - range.start + 1;
            let mut bytes = Vec::with_capacity(to_usize(length));
            file.take(length).read_to_end(&mut bytes)?;
            if bytes.len() as u64 != length {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "berkas memendek saat dibaca"));
            }
            Ok(Ranged::Partial { range, total, bytes })
        }
    }
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}
