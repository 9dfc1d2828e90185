/**
 * Scenario 2, ticker fan-out: N clients on /ticker, each following K of the listed symbols, at
 * the default tick rate. Hubbub promises one `ticker:quotes` frame per client per tick. Baselines
 * in the same run: plain Socket.IO with the naive emit, one `ticker:quote` event per changed
 * symbol to that symbol's room (compared: quote deliveries per server CPU-second), and raw ws
 * writing one frame per client per tick, each quote's JSON made once (the floor of the tick
 * latency on this machine, with the same generator reading the same frames without Socket.IO).
 */
import { loadConfig } from '../../server/config.ts'
import { listings } from '../../server/ticker/listings.ts'
import type { LatencySummary } from '../lib/histogram.ts'
import {
  checkGenerator, generatorFigures, latencyOf, profileWindow, serverFigures, sleep, startServer, targetLabels, useWorkers, warn, withProgress,
  type BenchContext, type GeneratorFigures, type ServerFigures
} from '../lib/harness.ts'
import type { ServerStats } from '../lib/server-stats.ts'

type TickerTarget = 'hubbub' | 'naive' | 'raw'

export interface TickerTargetResult {
  target: TickerTarget
  clients: number
  symbolsPerClient: number
  tickHz: number
  windowSec: number
  framesPerSec: number
  quotesPerSec: number
  /** Quote deliveries per second of server CPU time. */
  quotesPerCpuSec: number
  /** Ticks a second the server actually made (distinct tick timestamps seen), against tickHz asked. */
  ticksPerSec: number
  /** Frames a client got per tick the server made (Hubbub: at most 1). */
  framesPerClientPerTick: number
  /** Ticks on which a client got more than one frame. */
  extraFrames: number
  latency: LatencySummary
  /** Per tick, from the tick to its last frame handed to the kernel: the server's share of the latency. */
  push: LatencySummary
  server: ServerFigures
  generator: GeneratorFigures
  /**
   * Generator CPU per tick (ms): what reading one tick's frames costs the load generator. Frames
   * of a tick arrive together, so no client can have read its frame sooner than about this.
   */
  generatorMsPerTick: number
  errors: number
  /** Quotes of a followed symbol that never arrived (skipped seqs: the protocol lets a slow client skip to the newest). */
  lost: number
  duplicated: number
}

export interface TickerFanoutResult {
  status: 'ok' | 'unavailable'
  note?: string
  clients: number
  symbols: number
  symbolsPerClient: number
  tickHz: number
  targets: Partial<Record<TickerTarget, TickerTargetResult>>
}

export async function runTickerFanout (ctx: BenchContext): Promise<TickerFanoutResult> {
  const sizes = ctx.quick
    ? { clients: 30, perClient: 20, warmMs: 1000, windowMs: 2000 }
    : { clients: 5000, perClient: 20, warmMs: 3000, windowMs: 8000 }
  const tickHz = loadConfig({}).tickerHz
  const universe = listings.map((listing) => listing.symbol)
  const result: TickerFanoutResult = {
    status: 'ok', clients: sizes.clients, symbols: universe.length, symbolsPerClient: sizes.perClient, tickHz, targets: {}
  }
  for (const target of ['hubbub', 'naive', 'raw'] as TickerTarget[]) {
    if (ctx.aborted) break
    const run = await runTarget(ctx, target, { ...sizes, tickHz, universe })
    if (run === 'unavailable') {
      result.status = 'unavailable'
      result.note = 'Hubbub has no /ticker handlers yet (ticker:subscribe is not answered); the harness ran the baseline only.'
      ctx.warnings.push(`ticker-fanout: ${result.note}`)
      continue
    }
    result.targets[target] = run
  }
  return result
}

