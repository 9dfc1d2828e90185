import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { MAX_WATCHLIST_SYMBOLS, MAX_WATCHLISTS, type Watchlist, type Watchlists } from '../../../shared/ticker.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { registerUser } from '../../helpers/http.ts'
import { assertNothing as assertNothingBefore, connect, nextEvent, send, sendAsClient } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

let t: TestApp
const sockets: Socket[] = []
const tickerAs = async (who?: Registered) => {
  const socket = await connect(t.url, '/ticker', who ? { token: who.token } : {})
  sockets.push(socket)
  return socket
}
/** Two tabs of one user. */
const twoTabs = async (who: Registered) => Promise.all([tickerAs(who), tickerAs(who)])
const assertNothing = (socket: Socket, event: string) => assertNothingBefore(socket, event, ['ticker:unsubscribe', { symbols: ['NOT.LISTED'] }])
const refused = (result: { ok: boolean, error?: { code: string, message: string } }, code: string, message?: RegExp) => {
  assert.ok(!result.ok, `expected ${code}, got ${JSON.stringify(result)}`)
  assert.equal(result.error!.code, code, JSON.stringify(result))
  if (message) assert.match(result.error!.message, message)
}
let users = 0
const newUser = () => registerUser(t.url, `wl_user${++users}`)
const symbols = () => t.app.ticker.symbols()

before(async () => {
  t = await startApp()
  t.app.ticker.stop()
})
after(async () => {
  for (const socket of sockets) socket.close()
  await t.close()
})

