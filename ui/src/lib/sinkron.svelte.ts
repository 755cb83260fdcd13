// Sync status shared by the header badge, Beranda and Sinkronisasi: follows `SinkronBerubah` events and re-queries
// every 30 s as a fallback.
import { dengarSinkron, normalisasiGalat, sinkronStatus, type SinkronStatus } from '../ipc'

export const sinkron = $state<{ status: SinkronStatus | null; galat: string | null; sekarang: Date }>({
  status: null,
  galat: null,
  sekarang: new Date(),
})

export async function segarkanSinkron(): Promise<void> {
  try {
    sinkron.status = await sinkronStatus()
    sinkron.galat = null
  } catch (e) {
    sinkron.galat = normalisasiGalat(e).message
  }
}

export function setelSinkron(s: SinkronStatus): void {
  sinkron.status = s
  sinkron.galat = null
}

let berhenti: (() => void) | null = null

/** Starts following the sync status (idempotent); returns the stop function. */
export function ikutiSinkron(): () => void {
  if (berhenti) return berhenti
  let lepas: (() => void) | null = null
  let aktif = true
  void dengarSinkron((s) => setelSinkron(s)).then((f) => {
    if (aktif) lepas = f
    else f()
  })
  void segarkanSinkron()
  const tanya = setInterval(() => void segarkanSinkron(), 30_000)
  const jam = setInterval(() => (sinkron.sekarang = new Date()), 20_000)
  berhenti = () => {
    aktif = false
    lepas?.()
    clearInterval(tanya)
    clearInterval(jam)
    berhenti = null
  }
  return berhenti
}

/** "Daring" / "Luring" / "Belum diketahui". */
export function labelKoneksi(s: SinkronStatus | null): string {
  if (!s || s.daring === null || s.daring === undefined) return 'Belum diketahui'
  return s.daring ? 'Daring' : 'Luring'
}
