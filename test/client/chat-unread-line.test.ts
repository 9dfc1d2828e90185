import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Timeline } from '../../client/src/chat/timeline.ts'
import { lineOnEntry, placeUnreadLine } from '../../client/src/chat/unread-line.ts'
import { unreadSnapshot } from '../../client/src/chat/unread.ts'
import { alice, range } from './chat-fixtures.ts'

const window = (from: number, to: number, startReached = from === 1): Timeline =>
  ({ messages: range(from, to), syncedThrough: to, startReached, loaded: true })

describe('lineOnEntry', () => {
  it('follows the read marker when something past it is unread', () => {
    assert.equal(lineOnEntry(7, unreadSnapshot(3, 10)), 7)
  })

  it('draws no line in a room read to the end', () => {
    assert.equal(lineOnEntry(10, unreadSnapshot(0, 10)), null)
  })
})

describe('placeUnreadLine', () => {
  it('goes above the first message past the marker', () => {
    assert.deepEqual(placeUnreadLine(window(1, 10), 6), { kind: 'before', seq: 7 })
  })

  it('goes above the first message of a window that starts right after the marker', () => {
    assert.deepEqual(placeUnreadLine(window(7, 10, false), 6), { kind: 'before', seq: 7 })
  })

  it('asks for older history when the first unread message is before the held window', () => {
    assert.deepEqual(placeUnreadLine(window(40, 90, false), 6), { kind: 'older', seq: 7 })
  })

  it('goes above the room\'s first message when everything is unread', () => {
    assert.deepEqual(placeUnreadLine(window(1, 5), 0), { kind: 'before', seq: 1 })
  })

  it('marks a message one wrote oneself when the marker was set back to it (mark unread from here)', () => {
    const timeline: Timeline = { ...window(1, 6), messages: [...range(1, 3), ...range(4, 4, { author: alice }), ...range(5, 6)] }
    assert.deepEqual(placeUnreadLine(timeline, 3), { kind: 'before', seq: 4 })
  })

  it('draws nothing without a marker, before it is decided, or when nothing held is past it', () => {
    assert.deepEqual(placeUnreadLine(window(1, 10), null), { kind: 'none' })
    assert.deepEqual(placeUnreadLine(window(1, 10), undefined), { kind: 'none' })
    assert.deepEqual(placeUnreadLine(window(1, 10), 10), { kind: 'none' })
    assert.deepEqual(placeUnreadLine({ messages: [], syncedThrough: 0, startReached: false, loaded: false }, 3), { kind: 'none' })
  })
})
