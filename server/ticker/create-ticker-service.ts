import type { FastifyBaseLogger } from 'fastify'
import type { User } from '../../shared/auth.ts'
import { MAX_PENDING_ALERTS, SPARKLINE_STEP_MS, SPARKLINE_WINDOW_MS, type Alert, type AlertCreate, type Interval, type Quote, type Sparkline } from '../../shared/ticker.ts'
import { AppError } from '../errors.ts'
import type { AlertRecord, Storage } from '../storage/types.ts'
import { createHash } from 'node:crypto'
import { createAlertIndex } from './alert-index.ts'
import { listings as defaultListings } from './listings.ts'
import { createMarket, type MarketOptions, type MarketTick } from './market.ts'
import type { MarketDriver, MarketDriverFactory, MarketHost } from './market-driver.ts'
import { createPriceFeed, type PriceFeedOptions } from './price-feed.ts'

/** What a fired alert asks the notifications feature to store and push. */
export interface PriceAlertNotification {
  kind: 'price-alert'
  title: string
  body: string
  url: string
}

export interface TickerServiceDeps {
  storage: Pick<Storage, 'alerts'>
  seed: string
  tickHz: number
  /** Delivers a fired alert; stored first by the notifications feature, so offline users get it too. */
  notify: (userId: string, notification: PriceAlertNotification) => Promise<unknown>
  log: Pick<FastifyBaseLogger, 'error'>
  now?: () => number
  /** Market knobs for tests (fewer listings, no backfill); production uses the defaults. */
  market?: Omit<Partial<MarketOptions>, 'seed' | 'tickHz' | 'now'>
  /** Timers of the price feed, injectable so tests can drive it by hand. */
  timers?: Pick<PriceFeedOptions<unknown>, 'setInterval' | 'clearInterval'>
  /** Who moves the market: this process's own price feed by default, the cluster's leader with several nodes. */
  driver?: MarketDriverFactory
}

export type TickListener = (tick: MarketTick) => void

/** Enough digits to show the threshold as the user typed it, never exponent notation or grouping. */
const formatPrice = (price: number) =>
  price.toLocaleString('en-US', { useGrouping: false, minimumFractionDigits: 2, maximumFractionDigits: 8 })

const publicAlert = ({ id, symbol, direction, price, createdAt }: AlertRecord): Alert => ({ id, symbol, direction, price, createdAt })

/**
 * One node alone: its own price feed (the only timer) steps the market, and it evaluates every
 * alert from creation on (the stored ones once started).
 */
const ownPriceFeed = (tickHz: number, log: Pick<FastifyBaseLogger, 'error'>, timers: TickerServiceDeps['timers']): MarketDriverFactory => (host) => {
  const feed = createPriceFeed<unknown>({
    market: {
      tick () {
        const tick = host.step()
        host.deliver(tick)
        return tick
      }
    },
    tickHz,
    onTick: () => {},
    onError: (err) => log.error({ err }, 'ticker tick failed'),
    ...timers
  })
  let loaded: Promise<void> | undefined
  return {
    async start () {
      loaded ??= host.evaluateAlerts(true)
      await loaded
      feed.start()
    },
    stop: () => feed.stop(),
    async close () { feed.stop() },
    leading: true,
    alertCreated () {},
    alertDeleted () {}
  }
}

/** Seed, listings and model knobs: nodes whose markets differ in these cannot continue each other's. */
export const marketFingerprint = (seed: string, options?: TickerServiceDeps['market']) =>
  createHash('sha256').update(JSON.stringify({ seed, ...options, listings: options?.listings ?? defaultListings })).digest('base64url').slice(0, 16)

/**
 * The simulated market of this node and its price alerts: one market, moved by one driver (this
 * process's price feed, or the cluster's leader), ticks handed to listeners (the /ticker
 * namespace fans them out). Alerts are indexed in memory by symbol and threshold, so a tick looks
 * only at the alerts it crosses; only the node that steps the market evaluates them.
 */
