import cookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { Limits, MAX_FRAME_BYTES, type Budget, type LimitName } from '../shared/limits.ts'
import { Namespaces } from '../shared/protocol.ts'
import { createAuthService } from './auth/create-auth-service.ts'
import { createSessionPurger } from './auth/session-purger.ts'
import { createCluster, type Cluster } from './cluster/create-cluster.ts'
import { electedMarket, type MarketTimers } from './cluster/elected-market.ts'
import { createChatService } from './chat/create-chat-service.ts'
import { createPresence } from './chat/presence.ts'
import { createImageService } from './images/create-image-service.ts'
import type { PresenceHeartbeat } from './chat/redis-presence.ts'
import { createAwayService } from './notifications/create-away-service.ts'
import { createChatNotifications } from './notifications/chat-notifications.ts'
import { createNotificationService } from './notifications/create-notification-service.ts'
import { createPeopleService } from './people/create-people-service.ts'
import type { Config } from './config.ts'
import { authRoutesPlugin } from './http/auth.ts'
import { chatRoutesPlugin } from './http/chat.ts'
import { imageRoutesPlugin } from './http/images.ts'
import { notificationRoutesPlugin } from './http/notifications.ts'
import { peopleRoutesPlugin } from './http/people.ts'
import { tickerRoutesPlugin } from './http/ticker.ts'
import { healthRoutes } from './http/health.ts'
import { adminUiPlugin } from './plugins/admin-ui.ts'
import { authenticatePlugin } from './plugins/authenticate.ts'
import { clientErrorHandler, errorsPlugin, frameworkErrors, sendNotFound } from './plugins/errors.ts'
import { metricsPlugin } from './plugins/metrics.ts'
import { queryIntegersPlugin } from './plugins/query-integers.ts'
import { securityPlugin } from './plugins/security.ts'
import { socketIoPlugin } from './plugins/socket-io.ts'
import { sendPageOrNotFound, staticClientPlugin } from './plugins/static-client.ts'
import { createRateLimiters } from './rate-limit/create-rate-limiters.ts'
import { boundedRecoveryAdapter } from './realtime/bounded-recovery-adapter.ts'
import { createCommandBudget } from './realtime/command-budget.ts'
import { buildValidator } from './validation.ts'
import { createSlowReaderGuard } from './realtime/slow-readers.ts'
import { registerChatNamespace, type ChatNamespace } from './realtime/chat/register-chat-namespace.ts'
import { registerNotificationsNamespace, type NotificationsNamespace } from './realtime/notifications/register-notifications-namespace.ts'
import { createPublisher } from './realtime/publisher.ts'
import { realtimePlugin } from './realtime/realtime-plugin.ts'
import { quotesParser } from './realtime/ticker/quotes-encoder.ts'
import { registerTickerNamespace, type TickerNamespace } from './realtime/ticker/register-ticker-namespace.ts'
import { createClientAddress, createProxyTrust, type ProxyTrust } from './security/client-address.ts'
import { createOriginPolicy } from './security/origin-policy.ts'
import { createStorage } from './storage/create-storage.ts'
import type { Storage } from './storage/types.ts'
import { createTickerService } from './ticker/create-ticker-service.ts'
import { createWatchlistService } from './ticker/create-watchlist-service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    storage: Storage
    cluster: Cluster
    auth: ReturnType<typeof createAuthService>
    chat: ReturnType<typeof createChatService>
    people: ReturnType<typeof createPeopleService>
    images: ReturnType<typeof createImageService>
    notifications: ReturnType<typeof createNotificationService>
    ticker: ReturnType<typeof createTickerService>
    /** The client address of a request or handshake (`socket.request`), by the same proxy trust as `request.ip`. */
    clientAddress: ReturnType<typeof createClientAddress>
  }
}

export interface AppOverrides {
  storage?: Storage
  now?: () => number
  logger?: FastifyServerOptions['logger']
  /** How long a typing indicator lives without a refresh. */
  typingTtlMs?: number
  /** How often a node renews its presence in Redis, and how long it lasts unrenewed (a dead node's users go offline after). */
  presenceHeartbeat?: Partial<PresenceHeartbeat>
  /** Each tick's push time in ms, as the hubbub_ticker_push_seconds metric sees it (for the bench). */
  onTickerPushed?: (ms: number) => void
  /** Other numbers than `Limits` (the bench's thousands of clients on one address). */
  limits?: Partial<Record<LimitName, Budget>>
  /** The clock and timers of the cluster's market (tests pause a leader). */
  marketTimers?: MarketTimers
}

/** The whole app as one Fastify instance, not yet listening: what main.ts starts and tests build. */
export async function buildApp (config: Config, overrides: AppOverrides = {}) {
  const proxyTrust = createProxyTrust(config.trustedProxies)
  const app = createFastify(config, overrides, proxyTrust)
  const storage = overrides.storage ?? await createStorage(config)
  let cluster: Cluster | undefined
  try {
    cluster = await createCluster({ redisUrl: config.redisUrl, prefix: config.redisPrefix, nodeName: config.nodeName, log: app.log })
    await assemble(app, config, overrides, storage, cluster, proxyTrust)
  } catch (error) {
    // A half-built app must not keep its database or Redis open: either would keep the process alive.
    await app.close().catch(() => {})
    if (!overrides.storage) await storage.close()
    await cluster?.close()
    throw error
  }
  return app
}

