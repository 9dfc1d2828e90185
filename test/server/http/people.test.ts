import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Limits } from '../../../shared/limits.ts'
import { PEOPLE_PAGE, type Profile } from '../../../shared/people.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser, uniqueName } from '../../helpers/http.ts'
import { assertNothing, nextEvent, send, socketsAs } from '../../helpers/sockets.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

describe('people over HTTP', () => {
  let t: TestApp
  let clock = Date.now()
  const chatSockets = socketsAs(() => t.url, '/chat')
  before(async () => { t = await startApp({ now: () => clock }) })
  after(async () => {
    chatSockets.closeAll()
    await t.close()
  })

  const patch = (who: Registered, body: unknown) => api(t.url, 'PATCH', '/api/profile', { token: who.token, body })
  const profileOf = async (asker: Registered, userId: string): Promise<Profile> => {
    const res = await api(t.url, 'POST', '/api/people/profiles', { token: asker.token, body: { userIds: [userId] } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.body.profiles.length, 1, JSON.stringify(res.body))
    return res.body.profiles[0]
  }

  it('sets a display name, a status and a time zone; others read them by id', async () => {
    const [alice, bob] = [await registerUser(t.url), await registerUser(t.url)]
    const fresh = await profileOf(bob, alice.user.id)
    assert.deepEqual(fresh, { ...alice.user, displayName: '', statusText: '', statusExpiresAt: null, timeZone: '' }, 'a new user has nothing set')

    const res = await patch(alice, { displayName: 'Alice Liddell', statusText: 'In Wonderland 🐇', timeZone: 'europe/paris' })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const expected = { ...alice.user, displayName: 'Alice Liddell', statusText: 'In Wonderland 🐇', statusExpiresAt: null, timeZone: 'Europe/Paris' }
    assert.deepEqual(res.body.profile, expected, 'the time zone is spelt as IANA does')
    assert.deepEqual(await profileOf(bob, alice.user.id), expected)

    assert.equal((await patch(alice, { statusText: '' })).status, 200)
    assert.deepEqual(await profileOf(bob, alice.user.id), { ...expected, statusText: '' }, 'only the fields sent change')
  })

  it('refuses bad changes and changes nothing', async () => {
    const alice = await registerUser(t.url)
    assert.equal((await patch(alice, { displayName: 'Kept', statusText: 'kept too', timeZone: 'Asia/Tokyo' })).status, 200)
    const before = await profileOf(alice, alice.user.id)
    const refusals: unknown[] = [
      {},
      { displayName: 'two\nlines' },
      { displayName: 'bell\u0007' },
      { displayName: ' padded ' },
      { displayName: 'x'.repeat(41) },
      { statusText: 's'.repeat(101) },
      { statusText: 'nul\u0000' },
      { timeZone: 'Mars/Olympus_Mons' },
      { timeZone: '../etc/passwd' },
      { statusClearAfterMinutes: 30 },
      { statusText: 'ok', statusClearAfterMinutes: 0 },
      { statusText: 'ok', statusClearAfterMinutes: null },
      { statusText: 'ok', statusClearAfterMinutes: 7 * 24 * 60 + 1 },
      { displayName: 'Fine', extra: true }
    ]
    for (const body of refusals) {
      const res = await patch(alice, body)
      assertHttpError(res, 400, 'invalid_payload')
    }
    assert.deepEqual(await profileOf(alice, alice.user.id), before, 'nothing changed')
  })

  it('pushes a change to everyone sharing a room with the user and to the user\'s own tabs, no one else', async () => {
    const [alice, bob, carol] = [await registerUser(t.url), await registerUser(t.url), await registerUser(t.url)]
    const [a, a2, b, c] = [await chatSockets.as(alice), await chatSockets.as(alice), await chatSockets.as(bob), await chatSockets.as(carol)]
    const room = await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: uniqueName('team'), visibility: 'private' } })
    assert.equal(room.status, 201, JSON.stringify(room.body))
    assert.equal((await api(t.url, 'POST', `/api/rooms/${room.body.room.id}/members`, { token: alice.token, body: { username: bob.user.username } })).status, 200)
    for (const socket of [a, b]) assert.ok((await send(socket, 'chat:join', { roomId: room.body.room.id })).ok)

    const seen = [nextEvent(a, 'people:profile'), nextEvent(a2, 'people:profile'), nextEvent(b, 'people:profile')]
    const res = await patch(alice, { displayName: 'Alice in Chains', statusText: 'on tour' })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    for (const [i, payload] of (await Promise.all(seen)).entries()) {
      assert.deepEqual(payload, { profile: res.body.profile }, `socket ${i} saw the profile as it now is`)
    }
    await assertNothing(c, 'people:profile', ['chat:leave', { roomId: 'general' }])

    // A refused change is not pushed.
    assertHttpError(await patch(alice, { displayName: '\u0000' }), 400, 'invalid_payload')
    await assertNothing(b, 'people:profile', ['chat:leave', { roomId: 'general' }])
  })

  it('clears a status by itself after the time chosen', async () => {
    const [alice, bob] = [await registerUser(t.url), await registerUser(t.url)]
    const res = await patch(alice, { statusText: 'in a meeting', statusClearAfterMinutes: 30 })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.body.profile.statusExpiresAt, clock + 30 * 60_000)
    clock += 29 * 60_000
    assert.equal((await profileOf(bob, alice.user.id)).statusText, 'in a meeting', 'still set a minute before')
    clock += 60_000
    const expired = await profileOf(bob, alice.user.id)
    assert.deepEqual([expired.statusText, expired.statusExpiresAt], ['', null], `gone at the time: ${JSON.stringify(expired)}`)
    const found = await api(t.url, 'GET', `/api/people?q=${alice.user.username}`, { token: bob.token })
    assert.equal(found.body.people[0].statusText, '', 'the directory hides it too')
  })

  it('finds people by a part of the username or display name, by username, a page at a time', async () => {
    const tag = uniqueName('zz').replace(/[^a-z0-9]/g, '')
    const people = []
    for (let i = 0; i < PEOPLE_PAGE + 3; i++) people.push(await registerUser(t.url, `${tag}_${String(i).padStart(2, '0')}`))
    const searcher = await registerUser(t.url)
    assert.equal((await patch(people[5]!, { displayName: 'Ünïcode Wizard' })).status, 200)

    const first = await api(t.url, 'GET', `/api/people?q=${tag.toUpperCase()}`, { token: searcher.token })
    assert.equal(first.status, 200, JSON.stringify(first.body))
    assert.deepEqual(first.body.people.map((p: Profile) => p.username), people.slice(0, PEOPLE_PAGE).map((p) => p.user.username))
    assert.equal(typeof first.body.nextCursor, 'string')
    const second = await api(t.url, 'GET', `/api/people?q=${tag}&cursor=${first.body.nextCursor}`, { token: searcher.token })
    assert.deepEqual(second.body.people.map((p: Profile) => p.username), people.slice(PEOPLE_PAGE).map((p) => p.user.username))
    assert.equal(second.body.nextCursor, null)

    const byName = await api(t.url, 'GET', `/api/people?q=${encodeURIComponent('WIZ')}`, { token: searcher.token })
    assert.deepEqual(byName.body.people.map((p: Profile) => p.id), [people[5]!.user.id], JSON.stringify(byName.body))
    const percent = await api(t.url, 'GET', '/api/people?q=%25', { token: searcher.token })
    assert.deepEqual(percent.body.people, [], '% is a letter, not a wildcard')
    assertHttpError(await api(t.url, 'GET', '/api/people?cursor=not-ours', { token: searcher.token }), 400, 'invalid_payload')
  })

  it('is for signed-in users only', async () => {
    assertHttpError(await api(t.url, 'GET', '/api/people'), 401, 'unauthorized')
    assertHttpError(await api(t.url, 'POST', '/api/people/profiles', { body: { userIds: ['x'] } }), 401, 'unauthorized')
    assertHttpError(await api(t.url, 'PATCH', '/api/profile', { body: { displayName: 'x' } }), 401, 'unauthorized')
  })

  it('limits directory pages per user, so who exists is not enumerated at once', async () => {
    const [me, other] = [await registerUser(t.url), await registerUser(t.url)]
    const { burst } = Limits.peopleDirectory
    for (let i = 0; i < burst; i++) assert.equal((await api(t.url, 'GET', '/api/people', { token: me.token })).status, 200)
    assertHttpError(await api(t.url, 'GET', '/api/people', { token: me.token }), 429, 'rate_limited')
    assert.equal((await api(t.url, 'GET', '/api/people', { token: other.token })).status, 200, 'each user apart')
  })
})
