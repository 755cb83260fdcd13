//! Personal details in the styles an Indonesian kepegawaian officer sees: names from several regions, birth places,
//! agama, email addresses, mobile numbers, addresses and the numbers of personal documents.
//!
//! Names are built from regional pools (Javanese, Sundanese, Bugis, Banjar, Dayak, Batak, Balinese, Christian names
//! from Toraja/Manado/NTT, Chinese-Indonesian), about 1,500 distinct words drawn uniformly within a pool, so no
//! three-letter prefix dominates: with 250,000 pegawai the most common prefix still matches a few percent of names,
//! not a third of them. Balinese names carry `I`/`NI` and the birth-order name.
//!
//! What this module does not do: it makes no claim about real people (every combination is invented), it does not
//! model name frequencies of the real population, and it does not produce dirty spellings (that is a separate concern).

use std::sync::OnceLock;

use crate::rng::Rng;

/// The region a pegawai's family comes from: it decides name style, birth places and agama.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wilayah {
    Jawa,
    Sunda,
    Bugis,
    Banjar,
    Dayak,
    Batak,
    Bali,
    Nasrani,
    Tionghoa,
}

/// Share of each region among the kabupaten's ASN (a Kalimantan kabupaten with transmigrants).
const WILAYAH: [(Wilayah, f64); 9] = [
    (Wilayah::Jawa, 28.0),
    (Wilayah::Banjar, 18.0),
    (Wilayah::Bugis, 15.0),
    (Wilayah::Dayak, 10.0),
    (Wilayah::Sunda, 8.0),
    (Wilayah::Nasrani, 8.0),
    (Wilayah::Batak, 6.0),
    (Wilayah::Bali, 4.0),
    (Wilayah::Tionghoa, 3.0),
];

/// A region drawn by [`WILAYAH`] shares.
pub(crate) fn wilayah(rng: &mut Rng) -> Wilayah {
    let weights: Vec<f64> = WILAYAH.iter().map(|(_, weight)| *weight).collect();
    WILAYAH[rng.weighted(&weights)].0
}

/// A region's names as written here: comma-separated lists, parsed once into [`Daftar`].
struct Pool {
    pria: &'static str,
    wanita: &'static str,
    belakang_pria: &'static str,
    belakang_wanita: &'static str,
    tempat_lahir: &'static str,
}

/// A region's names, parsed.
#[derive(Debug)]
struct Daftar {
    pria: Vec<&'static str>,
    wanita: Vec<&'static str>,
    belakang_pria: Vec<&'static str>,
    belakang_wanita: Vec<&'static str>,
    tempat_lahir: Vec<&'static str>,
}

