//! The catalogues the generator draws careers from: education programs with their gelar, jabatan fungsional by
//! sector, the jabatan of tenaga kesehatan, and the pelaksana (jabatan fungsional umum) names by education.
//!
//! Tingkat pendidikan, golongan ranges, jenjang and BUP come from `model::referensi`; this module only adds what the
//! reference data does not hold: program names (`S-1 PENDIDIKAN GURU SEKOLAH DASAR`), the gelar they give, which
//! jabatan fits which program, and where such pegawai work.
//!
//! What this module does not do: it is not an authoritative list of SI-ASN's jabatan or pendidikan references (ids
//! are hashed from names, see `ids::ref_id`), and it does not cover every jabatan fungsional.

use crate::rng::Rng;
use crate::unor::Sektor;

/// An education program: a `pendidikanNama` and what it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Program {
    /// `pendidikanNama` as SI-ASN writes it.
    pub(crate) nama: &'static str,
    /// Tingkat pendidikan id (`referensi/tingkat-pendidikan.json`).
    pub(crate) tingkat: &'static str,
    /// Gelar depan it gives (`dr.`, `Ns.`).
    pub(crate) depan: Option<&'static str>,
    /// Gelar belakang it gives (`S.Pd.`, `A.Md.Kep.`, `Sp.B.`).
    pub(crate) belakang: Option<&'static str>,
    /// Where such ijazah come from (abbreviations used in `nomorIjasah`).
    pub(crate) kampus: &'static [&'static str],
    /// Before the S-x gelar (1993), the old gelar: `Drs.`/`Dra.` (`Some(false)`) or `Ir.` (`Some(true)`).
    pub(crate) gelar_lama: Option<bool>,
}

const SEKOLAH: &[&str] = &["SEKOLAH"];
const GURU: &[&str] = &["UNY", "UNM", "UPI", "UNJ", "UNESA", "UT", "STKIP", "ULM", "UNMUL", "UNTAN"];
const KESEHATAN: &[&str] = &["POLTEKKES", "STIKES", "AKPER", "AKBID", "UNHAS", "UGM", "ULM", "UNAIR", "UNDIP"];
const UMUM: &[&str] = &["ULM", "UNMUL", "UNHAS", "UGM", "UNPAD", "UNDIP", "UNTAN", "UNS", "UB", "STIA", "STIE", "UMM"];
const IPDN: &[&str] = &["IPDN"];
const KEDOKTERAN: &[&str] = &["UNHAS", "UGM", "ULM", "UNAIR", "UNDIP", "UNPAD", "UNMUL", "UNS", "UB"];

const fn p(
    nama: &'static str,
    tingkat: &'static str,
    depan: Option<&'static str>,
    belakang: Option<&'static str>,
    kampus: &'static [&'static str],
) -> Program {
    Program { nama, tingkat, depan, belakang, kampus, gelar_lama: None }
}

const fn lama(program: Program, insinyur: bool) -> Program {
    Program { gelar_lama: Some(insinyur), ..program }
}

// Schools.
pub(crate) const SD: Program = p("SEKOLAH DASAR", "05", None, None, SEKOLAH);
pub(crate) const SLTP: &[Program] =
    &[p("SLTP", "10", None, None, SEKOLAH), p("MADRASAH TSANAWIYAH", "10", None, None, SEKOLAH)];
pub(crate) const SLTA: &[Program] = &[
    p("SMA IPA", "15", None, None, SEKOLAH),
    p("SMA IPS", "15", None, None, SEKOLAH),
    p("MADRASAH ALIYAH", "15", None, None, SEKOLAH),
    p("SMK AKUNTANSI", "17", None, None, SEKOLAH),
    p("SMK ADMINISTRASI PERKANTORAN", "17", None, None, SEKOLAH),
    p("SMEA", "17", None, None, SEKOLAH),
    p("STM OTOMOTIF", "17", None, None, SEKOLAH),
    p("STM BANGUNAN", "17", None, None, SEKOLAH),
    p("SMK TEKNIK KOMPUTER DAN JARINGAN", "17", None, None, SEKOLAH),
];
pub(crate) const SLTA_GURU: &[Program] =
    &[p("SPG", "18", None, None, SEKOLAH), p("SGO", "18", None, None, SEKOLAH), p("PGA", "18", None, None, SEKOLAH)];
pub(crate) const D2_PGSD: Program = p("D-II PGSD", "25", None, Some("A.Ma.Pd."), GURU);

// Diploma III.
pub(crate) const D3_PERAWAT: Program = p("D-III KEPERAWATAN", "30", None, Some("A.Md.Kep."), KESEHATAN);
pub(crate) const D3_BIDAN: Program = p("D-III KEBIDANAN", "30", None, Some("A.Md.Keb."), KESEHATAN);
pub(crate) const D3_FARMASI: Program = p("D-III FARMASI", "30", None, Some("A.Md.Farm."), KESEHATAN);
pub(crate) const D3_ANALIS: Program = p("D-III ANALIS KESEHATAN", "30", None, Some("A.Md.AK."), KESEHATAN);
pub(crate) const D3_GIZI: Program = p("D-III GIZI", "30", None, Some("A.Md.Gz."), KESEHATAN);
pub(crate) const D3_KESLING: Program = p("D-III KESEHATAN LINGKUNGAN", "30", None, Some("A.Md.KL."), KESEHATAN);
pub(crate) const D3_RMIK: Program =
    p("D-III REKAM MEDIS DAN INFORMASI KESEHATAN", "30", None, Some("A.Md.RMIK."), KESEHATAN);
