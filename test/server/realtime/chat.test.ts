import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { roomNameKey } from '../../../shared/chat.ts'
import { Limits, REACTIONS_PER_MESSAGE } from '../../../shared/limits.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { openRawSocket } from '../../helpers/raw-socket.ts'
import { assertNothing as assertNothingBefore, nextEvent, send, socketsAs } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

let t: TestApp
let alice: Registered
let bob: Registered
let carol: Registered
const chatSockets = socketsAs(() => t.url, '/chat')
const chatAs = chatSockets.as
let clientIds = 0
const clientId = () => `cid-${process.pid}-${++clientIds}`
const sendText = (socket: Socket, roomId: string, text: string, id = clientId()) => send(socket, 'chat:send', { roomId, text, clientId: id })
/** Asserts that `event` does not arrive on `socket` before a round trip through the server completes. */
const assertNothing = (socket: Socket, event: string) => assertNothingBefore(socket, event, ['chat:leave', { roomId: 'no-such-room' }])
const newRoom = async (owner: Registered, visibility: 'public' | 'private', name = `room ${++clientIds}`) => {
  const res = await api(t.url, 'POST', '/api/rooms', { token: owner.token, body: { name, visibility } })
  assert.equal(res.status, 201, JSON.stringify(res.body))
  return res.body.room as { id: string }
}

before(async () => {
  t = await startApp({ typingTtlMs: 300 })
  ;[alice, bob, carol] = await Promise.all([registerUser(t.url, 'alice'), registerUser(t.url, 'bob'), registerUser(t.url, 'carol')])
})
after(async () => {
  chatSockets.closeAll()
  await t.close()
})

describe('chat:join', () => {
  it('returns the room, its members with online state and the latest messages', async () => {
    const a = await chatAs(alice)
    const room = await newRoom(alice, 'public')
    await sendText(a, room.id, 'first')
    const res = await send(a, 'chat:join', { roomId: room.id })
    assert.ok(res.ok, JSON.stringify(res))
    assert.equal(res.data.room.id, room.id)
    assert.equal(res.data.room.onlineCount, 1)
    assert.deepEqual(res.data.members, [{ id: alice.user.id, username: 'alice', online: true, role: 'owner' }])
    assert.deepEqual(res.data.messages.map((m: { text: string }) => m.text), ['first'])
    assert.equal(res.data.hasMore, false)
  })

  it('serves the seeded public rooms', async () => {
    const res = await api(t.url, 'GET', '/api/rooms', { token: carol.token })
    assert.deepEqual(res.body.rooms.map((r: { id: string }) => r.id).filter((id: string) => ['general', 'random', 'markets'].includes(id)).sort(), ['general', 'markets', 'random'])
  })

  it('answers not_found for an unknown room', async () => {
    const res = await send(await chatAs(alice), 'chat:join', { roomId: 'nope' })
    assert.deepEqual(res, { ok: false, error: { code: 'not_found', message: 'No such room.' } })
  })
})

