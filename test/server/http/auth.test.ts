import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SESSION_COOKIE } from '../../../shared/auth.ts'
import { Limits } from '../../../shared/limits.ts'
import { hashPassword } from '../../../server/auth/passwords.ts'
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

    it('refuses the reserved mention words (room, everyone, here, channel) in any case with 400 invalid_payload naming username', async () => {
      for (const username of ['room', 'Room', 'EVERYONE', 'here', 'chAnnel']) {
        const error = assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: { username, password } }), 400, 'invalid_payload')
        assert.match(error.message, /\busername\b.*reserved/, `message for ${username}: ${error.message}`)
        assert.equal(await t.app.storage.users.findByUsername(username), null, `no account ${username} was made`)
      }
      // Only the whole name is reserved.
      for (const username of [uniqueName('room'), uniqueName('here')]) {
        assert.equal((await api(t.url, 'POST', '/api/auth/register', { body: { username, password } })).status, 201, username)
      }
    })

    it('lets an account named room made before the name was reserved sign in as before', async () => {
      const made = await t.app.storage.users.create({ username: 'Room', passwordHash: await hashPassword(password), now: Date.now() })
      const res = await api(t.url, 'POST', '/api/auth/login', { body: { username: 'room', password } })
      assert.equal(res.status, 200, `body: ${JSON.stringify(res.body)}`)
      assert.deepEqual(res.body.user, { id: made.id, username: 'Room' })
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

    it('works with the cookie alone (and the Origin a browser sends) and revokes only that session', async () => {
      const { user, cookie } = await registerUser(t.url)
      const other = await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password } })
      assert.equal((await api(t.url, 'POST', '/api/auth/logout', { cookie, headers: { origin: t.url } })).status, 204)
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

    it('refuses the app\'s host with another scheme: https:// over plain http is another origin', async () => {
      const headers = { origin: t.url.replace('http:', 'https:') }
      assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName(), password }, headers }), 403, 'forbidden')
    })

    it('refuses a write with the session cookie but no Origin, which no browser sends', async () => {
      const { cookie, token } = await registerUser(t.url)
      assertHttpError(await api(t.url, 'POST', '/api/auth/logout', { cookie }), 403, 'forbidden')
      assert.equal((await api(t.url, 'GET', '/api/auth/me', { cookie })).status, 200, 'still signed in')
      // A bearer token is not ambient: clients that are not browsers send no Origin.
      assert.equal((await api(t.url, 'POST', '/api/auth/logout', { token })).status, 204)
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

describe('login limits and lockout', () => {
  let t: TestApp
  // The test client stands for a loopback proxy, so X-Forwarded-For picks each caller's address.
  before(async () => { t = await startApp({ env: { TRUST_PROXY: 'true' } }) })
  after(() => t.close())
  const login = (username: string, pw: string, from: string) =>
    api(t.url, 'POST', '/api/auth/login', { body: { username, password: pw }, headers: { 'x-forwarded-for': from } })

  it('lets the owner in from their own address after failures from many others', async () => {
    const { user } = await registerUser(t.url)
    const failures: number[] = []
    for (let i = 1; i <= 12; i++) {
      for (let j = 0; j < 2; j++) failures.push((await login(user.username, `wrong guess ${j}`, `198.51.100.${i}`)).status)
    }
    assert.deepEqual(failures, Array(24).fill(401), `24 wrong passwords from 12 addresses: ${JSON.stringify(failures)}`)
    const owner = await login(user.username, password, '203.0.113.10')
    assert.equal(owner.status, 200, `the owner's own sign-in: ${owner.status} ${JSON.stringify(owner.body)}`)
  })

  it('still stops one address guessing one account, and that address alone', async () => {
    const { user } = await registerUser(t.url)
    let res = await login(user.username, 'wrong guess', '198.51.100.50')
    let tries = 1
    for (; tries < 50 && res.status === 401; tries++) res = await login(user.username, 'wrong guess', '198.51.100.50')
    assert.equal(tries, Limits.login.burst + 1, `expected ${Limits.login.burst} failures, then 429; got ${res.status} after ${tries} tries`)
    const error = assertHttpError(res, 429, 'rate_limited')
    assert.match(error.message, /Try again in \d+ seconds?\./)
    assertHttpError(await login(user.username, password, '198.51.100.50'), 429, 'rate_limited')
    assert.equal((await login(user.username, password, '203.0.113.11')).status, 200, 'the owner elsewhere is not locked out')
  })

  it('stops one address trying many accounts', async () => {
    const statuses: number[] = []
    const { burst } = Limits.loginAddress
    for (let i = 0; i <= burst; i++) statuses.push((await login(uniqueName('spray'), 'password123', '198.51.100.99')).status)
    assert.deepEqual(statuses, [...Array(burst).fill(401), 429], `${burst} accounts tried from one address, then 429: ${JSON.stringify(statuses)}`)
  })
})

describe('429 answers', () => {
  it('say how long to wait, in the message, in retryAfterMs and in Retry-After', async () => {
    const now = Date.now()
    const t = await startApp({ now: () => now })
    try {
      const username = uniqueName('ghost')
      const attempt = () => api(t.url, 'POST', '/api/auth/login', { body: { username, password } })
      let res = await attempt()
      for (let i = 0; i < 50 && res.status !== 429; i++) res = await attempt()
      // The clock stands still, so the wait is exactly one token of the account's limit.
      const seconds = 1 / Limits.login.perSecond
      const error = assertHttpError(res, 429, 'rate_limited')
      assert.equal(error.retryAfterMs, seconds * 1000, `body: ${JSON.stringify(res.body)}`)
      assert.equal(res.headers.get('retry-after'), String(seconds))
      assert.match(error.message, new RegExp(`Try again in ${seconds} seconds\\.`))
    } finally {
      await t.close()
    }
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

/**
 * A clock that stands still: a burst of registrations (a slow password hash each) takes seconds on
 * a busy machine, and the bucket must not refill meanwhile, or one more would pass.
 */
const stoppedClock = () => {
  const at = Date.now()
  return () => at
}

describe('POST /api/auth/register limits', () => {
  let t: TestApp
  before(async () => { t = await startApp({ now: stoppedClock() }) })
  after(async () => { await t.close() })

  it('answers 429 after a burst of new accounts from one address, and creates nothing more', async () => {
    const statuses: number[] = []
    const { burst } = Limits.register
    for (let i = 0; i <= burst; i++) {
      statuses.push((await api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName('burst'), password: 'correct horse battery' } })).status)
    }
    assert.deepEqual(statuses.slice(0, burst), Array(burst).fill(201))
    assert.equal(statuses[burst], 429)
    const name = uniqueName('late')
    assertHttpError(await api(t.url, 'POST', '/api/auth/register', { body: { username: name, password: 'correct horse battery' } }), 429, 'rate_limited')
    assertHttpError(await api(t.url, 'POST', '/api/auth/login', { body: { username: name, password: 'correct horse battery' } }), 401, 'unauthorized')
  })
})

describe('per-address limits behind a proxy', () => {
  const register = (t: TestApp, forwardedFor: string) =>
    api(t.url, 'POST', '/api/auth/register', { body: { username: uniqueName('proxied'), password }, headers: { 'x-forwarded-for': forwardedFor } })
  const allowed = Limits.register.burst
  /** Registers one account more than the burst, the i-th with this X-Forwarded-For; returns the statuses. */
  const burst = async (t: TestApp, forwardedFor: (i: number) => string) => {
    const statuses: number[] = []
    for (let i = 0; i <= allowed; i++) statuses.push((await register(t, forwardedFor(i))).status)
    return statuses
  }
  const limitedJustPastTheBurst = (statuses: number[]) => assert.deepEqual(statuses, [...Array(allowed).fill(201), 429],
    `expected ${allowed} accounts then 429 (one client), got ${JSON.stringify(statuses)}`)

  it('ignores X-Forwarded-For without TRUST_PROXY: spoofed addresses share the peer\'s limit', async () => {
    const t = await startApp({ now: stoppedClock() })
    try {
      limitedJustPastTheBurst(await burst(t, (i) => `203.0.113.${i + 1}`))
    } finally {
      await t.close()
    }
  })

  it('with TRUST_PROXY=true believes only the loopback proxy\'s hop, not what the client prepended', async () => {
    const t = await startApp({ now: stoppedClock(), env: { TRUST_PROXY: 'true' } })
    try {
      limitedJustPastTheBurst(await burst(t, (i) => `203.0.113.${i + 1}, 198.51.100.7`))
      // Another client behind the same proxy has its own limit.
      const other = await register(t, '203.0.113.1, 198.51.100.8')
      assert.equal(other.status, 201, `another client: ${other.status} ${JSON.stringify(other.body)}`)
    } finally {
      await t.close()
    }
  })

  it('counts an IPv6 client by its /64, so rotating addresses within it does not help', async () => {
    const t = await startApp({ now: stoppedClock(), env: { TRUST_PROXY: 'true' } })
    try {
      limitedJustPastTheBurst(await burst(t, (i) => `2001:db8:7:7::${(i + 1).toString(16)}`))
      const other = await register(t, '2001:db8:7:8::1')
      assert.equal(other.status, 201, `another /64: ${other.status} ${JSON.stringify(other.body)}`)
    } finally {
      await t.close()
    }
  })
})