pub(crate) const D3_RADIOLOGI: Program = p("D-III RADIOLOGI", "30", None, Some("A.Md.Rad."), KESEHATAN);
pub(crate) const D3_MI: Program = p("D-III MANAJEMEN INFORMATIKA", "30", None, Some("A.Md.Kom."), UMUM);
pub(crate) const D3_AKUNTANSI: Program = p("D-III AKUNTANSI", "30", None, Some("A.Md.Ak."), UMUM);
pub(crate) const D3_ADMINISTRASI: Program = p("D-III ADMINISTRASI PERKANTORAN", "30", None, Some("A.Md."), UMUM);
pub(crate) const D3_SIPIL: Program = p("D-III TEKNIK SIPIL", "30", None, Some("A.Md.T."), UMUM);
pub(crate) const D3_OTOMOTIF: Program = p("D-III TEKNIK OTOMOTIF", "30", None, Some("A.Md.T."), UMUM);
pub(crate) const D3_KOMPUTER: Program = p("D-III TEKNIK KOMPUTER", "30", None, Some("A.Md.Kom."), UMUM);
pub(crate) const D3_PERPUSTAKAAN: Program = p("D-III PERPUSTAKAAN", "30", None, Some("A.Md."), UMUM);
pub(crate) const D3_PERTANIAN: Program = p("D-III PENYULUHAN PERTANIAN", "30", None, Some("A.Md.P."), UMUM);
pub(crate) const D3_KESWAN: Program = p("D-III KESEHATAN HEWAN", "30", None, Some("A.Md.Pt."), UMUM);

// Diploma IV.
pub(crate) const D4_BIDAN: Program = p("D-IV KEBIDANAN", "35", None, Some("S.Tr.Keb."), KESEHATAN);
pub(crate) const D4_IPDN: Program = p("D-IV ILMU PEMERINTAHAN", "35", None, Some("S.STP."), IPDN);

