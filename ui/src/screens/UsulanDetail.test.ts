import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { status } from '../test/contoh'
import {
  detailContoh,
  detailDiajukan,
  eventContoh,
  NIP_VERIFIKATOR_A,
  NIP_VERIFIKATOR_B,
  referensiContoh,
  ringkasContoh,
} from '../lib/usulan-contoh'
import UsulanDetail from './UsulanDetail.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  usulanDetail: vi.fn(),
  usulanAksi: vi.fn(),
  usulanLampirkan: vi.fn(),
  usulanReferensi: vi.fn(),
  sinkronStatus: vi.fn(),
  riwayatPerubahanUsulan: vi.fn(),
}))

const ID = '0193a1f0-0001-7b41-9d2a-5e8f1a2b3c01'

beforeEach(() => {
  vi.mocked(ipc.usulanDetail).mockReset()
  vi.mocked(ipc.usulanAksi).mockReset()
  vi.mocked(ipc.usulanLampirkan).mockReset()
  vi.mocked(ipc.usulanDetail).mockResolvedValue(detailContoh())
  vi.mocked(ipc.usulanReferensi).mockResolvedValue(referensiContoh())
  vi.mocked(ipc.sinkronStatus).mockResolvedValue(status())
})

async function tampil(dari: 'usulan' | 'verifikasi' = 'usulan') {
  const r = render(UsulanDetail, { id: ID, dari })
  await waitFor(() => expect(r.container.querySelector('#usulan-judul')).not.toBeNull())
  return r
}

/** A file input given `berkas` as its chosen file, then a change event. */
async function pilihBerkas(input: HTMLInputElement, berkas: File) {
  Object.defineProperty(input, 'files', { value: [berkas], configurable: true })
  await fireEvent.change(input)
}

function berkasPdf(nama: string, ukuran: number): File {
  return new File([new Uint8Array(ukuran).fill(37)], nama, { type: 'application/pdf' })
}

