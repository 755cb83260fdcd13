//! Tests of the wire messages: round trips, byte strings, versions, hostile bodies, cursors, batch packing with real
//! automerge changes, and the schema files in `schemas/sync/` (drift guard and golden CBOR examples).

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ciborium::Value as Cbor;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::*;
use crate::{ActorId, Document};

const T0: i64 = 1_764_460_800_000;

/// The schema the drift guard reads.
const CDDL: &str = include_str!("../../../schemas/sync/wire-v1.cddl");

// ----- samples

fn doc_id(n: u8) -> DocId {
    // A UUIDv7-looking id: 48-bit time, version 7, variant 10.
    [0x01, 0x9a, 0xd5, 0x3c, 0x1e, 0x00, 0x70 | (n >> 4), n, 0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, n]
}

fn hash(n: u8) -> HashBytes {
    let mut hash = [0u8; 32];
    for (index, byte) in hash.iter_mut().enumerate() {
        *byte = n.wrapping_mul(31).wrapping_add(index as u8);
    }
    hash
}

/// Bytes that start like an automerge chunk (magic `85 6f 4a 83`), for samples only.
fn fake_automerge(n: u8, len: usize) -> Bytes {
    let mut bytes = vec![0x85, 0x6f, 0x4a, 0x83];
    bytes.extend((0..len).map(|index| n ^ (index as u8)));
    Bytes(bytes)
}

fn sample_feed_items() -> Vec<FeedItem> {
    vec![
        FeedItem {
            seq: 41,
            doc: doc_id(1),
            record: RecordKind::Pegawai,
            body: FeedBody::Changes { changes: vec![fake_automerge(1, 12), fake_automerge(2, 8)] },
            heads_after: vec![hash(2)],
        },
        FeedItem {
            seq: 42,
            doc: doc_id(2),
            record: RecordKind::Usulan,
            body: FeedBody::Snapshot { save: fake_automerge(3, 20) },
            heads_after: vec![hash(3), hash(4)],
        },
        FeedItem {
            seq: 43,
            doc: doc_id(3),
            record: RecordKind::VerifikasiLapangan,
            body: FeedBody::Remove,
            heads_after: vec![],
        },
    ]
}

fn sample_feed_batch() -> FeedBatch {
    FeedBatch {
        v: VERSION,
        scope: "instansi:A5EB03E23BFBF6A0E040640A040252AD".to_owned(),
        items: sample_feed_items(),
        next_cursor: Cursor { epoch: 3, seq: 43 }.encode(),
        up_to_date: true,
        server_time_ms: T0,
    }
}

fn sample_outcomes() -> Vec<PushOutcome> {
    vec![
        PushOutcome::Applied { seq: 44 },
        PushOutcome::Duplicate { seq: 12 },
        PushOutcome::MissingDeps { hashes: vec![hash(7)] },
        PushOutcome::Rejected {
            code: "forbidden_field".to_owned(),
            reason: "Operator instansi tidak boleh mengubah NIP".to_owned(),
            compensation: Some(hash(8)),
        },
        PushOutcome::Rejected {
            code: "unknown_actor".to_owned(),
            reason: "Perangkat belum terdaftar".to_owned(),
            compensation: None,
        },
    ]
}

fn sample_push_request() -> PushRequest {
    PushRequest {
        v: VERSION,
        actor: Bytes(vec![0xd0; 16]),
        batch_id: "b-0193-0001".to_owned(),
        changes: vec![
            PushChange { doc: doc_id(1), record: RecordKind::Pegawai, change: fake_automerge(5, 10) },
            PushChange { doc: doc_id(4), record: RecordKind::Usulan, change: fake_automerge(6, 14) },
        ],
    }
}

fn sample_push_response() -> PushResponse {
    let results =
        sample_outcomes().into_iter().enumerate().map(|(n, outcome)| PushResult { hash: hash(20 + n as u8), outcome });
    PushResponse { v: VERSION, results: results.collect(), checkpoint_seq: 44 }
}

fn sample_manifest() -> SnapshotManifest {
    SnapshotManifest {
        v: VERSION,
        scope: "instansi:A5EB03E23BFBF6A0E040640A040252AD".to_owned(),
        cursor: Cursor { epoch: 3, seq: 40 }.encode(),
        chunks: vec![
            ChunkInfo { index: 0, size: 2_097_152, sha256: hash(30), documents: 1_500 },
            ChunkInfo { index: 1, size: 734_003, sha256: hash(31), documents: 512 },
        ],
    }
}

fn sample_chunk() -> SnapshotChunk {
    SnapshotChunk {
        v: VERSION,
        documents: vec![
            SnapshotDocument {
                doc: doc_id(1),
                record: RecordKind::Pegawai,
                save: fake_automerge(9, 24),
                heads: vec![hash(2)],
            },
            SnapshotDocument {
                doc: doc_id(5),
                record: RecordKind::Usulan,
                save: fake_automerge(10, 16),
                heads: vec![hash(11)],
            },
        ],
    }
}

fn sample_blob_status() -> BlobStatus {
    BlobStatus { v: VERSION, sha256: hash(40), size: 1_300_000, chunk_size: 524_288, have: vec![0, 2], complete: false }
}

fn sample_repair_request() -> RepairRequest {
    RepairRequest {
        v: VERSION,
        scope: "instansi:A5EB03E23BFBF6A0E040640A040252AD".to_owned(),
        doc: doc_id(1),
        message: Bytes(vec![0x42, 0x01, 0x02, 0x03]),
    }
}