// S-1.
pub(crate) const S1_PGSD: Program = p("S-1 PENDIDIKAN GURU SEKOLAH DASAR", "40", None, Some("S.Pd."), GURU);
pub(crate) const S1_GURU_SMP: &[Program] = &[
    p("S-1 PENDIDIKAN MATEMATIKA", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN BAHASA INDONESIA", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN BAHASA INGGRIS", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN BIOLOGI", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN FISIKA", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN SEJARAH", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN EKONOMI", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN JASMANI, KESEHATAN DAN REKREASI", "40", None, Some("S.Pd."), GURU),
    p("S-1 BIMBINGAN DAN KONSELING", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN AGAMA ISLAM", "40", None, Some("S.Pd.I."), GURU),
    p("S-1 PENDIDIKAN AGAMA KRISTEN", "40", None, Some("S.Pd.K."), GURU),
    p("S-1 PENDIDIKAN PANCASILA DAN KEWARGANEGARAAN", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN SENI RUPA", "40", None, Some("S.Pd."), GURU),
    p("S-1 PENDIDIKAN IPA", "40", None, Some("S.Pd."), GURU),
];
pub(crate) const S1_DOKTER: Program = p("PENDIDIKAN DOKTER", "40", Some("dr."), None, KEDOKTERAN);
pub(crate) const S1_DOKTER_GIGI: Program = p("PENDIDIKAN DOKTER GIGI", "40", Some("drg."), None, KEDOKTERAN);
pub(crate) const S1_APOTEKER: Program = p("PROFESI APOTEKER", "40", Some("apt."), Some("S.Farm."), KEDOKTERAN);
pub(crate) const S1_NERS: Program = p("S-1 KEPERAWATAN DAN PROFESI NERS", "40", Some("Ns."), Some("S.Kep."), KESEHATAN);
pub(crate) const S1_KESMAS: Program = p("S-1 KESEHATAN MASYARAKAT", "40", None, Some("S.K.M."), KESEHATAN);
pub(crate) const S1_GIZI: Program = p("S-1 GIZI", "40", None, Some("S.Gz."), KESEHATAN);
pub(crate) const S1_ADM_NEGARA: Program =
    lama(p("S-1 ILMU ADMINISTRASI NEGARA", "40", None, Some("S.AP."), UMUM), false);
pub(crate) const S1_PEMERINTAHAN: Program = lama(p("S-1 ILMU PEMERINTAHAN", "40", None, Some("S.IP."), UMUM), false);
pub(crate) const S1_HUKUM: Program = p("S-1 ILMU HUKUM", "40", None, Some("S.H."), UMUM);
pub(crate) const S1_MANAJEMEN: Program = lama(p("S-1 MANAJEMEN", "40", None, Some("S.E."), UMUM), false);
pub(crate) const S1_AKUNTANSI: Program = lama(p("S-1 AKUNTANSI", "40", None, Some("S.Ak."), UMUM), false);
pub(crate) const S1_EKONOMI: Program = lama(p("S-1 EKONOMI PEMBANGUNAN", "40", None, Some("S.E."), UMUM), false);
pub(crate) const S1_KOMUNIKASI: Program = p("S-1 ILMU KOMUNIKASI", "40", None, Some("S.I.Kom."), UMUM);
pub(crate) const S1_SOSIOLOGI: Program = lama(p("S-1 SOSIOLOGI", "40", None, Some("S.Sos."), UMUM), false);
pub(crate) const S1_POLITIK: Program = lama(p("S-1 ILMU POLITIK", "40", None, Some("S.IP."), UMUM), false);
pub(crate) const S1_PEKSOS: Program = p("S-1 PEKERJAAN SOSIAL", "40", None, Some("S.Sos."), UMUM);
pub(crate) const S1_PSIKOLOGI: Program = p("S-1 PSIKOLOGI", "40", None, Some("S.Psi."), UMUM);
pub(crate) const S1_INFORMATIKA: Program = p("S-1 TEKNIK INFORMATIKA", "40", None, Some("S.Kom."), UMUM);
pub(crate) const S1_SISTEM_INFORMASI: Program = p("S-1 SISTEM INFORMASI", "40", None, Some("S.Kom."), UMUM);
pub(crate) const S1_STATISTIKA: Program = p("S-1 STATISTIKA", "40", None, Some("S.Stat."), UMUM);
pub(crate) const S1_SIPIL: Program = lama(p("S-1 TEKNIK SIPIL", "40", None, Some("S.T."), UMUM), true);
pub(crate) const S1_ELEKTRO: Program = lama(p("S-1 TEKNIK ELEKTRO", "40", None, Some("S.T."), UMUM), true);
pub(crate) const S1_LINGKUNGAN: Program = p("S-1 TEKNIK LINGKUNGAN", "40", None, Some("S.T."), UMUM);
pub(crate) const S1_PWK: Program = p("S-1 PERENCANAAN WILAYAH DAN KOTA", "40", None, Some("S.T."), UMUM);
pub(crate) const S1_ARSITEKTUR: Program = lama(p("S-1 ARSITEKTUR", "40", None, Some("S.Ars."), UMUM), true);
pub(crate) const S1_AGROTEKNOLOGI: Program = lama(p("S-1 AGROTEKNOLOGI", "40", None, Some("S.P."), UMUM), true);
pub(crate) const S1_AGRIBISNIS: Program = lama(p("S-1 AGRIBISNIS", "40", None, Some("S.P."), UMUM), true);
pub(crate) const S1_PETERNAKAN: Program = lama(p("S-1 PETERNAKAN", "40", None, Some("S.Pt."), UMUM), true);
pub(crate) const S1_PERIKANAN: Program = lama(p("S-1 PERIKANAN", "40", None, Some("S.Pi."), UMUM), true);
pub(crate) const S1_KEHUTANAN: Program = lama(p("S-1 KEHUTANAN", "40", None, Some("S.Hut."), UMUM), true);
pub(crate) const S1_PERPUSTAKAAN: Program = p("S-1 ILMU PERPUSTAKAAN", "40", None, Some("S.IIP."), UMUM);
pub(crate) const S1_SEJARAH: Program = lama(p("S-1 ILMU SEJARAH", "40", None, Some("S.Hum."), UMUM), false);
pub(crate) const S1_PAUD: Program = p("S-1 PENDIDIKAN GURU PAUD", "40", None, Some("S.Pd."), GURU);

/// S-1 programs of general administration, for pelaksana and struktural.
pub(crate) const S1_UMUM: &[Program] = &[
    S1_ADM_NEGARA,
    S1_PEMERINTAHAN,
    S1_HUKUM,
    S1_MANAJEMEN,
    S1_AKUNTANSI,
    S1_EKONOMI,
    S1_KOMUNIKASI,
    S1_SOSIOLOGI,
    S1_INFORMATIKA,
    S1_SISTEM_INFORMASI,
    S1_SIPIL,
    S1_AGROTEKNOLOGI,
    S1_PETERNAKAN,
    S1_PERIKANAN,
    S1_KEHUTANAN,
];
/// Diploma III programs of general administration, for pelaksana.
pub(crate) const D3_UMUM: &[Program] = &[D3_MI, D3_AKUNTANSI, D3_ADMINISTRASI, D3_SIPIL, D3_KOMPUTER];

// S-2 and S-3.
pub(crate) const S2_UMUM: &[Program] = &[
    p("S-2 MAGISTER ADMINISTRASI PUBLIK", "45", None, Some("M.AP."), UMUM),
    p("S-2 MAGISTER MANAJEMEN", "45", None, Some("M.M."), UMUM),
    p("S-2 ILMU HUKUM", "45", None, Some("M.H."), UMUM),
    p("S-2 ILMU PEMERINTAHAN", "45", None, Some("M.Si."), UMUM),
    p("S-2 PERENCANAAN WILAYAH", "45", None, Some("M.T."), UMUM),
    p("S-2 ILMU LINGKUNGAN", "45", None, Some("M.Si."), UMUM),
    p("S-2 AKUNTANSI", "45", None, Some("M.Ak."), UMUM),
    p("S-2 ILMU KOMPUTER", "45", None, Some("M.Kom."), UMUM),
];
pub(crate) const S2_PENDIDIKAN: &[Program] = &[
    p("S-2 MANAJEMEN PENDIDIKAN", "45", None, Some("M.Pd."), GURU),
    p("S-2 PENDIDIKAN DASAR", "45", None, Some("M.Pd."), GURU),
];
pub(crate) const S2_KESEHATAN: Program = p("S-2 KESEHATAN MASYARAKAT", "45", None, Some("M.Kes."), KESEHATAN);
pub(crate) const S2_SPESIALIS: &[Program] = &[
    p("S-2 ILMU PENYAKIT DALAM (SPESIALIS)", "45", None, Some("Sp.PD."), KEDOKTERAN),
    p("S-2 ILMU KESEHATAN ANAK (SPESIALIS)", "45", None, Some("Sp.A."), KEDOKTERAN),
    p("S-2 OBSTETRI DAN GINEKOLOGI (SPESIALIS)", "45", None, Some("Sp.OG."), KEDOKTERAN),
    p("S-2 ILMU BEDAH (SPESIALIS)", "45", None, Some("Sp.B."), KEDOKTERAN),
    p("S-2 ANESTESIOLOGI DAN TERAPI INTENSIF (SPESIALIS)", "45", None, Some("Sp.An."), KEDOKTERAN),
    p("S-2 RADIOLOGI (SPESIALIS)", "45", None, Some("Sp.Rad."), KEDOKTERAN),
];
pub(crate) const S3_UMUM: Program = p("S-3 ILMU ADMINISTRASI", "50", Some("Dr."), None, UMUM);

/// True for health programs (dokter, nakes), whose students mostly come from SMA IPA.
pub(crate) fn kesehatan(program: &Program) -> bool {
    program.kampus == KESEHATAN || program.kampus == KEDOKTERAN
}

/// Golongan awal and the highest golongan by KP reguler for an ijazah: the tingkat pendidikan's range, except
/// dokter, dokter gigi and apoteker, who start at III/b and reach IV/a (the Dokter/Apoteker row of the ijazah table,
/// as `model::rules::kp` reads it).
pub(crate) fn golongan_awal_maks(program: &Program) -> (&'static str, &'static str) {
    // The programs named DOKTER/APOTEKER are exactly those giving dr., drg. or apt. (checked by a unit test).
    if program.tingkat == "40" && matches!(program.depan, Some("dr." | "drg." | "apt.")) {
        return ("32", "41");
    }
    rentang_tingkat(program.tingkat).unwrap_or(("21", "32"))
}

/// `golongan_awal_id` and `golongan_maks_id` of a tingkat pendidikan, copied from `referensi/tingkat-pendidikan.json`
/// (hot in the KP loop; a unit test checks the copy against the reference data).
pub(crate) fn rentang_tingkat(tingkat: &str) -> Option<(&'static str, &'static str)> {
    Some(match tingkat {
        "05" => ("11", "21"),
        "10" => ("13", "23"),
        "12" => ("13", "24"),
        "15" | "17" | "18" | "20" => ("21", "32"),
        "25" => ("22", "32"),
        "30" => ("23", "33"),
        "35" | "40" => ("31", "34"),
        "42" | "45" | "47" | "49" => ("32", "41"),
        "50" => ("33", "42"),
        _ => return None,
    })
}

/// The golongan ids as `'static` strings (the reference data owns `String`s; the generator wants `&'static str`).
pub(crate) fn golongan_static(id: &str) -> &'static str {
    const IDS: [&str; 17] =
        ["11", "12", "13", "14", "21", "22", "23", "24", "31", "32", "33", "34", "41", "42", "43", "44", "45"];
    IDS.iter().find(|known| **known == id).copied().unwrap_or("21")
}

/// The rank of a golongan, 1 (I/a) to 17 (IV/e), as `referensi().golongan_urutan`; 0 for an unknown id.
pub(crate) fn urutan(id: &str) -> u8 {
    match id.as_bytes() {
        [golongan @ b'1'..=b'4', ruang @ b'1'..=b'5'] if *ruang <= b'4' || *golongan == b'4' => {
            (golongan - b'1') * 4 + (ruang - b'0')
        }
        _ => 0,
    }
}

/// The golongan one step above `id`, if any.
pub(crate) fn naik(id: &str) -> Option<&'static str> {
    const IDS: [&str; 17] =
        ["11", "12", "13", "14", "21", "22", "23", "24", "31", "32", "33", "34", "41", "42", "43", "44", "45"];
    let rank = usize::from(urutan(id));
    (rank > 0).then(|| IDS.get(rank)).flatten().copied()
}

/// The tingkat pendidikan's name as `referensi/tingkat-pendidikan.json` has it (`S-1/Sarjana`).
pub(crate) fn nama_tingkat(id: &str) -> &'static str {
    match id {
        "05" => "Sekolah Dasar",
        "10" => "SLTP",
        "12" => "SLTP Kejuruan",
        "15" => "SLTA",
        "17" => "SLTA Kejuruan",
        "18" => "SLTA Keguruan",
        "20" => "Diploma I",
        "25" => "Diploma II",
        "30" => "Diploma III/Sarjana Muda",
        "35" => "Diploma IV",
        "40" => "S-1/Sarjana",
        "42" => "Profesi dokter",
        "45" => "S-2",
        "47" => "Dokter spesialis",
        "49" => "Subspesialis",
        "50" => "S-3/Doktor",
        _ => "",
    }
}

