//! The lenient field reader every SI-ASN decoder uses.
//!
//! A [`Source`] is one record as the wire has it (a JSON object, a CSV row). Keys are matched after folding case
//! and dropping `_`, `-` and spaces, so `nip_baru`, `nipBaru` and `NIP BARU` are one key. A [`FieldReader`] turns
//! raw values into typed ones and records a [`Warning`] (and the raw value) for anything it could not read as is.
//! It knows nothing about which fields a record has; the decoders say that.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::date::{self, DateNote, ParsedDate, Tanggal};
use crate::warning::{Warning, WarningKind};

/// Folds a key for matching: ASCII lower case, without `_`, `-`, spaces and other punctuation.
pub fn fold_key(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// [`fold_key`] without allocating, for lookups on the hot path: folds into `buf` and returns the folded text.
/// Keys longer than the buffer are folded through [`fold_key`] instead (never truncated).
pub fn with_folded_key<T>(key: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buf = [0u8; 64];
    let mut len = 0;
    for byte in key.bytes().filter(u8::is_ascii_alphanumeric) {
        if len == buf.len() {
            return f(&fold_key(key));
        }
        buf[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    // Only ASCII alphanumerics were copied, so the bytes are valid UTF-8.
    f(std::str::from_utf8(&buf[..len]).unwrap_or_default())
}

/// A raw value as it arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue<'a> {
    /// A string (CSV cells are always strings).
    Text(Cow<'a, str>),
    /// A JSON number, kept in its textual form.
    Number(String),
    /// A JSON boolean.
    Bool(bool),
    /// JSON `null`.
    Null,
    /// A JSON array or object where a scalar was expected.
    Nested(&'a Value),
}

impl RawValue<'_> {
    /// The value as text, as it would be shown to an officer (`null` for JSON null, compact JSON for nested values).
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            RawValue::Text(text) => Cow::Borrowed(text.as_ref()),
            RawValue::Number(number) => Cow::Borrowed(number.as_str()),
            RawValue::Bool(flag) => Cow::Borrowed(if *flag { "true" } else { "false" }),
            RawValue::Null => Cow::Borrowed("null"),
            RawValue::Nested(value) => Cow::Owned(value.to_string()),
        }
    }
}

/// One record as the source has it: a lookup of raw values by (folded) key.
pub trait Source {
    /// The first of `keys` present in the record, with the key as the source spells it.
    fn lookup(&self, keys: &[&str]) -> Option<(Cow<'_, str>, RawValue<'_>)>;
}

/// A JSON object as a [`Source`], with its keys folded once.
#[derive(Debug)]
pub struct JsonRecord<'a> {
    fields: HashMap<String, (&'a str, &'a Value)>,
}

impl<'a> JsonRecord<'a> {
    /// Indexes the keys of `object`. When two keys fold to the same name, the first one wins.
    pub fn new(object: &'a serde_json::Map<String, Value>) -> Self {
        let mut fields = HashMap::with_capacity(object.len());
        for (key, value) in object {
            fields.entry(fold_key(key)).or_insert((key.as_str(), value));
        }
        Self { fields }
    }

    /// The raw JSON value of the first present key (for nested structures such as `path`).
    pub fn value(&self, keys: &[&str]) -> Option<&'a Value> {
        keys.iter().find_map(|key| with_folded_key(key, |folded| self.fields.get(folded).map(|(_, value)| *value)))
    }
}

impl Source for JsonRecord<'_> {
    fn lookup(&self, keys: &[&str]) -> Option<(Cow<'_, str>, RawValue<'_>)> {
        keys.iter().find_map(|key| {
            let (name, value) = with_folded_key(key, |folded| self.fields.get(folded).copied())?;
            let raw = match value {
                Value::String(text) => RawValue::Text(Cow::Borrowed(text.as_str())),
                Value::Number(number) => RawValue::Number(number.to_string()),
                Value::Bool(flag) => RawValue::Bool(*flag),
                Value::Null => RawValue::Null,
                nested => RawValue::Nested(nested),
            };
            Some((Cow::Borrowed(name), raw))
        })
    }
}

