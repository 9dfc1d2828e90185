import { useSignal, useSignalEffect } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { IntervalMs, type Candle, type Interval } from '../../../shared/ticker.ts'
import type { CandleChartHandle } from './candle-chart-engine.ts'
import { withLivePrice } from './chart-data.ts'
import { marketFormats as fmt, trendOf } from './format.ts'
import type { ChartPrefs } from './chart-prefs.ts'
import { closeLine, movingAverage } from './indicators.ts'
import { candleBatch, chartSeries, compareCandles, quoteBoard, watchSeries } from './ticker-socket.ts'

const intervalWords: Record<Interval, string> = { '5s': '5 second', '1m': '1 minute', '5m': '5 minute', '15m': '15 minute', '1h': '1 hour' }

/** Folds pushed candles into a list: the forming one replaced, a new one appended. */
const fold = (list: Candle[], candles: readonly Candle[]) => {
  for (const candle of candles) {
    const last = list.at(-1)
    if (last !== undefined && candle.t === last.t) list[list.length - 1] = candle
    else if (last === undefined || candle.t > last.t) list.push(candle)
  }
}

/** The OHLC figures of the candle under the crosshair. */
const HoverLegend = ({ candle, interval }: { candle: Candle, interval: Interval }) => (
  <p class='chart-legend' data-trend={trendOf(candle.close - candle.open)}>
    <span class='visually-hidden'>{fmt.candleTime(candle.t, interval)}</span>
    <span>O <b>{fmt.price(candle.open)}</b></span>
    <span>H <b>{fmt.price(candle.high)}</b></span>
    <span>L <b>{fmt.price(candle.low)}</b></span>
    <span>C <b>{fmt.price(candle.close)}</b></span>
    <span>V <b>{fmt.compactVolume(candle.volume)}</b></span>
  </p>
)

/**
 * The live candle chart of one symbol. lightweight-charts is loaded on first use (it is most of
 * the market's code); the chart takes the history of the watched series, then folds each pushed
 * candle in with `update`, so the forming candle changes in place.
 */
export const CandleChart = ({ symbol, interval, prefs, onSpan }: {
  symbol: string
  interval: Interval
  prefs: Pick<ChartPrefs, 'average' | 'compare' | 'span'>
  onSpan: (bars: number) => void
}) => {
  const container = useRef<HTMLDivElement>(null)
  const engine = useSignal<CandleChartHandle | null>(null)
  const failed = useSignal(false)
  const hovered = useSignal<Candle | null>(null)
  const applied = useRef<{ symbol: string, interval: Interval, version: number } | null>(null)
  /** The candles on the chart, for the lines drawn from them. */
  const shown = useSignal<Candle[]>([])
  const other = useSignal<readonly Candle[] | null>(null)
  const spanListener = useRef(onSpan)
  spanListener.current = onSpan

  useEffect(() => {
    let disposed = false
    let handle: CandleChartHandle | null = null
    import('./candle-chart-engine.ts').then(({ createCandleChart }) => {
      if (disposed || !container.current) return
      handle = createCandleChart(container.current, (candle) => { hovered.value = candle })
      handle.onSpan((bars) => spanListener.current(bars))
      engine.value = handle
    }, () => { failed.value = true })
    return () => {
      disposed = true
      handle?.dispose()
      engine.value = null
      applied.current = null
    }
  }, [])

  // History: set once per loaded series (a reload after a reconnect is a new version).
  useSignalEffect(() => {
    const chart = engine.value
    const series = chartSeries.value
    if (chart === null || series?.status !== 'ready') return
    const last = applied.current
    if (last?.symbol === series.symbol && last.interval === series.interval && last.version === series.version) return
    const first = applied.current === null || last?.interval !== series.interval
    chart.setCandles(series.candles, series.interval)
    applied.current = { symbol: series.symbol, interval: series.interval, version: series.version }
    const list = [...series.candles]
    // Pushes that came in while the chart was loading.
    const batch = candleBatch.peek()
    if (batch?.symbol === series.symbol && batch.interval === series.interval) {
      chart.updateCandles(batch.candles)
      fold(list, batch.candles)
    }
    shown.value = list
    // The zoom this symbol was left at.
    if (first && prefs.span !== null) chart.setSpan(prefs.span)
  })

  // Live candles.
  useSignalEffect(() => {
    const batch = candleBatch.value
    const chart = engine.peek()
    const last = applied.current
    if (batch === null || chart === null || last?.symbol !== batch.symbol || last.interval !== batch.interval) return
    chart.updateCandles(batch.candles)
    const list = [...shown.peek()]
    fold(list, batch.candles)
    shown.value = list
  })

  // The comparison symbol's candles of the same interval (fetched again with each interval).
  const compare = prefs.compare
  useEffect(() => {
    other.value = null
    if (compare === null || compare === symbol) return
    let current = true
    compareCandles(compare, interval).then((candles) => { if (current) other.value = candles })
    // Then it follows the other symbol's live price (the board's quotes) until the next fetch.
    const stop = quoteBoard.feed(compare)?.quote.subscribe((quote) => {
      const theirs = other.peek()
      if (current && theirs !== null) other.value = withLivePrice(theirs, quote, IntervalMs[interval])
    })
    return () => {
      current = false
      stop?.()
    }
  }, [compare, interval, symbol])

  // Lines drawn from the candles: the moving average, the comparison.
  const average = prefs.average
  useSignalEffect(() => {
    const chart = engine.value
    const list = shown.value
    if (chart === null) return
    chart.setAverage(average === null ? null : movingAverage(average.kind, list, average.period))
    const theirs = other.value
    // Only over the candles on the chart (the other's older ones would stretch the time scale).
    chart.setComparison(theirs === null || theirs.length === 0 || list.length === 0 ? null : closeLine(theirs, list[0]!.t))
  })
  // Re-run the lines when the settings change (they are props, not signals).
  useEffect(() => {
    shown.value = [...shown.peek()]
  }, [average?.kind, average?.period])

  const series = chartSeries.value
  const status = failed.value
    ? 'error'
    : series?.symbol !== symbol || series.interval !== interval ? 'loading' : series.status
  const hover = hovered.value

  return (
    <div class='chart' data-status={status} data-compared={compare !== null && other.value !== null ? compare : undefined}>
      <div class='chart-legend-row' aria-hidden={hover === null ? 'true' : undefined}>
        {hover ? <HoverLegend candle={hover} interval={interval} /> : <p class='chart-legend chart-legend-hint'>Hover or touch the chart for a candle’s figures.</p>}
      </div>
      <div
        class='chart-canvas'
        ref={container}
        role='img'
        aria-label={`Candle chart of ${symbol}, ${intervalWords[interval]} candles, updating live`}
      />
      <p class='chart-credit'>
        Charts by <a href='https://www.tradingview.com/' target='_blank' rel='noopener noreferrer'>TradingView</a>
      </p>
      {status === 'loading' || (status === 'ready' && engine.value === null && !failed.value)
        ? <div class='chart-overlay'><span class='spinner' aria-hidden='true' /><span>Loading candles…</span></div>
        : null}
      {status === 'error'
        ? (
          <div class='chart-overlay chart-overlay-error' role='alert'>
            <span>{failed.value ? 'The chart could not be loaded.' : series?.status === 'error' ? series.error : 'The candles could not be loaded.'}</span>
            {failed.value ? null : <button type='button' class='button' onClick={() => watchSeries(symbol, interval)}>Try again</button>}
          </div>
          )
        : null}
    </div>
  )
}