/// Keahlian (Ahli …) or keterampilan (Terampil …) jabatan fungsional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kategori {
    Keahlian,
    Keterampilan,
}

/// A jabatan fungsional family (`Perawat`), its category, the highest jenjang an instansi daerah fills, and the
/// programs its holders come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fungsional {
    pub(crate) nama: &'static str,
    pub(crate) kategori: Kategori,
    /// The highest jenjang code (`MA`, `UT`, `PY`).
    pub(crate) puncak: &'static str,
    pub(crate) program: &'static [Program],
}

const fn ahli(nama: &'static str, program: &'static [Program]) -> Fungsional {
    Fungsional { nama, kategori: Kategori::Keahlian, puncak: "MA", program }
}

const fn terampil(nama: &'static str, program: &'static [Program]) -> Fungsional {
    Fungsional { nama, kategori: Kategori::Keterampilan, puncak: "PY", program }
}

/// The jenjang code a golongan falls in for `kategori`: Ahli Pertama III/a–III/b, Muda III/c–III/d, Madya IV/a–IV/c,
/// Utama IV/d–IV/e; Terampil II/a–II/d, Mahir III/a–III/b, Penyelia III/c and above.
pub(crate) fn jenjang(kategori: Kategori, golongan: Option<&str>) -> &'static str {
    let rank = golongan.map_or(0, urutan);
    match kategori {
        Kategori::Keahlian => match rank {
            0..=10 => "PT",
            11..=12 => "MU",
            13..=15 => "MA",
            _ => "UT",
        },
        Kategori::Keterampilan => match rank {
            0..=8 => "TR",
            9..=10 => "MH",
            _ => "PY",
        },
    }
}

