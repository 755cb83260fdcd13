//! Push back (issue 8, deliverable 3): riwayat jabatan rows made on a device or at the hub, and the documents
//! attached to them, sent to SI-ASN exactly once each.
//!
//! [`kirim`] reads every pegawai document of an instansi from the hub's replica and takes the rows of
//! `riwayat_jabatan` whose id starts with [`ID_LOKAL`]: rows made on a device or at the hub, which the hub accepted
//! through its authority checks, so approved. Each goes through `POST /jabatan/save` (or
//! `/jabatan/unorjabatan/save` when the row carries mutasi, penugasan or sub jabatan fields), with the body of
//! siasn-api.md §1.4: dates `dd-mm-yyyy`, ids as strings, unused ids `""`, `pnsId`, `instansiId` and
//! `satuanKerjaId` from data utama. The id SI-ASN gives the new row (`mapData.rwJabatanId`, §1.5) is recorded, and
//! each document of the row with a local file ([`DokumenRef::berkas`], bytes from the hub's blob store) is then
//! uploaded through `POST /upload-dok-rw` (`file`, `id_riwayat` = that id, `id_ref_dokumen` = the `dok_id`, e.g.
//! 872 Dok SK Jabatan, §1.6).
//!
//! Idempotence: a write whose response is lost may still have been applied. Every send is recorded in
//! `siasn.sqlite` ([`SiasnStore`]; tables `siasn_kirim` for rows and `siasn_kirim_dokumen` for documents, created
//! here) as `dikirim` *before* the request and as `terkirim`, with the SI-ASN id (or the document's `dok_uri`),
//! after the answer. A row or document is POSTed at most once per run. When the outcome is unknown (the client
//! reported [`SiasnError::HasilTidakDiketahui`], a 5xx, an answer that is not SI-ASN's), `GET /pns/rw-jabatan/{nip}`
//! is read once: a row with the same nomor SK and TMT jabatan (and the same jabatan id when both sides have one) not
//! yet claimed by another of our rows is adopted as ours; a document counts as uploaded when the row's
//! `path[dok_id]` is there and is not the one recorded before the upload. When SI-ASN does not show it (yet), it is
//! NOT sent again in this run: the state stays `dikirim` and it is reported in [`LaporanKirim::menunggu`]; the next
//! run (or a pull, [`ganti_id_terkirim`]) settles it by the same matching, and only a later run that still finds
//! nothing sends it again. An answer `success:true` without `mapData.rwJabatanId` is never sent again: SI-ASN said
//! it saved the row, so its state stays `dikirim` (marked `sukses`) and waits in [`LaporanKirim::menunggu`] until a
//! push or a pull finds the row. An answer `success:false` (SI-ASN refused, nothing written) clears the state and
//! becomes a per-row error in [`LaporanKirim::gagal`] with SI-ASN's message; the run goes on. Only a token failure
//! (an expired SSO token, tokens SI-ASN refuses) stops the run, with nothing recorded for the request it refused.
//!
//! [`ganti_id_terkirim`] is the pull's half: a row SI-ASN holds under an id our push recorded gets its local id
//! back before the pull imports it, so the import reconciles it into the same row instead of adding a second one.
//! A row still `dikirim` is settled there too when the pulled rows hold its match.
//!
//! What it deliberately does not do:
//! - update rows SI-ASN already has (rows with SI-ASN's ids, or a pushed row edited afterwards), or delete any;
//! - push other riwayat kinds or data utama: rows with a local id there are listed in [`LaporanKirim::dilewati`];
//! - push fields SI-ASN does not accept through the web service: nama, gelar, tanggal lahir, NIK and golongan
//!   (§1.4, last paragraph). They change only through BKN layanan (pencantuman gelar, KP, peremajaan); the report
//!   names them ([`LEWAT_LAYANAN_BKN`]);
//! - run beside another push or a pull of the same data folder (a second run could re-send a row the first has in
//!   flight): the caller holds [`SiasnStore::lock_job`].
//!
//! Logs name NIPs and row ids only, never names or other personal data.

use std::collections::{BTreeMap, BTreeSet};

use model::Nip;
use model::pegawai::{DataUtama, DokumenRef, ID_LOKAL, RiwayatJabatan, RiwayatRow};
use model::siasn::ws::{Envelope, decode_riwayat, open_envelope};
use model::usulan::BlobRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::{Jawaban, SiasnClient, SiasnError};
use super::job::SiasnStore;
use crate::Hub;

/// `POST /jabatan/save` (siasn-api.md §1.3, §1.4), under `/apisiasn/1.0`.
pub const SIMPAN_JABATAN: &str = "/jabatan/save";
/// `POST /jabatan/unorjabatan/save`: the current form of the jabatan save, with mutasi/penugasan/sub jabatan.
pub const SIMPAN_UNOR_JABATAN: &str = "/jabatan/unorjabatan/save";
/// `POST /upload-dok-rw` (multipart `file`, `id_riwayat`, `id_ref_dokumen`; §1.3 Documents).
pub const UNGGAH_DOKUMEN: &str = "/upload-dok-rw";

/// Fields of the pegawai document SI-ASN does not accept through the web service (siasn-api.md §1.4, last
/// paragraph), with the BKN layanan that changes them. The push never sends them.
pub const LEWAT_LAYANAN_BKN: &[(&str, &str)] = &[
    ("data_utama.nama", "peremajaan data"),
    ("data_utama.gelar_depan", "pencantuman gelar"),
    ("data_utama.gelar_belakang", "pencantuman gelar"),
    ("data_utama.tgl_lahir", "peremajaan data"),
    ("data_utama.nik", "peremajaan data"),
    ("data_utama.golongan_akhir_id", "kenaikan pangkat"),
    ("riwayat_golongan", "kenaikan pangkat"),
];

/// The riwayat kind this module pushes, as the state tables name it (the `rw-*` endpoint).
const JENIS: &str = RiwayatJabatan::ENDPOINT;

