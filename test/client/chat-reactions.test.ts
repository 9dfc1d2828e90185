import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applyReactions, describeReaction, describeReactors } from '../../client/src/chat/reactions.ts'
import { applyUpdate, emptyTimeline, applyCatchUp } from '../../client/src/chat/timeline.ts'
import { msg } from './chat-fixtures.ts'

const message = (seq: number, rev = 0) => msg(seq, { roomId: 'r', text: `t${seq}`, reactions: [], rev })
const held = applyCatchUp(emptyTimeline(0), [message(1), message(2)]).timeline
const thumbs = (rev: number, ...users: string[]) => ({
  roomId: 'r', messageId: 'm2', seq: 2, rev, reactions: [{ emoji: '👍', count: users.length, users: users.map((id) => ({ id, username: id })) }]
})

describe('applyReactions', () => {
  it('puts a newer state of a held message\'s reactions in place, and ignores an older or repeated one', () => {
    const once = applyReactions(held, thumbs(3, 'bob')).timeline
    assert.deepEqual(once.messages[1]?.reactions?.[0]?.count, 1)
    assert.equal(once.messages[1]?.rev, 3)
    assert.equal(applyReactions(once, thumbs(3, 'bob', 'carol')).timeline, once, 'same rev: nothing')
    assert.equal(applyReactions(once, thumbs(2)).timeline, once, 'older: nothing')
    assert.equal(applyReactions(held, { ...thumbs(1), seq: 9, messageId: 'm9' }).timeline, held, 'not held: nothing')
  })

  it('lets a later edit win over reactions by rev, keeping the newest state of each', () => {
    const reacted = applyReactions(held, thumbs(3, 'bob')).timeline
    assert.equal(applyUpdate(reacted, { ...message(2, 2), text: 'stale edit' }).timeline.messages[1]?.text, 't2')
    const edited = applyUpdate(reacted, { ...message(2, 4), text: 'edited', reactions: thumbs(3, 'bob').reactions }).timeline
    assert.equal(edited.messages[1]?.text, 'edited')
  })
})

describe('describeReaction', () => {
  it('names who reacted, you included, and what pressing does', () => {
    const reaction = { emoji: '🎉', count: 3, users: [{ id: 'b', username: 'bob' }, { id: 'me', username: 'me' }, { id: 'c', username: 'carol' }] }
    assert.equal(describeReactors(reaction, 'me'), 'bob, you and carol')
    assert.equal(describeReaction(reaction, 'me'), '🎉 3: bob, you and carol. Press to take yours back.')
    assert.equal(describeReaction({ emoji: '👍', count: 1, users: [{ id: 'b', username: 'bob' }] }, 'me'), '👍 1: bob. Press to react too.')
    const shown = (user: { id: string, username: string }) => user.id === 'b' ? 'Bob Builder' : user.username
    assert.equal(describeReactors(reaction, 'me', shown), 'Bob Builder, you and carol', 'by the names people see, when given')
  })
})
