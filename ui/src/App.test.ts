import { render, waitFor } from '@testing-library/svelte'
import { tick } from 'svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from './ipc'
import { status } from './test/contoh'
import App from './App.svelte'
import { fatal, laporkanFatal, muatUlangAplikasi } from './lib/galat.svelte'
import { setelSesi } from './lib/sesi.svelte'
import { setelSinkron, sinkron } from './lib/sinkron.svelte'

vi.mock('./ipc', async (asli) => ({
  ...(await asli<typeof import('./ipc')>()),
  sesi: vi.fn(),
  galatMulai: vi.fn(),
  beranda: vi.fn(),
  sinkronStatus: vi.fn(),
  profil: vi.fn(),
  pengingatDaftar: vi.fn(),
  unorPohon: vi.fn(),
}))

vi.mock('./lib/galat.svelte', async (asli) => ({
  ...(await asli<typeof import('./lib/galat.svelte')>()),
  muatUlangAplikasi: vi.fn(),
}))

const MASUK: ipc.SesiView = {
  masuk: true,
  nip: '199001012015031001',
  nama: 'Siti Aminah, S.Kom.',
  instansi_nama: 'Pemerintah Kabupaten Contoh',
  peran: ['operator'],
  luring_sampai: null,
  perlu_masuk_ulang: false,
  issuer: null,
}

beforeEach(() => {
  fatal.pesan = null
  fatal.rincian = null
  fatal.kode = null
  vi.mocked(ipc.galatMulai).mockResolvedValue(null)
  setelSesi(null)
  location.hash = ''
  vi.mocked(ipc.sinkronStatus).mockResolvedValue(status({ daring: false, outbox_total: 3 }))
  vi.mocked(ipc.beranda).mockReturnValue(new Promise(() => {}))
  vi.mocked(ipc.profil).mockReturnValue(new Promise(() => {}))
  vi.mocked(muatUlangAplikasi).mockReset()
  vi.mocked(ipc.sesi).mockReset()
  sinkron.status = null
})