describe('chat:send', () => {
  it('acks the sender and pushes to every other socket in the room, the sender\'s other tab included', async () => {
    const room = await newRoom(alice, 'public')
    const [a1, a2, b] = await Promise.all([chatAs(alice), chatAs(alice), chatAs(bob)])
    for (const socket of [a1, a2, b]) assert.ok((await send(socket, 'chat:join', { roomId: room.id })).ok)
    const toTab = nextEvent(a2, 'chat:message')
    const toBob = nextEvent(b, 'chat:message')
    const res = await sendText(a1, room.id, '  hello <b>world</b>  ')
    assert.ok(res.ok)
    assert.equal(res.data.message.text, 'hello <b>world</b>', 'stored trimmed, as text')
    assert.equal(res.data.message.seq, 1)
    assert.deepEqual((await toTab).message, res.data.message)
    assert.deepEqual((await toBob).message, res.data.message)
    await assertNothing(a1, 'chat:message')
  })

  it('stores and broadcasts a retried clientId once, acking the same message', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    await send(b, 'chat:join', { roomId: room.id })
    const id = clientId()
    const first = nextEvent(b, 'chat:message')
    const one = await sendText(a, room.id, 'once', id)
    await first
    const two = await sendText(a, room.id, 'once', id)
    assert.ok(one.ok && two.ok)
    assert.deepEqual(two.data.message, one.data.message)
    await assertNothing(b, 'chat:message')
    const page = await api(t.url, 'GET', `/api/rooms/${room.id}/messages`, { token: bob.token })
    assert.equal(page.body.messages.length, 1)
  })

  it('numbers messages per room without gaps under concurrent senders', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => sendText(i % 2 ? a : b, room.id, `m${i}`)))
    const seqs = results.map((r) => r.ok ? r.data.message.seq : -1).sort((x, y) => x - y)
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('answers rate_limited past the burst, and stores nothing more', async () => {
    const room = await newRoom(carol, 'public')
    const c = await chatAs(carol)
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => sendText(c, room.id, `spam ${i}`)))
    const limited = results.filter((r) => !r.ok)
    assert.ok(limited.length >= 5, `expected some of 30 rapid sends limited, got ${limited.length}`)
    assert.ok(limited.every((r) => !r.ok && r.error.code === 'rate_limited'))
    const page = await api(t.url, 'GET', `/api/rooms/${room.id}/messages?limit=100`, { token: carol.token })
    assert.equal(page.body.messages.length, 30 - limited.length)
  })

  it('rejects every invalid field with invalid_payload and stores nothing', async () => {
    const room = await newRoom(alice, 'public')
    const a = await chatAs(alice)
    const bad: [unknown, string][] = [
      [{ roomId: room.id, text: '', clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: '   \n ', clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: '\u200b', clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: ' \u200d\u3164 ', clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: 'a\ud800b', clientId: clientId() }, 'text'],
      // PostgreSQL's text cannot hold a NUL: refused on every store alike.
      [{ roomId: room.id, text: 'a\u0000b', clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: 'x'.repeat(4001), clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: 42, clientId: clientId() }, 'text'],
      [{ roomId: room.id, text: 'hi', clientId: 'short' }, 'clientId'],
      [{ roomId: room.id, text: 'hi', clientId: 'x'.repeat(65) }, 'clientId'],
      [{ roomId: room.id, text: 'hi', clientId: 'has spaces!!' }, 'clientId'],
      [{ roomId: '', text: 'hi', clientId: clientId() }, 'roomId'],
      [{ text: 'hi', clientId: clientId() }, 'roomId'],
      [{ roomId: room.id, text: 'hi', clientId: clientId(), extra: 1 }, 'extra'],
      ['a string', 'payload'],
      [null, 'payload']
    ]
    for (const [payload, field] of bad) {
      const res = await send(a, 'chat:send', payload)
      assert.equal(res.ok, false, `expected ${JSON.stringify(payload)} rejected`)
      if (!res.ok) {
        assert.equal(res.error.code, 'invalid_payload')
        assert.match(res.error.message, new RegExp(field), `message should name ${field}: ${res.error.message}`)
      }
    }
    const page = await api(t.url, 'GET', `/api/rooms/${room.id}/messages`, { token: alice.token })
    assert.equal(page.body.messages.length, 0)
  })

  it('ignores a command sent without an ack and keeps serving', async () => {
    const room = await newRoom(alice, 'public')
    const a = await chatAs(alice)
    a.emit('chat:send', { roomId: room.id, text: 'no ack', clientId: clientId() })
    a.emit('chat:send')
    const res = await sendText(a, room.id, 'with ack')
    assert.ok(res.ok)
    assert.equal(res.data.message.seq, 1, 'the ack-less command stored nothing')
  })
})

describe('catch-up', () => {
  it('delivers exactly the messages missed while disconnected, in order', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    await send(b, 'chat:join', { roomId: room.id })
    for (let i = 1; i <= 3; i++) await sendText(a, room.id, `before ${i}`)
    const joined = await send(b, 'chat:join', { roomId: room.id })
    const lastSeen = joined.ok ? joined.data.room.lastSeq : -1
    b.close()
    for (let i = 1; i <= 7; i++) await sendText(a, room.id, `missed ${i}`)
    const b2 = await chatAs(bob)
    const res = await send(b2, 'chat:join', { roomId: room.id, since: lastSeen })
    assert.ok(res.ok)
    assert.deepEqual(res.data.messages.map((m: { text: string }) => m.text), [1, 2, 3, 4, 5, 6, 7].map((i) => `missed ${i}`))
    assert.deepEqual(res.data.messages.map((m: { seq: number }) => m.seq), [4, 5, 6, 7, 8, 9, 10])
    assert.equal(res.data.hasMore, false)
  })
})