/// What one [`kirim`] run did. Counts are riwayat rows unless named otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LaporanKirim {
    /// Pegawai documents read.
    pub pegawai: usize,
    /// Rows SI-ASN holds thanks to this run (sent now, or found there after an unknown outcome).
    pub terkirim: usize,
    /// Of [`LaporanKirim::terkirim`]: rows whose send had an unknown outcome (a lost response, a killed run) and
    /// which were found in `rw-jabatan`, so their id was adopted instead of sending them again.
    pub diadopsi: usize,
    /// Rows recorded as sent by an earlier run: nothing sent.
    pub sudah: usize,
    /// Documents SI-ASN holds thanks to this run (uploaded now, or found in the row's `path`).
    pub dokumen: usize,
    /// Documents recorded as uploaded by an earlier run.
    pub dokumen_sudah: usize,
    /// Per-row errors: (NIP, row id, or `row id/dok_id` for a document, message in Bahasa Indonesia). The row is
    /// tried again by the next run.
    pub gagal: Vec<(String, String, String)>,
    /// Sends whose outcome is not certain yet ("menunggu kepastian"): SI-ASN answered success without the row id,
    /// or the answer was lost and `rw-jabatan` does not show the row (or document) yet. Not sent again in this run;
    /// settled by the next push or pull: (NIP, row id or `row id/dok_id`, why).
    pub menunggu: Vec<(String, String, String)>,
    /// Rows with a local id this module does not push: (NIP, `riwayat_list.row id`, why).
    pub dilewati: Vec<(String, String, String)>,
    /// Fields never sent through the web service, each with the BKN layanan that changes it
    /// ([`LEWAT_LAYANAN_BKN`]), as "`field`: lewat layanan BKN (`layanan`)".
    pub lewat_layanan_bkn: Vec<String>,
}

