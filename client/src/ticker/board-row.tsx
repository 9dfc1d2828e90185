import { useComputed } from '@preact/signals'
import { navigate, paths } from '../ui/router.ts'
import { BellIcon, StarIcon } from '../ui/icons.tsx'
import { marketFormats as fmt, trendOf } from './format.ts'
import type { SymbolFeed } from './quote-board.ts'
import { SparklineChart } from './sparkline-chart.tsx'
import { alertsState, watchlist } from './ticker-socket.ts'

interface BoardRowProps {
  feed: SymbolFeed
  selected: boolean
}

const STALE_TITLE = 'No update for over 30 seconds'

/**
 * One symbol of the board. It renders once: every changing value is a signal bound straight to
 * a text node or an attribute, so a tick touches only the cells whose text changed. The price's
 * flash is an attribute of its own cell, stepped by the quote board (quote-board.ts).
 */
export const BoardRow = ({ feed, selected }: BoardRowProps) => {
  const { symbol, quote } = feed
  const price = useComputed(() => fmt.price(quote.value.price))
  const change = useComputed(() => fmt.change(quote.value.change))
  const changePct = useComputed(() => fmt.changePct(quote.value.changePct))
  const volume = useComputed(() => fmt.compactVolume(quote.value.volume))
  const fullVolume = useComputed(() => `${fmt.volume(quote.value.volume)} shares today`)
  const name = useComputed(() => quote.value.name)
  const trend = useComputed(() => trendOf(quote.value.change))
  const stale = useComputed(() => (feed.stale.value ? 'true' : undefined))
  const staleTitle = useComputed(() => (feed.stale.value ? STALE_TITLE : ''))
  const starred = useComputed(() => watchlist.starred.value.has(symbol))
  const starLabel = useComputed(() => (starred.value ? `Remove ${symbol} from watchlist` : `Add ${symbol} to watchlist`))
  const noAlert = useComputed(() => !alertsState.value.alerts.some((alert) => alert.symbol === symbol))

  const open = () => navigate(paths.symbol(symbol))
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return
    const row = event.currentTarget as HTMLTableRowElement
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      open()
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      // Arrows move between rows, quicker than tabbing through every star.
      const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling
      if (next instanceof HTMLElement) {
        event.preventDefault()
        next.focus()
      }
    }
  }
  const onClick = (event: MouseEvent) => {
    // The star and the link handle their own clicks.
    if ((event.target as Element).closest('button, a')) return
    open()
  }
  const onLinkClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    open()
  }

  return (
    <tr
      class='board-row'
      tabIndex={0}
      data-symbol={symbol}
      data-trend={trend}
      data-stale={stale}
      aria-current={selected ? 'true' : undefined}
      title={staleTitle}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <td class='col-star'>
        <button type='button' class='star-button' aria-pressed={starred} aria-label={starLabel} onClick={() => watchlist.toggle(symbol)}>
          <StarIcon size={16} />
        </button>
      </td>
      <th scope='row' class='col-symbol'>
        <a class='symbol-link' href={paths.symbol(symbol)} tabIndex={-1} onClick={onLinkClick}>{symbol}</a>
        <span class='row-alert' hidden={noAlert} title='You have a price alert on this symbol'>
          <BellIcon size={13} />
          <span class='visually-hidden'>(alert set)</span>
        </span>
        <span class='row-stale-tag' aria-hidden='true'>stale</span>
        <span class='symbol-sub' aria-hidden='true'>{name}</span>
      </th>
      <td class='col-name'><span class='name-text'>{name}</span></td>
      <td class='col-num col-price'><span class='price-text' data-flash={feed.flash}>{price}</span></td>
      <td class='col-num col-change'><span class='change-text'>{change}</span></td>
      <td class='col-num col-pct'><span class='pct-pill'>{changePct}</span></td>
      <td class='col-num col-volume' title={fullVolume}><span class='volume-text'>{volume}</span></td>
      <td class='col-spark'><SparklineChart history={feed.history} /></td>
    </tr>
  )
}