describe('chat:history', () => {
  it('pages backwards with no overlaps or holes', async () => {
    // Two fresh writers, so the per-user send rate limit stays out of the way.
    const writers = await Promise.all([registerUser(t.url), registerUser(t.url)])
    const room = await newRoom(writers[0], 'public')
    const [w0, w1] = await Promise.all(writers.map(chatAs))
    const b = w0!
    for (let i = 1; i <= 25; i++) {
      const res = await sendText(i % 2 ? w0! : w1!, room.id, `n${i}`)
      assert.ok(res.ok, JSON.stringify(res))
    }
    const seen: number[] = []
    let beforeSeq: number | undefined
    for (;;) {
      const res = await send(b, 'chat:history', { roomId: room.id, limit: 10, ...(beforeSeq !== undefined && { before: beforeSeq }) })
      assert.ok(res.ok)
      const seqs = res.data.messages.map((m: { seq: number }) => m.seq)
      assert.deepEqual(seqs, [...seqs].sort((x: number, y: number) => x - y), 'each page oldest first')
      seen.unshift(...seqs)
      if (!res.data.hasMore) break
      beforeSeq = seqs[0]
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => i + 1))
  })

  it('serves the same pages over HTTP, and validates the query', async () => {
    const writer = await registerUser(t.url)
    const room = await newRoom(writer, 'public')
    const b = await chatAs(writer)
    for (let i = 1; i <= 3; i++) await sendText(b, room.id, `h${i}`)
    const res = await api(t.url, 'GET', `/api/rooms/${room.id}/messages?before=3&limit=1`, { token: alice.token })
    assert.equal(res.status, 200)
    assert.deepEqual(res.body.messages.map((m: { seq: number }) => m.seq), [2])
    assert.equal(res.body.hasMore, true)
    const bad = await api(t.url, 'GET', `/api/rooms/${room.id}/messages?limit=1000`, { token: alice.token })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.code, 'invalid_payload')
  })
})

describe('chat:edit and chat:delete', () => {
  it('push changes to the room and refuse others\' messages', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    await send(a, 'chat:join', { roomId: room.id })
    await send(b, 'chat:join', { roomId: room.id })
    const sent = await sendText(a, room.id, 'typo')
    assert.ok(sent.ok)
    const id = sent.data.message.id

    assert.deepEqual((await send(b, 'chat:edit', { messageId: id, text: 'hijack' })).ok, false)
    const refused = await send(b, 'chat:delete', { messageId: id })
    assert.ok(!refused.ok && refused.error.code === 'forbidden')

    const updated = nextEvent(b, 'chat:message-updated')
    const edit = await send(a, 'chat:edit', { messageId: id, text: 'fixed' })
    assert.ok(edit.ok)
    assert.equal(edit.data.message.text, 'fixed')
    assert.ok(edit.data.message.editedAt >= edit.data.message.createdAt)
    assert.deepEqual((await updated).message, edit.data.message)

    const deleted = nextEvent(b, 'chat:message-deleted')
    const del = await send(a, 'chat:delete', { messageId: id })
    assert.ok(del.ok)
    assert.deepEqual(await deleted, { roomId: room.id, messageId: id, seq: sent.data.message.seq })
    assert.equal(del.data.message.text, '')
    assert.equal(del.data.message.deleted, true)
    assert.equal(del.data.message.seq, sent.data.message.seq, 'a deleted message keeps its seq')
    const again = await send(a, 'chat:edit', { messageId: id, text: 'resurrect' })
    assert.ok(!again.ok && again.error.code === 'conflict')
  })
})