describe('ticker watchlists', () => {
  it('are refused to anonymous viewers with unauthorized', async () => {
    const s = await tickerAs()
    for (const [event, payload] of [
      ['ticker:watchlist-list', {}],
      ['ticker:watchlist-create', { name: 'x' }],
      ['ticker:watchlist-update', { id: 'x', version: 1, symbols: [] }],
      ['ticker:watchlist-delete', { id: 'x' }],
      ['ticker:watchlist-move', { id: 'x', index: 0 }],
      ['ticker:watchlist-import', { symbols: ['QLFX'] }]
    ] as const) refused(await send(s, event, payload), 'unauthorized', /watchlists/)
  })

  it('push every change to all of the user\'s tabs, with a growing rev, and to nobody else', async () => {
    const alice = await newUser()
    const bob = await newUser()
    const [tab1, tab2] = await twoTabs(alice)
    const bobs = await tickerAs(bob)
    assert.deepEqual(await send(tab1, 'ticker:watchlist-list', {}), { ok: true, data: { lists: [], rev: 0 } })

    let pushes = [nextEvent<Watchlists>(tab1, 'ticker:watchlists'), nextEvent<Watchlists>(tab2, 'ticker:watchlists')]
    const created = await send<{ list: Watchlist }>(tab1, 'ticker:watchlist-create', { name: 'Tech', symbols: ['QLFX', 'ZPHR'] })
    assert.ok(created.ok, JSON.stringify(created))
    const list = created.data.list
    assert.deepEqual(list, { id: list.id, name: 'Tech', symbols: ['QLFX', 'ZPHR'], version: 1 })
    for (const push of await Promise.all(pushes)) assert.deepEqual(push, { lists: [list], rev: 1 }, 'both tabs, the acting one too')

    pushes = [nextEvent<Watchlists>(tab1, 'ticker:watchlists'), nextEvent<Watchlists>(tab2, 'ticker:watchlists')]
    const starred = await send<{ list: Watchlist }>(tab2, 'ticker:watchlist-update', { id: list.id, version: 1, symbols: ['QLFX', 'ZPHR', 'BKMW'] })
    assert.ok(starred.ok, JSON.stringify(starred))
    for (const push of await Promise.all(pushes)) assert.deepEqual(push, { lists: [{ ...list, symbols: ['QLFX', 'ZPHR', 'BKMW'], version: 2 }], rev: 2 })

    // Tab 1 still holds version 1: its write is refused and nothing changes.
    refused(await send(tab1, 'ticker:watchlist-update', { id: list.id, version: 1, symbols: ['QLFX'] }), 'conflict', /changed elsewhere/)
    await assertNothing(tab2, 'ticker:watchlists')
    await assertNothing(bobs, 'ticker:watchlists')
    assert.deepEqual(await send(bobs, 'ticker:watchlist-list', {}), { ok: true, data: { lists: [], rev: 0 } })
    refused(await send(bobs, 'ticker:watchlist-update', { id: list.id, version: 2, name: 'Mine now' }), 'not_found')
    refused(await send(bobs, 'ticker:watchlist-delete', { id: list.id }), 'not_found')

    pushes = [nextEvent<Watchlists>(tab1, 'ticker:watchlists'), nextEvent<Watchlists>(tab2, 'ticker:watchlists')]
    const second = await send<{ list: Watchlist }>(tab2, 'ticker:watchlist-create', { name: 'Energy' })
    assert.ok(second.ok)
    await Promise.all(pushes)
    pushes = [nextEvent<Watchlists>(tab1, 'ticker:watchlists'), nextEvent<Watchlists>(tab2, 'ticker:watchlists')]
    assert.deepEqual(await send(tab1, 'ticker:watchlist-move', { id: second.data.list.id, index: 0 }), { ok: true, data: {} })
    for (const push of await Promise.all(pushes)) assert.deepEqual(push.lists.map((l) => l.name), ['Energy', 'Tech'])
    pushes = [nextEvent<Watchlists>(tab1, 'ticker:watchlists'), nextEvent<Watchlists>(tab2, 'ticker:watchlists')]
    assert.deepEqual(await send(tab2, 'ticker:watchlist-delete', { id: second.data.list.id }), { ok: true, data: {} })
    for (const push of await Promise.all(pushes)) {
      assert.deepEqual(push.lists.map((l) => l.name), ['Tech'])
      assert.equal(push.rev, 5)
    }
  })

  it('validates names and symbols, and changes nothing on refusal', async () => {
    const carol = await newUser()
    const s = await tickerAs(carol)
    for (const name of ['', ' padded ', 'x'.repeat(41), 'two\nlines']) refused(await send(s, 'ticker:watchlist-create', { name }), 'invalid_payload')
    refused(await send(s, 'ticker:watchlist-create', { name: 'Dupes', symbols: ['QLFX', 'QLFX'] }), 'invalid_payload')
    refused(await send(s, 'ticker:watchlist-create', { name: 'Lower', symbols: ['qlfx'] }), 'invalid_payload')
    refused(await send(s, 'ticker:watchlist-create', { name: 'Unknown', symbols: ['QLFX', 'NOPE'] }), 'not_found', /NOPE/)
    refused(await send(s, 'ticker:watchlist-create', { name: 'Extra', color: 'red' }), 'invalid_payload')
    const tooMany = Array.from({ length: MAX_WATCHLIST_SYMBOLS + 1 }, (_, i) => `S${i}`)
    refused(await send(s, 'ticker:watchlist-create', { name: 'Long', symbols: tooMany }), 'invalid_payload')
    refused(await send(s, 'ticker:watchlist-move', { id: 'x', index: MAX_WATCHLISTS }), 'invalid_payload')
    assert.deepEqual(await send(s, 'ticker:watchlist-list', {}), { ok: true, data: { lists: [], rev: 0 } })
    const made = await send<{ list: Watchlist }>(s, 'ticker:watchlist-create', { name: 'Ok 📈' })
    assert.ok(made.ok)
    refused(await send(s, 'ticker:watchlist-update', { id: made.data.list.id, version: 1, symbols: ['NOPE'] }), 'not_found')
    refused(await send(s, 'ticker:watchlist-update', { id: made.data.list.id, version: 0, name: 'x' }), 'invalid_payload')
    assert.deepEqual(await send(s, 'ticker:watchlist-list', {}), { ok: true, data: { lists: [made.data.list], rev: 1 } })
  })

  it(`keeps at most ${MAX_WATCHLISTS} lists of ${MAX_WATCHLIST_SYMBOLS} symbols`, async () => {
    const dave = await newUser()
    const s = await tickerAs(dave)
    const all = symbols()
    for (let i = 0; i < MAX_WATCHLISTS; i++) {
      const made = await sendAsClient(s, 'ticker:watchlist-create', { name: `List ${i}`, symbols: all.slice(0, 3) })
      assert.ok(made.ok, JSON.stringify(made))
    }
    refused(await sendAsClient(s, 'ticker:watchlist-create', { name: 'One too many' }), 'conflict', new RegExp(`${MAX_WATCHLISTS} watchlists`))
    const listed = await send<Watchlists>(s, 'ticker:watchlist-list', {})
    assert.ok(listed.ok)
    assert.equal(listed.data.lists.length, MAX_WATCHLISTS)
    // As many symbols as are listed (fewer than the cap here) fit in one list.
    const full = await sendAsClient<{ list: Watchlist }>(s, 'ticker:watchlist-update', { id: listed.data.lists[0]!.id, version: 1, symbols: all.slice(0, MAX_WATCHLIST_SYMBOLS) })
    assert.ok(full.ok, JSON.stringify(full))
    assert.equal(full.data.list.symbols.length, Math.min(all.length, MAX_WATCHLIST_SYMBOLS))
  })

  it('imports a browser\'s list once: into the first list, made when none, unknown symbols skipped', async () => {
    const erin = await newUser()
    const [tab1, tab2] = await twoTabs(erin)
    const pushed = nextEvent<Watchlists>(tab2, 'ticker:watchlists')
    const first = await send<{ list: Watchlist }>(tab1, 'ticker:watchlist-import', { symbols: ['BKMW', 'GONE', 'QLFX'] })
    assert.ok(first.ok, JSON.stringify(first))
    assert.deepEqual(first.data.list, { id: first.data.list.id, name: 'Watchlist', symbols: ['BKMW', 'QLFX'], version: 1 })
    assert.deepEqual(await pushed, { lists: [first.data.list], rev: 1 })
    // The other tab imports the same list: nothing changes, nothing is pushed.
    assert.deepEqual(await send(tab2, 'ticker:watchlist-import', { symbols: ['BKMW', 'GONE', 'QLFX'] }), first)
    await assertNothing(tab1, 'ticker:watchlists')
    assert.deepEqual(await send(tab1, 'ticker:watchlist-list', {}), { ok: true, data: { lists: [first.data.list], rev: 1 } })
  })
})

