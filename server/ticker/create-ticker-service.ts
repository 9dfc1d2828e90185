import type { FastifyBaseLogger } from 'fastify'
import type { User } from '../../shared/auth.ts'
import { MAX_FIRED_ALERTS, MAX_PENDING_ALERTS, SPARKLINE_STEP_MS, SPARKLINE_WINDOW_MS, type Alert, type AlertCreate, type Interval, type Quote, type Sparkline, type TickerPushes } from '../../shared/ticker.ts'
import type { Publisher } from '../realtime/publisher.ts'
import { AppError } from '../errors.ts'
import type { AlertRecord, Storage } from '../storage/types.ts'
import { createHash } from 'node:crypto'
import { createAlertIndex } from './alert-index.ts'
import { listings as defaultListings } from './listings.ts'
import { createMarket, type MarketOptions, type MarketTick } from './market.ts'
import type { MarketDriver, MarketDriverFactory, MarketHost } from './market-driver.ts'
import { createMoveAlerts } from './move-alerts.ts'
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
  /** Tells the user's sockets (every tab, every node) about changes of their alerts. */
  publish?: Pick<Publisher<TickerPushes>, 'emit'>
}

export type TickListener = (tick: MarketTick) => void

/** Enough digits to show the threshold as the user typed it, never exponent notation or grouping. */
const formatPrice = (price: number) =>
  price.toLocaleString('en-US', { useGrouping: false, minimumFractionDigits: 2, maximumFractionDigits: 8 })

const publicAlert = ({ userId: _userId, ...alert }: AlertRecord): Alert => alert

const formatPct = (pct: number) => `${pct.toLocaleString('en-US', { maximumFractionDigits: 2 })}%`

/** What a fired alert says: the notification's title and body. */
export const describeFired = (alert: AlertRecord, quote: Quote) => {
  const traded = `${quote.name} (${quote.symbol}) traded at ${formatPrice(quote.price)}`
  const way = alert.direction === 'above' ? 'up' : 'down'
  switch (alert.kind) {
    case 'day-move': return {
      title: `${alert.symbol} ${way} ${formatPct(alert.pct!)} today`,
      body: `${traded}, ${formatPct(Math.abs(quote.changePct))} ${way} from today's open at ${formatPrice(quote.open)}.`
    }
    case 'window-move': return {
      title: `${alert.symbol} ${way} ${formatPct(alert.pct!)} in ${alert.minutes} min`,
      body: `${traded}: a move of ${formatPct(alert.pct!)} or more ${way} within ${alert.minutes} minutes.`
    }
    default: return {
      title: `${alert.symbol} ${alert.direction} ${formatPrice(alert.price)}`,
      body: `${traded}, crossing your alert at ${formatPrice(alert.price)}.`
    }
  }
}

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
export function createTickerService ({ storage, seed, tickHz, notify, log, now = Date.now, market: marketOptions, timers, driver: driverFactory, publish }: TickerServiceDeps) {
  const store = storage.alerts
  const options = { ...marketOptions, seed, tickHz, now }
  let market = createMarket(options)
  const symbols = market.listings().map((listing) => listing.symbol)
  const alerts = createAlertIndex<AlertRecord>()
  const moves = createMoveAlerts()
  /** Indexes a pending alert where its kind is evaluated. */
  const index = (alert: AlertRecord) => alert.kind === undefined ? alerts.add(alert) : moves.add(alert)
  const pushAlert = (userId: string, change: Parameters<Publisher<TickerPushes>['emit']>[2]) => publish?.emit({ user: userId }, 'ticker:alert', change as never)
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
    const firedAt = now()
    try {
      marked = await store.markTriggered(alert.id, firedAt, quote.price)
    } catch (error) {
      // Not marked: back in the index, so the next crossing tries again.
      index(alert)
      throw error
    }
    if (!marked) return
    pushAlert(alert.userId, { state: 'fired', alert: publicAlert({ ...alert, firedAt, firedPrice: quote.price }) })
    await notify(alert.userId, { kind: 'price-alert', ...describeFired(alert, quote), url: `/market/${alert.symbol}` })
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
    if (evaluating && moves.size > 0) {
      for (const quote of step.quotes) {
        const candles = moves.needsCandles(quote.symbol) ? market.candles(quote.symbol, '5s', moves.candlesWanted(quote.symbol)) : undefined
        for (const alert of moves.fired(quote, step.ts, candles)) fire(alert, quote)
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
        moves.clear()
        return
      }
      for (const alert of await store.allPending()) {
        // Stopped while loading: the index stays empty.
        if (evaluating) index(alert)
      }
    },
    alertCreated (alert) {
      if (evaluating) index(alert)
    },
    alertDeleted (id) {
      alerts.remove(id)
      moves.remove(id)
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

    isListed: (symbol: string) => market.has(symbol),

    /** `not_found` naming the symbols that are not listed. */
    assertListed (asked: readonly string[]) {
      unknownSymbols(asked)
    },

    async createAlert (user: User, create: AlertCreate): Promise<Alert> {
      unknownSymbols([create.symbol])
      const { symbol, direction } = create
      const base = { userId: user.id, symbol, direction, now: now(), maxPending: MAX_PENDING_ALERTS }
      // A move is armed at the current price (what the user saw when setting it).
      const alert = create.kind === 'day-move' || create.kind === 'window-move'
        ? await store.create({ ...base, kind: create.kind, pct: create.pct, price: market.quote(symbol)!.price, ...(create.kind === 'window-move' && { minutes: create.minutes }) })
        : await store.create({ ...base, price: create.price })
      host.alertCreated(alert)
      driver.alertCreated(alert)
      pushAlert(user.id, { state: 'pending', alert: publicAlert(alert) })
      return publicAlert(alert)
    },

    async listAlerts (user: User): Promise<Alert[]> {
      return (await store.listPending(user.id)).map(publicAlert)
    },

    /** The user's fired alerts, the latest first. */
    async listFiredAlerts (user: User): Promise<Alert[]> {
      return (await store.listFired(user.id, MAX_FIRED_ALERTS)).map(publicAlert)
    },

    /** Deletes a pending alert (and tells the node evaluating it) or a fired one. */
    async deleteAlert (user: User, id: string) {
      if (await store.delete(id, user.id)) {
        host.alertDeleted(id)
        driver.alertDeleted(id)
      } else if (!await store.deleteFired(id, user.id)) {
        // Someone else's alert is as absent as a deleted one: ids are not probed.
        throw new AppError('not_found', 'No such alert.')
      }
      pushAlert(user.id, { state: 'deleted', id })
    },

    /** A fired alert pending again, armed from now (a move from the current price). */
    async rearmAlert (user: User, id: string): Promise<Alert> {
      const alert = await store.rearm({ id, userId: user.id, now: now(), maxPending: MAX_PENDING_ALERTS, priceOf: (symbol) => market.quote(symbol)?.price ?? 1 })
      if (alert === null) throw new AppError('not_found', 'No such fired alert.')
      host.alertCreated(alert)
      driver.alertCreated(alert)
      pushAlert(user.id, { state: 'pending', alert: publicAlert(alert) })
      return publicAlert(alert)
    },

    /** Pending alerts in the in-memory index. */
    get pendingAlerts () { return alerts.size + moves.size }
  }
}

export type TickerService = ReturnType<typeof createTickerService>