/// Sends the approved local riwayat jabatan rows of `instansi`'s pegawai, then their documents, to SI-ASN; each
/// once, whatever happened to earlier runs (see the module docs).
///
/// `progress(done, total)` is called after each pegawai. Every per-row problem (an incomplete row, SI-ASN's
/// refusal, an unknown outcome that could not be checked, a file the hub does not hold yet) is collected in
/// [`LaporanKirim::gagal`] and the run goes on.
///
/// # Errors
/// Only what stops the whole run: the hub cannot list or read its pegawai ([`SiasnError::Hub`]), the state store
/// cannot be read or written ([`SiasnError::Penyimpanan`]: sending without recording would break idempotence), or
/// every request would fail: an expired SSO token, a token that cannot be fetched, tokens SI-ASN refuses
/// ([`SiasnError::SsoKedaluwarsa`], [`SiasnError::TokenApim`], [`SiasnError::TokenSso`],
/// [`SiasnError::Otentikasi`]). What was recorded before stays recorded; the next run goes on from there.
pub async fn kirim(
    hub: &Hub,
    client: &SiasnClient,
    store: &SiasnStore,
    instansi: &str,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<LaporanKirim, SiasnError> {
    store.with_conn(buat_tabel)?;
    let mut laporan = LaporanKirim {
        lewat_layanan_bkn: LEWAT_LAYANAN_BKN
            .iter()
            .map(|(field, layanan)| format!("{field}: lewat layanan BKN ({layanan})"))
            .collect(),
        ..LaporanKirim::default()
    };
    let nips = hub.pegawai_nips(instansi)?;
    let total = nips.len();
    for (index, nip) in nips.iter().enumerate() {
        if let Some(document) = hub.pegawai_json(instansi, nip)? {
            laporan.pegawai += 1;
            let mut kiriman = Kiriman { hub, client, store, nip, laporan: &mut laporan, rw_jabatan: None };
            kiriman.pegawai(&document).await?;
        }
        progress(index + 1, total);
    }
    Ok(laporan)
}

/// Gives the rows of `pegawai.riwayat_jabatan` (as just pulled from SI-ASN for `nip`) that our push created their
/// local id back, so importing the pull reconciles them into the same rows of the hub's document.
///
/// A row whose send is still `dikirim` (outcome unknown: a lost response, a killed run) is settled here when the
/// pulled rows hold its match (nomor SK, TMT jabatan, jabatan id): the match is recorded as `terkirim` and renamed,
/// and the next [`kirim`] sends only its documents.
///
/// # Errors
/// The state store cannot be read or written.
pub fn ganti_id_terkirim(store: &SiasnStore, nip: &str, pegawai: &mut model::Pegawai) -> Result<(), SiasnError> {
    let keadaan = store.with_conn(|conn| {
        buat_tabel(conn)?;
        keadaan_baris_nip(conn, nip)
    })?;
    if keadaan.is_empty() {
        return Ok(());
    }
    let mut lokal: BTreeMap<&str, &str> = BTreeMap::new();
    for (baris, state) in &keadaan {
        if let Keadaan::Terkirim { siasn_id } = state {
            lokal.insert(siasn_id.as_str(), baris.as_str());
        }
    }
    // Settle sends whose outcome is unknown from the pulled rows themselves.
    let mut diadopsi: Vec<(String, String)> = Vec::new();
    for (baris, state) in &keadaan {
        let Keadaan::Dikirim { kunci, .. } = state else { continue };
        let dipakai: BTreeSet<&str> = lokal.keys().copied().chain(diadopsi.iter().map(|(_, id)| id.as_str())).collect();
        if let Some(row) = cari_cocok(&pegawai.riwayat_jabatan, kunci, &dipakai)
            && let Some(id) = row.id.clone()
        {
            diadopsi.push((baris.clone(), id));
        }
    }
    if !diadopsi.is_empty() {
        store.with_conn(|conn| {
            for (baris, siasn_id) in &diadopsi {
                tandai_terkirim(conn, nip, baris, siasn_id)?;
            }
            Ok(())
        })?;
        for (baris, siasn_id) in &diadopsi {
            tracing::info!(nip, baris = %baris, siasn_id = %siasn_id, "kiriman tanpa hasil ditemukan saat tarik");
        }
    }
    let lokal: BTreeMap<&str, &str> =
        lokal.into_iter().chain(diadopsi.iter().map(|(baris, id)| (id.as_str(), baris.as_str()))).collect();
    for row in &mut pegawai.riwayat_jabatan {
        if let Some(baris) = row.id.as_deref().and_then(|id| lokal.get(id)) {
            row.id = Some((*baris).to_owned());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// One pegawai

/// The push of one pegawai's rows.
struct Kiriman<'a> {
    hub: &'a Hub,
    client: &'a SiasnClient,
    store: &'a SiasnStore,
    nip: &'a str,
    laporan: &'a mut LaporanKirim,
    /// `rw-jabatan` as read from SI-ASN during this pegawai's push (read at most once, and again after a send).
    rw_jabatan: Option<Vec<RiwayatJabatan>>,
}

/// What SI-ASN made of one write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hasil {
    /// Applied: the new row's id (`mapData.rwJabatanId`), or the uploaded document's `dok_uri`.
    Diterima(String),
    /// Refused: nothing was written (`success:false`, a gateway refusal); SI-ASN's message.
    Ditolak(String),
    /// Maybe applied: a lost response, a server error, an answer that is not SI-ASN's.
    TidakDiketahui(String),
    /// SI-ASN said it saved the row (`success:true`) without giving its id: applied, never to be sent again.
    SuksesTanpaId(String),
}

/// What reading `rw-jabatan` found for a send whose outcome is unknown.
enum Temuan {
    /// SI-ASN has it: the row id, or the document's `dok_uri`.
    Ada(String),
    /// SI-ASN has no trace of it: the send did not apply.
    Tidak,
    /// The read failed; nothing can be concluded.
    Galat(String),
}

impl Kiriman<'_> {
    /// Pushes the local jabatan rows of one pegawai document (its JSON as the hub holds it).
    async fn pegawai(&mut self, document: &Value) -> Result<(), SiasnError> {
        self.catat_dilewati(document);
        let rows: Vec<&Value> = document
            .get("riwayat_jabatan")
            .and_then(Value::as_array)
            .map(|rows| rows.iter().filter(|row| id_lokal(row).is_some()).collect())
            .unwrap_or_default();
        if rows.is_empty() {
            return Ok(());
        }
        let utama: Option<DataUtama> =
            document.get("data_utama").and_then(|utama| serde_json::from_value(utama.clone()).ok());
        for value in rows {
            let baris = id_lokal(value).unwrap_or_default().to_owned();
            let row: RiwayatJabatan = match serde_json::from_value(value.clone()) {
                Ok(row) => row,
                Err(error) => {
                    self.gagal(&baris, format!("baris riwayat jabatan tidak dapat dibaca ({error}); tidak dikirim"));
                    continue;
                }
            };
            let Some(utama) = &utama else {
                self.gagal(&baris, "data utama pegawai tidak dapat dibaca; baris tidak dikirim".into());
                continue;
            };
            if let Some(siasn_id) = self.baris(utama, &baris, &row).await? {
                for dok in &row.dokumen {
                    if let Some(berkas) = &dok.berkas {
                        self.dokumen(&baris, &siasn_id, dok, berkas).await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Lists rows with a local id in riwayat lists other than `riwayat_jabatan`.
    fn catat_dilewati(&mut self, document: &Value) {
        let Some(object) = document.as_object() else { return };
        for (list, rows) in object {
            if !list.starts_with("riwayat_") || list == "riwayat_jabatan" {
                continue;
            }
            let Some(rows) = rows.as_array() else { continue };
            for row in rows {
                if let Some(id) = id_lokal(row) {
                    let alasan = if list == "riwayat_golongan" {
                        "riwayat golongan tidak dapat dikirim lewat WS: lewat layanan BKN (kenaikan pangkat)"
                    } else {
                        "hub belum mengirim riwayat jenis ini ke SI-ASN; hanya riwayat jabatan"
                    };
                    self.laporan.dilewati.push((self.nip.to_owned(), format!("{list}.{id}"), alasan.to_owned()));
                }
            }
        }
    }

    /// Makes sure SI-ASN holds the row; returns its SI-ASN id, or `None` (reported) when it does not (yet).
    async fn baris(
        &mut self,
        utama: &DataUtama,
        baris: &str,
        row: &RiwayatJabatan,
    ) -> Result<Option<String>, SiasnError> {
        let nip = self.nip;
        match self.store.with_conn(|conn| keadaan_baris(conn, nip, baris))? {
            Some(Keadaan::Terkirim { siasn_id }) => {
                self.laporan.sudah += 1;
                return Ok(Some(siasn_id));
            }
            // A run before this one sent it (with the row as it was then) and never learnt the outcome.
            Some(Keadaan::Dikirim { kunci, sukses }) => match self.cari_baris(baris, &kunci).await {
                Temuan::Ada(siasn_id) => return self.diadopsi(baris, siasn_id).map(Some),
                // SI-ASN said it saved it: never sent again, whatever the list shows.
                Temuan::Tidak if sukses => {
                    let pesan = "SI-ASN menjawab sukses tanpa id baris dan barisnya belum tampak di rw-jabatan; \
                                 tidak dikirim ulang, dicocokkan lagi pada kiriman atau penarikan berikutnya";
                    self.menunggu(baris, pesan.to_owned());
                    return Ok(None);
                }
                // An earlier run did not learn the outcome and SI-ASN still shows nothing: sent again below.
                Temuan::Tidak => {}
                Temuan::Galat(pesan) => {
                    self.gagal(baris, format!("hasil kiriman sebelumnya belum diketahui dan {pesan}; dicoba lagi"));
                    return Ok(None);
                }
            },
            None => {}
        }
        let (path, body) = match badan_simpan(utama, row) {
            Ok(request) => request,
            Err(pesan) => {
                self.gagal(baris, pesan);
                return Ok(None);
            }
        };
        let kunci = Kunci::dari(row);
        // Sent once per run: an unknown outcome is checked, never resent in the same run.
        self.store.with_conn(|conn| tandai_dikirim(conn, nip, baris, &kunci))?;
        tracing::info!(nip, baris, path, "kirim riwayat jabatan ke SI-ASN");
        let jawaban = match self.client.post_json(path, &body).await {
            Err(error) if menghentikan(&error) => {
                // Not sent (no token) or refused at the gateway (401): nothing was written.
                self.store.with_conn(|conn| hapus_baris(conn, nip, baris))?;
                return Err(error);
            }
            jawaban => jawaban,
        };
        let hasil = hasil_simpan(jawaban);
        self.rw_jabatan = None;
        let (sebab, sukses) = match hasil {
            Hasil::Diterima(siasn_id) => {
                self.store.with_conn(|conn| tandai_terkirim(conn, nip, baris, &siasn_id))?;
                self.laporan.terkirim += 1;
                return Ok(Some(siasn_id));
            }
            Hasil::Ditolak(pesan) => {
                self.store.with_conn(|conn| hapus_baris(conn, nip, baris))?;
                self.gagal(baris, format!("ditolak SI-ASN: {pesan}"));
                return Ok(None);
            }
            Hasil::SuksesTanpaId(sebab) => {
                self.store.with_conn(|conn| tandai_sukses(conn, nip, baris))?;
                (sebab, true)
            }
            Hasil::TidakDiketahui(sebab) => (sebab, false),
        };
        tracing::warn!(nip, baris, sebab = %sebab, "hasil kiriman tidak pasti; periksa rw-jabatan");
        match self.cari_baris(baris, &kunci).await {
            Temuan::Ada(siasn_id) => self.diadopsi(baris, siasn_id).map(Some),
            Temuan::Tidak => {
                let lagi = if sukses {
                    "dicocokkan lagi"
                } else {
                    "diperiksa lagi (dan baru dikirim ulang bila tetap tidak ada)"
                };
                self.menunggu(
                    baris,
                    format!("{sebab}; baris belum tampak di rw-jabatan SI-ASN, tidak dikirim ulang, {lagi} pada kiriman atau penarikan berikutnya"),
                );
                Ok(None)
            }
            Temuan::Galat(pesan) => {
                self.gagal(
                    baris,
                    format!("hasil kiriman tidak pasti ({sebab}) dan {pesan}; diperiksa lagi pada kiriman berikutnya"),
                );
                Ok(None)
            }
        }
    }

    /// Records `siasn_id`, found in `rw-jabatan` after an unknown outcome, as the row's.
    fn diadopsi(&mut self, baris: &str, siasn_id: String) -> Result<String, SiasnError> {
        let nip = self.nip;
        self.store.with_conn(|conn| tandai_terkirim(conn, nip, baris, &siasn_id))?;
        tracing::info!(nip, baris, siasn_id = %siasn_id, "baris ditemukan di SI-ASN; id diambil, tidak dikirim ulang");
        self.laporan.terkirim += 1;
        self.laporan.diadopsi += 1;
        Ok(siasn_id)
    }

    /// Looks for the row in SI-ASN's `rw-jabatan`.
    async fn cari_baris(&mut self, baris: &str, kunci: &Kunci) -> Temuan {
        let nip = self.nip;
        let dipakai = match self.store.with_conn(|conn| id_terpakai(conn, nip, baris)) {
            Ok(dipakai) => dipakai,
            Err(error) => return Temuan::Galat(format!("status kiriman tidak dapat dibaca ({error})")),
        };
        let rows = match self.rw_jabatan().await {
            Ok(rows) => rows,
            Err(pesan) => return Temuan::Galat(pesan),
        };
        let dipakai: BTreeSet<&str> = dipakai.iter().map(String::as_str).collect();
        match cari_cocok(rows, kunci, &dipakai).and_then(|row| row.id.clone()) {
            Some(id) => Temuan::Ada(id),
            None => Temuan::Tidak,
        }
    }

    /// SI-ASN's `rw-jabatan` of this pegawai, read once per pegawai (and again after a send).
    async fn rw_jabatan(&mut self) -> Result<&[RiwayatJabatan], String> {
        if self.rw_jabatan.is_none() {
            self.rw_jabatan = Some(baca_rw_jabatan(self.client, self.nip).await?);
        }
        Ok(self.rw_jabatan.as_deref().unwrap_or_default())
    }

    /// Makes sure SI-ASN holds the document `dok` of the row `siasn_id`.
    async fn dokumen(
        &mut self,
        baris: &str,
        siasn_id: &str,
        dok: &DokumenRef,
        berkas: &BlobRef,
    ) -> Result<(), SiasnError> {
        let nip = self.nip;
        let label = format!("{baris}/{}", dok.dok_id);
        let key = KunciDokumen { nip, baris, dok_id: &dok.dok_id, sha256: &berkas.sha256 };
        let state = self.store.with_conn(|conn| keadaan_dokumen(conn, &key))?;
        let sebelum = match state {
            Some(KeadaanDokumen::Terkirim) => {
                self.laporan.dokumen_sudah += 1;
                return Ok(());
            }
            Some(KeadaanDokumen::Dikirim { sebelum }) => {
                match self.cari_dokumen(siasn_id, &dok.dok_id, sebelum.as_deref()).await {
                    Temuan::Ada(dok_uri) => return self.dokumen_ada(&key, &dok_uri),
                    Temuan::Tidak => {}
                    Temuan::Galat(pesan) => {
                        self.gagal(&label, format!("hasil unggah sebelumnya belum diketahui dan {pesan}; dicoba lagi"));
                        return Ok(());
                    }
                }
                sebelum
            }
            // The document SI-ASN had under this dok_id before: the entry's own (a file replaced in place), else
            // the last one this push uploaded for the row.
            None => match &dok.dok_uri {
                Some(uri) => Some(uri.clone()),
                None => self.store.with_conn(|conn| dok_uri_terakhir(conn, &key))?,
            },
        };
        let Some(hash) = sha256(&berkas.sha256) else {
            self.gagal(&label, format!("sha256 berkas {:?} tidak valid; dokumen tidak dikirim", berkas.sha256));
            return Ok(());
        };
        let bytes = match self.hub.blob_bytes(&hash) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                self.gagal(
                    &label,
                    "berkas belum lengkap di hub (perangkat belum selesai mengunggah); dicoba lagi".into(),
                );
                return Ok(());
            }
            Err(error) => {
                self.gagal(&label, format!("berkas tidak dapat dibaca dari hub ({error}); dicoba lagi"));
                return Ok(());
            }
        };
        let fields = [("id_riwayat", siasn_id.to_owned()), ("id_ref_dokumen", dok.dok_id.clone())];
        let nama = nama_berkas(berkas, &dok.dok_id);
        // Uploaded once per run: an unknown outcome is checked, never resent in the same run.
        self.store.with_conn(|conn| tandai_dokumen_dikirim(conn, &key, sebelum.as_deref()))?;
        tracing::info!(nip, baris, dok_id = %dok.dok_id, "unggah dokumen riwayat ke SI-ASN");
        let jawaban = match self.client.post_multipart(UNGGAH_DOKUMEN, &fields, &nama, &berkas.mime, bytes).await {
            Err(error) if menghentikan(&error) => {
                self.store.with_conn(|conn| hapus_dokumen(conn, &key))?;
                return Err(error);
            }
            jawaban => jawaban,
        };
        self.rw_jabatan = None;
        let sebab = match hasil_unggah(jawaban) {
            Hasil::Diterima(dok_uri) => return self.dokumen_ada(&key, &dok_uri),
            Hasil::Ditolak(pesan) => {
                self.store.with_conn(|conn| hapus_dokumen(conn, &key))?;
                self.gagal(&label, format!("unggah ditolak SI-ASN: {pesan}"));
                return Ok(());
            }
            Hasil::TidakDiketahui(sebab) | Hasil::SuksesTanpaId(sebab) => sebab,
        };
        tracing::warn!(nip, baris, dok_id = %dok.dok_id, sebab = %sebab, "hasil unggah tidak diketahui");
        match self.cari_dokumen(siasn_id, &dok.dok_id, sebelum.as_deref()).await {
            Temuan::Ada(dok_uri) => self.dokumen_ada(&key, &dok_uri),
            Temuan::Tidak => {
                self.menunggu(
                    &label,
                    format!("{sebab}; dokumen belum tampak di SI-ASN, tidak diunggah ulang, diperiksa lagi pada kiriman berikutnya"),
                );
                Ok(())
            }
            Temuan::Galat(pesan) => {
                self.gagal(
                    &label,
                    format!(
                        "hasil unggah tidak diketahui ({sebab}) dan {pesan}; diperiksa lagi pada kiriman berikutnya"
                    ),
                );
                Ok(())
            }
        }
    }

    fn dokumen_ada(&mut self, key: &KunciDokumen<'_>, dok_uri: &str) -> Result<(), SiasnError> {
        self.store.with_conn(|conn| tandai_dokumen_terkirim(conn, key, dok_uri))?;
        self.laporan.dokumen += 1;
        Ok(())
    }

    /// Looks for the document in the row's `path` at SI-ASN: present, and not the one seen before the upload.
    async fn cari_dokumen(&mut self, siasn_id: &str, dok_id: &str, sebelum: Option<&str>) -> Temuan {
        let rows = match self.rw_jabatan().await {
            Ok(rows) => rows,
            Err(pesan) => return Temuan::Galat(pesan),
        };
        let Some(row) = rows.iter().find(|row| row.id.as_deref() == Some(siasn_id)) else {
            return Temuan::Galat(format!("baris {siasn_id} tidak ada di rw-jabatan SI-ASN"));
        };
        let found = row.dokumen.iter().find(|dok| dok.dok_id == dok_id && dok.dok_uri.as_deref() != sebelum);
        match found {
            Some(dok) => Temuan::Ada(dok.dok_uri.clone().or_else(|| dok.object.clone()).unwrap_or_default()),
            None => Temuan::Tidak,
        }
    }

    fn menunggu(&mut self, baris: &str, pesan: String) {
        tracing::warn!(nip = self.nip, baris, pesan = %pesan, "kiriman ke SI-ASN menunggu kepastian");
        self.laporan.menunggu.push((self.nip.to_owned(), baris.to_owned(), pesan));
    }

    fn gagal(&mut self, baris: &str, pesan: String) {
        tracing::warn!(nip = self.nip, baris, pesan = %pesan, "kiriman ke SI-ASN gagal");
        self.laporan.gagal.push((self.nip.to_owned(), baris.to_owned(), pesan));
    }
}

/// The row's id when it starts with [`ID_LOKAL`].
fn id_lokal(row: &Value) -> Option<&str> {
    row.get("id").and_then(Value::as_str).filter(|id| id.starts_with(ID_LOKAL))
}

/// The 32 bytes of a lower-case (or upper-case) hex SHA-256.
fn sha256(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(index * 2..index * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The file name sent with an upload: the officer's name for it when it is plain, else `<dok_id>.pdf`.
fn nama_berkas(berkas: &BlobRef, dok_id: &str) -> String {
    let name = berkas.name.trim();
    let plain = !name.is_empty()
        && name.len() <= 120
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '));
    if plain { name.to_owned() } else { format!("{dok_id}.pdf") }
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies and answers (pure)

/// The endpoint and JSON body that create `row` at SI-ASN (siasn-api.md §1.4 `/jabatan/save`, or
/// `/jabatan/unorjabatan/save` when the row has mutasi, penugasan or sub jabatan fields).
///
/// Dates `dd-mm-yyyy`; every id a string, `""` when unused; `id` `""` (create); no `path` (documents follow through
/// `/upload-dok-rw`). `pnsId` comes from data utama; `instansiId` and `satuanKerjaId` from data utama, else the row.
///
/// # Errors
/// A message naming what is missing when the row cannot be sent: `pnsId`, `unorId`, `jenisJabatan`, `tmtJabatan`,
/// `nomorSk`, or the jabatan id its jenis needs.
pub(crate) fn badan_simpan(utama: &DataUtama, row: &RiwayatJabatan) -> Result<(&'static str, Value), String> {
    let teks = |value: &Option<String>| value.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let tanggal = |value: Option<model::date::Tanggal>| value.map(model::date::format_dmy).unwrap_or_default();
    let pns_id = utama.pns_id.as_ref().map(|id| id.as_str().trim().to_owned()).unwrap_or_default();
    let instansi_id = [&utama.instansi_kerja_id, &utama.instansi_induk_id, &row.instansi_kerja_id]
        .into_iter()
        .map(teks)
        .find(|id| !id.is_empty())
        .unwrap_or_default();
    let satuan_kerja_id = [&utama.satuan_kerja_kerja_id, &utama.satuan_kerja_induk_id, &row.satuan_kerja_id]
        .into_iter()
        .map(teks)
        .find(|id| !id.is_empty())
        .unwrap_or_default();
    let jenis = teks(&row.jenis_jabatan_id);
    let mut kurang = Vec::new();
    for (name, value) in [
        ("pnsId (data utama)", &pns_id),
        ("unorId", &teks(&row.unor_id)),
        ("jenisJabatan", &jenis),
        ("tmtJabatan", &tanggal(row.tmt_jabatan)),
        ("nomorSk", &teks(&row.nomor_sk)),
    ] {
        if value.is_empty() {
            kurang.push(name);
        }
    }
    match jenis.as_str() {
        "2" if teks(&row.jabatan_fungsional_id).is_empty() => kurang.push("jabatanFungsionalId"),
        "4" if teks(&row.jabatan_fungsional_umum_id).is_empty() => kurang.push("jabatanFungsionalUmumId"),
        "1" | "2" | "4" | "" => {}
        _ => return Err(format!("jenisJabatan {jenis:?} tidak dikenal (1 struktural, 2 JFT, 4 JFU); tidak dikirim")),
    }
    if !kurang.is_empty() {
        return Err(format!("baris belum lengkap, tidak dikirim: {} kosong", kurang.join(", ")));
    }
    let mut body = Map::new();
    let mut put = |key: &str, value: String| {
        body.insert(key.to_owned(), Value::String(value));
    };
    put("id", String::new());
    put("pnsId", pns_id);
    put("instansiId", instansi_id);
    put("satuanKerjaId", satuan_kerja_id);
    put("unorId", teks(&row.unor_id));
    put("eselonId", if jenis == "1" { teks(&row.eselon_id) } else { String::new() });
    put("jenisJabatan", jenis.clone());
    put("jabatanFungsionalId", if jenis == "2" { teks(&row.jabatan_fungsional_id) } else { String::new() });
    put("jabatanFungsionalUmumId", if jenis == "4" { teks(&row.jabatan_fungsional_umum_id) } else { String::new() });
    put("nomorSk", teks(&row.nomor_sk));
    put("tanggalSk", tanggal(row.tanggal_sk));
    put("tmtJabatan", tanggal(row.tmt_jabatan));
    put("tmtPelantikan", tanggal(row.tmt_pelantikan));
    let unor_jabatan = [&row.jenis_mutasi_id, &row.jenis_penugasan_id, &row.sub_jabatan_id]
        .into_iter()
        .any(|value| !teks(value).is_empty())
        || row.tmt_mutasi.is_some();
    if !unor_jabatan {
        return Ok((SIMPAN_JABATAN, Value::Object(body)));
    }
    put("jenisMutasiId", teks(&row.jenis_mutasi_id));
    put("jenisPenugasanId", teks(&row.jenis_penugasan_id));
    put("subJabatanId", teks(&row.sub_jabatan_id));
    put("tmtMutasi", tanggal(row.tmt_mutasi));
    put("instansiIndukId", teks(&utama.instansi_induk_id));
    Ok((SIMPAN_UNOR_JABATAN, Value::Object(body)))
}

/// Reads the answer to a save (siasn-api.md §1.5): `success:true` with `mapData.rwJabatanId`, or `success:false`
/// with the reason in `mapData` or `data` (when a string) or `message`.
pub(crate) fn hasil_simpan(jawaban: Result<Jawaban, SiasnError>) -> Hasil {
    let jawaban = match jawaban {
        Ok(jawaban) => jawaban,
        Err(error) => return hasil_galat(error),
    };
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(jawaban.body.trim_start_matches('\u{feff}')) else {
        return tanpa_json(&jawaban);
    };
    match sukses(&body) {
        Some(true) => {
            let id = member(&body, "mapData")
                .and_then(|map| member_of(map, "rwJabatanId"))
                .and_then(teks_id)
                .filter(|id| !id.is_empty());
            match id {
                Some(id) => Hasil::Diterima(id),
                None => Hasil::SuksesTanpaId("SI-ASN menjawab sukses tanpa mapData.rwJabatanId".into()),
            }
        }
        Some(false) => Hasil::Ditolak(pesan_galat(&body)),
        None => tanpa_sukses(&jawaban, &body),
    }
}

/// Reads the answer to an upload (siasn-api.md §1.5 "Upload"): `data: {dok_id, dok_nama, dok_uri, object, slug}`.
pub(crate) fn hasil_unggah(jawaban: Result<Jawaban, SiasnError>) -> Hasil {
    let jawaban = match jawaban {
        Ok(jawaban) => jawaban,
        Err(error) => return hasil_galat(error),
    };
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(jawaban.body.trim_start_matches('\u{feff}')) else {
        return tanpa_json(&jawaban);
    };
    let code_nol = member(&body, "code").and_then(teks_id).is_some_and(|code| code == "0");
    if sukses(&body) == Some(false) || (code_nol && jawaban.status < 500) {
        return Hasil::Ditolak(pesan_galat(&body));
    }
    if let Some(Value::Object(data)) = member(&body, "data")
        && jawaban.status < 300
    {
        let uri = ["dok_uri", "object", "dokUri"].iter().find_map(|key| member(data, key).and_then(teks_id));
        return Hasil::Diterima(uri.unwrap_or_default());
    }
    tanpa_sukses(&jawaban, &body)
}

/// Whether a client error will make every request of the run fail, so the run stops: the SSO token expired, a
/// token cannot be fetched, or SI-ASN refuses renewed tokens. None of them wrote anything at SI-ASN.
pub(crate) fn menghentikan(error: &SiasnError) -> bool {
    matches!(
        error,
        SiasnError::SsoKedaluwarsa { .. }
            | SiasnError::TokenApim { .. }
            | SiasnError::TokenSso { .. }
            | SiasnError::Otentikasi { .. }
    )
}

/// A client error: an unknown outcome when the request may have reached SI-ASN, otherwise nothing was sent (the
/// state stays `dikirim` either way and is checked before the next send, so the difference only shapes the text).
fn hasil_galat(error: SiasnError) -> Hasil {
    Hasil::TidakDiketahui(error.to_string())
}

/// An answer that is not a JSON object: a gateway page or an error text.
fn tanpa_json(jawaban: &Jawaban) -> Hasil {
    let excerpt: String = jawaban.body.chars().take(200).collect();
    if (400..500).contains(&jawaban.status) {
        Hasil::Ditolak(format!("HTTP {}: {excerpt}", jawaban.status))
    } else {
        Hasil::TidakDiketahui(format!("HTTP {} tanpa JSON: {excerpt}", jawaban.status))
    }
}

/// A JSON answer without `success`: a 4xx envelope (WSO2 `{code,message,description}`, 404 `code 0`) is a refusal;
/// anything else (5xx, an unexpected 2xx) leaves the outcome unknown.
fn tanpa_sukses(jawaban: &Jawaban, body: &Map<String, Value>) -> Hasil {
    if (400..500).contains(&jawaban.status) {
        return Hasil::Ditolak(format!("HTTP {}: {}", jawaban.status, pesan_galat(body)));
    }
    let pesan = match open_envelope(&jawaban.body) {
        Envelope::Error(text) => text,
        _ => pesan_galat(body),
    };
    Hasil::TidakDiketahui(format!("HTTP {}: {pesan}", jawaban.status))
}

/// `success` as a boolean (`true`, `"true"`, `1`), if present.
fn sukses(body: &Map<String, Value>) -> Option<bool> {
    match member(body, "success")? {
        Value::Bool(value) => Some(*value),
        Value::String(text) => Some(text.trim().eq_ignore_ascii_case("true") || text.trim() == "1"),
        Value::Number(number) => Some(number.as_i64() == Some(1)),
        _ => None,
    }
}

/// The reason SI-ASN gave: a string `mapData` or `data` first (as S1 reads it), then `message`, `Message`,
/// `description`.
fn pesan_galat(body: &Map<String, Value>) -> String {
    let text = ["mapData", "data", "message", "description", "error"]
        .iter()
        .find_map(|key| member(body, key).and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()));
    text.map_or_else(|| "tanpa pesan".to_owned(), |text| text.chars().take(300).collect())
}

/// The member `name` of `body`, matched case-insensitively (SI-ASN mixes `Message` and `message`).
fn member<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).or_else(|| body.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value))
}

fn member_of<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.as_object().and_then(|object| member(object, name))
}

/// An id sent as a string or a number, as a string.
fn teks_id(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Reads SI-ASN's `rw-jabatan` of `nip`; a 404 `code 0` is an empty list.
async fn baca_rw_jabatan(client: &SiasnClient, nip: &str) -> Result<Vec<RiwayatJabatan>, String> {
    let path = format!("/pns/{JENIS}/{nip}");
    let jawaban = client.get(&path, &[]).await.map_err(|error| format!("rw-jabatan tidak dapat dibaca ({error})"))?;
    match open_envelope(&jawaban.body) {
        Envelope::NotFound if jawaban.status < 500 => Ok(Vec::new()),
        Envelope::Data(_) if jawaban.status < 300 => {
            let mut warnings = Vec::new();
            Ok(decode_riwayat::<RiwayatJabatan>(&jawaban.body, &Nip::new(nip), &mut warnings))
        }
        Envelope::Error(text) => Err(format!("rw-jabatan tidak dapat dibaca (HTTP {}: {text})", jawaban.status)),
        _ => Err(format!("rw-jabatan tidak dapat dibaca (HTTP {})", jawaban.status)),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

/// What identifies a row at SI-ASN when its id is not known: nomor SK, TMT jabatan, and the jabatan id its jenis
/// uses (JF id, JFU id, or the unor of a struktural jabatan). Kept with a `dikirim` state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Kunci {
    /// Nomor SK, as the row has it.
    pub(crate) nomor_sk: String,
    /// TMT jabatan, `yyyy-mm-dd`.
    pub(crate) tmt_jabatan: Option<model::date::Tanggal>,
    /// The jabatan id, when the row has one.
    pub(crate) jabatan_id: Option<String>,
}

impl Kunci {
    pub(crate) fn dari(row: &RiwayatJabatan) -> Kunci {
        Kunci {
            nomor_sk: row.nomor_sk.clone().unwrap_or_default(),
            tmt_jabatan: row.tmt_jabatan,
            jabatan_id: id_jabatan(row).map(str::to_owned),
        }
    }

    /// Whether `row` (from SI-ASN) is this one: same nomor SK (spaces and ASCII case aside), same TMT jabatan, and
    /// the same jabatan id when both have one. A key without nomor SK or TMT matches nothing.
    pub(crate) fn cocok(&self, row: &RiwayatJabatan) -> bool {
        let nomor = normal(&self.nomor_sk);
        if nomor.is_empty() || self.tmt_jabatan.is_none() {
            return false;
        }
        if normal(row.nomor_sk.as_deref().unwrap_or_default()) != nomor || row.tmt_jabatan != self.tmt_jabatan {
            return false;
        }
        match (&self.jabatan_id, id_jabatan(row)) {
            (Some(ours), Some(theirs)) => ours == theirs,
            _ => true,
        }
    }
}

/// The jabatan id a row's jenis uses: JF (`2`), JFU (`4`), else the unor of a struktural jabatan.
fn id_jabatan(row: &RiwayatJabatan) -> Option<&str> {
    let id = match row.jenis_jabatan_id.as_deref().map(str::trim) {
        Some("2") => row.jabatan_fungsional_id.as_deref(),
        Some("4") => row.jabatan_fungsional_umum_id.as_deref(),
        _ => row.unor_id.as_deref(),
    };
    id.map(str::trim).filter(|id| !id.is_empty())
}

/// Upper case, runs of whitespace as one space, trimmed.
fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_uppercase()
}

/// The first row of `rows` matching `kunci` whose id is not in `dipakai` (ids other local rows already own).
pub(crate) fn cari_cocok<'r>(
    rows: &'r [RiwayatJabatan],
    kunci: &Kunci,
    dipakai: &BTreeSet<&str>,
) -> Option<&'r RiwayatJabatan> {
    rows.iter()
        .find(|row| row.id.as_deref().is_some_and(|id| !id.is_empty() && !dipakai.contains(id)) && kunci.cocok(row))
}

// ---------------------------------------------------------------------------------------------------------------
// State (siasn.sqlite)

/// The push state tables, created on first use.
const SKEMA: &str = "
CREATE TABLE IF NOT EXISTS siasn_kirim (
    nip TEXT NOT NULL,
    jenis TEXT NOT NULL,            -- the rw-* endpoint: 'rw-jabatan'
    baris TEXT NOT NULL,            -- the local row id (lokal-…)
    keadaan TEXT NOT NULL CHECK (keadaan IN ('dikirim', 'terkirim')),
    siasn_id TEXT,                  -- the SI-ASN row id, once terkirim
    kunci TEXT NOT NULL,            -- JSON: nomor SK, TMT jabatan, jabatan id (to find the row after a lost answer)
    diubah INTEGER NOT NULL,        -- unix ms
    sukses INTEGER NOT NULL DEFAULT 0, -- 1: SI-ASN answered success without the row id (never sent again)
    PRIMARY KEY (nip, jenis, baris)
);
CREATE TABLE IF NOT EXISTS siasn_kirim_dokumen (
    nip TEXT NOT NULL,
    jenis TEXT NOT NULL,
    baris TEXT NOT NULL,
    dok_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,           -- the local file (lower-case hex)
    keadaan TEXT NOT NULL CHECK (keadaan IN ('dikirim', 'terkirim')),
    sebelum TEXT,                   -- dok_uri of path[dok_id] before the upload, if any
    dok_uri TEXT,                   -- dok_uri at SI-ASN, once terkirim
    diubah INTEGER NOT NULL,
    PRIMARY KEY (nip, jenis, baris, dok_id, sha256)
);
";

pub(crate) fn buat_tabel(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SKEMA)?;
    // A table made before `sukses` existed gets it.
    let ada: bool =
        conn.query_row("SELECT count(*) > 0 FROM pragma_table_info('siasn_kirim') WHERE name = 'sukses'", [], |row| {
            row.get(0)
        })?;
    if !ada {
        conn.execute_batch("ALTER TABLE siasn_kirim ADD COLUMN sukses INTEGER NOT NULL DEFAULT 0")?;
    }
    Ok(())
}

