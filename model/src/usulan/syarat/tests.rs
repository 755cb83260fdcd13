//! The checklist and the pre-submit check against pegawai of the shared fixture (`../shared/fixtures/ws/`,
//! reference date 30-11-2026), decoded the way the app decodes SI-ASN; plus the checks of
//! `schemas/referensi/syarat-dokumen-usulan.json` that its README promises.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::*;
use crate::id::Nip;
use crate::pegawai::Pasangan;
use crate::rules::ikd;
use crate::siasn::ws::decode_pegawai;
use crate::usulan::BlobRef;

/// III/a since 01-04-2020, SLTA (max III/b), SKP 2024 and 2025 Baik, married, no IKD anomaly, no SK in SI-ASN.
const BAHARUDDIN: &str = "197107271996041002";
/// II/d since 01-10-2022, SLTA Kejuruan, SKP 2025 "Butuh Perbaikan" (3); SK CPNS/PNS already in SI-ASN.
const NURLINDA: &str = "197704222006012002";
/// Guru Ahli Pertama, III/b since 01-04-2023: 4 years only on 01-04-2027. S-1 over golongan awal II/b.
const VERONIKA: &str = "197608132002122004";
/// Guru Ahli Muda (JF), III/d since 01-10-2022, S-2, SKP Sangat Baik/Baik, married, IKD COM_7 (no HP).
const GUSTI: &str = "196711022008031005";
/// IV/a, married, past BUP (IKD TIM_5).
const GALIH: &str = "196504221987031001";
/// III/b, divorced (status kawin 2), past BUP.
const ROBERT: &str = "196707151992031001";

fn pada() -> Tanggal {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("a real date")
}

