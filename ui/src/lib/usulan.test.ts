import { describe, expect, it } from 'vitest'
import type { DokumenSyaratView } from '../ipc'
import { bacaRute } from './rute.svelte'
import {
  adaBlokir,
  alasanUntuk,
  bangunFilter,
  bangunPerubahan,
  bolehLampir,
  idAman,
  labelTipe,
  masukanKosong,
  mimeBerkas,
  periksaBerkas,
  statusKotakMasuk,
  tautanUsulan,
  terima,
  ukuran,
  urutStatus,
  warnaStatus,
} from './usulan'
import { detailContoh, detailDiajukan, referensiContoh, ringkasContoh } from './usulan-contoh'

const SK_KP: DokumenSyaratView = {
  kode: '858',
  nama: 'Dok SK KP terakhir',
  wajib: true,
  tipe: ['application/pdf'],
  ukuran_maks: 1048576,
  terlampir: null,
}

describe('bangunFilter', () => {
  it('sends every empty field as null', () => {
    expect(bangunFilter(masukanKosong())).toEqual({
      filter: { jenis: null, status: null, nip: null, dari: null, sampai: null },
      galat: {},
    })
  })

  it('turns typed values into the FilterUsulan the backend takes', () => {
    expect(
      bangunFilter({ jenis: 'kenaikan_pangkat', status: 'bts', nip: ' 198503152010 011002 ', dari: '1-4-2026', sampai: '30-11-2026' }),
    ).toEqual({
      filter: { jenis: 'kenaikan_pangkat', status: 'bts', nip: '198503152010011002', dari: '2026-04-01', sampai: '2026-11-30' },
      galat: {},
    })
  })

  it('refuses a NIP that is not 18 digits, naming what was typed', () => {
    const h = bangunFilter({ ...masukanKosong(), nip: '19850315' })
    expect(h.filter).toBeNull()
    expect(h.galat).toEqual({ nip: 'NIP "19850315" tidak sah: tulis 18 angka NIP tanpa tanda baca.' })
  })

  it('refuses dates that are not dd-mm-yyyy or not real, and a range that ends before it starts', () => {
    expect(bangunFilter({ ...masukanKosong(), dari: '2026-04-01', sampai: '31-02-2026' }).galat).toEqual({
      dari: 'Tanggal "2026-04-01" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.',
      sampai: 'Tanggal "31-02-2026" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.',
    })
    const h = bangunFilter({ ...masukanKosong(), dari: '01-12-2026', sampai: '01-11-2026' })
    expect(h.filter).toBeNull()
    expect(h.galat).toEqual({ sampai: 'Tanggal akhir lebih awal dari tanggal awal: tukar atau ubah salah satunya.' })
    expect(bangunFilter({ ...masukanKosong(), dari: '01-11-2026', sampai: '01-11-2026' }).filter?.sampai).toBe('2026-11-01')
  })
})

describe('status helpers', () => {
  it('sorts counts in workflow order, unknown codes last', () => {
    const h = urutStatus([
      { kunci: 'konflik', label: 'Konflik keputusan', jumlah: 1 },
      { kunci: 'zzz', label: '?', jumlah: 1 },
      { kunci: 'bts', label: 'BTS (perbaikan)', jumlah: 2 },
      { kunci: 'draft', label: 'Draf', jumlah: 3 },
    ])
    expect(h.map((x) => x.kunci)).toEqual(['draft', 'bts', 'konflik', 'zzz'])
  })

  it('colours statuses: konflik and TMS red, BTS amber, passed green', () => {
    expect(['draft', 'diajukan', 'diverifikasi', 'bts', 'tms', 'konflik', 'sk_terbit', 'dibatalkan'].map(warnaStatus)).toEqual([
      'abu', 'biru', 'hijau', 'kuning', 'merah', 'merah', 'hijau', 'abu',
    ])
  })

  it('offers BKN roles the BKN stage in their inbox', () => {
    expect(statusKotakMasuk(['verifikator_instansi'])).toEqual(['diajukan', 'konflik'])
    expect(statusKotakMasuk(['verifikator_bkn'])).toEqual(['diajukan', 'diteruskan_ke_bkn', 'konflik'])
  })
})

