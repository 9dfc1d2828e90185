import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SESSION_COOKIE } from '../../../shared/auth.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser, uniqueName } from '../../helpers/http.ts'

const password = 'correct horse battery'

describe('identity over HTTP', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  describe('POST /api/auth/register', () => {
    it('creates the user, answers 201 with the user and a token, and sets an HttpOnly SameSite=Lax cookie', async () => {
      const username = uniqueName('Reg')
      const res = await api(t.url, 'POST', '/api/auth/register', { body: { username, password } })
      assert.equal(res.status, 201, `body: ${JSON.stringify(res.body)}`)
      assert.deepEqual(Object.keys(res.body).sort(), ['token', 'user'])
      assert.equal(res.body.user.username, username)
      assert.equal(typeof res.body.user.id, 'string')
      assert.ok(res.body.token.length >= 32, `token too short: ${res.body.token}`)

      const cookie = res.setCookie ?? ''
      assert.ok(cookie.startsWith(`${SESSION_COOKIE}=${res.body.token};`), `Set-Cookie: ${cookie}`)
      assert.match(cookie, /;\s*HttpOnly/i, `Set-Cookie: ${cookie}`)
      assert.match(cookie, /;\s*SameSite=Lax/i, `Set-Cookie: ${cookie}`)
      assert.match(cookie, /;\s*Path=\//i, `Set-Cookie: ${cookie}`)
      assert.doesNotMatch(cookie, /;\s*Secure/i, `COOKIE_SECURE is off by default; Set-Cookie: ${cookie}`)
    })

    it('never returns the password or its hash', async () => {
      const res = await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName(), password } })
      assert.equal(res.status, 201)
      const text = JSON.stringify(res.body)
      assert.ok(!text.includes(password) && !text.includes('argon2'), `body: ${text}`)
    })

    it('refuses a taken name with 409, case-insensitively', async () => {
      const username = uniqueName('Taken')
      await registerUser(t.url, username)
      for (const variant of [username, username.toLowerCase(), username.toUpperCase()]) {
        const res = await api(t.url, 'POST', '/api/auth/register', { body: { username: variant, password } })
        assertHttpError(res, 409, 'conflict')
      }
    })

    const badBodies: [string, unknown, string][] = [
      ['a too short username', { username: 'ab', password }, 'username'],
      ['a too long username', { username: 'x'.repeat(33), password }, 'username'],
      ['a username with a space', { username: 'bob smith', password }, 'username'],
      ['a username with markup', { username: '<b>bob</b>', password }, 'username'],
      ['a too short password', { username: uniqueName(), password: 'short' }, 'password'],
      ['a too long password', { username: uniqueName(), password: 'p'.repeat(257) }, 'password'],
      ['a missing password', { username: uniqueName() }, 'password'],
      ['a missing username', { password }, 'username']
    ]
    for (const [what, body, field] of badBodies) {
      it(`answers 400 invalid_payload naming ${field} for ${what}`, async () => {
        const error = assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body }), 400, 'invalid_payload')
        assert.match(error.message, new RegExp(`\\b${field}\\b`), `message: ${error.message}`)
      })
    }

    it('answers 400 invalid_payload for malformed JSON', async () => {
      const res = await api(t.url, 'POST', '/api/auth/register', { body: '{"username": "bob", ', headers: { 'content-type': 'application/json' } })
      assertHttpError(res, 400, 'invalid_payload')
    })

    it('answers 400 invalid_payload for a body that is not an object', async () => {
      assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: '"bob"' }), 400, 'invalid_payload')
      assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: 'username=bob', headers: { 'content-type': 'text/plain' } }), 400, 'invalid_payload')
    })

    it('answers 413 for a body over 64 KiB, without reading it', async () => {
      const res = await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName(), password: 'p'.repeat(65 * 1024) } })
      assertHttpError(res, 413, 'invalid_payload')
    })
  })

  describe('GET /api/auth/me', () => {
    it('answers the user for the session cookie', async () => {
      const { user, cookie } = await registerUser(t.url)
      const res = await api(t.url, 'GET', '/api/auth/me', { cookie })
      assert.equal(res.status, 200, `body: ${JSON.stringify(res.body)}`)
      assert.deepEqual(res.body, { user })
    })

    it('answers the user for a bearer token', async () => {
      const { user, token } = await registerUser(t.url)
      const res = await api(t.url, 'GET', '/api/auth/me', { token })
      assert.equal(res.status, 200, `body: ${JSON.stringify(res.body)}`)
      assert.deepEqual(res.body, { user })
    })

    it('answers 401 without a credential', async () => {
      assertHttpError(await api(t.url, 'GET', '/api/auth/me'), 401, 'unauthorized')
    })

    it('answers 401 for an unknown token or cookie', async () => {
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { token: 'not-a-real-token' }), 401, 'unauthorized')
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { cookie: `${SESSION_COOKIE}=not-a-real-token` }), 401, 'unauthorized')
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { token: 'x'.repeat(10_000) }), 401, 'unauthorized')
    })
  })

  describe('POST /api/auth/login', () => {
    it('answers 200 with the user, a new token and the cookie', async () => {
      const { user, token: first } = await registerUser(t.url)
      const res = await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password } })
      assert.equal(res.status, 200, `body: ${JSON.stringify(res.body)}`)
      assert.deepEqual(res.body.user, user)
      assert.notEqual(res.body.token, first)
      assert.ok(res.setCookie?.startsWith(`${SESSION_COOKIE}=${res.body.token};`), `Set-Cookie: ${res.setCookie}`)
      assert.equal((await api(t.url, 'GET', '/api/auth/me', { token: res.body.token })).status, 200)
    })

    it('accepts the username in any case', async () => {
      const { user } = await registerUser(t.url, uniqueName('MiXeD'))
      const res = await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username.toUpperCase(), password } })
      assert.equal(res.status, 200, `body: ${JSON.stringify(res.body)}`)
      assert.deepEqual(res.body.user, user)
    })

    it('answers 401 with the same generic message for a wrong password and for an unknown user', async () => {
      const { user } = await registerUser(t.url)
      const wrongPassword = await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password: 'not the password' } })
      const unknownUser = await api(t.url, 'POST', '/api/auth/login', { body: { username: uniqueName('ghost'), password } })
      const a = assertHttpError(wrongPassword, 401, 'unauthorized')
      const b = assertHttpError(unknownUser, 401, 'unauthorized')
      assert.equal(a.message, b.message)
      assert.equal(wrongPassword.setCookie, null, 'a failed login sets no cookie')
    })
  })

  describe('POST /api/auth/logout', () => {
    it('answers 204, clears the cookie and revokes the token', async () => {
      const { token, cookie } = await registerUser(t.url)
      const res = await api(t.url, 'POST', '/api/auth/logout', { token })
      assert.equal(res.status, 204, `body: ${JSON.stringify(res.body)}`)
      assert.match(res.setCookie ?? '', new RegExp(`^${SESSION_COOKIE}=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)`), `Set-Cookie: ${res.setCookie}`)
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { token }), 401, 'unauthorized')
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { cookie }), 401, 'unauthorized')
    })

    it('works with the cookie alone and revokes only that session', async () => {
      const { user, cookie } = await registerUser(t.url)
      const other = await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password } })
      assert.equal((await api(t.url, 'POST', '/api/auth/logout', { cookie })).status, 204)
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { cookie }), 401, 'unauthorized')
      assert.equal((await api(t.url, 'GET', '/api/auth/me', { token: other.body.token })).status, 200)
    })

    it('answers 401 without a session', async () => {
      assertHttpError(await api(t.url, 'POST', '/api/auth/logout'), 401, 'unauthorized')
    })
  })

  describe('Origin check on writes', () => {
    it('refuses a POST from a foreign origin with 403 and changes nothing', async () => {
      const username = uniqueName('Csrf')
      const headers = { origin: 'https://evil.example' }
      assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: { username, password }, headers }), 403, 'forbidden')
      // Not created: the name is still free.
      assert.equal((await api(t.url, 'POST', '/api/auth/register', { body: { username, password } })).status, 201)

      const { cookie } = await registerUser(t.url)
      assertHttpError(await api(t.url, 'POST', '/api/auth/logout', { cookie, headers }), 403, 'forbidden')
      // Not signed out: the session still works.
      assert.equal((await api(t.url, 'GET', '/api/auth/me', { cookie })).status, 200)
    })

    it('refuses the opaque origin "null" (sandboxed frames)', async () => {
      const res = await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName(), password }, headers: { origin: 'null' } })
      assertHttpError(res, 403, 'forbidden')
    })

    it('accepts a POST from the app\'s own origin', async () => {
      const res = await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName(), password }, headers: { origin: t.url } })
      assert.equal(res.status, 201, `body: ${JSON.stringify(res.body)}`)
    })

    it('lets a foreign origin read (GET is not a write)', async () => {
      const { token } = await registerUser(t.url)
      const res = await api(t.url, 'GET', '/api/auth/me', { token, headers: { origin: 'https://evil.example' } })
      assert.equal(res.status, 200)
    })
  })

  describe('unknown routes', () => {
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/auth/nope'], ['GET', '/index.html'], ['DELETE', '/api/auth/me']] as const) {
      it(`answer ${method} ${path} with a JSON 404`, async () => {
        const res = await api(t.url, method, path, { body: method === 'POST' ? {} : undefined })
        assertHttpError(res, 404, 'not_found')
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
      })
    }
  })
})