describe('chat:react', () => {
  // Users of their own: alice's and bob's command budgets are for the other tests of this file.
  let owner: Registered
  let other: Registered
  before(async () => {
    ;[owner, other] = await Promise.all([registerUser(t.url), registerUser(t.url)])
  })
  type Reactions = { emoji: string, count: number, users: { username: string }[] }[]
  /** [emoji, count, who...] for each reaction, for readable comparisons. */
  const summary = (reactions: Reactions) => reactions.map(({ emoji, count, users }) => [emoji, count, ...users.map((user) => user.username)])
  const react = (socket: Socket, messageId: string, emoji: string, on?: boolean) =>
    send(socket, 'chat:react', { messageId, emoji, ...(on !== undefined && { on }) })
  /** A room of `owner` with one message of theirs, followed by each of `followers`' sockets. */
  const roomWithMessage = async (visibility: 'public' | 'private', followers: Socket[]) => {
    const room = await newRoom(owner, visibility)
    const o = await chatAs(owner)
    for (const socket of [o, ...followers]) assert.ok((await send(socket, 'chat:join', { roomId: room.id })).ok)
    const sent = await sendText(o, room.id, 'react to this')
    assert.ok(sent.ok, JSON.stringify(sent))
    return { room, owner: o, message: sent.data.message as { id: string, seq: number } }
  }
  const reactionsOf = async (who: Registered, roomId: string) =>
    summary((await api(t.url, 'GET', `/api/rooms/${roomId}/messages`, { token: who.token })).body.messages[0].reactions)

  it('acks the reactor and pushes the message\'s reactions to every other socket in the room; toggles back', async () => {
    const [b, a2] = await Promise.all([chatAs(other), chatAs(owner)])
    const { room, owner: a, message } = await roomWithMessage('public', [b, a2])
    const [toAlice, toTab] = [nextEvent(a, 'chat:reactions'), nextEvent(a2, 'chat:reactions')]
    const first = await react(b, message.id, '👍')
    assert.ok(first.ok, JSON.stringify(first))
    assert.deepEqual(first.data, { roomId: room.id, messageId: message.id, seq: message.seq, rev: 1, reactions: [{ emoji: '👍', count: 1, users: [other.user] }] })
    assert.deepEqual(await toAlice, first.data)
    assert.deepEqual(await toTab, first.data)
    await assertNothing(b, 'chat:reactions')

    const toBob = nextEvent(b, 'chat:reactions')
    const second = await react(a, message.id, '👍', true)
    assert.ok(second.ok)
    assert.deepEqual(summary((await toBob).reactions), [['👍', 2, other.user.username, owner.user.username]])
    assert.equal((await toBob).rev, 2)

    const toggled = nextEvent(a, 'chat:reactions')
    assert.ok((await react(b, message.id, '👍')).ok)
    assert.deepEqual(summary((await toggled).reactions), [['👍', 1, owner.user.username]])
    assert.deepEqual(await reactionsOf(other, room.id), [['👍', 1, owner.user.username]], 'history pages carry the reactions')

    const same = await react(a, message.id, '👍', true)
    assert.ok(same.ok)
    assert.equal(same.data.rev, 3, 'already so: no new rev')
    await assertNothing(b, 'chat:reactions')
  })

  it('refuses non-members, unknown and deleted messages, bad emoji and a new emoji past the limit: nothing changes, nothing is pushed', async () => {
    const filler = await registerUser(t.url)
    const [b, f] = await Promise.all([chatAs(other), chatAs(filler)])
    const { room, owner: a, message } = await roomWithMessage('private', [])
    for (const who of [other, filler]) {
      assert.equal((await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: owner.token, body: { username: who.user.username } })).status, 200)
    }
    for (const socket of [b, f]) assert.ok((await send(socket, 'chat:join', { roomId: room.id })).ok)
    const expectRefused = async (socket: Socket, messageId: string, emoji: unknown, code: string) => {
      const res = await send(socket, 'chat:react', { messageId, emoji })
      assert.ok(!res.ok && res.error.code === code, `${JSON.stringify(emoji)}: expected ${code}, got ${JSON.stringify(res)}`)
    }

    const outsider = await chatAs(carol)
    await expectRefused(outsider, message.id, '👍', 'forbidden')
    await expectRefused(b, 'no-such-message', '👍', 'not_found')
    for (const bad of ['hello', '👍👍', '', ' 👍', ':Not ok:', `:${'x'.repeat(31)}:`, '<img>', 42, null]) await expectRefused(b, message.id, bad, 'invalid_payload')
    await assertNothing(a, 'chat:reactions')
    assert.deepEqual(await reactionsOf(owner, room.id), [])

    for (let i = 0; i < REACTIONS_PER_MESSAGE; i++) assert.ok((await react(f, message.id, `:r${i}:`)).ok)
    const full = await reactionsOf(owner, room.id)
    assert.equal(full.length, REACTIONS_PER_MESSAGE)
    await expectRefused(b, message.id, ':one-too-many:', 'conflict')
    assert.deepEqual(await reactionsOf(owner, room.id), full)
    assert.ok((await react(b, message.id, ':r0:')).ok, 'adding to an emoji already there is fine')

    const deleted = nextEvent(b, 'chat:message-deleted')
    assert.ok((await send(a, 'chat:delete', { messageId: message.id })).ok)
    await deleted
    assert.deepEqual(await reactionsOf(owner, room.id), [], 'a deleted message loses its reactions')
    await expectRefused(b, message.id, '👍', 'conflict')
    await assertNothing(a, 'chat:reactions')
    assert.deepEqual(await reactionsOf(owner, room.id), [])
  })

  it('answers rate_limited past the burst, and only the accepted toggles count', async () => {
    const reactor = await registerUser(t.url)
    const r = await chatAs(reactor)
    const { room, message } = await roomWithMessage('public', [r])
    const results = await Promise.all(Array.from({ length: Limits.chatReact.burst + 10 }, () => react(r, message.id, '👍')))
    const accepted = results.filter((res) => res.ok).length
    assert.ok(accepted < results.length, `expected some of ${results.length} rapid reactions limited, all were accepted`)
    assert.ok(results.every((res) => res.ok || res.error.code === 'rate_limited'), JSON.stringify(results.find((res) => !res.ok)))
    assert.deepEqual(await reactionsOf(owner, room.id), accepted % 2 === 1 ? [['👍', 1, reactor.user.username]] : [])
  })
})

