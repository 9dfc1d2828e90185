import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MarketTick } from '../../../server/ticker/market.ts'
import { createPriceFeed, type PriceFeedOptions } from '../../../server/ticker/price-feed.ts'

/** Timers driven by hand: fire() runs every live interval once. */
const fakeTimers = () => {
  let nextHandle = 1
  const live = new Map<number, { callback: () => void, ms: number }>()
  const cleared: number[] = []
  return {
    live,
    cleared,
    setInterval: (callback: () => void, ms: number) => {
      live.set(nextHandle, { callback, ms })
      return nextHandle++
    },
    clearInterval: (handle: number) => {
      cleared.push(handle)
      live.delete(handle)
    },
    fire: () => { for (const { callback } of [...live.values()]) callback() }
  }
}

const fakeMarket = () => {
  let ticks = 0
  return {
    get ticks () { return ticks },
    tick: (): MarketTick => ({ ts: ++ticks, quotes: [], candles: [], traded: [] })
  }
}

const feedWith = (overrides: Partial<PriceFeedOptions<number>> = {}) => {
  const timers = fakeTimers()
  const market = fakeMarket()
  const seen: number[] = []
  const feed = createPriceFeed({
    market,
    tickHz: 4,
    onTick: (tick) => { seen.push(tick.ts) },
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
    ...overrides
  })
  return { feed, timers, market, seen }
}

describe('createPriceFeed', () => {
  it('ticks the market every 1000 / tickHz ms once started, and hands each tick to onTick', () => {
    const { feed, timers, seen } = feedWith()
    timers.fire()
    assert.deepEqual(seen, [], 'no tick before start')
    feed.start()
    assert.deepEqual([...timers.live.values()].map((timer) => timer.ms), [250])
    timers.fire()
    timers.fire()
    assert.deepEqual(seen, [1, 2])
    assert.equal(feed.running, true)
  })

  it('stops its one timer, and start and stop are idempotent', () => {
    const { feed, timers, market } = feedWith()
    feed.stop()
    assert.deepEqual(timers.cleared, [], 'stop before start clears nothing')
    feed.start()
    feed.start()
    assert.equal(timers.live.size, 1)
    feed.stop()
    feed.stop()
    assert.deepEqual(timers.cleared, [1])
    timers.fire()
    assert.equal(market.ticks, 0)
    assert.equal(feed.running, false)
  })

  it('starts again after a stop', () => {
    const { feed, timers, seen } = feedWith()
    feed.start()
    feed.stop()
    feed.start()
    timers.fire()
    assert.deepEqual(seen, [1])
    assert.deepEqual([...timers.live.keys()], [2])
  })

  it('passes onTick errors to onError and keeps ticking', () => {
    const errors: unknown[] = []
    const { feed, timers, market } = feedWith({
      onTick: () => { throw new Error('push failed') },
      onError: (error) => { errors.push(error) }
    })
    feed.start()
    timers.fire()
    timers.fire()
    assert.deepEqual(errors.map((error) => (error as Error).message), ['push failed', 'push failed'])
    assert.equal(market.ticks, 2)
  })

  it('lets onTick errors propagate without onError', () => {
    const { feed, timers } = feedWith({ onTick: () => { throw new Error('push failed') } })
    feed.start()
    assert.throws(() => timers.fire(), /push failed/)
  })

  it('uses the global timers by default and releases them on stop', () => {
    const feed = createPriceFeed({ market: fakeMarket(), tickHz: 4, onTick: () => {} })
    feed.start()
    assert.equal(feed.running, true)
    // Were the interval left behind, this test file would never exit.
    feed.stop()
    assert.equal(feed.running, false)
  })

  it('rejects a tick rate that is not positive', () => {
    assert.throws(() => feedWith({ tickHz: 0 }), /tickHz/)
  })
})
