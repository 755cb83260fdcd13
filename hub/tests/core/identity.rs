//! Roster, callers and devices: instansi and roles come from the roster only; an actor belongs to one NIP.

use hub::{HubError, Role, RosterEntry};

use crate::{INSTANSI, TempDir, actor, open, person, token};

#[test]
fn a_caller_gets_instansi_and_roles_from_the_roster_only() {
    let dir = TempDir::new("caller");
    let hub = open(&dir);
    assert!(matches!(hub.caller(&token("199001012020121001")), Err(HubError::Forbidden(_))));
    hub.roster_add(RosterEntry {
        nip: "199001012020121001".into(),
        nama: Some("Sari".into()),
        instansi: INSTANSI.into(),
        roles: vec![Role::VerifikatorInstansi, Role::OperatorInstansi, Role::OperatorInstansi],
    })
    .unwrap();
    let caller = hub.caller(&token("199001012020121001")).unwrap();
    assert_eq!(caller.sub, "sub-199001012020121001");
    assert_eq!(caller.nip, "199001012020121001");
    assert_eq!(caller.nama.as_deref(), Some("Sari"));
    assert_eq!(caller.instansi, INSTANSI);
    assert_eq!(caller.roles, vec![Role::OperatorInstansi, Role::VerifikatorInstansi]);
    assert_eq!(caller.own_scope(), format!("instansi:{INSTANSI}"));

    // Upsert replaces; the token's name is used when the roster has none.
    hub.roster_add(RosterEntry { nip: "199001012020121001".into(), nama: None, instansi: "X9".into(), roles: vec![] })
        .unwrap();
    let caller = hub.caller(&token("199001012020121001")).unwrap();
    assert_eq!((caller.instansi.as_str(), caller.roles.len()), ("X9", 0));
    assert_eq!(caller.nama.as_deref(), Some("Petugas 199001012020121001"));
    assert_eq!(hub.roster_list().unwrap().len(), 1);
    assert!(hub.roster_remove("199001012020121001").unwrap());
    assert!(!hub.roster_remove("199001012020121001").unwrap());
    assert!(matches!(hub.caller(&token("199001012020121001")), Err(HubError::Forbidden(_))));
}

#[test]
fn a_roster_entry_with_an_unsafe_instansi_id_is_refused() {
    let dir = TempDir::new("roster-bad");
    let hub = open(&dir);
    for instansi in ["", "../etc", "a b", "x:y"] {
        let entry = RosterEntry { nip: "1".into(), nama: None, instansi: instansi.into(), roles: vec![] };
        assert!(matches!(hub.roster_add(entry), Err(HubError::BadRequest(_))), "{instansi:?}");
    }
}

#[test]
fn an_actor_is_bound_to_one_nip_and_revocation_sticks() {
    let dir = TempDir::new("device");
    let hub = open(&dir);
    let sari = person(&hub, "1001", INSTANSI, &[Role::OperatorInstansi]);
    let budi = person(&hub, "1002", INSTANSI, &[Role::OperatorInstansi]);
    let device = hub.register_device(&sari, actor(1).to_bytes(), "laptop kantor").unwrap();
    assert_eq!(device.actor_hex, "01".repeat(16));
    assert_eq!((device.nip.as_str(), device.name.as_str(), device.revoked_at_ms), ("1001", "laptop kantor", None));
    // Registering again is idempotent; another NIP cannot take the actor.
    assert_eq!(hub.register_device(&sari, actor(1).to_bytes(), "laptop kantor").unwrap(), device);
    assert!(matches!(hub.register_device(&budi, actor(1).to_bytes(), "curian"), Err(HubError::Forbidden(_))));
    assert!(matches!(hub.register_device(&sari, &[1, 2, 3], "pendek"), Err(HubError::BadRequest(_))));
    assert!(matches!(hub.register_device(&sari, hub.hub_actor().to_bytes(), "hub"), Err(HubError::Forbidden(_))));
    assert!(matches!(hub.revoke_device("zz"), Err(HubError::BadRequest(_))));

    assert!(hub.revoke_device(&"01".repeat(16)).unwrap());
    assert!(!hub.revoke_device(&"01".repeat(16)).unwrap());
    let devices = hub.devices().unwrap();
    assert_eq!(devices.len(), 1);
    assert!(devices[0].revoked_at_ms.is_some());
    assert!(matches!(hub.register_device(&sari, actor(1).to_bytes(), "lagi"), Err(HubError::DeviceRevoked(_))));
    assert!(matches!(hub.register_device(&budi, actor(1).to_bytes(), "lagi"), Err(HubError::Forbidden(_))));
}

#[test]
fn a_request_naming_a_device_is_refused_once_it_is_revoked_or_not_the_callers() {
    let dir = TempDir::new("named-device");
    let hub = open(&dir);
    let sari = person(&hub, "1001", INSTANSI, &[Role::OperatorInstansi]);
    let budi = person(&hub, "1002", INSTANSI, &[Role::OperatorInstansi]);
    hub.register_device(&sari, actor(1).to_bytes(), "laptop kantor").unwrap();
    // Her own active device, and an actor the hub does not know (its push is checked on its own), pass.
    hub.check_named_device(&sari, actor(1).to_bytes()).unwrap();
    hub.check_named_device(&sari, actor(2).to_bytes()).unwrap();
    // Somebody else naming her device is forbidden.
    assert!(matches!(hub.check_named_device(&budi, actor(1).to_bytes()), Err(HubError::Forbidden(_))));
    // Revoked: refused for her with its own code, still plainly forbidden for anybody else.
    hub.revoke_device(&"01".repeat(16)).unwrap();
    let revoked = hub.check_named_device(&sari, actor(1).to_bytes()).unwrap_err();
    assert!(matches!(revoked, HubError::DeviceRevoked(_)), "{revoked:?}");
    assert_eq!(revoked.code(), sync::wire::ErrorCode::DeviceRevoked);
    assert!(matches!(hub.check_named_device(&budi, actor(1).to_bytes()), Err(HubError::Forbidden(_))));
}