/// The items of a comma-separated list.
fn items(list: &'static str) -> Vec<&'static str> {
    list.split(',').map(str::trim).filter(|item| !item.is_empty()).collect()
}

impl Daftar {
    fn dari(pool: &Pool) -> Self {
        Daftar {
            pria: items(pool.pria),
            wanita: items(pool.wanita),
            belakang_pria: items(pool.belakang_pria),
            belakang_wanita: items(pool.belakang_wanita),
            tempat_lahir: items(pool.tempat_lahir),
        }
    }
}

const JAWA: Pool = Pool {
    pria: "AGUS, BAMBANG, BUDI, DWI, EKO, HADI, HERU, JOKO, PRIYO, SLAMET, SUGENG, SUTRISNO, TRI, WAHYU, YUDI, ARIF, \
        BAYU, DANANG, GALIH, HARTONO, IWAN, KUSNADI, LUKMAN, PURNOMO, RAHMAT, SETYO, SUPRIYADI, SUYANTO, TEGUH, \
        WIDODO, YULIANTO, ANDRI, ARIS, DIDIK, EDI, FAJAR, GUNAWAN, HENDRO, IMAM, KUNCORO, MULYONO, NUGROHO, \
        PRASETYO, RUDI, SANTOSO, SUKARDI, SUWARNO, TOTOK, WAWAN, YOGI, ADI, ANTON, BINTORO, DARMAWAN, GATOT, \
        HARYANTO, INDRA, JATMIKO, KRISTIANTO, LILIK, MARDI, NANANG, PONIMAN, SARWONO, SUBAGYO, SUHARTO, SUMARNO, \
        TRIYONO, DIMAS, ARYA, BAGUS, ADITYA, GILANG, YOGA, ILHAM, RIZKY, SATRIO, WISNU, BENY, CAHYO, DODIK, ERWIN, \
        FERRY, GUNTUR, HANAFI, IKHWAN, JUNAEDI, KASIMAN, LASIMAN, MUJIONO, NURHADI, PAIMAN, RIYANTO, SAMSUL, TUKIJO, \
        UNTUNG, WARSITO",
    wanita: "SRI, ENDANG, SUHARTINI, WIWIK, RETNO, TITIK, YULI, NINIK, SUSI, ENDAH, LESTARI, RAHAYU, WULANDARI, \
        PUJI, ESTI, RATNA, INDAH, DEWI, NURUL, YUNITA, FITRI, ANIK, MARYATI, SUPRAPTI, SUMARNI, TUTIK, WINARSIH, \
        WAHYUNI, PRATIWI, KARTIKA, ANGGRAENI, ANGGI, DEVI, DINDA, INTAN, MELATI, NADIA, PUTRI, RIZKA, TIARA, WULAN, \
        AYU, NOVIA, MEGA, ERNA, EKA, FARIDA, HARTATI, ISTIQOMAH, JUMINAH, KUSRINI, LISTYOWATI, MUJIATI, NGATINI, \
        PARTINI, ROHMAH, SITI, SULASTRI, TRI, UMI, WARTINI, YAYUK, ANIS, DIAH, ELY, HENI, IKA, LINA, NANIK, RINI, \
        SUCI, TANTI, UTAMI, VERA, YENI",
    belakang_pria: "SANTOSO, WIBOWO, SETIAWAN, NUGROHO, PRASETYO, RAHARJO, SUSANTO, HARTONO, WIJAYA, KURNIAWAN, \
        PURNOMO, SAPUTRO, UTOMO, HIDAYAT, SUSILO, WALUYO, SUPRIYANTO, PRABOWO, SULISTYO, WAHYUDI, HANDOKO, SETIADI, \
        MULYADI, HARYADI, PURWANTO, SUGIARTO, SUHARTONO, WIDAYAT, DARMADI, SUDARSONO, HARIYANTO, SISWANTO, SUKAMTO, \
        SUMADI, SUPARMAN, SUROSO, TRIYANTO, WARDOYO, WINARNO, YUWONO, ARIYANTO, BUDIONO, DJOKO, EFENDI, FIRMANSYAH, \
        GUNADI, HERMANTO, IRAWAN, JUNAIDI, KARYONO, LAKSONO, MARGONO, NOVIANTO, PAMUNGKAS, PRATAMA, RAMADHAN, \
        SAPUTRA, SETYAWAN, SUBROTO, SUNARTO, WICAKSONO, ANGGORO",
    belakang_wanita: "LESTARI, RAHAYU, WULANDARI, ASTUTI, HANDAYANI, PURWANINGSIH, WIDYASTUTI, SETYOWATI, \
        KUSUMAWATI, PRATIWI, SAPUTRI, ANGGRAENI, PUSPITASARI, NOVITASARI, RAHMAWATI, SULISTYOWATI, HARTATI, \
        WAHYUNINGSIH, SUSANTI, YULIANTI, SURYANI, NINGSIH, PERMATASARI, ARIYANI, DAMAYANTI, FATMAWATI, HASTUTI, \
        INDRIYANI, KURNIASIH, MARDIYAH, NURHAYATI, PUJIASTUTI, RETNOWATI, SETIANINGSIH, SUPRIHATIN, TRIWAHYUNI, \
        UTAMI, WIDAYANTI, YUNIARTI, ROHMAWATI, SEPTIANI, AGUSTINA, MAHARANI",
    tempat_lahir: "KLATEN, SURAKARTA, SEMARANG, BLITAR, KEDIRI, MALANG, BANYUWANGI, SURABAYA, YOGYAKARTA, MADIUN, \
        NGAWI, PATI, KEBUMEN, TULUNGAGUNG, JOMBANG, SRAGEN, BOYOLALI, WONOGIRI, PONOROGO, MOJOKERTO, LAMONGAN, \
        CILACAP, PURWOREJO, MAGELANG, JEMBER",
};

const SUNDA: Pool = Pool {
    pria: "ASEP, DEDI, UJANG, CECEP, DADANG, YAYAN, JAJANG, AAN, ADE, DENI, HENDRA, KOMAR, MAMAN, NANDANG, OMAN, \
        ROHMAT, UUS, YUSUP, DEDEN, ENCEP, ENGKOS, GUGUN, HERMAN, IDING, KUSWARA, SOBARI, WAHYUDIN, AGUN, BUDIMAN, \
        CUCU, DADAN, EMAN, ENJANG, GINGIN, HAMDANI, IRFAN, JUJU, KANDA, LILI, MUMUH, NURDIN, OPAN, RAHMAN, SUHENDI, \
        TATANG, UDIN, WAWAN, YANA, ZAENAL, FIRMAN, RIDWAN, YUDA",
    wanita: "ENUNG, CUCU, IIS, NENG, EUIS, IMAS, NINA, RINA, TINI, YATI, DEDEH, EEN, ELIS, ETI, HENI, LILIS, NENDEN, \
        NUNUNG, TETI, AI, ANI, CICIH, DEWI, ENOK, IKAH, IMAT, KOKOM, LIA, MIMIN, NANI, NURLELA, OTIH, POPON, ROSA, \
        SRI, TITIN, UNEH, WIDA, YENI, YAYU, SINTA, RESTI, GITA, SALMA",
    belakang_pria: "SUPRIATNA, KUSWARA, SUHENDAR, SOBARI, HIDAYAT, PERMANA, GUNAWAN, SETIAWAN, RUSTANDI, SUTISNA, \
        KURNIA, SAEPULOH, RUHIYAT, SUMANTRI, NURJAMAN, SOMANTRI, MULYANA, SOPIAN, SUHERMAN, JUANDA, KOSASIH, \
        MAULANA, NUGRAHA, PRIATNA, RAHMAT, SAPUTRA, SUPRIADI, SURYANA, SUWANDI, WIJAYA, WIRAHADIKUSUMAH, ARDIANSYAH, \
        FAUZI, HERDIANA, IRAWAN",
    belakang_wanita: "KOMARIAH, NURHAYATI, ROHAYATI, ROSMIATI, JUBAEDAH, MARYAM, NURJANAH, ROHMAWATI, SITI, SUMIATI, \
        SUNARSIH, HALIMAH, KURNIASIH, MULYANI, NURAENI, RAHMAWATI, SARIPAH, TARSIH, WIDIAWATI, YULIANI, APRIANI, \
        FITRIANI, HERLINA, LISNAWATI, MARLINA, NURLAELA, SUMARNI",
    tempat_lahir: "SUKABUMI, CIAMIS, GARUT, TASIKMALAYA, BANDUNG, CIANJUR, KUNINGAN, SUMEDANG, MAJALENGKA, BOGOR, \
        SUBANG, PURWAKARTA, INDRAMAYU, CIREBON",
};

const BUGIS: Pool = Pool {
    pria: "ABDUL, ARIFIN, BAHARUDDIN, HAERUDDIN, JUFRI, RAHMAN, SYAMSUDDIN, SALEH, AMIRUDDIN, ASRUL, BASO, HAMZAH, \
        IKHSAN, JAMALUDDIN, KAHAR, MASRI, NASRUL, RAUF, SAIFUL, TAJUDDIN, ZAINUDDIN, ANSAR, IRWAN, HASAN, MUSTARI, \
        ALIMUDDIN, BURHANUDDIN, DARWIS, FAHRUDDIN, HASANUDDIN, IDRIS, JUMADI, KAMARUDDIN, MAKMUR, NURDIN, RUSDI, \
        SUDIRMAN, SYAHRIR, YUSUF, ZULKIFLI, AKBAR, FADLI, HERMAN, ISMAIL, MUHLIS, RAHMAT, SAHABUDDIN, ANDI",
    wanita: "HASNAH, JUMRIANI, SYAMSIAH, HAJRAH, MARLINA, RAHMA, SALEHA, HASMAWATI, MUSDALIFAH, NURLINDA, RASNIAH, \
        SUHARNI, WAHIDAH, ASMAWATI, HERIANI, ERNAWATI, FATIMAH, HASNIATI, KASMAWATI, MARWAH, NURHIDAYAH, RATNAWATI, \
        SITTI, SUHARTINI, ASRIANI, DARMAWATI, HAERANI, JUSMIATI, MULIANA, NURMALA, RISNAWATI, SUKMAWATI, WARDAH, \
        ANDI",
    belakang_pria: "LATIF, BAHARUDDIN, MAPPA, RAHIM, TAHIR, HAMID, SAID, MALLAWA, PATTA, AMIN, ARSYAD, BADDU, DAENG, \
        HAMZAH, JUFRI, LAHAMING, MAKKASAU, NAWIR, RAHMAN, SAMAD, SYARIF, TAMRIN, WAHAB, YUNUS, ASRI, BASRI, MUCHTAR, \
        SYAMSUL, MAPPIASSE, PAWELLANGI, HAMSAH, ILYAS, JUMAIN, NASIR, RASYID, SULAIMAN, USMAN, ZAINAL, MANSYUR, \
        MALIK",
    belakang_wanita: "SYAMSIAH, RAHMAWATI, HARTATI, SURIANI, NURHAYATI, RAHIM, TAHIR, HAMID, BADDU, AMIN, YUSUF, \
        SAID, LATIF, MAPPA, HASANAH, NURJANNAH, RUSTAM, SALMAH, ANWAR, JAMAL, NURHAENI, HASNIAH, ASRIANI, DARMAWATI, \
        MUSDALIFAH, RAHMATIA, SUARNI, WAHYUNI, ISMAWATI, KARTINI, MARDIAH, NURAENI, RUKMINI, SAENAB, SUMARNI, \
        HAMSIAH, JUMRAH, ROSMIATI, SALMIAH",
    tempat_lahir: "WATAMPONE, SENGKANG, PINRANG, SIDRAP, PAREPARE, MAKASSAR, BULUKUMBA, SOPPENG, BARRU, MAROS, \
        PALOPO, POLEWALI, MAJENE, JENEPONTO",
};

const BANJAR: Pool = Pool {
    pria: "AHMAD, GUSTI, SYAHRANI, FAHRIANNOR, NOORDIN, RAHMADI, ARBAIN, ASPIANNOR, BAHRIANSYAH, HAIRUL, JUNAIDI, \
        MAHYUDIN, NORHALIM, RIDUAN, SAPRUDIN, SYAHRIL, YUSRAN, ZAINAL, FAHRIZAL, HAMDAN, ABDURRAHMAN, AKHMAD, ANWAR, \
        BASRANI, FAUZAN, HAMSANI, IRFANSYAH, JUHRIANSYAH, KHAIRUDDIN, MUHRANI, NORDIANSYAH, RAHMANI, RUSDIANSYAH, \
        SYAHRUDIN, TAUFIK, WAHYUDI, ZAKARIA, ARDIANSYAH, GAZALI, HERLIANSYAH, MISRANSYAH, NAFARIN, SURIANSYAH",
    wanita: "NOORHAYATI, NORHASANAH, MASLIANI, RUSMIATI, ARBAINAH, HALIMAH, JAMILAH, NORLAILA, SALMAH, MAHLIDA, \
        NORJANNAH, FITRIANI, HAYATI, ASNAH, FAHRIANI, HAMIDAH, MAHRITA, NORMILAWATI, RABIATUL, SITI, ZAIDAH, \
        HERLINA, ISNAWATI, MUNAWARAH, NORLIANA, RAHMIATI, SALAMIAH, YULIANA, AULIA, NADYA, RAUDAH",
    belakang_pria: "ANSYARI, NOOR, RAHMAN, SYAHRANI, HIDAYAT, FAHMI, RIZANI, ARIFIN, BASRI, HAMDANI, IKHSAN, \
        MAULANA, NAJIB, RAMADHANI, SAFRUDIN, YUSUF, ZAINI, ASYARI, HUSAINI, JAMHARI, MUHYAR, NAWAWI, RAFIQ, SUHAIMI, \
        WAHID, ASYIKIN, BAHRUDIN, FAHRIANSYAH, HASBULLAH, JAILANI, KHAIRANI, MAHFUZ, NOORDIANSYAH, RIFANI, \
        SYAHRIANSYAH, ZULKIFLI, ARSYAD, HUSIN",
    belakang_wanita: "HASANAH, NOOR, RAHMAH, HAYATI, MAULIDA, NURHASANAH, RAHMAWATI, SARI, AMALIA, FAUZIAH, \
        HIDAYATI, JANNAH, LATIFAH, MAHMUDAH, NAFISAH, RIZKIANI, SAUDAH, WAHYUNI, ZULAIHA, AULIA, FITRIANA, \
        HAIRUNNISA, JAMILAH, KHAIRIAH, LAILA, MARDIANA, NORHAYATI, NORMILA, RAHIMAH, RUSDIANA, SALASIAH, YULIANTI, \
        HALIDA, MASITAH, NAHDIAH, RAPIAH, SURIANI, JUBAIDAH, KAMALIAH, MUSLIMAH, NORDIANA, SYARIFAH",
    tempat_lahir: "BANJARMASIN, MARTAPURA, BARABAI, KANDANGAN, AMUNTAI, RANTAU, TANJUNG, PELAIHARI, KOTABARU, \
        NEGARA, MARABAHAN, BANJARBARU",
};

const DAYAK: Pool = Pool {
    pria: "YOHANES, ALBERTUS, MARKUS, PETRUS, DAMIANUS, ANTONIUS, AGUSTINUS, YULIUS, SIMON, LUKAS, KORNELIUS, \
        IGNATIUS, YAKOBUS, BERNADUS, FRANSISKUS, PAULUS, STEFANUS, TIMOTIUS, ADRIANUS, BENEDIKTUS, DOMINIKUS, \
        HERONIMUS, KRISTOFORUS, LAURENSIUS, MARSELINUS, NIKOLAUS, SILVESTER, VALENTINUS, YOSEF, ANDREAS",
    wanita: "MARIA, MARTINA, YOHANA, KATARINA, ELISABET, FRANSISKA, SISILIA, VERONIKA, AGUSTINA, BERNADETA, \
        KRISTINA, LUSIANA, MAGDALENA, PETRONELA, ROSALINA, SUSANA, TERESIA, URSULA, YULIANA, ANASTASIA, DOROTEA, \
        HELENA, MONIKA, REGINA, SELVI",
    belakang_pria: "LAING, NGAU, JALUNG, HUVANG, UBUNG, BILUNG, LEJU, BAYA, LUSAT, ILING, JAU, LAHANG, HIBAU, \
        UNYANG, NYIPA, ANYE, BALAN, DOQ, HAJANG, IMANG, KULEH, LIAH, MERANG, NGANG, PAYA, SIGAU, TINGANG, UJAN, \
        AJANG, BUAQ, ALANG, BILANG, DIAN, GAU, IBAU, JALONG, KAJAN, LAWING, LEHAN, NGIAU, PAREN, SAIT, TAWAI, USAT, \
        IRANG, JOK",
    belakang_wanita: "LAING, NGAU, JALUNG, HUVANG, UBUNG, BILUNG, LEJU, BAYA, LUSAT, ILING, LAHANG, HIBAU, UNYANG, \
        ANYE, BALAN, HAJANG, IMANG, KULEH, LIAH, PAYA, TINGANG, UJAN, ALANG, BILANG, DIAN, GAU, IBAU, JALONG, KAJAN, \
        LAWING, LEHAN, NGIAU, PAREN, SAIT, TAWAI, USAT, IRANG, JOK",
    tempat_lahir: "MALINAU, TANJUNG SELOR, LONG BAWAN, PUTUSSIBAU, MUARA TEWEH, KUALA KAPUAS, SINTANG, \
        TANJUNG REDEB, LONG IRAM, MELAK, SENDAWAR, DATAH DAWAI",
};

const BATAK: Pool = Pool {
    pria: "SAHAT, TUMPAL, BONAR, HOTMAN, PARLINDUNGAN, JUNJUNGAN, MANGATAS, HOTLAN, TIGOR, POLTAK, JANTER, MARULI, \
        BINSAR, DAME, ARMADA, BISMAR, DANIEL, EDISON, FERDINAN, GOKMA, HALOMOAN, JONNER, LAMHOT, MANOGAR, NELSON, \
        PARULIAN, RAMLI, SABAR, TOGAR, ULI, AHMAD, SYAHRIL, RIDWAN, AMRAN",
    wanita: "SONDANG, RIA, ROSDIANA, MARINTAN, TIOMINAR, DUMARIA, LASMARIA, ROMAULI, HOTNIDA, NURMALA, ERNIDA, \
        MERIATI, ROSLINA, DEWI, ELFRIDA, FRIDA, HERLINA, JULIANA, LENNY, MARTA, NOVA, PERAWATI, RISMA, SARMA, TETTY, \
        YENNI, NURHAYATI, SITI",
    belakang_pria: "SIMANJUNTAK, SIREGAR, NASUTION, HARAHAP, LUBIS, PANJAITAN, SITOMPUL, HUTAPEA, SIMATUPANG, \
        SINAGA, MANURUNG, PARDEDE, SILALAHI, TAMBUNAN, NAINGGOLAN, SITUMORANG, PANGARIBUAN, SIAHAAN, HUTAGALUNG, \
        DALIMUNTHE, BATUBARA, RANGKUTI, POHAN, TAMPUBOLON, GULTOM, SIHOMBING, SARAGIH, PURBA, DAMANIK, GINTING, \
        TARIGAN, SEMBIRING, SIBURIAN, MARPAUNG, NAPITUPULU",
    belakang_wanita: "SIMANJUNTAK, SIREGAR, NASUTION, HARAHAP, LUBIS, PANJAITAN, SITOMPUL, HUTAPEA, SIMATUPANG, \
        SINAGA, MANURUNG, PARDEDE, SILALAHI, TAMBUNAN, NAINGGOLAN, SITUMORANG, PANGARIBUAN, SIAHAAN, HUTAGALUNG, \
        DALIMUNTHE, BATUBARA, RANGKUTI, POHAN, TAMPUBOLON, GULTOM, SIHOMBING, SARAGIH, PURBA, DAMANIK, GINTING, \
        TARIGAN, SEMBIRING, SIBURIAN, MARPAUNG, NAPITUPULU",
    tempat_lahir: "TARUTUNG, BALIGE, SIBOLGA, PEMATANG SIANTAR, MEDAN, PADANG SIDEMPUAN, PORSEA, KABANJAHE, \
        PANYABUNGAN, DOLOK SANGGUL",
};

/// Batak marga that are mostly Muslim (Mandailing and Angkola): agama follows the marga.
const MARGA_ISLAM: &[&str] = &["NASUTION", "HARAHAP", "LUBIS", "DALIMUNTHE", "BATUBARA", "RANGKUTI", "POHAN"];

const BALI_URUTAN: &[&str] = &["WAYAN", "PUTU", "GEDE", "MADE", "KADEK", "NENGAH", "NYOMAN", "KOMANG", "KETUT"];

const BALI: Pool = Pool {
    pria: "AGUS, ARTAWAN, SUARDANA, WIRAWAN, ASTAWA, MERTAYASA, SUDIARTA, ADNYANA, DARMAWAN, PUTRAYASA, SUPARTA, \
        ARSANA, SUKADANA, WARDANA, BUDIARSA, DIANA, EKA, GUNAWAN, JAYA, KARIASA, MAHENDRA, NADI, PARWATA, RAI, \
        SANJAYA, SUARTANA, SUWITRA, WIDIARTA, YASA",
    wanita: "WIDIASTUTI, SRI, ARIANI, SUARTINI, DEWI, SUDIANI, ARTINI, KARTINI, WIDIANI, ASTITI, SURYANI, PURNAMI, \
        ARIASIH, DARMIASIH, GAYATRI, JULIANTARI, KARMINI, LINDAWATI, MURNIASIH, PARWATI, RATIH, SUASTINI, SUKARINI, \
        WARDANI, YUNIARI",
    belakang_pria: "",
    belakang_wanita: "",
    tempat_lahir: "DENPASAR, SINGARAJA, TABANAN, GIANYAR, KARANGASEM, NEGARA, KLUNGKUNG, BANGLI",
};

const NASRANI: Pool = Pool {
    pria: "ALBERT, DANIEL, SAMUEL, ROBERT, YOHANIS, STEVEN, FERDINAND, HENDRIK, JOHANNES, MICHAEL, FRANKY, RONALD, \
        DENNY, JEFRI, RICKY, MARTHEN, OKTOVIANUS, FREDRIK, ARNOLD, BENYAMIN, CHARLES, DAVID, ELIAS, GERALD, HARRY, \
        JACKY, KEVIN, LEONARD, MAIKEL, NOVRY, OSCAR, RENDY, SEMUEL, VICTOR, YANTO, AGUSTINUS, PAULUS, YOSEF",
    wanita: "CHRISTINE, VERONIKA, MARIA, YULIANA, DEBORA, SELFIANA, MAGDALENA, NOVITA, ANGELINA, FELISITAS, MARLINA, \
        REGINA, MARTHA, SANTI, AGNES, BETSY, CLARA, DIANA, ESTER, FEBRI, GRACE, HANNA, IRENE, JULIETH, LENNY, MEIKE, \
        NATALIA, OLIVIA, PRISKILA, RUTH, SARAH, TRIVENA, VIVI, YOLANDA",
    belakang_pria: "MANDAGI, TUPEN, NUWA, TANDI, PASANDE, SAMPE, LUMENTUT, WAROUW, RUMAMBI, KAUNANG, SUMUAL, \
        PONGTIKU, PALINGGI, RANTE, TANGDILINTIN, PATTY, PATTIASINA, SAHETAPY, LEWIER, TUHUMURY, KELEN, KEWA, GOLO, \
        LEDE, BAROS, DOPO, KOLO, LAKE, MANU, NDOEN, PELLO, RATU, SERAN, TALLO, WAANG, ALLORERUNG, BUNGA, LOLO, \
        PAULANGAN, SARANGA",
    belakang_wanita: "MANDAGI, TUPEN, NUWA, TANDI, PASANDE, SAMPE, LUMENTUT, WAROUW, RUMAMBI, KAUNANG, SUMUAL, \
        PONGTIKU, PALINGGI, RANTE, TANGDILINTIN, PATTY, PATTIASINA, SAHETAPY, LEWIER, TUHUMURY, KELEN, KEWA, GOLO, \
        LEDE, BAROS, DOPO, KOLO, LAKE, MANU, NDOEN, PELLO",
    tempat_lahir: "RANTEPAO, MAKALE, MANADO, TOMOHON, KUPANG, ENDE, MAUMERE, AMBON, LARANTUKA, BITUNG, ATAMBUA, \
        RUTENG, BAJAWA, TONDANO",
};

const TIONGHOA: Pool = Pool {
    pria: "KEVIN, HENDRA, WILLIAM, YOHAN, FELIX, ANDY, DAVID, ALVIN, BENNY, CHANDRA, EDWIN, FRANSISKUS, GUNAWAN, \
        HARIANTO, JIMMY, JONATHAN, LIONG, MICHAEL, RUDY, SUWANDI, TEDDY, VINCENT, WILLY",
    wanita: "LINDA, MELISA, JESSICA, SUSANTI, FELICIA, CHRISTINA, VIVIAN, AMELIA, CINDY, DEVI, ELLY, FENNY, GLORIA, \
        JENNY, LILIANA, MEILINA, NOVI, SHERLY, VERA, WENNY",
    belakang_pria: "WIJAYA, GUNAWAN, SALIM, HALIM, KURNIADI, SETIADI, LIMANTO, TANJAYA, HARTANTO, SANTOSA, SUSILO, \
        TANUWIJAYA, WIRYA, HERMAWAN, KUSUMA, SUGIANTO, TANOTO, LIEM, CHANDRA, SETIAWAN, GOZALI, HIDAJAT, JAUW, \
        KOSASIH, LUKITO, PRANOTO, SUTANTO, TJANDRA, WIDJAJA",
    belakang_wanita: "WIJAYA, GUNAWAN, SALIM, HALIM, KURNIADI, SETIADI, LIMANTO, TANJAYA, HARTANTO, SANTOSA, \
        TANUWIJAYA, WIRYA, HERMAWAN, KUSUMA, SUGIANTO, LIEM, CHANDRA, SETIAWAN, ANGGRAINI, GOZALI, HIDAJAT, KOSASIH, \
        LUKITO, PRANOTO, SUTANTO, TJANDRA, WIDJAJA",
    tempat_lahir: "PONTIANAK, SINGKAWANG, JAKARTA, SURABAYA, SAMARINDA, BALIKPAPAN, MEDAN, BANJARMASIN",
};

/// Given names for children born from 2005, in the styles of the last twenty years.
const ANAK_PRIA: &str = "FATIH, ZIDAN, ARKAN, ALIF, ARSYA, BIMA, DAFFA, FARREL, GIBRAN, HAIKAL, KENZO, RAFA, RAYYAN, \
    SATRIA, ZAKY, NAUFAL, AZKA, ABIDZAR, ATHAR, FAIZ, DZAKI, REVAN, KEANU, YOSIA, JOSHUA, NATHAN, GABRIEL, FEBRIAN, \
    ALFARIZI, BAGAS, DAVIN, ELVARO, GHAZI, HANIF, IZZAN, KAFKA, MIKAIL, RIZQI, SHAKA, UWAIS, YUSUF, ZHAFRAN";
const ANAK_WANITA: &str = "QUEENSHA, AZIZAH, KHANZA, NADHIRA, ALESHA, AQILA, ARUMI, CALISTA, FAIHA, HANA, KAYLA, \
    NAURA, SYIFA, ZAHRA, ALMIRA, AISYAH, ANINDYA, CANTIKA, NAYLA, SALSABILA, KEISHA, GRACE, CLARA, CHELSEA, MIKHA, \
    ADZKIA, BILQIS, DAMAYANTI, ELSHANUM, FAWNIA, HUMAIRA, KIRANA, LATISHA, MAURA, NAFISA, RANIA, SHAFA, TSABITA, \
    ZIVANA";

fn pool(wilayah: Wilayah) -> &'static Daftar {
    static POOLS: OnceLock<Vec<Daftar>> = OnceLock::new();
    let pools = POOLS.get_or_init(|| {
        [&JAWA, &SUNDA, &BUGIS, &BANJAR, &DAYAK, &BATAK, &BALI, &NASRANI, &TIONGHOA]
            .into_iter()
            .map(Daftar::dari)
            .collect()
    });
    let index = match wilayah {
        Wilayah::Jawa => 0,
        Wilayah::Sunda => 1,
        Wilayah::Bugis => 2,
        Wilayah::Banjar => 3,
        Wilayah::Dayak => 4,
        Wilayah::Batak => 5,
        Wilayah::Bali => 6,
        Wilayah::Nasrani => 7,
        Wilayah::Tionghoa => 8,
    };
    &pools[index]
}

