/**
 * Scenario 4, persistence: many signed-in senders, each sending `chat:send` as fast as the
 * per-user limit allows (with at most two unacknowledged), to rooms nobody follows, so what is
 * measured is the command path and the store rather than fan-out. Then the server is killed
 * (SIGKILL: no graceful close) and the store is read back: every acknowledged message must be
 * there, and each room's seqs must run 1..lastSeq without a gap. The same load runs on each
 * store in turn, SQLite then PostgreSQL (a fresh schema, dropped after), on one code path: only
 * the database the server is given and the reader of what it stored differ.
 */
import {
  onEachStore, storeLabels,
  type BenchDatabase, type PerStore, type Store, type StoredRooms
} from '../lib/bench-database.ts'
import type { LatencySummary } from '../lib/histogram.ts'
import {
  checkGenerator, generatorFigures, latencyOf, profileWindow, serverFigures, startServer, useWorkers, warn, withProgress,
  type BenchContext, type GeneratorFigures, type ServerFigures
} from '../lib/harness.ts'
import type { ServerStats } from '../lib/server-stats.ts'

export interface PersistenceStoreResult {
  store: Store
  /** What a COMMIT promises on this store as it was configured. */
  durability: string
  /** What the generator managed to send (it should be the offered rate). */
  sentPerSec: number
  windowSec: number
  ackedPerSec: number
  ackLatency: LatencySummary
  /** The server process's CPU per acked send (with SQLite, the database's work is in it). */
  cpuPerAckUs: number
  /** PostgreSQL's own CPU serving this server (its backends), per acked send and in cores; null for SQLite or a remote PostgreSQL. */
  dbCpuPerAckUs: number | null
  dbCpuUtil: number | null
  server: ServerFigures
  generator: GeneratorFigures
  errors: number
  errorCodes: Record<string, number>
  /** Acked messages checked in the database after a kill -9. */
  checked: number
  /** Acked but missing from the database. */
  lost: number
  /** The same stored message acked for two different sends. */
  duplicated: number
  /** Stored but never acked (a send whose ack was lost or timed out). */
  storedUnacked: number
  /** Missing seqs inside 1..lastSeq, over all rooms. */
  seqGaps: number
}

export interface PersistenceResult extends PerStore<PersistenceStoreResult> {
  senders: number
  rooms: number
  perSenderRate: number
  offeredPerSec: number
}

type Sizes = { senders: number, rooms: number, rate: number, warmMs: number, windowMs: number }

export async function runPersistence (ctx: BenchContext): Promise<PersistenceResult> {
  const sizes: Sizes = ctx.quick
    ? { senders: 20, rooms: 4, rate: 9, warmMs: 500, windowMs: 2000 }
    : { senders: 2000, rooms: 20, rate: 9, warmMs: 2000, windowMs: 8000 }
  const result: PersistenceResult = {
    senders: sizes.senders, rooms: sizes.rooms, perSenderRate: sizes.rate, offeredPerSec: sizes.senders * sizes.rate, stores: {}, skipped: {}
  }
  await onEachStore(ctx, result, (message) => warn(ctx, `persistence: ${message}`), (database) => runStore(ctx, database, sizes))
  return result
}