describe('catch-up of changes', () => {
  it('gives a client back after a disconnect the reactions, edits and deletions it missed on messages it held', async () => {
    const author = await registerUser(t.url)
    const room = await newRoom(author, 'public')
    const [a, b] = await Promise.all([chatAs(author), chatAs(bob)])
    const ids: string[] = []
    for (let i = 1; i <= 3; i++) {
      const sent = await sendText(a, room.id, `held ${i}`)
      assert.ok(sent.ok, JSON.stringify(sent))
      ids.push(sent.data.message.id)
    }
    const joined = await send(b, 'chat:join', { roomId: room.id })
    assert.ok(joined.ok)
    const { lastSeq, lastRev } = joined.data.room
    assert.deepEqual([lastSeq, lastRev], [3, 0])
    b.close()

    assert.ok((await send(a, 'chat:react', { messageId: ids[0], emoji: '🎉' })).ok)
    assert.ok((await send(a, 'chat:edit', { messageId: ids[1], text: 'held 2, edited' })).ok)
    assert.ok((await send(a, 'chat:delete', { messageId: ids[2] })).ok)
    const fresh = await sendText(a, room.id, 'new')
    assert.ok(fresh.ok, JSON.stringify(fresh))
    assert.ok((await send(a, 'chat:react', { messageId: fresh.data.message.id, emoji: '👀' })).ok)

    const b2 = await chatAs(bob)
    const res = await send(b2, 'chat:join', { roomId: room.id, since: lastSeq, changesSince: lastRev })
    assert.ok(res.ok, JSON.stringify(res))
    assert.deepEqual(res.data.messages.map((m: { text: string, reactions: { emoji: string }[] }) => [m.text, m.reactions.map((r) => r.emoji)]), [['new', ['👀']]])
    assert.deepEqual(res.data.changed.map((m: { seq: number, text: string, deleted: boolean, reactions: { emoji: string }[] }) =>
      [m.seq, m.text, m.deleted, m.reactions.map((r) => r.emoji)]), [
      [1, 'held 1', false, ['🎉']],
      [2, 'held 2, edited', false, []],
      [3, '', true, []]
    ], 'the messages held, as they now are, oldest change first')
    assert.equal(res.data.changesThrough, res.data.room.lastRev)
    assert.equal(res.data.room.lastRev, 4)

    const caughtUp = await send(b2, 'chat:join', { roomId: room.id, since: res.data.room.lastSeq, changesSince: res.data.changesThrough })
    assert.ok(caughtUp.ok)
    assert.deepEqual([caughtUp.data.messages, caughtUp.data.changed], [[], []], 'nothing twice')
    const plain = await send(b2, 'chat:join', { roomId: room.id, since: lastSeq })
    assert.ok(plain.ok)
    assert.equal(plain.data.changed, undefined, 'without changesSince the answer is as before')
  })
})

describe('chat:presence', () => {
  /** Who is online in the room, as `who` sees it on joining it. */
  const onlineAfterJoining = async (who: Registered, roomId: string) => {
    const res = await send(await chatAs(who), 'chat:join', { roomId })
    assert.ok(res.ok, JSON.stringify(res))
    return res.data.members.filter((member: { online: boolean }) => member.online).map((member: { username: string }) => member.username)
  }

  it('goes online with the first tab and offline only after the last', async () => {
    const room = await newRoom(bob, 'public')
    const b = await chatAs(bob)
    await send(b, 'chat:join', { roomId: room.id })
    const [a1, a2] = await Promise.all([chatAs(alice), chatAs(alice)])
    const online = nextEvent(b, 'chat:presence')
    await send(a1, 'chat:join', { roomId: room.id })
    assert.deepEqual(await online, { roomId: room.id, user: alice.user, online: true })
    await send(a2, 'chat:join', { roomId: room.id })
    await assertNothing(b, 'chat:presence')
    // The server has handled the first tab's disconnect before the round trip that proves nothing came.
    const gone = new Promise((resolve) => t.app.io.of('/chat').sockets.get(a1.id!)!.once('disconnect', resolve))
    a1.close()
    await gone
    await assertNothing(b, 'chat:presence')
    const offline = nextEvent(b, 'chat:presence')
    a2.close()
    assert.deepEqual(await offline, { roomId: room.id, user: alice.user, online: false })
  })

  it('leaves no one online behind a join read after its socket left the namespace', async () => {
    const room = await newRoom(bob, 'public')
    const raw = await openRawSocket(t.url)
    try {
      for (const nsp of ['/chat', '/notifications']) assert.deepEqual(await raw.connect(nsp, { token: carol.token }), { kind: 'packet', packet: { ok: true } })
      // Leaving (41) and a join in one read; then a round trip on another namespace, handled after both.
      raw.sendText('41/chat,')
      raw.sendText(raw.eventFrame('/chat', ['chat:join', { roomId: room.id }], raw.ackId()))
      const probe = raw.ackId()
      raw.sendText(raw.eventFrame('/notifications', ['notification:list', { limit: 1 }], probe))
      assert.equal((await raw.ack('/notifications', probe)).kind, 'packet')
    } finally {
      await raw.close()
    }
    assert.deepEqual(await onlineAfterJoining(bob, room.id), ['bob'])
  })

  it('leaves no one online behind joins still running when the command budget disconnects their socket', async () => {
    const room = await newRoom(bob, 'public')
    const flooder = await chatAs(await registerUser(t.url))
    const disconnected = nextEvent(flooder, 'disconnect')
    // Joins past the budget and its refusals: the disconnect comes while the accepted ones still run.
    for (let i = 0; i < Limits.commandsPerSocket.burst + Limits.refusalsPerSocket.burst + 1; i++) flooder.emit('chat:join', { roomId: room.id }, () => {})
    assert.equal(await disconnected, 'io server disconnect')
    assert.deepEqual(await onlineAfterJoining(bob, room.id), ['bob'])
  })
})

