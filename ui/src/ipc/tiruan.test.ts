// The stand-in backend's usulan commands, through the real wrappers: what `VITE_TIRUAN=1 npm run dev` shows.
import { clearMocks } from '@tauri-apps/api/mocks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GalatIpc, usulanAksi, usulanBuat, usulanDaftar, usulanDetail, usulanLampirkan, usulanReferensi } from './index'
import { pasangTiruan } from './tiruan'

const SEMUA = { jenis: null, status: null, nip: null, dari: null, sampai: null }

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

describe('tiruan: usulan', () => {
  it('lists the sample usulan newest first, with counts per status and keyset pages', async () => {
    const h = await usulanDaftar(SEMUA, null, 50)
    expect(h.baris).toHaveLength(50)
    expect(h.baris[0]!.sub_jenis_nama).toBe('Reguler')
    expect(h.baris[0]!.status).toBe('draft')
    expect(Object.fromEntries(h.per_status.map((s) => [s.kunci, s.jumlah]))).toEqual({
      draft: 1, diajukan: 2, bts: 1, diteruskan_ke_bkn: 1, sk_terbit: 60, konflik: 1,
    })
    const h2 = await usulanDaftar(SEMUA, h.berikut, 50)
    expect(h2.baris).toHaveLength(16)
    expect(h2.berikut).toBeNull()
    expect(new Set([...h.baris, ...h2.baris].map((u) => u.id)).size).toBe(66)
    const kolektif = (await usulanDaftar({ ...SEMUA, status: 'diajukan', jenis: 'kenaikan_pangkat' }, null, 50)).baris
    expect(kolektif.map((u) => u.jumlah_pegawai)).toEqual([3])
    const nip = kolektif[0]!.nip!
    expect((await usulanDaftar({ ...SEMUA, nip }, null, 50)).baris.map((u) => u.id)).toContain(kolektif[0]!.id)
  })

  it('blocks submitting the draft until its mandatory documents are attached', async () => {
    const draf = (await usulanDaftar({ ...SEMUA, status: 'draft' }, null, 10)).baris[0]!
    let d = await usulanDetail(draf.id)
    expect(d.temuan.filter((t) => t.tingkat === 'blokir').map((t) => t.pesan)).toEqual([
      'Dokumen wajib "Dok SK KP terakhir" belum dilampirkan. Lampirkan pindaian PDF (maks. 1 MB) di bagian Dokumen, lalu ajukan.',
      'Dokumen wajib "Dokumen evaluasi kinerja 2 tahun terakhir" belum dilampirkan. Lampirkan pindaian PDF (maks. 1 MB) di bagian Dokumen, lalu ajukan.',
    ])
    expect(await galat(usulanAksi(draf.id, { aksi: 'diajukan', alasan_id: null, catatan: null, nip: [] }))).toMatch(
      /^masukan_tidak_sah: Usulan belum dapat diajukan: Dokumen wajib "Dok SK KP terakhir"/,
    )
    expect(await galat(usulanLampirkan(draf.id, '858', 'sk.docx', 'application/msword', [1, 2]))).toMatch(/^masukan_tidak_sah: Berkas "sk.docx" bukan PDF/)
    await usulanLampirkan(draf.id, '858', 'SK_KP_2022.pdf', 'application/pdf', [37, 80, 68, 70])
    d = await usulanLampirkan(draf.id, '890', 'SKP_2024_2025.pdf', 'application/pdf', [37, 80, 68, 70])
    expect(d.dokumen.find((x) => x.kode === '858')?.terlampir?.size).toBe(4)
    expect(d.temuan.filter((t) => t.tingkat === 'blokir')).toEqual([])
    d = await usulanAksi(draf.id, { aksi: 'diajukan', alasan_id: null, catatan: null, nip: [] })
    expect(d.ringkas.status).toBe('diajukan')
    expect(d.riwayat.map((e) => e.aksi)).toEqual(['dibuat', 'diajukan'])
  })

  it('keeps a konflik with both decisions until one is chosen; BTS needs an alasan', async () => {
    const k = (await usulanDaftar({ ...SEMUA, status: 'konflik' }, null, 10)).baris[0]!
    expect(k.konflik).toBe(true)
    let d = await usulanDetail(k.id)
    expect(d.konflik[0]!.pilihan.map((e) => [e.aksi, e.alasan])).toEqual([
      ['diverifikasi', null],
      ['bts', 'BTS - Data tidak sesuai'],
    ])
    expect(await galat(usulanAksi(k.id, { aksi: 'bts', alasan_id: null, catatan: null, nip: [] }))).toBe(
      'masukan_tidak_sah: Kembalikan (BTS) memerlukan alasan dari daftar alasan tolak.',
    )
    d = await usulanAksi(k.id, { aksi: 'bts', alasan_id: '50', catatan: null, nip: [] })
    expect([d.ringkas.status, d.ringkas.konflik, d.ringkas.jumlah_bts, d.konflik]).toEqual(['bts', false, 2, []])
  })

  it('creates a peremajaan data draft with its changes and checklist', async () => {
    const { jenis, alasan } = await usulanReferensi()
    expect(jenis.map((j) => j.kode)).toContain('peremajaan_data')
    expect(alasan.filter((a) => a.keterangan === 'BTS').length).toBeGreaterThan(0)
    const nip = (await usulanDaftar({ ...SEMUA, status: 'bts' }, null, 1)).baris[0]!.nip!
    const d = await usulanBuat({
      jenis: 'peremajaan_data', sub_jenis: null, nip: [nip], perubahan: [['data_utama.nama', 'Agus Santosa']], catatan: null,
    })
    expect([d.ringkas.status, d.lokal, d.perubahan[0]!.nama_field, d.dokumen.map((x) => x.kode)]).toEqual([
      'draft', true, 'Nama', ['AKTA', 'KTP'],
    ])
    expect(await galat(usulanBuat({ jenis: 'kenaikan_pangkat', sub_jenis: null, nip: [nip], perubahan: [], catatan: null }))).toBe(
      'masukan_tidak_sah: Sub jenis kenaikan pangkat belum dipilih.',
    )
  })

  it('creates a pencantuman gelar draft only with gelar changes for one pegawai, as usulan_buat', async () => {
    const nip = (await usulanDaftar({ ...SEMUA, status: 'bts' }, null, 1)).baris[0]!.nip!
    const lain = (await usulanDaftar({ ...SEMUA, status: 'diajukan', jenis: 'kenaikan_pangkat' }, null, 1)).baris[0]!.nip!
    const buat = (nips: string[], perubahan: [string, string][]) =>
      usulanBuat({ jenis: 'pencantuman_gelar', sub_jenis: null, nip: nips, perubahan, catatan: null })
    expect(await galat(buat([nip], []))).toBe(
      'masukan_tidak_sah: Perubahan "" tidak sah: pencantuman gelar memerlukan gelar depan atau gelar belakang yang baru.',
    )
    expect(await galat(buat([nip], [['data_utama.gelar_belakang', 'S.T.'], ['data_utama.nama', 'Agus']]))).toBe(
      'masukan_tidak_sah: Perubahan "data_utama.nama" tidak sah: pencantuman gelar hanya mengubah data_utama.gelar_depan ' +
        'atau data_utama.gelar_belakang; perubahan data lain diusulkan lewat peremajaan data.',
    )
    expect(await galat(buat([nip, lain], [['data_utama.gelar_belakang', 'S.T.']]))).toBe(
      `masukan_tidak_sah: NIP "${nip}, ${lain}" tidak sah: pencantuman gelar diusulkan untuk satu pegawai.`,
    )
    const d = await buat([nip], [['data_utama.gelar_belakang', 'S.T.']])
    expect([d.ringkas.status, d.lokal, d.perubahan.map((p) => [p.field, p.nama_field, p.sesudah])]).toEqual([
      'draft', true, [['data_utama.gelar_belakang', 'Gelar belakang', 'S.T.']],
    ])
    expect(d.dokumen.map((x) => x.kode)).toEqual(['IJAZAH', 'IZIN_BELAJAR'])
  })
})
