import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createSqliteDatabase, type BenchDatabase } from './bench-database.ts'
import { mergeHistograms, summarize, type HistogramData, type LatencySummary } from './histogram.ts'
import { startChild, type CpuPlan } from './processes.ts'
import type { Progress } from './progress.ts'
import type { RpcClient } from './rpc.ts'
import type { ServerStats } from './server-stats.ts'
import type { ClientSpec, SetupParams } from '../load/worker.ts'

export type Target = 'hubbub' | 'plain' | 'raw'

export const targetLabels: Record<Target, string> = {
  hubbub: 'Hubbub',
  plain: 'plain Socket.IO',
  raw: 'raw ws'
}

export interface BenchContext {
  quick: boolean
  plan: CpuPlan
  progress: Progress
  workerCount: number
  warnings: string[]
  /** Set when the run is being aborted (Ctrl-C): scenarios stop at the next step. */
  aborted: boolean
  /** With --profile: servers write a V8 CPU profile of each measurement window here. */
  profileDir: string | null
  /** The generator, started once and shared by every scenario (see useWorkers). */
  workers?: Workers
}

export interface ServerHandle {
  target: Target
  rpc: RpcClient
  url: string
  port: number
  /** Hubbub's database (a baseline has none). */
  database: BenchDatabase | null
  /** Stops the server (gracefully unless kill); removes its database if it made it. */
  stop: (options?: { kill?: boolean }) => Promise<void>
}

const serverFiles: Record<Target, string> = {
  hubbub: 'hubbub-server.ts',
  plain: 'baselines/plain-socketio-server.ts',
  raw: 'baselines/raw-ws-server.ts'
}

/**
 * Starts a server under test on the server core; resolves once it listens. Hubbub runs on
 * `database` (which the caller removes), else on a temp SQLite file removed when it stops.
 */
export async function startServer (ctx: BenchContext, target: Target, { port = 0, database, env = {} }: {
  port?: number, database?: BenchDatabase, env?: Record<string, string>
} = {}): Promise<ServerHandle> {
  const owned = target === 'hubbub' && !database ? createSqliteDatabase() : null
  const db = database ?? owned
  const rpc = startChild({
    name: target,
    file: serverFiles[target],
    cpus: ctx.plan.server,
    nodeArgs: ['--expose-gc'],
    env: { BENCH_PORT: String(port), ...(db && { BENCH_DATABASE_URL: db.url }), ...env },
    progress: ctx.progress
  })
  const stop = async ({ kill = false } = {}) => {
    await rpc.stop(15_000, kill ? 'SIGKILL' : 'SIGTERM')
    await owned?.remove()
  }
  try {
    const ready = await rpc.once<{ port: number }>('ready', 60_000)
    return { target, rpc, port: ready.port, url: `http://127.0.0.1:${ready.port}`, database: db, stop }
  } catch (error) {
    await stop({ kill: true })
    throw error
  }
}

/**
 * With --profile, a V8 CPU profile of the server over one measurement window: call before the
 * window, and call the function it returns after. Without --profile, nothing.
 */
export async function profileWindow (ctx: BenchContext, server: ServerHandle, name: string): Promise<() => Promise<void>> {
  if (!ctx.profileDir) return async () => {}
  mkdirSync(ctx.profileDir, { recursive: true })
  await server.rpc.call('profileStart')
  return async () => {
    const file = join(ctx.profileDir!, `${name.replace(/[^\w.-]+/g, '-')}.cpuprofile`)
    await server.rpc.call('profileStop', { file })
    ctx.progress.log(`  CPU profile: ${file}`)
  }
}

export interface WorkerWindow {
  wallMs: number
  cpuMs: number
  elu: number
  deliveries: number
  latency: HistogramData
  ackLatency: HistogramData
  sent: number
  acked: number
  /** JSON length of what the sampled acks carried (chat: the same content as the push). */
  ackBytes: number
  ackSamples: number
  errors: number
  errorCodes: Record<string, number>
  frames: number
  quotes: number
  extraFrames: number
  ticks: number[]
  /** Ticker: one frame per tick for each client, between its first and last frame of the window. */
  expectedFrames: number
  connected: number
  disconnects: number
  connectErrors: number
  duplicates: number
  seqGaps: number
  rss: number
}

/** The generator: several worker processes on the generator cores, each holding a share of the clients. */
export class Workers {
  readonly rpcs: RpcClient[]
  readonly ctx: BenchContext

  constructor (ctx: BenchContext) {
    this.ctx = ctx
    this.rpcs = Array.from({ length: ctx.workerCount }, (_, i) => startChild({
      name: `worker${i}`,
      file: 'load/worker.ts',
      cpus: ctx.plan.generator,
      nodeArgs: ['--max-old-space-size=2048'],
      progress: ctx.progress
    }))
  }

