import type { Interval } from '../../../shared/ticker.ts'

/**
 * Number and time formats of the market, built once per locale (Intl formatters are costly to
 * create and cheap to reuse). `undefined` is the browser's locale; tests pass one explicitly.
 */
export const createMarketFormats = (locale?: string) => {
  const price = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  // Alert thresholds keep the digits the user typed (quotes are in cents, thresholds need not be).
  const exactPrice = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 6 })
  const change = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' })
  const percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' })
  const unsignedPercent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
  const volume = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const compactVolume = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 })
  const scalePercent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 2, signDisplay: 'exceptZero' })
  const seconds = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', second: '2-digit' })
  const minutes = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' })
  const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' })

  return {
    price: (value: number) => price.format(value),
    exactPrice: (value: number) => exactPrice.format(value),
    /** A signed difference in the quote currency: +1.25, -0.40, 0.00. */
    change: (value: number) => change.format(value),
    /** `changePct` is in percent already (1.5 means 1.5 %). */
    changePct: (pct: number) => percent.format(pct / 100),
    /** How far a price is from another, unsigned: 0.8 %. */
    distancePct: (pct: number) => unsignedPercent.format(Math.abs(pct) / 100),
    volume: (value: number) => volume.format(value),
    /** Short volume for the board: 12.4K, 3.1M. */
    compactVolume: (value: number) => compactVolume.format(value),
    /** A chart scale in percent (`pct` is in percent already): +1.5%, -0.25%, 0.0%. */
    scalePercent: (pct: number) => scalePercent.format(pct / 100),
    /** A time of day for a candle of this interval (seconds matter only for 5 s candles). */
    candleTime: (ms: number, interval: Interval) => (interval === '5s' ? seconds : minutes).format(ms),
    clockTime: (ms: number) => minutes.format(ms),
    day: (ms: number) => day.format(ms)
  }
}

export type MarketFormats = ReturnType<typeof createMarketFormats>

/** The browser's formats, shared by every market view. */
export const marketFormats = createMarketFormats()

/** The direction of a number for colouring: gains, losses and flat. */
export type Trend = 'up' | 'down' | 'flat'
export const trendOf = (value: number): Trend => (value > 0 ? 'up' : value < 0 ? 'down' : 'flat')
