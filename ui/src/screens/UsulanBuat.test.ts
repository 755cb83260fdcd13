import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { baris } from '../test/contoh'
import { detailContoh, referensiContoh, ringkasContoh } from '../lib/usulan-contoh'
import UsulanBuat from './UsulanBuat.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  pegawaiCari: vi.fn(),
  usulanBuat: vi.fn(),
  usulanReferensi: vi.fn(),
}))

const BUDI = baris('198503152010011002', 'Budi Santoso', 11)
const CITRA = baris('199203042015032001', 'Citra Lestari', 12)

beforeEach(() => {
  location.hash = '#/usulan/baru'
  vi.mocked(ipc.usulanBuat).mockReset()
  vi.mocked(ipc.pegawaiCari).mockReset()
  vi.mocked(ipc.usulanReferensi).mockResolvedValue(referensiContoh())
  vi.mocked(ipc.pegawaiCari).mockImplementation(async (q: string) =>
    [BUDI, CITRA].filter((p) => p.nama.toLowerCase().includes(q.toLowerCase()) || p.nip.startsWith(q)),
  )
  vi.mocked(ipc.usulanBuat).mockResolvedValue(detailContoh({ ringkas: ringkasContoh({ id: 'usulan-baru-1' }) }))
})

async function tampil() {
  const r = render(UsulanBuat)
  await waitFor(() => expect(r.container.querySelector('#jenis-kenaikan_pangkat')).not.toBeNull())
  return r
}

async function cariDanTambah(container: HTMLElement, kueri: string, nip: string) {
  await fireEvent.input(container.querySelector('#cari-pegawai-usulan')!, { target: { value: kueri } })
  await waitFor(() => expect(container.querySelector(`#hasil-pegawai button[data-nip="${nip}"]`)).not.toBeNull())
  await fireEvent.click(container.querySelector(`#hasil-pegawai button[data-nip="${nip}"]`)!)
}

