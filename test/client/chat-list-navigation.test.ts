import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rovingIndex, tabStopKey } from '../../client/src/chat/list-navigation.ts'

describe('rovingIndex', () => {
  it('moves one item with the arrows and stops at the ends', () => {
    assert.equal(rovingIndex(2, 'ArrowUp', 5), 1)
    assert.equal(rovingIndex(2, 'ArrowDown', 5), 3)
    assert.equal(rovingIndex(0, 'ArrowUp', 5), 0)
    assert.equal(rovingIndex(4, 'ArrowDown', 5), 4)
  })

  it('goes to the first and last items with Home and End, and leaves other keys alone', () => {
    assert.equal(rovingIndex(2, 'Home', 5), 0)
    assert.equal(rovingIndex(2, 'End', 5), 4)
    assert.equal(rovingIndex(2, 'Tab', 5), null)
    assert.equal(rovingIndex(0, 'ArrowDown', 0), null, 'an empty list')
  })
})

describe('tabStopKey', () => {
  it('is the item last focused while it is listed, else the newest', () => {
    assert.equal(tabStopKey(['a', 'b', 'c'], 'b'), 'b')
    assert.equal(tabStopKey(['a', 'b', 'c'], 'gone'), 'c')
    assert.equal(tabStopKey(['a', 'b', 'c'], null), 'c')
    assert.equal(tabStopKey([], null), null)
  })
})
