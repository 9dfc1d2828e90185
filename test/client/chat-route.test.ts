import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRoute } from '../../client/src/ui/router.ts'

describe('chat routes', () => {
  it('open a room, and a message in it from ?seq= (as notifications link)', () => {
    assert.deepEqual(parseRoute('/chat'), { name: 'chat', roomId: null })
    assert.deepEqual(parseRoute('/chat/general'), { name: 'chat', roomId: 'general' })
    assert.deepEqual(parseRoute('/chat/abc%20def?seq=42'), { name: 'chat', roomId: 'abc def', seq: 42 })
    assert.deepEqual(parseRoute('/chat/general?seq=42#main'), { name: 'chat', roomId: 'general', seq: 42 })
  })

  it('open a thread beside its room from ?thread= (as thread notifications link)', () => {
    assert.deepEqual(parseRoute('/chat/general?thread=abc_123'), { name: 'chat', roomId: 'general', thread: 'abc_123' })
    assert.deepEqual(parseRoute('/chat/general?seq=4&thread=x'), { name: 'chat', roomId: 'general', seq: 4, thread: 'x' })
    assert.deepEqual(parseRoute('/chat/general?thread='), { name: 'chat', roomId: 'general' })
    assert.deepEqual(parseRoute(`/chat/general?thread=${'a'.repeat(65)}`), { name: 'chat', roomId: 'general' })
  })

  it('ignore a seq that is not a positive whole number', () => {
    for (const query of ['?seq=', '?seq=0', '?seq=-1', '?seq=1.5', '?seq=abc', '?seq=1e400', '?other=1']) {
      assert.deepEqual(parseRoute(`/chat/general${query}`), { name: 'chat', roomId: 'general' }, query)
    }
  })
})
