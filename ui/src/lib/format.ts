// Pure formatting helpers (no DOM, no IPC): dates dd-mm-yyyy, numbers with "." thousands, relative times.

const ISO_TANGGAL = /^(\d{4})-(\d{2})-(\d{2})/

/** `yyyy-mm-dd` (or an RFC 3339 instant: its date part) → `dd-mm-yyyy`; empty/invalid → "–". */
export function tanggal(iso: string | null | undefined): string {
  if (!iso) return '–'
  const m = ISO_TANGGAL.exec(iso)
  if (!m) return iso
  return `${m[3]}-${m[2]}-${m[1]}`
}

function dua(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** RFC 3339 instant → `dd-mm-yyyy HH:MM` in local time; empty/invalid → "–". */
export function tanggalWaktu(rfc3339: string | null | undefined): string {
  if (!rfc3339) return '–'
  const d = new Date(rfc3339)
  if (Number.isNaN(d.getTime())) return rfc3339
  return `${dua(d.getDate())}-${dua(d.getMonth() + 1)}-${d.getFullYear()} ${dua(d.getHours())}:${dua(d.getMinutes())}`
}

/** Integer with "." thousands separators: 250000 → "250.000"; negatives keep their sign. */
export function ribuan(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–'
  const bulat = Math.trunc(n)
  const tanda = bulat < 0 ? '-' : ''
  return tanda + String(Math.abs(bulat)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')
}

/** How long ago `rfc3339` was, relative to `sekarang`: "baru saja", "5 menit lalu", "2 jam lalu", "3 hari lalu". */
export function relatif(rfc3339: string | null | undefined, sekarang: Date = new Date()): string {
  if (!rfc3339) return 'belum pernah'
  const t = new Date(rfc3339).getTime()
  if (Number.isNaN(t)) return rfc3339
  const detik = Math.round((sekarang.getTime() - t) / 1000)
  if (detik < 0) return 'baru saja'
  if (detik < 60) return 'baru saja'
  const menit = Math.floor(detik / 60)
  if (menit < 60) return `${menit} menit lalu`
  const jam = Math.floor(menit / 60)
  if (jam < 24) return `${jam} jam lalu`
  const hari = Math.floor(jam / 24)
  if (hari < 30) return `${hari} hari lalu`
  return tanggalWaktu(rfc3339)
}

const ROMAWI = ['', 'I', 'II', 'III', 'IV']
const HURUF = ['', 'a', 'b', 'c', 'd', 'e']

/** PNS golongan id ("31") → label ("III/a"); anything else is returned as given. */
export function golongan(id: string | null | undefined): string {
  if (!id) return '–'
  const m = /^([1-4])([1-5])$/.exec(id)
  if (!m) return id
  return `${ROMAWI[Number(m[1])]}/${HURUF[Number(m[2])]}`
}

/** The PNS golongan ids in order, I/a (11) … IV/e (45). */
export const GOLONGAN_PNS: readonly string[] = [
  '11', '12', '13', '14',
  '21', '22', '23', '24',
  '31', '32', '33', '34',
  '41', '42', '43', '44', '45',
]

/** `dd-mm-yyyy` typed by a person → `yyyy-mm-dd`, or null if it is not a real date. */
export function keIso(ddmmyyyy: string): string | null {
  const m = /^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*$/.exec(ddmmyyyy)
  if (!m) return null
  const [d, b, t] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(t, b - 1, d))
  if (dt.getUTCFullYear() !== t || dt.getUTCMonth() !== b - 1 || dt.getUTCDate() !== d) return null
  return `${t}-${dua(b)}-${dua(d)}`
}
