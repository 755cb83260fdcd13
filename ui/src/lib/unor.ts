// The unor tree as the options of a "unit organisasi (dan di bawahnya)" select: depth-first, siblings by name,
// each label indented by its depth (non-breaking spaces, which a <select> keeps). Used by the Verifikasi lapangan
// and Pengingat filters.

export type PilihanUnor = { id: string; label: string }

/** `simpul` (each with its parent id; a parent not in the list makes a root) → options in tree order, at most 21
 *  levels deep. Units in a parent cycle (dirty data) have no root and are left out. */
export function susunUnor(simpul: readonly { id: string; nama: string; induk_id: string | null }[]): PilihanUnor[] {
  const ada = new Set(simpul.map((s) => s.id))
  const anak = new Map<string | null, (typeof simpul)[number][]>()
  for (const s of simpul) {
    const induk = s.induk_id && ada.has(s.induk_id) ? s.induk_id : null
    anak.set(induk, [...(anak.get(induk) ?? []), s])
  }
  const hasil: PilihanUnor[] = []
  const kunjungi = (induk: string | null, dalam: number) => {
    for (const s of (anak.get(induk) ?? []).slice().sort((a, b) => a.nama.localeCompare(b.nama, 'id'))) {
      hasil.push({ id: s.id, label: `${'\u00a0\u00a0\u00a0'.repeat(dalam)}${s.nama}` })
      if (dalam < 20) kunjungi(s.id, dalam + 1)
    }
  }
  kunjungi(null, 0)
  return hasil
}
