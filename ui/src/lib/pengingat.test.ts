import { describe, expect, it } from 'vitest'
import {
  JENIS_PENGINGAT,
  bangunFilterPengingat,
  masukanPengingatAwal,
  olehSiapa,
  panjangCatatan,
  periksaCatatanPengingat,
  pesanTandai,
  pilihanStatus,
  ringkasTindakLanjut,
  warnaStatus,
} from './pengingat'

describe('pengingat', () => {
  it('starts on KP, 12 months, every state and unit; empty fields are sent as null', () => {
    expect(bangunFilterPengingat(masukanPengingatAwal())).toEqual({ jenis: 'kp', bulan: 12, status: null, unor: null })
    expect(bangunFilterPengingat({ jenis: 'kgb', bulan: 3, status: 'kedaluwarsa', unor: 'DIK' })).toEqual({
      jenis: 'kgb', bulan: 3, status: 'kedaluwarsa', unor: 'DIK',
    })
    expect(JENIS_PENGINGAT.map((j) => [j.kode, j.nama])).toEqual([
      ['kp', 'Kenaikan pangkat'], ['bup', 'Pensiun (BUP)'], ['kgb', 'Gaji berkala (KGB)'],
    ])
  })

  it('lists every state in order with its count, zero when the backend left it out', () => {
    expect(pilihanStatus([{ kunci: 'ditangani', label: 'Ditangani', jumlah: 4 }]).map((h) => `${h.label} ${h.jumlah}`)).toEqual([
      'Aktif 0', 'Kedaluwarsa 0', 'Ditangani 4', 'Tidak perlu 0',
    ])
    expect(['aktif', 'kedaluwarsa', 'ditangani', 'tidak_perlu'].map(warnaStatus)).toEqual(['biru', 'merah', 'hijau', 'abu'])
  })

  it('counts a note as the backend does (trimmed, characters) and refuses over 500', () => {
    expect(panjangCatatan('  abc  ')).toBe(3)
    expect(panjangCatatan('😀'.repeat(500))).toBe(500)
    expect(periksaCatatanPengingat('😀'.repeat(500))).toBeNull()
    expect(periksaCatatanPengingat(` ${'x'.repeat(500)} `)).toBeNull()
    expect(periksaCatatanPengingat('x'.repeat(1_234))).toBe(
      'Catatan terlalu panjang: 1.234 karakter, paling banyak 500. Ringkas catatannya.',
    )
  })

  it('names who recorded a follow-up and says what an action did', () => {
    const t = { status: 'ditangani', status_nama: 'Ditangani', catatan: null, oleh: '199001012015031001', waktu: '2026-11-30T03:00:00Z' }
    expect(olehSiapa(t.oleh, '199001012015031001')).toBe('Anda')
    expect(olehSiapa(t.oleh, '198702142010012003')).toBe('NIP 199001012015031001')
    expect(olehSiapa(t.oleh, null)).toBe('NIP 199001012015031001')
    expect(ringkasTindakLanjut(t, null)).toMatch(/^Ditangani oleh NIP 199001012015031001, 30-11-2026 \d\d:\d\d$/)
    expect(pesanTandai('Budi Santoso, S.T.', 'tidak_perlu')).toBe(
      'Pengingat Budi Santoso, S.T. ditandai tidak perlu. Tersimpan di perangkat ini dan terkirim ke hub saat sinkronisasi.',
    )
    expect(pesanTandai('Budi Santoso, S.T.', null)).toMatch(/^Pengingat Budi Santoso, S.T. tindak lanjutnya dibatalkan\./)
  })
})
