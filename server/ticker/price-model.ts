import type { Quote } from '../../shared/ticker.ts'
import type { ListingSpec } from './listings.ts'
import { createSeededRandom, type SeededRandom, type SeededRandomState } from './seeded-random.ts'

/** Quotes are in cents, and a price never reaches zero. */
export const MIN_PRICE = 0.01
/** Keeps every quote inside the protocol's price range (below 1e9), so alerts can target any. */
export const MAX_PRICE = 999_999_999

/**
 * Simulated time runs this much faster than real time. Real markets barely move in a quarter of a
 * second; at 150x a stock with 30 % annual volatility moves about 3 basis points per 250 ms tick,
 * which is visible on a board without looking like noise.
 */
export const DEFAULT_TIME_SCALE = 150
/**
 * Trades per real second of one symbol (a Poisson rate): at 4 ticks a second about 60 % of the
 * symbols change on a tick, so "the quotes that changed" is a real subset.
 */
export const DEFAULT_TRADE_RATE = 3.7
/** Dollars traded per real second by a symbol of 30 % volatility; more volatile names turn over more. */
export const DEFAULT_TURNOVER = 20_000

const MS_PER_YEAR = 365.25 * 24 * 60 * 60 * 1000
const MS_PER_DAY = 24 * 60 * 60 * 1000

export interface PriceModelOptions {
  seed: string | number
  listings: readonly ListingSpec[]
  /** Timestamp of the opening quotes. */
  start: number
  /** Continue from this state (another model's `state()`) instead of opening at the listing prices. */
  state?: PriceModelState
  timeScale?: number
  tradeRate?: number
  turnover?: number
}

/** One symbol's new quote and the shares it traded in that step (the quote's volume is the day's total). */
export interface PriceChange {
  quote: Quote
  traded: number
}

/** One symbol's part of a model's state: its quote and what its next trades depend on. */
export interface SymbolModelState {
  quote: Quote
  random: SeededRandomState
  exact: number
  idleMs: number
}

/** Everything the next steps of a model depend on, per symbol in listing order. */
export interface PriceModelState {
  day: number
  symbols: SymbolModelState[]
}

interface SymbolState {
  listing: ListingSpec
  random: SeededRandom
  /** The unrounded price: rounding each step to cents would bias and freeze cheap stocks. */
  exact: number
  /** Real milliseconds since the last trade: the move of a trade covers all of them. */
  idleMs: number
  quote: Quote
}

const toCents = (value: number) => Math.round(value * 100) / 100
const clampPrice = (value: number) => Math.min(MAX_PRICE, Math.max(MIN_PRICE, value))
const dayOf = (ts: number) => Math.floor(ts / MS_PER_DAY)

const withPrice = (quote: Quote, price: number, traded: number, ts: number): Quote => {
  const change = toCents(price - quote.open)
  // Spelled out rather than spread: this runs for every trade, backfill included.
  return {
    symbol: quote.symbol,
    name: quote.name,
    sector: quote.sector,
    price,
    open: quote.open,
    high: quote.high > price ? quote.high : price,
    low: quote.low < price ? quote.low : price,
    change,
    changePct: Math.round((change / quote.open) * 10_000) / 100,
    volume: quote.volume + traded,
    ts,
    seq: quote.seq + 1
  }
}

/**
 * Geometric Brownian motion per symbol:
 * price(t + dt) = price * exp((mu - sigma^2 / 2) dt + sigma sqrt(dt) Z), dt in (accelerated) years.
 * Pure: no clock and no timer; the caller says when (`ts`) and how much real time passed.
 * Same seed and same steps give the same series. Each symbol draws from its own stream, so
 * adding a listing does not change the others' series.
 */
