import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { assertNothing as assertNothingBefore, nextEvent, send, sendAsClient, socketsAs } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>
interface Msg { id: string, seq: number, text: string, createdAt: number, rev?: number, threadRootId?: string, alsoInRoom?: boolean, replyCount?: number, lastReplyAt?: number }

let t: TestApp
let alice: Registered
let bob: Registered
let carol: Registered
const chatSockets = socketsAs(() => t.url, '/chat')
const chatAs = chatSockets.as
const inboxSockets = socketsAs(() => t.url, '/notifications')
let ids = 0
const clientId = () => `thr-${process.pid}-${++ids}`
const assertNothing = (socket: Socket, event: string) => assertNothingBefore(socket, event, ['chat:leave', { roomId: 'no-such-room' }])
const newRoom = async (owner: Registered, visibility: 'public' | 'private') => {
  const res = await api(t.url, 'POST', '/api/rooms', { token: owner.token, body: { name: `thread room ${++ids}`, visibility } })
  assert.equal(res.status, 201, JSON.stringify(res.body))
  return res.body.room as { id: string }
}
// As the browser sends (a rate_limited refusal waited out): the file posts more than one burst of sends as alice.
const post = async (socket: Socket, roomId: string, text: string, thread?: { threadRootId: string, alsoInRoom?: boolean }) => {
  const res = await sendAsClient<{ message: Msg }>(socket, 'chat:send', { roomId, text, clientId: clientId(), ...thread })
  assert.ok(res.ok, JSON.stringify(res))
  return res.data.message
}
const joined = async (socket: Socket, roomId: string) => {
  const res = await send(socket, 'chat:join', { roomId })
  assert.ok(res.ok, JSON.stringify(res))
  return res.data as { room: { lastSeq: number, lastRev: number, unread: number }, messages: Msg[] }
}
const texts = (messages: Msg[]) => messages.map((m) => m.text)

before(async () => {
  t = await startApp()
  ;[alice, bob, carol] = await Promise.all([registerUser(t.url, 'alice'), registerUser(t.url, 'bob'), registerUser(t.url, 'carol')])
})
after(async () => {
  chatSockets.closeAll()
  inboxSockets.closeAll()
  await t.close()
})