describe('files', () => {
  it('writes sizes with a decimal comma', () => {
    expect([0, 850, 1024, 1536, 1048576, 1572864, 3355443].map(ukuran)).toEqual([
      '0 B', '850 B', '1 KB', '1,5 KB', '1 MB', '1,5 MB', '3,2 MB',
    ])
    expect(ukuran(null)).toBe('–')
  })

  it('names types as officers do and guesses the type from the extension when the system gives none', () => {
    expect(labelTipe('application/pdf')).toBe('PDF')
    expect(labelTipe('image/jpeg')).toBe('JPG')
    expect(labelTipe('application/msword')).toBe('MSWORD')
    expect(mimeBerkas('SK KP.PDF', '')).toBe('application/pdf')
    expect(mimeBerkas('foto.jpeg', '')).toBe('image/jpeg')
    expect(mimeBerkas('catatan', '')).toBe('')
    expect(mimeBerkas('x.pdf', 'Application/PDF')).toBe('application/pdf')
    expect(terima(SK_KP)).toBe('application/pdf,.pdf')
    expect(terima({ ...SK_KP, tipe: [] })).toBeUndefined()
  })

  it('checks a file against the checklist before reading it', () => {
    expect(periksaBerkas({ nama: 'sk.pdf', ukuran: 500_000, mime: 'application/pdf' }, SK_KP)).toBeNull()
    expect(periksaBerkas({ nama: 'sk.docx', ukuran: 50_000, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }, SK_KP))
      .toBe('Berkas "sk.docx" bertipe VND.OPENXMLFORMATS-OFFICEDOCUMENT.WORDPROCESSINGML.DOCUMENT; Dok SK KP terakhir harus PDF. Simpan ulang sebagai PDF lalu lampirkan lagi.')
    expect(periksaBerkas({ nama: 'sk', ukuran: 50_000, mime: '' }, SK_KP)).toBe(
      'Berkas "sk" bertipe tidak dikenal; Dok SK KP terakhir harus PDF. Simpan ulang sebagai PDF lalu lampirkan lagi.',
    )
    expect(periksaBerkas({ nama: 'sk.pdf', ukuran: 3355443, mime: 'application/pdf' }, SK_KP)).toBe(
      'Berkas "sk.pdf" berukuran 3,2 MB; batas Dok SK KP terakhir 1 MB. Kecilkan berkasnya (misalnya pindai ulang dengan ' +
        'resolusi 150 dpi, hitam-putih) lalu lampirkan lagi.',
    )
    expect(periksaBerkas({ nama: 'kosong.pdf', ukuran: 0, mime: 'application/pdf' }, SK_KP)).toBe(
      'Berkas "kosong.pdf" kosong (0 byte). Pilih berkas pindaian Dok SK KP terakhir yang benar.',
    )
    expect(periksaBerkas({ nama: 'sk.pdf', ukuran: 1048577, mime: 'application/pdf' }, SK_KP)).toMatch(
      /^Berkas "sk.pdf" berukuran 1.048.577 byte; batas Dok SK KP terakhir 1.048.576 byte\. /,
    )
    // Exactly at the limit is allowed.
    expect(periksaBerkas({ nama: 'sk.pdf', ukuran: 1048576, mime: 'application/pdf' }, SK_KP)).toBeNull()
  })

  it('lets files be attached in draft and BTS, and after submission only by a verifikator', () => {
    expect(bolehLampir(detailContoh())).toBe(true)
    expect(bolehLampir(detailContoh({ ringkas: ringkasContoh({ status: 'bts' }) }))).toBe(true)
    expect(bolehLampir(detailDiajukan())).toBe(true)
    expect(bolehLampir(detailDiajukan({ aksi: [{ aksi: 'dibatalkan', nama: 'Batalkan usulan', perlu_alasan: false }] }))).toBe(false)
    expect(bolehLampir(detailContoh({ ringkas: ringkasContoh({ status: 'sk_terbit' }), aksi: [] }))).toBe(false)
  })
})

