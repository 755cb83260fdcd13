import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as ipc from '../ipc'
import type { HalamanKunjungan, KunjunganDetail, KunjunganRingkas } from '../ipc'
import { aturUlangKunjunganKini } from '../lib/verifikasi.svelte'
import VerifikasiLapangan from './VerifikasiLapangan.svelte'
import VerifikasiLapanganCatat from './VerifikasiLapanganCatat.svelte'
import VerifikasiLapanganDetail from './VerifikasiLapanganDetail.svelte'

vi.mock('../ipc', async (asli) => ({
  ...(await asli<typeof import('../ipc')>()),
  verifikasiLapanganDaftar: vi.fn(),
  verifikasiLapanganDetail: vi.fn(),
  verifikasiLapanganBuat: vi.fn(),
  verifikasiLapanganFotoTambah: vi.fn(),
  verifikasiLapanganFoto: vi.fn(),
  verifikasiLapanganEkspor: vi.fn(),
  unorPohon: vi.fn(),
  pegawaiCari: vi.fn(),
}))

const NIP = '197603012006012005'

function kunjungan(over: Partial<KunjunganRingkas> = {}): KunjunganRingkas {
  return {
    id: '0193b2c0-0001-7a00-8000-000000000001', nip: NIP, nama: 'Siti Aminah, S.Pd.', unor_id: 'SD1',
    unor_nama: 'SD Negeri 1', hasil: 'tidak_ditemukan', hasil_nama: 'Tidak ditemukan',
    catatan: 'Rumah kosong sejak 2024.', petugas: '198001012005011001', waktu: '2026-11-30T03:00:00Z', jumlah_foto: 2,
    ...over,
  }
}

function halaman(baris: KunjunganRingkas[], berikut: HalamanKunjungan['berikut'] = null): HalamanKunjungan {
  return {
    baris,
    per_hasil: [{ kunci: 'tidak_ditemukan', label: 'Tidak ditemukan', jumlah: 3 }, { kunci: 'meninggal', label: 'Meninggal', jumlah: 1 }],
    berikut,
    boleh_catat: true,
  }
}

function detail(over: Partial<KunjunganDetail> = {}): KunjunganDetail {
  return {
    ringkas: kunjungan(),
    foto: [
      { sha256: 'a'.repeat(64), size: 48_000, mime: 'image/jpeg', name: 'IMG_0001.jpg', tersedia: true },
      { sha256: 'b'.repeat(64), size: 120_000, mime: 'image/jpeg', name: 'surat-rt.jpg', tersedia: false },
    ],
    lokal: true,
    boleh_tambah_foto: true,
    penolakan_hub: [],
    ...over,
  }
}

/** Puts `berkas` into the file input and fires `change`. */
async function pilih(input: HTMLInputElement, berkas: File[]): Promise<void> {
  Object.defineProperty(input, 'files', { value: berkas, configurable: true })
  await fireEvent.change(input)
}

function jpeg(nama: string, ukuran: number): File {
  const isi = new Uint8Array(ukuran).fill(7)
  isi.set([0xff, 0xd8, 0xff])
  return new File([isi], nama, { type: 'image/jpeg' })
}

beforeEach(() => {
  aturUlangKunjunganKini()
  vi.mocked(ipc.unorPohon).mockResolvedValue([
    { id: 'ROOT', nama: 'Pemerintah Kabupaten Uji', induk_id: null, jumlah: 3 },
    { id: 'DIK', nama: 'Dinas Pendidikan', induk_id: 'ROOT', jumlah: 2 },
  ])
  vi.mocked(ipc.pegawaiCari).mockResolvedValue([])
})
afterEach(() => vi.clearAllMocks())

