import type { MarketTick } from './market.ts'

type Handle = ReturnType<typeof globalThis.setInterval>

/** H is whatever the injected setInterval returns, handed back to the injected clearInterval. */
export interface PriceFeedOptions<H = Handle> {
  market: { tick: () => MarketTick }
  tickHz: number
  onTick: (tick: MarketTick) => void
  /** Errors thrown by onTick; without it they propagate like any uncaught error. */
  onError?: (error: unknown) => void
  /** Injectable so tests drive ticks by hand; the globals by default. */
  setInterval?: (callback: () => void, ms: number) => H
  clearInterval?: (handle: H) => void
}

/** The only timer of the ticker: calls market.tick() tickHz times a second while started. */
export const createPriceFeed = <H = Handle>(options: PriceFeedOptions<H>) => {
  const { market, tickHz, onTick, onError } = options
  if (!(tickHz > 0 && tickHz <= 1000)) throw new Error('tickHz must be in (0, 1000]')
  // Without injected timers H is Handle (the type default), so the globals fit.
  const schedule = options.setInterval ?? ((callback: () => void, ms: number) => globalThis.setInterval(callback, ms) as H)
  const cancel = options.clearInterval ?? ((handle: H) => globalThis.clearInterval(handle as Handle))
  let handle: H | undefined
  let running = false

  const run = () => {
    const tick = market.tick()
    if (onError === undefined) return onTick(tick)
    // One failing push must not stop the market for everyone else.
    try {
      onTick(tick)
    } catch (error) {
      onError(error)
    }
  }

  return {
    /** Idempotent: a second start keeps the one timer. */
    start () {
      if (running) return
      running = true
      handle = schedule(run, 1000 / tickHz)
    },
    /** Idempotent; safe before start. */
    stop () {
      if (!running) return
      running = false
      cancel(handle as H)
      handle = undefined
    },
    get running () { return running }
  }
}

export type PriceFeed = ReturnType<typeof createPriceFeed>
