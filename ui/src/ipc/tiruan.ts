// A stand-in backend for running the UI in a plain browser (`VITE_TIRUAN=1 npm run dev`), e.g. to check the
// Pegawai list with 250,000 rows. Never part of the production bundle (main.ts imports it only under VITE_TIRUAN).
import { mockIPC } from '@tauri-apps/api/mocks'
import type { FilterPegawai, KonflikBaris, Kursor, PegawaiBaris, SinkronStatus, Urutan } from './bindings.gen'
import type { PerubahanDokumen, RiwayatPerubahan } from './bindings.gen'
import { buatPengingatTiruan } from './tiruan-pengingat'
import { buatKunjunganTiruan } from './tiruan-verifikasi'

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

  const usulan = buatUsulanTiruan(semua)
  const kunjungan = buatKunjunganTiruan(semua.slice(0, 2_000).map(tanpaEkor))
  const pengingat = buatPengingatTiruan(semua.slice(0, 2_000).map(tanpaEkor))

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
      case 'konflik_daftar':
        return konflikTiruan
      case 'konflik_selesaikan': {
        const i = konflikTiruan.findIndex((k) => k.rowid === a.rowid && k.path === a.path)
        if (i < 0) return Promise.reject({ code: 'tidak_ditemukan', message: `${a.path} tidak lagi berkonflik. Muat ulang daftar konflik.` })
        konflikTiruan.splice(i, 1)
        return konflikTiruan
      }
      case 'riwayat_perubahan_pegawai':
        if (!semua.some((x) => x.nip === a.nip)) return Promise.reject({ code: 'tidak_ditemukan', message: `Pegawai dengan NIP ${a.nip} tidak ada di replika.` })
        return riwayatTiruan(String(a.nip))
      case 'riwayat_perubahan_usulan':
        return riwayatTiruan(null)
      case 'sinkron_status':
      case 'sinkron_mulai':
        return status
      case 'pengaturan':
      case 'pengaturan_simpan':
        return { hub_url: 'https://hub.contoh.go.id', sso_issuer: 'https://sso.contoh.go.id', sso_client_id: 'luring-desktop',
          folder_data: '/home/operator/.local/share/siasn-luring', berkas_pengaturan: '/home/operator/.config/siasn-luring/pengaturan.toml',
          versi: '0.1.0 (tiruan)', berkas_log: '/home/operator/.local/share/siasn-luring/log/luring.log', mulai_ulang: false,
          dari_lingkungan: [] }
      default: {
        const hasil = usulan(cmd, a)
        if (hasil !== TIDAK_DIKENAL) return hasil
        const lapangan = kunjungan(cmd, a)
        if (lapangan !== undefined) return lapangan
        const ingat = pengingat(cmd, a)
        if (ingat !== undefined) return ingat
        return Promise.reject({ code: 'internal', message: `Perintah ${cmd} tidak dikenal tiruan.` })
      }
    }
  })
}

// ---- riwayat perubahan (stand-in for riwayat_perubahan_pegawai/_usulan): an officer's edit from another device,
// one of this device's, a compensation and the hub's import (or, for an usulan, its creation).
function riwayatTiruan(nip: string | null): RiwayatPerubahan {
  const awal: PerubahanDokumen = nip
    ? { hash: 'c0', waktu: '2026-11-01T01:00:00Z', sumber: 'hub', oleh: 'Hub (SI-ASN / impor)', nip: null, perangkat: 'hub',
        aktor: '00aa11bb22cc33dd', pesan: 'impor data pegawai', pertama: true, field_lainnya: 40,
        field: [{ path: 'data_utama.nip', field: 'NIP', sebelum: null, sesudah: nip },
          { path: 'data_utama.no_hp', field: 'Nomor HP', sebelum: null, sesudah: '081234567890' }] }
    : { hash: 'c0', waktu: '2026-11-01T01:00:00Z', sumber: 'perangkat_lain', oleh: '199001012015031001', nip: '199001012015031001',
        perangkat: 'Laptop Operator', aktor: '9f8e7d6c5b4a3928', pesan: 'usulan dibuat', pertama: true, field_lainnya: 0,
        field: [{ path: 'jenis', field: 'jenis', sebelum: null, sesudah: 'kenaikan_pangkat' }] }
  return { total: 4, terpotong: false, perubahan: [
    { hash: 'c3', waktu: '2026-11-30T03:45:00Z', sumber: 'perangkat_lain', oleh: '198911222014032005', nip: '198911222014032005',
      perangkat: 'PC Verifikator', aktor: '9f8e7d6c5b4a3928', pesan: 'ubah kontak (no HP, email)', pertama: false, field_lainnya: 0,
      field: [{ path: 'data_utama.email', field: 'Email pribadi', sebelum: 'lama@contoh.go.id', sesudah: 'baru@contoh.go.id' }] },
    { hash: 'c2', waktu: '2026-11-30T02:10:00Z', sumber: 'hub_ditolak', oleh: 'Hub: perubahan ditolak', nip: null, perangkat: 'hub',
      aktor: '00aa11bb22cc33dd', pesan: 'kompensasi: data_utama.tgl_lahir hanya diubah BKN', pertama: false, field_lainnya: 0,
      field: [{ path: 'data_utama.tgl_lahir', field: 'Tanggal lahir', sebelum: '1985-03-16', sesudah: '1985-03-15' }] },
    { hash: 'c1', waktu: '2026-11-30T02:00:00Z', sumber: 'perangkat_ini', oleh: '199001012015031001', nip: '199001012015031001',
      perangkat: 'perangkat ini', aktor: 'a1b2c3d4e5f60718', pesan: 'ubah tanggal lahir', pertama: false, field_lainnya: 0,
      field: [{ path: 'data_utama.tgl_lahir', field: 'Tanggal lahir', sebelum: '1985-03-15', sesudah: '1985-03-16' }] },
    awal,
  ] }
}

