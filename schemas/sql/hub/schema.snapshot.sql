-- index blob_ref_doc
CREATE INDEX blob_ref_doc ON blob_ref (doc);

-- index device_nip
CREATE INDEX device_nip ON device (nip);

-- index document_nip
CREATE INDEX document_nip ON document (nip) WHERE nip IS NOT NULL;

-- index document_scope
CREATE INDEX document_scope ON document (scope, doc);

-- index log_scope
CREATE INDEX log_scope ON log (scope, seq);

-- table blob
CREATE TABLE blob (
    sha256 BLOB PRIMARY KEY,
    size   INTEGER NOT NULL,
    bytes  BLOB NOT NULL
) STRICT;

-- table blob_chunk
CREATE TABLE blob_chunk (
    sha256 BLOB NOT NULL,
    idx    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
) STRICT;

-- table blob_ref
CREATE TABLE blob_ref (
    sha256 BLOB NOT NULL,
    doc    BLOB NOT NULL,
    PRIMARY KEY (sha256, doc)
) STRICT, WITHOUT ROWID;

-- table blob_upload
CREATE TABLE blob_upload (
    sha256     BLOB PRIMARY KEY,
    size       INTEGER NOT NULL,
    chunk_size INTEGER NOT NULL
) STRICT;

-- table change
CREATE TABLE change (
    hash BLOB PRIMARY KEY,
    doc  BLOB NOT NULL,
    seq  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- table device
CREATE TABLE device (
    actor            BLOB PRIMARY KEY,
    nip              TEXT NOT NULL,
    name             TEXT NOT NULL,
    registered_at_ms INTEGER NOT NULL,
    revoked_at_ms    INTEGER
) STRICT;

-- table document
CREATE TABLE document (
    rowid  INTEGER PRIMARY KEY,
    doc    BLOB NOT NULL UNIQUE,                -- UUIDv7, 16 bytes
    scope  TEXT NOT NULL,                       -- 'instansi:<id>'
    record TEXT NOT NULL CHECK (record IN ('pegawai', 'usulan', 'verifikasi_lapangan')),
    nip    TEXT,                                -- pegawai only: data_utama.nip at the last hub import
    heads  BLOB NOT NULL,                       -- of `save`: concatenated 32-byte change hashes
    save   BLOB NOT NULL                        -- automerge save_nocompress()
) STRICT;

-- table document_chunk
CREATE TABLE document_chunk (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    bytes          BLOB NOT NULL,
    heads          BLOB NOT NULL,
    PRIMARY KEY (document_rowid, seq)
) STRICT, WITHOUT ROWID;

-- table log
CREATE TABLE log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    scope       TEXT NOT NULL,
    doc         BLOB NOT NULL,
    record      TEXT NOT NULL,
    body        TEXT NOT NULL CHECK (body IN ('change', 'snapshot', 'remove')),
    bytes       BLOB NOT NULL,                  -- change: length-prefixed raw changes; snapshot: a save; remove: empty
    heads_after BLOB NOT NULL                   -- concatenated 32-byte change hashes
) STRICT;

-- table meta
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- table roster
CREATE TABLE roster (
    nip      TEXT PRIMARY KEY,
    nama     TEXT,
    instansi TEXT NOT NULL,
    roles    TEXT NOT NULL                     -- snake_case role names, comma-separated
) STRICT;

-- table scope
CREATE TABLE scope (
    scope     TEXT PRIMARY KEY,
    epoch     INTEGER NOT NULL,
    floor_seq INTEGER NOT NULL
) STRICT;

-- table snapshot_chunk
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

-- user_version 1