/// A list of [`items`], parsed on first use and kept for the life of the process.
fn daftar(list: &'static str, cache: &'static OnceLock<Vec<&'static str>>) -> &'static [&'static str] {
    cache.get_or_init(|| items(list))
}

/// A full name (upper case, without gelar) for someone of `wilayah`, female when `wanita`.
pub(crate) fn nama_orang(rng: &mut Rng, wilayah: Wilayah, wanita: bool) -> String {
    let pool = pool(wilayah);
    let first_names: &[&str] = if wanita { &pool.wanita } else { &pool.pria };
    if wilayah == Wilayah::Bali {
        let prefix = if wanita { "NI" } else { "I" };
        let urutan = rng.pick(BALI_URUTAN);
        let mut name = format!("{prefix} {urutan} {}", rng.pick(first_names));
        if rng.chance(0.5) {
            let second = rng.pick(first_names);
            if !name.ends_with(second) {
                name.push(' ');
                name.push_str(second);
            }
        }
        return name;
    }
    let family: &[&str] = if wanita { &pool.belakang_wanita } else { &pool.belakang_pria };
    let first = *rng.pick(first_names);
    let mut words: Vec<&str> = vec![first];
    // A middle name now and then (another given name), a family/second name most of the time.
    if rng.chance(0.45) {
        let middle = *rng.pick(first_names);
        if middle != first {
            words.push(middle);
        }
    }
    let family_chance = if wilayah == Wilayah::Batak || wilayah == Wilayah::Tionghoa { 0.97 } else { 0.82 };
    if rng.chance(family_chance) || words.len() == 1 {
        let last = *rng.pick(family);
        if !words.contains(&last) {
            words.push(last);
        }
    }
    if words.len() == 1 {
        words.push(*rng.pick(family));
    }
    words.join(" ")
}

/// The given name of a child born in `tahun` into a family of `wilayah`.
pub(crate) fn nama_anak(rng: &mut Rng, wilayah: Wilayah, wanita: bool, tahun: i32) -> String {
    if tahun >= 2005 {
        static PRIA: OnceLock<Vec<&'static str>> = OnceLock::new();
        static WANITA: OnceLock<Vec<&'static str>> = OnceLock::new();
        let pool = if wanita { daftar(ANAK_WANITA, &WANITA) } else { daftar(ANAK_PRIA, &PRIA) };
        let first = *rng.pick(pool);
        if rng.chance(0.35) {
            let second = *rng.pick(pool);
            if second != first {
                return format!("{first} {second}");
            }
        }
        return first.to_owned();
    }
    nama_orang(rng, wilayah, wanita)
}

/// True for Batak marga that are mostly Muslim.
fn marga_islam(nama: &str) -> bool {
    nama.split(' ').any(|word| MARGA_ISLAM.contains(&word))
}

/// The agama id (`referensi/agama.json`) for someone of `wilayah` named `nama`.
pub(crate) fn agama(rng: &mut Rng, wilayah: Wilayah, nama: &str) -> &'static str {
    let weights: &[(&'static str, f64)] = match wilayah {
        Wilayah::Jawa => &[("1", 92.0), ("2", 5.0), ("3", 3.0)],
        Wilayah::Sunda => &[("1", 98.0), ("2", 2.0)],
        Wilayah::Bugis | Wilayah::Banjar => &[("1", 100.0)],
        Wilayah::Dayak => &[("2", 48.0), ("3", 47.0), ("1", 5.0)],
        Wilayah::Batak if marga_islam(nama) => &[("1", 100.0)],
        Wilayah::Batak => &[("2", 80.0), ("3", 20.0)],
        Wilayah::Bali => &[("4", 100.0)],
        Wilayah::Nasrani => &[("2", 60.0), ("3", 40.0)],
        Wilayah::Tionghoa => &[("5", 50.0), ("2", 25.0), ("3", 20.0), ("6", 5.0)],
    };
    let shares: Vec<f64> = weights.iter().map(|(_, weight)| *weight).collect();
    weights[rng.weighted(&shares)].0
}

/// A birth place of someone of `wilayah` who was born away from the kabupaten.
pub(crate) fn tempat_lahir(rng: &mut Rng, wilayah: Wilayah) -> &'static str {
    let places = &pool(wilayah).tempat_lahir;
    places[rng.index(places.len())]
}

