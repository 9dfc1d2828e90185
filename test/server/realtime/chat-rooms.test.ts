import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { ROOM_MENTION_OPEN_LIMIT } from '../../../shared/limits.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser, uniqueName } from '../../helpers/http.ts'
import { assertNothing as assertNothingBefore, connect, nextEvent, send, socketsAs } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

/**
 * Room management over /chat: rename and topic, roles, removal, leaving, and `@room`. Every
 * change is tried by everyone who may not make it, and each refusal changes nothing.
 */
describe('chat room management', () => {
  let t: TestApp
  const chatSockets = socketsAs(() => t.url, '/chat')
  const chatAs = chatSockets.as
  let ids = 0
  const clientId = () => `rooms-${process.pid}-${++ids}`
  /**
   * People from a pool registered once (new accounts are limited per address), taken in turn:
   * roles belong to rooms, and each test makes rooms of its own.
   */
  const pool: Registered[] = []
  let turn = 0
  const person = async (_role: string) => pool[turn++ % pool.length]!
  const assertNothing = (socket: Socket, event: string) => assertNothingBefore(socket, event, ['chat:leave', { roomId: 'no-such-room' }])
  const refused = (res: Awaited<ReturnType<typeof send>>, code: string, what: string) => {
    assert.equal(res.ok, false, `${what}: expected ${code}, got ${JSON.stringify(res)}`)
    if (!res.ok) assert.equal(res.error.code, code, `${what}: ${JSON.stringify(res.error)}`)
  }
  const accepted = <T = any>(res: Awaited<ReturnType<typeof send<T>>>, what: string) => {
    assert.ok(res.ok, `${what}: ${JSON.stringify(res)}`)
    return res.data
  }

  /** A room of `owner` with the others joined (in order), each with a socket of their own following it. */
  const roomWith = async (visibility: 'public' | 'private', owner: Registered, ...others: Registered[]) => {
    const res = await api(t.url, 'POST', '/api/rooms', { token: owner.token, body: { name: uniqueName('room'), visibility, topic: 'first topic' } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    const roomId = res.body.room.id as string
    const sockets: Socket[] = []
    for (const who of [owner, ...others]) {
      if (visibility === 'private' && who !== owner) {
        const invited = await api(t.url, 'POST', `/api/rooms/${roomId}/members`, { token: owner.token, body: { username: who.user.username } })
        assert.equal(invited.status, 200, JSON.stringify(invited.body))
      }
      const socket = await chatAs(who)
      accepted(await send(socket, 'chat:join', { roomId }), `${who.user.username} joins`)
      sockets.push(socket)
    }
    return { roomId, sockets }
  }
  const membersOf = async (socket: Socket, roomId: string) => {
    const joined = accepted(await send(socket, 'chat:join', { roomId }), 'join')
    return (joined.members as { username: string, role: string }[]).map((m) => `${m.username}:${m.role}`).sort()
  }

  before(async () => {
    t = await startApp()
    for (let i = 0; i < ROOM_MENTION_OPEN_LIMIT + 3; i++) pool.push(await registerUser(t.url, uniqueName('person')))
  })
  after(async () => {
    chatSockets.closeAll()
    await t.close()
  })

  it('makes the creator the owner and everyone who joins a member', async () => {
    const [owner, joiner] = [await person('own'), await person('join')]
    const { roomId, sockets: [o] } = await roomWith('public', owner, joiner)
    assert.deepEqual(await membersOf(o!, roomId), [`${joiner.user.username}:member`, `${owner.user.username}:owner`].sort())
  })

  it('renames a room and sets its topic for its owner and admins, pushing chat:room-changed to the others', async () => {
    const [owner, admin, member] = [await person('own'), await person('adm'), await person('mem')]
    const { roomId, sockets: [o, a, m] } = await roomWith('private', owner, admin, member)
    accepted(await send(o!, 'chat:member-role', { roomId, userId: admin.user.id, role: 'admin' }), 'name an admin')

    const seen = [nextEvent(a!, 'chat:room-changed'), nextEvent(m!, 'chat:room-changed')]
    const name = uniqueName('renamed')
    const res = accepted(await send(o!, 'chat:room-update', { roomId, name, topic: 'new topic' }), 'owner renames')
    assert.deepEqual([res.room.name, res.room.topic], [name, 'new topic'])
    for (const change of await Promise.all(seen)) {
      assert.deepEqual(change, { roomId, name, topic: 'new topic', by: owner.user })
    }

    const byAdmin = nextEvent(m!, 'chat:room-changed')
    accepted(await send(a!, 'chat:room-update', { roomId, topic: 'the admin\'s topic' }), 'admin sets the topic')
    assert.deepEqual(await byAdmin, { roomId, name, topic: 'the admin\'s topic', by: admin.user })
    const listed = await api(t.url, 'GET', '/api/rooms', { token: member.token })
    const room = listed.body.rooms.find((r: { id: string }) => r.id === roomId)
    assert.deepEqual([room.name, room.topic], [name, 'the admin\'s topic'], 'the change is stored')
  })

  it('tells everyone about a public room\'s new name, members or not', async () => {
    const [owner, outsider] = [await person('own'), await person('out')]
    const { roomId, sockets: [o] } = await roomWith('public', owner)
    const x = await chatAs(outsider)
    const seen = nextEvent(x, 'chat:room-changed')
    accepted(await send(o!, 'chat:room-update', { roomId, topic: 'all may see this' }), 'topic')
    assert.equal((await seen).topic, 'all may see this')
  })

  it('refuses a change by a member, by a non-member and in a direct room, changing nothing and pushing nothing', async () => {
    const [owner, member, outsider] = [await person('own'), await person('mem'), await person('out')]
    const { roomId, sockets: [o, m] } = await roomWith('public', owner, member)
    const x = await chatAs(outsider)
    refused(await send(m!, 'chat:room-update', { roomId, name: 'taken over' }), 'forbidden', 'a member renames')
    refused(await send(x, 'chat:room-update', { roomId, topic: 'graffiti' }), 'forbidden', 'a non-member sets the topic')
    refused(await send(x, 'chat:member-remove', { roomId, userId: member.user.id }), 'forbidden', 'a non-member removes')
    refused(await send(x, 'chat:member-role', { roomId, userId: outsider.user.id, role: 'admin' }), 'forbidden', 'a non-member makes themself admin')
    refused(await send(m!, 'chat:member-role', { roomId, userId: member.user.id, role: 'admin' }), 'forbidden', 'a member makes themself admin')
    refused(await send(m!, 'chat:member-remove', { roomId, userId: owner.user.id }), 'forbidden', 'a member removes the owner')
    refused(await send(x, 'chat:room-update', { roomId: 'no-such-room', topic: 'x' }), 'not_found', 'no such room')
    refused(await send(o!, 'chat:room-update', { roomId, name: 'general' }), 'conflict', 'the name of another public room')
    refused(await send(o!, 'chat:room-update', { roomId, name: 'x' }), 'invalid_payload', 'a name too short')
    refused(await send(o!, 'chat:room-update', { roomId, topic: 'x', extra: 1 }), 'invalid_payload', 'an unknown field')
    await assertNothing(o!, 'chat:room-changed')
    const direct = await api(t.url, 'POST', '/api/dms', { token: owner.token, body: { username: member.user.username } })
    refused(await send(o!, 'chat:room-update', { roomId: direct.body.room.id, topic: 'ours' }), 'conflict', 'a direct room')
    refused(await send(o!, 'chat:room-leave', { roomId: direct.body.room.id }), 'conflict', 'leaving a direct room')
    const listed = await api(t.url, 'GET', '/api/rooms', { token: owner.token })
    assert.equal(listed.body.rooms.find((r: { id: string }) => r.id === roomId).topic, 'first topic', 'nothing changed')
    assert.deepEqual(await membersOf(o!, roomId), [`${member.user.username}:member`, `${owner.user.username}:owner`].sort())
  })

  it('lets only the owner name and unname admins, never changing the owner\'s own role', async () => {
    const [owner, admin, member] = [await person('own'), await person('adm'), await person('mem')]
    const { roomId, sockets: [o, a, m] } = await roomWith('public', owner, admin, member)
    const seen = nextEvent(m!, 'chat:member-changed')
    const named = accepted(await send(o!, 'chat:member-role', { roomId, userId: admin.user.id, role: 'admin' }), 'name an admin')
    assert.deepEqual(named.member, { id: admin.user.id, username: admin.user.username, online: true, role: 'admin' })
    assert.deepEqual(await seen, { roomId, member: named.member })
    refused(await send(a!, 'chat:member-role', { roomId, userId: member.user.id, role: 'admin' }), 'forbidden', 'an admin names an admin')
    refused(await send(a!, 'chat:member-role', { roomId, userId: owner.user.id, role: 'member' }), 'forbidden', 'an admin demotes the owner')
    refused(await send(o!, 'chat:member-role', { roomId, userId: owner.user.id, role: 'member' }), 'conflict', 'the owner demotes themself')
    refused(await send(o!, 'chat:member-role', { roomId, userId: owner.user.id, role: 'owner' }), 'invalid_payload', 'owner is not given')
    refused(await send(o!, 'chat:member-role', { roomId, userId: 'nobody', role: 'admin' }), 'not_found', 'a non-member')
    const back = nextEvent(a!, 'chat:member-changed')
    accepted(await send(o!, 'chat:member-role', { roomId, userId: admin.user.id, role: 'member' }), 'unname')
    assert.equal((await back).member.role, 'member')
    assert.deepEqual(await membersOf(o!, roomId), [`${admin.user.username}:member`, `${member.user.username}:member`, `${owner.user.username}:owner`].sort())
  })

  it('removes a member (owner or admin) and an admin (owner only); nobody removes the owner', async () => {
    const [owner, admin, admin2, member] = [await person('own'), await person('adm'), await person('adm'), await person('mem')]
    const { roomId, sockets: [o, a, , m] } = await roomWith('private', owner, admin, admin2, member)
    for (const who of [admin, admin2]) accepted(await send(o!, 'chat:member-role', { roomId, userId: who.user.id, role: 'admin' }), 'admin')
    refused(await send(a!, 'chat:member-remove', { roomId, userId: owner.user.id }), 'forbidden', 'an admin removes the owner')
    refused(await send(a!, 'chat:member-remove', { roomId, userId: admin2.user.id }), 'forbidden', 'an admin removes an admin')
    refused(await send(o!, 'chat:member-remove', { roomId, userId: owner.user.id }), 'conflict', 'the owner removes themself')
    refused(await send(m!, 'chat:member-remove', { roomId, userId: admin.user.id }), 'forbidden', 'a member removes an admin')

    const told = [nextEvent(o!, 'chat:member-left'), nextEvent(m!, 'chat:member-left')]
    accepted(await send(a!, 'chat:member-remove', { roomId, userId: member.user.id }), 'an admin removes a member')
    for (const left of await Promise.all(told)) assert.deepEqual(left, { roomId, user: member.user, by: admin.user })

    // The removed member's socket follows the room no more, and a private room is closed to them.
    accepted(await send(o!, 'chat:send', { roomId, text: 'after the removal', clientId: clientId() }), 'send')
    await assertNothing(m!, 'chat:message')
    refused(await send(m!, 'chat:join', { roomId }), 'forbidden', 'the removed member joins again')
    refused(await send(m!, 'chat:send', { roomId, text: 'let me in', clientId: clientId() }), 'forbidden', 'the removed member writes')

    accepted(await send(o!, 'chat:member-remove', { roomId, userId: admin2.user.id }), 'the owner removes an admin')
    assert.deepEqual(await membersOf(o!, roomId), [`${admin.user.username}:admin`, `${owner.user.username}:owner`].sort())
  })

  it('shows a removed member as offline to the others at once', async () => {
    const [owner, member] = [await person('own'), await person('mem')]
    const { roomId, sockets: [o] } = await roomWith('public', owner, member)
    const offline = nextEvent(o!, 'chat:presence')
    accepted(await send(o!, 'chat:member-remove', { roomId, userId: member.user.id }), 'remove')
    assert.deepEqual(await offline, { roomId, user: member.user, online: false })
    const joined = accepted(await send(o!, 'chat:join', { roomId }), 'join')
    assert.equal(joined.room.onlineCount, 1)
  })

  it('lets a member leave, telling the others; an owner who leaves hands the room to the longest-standing admin', async () => {
    const [owner, early, admin, late] = [await person('own'), await person('early'), await person('adm'), await person('late')]
    const { roomId, sockets: [o, e, a, l] } = await roomWith('public', owner, early, admin, late)
    accepted(await send(o!, 'chat:member-role', { roomId, userId: admin.user.id, role: 'admin' }), 'admin')

    const lateLeft = nextEvent(e!, 'chat:member-left')
    accepted(await send(l!, 'chat:room-leave', { roomId }), 'a member leaves')
    assert.deepEqual(await lateLeft, { roomId, user: late.user })
    const rooms = await api(t.url, 'GET', '/api/rooms', { token: late.token })
    assert.equal(rooms.body.rooms.find((r: { id: string }) => r.id === roomId).joined, false, 'listed to browse, not joined')
    refused(await send(l!, 'chat:room-leave', { roomId }), 'forbidden', 'leaving twice')

    const handover = nextEvent(e!, 'chat:member-changed')
    accepted(await send(o!, 'chat:room-leave', { roomId }), 'the owner leaves')
    assert.deepEqual((await handover).member, { id: admin.user.id, username: admin.user.username, online: true, role: 'owner' })
    accepted(await send(a!, 'chat:member-role', { roomId, userId: early.user.id, role: 'admin' }), 'the new owner names an admin')
    assert.deepEqual(await membersOf(a!, roomId), [`${admin.user.username}:owner`, `${early.user.username}:admin`].sort())
  })

  it('hands an owner\'s room to the longest-standing member when there is no admin', async () => {
    const [owner, first, second] = [await person('own'), await person('first'), await person('second')]
    const { roomId, sockets: [o, f] } = await roomWith('public', owner, first, second)
    const handover = nextEvent(f!, 'chat:member-changed')
    accepted(await send(o!, 'chat:room-leave', { roomId }), 'the owner leaves')
    assert.equal((await handover).member.id, first.user.id)
  })

  it('limits room changes per user, refusing with rate_limited', async () => {
    const owner = await registerUser(t.url, uniqueName('busy'))
    const { roomId, sockets: [o] } = await roomWith('public', owner)
    let last: Awaited<ReturnType<typeof send>> | undefined
    for (let i = 0; i < 40; i++) {
      last = await send(o!, 'chat:room-update', { roomId, topic: `topic ${i}` })
      if (!last.ok) break
    }
    refused(last!, 'rate_limited', 'the 40th change')
  })

  describe('@room', () => {
    it('notifies every member but the author', async () => {
      const [owner, one, two] = [await person('own'), await person('one'), await person('two')]
      const { roomId, sockets: [o] } = await roomWith('public', owner, one, two)
      const inboxes = await Promise.all([one, two].map((who) => connect(t.url, '/notifications', { token: who.token })))
      try {
        const notified = inboxes.map((socket) => nextEvent(socket, 'notification:new'))
        accepted(await send(o!, 'chat:send', { roomId, text: 'meeting now @room', clientId: clientId() }), '@room')
        for (const { notification } of await Promise.all(notified)) {
          assert.equal(notification.kind, 'mention')
          assert.match(notification.body, /meeting now @room/)
        }
      } finally {
        for (const socket of inboxes) socket.close()
      }
    })

    it(`is for the owner and admins alone in a room of more than ${ROOM_MENTION_OPEN_LIMIT} members`, async () => {
      const owner = await person('own')
      const crowd: Registered[] = []
      for (let i = 0; i < ROOM_MENTION_OPEN_LIMIT; i++) crowd.push(await person('crowd'))
      assert.equal(new Set([owner, ...crowd]).size, ROOM_MENTION_OPEN_LIMIT + 1, 'that many different people')
      const { roomId, sockets } = await roomWith('public', owner, ...crowd)
      const [o, a, m] = sockets
      accepted(await send(o!, 'chat:member-role', { roomId, userId: crowd[0]!.user.id, role: 'admin' }), 'admin')
      const text = 'hey @room'
      const res = await send(m!, 'chat:send', { roomId, text, clientId: clientId() })
      refused(res, 'forbidden', 'a member says @room in a big room')
      assert.match(!res.ok ? res.error.message : '', /@room/)
      await assertNothing(o!, 'chat:message')
      accepted(await send(m!, 'chat:send', { roomId, text: 'mail me @roomba or at x@room.com', clientId: clientId() }), 'not @room')
      accepted(await send(a!, 'chat:send', { roomId, text, clientId: clientId() }), 'an admin')
      accepted(await send(o!, 'chat:send', { roomId, text, clientId: clientId() }), 'the owner')
    })
  })
})
