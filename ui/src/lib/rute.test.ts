import { describe, expect, it } from 'vitest'
import { bacaRute, tautanProfil } from './rute.svelte'

describe('bacaRute', () => {
  it('reads the screens', () => {
    expect(bacaRute('#/pegawai').layar).toBe('pegawai')
    expect(bacaRute('').layar).toBe('beranda')
    expect(bacaRute('#/tidak-ada').layar).toBe('beranda')
    const r = bacaRute('#/pegawai/198503152010011002')
    expect(r).toMatchObject({ layar: 'profil', nip: '198503152010011002', dok: null })
  })

  it('reads a document id when the link names one', () => {
    expect(bacaRute('#/pegawai/1985?dok=42')).toMatchObject({ layar: 'profil', nip: '1985', dok: 42 })
    expect(bacaRute('#/pegawai/1985?dok=abc').dok).toBeNull()
    expect(bacaRute('#/pegawai/1985?dok=-3').dok).toBeNull()
    expect(bacaRute(tautanProfil('19 85', 7))).toMatchObject({ nip: '19 85', dok: 7 })
    expect(tautanProfil('1985')).toBe('#/pegawai/1985')
  })

  it('reads the verifikasi lapangan screens apart from the usulan inbox', () => {
    expect(bacaRute('#/verifikasi-lapangan').layar).toBe('verifikasi-lapangan')
    const baru = bacaRute('#/verifikasi-lapangan/baru?nip=197603012006012005')
    expect(baru.layar).toBe('verifikasi-lapangan-baru')
    expect(baru.param.get('nip')).toBe('197603012006012005')
    expect(bacaRute('#/verifikasi-lapangan/0193a1f0-0001')).toMatchObject({ layar: 'verifikasi-lapangan-detail', id: '0193a1f0-0001' })
    expect(bacaRute('#/verifikasi/0193a1f0-0001').layar).toBe('verifikasi-detail')
  })

  it('reads the Pengingat screen', () => {
    expect(bacaRute('#/pengingat').layar).toBe('pengingat')
    expect(bacaRute('#/pengingat/').layar).toBe('pengingat')
  })

  it('never throws on a malformed % sequence', () => {
    expect(() => bacaRute('#/pegawai/%E0%A4%A')).not.toThrow()
    expect(bacaRute('#/pegawai/%')).toMatchObject({ layar: 'profil', nip: '%' })
    expect(bacaRute('#/pegawai/12%zz34').nip).toBe('12%zz34')
    expect(() => bacaRute('#/pegawai?bup=%&ikd=%E0%A4')).not.toThrow()
    expect(bacaRute('#/pegawai?bup=%&ikd=%E0%A4').layar).toBe('pegawai')
  })
})