/// `../shared/fixtures/ws`, or `$LURING_SHARED/fixtures/ws`.
fn fixture_ws() -> PathBuf {
    let shared = std::env::var_os("LURING_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("fixtures/ws")
}

/// The whole pegawai document of a fixture NIP, decoded from its saved SI-ASN responses.
fn fixture(nip: &str) -> Pegawai {
    let ws = fixture_ws();
    let mut body_of = |endpoint: &str| std::fs::read_to_string(ws.join(endpoint).join(format!("{nip}.json"))).ok();
    let mut warnings = Vec::new();
    let pegawai = decode_pegawai(&Nip::new(nip), &mut body_of, &mut warnings).expect("the fixture has data utama");
    assert!(warnings.is_empty(), "the fixture is clean: {warnings:#?}");
    pegawai
}

fn usulan(jenis: JenisUsulan, sub_jenis: Option<&str>, pegawai: &[&Pegawai]) -> Usulan {
    Usulan {
        id: "0193a1b2-0000-7000-8000-000000000001".into(),
        jenis,
        sub_jenis: sub_jenis.map(str::to_owned),
        pegawai: pegawai
            .iter()
            .map(|data| UsulanPegawai { nip: data.data_utama.nip.clone(), nama: data.data_utama.nama.clone() })
            .collect(),
        perubahan: BTreeMap::new(),
        dokumen: BTreeMap::new(),
        riwayat_status: Vec::new(),
        siasn_id: None,
        status_siasn: None,
    }
}

fn berkas(name: &str, mime: &str, size: u64) -> BlobRef {
    BlobRef { sha256: format!("{:064x}", size), size, mime: mime.into(), name: name.into() }
}

/// Attaches a good file (a 300 KB PDF, or a 200 KB JPEG photo) for every mandatory document of the checklist.
fn lengkapi(usulan: &mut Usulan, pegawai: &[Pegawai]) {
    for syarat in daftar_syarat(usulan, pegawai).into_iter().filter(|syarat| syarat.wajib) {
        let file = if syarat.tipe == ["image/jpeg"] {
            berkas(&format!("{}.jpg", syarat.kode), "image/jpeg", 200 * 1024)
        } else {
            berkas(&format!("{}.pdf", syarat.kode), "application/pdf", 300 * 1024)
        };
        usulan.dokumen.insert(syarat.kunci, file);
    }
}

fn kode(daftar: &[SyaratDokumen]) -> Vec<&str> {
    daftar.iter().map(|syarat| syarat.kode.as_str()).collect()
}

fn blokir(nip: Option<&str>, kode: &str, pesan: &str) -> Temuan {
    Temuan { tingkat: Tingkat::Blokir, kode: kode.into(), nip: nip.map(str::to_owned), pesan: pesan.into() }
}

fn peringatan(nip: Option<&str>, kode: &str, pesan: &str) -> Temuan {
    Temuan { tingkat: Tingkat::Peringatan, kode: kode.into(), nip: nip.map(str::to_owned), pesan: pesan.into() }
}

#[test]
fn kp_reguler_checklist_follows_the_pegawai() {
    let baharuddin = fixture(BAHARUDDIN);
    let daftar = daftar_syarat(&usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&baharuddin]), &[]);
    // Without the record, every conditional row stays (asking too much beats a BTS).
    assert_eq!(kode(&daftar), ["858", "872", "1179", "889", "887", "ijazah_transkrip", "stl_ujian_dinas", "drh"]);

    let pegawai = [baharuddin];
    let daftar = daftar_syarat(&usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]), &pegawai);
    // III/a → III/b with the SLTA he was appointed with; SI-ASN holds no SK CPNS/PNS for him.
    assert_eq!(kode(&daftar), ["858", "872", "1179", "889", "887"]);
    let sk = &daftar[0];
    assert_eq!(
        (sk.nama.as_str(), sk.wajib, sk.nip.as_deref(), sk.kunci.as_str()),
        ("SK Pangkat Terakhir", true, Some(BAHARUDDIN), "858")
    );
    assert_eq!(
        (sk.tipe.as_slice(), sk.ukuran_min, sk.ukuran_maks, sk.halaman_maks),
        (["application/pdf".to_owned()].as_slice(), 10 * 1024, 2 * 1024 * 1024, Some(5))
    );
    assert_eq!(daftar[3].syarat, Some(KondisiDokumen::BelumAdaDiSiasn));

    // II/d → III/a crosses into golongan III; SK CPNS and SK PNS are already in SI-ASN.
    let pegawai = [fixture(NURLINDA)];
    let daftar = daftar_syarat(&usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]), &pegawai);
    assert_eq!(kode(&daftar), ["858", "872", "1179", "stl_ujian_dinas"]);

    // III/d → IV/a with an S-2 earned after appointment at III/a: ijazah, ujian dinas and DRH.
    let pegawai = [fixture(GUSTI)];
    let daftar = daftar_syarat(&usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]), &pegawai);
    assert_eq!(kode(&daftar), ["858", "872", "1179", "ijazah_transkrip", "stl_ujian_dinas", "drh"]);
    assert_eq!(
        daftar.iter().map(|syarat| syarat.syarat).collect::<Vec<_>>(),
        [
            None,
            None,
            None,
            Some(KondisiDokumen::PendidikanNaik),
            Some(KondisiDokumen::LintasGolongan),
            Some(KondisiDokumen::KeGolonganIv)
        ]
    );
}

#[test]
fn a_complete_kp_reguler_passes() {
    let pegawai = [fixture(BAHARUDDIN)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    assert_eq!(usulan.dokumen.len(), 5);
    assert_eq!(periksa_pengajuan(&usulan, &pegawai, pada(), &[]), []);
}

#[test]
fn a_missing_mandatory_document_is_blocked_by_name() {
    let pegawai = [fixture(BAHARUDDIN)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    usulan.dokumen.remove("858");
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &[]),
        [blokir(
            Some(BAHARUDDIN),
            KODE_DOKUMEN_BELUM_ADA,
            "Dokumen wajib 'SK Pangkat Terakhir' belum dilampirkan: lampirkan berkas PDF (maks. 2 MB)."
        )]
    );
    // The NIP-prefixed key is accepted for a one-pegawai usulan too.
    usulan.dokumen.insert(format!("{BAHARUDDIN}/858"), berkas("sk kp.pdf", "application/pdf", 250_000));
    assert_eq!(periksa_pengajuan(&usulan, &pegawai, pada(), &[]), []);
}

