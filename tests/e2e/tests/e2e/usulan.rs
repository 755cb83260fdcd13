//! The usulan part of the desktop E2E (issue 7): a KP reguler made offline in the operator's window with a real PDF
//! attached through the file input of each mandatory document, submitted offline, synced, verified by the
//! verifikator in a second signed-in session, and shown verified in the operator's window after a sync.
//!
//! The pegawai is one the model's pre-submit check (`model::usulan::syarat::periksa_pengajuan`, what the app runs
//! before `diajukan`) finds due for KP reguler today: nothing blocks but the missing documents. The files are small
//! one-page PDFs above the checklist's 10 KB minimum, written into a temp folder and set on `<input type=file>` with
//! W3C Element Send Keys (the path as the text).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail, ensure};
use e2e::{Client, Screens};
use model::Pegawai;
use model::usulan::syarat::{self, Tingkat};
use model::usulan::{JenisUsulan, Usulan, UsulanPegawai};
use serde_json::Value;

use super::{RunningHub, SCREEN, SYNC, Sought, sync_now, wait_text, wait_text_within};

/// Size of each generated PDF: above the checklist's minimum (10 KB), far below its maximum (2 MB).
const UKURAN_PDF: usize = 16 * 1024;
/// The note typed on the wizard's last step.
const CATATAN_USULAN: &str = "KP reguler periode berikutnya (uji E2E)";
/// The verifikator's note.
const CATATAN_VERIFIKASI: &str = "Berkas lengkap dan sesuai; memenuhi syarat KP reguler.";
/// The status label of a verified usulan.
const DIVERIFIKASI: &str = "Diverifikasi instansi";

/// A generated pegawai, other than `selain`, whom the pre-submit check of a KP reguler (sub jenis 101) finds due
/// today: every blocking finding is a missing document. One without any other finding is preferred.
///
/// # Errors
/// When none is.
pub(crate) fn kp_reguler_due(pegawai: &[Pegawai], selain: &str) -> Result<Sought> {
    let today = chrono::Local::now().date_naive();
    let mut due: Vec<(bool, &Pegawai)> = Vec::new();
    for one in pegawai.iter().filter(|one| one.data_utama.nip.as_str() != selain) {
        let usulan = Usulan {
            id: "e2e".to_owned(),
            jenis: JenisUsulan::KenaikanPangkat,
            sub_jenis: Some("101".to_owned()),
            pegawai: vec![UsulanPegawai { nip: one.data_utama.nip.clone(), nama: one.data_utama.nama_lengkap() }],
            perubahan: Default::default(),
            dokumen: Default::default(),
            riwayat_status: Vec::new(),
            siasn_id: None,
            status_siasn: None,
        };
        let temuan = syarat::periksa_pengajuan(&usulan, std::slice::from_ref(one), today, &[]);
        let documents_only = |temuan: &syarat::Temuan| temuan.kode == syarat::KODE_DOKUMEN_BELUM_ADA;
        if temuan.iter().filter(|temuan| temuan.tingkat == Tingkat::Blokir).all(documents_only) {
            due.push((temuan.iter().all(documents_only), one));
        }
    }
    println!("  {} of {} generated pegawai are due for KP reguler on {today}", due.len(), pegawai.len());
    let (_, chosen) = due
        .iter()
        .find(|(clean, _)| *clean)
        .or_else(|| due.first())
        .with_context(|| format!("no generated pegawai is due for KP reguler on {today}"))?;
    Ok(Sought { nip: chosen.data_utama.nip.to_string(), nama: chosen.data_utama.nama.clone() })
}