/// The highest golongan a jenjang's holder can reach by KP (the top of the jenjang's range).
pub(crate) fn golongan_puncak(jenjang: &str) -> &'static str {
    match jenjang {
        "PT" | "MH" => "32",
        "MU" | "PY" => "34",
        "MA" => "43",
        "UT" => "45",
        _ => "24",
    }
}

/// The name of a jenjang code as `referensi/jenjang-jf.json` has it: `Ahli Pertama`, `Terampil`, ….
pub(crate) fn nama_jenjang(kode: &str) -> &'static str {
    match kode {
        "PT" => "Ahli Pertama",
        "MU" => "Ahli Muda",
        "MA" => "Ahli Madya",
        "UT" => "Ahli Utama",
        "PM" => "Pemula",
        "MH" => "Mahir",
        "PY" => "Penyelia",
        _ => "Terampil",
    }
}

/// The golongan uppercase name and pangkat of a golongan id, as `referensi/golongan.json` has them.
pub(crate) fn nama_golongan(id: &str) -> Option<(&'static str, &'static str)> {
    const NAMA: [(&str, &str); 17] = [
        ("I/a", "Juru Muda"),
        ("I/b", "Juru Muda Tingkat I"),
        ("I/c", "Juru"),
        ("I/d", "Juru Tingkat I"),
        ("II/a", "Pengatur Muda"),
        ("II/b", "Pengatur Muda Tingkat I"),
        ("II/c", "Pengatur"),
        ("II/d", "Pengatur Tingkat I"),
        ("III/a", "Penata Muda"),
        ("III/b", "Penata Muda Tingkat I"),
        ("III/c", "Penata"),
        ("III/d", "Penata Tingkat I"),
        ("IV/a", "Pembina"),
        ("IV/b", "Pembina Tingkat I"),
        ("IV/c", "Pembina Utama Muda"),
        ("IV/d", "Pembina Utama Madya"),
        ("IV/e", "Pembina Utama"),
    ];
    NAMA.get(usize::from(urutan(id)).checked_sub(1)?).copied()
}

/// A tenaga kesehatan line: the jabatan, its entry program, the specialisation added later, and where it works.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nakes {
    pub(crate) fungsional: Fungsional,
    /// Share of nakes in this line, in percent.
    pub(crate) bobot: f64,
    /// Share working at the RSUD (the rest at puskesmas, and a few at the Dinas Kesehatan office).
    pub(crate) rsud: f64,
    /// Whether the line adds a specialist S-2 after the entry program (dokter spesialis).
    pub(crate) spesialis: bool,
}

const fn nakes(fungsional: Fungsional, bobot: f64, rsud: f64) -> Nakes {
    Nakes { fungsional, bobot, rsud, spesialis: false }
}

pub(crate) const NAKES: &[Nakes] = &[
    nakes(terampil("Perawat", &[D3_PERAWAT]), 28.0, 0.35),
    nakes(ahli("Perawat", &[S1_NERS]), 11.0, 0.4),
    nakes(terampil("Bidan", &[D3_BIDAN]), 18.0, 0.15),
    nakes(ahli("Bidan", &[D4_BIDAN]), 5.0, 0.2),
    nakes(Fungsional { nama: "Dokter", kategori: Kategori::Keahlian, puncak: "UT", program: &[S1_DOKTER] }, 8.0, 0.35),
    Nakes {
        fungsional: Fungsional { nama: "Dokter", kategori: Kategori::Keahlian, puncak: "UT", program: &[S1_DOKTER] },
        bobot: 2.5,
        rsud: 1.0,
        spesialis: true,
    },
    nakes(ahli("Dokter Gigi", &[S1_DOKTER_GIGI]), 2.0, 0.2),
    nakes(ahli("Apoteker", &[S1_APOTEKER]), 2.5, 0.4),
    nakes(terampil("Asisten Apoteker", &[D3_FARMASI]), 3.0, 0.3),
    nakes(terampil("Pranata Laboratorium Kesehatan", &[D3_ANALIS]), 4.0, 0.4),
    nakes(terampil("Nutrisionis", &[D3_GIZI]), 2.5, 0.3),
    nakes(ahli("Nutrisionis", &[S1_GIZI]), 1.0, 0.4),
    nakes(terampil("Sanitarian", &[D3_KESLING]), 3.0, 0.1),
    nakes(terampil("Perekam Medis", &[D3_RMIK]), 2.0, 0.6),
    nakes(terampil("Radiografer", &[D3_RADIOLOGI]), 1.0, 1.0),
    nakes(ahli("Epidemiolog Kesehatan", &[S1_KESMAS]), 2.0, 0.0),
    nakes(ahli("Penyuluh Kesehatan Masyarakat", &[S1_KESMAS]), 2.5, 0.05),
    nakes(ahli("Administrator Kesehatan", &[S1_KESMAS]), 2.0, 0.3),
];

