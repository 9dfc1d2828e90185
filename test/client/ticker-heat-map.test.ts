import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { heatLevel, layoutHeatMap, needsRelayout, squarify, tileText, tileWeights, type Rect, type Tile, type Weighted } from '../../client/src/ticker/heat-map.ts'

const EPSILON = 1e-6

/** A seeded sequence in [0, 1), so a failure can be replayed. */
const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))

const assertInside = (tiles: readonly Tile[], bounds: Rect) => {
  for (const tile of tiles) {
    assert.ok(tile.w >= 0 && tile.h >= 0, `${tile.id} has a negative size: ${JSON.stringify(tile)}`)
    assert.ok(tile.x >= bounds.x - EPSILON && tile.y >= bounds.y - EPSILON, `${tile.id} starts outside ${JSON.stringify(bounds)}: ${JSON.stringify(tile)}`)
    assert.ok(tile.x + tile.w <= bounds.x + bounds.w + EPSILON && tile.y + tile.h <= bounds.y + bounds.h + EPSILON,
      `${tile.id} ends outside ${JSON.stringify(bounds)}: ${JSON.stringify(tile)}`)
  }
}

const assertNoOverlap = (tiles: readonly Tile[]) => {
  for (let i = 0; i < tiles.length; i++) {
    for (let j = i + 1; j < tiles.length; j++) {
      const shared = overlap(tiles[i]!, tiles[j]!)
      assert.ok(shared < 1e-6, `${tiles[i]!.id} and ${tiles[j]!.id} overlap by ${shared}: ${JSON.stringify(tiles[i])} ${JSON.stringify(tiles[j])}`)
    }
  }
}

const assertProportional = (tiles: readonly Tile[], items: readonly Weighted[], bounds: Rect) => {
  const total = items.reduce((sum, item) => sum + item.weight, 0)
  const byId = new Map(tiles.map((tile) => [tile.id, tile]))
  for (const item of items) {
    const tile = byId.get(item.id)
    assert.ok(tile, `no tile for ${item.id}`)
    const expected = (item.weight / total) * bounds.w * bounds.h
    assert.ok(Math.abs(tile.w * tile.h - expected) <= expected * 1e-6 + 1e-6, `${item.id}: expected area ${expected}, saw ${tile.w * tile.h}`)
  }
}

describe('squarify', () => {
  it('gives every item one tile, its area its share of the bounds, inside them, none overlapping', () => {
    const random = seeded(7)
    for (const bounds of [{ x: 0, y: 0, w: 600, h: 400 }, { x: 12, y: 30, w: 300, h: 900 }, { x: 5, y: 5, w: 1000, h: 120 }]) {
      for (const count of [1, 2, 5, 13, 66]) {
        const items = Array.from({ length: count }, (_, i) => ({ id: `S${i}`, weight: 1 + Math.floor(random() * 1_000_000) }))
        const tiles = squarify(items, bounds)
        assert.equal(tiles.length, count)
        assert.deepEqual(new Set(tiles.map((tile) => tile.id)), new Set(items.map((item) => item.id)))
        assertProportional(tiles, items, bounds)
        assertInside(tiles, bounds)
        assertNoOverlap(tiles)
        const covered = tiles.reduce((sum, tile) => sum + tile.w * tile.h, 0)
        assert.ok(Math.abs(covered - bounds.w * bounds.h) < 1e-3, `the tiles cover ${covered} of ${bounds.w * bounds.h}`)
      }
    }
  })

  it('keeps tiles close to squares (the point of squarifying)', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ id: `S${i}`, weight: 20 - i }))
    const tiles = squarify(items, { x: 0, y: 0, w: 800, h: 500 })
    const worst = Math.max(...tiles.map((tile) => Math.max(tile.w / tile.h, tile.h / tile.w)))
    assert.ok(worst < 4, `the most elongated tile has aspect ratio ${worst}`)
  })

  it('shares the area equally when no item has weight, and gives zero-weight items empty tiles', () => {
    const bounds = { x: 0, y: 0, w: 100, h: 100 }
    const equal = squarify([{ id: 'A', weight: 0 }, { id: 'B', weight: 0 }], bounds)
    assert.deepEqual(equal.map((tile) => tile.w * tile.h), [5000, 5000])
    const some = squarify([{ id: 'A', weight: 3 }, { id: 'B', weight: 0 }, { id: 'C', weight: 1 }], bounds)
    assert.equal(some.find((tile) => tile.id === 'B')!.w * some.find((tile) => tile.id === 'B')!.h, 0)
    assertInside(some, bounds)
    assertNoOverlap(some)
  })
})

