import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { User } from '../../../shared/auth.ts'
import { isAppError } from '../../../server/errors.ts'
import { createSqliteStorage } from '../../../server/storage/sqlite/sqlite-storage.ts'
import type { Storage } from '../../../server/storage/types.ts'
import { createTickerService, type PriceAlertNotification, type TickerServiceDeps } from '../../../server/ticker/create-ticker-service.ts'
import type { ListingSpec } from '../../../server/ticker/listings.ts'

const listings: ListingSpec[] = [
  { symbol: 'QLFX', name: 'Quillfox Software', sector: 'Technology', price: 100, drift: 0.1, volatility: 0.3 },
  { symbol: 'QSH.A', name: 'Quarrystone Holdings Class A', sector: 'Financials', price: 500, drift: 0.07, volatility: 0.2 },
  { symbol: 'BKMW', name: 'Brookmere Water', sector: 'Utilities', price: 44.8, drift: 0.04, volatility: 0.14 }
]

let storage: Storage
let alice: User
let bob: User
let clock: number
let notified: { userId: string, notification: PriceAlertNotification }[]
let errors: unknown[]
let timers: { live: number, setInterval: () => number, clearInterval: () => void }

/** A service on a small market where every symbol trades on every tick, driven by hand. */
const service = (over: Partial<TickerServiceDeps> = {}) => createTickerService({
  storage,
  seed: 'test',
  tickHz: 4,
  now: () => clock,
  log: { error: (obj: unknown) => { errors.push(obj) } },
  notify: async (userId, notification) => { notified.push({ userId, notification }) },
  market: { listings, backfillMs: 0, tradeRate: 1000 },
  timers,
  ...over
})

const refusal = (code: string, message?: RegExp) => (error: unknown) => {
  assert.ok(isAppError(error), `expected an AppError ${code}, got ${String(error)}`)
  assert.equal(error.code, code)
  if (message) assert.match(error.message, message)
  return true
}

beforeEach(async () => {
  storage = createSqliteStorage(':memory:')
  alice = await storage.users.create({ username: 'alice', passwordHash: 'x', now: 0 })
  bob = await storage.users.create({ username: 'bob', passwordHash: 'x', now: 0 })
  clock = 1_000_000
  notified = []
  errors = []
  timers = {
    live: 0,
    setInterval: () => { timers.live++; return 1 },
    clearInterval: () => { timers.live-- }
  }
})
afterEach(() => storage.close())

describe('createTickerService quotes and candles', () => {
  it('serves the snapshot of all symbols, or of those asked (once each, in order)', () => {
    const ticker = service()
    assert.deepEqual(ticker.quotes().map((q) => q.symbol), ['QLFX', 'QSH.A', 'BKMW'])
    assert.deepEqual(ticker.quotes(['BKMW', 'QLFX', 'BKMW']).map((q) => q.symbol), ['BKMW', 'QLFX'])
    assert.deepEqual(ticker.symbols(), ['QLFX', 'QSH.A', 'BKMW'])
  })

  it('serves sparklines of each asked symbol once, however often it is asked', () => {
    const ticker = service()
    assert.deepEqual(ticker.sparklines(Array(100).fill('BKMW').concat('QLFX')).map((line) => line.symbol), ['BKMW', 'QLFX'])
  })

  it('makes each sparkline once per tick, however many viewers ask', () => {
    const ticker = service()
    const [first] = ticker.sparklines(['QLFX'])
    assert.equal(ticker.sparklines(['QLFX'])[0], first, 'the same line until the market moves')
    ticker.tick()
    const [next] = ticker.sparklines(['QLFX'])
    assert.notEqual(next, first, 'a new line after a tick')
    assert.equal(next!.prices.at(-1), ticker.quotes(['QLFX'])[0]!.price, 'ending at the current price')
  })

  it('answers not_found naming the unknown symbols', () => {
    const ticker = service()
    assert.throws(() => ticker.quotes(['QLFX', 'NOPE', 'ZZZ']), refusal('not_found', /NOPE, ZZZ/))
    assert.throws(() => ticker.candles('NOPE', '5s'), refusal('not_found', /NOPE/))
  })

  it('hands every tick to its listeners, and a failing listener neither stops the others nor the tick', () => {
    const ticker = service()
    const seen: number[] = []
    ticker.onTick(() => { throw new Error('boom') })
    const stop = ticker.onTick((tick) => { seen.push(tick.quotes.length) })
    ticker.tick()
    stop()
    ticker.tick()
    assert.deepEqual(seen, [3])
    assert.equal(errors.length, 2, 'the failure was logged each time')
  })

  it('starts one timer and stops it on close', async () => {
    const ticker = service()
    await ticker.start()
    await ticker.start()
    assert.equal(timers.live, 1)
    await ticker.close()
    assert.equal(timers.live, 0)
  })
})

