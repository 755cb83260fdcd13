//! Data utama from any SI-ASN source: the web service's `data-utama` object or a row of the "Export Data ASN" CSV.
//!
//! Both sources describe the same record under different names (`tglLahir` / `tanggal_lahir`,
//! `golRuangAkhirId` / `gol_akhir_id`); each field lists every name it is known by. The few fields whose meaning
//! differs (`statusPegawai` `PNS` vs `status_cpns_pns` `P`) are reconciled here, once.

use crate::id::{Nik, Nip, PnsId};
use crate::pegawai::{DataUtama, JenisAsn, JenisKelamin};
use crate::rules::nip::{self, NipForm};
use crate::siasn::field::{FieldReader, Source};
use crate::warning::{Warning, WarningKind};

/// Decodes one data utama record; `label` names it in warnings (`"nip 1985…"` or `"baris 12"`).
///
/// Never fails: an unreadable field is left empty, its raw value kept in `raw` and reported.
pub fn decode_data_utama_record<S: Source + ?Sized>(source: &S, label: &str, warnings: &mut Vec<Warning>) -> DataUtama {
    let mut reader = FieldReader::new(source, label, "", warnings);
    let r = &mut reader;
    let nip = Nip::clean(&r.code(&["nipBaru", "nip_baru", "nip"]).unwrap_or_default());
    let nik = r.code(&["nik", "nomorIdDocument"]).map(|raw| Nik::clean(&raw));
    let jenis_kelamin_raw = r.text(&["jenisKelamin", "jenis_kelamin"]);
    let status_raw = r.text(&["statusPegawai", "status_pegawai", "status_cpns_pns", "statusCpnsPns"]);
    let kedudukan_hukum_id = r.code(&["kedudukanPnsId", "kedudukan_hukum_id", "kedudukanHukumId"]);
    let jenis_jabatan_id = r.code(&["jenisJabatanId", "jenis_jabatan_id"]);
    let jabatan_id = jabatan_id(r, jenis_jabatan_id.as_deref());

    let mut utama = DataUtama {
        pns_id: r.code(&["id", "pns_id", "pnsId", "pnsOrangId"]).map(PnsId::new),
        nip,
        nip_lama: r.code(&["nipLama", "nip_lama"]),
        nama: r.text(&["nama"]).unwrap_or_default(),
        gelar_depan: r.text(&["gelarDepan", "gelar_depan"]),
        gelar_belakang: r.text(&["gelarBelakang", "gelar_belakang"]),
        tempat_lahir_id: r.code(&["tempatLahirId", "tempat_lahir_id"]),
        tempat_lahir: r.text(&["tempatLahir", "tempat_lahir_nama", "tempat_lahir"]),
        tgl_lahir: r.date(&["tglLahir", "tanggal_lahir", "tgl_lahir"]),
        jenis_kelamin: None,
        agama_id: r.code(&["agamaId", "agama_id"]),
        agama_nama: r.text(&["agama", "agama_nama"]),
        status_kawin_id: r.code(&["jenisKawinId", "jenis_kawin_id", "statusKawinId"]),
        status_kawin_nama: r.text(&["statusPerkawinan", "jenis_kawin_nama", "status_kawin_nama"]),
        nik,
        valid_nik: r.flag(&["validNik", "valid_nik"]),
        email: r.text(&["email"]),
        email_gov: r.text(&["emailGov", "email_gov"]),
        no_hp: r.text(&["noHp", "nomor_hp", "no_hp"]),
        no_telp: r.text(&["noTelp", "nomor_telpon", "no_telp"]),
        alamat: r.text(&["alamat"]),
        npwp: r.text(&["noNpwp", "npwp_nomor", "npwp"]),
        bpjs: r.text(&["bpjs", "noAskes", "nomor_bpjs"]),
        kartu_asn: r.text(&["kartuAsn", "kartu_asn_virtual", "kartu_asn"]),
        jenis_pegawai_id: r.code(&["jenisPegawaiId", "jenis_pegawai_id"]),
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
        golongan_awal_id: r.code(&["golRuangAwalId", "gol_awal_id"]),
        golongan_akhir_id: r.code(&["golRuangAkhirId", "gol_akhir_id"]),
        tmt_golongan: r.date(&["tmtGolAkhir", "tmt_golongan", "tmtGolongan"]),
        mk_golongan_tahun: r.int(&["mkTahun", "mk_tahun"]),
        mk_golongan_bulan: r.int(&["mkBulan", "mk_bulan"]),
        jenis_jabatan_id,
        jabatan_id,
        jabatan_nama: r.text(&["jabatanNama", "jabatan_nama"]),
        tmt_jabatan: r.date(&["tmtJabatan", "tmt_jabatan"]),
        eselon_id: r.code(&["eselonId", "eselon_id"]),
        jenjang_jabatan: r.code(&["kode_jenjang_jabatan", "kodeJenjangJabatan"]),
        tingkat_pendidikan_id: r.code(&["tkPendidikanTerakhirId", "tingkat_pendidikan_id"]),
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
    if let Some(raw) = status_raw.filter(|_| utama.jenis_asn.is_none()) {
        let field = reader.field_name(&["statusPegawai", "status_pegawai", "status_cpns_pns", "statusCpnsPns"]);
        reader.warn(&field, &raw, WarningKind::UnknownCode, "status kepegawaian tidak dikenal");
    }
    utama.raw = reader.into_raw();
    utama
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
