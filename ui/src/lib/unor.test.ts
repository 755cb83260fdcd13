import { describe, expect, it } from 'vitest'
import { susunUnor } from './unor'

describe('susunUnor', () => {
  it('orders the tree depth first, siblings by name, indented; an unknown parent makes a root; a cycle is left out', () => {
    const hasil = susunUnor([
      { id: 'KES', nama: 'Dinas Kesehatan', induk_id: 'ROOT' },
      { id: 'ROOT', nama: 'Pemerintah Kabupaten Contoh', induk_id: null },
      { id: 'PKM', nama: 'Puskesmas Sukamaju', induk_id: 'KES' },
      { id: 'DIK', nama: 'Dinas Pendidikan', induk_id: 'ROOT' },
      { id: 'YATIM', nama: 'UPT Lama', induk_id: 'HILANG' },
    ])
    expect(hasil.map((u) => u.id)).toEqual(['ROOT', 'KES', 'PKM', 'DIK', 'YATIM'])
    expect(hasil.find((u) => u.id === 'PKM')?.label).toBe('\u00a0'.repeat(6) + 'Puskesmas Sukamaju')
    expect(susunUnor([{ id: 'A', nama: 'A', induk_id: 'B' }, { id: 'B', nama: 'B', induk_id: 'A' }])).toEqual([])
  })
})
