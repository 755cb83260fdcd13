import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { setelSesi } from '../lib/sesi.svelte'
import { aturUlangUsulanKini } from '../lib/usulan.svelte'
import { referensiContoh, ringkasContoh } from '../lib/usulan-contoh'
import Usulan from './Usulan.svelte'
import Verifikasi from './Verifikasi.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  usulanDaftar: vi.fn(),
  usulanReferensi: vi.fn(),
}))

const KOSONG: ipc.FilterUsulan = { jenis: null, status: null, nip: null, dari: null, sampai: null }
// Opaque to the UI: whatever came is passed back as is.
const KURSOR = { diperbarui_ms: 1795657500000, rowid: 2 } as unknown as ipc.KursorUsulan

function halaman(baris: ipc.UsulanRingkas[], berikut: ipc.KursorUsulan | null = null): ipc.HalamanUsulan {
  return {
    baris,
    per_status: [
      { kunci: 'konflik', label: 'Konflik keputusan', jumlah: 1 },
      { kunci: 'draft', label: 'Draf', jumlah: 1 },
      { kunci: 'diajukan', label: 'Diajukan', jumlah: 1250 },
    ],
    berikut,
  }
}

const BARIS = [
  ringkasContoh(),
  ringkasContoh({
    id: 'b',
    status: 'diajukan',
    status_nama: 'Diajukan',
    nama: 'Citra Lestari',
    nip: '199203042015032001',
    jumlah_pegawai: 3,
    diperbarui: '2026-11-21T03:03:00Z',
  }),
  ringkasContoh({
    id: 'c',
    jenis: 'peremajaan_data',
    jenis_nama: 'Peremajaan data',
    sub_jenis: null,
    sub_jenis_nama: null,
    status: 'konflik',
    status_nama: 'Konflik keputusan',
    konflik: true,
    jumlah_bts: 2,
    diperbarui: '2026-11-25T07:40:00Z',
  }),
]

beforeEach(() => {
  aturUlangUsulanKini()
  setelSesi(null)
  vi.mocked(ipc.usulanDaftar).mockReset()
  vi.mocked(ipc.usulanDaftar).mockResolvedValue(halaman(BARIS))
  vi.mocked(ipc.usulanReferensi).mockResolvedValue(referensiContoh())
})

function baris(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>('#daftar-usulan [data-usulan-id]')]
}