fn sample_repair_response() -> RepairResponse {
    RepairResponse {
        v: VERSION,
        doc: doc_id(1),
        record: RecordKind::Pegawai,
        heads: vec![hash(2), hash(9)],
        message: Some(Bytes(vec![0x42, 0x05, 0x06])),
    }
}

fn sample_error() -> ErrorBody {
    ErrorBody::new(ErrorCode::MustRefetch, "cursor epoch 2 is older than the log's epoch 3")
}

/// The CBOR (before zstd) of a value.
fn cbor<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::ser::into_writer(value, &mut bytes).expect("cbor");
    bytes
}

fn cbor_value<T: Serialize>(value: &T) -> Cbor {
    ciborium::de::from_reader(cbor(value).as_slice()).expect("cbor value")
}

/// zstd of arbitrary CBOR, to build bodies `encode` would not.
fn zstd_of(cbor: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(cbor, 3).expect("compress")
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let body = encode(value).expect("encode");
    let back: T = decode(&body).expect("decode");
    assert_eq!(&back, value);
}

// ----- round trips and shapes

#[test]
fn every_message_round_trips() {
    round_trip(&sample_feed_batch());
    round_trip(&sample_push_request());
    round_trip(&sample_push_response());
    round_trip(&sample_manifest());
    round_trip(&sample_chunk());
    round_trip(&sample_blob_status());
    round_trip(&sample_repair_request());
    round_trip(&sample_repair_response());
    round_trip(&sample_error());
    // Empty collections too.
    round_trip(&FeedBatch { items: vec![], up_to_date: false, server_time_ms: -1, ..sample_feed_batch() });
    round_trip(&PushResponse { v: VERSION, results: vec![], checkpoint_seq: 0 });
    round_trip(&BlobStatus { have: vec![], complete: true, size: 0, ..sample_blob_status() });
    round_trip(&RepairResponse { heads: vec![], message: None, ..sample_repair_response() });
}

#[test]
fn the_media_type_names_the_version() {
    assert!(MEDIA_TYPE.contains(&format!(".v{VERSION}+")));
}

#[test]
fn bytes_are_cbor_byte_strings() {
    // Major type 2 (0b010_xxxxx): length in the header, then the bytes.
    assert_eq!(cbor(&Bytes(vec![1, 2, 3])), [0x43, 1, 2, 3]);
    assert_eq!(cbor(&Bytes(vec![])), [0x40]);
    let long = cbor(&Bytes(vec![0xaa; 300]));
    assert_eq!(&long[..3], &[0x59, 0x01, 0x2c], "bstr with a 2-byte length");
    assert_eq!(long.len(), 303);

    // Fixed-size ids and hashes are byte strings too, in every position.
    let item = cbor(&sample_feed_items()[0]);
    let doc_at = item.windows(4).position(|w| w == b"doc\x50").expect("`doc` then a 16-byte bstr header");
    assert_eq!(&item[doc_at + 4..doc_at + 20], &doc_id(1));
    let Cbor::Map(members) = cbor_value(&sample_feed_items()[0]) else { panic!("a map") };
    for (key, value) in members {
        match key.as_text() {
            Some("doc") => assert!(matches!(value, Cbor::Bytes(ref b) if b.len() == 16)),
            Some("heads_after") => {
                assert!(
                    matches!(value, Cbor::Array(ref a) if a.iter().all(|h| matches!(h, Cbor::Bytes(b) if b.len() == 32)))
                )
            }
            Some("body") => {
                let Cbor::Map(body) = value else { panic!("body is a map") };
                assert_eq!(body[0], (Cbor::Text("t".into()), Cbor::Text("changes".into())));
                assert!(matches!(&body[1].1, Cbor::Array(a) if a.iter().all(|c| matches!(c, Cbor::Bytes(_)))));
            }
            _ => {}
        }
    }
    let rejected = cbor_value(&sample_outcomes()[3]);
    let compensation = rejected.as_map().and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some("compensation")));
    assert!(matches!(compensation, Some((_, Cbor::Bytes(b))) if b.len() == 32));
    let not_kept = cbor_value(&sample_outcomes()[4]);
    let compensation = not_kept.as_map().and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some("compensation")));
    assert!(matches!(compensation, Some((_, Cbor::Null))), "written as null, not left out");
}

#[test]
fn arrays_of_integers_are_not_byte_strings() {
    let as_array = Cbor::Map(vec![
        (Cbor::Text("v".into()), Cbor::Integer(1.into())),
        (Cbor::Text("actor".into()), Cbor::Array(vec![Cbor::Integer(1.into()); 16])),
        (Cbor::Text("batch_id".into()), Cbor::Text("b".into())),
        (Cbor::Text("changes".into()), Cbor::Array(vec![])),
    ]);
    let error = decode::<PushRequest>(&zstd_of(&cbor(&as_array))).expect_err("an array is not a bstr");
    assert!(matches!(error, WireError::Malformed(_)), "{error:?}");

    // A fixed-size field refuses a byte string of another length.
    let mut item = cbor_value(&sample_push_request());
    if let Some(Cbor::Array(changes)) =
        item.as_map_mut().and_then(|m| m.iter_mut().find(|(k, _)| k.as_text() == Some("changes"))).map(|(_, v)| v)
        && let Some(Cbor::Map(change)) = changes.first_mut()
    {
        change[0].1 = Cbor::Bytes(vec![0; 15]);
    }
    assert!(matches!(decode::<PushRequest>(&zstd_of(&cbor(&item))), Err(WireError::Malformed(_))));
}

