import { useComputed, type ReadonlySignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { Intervals, type Interval, type Quote } from '../../../shared/ticker.ts'
import { ArrowLeftIcon, CloseIcon, CompassIcon } from '../ui/icons.tsx'
import { Link } from '../ui/link.tsx'
import { navigate, paths } from '../ui/router.ts'
import { AlertPanel } from './alert-panel.tsx'
import { CandleChart } from './candle-chart.tsx'
import { createChartPrefs, type ChartPrefs } from './chart-prefs.ts'
import { INDICATOR_PERIODS, IndicatorKinds, type IndicatorKind } from './indicators.ts'
import { ShareToRoom } from './share-to-room.tsx'
import { rangePosition } from './chart-data.ts'
import { marketFormats as fmt, trendOf } from './format.ts'
import type { SymbolFeed } from './quote-board.ts'
import { boardState, quoteBoard, unwatchSeries, watchSeries } from './ticker-socket.ts'

const safeStorage = () => {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
/** Each symbol's chart keeps its interval, zoom, moving average and comparison in this browser. */
const chartPrefs = createChartPrefs(safeStorage())

const intervalLabels: Record<Interval, string> = { '5s': '5 s', '1m': '1 m', '5m': '5 m', '15m': '15 m', '1h': '1 h' }
const intervalNames: Record<Interval, string> = {
  '5s': '5 second candles', '1m': '1 minute candles', '5m': '5 minute candles', '15m': '15 minute candles', '1h': '1 hour candles'
}

/** Moving average and comparison: two small selects each. */
const ChartStudies = ({ symbol, prefs }: { symbol: string, prefs: ChartPrefs }) => {
  const average = prefs.average
  const symbols = quoteBoard.symbols.value.filter((other) => other !== symbol)
  return (
    <div class='chart-studies'>
      <label class='chart-study'>
        <span>Average</span>
        <select
          class='chart-select'
          value={average?.kind ?? ''}
          onChange={(event) => {
            const kind = (event.currentTarget as HTMLSelectElement).value as IndicatorKind | ''
            chartPrefs.update(symbol, { average: kind === '' ? null : { kind, period: average?.period ?? 20 } })
          }}
        >
          <option value=''>None</option>
          {(Object.keys(IndicatorKinds) as IndicatorKind[]).map((kind) => <option key={kind} value={kind}>{IndicatorKinds[kind]}</option>)}
        </select>
      </label>
      {average
        ? (
          <label class='chart-study'>
            <span>Period</span>
            <select
              class='chart-select'
              value={String(average.period)}
              onChange={(event) => chartPrefs.update(symbol, { average: { kind: average.kind, period: Number((event.currentTarget as HTMLSelectElement).value) } })}
            >
              {INDICATOR_PERIODS.map((period) => <option key={period} value={String(period)}>{period}</option>)}
            </select>
          </label>
          )
        : null}
      <label class='chart-study'>
        <span>Compare</span>
        <select
          class='chart-select'
          value={prefs.compare ?? ''}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLSelectElement).value
            chartPrefs.update(symbol, { compare: value === '' ? null : value })
          }}
        >
          <option value=''>None</option>
          {symbols.map((other) => <option key={other} value={other}>{other}</option>)}
        </select>
      </label>
      {prefs.compare
        ? (
          <p class='chart-compare-key'>
            <span class='chart-key chart-key-own'>{symbol}</span> <span class='chart-key chart-key-other'>{prefs.compare}</span>
            <span>% change from the left edge{average ? ', average hidden' : ''}</span>
          </p>
          )
        : null}
    </div>
  )
}

const close = () => navigate(paths.market)

/** Open, high, low, volume and change of the day, and where the price sits in the day's range. */
const DayFigures = ({ quote }: { quote: ReadonlySignal<Quote> }) => {
  const open = useComputed(() => fmt.price(quote.value.open))
  const high = useComputed(() => fmt.price(quote.value.high))
  const low = useComputed(() => fmt.price(quote.value.low))
  const volume = useComputed(() => fmt.volume(quote.value.volume))
  const change = useComputed(() => `${fmt.change(quote.value.change)} (${fmt.changePct(quote.value.changePct)})`)
  const trend = useComputed(() => trendOf(quote.value.change))
  const marker = useComputed(() => `left: ${(rangePosition(quote.value.low, quote.value.high, quote.value.price) * 100).toFixed(1)}%`)
  return (
    <section class='day' aria-label='Today'>
      <dl class='day-figures'>
        <div><dt>Open</dt><dd>{open}</dd></div>
        <div><dt>High</dt><dd>{high}</dd></div>
        <div><dt>Low</dt><dd>{low}</dd></div>
        <div><dt>Volume</dt><dd>{volume}</dd></div>
        <div class='day-change' data-trend={trend}><dt>Change</dt><dd>{change}</dd></div>
      </dl>
      <div class='day-range' aria-hidden='true'>
        <span class='day-range-label'>{low}</span>
        <span class='day-range-track'><span class='day-range-marker' style={marker} /></span>
        <span class='day-range-label'>{high}</span>
      </div>
    </section>
  )
}

