import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { CandleUpdateSchema, IntervalMs, Intervals, QuoteSchema, SYMBOL_PATTERN } from '../../../shared/ticker.ts'
import { listings } from '../../../server/ticker/listings.ts'
import { createMarket, type MarketOptions } from '../../../server/ticker/market.ts'

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0)

/** A market on a hand-driven clock: each tick() call moves the clock by one tick first. */
const marketAt = (options: Partial<MarketOptions> = {}) => {
  const clock = { now: options.now?.() ?? NOW }
  const market = createMarket({ seed: 'test', tickHz: 4, ...options, now: () => clock.now })
  const tick = () => {
    clock.now += market.tickMs
    return market.tick()
  }
  return { market, clock, tick }
}

const prices = (options: Partial<MarketOptions>, ticks: number) => {
  const { market, tick } = marketAt(options)
  const rows = [market.snapshot().map((quote) => quote.price)]
  for (let i = 0; i < ticks; i++) {
    tick()
    rows.push(market.snapshot().map((quote) => quote.price))
  }
  return rows
}

describe('listings', () => {
  it('lists at least 60 companies with valid, unique symbols across about 10 sectors', () => {
    const symbols = listings.map((listing) => listing.symbol)
    assert.ok(listings.length >= 60, `${listings.length} listings, expected at least 60`)
    assert.equal(new Set(symbols).size, symbols.length, 'symbols are unique')
    assert.deepEqual(symbols.filter((symbol) => symbol.length > 10 || !new RegExp(SYMBOL_PATTERN).test(symbol)), [])
    assert.ok(new Set(listings.map((listing) => listing.sector)).size >= 8, 'listings span many sectors')
    assert.deepEqual(listings.filter((l) => !(l.price > 0 && l.volatility > 0 && Number.isFinite(l.drift))).map((l) => l.symbol), [])
  })
})