describe('Usulan', () => {
  it('lists jenis, pegawai with +N for kolektif, status, BTS count and the last update dd-mm-yyyy', async () => {
    const { container } = render(Usulan)
    await waitFor(() => expect(baris(container)).toHaveLength(3))
    expect(ipc.usulanDaftar).toHaveBeenCalledWith(KOSONG, null, 50)
    const [a, b, c] = baris(container)
    expect(a!.getAttribute('href')).toBe('#/usulan/0193a1f0-0001-7b41-9d2a-5e8f1a2b3c01')
    expect(a!.textContent).toContain('Kenaikan pangkat')
    expect(a!.textContent).toContain('Reguler')
    expect(a!.textContent).toContain('198503152010011002')
    expect(a!.textContent).toContain('28-11-2026')
    expect(b!.querySelector('.tambah')?.textContent).toBe('+2')
    expect(c!.classList.contains('konflik')).toBe(true)
    expect(c!.querySelector('.status')?.classList.contains('merah')).toBe(true)
    expect(c!.textContent).toContain('BTS ×2')
    expect(container.querySelector('#usulan-baru')?.getAttribute('href')).toBe('#/usulan/baru')
  })

  it('shows the counts per status (workflow order, "." thousands) and filters by status', async () => {
    const { container } = render(Usulan)
    await waitFor(() => expect(baris(container)).toHaveLength(3))
    const label = [...container.querySelectorAll('#filter-status label')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim())
    expect(label).toEqual(['Semua', 'Draf (1)', 'Diajukan (1.250)', 'Konflik keputusan (1)'])
    await fireEvent.click(container.querySelector('#status-konflik')!)
    await waitFor(() => expect(ipc.usulanDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.usulanDaftar).mock.calls[1]).toEqual([{ ...KOSONG, status: 'konflik' }, null, 50])
  })

  it('builds the FilterUsulan from jenis, NIP and the date range, and sends nothing while a field is wrong', async () => {
    const { container } = render(Usulan)
    await waitFor(() => expect(container.querySelector('#filter-jenis option[value=kenaikan_pangkat]')).not.toBeNull())
    const jenis = container.querySelector<HTMLSelectElement>('#filter-jenis')!
    jenis.value = 'kenaikan_pangkat'
    await fireEvent.change(jenis)
    await waitFor(() => expect(ipc.usulanDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.usulanDaftar).mock.calls[1]![0]).toEqual({ ...KOSONG, jenis: 'kenaikan_pangkat' })

    const nip = container.querySelector<HTMLInputElement>('#filter-nip')!
    await fireEvent.input(nip, { target: { value: '1985' } })
    await fireEvent.change(nip)
    expect(container.querySelector('#galat-filter-nip')?.textContent).toBe('NIP "1985" tidak sah: tulis 18 angka NIP tanpa tanda baca.')
    expect(nip.getAttribute('aria-invalid')).toBe('true')
    expect(ipc.usulanDaftar).toHaveBeenCalledTimes(2)

    await fireEvent.input(nip, { target: { value: '198503152010011002' } })
    await fireEvent.input(container.querySelector('#filter-dari')!, { target: { value: '01-11-2026' } })
    await fireEvent.input(container.querySelector('#filter-sampai')!, { target: { value: '30-11-2026' } })
    await fireEvent.submit(container.querySelector('#filter-usulan')!)
    await waitFor(() => expect(ipc.usulanDaftar).toHaveBeenCalledTimes(3))
    expect(vi.mocked(ipc.usulanDaftar).mock.calls[2]![0]).toEqual({
      jenis: 'kenaikan_pangkat',
      status: null,
      nip: '198503152010011002',
      dari: '2026-11-01',
      sampai: '2026-11-30',
    })
    expect(container.querySelector('#galat-filter-nip')).toBeNull()
    // The same filter again is not sent twice.
    await fireEvent.change(nip)
    await new Promise((r) => setTimeout(r, 10))
    expect(ipc.usulanDaftar).toHaveBeenCalledTimes(3)

    await fireEvent.click(container.querySelector('#hapus-filter-usulan')!)
    await waitFor(() => expect(ipc.usulanDaftar).toHaveBeenCalledTimes(4))
    expect(vi.mocked(ipc.usulanDaftar).mock.calls[3]![0]).toEqual(KOSONG)
  })

  it('loads the next page with the cursor it was given ("Muat lebih banyak")', async () => {
    vi.mocked(ipc.usulanDaftar)
      .mockResolvedValueOnce(halaman(BARIS.slice(0, 2), KURSOR))
      .mockResolvedValueOnce(halaman(BARIS.slice(2)))
    const { container } = render(Usulan)
    await waitFor(() => expect(baris(container)).toHaveLength(2))
    await fireEvent.click(container.querySelector('#muat-lebih-usulan')!)
    await waitFor(() => expect(baris(container)).toHaveLength(3))
    expect(vi.mocked(ipc.usulanDaftar).mock.calls[1]).toEqual([KOSONG, KURSOR, 50])
    expect(container.querySelector('#muat-lebih-usulan')).toBeNull()
  })

  it('shows a failed next page and retries from the same button', async () => {
    vi.mocked(ipc.usulanDaftar)
      .mockResolvedValueOnce(halaman(BARIS.slice(0, 2), KURSOR))
      .mockRejectedValueOnce(new ipc.GalatIpc({ code: 'replika', message: 'Replika sibuk; coba lagi.' }))
      .mockResolvedValueOnce(halaman(BARIS.slice(2)))
    const { container } = render(Usulan)
    await waitFor(() => expect(baris(container)).toHaveLength(2))
    await fireEvent.click(container.querySelector('#muat-lebih-usulan')!)
    await waitFor(() => expect(container.querySelector('[role=alert]')?.textContent).toMatch(/Replika sibuk/))
    expect(container.querySelector('#muat-lebih-usulan')?.textContent?.trim()).toBe('Coba lagi')
    await fireEvent.click(container.querySelector('#muat-lebih-usulan')!)
    await waitFor(() => expect(baris(container)).toHaveLength(3))
    expect(container.querySelector('[role=alert]')).toBeNull()
  })

  it('moves between rows with the arrow keys', async () => {
    const { container } = render(Usulan)
    await waitFor(() => expect(baris(container)).toHaveLength(3))
    const [a, b] = baris(container)
    a!.focus()
    await fireEvent.keyDown(a!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(b)
    await fireEvent.keyDown(b!, { key: 'End' })
    expect(document.activeElement).toBe(baris(container)[2])
  })

  it('says when nothing matches the filter', async () => {
    vi.mocked(ipc.usulanDaftar).mockResolvedValue({ baris: [], per_status: [], berikut: null })
    const { container } = render(Usulan)
    await waitFor(() => expect(container.querySelector('#usulan-kosong')?.textContent).toMatch(/Belum ada usulan/))
  })
})

describe('Verifikasi', () => {
  it('is the inbox: status "diajukan" first, "konflik" one click away, rows open at #/verifikasi/<id>', async () => {
    const { container } = render(Verifikasi)
    await waitFor(() => expect(baris(container)).toHaveLength(3))
    expect(container.querySelector('#verifikasi h1')?.textContent).toBe('Verifikasi usulan')
    expect(ipc.usulanDaftar).toHaveBeenCalledWith({ ...KOSONG, status: 'diajukan' }, null, 50)
    const label = [...container.querySelectorAll('#filter-status label')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim())
    expect(label).toEqual(['Diajukan (1.250)', 'Konflik keputusan (1)'])
    expect(container.querySelector('#usulan-baru')).toBeNull()
    expect(baris(container)[1]!.getAttribute('href')).toBe('#/verifikasi/b')
    await fireEvent.click(container.querySelector('#status-konflik')!)
    await waitFor(() => expect(ipc.usulanDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.usulanDaftar).mock.calls[1]![0]).toEqual({ ...KOSONG, status: 'konflik' })
  })

  it('adds the BKN stage for a BKN verifikator', async () => {
    setelSesi({
      masuk: true, nip: '196805121990031002', nama: 'Verifikator BKN', instansi_nama: null, peran: ['verifikator_bkn'],
      luring_sampai: null, perlu_masuk_ulang: false, issuer: null,
    })
    const { container } = render(Verifikasi)
    await waitFor(() => expect(container.querySelector('#status-diteruskan_ke_bkn')).not.toBeNull())
  })
})
