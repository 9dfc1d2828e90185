import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { badgeText, countArrivals, countDeletions, unreadSnapshot } from '../../client/src/chat/unread.ts'
import { alice, msg } from './chat-fixtures.ts'

describe('unread counts', () => {
  it('add others\' new live messages past the server\'s figure', () => {
    const state = unreadSnapshot(2, 10)
    const next = countArrivals(state, [msg(11), msg(12, { author: alice }), msg(13, { deleted: true }), msg(9)], alice.id)
    assert.equal(next.count, 3, 'one from bob past seq 10; not my own, not a deleted one, not one the server counted')
    assert.equal(next.countedThrough, 10)
  })

  it('leave out thread replies not sent to the room, as the server does', () => {
    const next = countArrivals(unreadSnapshot(0, 10), [msg(11, { threadRootId: 'm1', alsoInRoom: false }), msg(12, { threadRootId: 'm1', alsoInRoom: true }), msg(13)], alice.id)
    assert.equal(next.count, 2, 'the reply also sent to the room and the plain message')
  })

  it('do not change for messages the server already counted (a re-join after a reconnect)', () => {
    const state = unreadSnapshot(4, 20)
    assert.equal(countArrivals(state, [msg(17), msg(18), msg(19), msg(20)], alice.id), state)
  })

  it('go down when a counted message is deleted', () => {
    const state = countArrivals(unreadSnapshot(0, 10), [msg(11), msg(12)], alice.id)
    assert.equal(state.count, 2)
    const after = countDeletions(state, [msg(12)], [msg(11), msg(12, { deleted: true, text: '' })], alice.id)
    assert.equal(after.count, 1)
    assert.equal(countDeletions(state, [msg(12)], [msg(11), msg(12, { text: 'edited' })], alice.id), state, 'an edit changes nothing')
  })

  it('never go below zero', () => {
    assert.equal(unreadSnapshot(-3, 0).count, 0)
    assert.equal(countDeletions(unreadSnapshot(0, 0), [msg(1)], [msg(1, { deleted: true })], alice.id).count, 0)
  })

  it('show as a short badge', () => {
    assert.equal(badgeText(0), null)
    assert.equal(badgeText(7), '7')
    assert.equal(badgeText(99), '99')
    assert.equal(badgeText(100), '99+')
  })
})