/// Reads typed fields from a [`Source`], collecting warnings and raw values for one record.
#[derive(Debug)]
pub struct FieldReader<'a, S: Source + ?Sized> {
    source: &'a S,
    record: &'a str,
    prefix: &'a str,
    warnings: &'a mut Vec<Warning>,
    raw: BTreeMap<String, String>,
}

impl<'a, S: Source + ?Sized> FieldReader<'a, S> {
    /// A reader for the record labelled `record` (`"nip 1985…"`); `prefix` is put before field names in warnings
    /// (`"rw-golongan[2]."`), or empty.
    pub fn new(source: &'a S, record: &'a str, prefix: &'a str, warnings: &'a mut Vec<Warning>) -> Self {
        Self { source, record, prefix, warnings, raw: BTreeMap::new() }
    }

    /// The raw values kept for fields that were changed or could not be read, keyed by the source's field name.
    pub fn into_raw(self) -> BTreeMap<String, String> {
        self.raw
    }

    /// Reports a problem in `field` with `raw`, keeping the raw value.
    pub fn warn(&mut self, field: &str, raw: &str, kind: WarningKind, message: impl Into<String>) {
        self.raw.insert(field.to_owned(), raw.to_owned());
        self.warnings.push(Warning {
            record: self.record.to_owned(),
            field: format!("{}{}", self.prefix, field),
            raw: raw.to_owned(),
            kind,
            message: message.into(),
        });
    }

    /// Trimmed text; `None` for the null-likes (`""`, `null`, `undefined`, `-`). Numbers and booleans become text.
    /// A spreadsheet's leading apostrophe (`'0812…`, which only tells Excel "this is text") is dropped: it is
    /// markup, not data, so it is not kept as a raw value either.
    pub fn text(&mut self, keys: &[&str]) -> Option<String> {
        let (name, value) = self.source.lookup(keys)?;
        let text = match value {
            RawValue::Null => return None,
            RawValue::Nested(nested) => {
                let shown = nested.to_string();
                let name = name.into_owned();
                self.warn(&name, &shown, WarningKind::UnexpectedShape, "berisi struktur, bukan teks; diabaikan");
                return None;
            }
            other => other.to_text().into_owned(),
        };
        let trimmed = text.trim();
        let trimmed = trimmed.strip_prefix('\'').map_or(trimmed, str::trim_start);
        let invisible = |c: char| c.is_control() && !c.is_whitespace();
        if trimmed.chars().any(invisible) {
            // NUL and other invisible control characters (line breaks and tabs are kept: a multi-line alamat is
            // real): never meaningful in SI-ASN fields, and NUL breaks search indexes downstream. Each run of them
            // becomes one space; the raw value is kept.
            let cleaned = trimmed.split(invisible).filter(|part| !part.trim().is_empty()).collect::<Vec<_>>();
            let cleaned = cleaned.iter().map(|part| part.trim()).collect::<Vec<_>>().join(" ");
            let name = name.into_owned();
            self.warn(
                &name,
                trimmed,
                WarningKind::UnexpectedShape,
                "berisi karakter kendali tak terlihat (mis. NUL); diganti spasi — periksa nilai ini di sumber",
            );
            return if date::is_null_like(&cleaned) { None } else { Some(cleaned) };
        }
        if date::is_null_like(trimmed) { None } else { Some(trimmed.to_owned()) }
    }

    /// A code, identifier or long number (NIP, NIK, no HP, NPWP, BPJS): like [`Self::text`]. One that a
    /// spreadsheet turned into scientific notation (`6.41203E+15`) has lost digits: it is kept raw and reported.
    pub fn code(&mut self, keys: &[&str]) -> Option<String> {
        let text = self.text(keys)?;
        if looks_scientific(&text) {
            let name = self.field_name(keys);
            self.warn(
                &name,
                &text,
                WarningKind::ScientificNotation,
                "ditulis spreadsheet dalam notasi E sehingga digit hilang; perbaiki di sumber (format kolom sebagai teks)",
            );
        }
        (!text.is_empty()).then_some(text)
    }

