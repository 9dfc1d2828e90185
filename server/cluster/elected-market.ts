import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { MarketDriverFactory } from '../ticker/market-driver.ts'
import { createAlertChanges } from './alert-changes.ts'
import { marketKeys } from './market-keys.ts'
import { createMarketJournal } from './market-journal.ts'
import { createMarketLease } from './market-lease.ts'
import { createMarketReplica } from './market-replica.ts'
import type { RedisConnections } from './redis.ts'

/** The clock and timers of the cluster's market, injectable so tests can pause one node. */
export interface MarketTimers {
  /** A monotonic clock in ms (lease deadlines). */
  now: () => number
  setTimeout: (callback: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
  setInterval: (callback: () => void, ms: number) => unknown
  clearInterval: (handle: unknown) => void
}

type Timeout = ReturnType<typeof globalThis.setTimeout>
export const systemTimers: MarketTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Timeout),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as Timeout)
}

/**
 * A dead leader is replaced within ACQUIRE_EVERY_MS of its lease expiring: 3.5 s at most after its
 * last renewal. A leader that cannot renew stops stepping LEASE_MARGIN_MS before its lease could
 * have expired, so two nodes never step at once.
 */
export const LEASE_MS = 3000
export const RENEW_EVERY_MS = 1000
export const ACQUIRE_EVERY_MS = 500
export const LEASE_MARGIN_MS = 500
/** The whole market is saved this often: a node starting loads it, then at most this much of steps. */
const SNAPSHOT_EVERY_MS = 30_000
/** Steps kept in the stream: four snapshots' worth, so the steps after the latest one are always there. */
const KEEP_SNAPSHOTS = 4
/** A market left without a leader for a day starts afresh. */
const STATE_TTL_MS = 24 * 60 * 60 * 1000
/** The leader loads the pending alerts again this often: those whose change message was lost. */
const ALERT_RELOAD_MS = 30_000
const READ_BLOCK_MS = 1000
const RETRY_MS = 500

export interface ElectedMarketOptions {
  nodeId: string
  key: (name: string) => string
  redis: RedisConnections
  tickHz: number
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>
  timers?: MarketTimers
}

/**
 * One market for the cluster. Exactly one node (elected through a Redis lease it renews) steps
 * the simulation and publishes each step with its epoch, fenced in Redis: a step is written only
 * while the lease still holds the leader's token, so a leader that was paused or cut off changes
 * nothing once another has won. Every node (the leader once its step is written) delivers the
 * step to its own sockets and keeps its market a replica of the leader's, so quotes, sparklines and
 * candles answer the same everywhere. A new leader continues from the last published step (model,
 * random streams, candles): the same series, never a jump back. Only the leader evaluates alerts;
 * alerts created or deleted elsewhere reach it by pub/sub, and it loads them all again when it
 * wins, after Redis comes back, and every ALERT_RELOAD_MS.
 */
