import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Quote } from '../../../shared/ticker.ts'
import type { ListingSpec } from '../../../server/ticker/listings.ts'
import { MIN_PRICE, createPriceModel, type PriceModelOptions } from '../../../server/ticker/price-model.ts'

const START = Date.UTC(2030, 0, 1, 9, 0, 0)
const TICK_MS = 250

const listing = (symbol: string, price: number, volatility: number, drift = 0.05): ListingSpec =>
  ({ symbol, name: `${symbol} Corp`, sector: 'Test', price, drift, volatility })

const board = [listing('AAA', 100, 0.3), listing('BBB', 5.5, 0.8), listing('CCC', 900, 0.15)]

/** Prices of every step, one row per step, one column per listing. */
const series = (options: Partial<PriceModelOptions>, steps: number) => {
  const model = createPriceModel({ seed: 's', listings: board, start: START, ...options })
  const rows: number[][] = []
  for (let i = 1; i <= steps; i++) {
    model.step(START + i * TICK_MS, TICK_MS)
    rows.push(model.quotes().map((quote) => quote.price))
  }
  return rows
}

describe('createPriceModel', () => {
  it('opens every symbol at its listing price with seq 0', () => {
    const model = createPriceModel({ seed: 's', listings: board, start: START })
    assert.deepEqual(model.quote('BBB'), {
      symbol: 'BBB', name: 'BBB Corp', sector: 'Test', price: 5.5, open: 5.5, high: 5.5, low: 5.5, change: 0, changePct: 0, volume: 0, ts: START, seq: 0
    })
    assert.equal(model.quote('ZZZ'), undefined)
  })

  it('replays the same series for the same seed', () => {
    assert.deepEqual(series({ seed: 7 }, 2000), series({ seed: 7 }, 2000))
  })

  it('gives a different series for a different seed', () => {
    assert.notDeepEqual(series({ seed: 7 }, 200), series({ seed: 8 }, 200))
  })

  it("keeps a symbol's series when other listings are added", () => {
    const alone = createPriceModel({ seed: 's', listings: [board[0]!], start: START })
    const together = createPriceModel({ seed: 's', listings: board, start: START })
    for (let i = 1; i <= 500; i++) {
      alone.step(START + i * TICK_MS, TICK_MS)
      together.step(START + i * TICK_MS, TICK_MS)
    }
    assert.deepEqual(together.quote('AAA'), alone.quote('AAA'))
  })

  it('keeps prices positive, in cents and below 1e9 over 100k ticks of extreme volatility', () => {
    const wild = [listing('WILD', 1, 4, -1), listing('PENNY', 0.02, 2.5), listing('HUGE', 5e8, 3, 5)]
    const model = createPriceModel({ seed: 'wild', listings: wild, start: START })
    let lowest = Infinity
    let highest = 0
    const offCent: Quote[] = []
    for (let i = 1; i <= 100_000; i++) {
      for (const { quote } of model.step(START + i * TICK_MS, TICK_MS)) {
        if (quote.price < lowest) lowest = quote.price
        if (quote.price > highest) highest = quote.price
        if (Math.round(quote.price * 100) / 100 !== quote.price) offCent.push(quote)
      }
    }
    assert.ok(lowest >= MIN_PRICE, `lowest price ${lowest}, expected at least ${MIN_PRICE}`)
    assert.ok(highest < 1e9, `highest price ${highest}, expected below 1e9`)
    assert.deepEqual(offCent.slice(0, 3), [], 'prices are whole cents')
  })

  it('moves a typical symbol a few basis points per 250 ms tick', () => {
    const model = createPriceModel({ seed: 'typical', listings: [listing('TYP', 100, 0.3)], start: START })
    let previous = 100
    let total = 0
    let trades = 0
    for (let i = 1; i <= 20_000; i++) {
      for (const { quote } of model.step(START + i * TICK_MS, TICK_MS)) {
        total += Math.abs(Math.log(quote.price / previous))
        previous = quote.price
        trades++
      }
    }
    const meanBp = (total / trades) * 10_000
    assert.ok(meanBp > 1 && meanBp < 10, `mean move ${meanBp.toFixed(2)} bp, expected 1-10 bp`)
  })

  it('returns only the symbols that changed, each with seq up by exactly one', () => {
    const many = Array.from({ length: 20 }, (_, i) => listing(`S${i}`, 50, 0.3))
    const model = createPriceModel({ seed: 'subset', listings: many, start: START })
    let sawSubset = false
    for (let i = 1; i <= 500; i++) {
      const before = new Map(model.quotes().map((quote) => [quote.symbol, quote]))
      const changes = model.step(START + i * TICK_MS, TICK_MS)
      const changed = new Set(changes.map((change) => change.quote.symbol))
      if (changed.size > 0 && changed.size < many.length) sawSubset = true
      for (const after of model.quotes()) {
        const previous = before.get(after.symbol)!
        if (changed.has(after.symbol)) {
          assert.equal(after.seq, previous.seq + 1, `${after.symbol} seq after a change`)
          assert.equal(after.ts, START + i * TICK_MS)
        } else {
          assert.equal(after, previous, `${after.symbol} did not change, so its quote is the same object`)
        }
      }
    }
    assert.ok(sawSubset, 'some ticks change some symbols but not all')
  })

  it("keeps the day's open, high, low, change and volume consistent with the trades", () => {
    const model = createPriceModel({ seed: 'day', listings: board, start: START })
    const traded = new Map<string, number>()
    let high = 0
    let low = Infinity
    for (let i = 1; i <= 5000; i++) {
      for (const change of model.step(START + i * TICK_MS, TICK_MS)) {
        const { quote } = change
        traded.set(quote.symbol, (traded.get(quote.symbol) ?? 0) + change.traded)
        assert.ok(change.traded >= 1 && Number.isInteger(change.traded), `traded ${change.traded}`)
        if (quote.symbol === 'AAA') {
          high = Math.max(high, quote.price)
          low = Math.min(low, quote.price)
        }
      }
    }
    const aaa = model.quote('AAA')!
    assert.deepEqual(
      { open: aaa.open, high: aaa.high, low: aaa.low, change: aaa.change, changePct: aaa.changePct, volume: aaa.volume },
      {
        open: 100,
        high: Math.max(high, 100),
        low: Math.min(low, 100),
        change: Math.round((aaa.price - 100) * 100) / 100,
        changePct: Math.round(((Math.round((aaa.price - 100) * 100) / 100) / 100) * 10_000) / 100,
        volume: traded.get('AAA')
      }
    )
  })

  it('opens a new day at UTC midnight at the last price, with one seq step per symbol', () => {
    const beforeMidnight = Date.UTC(2030, 0, 1, 23, 59, 59)
    const model = createPriceModel({ seed: 'midnight', listings: board, start: beforeMidnight - 10_000 })
    for (let ts = beforeMidnight - 9_750; ts <= beforeMidnight; ts += TICK_MS) model.step(ts, TICK_MS)
    const evening = model.quotes()
    const midnight = Date.UTC(2030, 0, 2)
    const changes = model.step(midnight, TICK_MS)
    assert.deepEqual(changes.map((change) => change.quote.symbol), ['AAA', 'BBB', 'CCC'], 'every symbol changes at the open')
    for (const { quote, traded } of changes) {
      const last = evening.find((q) => q.symbol === quote.symbol)!
      assert.deepEqual(
        { open: quote.open, volume: quote.volume, seq: quote.seq, ts: quote.ts },
        { open: last.price, volume: traded, seq: last.seq + 1, ts: midnight }
      )
      assert.ok(quote.low <= quote.price && quote.price <= quote.high)
    }
  })
})
