// Pure helpers of the Pengingat screen (no DOM, no IPC calls): the kinds and states with their labels and colours,
// the horizons offered, the filter sent to `pengingat_daftar`, the note check before `pengingat_tandai` (the
// backend's limit, `model::pengingat::MAX_CATATAN`), and the sentence describing a recorded follow-up.
import type { FilterPengingat, Hitung, TindakLanjutView } from '../ipc'
import { ribuan, tanggalWaktu } from './format'

export type JenisPengingat = 'kp' | 'bup' | 'kgb'

/** The kinds, in the backend's order (`model::pengingat::JenisPengingat::SEMUA`), with the tab labels and what the
 *  Tanggal column holds for each. */
export const JENIS_PENGINGAT: readonly { kode: JenisPengingat; nama: string; tanggal: string; penjelasan: string }[] = [
  {
    kode: 'kp',
    nama: 'Kenaikan pangkat',
    tanggal: 'periode KP',
    penjelasan: 'Pegawai yang memenuhi masa kerja untuk kenaikan pangkat reguler pada periode KP dalam rentang ini.',
  },
  {
    kode: 'bup',
    nama: 'Pensiun (BUP)',
    tanggal: 'TMT pensiun',
    penjelasan: 'Pegawai aktif yang mencapai batas usia pensiun (BUP) dalam rentang ini, termasuk yang sudah lewat.',
  },
  {
    kode: 'kgb',
    nama: 'Gaji berkala (KGB)',
    tanggal: 'TMT KGB',
    penjelasan: 'Pegawai yang kenaikan gaji berkalanya jatuh dari bulan ini sampai akhir rentang.',
  },
]

/** The states, in the backend's order (`model::pengingat::StatusPengingat::SEMUA`). */
export const STATUS_PENGINGAT: readonly { kode: string; nama: string }[] = [
  { kode: 'aktif', nama: 'Aktif' },
  { kode: 'kedaluwarsa', nama: 'Kedaluwarsa' },
  { kode: 'ditangani', nama: 'Ditangani' },
  { kode: 'tidak_perlu', nama: 'Tidak perlu' },
]

/** The horizons offered, months (the backend takes 1–23). */
export const BULAN_PENGINGAT: readonly number[] = [3, 6, 12]
/** The default horizon (`app::pengingat::BULAN_BAKU`). */
export const BULAN_BAKU = 12
/** Rows per page. */
export const BATAS_PENGINGAT = 100
/** The longest note of a follow-up, characters (`model::pengingat::MAX_CATATAN`). */
export const MAX_CATATAN_PENGINGAT = 500

/** The follow-ups an officer records (`pengingat_tandai`'s status). */
export type TindakLanjutKode = 'ditangani' | 'tidak_perlu'

/** What the screen's filters hold. `status` empty = every state; `unor` empty = every unit. */
export type MasukanPengingat = { jenis: JenisPengingat; bulan: number; status: string; unor: string }

export function masukanPengingatAwal(): MasukanPengingat {
  return { jenis: 'kp', bulan: BULAN_BAKU, status: '', unor: '' }
}

/** The filter sent to `pengingat_daftar`. */
export function bangunFilterPengingat(m: MasukanPengingat): FilterPengingat {
  return { jenis: m.jenis, bulan: m.bulan, status: m.status || null, unor: m.unor || null }
}

/** The label of a kind code (the code when unknown). */
export function namaJenis(kode: string): string {
  return JENIS_PENGINGAT.find((j) => j.kode === kode)?.nama ?? kode
}

/** The label of a state code (the code when unknown). */
export function namaStatus(kode: string): string {
  return STATUS_PENGINGAT.find((s) => s.kode === kode)?.nama ?? kode
}

/** The badge colour of a state: aktif needs work (blue), kedaluwarsa is overdue (red), ditangani is done (green),
 *  tidak perlu is set aside (grey). */
export function warnaStatus(kode: string): 'biru' | 'merah' | 'hijau' | 'abu' {
  switch (kode) {
    case 'aktif':
      return 'biru'
    case 'kedaluwarsa':
      return 'merah'
    case 'ditangani':
      return 'hijau'
    default:
      return 'abu'
  }
}

/** Every state with its count from `per_status` (zero when the backend left it out), in order. */
export function pilihanStatus(perStatus: readonly Hitung[]): Hitung[] {
  return STATUS_PENGINGAT.map(
    (s) => perStatus.find((p) => p.kunci === s.kode) ?? { kunci: s.kode, label: s.nama, jumlah: 0 },
  )
}

/** The message for a note, or null when fine: at most `MAX_CATATAN_PENGINGAT` characters once trimmed (the backend
 *  trims and counts characters, not UTF-16 units). */
export function periksaCatatanPengingat(catatan: string): string | null {
  const panjang = panjangCatatan(catatan)
  if (panjang > MAX_CATATAN_PENGINGAT) {
    return `Catatan terlalu panjang: ${ribuan(panjang)} karakter, paling banyak ${ribuan(MAX_CATATAN_PENGINGAT)}. Ringkas catatannya.`
  }
  return null
}

/** Characters of a note as the backend counts them (trimmed, code points). */
export function panjangCatatan(catatan: string): number {
  return [...catatan.trim()].length
}

/** Who recorded a follow-up: "Anda" for the signed-in officer, else "NIP …". */
export function olehSiapa(oleh: string, nipSaya: string | null | undefined): string {
  return nipSaya && oleh === nipSaya ? 'Anda' : `NIP ${oleh}`
}

/** The follow-up in a sentence, for a row's Tindak lanjut cell and its label: "Ditangani oleh Anda, 30-11-2026 10:15". */
export function ringkasTindakLanjut(t: TindakLanjutView, nipSaya: string | null | undefined): string {
  return `${t.status_nama} oleh ${olehSiapa(t.oleh, nipSaya)}, ${tanggalWaktu(t.waktu)}`
}

/** What a successful `pengingat_tandai` did, for the status line. */
export function pesanTandai(nama: string, status: TindakLanjutKode | null): string {
  const apa = status === null ? 'tindak lanjutnya dibatalkan' : `ditandai ${namaStatus(status).toLowerCase()}`
  return `Pengingat ${nama} ${apa}. Tersimpan di perangkat ini dan terkirim ke hub saat sinkronisasi.`
}
