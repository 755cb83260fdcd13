-- index document_kind
CREATE INDEX document_kind ON document (kind);

-- index document_seeded
CREATE INDEX document_seeded ON document (rowid) WHERE seed IS NOT NULL;

-- index ikd_anomali_kode
CREATE INDEX ikd_anomali_kode ON ikd_anomali (kode);

-- index outbox_document
CREATE INDEX outbox_document ON outbox (document_rowid);

-- index pegawai_golongan
CREATE INDEX pegawai_golongan ON pegawai (golongan_urutan, nama);

-- index pegawai_jabatan_nama
CREATE INDEX pegawai_jabatan_nama ON pegawai (jabatan_nama);

-- index pegawai_jenis_asn
CREATE INDEX pegawai_jenis_asn ON pegawai (jenis_asn, kedudukan_hukum_id, nama);

-- index pegawai_jenis_jabatan
CREATE INDEX pegawai_jenis_jabatan ON pegawai (jenis_jabatan_id, nama);

-- index pegawai_karantina_nip
CREATE INDEX pegawai_karantina_nip ON pegawai_karantina (nip);

-- index pegawai_kedudukan
CREATE INDEX pegawai_kedudukan ON pegawai (kedudukan_hukum_id, nama);

-- index pegawai_kgb
CREATE INDEX pegawai_kgb ON pegawai (kgb_siklus, kgb_pertama, kgb_akhir, tmt_pensiun, nama)
    WHERE kgb_siklus IS NOT NULL;

-- index pegawai_kp_pertama
CREATE INDEX pegawai_kp_pertama ON pegawai (kp_pertama, kp_status, tmt_pensiun, nama);

-- index pegawai_nama
CREATE INDEX pegawai_nama ON pegawai (nama, document_rowid);

-- index pegawai_nip
CREATE INDEX pegawai_nip ON pegawai (nip);

-- index pegawai_tmt_pensiun
CREATE INDEX pegawai_tmt_pensiun ON pegawai (tmt_pensiun);

-- index pegawai_unor_nama
CREATE INDEX pegawai_unor_nama ON pegawai (unor_nama);

-- index pegawai_unor_path
CREATE INDEX pegawai_unor_path ON pegawai (unor_path, nama);

-- index unor_path
CREATE INDEX unor_path ON unor (path);

-- index usulan_jenis
CREATE INDEX usulan_jenis ON usulan (jenis, updated_at);

-- index usulan_pegawai_nip
CREATE INDEX usulan_pegawai_nip ON usulan_pegawai (nip);

-- index usulan_status
CREATE INDEX usulan_status ON usulan (status, updated_at);

-- index usulan_updated
CREATE INDEX usulan_updated ON usulan (updated_at);

-- index verifikasi_lapangan_hasil
CREATE INDEX verifikasi_lapangan_hasil ON verifikasi_lapangan (hasil, waktu_ms);

-- index verifikasi_lapangan_nip
CREATE INDEX verifikasi_lapangan_nip ON verifikasi_lapangan (nip, waktu_ms);

-- index verifikasi_lapangan_waktu
CREATE INDEX verifikasi_lapangan_waktu ON verifikasi_lapangan (waktu_ms);

-- table blob
CREATE TABLE blob (
    sha256     BLOB PRIMARY KEY,                    -- 32 bytes
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('local', 'queued_upload', 'synced', 'queued_download', 'missing')),
    bytes_done INTEGER NOT NULL DEFAULT 0,
    content    BLOB
) STRICT, WITHOUT ROWID;

-- table blob_part
CREATE TABLE blob_part (
    sha256 BLOB NOT NULL REFERENCES blob (sha256) ON DELETE CASCADE,
    start  INTEGER NOT NULL,                        -- byte offset of `bytes` in the blob
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, start)
) STRICT;

-- table document
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
, seed BLOB) STRICT;

-- table document_chunk
CREATE TABLE document_chunk (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    bytes          BLOB NOT NULL,
    PRIMARY KEY (document_rowid, seq)
) STRICT, WITHOUT ROWID;

-- table document_repair
CREATE TABLE document_repair (
    id         BLOB PRIMARY KEY,                    -- UUIDv7, 16 bytes
    scope      TEXT NOT NULL,                       -- 'instansi:<id>'
    kind       TEXT NOT NULL CHECK (kind IN ('pegawai', 'usulan', 'verifikasi_lapangan')),
    reason     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,          -- failed repairs since it was marked
    last_error TEXT,
    updated_at INTEGER NOT NULL                     -- unix milliseconds
) STRICT, WITHOUT ROWID;

