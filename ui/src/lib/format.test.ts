import { describe, expect, it } from 'vitest'
import { golongan, keIso, relatif, ribuan, tanggal, tanggalWaktu } from './format'

describe('tanggal', () => {
  it('shows dd-mm-yyyy', () => {
    expect(tanggal('2026-11-30')).toBe('30-11-2026')
    expect(tanggal('2026-01-05T10:00:00Z')).toBe('05-01-2026')
  })
  it('shows a dash when empty', () => {
    expect(tanggal(null)).toBe('–')
    expect(tanggal(undefined)).toBe('–')
    expect(tanggal('')).toBe('–')
  })
})

describe('tanggalWaktu', () => {
  it('shows dd-mm-yyyy HH:MM in local time', () => {
    const d = new Date(2026, 10, 30, 9, 7)
    expect(tanggalWaktu(d.toISOString())).toBe('30-11-2026 09:07')
  })
  it('keeps unreadable text', () => {
    expect(tanggalWaktu('kemarin')).toBe('kemarin')
    expect(tanggalWaktu(null)).toBe('–')
  })
})

describe('ribuan', () => {
  it('groups with dots', () => {
    expect(ribuan(0)).toBe('0')
    expect(ribuan(999)).toBe('999')
    expect(ribuan(1000)).toBe('1.000')
    expect(ribuan(250000)).toBe('250.000')
    expect(ribuan(1234567)).toBe('1.234.567')
    expect(ribuan(-4500)).toBe('-4.500')
  })
  it('shows a dash for missing values', () => {
    expect(ribuan(null)).toBe('–')
    expect(ribuan(Number.NaN)).toBe('–')
  })
})

describe('relatif', () => {
  const kini = new Date('2026-11-30T12:00:00Z')
  it('counts minutes, hours and days', () => {
    expect(relatif('2026-11-30T11:59:30Z', kini)).toBe('baru saja')
    expect(relatif('2026-11-30T11:55:00Z', kini)).toBe('5 menit lalu')
    expect(relatif('2026-11-30T09:00:00Z', kini)).toBe('3 jam lalu')
    expect(relatif('2026-11-28T12:00:00Z', kini)).toBe('2 hari lalu')
  })
  it('says never when missing', () => {
    expect(relatif(null, kini)).toBe('belum pernah')
  })
})

describe('golongan', () => {
  it('labels PNS ids', () => {
    expect(golongan('11')).toBe('I/a')
    expect(golongan('34')).toBe('III/d')
    expect(golongan('45')).toBe('IV/e')
  })
  it('passes other labels through', () => {
    expect(golongan('III/a')).toBe('III/a')
    expect(golongan('IX')).toBe('IX')
    expect(golongan(null)).toBe('–')
  })
})

describe('keIso', () => {
  it('reads dd-mm-yyyy', () => {
    expect(keIso('01-10-2026')).toBe('2026-10-01')
    expect(keIso('1-2-2027')).toBe('2027-02-01')
  })
  it('refuses impossible dates', () => {
    expect(keIso('31-02-2026')).toBeNull()
    expect(keIso('2026-10-01')).toBeNull()
  })
})
