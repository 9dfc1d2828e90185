/**
 * Scenario 5, reconnect storm: N signed-in clients (the default socket.io-client reconnection
 * policy, /chat and /notifications on one connection) follow rooms of about 100 users. The
 * server is restarted (SIGTERM, then a new process on the same port and database); messages are
 * posted while clients are away and while they come back. Each client rejoins with
 * `chat:join {since}` and fills any hole the same way, as the protocol tells clients to. Measured:
 * how long until every client is back and holds every message 1..lastSeq of its room.
 */
import type { LatencySummary } from '../lib/histogram.ts'
import { mergeHistograms, summarize, type HistogramData } from '../lib/histogram.ts'
import {
  generatorFigures, profileWindow, serverFigures, sleep, startServer, useWorkers, withProgress, Workers,
  type BenchContext, type GeneratorFigures, type ServerFigures, type ServerHandle
} from '../lib/harness.ts'
import { createSqliteDatabase } from '../lib/bench-database.ts'
import { freePort } from '../lib/processes.ts'
import type { ServerStats } from '../lib/server-stats.ts'
import { now } from '../lib/wire.ts'

const LOCAL_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']

export interface ReconnectResult {
  clients: number
  rooms: number
  /** From SIGTERM to the new process listening. */
  restartMs: number
  /** Of which: the old process closing (every connection dropped) and exiting. */
  stopMs: number
  /** And the new process starting (buildApp, listen). */
  startMs: number
  reconnected: number
  caughtUp: number
  /** From SIGTERM until the last client was connected again. */
  allBackSec: number
  /** From SIGTERM until the last client held every message of its room. */
  allCaughtUpSec: number
  /** The same, from the moment the new server listened. */
  allCaughtUpAfterReadySec: number
  reconnectLatency: LatencySummary
  caughtUpLatency: LatencySummary
  messagesPosted: number
  /** `chat:join` requests the clients made after the restart (a rejoin each, plus catch-ups after holes). */
  joinsAfterRestart: number
  server: ServerFigures
  generator: GeneratorFigures
  errors: number
  /** Messages some client still lacked at the end. */
  lost: number
  duplicated: number
}

interface Status {
  clients: number
  connected: number
  reconnected: number
  caughtUp: number
  missing: number
  lastReconnectAt: number
  lastCaughtUpAt: number
  reconnectMs: HistogramData
  caughtUpMs: HistogramData
  duplicates: number
  joins: number
}

