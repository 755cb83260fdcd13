//! Writes a [`Profil`] in SI-ASN's JSON shapes: the `data-utama` object (every scalar a string or null, dates
//! `dd-mm-yyyy`, `M`/`F`) and the `data` of each `rw-*` and keluarga endpoint, key for key as the fixtures have
//! them (`../shared/fixtures/ws/`).
//!
//! What this module does not do: it does not wrap bodies in envelopes or write files (that is `output`), and it
//! adds no dirt: every value is in the cleanest form SI-ASN emits.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use model::referensi::referensi;
use serde_json::{Map, Value};

use crate::GeneratedPegawai;
use crate::ids::{dmy, guid_pada, ref_id, whole_months};
use crate::katalog;
use crate::profil::{Asn, Jabatan, Konteks, Penilai, Peran, Profil, gelar_program, kuadran};
use crate::rng::Rng;
use crate::unor::Tree;

/// A JSON object under construction.
struct Obj(Map<String, Value>);

impl Obj {
    fn new() -> Self {
        Obj(Map::new())
    }

    fn s(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.0.insert(key.to_owned(), Value::String(value.into()));
        self
    }

    fn o(&mut self, key: &str, value: Option<impl Into<String>>) -> &mut Self {
        self.0.insert(key.to_owned(), value.map_or(Value::Null, |value| Value::String(value.into())));
        self
    }

    fn null(&mut self, key: &str) -> &mut Self {
        self.0.insert(key.to_owned(), Value::Null);
        self
    }

    fn date(&mut self, key: &str, value: Option<NaiveDate>) -> &mut Self {
        self.o(key, value.map(dmy))
    }

    fn v(&mut self, key: &str, value: Value) -> &mut Self {
        self.0.insert(key.to_owned(), value);
        self
    }

    fn done(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.0))
    }
}

/// A `path` entry: `{dok_id, dok_nama, dok_uri, object, slug}` keyed by the ref dokumen id.
fn dokumen(id: &str, nama: &str, file: &str) -> (String, Value) {
    let uri = format!("peremajaan/usulan/{id}_{file}.pdf");
    let mut entry = Obj::new();
    entry.s("dok_id", id).s("dok_nama", nama).s("dok_uri", uri.clone()).s("object", uri).s("slug", id);
    (id.to_owned(), entry.done())
}

/// A UUID-shaped file name derived from `key` (documents uploaded to SI-ASN are named by a UUID).
fn uuid_dari(key: &str) -> String {
    let hex = ref_id("dokumen", key).to_lowercase();
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// PP 5/2024 gaji pokok at masa kerja 0 of each golongan, in rupiah.
fn gaji_dasar(golongan: &str) -> f64 {
    match golongan {
        "11" => 1_685_700.0,
        "12" => 1_840_800.0,
        "13" => 1_918_700.0,
        "14" => 1_999_900.0,
        "21" => 2_184_000.0,
        "22" => 2_385_000.0,
        "23" => 2_485_900.0,
        "24" => 2_591_100.0,
        "31" => 2_785_700.0,
        "32" => 2_903_600.0,
        "33" => 3_026_400.0,
        "34" => 3_154_400.0,
        "41" => 3_287_800.0,
        "42" => 3_426_900.0,
        "43" => 3_571_900.0,
        "44" => 3_723_000.0,
        _ => 3_880_400.0,
    }
}

/// Gaji pokok for a golongan and a masa kerja in months: about 3.4% more every two years, capped at 32 years,
/// rounded to the hundred; 80% for a CPNS.
fn gaji_pokok(golongan: &str, mk_bulan: i32, cpns: bool) -> String {
    let langkah = (mk_bulan / 24).clamp(0, 16);
    let mut gaji = gaji_dasar(golongan) * 1.0343f64.powi(langkah);
    if cpns {
        gaji *= 0.8;
    }
    format!("{}", ((gaji / 100.0).round() as i64) * 100)
}

/// The golongan a PPPK is paid like, by education.
fn golongan_setara_pppk(tingkat: &str) -> &'static str {
    match tingkat {
        "30" => "23",
        "35" | "40" => "31",
        "45" | "50" => "32",
        _ => "21",
    }
}

fn nama_golongan(id: &str) -> (&'static str, &'static str) {
    katalog::nama_golongan(id).unwrap_or(("", ""))
}