async function runStore (ctx: BenchContext, database: BenchDatabase, sizes: Sizes): Promise<PersistenceStoreResult> {
  const label = `persistence ${storeLabels[database.store]}`
  const server = await startServer(ctx, 'hubbub', { database })
  const workers = await useWorkers(ctx)
  try {
    const users = await withProgress(ctx, null, `${label}: creating ${sizes.senders} users`,
      server.rpc.call<{ token: string }[]>('seedUsers', { count: sizes.senders, prefix: 'writer' }, 600_000))
    const roomIds = await server.rpc.call<string[]>('createRooms', { count: sizes.rooms, prefix: 'persist' })
    const setup = await withProgress(ctx, workers, `${label}: connecting ${sizes.senders} senders`,
      workers.setup({ kind: 'sio', url: server.url, namespaces: ['/chat'], concurrency: 25 }, sizes.senders, users.map((user) => user.token)))
    if (setup.failed > 0) throw new Error(`${label}: ${setup.failed} senders failed to connect: ${setup.firstErrors.join('; ')}`)
    const roomOf: Record<number, string> = {}
    for (let i = 0; i < sizes.senders; i++) roomOf[i] = roomIds[i % roomIds.length]!
    await workers.all('chatJoin', () => ({ roomOf, follow: false }))

    const send = (durationMs: number) => workers.all('persistSend', () => ({ perClientRate: sizes.rate, durationMs, maxInFlight: 2 }), durationMs + 60_000)
    await withProgress(ctx, workers, `${label}: warming up`, send(sizes.warmMs))
    const profiled = await profileWindow(ctx, server, `persistence-${database.store}`)
    const dbCpu = await database.cpuWindow()
    await Promise.all([server.rpc.call('statsReset'), workers.resetWindow()])
    await withProgress(ctx, workers, `${label}: ${sizes.senders} senders at ${sizes.rate}/s each`, send(sizes.windowMs))
    const [stats, gen, dbCpuMs] = await Promise.all([server.rpc.call<ServerStats>('statsRead', { gc: true }), workers.readWindow(), dbCpu()])
    await profiled()
    checkGenerator(ctx, label, gen)
    await workers.all('settle', () => ({ timeoutMs: 20_000 }), 60_000)
    const seconds = gen.wallMs / 1000
    const ackLatency = latencyOf(gen.ackLatency)
    ctx.progress.log(`  ${label}: ${(gen.acked / seconds).toFixed(0)} acked chat:send/s (offered ${sizes.senders * sizes.rate}/s, sent ${(gen.sent / seconds).toFixed(0)}/s), ` +
      `ack p99 ${ackLatency.p99.toFixed(1)} ms, server CPU ${(stats.cpuUtil * 100).toFixed(0)}%` +
      (dbCpuMs === null ? '' : `, ${storeLabels[database.store]} CPU ${(dbCpuMs / gen.wallMs * 100).toFixed(0)}%`))

    // Acked means committed: kill the server without a chance to flush anything, then look.
    await server.stop({ kill: true })
    const acked = (await workers.all<{ messages: [string, string, number][] }>('ackedTotals')).flatMap((totals) => totals.messages)
    const check = verifyStored(acked, await database.read(roomIds))
    ctx.progress.log(`  ${label}: after kill -9, ${check.checked} acked messages checked: ${check.lost} missing, ${check.seqGaps} seq gaps`)
    return {
      store: database.store,
      durability: database.durability,
      sentPerSec: gen.sent / seconds,
      windowSec: seconds,
      ackedPerSec: gen.acked / seconds,
      ackLatency,
      cpuPerAckUs: gen.acked ? (stats.cpuMs * 1000) / gen.acked : 0,
      dbCpuPerAckUs: dbCpuMs === null || !gen.acked ? null : (dbCpuMs * 1000) / gen.acked,
      dbCpuUtil: dbCpuMs === null ? null : dbCpuMs / gen.wallMs,
      server: serverFigures(stats),
      generator: generatorFigures(gen),
      errors: gen.errors,
      errorCodes: gen.errorCodes,
      ...check
    }
  } finally {
    await workers.release()
    await server.stop()
  }
}

/** The acked messages ([id, roomId, seq]) against what the store holds in their rooms. */
export function verifyStored (acked: [string, string, number][], stored: StoredRooms) {
  let lost = 0
  let duplicated = 0
  const ids = new Set<string>()
  for (const [id, roomId, seq] of acked) {
    if (ids.has(id)) duplicated++
    ids.add(id)
    const row = stored.messages.get(id)
    if (!row || row.roomId !== roomId || row.seq !== seq) lost++
  }
  // Per room: seqs are unique (a constraint), so any seq of 1..max(top, last_seq) not held is a gap.
  const perRoom = new Map<string, { n: number, top: number }>()
  for (const { roomId, seq } of stored.messages.values()) {
    const room = perRoom.get(roomId) ?? { n: 0, top: 0 }
    perRoom.set(roomId, { n: room.n + 1, top: Math.max(room.top, seq) })
  }
  let seqGaps = 0
  for (const [roomId, last] of stored.lastSeq) {
    const { n, top } = perRoom.get(roomId) ?? { n: 0, top: 0 }
    seqGaps += Math.max(top, last) - n
  }
  // Everything stored in these rooms should have been acked (sends end only when every ack is in).
  return { checked: acked.length, lost, duplicated, seqGaps, storedUnacked: Math.max(0, stored.messages.size - ids.size) }
}
