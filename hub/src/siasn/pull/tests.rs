//! Unit tests of the pull's pure parts: the KP periods asked for and the endpoint list.

#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn kp_periods_follow_the_calendar_in_force() {
    // Monthly since October 2025 (periode-kp.json).
    assert_eq!(kp_periods(date("2026-12-15")), vec![date("2026-12-01"), date("2027-01-01")]);
    assert_eq!(kp_periods(date("2026-12-01")), vec![date("2026-12-01"), date("2027-01-01")]);
    // Six periods a year in 2024–2025: the last is August, the next October.
    assert_eq!(kp_periods(date("2025-09-10")), vec![date("2025-08-01"), date("2025-10-01")]);
}

#[test]
fn data_utama_comes_first_and_unknown_endpoints_are_dropped() {
    let wanted: Vec<String> =
        ["rw-jabatan", "data-utama", "rw-tidak-ada", "rw-jabatan"].iter().map(|e| (*e).to_owned()).collect();
    assert_eq!(endpoints_of(&wanted), vec!["data-utama".to_owned(), "rw-jabatan".to_owned()]);
    let defaults: Vec<String> = DEFAULT_ENDPOINTS.iter().map(|e| (*e).to_owned()).collect();
    assert_eq!(endpoints_of(&defaults).len(), 11);
}
