import { IntervalMs, type Candle, type Interval } from '../../shared/ticker.ts'
import type { ListingSpec } from './listings.ts'
import { DEFAULT_TIME_SCALE, DEFAULT_TURNOVER, MAX_PRICE, MIN_PRICE } from './price-model.ts'
import { createSeededRandom } from './seeded-random.ts'

/** A fresh server's coarse charts reach back ten days (the 1 h series holds ten days). */
export const DEFAULT_PAST_MS = 10 * 24 * 60 * 60 * 1000
/**
 * The last day of it (plus up to an hour, so that it starts on a whole hour) is 1 m bars, enough
 * for the 1 m and 5 m series; older history, which only the 15 m and 1 h series reach, is made of
 * 15 m bars: fifteen times fewer steps to make at start.
 */
export const FINE_PAST_MS = 24 * 60 * 60 * 1000
const COARSE_BAR_MS = IntervalMs['15m']
const MS_PER_YEAR = 365.25 * 24 * 60 * 60 * 1000

export interface PastOptions {
  seed: string | number
  listing: ListingSpec
  /** Where the past ends: the price at this time (`price`, the listing's by default) is where what follows starts. */
  end: number
  price?: number
  /** How far back it reaches; whole bars. */
  durationMs: number
  /** The bars' size, 1 m by default; bars start on whole multiples of it. */
  barMs?: number
  timeScale?: number
  turnover?: number
}

const toCents = (value: number) => Math.round(value * 100) / 100
const clampPrice = (value: number) => Math.min(MAX_PRICE, Math.max(MIN_PRICE, value))

/**
 * One symbol's history before the live model started, as candles of `barMs`, oldest first: the same
 * geometric Brownian motion as the price model, walked backwards from the listing price at `end`,
 * so the last candle closes where the live series opens. It depends only on the seed, the listing
 * and `end` (the market's creation, carried in its state), so every node of a cluster and every
 * restart of one market makes the same past; a longer past only adds older candles. The bar
 * holding `end` is left to what follows.
 */
export const synthesizePast = ({ seed, listing, end, price, durationMs, barMs = IntervalMs['1m'], timeScale = DEFAULT_TIME_SCALE, turnover = DEFAULT_TURNOVER }: PastOptions): Candle[] => {
  const BAR_MS = barMs
  const { drift, volatility } = listing
  const random = createSeededRandom(`${seed}:past:${barMs}:${listing.symbol}`)
  const dt = (BAR_MS * timeScale) / MS_PER_YEAR
  const driftStep = (drift - (volatility * volatility) / 2) * dt
  const spread = volatility * Math.sqrt(dt)
  const last = Math.floor(end / BAR_MS) * BAR_MS
  const count = Math.max(0, Math.floor(durationMs / BAR_MS))
  const bars: Candle[] = []
  let close = clampPrice(toCents(price ?? listing.price))
  let exact = close
  for (let k = 1; k <= count; k++) {
    const z = random.normal()
    // One step back: the move from this bar's open to its close, undone.
    exact = clampPrice(exact / Math.exp(driftStep + spread * z))
    const open = clampPrice(toCents(exact))
    // Wicks: how far the price strayed inside the minute, a fraction of a minute's spread.
    const high = clampPrice(toCents(Math.max(open, close) * (1 + random.next() * spread * 0.5)))
    const low = clampPrice(toCents(Math.min(open, close) * (1 - random.next() * spread * 0.5)))
    const shares = ((turnover * (volatility / 0.3)) / close) * (BAR_MS / 1000)
    const volume = Math.max(1, Math.round(shares * (0.5 + random.next()) * (0.5 + Math.abs(z))))
    bars.push({ t: last - k * BAR_MS, open, high: Math.max(high, open, close), low: Math.min(low, open, close), close, volume })
    close = open
  }
  return bars.reverse()
}

/**
 * A symbol's whole synthesized past before `end`: 15 m bars, then from a whole hour about
 * FINE_PAST_MS before `end` on, 1 m bars (`fine`). `coarse` ends where `fine` starts, at its open.
 */
export const synthesizeHistory = (options: Omit<PastOptions, 'barMs' | 'price'>) => {
  const minute = IntervalMs['1m']
  const hour = IntervalMs['1h']
  const start = Math.max(options.end - options.durationMs, Math.floor((options.end - FINE_PAST_MS) / hour) * hour)
  const fine = synthesizePast({ ...options, durationMs: Math.max(0, Math.floor(options.end / minute) * minute - start) })
  const first = fine[0]
  if (first === undefined) return { coarse: [], fine }
  const coarse = synthesizePast({
    ...options,
    barMs: COARSE_BAR_MS,
    end: first.t,
    price: first.open,
    durationMs: Math.max(0, first.t - (options.end - options.durationMs))
  })
  return { coarse, fine }
}

/** Candles of a coarser interval from finer ones (oldest first): a bucket holds the bars that start in it. */
export const aggregateCandles = (minutes: readonly Candle[], interval: Interval): Candle[] => {
  const size = IntervalMs[interval]
  const result: Candle[] = []
  let current: Candle | undefined
  for (const bar of minutes) {
    const t = Math.floor(bar.t / size) * size
    if (current !== undefined && current.t === t) {
      current.high = Math.max(current.high, bar.high)
      current.low = Math.min(current.low, bar.low)
      current.close = bar.close
      current.volume += bar.volume
    } else {
      current = { ...bar, t }
      result.push(current)
    }
  }
  return result
}