  /** Calls a method on every worker, with params made per worker. */
  all<T = any> (method: string, params: (worker: number) => unknown = () => ({}), timeoutMs?: number): Promise<T[]> {
    return Promise.all(this.rpcs.map((rpc, i) => rpc.call<T>(method, params(i), timeoutMs)))
  }

  /** Which worker holds client i. */
  owner (index: number) {
    return index % this.rpcs.length
  }

  /** Connects clients 0..count-1, spread over the workers; returns the connect rate and failures. */
  async setup (params: Omit<SetupParams, 'clients'>, count: number, tokens?: string[]) {
    const specs: ClientSpec[][] = this.rpcs.map(() => [])
    for (let index = 0; index < count; index++) {
      const token = tokens?.[index]
      specs[this.owner(index)]!.push(token === undefined ? { index } : { index, token })
    }
    const started = performance.now()
    const results = await this.all<{ connected: number, failed: number, firstErrors: string[], connectMs: HistogramData }>(
      'setup', (i) => ({ ...params, clients: specs[i] }), 600_000)
    const wallMs = performance.now() - started
    const connected = results.reduce((sum, r) => sum + r.connected, 0)
    const failed = results.reduce((sum, r) => sum + r.failed, 0)
    const firstErrors = results.flatMap((r) => r.firstErrors)
    return { connected, failed, firstErrors, wallMs, perSecond: connected / (wallMs / 1000), connectMs: summarize(mergeHistograms(results.map((r) => r.connectMs))) }
  }

  async resetWindow () {
    await this.all('resetWindow')
  }

  async readWindow (): Promise<GeneratorWindow> {
    return combineWindows(await this.all<WorkerWindow>('readWindow'), this.ctx.plan.generatorCores)
  }

  async peek () {
    const peeks = await this.all<{
      deliveries: number, totalAcked: number, reactionDeliveries: number, reactionAcked: number, inFlight: number, sent: number, acked: number, errors: number, connected: number
    }>('peek')
    return peeks.reduce((sum, p) => ({
      deliveries: sum.deliveries + p.deliveries,
      totalAcked: sum.totalAcked + p.totalAcked,
      reactionDeliveries: sum.reactionDeliveries + p.reactionDeliveries,
      reactionAcked: sum.reactionAcked + p.reactionAcked,
      inFlight: sum.inFlight + p.inFlight,
      sent: sum.sent + p.sent,
      acked: sum.acked + p.acked,
      errors: sum.errors + p.errors,
      connected: sum.connected + p.connected
    }))
  }

  /** Closes every client and forgets every counter, so the next scenario starts clean. */
  async release () {
    await Promise.all(this.rpcs.map(async (rpc) => {
      try { await rpc.call('reset', {}, 60_000) } catch {}
    }))
  }

  async stop () {
    await Promise.all(this.rpcs.map(async (rpc) => {
      try { await rpc.call('reset', {}, 30_000) } catch {}
      await rpc.stop(5_000)
    }))
  }
}

/** The generator's workers: started on first use and kept for the run (starting them costs seconds). */
export async function useWorkers (ctx: BenchContext) {
  if (ctx.workers && ctx.workers.rpcs.some((rpc) => !rpc.alive)) {
    await ctx.workers.stop()
    ctx.workers = undefined
  }
  ctx.workers ??= new Workers(ctx)
  return ctx.workers
}

/** What the whole generator saw in one window: the workers' counts summed, and its load. */
export interface GeneratorWindow extends Omit<WorkerWindow, 'cpuMs' | 'elu' | 'ticks'> {
  /** Distinct tick timestamps seen by any client. */
  ticks: number
  /** The server's tick rate, from the stamps themselves (the window's edges cut ticks in two). */
  ticksPerSec: number
  /** Frames over the frames expected (`expectedFrames`): 1 when every client got one frame per tick. */
  framesPerClientPerTick: number
  /** Generator CPU, in cores (1 = one core busy). */
  cpuCores: number
  /** cpuCores over the cores the generator may use. */
  cpuShare: number
  /** The busiest worker's event-loop utilization. */
  maxElu: number
  saturated: boolean
}