/// The words of a name usable in an email address (`I`/`NI` and Balinese birth-order names dropped).
fn email_words(nama: &str) -> Vec<String> {
    let words: Vec<String> = nama
        .split(' ')
        .filter(|word| !matches!(*word, "I" | "NI") && !BALI_URUTAN.contains(word))
        .map(|word| word.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_lowercase())
        .filter(|word| !word.is_empty())
        .collect();
    if words.is_empty() { vec!["asn".to_owned()] } else { words }
}

/// A personal email in one of the styles seen in SI-ASN: `ratna.rahmawati@gmail.com`, `galihnugroho49@gmail.com`,
/// `jajang_supriatna01@gmail.com`, `desi83@gmail.com`, `widiastuti.nyoman2@ymail.com`.
pub(crate) fn email(rng: &mut Rng, nama: &str, hari_lahir: u32, tahun_lahir: i32) -> String {
    let words = email_words(nama);
    let first = &words[0];
    let last = words.last().unwrap_or(first);
    let local = match rng.below(6) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{last}{}", rng.range(1, 99)),
        2 => format!("{first}_{last}{hari_lahir:02}"),
        3 => format!("{last}.{first}{}", rng.range(1, 9)),
        4 => format!("{first}{:02}", tahun_lahir.rem_euclid(100)),
        _ => format!("{first}.{last}{}", rng.range(1, 99)),
    };
    let domain = ["gmail.com", "yahoo.com", "yahoo.co.id", "ymail.com", "outlook.com"];
    let index = rng.weighted(&[65.0, 10.0, 10.0, 5.0, 10.0]);
    format!("{local}@{}", domain[index])
}

