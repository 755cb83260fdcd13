import { beforeEach, describe, expect, it } from 'vitest'
import { fatal, pasangPenangkap } from './galat.svelte'

pasangPenangkap()

beforeEach(() => {
  fatal.pesan = null
  fatal.rincian = null
  fatal.kode = null
})

describe('crash capture', () => {
  it('records an uncaught error', () => {
    window.dispatchEvent(new ErrorEvent('error', { message: 'x is undefined', error: new Error('x is undefined') }))
    expect(fatal.pesan).toBe('x is undefined')
  })
  it('ignores ResizeObserver loop notices', () => {
    window.dispatchEvent(new ErrorEvent('error', { message: 'ResizeObserver loop completed with undelivered notifications.' }))
    expect(fatal.pesan).toBeNull()
  })
  it('keeps the first error', () => {
    window.dispatchEvent(new ErrorEvent('error', { message: 'pertama' }))
    window.dispatchEvent(new ErrorEvent('error', { message: 'kedua' }))
    expect(fatal.pesan).toBe('pertama')
  })
})