const QuoteHeadline = ({ feed }: { feed: SymbolFeed }) => {
  const { quote } = feed
  const price = useComputed(() => fmt.price(quote.value.price))
  const change = useComputed(() => `${fmt.change(quote.value.change)} (${fmt.changePct(quote.value.changePct)})`)
  const trend = useComputed(() => trendOf(quote.value.change))
  const stale = useComputed(() => (feed.stale.value ? 'true' : undefined))
  const time = useComputed(() => (feed.stale.value ? 'No update for over 30 seconds' : `Today · as of ${fmt.candleTime(quote.value.ts, '5s')}`))
  return (
    <div class='headline' data-trend={trend} data-stale={stale}>
      <span class='headline-price' data-flash={feed.flash}>{price}</span>
      <span class='headline-change'>{change}</span>
      <span class='headline-time'>{time}</span>
    </div>
  )
}

/**
 * One symbol: its live price, a candle chart with a 5 s / 1 m switch, the day's figures and
 * price alerts. Beside the board on wide screens; on narrow ones a full view with a back button.
 */
export const SymbolDetail = ({ symbol }: { symbol: string }) => {
  const prefs = chartPrefs.of(symbol)
  const interval = prefs.interval
  // Re-render when the symbol appears (a deep link opens before the first snapshot).
  const known = quoteBoard.symbols.value.includes(symbol)
  const feed = known ? quoteBoard.feed(symbol) ?? null : null
  const ready = boardState.value.status === 'ready'
  const upper = symbol.toUpperCase()
  const fixable = ready && !known && upper !== symbol && quoteBoard.symbols.value.includes(upper)

  useEffect(() => {
    // A lower-case deep link (/market/qlfx) is the same symbol.
    if (fixable) navigate(paths.symbol(upper), { replace: true })
  }, [fixable, upper])

  useEffect(() => {
    if (known) watchSeries(symbol, interval)
  }, [symbol, interval, known])
  useEffect(() => unwatchSeries, [symbol])

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !(event.target instanceof HTMLInputElement)) close()
  }

  const header = (
    <header class='detail-header'>
      <Link class='detail-back' href={paths.market}>
        <ArrowLeftIcon size={18} />
        <span>Market</span>
      </Link>
      <div class='detail-title'>
        <h2 class='detail-symbol' id='detail-title'>{symbol}</h2>
        <p class='detail-name'>{feed?.quote.peek().name ?? (ready ? 'Unknown symbol' : '')}</p>
      </div>
      <button type='button' class='icon-button detail-close' aria-label={`Close ${symbol}`} onClick={close}>
        <CloseIcon size={18} />
      </button>
    </header>
  )

  if (ready && !known) {
    return (
      <section class='detail' aria-labelledby='detail-title' tabIndex={-1} data-route-focus>
        {header}
        <div class='detail-missing'>
          <div class='empty-state-icon'><CompassIcon size={28} /></div>
          <p>There is no symbol <code class='inline-code'>{symbol}</code> on this market.</p>
          <Link class='button' href={paths.market}>Back to the board</Link>
        </div>
      </section>
    )
  }

  return (
    <section class='detail' aria-labelledby='detail-title' tabIndex={-1} data-route-focus onKeyDown={onKeyDown}>
      {header}
      {feed ? <QuoteHeadline feed={feed} /> : <div class='headline'><span class='skeleton' style={{ width: '140px', height: '32px' }} /></div>}

      <div class='chart-card'>
        <div class='chart-toolbar'>
          <h3 class='detail-section-title'>Candles</h3>
          <div class='segmented interval-switch' role='group' aria-label='Candle interval'>
            {Intervals.map((value) => (
              <button
                key={value}
                type='button'
                class='segmented-button'
                aria-pressed={interval === value}
                title={intervalNames[value]}
                onClick={() => chartPrefs.update(symbol, { interval: value, span: null })}
              >
                {intervalLabels[value]}
              </button>
            ))}
          </div>
        </div>
        {known ? <ChartStudies symbol={symbol} prefs={prefs} /> : null}
        {known
          ? (
            <CandleChart
              key={symbol}
              symbol={symbol}
              interval={interval}
              prefs={prefs}
              onSpan={(bars) => { if (chartPrefs.of(symbol).span !== bars) chartPrefs.update(symbol, { span: bars }) }}
            />
            )
          : <div class='chart' data-status='loading'><div class='chart-canvas' /></div>}
      </div>

      {feed ? <DayFigures quote={feed.quote} /> : null}
      <AlertPanel key={symbol} symbol={symbol} quote={feed?.quote ?? null} />
      {known ? <ShareToRoom symbol={symbol} /> : null}
    </section>
  )
}
