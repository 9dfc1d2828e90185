import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { MUTE_FOREVER } from '../../../shared/notifications.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { assertNothing, nextEvent, send, socketsAs } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

let t: TestApp
const inboxes = socketsAs(() => t.url, '/notifications')
const chats = socketsAs(() => t.url, '/chat')
let ids = 0
const clientId = () => `controls-${process.pid}-${++ids}`
const PROBE: [string, unknown] = ['notification:preferences', {}]

before(async () => { t = await startApp() })
after(async () => {
  inboxes.closeAll()
  chats.closeAll()
  await t.close()
})

/** Alice and Bob, members of a new public room; Bob with two inbox tabs and no chat open (away). */
async function pair () {
  const [alice, bob] = await Promise.all([registerUser(t.url), registerUser(t.url)])
  const room = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: `r${++ids}-${process.pid}`, visibility: 'public' } })).body.room
  const [aliceChat, bobChat] = await Promise.all([chats.as(alice), chats.as(bob)])
  assert.ok((await send(aliceChat, 'chat:join', { roomId: room.id })).ok)
  assert.ok((await send(bobChat, 'chat:join', { roomId: room.id })).ok)
  bobChat.close()
  const [tab1, tab2] = await Promise.all([inboxes.as(bob), inboxes.as(bob)])
  const say = async (text: string, roomId = room.id) => {
    const sent = await send(aliceChat, 'chat:send', { roomId, text, clientId: clientId() })
    assert.ok(sent.ok, JSON.stringify(sent))
    return sent.data.message
  }
  return { alice, bob: bob as Registered, room, aliceChat, tab1, tab2, say, mention: `@${bob.user.username}` }
}

/** Both tabs get the next `notification:new`. */
const bothNew = (tabs: Socket[]) => Promise.all(tabs.map((tab) => nextEvent(tab, 'notification:new')))
const list = async (socket: Socket, payload: object = {}) => {
  const result = await send(socket, 'notification:list', payload)
  assert.ok(result.ok, JSON.stringify(result))
  return result.data as { notifications: { id: string, kind: string, readAt: number | null }[], unread: number }
}

describe('notification preferences', () => {
  it('start at the defaults, and a room set to a level reaches every other tab and stays in the account', async () => {
    const { bob, room, tab1, tab2 } = await pair()
    const start = await send(tab1, 'notification:preferences', {})
    assert.deepEqual(start.ok && start.data, { rooms: [], settings: { dndUntil: null, schedule: null, desktopKinds: ['mention', 'dm', 'invite', 'price-alert', 'system', 'message'] } })
    const pushed = nextEvent(tab2, 'notification:preferences')
    const set = await send(tab1, 'notification:set-room', { roomId: room.id, level: 'nothing' })
    assert.deepEqual(set.ok && set.data, { roomId: room.id, level: 'nothing', mutedUntil: null })
    assert.deepEqual((await pushed).rooms, [{ roomId: room.id, level: 'nothing', mutedUntil: null }])
    await assertNothing(tab1, 'notification:preferences', PROBE)

    const settingsPush = nextEvent(tab1, 'notification:preferences')
    const settings = await send(tab2, 'notification:set-settings', { desktopKinds: ['dm'], schedule: { timeZone: 'Europe/Paris', days: [1, 2], from: 22 * 60, to: 7 * 60 } })
    assert.ok(settings.ok, JSON.stringify(settings))
    assert.deepEqual((await settingsPush).settings, { dndUntil: null, schedule: { timeZone: 'Europe/Paris', days: [1, 2], from: 1320, to: 420 }, desktopKinds: ['dm'] })

    const fresh = await inboxes.as(bob)
    const stored = await send(fresh, 'notification:preferences', {})
    assert.deepEqual(stored.ok && stored.data, { rooms: [{ roomId: room.id, level: 'nothing', mutedUntil: null }], settings: { dndUntil: null, schedule: { timeZone: 'Europe/Paris', days: [1, 2], from: 1320, to: 420 }, desktopKinds: ['dm'] } })
  })

  it('refuse a room one is not a member of (forbidden), an unknown room (not_found) and an unknown time zone, changing nothing', async () => {
    const { tab1, tab2 } = await pair()
    const other = await registerUser(t.url)
    const theirs = (await api(t.url, 'POST', '/api/rooms', { token: other.token, body: { name: `p${++ids}-${process.pid}`, visibility: 'private' } })).body.room
    const refusals: [string, unknown, string][] = [
      ['notification:set-room', { roomId: theirs.id, level: 'all' }, 'forbidden'],
      ['notification:set-room', { roomId: 'no-such-room', level: 'all' }, 'not_found'],
      ['notification:set-room', { roomId: theirs.id, level: 'loud' }, 'invalid_payload'],
      ['notification:set-settings', { schedule: { timeZone: 'Mars/Olympus', days: [1], from: 0, to: 60 } }, 'invalid_payload'],
      ['notification:set-settings', { dndUntil: -1 }, 'invalid_payload']
    ]
    for (const [event, payload, code] of refusals) {
      const result = await send(tab1, event, payload)
      assert.equal(!result.ok && result.error.code, code, `${event} ${JSON.stringify(payload)} -> ${JSON.stringify(result)}`)
    }
    await assertNothing(tab2, 'notification:preferences', PROBE)
    const stored = await send(tab1, 'notification:preferences', {})
    assert.deepEqual(stored.ok && stored.data.rooms, [])
    assert.equal(stored.ok && stored.data.settings.schedule, null)
  })
})