export async function runReconnectStorm (ctx: BenchContext): Promise<ReconnectResult> {
  const sizes = ctx.quick
    ? { clients: 40, rooms: 4, before: 2, during: 3, deadlineMs: 20_000 }
    : { clients: 5000, rooms: 50, before: 3, during: 5, deadlineMs: 40_000 }
  const label = 'reconnect-storm Hubbub'
  const port = await freePort()
  const database = createSqliteDatabase()
  let server: ServerHandle | null = await startServer(ctx, 'hubbub', { port, database })
  const workers = await useWorkers(ctx)
  try {
    const users = await withProgress(ctx, null, `${label}: creating ${sizes.clients} users`,
      server.rpc.call<{ token: string }[]>('seedUsers', { count: sizes.clients, prefix: 'storm' }, 600_000))
    const roomIds = await server.rpc.call<string[]>('createRooms', { count: sizes.rooms, prefix: 'storm' })
    const setup = await withProgress(ctx, workers, `${label}: connecting ${sizes.clients} clients`, workers.setup({
      kind: 'sio', url: server.url, namespaces: ['/chat', '/notifications'], concurrency: 25, reconnection: true, localAddresses: LOCAL_ADDRESSES
    }, sizes.clients, users.map((user) => user.token)))
    if (setup.failed > 0) throw new Error(`${label}: ${setup.failed} clients failed to connect: ${setup.firstErrors.join('; ')}`)
    const roomOf: Record<number, string> = {}
    for (let i = 0; i < sizes.clients; i++) roomOf[i] = roomIds[i % roomIds.length]!
    const joins = await withProgress(ctx, workers, `${label}: joining rooms`, workers.all<{ failed: number }>(
      'chatJoin', () => ({ roomOf, trackSeq: true, concurrency: 10 }), 300_000))
    if (joins.some((j) => j.failed > 0)) throw new Error(`${label}: some clients could not join their room`)

    // Some history first, received live.
    let posted = (await server.rpc.call<{ posted: number }>('post', { roomIds, perRoom: sizes.before, tag: 'before' })).posted
    const beforeTargets = await server.rpc.call<Record<string, number>>('lastSeqs', { roomIds })
    await waitFor(ctx, workers, beforeTargets, 0, performance.now() + 20_000, `${label}: delivering the first messages`)

    // The restart.
    const joinsBefore = (await waitFor(ctx, workers, beforeTargets, 0, 0, label)).joins
    const t0 = now()
    await server.stop()
    const stoppedAt = now()
    server = null
    server = await startServer(ctx, 'hubbub', { port, database })
    const readyAt = now()
    const profiled = await profileWindow(ctx, server, 'reconnect-storm')
    await workers.resetWindow()
    await server.rpc.call('statsReset')
    // Posted while most clients are still away, then again while they come back.
    posted += (await server.rpc.call<{ posted: number }>('post', { roomIds, perRoom: sizes.during, tag: 'away' })).posted
    await sleep(1000)
    posted += (await server.rpc.call<{ posted: number }>('post', { roomIds, perRoom: sizes.during, tag: 'back' })).posted
    const targets = await server.rpc.call<Record<string, number>>('lastSeqs', { roomIds })
    const status = await waitFor(ctx, workers, targets, t0, performance.now() + sizes.deadlineMs - (now() - t0), `${label}: reconnecting`)
    const [stats, gen] = await Promise.all([server.rpc.call<ServerStats>('statsRead', { gc: true }), workers.readWindow()])
    await profiled()
    const allBack = status.reconnected === sizes.clients
    const allCaughtUp = status.caughtUp === sizes.clients
    const result: ReconnectResult = {
      clients: sizes.clients,
      rooms: sizes.rooms,
      restartMs: readyAt - t0,
      stopMs: stoppedAt - t0,
      startMs: readyAt - stoppedAt,
      reconnected: status.reconnected,
      caughtUp: status.caughtUp,
      allBackSec: allBack ? (status.lastReconnectAt - t0) / 1000 : Number.POSITIVE_INFINITY,
      allCaughtUpSec: allCaughtUp ? (status.lastCaughtUpAt - t0) / 1000 : Number.POSITIVE_INFINITY,
      allCaughtUpAfterReadySec: allCaughtUp ? (status.lastCaughtUpAt - readyAt) / 1000 : Number.POSITIVE_INFINITY,
      reconnectLatency: summarize(status.reconnectMs),
      caughtUpLatency: summarize(status.caughtUpMs),
      messagesPosted: posted,
      joinsAfterRestart: status.joins - joinsBefore,
      server: serverFigures(stats),
      generator: generatorFigures(gen),
      errors: gen.errors,
      lost: status.missing,
      duplicated: status.duplicates
    }
    ctx.progress.log(`  ${label}: restart took ${(result.restartMs / 1000).toFixed(1)} s (stop ${(result.stopMs / 1000).toFixed(1)}, start ${(result.startMs / 1000).toFixed(1)}); ${status.reconnected}/${sizes.clients} back ` +
      `(last after ${result.allBackSec.toFixed(1)} s), ${status.caughtUp} caught up (last after ${result.allCaughtUpSec.toFixed(1)} s), ${status.missing} messages missing`)
    return result
  } finally {
    await workers.release()
    await server?.stop()
    await database.remove()
  }
}

/** Polls the workers until every client holds 1..target of its room (or the deadline). */
async function waitFor (ctx: BenchContext, workers: Workers, targets: Record<string, number>, since: number, deadline: number, label: string): Promise<Status> {
  let status: Status
  const work = (async () => {
    while (true) {
      const parts = await workers.all<Status>('reconnectStatus', () => ({ targets, since }))
      status = {
        clients: sum(parts, (p) => p.clients),
        connected: sum(parts, (p) => p.connected),
        reconnected: sum(parts, (p) => p.reconnected),
        caughtUp: sum(parts, (p) => p.caughtUp),
        missing: sum(parts, (p) => p.missing),
        lastReconnectAt: Math.max(...parts.map((p) => p.lastReconnectAt)),
        lastCaughtUpAt: Math.max(...parts.map((p) => p.lastCaughtUpAt)),
        reconnectMs: mergeHistograms(parts.map((p) => p.reconnectMs)),
        caughtUpMs: mergeHistograms(parts.map((p) => p.caughtUpMs)),
        duplicates: sum(parts, (p) => p.duplicates),
        joins: sum(parts, (p) => p.joins)
      }
      ctx.progress.update(`${label}: ${status.connected}/${status.clients} connected, ${status.caughtUp} caught up`)
      if (status.caughtUp === status.clients || performance.now() > deadline || ctx.aborted) return status
      await sleep(200)
    }
  })()
  return work
}

const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0)