#[test]
fn wrong_type_and_size_are_reported() {
    let pegawai = [fixture(BAHARUDDIN)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    usulan.dokumen.insert(
        "872".into(),
        berkas("sk jabatan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 80_000),
    );
    usulan.dokumen.insert("1179".into(), berkas("skp 2024-2025.pdf", "application/pdf", 6_500_000));
    usulan.dokumen.insert("889".into(), berkas("sk cpns.pdf", "application/pdf", 2_000));
    // A MIME type with parameters or in upper case is the same type.
    usulan.dokumen.insert("887".into(), berkas("sk pns.pdf", "Application/PDF; charset=binary", 400_000));
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &[]),
        [
            blokir(
                Some(BAHARUDDIN),
                KODE_DOKUMEN_TIPE_SALAH,
                "Berkas 'sk jabatan.docx' untuk 'SK Jabatan Terakhir' bertipe \
             application/vnd.openxmlformats-officedocument.wordprocessingml.document, padahal yang diterima hanya PDF: \
             simpan atau pindai ulang sebagai PDF lalu lampirkan kembali."
            ),
            blokir(
                Some(BAHARUDDIN),
                KODE_DOKUMEN_TERLALU_BESAR,
                "Berkas 'skp 2024-2025.pdf' untuk 'SKP/Evaluasi Kinerja 2 Tahun Terakhir' berukuran 6,2 MB, melebihi batas \
             5 MB: kompres atau pindai ulang dengan resolusi lebih rendah lalu lampirkan kembali."
            ),
            blokir(
                Some(BAHARUDDIN),
                KODE_DOKUMEN_TERLALU_KECIL,
                "Berkas 'sk cpns.pdf' untuk 'SK CPNS' hanya 2 KB, di bawah batas minimum 10 KB: kemungkinan kosong atau \
             rusak; pindai ulang lalu lampirkan kembali."
            ),
        ]
    );
}

#[test]
fn a_pegawai_not_yet_in_pangkat_four_years_is_blocked_with_the_reason() {
    let pegawai = [fixture(VERONIKA)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    // S-1 earned after appointment at II/b: the ijazah is on her checklist.
    assert!(usulan.dokumen.contains_key("ijazah_transkrip"));
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &[]),
        [
            blokir(
                Some(VERONIKA),
                KODE_KP_BELUM_WAKTUNYA,
                "NIP 197608132002122004 (VERONIKA PASANDE) belum memenuhi masa 4 tahun dalam pangkat untuk periode KP \
             01-12-2026: TMT golongan 01-04-2023; 4 tahun dalam pangkat tercapai 01-04-2027. Ajukan untuk periode \
             TMT 01-04-2027."
            ),
            // Judged for April 2027, predikat needs SKP 2025 and 2026; 2026 is not in yet.
            peringatan(
                Some(VERONIKA),
                KODE_KP_BELUM_PASTI,
                "Syarat KP reguler (predikat kinerja) untuk NIP 197608132002122004 (VERONIKA PASANDE) belum dapat \
             diperiksa: SKP tahun 2026 belum ada. Lengkapi datanya agar verifikator dapat memastikan."
            ),
        ]
    );
}

#[test]
fn a_predikat_below_baik_is_blocked_with_the_reason() {
    let pegawai = [fixture(NURLINDA)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &[]),
        [blokir(
            Some(NURLINDA),
            KODE_KP_TIDAK_MEMENUHI,
            "NIP 197704222006012002 (NURLINDA SUHARTINI) belum memenuhi syarat KP reguler (predikat kinerja): predikat \
         di bawah Baik pada 2025 (predikat 3). Periksa riwayatnya; bila datanya salah, perbaiki lewat peremajaan data \
         sebelum diusulkan."
        )]
    );
}

