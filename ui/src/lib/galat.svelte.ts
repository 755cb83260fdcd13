// The crash screen's state: the first fatal error wins (later ones are usually its consequences).

export const fatal = $state<{ pesan: string | null; rincian: string | null; kode: string | null }>({
  pesan: null,
  rincian: null,
  kode: null,
})

/** Shows the crash screen (`kode`: the backend's error code when it reported the problem). */
export function laporkanFatal(pesan: string, rincian?: string | null, kode?: string | null): void {
  if (fatal.pesan !== null) return
  fatal.pesan = pesan
  fatal.rincian = rincian ?? null
  fatal.kode = kode ?? null
}

/** Leaves the crash screen (only for problems the officer can fix in Pengaturan). */
export function tutupFatal(): void {
  fatal.pesan = null
  fatal.rincian = null
  fatal.kode = null
}

/**
 * "Muat ulang" on the crash screen: reloads the window. The backend reports a recorded panic once (`galat_mulai`
 * takes it), so the reloaded app starts normally; problems found at start keep being reported.
 */
export function muatUlangAplikasi(): void {
  location.reload()
}

/** Browser noise that is not a crash (ResizeObserver loop notices, cancelled script loads of extensions). */
export function abaikan(pesan: string): boolean {
  return /ResizeObserver loop/i.test(pesan)
}

/** Installs window `error` / `unhandledrejection` handlers that show the crash screen. */
export function pasangPenangkap(): void {
  window.addEventListener('error', (e: ErrorEvent) => {
    const pesan = e.message || String(e.error ?? '')
    if (!pesan || abaikan(pesan)) return
    laporkanFatal(pesan, e.error instanceof Error ? (e.error.stack ?? null) : null)
  })
  window.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
    const r: unknown = e.reason
    const pesan = r instanceof Error ? r.message : typeof r === 'string' ? r : JSON.stringify(r)
    if (!pesan || abaikan(pesan)) return
    laporkanFatal(pesan, r instanceof Error ? (r.stack ?? null) : null)
  })
}
