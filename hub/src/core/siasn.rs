//! What the SI-ASN gateway reads from the hub's own replica (the NIPs of an instansi, a pegawai document as JSON, a
//! blob's bytes) and the one thing it writes besides pegawai imports: SI-ASN's status of usulan at BKN
//! ([`Hub::catat_status_siasn`]).
//!
//! These are reads for the gateway's jobs, not for callers over HTTP: they take no [`super::Caller`] and check no
//! permission (the gateway runs as the hub itself). Pegawai writes go through [`Hub::import_pegawai`], so a pull is
//! one more hub-authored import and the feed announces it like any other; usulan status writes are hub-authored
//! changes with their own feed entries too. Nothing here calls SI-ASN.

use model::usulan::alur::{self, StatusUsulan};
use model::usulan::{JenisUsulan, StatusSiasn, Usulan};
use serde_json::Value;
use sync::wire::{DocId, RecordKind};

use super::cache::{CachedDocument, head_bytes};
use super::push::mark_stored;
use super::{Hub, HubError, SCOPE_PREFIX, lock, now_ms, valid_instansi};
use crate::storage::{Commit, DocumentWrite, LogAppend, LogBody, StateWrite};

impl Hub {
    /// The NIPs of every pegawai document of `instansi`'s scope, in NIP order.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an invalid instansi id; [`HubError::Storage`].
    pub fn pegawai_nips(&self, instansi: &str) -> Result<Vec<String>, HubError> {
        if !valid_instansi(instansi) {
            return Err(HubError::BadRequest(format!("id instansi {instansi:?} tidak valid")));
        }
        let scope = format!("{SCOPE_PREFIX}{instansi}");
        Ok(self.inner.storage.pegawai_nips(&scope)?.into_iter().map(|(nip, _)| nip).collect())
    }

    /// The pegawai document of `nip` in `instansi`'s scope as JSON (the shape of `model::Pegawai`, riwayat as
    /// lists), or `None` when the hub holds no such document there.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an invalid instansi id; [`HubError::Storage`] (also for a stored document that
    /// cannot be read).
    pub fn pegawai_json(&self, instansi: &str, nip: &str) -> Result<Option<Value>, HubError> {
        if !valid_instansi(instansi) {
            return Err(HubError::BadRequest(format!("id instansi {instansi:?} tidak valid")));
        }
        let scope = format!("{SCOPE_PREFIX}{instansi}");
        let inner = &self.inner;
        let Some((_, doc, found_scope)) = inner.storage.pegawai_by_nip(&[nip])?.into_iter().next() else {
            return Ok(None);
        };
        if found_scope != scope {
            return Ok(None);
        }
        let mut cache = lock(&inner.writer);
        let Some(cached) = cache.take(inner.storage.as_ref(), &doc, &inner.hub_actor)? else {
            return Ok(None);
        };
        let value = cached.doc.hydrate();
        cache.put(doc, cached);
        Ok(Some(value))
    }

    /// The bytes of the blob `sha256` (SHA-256 of its content), or `None` when the hub does not hold all of it.
    ///
    /// # Errors
    /// [`HubError::Storage`].
    pub fn blob_bytes(&self, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, HubError> {
        self.inner.storage.blob(sha256)
    }
}

/// One SI-ASN list item about an usulan at BKN, for [`Hub::catat_status_siasn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemStatusSiasn {
    /// The SI-ASN usulan id (`id` of the list item).
    pub id: String,
    /// The NIP the item is about.
    pub nip: String,
    /// Which of our jenis the list is about: [`JenisUsulan::KenaikanPangkat`] for `list-kp-instansi`,
    /// [`JenisUsulan::Pemberhentian`] for `list-pensiun-instansi`.
    pub jenis: JenisUsulan,
    /// The status to record (its `diperbarui` is set by the hub when it changes).
    pub status: StatusSiasn,
}

/// What [`Hub::catat_status_siasn`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaporanStatusSiasn {
    /// Usulan whose SI-ASN id or status changed.
    pub diperbarui: usize,
    /// Items whose usulan already carried the same status.
    pub sama: usize,
    /// Items no usulan of ours matches (an usulan made on SIASN web directly, or not yet forwarded here).
    pub tanpa_usulan: usize,
}

/// The commit message of the hub's change.
const MESSAGE: &str = "status usulan dari SI-ASN";

