import {
  CandlestickSeries, ColorType, CrosshairMode, HistogramSeries, LineSeries, PriceScaleMode, TickMarkType, createChart,
  type IChartApi, type ISeriesApi, type MouseEventParams, type Time, type UTCTimestamp
} from 'lightweight-charts'
import type { Candle, Interval } from '../../../shared/ticker.ts'
import { candleBar, chartTime, volumeBar, withAlpha } from './chart-data.ts'
import type { LinePoint } from './indicators.ts'
import { marketFormats } from './format.ts'

/** The colours of the chart, read from the app's design tokens (light or dark). */
interface ChartTheme {
  background: string
  text: string
  grid: string
  border: string
  up: string
  down: string
  crosshair: string
  font: string
}

const readTheme = (element: Element): ChartTheme => {
  const style = getComputedStyle(element)
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return {
    background: token('--surface', '#ffffff'),
    text: token('--text-muted', '#5a6270'),
    grid: token('--border', '#e1e4ea'),
    border: token('--border-strong', '#c9ced8'),
    up: token('--success', '#1e9e5a'),
    down: token('--danger', '#d03b3b'),
    crosshair: token('--text-faint', '#8a919d'),
    font: token('--font-sans', 'system-ui, sans-serif')
  }
}

const secondsOf = (time: Time) => (typeof time === 'number' ? time : 0)

export interface CandleChartHandle {
  /** Replaces every candle (a new series, or a reload). */
  setCandles: (candles: readonly Candle[], interval: Interval) => void
  /** Folds candles into the chart in place: the forming one updates, a new one is appended. */
  updateCandles: (candles: readonly Candle[]) => void
  /** The moving average line over the candles, or none. */
  setAverage: (points: readonly LinePoint[] | null) => void
  /**
   * A comparison with another symbol's closes, or none. While one is shown the price scale is in
   * percent: the candles and the other line each as their change from their first visible point
   * (the moving average, which would start from its own point, is hidden meanwhile).
   */
  setComparison: (other: readonly LinePoint[] | null) => void
  /** How many bars the view spans (the zoom), and a span to restore. */
  span: () => number | null
  setSpan: (bars: number) => void
  /** Called when the user zooms or scrolls. */
  onSpan: (listener: (bars: number) => void) => void
  dispose: () => void
}

/**
 * A candlestick chart with volume below it in `container`, sized to it (autoSize follows the
 * panel with a ResizeObserver) and coloured from the current light or dark scheme (it follows
 * scheme changes). `onHover` gets the candle under the crosshair, or null.
 */