describe('createMarket', () => {
  it('replays the same series for the same seed and tick count, whatever the clock says', () => {
    assert.deepEqual(prices({ seed: 1 }, 300), prices({ seed: 1, now: () => NOW + 123_456_789 }, 300))
  })

  it('gives a different series for a different seed', () => {
    assert.notDeepEqual(prices({ seed: 1 }, 20), prices({ seed: 2 }, 20))
  })

  it('returns from tick() only the quotes that changed, each one seq ahead', () => {
    const { market, tick } = marketAt()
    for (let i = 0; i < 40; i++) {
      const before = new Map(market.snapshot().map((quote) => [quote.symbol, quote]))
      const { quotes, ts } = tick()
      assert.ok(quotes.length > 0 && quotes.length < before.size, `${quotes.length} of ${before.size} changed`)
      for (const quote of quotes) {
        assert.equal(quote.seq, before.get(quote.symbol)!.seq + 1, `${quote.symbol} seq`)
        assert.equal(quote.ts, ts)
      }
      const changed = new Set(quotes.map((quote) => quote.symbol))
      const untouched = market.snapshot().filter((quote) => !changed.has(quote.symbol))
      assert.deepEqual(untouched, untouched.map((quote) => before.get(quote.symbol)))
    }
  })

  it('reports the forming candle of every interval of every symbol that traded', () => {
    const { tick } = marketAt()
    const { quotes, candles, ts } = tick()
    assert.equal(candles.length, quotes.length * Intervals.length)
    for (const quote of quotes) {
      for (const interval of Intervals) {
        const update = candles.find((c) => c.symbol === quote.symbol && c.interval === interval)
        assert.ok(update, `a ${interval} candle for ${quote.symbol}`)
        assert.equal(update.candle.close, quote.price)
        assert.equal(update.candle.t, Math.floor(ts / IntervalMs[interval]) * IntervalMs[interval])
      }
    }
  })

  it('emits quotes and candle updates that match the protocol schemas', () => {
    const { market, tick } = marketAt()
    const quote = Compile(QuoteSchema)
    const update = Compile(CandleUpdateSchema)
    assert.deepEqual(market.snapshot().filter((q) => !quote.Check(q)), [])
    for (let i = 0; i < 20; i++) {
      const result = tick()
      assert.deepEqual(result.quotes.filter((q) => !quote.Check(q)), [])
      assert.deepEqual(result.candles.filter((c) => !update.Check(c)), [])
    }
  })

  it('snapshots known symbols once each, in the order asked, leaving unknown ones out', () => {
    const { market } = marketAt()
    assert.deepEqual(market.snapshot(['NBLM', 'NOPE', 'QLFX', 'NBLM']).map((quote) => quote.symbol), ['NBLM', 'QLFX'])
    assert.deepEqual(market.snapshot([]), [])
    assert.deepEqual(market.snapshot(['NOPE']), [])
    assert.equal(market.snapshot().length, listings.length)
    assert.equal(market.quote('NOPE'), undefined)
    assert.equal(market.has('NOPE'), false)
    assert.equal(market.has('QLFX'), true)
    assert.deepEqual(market.candles('NOPE', '1m'), [])
  })

  it('backfills about an hour of 1m candles and a quarter hour of 5s candles ending now', () => {
    const { market } = marketAt({ pastMs: 0 })
    const minutes = market.candles('QLFX', '1m', 1000)
    const fiveSeconds = market.candles('QLFX', '5s', 1000)
    assert.ok(minutes.length >= 59 && minutes.length <= 61, `${minutes.length} 1m candles`)
    assert.ok(fiveSeconds.length >= 170 && fiveSeconds.length <= 181, `${fiveSeconds.length} 5s candles`)
    for (const candles of [minutes, fiveSeconds]) {
      assert.ok(candles.every((candle, i) => i === 0 || candle.t > candles[i - 1]!.t), 'oldest first')
      assert.ok(candles.at(-1)!.t <= NOW)
      assert.ok(candles.every((c) => c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close)))
    }
    assert.equal(market.candles('QLFX', '5s', 10).length, 10)
    assert.deepEqual(market.candles('QLFX', '5s', 10), fiveSeconds.slice(-10))
    assert.equal(market.quote('QLFX')!.ts, NOW)
  })

  it('starts at the listing prices with no history when backfill is off', () => {
    const { market } = marketAt({ backfillMs: 0 })
    assert.deepEqual(market.quote('QLFX'), {
      symbol: 'QLFX', name: 'Quillfox Software', sector: 'Technology', price: 142.3, open: 142.3, high: 142.3, low: 142.3, change: 0, changePct: 0, volume: 0, ts: NOW, seq: 0
    })
    assert.deepEqual(market.candles('QLFX', '1m'), [])
  })

  it('fills every coarse series with a synthesized past before the backfill: days of 1h candles on a fresh market', () => {
    const { market } = marketAt()
    const DAY = 24 * IntervalMs['1h']
    // How far back each reaches (at most 1000 candles).
    const expected = { '1m': 1000 * IntervalMs['1m'], '5m': DAY, '15m': 9 * DAY, '1h': 9 * DAY } as const
    for (const [interval, reach] of Object.entries(expected) as [keyof typeof expected, number][]) {
      const candles = market.candles('QLFX', interval, 1000)
      const size = IntervalMs[interval]
      assert.ok(NOW - candles[0]!.t >= reach - size, `${interval}: ${candles.length} candles reach back ${(NOW - candles[0]!.t) / size} buckets`)
      assert.ok(candles.length <= 1000)
      // Continuous: one candle per bucket up to now, no gap where the synthesized past meets the backfill.
      const gaps = candles.filter((candle, i) => i > 0 && candle.t !== candles[i - 1]!.t + size).map((candle) => candle.t)
      assert.deepEqual(gaps, [], `${interval}: buckets without a candle`)
      assert.equal(candles.at(-1)!.t, Math.floor(NOW / size) * size, `${interval}: the last candle is the forming one`)
      const jumps = candles.filter((candle, i) => i > 0 && Math.abs(candle.open / candles[i - 1]!.close - 1) > 0.02)
      assert.deepEqual(jumps, [], `${interval}: a candle opens where the one before closed`)
      assert.ok(candles.every((c) => c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close) && c.volume > 0), `${interval}: valid candles`)
    }
    const hours = market.candles('QLFX', '1h', 1000)
    assert.deepEqual(market.candles('QLFX', '1h', 10), hours.slice(-10), 'a limit takes the latest')
    // The coarse series agree: an hour is its four quarter hours.
    const quarters = market.candles('QLFX', '15m', 1000)
    const hour = hours.at(-20)!
    const inHour = quarters.filter((q) => q.t >= hour.t && q.t < hour.t + IntervalMs['1h'])
    assert.equal(inHour.length, 4)
    assert.deepEqual(hour, {
      t: hour.t,
      open: inHour[0]!.open,
      high: Math.max(...inHour.map((q) => q.high)),
      low: Math.min(...inHour.map((q) => q.low)),
      close: inHour[3]!.close,
      volume: inHour.reduce((sum, q) => sum + q.volume, 0)
    })
  })

  it('makes the same past for the same seed and creation time, a different one for another seed', () => {
    const hours = (seed: string) => marketAt({ seed }).market.candles('NBLM', '1h', 1000)
    assert.deepEqual(hours('same'), hours('same'))
    assert.notDeepEqual(hours('same'), hours('other'))
  })

  it('continues the coarse series live: a tick lands in the forming candle of each', () => {
    const { market, tick } = marketAt()
    const before = Object.fromEntries(Intervals.map((interval) => [interval, market.candles('QLFX', interval, 1000)]))
    let traded
    do traded = tick().candles.filter((c) => c.symbol === 'QLFX')
    while (traded.length === 0)
    for (const { interval, candle } of traded) {
      const after = market.candles('QLFX', interval, 1000)
      assert.deepEqual(after.at(-1), candle, `${interval}: the pushed candle is the last one kept`)
      const previous = before[interval]!.at(-1)!
      if (candle.t === previous.t) {
        assert.equal(candle.open, previous.open, `${interval}: the forming candle keeps its open`)
        assert.equal(candle.volume > previous.volume, true)
      }
    }
  })

  it('stamps each tick later than the one before, even when the clock steps back', () => {
    const { market, clock, tick } = marketAt()
    const first = tick()
    clock.now -= 60_000
    const second = market.tick()
    assert.equal(second.ts, first.ts + 1)
  })

  it('lists the companies without their model parameters', () => {
    const { market } = marketAt()
    assert.deepEqual(market.listings()[0], { symbol: 'QLFX', name: 'Quillfox Software', sector: 'Technology' })
  })

  it('runs custom listings and rejects invalid ones', () => {
    const custom = [{ symbol: 'ONE', name: 'One', sector: 'X', price: 10, drift: 0, volatility: 0.2 }]
    assert.deepEqual(marketAt({ listings: custom }).market.snapshot().map((quote) => quote.symbol), ['ONE'])
    assert.throws(() => marketAt({ listings: [...custom, ...custom] }), /duplicate symbol ONE/)
    assert.throws(() => marketAt({ listings: [{ ...custom[0]!, symbol: 'one' }] }), /invalid symbol/)
    assert.throws(() => marketAt({ listings: [{ ...custom[0]!, price: 0 }] }), /price/)
    assert.throws(() => marketAt({ tickHz: 0 }), /tickHz/)
  })
})