#[test]
fn the_ijazah_cap_blocks_kp_reguler_but_kp_pilihan_is_not_judged() {
    let pegawai = [fixture(ROBERT)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    // III/b with SLTA Kejuruan: the cap of KP reguler.
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &[]),
        [blokir(
            Some(ROBERT),
            KODE_KP_TIDAK_BERLAKU,
            "NIP 196707151992031001 (ROBERT NUWA) tidak dapat diusulkan KP reguler: golongan sudah mencapai batas \
         tertinggi KP reguler untuk ijazah SLTA Kejuruan (III/b); hanya KP pilihan. Hapus dari usulan ini."
        )]
    );
    // KP pilihan is not judged here: the same pegawai under jenis KP 201 has no eligibility finding.
    usulan.sub_jenis = Some("201".into());
    usulan.dokumen.clear();
    lengkapi(&mut usulan, &pegawai);
    assert_eq!(periksa_pengajuan(&usulan, &pegawai, pada(), &[]), []);
}

#[test]
fn an_ikd_anomaly_is_a_warning() {
    let pegawai = [fixture(GUSTI)];
    let konteks = ikd::Konteks { hari_ini: pada(), tmt_pensiun: None, eselon_id: None };
    let anomali: Vec<String> =
        ikd::evaluate(&pegawai[0], &konteks).into_iter().map(|temuan| temuan.kode.to_owned()).collect();
    assert_eq!(anomali, ["COM_7"]);
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut usulan, &pegawai);
    let ikd = [(GUSTI.to_owned(), anomali), (NURLINDA.to_owned(), vec!["CON_1".to_owned()])];
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &ikd),
        [peringatan(
            Some(GUSTI),
            KODE_ANOMALI_IKD,
            "Data pegawai NIP 196711022008031005 memiliki anomali IKD COM_7 (Nomor HP Kosong): perbaiki lewat peremajaan \
         data agar usulan tidak dikembalikan (BTS)."
        )]
    );
}

#[test]
fn menikah_adds_the_marriage_documents_only_for_a_married_pegawai() {
    let pegawai = [fixture(GALIH), fixture(ROBERT)];
    assert_eq!(pegawai[0].data_utama.status_kawin_id.as_deref(), Some("1"));
    assert_eq!(pegawai[1].data_utama.status_kawin_id.as_deref(), Some("2"));
    let menikah = daftar_syarat(&usulan(JenisUsulan::Pemberhentian, Some("1"), &[&pegawai[0]]), &pegawai);
    let umum = [
        "surat_pengantar",
        "858",
        "872",
        "1179",
        "kk",
        "ktp",
        "akta_nikah",
        "ktp_pasangan",
        "karis_karsu",
        "akta_kelahiran_anak",
        "pas_foto",
        "dpcp",
        "surat_permohonan",
        "surat_bebas_hukdis",
        "surat_bebas_pidana",
    ];
    assert_eq!(kode(&menikah), umum);
    let cerai = daftar_syarat(&usulan(JenisUsulan::Pemberhentian, Some("1"), &[&pegawai[1]]), &pegawai);
    let tanpa_nikah: Vec<&str> =
        umum.into_iter().filter(|kode| !["akta_nikah", "ktp_pasangan", "karis_karsu"].contains(kode)).collect();
    assert_eq!(kode(&cerai), tanpa_nikah);
    // The surat pengantar is one per usulan, not per pegawai.
    assert_eq!((menikah[0].lingkup, menikah[0].nip.as_deref()), (LingkupDokumen::Usulan, None));
    // The photo is a JPEG.
    let foto = menikah.iter().find(|syarat| syarat.kode == "pas_foto").expect("on the list");
    assert_eq!(
        (foto.tipe.as_slice(), foto.ukuran_maks, foto.halaman_maks),
        (["image/jpeg".to_owned()].as_slice(), 1024 * 1024, None)
    );
}

