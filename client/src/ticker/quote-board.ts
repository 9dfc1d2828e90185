import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals'
import type { Quote, Sparkline } from '../../../shared/ticker.ts'
import { createPriceHistory, type PriceHistory } from './price-history.ts'
import { changedAtFromSnapshot, isStale } from './staleness.ts'

/**
 * A moved price's tint: `hot` at first, `cool` after FLASH_HOT_MS, gone after FLASH_MS. The steps
 * are taken on frames the board draws anyway (a tick's, or the clock's each second), never on
 * frames of their own: an animated fade made the compositor draw 60 frames a second while any
 * price was lit, which on a live board is always.
 */
export type Flash = `${'up' | 'down'}-${'hot' | 'cool'}`
export const FLASH_HOT_MS = 300
export const FLASH_MS = 800

/** Everything live about one symbol, each part its own signal so each cell re-renders alone. */
export interface SymbolFeed {
  symbol: string
  quote: Signal<Quote>
  flash: Signal<Flash | undefined>
  /** When the quote last changed, on this browser's clock. */
  changedAt: Signal<number>
  stale: ReadonlySignal<boolean>
  /** Sampled prices of the last minutes, oldest first (for the sparkline). */
  history: Signal<readonly number[]>
}

/**
 * Whether `next` is a later state of a symbol than `current`. `seq` orders changes within one
 * server process; `ts` first, so that after a server restart (seq starts again) newer still wins.
 */
export const isNewerQuote = (next: Pick<Quote, 'ts' | 'seq'>, current: Pick<Quote, 'ts' | 'seq'>) =>
  next.ts > current.ts || (next.ts === current.ts && next.seq > current.seq)

/** A sparkline is redrawn when it gets a new point, or at least this often while prices move. */
const HISTORY_REDRAW_MS = 1000

export interface QuoteBoardOptions {
  now: () => number
  /** Runs `flush` before the next paint (requestAnimationFrame in the browser). */
  requestFrame: (flush: () => void) => void
  /** While true nothing is rendered; pushes are kept (newest per symbol) until resume(). */
  isHidden: () => boolean
  history?: PriceHistory
}

/**
 * The quotes of the board. Pushes are merged per symbol as they come and applied to the signals
 * once per frame inside one batch, so a burst of frames costs one render, and only the cells
 * whose values changed render at all.
 */
