// Pure helpers of the usulan screens (no DOM, no IPC calls): building the list filter from what the officer typed,
// status labels and colours, file checks before attaching, the field list of a peremajaan data wizard, links.
// What the backend decides (which aksi this user may take, the pre-submit findings, the checklist) is never
// recomputed here: the screens show what `usulan_detail` answers.
import type {
  AlasanTolakView,
  DokumenSyaratView,
  FilterUsulan,
  TemuanView,
  UsulanDetail,
} from '../ipc'
import { keIso, ribuan } from './format'

/** The filter fields as typed (dates `dd-mm-yyyy`, empty = unset). */
export type MasukanFilter = { jenis: string; status: string; nip: string; dari: string; sampai: string }

/** Per-field messages of a filter that cannot be sent. */
export type GalatFilter = Partial<Record<'nip' | 'dari' | 'sampai', string>>

/** Every field empty. */
export function masukanKosong(status = ''): MasukanFilter {
  return { jenis: '', status, nip: '', dari: '', sampai: '' }
}

/** True when any field other than `status` narrows the list. */
export function adaFilterLain(m: MasukanFilter): boolean {
  return [m.jenis, m.nip, m.dari, m.sampai].some((v) => v.trim() !== '')
}

/**
 * What the officer typed → `FilterUsulan`, or the messages to show under the fields when something is not valid
 * (then `filter` is null and nothing is sent). NIP: 18 digits, spaces ignored (as copied from an SK). Dates:
 * `dd-mm-yyyy` → `yyyy-mm-dd`; `sampai` may not be before `dari`.
 */
export function bangunFilter(m: MasukanFilter): { filter: FilterUsulan | null; galat: GalatFilter } {
  const galat: GalatFilter = {}
  const nip = m.nip.replace(/\s+/g, '')
  if (nip !== '' && !/^\d{18}$/.test(nip)) {
    galat.nip = `NIP "${m.nip.trim()}" tidak sah: tulis 18 angka NIP tanpa tanda baca.`
  }
  const tanggal = (teks: string, kunci: 'dari' | 'sampai'): string | null => {
    const t = teks.trim()
    if (t === '') return null
    const iso = keIso(t)
    if (iso === null) galat[kunci] = `Tanggal "${t}" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.`
    return iso
  }
  const dari = tanggal(m.dari, 'dari')
  const sampai = tanggal(m.sampai, 'sampai')
  if (dari !== null && sampai !== null && sampai < dari) {
    galat.sampai = 'Tanggal akhir lebih awal dari tanggal awal: tukar atau ubah salah satunya.'
  }
  if (Object.keys(galat).length > 0) return { filter: null, galat }
  return {
    filter: {
      jenis: m.jenis || null,
      status: m.status || null,
      nip: nip || null,
      dari,
      sampai,
    },
    galat,
  }
}

/** Status codes (`StatusUsulan::kode`) in workflow order, with the model's labels for when the backend sent none. */
export const STATUS_USULAN: readonly { kode: string; nama: string }[] = [
  { kode: 'draft', nama: 'Draf' },
  { kode: 'diajukan', nama: 'Diajukan' },
  { kode: 'diverifikasi', nama: 'Diverifikasi instansi' },
  { kode: 'bts', nama: 'BTS (perbaikan)' },
  { kode: 'tms', nama: 'TMS' },
  { kode: 'diteruskan_ke_bkn', nama: 'Diteruskan ke BKN' },
  { kode: 'disetujui', nama: 'Disetujui BKN' },
  { kode: 'sk_terbit', nama: 'SK terbit' },
  { kode: 'dibatalkan', nama: 'Dibatalkan' },
  { kode: 'konflik', nama: 'Konflik keputusan' },
  { kode: 'campuran', nama: 'Status berbeda per pegawai' },
]

/** The label of a status code (the code itself when unknown). */
export function namaStatus(kode: string): string {
  return STATUS_USULAN.find((s) => s.kode === kode)?.nama ?? kode
}

/** Sorts `kunci`s (status codes) in workflow order; unknown codes last, by name. */
export function urutStatus<T extends { kunci: string }>(daftar: readonly T[]): T[] {
  const posisi = (k: string) => {
    const i = STATUS_USULAN.findIndex((s) => s.kode === k)
    return i < 0 ? STATUS_USULAN.length : i
  }
  return [...daftar].sort((a, b) => posisi(a.kunci) - posisi(b.kunci) || a.kunci.localeCompare(b.kunci))
}

/** The badge colour of a status: `abu` draft/dibatalkan, `biru` waiting, `hijau` passed, `kuning` BTS/campuran,
 *  `merah` TMS and konflik. */
export function warnaStatus(kode: string): 'abu' | 'biru' | 'hijau' | 'kuning' | 'merah' {
  switch (kode) {
    case 'diajukan':
    case 'diteruskan_ke_bkn':
      return 'biru'
    case 'diverifikasi':
    case 'disetujui':
    case 'sk_terbit':
      return 'hijau'
    case 'bts':
    case 'campuran':
      return 'kuning'
    case 'tms':
    case 'konflik':
      return 'merah'
    default:
      return 'abu'
  }
}

