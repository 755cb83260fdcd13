import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import type { HalamanPengingat, Hitung, PengingatView } from '../ipc'
import { aturUlangPengingatKini } from '../lib/pengingat.svelte'
import { setelSesi } from '../lib/sesi.svelte'
import Pengingat from './Pengingat.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  pengingatDaftar: vi.fn(),
  pengingatTandai: vi.fn(),
  unorPohon: vi.fn(),
}))

const SAYA = '199001012015031001'
const NIP_A = '197603012006012005'
const NIP_B = '198211172009031002'

function pengingat(over: Partial<PengingatView> = {}): PengingatView {
  return {
    nip: NIP_A, rowid: 41, nama: 'Dra. Siti Aminah, M.Pd.', unor_nama: 'SD Negeri 1 Sukamaju', golongan: 'III/d',
    jabatan_nama: 'Guru Ahli Muda', tanggal: '2027-04-01', tanggal_kunci: '2027-04-01', keterangan: 'III/d → IV/a',
    kunci: 'kp-2027-04-01', status: 'aktif', status_nama: 'Aktif', tindak_lanjut: null,
    ...over,
  }
}

const TERLAMBAT = pengingat({
  nip: NIP_B, rowid: 42, nama: 'Budi Santoso, S.T., M.T.', unor_nama: 'Dinas PUPR', golongan: 'III/b',
  jabatan_nama: 'Teknik Jalan dan Jembatan Ahli Pertama', tanggal: '2027-01-01', tanggal_kunci: '2026-06-01',
  keterangan: 'III/b → III/c', kunci: 'kp-2026-06-01', status: 'kedaluwarsa', status_nama: 'Kedaluwarsa',
})

const DITANGANI = pengingat({
  nip: '196812101990032001', rowid: 43, nama: 'Hj. Nur Hidayati, S.Sos.', golongan: 'IV/a', tanggal: '2027-05-01',
  tanggal_kunci: '2027-05-01', keterangan: 'IV/a → IV/b', kunci: 'kp-2027-05-01', status: 'ditangani',
  status_nama: 'Ditangani',
  tindak_lanjut: { status: 'ditangani', status_nama: 'Ditangani', catatan: 'Usulan sudah diajukan ke BKN.', oleh: SAYA,
    waktu: '2026-11-30T03:00:00Z' },
})

function hitung(aktif = 5, kedaluwarsa = 2, ditangani = 3, tidakPerlu = 1): Hitung[] {
  return [
    { kunci: 'aktif', label: 'Aktif', jumlah: aktif },
    { kunci: 'kedaluwarsa', label: 'Kedaluwarsa', jumlah: kedaluwarsa },
    { kunci: 'ditangani', label: 'Ditangani', jumlah: ditangani },
    { kunci: 'tidak_perlu', label: 'Tidak perlu', jumlah: tidakPerlu },
  ]
}

function halaman(baris: PengingatView[], over: Partial<HalamanPengingat> = {}): HalamanPengingat {
  return { baris, per_status: hitung(), berikut: null, bulan: 12, boleh_tandai: true, ...over }
}

const SEMUA_KP = { jenis: 'kp', bulan: 12, status: null, unor: null }

function tr(container: HTMLElement, r: PengingatView): HTMLElement {
  return container.querySelector<HTMLElement>(`tr[data-pengingat="${r.rowid}/${r.kunci}"]`)!
}

beforeEach(() => {
  aturUlangPengingatKini()
  setelSesi({ masuk: true, nip: SAYA, nama: 'Siti Aminah, S.Kom.', instansi_nama: 'Pemerintah Kabupaten Contoh',
    peran: ['operator'], luring_sampai: null, perlu_masuk_ulang: false, issuer: null })
  vi.mocked(ipc.unorPohon).mockResolvedValue([
    { id: 'ROOT', nama: 'Pemerintah Kabupaten Contoh', induk_id: null, jumlah: 3 },
    { id: 'DIK', nama: 'Dinas Pendidikan', induk_id: 'ROOT', jumlah: 2 },
  ])
})
afterEach(() => vi.clearAllMocks())

