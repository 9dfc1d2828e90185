import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IntervalMs, type Candle, type Interval } from '../../../shared/ticker.ts'
import { createCandleStore } from '../../../server/ticker/candles.ts'
import { createSeededRandom } from '../../../server/ticker/seeded-random.ts'

const START = Date.UTC(2030, 0, 1, 9, 0, 0)

interface Trade { price: number, volume: number, ts: number }

/** Random trades at irregular times, some buckets busy, some empty. */
const randomTrades = (count: number): Trade[] => {
  const random = createSeededRandom('candles')
  const trades: Trade[] = []
  let ts = START + 1234
  let price = 100
  for (let i = 0; i < count; i++) {
    ts += Math.floor(random.next() * 3000)
    price = Math.round(price * (1 + (random.next() - 0.5) / 50) * 100) / 100
    trades.push({ price, volume: 1 + Math.floor(random.next() * 500), ts })
  }
  return trades
}

/** The candles the trades should make, computed the slow and obvious way. */
const expectedCandles = (trades: Trade[], interval: Interval): Candle[] => {
  const size = IntervalMs[interval]
  const buckets = new Map<number, Trade[]>()
  for (const trade of trades) {
    const t = Math.floor(trade.ts / size) * size
    buckets.set(t, [...(buckets.get(t) ?? []), trade])
  }
  return [...buckets].map(([t, inBucket]) => ({
    t,
    open: inBucket[0]!.price,
    high: Math.max(...inBucket.map((trade) => trade.price)),
    low: Math.min(...inBucket.map((trade) => trade.price)),
    close: inBucket.at(-1)!.price,
    volume: inBucket.reduce((sum, trade) => sum + trade.volume, 0)
  }))
}

describe('createCandleStore', () => {
  it('aggregates trades into 5s and 1m OHLCV candles, oldest first', () => {
    const store = createCandleStore()
    const trades = randomTrades(400)
    for (const trade of trades) store.record('AAA', trade.price, trade.volume, trade.ts)
    assert.deepEqual(store.recent('AAA', '5s'), expectedCandles(trades, '5s'))
    assert.deepEqual(store.recent('AAA', '1m'), expectedCandles(trades, '1m'))
  })

  it('starts each candle at floor(ts / size) * size', () => {
    const store = createCandleStore()
    store.record('AAA', 10, 1, START + 64_999)
    assert.deepEqual(store.recent('AAA', '5s').map((candle) => candle.t), [START + 60_000])
    assert.deepEqual(store.recent('AAA', '1m').map((candle) => candle.t), [START + 60_000])
  })

  it('keeps at most its capacity of candles per symbol and interval', () => {
    const store = createCandleStore({ capacity: { '5s': 3, '1m': 2 } })
    for (let i = 0; i < 50; i++) store.record('AAA', 10 + i, 1, START + i * 5000)
    assert.deepEqual(store.recent('AAA', '5s').map((candle) => candle.close), [57, 58, 59])
    assert.equal(store.size('AAA', '5s'), 3)
    assert.equal(store.size('AAA', '1m'), 2)
  })

  it('returns the latest limit candles, all when fewer are kept, none for unknown symbols', () => {
    const store = createCandleStore()
    for (let i = 0; i < 10; i++) store.record('AAA', 10 + i, 1, START + i * 5000)
    assert.deepEqual(store.recent('AAA', '5s', 2).map((candle) => candle.close), [18, 19])
    assert.equal(store.recent('AAA', '5s', 1000).length, 10)
    assert.deepEqual(store.recent('AAA', '5s', 0), [])
    assert.deepEqual(store.recent('ZZZ', '5s'), [])
    assert.equal(store.forming('ZZZ', '1m'), undefined)
  })

  it('replaces the forming candle instead of changing one already handed out', () => {
    const store = createCandleStore()
    store.record('AAA', 10, 5, START)
    const first = store.forming('AAA', '5s')
    store.record('AAA', 12, 7, START + 1000)
    assert.deepEqual(first, { t: START, open: 10, high: 10, low: 10, close: 10, volume: 5 })
    assert.deepEqual(store.forming('AAA', '5s'), { t: START, open: 10, high: 12, low: 10, close: 12, volume: 12 })
  })

  it('folds a trade stamped before the forming bucket into it', () => {
    const store = createCandleStore()
    store.record('AAA', 10, 1, START + 10_000)
    store.record('AAA', 9, 1, START + 2_000)
    assert.deepEqual(store.recent('AAA', '5s'), [{ t: START + 10_000, open: 10, high: 10, low: 9, close: 9, volume: 2 }])
  })

  it('records only the intervals it is given', () => {
    const store = createCandleStore()
    store.record('AAA', 10, 1, START, ['1m'])
    assert.equal(store.size('AAA', '5s'), 0)
    assert.equal(store.size('AAA', '1m'), 1)
  })

  it('keeps symbols apart', () => {
    const store = createCandleStore()
    store.record('AAA', 10, 1, START)
    store.record('BBB', 20, 2, START)
    assert.equal(store.forming('AAA', '1m')?.close, 10)
    assert.equal(store.forming('BBB', '1m')?.close, 20)
  })
})
