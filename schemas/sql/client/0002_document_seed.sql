-- SIASN Luring desktop replica, schema version 2: seeds (documents a bulk import has not built yet) and longer
-- indexed search prefixes.
-- Released migrations are append-only: never edit this file; add 0003_*.sql instead (CHECKSUMS guards it).
--
-- A bulk import stores each new pegawai as a "seed": the record's JSON plus the actor, time and message its first
-- change will carry. Building the automerge document from a seed is deterministic (same bytes, same change hash
-- whenever it happens), so it is done on first write, by compaction after the import, or never for a record that
-- is only read. While `seed` is set, `snapshot` and `heads` are empty and no chunk exists.
ALTER TABLE document ADD COLUMN seed BLOB;
CREATE INDEX document_seeded ON document (rowid) WHERE seed IS NOT NULL;

-- Search: prefixes of 2 to 6 characters are indexed (was 2-3). A prefix query beyond the indexed lengths makes FTS5
-- merge the doclists of every matching term before the first row comes out, which for a common word typed in full
-- ("guru", "negeri") took 10-30 ms at 250,000 pegawai; an indexed prefix is read incrementally and stops at the
-- candidate cap. Longer words are matched exactly first (store::query::search). Rebuilt from the projection.
DROP TABLE pegawai_fts;
CREATE VIRTUAL TABLE pegawai_fts USING fts5 (
    nama, nip, jabatan, unor,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);
INSERT INTO pegawai_fts (rowid, nama, nip, jabatan, unor)
    SELECT document_rowid, nama_lengkap, nip, jabatan_nama, unor_nama FROM pegawai;
