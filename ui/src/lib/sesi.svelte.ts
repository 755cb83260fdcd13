// The signed-in officer, shared by the header, the router guard and Masuk.
import type { SesiView } from '../ipc'

export const sesiKini = $state<{ view: SesiView | null; dimuat: boolean }>({ view: null, dimuat: false })

export function setelSesi(view: SesiView | null): void {
  sesiKini.view = view
  sesiKini.dimuat = true
}
