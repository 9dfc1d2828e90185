import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { Limits } from '../../../shared/limits.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>
interface PresencePush { roomId: string, user: { id: string, username: string }, online: boolean }

const skip = await nodesSkipReason()

describe('presence and typing across two nodes', { skip }, () => {
  let cluster: TestNodes
  let alice: Registered, bob: Registered, carol: Registered, dave: Registered, erin: Registered
  const sockets: Socket[] = []
  const url = (n: number) => cluster.nodes[n - 1]!.url
  /** A socket of `who` on node `n` (1 or 2). */
  const on = async (n: number, who: Registered, namespace = '/chat') => {
    const socket = await connect(url(n), namespace, { token: who.token })
    sockets.push(socket)
    return socket
  }
  const join = async (socket: Socket, roomId: string) => {
    const res = await send(socket, 'chat:join', { roomId })
    assert.ok(res.ok, JSON.stringify(res))
    return res.data
  }
  /** Closes a client socket and waits until node `n` has seen it go (its leave is under way). */
  const closeOn = async (n: number, socket: Socket) => {
    const gone = new Promise((resolve) => cluster.nodes[n - 1]!.app.io.of('/chat').sockets.get(socket.id!)!.once('disconnect', resolve))
    socket.close()
    await gone
  }
  /** Every `chat:presence` a socket gets from now on, and a wait for one that matches. */
  const watchPresence = (socket: Socket) => {
    const seen: PresencePush[] = []
    const waiting = new Set<() => void>()
    socket.on('chat:presence', (push: PresencePush) => {
      seen.push(push)
      for (const check of waiting) check()
    })
    const until = (who: Registered, online: boolean, timeoutMs = 5000) => new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!seen.some((push) => push.user.id === who.user.id && push.online === online)) return
        waiting.delete(check)
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        waiting.delete(check)
        reject(new Error(`expected ${who.user.username} ${online ? 'online' : 'offline'} within ${timeoutMs} ms; saw ${JSON.stringify(seen)}`))
      }, timeoutMs)
      waiting.add(check)
      check()
    })
    /** What was pushed about each user, in order: `{ carol: [true, false] }`. */
    const byUser = () => {
      const pushes: Record<string, boolean[]> = {}
      for (const { user, online } of seen) (pushes[user.username] ??= []).push(online)
      return pushes
    }
    return { until, byUser }
  }
  const onlineMembers = (members: Array<{ username: string, online: boolean }>) =>
    members.filter((member) => member.online).map((member) => member.username).sort()
  let rooms = 0
  const newRoom = async () => {
    const res = await api(url(1), 'POST', '/api/rooms', { token: alice.token, body: { name: `presence ${process.pid} ${++rooms}`, visibility: 'public' } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.room.id as string
  }
  let clientIds = 0
  const clientId = () => `presence-${process.pid}-${++clientIds}`

  before(async () => {
    cluster = await startNodes(2, { typingTtlMs: 300 })
    ;[alice, bob, carol, dave, erin] = await Promise.all([
      registerUser(url(1), 'alice'), registerUser(url(2), 'bob'), registerUser(url(1), 'carol'), registerUser(url(1), 'dave'), registerUser(url(2), 'erin')
    ])
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await cluster?.close()
  })

  it('shows each user online on both nodes, and pushes each change once', async () => {
    const roomId = await newRoom()
    const a = await on(1, alice)
    await join(a, roomId)
    const seenByAlice = watchPresence(a)
    const b = await on(2, bob)
    const joined = await join(b, roomId)
    assert.deepEqual(onlineMembers(joined.members), ['alice', 'bob'], 'bob on node 2 sees alice on node 1')
    assert.equal(joined.room.onlineCount, 2)
    await seenByAlice.until(bob, true)
    const seenByBob = watchPresence(b)

    // carol with a tab on each node: online once, offline once, for watchers on either node.
    const c1 = await on(1, carol)
    await join(c1, roomId)
    const c2 = await on(2, carol)
    await join(c2, roomId)
    const members = await api(url(1), 'GET', `/api/rooms/${roomId}/members`, { token: alice.token })
    assert.deepEqual(onlineMembers(members.body.members), ['alice', 'bob', 'carol'], 'node 1 sees bob on node 2')
    const listed = await api(url(1), 'GET', '/api/rooms', { token: alice.token })
    assert.equal(listed.body.rooms.find((room: { id: string }) => room.id === roomId).onlineCount, 3, 'carol counts once')
    await closeOn(1, c1)
    await closeOn(2, c2)
    await Promise.all([seenByAlice.until(carol, false), seenByBob.until(carol, false)])

    // A join on each node after those leaves: their pushes come after any the leaves made, on every node.
    await join(await on(1, dave), roomId)
    await join(await on(2, erin), roomId)
    await Promise.all([seenByAlice, seenByBob].flatMap((seen) => [seen.until(dave, true), seen.until(erin, true)]))
    assert.deepEqual(seenByAlice.byUser(), { bob: [true], carol: [true, false], dave: [true], erin: [true] })
    assert.deepEqual(seenByBob.byUser(), { carol: [true, false], dave: [true], erin: [true] })
  })

  it('relays typing from node 2 to node 1, with its stop and its expiry', async () => {
    const roomId = await newRoom()
    const a = await on(1, alice)
    const b = await on(2, bob)
    await join(a, roomId)
    await join(b, roomId)
    const typing = (isTyping: boolean) => ({ roomId, user: bob.user, typing: isTyping })
    let next = nextEvent(a, 'chat:typing')
    b.emit('chat:typing', { roomId, typing: true })
    assert.deepEqual(await next, typing(true))
    next = nextEvent(a, 'chat:typing')
    b.emit('chat:typing', { roomId, typing: false })
    assert.deepEqual(await next, typing(false), 'the stop bob sent')
    next = nextEvent(a, 'chat:typing')
    b.emit('chat:typing', { roomId, typing: true })
    assert.deepEqual(await next, typing(true))
    assert.deepEqual(await nextEvent(a, 'chat:typing'), typing(false), 'expired on node 2 without a refresh')
    next = nextEvent(a, 'chat:typing')
    b.emit('chat:typing', { roomId, typing: true })
    assert.deepEqual(await next, typing(true))
    next = nextEvent(a, 'chat:typing')
    const sent = await send(b, 'chat:send', { roomId, text: 'done typing', clientId: clientId() })
    assert.ok(sent.ok, JSON.stringify(sent))
    assert.deepEqual(await next, typing(false), 'sending stops typing')
  })

  it('sends a DM notification unless a visible tab of the user shows the room, on any node', async () => {
    const dmWith = async (username: string) => {
      const res = await api(url(1), 'POST', '/api/dms', { token: alice.token, body: { username } })
      assert.equal(res.status, 200, JSON.stringify(res.body))
      return res.body.room.id as string
    }
    const [withBob, withCarol] = [await dmWith('bob'), await dmWith('carol')]
    // Both inboxes on node 2: a notification made on node 1 reaches either by the same road.
    const inbox = async (who: Registered) => {
      const socket = await on(2, who, '/notifications')
      await nextEvent(socket, 'notification:unread')
      return socket
    }
    const [bobInbox, carolInbox] = [await inbox(bob), await inbox(carol)]
    const toBobInbox: unknown[] = []
    bobInbox.on('notification:new', (push: unknown) => toBobInbox.push(push))
    const a = await on(1, alice)
    const b = await on(2, bob)
    await join(a, withBob)
    await join(b, withBob)
    assert.ok((await send(b, 'chat:focus', { roomId: withBob, visible: true })).ok)
    const message = (roomId: string, text: string) => send(a, 'chat:send', { roomId, text, clientId: clientId() })

    assert.ok((await message(withBob, 'are you there?')).ok)
    const toCarol = nextEvent(carolInbox, 'notification:new')
    assert.ok((await message(withCarol, 'and you?')).ok)
    assert.equal((await toCarol).notification.kind, 'dm', 'carol, on no node, is away')
    // Bob's message went first, down the same road: a notification for it would have come by now.
    assert.deepEqual(toBobInbox, [], 'bob looks at the room on node 2')

    // Bob's tab goes to the background: still online in the room, no longer looking at it.
    assert.ok((await send(b, 'chat:focus', { roomId: withBob, visible: false })).ok)
    const toBob = nextEvent(bobInbox, 'notification:new')
    const later = await message(withBob, 'call me back')
    assert.ok(later.ok, JSON.stringify(later))
    const { notification } = await toBob
    assert.equal(notification.kind, 'dm')
    assert.match(notification.url, new RegExp(`seq=${later.data.message.seq}$`), 'the message sent while bob looked elsewhere')
    const list = await api(url(2), 'GET', '/api/notifications', { token: bob.token })
    const dms = list.body.notifications.filter((n: { kind: string }) => n.kind === 'dm')
    assert.deepEqual(dms.map((n: { url: string }) => n.url), [notification.url], 'one, for the message sent while bob looked elsewhere')
  })
})

