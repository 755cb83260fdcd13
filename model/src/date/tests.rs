use super::*;

fn date(y: i32, m: u32, d: u32) -> Tanggal {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn reads_every_siasn_form_without_shifting_the_day() {
    let cases = [
        ("01-04-2022", date(2022, 4, 1)),
        ("1-4-2022", date(2022, 4, 1)),
        ("01/04/2022", date(2022, 4, 1)),
        ("01.04.2022", date(2022, 4, 1)),
        ("2022-04-01", date(2022, 4, 1)),
        ("2022/04/01", date(2022, 4, 1)),
        ("20220401", date(2022, 4, 1)),
        ("2022-04-01T00:00:00Z", date(2022, 4, 1)),
        ("2022-04-01T00:00:00.000Z", date(2022, 4, 1)),
        ("2022-04-01T00:00:00+07:00", date(2022, 4, 1)),
        ("2022-04-01T00:00:00+0700", date(2022, 4, 1)),
        ("1988-03-01 00:00:00", date(1988, 3, 1)),
        ("2024-07-03 13:45", date(2024, 7, 3)),
        ("'01-03-1976", date(1976, 3, 1)),
        (" 24-07-1964 ", date(1964, 7, 24)),
        ("1 April 2022", date(2022, 4, 1)),
        ("01-Agu-2019", date(2019, 8, 1)),
        ("17 Agustus 1945", date(1945, 8, 17)),
    ];
    for (raw, expected) in cases {
        assert_eq!(parse(raw), ParsedDate::Date(expected, None), "{raw}");
    }
}

#[test]
fn an_offset_date_time_is_read_in_wib_not_utc() {
    // Midnight WIB written in UTC is the previous evening; parsed as UTC it would lose a day.
    assert_eq!(parse("2022-03-31T17:00:00Z"), ParsedDate::Date(date(2022, 4, 1), Some(DateNote::ConvertedToWib)));
    // Midnight in WIB stays on its day, and so does a date-time without an offset.
    assert_eq!(parse("2022-04-01T00:00:00+07:00"), ParsedDate::Date(date(2022, 4, 1), None));
    assert_eq!(parse("2022-04-01T23:59:59"), ParsedDate::Date(date(2022, 4, 1), None));
    // 29 February survives the conversion.
    assert_eq!(parse("2024-02-28T18:30:00Z"), ParsedDate::Date(date(2024, 2, 29), Some(DateNote::ConvertedToWib)));
}

#[test]
fn leap_days_are_checked_against_the_calendar() {
    assert_eq!(parse("29-02-2024"), ParsedDate::Date(date(2024, 2, 29), None));
    assert_eq!(parse("29-02-2023"), ParsedDate::Invalid("tanggal tidak ada di kalender"));
    assert_eq!(parse("31-04-2020"), ParsedDate::Invalid("tanggal tidak ada di kalender"));
}

#[test]
fn nothing_and_sentinels_are_not_dates() {
    for raw in ["", "  ", "null", "NULL", "undefined", "-", "None", "T00:00:00Z", "null 00:00:00"] {
        assert_eq!(parse(raw), ParsedDate::Empty, "{raw:?}");
    }
    for raw in ["01-01-0001", "0001-01-01T00:00:00Z", "00-00-0000", "0000-00-00 00:00:00", "01-01-1900"] {
        assert_eq!(parse(raw), ParsedDate::Sentinel, "{raw:?}");
    }
}

#[test]
fn guesses_are_noted() {
    assert_eq!(parse("01-04-22"), ParsedDate::Date(date(2022, 4, 1), Some(DateNote::TwoDigitYear)));
    assert_eq!(parse("24-07-64"), ParsedDate::Date(date(1964, 7, 24), Some(DateNote::TwoDigitYear)));
    assert_eq!(parse("44652"), ParsedDate::Date(date(2022, 4, 1), Some(DateNote::SpreadsheetSerial)));
}

#[test]
fn garbage_is_invalid_with_a_reason() {
    assert!(matches!(parse("kemarin"), ParsedDate::Invalid(_)));
    assert!(matches!(parse("13-13-2020"), ParsedDate::Invalid(_)));
    assert!(matches!(parse("01-04-20222"), ParsedDate::Invalid(_)));
    assert!(matches!(parse("2022-04-01T25:00:00Z"), ParsedDate::Invalid(_)));
}

#[test]
fn calendar_helpers_handle_month_and_leap_edges() {
    assert_eq!(first_of_next_month(date(2025, 12, 31)), date(2026, 1, 1));
    assert_eq!(first_of_next_month(date(2025, 3, 1)), date(2025, 4, 1));
    assert_eq!(add_years(date(1964, 2, 29), 58), date(2022, 2, 28));
    assert_eq!(add_years(date(1964, 2, 29), 60), date(2024, 2, 29));
    assert_eq!(whole_years_between(date(1967, 3, 30), date(2025, 3, 29)), 57);
    assert_eq!(whole_years_between(date(1967, 3, 30), date(2025, 3, 30)), 58);
    assert_eq!(format_dmy(date(2025, 4, 1)), "01-04-2025");
}

#[test]
fn offsets_beyond_fourteen_hours_are_not_zones() {
    assert_eq!(parse("2022-04-01T00:00:00+14:00"), ParsedDate::Date(date(2022, 3, 31), Some(DateNote::ConvertedToWib)));
    assert_eq!(parse("2022-04-01T00:00:00-12:00"), ParsedDate::Date(date(2022, 4, 1), None));
    assert!(matches!(parse("2022-04-01T00:00:00+15:00"), ParsedDate::Invalid(_)));
    assert!(matches!(parse("2022-04-01T00:00:00-1500"), ParsedDate::Invalid(_)));
    assert!(matches!(parse("2022-04-01T00:00:00+14:30"), ParsedDate::Invalid(_)));
    assert!(matches!(parse("2022-04-01T00:00:00+07:75"), ParsedDate::Invalid(_)));
}

#[test]
fn the_two_digit_year_pivot_is_thirty() {
    assert_eq!(parse("01-04-30"), ParsedDate::Date(date(2030, 4, 1), Some(DateNote::TwoDigitYear)));
    assert_eq!(parse("01-04-31"), ParsedDate::Date(date(1931, 4, 1), Some(DateNote::TwoDigitYear)));
}
