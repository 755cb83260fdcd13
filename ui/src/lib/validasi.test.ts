import { describe, expect, it } from 'vitest'
import { medanGalat, normalNoHp, periksaEmail, periksaNoHp } from './validasi'

// The cases of app/src/pegawai.rs `phone_numbers_and_emails_are_checked_and_errors_name_field_and_value`, plus the
// edges of the rule (`check_no_hp`: separators ` -.()` removed, optional leading `+`, `08` without `+` or `628`,
// 10–15 digits), so a change on one side shows up here.
describe('periksaNoHp mirrors the backend rule', () => {
  it('accepts and normalises what the backend accepts', () => {
    expect(normalNoHp(' 0812-3456-7890 ')).toEqual({ nilai: '081234567890', galat: null })
    expect(normalNoHp('+62 812 3456 7890')).toEqual({ nilai: '+6281234567890', galat: null })
    expect(normalNoHp('')).toEqual({ nilai: null, galat: null })
    expect(normalNoHp('   ')).toEqual({ nilai: null, galat: null })
    expect(normalNoHp('(0812) 3456.7890')).toEqual({ nilai: '081234567890', galat: null })
    expect(normalNoHp('6281234567890')).toEqual({ nilai: '6281234567890', galat: null })
    expect(normalNoHp('0812345678')).toEqual({ nilai: '0812345678', galat: null }) // 10 digits
    expect(normalNoHp('081234567890123')).toEqual({ nilai: '081234567890123', galat: null }) // 15 digits
    expect(normalNoHp('+628123456789012')).toEqual({ nilai: '+628123456789012', galat: null }) // 15 digits after +
  })

  it('refuses what the backend refuses, naming the field and the raw value', () => {
    for (const buruk of ['12345', '0812abc4567', '+0812345678901', '021-555-1234', '08123456789012345']) {
      expect(periksaNoHp(buruk)).toBe(
        `Nomor HP "${buruk}" tidak sah: tulis angka saja, diawali 08 atau +628, 10–15 digit.`,
      )
    }
    for (const buruk of [
      '081234567', // 9 digits
      '0812345678901234', // 16 digits
      '++6281234567890',
      '+62+81234567890',
      '0812_3456_7890',
      '０８１２３４５６７８９０', // full-width digits are not ASCII digits
      '62 0812 3456 789', // 62 then 0: not 628
    ]) {
      expect(periksaNoHp(buruk), buruk).toMatch(/^Nomor HP ".*" tidak sah: /)
    }
  })

  it('shows the raw value untrimmed and cut at 80 characters, like AppError::masukan', () => {
    expect(periksaNoHp(' 0812 ')).toBe('Nomor HP " 0812 " tidak sah: tulis angka saja, diawali 08 atau +628, 10–15 digit.')
    expect(periksaNoHp('x'.repeat(100))).toContain(`"${'x'.repeat(80)}"`)
  })
})

describe('periksaEmail mirrors the backend rule', () => {
  it('accepts plain addresses', () => {
    expect(periksaEmail(' a.b@bkd.go.id ')).toBeNull()
    expect(periksaEmail('budi@bkd.go.id')).toBeNull()
    expect(periksaEmail('  ')).toBeNull()
  })
  it('refuses what the backend refuses', () => {
    for (const buruk of ['tanpa-at', 'a@b', 'a@@b.id', 'a b@c.id', '@c.id', 'a@.c.id', 'a@c.id.', 'a@c..id', 'a@-c.id', 'a@c.id-']) {
      expect(periksaEmail(buruk), buruk).toBe(`Email "${buruk}" tidak sah: tulis alamat seperti nama@contoh.go.id.`)
    }
    expect(periksaEmail(`${'a'.repeat(250)}@b.id`)).toMatch(/^Email /)
  })
})

describe('medanGalat', () => {
  it('places a backend message by its prefix', () => {
    expect(medanGalat('Nomor HP "x" tidak sah: …')).toBe('no_hp')
    expect(medanGalat('Email "nomor@x" tidak sah: …')).toBe('email')
    expect(medanGalat('Data pegawai ini rusak di perangkat; …')).toBeNull()
  })
})
