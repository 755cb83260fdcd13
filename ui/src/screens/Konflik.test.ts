import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import type { KonflikBaris } from '../ipc'
import Konflik from './Konflik.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  konflikDaftar: vi.fn(),
  konflikSelesaikan: vi.fn(),
}))

const TGL_LAHIR: KonflikBaris = {
  rowid: 7,
  nip: '198503152010011002',
  nama: 'Budi Santoso, S.Pd.',
  path: 'data_utama.tgl_lahir',
  field: 'Tanggal lahir',
  nilai: [
    { tampil: '1985-03-15', json: '"1985-03-15"', oleh: 'Perangkat ini', aktor: 'a1b2c3d4e5f60718',
      waktu: '2026-11-30T02:10:00Z', pesan: 'ubah tanggal lahir' },
    { tampil: '1985-03-16', json: '"1985-03-16"', oleh: 'Perangkat 9f8e7d6c', aktor: '9f8e7d6c5b4a3928',
      waktu: null, pesan: null },
  ],
}

describe('Konflik', () => {
  beforeEach(() => vi.mocked(ipc.konflikSelesaikan).mockReset())

  it('shows the competing values side by side with the device and time', async () => {
    vi.mocked(ipc.konflikDaftar).mockResolvedValue([TGL_LAHIR])
    const { container } = render(Konflik)
    await waitFor(() => expect(container.querySelectorAll('[data-konflik]')).toHaveLength(1))
    const nilai = [...container.querySelectorAll('.nilai-konflik')]
    expect(nilai.map((n) => n.querySelector('.nilai')?.textContent)).toEqual(['1985-03-15', '1985-03-16'])
    expect(nilai.map((n) => n.querySelector('.oleh')?.textContent)).toEqual(['Perangkat ini', 'Perangkat 9f8e7d6c'])
    expect(nilai[0]?.querySelector('.waktu')?.textContent).toMatch(/^30-11-2026 \d\d:\d\d$/)
    expect(nilai[1]?.querySelector('.waktu')?.textContent).toBe('–')
    expect(container.querySelector('[data-konflik] h2')?.textContent).toMatch(/Tanggal lahir/)
    expect(container.querySelector('[data-konflik] a')?.getAttribute('href')).toBe('#/pegawai/198503152010011002?dok=7')
  })

  it('chooses a value with its JSON and shows the list the backend answers', async () => {
    vi.mocked(ipc.konflikDaftar).mockResolvedValue([TGL_LAHIR])
    vi.mocked(ipc.konflikSelesaikan).mockResolvedValue([])
    const { container } = render(Konflik)
    await waitFor(() => expect(container.querySelectorAll('button.pilih')).toHaveLength(2))
    await fireEvent.click(container.querySelectorAll('button.pilih')[1]!)
    expect(ipc.konflikSelesaikan).toHaveBeenCalledWith(7, 'data_utama.tgl_lahir', '"1985-03-16"')
    await waitFor(() => expect(container.querySelector('#konflik-kosong')).not.toBeNull())
    expect(container.querySelector('#pesan-konflik')?.textContent).toMatch(/Tanggal lahir diputuskan/)
  })

  it('enters another value', async () => {
    vi.mocked(ipc.konflikDaftar).mockResolvedValue([TGL_LAHIR])
    vi.mocked(ipc.konflikSelesaikan).mockResolvedValue([])
    const { container } = render(Konflik)
    await waitFor(() => expect(container.querySelector('button.buka-lain')).not.toBeNull())
    await fireEvent.click(container.querySelector('button.buka-lain')!)
    const isian = container.querySelector<HTMLInputElement>('input.isian-lain')!
    await fireEvent.input(isian, { target: { value: ' 1985-03-17 ' } })
    await fireEvent.submit(container.querySelector('form.nilai-lain')!)
    expect(ipc.konflikSelesaikan).toHaveBeenCalledWith(7, 'data_utama.tgl_lahir', '1985-03-17')
  })

  it('shows a refusal and keeps the conflict', async () => {
    vi.mocked(ipc.konflikDaftar).mockResolvedValue([TGL_LAHIR])
    vi.mocked(ipc.konflikSelesaikan).mockRejectedValueOnce(
      new ipc.GalatIpc({
        code: 'ditolak',
        message: 'Anda tidak dapat memutuskan konflik Tanggal lahir: hanya Verifikator Instansi yang boleh memilih nilainya.',
      }),
    )
    const { container } = render(Konflik)
    await waitFor(() => expect(container.querySelectorAll('button.pilih')).toHaveLength(2))
    await fireEvent.click(container.querySelectorAll('button.pilih')[0]!)
    await waitFor(() => expect(container.querySelector('#galat-konflik')?.textContent).toMatch(/Verifikator Instansi/))
    expect(container.querySelectorAll('[data-konflik]')).toHaveLength(1)
  })

  it('says when there is no conflict', async () => {
    vi.mocked(ipc.konflikDaftar).mockResolvedValue([])
    const { container } = render(Konflik)
    await waitFor(() => expect(container.querySelector('#konflik-kosong')?.textContent).toBe('Tidak ada konflik data.'))
  })
})