/// The rendered pegawai: data utama and the `data` of each endpoint (`None` = 404).
pub(crate) fn render(
    ctx: &Konteks<'_>,
    profil: &Profil,
    penilai: &[Option<Penilai>],
    bupati: &str,
) -> GeneratedPegawai {
    let mut riwayat: BTreeMap<&'static str, Option<Value>> = BTreeMap::new();
    riwayat.insert("rw-golongan", (profil.asn != Asn::Pppk).then(|| rw_golongan(profil)));
    riwayat.insert("rw-jabatan", Some(rw_jabatan(ctx, profil)));
    riwayat.insert("rw-pendidikan", (!profil.pendidikan_kosong).then(|| rw_pendidikan(profil)));
    let kosong = |rows: &Value, slot: usize| match rows {
        Value::Array(items) if items.is_empty() && profil.kosong_404[slot] => None,
        other => Some(other.clone()),
    };
    let skp = rw_skp22(ctx.tree, profil, penilai, bupati);
    riwayat.insert("rw-skp22", kosong(&skp, 2));
    riwayat.insert("rw-diklat", kosong(&rw_diklat(profil), 0));
    riwayat.insert("rw-penghargaan", kosong(&rw_penghargaan(profil), 1));
    riwayat.insert("data-pasangan", profil.pasangan.as_ref().map(|_| data_pasangan(profil)));
    let anak = match (&profil.pasangan, profil.anak.is_empty()) {
        (None, _) => None,
        (Some(_), true) if profil.kosong_404[3] => None,
        _ => Some(data_anak(profil, ctx.tree)),
    };
    riwayat.insert("data-anak", anak);
    GeneratedPegawai {
        nip: profil.nip.clone(),
        data_utama: data_utama_value(ctx, profil),
        riwayat,
        anomali: profil.anomali.into_iter().collect(),
    }
}