/** Everything a client can see of a market: quotes and every kept candle. */
const visible = (market: ReturnType<typeof createMarket>) => ({
  quotes: market.snapshot(),
  // Two symbols' candles with their synthesized past (it takes a while to make), the others' latest.
  candles: market.listings().map(({ symbol }, i) => Intervals.map((interval) => market.candles(symbol, interval, i < 2 ? 1000 : 1)))
})

describe('createMarket across processes', () => {
  it('continues from another market\'s state exactly as that market would have', () => {
    const { market: original, tick } = marketAt()
    for (let i = 0; i < 30; i++) tick()
    // A copy: nothing shared with the original.
    const state = structuredClone(original.state())
    const clock = { now: 0 }
    // The seed still makes the synthesized past (the nodes of a cluster share it: see marketFingerprint).
    const successor = createMarket({ seed: 'test', tickHz: 4, now: () => clock.now, state })
    assert.deepEqual(visible(successor), visible(original), 'the same market at once, without a backfill of its own')
    for (let i = 0; i < 30; i++) {
      const expected = tick()
      clock.now = expected.ts
      assert.deepEqual(successor.tick(), expected, `step ${i} after the handover`)
    }
    assert.deepEqual(visible(successor), visible(original))
  })

  it('mirrors another market step by step from its ticks, and takes over from its model state', () => {
    const { market: leader, clock, tick } = marketAt()
    const replica = createMarket({ seed: 'test', tickHz: 4, now: () => clock.now, state: structuredClone(leader.state()) })
    for (let i = 0; i < 30; i++) {
      const step = tick()
      const changes = step.quotes.map((quote, n) => ({ quote, traded: step.traded[n]! }))
      assert.deepEqual(replica.apply(step.ts, changes), step, 'the replica hands its listeners the same tick')
    }
    assert.deepEqual(visible(replica), visible(leader))
    replica.resume(structuredClone(leader.modelState()))
    clock.now += leader.tickMs
    const next = replica.tick()
    assert.deepEqual(next, leader.tick(), 'the replica steps on as the leader would have')
  })
})