#[test]
fn tagged_unions_are_maps_with_t() {
    let expected = ["applied", "duplicate", "missing_deps", "rejected", "rejected"];
    for (outcome, tag) in sample_outcomes().iter().zip(expected) {
        let value = cbor_value(outcome);
        let first = value.as_map().and_then(|m| m.first()).expect("a non-empty map");
        assert_eq!(first, &(Cbor::Text("t".into()), Cbor::Text(tag.into())));
    }
    assert_eq!(cbor(&FeedBody::Remove), cbor(&std::collections::BTreeMap::from([("t", "remove")])));
    for kind in RecordKind::ALL {
        assert_eq!(cbor_value(&kind), Cbor::Text(kind.as_str().into()));
        assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(RecordKind::parse("Pegawai"), None);
}

#[test]
fn a_rejection_without_compensation_may_leave_it_out() {
    let map = Cbor::Map(vec![
        (Cbor::Text("t".into()), Cbor::Text("rejected".into())),
        (Cbor::Text("code".into()), Cbor::Text("invalid_change".into())),
        (Cbor::Text("reason".into()), Cbor::Text("Perubahan rusak".into())),
    ]);
    let outcome: PushOutcome = ciborium::de::from_reader(cbor(&map).as_slice()).expect("decode");
    assert_eq!(
        outcome,
        PushOutcome::Rejected { code: "invalid_change".into(), reason: "Perubahan rusak".into(), compensation: None }
    );
}

#[test]
fn unknown_members_are_ignored_and_order_does_not_matter() {
    let Cbor::Map(mut members) = cbor_value(&sample_blob_status()) else { panic!("a map") };
    members.reverse(); // `v` last
    members.push((Cbor::Text("added_in_a_later_v1".into()), Cbor::Bytes(vec![1, 2, 3])));
    let status: BlobStatus = decode(&zstd_of(&cbor(&Cbor::Map(members)))).expect("decode");
    assert_eq!(status, sample_blob_status());
}

#[test]
fn error_codes_have_names_and_statuses() {
    let names: BTreeSet<_> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(names.len(), ErrorCode::ALL.len());
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        assert!((400..600).contains(&code.http_status()));
    }
    assert_eq!(ErrorCode::MustRefetch.http_status(), 409);
    let body = ErrorBody::new(ErrorCode::TooLarge, "batch over 256 KiB");
    assert_eq!((body.v, body.code.as_str(), body.error_code()), (1, "too_large", Some(ErrorCode::TooLarge)));
    assert_eq!(ErrorBody { code: "new_in_v1_1".into(), ..body }.error_code(), None);
    assert_eq!(WireError::UnsupportedVersion { found: 2 }.error_code(), ErrorCode::UnsupportedVersion);
    assert_eq!(WireError::TooLarge { limit: 1 }.error_code(), ErrorCode::TooLarge);
    assert_eq!(WireError::NoVersion.error_code(), ErrorCode::BadRequest);
}

// ----- versions and hostile bodies

#[test]
fn other_versions_are_refused_before_the_shape() {
    let v2 = FeedBatch { v: 2, ..sample_feed_batch() };
    let error = decode::<FeedBatch>(&encode(&v2).expect("encode")).expect_err("v2");
    assert!(matches!(error, WireError::UnsupportedVersion { found: 2 }), "{error:?}");
    assert!(error.to_string().contains("version 2"), "{error}");

    // A v2 of a different shape is still reported as a version, not as a malformed v1.
    let other = Cbor::Map(vec![
        (Cbor::Text("v".into()), Cbor::Integer(2.into())),
        (Cbor::Text("entirely".into()), Cbor::Text("new".into())),
    ]);
    let error = decode::<FeedBatch>(&zstd_of(&cbor(&other))).expect_err("v2");
    assert!(matches!(error, WireError::UnsupportedVersion { found: 2 }), "{error:?}");

    // `v` after other members is found too.
    let late = Cbor::Map(vec![
        (Cbor::Text("entirely".into()), Cbor::Bytes(vec![0; 10_000])),
        (Cbor::Text("v".into()), Cbor::Integer(0.into())),
    ]);
    assert!(matches!(decode::<ErrorBody>(&zstd_of(&cbor(&late))), Err(WireError::UnsupportedVersion { found: 0 })));

    for not_a_message in [
        Cbor::Map(vec![(Cbor::Text("code".into()), Cbor::Text("x".into()))]),
        Cbor::Map(vec![(Cbor::Text("v".into()), Cbor::Text("1".into()))]),
        Cbor::Map(vec![(Cbor::Text("v".into()), Cbor::Integer((-1).into()))]),
        Cbor::Array(vec![Cbor::Integer(1.into())]),
        Cbor::Integer(1.into()),
    ] {
        let error = decode::<ErrorBody>(&zstd_of(&cbor(&not_a_message))).expect_err("no v");
        assert!(matches!(error, WireError::NoVersion), "{not_a_message:?}: {error:?}");
    }
}

#[test]
fn a_wrong_message_type_is_malformed() {
    let body = encode(&sample_blob_status()).expect("encode");
    assert!(matches!(decode::<FeedBatch>(&body), Err(WireError::Malformed(_))));
}

