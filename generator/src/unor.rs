//! The unit tree (unor) of the fictional kabupaten, in the shape of SI-ASN's `ref-unor`.
//!
//! Under the root (the Bupati) sit about forty OPD, as a Permendagri-style SOTK has them: the Sekretariat Daerah
//! (II.a) with three asisten (II.b), bagian (III.a) and sub bagian (IV.a); the Sekretariat DPRD and the Inspektorat
//! (inspektur pembantu, III.a); six badan and twenty dinas (II.b) with a sekretariat (III.a, two sub bagian IV.a) and
//! bidang (III.b), the dinas bidang with seksi (IV.a); Satpol PP; the RSUD; and the kecamatan (camat III.a,
//! sekretaris kecamatan III.b, seksi IV.a, sub bagian IV.b) with their kelurahan (lurah IV.a, sekretaris kelurahan
//! IV.b). Under the Dinas Pendidikan sit the SD and SMP Negeri (no eselon; the head is a guru with a tugas
//! tambahan), under the Dinas Kesehatan the UPT Puskesmas (IV.a). The number of kecamatan, schools and puskesmas
//! grows with the number of pegawai so that a school keeps about ten guru and a puskesmas about thirty nakes.
//!
//! What this module does not do: it does not place pegawai (see `profil`), and it does not model UPT of other dinas,
//! staf ahli, or the SOTK changes over the years (the tree is the one in force today).

use serde_json::{Map, Value};

use crate::ids::{guid_baru, guid_lama};
use crate::rng::Rng;

/// The kind of a unit, which decides its eselon, its head's jabatan and who works in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JenisUnit {
    Root,
    Opd,
    Sekretariat,
    Asisten,
    Bagian,
    SubBagian,
    Bidang,
    Seksi,
    Irban,
    Kecamatan,
    Kelurahan,
    Sd,
    Smp,
    Puskesmas,
}

/// The field an OPD works in: decides its jabatan fungsional and its heads' education.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sektor {
    Pemerintahan,
    Dprd,
    Pengawasan,
    Perencanaan,
    Kepegawaian,
    Keuangan,
    Pendapatan,
    Kesbangpol,
    Bencana,
    Pendidikan,
    Kesehatan,
    PekerjaanUmum,
    Perumahan,
    Ketertiban,
    Kebakaran,
    Sosial,
    TenagaKerja,
    KeluargaBerencana,
    Pangan,
    Lingkungan,
    Kependudukan,
    Desa,
    Perhubungan,
    Informatika,
    Perdagangan,
    Perizinan,
    Pariwisata,
    Perpustakaan,
    Pertanian,
    Perikanan,
    RumahSakit,
    Kewilayahan,
}

/// One unit of the tree.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// `Id`, a GUID in either SI-ASN style.
    pub(crate) id: String,
    /// Index of the parent unit; `None` for the root.
    pub(crate) parent: Option<usize>,
    /// `EselonId` of the head (`"21"` … `"42"`), or `None` for the root and schools.
    pub(crate) eselon: Option<&'static str>,
    /// `NamaUnor`.
    pub(crate) nama: String,
    /// `NamaJabatan`, the head's jabatan.
    pub(crate) nama_jabatan: String,
    /// `CepatKode`.
    pub(crate) cepat_kode: String,
    /// Index of the OPD the unit belongs to (itself for an OPD, 0 for the root).
    pub(crate) opd: usize,
    /// What kind of unit it is.
    pub(crate) jenis: JenisUnit,
    /// The OPD's field.
    pub(crate) sektor: Sektor,
    /// Index into [`Tree::kecamatan`] of where the unit is (the first kecamatan, the ibukota, for offices).
    pub(crate) wilayah: usize,
}

/// A kecamatan's name and the names of its kelurahan/desa (for addresses and puskesmas).
#[derive(Debug, Clone)]
pub(crate) struct Kecamatan {
    pub(crate) nama: String,
    pub(crate) kelurahan: Vec<String>,
}

/// The whole tree, in `ref-unor` row order (depth first, schools last).
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub(crate) units: Vec<Unit>,
    pub(crate) kecamatan: Vec<Kecamatan>,
}

struct OpdSpec {
    nama: &'static str,
    /// The head's jabatan when it is not `KEPALA <nama>`.
    jabatan: Option<&'static str>,
    sektor: Sektor,
    /// Bidang (without `BIDANG `) with their seksi (without `SEKSI `); empty seksi for badan.
    bidang: &'static [(&'static str, &'static [&'static str])],
}