describe('chat:typing', () => {
  it('relays typing to others in the room and expires it without a refresh', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    await send(a, 'chat:join', { roomId: room.id })
    await send(b, 'chat:join', { roomId: room.id })
    const started = nextEvent(b, 'chat:typing')
    a.emit('chat:typing', { roomId: room.id, typing: true })
    assert.deepEqual(await started, { roomId: room.id, user: alice.user, typing: true })
    assert.deepEqual(await nextEvent(b, 'chat:typing'), { roomId: room.id, user: alice.user, typing: false }, 'expires by itself')
  })

  it('is refused in a room the socket does not follow', async () => {
    const res = await send(await chatAs(alice), 'chat:typing', { roomId: 'general', typing: true })
    assert.ok(!res.ok && res.error.code === 'forbidden')
  })
})

describe('chat:read', () => {
  it('derives unread counts from read markers and keeps tabs in step', async () => {
    // A fresh author: alice's earlier sends in this file can use up her send limit (burst 20, then
    // 10/s) on a fast run, and a refused send made this test count 3 unread instead of 4.
    const author = await registerUser(t.url)
    const room = await newRoom(author, 'public')
    const [a, b1, b2] = await Promise.all([chatAs(author), chatAs(bob), chatAs(bob)])
    await send(b1, 'chat:join', { roomId: room.id })
    let last = 0
    for (let i = 1; i <= 4; i++) {
      const res = await sendText(a, room.id, `u${i}`)
      assert.ok(res.ok, JSON.stringify(res))
      last = res.data.message.seq
    }
    const listed = await api(t.url, 'GET', '/api/rooms', { token: bob.token })
    assert.equal(listed.body.rooms.find((r: { id: string }) => r.id === room.id).unread, 4)
    assert.equal(listed.body.rooms.find((r: { id: string }) => r.id === room.id).lastSeq, last)
    const otherTab = nextEvent(b2, 'chat:read')
    const read = await send(b1, 'chat:read', { roomId: room.id, seq: last - 1 })
    assert.deepEqual(read, { ok: true, data: { unread: 1 } })
    assert.deepEqual(await otherTab, { roomId: room.id, seq: last - 1, unread: 1 })
    assert.deepEqual(await send(b1, 'chat:read', { roomId: room.id, seq: 0 }), { ok: true, data: { unread: 1 } }, 'markers never move back')
    const own = await api(t.url, 'GET', '/api/rooms', { token: author.token })
    assert.equal(own.body.rooms.find((r: { id: string }) => r.id === room.id).unread, 0, 'one\'s own messages are read')
  })
})