/// A government email on the kabupaten's domain: `galih.nugroho94@contohutarakab.go.id`.
pub(crate) fn email_dinas(rng: &mut Rng, nama: &str, domain: &str) -> String {
    let words = email_words(nama);
    let first = &words[0];
    let last = words.last().unwrap_or(first);
    format!("{first}.{last}{}@{domain}", rng.range(1, 99))
}

/// A mobile number in one of the styles SI-ASN holds: `0812…`, `62812…`, `+62812…`.
pub(crate) fn nomor_hp(rng: &mut Rng) -> String {
    const PREFIX: &[&str] = &[
        "811", "812", "813", "821", "822", "823", "851", "852", "853", "855", "856", "857", "858", "817", "818", "819",
        "877", "878", "831", "832", "833", "838", "881", "882", "883", "884", "885", "887", "888", "889", "895", "896",
        "897", "898", "899",
    ];
    let prefix = rng.pick(PREFIX);
    let rest_len = rng.range(7, 9) as usize;
    let mut rest = String::with_capacity(rest_len);
    for _ in 0..rest_len {
        rest.push(char::from(b'0' + rng.below(10) as u8));
    }
    match rng.weighted(&[80.0, 10.0, 10.0]) {
        0 => format!("0{prefix}{rest}"),
        1 => format!("62{prefix}{rest}"),
        _ => format!("+62{prefix}{rest}"),
    }
}

