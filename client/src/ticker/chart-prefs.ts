import { signal } from '@preact/signals'
import { Intervals, type Interval } from '../../../shared/ticker.ts'
import { INDICATOR_PERIODS, type IndicatorKind } from './indicators.ts'

/** What the chart of one symbol keeps between visits: interval, zoom, moving average, comparison. */
export interface ChartPrefs {
  interval: Interval
  /** Bars from the right edge to the left one, as the user zoomed (null: the chart's default). */
  span: number | null
  average: { kind: IndicatorKind, period: number } | null
  compare: string | null
}

export const DEFAULT_CHART_PREFS: ChartPrefs = { interval: '5s', span: null, average: null, compare: null }
const KEY = 'hubbub:chart-prefs'
/** Symbols remembered at most: the oldest visited is forgotten first. */
const MAX_SYMBOLS = 100

type Store = Pick<Storage, 'getItem' | 'setItem'> | null

const valid = (value: unknown): value is ChartPrefs => {
  if (typeof value !== 'object' || value === null) return false
  const prefs = value as ChartPrefs
  return Intervals.includes(prefs.interval) &&
    (prefs.span === null || (typeof prefs.span === 'number' && prefs.span > 0)) &&
    (prefs.average === null || ((prefs.average.kind === 'sma' || prefs.average.kind === 'ema') && (INDICATOR_PERIODS as readonly number[]).includes(prefs.average.period))) &&
    (prefs.compare === null || typeof prefs.compare === 'string')
}

/** Per symbol chart settings saved in `storage` (anything unreadable is the default). */
export const createChartPrefs = (storage: Store) => {
  const read = (): Record<string, ChartPrefs> => {
    try {
      const parsed = JSON.parse(storage?.getItem(KEY) ?? '{}') as Record<string, unknown>
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, ChartPrefs] => valid(entry[1])))
    } catch {
      return {}
    }
  }
  const all = signal<Record<string, ChartPrefs>>(read())
  return {
    of: (symbol: string): ChartPrefs => all.value[symbol] ?? DEFAULT_CHART_PREFS,
    update (symbol: string, change: Partial<ChartPrefs>) {
      const { [symbol]: previous, ...others } = all.peek()
      const next = { ...others, [symbol]: { ...(previous ?? DEFAULT_CHART_PREFS), ...change } }
      const symbols = Object.keys(next)
      for (const old of symbols.slice(0, Math.max(0, symbols.length - MAX_SYMBOLS))) delete next[old]
      all.value = next
      try {
        storage?.setItem(KEY, JSON.stringify(next))
      } catch {
        // Storage full or blocked: the settings last for this visit.
      }
    }
  }
}
