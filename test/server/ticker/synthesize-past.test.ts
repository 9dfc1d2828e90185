import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IntervalMs } from '../../../shared/ticker.ts'
import { listings } from '../../../server/ticker/listings.ts'
import { aggregateCandles, synthesizeHistory, synthesizePast } from '../../../server/ticker/synthesize-past.ts'

const END = Date.UTC(2030, 0, 1, 12, 0, 30)
const listing = listings[0]!
const HOUR = IntervalMs['1h']

describe('synthesizePast', () => {
  it('walks back from the listing price: the last bar closes at it, each bar opens where the one before closed', () => {
    const bars = synthesizePast({ seed: 's', listing, end: END, durationMs: 3 * HOUR })
    assert.equal(bars.length, 180)
    assert.equal(bars.at(-1)!.close, listing.price)
    assert.equal(bars.at(-1)!.t, Math.floor(END / 60_000) * 60_000 - 60_000, 'the minute holding the end is left to the live model')
    assert.deepEqual(bars.filter((bar, i) => i > 0 && (bar.open !== bars[i - 1]!.close || bar.t !== bars[i - 1]!.t + 60_000)), [])
    assert.ok(bars.every((b) => b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close) && b.volume >= 1))
  })

  it('is the same for the same seed, and a longer past only adds older bars', () => {
    const short = synthesizePast({ seed: 's', listing, end: END, durationMs: HOUR })
    const long = synthesizePast({ seed: 's', listing, end: END, durationMs: 5 * HOUR })
    assert.deepEqual(long.slice(-short.length), short)
    assert.notDeepEqual(synthesizePast({ seed: 't', listing, end: END, durationMs: HOUR }), short)
  })
})

describe('synthesizeHistory', () => {
  it('joins 15 m bars to 1 m bars on a whole hour, without a gap or a jump', () => {
    const { coarse, fine } = synthesizeHistory({ seed: 's', listing, end: END, durationMs: 10 * 24 * HOUR })
    assert.equal(fine[0]!.t % HOUR, 0)
    assert.equal(coarse.at(-1)!.t + IntervalMs['15m'], fine[0]!.t)
    assert.equal(coarse.at(-1)!.close, fine[0]!.open)
    const hours = aggregateCandles([...coarse, ...fine], '1h')
    assert.deepEqual(hours.filter((h, i) => i > 0 && h.t !== hours[i - 1]!.t + HOUR), [])
    assert.ok(hours.length >= 239, `${hours.length} hours`)
  })
})
