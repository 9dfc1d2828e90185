import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startApp, type TestApp } from '../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../helpers/http.ts'

type Registered = Awaited<ReturnType<typeof registerUser>>

describe('HTTP body validation', () => {
  let t: TestApp
  let alice: Registered
  before(async () => {
    t = await startApp()
    alice = await registerUser(t.url)
  })
  after(() => t.close())

  const profile = async () => {
    const res = await api(t.url, 'POST', '/api/people/profiles', { token: alice.token, body: { userIds: [alice.user.id] } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return res.body.profiles[0]
  }
  const rooms = async () => (await api(t.url, 'GET', '/api/rooms', { token: alice.token })).body.rooms.map((room: { name: string }) => room.name)

  // Each of these is what ajv's coercion (Fastify's default for every part) turns into a valid body.
  const wrongTypes: [method: string, path: string, body: unknown][] = [
    ['PATCH', '/api/profile', { displayName: 42 }],
    ['PATCH', '/api/profile', { displayName: true }],
    ['PATCH', '/api/profile', { statusText: 'away', statusClearAfterMinutes: '30' }],
    ['POST', '/api/rooms', { name: 1234, visibility: 'public' }],
    ['POST', '/api/people/profiles', { userIds: 'one-id' }],
    ['POST', '/api/auth/register', { username: 12345678, password: 'correct horse battery' }]
  ]

  for (const [method, path, body] of wrongTypes) {
    it(`refuses ${method} ${path} ${JSON.stringify(body)} with 400 invalid_payload, as sent`, async () => {
      const [profileBefore, roomsBefore] = [await profile(), await rooms()]
      assertHttpError(await api(t.url, method, path, { token: alice.token, body }), 400, 'invalid_payload')
      assert.deepEqual(await profile(), profileBefore, 'the profile is unchanged')
      assert.deepEqual(await rooms(), roomsBefore, 'no room was made')
    })
  }

  it('accepts the same bodies with the right types', async () => {
    const res = await api(t.url, 'PATCH', '/api/profile', { token: alice.token, body: { displayName: '42', statusText: 'away', statusClearAfterMinutes: 30 } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal((await profile()).displayName, '42')
    assert.equal((await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: '1234', visibility: 'public' } })).status, 201)
  })

  it('still reads numbers from the querystring and ids from the path', async () => {
    const roomId = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: 'typed', visibility: 'public' } })).body.room.id
    const res = await api(t.url, 'GET', `/api/rooms/${roomId}/messages?limit=5`, { token: alice.token })
    assert.equal(res.status, 200, JSON.stringify(res.body))
  })
})