    /// A date in any SI-ASN format ([`crate::date::parse`]). Sentinels such as `01-01-0001` are reported.
    pub fn date(&mut self, keys: &[&str]) -> Option<Tanggal> {
        self.read_date(keys, true)
    }

    /// A date where SI-ASN uses a sentinel for "none" (`tglMeninggal`, `tgglCerai`): sentinels are silently empty.
    pub fn date_or_none(&mut self, keys: &[&str]) -> Option<Tanggal> {
        self.read_date(keys, false)
    }

    /// A whole number written as a number or a string (`"12"`, `12`, `"12.0"`).
    pub fn int(&mut self, keys: &[&str]) -> Option<i64> {
        let (name, text) = self.scalar_text(keys)?;
        let cleaned = text.replace([' ', '\u{a0}'], "");
        if let Ok(number) = cleaned.parse::<i64>() {
            return Some(number);
        }
        match cleaned.parse::<f64>() {
            Ok(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => Some(number as i64),
            _ => {
                self.warn(&name, &text, WarningKind::InvalidNumber, "bukan bilangan bulat; dikosongkan");
                None
            }
        }
    }

    /// A decimal number; a decimal comma (`"12,5"`) is accepted.
    pub fn decimal(&mut self, keys: &[&str]) -> Option<f64> {
        let (name, text) = self.scalar_text(keys)?;
        let cleaned = text.replace([' ', '\u{a0}'], "").replace(',', ".");
        match cleaned.parse::<f64>() {
            Ok(number) if number.is_finite() => Some(number),
            _ => {
                self.warn(&name, &text, WarningKind::InvalidNumber, "bukan angka; dikosongkan");
                None
            }
        }
    }

    /// A yes/no value: `true`/`false`, `1`/`0`, `ya`/`tidak`, `Y`/`N`, `t`/`f`.
    pub fn flag(&mut self, keys: &[&str]) -> Option<bool> {
        let (name, text) = self.scalar_text(keys)?;
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "ya" | "y" | "t" | "yes" => Some(true),
            "false" | "0" | "tidak" | "n" | "f" | "no" => Some(false),
            _ => {
                self.warn(&name, &text, WarningKind::InvalidBool, "bukan nilai ya/tidak; dikosongkan");
                None
            }
        }
    }

    fn scalar_text(&mut self, keys: &[&str]) -> Option<(String, String)> {
        let name = self.field_name(keys);
        let text = self.text(keys)?;
        Some((name, text))
    }

    /// The name `keys` resolve to in this source (the first key when none is present), for warnings.
    pub fn field_name(&self, keys: &[&str]) -> String {
        match self.source.lookup(keys) {
            Some((name, _)) => name.into_owned(),
            None => keys.first().copied().unwrap_or_default().to_owned(),
        }
    }

    fn read_date(&mut self, keys: &[&str], report_sentinel: bool) -> Option<Tanggal> {
        let (name, text) = self.scalar_text(keys)?;
        match date::parse(&text) {
            ParsedDate::Empty => None,
            ParsedDate::Sentinel => {
                if report_sentinel {
                    self.warn(&name, &text, WarningKind::SentinelDate, "tanggal pengganti, dianggap kosong");
                }
                None
            }
            ParsedDate::Date(value, None) => Some(value),
            ParsedDate::Date(value, Some(note)) => {
                let message = match note {
                    DateNote::TwoDigitYear => "tahun dua digit; dibaca sebagai ",
                    DateNote::SpreadsheetSerial => "nomor seri tanggal spreadsheet; dibaca sebagai ",
                    DateNote::ConvertedToWib => "tanggal-jam berzona waktu; dibaca dalam WIB sebagai ",
                };
                self.warn(&name, &text, WarningKind::GuessedDate, format!("{message}{}", date::format_dmy(value)));
                Some(value)
            }
            ParsedDate::Invalid(reason) => {
                self.warn(&name, &text, WarningKind::InvalidDate, format!("{reason}; dikosongkan"));
                None
            }
        }
    }
}

/// True for `6.41203E+15`-style text, which a spreadsheet makes of a long digit string.
fn looks_scientific(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let Some((mantissa, exponent)) = upper.split_once('E') else { return false };
    let exponent = exponent.trim_start_matches('+');
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests;
