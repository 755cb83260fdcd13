// The only door to the backend. Components import from here, never from `@tauri-apps/api` or the generated
// bindings (a test in ./batas.test.ts enforces it). Every wrapper resolves with the data or throws `GalatIpc`,
// whose `galat` is a discriminated union on `code` (the closed set KodeGalat of the contract).
import { commands, events } from './bindings.gen'
import type {
  AppError,
  Beranda,
  FacetsPegawai,
  FilterPegawai,
  HalamanPegawai,
  KodeGalat,
  Kursor,
  MasukMulai,
  PegawaiBaris,
  Pengaturan,
  ProfilView,
  SesiView,
  SinkronStatus,
  UnorSimpul,
  Urutan,
} from './bindings.gen'
import type { AksiMasukan, FilterUsulan, HalamanUsulan, KursorUsulan, UsulanBaru, UsulanDetail } from './bindings.gen'
import type { KonflikBaris } from './bindings.gen'
import type { RiwayatPerubahan } from './bindings.gen'
import type {
  EksporKunjungan,
  FilterKunjungan,
  FotoBaru,
  FotoIsi,
  HalamanKunjungan,
  HasilView,
  KunjunganBaru,
  KunjunganDetail,
  KursorKunjungan,
} from './bindings.gen'
import type { FilterPengingat, HalamanPengingat, KursorPengingat, TindakLanjutView } from './bindings.gen'

export type {
  FilterPengingat,
  HalamanPengingat,
  KursorPengingat,
  PengingatView,
  TindakLanjutView,
} from './bindings.gen'

export type {
  EksporKunjungan,
  FilterKunjungan,
  FotoBaru,
  FotoIsi,
  FotoView,
  HalamanKunjungan,
  HasilView,
  KunjunganBaru,
  KunjunganDetail,
  KunjunganRingkas,
  KursorKunjungan,
} from './bindings.gen'

export type { KonflikBaris, NilaiKonflik } from './bindings.gen'

export type { PerubahanDokumen, PerubahanField, RiwayatPerubahan, SumberPerubahan } from './bindings.gen'

export type {
  AksiMasukan,
  AksiView,
  AlasanTolakView,
  BerkasView,
  DokumenSyaratView,
  EventView,
  FilterUsulan,
  HalamanUsulan,
  JenisUsulanView,
  KonflikView,
  KursorUsulan,
  PegawaiUsulanView,
  PerubahanView,
  Pilihan,
  TemuanView,
  UsulanBaru,
  UsulanDetail,
  UsulanRingkas,
} from './bindings.gen'

export type {
  AppError,
  Beranda,
  FacetsPegawai,
  GalatSinkron,
  Kemajuan,
  OutboxBaris,
  FilterPegawai,
  HalamanPegawai,
  Hitung,
  Ikd,
  KodeGalat,
  Kursor,
  MasukMulai,
  PegawaiBaris,
  Pengaturan,
  ProfilView,
  SesiView,
  SinkronStatus,
  TabRiwayat,
  UnorSimpul,
  Urutan,
} from './bindings.gen'

/** One error per code; `message` is a full sentence that says what to do next. */
export type Galat = { [K in KodeGalat]: { code: K; message: string } }[KodeGalat]

const KODE: readonly KodeGalat[] = [
  'belum_masuk',
  'masuk_ulang',
  'luring',
  'ditolak',
  'tidak_ditemukan',
  'masukan_tidak_sah',
  'replika',
  'konfigurasi',
  'internal',
]

/** An error from the backend (or from calling it), as a thrown value. */
export class GalatIpc extends Error {
  readonly galat: Galat
  constructor(galat: Galat) {
    super(galat.message)
    this.name = 'GalatIpc'
    this.galat = galat
  }
  get code(): KodeGalat {
    return this.galat.code
  }
}

/** Turns anything thrown or returned as an error into a `Galat`. */
export function normalisasiGalat(e: unknown): Galat {
  if (e instanceof GalatIpc) return e.galat
  if (e && typeof e === 'object' && 'code' in e && typeof (e as AppError).code === 'string') {
    const code = (e as AppError).code
    const message = typeof (e as AppError).message === 'string' ? (e as AppError).message : ''
    if ((KODE as readonly string[]).includes(code)) {
      return { code, message: message || 'Terjadi galat. Coba lagi.' } as Galat
    }
    return { code: 'internal', message: message || `Galat tak dikenal (${code}).` }
  }
  if (typeof e === 'string') return { code: 'internal', message: e }
  if (e instanceof Error) {
    if (!tersedia()) {
      return {
        code: 'internal',
        message: 'Antarmuka ini harus dijalankan di dalam aplikasi SIASN Luring; buka aplikasinya, bukan peramban.',
      }
    }
    return { code: 'internal', message: e.message }
  }
  return { code: 'internal', message: 'Terjadi galat yang tidak diketahui. Muat ulang aplikasi.' }
}

/** True inside the Tauri window. */
export function tersedia(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window
}

let padaInternal: ((g: Galat) => void) | null = null