#[test]
fn without_status_kawin_a_running_marriage_decides_and_unknown_keeps_the_rows() {
    let mut pegawai = fixture(ROBERT);
    pegawai.data_utama.status_kawin_id = None;
    let ada = |pegawai: &Pegawai| {
        let daftar =
            daftar_syarat(&usulan(JenisUsulan::Pemberhentian, Some("2"), &[pegawai]), std::slice::from_ref(pegawai));
        ["akta_nikah", "surat_belum_menikah_lagi"].map(|kode| daftar.iter().any(|syarat| syarat.kode == kode))
    };
    // Neither status nor pasangan: unknown, so the rows stay.
    pegawai.pasangan.clear();
    assert_eq!(ada(&pegawai), [true, true]);
    let pasangan = Pasangan { status_nikah: Some("Menikah".into()), ..Pasangan::default() };
    pegawai.pasangan = vec![pasangan.clone()];
    assert_eq!(ada(&pegawai), [true, true]);
    pegawai.pasangan = vec![Pasangan { tgl_cerai: NaiveDate::from_ymd_opt(2015, 3, 2), ..pasangan }];
    assert_eq!(ada(&pegawai), [false, false]);
}

#[test]
fn a_kolektif_usulan_is_checked_per_nip() {
    let pegawai = [fixture(BAHARUDDIN), fixture(NURLINDA)];
    let mut usulan = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0], &pegawai[1]]);
    let daftar = daftar_syarat(&usulan, &pegawai);
    let kunci: Vec<&str> = daftar.iter().map(|syarat| syarat.kunci.as_str()).collect();
    assert_eq!(
        kunci,
        [
            "197107271996041002/858",
            "197107271996041002/872",
            "197107271996041002/1179",
            "197107271996041002/889",
            "197107271996041002/887",
            "197704222006012002/858",
            "197704222006012002/872",
            "197704222006012002/1179",
            "197704222006012002/stl_ujian_dinas",
        ]
    );
    lengkapi(&mut usulan, &pegawai);
    usulan.dokumen.remove("197704222006012002/stl_ujian_dinas");
    // A file under the plain kode does not count for any one NIP of a kolektif usulan.
    usulan.dokumen.insert("stl_ujian_dinas".into(), berkas("stl.pdf", "application/pdf", 120_000));
    assert_eq!(
        periksa_pengajuan(&usulan, &pegawai, pada(), &[]),
        [
            blokir(
                Some(NURLINDA),
                KODE_KP_TIDAK_MEMENUHI,
                "NIP 197704222006012002 (NURLINDA SUHARTINI) belum memenuhi syarat KP reguler (predikat kinerja): \
             predikat di bawah Baik pada 2025 (predikat 3). Periksa riwayatnya; bila datanya salah, perbaiki lewat \
             peremajaan data sebelum diusulkan."
            ),
            blokir(
                Some(NURLINDA),
                KODE_DOKUMEN_BELUM_ADA,
                "Dokumen wajib 'Surat Tanda Lulus Ujian Dinas/UPKP' untuk NIP 197704222006012002 (NURLINDA SUHARTINI) \
             belum dilampirkan: lampirkan berkas PDF (maks. 2 MB)."
            ),
            peringatan(
                None,
                KODE_DOKUMEN_TIDAK_DIKENAL,
                "Berkas 'stl.pdf' dilampirkan sebagai 'stl_ujian_dinas', yang tidak ada di daftar syarat usulan ini: \
             hapus, atau lampirkan ulang pada dokumen yang benar."
            ),
        ]
    );
}

