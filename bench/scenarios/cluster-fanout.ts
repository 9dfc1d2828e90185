/**
 * Cluster fan-out: the chat fan-out of scenario 1 at one fixed rate, on one node and then on two
 * nodes sharing PostgreSQL and a redis-server of the bench's own (the Redis streams adapter), in
 * the same run. Both layouts run on PostgreSQL (a fresh schema each), so the only difference is
 * the cluster. Clients are spread over the nodes evenly, senders too, so most deliveries cross
 * Redis. The cost is every server process's CPU (both nodes, and Redis from /proc) per delivery.
 */
import { listings } from '../../server/ticker/listings.ts'
import type { LatencySummary } from '../lib/histogram.ts'
import {
  checkGenerator, formatRate, generatorFigures, latencyOf, sleep, startServer, useWorkers, warn, withProgress,
  type BenchContext, type GeneratorFigures, type ServerHandle
} from '../lib/harness.ts'
import type { ServerStats } from '../lib/server-stats.ts'
import { createPostgresDatabase } from '../lib/bench-database.ts'
import { clusterSkipReason, startBenchRedis } from '../lib/services.ts'
import type { ClientSpec } from '../load/worker.ts'
import { drain, verifyDelivery } from './chat-fanout.ts'

export const layouts = ['single', 'cluster'] as const
export type Layout = typeof layouts[number]

export interface ClusterLayoutResult {
  nodes: number
  rate: number
  achievedRate: number
  deliveriesPerSec: number
  /** Every server process's CPU (the nodes, and Redis in the cluster) per delivery, µs. */
  cpuPerDeliveryUs: number
  /** CPU of each node over the window, in cores (1 = one core busy). */
  nodeCpu: number[]
  /** Redis's CPU over the window, in cores (0 alone: no Redis). */
  redisCpu: number
  latency: LatencySummary
  generator: GeneratorFigures
  errors: number
  clientsOpen: number
  lost: number
  duplicated: number
  ticker: ClusterTickerResult
}

/**
 * Waits until every node holds no socket and answers promptly: right after a thousand clients
 * left, a node on a shared core was seen answering no handshake for 20-30 s.
 */
async function settled (nodes: ServerHandle[]) {
  const until = performance.now() + 120_000
  while (performance.now() < until) {
    const started = performance.now()
    const counts = await Promise.all(nodes.map((node) => node.rpc.call<Record<string, number>>('socketCounts', { namespaces: ['/chat', '/ticker'] })))
    if (counts.every((count) => Object.values(count).every((n) => n === 0)) && performance.now() - started < 50) return
    await sleep(250)
  }
}

/** Ticker viewers on one node: each must get one frame per tick of that node. */
export interface ClusterTickerNode {
  ticksPerSec: number
  /** Frames over clients x ticks: 1 when every client got one frame per tick. */
  framesPerClientPerTick: number
  /** Frames that were a client's second of the same tick. */
  extraFrames: number
  p99Ms: number
  duplicated: number
}

/** The ticker check of every node (clients on one node at a time), and its worst figures. */
export interface ClusterTickerResult extends ClusterTickerNode {
  /** Viewers connected to each node in turn. */
  clients: number
  nodes: ClusterTickerNode[]
  /** The lowest node's frames per client per tick (framesPerClientPerTick), and the highest. */
  maxFramesPerClientPerTick: number
}

export interface ClusterFanoutResult {
  /** Why the scenario did not run (no PostgreSQL or no redis-server), or null. */
  skipped: string | null
  clients: number
  senders: number
  rate: number
  layouts: Partial<Record<Layout, ClusterLayoutResult>>
}

export async function runClusterFanout (ctx: BenchContext): Promise<ClusterFanoutResult> {
  // A rate one node sustains comfortably on the 2-core machine even when it is shared (its max is
  // about 190 msg/s with 1,000 clients on a quiet machine; at 50 msg/s on a machine at load 8 the
  // single node fell behind): the servers of both layouts share one core, Redis included.
  const sizes = ctx.quick
    ? { clients: 24, senders: 24, rate: 10, warmMs: 500, windowMs: 1500, tickerClients: 20, tickerWarmMs: 1000, tickerMs: 2000 }
    // A long ticker warm-up on fresh nodes: node 2 of the cluster gave 0.974 frames per client per
    // tick after 3 s, 1.000 after 10 s (one run each).
    : { clients: 1000, senders: 100, rate: 20, warmMs: 2000, windowMs: 8000, tickerClients: 2000, tickerWarmMs: 10000, tickerMs: 5000 }
  const result: ClusterFanoutResult = { skipped: null, clients: sizes.clients, senders: sizes.senders, rate: sizes.rate, layouts: {} }
  const skipped = await clusterSkipReason()
  if (skipped) {
    result.skipped = skipped
    warn(ctx, `cluster-fanout skipped: ${skipped}`)
    return result
  }
  for (const layout of layouts) {
    if (ctx.aborted) break
    result.layouts[layout] = await runLayout(ctx, layout, sizes)
  }
  return result
}

