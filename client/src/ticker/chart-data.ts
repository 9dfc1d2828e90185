import type { Candle, Quote } from '../../../shared/ticker.ts'

/** lightweight-charts counts time in whole seconds (UTC); candles carry milliseconds. */
export const chartTime = (ms: number) => Math.floor(ms / 1000)

export interface CandleBar {
  time: number
  open: number
  high: number
  low: number
  close: number
}

export interface VolumeBar {
  time: number
  value: number
  color: string
}

export const candleBar = ({ t, open, high, low, close }: Candle): CandleBar => ({ time: chartTime(t), open, high, low, close })

/** A volume bar coloured like its candle: `up` when it closed at or above its open. */
export const volumeBar = (candle: Candle, up: string, down: string): VolumeBar =>
  ({ time: chartTime(candle.t), value: candle.volume, color: candle.close >= candle.open ? up : down })

/**
 * A colour with an alpha: hex (#rgb, #rrggbb) and rgb() colours as rgba(); anything else
 * (already translucent, a name) is returned unchanged.
 */
export const withAlpha = (color: string, alpha: number): string => {
  const value = color.trim()
  const short = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1]
  if (short !== undefined) {
    const hex = short.length === 3 ? [...short].map((digit) => digit + digit).join('') : short
    const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
    return `rgba(${r}, ${g}, ${b}, ${alpha})`
  }
  const rgb = /^rgb\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*\)$/i.exec(value)
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`
  return value
}

/** Where `price` sits between the day's low (0) and high (1); the middle when they are equal. */
export const rangePosition = (low: number, high: number, price: number) => {
  if (!(high > low)) return 0.5
  return Math.min(1, Math.max(0, (price - low) / (high - low)))
}

/**
 * Candles brought up to a live quote: the quote's bucket (of `intervalMs`) closes at its price,
 * widening its high and low, or starts as a new candle after the last; a quote older than the
 * last candle changes nothing. For a line drawn from closes that would otherwise wait for the
 * next fetch (a comparison).
 */
export const withLivePrice = (candles: readonly Candle[], { price, ts }: Pick<Quote, 'price' | 'ts'>, intervalMs: number): readonly Candle[] => {
  const t = Math.floor(ts / intervalMs) * intervalMs
  const last = candles.at(-1)
  if (last !== undefined && t < last.t) return candles
  if (last !== undefined && t === last.t) {
    if (last.close === price) return candles
    return [...candles.slice(0, -1), { ...last, close: price, high: Math.max(last.high, price), low: Math.min(last.low, price) }]
  }
  return [...candles, { t, open: price, high: price, low: price, close: price, volume: 0 }]
}