const createFastify = (config: Config, overrides: AppOverrides, proxyTrust: ProxyTrust) => Fastify({
  logger: overrides.logger ?? {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]']
  },
  bodyLimit: MAX_FRAME_BYTES,
  // Unknown fields are refused, as on the sockets, rather than silently dropped.
  ajv: { customOptions: { removeAdditional: false } },
  // Bodies are validated without type coercion; what arrives as text (query, params) keeps it.
  schemaController: { compilersFactory: { buildValidator } },
  // One trust rule for request.ip, request.protocol and app.clientAddress (sockets).
  trustProxy: config.trustedProxies.length > 0 && proxyTrust,
  // What the router and Node's HTTP parser refuse leaves in the error envelope too.
  frameworkErrors,
  clientErrorHandler,
  // While a node drains (SHUTDOWN_DRAIN_SECONDS) it still serves requests; /readyz alone says 503.
  return503OnClosing: false
}).withTypeProvider<TypeBoxTypeProvider>()

async function assemble (app: ReturnType<typeof createFastify>, config: Config, overrides: AppOverrides, storage: Storage, cluster: Cluster, proxyTrust: ProxyTrust) {
  const now = overrides.now ?? Date.now
  const limits = { ...Limits, ...overrides.limits }
  const limiter = createRateLimiters({ limits, cluster, log: app.log, now: overrides.now })
  const originAllowed = createOriginPolicy({ allowedOrigins: config.allowedOrigins, proxyTrust })

  app.decorate('config', config)
  app.decorate('clientAddress', createClientAddress(proxyTrust))
  app.decorate('storage', storage)
  app.decorate('cluster', cluster)
  app.decorate('auth', createAuthService({
    storage,
    sessionTtlMs: config.sessionTtlMs,
    loginLimiter: limiter('login'),
    loginAddressLimiter: limiter('loginAddress'),
    registerLimiter: limiter('register'),
    now
  }))
  app.addHook('onClose', async () => {
    if (!overrides.storage) await storage.close()
    await cluster.close()
  })
  // Expired sessions are refused at once; their rows go at start and then every hour.
  const sessionPurger = createSessionPurger({
    sessions: storage.sessions,
    now,
    everyMs: 3_600_000,
    onError: (err) => app.log.error({ err }, 'purging expired sessions failed')
  })
  app.addHook('onReady', () => sessionPurger.start())
  app.addHook('preClose', () => sessionPurger.stop())
  app.decorate('images', createImageService({ storage, uploadLimiter: limiter('imageUpload'), avatarLimiter: limiter('avatarChange'), now }))
  // Uploads never sent expire after IMAGE_PENDING_TTL_MS (refused from then on); their bytes go at start and every 10 minutes.
  const imagePurger = createSessionPurger({
    sessions: { deleteExpired: () => app.images.purgeUnsent() },
    now,
    everyMs: 600_000,
    onError: (err) => app.log.error({ err }, 'purging expired image uploads failed')
  })
  app.addHook('onReady', () => imagePurger.start())
  app.addHook('preClose', () => imagePurger.stop())

  await app.register(errorsPlugin)
  await app.register(queryIntegersPlugin)
  await app.register(securityPlugin, { originAllowed, hsts: config.cookieSecure })
  await app.register(cookie)
  await app.register(socketIoPlugin, {
    parser: quotesParser,
    adapter: cluster.adapter ?? (config.recoveryWindowMs > 0 ? boundedRecoveryAdapter(config.recoveryBufferBytes) : undefined),
    // A brief drop gets the pushes it missed on reconnect (from Redis's stream with several nodes);
    // the handshake runs again, so a logged-out session does not come back. Longer gaps catch up by seq.
    ...(config.recoveryWindowMs > 0 && { connectionStateRecovery: { maxDisconnectionDuration: config.recoveryWindowMs, skipMiddlewares: false } }),
    allowRequest: (req, callback) => callback(null, originAllowed(req)),
    drainMs: config.drainMs
  })
  await app.register(metricsPlugin, { token: config.metricsToken, node: cluster.nodeName })
  await app.register(authenticatePlugin)
  await app.register(realtimePlugin)
  const slowReaders = createSlowReaderGuard(app.io, { limitBytes: config.socketBufferBytes, log: app.log, onCut: () => app.metrics.slowReadersCut.inc() })
  app.addHook('preClose', async () => slowReaders.close())

  const context = { log: app.log, metrics: app.metrics, budget: createCommandBudget(limits, now) }
  const presence = createPresence({
    cluster,
    log: app.log,
    heartbeat: overrides.presenceHeartbeat,
    onChange: (changes) => app.chat.presenceChanged(changes).catch((err) => app.log.error({ err }, 'presence push failed'))
  })
  app.addHook('onReady', async () => presence.start())
  // Before the adapters, Redis and the storage close: onClose hooks run last-added first.
  app.addHook('onClose', async () => presence.close())
  /** Side effects after a reply (notifications of a chat message) log their failures instead of crashing. */
  const background = <A extends unknown[]>(what: string, run: (...args: A) => Promise<void>) => (...args: A) => {
    run(...args).catch((err) => app.log.error({ err }, `${what} failed`))
  }

  const notificationsNsp = app.io.of(Namespaces.notifications) as NotificationsNamespace
  app.decorate('notifications', createNotificationService({ storage, publish: createPublisher(notificationsNsp), log: app.log, now }))

  const chatNsp = app.io.of(Namespaces.chat) as ChatNamespace
  const chatPublisher = createPublisher(chatNsp, { clustered: cluster.adapter !== undefined })
  const chatNotifications = createChatNotifications({
    notifications: app.notifications,
    storage,
    viewers: (roomId, userIds) => chatPublisher.viewers(roomId, userIds, 1000),
    now
  })
  app.decorate('chat', createChatService({
    storage,
    publish: chatPublisher,
    presence,
    sendLimiter: limiter('chatSend'),
    reactLimiter: limiter('chatReact'),
    roomLimiter: limiter('roomCreate'),
    lookupLimiter: limiter('usernameLookup'),
    searchLimiter: limiter('chatSearch'),
    roomChangeLimiter: limiter('roomChange'),
    now,
    onMessage: background('mention, DM and thread notifications', chatNotifications.onMessage),
    onInvite: background('invite notification', chatNotifications.onInvite),
    ...(overrides.typingTtlMs !== undefined && { typingTtlMs: overrides.typingTtlMs })
  }))
  app.addHook('onClose', async () => app.chat.close())
  registerChatNamespace(chatNsp, { chat: app.chat, context: { ...context, ns: Namespaces.chat } })
  app.decorate('people', createPeopleService({
    storage,
    publish: chatPublisher,
    directoryLimiter: limiter('peopleDirectory'),
    lookupLimiter: limiter('profileLookup'),
    updateLimiter: limiter('profileUpdate'),
    now
  }))

  const tickerNsp = app.io.of(Namespaces.ticker) as TickerNamespace
  const tickerPublisher = createPublisher(tickerNsp)
  app.decorate('ticker', createTickerService({
    storage,
    publish: tickerPublisher,
    seed: config.tickerSeed,
    tickHz: config.tickerHz,
    now,
    log: app.log,
    notify: (userId, notification) => app.notifications.notify([userId], notification),
    // With several nodes, one market for all: stepped by the elected leader, replicated everywhere.
    ...(cluster.redis && {
      driver: electedMarket({ nodeId: cluster.nodeId, key: cluster.key, redis: cluster.redis, tickHz: config.tickerHz, log: app.log, timers: overrides.marketTimers })
    })
  }))
  const watchlists = createWatchlistService({
    storage,
    publish: tickerPublisher,
    assertListed: (symbols) => app.ticker.assertListed(symbols),
    isListed: (symbol) => app.ticker.isListed(symbol),
    now
  })
  // After the ticker: the summary reads this node's market for the watchlist's movers.
  registerNotificationsNamespace(notificationsNsp, {
    notifications: app.notifications,
    away: createAwayService({ storage, prices: app.ticker, limiter: limiter('awaySummary'), now }),
    context: { ...context, ns: Namespaces.notifications }
  })
  const tickerRealtime = registerTickerNamespace(tickerNsp, {
    ticker: app.ticker,
    watchlists,
    context: { ...context, ns: Namespaces.ticker },
    onPushed (ts) {
      const ms = now() - ts
      app.metrics.tickerPush.observe(ms / 1000)
      overrides.onTickerPushed?.(ms)
    }
  })
  app.addHook('onReady', async () => app.ticker.start())
  app.addHook('preClose', async () => {
    tickerRealtime.close()
    await app.ticker.close()
  })

  if (config.adminUi) await app.register(adminUiPlugin, { ...config.adminUi, limiter: limiter('loginAddress'), now })
  await app.register(healthRoutes)
  await app.register(authRoutesPlugin, { cookieSecure: config.cookieSecure })
  await app.register(chatRoutesPlugin)
  await app.register(peopleRoutesPlugin, { people: app.people })
  await app.register(imageRoutesPlugin, { images: app.images, people: app.people })
  await app.register(notificationRoutesPlugin, {
    publishKeys: config.publishKeys,
    publishLimiter: limiter('publish')
  })
  await app.register(tickerRoutesPlugin, { ticker: app.ticker })
  if (config.serveClient) await app.register(staticClientPlugin)
  app.setNotFoundHandler(config.serveClient ? sendPageOrNotFound : sendNotFound)
}

export type App = Awaited<ReturnType<typeof buildApp>>
