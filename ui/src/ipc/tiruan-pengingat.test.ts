// The stand-in backend's Pengingat commands, through the real wrappers: what `VITE_TIRUAN=1 npm run dev` shows.
import { clearMocks } from '@tauri-apps/api/mocks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GalatIpc, pengingatDaftar, pengingatTandai, type FilterPengingat, type PengingatView } from './index'
import { pasangTiruan } from './tiruan'
import { HARI_INI_PENGINGAT } from './tiruan-pengingat'

const KP: FilterPengingat = { jenis: 'kp', bulan: 12, status: null, unor: null }

beforeAll(() => pasangTiruan(600))
afterAll(() => clearMocks())

async function galat(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return e instanceof GalatIpc ? `${e.code}: ${e.message}` : String(e)
  }
  return 'tidak gagal'
}

async function semua(filter: FilterPengingat, batas: number): Promise<PengingatView[]> {
  const hasil: PengingatView[] = []
  let h = await pengingatDaftar(filter, null, batas)
  hasil.push(...h.baris)
  while (h.berikut) {
    h = await pengingatDaftar(filter, h.berikut, batas)
    hasil.push(...h.baris)
  }
  return hasil
}

describe('tiruan: pengingat', () => {
  it('lists each kind by date in keyset pages, with counts per state that ignore the state filter', async () => {
    for (const jenis of ['kp', 'bup', 'kgb']) {
      const f = { ...KP, jenis }
      const h = await pengingatDaftar(f, null, 500)
      expect(h.per_status.map((p) => p.kunci)).toEqual(['aktif', 'kedaluwarsa', 'ditangani', 'tidak_perlu'])
      expect(h.bulan).toBe(12)
      expect(h.boleh_tandai).toBe(true)
      const total = h.per_status.reduce((n, p) => n + p.jumlah, 0)
      expect(total).toBeGreaterThan(0)
      const rows = await semua(f, 7)
      expect(rows).toHaveLength(total)
      expect(new Set(rows.map((r) => `${r.rowid}/${r.kunci}`)).size).toBe(total)
      const tanggal = rows.map((r) => r.tanggal)
      expect([...tanggal].sort()).toEqual(tanggal)
      for (const r of rows) {
        expect(r.nip).toMatch(/^\d{18}$/)
        expect(r.kunci).toBe(`${jenis}-${r.tanggal_kunci}`)
        expect(r.status === 'kedaluwarsa').toBe(r.tindak_lanjut === null && r.tanggal_kunci < HARI_INI_PENGINGAT)
      }
      const kedaluwarsa = await pengingatDaftar({ ...f, status: 'kedaluwarsa' }, null, 500)
      expect(kedaluwarsa.baris.every((r) => r.status === 'kedaluwarsa')).toBe(true)
      expect(kedaluwarsa.per_status).toEqual(h.per_status)
    }
    const kp = (await pengingatDaftar(KP, null, 500)).baris
    expect(kp.some((r) => /^(I|II|III|IV)\/[a-e] → (I|II|III|IV)\/[a-e]$/.test(r.keterangan))).toBe(true)
    expect(kp.some((r) => r.status === 'kedaluwarsa' && r.tanggal > r.tanggal_kunci)).toBe(true)
    expect((await pengingatDaftar({ ...KP, jenis: 'bup' }, null, 500)).baris[0]?.keterangan).toMatch(/^BUP 58 tahun$/)
    expect((await pengingatDaftar({ ...KP, jenis: 'kgb' }, null, 500)).baris[0]?.keterangan).toMatch(/^MKG \d+ tahun$/)
    const pendek = await pengingatDaftar({ ...KP, bulan: 3 }, null, 500)
    expect(pendek.per_status.reduce((n, p) => n + p.jumlah, 0)).toBeLessThan(kp.length)
  })

  it('records, shows and takes back a follow-up; refuses what the backend refuses', async () => {
    const [r] = (await pengingatDaftar({ ...KP, status: 'aktif' }, null, 1)).baris
    expect(r).toBeDefined()
    const t = await pengingatTandai(r!.nip, r!.rowid, r!.kunci, 'ditangani', ' Usulan sudah diajukan. ')
    expect(t).toMatchObject({ status: 'ditangani', status_nama: 'Ditangani', catatan: 'Usulan sudah diajukan.', oleh: '199001012015031001' })
    const lagi = (await semua(KP, 500)).find((x) => x.rowid === r!.rowid && x.kunci === r!.kunci)
    expect(lagi?.status).toBe('ditangani')
    expect(lagi?.tindak_lanjut?.catatan).toBe('Usulan sudah diajukan.')
    expect(await pengingatTandai(r!.nip, r!.rowid, r!.kunci, null, null)).toBeNull()
    expect((await semua(KP, 500)).find((x) => x.rowid === r!.rowid && x.kunci === r!.kunci)?.status).toBe('aktif')

    expect(await galat(pengingatTandai('1976', r!.rowid, r!.kunci, 'ditangani', null))).toBe(
      'masukan_tidak_sah: NIP "1976" tidak sah: tulis 18 angka NIP.',
    )
    expect(await galat(pengingatTandai(r!.nip, r!.rowid, 'kp-2027-4-1', 'ditangani', null))).toMatch(/^masukan_tidak_sah: Kunci pengingat/)
    expect(await galat(pengingatTandai(r!.nip, r!.rowid, r!.kunci, 'ditangani', 'x'.repeat(501)))).toMatch(/paling banyak 500 karakter/)
    expect(await galat(pengingatTandai('199901012024011001', null, r!.kunci, 'ditangani', null))).toMatch(/^tidak_ditemukan/)
    expect(await galat(pengingatDaftar({ ...KP, bulan: 24 }, null, 10))).toMatch(/antara 1 dan 23 bulan/)
  })
})
