import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { api, registerUser } from '../../helpers/http.ts'
import { pngBytes } from '../../helpers/images.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

const skip = await nodesSkipReason()

describe('two nodes on Redis and PostgreSQL', { skip }, () => {
  let cluster: TestNodes
  let alice: Registered
  let bob: Registered
  const sockets: Socket[] = []
  /** A socket of `who` on node `n` (1 or 2). */
  const on = async (n: number, namespace: string, who: Registered) => {
    const socket = await connect(cluster.nodes[n - 1]!.url, namespace, { token: who.token })
    sockets.push(socket)
    return socket
  }
  let ids = 0
  const clientId = () => `cross-${process.pid}-${++ids}`

  before(async () => {
    cluster = await startNodes(2, { env: { PUBLISH_KEYS: 'publish-key-for-cross-node-tests' } })
    const [one, two] = cluster.nodes
    ;[alice, bob] = await Promise.all([registerUser(one!.url, 'alice'), registerUser(two!.url, 'bob')])
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await cluster?.close()
  })

  it('relays chat both ways between users on different nodes', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'general' })).ok)
    const toBob = nextEvent(b, 'chat:message')
    const sent = await send(a, 'chat:send', { roomId: 'general', text: 'hello from node 1', clientId: clientId() })
    assert.ok(sent.ok, JSON.stringify(sent))
    assert.deepEqual((await toBob).message, sent.data.message)
    const toAlice = nextEvent(a, 'chat:message')
    const reply = await send(b, 'chat:send', { roomId: 'general', text: 'hello from node 2', clientId: clientId() })
    assert.ok(reply.ok, JSON.stringify(reply))
    assert.deepEqual((await toAlice).message, reply.data.message)
    assert.equal(reply.data.message.seq, sent.data.message.seq + 1, 'one seq per room, whichever node writes')
  })

  it('relays a reaction on one node to the room on the other, and a change caught up there after a disconnect', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'markets' })).ok)
    const sent = await send(a, 'chat:send', { roomId: 'markets', text: 'react on the other node', clientId: clientId() })
    assert.ok(sent.ok, JSON.stringify(sent))
    const toBob = nextEvent(b, 'chat:reactions')
    const reacted = await send(a, 'chat:react', { messageId: sent.data.message.id, emoji: '🚀' })
    assert.ok(reacted.ok, JSON.stringify(reacted))
    assert.deepEqual(await toBob, reacted.data)
    assert.deepEqual(reacted.data.reactions, [{ emoji: '🚀', count: 1, users: [alice.user] }])

    const toAlice = nextEvent(a, 'chat:reactions')
    const joined = await send(b, 'chat:react', { messageId: sent.data.message.id, emoji: '🚀' })
    assert.ok(joined.ok, JSON.stringify(joined))
    assert.deepEqual((await toAlice).reactions, [{ emoji: '🚀', count: 2, users: [alice.user, bob.user] }])

    const rejoined = await send(b, 'chat:join', { roomId: 'markets' })
    assert.ok(rejoined.ok, JSON.stringify(rejoined))
    b.close()
    assert.ok((await send(a, 'chat:react', { messageId: sent.data.message.id, emoji: '🚀' })).ok)
    const back = await on(2, '/chat', bob)
    const caughtUp = await send(back, 'chat:join', { roomId: 'markets', since: rejoined.data.room.lastSeq, changesSince: rejoined.data.room.lastRev })
    assert.ok(caughtUp.ok, JSON.stringify(caughtUp))
    assert.deepEqual(caughtUp.data.changed.map((m: { id: string, reactions: unknown }) => [m.id, m.reactions]),
      [[sent.data.message.id, [{ emoji: '🚀', count: 1, users: [bob.user] }]]], 'alice took hers back while bob was away')
  })

  it('relays a thread reply and its root\'s count from one node to the room on the other, and notifies the root\'s author there', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    const inbox = await on(2, '/notifications', alice)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'random' })).ok)
    const root = await send(b, 'chat:send', { roomId: 'random', text: 'a thread on node 2', clientId: clientId() })
    assert.ok(root.ok, JSON.stringify(root))
    const replyToBob = nextEvent(b, 'chat:message')
    const countToBob = nextEvent(b, 'chat:message-updated')
    const countToAlice = nextEvent(a, 'chat:message-updated')
    const notified = nextEvent(inbox, 'notification:new')
    const sent = await send(a, 'chat:send', { roomId: 'random', text: 'a reply from node 1', clientId: clientId(), threadRootId: root.data.message.id })
    assert.ok(sent.ok, JSON.stringify(sent))
    assert.deepEqual((await replyToBob).message, sent.data.message)
    for (const { message } of [await countToBob, await countToAlice]) assert.deepEqual([message.id, message.replyCount], [root.data.message.id, 1])
    // Alice replied, so she follows: bob's answer reaches her inbox on node 2.
    const reply = await send(b, 'chat:send', { roomId: 'random', text: 'bob answers', clientId: clientId(), threadRootId: root.data.message.id })
    assert.ok(reply.ok, JSON.stringify(reply))
    assert.deepEqual([(await notified).notification.kind, (await notified).notification.body], ['thread', 'bob answers'])
    const thread = await send(a, 'chat:thread', { roomId: 'random', rootId: root.data.message.id })
    assert.ok(thread.ok, JSON.stringify(thread))
    assert.deepEqual(thread.data.messages.map((m: { text: string }) => m.text), ['a reply from node 1', 'bob answers'])
  })

  it('pushes a profile changed on one node to the rooms and the user\'s tabs on the other', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    const aliceElsewhere = await on(2, '/chat', alice)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'random' })).ok)
    const seen = [nextEvent(b, 'people:profile'), nextEvent(aliceElsewhere, 'people:profile')]
    const res = await api(cluster.nodes[0]!.url, 'PATCH', '/api/profile', { token: alice.token, body: { displayName: 'Alice on node 1', statusText: 'clustered' } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    for (const payload of await Promise.all(seen)) assert.deepEqual(payload, { profile: res.body.profile })
    const read = await api(cluster.nodes[1]!.url, 'POST', '/api/people/profiles', { token: bob.token, body: { userIds: [alice.user.id] } })
    assert.deepEqual(read.body.profiles, [res.body.profile], 'the other node reads it from the shared database')
  })

  it('reaches a user\'s tabs on another node: an invitation (room and notification), a mention, a read marker', async () => {
    const bobChat = await on(2, '/chat', bob)
    const bobInbox = await on(2, '/notifications', bob)
    await nextEvent(bobInbox, 'notification:unread')
    const created = await api(cluster.nodes[0]!.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'cross-node private', visibility: 'private' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string

    const roomShown = nextEvent(bobChat, 'chat:room')
    const invited = nextEvent(bobInbox, 'notification:new')
    assert.equal((await api(cluster.nodes[0]!.url, 'POST', `/api/rooms/${roomId}/members`, { token: alice.token, body: { username: 'bob' } })).status, 200)
    assert.equal((await roomShown).room.id, roomId)
    assert.equal((await invited).notification.kind, 'invite')

    const a = await on(1, '/chat', alice)
    assert.ok((await send(a, 'chat:join', { roomId })).ok)
    const mentioned = nextEvent(bobInbox, 'notification:new')
    const sent = await send(a, 'chat:send', { roomId, text: 'over to you @bob', clientId: clientId() })
    assert.ok(sent.ok, JSON.stringify(sent))
    assert.equal((await mentioned).notification.kind, 'mention')

    // Bob reads in a tab on node 1; his tab on node 2 hears of it.
    const bobElsewhere = await on(1, '/chat', bob)
    const marker = nextEvent(bobChat, 'chat:read')
    assert.ok((await send(bobElsewhere, 'chat:read', { roomId, seq: sent.data.message.seq })).ok)
    assert.deepEqual(await marker, { roomId, seq: sent.data.message.seq, unread: 0 })
  })

  it('gives a client that dropped briefly what it missed when it reconnects, without asking (connection-state recovery through Redis)', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'random' })).ok)
    const first = nextEvent(b, 'chat:message')
    assert.ok((await send(a, 'chat:send', { roomId: 'random', text: 'before the drop', clientId: clientId() })).ok)
    await first
    const dropped = nextEvent(b, 'disconnect')
    // The network drops: the TCP connection under the WebSocket dies.
    ;(b.io.engine.transport as unknown as { ws: { _socket: { destroy: () => void } } }).ws._socket.destroy()
    assert.equal(await dropped, 'transport close')
    const missed = await send(a, 'chat:send', { roomId: 'random', text: 'while you were gone', clientId: clientId() })
    assert.ok(missed.ok, JSON.stringify(missed))
    const redelivered = nextEvent(b, 'chat:message')
    const back = nextEvent(b, 'connect')
    b.connect()
    await back
    assert.equal(b.recovered, true, 'the session was restored')
    assert.deepEqual((await redelivered).message, missed.data.message)
    // And bob is online in the room again, though his client sent no join.
    const members = await api(cluster.nodes[0]!.url, 'GET', '/api/rooms/random/members', { token: alice.token })
    assert.equal(members.body.members.find((m: { username: string }) => m.username === 'bob')?.online, true, JSON.stringify(members.body))
  })

  it('serves an image uploaded and sent through node 1 to a member on node 2 (its bytes in PostgreSQL), and to nobody else', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'general' })).ok)
    const bytes = pngBytes(8, 6)
    const uploaded = await fetch(`${cluster.nodes[0]!.url}/api/rooms/general/images`, {
      method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'image/png' }, body: new Uint8Array(bytes)
    })
    const { imageId } = await uploaded.json() as { imageId: string }
    assert.equal(uploaded.status, 201, imageId)
    const toBob = nextEvent(b, 'chat:message')
    const sent = await send(a, 'chat:send', { roomId: 'general', text: 'from node 1', clientId: clientId(), imageId })
    assert.ok(sent.ok, JSON.stringify(sent))
    assert.equal((await toBob).message.image?.id, imageId)
    const served = await fetch(`${cluster.nodes[1]!.url}/api/images/${imageId}`, { headers: { authorization: `Bearer ${bob.token}` } })
    assert.equal(served.status, 200)
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes, 'the same bytes from the other node')
    const stranger = await registerUser(cluster.nodes[1]!.url)
    assert.equal((await fetch(`${cluster.nodes[1]!.url}/api/images/${imageId}`, { headers: { authorization: `Bearer ${stranger.token}` } })).status, 404)
  })

  it('pushes an avatar set on one node to the other, which serves it; replaced there, the first node serves it no more', async () => {
    const a = await on(1, '/chat', alice)
    const b = await on(2, '/chat', bob)
    const aliceElsewhere = await on(2, '/chat', alice)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: 'random' })).ok)
    const putAvatar = (n: number, bytes: Buffer) => fetch(`${cluster.nodes[n - 1]!.url}/api/profile/avatar`, {
      method: 'PUT', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'image/png' }, body: new Uint8Array(bytes)
    })
    const fetchAvatar = (n: number, avatarId: string) => fetch(`${cluster.nodes[n - 1]!.url}/api/avatars/${avatarId}`, { headers: { authorization: `Bearer ${bob.token}` } })

    const seen = [nextEvent(b, 'people:profile'), nextEvent(aliceElsewhere, 'people:profile')]
    const bytes = pngBytes(16, 16)
    const set = await putAvatar(1, bytes)
    const { profile } = await set.json() as { profile: { avatarId: string } }
    assert.equal(set.status, 200, JSON.stringify(profile))
    for (const payload of await Promise.all(seen)) assert.equal(payload.profile.avatarId, profile.avatarId)
    const served = await fetchAvatar(2, profile.avatarId)
    assert.equal(served.status, 200)
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes, 'the same bytes from the other node')

    const toAlice = nextEvent(a, 'people:profile')
    const replaced = await (await putAvatar(2, pngBytes(8, 8))).json() as { profile: { avatarId: string } }
    assert.equal((await toAlice).profile.avatarId, replaced.profile.avatarId)
    assert.equal((await fetchAvatar(1, profile.avatarId)).status, 404, 'the old one is gone on every node')
    assert.equal((await fetchAvatar(1, replaced.profile.avatarId)).status, 200)
  })

  it('delivers a notification published on one node to the user\'s socket on the other', async () => {
    const inbox = await on(1, '/notifications', alice)
    await nextEvent(inbox, 'notification:unread')
    const arrived = nextEvent(inbox, 'notification:new')
    const res = await api(cluster.nodes[1]!.url, 'POST', '/api/notifications', {
      headers: { authorization: 'Bearer publish-key-for-cross-node-tests' },
      body: { to: { usernames: ['alice'] }, kind: 'system', title: 'Deploy finished' }
    })
    assert.equal(res.status, 202, JSON.stringify(res.body))
    assert.deepEqual(res.body, { stored: 1, delivered: 1, unknown: [] }, 'alice\'s socket on the other node is counted')
    assert.equal((await arrived).notification.title, 'Deploy finished')
  })

  it('carries notification preferences and inbox changes to a user\'s tab on the other node, and honours them there', async () => {
    const [tab1, tab2] = [await on(1, '/notifications', bob), await on(2, '/notifications', bob)]
    const pushed = nextEvent(tab2, 'notification:preferences')
    assert.ok((await send(tab1, 'notification:set-settings', { dndUntil: 8_640_000_000_000_000 })).ok)
    assert.equal((await pushed).settings.dndUntil, 8_640_000_000_000_000)
    const a = await on(1, '/chat', alice)
    assert.ok((await send(a, 'chat:join', { roomId: 'random' })).ok)
    const b = await on(2, '/chat', bob)
    assert.ok((await send(b, 'chat:join', { roomId: 'random' })).ok)
    b.close()
    const quiet = nextEvent(tab2, 'notification:new')
    assert.ok((await send(a, 'chat:send', { roomId: 'random', text: '@bob across nodes, quietly', clientId: clientId() })).ok)
    const { notification, quiet: isQuiet } = await quiet
    assert.equal(isQuiet, true, 'pushed quiet under do not disturb set on the other node')
    const changed = nextEvent(tab2, 'notification:changed')
    assert.ok((await send(tab1, 'notification:done', { ids: [notification.id], done: true })).ok)
    assert.deepEqual(await changed, { ids: [notification.id], change: 'done' })
  })

  it('disconnects a session\'s sockets on every node when it logs out on one', async () => {
    const login = await api(cluster.nodes[0]!.url, 'POST', '/api/auth/login', { body: { username: 'bob', password: 'correct horse battery' } })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    const session = { ...bob, token: login.body.token as string }
    const elsewhere = await on(2, '/chat', session)
    const closed = nextEvent(elsewhere, 'disconnect')
    assert.equal((await api(cluster.nodes[0]!.url, 'POST', '/api/auth/logout', { token: session.token })).status, 204)
    assert.equal(await closed, 'io server disconnect')
  })
})
