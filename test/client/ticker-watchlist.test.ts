import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createWatchlist, MAX_WATCHLIST, parseWatchlist, serializeWatchlist, toggleSymbol, watchlistKey } from '../../client/src/ticker/watchlist.ts'

/** An in-memory Storage, optionally one that refuses writes (a full quota). */
const memoryStorage = (refuseWrites = false) => {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (refuseWrites) throw new Error('QuotaExceededError')
      items.set(key, value)
    }
  }
}

describe('parseWatchlist', () => {
  it('reads what serializeWatchlist wrote', () => {
    const data = { symbols: ['QLFX', 'QSH.A'], only: true }
    assert.deepEqual(parseWatchlist(serializeWatchlist(data)), data)
  })

  it('forgives missing, broken and odd values', () => {
    assert.deepEqual(parseWatchlist(null), { symbols: [], only: false })
    assert.deepEqual(parseWatchlist('{not json'), { symbols: [], only: false })
    assert.deepEqual(parseWatchlist('42'), { symbols: [], only: false })
    assert.deepEqual(parseWatchlist('["QLFX","QLFX","bad",7,"TOOLONGSYMBOL"]'), { symbols: ['QLFX'], only: false }, 'a bare array of an older format')
    assert.deepEqual(parseWatchlist('{"symbols":"QLFX","only":"yes"}'), { symbols: [], only: false })
  })

  it('caps the list', () => {
    const many = Array.from({ length: MAX_WATCHLIST + 5 }, (_, i) => `S${i}`)
    assert.equal(parseWatchlist(JSON.stringify(many)).symbols.length, MAX_WATCHLIST)
  })
})

describe('toggleSymbol', () => {
  it('adds a missing symbol and removes a present one', () => {
    assert.deepEqual(toggleSymbol(['A'], 'B'), ['A', 'B'])
    assert.deepEqual(toggleSymbol(['A', 'B'], 'A'), ['B'])
  })
})

describe('createWatchlist', () => {
  it('persists per user and reads it back', () => {
    const storage = memoryStorage()
    const list = createWatchlist(storage)
    list.use(watchlistKey('u1'))
    list.toggle('QLFX')
    list.setOnly(true)
    assert.deepEqual([...list.starred.value], ['QLFX'])

    const again = createWatchlist(storage)
    again.use(watchlistKey('u1'))
    assert.deepEqual(again.data.value, { symbols: ['QLFX'], only: true })
    again.use(watchlistKey('u2'))
    assert.deepEqual(again.data.value, { symbols: [], only: false }, 'another user starts empty')
  })

  it('keeps working for the page when storage refuses writes or is missing', () => {
    for (const storage of [memoryStorage(true), null]) {
      const list = createWatchlist(storage)
      list.use(watchlistKey('u1'))
      list.toggle('BKMW')
      assert.equal(list.starred.value.has('BKMW'), true)
    }
  })

  it('re-reads storage changed by another tab', () => {
    const storage = memoryStorage()
    const list = createWatchlist(storage)
    list.use(watchlistKey('u1'))
    storage.items.set(watchlistKey('u1'), serializeWatchlist({ symbols: ['GRDL'], only: false }))
    list.reload()
    assert.deepEqual([...list.starred.value], ['GRDL'])
  })
})