/// In the operator's window (offline): Usulan → Usulan baru → kenaikan pangkat, 101 reguler, `kp` → create → a PDF
/// on every mandatory document through its file input → Ajukan. Screenshots: the wizard, the new draft, its
/// checklist complete, the list. Returns the usulan's id.
///
/// # Errors
/// When a screen or a state does not appear in time, or the app refuses a step.
pub(crate) async fn create_and_submit_kp_reguler(
    client: &Client,
    screens: &Screens,
    kp: &Sought,
    folder: &Path,
) -> Result<String> {
    client.click_on("#nav-usulan", SCREEN).await?;
    client.wait_element("#usulan", SCREEN, "the Usulan screen").await?;
    client.click_on("#usulan-baru", SCREEN).await?;
    client.click_on("#jenis-kenaikan_pangkat", SCREEN).await?;
    choose_option(client, "#sub-jenis", "101").await?;
    client.click_on("#lanjut-langkah", SCREEN).await?;
    let search = client.wait_element("#cari-pegawai-usulan", SCREEN, "the wizard's pegawai step").await?;
    client.send_keys(&search, &kp.nip).await?;
    client.click_on(&format!("#hasil-pegawai button[data-nip='{}']", kp.nip), SCREEN).await?;
    client.wait_element(&format!("#pegawai-terpilih [data-nip='{}']", kp.nip), SCREEN, "the chosen pegawai").await?;
    let catatan = client.wait_element("#catatan-usulan", SCREEN, "the note of the usulan").await?;
    client.send_keys(&catatan, CATATAN_USULAN).await?;
    screens.capture(client, "usulan-baru").await?;
    client.click_on("#buat-usulan", SCREEN).await?;
    let id = client
        .wait_js(
            r"(() => { const m = /^#\/usulan\/([0-9a-f-]{36})$/.exec(location.hash);
                 return m && document.querySelector('#usulan-judul') ? m[1] : null; })()",
            SCREEN,
            "the new draft's detail",
        )
        .await?;
    let id = id.as_str().context("the usulan id")?.to_owned();
    wait_text(client, "#usulan-judul", "Kenaikan pangkat", "the draft's title").await?;
    wait_text(client, "#usulan-judul", "Reguler", "the draft's sub jenis").await?;
    wait_text(client, "#usulan-status", "Draf", "the draft's status").await?;
    client.wait_element("#usulan-lokal", SCREEN, "the not-yet-at-the-hub mark of the draft").await?;
    client
        .wait_element("#usulan-temuan li[data-kode='dokumen_belum_ada']", SCREEN, "the missing documents' findings")
        .await?;
    screens.capture(client, "usulan-draf").await?;

    let rows = client
        .execute(
            "return Array.from(document.querySelectorAll('#usulan-dokumen tr[data-kode].kurang')).map(tr => \
               [tr.getAttribute('data-kode'), (tr.cells[0].textContent || '').replace('Wajib', '').trim()]);",
            &[],
        )
        .await?;
    let rows: Vec<(String, String)> = serde_json::from_value(rows).context("the mandatory documents")?;
    ensure!(!rows.is_empty(), "the draft lists no mandatory document to attach");
    for (kode, nama) in &rows {
        let name = format!("{}.pdf", slug(nama));
        let path = folder.join(&name);
        std::fs::write(&path, pdf(nama, UKURAN_PDF)).with_context(|| format!("could not write {}", path.display()))?;
        let input = client
            .wait_element(&format!("#berkas-{}", id_aman(kode)), SCREEN, &format!("the file input of {nama}"))
            .await?;
        client.send_keys(&input, &path.to_string_lossy()).await.with_context(|| format!("choosing {name}"))?;
        let attached = format!(
            "(() => {{ const g = document.querySelector('#galat-berkas-{k}'); if (g) return 'galat: ' + g.textContent;
                const tr = document.querySelector(\"#usulan-dokumen tr[data-kode='{kode}']\");
                return tr && !tr.classList.contains('kurang') && (tr.textContent || '').includes({name:?}) ? 'ok' : null;
              }})()",
            k = id_aman(kode)
        );
        let outcome = client.wait_js(&attached, SCREEN, &format!("{name} attached to {nama}")).await?;
        if outcome.as_str() != Some("ok") {
            bail!("attaching {name} to {nama} was refused: {outcome}");
        }
    }
    println!(
        "  attached {} PDFs: {}",
        rows.len(),
        rows.iter().map(|(kode, _)| kode.as_str()).collect::<Vec<_>>().join(", ")
    );
    client
        .wait_js(
            "(() => { const b = document.querySelector('#aksi-diajukan'); \
               return b !== null && !b.disabled && !document.querySelector(\"li[data-tingkat='blokir']\"); })()",
            SCREEN,
            "Ajukan enabled once every mandatory document is attached",
        )
        .await?;
    scroll_to(client, "#usulan-dokumen").await?;
    screens.capture(client, "usulan-dokumen").await?;

    client.click_on("#aksi-diajukan", SCREEN).await?;
    client.wait_element("#dialog-aksi", SCREEN, "the Ajukan dialog").await?;
    client.click_on("#aksi-kirim", SCREEN).await?;
    client.wait_js("document.querySelector('#dialog-aksi') === null", SCREEN, "the Ajukan dialog closing").await?;
    wait_text(client, "#usulan-status", "Diajukan", "the submitted status").await?;
    client.wait_element("#usulan-lokal", SCREEN, "the not-yet-at-the-hub mark after submitting").await?;

    client.click_on("#nav-usulan", SCREEN).await?;
    let row = format!("#daftar-usulan a[data-usulan-id='{id}']");
    wait_text(client, &row, "Diajukan", "the submitted usulan in the Usulan list").await?;
    screens.capture(client, "usulan").await?;
    Ok(id)
}