export const createQuoteBoard = ({ now, requestFrame, isHidden, history = createPriceHistory() }: QuoteBoardOptions) => {
  const feeds = new Map<string, SymbolFeed>()
  /** Every symbol in listing order; changes only when a symbol is added. */
  const symbols = signal<readonly string[]>([])
  /** Wall time for stale checks, advanced by tickClock(). */
  const clock = signal(now())
  const pending = new Map<string, Quote>()
  const lastRedraw = new Map<string, number>()
  const flushListeners = new Set<(applied: readonly Quote[]) => void>()
  /** The feeds whose flash is showing: when their price moved, and which way. */
  const lit = new Map<SymbolFeed, { movedAt: number, direction: 'up' | 'down' }>()
  let scheduled = false

  const createFeed = (quote: Quote, changedAt: number): SymbolFeed => {
    const changed = signal(changedAt)
    const feed: SymbolFeed = {
      symbol: quote.symbol,
      quote: signal(quote),
      flash: signal<Flash | undefined>(undefined),
      changedAt: changed,
      stale: computed(() => isStale(changed.value, clock.value)),
      history: signal(history.values(quote.symbol))
    }
    feeds.set(quote.symbol, feed)
    return feed
  }

  const redrawHistory = (feed: SymbolFeed, at: number, force: boolean) => {
    if (!force && at - (lastRedraw.get(feed.symbol) ?? 0) < HISTORY_REDRAW_MS) return
    lastRedraw.set(feed.symbol, at)
    feed.history.value = history.values(feed.symbol, at)
  }

  /** Applies one quote if it is newer; says whether it was. */
  const apply = (quote: Quote, at: number, newPoint: boolean): boolean => {
    const feed = feeds.get(quote.symbol)
    if (feed === undefined) {
      createFeed(quote, at)
      symbols.value = [...symbols.peek(), quote.symbol]
      return true
    }
    const previous = feed.quote.peek()
    if (!isNewerQuote(quote, previous)) return false
    feed.quote.value = quote
    feed.changedAt.value = at
    if (quote.price !== previous.price) {
      const direction = quote.price > previous.price ? 'up' : 'down'
      feed.flash.value = `${direction}-hot`
      lit.set(feed, { movedAt: at, direction })
    }
    redrawHistory(feed, at, newPoint)
    return true
  }

  /** Steps each showing flash to what its age says (call inside a batch). */
  const fadeFlashes = (at: number) => {
    for (const [feed, { movedAt, direction }] of lit) {
      const age = at - movedAt
      if (age >= FLASH_MS) {
        feed.flash.value = undefined
        lit.delete(feed)
      } else if (age >= FLASH_HOT_MS) {
        feed.flash.value = `${direction}-cool`
      }
    }
  }

  const newPoints = new Set<string>()

  const flush = () => {
    scheduled = false
    if (isHidden() || pending.size === 0) return
    const at = now()
    const applied: Quote[] = []
    batch(() => {
      for (const quote of pending.values()) {
        if (apply(quote, at, newPoints.has(quote.symbol))) applied.push(quote)
      }
      fadeFlashes(at)
    })
    pending.clear()
    newPoints.clear()
    if (applied.length > 0) for (const listener of flushListeners) listener(applied)
  }

  const schedule = () => {
    if (scheduled || isHidden()) return
    scheduled = true
    requestFrame(flush)
  }

  return {
    symbols,
    clock,

    feed: (symbol: string): SymbolFeed | undefined => feeds.get(symbol),

    /** Every current quote in listing order (not tracked: for sorting on a clock, not per tick). */
    quotes: (): Quote[] => symbols.peek().map((symbol) => feeds.get(symbol)!.quote.peek()),

    /** A pushed batch: merged now, rendered on the next frame (or after resume()). */
    ingest (quotes: readonly Quote[]) {
      const at = now()
      for (const quote of quotes) {
        const waiting = pending.get(quote.symbol)
        if (waiting !== undefined && !isNewerQuote(quote, waiting)) continue
        pending.set(quote.symbol, quote)
        if (history.record(quote.symbol, quote.price, at)) newPoints.add(quote.symbol)
      }
      if (quotes.length > 0) schedule()
    },

    /**
     * A snapshot (the answer to a subscribe): applied at once, since it may add symbols and it
     * repairs whatever volatile pushes were dropped. Older than what we have is ignored.
     */
    applySnapshot (quotes: readonly Quote[]) {
      const at = now()
      const changedAt = changedAtFromSnapshot(quotes, at)
      const applied: Quote[] = []
      batch(() => {
        const added: string[] = []
        for (const quote of quotes) {
          const point = history.record(quote.symbol, quote.price, at)
          const waiting = pending.get(quote.symbol)
          if (waiting !== undefined && !isNewerQuote(quote, waiting)) continue
          pending.delete(quote.symbol)
          const feed = feeds.get(quote.symbol)
          if (feed === undefined) {
            createFeed(quote, changedAt.get(quote.symbol) ?? at)
            added.push(quote.symbol)
            applied.push(quote)
          } else if (apply(quote, at, point)) {
            applied.push(quote)
          }
        }
        if (added.length > 0) symbols.value = [...symbols.peek(), ...added]
        fadeFlashes(at)
      })
      if (applied.length > 0) for (const listener of flushListeners) listener(applied)
    },

    /** Draws the recent past the server remembers into the sparklines (once, on opening the board). */
    seedHistory (sparklines: readonly Sparkline[]) {
      const at = now()
      batch(() => {
        for (const { symbol, start, step, prices } of sparklines) {
          history.seed(symbol, start, step, prices)
          const feed = feeds.get(symbol)
          if (feed !== undefined) redrawHistory(feed, at, true)
        }
      })
    },

    /** Renders what arrived while hidden. */
    resume () {
      if (pending.size > 0) schedule()
    },

    /** Advances the clock that stale checks compare with, and fades the flashes of prices that stopped. */
    tickClock () {
      const at = now()
      batch(() => {
        clock.value = at
        fadeFlashes(at)
      })
    },

    /** Called after each applied batch with the quotes that changed (e.g. to check alerts). */
    onApplied (listener: (applied: readonly Quote[]) => void) {
      flushListeners.add(listener)
      return () => { flushListeners.delete(listener) }
    },

    /** Forgets pushes not yet rendered (the board closed). */
    dropPending () {
      pending.clear()
      newPoints.clear()
    }
  }
}

export type QuoteBoard = ReturnType<typeof createQuoteBoard>
