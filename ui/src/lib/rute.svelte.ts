// Hash routing: #/masuk, #/beranda, #/pegawai[?filter], #/pegawai/<nip>[?dok=<rowid>], #/sinkronisasi, #/pengaturan,
// #/usulan, #/usulan/baru, #/usulan/<id>, #/verifikasi, #/verifikasi/<id> (an usulan opened from the inbox), #/konflik,
// #/verifikasi-lapangan, #/verifikasi-lapangan/baru[?nip=<nip>], #/verifikasi-lapangan/<id>, #/pengingat.

export type Layar =
  | 'masuk'
  | 'beranda'
  | 'pegawai'
  | 'profil'
  | 'sinkronisasi'
  | 'pengaturan'
  | 'usulan'
  | 'usulan-baru'
  | 'usulan-detail'
  | 'verifikasi'
  | 'verifikasi-detail'
  | 'konflik'
  | 'verifikasi-lapangan'
  | 'verifikasi-lapangan-baru'
  | 'verifikasi-lapangan-detail'
  | 'pengingat'
/** `dok`: the document's row id when a Profil link names one (two documents may share a NIP); `id`: the usulan's
 *  document id on `usulan-detail` and `verifikasi-detail`, the visit's on `verifikasi-lapangan-detail`. */
export type Rute = { layar: Layar; nip?: string; dok?: number | null; id?: string; param: URLSearchParams }

/** `decodeURIComponent` that never throws: a malformed `%` sequence is kept as typed. */
export function uraiAman(teks: string): string {
  try {
    return decodeURIComponent(teks)
  } catch {
    return teks
  }
}

/** A row id from the route (`?dok=`), or null when absent or not a positive integer. */
export function bacaDok(param: URLSearchParams): number | null {
  const t = param.get('dok')
  if (t === null || !/^\d{1,15}$/.test(t)) return null
  const n = Number(t)
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

/** Reads a location hash; anything unknown is Beranda. Never throws, whatever was typed in the address. */
export function bacaRute(hash: string): Rute {
  const isi = hash.replace(/^#\/?/, '')
  const tanya = isi.indexOf('?')
  const jalur = tanya < 0 ? isi : isi.slice(0, tanya)
  const kueri = tanya < 0 ? '' : isi.slice(tanya + 1)
  const bagian = jalur.split('/').filter(Boolean)
  let param: URLSearchParams
  try {
    param = new URLSearchParams(kueri)
  } catch {
    param = new URLSearchParams()
  }
  switch (bagian[0]) {
    case 'masuk':
      return { layar: 'masuk', param }
    case 'pegawai':
      return bagian[1]
        ? { layar: 'profil', nip: uraiAman(bagian[1]), dok: bacaDok(param), param }
        : { layar: 'pegawai', param }
    case 'sinkronisasi':
      return { layar: 'sinkronisasi', param }
    case 'konflik':
      return { layar: 'konflik', param }
    case 'pengingat':
      return { layar: 'pengingat', param }
    case 'pengaturan':
      return { layar: 'pengaturan', param }
    case 'usulan':
      if (bagian[1] === 'baru' && bagian.length === 2) return { layar: 'usulan-baru', param }
      return bagian[1] ? { layar: 'usulan-detail', id: uraiAman(bagian[1]), param } : { layar: 'usulan', param }
    case 'verifikasi':
      return bagian[1] ? { layar: 'verifikasi-detail', id: uraiAman(bagian[1]), param } : { layar: 'verifikasi', param }
    case 'verifikasi-lapangan':
      if (bagian[1] === 'baru' && bagian.length === 2) return { layar: 'verifikasi-lapangan-baru', param }
      return bagian[1]
        ? { layar: 'verifikasi-lapangan-detail', id: uraiAman(bagian[1]), param }
        : { layar: 'verifikasi-lapangan', param }
    default:
      return { layar: 'beranda', param }
  }
}

/** The Profil address of a pegawai; with `dok`, that very document (needed when two documents share the NIP). */
export function tautanProfil(nip: string, dok?: number | null): string {
  const dasar = `#/pegawai/${encodeURIComponent(nip)}`
  return dok === null || dok === undefined ? dasar : `${dasar}?dok=${dok}`
}

export const rute = $state({ sekarang: bacaRute(typeof location === 'undefined' ? '' : location.hash) })

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    rute.sekarang = bacaRute(location.hash)
  })
}

/** Goes to a hash such as `#/pegawai/1985...`. */
export function pergi(hash: string): void {
  if (location.hash === hash) {
    rute.sekarang = bacaRute(hash)
  } else {
    location.hash = hash
  }
}