/// Receives the fields of data utama one by one: a JSON object builder or a CSV row.
pub(crate) trait Isian {
    /// Sets `key` to a string, or to null for `None`.
    fn isi(&mut self, key: &'static str, value: Option<&str>);

    /// Sets `key` to a string.
    fn s(&mut self, key: &'static str, value: &str) -> &mut Self {
        self.isi(key, Some(value));
        self
    }

    /// Sets `key` to a string or null.
    fn o(&mut self, key: &'static str, value: Option<&str>) -> &mut Self {
        self.isi(key, value);
        self
    }

    /// Sets `key` to null.
    fn null(&mut self, key: &'static str) -> &mut Self {
        self.isi(key, None);
        self
    }

    /// Sets `key` to a `dd-mm-yyyy` date or null.
    fn date(&mut self, key: &'static str, value: Option<NaiveDate>) -> &mut Self {
        let text = value.map(dmy);
        self.isi(key, text.as_deref());
        self
    }
}

impl Isian for Obj {
    fn isi(&mut self, key: &'static str, value: Option<&str>) {
        self.0.insert(key.to_owned(), value.map_or(Value::Null, |value| Value::String(value.to_owned())));
    }
}

/// The `data` object of `data-utama`.
fn data_utama_value(ctx: &Konteks<'_>, p: &Profil) -> Value {
    let mut o = Obj::new();
    data_utama(&mut o, ctx, p);
    o.done()
}

/// Writes the fields of `data-utama` into `o`, in SI-ASN's order.
pub(crate) fn data_utama<I: Isian>(o: &mut I, ctx: &Konteks<'_>, p: &Profil) {
    let instansi = ctx.instansi;
    let tree = ctx.tree;
    let today = ctx.config.today;
    let r = referensi();
    let jabatan = p.jabatan_kini();
    let unit = &tree.units[p.unit()];
    let opd = tree.opd(p.unit());
    let golongan_awal = p.golongan.first();
    let golongan_akhir = p.golongan_kini();
    let tempat_lahir_id = ref_id("lokasi", &p.tempat_lahir);
    o.s("id", &p.pns_id)
        .s("nipBaru", &p.nip)
        .s("nipLama", p.nip_lama.as_deref().unwrap_or(""))
        .s("nama", &p.nama)
        .s("gelarDepan", p.gelar_depan.as_deref().unwrap_or(""))
        .s("gelarBelakang", p.gelar_belakang.as_deref().unwrap_or(""))
        .s("tempatLahir", &p.tempat_lahir)
        .s("tempatLahirId", &tempat_lahir_id)
        .date("tglLahir", Some(p.tgl_lahir))
        .s("agama", r.agama.nama(p.agama).unwrap_or_default())
        .s("agamaId", p.agama)
        .s("jenisKelamin", if p.wanita { "F" } else { "M" })
        .s("email", p.email.as_deref().unwrap_or(""))
        .s("emailGov", p.email_gov.as_deref().unwrap_or(""))
        .null("genEmailAsn")
        .s("nik", p.nik.as_deref().unwrap_or(""))
        .s("validNik", if p.valid_nik { "true" } else { "false" })
        .s("alamat", &p.alamat)
        .s("noHp", p.no_hp.as_deref().unwrap_or(""))
        .null("noTelp")
        .s("kodePos", &p.kode_pos);
    let (jenis_pegawai, status) = match p.asn {
        Asn::Pns => ("15", "PNS"),
        Asn::Cpns => ("15", "CPNS"),
        Asn::Pppk => ("61", "PPPK"),
    };
    o.s("jenisPegawaiId", jenis_pegawai)
        .s("jenisPegawaiNama", r.jenis_pegawai.nama(jenis_pegawai).unwrap_or_default())
        .s("statusPegawai", status)
        .s("kedudukanPnsId", p.kedudukan)
        .s("kedudukanPnsNama", r.kedudukan_hukum.nama(p.kedudukan).unwrap_or_default())
        .s("jenisIdDokumenId", "1")
        .s("jenisIdDokumenNama", "KTP")
        .s("nomorIdDocument", p.nik.as_deref().unwrap_or(""))
        .o("noSeriKarpeg", p.karpeg.as_deref())
        .o("kartuAsn", p.kartu_asn.as_deref())
        .o("karis_karsu", p.karis_karsu.as_deref());
    let terakhir = p.pendidikan_terakhir().filter(|_| !p.pendidikan_kosong);
    let pendidikan_id = terakhir.map(|row| ref_id("pendidikan", row.program.nama));
    let tahun_lulus = terakhir.map(|row| row.lulus.year().to_string());
    o.o("tkPendidikanTerakhirId", terakhir.map(|row| row.program.tingkat))
        .o("tkPendidikanTerakhir", terakhir.map(|row| katalog::nama_tingkat(row.program.tingkat)))
        .o("pendidikanTerakhirId", pendidikan_id.as_deref())
        .o("pendidikanTerakhirNama", terakhir.map(|row| row.program.nama))
        .o("tahunLulus", tahun_lulus.as_deref())
        .date("tmtCpns", p.tmt_cpns)
        .date("tglSkCpns", p.sk_cpns.as_ref().map(|(_, date)| *date))
        .o("nomorSkCpns", p.sk_cpns.as_ref().map(|(nomor, _)| nomor.as_str()))
        .date("tmtPns", p.tmt_pns)
        .date("tglSkPns", p.sk_pns.as_ref().map(|(_, date)| *date))
        .o("nomorSkPns", p.sk_pns.as_ref().map(|(nomor, _)| nomor.as_str()))
        .o("noSpmt", p.spmt.as_ref().map(|(nomor, _)| nomor.as_str()))
        .date("tglSpmt", p.spmt.as_ref().map(|(_, date)| *date))
        .date("tglSttpl", p.sttpl.as_ref().map(|(_, date)| *date))
        .o("nomorSttpl", p.sttpl.as_ref().map(|(nomor, _)| nomor.as_str()))
        .date("tmtPensiun", Some(p.tmt_pensiun))
        .s("bupPensiun", &p.bup.to_string())
        .s("instansiIndukId", &instansi.instansi_id)
        .s("instansiIndukNama", &instansi.nama)
        .s("instansiKerjaId", &instansi.instansi_id)
        .s("instansiKerjaNama", &instansi.nama)
        .s("instansiKerjaKodeCepat", &instansi.kode_cepat)
        .s("satuanKerjaIndukId", &instansi.satuan_kerja_id)
        .s("satuanKerjaIndukNama", &instansi.nama)
        .s("satuanKerjaKerjaId", &instansi.satuan_kerja_id)
        .s("satuanKerjaKerjaNama", &instansi.nama)
        .s("kanregId", &instansi.kanreg_id)
        .s("kanregNama", &instansi.kanreg_nama)
        .s("unorId", &unit.id)
        .s("unorNama", &unit.nama)
        .s("unorIndukId", &opd.id)
        .s("unorIndukNama", &opd.nama)
        .s("lokasiKerjaId", &instansi.lokasi_kerja_id)
        .s("lokasiKerja", &instansi.lokasi_kerja_nama);

    let jenis = jabatan.map_or("4", |row| row.jenis);
    let nama_jabatan = jabatan.map(|row| row.nama.as_str());
    let id_jabatan = jabatan.map(|row| row.jabatan_id(tree));
    o.s("jenisJabatanId", jenis)
        .s("jenisJabatan", r.jenis_jabatan.nama(jenis).unwrap_or_default())
        .o("jabatanNama", nama_jabatan);
    for (kode, id_key, nama_key) in [
        ("1", "jabatanStrukturalId", "jabatanStrukturalNama"),
        ("2", "jabatanFungsionalId", "jabatanFungsionalNama"),
        ("4", "jabatanFungsionalUmumId", "jabatanFungsionalUmumNama"),
    ] {
        if jenis == kode {
            o.o(id_key, id_jabatan.as_deref()).o(nama_key, nama_jabatan);
        } else {
            o.null(id_key).null(nama_key);
        }
    }
    o.date("tmtJabatan", jabatan.map(|row| row.tmt));
    let eselon = jabatan.and_then(|row| row.eselon).and_then(|id| r.eselon(id));
    let level = eselon.map(|row| &row.id[..1]);
    o.o("eselon", eselon.map(|row| row.nama.as_str()))
        .o("eselonId", eselon.map(|row| row.id.as_str()))
        .o("eselonLevel", level)
        .date("tmtEselon", eselon.and(jabatan.map(|row| row.tmt)));
    let jenjang = jabatan.and_then(|row| row.jenjang);
    let jenjang_nama = jenjang.map(|kode| katalog::nama_jenjang(kode).to_uppercase());
    let jabatan_asn = match (jenis, eselon) {
        ("1", Some(row)) => row.jabatan_asn.as_deref().unwrap_or("PENGAWAS"),
        ("2", _) => "FUNGSIONAL",
        _ => "PELAKSANA",
    };
    let kelas = match (jenis, eselon, jenjang) {
        ("1", Some(row), _) => katalog::kelas_struktural(&row.id),
        ("2", _, Some(kode)) => katalog::kelas_fungsional(kode),
        _ => katalog::kelas_pelaksana(p.pendidikan_terakhir().map_or("15", |row| row.program.tingkat)),
    };
    o.o("jenjang", jenjang_nama.as_deref())
        .s("jabatanAsn", jabatan_asn)
        .s("asnJenjangJabatan", jenjang_nama.as_deref().unwrap_or(jabatan_asn))
        .o("kode_jenjang_jabatan", jenjang)
        .o("levelJabatan", level)
        .s("kelas_jabatan", &kelas.to_string());

    let golongan = |row: Option<&crate::profil::Pangkat>| row.and_then(|row| katalog::nama_golongan(row.golongan));
    let (awal, akhir) = (golongan(golongan_awal), golongan(golongan_akhir));
    let mk = golongan_akhir.map(|row| ((row.mk_bulan / 12).to_string(), (row.mk_bulan % 12).to_string()));
    o.o("golRuangAwalId", golongan_awal.map(|row| row.golongan))
        .o("golRuangAwal", awal.map(|(nama, _)| nama))
        .o("pangkatAwal", awal.map(|(_, pangkat)| pangkat))
        .o("golRuangAkhirId", golongan_akhir.map(|row| row.golongan))
        .o("golRuangAkhir", akhir.map(|(nama, _)| nama))
        .o("pangkatAkhir", akhir.map(|(_, pangkat)| pangkat))
        .date("tmtGolAkhir", golongan_akhir.map(|row| row.tmt))
        .o("mkTahun", mk.as_ref().map(|(tahun, _)| tahun.as_str()))
        .o("mkBulan", mk.as_ref().map(|(_, bulan)| bulan.as_str()));
    let masa_kerja = whole_months(p.tmt_awal, today);
    let gaji = match golongan_akhir {
        Some(row) => gaji_pokok(row.golongan, row.mk_bulan + whole_months(row.tmt, today), p.asn == Asn::Cpns),
        None => {
            let tingkat = p.pendidikan_terakhir().map_or("15", |row| row.program.tingkat);
            gaji_pokok(golongan_setara_pppk(tingkat), masa_kerja, false)
        }
    };
    o.s("masaKerja", &format!("{} Tahun {} Bulan", masa_kerja / 12, masa_kerja % 12))
        .s("gajiPokok", &gaji)
        .s("kpknId", &instansi.kpkn_id)
        .s("kpknNama", &instansi.kpkn_nama)
        .s("kppnId", &instansi.kpkn_id)
        .s("kppnNama", &instansi.kpkn_nama)
        .s("ktuaId", &instansi.ktua_id)
        .s("ktuaNama", &instansi.lokasi_kerja_nama)
        .s("taspenId", &instansi.taspen_id)
        .s("taspenNama", &instansi.taspen_nama);
    let kawin = p.pasangan.as_ref().map_or("4", |pasangan| pasangan.jenis_kawin);
    let taspen_tanggal = p.taspen.as_ref().and(p.tmt_cpns).map(|date| format!("{} 00:00:00", date.format("%Y-%m-%d")));
    o.s("jenisKawinId", kawin)
        .s("statusPerkawinan", r.status_kawin.nama(kawin).unwrap_or_default())
        .s("jumlahIstriSuami", if kawin == "1" { "1" } else { "0" })
        .s("jumlahAnak", &p.anak.len().to_string())
        .s("statusHidup", "1")
        .null("tglMeninggal")
        .null("akteMeninggal")
        .null("akteKelahiran")
        .o("noSuratKeteranganDokter", p.surat_dokter.as_ref().map(|(nomor, _)| nomor.as_str()))
        .date("tglSuratKeteranganDokter", p.surat_dokter.as_ref().map(|(_, date)| *date))
        .o("noSuratKeteranganBebasNarkoba", p.surat_narkoba.as_ref().map(|(nomor, _)| nomor.as_str()))
        .date("tglSuratKeteranganBebasNarkoba", p.surat_narkoba.as_ref().map(|(_, date)| *date))
        .o("skck", p.skck.as_ref().map(|(nomor, _)| nomor.as_str()))
        .date("tglSkck", p.skck.as_ref().map(|(_, date)| *date))
        .o("noNpwp", p.npwp.as_deref())
        .null("tglNpwp")
        .null("noAskes")
        .o("bpjs", p.bpjs.as_deref())
        .o("noTaspen", p.taspen.as_deref())
        .o("tanggal_taspen", taspen_tanggal.as_deref())
        .null("tabrum2")
        .null("bahasa");
    let path = p.dokumen_utama.then(|| {
        let mut docs = Map::new();
        let mut add = |id: &str, nama: &str| {
            let (key, value) = dokumen(id, nama, &uuid_dari(&format!("{}{id}", p.pns_id)));
            docs.insert(key, value);
        };
        add("889", "Dok SK CPNS");
        if p.spmt.is_some() {
            add("888", "Dok SPMT");
        }
        if p.tmt_pns.is_some() {
            add("887", "Dok SK PNS");
        }
        Value::Object(docs).to_string()
    });
    o.o("path", path.as_deref());
}

/// The `idPns`, `nipBaru`, `nipLama` every riwayat row repeats.
fn pegawai_keys(o: &mut Obj, p: &Profil) {
    o.s("idPns", &p.pns_id).s("nipBaru", &p.nip).s("nipLama", p.nip_lama.clone().unwrap_or_default());
}

fn rw_golongan(p: &Profil) -> Value {
    let rows = p
        .golongan
        .iter()
        .map(|row| {
            let (golongan, pangkat) = nama_golongan(row.golongan);
            let jenis_nama = referensi()
                .jenis_kp(row.jenis_kp)
                .map_or_else(String::new, |jenis| jenis.nama.replace("Pilihan  (", "Pilihan ("));
            let teks = row.teks();
            let mut o = Obj::new();
            o.s("id", &teks.id);
            pegawai_keys(&mut o, p);
            o.s("golonganId", row.golongan)
                .s("golongan", golongan)
                .s("pangkat", pangkat)
                .s("jenisKPId", row.jenis_kp)
                .s("jenisKPNama", jenis_nama)
                .s("masaKerjaGolonganTahun", (row.mk_bulan / 12).to_string())
                .s("masaKerjaGolonganBulan", (row.mk_bulan % 12).to_string())
                .s("jumlahKreditUtama", "0")
                .s("jumlahKreditTambahan", "0")
                .o("noPertekBkn", teks.pertek.clone())
                .date("tglPertekBkn", row.pertek_tanggal)
                .s("skNomor", &teks.sk_nomor)
                .s("skTanggal", dmy(row.sk_tanggal))
                .s("tmtGolongan", dmy(row.tmt));
            let path = row.dokumen.then(|| {
                let (key, value) = dokumen("858", "Dok SK KP", &teks.id);
                Value::Object(Map::from_iter([(key, value)]))
            });
            o.v("path", path.unwrap_or(Value::Null));
            o.done()
        })
        .collect();
    Value::Array(rows)
}

fn rw_jabatan(ctx: &Konteks<'_>, p: &Profil) -> Value {
    let tree = ctx.tree;
    let instansi = ctx.instansi;
    let rows = p
        .jabatan
        .iter()
        .map(|row: &Jabatan| {
            let unit = &tree.units[row.unit];
            let opd = tree.opd(row.unit);
            let eselon = row.eselon.and_then(|id| referensi().eselon(id));
            let (id, nomor_sk) = row.teks();
            let (fungsional_id, fungsional_nama) =
                if row.jenis == "2" { (row.jabatan_id(tree), row.nama.clone()) } else { Default::default() };
            let (umum_id, umum_nama) =
                if row.jenis == "4" { (row.jabatan_id(tree), row.nama.clone()) } else { Default::default() };
            let mut o = Obj::new();
            o.s("id", &id);
            pegawai_keys(&mut o, p);
            o.s("jenisJabatan", row.jenis)
                .s("instansiKerjaId", &instansi.instansi_id)
                .s("instansiKerjaNama", &instansi.nama)
                .s("satuanKerjaId", &instansi.satuan_kerja_id)
                .s("satuanKerjaNama", &instansi.nama)
                .s("unorId", &unit.id)
                .s("unorNama", &unit.nama)
                .s("unorIndukId", &opd.id)
                .s("unorIndukNama", &opd.nama)
                .s("namaUnor", &unit.nama)
                .o("eselon", eselon.map(|row| row.nama.clone()))
                .o("eselonId", eselon.map(|row| row.id.clone()))
                .s("jabatanFungsionalId", fungsional_id)
                .s("jabatanFungsionalNama", fungsional_nama)
                .s("jabatanFungsionalUmumId", umum_id)
                .s("jabatanFungsionalUmumNama", umum_nama)
                .o("namaJabatan", (row.jenis == "1").then(|| row.nama.clone()))
                .o("subJabatanId", row.sub_jabatan)
                .s("jenisPenugasanId", row.penugasan)
                .s("jenisMutasiId", row.mutasi)
                .s("tmtJabatan", dmy(row.tmt))
                .s("tanggalSk", dmy(row.tanggal_sk))
                .date("tmtPelantikan", (row.jenis == "1").then_some(row.tmt))
                .date("tmtMutasi", (!row.mutasi.is_empty()).then_some(row.tmt))
                .s("nomorSk", &nomor_sk);
            let path = row.dokumen.then(|| {
                let (key, value) = dokumen("872", "Dok SK Jabatan", &id);
                Value::Object(Map::from_iter([(key, value)]))
            });
            o.v("path", path.unwrap_or(Value::Null));
            o.done()
        })
        .collect();
    Value::Array(rows)
}

fn rw_pendidikan(p: &Profil) -> Value {
    let rows = p
        .pendidikan
        .iter()
        .map(|row| {
            let (id, nomor_ijazah) = row.teks(p.tmt_awal);
            let (depan, belakang) = gelar_program(&row.program, row.lulus.year(), p.wanita);
            let mut o = Obj::new();
            o.s("id", &id);
            pegawai_keys(&mut o, p);
            o.s("pendidikanId", ref_id("pendidikan", row.program.nama))
                .s("pendidikanNama", row.program.nama)
                .s("tkPendidikanId", row.program.tingkat)
                .s("tkPendidikanNama", katalog::nama_tingkat(row.program.tingkat))
                .s("tahunLulus", row.lulus.year().to_string())
                .s("tglLulus", dmy(row.lulus))
                .s("isPendidikanPertama", if row.pertama { "1" } else { "0" })
                .s("nomorIjasah", nomor_ijazah)
                .null("namaSekolah")
                .o("gelarDepan", depan)
                .o("gelarBelakang", belakang)
                .null("path");
            o.done()
        })
        .collect();
    Value::Array(rows)
}

/// The penilai of `p`: the head of the nearest unit above (the kepala sekolah for a guru), or the Bupati.
fn penilai_dari<'a>(tree: &Tree, p: &Profil, penilai: &'a [Option<Penilai>]) -> Option<&'a Penilai> {
    let start = match p.peran {
        Peran::Struktural(unit) | Peran::KepalaSekolah(unit) => tree.units[unit].parent,
        _ => Some(p.unit()),
    };
    let mut current = start;
    while let Some(position) = current {
        if let Some(Some(found)) = penilai.get(position)
            && found.nip != p.nip
        {
            return Some(found);
        }
        current = tree.units[position].parent;
    }
    None
}

