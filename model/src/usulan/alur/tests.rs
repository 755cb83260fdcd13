use super::*;
use crate::usulan::UsulanPegawai;

const OPERATOR: &str = "198503152010011001";
const VERIFIKATOR: &str = "197806202005012002";
const VERIFIKATOR_2: &str = "198001012006041003";
const BKN: &str = "197501011999031004";
const GURU: &str = "199001012015031001";
const BIDAN: &str = "199202022019022002";
const PERAWAT: &str = "198807072014011003";

fn usulan(jenis: JenisUsulan, nips: &[&str]) -> Usulan {
    Usulan {
        id: "0193a0c0-0000-7000-8000-000000000001".to_owned(),
        jenis,
        sub_jenis: (jenis == JenisUsulan::KenaikanPangkat).then(|| "101".to_owned()),
        pegawai: nips.iter().map(|nip| UsulanPegawai { nip: Nip::new(*nip), nama: format!("Pegawai {nip}") }).collect(),
        perubahan: BTreeMap::new(),
        dokumen: BTreeMap::new(),
        riwayat_status: Vec::new(),
        siasn_id: None,
        status_siasn: None,
    }
}

fn masukan(id: &str, aksi: AksiUsulan, oleh: &str) -> EventMasukan {
    EventMasukan {
        id: id.to_owned(),
        aksi,
        oleh: Nip::new(oleh),
        waktu: "2026-11-30T08:00:00+07:00".to_owned(),
        alasan_id: match aksi {
            AksiUsulan::Bts => Some("51".to_owned()),
            AksiUsulan::Tms => Some("52".to_owned()),
            _ => None,
        },
        catatan: None,
        nip: Vec::new(),
    }
}

/// Adds an event through [`event_baru`], as a device does; panics when it is refused.
fn tambah(usulan: &mut Usulan, id: &str, aksi: AksiUsulan, oleh: &str) {
    let event = event_baru(usulan, masukan(id, aksi, oleh)).unwrap_or_else(|galat| panic!("{id}: {galat}"));
    usulan.riwayat_status.push(event);
}

fn tambah_untuk(usulan: &mut Usulan, id: &str, aksi: AksiUsulan, nips: &[&str]) {
    let mut input = masukan(id, aksi, VERIFIKATOR);
    input.nip = nips.iter().map(|nip| Nip::new(*nip)).collect();
    let event = event_baru(usulan, input).unwrap_or_else(|galat| panic!("{id}: {galat}"));
    usulan.riwayat_status.push(event);
}

fn kp_diajukan() -> Usulan {
    let mut kp = usulan(JenisUsulan::KenaikanPangkat, &[GURU]);
    tambah(&mut kp, "e1", AksiUsulan::Dibuat, OPERATOR);
    tambah(&mut kp, "e2", AksiUsulan::Diajukan, OPERATOR);
    kp
}

#[test]
fn a_kp_goes_from_draft_to_sk_with_the_status_and_siasn_code_of_each_step() {
    let mut kp = usulan(JenisUsulan::KenaikanPangkat, &[GURU]);
    assert_eq!(keadaan(&kp).status, StatusUsulan::Draft, "no events yet");
    let steps = [
        (AksiUsulan::Dibuat, OPERATOR, StatusUsulan::Draft, "1"),
        (AksiUsulan::Diajukan, OPERATOR, StatusUsulan::Diajukan, "2"),
        (AksiUsulan::Diverifikasi, VERIFIKATOR, StatusUsulan::Diverifikasi, "4"),
        (AksiUsulan::DiteruskanKeBkn, VERIFIKATOR, StatusUsulan::DiteruskanKeBkn, "12"),
        (AksiUsulan::Disetujui, BKN, StatusUsulan::Disetujui, "15"),
        (AksiUsulan::SkTerbit, BKN, StatusUsulan::SkTerbit, "32"),
    ];
    for (index, (aksi, oleh, status, kode)) in steps.into_iter().enumerate() {
        tambah(&mut kp, &format!("e{index}"), aksi, oleh);
        let hasil = keadaan(&kp);
        assert_eq!(hasil.status, status, "after {aksi:?}");
        assert_eq!(hasil.per_nip, BTreeMap::from([(GURU.to_owned(), status)]));
        assert_eq!(status.kode_siasn(), Some(kode));
        assert_eq!(hasil.kepala, vec![format!("e{index}")], "a linear log has one head");
        assert!(hasil.konflik.is_empty() && hasil.tidak_sah.is_empty());
    }
    let induk: Vec<Vec<String>> = kp.riwayat_status.iter().map(|event| event.induk.clone()).collect();
    assert_eq!(induk[0], Vec::<String>::new());
    assert_eq!(induk[3], vec!["e2".to_owned()], "each event names the one before");
    assert!(StatusUsulan::SkTerbit.selesai(true));
    assert!(!StatusUsulan::Disetujui.selesai(true));
}

