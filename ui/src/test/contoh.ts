// Sample IPC payloads for component tests.
import type { Pengaturan, PegawaiBaris, ProfilView, SinkronStatus } from '../ipc'

export function status(ubah: Partial<SinkronStatus> = {}): SinkronStatus {
  return {
    daring: true,
    berjalan: false,
    terakhir_berhasil: '2026-11-30T10:00:00Z',
    galat: null,
    outbox_total: 0,
    outbox: [],
    blob_menunggu: 0,
    kemajuan: null,
    ...ubah,
  }
}

let rowidBerikutnya = 1000

/** A list row; `rowid` defaults to a fresh one (two documents may share a NIP but never a row id). */
export function baris(nip: string, nama: string, rowid: number = rowidBerikutnya++): PegawaiBaris {
  return {
    rowid,
    nip,
    nama_lengkap: nama,
    nama,
    jenis_asn: 'PNS',
    golongan: 'III/a',
    jabatan_nama: 'Analis SDM Aparatur',
    unor_nama: 'Bidang Mutasi',
    kedudukan: 'Aktif',
    tmt_pensiun: '2040-06-01',
    kp_berikutnya: '2027-04-01',
    ikd_count: 0,
  }
}

export function profilContoh(ubah: Partial<ProfilView> = {}): ProfilView {
  return {
    nip: '198503152010011002',
    nama_lengkap: 'Dr. Budi Santoso, S.T., M.Kom.',
    foto: null,
    ringkasan: [{ label: 'Tanggal lahir', nilai: '1985-03-15', jenis: 'tanggal' }],
    tmt_pensiun: '2043-04-01',
    usia_bup: 58,
    kp_berikutnya: '2027-04-01',
    ikd: [
      {
        kode: 'TIM_3',
        indikator: 'Masa kerja golongan tidak wajar',
        penjelasan: 'TMT golongan III/b 2019-04-01 lebih awal dari TMT CPNS 2020-01-01.',
      },
    ],
    tab: [
      { kunci: 'data-utama', judul: 'Data utama', kolom: [{ judul: 'Medan', jenis: 'teks' }, { judul: 'Nilai', jenis: 'teks' }], baris: [['Agama', 'Islam']] },
      { kunci: 'golongan', judul: 'Golongan', kolom: [{ judul: 'Golongan', jenis: 'teks' }, { judul: 'TMT', jenis: 'tanggal' }], baris: [['III/b', '2019-04-01']] },
      { kunci: 'keluarga', judul: 'Keluarga', kolom: [{ judul: 'Nama', jenis: 'teks' }], baris: [] },
    ],
    konflik: [],
    kontak: { no_hp: '081234567890', email: 'budi@bkd.go.id' },
    belum_terkirim: 0,
    ...ubah,
  }
}

export function pengaturanContoh(ubah: Partial<Pengaturan> = {}): Pengaturan {
  return {
    hub_url: 'https://hub.bkd.contoh.go.id',
    sso_issuer: 'https://sso.contoh.go.id/realms/asn',
    sso_client_id: 'luring-desktop',
    folder_data: '/home/operator/.local/share/siasn-luring',
    berkas_pengaturan: '/home/operator/.config/siasn-luring/pengaturan.toml',
    versi: '0.1.0',
    berkas_log: '/home/operator/.local/share/siasn-luring/log/luring.log',
    mulai_ulang: false,
    dari_lingkungan: [],
    ...ubah,
  }
}
