//! `luring-cli --data DIR check`: is the replica sound, and do its projections match its documents?
//!
//! Prints what `store::integrity::check` found and what to do about it; exits 1 when something needs attention.
//! Every pegawai whose list row, search words, IKD rows or conflicts differ from what its document derives is named
//! with its NIP and the fields that differ. `--rebuild` rebuilds the projections from the documents first (safe at
//! any time: they hold no data of their own, and readers keep the old lists until the rebuild commits).

use anyhow::bail;
use store::Replica;

/// How many mismatching pegawai are listed by NIP; the rest are counted.
const SHOWN: usize = 20;

/// Runs the check (and the rebuild when asked).
///
/// # Errors
/// When the replica needs attention after the check, or SQLite fails.
pub fn run(replica: &Replica, rebuild: bool) -> anyhow::Result<()> {
    if rebuild {
        let rebuilt = store::projection::rebuild_projections(replica, 2_000, &mut |_| {})?;
        println!("Proyeksi dibangun ulang dari {} dokumen.", rebuilt.documents);
        if !rebuilt.quarantined.is_empty() {
            println!("  dokumen rusak dikarantina saat membangun ulang: {}", rebuilt.quarantined.len());
        }
    }
    let report = store::integrity::check(replica)?;
    println!("Pemeriksaan replika {}", replica.path().display());
    println!(
        "  integritas SQLite      : {}",
        if report.sqlite_ok { "ok".to_owned() } else { report.sqlite_messages.join("; ") }
    );
    println!("  dokumen terbaca        : {}", report.documents);
    println!("  dokumen dikarantina    : {}", report.quarantined.len());
    for (id, reason) in report.quarantined.iter().take(SHOWN) {
        println!("    - {id}: {reason}");
    }
    let (documents, rows, fts) = report.pegawai;
    println!("  pegawai (dokumen/daftar/indeks cari): {documents}/{rows}/{fts}");
    println!("  pegawai yang proyeksinya tidak cocok dengan dokumen: {}", report.mismatches.len());
    for mismatch in report.mismatches.iter().take(SHOWN) {
        println!("    - NIP {}: {}", mismatch.nip, mismatch.fields.join(", "));
    }
    if report.mismatches.len() > SHOWN {
        println!("    … dan {} pegawai lainnya", report.mismatches.len() - SHOWN);
    }
    println!("  perubahan menunggu sinkron (outbox): {}", report.outbox);
    if report.is_healthy() {
        println!("Replika sehat.");
        return Ok(());
    }
    if !report.sqlite_ok {
        bail!("berkas replika rusak; salin folder data sebagai cadangan lalu unduh ulang replika dari hub");
    }
    if !report.projections_match() {
        bail!("daftar pegawai tidak cocok dengan dokumen; jalankan `luring-cli --data <folder> check --rebuild`");
    }
    bail!(
        "ada dokumen rusak yang dikarantina; data lain tetap dapat dipakai, dokumen itu akan dipulihkan dari hub saat sinkron"
    )
}
