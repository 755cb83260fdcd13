// What the Usulan and Verifikasi lists were showing (their filters as typed), kept across visits to an usulan and
// back. The Verifikasi inbox starts at status "diajukan".
import { masukanKosong, type MasukanFilter } from './usulan'

export const usulanKini = $state<{ usulan: MasukanFilter; verifikasi: MasukanFilter }>({
  usulan: masukanKosong(),
  verifikasi: masukanKosong('diajukan'),
})

/** Back to the starting filters (for tests and sign-out). */
export function aturUlangUsulanKini(): void {
  usulanKini.usulan = masukanKosong()
  usulanKini.verifikasi = masukanKosong('diajukan')
}