/** Called with every `internal` error (a backend bug or panic), e.g. to ask `galatMulai` for the crash screen. */
export function setelPadaGalatInternal(cb: ((g: Galat) => void) | null): void {
  padaInternal = cb
}

function lapor(g: Galat): GalatIpc {
  if (g.code === 'internal' && padaInternal) {
    try {
      padaInternal(g)
    } catch {
      // the hook must never hide the original error
    }
  }
  return new GalatIpc(g)
}

type Hasil<T> = { status: 'ok'; data: T } | { status: 'error'; error: AppError }

async function buka<T>(p: Promise<Hasil<T>>): Promise<T> {
  let r: Hasil<T>
  try {
    r = await p
  } catch (e) {
    throw lapor(normalisasiGalat(e))
  }
  if (r.status === 'ok') return r.data
  throw lapor(normalisasiGalat(r.error))
}

export const sesi = (): Promise<SesiView> => buka(commands.sesi())
export const masukMulai = (): Promise<MasukMulai> => buka(commands.masukMulai())
export const masukTunggu = (): Promise<SesiView> => buka(commands.masukTunggu())
/** Opens the pending sign-in URL in the system browser again (the webview itself opens no links). */
export const bukaTautanMasuk = (): Promise<unknown> => buka(commands.bukaTautanMasuk())
export const keluar = (): Promise<unknown> => buka(commands.keluar())
export const beranda = (): Promise<Beranda> => buka(commands.beranda())
export const pegawaiCari = (kueri: string, batas: number): Promise<PegawaiBaris[]> =>
  buka(commands.pegawaiCari(kueri, batas))
export const pegawaiDaftar = (
  filter: FilterPegawai,
  urutan: Urutan,
  kursor: Kursor | null,
  batas: number,
): Promise<HalamanPegawai> => buka(commands.pegawaiDaftar(filter, urutan, kursor, batas))
export const pegawaiFacets = (filter: FilterPegawai): Promise<FacetsPegawai> => buka(commands.pegawaiFacets(filter))
export const unorPohon = (): Promise<UnorSimpul[]> => buka(commands.unorPohon())
/** A profile; with `rowid`, that document (its NIP must match), else the oldest document with that NIP. */
export const profil = (nip: string, rowid: number | null = null): Promise<ProfilView> =>
  buka(commands.profil(nip, rowid))
/** An offline kontak edit of the same document `profil(nip, rowid)` shows; null or "" clears a field. */
export const kontakUbah = (
  nip: string,
  rowid: number | null,
  noHp: string | null,
  email: string | null,
): Promise<ProfilView> => buka(commands.kontakUbah(nip, rowid, noHp, email))
/** Every same-field conflict on a `verify` field, each value with the device that wrote it and when. */
export const konflikDaftar = (): Promise<KonflikBaris[]> => buka(commands.konflikDaftar())
/** Decides the conflict at `path` of document `rowid`: `nilai` is a value's `json` (Pilih) or what was typed (Nilai
 *  lain). Answers with the updated list; `ditolak` without `pegawai.verifikasi`. */
export const konflikSelesaikan = (rowid: number, path: string, nilai: string): Promise<KonflikBaris[]> =>
  buka(commands.konflikSelesaikan(rowid, path, nilai))
/** The audit trail of a pegawai (document `rowid`, else the oldest with `nip`): newest change first, each with who,
 *  which device, when (RFC 3339) and every field sebelum → sesudah. */
export const riwayatPerubahanPegawai = (nip: string, rowid: number | null = null): Promise<RiwayatPerubahan> =>
  buka(commands.riwayatPerubahanPegawai(nip, rowid))
/** The audit trail of usulan `id`, as `riwayatPerubahanPegawai`. */
export const riwayatPerubahanUsulan = (id: string): Promise<RiwayatPerubahan> => buka(commands.riwayatPerubahanUsulan(id))
export const sinkronStatus = (): Promise<SinkronStatus> => buka(commands.sinkronStatus())
export const sinkronMulai = (): Promise<SinkronStatus> => buka(commands.sinkronMulai())
export const pengaturan = (): Promise<Pengaturan> => buka(commands.pengaturan())
export const pengaturanSimpan = (p: Pengaturan): Promise<Pengaturan> => buka(commands.pengaturanSimpan(p))

/** What `usulan_referensi` answers: the jenis usulan (with sub jenis) and the alasan tolak. Taken from the command's
 *  type, so it holds whatever name the generated bindings give it. */
export type ReferensiUsulan = Extract<Awaited<ReturnType<typeof commands.usulanReferensi>>, { status: 'ok' }>['data']

/** One page of usulan, newest first, with counts per status; `kursor` null for the first page. */
export const usulanDaftar = (filter: FilterUsulan, kursor: KursorUsulan | null, batas: number): Promise<HalamanUsulan> =>
  buka(commands.usulanDaftar(filter, kursor, batas))
