import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { candleBar, chartTime, rangePosition, volumeBar, withAlpha, withLivePrice } from '../../client/src/ticker/chart-data.ts'

const candle = { t: 1_700_000_005_000, open: 10, high: 12, low: 9, close: 11, volume: 500 }

describe('chart data', () => {
  it('turns candle milliseconds into chart seconds', () => {
    assert.equal(chartTime(1_700_000_005_999), 1_700_000_005)
    assert.deepEqual(candleBar(candle), { time: 1_700_000_005, open: 10, high: 12, low: 9, close: 11 })
  })

  it('colours volume like its candle', () => {
    assert.equal(volumeBar(candle, 'green', 'red').color, 'green')
    assert.equal(volumeBar({ ...candle, close: 9.5 }, 'green', 'red').color, 'red')
    assert.equal(volumeBar({ ...candle, close: 10 }, 'green', 'red').color, 'green', 'unchanged counts as up')
  })
})

describe('withAlpha', () => {
  it('adds an alpha to hex and rgb colours', () => {
    assert.equal(withAlpha('#1e9e5a', 0.35), 'rgba(30, 158, 90, 0.35)')
    assert.equal(withAlpha(' #fff ', 0.5), 'rgba(255, 255, 255, 0.5)')
    assert.equal(withAlpha('rgb(1, 2, 3)', 0.1), 'rgba(1, 2, 3, 0.1)')
  })

  it('leaves other colours alone', () => {
    assert.equal(withAlpha('rgba(1, 2, 3, 0.4)', 0.1), 'rgba(1, 2, 3, 0.4)')
    assert.equal(withAlpha('teal', 0.1), 'teal')
  })
})

describe('rangePosition', () => {
  it('places the price between the day low and high', () => {
    assert.equal(rangePosition(10, 20, 15), 0.5)
    assert.equal(rangePosition(10, 20, 20), 1)
    assert.equal(rangePosition(10, 20, 25), 1, 'clamped')
    assert.equal(rangePosition(10, 10, 10), 0.5, 'a day without range sits in the middle')
  })
})

describe('withLivePrice', () => {
  const candle = (t: number, close: number) => ({ t, open: 10, high: Math.max(10, close), low: Math.min(10, close), close, volume: 5 })
  const candles = [candle(0, 10), candle(60_000, 11)]

  it('closes the quote\'s bucket at its price, widening its range', () => {
    assert.deepEqual(withLivePrice(candles, { price: 12.5, ts: 90_000 }, 60_000).at(-1), { t: 60_000, open: 10, high: 12.5, low: 10, close: 12.5, volume: 5 })
    assert.deepEqual(withLivePrice(candles, { price: 9, ts: 119_999 }, 60_000).at(-1), { t: 60_000, open: 10, high: 11, low: 9, close: 9, volume: 5 })
  })

  it('starts a candle for a new bucket, and ignores a quote older than the last candle', () => {
    const next = withLivePrice(candles, { price: 11.2, ts: 125_000 }, 60_000)
    assert.equal(next.length, 3)
    assert.deepEqual(next.at(-1), { t: 120_000, open: 11.2, high: 11.2, low: 11.2, close: 11.2, volume: 0 })
    assert.equal(withLivePrice(candles, { price: 99, ts: 30_000 }, 60_000), candles)
    assert.equal(withLivePrice(candles, { price: 11, ts: 61_000 }, 60_000), candles, 'the same close: the same list')
  })
})
