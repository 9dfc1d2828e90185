import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { closeLine, ema, sma } from '../../client/src/ticker/indicators.ts'
import type { Candle } from '../../shared/ticker.ts'

const candles = (closes: number[]): Candle[] =>
  closes.map((close, i) => ({ t: i * 60_000, open: close, high: close, low: close, close, volume: 1 }))

describe('sma', () => {
  it('averages the last `period` closes, one point per candle from the period-th on', () => {
    assert.deepEqual(sma(candles([1, 2, 3, 4, 5]), 3), [{ t: 120_000, value: 2 }, { t: 180_000, value: 3 }, { t: 240_000, value: 4 }])
    assert.deepEqual(sma(candles([1, 2]), 3), [])
    assert.deepEqual(sma(candles([7]), 1), [{ t: 0, value: 7 }])
  })
})

describe('ema', () => {
  it('starts at the SMA of the first period, then smooths by 2 / (period + 1)', () => {
    const points = ema(candles([2, 4, 6, 8, 10]), 3)
    assert.deepEqual(points.map((p) => p.t), [120_000, 180_000, 240_000])
    assert.equal(points[0]!.value, 4)
    assert.equal(points[1]!.value, 8 * 0.5 + 4 * 0.5)
    assert.equal(points[2]!.value, 10 * 0.5 + 6 * 0.5)
    assert.deepEqual(ema(candles([1, 2]), 3), [])
  })

  it('follows a constant series exactly', () => {
    assert.ok(ema(candles(Array(30).fill(5)), 10).every((p) => Math.abs(p.value - 5) < 1e-12))
  })
})

describe('closeLine', () => {
  it('is the closes from the first candle at or after `from`', () => {
    assert.deepEqual(closeLine(candles([50, 100, 110]), 60_000), [{ t: 60_000, value: 100 }, { t: 120_000, value: 110 }])
    assert.deepEqual(closeLine(candles([1, 2])), [{ t: 0, value: 1 }, { t: 60_000, value: 2 }])
    assert.deepEqual(closeLine(candles([1, 2]), 10 * 60_000), [])
  })
})

describe('createChartPrefs', () => {
  it('keeps each symbol\'s interval, zoom, average and comparison in storage, defaults for the rest', async () => {
    const { createChartPrefs, DEFAULT_CHART_PREFS } = await import('../../client/src/ticker/chart-prefs.ts')
    const saved = new Map<string, string>()
    const storage = { getItem: (key: string) => saved.get(key) ?? null, setItem: (key: string, value: string) => { saved.set(key, value) } }
    const prefs = createChartPrefs(storage)
    prefs.update('QLFX', { interval: '1h', span: 80 })
    prefs.update('QLFX', { average: { kind: 'ema', period: 20 }, compare: 'NBLM' })
    const again = createChartPrefs(storage)
    assert.deepEqual(again.of('QLFX'), { interval: '1h', span: 80, average: { kind: 'ema', period: 20 }, compare: 'NBLM' })
    assert.deepEqual(again.of('NBLM'), DEFAULT_CHART_PREFS)
    saved.set('hubbub:chart-prefs', JSON.stringify({ QLFX: { interval: '2d', span: null, average: null, compare: null } }))
    assert.deepEqual(createChartPrefs(storage).of('QLFX'), DEFAULT_CHART_PREFS)
  })
})