describe('what a room notifies', () => {
  it('at "nothing" a mention creates no notification; at "mentions" only mentions; at "all" every message, with room and author', async () => {
    const { room, tab1, tab2, say, mention, alice } = await pair()
    assert.ok((await send(tab1, 'notification:set-room', { roomId: room.id, level: 'nothing' })).ok)
    await say(`${mention} are you there?`)
    await assertNothing(tab2, 'notification:new', PROBE)
    assert.equal((await list(tab1)).notifications.length, 0, 'nothing stored')

    assert.ok((await send(tab1, 'notification:set-room', { roomId: room.id, level: 'mentions' })).ok)
    await say('just chatting')
    await assertNothing(tab2, 'notification:new', PROBE)
    let got = bothNew([tab1, tab2])
    await say(`${mention} now?`)
    for (const { notification } of await got) assert.equal(notification.kind, 'mention')
    // Messages are notified in the order they were sent: what came before the mention is decided.
    assert.deepEqual((await list(tab1)).notifications.map((n) => n.kind), ['mention'], 'the message at "nothing" and the plain one stored nothing')

    assert.ok((await send(tab1, 'notification:set-room', { roomId: room.id, level: 'all' })).ok)
    got = bothNew([tab1, tab2])
    await say('anyone?')
    for (const { notification, quiet } of await got) {
      assert.equal(quiet, undefined)
      assert.deepEqual([notification.kind, notification.roomId, notification.roomName, notification.actor],
        ['message', room.id, room.name, alice.user.username], JSON.stringify(notification))
    }
  })

  it('a muted room notifies nothing until the mute ends; a DM at "mentions" notifies mentions only', async () => {
    const { alice, bob, room, tab1, tab2, say, mention } = await pair()
    assert.ok((await send(tab1, 'notification:set-room', { roomId: room.id, mutedUntil: MUTE_FOREVER })).ok)
    await say(`${mention} muted?`)
    await assertNothing(tab2, 'notification:new', PROBE)
    assert.ok((await send(tab1, 'notification:set-room', { roomId: room.id, mutedUntil: 1000 })).ok, 'a mute that ended')
    let got = bothNew([tab1, tab2])
    await say(`${mention} unmuted`)
    await got
    assert.equal((await list(tab1)).notifications.length, 1, 'the muted mention stored nothing')

    const dm = (await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: bob.user.username } })).body.room
    assert.ok((await send(tab1, 'notification:set-room', { roomId: dm.id, level: 'mentions' })).ok)
    await say('a plain DM', dm.id)
    await assertNothing(tab2, 'notification:new', PROBE)
    got = bothNew([tab1, tab2])
    await say(`${mention} a mention in a DM`, dm.id)
    for (const { notification } of await got) assert.equal(notification.kind, 'mention')
    assert.deepEqual((await list(tab1, { filter: 'dms' })).notifications, [], 'the plain DM stored nothing')
  })

  it('under do not disturb (until a time, or by the weekly schedule) a notification is stored and pushed quiet', async () => {
    const { room, tab1, tab2, say, mention } = await pair()
    assert.ok((await send(tab1, 'notification:set-settings', { dndUntil: MUTE_FOREVER })).ok)
    let got = bothNew([tab1, tab2])
    await say(`${mention} shh`)
    for (const { quiet } of await got) assert.equal(quiet, true)

    const everyDay = { timeZone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6], from: 0, to: 0 }
    assert.ok((await send(tab1, 'notification:set-settings', { dndUntil: null, schedule: everyDay })).ok)
    got = bothNew([tab1, tab2])
    await say(`${mention} still quiet`)
    for (const { quiet } of await got) assert.equal(quiet, true)

    assert.ok((await send(tab1, 'notification:set-settings', { schedule: null })).ok)
    got = bothNew([tab1, tab2])
    await say(`${mention} loud again`)
    for (const { quiet } of await got) assert.equal(quiet, undefined)
    assert.equal((await list(tab1)).notifications.length, 3, 'all three stored')
    assert.ok(room)
  })
})

