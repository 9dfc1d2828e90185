import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import type { TSchema } from 'typebox'
import {
  AlertSchema,
  CandleSchema,
  IntervalMs,
  Intervals,
  QuoteSchema,
  tickerCommands,
  tickerPushes,
  tickerRoutes,
  type Quote
} from '../../shared/ticker.ts'

/** Asserts each value against the schema, naming the value that went the wrong way. */
const expectCheck = (schema: TSchema, expected: boolean, values: unknown[]) => {
  const validator = Compile(schema)
  for (const value of values) {
    assert.equal(validator.Check(value), expected, `expected ${JSON.stringify(value)} to be ${expected ? 'accepted' : 'rejected'}`)
  }
}

const quote: Quote = {
  symbol: 'QLFX',
  name: 'Quillfox Software',
  sector: 'Software',
  price: 142.31,
  open: 142.3,
  high: 142.5,
  low: 141.9,
  change: 0.01,
  changePct: 0.01,
  volume: 1200,
  ts: 1_700_000_000_000,
  seq: 7
}

describe('QuoteSchema', () => {
  it('accepts a quote with every field', () => {
    expectCheck(QuoteSchema, true, [quote, { ...quote, change: -3.5, changePct: -2.4, seq: 0, volume: 0 }])
  })

  it('rejects missing fields, non-positive prices and bad symbols', () => {
    const { seq: _seq, ...withoutSeq } = quote
    expectCheck(QuoteSchema, false, [
      withoutSeq,
      { ...quote, price: 0 },
      { ...quote, low: -1 },
      { ...quote, volume: 1.5 },
      { ...quote, symbol: 'qlfx' },
      { ...quote, seq: -1 }
    ])
  })
})

describe('CandleSchema', () => {
  it('accepts a candle and rejects one without a close', () => {
    const candle = { t: 1_700_000_000_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }
    expectCheck(CandleSchema, true, [candle])
    const { close: _close, ...withoutClose } = candle
    expectCheck(CandleSchema, false, [withoutClose, { ...candle, t: -5 }])
  })
})

describe('IntervalMs', () => {
  it('has a bucket size for exactly the 5s, 1m, 5m, 15m and 1h intervals', () => {
    assert.deepEqual(Intervals, ['5s', '1m', '5m', '15m', '1h'])
    assert.deepEqual(IntervalMs, { '5s': 5000, '1m': 60000, '5m': 300000, '15m': 900000, '1h': 3600000 })
  })
})

describe('AlertSchema', () => {
  it('accepts an alert above or below a price', () => {
    const alert = { id: 'a1', symbol: 'QSH.A', direction: 'above', price: 500, createdAt: 1 }
    expectCheck(AlertSchema, true, [alert, { ...alert, direction: 'below' }])
    expectCheck(AlertSchema, false, [{ ...alert, direction: 'sideways' }, { ...alert, id: '' }])
  })
})