export function createTickerService ({ storage, seed, tickHz, notify, log, now = Date.now, market: marketOptions, timers, driver: driverFactory }: TickerServiceDeps) {
  const store = storage.alerts
  const options = { ...marketOptions, seed, tickHz, now }
  let market = createMarket(options)
  const symbols = market.listings().map((listing) => listing.symbol)
  const alerts = createAlertIndex<AlertRecord>()
  const listeners = new Set<TickListener>()
  /** Alert firings still writing or notifying; close() waits for them. */
  const inflight = new Set<Promise<void>>()
  /** Whether this node evaluates alerts: alone from creation, in a cluster while it leads. */
  let evaluating = true

  const unknownSymbols = (asked: readonly string[]) => {
    const unknown = [...new Set(asked.filter((symbol) => !market.has(symbol)))]
    if (unknown.length === 0) return
    const shown = unknown.slice(0, 10).join(', ') + (unknown.length > 10 ? ` and ${unknown.length - 10} more` : '')
    throw new AppError('not_found', `Unknown symbol${unknown.length > 1 ? 's' : ''}: ${shown}.`)
  }

  /** Storage decides the race: only the caller whose update marks the alert notifies. */
  const deliverAlert = async (alert: AlertRecord, quote: Quote) => {
    let marked: boolean
    try {
      marked = await store.markTriggered(alert.id, now())
    } catch (error) {
      // Not marked: back in the index, so the next crossing tries again.
      alerts.add(alert)
      throw error
    }
    if (!marked) return
    await notify(alert.userId, {
      kind: 'price-alert',
      title: `${alert.symbol} ${alert.direction} ${formatPrice(alert.price)}`,
      body: `${quote.name} (${quote.symbol}) traded at ${formatPrice(quote.price)}, crossing your alert at ${formatPrice(alert.price)}.`,
      url: `/market/${alert.symbol}`
    })
  }

  const fire = (alert: AlertRecord, quote: Quote) => {
    const done: Promise<void> = deliverAlert(alert, quote)
      .catch((err) => log.error({ err, alertId: alert.id, symbol: alert.symbol }, 'price alert delivery failed'))
      .finally(() => inflight.delete(done))
    inflight.add(done)
  }

  /** Sparklines made since the last tick: every viewer opening the board asks for the same ones. */
  const sparklineCache = new Map<string, Sparkline>()
  const sparkline = (symbol: string): Sparkline => {
    const cached = sparklineCache.get(symbol)
    if (cached) return cached
    const candles = market.candles(symbol, '5s', SPARKLINE_WINDOW_MS / SPARKLINE_STEP_MS)
    const start = candles[0]?.t ?? market.createdAt
    const prices: number[] = []
    for (const candle of candles) {
      const slot = (candle.t - start) / SPARKLINE_STEP_MS
      while (prices.length < slot) prices.push(prices.at(-1) ?? candle.open)
      prices.push(candle.close)
    }
    const line = { symbol, start, step: SPARKLINE_STEP_MS, prices }
    sparklineCache.set(symbol, line)
    return line
  }

  /** The last quote of each symbol handed to the listeners (the first ones, clients get in answers). */
  const delivered = new Map(market.snapshot().map((quote) => [quote.symbol, quote]))

  /** Listeners get the changes first, then crossed alerts fire (on the node that evaluates them). */
  const deliver = (step: MarketTick) => {
    sparklineCache.clear()
    for (const quote of step.quotes) delivered.set(quote.symbol, quote)
    for (const listener of listeners) {
      // One failing listener must not stop the others, nor the alerts.
      try {
        listener(step)
      } catch (err) {
        log.error({ err }, 'ticker listener failed')
      }
    }
    if (evaluating && alerts.size > 0) {
      for (const quote of step.quotes) {
        for (const alert of alerts.crossed(quote.symbol, quote.price)) fire(alert, quote)
      }
    }
  }

  const host: MarketHost = {
    tickMs: market.tickMs,
    fingerprint: marketFingerprint(seed, marketOptions),
    step: () => market.tick(),
    apply: (ts, changes) => market.apply(ts, changes),
    deliver,
    undelivered: () => market.snapshot().filter((quote) => {
      const last = delivered.get(quote.symbol)
      return last === undefined || last.seq !== quote.seq || last.price !== quote.price || last.ts !== quote.ts
    }),
    state: () => market.state(),
    modelState: () => market.modelState(),
    restore (state) {
      market = createMarket({ ...options, state })
      sparklineCache.clear()
    },
    resume: (state) => market.resume(state),
    async evaluateAlerts (on) {
      evaluating = on
      if (!on) {
        alerts.clear()
        return
      }
      for (const alert of await store.allPending()) {
        // Stopped while loading: the index stays empty.
        if (evaluating) alerts.add(alert)
      }
    },
    alertCreated (alert) {
      if (evaluating) alerts.add(alert)
    },
    alertDeleted (id) {
      alerts.remove(id)
    }
  }
  const driver: MarketDriver = (driverFactory ?? ownPriceFeed(tickHz, log, timers))(host)

  return {
    tickMs: market.tickMs,

    /** Starts moving the market: alone, loads the pending alerts (once) and starts ticking. */
    start: () => driver.start(),

    /** Stops moving the market; tick() still steps by hand (tests drive the market this way). */
    stop () {
      driver.stop()
    },

    /** Stops moving the market and waits for alerts already firing. */
    async close () {
      await driver.close()
      listeners.clear()
      await Promise.all(inflight)
    },

    /** One step of this node's own market, delivered at once: for a node alone (tests drive it by hand). */
    tick (): MarketTick {
      // Stepped here, a replica would leave the cluster's series.
      if (driverFactory) throw new Error('tick() steps a market of its own: a node of a cluster takes the leader\'s steps')
      const step = market.tick()
      deliver(step)
      return step
    },

    /** Whether this node runs the simulation (a node alone always does). */
    get leading () { return driver.leading },

    /** Calls `listener` with every tick; returns the function that stops it. */
    onTick (listener: TickListener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },

    /** Resolves when every alert fired so far has been marked and delivered (or has failed). */
    async settled () {
      while (inflight.size > 0) await Promise.all(inflight)
    },

    /** Every listed symbol, in listing order. */
    symbols: (): readonly string[] => symbols,

    /** Current quotes of these symbols (each once, in the order asked), or of all; unknown symbols are `not_found`. */
    quotes (asked?: readonly string[]): Quote[] {
      if (asked === undefined) return market.snapshot()
      unknownSymbols(asked)
      return market.snapshot(asked)
    },

    /** Recent prices per symbol (each asked symbol once) for sparklines: 5 s closes, quiet buckets filled with the last price. */
    sparklines (asked: readonly string[]): Sparkline[] {
      const symbols = [...new Set(asked)]
      unknownSymbols(symbols)
      return symbols.map(sparkline)
    },

    /** The latest candles, oldest first, the last one still forming. */
    candles (symbol: string, interval: Interval, limit?: number) {
      unknownSymbols([symbol])
      return market.candles(symbol, interval, limit)
    },

    async createAlert (user: User, { symbol, direction, price }: AlertCreate): Promise<Alert> {
      unknownSymbols([symbol])
      const alert = await store.create({ userId: user.id, symbol, direction, price, now: now(), maxPending: MAX_PENDING_ALERTS })
      host.alertCreated(alert)
      driver.alertCreated(alert)
      return publicAlert(alert)
    },

    async listAlerts (user: User): Promise<Alert[]> {
      return (await store.listPending(user.id)).map(publicAlert)
    },

    async deleteAlert (user: User, id: string) {
      // Someone else's alert is as absent as a deleted or fired one: ids are not probed.
      if (!await store.delete(id, user.id)) throw new AppError('not_found', 'No such pending alert.')
      host.alertDeleted(id)
      driver.alertDeleted(id)
    },

    /** Pending alerts in the in-memory index. */
    get pendingAlerts () { return alerts.size }
  }
}

export type TickerService = ReturnType<typeof createTickerService>