describe('login rate limiting', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(() => t.close())

  it('answers 429 rate_limited after repeated failed logins, even for the right password', async () => {
    const { user } = await registerUser(t.url)
    const attempt = (pw: string) => api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password: pw } })
    const statuses: number[] = []
    let res = await attempt('wrong password')
    // The burst is an implementation detail; 50 tries bound the test.
    while (res.status === 401 && statuses.length < 50) {
      statuses.push(res.status)
      res = await attempt('wrong password')
    }
    assert.ok(statuses.length >= 3, `expected a few tries before 429, got ${statuses.length}`)
    assertHttpError(res, 429, 'rate_limited')
    assertHttpError(await attempt(password), 429, 'rate_limited')
  })
})

describe('identity over HTTP when storage fails', () => {
  it('answers 500 internal with a generic message and no internals', async () => {
    const t = await startApp()
    try {
      const { user, token } = await registerUser(t.url)
      await t.app.storage.close()
      for (const res of [
        await api(t.url, 'GET', '/api/auth/me', { token }),
        await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password } }),
        await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName(), password } })
      ]) {
        const error = assertHttpError(res, 500, 'internal')
        assert.doesNotMatch(error.message, /database|sqlite|not open/i, `message: ${error.message}`)
      }
    } finally {
      await t.close()
    }
  })
})