const JALAN: &str = "POROS SELATAN, TRANSMIGRASI, CENDANA, PAHLAWAN, JENDERAL SUDIRMAN, AHMAD YANI, MERDEKA, \
    DIPONEGORO, GATOT SUBROTO, PELITA, PEMUDA, SEROJA, MELATI, ANGGREK, KENANGA, RAMBUTAN, DURIAN, PERINTIS, \
    BHAYANGKARA, KARYA BAKTI, GOTONG ROYONG, SAMRATULANGI, HASANUDDIN, PANGERAN ANTASARI, SULTAN ADAM, MULAWARMAN, \
    KAPTEN TENDEAN, IMAM BONJOL, CUT NYAK DIEN, KARTINI, TELUK BAYUR, SUNGAI AMPAL, PADAT KARYA, SEMANGKA, \
    SILIWANGI, TANJUNG PURA";
const PERUM: &str = "GRIYA PERMAI, GRIYA ASRI, BUMI INDAH, KORPRI, PONDOK HIJAU, TAMAN SARI, GRAHA MANDIRI, \
    CITRA LAND, BUKIT PERMATA, PESONA ALAM";

/// Title case (`SUNGAI BARU` → `Sungai Baru`), for the addresses typed in mixed case.
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_string() + &chars.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A home address in one of three styles (formal upper case, housing estate, typed in mixed case).
pub(crate) fn alamat(rng: &mut Rng, kelurahan: &str, kecamatan: &str, kabupaten: &str) -> String {
    static JALAN_DAFTAR: OnceLock<Vec<&'static str>> = OnceLock::new();
    static PERUM_DAFTAR: OnceLock<Vec<&'static str>> = OnceLock::new();
    let jalan = rng.pick(daftar(JALAN, &JALAN_DAFTAR));
    let nomor = rng.range(1, 150);
    match rng.weighted(&[50.0, 30.0, 20.0]) {
        0 => format!(
            "JL. {jalan} NO. {nomor} RT. {:03} KEL. {kelurahan} KEC. {kecamatan} KAB. {kabupaten}",
            rng.range(1, 40)
        ),
        1 => format!(
            "PERUM {} BLOK {} NO. {}, RT {}/RW {:02}, {kelurahan}, {kecamatan}",
            rng.pick(daftar(PERUM, &PERUM_DAFTAR)),
            char::from(b'A' + rng.below(8) as u8),
            rng.range(1, 30),
            rng.range(1, 30),
            rng.range(1, 9)
        ),
        _ => format!(
            "Gg. {} No.{nomor} Desa {} Kec. {}",
            title_case(jalan),
            title_case(kelurahan),
            title_case(kecamatan)
        ),
    }
}