#[test]
fn truncated_bodies_are_refused() {
    let body = encode(&sample_feed_batch()).expect("encode");
    for len in 0..body.len() {
        assert!(decode::<FeedBatch>(&body[..len]).is_err(), "prefix of {len} bytes");
    }
    // Truncated CBOR inside a valid zstd frame.
    let cbor = cbor(&sample_feed_batch());
    for len in (0..cbor.len()).step_by(7) {
        let error = decode::<FeedBatch>(&zstd_of(&cbor[..len])).expect_err("truncated cbor");
        assert!(matches!(error, WireError::Malformed(_) | WireError::NoVersion), "{len}: {error:?}");
    }
}

#[test]
fn garbage_never_panics() {
    let mut rng = fastrand::Rng::with_seed(7);
    let valid = encode(&sample_push_response()).expect("encode");
    for round in 0..2_000 {
        let len = rng.usize(0..300);
        let garbage: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        assert!(decode::<PushResponse>(&garbage).is_err());
        // Random CBOR-ish bytes inside a valid frame: the CBOR parser gets them.
        let _ = decode::<PushResponse>(&zstd_of(&garbage));
        // A valid body with bytes flipped.
        let mut flipped = valid.clone();
        let at = rng.usize(..flipped.len());
        flipped[at] ^= 1 << (round % 8);
        let _ = decode::<PushResponse>(&flipped);
    }
}

#[test]
fn bytes_follow_the_message() {
    let mut cbor = cbor(&sample_error());
    cbor.extend_from_slice(&[0xf6, 0xf6]);
    assert!(matches!(decode::<ErrorBody>(&zstd_of(&cbor)), Err(WireError::TrailingBytes { count: 2 })));
}

#[test]
fn huge_declared_lengths_and_deep_nesting_fail_cleanly() {
    // {"v": 1, "actor": bstr of 2^62 bytes (declared), ...}: must not allocate it.
    let mut cbor = vec![0xa4, 0x61, b'v', 0x01, 0x65];
    cbor.extend_from_slice(b"actor");
    cbor.push(0x5b);
    cbor.extend_from_slice(&(1u64 << 62).to_be_bytes());
    cbor.extend_from_slice(&[0; 64]);
    assert!(matches!(decode::<PushRequest>(&zstd_of(&cbor)), Err(WireError::Malformed(_))));

    // An array declaring 2^62 elements.
    let mut cbor = vec![0xa4, 0x61, b'v', 0x01, 0x67];
    cbor.extend_from_slice(b"changes");
    cbor.push(0x9b);
    cbor.extend_from_slice(&(1u64 << 62).to_be_bytes());
    assert!(matches!(decode::<PushRequest>(&zstd_of(&cbor)), Err(WireError::Malformed(_))));

    // {"v": 1, "t": [[[[...]]]]} nested 100,000 deep, in a member serde buffers (a tagged union) and in one it skips.
    for key in ["body", "unknown"] {
        let mut cbor = vec![0xa2, 0x61, b'v', 0x01, 0x60 + key.len() as u8];
        cbor.extend_from_slice(key.as_bytes());
        cbor.extend(std::iter::repeat_n(0x81, 100_000));
        cbor.push(0x00);
        let error = decode::<FeedItem>(&zstd_of(&cbor)).expect_err("too deep");
        assert!(matches!(error, WireError::Malformed(_)), "{error:?}");
    }
}

/// `mib` MiB of zeros as one zstd frame, written as a stream so the test never holds them.
fn zeros_frame(mib: usize) -> Vec<u8> {
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 1).expect("encoder");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..mib {
        encoder.write_all(&zeros).expect("write");
    }
    encoder.finish().expect("finish")
}

#[test]
fn a_zip_bomb_is_refused_quickly() {
    // 1 GiB of zeros: 1,024 frames of 1 MiB each, concatenated (a valid zstd stream, about 60 KB).
    let frame = zeros_frame(1);
    let bomb = frame.repeat(1024);
    // 100 MiB of zeros in a single frame.
    let single = zeros_frame(100);
    for body in [bomb, single] {
        assert!(body.len() < 256 * 1024, "{} bytes", body.len());
        let started = Instant::now();
        let error = decode::<FeedBatch>(&body).expect_err("a bomb");
        assert!(matches!(error, WireError::TooLarge { limit: MAX_DECODED_BYTES }), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    }

    // A smaller cap, as the hub may set for push bodies; exactly the cap is fine.
    let body = encode(&sample_push_request()).expect("encode");
    assert!(matches!(decode_with_limit::<PushRequest>(&body, 16), Err(WireError::TooLarge { limit: 16 })));
    let exact = cbor(&sample_push_request()).len();
    assert!(decode_with_limit::<PushRequest>(&body, exact).is_ok());
    assert!(matches!(decode_with_limit::<PushRequest>(&body, exact - 1), Err(WireError::TooLarge { .. })));
}

#[test]
fn frames_needing_a_large_window_are_refused() {
    // A streamed frame (no content size) whose header asks for a 128 MiB window.
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).expect("encoder");
    encoder.window_log(27).expect("window log");
    encoder.write_all(&cbor(&sample_error())).expect("write");
    let body = encoder.finish().expect("finish");
    assert!(matches!(decode::<ErrorBody>(&body), Err(WireError::Decompress(_))));

    // The same with the window the writers use reads fine, and so do concatenated frames.
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 3).expect("encoder");
    encoder.window_log(MAX_WINDOW_LOG).expect("window log");
    let cbor = cbor(&sample_error());
    encoder.write_all(&cbor[..10]).expect("write");
    let mut body = encoder.finish().expect("finish");
    body.extend(zstd_of(&cbor[10..]));
    assert_eq!(decode::<ErrorBody>(&body).expect("decode"), sample_error());
}