#[test]
fn bts_returns_the_usulan_to_the_operator_and_counts() {
    let mut kp = kp_diajukan();
    tambah(&mut kp, "e3", AksiUsulan::Bts, VERIFIKATOR);
    assert_eq!(keadaan(&kp).status, StatusUsulan::Bts);
    assert_eq!(keadaan(&kp).jumlah_bts, 1);
    tambah(&mut kp, "e4", AksiUsulan::Diajukan, OPERATOR);
    tambah(&mut kp, "e5", AksiUsulan::Diverifikasi, VERIFIKATOR);
    tambah(&mut kp, "e6", AksiUsulan::DiteruskanKeBkn, VERIFIKATOR);
    tambah(&mut kp, "e7", AksiUsulan::Bts, BKN);
    let hasil = keadaan(&kp);
    assert_eq!((hasil.status, hasil.jumlah_bts), (StatusUsulan::Bts, 2));
    // A BTS at BKN's stage is BKN's decision; at the instansi's, the verifikator's.
    let added = periksa_event_baru(&Usulan { riwayat_status: kp.riwayat_status[..6].to_vec(), ..kp.clone() }, &kp)
        .expect("an allowed BTS");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].izin, BTreeSet::from([Izin::UsulanPutusBkn]));
    let instansi_bts = periksa_event_baru(
        &Usulan { riwayat_status: kp.riwayat_status[..2].to_vec(), ..kp.clone() },
        &Usulan { riwayat_status: kp.riwayat_status[..3].to_vec(), ..kp.clone() },
    )
    .expect("an allowed BTS");
    assert_eq!(instansi_bts[0].izin, BTreeSet::from([Izin::UsulanVerifikasi]));
}

#[test]
fn a_transition_not_allowed_is_refused_with_the_status_and_what_can_be_done() {
    let mut kp = usulan(JenisUsulan::KenaikanPangkat, &[GURU]);
    tambah(&mut kp, "e1", AksiUsulan::Dibuat, OPERATOR);
    let galat =
        event_baru(&kp, masukan("e2", AksiUsulan::Diverifikasi, VERIFIKATOR)).expect_err("a draft is not verified");
    assert_eq!(galat.status, StatusUsulan::Draft);
    assert_eq!(
        galat.pesan,
        "usulan berstatus Draf: tidak dapat memverifikasi; yang dapat dilakukan: mengajukan, membatalkan"
    );
    let mut bts = masukan("e3", AksiUsulan::Bts, VERIFIKATOR);
    bts.alasan_id = None;
    tambah(&mut kp, "e2", AksiUsulan::Diajukan, OPERATOR);
    let galat = event_baru(&kp, bts).expect_err("BTS needs an alasan");
    assert!(galat.pesan.contains("alasan"), "{galat}");
    let galat = event_baru(&kp, masukan("e2", AksiUsulan::Diverifikasi, VERIFIKATOR)).expect_err("id already used");
    assert!(galat.pesan.contains("sudah dipakai"), "{galat}");
    tambah(&mut kp, "e3", AksiUsulan::Tms, VERIFIKATOR);
    let galat = event_baru(&kp, masukan("e4", AksiUsulan::Diajukan, OPERATOR)).expect_err("TMS is final");
    assert!(galat.pesan.ends_with("usulan ini sudah selesai"), "{galat}");
}

