import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import { instrument } from '@socket.io/admin-ui'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import type { Namespace, Server, Socket } from 'socket.io'
import { Adapter } from 'socket.io-adapter'
import { Namespaces } from '../../shared/protocol.ts'
import type { Config } from '../config.ts'
import type { RateLimiter } from '../rate-limit/rate-limiter.ts'
import { waitText } from '../rate-limit/take-or-refuse.ts'
import { addressKey } from '../security/client-address.ts'

export const ADMIN_NAMESPACE = '/admin'
/** The refusal of a sign-in to the admin UI over the limit (the UI shows it as the error), then how long to wait. */
export const ADMIN_RATE_LIMITED = 'rate_limited'

type InstrumentOptions = NonNullable<Parameters<typeof instrument>[1]>
type AdminSessions = NonNullable<InstrumentOptions['store']>

const packageDir = (name: string) => join(import.meta.dirname, '..', '..', 'node_modules', name)
const uiDir = join(packageDir('@socket.io/admin-ui'), 'ui', 'dist')
/** The weights the admin UI asks Google Fonts for. */
const ROBOTO_WEIGHTS = [100, 300, 400, 500, 700, 900]
/** How long a sign-in to the admin UI lasts (a reload or a reconnection needs no password meanwhile). */
const SESSION_TTL_MS = 24 * 3_600_000

/**
 * The UI's page, with its two stylesheets from other sites (Google Fonts, jsDelivr) replaced by
 * the same files from npm packages, served here: an operator's browser asks no one else.
 */
function adminPage () {
  const page = readFileSync(join(uiDir, 'index.html'), 'utf8')
    .replace(/<link rel="stylesheet" href="https:\/\/fonts\.googleapis\.com\/[^"]*">/,
      ROBOTO_WEIGHTS.map((weight) => `<link rel="stylesheet" href="roboto/${weight}.css">`).join(''))
    .replace(/<link rel="stylesheet" href="https:\/\/cdn\.jsdelivr\.net\/npm\/@mdi\/font[^"]*">/,
      '<link rel="stylesheet" href="mdi/css/materialdesignicons.min.css">')
  const elsewhere = /(?:src|href)="(?:https?:)?\/\/[^"]*"/.exec(page)
  if (elsewhere) throw new Error(`The admin UI's page still loads ${elsewhere[0]}: update server/plugins/admin-ui.ts for this @socket.io/admin-ui.`)
  return page
}

/** Admin UI sign-ins (session IDs the UI keeps): in this process alone, or in Redis for every node. */
function createAdminSessions ({ redis, key, now, onError }: {
  redis: Redis | null
  key: string
  now: () => number
  onError: (err: unknown) => void
}): AdminSessions {
  if (redis) {
    return {
      // The package's middleware does not catch: a Redis failure is a sign-in asked for again.
      doesSessionExist: async (id) => (await redis.exists(`${key}${id}`).catch((err) => { onError(err); return 0 })) === 1,
      saveSession: (id) => { redis.set(`${key}${id}`, '1', 'PX', SESSION_TTL_MS).catch(onError) }
    }
  }
  const expiries = new Map<string, number>()
  return {
    async doesSessionExist (id) {
      const expiresAt = expiries.get(id)
      if (expiresAt !== undefined && expiresAt <= now()) expiries.delete(id)
      return expiresAt !== undefined && expiresAt > now()
    },
    saveSession: (id) => { expiries.set(id, now() + SESSION_TTL_MS) }
  }
}

/**
 * The package's UI lists every socket with its handshake headers: the session cookie (a user's
 * credential) and any Authorization header are taken out of what it can show. Runs after the
 * namespace's own handshake, which has read them.
 */
function hideCredentials (socket: Socket, next: () => void) {
  const { cookie: _cookie, authorization: _authorization, ...headers } = socket.handshake.headers
  Object.assign(socket, { handshake: { ...socket.handshake, headers } })
  next()
}