const BADAN: &[OpdSpec] = &[
    OpdSpec {
        nama: "BADAN PERENCANAAN PEMBANGUNAN, RISET DAN INOVASI DAERAH",
        jabatan: None,
        sektor: Sektor::Perencanaan,
        bidang: &[
            ("PERENCANAAN, PENGENDALIAN DAN EVALUASI PEMBANGUNAN DAERAH", &[]),
            ("PEREKONOMIAN DAN SUMBER DAYA ALAM", &[]),
            ("PEMERINTAHAN DAN PEMBANGUNAN MANUSIA", &[]),
            ("INFRASTRUKTUR DAN KEWILAYAHAN", &[]),
            ("RISET DAN INOVASI DAERAH", &[]),
        ],
    },
    OpdSpec {
        nama: "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA",
        jabatan: None,
        sektor: Sektor::Kepegawaian,
        bidang: &[
            ("PENGADAAN, PEMBERHENTIAN DAN INFORMASI", &[]),
            ("MUTASI DAN PROMOSI", &[]),
            ("PENGEMBANGAN KOMPETENSI APARATUR", &[]),
            ("PENILAIAN KINERJA APARATUR DAN PENGHARGAAN", &[]),
        ],
    },
    OpdSpec {
        nama: "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH",
        jabatan: None,
        sektor: Sektor::Keuangan,
        bidang: &[("ANGGARAN", &[]), ("PERBENDAHARAAN", &[]), ("AKUNTANSI DAN PELAPORAN", &[]), ("ASET", &[])],
    },
    OpdSpec {
        nama: "BADAN PENDAPATAN DAERAH",
        jabatan: None,
        sektor: Sektor::Pendapatan,
        bidang: &[
            ("PENDAPATAN PAJAK DAERAH", &[]),
            ("RETRIBUSI DAN PENDAPATAN LAIN-LAIN", &[]),
            ("PENAGIHAN DAN PENGENDALIAN", &[]),
        ],
    },
    OpdSpec {
        nama: "BADAN KESATUAN BANGSA DAN POLITIK",
        jabatan: None,
        sektor: Sektor::Kesbangpol,
        bidang: &[
            ("IDEOLOGI DAN WAWASAN KEBANGSAAN", &[]),
            ("POLITIK DALAM NEGERI DAN ORGANISASI KEMASYARAKATAN", &[]),
            ("KETAHANAN EKONOMI, SOSIAL DAN BUDAYA", &[]),
        ],
    },
    OpdSpec {
        nama: "BADAN PENANGGULANGAN BENCANA DAERAH",
        jabatan: Some("KEPALA PELAKSANA BADAN PENANGGULANGAN BENCANA DAERAH"),
        sektor: Sektor::Bencana,
        bidang: &[
            ("PENCEGAHAN DAN KESIAPSIAGAAN", &[]),
            ("KEDARURATAN DAN LOGISTIK", &[]),
            ("REHABILITASI DAN REKONSTRUKSI", &[]),
        ],
    },
];

