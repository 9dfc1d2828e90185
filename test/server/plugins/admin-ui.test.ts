import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hashSync } from 'bcryptjs'
import { Adapter } from 'socket.io-adapter'
import { io, type Socket } from 'socket.io-client'
import { ADMIN_NAMESPACE, ADMIN_RATE_LIMITED } from '../../../server/plugins/admin-ui.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, assertHttpError, registerUser } from '../../helpers/http.ts'
import { nodesSkipReason, startNodes, type TestNodes } from '../../helpers/nodes.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'

const PASSWORD = 'operators only'
/** Cost 4, the least bcrypt takes: the settings accept any cost, and tests stay quick. */
const adminEnv = (mode: 'production' | 'development') => ({
  ADMIN_UI_USERNAME: 'ops',
  ADMIN_UI_PASSWORD_HASH: hashSync(PASSWORD, 4),
  ADMIN_UI_MODE: mode
})

interface AdminClient {
  socket: Socket
  /** Every event in order, from the first: the package sends `session` before the connection completes. */
  events: [string, ...any[]][]
}

/** A socket.io-client on /admin, as the admin UI connects; rejects with the connect_error. */
function connectAdmin (base: string, auth: Record<string, unknown>, extraHeaders: Record<string, string> = {}): Promise<AdminClient> {
  const socket = io(base + ADMIN_NAMESPACE, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000, auth, extraHeaders })
  const events: AdminClient['events'] = []
  socket.onAny((event: string, ...args) => events.push([event, ...args]))
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, events }))
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
}

/** The arguments of the first `event` received that `accept` takes, waiting for it if need be. */
async function eventOf (admin: AdminClient, event: string, accept: (...args: any[]) => boolean = () => true, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = admin.events.find(([name, ...args]) => name === event && accept(...args))
    if (found) return found.slice(1)
    const left = deadline - Date.now()
    if (left <= 0) assert.fail(`expected "${event}" within ${timeoutMs} ms; got ${JSON.stringify(admin.events.map(([name]) => name))}`)
    await nextEvent(admin.socket, event, left).catch(() => {})
  }
}

const refusal = (promise: Promise<unknown>) => promise.then(
  () => assert.fail('expected the connection to be refused'),
  (error: Error) => error.message
)

describe('admin UI, off (the default)', () => {
  let app: TestApp
  before(async () => { app = await startApp() })
  after(async () => app?.close())

  it('has no page: /admin/ is 404', async () => {
    for (const path of ['/admin', '/admin/', '/admin/js/app.0d7d7845.js']) assertHttpError(await api(app.url, 'GET', path), 404, 'not_found')
  })

  it('has no namespace: /admin refuses connections, credentials or not', async () => {
    assert.equal(await refusal(connect(app.url, ADMIN_NAMESPACE)), 'Invalid namespace')
    assert.equal(await refusal(connectAdmin(app.url, { username: 'ops', password: PASSWORD })), 'Invalid namespace')
  })
})