// ----- cursors

#[test]
fn cursors_round_trip() {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut cursors = vec![Cursor::default(), Cursor { epoch: u64::MAX, seq: u64::MAX }, Cursor { epoch: 1, seq: 0 }];
    cursors.extend((0..200).map(|_| Cursor { epoch: rng.u64(..), seq: rng.u64(..) }));
    for cursor in cursors {
        let text = cursor.encode();
        assert_eq!(text.len(), 22);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        assert_eq!(Cursor::decode(&text).expect("decode"), cursor);
        assert_eq!(cursor.to_string(), text);
    }
    assert_eq!(Cursor { epoch: 1, seq: 2 }.encode(), "AAAAAAAAAAEAAAAAAAAAAg");
}

#[test]
fn garbage_cursors_are_refused() {
    let good = Cursor { epoch: 5, seq: 77 }.encode();
    let mut last_bits = good.clone();
    last_bits.replace_range(21.., "h"); // non-zero padding bits: not canonical
    for bad in [
        String::new(),
        "x".to_owned(),
        good[..21].to_owned(),
        format!("{good}A"),
        format!("{good}=="),
        good.replace('A', "+"),
        good.replace('A', "/"),
        "é".repeat(11),
        "AAAAAAAAAAEAAAAAAAAA=g".to_owned(),
        " AAAAAAAAAEAAAAAAAAAAg".to_owned(),
        last_bits,
    ] {
        assert!(matches!(Cursor::decode(&bad), Err(WireError::InvalidCursor)), "{bad:?}");
    }
}

// ----- batch packing

/// A realistic pegawai value: personal data with digits and names that compress like real data does.
fn pegawai_value(rng: &mut fastrand::Rng, n: usize) -> serde_json::Value {
    const NAMES: [&str; 8] = ["RATNA", "SITI", "BUDI", "AGUS", "DEWI", "RAHMAT", "WAHYUNI", "HENDRA"];
    const FAMILY: [&str; 6] = ["RAHMAWATI", "SANTOSO", "NUGROHO", "LESTARI", "HIDAYAT", "PRATAMA"];
    let digits = |rng: &mut fastrand::Rng, len: usize| (0..len).map(|_| rng.digit(10)).collect::<String>();
    json!({
        "data_utama": {
            "pns_id": format!("{:032X}", rng.u128(..)),
            "nip": format!("19{}{}", rng.u32(60..99), digits(rng, 14)),
            "nama": format!("{} {}", NAMES[rng.usize(..NAMES.len())], FAMILY[rng.usize(..FAMILY.len())]),
            "tempat_lahir": "SLEMAN",
            "tgl_lahir": format!("19{}-{:02}-{:02}", rng.u32(60..99), rng.u32(1..13), rng.u32(1..29)),
            "nik": format!("3404{}", digits(rng, 12)),
            "no_hp": format!("08{}", digits(rng, 10)),
            "email": format!("pegawai{n}@example.go.id"),
            "alamat": format!("Jl. Kaliurang Km {}, Sleman", rng.u32(1..30)),
            "golongan_akhir_id": "32",
            "jabatan_nama": "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
            "unor_nama": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        },
        "riwayat_golongan": (0..4).map(|row| json!({
            "id": format!("{:032x}", rng.u128(..)),
            "golongan_id": format!("{}", 31 + row),
            "tmt_golongan": format!("{}-04-01", 2010 + 4 * row),
            "sk_nomor": format!("823.3/{}/BKPSDM/{}", rng.u32(100..999), 2010 + 4 * row),
        })).collect::<Vec<_>>(),
        "riwayat_jabatan": (0..3).map(|row| json!({
            "id": format!("{:032x}", rng.u128(..)),
            "jabatan_fungsional_id": format!("{:032X}", rng.u128(..)),
            "unor_id": format!("{:032X}", rng.u128(..)),
            "tmt_jabatan": format!("{}-01-{:02}", 2012 + 3 * row, rng.u32(1..29)),
            "nomor_sk": format!("821/{}/{}", rng.u32(1000..9999), 2012 + 3 * row),
        })).collect::<Vec<_>>(),
        "keluarga": (0..3).map(|row| json!({
            "id": format!("{:032x}", rng.u128(..)),
            "nama": format!("{} {}", NAMES[rng.usize(..NAMES.len())], FAMILY[row % FAMILY.len()]),
            "nik": format!("3404{}", digits(rng, 12)),
            "tgl_lahir": format!("20{:02}-{:02}-{:02}", rng.u32(0..20), rng.u32(1..13), rng.u32(1..29)),
        })).collect::<Vec<_>>(),
    })
}

