//! Whole-replica aggregates kept between calls: the counts of the empty filter (Beranda and the Pegawai filter
//! panel), the unor tree, the dashboard and the total of the unfiltered list. Each is valid while the replica's
//! [`store::Versi`] (any commit changes it) and today's date stay the same, so a second visit of a screen does not
//! scan 250,000 rows again, and a Beranda still computing shares its counts with the Pegawai screen instead of
//! racing it for the two cores.
//!
//! A slot is locked while its value is computed: a second caller of the same aggregate waits for the first one and
//! takes its result (computing it twice at once would only slow both down).

use std::sync::Mutex;

use chrono::NaiveDate;

use crate::beranda::Beranda;
use crate::error::AppError;
use crate::pegawai::UnorSimpul;

/// What a value is kept under: the replica's content version and the day (the IKD and BUP rules depend on it).
pub(crate) type Key = (store::Versi, NaiveDate);

/// One cached value with its key.
#[derive(Debug)]
pub(crate) struct Slot<T>(Mutex<Option<(Key, T)>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Mutex::new(None))
    }
}

impl<T: Clone> Slot<T> {
    /// The value kept under `key`, else `compute`'s (kept when it succeeds).
    pub(crate) fn get_or_compute(
        &self,
        key: Key,
        compute: impl FnOnce() -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((kept, value)) = slot.as_ref()
            && *kept == key
        {
            return Ok(value.clone());
        }
        let value = compute()?;
        *slot = Some((key, value.clone()));
        Ok(value)
    }
}

/// The aggregates of [`crate::context::AppContext`].
#[derive(Debug, Default)]
pub(crate) struct Cache {
    /// `store::query::facets` of the empty filter.
    pub(crate) facets_semua: Slot<store::query::Facets>,
    /// `store::query::count` of the empty filter.
    pub(crate) total_semua: Slot<i64>,
    /// `unor_pohon`.
    pub(crate) unor: Slot<Vec<UnorSimpul>>,
    /// `beranda` without its sync status (read fresh on every call).
    pub(crate) beranda: Slot<Beranda>,
}