const DINAS: &[OpdSpec] = &[
    OpdSpec {
        nama: "DINAS PENDIDIKAN DAN KEBUDAYAAN",
        jabatan: None,
        sektor: Sektor::Pendidikan,
        bidang: &[
            (
                "PEMBINAAN SEKOLAH DASAR",
                &[
                    "KURIKULUM DAN PENILAIAN SEKOLAH DASAR",
                    "PESERTA DIDIK DAN PEMBANGUNAN KARAKTER SEKOLAH DASAR",
                    "SARANA DAN PRASARANA SEKOLAH DASAR",
                ],
            ),
            (
                "PEMBINAAN SEKOLAH MENENGAH PERTAMA",
                &[
                    "KURIKULUM DAN PENILAIAN SEKOLAH MENENGAH PERTAMA",
                    "PESERTA DIDIK DAN PEMBANGUNAN KARAKTER SEKOLAH MENENGAH PERTAMA",
                    "SARANA DAN PRASARANA SEKOLAH MENENGAH PERTAMA",
                ],
            ),
            ("PEMBINAAN PAUD DAN PENDIDIKAN NONFORMAL", &["KELEMBAGAAN PAUD", "PENDIDIKAN MASYARAKAT"]),
            ("PEMBINAAN KETENAGAAN", &["PENDIDIK", "TENAGA KEPENDIDIKAN"]),
            ("KEBUDAYAAN", &["CAGAR BUDAYA DAN PERMUSEUMAN", "KESENIAN DAN TRADISI"]),
        ],
    },
    OpdSpec {
        nama: "DINAS KESEHATAN",
        jabatan: None,
        sektor: Sektor::Kesehatan,
        bidang: &[
            (
                "KESEHATAN MASYARAKAT",
                &[
                    "KESEHATAN KELUARGA DAN GIZI",
                    "PROMOSI DAN PEMBERDAYAAN MASYARAKAT",
                    "KESEHATAN LINGKUNGAN, KESEHATAN KERJA DAN OLAHRAGA",
                ],
            ),
            (
                "PENCEGAHAN DAN PENGENDALIAN PENYAKIT",
                &[
                    "SURVEILANS DAN IMUNISASI",
                    "PENCEGAHAN DAN PENGENDALIAN PENYAKIT MENULAR",
                    "PENCEGAHAN DAN PENGENDALIAN PENYAKIT TIDAK MENULAR DAN KESEHATAN JIWA",
                ],
            ),
            ("PELAYANAN KESEHATAN", &["PELAYANAN KESEHATAN PRIMER", "PELAYANAN KESEHATAN RUJUKAN"]),
            ("SUMBER DAYA KESEHATAN", &["KEFARMASIAN", "ALAT KESEHATAN", "SUMBER DAYA MANUSIA KESEHATAN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG",
        jabatan: None,
        sektor: Sektor::PekerjaanUmum,
        bidang: &[
            ("BINA MARGA", &["PEMBANGUNAN JALAN DAN JEMBATAN", "PRESERVASI JALAN DAN JEMBATAN"]),
            ("SUMBER DAYA AIR", &["IRIGASI DAN RAWA", "SUNGAI DAN PANTAI"]),
            ("CIPTA KARYA", &["AIR MINUM DAN SANITASI", "BANGUNAN GEDUNG"]),
            ("PENATAAN RUANG", &["PERENCANAAN TATA RUANG", "PENGENDALIAN PEMANFAATAN RUANG"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PERUMAHAN DAN KAWASAN PERMUKIMAN",
        jabatan: None,
        sektor: Sektor::Perumahan,
        bidang: &[
            ("PERUMAHAN", &["PENYEDIAAN PERUMAHAN", "PERUMAHAN SWADAYA"]),
            ("KAWASAN PERMUKIMAN", &["PENATAAN KAWASAN KUMUH", "PRASARANA, SARANA DAN UTILITAS UMUM"]),
            ("PERTANAHAN", &["PENGADAAN TANAH", "PENYELESAIAN SENGKETA TANAH"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PEMADAM KEBAKARAN DAN PENYELAMATAN",
        jabatan: None,
        sektor: Sektor::Kebakaran,
        bidang: &[
            ("PEMADAMAN DAN PENYELAMATAN", &["OPERASI PEMADAMAN", "PENYELAMATAN DAN EVAKUASI"]),
            ("PENCEGAHAN KEBAKARAN", &["INSPEKSI DAN PENYULUHAN", "SARANA DAN PRASARANA PEMADAM"]),
        ],
    },
    OpdSpec {
        nama: "DINAS SOSIAL",
        jabatan: None,
        sektor: Sektor::Sosial,
        bidang: &[
            ("PERLINDUNGAN DAN JAMINAN SOSIAL", &["PERLINDUNGAN SOSIAL KORBAN BENCANA", "JAMINAN SOSIAL KELUARGA"]),
            (
                "REHABILITASI SOSIAL",
                &["REHABILITASI SOSIAL ANAK DAN LANJUT USIA", "REHABILITASI SOSIAL PENYANDANG DISABILITAS"],
            ),
            ("PEMBERDAYAAN SOSIAL DAN PENANGANAN FAKIR MISKIN", &["PEMBERDAYAAN SOSIAL", "PENANGANAN FAKIR MISKIN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS TENAGA KERJA DAN TRANSMIGRASI",
        jabatan: None,
        sektor: Sektor::TenagaKerja,
        bidang: &[
            (
                "PELATIHAN DAN PENEMPATAN TENAGA KERJA",
                &["PELATIHAN KERJA DAN PRODUKTIVITAS", "PENEMPATAN DAN PERLUASAN KESEMPATAN KERJA"],
            ),
            ("HUBUNGAN INDUSTRIAL", &["HUBUNGAN INDUSTRIAL DAN SYARAT KERJA", "JAMINAN SOSIAL TENAGA KERJA"]),
            ("TRANSMIGRASI", &["PENYIAPAN KAWASAN TRANSMIGRASI", "PEMBANGUNAN KAWASAN TRANSMIGRASI"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK, PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA",
        jabatan: None,
        sektor: Sektor::KeluargaBerencana,
        bidang: &[
            ("PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK", &["KUALITAS HIDUP PEREMPUAN", "PERLINDUNGAN KHUSUS ANAK"]),
            ("PENGENDALIAN PENDUDUK", &["PENGENDALIAN PENDUDUK DAN INFORMASI KELUARGA", "ADVOKASI DAN PENGGERAKAN"]),
            ("KELUARGA BERENCANA", &["PELAYANAN KELUARGA BERENCANA", "KETAHANAN DAN KESEJAHTERAAN KELUARGA"]),
        ],
    },
    OpdSpec {
        nama: "DINAS KETAHANAN PANGAN",
        jabatan: None,
        sektor: Sektor::Pangan,
        bidang: &[
            ("KETERSEDIAAN DAN DISTRIBUSI PANGAN", &["KETERSEDIAAN PANGAN", "DISTRIBUSI DAN CADANGAN PANGAN"]),
            ("KONSUMSI DAN KEAMANAN PANGAN", &["KONSUMSI DAN PENGANEKARAGAMAN PANGAN", "KEAMANAN PANGAN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS LINGKUNGAN HIDUP",
        jabatan: None,
        sektor: Sektor::Lingkungan,
        bidang: &[
            ("TATA LINGKUNGAN", &["PERENCANAAN DAN KAJIAN DAMPAK LINGKUNGAN", "PEMELIHARAAN LINGKUNGAN HIDUP"]),
            ("PENGELOLAAN SAMPAH DAN LIMBAH B3", &["PENGURANGAN SAMPAH", "PENANGANAN SAMPAH DAN LIMBAH B3"]),
            (
                "PENAATAN DAN PENINGKATAN KAPASITAS",
                &["PENGADUAN DAN PENEGAKAN HUKUM LINGKUNGAN", "PENINGKATAN KAPASITAS LINGKUNGAN HIDUP"],
            ),
        ],
    },
    OpdSpec {
        nama: "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        jabatan: None,
        sektor: Sektor::Kependudukan,
        bidang: &[
            ("PELAYANAN PENDAFTARAN PENDUDUK", &["IDENTITAS PENDUDUK", "PINDAH DATANG PENDUDUK"]),
            ("PELAYANAN PENCATATAN SIPIL", &["KELAHIRAN DAN KEMATIAN", "PERKAWINAN DAN PERCERAIAN"]),
            (
                "PENGELOLAAN INFORMASI ADMINISTRASI KEPENDUDUKAN",
                &["SISTEM INFORMASI ADMINISTRASI KEPENDUDUKAN", "PENGOLAHAN DAN PENYAJIAN DATA KEPENDUDUKAN"],
            ),
        ],
    },
    OpdSpec {
        nama: "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA",
        jabatan: None,
        sektor: Sektor::Desa,
        bidang: &[
            ("PEMERINTAHAN DESA", &["ADMINISTRASI PEMERINTAHAN DESA", "KEUANGAN DAN ASET DESA"]),
            (
                "PEMBERDAYAAN MASYARAKAT DESA",
                &["KELEMBAGAAN DAN PARTISIPASI MASYARAKAT", "USAHA EKONOMI MASYARAKAT DESA"],
            ),
        ],
    },
    OpdSpec {
        nama: "DINAS PERHUBUNGAN",
        jabatan: None,
        sektor: Sektor::Perhubungan,
        bidang: &[
            ("LALU LINTAS DAN ANGKUTAN JALAN", &["MANAJEMEN DAN REKAYASA LALU LINTAS", "ANGKUTAN JALAN"]),
            ("PERHUBUNGAN SUNGAI DAN PENYEBERANGAN", &["LALU LINTAS SUNGAI", "DERMAGA DAN PENYEBERANGAN"]),
            ("SARANA DAN PRASARANA", &["PENGUJIAN KENDARAAN BERMOTOR", "PERLENGKAPAN JALAN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN",
        jabatan: None,
        sektor: Sektor::Informatika,
        bidang: &[
            ("INFORMASI DAN KOMUNIKASI PUBLIK", &["PENGELOLAAN INFORMASI PUBLIK", "KEMITRAAN MEDIA"]),
            ("APLIKASI INFORMATIKA", &["PENGEMBANGAN APLIKASI", "INFRASTRUKTUR DAN TEKNOLOGI INFORMASI"]),
            ("STATISTIK DAN PERSANDIAN", &["STATISTIK SEKTORAL", "PERSANDIAN DAN KEAMANAN INFORMASI"]),
        ],
    },
    OpdSpec {
        nama: "DINAS KOPERASI, USAHA KECIL DAN MENENGAH, PERINDUSTRIAN DAN PERDAGANGAN",
        jabatan: None,
        sektor: Sektor::Perdagangan,
        bidang: &[
            ("KOPERASI DAN USAHA MIKRO", &["KELEMBAGAAN KOPERASI", "PEMBERDAYAAN USAHA MIKRO"]),
            ("PERINDUSTRIAN", &["INDUSTRI AGRO DAN KIMIA", "INDUSTRI KECIL DAN MENENGAH"]),
            ("PERDAGANGAN", &["SARANA DISTRIBUSI DAN PASAR", "METROLOGI DAN PERLINDUNGAN KONSUMEN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        jabatan: None,
        sektor: Sektor::Perizinan,
        bidang: &[
            ("PENANAMAN MODAL", &["PROMOSI PENANAMAN MODAL", "PENGENDALIAN PENANAMAN MODAL"]),
            ("PELAYANAN PERIZINAN DAN NON PERIZINAN", &["PERIZINAN USAHA", "PERIZINAN NON USAHA"]),
        ],
    },
    OpdSpec {
        nama: "DINAS KEPEMUDAAN, OLAHRAGA DAN PARIWISATA",
        jabatan: None,
        sektor: Sektor::Pariwisata,
        bidang: &[
            ("KEPEMUDAAN", &["PEMBERDAYAAN PEMUDA", "KEPELOPORAN PEMUDA"]),
            ("OLAHRAGA", &["PEMBUDAYAAN OLAHRAGA", "PRASARANA OLAHRAGA"]),
            ("PARIWISATA", &["DESTINASI PARIWISATA", "PEMASARAN PARIWISATA"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PERPUSTAKAAN DAN KEARSIPAN",
        jabatan: None,
        sektor: Sektor::Perpustakaan,
        bidang: &[
            ("PERPUSTAKAAN", &["LAYANAN PERPUSTAKAAN", "PENGEMBANGAN KOLEKSI"]),
            ("KEARSIPAN", &["PENGELOLAAN ARSIP", "PEMBINAAN KEARSIPAN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PERTANIAN DAN PETERNAKAN",
        jabatan: None,
        sektor: Sektor::Pertanian,
        bidang: &[
            ("TANAMAN PANGAN DAN HORTIKULTURA", &["PRODUKSI TANAMAN PANGAN", "HORTIKULTURA"]),
            ("PERKEBUNAN", &["PRODUKSI PERKEBUNAN", "PENGOLAHAN DAN PEMASARAN HASIL PERKEBUNAN"]),
            (
                "PETERNAKAN DAN KESEHATAN HEWAN",
                &["PRODUKSI PETERNAKAN", "KESEHATAN HEWAN DAN KESEHATAN MASYARAKAT VETERINER"],
            ),
            ("PENYULUHAN", &["KELEMBAGAAN PENYULUHAN", "METODE DAN INFORMASI PENYULUHAN"]),
        ],
    },
    OpdSpec {
        nama: "DINAS PERIKANAN",
        jabatan: None,
        sektor: Sektor::Perikanan,
        bidang: &[
            ("PERIKANAN TANGKAP", &["SARANA PERIKANAN TANGKAP", "PEMBERDAYAAN NELAYAN"]),
            ("PERIKANAN BUDIDAYA", &["PRODUKSI PERIKANAN BUDIDAYA", "PEMBENIHAN DAN KESEHATAN IKAN"]),
            ("PENGOLAHAN DAN PEMASARAN HASIL PERIKANAN", &["PENGOLAHAN HASIL PERIKANAN", "PEMASARAN HASIL PERIKANAN"]),
        ],
    },
    OpdSpec {
        nama: "SATUAN POLISI PAMONG PRAJA",
        jabatan: None,
        sektor: Sektor::Ketertiban,
        bidang: &[
            ("PENEGAKAN PERATURAN DAERAH", &["PENYELIDIKAN DAN PENYIDIKAN", "PEMBINAAN DAN PENYULUHAN"]),
            (
                "KETERTIBAN UMUM DAN KETENTRAMAN MASYARAKAT",
                &["OPERASI DAN PENGENDALIAN", "KERJASAMA DAN HUBUNGAN ANTAR LEMBAGA"],
            ),
            ("PERLINDUNGAN MASYARAKAT", &["SATUAN PERLINDUNGAN MASYARAKAT", "BINA POTENSI MASYARAKAT"]),
        ],
    },
];

/// Sekretariat Daerah: asisten, their bagian and the bagian's sub bagian.
/// A bagian (or bidang) with its sub units.
type Bagian = (&'static str, &'static [&'static str]);

const SEKDA: &[(&str, &[Bagian])] = &[
    (
        "ASISTEN PEMERINTAHAN DAN KESEJAHTERAAN RAKYAT",
        &[
            ("PEMERINTAHAN", &["ADMINISTRASI PEMERINTAHAN", "OTONOMI DAERAH"]),
            ("HUKUM", &["PERUNDANG-UNDANGAN", "BANTUAN HUKUM"]),
            ("KESEJAHTERAAN RAKYAT", &["BINA MENTAL SPIRITUAL", "KESEJAHTERAAN SOSIAL"]),
        ],
    ),
    (
        "ASISTEN PEREKONOMIAN DAN PEMBANGUNAN",
        &[
            ("PEREKONOMIAN DAN SUMBER DAYA ALAM", &["PEREKONOMIAN", "SUMBER DAYA ALAM"]),
            ("ADMINISTRASI PEMBANGUNAN", &["PENGENDALIAN PROGRAM", "EVALUASI DAN PELAPORAN"]),
            ("PENGADAAN BARANG DAN JASA", &["PENGELOLAAN LAYANAN PENGADAAN", "PEMBINAAN DAN ADVOKASI PENGADAAN"]),
        ],
    ),
    (
        "ASISTEN ADMINISTRASI UMUM",
        &[
            ("UMUM", &["TATA USAHA PIMPINAN", "RUMAH TANGGA"]),
            ("ORGANISASI", &["KELEMBAGAAN DAN ANALISIS JABATAN", "REFORMASI BIROKRASI"]),
            ("PROTOKOL DAN KOMUNIKASI PIMPINAN", &["PROTOKOL", "KOMUNIKASI PIMPINAN"]),
            ("PERENCANAAN DAN KEUANGAN", &["PERENCANAAN", "KEUANGAN"]),
        ],
    ),
];

const SETWAN: &[(&str, &[&str])] = &[
    ("UMUM DAN KEUANGAN", &["TATA USAHA DAN KEPEGAWAIAN", "KEUANGAN"]),
    ("PERSIDANGAN DAN PERUNDANG-UNDANGAN", &["RAPAT DAN RISALAH", "PERUNDANG-UNDANGAN"]),
    ("FASILITASI PENGANGGARAN DAN PENGAWASAN", &["FASILITASI PENGANGGARAN", "FASILITASI PENGAWASAN"]),
];

const RSUD_BIDANG: &[(&str, &[&str])] = &[
    ("PELAYANAN MEDIS", &["PELAYANAN MEDIS RAWAT JALAN", "PELAYANAN MEDIS RAWAT INAP"]),
    ("KEPERAWATAN", &["ASUHAN KEPERAWATAN", "ETIKA DAN MUTU KEPERAWATAN"]),
    ("PENUNJANG MEDIS DAN NON MEDIS", &["PENUNJANG MEDIS", "PENUNJANG NON MEDIS"]),
];

const SEKSI_KECAMATAN: &[&str] =
    &["PEMERINTAHAN", "KETENTERAMAN DAN KETERTIBAN UMUM", "PEMBERDAYAAN MASYARAKAT DAN DESA", "PELAYANAN UMUM"];

const SUB_BAGIAN_SEKRETARIAT: &[&str] = &["UMUM DAN KEPEGAWAIAN", "PERENCANAAN DAN KEUANGAN"];

const TEMPAT_AWAL: &[&str] = &[
    "SUNGAI", "TANJUNG", "MUARA", "BUKIT", "LONG", "TELUK", "KAMPUNG", "BATU", "GUNUNG", "RANTAU", "SEPAKAT", "SIDO",
    "SUKA", "TANAH", "PULAU", "LAMBUNG", "DANAU", "KUALA", "LOA", "SEBERANG", "PADANG", "KARANG", "SIMPANG",
];
const TEMPAT_AKHIR: &[&str] = &[
    "JAYA",
    "MAKMUR",
    "BARU",
    "SARI",
    "DAMAI",
    "INDAH",
    "ASRI",
    "RAYA",
    "MULYA",
    "SEJAHTERA",
    "JERNIH",
    "AMPAR",
    "HILIR",
    "HULU",
    "PERMAI",
    "MERDEKA",
    "LESTARI",
    "BAKTI",
    "MANDIRI",
    "AGUNG",
    "KENCANA",
    "UTAMA",
    "REJO",
    "MAJU",
    "HARAPAN",
    "TENGAH",
    "LUHUR",
];

/// JenisUnorId of each kind of unit (SI-ASN reference GUIDs, as in the fixture's `ref-unor`).
fn jenis_unor_id(unit: &Unit, opd_jenis: Option<&str>) -> &'static str {
    match unit.jenis {
        JenisUnit::Root => "E9DD0AF34C377F7845033E183B23CD8F",
        JenisUnit::Opd => match opd_jenis {
            Some("INSPEKTORAT") => "77755DDF281D5B84530FB01F82B1DD62",
            Some("BADAN") => "45BD96AEC4552B5F3362E11BEC62D776",
            Some("RSUD") => "4106D11E025F678658F85C63C6CB9444",
            Some("SATPOL") => "4698BC03F03692E75F480E73D1631BC7",
            Some("SEKRETARIAT") => "8F70FC6269BC0108DAEFEE5145B82E08",
            _ => "A4F63894E63122C4D877DD0EBCA8CBE5",
        },
        JenisUnit::Sekretariat => "8F70FC6269BC0108DAEFEE5145B82E08",
        JenisUnit::Asisten => "925A95D101D27F015F707D59EDA7EB83",
        JenisUnit::Bagian => "3494BBFDAF46E448D2C4F5D5CD259F6C",
        JenisUnit::SubBagian => "50B66692242DDB376A16DE4F97FFD365",
        JenisUnit::Bidang => "DFBF5FFD04F9C0577D22C0D53722C132",
        JenisUnit::Seksi => "A2DD9906C3D282D3181379D933FF923A",
        JenisUnit::Irban => "0151A7A2EF406976B600EA9018F04793",
        JenisUnit::Kecamatan => "3AAC1E6323384ABA36F04FD502035AAE",
        JenisUnit::Kelurahan => "39D6D42B7206AA841E79CFDDABF10D1C",
        JenisUnit::Sd | JenisUnit::Smp => "17DD8458312D4DD0703D797BD2B0ABD1",
        JenisUnit::Puskesmas => "5FDB441391756D1D59064B06655D1E4E",
    }
}

/// The sizes of the scalable parts of the tree for `pegawai` ASN.
#[derive(Debug, Clone, Copy)]
struct Ukuran {
    kecamatan: usize,
    sd: usize,
    smp: usize,
    puskesmas: usize,
}

fn ukuran(pegawai: usize) -> Ukuran {
    let kecamatan = (6 + pegawai / 1000).clamp(8, 25);
    // About 45% guru, ten per SD and twenty per SMP, one SMP for every five SD.
    let guru = pegawai as f64 * 0.45;
    let kelompok = ((guru / 70.0).ceil() as usize).max(1);
    // About 12% nakes, 60% of them in puskesmas of about thirty.
    let puskesmas = ((pegawai as f64 * 0.12 * 0.6 / 30.0).ceil() as usize).clamp(kecamatan, kecamatan * 6);
    Ukuran { kecamatan, sd: kelompok * 5, smp: kelompok, puskesmas }
}

struct Builder<'a> {
    rng: &'a mut Rng,
    units: Vec<Unit>,
    children: Vec<usize>,
}

impl Builder<'_> {
    fn add(
        &mut self,
        parent: Option<usize>,
        jenis: JenisUnit,
        eselon: Option<&'static str>,
        nama: String,
        nama_jabatan: String,
        sektor: Sektor,
    ) -> usize {
        let index = self.units.len();
        let cepat_kode = match parent {
            None => String::new(),
            Some(parent) => {
                self.children[parent] += 1;
                format!("{}{:02}", self.units[parent].cepat_kode, self.children[parent])
            }
        };
        let baru = match jenis {
            JenisUnit::Kelurahan | JenisUnit::Puskesmas => 0.35,
            JenisUnit::Sd | JenisUnit::Smp => 0.45,
            JenisUnit::Root => 0.0,
            _ => 0.12,
        };
        let id = if self.rng.chance(baru) { guid_baru(self.rng) } else { guid_lama(self.rng) };
        let opd = match (jenis, parent) {
            (JenisUnit::Root, _) | (_, None) => 0,
            (JenisUnit::Opd | JenisUnit::Kecamatan, _) => index,
            (_, Some(parent)) => self.units[parent].opd,
        };
        self.units.push(Unit { id, parent, eselon, nama, nama_jabatan, cepat_kode, opd, jenis, sektor, wilayah: 0 });
        self.children.push(0);
        index
    }

    /// A sekretariat (III.a) with its two sub bagian (IV.a) under `opd`.
    fn sekretariat(&mut self, opd: usize, jabatan: String, sektor: Sektor) {
        let sekretariat =
            self.add(Some(opd), JenisUnit::Sekretariat, Some("31"), "SEKRETARIAT".into(), jabatan, sektor);
        for sub in SUB_BAGIAN_SEKRETARIAT {
            self.add(
                Some(sekretariat),
                JenisUnit::SubBagian,
                Some("41"),
                format!("SUB BAGIAN {sub}"),
                format!("KEPALA SUB BAGIAN {sub}"),
                sektor,
            );
        }
    }

    /// A bagian (`eselon`) and its sub bagian (`eselon_sub`) under `parent`.
    fn bagian(&mut self, parent: usize, nama: &str, subs: &[&str], eselon: &'static str, sektor: Sektor) {
        let bagian = self.add(
            Some(parent),
            JenisUnit::Bagian,
            Some(eselon),
            format!("BAGIAN {nama}"),
            format!("KEPALA BAGIAN {nama}"),
            sektor,
        );
        for sub in subs {
            self.add(
                Some(bagian),
                JenisUnit::SubBagian,
                Some("41"),
                format!("SUB BAGIAN {sub}"),
                format!("KEPALA SUB BAGIAN {sub}"),
                sektor,
            );
        }
    }

    /// A bidang (III.b) and its seksi (IV.a) under `opd`.
    fn bidang(&mut self, opd: usize, nama: &str, seksi: &[&str], sektor: Sektor) {
        let bidang = self.add(
            Some(opd),
            JenisUnit::Bidang,
            Some("32"),
            format!("BIDANG {nama}"),
            format!("KEPALA BIDANG {nama}"),
            sektor,
        );
        for nama_seksi in seksi {
            self.add(
                Some(bidang),
                JenisUnit::Seksi,
                Some("41"),
                format!("SEKSI {nama_seksi}"),
                format!("KEPALA SEKSI {nama_seksi}"),
                sektor,
            );
        }
    }
}

/// Distinct place names (`SUNGAI JERNIH`, `TANJUNG MAKMUR`, …), shuffled by `rng`.
fn nama_tempat(rng: &mut Rng, count: usize, hindari: &str) -> Vec<String> {
    let mut all: Vec<String> = TEMPAT_AWAL
        .iter()
        .flat_map(|awal| TEMPAT_AKHIR.iter().map(move |akhir| format!("{awal} {akhir}")))
        .filter(|nama| nama != hindari)
        .collect();
    rng.shuffle(&mut all);
    all.truncate(count);
    all
}

/// Builds the tree of a kabupaten called `kabupaten` (e.g. `CONTOH UTARA`) for `pegawai` ASN.
pub(crate) fn build(rng: &mut Rng, pegawai: usize, kabupaten: &str) -> Tree {
    let size = ukuran(pegawai);
    let mut places = nama_tempat(rng, size.kecamatan * 5 + 8, kabupaten).into_iter();
    let mut kecamatan = Vec::with_capacity(size.kecamatan);
    for index in 0..size.kecamatan {
        let nama = places.next().unwrap_or_else(|| format!("KECAMATAN {index}"));
        let jumlah = if index == 0 { 4 } else { 1 + rng.index(3) };
        let kelurahan = (0..jumlah).map(|_| places.next().unwrap_or_else(|| nama.clone())).collect();
        kecamatan.push(Kecamatan { nama, kelurahan });
    }

    let mut b = Builder { rng, units: Vec::new(), children: Vec::new() };
    let root = b.add(
        None,
        JenisUnit::Root,
        None,
        format!("PEMERINTAH KABUPATEN {kabupaten}"),
        format!("BUPATI {kabupaten}"),
        Sektor::Pemerintahan,
    );
    b.units[root].cepat_kode = "6413".into();

    // Sekretariat Daerah.
    let sekda = b.add(
        Some(root),
        JenisUnit::Opd,
        Some("21"),
        "SEKRETARIAT DAERAH".into(),
        "SEKRETARIS DAERAH".into(),
        Sektor::Pemerintahan,
    );
    for (asisten, bagian) in SEKDA {
        let unit = b.add(
            Some(sekda),
            JenisUnit::Asisten,
            Some("22"),
            (*asisten).into(),
            (*asisten).into(),
            Sektor::Pemerintahan,
        );
        for (nama, subs) in *bagian {
            b.bagian(unit, nama, subs, "31", Sektor::Pemerintahan);
        }
    }

    // Sekretariat DPRD.
    let setwan = b.add(
        Some(root),
        JenisUnit::Opd,
        Some("22"),
        "SEKRETARIAT DEWAN PERWAKILAN RAKYAT DAERAH".into(),
        "SEKRETARIS DEWAN PERWAKILAN RAKYAT DAERAH".into(),
        Sektor::Dprd,
    );
    for (nama, subs) in SETWAN {
        b.bagian(setwan, nama, subs, "31", Sektor::Dprd);
    }

    // Inspektorat.
    let inspektorat = b.add(
        Some(root),
        JenisUnit::Opd,
        Some("22"),
        "INSPEKTORAT DAERAH".into(),
        "INSPEKTUR".into(),
        Sektor::Pengawasan,
    );
    b.sekretariat(inspektorat, "SEKRETARIS INSPEKTORAT DAERAH".into(), Sektor::Pengawasan);
    for wilayah in ["I", "II", "III", "IV"] {
        let nama = format!("INSPEKTUR PEMBANTU WILAYAH {wilayah}");
        b.add(Some(inspektorat), JenisUnit::Irban, Some("31"), nama.clone(), nama, Sektor::Pengawasan);
    }

    // Badan and dinas (Satpol PP is built like a dinas).
    let mut pendidikan = root;
    let mut kesehatan = root;
    for spec in BADAN.iter().chain(DINAS) {
        let jabatan = spec.jabatan.map_or_else(|| format!("KEPALA {}", spec.nama), str::to_owned);
        let opd = b.add(Some(root), JenisUnit::Opd, Some("22"), spec.nama.into(), jabatan, spec.sektor);
        b.sekretariat(opd, format!("SEKRETARIS {}", spec.nama), spec.sektor);
        for (nama, seksi) in spec.bidang {
            b.bidang(opd, nama, seksi, spec.sektor);
        }
        match spec.sektor {
            Sektor::Pendidikan => pendidikan = opd,
            Sektor::Kesehatan => kesehatan = opd,
            _ => {}
        }
    }

    // UPT Puskesmas under the Dinas Kesehatan: one per kecamatan first, then in kelurahan, then numbered.
    let mut nama_puskesmas: Vec<(String, usize)> = Vec::new();
    for (index, kec) in kecamatan.iter().enumerate() {
        nama_puskesmas.push((kec.nama.clone(), index));
    }
    for (index, kec) in kecamatan.iter().enumerate() {
        for kel in &kec.kelurahan {
            nama_puskesmas.push((kel.clone(), index));
        }
    }
    let mut round = 2;
    while nama_puskesmas.len() < size.puskesmas {
        for (index, kec) in kecamatan.iter().enumerate() {
            nama_puskesmas.push((format!("{} {}", kec.nama, roman(round)), index));
        }
        round += 1;
    }
    for (nama, wilayah) in nama_puskesmas.into_iter().take(size.puskesmas) {
        let unit = b.add(
            Some(kesehatan),
            JenisUnit::Puskesmas,
            Some("41"),
            format!("UPT PUSKESMAS {nama}"),
            format!("KEPALA UPT PUSKESMAS {nama}"),
            Sektor::Kesehatan,
        );
        b.units[unit].wilayah = wilayah;
    }

    // RSUD.
    let rsud = b.add(
        Some(root),
        JenisUnit::Opd,
        Some("22"),
        format!("RUMAH SAKIT UMUM DAERAH {kabupaten}"),
        format!("DIREKTUR RUMAH SAKIT UMUM DAERAH {kabupaten}"),
        Sektor::RumahSakit,
    );
    b.bagian(rsud, "TATA USAHA", &["UMUM DAN KEPEGAWAIAN", "KEUANGAN"], "32", Sektor::RumahSakit);
    for (nama, seksi) in RSUD_BIDANG {
        b.bidang(rsud, nama, seksi, Sektor::RumahSakit);
    }

    // Kecamatan with their kelurahan.
    for (index, kec) in kecamatan.iter().enumerate() {
        let unit = b.add(
            Some(root),
            JenisUnit::Kecamatan,
            Some("31"),
            format!("KECAMATAN {}", kec.nama),
            format!("CAMAT {}", kec.nama),
            Sektor::Kewilayahan,
        );
        b.units[unit].wilayah = index;
        let sekcam = b.add(
            Some(unit),
            JenisUnit::Sekretariat,
            Some("32"),
            "SEKRETARIAT KECAMATAN".into(),
            format!("SEKRETARIS KECAMATAN {}", kec.nama),
            Sektor::Kewilayahan,
        );
        for sub in SUB_BAGIAN_SEKRETARIAT {
            b.add(
                Some(sekcam),
                JenisUnit::SubBagian,
                Some("42"),
                format!("SUB BAGIAN {sub}"),
                format!("KEPALA SUB BAGIAN {sub}"),
                Sektor::Kewilayahan,
            );
        }
        for seksi in SEKSI_KECAMATAN {
            b.add(
                Some(unit),
                JenisUnit::Seksi,
                Some("41"),
                format!("SEKSI {seksi}"),
                format!("KEPALA SEKSI {seksi}"),
                Sektor::Kewilayahan,
            );
        }
        for kel in &kec.kelurahan {
            let kelurahan = b.add(
                Some(unit),
                JenisUnit::Kelurahan,
                Some("41"),
                format!("KELURAHAN {kel}"),
                format!("LURAH {kel}"),
                Sektor::Kewilayahan,
            );
            b.add(
                Some(kelurahan),
                JenisUnit::Sekretariat,
                Some("42"),
                "SEKRETARIAT KELURAHAN".into(),
                format!("SEKRETARIS KELURAHAN {kel}"),
                Sektor::Kewilayahan,
            );
        }
    }

    // Schools under the Dinas Pendidikan, numbered per kecamatan, at the end of the table as SI-ASN lists them.
    let mut sd_per_kecamatan = vec![0usize; kecamatan.len()];
    let mut smp_per_kecamatan = vec![0usize; kecamatan.len()];
    for index in 0..(size.sd + size.smp) {
        let smp = index % 6 == 5;
        let wilayah = (index / 6) % kecamatan.len().max(1);
        let kec = &kecamatan[wilayah].nama;
        let nama = if smp {
            smp_per_kecamatan[wilayah] += 1;
            format!("SMP NEGERI {} {kec}", smp_per_kecamatan[wilayah])
        } else {
            sd_per_kecamatan[wilayah] += 1;
            format!("SD NEGERI {:03} {kec}", sd_per_kecamatan[wilayah])
        };
        let jenis = if smp { JenisUnit::Smp } else { JenisUnit::Sd };
        let unit = b.add(Some(pendidikan), jenis, None, nama.clone(), format!("KEPALA {nama}"), Sektor::Pendidikan);
        b.units[unit].wilayah = wilayah;
    }

    let mut units = b.units;
    // Offices sit in the ibukota (kecamatan 0) unless they belong to a kecamatan.
    for position in 0..units.len() {
        if matches!(units[position].jenis, JenisUnit::Sd | JenisUnit::Smp | JenisUnit::Puskesmas) {
            continue;
        }
        let opd = units[position].opd;
        if units[opd].jenis == JenisUnit::Kecamatan {
            units[position].wilayah = units[opd].wilayah;
        }
    }
    Tree { units, kecamatan }
}

/// Roman numerals for the few numbers used in unit names.
fn roman(number: usize) -> &'static str {
    ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"].get(number).copied().unwrap_or("X")
}

impl Tree {
    /// The `ref-unor` rows (PascalCase keys, every value a string or null, as SI-ASN sends them).
    ///
    /// `pemimpin` gives the `PemimpinPnsId` of each unit (empty string when unknown, as SI-ASN leaves most).
    pub(crate) fn rows(&self, instansi_id: &str, pemimpin: &[String]) -> Vec<Value> {
        self.units
            .iter()
            .enumerate()
            .map(|(position, unit)| {
                let mut row = Map::new();
                let text = |value: &str| Value::String(value.to_owned());
                let opt = |value: Option<&str>| value.map_or(Value::Null, |value| Value::String(value.to_owned()));
                row.insert("Id".into(), text(&unit.id));
                row.insert("InstansiId".into(), text(instansi_id));
                row.insert("DiatasanId".into(), opt(unit.parent.map(|parent| self.units[parent].id.as_str())));
                row.insert("EselonId".into(), opt(unit.eselon));
                row.insert("NamaUnor".into(), text(&unit.nama));
                row.insert("NamaJabatan".into(), text(&unit.nama_jabatan));
                row.insert("CepatKode".into(), text(&unit.cepat_kode));
                let induk = (unit.jenis != JenisUnit::Root).then(|| self.units[unit.opd].id.as_str());
                row.insert("IndukUnorId".into(), opt(induk));
                row.insert("PemimpinPnsId".into(), text(pemimpin.get(position).map_or("", String::as_str)));
                let opd_jenis = opd_kind(&self.units[unit.opd]);
                row.insert("JenisUnorId".into(), text(jenis_unor_id(unit, opd_jenis)));
                Value::Object(row)
            })
            .collect()
    }

    /// The OPD of unit `index` (the unit itself for an OPD; the root for the root).
    pub(crate) fn opd(&self, index: usize) -> &Unit {
        &self.units[self.units[index].opd]
    }
}

/// The kind of an OPD as its `JenisUnorId` distinguishes them.
fn opd_kind(opd: &Unit) -> Option<&'static str> {
    if opd.jenis == JenisUnit::Kecamatan {
        return None;
    }
    Some(match opd.sektor {
        Sektor::Pemerintahan | Sektor::Dprd => "SEKRETARIAT",
        Sektor::Pengawasan => "INSPEKTORAT",
        Sektor::RumahSakit => "RSUD",
        Sektor::Ketertiban => "SATPOL",
        Sektor::Perencanaan
        | Sektor::Kepegawaian
        | Sektor::Keuangan
        | Sektor::Pendapatan
        | Sektor::Kesbangpol
        | Sektor::Bencana => "BADAN",
        _ => "DINAS",
    })
}