async function runLayout (ctx: BenchContext, layout: Layout, sizes: {
  clients: number, senders: number, rate: number, warmMs: number, windowMs: number, tickerClients: number, tickerWarmMs: number, tickerMs: number
}): Promise<ClusterLayoutResult> {
  const label = `cluster-fanout ${layout}`
  const nodeCount = layout === 'cluster' ? 2 : 1
  const n = sizes.clients
  const database = await createPostgresDatabase()
  const redis = layout === 'cluster' ? await startBenchRedis(ctx.plan.server) : null
  const nodes: ServerHandle[] = []
  const workers = await useWorkers(ctx)
  try {
    // One after the other: the first node migrates the fresh schema.
    for (let i = 0; i < nodeCount; i++) {
      nodes.push(await startServer(ctx, 'hubbub', {
        database,
        env: redis ? { BENCH_REDIS_URL: redis.url, BENCH_NODE_NAME: `bench-${'ab'[i]}` } : {}
      }))
    }
    const first = nodes[0]!
    const users = await withProgress(ctx, null, `${label}: seeding ${n} users`, first.rpc.call<{ token: string }[]>('seedUsers', { count: n, prefix: 'fan' }, 300_000))
    const roomId = (await first.rpc.call<string[]>('createRooms', { count: 1, prefix: 'fanout' }))[0]!

    // Client i goes to node (i / workers) mod nodes: every worker holds clients of every node, and
    // the senders (clients 0..senders-1) are spread over the nodes like everyone else.
    const nodeOf = (index: number) => Math.floor(index / workers.rpcs.length) % nodeCount
    // The ticker first, on fresh nodes: anonymous viewers, each following 20 symbols, on one node
    // at a time, so the ticks counted (the distinct tick stamps the clients saw) are that node's.
    const connect = async (count: number, namespace: string, nodeOfClient: (index: number) => number, tokens?: string[]) => {
      for (const [node, server] of nodes.entries()) {
        const specs: ClientSpec[][] = workers.rpcs.map(() => [])
        for (let index = 0; index < count; index++) {
          if (nodeOfClient(index) === node) specs[workers.owner(index)]!.push(tokens ? { index, token: tokens[index]! } : { index })
        }
        if (specs.every((spec) => spec.length === 0)) continue
        const setups = await withProgress(ctx, workers, `${label}: connecting ${namespace} clients to node ${node + 1}`, workers.all<{ failed: number, firstErrors: string[] }>('setup',
          (w) => ({ kind: 'sio', url: server.url, namespaces: [namespace], concurrency: 25, clients: specs[w], timeoutMs: 120_000 }), 600_000))
        const failed = setups.reduce((sum, s) => sum + s.failed, 0)
        if (failed > 0) throw new Error(`${label}: ${failed} clients failed to connect to node ${node + 1}: ${setups.flatMap((s) => s.firstErrors).join('; ')}`)
      }
    }
    const universe = listings.map((listing) => listing.symbol)
    const tickerNodes: ClusterTickerNode[] = []
    for (const node of nodes.keys()) {
      await connect(sizes.tickerClients, '/ticker', () => node)
      const subscribed = await withProgress(ctx, workers, `${label}: subscribing ticker clients`, workers.all<{ failed: number, firstErrors: string[] }>(
        'tickerSubscribe', () => ({ universe, perClient: 20, concurrency: 25 }), 300_000))
      const subscribeFailed = subscribed.reduce((sum, s) => sum + s.failed, 0)
      if (subscribeFailed > 0) throw new Error(`${label}: ${subscribeFailed} ticker subscriptions failed: ${subscribed.flatMap((s) => s.firstErrors).join('; ')}`)
      await withProgress(ctx, workers, `${label}: ticker on node ${node + 1} warming up`, sleep(sizes.tickerWarmMs))
      await workers.resetWindow()
      await withProgress(ctx, workers, `${label}: ticker on node ${node + 1} measuring`, sleep(sizes.tickerMs))
      const ticker = await workers.readWindow()
      tickerNodes.push({
        ticksPerSec: ticker.ticksPerSec,
        framesPerClientPerTick: ticker.framesPerClientPerTick,
        extraFrames: ticker.extraFrames,
        p99Ms: latencyOf(ticker.latency).p99,
        duplicated: ticker.duplicates
      })
      await workers.release()
      await settled(nodes)
    }

    await connect(n, '/chat', nodeOf, users.map((user) => user.token))
    const joins = await withProgress(ctx, workers, `${label}: joining the room`, workers.all<{ failed: number }>('chatJoin', () => ({ roomOf: roomId, concurrency: 25 }), 300_000))
    const joinFailed = joins.reduce((sum, j) => sum + j.failed, 0)
    if (joinFailed > 0) throw new Error(`${label}: ${joinFailed} clients could not join the room`)

    const senders = Array.from({ length: Math.min(sizes.senders, n) }, (_, i) => i)
    const sendersOf = (worker: number) => senders.filter((i) => workers.owner(i) === worker)
    const window = async (durationMs: number, what: string) => {
      await Promise.all([...nodes.map((node) => node.rpc.call('statsReset')), workers.resetWindow()])
      const redisBefore = redis?.cpuMs() ?? 0
      await withProgress(ctx, workers, `${label}: ${what} ${sizes.rate} msg/s`, workers.all('chatSend', (w) => ({
        rate: (sizes.rate * sendersOf(w).length) / senders.length,
        durationMs,
        senders: sendersOf(w)
      }), durationMs + 60_000))
      await sleep(Math.min(250, durationMs / 12))
      const [stats, gen] = await Promise.all([Promise.all(nodes.map((node) => node.rpc.call<ServerStats>('statsRead'))), workers.readWindow()])
      const redisCpuMs = (redis?.cpuMs() ?? 0) - redisBefore
      await drain(workers, n, 5000)
      return { stats, gen, redisCpuMs }
    }
    await window(sizes.warmMs, 'warm-up at')
    const { stats, gen, redisCpuMs } = await window(sizes.windowMs, 'measuring at')
    checkGenerator(ctx, `${label} at ${sizes.rate} msg/s`, gen)
    const cpuMs = stats.reduce((sum, s) => sum + s.cpuMs, 0) + redisCpuMs
    const wallMs = Math.max(...stats.map((s) => s.wallMs))

    const delivery = await verifyDelivery(workers, n)
    const result: ClusterLayoutResult = {
      nodes: nodeCount,
      rate: sizes.rate,
      achievedRate: gen.sent / (sizes.windowMs / 1000),
      deliveriesPerSec: gen.deliveries / (sizes.windowMs / 1000),
      cpuPerDeliveryUs: gen.deliveries ? (cpuMs * 1000) / gen.deliveries : 0,
      nodeCpu: stats.map((s) => s.cpuUtil),
      redisCpu: redisCpuMs / wallMs,
      latency: latencyOf(gen.latency),
      generator: generatorFigures(gen),
      errors: gen.errors,
      ...delivery,
      ticker: {
        clients: sizes.tickerClients,
        nodes: tickerNodes,
        framesPerClientPerTick: Math.min(...tickerNodes.map((t) => t.framesPerClientPerTick)),
        maxFramesPerClientPerTick: Math.max(...tickerNodes.map((t) => t.framesPerClientPerTick)),
        extraFrames: tickerNodes.reduce((sum, t) => sum + t.extraFrames, 0),
        ticksPerSec: Math.min(...tickerNodes.map((t) => t.ticksPerSec)),
        p99Ms: Math.max(...tickerNodes.map((t) => t.p99Ms)),
        duplicated: tickerNodes.reduce((sum, t) => sum + t.duplicated, 0)
      }
    }
    ctx.progress.log(`  ${label}: ${nodeCount} node(s) at ${sizes.rate} msg/s -> ${formatRate(result.deliveriesPerSec)} deliveries/s, ` +
      `${result.cpuPerDeliveryUs.toFixed(2)} µs server CPU per delivery (nodes ${result.nodeCpu.map((c) => `${(c * 100).toFixed(0)}%`).join(' + ')}, ` +
      `Redis ${(result.redisCpu * 100).toFixed(0)}%), p99 ${result.latency.p99.toFixed(1)} ms; ticker ${result.ticker.framesPerClientPerTick.toFixed(3)} frames per client per tick`)
    return result
  } finally {
    await workers.release()
    for (const node of nodes) await node.stop()
    await redis?.stop()
    await database.remove()
  }
}