describe('tickerCommands', () => {
  const payload = (name: keyof typeof tickerCommands) => tickerCommands[name].payload

  it('names every command ticker:<verb>', () => {
    assert.deepEqual(Object.keys(tickerCommands), [
      'ticker:subscribe', 'ticker:unsubscribe', 'ticker:sparklines', 'ticker:candles',
      'ticker:alert-create', 'ticker:alert-list', 'ticker:alert-delete', 'ticker:alert-fired', 'ticker:alert-rearm',
      'ticker:watchlist-list', 'ticker:watchlist-create', 'ticker:watchlist-update', 'ticker:watchlist-delete', 'ticker:watchlist-move', 'ticker:watchlist-import'
    ])
  })

  it('subscribe and unsubscribe take 1-100 valid symbols or all: true', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `S${i}`)
    for (const name of ['ticker:subscribe', 'ticker:unsubscribe'] as const) {
      expectCheck(payload(name), true, [
        { symbols: ['QLFX'] },
        { symbols: ['QSH.B', 'A', 'ABCDEFGHIJ'] },
        { symbols: hundred },
        { all: true }
      ])
      expectCheck(payload(name), false, [
        {},
        { symbols: [] },
        { symbols: [...hundred, 'S100'] },
        { symbols: ['qlfx'] },
        { symbols: ['1ABC'] },
        { symbols: ['.ABC'] },
        { symbols: ['ABCDEFGHIJK'] },
        { symbols: ['AB CD'] },
        { symbols: 'QLFX' },
        { all: false },
        { symbols: ['QLFX'], all: true },
        { symbols: ['QLFX'], extra: 1 }
      ])
    }
  })

  it('candles take a symbol, an interval, a limit of 1-1000 and whether to watch the series', () => {
    expectCheck(payload('ticker:candles'), true, [
      { symbol: 'QLFX', interval: '5s' },
      { symbol: 'QLFX', interval: '1m', limit: 1 },
      { symbol: 'QLFX', interval: '1m', limit: 1000 },
      { symbol: 'QLFX', interval: '5m' },
      { symbol: 'QLFX', interval: '15m', watch: false },
      { symbol: 'QLFX', interval: '1h', watch: true }
    ])
    expectCheck(payload('ticker:candles'), false, [
      { symbol: 'QLFX' },
      { symbol: 'QLFX', interval: '1d' },
      { symbol: 'QLFX', interval: '1h', watch: 'no' },
      { symbol: 'QLFX', interval: '5s', limit: 0 },
      { symbol: 'QLFX', interval: '5s', limit: 1001 },
      { symbol: 'QLFX', interval: '5s', limit: 2.5 },
      { symbol: 'QLFX', interval: '5s', from: 0 }
    ])
  })

  it('alert-create takes a symbol, a direction and a positive price below 1e9', () => {
    expectCheck(payload('ticker:alert-create'), true, [
      { symbol: 'QLFX', direction: 'above', price: 150 },
      { symbol: 'QLFX', direction: 'below', price: 0.01 },
      { symbol: 'QLFX', direction: 'below', price: 999_999_999.99 }
    ])
    expectCheck(payload('ticker:alert-create'), false, [
      { symbol: 'QLFX', direction: 'above', price: 0 },
      { symbol: 'QLFX', direction: 'above', price: -5 },
      { symbol: 'QLFX', direction: 'above', price: 1e9 },
      { symbol: 'QLFX', direction: 'above', price: '150' },
      { symbol: 'QLFX', direction: 'up', price: 150 },
      { direction: 'above', price: 150 },
      { symbol: 'QLFX', direction: 'above', price: 150, userId: 'u1' }
    ])
  })

  it('alert-list takes an empty object and alert-delete an id', () => {
    expectCheck(payload('ticker:alert-list'), true, [{}])
    expectCheck(payload('ticker:alert-list'), false, [{ all: true }, null])
    expectCheck(payload('ticker:alert-delete'), true, [{ id: 'a1' }])
    expectCheck(payload('ticker:alert-delete'), false, [{}, { id: '' }, { id: 'a1', extra: true }])
  })

  it('subscribe answers with quotes and candles with candles', () => {
    expectCheck(tickerCommands['ticker:subscribe'].data, true, [{ quotes: [quote] }, { quotes: [] }])
    expectCheck(tickerCommands['ticker:candles'].data, true, [{ candles: [] }])
    expectCheck(tickerCommands['ticker:subscribe'].data, false, [{ quotes: [{ ...quote, price: -1 }] }])
  })
})

describe('tickerPushes', () => {
  it('quotes carry quotes and candle carries a symbol, an interval and a candle', () => {
    assert.deepEqual(Object.keys(tickerPushes), ['ticker:quotes', 'ticker:watchlists', 'ticker:alert', 'ticker:candle'])
    expectCheck(tickerPushes['ticker:quotes'].payload, true, [{ quotes: [quote] }])
    const candle = { t: 0, open: 1, high: 1, low: 1, close: 1, volume: 0 }
    expectCheck(tickerPushes['ticker:candle'].payload, true, [{ symbol: 'QLFX', interval: '5s', candle }])
    expectCheck(tickerPushes['ticker:candle'].payload, false, [{ symbol: 'QLFX', interval: '1d', candle }])
  })
})

describe('tickerRoutes', () => {
  it('serves the quote snapshot at GET /api/ticker/quotes without sign-in', () => {
    const { quotes } = tickerRoutes
    assert.deepEqual([quotes.method, quotes.url, quotes.auth], ['GET', '/api/ticker/quotes', 'none'])
    expectCheck(quotes.response[200], true, [{ quotes: [quote] }])
  })
})
