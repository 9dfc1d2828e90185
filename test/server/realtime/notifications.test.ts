import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { mentionedNames } from '../../../server/notifications/chat-notifications.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { io } from 'socket.io-client'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>
const KEY = 'test-publish-key-0123456789'
const OTHER_KEY = 'second-publish-key-abcdefghij'

let t: TestApp
let alice: Registered
let bob: Registered
let carol: Registered
const sockets: Socket[] = []
const as = async (who: Registered, ns: '/notifications' | '/chat') => {
  const socket = await connect(t.url, ns, { token: who.token })
  sockets.push(socket)
  return socket
}
/** A socket on /notifications plus the `notification:unread` it gets on connect. */
async function openInbox (who: Registered) {
  const socket = io(`${t.url}/notifications`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: who.token } })
  sockets.push(socket)
  const count = nextEvent<{ count: number }>(socket, 'notification:unread')
  await nextEvent(socket, 'connect')
  return { socket, count: (await count).count }
}
const publish = (body: unknown, key: string | null = KEY) =>
  api(t.url, 'POST', '/api/notifications', { body, ...(key !== null && { headers: { authorization: `Bearer ${key}` } }) })
let ids = 0
const clientId = () => `notif-${process.pid}-${++ids}`

before(async () => {
  t = await startApp({ env: { PUBLISH_KEYS: `${KEY},${OTHER_KEY}` } })
  ;[alice, bob, carol] = await Promise.all([registerUser(t.url, 'alice'), registerUser(t.url, 'bob'), registerUser(t.url, 'carol')])
})
after(async () => {
  for (const socket of sockets) socket.close()
  await t.close()
})

describe('POST /api/notifications', () => {
  it('refuses a missing or wrong key with 401 and stores nothing', async () => {
    for (const key of [null, 'wrong-key-wrong-key-wrong', `${KEY}x`]) {
      const res = await publish({ to: { usernames: ['alice'] }, title: 'nope' }, key)
      assert.equal(res.status, 401, `key ${key}`)
      assert.equal(res.body.error.code, 'unauthorized')
    }
    const list = await api(t.url, 'GET', '/api/notifications', { token: alice.token })
    assert.equal(list.body.notifications.length, 0)
  })

  it('answers 400 naming the field for an invalid body', async () => {
    const cases: [unknown, string][] = [
      [{ to: { usernames: ['alice'] } }, 'title'],
      [{ to: { usernames: ['alice'] }, title: '' }, 'title'],
      [{ to: { usernames: ['alice'] }, title: 'x'.repeat(201) }, 'title'],
      [{ to: { usernames: ['alice'] }, title: 'ok', body: 'x'.repeat(2001) }, 'body'],
      [{ to: { usernames: ['alice'] }, title: 'ok', url: 'javascript:alert(1)' }, 'url'],
      [{ to: { usernames: ['alice'] }, title: 'ok', kind: 'spam' }, 'kind'],
      [{ to: { usernames: [] }, title: 'ok' }, 'to'],
      [{ title: 'ok' }, 'to']
    ]
    for (const [body, field] of cases) {
      const res = await publish(body)
      assert.equal(res.status, 400, JSON.stringify(body))
      assert.equal(res.body.error.code, 'invalid_payload')
      assert.match(res.body.error.message, new RegExp(field), `${JSON.stringify(body)} -> ${res.body.error.message}`)
    }
  })

  it('delivers to every tab of a connected user and reports unknown names', async () => {
    const [tab1, tab2] = await Promise.all([openInbox(alice), openInbox(alice)])
    const got1 = nextEvent(tab1.socket, 'notification:new')
    const got2 = nextEvent(tab2.socket, 'notification:new')
    const count2 = nextEvent(tab2.socket, 'notification:unread')
    const res = await publish({ to: { usernames: ['alice', 'ghost'] }, title: 'Deploy finished', body: 'v2 is live', url: '/chat/general' }, OTHER_KEY)
    assert.equal(res.status, 202, JSON.stringify(res.body))
    assert.deepEqual(res.body, { stored: 1, delivered: 1, unknown: ['ghost'] })
    const [n1, n2] = await Promise.all([got1, got2])
    assert.deepEqual(n1, n2)
    assert.deepEqual({ ...n1.notification, id: 'x', createdAt: 0 }, { id: 'x', kind: 'system', title: 'Deploy finished', body: 'v2 is live', url: '/chat/general', createdAt: 0, readAt: null, roomId: null, roomName: null, actor: null })
    assert.deepEqual(await count2, { count: tab1.count + 1 })
  })

  it('stores for an offline user, who sees the count on the next connect', async () => {
    const before = (await api(t.url, 'GET', '/api/notifications', { token: carol.token })).body.unread
    const res = await publish({ to: { usernames: ['carol'] }, title: 'While you were away' })
    assert.deepEqual(res.body, { stored: 1, delivered: 0, unknown: [] })
    const { socket, count } = await openInbox(carol)
    assert.equal(count, before + 1)
    const list = await send(socket, 'notification:list', {})
    assert.ok(list.ok)
    assert.equal(list.data.notifications[0].title, 'While you were away')
  })

  it('limits a burst of calls per key', async () => {
    const results = await Promise.all(Array.from({ length: 70 }, () => publish({ to: { usernames: ['ghost'] }, title: 'burst' })))
    const statuses = results.map((r) => r.status)
    assert.ok(statuses.includes(429), `expected some 429 among ${statuses.length} calls`)
    assert.ok(statuses.every((s) => s === 202 || s === 429))
  })
})

