/** A rectangle in pixels, from the top left corner. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface Weighted {
  id: string
  weight: number
}

export interface Tile extends Rect {
  id: string
}

/** How long a row of areas laid along `side` is from a square: its worst aspect ratio (1 is best). */
const worst = (row: readonly number[], side: number) => {
  let sum = 0
  let max = 0
  let min = Infinity
  for (const area of row) {
    sum += area
    if (area > max) max = area
    if (area < min) min = area
  }
  if (sum === 0 || min === 0) return Infinity
  const sideSq = side * side
  return Math.max((sideSq * max) / (sum * sum), (sum * sum) / (sideSq * min))
}

/**
 * A squarified treemap (Bruls, Huizing and van Wijk): each item gets a tile whose area is its
 * share of the weights times the area of `bounds`, the tiles cover `bounds` without overlapping,
 * and rows are filled while that keeps their tiles closer to squares. Heaviest first; items
 * keep their ids, equal weights keep their order. Weights of zero or less get empty tiles (when
 * every weight is zero the items share the area equally).
 */
export const squarify = (items: readonly Weighted[], bounds: Rect): Tile[] => {
  const positive = items.map((item) => ({ id: item.id, weight: item.weight > 0 && Number.isFinite(item.weight) ? item.weight : 0 }))
  let total = positive.reduce((sum, item) => sum + item.weight, 0)
  if (total === 0) {
    for (const item of positive) item.weight = 1
    total = positive.length
  }
  const sorted = positive.map((item, index) => ({ ...item, index })).sort((a, b) => b.weight - a.weight || a.index - b.index)
  const scale = bounds.w > 0 && bounds.h > 0 && total > 0 ? (bounds.w * bounds.h) / total : 0
  const areas = sorted.map((item) => item.weight * scale)
  const tiles: Tile[] = []
  const free = { ...bounds }

  const placeRow = (start: number, end: number) => {
    let sum = 0
    for (let i = start; i < end; i++) sum += areas[i]!
    const last = end === sorted.length
    if (free.w >= free.h) {
      // A column along the left edge; the last row takes exactly what is left (no float drift).
      const width = last ? free.w : free.h > 0 ? Math.min(free.w, sum / free.h) : 0
      let y = free.y
      for (let i = start; i < end; i++) {
        const height = i === end - 1 ? free.y + free.h - y : width > 0 ? areas[i]! / width : 0
        tiles.push({ id: sorted[i]!.id, x: free.x, y, w: width, h: Math.max(0, height) })
        y += height
      }
      free.x += width
      free.w = Math.max(0, free.w - width)
    } else {
      const height = last ? free.h : free.w > 0 ? Math.min(free.h, sum / free.w) : 0
      let x = free.x
      for (let i = start; i < end; i++) {
        const width = i === end - 1 ? free.x + free.w - x : height > 0 ? areas[i]! / height : 0
        tiles.push({ id: sorted[i]!.id, x, y: free.y, w: Math.max(0, width), h: height })
        x += width
      }
      free.y += height
      free.h = Math.max(0, free.h - height)
    }
  }

  let start = 0
  const row: number[] = []
  for (let i = 0; i < areas.length; i++) {
    const side = Math.min(free.w, free.h)
    const area = areas[i]!
    if (row.length === 0 || worst([...row, area], side) <= worst(row, side)) {
      row.push(area)
      continue
    }
    placeRow(start, i)
    start = i
    row.length = 0
    row.push(area)
  }
  if (row.length > 0) placeRow(start, areas.length)
  return tiles
}

export interface HeatMapItem {
  symbol: string
  sector: string
  volume: number
}

export interface SectorBox extends Rect {
  sector: string
  /** Whether the sector's name fits above its tiles (a strip of `labelHeight` is kept for it). */
  labelled: boolean
}

export interface HeatMapLayout {
  sectors: SectorBox[]
  tiles: Tile[]
}