describe('inbox controls', () => {
  it('mark one unread: every other tab hears it; another user\'s id is not_found and changes nothing', async () => {
    const { tab1, tab2, say, mention, alice } = await pair()
    const got = bothNew([tab1, tab2])
    await say(`${mention} one`)
    const [{ notification }] = await got
    assert.ok((await send(tab1, 'notification:mark-read', { ids: [notification.id] })).ok)
    const changed = nextEvent(tab2, 'notification:changed')
    const unreadPush = nextEvent(tab2, 'notification:unread')
    const unread = await send(tab1, 'notification:mark-unread', { id: notification.id })
    assert.deepEqual(unread.ok && unread.data, { unread: 1 })
    assert.deepEqual(await changed, { ids: [notification.id], change: 'unread' })
    assert.deepEqual(await unreadPush, { count: 1 })

    const aliceTab = await inboxes.as(alice)
    const refused = await send(aliceTab, 'notification:mark-unread', { id: notification.id })
    assert.equal(!refused.ok && refused.error.code, 'not_found')
    assert.ok((await send(tab1, 'notification:mark-read', { ids: [notification.id] })).ok)
    const again = await send(aliceTab, 'notification:mark-unread', { id: notification.id })
    assert.equal(!again.ok && again.error.code, 'not_found')
    assert.equal((await list(tab1)).unread, 0, 'still read')
  })

  it('done takes notifications out of every list (and reads them) in every tab; undo brings them back; others\' ids change nothing', async () => {
    const { tab1, tab2, say, mention, alice } = await pair()
    const made = []
    for (const text of ['first', 'second']) {
      const got = bothNew([tab1, tab2])
      await say(`${mention} ${text}`)
      made.push((await got)[0].notification.id)
    }
    const aliceTab = await inboxes.as(alice)
    const foreign = await send(aliceTab, 'notification:done', { ids: made, done: true })
    assert.deepEqual(foreign.ok && foreign.data, { unread: 0 })
    await assertNothing(tab2, 'notification:changed', PROBE)
    assert.equal((await list(tab1)).notifications.length, 2, 'another user\'s done changed nothing')

    const changed = nextEvent(tab2, 'notification:changed')
    const done = await send(tab1, 'notification:done', { ids: [made[0]], done: true })
    assert.deepEqual(done.ok && done.data, { unread: 1 })
    assert.deepEqual(await changed, { ids: [made[0]], change: 'done' })
    assert.deepEqual((await list(tab1)).notifications.map((n) => n.id), [made[1]])

    const undone = nextEvent(tab2, 'notification:changed')
    assert.ok((await send(tab1, 'notification:done', { ids: [made[0]], done: false })).ok)
    assert.deepEqual(await undone, { ids: [made[0]], change: 'undone' })
    const back = await list(tab1)
    assert.deepEqual(back.notifications.map((n) => [n.id, n.readAt !== null]), [[made[1], false], [made[0], true]], 'back, and read')
  })

  it('lists by filter: unread, mentions, DMs', async () => {
    const { alice, bob, tab1, tab2, say, mention } = await pair()
    const dm = (await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: bob.user.username } })).body.room
    let got = bothNew([tab1, tab2])
    await say(`${mention} hello`)
    const mentionId = (await got)[0].notification.id
    got = bothNew([tab1, tab2])
    await say('hi in private', dm.id)
    const dmId = (await got)[0].notification.id
    assert.ok((await send(tab1, 'notification:mark-read', { ids: [mentionId] })).ok)
    const ids = async (filter?: string) => (await list(tab1, filter ? { filter } : {})).notifications.map((n) => n.id)
    assert.deepEqual(await ids(), [dmId, mentionId])
    assert.deepEqual(await ids('unread'), [dmId])
    assert.deepEqual(await ids('mentions'), [mentionId])
    assert.deepEqual(await ids('dms'), [dmId])
    assert.deepEqual(await ids('alerts'), [])
    const refused = await send(tab1, 'notification:list', { filter: 'everything' })
    assert.equal(!refused.ok && refused.error.code, 'invalid_payload')
  })
})