describe('notification:list and notification:mark-read', () => {
  it('pages newest first without overlaps', async () => {
    const user = await registerUser(t.url)
    for (let i = 1; i <= 7; i++) await t.app.notifications.notify([user.user.id], { kind: 'system', title: `n${i}` })
    const { socket } = await openInbox(user)
    const titles: string[] = []
    let beforeId: string | undefined
    for (;;) {
      const res = await send(socket, 'notification:list', { limit: 3, ...(beforeId && { before: beforeId }) })
      assert.ok(res.ok, JSON.stringify(res))
      titles.push(...res.data.notifications.map((n: { title: string }) => n.title))
      assert.equal(res.data.unread, 7)
      if (!res.data.hasMore) break
      beforeId = res.data.notifications.at(-1).id
    }
    assert.deepEqual(titles, ['n7', 'n6', 'n5', 'n4', 'n3', 'n2', 'n1'])
  })

  it('marks only one\'s own as read and keeps tabs in step', async () => {
    const [u1, u2] = await Promise.all([registerUser(t.url), registerUser(t.url)])
    await t.app.notifications.notify([u1.user.id], { kind: 'system', title: 'mine' })
    await t.app.notifications.notify([u2.user.id], { kind: 'system', title: 'theirs' })
    const theirs = (await api(t.url, 'GET', '/api/notifications', { token: u2.token })).body.notifications[0].id
    const [tab1, tab2] = await Promise.all([openInbox(u1), openInbox(u1)])
    const refused = await send(tab1.socket, 'notification:mark-read', { ids: [theirs] })
    assert.deepEqual(refused, { ok: true, data: { unread: 1 } }, 'another user\'s id changes nothing')
    assert.equal((await api(t.url, 'GET', '/api/notifications', { token: u2.token })).body.unread, 1)
    const mine = (await send(tab1.socket, 'notification:list', {}))
    assert.ok(mine.ok)
    const synced = nextEvent(tab2.socket, 'notification:unread')
    assert.deepEqual(await send(tab1.socket, 'notification:mark-read', { ids: [mine.data.notifications[0].id] }), { ok: true, data: { unread: 0 } })
    assert.deepEqual(await synced, { count: 0 })
    await t.app.notifications.notify([u1.user.id], { kind: 'system', title: 'a' })
    await t.app.notifications.notify([u1.user.id], { kind: 'system', title: 'b' })
    assert.deepEqual(await send(tab2.socket, 'notification:mark-read', { all: true }), { ok: true, data: { unread: 0 } })
    const bad = await send(tab2.socket, 'notification:mark-read', { ids: [] })
    assert.ok(!bad.ok && bad.error.code === 'invalid_payload')
  })
})