/// A line of tenaga kesehatan drawn by [`NAKES`] shares.
pub(crate) fn pilih_nakes(rng: &mut Rng) -> &'static Nakes {
    let weights: Vec<f64> = NAKES.iter().map(|line| line.bobot).collect();
    &NAKES[rng.weighted(&weights)]
}

const ANALIS_KEBIJAKAN: Fungsional = ahli("Analis Kebijakan", &[S1_ADM_NEGARA, S1_PEMERINTAHAN, S1_POLITIK, S1_HUKUM]);
const HUMAS: Fungsional = ahli("Pranata Hubungan Masyarakat", &[S1_KOMUNIKASI]);

const JF_PEMERINTAHAN: &[Fungsional] = &[
    ANALIS_KEBIJAKAN,
    ahli("Analis Hukum", &[S1_HUKUM]),
    ahli("Perancang Peraturan Perundang-undangan", &[S1_HUKUM]),
    ahli("Pengelola Pengadaan Barang/Jasa", &[S1_SIPIL, S1_MANAJEMEN, S1_ADM_NEGARA]),
    HUMAS,
];
const JF_DPRD: &[Fungsional] = &[ANALIS_KEBIJAKAN, HUMAS];
const JF_PENGAWASAN: &[Fungsional] = &[
    ahli("Auditor", &[S1_AKUNTANSI, S1_MANAJEMEN, S1_HUKUM]),
    ahli("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", &[S1_ADM_NEGARA, S1_PEMERINTAHAN]),
];
const JF_PERENCANAAN: &[Fungsional] = &[ahli("Perencana", &[S1_PWK, S1_EKONOMI, S1_ADM_NEGARA, S1_STATISTIKA])];
const JF_KEPEGAWAIAN: &[Fungsional] = &[
    ahli("Analis Sumber Daya Manusia Aparatur", &[S1_ADM_NEGARA, S1_PSIKOLOGI, S1_HUKUM]),
    terampil("Pranata Sumber Daya Manusia Aparatur", &[D3_MI, D3_ADMINISTRASI]),
];
const JF_KEUANGAN: &[Fungsional] =
    &[ahli("Analis Keuangan Pusat dan Daerah", &[S1_AKUNTANSI, S1_MANAJEMEN, S1_EKONOMI])];
const JF_BENCANA: &[Fungsional] = &[ahli("Analis Bencana", &[S1_LINGKUNGAN, S1_ADM_NEGARA]), ANALIS_KEBIJAKAN];
const JF_PENDIDIKAN: &[Fungsional] =
    &[ahli("Penilik", &[S1_PAUD]), ahli("Pamong Budaya", &[S1_SEJARAH]), ahli("Pamong Belajar", &[S1_PAUD])];
const JF_KESEHATAN: &[Fungsional] = &[ahli("Administrator Kesehatan", &[S1_KESMAS])];
const JF_PEKERJAAN_UMUM: &[Fungsional] = &[
    ahli("Teknik Jalan dan Jembatan", &[S1_SIPIL]),
    ahli("Teknik Pengairan", &[S1_SIPIL]),
    ahli("Penata Ruang", &[S1_PWK]),
    terampil("Teknik Jalan dan Jembatan", &[D3_SIPIL]),
];
const JF_PERUMAHAN: &[Fungsional] = &[
    ahli("Teknik Tata Bangunan dan Perumahan", &[S1_ARSITEKTUR, S1_SIPIL]),
    ahli("Teknik Penyehatan Lingkungan", &[S1_LINGKUNGAN]),
];
const JF_KETERTIBAN: &[Fungsional] = &[
    terampil("Polisi Pamong Praja", &[D3_ADMINISTRASI, D3_MI]),
    ahli("Polisi Pamong Praja", &[S1_HUKUM, S1_ADM_NEGARA]),
];
const JF_KEBAKARAN: &[Fungsional] =
    &[ahli("Analis Kebakaran", &[S1_SIPIL, S1_ELEKTRO]), terampil("Pemadam Kebakaran", &[D3_SIPIL])];
const JF_SOSIAL: &[Fungsional] =
    &[ahli("Pekerja Sosial", &[S1_PEKSOS, S1_SOSIOLOGI]), ahli("Penyuluh Sosial", &[S1_SOSIOLOGI])];
const JF_TENAGA_KERJA: &[Fungsional] =
    &[ahli("Pengantar Kerja", &[S1_MANAJEMEN, S1_PSIKOLOGI]), ahli("Mediator Hubungan Industrial", &[S1_HUKUM])];
const JF_KELUARGA_BERENCANA: &[Fungsional] =
    &[ahli("Penyuluh Keluarga Berencana", &[S1_KESMAS, S1_SOSIOLOGI, S1_ADM_NEGARA])];
const JF_PANGAN: &[Fungsional] = &[ahli("Analis Ketahanan Pangan", &[S1_AGRIBISNIS, S1_AGROTEKNOLOGI, S1_GIZI])];
const JF_LINGKUNGAN: &[Fungsional] = &[ahli("Pengendali Dampak Lingkungan", &[S1_LINGKUNGAN, S1_KEHUTANAN])];
const JF_KEPENDUDUKAN: &[Fungsional] =
    &[ahli("Administrator Database Kependudukan", &[S1_INFORMATIKA, S1_SISTEM_INFORMASI])];