/// `docs` documents, each created then edited `edits` times: one feed item per change, as the hub's log holds them.
fn realistic_feed(docs: usize, edits: usize) -> Vec<FeedItem> {
    let mut rng = fastrand::Rng::with_seed(2024);
    let mut items = Vec::new();
    for n in 0..docs {
        let number = (n as u16).to_be_bytes();
        let mut actor = [7u8; 16];
        actor[..2].copy_from_slice(&number);
        let mut doc = doc_id(0);
        doc[14..].copy_from_slice(&number);
        let mut document = Document::new(ActorId::from(actor));
        let mut value = pegawai_value(&mut rng, n);
        let mut heads = Vec::new();
        for edit in 0..=edits {
            if edit > 0 {
                let field = ["no_hp", "alamat", "email"][edit % 3];
                value["data_utama"][field] = json!(format!("{field} {}", rng.u64(..)));
            }
            document.reconcile(&value, Some("ubah data"), T0 + edit as i64).expect("reconcile").expect("a change");
            let changes = document.changes_since(&heads);
            heads = document.heads();
            items.push(FeedItem {
                seq: items.len() as u64 + 1,
                doc,
                record: RecordKind::Pegawai,
                body: FeedBody::Changes { changes: changes.into_iter().map(Bytes).collect() },
                heads_after: heads.iter().map(|head| head.0).collect(),
            });
        }
    }
    items
}

/// Packs all of `items` into batches of `max_bytes` as a hub would, checking each batch.
fn pack_all(items: &[FeedItem], max_bytes: usize) -> Vec<PackedFeedBatch> {
    let mut batches = Vec::new();
    let mut cursor = Cursor { epoch: 1, seq: 0 };
    loop {
        let pending: Vec<_> = items.iter().filter(|item| item.seq > cursor.seq).cloned().collect();
        let mut builder = FeedBatchBuilder::new("instansi:1", max_bytes);
        for item in pending.iter().cloned() {
            if builder.push(item).is_err() {
                break;
            }
        }
        let more_in_log = !builder.is_full() && builder.len() < pending.len();
        let packed = builder.finish(cursor, more_in_log, T0).expect("finish");
        let batch = &packed.batch;
        assert!(packed.body.len() <= max_bytes || batch.items.len() == 1, "{} > {max_bytes}", packed.body.len());
        assert_eq!(decode::<FeedBatch>(&packed.body).expect("decode"), *batch);
        assert_eq!(batch.items, pending[..batch.items.len()], "a prefix of the log, in order");
        let next = Cursor::decode(&batch.next_cursor).expect("cursor");
        assert_eq!(next.epoch, cursor.epoch);
        assert_eq!(batch.up_to_date, batch.items.len() == pending.len());
        cursor = next;
        let done = batch.up_to_date;
        batches.push(packed);
        if done {
            return batches;
        }
    }
}

#[test]
fn batches_of_real_changes_stay_within_256_kib() {
    // 400 pegawai documents, created then edited 4 times each: 2,000 changes.
    let items = realistic_feed(400, 4);
    assert_eq!(items.len(), 2_000);
    let raw: usize = items.iter().map(|item| cbor(item).len()).sum();
    let batches = pack_all(&items, DEFAULT_FEED_BATCH_BYTES);
    let sizes: Vec<_> = batches.iter().map(|packed| packed.body.len()).collect();
    assert!(batches.len() >= 2, "{raw} bytes of CBOR should need several batches: {sizes:?}");
    assert!(sizes.iter().all(|&size| size <= DEFAULT_FEED_BATCH_BYTES), "{sizes:?}");
    // Every batch but the last is well filled.
    for size in &sizes[..sizes.len() - 1] {
        assert!(*size > DEFAULT_FEED_BATCH_BYTES * 3 / 4, "{sizes:?}");
    }

    // Applying every batch to fresh replicas gives the documents' heads.
    let mut replicas: Vec<Document> = (0..400)
        .map(|n| {
            let mut actor = [200u8; 16];
            actor[1..3].copy_from_slice(&(n as u16).to_be_bytes());
            Document::new(ActorId::from(actor))
        })
        .collect();
    for packed in &batches {
        let batch: FeedBatch = decode(&packed.body).expect("decode");
        for item in batch.items {
            let replica = &mut replicas[usize::from(u16::from_be_bytes([item.doc[14], item.doc[15]]))];
            let FeedBody::Changes { changes } = item.body else { panic!("changes") };
            replica.apply_changes(&changes).expect("apply");
            assert_eq!(replica.heads().iter().map(|head| head.0).collect::<Vec<_>>(), item.heads_after);
        }
    }
}

#[test]
fn small_budgets_make_many_full_batches() {
    let items = realistic_feed(40, 4);
    let max = 8 * 1024;
    let batches = pack_all(&items, max);
    let sizes: Vec<_> = batches.iter().map(|packed| packed.body.len()).collect();
    assert!(batches.len() > 3, "{sizes:?}");
    for size in &sizes[..sizes.len() - 1] {
        assert!(*size <= max && *size > max / 2, "{sizes:?}");
    }
    let total: usize = batches.iter().map(|packed| packed.batch.items.len()).sum();
    assert_eq!(total, items.len());
}

#[test]
fn the_first_item_is_always_taken() {
    let mut rng = fastrand::Rng::with_seed(3);
    let big = FeedItem {
        seq: 1,
        doc: doc_id(1),
        record: RecordKind::Pegawai,
        // Incompressible: larger than the budget even after zstd.
        body: FeedBody::Snapshot { save: Bytes((0..64 * 1024).map(|_| rng.u8(..)).collect()) },
        heads_after: vec![hash(1)],
    };
    let small = FeedItem { seq: 2, body: FeedBody::Remove, heads_after: vec![], ..big.clone() };
    let mut builder = FeedBatchBuilder::new("instansi:1", 1024);
    assert!(builder.push(big.clone()).is_ok());
    assert_eq!(builder.push(small.clone()).expect_err("full"), small);
    assert!(builder.is_full());
    assert!(builder.push(small.clone()).is_err(), "stays closed");
    let packed = builder.finish(Cursor { epoch: 9, seq: 0 }, false, T0).expect("finish");
    assert!(packed.body.len() > 1024);
    assert_eq!(packed.batch.items, vec![big]);
    assert!(!packed.batch.up_to_date, "an item was refused");
    assert_eq!(packed.batch.next_cursor, Cursor { epoch: 9, seq: 1 }.encode());
}

