import type { Quote } from '../../../shared/ticker.ts'

/** A symbol without any update for this long is shown as stale. */
export const STALE_AFTER_MS = 30_000

export const isStale = (changedAt: number, now: number, afterMs = STALE_AFTER_MS) => now - changedAt > afterMs

/**
 * When each quote of a snapshot last changed, on this browser's clock. The server's clock and
 * ours need not agree, so the newest quote of the snapshot counts as changed just now and the
 * others as older by the difference of their server timestamps.
 */
export const changedAtFromSnapshot = (quotes: readonly Pick<Quote, 'symbol' | 'ts'>[], now: number): Map<string, number> => {
  let newest = Number.NEGATIVE_INFINITY
  for (const quote of quotes) if (quote.ts > newest) newest = quote.ts
  return new Map(quotes.map((quote) => [quote.symbol, now - (newest - quote.ts)]))
}
