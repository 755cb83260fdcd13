//! Instansi-level lists of the SI-ASN web service and the unit tree: `list-kp-instansi`, `list-pensiun-instansi`
//! and `referensi/ref-unor` (siasn-api.md §1.3, §2.4).
//!
//! The item types here are wire-level list items (an usulan as BKN's layanan tracks it, one row of the unor
//! reference), not documents of SIASN Luring: the app's own usulan document is [`crate::usulan`]. Decoding follows
//! the rules of [`crate::siasn::ws`]: a 404 `code 0` body is an empty list without a warning, an unreadable body is
//! one warning, an item that is not an object is reported and skipped, every other item is kept with `raw` values
//! and one warning per unreadable field. Warnings name the item as `usulan <id>` / `unor <id>`.
//!
//! [`UnorTree`] indexes the `ref-unor` rows by id and follows `DiatasanId` upwards. Building it never loops:
//! duplicate ids, dangling parents and cycles are reported and cut, so every query is bounded. It does not know
//! the instansi's other data (jabatan, pegawai); it is a pure tree over the rows it was given.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::date::Tanggal;
use crate::id::Nip;
use crate::siasn::field::{FieldReader, JsonRecord};
use crate::siasn::ws::{malformed, open_payload};
use crate::warning::{Warning, WarningKind};

/// One KP usulan of the instansi as BKN's layanan tracks it (`GET /pns/list-kp-instansi?periode=yyyy-mm-dd`,
/// siasn-api.md §2.4; keys mix camelCase and snake_case).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsulanKp {
    /// Usulan id (the `id_usulan` of `/upload-dok-sk-kp`).
    pub id: Option<String>,
    /// SI-ASN person id of the pegawai (`pnsId`).
    pub pns_id: Option<String>,
    /// NIP of the pegawai (`nipBaru`).
    pub nip: Option<Nip>,
    /// Nama of the pegawai.
    pub nama: Option<String>,
    /// Status usulan code, 2 characters (`statusUsulan`; `referensi/status-usulan.json`).
    pub status_usulan: Option<String>,
    /// Status usulan name as the server sent it (may differ from the reference table; keep this one).
    pub status_usulan_nama: Option<String>,
    /// Golongan id after the KP (`golonganBaruId`; `referensi/golongan.json`).
    pub golongan_baru_id: Option<String>,
    /// TMT KP (`tmtKp`).
    pub tmt_kp: Option<Tanggal>,
    /// Nomor pertek BKN (`no_pertek`).
    pub no_pertek: Option<String>,
    /// Tanggal pertek BKN (`tgl_pertek`).
    pub tgl_pertek: Option<Tanggal>,
    /// Nomor SK KP (`no_sk`).
    pub no_sk: Option<String>,
    /// Tanggal SK KP (`tgl_sk`).
    pub tgl_sk: Option<Tanggal>,
    /// Storage path of the signed pertek (`path_ttd_pertek`, for `GET /download-dok`).
    pub path_ttd_pertek: Option<String>,
    /// Storage path of the signed SK (`path_ttd_sk`).
    pub path_ttd_sk: Option<String>,
    /// Storage path of the SK preview (`path_preview_sk`).
    pub path_preview_sk: Option<String>,
    /// Gaji pokok before the KP, rupiah (`gaji_pokok_lama`).
    pub gaji_pokok_lama: Option<i64>,
    /// Gaji pokok after the KP, rupiah (`gaji_pokok_baru`).
    pub gaji_pokok_baru: Option<i64>,
    /// Masa kerja golongan after the KP, years (`masa_kerja_tahun`).
    pub masa_kerja_tahun: Option<i64>,
    /// Masa kerja golongan after the KP, months (`masa_kerja_bulan`).
    pub masa_kerja_bulan: Option<i64>,
    /// Jenis KP as sent (`jenis_kp`; `referensi/jenis-kp.json` id or name).
    pub jenis_kp: Option<String>,
    /// Jenis prosedur, 1 character (`jenis_prosedur`; values not documented).
    pub jenis_prosedur: Option<String>,
    /// Raw values of fields that were changed or could not be read, keyed by the source's field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