export const electedMarket = ({ nodeId, key, redis, tickHz, log, timers = systemTimers }: ElectedMarketOptions): MarketDriverFactory => (host) => {
  const keys = marketKeys(key)
  const snapshotEvery = Math.max(1, Math.round((SNAPSHOT_EVERY_MS / 1000) * tickHz))
  const lease = createMarketLease({ redis: redis.commands, keys, nodeId, leaseMs: LEASE_MS, marginMs: LEASE_MARGIN_MS, clock: timers.now })
  const journal = createMarketJournal({ redis: redis.commands, keys, keepSteps: snapshotEvery * KEEP_SNAPSHOTS, ttlMs: STATE_TTL_MS })
  const replica = createMarketReplica({
    journal,
    host,
    openReader: redis.subscriber,
    log,
    setTimeout: timers.setTimeout,
    blockMs: READ_BLOCK_MS,
    retryMs: RETRY_MS
  })
  const alertChanges = createAlertChanges({
    commands: redis.commands,
    openSubscriber: redis.subscriber,
    channel: keys.alerts,
    nodeId,
    log,
    onChange: (change) => 'created' in change ? host.alertCreated(change.created) : host.alertDeleted(change.deleted),
    onMissed: () => { if (role === 'leader') loadAlerts() }
  })

  let role: 'follower' | 'leader' = 'follower'
  let closed = false
  /** The series this node leads and its last published step. */
  let lineage = ''
  let published = 0
  /** A step on its way to Redis: the next beat waits for it rather than queue behind it. */
  let publishing = false
  let beat: unknown
  let poller: unknown
  let lastAlertLoad = Number.NEGATIVE_INFINITY
  let redisFailing = false

  const stopBeat = () => {
    if (beat !== undefined) timers.clearInterval(beat)
    beat = undefined
  }

  const stepDown = (reason: string, err?: unknown) => {
    if (role !== 'leader') return
    role = 'follower'
    stopBeat()
    log.warn({ err, epoch: lease.epoch, reason }, 'market: this node no longer leads')
    host.evaluateAlerts(false)
    // Let another node take over at once (a no-op when fenced: the lease is someone else's).
    lease.release().catch(() => {})
    if (closed) return
    // This node's market may hold a step that was never published: load the cluster's.
    replica.forget()
    replica.start()
  }

  const loadAlerts = async () => {
    lastAlertLoad = timers.now()
    try {
      await host.evaluateAlerts(true)
    } catch (err) {
      lastAlertLoad = Number.NEGATIVE_INFINITY
      log.error({ err }, 'market: loading the pending alerts failed; retrying')
    }
  }

  /** One beat of the leader: a step, written to Redis, then delivered here. */
  const step = () => {
    if (publishing || role !== 'leader') return
    const token = lease.token
    if (token === null || !lease.held) return stepDown('the lease could not be renewed in time')
    const tick = host.step()
    const next = {
      lineage,
      epoch: lease.epoch,
      n: published + 1,
      ts: tick.ts,
      changes: tick.quotes.map((quote, i) => ({ quote, traded: tick.traded[i]! }))
    }
    publishing = true
    journal.publish({
      token,
      fingerprint: host.fingerprint,
      step: next,
      model: host.modelState(),
      ...(next.n % snapshotEvery === 0 && { market: host.state() })
    })
      .then((written) => {
        if (!written) return stepDown('another node holds the lease (fenced)')
        published = next.n
        if (role === 'leader') host.deliver(tick)
      }, (err: unknown) => stepDown('publishing a step failed', err))
      .finally(() => { publishing = false })
  }

  /** Just won the lease: continue the published market (or start one), then step it. */
  const takeOver = async () => {
    role = 'leader'
    replica.stop()
    const epoch = lease.epoch
    const still = () => role === 'leader' && lease.epoch === epoch && !closed
    try {
      const head = await journal.head(host.fingerprint)
      if (!still()) return
      if (head !== null && await replica.syncTo(head)) {
        host.resume(head.state)
        lineage = head.lineage
        published = head.n
      } else {
        if (!still()) return
        if (head !== null) log.error({ lineage: head.lineage, n: head.n }, 'market: the published market cannot be loaded; starting a new series')
        lineage = randomUUID()
        published = 0
        const token = lease.token
        const started = token !== null && await journal.publish({
          token,
          fingerprint: host.fingerprint,
          step: { lineage, epoch, n: 0, ts: 0, changes: [] },
          model: host.modelState(),
          market: host.state()
        })
        if (!started) return stepDown('another node holds the lease (fenced)')
      }
      if (!still()) return
      log.info({ epoch, lineage, n: published }, 'market: this node leads')
      beat = timers.setInterval(step, host.tickMs)
      // Not awaited: a slow database delays the alerts, never the market. An alert fires on a price
      // beyond its threshold: one crossed meanwhile fires at its symbol's next trade still beyond it.
      loadAlerts()
    } catch (err) {
      if (still()) stepDown('taking over failed', err)
    }
  }

  const poll = async () => {
    try {
      if (role === 'leader') {
        if (!await lease.renew()) stepDown('the lease was lost')
        else if (timers.now() - lastAlertLoad >= ALERT_RELOAD_MS) loadAlerts()
      } else if (await lease.acquire()) {
        // Not awaited: renewals go on while it loads.
        takeOver()
      }
      if (redisFailing) log.warn('market: Redis answers again')
      redisFailing = false
    } catch (err) {
      if (!redisFailing) log.warn({ err }, 'market: Redis does not answer; retrying')
      redisFailing = true
      if (role === 'leader' && !lease.held) stepDown('the lease could not be renewed', err)
    }
  }

  const schedule = () => {
    if (closed) return
    poller = timers.setTimeout(() => { poll().finally(schedule) }, role === 'leader' ? RENEW_EVERY_MS : ACQUIRE_EVERY_MS)
  }

  const close = async () => {
    if (closed) return
    closed = true
    if (poller !== undefined) timers.clearTimeout(poller)
    stopBeat()
    replica.close()
    alertChanges.close()
    if (role === 'leader') {
      role = 'follower'
      // Another node takes over at its next attempt instead of after the lease expires.
      await lease.release().catch(() => {})
    }
  }

  return {
    async start () {
      // Followers evaluate no alerts; the leader loads them all when it wins.
      await host.evaluateAlerts(false)
      alertChanges.start()
      try {
        // Awaited at start: the first node publishes the market before it listens, the others load it.
        if (await lease.acquire()) await takeOver()
      } catch (err) {
        log.warn({ err }, 'market: Redis does not answer; retrying')
      }
      if (role !== 'leader') await replica.start()
      schedule()
    },

    /** Stops for good, as close() does: a node stops leading or following only to leave. */
    stop () {
      close()
    },

    close,

    get leading () { return role === 'leader' },

    alertCreated (alert) {
      alertChanges.publish({ created: alert })
    },
    alertDeleted (id) {
      alertChanges.publish({ deleted: id })
    }
  }
}