/**
 * No tile is smaller than this share of the average tile, so a symbol that has barely traded
 * still has a tile to point at (tiles are sized by volume, which starts at zero every day).
 */
const MIN_SHARE_OF_AVERAGE = 0.15

/** The weight each symbol's tile gets: its volume, raised to a floor relative to the average. */
export const tileWeights = (items: readonly HeatMapItem[]): Map<string, number> => {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.volume), 0)
  const floor = items.length > 0 ? (total / items.length) * MIN_SHARE_OF_AVERAGE : 0
  return new Map(items.map((item) => [item.symbol, Math.max(item.volume, floor, 0)]))
}

/**
 * The heat map: a treemap of the sectors by their symbols' weights, each sector a treemap of its
 * symbols. A sector big enough keeps a strip of `labelHeight` at its top for its name.
 */
export const layoutHeatMap = (items: readonly HeatMapItem[], bounds: Rect, labelHeight: number): HeatMapLayout => {
  const weights = tileWeights(items)
  const bySector = new Map<string, HeatMapItem[]>()
  for (const item of items) {
    const list = bySector.get(item.sector)
    if (list === undefined) bySector.set(item.sector, [item])
    else list.push(item)
  }
  const sectorWeight = (list: readonly HeatMapItem[]) => list.reduce((sum, item) => sum + weights.get(item.symbol)!, 0)
  const boxes = squarify([...bySector].map(([sector, list]) => ({ id: sector, weight: sectorWeight(list) })), bounds)
  const sectors: SectorBox[] = []
  const tiles: Tile[] = []
  for (const box of boxes) {
    const list = bySector.get(box.id)!
    const labelled = box.h >= labelHeight * 3 && box.w >= labelHeight * 3
    const inner = labelled ? { x: box.x, y: box.y + labelHeight, w: box.w, h: box.h - labelHeight } : box
    sectors.push({ sector: box.id, x: box.x, y: box.y, w: box.w, h: box.h, labelled })
    tiles.push(...squarify(list.map((item) => ({ id: item.symbol, weight: weights.get(item.symbol)! })), inner))
  }
  return { sectors, tiles }
}

/**
 * A share of the total weight must move this much (relative to itself) before the tiles are
 * laid out again: a steady map is easier to read and to click than one that shuffles.
 */
const RELAYOUT_SHARE_CHANGE = 0.2

/**
 * Whether weights moved enough since the last layout to lay the map out again: a symbol came or
 * went, or some symbol's share of the total changed by a fifth or more. Neighbours of about the
 * same volume trading places do not count: that would shuffle the map for nothing.
 */
export const needsRelayout = (previous: ReadonlyMap<string, number>, next: ReadonlyMap<string, number>): boolean => {
  if (previous.size !== next.size) return true
  const share = (weights: ReadonlyMap<string, number>) => {
    const total = [...weights.values()].reduce((sum, value) => sum + value, 0)
    return (value: number) => (total > 0 ? value / total : 0)
  }
  const before = share(previous)
  const after = share(next)
  for (const [symbol, weight] of next) {
    const old = previous.get(symbol)
    if (old === undefined) return true
    const a = before(old)
    const b = after(weight)
    if (Math.abs(b - a) > Math.max(a, b) * RELAYOUT_SHARE_CHANGE) return true
  }
  return false
}

/** The colour step of a day's change in percent: 0 for flat, 1-4 up, -1 to -4 down. */
export const heatLevel = (changePct: number): number => {
  const size = Math.abs(changePct)
  const step = size < 0.05 ? 0 : size < 0.75 ? 1 : size < 1.5 ? 2 : size < 3 ? 3 : 4
  return changePct < 0 ? -step : step
}

/** Which text a tile of this size has room for: both lines, the symbol only, or none. */
export const tileText = (tile: Pick<Rect, 'w' | 'h'>): 'full' | 'symbol' | 'none' =>
  tile.w >= 60 && tile.h >= 34 ? 'full' : tile.w >= 42 && tile.h >= 18 ? 'symbol' : 'none'
