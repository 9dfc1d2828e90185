/**
 * A latency histogram that merges across processes: log-spaced buckets 1% wide, from 1 µs up.
 * Values are milliseconds; percentiles are exact to within 1%, max is exact.
 */
const GROWTH = 1.01
const LOG_GROWTH = Math.log(GROWTH)

export interface HistogramData {
  count: number
  sum: number
  max: number
  /** [bucket index, count] pairs. */
  buckets: [number, number][]
}

export function createHistogram () {
  // Counts by bucket index in a flat array (the generator records one value per delivery, so
  // this is on its hot path): 2,048 buckets reach 3e8 µs (5 min), and it grows past that.
  let counts = new Uint32Array(2048)
  let count = 0
  let sum = 0
  let max = 0

  const record = (ms: number) => {
    const value = ms > 0 ? ms : 0
    const index = value * 1000 <= 1 ? 0 : Math.ceil(Math.log(value * 1000) / LOG_GROWTH)
    if (index >= counts.length) {
      const grown = new Uint32Array(index * 2)
      grown.set(counts)
      counts = grown
    }
    counts[index]!++
    count++
    sum += value
    if (value > max) max = value
  }

  return {
    record,
    get count () { return count },
    reset () {
      counts.fill(0)
      count = 0
      sum = 0
      max = 0
    },
    toJSON (): HistogramData {
      const buckets: [number, number][] = []
      counts.forEach((n, index) => { if (n > 0) buckets.push([index, n]) })
      return { count, sum, max, buckets }
    }
  }
}

export type Histogram = ReturnType<typeof createHistogram>

export function mergeHistograms (parts: HistogramData[]): HistogramData {
  const counts = new Map<number, number>()
  let count = 0
  let sum = 0
  let max = 0
  for (const part of parts) {
    for (const [index, n] of part.buckets) counts.set(index, (counts.get(index) ?? 0) + n)
    count += part.count
    sum += part.sum
    max = Math.max(max, part.max)
  }
  return { count, sum, max, buckets: [...counts] }
}

/** The value (ms) below which `p` percent of the recorded values lie; 0 when empty. */
export function percentile (data: HistogramData, p: number) {
  if (data.count === 0) return 0
  const rank = Math.max(1, Math.ceil((p / 100) * data.count))
  let seen = 0
  for (const [index, n] of [...data.buckets].sort((a, b) => a[0] - b[0])) {
    seen += n
    if (seen >= rank) return Math.min(data.max, GROWTH ** index / 1000)
  }
  return data.max
}

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

export const summarize = (data: HistogramData): LatencySummary => ({
  count: data.count,
  p50: percentile(data, 50),
  p95: percentile(data, 95),
  p99: percentile(data, 99),
  max: data.max,
  mean: data.count ? data.sum / data.count : 0
})