describe('Verifikasi lapangan: list', () => {
  it('shows visits with dd-mm-yyyy times, hasil counts and the next page', async () => {
    vi.mocked(ipc.verifikasiLapanganDaftar)
      .mockResolvedValueOnce(halaman([kunjungan()], { waktu_ms: 1, rowid: 1 }))
      .mockResolvedValueOnce(halaman([kunjungan({ id: 'x2', nama: null, hasil: 'meninggal', hasil_nama: 'Meninggal' })]))
    const { container } = render(VerifikasiLapangan)
    await waitFor(() => expect(container.querySelectorAll('[data-kunjungan-id]')).toHaveLength(1))
    const baris = container.querySelector('[data-kunjungan-id]')!
    expect(baris.getAttribute('href')).toBe('#/verifikasi-lapangan/0193b2c0-0001-7a00-8000-000000000001')
    expect(baris.querySelector('.waktu')?.textContent).toMatch(/^30-11-2026 \d\d:\d\d$/)
    expect(baris.textContent).toContain('Siti Aminah, S.Pd.')
    expect(baris.textContent).toContain('Tidak ditemukan')
    expect(container.querySelector('label:has(#hasil-semua)')?.textContent).toContain('(4)')
    expect(container.querySelector('label:has(#hasil-meninggal)')?.textContent).toContain('(1)')
    expect(container.querySelector('label:has(#hasil-pindah)')?.textContent).toContain('(0)')
    await fireEvent.click(container.querySelector('#muat-lebih-kunjungan')!)
    await waitFor(() => expect(container.querySelectorAll('[data-kunjungan-id]')).toHaveLength(2))
    expect(container.querySelectorAll('[data-kunjungan-id]')[1]?.textContent).toContain('(tidak ada di replika)')
    expect(vi.mocked(ipc.verifikasiLapanganDaftar).mock.calls[1]?.[1]).toEqual({ waktu_ms: 1, rowid: 1 })
  })

  it('filters by hasil, unor and dates, refuses a bad NIP without sending, and exports with the filter', async () => {
    vi.mocked(ipc.verifikasiLapanganDaftar).mockResolvedValue(halaman([kunjungan()]))
    vi.mocked(ipc.verifikasiLapanganEkspor).mockResolvedValue({ berkas: '/data/ekspor/vl.csv', jumlah: 3 })
    const { container } = render(VerifikasiLapangan)
    await waitFor(() => expect(container.querySelector('#daftar-kunjungan')).not.toBeNull())
    await fireEvent.click(container.querySelector('#hasil-tidak_ditemukan')!)
    await waitFor(() => expect(ipc.verifikasiLapanganDaftar).toHaveBeenCalledTimes(2))
    await waitFor(() => expect(container.querySelector('#filter-kunjungan-unor option[value="DIK"]')).not.toBeNull())
    const unor = container.querySelector<HTMLSelectElement>('#filter-kunjungan-unor')!
    unor.value = 'DIK'
    await fireEvent.change(unor)
    const dari = container.querySelector<HTMLInputElement>('#filter-kunjungan-dari')!
    await fireEvent.input(dari, { target: { value: '01-11-2026' } })
    await fireEvent.change(dari)
    await waitFor(() =>
      expect(vi.mocked(ipc.verifikasiLapanganDaftar).mock.lastCall?.[0]).toEqual({
        hasil: 'tidak_ditemukan', nip: null, unor: 'DIK', dari: '2026-11-01', sampai: null,
      }),
    )
    const dipanggil = vi.mocked(ipc.verifikasiLapanganDaftar).mock.calls.length
    const nip = container.querySelector<HTMLInputElement>('#filter-kunjungan-nip')!
    await fireEvent.input(nip, { target: { value: '1976' } })
    await fireEvent.change(nip)
    expect(container.querySelector('#galat-filter-kunjungan-nip')?.textContent).toBe(
      'NIP "1976" tidak sah: tulis 18 angka NIP tanpa tanda baca.',
    )
    expect(vi.mocked(ipc.verifikasiLapanganDaftar).mock.calls.length).toBe(dipanggil)
    await fireEvent.input(nip, { target: { value: '' } })
    await fireEvent.change(nip)
    await fireEvent.click(container.querySelector('#ekspor-kunjungan')!)
    await waitFor(() => expect(container.querySelector('#pesan-ekspor')).not.toBeNull())
    expect(ipc.verifikasiLapanganEkspor).toHaveBeenCalledWith({
      hasil: 'tidak_ditemukan', nip: null, unor: 'DIK', dari: '2026-11-01', sampai: null,
    })
    expect(container.querySelector('#pesan-ekspor')?.textContent).toContain('3 kunjungan diekspor ke /data/ekspor/vl.csv')
  })

  it('hides "Catat kunjungan" when the known permissions do not allow recording', async () => {
    vi.mocked(ipc.verifikasiLapanganDaftar).mockResolvedValue({ ...halaman([]), per_hasil: [], boleh_catat: false })
    const { container } = render(VerifikasiLapangan)
    await waitFor(() => expect(container.querySelector('#kunjungan-kosong')).not.toBeNull())
    expect(container.querySelector('#catat-kunjungan')).toBeNull()
    expect(container.querySelector('#kunjungan-kosong')?.textContent).not.toContain('Catat dengan tombol')
  })

  it('moves between rows with the arrow keys', async () => {
    vi.mocked(ipc.verifikasiLapanganDaftar).mockResolvedValue(halaman([kunjungan(), kunjungan({ id: 'x2' })]))
    const { container } = render(VerifikasiLapangan)
    await waitFor(() => expect(container.querySelectorAll('a.baris')).toHaveLength(2))
    const [a, b] = [...container.querySelectorAll<HTMLElement>('a.baris')]
    a!.focus()
    await fireEvent.keyDown(a!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(b)
    await fireEvent.keyDown(b!, { key: 'Home' })
    expect(document.activeElement).toBe(a)
  })
})

describe('Verifikasi lapangan: record a visit', () => {
  it('prefills the NIP, checks the form before sending and sends the photos', async () => {
    vi.mocked(ipc.pegawaiCari).mockResolvedValue([
      { rowid: 3, nip: NIP, nama: 'Siti Aminah', nama_lengkap: 'Siti Aminah, S.Pd.', jenis_asn: 'PNS', golongan: 'III/b',
        jabatan_nama: 'Guru', unor_nama: 'SD Negeri 1', kedudukan: 'Aktif', tmt_pensiun: null, kp_berikutnya: null, ikd_count: 0 },
    ])
    vi.mocked(ipc.verifikasiLapanganBuat).mockResolvedValue(detail())
    const { container } = render(VerifikasiLapanganCatat, { nip: NIP })
    expect(container.querySelector<HTMLInputElement>('#kunjungan-nip')?.value).toBe(NIP)
    await waitFor(() => expect(container.querySelector('#kunjungan-pegawai')?.textContent).toContain('Siti Aminah, S.Pd.'))
    expect(container.querySelector('#batal-kunjungan')?.getAttribute('href')).toBe(`#/pegawai/${NIP}`)

    // Nothing chosen: the hasil is asked for; "lainnya" needs a note.
    await fireEvent.submit(container.querySelector('#form-kunjungan')!)
    expect(container.querySelector('#galat-kunjungan-hasil')?.textContent).toBe('Pilih hasil kunjungan.')
    await fireEvent.click(container.querySelector('#kunjungan-hasil-lainnya')!)
    await fireEvent.submit(container.querySelector('#form-kunjungan')!)
    expect(container.querySelector('#galat-kunjungan-catatan')?.textContent).toMatch(/perlu catatan/)
    expect(ipc.verifikasiLapanganBuat).not.toHaveBeenCalled()

    // A PDF is refused before reading; a JPEG is kept.
    const foto = container.querySelector<HTMLInputElement>('#kunjungan-foto')!
    await pilih(foto, [new File([new Uint8Array(4000)], 'akta.pdf', { type: 'application/pdf' }), jpeg('rumah.jpg', 4000)])
    expect(container.querySelector('#galat-kunjungan-foto')?.textContent).toMatch(/^Berkas "akta.pdf" bertipe PDF/)
    expect([...container.querySelectorAll('#foto-terpilih li')].map((li) => li.textContent)).toEqual([
      expect.stringContaining('rumah.jpg'),
    ])

    await fireEvent.click(container.querySelector('#kunjungan-hasil-tidak_ditemukan')!)
    const catatan = container.querySelector<HTMLTextAreaElement>('#kunjungan-catatan')!
    await fireEvent.input(catatan, { target: { value: '  Rumah kosong sejak 2024.  ' } })
    await fireEvent.submit(container.querySelector('#form-kunjungan')!)
    await waitFor(() => expect(ipc.verifikasiLapanganBuat).toHaveBeenCalledTimes(1))
    const baru = vi.mocked(ipc.verifikasiLapanganBuat).mock.calls[0]![0]
    expect({ ...baru, foto: baru.foto.map((f) => [f.nama, f.mime, f.isi.length, f.isi.slice(0, 3)]) }).toEqual({
      nip: NIP, hasil: 'tidak_ditemukan', catatan: 'Rumah kosong sejak 2024.',
      foto: [['rumah.jpg', 'image/jpeg', 4000, [0xff, 0xd8, 0xff]]],
    })
    await waitFor(() => expect(location.hash).toBe('#/verifikasi-lapangan/0193b2c0-0001-7a00-8000-000000000001'))
  })

  it('keeps a file chosen twice once and the photos within 10 MB together', async () => {
    const { container } = render(VerifikasiLapanganCatat, {})
    const foto = container.querySelector<HTMLInputElement>('#kunjungan-foto')!
    await pilih(foto, [jpeg('rumah.jpg', 4000)])
    await pilih(foto, [jpeg('rumah.jpg', 4000), jpeg('a.jpg', 4_500_000), jpeg('b.jpg', 4_500_000), jpeg('c.jpg', 4_500_000)])
    expect([...container.querySelectorAll('#foto-terpilih li')].map((li) => li.textContent?.split(' ')[0])).toEqual([
      'rumah.jpg', 'a.jpg', 'b.jpg',
    ])
    expect(container.querySelector('#galat-kunjungan-foto')?.textContent).toBe(
      'Semua foto satu kunjungan paling besar 10 MB; "c.jpg" tidak ditambahkan. Perkecil resolusi fotonya.',
    )
  })

  it("shows the backend's refusal under the form", async () => {
    vi.mocked(ipc.verifikasiLapanganBuat).mockRejectedValue({
      code: 'masukan_tidak_sah',
      message: 'NIP "199901012024011001" tidak sah: pegawai ini tidak ada di replika; sinkronkan atau periksa NIP.',
    })
    const { container } = render(VerifikasiLapanganCatat, {})
    const nip = container.querySelector<HTMLInputElement>('#kunjungan-nip')!
    await fireEvent.input(nip, { target: { value: '199901012024011001' } })
    await fireEvent.click(container.querySelector('#kunjungan-hasil-meninggal')!)
    await fireEvent.submit(container.querySelector('#form-kunjungan')!)
    await waitFor(() => expect(container.querySelector('#galat-kunjungan')?.textContent).toMatch(/tidak ada di replika/))
    expect(container.querySelector<HTMLButtonElement>('#simpan-kunjungan')?.disabled).toBe(false)
  })
})

describe('Verifikasi lapangan: detail', () => {
  it('shows the visit, a photo on request, a photo not downloaded yet, and adds a photo', async () => {
    vi.mocked(ipc.verifikasiLapanganDetail).mockResolvedValue(detail())
    vi.mocked(ipc.verifikasiLapanganFoto).mockResolvedValue({ mime: 'image/jpeg', isi: [0xff, 0xd8, 0xff, 0xe0] })
    const tambah = detail({ ringkas: kunjungan({ jumlah_foto: 3 }) })
    tambah.foto = [...tambah.foto, { sha256: 'c'.repeat(64), size: 4000, mime: 'image/jpeg', name: 'ktp.jpg', tersedia: true }]
    vi.mocked(ipc.verifikasiLapanganFotoTambah).mockResolvedValue(tambah)
    const buatUrl = vi.fn(() => 'blob:foto-1')
    Object.assign(URL, { createObjectURL: buatUrl, revokeObjectURL: vi.fn() })
    const { container } = render(VerifikasiLapanganDetail, { id: 'x1' })
    await waitFor(() => expect(container.querySelector('#kunjungan-hasil')?.textContent).toBe('Tidak ditemukan'))
    expect(container.querySelector('#kunjungan-judul')?.textContent).toBe('Verifikasi lapangan: Siti Aminah, S.Pd.')
    expect(container.querySelector('#kunjungan-lokal')).not.toBeNull()
    expect(container.querySelector('#kunjungan-waktu')?.textContent).toMatch(/^30-11-2026 \d\d:\d\d$/)
    expect(container.querySelector('#kunjungan-profil')?.getAttribute('href')).toBe(`#/pegawai/${NIP}`)
    const [satu, dua] = [...container.querySelectorAll('#kunjungan-foto-daftar li')]
    expect(dua?.textContent).toContain('Belum terunduh')
    await fireEvent.click(satu!.querySelector('button.tampilkan-foto')!)
    await waitFor(() => expect(satu!.querySelector('img')?.getAttribute('src')).toBe('blob:foto-1'))
    expect(ipc.verifikasiLapanganFoto).toHaveBeenCalledWith('x1', 'a'.repeat(64))

    await pilih(container.querySelector<HTMLInputElement>('#tambah-foto')!, [jpeg('ktp.jpg', 4000)])
    await waitFor(() => expect(container.querySelectorAll('#kunjungan-foto-daftar li')).toHaveLength(3))
    expect(vi.mocked(ipc.verifikasiLapanganFotoTambah).mock.calls[0]?.[1]).toMatchObject({ nama: 'ktp.jpg', mime: 'image/jpeg' })
    expect(container.querySelector('#kunjungan-pesan')?.textContent).toContain('Foto ktp.jpg ditambahkan')
    await pilih(container.querySelector<HTMLInputElement>('#tambah-foto')!, [jpeg('kecil.jpg', 10)])
    expect(container.querySelector('#galat-tambah-foto')?.textContent).toMatch(/hanya 10 byte/)
  })

  it('keeps the focus on the photo button, which toggles between Tampilkan and Sembunyikan', async () => {
    vi.mocked(ipc.verifikasiLapanganDetail).mockResolvedValue(detail())
    vi.mocked(ipc.verifikasiLapanganFoto).mockResolvedValue({ mime: 'image/jpeg', isi: [0xff, 0xd8, 0xff, 0xe0] })
    const cabut = vi.fn()
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:foto-1'), revokeObjectURL: cabut })
    const { container } = render(VerifikasiLapanganDetail, { id: 'x1' })
    await waitFor(() => expect(container.querySelector('button.tampilkan-foto')).not.toBeNull())
    const tombol = container.querySelector<HTMLButtonElement>('button.tampilkan-foto')!
    tombol.focus()
    await fireEvent.click(tombol)
    await waitFor(() => expect(container.querySelector('img')).not.toBeNull())
    expect(document.activeElement).toBe(tombol)
    expect(tombol.textContent).toBe('Sembunyikan')
    expect(tombol.getAttribute('aria-expanded')).toBe('true')
    await fireEvent.click(tombol)
    await waitFor(() => expect(container.querySelector('img')).toBeNull())
    expect(document.activeElement).toBe(tombol)
    expect(tombol.textContent).toBe('Tampilkan')
    expect(cabut).toHaveBeenCalledWith('blob:foto-1')
  })

  it('lists a photo the document holds twice once, and shows the hub refusals', async () => {
    const sama = { sha256: 'a'.repeat(64), size: 48_000, mime: 'image/jpeg', name: 'IMG_0001.jpg', tersedia: true }
    vi.mocked(ipc.verifikasiLapanganDetail).mockResolvedValue(
      detail({
        foto: [sama, { ...sama, name: 'IMG_0001 (salinan).jpg' }],
        penolakan_hub: ['Hub menolak perubahan kunjungan ini pada 01-12-2026 09:30: hasil hanya boleh diubah oleh petugas (perubahan itu dibatalkan hub).'],
      }),
    )
    const { container } = render(VerifikasiLapanganDetail, { id: 'x1' })
    await waitFor(() => expect(container.querySelector('#kunjungan-foto-daftar')).not.toBeNull())
    expect(container.querySelectorAll('#kunjungan-foto-daftar li')).toHaveLength(1)
    expect(container.querySelector('#judul-foto-kunjungan')?.textContent).toBe('Foto (1)')
    expect(container.querySelector('#kunjungan-penolakan')?.textContent).toContain('Hub menolak perubahan kunjungan ini')
  })

  it('refuses a photo that would take the visit past 10 MB before reading it', async () => {
    const besar = { sha256: 'a'.repeat(64), size: 4_500_000, mime: 'image/jpeg', name: 'a.jpg', tersedia: true }
    vi.mocked(ipc.verifikasiLapanganDetail).mockResolvedValue(
      detail({ foto: [besar, { ...besar, sha256: 'b'.repeat(64), name: 'b.jpg' }] }),
    )
    const { container } = render(VerifikasiLapanganDetail, { id: 'x1' })
    await waitFor(() => expect(container.querySelector('#tambah-foto')).not.toBeNull())
    await pilih(container.querySelector<HTMLInputElement>('#tambah-foto')!, [jpeg('c.jpg', 2_000_000)])
    expect(container.querySelector('#galat-tambah-foto')?.textContent).toMatch(/^Semua foto satu kunjungan paling besar 10 MB; "c.jpg"/)
    expect(ipc.verifikasiLapanganFotoTambah).not.toHaveBeenCalled()
  })
})