-- table feed_cursor
CREATE TABLE feed_cursor (
    scope      TEXT PRIMARY KEY,
    epoch      INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- table field_conflict
CREATE TABLE field_conflict (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    values_json    TEXT NOT NULL,
    PRIMARY KEY (document_rowid, path)
) STRICT, WITHOUT ROWID;

-- table ikd_anomali
CREATE TABLE ikd_anomali (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    kode           TEXT NOT NULL,
    penjelasan     TEXT NOT NULL,
    PRIMARY KEY (document_rowid, kode)
) STRICT, WITHOUT ROWID;

-- table meta
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- table outbox
CREATE TABLE outbox (
    change_hash    BLOB PRIMARY KEY,                -- 32 bytes; the idempotency key of the push
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT
) STRICT, WITHOUT ROWID;

-- table pegawai
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
, kgb_awal TEXT, kgb_pertama TEXT, kgb_akhir TEXT, kgb_siklus INTEGER) STRICT;

-- table pegawai_karantina
CREATE TABLE pegawai_karantina (
    document_rowid INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    nip            TEXT NOT NULL,
    pns_id         TEXT
) STRICT;

-- table pegawai_nama_fts
CREATE VIRTUAL TABLE pegawai_nama_fts USING fts5 (
    nama,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);

-- table pegawai_nama_fts_config
CREATE TABLE 'pegawai_nama_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table pegawai_nama_fts_data
CREATE TABLE 'pegawai_nama_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table pegawai_nama_fts_docsize
CREATE TABLE 'pegawai_nama_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table pegawai_nama_fts_idx
CREATE TABLE 'pegawai_nama_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table search_value
CREATE TABLE search_value (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('jabatan', 'unor')),
    value TEXT NOT NULL,                 -- pegawai.jabatan_nama or pegawai.unor_nama, exactly
    UNIQUE (kind, value)
) STRICT;

-- table search_value_fts
CREATE VIRTUAL TABLE search_value_fts USING fts5 (
    jabatan, unor,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);

-- table search_value_fts_config
CREATE TABLE 'search_value_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table search_value_fts_data
CREATE TABLE 'search_value_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table search_value_fts_docsize
CREATE TABLE 'search_value_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER);

-- table search_value_fts_idx
CREATE TABLE 'search_value_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table tindak_lanjut
CREATE TABLE tindak_lanjut (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    kunci          TEXT NOT NULL,                   -- model::pengingat::kunci: '<kp|bup|kgb>-<yyyy-mm-dd>'
    status         TEXT NOT NULL,                   -- 'ditangani' or 'tidak_perlu'
    catatan        TEXT,
    oleh           TEXT NOT NULL,                   -- NIP of the officer
    waktu          TEXT NOT NULL,                   -- RFC 3339
    PRIMARY KEY (document_rowid, kunci)
) STRICT, WITHOUT ROWID;

-- table unor
CREATE TABLE unor (
    id           TEXT PRIMARY KEY,
    parent_id    TEXT,
    nama         TEXT NOT NULL,
    nama_jabatan TEXT,
    eselon_id    TEXT,
    path         TEXT NOT NULL,                     -- '/<root id>/<…>/<id>/'
    depth        INTEGER NOT NULL
) STRICT;

-- table usulan
CREATE TABLE usulan (
    document_rowid INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    jenis          TEXT NOT NULL,                   -- model::usulan::JenisUsulan, snake_case
    sub_jenis      TEXT,
    status         TEXT NOT NULL,                   -- model::usulan::alur::StatusUsulan::kode()
    konflik        INTEGER NOT NULL CHECK (konflik IN (0, 1)),
    jumlah_bts     INTEGER NOT NULL,
    nip            TEXT,                            -- the first pegawai; every pegawai is in usulan_pegawai
    nama           TEXT,
    jumlah_pegawai INTEGER NOT NULL,
    dibuat_at      INTEGER NOT NULL,                -- unix milliseconds of the earliest event; 0 when none reads
    updated_at     INTEGER NOT NULL                 -- unix milliseconds of the latest event; 0 when none reads
) STRICT;

-- table usulan_pegawai
CREATE TABLE usulan_pegawai (
    usulan_rowid INTEGER NOT NULL REFERENCES usulan (document_rowid) ON DELETE CASCADE,
    nip          TEXT NOT NULL,
    PRIMARY KEY (usulan_rowid, nip)
) STRICT, WITHOUT ROWID;

-- table verifikasi_lapangan
CREATE TABLE verifikasi_lapangan (
    document_rowid INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    nip            TEXT NOT NULL,                   -- the pegawai visited
    hasil          TEXT NOT NULL,                   -- model::verifikasi::HasilVerifikasi, snake_case
    catatan        TEXT,
    petugas        TEXT NOT NULL,                   -- NIP of the officer
    waktu_ms       INTEGER NOT NULL,                -- unix milliseconds of the visit; 0 when its time does not read
    jumlah_foto    INTEGER NOT NULL
) STRICT;

-- user_version 9
