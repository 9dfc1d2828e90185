import type { Trend } from './format.ts'

export interface SparklineBox {
  width: number
  height: number
  /** Room kept above and below the line so the stroke is never clipped. */
  pad?: number
}

const round = (value: number) => Math.round(value * 10) / 10

/** A sparkline never draws more points than this (about one per pixel pair of its width). */
export const MAX_SPARKLINE_POINTS = 120

/**
 * At most `max` values: consecutive groups are replaced by their last value (a close), the
 * newest value always kept, so the line ends at the current price.
 */
export const downsample = (values: readonly number[], max = MAX_SPARKLINE_POINTS): readonly number[] => {
  if (values.length <= max) return values
  const group = Math.ceil(values.length / max)
  const result: number[] = []
  // Groups end at the newest value, so the first group is the one that may be short.
  for (let end = values.length - 1; end >= 0; end -= group) result.push(values[end]!)
  return result.reverse()
}

/**
 * The `points` of an SVG polyline drawing `values` (oldest first) across the box, the highest
 * value at the top. One value, or values that never move, draw a flat line through the middle;
 * no values draw nothing.
 */
export const sparklinePoints = (all: readonly number[], { width, height, pad = 1.5 }: SparklineBox): string => {
  const values = downsample(all)
  if (values.length === 0) return ''
  const middle = round(height / 2)
  if (values.length === 1) return `0,${middle} ${round(width)},${middle}`
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const value of values) {
    if (value < min) min = value
    if (value > max) max = value
  }
  const span = max - min
  const usable = height - 2 * pad
  const step = width / (values.length - 1)
  const points: string[] = []
  for (let i = 0; i < values.length; i++) {
    const y = span === 0 ? middle : round(pad + (1 - (values[i]! - min) / span) * usable)
    points.push(`${round(i * step)},${y}`)
  }
  return points.join(' ')
}

/**
 * The `points` of a polygon that fills the area under the line down to the bottom of the box
 * (the line's points plus the two bottom corners); empty when there is no line.
 */
export const sparklineArea = (linePoints: string, { width, height }: SparklineBox): string =>
  linePoints === '' ? '' : `0,${round(height)} ${linePoints} ${round(width)},${round(height)}`

/** Whether the values move at all (a line of one value, or of equal values, has no area to fill). */
export const hasMovement = (values: readonly number[]) => values.some((value) => value !== values[0])

/** Whether the line ends above, below or level with where it started. */
export const sparklineTrend = (values: readonly number[]): Trend => {
  const first = values[0]
  const last = values[values.length - 1]
  if (first === undefined || last === undefined || first === last) return 'flat'
  return last > first ? 'up' : 'down'
}
