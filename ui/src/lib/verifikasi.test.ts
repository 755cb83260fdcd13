import { describe, expect, it } from 'vitest'
import {
  MAX_TOTAL_FOTO_BYTES,
  adaFilterKunjungan,
  bangunFilterKunjungan,
  batasiTotalFoto,
  fotoUnik,
  hariIniLokal,
  masukanKunjunganKosong,
  namaHasil,
  periksaCatatan,
  periksaFoto,
  tautanCatatKunjungan,
  tautanKunjungan,
  warnaHasil,
} from './verifikasi'

describe('verifikasi lapangan helpers', () => {
  it('builds the list filter from what was typed, or says what is wrong', () => {
    const kosong = masukanKunjunganKosong()
    expect(adaFilterKunjungan(kosong)).toBe(false)
    expect(bangunFilterKunjungan(kosong)).toEqual({
      filter: { hasil: null, nip: null, unor: null, dari: null, sampai: null },
      galat: {},
    })
    const m = { hasil: 'meninggal', nip: '1976 0301 2006 01 2 005', unor: 'DIK', dari: '01-11-2026', sampai: '30-11-2026' }
    expect(adaFilterKunjungan(m)).toBe(true)
    expect(bangunFilterKunjungan(m).filter).toEqual({
      hasil: 'meninggal', nip: '197603012006012005', unor: 'DIK', dari: '2026-11-01', sampai: '2026-11-30',
    })
    const salah = bangunFilterKunjungan({ ...m, nip: '1976', dari: '31-02-2026' })
    expect(salah.filter).toBeNull()
    expect(salah.galat.nip).toBe('NIP "1976" tidak sah: tulis 18 angka NIP tanpa tanda baca.')
    expect(salah.galat.dari).toBe('Tanggal "31-02-2026" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.')
    expect(bangunFilterKunjungan({ ...m, dari: '30-11-2026', sampai: '01-11-2026' }).galat.sampai).toMatch(/lebih awal/)
  })

  it('checks photos with the backend limits before reading them', () => {
    expect(periksaFoto({ nama: 'rumah.jpg', ukuran: 300_000, mime: 'image/jpeg' })).toBeNull()
    expect(periksaFoto({ nama: 'ktp.png', ukuran: 5 * 1024 * 1024, mime: 'image/png' })).toBeNull()
    expect(periksaFoto({ nama: 'akta.pdf', ukuran: 300_000, mime: 'application/pdf' })).toBe(
      'Berkas "akta.pdf" bertipe PDF; foto harus JPG atau PNG. Pilih foto dari kamera atau simpan ulang sebagai JPG.',
    )
    expect(periksaFoto({ nama: 'besar.jpg', ukuran: 5 * 1024 * 1024 + 1, mime: 'image/jpeg' })).toBe(
      'Foto "besar.jpg" berukuran 5.242.881 byte; batasnya 5.242.880 byte. Perkecil resolusi fotonya lalu pilih lagi.',
    )
    expect(periksaFoto({ nama: 'asli.jpg', ukuran: 8 * 1024 * 1024, mime: 'image/jpeg' })).toBe(
      'Foto "asli.jpg" berukuran 8 MB; batasnya 5 MB. Perkecil resolusi fotonya lalu pilih lagi.',
    )
    expect(periksaFoto({ nama: 'kosong.jpg', ukuran: 200, mime: 'image/jpeg' })).toMatch(/hanya 200 byte/)
  })

  it('limits notes to 2000 characters and requires one for lainnya', () => {
    expect(periksaCatatan('', 'ditemukan')).toBeNull()
    expect(periksaCatatan('é'.repeat(2000), 'pindah')).toBeNull()
    expect(periksaCatatan('x'.repeat(2001), 'pindah')).toBe(
      'Catatan terlalu panjang: 2.001 karakter, paling banyak 2.000. Ringkas catatannya.',
    )
    expect(periksaCatatan('  ', 'lainnya')).toBe('Hasil "Lainnya" perlu catatan yang menjelaskan temuannya.')
  })

  it('names hasil, colours them and links visits', () => {
    expect(namaHasil('tidak_ditemukan')).toBe('Tidak ditemukan')
    expect(namaHasil('baru')).toBe('baru')
    expect(warnaHasil('meninggal')).toBe('merah')
    expect(warnaHasil('ditemukan')).toBe('hijau')
    expect(tautanKunjungan('0193a1f0-0001')).toBe('#/verifikasi-lapangan/0193a1f0-0001')
    expect(tautanCatatKunjungan('197603012006012005')).toBe('#/verifikasi-lapangan/baru?nip=197603012006012005')
    expect(tautanCatatKunjungan(null)).toBe('#/verifikasi-lapangan/baru')
  })

  it("gives today's date on this computer's clock, not UTC's", () => {
    // 06:30 local on 1 December: in WIB, UTC is still 30 November.
    expect(hariIniLokal(new Date(2026, 11, 1, 6, 30))).toBe('01-12-2026')
    expect(hariIniLokal(new Date(2026, 0, 9, 23, 59))).toBe('09-01-2026')
  })

  it('keeps photos while all together fit 10 MB, and lists a photo once', () => {
    const f = (nama: string, ukuran: number) => ({ nama, ukuran })
    expect(batasiTotalFoto([f('a', 4_000_000), f('b', 4_000_000), f('c', 4_000_000), f('d', 1_000)])).toEqual({
      diterima: [f('a', 4_000_000), f('b', 4_000_000), f('d', 1_000)],
      pesan: 'Semua foto satu kunjungan paling besar 10 MB; "c" tidak ditambahkan. Perkecil resolusi fotonya.',
    })
    expect(batasiTotalFoto([f('a', 1)], MAX_TOTAL_FOTO_BYTES).diterima).toEqual([])
    expect(batasiTotalFoto([f('a', 1)], MAX_TOTAL_FOTO_BYTES - 1)).toEqual({ diterima: [f('a', 1)], pesan: null })
    const [x, y] = [{ sha256: 'a', n: 1 }, { sha256: 'b', n: 2 }]
    expect(fotoUnik([x, y, { sha256: 'a', n: 3 }])).toEqual([x, y])
  })
})
