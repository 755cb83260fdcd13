-- SIASN Luring desktop replica, schema version 1.
-- Released migrations are append-only: never edit this file; add 0002_*.sql instead (CHECKSUMS guards it).
-- Documents are the truth; every table below "projections" can be dropped and rebuilt from documents alone.

-- Replica settings: actor id, instansi, the reference unor tree's source.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One automerge document per record (DESIGN §3.1): the latest full save plus incremental chunks since it.
CREATE TABLE document (
    rowid       INTEGER PRIMARY KEY,
    id          BLOB NOT NULL UNIQUE,           -- UUIDv7, 16 bytes
    kind        TEXT NOT NULL CHECK (kind IN ('pegawai', 'usulan', 'verifikasi_lapangan')),
    scope       TEXT,                           -- 'instansi:<id>'
    snapshot    BLOB NOT NULL,                  -- automerge save()
    compressed  INTEGER NOT NULL DEFAULT 1,     -- 0: saved without DEFLATE by a bulk import, recompressed by compaction
    heads       BLOB NOT NULL,                  -- concatenated 32-byte change hashes
    chunk_count INTEGER NOT NULL DEFAULT 0,
    chunk_bytes INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,               -- unix milliseconds
    quarantined TEXT                            -- why the bytes could not be loaded; NULL when healthy
) STRICT;
CREATE INDEX document_kind ON document (kind);

CREATE TABLE document_chunk (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    bytes          BLOB NOT NULL,
    PRIMARY KEY (document_rowid, seq)
) STRICT, WITHOUT ROWID;

-- Sync state (DESIGN §5): feed cursor per scope, the outbox of local changes, content-addressed blobs.
CREATE TABLE feed_cursor (
    scope      TEXT PRIMARY KEY,
    epoch      INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE outbox (
    change_hash    BLOB PRIMARY KEY,                -- 32 bytes; the idempotency key of the push
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_document ON outbox (document_rowid);

CREATE TABLE blob (
    sha256     BLOB PRIMARY KEY,                    -- 32 bytes
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('local', 'queued_upload', 'synced', 'queued_download', 'missing')),
    bytes_done INTEGER NOT NULL DEFAULT 0,
    content    BLOB
) STRICT, WITHOUT ROWID;

-- Reference: the instansi's unor tree (ref-unor), with the path of ids from the root for subtree filters.
CREATE TABLE unor (
    id           TEXT PRIMARY KEY,
    parent_id    TEXT,
    nama         TEXT NOT NULL,
    nama_jabatan TEXT,
    eselon_id    TEXT,
    path         TEXT NOT NULL,                     -- '/<root id>/<…>/<id>/'
    depth        INTEGER NOT NULL
) STRICT;
CREATE INDEX unor_path ON unor (path);

-- Projections: derived from documents in the same transaction as every document write.
CREATE TABLE pegawai (
    document_rowid        INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    nip                   TEXT NOT NULL,
    pns_id                TEXT,
    nama                  TEXT NOT NULL,            -- without gelar, for sorting
    nama_lengkap          TEXT NOT NULL,            -- with gelar, for display
    jenis_asn             TEXT,                     -- PNS, CPNS, PPPK
    kedudukan_hukum_id    TEXT,
    golongan_id           TEXT,
    golongan_urutan       INTEGER,                  -- 1 (I/a) .. 17 (IV/e)
    jenis_jabatan_id      TEXT,
    jabatan_nama          TEXT,
    eselon_id             TEXT,
    tingkat_pendidikan_id TEXT,
    unor_id               TEXT,
    unor_nama             TEXT,
    unor_path             TEXT,                     -- from unor.path, or '/<unor_id>/' without a tree
    tgl_lahir             TEXT,                     -- yyyy-mm-dd
    tmt_cpns              TEXT,
    tmt_pensiun           TEXT,
    bup                   INTEGER,
    kp_pertama            TEXT,                     -- first KP reguler period date after 4 years in pangkat
    kp_golongan_id        TEXT,
    kp_status             TEXT,                     -- memenuhi, belum_pasti, tidak_memenuhi, tidak_berlaku
    ikd_count             INTEGER NOT NULL DEFAULT 0 -- date-independent IKD codes; TIM_3/TIM_5 are computed at query time
) STRICT;
CREATE INDEX pegawai_nip ON pegawai (nip);
CREATE INDEX pegawai_nama ON pegawai (nama, document_rowid);
CREATE INDEX pegawai_unor_path ON pegawai (unor_path, nama);
CREATE INDEX pegawai_golongan ON pegawai (golongan_urutan, nama);
CREATE INDEX pegawai_tmt_pensiun ON pegawai (tmt_pensiun);
CREATE INDEX pegawai_kp_pertama ON pegawai (kp_pertama);
-- Equality filters of the Pegawai screen that still walk in nama order (one page, no sort).
CREATE INDEX pegawai_jenis_asn ON pegawai (jenis_asn, kedudukan_hukum_id, nama);
CREATE INDEX pegawai_kedudukan ON pegawai (kedudukan_hukum_id, nama);
CREATE INDEX pegawai_jenis_jabatan ON pegawai (jenis_jabatan_id, nama);

-- Search: nama, NIP, jabatan and unor; prefix queries of 2-3 characters are indexed; diacritics and case folded.
CREATE VIRTUAL TABLE pegawai_fts USING fts5 (
    nama, nip, jabatan, unor,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TABLE ikd_anomali (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    kode           TEXT NOT NULL,
    penjelasan     TEXT NOT NULL,
    PRIMARY KEY (document_rowid, kode)
) STRICT, WITHOUT ROWID;
CREATE INDEX ikd_anomali_kode ON ikd_anomali (kode);

CREATE TABLE usulan (
    document_rowid INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    jenis          TEXT NOT NULL,
    sub_jenis      TEXT,
    status         TEXT NOT NULL,
    nip            TEXT,                            -- the first pegawai; kolektif usulan list all in usulan_pegawai
    nama           TEXT,
    jumlah_pegawai INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX usulan_status ON usulan (status, updated_at);

-- Same-field conflicts (automerge get_all > 1), with the actor of each value.
CREATE TABLE field_conflict (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    values_json    TEXT NOT NULL,
    PRIMARY KEY (document_rowid, path)
) STRICT, WITHOUT ROWID;
