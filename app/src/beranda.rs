//! The dashboard (Beranda): pegawai counts by jenis ASN, golongan, pendidikan and age band, KP reguler due at the
//! next KP period, TMT pensiun within 12 months, IKD anomalies by code, and the sync state.
//!
//! Each figure is the same query as the matching Pegawai filter (`store::query::facets` with `kp_pada` /
//! `bup_dalam_bulan` / `ada_anomali`), so a click through to the list shows exactly the counted pegawai; the rest
//! comes from `store::ringkasan`. Labels are the reference data's (`model::referensi`).
//!
//! Kept between calls (`crate::cache`) while the replica does not change and the day stays the same: a second
//! visit does not scan the replica again. The sync state is read fresh on every call.

use std::sync::Arc;

use model::referensi::referensi;
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::error::AppError;
use crate::pegawai::{Hitung, golongan, hitung, ikd_penjelasan, jenis_asn, label};
use crate::sinkron::SinkronStatus;

/// The horizon of the "BUP within" figure, in months.
pub const BUP_BULAN: u32 = 12;

/// Pegawai with one IKD code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AnomaliKode {
    /// Code (`COM_1`, `TIM_5`, …).
    pub kode: String,
    /// What it means.
    pub penjelasan: String,
    /// Pegawai with it today.
    pub jumlah: i64,
}

/// The dashboard's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Beranda {
    /// Pegawai in the replica.
    pub total: i64,
    /// By jenis ASN.
    pub per_jenis_asn: Vec<Hitung>,
    /// By golongan (label `"III/a"`), in golongan order.
    pub per_golongan: Vec<Hitung>,
    /// By tingkat pendidikan.
    pub per_pendidikan: Vec<Hitung>,
    /// By age band (`<30`, `30-39`, `40-49`, `50-54`, `55-59`, `>=60`, and `?` when some tgl lahir is unknown).
    pub per_usia: Vec<Hitung>,
    /// The next KP period date (`yyyy-mm-dd`).
    pub kp_periode: String,
    /// Pegawai who may get KP reguler at that period (4 years in pangkat by then, not barred, not retired).
    pub kp_jatuh_tempo: i64,
    /// Pegawai whose TMT pensiun is within [`BUP_BULAN`] months (past ones still in the data included).
    pub bup_12_bulan: i64,
    /// Pegawai with at least one IKD anomaly today.
    pub anomali_pegawai: i64,
    /// Pegawai per IKD code, most frequent first.
    pub anomali_per_kode: Vec<AnomaliKode>,
    /// The sync state.
    pub sinkron: SinkronStatus,
}

fn usia_label(key: &str) -> String {
    match key {
        "<30" => "di bawah 30".to_owned(),
        ">=60" => "60 ke atas".to_owned(),
        "?" => "tidak diketahui".to_owned(),
        other => other.replace('-', "–"),
    }
}

impl AppContext {
    /// `beranda`: the dashboard for today (see the module doc).
    ///
    /// # Errors
    /// [`crate::error::KodeGalat::BelumMasuk`] without a replica; replica errors.
    pub async fn beranda(self: &Arc<Self>) -> Result<Beranda, AppError> {
        self.blocking(|context| {
            let replica = context.replica(false)?;
            // Kept while the replica does not change; the sync status is read fresh on every call.
            let key = context.cache_key(&replica)?;
            let mut beranda = context.cache.beranda.get_or_compute(key, || context.beranda_now(&replica))?;
            beranda.sinkron = context.status_now()?;
            Ok(beranda)
        })
        .await
    }

    /// The dashboard computed from the replica (the `beranda` kept in [`crate::cache`]).
    fn beranda_now(&self, replica: &store::Replica) -> Result<Beranda, AppError> {
        // Shared with the filter panel of the Pegawai screen (`pegawai_facets` of the empty filter).
        let all = self.facets_semua(replica)?;
        let reader = replica.reader()?;
        let today = self.today();
        let kp_periode = referensi().tmt_kp_berikutnya(today);
        let due = store::query::Filter { kp_pada: Some(kp_periode), ..store::query::Filter::default() };
        let kp_jatuh_tempo = store::query::facets(&reader, &due, today)?.total;
        let bup = store::query::Filter { bup_dalam_bulan: Some(BUP_BULAN), ..store::query::Filter::default() };
        let bup_12_bulan = store::query::facets(&reader, &bup, today)?.total;
        let mut per_golongan = all.golongan;
        per_golongan.sort_by_key(|(id, _)| referensi().golongan_urutan(id).unwrap_or(u8::MAX));
        let anomali_per_kode = store::ringkasan::anomali_per_kode(&reader, today)?
            .into_iter()
            .map(|(kode, stored, jumlah)| AnomaliKode { penjelasan: ikd_penjelasan(&kode, &stored), kode, jumlah })
            .collect();
        Ok(Beranda {
            total: all.total,
            per_jenis_asn: hitung(all.jenis_asn, jenis_asn),
            per_golongan: hitung(per_golongan, golongan),
            per_pendidikan: hitung(store::ringkasan::per_pendidikan(&reader)?, |id| label("tingkat-pendidikan", id)),
            per_usia: hitung(store::ringkasan::per_usia(&reader, today)?, usia_label),
            kp_periode: kp_periode.to_string(),
            kp_jatuh_tempo,
            bup_12_bulan,
            anomali_pegawai: all.ada_anomali,
            anomali_per_kode,
            sinkron: self.status_now()?,
        })
    }
}
