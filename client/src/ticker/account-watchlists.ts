import type { Watchlist, Watchlists } from '../../../shared/ticker.ts'

/**
 * The lists a client holds after `incoming` (a push or an answer): kept when older than what it
 * holds (a lower rev: pushes may arrive out of order, across nodes), and a list it holds in a newer
 * version (from an ack that came first) stays as it is.
 */
export const mergeWatchlists = (current: Watchlists | null, incoming: Watchlists): Watchlists => {
  if (current === null) return incoming
  if (incoming.rev < current.rev) return current
  const held = new Map(current.lists.map((list) => [list.id, list]))
  return {
    rev: incoming.rev,
    lists: incoming.lists.map((list) => {
      const mine = held.get(list.id)
      return mine !== undefined && mine.version > list.version ? mine : list
    })
  }
}

/** `lists` with `list` in place of its older version (an ack), unless a newer one is held. */
export const withList = (current: Watchlists | null, list: Watchlist): Watchlists => {
  const lists = current?.lists ?? []
  const at = lists.findIndex((item) => item.id === list.id)
  if (at === -1) return { rev: current?.rev ?? 0, lists: [...lists, list] }
  if (lists[at]!.version >= list.version) return current!
  return { rev: current!.rev, lists: lists.map((item, i) => (i === at ? list : item)) }
}

/** The items with the one at `index` moved by `delta` places (clamped); the same array when it cannot move. */
export const moveItem = <T>(items: readonly T[], index: number, delta: number): T[] => {
  const to = Math.max(0, Math.min(items.length - 1, index + delta))
  if (index < 0 || index >= items.length || to === index) return [...items]
  const next = [...items]
  const [item] = next.splice(index, 1)
  next.splice(to, 0, item!)
  return next
}

/** The list the board's star uses: the chosen one while it exists, else the first. */
export const activeWatchlist = (lists: Watchlists | null, chosen: string | null): Watchlist | null =>
  lists?.lists.find((list) => list.id === chosen) ?? lists?.lists[0] ?? null
