import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  enqueue, loadOutbox, markFailed, markQueued, markSending, newOutboxItem, nextToSend, outboxKey, pendingInRoom, removeConfirmed, saveOutbox, shouldRequeue,
  type OutboxItem, type OutboxStorage
} from '../../client/src/chat/outbox.ts'

const memoryStorage = (): OutboxStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => { data.set(key, value) },
    removeItem: (key) => { data.delete(key) }
  }
}

const item = (n: number, roomId = 'r1') => newOutboxItem(roomId, `text ${n}`, `client-${n}-abcdef`, 1000 + n)
const ids = (items: readonly OutboxItem[]) => items.map((entry) => entry.clientId)

describe('the outbox', () => {
  it('keeps items in the order written and sends the oldest queued first', () => {
    let items = enqueue(enqueue(enqueue([], item(1)), item(2, 'r2')), item(3))
    assert.deepEqual(ids(items), ['client-1-abcdef', 'client-2-abcdef', 'client-3-abcdef'])
    assert.equal(nextToSend(items)?.clientId, 'client-1-abcdef')
    items = markSending(items, 'client-1-abcdef')
    assert.equal(nextToSend(items)?.clientId, 'client-2-abcdef', 'one in flight is not sent again')
    items = markFailed(items, 'client-2-abcdef', { code: 'rate_limited', message: 'slow down' })
    assert.equal(nextToSend(items)?.clientId, 'client-3-abcdef', 'a failed one waits for Retry')
    items = markQueued(items, 'client-2-abcdef')
    assert.equal(nextToSend(removeConfirmed(items, new Set(['client-1-abcdef'])))?.clientId, 'client-2-abcdef', 'Retry puts it back in line')
  })

  it('does not enqueue the same clientId twice', () => {
    assert.equal(enqueue([item(1)], item(1)).length, 1)
  })

  it('survives a reload per user, with what was in flight queued again', () => {
    const storage = memoryStorage()
    const items = markFailed(markSending([item(1), item(2)], 'client-1-abcdef'), 'client-2-abcdef', { code: 'forbidden', message: 'no' })
    saveOutbox(storage, 'u1', items, new Set())
    const loaded = loadOutbox(storage, 'u1')
    assert.deepEqual(loaded.map((entry) => [entry.clientId, entry.roomId, entry.text, entry.state]), [
      ['client-1-abcdef', 'r1', 'text 1', 'queued'],
      ['client-2-abcdef', 'r1', 'text 2', 'failed']
    ])
    assert.deepEqual(loaded[1]?.error, { code: 'forbidden', message: 'no' })
    assert.deepEqual(loadOutbox(storage, 'u2'), [], 'another user sees nothing of it')
  })

  it('keeps a thread reply\'s thread and "also in the room" through a reload; only those in the room show there', () => {
    const storage = memoryStorage()
    const threadOnly = newOutboxItem('r1', 'in the thread', 'client-t1-abcdef', 1001, undefined, { threadRootId: 'root-1', alsoInRoom: false })
    const alsoInRoom = newOutboxItem('r1', 'in both', 'client-t2-abcdef', 1002, undefined, { threadRootId: 'root-1', alsoInRoom: true })
    saveOutbox(storage, 'u1', [item(0), threadOnly, alsoInRoom], new Set())
    const loaded = loadOutbox(storage, 'u1')
    assert.deepEqual(loaded.map((entry) => [entry.text, entry.threadRootId, entry.alsoInRoom]), [
      ['text 0', undefined, undefined],
      ['in the thread', 'root-1', false],
      ['in both', 'root-1', true]
    ])
    assert.deepEqual(loaded.map(pendingInRoom), [true, false, true])
    assert.equal(nextToSend(loaded)?.clientId, 'client-0-abcdef', 'replies wait their turn in the one queue')
  })

  it('keeps another tab\'s unsent items when saving, but not those seen confirmed', () => {
    const storage = memoryStorage()
    saveOutbox(storage, 'u1', [item(1), item(2)], new Set())
    // This tab knows only item 3, and saw item 2 confirmed.
    saveOutbox(storage, 'u1', [item(3)], new Set(['client-2-abcdef']))
    assert.deepEqual(ids(loadOutbox(storage, 'u1')), ['client-1-abcdef', 'client-3-abcdef'])
  })

  it('removes the key when nothing is left', () => {
    const storage = memoryStorage()
    saveOutbox(storage, 'u1', [item(1)], new Set())
    saveOutbox(storage, 'u1', [], new Set(['client-1-abcdef']))
    assert.equal(storage.data.has(outboxKey('u1')), false)
  })

  it('reads damaged or foreign data as empty and skips malformed entries', () => {
    const storage = memoryStorage()
    storage.setItem(outboxKey('u1'), '{not json')
    assert.deepEqual(loadOutbox(storage, 'u1'), [])
    storage.setItem(outboxKey('u1'), JSON.stringify({ clientId: 'x' }))
    assert.deepEqual(loadOutbox(storage, 'u1'), [])
    storage.setItem(outboxKey('u1'), JSON.stringify([{ clientId: 1 }, { ...item(4), error: 'bad' }]))
    assert.deepEqual(loadOutbox(storage, 'u1'), [{ ...item(4), error: null }])
  })

  it('still works when storage throws (private mode, quota)', () => {
    const broken: OutboxStorage = {
      getItem: () => { throw new Error('denied') },
      setItem: () => { throw new Error('quota') },
      removeItem: () => { throw new Error('denied') }
    }
    assert.deepEqual(loadOutbox(broken, 'u1'), [])
    assert.doesNotThrow(() => saveOutbox(broken, 'u1', [item(1)], new Set()))
  })

  it('waits for the connection after a lost one, and fails otherwise', () => {
    const unavailable = { code: 'unavailable' as const, message: 'no answer' }
    assert.equal(shouldRequeue(unavailable, false), true)
    assert.equal(shouldRequeue(unavailable, true), false, 'a timeout while connected shows Retry')
    assert.equal(shouldRequeue({ code: 'rate_limited', message: 'slow' }, false), false)
  })
})