/// Syncs (Sinkronisasi → `#sinkronkan`) until the hub has usulan `id` with an `aksi` event and every file its
/// documents name; returns how many files (at most [`SYNC`]).
///
/// # Errors
/// When the hub does not have them in time.
pub(crate) async fn sync_until_at_hub(client: &Client, hub: &RunningHub, id: &str, aksi: &str) -> Result<usize> {
    let deadline = Instant::now() + SYNC;
    loop {
        sync_now(client).await?;
        let why = match at_hub(hub, id, aksi)? {
            Ok(files) => return Ok(files),
            Err(why) => why,
        };
        if Instant::now() > deadline {
            bail!("after syncing for {SYNC:?}, {why}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// `Ok(files)` when the hub has usulan `id` with an `aksi` event and all its files, else what is missing.
fn at_hub(hub: &RunningHub, id: &str, aksi: &str) -> Result<Result<usize, String>> {
    let Some(document) = hub.document_by_id(id)? else {
        return Ok(Err(format!("the hub has no usulan {id}")));
    };
    // The event log is a list in the record and a map keyed by event id in the stored document: take either.
    let events: Vec<&str> = match find_key(&document, "riwayat_status") {
        Some(Value::Array(events)) => events.iter().filter_map(|event| event["aksi"].as_str()).collect(),
        Some(Value::Object(events)) => events.values().filter_map(|event| event["aksi"].as_str()).collect(),
        _ => Vec::new(),
    };
    if !events.contains(&aksi) {
        let shown = document.to_string();
        return Ok(Err(format!("the hub's usulan {id} has the events {events:?}, not {aksi}: {shown:.800}")));
    }
    let files: Vec<&str> = find_key(&document, "dokumen")
        .and_then(Value::as_object)
        .map(|dokumen| dokumen.values().filter_map(|berkas| berkas["sha256"].as_str()).collect())
        .unwrap_or_default();
    if files.is_empty() {
        return Ok(Err(format!("the hub's usulan {id} names no file")));
    }
    for sha256 in &files {
        if !hub.has_blob(sha256)? {
            return Ok(Err(format!("the hub lacks the file {sha256} of usulan {id}")));
        }
    }
    Ok(Ok(files.len()))
}

/// In the verifikator's window: Verifikasi lists usulan `id` (after their first sync), which is opened, checked
/// (every mandatory document attached) and verified with a note. Screenshots: the inbox, the verified usulan.
///
/// # Errors
/// When a screen or a state does not appear in time, or the app refuses the aksi.
pub(crate) async fn verify(client: &Client, screens: &Screens, id: &str) -> Result<()> {
    let link = format!("#daftar-usulan a[data-usulan-id='{id}']");
    client.click_on("#nav-verifikasi", SCREEN).await?;
    client.wait_element("#verifikasi", SCREEN, "the Verifikasi screen").await?;
    // The inbox reloads when a sync round ends; the first one normally brought the usulan already.
    if client.wait_element(&link, Duration::from_secs(30), "the usulan in the inbox").await.is_err() {
        sync_now(client).await?;
        client.click_on("#nav-verifikasi", SCREEN).await?;
        client.wait_element(&link, SCREEN, "the usulan in the inbox after a sync").await?;
    }
    wait_text(client, &link, "Diajukan", "the usulan waiting in the inbox").await?;
    screens.capture(client, "verifikasi").await?;

    client.click_on(&link, SCREEN).await?;
    client
        .wait_js(
            &format!("location.hash === '#/verifikasi/{id}' && document.querySelector('#usulan-judul') !== null"),
            SCREEN,
            "the usulan opened from the inbox",
        )
        .await?;
    client.wait_element("#usulan-dokumen tr[data-kode]", SCREEN, "the checklist at the verifikator's").await?;
    let missing =
        client.execute("return document.querySelectorAll('#usulan-dokumen tr[data-kode].kurang').length;", &[]).await?;
    ensure!(missing.as_u64() == Some(0), "the verifikator sees {missing} mandatory documents missing");
    client.click_on("#aksi-diverifikasi", SCREEN).await?;
    client.wait_element("#dialog-aksi", SCREEN, "the Verifikasi dialog").await?;
    let catatan = client.wait_element("#aksi-catatan", SCREEN, "the note of the verification").await?;
    client.send_keys(&catatan, CATATAN_VERIFIKASI).await?;
    client.click_on("#aksi-kirim", SCREEN).await?;
    client.wait_js("document.querySelector('#dialog-aksi') === null", SCREEN, "the Verifikasi dialog closing").await?;
    wait_text(client, "#usulan-status", DIVERIFIKASI, "the verified status at the verifikator's").await?;
    screens.capture(client, "verifikasi-usulan").await?;
    Ok(())
}

/// In the operator's window: syncs until usulan `id` shows "Diverifikasi instansi" with the verifikator's event in
/// its history (at most [`SYNC`]). Screenshots: the verified usulan, the list.
///
/// # Errors
/// When it does not in time.
pub(crate) async fn wait_verified(client: &Client, screens: &Screens, id: &str, verifikator: &str) -> Result<()> {
    let deadline = Instant::now() + SYNC;
    loop {
        sync_now(client).await?;
        // From Sinkronisasi to the usulan: the detail loads afresh.
        client.execute(&format!("location.hash = '#/usulan/{id}';"), &[]).await?;
        let shown = wait_text_within(
            client,
            "#usulan-status",
            DIVERIFIKASI,
            Duration::from_secs(10),
            "the verified status at the operator's",
        )
        .await;
        if shown.is_ok() {
            break;
        }
        if Instant::now() > deadline {
            return shown;
        }
    }
    wait_text(client, "#usulan-riwayat tr[data-event-id]", verifikator, "the verifikator's event in the history")
        .await?;
    wait_text(client, "#usulan-riwayat", CATATAN_VERIFIKASI, "the verifikator's note in the history").await?;
    ensure!(client.find("#usulan-lokal").await?.is_none(), "the verified usulan still shows local changes");
    scroll_to(client, "#usulan-riwayat").await?;
    screens.capture(client, "usulan-diverifikasi").await?;
    client.click_on("#nav-usulan", SCREEN).await?;
    let row = format!("#daftar-usulan a[data-usulan-id='{id}']");
    wait_text(client, &row, DIVERIFIKASI, "the verified usulan in the Usulan list").await?;
    Ok(())
}

/// Chooses `value` in the `<select>` `select` by clicking its option.
async fn choose_option(client: &Client, select: &str, value: &str) -> Result<()> {
    client.click_on(select, SCREEN).await?;
    client.click_on(&format!("{select} option[value='{value}']"), SCREEN).await?;
    client
        .wait_js(
            &format!("document.querySelector({select:?}).value === {value:?}"),
            Duration::from_secs(5),
            &format!("{value} chosen in {select}"),
        )
        .await?;
    Ok(())
}

/// Scrolls `selector` to the top of the window (for a screenshot of a section further down).
async fn scroll_to(client: &Client, selector: &str) -> Result<()> {
    client
        .execute(
            &format!("const e = document.querySelector({selector:?}); if (e) e.scrollIntoView({{block: 'start'}});"),
            &[],
        )
        .await?;
    Ok(())
}

/// The first value under `key` anywhere in `value` (depth first).
fn find_key<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(key).or_else(|| map.values().find_map(|inner| find_key(inner, key))),
        Value::Array(items) => items.iter().find_map(|inner| find_key(inner, key)),
        _ => None,
    }
}

/// A SHA-256 from its lower-case hex.
///
/// # Errors
/// When it is not 64 hex digits.
pub(crate) fn hash_bytes(hex: &str) -> Result<[u8; 32]> {
    ensure!(hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()), "{hex:?} is not a SHA-256");
    let mut hash = [0u8; 32];
    for (byte, pair) in hash.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair)?, 16)?;
    }
    Ok(hash)
}