/** The statuses a verifikator's inbox offers: instansi verification (`diajukan`), BKN's stage for BKN roles
 *  (`diteruskan_ke_bkn`), and conflicts. */
export function statusKotakMasuk(peran: readonly string[]): string[] {
  const bkn = peran.includes('verifikator_bkn') || peran.includes('admin_hub')
  return bkn ? ['diajukan', 'diteruskan_ke_bkn', 'konflik'] : ['diajukan', 'konflik']
}

/** Bytes → "850 B", "120 KB", "1,5 MB" (1 KB = 1.024 bytes; one decimal with a comma, ",0" dropped). */
export function ukuran(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '–'
  if (bytes < 1024) return `${Math.round(bytes)} B`
  const [n, satuan] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB']
  const teks = (Math.round(n * 10) / 10).toFixed(1).replace(/\.0$/, '').replace('.', ',')
  return `${teks} ${satuan}`
}

const MIME_LABEL: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
}

const EKSTENSI: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
}

/** A MIME type as officers name it: "PDF", "JPG"; else its subtype in capitals. */
export function labelTipe(mime: string): string {
  return MIME_LABEL[mime.toLowerCase()] ?? (mime.split('/')[1] ?? mime).toUpperCase()
}

/** The MIME type of a chosen file: what the browser says, else from the extension (`""` when unknown). */
export function mimeBerkas(nama: string, tipe: string): string {
  if (tipe) return tipe.toLowerCase()
  const ext = /\.([A-Za-z0-9]+)$/.exec(nama)?.[1]?.toLowerCase() ?? ''
  return EKSTENSI[ext] ?? ''
}

/** The `accept` attribute of a file input for a checklist document (its types, plus the usual extensions). */
export function terima(d: DokumenSyaratView): string | undefined {
  if (d.tipe.length === 0) return undefined
  const ext = Object.entries(EKSTENSI)
    .filter(([, m]) => d.tipe.includes(m))
    .map(([e]) => `.${e}`)
  return [...d.tipe, ...ext].join(',')
}

/**
 * Checks a chosen file against a checklist document before reading it: not empty, an allowed type, within the
 * maximum size. Returns the sentence to show (naming the file, the document and what to do), or null when fine.
 * The backend checks again (`usulan_lampirkan`); this only spares reading and sending a file it would refuse.
 */
export function periksaBerkas(berkas: { nama: string; ukuran: number; mime: string }, d: DokumenSyaratView): string | null {
  if (berkas.ukuran === 0) return `Berkas "${berkas.nama}" kosong (0 byte). Pilih berkas pindaian ${d.nama} yang benar.`
  if (d.tipe.length > 0 && !d.tipe.includes(berkas.mime)) {
    const boleh = d.tipe.map(labelTipe).join(' atau ')
    const ada = berkas.mime ? labelTipe(berkas.mime) : 'tidak dikenal'
    return `Berkas "${berkas.nama}" bertipe ${ada}; ${d.nama} harus ${boleh}. Simpan ulang sebagai ${boleh} lalu lampirkan lagi.`
  }
  if (d.ukuran_maks !== null && berkas.ukuran > d.ukuran_maks) {
    // Just over the limit rounds to the limit ("1 MB; batas 1 MB"): then say it in bytes.
    const sama = ukuran(berkas.ukuran) === ukuran(d.ukuran_maks)
    const ada = sama ? `${ribuan(berkas.ukuran)} byte` : ukuran(berkas.ukuran)
    const batas = sama ? `${ribuan(d.ukuran_maks)} byte` : ukuran(d.ukuran_maks)
    return (
      `Berkas "${berkas.nama}" berukuran ${ada}; batas ${d.nama} ${batas}. ` +
      'Kecilkan berkasnya (misalnya pindai ulang dengan resolusi 150 dpi, hitam-putih) lalu lampirkan lagi.'
    )
  }
  return null
}

/** True when a finding blocks submission. */
export function adaBlokir(temuan: readonly TemuanView[]): boolean {
  return temuan.some((t) => t.tingkat === 'blokir')
}

/**
 * Whether the checklist can take files now: while the operator prepares it (draft, BTS), and while it waits for a
 * verifikator who may act on it (the hub accepts changes after submission only from a verifikator).
 */
export function bolehLampir(d: UsulanDetail): boolean {
  const s = d.ringkas.status
  if (s === 'draft' || s === 'bts') return true
  return s === 'diajukan' && d.aksi.some((a) => a.aksi === 'diverifikasi')
}

/** The alasan tolak that fit an aksi (BTS → the "BTS" ones, TMS → "TMS"); all of them when none fit. */
export function alasanUntuk(aksi: string, alasan: readonly AlasanTolakView[]): AlasanTolakView[] {
  const kunci = aksi.toUpperCase()
  const cocok = alasan.filter((a) => (a.keterangan ?? '').toUpperCase() === kunci)
  return cocok.length > 0 ? cocok : [...alasan]
}

