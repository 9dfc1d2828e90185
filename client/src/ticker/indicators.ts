import type { Candle } from '../../../shared/ticker.ts'

/** A point of a line drawn over candles: the candle's start and a value. */
export interface LinePoint {
  t: number
  value: number
}

export const IndicatorKinds = { sma: 'SMA', ema: 'EMA' } as const
export type IndicatorKind = keyof typeof IndicatorKinds
export const INDICATOR_PERIODS = [5, 10, 20, 50, 100, 200] as const

/** Simple moving average of the closes: one point per candle from the `period`-th on. */
export const sma = (candles: readonly Candle[], period: number): LinePoint[] => {
  const points: LinePoint[] = []
  if (!(period >= 1)) return points
  let sum = 0
  for (let i = 0; i < candles.length; i++) {
    sum += candles[i]!.close
    if (i >= period) sum -= candles[i - period]!.close
    if (i >= period - 1) points.push({ t: candles[i]!.t, value: sum / period })
  }
  return points
}

/**
 * Exponential moving average of the closes, smoothing 2 / (period + 1), seeded with the simple
 * average of the first `period` closes (the usual convention, so it starts where the SMA does).
 */
export const ema = (candles: readonly Candle[], period: number): LinePoint[] => {
  const points: LinePoint[] = []
  if (!(period >= 1) || candles.length < period) return points
  const k = 2 / (period + 1)
  let value = 0
  for (let i = 0; i < period; i++) value += candles[i]!.close / period
  points.push({ t: candles[period - 1]!.t, value })
  for (let i = period; i < candles.length; i++) {
    value = candles[i]!.close * k + value * (1 - k)
    points.push({ t: candles[i]!.t, value })
  }
  return points
}

export const movingAverage = (kind: IndicatorKind, candles: readonly Candle[], period: number) =>
  kind === 'sma' ? sma(candles, period) : ema(candles, period)

/**
 * The closes of the candles at or after `from`, for a comparison line (the chart's percent scale
 * turns it into the change from its first visible point); candles before `from` are left out.
 */
export const closeLine = (candles: readonly Candle[], from = Number.NEGATIVE_INFINITY): LinePoint[] =>
  candles.filter((candle) => candle.t >= from).map(({ t, close }) => ({ t, value: close }))
