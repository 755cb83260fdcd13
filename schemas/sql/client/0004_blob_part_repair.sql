-- SIASN Luring desktop replica, schema version 4: resumable blob downloads and the queue of documents to repair.
-- Released migrations are append-only: never edit this file; add 0005_*.sql instead (CHECKSUMS guards it).
--
-- blob_part: the bytes of a blob download received before the connection broke, so the next request (or the next
-- sync, after a restart) asks only for the rest with HTTP Range. The parts are contiguous from byte 0 and their sum
-- is the blob's bytes_done; they go when the blob is stored whole (checked against its SHA-256) or dropped.
CREATE TABLE blob_part (
    sha256 BLOB NOT NULL REFERENCES blob (sha256) ON DELETE CASCADE,
    start  INTEGER NOT NULL,                        -- byte offset of `bytes` in the blob
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, start)
) STRICT;

-- document_repair: documents whose copy disagrees with the hub's (a feed change that could not be applied, heads
-- short of the feed's heads_after, a quarantined copy), repaired by the sync engine with automerge's per-document
-- sync protocol (DESIGN §5.5). Keyed by the document's id: the replica may not hold the document at all.
CREATE TABLE document_repair (
    id         BLOB PRIMARY KEY,                    -- UUIDv7, 16 bytes
    scope      TEXT NOT NULL,                       -- 'instansi:<id>'
    kind       TEXT NOT NULL CHECK (kind IN ('pegawai', 'usulan', 'verifikasi_lapangan')),
    reason     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,          -- failed repairs since it was marked
    last_error TEXT,
    updated_at INTEGER NOT NULL                     -- unix milliseconds
) STRICT, WITHOUT ROWID;
