import { CandleLimit, IntervalMs, Intervals, SYMBOL_PATTERN, type Candle, type CandleUpdate, type Interval, type Listing, type Quote } from '../../shared/ticker.ts'
import { createCandleStore, type CandleStoreState } from './candles.ts'
import { listings as defaultListings, type ListingSpec } from './listings.ts'
import { createPriceModel, type PriceChange, type PriceModelState } from './price-model.ts'
import { aggregateCandles, DEFAULT_PAST_MS, synthesizeHistory, synthesizePast } from './synthesize-past.ts'

/** Charts are never empty: one hour of history is simulated at creation. */
export const DEFAULT_BACKFILL_MS = 60 * 60 * 1000
/**
 * The last quarter hour of the backfill runs in 1 s steps (several trades per 5 s candle); older
 * history in 5 s steps, which keeps creation fast and still gives 1 m candles a dozen trades
 * each. A 5 s candle of one trade would be a flat dash, so 5 s candles start at the finer part.
 */
const FINE_BACKFILL_MS = 15 * 60 * 1000
const FINE_STEP_MS = 1000
const COARSE_STEP_MS = 5000
/** Symbols whose synthesized past a market keeps made. */
const PAST_CACHE_SYMBOLS = 8
const COARSE_INTERVALS: readonly Interval[] = Intervals.filter((interval) => interval !== '5s')

export interface MarketOptions {
  seed: string | number
  /** Live ticks per second; each tick advances the simulation by 1000 / tickHz ms of real time. */
  tickHz: number
  now: () => number
  listings?: readonly ListingSpec[]
  /** Simulated history before now(); 0 for none. */
  backfillMs?: number
  /**
   * Synthesized history before the backfill, 1 m candles and coarser (see synthesizePast): a fresh
   * server's 1 h chart shows days. DEFAULT_PAST_MS with a backfill, none without one.
   */
  pastMs?: number
  timeScale?: number
  tradeRate?: number
  turnover?: number
  candleCapacity?: Partial<Record<Interval, number>>
  /** Continue another market (its `state()`): no backfill, the same history, the same next steps. */
  state?: MarketState
}

/** What one step changed: quotes in listing order, and the candles those trades updated. */
export interface MarketTick {
  ts: number
  quotes: Quote[]
  candles: CandleUpdate[]
  /** Shares each quote traded in this step, in the same order (0 for a day change alone): what a replica needs to rebuild the candles. */
  traded: number[]
}

/** What the next steps of a market depend on, candles aside. */
export interface MarketModelState {
  createdAt: number
  lastTs: number
  model: PriceModelState
}

/** A whole market: what a new process needs to serve and continue it. */
export interface MarketState extends MarketModelState {
  candles: CandleStoreState
}

const symbolPattern = new RegExp(SYMBOL_PATTERN)

const checkListings = (listings: readonly ListingSpec[]) => {
  const seen = new Set<string>()
  for (const { symbol, price, drift, volatility } of listings) {
    if (symbol.length > 10 || !symbolPattern.test(symbol)) throw new Error(`invalid symbol ${JSON.stringify(symbol)}`)
    if (seen.has(symbol)) throw new Error(`duplicate symbol ${symbol}`)
    seen.add(symbol)
    if (!(price > 0 && price < 1e9)) throw new Error(`${symbol}: price must be positive and below 1e9`)
    if (!Number.isFinite(drift) || !(volatility >= 0 && Number.isFinite(volatility))) {
      throw new Error(`${symbol}: drift and volatility must be finite, volatility not negative`)
    }
  }
}

/**
 * The simulated market: price model plus candles, with history backfilled at creation.
 * No timer inside (see createPriceFeed): every step is driven by the caller, timestamps come
 * from the injected clock, so tests run it tick by tick.
 */