// ---- konflik (stand-in for konflik_daftar, konflik_selesaikan): two fields written on two devices at once.
const konflikTiruan: KonflikBaris[] = [
  { rowid: 1, nip: '198503152010011002', nama: 'Budi Santoso, S.Pd.', path: 'data_utama.tgl_lahir', field: 'Tanggal lahir',
    nilai: [
      { tampil: '1985-03-15', json: '"1985-03-15"', oleh: 'Perangkat ini', aktor: 'a1b2c3d4e5f60718', waktu: '2026-11-30T02:10:00Z', pesan: 'ubah tanggal lahir' },
      { tampil: '1985-03-16', json: '"1985-03-16"', oleh: 'Perangkat 9f8e7d6c', aktor: '9f8e7d6c5b4a3928', waktu: '2026-11-30T03:45:00Z', pesan: null },
    ] },
  { rowid: 2, nip: '199001012015031001', nama: 'Siti Aminah, S.Kom.', path: 'data_utama.nama', field: 'Nama',
    nilai: [
      { tampil: 'SITI AMINAH', json: '"SITI AMINAH"', oleh: 'Perangkat 0c0ffee1', aktor: '0c0ffee100000000', waktu: '2026-11-29T08:00:00Z', pesan: null },
      { tampil: 'SITI AMINAH SARI', json: '"SITI AMINAH SARI"', oleh: 'Perangkat ini', aktor: 'a1b2c3d4e5f60718', waktu: null, pesan: null },
    ] },
]

// ---- usulan (stand-in for usulan_daftar, usulan_detail, usulan_buat, usulan_lampirkan, usulan_aksi, usulan_referensi)
// A few realistic usulan (a KP reguler draft missing documents, a kolektif KP diajukan, a peremajaan data returned as
// BTS, a KP pilihan with competing decisions, one at BKN, one pemberhentian) plus older finished ones for paging.
// The stand-in does not check roles: every transition allowed from the status is offered.

const TIDAK_DIKENAL = Symbol('tidak dikenal')
const SESI_NIP = '199001012015031001'
const VERIFIKATOR_A = '198702142010012003'
const VERIFIKATOR_B = '198911082014021001'

type Berkas = { sha256: string; size: number; mime: string; name: string }
type Syarat = { kode: string; nama: string; wajib: boolean; tipe: string[]; ukuran_maks: number | null }
type Peristiwa = {
  id: string; aksi: string; aksi_nama: string; oleh: string; waktu: string; alasan_id: string | null
  alasan: string | null; catatan: string | null; nip: string[]
}
type UsulanT = {
  id: string; jenis: string; sub_jenis: string | null; pegawai: { nip: string; nama: string }[]
  per_nip: Record<string, string>; perubahan: { field: string; nama_field: string; sebelum: string | null; sesudah: string }[]
  dokumen: Record<string, Berkas>; riwayat: Peristiwa[]; konflik: { nip: string | null; pilihan: Peristiwa[] }[]
  lokal: boolean; dibuat: string; diperbarui: string
  siasn?: { id: string | null; kode: string; nama: string; nomor_pertek: string | null; tanggal_pertek: string | null
    nomor_sk: string | null; tanggal_sk: string | null; tmt: string | null; diperbarui: string }
}

const JENIS_USULAN = [
  { kode: 'kenaikan_pangkat', nama: 'Kenaikan pangkat', sub_jenis: [
    { kode: '101', nama: 'Reguler' },
    { kode: '201', nama: 'Pilihan (Jabatan Struktural)' },
    { kode: '202', nama: 'Pilihan (Jabatan Fungsional Tertentu)' },
    { kode: '203', nama: 'Pilihan (Penyesuaian Ijazah)' },
    { kode: '205', nama: 'Pilihan (Setelah Selesai Tugas Belajar)' },
  ] },
  { kode: 'peremajaan_data', nama: 'Peremajaan data', sub_jenis: [] },
  { kode: 'pemberhentian', nama: 'Pemberhentian', sub_jenis: [
    { kode: '1', nama: 'Pemberhentian Karena BUP' },
    { kode: '2', nama: 'Pemberhentian Karena Meninggal Dunia' },
    { kode: '3', nama: 'Pemberhentian Karena Atas Permintaan Sendiri' },
  ] },
  { kode: 'pindah_instansi', nama: 'Pindah instansi', sub_jenis: [{ kode: 'masuk', nama: 'Pindah masuk' }, { kode: 'keluar', nama: 'Pindah keluar' }] },
  { kode: 'pencantuman_gelar', nama: 'Pencantuman gelar', sub_jenis: [] },
  { kode: 'peninjauan_masa_kerja', nama: 'Peninjauan masa kerja', sub_jenis: [] },
]

