import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Compile } from 'typebox/compile'
import { Limits } from '../../../shared/limits.ts'
import { AWAY_MAX_MS, AwaySummarySchema, type AwaySummary } from '../../../shared/notifications.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { send, socketsAs } from '../../helpers/sockets.ts'

let t: TestApp
const inboxes = socketsAs(() => t.url, '/notifications')
const chats = socketsAs(() => t.url, '/chat')
const tickers = socketsAs(() => t.url, '/ticker')
const validSummary = Compile(AwaySummarySchema)
let ids = 0
const clientId = () => `away-${process.pid}-${++ids}`

before(async () => {
  t = await startApp()
  // The test drives the market: one step at a time.
  t.app.ticker.stop()
})
after(async () => {
  inboxes.closeAll()
  chats.closeAll()
  tickers.closeAll()
  await t.close()
})

const summaryOf = async (socket: Awaited<ReturnType<typeof inboxes.as>>, since: number) => {
  const result = await send<AwaySummary>(socket, 'away:summary', { since })
  assert.ok(result.ok, `expected a summary, got ${JSON.stringify(result)}`)
  assert.ok(validSummary.Check(result.data), `the summary matches its schema: ${JSON.stringify(result.data)}`)
  return result.data
}

describe('away:summary', () => {
  it('lists what happened in the user\'s rooms, inbox, alerts and watchlists since, and nothing of rooms they are not in', async () => {
    const [alice, bob, carol] = await Promise.all([registerUser(t.url), registerUser(t.url), registerUser(t.url)])
    const room = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: `away${++ids}-${process.pid}`, visibility: 'public' } })).body.room
    const secret = (await api(t.url, 'POST', '/api/rooms', { token: carol.token, body: { name: `secret${++ids}-${process.pid}`, visibility: 'private' } })).body.room
    const direct = (await api(t.url, 'POST', '/api/dms', { token: alice.token, body: { username: bob.user.username } })).body.room
    const [aliceChat, bobChat, carolChat] = await Promise.all([chats.as(alice), chats.as(bob), chats.as(carol)])
    assert.ok((await send(bobChat, 'chat:join', { roomId: room.id })).ok)
    const root = await send(bobChat, 'chat:send', { roomId: room.id, text: 'a thread of mine', clientId: clientId() })
    assert.ok(root.ok, JSON.stringify(root))

    // Bob's watchlist and an alert that the next trade fires.
    const bobTicker = await tickers.as(bob)
    assert.ok((await send(bobTicker, 'ticker:watchlist-create', { name: 'Mine', symbols: ['QLFX', 'NBLM'] })).ok)
    const price = t.app.ticker.quotes(['QLFX'])[0]!.price
    const alert = await send(bobTicker, 'ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: Math.round(price * 50) / 100 })
    assert.ok(alert.ok, JSON.stringify(alert))

    // Bob goes away: no chat open, one inbox tab to see the notifications arrive.
    bobChat.close()
    const since = Date.now()
    const inbox = await inboxes.as(bob)
    const notified = (count: number) => new Promise<void>((resolve) => {
      let seen = 0
      inbox.on('notification:new', () => { if (++seen === count) resolve() })
    })
    const arrived = notified(4)
    const say = async (socket: typeof aliceChat, roomId: string, text: string, extra: object = {}) => {
      const sent = await send(socket, 'chat:send', { roomId, text, clientId: clientId(), ...extra })
      assert.ok(sent.ok, JSON.stringify(sent))
      return sent.data.message
    }
    const first = await say(aliceChat, room.id, 'First thing while Bob is out')
    await say(aliceChat, room.id, `@${bob.user.username} have a look`)
    await say(aliceChat, direct.id, 'Psst, a direct word')
    await say(aliceChat, room.id, 'A reply in your thread', { threadRootId: root.data.message.id })
    await say(carolChat, secret.id, 'Nobody else should see this')
    for (let i = 0; i < 100 && !t.app.ticker.tick().quotes.some((q) => q.symbol === 'QLFX'); i++);
    for (let i = 0; i < 20; i++) t.app.ticker.tick()
    await t.app.ticker.settled()
    await arrived

    const summary = await summaryOf(inbox, since)
    assert.equal(summary.since, since)
    assert.deepEqual(summary.rooms.map((r) => [r.roomId, r.unread]).sort(), [[room.id, 2], [direct.id, 1]].sort(), 'the two rooms with unread messages, none other')
    const inRoom = summary.rooms.find((r) => r.roomId === room.id)!
    assert.equal(inRoom.firstUnreadSeq, first.seq)
    assert.deepEqual(inRoom.first && { author: inRoom.first.author, text: inRoom.first.text }, { author: alice.user.username, text: 'First thing while Bob is out' })
    assert.equal(summary.rooms.find((r) => r.roomId === direct.id)!.first?.text, 'Psst, a direct word')
    assert.deepEqual(summary.mentions.map((n) => [n.kind, n.roomId]).sort(), [['dm', direct.id], ['mention', room.id]].sort())
    assert.deepEqual(summary.threads.map((n) => [n.kind, n.roomId]), [['thread', room.id]])
    assert.deepEqual(summary.alerts.map((a) => a.id), [alert.data.alert.id])
    assert.deepEqual(summary.movers.map((m) => m.symbol).sort(), ['NBLM', 'QLFX'])
    for (const mover of summary.movers) {
      assert.equal(mover.to, t.app.ticker.quotes([mover.symbol])[0]!.price, `${mover.symbol} moved to its price now`)
      assert.ok(Math.abs(mover.changePct - ((mover.to - mover.from) / mover.from) * 100) < 1e-9, JSON.stringify(mover))
    }
    assert.ok(Math.abs(summary.movers[0]!.changePct) >= Math.abs(summary.movers[1]!.changePct), 'the biggest move first')

    // Later than all of it: nothing new, but the unread rooms are still unread.
    const later = await summaryOf(inbox, Date.now() + 60_000)
    assert.equal(later.since, later.until, 'a future since counts from now')
    assert.deepEqual([later.mentions, later.threads, later.alerts], [[], [], []])
    assert.equal(later.rooms.length, 2)

    // Carol sees her own room, not Bob's direct room nor his thread.
    const carolSummary = await summaryOf(await inboxes.as(carol), since)
    assert.deepEqual(carolSummary.rooms, [], 'her only message is her own, so read')
    assert.deepEqual([carolSummary.mentions, carolSummary.threads, carolSummary.alerts, carolSummary.movers], [[], [], [], []])
  })

  it('counts from at most 7 days back', async () => {
    const dave = await registerUser(t.url)
    const summary = await summaryOf(await inboxes.as(dave), 0)
    assert.equal(summary.since, summary.until - AWAY_MAX_MS)
  })

  it('refuses a malformed since and a user who asks too often, with clear codes', async () => {
    const erin = await registerUser(t.url)
    const inbox = await inboxes.as(erin)
    for (const payload of [{}, { since: -1 }, { since: 'yesterday' }, { since: 1, extra: true }]) {
      const refused = await send(inbox, 'away:summary', payload)
      assert.ok(!refused.ok && refused.error.code === 'invalid_payload', `expected invalid_payload for ${JSON.stringify(payload)}, got ${JSON.stringify(refused)}`)
    }
    for (let i = 0; i < Limits.awaySummary.burst; i++) await summaryOf(inbox, Date.now())
    const limited = await send(inbox, 'away:summary', { since: Date.now() })
    assert.ok(!limited.ok && limited.error.code === 'rate_limited', `expected rate_limited, got ${JSON.stringify(limited)}`)
  })
})

describe('away:summary on a quiet inbox', () => {
  it('is empty for a new user', async () => {
    const frank = await registerUser(t.url)
    const inbox = await inboxes.as(frank)
    const summary = await summaryOf(inbox, Date.now() - 11 * 60_000)
    assert.deepEqual([summary.rooms, summary.mentions, summary.threads, summary.alerts, summary.movers], [[], [], [], [], []])
  })
})