async function runTarget (ctx: BenchContext, target: TickerTarget, sizes: {
  clients: number, perClient: number, warmMs: number, windowMs: number, tickHz: number, universe: string[]
}): Promise<TickerTargetResult | 'unavailable'> {
  const label = `ticker-fanout ${target === 'naive' ? 'naive per-symbol emit (plain Socket.IO)' : targetLabels[target]}`
  const server = target === 'hubbub'
    ? await startServer(ctx, 'hubbub')
    : await startServer(ctx, target === 'naive' ? 'plain' : 'raw', { env: { BENCH_TICKER: target } })
  const workers = await useWorkers(ctx)
  try {
    if (target === 'hubbub' && !await server.rpc.call<boolean>('tickerReady')) return 'unavailable'
    const setup = await withProgress(ctx, workers, `${label}: connecting ${sizes.clients} clients`,
      workers.setup({ kind: target === 'raw' ? 'ws' : 'sio', url: server.url, namespaces: ['/ticker'], concurrency: 25 }, sizes.clients))
    if (setup.failed > 0) throw new Error(`${label}: ${setup.failed} clients failed to connect: ${setup.firstErrors.join('; ')}`)
    const subscribed = await withProgress(ctx, workers, `${label}: subscribing`, workers.all<{ subscribed: number, failed: number, firstErrors: string[] }>(
      'tickerSubscribe', () => ({ universe: sizes.universe, perClient: sizes.perClient, concurrency: 25 }), 300_000))
    const failed = subscribed.reduce((sum, s) => sum + s.failed, 0)
    if (failed > 0) throw new Error(`${label}: ${failed} subscriptions failed: ${subscribed.flatMap((s) => s.firstErrors).join('; ')}`)

    await withProgress(ctx, workers, `${label}: warming up`, sleep(sizes.warmMs))
    const profiled = await profileWindow(ctx, server, `ticker-fanout-${target}`)
    await Promise.all([server.rpc.call('statsReset'), workers.resetWindow()])
    await withProgress(ctx, workers, `${label}: measuring`, sleep(sizes.windowMs))
    const [stats, gen] = await Promise.all([server.rpc.call<ServerStats>('statsRead', { gc: true }), workers.readWindow()])
    await profiled()
    checkGenerator(ctx, label, gen)
    const seconds = gen.wallMs / 1000
    const latency = latencyOf(gen.latency)
    const push = latencyOf(stats.push)
    const generatorMsPerTick = gen.cpuCores * 1000 / Math.max(1e-9, gen.ticksPerSec)
    if (generatorMsPerTick >= 0.8 * latency.p99) {
      // Not saturated on average, but every tick's frames arrive together: reading them is a burst.
      warn(ctx, `${label}: reading one tick's frames took the load generator ${generatorMsPerTick.toFixed(0)} ms of CPU on its ` +
        `${ctx.plan.generatorCores} core(s), so the p99 of ${latency.p99.toFixed(0)} ms is mostly the generator's, not the server's`)
    }
    ctx.progress.log(`  ${label}: ${(gen.quotes / seconds).toFixed(0)} quotes/s in ${(gen.frames / seconds).toFixed(0)} frames/s, ` +
      `${(gen.quotes / (stats.cpuMs / 1000)).toFixed(0)} quotes per CPU-second, p99 ${latency.p99.toFixed(1)} ms ` +
      `(server push p99 ${push.p99.toFixed(1)} ms), server CPU ${(stats.cpuUtil * 100).toFixed(0)}%`)
    return {
      target,
      clients: sizes.clients,
      symbolsPerClient: sizes.perClient,
      tickHz: sizes.tickHz,
      windowSec: seconds,
      framesPerSec: gen.frames / seconds,
      quotesPerSec: gen.quotes / seconds,
      quotesPerCpuSec: stats.cpuMs > 0 ? gen.quotes / (stats.cpuMs / 1000) : 0,
      ticksPerSec: gen.ticksPerSec,
      framesPerClientPerTick: gen.framesPerClientPerTick,
      extraFrames: gen.extraFrames,
      latency,
      push,
      server: serverFigures(stats),
      generator: generatorFigures(gen),
      generatorMsPerTick,
      errors: gen.errors + gen.connectErrors,
      lost: gen.seqGaps,
      duplicated: gen.duplicates
    }
  } finally {
    await workers.release()
    await server.stop()
  }
}
