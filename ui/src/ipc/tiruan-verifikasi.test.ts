// The stand-in backend's verifikasi lapangan commands, through the real wrappers: what `VITE_TIRUAN=1 npm run dev`
// shows.
import { clearMocks } from '@tauri-apps/api/mocks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GalatIpc,
  pegawaiCari,
  verifikasiLapanganBuat,
  verifikasiLapanganDaftar,
  verifikasiLapanganDetail,
  verifikasiLapanganEkspor,
  verifikasiLapanganFoto,
  verifikasiLapanganFotoTambah,
  verifikasiLapanganHasil,
} from './index'
import { pasangTiruan } from './tiruan'

const SEMUA = { hasil: null, nip: null, unor: null, dari: null, sampai: null }

beforeAll(() => pasangTiruan(100))
afterAll(() => clearMocks())

async function galat(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return e instanceof GalatIpc ? `${e.code}: ${e.message}` : String(e)
  }
  return 'tidak gagal'
}

describe('tiruan: verifikasi lapangan', () => {
  it('lists visits newest first with counts per hasil and keyset pages', async () => {
    const h = await verifikasiLapanganDaftar(SEMUA, null, 10)
    expect(h.baris).toHaveLength(10)
    expect(h.per_hasil.map((p) => p.kunci)).toEqual(['ditemukan', 'tidak_ditemukan', 'meninggal', 'pindah', 'lainnya'])
    expect(h.per_hasil.reduce((n, p) => n + p.jumlah, 0)).toBe(25)
    const waktu = h.baris.map((k) => k.waktu!)
    expect([...waktu].sort().reverse()).toEqual(waktu)
    const ids = new Set(h.baris.map((k) => k.id))
    let berikut = h.berikut
    while (berikut) {
      const lagi = await verifikasiLapanganDaftar(SEMUA, berikut, 10)
      for (const k of lagi.baris) ids.add(k.id)
      berikut = lagi.berikut
    }
    expect(ids.size).toBe(25)
    const meninggal = await verifikasiLapanganDaftar({ ...SEMUA, hasil: 'meninggal' }, null, 50)
    expect(meninggal.baris.every((k) => k.hasil === 'meninggal' && k.jumlah_foto === 2)).toBe(true)
    expect(meninggal.per_hasil.length).toBe(5)
    expect((await verifikasiLapanganHasil()).map((h) => h.nama)).toContain('Tidak ditemukan')
  })

  it('records a visit with a photo, refuses what the backend refuses, and serves photos', async () => {
    const [p] = await pegawaiCari('19', 1)
    const foto = { nama: 'rumah.jpg', mime: 'image/jpeg', isi: new Array(2_000).fill(7) }
    expect(await galat(verifikasiLapanganBuat({ nip: '1976', hasil: 'ditemukan', catatan: null, foto: [] }))).toBe(
      'masukan_tidak_sah: NIP "1976" tidak sah: tulis 18 angka NIP.',
    )
    expect(await galat(verifikasiLapanganBuat({ nip: p!.nip, hasil: 'lainnya', catatan: ' ', foto: [] }))).toMatch(
      /perlu catatan/,
    )
    const d = await verifikasiLapanganBuat({ nip: p!.nip, hasil: 'pindah', catatan: ' Ke Kab. Sebelah ', foto: [foto] })
    expect(d.ringkas).toMatchObject({ nip: p!.nip, hasil: 'pindah', catatan: 'Ke Kab. Sebelah', jumlah_foto: 1 })
    expect(d.lokal).toBe(true)
    const lagi = await verifikasiLapanganFotoTambah(d.ringkas.id, { ...foto, nama: 'surat.png', mime: 'image/png' })
    expect(lagi.foto.map((f) => f.name)).toEqual(['rumah.jpg', 'surat.png'])
    expect(await galat(verifikasiLapanganFotoTambah(d.ringkas.id, { ...foto, mime: 'application/pdf' }))).toMatch(
      /^masukan_tidak_sah: Jenis foto rumah.jpg "application\/pdf" tidak sah/,
    )
    const isi = await verifikasiLapanganFoto(d.ringkas.id, lagi.foto[0]!.sha256)
    expect(isi.mime).toBe('image/png')
    expect(isi.isi.slice(0, 4)).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect((await verifikasiLapanganDetail(d.ringkas.id)).ringkas.jumlah_foto).toBe(2)
    const ekspor = await verifikasiLapanganEkspor({ ...SEMUA, hasil: 'pindah' })
    expect(ekspor.berkas).toMatch(/ekspor\/verifikasi-lapangan-.*\.csv$/)
    expect(ekspor.jumlah).toBeGreaterThan(1)
  })
})
