-- SIASN Luring hub, schema version 1 (DESIGN §5, sync.md §5.4–5.7).
-- Released migrations are append-only: never edit this file; add 0002_*.sql instead (CHECKSUMS guards it).
-- Documents are the truth; `log` is the change feed built from the same writes in the same transaction.

-- Hub settings: the hub's own automerge actor.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- Who may use the hub (DESIGN §6): NIP → instansi and roles. Never taken from token claims.
CREATE TABLE roster (
    nip      TEXT PRIMARY KEY,
    nama     TEXT,
    instansi TEXT NOT NULL,
    roles    TEXT NOT NULL                     -- snake_case role names, comma-separated
) STRICT;

-- Registered devices: an automerge actor bound to one NIP (sync.md §5.2). Never deleted, only revoked.
CREATE TABLE device (
    actor            BLOB PRIMARY KEY,
    nip              TEXT NOT NULL,
    name             TEXT NOT NULL,
    registered_at_ms INTEGER NOT NULL,
    revoked_at_ms    INTEGER
) STRICT;
CREATE INDEX device_nip ON device (nip);

-- The epoch of each scope's log and the highest seq dropped by compaction (cursors below it must refetch).
CREATE TABLE scope (
    scope     TEXT PRIMARY KEY,
    epoch     INTEGER NOT NULL,
    floor_seq INTEGER NOT NULL
) STRICT;

-- One automerge document per record: the latest save (without DEFLATE: the hub re-saves often and snapshot
-- chunks are zstd-compressed whole) and its heads. A push appends to document_chunk and never rewrites this row
-- (an update of a row holding a save rewrites the save's pages).
CREATE TABLE document (
    rowid  INTEGER PRIMARY KEY,
    doc    BLOB NOT NULL UNIQUE,                -- UUIDv7, 16 bytes
    scope  TEXT NOT NULL,                       -- 'instansi:<id>'
    record TEXT NOT NULL CHECK (record IN ('pegawai', 'usulan', 'verifikasi_lapangan')),
    nip    TEXT,                                -- pegawai only: data_utama.nip at the last hub import
    heads  BLOB NOT NULL,                       -- of `save`: concatenated 32-byte change hashes
    save   BLOB NOT NULL                        -- automerge save_nocompress()
) STRICT;
CREATE INDEX document_scope ON document (scope, doc);
CREATE INDEX document_nip ON document (nip) WHERE nip IS NOT NULL;

-- save_after outputs appended since the document's save, in order, each with the document's heads after it;
-- folded into a new save past 16 chunks or 8 KiB (sync.md §5.9).
CREATE TABLE document_chunk (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    bytes          BLOB NOT NULL,
    heads          BLOB NOT NULL,
    PRIMARY KEY (document_rowid, seq)
) STRICT, WITHOUT ROWID;

-- Every change the hub holds, by hash: push idempotency and the seq of the log item that carried it.
CREATE TABLE change (
    hash BLOB PRIMARY KEY,
    doc  BLOB NOT NULL,
    seq  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The change feed. seq increases over the whole hub and is never reused (AUTOINCREMENT).
CREATE TABLE log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    scope       TEXT NOT NULL,
    doc         BLOB NOT NULL,
    record      TEXT NOT NULL,
    body        TEXT NOT NULL CHECK (body IN ('change', 'snapshot', 'remove')),
    bytes       BLOB NOT NULL,                  -- change: length-prefixed raw changes; snapshot: a save; remove: empty
    heads_after BLOB NOT NULL                   -- concatenated 32-byte change hashes
) STRICT;
CREATE INDEX log_scope ON log (scope, seq);

-- Built bootstrap snapshots: immutable chunk files under snapshots/<scope>/<epoch>-<seq>/<index>.chunk.
CREATE TABLE snapshot_chunk (
    scope     TEXT NOT NULL,
    epoch     INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    idx       INTEGER NOT NULL,
    size      INTEGER NOT NULL,
    sha256    BLOB NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (scope, epoch, seq, idx)
) STRICT, WITHOUT ROWID;

-- Blobs (sync.md §5.7), content-addressed by SHA-256: complete ones, uploads in progress and their chunks.
CREATE TABLE blob (
    sha256 BLOB PRIMARY KEY,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
) STRICT;

CREATE TABLE blob_upload (
    sha256     BLOB PRIMARY KEY,
    size       INTEGER NOT NULL,
    chunk_size INTEGER NOT NULL
) STRICT;

CREATE TABLE blob_chunk (
    sha256 BLOB NOT NULL,
    idx    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
) STRICT;

-- Which documents reference which blob (a "sha256" string member anywhere in the document).
CREATE TABLE blob_ref (
    sha256 BLOB NOT NULL,
    doc    BLOB NOT NULL,
    PRIMARY KEY (sha256, doc)
) STRICT, WITHOUT ROWID;
CREATE INDEX blob_ref_doc ON blob_ref (doc);
