import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { changedAtFromSnapshot, isStale, STALE_AFTER_MS } from '../../client/src/ticker/staleness.ts'

describe('isStale', () => {
  it('is stale only after 30 seconds without an update', () => {
    assert.equal(STALE_AFTER_MS, 30_000)
    assert.equal(isStale(1000, 1000 + 30_000), false)
    assert.equal(isStale(1000, 1000 + 30_001), true)
  })
})

describe('changedAtFromSnapshot', () => {
  it('counts the newest quote as just changed and the others by their age, whatever the server clock says', () => {
    const serverClockAhead = 5_000_000
    const changedAt = changedAtFromSnapshot([
      { symbol: 'A', ts: serverClockAhead + 100_000 },
      { symbol: 'B', ts: serverClockAhead + 60_000 },
      { symbol: 'C', ts: serverClockAhead + 99_000 }
    ], 1_000_000)
    assert.deepEqual(Object.fromEntries(changedAt), { A: 1_000_000, B: 960_000, C: 999_000 })
    assert.equal(isStale(changedAt.get('B')!, 1_000_000), true, 'B has not moved for 40 s')
    assert.equal(isStale(changedAt.get('C')!, 1_000_000), false)
  })
})