/// The state of one row's send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Keadaan {
    /// Sent (or about to be), outcome not recorded. `sukses`: SI-ASN answered success without the row id, so it
    /// is never sent again.
    Dikirim { kunci: Kunci, sukses: bool },
    /// SI-ASN holds it under `siasn_id`.
    Terkirim { siasn_id: String },
}

fn baca_keadaan(keadaan: &str, siasn_id: Option<String>, kunci: &str, sukses: bool) -> Keadaan {
    match (keadaan, siasn_id) {
        ("terkirim", Some(siasn_id)) if !siasn_id.is_empty() => Keadaan::Terkirim { siasn_id },
        // A key that no longer parses matches nothing: the row is sent again, as after a refusal.
        _ => Keadaan::Dikirim {
            kunci: serde_json::from_str(kunci).unwrap_or(Kunci {
                nomor_sk: String::new(),
                tmt_jabatan: None,
                jabatan_id: None,
            }),
            sukses,
        },
    }
}

pub(crate) fn keadaan_baris(conn: &Connection, nip: &str, baris: &str) -> rusqlite::Result<Option<Keadaan>> {
    conn.query_row(
        "SELECT keadaan, siasn_id, kunci, sukses FROM siasn_kirim WHERE nip = ?1 AND jenis = ?2 AND baris = ?3",
        params![nip, JENIS, baris],
        |row| Ok(baca_keadaan(&row.get::<_, String>(0)?, row.get(1)?, &row.get::<_, String>(2)?, row.get(3)?)),
    )
    .optional()
}

