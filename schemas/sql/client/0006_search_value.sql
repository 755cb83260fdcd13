-- SIASN Luring desktop replica, schema version 6: jabatan and unor words indexed once per distinct value.
-- Released migrations are append-only: never edit this file; add 0007_*.sql instead (CHECKSUMS guards it).
--
-- pegawai_fts held every pegawai's name, NIP, jabatan and unor words with five prefix lengths each: about 14 words
-- per pegawai, most of them the same few hundred jabatan and unor names repeated. Writing it was most of the
-- import's time (a bulk import of 250,000 pegawai ran at ~7,000/s). Now:
--   - names stay in pegawai_nama_fts, one row per pegawai (migration 0005);
--   - a NIP is found through the pegawai_nip index (a range scan for a prefix);
--   - each distinct jabatan and unor name is a row of search_value with its words in search_value_fts (a few
--     thousand rows for a big kabupaten), and the pegawai holding that name are found through the B-tree indexes below.
-- A search word matches a pegawai when it is a prefix of a word of the name, of the NIP, of the jabatan name or of
-- the unor name (store::query::search). A value no pegawai holds any more matches no row and is harmless; a rebuild
-- of the projections drops it.
DROP TABLE pegawai_fts;

CREATE TABLE search_value (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('jabatan', 'unor')),
    value TEXT NOT NULL,                 -- pegawai.jabatan_nama or pegawai.unor_nama, exactly
    UNIQUE (kind, value)
) STRICT;

-- A value's words go in the column of its kind (the other is NULL), so that a word is looked up among jabatan or
-- among unor names alone ("negeri" is in thousands of school names and no jabatan).
CREATE VIRTUAL TABLE search_value_fts USING fts5 (
    jabatan, unor,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);

INSERT INTO search_value (kind, value)
    SELECT DISTINCT 'jabatan', jabatan_nama FROM pegawai WHERE jabatan_nama IS NOT NULL
    UNION SELECT DISTINCT 'unor', unor_nama FROM pegawai WHERE unor_nama IS NOT NULL;
INSERT INTO search_value_fts (rowid, jabatan, unor)
    SELECT id, iif(kind = 'jabatan', value, NULL), iif(kind = 'unor', value, NULL) FROM search_value;

CREATE INDEX pegawai_jabatan_nama ON pegawai (jabatan_nama);
CREATE INDEX pegawai_unor_nama ON pegawai (unor_nama);
