// What the Pengingat screen was showing (tab, horizon, state, unit), kept across a visit to a Profil and back.
import { masukanPengingatAwal, type MasukanPengingat } from './pengingat'

export const pengingatKini = $state<{ masukan: MasukanPengingat }>({ masukan: masukanPengingatAwal() })

/** Back to the starting filters (for tests and sign-out). */
export function aturUlangPengingatKini(): void {
  pengingatKini.masukan = masukanPengingatAwal()
}
