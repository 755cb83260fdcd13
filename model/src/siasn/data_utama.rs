//! Data utama from any SI-ASN source: the web service's `data-utama` object or a row of the "Export Data ASN" CSV.
//!
//! Both sources describe the same record under different names (`tglLahir` / `tanggal_lahir`,
//! `golRuangAkhirId` / `gol_akhir_id`); each field lists every name it is known by. The few fields whose meaning
//! differs (`statusPegawai` `PNS` vs `status_cpns_pns` `P`) are reconciled here, once.

use crate::id::{Nik, Nip, PnsId};
use crate::pegawai::{DataUtama, JenisAsn, JenisKelamin};
use crate::referensi::{TabelKode, referensi};
use crate::rules::nip::{self, NipForm};
use crate::siasn::field::{FieldReader, Source};
use crate::warning::{Warning, WarningKind};

/// The names the fields that identify a pegawai go by, shared with the CSV decoder's duplicate check.
pub(crate) mod keys {
    /// NIP baru / NI PPPK.
    pub(crate) const NIP: &[&str] = &["nipBaru", "nip_baru", "nip"];
    /// SI-ASN person id.
    pub(crate) const PNS_ID: &[&str] = &["id", "pns_id", "pnsId", "pnsOrangId"];
    /// Nama without gelar.
    pub(crate) const NAMA: &[&str] = &["nama"];
    /// Tanggal lahir.
    pub(crate) const TGL_LAHIR: &[&str] = &["tglLahir", "tanggal_lahir", "tgl_lahir"];
    /// TMT jabatan.
    pub(crate) const TMT_JABATAN: &[&str] = &["tmtJabatan", "tmt_jabatan"];
    /// TMT golongan akhir.
    pub(crate) const TMT_GOLONGAN: &[&str] = &["tmtGolAkhir", "tmt_golongan", "tmtGolongan"];
    /// Status kepegawaian (`PNS`/`CPNS`/`PPPK`, or the CSV's `P`/`C`).
    pub(crate) const STATUS: &[&str] = &["statusPegawai", "status_pegawai", "status_cpns_pns", "statusCpnsPns"];
    /// Masa kerja golongan, months.
    pub(crate) const MK_BULAN: &[&str] = &["mkBulan", "mk_bulan"];
}