/// Two verifikators decide the same usulan offline; each replica then holds both events, in either order.
fn concurrent(first: AksiUsulan, second: AksiUsulan) -> (Usulan, Usulan) {
    let base = kp_diajukan();
    let mut device_a = base.clone();
    tambah(&mut device_a, "a", first, VERIFIKATOR);
    let mut device_b = base.clone();
    tambah(&mut device_b, "b", second, VERIFIKATOR_2);
    let mut ab = device_a.clone();
    ab.riwayat_status.push(device_b.riwayat_status[2].clone());
    let mut ba = device_b.clone();
    ba.riwayat_status.push(device_a.riwayat_status[2].clone());
    (ab, ba)
}

#[test]
fn approve_and_reject_made_offline_become_a_conflict_on_every_replica() {
    let (ab, ba) = concurrent(AksiUsulan::Diverifikasi, AksiUsulan::Bts);
    for merged in [&ab, &ba] {
        let hasil = keadaan(merged);
        assert_eq!(hasil.status, StatusUsulan::Konflik);
        assert_eq!(hasil.per_nip[GURU], StatusUsulan::Konflik);
        assert_eq!(hasil.konflik.len(), 1);
        assert_eq!(hasil.konflik[0].nip, None, "one pegawai: the usulan's own conflict");
        let mut ids: Vec<&str> = hasil.konflik[0].event.iter().map(|event| event.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["a", "b"]);
        let mut kepala = hasil.kepala.clone();
        kepala.sort();
        assert_eq!(kepala, ["a", "b"]);
    }
    // The operator cannot slip a resubmission through the conflict; a verifikator re-affirms one decision.
    let galat = event_baru(&ab, masukan("c", AksiUsulan::Diajukan, OPERATOR)).expect_err("conflict first");
    assert!(galat.pesan.contains("keputusan berkonflik"), "{galat}");
    let mut resolved = ab.clone();
    tambah(&mut resolved, "c", AksiUsulan::Bts, VERIFIKATOR);
    assert_eq!(resolved.riwayat_status[4].induk.len(), 2, "the resolution names both decisions");
    let hasil = keadaan(&resolved);
    assert_eq!((hasil.status, hasil.konflik.len()), (StatusUsulan::Bts, 0));
    assert_eq!(hasil.jumlah_bts, 2, "both BTS events count");
    let added = periksa_event_baru(&ab, &resolved).expect("a resolution is allowed");
    assert_eq!(added[0].izin, BTreeSet::from([Izin::UsulanVerifikasi]));
}

#[test]
fn the_same_decision_made_twice_offline_is_no_conflict() {
    let (ab, _) = concurrent(AksiUsulan::Diverifikasi, AksiUsulan::Diverifikasi);
    let hasil = keadaan(&ab);
    assert_eq!(hasil.status, StatusUsulan::Diverifikasi);
    assert!(hasil.konflik.is_empty());
    let mut next = ab.clone();
    tambah(&mut next, "c", AksiUsulan::DiteruskanKeBkn, VERIFIKATOR);
    assert_eq!(keadaan(&next).status, StatusUsulan::DiteruskanKeBkn);
}

