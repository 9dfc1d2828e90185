import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Socket } from 'socket.io-client'
import { SESSION_COOKIE } from '../../../shared/auth.ts'
import { ConnectErrors, Namespaces, PROTOCOL_VERSION } from '../../../shared/protocol.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { connect, nextEvent } from '../../helpers/sockets.ts'

type Options = Parameters<typeof connect>[2]

/** The connect_error of a handshake that must be refused; fails when it connects. */
async function refusal (base: string, namespace: string, options: Options = {}) {
  try {
    const socket = await connect(base, namespace, options)
    socket.close()
  } catch (error) {
    return error as Error
  }
  assert.fail(`expected ${namespace} to refuse the handshake (${JSON.stringify(options)}), but it connected`)
}

describe('socket handshake', () => {
  let t: TestApp
  const sockets: Socket[] = []
  /** connect(), closing the socket after the test file. */
  const open = async (namespace: string, options: Options = {}) => {
    const socket = await connect(t.url, namespace, options)
    sockets.push(socket)
    return socket
  }
  const serverSocket = (namespace: string, id: string | undefined) => t.app.io.of(namespace).sockets.get(id ?? '')

  before(async () => { t = await startApp({ env: { ALLOWED_ORIGINS: 'https://app.example' } }) })
  after(async () => {
    for (const socket of sockets) socket.close()
    await t.close()
  })

  describe('on /chat, which needs a user', () => {
    it('accepts auth.token and knows the user', async () => {
      const { user, token } = await registerUser(t.url)
      const socket = await open(Namespaces.chat, { token })
      assert.deepEqual(serverSocket(Namespaces.chat, socket.id)?.data.user, user)
    })

    it('accepts the session cookie of a browser', async () => {
      const { user, cookie } = await registerUser(t.url)
      const socket = await open(Namespaces.chat, { extraHeaders: { cookie } })
      assert.deepEqual(serverSocket(Namespaces.chat, socket.id)?.data.user, user)
    })

    it('accepts long-polling as well as WebSocket', async () => {
      const { token } = await registerUser(t.url)
      const socket = await open(Namespaces.chat, { token, transports: ['polling'] })
      assert.equal(socket.connected, true)
    })

    it('accepts a handshake that omits protocolVersion', async () => {
      const { token } = await registerUser(t.url)
      await open(Namespaces.chat, { auth: { token } })
    })

    it('refuses a handshake without credentials with connect_error "unauthorized"', async () => {
      assert.equal((await refusal(t.url, Namespaces.chat)).message, 'unauthorized')
    })

    it('refuses an unknown token or cookie with "unauthorized"', async () => {
      assert.equal((await refusal(t.url, Namespaces.chat, { token: 'not-a-real-token' })).message, 'unauthorized')
      assert.equal((await refusal(t.url, Namespaces.chat, { extraHeaders: { cookie: `${SESSION_COOKIE}=forged` } })).message, 'unauthorized')
    })

    it('refuses a token that is not a string with "unauthorized"', async () => {
      const error = await refusal(t.url, Namespaces.chat, { auth: { token: 42, protocolVersion: PROTOCOL_VERSION } })
      assert.equal(error.message, 'unauthorized')
    })

    it('refuses a revoked token with "unauthorized"', async () => {
      const { token } = await registerUser(t.url)
      assert.equal((await api(t.url, 'POST', '/api/auth/logout', { token })).status, 204)
      assert.equal((await refusal(t.url, Namespaces.chat, { token })).message, 'unauthorized')
    })
  })

  describe('protocol version', () => {
    it('refuses another protocolVersion with connect_error "protocol_mismatch"', async () => {
      const { token } = await registerUser(t.url)
      for (const protocolVersion of [PROTOCOL_VERSION + 1, 0, String(PROTOCOL_VERSION)]) {
        const error = await refusal(t.url, Namespaces.chat, { auth: { token, protocolVersion } })
        assert.equal(error.message, 'protocol_mismatch', `protocolVersion ${JSON.stringify(protocolVersion)}`)
      }
    })

    it('reports the mismatch before checking credentials, on every namespace', async () => {
      for (const namespace of Object.values(Namespaces)) {
        const error = await refusal(t.url, namespace, { auth: { protocolVersion: PROTOCOL_VERSION + 1 } })
        assert.equal(error.message, 'protocol_mismatch', namespace)
      }
    })
  })

  describe('Origin check', () => {
    it('refuses a handshake from a foreign origin, over WebSocket and long-polling', async () => {
      const { token } = await registerUser(t.url)
      for (const transports of [['websocket'], ['polling']]) {
        const error = await refusal(t.url, Namespaces.chat, { token, transports, extraHeaders: { origin: 'https://evil.example' } })
        assert.notEqual(error.message, 'unauthorized', `the refusal comes from the origin check, got ${error.message}`)
      }
      await refusal(t.url, Namespaces.ticker, { extraHeaders: { origin: 'https://evil.example' } })
    })

    it('accepts an origin listed in ALLOWED_ORIGINS and the app\'s own origin', async () => {
      const { token } = await registerUser(t.url)
      await open(Namespaces.chat, { token, extraHeaders: { origin: 'https://app.example' } })
      await open(Namespaces.chat, { token, extraHeaders: { origin: t.url } })
      await open(Namespaces.chat, { token, transports: ['polling'], extraHeaders: { origin: 'https://app.example' } })
    })
  })

  describe('on other namespaces', () => {
    it('refuses the main namespace "/", which serves no commands, as Socket.IO refuses an unknown one', async () => {
      const { token } = await registerUser(t.url)
      for (const namespace of ['/', '/nope']) {
        assert.equal((await refusal(t.url, namespace, { token }))?.message, ConnectErrors.invalidNamespace, `the refusal of ${namespace}`)
      }
    })
  })

  describe('on /notifications', () => {
    it('needs a user too', async () => {
      const { token } = await registerUser(t.url)
      await open(Namespaces.notifications, { token })
      assert.equal((await refusal(t.url, Namespaces.notifications)).message, 'unauthorized')
    })
  })

  describe('on /ticker, which serves anonymous viewers', () => {
    it('accepts a handshake without credentials, with no user', async () => {
      const socket = await open(Namespaces.ticker)
      assert.equal(serverSocket(Namespaces.ticker, socket.id)?.data.user, null)
    })

    it('knows the user when a token is given', async () => {
      const { user, token } = await registerUser(t.url)
      const socket = await open(Namespaces.ticker, { token })
      assert.deepEqual(serverSocket(Namespaces.ticker, socket.id)?.data.user, user)
    })

    it('refuses an explicitly given bad token rather than silently going anonymous', async () => {
      assert.equal((await refusal(t.url, Namespaces.ticker, { token: 'stale-token' })).message, 'unauthorized')
    })

    it('limits an anonymous IPv6 viewer by its /64, so a fresh address from it shares the budget', async () => {
      const proxied = await startApp({ env: { TRUST_PROXY: 'true' } })
      const from = (address: string) => connect(proxied.url, Namespaces.ticker, { extraHeaders: { 'x-forwarded-for': address } })
      const viewers = [await from('2001:db8:1:2::a'), await from('2001:db8:1:2:ffff::b'), await from('2001:db8:1:3::a')]
      try {
        const keys = viewers.map((viewer) => proxied.app.io.of(Namespaces.ticker).sockets.get(viewer.id ?? '')?.data.address)
        assert.deepEqual(keys, ['2001:db8:1:2::/64', '2001:db8:1:2::/64', '2001:db8:1:3::/64'])
      } finally {
        for (const viewer of viewers) viewer.close()
        await proxied.close()
      }
    })
  })

  describe('logout', () => {
    it('disconnects every socket of that session on every namespace, and no other session\'s of the same user', async () => {
      const { user, token, cookie, password } = await registerUser(t.url)
      const login = await api(t.url, 'POST', '/api/auth/login', { body: { username: user.username, password } })
      assert.equal(login.status, 200)
      const otherToken = login.body.token as string

      const doomed = [
        await open(Namespaces.chat, { token }),
        await open(Namespaces.chat, { extraHeaders: { cookie } }),
        await open(Namespaces.notifications, { token }),
        await open(Namespaces.ticker, { token })
      ]
      const survivors: [string, Socket][] = [
        [Namespaces.chat, await open(Namespaces.chat, { token: otherToken })],
        [Namespaces.notifications, await open(Namespaces.notifications, { token: otherToken })],
        [Namespaces.ticker, await open(Namespaces.ticker, { token: otherToken })],
        ['anonymous /ticker', await open(Namespaces.ticker)]
      ]
      const disconnects = doomed.map((socket) => nextEvent<string>(socket, 'disconnect'))

      assert.equal((await api(t.url, 'POST', '/api/auth/logout', { cookie, headers: { origin: t.url } })).status, 204)

      // "io server disconnect": the client does not reconnect on its own with a dead credential.
      assert.deepEqual(await Promise.all(disconnects), doomed.map(() => 'io server disconnect'))
      // The server disconnected the session's sockets before answering the logout, so by now
      // any wrongly disconnected survivor would be gone on the server.
      for (const [name, socket] of survivors) {
        assert.equal(socket.connected, true, `the ${name} socket that should survive was disconnected`)
        assert.ok(serverSocket(name.replace('anonymous ', ''), socket.id), `the ${name} socket that should survive is gone on the server`)
      }
      assert.equal((await refusal(t.url, Namespaces.chat, { token })).message, 'unauthorized')
    })
  })
})