const ALASAN_TOLAK = [
  { id: '50', nama: 'BTS - Data tidak sesuai', keterangan: 'BTS' },
  { id: '51', nama: 'BTS - Dokumen Tidak Lengkap', keterangan: 'BTS' },
  { id: '67', nama: 'Perbaikan NIP/Pertek - Data atau Dokumen Pertek Tidak Sesuai', keterangan: 'BTS' },
  { id: '52', nama: 'TMS - Kualifikasi Pendidikan tidak sesuai dengan Penetapan Kebutuhan Menpan', keterangan: 'TMS' },
  { id: '54', nama: 'TMS - Yang bersangkutan meninggal dunia', keterangan: 'TMS' },
  { id: '55', nama: 'TMS - Yang bersangkutan mengundurkan diri', keterangan: 'TMS' },
  { id: '60', nama: 'TMS - Lain-lain', keterangan: 'TMS' },
]

const STATUS_NAMA: Record<string, string> = {
  draft: 'Draf', diajukan: 'Diajukan', diverifikasi: 'Diverifikasi instansi', bts: 'BTS (perbaikan)', tms: 'TMS',
  diteruskan_ke_bkn: 'Diteruskan ke BKN', disetujui: 'Disetujui BKN', sk_terbit: 'SK terbit', dibatalkan: 'Dibatalkan',
  konflik: 'Konflik keputusan', campuran: 'Status berbeda per pegawai',
}
const TOMBOL_AKSI: Record<string, string> = {
  diajukan: 'Ajukan', diverifikasi: 'Verifikasi', bts: 'Kembalikan (BTS)', tms: 'Tolak (TMS)',
  diteruskan_ke_bkn: 'Teruskan ke BKN', disetujui: 'Setujui', sk_terbit: 'Catat SK terbit', dibatalkan: 'Batalkan usulan',
}
const NAMA_PERISTIWA: Record<string, string> = {
  dibuat: 'Dibuat', diajukan: 'Diajukan', diverifikasi: 'Diverifikasi instansi', bts: 'Dikembalikan (BTS)',
  tms: 'Ditolak (TMS)', diteruskan_ke_bkn: 'Diteruskan ke BKN', disetujui: 'Disetujui BKN', sk_terbit: 'SK terbit',
  dibatalkan: 'Dibatalkan',
}
const BOLEH: Record<string, string[]> = {
  draft: ['diajukan', 'dibatalkan'], bts: ['diajukan', 'dibatalkan'], diajukan: ['diverifikasi', 'bts', 'tms', 'dibatalkan'],
  diverifikasi: ['diteruskan_ke_bkn'], diteruskan_ke_bkn: ['disetujui', 'bts', 'tms'], disetujui: ['sk_terbit'],
}
const NAMA_MEDAN: Record<string, string> = {
  'data_utama.nama': 'Nama', 'data_utama.gelar_depan': 'Gelar depan', 'data_utama.gelar_belakang': 'Gelar belakang',
  'data_utama.tempat_lahir': 'Tempat lahir', 'data_utama.tgl_lahir': 'Tanggal lahir', 'data_utama.nik': 'NIK',
  'data_utama.email': 'Email pribadi', 'data_utama.email_gov': 'Email dinas', 'data_utama.no_hp': 'Nomor HP',
  'data_utama.no_telp': 'Nomor telepon', 'data_utama.alamat': 'Alamat', 'data_utama.npwp': 'NPWP',
  'data_utama.bpjs': 'Nomor BPJS', 'data_utama.jabatan_nama': 'Nama jabatan', 'data_utama.tmt_jabatan': 'TMT jabatan',
  'data_utama.tmt_cpns': 'TMT CPNS', 'data_utama.tmt_pns': 'TMT PNS', 'data_utama.tmt_golongan': 'TMT golongan terakhir',
  'data_utama.tahun_lulus': 'Tahun lulus',
}
/** The fields a pencantuman gelar usulan may change (as the backend's `FIELD_GELAR`). */
const FIELD_GELAR = ['data_utama.gelar_depan', 'data_utama.gelar_belakang']
/** Peremajaan fields the instansi verifies itself (no BKN step). */
const MEDAN_INSTANSI = new Set(['data_utama.email', 'data_utama.email_gov', 'data_utama.no_hp', 'data_utama.no_telp',
  'data_utama.alamat', 'data_utama.npwp', 'data_utama.bpjs', 'data_utama.jabatan_nama', 'data_utama.tmt_jabatan'])

