import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { baris } from '../test/contoh'
import Pegawai from './Pegawai.svelte'

// happy-dom has no layout: the real virtualized list would render no rows.
vi.mock('virtua/svelte', async () => ({ VList: (await import('../test/VListTiruan.svelte')).default }))

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  pegawaiCari: vi.fn(),
  pegawaiDaftar: vi.fn(),
  pegawaiFacets: vi.fn(),
  unorPohon: vi.fn(),
}))

beforeEach(() => {
  vi.mocked(ipc.pegawaiDaftar).mockReset()
  vi.mocked(ipc.pegawaiCari).mockReset()
  vi.mocked(ipc.pegawaiDaftar).mockResolvedValue({ baris: [baris('1', 'Ani', 1)], berikutnya: null, total: 250000 })
  vi.mocked(ipc.pegawaiFacets).mockRejectedValue(new Error('tidak ada'))
  vi.mocked(ipc.unorPohon).mockResolvedValue([])
  performance.clearMeasures()
})

describe('Pegawai', () => {
  it('shows the total with thousands separators', async () => {
    const { container } = render(Pegawai)
    await waitFor(() => expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('250.000'))
    expect(container.querySelector('#cari-pegawai')?.getAttribute('aria-label')).toBe('Cari pegawai')
    expect(container.querySelector('#filter-pegawai')).not.toBeNull()
    expect(container.querySelector('#daftar-pegawai')).not.toBeNull()
  })

  it('drops a stale search answer and measures every keystroke', async () => {
    let lambat!: (v: ipc.PegawaiBaris[]) => void
    vi.mocked(ipc.pegawaiCari).mockImplementation((q: string) =>
      q === 'b' ? new Promise((r) => (lambat = r)) : Promise.resolve([baris('2', 'Budi'), baris('3', 'Budiman')]),
    )
    const { container } = render(Pegawai)
    await waitFor(() => expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('250.000'))
    const input = container.querySelector<HTMLInputElement>('#cari-pegawai')!
    await fireEvent.input(input, { target: { value: 'b' } })
    await fireEvent.input(input, { target: { value: 'bu' } })
    await waitFor(() => expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('2'))
    lambat([baris('9', 'Basuki')])
    await new Promise((r) => setTimeout(r, 20))
    expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('2')
    await waitFor(() => expect(performance.getEntriesByName('cari', 'measure')).toHaveLength(2), { timeout: 3000 })
  })

  it('applies a filter from the route and reloads on change', async () => {
    location.hash = '#/pegawai?bup=12'
    const { rute, bacaRute } = await import('../lib/rute.svelte')
    rute.sekarang = bacaRute(location.hash)
    const { container } = render(Pegawai)
    await waitFor(() => expect(ipc.pegawaiDaftar).toHaveBeenCalled())
    expect(vi.mocked(ipc.pegawaiDaftar).mock.calls[0]![0].bup_dalam_bulan).toBe(12)
    const asn = [...container.querySelectorAll<HTMLInputElement>('#filter-pegawai input[type=checkbox]')].find(
      (c) => c.parentElement?.textContent?.includes('PPPK'),
    )!
    await fireEvent.click(asn)
    await waitFor(() => expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.pegawaiDaftar).mock.calls[1]![0].jenis_asn).toEqual(['PPPK'])
  })

  it('opens the selected row with Enter from the search box and enters the list with ArrowDown', async () => {
    const { container } = render(Pegawai)
    await waitFor(() => expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('250.000'))
    const input = container.querySelector<HTMLInputElement>('#cari-pegawai')!
    await fireEvent.keyDown(input, { key: 'ArrowDown' })
    expect(document.activeElement?.id).toBe('daftar-pegawai')
    expect(container.querySelector('#daftar-pegawai')?.getAttribute('aria-activedescendant')).toBe('baris-1')
    await fireEvent.keyDown(input, { key: 'Enter' })
    expect(location.hash).toBe('#/pegawai/1')
  })

  it('keys rows on the document: two documents sharing a NIP are two rows, each opening its own document', async () => {
    vi.mocked(ipc.pegawaiDaftar).mockResolvedValue({
      baris: [baris('1985', 'Budi', 21), baris('1985', 'Budi', 22), baris('1990', 'Citra', 23)],
      berikutnya: null,
      total: 3,
    })
    const { container } = render(Pegawai)
    await waitFor(() => expect(container.querySelectorAll('#daftar-pegawai [data-nip]')).toHaveLength(3))
    const el = [...container.querySelectorAll<HTMLElement>('#daftar-pegawai [data-nip]')]
    expect(el.map((e) => e.dataset.nip)).toEqual(['1985', '1985', '1990'])
    expect(el.map((e) => e.id)).toEqual(['baris-21', 'baris-22', 'baris-23'])
    await fireEvent.click(el[1]!)
    expect(location.hash).toBe('#/pegawai/1985?dok=22')
    // A NIP that only one row has keeps the plain address (the one the E2E test uses).
    await fireEvent.click(el[2]!)
    expect(location.hash).toBe('#/pegawai/1990')
  })

  it('keeps the first page total when later pages come without one', async () => {
    vi.mocked(ipc.pegawaiDaftar)
      .mockResolvedValueOnce({ baris: [baris('1', 'Ani', 1)], berikutnya: { kunci: 'Ani', rowid: 1 }, total: 2 })
      .mockResolvedValueOnce({ baris: [baris('2', 'Budi', 2)], berikutnya: null, total: null })
    const { container } = render(Pegawai)
    await waitFor(() => expect(container.querySelectorAll('#daftar-pegawai [data-nip]')).toHaveLength(1))
    await fireEvent.scroll(container.querySelector('#daftar-pegawai')!)
    await waitFor(() => expect(container.querySelectorAll('#daftar-pegawai [data-nip]')).toHaveLength(2))
    expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('2')
  })

  it('shows a failed next page once with "Coba lagi", without retrying on every scroll event', async () => {
    vi.mocked(ipc.pegawaiDaftar)
      .mockResolvedValueOnce({ baris: [baris('1', 'Ani', 1)], berikutnya: { kunci: 'Ani', rowid: 1 }, total: 2 })
      .mockRejectedValueOnce(new ipc.GalatIpc({ code: 'replika', message: 'Replika sibuk; coba lagi.' }))
      .mockResolvedValueOnce({ baris: [baris('2', 'Budi', 2)], berikutnya: null, total: null })
    const { container, getByRole, queryByRole } = render(Pegawai)
    await waitFor(() => expect(container.querySelectorAll('#daftar-pegawai [data-nip]')).toHaveLength(1))
    const daftar = container.querySelector('#daftar-pegawai')!
    await fireEvent.scroll(daftar)
    await waitFor(() => expect(container.querySelector('.lagi')?.textContent).toMatch(/Replika sibuk/))
    expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(2)
    for (let i = 0; i < 5; i++) await fireEvent.scroll(daftar)
    await new Promise((r) => setTimeout(r, 20))
    expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(2)
    await fireEvent.click(getByRole('button', { name: 'Coba lagi' }))
    await waitFor(() => expect(container.querySelectorAll('#daftar-pegawai [data-nip]')).toHaveLength(2))
    expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(3)
    expect(container.querySelector('.lagi')).toBeNull()
    expect(queryByRole('alert')).toBeNull()
    expect(container.querySelector('#jumlah-pegawai')?.textContent).toBe('2')
  })

  it('clamps the BUP months to 1–600', async () => {
    const { container } = render(Pegawai)
    await waitFor(() => expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(1))
    const bup = container.querySelector<HTMLInputElement>('#filter-bup')!
    bup.value = '9999'
    await fireEvent.change(bup)
    await waitFor(() => expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.pegawaiDaftar).mock.calls[1]![0].bup_dalam_bulan).toBe(600)
    expect(bup.value).toBe('600')
    bup.value = '-5'
    await fireEvent.change(bup)
    await waitFor(() => expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(3))
    expect(vi.mocked(ipc.pegawaiDaftar).mock.calls[2]![0].bup_dalam_bulan).toBe(1)
    bup.value = ''
    await fireEvent.change(bup)
    await waitFor(() => expect(ipc.pegawaiDaftar).toHaveBeenCalledTimes(4))
    expect(vi.mocked(ipc.pegawaiDaftar).mock.calls[3]![0].bup_dalam_bulan).toBeNull()
  })

  it('says the filter counts are of the whole replica', async () => {
    const { container } = render(Pegawai)
    expect(container.querySelector('#filter-pegawai')?.textContent).toMatch(/seluruh replika/)
  })
})
