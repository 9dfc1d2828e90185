/**
 * Scenario 4, persistence: many signed-in senders, each sending `chat:send` as fast as the
 * per-user limit allows (with at most two unacknowledged), to rooms nobody follows, so what is
 * measured is the command path and SQLite rather than fan-out. Then the server is killed
 * (SIGKILL: no graceful close) and the database file is read back: every acknowledged message
 * must be there, and each room's seqs must run 1..lastSeq without a gap.
 */
import { DatabaseSync } from 'node:sqlite'
import type { LatencySummary } from '../lib/histogram.ts'
import {
  checkGenerator, generatorFigures, latencyOf, profileWindow, serverFigures, startServer, useWorkers, withProgress,
  type BenchContext, type GeneratorFigures, type ServerFigures
} from '../lib/harness.ts'
import type { ServerStats } from '../lib/server-stats.ts'

export interface PersistenceResult {
  senders: number
  rooms: number
  perSenderRate: number
  offeredPerSec: number
  /** What the generator managed to send (it should be the offered rate). */
  sentPerSec: number
  windowSec: number
  ackedPerSec: number
  ackLatency: LatencySummary
  cpuPerAckUs: number
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

export async function runPersistence (ctx: BenchContext): Promise<PersistenceResult> {
  const sizes = ctx.quick
    ? { senders: 20, rooms: 4, rate: 9, warmMs: 500, windowMs: 2000 }
    : { senders: 2000, rooms: 20, rate: 9, warmMs: 2000, windowMs: 8000 }
  const label = 'persistence Hubbub'
  const server = await startServer(ctx, 'hubbub')
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
    const profiled = await profileWindow(ctx, server, 'persistence')
    await Promise.all([server.rpc.call('statsReset'), workers.resetWindow()])
    await withProgress(ctx, workers, `${label}: ${sizes.senders} senders at ${sizes.rate}/s each`, send(sizes.windowMs))
    const [stats, gen] = await Promise.all([server.rpc.call<ServerStats>('statsRead', { gc: true }), workers.readWindow()])
    await profiled()
    checkGenerator(ctx, label, gen)
    await workers.all('settle', () => ({ timeoutMs: 20_000 }), 60_000)
    const seconds = gen.wallMs / 1000
    const ackLatency = latencyOf(gen.ackLatency)
    ctx.progress.log(`  ${label}: ${(gen.acked / seconds).toFixed(0)} acked chat:send/s (offered ${sizes.senders * sizes.rate}/s, sent ${(gen.sent / seconds).toFixed(0)}/s), ` +
      `ack p99 ${ackLatency.p99.toFixed(1)} ms, server CPU ${(stats.cpuUtil * 100).toFixed(0)}%`)

    // Acked means committed: kill the server without a chance to flush anything, then look.
    await server.stop({ kill: true, keepDir: true })
    const acked = (await workers.all<{ messages: [string, string, number][] }>('ackedTotals')).flatMap((totals) => totals.messages)
    const check = verifyDatabase(server.db!, acked, roomIds)
    ctx.progress.log(`  ${label}: after kill -9, ${check.checked} acked messages checked: ${check.lost} missing, ${check.seqGaps} seq gaps`)
    return {
      senders: sizes.senders,
      rooms: sizes.rooms,
      perSenderRate: sizes.rate,
      offeredPerSec: sizes.senders * sizes.rate,
      sentPerSec: gen.sent / seconds,
      windowSec: seconds,
      ackedPerSec: gen.acked / seconds,
      ackLatency,
      cpuPerAckUs: gen.acked ? (stats.cpuMs * 1000) / gen.acked : 0,
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

function verifyDatabase (file: string, acked: [string, string, number][], roomIds: string[]) {
  // Opened read-write, as a restarted server would: SQLite recovers the WAL left by the killed process.
  const db = new DatabaseSync(file)
  try {
    const byId = db.prepare('SELECT room_id, seq FROM messages WHERE id = ?')
    let lost = 0
    const ids = new Set<string>()
    let duplicated = 0
    for (const [id, roomId, seq] of acked) {
      if (ids.has(id)) duplicated++
      ids.add(id)
      const row = byId.get(id)
      if (!row || row.room_id !== roomId || row.seq !== seq) lost++
    }
    let seqGaps = 0
    let stored = 0
    const stats = db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(seq), 0) AS top FROM messages WHERE room_id = ?')
    const lastSeq = db.prepare('SELECT last_seq FROM rooms WHERE id = ?')
    for (const roomId of roomIds) {
      const { n, top } = stats.get(roomId) as { n: number, top: number }
      const last = (lastSeq.get(roomId) as { last_seq: number }).last_seq
      seqGaps += Math.max(top, last) - n
      stored += n
    }
    // Everything stored in these rooms should have been acked (sends end only when every ack is in).
    return { checked: acked.length, lost, duplicated, seqGaps, storedUnacked: Math.max(0, stored - ids.size) }
  } finally {
    db.close()
  }
}