/// Every row state of `nip`, by local row id.
fn keadaan_baris_nip(conn: &Connection, nip: &str) -> rusqlite::Result<BTreeMap<String, Keadaan>> {
    let mut statement = conn.prepare_cached(
        "SELECT baris, keadaan, siasn_id, kunci, sukses FROM siasn_kirim WHERE nip = ?1 AND jenis = ?2",
    )?;
    let rows = statement.query_map(params![nip, JENIS], |row| {
        let keadaan = baca_keadaan(&row.get::<_, String>(1)?, row.get(2)?, &row.get::<_, String>(3)?, row.get(4)?);
        Ok((row.get::<_, String>(0)?, keadaan))
    })?;
    rows.collect()
}

/// SI-ASN ids already recorded for `nip`'s rows other than `baris`.
fn id_terpakai(conn: &Connection, nip: &str, baris: &str) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT siasn_id FROM siasn_kirim WHERE nip = ?1 AND jenis = ?2 AND baris <> ?3 AND siasn_id IS NOT NULL",
    )?;
    let rows = statement.query_map(params![nip, JENIS, baris], |row| row.get(0))?;
    rows.collect()
}

/// Runs `write` with `synchronous=FULL`, then puts the connection's setting back: a `dikirim` state must survive a
/// power cut, not only a killed process (the store runs WAL with `synchronous=NORMAL`, which may lose the last
/// commits when the machine stops).
fn tahan_lama(conn: &Connection, write: impl FnOnce() -> rusqlite::Result<()>) -> rusqlite::Result<()> {
    let before: i64 = conn.pragma_query_value(None, "synchronous", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let result = write();
    conn.pragma_update(None, "synchronous", before)?;
    result
}

pub(crate) fn tandai_dikirim(conn: &Connection, nip: &str, baris: &str, kunci: &Kunci) -> rusqlite::Result<()> {
    let kunci = serde_json::to_string(kunci).unwrap_or_else(|_| "{}".into());
    tahan_lama(conn, || write_dikirim(conn, nip, baris, &kunci))
}

fn write_dikirim(conn: &Connection, nip: &str, baris: &str, kunci: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO siasn_kirim (nip, jenis, baris, keadaan, siasn_id, kunci, diubah)
         VALUES (?1, ?2, ?3, 'dikirim', NULL, ?4, ?5)
         ON CONFLICT (nip, jenis, baris) DO UPDATE SET keadaan = 'dikirim', siasn_id = NULL, kunci = excluded.kunci,
             diubah = excluded.diubah, sukses = 0",
        params![nip, JENIS, baris, kunci, chrono::Utc::now().timestamp_millis()],
    )?;
    Ok(())
}

