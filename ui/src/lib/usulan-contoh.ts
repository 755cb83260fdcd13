// Sample usulan payloads for the usulan screens' tests (shapes of the IPC contract, values as the backend gives
// them: RFC 3339 times, yyyy-mm-dd dates, status codes of `StatusUsulan::kode`). Not used by the app itself.
import type { EventView, ReferensiUsulan, UsulanDetail, UsulanRingkas } from '../ipc'

export const NIP_OPERATOR = '199001012015031001'
export const NIP_VERIFIKATOR_A = '198702142010012003'
export const NIP_VERIFIKATOR_B = '198911082014021001'

export function ringkasContoh(ubah: Partial<UsulanRingkas> = {}): UsulanRingkas {
  return {
    id: '0193a1f0-0001-7b41-9d2a-5e8f1a2b3c01',
    jenis: 'kenaikan_pangkat',
    jenis_nama: 'Kenaikan pangkat',
    sub_jenis: '101',
    sub_jenis_nama: 'Reguler',
    status: 'draft',
    status_nama: 'Draf',
    konflik: false,
    jumlah_bts: 0,
    nip: '198503152010011002',
    nama: 'Budi Santoso, S.T.',
    jumlah_pegawai: 1,
    dibuat: '2026-11-28T09:12:00+07:00',
    diperbarui: '2026-11-28T09:12:00+07:00',
    ...ubah,
  }
}

export function eventContoh(ubah: Partial<EventView> = {}): EventView {
  return {
    id: '0193a1f0-e001-7000-8000-000000000001',
    aksi: 'dibuat',
    aksi_nama: 'Dibuat',
    oleh: NIP_OPERATOR,
    waktu: '2026-11-28T02:12:00Z',
    alasan_id: null,
    alasan: null,
    catatan: null,
    nip: [],
    ...ubah,
  }
}

/** A KP reguler draft: two documents attached, "Dok SK KP terakhir" (858) missing → a blokir finding. */
export function detailContoh(ubah: Partial<UsulanDetail> = {}): UsulanDetail {
  return {
    ringkas: ringkasContoh(),
    pegawai: [{ nip: '198503152010011002', nama: 'Budi Santoso, S.T.', status: 'draft', status_nama: 'Draf' }],
    perubahan: [],
    dokumen: [
      {
        kode: '889',
        nama: 'Dok SK CPNS',
        wajib: true,
        tipe: ['application/pdf'],
        ukuran_maks: 1048576,
        terlampir: { sha256: 'a'.repeat(64), size: 412331, mime: 'application/pdf', name: 'SK_CPNS_2010.pdf' },
      },
      { kode: '858', nama: 'Dok SK KP terakhir', wajib: true, tipe: ['application/pdf'], ukuran_maks: 1048576, terlampir: null },
      { kode: 'IJAZAH', nama: 'Ijazah dan transkrip nilai', wajib: false, tipe: ['application/pdf'], ukuran_maks: 2097152, terlampir: null },
    ],
    riwayat: [eventContoh()],
    konflik: [],
    temuan: [
      {
        tingkat: 'blokir',
        kode: 'dokumen_wajib',
        nip: null,
        pesan: 'Dokumen wajib "Dok SK KP terakhir" belum dilampirkan. Lampirkan pindaian PDF (maks. 1 MB), lalu ajukan.',
      },
      {
        tingkat: 'peringatan',
        kode: 'ikd',
        nip: '198503152010011002',
        pesan: 'Budi Santoso, S.T. memiliki 1 anomali data (IKD); periksa profilnya sebelum mengajukan.',
      },
    ],
    aksi: [
      { aksi: 'diajukan', nama: 'Ajukan', perlu_alasan: false },
      { aksi: 'dibatalkan', nama: 'Batalkan usulan', perlu_alasan: false },
    ],
    lokal: true,
    siasn: null,
    ...ubah,
  }
}

/** The same usulan submitted, as a verifikator sees it (diverifikasi, BTS, TMS allowed). */
export function detailDiajukan(ubah: Partial<UsulanDetail> = {}): UsulanDetail {
  return detailContoh({
    ringkas: ringkasContoh({ status: 'diajukan', status_nama: 'Diajukan', diperbarui: '2026-11-29T03:00:00Z' }),
    pegawai: [{ nip: '198503152010011002', nama: 'Budi Santoso, S.T.', status: 'diajukan', status_nama: 'Diajukan' }],
    riwayat: [eventContoh(), eventContoh({ id: 'e2', aksi: 'diajukan', aksi_nama: 'Diajukan', waktu: '2026-11-29T03:00:00Z' })],
    temuan: [],
    aksi: [
      { aksi: 'diverifikasi', nama: 'Verifikasi', perlu_alasan: false },
      { aksi: 'bts', nama: 'Kembalikan (BTS)', perlu_alasan: true },
      { aksi: 'tms', nama: 'Tolak (TMS)', perlu_alasan: true },
    ],
    lokal: false,
    ...ubah,
  })
}

export function referensiContoh(): ReferensiUsulan {
  return {
    jenis: [
      {
        kode: 'kenaikan_pangkat',
        nama: 'Kenaikan pangkat',
        sub_jenis: [
          { kode: '101', nama: 'Reguler' },
          { kode: '202', nama: 'Pilihan (Jabatan Fungsional Tertentu)' },
        ],
      },
      { kode: 'peremajaan_data', nama: 'Peremajaan data', sub_jenis: [] },
      { kode: 'pencantuman_gelar', nama: 'Pencantuman gelar', sub_jenis: [] },
    ],
    alasan: [
      { id: '50', nama: 'BTS - Data tidak sesuai', keterangan: 'BTS' },
      { id: '51', nama: 'BTS - Dokumen Tidak Lengkap', keterangan: 'BTS' },
      { id: '60', nama: 'TMS - Lain-lain', keterangan: 'TMS' },
    ],
  }
}
