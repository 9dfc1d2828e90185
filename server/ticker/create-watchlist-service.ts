import type { User } from '../../shared/auth.ts'
import { MAX_WATCHLIST_SYMBOLS, MAX_WATCHLISTS, type TickerPushes, type Watchlist, type WatchlistUpdate, type Watchlists } from '../../shared/ticker.ts'
import { AppError } from '../errors.ts'
import type { Publisher } from '../realtime/publisher.ts'
import type { Storage } from '../storage/types.ts'

export interface WatchlistServiceDeps {
  storage: Pick<Storage, 'watchlists'>
  /** Every user's sockets (every tab, every node) get the lists after each change. */
  publish: Pick<Publisher<TickerPushes>, 'emit'>
  /** Throws `not_found` naming symbols that are not listed. */
  assertListed: (symbols: readonly string[]) => void
  /** Whether a symbol is listed (an import skips the others). */
  isListed: (symbol: string) => boolean
  now?: () => number
}

/** The name of the list an import makes when the user has none. */
export const IMPORTED_LIST_NAME = 'Watchlist'

/**
 * Watchlists saved to the account. Each change is stored first, then all of the user's lists go
 * to all of the user's sockets with the user's change number (`rev`), so tabs and devices that
 * get pushes out of order keep the newest. A change names the version of the list it was made
 * on: one made on an older version is refused (`conflict`), the client reads and redoes it.
 */
export function createWatchlistService ({ storage, publish, assertListed, isListed, now = Date.now }: WatchlistServiceDeps) {
  const store = storage.watchlists

  const pushLists = async (userId: string) => {
    publish.emit({ user: userId }, 'ticker:watchlists', await store.list(userId))
  }

  return {
    list: (user: User): Promise<Watchlists> => store.list(user.id),

    async create (user: User, { name, symbols = [] }: { name: string, symbols?: string[] | undefined }): Promise<Watchlist> {
      assertListed(symbols)
      const { list } = await store.create({ userId: user.id, name, symbols, now: now(), maxLists: MAX_WATCHLISTS })
      await pushLists(user.id)
      return list
    },

    async update (user: User, { id, version, name, symbols }: WatchlistUpdate): Promise<Watchlist> {
      if (symbols !== undefined) assertListed(symbols)
      const { list } = await store.update({ userId: user.id, id, version, name, symbols })
      await pushLists(user.id)
      return list
    },

    async delete (user: User, id: string) {
      if (await store.delete(user.id, id) === null) throw new AppError('not_found', 'No such watchlist.')
      await pushLists(user.id)
    },

    async move (user: User, id: string, index: number) {
      if (await store.move(user.id, id, index) === null) throw new AppError('not_found', 'No such watchlist.')
      await pushLists(user.id)
    },

    /** Merges symbols kept in a browser into the first list; the same import again changes nothing. */
    async importSymbols (user: User, symbols: string[]): Promise<Watchlist> {
      const before = await store.list(user.id)
      const { list, rev } = await store.merge({ userId: user.id, name: IMPORTED_LIST_NAME, symbols: symbols.filter(isListed), now: now(), maxSymbols: MAX_WATCHLIST_SYMBOLS })
      if (rev !== before.rev) await pushLists(user.id)
      return list
    }
  }
}

export type WatchlistService = ReturnType<typeof createWatchlistService>
