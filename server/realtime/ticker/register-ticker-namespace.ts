import { tickerCommands, type CandleUpdate, type tickerPushes } from '../../../shared/ticker.ts'
import { AppError } from '../../errors.ts'
import type { TickerService } from '../../ticker/create-ticker-service.ts'
import type { WatchlistService } from '../../ticker/create-watchlist-service.ts'
import { createDispatcher, defineHandler, type BindContext, type Handlers } from '../define-handler.ts'
import { rooms } from '../rooms.ts'
import type { TypedNamespace, TypedSocket } from '../types.ts'
import { createSubscriptionSets, type SubscriptionSets } from './subscription-sets.ts'

export type TickerNamespace = TypedNamespace<typeof tickerCommands, typeof tickerPushes>
type TickerSocket = TypedSocket<typeof tickerCommands, typeof tickerPushes>

const signedIn = (socket: TickerSocket, what = 'price alerts') => {
  if (!socket.data.user) throw new AppError('unauthorized', `Sign in to use ${what}.`)
  return socket.data.user
}
const listOwner = (socket: TickerSocket) => signedIn(socket, 'watchlists')

/**
 * The candle series each socket watches (one: its latest `ticker:candles`), and how many sockets
 * watch each series. One, because volatile frames to one connection in one tick would drop each
 * other: a second watched series would never get its pushes.
 */
const createCandleWatches = () => {
  const bySocket = new Map<string, string>()
  const watchers = new Map<string, number>()
  const drop = (socketId: string) => {
    const room = bySocket.get(socketId)
    if (room === undefined) return undefined
    bySocket.delete(socketId)
    const left = watchers.get(room)! - 1
    if (left > 0) watchers.set(room, left)
    else watchers.delete(room)
    return room
  }
  return {
    /** Makes `room` the socket's watched series; returns the room it no longer watches, if any. */
    watch (socketId: string, room: string): string | undefined {
      if (bySocket.get(socketId) === room) return undefined
      const previous = drop(socketId)
      bySocket.set(socketId, room)
      watchers.set(room, (watchers.get(room) ?? 0) + 1)
      return previous
    },
    forget: drop,
    watched: (room: string) => watchers.has(room)
  }
}

function tickerHandlers (ticker: TickerService, watchlists: WatchlistService, sets: SubscriptionSets, watches: ReturnType<typeof createCandleWatches>): Handlers<typeof tickerCommands, TickerSocket> {
  const c = tickerCommands

  /** Moves a socket to the room of its new subscription set. */
  const follow = (socket: TickerSocket, symbols: Iterable<string>) => {
    const { leave, join } = sets.assign(socket.id, symbols)
    if (leave !== null) socket.leave(leave)
    if (join !== null) socket.join(join)
  }

  return {
    'ticker:subscribe': defineHandler(c['ticker:subscribe'], (payload, socket) => {
      const asked = 'all' in payload ? ticker.symbols() : payload.symbols
      // Throws not_found for an unknown symbol before anything is subscribed.
      const quotes = ticker.quotes(asked)
      follow(socket, [...sets.symbolsOf(socket.id), ...asked])
      return { quotes }
    }),
    'ticker:unsubscribe': defineHandler(c['ticker:unsubscribe'], (payload, socket) => {
      if ('all' in payload) {
        follow(socket, [])
        // Leaving the market altogether also ends the watched candle series.
        const watched = watches.forget(socket.id)
        if (watched !== undefined) socket.leave(watched)
      } else {
        const dropped = new Set(payload.symbols)
        follow(socket, [...sets.symbolsOf(socket.id)].filter((symbol) => !dropped.has(symbol)))
      }
      return {}
    }),
    'ticker:sparklines': defineHandler(c['ticker:sparklines'], (payload) =>
      ({ sparklines: ticker.sparklines('all' in payload ? ticker.symbols() : payload.symbols) })),
    'ticker:candles': defineHandler(c['ticker:candles'], ({ symbol, interval, limit, watch }, socket) => {
      const candles = ticker.candles(symbol, interval, limit)
      // A comparison line: the answer alone, the chart's own series still pushed.
      if (watch === false) return { candles }
      const room = rooms.tickerCandles(symbol, interval)
      const previous = watches.watch(socket.id, room)
      if (previous !== undefined) socket.leave(previous)
      socket.join(room)
      return { candles }
    }),
    'ticker:alert-create': defineHandler(c['ticker:alert-create'], async (payload, socket) =>
      ({ alert: await ticker.createAlert(signedIn(socket), payload) })),
    'ticker:alert-list': defineHandler(c['ticker:alert-list'], async (_payload, socket) =>
      ({ alerts: await ticker.listAlerts(signedIn(socket)) })),
    'ticker:alert-delete': defineHandler(c['ticker:alert-delete'], async ({ id }, socket) => {
      await ticker.deleteAlert(signedIn(socket), id)
      return {}
    }),
    'ticker:alert-fired': defineHandler(c['ticker:alert-fired'], async (_payload, socket) =>
      ({ alerts: await ticker.listFiredAlerts(signedIn(socket)) })),
    'ticker:alert-rearm': defineHandler(c['ticker:alert-rearm'], async ({ id }, socket) =>
      ({ alert: await ticker.rearmAlert(signedIn(socket), id) })),
    'ticker:watchlist-list': defineHandler(c['ticker:watchlist-list'], async (_payload, socket) =>
      watchlists.list(listOwner(socket))),
    'ticker:watchlist-create': defineHandler(c['ticker:watchlist-create'], async (payload, socket) =>
      ({ list: await watchlists.create(listOwner(socket), payload) })),
    'ticker:watchlist-update': defineHandler(c['ticker:watchlist-update'], async (payload, socket) =>
      ({ list: await watchlists.update(listOwner(socket), payload) })),
    'ticker:watchlist-delete': defineHandler(c['ticker:watchlist-delete'], async ({ id }, socket) => {
      await watchlists.delete(listOwner(socket), id)
      return {}
    }),
    'ticker:watchlist-move': defineHandler(c['ticker:watchlist-move'], async ({ id, index }, socket) => {
      await watchlists.move(listOwner(socket), id, index)
      return {}
    }),
    'ticker:watchlist-import': defineHandler(c['ticker:watchlist-import'], async ({ symbols }, socket) =>
      ({ list: await watchlists.importSymbols(listOwner(socket), symbols) }))
  }
}