/**
 * The package compares whatever `password` a handshake brings, and anything but a string made
 * bcrypt reject a promise nothing handled, which closes the process: only strings reach it. Each
 * password costs a bcrypt comparison (pure JS, half a second of CPU): they are counted per address.
 */
function checkSignIn (limiter: RateLimiter, clientAddress: (request: IncomingMessage) => string) {
  return (socket: Socket, next: (error?: Error) => void) => {
    const { username, password, sessionId } = (socket.handshake.auth ?? {}) as Record<string, unknown>
    const session = typeof sessionId === 'string' ? { sessionId } : {}
    if (typeof username !== 'string' || typeof password !== 'string') {
      socket.handshake.auth = session
      return next()
    }
    socket.handshake.auth = { ...session, username, password }
    limiter.take(addressKey(clientAddress(socket.request))).then(
      (taken) => next(taken.ok ? undefined : new Error(`${ADMIN_RATE_LIMITED}: too many sign-in attempts from here. Try again in ${waitText(taken.retryAfterMs)}.`)),
      () => next(new Error(`${ADMIN_RATE_LIMITED}: sign-in attempts cannot be counted right now. Try again in a moment.`)))
  }
}

/**
 * The package's 'connection' listener is async and nothing catches it: a fetchSockets across
 * nodes that times out (a node down) became an unhandled rejection, which closes the process.
 * The listeners `run` adds to `nsp` report their errors to `onError` instead.
 */
function catchListenerErrors<T> (nsp: Namespace, onError: (err: unknown) => void, run: () => T) {
  const before = new Set(nsp.listeners('connection'))
  const result = run()
  const listeners = nsp.listeners('connection')
  nsp.removeAllListeners('connection')
  for (const listener of listeners) {
    nsp.on('connection', before.has(listener)
      ? listener
      : (socket: Socket) => {
          try {
            Promise.resolve(listener(socket)).catch(onError)
          } catch (err) {
            onError(err)
          }
        })
  }
  return result
}

/**
 * The package sends the admin UI its session ID from its middleware, before the connection is
 * complete. With connection-state recovery, Socket.IO sends a socket's emits through the adapter to
 * the socket's own room, which it joins only once connected: the ID was lost, and every reload
 * asked for the password. Such emits wait for the connection.
 */
function holdEmitsUntilConnected (nsp: Namespace) {
  const release = new WeakMap<Socket, () => void>()
  nsp.use((socket, next) => {
    const held: Parameters<Socket['emit']>[] = []
    const { emit } = socket
    socket.emit = (...args) => held.push(args) > 0
    release.set(socket, () => {
      socket.emit = emit
      for (const args of held) socket.emit(...args)
    })
    next()
  })
  nsp.on('connection', (socket: Socket) => release.get(socket)?.())
}

/**
 * Development mode replaces each socket's data, as it connects, by proxies of a copy (to report
 * changes), and a Proxy cannot wrap null: an anonymous /ticker viewer (`user: null`) threw in a
 * 'connection' listener, which ends the process (and a proxy carried into a recovered connection
 * would throw when its handshake sets null again). Null fields are hidden from that copy, and the
 * socket gets its own data back right after it, with the package's `_admin` (client ID, transport).
 */
function keepSocketData<T> (io: Server, instrumentNow: () => T) {
  const saved = new WeakMap<Socket, { data: Record<string, unknown>, nulls: string[] }>()
  const hide = (socket: Socket) => {
    const data = socket.data ?? {}
    const nulls = Object.keys(data).filter((key) => data[key] === null)
    for (const key of nulls) Object.defineProperty(data, key, { enumerable: false })
    saved.set(socket, { data, nulls })
  }
  const restore = (socket: Socket) => {
    const { data, nulls } = saved.get(socket) ?? { data: socket.data, nulls: [] }
    for (const key of nulls) Object.defineProperty(data, key, { enumerable: true })
    socket.data = Object.assign(data, { _admin: socket.data._admin })
  }
  // The package prepends its listener to every namespace, present and to come: `restore`,
  // prepended before it, runs right after it; `hide`, prepended after it, runs first.
  const prependEverywhere = (listener: (socket: Socket) => void) => {
    const prepend = (nsp: Namespace) => { nsp.prependListener('connection', listener) }
    io._nsps.forEach(prepend)
    io.on('new_namespace', prepend)
  }
  prependEverywhere(restore)
  const instrumented = instrumentNow()
  prependEverywhere(hide)
  return instrumented
}