describe('ticker alerts across tabs', () => {
  it('lists fired alerts, re-arms and deletes them, each change pushed to every tab', async () => {
    const frank = await newUser()
    const [tab1, tab2] = await twoTabs(frank)
    const price = t.app.ticker.quotes(['QLFX'])[0]!.price
    let pushed = nextEvent(tab2, 'ticker:alert')
    const created = await send(tab1, 'ticker:alert-create', { symbol: 'QLFX', direction: 'above', price: Math.round(price * 50) / 100 })
    assert.ok(created.ok, JSON.stringify(created))
    assert.deepEqual(await pushed, { state: 'pending', alert: created.data.alert })

    pushed = nextEvent(tab2, 'ticker:alert')
    for (let i = 0; i < 100 && !t.app.ticker.tick().quotes.some((q) => q.symbol === 'QLFX'); i++);
    const fired = await pushed
    assert.equal(fired.state, 'fired')
    assert.equal(fired.alert.id, created.data.alert.id)
    assert.ok(fired.alert.firedPrice >= created.data.alert.price, `fired by a trade at or above: ${JSON.stringify(fired)}`)
    await t.app.ticker.settled()
    const list = await send(tab1, 'ticker:alert-fired', {})
    assert.deepEqual(list, { ok: true, data: { alerts: [fired.alert] } })

    pushed = nextEvent(tab2, 'ticker:alert')
    const rearmed = await send(tab1, 'ticker:alert-rearm', { id: created.data.alert.id })
    assert.ok(rearmed.ok, JSON.stringify(rearmed))
    assert.deepEqual(await pushed, { state: 'pending', alert: rearmed.data.alert })
    assert.deepEqual(await send(tab1, 'ticker:alert-list', {}), { ok: true, data: { alerts: [rearmed.data.alert] } })
    refused(await send(tab1, 'ticker:alert-rearm', { id: created.data.alert.id }), 'not_found', /fired/)

    // Re-armed below the price, it fires again at the next trade.
    pushed = nextEvent(tab2, 'ticker:alert')
    for (let i = 0; i < 100 && !t.app.ticker.tick().quotes.some((q) => q.symbol === 'QLFX'); i++);
    assert.equal((await pushed).state, 'fired')
    await t.app.ticker.settled()
    pushed = nextEvent(tab2, 'ticker:alert')
    assert.deepEqual(await send(tab1, 'ticker:alert-delete', { id: created.data.alert.id }), { ok: true, data: {} })
    assert.deepEqual(await pushed, { state: 'deleted', id: created.data.alert.id })
    assert.deepEqual(await send(tab1, 'ticker:alert-fired', {}), { ok: true, data: { alerts: [] } })
    const other = await tickerAs(await newUser())
    refused(await send(other, 'ticker:alert-rearm', { id: created.data.alert.id }), 'not_found')
  })

  it('validates the move kinds', async () => {
    const s = await tickerAs(await newUser())
    for (const payload of [
      { symbol: 'QLFX', kind: 'day-move', direction: 'above' },
      { symbol: 'QLFX', kind: 'day-move', direction: 'above', pct: 0 },
      { symbol: 'QLFX', kind: 'day-move', direction: 'up', pct: 1 },
      { symbol: 'QLFX', kind: 'window-move', direction: 'below', pct: 1 },
      { symbol: 'QLFX', kind: 'window-move', direction: 'below', pct: 1, minutes: 61 },
      { symbol: 'QLFX', kind: 'day-move', direction: 'below', pct: 1, price: 5 }
    ]) refused(await send(s, 'ticker:alert-create', payload), 'invalid_payload')
    const made = await send(s, 'ticker:alert-create', { symbol: 'QLFX', kind: 'window-move', direction: 'below', pct: 1.5, minutes: 15 })
    assert.ok(made.ok, JSON.stringify(made))
    assert.deepEqual({ ...made.data.alert, id: 'x', createdAt: 0 }, {
      id: 'x', createdAt: 0, symbol: 'QLFX', kind: 'window-move', direction: 'below', pct: 1.5, minutes: 15, price: t.app.ticker.quotes(['QLFX'])[0]!.price
    }, 'armed at the current price')
  })
})