/// Records that SI-ASN answered success without the row id: the row stays `dikirim` and is never sent again.
pub(crate) fn tandai_sukses(conn: &Connection, nip: &str, baris: &str) -> rusqlite::Result<()> {
    tahan_lama(conn, || {
        conn.execute(
            "UPDATE siasn_kirim SET sukses = 1, diubah = ?4 WHERE nip = ?1 AND jenis = ?2 AND baris = ?3",
            params![nip, JENIS, baris, chrono::Utc::now().timestamp_millis()],
        )?;
        Ok(())
    })
}

fn tandai_terkirim(conn: &Connection, nip: &str, baris: &str, siasn_id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE siasn_kirim SET keadaan = 'terkirim', siasn_id = ?4, diubah = ?5
         WHERE nip = ?1 AND jenis = ?2 AND baris = ?3",
        params![nip, JENIS, baris, siasn_id, chrono::Utc::now().timestamp_millis()],
    )?;
    Ok(())
}

fn hapus_baris(conn: &Connection, nip: &str, baris: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM siasn_kirim WHERE nip = ?1 AND jenis = ?2 AND baris = ?3", params![nip, JENIS, baris])?;
    Ok(())
}

/// One document upload: the row, the ref dokumen id and the file.
#[derive(Debug, Clone, Copy)]
struct KunciDokumen<'a> {
    nip: &'a str,
    baris: &'a str,
    dok_id: &'a str,
    sha256: &'a str,
}

