//! The SI-ASN gateway against the SI-ASN simulator (`siasn_simulator`) on loopback: the pull bars of issue 8 (a
//! full pull of 3,000 pegawai with faults on, a second pull that changes nothing, 50 changed fields giving exactly
//! those 50 changes, a killed `luring-hub siasn pull` resuming without fetching again what it finished), the list
//! walk under shifting pages, and the push (module `push`).

mod pull;
mod push;