const PDF = ['application/pdf']
const MB = 1024 * 1024
const dok = (kode: string, nama: string, wajib = true, ukuran_maks = MB): Syarat => ({ kode, nama, wajib, tipe: PDF, ukuran_maks })

function syaratUntuk(u: Pick<UsulanT, 'jenis' | 'sub_jenis' | 'perubahan'>): Syarat[] {
  switch (u.jenis) {
    case 'kenaikan_pangkat':
      if (u.sub_jenis === '101') {
        return [dok('889', 'Dok SK CPNS'), dok('887', 'Dok SK PNS'), dok('858', 'Dok SK KP terakhir'),
          dok('890', 'Dokumen evaluasi kinerja 2 tahun terakhir'), dok('IJAZAH', 'Ijazah dan transkrip nilai', false, 2 * MB)]
      }
      if (u.sub_jenis === '202') {
        return [dok('858', 'Dok SK KP terakhir'), dok('890', 'Dokumen evaluasi kinerja 2 tahun terakhir'), dok('879', 'Dok PAK'),
          dok('SK_JF', 'SK pengangkatan dalam jabatan fungsional')]
      }
      return [dok('858', 'Dok SK KP terakhir'), dok('890', 'Dokumen evaluasi kinerja 2 tahun terakhir')]
    case 'peremajaan_data': {
      const lahir = u.perubahan.some((p) => ['data_utama.nama', 'data_utama.tgl_lahir', 'data_utama.tempat_lahir'].includes(p.field))
      return lahir
        ? [dok('AKTA', 'Akta kelahiran (dilegalisir)'), dok('KTP', 'KTP elektronik', false)]
        : [dok('PENDUKUNG', 'Dokumen pendukung perubahan')]
    }
    case 'pemberhentian':
      return [dok('889', 'Dok SK CPNS'), dok('887', 'Dok SK PNS'), dok('858', 'Dok SK KP terakhir'),
        dok('DPCP', 'Data perorangan calon penerima pensiun (DPCP)'), dok('KK', 'Kartu keluarga')]
    case 'pencantuman_gelar':
      return [dok('IJAZAH', 'Ijazah dan transkrip nilai', true, 2 * MB), dok('IZIN_BELAJAR', 'Surat izin belajar / tugas belajar')]
    default:
      return [dok('PENDUKUNG', 'Dokumen pendukung')]
  }
}

function hashTiruan(isi: ArrayLike<number>): string {
  let hasil = ''
  for (let putaran = 0; putaran < 8; putaran++) {
    let h = (0x811c9dc5 ^ putaran) >>> 0
    for (let i = 0; i < isi.length; i++) h = Math.imul(h ^ (isi[i]! & 0xff), 16777619) >>> 0
    hasil += h.toString(16).padStart(8, '0')
  }
  return hasil
}

