import { useComputed, useSignal, type ReadonlySignal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { useRef } from 'preact/hooks'
import { SearchIcon, SortIcon, StarIcon } from '../ui/icons.tsx'
import { isLiveSortKey, nextSort, sameRows, selectRows, type SortKey, type SortState } from './board-rows.ts'
import { BoardRow } from './board-row.tsx'
import { boardState, quoteBoard, retryBoard, tickerLive, watchlist } from './ticker-socket.ts'
import { WatchlistPicker } from './watchlist-picker.tsx'

/** A board sorted by a live column re-sorts this often, not on every tick, so rows stay clickable. */
const RESORT_MS = 2_000

interface ColumnSpec {
  key: SortKey
  label: string
  numeric: boolean
  class: string
}

const columns: ColumnSpec[] = [
  { key: 'symbol', label: 'Symbol', numeric: false, class: 'col-symbol' },
  { key: 'name', label: 'Name', numeric: false, class: 'col-name' },
  { key: 'price', label: 'Last', numeric: true, class: 'col-num col-price' },
  { key: 'change', label: 'Change', numeric: true, class: 'col-num col-change' },
  { key: 'changePct', label: 'Change %', numeric: true, class: 'col-num col-pct' },
  { key: 'volume', label: 'Volume', numeric: true, class: 'col-num col-volume' }
]

const SortHeader = ({ column, sort }: { column: ColumnSpec, sort: { value: SortState | null } }) => {
  const current = sort.value?.key === column.key ? sort.value.direction : undefined
  return (
    <th scope='col' class={column.class} aria-sort={current}>
      <button type='button' class='sort-button' data-sorted={current} onClick={() => { sort.value = nextSort(sort.value, column.key) }}>
        <span>{column.label}</span>
        <SortIcon size={14} class='sort-icon' />
      </button>
    </th>
  )
}

/** Reads a signal only to re-run the computation that reads it. */
const track = (source: ReadonlySignal<unknown>) => source.value

/** Up, down and flat counts of the whole market: its breadth at a glance. */
const Breadth = () => {
  const counts = useComputed(() => {
    let up = 0
    let down = 0
    for (const symbol of quoteBoard.symbols.value) {
      const change = quoteBoard.feed(symbol)?.quote.value.change ?? 0
      if (change > 0) up++
      else if (change < 0) down++
    }
    // A string, so the breadth renders only when a count actually changes.
    return `${up} ${down} ${quoteBoard.symbols.value.length}`
  })
  const [up = 0, down = 0, total = 0] = counts.value.split(' ').map(Number)
  if (total === 0) return null
  const flat = total - up - down
  return (
    <div class='breadth' aria-label={`${up} up, ${down} down, ${flat} unchanged today`}>
      <span class='breadth-up'>▲ {up}</span>
      <span class='breadth-down'>▼ {down}</span>
      <span class='breadth-bar' aria-hidden='true'>
        <span class='breadth-bar-up' style={{ flexGrow: up }} />
        <span class='breadth-bar-flat' style={{ flexGrow: flat }} />
        <span class='breadth-bar-down' style={{ flexGrow: down }} />
      </span>
    </div>
  )
}

/** Whether prices are streaming: live, still connecting, reconnecting, or stopped by an error. */
const LiveBadge = () => {
  const status = boardState.value.status
  const connected = tickerLive.value
  const live = connected && status === 'ready'
  const label = live ? 'Live' : status === 'loading' ? 'Connecting…' : !connected ? 'Reconnecting…' : 'Paused'
  return (
    <span class='live-badge' data-live={live ? 'true' : 'false'} role='status'>
      <span class='live-dot' aria-hidden='true' />
      {label}
    </span>
  )
}

const SkeletonRows = () => (
  <>
    {Array.from({ length: 10 }, (_, i) => (
      <tr key={i} class='board-skeleton' aria-hidden='true'>
        <td class='col-star' />
        <td class='col-symbol'><span class='skeleton' style={{ width: '44px' }} /></td>
        <td class='col-name'><span class='skeleton' style={{ width: `${90 + ((i * 37) % 70)}px` }} /></td>
        <td class='col-num col-price'><span class='skeleton' style={{ width: '56px' }} /></td>
        <td class='col-num col-change'><span class='skeleton' style={{ width: '40px' }} /></td>
        <td class='col-num col-pct'><span class='skeleton' style={{ width: '52px' }} /></td>
        <td class='col-num col-volume'><span class='skeleton' style={{ width: '40px' }} /></td>
        <td class='col-spark'><span class='skeleton' style={{ width: '96px' }} /></td>
      </tr>
    ))}
  </>
)

/** The board of every simulated symbol: filter, sort, watchlist, live prices. */
export const MarketBoard = ({ selected }: { selected: string | null }) => {
  const query = useSignal('')
  const sort = useSignal<SortState | null>(null)
  // While the pointer is over the rows a live sort holds still, so the row under it stays put.
  const holding = useSignal(false)
  const sortEpoch = useComputed(() => Math.floor(quoteBoard.clock.value / RESORT_MS))
  const lastRows = useRef<string[]>([])

  const rows = useComputed(() => {
    const current = sort.value
    const symbols = quoteBoard.symbols.value
    const { symbols: starred, only } = watchlist.data.value
    // Depend on the re-sort clock only when the order follows live values.
    if (current !== null && isLiveSortKey(current.key) && !holding.value) track(sortEpoch)
    const next = selectRows({
      quotes: symbols.map((symbol) => quoteBoard.feed(symbol)!.quote.peek()),
      query: query.value,
      watchOnly: only,
      watchlist: new Set(starred),
      sort: current
    })
    if (sameRows(next, lastRows.current)) return lastRows.current
    lastRows.current = next
    return next
  })

  const state = boardState.value
  const total = quoteBoard.symbols.value.length
  const shown = rows.value
  const { only, symbols: starred } = watchlist.data.value
  const filtering = query.value.trim() !== ''

  let empty: ComponentChildren = null
  if (state.status === 'ready' && shown.length === 0) {
    empty = only && starred.length === 0
      ? <>Your watchlist is empty. Turn off <strong>Watchlist only</strong> and star a symbol with <StarIcon size={14} class='inline-icon' /> to follow it here.</>
      : filtering
        ? <>No symbols match “{query.value.trim()}”{only ? ' in your watchlist' : ''}.</>
        : <>No symbols to show.</>
  }

  return (
    <section class='board' aria-labelledby='market-title'>
      <header class='board-header'>
        <div class='board-heading'>
          <div class='board-title-row'>
            <h1 id='market-title' class='board-title'>Market</h1>
            <span class='sim-badge' title='Prices come from a seeded random walk. No real securities are quoted.'>Simulated market</span>
            <LiveBadge />
          </div>
          <p class='board-subtitle'>
            Invented companies, prices moving several times a second. Select a symbol for its chart and price alerts.
          </p>
        </div>
        <Breadth />
      </header>

      <div class='board-toolbar'>
        <label class='board-search'>
          <SearchIcon size={16} class='board-search-icon' />
          <span class='visually-hidden'>Filter symbols</span>
          <input
            type='search'
            class='board-search-input'
            placeholder='Filter by symbol, name or sector'
            value={query.value}
            onInput={(event) => { query.value = event.currentTarget.value }}
            autoComplete='off'
            spellcheck={false}
          />
        </label>
        <button
          type='button'
          class='chip-toggle'
          aria-pressed={only}
          onClick={() => watchlist.setOnly(!only)}
        >
          <StarIcon size={15} />
          Watchlist only
          <span class='chip-count' aria-label={`${starred.length} starred`}>{starred.length}</span>
        </button>
        <WatchlistPicker />
        <p class='board-count' aria-live='polite'>
          {state.status === 'ready' ? (shown.length === total ? `${total} symbols` : `${shown.length} of ${total} symbols`) : ''}
        </p>
      </div>

      {state.status === 'error'
        ? (
          <div class='banner banner-error board-banner' role='alert'>
            <span>The market could not be loaded: {state.error}</span>
            <button type='button' class='button board-retry' onClick={retryBoard}>Try again</button>
          </div>
          )
        : null}
      {state.status === 'ready' && state.error !== null
        ? <p class='board-note' role='status'>Prices may be behind: {state.error}</p>
        : null}

      <div class='board-scroll'>
        <table class='board-table' onPointerEnter={() => { holding.value = true }} onPointerLeave={() => { holding.value = false }}>
          <caption class='visually-hidden'>Simulated quotes. Select a row for its chart and alerts.</caption>
          <thead>
            <tr>
              <th scope='col' class='col-star'><span class='visually-hidden'>Watchlist</span></th>
              {columns.map((column) => <SortHeader key={column.key} column={column} sort={sort} />)}
              <th scope='col' class='col-spark' title='The last 10 minutes'>Trend</th>
            </tr>
          </thead>
          <tbody>
            {state.status === 'loading' || (state.status === 'error' && total === 0)
              ? <SkeletonRows />
              : shown.map((symbol) => {
                const feed = quoteBoard.feed(symbol)
                return feed ? <BoardRow key={symbol} feed={feed} selected={symbol === selected} /> : null
              })}
          </tbody>
        </table>
        {empty !== null ? <p class='board-empty'>{empty}</p> : null}
      </div>
    </section>
  )
}