describe('thread replies (chat:send with threadRootId)', () => {
  it('pushes the reply and the root\'s new count to every other socket in the room, and the count to the replier\'s own too', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b, c] = await Promise.all([chatAs(alice), chatAs(bob), chatAs(carol)])
    for (const socket of [a, b, c]) await joined(socket, room.id)
    const root = await post(a, room.id, 'a question')

    const replyToAlice = nextEvent<{ message: Msg }>(a, 'chat:message')
    const replyToCarol = nextEvent<{ message: Msg }>(c, 'chat:message')
    const rootTo = [a, b, c].map((socket) => nextEvent<{ message: Msg }>(socket, 'chat:message-updated'))
    const reply = await post(b, room.id, 'an answer', { threadRootId: root.id })
    assert.equal(reply.threadRootId, root.id)
    assert.equal(reply.alsoInRoom, false)
    assert.equal(reply.seq, root.seq + 1, 'a reply takes the room\'s next seq')
    assert.deepEqual((await replyToAlice).message, reply)
    assert.deepEqual((await replyToCarol).message, reply)
    for (const pushed of await Promise.all(rootTo)) {
      assert.deepEqual([pushed.message.id, pushed.message.replyCount, pushed.message.lastReplyAt], [root.id, 1, reply.createdAt])
      assert.ok(pushed.message.rev! > (root.rev ?? 0), `the root took a new rev, saw ${pushed.message.rev}`)
    }
    await assertNothing(b, 'chat:message')
  })

  it('keeps replies out of the room\'s history and unread count unless also sent to the room, and pages them in chat:thread', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    await joined(b, room.id)
    const root = await post(a, room.id, 'root')
    await post(b, room.id, 'reply 1', { threadRootId: root.id })
    await post(b, room.id, 'reply 2', { threadRootId: root.id, alsoInRoom: true })
    await post(b, room.id, 'reply 3', { threadRootId: root.id })
    await post(a, room.id, 'after')

    const view = await joined(await chatAs(carol), room.id)
    assert.deepEqual(texts(view.messages), ['root', 'reply 2', 'after'], 'the timeline: the root, the reply sent to the room too, the next message')
    assert.equal(view.messages[0]!.replyCount, 3)
    const history = await send(a, 'chat:history', { roomId: room.id })
    assert.ok(history.ok)
    assert.deepEqual(texts(history.data.messages), ['root', 'reply 2', 'after'])

    const thread = await send(a, 'chat:thread', { roomId: room.id, rootId: root.id })
    assert.ok(thread.ok, JSON.stringify(thread))
    assert.deepEqual([thread.data.root.id, thread.data.root.replyCount, texts(thread.data.messages), thread.data.hasMore, thread.data.following],
      [root.id, 3, ['reply 1', 'reply 2', 'reply 3'], false, true])
    const older = await send(a, 'chat:thread', { roomId: room.id, rootId: root.id, limit: 2 })
    assert.ok(older.ok)
    assert.deepEqual([texts(older.data.messages), older.data.hasMore], [['reply 2', 'reply 3'], true])
    const first = await send(a, 'chat:thread', { roomId: room.id, rootId: root.id, before: older.data.messages[0].seq })
    assert.ok(first.ok)
    assert.deepEqual([texts(first.data.messages), first.data.hasMore], [['reply 1'], false])
  })

  it('counts only replies that are in the timeline as unread', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    await joined(b, room.id)
    const root = await post(a, room.id, 'root')
    await post(b, room.id, 'only in the thread', { threadRootId: root.id })
    await post(b, room.id, 'also in the room', { threadRootId: root.id, alsoInRoom: true })
    const rooms = await api(t.url, 'GET', '/api/rooms', { token: alice.token })
    assert.equal(rooms.body.rooms.find((r: { id: string }) => r.id === room.id).unread, 1)
  })

  it('refuses a reply to a reply, to a message of another room and to a deleted message, storing nothing', async () => {
    const room = await newRoom(alice, 'public')
    const other = await newRoom(alice, 'public')
    const a = await chatAs(alice)
    const root = await post(a, room.id, 'root')
    const reply = await post(a, room.id, 'reply', { threadRootId: root.id })
    const elsewhere = await post(a, other.id, 'elsewhere')
    const gone = await post(a, room.id, 'gone')
    assert.ok((await send(a, 'chat:delete', { messageId: gone.id })).ok)
    const before = (await joined(a, room.id)).room
    for (const [threadRootId, code] of [[reply.id, 'invalid_payload'], [elsewhere.id, 'invalid_payload'], ['no-such-message', 'invalid_payload'], [gone.id, 'conflict']] as const) {
      const res = await send(a, 'chat:send', { roomId: room.id, text: 'nope', clientId: clientId(), threadRootId })
      assert.equal(res.ok ? 'ok' : res.error.code, code, `reply to ${threadRootId}: ${JSON.stringify(res)}`)
    }
    const afterwards = (await joined(a, room.id)).room
    assert.deepEqual([afterwards.lastSeq, afterwards.lastRev], [before.lastSeq, before.lastRev], 'no seq or rev taken')
    const thread = await send(a, 'chat:thread', { roomId: room.id, rootId: root.id })
    assert.ok(thread.ok)
    assert.deepEqual([thread.data.root.replyCount, texts(thread.data.messages)], [1, ['reply']])
  })

  it('stores a retried reply once and counts it once', async () => {
    const room = await newRoom(alice, 'public')
    const a = await chatAs(alice)
    const root = await post(a, room.id, 'root')
    const id = clientId()
    const first = await send(a, 'chat:send', { roomId: room.id, text: 'once', clientId: id, threadRootId: root.id })
    const again = await send(a, 'chat:send', { roomId: room.id, text: 'once', clientId: id, threadRootId: root.id })
    assert.ok(first.ok && again.ok)
    assert.deepEqual(again.data.message, first.data.message)
    const thread = await send(a, 'chat:thread', { roomId: room.id, rootId: root.id })
    assert.ok(thread.ok)
    assert.equal(thread.data.root.replyCount, 1)
  })

  it('lets only members of a private room reply or read its threads', async () => {
    const room = await newRoom(alice, 'private')
    const a = await chatAs(alice)
    const root = await post(a, room.id, 'members only')
    const c = await chatAs(carol)
    const reply = await send(c, 'chat:send', { roomId: room.id, text: 'let me in', clientId: clientId(), threadRootId: root.id })
    assert.equal(reply.ok ? 'ok' : reply.error.code, 'forbidden')
    const read = await send(c, 'chat:thread', { roomId: room.id, rootId: root.id })
    assert.equal(read.ok ? 'ok' : read.error.code, 'forbidden')
    const follow = await send(c, 'chat:follow-thread', { roomId: room.id, rootId: root.id, follow: true })
    assert.equal(follow.ok ? 'ok' : follow.error.code, 'forbidden')
    const thread = await send(a, 'chat:thread', { roomId: room.id, rootId: root.id })
    assert.ok(thread.ok)
    assert.deepEqual([thread.data.root.replyCount, thread.data.messages], [undefined, []], 'nothing stored')
  })

  it('finds replies in search, naming their thread', async () => {
    const room = await newRoom(alice, 'public')
    const a = await chatAs(alice)
    const root = await post(a, room.id, 'root')
    const word = `threadword${process.pid}x${++ids}`
    await post(a, room.id, `the ${word} is here`, { threadRootId: root.id })
    const res = await send(a, 'chat:search', { query: word })
    assert.ok(res.ok, JSON.stringify(res))
    assert.deepEqual(res.data.hits.map((hit: { message: Msg }) => [hit.message.text, hit.message.threadRootId]), [[`the ${word} is here`, root.id]])
  })
})