#[test]
fn the_usulan_itself_must_name_its_sub_jenis_and_known_pegawai() {
    let pegawai = [fixture(BAHARUDDIN)];
    let mut kosong = usulan(JenisUsulan::KenaikanPangkat, None, &[]);
    assert_eq!(
        periksa_pengajuan(&kosong, &pegawai, pada(), &[]),
        [
            blokir(
                None,
                KODE_SUB_JENIS_KOSONG,
                "Jenis kenaikan pangkat belum dipilih: pilih jenis kenaikan pangkat (mis. 101 Reguler) sebelum diajukan."
            ),
            blokir(
                None,
                KODE_TANPA_PEGAWAI,
                "Usulan belum memuat pegawai: tambahkan minimal satu NIP sebelum diajukan."
            ),
        ]
    );
    kosong.jenis = JenisUsulan::Pemberhentian;
    kosong.sub_jenis = Some("99".into());
    kosong.pegawai = vec![
        UsulanPegawai { nip: Nip::new(BAHARUDDIN), nama: "BAHARUDDIN RAUF".into() },
        UsulanPegawai { nip: Nip::new("199001012020121001"), nama: "FULAN".into() },
        UsulanPegawai { nip: Nip::new(BAHARUDDIN), nama: "BAHARUDDIN RAUF".into() },
    ];
    lengkapi(&mut kosong, &pegawai);
    assert_eq!(
        periksa_pengajuan(&kosong, &pegawai, pada(), &[]),
        [
            blokir(
                None,
                KODE_SUB_JENIS_TIDAK_DIKENAL,
                "Jenis pemberhentian '99' tidak dikenal di referensi jenis-pemberhentian: pilih jenis pemberhentian yang \
             tersedia."
            ),
            blokir(
                Some("199001012020121001"),
                KODE_PEGAWAI_TIDAK_DITEMUKAN,
                "Data pegawai NIP 199001012020121001 (FULAN) tidak ada di data lokal: sinkronkan atau tarik datanya dari \
             SI-ASN sebelum usulan diajukan."
            ),
            blokir(
                Some(BAHARUDDIN),
                KODE_NIP_GANDA,
                "NIP 197107271996041002 tercantum lebih dari sekali di usulan: hapus salah satunya."
            ),
        ]
    );
}

#[test]
fn nama_and_tanggal_lahir_must_match_the_pegawai() {
    let pegawai = [fixture(BAHARUDDIN)];
    let mut kp = usulan(JenisUsulan::KenaikanPangkat, Some("101"), &[&pegawai[0]]);
    lengkapi(&mut kp, &pegawai);
    kp.pegawai[0].nama = "BAHARUDIN RAUF".into();
    kp.perubahan.insert("data_utama.tgl_lahir".into(), "\"1971-07-28\"".into());
    assert_eq!(
        periksa_pengajuan(&kp, &pegawai, pada(), &[]),
        [
            peringatan(
                Some(BAHARUDDIN),
                KODE_NAMA_BERBEDA,
                "Nama NIP 197107271996041002 di usulan ('BAHARUDIN RAUF') berbeda dengan data pegawai ('BAHARUDDIN \
             RAUF'): perbarui nama di usulan dari data pegawai sebelum diajukan."
            ),
            peringatan(
                Some(BAHARUDDIN),
                KODE_TGL_LAHIR_BERBEDA,
                "Tanggal lahir di perubahan usulan (28-07-1971) berbeda dengan data pegawai NIP 197107271996041002 \
             (27-07-1971): tanggal lahir hanya dapat diubah lewat usulan peremajaan data; samakan dengan data pegawai \
             atau ajukan perbaikan lebih dulu."
            ),
        ]
    );
    // The same values, spelled differently, are consistent.
    kp.pegawai[0].nama = " baharuddin  rauf ".into();
    kp.perubahan.insert("data_utama.tgl_lahir".into(), "\"27-07-1971\"".into());
    kp.perubahan.insert("data_utama.nama".into(), "\"Baharuddin Rauf\"".into());
    assert_eq!(periksa_pengajuan(&kp, &pegawai, pada(), &[]), []);
    kp.perubahan.insert("data_utama.tgl_lahir".into(), "\"31-02-1971\"".into());
    assert_eq!(
        periksa_pengajuan(&kp, &pegawai, pada(), &[]),
        [blokir(
            Some(BAHARUDDIN),
            KODE_PERUBAHAN_TIDAK_TERBACA,
            "Nilai perubahan 'Tanggal lahir' tidak terbaca (\"31-02-1971\"): isi ulang dengan format dd-mm-yyyy."
        )]
    );
}