/** One usulan: checklist, pre-submit findings (`temuan`), log, conflicts and what this user may do (`aksi`). */
export const usulanDetail = (id: string): Promise<UsulanDetail> => buka(commands.usulanDetail(id))
/** Creates a draft usulan (offline) and answers with it. */
export const usulanBuat = (baru: UsulanBaru): Promise<UsulanDetail> => buka(commands.usulanBuat(baru))
/** Attaches a file (its bytes) to checklist document `kodeDokumen`; the backend checks type and size. */
export const usulanLampirkan = (
  id: string,
  kodeDokumen: string,
  namaBerkas: string,
  mime: string,
  isi: number[],
): Promise<UsulanDetail> => buka(commands.usulanLampirkan(id, kodeDokumen, namaBerkas, mime, isi))
/** Records a transition; `diajukan` is refused (`masukan_tidak_sah`) while a pre-submit finding blocks it. */
export const usulanAksi = (id: string, masukan: AksiMasukan): Promise<UsulanDetail> =>
  buka(commands.usulanAksi(id, masukan))
/** The jenis usulan with their sub jenis, and the alasan tolak for BTS/TMS. */
export const usulanReferensi = (): Promise<ReferensiUsulan> => buka(commands.usulanReferensi())

/** One page of field visits (verifikasi lapangan), newest first, with counts per hasil; `kursor` null first. */
export const verifikasiLapanganDaftar = (
  filter: FilterKunjungan,
  kursor: KursorKunjungan | null,
  batas: number,
): Promise<HalamanKunjungan> => buka(commands.verifikasiLapanganDaftar(filter, kursor, batas))
/** One visit with its photos (`tersedia`: the bytes are on this device). */
export const verifikasiLapanganDetail = (id: string): Promise<KunjunganDetail> =>
  buka(commands.verifikasiLapanganDetail(id))
/** Records a visit (offline) by the signed-in officer, now, with its photos; answers with it. */
export const verifikasiLapanganBuat = (baru: KunjunganBaru): Promise<KunjunganDetail> =>
  buka(commands.verifikasiLapanganBuat(baru))
/** Adds a photo (JPEG/PNG bytes) to a visit; the backend checks type, size and content. */
export const verifikasiLapanganFotoTambah = (id: string, foto: FotoBaru): Promise<KunjunganDetail> =>
  buka(commands.verifikasiLapanganFotoTambah(id, foto))
/** The bytes of one photo of a visit (`tidak_ditemukan` while it has not been downloaded). */
export const verifikasiLapanganFoto = (id: string, sha256: string): Promise<FotoIsi> =>
  buka(commands.verifikasiLapanganFoto(id, sha256))
/** Writes the CSV of the visits under `filter` into the data folder's `ekspor/`; answers with the path and count. */
export const verifikasiLapanganEkspor = (filter: FilterKunjungan): Promise<EksporKunjungan> =>
  buka(commands.verifikasiLapanganEkspor(filter))
/** The hasil to choose from, in order. */
export const verifikasiLapanganHasil = (): Promise<HasilView[]> => buka(commands.verifikasiLapanganHasil())

/** One page of the reminders of `filter.jenis` (`kp`, `bup`, `kgb`) due within `filter.bulan` months (1–23; null: 12),
 *  by target date then name, with the counts per state (`per_status`, the state filter ignored) and whether this
 *  officer may record follow-ups (`boleh_tandai`); `kursor` null for the first page, else the previous `berikut`. */
export const pengingatDaftar = (
  filter: FilterPengingat,
  kursor: KursorPengingat | null,
  batas: number,
): Promise<HalamanPengingat> => buka(commands.pengingatDaftar(filter, kursor, batas))
/** Records the follow-up `status` (`ditangani` or `tidak_perlu`, with an optional note of at most 500 characters)
 *  on reminder `kunci` of pegawai `nip` (document `rowid`), offline, by the signed-in officer; `status` null takes a
 *  recorded follow-up back. Answers with the follow-up as recorded (null after taking it back); `ditolak` without
 *  `pegawai.ubah`. */
export const pengingatTandai = (
  nip: string,
  rowid: number | null,
  kunci: string,
  status: 'ditangani' | 'tidak_perlu' | null,
  catatan: string | null,
): Promise<TindakLanjutView | null> => buka(commands.pengingatTandai(nip, rowid, kunci, status, catatan))

/** The problem the backend found at start (or a crash since), for the crash screen; null when none. */
export const galatMulai = (): Promise<AppError | null> => buka(commands.galatMulai())

/** Subscribes to `SinkronBerubah`; resolves with the unsubscribe function (a no-op outside Tauri). */
export async function dengarSinkron(cb: (status: SinkronStatus) => void): Promise<() => void> {
  if (!tersedia()) return () => {}
  try {
    return await events.sinkronBerubah.listen((e) => cb(e.payload.status))
  } catch {
    return () => {}
  }
}

/** An empty filter (every field unset). */
export function filterKosong(): FilterPegawai {
  return {
    unor: null,
    golongan_dari: null,
    golongan_sampai: null,
    jenis_jabatan: [],
    jenis_asn: [],
    kedudukan: [],
    ada_anomali: null,
    ikd: null,
    bup_dalam_bulan: null,
    kp_pada: null,
  }
}