describe('createTickerService alerts', () => {
  it('fires a crossed alert exactly once, marking it and notifying its owner', async () => {
    const ticker = service()
    await ticker.start()
    const price = ticker.quotes(['QLFX'])[0]!.price
    const alert = await ticker.createAlert(alice, { symbol: 'QLFX', direction: 'above', price: 90.5 })
    assert.equal(price, 100)
    assert.deepEqual(Object.keys(alert).sort(), ['createdAt', 'direction', 'id', 'price', 'symbol'], 'no owner id in the public alert')
    for (let i = 0; i < 5; i++) ticker.tick()
    await ticker.settled()
    assert.equal(notified.length, 1, `expected one notification, got ${JSON.stringify(notified)}`)
    const [{ userId, notification }] = notified as [typeof notified[0]]
    assert.equal(userId, alice.id)
    assert.equal(notification.kind, 'price-alert')
    assert.equal(notification.title, 'QLFX above 90.50')
    assert.equal(notification.url, '/market/QLFX')
    assert.match(notification.body, /^Quillfox Software \(QLFX\) traded at \d+\.\d\d/)
    assert.deepEqual(await ticker.listAlerts(alice), [], 'a fired alert is no longer pending')
    assert.equal(ticker.pendingAlerts, 0)
  })

  it('keeps alerts that are not crossed, in both directions', async () => {
    const ticker = service()
    await ticker.createAlert(alice, { symbol: 'QLFX', direction: 'above', price: 1000 })
    await ticker.createAlert(alice, { symbol: 'QLFX', direction: 'below', price: 1 })
    await ticker.createAlert(bob, { symbol: 'QSH.A', direction: 'below', price: 600 })
    for (let i = 0; i < 5; i++) ticker.tick()
    await ticker.settled()
    assert.deepEqual(notified.map((n) => n.notification.title), ['QSH.A below 600.00'])
    assert.equal(notified[0]!.userId, bob.id)
    assert.equal((await ticker.listAlerts(alice)).length, 2)
    assert.deepEqual(await ticker.listAlerts(bob), [])
  })

  it('loads pending alerts at start, so alerts survive a restart', async () => {
    const before = service()
    await before.createAlert(alice, { symbol: 'BKMW', direction: 'below', price: 50 })
    await before.close()
    const after = service()
    after.tick()
    await after.settled()
    assert.equal(notified.length, 0, 'not loaded before start')
    await after.start()
    after.tick()
    await after.settled()
    assert.deepEqual(notified.map((n) => n.notification.title), ['BKMW below 50.00'])
  })

  it('notifies once when two nodes see the same crossing', async () => {
    const nodeA = service()
    const nodeB = service()
    await nodeA.createAlert(alice, { symbol: 'QLFX', direction: 'below', price: 150 })
    await Promise.all([nodeA.start(), nodeB.start()])
    nodeA.tick()
    nodeB.tick()
    await Promise.all([nodeA.settled(), nodeB.settled()])
    assert.equal(notified.length, 1, `expected one notification, got ${notified.length}`)
  })

  it('never fires a deleted alert, and deletes only the owner\'s', async () => {
    const ticker = service()
    const alert = await ticker.createAlert(alice, { symbol: 'QLFX', direction: 'above', price: 1 })
    await assert.rejects(ticker.deleteAlert(bob, alert.id), refusal('not_found'))
    await ticker.deleteAlert(alice, alert.id)
    await assert.rejects(ticker.deleteAlert(alice, alert.id), refusal('not_found'))
    ticker.tick()
    await ticker.settled()
    assert.deepEqual(notified, [])
  })

  it('refuses an alert on an unknown symbol, and past 50 pending ones', async () => {
    const ticker = service()
    await assert.rejects(ticker.createAlert(alice, { symbol: 'NOPE', direction: 'above', price: 1 }), refusal('not_found', /NOPE/))
    for (let i = 0; i < 50; i++) await ticker.createAlert(bob, { symbol: 'QLFX', direction: 'above', price: 1000 + i })
    await assert.rejects(ticker.createAlert(bob, { symbol: 'QLFX', direction: 'above', price: 2000 }), refusal('conflict', /50 pending alerts/))
    assert.equal(ticker.pendingAlerts, 50)
  })

  it('retries an alert whose marking failed at the next crossing', async () => {
    const ticker = service()
    await ticker.createAlert(alice, { symbol: 'QLFX', direction: 'above', price: 1 })
    const markTriggered = storage.alerts.markTriggered
    storage.alerts.markTriggered = async () => { throw new Error('database is locked') }
    ticker.tick()
    await ticker.settled()
    storage.alerts.markTriggered = markTriggered
    assert.equal(errors.length, 1, 'the failure was logged')
    assert.equal(ticker.pendingAlerts, 1, 'the alert is pending again')
    ticker.tick()
    await ticker.settled()
    assert.equal(notified.length, 1)
  })

  it('logs a failed delivery and keeps ticking', async () => {
    const ticker = service({ notify: async () => { throw new Error('inbox down') } })
    await ticker.createAlert(alice, { symbol: 'QLFX', direction: 'above', price: 1 })
    ticker.tick()
    await ticker.settled()
    assert.equal(errors.length, 1)
    assert.equal(ticker.tick().quotes.length, 3)
  })
})

