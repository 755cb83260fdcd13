// Pure helpers of the Verifikasi lapangan screens (no DOM, no IPC calls): the hasil list and colours, the list
// filter from what the officer typed, photo and note checks before anything is sent, links. The backend checks
// everything again (`verifikasi_lapangan_buat`, `verifikasi_lapangan_foto_tambah`); these only spare reading and
// sending what it would refuse, with the same limits.
import type { FilterKunjungan } from '../ipc'
import { ribuan } from './format'
import { bangunFilter, labelTipe, mimeBerkas, ukuran } from './usulan'

/** The hasil of a visit, in the backend's order (`app::verifikasi::HASIL`). */
export const HASIL_KUNJUNGAN: readonly { kode: string; nama: string }[] = [
  { kode: 'ditemukan', nama: 'Ditemukan' },
  { kode: 'tidak_ditemukan', nama: 'Tidak ditemukan' },
  { kode: 'meninggal', nama: 'Meninggal' },
  { kode: 'pindah', nama: 'Pindah' },
  { kode: 'lainnya', nama: 'Lainnya' },
]

/** The longest note, characters (`app::verifikasi::MAX_CATATAN`). */
export const MAX_CATATAN = 2000
/** Photo limits (`app::verifikasi::MAX_FOTO_BYTES`, `MIN_FOTO_BYTES`, `MAX_FOTO`, `TIPE_FOTO`). */
export const MAX_FOTO_BYTES = 5 * 1024 * 1024
export const MIN_FOTO_BYTES = 1024
export const MAX_FOTO = 10
/** All photos of one visit together (`app::verifikasi::MAX_TOTAL_FOTO_BYTES`). */
export const MAX_TOTAL_FOTO_BYTES = 10 * 1024 * 1024
export const TIPE_FOTO: readonly string[] = ['image/jpeg', 'image/png']
/** The `accept` attribute of a photo input. */
export const TERIMA_FOTO = 'image/jpeg,image/png,.jpg,.jpeg,.png'

/** The label of a hasil code (the code itself when unknown). */
export function namaHasil(kode: string): string {
  return HASIL_KUNJUNGAN.find((h) => h.kode === kode)?.nama ?? kode
}

/** The badge colour of a hasil: found is green, not found and deceased need follow-up (red), moved and other
 *  are yellow. */
export function warnaHasil(kode: string): 'hijau' | 'merah' | 'kuning' | 'abu' {
  switch (kode) {
    case 'ditemukan':
      return 'hijau'
    case 'tidak_ditemukan':
    case 'meninggal':
      return 'merah'
    case 'pindah':
    case 'lainnya':
      return 'kuning'
    default:
      return 'abu'
  }
}

/** The filter fields as typed (dates `dd-mm-yyyy`, empty = unset). */
export type MasukanKunjungan = { hasil: string; nip: string; unor: string; dari: string; sampai: string }

/** Per-field messages of a filter that cannot be sent. */
export type GalatFilterKunjungan = Partial<Record<'nip' | 'dari' | 'sampai', string>>

/** Every field empty. */
export function masukanKunjunganKosong(): MasukanKunjungan {
  return { hasil: '', nip: '', unor: '', dari: '', sampai: '' }
}

/** True when any field narrows the list. */
export function adaFilterKunjungan(m: MasukanKunjungan): boolean {
  return [m.hasil, m.nip, m.unor, m.dari, m.sampai].some((v) => v.trim() !== '')
}

/** What the officer typed → `FilterKunjungan`, or the messages to show under the fields (then `filter` is null).
 *  NIP and dates follow the usulan list's rules (18 digits; `dd-mm-yyyy`; `sampai` not before `dari`). */
export function bangunFilterKunjungan(m: MasukanKunjungan): { filter: FilterKunjungan | null; galat: GalatFilterKunjungan } {
  const { filter, galat } = bangunFilter({ jenis: '', status: '', nip: m.nip, dari: m.dari, sampai: m.sampai })
  if (!filter) return { filter: null, galat }
  return {
    filter: { hasil: m.hasil || null, nip: filter.nip, unor: m.unor || null, dari: filter.dari, sampai: filter.sampai },
    galat,
  }
}

/** A chosen photo, checked before reading it: JPEG or PNG, within the size limits. Returns the sentence to show
 *  (naming the file and what to do), or null when fine. */
