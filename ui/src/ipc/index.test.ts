import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { afterEach, describe, expect, it } from 'vitest'
import { bukaTautanMasuk, GalatIpc, kontakUbah, normalisasiGalat, pegawaiCari, profil, sesi } from './index'

afterEach(() => clearMocks())

describe('normalisasiGalat', () => {
  it('keeps a known code and its message', () => {
    expect(normalisasiGalat({ code: 'luring', message: 'Hub tidak terjangkau.' })).toEqual({
      code: 'luring',
      message: 'Hub tidak terjangkau.',
    })
  })
  it('maps unknown codes and plain values to internal', () => {
    expect(normalisasiGalat({ code: 'aneh', message: 'x' }).code).toBe('internal')
    expect(normalisasiGalat('rusak')).toEqual({ code: 'internal', message: 'rusak' })
    expect(normalisasiGalat(42).code).toBe('internal')
  })
})

describe('wrappers over the generated commands', () => {
  it('return the data of an ok result', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'pegawai_cari') {
        expect(args).toEqual({ kueri: 'budi', batas: 5 })
        return [{ nip: '1', nama_lengkap: 'Budi, S.T.', nama: 'Budi', ikd_count: 0 }]
      }
      throw new Error(`unexpected ${cmd}`)
    })
    const rows = await pegawaiCari('budi', 5)
    expect(rows[0]?.nama_lengkap).toBe('Budi, S.T.')
  })

  it('throw GalatIpc with the discriminated code on an error result', async () => {
    mockIPC(() => {
      // Tauri rejects the invoke with the serialized AppError.
      return Promise.reject({ code: 'belum_masuk', message: 'Anda belum masuk. Klik Masuk dengan SSO ASN.' })
    })
    const e = await sesi().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(GalatIpc)
    const g = (e as GalatIpc).galat
    expect(g.code).toBe('belum_masuk')
    expect(g.message).toMatch(/belum masuk/)
  })

  it('pass the document id to profil and kontak_ubah, and call buka_tautan_masuk', async () => {
    const panggilan: [string, unknown][] = []
    mockIPC((cmd, args) => {
      panggilan.push([cmd, args])
      return cmd === 'buka_tautan_masuk' ? null : { nip: '1985' }
    })
    await profil('1985')
    await profil('1985', 42)
    await kontakUbah('1985', 42, '081234567890', null)
    await bukaTautanMasuk()
    expect(panggilan).toEqual([
      ['profil', { nip: '1985', rowid: null }],
      ['profil', { nip: '1985', rowid: 42 }],
      ['kontak_ubah', { nip: '1985', rowid: 42, noHp: '081234567890', email: null }],
      ['buka_tautan_masuk', {}],
    ])
  })
})