fn rw_skp22(tree: &Tree, p: &Profil, penilai: &[Option<Penilai>], bupati: &str) -> Value {
    let atasan = penilai_dari(tree, p, penilai);
    let root = &tree.units[0];
    let hasil_nama = |nilai: u8| referensi().hasil_kinerja.nama(&nilai.to_string()).unwrap_or_default().to_owned();
    let rows = p
        .skp
        .iter()
        .map(|row| {
            let predikat = kuadran(row.hasil, row.perilaku);
            let id = guid_pada(&mut Rng::new(row.benih, 0), row.tahun + 1);
            let mut o = Obj::new();
            o.s("id", &id)
                .v("tahun", Value::from(row.tahun))
                .s("hasilKinerja", hasil_nama(row.hasil))
                .v("hasilKinerjaNilai", Value::from(row.hasil))
                .s("kuadranKinerja", referensi().kuadran_kinerja.nama(&predikat.to_string()).unwrap_or_default())
                .v("KuadranKinerjaNilai", Value::from(predikat))
                .s("perilakuKerja", hasil_nama(row.perilaku))
                .v("PerilakuKerjaNilai", Value::from(row.perilaku));
            match atasan {
                Some(atasan) => {
                    o.s("namaPenilai", &atasan.nama)
                        .s("nipNrpPenilai", &atasan.nip)
                        .s("penilaiGolonganId", atasan.golongan.unwrap_or_default())
                        .s("penilaiJabatanNm", &atasan.jabatan)
                        .s("penilaiUnorNm", &atasan.unor);
                }
                None => {
                    o.s("namaPenilai", bupati)
                        .s("nipNrpPenilai", "")
                        .s("penilaiGolonganId", "")
                        .s("penilaiJabatanNm", &root.nama_jabatan)
                        .s("penilaiUnorNm", &root.nama);
                }
            }
            o.s("pnsDinilaiId", &p.pns_id).s("statusPenilai", if atasan.is_some() { "ASN" } else { "NON ASN" });
            let path = row.dokumen.then(|| {
                let (key, value) = dokumen("1179", "Dokumen Evaluasi Kinerja", &id);
                Value::Object(Map::from_iter([(key, value)]))
            });
            o.v("path", path.unwrap_or(Value::Null));
            o.done()
        })
        .collect();
    Value::Array(rows)
}