describe('createTickerService move alerts', () => {
  const STEP_MS = 250
  /** The quotes of `symbol` over `ticks` ticks of a twin service (same seed, same clock steps): the path a test picks thresholds from. */
  const pathOf = (symbol: string, ticks: number) => {
    const start = clock
    const twin = service()
    const quotes = []
    for (let i = 0; i < ticks; i++) {
      clock += STEP_MS
      quotes.push(twin.tick().quotes.find((q) => q.symbol === symbol)!)
    }
    clock = start
    return quotes
  }
  /** Ticks until the alert fires (or `ticks` pass); the 0-based tick it fired on, or -1. */
  const tickUntilNotified = async (ticker: ReturnType<typeof service>, ticks: number) => {
    for (let i = 0; i < ticks; i++) {
      clock += STEP_MS
      ticker.tick()
      await ticker.settled()
      if (notified.length > 0) return i
    }
    return -1
  }

  it('fires a day move at the first trade whose change from the open reaches the percentage, once', async () => {
    const path = pathOf('QLFX', 400)
    const extreme = path.reduce((a, b) => Math.abs(b.changePct) > Math.abs(a.changePct) ? b : a)
    const direction = extreme.changePct > 0 ? 'above' as const : 'below' as const
    const pct = Math.floor(Math.abs(extreme.changePct) * 100) / 100
    assert.ok(pct >= 0.01, `the path moves ${extreme.changePct}%`)
    const expected = path.findIndex((q) => direction === 'above' ? q.changePct >= pct : q.changePct <= -pct)
    assert.ok(expected > 0, 'not at the first tick')

    const ticker = service()
    const alert = await ticker.createAlert(alice, { symbol: 'QLFX', kind: 'day-move', direction, pct })
    assert.deepEqual({ ...alert, id: '' }, { id: '', symbol: 'QLFX', kind: 'day-move', direction, pct, price: 100, createdAt: clock })
    assert.equal(await tickUntilNotified(ticker, 400), expected, 'fired at the first tick that reached it')
    const way = direction === 'above' ? 'up' : 'down'
    assert.deepEqual(notified.map((n) => n.notification.title), [`QLFX ${way} ${pct}% today`])
    assert.match(notified[0]!.notification.body, new RegExp(`traded at ${path[expected]!.price.toFixed(2)}`))
    for (let i = 0; i < 20; i++) ticker.tick()
    await ticker.settled()
    assert.equal(notified.length, 1, 'once')
    const [fired] = await storage.alerts.listFired(alice.id, 5)
    assert.deepEqual(fired, { ...alert, userId: alice.id, firedAt: clock, firedPrice: path[expected]!.price })
  })

  it('fires a move within minutes when a trade is the percentage past the lowest trade of the window, not the day', async () => {
    const MINUTES = 1
    const ticks = 720
    const path = pathOf('QSH.A', ticks)
    const armedAt = clock
    /** The largest rise over the window's lowest trade (5 s buckets, from the later of a minute ago and arming), per tick. */
    const rises = path.map((quote, k) => {
      const ts = armedAt + (k + 1) * STEP_MS
      const from = Math.floor(Math.max(ts - MINUTES * 60_000, armedAt) / 5000) * 5000
      const low = Math.min(...path.slice(0, k + 1).filter((_, j) => armedAt + (j + 1) * STEP_MS >= from).map((q) => q.price))
      return (quote.price / low - 1) * 100
    })
    // A rise reached only after the first minute, so the window (not the day's lows) decides.
    const late = rises.slice(240)
    const pct = Math.floor(Math.max(...late) * 100) / 100
    assert.ok(pct >= 0.01, `the path rises ${Math.max(...late)}% within a minute`)
    const expected = rises.findIndex((rise) => rise >= pct)
    assert.ok(expected > 0)

    const ticker = service()
    await ticker.createAlert(bob, { symbol: 'QSH.A', kind: 'window-move', direction: 'above', pct, minutes: MINUTES })
    assert.equal(await tickUntilNotified(ticker, ticks), expected, `fired at the first tick a trade was ${pct}% over the window's low`)
    assert.deepEqual(notified.map((n) => [n.userId, n.notification.title]), [[bob.id, `QSH.A up ${pct}% in 1 min`]])
    assert.equal(ticker.pendingAlerts, 0)
  })

  it('keeps move alerts across a restart, and forgets a deleted one', async () => {
    const first = service()
    const kept = await first.createAlert(alice, { symbol: 'BKMW', kind: 'window-move', direction: 'below', pct: 50, minutes: 60 })
    const gone = await first.createAlert(alice, { symbol: 'BKMW', kind: 'day-move', direction: 'below', pct: 50 })
    await first.deleteAlert(alice, gone.id)
    await first.close()
    const second = service()
    await second.start()
    assert.equal(second.pendingAlerts, 1)
    assert.deepEqual((await second.listAlerts(alice)).map((a) => a.id), [kept.id])
    await second.close()
  })
})