#[test]
fn a_kolektif_usulan_has_a_status_per_nip() {
    let mut kp = usulan(JenisUsulan::KenaikanPangkat, &[GURU, BIDAN, PERAWAT]);
    tambah(&mut kp, "e1", AksiUsulan::Dibuat, OPERATOR);
    tambah(&mut kp, "e2", AksiUsulan::Diajukan, OPERATOR);
    tambah_untuk(&mut kp, "e3", AksiUsulan::Bts, &[BIDAN]);
    tambah_untuk(&mut kp, "e4", AksiUsulan::Diverifikasi, &[GURU, PERAWAT]);
    let hasil = keadaan(&kp);
    assert_eq!(hasil.status, StatusUsulan::Campuran);
    assert_eq!(
        hasil.per_nip,
        BTreeMap::from([
            (GURU.to_owned(), StatusUsulan::Diverifikasi),
            (BIDAN.to_owned(), StatusUsulan::Bts),
            (PERAWAT.to_owned(), StatusUsulan::Diverifikasi),
        ])
    );
    // A resubmission for the whole usulan moves only the NIP returned as BTS; so does the verification after it.
    tambah(&mut kp, "e5", AksiUsulan::Diajukan, OPERATOR);
    assert_eq!(keadaan(&kp).per_nip[BIDAN], StatusUsulan::Diajukan);
    assert_eq!(keadaan(&kp).per_nip[GURU], StatusUsulan::Diverifikasi);
    tambah(&mut kp, "e6", AksiUsulan::Diverifikasi, VERIFIKATOR);
    assert_eq!(keadaan(&kp).status, StatusUsulan::Diverifikasi);
    // A NIP that is not in the usulan is refused.
    let mut asing = masukan("e7", AksiUsulan::DiteruskanKeBkn, VERIFIKATOR);
    asing.nip = vec![Nip::new(OPERATOR)];
    let galat = event_baru(&kp, asing).expect_err("not a pegawai of this usulan");
    assert!(galat.pesan.contains(OPERATOR), "{galat}");
}

#[test]
fn decisions_on_different_nips_made_offline_are_no_conflict() {
    let mut base = usulan(JenisUsulan::KenaikanPangkat, &[GURU, BIDAN]);
    tambah(&mut base, "e1", AksiUsulan::Dibuat, OPERATOR);
    tambah(&mut base, "e2", AksiUsulan::Diajukan, OPERATOR);
    let mut a = base.clone();
    tambah_untuk(&mut a, "a", AksiUsulan::Diverifikasi, &[GURU]);
    let mut b = base.clone();
    tambah_untuk(&mut b, "b", AksiUsulan::Tms, &[BIDAN]);
    let mut merged = a.clone();
    merged.riwayat_status.push(b.riwayat_status[2].clone());
    let hasil = keadaan(&merged);
    assert!(hasil.konflik.is_empty(), "{:?}", hasil.konflik);
    assert_eq!(hasil.per_nip[GURU], StatusUsulan::Diverifikasi);
    assert_eq!(hasil.per_nip[BIDAN], StatusUsulan::Tms);
    assert_eq!(hasil.status, StatusUsulan::Campuran);
    // The same NIP decided both ways is a conflict of that NIP only.
    let mut c = base.clone();
    tambah_untuk(&mut c, "c", AksiUsulan::Bts, &[GURU]);
    merged.riwayat_status.push(c.riwayat_status[2].clone());
    let hasil = keadaan(&merged);
    assert_eq!(hasil.konflik.len(), 1);
    assert_eq!(hasil.konflik[0].nip.as_deref(), Some(GURU));
    assert_eq!(hasil.per_nip[BIDAN], StatusUsulan::Tms);
    assert_eq!(hasil.status, StatusUsulan::Konflik);
}

#[test]
fn the_hub_sees_which_events_a_change_adds_and_refuses_rewritten_history() {
    let before = kp_diajukan();
    let mut after = before.clone();
    tambah(&mut after, "e3", AksiUsulan::Diverifikasi, VERIFIKATOR);
    let added = periksa_event_baru(&before, &after).expect("one allowed event");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].event.id, "e3");
    assert_eq!(added[0].izin, BTreeSet::from([Izin::UsulanVerifikasi]));
    assert_eq!(periksa_event_baru(&after, &after), Ok(Vec::new()), "nothing added");

    let mut removed = after.clone();
    removed.riwayat_status.remove(1);
    assert!(periksa_event_baru(&after, &removed).expect_err("removed").contains("tidak boleh dihapus"));
    let mut rewritten = after.clone();
    rewritten.riwayat_status[2].aksi = AksiUsulan::Tms;
    assert!(periksa_event_baru(&after, &rewritten).expect_err("changed").contains("tidak boleh diubah"));

    // An event written around the rules (approval by BKN straight from diajukan) is refused with the status.
    let mut skipped = before.clone();
    skipped.riwayat_status.push(UsulanEvent {
        id: "x".to_owned(),
        induk: vec!["e2".to_owned()],
        aksi: AksiUsulan::Disetujui,
        oleh: Nip::new(BKN),
        waktu: "2026-11-30T09:00:00+07:00".to_owned(),
        alasan_id: None,
        catatan: None,
        nip: Vec::new(),
    });
    let galat = periksa_event_baru(&before, &skipped).expect_err("not allowed from diajukan");
    assert!(galat.starts_with("menyetujui tidak sah: usulan berstatus Diajukan"), "{galat}");
    assert_eq!(keadaan(&skipped).status, StatusUsulan::Diajukan, "the fold leaves it out");
    assert_eq!(keadaan(&skipped).tidak_sah.len(), 1);
    let mut duplicate = after.clone();
    duplicate.riwayat_status.push(after.riwayat_status[2].clone());
    assert!(periksa_event_baru(&after, &duplicate).expect_err("repeated id").contains("lebih dari sekali"));
}