/** An element id part from a code (`kode` of a checklist document, an event id): letters, digits, `-`, `_` only. */
export function idAman(kode: string): string {
  return kode.replace(/[^A-Za-z0-9_-]/g, '_')
}

/** The address of an usulan: `#/usulan/<id>`, or `#/verifikasi/<id>` when opened from the verifikasi inbox. */
export function tautanUsulan(id: string, dari: 'usulan' | 'verifikasi' = 'usulan'): string {
  return `#/${dari}/${encodeURIComponent(id)}`
}

/** A field a peremajaan data usulan may propose (`kewenangan-field.json` ids), and how its value is typed. */
export type MedanPeremajaan = { path: string; nama: string; jenis: 'teks' | 'tanggal' | 'angka' }

/**
 * The data utama fields the wizard offers for peremajaan data: the ones with free values (reference-coded fields
 * such as agama or jabatan need a picker and are not offered here). From `schemas/referensi/kewenangan-field.json`.
 */
export const MEDAN_PEREMAJAAN: readonly MedanPeremajaan[] = [
  { path: 'data_utama.nama', nama: 'Nama', jenis: 'teks' },
  { path: 'data_utama.gelar_depan', nama: 'Gelar depan', jenis: 'teks' },
  { path: 'data_utama.gelar_belakang', nama: 'Gelar belakang', jenis: 'teks' },
  { path: 'data_utama.tempat_lahir', nama: 'Tempat lahir', jenis: 'teks' },
  { path: 'data_utama.tgl_lahir', nama: 'Tanggal lahir', jenis: 'tanggal' },
  { path: 'data_utama.nik', nama: 'NIK', jenis: 'angka' },
  { path: 'data_utama.email', nama: 'Email pribadi', jenis: 'teks' },
  { path: 'data_utama.email_gov', nama: 'Email dinas', jenis: 'teks' },
  { path: 'data_utama.no_hp', nama: 'Nomor HP', jenis: 'angka' },
  { path: 'data_utama.no_telp', nama: 'Nomor telepon', jenis: 'angka' },
  { path: 'data_utama.alamat', nama: 'Alamat', jenis: 'teks' },
  { path: 'data_utama.npwp', nama: 'NPWP', jenis: 'teks' },
  { path: 'data_utama.bpjs', nama: 'Nomor BPJS', jenis: 'angka' },
  { path: 'data_utama.jabatan_nama', nama: 'Nama jabatan', jenis: 'teks' },
  { path: 'data_utama.tmt_jabatan', nama: 'TMT jabatan', jenis: 'tanggal' },
  { path: 'data_utama.tmt_cpns', nama: 'TMT CPNS', jenis: 'tanggal' },
  { path: 'data_utama.tmt_pns', nama: 'TMT PNS', jenis: 'tanggal' },
  { path: 'data_utama.tmt_golongan', nama: 'TMT golongan terakhir', jenis: 'tanggal' },
  { path: 'data_utama.tahun_lulus', nama: 'Tahun lulus', jenis: 'angka' },
]

/** One change row of the wizard as typed. */
export type BarisPerubahan = { field: string; nilai: string }

/**
 * The wizard's change rows → `UsulanBaru.perubahan` (field path, value text; dates `dd-mm-yyyy` → `yyyy-mm-dd`),
 * or per-row messages (same indexes as `baris`; null = fine). Every row needs a field and a value; a field once.
 */
export function bangunPerubahan(baris: readonly BarisPerubahan[]): {
  perubahan: [string, string][] | null
  galat: (string | null)[]
} {
  const galat: (string | null)[] = baris.map(() => null)
  const perubahan: [string, string][] = []
  const dipakai = new Set<string>()
  baris.forEach((b, i) => {
    const medan = MEDAN_PEREMAJAAN.find((m) => m.path === b.field)
    const nilai = b.nilai.trim()
    if (!medan) {
      galat[i] = 'Pilih data yang diubah.'
      return
    }
    if (dipakai.has(b.field)) {
      galat[i] = `${medan.nama} sudah diubah di baris lain; satukan dalam satu baris.`
      return
    }
    dipakai.add(b.field)
    if (nilai === '') {
      galat[i] = `Isi nilai baru ${medan.nama}.`
      return
    }
    if (medan.jenis === 'tanggal') {
      const iso = keIso(nilai)
      if (iso === null) {
        galat[i] = `${medan.nama} "${nilai}" tidak sah: tulis dd-mm-yyyy, misalnya 01-04-2026.`
        return
      }
      perubahan.push([b.field, iso])
      return
    }
    if (medan.jenis === 'angka' && !/^\+?\d+$/.test(nilai.replace(/[\s.-]/g, ''))) {
      galat[i] = `${medan.nama} "${nilai}" tidak sah: tulis angka saja.`
      return
    }
    perubahan.push([b.field, medan.jenis === 'angka' ? nilai.replace(/[\s.-]/g, '') : nilai])
  })
  if (baris.length === 0) return { perubahan: null, galat }
  return { perubahan: galat.some((g) => g !== null) ? null : perubahan, galat }
}
