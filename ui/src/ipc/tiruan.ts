// A stand-in backend for running the UI in a plain browser (`VITE_TIRUAN=1 npm run dev`), e.g. to check the
// Pegawai list with 250,000 rows. Never part of the production bundle (main.ts imports it only under VITE_TIRUAN).
import { mockIPC } from '@tauri-apps/api/mocks'
import type { FilterPegawai, Kursor, PegawaiBaris, SinkronStatus, Urutan } from './bindings.gen'

const DEPAN = ['Agus', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fitri', 'Gita', 'Hadi', 'Indah', 'Joko', 'Kartika', 'Lestari',
  'Made', 'Nur', 'Putu', 'Rina', 'Siti', 'Teguh', 'Utami', 'Wahyu', 'Yusuf', 'Zainal', 'Ahmad', 'Bambang', 'Dian']
const BELAKANG = ['Santoso', 'Wijaya', 'Pratama', 'Lestari', 'Hidayat', 'Saputra', 'Kusuma', 'Nugroho', 'Rahayu',
  'Setiawan', 'Susanti', 'Handayani', 'Purnomo', 'Siregar', 'Nasution', 'Simanjuntak', 'Wibowo', 'Gunawan']
const GELAR = ['', '', 'S.E.', 'S.Pd.', 'S.Kom.', 'S.T., M.T.', 'S.H.', 'A.Md.', 'S.Sos., M.Si.']
const JABATAN = ['Analis SDM Aparatur', 'Pengelola Kepegawaian', 'Guru Ahli Pertama', 'Perawat Terampil', 'Kepala Bidang Mutasi',
  'Pranata Komputer', 'Arsiparis', 'Bendahara', 'Penyuluh Pertanian', 'Dokter Ahli Muda']
const GOL = ['21', '22', '23', '24', '31', '32', '33', '34', '41', '42', '43']
const ROM = ['', 'I', 'II', 'III', 'IV']
const gol = (id: string) => `${ROM[Number(id[0])]}/${'abcde'[Number(id[1]) - 1]}`

type Baris = PegawaiBaris & { _gol: string; _i: number }

function acak(seed: number) {
  let s = seed >>> 0
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32)
}

function buat(n: number): Baris[] {
  const r = acak(42)
  const hasil: Baris[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const nama = `${DEPAN[Math.floor(r() * DEPAN.length)]} ${BELAKANG[Math.floor(r() * BELAKANG.length)]}`
    const gelar = GELAR[Math.floor(r() * GELAR.length)]!
    const lahir = 1965 + Math.floor(r() * 35)
    const g = GOL[Math.floor(r() * GOL.length)]!
    const nip = `${lahir}${String(1 + Math.floor(r() * 12)).padStart(2, '0')}${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` +
      `${lahir + 24}0${1 + Math.floor(r() * 9)}${1 + Math.floor(r() * 2)}${String(i % 1000).padStart(3, '0')}`
    hasil[i] = {
      _i: i,
      _gol: g,
      rowid: i + 1,
      // Two documents may share a NIP (the backend keys rows on rowid): the second row repeats the first's NIP.
      nip: i === 1 && hasil[0] ? hasil[0].nip : nip,
      nama,
      nama_lengkap: gelar ? `${nama}, ${gelar}` : nama,
      jenis_asn: r() < 0.8 ? 'PNS' : 'PPPK',
      golongan: gol(g),
      jabatan_nama: JABATAN[Math.floor(r() * JABATAN.length)]!,
      unor_nama: `Dinas ${['Pendidikan', 'Kesehatan', 'Pertanian', 'PUPR', 'BKPSDM'][i % 5]}`,
      kedudukan: 'Aktif',
      tmt_pensiun: `${lahir + 58}-${String(1 + (i % 12)).padStart(2, '0')}-01`,
      kp_berikutnya: '2027-04-01',
      ikd_count: r() < 0.05 ? 1 + Math.floor(r() * 3) : 0,
    }
  }
  return hasil
}

function tanpaEkor(b: Baris): PegawaiBaris {
  const { _gol, _i, ...p } = b
  void _gol
  void _i
  return p
}