#[test]
fn events_without_ids_fold_as_a_chain_in_log_order() {
    let mut kp = usulan(JenisUsulan::KenaikanPangkat, &[GURU]);
    for aksi in [AksiUsulan::Dibuat, AksiUsulan::Diajukan, AksiUsulan::Bts] {
        kp.riwayat_status.push(UsulanEvent {
            id: String::new(),
            induk: Vec::new(),
            aksi,
            oleh: Nip::new(OPERATOR),
            waktu: "2025-01-02T08:00:00+07:00".to_owned(),
            alasan_id: Some("51".to_owned()),
            catatan: None,
            nip: Vec::new(),
        });
    }
    let hasil = keadaan(&kp);
    assert_eq!((hasil.status, hasil.jumlah_bts), (StatusUsulan::Bts, 1));
    assert_eq!(hasil.kepala, ["#2"]);
    tambah(&mut kp, "e4", AksiUsulan::Diajukan, OPERATOR);
    assert_eq!(kp.riwayat_status[3].induk, ["#2"]);
    assert_eq!(keadaan(&kp).status, StatusUsulan::Diajukan);
}

#[test]
fn a_peremajaan_of_instansi_fields_ends_at_the_instansi() {
    let mut kontak = usulan(JenisUsulan::PeremajaanData, &[GURU]);
    kontak.perubahan.insert("data_utama.no_hp".to_owned(), "\"081234567890\"".to_owned());
    assert!(!perlu_bkn(&kontak));
    tambah(&mut kontak, "e1", AksiUsulan::Dibuat, OPERATOR);
    tambah(&mut kontak, "e2", AksiUsulan::Diajukan, OPERATOR);
    tambah(&mut kontak, "e3", AksiUsulan::Diverifikasi, VERIFIKATOR);
    let hasil = keadaan(&kontak);
    assert!(hasil.status.selesai(hasil.perlu_bkn));
    let galat =
        event_baru(&kontak, masukan("e4", AksiUsulan::DiteruskanKeBkn, VERIFIKATOR)).expect_err("nothing for BKN");
    assert!(galat.pesan.ends_with("usulan ini sudah selesai"), "{galat}");

    let mut nama = usulan(JenisUsulan::PeremajaanData, &[GURU]);
    nama.perubahan.insert("data_utama.nama".to_owned(), "\"SITI AMINAH\"".to_owned());
    assert!(perlu_bkn(&nama), "nama is BKN's to verify");
    assert!(perlu_bkn(&usulan(JenisUsulan::Pemberhentian, &[GURU])));
}

#[test]
fn status_codes_round_trip_and_match_serde() {
    for status in StatusUsulan::ALL {
        assert_eq!(StatusUsulan::parse(status.kode()), Some(status));
        assert_eq!(serde_json::to_value(status).ok(), Some(serde_json::Value::String(status.kode().to_owned())));
    }
    assert_eq!(StatusUsulan::parse("Draft"), None);
}