/// Decodes one data utama record; `label` names it in warnings (`"nip 1985…"` or `"baris 12"`).
///
/// Never fails: an unreadable field is left empty, its raw value kept in `raw` and reported.
pub fn decode_data_utama_record<S: Source + ?Sized>(source: &S, label: &str, warnings: &mut Vec<Warning>) -> DataUtama {
    let mut reader = FieldReader::new(source, label, "", warnings);
    let r = &mut reader;
    let tabel = referensi();
    let nip = Nip::clean(&r.code(keys::NIP).unwrap_or_default());
    let nik = r.code(&["nik", "nomorIdDocument"]).map(|raw| Nik::clean(&raw));
    let jenis_kelamin_raw = r.text(&["jenisKelamin", "jenis_kelamin"]);
    let status_raw = r.text(keys::STATUS);
    let kedudukan_hukum_id =
        kode_referensi(r, &["kedudukanPnsId", "kedudukan_hukum_id", "kedudukanHukumId"], &tabel.kedudukan_hukum);
    let jenis_jabatan_id = kode_referensi(r, &["jenisJabatanId", "jenis_jabatan_id"], &tabel.jenis_jabatan);
    let jabatan_id = jabatan_id(r, jenis_jabatan_id.as_deref());

    let mut utama = DataUtama {
        pns_id: r.code(keys::PNS_ID).map(PnsId::new),
        nip,
        nip_lama: r.code(&["nipLama", "nip_lama"]),
        nama: r.text(keys::NAMA).unwrap_or_default(),
        gelar_depan: r.text(&["gelarDepan", "gelar_depan"]),
        gelar_belakang: r.text(&["gelarBelakang", "gelar_belakang"]),
        tempat_lahir_id: r.code(&["tempatLahirId", "tempat_lahir_id"]),
        tempat_lahir: r.text(&["tempatLahir", "tempat_lahir_nama", "tempat_lahir"]),
        tgl_lahir: r.date(keys::TGL_LAHIR),
        jenis_kelamin: None,
        agama_id: kode_referensi(r, &["agamaId", "agama_id"], &tabel.agama),
        agama_nama: r.text(&["agama", "agama_nama"]),
        status_kawin_id: kode_referensi(r, &["jenisKawinId", "jenis_kawin_id", "statusKawinId"], &tabel.status_kawin),
        status_kawin_nama: r.text(&["statusPerkawinan", "jenis_kawin_nama", "status_kawin_nama"]),
        nik,
        valid_nik: r.flag(&["validNik", "valid_nik"]),
        email: r.text(&["email"]),
        email_gov: r.text(&["emailGov", "email_gov"]),
        no_hp: r.code(&["noHp", "nomor_hp", "no_hp"]),
        no_telp: r.text(&["noTelp", "nomor_telpon", "no_telp"]),
        alamat: r.text(&["alamat"]),
        npwp: r.code(&["noNpwp", "npwp_nomor", "npwp"]),
        bpjs: r.code(&["bpjs", "noAskes", "nomor_bpjs"]),
        kartu_asn: r.text(&["kartuAsn", "kartu_asn_virtual", "kartu_asn"]),
        jenis_pegawai_id: kode_referensi(r, &["jenisPegawaiId", "jenis_pegawai_id"], &tabel.jenis_pegawai),
        jenis_pegawai_nama: r.text(&["jenisPegawaiNama", "jenis_pegawai_nama"]),
        jenis_asn: None,
        kedudukan_hukum_id,
        kedudukan_hukum_nama: r.text(&["kedudukanPnsNama", "kedudukan_hukum_nama"]),
        nomor_sk_cpns: r.text(&["nomorSkCpns", "nomor_sk_cpns"]),
        tgl_sk_cpns: r.date(&["tglSkCpns", "tanggal_sk_cpns"]),
        tmt_cpns: r.date(&["tmtCpns", "tmt_cpns"]),
        nomor_sk_pns: r.text(&["nomorSkPns", "nomor_sk_pns"]),
        tgl_sk_pns: r.date(&["tglSkPns", "tanggal_sk_pns"]),
        tmt_pns: r.date(&["tmtPns", "tmt_pns"]),
        golongan_awal_id: kode_referensi(r, &["golRuangAwalId", "gol_awal_id"], &tabel.golongan),
        golongan_akhir_id: kode_referensi(r, &["golRuangAkhirId", "gol_akhir_id"], &tabel.golongan),
        tmt_golongan: r.date(keys::TMT_GOLONGAN),
        mk_golongan_tahun: r.int(&["mkTahun", "mk_tahun"]),
        mk_golongan_bulan: r.int(keys::MK_BULAN),
        jenis_jabatan_id,
        jabatan_id,
        jabatan_nama: r.text(&["jabatanNama", "jabatan_nama"]),
        tmt_jabatan: r.date(keys::TMT_JABATAN),
        eselon_id: kode_referensi(r, &["eselonId", "eselon_id"], &tabel.eselon),
        jenjang_jabatan: r.code(&["kode_jenjang_jabatan", "kodeJenjangJabatan"]),
        tingkat_pendidikan_id: kode_referensi(
            r,
            &["tkPendidikanTerakhirId", "tingkat_pendidikan_id"],
            &tabel.tingkat_pendidikan,
        ),
        tingkat_pendidikan_nama: r.text(&["tkPendidikanTerakhir", "tingkat_pendidikan_nama"]),
        pendidikan_id: r.code(&["pendidikanTerakhirId", "pendidikan_id"]),
        pendidikan_nama: r.text(&["pendidikanTerakhirNama", "pendidikan_nama"]),
        tahun_lulus: r.text(&["tahunLulus", "tahun_lulus"]),
        unor_id: r.code(&["unorId", "unor_id"]),
        unor_nama: r.text(&["unorNama", "unor_nama"]),
        unor_induk_id: r.code(&["unorIndukId", "unor_induk_id"]),
        unor_induk_nama: r.text(&["unorIndukNama", "unor_induk_nama"]),
        instansi_induk_id: r.code(&["instansiIndukId", "instansi_induk_id"]),
        instansi_induk_nama: r.text(&["instansiIndukNama", "instansi_induk_nama"]),
        instansi_kerja_id: r.code(&["instansiKerjaId", "instansi_kerja_id"]),
        instansi_kerja_nama: r.text(&["instansiKerjaNama", "instansi_kerja_nama"]),
        satuan_kerja_induk_id: r.code(&["satuanKerjaIndukId", "satuan_kerja_induk_id"]),
        satuan_kerja_kerja_id: r.code(&["satuanKerjaKerjaId", "satuan_kerja_kerja_id"]),
        lokasi_kerja_id: r.code(&["lokasiKerjaId", "lokasi_kerja_id"]),
        lokasi_kerja_nama: r.text(&["lokasiKerja", "lokasi_kerja_nama"]),
        kpkn_id: r.code(&["kpknId", "kpkn_id"]),
        kpkn_nama: r.text(&["kpknNama", "kpkn_nama"]),
        tmt_pensiun_siasn: r.date(&["tmtPensiun"]),
        bup_siasn: r.int(&["bupPensiun"]),
        dokumen: Vec::new(),
        raw: Default::default(),
    };
    if utama.nama.is_empty() {
        let field = reader.field_name(&["nama"]);
        reader.warn(&field, "", WarningKind::MissingValue, "nama kosong");
    }
    utama.jenis_kelamin = jenis_kelamin_raw.and_then(|raw| {
        let value = parse_jenis_kelamin(&raw);
        if value.is_none() {
            let field = reader.field_name(&["jenisKelamin", "jenis_kelamin"]);
            reader.warn(&field, &raw, WarningKind::UnknownCode, "jenis kelamin bukan M/F/L/P; dikosongkan");
        }
        value
    });
    utama.jenis_asn = jenis_asn(&utama.nip, status_raw.as_deref(), utama.kedudukan_hukum_id.as_deref());
    if utama.jenis_asn.is_none() {
        match status_raw {
            Some(raw) => reader.warn(
                &reader.field_name(keys::STATUS),
                &raw,
                WarningKind::UnknownCode,
                "status kepegawaian tidak dikenal (harus PNS/CPNS/PPPK atau P/C); perbaiki di SIASN",
            ),
            None => reader.warn(
                "jenis_asn",
                "",
                WarningKind::MissingValue,
                "jenis ASN (PNS/CPNS/PPPK) tidak dapat ditentukan: status kosong, NIP bukan NI PPPK dan kedudukan \
                 hukum bukan 71/72; lengkapi status kepegawaian di SIASN",
            ),
        }
    }
    if let Some(bulan) = utama.mk_golongan_bulan.filter(|bulan| !(0..=11).contains(bulan)) {
        let field = reader.field_name(keys::MK_BULAN);
        reader.warn(
            &field,
            &bulan.to_string(),
            WarningKind::InvalidNumber,
            "masa kerja golongan bulan harus 0–11; nilai disimpan, perbaiki di SIASN menu Peremajaan Data",
        );
    }
    utama.raw = reader.into_raw();
    utama
}

