//! Lenient parsing of the dates SI-ASN emits, without ever shifting the day.
//!
//! SI-ASN writes `dd-mm-yyyy` in most places, ISO `yyyy-mm-ddT00:00:00Z` in `rw-golongan.tmtGolongan`,
//! `yyyy-mm-dd HH:MM:SS` in `tanggal_taspen` and `rw-cltn.tanggalLetterBkn`, `01-01-0001` as a "none" sentinel,
//! and `""`, `null` or `"undefined"` for nothing (`../shared/reference/siasn-api.md` §2). Spreadsheet exports add
//! `dd/mm/yyyy`, two-digit years and Excel serial numbers. [`parse`] reads all of them into a calendar date.
//!
//! Dates are calendar dates ([`Tanggal`]); they never pass through a UTC timestamp. A date-time that carries an
//! offset is converted to WIB (UTC+7, where BKN's servers run) before its date is taken, so
//! `2022-03-31T17:00:00Z` and `2022-04-01T00:00:00+07:00` are both 1 April 2022. This module does not decide which
//! fields are dates: the decoders in [`crate::siasn`] do, and they turn a [`ParsedDate`] into a value and warnings.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// A calendar date without time or zone; serialised as `yyyy-mm-dd`.
pub type Tanggal = NaiveDate;

/// What [`parse`] made of a raw date string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedDate {
    /// Nothing there: empty, whitespace, `null`, `undefined`, `-`.
    Empty,
    /// A placeholder that means "none": `01-01-0001`, `0000-00-00`, `00-00-0000`, `01-01-1900`.
    Sentinel,
    /// A real calendar date, with a note when reading it took a guess.
    Date(Tanggal, Option<DateNote>),
    /// Not a date; the reason is a short phrase in Bahasa Indonesia.
    Invalid(&'static str),
}

/// A guess [`parse`] had to make; each becomes a warning so the officer can check the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateNote {
    /// `dd-mm-yy`: years 00–30 were read as 20yy, the rest as 19yy.
    ///
    /// The pivot 30 is a deliberate choice for kepegawaian data: no ASN active today was born before 1931, and
    /// TMTs after 2030 are rare enough that reading `01-04-31` as 1931 wrongs fewer records than reading it as
    /// 2031. Every such date is noted, so the officer checks it either way.
    TwoDigitYear,
    /// A spreadsheet serial day number (days since 1899-12-30).
    SpreadsheetSerial,
    /// A date-time with an offset whose date changed when converted to WIB.
    ConvertedToWib,
}

/// Returns true for the strings SI-ASN uses for "no value" (`""`, `null`, `NULL`, `undefined`, `-`, `None`).
pub fn is_null_like(raw: &str) -> bool {
    let value = raw.trim();
    value.is_empty()
        || value == "-"
        || value.eq_ignore_ascii_case("null")
        || value.eq_ignore_ascii_case("undefined")
        || value.eq_ignore_ascii_case("none")
        || value.eq_ignore_ascii_case("nan")
}

/// Parses one raw date string in any format SI-ASN or its spreadsheet exports emit.
///
/// Accepted: `dd-mm-yyyy`, `d-m-yyyy`, `dd/mm/yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyymmdd`,
/// `yyyy-mm-dd HH:MM[:SS[.f]]`, ISO 8601 date-times with `T` and an optional `Z` or `±hh[:mm]` offset,
/// `dd-mm-yy` (noted), day-month-year with Indonesian or English month names (`1 April 2022`, `01-Apr-2022`),
/// and spreadsheet serial numbers 10000–80000 (noted). Leading apostrophes and surrounding quotes are ignored.
pub fn parse(raw: &str) -> ParsedDate {
    let mut text = raw.trim().trim_matches('"').trim();
    text = text.strip_prefix('\'').unwrap_or(text).trim();
    if is_null_like(text) {
        return ParsedDate::Empty;
    }
    if is_sentinel(text) {
        return ParsedDate::Sentinel;
    }
    if let Some((date_part, rest)) = split_time(text) {
        // A time with no date (`T00:00:00Z`, `null 00:00:00`) is nothing.
        if is_null_like(date_part) {
            return ParsedDate::Empty;
        }
        return parse_date_time(date_part, rest);
    }
    parse_date_only(text)
}