describe('chat:mark-unread', () => {
  it('moves the read marker back to a message, saved, and the user\'s other tab sees it move', async () => {
    const author = await registerUser(t.url)
    const reader = await registerUser(t.url)
    const room = await newRoom(author, 'public')
    const [a, tab1, tab2] = await Promise.all([chatAs(author), chatAs(reader), chatAs(reader)])
    await send(tab1, 'chat:join', { roomId: room.id })
    const sent: number[] = []
    for (let i = 1; i <= 4; i++) {
      const res = await sendText(a, room.id, `m${i}`)
      assert.ok(res.ok, JSON.stringify(res))
      sent.push(res.data.message.seq)
    }
    const seqs = sent as [number, number, number, number]
    const readAll = nextEvent(tab2, 'chat:read')
    assert.deepEqual(await send(tab1, 'chat:read', { roomId: room.id, seq: seqs[3] }), { ok: true, data: { unread: 0 } })
    assert.deepEqual(await readAll, { roomId: room.id, seq: seqs[3], unread: 0 })

    const movedBack = nextEvent(tab2, 'chat:read')
    assert.deepEqual(await send(tab1, 'chat:mark-unread', { roomId: room.id, seq: seqs[1] }), { ok: true, data: { unread: 3 } })
    assert.deepEqual(await movedBack, { roomId: room.id, seq: seqs[1] - 1, unread: 3 }, 'the other tab hears the marker move back')
    await assertNothing(tab1, 'chat:read')

    const listed = (await api(t.url, 'GET', '/api/rooms', { token: reader.token })).body.rooms.find((r: { id: string }) => r.id === room.id)
    assert.deepEqual({ unread: listed.unread, lastReadSeq: listed.lastReadSeq }, { unread: 3, lastReadSeq: seqs[1] - 1 }, 'saved: a reload sees it')
    const joined = await send(tab2, 'chat:join', { roomId: room.id })
    assert.ok(joined.ok, JSON.stringify(joined))
    assert.deepEqual({ unread: joined.data.room.unread, lastReadSeq: joined.data.room.lastReadSeq }, { unread: 3, lastReadSeq: seqs[1] - 1 })

    const movedOn = nextEvent(tab1, 'chat:read')
    assert.deepEqual(await send(tab2, 'chat:read', { roomId: room.id, seq: seqs[3] }), { ok: true, data: { unread: 0 } }, 'reading moves it forward again')
    assert.deepEqual(await movedOn, { roomId: room.id, seq: seqs[3], unread: 0 })
  })

  it('is refused for a seq below 1, and for a room one is not a member of', async () => {
    const outsider = await chatAs(carol)
    const room = await newRoom(alice, 'public')
    const zero = await send(outsider, 'chat:mark-unread', { roomId: room.id, seq: 0 })
    assert.ok(!zero.ok && zero.error.code === 'invalid_payload', JSON.stringify(zero))
    const notMember = await send(outsider, 'chat:mark-unread', { roomId: room.id, seq: 1 })
    assert.ok(!notMember.ok && notMember.error.code === 'forbidden', JSON.stringify(notMember))
  })
})

describe('membership', () => {
  it('lists public rooms to everyone, marks the joined ones, and starts a new member with history read', async () => {
    const author = await registerUser(t.url)
    const room = await newRoom(author, 'public')
    const a = await chatAs(author)
    for (let i = 1; i <= 3; i++) assert.ok((await sendText(a, room.id, `before you came ${i}`)).ok)
    const newcomer = await registerUser(t.url)
    const listed = (await api(t.url, 'GET', '/api/rooms', { token: newcomer.token })).body.rooms.find((r: { id: string }) => r.id === room.id)
    assert.deepEqual({ joined: listed.joined, unread: listed.unread }, { joined: false, unread: 0 })
    const n = await chatAs(newcomer)
    const joined = await send(n, 'chat:join', { roomId: room.id })
    assert.ok(joined.ok)
    assert.deepEqual({ joined: joined.data.room.joined, unread: joined.data.room.unread, memberCount: joined.data.room.memberCount }, { joined: true, unread: 0, memberCount: 2 })
    assert.equal(joined.data.messages.length, 3, 'the history is there to read')
    await sendText(a, room.id, 'after you came')
    const after = (await api(t.url, 'GET', '/api/rooms', { token: newcomer.token })).body.rooms.find((r: { id: string }) => r.id === room.id)
    assert.deepEqual({ joined: after.joined, unread: after.unread }, { joined: true, unread: 1 })
  })
})

describe('private and direct rooms', () => {
  it('refuse outsiders over Socket.IO and HTTP, and admit the invited', async () => {
    const room = await newRoom(alice, 'private')
    const c = await chatAs(carol)
    for (const [event, payload] of [
      ['chat:join', { roomId: room.id }],
      ['chat:history', { roomId: room.id }],
      ['chat:send', { roomId: room.id, text: 'let me in', clientId: clientId() }],
      ['chat:read', { roomId: room.id, seq: 1 }]
    ] as const) {
      const res = await send(c, event, payload)
      assert.ok(!res.ok && res.error.code === 'forbidden', `${event}: expected forbidden, got ${JSON.stringify(res)}`)
    }
    for (const path of [`/api/rooms/${room.id}/messages`, `/api/rooms/${room.id}/members`]) {
      const res = await api(t.url, 'GET', path, { token: carol.token })
      assert.equal(res.status, 403, path)
    }
    const invite = await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: carol.token, body: { username: 'carol' } })
    assert.equal(invite.status, 403, 'only members invite')
    const listed = await api(t.url, 'GET', '/api/rooms', { token: carol.token })
    assert.ok(!listed.body.rooms.some((r: { id: string }) => r.id === room.id), 'not listed for outsiders')

    const announced = nextEvent(c, 'chat:room')
    const ok = await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: alice.token, body: { username: 'carol' } })
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.equal((await announced).room.id, room.id)
    assert.ok((await send(c, 'chat:join', { roomId: room.id })).ok)
  })

  it('opens one direct room per pair, named after the other person, closed to a third', async () => {
    const first = await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: 'bob' } })
    const second = await api(t.url, 'POST', '/api/dms', { token: bob.token, body: { username: 'ALICE' } })
    assert.equal(first.status, 200, JSON.stringify(first.body))
    assert.equal(first.body.room.id, second.body.room.id)
    assert.equal(first.body.room.visibility, 'direct')
    assert.equal(first.body.room.name, 'bob')
    assert.equal(second.body.room.name, 'alice')
    const c = await chatAs(carol)
    const res = await send(c, 'chat:join', { roomId: first.body.room.id })
    assert.ok(!res.ok && res.error.code === 'forbidden')
    const self = await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: 'alice' } })
    assert.equal(self.status, 400)
    const nobody = await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: 'nobody' } })
    assert.equal(nobody.status, 404)
  })
})