/// The state of one document upload.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeadaanDokumen {
    /// Sent (or about to be); `sebelum` is the `dok_uri` SI-ASN had for it before.
    Dikirim { sebelum: Option<String> },
    /// SI-ASN holds it.
    Terkirim,
}

fn keadaan_dokumen(conn: &Connection, key: &KunciDokumen<'_>) -> rusqlite::Result<Option<KeadaanDokumen>> {
    conn.query_row(
        "SELECT keadaan, sebelum FROM siasn_kirim_dokumen
         WHERE nip = ?1 AND jenis = ?2 AND baris = ?3 AND dok_id = ?4 AND sha256 = ?5",
        params![key.nip, JENIS, key.baris, key.dok_id, key.sha256.to_ascii_lowercase()],
        |row| {
            Ok(match row.get::<_, String>(0)?.as_str() {
                "terkirim" => KeadaanDokumen::Terkirim,
                _ => KeadaanDokumen::Dikirim { sebelum: row.get(1)? },
            })
        },
    )
    .optional()
}

fn tandai_dokumen_dikirim(conn: &Connection, key: &KunciDokumen<'_>, sebelum: Option<&str>) -> rusqlite::Result<()> {
    tahan_lama(conn, || write_dokumen_dikirim(conn, key, sebelum))
}

