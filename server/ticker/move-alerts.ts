import type { Candle, Quote } from '../../shared/ticker.ts'
import type { AlertRecord } from '../storage/types.ts'
import { createAlertIndex } from './alert-index.ts'

/** The 5 s candles a window is read from: a window starts at the bucket holding its start. */
const BUCKET_MS = 5000

/** A day-move alert in the index of thresholds, keyed by the day's change in percent (down moves negative). */
interface DayEntry {
  id: string
  symbol: string
  direction: AlertRecord['direction']
  price: number
  alert: AlertRecord
}

/**
 * Pending move alerts by symbol. A day move is a crossing of the day's change (`changePct`):
 * indexed by threshold as price alerts are, so a tick touches only what it fires. A move within
 * minutes compares the price with the lowest (up) or highest (down) trade since the window's
 * start, the later of `minutes` ago and when the alert was armed: one backward pass over the
 * symbol's recent 5 s candles per traded symbol that has such alerts, whatever their number.
 */
export const createMoveAlerts = () => {
  const day = createAlertIndex<DayEntry>()
  const windows = new Map<string, Map<string, AlertRecord>>()
  const windowIds = new Map<string, string>()

  return {
    /** Adds a move alert (false for a crossing, or one already held). */
    add (alert: AlertRecord): boolean {
      if (alert.kind === 'day-move') {
        const pct = alert.pct!
        return day.add({ id: alert.id, symbol: alert.symbol, direction: alert.direction, price: alert.direction === 'above' ? pct : -pct, alert })
      }
      if (alert.kind !== 'window-move' || windowIds.has(alert.id)) return false
      let bySymbol = windows.get(alert.symbol)
      if (bySymbol === undefined) windows.set(alert.symbol, bySymbol = new Map())
      bySymbol.set(alert.id, alert)
      windowIds.set(alert.id, alert.symbol)
      return true
    },

    remove (id: string): AlertRecord | undefined {
      const entry = day.remove(id)
      if (entry !== undefined) return entry.alert
      const symbol = windowIds.get(id)
      if (symbol === undefined) return undefined
      windowIds.delete(id)
      const bySymbol = windows.get(symbol)!
      const alert = bySymbol.get(id)
      bySymbol.delete(id)
      if (bySymbol.size === 0) windows.delete(symbol)
      return alert
    },

    /** Whether `symbol` has alerts that need its candles (so the caller reads them only then). */
    needsCandles: (symbol: string) => windows.has(symbol),

    /** Longest window of the symbol's alerts, in 5 s candles (plus the forming one). */
    candlesWanted (symbol: string) {
      let longest = 0
      for (const alert of windows.get(symbol)?.values() ?? []) longest = Math.max(longest, alert.minutes!)
      return Math.ceil((longest * 60_000) / BUCKET_MS) + 1
    },

    /**
     * Removes and returns the alerts this quote fires, its trade already in `candles` (the latest
     * 5 s candles, oldest first; only read for symbols with `needsCandles`).
     */
    fired (quote: Quote, ts: number, candles: readonly Candle[] = []): AlertRecord[] {
      const fired = day.crossed(quote.symbol, quote.changePct).map((entry) => entry.alert)
      const bySymbol = windows.get(quote.symbol)
      if (bySymbol === undefined) return fired
      // Latest start first: the extremes grow as the pass goes back in time.
      const pending = [...bySymbol.values()]
        .map((alert) => ({ alert, from: Math.floor(Math.max(ts - alert.minutes! * 60_000, alert.createdAt) / BUCKET_MS) * BUCKET_MS }))
        .sort((a, b) => b.from - a.from)
      let low = quote.price
      let high = quote.price
      let i = candles.length - 1
      for (const { alert, from } of pending) {
        for (; i >= 0 && candles[i]!.t >= from; i--) {
          if (candles[i]!.low < low) low = candles[i]!.low
          if (candles[i]!.high > high) high = candles[i]!.high
        }
        const factor = alert.pct! / 100
        if (alert.direction === 'above' ? quote.price >= low * (1 + factor) : quote.price <= high * (1 - factor)) fired.push(alert)
      }
      for (const alert of fired) if (alert.kind === 'window-move') this.remove(alert.id)
      return fired
    },

    clear () {
      day.clear()
      windows.clear()
      windowIds.clear()
    },

    get size () { return day.size + windowIds.size }
  }
}

export type MoveAlerts = ReturnType<typeof createMoveAlerts>