describe('chat notifications', () => {
  it('a mention notifies a member exactly once, never the author or an outsider', async () => {
    const room = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'mentions', visibility: 'private' } })).body.room
    await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: alice.token, body: { username: 'bob' } })
    const bobInbox = await openInbox(bob)
    const carolBefore = (await api(t.url, 'GET', '/api/notifications', { token: carol.token })).body.unread
    const aliceBefore = (await api(t.url, 'GET', '/api/notifications', { token: alice.token })).body.unread
    const chat = await as(alice, '/chat')
    const got = nextEvent(bobInbox.socket, 'notification:new')
    const sent = await send(chat, 'chat:send', { roomId: room.id, text: 'hey @bob and @BOB, also @carol and @alice.', clientId: clientId() })
    assert.ok(sent.ok)
    const { notification } = await got
    assert.equal(notification.kind, 'mention')
    assert.equal(notification.title, 'alice mentioned you in #mentions')
    assert.equal(notification.url, `/chat/${room.id}?seq=${sent.data.message.seq}`)
    // A later message is a barrier: its notification arrives after any duplicate would have.
    const next = nextEvent(bobInbox.socket, 'notification:new')
    await send(chat, 'chat:send', { roomId: room.id, text: '@bob again', clientId: clientId() })
    assert.equal((await next).notification.body, '@bob again')
    assert.equal((await api(t.url, 'GET', '/api/notifications', { token: carol.token })).body.unread, carolBefore, 'outsider of a private room')
    assert.equal((await api(t.url, 'GET', '/api/notifications', { token: alice.token })).body.unread, aliceBefore, 'the author')
  })

  it('names the author by display name when they have one', async () => {
    const room = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'named-mentions', visibility: 'private' } })).body.room
    await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: alice.token, body: { username: 'bob' } })
    assert.equal((await api(t.url, 'PATCH', '/api/profile', { token: alice.token, body: { displayName: 'Alice Liddell' } })).status, 200)
    try {
      const bobInbox = await openInbox(bob)
      const chat = await as(alice, '/chat')
      const got = nextEvent(bobInbox.socket, 'notification:new')
      assert.ok((await send(chat, 'chat:send', { roomId: room.id, text: '@bob look', clientId: clientId() })).ok)
      const { notification } = await got
      assert.equal(notification.title, 'Alice Liddell mentioned you in #named-mentions')
      assert.equal(notification.actor, 'alice', 'the actor stays the username (links and grouping)')
    } finally {
      await api(t.url, 'PATCH', '/api/profile', { token: alice.token, body: { displayName: '' } })
    }
  })

  it('a direct message notifies the other user when they are not in the room', async () => {
    const dm = (await api(t.url, 'POST', '/api/dms', { token: bob.token, body: { username: 'carol' } })).body.room
    const carolInbox = await openInbox(carol)
    const chat = await as(bob, '/chat')
    const got = nextEvent(carolInbox.socket, 'notification:new')
    await send(chat, 'chat:send', { roomId: dm.id, text: 'psst', clientId: clientId() })
    const { notification } = await got
    assert.equal(notification.kind, 'dm')
    assert.equal(notification.title, 'New message from bob')
  })

  it('a direct message notifies the other user while their tabs follow the room but none shows it', async () => {
    const [sender, reader] = await Promise.all([registerUser(t.url), registerUser(t.url)])
    const dm = (await api(t.url, 'POST', '/api/dms', { token: sender.token, body: { username: reader.user.username } })).body.room
    const other = (await api(t.url, 'POST', '/api/rooms', { token: reader.token, body: { name: `elsewhere ${reader.user.username}`, visibility: 'private' } })).body.room
    const inbox = await openInbox(reader)
    const [chat, onMarket, elsewhere, hidden] = await Promise.all([as(sender, '/chat'), as(reader, '/chat'), as(reader, '/chat'), as(reader, '/chat')])
    // Every tab follows the DM (as the app does for every joined room); one shows another room, one hides the DM.
    for (const tab of [onMarket, elsewhere, hidden]) assert.ok((await send(tab, 'chat:join', { roomId: dm.id })).ok)
    assert.ok((await send(onMarket, 'chat:focus', { roomId: null, visible: true })).ok)
    assert.ok((await send(elsewhere, 'chat:focus', { roomId: other.id, visible: true })).ok)
    assert.ok((await send(hidden, 'chat:focus', { roomId: dm.id, visible: false })).ok)

    const got = nextEvent(inbox.socket, 'notification:new')
    const sent = await send(chat, 'chat:send', { roomId: dm.id, text: 'are you there?', clientId: clientId() })
    assert.ok(sent.ok, JSON.stringify(sent))
    const { notification } = await got
    assert.equal(notification.kind, 'dm', `expected a DM notification, saw ${JSON.stringify(notification)}`)
    assert.equal(notification.url, `/chat/${dm.id}?seq=${sent.data.message.seq}`)
  })

  it('a direct message or mention does not notify a user while a visible tab of theirs shows the room', async () => {
    const [sender, reader] = await Promise.all([registerUser(t.url), registerUser(t.url)])
    const dm = (await api(t.url, 'POST', '/api/dms', { token: sender.token, body: { username: reader.user.username } })).body.room
    const room = (await api(t.url, 'POST', '/api/rooms', { token: sender.token, body: { name: `watched ${reader.user.username}`, visibility: 'private' } })).body.room
    await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: sender.token, body: { username: reader.user.username } })
    const inbox = await openInbox(reader)
    const arrived: { notification: { kind: string, title: string } }[] = []
    inbox.socket.on('notification:new', (payload) => arrived.push(payload))
    const [chat, readerChat] = await Promise.all([as(sender, '/chat'), as(reader, '/chat')])
    assert.ok((await send(readerChat, 'chat:join', { roomId: dm.id })).ok)
    assert.ok((await send(readerChat, 'chat:focus', { roomId: dm.id, visible: true })).ok)

    assert.ok((await send(chat, 'chat:send', { roomId: dm.id, text: 'are you there?', clientId: clientId() })).ok)
    assert.ok((await send(chat, 'chat:send', { roomId: dm.id, text: `@${reader.user.username} ping`, clientId: clientId() })).ok)
    // A mention in another room is a barrier: its notification arrives after the DM's would have.
    const barrier = nextEvent(inbox.socket, 'notification:new')
    assert.ok((await send(chat, 'chat:send', { roomId: room.id, text: `@${reader.user.username} over here`, clientId: clientId() })).ok)
    await barrier
    assert.deepEqual(arrived.map(({ notification }) => `${notification.kind}: ${notification.title}`),
      [`mention: ${sender.user.username} mentioned you in #${room.name}`], 'nothing for the room on screen')
    const stored = (await api(t.url, 'GET', '/api/notifications', { token: reader.token })).body.notifications
    assert.deepEqual(stored.map((n: { kind: string }) => n.kind), ['mention', 'invite'], 'and nothing stored for it (the invitation came first)')
  })

  it('an invitation notifies the invitee', async () => {
    const room = (await api(t.url, 'POST', '/api/rooms', { token: bob.token, body: { name: 'secret club', visibility: 'private' } })).body.room
    const aliceInbox = await openInbox(alice)
    const got = nextEvent(aliceInbox.socket, 'notification:new')
    await api(t.url, 'POST', `/api/rooms/${room.id}/members`, { token: bob.token, body: { username: 'alice' } })
    const { notification } = await got
    assert.equal(notification.kind, 'invite')
    assert.equal(notification.title, 'bob invited you to #secret club')
    assert.equal(notification.url, `/chat/${room.id}`)
  })
})

describe('mentionedNames', () => {
  it('finds each @name once, ignoring e-mail addresses and sentence dots', () => {
    assert.deepEqual(mentionedNames('@Bob hi @bob, mail me at x@bob.com or ping @carol.'), ['bob', 'carol'])
    assert.deepEqual(mentionedNames('no mentions @ab here'), [])
  })
})
