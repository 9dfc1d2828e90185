import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Quote } from '../../shared/ticker.ts'
import { filterTerms, matchesFilter, nextSort, sameRows, selectRows, type RowSelection } from '../../client/src/ticker/board-rows.ts'

const quote = (symbol: string, name: string, price: number, changePct: number, volume: number): Quote => ({
  symbol, name, sector: 'Software', price, open: price, high: price, low: price, change: changePct / 10, changePct, volume, ts: 0, seq: 0
})

const quotes = [
  quote('QLFX', 'Quillfox Software', 142.3, 1.5, 1000),
  quote('TMBQ', 'Timberquill Forest Products', 51.3, -2, 300),
  quote('BKMW', 'Brookmere Water', 44.8, 0.2, 300),
  quote('QSH.A', 'Quarrystone Holdings Class A', 512, 0.2, 10)
]

const select = (options: Partial<RowSelection>) =>
  selectRows({ quotes, query: '', watchOnly: false, watchlist: new Set(), sort: null, ...options })

describe('selectRows', () => {
  it('shows every symbol in listing order by default', () => {
    assert.deepEqual(select({}), ['QLFX', 'TMBQ', 'BKMW', 'QSH.A'])
  })

  it('filters on symbol, name and sector, case-insensitively, every word counting', () => {
    assert.deepEqual(select({ query: 'QUILL' }), ['QLFX', 'TMBQ'])
    assert.deepEqual(select({ query: 'qsh.' }), ['QSH.A'])
    assert.deepEqual(select({ query: 'quill forest' }), ['TMBQ'])
    assert.deepEqual(select({ query: '  ' }), ['QLFX', 'TMBQ', 'BKMW', 'QSH.A'])
    assert.deepEqual(select({ query: 'nothing like it' }), [])
  })

  it('shows only the watchlist when asked', () => {
    assert.deepEqual(select({ watchOnly: true, watchlist: new Set(['BKMW', 'QLFX']) }), ['QLFX', 'BKMW'])
    assert.deepEqual(select({ watchOnly: true, watchlist: new Set(['BKMW']), query: 'quill' }), [])
    assert.deepEqual(select({ watchOnly: false, watchlist: new Set(['BKMW']) }).length, 4)
  })

  it('sorts by text and by number, both ways, ties in listing order', () => {
    assert.deepEqual(select({ sort: { key: 'symbol', direction: 'ascending' } }), ['BKMW', 'QLFX', 'QSH.A', 'TMBQ'])
    assert.deepEqual(select({ sort: { key: 'name', direction: 'descending' } }), ['TMBQ', 'QLFX', 'QSH.A', 'BKMW'])
    assert.deepEqual(select({ sort: { key: 'changePct', direction: 'descending' } }), ['QLFX', 'BKMW', 'QSH.A', 'TMBQ'])
    assert.deepEqual(select({ sort: { key: 'volume', direction: 'ascending' } }), ['QSH.A', 'TMBQ', 'BKMW', 'QLFX'])
    assert.deepEqual(select({ sort: { key: 'price', direction: 'ascending' }, query: 'quill' }), ['TMBQ', 'QLFX'])
  })
})

describe('matchesFilter', () => {
  it('looks at the sector', () => {
    assert.equal(matchesFilter({ symbol: 'BKMW', name: 'Brookmere Water', sector: 'Utilities' }, filterTerms('util')), true)
    assert.equal(matchesFilter({ symbol: 'BKMW', name: 'Brookmere Water', sector: 'Utilities' }, filterTerms('tech')), false)
  })
})

describe('nextSort', () => {
  it('starts text ascending and numbers descending, then flips on the same column', () => {
    assert.deepEqual(nextSort(null, 'symbol'), { key: 'symbol', direction: 'ascending' })
    assert.deepEqual(nextSort(null, 'changePct'), { key: 'changePct', direction: 'descending' })
    assert.deepEqual(nextSort({ key: 'changePct', direction: 'descending' }, 'changePct'), { key: 'changePct', direction: 'ascending' })
    assert.deepEqual(nextSort({ key: 'changePct', direction: 'ascending' }, 'name'), { key: 'name', direction: 'ascending' })
  })
})

describe('sameRows', () => {
  it('compares orders element by element', () => {
    assert.equal(sameRows(['A', 'B'], ['A', 'B']), true)
    assert.equal(sameRows(['A', 'B'], ['B', 'A']), false)
    assert.equal(sameRows(['A'], ['A', 'B']), false)
  })
})
