//! Printing a keyset-paged list whole (`usulan daftar`, `verifikasi-lapangan daftar`, `pengingat daftar`): pages are
//! asked one after the other, each starting at the cursor the previous one gave, until the last page or the row
//! limit. The counts that come with the list are those of its first page (they do not depend on the cursor).

use app::pegawai::Hitung;

/// One page as the use cases answer it.
#[derive(Debug)]
pub struct Halaman<R, K> {
    /// The rows.
    pub baris: Vec<R>,
    /// The counts of the whole list (per status, per hasil).
    pub hitung: Vec<Hitung>,
    /// The next page's cursor; `None` on the last page.
    pub berikut: Option<K>,
}

/// Asks `ambil(cursor, batas)` for pages and gives every row to `cetak`: all rows when `semua`, else at most
/// `limit`; pages of at most `max_rows`. Returns how many rows were printed and the first page's counts. Bounded:
/// each page but the last holds at least one row, and the use cases end a list with a page without cursor.
///
/// # Errors
/// The first error of `ambil` or `cetak`.
pub fn cetak_semua<R, K>(
    semua: bool,
    limit: usize,
    max_rows: usize,
    mut ambil: impl FnMut(Option<K>, u32) -> anyhow::Result<Halaman<R, K>>,
    mut cetak: impl FnMut(&R) -> anyhow::Result<()>,
) -> anyhow::Result<(usize, Vec<Hitung>)> {
    let mut kursor = None;
    let mut shown = 0usize;
    let mut hitung = None;
    loop {
        let batas = if semua { max_rows } else { limit.saturating_sub(shown).clamp(1, max_rows) };
        let page = ambil(kursor.take(), u32::try_from(batas).unwrap_or(u32::MAX))?;
        hitung.get_or_insert(page.hitung);
        for row in &page.baris {
            cetak(row)?;
        }
        shown += page.baris.len();
        match page.berikut {
            Some(next) if !page.baris.is_empty() && (semua || shown < limit) => kursor = Some(next),
            _ => break,
        }
    }
    Ok((shown, hitung.unwrap_or_default()))
}