/** instrument() starts a stats timer (every 2 s) and never stops it: keep it, so closing stops it. */
function instrumentWithStop (...args: Parameters<typeof instrument>) {
  const timers: ReturnType<typeof setInterval>[] = []
  const { setInterval } = globalThis
  globalThis.setInterval = ((...timerArgs: Parameters<typeof setInterval>) => {
    const timer = setInterval(...timerArgs)
    timers.push(timer)
    return timer
  }) as typeof setInterval
  try {
    instrument(...args)
  } finally {
    globalThis.setInterval = setInterval
  }
  return () => timers.forEach(clearInterval)
}

/**
 * The Socket.IO Admin UI (`@socket.io/admin-ui`): its namespace `/admin` behind the username and
 * bcrypt hash of the settings, read-only, fed by every node through the adapter; its page under
 * `/admin/`, served from the package with its fonts.
 */
export const adminUiPlugin = fp<NonNullable<Config['adminUi']> & { limiter: RateLimiter, now: () => number }>(async (fastify, { username, passwordHash, mode, limiter, now }) => {
  const { io, cluster } = fastify
  const adminNsp = io.of(ADMIN_NAMESPACE)
  if (!cluster.adapter) {
    // Alone, the feed skips connection-state recovery's buffer: it is for watching, not replaying,
    // and in development mode that buffer held a copy of every event of every socket.
    adminNsp.adapter.close()
    adminNsp.adapter = new Adapter(adminNsp)
  }
  for (const path of Object.values(Namespaces)) io.of(path).use(hideCredentials)
  adminNsp.use(hideCredentials).use(checkSignIn(limiter, fastify.clientAddress))
  holdEmitsUntilConnected(adminNsp)
  const options: InstrumentOptions = {
    namespaceName: ADMIN_NAMESPACE,
    auth: { type: 'basic', username, password: passwordHash },
    // Operators look; they do not emit, join or disconnect on users' behalf.
    readonly: true,
    mode,
    serverId: cluster.nodeName,
    store: createAdminSessions({
      redis: cluster.redis?.commands ?? null,
      key: cluster.key('admin-ui:session:'),
      now,
      onError: (err) => fastify.log.warn({ err }, 'admin UI sessions: Redis failed')
    })
  }
  const onError = (err: unknown) => fastify.log.warn({ err, ns: ADMIN_NAMESPACE }, 'admin UI connection failed')
  const instrumentNow = () => catchListenerErrors(adminNsp, onError, () => instrumentWithStop(io, options))
  const stop = mode === 'development' ? keepSocketData(io, instrumentNow) : instrumentNow()
  fastify.addHook('preClose', async () => stop())

  const page = adminPage()
  await fastify.register(async (scope) => {
    scope.get('/admin', (_request, reply) => reply.redirect('/admin/'))
    scope.get('/admin/', (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page))
    const files = [
      // index.html is the page above, never the package's own (which links other sites).
      { prefix: '/admin/', root: uiDir, allowedPath: (path: string) => path !== '/index.html' },
      { prefix: '/admin/mdi/', root: packageDir('@mdi/font'), allowedPath: (path: string) => /^\/(css|fonts)\//.test(path) },
      { prefix: '/admin/roboto/', root: packageDir('@fontsource/roboto'), allowedPath: (path: string) => /^\/(\d+\.css|files\/.+)$/.test(path) }
    ]
    for (const options of files) await scope.register(fastifyStatic, { ...options, index: false, decorateReply: false })
  })
}, { name: 'admin-ui', dependencies: ['socket-io', 'realtime'] })