/// A code checked against its reference table. A code the table lacks but whose zero-padded (`1` → `01`) or
/// unpadded (`01` → `1`) form it has is normalised and reported, its raw value kept; an unknown code is kept as
/// it is and reported ([`WarningKind::UnknownCode`]).
fn kode_referensi<S: Source + ?Sized>(
    reader: &mut FieldReader<'_, S>,
    keys: &[&str],
    tabel: &dyn TabelKode,
) -> Option<String> {
    let value = reader.code(keys)?;
    if tabel.nama(&value).is_some() {
        return Some(value);
    }
    let field = reader.field_name(keys);
    if value.bytes().all(|byte| byte.is_ascii_digit()) {
        let padded = format!("{value:0>2}");
        let unpadded = value.trim_start_matches('0');
        let normal = [padded.as_str(), unpadded]
            .into_iter()
            .find(|candidate| !candidate.is_empty() && *candidate != value && tabel.nama(candidate).is_some());
        if let Some(normal) = normal {
            let message = format!("kode '{value}' dibaca sebagai '{normal}' (tabel {})", tabel.nama_tabel());
            let normal = normal.to_owned();
            reader.warn(&field, &value, WarningKind::UnknownCode, message);
            return Some(normal);
        }
    }
    let message = format!(
        "kode '{value}' tidak ada di tabel referensi {}; disimpan apa adanya, perbaiki di SIASN menu Peremajaan Data",
        tabel.nama_tabel()
    );
    reader.warn(&field, &value, WarningKind::UnknownCode, message);
    Some(value)
}