/// Formats a date as SI-ASN's write endpoints and Indonesian readers expect: `dd-mm-yyyy`.
pub fn format_dmy(date: Tanggal) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// The first day of the month after `date` (used for TMT pensiun: PP 11/2017 Pasal 239 and BKN practice).
pub fn first_of_next_month(date: Tanggal) -> Tanggal {
    let (year, month) = if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
    NaiveDate::from_ymd_opt(year, month, 1).expect("the 1st of any month exists")
}

/// The date `years` years after `date`; 29 February falls back to 28 February in a common year.
pub fn add_years(date: Tanggal, years: i32) -> Tanggal {
    let year = date.year() + years;
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .expect("the 28th of any month exists")
}

/// Whole years between `from` and `to` (an age on `to` for a birth date `from`); negative if `to` is earlier.
pub fn whole_years_between(from: Tanggal, to: Tanggal) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn is_sentinel(text: &str) -> bool {
    matches!(
        text.split([' ', 'T']).next().unwrap_or(text),
        "01-01-0001"
            | "0001-01-01"
            | "00-00-0000"
            | "0000-00-00"
            | "01-01-1900"
            | "1900-01-01"
            | "01/01/0001"
            | "01/01/1900"
    )
}

/// Splits `yyyy-mm-ddTHH:MM…` or `yyyy-mm-dd HH:MM…` into the date and the time-with-offset part.
fn split_time(text: &str) -> Option<(&str, &str)> {
    let at = text.find(['T', ' '])?;
    let (date, rest) = (&text[..at], &text[at + 1..]);
    let rest = rest.trim();
    rest.as_bytes().first().filter(|byte| byte.is_ascii_digit())?;
    rest.contains(':').then_some((date, rest))
}

fn parse_date_time(date_part: &str, rest: &str) -> ParsedDate {
    let date = match parse_date_only(date_part) {
        ParsedDate::Date(date, None) => date,
        other => return other,
    };
    let (time_text, offset_minutes) = match split_offset(rest) {
        Some(found) => found,
        None => return ParsedDate::Invalid("jam atau zona waktu tidak dikenali"),
    };
    let Some(offset_minutes) = offset_minutes else {
        // No offset: the date is as written.
        return ParsedDate::Date(date, None);
    };
    let time_text = time_text.split('.').next().unwrap_or(time_text);
    let Ok(time) =
        NaiveTime::parse_from_str(time_text, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(time_text, "%H:%M"))
    else {
        return ParsedDate::Invalid("jam tidak dikenali");
    };
    const WIB_MINUTES: i64 = 7 * 60;
    let local = NaiveDateTime::new(date, time) + Duration::minutes(WIB_MINUTES - offset_minutes);
    if local.date() == date {
        ParsedDate::Date(date, None)
    } else {
        ParsedDate::Date(local.date(), Some(DateNote::ConvertedToWib))
    }
}

/// Splits `HH:MM:SS[.f][Z|±hh[:mm]]` into the time text and the offset in minutes (None when absent).
/// An offset beyond ±14:00 (or with 60 or more minutes) is not a zone: the whole value is unreadable.
fn split_offset(rest: &str) -> Option<(&str, Option<i64>)> {
    if let Some(time) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((time, Some(0)));
    }
    let sign_at = rest.rfind(['+', '-']);
    let Some(at) = sign_at else { return Some((rest, None)) };
    let (time, offset) = (&rest[..at], &rest[at..]);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (digits[..2].parse::<i64>().ok()?, digits[2..].parse::<i64>().ok()?),
        _ => return None,
    };
    // Real UTC offsets run from -12:00 to +14:00; anything beyond ±14:00 is not a zone.
    let total = hours * 60 + minutes;
    if minutes >= 60 || total > 14 * 60 {
        return None;
    }
    Some((time, Some(sign * total)))
}