describe('Pengingat: list', () => {
  it('starts on KP for 12 months and shows the rows with dd-mm-yyyy dates, golongan, keterangan and state', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([TERLAMBAT, pengingat(), DITANGANI]))
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelectorAll('#daftar-pengingat tr[data-pengingat]')).toHaveLength(3))
    expect(ipc.pengingatDaftar).toHaveBeenCalledWith(SEMUA_KP, null, 100)
    expect(container.querySelector('#tab-pengingat-kp')?.getAttribute('aria-selected')).toBe('true')
    expect(container.querySelector<HTMLSelectElement>('#filter-pengingat-bulan')?.value).toBe('12')

    const a = tr(container, pengingat())
    const nama = a.querySelector<HTMLAnchorElement>('a.nama')!
    expect(nama.textContent).toBe('Dra. Siti Aminah, M.Pd.')
    expect(nama.getAttribute('href')).toBe(`#/pegawai/${NIP_A}?dok=41`)
    expect(a.querySelector('.nip')?.textContent).toBe(NIP_A)
    expect(a.querySelector('.golongan')?.textContent).toBe('III/d')
    expect(a.querySelector('.tanggal .tgl')?.textContent).toBe('01-04-2027')
    expect(a.querySelector('.jatuh-tempo')).toBeNull()
    expect(a.querySelector('.keterangan')?.textContent).toBe('III/d → IV/a')
    expect(a.querySelector('.label.status')?.textContent).toBe('Aktif')

    // A KP left unhandled past its first period: marked, with the date it fell due.
    const b = tr(container, TERLAMBAT)
    expect(b.classList.contains('kedaluwarsa')).toBe(true)
    expect(b.querySelector('.label.status')?.classList.contains('merah')).toBe(true)
    expect(b.querySelector('.label.status')?.textContent).toContain('Kedaluwarsa')
    expect(b.querySelector('.tanggal .tgl')?.textContent).toBe('01-01-2027')
    expect(b.querySelector('.jatuh-tempo')?.textContent).toBe('jatuh tempo 01-06-2026')

    // A recorded follow-up: who (the signed-in officer is "Anda"), when, the note; only "Batalkan" is offered.
    const c = tr(container, DITANGANI)
    expect(c.querySelector('.tindak-lanjut .oleh')?.textContent).toBe('oleh Anda')
    expect(c.querySelector('.tindak-lanjut .waktu')?.textContent).toMatch(/^30-11-2026 \d\d:\d\d$/)
    expect(c.querySelector('.tindak-lanjut .catatan')?.textContent).toBe('Usulan sudah diajukan ke BKN.')
    expect(c.querySelector('button.batalkan')).not.toBeNull()
    expect(c.querySelector('button.tandai-ditangani')).toBeNull()
    expect(a.querySelector('button.tandai-ditangani')).not.toBeNull()
    expect(a.querySelector('button.tandai-tidak-perlu')).not.toBeNull()
    expect(a.querySelector('button.batalkan')).toBeNull()

    // Counts per state, "Semua" their sum; shown / total.
    expect(container.querySelector('label:has(#status-pengingat-semua)')?.textContent).toContain('(11)')
    expect(container.querySelector('label:has(#status-pengingat-kedaluwarsa)')?.textContent).toContain('Kedaluwarsa (2)')
    expect(container.querySelector('label:has(#status-pengingat-tidak_perlu)')?.textContent).toContain('Tidak perlu (1)')
    expect(container.querySelector('#jumlah-pengingat')?.textContent).toMatch(/^3 dari 11\s+pengingat ditampilkan$/)
  })

  it('switches the jenis passed to the backend with the tabs, by click and by arrow keys', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([pengingat()]))
    const { container } = render(Pengingat)
    await waitFor(() => expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(1))
    await fireEvent.click(container.querySelector('#tab-pengingat-bup')!)
    await waitFor(() => expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall).toEqual([{ ...SEMUA_KP, jenis: 'bup' }, null, 100])
    expect(container.querySelector('#tab-pengingat-bup')?.getAttribute('aria-selected')).toBe('true')
    expect(container.querySelector('#tab-pengingat-kp')?.getAttribute('aria-selected')).toBe('false')
    expect(container.querySelector('#panel-pengingat')?.getAttribute('aria-labelledby')).toBe('tab-pengingat-bup')

    const bup = container.querySelector<HTMLElement>('#tab-pengingat-bup')!
    bup.focus()
    await fireEvent.keyDown(bup, { key: 'ArrowRight' })
    await waitFor(() => expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall?.[0].jenis).toBe('kgb'))
    await waitFor(() => expect(document.activeElement?.id).toBe('tab-pengingat-kgb'))
    await fireEvent.keyDown(document.activeElement!, { key: 'Home' })
    await waitFor(() => expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall?.[0].jenis).toBe('kp'))
    // Clicking the tab already shown asks nothing again.
    const sebelum = vi.mocked(ipc.pengingatDaftar).mock.calls.length
    await fireEvent.click(container.querySelector('#tab-pengingat-kp')!)
    expect(vi.mocked(ipc.pengingatDaftar).mock.calls.length).toBe(sebelum)
  })

  it('filters by state, horizon and unit, and offers every state again when a state has none', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValueOnce(halaman([pengingat(), TERLAMBAT]))
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([TERLAMBAT]))
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelectorAll('tr[data-pengingat]')).toHaveLength(2))
    await fireEvent.click(container.querySelector('#status-pengingat-kedaluwarsa')!)
    await waitFor(() => expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall?.[0]).toEqual({ ...SEMUA_KP, status: 'kedaluwarsa' }))
    await waitFor(() => expect(container.querySelectorAll('tr[data-pengingat]')).toHaveLength(1))
    expect(container.querySelector('#jumlah-pengingat')?.textContent).toMatch(/^1 dari 2\s+pengingat/)

    const bulan = container.querySelector<HTMLSelectElement>('#filter-pengingat-bulan')!
    expect([...bulan.options].map((o) => o.textContent)).toEqual(['3 bulan ke depan', '6 bulan ke depan', '12 bulan ke depan'])
    bulan.value = '3'
    await fireEvent.change(bulan)
    await waitFor(() => expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall?.[0]).toEqual({ ...SEMUA_KP, bulan: 3, status: 'kedaluwarsa' }))

    await waitFor(() => expect(container.querySelector('#filter-pengingat-unor option[value="DIK"]')).not.toBeNull())
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([], { per_status: hitung(0, 0, 0, 0) }))
    const unor = container.querySelector<HTMLSelectElement>('#filter-pengingat-unor')!
    unor.value = 'DIK'
    await fireEvent.change(unor)
    await waitFor(() =>
      expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall?.[0]).toEqual({ jenis: 'kp', bulan: 3, status: 'kedaluwarsa', unor: 'DIK' }),
    )
    await waitFor(() => expect(container.querySelector('#pengingat-kosong')).not.toBeNull())
    expect(container.querySelector('#pengingat-kosong')?.textContent).toContain(
      'Tidak ada pengingat kenaikan pangkat berstatus "kedaluwarsa" dalam 3 bulan ke depan di unit ini.',
    )
    await fireEvent.click(container.querySelector('#pengingat-kosong button')!)
    await waitFor(() =>
      expect(vi.mocked(ipc.pengingatDaftar).mock.lastCall?.[0]).toEqual({ jenis: 'kp', bulan: 3, status: null, unor: 'DIK' }),
    )
    expect(container.querySelector<HTMLInputElement>('#status-pengingat-semua')?.checked).toBe(true)
  })

  it('loads the next page with the cursor the backend gave ("Muat lebih banyak")', async () => {
    const kursor = { tanggal: '2027-04-01', nama: 'Siti Aminah', rowid: 41 }
    vi.mocked(ipc.pengingatDaftar)
      .mockResolvedValueOnce(halaman([pengingat()], { berikut: kursor }))
      .mockResolvedValueOnce(halaman([DITANGANI]))
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelector('#muat-lebih-pengingat')).not.toBeNull())
    await fireEvent.click(container.querySelector('#muat-lebih-pengingat')!)
    await waitFor(() => expect(container.querySelectorAll('tr[data-pengingat]')).toHaveLength(2))
    expect(vi.mocked(ipc.pengingatDaftar).mock.calls[1]).toEqual([SEMUA_KP, kursor, 100])
    expect(container.querySelector('#muat-lebih-pengingat')).toBeNull()
  })

  it('moves between rows with the arrow keys', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([TERLAMBAT, pengingat(), DITANGANI]))
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelectorAll('a.nama')).toHaveLength(3))
    const [a, b, c] = [...container.querySelectorAll<HTMLElement>('a.nama')]
    a!.focus()
    await fireEvent.keyDown(a!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(b)
    await fireEvent.keyDown(b!, { key: 'End' })
    expect(document.activeElement).toBe(c)
    await fireEvent.keyDown(c!, { key: 'ArrowUp' })
    expect(document.activeElement).toBe(b)
  })

  it('hides the actions when the officer may not record follow-ups', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([pengingat(), DITANGANI], { boleh_tandai: false }))
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelectorAll('tr[data-pengingat]')).toHaveLength(2))
    expect(container.querySelector('button.tandai-ditangani, button.tandai-tidak-perlu, button.batalkan')).toBeNull()
    expect(container.querySelector('td.aksi')).toBeNull()
    expect([...container.querySelectorAll('#daftar-pengingat th')].map((th) => th.textContent)).toEqual([
      'Nama / NIP', 'Unor', 'Golongan', 'Tanggal', 'Keterangan', 'Status', 'Tindak lanjut',
    ])
    expect(container.querySelector('#pengingat-hanya-baca')).not.toBeNull()
    // What was recorded is still shown.
    expect(tr(container, DITANGANI).querySelector('.tindak-lanjut .catatan')?.textContent).toBe('Usulan sudah diajukan ke BKN.')
  })

  it('shows a list error with "Coba lagi"', async () => {
    vi.mocked(ipc.pengingatDaftar)
      .mockRejectedValueOnce(new ipc.GalatIpc({ code: 'replika', message: 'Replika tidak dapat dibaca. Tutup aplikasi lalu buka lagi.' }))
      .mockResolvedValueOnce(halaman([pengingat()]))
    const { container, getByRole } = render(Pengingat)
    await waitFor(() => expect(getByRole('alert').textContent).toContain('Replika tidak dapat dibaca.'))
    await fireEvent.click(getByRole('button', { name: 'Coba lagi' }))
    await waitFor(() => expect(container.querySelectorAll('tr[data-pengingat]')).toHaveLength(1))
  })
})

