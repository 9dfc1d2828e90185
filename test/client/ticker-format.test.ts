import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMarketFormats, trendOf } from '../../client/src/ticker/format.ts'

describe('createMarketFormats', () => {
  const fmt = createMarketFormats('en-US')

  it('shows prices in cents with grouping', () => {
    assert.equal(fmt.price(142.3), '142.30')
    assert.equal(fmt.price(1234.5), '1,234.50')
    assert.equal(fmt.price(0.01), '0.01')
  })

  it('signs changes and percentages, and leaves zero unsigned', () => {
    assert.equal(fmt.change(1.25), '+1.25')
    assert.equal(fmt.change(-0.4), '-0.40')
    assert.equal(fmt.change(0), '0.00')
    assert.equal(fmt.changePct(1.5), '+1.50%')
    assert.equal(fmt.changePct(-12.34), '-12.34%')
    assert.equal(fmt.changePct(0), '0.00%')
  })

  it('keeps the digits of a threshold and shows distances unsigned', () => {
    assert.equal(fmt.exactPrice(143.725), '143.725')
    assert.equal(fmt.exactPrice(10), '10.00')
    assert.equal(fmt.distancePct(-0.84), '0.8%')
  })

  it('shortens volume on the board and groups it in full', () => {
    assert.equal(fmt.compactVolume(12_400), '12.4K')
    assert.equal(fmt.compactVolume(3_100_000), '3.1M')
    assert.equal(fmt.volume(706_127), '706,127')
  })

  it('labels a chart scale in signed percent, a volume scale compact', () => {
    assert.equal(fmt.scalePercent(1.5), '+1.5%')
    assert.equal(fmt.scalePercent(-0.25), '-0.25%')
    assert.equal(fmt.scalePercent(0), '0.0%')
    assert.equal(fmt.scalePercent(-0.001), '0.0%', 'no minus on a rounded zero')
    assert.equal(fmt.compactVolume(1_200_000), '1.2M')
    assert.equal(fmt.compactVolume(950), '950')
  })

  it('shows seconds only for 5 s candles', () => {
    const ms = new Date(2025, 0, 2, 14, 5, 9).getTime()
    assert.equal(fmt.candleTime(ms, '5s'), '2:05:09 PM')
    assert.equal(fmt.candleTime(ms, '1m'), '2:05 PM')
  })
})

describe('trendOf', () => {
  it('tells gains, losses and flat apart', () => {
    assert.equal(trendOf(0.01), 'up')
    assert.equal(trendOf(-3), 'down')
    assert.equal(trendOf(0), 'flat')
  })
})