const JF_DESA: &[Fungsional] = &[ahli("Penggerak Swadaya Masyarakat", &[S1_SOSIOLOGI, S1_ADM_NEGARA, S1_PEMERINTAHAN])];
const JF_PERHUBUNGAN: &[Fungsional] = &[terampil("Penguji Kendaraan Bermotor", &[D3_OTOMOTIF]), ANALIS_KEBIJAKAN];
const JF_INFORMATIKA: &[Fungsional] = &[
    ahli("Pranata Komputer", &[S1_INFORMATIKA, S1_SISTEM_INFORMASI]),
    terampil("Pranata Komputer", &[D3_MI, D3_KOMPUTER]),
    ahli("Statistisi", &[S1_STATISTIKA]),
    HUMAS,
    terampil("Sandiman", &[D3_KOMPUTER]),
];
const JF_PERDAGANGAN: &[Fungsional] = &[
    terampil("Penera", &[D3_SIPIL, D3_KOMPUTER]),
    ahli("Pengawas Koperasi", &[S1_MANAJEMEN, S1_AKUNTANSI]),
    ahli("Pengawas Perdagangan", &[S1_MANAJEMEN, S1_EKONOMI]),
];
const JF_ANALIS_KEBIJAKAN: &[Fungsional] = &[ANALIS_KEBIJAKAN];
const JF_PARIWISATA: &[Fungsional] =
    &[ahli("Adyatama Kepariwisataan dan Ekonomi Kreatif", &[S1_MANAJEMEN, S1_KOMUNIKASI])];
const JF_PERPUSTAKAAN: &[Fungsional] = &[
    ahli("Pustakawan", &[S1_PERPUSTAKAAN]),
    terampil("Pustakawan", &[D3_PERPUSTAKAAN]),
    ahli("Arsiparis", &[S1_ADM_NEGARA, S1_PERPUSTAKAAN]),
    terampil("Arsiparis", &[D3_ADMINISTRASI]),
];
const JF_PERTANIAN: &[Fungsional] = &[
    ahli("Penyuluh Pertanian", &[S1_AGROTEKNOLOGI, S1_AGRIBISNIS, S1_PETERNAKAN]),
    terampil("Penyuluh Pertanian", &[D3_PERTANIAN]),
    ahli("Pengawas Benih Tanaman", &[S1_AGROTEKNOLOGI]),
    terampil("Paramedik Veteriner", &[D3_KESWAN]),
];
const JF_PERIKANAN: &[Fungsional] =
    &[ahli("Penyuluh Perikanan", &[S1_PERIKANAN]), ahli("Pengelola Produksi Perikanan Tangkap", &[S1_PERIKANAN])];

/// The jabatan fungsional (other than guru and nakes) an OPD of `sektor` employs.
pub(crate) fn fungsional_sektor(sektor: Sektor) -> &'static [Fungsional] {
    match sektor {
        Sektor::Pemerintahan => JF_PEMERINTAHAN,
        Sektor::Dprd => JF_DPRD,
        Sektor::Pengawasan => JF_PENGAWASAN,
        Sektor::Perencanaan => JF_PERENCANAAN,
        Sektor::Kepegawaian => JF_KEPEGAWAIAN,
        Sektor::Keuangan | Sektor::Pendapatan => JF_KEUANGAN,
        Sektor::Bencana => JF_BENCANA,
        Sektor::Pendidikan => JF_PENDIDIKAN,
        Sektor::Kesehatan | Sektor::RumahSakit => JF_KESEHATAN,
        Sektor::PekerjaanUmum => JF_PEKERJAAN_UMUM,
        Sektor::Perumahan => JF_PERUMAHAN,
        Sektor::Ketertiban => JF_KETERTIBAN,
        Sektor::Kebakaran => JF_KEBAKARAN,
        Sektor::Sosial => JF_SOSIAL,
        Sektor::TenagaKerja => JF_TENAGA_KERJA,
        Sektor::KeluargaBerencana => JF_KELUARGA_BERENCANA,
        Sektor::Pangan => JF_PANGAN,
        Sektor::Lingkungan => JF_LINGKUNGAN,
        Sektor::Kependudukan => JF_KEPENDUDUKAN,
        Sektor::Desa => JF_DESA,
        Sektor::Perhubungan => JF_PERHUBUNGAN,
        Sektor::Informatika => JF_INFORMATIKA,
        Sektor::Perdagangan => JF_PERDAGANGAN,
        Sektor::Perizinan | Sektor::Kesbangpol | Sektor::Kewilayahan => JF_ANALIS_KEBIJAKAN,
        Sektor::Pariwisata => JF_PARIWISATA,
        Sektor::Perpustakaan => JF_PERPUSTAKAAN,
        Sektor::Pertanian => JF_PERTANIAN,
        Sektor::Perikanan => JF_PERIKANAN,
    }
}

/// How many jabatan fungsional of `sektor` an OPD employs, relative to others (auditors, penyuluh and Satpol PP
/// are many; a kecamatan has almost none).
pub(crate) fn bobot_fungsional(sektor: Sektor) -> f64 {
    match sektor {
        Sektor::Pengawasan | Sektor::Ketertiban | Sektor::Pertanian => 4.0,
        Sektor::Perencanaan | Sektor::Kepegawaian | Sektor::Keuangan | Sektor::KeluargaBerencana => 2.0,
        Sektor::Kebakaran | Sektor::Informatika | Sektor::PekerjaanUmum | Sektor::Perikanan => 2.0,
        Sektor::Kewilayahan => 0.1,
        Sektor::Kesehatan | Sektor::RumahSakit => 0.5,
        _ => 1.0,
    }
}

