import type { AlertDirection } from '../../shared/ticker.ts'

/** What the index needs of an alert. */
export interface IndexedAlert {
  id: string
  symbol: string
  direction: AlertDirection
  price: number
}

/**
 * One sort key for both directions, so that in an ascending array the next alert to fire is the
 * last one, and a price crosses exactly the alerts whose key is at least its bound:
 * 'above' fires when price >= threshold, i.e. -threshold >= -price;
 * 'below' fires when price <= threshold, i.e. threshold >= price.
 */
const keyOf = (direction: AlertDirection, price: number) => direction === 'above' ? -price : price

/** First index whose key is greater than `key` (or, with `orEqual`, at least `key`). */
const search = <A extends IndexedAlert>(list: A[], key: number, orEqual: boolean) => {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const midKey = keyOf(list[mid]!.direction, list[mid]!.price)
    if (midKey > key || (orEqual && midKey === key)) high = mid
    else low = mid + 1
  }
  return low
}

/**
 * Pending price alerts by symbol and threshold. A new price finds exactly the alerts it crosses
 * and removes them, in O(log n + fired) per symbol: a tick never scans alerts that stay pending.
 * Per symbol and direction, one array sorted by key (see keyOf), the next to fire at the end.
 */
export const createAlertIndex = <A extends IndexedAlert>() => {
  const bySymbol = new Map<string, Record<AlertDirection, A[]>>()
  const byId = new Map<string, A>()

  return {
    /** Adds a pending alert; false (and nothing changes) when its id is already indexed. */
    add (alert: A): boolean {
      if (byId.has(alert.id)) return false
      let lists = bySymbol.get(alert.symbol)
      if (lists === undefined) {
        lists = { above: [], below: [] }
        bySymbol.set(alert.symbol, lists)
      }
      const list = lists[alert.direction]
      list.splice(search(list, keyOf(alert.direction, alert.price), false), 0, alert)
      byId.set(alert.id, alert)
      return true
    },

    /** Removes an alert by id; the removed alert, or undefined when it was not indexed. */
    remove (id: string): A | undefined {
      const alert = byId.get(id)
      if (alert === undefined) return undefined
      byId.delete(id)
      const lists = bySymbol.get(alert.symbol)!
      const list = lists[alert.direction]
      // Equal thresholds sit side by side from the first index with this key.
      for (let i = search(list, keyOf(alert.direction, alert.price), true); i < list.length; i++) {
        if (list[i]!.id === id) {
          list.splice(i, 1)
          break
        }
      }
      if (lists.above.length === 0 && lists.below.length === 0) bySymbol.delete(alert.symbol)
      return alert
    },

    /** Removes and returns the alerts of `symbol` that `price` crosses: 'above' lowest threshold first, then 'below' highest first. */
    crossed (symbol: string, price: number): A[] {
      const lists = bySymbol.get(symbol)
      if (lists === undefined) return []
      const fired: A[] = []
      for (const direction of ['above', 'below'] as const) {
        const list = lists[direction]
        const bound = keyOf(direction, price)
        while (list.length > 0) {
          const last = list[list.length - 1]!
          if (keyOf(direction, last.price) < bound) break
          list.pop()
          byId.delete(last.id)
          fired.push(last)
        }
      }
      if (lists.above.length === 0 && lists.below.length === 0) bySymbol.delete(symbol)
      return fired
    },

    /** Forgets every alert. */
    clear () {
      bySymbol.clear()
      byId.clear()
    },

    has: (id: string) => byId.has(id),
    get size () { return byId.size }
  }
}

export type AlertIndex<A extends IndexedAlert = IndexedAlert> = ReturnType<typeof createAlertIndex<A>>