/// One pensiun usulan of the instansi as BKN's layanan tracks it
/// (`GET /pns/list-pensiun-instansi?tglAwal=dd-mm-yyyy&tglAkhir=dd-mm-yyyy`, siasn-api.md §2.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsulanPensiun {
    /// Usulan id (a UUID).
    pub id: Option<String>,
    /// SI-ASN person id of the pegawai (`pnsId`).
    pub pns_id: Option<String>,
    /// NIP of the pegawai (`nipBaru`).
    pub nip: Option<Nip>,
    /// Nama of the pegawai.
    pub nama: Option<String>,
    /// Tanggal lahir of the pegawai (`tglLahir`).
    pub tgl_lahir: Option<Tanggal>,
    /// Status usulan code (`statusUsulan`; `referensi/status-usulan.json`).
    pub status_usulan: Option<String>,
    /// Status usulan name as the server sent it (`32` comes as `Sudah TTE SK`; keep this one).
    pub status_usulan_nama: Option<String>,
    /// Detail layanan name (`detailLayananNama`, e.g. `BUP KPP`; `referensi/jenis-pensiun.json`).
    pub detail_layanan_nama: Option<String>,
    /// Golongan id before the pension (`golonganId`; `referensi/golongan.json`).
    pub golongan_id: Option<String>,
    /// Golongan id after the kenaikan pangkat pengabdian, KPP (`golonganKppId`).
    pub golongan_kpp_id: Option<String>,
    /// TMT pensiun (`tmtPensiun`; `dd-mm-yyyy`, or `yyyy-mm-dd HH:MM:SS` as S4 parsed it).
    pub tmt_pensiun: Option<Tanggal>,
    /// Nomor pertek BKN (`pertekNomor`).
    pub pertek_nomor: Option<String>,
    /// Tanggal pertek BKN (`pertekTgl`).
    pub pertek_tgl: Option<Tanggal>,
    /// Nomor SK pensiun (`skNomor`).
    pub sk_nomor: Option<String>,
    /// Tanggal SK pensiun (`skTgl`).
    pub sk_tgl: Option<Tanggal>,
    /// Storage path of the SK (`pathSk`).
    pub path_sk: Option<String>,
    /// Storage path of the pertek (`pathPertek`).
    pub path_pertek: Option<String>,
    /// Storage path of the SK preview (`pathSkPreview`).
    pub path_sk_preview: Option<String>,
    /// Instansi id (GUID).
    pub instansi_id: Option<String>,
    /// Instansi name.
    pub instansi_nama: Option<String>,
    /// Raw values of fields that were changed or could not be read, keyed by the source's field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

/// One unit organisasi of the instansi (`GET /referensi/ref-unor`, siasn-api.md §2.4; PascalCase keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unor {
    /// Unor id (`Id`, a GUID; empty only when SI-ASN sent none, which is reported).
    pub id: String,
    /// Instansi id (`InstansiId`).
    pub instansi_id: Option<String>,
    /// Id of the unit directly above (`DiatasanId`); `None` for the root (the pemerintah daerah itself).
    pub diatasan_id: Option<String>,
    /// Eselon id of the unit's head (`EselonId`; `referensi/eselon.json`), `None` for non-struktural units.
    pub eselon_id: Option<String>,
    /// Unit name (`NamaUnor`).
    pub nama_unor: Option<String>,
    /// Jabatan name of the unit's head (`NamaJabatan`).
    pub nama_jabatan: Option<String>,
    /// Kode cepat (`CepatKode`; digits growing with depth, e.g. `6412`, `641201`).
    pub cepat_kode: Option<String>,
    /// Unor induk id (`IndukUnorId`: the unit's satuan kerja level, may be the unit itself).
    pub induk_unor_id: Option<String>,
    /// SI-ASN person id of the unit's head (`PemimpinPnsId`).
    pub pemimpin_pns_id: Option<String>,
    /// Jenis unor id (`JenisUnorId`, a GUID).
    pub jenis_unor_id: Option<String>,
    /// Raw values of fields that were changed or could not be read, keyed by the source's field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, String>,
}

