/**
 * Scenario 3, connection capacity: N idle signed-in users, each with one connection carrying
 * all three namespaces (/chat, /notifications, /ticker), as the browser client holds them.
 * Reported: connect rate, and the server's RSS and heap per user (after a full GC, against the
 * same server before anyone connected); plain Socket.IO holds the same connections for the ratio.
 */
import type { LatencySummary } from '../lib/histogram.ts'
import {
  generatorFigures, profileWindow, serverFigures, sleep, startServer, targetLabels, useWorkers, withProgress,
  type BenchContext, type GeneratorFigures, type ServerFigures, type Target
} from '../lib/harness.ts'
import type { ServerStats } from '../lib/server-stats.ts'

const NAMESPACES = ['/chat', '/notifications', '/ticker']
/** Source addresses on loopback, so 10,000+ connections never run short of ephemeral ports. */
const LOCAL_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']

export interface CapacityTargetResult {
  target: Target
  users: number
  sockets: number
  connected: number
  failed: number
  /** Users fully connected (all namespaces) per second. */
  connectPerSec: number
  connectLatency: LatencySummary
  /** Server CPU per connected user, ms. */
  cpuPerUserMs: number
  rssBeforeMiB: number
  rssAfterMiB: number
  rssPerUserKiB: number
  heapPerUserKiB: number
  /** Idle: server CPU with everyone connected and nothing happening. */
  idleCpuUtil: number
  server: ServerFigures
  generator: GeneratorFigures
  errors: number
  /** After the idle: users still connected on every namespace, as their clients see it. */
  connectedAfterIdle: number
  /** After the idle: the sockets the server holds, all namespaces together (users x namespaces when none dropped). */
  serverSockets: number
}

export interface CapacityResult {
  users: number
  namespaces: string[]
  targets: Partial<Record<Target, CapacityTargetResult>>
}

export async function runConnectionCapacity (ctx: BenchContext): Promise<CapacityResult> {
  const users = ctx.quick ? 100 : 10_000
  const result: CapacityResult = { users, namespaces: NAMESPACES, targets: {} }
  for (const target of ['hubbub', 'plain'] as Target[]) {
    if (ctx.aborted) break
    result.targets[target] = await runCapacityTarget(ctx, target, users)
  }
  return result
}

export async function runCapacityTarget (ctx: BenchContext, target: Target, users: number): Promise<CapacityTargetResult> {
  const label = `connection-capacity ${targetLabels[target]}`
  const server = await startServer(ctx, target)
  const workers = await useWorkers(ctx)
  try {
    let tokens: string[] | undefined
    if (target === 'hubbub') {
      tokens = (await withProgress(ctx, null, `${label}: creating ${users} users`,
        server.rpc.call<{ token: string }[]>('seedUsers', { count: users, prefix: 'idle' }, 600_000))).map((user) => user.token)
    }
    // Let start-up garbage go before the "before" picture.
    await sleep(500)
    const before = await server.rpc.call<ServerStats>('statsRead', { gc: true })
    const profiled = await profileWindow(ctx, server, `connection-capacity-${target}`)
    await Promise.all([server.rpc.call('statsReset'), workers.resetWindow()])
    const setup = await withProgress(ctx, workers, `${label}: connecting ${users} users x ${NAMESPACES.length} namespaces`,
      workers.setup({ kind: 'sio', url: server.url, namespaces: NAMESPACES, concurrency: 25, localAddresses: LOCAL_ADDRESSES, timeoutMs: 120_000 }, users, tokens))
    const [connecting, gen] = await Promise.all([server.rpc.call<ServerStats>('statsRead'), workers.readWindow()])
    await profiled()
    ctx.progress.log(`  ${label}: ${setup.connected} users in ${(setup.wallMs / 1000).toFixed(1)} s (${setup.perSecond.toFixed(0)}/s)` +
      (setup.failed ? `, ${setup.failed} failed: ${setup.firstErrors.join('; ')}` : ''))
    // Idle for a moment, then the "after" picture, after a full GC.
    await server.rpc.call('statsReset')
    await withProgress(ctx, workers, `${label}: idle`, sleep(ctx.quick ? 500 : 3000))
    const idle = await server.rpc.call<ServerStats>('statsRead')
    // Connections counted on both sides: still open at the clients, and held by the server.
    const [{ connected: connectedAfterIdle }, held] = await Promise.all([
      workers.readWindow(),
      server.rpc.call<Record<string, number>>('socketCounts', { namespaces: NAMESPACES })
    ])
    const serverSockets = Object.values(held).reduce((sum, n) => sum + n, 0)
    const after = await server.rpc.call<ServerStats>('statsRead', { gc: true })
    const KiB = 1024
    const rssPerUserKiB = (after.rss - before.rss) / KiB / Math.max(1, setup.connected)
    ctx.progress.log(`  ${label}: RSS ${(before.rss / 2 ** 20).toFixed(0)} -> ${(after.rss / 2 ** 20).toFixed(0)} MiB, ${rssPerUserKiB.toFixed(1)} KiB per user`)
    return {
      target,
      users,
      sockets: users * NAMESPACES.length,
      connected: setup.connected,
      failed: setup.failed,
      connectPerSec: setup.perSecond,
      connectLatency: setup.connectMs,
      cpuPerUserMs: connecting.cpuMs / Math.max(1, setup.connected),
      rssBeforeMiB: before.rss / 2 ** 20,
      rssAfterMiB: after.rss / 2 ** 20,
      rssPerUserKiB,
      heapPerUserKiB: (after.heapUsed - before.heapUsed) / KiB / Math.max(1, setup.connected),
      idleCpuUtil: idle.cpuUtil,
      server: serverFigures(connecting),
      generator: generatorFigures(gen),
      errors: setup.failed + gen.errors,
      connectedAfterIdle,
      serverSockets
    }
  } finally {
    await workers.release()
    await server.stop()
  }
}