describe('UsulanBuat', () => {
  it('asks for the jenis, then the sub jenis, before going on', async () => {
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    expect(container.querySelector('#galat-jenis')?.textContent).toBe('Pilih jenis usulan.')
    await fireEvent.click(container.querySelector('#jenis-kenaikan_pangkat')!)
    expect([...container.querySelectorAll('#sub-jenis option')].map((o) => o.textContent)).toEqual([
      '— pilih —', 'Reguler', 'Pilihan (Jabatan Fungsional Tertentu)',
    ])
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    expect(container.querySelector('#galat-sub-jenis')?.textContent).toBe('Pilih sub jenis kenaikan pangkat.')
    expect(container.querySelector('#langkah-pegawai')).toBeNull()
  })

  it('creates a kolektif KP reguler with the chosen pegawai and opens it', async () => {
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#jenis-kenaikan_pangkat')!)
    const sub = container.querySelector<HTMLSelectElement>('#sub-jenis')!
    sub.value = '101'
    await fireEvent.change(sub)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-pegawai')).not.toBeNull())
    // Two steps only (no field changes for KP).
    expect([...container.querySelectorAll('.langkah li')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1 Jenis usulan', '2 Pegawai',
    ])
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    expect(container.querySelector('#galat-pegawai')?.textContent).toMatch(/^Pilih sekurang-kurangnya satu pegawai/)
    expect(ipc.usulanBuat).not.toHaveBeenCalled()

    await cariDanTambah(container, 'budi', BUDI.nip)
    await cariDanTambah(container, '1992', CITRA.nip)
    expect(ipc.pegawaiCari).toHaveBeenLastCalledWith('1992', 20)
    expect([...container.querySelectorAll<HTMLElement>('#pegawai-terpilih [data-nip]')].map((e) => e.dataset.nip)).toEqual([
      BUDI.nip, CITRA.nip,
    ])
    await fireEvent.input(container.querySelector('#catatan-usulan')!, { target: { value: 'Periode 01-04-2027' } })
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    await waitFor(() => expect(location.hash).toBe('#/usulan/usulan-baru-1'))
    expect(ipc.usulanBuat).toHaveBeenCalledWith({
      jenis: 'kenaikan_pangkat',
      sub_jenis: '101',
      nip: [BUDI.nip, CITRA.nip],
      perubahan: [],
      catatan: 'Periode 01-04-2027',
    })
  })

  it('adds the first search result with Enter and removes a chosen pegawai', async () => {
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#jenis-pencantuman_gelar')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    const cari = container.querySelector<HTMLInputElement>('#cari-pegawai-usulan')!
    await fireEvent.input(cari, { target: { value: 'citra' } })
    await waitFor(() => expect(container.querySelector('#hasil-pegawai button')).not.toBeNull())
    await fireEvent.keyDown(cari, { key: 'Enter' })
    expect(container.querySelector('#pegawai-terpilih [data-nip]')?.getAttribute('data-nip')).toBe(CITRA.nip)
    await fireEvent.keyDown(cari, { key: 'ArrowDown' })
    expect(document.activeElement?.getAttribute('data-nip')).toBe(CITRA.nip)
    await fireEvent.click(container.querySelector('#pegawai-terpilih button')!)
    expect(container.querySelector('#pegawai-terpilih')).toBeNull()
  })

  it('peremajaan data: one pegawai, then the field changes (dates dd-mm-yyyy), then create', async () => {
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#jenis-peremajaan_data')!)
    expect(container.querySelector('#sub-jenis')).toBeNull()
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await cariDanTambah(container, 'budi', BUDI.nip)
    // Choosing another replaces the first: peremajaan data is about one pegawai.
    await cariDanTambah(container, 'citra', CITRA.nip)
    expect([...container.querySelectorAll<HTMLElement>('#pegawai-terpilih [data-nip]')].map((e) => e.dataset.nip)).toEqual([CITRA.nip])
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-perubahan')).not.toBeNull())

    const field = container.querySelector<HTMLSelectElement>('#perubahan-field-0')!
    field.value = 'data_utama.tgl_lahir'
    await fireEvent.change(field)
    await fireEvent.input(container.querySelector('#perubahan-nilai-0')!, { target: { value: '1992-03-04' } })
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    expect(container.querySelector('#galat-perubahan-0')?.textContent).toBe(
      'Tanggal lahir "1992-03-04" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.',
    )
    expect(ipc.usulanBuat).not.toHaveBeenCalled()

    await fireEvent.input(container.querySelector('#perubahan-nilai-0')!, { target: { value: '05-03-1992' } })
    await fireEvent.click(container.querySelector('#tambah-perubahan')!)
    const field1 = container.querySelector<HTMLSelectElement>('#perubahan-field-1')!
    field1.value = 'data_utama.tempat_lahir'
    await fireEvent.change(field1)
    await fireEvent.input(container.querySelector('#perubahan-nilai-1')!, { target: { value: 'Kabupaten Sleman' } })
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    await waitFor(() => expect(ipc.usulanBuat).toHaveBeenCalled())
    expect(ipc.usulanBuat).toHaveBeenCalledWith({
      jenis: 'peremajaan_data',
      sub_jenis: null,
      nip: [CITRA.nip],
      perubahan: [
        ['data_utama.tgl_lahir', '1992-03-05'],
        ['data_utama.tempat_lahir', 'Kabupaten Sleman'],
      ],
      catatan: null,
    })
  })

  it('shows the backend refusal and stays on the form', async () => {
    vi.mocked(ipc.usulanBuat).mockRejectedValue(
      new ipc.GalatIpc({ code: 'ditolak', message: 'Peran Anda tidak mengizinkan membuat usulan (usulan.buat). Hubungi admin instansi.' }),
    )
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#jenis-pencantuman_gelar')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await cariDanTambah(container, 'budi', BUDI.nip)
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    await waitFor(() => expect(container.querySelector('#galat-buat')?.textContent).toMatch(/^Peran Anda tidak mengizinkan/))
    expect(location.hash).toBe('#/usulan/baru')
  })
})
