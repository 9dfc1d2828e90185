import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'

const KEY = 'publish-key-for-links-0123'

describe('POST /api/notifications links', () => {
  let t: TestApp
  let username: string
  before(async () => {
    t = await startApp({ env: { PUBLISH_KEYS: KEY } })
    username = (await registerUser(t.url)).user.username
  })
  after(() => t.close())

  const publish = (url: string) => api(t.url, 'POST', '/api/notifications', { token: KEY, body: { to: { usernames: [username] }, title: 'A link', url } })

  const elsewhere = [
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '//evil.example',
    '/\\/evil.example',
    'https://',
    'http://',
    'https:///evil.example',
    'https://exa mple.com/',
    'https://evil.example\\@app.example',
    'javascript:alert(1)',
    'HTTPS://evil.example',
    'data:text/html,hi',
    'chat/general'
  ]
  for (const url of elsewhere) {
    it(`refuses ${JSON.stringify(url)} with 400 naming url, and stores nothing`, async () => {
      const owner = (await t.app.storage.users.findByUsername(username))!
      const error = assertHttpError(await publish(url), 400, 'invalid_payload')
      assert.match(error.message, /^url\b/, error.message)
      const inbox = await t.app.notifications.list({ id: owner.id, username }, {})
      assert.ok(!inbox.notifications.some((n: { url: string | null }) => n.url === url), `${JSON.stringify(url)} was stored`)
    })
  }

  for (const url of ['/chat/general', '/market/ACME?range=1d#chart', '/chat/r%5Coom', 'https://status.example.com/incidents/1', 'http://example.org', 'https://user@example.org:8443/a b']) {
    it(`accepts ${JSON.stringify(url)}`, async () => {
      const res = await publish(url)
      assert.equal(res.status, 202, `${JSON.stringify(url)}: ${res.status} ${JSON.stringify(res.body)}`)
    })
  }
})