#[test]
fn an_optimistic_estimate_is_trimmed_by_the_exact_check() {
    // Zeros teach the builder a tiny compression ratio; random bytes then compress not at all, so the estimate
    // admits far too many and `finish` must drop the tail.
    let mut rng = fastrand::Rng::with_seed(5);
    let item = |seq: u64, save: Vec<u8>| FeedItem {
        seq,
        doc: doc_id(seq as u8),
        record: RecordKind::Usulan,
        body: FeedBody::Snapshot { save: Bytes(save) },
        heads_after: vec![hash(seq as u8)],
    };
    let max = 64 * 1024;
    let mut builder = FeedBatchBuilder::new("instansi:1", max);
    let mut offered = Vec::new();
    for seq in 1..=60u64 {
        let save = if seq <= 20 { vec![0; 4096] } else { (0..4096).map(|_| rng.u8(..)).collect() };
        offered.push(item(seq, save.clone()));
        if builder.push(item(seq, save)).is_err() {
            offered.pop();
            break;
        }
    }
    let packed = builder.finish(Cursor { epoch: 2, seq: 0 }, false, T0).expect("finish");
    assert!(!packed.leftover.is_empty(), "the estimate should have been optimistic here");
    assert!(packed.body.len() <= max, "{}", packed.body.len());
    assert!(!packed.batch.up_to_date);
    let kept = packed.batch.items.len();
    assert_eq!([packed.batch.items.clone(), packed.leftover.clone()].concat(), offered);
    assert_eq!(packed.batch.next_cursor, Cursor { epoch: 2, seq: kept as u64 }.encode());
    // The largest prefix that fits: one more item would not.
    let mut one_more = FeedBatchBuilder::new("instansi:1", usize::MAX);
    for item in offered.into_iter().take(kept + 1) {
        one_more.push(item).expect("unbounded");
    }
    let bigger = one_more.finish(Cursor { epoch: 2, seq: 0 }, true, T0).expect("finish");
    assert!(bigger.body.len() > max);
}

#[test]
fn an_empty_batch_keeps_the_cursor() {
    let after = Cursor { epoch: 4, seq: 1_000 };
    let packed =
        FeedBatchBuilder::new("instansi:1", DEFAULT_FEED_BATCH_BYTES).finish(after, false, T0).expect("finish");
    assert!(packed.batch.items.is_empty() && packed.batch.up_to_date && packed.leftover.is_empty());
    assert_eq!(packed.batch.next_cursor, after.encode());
    assert_eq!(packed.body, encode(&packed.batch).expect("encode"));
}

#[test]
fn the_builder_serializes_batches_like_feed_batch() {
    let batch = sample_feed_batch();
    assert_eq!(batch::encode_borrowed(&batch).expect("encode"), encode(&batch).expect("encode"));
}

// ----- the schema files

/// The text of rule `name` in the CDDL, from `name =` to the end of its braces, comments removed.
fn cddl_rule(name: &str) -> String {
    let start = CDDL
        .lines()
        .position(|line| line.strip_prefix(name).is_some_and(|rest| rest.trim_start().starts_with('=')))
        .unwrap_or_else(|| panic!("no rule {name} in wire-v1.cddl"));
    let mut text = String::new();
    let mut depth = 0i32;
    for (index, line) in CDDL.lines().skip(start).enumerate() {
        // A rule without braces goes on over indented continuation lines only.
        if index > 0 && depth == 0 && !line.starts_with(char::is_whitespace) {
            break;
        }
        let code = line.split(';').next().unwrap_or("");
        text.push_str(code);
        text.push('\n');
        depth += code.matches('{').count() as i32 - code.matches('}').count() as i32;
        if depth == 0 && code.contains('}') {
            break;
        }
    }
    text
}

/// The member keys a CDDL map rule declares (`key:`, optionally after `?`).
fn cddl_keys(rule: &str) -> BTreeSet<String> {
    let body = rule.split_once('{').map_or("", |(_, body)| body);
    body.split([',', '\n', '{', '}'])
        .filter_map(|entry| entry.trim().trim_start_matches('?').trim().split_once(':'))
        .map(|(key, _)| key.trim().to_owned())
        .collect()
}

/// Each map rule of the schema with a sample of the type it describes, serialized.
fn rules_and_samples() -> Vec<(&'static str, Cbor)> {
    let items = sample_feed_items();
    let outcomes = sample_outcomes();
    let response = sample_push_response();
    vec![
        ("FeedBatch", cbor_value(&sample_feed_batch())),
        ("FeedItem", cbor_value(&items[0])),
        ("FeedChanges", cbor_value(&items[0].body)),
        ("FeedSnapshot", cbor_value(&items[1].body)),
        ("FeedRemove", cbor_value(&items[2].body)),
        ("PushRequest", cbor_value(&sample_push_request())),
        ("PushChange", cbor_value(&sample_push_request().changes[0])),
        ("PushResponse", cbor_value(&response)),
        ("PushResult", cbor_value(&response.results[0])),
        ("PushApplied", cbor_value(&outcomes[0])),
        ("PushDuplicate", cbor_value(&outcomes[1])),
        ("PushMissingDeps", cbor_value(&outcomes[2])),
        ("PushRejected", cbor_value(&outcomes[3])),
        ("SnapshotManifest", cbor_value(&sample_manifest())),
        ("ChunkInfo", cbor_value(&sample_manifest().chunks[0])),
        ("SnapshotChunk", cbor_value(&sample_chunk())),
        ("SnapshotDocument", cbor_value(&sample_chunk().documents[0])),
        ("BlobStatus", cbor_value(&sample_blob_status())),
        ("RepairRequest", cbor_value(&sample_repair_request())),
        ("RepairResponse", cbor_value(&sample_repair_response())),
        ("ErrorBody", cbor_value(&sample_error())),
    ]
}