/// The UI's element-id form of a code (`idAman` in ui/src/lib/usulan.ts): letters, digits, `-`, `_`.
fn id_aman(kode: &str) -> String {
    kode.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// A file name from a document name: `SK Pangkat Terakhir` → `sk-pangkat-terakhir`.
fn slug(nama: &str) -> String {
    let mut slug = String::new();
    for c in nama.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { "dokumen".to_owned() } else { slug.to_owned() }
}

/// A valid one-page PDF (catalog, pages, page, content stream, Helvetica; a correct xref table) of at least `size`
/// bytes: the page says `judul`, and comment lines in the content stream make up the size.
fn pdf(judul: &str, size: usize) -> Vec<u8> {
    let text: String =
        judul.chars().map(|c| if c.is_ascii() && !matches!(c, '(' | ')' | '\\') { c } else { ' ' }).collect();
    let build = |padding: usize| -> Vec<u8> {
        let mut stream =
            format!("BT /F1 20 Tf 72 760 Td (SIASN Luring - berkas uji E2E) Tj 0 -32 Td /F1 14 Tf ({text}) Tj ET\n");
        let line = format!("% {}\n", "x".repeat(76));
        while stream.len() < padding {
            stream.push_str(&line);
        }
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> \
             /Contents 4 0 R >>"
                .to_owned(),
            format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned(),
        ];
        let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(objects.len());
        for (index, object) in objects.iter().enumerate() {
            offsets.push(bytes.len());
            bytes.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
        }
        let xref = bytes.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for offset in offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        table.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
        bytes.extend_from_slice(table.as_bytes());
        bytes
    };
    let bare = build(0).len();
    build(size.saturating_sub(bare) + 200)
}

