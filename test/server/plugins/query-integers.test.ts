import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'

describe('integer query fields', () => {
  let t: TestApp
  let token: string
  let roomId: string
  before(async () => {
    t = await startApp()
    token = (await registerUser(t.url)).token
    roomId = (await api(t.url, 'POST', '/api/rooms', { token, body: { name: 'numbers', visibility: 'public' } })).body.room.id
  })
  after(() => t.close())

  const fields = [
    ['/api/rooms/:roomId/messages', 'limit'],
    ['/api/rooms/:roomId/messages', 'before'],
    ['/api/notifications', 'limit']
  ] as const
  // What Number() reads as a number, and ajv's coercion with it.
  const loose = ['1e400', 'Infinity', '-Infinity', '0x10', '0b1', '1.0', '1e1', ' 5', '5 ', '+5', 'NaN']

  for (const [route, field] of fields) {
    const url = (value: string) => `${route.replace(':roomId', roomId)}?${field}=${encodeURIComponent(value)}`
    it(`refuse ${route}?${field}= written other than in plain digits with 400 invalid_payload`, async () => {
      for (const value of loose) {
        const error = assertHttpError(await api(t.url, 'GET', url(value), { token }), 400, 'invalid_payload')
        assert.match(error.message, new RegExp(`^${field}:`), `${field}=${JSON.stringify(value)}: ${error.message}`)
      }
    })

    it(`accept ${route}?${field}= in plain digits`, async () => {
      const res = await api(t.url, 'GET', url('5'), { token })
      assert.equal(res.status, 200, `${field}=5: ${res.status} ${JSON.stringify(res.body)}`)
    })
  }

  it('still answer a repeated field with 400, not 500', async () => {
    assertHttpError(await api(t.url, 'GET', '/api/notifications?limit=5&limit=6', { token }), 400, 'invalid_payload')
  })
})
