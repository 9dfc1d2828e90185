import assert from 'node:assert/strict'
import { Redis } from 'ioredis'
import type { Socket } from 'socket.io-client'
import { marketKeys } from '../../server/cluster/market-keys.ts'
import { createMarketJournal } from '../../server/cluster/market-journal.ts'
import type { PublishedStep } from '../../server/cluster/market-wire.ts'
import { createMarket, type MarketState } from '../../server/ticker/market.ts'
import type { Quote } from '../../shared/ticker.ts'
import { redisTestUrl } from './redis.ts'
import { nextEvent } from './sockets.ts'

/** The cluster market of a test's Redis prefix, read as a node reads it. */
export function openPublishedMarket (prefix: string) {
  const redis = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null })
  const keys = marketKeys((name) => `${prefix}${name}`)
  const journal = createMarketJournal({ redis, keys, keepSteps: 100_000, ttlMs: 60_000 })
  return {
    redis,
    keys,
    journal,
    /** The lease's token: `<nodeId>@<epoch>`, nodeId starting with the node's name. */
    leader: () => redis.get(keys.leader),
    close: () => redis.quit().then(() => {}, () => redis.disconnect())
  }
}

/**
 * Replays the published steps on a market continued from `state` (a snapshot), as one process
 * would have stepped it from there: every step must be exactly the reference's next one (one
 * seeded series, whichever leader stepped it). Returns every quote of the series by symbol and seq.
 */
export function replaySeries (state: MarketState, steps: readonly PublishedStep[], tickHz: number) {
  let clock = 0
  const reference = createMarket({ seed: 'unused: the state carries the series', tickHz, now: () => clock, state })
  const bySeq = new Map<string, Quote>()
  const keep = (quote: Quote) => bySeq.set(`${quote.symbol}#${quote.seq}`, quote)
  reference.snapshot().forEach(keep)
  let epoch = 0
  for (const step of steps) {
    assert.ok(step.epoch >= epoch, `step ${step.n} of epoch ${step.epoch} came after one of epoch ${epoch}`)
    epoch = step.epoch
    clock = step.ts
    const expected = reference.tick()
    assert.equal(expected.ts, step.ts, `step ${step.n} is stamped after the one before`)
    const seen = step.changes.map(({ quote }) => `${quote.symbol}#${quote.seq}=${quote.price}`)
    assert.deepEqual(seen, expected.quotes.map((quote) => `${quote.symbol}#${quote.seq}=${quote.price}`), `step ${step.n} (epoch ${step.epoch}) continues the series`)
    expected.quotes.forEach(keep)
  }
  return { bySeq, reference }
}

/**
 * The tick of a frame: its latest quote's. A tick's frame holds that tick's quotes; the one frame
 * a node sends after loading the market again holds every current quote, the latest of that tick.
 */
export const tickOf = (quotes: readonly Quote[]) => Math.max(...quotes.map((quote) => quote.ts))

/** Every `ticker:quotes` frame a socket receives from now on. */
export function recordFrames (socket: Socket) {
  const frames: Quote[][] = []
  socket.on('ticker:quotes', ({ quotes }: { quotes: Quote[] }) => frames.push(quotes))
  return frames
}

/** Resolves with the first `ticker:quotes` frame whose tick is later than `ts`. */
export async function frameAfter (socket: Socket, ts: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { quotes } = await nextEvent<{ quotes: Quote[] }>(socket, 'ticker:quotes', Math.max(1, deadline - Date.now()))
    if (tickOf(quotes) > ts) return quotes
  }
}

/**
 * Checks what one client saw: its frames in tick order, one per tick (strictly later each time),
 * and every quote exactly the series' quote of that symbol and seq.
 */
export function assertFramesOfSeries (name: string, frames: readonly Quote[][], bySeq: ReadonlyMap<string, Quote>) {
  assert.ok(frames.length > 0, `${name} got no frame`)
  let last = 0
  for (const quotes of frames) {
    const ts = tickOf(quotes)
    assert.ok(ts > last, `${name}: a frame of tick ${ts} after one of tick ${last} (one frame per tick, in order)`)
    last = ts
    for (const quote of quotes) {
      const expected = bySeq.get(`${quote.symbol}#${quote.seq}`)
      assert.ok(expected, `${name}: ${quote.symbol}#${quote.seq} at ${quote.price} is not in the published series`)
      assert.deepEqual(quote, expected, `${name}: ${quote.symbol}#${quote.seq} differs from the published series`)
    }
  }
}