fn write_dokumen_dikirim(conn: &Connection, key: &KunciDokumen<'_>, sebelum: Option<&str>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO siasn_kirim_dokumen (nip, jenis, baris, dok_id, sha256, keadaan, sebelum, dok_uri, diubah)
         VALUES (?1, ?2, ?3, ?4, ?5, 'dikirim', ?6, NULL, ?7)
         ON CONFLICT (nip, jenis, baris, dok_id, sha256) DO UPDATE SET keadaan = 'dikirim', dok_uri = NULL,
             diubah = excluded.diubah",
        params![
            key.nip,
            JENIS,
            key.baris,
            key.dok_id,
            key.sha256.to_ascii_lowercase(),
            sebelum,
            chrono::Utc::now().timestamp_millis()
        ],
    )?;
    Ok(())
}

fn tandai_dokumen_terkirim(conn: &Connection, key: &KunciDokumen<'_>, dok_uri: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE siasn_kirim_dokumen SET keadaan = 'terkirim', dok_uri = ?6, diubah = ?7
         WHERE nip = ?1 AND jenis = ?2 AND baris = ?3 AND dok_id = ?4 AND sha256 = ?5",
        params![
            key.nip,
            JENIS,
            key.baris,
            key.dok_id,
            key.sha256.to_ascii_lowercase(),
            dok_uri,
            chrono::Utc::now().timestamp_millis()
        ],
    )?;
    Ok(())
}

/// The `dok_uri` of the last upload recorded for the row's `dok_id` (any file).
fn dok_uri_terakhir(conn: &Connection, key: &KunciDokumen<'_>) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT dok_uri FROM siasn_kirim_dokumen
         WHERE nip = ?1 AND jenis = ?2 AND baris = ?3 AND dok_id = ?4 AND keadaan = 'terkirim' AND dok_uri IS NOT NULL
         ORDER BY diubah DESC LIMIT 1",
        params![key.nip, JENIS, key.baris, key.dok_id],
        |row| row.get(0),
    )
    .optional()
}

fn hapus_dokumen(conn: &Connection, key: &KunciDokumen<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM siasn_kirim_dokumen WHERE nip = ?1 AND jenis = ?2 AND baris = ?3 AND dok_id = ?4 AND sha256 = ?5",
        params![key.nip, JENIS, key.baris, key.dok_id, key.sha256.to_ascii_lowercase()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
