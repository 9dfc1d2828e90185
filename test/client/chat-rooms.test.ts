import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Room } from '../../shared/chat.ts'
import { applyPresence, sortMembers, upsertRoom } from '../../client/src/chat/rooms.ts'
import { alice, bob } from './chat-fixtures.ts'

const room = (id: string, name: string, visibility: Room['visibility'] = 'public'): Room =>
  ({ id, name, topic: '', visibility, memberCount: 1, onlineCount: 0, unread: 0, lastSeq: 0, lastReadSeq: 0, joined: true })

describe('the rooms list', () => {
  it('lists rooms by name, then direct messages', () => {
    let rooms: Room[] = []
    for (const next of [room('d1', 'zed', 'direct'), room('r2', 'random'), room('p1', 'Book club', 'private'), room('d2', 'amy', 'direct'), room('r1', 'general')]) {
      rooms = upsertRoom(rooms, next)
    }
    assert.deepEqual(rooms.map((entry) => entry.name), ['Book club', 'general', 'random', 'amy', 'zed'])
  })

  it('replaces a known room instead of listing it twice', () => {
    const rooms = upsertRoom(upsertRoom([], room('r1', 'general')), { ...room('r1', 'general'), memberCount: 5 })
    assert.equal(rooms.length, 1)
    assert.equal(rooms[0]?.memberCount, 5)
  })
})

describe('members and presence', () => {
  it('lists the online first, and follows presence', () => {
    let members = sortMembers([{ ...alice, online: false }, { ...bob, online: true }])
    assert.deepEqual(members.map((member) => member.username), ['bob', 'alice'])
    members = applyPresence(members, alice, true)
    assert.deepEqual(members.map((member) => [member.username, member.online]), [['alice', true], ['bob', true]])
    members = applyPresence(members, { id: 'u-carol', username: 'carol' }, true)
    assert.deepEqual(members.map((member) => member.username), ['alice', 'bob', 'carol'], 'a newcomer joins the list')
    assert.equal(applyPresence(members, { id: 'u-dan', username: 'dan' }, false).length, 3, 'an unknown leaver is not added')
  })
})
