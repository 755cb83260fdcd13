import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { status } from '../test/contoh'
import Sinkronisasi from './Sinkronisasi.svelte'
import { setelSinkron } from '../lib/sinkron.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  sinkronStatus: vi.fn(),
  sinkronMulai: vi.fn(),
}))

describe('Sinkronisasi', () => {
  it('shows connection, outbox, last sync and the error with what to do', async () => {
    vi.mocked(ipc.sinkronStatus).mockResolvedValue(
      status({
        daring: false,
        outbox_total: 1234,
        outbox: [{ rowid: 7, nip: '1985', nama: 'Budi', perubahan: 2, percobaan: 3, galat: null }],
        galat: { kode: 'luring', pesan: 'Hub tidak terjangkau.', saran: 'Periksa jaringan kantor lalu coba lagi.' },
        kemajuan: { tahap: 'Mengunduh pegawai', selesai: 50, total: 200 },
      }),
    )
    const { container } = render(Sinkronisasi)
    await waitFor(() => expect(container.querySelector('#status-koneksi')?.textContent).toBe('Luring'))
    expect(container.querySelector('#outbox-jumlah')?.textContent).toBe('1.234')
    expect(container.querySelector('#sinkron-galat')?.textContent).toMatch(/Periksa jaringan kantor/)
    expect(container.querySelector('#sinkron-terakhir')?.textContent).toMatch(/^30-11-2026 \d\d:\d\d$/)
    expect(container.querySelector('progress')?.getAttribute('value')).toBe('50')
  })

  it('starts a round', async () => {
    vi.mocked(ipc.sinkronStatus).mockResolvedValue(status({ daring: null }))
    vi.mocked(ipc.sinkronMulai).mockResolvedValue(status({ daring: true, berjalan: true }))
    const { container } = render(Sinkronisasi)
    await waitFor(() => expect(container.querySelector('#status-koneksi')?.textContent).toBe('Belum diketahui'))
    await fireEvent.click(container.querySelector('#sinkronkan')!)
    await waitFor(() => expect(container.querySelector('#status-koneksi')?.textContent).toBe('Daring'))
    expect(ipc.sinkronMulai).toHaveBeenCalledOnce()
  })

  it('lists two documents sharing a NIP as two rows, keyed and linked by document', async () => {
    const kembar = (rowid: number, perubahan: number) =>
      ({ rowid, nip: '198503152010011002', nama: 'Budi Santoso', perubahan, percobaan: 0, galat: null })
    vi.mocked(ipc.sinkronStatus).mockResolvedValue(
      status({
        outbox_total: 3,
        outbox: [kembar(11, 1), kembar(12, 2), { rowid: null, nip: null, nama: null, perubahan: 4, percobaan: 1, galat: null }],
      }),
    )
    const { container } = render(Sinkronisasi)
    await waitFor(() => expect(container.querySelectorAll('tbody tr')).toHaveLength(3))
    const baris = [...container.querySelectorAll<HTMLTableRowElement>('tbody tr')]
    expect(baris.map((b) => b.dataset.dok)).toEqual(['11', '12', undefined])
    expect(baris.map((b) => b.querySelector('a')?.getAttribute('href') ?? null)).toEqual([
      '#/pegawai/198503152010011002?dok=11',
      '#/pegawai/198503152010011002?dok=12',
      null,
    ])
    // A new status in another order moves the same row elements (keyed on rowid, not on the shared NIP).
    const [r11, r12] = baris
    setelSinkron(status({ outbox_total: 3, outbox: [kembar(12, 2), kembar(11, 1)] }))
    await waitFor(() => expect(container.querySelector('tbody tr')?.getAttribute('data-dok')).toBe('12'))
    const sesudah = [...container.querySelectorAll('tbody tr')]
    expect(sesudah[0]).toBe(r12)
    expect(sesudah[1]).toBe(r11)
  })
})
