import { IntervalMs, Intervals, type Candle, type Interval } from '../../shared/ticker.ts'

/**
 * Per symbol: an hour of 5 s candles, ten hours of 1 m, a day of 5 m, two days of 15 m and ten
 * days of 1 h candles. A cluster snapshot carries them all (about 6 MB for the 65 listings).
 */
export const DEFAULT_CANDLE_CAPACITY = { '5s': 720, '1m': 600, '5m': 288, '15m': 192, '1h': 240 } as const satisfies Record<Interval, number>

/** A fixed-size ring: memory per symbol stays bounded however long the server runs. */
const createRing = (capacity: number) => {
  const items = new Array<Candle | undefined>(capacity)
  let head = 0
  let size = 0
  const at = (index: number) => items[(head + index) % capacity] as Candle

  return {
    push (candle: Candle) {
      if (size < capacity) {
        items[(head + size) % capacity] = candle
        size++
      } else {
        items[head] = candle
        head = (head + 1) % capacity
      }
    },
    replaceLast (candle: Candle) {
      items[(head + size - 1) % capacity] = candle
    },
    last: (): Candle | undefined => (size === 0 ? undefined : at(size - 1)),
    /** The latest `limit` candles, oldest first. */
    recent (limit: number): Candle[] {
      const count = Math.max(0, Math.min(limit, size))
      const result: Candle[] = []
      for (let i = size - count; i < size; i++) result.push(at(i))
      return result
    },
    get size () { return size }
  }
}
type Ring = ReturnType<typeof createRing>

/**
 * Every kept candle: per symbol, how many of each interval (in the order of `Intervals`), and all
 * their numbers in one array (per symbol, its 5s candles, then its 1m ones and so on, oldest
 * first, each t, open, high, low, close, volume). Ten hours of candles are half a million numbers: one typed array copies in
 * milliseconds, where objects or JSON take a tenth of a second.
 */
export interface CandleStoreState {
  counts: [symbol: string, ...sizes: number[]][]
  values: Float64Array
}

const FIELDS = 6

export interface CandleStoreOptions {
  capacity?: Partial<Record<Interval, number>>
  /** Start with these candles (another store's `state()`). */
  state?: CandleStoreState
}

/**
 * OHLCV candles aggregated from trades, per symbol and interval. A bucket starts at
 * floor(ts / size) * size; a bucket in which a symbol did not trade has no candle.
 * Candles are never mutated once handed out: an update replaces the forming candle, so a
 * candle queued for a push cannot change under the sender.
 */
export const createCandleStore = (options: CandleStoreOptions = {}) => {
  const capacity = { ...DEFAULT_CANDLE_CAPACITY, ...options.capacity }
  const series = new Map<string, Record<Interval, Ring>>()

  const ringsOf = (symbol: string) => {
    let rings = series.get(symbol)
    if (rings === undefined) {
      rings = Object.fromEntries(Intervals.map((interval) => [interval, createRing(capacity[interval])])) as Record<Interval, Ring>
      series.set(symbol, rings)
    }
    return rings
  }

  /** Add one trade to the forming candle of each interval (all by default). */
  const record = (symbol: string, price: number, volume: number, ts: number, intervals: readonly Interval[] = Intervals): void => {
    const rings = ringsOf(symbol)
    for (const interval of intervals) {
      const ring = rings[interval]
      const size = IntervalMs[interval]
      const t = Math.floor(ts / size) * size
      const last = ring.last()
      // A clock that steps back lands in the forming bucket: candles stay in time order.
      if (last !== undefined && t <= last.t) {
        ring.replaceLast({
          t: last.t,
          open: last.open,
          high: last.high > price ? last.high : price,
          low: last.low < price ? last.low : price,
          close: price,
          volume: last.volume + volume
        })
      } else {
        ring.push({ t, open: price, high: price, low: price, close: price, volume })
      }
    }
  }

  if (options.state) {
    const { counts, values } = options.state
    let at = 0
    for (const [symbol, ...sizes] of counts) {
      const rings = ringsOf(symbol)
      Intervals.forEach((interval, i) => {
        for (let k = 0; k < (sizes[i] ?? 0); k++, at += FIELDS) {
          rings[interval].push({ t: values[at]!, open: values[at + 1]!, high: values[at + 2]!, low: values[at + 3]!, close: values[at + 4]!, volume: values[at + 5]! })
        }
      })
    }
  }

  const state = (): CandleStoreState => {
    const counts: CandleStoreState['counts'] = []
    let total = 0
    for (const [symbol, rings] of series) {
      const sizes = Intervals.map((interval) => rings[interval].size)
      counts.push([symbol, ...sizes])
      for (const size of sizes) total += size
    }
    const values = new Float64Array(total * FIELDS)
    let at = 0
    for (const rings of series.values()) {
      for (const interval of Intervals) {
        for (const { t, open, high, low, close, volume } of rings[interval].recent(rings[interval].size)) {
          values[at++] = t
          values[at++] = open
          values[at++] = high
          values[at++] = low
          values[at++] = close
          values[at++] = volume
        }
      }
    }
    return { counts, values }
  }

  return {
    record,
    state,
    /** The latest `limit` candles (all kept ones by default), oldest first; [] for an unknown symbol. */
    recent: (symbol: string, interval: Interval, limit = Number.POSITIVE_INFINITY): Candle[] =>
      series.get(symbol)?.[interval].recent(limit) ?? [],
    /** The last candle, still forming while its bucket lasts. */
    forming: (symbol: string, interval: Interval): Candle | undefined => series.get(symbol)?.[interval].last(),
    size: (symbol: string, interval: Interval): number => series.get(symbol)?.[interval].size ?? 0
  }
}

export type CandleStore = ReturnType<typeof createCandleStore>