export const createCandleChart = (container: HTMLElement, onHover: (candle: Candle | null) => void): CandleChartHandle => {
  let theme = readTheme(container)
  let interval: Interval = '5s'
  /** Candles on the chart by their time in seconds (for the hover legend). */
  const byTime = new Map<number, Candle>()
  let lastTime = Number.NEGATIVE_INFINITY
  let loaded = false

  const chart: IChartApi = createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: theme.background },
      textColor: theme.text,
      fontFamily: theme.font,
      fontSize: 11,
      // The view links to TradingView under the chart, which the licence accepts instead.
      attributionLogo: false
    },
    grid: {
      vertLines: { color: withAlpha(theme.grid, 0.6) },
      horzLines: { color: withAlpha(theme.grid, 0.6) }
    },
    rightPriceScale: { borderColor: theme.border, scaleMargins: { top: 0.08, bottom: 0.08 } },
    timeScale: {
      borderColor: theme.border,
      timeVisible: true,
      secondsVisible: true,
      rightOffset: 4,
      minBarSpacing: 2,
      // Local time of day (the chart's own labels are UTC), the date where a day starts.
      tickMarkFormatter: (time: Time, type: TickMarkType) => {
        const ms = secondsOf(time) * 1000
        if (type === TickMarkType.Year || type === TickMarkType.Month || type === TickMarkType.DayOfMonth) return marketFormats.day(ms)
        return type === TickMarkType.TimeWithSeconds ? marketFormats.candleTime(ms, '5s') : marketFormats.clockTime(ms)
      }
    },
    crosshair: { mode: CrosshairMode.Magnet },
    // Prices are formatted by each series' own format (a chart-wide price formatter would also
    // format the volume pane); the percent scale of a comparison by this one.
    localization: {
      percentageFormatter: (pct: number) => marketFormats.scalePercent(pct),
      timeFormatter: (time: Time) => marketFormats.candleTime(secondsOf(time) * 1000, interval)
    }
  })

  const priceFormat = { type: 'custom', formatter: (price: number) => marketFormats.price(price), minMove: 0.01 } as const
  const candles: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, {
    borderVisible: false,
    priceLineStyle: 2,
    priceFormat
  })
  // Volume in a pane of its own under the candles, a fifth of the height.
  const volume: ISeriesApi<'Histogram'> = chart.addSeries(HistogramSeries, {
    priceFormat: { type: 'custom', formatter: (value: number) => marketFormats.compactVolume(value), minMove: 1 },
    lastValueVisible: false,
    priceLineVisible: false
  }, 1)
  chart.panes()[1]?.setStretchFactor(0.25)
  chart.panes()[0]?.setStretchFactor(1)
  const lineOptions = { lineWidth: 2, priceLineVisible: false, lastValueVisible: true, crosshairMarkerVisible: false } as const
  const average: ISeriesApi<'Line'> = chart.addSeries(LineSeries, { ...lineOptions, color: '#d08a1e', priceFormat })
  const compared: ISeriesApi<'Line'> = chart.addSeries(LineSeries, { ...lineOptions, color: '#a855f7', priceFormat, visible: false, baseLineVisible: false })
  let comparing = false
  const asLine = (points: readonly LinePoint[]) => points.map(({ t, value }) => ({ time: chartTime(t) as UTCTimestamp, value }))

  const volumeColors = () => [withAlpha(theme.up, 0.35), withAlpha(theme.down, 0.35)] as const

  const paint = () => {
    chart.applyOptions({
      layout: {
        background: { type: ColorType.Solid, color: theme.background },
        textColor: theme.text,
        fontFamily: theme.font,
        panes: { separatorColor: theme.border, separatorHoverColor: withAlpha(theme.crosshair, 0.3) }
      },
      grid: { vertLines: { color: withAlpha(theme.grid, 0.6) }, horzLines: { color: withAlpha(theme.grid, 0.6) } },
      rightPriceScale: { borderColor: theme.border },
      timeScale: { borderColor: theme.border },
      crosshair: {
        vertLine: { color: theme.crosshair, labelBackgroundColor: theme.crosshair },
        horzLine: { color: theme.crosshair, labelBackgroundColor: theme.crosshair }
      }
    })
    // The 0 % line of a comparison is the candles' base line.
    candles.applyOptions({ upColor: theme.up, downColor: theme.down, wickUpColor: theme.up, wickDownColor: theme.down, baseLineColor: theme.crosshair })
  }

  const repaintVolume = () => {
    const [up, down] = volumeColors()
    volume.setData([...byTime.values()].map((candle) => ({ ...volumeBar(candle, up, down), time: chartTime(candle.t) as UTCTimestamp })))
  }

  paint()

  // The scheme can change while the chart is open (the OS switches to dark at sunset).
  const scheme = window.matchMedia('(prefers-color-scheme: dark)')
  const onScheme = () => {
    theme = readTheme(container)
    paint()
    repaintVolume()
  }
  scheme.addEventListener('change', onScheme)

  const onCrosshair = (param: MouseEventParams) => {
    onHover(param.time === undefined ? null : byTime.get(secondsOf(param.time)) ?? null)
  }
  chart.subscribeCrosshairMove(onCrosshair)

  const put = (candle: Candle) => {
    const time = chartTime(candle.t)
    // An update older than the last bar is allowed only for a bar the chart already has.
    if (time < lastTime && !byTime.has(time)) return
    const [up, down] = volumeColors()
    const historical = time < lastTime
    candles.update({ ...candleBar(candle), time: time as UTCTimestamp }, historical)
    volume.update({ ...volumeBar(candle, up, down), time: time as UTCTimestamp }, historical)
    byTime.set(time, candle)
    if (time > lastTime) lastTime = time
  }

  return {
    setCandles (list, nextInterval) {
      const changedInterval = nextInterval !== interval
      interval = nextInterval
      byTime.clear()
      for (const candle of list) byTime.set(chartTime(candle.t), candle)
      const sorted = [...byTime.values()]
      lastTime = sorted.length > 0 ? chartTime(sorted[sorted.length - 1]!.t) : Number.NEGATIVE_INFINITY
      const [up, down] = volumeColors()
      candles.setData(sorted.map((candle) => ({ ...candleBar(candle), time: chartTime(candle.t) as UTCTimestamp })))
      volume.setData(sorted.map((candle) => ({ ...volumeBar(candle, up, down), time: chartTime(candle.t) as UTCTimestamp })))
      if (changedInterval) chart.timeScale().applyOptions({ secondsVisible: interval === '5s' })
      // A reload (after a reconnect) keeps where the user scrolled; a new series starts at now.
      if (!loaded || changedInterval) chart.timeScale().scrollToRealTime()
      loaded = true
    },
    updateCandles (list) {
      for (const candle of list) {
        try {
          put(candle)
        } catch {
          // A bar the chart refuses (out of order after a reload) is repaired by the next reload.
        }
      }
    },
    setAverage (points) {
      average.setData(points === null ? [] : asLine(points))
    },
    setComparison (other) {
      const on = other !== null
      compared.setData(on ? asLine(other) : [])
      if (on === comparing) return
      comparing = on
      compared.applyOptions({ visible: on })
      average.applyOptions({ visible: !on })
      chart.priceScale('right').applyOptions({ mode: on ? PriceScaleMode.Percentage : PriceScaleMode.Normal })
    },
    span () {
      const range = chart.timeScale().getVisibleLogicalRange()
      return range === null ? null : Math.round(range.to - range.from)
    },
    setSpan (bars) {
      const range = chart.timeScale().getVisibleLogicalRange()
      if (range === null) return
      chart.timeScale().setVisibleLogicalRange({ from: range.to - bars, to: range.to })
    },
    onSpan (listener) {
      chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
        if (range !== null) listener(Math.round(range.to - range.from))
      })
    },
    dispose () {
      scheme.removeEventListener('change', onScheme)
      chart.unsubscribeCrosshairMove(onCrosshair)
      chart.remove()
    }
  }
}
