import { useEffect } from 'preact/hooks'
import type { MarketPage } from '../ui/router.ts'
import './market.css'
import './market-pages.css'
import { AlertsPage } from './alerts-page.tsx'
import { MarketBoard } from './market-board.tsx'
import { HeatMapToggle, heatMapOpen, MarketHeatMap } from './market-heat-map.tsx'
import { SymbolDetail } from './symbol-detail.tsx'
import { openMarket } from './ticker-socket.ts'
import { WatchlistsPage } from './watchlists-page.tsx'

/**
 * The market: the board of every symbol and, when a symbol is chosen (`/market/SYM`), its
 * detail beside it (on narrow screens instead of it), and the sector heat map (beside the board on
 * wide screens, above it behind a toggle on narrower ones); or one of its pages, every alert
 * (`/market/alerts`) or the watchlists (`/market/watchlists`). Quotes stream while this view is open.
 */
export const MarketView = ({ symbol, page }: { symbol: string | null, page?: MarketPage | undefined }) => {
  useEffect(() => openMarket(), [])
  if (page === 'alerts') return <AlertsPage />
  if (page === 'watchlists') return <WatchlistsPage />
  return (
    <div class='market' data-detail={symbol === null ? undefined : 'open'}>
      <div class='market-main' data-heat-map={heatMapOpen.value ? 'open' : undefined}>
        <HeatMapToggle />
        <MarketHeatMap />
        <MarketBoard selected={symbol} />
      </div>
      {symbol === null ? null : <SymbolDetail key={symbol} symbol={symbol} />}
    </div>
  )
}
