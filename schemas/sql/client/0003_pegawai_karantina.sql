-- SIASN Luring desktop replica, schema version 3: the identity of quarantined pegawai.
-- Released migrations are append-only: never edit this file; add 0004_*.sql instead (CHECKSUMS guards it).
--
-- A quarantined document (its bytes do not load) leaves every projection, and with its `pegawai` row went the only
-- readable copy of its NIP: a re-import then found no pegawai with that NIP and created a second document.
-- The NIP and SI-ASN id of the row it had are kept here (store::projection::remove) until the document is projected
-- again (repaired from the hub). Unlike the projections, this table cannot be rebuilt from documents: rebuilds keep it.
CREATE TABLE pegawai_karantina (
    document_rowid INTEGER PRIMARY KEY REFERENCES document (rowid) ON DELETE CASCADE,
    nip            TEXT NOT NULL,
    pns_id         TEXT
) STRICT;
CREATE INDEX pegawai_karantina_nip ON pegawai_karantina (nip);