describe('findings and alasan', () => {
  it('finds a blocking finding', () => {
    expect(adaBlokir(detailContoh().temuan)).toBe(true)
    expect(adaBlokir(detailContoh().temuan.filter((t) => t.tingkat !== 'blokir'))).toBe(false)
  })

  it('offers the BTS reasons for BTS and the TMS reasons for TMS; all when none fit', () => {
    const { alasan } = referensiContoh()
    expect(alasanUntuk('bts', alasan).map((a) => a.id)).toEqual(['50', '51'])
    expect(alasanUntuk('tms', alasan).map((a) => a.id)).toEqual(['60'])
    expect(alasanUntuk('dibatalkan', alasan).map((a) => a.id)).toEqual(['50', '51', '60'])
  })
})

describe('bangunPerubahan', () => {
  it('turns rows into field path and value text, dates as yyyy-mm-dd', () => {
    expect(
      bangunPerubahan([
        { field: 'data_utama.tgl_lahir', nilai: '16-03-1985' },
        { field: 'data_utama.tempat_lahir', nilai: '  Kabupaten Sleman ' },
        { field: 'data_utama.no_hp', nilai: '0812-3456 7890' },
      ]),
    ).toEqual({
      perubahan: [
        ['data_utama.tgl_lahir', '1985-03-16'],
        ['data_utama.tempat_lahir', 'Kabupaten Sleman'],
        ['data_utama.no_hp', '081234567890'],
      ],
      galat: [null, null, null],
    })
  })

  it('names the row and what to do', () => {
    expect(
      bangunPerubahan([
        { field: '', nilai: 'x' },
        { field: 'data_utama.tgl_lahir', nilai: '1985-03-16' },
        { field: 'data_utama.tgl_lahir', nilai: '16-03-1985' },
        { field: 'data_utama.nama', nilai: ' ' },
        { field: 'data_utama.nik', nilai: '3404-abc' },
      ]),
    ).toEqual({
      perubahan: null,
      galat: [
        'Pilih data yang diubah.',
        'Tanggal lahir "1985-03-16" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.',
        'Tanggal lahir sudah diubah di baris lain; satukan dalam satu baris.',
        'Isi nilai baru Nama.',
        'NIK "3404-abc" tidak sah: tulis angka saja.',
      ],
    })
    expect(bangunPerubahan([])).toEqual({ perubahan: null, galat: [] })
  })
})

describe('usulan routes', () => {
  it('reads the usulan and verifikasi addresses', () => {
    expect(bacaRute('#/usulan').layar).toBe('usulan')
    expect(bacaRute('#/usulan/baru').layar).toBe('usulan-baru')
    const d = bacaRute('#/usulan/0193a1f0-0001-7b41-9d2a-5e8f1a2b3c01')
    expect([d.layar, d.id]).toEqual(['usulan-detail', '0193a1f0-0001-7b41-9d2a-5e8f1a2b3c01'])
    expect(bacaRute('#/verifikasi').layar).toBe('verifikasi')
    const v = bacaRute('#/verifikasi/abc%2Fdef')
    expect([v.layar, v.id]).toEqual(['verifikasi-detail', 'abc/def'])
    expect(bacaRute('#/usulan/%E0%A4%A').id).toBe('%E0%A4%A')
  })

  it('links to an usulan from either list, and makes safe element ids', () => {
    expect(tautanUsulan('0193-a')).toBe('#/usulan/0193-a')
    expect(tautanUsulan('abc/def', 'verifikasi')).toBe('#/verifikasi/abc%2Fdef')
    expect(bacaRute(tautanUsulan('abc/def', 'verifikasi')).id).toBe('abc/def')
    expect(idAman('IZIN BELAJAR/2')).toBe('IZIN_BELAJAR_2')
  })
})
