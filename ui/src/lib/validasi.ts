// Client-side checks of the kontak form. They mirror app/src/pegawai.rs (`check_no_hp`, `check_email`) rule for
// rule and message for message, so the officer sees the same sentence whether the UI or the backend refuses; the
// backend checks again and has the last word.

const TEPI = /^\p{White_Space}+|\p{White_Space}+$/gu

/** Rust's `str::trim` (Unicode White_Space at both ends; JS `trim` also strips U+FEFF, Rust does not). */
function potong(v: string): string {
  return v.replace(TEPI, '')
}

/** The raw value as `AppError::masukan` shows it: at most 80 characters (Unicode scalar values). */
function tampil(v: string): string {
  return Array.from(v).slice(0, 80).join('')
}

/** `AppError::masukan`'s sentence: `{field} "{value}" tidak sah: {expected}.` */
function pesanMasukan(medan: string, mentah: string, harapan: string): string {
  return `${medan} "${tampil(mentah)}" tidak sah: ${harapan}.`
}

/**
 * The phone number as the backend stores it (spaces, dashes, dots and brackets removed), null when empty, or
 * `{ galat }` when it is not a mobile number: digits only after an optional leading `+`, starting with `08`
 * (without `+`) or `628`, 10–15 digits.
 */
export function normalNoHp(mentah: string): { nilai: string | null; galat: null } | { nilai: null; galat: string } {
  const teks = potong(mentah)
  if (teks === '') return { nilai: null, galat: null }
  const bersih = Array.from(teks)
    .filter((c) => !(c === ' ' || c === '-' || c === '.' || c === '(' || c === ')'))
    .join('')
  const plus = bersih.startsWith('+')
  const digit = plus ? bersih.slice(1) : bersih
  const sah =
    /^[0-9]*$/.test(digit) &&
    digit.length >= 10 &&
    digit.length <= 15 &&
    ((!plus && digit.startsWith('08')) || digit.startsWith('628'))
  if (!sah) {
    return { nilai: null, galat: pesanMasukan('Nomor HP', mentah, 'tulis angka saja, diawali 08 atau +628, 10–15 digit') }
  }
  return { nilai: bersih, galat: null }
}

/** A message saying what is wrong with the phone number (the backend's sentence), or null when it is right or empty. */
export function periksaNoHp(nilai: string): string | null {
  return normalNoHp(nilai).galat
}

const CONTROL = /\p{Cc}/u
const SPASI = /\p{White_Space}/u

/** A message saying what is wrong with the e-mail address (the backend's sentence), or null when right or empty. */
export function periksaEmail(nilai: string): string | null {
  const teks = potong(nilai)
  if (teks === '') return null
  const bita = new TextEncoder().encode(teks).length
  const at = teks.indexOf('@')
  let sah = bita <= 254 && !SPASI.test(teks) && !CONTROL.test(teks) && at >= 0
  if (sah) {
    const lokal = teks.slice(0, at)
    const domain = teks.slice(at + 1)
    sah =
      lokal !== '' &&
      !domain.includes('@') &&
      domain.includes('.') &&
      !domain.startsWith('.') &&
      !domain.startsWith('-') &&
      !domain.endsWith('.') &&
      !domain.endsWith('-') &&
      !domain.includes('..')
  }
  return sah ? null : pesanMasukan('Email', nilai, 'tulis alamat seperti nama@contoh.go.id')
}

/** Which kontak field a backend `masukan_tidak_sah` message is about (its message starts with the field's name). */
export function medanGalat(pesan: string): 'no_hp' | 'email' | null {
  if (pesan.startsWith('Nomor HP')) return 'no_hp'
  if (pesan.startsWith('Email')) return 'email'
  return null
}