#[test]
fn peremajaan_data_asks_for_documents_by_what_changes() {
    let pegawai = [fixture(BAHARUDDIN)];
    let mut peremajaan = usulan(JenisUsulan::PeremajaanData, None, &[&pegawai[0]]);
    let daftar = |usulan: &Usulan| -> Vec<String> {
        daftar_syarat(usulan, &pegawai).into_iter().map(|syarat| syarat.kode).collect()
    };
    // A nomor HP is the operator's to write, without verification: no document.
    peremajaan.perubahan.insert("data_utama.no_hp".into(), "\"081234567890\"".into());
    assert!(daftar(&peremajaan).is_empty());
    peremajaan.perubahan.insert("riwayat_jabatan.8ae483b1a5387af8.tmt_jabatan".into(), "\"2024-03-01\"".into());
    assert_eq!(daftar(&peremajaan), ["dokumen_pendukung"]);
    peremajaan.perubahan.insert("riwayat_pendidikan.8ae483b1a5387af9".into(), "{}".into());
    assert_eq!(daftar(&peremajaan), ["dokumen_pendukung", "ijazah_transkrip", "pddikti"]);
    peremajaan.perubahan.clear();
    peremajaan.perubahan.insert("data_utama.tgl_lahir".into(), "\"1971-07-28\"".into());
    assert_eq!(daftar(&peremajaan), ["surat_pengantar", "ijazah_cpns", "akta_kelahiran", "ktp", "889", "887", "858"]);

    // A new tanggal lahir is the point of the usulan, but it will disagree with the NIP.
    lengkapi(&mut peremajaan, &pegawai);
    assert_eq!(
        periksa_pengajuan(&peremajaan, &pegawai, pada(), &[]),
        [peringatan(
            Some(BAHARUDDIN),
            KODE_TGL_LAHIR_BERBEDA,
            "Tanggal lahir baru 28-07-1971 tidak sama dengan tanggal lahir di NIP 197107271996041002 (27-07-1971): NIP \
         tidak ikut berubah, sehingga data akan tercatat sebagai anomali IKD CON_2; pastikan akta kelahiran dan \
         ijazah mendukung perubahan ini."
        )]
    );
}

#[test]
fn every_jenis_has_a_checklist() {
    let pegawai = [fixture(BAHARUDDIN)];
    let jumlah = |jenis, sub: Option<&str>| {
        let usulan = usulan(jenis, sub, &[&pegawai[0]]);
        daftar_syarat(&usulan, &pegawai).iter().filter(|syarat| syarat.wajib).count()
    };
    assert_eq!(jumlah(JenisUsulan::PindahInstansi, None), 13);
    assert_eq!(jumlah(JenisUsulan::PencantumanGelar, None), 10);
    assert_eq!(jumlah(JenisUsulan::PeninjauanMasaKerja, None), 6);
    for sub in referensi().jenis_kp.rows.iter().filter(|row| row.id != "211") {
        assert!(jumlah(JenisUsulan::KenaikanPangkat, Some(&sub.id)) >= 4, "KP {}", sub.id);
    }
    for sub in &referensi().jenis_pemberhentian.rows {
        assert!(jumlah(JenisUsulan::Pemberhentian, Some(&sub.id)) >= 9, "pemberhentian {}", sub.id);
    }
}