function uuidTiruan(): string {
  const h = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

function ukuranTiruan(b: number): string {
  return b >= MB ? `${String(Math.round((b / MB) * 10) / 10).replace('.', ',')} MB` : `${Math.round(b / 1024)} KB`
}

function galat(code: string, message: string): Promise<never> {
  return Promise.reject({ code, message })
}

function buatUsulanTiruan(semua: Baris[]): (cmd: string, a: Record<string, any>) => unknown {
  const pg = (i: number) => semua[i % semua.length]!
  const perNip = new Map(semua.map((b) => [b.nip, b]))
  const daftar: UsulanT[] = []
  let nomorEvent = 0

  const peristiwa = (aksi: string, oleh: string, waktu: string, alasan_id: string | null = null, catatan: string | null = null,
    nip: string[] = []): Peristiwa => ({
    id: `0193a1f0-${String(++nomorEvent).padStart(4, '0')}-7000-8000-${String(nomorEvent).padStart(12, '0')}`,
    aksi, aksi_nama: NAMA_PERISTIWA[aksi] ?? aksi, oleh, waktu, alasan_id,
    alasan: ALASAN_TOLAK.find((x) => x.id === alasan_id)?.nama ?? null, catatan, nip,
  })
  const berkas = (name: string, size: number): Berkas => ({ sha256: hashTiruan(Array.from(name, (c) => c.charCodeAt(0))), size, mime: 'application/pdf', name })
  const baru = (id: string, jenis: string, sub: string | null, orang: Baris[], status: string, riwayat: Peristiwa[],
    dokumen: Record<string, Berkas> = {}, lain: Partial<UsulanT> = {}): UsulanT => {
    const u: UsulanT = {
      id, jenis, sub_jenis: sub, pegawai: orang.map((o) => ({ nip: o.nip, nama: o.nama_lengkap })),
      per_nip: Object.fromEntries(orang.map((o) => [o.nip, status])), perubahan: [], dokumen, riwayat, konflik: [],
      lokal: false, dibuat: riwayat[0]!.waktu, diperbarui: riwayat[riwayat.length - 1]!.waktu, ...lain,
    }
    daftar.push(u)
    return u
  }
  const lengkap = (syarat: Syarat[], kecuali: string[] = []) =>
    Object.fromEntries(syarat.filter((s) => !kecuali.includes(s.kode)).map((s, i) => [s.kode, berkas(`${s.nama.replace(/\W+/g, '_')}.pdf`, 180_000 + i * 73_000)]))

  // Older, finished KP reguler usulan (for paging), oldest first.
  for (let i = 0; i < 60; i++) {
    const bulan = 1 + (i % 10)
    const t = (hari: number, jam: string) => `2026-${String(bulan).padStart(2, '0')}-${String(hari).padStart(2, '0')}T${jam}:00+07:00`
    const r = [peristiwa('dibuat', SESI_NIP, t(2 + (i % 5), '08:30')), peristiwa('diajukan', SESI_NIP, t(8, '10:00'))]
    if (i % 7 === 3) {
      r.push(peristiwa('bts', VERIFIKATOR_A, t(10, '13:15'), '51', 'SKP tahun lalu belum ditandatangani pejabat penilai.'))
      r.push(peristiwa('diajukan', SESI_NIP, t(12, '09:05')))
    }
    r.push(peristiwa('diverifikasi', VERIFIKATOR_A, t(14, '11:20')), peristiwa('diteruskan_ke_bkn', VERIFIKATOR_A, t(14, '11:25')),
      peristiwa('disetujui', '196805121990031002', t(20, '15:00')), peristiwa('sk_terbit', '196805121990031002', t(27, '09:40')))
    const u = baru(`0192${String(i).padStart(4, '0')}-5a10-7c00-9000-00000000${String(1000 + i)}`, 'kenaikan_pangkat', '101',
      [pg(20 + i)], 'sk_terbit', r)
    u.dokumen = lengkap(syaratUntuk(u))
    u.siasn = {
      id: `8ae4830000000000000000000000${String(1000 + i)}`, kode: '32', nama: 'Sudah TTE SK',
      nomor_pertek: `MG-00000${String(10000 + i)}`, tanggal_pertek: '2026-11-20',
      nomor_sk: `800.1.6.3/${String(100 + i)}/2026`, tanggal_sk: '2026-11-27', tmt: '2026-12-01',
      diperbarui: '2026-11-27T03:00:00Z',
    }
  }

  // A: KP reguler draft, two mandatory documents missing; its pegawai has an IKD anomaly (a warning) when any has.
  const adaIkd = Math.max(0, semua.findIndex((x) => x.ikd_count > 0))
  const draf = baru('0193a1f0-0001-7b41-9d2a-5e8f1a2b3c01', 'kenaikan_pangkat', '101', [pg(adaIkd)], 'draft',
    [peristiwa('dibuat', SESI_NIP, '2026-11-28T09:12:00+07:00')], {}, { lokal: true })
  draf.dokumen = { '889': berkas('SK_CPNS_2010.pdf', 412_331), '887': berkas('SK_PNS_2011.pdf', 388_904) }
  // B: kolektif KP reguler, diajukan, complete.
  const kolektif = baru('0193a1f0-0002-7b41-9d2a-5e8f1a2b3c02', 'kenaikan_pangkat', '101', [pg(5), pg(6), pg(7)], 'diajukan',
    [peristiwa('dibuat', SESI_NIP, '2026-11-20T08:45:00+07:00'), peristiwa('diajukan', SESI_NIP, '2026-11-21T10:03:00+07:00')])
  kolektif.dokumen = lengkap(syaratUntuk(kolektif), ['IJAZAH'])
  // C: peremajaan data, returned as BTS (akta kelahiran missing).
  const perbaikan = baru('0193a1f0-0003-7b41-9d2a-5e8f1a2b3c03', 'peremajaan_data', null, [pg(8)], 'bts', [
    peristiwa('dibuat', SESI_NIP, '2026-11-10T13:20:00+07:00'), peristiwa('diajukan', SESI_NIP, '2026-11-11T08:02:00+07:00'),
    peristiwa('bts', VERIFIKATOR_A, '2026-11-14T14:37:00+07:00', '51',
      'Akta kelahiran belum dilampirkan. Lampirkan akta kelahiran yang dilegalisir, lalu ajukan kembali.'),
  ])
  const lahir = `${pg(8).nip.slice(0, 4)}-${pg(8).nip.slice(4, 6)}-${pg(8).nip.slice(6, 8)}`
  perbaikan.perubahan = [
    { field: 'data_utama.tgl_lahir', nama_field: 'Tanggal lahir', sebelum: lahir, sesudah: `${lahir.slice(0, 8)}${lahir.slice(8) === '01' ? '02' : '01'}` },
    { field: 'data_utama.tempat_lahir', nama_field: 'Tempat lahir', sebelum: 'Sleman', sesudah: 'Kabupaten Sleman' },
  ]
  perbaikan.dokumen = { KTP: berkas('KTP_el.pdf', 221_456) }
  // D: KP pilihan (JFT): one verifikator verified, another returned it, offline → konflik.
  const bersaing = baru('0193a1f0-0004-7b41-9d2a-5e8f1a2b3c04', 'kenaikan_pangkat', '202', [pg(9)], 'diajukan', [
    peristiwa('dibuat', SESI_NIP, '2026-11-18T09:00:00+07:00'), peristiwa('diajukan', SESI_NIP, '2026-11-19T10:30:00+07:00'),
  ])
  bersaing.dokumen = lengkap(syaratUntuk(bersaing))
  const setuju = peristiwa('diverifikasi', VERIFIKATOR_A, '2026-11-25T10:02:00+07:00', null, 'Berkas lengkap dan sesuai.')
  const kembali = peristiwa('bts', VERIFIKATOR_B, '2026-11-25T14:40:00+07:00', '50',
    'Angka kredit di PAK 2026 belum memenuhi jenjang Ahli Muda; lampirkan PAK terbaru.')
  bersaing.riwayat.push(setuju, kembali)
  bersaing.konflik = [{ nip: null, pilihan: [setuju, kembali] }]
  bersaing.diperbarui = kembali.waktu
  // E: pencantuman gelar at BKN.
  const diBkn = baru('0193a1f0-0005-7b41-9d2a-5e8f1a2b3c05', 'pencantuman_gelar', null, [pg(12)], 'diteruskan_ke_bkn', [
    peristiwa('dibuat', SESI_NIP, '2026-11-03T08:10:00+07:00'), peristiwa('diajukan', SESI_NIP, '2026-11-03T08:40:00+07:00'),
    peristiwa('diverifikasi', VERIFIKATOR_A, '2026-11-05T09:15:00+07:00'), peristiwa('diteruskan_ke_bkn', VERIFIKATOR_A, '2026-11-05T09:16:00+07:00'),
  ])
  diBkn.dokumen = lengkap(syaratUntuk(diBkn))
  // F: pemberhentian BUP, diajukan.
  const pensiun = baru('0193a1f0-0006-7b41-9d2a-5e8f1a2b3c06', 'pemberhentian', '1', [pg(13)], 'diajukan', [
    peristiwa('dibuat', SESI_NIP, '2026-11-24T11:00:00+07:00'), peristiwa('diajukan', SESI_NIP, '2026-11-26T15:25:00+07:00'),
  ])
  pensiun.dokumen = lengkap(syaratUntuk(pensiun))

  const status = (u: UsulanT): string => {
    if (u.konflik.length > 0) return 'konflik'
    const s = new Set(Object.values(u.per_nip))
    return s.size === 1 ? [...s][0]! : 'campuran'
  }
  const perluBkn = (u: UsulanT) => u.jenis !== 'peremajaan_data' || u.perubahan.some((p) => !MEDAN_INSTANSI.has(p.field))
  const aksiDari = (u: UsulanT): string[] => {
    if (u.konflik.length > 0) return [...new Set(u.konflik.flatMap((k) => k.pilihan.map((p) => p.aksi))), 'tms']
    const hasil = new Set<string>()
    for (const s of Object.values(u.per_nip)) {
      for (const x of BOLEH[s] ?? []) if (x !== 'diteruskan_ke_bkn' || perluBkn(u)) hasil.add(x)
    }
    return Object.keys(TOMBOL_AKSI).filter((x) => hasil.has(x))
  }
  const temuan = (u: UsulanT) => {
    if (!Object.values(u.per_nip).some((s) => s === 'draft' || s === 'bts')) return []
    const t: { tingkat: string; kode: string; nip: string | null; pesan: string }[] = []
    for (const s of syaratUntuk(u)) {
      if (s.wajib && !u.dokumen[s.kode]) {
        t.push({ tingkat: 'blokir', kode: 'dokumen_wajib', nip: null,
          pesan: `Dokumen wajib "${s.nama}" belum dilampirkan. Lampirkan pindaian PDF (maks. ${ukuranTiruan(s.ukuran_maks ?? MB)}) di bagian Dokumen, lalu ajukan.` })
      }
    }
    for (const p of u.pegawai) {
      const ikd = perNip.get(p.nip)?.ikd_count ?? 0
      if (ikd > 0) {
        t.push({ tingkat: 'peringatan', kode: 'ikd', nip: p.nip,
          pesan: `${p.nama} memiliki ${ikd} anomali data (IKD). Periksa profilnya; usulan dengan data tidak wajar sering dikembalikan BTS.` })
      }
    }
    return t
  }
  const ringkas = (u: UsulanT) => {
    const j = JENIS_USULAN.find((x) => x.kode === u.jenis)!
    const st = status(u)
    return {
      id: u.id, jenis: u.jenis, jenis_nama: j.nama, sub_jenis: u.sub_jenis,
      sub_jenis_nama: j.sub_jenis.find((s) => s.kode === u.sub_jenis)?.nama ?? null, status: st, status_nama: STATUS_NAMA[st] ?? st,
      konflik: u.konflik.length > 0, jumlah_bts: u.riwayat.filter((r) => r.aksi === 'bts').length,
      nip: u.pegawai[0]?.nip ?? null, nama: u.pegawai[0]?.nama ?? null, jumlah_pegawai: u.pegawai.length,
      dibuat: u.dibuat, diperbarui: u.diperbarui,
    }
  }
  const detail = (u: UsulanT) => ({
    ringkas: ringkas(u),
    pegawai: u.pegawai.map((p) => ({ ...p, status: u.per_nip[p.nip]!, status_nama: STATUS_NAMA[u.per_nip[p.nip]!] ?? '' })),
    perubahan: u.perubahan,
    dokumen: syaratUntuk(u).map((s) => ({ ...s, terlampir: u.dokumen[s.kode] ?? null })),
    riwayat: u.riwayat,
    konflik: u.konflik,
    temuan: temuan(u),
    aksi: aksiDari(u).map((x) => ({ aksi: x, nama: TOMBOL_AKSI[x]!, perlu_alasan: x === 'bts' || x === 'tms' })),
    lokal: u.lokal,
    siasn: u.siasn ?? null,
  })
  const cariUsulan = (id: string) => daftar.find((u) => u.id === id)
  const takAda = (id: string) => galat('tidak_ditemukan', `Usulan ${id} tidak ada di perangkat ini. Sinkronkan lalu buka lagi.`)

  return (cmd, a) => {
    switch (cmd) {
      case 'usulan_referensi':
        return { jenis: JENIS_USULAN, alasan: ALASAN_TOLAK }
      case 'usulan_daftar': {
        const f = a.filter as { jenis: string | null; status: string | null; nip: string | null; dari: string | null; sampai: string | null }
        const cocok = daftar.filter((u) =>
          (!f.jenis || u.jenis === f.jenis) && (!f.nip || u.pegawai.some((p) => p.nip === f.nip)) &&
          (!f.dari || u.dibuat.slice(0, 10) >= f.dari) && (!f.sampai || u.dibuat.slice(0, 10) <= f.sampai))
        const hitung = new Map<string, number>()
        for (const u of cocok) hitung.set(status(u), (hitung.get(status(u)) ?? 0) + 1)
        const baris = cocok.filter((u) => !f.status || status(u) === f.status)
          .sort((x, y) => Date.parse(y.diperbarui) - Date.parse(x.diperbarui) || (x.id < y.id ? 1 : -1))
        // The cursor names the last row: its last-event time and (here) its position in the stand-in's list.
        const k = a.kursor as { diperbarui_ms: number; rowid: number } | null
        const mulai = k ? baris.findIndex((u) => daftar.indexOf(u) === k.rowid) + 1 : 0
        const halaman = baris.slice(mulai, mulai + Number(a.batas))
        const akhir = halaman[halaman.length - 1]
        return {
          baris: halaman.map(ringkas),
          per_status: Object.keys(STATUS_NAMA).filter((s) => hitung.has(s)).map((s) => ({ kunci: s, label: STATUS_NAMA[s]!, jumlah: hitung.get(s)! })),
          berikut: akhir && mulai + halaman.length < baris.length
            ? { diperbarui_ms: Date.parse(akhir.diperbarui), rowid: daftar.indexOf(akhir) }
            : null,
        }
      }
      case 'usulan_detail': {
        const u = cariUsulan(String(a.id))
        return u ? detail(u) : takAda(String(a.id))
      }
      case 'usulan_buat': {
        const baruan = a.baru as { jenis: string; sub_jenis: string | null; nip: string[]; perubahan: [string, string][]; catatan: string | null }
        const j = JENIS_USULAN.find((x) => x.kode === baruan.jenis)
        if (!j) return galat('masukan_tidak_sah', `Jenis usulan "${baruan.jenis}" tidak dikenal.`)
        if (j.sub_jenis.length > 0 && !j.sub_jenis.some((s) => s.kode === baruan.sub_jenis)) {
          return galat('masukan_tidak_sah', `Sub jenis ${j.nama.toLowerCase()} belum dipilih.`)
        }
        if (baruan.nip.length === 0) return galat('masukan_tidak_sah', 'Pilih sekurang-kurangnya satu pegawai.')
        if (baruan.jenis === 'pencantuman_gelar') {
          // As `usulan_buat`: at least one change, only the gelar fields, one pegawai (distinct NIPs, digits only).
          if (baruan.perubahan.length === 0) {
            return galat('masukan_tidak_sah',
              'Perubahan "" tidak sah: pencantuman gelar memerlukan gelar depan atau gelar belakang yang baru.')
          }
          const lain = baruan.perubahan.find(([field]) => !FIELD_GELAR.includes(field.trim()))
          if (lain) {
            return galat('masukan_tidak_sah', `Perubahan "${lain[0].slice(0, 80)}" tidak sah: pencantuman gelar hanya mengubah ` +
              'data_utama.gelar_depan atau data_utama.gelar_belakang; perubahan data lain diusulkan lewat peremajaan data.')
          }
          const nipBeda = new Set(baruan.nip.map((n) => n.replace(/\D/g, '')).filter((n) => n !== ''))
          if (nipBeda.size > 1) {
            return galat('masukan_tidak_sah',
              `NIP "${baruan.nip.join(', ').slice(0, 80)}" tidak sah: pencantuman gelar diusulkan untuk satu pegawai.`)
          }
        }
        const orang: Baris[] = []
        for (const nip of baruan.nip) {
          const o = perNip.get(nip)
          if (!o) return galat('tidak_ditemukan', `Pegawai dengan NIP ${nip} tidak ada di replika.`)
          orang.push(o)
        }
        if (baruan.jenis === 'peremajaan_data' && baruan.perubahan.length === 0) {
          return galat('masukan_tidak_sah', 'Peremajaan data memerlukan sekurang-kurangnya satu perubahan.')
        }
        const sekarang = new Date().toISOString()
        const u = baru(uuidTiruan(), baruan.jenis, baruan.sub_jenis, orang, 'draft',
          [peristiwa('dibuat', SESI_NIP, sekarang, null, baruan.catatan)], {}, { lokal: true })
        u.perubahan = baruan.perubahan.map(([field, nilai]) => ({
          field, nama_field: NAMA_MEDAN[field] ?? field, sesudah: nilai,
          sebelum: field === 'data_utama.nama' ? orang[0]!.nama
            : field === 'data_utama.tgl_lahir' ? `${orang[0]!.nip.slice(0, 4)}-${orang[0]!.nip.slice(4, 6)}-${orang[0]!.nip.slice(6, 8)}`
              : field === 'data_utama.jabatan_nama' ? orang[0]!.jabatan_nama : null,
        }))
        return detail(u)
      }
      case 'usulan_lampirkan': {
        const u = cariUsulan(String(a.id))
        if (!u) return takAda(String(a.id))
        const s = syaratUntuk(u).find((x) => x.kode === a.kodeDokumen)
        if (!s) return galat('masukan_tidak_sah', `Dokumen ${a.kodeDokumen} tidak termasuk syarat usulan ini.`)
        const isi = a.isi as number[]
        if (s.tipe.length > 0 && !s.tipe.includes(String(a.mime))) {
          return galat('masukan_tidak_sah', `Berkas "${a.namaBerkas}" bukan PDF; ${s.nama} harus PDF. Simpan ulang sebagai PDF lalu lampirkan lagi.`)
        }
        if (s.ukuran_maks !== null && isi.length > s.ukuran_maks) {
          return galat('masukan_tidak_sah', `Berkas "${a.namaBerkas}" berukuran ${ukuranTiruan(isi.length)}; batas ${s.nama} ${ukuranTiruan(s.ukuran_maks)}.`)
        }
        u.dokumen[s.kode] = { sha256: hashTiruan(isi), size: isi.length, mime: String(a.mime), name: String(a.namaBerkas) }
        u.lokal = true
        return detail(u)
      }
      case 'usulan_aksi': {
        const u = cariUsulan(String(a.id))
        if (!u) return takAda(String(a.id))
        const m = a.masukan as { aksi: string; alasan_id: string | null; catatan: string | null; nip: string[] }
        const boleh = aksiDari(u)
        const st = status(u)
        if (!boleh.includes(m.aksi)) {
          return galat('masukan_tidak_sah', `Usulan berstatus ${STATUS_NAMA[st]} tidak dapat di-"${TOMBOL_AKSI[m.aksi] ?? m.aksi}"; ` +
            `yang dapat dilakukan: ${boleh.map((x) => TOMBOL_AKSI[x]).join(', ') || 'tidak ada'}.`)
        }
        if ((m.aksi === 'bts' || m.aksi === 'tms') && !m.alasan_id) {
          return galat('masukan_tidak_sah', `${TOMBOL_AKSI[m.aksi]} memerlukan alasan dari daftar alasan tolak.`)
        }
        if (m.aksi === 'diajukan') {
          const halang = temuan(u).find((t) => t.tingkat === 'blokir')
          if (halang) return galat('masukan_tidak_sah', `Usulan belum dapat diajukan: ${halang.pesan}`)
        }
        const ev = peristiwa(m.aksi, SESI_NIP, new Date().toISOString(), m.alasan_id, m.catatan, m.nip)
        u.riwayat.push(ev)
        const nips = m.nip.length > 0 ? m.nip : u.pegawai.map((p) => p.nip)
        for (const nip of nips) {
          if (u.konflik.length > 0 || (BOLEH[u.per_nip[nip]!] ?? []).includes(m.aksi)) u.per_nip[nip] = m.aksi
        }
        u.konflik = []
        u.lokal = true
        u.diperbarui = ev.waktu
        return detail(u)
      }
      default:
        return TIDAK_DIKENAL
    }
  }
}
