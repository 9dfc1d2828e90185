/**
 * Ten minutes of prices for a sparkline, one sample a second (600 at most; the sparkline draws
 * fewer). A fine step gives a fresh board a moving line within seconds, not a flat one.
 */
export const HISTORY_WINDOW_MS = 10 * 60 * 1000
export const HISTORY_STEP_MS = 1_000

export interface PriceHistoryOptions {
  windowMs?: number
  stepMs?: number
}

interface Samples {
  /** Bucket numbers (time / step), ascending. */
  buckets: number[]
  /** The last price seen in each bucket. */
  prices: number[]
}

/**
 * A short, sampled price history per symbol: time is cut into `stepMs` buckets and each keeps
 * the last price seen in it, so memory stays bounded (window / step samples) however fast the
 * quotes come. Samples older than the window fall off as new ones arrive.
 */
export const createPriceHistory = ({ windowMs = HISTORY_WINDOW_MS, stepMs = HISTORY_STEP_MS }: PriceHistoryOptions = {}) => {
  const capacity = Math.max(1, Math.floor(windowMs / stepMs))
  const series = new Map<string, Samples>()

  return {
    /**
     * Records a price seen at time `at`; returns true when it started a new sample (the
     * sparkline has a new point), false when it only replaced the latest one or was out of order.
     */
    record (symbol: string, price: number, at: number): boolean {
      const bucket = Math.floor(at / stepMs)
      let samples = series.get(symbol)
      if (samples === undefined) {
        samples = { buckets: [], prices: [] }
        series.set(symbol, samples)
      }
      const last = samples.buckets.length - 1
      const lastBucket = samples.buckets[last]
      if (lastBucket !== undefined && bucket < lastBucket) return false
      if (lastBucket === bucket) {
        samples.prices[last] = price
        return false
      }
      samples.buckets.push(bucket)
      samples.prices.push(price)
      // Drop what fell out of the window (a gap, e.g. a sleeping laptop, may drop several).
      let drop = 0
      while (drop < samples.buckets.length && samples.buckets[drop]! <= bucket - capacity) drop++
      if (drop > 0) {
        samples.buckets.splice(0, drop)
        samples.prices.splice(0, drop)
      }
      return true
    },

    /**
     * Fills in what happened before the first sample (the server's recent prices, one every
     * `step` ms from `start`): only points older than what is held are taken, so live samples win.
     */
    seed (symbol: string, start: number, step: number, prices: readonly number[]) {
      const samples = series.get(symbol) ?? { buckets: [], prices: [] }
      series.set(symbol, samples)
      const firstHeld = samples.buckets[0] ?? Infinity
      const older: Samples = { buckets: [], prices: [] }
      prices.forEach((price, i) => {
        const bucket = Math.floor((start + i * step) / stepMs)
        if (bucket >= firstHeld) return
        if (older.buckets.at(-1) === bucket) older.prices[older.prices.length - 1] = price
        else {
          older.buckets.push(bucket)
          older.prices.push(price)
        }
      })
      samples.buckets.unshift(...older.buckets)
      samples.prices.unshift(...older.prices)
      const newest = samples.buckets.at(-1)!
      const drop = samples.buckets.findIndex((bucket) => bucket > newest - capacity)
      if (drop > 0) {
        samples.buckets.splice(0, drop)
        samples.prices.splice(0, drop)
      }
    },

    /** The sampled prices of the window ending at `now`, oldest first. */
    values (symbol: string, now?: number): number[] {
      const samples = series.get(symbol)
      if (samples === undefined) return []
      if (now === undefined) return samples.prices.slice()
      const oldest = Math.floor(now / stepMs) - capacity
      const first = samples.buckets.findIndex((bucket) => bucket > oldest)
      return first === -1 ? [] : samples.prices.slice(first)
    },

    clear () {
      series.clear()
    }
  }
}

export type PriceHistory = ReturnType<typeof createPriceHistory>
