// Only ui/src/ipc/ may talk to the backend: no other module imports @tauri-apps/api or the generated bindings.
import { describe, expect, it } from 'vitest'

const SUMBER = import.meta.glob<string>(['../**/*.ts', '../**/*.svelte', '../**/*.js'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

const TERLARANG =
  /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]*(?:@tauri-apps\/api|bindings\.gen|bindings\.stub)[^'"]*)['"]/g

describe('the IPC boundary', () => {
  it('reads the sources', () => {
    expect(Object.keys(SUMBER)).toContain('../App.svelte')
    expect(Object.keys(SUMBER)).toContain('./index.ts')
  })

  it('keeps @tauri-apps/api and the bindings inside src/ipc', () => {
    const pelanggaran: string[] = []
    for (const [jalur, isi] of Object.entries(SUMBER)) {
      // Paths are relative to this folder: './x' is inside src/ipc, '../x' is outside.
      if (jalur.startsWith('./')) continue
      for (const m of isi.matchAll(TERLARANG)) pelanggaran.push(`${jalur}: ${m[1]}`)
    }
    expect(pelanggaran).toEqual([])
  })

  it('would catch a violation', () => {
    expect("import { invoke } from '@tauri-apps/api/core'".match(TERLARANG)).not.toBeNull()
    expect("import { commands } from '../ipc/bindings.gen'".match(TERLARANG)).not.toBeNull()
  })
})