/// A list item type: how to name it and read it.
trait ListItem: Sized {
    /// The endpoint, for response-level warnings.
    const ENDPOINT: &'static str;
    /// The word before the id in warning records (`usulan`, `unor`).
    const LABEL: &'static str;
    /// The keys of the item id.
    const ID_KEYS: &'static [&'static str];
    /// Reads one item.
    fn read(reader: &mut FieldReader<'_, JsonRecord<'_>>) -> Self;
    /// Stores the raw values the reader kept.
    fn set_raw(&mut self, raw: BTreeMap<String, String>);
}

impl ListItem for UsulanKp {
    const ENDPOINT: &'static str = "list-kp-instansi";
    const LABEL: &'static str = "usulan";
    const ID_KEYS: &'static [&'static str] = &["id"];

    fn read(r: &mut FieldReader<'_, JsonRecord<'_>>) -> Self {
        UsulanKp {
            id: r.code(&["id"]),
            pns_id: r.code(&["pnsId", "pns_id"]),
            nip: r.code(&["nipBaru", "nip_baru", "nip"]).map(|nip| Nip::clean(&nip)),
            nama: r.text(&["nama"]),
            status_usulan: r.code(&["statusUsulan", "status_usulan"]),
            status_usulan_nama: r.text(&["statusUsulanNama", "status_usulan_nama"]),
            golongan_baru_id: r.code(&["golonganBaruId", "golongan_baru_id"]),
            tmt_kp: r.date(&["tmtKp", "tmt_kp"]),
            no_pertek: r.text(&["no_pertek", "noPertek"]),
            tgl_pertek: r.date(&["tgl_pertek", "tglPertek"]),
            no_sk: r.text(&["no_sk", "noSk"]),
            tgl_sk: r.date(&["tgl_sk", "tglSk"]),
            path_ttd_pertek: r.text(&["path_ttd_pertek", "pathTtdPertek"]),
            path_ttd_sk: r.text(&["path_ttd_sk", "pathTtdSk"]),
            path_preview_sk: r.text(&["path_preview_sk", "pathPreviewSk"]),
            gaji_pokok_lama: r.int(&["gaji_pokok_lama", "gajiPokokLama"]),
            gaji_pokok_baru: r.int(&["gaji_pokok_baru", "gajiPokokBaru"]),
            masa_kerja_tahun: r.int(&["masa_kerja_tahun", "masaKerjaTahun"]),
            masa_kerja_bulan: r.int(&["masa_kerja_bulan", "masaKerjaBulan"]),
            jenis_kp: r.code(&["jenis_kp", "jenisKp"]),
            jenis_prosedur: r.code(&["jenis_prosedur", "jenisProsedur"]),
            raw: BTreeMap::new(),
        }
    }

    fn set_raw(&mut self, raw: BTreeMap<String, String>) {
        self.raw = raw;
    }
}

impl ListItem for UsulanPensiun {
    const ENDPOINT: &'static str = "list-pensiun-instansi";
    const LABEL: &'static str = "usulan";
    const ID_KEYS: &'static [&'static str] = &["id"];

    fn read(r: &mut FieldReader<'_, JsonRecord<'_>>) -> Self {
        UsulanPensiun {
            id: r.code(&["id"]),
            pns_id: r.code(&["pnsId", "pns_id"]),
            nip: r.code(&["nipBaru", "nip_baru", "nip"]).map(|nip| Nip::clean(&nip)),
            nama: r.text(&["nama"]),
            tgl_lahir: r.date(&["tglLahir", "tgl_lahir"]),
            status_usulan: r.code(&["statusUsulan", "status_usulan"]),
            status_usulan_nama: r.text(&["statusUsulanNama", "status_usulan_nama"]),
            detail_layanan_nama: r.text(&["detailLayananNama", "detail_layanan_nama"]),
            golongan_id: r.code(&["golonganId", "golongan_id"]),
            golongan_kpp_id: r.code(&["golonganKppId", "golongan_kpp_id"]),
            tmt_pensiun: r.date(&["tmtPensiun", "tmt_pensiun"]),
            pertek_nomor: r.text(&["pertekNomor", "no_pertek"]),
            pertek_tgl: r.date(&["pertekTgl", "tgl_pertek"]),
            sk_nomor: r.text(&["skNomor", "no_sk"]),
            sk_tgl: r.date(&["skTgl", "tgl_sk"]),
            path_sk: r.text(&["pathSk"]),
            path_pertek: r.text(&["pathPertek"]),
            path_sk_preview: r.text(&["pathSkPreview"]),
            instansi_id: r.code(&["instansiId", "instansi_id"]),
            instansi_nama: r.text(&["instansiNama", "instansi_nama"]),
            raw: BTreeMap::new(),
        }
    }

    fn set_raw(&mut self, raw: BTreeMap<String, String>) {
        self.raw = raw;
    }
}