fn parse_date_only(text: &str) -> ParsedDate {
    let parts: Vec<&str> = text.split(['-', '/', '.', ' ']).filter(|part| !part.is_empty()).collect();
    match parts.as_slice() {
        [single] if single.bytes().all(|byte| byte.is_ascii_digit()) => parse_compact(single),
        [first, second, third] => parse_three(first, second, third),
        _ => ParsedDate::Invalid("format tanggal tidak dikenali"),
    }
}

fn parse_compact(digits: &str) -> ParsedDate {
    match digits.len() {
        8 => {
            let (year, month, day) = (&digits[..4], &digits[4..6], &digits[6..]);
            match year.parse::<i32>() {
                Ok(y) if (1900..=2100).contains(&y) => ymd(year, month, day, None),
                _ => ParsedDate::Invalid("8 angka bukan yyyymmdd"),
            }
        }
        5 => match digits.parse::<i64>() {
            Ok(serial) if (10_000..=80_000).contains(&serial) => {
                let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("1899-12-30 exists");
                ParsedDate::Date(epoch + Duration::days(serial), Some(DateNote::SpreadsheetSerial))
            }
            _ => ParsedDate::Invalid("angka bukan tanggal"),
        },
        _ => ParsedDate::Invalid("angka bukan tanggal"),
    }
}

fn parse_three(first: &str, second: &str, third: &str) -> ParsedDate {
    let month = month_number(second);
    let second = month.as_deref().unwrap_or(second);
    if first.len() == 4 {
        return ymd(first, second, third, None);
    }
    match third.len() {
        4 => ymd(third, second, first, None),
        2 if third.bytes().all(|byte| byte.is_ascii_digit()) => {
            let yy: i32 = third.parse().unwrap_or(0);
            let year = if yy <= 30 { 2000 + yy } else { 1900 + yy };
            ymd(&year.to_string(), second, first, Some(DateNote::TwoDigitYear))
        }
        _ => ParsedDate::Invalid("tahun tidak dikenali"),
    }
}

fn ymd(year: &str, month: &str, day: &str, note: Option<DateNote>) -> ParsedDate {
    let (Ok(year), Ok(month), Ok(day)) = (year.parse::<i32>(), month.parse::<u32>(), day.parse::<u32>()) else {
        return ParsedDate::Invalid("bagian tanggal bukan angka");
    };
    if year == 0 || year == 1 {
        return ParsedDate::Sentinel;
    }
    if !(1850..=2200).contains(&year) {
        return ParsedDate::Invalid("tahun di luar rentang wajar");
    }
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => ParsedDate::Date(date, note),
        None => ParsedDate::Invalid("tanggal tidak ada di kalender"),
    }
}

/// Indonesian and English month names and abbreviations to `"1"`..`"12"`.
fn month_number(text: &str) -> Option<String> {
    if text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let lower = text.to_lowercase();
    const MONTHS: [&[&str]; 12] = [
        &["jan", "januari", "january"],
        &["feb", "peb", "februari", "pebruari", "february"],
        &["mar", "maret", "march"],
        &["apr", "april"],
        &["mei", "may"],
        &["jun", "juni", "june"],
        &["jul", "juli", "july"],
        &["agu", "agt", "agus", "agustus", "aug", "august"],
        &["sep", "sept", "september"],
        &["okt", "oktober", "oct", "october"],
        &["nov", "nop", "november", "nopember"],
        &["des", "desember", "dec", "december"],
    ];
    MONTHS.iter().position(|names| names.contains(&lower.as_str())).map(|index| (index + 1).to_string())
}

#[cfg(test)]
mod tests;