#[test]
fn reordering_the_log_changes_nothing_the_fold_says() {
    let mut kp = kp_diajukan();
    tambah(&mut kp, "e3", AksiUsulan::Tms, VERIFIKATOR);
    let mut reordered = kp.clone();
    let tms = reordered.riwayat_status.remove(2);
    reordered.riwayat_status.insert(0, tms);
    let hasil = keadaan(&reordered);
    assert_eq!((hasil.status, hasil.tidak_sah.len()), (StatusUsulan::Tms, 0), "parents first, whatever the order");
    assert_eq!(keadaan(&kp), hasil);
}

#[test]
fn an_operator_cannot_settle_a_conflict_with_a_verifikators_decision() {
    // Verifikator 1 returns it (BTS) and the operator resubmits; verifikator 2, who saw neither, rejects it (TMS).
    let base = kp_diajukan();
    let mut satu = base.clone();
    tambah(&mut satu, "bts", AksiUsulan::Bts, VERIFIKATOR);
    tambah(&mut satu, "ulang", AksiUsulan::Diajukan, OPERATOR);
    let mut dua = base.clone();
    tambah(&mut dua, "tms", AksiUsulan::Tms, VERIFIKATOR_2);
    let mut merged = satu.clone();
    merged.riwayat_status.push(dua.riwayat_status[2].clone());
    assert_eq!(keadaan(&merged).status, StatusUsulan::Konflik);
    // Re-affirming the resubmission is a transition the workflow knows, but it needs the verifikator's permission.
    let mut operator = merged.clone();
    tambah(&mut operator, "paksa", AksiUsulan::Diajukan, OPERATOR);
    let added = periksa_event_baru(&merged, &operator).expect("a known transition");
    assert_eq!(added[0].izin, BTreeSet::from([Izin::UsulanVerifikasi]), "the hub refuses it to an operator");
    // A conflict with BKN's decision needs BKN.
    let mut bkn = kp_diajukan();
    tambah(&mut bkn, "v", AksiUsulan::Diverifikasi, VERIFIKATOR);
    tambah(&mut bkn, "t", AksiUsulan::DiteruskanKeBkn, VERIFIKATOR);
    let mut a = bkn.clone();
    tambah(&mut a, "setuju", AksiUsulan::Disetujui, BKN);
    let mut b = bkn.clone();
    tambah(&mut b, "kembali", AksiUsulan::Bts, BKN);
    let mut both = a.clone();
    both.riwayat_status.push(b.riwayat_status[4].clone());
    let mut settled = both.clone();
    tambah(&mut settled, "pilih", AksiUsulan::Disetujui, BKN);
    assert_eq!(periksa_event_baru(&both, &settled).expect("allowed")[0].izin, BTreeSet::from([Izin::UsulanPutusBkn]));
}

#[test]
fn a_decision_for_the_other_nips_does_not_settle_one_nips_conflict() {
    let mut base = usulan(JenisUsulan::KenaikanPangkat, &[GURU, BIDAN]);
    tambah(&mut base, "e1", AksiUsulan::Dibuat, OPERATOR);
    tambah(&mut base, "e2", AksiUsulan::Diajukan, OPERATOR);
    let mut a = base.clone();
    tambah_untuk(&mut a, "a", AksiUsulan::Diverifikasi, &[BIDAN]);
    let mut b = base.clone();
    tambah_untuk(&mut b, "b", AksiUsulan::Bts, &[BIDAN]);
    let mut merged = a.clone();
    merged.riwayat_status.push(b.riwayat_status[2].clone());
    assert_eq!(keadaan(&merged).per_nip[BIDAN], StatusUsulan::Konflik);
    // Verifying "everyone" moves the guru only; the bidan's conflict waits for a decision naming her.
    tambah(&mut merged, "semua", AksiUsulan::Diverifikasi, VERIFIKATOR);
    let hasil = keadaan(&merged);
    assert_eq!(hasil.per_nip[GURU], StatusUsulan::Diverifikasi);
    assert_eq!(hasil.per_nip[BIDAN], StatusUsulan::Konflik);
    tambah_untuk(&mut merged, "bidan", AksiUsulan::Bts, &[BIDAN]);
    assert_eq!(keadaan(&merged).per_nip[BIDAN], StatusUsulan::Bts);
}