export function periksaFoto(berkas: { nama: string; ukuran: number; mime: string }): string | null {
  if (!TIPE_FOTO.includes(berkas.mime)) {
    const ada = berkas.mime ? labelTipe(berkas.mime) : 'tidak dikenal'
    return `Berkas "${berkas.nama}" bertipe ${ada}; foto harus JPG atau PNG. Pilih foto dari kamera atau simpan ulang sebagai JPG.`
  }
  if (berkas.ukuran > MAX_FOTO_BYTES) {
    // Just over the limit rounds to the limit ("5 MB; batas 5 MB"): then say it in bytes.
    const sama = ukuran(berkas.ukuran) === ukuran(MAX_FOTO_BYTES)
    const ada = sama ? `${ribuan(berkas.ukuran)} byte` : ukuran(berkas.ukuran)
    const batas = sama ? `${ribuan(MAX_FOTO_BYTES)} byte` : ukuran(MAX_FOTO_BYTES)
    return `Foto "${berkas.nama}" berukuran ${ada}; batasnya ${batas}. Perkecil resolusi fotonya lalu pilih lagi.`
  }
  if (berkas.ukuran < MIN_FOTO_BYTES) {
    return `Foto "${berkas.nama}" hanya ${ribuan(berkas.ukuran)} byte; berkas sekecil ini biasanya kosong atau rusak. Pilih foto yang benar.`
  }
  return null
}

/** Photos chosen in order, kept while all together (with `sudah` bytes of photos already on the visit) fit
 *  `MAX_TOTAL_FOTO_BYTES`: the ones kept, and a sentence naming those left out (null when none). */
export function batasiTotalFoto<T extends { nama: string; ukuran: number }>(
  dipilih: readonly T[],
  sudah = 0,
): { diterima: T[]; pesan: string | null } {
  const diterima: T[] = []
  const ditolak: string[] = []
  let total = sudah
  for (const f of dipilih) {
    if (total + f.ukuran > MAX_TOTAL_FOTO_BYTES) ditolak.push(`"${f.nama}"`)
    else {
      diterima.push(f)
      total += f.ukuran
    }
  }
  const pesan = ditolak.length === 0
    ? null
    : `Semua foto satu kunjungan paling besar ${ukuran(MAX_TOTAL_FOTO_BYTES)}; ${ditolak.join(', ')} tidak ditambahkan. Perkecil resolusi fotonya.`
  return { diterima, pesan }
}

/** Today's date on this computer's clock, `dd-mm-yyyy` (not UTC's: before 07:00 WIB UTC is still yesterday). */
export function hariIniLokal(kini: Date = new Date()): string {
  const dua = (n: number): string => String(n).padStart(2, '0')
  return `${dua(kini.getDate())}-${dua(kini.getMonth() + 1)}-${kini.getFullYear()}`
}

/** The photos of a visit once each (a document merged from old devices may list the same photo twice). */
export function fotoUnik<T extends { sha256: string }>(foto: readonly T[]): T[] {
  const dilihat = new Set<string>()
  return foto.filter((f) => !dilihat.has(f.sha256) && dilihat.add(f.sha256) !== undefined)
}

/** The MIME type of a chosen photo (what the browser says, else from the extension). */
export function mimeFoto(nama: string, tipe: string): string {
  return mimeBerkas(nama, tipe)
}

/** The message for a note, or null when fine: at most `MAX_CATATAN` characters; required for `lainnya`. */
export function periksaCatatan(catatan: string, hasil: string): string | null {
  const panjang = [...catatan.trim()].length
  if (panjang > MAX_CATATAN) {
    return `Catatan terlalu panjang: ${ribuan(panjang)} karakter, paling banyak ${ribuan(MAX_CATATAN)}. Ringkas catatannya.`
  }
  if (hasil === 'lainnya' && panjang === 0) return 'Hasil "Lainnya" perlu catatan yang menjelaskan temuannya.'
  return null
}

/** The address of one visit. */
export function tautanKunjungan(id: string): string {
  return `#/verifikasi-lapangan/${encodeURIComponent(id)}`
}

/** The address of the form recording a visit, for a pegawai when `nip` is given. */
export function tautanCatatKunjungan(nip?: string | null): string {
  return nip ? `#/verifikasi-lapangan/baru?nip=${encodeURIComponent(nip)}` : '#/verifikasi-lapangan/baru'
}
