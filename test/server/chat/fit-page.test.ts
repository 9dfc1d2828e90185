import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Message } from '../../../shared/chat.ts'
import { fitPage } from '../../../server/chat/fit-page.ts'

const message = (seq: number, length: number): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  author: { id: 'u', username: 'alice' },
  text: 'x'.repeat(length),
  clientId: `client-${seq}`,
  createdAt: seq,
  editedAt: null,
  deleted: false
})
const seqs = (page: { messages: Message[] }) => page.messages.map((m) => m.seq)

describe('fitPage', () => {
  const page = { messages: [1, 2, 3, 4].map((seq) => message(seq, 40)), hasMore: false }

  it('leaves a page within the budget as it is', () => {
    assert.deepEqual(fitPage(page, 'oldest', 160), page)
  })

  it('keeps the oldest messages of a catch-up page, and says there is more', () => {
    const cut = fitPage(page, 'oldest', 100)
    assert.deepEqual(seqs(cut), [1, 2])
    assert.equal(cut.hasMore, true)
  })

  it('keeps the newest messages of a history page, still oldest first', () => {
    assert.deepEqual(seqs(fitPage(page, 'newest', 100)), [3, 4])
  })

  it('keeps one message even when it alone is over the budget', () => {
    const cut = fitPage({ messages: [message(7, 500), message(8, 1)], hasMore: false }, 'oldest', 100)
    assert.deepEqual(seqs(cut), [7])
    assert.equal(cut.hasMore, true)
  })

  it('counts reactions, their emoji and who reacted, against the budget', () => {
    const reacted = { ...message(2, 10), reactions: [{ emoji: '👍', count: 1, users: [{ id: 'u1', username: 'bob' }] }] }
    // Text alone, the two would fit in 20; message 2 weighs 10 + 2 + 2 + 3 = 17.
    const cut = fitPage({ messages: [message(1, 10), reacted], hasMore: false }, 'oldest', 20)
    assert.deepEqual(seqs(cut), [1])
    assert.equal(cut.hasMore, true)
  })
})