#[test]
fn edits_that_would_rewrite_what_happened_are_refused() {
    // A peremajaan of nama goes to BKN and comes back as BTS; dropping nama from it would make the forwarding
    // (and BKN's BTS) invalid, as if it had ended at the instansi.
    let mut nama = usulan(JenisUsulan::PeremajaanData, &[GURU]);
    nama.perubahan.insert("data_utama.nama".to_owned(), "\"SITI AMINAH\"".to_owned());
    nama.perubahan.insert("data_utama.no_hp".to_owned(), "\"081234567890\"".to_owned());
    for (id, aksi, oleh) in [
        ("e1", AksiUsulan::Dibuat, OPERATOR),
        ("e2", AksiUsulan::Diajukan, OPERATOR),
        ("e3", AksiUsulan::Diverifikasi, VERIFIKATOR),
        ("e4", AksiUsulan::DiteruskanKeBkn, VERIFIKATOR),
        ("e5", AksiUsulan::Bts, BKN),
    ] {
        tambah(&mut nama, id, aksi, oleh);
    }
    let mut dropped = nama.clone();
    dropped.perubahan.remove("data_utama.nama");
    let galat = periksa_event_baru(&nama, &dropped).expect_err("invalidates the forwarding");
    assert!(galat.starts_with("perubahan ini membatalkan event e4 (meneruskan ke BKN)"), "{galat}");
    let mut hp = nama.clone();
    hp.perubahan.insert("data_utama.no_hp".to_owned(), "\"081299990000\"".to_owned());
    assert_eq!(periksa_event_baru(&nama, &hp), Ok(Vec::new()), "correcting a value after BTS is fine");

    // Adding a pegawai to a submitted kolektif usulan would give them a status without any event.
    let mut kolektif = usulan(JenisUsulan::KenaikanPangkat, &[GURU, BIDAN]);
    tambah(&mut kolektif, "k1", AksiUsulan::Dibuat, OPERATOR);
    let mut draft_added = kolektif.clone();
    draft_added.pegawai.push(UsulanPegawai { nip: Nip::new(PERAWAT), nama: "Perawat".to_owned() });
    assert_eq!(periksa_event_baru(&kolektif, &draft_added), Ok(Vec::new()), "a draft may change its pegawai");
    tambah(&mut kolektif, "k2", AksiUsulan::Diajukan, OPERATOR);
    let mut added = kolektif.clone();
    added.pegawai.push(UsulanPegawai { nip: Nip::new(PERAWAT), nama: "Perawat".to_owned() });
    let galat = periksa_event_baru(&kolektif, &added).expect_err("not after submission");
    assert!(galat.contains("hanya dapat diubah selama draf"), "{galat}");
}

#[test]
fn the_hub_checks_the_alasan_time_note_and_length_of_new_events() {
    let before = kp_diajukan();
    let with = |change: &dyn Fn(&mut UsulanEvent)| {
        let mut after = before.clone();
        let mut event = event_baru(&before, masukan("e3", AksiUsulan::Bts, VERIFIKATOR)).expect("a BTS");
        change(&mut event);
        after.riwayat_status.push(event);
        periksa_event_baru(&before, &after)
    };
    assert!(with(&|_| {}).is_ok());
    let galat = with(&|event| event.alasan_id = Some("52".to_owned())).expect_err("52 is a TMS alasan");
    assert!(galat.contains("\"52\" bukan alasan BTS"), "{galat}");
    assert!(with(&|event| event.alasan_id = None).is_err());
    assert!(with(&|event| event.waktu = "kemarin".to_owned()).expect_err("time").contains("RFC 3339"));
    assert!(with(&|event| event.catatan = Some("x".repeat(MAX_CATATAN + 1))).expect_err("long").contains("catatan"));

    let mut long = before.clone();
    for index in 0..MAX_EVENT {
        let aksi = if index % 2 == 0 { AksiUsulan::Bts } else { AksiUsulan::Diajukan };
        tambah(&mut long, &format!("x{index}"), aksi, VERIFIKATOR);
    }
    assert!(periksa_event_baru(&before, &long).expect_err("too long").contains("paling banyak 200 event"));
}
