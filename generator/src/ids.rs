//! Identifiers in SI-ASN's styles, and the date arithmetic and formats the generated records use.
//!
//! SI-ASN ids are 32 hex characters: rows migrated from SAPK are upper case Oracle `SYS_GUID`s with the
//! `E040640A` node in the middle (`9CE9BA793B7E7009E040640A2C9D8B95`); rows created in SI-ASN since about 2016 are
//! lower case Hibernate ids (`ff808081…`, `8ae483…`). Keluarga rows use UUIDs v4. Reference ids (jabatan,
//! pendidikan, tempat lahir, jenis unor) are fixed per name: [`ref_id`] hashes the name, so the same jabatan has the
//! same id in every generated kabupaten, whatever the seed.
//!
//! What this module does not do: it does not guarantee global uniqueness beyond what 96–128 random bits give, and it
//! does not validate dates (callers pass valid ones).

use chrono::{Datelike, Months, NaiveDate};

use crate::rng::Rng;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

fn push_hex(out: &mut String, rng: &mut Rng, count: usize, alphabet: &[u8; 16]) {
    let mut bits = 0u64;
    for position in 0..count {
        if position % 16 == 0 {
            bits = rng.next_u64();
        }
        out.push(char::from(alphabet[(bits & 0xF) as usize]));
        bits >>= 4;
    }
}

/// An upper case SAPK-era GUID: 16 hex, `E040640A`, 8 hex.
pub(crate) fn guid_lama(rng: &mut Rng) -> String {
    let mut id = String::with_capacity(32);
    push_hex(&mut id, rng, 16, HEX_UPPER);
    id.push_str("E040640A");
    push_hex(&mut id, rng, 8, HEX_UPPER);
    id
}

/// A lower case SI-ASN-era id: `ff808081` + 24 hex, or `8ae483` + 26 hex.
pub(crate) fn guid_baru(rng: &mut Rng) -> String {
    let mut id = String::with_capacity(32);
    if rng.chance(0.5) {
        id.push_str("ff808081");
        push_hex(&mut id, rng, 24, HEX_LOWER);
    } else {
        id.push_str("8ae483");
        push_hex(&mut id, rng, 26, HEX_LOWER);
    }
    id
}

/// The id style of a row created in `tahun`: SAPK style before 2016, SI-ASN style from 2016 (with a few
/// SAPK-style rows up to 2018, as migrations ran late in some instansi).
pub(crate) fn guid_pada(rng: &mut Rng, tahun: i32) -> String {
    let lama = tahun < 2016 || (tahun <= 2018 && rng.chance(0.15));
    if lama { guid_lama(rng) } else { guid_baru(rng) }
}

/// A random UUID v4, lower case with dashes.
pub(crate) fn uuid4(rng: &mut Rng) -> String {
    let mut hex = String::with_capacity(32);
    push_hex(&mut hex, rng, 32, HEX_LOWER);
    let bytes = hex.as_bytes();
    let variant = HEX_LOWER[8 + (usize::from(bytes[16]) % 4)];
    let mut id = String::with_capacity(36);
    id.push_str(&hex[0..8]);
    id.push('-');
    id.push_str(&hex[8..12]);
    id.push_str("-4");
    id.push_str(&hex[13..16]);
    id.push('-');
    id.push(char::from(variant));
    id.push_str(&hex[17..20]);
    id.push('-');
    id.push_str(&hex[20..32]);
    id
}

/// FNV-1a over `bytes`, starting from `basis`.
fn fnv1a(basis: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(basis, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01B3))
}

/// The fixed upper case 32-hex id of a reference row `nama` of kind `jenis` (`"jabatan"`, `"pendidikan"`, …).
pub(crate) fn ref_id(jenis: &str, nama: &str) -> String {
    let hash = |basis: u64| fnv1a(fnv1a(fnv1a(basis, jenis.as_bytes()), &[0x1f]), nama.as_bytes());
    let high = hash(0xCBF2_9CE4_8422_2325);
    let low = hash(0x6C62_272E_07BB_0142).rotate_left(29) ^ high.rotate_right(17);
    let mut id = String::with_capacity(32);
    for word in [high, low] {
        for shift in (0..16).rev() {
            id.push(char::from(HEX_UPPER[((word >> (shift * 4)) & 0xF) as usize]));
        }
    }
    id
}

/// FNV-1a as a `Hasher`, for the generator's small string-keyed lookup tables (SipHash is needlessly slow there).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xCBF2_9CE4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }
}

/// A `HashMap` build-hasher using [`Fnv`].
pub(crate) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// `count` random decimal digits (leading zeros kept).
pub(crate) fn digits(rng: &mut Rng, count: usize) -> String {
    (0..count).map(|_| char::from(b'0' + rng.below(10) as u8)).collect()
}

/// A date as SI-ASN writes it: `dd-mm-yyyy` (years 1000–9999).
pub(crate) fn dmy(date: NaiveDate) -> String {
    let digit = |value: u32| char::from(b'0' + (value % 10) as u8);
    let (day, month, year) = (date.day(), date.month(), date.year().clamp(1000, 9999) as u32);
    let mut text = String::with_capacity(10);
    text.push(digit(day / 10));
    text.push(digit(day));
    text.push('-');
    text.push(digit(month / 10));
    text.push(digit(month));
    text.push('-');
    for divisor in [1000, 100, 10, 1] {
        text.push(digit(year / divisor));
    }
    text
}

/// A date-time as the `created_at` of keluarga rows: `yyyy-mm-ddThh:mm:ss.ffffffZ`.
pub(crate) fn timestamp(rng: &mut Rng, date: NaiveDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        date.year(),
        date.month(),
        date.day(),
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.below(1_000_000)
    )
}

/// `date` plus `months` (negative goes back), clamped to the month's last day.
pub(crate) fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let shifted = if months >= 0 {
        date.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    shifted.unwrap_or(date)
}

/// The first day of `date`'s month.
pub(crate) fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The date `days` days after `date` (before, when negative).
pub(crate) fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(chrono::TimeDelta::days(days)).unwrap_or(date)
}

/// A date from parts that are known to be valid (falls back to 1 January of `year`).
pub(crate) fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| NaiveDate::from_ymd_opt(year, 1, 1)).unwrap_or(NaiveDate::MIN)
}

/// A uniformly random day in `from..=to` (`from` when `to` is earlier).
pub(crate) fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    add_days(from, rng.range(0, span.max(0)))
}

/// Whole months from `from` to `to` (0 when `to` is earlier); a month counts once its day is reached.
pub(crate) fn whole_months(from: NaiveDate, to: NaiveDate) -> i32 {
    model::rules::masa_kerja::whole_months_between(from, to) as i32
}