impl ListItem for Unor {
    const ENDPOINT: &'static str = "ref-unor";
    const LABEL: &'static str = "unor";
    const ID_KEYS: &'static [&'static str] = &["Id"];

    fn read(r: &mut FieldReader<'_, JsonRecord<'_>>) -> Self {
        let id = r.code(&["Id"]);
        if id.is_none() {
            r.warn("Id", "", WarningKind::MissingValue, "Id unor kosong; unor tidak dapat dirujuk");
        }
        Unor {
            id: id.unwrap_or_default(),
            instansi_id: r.code(&["InstansiId"]),
            diatasan_id: r.code(&["DiatasanId"]),
            eselon_id: r.code(&["EselonId"]),
            nama_unor: r.text(&["NamaUnor"]),
            nama_jabatan: r.text(&["NamaJabatan"]),
            cepat_kode: r.code(&["CepatKode"]),
            induk_unor_id: r.code(&["IndukUnorId"]),
            pemimpin_pns_id: r.code(&["PemimpinPnsId"]),
            jenis_unor_id: r.code(&["JenisUnorId"]),
            raw: BTreeMap::new(),
        }
    }

    fn set_raw(&mut self, raw: BTreeMap<String, String>) {
        self.raw = raw;
    }
}

/// Decodes a `list-kp-instansi` response body. Warnings name each item `usulan <id>`.
pub fn decode_list_kp(body: &str, warnings: &mut Vec<Warning>) -> Vec<UsulanKp> {
    decode_items(body, warnings)
}

/// Decodes a `list-pensiun-instansi` response body. Warnings name each item `usulan <id>`.
pub fn decode_list_pensiun(body: &str, warnings: &mut Vec<Warning>) -> Vec<UsulanPensiun> {
    decode_items(body, warnings)
}

/// Decodes a `referensi/ref-unor` response body. Warnings name each unit `unor <Id>`.
pub fn decode_ref_unor(body: &str, warnings: &mut Vec<Warning>) -> Vec<Unor> {
    decode_items(body, warnings)
}

/// The keys a paginated list may nest its rows under (`{count, data: […]}`; S5's `results`).
const LIST_KEYS: [&str; 5] = ["data", "results", "list", "rows", "items"];

fn decode_items<T: ListItem>(body: &str, warnings: &mut Vec<Warning>) -> Vec<T> {
    let Some(data) = open_payload(body, T::ENDPOINT, T::ENDPOINT, warnings) else { return Vec::new() };
    let items: &[Value] = match &data {
        Value::Array(items) => items,
        Value::Object(object) => match JsonRecord::new(object).value(&LIST_KEYS) {
            Some(Value::Array(items)) => items,
            Some(Value::Null) => return Vec::new(),
            _ => {
                warnings.push(malformed(T::ENDPOINT, T::ENDPOINT, &data.to_string(), "daftar tidak ada di respons"));
                return Vec::new();
            }
        },
        other => {
            warnings.push(malformed(T::ENDPOINT, T::ENDPOINT, &other.to_string(), "data bukan daftar"));
            return Vec::new();
        }
    };
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let Value::Object(object) = item else {
            warnings.push(Warning {
                record: format!("{}[{index}]", T::ENDPOINT),
                field: format!("{}[{index}]", T::ENDPOINT),
                raw: item.to_string().chars().take(300).collect(),
                kind: WarningKind::UnexpectedShape,
                message: "baris daftar bukan objek; dilewati".into(),
            });
            continue;
        };
        rows.push(read_item::<T>(object, index, warnings));
    }
    rows
}

