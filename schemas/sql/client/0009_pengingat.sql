-- SIASN Luring desktop replica, schema version 9: reminders (pengingat) for KP, BUP and KGB, and their follow-ups.
-- Released migrations are append-only: never edit this file; add 0010_*.sql instead (CHECKSUMS guards it).
--
-- KP (pegawai.kp_pertama, kp_status) and BUP (pegawai.tmt_pensiun) reminders read columns that exist already. KGB
-- needs the pegawai's KGB schedule (model::rules::kgb::JadwalKgb), date-independent like every stored fact:
--   kgb_awal    the 1st of the month on or after the day the masa kerja golongan was zero: the MKG a KGB reaches
--               is the whole years from it
--   kgb_pertama the first KGB in the current golongan (the first step of its gaji table after the TMT golongan);
--               the next ones every 2 years
--   kgb_akhir   the last KGB (the top MKG of the golongan's gaji table)
--   kgb_siklus  (year(kgb_pertama) % 2) * 12 + month(kgb_pertama) - 1, 0..23: a KGB falls in month (y, m) exactly
--               when kgb_siklus = (y % 2) * 12 + m - 1 and kgb_pertama <= that month <= kgb_akhir, so the pegawai
--               with a KGB in a given month are one index range
-- All four NULL when the pegawai gets no KGB (not a PNS, not aktif, MKG unknown, top of the table reached).
ALTER TABLE pegawai ADD COLUMN kgb_awal TEXT;
ALTER TABLE pegawai ADD COLUMN kgb_pertama TEXT;
ALTER TABLE pegawai ADD COLUMN kgb_akhir TEXT;
ALTER TABLE pegawai ADD COLUMN kgb_siklus INTEGER;
-- Covering the KGB list and its counts (the month's cycle, the schedule's bounds, TMT pensiun, the sort name), so
-- they read no table row: at 250,000 pegawai a year of KGB is ~100,000 rows.
CREATE INDEX pegawai_kgb ON pegawai (kgb_siklus, kgb_pertama, kgb_akhir, tmt_pensiun, nama)
    WHERE kgb_siklus IS NOT NULL;
-- The KP reminders (and the KP filter of the pegawai list) read kp_pertama, kp_status and tmt_pensiun: the index of
-- migration 0001 on kp_pertama alone becomes a covering one, with the sort name.
DROP INDEX pegawai_kp_pertama;
CREATE INDEX pegawai_kp_pertama ON pegawai (kp_pertama, kp_status, tmt_pensiun, nama);

-- The follow-ups recorded in a pegawai document (`tindak_lanjut.<kunci>`, model::pengingat::TindakLanjut), one row
-- per key, derived in the same transaction as every write of the document and rebuilt with the other projections.
-- The lists join them by (document, key); "aktif" and "kedaluwarsa" are read from the date, never stored.
CREATE TABLE tindak_lanjut (
    document_rowid INTEGER NOT NULL REFERENCES document (rowid) ON DELETE CASCADE,
    kunci          TEXT NOT NULL,                   -- model::pengingat::kunci: '<kp|bup|kgb>-<yyyy-mm-dd>'
    status         TEXT NOT NULL,                   -- 'ditangani' or 'tidak_perlu'
    catatan        TEXT,
    oleh           TEXT NOT NULL,                   -- NIP of the officer
    waktu          TEXT NOT NULL,                   -- RFC 3339
    PRIMARY KEY (document_rowid, kunci)
) STRICT, WITHOUT ROWID;

-- Rows projected before this version lack the KGB columns: store::Replica::open derives the pegawai rows again, in
-- batches, when this mark is there, and removes it once all are done.
INSERT INTO meta (key, value) SELECT 'proyeksi_ulang', '9' WHERE EXISTS (SELECT 1 FROM pegawai);