export const createMarket = (options: MarketOptions) => {
  const { tickHz, now } = options
  if (!(tickHz > 0 && tickHz <= 1000)) throw new Error('tickHz must be in (0, 1000]')
  const listings = options.listings ?? defaultListings
  checkListings(listings)
  const backfillMs = Math.max(0, Math.floor(options.backfillMs ?? DEFAULT_BACKFILL_MS))
  const tickMs = 1000 / tickHz
  const createdAt = options.state?.createdAt ?? Math.floor(now())

  const modelFrom = (state: PriceModelState | undefined) => createPriceModel({
    seed: options.seed,
    listings,
    start: createdAt - backfillMs,
    timeScale: options.timeScale,
    tradeRate: options.tradeRate,
    turnover: options.turnover,
    state
  })
  let model = modelFrom(options.state?.model)
  const store = createCandleStore({ capacity: options.candleCapacity, state: options.state?.candles })
  const publicListings: Listing[] = listings.map(({ symbol, name, sector }) => ({ symbol, name, sector }))
  let lastTs = options.state?.lastTs ?? createdAt

  /**
   * The synthesized past is made when asked for, never kept in the candle store: it follows from
   * the seed and createdAt alone, so the store (and a cluster's snapshot of it) holds only what
   * the model traded. Its candles come before the store's; the bucket where they meet (the hour
   * of the backfill's first trade, say) is one candle of both.
   */
  const pastMs = Math.max(0, options.pastMs ?? (backfillMs > 0 ? DEFAULT_PAST_MS : 0))
  const pastEnd = createdAt - backfillMs
  const listingOf = new Map(listings.map((listing) => [listing.symbol, listing]))
  const pastOptions = (listing: ListingSpec) =>
    ({ seed: options.seed, listing, end: pastEnd, timeScale: options.timeScale, turnover: options.turnover })
  /** The start of the bucket of the past's last minute, per interval. */
  const lastPastBucket = (interval: Interval) => {
    const size = IntervalMs[interval]
    return Math.floor((Math.floor(pastEnd / IntervalMs['1m']) * IntervalMs['1m'] - IntervalMs['1m']) / size) * size
  }
  /** The past of a few symbols, the ones charted lately: ten days of one symbol are about 4,000 candles. */
  const pastCache = new Map<string, Partial<Record<Interval, Candle[]>> & { history: ReturnType<typeof synthesizeHistory> }>()
  const pastOf = (symbol: string, interval: Interval): Candle[] => {
    const listing = listingOf.get(symbol)
    if (listing === undefined || pastMs === 0 || interval === '5s') return []
    let cached = pastCache.get(symbol)
    if (cached === undefined) {
      if (pastCache.size >= PAST_CACHE_SYMBOLS) pastCache.delete(pastCache.keys().next().value!)
      cached = { history: synthesizeHistory({ ...pastOptions(listing), durationMs: pastMs }) }
      pastCache.set(symbol, cached)
    }
    const { coarse, fine } = cached.history
    // 5 m candles from 1 m bars only: a 15 m bar would leave two empty buckets of five minutes.
    cached[interval] ??= interval === '1m' ? fine : aggregateCandles(interval === '5m' ? fine : [...coarse, ...fine], interval)
    return cached[interval]
  }
  /** The past's part of the bucket where it meets the live candles, per symbol and interval: a few minutes to make. */
  const meetingCache = new Map<string, Candle | null>()
  const pastPartOf = (symbol: string, interval: Interval): Candle | null => {
    const key = `${symbol} ${interval}`
    let part = meetingCache.get(key)
    if (part === undefined) {
      const listing = listingOf.get(symbol)!
      const start = lastPastBucket(interval)
      const minutes = synthesizePast({ ...pastOptions(listing), durationMs: Math.floor(pastEnd / IntervalMs['1m']) * IntervalMs['1m'] - start })
      part = aggregateCandles(minutes, interval)[0] ?? null
      meetingCache.set(key, part)
    }
    return part
  }
  /** A live candle of the meeting bucket with the past's part of it folded in. */
  const joined = (past: Candle, live: Candle): Candle => ({
    t: live.t,
    open: past.open,
    high: Math.max(past.high, live.high),
    low: Math.min(past.low, live.low),
    close: live.close,
    volume: past.volume + live.volume
  })
  const withPastPart = (symbol: string, interval: Interval, candle: Candle): Candle => {
    if (interval === '5s' || pastMs === 0 || candle.t !== lastPastBucket(interval)) return candle
    const part = pastPartOf(symbol, interval)
    return part === null ? candle : joined(part, candle)
  }

  /** The latest `limit` candles: the store's, after the past while the store still reaches back to it. */
  const candlesOf = (symbol: string, interval: Interval, limit: number): Candle[] => {
    const kept = store.size(symbol, interval)
    if (kept >= limit || interval === '5s' || pastMs === 0) return store.recent(symbol, interval, limit).map((candle) => withPastPart(symbol, interval, candle))
    const stored = store.recent(symbol, interval)
    const past = pastOf(symbol, interval)
    const first = stored[0]
    const meeting = lastPastBucket(interval)
    // A store that dropped its oldest candles no longer meets the past.
    if (first !== undefined && first.t > meeting + IntervalMs[interval]) return stored.slice(-limit)
    const before = first !== undefined && first.t === meeting ? past.slice(0, -1) : past
    const live = stored.map((candle) => withPastPart(symbol, interval, candle))
    return [...before.slice(Math.max(0, before.length - (limit - live.length))), ...live]
  }

  /** Fold a step's trades into the candles. */
  const recordTrades = (ts: number, changes: readonly PriceChange[], intervals: readonly Interval[] = Intervals) => {
    for (const { quote, traded } of changes) {
      // A day change alone moves no price: it is a new quote but not a trade.
      if (traded > 0) store.record(quote.symbol, quote.price, traded, ts, intervals)
    }
  }

  /** Step the model and fold its trades into the candles; returns the changed quotes. */
  const advance = (ts: number, elapsedMs: number, intervals: readonly Interval[] = Intervals) => {
    const changes = model.step(ts, elapsedMs)
    recordTrades(ts, changes, intervals)
    return changes
  }

  /** The tick of a step: its quotes, and the forming candles its trades updated. */
  const tickOf = (ts: number, changes: readonly PriceChange[]): MarketTick => {
    const quotes: Quote[] = []
    const candles: CandleUpdate[] = []
    const traded: number[] = []
    for (const change of changes) {
      quotes.push(change.quote)
      traded.push(change.traded)
      if (change.traded === 0) continue
      for (const interval of Intervals) {
        const candle = store.forming(change.quote.symbol, interval)
        if (candle !== undefined) candles.push({ symbol: change.quote.symbol, interval, candle: withPastPart(change.quote.symbol, interval, candle) })
      }
    }
    return { ts, quotes, candles, traded }
  }

  /**
   * Simulate the `durationMs` before creation with the same model. Steps are counted from the
   * start of the history, not from the clock's value, so the series depends only on the seed.
   */
  const backfill = (durationMs: number) => {
    const start = createdAt - durationMs
    let offset = 0
    const run = (until: number, stepMs: number, intervals: readonly Interval[]) => {
      while (offset < until) {
        const next = Math.min(until, offset + stepMs)
        advance(start + Math.floor(next), next - offset, intervals)
        offset = next
      }
    }
    run(durationMs - Math.min(durationMs, FINE_BACKFILL_MS), Math.max(COARSE_STEP_MS, tickMs), COARSE_INTERVALS)
    run(durationMs, Math.max(FINE_STEP_MS, tickMs), Intervals)
  }

  if (!options.state) backfill(backfillMs)

  /** The current quotes of known symbols, once each, in the order asked; unknown symbols are left out. */
  const snapshot = (symbols?: readonly string[]): Quote[] => {
    if (symbols === undefined) return model.quotes()
    const quotes: Quote[] = []
    for (const symbol of new Set(symbols)) {
      const quote = model.quote(symbol)
      if (quote !== undefined) quotes.push(quote)
    }
    return quotes
  }

  return {
    tickMs,
    createdAt,
    /**
     * One live step of 1000 / tickHz ms, stamped with now(), and always later than the last step
     * (a clock that steps back, or a successor's clock a little behind, still moves time forward).
     */
    tick: (): MarketTick => {
      lastTs = Math.max(lastTs + 1, Math.floor(now()))
      return tickOf(lastTs, advance(lastTs, tickMs))
    },
    /** Takes a step that another market made (this one a replica of it): the same quotes and candles, the same tick. */
    apply: (ts: number, changes: readonly PriceChange[]): MarketTick => {
      lastTs = ts
      const taken = model.apply(ts, changes)
      recordTrades(ts, taken)
      return tickOf(ts, taken)
    },
    /** What the next steps depend on, candles aside (small: a leader saves it with every step). */
    modelState: (): MarketModelState => ({ createdAt, lastTs, model: model.state() }),
    /** The whole market, candles included. */
    state: (): MarketState => ({ createdAt, lastTs, model: model.state(), candles: store.state() }),
    /**
     * Continues the model of the market whose `modelState()` this is, keeping this market's candles
     * (a replica that has taken every step of it holds the same ones): how a replica takes over.
     */
    resume: (state: MarketModelState) => {
      model = modelFrom(state.model)
      lastTs = state.lastTs
    },
    snapshot,
    quote: (symbol: string): Quote | undefined => model.quote(symbol),
    has: (symbol: string): boolean => model.has(symbol),
    listings: (): Listing[] => publicListings.map((listing) => ({ ...listing })),
    /** The latest candles, oldest first, the last one still forming; [] for an unknown symbol. */
    candles: (symbol: string, interval: Interval, limit: number = CandleLimit.default): Candle[] =>
      candlesOf(symbol, interval, limit)
  }
}

export type Market = ReturnType<typeof createMarket>