/// An NPWP in one of the three forms SI-ASN holds: `68.675.980.9-716.000`, `854978828700000`, or the 16-digit NIK
/// (NPWP = NIK since 2024). `nik` is used for the last form when given.
pub(crate) fn npwp(rng: &mut Rng, nik: Option<&str>) -> Option<String> {
    let digits = crate::ids::digits(rng, 9);
    match rng.weighted(&[40.0, 20.0, 15.0, 25.0]) {
        0 => Some(format!(
            "{}.{}.{}.{}-{}.000",
            &digits[0..2],
            &digits[2..5],
            &digits[5..8],
            &digits[8..9],
            rng.range(700, 799)
        )),
        1 => Some(format!("{digits}{}000", rng.range(700, 799))),
        2 => nik.map(str::to_owned),
        _ => None,
    }
}

/// A Karpeg, Karis or Karsu serial: a letter, a space, six digits (`K 225469`).
pub(crate) fn seri_kartu(rng: &mut Rng) -> String {
    let letter = char::from(b'A' + rng.below(16) as u8);
    format!("{letter} {}", crate::ids::digits(rng, 6))
}

/// A virtual Kartu ASN number: 16 upper case letters and digits.
pub(crate) fn kartu_asn(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..16).map(|_| char::from(*rng.pick(ALPHABET))).collect()
}
