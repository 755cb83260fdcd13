-- SIASN Luring desktop replica, schema version 8: the list of verifikasi lapangan (field visits).
-- Released migrations are append-only: never edit this file; add 0009_*.sql instead (CHECKSUMS guards it).
--
-- One row per verifikasi_lapangan document (model::verifikasi::VerifikasiLapangan), derived from the document alone
-- (store::projection::KunjunganRow) in the same transaction as every write of it, and rebuilt by
-- store::projection::rebuild_projections. The pegawai's name and unor are not copied here: the list joins them from
-- `pegawai` by NIP, so a pegawai renamed or moved shows as it is now.
--
-- Before this version no path created a verifikasi lapangan document on a device, so there are no rows to derive;
-- a document the feed brought earlier gets its row from `luring-cli check --rebuild`, its next local change, or the
-- next change the feed brings.
CREATE TABLE verifikasi_lapangan (
    document_rowid INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    nip            TEXT NOT NULL,                   -- the pegawai visited
    hasil          TEXT NOT NULL,                   -- model::verifikasi::HasilVerifikasi, snake_case
    catatan        TEXT,
    petugas        TEXT NOT NULL,                   -- NIP of the officer
    waktu_ms       INTEGER NOT NULL,                -- unix milliseconds of the visit; 0 when its time does not read
    jumlah_foto    INTEGER NOT NULL
) STRICT;
-- The list is newest first (waktu_ms DESC, document_rowid DESC), alone or under one hasil or one NIP.
CREATE INDEX verifikasi_lapangan_waktu ON verifikasi_lapangan (waktu_ms);
CREATE INDEX verifikasi_lapangan_hasil ON verifikasi_lapangan (hasil, waktu_ms);
CREATE INDEX verifikasi_lapangan_nip ON verifikasi_lapangan (nip, waktu_ms);
