// What the Pegawai screen was showing (query, filters, order), kept across visits to Profil and back.
import { filterKosong, type FilterPegawai, type Urutan } from '../ipc'

/** `dokTerakhir`: the row id of the row last opened (selected again on return; rows are keyed by row id). */
export const daftarKini = $state<{ kueri: string; filter: FilterPegawai; urutan: Urutan; dokTerakhir: number | null }>({
  kueri: '',
  filter: filterKosong(),
  urutan: 'nama',
  dokTerakhir: null,
})

/** The BUP filter's bounds in months (the backend refuses anything outside 1–600). */
export const BUP_MIN = 1
export const BUP_MAKS = 600

/** Months typed for the BUP filter → a whole number clamped to 1–600, or null when empty or not a number. */
export function bulanBup(teks: string | null | undefined): number | null {
  const t = (teks ?? '').trim()
  if (t === '') return null
  const n = Number(t)
  if (!Number.isFinite(n)) return null
  return Math.min(BUP_MAKS, Math.max(BUP_MIN, Math.round(n)))
}

const URUTAN: readonly Urutan[] = ['nama', 'nip', 'golongan', 'tmt_pensiun']

/** Applies filters given in the route (links from Beranda): kp_pada, bup, anomali, ikd, unor, urutan. */
export function terapkanParam(param: URLSearchParams): boolean {
  const kunci = ['kp_pada', 'bup', 'anomali', 'ikd', 'unor', 'urutan']
  if (!kunci.some((k) => param.has(k))) return false
  const f = filterKosong()
  const kp = param.get('kp_pada')
  if (kp && /^\d{4}-\d{2}-\d{2}$/.test(kp)) f.kp_pada = kp
  f.bup_dalam_bulan = bulanBup(param.get('bup'))
  if (param.get('anomali') === '1') f.ada_anomali = true
  if (param.get('anomali') === '0') f.ada_anomali = false
  const ikd = param.get('ikd')
  if (ikd) f.ikd = ikd
  const unor = param.get('unor')
  if (unor) f.unor = unor
  daftarKini.filter = f
  daftarKini.kueri = ''
  const u = param.get('urutan') as Urutan | null
  daftarKini.urutan = u && URUTAN.includes(u) ? u : 'nama'
  return true
}

/** True when any filter narrows the list. */
export function adaFilter(f: FilterPegawai): boolean {
  return (
    f.unor !== null ||
    f.golongan_dari !== null ||
    f.golongan_sampai !== null ||
    f.jenis_jabatan.length > 0 ||
    f.jenis_asn.length > 0 ||
    f.kedudukan.length > 0 ||
    f.ada_anomali !== null ||
    (f.ikd ?? null) !== null ||
    f.bup_dalam_bulan !== null ||
    (f.kp_pada ?? null) !== null
  )
}