describe('POST /api/rooms', () => {
  it('creates a room, announces a public one to others, and validates name and visibility', async () => {
    const b = await chatAs(bob)
    const announced = nextEvent(b, 'chat:room')
    const res = await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'book club', topic: 'Reading', visibility: 'public' } })
    assert.equal(res.status, 201)
    assert.deepEqual(res.body.room, { ...res.body.room, name: 'book club', topic: 'Reading', visibility: 'public', memberCount: 1, unread: 0, lastSeq: 0 })
    assert.equal((await announced).room.id, res.body.room.id)
    for (const body of [{ name: 'x', visibility: 'public' }, { name: 'ok name', visibility: 'direct' }, { name: 'y'.repeat(41), visibility: 'public' }, { name: 'ok', topic: 't'.repeat(201), visibility: 'private' }]) {
      const bad = await api(t.url, 'POST', '/api/rooms', { token: alice.token, body })
      assert.equal(bad.status, 400, JSON.stringify(body))
      assert.equal(bad.body.error.code, 'invalid_payload')
    }
    assert.equal((await api(t.url, 'POST', '/api/rooms', { body: { name: 'anon', visibility: 'public' } })).status, 401)
  })

  it('refuses names without a visible character, stores names in NFC, and keeps public names unique', async () => {
    const create = (name: string, visibility = 'public') => api(t.url, 'POST', '/api/rooms', { token: carol.token, body: { name, visibility } })
    for (const name of ['\u200b\u200b', '\u200bab', 'a\ud800b', 'tab\there']) {
      const bad = await create(name)
      assert.equal(bad.status, 400, `${JSON.stringify(name)}: ${JSON.stringify(bad.body)}`)
      assert.equal(bad.body.error.code, 'invalid_payload')
    }
    const decomposed = await create('Cafe\u0301 corner')
    assert.equal(decomposed.status, 201, JSON.stringify(decomposed.body))
    assert.equal(decomposed.body.room.name, 'Caf\u00e9 corner', 'stored composed (NFC)')
    for (const twin of ['General', 'GENERAL', 'ｇｅｎｅｒａｌ', 'café CORNER', 'cafe\u0301 corner']) {
      for (const visibility of ['public', 'private']) {
        const taken = await create(twin, visibility)
        assert.equal(taken.status, 409, `${visibility} ${JSON.stringify(twin)}: ${JSON.stringify(taken.body)}`)
        assert.equal(taken.body.error.code, 'conflict')
      }
    }
    const rooms = (await api(t.url, 'GET', '/api/rooms', { token: carol.token })).body.rooms as { name: string }[]
    assert.deepEqual(rooms.filter((room) => roomNameKey(room.name) === 'general').map((room) => room.name), ['general'], 'nothing was stored for the twins')
    // Private rooms do not reserve names (that would tell outsiders they exist).
    assert.equal((await create('secret plans', 'private')).status, 201)
    assert.equal((await api(t.url, 'POST', '/api/rooms', { token: bob.token, body: { name: 'Secret Plans', visibility: 'private' } })).status, 201)
  })

  it('limits how fast one user creates rooms', async () => {
    const maker = await registerUser(t.url)
    const { burst } = Limits.roomCreate
    const statuses = []
    for (let i = 0; i < burst + 2; i++) {
      statuses.push((await api(t.url, 'POST', '/api/rooms', { token: maker.token, body: { name: `flood ${i}`, visibility: 'private' } })).status)
    }
    assert.deepEqual(statuses.slice(0, burst), Array(burst).fill(201))
    assert.equal(statuses.at(-1), 429)
  })
})
