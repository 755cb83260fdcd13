//! Masa kerja golongan (MKG) at a date (PP 7/1977 and its amendments, lastly PP 5/2024; siasn-api.md §4).
//!
//! SI-ASN records the MKG a pegawai had at the TMT of the current golongan (`mkTahun`/`mkBulan`, or the
//! `masaKerjaGolongan*` of the last rw-golongan row). The MKG on a later date adds the whole months since that TMT.
//! This module does not compute gaji pokok (SI-ASN's KP list carries it) nor the MKG reduction of a KP by
//! penyesuaian ijazah, which comes with the usulan KP.

use chrono::Datelike;

use crate::date::Tanggal;

/// A masa kerja in whole years and months (months 0–11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MasaKerja {
    /// Whole years.
    pub tahun: i64,
    /// Remaining months, 0–11.
    pub bulan: i64,
}

impl MasaKerja {
    /// From a total in months (negative totals clamp to zero).
    pub fn from_months(total: i64) -> Self {
        let total = total.max(0);
        Self { tahun: total / 12, bulan: total % 12 }
    }

    /// The total in months.
    pub fn months(self) -> i64 {
        self.tahun * 12 + self.bulan
    }
}

/// Whole months from `from` to `to` (0 if `to` is earlier): a month counts once its day is reached.
pub fn whole_months_between(from: Tanggal, to: Tanggal) -> i64 {
    if to <= from {
        return 0;
    }
    let mut months = i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0)
}

/// The MKG on `pada`, given the MKG recorded at `tmt_golongan`.
pub fn masa_kerja_golongan(mk_pada_tmt: MasaKerja, tmt_golongan: Tanggal, pada: Tanggal) -> MasaKerja {
    MasaKerja::from_months(mk_pada_tmt.months() + whole_months_between(tmt_golongan, pada))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Tanggal {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn mkg_grows_by_whole_months_since_the_tmt() {
        // siasn-api.md §2.3 sample: III/d at TMT 01-04-2022 with MKG 12 y 1 m.
        let at_tmt = MasaKerja { tahun: 12, bulan: 1 };
        assert_eq!(
            masa_kerja_golongan(at_tmt, date(2022, 4, 1), date(2026, 11, 30)),
            MasaKerja { tahun: 16, bulan: 8 }
        );
        assert_eq!(masa_kerja_golongan(at_tmt, date(2022, 4, 1), date(2022, 3, 1)), at_tmt);
    }

    #[test]
    fn a_month_counts_once_its_day_is_reached() {
        assert_eq!(whole_months_between(date(2024, 1, 31), date(2024, 2, 29)), 0);
        assert_eq!(whole_months_between(date(2024, 1, 31), date(2024, 3, 31)), 2);
        assert_eq!(whole_months_between(date(2020, 2, 29), date(2021, 2, 28)), 11);
        assert_eq!(whole_months_between(date(2020, 3, 1), date(2020, 2, 1)), 0);
    }
}