describe('admin UI in development mode', () => {
  let app: TestApp
  const sockets: Socket[] = []
  const admin = async (auth: Record<string, unknown> = { username: 'ops', password: PASSWORD }, headers?: Record<string, string>) => {
    const client = await connectAdmin(app.url, auth, headers)
    sockets.push(client.socket)
    return client
  }
  before(async () => { app = await startApp({ env: adminEnv('development') }) })
  after(async () => {
    for (const socket of sockets) socket.close()
    await app?.close()
  })

  it('refuses a wrong password, a wrong username, an unknown session and no credentials', async () => {
    const wrong: Record<string, unknown>[] = [{ username: 'ops', password: 'not it' }, { username: 'root', password: PASSWORD }, { sessionId: 'made-up' }, {}]
    for (const auth of wrong) {
      assert.equal(await refusal(connectAdmin(app.url, auth)), 'invalid credentials', `for ${JSON.stringify(auth)}`)
    }
  })

  it('refuses, and goes on serving, credentials that are not strings or a username without a password', async () => {
    const odd: Record<string, unknown>[] = [{ username: 'ops', password: 1234 }, { username: 'ops', password: { length: 1 } }, { username: 'ops' }, { username: 'ops', sessionId: 'made-up' }, { sessionId: ['x'] }]
    for (const auth of odd) assert.equal(await refusal(connectAdmin(app.url, auth)), 'invalid credentials', `for ${JSON.stringify(auth)}`)
    assert.ok((await admin()).socket.connected, 'the right credentials still sign in')
  })

  it('connects with the right credentials and gives a session that connects again without them', async () => {
    const first = await admin()
    const [sessionId] = await eventOf(first, 'session')
    assert.match(sessionId, /^[0-9a-f]{16}$/)
    const again = await admin({ sessionId })
    assert.ok(again.socket.connected)
    assert.deepEqual(again.events.filter(([name]) => name === 'session'), [], 'a session sign-in gets no new session')
  })

  it('is read-only: it offers no emit, join, leave or disconnect, and has no handler for them', async () => {
    const client = await admin()
    const [config] = await eventOf(client, 'config')
    assert.deepEqual(config.supportedFeatures, ['AGGREGATED_EVENTS', 'ALL_EVENTS'])
    const serverSide = app.app.io.of(ADMIN_NAMESPACE).sockets.get(client.socket.id!)!
    for (const event of ['emit', 'join', 'leave', '_disconnect']) assert.equal(serverSide.listeners(event).length, 0, `a handler for "${event}"`)
  })

  it('lists every socket with its namespace, user and rooms, but never a cookie or an Authorization header', async () => {
    const { user, cookie } = await registerUser(app.url)
    const chat = await connect(app.url, '/chat', { extraHeaders: { cookie, authorization: 'Bearer not-shown' } })
    sockets.push(chat)
    const client = await admin(undefined, { cookie })
    const [listed] = await eventOf(client, 'all_sockets')
    const mine = listed.find((socket: any) => socket.id === chat.id)
    assert.ok(mine, `expected the chat socket ${chat.id} among ${JSON.stringify(listed.map((socket: any) => socket.id))}`)
    assert.equal(mine.nsp, '/chat')
    assert.deepEqual(mine.data.user, user)
    assert.ok(mine.rooms.includes(`user:${user.id}`), `expected the user's room among ${JSON.stringify(mine.rooms)}`)
    const adminItself = listed.find((socket: any) => socket.id === client.socket.id)
    assert.ok(adminItself, 'the admin socket is listed too')
    for (const socket of [mine, adminItself]) {
      assert.deepEqual(Object.keys(socket.handshake.headers).filter((name) => /^(cookie|authorization)$/.test(name)), [],
        `credentials shown for ${socket.nsp}: ${JSON.stringify(socket.handshake.headers)}`)
    }
  })

  it('lists a socket without a user (an anonymous /ticker viewer), whose data keeps its nulls', async () => {
    const client = await admin()
    await eventOf(client, 'config')
    const viewer = await connect(app.url, '/ticker')
    sockets.push(viewer)
    const [connected] = await eventOf(client, 'socket_connected', (socket) => socket.id === viewer.id)
    assert.equal(connected.nsp, '/ticker')
    const { data } = app.app.io.of('/ticker').sockets.get(viewer.id!)!
    assert.deepEqual({ user: data.user, sessionId: data.sessionId }, { user: null, sessionId: null })
    const subscribed = await send(viewer, 'ticker:subscribe', { symbols: ['QLFX'] })
    assert.ok(subscribed.ok, `the viewer is served: ${JSON.stringify(subscribed)}`)
  })

  it('shows sockets coming and going, rooms joined and events received, as they happen', async () => {
    const { token, user } = await registerUser(app.url)
    const client = await admin()
    await eventOf(client, 'config')
    const chat = await connect(app.url, '/chat', { token })
    sockets.push(chat)
    const [connected] = await eventOf(client, 'socket_connected', (socket) => socket.id === chat.id)
    assert.deepEqual(connected.data.user, user)
    assert.ok((await send(chat, 'chat:join', { roomId: 'general' })).ok)
    await eventOf(client, 'room_joined', (nsp, room, id) => nsp === '/chat' && room === 'room:general' && id === chat.id)
    const [, , args] = await eventOf(client, 'event_received', (nsp, id) => nsp === '/chat' && id === chat.id)
    assert.deepEqual(args, ['chat:join', { roomId: 'general' }])
    const chatId = chat.id
    chat.close()
    await eventOf(client, 'socket_disconnected', (nsp, id) => nsp === '/chat' && id === chatId)
  })

  it('keeps no copy of that feed for connection-state recovery, which the other namespaces have', () => {
    // Socket.IO's recovery adapter holds every broadcast for RECOVERY_WINDOW_SECONDS: here, every event of every socket.
    assert.equal(app.app.io.of(ADMIN_NAMESPACE).adapter.constructor, Adapter)
    assert.notEqual(app.app.io.of('/chat').adapter.constructor, Adapter)
  })
})