export const createPriceModel = (options: PriceModelOptions) => {
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE
  const tradeRate = options.tradeRate ?? DEFAULT_TRADE_RATE
  const turnover = options.turnover ?? DEFAULT_TURNOVER
  const saved = new Map(options.state?.symbols.map((symbol) => [symbol.quote.symbol, symbol]))
  let day = options.state?.day ?? dayOf(options.start)

  const states: SymbolState[] = options.listings.map((listing) => {
    const continued = saved.get(listing.symbol)
    if (continued) {
      const { name, sector } = listing
      return { listing, random: createSeededRandom('', continued.random), exact: continued.exact, idleMs: continued.idleMs, quote: { ...continued.quote, name, sector } }
    }
    const price = clampPrice(toCents(listing.price))
    return {
      listing,
      random: createSeededRandom(`${options.seed}:${listing.symbol}`),
      exact: price,
      idleMs: 0,
      quote: {
        symbol: listing.symbol,
        name: listing.name,
        sector: listing.sector,
        price,
        open: price,
        high: price,
        low: price,
        change: 0,
        changePct: 0,
        volume: 0,
        ts: options.start,
        seq: 0
      }
    }
  })
  const bySymbol = new Map(states.map((state) => [state.listing.symbol, state]))

  /** A trade of one symbol: the price moves over all the time since its previous trade. */
  const trade = (state: SymbolState, ts: number): PriceChange => {
    const { drift, volatility } = state.listing
    const dt = (state.idleMs * timeScale) / MS_PER_YEAR
    const z = state.random.normal()
    state.exact = clampPrice(state.exact * Math.exp((drift - (volatility * volatility) / 2) * dt + volatility * Math.sqrt(dt) * z))
    const price = clampPrice(toCents(state.exact))
    // Volume follows time, volatility and the size of the move: big moves come on heavy trading.
    const shares = ((turnover * (volatility / 0.3)) / price) * (state.idleMs / 1000)
    const traded = Math.max(1, Math.round(shares * (0.5 + state.random.next()) * (0.5 + Math.abs(z))))
    state.idleMs = 0
    return { quote: withPrice(state.quote, price, traded, ts), traded }
  }

  /** A new day opens at the last price with a fresh high, low and volume. */
  const openDay = (quote: Quote): Quote => ({
    ...quote,
    open: quote.price,
    high: quote.price,
    low: quote.price,
    change: 0,
    changePct: 0,
    volume: 0
  })

  /**
   * Advance every symbol by `elapsedMs` of real time, ending at `ts`. Each symbol trades with
   * probability 1 - exp(-rate * elapsed), so coarse steps (backfill) and fine steps (live ticks)
   * give the same movement, volume and activity per unit of time.
   * Returns the symbols whose quote changed, in listing order.
   */
  const step = (ts: number, elapsedMs: number): PriceChange[] => {
    const pTrade = 1 - Math.exp((-tradeRate * elapsedMs) / 1000)
    const today = dayOf(ts)
    const newDay = today !== day
    day = today
    const changes: PriceChange[] = []
    for (const state of states) {
      state.idleMs += elapsedMs
      const trades = state.random.next() < pTrade
      // A day change and a trade in one step are one change: seq moves by one.
      if (newDay) state.quote = openDay(state.quote)
      if (trades) {
        const change = trade(state, ts)
        state.quote = change.quote
        changes.push(change)
      } else if (newDay) {
        state.quote = { ...state.quote, ts, seq: state.quote.seq + 1 }
        changes.push({ quote: state.quote, traded: 0 })
      }
    }
    return changes
  }

  /**
   * Takes another model's changes (a replica of the market that one runs), names and sectors from
   * this model's listings; returns them as taken, unknown symbols left out. The random streams do
   * not move: a replica that takes over restores them with the leader's state.
   */
  const apply = (ts: number, changes: readonly PriceChange[]): PriceChange[] => {
    day = dayOf(ts)
    const taken: PriceChange[] = []
    for (const { quote, traded } of changes) {
      const state = bySymbol.get(quote.symbol)
      if (state === undefined) continue
      state.quote = { ...quote, name: state.listing.name, sector: state.listing.sector }
      state.exact = quote.price
      taken.push({ quote: state.quote, traded })
    }
    return taken
  }

  return {
    step,
    apply,
    state: (): PriceModelState => ({
      day,
      symbols: states.map(({ quote, random, exact, idleMs }) => ({ quote, random: random.state(), exact, idleMs }))
    }),
    quote: (symbol: string): Quote | undefined => bySymbol.get(symbol)?.quote,
    quotes: (): Quote[] => states.map((state) => state.quote),
    has: (symbol: string) => bySymbol.has(symbol)
  }
}

export type PriceModel = ReturnType<typeof createPriceModel>
