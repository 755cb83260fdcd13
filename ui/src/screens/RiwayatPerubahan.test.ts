import { fireEvent, render, waitFor } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'
import { GalatIpc, type RiwayatPerubahan as Riwayat } from '../ipc'
import RiwayatPerubahan from './RiwayatPerubahan.svelte'

function riwayatContoh(ubah: Partial<Riwayat> = {}): Riwayat {
  return {
    total: 3,
    terpotong: false,
    perubahan: [
      { hash: 'c2', waktu: '2026-11-30T03:45:00Z', sumber: 'perangkat_lain', oleh: '198911222014032005', nip: '198911222014032005',
        perangkat: 'PC Verifikator', aktor: '9f8e', pesan: 'ubah kontak (no HP, email)', pertama: false, field_lainnya: 0,
        field: [{ path: 'data_utama.email', field: 'Email pribadi', sebelum: 'lama@contoh.go.id', sesudah: null }] },
      { hash: 'c1', waktu: '2026-11-30T02:10:00Z', sumber: 'hub_ditolak', oleh: 'Hub: perubahan ditolak', nip: null,
        perangkat: 'hub', aktor: '00aa', pesan: 'kompensasi: hanya BKN', pertama: false, field_lainnya: 2,
        field: [{ path: 'data_utama.tgl_lahir', field: 'Tanggal lahir', sebelum: '1985-03-16', sesudah: '1985-03-15' }] },
      { hash: 'c0', waktu: '2026-11-01T01:00:00Z', sumber: 'hub', oleh: 'Hub (SI-ASN / impor)', nip: null, perangkat: 'hub',
        aktor: '00aa', pesan: 'impor data pegawai', pertama: true, field_lainnya: 40,
        field: [{ path: 'data_utama.nip', field: 'NIP', sebelum: null, sesudah: '198503152010011002' }] },
    ],
    ...ubah,
  }
}

/** The local `dd-mm-yyyy HH:mm` of an instant, as the screen formats it. */
function lokal(rfc3339: string): string {
  const d = new Date(rfc3339)
  const dua = (n: number) => String(n).padStart(2, '0')
  return `${dua(d.getDate())}-${dua(d.getMonth() + 1)}-${d.getFullYear()} ${dua(d.getHours())}:${dua(d.getMinutes())}`
}

describe('RiwayatPerubahan', () => {
  it('shows who, which device, when and each field sebelum → sesudah, newest first', async () => {
    const { container } = render(RiwayatPerubahan, { muat: () => Promise.resolve(riwayatContoh()) })
    await waitFor(() => expect(container.querySelectorAll('li.perubahan')).toHaveLength(3))
    const [baru, tolak, awal] = [...container.querySelectorAll<HTMLElement>('li.perubahan')]
    expect(baru!.querySelector('time')?.textContent).toBe(lokal('2026-11-30T03:45:00Z'))
    expect(baru!.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-30T03:45:00Z')
    expect(baru!.textContent).toContain('198911222014032005')
    expect(baru!.textContent).toContain('perangkat: PC Verifikator')
    const sel = [...baru!.querySelectorAll('tbody tr > *')].map((c) => c.textContent?.trim())
    expect(sel).toEqual(['Email pribadi', 'lama@contoh.go.id', '→ —'])
    expect(baru!.querySelector('tbody th')?.getAttribute('title')).toBe('data_utama.email')
    // Dates as dd-mm-yyyy; the hub's refusal marked; the omitted fields counted.
    expect(tolak!.dataset.sumber).toBe('hub_ditolak')
    expect(tolak!.textContent).toContain('Hub: perubahan ditolak')
    expect(tolak!.querySelector('.sebelum')?.textContent).toBe('16-03-1985')
    expect(tolak!.textContent).toContain('… dan 2 field lain.')
    // The import's every field is folded away behind a keyboard-reachable summary.
    const details = awal!.querySelector('details')!
    expect(details.open).toBe(false)
    expect(awal!.querySelector('summary')?.textContent).toBe('Data awal: 41 field')
    await fireEvent.click(awal!.querySelector('summary')!)
    expect(awal!.textContent).toContain('Hub (SI-ASN / impor)')
  })

  it('says when older changes are left out, when there are none, and shows an error', async () => {
    const potong = render(RiwayatPerubahan, { muat: () => Promise.resolve(riwayatContoh({ total: 250, terpotong: true })) })
    await waitFor(() => expect(potong.container.textContent).toContain('Menampilkan 3 perubahan terbaru dari 250.'))
    const kosong = render(RiwayatPerubahan, { muat: () => Promise.resolve(riwayatContoh({ total: 0, perubahan: [] })) })
    await waitFor(() => expect(kosong.container.textContent).toContain('Belum ada perubahan tercatat.'))
    const galat = render(RiwayatPerubahan, {
      muat: () => Promise.reject(new GalatIpc({ code: 'tidak_ditemukan', message: 'Usulan x tidak ada di perangkat ini.' })),
    })
    await waitFor(() => expect(galat.container.querySelector('[role=alert]')?.textContent).toBe('Usulan x tidak ada di perangkat ini.'))
  })
})
