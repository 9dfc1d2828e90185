import { useEffect, useRef } from 'preact/hooks'
import { navigate, paths } from '../ui/router.ts'
import { marketFormats, trendOf } from './format.ts'
import { chipQuote, watchChip } from './ticker-socket.ts'
import './symbol-chip.css'

/**
 * A listed `$SYMBOL` in a message: its live price and change, a link to its chart. The quote
 * follows the server only while the chip is on screen (the page keeps one subscription for all).
 */
export const SymbolChip = ({ symbol, tabIndex }: { symbol: string, tabIndex?: number | undefined }) => {
  const ref = useRef<HTMLAnchorElement>(null)
  const quote = chipQuote(symbol).value

  useEffect(() => {
    const element = ref.current
    if (!element) return
    let leave: (() => void) | null = null
    const observer = new IntersectionObserver(([entry]) => {
      if (entry?.isIntersecting) leave ??= watchChip(symbol)
      else {
        leave?.()
        leave = null
      }
    })
    observer.observe(element)
    return () => {
      observer.disconnect()
      leave?.()
    }
  }, [symbol])

  const href = paths.symbol(symbol)
  const open = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  const trend = quote ? trendOf(quote.change) : 'flat'
  const price = quote ? marketFormats.price(quote.price) : null
  const change = quote ? marketFormats.changePct(quote.changePct) : null
  const words = { up: 'up', down: 'down', flat: 'unchanged' }[trend]
  const label = quote ? `${symbol} ${price}, ${words} ${marketFormats.distancePct(quote.changePct)}` : `${symbol}, price loading`

  return (
    <a ref={ref} class='symbol-chip' href={href} data-trend={trend} data-symbol={symbol} tabIndex={tabIndex} aria-label={label} onClick={open}>
      <span class='symbol-chip-symbol'>${symbol}</span>
      {quote && <span class='symbol-chip-price'>{price}</span>}
      {quote && <span class='symbol-chip-change'>{change}</span>}
    </a>
  )
}
