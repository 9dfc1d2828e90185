import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeMarketState, decodeModelState, decodeStep, encodeMarketState, encodeModelState, encodeStep } from '../../../server/cluster/market-wire.ts'
import { createMarket } from '../../../server/ticker/market.ts'

/** A market with every kind of number in it: an hour of candles, a few live steps. */
const busyMarket = () => {
  const clock = { now: Date.UTC(2030, 0, 1, 23, 59, 0) }
  const market = createMarket({ seed: 'wire', tickHz: 4, now: () => clock.now })
  const ticks = Array.from({ length: 300 }, () => {
    clock.now += market.tickMs
    return market.tick()
  })
  return { market, ticks, clock }
}

/** What the wire leaves out: names and sectors (every node has the listings). */
const unnamed = <T extends { name: string, sector: string }>(quote: T) => ({ ...quote, name: '', sector: '' })

describe('market wire', () => {
  const { market, ticks } = busyMarket()

  it('carries a step exactly, without the listings\' names', () => {
    const tick = ticks.at(-1)!
    const step = { lineage: 'L', epoch: 3, n: 42, ts: tick.ts, changes: tick.quotes.map((quote, i) => ({ quote, traded: tick.traded[i]! })) }
    assert.deepEqual(decodeStep(encodeStep(step)), { ...step, changes: step.changes.map(({ quote, traded }) => ({ quote: unnamed(quote), traded })) })
  })

  it('carries the whole market exactly, across midnight, random streams and candles included', () => {
    const state = market.state()
    const decoded = decodeMarketState(encodeMarketState(state))
    assert.deepEqual(decoded.candles.counts, state.candles.counts)
    assert.deepEqual([...decoded.candles.values], [...state.candles.values])
    assert.deepEqual(decoded.model.symbols.map((symbol) => ({ ...symbol, quote: unnamed(symbol.quote) })),
      state.model.symbols.map((symbol) => ({ ...symbol, quote: unnamed(symbol.quote) })))
    assert.deepEqual({ ...decoded, model: decoded.model.day, candles: null }, { ...state, model: state.model.day, candles: null })
    const model = decodeModelState(encodeModelState(market.modelState()))
    assert.deepEqual(model.model.symbols.map((symbol) => symbol.random), state.model.symbols.map((symbol) => symbol.random))
  })

  it('gives a market that continues the original\'s series', () => {
    const original = busyMarket()
    const copy = createMarket({ seed: 'another', tickHz: 4, now: () => original.clock.now, state: decodeMarketState(encodeMarketState(original.market.state())) })
    for (let i = 0; i < 20; i++) {
      original.clock.now += 250
      const expected = original.market.tick()
      assert.deepEqual(copy.tick(), expected, `step ${i}`)
    }
  })
})