/// Pelaksana (jabatan fungsional umum) names by tingkat pendidikan, in the nomenclature before 2024.
pub(crate) fn pelaksana_lama(tingkat: &str) -> &'static [&'static str] {
    match tingkat {
        "05" | "10" | "12" => &["Pengemudi", "Petugas Kebersihan", "Penjaga Malam"],
        "15" | "17" | "18" | "20" | "25" => &[
            "Pengadministrasi Umum",
            "Pengadministrasi Perkantoran",
            "Pengolah Data",
            "Petugas Keamanan",
            "Pengemudi",
            "Pengelola Sarana dan Prasarana Kantor",
            "Bendahara",
            "Pengadministrasi Keuangan",
            "Pengadministrasi Kepegawaian",
        ],
        "30" => &[
            "Pengelola Data",
            "Pengelola Keuangan",
            "Pengelola Kepegawaian",
            "Bendahara",
            "Pengelola Sistem dan Jaringan",
        ],
        _ => &[
            "Analis Data dan Informasi",
            "Penyusun Rencana Kegiatan dan Anggaran",
            "Verifikator Keuangan",
            "Analis Perencanaan, Evaluasi dan Pelaporan",
            "Penyusun Program Anggaran dan Pelaporan",
            "Pengelola Pengadaan Barang/Jasa",
        ],
    }
}

/// The pelaksana name after the 2024 penyetaraan (PermenPANRB 45/2024): operator, pengelola or penata layanan
/// operasional by education.
pub(crate) fn pelaksana_baru(tingkat: &str) -> &'static str {
    match tingkat {
        "05" | "10" | "12" | "15" | "17" | "18" | "20" | "25" => "Operator Layanan Operasional",
        "30" => "Pengelola Layanan Operasional",
        _ => "Penata Layanan Operasional",
    }
}

/// Kelas jabatan of a pelaksana by education.
pub(crate) fn kelas_pelaksana(tingkat: &str) -> u8 {
    match tingkat {
        "05" | "10" | "12" => 3,
        "30" => 6,
        "35" | "40" | "45" | "50" => 7,
        _ => 5,
    }
}

/// Kelas jabatan of a jabatan fungsional jenjang.
pub(crate) fn kelas_fungsional(jenjang: &str) -> u8 {
    match jenjang {
        "PT" => 8,
        "MU" => 9,
        "MA" => 11,
        "UT" => 13,
        "TR" => 6,
        "MH" => 7,
        "PY" => 8,
        _ => 5,
    }
}

/// Kelas jabatan of a jabatan struktural by eselon.
pub(crate) fn kelas_struktural(eselon: &str) -> u8 {
    match eselon {
        "21" => 14,
        "22" => 13,
        "31" => 12,
        "32" => 11,
        "41" => 9,
        _ => 8,
    }
}

/// The education of the head of a unit of `sektor` at `eselon`: (entry program, program obtained while serving).
pub(crate) fn pendidikan_pejabat(rng: &mut Rng, sektor: Sektor, eselon: &str) -> (Program, Option<Program>) {
    let s2_share = match eselon {
        "21" => 0.85,
        "22" => 0.7,
        "31" | "32" => 0.4,
        _ => 0.1,
    };
    let sektoral: Option<(Program, Program)> = match sektor {
        Sektor::Kesehatan | Sektor::RumahSakit if rng.chance(0.45) => Some((S1_DOKTER, S2_KESEHATAN)),
        Sektor::Kesehatan | Sektor::RumahSakit if rng.chance(0.6) => Some((S1_KESMAS, S2_KESEHATAN)),
        Sektor::Pendidikan if rng.chance(0.6) => Some((*rng.pick(S1_GURU_SMP), *rng.pick(S2_PENDIDIKAN))),
        Sektor::PekerjaanUmum | Sektor::Perumahan if rng.chance(0.6) => Some((S1_SIPIL, S2_UMUM[4])),
        Sektor::Pertanian | Sektor::Pangan if rng.chance(0.6) => Some((S1_AGROTEKNOLOGI, S2_UMUM[0])),
        Sektor::Perikanan if rng.chance(0.6) => Some((S1_PERIKANAN, S2_UMUM[0])),
        Sektor::Lingkungan if rng.chance(0.6) => Some((S1_LINGKUNGAN, S2_UMUM[5])),
        Sektor::Informatika if rng.chance(0.6) => Some((S1_INFORMATIKA, S2_UMUM[7])),
        Sektor::Keuangan | Sektor::Pendapatan | Sektor::Pengawasan if rng.chance(0.6) => {
            Some((S1_AKUNTANSI, S2_UMUM[6]))
        }
        Sektor::Kewilayahan if rng.chance(0.5) => Some((D4_IPDN, S2_UMUM[3])),
        _ => None,
    };
    let (s1, s2) = sektoral.unwrap_or_else(|| (*rng.pick(S1_UMUM), *rng.pick(&S2_UMUM[..4])));
    if eselon == "42" && rng.chance(0.3) {
        return (*rng.pick(SLTA), None);
    }
    if matches!(eselon, "41" | "42") && rng.chance(0.12) {
        return (*rng.pick(D3_UMUM), rng.chance(0.5).then_some(s1));
    }
    let s3 = eselon == "21" && rng.chance(0.1);
    match (rng.chance(s2_share), s3) {
        (true, true) => (s1, Some(S3_UMUM)),
        (true, false) => (s1, Some(s2)),
        _ => (s1, None),
    }
}
