-- SIASN Luring desktop replica, schema version 5: a search index of names alone.
-- Released migrations are append-only: never edit this file; add 0006_*.sql instead (CHECKSUMS guards it).
--
-- Search shows pegawai whose name has the typed words first. Asked of pegawai_fts as `nama : (…)`, FTS5 walks the
-- word's whole doclist to find the rows where it is in the nama column; for a word common in jabatan or unor and
-- rare in names ("guru", "ahli", "negeri", "sd") that was the whole cost of a search, ~8 ms at 250,000 pegawai. In an
-- index of names alone every row of the doclist is a name match, and the read stops at the candidate cap.
-- pegawai_fts keeps its nama column for searches whose words span columns (a name and a jabatan).
CREATE VIRTUAL TABLE pegawai_nama_fts USING fts5 (
    nama,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);
INSERT INTO pegawai_nama_fts (rowid, nama) SELECT document_rowid, nama_lengkap FROM pegawai;
