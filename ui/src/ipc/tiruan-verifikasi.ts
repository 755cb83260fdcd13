// The stand-in backend's verifikasi lapangan commands (part of `tiruan.ts`, `VITE_TIRUAN=1` only): 24 visits to
// the generated pegawai across every hasil, some with photos (one not downloaded yet), the newest recorded on this
// device and not synced; the list's filters and keyset pages, recording a visit, adding a photo, the export.
import type {
  FilterKunjungan,
  FotoBaru,
  FotoView,
  HalamanKunjungan,
  KunjunganDetail,
  KunjunganRingkas,
  KursorKunjungan,
  PegawaiBaris,
} from './bindings.gen'

/** The officer of the stand-in session. */
const PETUGAS = '199001012015031001'
const HASIL: Record<string, string> = {
  ditemukan: 'Ditemukan', tidak_ditemukan: 'Tidak ditemukan', meninggal: 'Meninggal', pindah: 'Pindah', lainnya: 'Lainnya',
}
/** A 1×1 PNG, what every stand-in photo shows. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z/C/HgAGgwJ/lK3Q6wAAAABJRU5ErkJggg=='
const CATATAN: Record<string, string | null> = {
  ditemukan: 'Bertugas di tempat; foto bersama kepala unit.',
  tidak_ditemukan: 'Rumah kosong, menurut ketua RT sudah tidak tinggal di alamat ini sejak 2024.',
  meninggal: 'Keluarga menunjukkan akta kematian; foto akta terlampir.',
  pindah: 'Pindah ke Kabupaten Sebelah tanpa SK mutasi.',
  lainnya: 'Cuti di luar tanggungan negara sejak Maret 2025; SK belum ada di berkas.',
}

type Kunjungan = KunjunganRingkas & { foto: FotoView[]; lokal: boolean; _rowid: number }

function hex(n: number): string {
  return n.toString(16).padStart(2, '0').repeat(32).slice(0, 64)
}

function galat(code: string, message: string): Promise<never> {
  return Promise.reject({ code, message })
}

export function buatKunjunganTiruan(pegawai: readonly PegawaiBaris[]): (cmd: string, a: Record<string, any>) => unknown {
  const semua: Kunjungan[] = []
  const kode = Object.keys(HASIL)
  let rowid = 0
  const tambahFoto = (k: Kunjungan, nama: string, tersedia: boolean) => {
    k.foto.push({ sha256: hex(rowid * 16 + k.foto.length), size: 180_000 + k.foto.length * 41_000, mime: 'image/jpeg', name: nama, tersedia })
    k.jumlah_foto = k.foto.length
  }
  const baru = (p: PegawaiBaris | undefined, nip: string, hasil: string, waktu: string, lokal: boolean): Kunjungan => {
    rowid += 1
    return {
      id: `0193b2c0-${String(rowid).padStart(4, '0')}-7a00-8000-00000000${String(rowid).padStart(4, '0')}`,
      nip, nama: p?.nama_lengkap ?? null, unor_id: p ? `u${(pegawai.indexOf(p) % 5) + 1}` : null, unor_nama: p?.unor_nama ?? null,
      hasil, hasil_nama: HASIL[hasil]!, catatan: CATATAN[hasil] ?? null, petugas: PETUGAS, waktu, jumlah_foto: 0,
      foto: [], lokal, _rowid: rowid,
    }
  }
  for (let i = 0; i < 24; i++) {
    const p = pegawai[(i * 7) % Math.max(1, pegawai.length)]
    const hasil = kode[i % kode.length]!
    const waktu = new Date(Date.UTC(2026, 10, 30 - Math.floor(i / 3), 2 + (i % 3) * 2, 15)).toISOString().replace('.000', '')
    const k = baru(p, p?.nip ?? '199901012024011001', hasil, waktu, i === 0)
    if (hasil !== 'ditemukan' || i % 2 === 0) tambahFoto(k, `IMG_20261130_${String(i).padStart(4, '0')}.jpg`, i !== 3)
    if (hasil === 'meninggal') tambahFoto(k, 'akta-kematian.jpg', true)
    semua.push(k)
  }
  // A NIP the replica does not hold (a "mysterious" record from the payroll).
  semua.push(baru(undefined, '199901012024011001', 'tidak_ditemukan', '2026-11-20T03:00:00Z', false))

  const urut = () => semua.slice().sort((a, b) => (a.waktu! < b.waktu! ? 1 : a.waktu! > b.waktu! ? -1 : b._rowid - a._rowid))
  const ringkas = (k: Kunjungan): KunjunganRingkas => {
    const { foto, lokal, _rowid, ...r } = k
    void foto
    void lokal
    void _rowid
    return r
  }
  const detail = (k: Kunjungan): KunjunganDetail => ({
    ringkas: ringkas(k), foto: k.foto, lokal: k.lokal, boleh_tambah_foto: k.foto.length < 10, penolakan_hub: [],
  })
  const cocok = (f: FilterKunjungan, k: Kunjungan, denganHasil = true) =>
    (!denganHasil || !f.hasil || k.hasil === f.hasil) &&
    (!f.nip || k.nip === f.nip) &&
    (!f.unor || f.unor === 'u0' || k.unor_id === f.unor) &&
    (!f.dari || k.waktu!.slice(0, 10) >= f.dari) &&
    (!f.sampai || k.waktu!.slice(0, 10) <= f.sampai)
  const cari = (id: string) => semua.find((k) => k.id === id)
  const periksa = (f: FotoBaru): string | null => {
    if (!['image/jpeg', 'image/png'].includes(f.mime)) return `Jenis foto ${f.nama} "${f.mime}" tidak sah: yang diterima: image/jpeg (JPG), image/png (PNG).`
    if (f.isi.length > 5 * 1024 * 1024) return `Ukuran foto ${f.nama} "${f.isi.length} byte" tidak sah: paling besar 5242880 byte (5 MB); perkecil resolusi fotonya.`
    if (f.isi.length < 1024) return `Ukuran foto ${f.nama} "${f.isi.length} byte" tidak sah: paling kecil 1024 byte (1 KB); berkas sekecil ini biasanya kosong atau rusak.`
    return null
  }

  return (cmd, a) => {
    switch (cmd) {
      case 'verifikasi_lapangan_hasil':
        return Object.entries(HASIL).map(([kode, nama]) => ({ kode, nama }))
      case 'verifikasi_lapangan_daftar': {
        const f = a.filter as FilterKunjungan
        const l = urut().filter((k) => cocok(f, k))
        const kursor = a.kursor as KursorKunjungan | null
        const mulai = kursor ? l.findIndex((k) => k._rowid === kursor.rowid) + 1 : 0
        const batas = Number(a.batas)
        const baris = l.slice(mulai, mulai + batas)
        const terakhir = baris[baris.length - 1]
        const per = new Map<string, number>()
        for (const k of semua) if (cocok(f, k, false)) per.set(k.hasil, (per.get(k.hasil) ?? 0) + 1)
        const h: HalamanKunjungan = {
          baris: baris.map(ringkas),
          per_hasil: kode.filter((k) => per.has(k)).map((k) => ({ kunci: k, label: HASIL[k]!, jumlah: per.get(k)! })),
          berikut: terakhir && mulai + batas < l.length ? { waktu_ms: Date.parse(terakhir.waktu!), rowid: terakhir._rowid } : null,
          boleh_catat: true,
        }
        return h
      }
      case 'verifikasi_lapangan_detail': {
        const k = cari(String(a.id))
        return k ? detail(k) : galat('tidak_ditemukan', `Verifikasi lapangan ${a.id} tidak ada di perangkat ini. Periksa kembali, atau sinkronkan bila dicatat di perangkat lain.`)
      }
      case 'verifikasi_lapangan_buat': {
        const b = a.baru as { nip: string; hasil: string; catatan: string | null; foto: FotoBaru[] }
        const nip = b.nip.replace(/\s+/g, '')
        if (!/^\d{18}$/.test(nip)) return galat('masukan_tidak_sah', `NIP "${b.nip}" tidak sah: tulis 18 angka NIP.`)
        const p = pegawai.find((x) => x.nip === nip)
        if (!p) return galat('masukan_tidak_sah', `NIP "${nip}" tidak sah: pegawai ini tidak ada di replika; sinkronkan atau periksa NIP.`)
        if (!HASIL[b.hasil]) return galat('masukan_tidak_sah', `Hasil "${b.hasil}" tidak sah: salah satu dari ${kode.join(', ')}.`)
        const catatan = b.catatan?.trim() || null
        if (catatan && [...catatan].length > 2000) return galat('masukan_tidak_sah', `Catatan "${catatan.slice(0, 80)}" tidak sah: paling panjang 2000 karakter (ada ${[...catatan].length}); ringkas catatannya.`)
        if (b.hasil === 'lainnya' && !catatan) return galat('masukan_tidak_sah', 'Catatan "" tidak sah: hasil "Lainnya" perlu catatan yang menjelaskan temuannya.')
        for (const f of b.foto) {
          const salah = periksa(f)
          if (salah) return galat('masukan_tidak_sah', salah)
        }
        const k = baru(p, nip, b.hasil, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), true)
        k.catatan = catatan
        for (const f of b.foto) tambahFoto(k, f.nama, true)
        semua.push(k)
        return detail(k)
      }
      case 'verifikasi_lapangan_foto_tambah': {
        const k = cari(String(a.id))
        if (!k) return galat('tidak_ditemukan', `Verifikasi lapangan ${a.id} tidak ada di perangkat ini.`)
        const salah = periksa(a.foto as FotoBaru)
        if (salah) return galat('masukan_tidak_sah', salah)
        tambahFoto(k, (a.foto as FotoBaru).nama, true)
        k.lokal = true
        return detail(k)
      }
      case 'verifikasi_lapangan_foto': {
        const k = cari(String(a.id))
        const f = k?.foto.find((x) => x.sha256 === a.sha256)
        if (!f) return galat('tidak_ditemukan', 'Foto itu tidak ada pada verifikasi lapangan ini. Buka lagi detailnya lalu pilih fotonya.')
        if (!f.tersedia) return galat('tidak_ditemukan', 'Foto ini belum terunduh ke perangkat ini. Sinkronkan saat tersambung ke hub, lalu buka lagi.')
        return { mime: 'image/png', isi: Array.from(atob(PNG_1X1), (c) => c.charCodeAt(0)) }
      }
      case 'verifikasi_lapangan_ekspor': {
        const jumlah = semua.filter((k) => cocok(a.filter as FilterKunjungan, k)).length
        return { berkas: '/home/operator/.local/share/siasn-luring/ekspor/verifikasi-lapangan-20261130-101500.csv', jumlah }
      }
      default:
        return undefined
    }
  }
}

