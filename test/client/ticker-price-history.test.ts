import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPriceHistory } from '../../client/src/ticker/price-history.ts'

describe('createPriceHistory', () => {
  it('keeps the last price of each step and says when a new sample starts', () => {
    const history = createPriceHistory({ windowMs: 60_000, stepMs: 1000 })
    assert.equal(history.record('A', 10, 1000), true, 'the first price is a new sample')
    assert.equal(history.record('A', 11, 1500), false, 'same step: replaces the sample')
    assert.equal(history.record('A', 12, 2000), true, 'next step: a new sample')
    assert.deepEqual(history.values('A'), [11, 12])
  })

  it('seeds the past before live samples, which win where both cover a step', () => {
    const history = createPriceHistory({ windowMs: 60_000, stepMs: 1000 })
    history.record('A', 50, 20_000)
    history.seed('A', 5000, 5000, [10, 11, 12, 13, 14])
    assert.deepEqual(history.values('A'), [10, 11, 12, 50], 'the seed point at 20 s is already covered live')
    history.record('A', 51, 21_000)
    assert.deepEqual(history.values('A'), [10, 11, 12, 50, 51])
  })

  it('keeps only the window when seeding a long past', () => {
    const history = createPriceHistory({ windowMs: 10_000, stepMs: 1000 })
    history.seed('B', 0, 1000, Array.from({ length: 30 }, (_, i) => i))
    assert.deepEqual(history.values('B'), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29])
  })

  it('ignores prices older than the latest sample', () => {
    const history = createPriceHistory({ windowMs: 60_000, stepMs: 1000 })
    history.record('A', 10, 5000)
    assert.equal(history.record('A', 9, 3000), false)
    assert.deepEqual(history.values('A'), [10])
  })

  it('stays within its window however long it runs', () => {
    const history = createPriceHistory({ windowMs: 10_000, stepMs: 1000 })
    for (let t = 0; t < 100_000; t += 250) history.record('A', t, t)
    const values = history.values('A')
    assert.equal(values.length, 10, `ten samples of one second, saw ${values.length}`)
    assert.equal(values[values.length - 1], 99_750)
  })

  it('drops samples that fell out of the window during a gap', () => {
    const history = createPriceHistory({ windowMs: 10_000, stepMs: 1000 })
    history.record('A', 1, 0)
    history.record('A', 2, 1000)
    history.record('A', 3, 60_000)
    assert.deepEqual(history.values('A'), [3])
  })

  it('reads the window ending now, and keeps symbols apart', () => {
    const history = createPriceHistory({ windowMs: 10_000, stepMs: 1000 })
    history.record('A', 1, 0)
    history.record('A', 2, 5000)
    history.record('B', 7, 5000)
    assert.deepEqual(history.values('A', 12_000), [2], 'the sample at 0 s is older than 10 s at 12 s')
    assert.deepEqual(history.values('B'), [7])
    assert.deepEqual(history.values('C'), [])
  })
})