impl Hub {
    /// Copies SI-ASN's view of usulan at BKN onto the matching usulan documents of `instansi`'s scope, as changes by
    /// the hub's own actor (kewenangan `usulan.siasn_id` and `usulan.status_siasn`: nobody else writes them).
    ///
    /// An item matches the usulan whose `siasn_id` is the item's id; failing that, the newest usulan of the item's
    /// jenis that names the item's NIP, has reached BKN for it (diteruskan or later in the local workflow's fold) and
    /// has no `siasn_id` yet, which then gets it. An item whose status equals what the usulan holds writes nothing,
    /// so a repeated pull adds no change. Nothing is taken from the local workflow: the fold stays the officers'
    /// record, SI-ASN's status sits beside it.
    ///
    /// # Errors
    /// [`HubError::BadRequest`] for an invalid instansi id; [`HubError::Storage`].
    pub fn catat_status_siasn(
        &self,
        instansi: &str,
        items: &[ItemStatusSiasn],
        now_rfc3339: &str,
    ) -> Result<LaporanStatusSiasn, HubError> {
        if !valid_instansi(instansi) {
            return Err(HubError::BadRequest(format!("id instansi {instansi:?} tidak valid")));
        }
        let scope = format!("{SCOPE_PREFIX}{instansi}");
        let inner = &self.inner;
        // The scope's usulan, read once: (doc, usulan), newest document first (UUIDv7 ids sort by time).
        let mut usulan: Vec<(DocId, Usulan)> = Vec::new();
        inner.storage.scope_documents(&scope, &mut |stored| {
            if stored.record != RecordKind::Usulan {
                return Ok(());
            }
            // An unreadable usulan is left alone here; the feed and repair report it elsewhere.
            if let Ok(loaded) = sync::Document::load(&stored.bytes)
                && let Ok(value) = serde_json::from_value::<Usulan>(loaded.hydrate())
            {
                usulan.push((stored.doc, value));
            }
            Ok(())
        })?;
        usulan.sort_by_key(|(doc, _)| std::cmp::Reverse(*doc));
        let mut laporan = LaporanStatusSiasn::default();
        let mut wanted: Vec<(DocId, String, StatusSiasn)> = Vec::new();
        for item in items {
            let by_id = usulan.iter().position(|(_, u)| u.siasn_id.as_deref() == Some(item.id.as_str()));
            let found = by_id.or_else(|| {
                usulan.iter().position(|(_, u)| {
                    u.jenis == item.jenis
                        && u.siasn_id.is_none()
                        && u.pegawai.iter().any(|p| p.nip.as_str() == item.nip)
                        && reached_bkn(u, &item.nip)
                })
            });
            let Some(index) = found else {
                laporan.tanpa_usulan += 1;
                continue;
            };
            let (doc, current) = &mut usulan[index];
            let same = current.siasn_id.as_deref() == Some(item.id.as_str())
                && current.status_siasn.as_ref().is_some_and(|status| same_status(status, &item.status));
            if same {
                laporan.sama += 1;
                continue;
            }
            // Later items for the same usulan see this one's id, so one usulan never takes two SI-ASN ids.
            current.siasn_id = Some(item.id.clone());
            current.status_siasn = Some(item.status.clone());
            wanted.retain(|(other, _, _)| other != doc);
            wanted.push((
                *doc,
                item.id.clone(),
                StatusSiasn { diperbarui: now_rfc3339.to_owned(), ..item.status.clone() },
            ));
        }
        if wanted.is_empty() {
            return Ok(laporan);
        }
        let now = now_ms();
        let mut cache = lock(&inner.writer);
        let mut commit = Commit { documents: Vec::new(), log: Vec::new() };
        let mut written: Vec<(DocId, CachedDocument)> = Vec::new();
        for (doc, id, status) in wanted {
            let Some(mut cached) = cache.take(inner.storage.as_ref(), &doc, &inner.hub_actor)? else { continue };
            let mut value = cached.doc.hydrate();
            if let Value::Object(map) = &mut value {
                map.insert("siasn_id".to_owned(), Value::String(id));
                let status = serde_json::to_value(&status)
                    .map_err(|error| HubError::Storage(format!("status SI-ASN tidak dapat diubah ke JSON: {error}")))?;
                map.insert("status_siasn".to_owned(), status);
            }
            let hash = cached
                .doc
                .reconcile(&value, Some(MESSAGE), now)
                .map_err(|error| HubError::Storage(format!("usulan tidak dapat ditulis: {error}")))?;
            let Some((hash, raw)) = hash.and_then(|hash| Some((hash, cached.doc.change_bytes(&hash)?))) else {
                cache.put(doc, cached);
                continue;
            };
            laporan.diperbarui += 1;
            commit.log.push(LogAppend {
                scope: scope.clone(),
                doc,
                record: RecordKind::Usulan,
                body: LogBody::Changes(vec![raw]),
                heads_after: head_bytes(&cached.doc.heads()),
                change_hashes: vec![hash.0],
            });
            commit.documents.push(DocumentWrite {
                doc,
                scope: scope.clone(),
                record: RecordKind::Usulan,
                nip: None,
                state: StateWrite::Save(cached.doc.save_uncompressed()),
                heads: head_bytes(&cached.doc.heads()),
                blob_refs: Some(super::paths::blob_refs(&value)),
            });
            written.push((doc, cached));
        }
        if commit.log.is_empty() {
            return Ok(laporan);
        }
        let seqs = inner.storage.commit(&commit)?;
        for (write, (doc, mut cached)) in commit.documents.iter().zip(written) {
            mark_stored(&mut cached, &write.state);
            cache.put(doc, cached);
        }
        drop(cache);
        if let Some(&last) = seqs.last() {
            inner.changed.send_replace(last);
        }
        Ok(laporan)
    }
}

/// Whether the local workflow has the usulan at BKN for `nip`: forwarded, decided by BKN or with its SK.
fn reached_bkn(usulan: &Usulan, nip: &str) -> bool {
    let keadaan = alur::keadaan(usulan);
    let status = keadaan.per_nip.get(nip).copied().unwrap_or(keadaan.status);
    matches!(status, StatusUsulan::DiteruskanKeBkn | StatusUsulan::Disetujui | StatusUsulan::SkTerbit)
}

/// The same status, whenever the hub noted it.
fn same_status(a: &StatusSiasn, b: &StatusSiasn) -> bool {
    StatusSiasn { diperbarui: String::new(), ..a.clone() } == StatusSiasn { diperbarui: String::new(), ..b.clone() }
}