describe('App', () => {
  it('shows Masuk when not signed in', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue({ ...MASUK, masuk: false })
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#masuk-sso')).not.toBeNull())
    expect(location.hash).toBe('#/masuk')
  })

  it('opens Beranda with the nav and the sync badge when signed in', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#beranda')).not.toBeNull())
    for (const id of ['nav-beranda', 'nav-pegawai', 'nav-sinkronisasi', 'nav-pengaturan']) {
      expect(container.querySelector(`#${id}`)).not.toBeNull()
    }
    await waitFor(() => expect(container.querySelector('#lencana-sinkron')?.textContent).toMatch(/Luring.*3 belum terkirim/))
  })

  it('opens Pengingat from the main navigation, marked as the current page', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    vi.mocked(ipc.pengingatDaftar).mockReturnValue(new Promise(() => {}))
    vi.mocked(ipc.unorPohon).mockResolvedValue([])
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#beranda')).not.toBeNull())
    const nav = container.querySelector<HTMLAnchorElement>('#nav-pengingat')!
    expect(nav.textContent).toBe('Pengingat')
    expect(nav.getAttribute('href')).toBe('#/pengingat')
    location.hash = '#/pengingat'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await waitFor(() => expect(container.querySelector('#pengingat')).not.toBeNull())
    expect(nav.getAttribute('aria-current')).toBe('page')
    expect(ipc.pengingatDaftar).toHaveBeenCalledWith({ jenis: 'kp', bulan: 12, status: null, unor: null }, null, 100)
    await waitFor(() => expect(document.activeElement?.id).toBe('judul-pengingat'))
  })

  it('shows the crash screen when the backend cannot start', async () => {
    vi.mocked(ipc.sesi).mockRejectedValue(
      new ipc.GalatIpc({ code: 'replika', message: 'Replika tidak dapat dibuka. Periksa folder data lalu jalankan ulang.' }),
    )
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#layar-galat')?.textContent).toMatch(/Replika tidak dapat dibuka/))
    expect(container.querySelector('#layar-galat button')?.textContent).toBe('Muat ulang')
  })

  it('shows the crash screen for a problem the backend found at start, with a way to Pengaturan', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue({ ...MASUK, masuk: false })
    vi.mocked(ipc.galatMulai).mockResolvedValue({
      code: 'konfigurasi',
      message: 'Alamat hub belum diatur. Isi di Pengaturan lalu masuk.',
    })
    const { container, getByRole } = render(App)
    await waitFor(() => expect(container.querySelector('#layar-galat')?.textContent).toMatch(/Alamat hub belum diatur/))
    getByRole('button', { name: 'Buka Pengaturan' }).click()
    await waitFor(() => expect(location.hash).toBe('#/pengaturan'))
  })

  it('shows the crash screen for an uncaught error', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#beranda')).not.toBeNull())
    laporkanFatal('Cannot read properties of undefined')
    await waitFor(() => expect(container.querySelector('#layar-galat')).not.toBeNull())
  })

  it('says "Belum diketahui" in the sync badge until a round has answered', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    vi.mocked(ipc.sinkronStatus).mockResolvedValue(status({ daring: null, outbox_total: 0 }))
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#lencana-sinkron')?.textContent).toBe('Belum diketahui'))
  })

  it('names the instansi in the header once a sync round has succeeded (first sign-in)', async () => {
    // Right after a first sign-in the replica is empty: the backend names the instansi by its id.
    vi.mocked(ipc.sesi).mockResolvedValue({ ...MASUK, instansi_nama: 'A5EB03E23CCCF6A0E040640A040252AD' })
    const { container } = render(App)
    await waitFor(() =>
      expect(container.querySelector('.instansi')?.textContent).toBe('A5EB03E23CCCF6A0E040640A040252AD'),
    )
    await waitFor(() => expect(ipc.sesi).toHaveBeenCalledTimes(2)) // at start; for the round seen at start
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    setelSinkron(status({ berjalan: true, terakhir_berhasil: null }))
    await tick()
    expect(ipc.sesi).toHaveBeenCalledTimes(2) // a round still running asks nothing
    setelSinkron(status({ berjalan: false, terakhir_berhasil: '2026-12-01T08:00:00Z' }))
    await waitFor(() => expect(container.querySelector('.instansi')?.textContent).toBe('Pemerintah Kabupaten Contoh'))
    expect(ipc.sesi).toHaveBeenCalledTimes(3)
  })

  it('keeps a signed-out officer out when the name arrives after Keluar', async () => {
    let jawab: (v: ipc.SesiView) => void = () => {}
    vi.mocked(ipc.sesi)
      .mockResolvedValueOnce({ ...MASUK, instansi_nama: 'A5EB03E23CCCF6A0E040640A040252AD' })
      .mockReturnValue(new Promise((selesai) => (jawab = selesai)))
    const { container } = render(App)
    await waitFor(() => expect(container.querySelector('#beranda')).not.toBeNull())
    setelSinkron(status({ terakhir_berhasil: '2026-12-01T09:00:00Z' }))
    await waitFor(() => expect(ipc.sesi).toHaveBeenCalledTimes(2))
    setelSesi({ ...MASUK, masuk: false, nip: null, nama: null, instansi_nama: null })
    jawab(MASUK)
    await waitFor(() => expect(container.querySelector('#masuk-sso')).not.toBeNull())
    await tick()
    expect(container.querySelector('#masuk-sso')).not.toBeNull()
    expect(container.querySelector('.instansi')).toBeNull()
  })

  it('"Muat ulang" after a panic reloads into a working app (the backend reports the panic once)', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    vi.mocked(ipc.galatMulai)
      .mockResolvedValueOnce({ code: 'internal', message: 'Terjadi galat internal (panic). Muat ulang aplikasi.' })
      .mockResolvedValue(null)
    const pertama = render(App)
    await waitFor(() => expect(pertama.container.querySelector('#layar-galat')?.textContent).toMatch(/galat internal/))
    pertama.getByRole('button', { name: 'Muat ulang' }).click()
    expect(muatUlangAplikasi).toHaveBeenCalledOnce()
    // What location.reload() does: a fresh page, the module state gone.
    pertama.unmount()
    fatal.pesan = null
    fatal.rincian = null
    fatal.kode = null
    const kedua = render(App)
    await waitFor(() => expect(kedua.container.querySelector('#beranda')).not.toBeNull())
    expect(kedua.container.querySelector('#layar-galat')).toBeNull()
  })

  it('opens Profil from an address with a malformed % sequence instead of crashing', async () => {
    vi.mocked(ipc.sesi).mockResolvedValue(MASUK)
    location.hash = '#/pegawai/1985%E0%A4%A'
    const { rute, bacaRute } = await import('./lib/rute.svelte')
    rute.sekarang = bacaRute(location.hash)
    const { container } = render(App)
    await waitFor(() => expect(ipc.profil).toHaveBeenCalled())
    expect(vi.mocked(ipc.profil).mock.calls[0]![0]).toBe('1985%E0%A4%A')
    expect(container.querySelector('#layar-galat')).toBeNull()
  })
})
