import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { Compile } from 'typebox/compile'
import { rooms } from '../../../server/realtime/rooms.ts'
import type { MarketTick } from '../../../server/ticker/market.ts'
import { CandleSchema, QuoteSchema, type Candle, type Quote } from '../../../shared/ticker.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'
import { assertNothing as assertNothingBefore, connect, nextEvent, send } from '../../helpers/sockets.ts'
import { scrapeMetrics } from '../../helpers/metrics.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

const validQuote = Compile(QuoteSchema)
const validCandle = Compile(CandleSchema)

let t: TestApp
let alice: Registered
let bob: Registered
const sockets: Socket[] = []
const tickerAs = async (who?: Registered) => {
  const socket = await connect(t.url, '/ticker', who ? { token: who.token } : {})
  sockets.push(socket)
  return socket
}
const tickerNsp = () => t.app.io.of('/ticker')
/** The socket.io rooms the server has for a client socket. */
const serverRooms = (socket: Socket) => [...tickerNsp().sockets.get(socket.id!)!.rooms]
const setRooms = (socket: Socket) => serverRooms(socket).filter((room) => room.startsWith(rooms.tickerSet('')))
const symbolsOf = (quotes: Quote[]) => quotes.map((q) => q.symbol)
const seqsOf = (quotes: Quote[]) => quotes.map((q) => `${q.symbol}#${q.seq}`)

/** Every `event` a socket receives from now on. */
const record = <T>(socket: Socket, event: string) => {
  const seen: T[] = []
  socket.on(event, (payload: T) => seen.push(payload))
  return seen
}

/** One market step, driven by the test (the app's timer is stopped in `before`). */
const tick = () => t.app.ticker.tick()

/** Ticks until `symbol` trades; the tick that traded it. */
const tickUntilTraded = (symbol: string) => {
  for (let i = 0; i < 100; i++) {
    const step = tick()
    if (step.quotes.some((q) => q.symbol === symbol)) return step
  }
  throw new Error(`${symbol} did not trade in 100 ticks`)
}

/** Asserts that `event` does not arrive on `socket` before a round trip through the server completes. */
const assertNothing = (socket: Socket, event: string) => assertNothingBefore(socket, event, ['ticker:unsubscribe', { symbols: ['NOT.LISTED'] }])

/**
 * Drives `ticks` ticks; after each one, every client gets exactly one `ticker:quotes` holding the
 * changed quotes of its symbols when some changed, and nothing otherwise.
 */
async function driveAndCheck (ticks: number, clients: { socket: Socket, symbols: ReadonlySet<string> | 'all' }[]) {
  const received = clients.map(({ socket }) => record<{ quotes: Quote[] }>(socket, 'ticker:quotes'))
  const expected: Quote[][][] = clients.map(() => [])
  for (let i = 0; i < ticks; i++) {
    const step: MarketTick = tick()
    const arrivals: Promise<unknown>[] = []
    clients.forEach(({ socket, symbols }, c) => {
      const changed = step.quotes.filter((q) => symbols === 'all' || symbols.has(q.symbol))
      if (changed.length === 0) return
      expected[c]!.push(changed)
      arrivals.push(nextEvent(socket, 'ticker:quotes'))
    })
    await Promise.all(arrivals)
  }
  for (const { socket } of clients) await assertNothing(socket, 'ticker:quotes')
  clients.forEach(({ socket }, c) => {
    socket.off('ticker:quotes')
    assert.deepEqual(received[c]!.map((frame) => seqsOf(frame.quotes)), expected[c]!.map(seqsOf),
      `client ${c}: one frame per tick with exactly its changed quotes`)
  })
  return expected
}

before(async () => {
  t = await startApp()
  t.app.ticker.stop()
  ;[alice, bob] = await Promise.all([registerUser(t.url, 'alice'), registerUser(t.url, 'bob')])
})
after(async () => {
  for (const socket of sockets) socket.close()
  await t.close()
})