describe('UsulanDetail', () => {
  it('shows jenis, status, the BTS count, "belum terkirim ke hub" and the per-NIP status', async () => {
    vi.mocked(ipc.usulanDetail).mockResolvedValue(
      detailContoh({ ringkas: ringkasContoh({ status: 'bts', status_nama: 'BTS (perbaikan)', jumlah_bts: 2 }) }),
    )
    const { container } = await tampil()
    expect(ipc.usulanDetail).toHaveBeenCalledWith(ID)
    expect(container.querySelector('#usulan-judul')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Kenaikan pangkat — Reguler')
    expect(container.querySelector('#usulan-status')?.textContent?.trim()).toBe('BTS (perbaikan)')
    expect(container.querySelector('#usulan-bts')?.textContent).toBe('Dikembalikan (BTS) 2 kali')
    expect(container.querySelector('#usulan-lokal')?.textContent).toBe('Belum terkirim ke hub')
    const p = container.querySelector('#usulan-pegawai tr[data-nip="198503152010011002"]')!
    expect(p.textContent).toContain('Budi Santoso, S.T.')
    expect(p.querySelector('a')?.getAttribute('href')).toBe('#/pegawai/198503152010011002')
    expect(container.querySelector('.jejak a')?.getAttribute('href')).toBe('#/usulan')
  })

  it("shows SI-ASN's own status, pertek and SK with dates dd-mm-yyyy once the hub has read them; nothing before", async () => {
    const { container } = await tampil()
    expect(container.querySelector('#usulan-siasn')).toBeNull()
    vi.mocked(ipc.usulanDetail).mockResolvedValue(
      detailDiajukan({
        siasn: {
          id: '8ae4830000000000000000000000aa01', kode: '32', nama: 'Sudah TTE SK', nomor_pertek: 'MG-0000000123',
          tanggal_pertek: '2026-11-20', nomor_sk: '800.1.6.3/0001/2026', tanggal_sk: '2026-11-27', tmt: '2026-12-01',
          diperbarui: '2026-11-27T03:00:00Z',
        },
      }),
    )
    const kedua = render(UsulanDetail, { id: ID, dari: 'usulan' })
    await waitFor(() => expect(kedua.container.querySelector('#usulan-siasn')).not.toBeNull())
    const kartu = kedua.container.querySelector('#usulan-siasn')!.textContent!.replace(/\s+/g, ' ')
    expect(kedua.container.querySelector('#usulan-siasn-status')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Sudah TTE SK (kode 32)')
    expect(kartu).toContain('MG-0000000123, 20-11-2026')
    expect(kartu).toContain('800.1.6.3/0001/2026, 27-11-2026')
    expect(kartu).toContain('TMT01-12-2026')
  })

  it('goes back to the inbox when opened from Verifikasi', async () => {
    const { container } = await tampil('verifikasi')
    expect(container.querySelector('.jejak a')?.getAttribute('href')).toBe('#/verifikasi')
  })

  it('shows blokir findings in red, disables "Ajukan" and says why; warnings in amber', async () => {
    const { container } = await tampil()
    const blokir = container.querySelector('#usulan-temuan [data-tingkat=blokir]')!
    expect(blokir.classList.contains('blokir')).toBe(true)
    expect(blokir.textContent).toContain('Dokumen wajib "Dok SK KP terakhir" belum dilampirkan. Lampirkan pindaian PDF (maks. 1 MB), lalu ajukan.')
    const peringatan = container.querySelector('#usulan-temuan [data-tingkat=peringatan]')!
    expect(peringatan.classList.contains('peringatan')).toBe(true)
    const ajukan = container.querySelector<HTMLButtonElement>('#aksi-diajukan')!
    expect(ajukan.disabled).toBe(true)
    expect(ajukan.getAttribute('aria-describedby')).toBe('ajukan-terhalang')
    expect(container.querySelector('#ajukan-terhalang')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Belum dapat diajukan: perbaiki temuan merah di "Pemeriksaan sebelum diajukan" lebih dulu.',
    )
    // The other actions stay available.
    expect(container.querySelector<HTMLButtonElement>('#aksi-dibatalkan')!.disabled).toBe(false)
  })

  it('submits once nothing blocks, and shows the answer', async () => {
    vi.mocked(ipc.usulanDetail).mockResolvedValue(detailContoh({ temuan: [] }))
    vi.mocked(ipc.usulanAksi).mockResolvedValue(detailDiajukan({ lokal: true, aksi: [] }))
    const { container } = await tampil()
    const ajukan = container.querySelector<HTMLButtonElement>('#aksi-diajukan')!
    expect(ajukan.disabled).toBe(false)
    await fireEvent.click(ajukan)
    expect(container.querySelector('#aksi-alasan')).toBeNull()
    await fireEvent.click(container.querySelector('#aksi-kirim')!)
    await waitFor(() => expect(container.querySelector('#dialog-aksi')).toBeNull())
    expect(ipc.usulanAksi).toHaveBeenCalledWith(ID, { aksi: 'diajukan', alasan_id: null, catatan: null, nip: [] })
    expect(container.querySelector('#usulan-status')?.textContent?.trim()).toBe('Diajukan')
    expect(container.querySelector('#usulan-pesan')?.textContent).toBe(
      'Ajukan: tersimpan di perangkat ini dan dikirim ke hub saat sinkronisasi.',
    )
  })

  it('BTS needs an alasan from the list (the BTS ones), then sends it with the catatan', async () => {
    vi.mocked(ipc.usulanDetail).mockResolvedValue(detailDiajukan())
    vi.mocked(ipc.usulanAksi).mockResolvedValue(
      detailDiajukan({ ringkas: ringkasContoh({ status: 'bts', status_nama: 'BTS (perbaikan)', jumlah_bts: 1 }), aksi: [] }),
    )
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#aksi-bts')!)
    const dialog = container.querySelector('#dialog-aksi')!
    expect(dialog.getAttribute('role')).toBe('dialog')
    expect(dialog.querySelector('h2')?.textContent).toBe('Kembalikan (BTS)')
    const pilihan = [...container.querySelectorAll<HTMLOptionElement>('#aksi-alasan option')].map((o) => o.textContent)
    expect(pilihan).toEqual(['— pilih alasan —', 'BTS - Data tidak sesuai', 'BTS - Dokumen Tidak Lengkap'])
    await waitFor(() => expect(document.activeElement?.id).toBe('aksi-alasan'))

    await fireEvent.click(container.querySelector('#aksi-kirim')!)
    expect(container.querySelector('#galat-aksi-alasan')?.textContent).toBe(
      'Pilih alasan: Kembalikan (BTS) harus menyebut alasannya agar operator tahu apa yang diperbaiki.',
    )
    expect(container.querySelector('#aksi-alasan')?.getAttribute('aria-invalid')).toBe('true')
    expect(ipc.usulanAksi).not.toHaveBeenCalled()

    const alasan = container.querySelector<HTMLSelectElement>('#aksi-alasan')!
    alasan.value = '51'
    await fireEvent.change(alasan)
    await fireEvent.input(container.querySelector('#aksi-catatan')!, { target: { value: 'SK KP terakhir belum dilegalisir.' } })
    await fireEvent.click(container.querySelector('#aksi-kirim')!)
    await waitFor(() => expect(container.querySelector('#dialog-aksi')).toBeNull())
    expect(ipc.usulanAksi).toHaveBeenCalledWith(ID, {
      aksi: 'bts',
      alasan_id: '51',
      catatan: 'SK KP terakhir belum dilegalisir.',
      nip: [],
    })
    expect(container.querySelector('#usulan-bts')?.textContent).toBe('Dikembalikan (BTS) 1 kali')
  })

  it('keeps the dialog open with the backend refusal, and closes on Esc', async () => {
    vi.mocked(ipc.usulanDetail).mockResolvedValue(detailContoh({ temuan: [] }))
    vi.mocked(ipc.usulanAksi).mockRejectedValue(
      new ipc.GalatIpc({ code: 'masukan_tidak_sah', message: 'Usulan belum dapat diajukan: dokumen wajib "Dok SK KP terakhir" belum dilampirkan.' }),
    )
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#aksi-diajukan')!)
    await fireEvent.click(container.querySelector('#aksi-kirim')!)
    await waitFor(() => expect(container.querySelector('#galat-aksi')?.textContent).toMatch(/^Usulan belum dapat diajukan: dokumen wajib/))
    await fireEvent.keyDown(container.querySelector('#dialog-aksi')!, { key: 'Escape' })
    await waitFor(() => expect(container.querySelector('#dialog-aksi')).toBeNull())
    expect(document.activeElement?.id).toBe('aksi-diajukan')
  })

  it('lets a kolektif decision name some of the pegawai', async () => {
    const pegawai = [
      { nip: '198503152010011002', nama: 'Budi Santoso, S.T.', status: 'diajukan', status_nama: 'Diajukan' },
      { nip: '199203042015032001', nama: 'Citra Lestari', status: 'diajukan', status_nama: 'Diajukan' },
    ]
    vi.mocked(ipc.usulanDetail).mockResolvedValue(detailDiajukan({ pegawai }))
    vi.mocked(ipc.usulanAksi).mockResolvedValue(detailDiajukan({ pegawai }))
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#aksi-diverifikasi')!)
    await fireEvent.click(container.querySelector('#aksi-nip-199203042015032001')!)
    await fireEvent.click(container.querySelector('#aksi-kirim')!)
    await waitFor(() => expect(ipc.usulanAksi).toHaveBeenCalled())
    expect(vi.mocked(ipc.usulanAksi).mock.calls[0]![1]).toEqual({
      aksi: 'diverifikasi', alasan_id: null, catatan: null, nip: ['198503152010011002'],
    })
  })

  it('shows competing decisions side by side and sends the one the verifikator picks', async () => {
    const verifikasi = eventContoh({
      id: 'ev-ver', aksi: 'diverifikasi', aksi_nama: 'Diverifikasi instansi', oleh: NIP_VERIFIKATOR_A,
      waktu: '2026-11-25T03:02:00Z', catatan: 'Berkas lengkap dan sesuai.',
    })
    const bts = eventContoh({
      id: 'ev-bts', aksi: 'bts', aksi_nama: 'Dikembalikan (BTS)', oleh: NIP_VERIFIKATOR_B, waktu: '2026-11-25T07:40:00Z',
      alasan_id: '50', alasan: 'BTS - Data tidak sesuai', catatan: 'PAK belum memenuhi jenjang.',
    })
    const konflik = detailDiajukan({
      ringkas: ringkasContoh({ status: 'konflik', status_nama: 'Konflik keputusan', konflik: true }),
      riwayat: [eventContoh(), verifikasi, bts],
      konflik: [{ nip: null, pilihan: [verifikasi, bts] }],
      aksi: [
        { aksi: 'diverifikasi', nama: 'Verifikasi', perlu_alasan: false },
        { aksi: 'bts', nama: 'Kembalikan (BTS)', perlu_alasan: true },
      ],
    })
    vi.mocked(ipc.usulanDetail).mockResolvedValue(konflik)
    vi.mocked(ipc.usulanAksi).mockResolvedValue(detailDiajukan({ aksi: [] }))
    const { container } = await tampil('verifikasi')
    const pilihan = [...container.querySelectorAll<HTMLElement>('#usulan-konflik [data-event-id]')]
    expect(pilihan.map((p) => p.dataset.eventId)).toEqual(['ev-ver', 'ev-bts'])
    expect(pilihan[0]!.textContent).toContain('Diverifikasi instansi')
    expect(pilihan[0]!.textContent).toContain(NIP_VERIFIKATOR_A)
    expect(pilihan[1]!.textContent).toContain('Dikembalikan (BTS)')
    expect(pilihan[1]!.textContent).toContain(NIP_VERIFIKATOR_B)
    expect(pilihan[1]!.textContent).toContain('BTS - Data tidak sesuai')
    expect(pilihan[1]!.textContent).toMatch(/25-11-2026 \d\d:40/)
    expect(container.querySelector('#pilih-ev-ver')).not.toBeNull()
    // Both competing events are marked in the timeline.
    expect(container.querySelectorAll('#usulan-riwayat tr.bersaing')).toHaveLength(2)

    await fireEvent.click(container.querySelector('#pilih-ev-bts')!)
    expect(container.querySelector('#dialog-aksi h2')?.textContent).toBe('Tetapkan: Dikembalikan (BTS)')
    expect(container.querySelector<HTMLSelectElement>('#aksi-alasan')?.value).toBe('50')
    await fireEvent.click(container.querySelector('#aksi-kirim')!)
    await waitFor(() => expect(ipc.usulanAksi).toHaveBeenCalled())
    expect(ipc.usulanAksi).toHaveBeenCalledWith(ID, { aksi: 'bts', alasan_id: '50', catatan: null, nip: [] })
    await waitFor(() => expect(container.querySelector('#usulan-konflik')).toBeNull())
  })

  it('shows the riwayat perubahan of the usulan document when asked, with who, device and sebelum → sesudah', async () => {
    vi.mocked(ipc.riwayatPerubahanUsulan).mockResolvedValue({ total: 1, terpotong: false, perubahan: [
      { hash: 'c1', waktu: '2026-11-30T03:45:00Z', sumber: 'perangkat_lain', oleh: '199001012015031001', nip: '199001012015031001',
        perangkat: 'Laptop Operator', aktor: '9f8e', pesan: 'usulan dibuat', pertama: false, field_lainnya: 0,
        field: [{ path: 'catatan', field: 'catatan', sebelum: null, sesudah: 'usulan KP periode April' }] },
    ] })
    const { container } = await tampil()
    const tombol = container.querySelector<HTMLButtonElement>('#tampil-riwayat-perubahan')!
    expect(tombol.getAttribute('aria-expanded')).toBe('false')
    expect(ipc.riwayatPerubahanUsulan).not.toHaveBeenCalled()
    await fireEvent.click(tombol)
    expect(tombol.getAttribute('aria-expanded')).toBe('true')
    await waitFor(() => expect(container.querySelector('#usulan-riwayat-perubahan-isi li')).not.toBeNull())
    expect(ipc.riwayatPerubahanUsulan).toHaveBeenCalledWith(ID)
    const isi = container.querySelector('#usulan-riwayat-perubahan-isi')!
    expect(isi.textContent).toContain('199001012015031001')
    expect(isi.textContent).toContain('perangkat: Laptop Operator')
    expect([...isi.querySelectorAll('tbody tr > *')].map((c) => c.textContent?.trim())).toEqual(['catatan', '—', '→ usulan KP periode April'])
    await fireEvent.click(tombol)
    expect(container.querySelector('#usulan-riwayat-perubahan-isi')).toBeNull()
  })

  it('shows the timeline with aksi, oleh, waktu dd-mm-yyyy HH:mm, alasan and catatan', async () => {
    vi.mocked(ipc.usulanDetail).mockResolvedValue(
      detailContoh({
        riwayat: [
          eventContoh(),
          eventContoh({
            id: 'e3', aksi: 'bts', aksi_nama: 'Dikembalikan (BTS)', oleh: NIP_VERIFIKATOR_A, waktu: '2026-11-14T07:37:00Z',
            alasan_id: '51', alasan: 'BTS - Dokumen Tidak Lengkap', catatan: 'Akta kelahiran belum dilampirkan.',
          }),
        ],
      }),
    )
    const { container } = await tampil()
    const sel = [...container.querySelectorAll('#usulan-riwayat tr[data-event-id=e3] td')].map((t) => t.textContent?.trim())
    expect(sel[0]).toMatch(/^14-11-2026 \d\d:37$/)
    expect(sel.slice(1)).toEqual(['Dikembalikan (BTS)', NIP_VERIFIKATOR_A, 'BTS - Dokumen Tidak Lengkap', 'Akta kelahiran belum dilampirkan.'])
  })

  it('lists the checklist with wajib, type and max size', async () => {
    const { container } = await tampil()
    const sk = container.querySelector('#usulan-dokumen tr[data-kode="858"]')!
    expect(sk.textContent).toContain('Wajib')
    expect(sk.textContent).toContain('PDF, maks. 1 MB')
    expect(sk.textContent).toContain('Belum dilampirkan')
    expect(sk.classList.contains('kurang')).toBe(true)
    const cpns = container.querySelector('#usulan-dokumen tr[data-kode="889"]')!
    expect(cpns.textContent).toContain('SK_CPNS_2010.pdf')
    expect(cpns.textContent).toContain('(402,7 KB)')
    expect(container.querySelector('#usulan-dokumen tr[data-kode=IJAZAH]')?.textContent).toContain('(opsional)')
    expect(container.querySelector('#berkas-858')?.getAttribute('accept')).toBe('application/pdf,.pdf')
  })

  it('refuses a file over the limit before reading it, naming the file, the limit and what to do', async () => {
    const { container } = await tampil()
    await pilihBerkas(container.querySelector('#berkas-858')!, berkasPdf('SK_KP_2022.pdf', 1048577))
    expect(container.querySelector('#galat-berkas-858')?.textContent).toBe(
      'Berkas "SK_KP_2022.pdf" berukuran 1.048.577 byte; batas Dok SK KP terakhir 1.048.576 byte. Kecilkan berkasnya (misalnya pindai ulang ' +
        'dengan resolusi 150 dpi, hitam-putih) lalu lampirkan lagi.',
    )
    expect(container.querySelector('#galat-berkas-858')?.getAttribute('role')).toBe('alert')
    expect(ipc.usulanLampirkan).not.toHaveBeenCalled()
  })

  it('sends the bytes, shows "Menyimpan…" meanwhile, then the attached file; a refusal is shown on the row', async () => {
    let selesai!: (d: ipc.UsulanDetail) => void
    vi.mocked(ipc.usulanLampirkan).mockImplementationOnce(() => new Promise((r) => (selesai = r)))
    const { container } = await tampil()
    await pilihBerkas(container.querySelector('#berkas-858')!, berkasPdf('SK_KP_2022.pdf', 5))
    await waitFor(() => expect(container.querySelector('tr[data-kode="858"] [role=status]')?.textContent).toMatch(/Menyimpan…/))
    expect(container.querySelector<HTMLInputElement>('#berkas-858')!.disabled).toBe(true)
    expect(ipc.usulanLampirkan).toHaveBeenCalledWith(ID, '858', 'SK_KP_2022.pdf', 'application/pdf', [37, 37, 37, 37, 37])
    const dengan = detailContoh()
    dengan.dokumen[1] = { ...dengan.dokumen[1]!, terlampir: { sha256: 'b'.repeat(64), size: 5, mime: 'application/pdf', name: 'SK_KP_2022.pdf' } }
    selesai(dengan)
    await waitFor(() => expect(container.querySelector('tr[data-kode="858"]')?.textContent).toContain('SK_KP_2022.pdf'))
    expect(container.querySelector('tr[data-kode="858"] [role=status]')).toBeNull()

    vi.mocked(ipc.usulanLampirkan).mockRejectedValueOnce(
      new ipc.GalatIpc({ code: 'masukan_tidak_sah', message: 'Berkas "scan.pdf" bukan PDF yang sah; pindai ulang lalu lampirkan lagi.' }),
    )
    await pilihBerkas(container.querySelector('#berkas-IJAZAH')!, berkasPdf('scan.pdf', 3))
    await waitFor(() => expect(container.querySelector('#galat-berkas-IJAZAH')?.textContent).toBe(
      'Berkas "scan.pdf" bukan PDF yang sah; pindai ulang lalu lampirkan lagi.',
    ))
    expect(container.querySelector('#berkas-IJAZAH')?.getAttribute('aria-describedby')).toBe('galat-berkas-IJAZAH')
  })

  it('offers no file inputs once the usulan left the operator and this user cannot verify', async () => {
    vi.mocked(ipc.usulanDetail).mockResolvedValue(detailDiajukan({ aksi: [] }))
    const { container } = await tampil()
    expect(container.querySelector('#usulan-dokumen input[type=file]')).toBeNull()
    expect(container.querySelector('#usulan-aksi')?.textContent).toContain('Tidak ada tindakan yang dapat Anda lakukan')
  })

  it('says when the usulan is not on this device', async () => {
    vi.mocked(ipc.usulanDetail).mockRejectedValue(
      new ipc.GalatIpc({ code: 'tidak_ditemukan', message: 'Usulan tidak ada di perangkat ini. Sinkronkan lalu buka lagi.' }),
    )
    const { container } = render(UsulanDetail, { id: ID })
    await waitFor(() => expect(container.querySelector('[role=alert]')?.textContent).toBe('Usulan tidak ada di perangkat ini. Sinkronkan lalu buka lagi.'))
  })
})
