import { h } from 'preact'
import { knowListedSymbols, listedSymbols } from '../ticker/ticker-socket.ts'
import { SymbolChip } from '../ticker/symbol-chip.tsx'
import { renderMessage, type RenderChip } from './format/render-message.ts'

/** A listed symbol becomes a chip; until the listings are known (or for others) it stays text. */
const chip: RenderChip = (symbol, key, tabIndex) => {
  const listed = listedSymbols.value
  if (listed === null) knowListedSymbols()
  return listed?.has(symbol) ? h(SymbolChip, { key, symbol, tabIndex }) : null
}

/** A message's text, formatted (format/): elements from a parsed tree, never HTML. */
export const MessageText = ({ text, myName, linkTabIndex }: { text: string, myName: string | null, linkTabIndex?: number | undefined }) => (
  <>{renderMessage(text, myName, linkTabIndex, chip)}</>
)