fn read_item<T: ListItem>(object: &Map<String, Value>, index: usize, warnings: &mut Vec<Warning>) -> T {
    let record = JsonRecord::new(object);
    let mut scratch = Vec::new();
    let id = FieldReader::new(&record, "", "", &mut scratch).code(T::ID_KEYS);
    let label = match id {
        Some(id) => format!("{} {id}", T::LABEL),
        None => format!("{} {}[{index}]", T::LABEL, T::ENDPOINT),
    };
    let mut reader = FieldReader::new(&record, &label, "", warnings);
    let mut item = T::read(&mut reader);
    item.set_raw(reader.into_raw());
    item
}

/// The unit tree of an instansi, built from its `ref-unor` rows by `DiatasanId`.
///
/// Built once by [`UnorTree::new`], which reports and cuts what would make the tree unsound: a second row with the
/// same id (the first is kept), a `DiatasanId` naming no unit (the unit becomes a top), and cycles (the link out of
/// the unit with the smallest id in the cycle is cut, so it becomes a top). After that every query walks a finite
/// acyclic structure; the walks are also bounded by the number of units.
#[derive(Debug, Clone, Default)]
pub struct UnorTree {
    units: Vec<Unor>,
    index: HashMap<String, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

impl UnorTree {
    /// Builds the tree; duplicate ids, dangling parents and cycles become warnings on `unor <id>`.
    pub fn new(units: Vec<Unor>, warnings: &mut Vec<Warning>) -> Self {
        let mut index = HashMap::with_capacity(units.len());
        for (position, unit) in units.iter().enumerate() {
            if unit.id.is_empty() {
                continue;
            }
            if index.contains_key(&unit.id) {
                warnings.push(tree_warning(
                    unit,
                    "Id",
                    &unit.id,
                    WarningKind::DuplicateRecord,
                    "Id unor ganda; baris pertama yang dipakai".into(),
                ));
            } else {
                index.insert(unit.id.clone(), position);
            }
        }
        let mut parent = vec![None; units.len()];
        for (position, unit) in units.iter().enumerate() {
            let Some(above) = unit.diatasan_id.as_deref() else { continue };
            if index.get(&unit.id) != Some(&position) {
                continue; // an unindexed row (no id or a duplicate) cannot be reached; its link is irrelevant
            }
            match index.get(above) {
                Some(&target) if target == position => warnings.push(tree_warning(
                    unit,
                    "DiatasanId",
                    above,
                    WarningKind::UnexpectedShape,
                    "unor menjadi atasannya sendiri; dianggap puncak".into(),
                )),
                Some(&target) => parent[position] = Some(target),
                None => warnings.push(tree_warning(
                    unit,
                    "DiatasanId",
                    above,
                    WarningKind::UnknownCode,
                    "unor atasan tidak ada di ref-unor; unor ini dianggap puncak".into(),
                )),
            }
        }
        break_cycles(&units, &mut parent, warnings);
        let mut children = vec![Vec::new(); units.len()];
        let mut roots = Vec::new();
        for (position, unit) in units.iter().enumerate() {
            if index.get(&unit.id) != Some(&position) {
                continue;
            }
            match parent[position] {
                Some(above) => children[above].push(position),
                None => roots.push(position),
            }
        }
        Self { units, index, parent, children, roots }
    }

    /// Number of rows (including unindexed ones: no id or a duplicate id).
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Every row, in the order given.
    pub fn units(&self) -> &[Unor] {
        &self.units
    }

    /// The unit with `id`.
    pub fn get(&self, id: &str) -> Option<&Unor> {
        self.position(id).map(|position| &self.units[position])
    }

