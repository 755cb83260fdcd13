//! Unit tests of the server's pure parts: Range parsing, hex, content negotiation.

#![allow(clippy::unwrap_used, reason = "tests")]

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

use super::range::{ByteRange, Ranged, Wanted, slice, wanted};
use super::{decode_hex, encode_hex, prefers_json};

#[test]
fn ranges_are_read_as_rfc_9110_says() {
    let part = |start, end| Wanted::Part(ByteRange { start, end });
    assert_eq!(wanted(None, 100), Wanted::Whole);
    assert_eq!(wanted(Some("bytes=10-"), 100), part(10, 99));
    assert_eq!(wanted(Some("bytes=10-19"), 100), part(10, 19));
    assert_eq!(wanted(Some("bytes=90-200"), 100), part(90, 99));
    assert_eq!(wanted(Some("bytes=-30"), 100), part(70, 99));
    assert_eq!(wanted(Some("bytes=-300"), 100), part(0, 99));
    assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
    assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
    assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
    for ignored in ["items=1-2", "bytes=1-2,5-6", "bytes=5-1", "bytes=x-", "bytes=-", "bytes=+1-", "bytes=1"] {
        assert_eq!(wanted(Some(ignored), 100), Wanted::Whole, "{ignored}");
    }
    let content: Vec<u8> = (0..20).collect();
    assert_eq!(
        slice(content.clone(), Some("bytes=15-")),
        Ranged::Partial { range: ByteRange { start: 15, end: 19 }, total: 20, bytes: vec![15, 16, 17, 18, 19] }
    );
    assert_eq!(slice(content.clone(), Some("bytes=20-")), Ranged::Unsatisfiable { total: 20 });
    assert_eq!(slice(content.clone(), None), Ranged::Full(content));
}

#[test]
fn hex_round_trips_and_refuses_junk() {
    let bytes = [0u8, 1, 0xab, 0xff];
    assert_eq!(encode_hex(&bytes), "0001abff");
    assert_eq!(decode_hex("0001ABff").unwrap(), bytes);
    for junk in ["", "0", "zz", "0g", "é0"] {
        assert_eq!(decode_hex(junk), None, "{junk}");
    }
}

#[test]
fn json_errors_only_when_asked_for() {
    let with = |accept: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, accept.parse().unwrap());
        prefers_json(&headers)
    };
    assert!(with("application/json"));
    assert!(with("text/html, application/json;q=0.9"));
    assert!(!with(sync::wire::MEDIA_TYPE));
    assert!(!with("application/vnd.luring.sync.v1+cbor+zstd, application/json;q=0.1"));
    assert!(!prefers_json(&HeaderMap::new()));
}
