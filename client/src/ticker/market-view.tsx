import { useEffect } from 'preact/hooks'
import './market.css'
import { MarketBoard } from './market-board.tsx'
import { SymbolDetail } from './symbol-detail.tsx'
import { openMarket } from './ticker-socket.ts'

/**
 * The market: the board of every symbol and, when a symbol is chosen (`/market/SYM`), its
 * detail beside it (on narrow screens instead of it). Quotes stream while this view is open.
 */
export const MarketView = ({ symbol }: { symbol: string | null }) => {
  useEffect(() => openMarket(), [])
  return (
    <div class='market' data-detail={symbol === null ? undefined : 'open'}>
      <MarketBoard selected={symbol} />
      {symbol === null ? null : <SymbolDetail key={symbol} symbol={symbol} />}
    </div>
  )
}
