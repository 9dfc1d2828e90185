import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { lazy } from '../../client/src/realtime/lazy-socket.ts'

describe('lazy', () => {
  it('makes the value on first use only, and peek() never makes it', () => {
    let made = 0
    const value = lazy(() => ({ n: ++made }))
    assert.equal(value.peek(), null)
    assert.equal(made, 0)
    const first = value()
    assert.equal(value(), first)
    assert.equal(value.peek(), first)
    assert.equal(made, 1)
  })

  it('sets the value up once, when peek() already returns it (listeners that run at once find it)', () => {
    const seen: Array<{ n: number } | null> = []
    const value = lazy(() => ({ n: 1 }), (made) => { seen.push(value.peek()); assert.equal(made.n, 1) })
    value()
    value()
    assert.equal(seen.length, 1)
    assert.equal(seen[0], value.peek())
  })
})
