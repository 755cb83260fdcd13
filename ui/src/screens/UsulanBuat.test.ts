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

  it('pencantuman gelar: one pegawai, then the Gelar step (at least one gelar, trimmed), then create', async () => {
    const DEWI = { ...baris('198807122012012003', 'Dewi Anggraini'), nama_lengkap: 'Dewi Anggraini, S.Kom.' }
    vi.mocked(ipc.pegawaiCari).mockImplementation(async (q: string) =>
      [BUDI, CITRA, DEWI].filter((p) => p.nama.toLowerCase().includes(q.toLowerCase()) || p.nip.startsWith(q)),
    )
    const { container } = await tampil()
    // Two pegawai chosen for a kolektif KP; switching to pencantuman gelar keeps only the first.
    await fireEvent.click(container.querySelector('#jenis-kenaikan_pangkat')!)
    const sub = container.querySelector<HTMLSelectElement>('#sub-jenis')!
    sub.value = '101'
    await fireEvent.change(sub)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await cariDanTambah(container, 'budi', BUDI.nip)
    await cariDanTambah(container, 'citra', CITRA.nip)
    await fireEvent.click(container.querySelector('#kembali-langkah')!)
    await fireEvent.click(container.querySelector('#jenis-pencantuman_gelar')!)
    expect(container.querySelector('#sub-jenis')).toBeNull()
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-pegawai')).not.toBeNull())
    expect(container.querySelector('#langkah-pegawai .ket')?.textContent?.trim()).toBe('Pencantuman gelar diusulkan untuk satu pegawai.')
    const dipilih = () => [...container.querySelectorAll<HTMLElement>('#pegawai-terpilih [data-nip]')].map((e) => e.dataset.nip)
    expect(dipilih()).toEqual([BUDI.nip])
    // Choosing another replaces the first.
    await fireEvent.input(container.querySelector('#cari-pegawai-usulan')!, { target: { value: 'dewi' } })
    await waitFor(() => expect(container.querySelector(`#hasil-pegawai button[data-nip="${DEWI.nip}"]`)).not.toBeNull())
    expect(container.querySelector(`#hasil-pegawai button[data-nip="${DEWI.nip}"] .aksi-hasil`)?.textContent).toBe('Ganti')
    await fireEvent.click(container.querySelector(`#hasil-pegawai button[data-nip="${DEWI.nip}"]`)!)
    expect(dipilih()).toEqual([DEWI.nip])
    expect([...container.querySelectorAll('.langkah li')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1 Jenis usulan', '2 Pegawai', '3 Gelar',
    ])
    expect(container.querySelector('#buat-usulan')).toBeNull()

    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-gelar')).not.toBeNull())
    expect(container.querySelector('#langkah-perubahan')).toBeNull()
    const judul = container.querySelector('#judul-langkah-3')!
    expect(judul.textContent).toBe('3. Gelar')
    expect(document.activeElement).toBe(judul)
    expect(container.querySelector('#gelar-sekarang')?.textContent).toBe(`Nama sekarang: Dewi Anggraini, S.Kom. (NIP ${DEWI.nip})`)
    expect(container.querySelector('#ket-gelar')?.textContent?.replace(/\s+/g, ' ')).toMatch(
      /Gelar baru dicantumkan di data pegawai setelah BKN menyetujui usulan\.$/,
    )
    const depan = container.querySelector<HTMLInputElement>('#gelar-depan-baru')!
    const belakang = container.querySelector<HTMLInputElement>('#gelar-belakang-baru')!
    expect(container.querySelector('label[for="gelar-depan-baru"]')?.textContent).toBe('Gelar depan baru')
    expect(container.querySelector('label[for="gelar-belakang-baru"]')?.textContent).toBe('Gelar belakang baru')
    expect(container.querySelector('#catatan-usulan')).not.toBeNull()

    // Both empty (or blank): an error, focus on the first field, nothing sent.
    await fireEvent.input(depan, { target: { value: '   ' } })
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    const g = container.querySelector('#galat-gelar')!
    expect(g.textContent).toBe('Isi gelar depan atau gelar belakang yang baru.')
    expect(g.getAttribute('role')).toBe('alert')
    for (const i of [depan, belakang]) {
      expect(i.getAttribute('aria-invalid')).toBe('true')
      expect(i.getAttribute('aria-describedby')?.split(' ')).toContain('galat-gelar')
    }
    await waitFor(() => expect(document.activeElement).toBe(depan))
    expect(ipc.usulanBuat).not.toHaveBeenCalled()

    // Only the gelar belakang, trimmed: exactly that change is sent.
    await fireEvent.input(belakang, { target: { value: '  S.T. ' } })
    expect(container.querySelector('#galat-gelar')).toBeNull()
    expect(belakang.getAttribute('aria-invalid')).toBeNull()
    expect(belakang.getAttribute('aria-describedby')).toBe('ket-gelar')
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    await waitFor(() => expect(location.hash).toBe('#/usulan/usulan-baru-1'))
    expect(ipc.usulanBuat).toHaveBeenCalledTimes(1)
    expect(ipc.usulanBuat).toHaveBeenCalledWith({
      jenis: 'pencantuman_gelar',
      sub_jenis: null,
      nip: [DEWI.nip],
      perubahan: [['data_utama.gelar_belakang', 'S.T.']],
      catatan: null,
    })
  })

  it('pencantuman gelar: both gelar are sent, depan first', async () => {
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#jenis-pencantuman_gelar')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await cariDanTambah(container, 'citra', CITRA.nip)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-gelar')).not.toBeNull())
    await fireEvent.input(container.querySelector('#gelar-belakang-baru')!, { target: { value: 'S.Kom., M.T.' } })
    await fireEvent.input(container.querySelector('#gelar-depan-baru')!, { target: { value: ' Dr. ' } })
    await fireEvent.input(container.querySelector('#catatan-usulan')!, { target: { value: 'Lulus S3 2026' } })
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    await waitFor(() => expect(ipc.usulanBuat).toHaveBeenCalled())
    expect(vi.mocked(ipc.usulanBuat).mock.calls[0]![0]).toEqual({
      jenis: 'pencantuman_gelar',
      sub_jenis: null,
      nip: [CITRA.nip],
      perubahan: [
        ['data_utama.gelar_depan', 'Dr.'],
        ['data_utama.gelar_belakang', 'S.Kom., M.T.'],
      ],
      catatan: 'Lulus S3 2026',
    })
  })

  it('has the Gelar step for pencantuman gelar only', async () => {
    const r = referensiContoh()
    r.jenis.push({ kode: 'peninjauan_masa_kerja', nama: 'Peninjauan masa kerja', sub_jenis: [] })
    vi.mocked(ipc.usulanReferensi).mockResolvedValue(r)
    const { container } = await tampil()
    const langkah = () => [...container.querySelectorAll('.langkah li')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim())

    // Another jenis without sub jenis: two steps, created from the Pegawai step with no changes.
    await fireEvent.click(container.querySelector('#jenis-peninjauan_masa_kerja')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-pegawai')).not.toBeNull())
    expect(langkah()).toEqual(['1 Jenis usulan', '2 Pegawai'])
    expect(container.querySelector('#langkah-pegawai .ket')?.textContent?.trim()).toBe(
      'Pilih satu pegawai, atau beberapa untuk usulan kolektif.',
    )
    await cariDanTambah(container, 'budi', BUDI.nip)
    await cariDanTambah(container, 'citra', CITRA.nip)
    expect(container.querySelector('#lanjut-langkah')).toBeNull()

    // Pencantuman gelar: step 3 is Gelar; peremajaan data: step 3 is Perubahan data, without the gelar fields.
    await fireEvent.click(container.querySelector('#kembali-langkah')!)
    await fireEvent.click(container.querySelector('#jenis-pencantuman_gelar')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-pegawai')).not.toBeNull())
    expect(langkah()).toEqual(['1 Jenis usulan', '2 Pegawai', '3 Gelar'])
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-gelar')).not.toBeNull())
    await fireEvent.click(container.querySelector('#kembali-langkah')!)
    await fireEvent.click(container.querySelector('#kembali-langkah')!)
    await fireEvent.click(container.querySelector('#jenis-peremajaan_data')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-pegawai')).not.toBeNull())
    expect(langkah()).toEqual(['1 Jenis usulan', '2 Pegawai', '3 Perubahan data'])
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-perubahan')).not.toBeNull())
    expect(container.querySelector('#judul-langkah-3')?.textContent).toBe('3. Perubahan data')
    expect(container.querySelector('#langkah-gelar, #gelar-depan-baru, #gelar-belakang-baru')).toBeNull()
    expect(ipc.usulanBuat).not.toHaveBeenCalled()
  })

  it('shows the backend refusal and stays on the form', async () => {
    vi.mocked(ipc.usulanBuat).mockRejectedValue(
      new ipc.GalatIpc({ code: 'ditolak', message: 'Peran Anda tidak mengizinkan membuat usulan (usulan.buat). Hubungi admin instansi.' }),
    )
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#jenis-pencantuman_gelar')!)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await cariDanTambah(container, 'budi', BUDI.nip)
    await fireEvent.click(container.querySelector('#lanjut-langkah')!)
    await waitFor(() => expect(container.querySelector('#langkah-gelar')).not.toBeNull())
    await fireEvent.input(container.querySelector('#gelar-depan-baru')!, { target: { value: 'Ir.' } })
    await fireEvent.click(container.querySelector('#buat-usulan')!)
    await waitFor(() => expect(container.querySelector('#galat-buat')?.textContent).toMatch(/^Peran Anda tidak mengizinkan/))
    expect(location.hash).toBe('#/usulan/baru')
  })
})
