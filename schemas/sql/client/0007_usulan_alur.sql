-- SIASN Luring desktop replica, schema version 7: the usulan list follows the workflow's fold.
-- Released migrations are append-only: never edit this file; add 0008_*.sql instead (CHECKSUMS guards it).
--
-- An usulan's status is never stored in its document: it is the fold of the event log (model::usulan::alur::keadaan).
-- The list row now holds what that fold gives (store::projection::UsulanRow): the status code (`draft`, `diajukan`,
-- …, `konflik`, `campuran`), whether two decisions made without seeing each other disagree (konflik), how many BTS
-- the usulan has had, and the times of its first and latest event. usulan_pegawai lists every pegawai a kolektif
-- usulan names, so that a NIP filter finds each usulan that names it (usulan.nip keeps the first, for display).
--
-- The table is made anew rather than altered: rows written under version 6 held the action of the last event in
-- list order (`dibuat`, …), not the fold's status, and no SQL can re-derive them. They are dropped; the projections
-- hold no data of their own, and `luring-cli check --rebuild` (store::projection::rebuild_projections), the next
-- local change of the document, or the next one the feed brings derives the row again. Before this version no path
-- created an usulan document on a device, so in practice the table was empty.
DROP TABLE usulan;

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
-- The list is newest first (updated_at DESC, document_rowid DESC), alone or under one status or one jenis.
CREATE INDEX usulan_updated ON usulan (updated_at);
CREATE INDEX usulan_status ON usulan (status, updated_at);
CREATE INDEX usulan_jenis ON usulan (jenis, updated_at);

CREATE TABLE usulan_pegawai (
    usulan_rowid INTEGER NOT NULL REFERENCES usulan (document_rowid) ON DELETE CASCADE,
    nip          TEXT NOT NULL,
    PRIMARY KEY (usulan_rowid, nip)
) STRICT, WITHOUT ROWID;
CREATE INDEX usulan_pegawai_nip ON usulan_pegawai (nip);