fn rw_diklat(p: &Profil) -> Value {
    let rows = p
        .diklat
        .iter()
        .map(|row| {
            let mut o = Obj::new();
            o.s("id", &row.id);
            pegawai_keys(&mut o, p);
            o.s("latihanStrukturalId", row.latihan_id)
                .s("latihanStrukturalNama", row.latihan_nama)
                .s("nomor", &row.nomor)
                .s("tanggal", dmy(row.mulai))
                .s("tanggalSelesai", dmy(row.selesai))
                .s("tahun", row.mulai.format("%Y").to_string())
                .s("jumlahJam", row.jam.to_string())
                .s("institusiPenyelenggara", row.penyelenggara)
                .null("path");
            o.done()
        })
        .collect();
    Value::Array(rows)
}

fn rw_penghargaan(p: &Profil) -> Value {
    let rows = p
        .penghargaan
        .iter()
        .map(|row| {
            let (id, sk_nomor) = row.teks();
            let mut o = Obj::new();
            o.s("id", id)
                .s("tahun", row.tahun.to_string())
                .s("skNomor", sk_nomor)
                .s("skDate", dmy(row.sk_tanggal))
                .s("hargaId", row.harga_id)
                .s("hargaNama", row.harga_nama)
                .s("pnsOrangId", &p.pns_id)
                .null("path");
            o.done()
        })
        .collect();
    Value::Array(rows)
}

