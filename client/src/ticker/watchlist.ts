import { signal } from '@preact/signals'
import { MAX_SYMBOLS_PER_CALL, SYMBOL_PATTERN } from '../../../shared/ticker.ts'

/** What the board remembers per user and browser. */
export interface WatchlistData {
  symbols: string[]
  /** The "Watchlist only" toggle. */
  only: boolean
}

/** A watchlist never needs more entries than one subscribe call may carry. */
export const MAX_WATCHLIST = MAX_SYMBOLS_PER_CALL

const symbolPattern = new RegExp(SYMBOL_PATTERN)

export const watchlistKey = (userId: string) => `hubbub.watchlist.${userId}`

/**
 * Reads what was stored, forgiving anything odd (an edited value, an older format: a bare array):
 * unknown shapes give an empty list, invalid or repeated symbols are dropped.
 */
export const parseWatchlist = (raw: string | null): WatchlistData => {
  let value: unknown
  try {
    value = raw === null ? null : JSON.parse(raw)
  } catch {
    value = null
  }
  const list: unknown = Array.isArray(value) ? value : (value as { symbols?: unknown } | null)?.symbols
  const only = !Array.isArray(value) && (value as { only?: unknown } | null)?.only === true
  const symbols = Array.isArray(list)
    ? [...new Set(list.filter((item): item is string => typeof item === 'string' && item.length <= 10 && symbolPattern.test(item)))]
    : []
  return { symbols: symbols.slice(0, MAX_WATCHLIST), only }
}

export const serializeWatchlist = (data: WatchlistData) => JSON.stringify({ symbols: data.symbols, only: data.only })

/** Adds the symbol if missing, removes it if present; a full list adds nothing. */
export const toggleSymbol = (symbols: readonly string[], symbol: string): string[] => {
  if (symbols.includes(symbol)) return symbols.filter((item) => item !== symbol)
  return symbols.length >= MAX_WATCHLIST ? [...symbols] : [...symbols, symbol]
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>

/**
 * The starred symbols and the "Watchlist only" toggle as signals, saved to `storage` under `key`
 * on every change. Storage may be missing or refuse writes (private windows, full quota): the
 * list then lives for the page only.
 */
export const createWatchlist = (storage: KeyValueStorage | null) => {
  let key: string | null = null
  const initial: WatchlistData = { symbols: [], only: false }
  const data = signal<WatchlistData>(initial)
  const starred = signal<ReadonlySet<string>>(new Set())

  const set = (next: WatchlistData, save: boolean) => {
    data.value = next
    starred.value = new Set(next.symbols)
    if (!save || key === null) return
    try {
      storage?.setItem(key, serializeWatchlist(next))
    } catch {
      // Not saved; still works for this page.
    }
  }

  const read = () => {
    if (key === null) return initial
    try {
      return parseWatchlist(storage?.getItem(key) ?? null)
    } catch {
      return initial
    }
  }

  return {
    data,
    starred,
    /** Switches to the list stored under `nextKey` (a user's own), or to none. */
    use (nextKey: string | null) {
      if (nextKey === key) return
      key = nextKey
      set(read(), false)
    },
    /** Re-reads storage, e.g. after another tab changed it. */
    reload () {
      set(read(), false)
    },
    get key () { return key },
    toggle (symbol: string) {
      set({ ...data.peek(), symbols: toggleSymbol(data.peek().symbols, symbol) }, true)
    },
    setOnly (only: boolean) {
      set({ ...data.peek(), only }, true)
    }
  }
}

export type Watchlist = ReturnType<typeof createWatchlist>
