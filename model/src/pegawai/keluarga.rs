//! Keluarga: pasangan, anak and orang tua (`data-pasangan`, `data-anak`, `data-ortu`; siasn-api.md §2.2).
//! Personal data: encrypted at rest, never logged.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A spouse (suami/istri) with the marriage data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Pasangan {
    /// Person id at SI-ASN (`orang.id`, a UUID with dashes).
    pub id: Option<String>,
    /// Nama.
    pub nama: Option<String>,
}

/// A child.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Anak {
    /// Person id at SI-ASN.
    pub id: Option<String>,
    /// Nama.
    pub nama: Option<String>,
}

/// A parent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OrangTua {
    /// Person id at SI-ASN.
    pub id: Option<String>,
    /// Nama.
    pub nama: Option<String>,
}