describe('admin UI in production mode (the default)', () => {
  let app: TestApp
  const sockets: Socket[] = []
  before(async () => { app = await startApp({ env: { ...adminEnv('production'), ADMIN_UI_MODE: '', NODE_NAME: 'node-a' } }) })
  after(async () => {
    for (const socket of sockets) socket.close()
    await app?.close()
  })

  it('serves the counts of its server only: namespaces, their sockets, traffic; no socket list', async () => {
    const { token } = await registerUser(app.url)
    sockets.push(await connect(app.url, '/chat', { token }))
    const client = await connectAdmin(app.url, { username: 'ops', password: PASSWORD })
    sockets.push(client.socket)
    const [config] = await eventOf(client, 'config')
    assert.deepEqual(config.supportedFeatures, ['AGGREGATED_EVENTS'])
    const [stats] = await eventOf(client, 'server_stats', (stats) => stats.namespaces.some((nsp: any) => nsp.name === '/chat' && nsp.socketsCount === 1))
    assert.equal(stats.serverId, 'node-a', 'the server is named by NODE_NAME')
    assert.ok(stats.aggregatedEvents.some((event: any) => event.type === 'rawConnection'), `expected connections counted, got ${JSON.stringify(stats.aggregatedEvents)}`)
  })
})

describe('admin UI sign-in limits and sessions', () => {
  let app: TestApp
  let clock = Date.now()
  const sockets: Socket[] = []
  before(async () => {
    // A stopped clock: no bucket refills and no session expires unless the test moves it.
    app = await startApp({ env: adminEnv('production'), now: () => clock, limits: { loginAddress: { burst: 2, perSecond: 1 / 3600 } } })
  })
  after(async () => {
    for (const socket of sockets) socket.close()
    await app?.close()
  })

  it('counts password attempts per address and refuses those over the limit, the right password included', async () => {
    const first = await connectAdmin(app.url, { username: 'ops', password: PASSWORD })
    sockets.push(first.socket)
    const [sessionId] = await eventOf(first, 'session')
    assert.equal(await refusal(connectAdmin(app.url, { username: 'ops', password: 'wrong' })), 'invalid credentials')
    // The UI shows the refusal as it comes: it says how long to wait (the clock is stopped: the whole hour).
    assert.equal(await refusal(connectAdmin(app.url, { username: 'ops', password: PASSWORD })),
      `${ADMIN_RATE_LIMITED}: too many sign-in attempts from here. Try again in 60 minutes.`)
    const bySession = await connectAdmin(app.url, { sessionId })
    sockets.push(bySession.socket)
    assert.ok(bySession.socket.connected, 'a session costs no attempt')
  })

  it('lets a session lapse after 24 hours', async () => {
    clock += 3_600_000
    const first = await connectAdmin(app.url, { username: 'ops', password: PASSWORD })
    sockets.push(first.socket)
    const [sessionId] = await eventOf(first, 'session')
    clock += 24 * 3_600_000 - 1
    sockets.push((await connectAdmin(app.url, { sessionId })).socket)
    clock += 1
    assert.equal(await refusal(connectAdmin(app.url, { sessionId })), 'invalid credentials')
  })
})

const skip = await nodesSkipReason()

describe('admin UI on two nodes', { skip }, () => {
  let cluster: TestNodes
  const sockets: Socket[] = []
  before(async () => { cluster = await startNodes(2, { env: adminEnv('development') }) })
  after(async () => {
    for (const socket of sockets) socket.close()
    await cluster?.close()
  })

  it('shows, on node 1, the sockets, events and stats of node 2; a session from one node signs in on the other', async () => {
    const [one, two] = cluster.nodes
    const { token, user } = await registerUser(two!.url)
    const chat = await connect(two!.url, '/chat', { token })
    sockets.push(chat)
    const client = await connectAdmin(one!.url, { username: 'ops', password: PASSWORD })
    sockets.push(client.socket)

    const [listed] = await eventOf(client, 'all_sockets')
    const remote = listed.find((socket: any) => socket.id === chat.id)
    assert.ok(remote, `expected node 2's chat socket ${chat.id} among ${JSON.stringify(listed.map((socket: any) => `${socket.nsp}#${socket.id}`))}`)
    assert.deepEqual(remote.data.user, user)
    assert.equal(remote.handshake.headers.cookie, undefined)

    assert.ok((await send(chat, 'chat:join', { roomId: 'general' })).ok)
    await eventOf(client, 'event_received', (nsp, id, args) => nsp === '/chat' && id === chat.id && args[0] === 'chat:join')
    for (const node of ['node1', 'node2']) await eventOf(client, 'server_stats', (stats) => stats.serverId === node)

    const [sessionId] = await eventOf(client, 'session')
    const elsewhere = await connectAdmin(two!.url, { sessionId })
    sockets.push(elsewhere.socket)
    assert.ok(elsewhere.socket.connected, 'the session is in Redis, for every node')
  })
})
