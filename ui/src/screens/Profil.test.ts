import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import { profilContoh, status } from '../test/contoh'
import Profil from './Profil.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  profil: vi.fn(),
  kontakUbah: vi.fn(),
  sinkronStatus: vi.fn(),
  riwayatPerubahanPegawai: vi.fn(),
}))

beforeEach(() => {
  vi.mocked(ipc.profil).mockResolvedValue(profilContoh())
  vi.mocked(ipc.kontakUbah).mockReset()
  vi.mocked(ipc.sinkronStatus).mockResolvedValue(status())
})

async function tampil(dok: number | null = null) {
  const r = render(Profil, { nip: '198503152010011002', dok })
  await waitFor(() => expect(r.container.querySelector('#profil-nama')).not.toBeNull())
  return r
}

describe('Profil', () => {
  it('shows nama with gelar, NIP, dates dd-mm-yyyy and IKD explanations', async () => {
    const { container } = await tampil()
    expect(container.querySelector('#profil-nama')?.textContent).toBe('Dr. Budi Santoso, S.T., M.Kom.')
    expect(container.querySelector('#profil-nip')?.textContent).toBe('198503152010011002')
    expect(container.textContent).toContain('01-04-2043')
    expect(container.querySelector('#belum-terkirim')).toBeNull()
    expect(container.querySelector('#catat-verifikasi-lapangan')?.getAttribute('href')).toBe(
      '#/verifikasi-lapangan/baru?nip=198503152010011002',
    )
  })

  it('shows each IKD anomaly with its indicator name and the stored explanation', async () => {
    const { container } = await tampil()
    const ikd = container.querySelector('#judul-ikd')!.parentElement!
    expect(ikd.textContent).toContain('TIM_3')
    expect(ikd.textContent).toContain('Masa kerja golongan tidak wajar')
    expect(ikd.textContent).toContain('TMT golongan III/b 2019-04-01 lebih awal dari TMT CPNS 2020-01-01.')
  })

  it('asks for the document named by the link, and edits that same document', async () => {
    vi.mocked(ipc.kontakUbah).mockResolvedValue(profilContoh({ belum_terkirim: 1 }))
    const { container } = await tampil(42)
    expect(ipc.profil).toHaveBeenLastCalledWith('198503152010011002', 42)
    await fireEvent.click(container.querySelector('#ubah-kontak')!)
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    await waitFor(() => expect(container.querySelector('#belum-terkirim')).not.toBeNull())
    expect(ipc.kontakUbah).toHaveBeenCalledWith('198503152010011002', 42, '081234567890', 'budi@bkd.go.id')
  })

  it('switches tabs with the arrow keys', async () => {
    const { container } = await tampil()
    const utama = container.querySelector<HTMLElement>('#tab-data-utama')!
    expect(utama.getAttribute('aria-selected')).toBe('true')
    await fireEvent.keyDown(utama, { key: 'ArrowRight' })
    const gol = container.querySelector<HTMLElement>('#tab-golongan')!
    expect(gol.getAttribute('aria-selected')).toBe('true')
    expect(container.querySelector('[role=tabpanel]')?.textContent).toContain('01-04-2019')
  })

  it('has a Riwayat perubahan tab, last, that loads the audit trail of the document shown', async () => {
    vi.mocked(ipc.riwayatPerubahanPegawai).mockResolvedValue({ total: 1, terpotong: false, perubahan: [
      { hash: 'c1', waktu: '2026-11-30T03:45:00Z', sumber: 'perangkat_lain', oleh: '198911222014032005', nip: '198911222014032005',
        perangkat: 'PC Verifikator', aktor: '9f8e', pesan: 'ubah kontak (no HP, email)', pertama: false, field_lainnya: 0,
        field: [{ path: 'data_utama.no_hp', field: 'Nomor HP', sebelum: '081234567890', sesudah: '081298765432' }] },
    ] })
    const { container } = await tampil(42)
    expect(ipc.riwayatPerubahanPegawai).not.toHaveBeenCalled()
    await fireEvent.keyDown(container.querySelector<HTMLElement>('#tab-data-utama')!, { key: 'End' })
    const tab = container.querySelector<HTMLElement>('#tab-riwayat-perubahan')!
    expect(tab.getAttribute('aria-selected')).toBe('true')
    expect(document.activeElement).toBe(tab)
    await waitFor(() => expect(container.querySelector('#profil-riwayat-perubahan li')).not.toBeNull())
    expect(ipc.riwayatPerubahanPegawai).toHaveBeenCalledWith('198503152010011002', 42)
    const panel = container.querySelector('#panel-riwayat-perubahan')!
    expect(panel.getAttribute('aria-labelledby')).toBe('tab-riwayat-perubahan')
    expect(panel.textContent).toContain('PC Verifikator')
    expect(panel.textContent).toContain('081298765432')
    await fireEvent.keyDown(tab, { key: 'Home' })
    expect(container.querySelector('#tab-data-utama')?.getAttribute('aria-selected')).toBe('true')
  })

  it('reloads the Riwayat perubahan tab when a kontak saved while it is open changes the profile', async () => {
    const baris = (hash: string, sesudah: string) => ({
      hash, waktu: '2026-11-30T03:45:00Z', sumber: 'perangkat_ini' as const, oleh: '198911222014032005',
      nip: '198911222014032005', perangkat: 'perangkat ini', aktor: '0101', pesan: 'ubah kontak (no HP, email)',
      pertama: false, field_lainnya: 0,
      field: [{ path: 'data_utama.no_hp', field: 'Nomor HP', sebelum: '081234567890', sesudah }],
    })
    vi.mocked(ipc.riwayatPerubahanPegawai).mockReset()
    vi.mocked(ipc.riwayatPerubahanPegawai)
      .mockResolvedValueOnce({ total: 1, terpotong: false, perubahan: [baris('c1', '081200000001')] })
      .mockResolvedValueOnce({ total: 2, terpotong: false, perubahan: [baris('c2', '081298765432'), baris('c1', '081200000001')] })
    vi.mocked(ipc.kontakUbah).mockResolvedValue(
      profilContoh({ kontak: { no_hp: '081298765432', email: 'budi@bkd.go.id' }, belum_terkirim: 1 }),
    )
    const { container } = await tampil()
    await fireEvent.keyDown(container.querySelector<HTMLElement>('#tab-data-utama')!, { key: 'End' })
    await waitFor(() => expect(container.querySelectorAll('#profil-riwayat-perubahan li').length).toBeGreaterThan(0))
    expect(ipc.riwayatPerubahanPegawai).toHaveBeenCalledTimes(1)
    expect(container.querySelector('#panel-riwayat-perubahan')?.textContent).not.toContain('081298765432')

    await fireEvent.click(container.querySelector('#ubah-kontak')!)
    await fireEvent.input(container.querySelector('#no-hp')!, { target: { value: '081298765432' } })
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    await waitFor(() => expect(ipc.riwayatPerubahanPegawai).toHaveBeenCalledTimes(2))
    await waitFor(() => expect(container.querySelector('#panel-riwayat-perubahan')?.textContent).toContain('081298765432'))
    expect(container.querySelector('#tab-riwayat-perubahan')?.getAttribute('aria-selected')).toBe('true')
  })

  it('validates the kontak form before saving', async () => {
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#ubah-kontak')!)
    const hp = container.querySelector<HTMLInputElement>('#no-hp')!
    await fireEvent.input(hp, { target: { value: '08ab' } })
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    expect(container.querySelector('#galat-no-hp')?.textContent).toBe(
      'Nomor HP "08ab" tidak sah: tulis angka saja, diawali 08 atau +628, 10–15 digit.',
    )
    expect(hp.getAttribute('aria-invalid')).toBe('true')
    expect(ipc.kontakUbah).not.toHaveBeenCalled()
  })

  it('saves offline and shows the belum terkirim badge', async () => {
    vi.mocked(ipc.kontakUbah).mockResolvedValue(
      profilContoh({ kontak: { no_hp: '081298765432', email: 'budi@bkd.go.id' }, belum_terkirim: 1 }),
    )
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#ubah-kontak')!)
    await fireEvent.input(container.querySelector('#no-hp')!, { target: { value: '081298765432' } })
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    await waitFor(() => expect(container.querySelector('#belum-terkirim')).not.toBeNull())
    expect(ipc.kontakUbah).toHaveBeenCalledWith('198503152010011002', null, '081298765432', 'budi@bkd.go.id')
    expect(container.textContent).toContain('081298765432')
  })

  it('puts a backend validation error under the field its message starts with', async () => {
    // An email value that mentions "nomor" and "hp" must still land under Email (the prefix decides).
    vi.mocked(ipc.kontakUbah).mockRejectedValueOnce(
      new ipc.GalatIpc({ code: 'masukan_tidak_sah', message: 'Email "nomor.hp@x.co" tidak sah: tulis alamat seperti nama@contoh.go.id.' }),
    )
    const { container } = await tampil()
    await fireEvent.click(container.querySelector('#ubah-kontak')!)
    await fireEvent.input(container.querySelector('#email')!, { target: { value: 'nomor.hp@x.co' } })
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    await waitFor(() => expect(container.querySelector('#galat-email')?.textContent).toMatch(/^Email "nomor.hp@x.co" tidak sah/))
    expect(container.querySelector('#galat-no-hp')).toBeNull()

    vi.mocked(ipc.kontakUbah).mockRejectedValueOnce(
      new ipc.GalatIpc({ code: 'masukan_tidak_sah', message: 'Nomor HP "081234567890" tidak sah: tulis angka saja, diawali 08 atau +628, 10–15 digit.' }),
    )
    await fireEvent.input(container.querySelector('#email')!, { target: { value: 'budi@bkd.go.id' } })
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    await waitFor(() => expect(container.querySelector('#galat-no-hp')?.textContent).toMatch(/^Nomor HP /))
    expect(container.querySelector('#galat-email')).toBeNull()

    // Anything else (a corrupt document, …) goes to the form's own message.
    vi.mocked(ipc.kontakUbah).mockRejectedValueOnce(
      new ipc.GalatIpc({ code: 'replika', message: 'Data pegawai ini rusak di perangkat; sinkronkan untuk memperbaikinya dari hub.' }),
    )
    await fireEvent.click(container.querySelector('#simpan-kontak')!)
    await waitFor(() => expect(container.querySelector('form [role=alert]')?.textContent).toMatch(/rusak di perangkat/))
    expect(container.querySelector('#galat-no-hp')).toBeNull()
  })
})