/// Reads `M`/`F` (SI-ASN), `L`/`P` (Indonesian forms), `1`/`2` (NIP digit) and the spelled-out words.
pub fn parse_jenis_kelamin(raw: &str) -> Option<JenisKelamin> {
    match raw.trim().to_lowercase().as_str() {
        "m" | "l" | "1" | "laki-laki" | "laki laki" | "lakilaki" | "pria" | "male" => Some(JenisKelamin::LakiLaki),
        "f" | "p" | "2" | "perempuan" | "wanita" | "female" => Some(JenisKelamin::Perempuan),
        _ => None,
    }
}

/// PNS, CPNS or PPPK (expected.json conventions): the web service's `statusPegawai` word when present; otherwise a
/// NIP in NI PPPK form means PPPK, then the CSV's `status_cpns_pns` `P`/`C`, then kedudukan 71/72 (PPPK).
fn jenis_asn(nip: &Nip, status: Option<&str>, kedudukan: Option<&str>) -> Option<JenisAsn> {
    let status = status.map(|text| text.trim().to_uppercase());
    match status.as_deref() {
        Some("PNS") => return Some(JenisAsn::Pns),
        Some("CPNS") => return Some(JenisAsn::Cpns),
        Some("PPPK") | Some("P3K") => return Some(JenisAsn::Pppk),
        _ => {}
    }
    if nip::form(nip) == NipForm::Pppk {
        return Some(JenisAsn::Pppk);
    }
    match status.as_deref() {
        Some("P") => Some(JenisAsn::Pns),
        Some("C") => Some(JenisAsn::Cpns),
        _ if matches!(kedudukan, Some("71") | Some("72")) => Some(JenisAsn::Pppk),
        _ => None,
    }
}

/// The jabatan id: the CSV's `jabatan_id`, or the web service's id matching the jenis jabatan.
fn jabatan_id<S: Source + ?Sized>(reader: &mut FieldReader<'_, S>, jenis: Option<&str>) -> Option<String> {
    let by_jenis: &[&str] = match jenis {
        Some("1") => &["jabatanStrukturalId"],
        Some("2") => &["jabatanFungsionalId"],
        Some("4") => &["jabatanFungsionalUmumId"],
        _ => &[],
    };
    by_jenis
        .iter()
        .chain(&["jabatan_id", "jabatanId", "jabatanStrukturalId", "jabatanFungsionalId", "jabatanFungsionalUmumId"])
        .find_map(|key| reader.code(&[key]))
}

#[cfg(test)]
mod tests;