describe('POST /api/auth/register limits', () => {
  let t: TestApp
  before(async () => { t = await startApp() })
  after(async () => { await t.close() })

  it('answers 429 after a burst of new accounts from one address, and creates nothing more', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) {
      statuses.push((await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName('burst'), password: 'correct horse battery' } })).status)
    }
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(201))
    assert.equal(statuses[30], 429)
    const name = uniqueName('late')
    assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: { username: name, password: 'correct horse battery' } }), 429, 'rate_limited')
    assertHttpError(await api(t.url, 'POST', '/api/auth/login', { body: { username: name, password: 'correct horse battery' } }), 401, 'unauthorized')
  })
})

describe('expired sessions', () => {
  it('are refused once expired, and deleted by the hourly sweep (called here by hand)', async () => {
    let clock = 1_000_000
    const t = await startApp({ now: () => clock, env: { SESSION_TTL_HOURS: '1' } })
    try {
      const { token } = await registerUser(t.url)
      const other = await registerUser(t.url)
      assert.equal(await t.app.auth.deleteExpiredSessions(), 0, 'nothing has expired yet')
      clock += 3_600_000
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { token }), 401, 'unauthorized')
      assert.equal(await t.app.auth.deleteExpiredSessions(), 2, 'both sessions expired at their hour')
      assert.equal(await t.app.auth.deleteExpiredSessions(), 0)
      assertHttpError(await api(t.url, 'GET', '/api/auth/me', { token: other.token }), 401, 'unauthorized')
    } finally {
      await t.close()
    }
  })
})