    /// The unit directly above `id`; `None` for a top (the root, or a unit whose link was cut) or an unknown id.
    pub fn parent(&self, id: &str) -> Option<&Unor> {
        let position = self.position(id)?;
        self.parent[position].map(|above| &self.units[above])
    }

    /// The units directly below `id`, in the order given.
    pub fn children(&self, id: &str) -> Vec<&Unor> {
        self.position(id)
            .map(|position| self.children[position].iter().map(|&child| &self.units[child]).collect())
            .unwrap_or_default()
    }

    /// The tops: units without a parent (normally one, the pemerintah daerah).
    pub fn roots(&self) -> Vec<&Unor> {
        self.roots.iter().map(|&position| &self.units[position]).collect()
    }

    /// The chain from the top down to `id`, both included; empty for an unknown id.
    pub fn path(&self, id: &str) -> Vec<&Unor> {
        let mut path = Vec::new();
        let mut current = self.position(id);
        while let Some(position) = current {
            if path.len() > self.units.len() {
                break; // unreachable after `new` cut the cycles; a guard all the same
            }
            path.push(&self.units[position]);
            current = self.parent[position];
        }
        path.reverse();
        path
    }

    /// The eselon id of the unit `id` itself (`EselonId`); `None` for a non-struktural unit or an unknown id.
    pub fn eselon_of(&self, id: &str) -> Option<&str> {
        self.get(id)?.eselon_id.as_deref()
    }

    /// The OPD of `id`: the unit on its [`Self::path`] directly under the top (`DINAS PENDIDIKAN …` for a school).
    /// `None` for the top itself or an unknown id; a unit directly under the top is its own OPD.
    pub fn opd_of(&self, id: &str) -> Option<&Unor> {
        self.path(id).get(1).copied()
    }

    /// The ids of `id` and every unit below it, depth first in the order given; empty for an unknown id.
    pub fn subtree(&self, id: &str) -> Vec<&str> {
        let Some(start) = self.position(id) else { return Vec::new() };
        let mut seen = vec![false; self.units.len()];
        let mut stack = vec![start];
        let mut ids = Vec::new();
        while let Some(position) = stack.pop() {
            if std::mem::replace(&mut seen[position], true) {
                continue;
            }
            ids.push(self.units[position].id.as_str());
            stack.extend(self.children[position].iter().rev().copied());
        }
        ids
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
}

/// Cuts every cycle of `parent` links: within a cycle, the unit with the smallest id loses its parent.
fn break_cycles(units: &[Unor], parent: &mut [Option<usize>], warnings: &mut Vec<Warning>) {
    const UNSEEN: u8 = 0;
    const ON_WALK: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; units.len()];
    for start in 0..units.len() {
        let mut walk: Vec<usize> = Vec::new();
        let mut current = Some(start);
        while let Some(position) = current {
            match state[position] {
                DONE => break,
                ON_WALK => {
                    let from = walk.iter().position(|&step| step == position).unwrap_or(0);
                    let cycle = &walk[from..];
                    let Some(cut) = cycle.iter().copied().min_by_key(|&step| &units[step].id) else { break };
                    let chain: Vec<&str> =
                        cycle.iter().chain(std::iter::once(&position)).map(|&step| units[step].id.as_str()).collect();
                    let unit = &units[cut];
                    warnings.push(tree_warning(
                        unit,
                        "DiatasanId",
                        unit.diatasan_id.as_deref().unwrap_or_default(),
                        WarningKind::UnexpectedShape,
                        format!(
                            "unor melingkar ({}); tautan atasan diputus, unor ini dianggap puncak",
                            chain.join(" → ")
                        ),
                    ));
                    parent[cut] = None;
                    break;
                }
                _ => {
                    state[position] = ON_WALK;
                    walk.push(position);
                    current = parent[position];
                }
            }
        }
        for step in walk {
            state[step] = DONE;
        }
    }
}

fn tree_warning(unit: &Unor, field: &str, raw: &str, kind: WarningKind, message: String) -> Warning {
    Warning { record: format!("unor {}", unit.id), field: field.to_owned(), raw: raw.to_owned(), kind, message }
}

#[cfg(test)]
mod tests;
