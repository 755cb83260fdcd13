import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import Masuk from './Masuk.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  masukMulai: vi.fn(),
  masukTunggu: vi.fn(),
  bukaTautanMasuk: vi.fn(),
  sesi: vi.fn(),
}))

const URL_MASUK = 'https://sso.contoh.go.id/auth?client_id=luring-desktop&state=abc'

const BELUM: ipc.SesiView = {
  masuk: false, nip: null, nama: null, instansi_nama: null, peran: [], luring_sampai: null, perlu_masuk_ulang: false, issuer: null,
}
const SUDAH: ipc.SesiView = { ...BELUM, masuk: true, nip: '1', nama: 'Budi', instansi_nama: 'BKD' }

beforeEach(() => {
  vi.mocked(ipc.masukMulai).mockReset()
  vi.mocked(ipc.masukTunggu).mockReset()
  vi.mocked(ipc.bukaTautanMasuk).mockReset()
  vi.mocked(ipc.sesi).mockReset()
  vi.mocked(ipc.sesi).mockResolvedValue(BELUM)
  location.hash = '#/masuk'
})

describe('Masuk', () => {
  it('shows the error and what to do for its code, with a link to Pengaturan', async () => {
    vi.mocked(ipc.masukMulai).mockRejectedValue(
      new ipc.GalatIpc({ code: 'konfigurasi', message: 'Alamat SSO belum diatur.' }),
    )
    const { container } = render(Masuk)
    await fireEvent.click(screen.getByRole('button', { name: 'Masuk dengan SSO ASN' }))
    await waitFor(() => expect(container.querySelector('#galat-masuk')?.textContent).toMatch(/Alamat SSO belum diatur/))
    const galat = container.querySelector('#galat-masuk')!
    expect(galat.textContent).toMatch(/Periksa alamat hub dan penerbit SSO di Pengaturan/)
    expect(galat.querySelector('a[href="#/pengaturan"]')).not.toBeNull()
    expect((container.querySelector('#masuk-sso') as HTMLButtonElement).disabled).toBe(false)
  })

  it('explains a refusal without sending the officer to Pengaturan', async () => {
    vi.mocked(ipc.masukMulai).mockResolvedValue({ url: URL_MASUK })
    vi.mocked(ipc.masukTunggu).mockRejectedValue(new ipc.GalatIpc({ code: 'ditolak', message: 'Hub menolak akun ini.' }))
    const { container } = render(Masuk)
    await fireEvent.click(screen.getByRole('button', { name: 'Masuk dengan SSO ASN' }))
    await waitFor(() => expect(container.querySelector('#galat-masuk')?.textContent).toMatch(/Hub menolak akun ini/))
    expect(container.querySelector('#galat-masuk')?.textContent).toMatch(/Hubungi admin kepegawaian/)
    expect(container.querySelector('#galat-masuk a[href="#/pengaturan"]')).toBeNull()
    expect(ipc.sesi).toHaveBeenCalled()
  })

  it('shows the sign-in URL as selectable text with a button that opens it again, then goes to Beranda', async () => {
    let selesai!: (v: ipc.SesiView) => void
    vi.mocked(ipc.masukMulai).mockResolvedValue({ url: URL_MASUK })
    vi.mocked(ipc.masukTunggu).mockReturnValue(new Promise((r) => (selesai = r)))
    vi.mocked(ipc.bukaTautanMasuk).mockResolvedValue(null)
    const { container } = render(Masuk)
    const tombol = screen.getByRole('button', { name: 'Masuk dengan SSO ASN' })
    expect(tombol.id).toBe('masuk-sso')
    await fireEvent.click(tombol)
    await waitFor(() => expect(container.querySelector('#tautan-masuk')?.textContent).toBe(URL_MASUK))
    expect(container.querySelector('#tautan-masuk')?.tagName).toBe('CODE')
    expect(container.querySelector('a[href^="https:"]')).toBeNull() // the webview opens no links itself
    expect((container.querySelector('#masuk-sso') as HTMLButtonElement).disabled).toBe(true)
    await fireEvent.click(screen.getByRole('button', { name: 'Buka di peramban' }))
    expect(ipc.bukaTautanMasuk).toHaveBeenCalledOnce()
    vi.mocked(ipc.sesi).mockResolvedValue(SUDAH)
    selesai(SUDAH)
    await waitFor(() => expect(location.hash).toBe('#/beranda'))
  })

  it('a replaced attempt ending with an error is not shown; the new attempt keeps waiting', async () => {
    let gagalLama!: (e: unknown) => void
    let selesaiBaru!: (v: ipc.SesiView) => void
    vi.mocked(ipc.masukMulai)
      .mockResolvedValueOnce({ url: `${URL_MASUK}1` })
      .mockResolvedValueOnce({ url: `${URL_MASUK}2` })
    vi.mocked(ipc.masukTunggu)
      .mockReturnValueOnce(new Promise((_, t) => (gagalLama = t)))
      .mockReturnValueOnce(new Promise((r) => (selesaiBaru = r)))
    const { container } = render(Masuk)
    await fireEvent.click(screen.getByRole('button', { name: 'Masuk dengan SSO ASN' }))
    await waitFor(() => expect(container.querySelector('#tautan-masuk')?.textContent).toBe(`${URL_MASUK}1`))
    await fireEvent.click(screen.getByRole('button', { name: 'Mulai ulang proses masuk' }))
    await waitFor(() => expect(container.querySelector('#tautan-masuk')?.textContent).toBe(`${URL_MASUK}2`))
    gagalLama(new ipc.GalatIpc({ code: 'belum_masuk', message: 'Proses masuk sebelumnya dibatalkan.' }))
    await waitFor(() => expect(ipc.sesi).toHaveBeenCalledTimes(1))
    await new Promise((r) => setTimeout(r, 10))
    expect(container.querySelector('#galat-masuk')).toBeNull()
    expect(container.querySelector('#tautan-masuk')?.textContent).toBe(`${URL_MASUK}2`)
    vi.mocked(ipc.sesi).mockResolvedValue(SUDAH)
    selesaiBaru(SUDAH)
    await waitFor(() => expect(location.hash).toBe('#/beranda'))
  })

  it('goes to Beranda when a replaced attempt completes the sign-in after all', async () => {
    let selesaiLama!: (v: ipc.SesiView) => void
    vi.mocked(ipc.masukMulai)
      .mockResolvedValueOnce({ url: `${URL_MASUK}1` })
      .mockResolvedValueOnce({ url: `${URL_MASUK}2` })
    vi.mocked(ipc.masukTunggu)
      .mockReturnValueOnce(new Promise((r) => (selesaiLama = r)))
      .mockReturnValueOnce(new Promise(() => {}))
    const { container } = render(Masuk)
    await fireEvent.click(screen.getByRole('button', { name: 'Masuk dengan SSO ASN' }))
    await waitFor(() => expect(container.querySelector('#tautan-masuk')?.textContent).toBe(`${URL_MASUK}1`))
    await fireEvent.click(screen.getByRole('button', { name: 'Mulai ulang proses masuk' }))
    await waitFor(() => expect(container.querySelector('#tautan-masuk')?.textContent).toBe(`${URL_MASUK}2`))
    vi.mocked(ipc.sesi).mockResolvedValue(SUDAH)
    selesaiLama(SUDAH)
    await waitFor(() => expect(location.hash).toBe('#/beranda'))
  })
})