#[test]
fn the_cddl_declares_exactly_the_serialized_members() {
    for (name, sample) in rules_and_samples() {
        let rule = cddl_rule(name);
        let Cbor::Map(members) = sample else { panic!("{name} is not a map") };
        let keys: BTreeSet<String> =
            members.iter().map(|(key, _)| key.as_text().expect("text key").to_owned()).collect();
        assert_eq!(keys, cddl_keys(&rule), "members of {name}: code vs wire-v1.cddl");
        // A tagged variant names its tag value.
        if let Some((_, Cbor::Text(tag))) = members.iter().find(|(key, _)| key.as_text() == Some("t")) {
            assert!(rule.contains(&format!("t: \"{tag}\"")), "{name} must say t: \"{tag}\"");
        }
        // Every top-level message starts with v.
        if keys.contains("v") {
            assert_eq!(members[0].0.as_text(), Some("v"), "{name}");
            assert!(cddl_rule("message").contains(name), "{name} is a message");
        }
    }
    for kind in RecordKind::ALL {
        assert!(cddl_rule("record-kind").contains(&format!("\"{}\"", kind.as_str())));
    }
    for code in ErrorCode::ALL {
        assert!(cddl_rule("error-code").contains(&format!("\"{}\"", code.as_str())), "{}", code.as_str());
        assert!(
            CDDL.contains(&format!("; {:<20}{}", code.as_str(), code.http_status())),
            "status of {}",
            code.as_str()
        );
    }
    assert!(CDDL.contains(MEDIA_TYPE));
}

/// Writes CBOR diagnostic notation (RFC 8949 §8) of a value, for the golden examples.
fn diagnostic(value: &Cbor, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match value {
        Cbor::Integer(n) => out.push_str(&i128::from(*n).to_string()),
        Cbor::Bytes(bytes) => {
            out.push_str("h'");
            bytes.iter().for_each(|byte| out.push_str(&format!("{byte:02x}")));
            out.push('\'');
        }
        Cbor::Text(text) => out.push_str(&serde_json::to_string(text).expect("json string")),
        Cbor::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Cbor::Null => out.push_str("null"),
        Cbor::Array(values) if values.is_empty() => out.push_str("[]"),
        Cbor::Array(values) => {
            out.push_str("[\n");
            for (index, value) in values.iter().enumerate() {
                out.push_str(&pad);
                diagnostic(value, indent + 1, out);
                out.push_str(if index + 1 < values.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        Cbor::Map(members) => {
            out.push_str("{\n");
            for (index, (key, value)) in members.iter().enumerate() {
                out.push_str(&pad);
                diagnostic(key, indent + 1, out);
                out.push_str(": ");
                diagnostic(value, indent + 1, out);
                out.push_str(if index + 1 < members.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        other => out.push_str(&format!("{other:?}")),
    }
}

/// `schemas/sync/examples/<name>.txt`: a sample message in diagnostic notation, then its CBOR in hex (before
/// zstd). With `UPDATE_SCHEMAS=1` the test writes them; otherwise it compares.
#[test]
fn golden_examples_match() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/sync/examples");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let messages: Vec<(&str, Vec<u8>)> = vec![
        ("FeedBatch", cbor(&sample_feed_batch())),
        ("PushRequest", cbor(&sample_push_request())),
        ("PushResponse", cbor(&sample_push_response())),
        ("SnapshotManifest", cbor(&sample_manifest())),
        ("SnapshotChunk", cbor(&sample_chunk())),
        ("BlobStatus", cbor(&sample_blob_status())),
        ("RepairRequest", cbor(&sample_repair_request())),
        ("RepairResponse", cbor(&sample_repair_response())),
        ("ErrorBody", cbor(&sample_error())),
    ];
    for (name, bytes) in messages {
        let value: Cbor = ciborium::de::from_reader(bytes.as_slice()).expect("cbor");
        let mut text = format!("; {name}, CBOR diagnostic notation (RFC 8949 section 8)\n");
        diagnostic(&value, 0, &mut text);
        text.push_str("\n\n; the same, encoded (hex, before zstd)\n");
        for line in bytes.chunks(48) {
            line.iter().for_each(|byte| text.push_str(&format!("{byte:02x}")));
            text.push('\n');
        }
        let path = dir.join(format!("{name}.txt"));
        if update {
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(&path, &text).expect("write");
        } else {
            let mut committed = String::new();
            std::fs::File::open(&path)
                .and_then(|mut file| file.read_to_string(&mut committed))
                .unwrap_or_else(|error| panic!("{}: {error}; run with UPDATE_SCHEMAS=1", path.display()));
            assert_eq!(committed, text, "{} is stale; run with UPDATE_SCHEMAS=1", path.display());
        }
    }
}