export function pasangTiruan(n = 250_000): void {
  const semua = buat(n)
  const kecil = semua.map((b) => `${b.nama.toLowerCase()} ${b.jabatan_nama!.toLowerCase()}`)
  const cache = new Map<string, Baris[]>()
  const status: SinkronStatus = {
    daring: true, berjalan: false, terakhir_berhasil: new Date(Date.now() - 5 * 60_000).toISOString(), galat: null,
    outbox_total: 0, outbox: [], blob_menunggu: 0, kemajuan: null,
  }

  function daftar(filter: FilterPegawai, urutan: Urutan): Baris[] {
    const kunci = JSON.stringify([filter, urutan])
    const ada = cache.get(kunci)
    if (ada) return ada
    let l = semua.filter((b) =>
      (filter.jenis_asn.length === 0 || filter.jenis_asn.includes(b.jenis_asn!)) &&
      (filter.golongan_dari === null || b._gol >= filter.golongan_dari) &&
      (filter.golongan_sampai === null || b._gol <= filter.golongan_sampai) &&
      (filter.ada_anomali === null || (b.ikd_count > 0) === filter.ada_anomali) &&
      (filter.bup_dalam_bulan === null || b.tmt_pensiun! <= `${2026 + Math.ceil(filter.bup_dalam_bulan / 12)}-12-31`))
    const banding: Record<Urutan, (a: Baris, b: Baris) => number> = {
      nama: (a, b) => (a.nama < b.nama ? -1 : a.nama > b.nama ? 1 : a._i - b._i),
      nip: (a, b) => (a.nip < b.nip ? -1 : 1),
      golongan: (a, b) => (a._gol > b._gol ? -1 : a._gol < b._gol ? 1 : a._i - b._i),
      tmt_pensiun: (a, b) => (a.tmt_pensiun! < b.tmt_pensiun! ? -1 : a.tmt_pensiun! > b.tmt_pensiun! ? 1 : a._i - b._i),
    }
    l = l.sort(banding[urutan])
    cache.set(kunci, l)
    return l
  }

  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, any>
    switch (cmd) {
      case 'plugin:event|listen': return 1
      case 'plugin:event|unlisten': return null
      case 'galat_mulai': return null
      case 'sesi':
      case 'masuk_tunggu':
        return { masuk: true, nip: '199001012015031001', nama: 'Siti Aminah, S.Kom.', instansi_nama: 'Pemerintah Kabupaten Contoh',
          peran: ['operator'], luring_sampai: null, perlu_masuk_ulang: false, issuer: 'https://sso.contoh.go.id' }
      case 'buka_tautan_masuk': return null
      case 'masuk_mulai': return { url: 'https://sso.contoh.go.id/auth?client_id=luring-desktop' }
      case 'beranda': {
        const hit = (f: (b: Baris) => string) => {
          const m = new Map<string, number>()
          for (const b of semua) m.set(f(b), (m.get(f(b)) ?? 0) + 1)
          return [...m.entries()].sort().map(([k, j]) => ({ kunci: k, label: k, jumlah: j }))
        }
        return { total: n, per_jenis_asn: hit((b) => b.jenis_asn!), per_golongan: hit((b) => b.golongan!),
          per_pendidikan: [{ kunci: 's1', label: 'S-1', jumlah: Math.round(n * 0.6) }, { kunci: 'd3', label: 'D-3', jumlah: Math.round(n * 0.2) }, { kunci: 'slta', label: 'SLTA', jumlah: Math.round(n * 0.2) }],
          per_usia: hit((b) => `${Math.floor((2026 - Number(b.nip.slice(0, 4))) / 10) * 10}-an`),
          kp_periode: '2027-04-01', kp_jatuh_tempo: 1234, bup_12_bulan: 2345,
          anomali_pegawai: semua.filter((b) => b.ikd_count > 0).length,
          anomali_per_kode: [{ kode: 'TIM_3', penjelasan: 'TMT golongan lebih awal dari TMT CPNS.', jumlah: 120 }],
          sinkron: status }
      }
      case 'pegawai_cari': {
        const q = String(a.kueri).trim().toLowerCase()
        const batas = Number(a.batas)
        const hasil: PegawaiBaris[] = []
        if (/^\d+$/.test(q)) {
          for (const b of semua) if (b.nip.startsWith(q) && hasil.push(tanpaEkor(b)) >= batas) break
          return hasil
        }
        const kata = q.split(/\s+/).filter(Boolean)
        for (let i = 0; i < semua.length && hasil.length < batas; i++) {
          const t = kecil[i]!
          if (kata.every((k) => t.startsWith(k) || t.includes(` ${k}`))) hasil.push(tanpaEkor(semua[i]!))
        }
        return hasil.sort((x, y) => (x.nama < y.nama ? -1 : 1))
      }
      case 'pegawai_daftar': {
        const l = daftar(a.filter, a.urutan)
        const k = a.kursor as Kursor | null
        const mulai = k ? k.rowid : 0
        const baris = l.slice(mulai, mulai + Number(a.batas)).map(tanpaEkor)
        const akhir = mulai + baris.length
        return { baris, total: k ? null : l.length, berikutnya: akhir < l.length ? { kunci: '', rowid: akhir } : null }
      }
      case 'pegawai_facets':
        return { total: n, golongan: [], jenis_asn: [{ kunci: 'PNS', label: 'PNS', jumlah: 0 }, { kunci: 'PPPK', label: 'PPPK', jumlah: 0 }],
          jenis_jabatan: [], kedudukan: [{ kunci: '01', label: 'Aktif', jumlah: n }], ada_anomali: 0 }
      case 'unor_pohon':
        return [{ id: 'u0', nama: 'Pemerintah Kabupaten Contoh', induk_id: null, jumlah: n },
          ...['Pendidikan', 'Kesehatan', 'Pertanian', 'PUPR', 'BKPSDM'].map((d, i) => ({ id: `u${i + 1}`, nama: `Dinas ${d}`, induk_id: 'u0', jumlah: n / 5 }))]
      case 'profil':
      case 'kontak_ubah': {
        const b = a.rowid != null ? semua.find((x) => x.rowid === a.rowid && x.nip === a.nip) : semua.find((x) => x.nip === a.nip)
        if (!b) return Promise.reject({ code: 'tidak_ditemukan', message: `Pegawai dengan NIP ${a.nip} tidak ada di replika.` })
        return { nip: b.nip, nama_lengkap: b.nama_lengkap, foto: null,
          ringkasan: [{ label: 'Jenis ASN', nilai: b.jenis_asn, jenis: 'teks' }, { label: 'Golongan', nilai: b.golongan, jenis: 'teks' }],
          tmt_pensiun: b.tmt_pensiun, usia_bup: 58, kp_berikutnya: b.kp_berikutnya, konflik: [],
          ikd: b.ikd_count > 0 ? [{ kode: 'TIM_3', indikator: 'TMT golongan lebih awal dari TMT CPNS', penjelasan: 'TMT golongan III/a 2009-04-01 sebelum TMT CPNS 2010-01-01.' }] : [],
          tab: [{ kunci: 'data-utama', judul: 'Data utama', kolom: [{ judul: 'Medan', jenis: 'teks' }, { judul: 'Nilai', jenis: 'teks' }], baris: [['Nama', b.nama], ['NIP', b.nip]] },
            { kunci: 'golongan', judul: 'Golongan', kolom: [{ judul: 'Golongan', jenis: 'teks' }, { judul: 'TMT', jenis: 'tanggal' }], baris: [[b.golongan, '2019-04-01']] }],
          kontak: { no_hp: cmd === 'kontak_ubah' ? a.noHp : '081234567890', email: cmd === 'kontak_ubah' ? a.email : null },
          belum_terkirim: cmd === 'kontak_ubah' ? 1 : 0 }
      }
      case 'sinkron_status':
      case 'sinkron_mulai':
        return status
      case 'pengaturan':
      case 'pengaturan_simpan':
        return { hub_url: 'https://hub.contoh.go.id', sso_issuer: 'https://sso.contoh.go.id', sso_client_id: 'luring-desktop',
          folder_data: '/home/operator/.local/share/siasn-luring', berkas_pengaturan: '/home/operator/.config/siasn-luring/pengaturan.toml',
          versi: '0.1.0 (tiruan)', berkas_log: '/home/operator/.local/share/siasn-luring/log/luring.log', mulai_ulang: false,
          dari_lingkungan: [] }
      default:
        return Promise.reject({ code: 'internal', message: `Perintah ${cmd} tidak dikenal tiruan.` })
    }
  })
}