#[test]
fn the_generated_pdf_is_one_page_above_the_minimum_size() {
    let bytes = pdf("SK Pangkat Terakhir", UKURAN_PDF);
    assert!(bytes.starts_with(b"%PDF-1.4") && bytes.ends_with(b"%%EOF\n"));
    assert!(bytes.len() >= UKURAN_PDF && bytes.len() < UKURAN_PDF + 1024, "{}", bytes.len());
    let at = |needle: &[u8]| bytes.windows(needle.len()).rposition(|window| window == needle).unwrap();
    assert_eq!(bytes.windows(12).filter(|window| window == b"/Type /Page ").count(), 1);
    // Every xref offset points at its object.
    let xref = at(b"\nxref\n") + 1;
    let table = std::str::from_utf8(&bytes[xref..]).unwrap();
    assert_eq!(table.lines().skip(3).take(5).count(), 5);
    for (index, line) in table.lines().skip(3).take(5).enumerate() {
        let offset: usize = line[..10].parse().unwrap();
        assert!(bytes[offset..].starts_with(format!("{} 0 obj", index + 1).as_bytes()), "object {}", index + 1);
    }
    let startxref: usize = table.lines().rev().nth(1).unwrap().parse().unwrap();
    assert_eq!(startxref, xref);
    assert_eq!(slug("Ijazah dan Transkrip Nilai Terakhir"), "ijazah-dan-transkrip-nilai-terakhir");
    assert_eq!(id_aman("a/b.c"), "a_b_c");
}
