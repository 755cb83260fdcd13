// What the Verifikasi lapangan list was showing (its filters as typed), kept across visits to a detail and back.
import { masukanKunjunganKosong, type MasukanKunjungan } from './verifikasi'

export const kunjunganKini = $state<{ masukan: MasukanKunjungan }>({ masukan: masukanKunjunganKosong() })

/** Back to the starting filters (for tests and sign-out). */
export function aturUlangKunjunganKini(): void {
  kunjunganKini.masukan = masukanKunjunganKosong()
}
