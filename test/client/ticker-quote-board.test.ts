import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { effect } from '@preact/signals'
import type { Quote } from '../../shared/ticker.ts'
import { createQuoteBoard, FLASH_HOT_MS, FLASH_MS, isNewerQuote } from '../../client/src/ticker/quote-board.ts'

const quote = (symbol: string, price: number, seq: number, ts = 1000 + seq): Quote => ({
  symbol, name: `${symbol} Inc`, sector: 'Software', price, open: 10, high: Math.max(10, price), low: Math.min(10, price), change: price - 10, changePct: (price - 10) * 10, volume: seq * 100, ts, seq
})

/** A board driven by hand: frames run when the test says so, time is a variable. */
const setup = () => {
  let now = 1_000_000
  let hidden = false
  const frames: Array<() => void> = []
  const board = createQuoteBoard({
    now: () => now,
    requestFrame: (flush) => frames.push(flush),
    isHidden: () => hidden
  })
  const runFrame = () => {
    const pending = frames.splice(0)
    for (const flush of pending) flush()
    return pending.length
  }
  return {
    board,
    runFrame,
    frames,
    advance: (ms: number) => { now += ms },
    hide: (value: boolean) => { hidden = value }
  }
}

describe('isNewerQuote', () => {
  it('orders by time, then by seq, so a restarted server (seq from 0) still wins', () => {
    assert.equal(isNewerQuote({ ts: 10, seq: 5 }, { ts: 10, seq: 4 }), true)
    assert.equal(isNewerQuote({ ts: 10, seq: 4 }, { ts: 10, seq: 4 }), false)
    assert.equal(isNewerQuote({ ts: 20, seq: 1 }, { ts: 10, seq: 900 }), true)
    assert.equal(isNewerQuote({ ts: 5, seq: 901 }, { ts: 10, seq: 900 }), false)
  })
})

describe('createQuoteBoard', () => {
  it('creates a signal per symbol from the snapshot, in listing order', () => {
    const { board } = setup()
    board.applySnapshot([quote('A', 10, 1), quote('B', 20, 1)])
    assert.deepEqual(board.symbols.value, ['A', 'B'])
    assert.equal(board.feed('B')?.quote.value.price, 20)
  })

  it('applies a burst of pushes once, on the next frame, newest per symbol', () => {
    const { board, runFrame, frames } = setup()
    board.applySnapshot([quote('A', 10, 1), quote('B', 20, 1)])
    const renders = { A: 0, B: 0 }
    const stopA = effect(() => { if (board.feed('A')!.quote.value) renders.A++ })
    const stopB = effect(() => { if (board.feed('B')!.quote.value) renders.B++ })

    board.ingest([quote('A', 11, 2)])
    board.ingest([quote('A', 12, 3)])
    board.ingest([quote('A', 11.5, 2)])
    assert.equal(frames.length, 1, 'one frame is requested for the whole burst')
    assert.equal(board.feed('A')!.quote.value.price, 10, 'nothing renders before the frame')
    runFrame()
    assert.equal(board.feed('A')!.quote.value.price, 12, 'the newest quote wins, the late older one is dropped')
    assert.deepEqual(renders, { A: 2, B: 1 }, 'A rendered once more; B, unchanged, not at all')
    stopA()
    stopB()
  })

  it('flashes a moved price hot, then cool, then not, stepping only on frames it draws anyway', () => {
    const { board, runFrame, frames, advance } = setup()
    board.applySnapshot([quote('A', 10, 1), quote('B', 20, 1)])
    const a = board.feed('A')!
    const b = board.feed('B')!
    assert.equal(a.flash.value, undefined, "a snapshot's first quote is no move")
    board.ingest([quote('A', 11, 2)])
    runFrame()
    assert.equal(a.flash.value, 'up-hot')
    advance(FLASH_HOT_MS - 1)
    board.ingest([quote('B', 19, 2)])
    runFrame()
    assert.equal(a.flash.value, 'up-hot', 'still hot just before FLASH_HOT_MS')
    assert.equal(b.flash.value, 'down-hot')
    advance(1)
    board.ingest([quote('B', 19, 3)])
    runFrame()
    assert.equal(a.flash.value, 'up-cool', "another symbol's frame steps it")
    assert.equal(b.flash.value, 'down-hot', 'a trade at the same price is no move, and restarts nothing')
    assert.equal(frames.length, 0, 'the flash asks for no frames of its own')
    advance(FLASH_MS - FLASH_HOT_MS)
    board.tickClock()
    assert.equal(a.flash.value, undefined, 'with no ticks at all, the clock clears it')
    assert.equal(b.flash.value, 'down-cool')
    board.ingest([quote('A', 10.5, 3)])
    runFrame()
    assert.equal(a.flash.value, 'down-hot', 'a new move lights it again, the other way')
    advance(FLASH_HOT_MS)
    board.ingest([quote('A', 10.7, 4)])
    runFrame()
    assert.equal(a.flash.value, 'up-hot', 'a move while lit starts it again')
  })

  it('renders nothing while hidden and catches up on resume', () => {
    const { board, runFrame, frames, hide } = setup()
    board.applySnapshot([quote('A', 10, 1)])
    hide(true)
    board.ingest([quote('A', 11, 2)])
    board.ingest([quote('A', 13, 3)])
    assert.equal(frames.length, 0, 'no frame is requested while hidden')
    hide(false)
    board.resume()
    runFrame()
    assert.equal(board.feed('A')!.quote.value.price, 13)
  })

  it('lets a snapshot repair dropped pushes but never go back in time', () => {
    const { board, runFrame } = setup()
    board.applySnapshot([quote('A', 10, 1)])
    board.applySnapshot([quote('A', 14, 9)])
    assert.equal(board.feed('A')!.quote.value.price, 14, 'a newer snapshot applies at once')
    board.ingest([quote('A', 15, 10)])
    board.applySnapshot([quote('A', 14, 9)])
    runFrame()
    assert.equal(board.feed('A')!.quote.value.price, 15, 'an older snapshot does not undo a newer push')
  })

  it('marks a symbol stale after 30 s without a change, and fresh again on the next one', () => {
    const { board, runFrame, advance } = setup()
    board.applySnapshot([quote('A', 10, 1), quote('B', 10, 1)])
    const feed = board.feed('A')!
    advance(31_000)
    board.tickClock()
    assert.equal(feed.stale.value, true)
    board.ingest([quote('A', 11, 2)])
    runFrame()
    board.tickClock()
    assert.equal(feed.stale.value, false)
    assert.equal(board.feed('B')!.stale.value, true)
  })

  it('keeps a sampled history for the sparkline', () => {
    const { board, runFrame, advance } = setup()
    board.applySnapshot([quote('A', 10, 1)])
    for (let seq = 2; seq < 8; seq++) {
      advance(1000)
      board.ingest([quote('A', 10 + seq, seq)])
      runFrame()
    }
    assert.deepEqual(board.feed('A')!.history.value, [10, 12, 13, 14, 15, 16, 17])
  })

  it('tells listeners which quotes changed (for alert checks)', () => {
    const { board, runFrame } = setup()
    board.applySnapshot([quote('A', 10, 1), quote('B', 10, 1)])
    const seen: string[][] = []
    const stop = board.onApplied((quotes) => seen.push(quotes.map((item) => `${item.symbol}@${item.price}`)))
    board.ingest([quote('B', 12, 2), quote('A', 10, 1)])
    runFrame()
    stop()
    board.ingest([quote('B', 13, 3)])
    runFrame()
    assert.deepEqual(seen, [['B@12']])
  })
})