fn data_pasangan(p: &Profil) -> Value {
    let Some(pasangan) = &p.pasangan else { return Value::Null };
    let status_nikah = referensi().status_kawin.nama(pasangan.jenis_kawin).unwrap_or("Menikah").to_owned();
    let teks = pasangan.teks();
    let mut orang = Obj::new();
    orang
        .s("id", &teks.orang_id)
        .s("created_at", &teks.created_at)
        .s("ayahId", "")
        .s("ibuId", "")
        .s("nama", &teks.nama)
        .s("namaKtp", "")
        .s("gelarDepan", "")
        .s("gelarBlk", "")
        .s("tempatLahir", "")
        .s("tglLahir", dmy(pasangan.tgl_lahir))
        .s(
            "aktaMeninggal",
            pasangan
                .tgl_meninggal
                .map(|date| format!("474.3/{}/{}", date.format("%m"), date.format("%Y")))
                .unwrap_or_default(),
        )
        .s("tglMeninggal", pasangan.tgl_meninggal.map(dmy).unwrap_or_default())
        .s("jenisKelamin", if pasangan.wanita { "F" } else { "M" })
        .null("jenisAnak")
        .s("StatusHidup", if pasangan.tgl_meninggal.is_some() { "0" } else { "1" })
        .s("JenisKawinId", pasangan.jenis_kawin)
        .s("karisKarsu", p.karis_karsu.clone().unwrap_or_default());
    let mut nikah = Obj::new();
    nikah
        .s("id", &teks.pernikahan_id)
        .s("orangId", &teks.orang_id)
        .s("pnsOrangId", &p.pns_id)
        .s("tgglMenikah", dmy(pasangan.tgl_menikah))
        .s("aktaMenikah", &teks.akta_menikah)
        .s("tgglCerai", pasangan.tgl_cerai.map(dmy).unwrap_or_default())
        .s("aktaCerai", "")
        .v("posisi", Value::from(1))
        .s("status", pasangan.jenis_kawin)
        .v("isPns", Value::Bool(pasangan.is_pns))
        .s("noSkPensiun", "");
    let mut item = Obj::new();
    item.v("orang", orang.done()).s("statusNikah", status_nikah).v("dataPernikahan", nikah.done());
    let mut o = Obj::new();
    o.s("nipBaru", &p.nip).null("nipLama").s("idPns", &p.pns_id).v("listPasangan", Value::Array(vec![item.done()]));
    o.done()
}

fn data_anak(p: &Profil, tree: &Tree) -> Value {
    let (ayah, ibu) = match &p.pasangan {
        Some(pasangan) if p.wanita => (pasangan.teks().orang_id, p.pns_id.clone()),
        Some(pasangan) => (p.pns_id.clone(), pasangan.teks().orang_id),
        None => (String::new(), String::new()),
    };
    let rows = p
        .anak
        .iter()
        .map(|anak| {
            let (id, created_at, nama, tempat_lahir) = anak.teks(p.wilayah, tree);
            let mut o = Obj::new();
            o.s("id", id)
                .s("created_at", created_at)
                .s("nama", nama)
                .s("namaKtp", "")
                .s("jenisKelamin", if anak.wanita { "F" } else { "M" })
                .s("tglLahir", dmy(anak.tgl_lahir))
                .s("tempatLahir", tempat_lahir)
                .s("jenisAnak", "1")
                .s("StatusHidup", "1")
                .s("ayahId", &ayah)
                .s("ibuId", &ibu)
                .s("aktaKelahiran", "");
            o.done()
        })
        .collect();
    let mut o = Obj::new();
    o.v("listAnak", Value::Array(rows));
    o.done()
}