/**
 * The /ticker namespace: subscriptions, candles and alerts in; per tick, one volatile
 * `ticker:quotes` frame per distinct subscription set that changed (so each socket gets at most
 * one, and sockets following the same symbols share one encoding), and half a tick later
 * `ticker:candle` to the sockets watching a candle series that updated.
 */
export function registerTickerNamespace (nsp: TickerNamespace, { ticker, watchlists, context, onPushed }: {
  ticker: TickerService
  watchlists: WatchlistService
  context: BindContext
  /** Called with a tick's timestamp once its last quotes frame went out. */
  onPushed?: (ts: number) => void
}) {
  const sets = createSubscriptionSets({ listed: ticker.symbols().length, roomOf: rooms.tickerSet })
  const watches = createCandleWatches()
  const dispatch = createDispatcher(tickerHandlers(ticker, watchlists, sets, watches), context)

  // Only this node's sockets: the subscription sets are this node's bookkeeping, and a tick of
  // this node's market must not reach sockets of other nodes through a cluster adapter.
  const local = nsp.local
  // Socket.IO drops a volatile frame while the connection is still sending the previous one (over
  // long-polling: until the client polls again), and this tick's quotes frame is being sent now.
  // So candles go out half a tick later; a client too slow to have taken the quotes by then
  // misses this candle, which is what volatile means.
  const candleTimers = new Set<ReturnType<typeof setTimeout>>()
  const pushCandles = (updates: CandleUpdate[]) => {
    const timer = setTimeout(() => {
      candleTimers.delete(timer)
      for (const update of updates) local.to(rooms.tickerCandles(update.symbol, update.interval)).volatile.emit('ticker:candle', update)
    }, ticker.tickMs / 2)
    timer.unref()
    candleTimers.add(timer)
  }

  const stop = ticker.onTick(({ ts, quotes, candles }) => {
    // One synchronous pass: the writes complete in the kernel as they are made. Sending in slices
    // (yielding between 256 or 1,024 broadcasts) was measured with 5,000 distinct sets: event-loop
    // delay p99 fell from 100 to about 40 ms, but the tick latency's p99 rose from 124-139 ms to
    // 135-245 ms, as other work then ran inside the tick.
    for (const route of sets.route(quotes)) local.to(route.room).volatile.emit('ticker:quotes', { quotes: route.quotes })
    onPushed?.(ts)
    const watched = candles.filter((update) => watches.watched(rooms.tickerCandles(update.symbol, update.interval)))
    if (watched.length > 0) pushCandles(watched)
  })

  nsp.on('connection', (socket) => {
    socket.onAny(dispatch)
    socket.on('disconnect', () => {
      sets.remove(socket.id)
      watches.forget(socket.id)
    })
  })

  return {
    /** Stops pushing, pending candle pushes included. */
    close () {
      stop()
      for (const timer of candleTimers) clearTimeout(timer)
      candleTimers.clear()
    }
  }
}
