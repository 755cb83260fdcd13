//! Blobs as documents reference them: attached scans (SK, ijazah, field-visit photos), content-addressed by
//! SHA-256 (DESIGN §5.3, sync.md §5.7).
//!
//! A document references a blob with a map holding a `"sha256"` member of 64 hex digits (either case), at any
//! depth, usually with `size` (bytes), `mime` and `name` beside it (`model::usulan::BlobRef`). [`references`]
//! finds them. The hub uses the same function to decide which blobs a document references, and serves a blob only
//! to a caller whose scope holds such a document; the desktop uses it to know which blobs it wants. [`hex`] and
//! [`parse_sha256`] write and read a hash as documents and URLs spell it.
//!
//! What it deliberately does not do: move bytes (that is [`crate::engine`]) or store them (`store`, `hub`), and
//! check that a referenced blob exists anywhere.

use serde_json::Value;

use crate::wire::HashBytes;

/// One blob reference found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The blob's SHA-256.
    pub sha256: HashBytes,
    /// The `size` member beside it, in bytes, when it is a non-negative integer.
    pub size: Option<u64>,
    /// The `mime` member beside it, when it is text (`application/pdf`).
    pub mime: Option<String>,
}

/// Every blob `value` (a hydrated document) references: each map's `"sha256"` member, at any depth, whose value is
/// 64 hex digits. Sorted by hash without duplicates; of several references to one blob, the first in document
/// order gives `size` and `mime`. Anything else named `sha256` (a number, a short string) is not a reference.
pub fn references(value: &Value) -> Vec<Reference> {
    let mut found = Vec::new();
    collect(value, &mut found);
    // A stable sort keeps document order among equal hashes, so the dedup keeps the first.
    found.sort_by_key(|reference: &Reference| reference.sha256);
    found.dedup_by_key(|reference| reference.sha256);
    found
}

fn collect(value: &Value, found: &mut Vec<Reference>) {
    match value {
        Value::Object(map) => {
            if let Some(sha256) = map.get("sha256").and_then(Value::as_str).and_then(parse_sha256) {
                found.push(Reference {
                    sha256,
                    size: map.get("size").and_then(Value::as_u64),
                    mime: map.get("mime").and_then(Value::as_str).map(str::to_owned),
                });
            }
            map.values().for_each(|member| collect(member, found));
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, found)),
        _ => {}
    }
}

/// Lower-case hex digits of `bytes` (a hash in a URL or a document).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// A SHA-256 written as exactly 64 hex digits (either case); `None` for anything else.
pub fn parse_sha256(text: &str) -> Option<HashBytes> {
    let digits = text.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut hash = [0u8; 32];
    for (byte, pair) in hash.iter_mut().zip(digits.chunks_exact(2)) {
        let high = char::from(pair[0]).to_digit(16)?;
        let low = char::from(pair[1]).to_digit(16)?;
        *byte = u8::try_from(high << 4 | low).ok()?;
    }
    Some(hash)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn references_are_found_at_any_depth_sorted_and_deduplicated() {
        let a = "a".repeat(64);
        let b = format!("{}{}", "0".repeat(62), "FF");
        let value = json!({
            "dokumen": {"sk": {"sha256": a, "size": 12, "mime": "application/pdf", "name": "sk.pdf"}},
            "foto": [{"sha256": b, "size": -1}, {"sha256": a, "size": 99, "mime": "image/jpeg"}],
            "bukan": [{"sha256": "abc"}, {"sha256": 42}, {"sha256": "z".repeat(64)}],
        });
        let found = references(&value);
        let mut expected_b = [0u8; 32];
        expected_b[31] = 0xff;
        assert_eq!(
            found,
            vec![
                Reference { sha256: expected_b, size: None, mime: None },
                Reference { sha256: [0xaa; 32], size: Some(12), mime: Some("application/pdf".into()) },
            ]
        );
    }

    #[test]
    fn hex_round_trips_and_bad_text_is_refused() {
        let hash: HashBytes = std::array::from_fn(|index| index as u8 * 7);
        assert_eq!(parse_sha256(&hex(&hash)), Some(hash));
        assert_eq!(parse_sha256(&hex(&hash).to_uppercase()), Some(hash));
        for bad in ["", "00", &"0".repeat(63), &"0".repeat(65), &format!("{}g", "0".repeat(63)), &"é".repeat(32)] {
            assert_eq!(parse_sha256(bad), None, "{bad:?}");
        }
    }
}
