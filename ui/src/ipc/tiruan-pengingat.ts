// The stand-in backend's Pengingat commands (part of `tiruan.ts`, `VITE_TIRUAN=1` only, and the tests of the real
// wrappers): KP, BUP and KGB reminders of the generated pegawai as of a fixed day (HARI_INI_PENGINGAT, so states and
// pages do not move with the clock), some already handled by this officer or another one; the filters (horizon,
// state, unor), the counts per state, keyset pages, and recording or taking back a follow-up with the backend's
// checks. As `app::pengingat` does: a KP that passed its first period shows at the next one and is kedaluwarsa; the
// BUP list includes TMT pensiun already past; the KGB list starts at this month.
import type {
  FilterPengingat,
  HalamanPengingat,
  KursorPengingat,
  PegawaiBaris,
  PengingatView,
  TindakLanjutView,
} from './bindings.gen'

/** "Today" of the stand-in's reminders. */
export const HARI_INI_PENGINGAT = '2026-12-03'
/** The officer of the stand-in session, and a verifikator who handled some reminders on another device. */
const PETUGAS = '199001012015031001'
const VERIFIKATOR = '198702142010012003'
const STATUS: Record<string, string> = {
  aktif: 'Aktif', kedaluwarsa: 'Kedaluwarsa', ditangani: 'Ditangani', tidak_perlu: 'Tidak perlu',
}
const MAX_BULAN = 23
const MAX_CATATAN = 500
const MAX_BATAS = 500
const ROM = ['I', 'II', 'III', 'IV']

type Pengingat = Omit<PengingatView, 'status' | 'status_nama' | 'tindak_lanjut'> & {
  jenis: 'kp' | 'bup' | 'kgb'
  /** Sort name (without gelar), as the cursor carries it. */
  _nama: string
  _unor: string
}

function galat(code: string, message: string): Promise<never> {
  return Promise.reject({ code, message })
}

