import { describe, expect, it } from 'vitest'
import { KetukanTertunda, PenjagaUrutan } from './urutan'

describe('PenjagaUrutan', () => {
  it('keeps only the newest request', () => {
    const p = new PenjagaUrutan()
    const a = p.mulai()
    const b = p.mulai()
    expect(p.terbaru(a)).toBe(false)
    expect(p.terbaru(b)).toBe(true)
  })
})

describe('KetukanTertunda', () => {
  it('releases keystrokes up to the rendered request', () => {
    const k = new KetukanTertunda()
    k.catat(1, 10)
    k.catat(2, 20)
    k.catat(3, 30)
    expect(k.ambilSampai(2)).toEqual([10, 20])
    expect(k.ambilSampai(2)).toEqual([])
    expect(k.ambilSampai(3)).toEqual([30])
  })
})
