//! The IPC commands, one module per area, mirroring `app`. Each command calls exactly one `app` use case
//! (house style §2.7: at most five lines, no branching).

pub(crate) mod beranda;
pub(crate) mod konflik;
pub(crate) mod pegawai;
pub(crate) mod pengaturan;
pub(crate) mod pengingat;
pub(crate) mod riwayat;
pub(crate) mod sesi;
pub(crate) mod sinkron;
pub(crate) mod usulan;
pub(crate) mod verifikasi;