describe('a node on Redis', { skip: await redisSkipReason() }, () => {
  const keys = testRedisPrefix()
  let t: TestApp
  const sockets: Socket[] = []
  before(async () => {
    // SQLite answers within the same turn, so joins reach the room while the flood below is still read.
    t = await startApp({ env: { REDIS_URL: redisTestUrl, REDIS_PREFIX: keys.prefix } })
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await t?.close()
    await keys.clean()
  })

  it('leaves no one online behind joins still running when the command budget disconnects their socket', async () => {
    const [owner, flooding] = await Promise.all([registerUser(t.url), registerUser(t.url)])
    const created = await api(t.url, 'POST', '/api/rooms', { token: owner.token, body: { name: `flooded ${process.pid}`, visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string
    const flooder = await connect(t.url, '/chat', { token: flooding.token })
    sockets.push(flooder)
    const disconnected = nextEvent(flooder, 'disconnect')
    // Joins past the budget and its refusals: the disconnect comes while the accepted ones still run.
    for (let i = 0; i < Limits.commandsPerSocket.burst + Limits.refusalsPerSocket.burst + 1; i++) flooder.emit('chat:join', { roomId }, () => {})
    assert.equal(await disconnected, 'io server disconnect')
    const watcher = await connect(t.url, '/chat', { token: owner.token })
    sockets.push(watcher)
    const res = await send(watcher, 'chat:join', { roomId })
    assert.ok(res.ok, JSON.stringify(res))
    assert.deepEqual(res.data.members.filter((member: { online: boolean }) => member.online).map((member: { username: string }) => member.username), [owner.user.username])
  })
})
