//! The plan of a kabupaten's ASN: which role and which kind of ASN each of the `n` pegawai has, in shuffled order.
//!
//! Shares follow a kabupaten (see the crate doc): guru 45% (PNS 31, CPNS 2, PPPK 12), tenaga kesehatan 12%
//! (6.5 / 1 / 4.5), pelaksana 30% (26.8 / 1.2 / 2), struktural 8% (all PNS, one head per unit with an eselon,
//! higher eselon first when there are fewer pegawai than posts) and other jabatan fungsional 5% (2.7 / 0.8 / 1.5);
//! so PNS 75%, CPNS 5%, PPPK 20%. Counts are apportioned exactly (largest remainder), so the mix holds for any `n`.
//! Every school gets a PNS guru as kepala sekolah while PNS guru last.
//!
//! What this module does not do: it draws nothing about the people themselves (that is `profil`).

use crate::profil::{Asn, Peran, Rencana};
use crate::rng::Rng;
use crate::unor::{JenisUnit, Tree};

/// The planned share of each (role, ASN) pair; the struktural share is filled by heads of units.
const BAGIAN: [(Peran, Asn, f64); 13] = [
    (Peran::Struktural(0), Asn::Pns, 0.08),
    (Peran::Guru, Asn::Pns, 0.31),
    (Peran::Guru, Asn::Cpns, 0.02),
    (Peran::Guru, Asn::Pppk, 0.12),
    (Peran::Nakes, Asn::Pns, 0.065),
    (Peran::Nakes, Asn::Cpns, 0.01),
    (Peran::Nakes, Asn::Pppk, 0.045),
    (Peran::Pelaksana, Asn::Pns, 0.268),
    (Peran::Pelaksana, Asn::Cpns, 0.012),
    (Peran::Pelaksana, Asn::Pppk, 0.02),
    (Peran::Fungsional, Asn::Pns, 0.027),
    (Peran::Fungsional, Asn::Cpns, 0.008),
    (Peran::Fungsional, Asn::Pppk, 0.015),
];

/// Counts summing to exactly `n`, proportional to `shares` (largest remainder, ties to the earlier entry).
pub(crate) fn apportion(n: usize, shares: &[f64]) -> Vec<usize> {
    let total: f64 = shares.iter().sum();
    let exact: Vec<f64> = shares.iter().map(|share| share / total * n as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|value| value.floor() as usize).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.partial_cmp(&ra).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(&b))
    });
    let mut missing = n.saturating_sub(counts.iter().sum());
    for index in order.into_iter().cycle().take(shares.len() * 2) {
        if missing == 0 {
            break;
        }
        counts[index] += 1;
        missing -= 1;
    }
    counts
}

/// Eselon order for filling posts: II.a first, then II.b, III.a, III.b, IV.a, IV.b.
fn eselon_rank(eselon: &str) -> u8 {
    match eselon {
        "21" => 0,
        "22" => 1,
        "31" => 2,
        "32" => 3,
        "41" => 4,
        _ => 5,
    }
}

/// The plan for `n` pegawai in `tree`.
pub(crate) fn susun(rng: &mut Rng, n: usize, tree: &Tree) -> Vec<Rencana> {
    let shares: Vec<f64> = BAGIAN.iter().map(|(_, _, share)| *share).collect();
    let mut counts = apportion(n, &shares);

    // Heads of units with an eselon, higher posts first, at random within an eselon.
    let mut posts: Vec<(u8, u64, usize)> = tree
        .units
        .iter()
        .enumerate()
        .filter_map(|(index, unit)| unit.eselon.map(|eselon| (eselon_rank(eselon), rng.next_u64(), index)))
        .collect();
    posts.sort_unstable();
    let struktural = counts[0].min(posts.len());
    let kurang = counts[0] - struktural;
    counts[0] = struktural;
    counts[7] += kurang;

    let mut schools: Vec<usize> = tree
        .units
        .iter()
        .enumerate()
        .filter(|(_, unit)| matches!(unit.jenis, JenisUnit::Sd | JenisUnit::Smp))
        .map(|(index, _)| index)
        .collect();
    rng.shuffle(&mut schools);
    let kepala = schools.len().min(counts[1]);

    let mut plan = Vec::with_capacity(n);
    for (_, _, unit) in posts.iter().take(struktural) {
        plan.push(Rencana { peran: Peran::Struktural(*unit), asn: Asn::Pns });
    }
    for unit in schools.iter().take(kepala) {
        plan.push(Rencana { peran: Peran::KepalaSekolah(*unit), asn: Asn::Pns });
    }
    for (position, (peran, asn, _)) in BAGIAN.iter().enumerate().skip(1) {
        let count = if position == 1 { counts[1] - kepala } else { counts[position] };
        plan.extend(std::iter::repeat_n(Rencana { peran: *peran, asn: *asn }, count));
    }
    rng.shuffle(&mut plan);
    plan
}