#[test]
fn reading_follows_the_roles_table() {
    let dir = TempDir::new("reads");
    let hub = open(&dir);
    let scope = format!("instansi:{INSTANSI}");
    let lain = "instansi:B1";
    // Every role reads its own instansi; verifikator BKN and admin hub (membaca_semua_instansi) every instansi.
    for role in Role::ALL {
        let caller = person(&hub, "2001", INSTANSI, &[role]);
        assert!(caller.may_read(&scope), "{role}");
        assert_eq!(caller.may_read(lain), role.reads_every_scope(), "{role}");
        let peran = model::peran::peran().get(role.as_str()).unwrap();
        assert_eq!(caller.may_read(lain), peran.membaca_semua_instansi, "{role}");
        assert_eq!(caller.izin(), peran.izin, "{role}");
    }
    // Without a role there is nothing to read, not even the own instansi.
    let nobody = person(&hub, "2002", INSTANSI, &[]);
    assert!(!nobody.may_read(&scope) && !nobody.may_read(lain));
    assert!(matches!(hub.feed(&nobody, &scope, None, 1 << 20), Err(HubError::Forbidden(_))));
    assert!(matches!(hub.snapshot_manifest(&nobody, &scope), Err(HubError::Forbidden(_))));
    let operator = person(&hub, "2003", INSTANSI, &[Role::OperatorInstansi]);
    hub.feed(&operator, &scope, None, 1 << 20).unwrap();
    assert!(matches!(hub.feed(&operator, lain, None, 1 << 20), Err(HubError::Forbidden(_))));
}

#[test]
fn the_identity_comes_from_the_roster_with_the_permissions_of_its_roles() {
    let dir = TempDir::new("identitas");
    let hub = open(&dir);
    hub.roster_add(RosterEntry {
        nip: "3001".into(),
        nama: Some("Dewi Lestari".into()),
        instansi: INSTANSI.into(),
        roles: vec![Role::VerifikatorInstansi, Role::AdminInstansi],
    })
    .unwrap();
    let identitas = hub.caller(&token("3001")).unwrap().identitas();
    assert_eq!(identitas.nip, "3001");
    assert_eq!(identitas.nama.as_deref(), Some("Dewi Lestari"), "the roster's name, not the token's");
    assert_eq!(identitas.instansi_id, INSTANSI);
    assert_eq!(identitas.peran, ["verifikator_instansi", "admin_instansi"]);
    assert_eq!(
        identitas.izin,
        [
            "instansi.baca",
            "pegawai.buat",
            "pegawai.ubah",
            "pegawai.verifikasi",
            "usulan.buat",
            "usulan.ubah",
            "usulan.verifikasi",
            "verifikasi_lapangan.buat",
            "verifikasi_lapangan.ubah"
        ]
    );
    assert!(!identitas.membaca_semua_instansi);
    let bkn = person(&hub, "3002", "BKN", &[Role::VerifikatorBkn]).identitas();
    assert_eq!(
        (bkn.izin.as_slice(), bkn.membaca_semua_instansi),
        (["instansi.baca", "pegawai.ubah_bkn", "usulan.putus_bkn"].map(String::from).as_slice(), true)
    );
    assert_eq!(bkn.nama.as_deref(), Some("Petugas 3002"), "the token's name when the roster has none");
}

#[test]
fn the_hub_actor_survives_a_reopen_and_can_be_given() {
    let dir = TempDir::new("actor");
    let first = open(&dir).hub_actor().clone();
    assert_eq!(first.to_bytes().len(), 16);
    assert_eq!(open(&dir).hub_actor(), &first);
    let other = TempDir::new("actor-given");
    let options = hub::HubOptions { hub_actor: Some(actor(0x42)), ..hub::HubOptions::default() };
    assert_eq!(hub::Hub::open(&other.0, options).unwrap().hub_actor(), &actor(0x42));
    assert_eq!(open(&other).hub_actor(), &actor(0x42));
}

#[test]
fn error_codes_follow_the_wire() {
    use sync::wire::ErrorCode;
    let cases = [
        (HubError::Unauthorized("x".into()), ErrorCode::Unauthorized),
        (HubError::Forbidden("x".into()), ErrorCode::Forbidden),
        (HubError::DeviceRevoked("x".into()), ErrorCode::DeviceRevoked),
        (HubError::MustRefetch { scope: "instansi:1".into() }, ErrorCode::MustRefetch),
        (HubError::BadRequest("x".into()), ErrorCode::BadRequest),
        (HubError::NotFound("x".into()), ErrorCode::NotFound),
        (HubError::TooLarge("x".into()), ErrorCode::TooLarge),
        (HubError::Storage("x".into()), ErrorCode::Internal),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error}");
    }
    assert_eq!(
        HubError::MustRefetch { scope: "instansi:1".into() }.to_string(),
        "kursor feed instansi:1 sudah tidak berlaku: unduh ulang snapshot cakupan ini"
    );
}

#[test]
fn the_hub_is_shared_across_threads() {
    fn shared<T: Send + Sync + Clone + 'static>() {}
    shared::<hub::Hub>();
}