describe('Pengingat: follow-up', () => {
  it('marks a row handled with a note, calls pengingat_tandai with the row, and reloads the page and counts', async () => {
    const tercatat = {
      status: 'ditangani', status_nama: 'Ditangani', catatan: 'Usulan KP sudah diajukan.', oleh: SAYA, waktu: '2026-12-03T02:00:00Z',
    }
    vi.mocked(ipc.pengingatDaftar)
      .mockResolvedValueOnce(halaman([TERLAMBAT, pengingat()]))
      .mockResolvedValueOnce(halaman([TERLAMBAT, pengingat({ status: 'ditangani', status_nama: 'Ditangani', tindak_lanjut: tercatat })],
        { per_status: hitung(4, 2, 4, 1) }))
    vi.mocked(ipc.pengingatTandai).mockResolvedValue(tercatat)
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelectorAll('tr[data-pengingat]')).toHaveLength(2))

    const baris = tr(container, pengingat())
    const tombol = baris.querySelector<HTMLButtonElement>('button.tandai-ditangani')!
    expect(tombol.getAttribute('aria-label')).toBe('Tandai ditangani: Dra. Siti Aminah, M.Pd.')
    await fireEvent.click(tombol)
    await waitFor(() => expect(document.activeElement?.id).toBe('catatan-tindak-lanjut'))
    expect(tombol.getAttribute('aria-expanded')).toBe('true')
    // The form sits right under its row.
    expect(baris.nextElementSibling?.querySelector('#form-tindak-lanjut')).not.toBeNull()
    await fireEvent.input(container.querySelector('#catatan-tindak-lanjut')!, { target: { value: '  Usulan KP sudah diajukan.  ' } })
    expect(container.querySelector('#catatan-tindak-lanjut-sisa')?.textContent?.trim()).toBe('Sisa 475 karakter')
    await fireEvent.submit(container.querySelector('#form-tindak-lanjut')!)

    await waitFor(() => expect(ipc.pengingatTandai).toHaveBeenCalledTimes(1))
    expect(ipc.pengingatTandai).toHaveBeenCalledWith(NIP_A, 41, 'kp-2027-04-01', 'ditangani', 'Usulan KP sudah diajukan.')
    await waitFor(() => expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.pengingatDaftar).mock.calls[1]).toEqual([SEMUA_KP, null, 100])
    await waitFor(() => expect(tr(container, pengingat()).querySelector('.label.status')?.textContent).toBe('Ditangani'))
    expect(container.querySelector('#form-tindak-lanjut')).toBeNull()
    expect(container.querySelector('label:has(#status-pengingat-ditangani)')?.textContent).toContain('(4)')
    expect(container.querySelector('#pesan-pengingat')?.textContent).toBe(
      'Pengingat Dra. Siti Aminah, M.Pd. ditandai ditangani. Tersimpan di perangkat ini dan terkirim ke hub saat sinkronisasi.',
    )
    // Focus stays on the row: its action is now "Batalkan".
    await waitFor(() => expect(document.activeElement?.classList.contains('batalkan')).toBe(true))
  })

  it('marks "Tidak perlu" without a note (sent as null), and Esc closes the form back to its button', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([TERLAMBAT]))
    vi.mocked(ipc.pengingatTandai).mockResolvedValue({
      status: 'tidak_perlu', status_nama: 'Tidak perlu', catatan: null, oleh: SAYA, waktu: '2026-12-03T02:00:00Z',
    })
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelector('button.tandai-tidak-perlu')).not.toBeNull())
    const tombol = container.querySelector<HTMLButtonElement>('button.tandai-tidak-perlu')!
    await fireEvent.click(tombol)
    await waitFor(() => expect(document.activeElement?.id).toBe('catatan-tindak-lanjut'))
    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' })
    expect(container.querySelector('#form-tindak-lanjut')).toBeNull()
    expect(document.activeElement).toBe(tombol)
    expect(ipc.pengingatTandai).not.toHaveBeenCalled()

    await fireEvent.click(tombol)
    expect(container.querySelector('#simpan-tindak-lanjut')?.textContent?.trim()).toBe('Tandai tidak perlu')
    await fireEvent.input(container.querySelector('#catatan-tindak-lanjut')!, { target: { value: '   ' } })
    await fireEvent.submit(container.querySelector('#form-tindak-lanjut')!)
    await waitFor(() =>
      expect(ipc.pengingatTandai).toHaveBeenCalledWith(NIP_B, 42, 'kp-2026-06-01', 'tidak_perlu', null),
    )
    await waitFor(() => expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(2))
  })

  it('refuses a note over 500 characters before sending', async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([pengingat()]))
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelector('button.tandai-ditangani')).not.toBeNull())
    await fireEvent.click(container.querySelector('button.tandai-ditangani')!)
    await fireEvent.input(container.querySelector('#catatan-tindak-lanjut')!, { target: { value: 'é'.repeat(501) } })
    expect(container.querySelector('#catatan-tindak-lanjut-sisa')?.textContent?.trim()).toBe('Lebih 1 karakter')
    await fireEvent.submit(container.querySelector('#form-tindak-lanjut')!)
    expect(container.querySelector('#galat-catatan-tindak-lanjut')?.textContent).toBe(
      'Catatan terlalu panjang: 501 karakter, paling banyak 500. Ringkas catatannya.',
    )
    expect(container.querySelector('#catatan-tindak-lanjut')?.getAttribute('aria-invalid')).toBe('true')
    expect(ipc.pengingatTandai).not.toHaveBeenCalled()
  })

  it("keeps the form open with the backend's refusal", async () => {
    vi.mocked(ipc.pengingatDaftar).mockResolvedValue(halaman([pengingat()]))
    vi.mocked(ipc.pengingatTandai).mockRejectedValue(
      new ipc.GalatIpc({ code: 'ditolak', message: 'Peran Anda tidak berwenang mencatat tindak lanjut pengingat (perlu pegawai.ubah).' }),
    )
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelector('button.tandai-ditangani')).not.toBeNull())
    await fireEvent.click(container.querySelector('button.tandai-ditangani')!)
    await fireEvent.submit(container.querySelector('#form-tindak-lanjut')!)
    await waitFor(() => expect(container.querySelector('#galat-tindak-lanjut')?.textContent).toMatch(/tidak berwenang/))
    expect(container.querySelector('#form-tindak-lanjut')).not.toBeNull()
    expect(container.querySelector<HTMLButtonElement>('#simpan-tindak-lanjut')?.disabled).toBe(false)
    expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(1)
  })

  it('takes a follow-up back ("Batalkan") with status null and reloads; a refusal shows above the list', async () => {
    vi.mocked(ipc.pengingatDaftar)
      .mockResolvedValueOnce(halaman([DITANGANI]))
      .mockResolvedValueOnce(halaman([pengingat({ ...DITANGANI, status: 'aktif', status_nama: 'Aktif', tindak_lanjut: null })]))
    vi.mocked(ipc.pengingatTandai)
      .mockRejectedValueOnce(new ipc.GalatIpc({ code: 'tidak_ditemukan', message: 'Pegawai dengan NIP 196812101990032001 tidak ada di replika.' }))
      .mockResolvedValueOnce(null)
    const { container } = render(Pengingat)
    await waitFor(() => expect(container.querySelector('button.batalkan')).not.toBeNull())
    await fireEvent.click(container.querySelector('button.batalkan')!)
    await waitFor(() => expect(container.querySelector('#galat-pengingat')?.textContent).toMatch(/tidak ada di replika/))
    expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(1)

    await fireEvent.click(container.querySelector('button.batalkan')!)
    await waitFor(() => expect(ipc.pengingatDaftar).toHaveBeenCalledTimes(2))
    expect(vi.mocked(ipc.pengingatTandai).mock.lastCall).toEqual(['196812101990032001', 43, 'kp-2027-05-01', null, null])
    await waitFor(() => expect(container.querySelector('button.tandai-ditangani')).not.toBeNull())
    expect(container.querySelector('#galat-pengingat')).toBeNull()
    expect(container.querySelector('#pesan-pengingat')?.textContent).toMatch(/tindak lanjutnya dibatalkan/)
  })
})
