import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { avatarUrl } from '../../../shared/images.ts'
import { AVATAR_MAX_BYTES, AVATAR_MAX_SIDE } from '../../../shared/limits.ts'
import type { Profile } from '../../../shared/people.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser, uniqueName } from '../../helpers/http.ts'
import { pngBytes, samples } from '../../helpers/images.ts'
import { assertNothing, nextEvent, send, socketsAs } from '../../helpers/sockets.ts'

type Person = Awaited<ReturnType<typeof registerUser>>
const roomy = { burst: 1000, perSecond: 1000 }

/** PUTs raw bytes as the browser's avatar upload does. */
const putAvatar = async (t: TestApp, who: Person | null, bytes: Buffer, type = 'image/png') => {
  const response = await fetch(`${t.url}/api/profile/avatar`, {
    method: 'PUT',
    headers: { ...(who && { authorization: `Bearer ${who.token}` }), 'content-type': type },
    body: new Uint8Array(bytes)
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
}
const removeAvatar = (t: TestApp, who: Person) => api(t.url, 'DELETE', '/api/profile/avatar', { token: who.token })
const fetchAvatar = (t: TestApp, who: Person | null, avatarId: string, headers: Record<string, string> = {}) =>
  fetch(t.url + avatarUrl(avatarId), { headers: { ...(who && { authorization: `Bearer ${who.token}` }), ...headers } })
const profileOf = async (t: TestApp, asker: Person, userId: string): Promise<Profile> => {
  const res = await api(t.url, 'POST', '/api/people/profiles', { token: asker.token, body: { userIds: [userId] } })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body.profiles[0]
}

describe('avatars over HTTP', () => {
  let t: TestApp
  let alice: Person, bob: Person, carol: Person
  let roomId: string
  const sockets = socketsAs(() => t.url, '/chat')
  before(async () => {
    t = await startApp({ limits: { avatarChange: roomy } })
    ;[alice, bob, carol] = [await registerUser(t.url), await registerUser(t.url), await registerUser(t.url)]
    // Carol shares no room with alice: she is not pushed alice's changes, but may still see her avatar.
    roomId = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: uniqueName('faces'), visibility: 'private' } })).body.room.id
    assert.equal((await api(t.url, 'POST', `/api/rooms/${roomId}/members`, { token: alice.token, body: { username: bob.user.username } })).status, 200)
  })
  after(async () => {
    sockets.closeAll()
    await t.close()
  })

  it('sets an avatar: the profile names it, pushed live to her tabs and her rooms, served to anyone signed in', async () => {
    const [a, a2, b, c] = [await sockets.as(alice), await sockets.as(alice), await sockets.as(bob), await sockets.as(carol)]
    assert.ok((await send(b, 'chat:join', { roomId })).ok)
    assert.equal((await profileOf(t, bob, alice.user.id)).avatarId, undefined, 'none at first: the generated one')

    const seen = [nextEvent(a, 'people:profile'), nextEvent(a2, 'people:profile'), nextEvent(b, 'people:profile')]
    const bytes = pngBytes(64, 64)
    const res = await putAvatar(t, alice, bytes, 'application/octet-stream')
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const { avatarId } = res.body.profile
    assert.equal(typeof avatarId, 'string')
    assert.deepEqual(res.body.profile, { ...alice.user, displayName: '', statusText: '', statusExpiresAt: null, timeZone: '', avatarId })
    for (const [i, payload] of (await Promise.all(seen)).entries()) {
      assert.deepEqual(payload, { profile: res.body.profile }, `socket ${i} saw the new avatar at once`)
    }
    await assertNothing(c, 'people:profile', ['chat:leave', { roomId: 'general' }])
    assert.equal((await profileOf(t, bob, alice.user.id)).avatarId, avatarId, 'profiles read by id carry it')
    const found = await api(t.url, 'GET', `/api/people?q=${alice.user.username}`, { token: carol.token })
    assert.equal(found.body.people[0].avatarId, avatarId, 'and the directory')

    for (const viewer of [alice, bob, carol]) {
      const served = await fetchAvatar(t, viewer, avatarId)
      assert.equal(served.status, 200, `${viewer.user.username} sees it`)
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes, 'the same bytes')
      assert.equal(served.headers.get('content-type'), 'image/png')
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff')
      assert.match(served.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/)
      assert.match(served.headers.get('cache-control') ?? '', /^private\b.*immutable/)
      const etag = served.headers.get('etag')
      assert.ok(etag, 'an ETag')
      assert.equal((await fetchAvatar(t, viewer, avatarId, { 'if-none-match': etag })).status, 304, 'not sent again when the browser has it')
    }
    const anonymous = await fetchAvatar(t, null, avatarId)
    assert.equal(anonymous.status, 401, 'never to a request with no user')
    assert.equal(anonymous.headers.get('content-type')?.startsWith('application/json'), true)
    assert.equal((await fetchAvatar(t, null, avatarId, { 'if-none-match': `"${avatarId}"` })).status, 401, 'the ETag proves nothing')
  })

  it('replaces an avatar under a new id; the old one is gone from storage and answers 404', async () => {
    const first = (await putAvatar(t, alice, pngBytes(8, 8, { rgb: [255, 0, 0] }))).body.profile.avatarId
    const b = await sockets.as(bob)
    assert.ok((await send(b, 'chat:join', { roomId })).ok)
    const pushed = nextEvent(b, 'people:profile')
    const gif = await putAvatar(t, alice, samples.gif, 'image/gif')
    assert.equal(gif.status, 200, JSON.stringify(gif.body))
    const second = gif.body.profile.avatarId
    assert.notEqual(second, first, 'a new id, so a new URL no cache holds')
    assert.equal((await pushed).profile.avatarId, second)
    assert.equal((await fetchAvatar(t, bob, first)).status, 404, 'the old URL serves nothing')
    assert.equal((await fetchAvatar(t, bob, first, { 'if-none-match': `"${first}"` })).status, 404, 'not even a 304')
    assert.equal(await t.app.storage.images.avatarBytes(first), null, 'its bytes are deleted')
    const served = await fetchAvatar(t, bob, second)
    assert.equal(served.headers.get('content-type'), 'image/gif')
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), samples.gif)
  })

  it('removes an avatar: back to the generated one, pushed, the URL 404; removing none pushes nothing', async () => {
    const { avatarId } = (await putAvatar(t, alice, pngBytes(4, 4))).body.profile
    const b = await sockets.as(bob)
    assert.ok((await send(b, 'chat:join', { roomId })).ok)
    const pushed = nextEvent(b, 'people:profile')
    const res = await removeAvatar(t, alice)
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal('avatarId' in res.body.profile, false, JSON.stringify(res.body))
    assert.deepEqual(await pushed, { profile: res.body.profile })
    assert.equal((await fetchAvatar(t, bob, avatarId)).status, 404)
    assert.equal(await t.app.storage.images.findAvatar(avatarId), null)
    assert.equal('avatarId' in await profileOf(t, bob, alice.user.id), false)

    const again = await removeAvatar(t, alice)
    assert.equal(again.status, 200)
    assert.deepEqual(again.body.profile, res.body.profile)
    await assertNothing(b, 'people:profile', ['chat:leave', { roomId: 'general' }])
  })

  it('refuses what is not a small PNG, JPEG, GIF or WebP, and changes nothing: same avatar, same bytes, no push', async () => {
    const kept = pngBytes(16, 16)
    const { avatarId } = (await putAvatar(t, alice, kept)).body.profile
    const b = await sockets.as(bob)
    assert.ok((await send(b, 'chat:join', { roomId })).ok)

    for (const [bytes, type] of [[samples.svg, 'image/svg+xml'], [samples.svg, 'image/png'], [samples.html, 'image/png'], [samples.text, 'application/octet-stream'], [Buffer.alloc(0), 'image/png']] as const) {
      const error = assertHttpError(await putAvatar(t, alice, bytes, type), 400, 'invalid_payload')
      assert.match(error.message, /not a PNG, JPEG, GIF or WebP image/)
    }
    assertHttpError(await putAvatar(t, alice, pngBytes(1, 1), 'application/json'), 400, 'invalid_payload')
    const wide = assertHttpError(await putAvatar(t, alice, pngBytes(AVATAR_MAX_SIDE + 1, 1)), 400, 'invalid_payload')
    assert.match(wide.message, new RegExp(`at most ${AVATAR_MAX_SIDE} pixels a side`))
    const over = pngBytes(4, 4, { pad: AVATAR_MAX_BYTES })
    assertHttpError(await putAvatar(t, alice, over), 413, 'invalid_payload')

    await assertNothing(b, 'people:profile', ['chat:leave', { roomId: 'general' }])
    assert.equal((await profileOf(t, bob, alice.user.id)).avatarId, avatarId, 'the avatar before stays')
    assert.deepEqual(Buffer.from((await t.app.storage.images.avatarBytes(avatarId))!), kept, 'with its bytes')
  })

  it('takes the largest avatar allowed', async () => {
    const largest = pngBytes(4, 4, { pad: AVATAR_MAX_BYTES - pngBytes(4, 4, { pad: 1 }).length + 1 })
    assert.equal(largest.length, AVATAR_MAX_BYTES)
    assert.equal((await putAvatar(t, carol, largest)).status, 200)
  })
})

describe('avatar change rate limit', () => {
  let t: TestApp
  before(async () => { t = await startApp({ limits: { avatarChange: { burst: 2, perSecond: 1 / 3600 } } }) })
  after(() => t.close())

  it('refuses changes past the budget with 429 before reading the body, each user apart', async () => {
    const [alice, bob] = [await registerUser(t.url), await registerUser(t.url)]
    assertHttpError(await putAvatar(t, alice, samples.svg), 400, 'invalid_payload')
    assert.equal((await removeAvatar(t, alice)).status, 200, 'a removal counts too')
    assertHttpError(await putAvatar(t, alice, pngBytes(2, 2)), 429, 'rate_limited')
    assertHttpError(await removeAvatar(t, alice), 429, 'rate_limited')
    assert.equal('avatarId' in await profileOf(t, alice, alice.user.id), false, 'nothing stored')
    assert.equal((await putAvatar(t, bob, pngBytes(2, 2))).status, 200)
  })
})