describe('layoutHeatMap', () => {
  const sectors = ['Technology', 'Energy', 'Utilities', 'Healthcare']
  const random = seeded(3)
  const items = Array.from({ length: 26 }, (_, i) => ({ symbol: `S${i}`, sector: sectors[i % sectors.length]!, volume: Math.floor(random() * 5_000_000) }))
  const bounds = { x: 0, y: 0, w: 560, h: 720 }
  const layout = layoutHeatMap(items, bounds, 18)

  it('groups the tiles by sector, each inside its sector box, below its label', () => {
    assert.equal(layout.tiles.length, items.length)
    assert.deepEqual(layout.sectors.map((box) => box.sector).sort(), [...sectors].sort())
    assertInside(layout.sectors.map((box) => ({ ...box, id: box.sector })), bounds)
    assertNoOverlap(layout.sectors.map((box) => ({ ...box, id: box.sector })))
    assertNoOverlap(layout.tiles)
    for (const box of layout.sectors) {
      const inner = box.labelled ? { x: box.x, y: box.y + 18, w: box.w, h: box.h - 18 } : box
      const own = layout.tiles.filter((tile) => items.find((item) => item.symbol === tile.id)!.sector === box.sector)
      assertInside(own, inner)
    }
    assert.ok(layout.sectors.every((box) => box.labelled), 'every sector of a roomy map has its label')
  })

  it('sizes tiles by volume across sectors, raising the smallest to a floor', () => {
    const weights = tileWeights(items)
    const total = [...weights.values()].reduce((sum, value) => sum + value, 0)
    // Every sector box loses its label strip, so compare within a sector: areas follow weights there.
    for (const box of layout.sectors) {
      const own = layout.tiles.filter((tile) => items.find((item) => item.symbol === tile.id)!.sector === box.sector)
      const innerArea = box.w * (box.labelled ? box.h - 18 : box.h)
      const ownWeight = own.reduce((sum, tile) => sum + weights.get(tile.id)!, 0)
      for (const tile of own) {
        const expected = (weights.get(tile.id)! / ownWeight) * innerArea
        assert.ok(Math.abs(tile.w * tile.h - expected) < 1e-3, `${tile.id}: expected ${expected}, saw ${tile.w * tile.h}`)
      }
      assert.ok(Math.abs(box.w * box.h - (ownWeight / total) * bounds.w * bounds.h) < 1e-3, `${box.sector} area`)
    }
    const floored = tileWeights([{ symbol: 'A', sector: 'X', volume: 0 }, { symbol: 'B', sector: 'X', volume: 1000 }])
    assert.ok(floored.get('A')! > 0, 'a symbol with no volume yet still gets a tile')
    assert.equal(floored.get('B'), 1000)
  })
})

describe('needsRelayout', () => {
  it('lays out again only when a share moves meaningfully or the symbols change', () => {
    const before = new Map([['A', 1000], ['B', 990], ['C', 100]])
    assert.equal(needsRelayout(before, new Map([['A', 1000], ['B', 1010], ['C', 101]])), false, 'near neighbours swapping is not enough')
    assert.equal(needsRelayout(before, new Map([['A', 1000], ['B', 990], ['C', 400]])), true)
    assert.equal(needsRelayout(before, new Map([['A', 1000], ['B', 990]])), true)
    assert.equal(needsRelayout(before, new Map([['A', 1000], ['B', 990], ['D', 100]])), true)
  })
})

describe('heatLevel and tileText', () => {
  it('steps colours by the size of the change, signed', () => {
    assert.deepEqual([-5, -2, -1, -0.3, 0, 0.01, 0.3, 1, 2, 5].map(heatLevel), [-4, -3, -2, -1, 0, 0, 1, 2, 3, 4])
  })

  it('hides text on tiles too small for it', () => {
    assert.equal(tileText({ w: 120, h: 60 }), 'full')
    assert.equal(tileText({ w: 44, h: 20 }), 'symbol')
    assert.equal(tileText({ w: 20, h: 60 }), 'none')
  })
})