#[test]
fn sizes_are_written_the_indonesian_way() {
    assert_eq!(ukuran(2 * 1024 * 1024), "2 MB");
    assert_eq!(ukuran(6_500_000), "6,2 MB");
    assert_eq!(ukuran(1024 * 1024 - 1), "1024 KB");
    assert_eq!(ukuran(10 * 1024), "10 KB");
    assert_eq!(ukuran(512), "512 byte");
    assert_eq!(nama_tipe(&["image/jpeg".into(), "image/png".into()]), "JPEG atau PNG");
    assert_eq!(mime(" image/JPG "), "image/jpeg");
}

#[test]
fn the_syarat_table_is_consistent() {
    let referensi = referensi();
    let tabel = &referensi.syarat_dokumen_usulan;
    let mime_dikenal = ["application/pdf", "image/jpeg"];
    for row in &tabel.rows {
        let sub = row.sub_jenis.as_deref();
        let jenis = serde_json::to_value(row.jenis).expect("serialises");
        let jenis = jenis.as_str().expect("a string");
        assert_eq!(row.id, format!("{jenis}/{}/{}", sub.unwrap_or("*"), row.kode), "id of {}", row.id);
        if row.kode.bytes().all(|byte| byte.is_ascii_digit()) {
            assert!(referensi.ref_dokumen.get(&row.kode).is_some(), "{}: {} not in ref-dokumen", row.id, row.kode);
        } else {
            let snake = row.kode.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
            assert!(snake && row.kode.starts_with(|c: char| c.is_ascii_lowercase()), "{}: kode not snake_case", row.id);
        }
        match (row.jenis, sub) {
            (_, None) => {}
            (JenisUsulan::KenaikanPangkat, Some(id)) => assert!(referensi.jenis_kp(id).is_some(), "{}", row.id),
            (JenisUsulan::Pemberhentian, Some(id)) => {
                assert!(referensi.jenis_pemberhentian.get(id).is_some(), "{}", row.id)
            }
            (_, Some(_)) => panic!("{}: only KP and pemberhentian have sub jenis", row.id),
        }
        assert!(
            !row.tipe.is_empty() && row.tipe.iter().all(|tipe| mime_dikenal.contains(&tipe.as_str())),
            "{}",
            row.id
        );
        assert!(0 < row.ukuran_min && row.ukuran_min < row.ukuran_maks, "{}: sizes", row.id);
        assert!(row.halaman_maks.is_none_or(|halaman| halaman > 0), "{}", row.id);
        assert!(!row.sumber.trim().is_empty(), "{}: sumber", row.id);
        let ubah = matches!(
            row.syarat,
            Some(KondisiDokumen::UbahIdentitas | KondisiDokumen::UbahPendidikan | KondisiDokumen::UbahDataLain)
        );
        assert_eq!(ubah, row.jenis == JenisUsulan::PeremajaanData && row.syarat.is_some(), "{}: syarat", row.id);
    }
    // No document twice in the list of any jenis and sub jenis.
    let mut daftar: Vec<(JenisUsulan, Option<&str>)> = vec![
        (JenisUsulan::PeremajaanData, None),
        (JenisUsulan::PindahInstansi, None),
        (JenisUsulan::PencantumanGelar, None),
        (JenisUsulan::PeninjauanMasaKerja, None),
    ];
    daftar.extend(referensi.jenis_kp.rows.iter().map(|row| (JenisUsulan::KenaikanPangkat, Some(row.id.as_str()))));
    daftar.extend(
        referensi.jenis_pemberhentian.rows.iter().map(|row| (JenisUsulan::Pemberhentian, Some(row.id.as_str()))),
    );
    for (jenis, sub) in daftar {
        let mut dilihat = BTreeSet::new();
        for row in referensi.syarat_dokumen(jenis, sub) {
            assert!(dilihat.insert(row.kode.as_str()), "{jenis:?} {sub:?}: {} twice", row.kode);
        }
    }
}
