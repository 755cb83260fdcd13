//! How the engine reads the hub's error answers: a revoked device is told apart from the other refusals.

use super::*;

fn answer(status: u16, code: ErrorCode) -> Response {
    Response { status, body: wire::encode(&ErrorBody::new(code, "pesan hub")).expect("encodes") }
}

#[test]
fn a_revoked_device_is_told_apart_and_is_not_retried() {
    let revoked = status_error(&answer(403, ErrorCode::DeviceRevoked));
    assert!(revoked.is_device_revoked(), "{revoked:?}");
    assert!(!revoked.is_transient());
    let SyncError::Hub { status, code, message } = &revoked else { panic!("{revoked:?}") };
    assert_eq!((*status, code.as_str(), message.as_str()), (403, "device_revoked", "pesan hub"));
    // A refusal about one item stops the run instead of being recorded and skipped.
    assert!(item_refusal(&answer(403, ErrorCode::DeviceRevoked)).is_err_and(|error| error.is_device_revoked()));
}

#[test]
fn other_refusals_keep_their_variants() {
    let forbidden = status_error(&answer(403, ErrorCode::Forbidden));
    assert!(matches!(forbidden, SyncError::Forbidden { .. }) && !forbidden.is_device_revoked());
    let unreadable = status_error(&Response { status: 403, body: b"forbidden".to_vec() });
    assert!(matches!(unreadable, SyncError::Forbidden { ref message } if message == "forbidden"));
    let unauthorized = status_error(&answer(401, ErrorCode::Unauthorized));
    assert!(matches!(unauthorized, SyncError::Unauthorized { .. }) && !unauthorized.is_device_revoked());
    // The code alone does not make a revocation: it comes with 403.
    let odd = status_error(&answer(500, ErrorCode::DeviceRevoked));
    assert!(!odd.is_device_revoked() && odd.is_transient(), "{odd:?}");
}
