import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser, uniqueName } from '../../helpers/http.ts'

describe('username lookups over HTTP', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  /** Calls `lookup` with unknown names until it is not 404 (50 at most); returns how many were 404 and the last answer. */
  const probe = async (lookup: (name: string) => ReturnType<typeof api>) => {
    let misses = 0
    let res = await lookup(uniqueName('nobody'))
    for (; misses < 50 && res.status === 404; misses++) res = await lookup(uniqueName('nobody'))
    return { misses, res }
  }

  it('limit invitations per user: twenty names, then 429 with when to retry', async () => {
    const { token } = await registerUser(t.url)
    const room = await api(t.url, 'POST', '/api/rooms', { token, body: { name: uniqueName('private'), visibility: 'private' } })
    assert.equal(room.status, 201, JSON.stringify(room.body))
    const invite = (username: string) => api(t.url, 'POST', `/api/rooms/${room.body.room.id}/members`, { token, body: { username } })
    const { misses, res } = await probe(invite)
    assert.equal(misses, 20, `expected 20 unknown names answered, then 429; got ${misses}, then ${res.status} ${JSON.stringify(res.body)}`)
    assertHttpError(res, 429, 'rate_limited')
  })

  it('limit direct rooms per user the same way, and each user apart', async () => {
    const { token } = await registerUser(t.url)
    const { misses, res } = await probe((username) => api(t.url, 'POST', '/api/dms', { token, body: { username } }))
    assert.equal(misses, 20, `expected 20 unknown names answered, then 429; got ${misses}, then ${res.status} ${JSON.stringify(res.body)}`)
    assertHttpError(res, 429, 'rate_limited')

    const other = await registerUser(t.url)
    assertHttpError(await api(t.url, 'POST', '/api/dms', { token: other.token, body: { username: uniqueName('nobody') } }), 404, 'not_found')
  })
})
