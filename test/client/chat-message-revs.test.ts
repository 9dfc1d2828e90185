import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { chatCommands } from '../../shared/chat.ts'
import type { CommandData } from '../../shared/protocol.ts'
import { resetChatStore, roomState } from '../../client/src/chat/chat-store.ts'
import { applyReactionsState } from '../../client/src/chat/message-reactions.ts'
import { applyJoinChanges, changesSince, forgetChangeRevs, moreChanges } from '../../client/src/chat/message-revs.ts'
import { applyCatchUp, emptyTimeline } from '../../client/src/chat/timeline.ts'
import { msg } from './chat-fixtures.ts'

type JoinData = CommandData<typeof chatCommands, 'chat:join'>

const message = (seq: number, rev = 0, text = `t${seq}`) => msg(seq, { roomId: 'r', text, reactions: [], rev })
const join = (lastRev: number, extra: Partial<JoinData> = {}): JoinData => ({
  room: { id: 'r', name: 'r', topic: '', visibility: 'public', memberCount: 1, onlineCount: 1, unread: 0, lastSeq: 3, lastReadSeq: 3, lastRev, joined: true },
  members: [],
  messages: [],
  hasMore: false,
  ...extra
})

describe('message revs', () => {
  beforeEach(() => {
    resetChatStore()
    forgetChangeRevs()
    roomState('r').timeline.value = applyCatchUp(emptyTimeline(0), [message(1), message(2), message(3)]).timeline
  })

  it('asks for changes from the rev of the last join, and applies those to held messages', () => {
    assert.deepEqual(changesSince('r'), {}, 'no join yet: nothing to ask from')
    applyJoinChanges('r', join(4))
    assert.deepEqual(changesSince('r'), { changesSince: 4 })
    applyJoinChanges('r', join(9, { changed: [message(2, 7, 'edited while away'), message(8, 9)], changesThrough: 9 }))
    assert.deepEqual(roomState('r').timeline.value.messages.map((m) => m.text), ['t1', 'edited while away', 't3'], 'a message not held is left to history')
    assert.deepEqual(changesSince('r'), { changesSince: 9 })
  })

  it('says when a catch-up stopped short of the room\'s rev', () => {
    assert.equal(moreChanges(join(9, { changed: [], changesThrough: 5 })), true)
    assert.equal(moreChanges(join(9, { changed: [], changesThrough: 9 })), false)
    assert.equal(moreChanges(join(9)), false, 'not asked for changes')
  })

  it('puts a pushed reactions state on the held message', () => {
    applyReactionsState({ roomId: 'r', messageId: 'm3', seq: 3, rev: 2, reactions: [{ emoji: '👀', count: 1, users: [{ id: 'b', username: 'bob' }] }] })
    assert.deepEqual(roomState('r').timeline.value.messages[2]?.reactions?.map((r) => r.emoji), ['👀'])
  })
})
