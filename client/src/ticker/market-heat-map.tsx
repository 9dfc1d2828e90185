import { signal, useComputed, useSignal, type ReadonlySignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { navigate, paths } from '../ui/router.ts'
import { marketFormats as fmt } from './format.ts'
import { heatLevel, layoutHeatMap, needsRelayout, tileText, tileWeights, type HeatMapLayout, type Tile } from './heat-map.ts'
import type { SymbolFeed } from './quote-board.ts'
import { quoteBoard } from './ticker-socket.ts'

/** Tiles are laid out again (when volumes moved enough) at most this often; colours and text update on every tick. */
const LAYOUT_MS = 4_000
const LABEL_HEIGHT = 18
const OPEN_KEY = 'hubbub:heat-map-open'

const storage = () => {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** Whether the heat map is shown above the board on screens too narrow to show it beside it (kept in this browser). */
export const heatMapOpen = signal(storage()?.getItem(OPEN_KEY) === 'true')

const setHeatMapOpen = (open: boolean) => {
  heatMapOpen.value = open
  try {
    storage()?.setItem(OPEN_KEY, String(open))
  } catch {
    // Storage blocked or full: the choice lasts for this visit.
  }
}

/** The strip above the board on narrower screens that shows or hides the heat map. */
export const HeatMapToggle = () => (
  <div class='heat-toggle-strip'>
    <button
      type='button'
      class='heat-toggle'
      aria-expanded={heatMapOpen.value}
      aria-controls='heat-map'
      onClick={() => setHeatMapOpen(!heatMapOpen.value)}
    >
      <span class='heat-toggle-swatches' aria-hidden='true'>
        <span data-heat='-3' /><span data-heat='0' /><span data-heat='3' />
      </span>
      {heatMapOpen.value ? 'Hide heat map' : 'Show heat map'}
    </button>
  </div>
)

const px = (value: number) => `${Math.round(value * 100) / 100}px`

/** One symbol: placed by the layout, its colour and text bound to its quote so a tick touches only them. */
const HeatTile = ({ feed, tile, focusable }: { feed: SymbolFeed, tile: Tile, focusable: boolean }) => {
  const { symbol, quote } = feed
  const pct = useComputed(() => fmt.changePct(quote.value.changePct))
  const level = useComputed(() => String(heatLevel(quote.value.changePct)))
  const label = useComputed(() => `${symbol}, ${quote.value.name}: ${pct.value} today, ${fmt.compactVolume(quote.value.volume)} shares`)
  const text = tileText(tile)
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(paths.symbol(symbol))
  }
  return (
    <a
      class='heat-tile'
      href={paths.symbol(symbol)}
      data-symbol={symbol}
      data-heat={level}
      data-text={text}
      tabIndex={focusable ? 0 : -1}
      aria-label={label}
      title={label}
      style={{ left: px(tile.x), top: px(tile.y), width: px(tile.w), height: px(tile.h) }}
      onClick={onClick}
    >
      {text === 'none' ? null : <span class='heat-symbol'>{symbol}</span>}
      {text === 'full' ? <span class='heat-pct'>{pct}</span> : null}
    </a>
  )
}

/** Arrows move between tiles (the map is one stop for Tab, not one per symbol): the tile focused last keeps the stop. */
const onTilesKeyDown = (active: { value: string | null }) => (event: KeyboardEvent) => {
  const current = (event.target as Element).closest('.heat-tile')
  if (!(current instanceof HTMLElement)) return
  const tiles = Array.from(event.currentTarget instanceof Element ? event.currentTarget.querySelectorAll<HTMLElement>('.heat-tile') : [])
  const index = tiles.indexOf(current)
  const target = event.key === 'ArrowRight' || event.key === 'ArrowDown'
    ? tiles[index + 1]
    : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
      ? tiles[index - 1]
      : event.key === 'Home' ? tiles[0] : event.key === 'End' ? tiles.at(-1) : undefined
  if (target === undefined) return
  event.preventDefault()
  active.value = target.dataset.symbol ?? null
  target.focus()
}

/** Reads a signal only to re-run the computation that reads it. */
const track = (source: ReadonlySignal<unknown>) => source.value

const Legend = () => (
  <div class='heat-legend' aria-hidden='true'>
    <span>−3 %</span>
    {[-4, -3, -2, -1, 0, 1, 2, 3, 4].map((level) => <span key={level} class='heat-legend-step' data-heat={level} />)}
    <span>+3 %</span>
  </div>
)

/**
 * The market's breadth at a glance: a tile per symbol sized by today's volume, coloured by
 * today's change, grouped by sector. The layout is computed from the box's size and re-done only
 * when volumes shift meaningfully; each tile follows its own quote.
 */
export const MarketHeatMap = () => {
  const box = useRef<HTMLDivElement>(null)
  const size = useSignal({ w: 0, h: 0 })
  const active = useSignal<string | null>(null)
  const epoch = useComputed(() => Math.floor(quoteBoard.clock.value / LAYOUT_MS))
  const last = useRef<{ w: number, h: number, weights: Map<string, number>, layout: HeatMapLayout } | null>(null)

  useEffect(() => {
    const element = box.current
    if (element === null) return
    const observer = new ResizeObserver(() => {
      const w = Math.floor(element.clientWidth)
      const h = Math.floor(element.clientHeight)
      if (w !== size.peek().w || h !== size.peek().h) size.value = { w, h }
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const layout = useComputed(() => {
    const { w, h } = size.value
    const symbols = quoteBoard.symbols.value
    track(epoch)
    const items = symbols.map((symbol) => {
      const { sector, volume } = quoteBoard.feed(symbol)!.quote.peek()
      return { symbol, sector, volume }
    })
    const weights = tileWeights(items)
    const previous = last.current
    if (previous !== null && previous.w === w && previous.h === h && !needsRelayout(previous.weights, weights)) return previous.layout
    const next = w > 0 && h > 0 ? layoutHeatMap(items, { x: 0, y: 0, w, h }, LABEL_HEIGHT) : { sectors: [], tiles: [] }
    last.current = { w, h, weights, layout: next }
    return next
  })

  const { sectors, tiles } = layout.value
  const stop = tiles.some((tile) => tile.id === active.value) ? active.value : tiles[0]?.id
  return (
    <section id='heat-map' class='heat-map' aria-labelledby='heat-map-title'>
      <header class='heat-header'>
        <div>
          <h2 id='heat-map-title' class='heat-title'>Heat map</h2>
          <p class='heat-subtitle'>Size: volume today. Colour: change today.</p>
        </div>
        <Legend />
      </header>
      <div class='heat-box' ref={box}>
        {sectors.map((sector) => (
          <div
            key={sector.sector}
            class='heat-sector'
            style={{ left: px(sector.x), top: px(sector.y), width: px(sector.w), height: px(sector.h) }}
          >
            {sector.labelled ? <span class='heat-sector-name' style={{ height: px(LABEL_HEIGHT) }} title={sector.sector}>{sector.sector}</span> : null}
          </div>
        ))}
        <div
          class='heat-tiles'
          role='group'
          aria-label='Symbols by sector'
          onKeyDown={onTilesKeyDown(active)}
          onFocusIn={(event) => { active.value = (event.target as HTMLElement).dataset.symbol ?? active.value }}
        >
          {tiles.map((tile) => {
            const feed = quoteBoard.feed(tile.id)
            return feed ? <HeatTile key={tile.id} feed={feed} tile={tile} focusable={tile.id === stop} /> : null
          })}
        </div>
      </div>
    </section>
  )
}