/** `yyyy-mm-dd` of the 1st of the month `bulan` months after `iso`'s month. */
function tambahBulan(iso: string, bulan: number): string {
  const [t, b] = iso.split('-').map(Number) as [number, number]
  const n = t * 12 + (b - 1) + bulan
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`
}

/** The golongan after `label` ("III/d" → "IV/a"); null at IV/e. */
function golonganBerikut(label: string | null): string | null {
  const m = /^(I|II|III|IV)\/([a-e])$/.exec(label ?? '')
  if (!m) return null
  const r = ROM.indexOf(m[1]!)
  const huruf = m[2]!
  const akhir = r === 3 ? 'e' : 'd'
  if (huruf === akhir) return r === 3 ? null : `${ROM[r + 1]}/a`
  return `${m[1]}/${String.fromCharCode(huruf.charCodeAt(0) + 1)}`
}

export function buatPengingatTiruan(pegawai: readonly PegawaiBaris[]): (cmd: string, a: Record<string, any>) => unknown {
  const semua: Pengingat[] = []
  const bulanIni = tambahBulan(HARI_INI_PENGINGAT, 0)
  // With monthly KP periods (Peraturan BKN 4/2025) the next period is the 1st of the coming month.
  const periodeBerikut = HARI_INI_PENGINGAT.endsWith('-01') ? HARI_INI_PENGINGAT : tambahBulan(HARI_INI_PENGINGAT, 1)
  const dasar = (p: PegawaiBaris, i: number) => ({
    nip: p.nip, rowid: p.rowid, nama: p.nama_lengkap, unor_nama: p.unor_nama, golongan: p.golongan,
    jabatan_nama: p.jabatan_nama, _nama: p.nama, _unor: `u${(i % 5) + 1}`,
  })
  pegawai.forEach((p, i) => {
    const ke = golonganBerikut(p.golongan)
    if (p.jenis_asn === 'PNS' && ke && i % 3 === 0) {
      // First eligible period from 3 months ago to 27 months ahead (the past ones are left unhandled: kedaluwarsa).
      const pertama = tambahBulan(bulanIni, ((i * 5) % 31) - 3)
      const tanggal = pertama > periodeBerikut ? pertama : periodeBerikut
      semua.push({ ...dasar(p, i), jenis: 'kp', tanggal, tanggal_kunci: pertama, kunci: `kp-${pertama}`,
        keterangan: `${p.golongan} → ${ke}` })
    }
    // The generated TMT pensiun is the 58th birthday's year (BUP umum); the last 2 months' are still listed.
    if (p.tmt_pensiun && p.tmt_pensiun >= tambahBulan(bulanIni, -2)) {
      semua.push({ ...dasar(p, i), jenis: 'bup', tanggal: p.tmt_pensiun, tanggal_kunci: p.tmt_pensiun,
        kunci: `bup-${p.tmt_pensiun}`, keterangan: 'BUP 58 tahun' })
    }
    if (p.jenis_asn === 'PNS' && i % 2 === 1) {
      // This month (already past its 1st: kedaluwarsa) to 23 months ahead; the MKG from the TMT CPNS in the NIP.
      const tanggal = tambahBulan(bulanIni, (i * 7 + 1) % 24)
      const mkg = Number(tanggal.slice(0, 4)) - Number(p.nip.slice(8, 12))
      semua.push({ ...dasar(p, i), jenis: 'kgb', tanggal, tanggal_kunci: tanggal, kunci: `kgb-${tanggal}`,
        keterangan: `MKG ${Math.max(2, mkg - (mkg % 2))} tahun` })
    }
  })

  // Follow-ups already recorded (by document and key), some synced from another officer's device.
  const tindak = new Map<string, TindakLanjutView>()
  const catat = (r: Pengingat | undefined, status: 'ditangani' | 'tidak_perlu', oleh: string, waktu: string, catatan: string | null) => {
    if (r) tindak.set(`${r.rowid}/${r.kunci}`, { status, status_nama: STATUS[status]!, oleh, waktu, catatan })
  }
  const dari = (jenis: string) => semua.filter((r) => r.jenis === jenis).sort((x, y) => (x.tanggal < y.tanggal ? -1 : 1))
  const [kp, bup, kgb] = [dari('kp'), dari('bup'), dari('kgb')]
  catat(kp[0], 'ditangani', VERIFIKATOR, '2026-11-20T02:15:00Z', 'Usulan KP periode Januari 2027 sudah diajukan ke BKN.')
  catat(kp[3], 'tidak_perlu', PETUGAS, '2026-11-28T07:40:00Z', 'Sedang menjalani hukuman disiplin penundaan KP.')
  catat(kp[8], 'ditangani', PETUGAS, '2026-12-01T01:05:00Z', null)
  catat(bup[1], 'ditangani', VERIFIKATOR, '2026-11-12T03:30:00Z', 'SK pensiun terbit; salinan sudah diserahkan.')
  catat(bup[4], 'tidak_perlu', PETUGAS, '2026-11-25T08:00:00Z', 'Diperpanjang BUP 60 (jabatan fungsional ahli madya).')
  catat(kgb[2], 'ditangani', PETUGAS, '2026-11-30T04:20:00Z', 'SK KGB ditandatangani kepala BKPSDM.')
  catat(kgb[5], 'tidak_perlu', VERIFIKATOR, '2026-11-18T06:45:00Z', 'Ditunda: hukuman disiplin sedang berjalan.')

  const status = (r: Pengingat): string => {
    const t = tindak.get(`${r.rowid}/${r.kunci}`)
    if (t) return t.status
    return r.tanggal_kunci < HARI_INI_PENGINGAT ? 'kedaluwarsa' : 'aktif'
  }
  const view = (r: Pengingat): PengingatView => {
    const { jenis, _nama, _unor, ...v } = r
    void jenis
    void _nama
    void _unor
    const s = status(r)
    return { ...v, status: s, status_nama: STATUS[s]!, tindak_lanjut: tindak.get(`${r.rowid}/${r.kunci}`) ?? null }
  }
  const setelah = (r: Pengingat, k: KursorPengingat) =>
    r.tanggal > k.tanggal || (r.tanggal === k.tanggal && (r._nama > k.nama || (r._nama === k.nama && r.rowid > k.rowid)))

  return (cmd, a) => {
    switch (cmd) {
      case 'pengingat_daftar': {
        const f = a.filter as FilterPengingat
        if (!['kp', 'bup', 'kgb'].includes(f.jenis)) {
          return galat('masukan_tidak_sah', `Jenis pengingat "${f.jenis}" tidak sah: salah satu dari kp, bup, kgb.`)
        }
        if (f.status && !STATUS[f.status]) {
          return galat('masukan_tidak_sah', `Status pengingat "${f.status}" tidak sah: salah satu dari aktif, kedaluwarsa, ditangani, tidak_perlu.`)
        }
        const bulan = f.bulan ?? 12
        if (bulan < 1 || bulan > MAX_BULAN) {
          return galat('masukan_tidak_sah', `Rentang bulan "${bulan}" tidak sah: antara 1 dan ${MAX_BULAN} bulan.`)
        }
        const akhir = tambahBulan(HARI_INI_PENGINGAT, bulan).slice(0, 8) + HARI_INI_PENGINGAT.slice(8)
        const dalam = semua.filter((r) =>
          r.jenis === f.jenis && (!f.unor || f.unor === 'u0' || r._unor === f.unor) &&
          (r.jenis === 'kp' ? r.tanggal_kunci <= akhir : r.tanggal <= akhir))
        const per = new Map<string, number>()
        for (const r of dalam) per.set(status(r), (per.get(status(r)) ?? 0) + 1)
        const batas = Math.min(MAX_BATAS, Math.max(1, Number(a.batas)))
        const kursor = a.kursor as KursorPengingat | null
        const cocok = dalam
          .filter((r) => (!f.status || status(r) === f.status) && (!kursor || setelah(r, kursor)))
          .sort((x, y) => (x.tanggal < y.tanggal ? -1 : x.tanggal > y.tanggal ? 1 : x._nama < y._nama ? -1 : x._nama > y._nama ? 1 : x.rowid - y.rowid))
        const baris = cocok.slice(0, batas)
        const terakhir = baris[baris.length - 1]
        const h: HalamanPengingat = {
          baris: baris.map(view),
          per_status: Object.keys(STATUS).map((k) => ({ kunci: k, label: STATUS[k]!, jumlah: per.get(k) ?? 0 })),
          berikut: terakhir && baris.length === batas ? { tanggal: terakhir.tanggal, nama: terakhir._nama, rowid: terakhir.rowid } : null,
          bulan,
          boleh_tandai: true,
        }
        return h
      }
      case 'pengingat_tandai': {
        const nip = String(a.nip ?? '').trim()
        if (!/^\d{18}$/.test(nip)) return galat('masukan_tidak_sah', `NIP "${a.nip}" tidak sah: tulis 18 angka NIP.`)
        const kunci = String(a.kunci ?? '').trim()
        if (!/^(kp|bup|kgb)-\d{4}-\d{2}-\d{2}$/.test(kunci)) {
          return galat('masukan_tidak_sah', `Kunci pengingat "${a.kunci}" tidak sah: kp-, bup- atau kgb- diikuti tanggal yyyy-mm-dd.`)
        }
        const st = typeof a.status === 'string' && a.status.trim() ? a.status.trim() : null
        if (st !== null && st !== 'ditangani' && st !== 'tidak_perlu') {
          return galat('masukan_tidak_sah', `Tindak lanjut "${st}" tidak sah: ditangani atau tidak_perlu.`)
        }
        const catatan = typeof a.catatan === 'string' && a.catatan.trim() ? a.catatan.trim() : null
        if (catatan && [...catatan].length > MAX_CATATAN) {
          return galat('masukan_tidak_sah', `Catatan "${[...catatan].slice(0, 40).join('')}…" tidak sah: paling banyak ${MAX_CATATAN} karakter.`)
        }
        const p = pegawai.find((x) => x.nip === nip && (a.rowid == null || x.rowid === a.rowid))
        if (!p) return galat('tidak_ditemukan', `Pegawai dengan NIP ${nip} tidak ada di replika. Sinkronkan lalu coba lagi.`)
        const kunciDok = `${p.rowid}/${kunci}`
        if (st === null) {
          tindak.delete(kunciDok)
          return null
        }
        const t: TindakLanjutView = {
          status: st, status_nama: STATUS[st]!, catatan, oleh: PETUGAS,
          waktu: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        }
        tindak.set(kunciDok, t)
        return t
      }
      default:
        return undefined
    }
  }
}
