import { createHash } from 'node:crypto'
import type { Quote } from '../../../shared/ticker.ts'

/** The key of the set that holds every listed symbol. */
export const ALL_KEY = 'all'

/**
 * The key of a set of symbols: the same set always gets the same key, in any order and on any
 * node (a hash, not a counter), so sockets that follow the same symbols share one room.
 */
export const setKey = (symbols: ReadonlySet<string>, listed: number) => symbols.size === listed
  ? ALL_KEY
  : createHash('sha256').update([...symbols].sort().join(',')).digest('base64url').slice(0, 22)

interface SubscriptionSet {
  key: string
  room: string
  symbols: ReadonlySet<string>
  members: number
}

/** One broadcast of a tick: the changed quotes that one room of sockets follows. */
export interface QuoteRoute {
  room: string
  quotes: Quote[]
}

export interface SubscriptionSetsOptions {
  /** How many symbols are listed: a set of all of them is the `all` set. */
  listed: number
  /** The socket.io room of a set key. */
  roomOf: (key: string) => string
}

/**
 * Which sockets follow which symbols, grouped by identical subscription sets: each distinct set is
 * one room, so a tick costs one encoded frame per distinct set that changed, however many sockets
 * share it, and each socket gets at most one frame per tick. Pure bookkeeping: the caller joins
 * and leaves the rooms it is told to. Symbols must already be known (the caller checks them).
 */
export const createSubscriptionSets = ({ listed, roomOf }: SubscriptionSetsOptions) => {
  const sets = new Map<string, SubscriptionSet>()
  /** symbol -> the sets (other than `all`) that contain it, so routing a tick costs its output. */
  const bySymbol = new Map<string, Set<SubscriptionSet>>()
  const ofSocket = new Map<string, SubscriptionSet>()
  const none: ReadonlySet<string> = new Set()

  const enter = (key: string, symbols: ReadonlySet<string>) => {
    let set = sets.get(key)
    if (set === undefined) {
      set = { key, room: roomOf(key), symbols, members: 0 }
      sets.set(key, set)
      if (key !== ALL_KEY) {
        for (const symbol of symbols) {
          let holders = bySymbol.get(symbol)
          if (holders === undefined) bySymbol.set(symbol, holders = new Set())
          holders.add(set)
        }
      }
    }
    set.members++
    return set
  }

  const exit = (set: SubscriptionSet) => {
    if (--set.members > 0) return
    sets.delete(set.key)
    for (const symbol of set.symbols) {
      const holders = bySymbol.get(symbol)
      holders?.delete(set)
      if (holders?.size === 0) bySymbol.delete(symbol)
    }
  }

  /** Removes a socket (it unsubscribed from everything or went away); the room it must leave, if any. */
  const remove = (socketId: string): string | null => {
    const set = ofSocket.get(socketId)
    if (set === undefined) return null
    ofSocket.delete(socketId)
    exit(set)
    return set.room
  }

  return {
    /** The symbols a socket follows now (empty when none). */
    symbolsOf: (socketId: string): ReadonlySet<string> => ofSocket.get(socketId)?.symbols ?? none,

    /**
     * Makes `symbols` the socket's whole subscription; says which room to leave and which to join
     * (both null when the set did not change, `join` null when it is now empty).
     */
    assign (socketId: string, symbols: Iterable<string>): { leave: string | null, join: string | null } {
      const next = new Set(symbols)
      const key = next.size === 0 ? null : setKey(next, listed)
      if (ofSocket.get(socketId)?.key === key) return { leave: null, join: null }
      const leave = remove(socketId)
      if (key === null) return { leave, join: null }
      const set = enter(key, next)
      ofSocket.set(socketId, set)
      return { leave, join: set.room }
    },

    remove,

    /** The broadcasts of one tick: per set with changes, its changed quotes (in tick order). */
    route (quotes: readonly Quote[]): QuoteRoute[] {
      const routes = new Map<SubscriptionSet, Quote[]>()
      for (const quote of quotes) {
        const holders = bySymbol.get(quote.symbol)
        if (holders === undefined) continue
        for (const set of holders) {
          const list = routes.get(set)
          if (list === undefined) routes.set(set, [quote])
          else list.push(quote)
        }
      }
      const result = [...routes].map(([set, changed]) => ({ room: set.room, quotes: changed }))
      const all = sets.get(ALL_KEY)
      if (all !== undefined && quotes.length > 0) result.push({ room: all.room, quotes: [...quotes] })
      return result
    },

    /** Distinct sets in use. */
    get size () { return sets.size },
    /** Sockets that follow something. */
    get sockets () { return ofSocket.size }
  }
}

export type SubscriptionSets = ReturnType<typeof createSubscriptionSets>
