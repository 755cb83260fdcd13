//! Who may use the hub and from which devices (DESIGN §6): the roster (NIP → instansi and roles) and the
//! registered devices (automerge actor → NIP).
//!
//! The roster is the hub's own: a token says who the caller is (its NIP), never what they may do. What each role
//! may do is data, `schemas/peran.json` (read through `model::peran`): [`Role::izin`] and
//! [`Role::reads_every_scope`] answer from it, so changing the file changes the hub's decisions. This module holds
//! only the types and their text forms; the rows live in [`crate::storage`] and the rules that use them in
//! [`crate::core`] and [`crate::authority`]. It does not authenticate anybody.

use std::collections::BTreeSet;

use model::peran::{Izin, Peran};
use serde::{Deserialize, Serialize};

/// A role on the roster (DESIGN §6). On the wire and in the database its snake_case name. What it may do is its row
/// of `schemas/peran.json` ([`Role::izin`]); the variant docs below say what the shipped file gives each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Operator of an instansi (BKD/BKPSDM): writes the instansi's fields and records usulan.
    OperatorInstansi,
    /// Verifikator of an instansi: writes and verifies the instansi's fields, verifies usulan.
    VerifikatorInstansi,
    /// Admin of an instansi: the instansi's fields, and new pegawai documents.
    AdminInstansi,
    /// A BKN (or Kanreg) verifikator: the BKN fields (identity, golongan, pendidikan), BKN's decisions on the
    /// usulan of every instansi, and every scope's reads.
    VerifikatorBkn,
    /// The hub's administrator: every scope's reads, BKN and instansi fields, new pegawai, BKN's decisions on usulan.
    AdminHub,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] =
        [Role::OperatorInstansi, Role::VerifikatorInstansi, Role::AdminInstansi, Role::VerifikatorBkn, Role::AdminHub];

    /// The snake_case name (`"operator_instansi"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::OperatorInstansi => "operator_instansi",
            Role::VerifikatorInstansi => "verifikator_instansi",
            Role::AdminInstansi => "admin_instansi",
            Role::VerifikatorBkn => "verifikator_bkn",
            Role::AdminHub => "admin_hub",
        }
    }

    /// The inverse of [`Self::as_str`]; `None` for any other text.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// The role's row of `schemas/peran.json` (`model::peran`), `None` if the file lacks it (a test rules that out).
    pub fn peran(self) -> Option<&'static Peran> {
        model::peran::peran().get(self.as_str())
    }

    /// The role's permissions, as `schemas/peran.json` gives them (none if the file lacks the role).
    pub fn izin(self) -> &'static BTreeSet<Izin> {
        static NONE: BTreeSet<Izin> = BTreeSet::new();
        self.peran().map_or(&NONE, |peran| &peran.izin)
    }

    /// Whether the role holds `izin`.
    pub fn may(self, izin: Izin) -> bool {
        self.izin().contains(&izin)
    }

    /// Whether the role reads every instansi's scope (not only its own): `membaca_semua_instansi` in
    /// `schemas/peran.json`.
    pub fn reads_every_scope(self) -> bool {
        self.peran().is_some_and(|peran| peran.membaca_semua_instansi)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One person on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The NIP, exactly as the identity provider sends it in `preferred_username` (the key; compared exactly).
    pub nip: String,
    /// The name, for display and audit only.
    pub nama: Option<String>,
    /// The instansi id (SI-ASN `instansi_induk_id`); the caller's own scope is `instansi:<id>`.
    pub instansi: String,
    /// The roles, without duplicates, in [`Role::ALL`] order once stored.
    pub roles: Vec<Role>,
}

/// A registered device: an automerge actor bound to one person (DESIGN §5.4, sync.md §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The actor id in lower-case hex (16 bytes → 32 characters in this project).
    pub actor_hex: String,
    /// The NIP of the person the actor is bound to.
    pub nip: String,
    /// A name the person gave the device (for the admin's list).
    pub name: String,
    /// When it was registered, milliseconds since the Unix epoch.
    pub registered_at_ms: i64,
    /// When it was revoked, if it was; a revoked actor's pushes are refused.
    pub revoked_at_ms: Option<i64>,
}

#[cfg(test)]
mod tests;
