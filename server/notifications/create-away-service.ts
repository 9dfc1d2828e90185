import type { User } from '../../shared/auth.ts'
import { AWAY_ITEMS_MAX, AWAY_MAX_MS, AWAY_SNIPPET_MAX, type AwayMover, type AwayRoom, type AwaySummary } from '../../shared/notifications.ts'
import { IntervalMs, Intervals, MAX_FIRED_ALERTS, type Alert, type Candle, type Interval, type Quote } from '../../shared/ticker.ts'
import { takeOrRefuse } from '../rate-limit/take-or-refuse.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import type { Storage } from '../storage/types.ts'

/** What the summary needs of the market: this node's copy of it (the leader's or a replica). */
export interface AwayPrices {
  quotes (symbols: readonly string[]): Quote[]
  candles (symbol: string, interval: Interval): Candle[]
  isListed (symbol: string): boolean
}

/** Notifications read per summary: the newest page, of which those since count. */
const INBOX_PAGE = 100

/**
 * The price at `at` from the finest candles that reach back that far: the open of the candle it
 * falls in (or the close of the last one before it); the oldest known price when none reaches back.
 */
export const priceAt = (candlesOf: (interval: Interval) => Candle[], at: number): number | null => {
  let oldest: Candle | undefined
  for (const interval of Intervals) {
    const candles = candlesOf(interval)
    const first = candles[0]
    if (!first) continue
    if (!oldest || first.t < oldest.t) oldest = first
    if (first.t > at) continue
    // The last candle starting at or before `at` (oldest first, so a binary search).
    let low = 0
    let high = candles.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (candles[mid]!.t <= at) low = mid
      else high = mid - 1
    }
    const candle = candles[low]!
    return at < candle.t + IntervalMs[interval] ? candle.open : candle.close
  }
  return oldest?.open ?? null
}

const snippet = (text: string) => text.length <= AWAY_SNIPPET_MAX ? text : `${text.slice(0, AWAY_SNIPPET_MAX - 1)}…`

/**
 * "While you were away": what happened in the user's rooms, inbox, alerts and watchlists since a
 * time the client gives (clamped to the last 7 days). Everything is read from the shared database,
 * prices from this node's market, so any node of a cluster answers the same.
 */
export function createAwayService ({ storage, prices, limiter, now = Date.now }: { storage: Storage, prices: AwayPrices, limiter: RateLimiter, now?: () => number }) {
  /** The user's unread rooms (members only), most unread first, each with its first unread message. */
  const unreadRooms = async (userId: string): Promise<AwayRoom[]> => {
    const rooms = (await storage.chat.listRooms(userId))
      .filter((room) => room.member && room.unread > 0)
      .sort((a, b) => b.unread - a.unread || b.lastSeq - a.lastSeq)
      .slice(0, AWAY_ITEMS_MAX)
    return Promise.all(rooms.map(async (room) => {
      // A few, for the first that the room's timeline shows (not a reply kept in its thread, not deleted).
      const { messages } = await storage.chat.messagesAfter(room.id, room.lastReadSeq, 5)
      const first = messages.find((message) => !message.deleted && (!message.threadRootId || message.alsoInRoom))
      return {
        roomId: room.id,
        name: room.name,
        visibility: room.visibility,
        unread: room.unread,
        firstUnreadSeq: first?.seq ?? room.lastReadSeq + 1,
        first: first ? { author: first.author.username, text: snippet(first.text), createdAt: first.createdAt } : null
      }
    }))
  }

  /** The symbols of all the user's watchlists, by the size of their move since `since`. */
  const movers = async (userId: string, since: number): Promise<AwayMover[]> => {
    const { lists } = await storage.watchlists.list(userId)
    const symbols = [...new Set(lists.flatMap((list) => list.symbols))].filter((symbol) => prices.isListed(symbol))
    if (symbols.length === 0) return []
    const moved: AwayMover[] = []
    for (const quote of prices.quotes(symbols)) {
      const from = priceAt((interval) => prices.candles(quote.symbol, interval), since)
      if (from === null || from <= 0) continue
      moved.push({ symbol: quote.symbol, name: quote.name, from, to: quote.price, changePct: ((quote.price - from) / from) * 100 })
    }
    return moved.sort((a, b) => Math.abs(b.changePct) - Math.abs(a.changePct)).slice(0, AWAY_ITEMS_MAX)
  }

  return {
    async summary (user: User, { since: asked }: { since: number }): Promise<AwaySummary> {
      await takeOrRefuse(limiter, user.id, 'You asked what happened too often.')
      const until = now()
      const since = Math.min(until, Math.max(asked, until - AWAY_MAX_MS))
      const [rooms, inbox, fired, moved] = await Promise.all([
        unreadRooms(user.id),
        storage.notifications.list(user.id, undefined, INBOX_PAGE),
        storage.alerts.listFired(user.id, MAX_FIRED_ALERTS),
        movers(user.id, since)
      ])
      const recent = inbox.notifications.filter((notification) => notification.createdAt >= since)
      const alerts: Alert[] = fired
        .filter((alert) => (alert.firedAt ?? 0) >= since)
        .slice(0, AWAY_ITEMS_MAX)
        .map(({ userId: _owner, ...alert }) => alert)
      return {
        since,
        until,
        rooms,
        mentions: recent.filter((notification) => notification.kind === 'mention' || notification.kind === 'dm').slice(0, AWAY_ITEMS_MAX),
        threads: recent.filter((notification) => notification.kind === 'thread').slice(0, AWAY_ITEMS_MAX),
        alerts,
        movers: moved
      }
    }
  }
}

export type AwayService = ReturnType<typeof createAwayService>