describe('ticker:subscribe', () => {
  it('answers the snapshot of the asked symbols, then pushes only their changes', async () => {
    const [s, other] = await Promise.all([tickerAs(), tickerAs()])
    const res = await send<{ quotes: Quote[] }>(s, 'ticker:subscribe', { symbols: ['QLFX', 'QSH.A', 'QLFX'] })
    assert.ok(res.ok, JSON.stringify(res))
    assert.deepEqual(symbolsOf(res.data.quotes), ['QLFX', 'QSH.A'])
    for (const quote of res.data.quotes) assert.ok(validQuote.Check(quote), `invalid quote ${JSON.stringify(quote)}`)
    assert.ok((await send(other, 'ticker:subscribe', { symbols: ['NBLM'] })).ok)

    const pushed = await driveAndCheck(8, [
      { socket: s, symbols: new Set(['QLFX', 'QSH.A']) },
      { socket: other, symbols: new Set(['NBLM']) }
    ])
    assert.ok(pushed[0]!.length > 0, 'QLFX or QSH.A traded in 8 ticks')
    // Every pushed quote, of either symbol, is newer than that symbol's quote in the snapshot.
    const snapshotSeq = new Map(res.data.quotes.map((q) => [q.symbol, q.seq]))
    for (const quote of pushed[0]!.flat()) {
      assert.ok(quote.seq > snapshotSeq.get(quote.symbol)!,
        `pushes are newer than the snapshot: ${quote.symbol}#${quote.seq} pushed after ${quote.symbol}#${snapshotSeq.get(quote.symbol)} in the snapshot`)
    }
  })

  it('sends a socket following 20 symbols at most one ticker:quotes per tick, one encoding per distinct set', async () => {
    const twenty = t.app.ticker.symbols().slice(10, 30)
    const [a, b, all] = await Promise.all([tickerAs(), tickerAs(), tickerAs()])
    assert.ok((await send(a, 'ticker:subscribe', { symbols: twenty })).ok)
    assert.ok((await send(b, 'ticker:subscribe', { symbols: [...twenty].reverse() })).ok)
    assert.ok((await send(all, 'ticker:subscribe', { all: true })).ok)
    assert.deepEqual(setRooms(a), setRooms(b), 'the same symbols share a room')
    assert.notDeepEqual(setRooms(a), setRooms(all))

    // Count the broadcasts (each one encoded once) per tick.
    const adapter = tickerNsp().adapter
    const broadcast = adapter.broadcast.bind(adapter)
    const quoteBroadcasts: string[][] = []
    adapter.broadcast = (packet, opts) => {
      if (packet.data?.[0] === 'ticker:quotes') quoteBroadcasts.push([...opts.rooms])
      return broadcast(packet, opts)
    }
    try {
      const ticks = 10
      const before = quoteBroadcasts.length
      const set = new Set(twenty)
      const [toA] = await driveAndCheck(ticks, [{ socket: a, symbols: set }, { socket: b, symbols: set }, { socket: all, symbols: 'all' }])
      assert.ok(toA!.length >= ticks / 2, `expected changes on most ticks, got ${toA!.length} of ${ticks}`)
      const forA = quoteBroadcasts.slice(before).filter((targets) => targets.includes(setRooms(a)[0]!))
      assert.equal(forA.length, toA!.length, 'one broadcast per tick with changes serves both sockets of the set')
    } finally {
      adapter.broadcast = broadcast
    }
  })

  it('times each tick\'s push, from the tick to its last frame, for /metrics', async () => {
    const pushes = async () => {
      const text = await scrapeMetrics(t)
      return Number(/^hubbub_ticker_push_seconds_count (\d+)$/m.exec(text)?.[1])
    }
    const s = await tickerAs()
    assert.ok((await send(s, 'ticker:subscribe', { all: true })).ok)
    const before = await pushes()
    assert.ok(Number.isInteger(before), 'hubbub_ticker_push_seconds is exported')
    await driveAndCheck(3, [{ socket: s, symbols: 'all' }])
    assert.equal(await pushes(), before + 3, 'one observation per tick')
    assert.ok((await send(s, 'ticker:unsubscribe', { all: true })).ok)
  })

  it('adds to a subscription, and unsubscribes symbols or everything', async () => {
    const s = await tickerAs()
    assert.ok((await send(s, 'ticker:subscribe', { symbols: ['QLFX'] })).ok)
    const more = await send<{ quotes: Quote[] }>(s, 'ticker:subscribe', { symbols: ['BYTW', 'NBLM'] })
    assert.ok(more.ok)
    assert.deepEqual(symbolsOf(more.data.quotes), ['BYTW', 'NBLM'], 'the snapshot holds the symbols just asked')
    await driveAndCheck(4, [{ socket: s, symbols: new Set(['QLFX', 'BYTW', 'NBLM']) }])

    assert.deepEqual((await send(s, 'ticker:unsubscribe', { symbols: ['QLFX', 'NBLM'] })), { ok: true, data: {} })
    await driveAndCheck(4, [{ socket: s, symbols: new Set(['BYTW']) }])

    assert.ok((await send(s, 'ticker:unsubscribe', { all: true })).ok)
    assert.deepEqual(setRooms(s), [], 'no set room left')
    for (let i = 0; i < 4; i++) tick()
    await assertNothing(s, 'ticker:quotes')
  })

  it('turns {all: true} into every symbol, and unsubscribing one of them keeps the others', async () => {
    const s = await tickerAs()
    const res = await send<{ quotes: Quote[] }>(s, 'ticker:subscribe', { all: true })
    assert.ok(res.ok)
    assert.deepEqual(symbolsOf(res.data.quotes), t.app.ticker.symbols())
    assert.ok(res.data.quotes.length >= 50, `expected at least 50 symbols, got ${res.data.quotes.length}`)
    assert.ok((await send(s, 'ticker:unsubscribe', { symbols: ['QLFX'] })).ok)
    await driveAndCheck(4, [{ socket: s, symbols: new Set(t.app.ticker.symbols().filter((symbol) => symbol !== 'QLFX')) }])
  })

  it('removes a set\'s room when its last socket leaves or disconnects', async () => {
    const symbols = ['CRMB', 'SNKF', 'PDWT']
    const [a, b] = await Promise.all([tickerAs(), tickerAs()])
    await send(a, 'ticker:subscribe', { symbols })
    await send(b, 'ticker:subscribe', { symbols: [...symbols].reverse() })
    const [room] = setRooms(a)
    assert.equal(tickerNsp().adapter.rooms.get(room!)?.size, 2)
    await send(a, 'ticker:unsubscribe', { all: true })
    assert.equal(tickerNsp().adapter.rooms.get(room!)?.size, 1)
    const gone = new Promise((resolve) => tickerNsp().sockets.get(b.id!)!.once('disconnect', resolve))
    b.close()
    await gone
    assert.equal(tickerNsp().adapter.rooms.has(room!), false, `expected room ${room} removed`)
  })

  it('answers not_found naming an unknown symbol, and subscribes nothing', async () => {
    const s = await tickerAs()
    const res = await send(s, 'ticker:subscribe', { symbols: ['QLFX', 'NOPE'] })
    assert.equal(res.ok, false)
    if (!res.ok) {
      assert.equal(res.error.code, 'not_found')
      assert.match(res.error.message, /NOPE/)
      assert.doesNotMatch(res.error.message, /QLFX/)
    }
    assert.deepEqual(setRooms(s), [])
    tickUntilTraded('QLFX')
    await assertNothing(s, 'ticker:quotes')
  })

  it('answers invalid payloads with invalid_payload', async () => {
    const s = await tickerAs(alice)
    const bad: [string, unknown][] = [
      ['ticker:subscribe', {}],
      ['ticker:subscribe', { symbols: [] }],
      ['ticker:subscribe', { symbols: ['qlfx'] }],
      ['ticker:subscribe', { symbols: ['ABCDEFGHIJK'] }],
      ['ticker:subscribe', { symbols: Array.from({ length: 101 }, () => 'QLFX') }],
      ['ticker:subscribe', { all: false }],
      ['ticker:subscribe', { all: true, symbols: ['QLFX'] }],
      ['ticker:subscribe', { symbols: 'QLFX' }],
      ['ticker:subscribe', null],
      ['ticker:unsubscribe', { symbols: ['QLFX'], extra: 1 }],
      ['ticker:candles', { symbol: 'QLFX', interval: '2m' }],
      ['ticker:candles', { symbol: 'QLFX', interval: '5s', limit: 0 }],
      ['ticker:candles', { symbol: 'QLFX', interval: '5s', limit: 1001 }],
      ['ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: 0 }],
      ['ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: 1e9 }],
      ['ticker:alert-create', { symbol: 'QLFX', direction: 'sideways', price: 10 }],
      ['ticker:alert-create', { symbol: 'QLFX', price: 10 }],
      ['ticker:alert-delete', { id: '' }],
      ['ticker:alert-list', { all: true }]
    ]
    for (const [event, payload] of bad) {
      const res = await send(s, event, payload)
      assert.ok(!res.ok && res.error.code === 'invalid_payload', `expected ${event} ${JSON.stringify(payload)} refused with invalid_payload, got ${JSON.stringify(res)}`)
    }
    assert.deepEqual(setRooms(s), [])
  })
})

describe('ticker:candles', () => {
  it('returns candles oldest first, and pushes the forming candle of the watched series only', async () => {
    const [watcher, other] = await Promise.all([tickerAs(), tickerAs()])
    const res = await send<{ candles: { t: number }[] }>(watcher, 'ticker:candles', { symbol: 'QLFX', interval: '5s', limit: 20 })
    assert.ok(res.ok, JSON.stringify(res))
    const times = res.data.candles.map((c) => c.t)
    assert.equal(times.length, 20, 'the backfilled hour has enough candles')
    assert.deepEqual(times, [...times].sort((x, y) => x - y), 'oldest first')
    assert.equal(new Set(times).size, times.length)
    for (const candle of res.data.candles) assert.ok(validCandle.Check(candle), `invalid candle ${JSON.stringify(candle)}`)
    assert.ok((await send(other, 'ticker:subscribe', { symbols: ['QLFX'] })).ok)

    const pushes = record<unknown>(watcher, 'ticker:candle')
    const step = tickUntilTraded('QLFX')
    const pushed = await nextEvent(watcher, 'ticker:candle')
    const expected = step.candles.find((c) => c.symbol === 'QLFX' && c.interval === '5s')
    assert.deepEqual(pushed, expected)
    await assertNothing(watcher, 'ticker:candle')
    assert.equal(pushes.length, 1, `expected only the 5s candle, got ${JSON.stringify(pushes)}`)
    await assertNothing(other, 'ticker:candle')
  })

  it('pushes both the quotes and the candle of a symbol the socket follows and charts, each tick it trades', async () => {
    const s = await tickerAs()
    assert.ok((await send(s, 'ticker:subscribe', { symbols: ['PKTL'] })).ok)
    assert.ok((await send(s, 'ticker:candles', { symbol: 'PKTL', interval: '1m', limit: 1 })).ok)
    for (let i = 0; i < 3; i++) {
      const quotes = nextEvent(s, 'ticker:quotes')
      const candle = nextEvent(s, 'ticker:candle')
      const step = tickUntilTraded('PKTL')
      assert.deepEqual((await quotes).quotes, step.quotes.filter((q) => q.symbol === 'PKTL'))
      assert.deepEqual(await candle, step.candles.find((c) => c.symbol === 'PKTL' && c.interval === '1m'))
    }
  })

  it('watches one series per socket: the latest ticker:candles', async () => {
    const s = await tickerAs()
    const pushes = record<{ symbol: string, interval: string }>(s, 'ticker:candle')
    for (const request of [{ symbol: 'ZPHR', interval: '5s' }, { symbol: 'ZPHR', interval: '1m' }, { symbol: 'CLDV', interval: '5s' }]) {
      assert.ok((await send(s, 'ticker:candles', request)).ok)
    }
    assert.deepEqual(serverRooms(s).filter((room) => room.startsWith('candles:')), [rooms.tickerCandles('CLDV', '5s')])
    const candle = nextEvent(s, 'ticker:candle')
    tickUntilTraded('CLDV')
    await candle
    for (let i = 0; i < 3; i++) tickUntilTraded('ZPHR')
    await send(s, 'ticker:unsubscribe', { symbols: ['NOT.LISTED'] }) // a round trip: pushes sent before it have arrived
    assert.deepEqual([...new Set(pushes.map((p) => `${p.symbol} ${p.interval}`))], ['CLDV 5s'], 'only the latest series is pushed')
  })

  it('stops the watched series when the socket unsubscribes from everything', async () => {
    const s = await tickerAs()
    assert.ok((await send(s, 'ticker:candles', { symbol: 'ZPHR', interval: '5s' })).ok)
    assert.ok((await send(s, 'ticker:unsubscribe', { all: true })).ok)
    assert.deepEqual(serverRooms(s).filter((room) => room.startsWith('candles:')), [])
    tickUntilTraded('ZPHR')
    await assertNothing(s, 'ticker:candle')
  })

  it('serves ten minutes of sparkline prices from the 5 s candles, without changing what the socket watches', async () => {
    const s = await tickerAs()
    assert.ok((await send(s, 'ticker:candles', { symbol: 'ZPHR', interval: '1m' })).ok)
    const res = await send<{ sparklines: { symbol: string, start: number, step: number, prices: number[] }[] }>(s, 'ticker:sparklines', { symbols: ['QLFX', 'PKTL'] })
    assert.ok(res.ok, JSON.stringify(res))
    assert.deepEqual(res.data.sparklines.map((line) => line.symbol), ['QLFX', 'PKTL'])
    for (const line of res.data.sparklines) {
      const candles = t.app.ticker.candles(line.symbol, '5s', 120)
      assert.equal(line.step, 5000)
      assert.equal(line.start, candles[0]!.t)
      assert.equal(line.prices.length, (candles.at(-1)!.t - line.start) / 5000 + 1, 'one price per 5 s step, quiet steps filled')
      assert.equal(line.prices.at(-1), candles.at(-1)!.close)
      assert.ok(line.prices.every((price) => price > 0))
    }
    assert.deepEqual(serverRooms(s).filter((room) => room.startsWith('candles:')), [rooms.tickerCandles('ZPHR', '1m')])
    const all = await send<{ sparklines: unknown[] }>(s, 'ticker:sparklines', { all: true })
    assert.ok(all.ok && all.data.sparklines.length === t.app.ticker.symbols().length)
    const unknown = await send(s, 'ticker:sparklines', { symbols: ['NOPE'] })
    assert.ok(!unknown.ok && unknown.error.code === 'not_found')
  })

  it('serves and pushes every interval, the coarse ones days deep, to each socket watching that series', async () => {
    const [hourly, quarter] = [await tickerAs(), await tickerAs()]
    for (const interval of ['5m', '15m', '1h'] as const) {
      const res = await send<{ candles: Candle[] }>(hourly, 'ticker:candles', { symbol: 'PKTL', interval, limit: 1000 })
      assert.ok(res.ok, JSON.stringify(res))
      assert.deepEqual(res.data.candles, t.app.ticker.candles('PKTL', interval, 1000))
    }
    const hours = await send<{ candles: Candle[] }>(hourly, 'ticker:candles', { symbol: 'PKTL', interval: '1h' })
    assert.ok(hours.ok && hours.data.candles.length > 24 * 3, `${hours.ok && hours.data.candles.length} 1h candles`)
    assert.ok((await send(quarter, 'ticker:candles', { symbol: 'PKTL', interval: '15m' })).ok)
    const pushedHour = nextEvent(hourly, 'ticker:candle')
    const pushedQuarter = nextEvent(quarter, 'ticker:candle')
    const step = tickUntilTraded('PKTL')
    assert.deepEqual(await pushedHour, step.candles.find((c) => c.symbol === 'PKTL' && c.interval === '1h'))
    assert.deepEqual(await pushedQuarter, step.candles.find((c) => c.symbol === 'PKTL' && c.interval === '15m'))
  })

  it('answers a comparison (watch: false) without changing the series the socket watches', async () => {
    const s = await tickerAs()
    assert.ok((await send(s, 'ticker:candles', { symbol: 'ZPHR', interval: '1h' })).ok)
    const other = await send<{ candles: Candle[] }>(s, 'ticker:candles', { symbol: 'QLFX', interval: '1h', watch: false })
    assert.ok(other.ok && other.data.candles.length > 0, JSON.stringify(other).slice(0, 200))
    assert.deepEqual(serverRooms(s).filter((room) => room.startsWith('candles:')), [rooms.tickerCandles('ZPHR', '1h')])
  })

  it('answers not_found for an unknown symbol', async () => {
    const res = await send(await tickerAs(), 'ticker:candles', { symbol: 'NOPE', interval: '1m' })
    assert.ok(!res.ok && res.error.code === 'not_found', JSON.stringify(res))
  })
})

describe('price alerts', () => {
  it('are refused to anonymous viewers with unauthorized', async () => {
    const s = await tickerAs()
    for (const [event, payload] of [
      ['ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: 10 }],
      ['ticker:alert-list', {}],
      ['ticker:alert-delete', { id: 'whatever' }]
    ] as const) {
      const res = await send(s, event, payload)
      assert.ok(!res.ok && res.error.code === 'unauthorized', `expected ${event} unauthorized, got ${JSON.stringify(res)}`)
    }
  })

  it('fire once when crossed, as a price-alert notification', async () => {
    const [s, inbox] = await Promise.all([tickerAs(alice), connect(t.url, '/notifications', { token: alice.token })])
    sockets.push(inbox)
    const notifications = record<{ notification: { kind: string, title: string, url: string } }>(inbox, 'notification:new')
    const price = t.app.ticker.quotes(['QLFX'])[0]!.price
    // Well below the price: the next trade crosses it. The far one must not fire.
    const threshold = Math.round(price * 80) / 100
    const created = await send(s, 'ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: threshold })
    assert.ok(created.ok, JSON.stringify(created))
    assert.deepEqual({ ...created.data.alert, id: 'x', createdAt: 0 }, { id: 'x', symbol: 'QLFX', direction: 'above', price: threshold, createdAt: 0 })
    const far = await send(s, 'ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: price * 100 })
    assert.ok(far.ok)

    const arrived = nextEvent(inbox, 'notification:new')
    tickUntilTraded('QLFX')
    const { notification } = await arrived
    assert.equal(notification.kind, 'price-alert')
    assert.equal(notification.title, `QLFX above ${threshold.toFixed(2)}`)
    assert.equal(notification.url, '/market/QLFX')

    for (let i = 0; i < 3; i++) tickUntilTraded('QLFX')
    await t.app.ticker.settled()
    const list = await send(s, 'ticker:alert-list', {})
    assert.ok(list.ok)
    assert.deepEqual(list.data.alerts.map((a: { id: string }) => a.id), [far.data.alert.id], 'only the far alert is pending')
    const stored = await api(t.url, 'GET', '/api/notifications', { token: alice.token })
    const alerts = stored.body.notifications.filter((n: { kind: string }) => n.kind === 'price-alert')
    assert.equal(alerts.length, 1, `expected one price-alert stored, got ${JSON.stringify(alerts)}`)
    assert.equal(notifications.length, 1, `expected one notification:new, got ${JSON.stringify(notifications)}`)
  })

  it('fire for a user who is offline: the notification waits in their inbox', async () => {
    const carol = await registerUser(t.url, 'carol')
    const s = await tickerAs(carol)
    const price = t.app.ticker.quotes(['NBLM'])[0]!.price
    const created = await send(s, 'ticker:alert-create', { symbol: 'NBLM', direction: 'below', price: Math.round(price * 120) / 100 })
    assert.ok(created.ok)
    s.close()
    tickUntilTraded('NBLM')
    await t.app.ticker.settled()
    const stored = await api(t.url, 'GET', '/api/notifications', { token: carol.token })
    assert.deepEqual(stored.body.notifications.map((n: { kind: string, title: string }) => `${n.kind}: ${n.title}`),
      [`price-alert: NBLM below ${(Math.round(price * 120) / 100).toFixed(2)}`])
  })

  it('are listed and deleted by their owner only', async () => {
    const [a, b] = await Promise.all([tickerAs(alice), tickerAs(bob)])
    const created = await send(a, 'ticker:alert-create', { symbol: 'QSH.B', direction: 'below', price: 0.01 })
    assert.ok(created.ok)
    const id = created.data.alert.id
    const theirs = await send(b, 'ticker:alert-delete', { id })
    assert.ok(!theirs.ok && theirs.error.code === 'not_found', `expected not_found, got ${JSON.stringify(theirs)}`)
    const listed = await send(b, 'ticker:alert-list', {})
    assert.ok(listed.ok && !listed.data.alerts.some((x: { id: string }) => x.id === id), 'bob does not see alice\'s alert')
    assert.deepEqual(await send(a, 'ticker:alert-delete', { id }), { ok: true, data: {} })
    const after = await send(a, 'ticker:alert-list', {})
    assert.ok(after.ok && !after.data.alerts.some((x: { id: string }) => x.id === id))
  })
})

describe('GET /api/ticker/quotes', () => {
  it('serves the snapshot without sign-in, for every symbol or those asked', async () => {
    const all = await api(t.url, 'GET', '/api/ticker/quotes')
    assert.equal(all.status, 200)
    assert.deepEqual(symbolsOf(all.body.quotes), t.app.ticker.symbols())
    for (const quote of all.body.quotes) assert.ok(validQuote.Check(quote), `invalid quote ${JSON.stringify(quote)}`)
    const some = await api(t.url, 'GET', '/api/ticker/quotes?symbols=QSH.A,QLFX')
    assert.equal(some.status, 200)
    assert.deepEqual(symbolsOf(some.body.quotes), ['QSH.A', 'QLFX'])
  })

  it('answers 404 for an unknown symbol and 400 for a malformed list', async () => {
    const unknown = assertHttpError(await api(t.url, 'GET', '/api/ticker/quotes?symbols=QLFX,NOPE'), 404, 'not_found')
    assert.match(unknown.message, /NOPE/)
    assertHttpError(await api(t.url, 'GET', '/api/ticker/quotes?symbols=qlfx'), 400, 'invalid_payload')
    assertHttpError(await api(t.url, 'GET', '/api/ticker/quotes?symbols=QLFX,,BYTW'), 400, 'invalid_payload')
  })
})