describe('following threads', () => {
  it('notifies the root\'s author, repliers and mentioned members of new replies, each once, never the replier; stopping ends it', async () => {
    const dave = await registerUser(t.url)
    const room = await newRoom(alice, 'public')
    const [a, b, d] = await Promise.all([chatAs(alice), chatAs(bob), chatAs(dave)])
    for (const socket of [b, d]) await joined(socket, room.id)
    const [inboxA, inboxB, inboxD] = await Promise.all([inboxSockets.as(alice), inboxSockets.as(bob), inboxSockets.as(dave)])
    const root = await post(a, room.id, 'root')

    // Bob replies mentioning dave: alice (the root's author) is told; bob and dave follow now.
    let toAlice = nextEvent(inboxA, 'notification:new')
    const mention = nextEvent(inboxD, 'notification:new')
    await post(b, room.id, `a reply, @${dave.user.username} look`, { threadRootId: root.id })
    assert.equal((await toAlice).notification.kind, 'thread')
    assert.equal((await mention).notification.kind, 'mention', 'a mention for dave, not a thread notification as well')

    // Dave replies: alice and bob are told, dave is not.
    toAlice = nextEvent(inboxA, 'notification:new')
    const toBob = nextEvent(inboxB, 'notification:new')
    await post(d, room.id, 'dave too', { threadRootId: root.id })
    for (const seen of await Promise.all([toAlice, toBob])) {
      assert.deepEqual([seen.notification.kind, seen.notification.body, seen.notification.url], ['thread', 'dave too', `/chat/${room.id}?thread=${root.id}`])
    }

    // Bob stops following: a reply of alice's reaches dave and not bob.
    const stop = await send(b, 'chat:follow-thread', { roomId: room.id, rootId: root.id, follow: false })
    assert.deepEqual(stop, { ok: true, data: { following: false } })
    const toDave = nextEvent(inboxD, 'notification:new')
    await post(a, room.id, 'alice answers', { threadRootId: root.id })
    assert.equal((await toDave).notification.body, 'alice answers')
    // Replying again does not make bob follow again; carol, not even a member, follows by asking (and joins the public room).
    await post(b, room.id, 'bob once more', { threadRootId: root.id })
    const c = await chatAs(carol)
    assert.deepEqual(await send(c, 'chat:follow-thread', { roomId: room.id, rootId: root.id, follow: true }), { ok: true, data: { following: true } })
    const inboxC = await inboxSockets.as(carol)
    const toCarol = nextEvent(inboxC, 'notification:new')
    await post(a, room.id, 'for carol too', { threadRootId: root.id })
    assert.equal((await toCarol).notification.body, 'for carol too')
    const list = await api(t.url, 'GET', '/api/notifications', { token: bob.token })
    assert.deepEqual(list.body.notifications.map((n: { body: string }) => n.body), ['dave too'], 'bob: only the reply before he stopped')
    const thread = await send(b, 'chat:thread', { roomId: room.id, rootId: root.id })
    assert.ok(thread.ok)
    assert.equal(thread.data.following, false)
  })
})

describe('thread catch-up', () => {
  it('gives a client back after a disconnect the replies and the root\'s count it missed', async () => {
    const room = await newRoom(alice, 'public')
    const [a, b] = await Promise.all([chatAs(alice), chatAs(bob)])
    const root = await post(a, room.id, 'root')
    const { room: seen } = await joined(b, room.id)
    b.close()
    await post(a, room.id, 'missed reply', { threadRootId: root.id })
    await post(a, room.id, 'missed in both', { threadRootId: root.id, alsoInRoom: true })

    const b2 = await chatAs(bob)
    const res = await send(b2, 'chat:join', { roomId: room.id, since: seen.lastSeq, changesSince: seen.lastRev })
    assert.ok(res.ok, JSON.stringify(res))
    assert.deepEqual(res.data.messages.map((m: Msg) => [m.text, m.threadRootId, m.alsoInRoom]), [
      ['missed reply', root.id, false],
      ['missed in both', root.id, true]
    ], 'every reply after the seq held, marked with its thread')
    assert.deepEqual(res.data.changed.map((m: Msg) => [m.id, m.replyCount]), [[root.id, 2]], 'the root as it now is')
  })
})

describe('chat:thread', () => {
  it('answers not_found for a reply or a message of another room', async () => {
    const room = await newRoom(alice, 'public')
    const other = await newRoom(alice, 'public')
    const a = await chatAs(alice)
    const root = await post(a, room.id, 'root')
    const reply = await post(a, room.id, 'reply', { threadRootId: root.id })
    for (const [roomId, rootId] of [[room.id, reply.id], [other.id, root.id], [room.id, 'nope']]) {
      const res = await send(a, 'chat:thread', { roomId, rootId })
      assert.equal(res.ok ? 'ok' : res.error.code, 'not_found', JSON.stringify(res))
    }
  })
})
