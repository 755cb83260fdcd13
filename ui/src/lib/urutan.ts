// Stale-response guard for search-as-you-type without debouncing: every request takes a number, and only the
// answer to the newest request is shown; older answers that arrive late are dropped.

export class PenjagaUrutan {
  private terakhir = 0
  /** A new request: returns its number. */
  mulai(): number {
    this.terakhir += 1
    return this.terakhir
  }
  /** The newest request's number (0 before any). */
  get nomor(): number {
    return this.terakhir
  }
  /** True when `nomor` is still the newest request. */
  terbaru(nomor: number): boolean {
    return nomor === this.terakhir
  }
}

/** Keystroke times waiting for their results to be on screen (for `performance.measure('cari', …)`). */
export class KetukanTertunda {
  private antre: { nomor: number; mulai: number }[] = []
  catat(nomor: number, mulai: number): void {
    this.antre.push({ nomor, mulai })
  }
  /** Takes every keystroke at or before request `nomor` (their results are superseded by or equal to it). */
  ambilSampai(nomor: number): number[] {
    const siap = this.antre.filter((k) => k.nomor <= nomor).map((k) => k.mulai)
    this.antre = this.antre.filter((k) => k.nomor > nomor)
    return siap
  }
}