export function combineWindows (windows: WorkerWindow[], generatorCores: number): GeneratorWindow {
  const sum = (pick: (w: WorkerWindow) => number) => windows.reduce((total, w) => total + pick(w), 0)
  const wallMs = Math.max(...windows.map((w) => w.wallMs))
  const cpuCores = sum((w) => w.cpuMs) / wallMs
  const cpuShare = cpuCores / Math.max(1, generatorCores)
  const maxElu = Math.max(...windows.map((w) => w.elu))
  const errorCodes: Record<string, number> = {}
  for (const w of windows) for (const [code, n] of Object.entries(w.errorCodes)) errorCodes[code] = (errorCodes[code] ?? 0) + n
  const stamps = [...new Set(windows.flatMap((w) => w.ticks))].sort((a, b) => a - b)
  return {
    wallMs,
    deliveries: sum((w) => w.deliveries),
    latency: mergeHistograms(windows.map((w) => w.latency)),
    ackLatency: mergeHistograms(windows.map((w) => w.ackLatency)),
    sent: sum((w) => w.sent),
    acked: sum((w) => w.acked),
    ackBytes: sum((w) => w.ackBytes),
    ackSamples: sum((w) => w.ackSamples),
    errors: sum((w) => w.errors),
    errorCodes,
    frames: sum((w) => w.frames),
    quotes: sum((w) => w.quotes),
    extraFrames: sum((w) => w.extraFrames),
    ticks: stamps.length,
    ticksPerSec: stamps.length > 1 ? (stamps.length - 1) / ((stamps.at(-1)! - stamps[0]!) / 1000) : 0,
    expectedFrames: sum((w) => w.expectedFrames),
    framesPerClientPerTick: sum((w) => w.frames) / Math.max(1, sum((w) => w.expectedFrames)),
    connected: sum((w) => w.connected),
    disconnects: sum((w) => w.disconnects),
    connectErrors: sum((w) => w.connectErrors),
    duplicates: sum((w) => w.duplicates),
    seqGaps: sum((w) => w.seqGaps),
    cpuCores,
    cpuShare,
    maxElu,
    // Past 90% of its cores (or one worker's loop nearly always busy) the generator may be what limits.
    saturated: cpuShare >= 0.9 || maxElu >= 0.95,
    rss: sum((w) => w.rss)
  }
}

/** The figures every scenario reports about a server over a window. */
export interface ServerFigures {
  cpuUtil: number
  /** Event-loop utilization: near 1, the server had no idle moment (even if the OS gave it less than a core). */
  elu: number
  cpuMs: number
  rssMiB: number
  rssPeakMiB: number
  heapMiB: number
  eldP99Ms: number
  eldMaxMs: number
}

const MiB = 1024 * 1024
export const serverFigures = (stats: ServerStats): ServerFigures => ({
  cpuUtil: stats.cpuUtil,
  elu: stats.elu,
  cpuMs: stats.cpuMs,
  rssMiB: stats.rss / MiB,
  rssPeakMiB: stats.rssPeak / MiB,
  heapMiB: stats.heapUsed / MiB,
  eldP99Ms: stats.eldP99,
  eldMaxMs: stats.eldMax
})

export interface GeneratorFigures {
  cpuCores: number
  cpuShare: number
  maxElu: number
  saturated: boolean
}

export const generatorFigures = (window: GeneratorWindow): GeneratorFigures => ({
  cpuCores: window.cpuCores,
  cpuShare: window.cpuShare,
  maxElu: window.maxElu,
  saturated: window.saturated
})

export const latencyOf = (data: HistogramData): LatencySummary => summarize(data)

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `work` while showing `label` and live counters on the progress line. */
export async function withProgress<T> (ctx: BenchContext, workers: Workers | null, label: string, work: Promise<T>): Promise<T> {
  const state = { stopped: false }
  let wake = () => {}
  const finished = new Promise<void>((resolve) => { wake = resolve })
  const started = performance.now()
  let last: { at: number, deliveries: number } | null = null
  const ticker = (async () => {
    while (!state.stopped) {
      let line = `${label}  ${((performance.now() - started) / 1000).toFixed(0)}s`
      if (workers) {
        try {
          const peek = await workers.peek()
          const t = performance.now()
          if (last && peek.deliveries > last.deliveries) line += `  deliveries ${formatRate((peek.deliveries - last.deliveries) / ((t - last.at) / 1000))}/s`
          line += `  clients ${peek.connected}`
          if (peek.errors) line += `  errors ${peek.errors}`
          last = { at: t, deliveries: peek.deliveries }
        } catch {}
      }
      ctx.progress.update(line)
      await Promise.race([sleep(500), finished])
    }
  })()
  try {
    return await work
  } finally {
    state.stopped = true
    wake()
    await ticker
  }
}

export function formatRate (n: number) {
  if (!Number.isFinite(n)) return '-'
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`
  return n.toFixed(0)
}

/** Warns (in the log and in the results) when the generator was saturated. */
export function checkGenerator (ctx: BenchContext, what: string, window: GeneratorWindow) {
  if (!window.saturated) return
  warn(ctx, `${what}: the load generator was saturated (${(window.cpuShare * 100).toFixed(0)}% of its ${ctx.plan.generatorCores} core(s), busiest loop ${(window.maxElu * 100).toFixed(0)}%): figures may show the generator's limit, not the server's`)
}

/** A warning printed now and kept in the report and the JSON. */
export function warn (ctx: BenchContext, warning: string) {
  ctx.warnings.push(warning)
  ctx.progress.log(`  warning: ${warning}`)
}
