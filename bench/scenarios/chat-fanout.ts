/**
 * Scenario 1, chat fan-out: N signed-in clients in one room, S of them sending at a steady total
 * rate, every message pushed to the N-1 others. The rate climbs in steps until the server stops
 * keeping up; the last step that kept up is the maximal sustained rate. The same job runs against
 * plain Socket.IO and raw ws for the ratios.
 *
 * Then every target runs one more window at the same reference rate, half of Hubbub's maximal
 * rate: Hubbub's latency target is set there, and CPU per delivery is compared there, at equal
 * load (per-delivery cost falls as load rises, since more frames share each read and write, so
 * costs measured at each target's own maximum would not compare like with like).
 *
 * Hubbub alone then runs the reference rate once more with reactions instead of messages: as
 * many `chat:react` toggles a second, pushed as `chat:reactions` to the same room through the
 * same publisher, so that a reaction's CPU per delivery compares with a message's in one run.
 */
import type { LatencySummary } from '../lib/histogram.ts'
import {
  checkGenerator, formatRate, generatorFigures, latencyOf, profileWindow, serverFigures, sleep, startServer, targetLabels, useWorkers, warn, withProgress, Workers,
  type BenchContext, type GeneratorFigures, type ServerFigures, type Target
} from '../lib/harness.ts'
import type { ServerStats } from '../lib/server-stats.ts'

export interface ChatStep {
  rate: number
  achievedRate: number
  deliveriesPerSec: number
  latency: LatencySummary
  ackP99Ms: number
  cpuPerDeliveryUs: number
  serverCpuUtil: number
  generatorCpuShare: number
  sustained: boolean
  why: string
}

export interface ChatTargetResult {
  target: Target
  clients: number
  senders: number
  connectPerSec: number
  /** Messages a second at the maximal sustained rate. */
  maxRate: number
  deliveriesPerSec: number
  cpuPerDeliveryUs: number
  /**
   * What limited the maximal rate, from the step that failed: the server (its event loop had no
   * idle time left), the generator (saturated), both, the top of the ramp, or unclear.
   */
  limitedBy: 'server' | 'generator' | 'server+generator' | 'ramp' | 'unclear'
  /** Deliveries per second of server CPU at the maximal rate: capacity independent of the generator. */
  deliveriesPerCpuSec: number
  latencyAtMax: LatencySummary
  /** The window at the reference rate, the same for every target (half of Hubbub's maximal rate). */
  reference: {
    rate: number
    deliveriesPerSec: number
    cpuPerDeliveryUs: number
    serverCpuUtil: number
    latency: LatencySummary
    ackP99Ms: number
    server: ServerFigures
    generator: GeneratorFigures
  }
  server: ServerFigures
  generator: GeneratorFigures
  errors: number
  /** Clients still connected at the end (every one of them, or some dropped). */
  clientsOpen: number
  /** Acknowledged messages some other client never got, dropped clients included. */
  lost: number
  duplicated: number
  steps: ChatStep[]
  /** Hubbub only: the reference rate again, with reaction toggles instead of messages. */
  reactions?: ReactionResult
}

export interface ReactionResult {
  /** Toggles a second: the reference rate. */
  rate: number
  /** Users toggling (enough that each stays below the per-user limit). */
  senders: number
  /** Messages reacted to: each sender toggles on one of them, alternating between the emoji. */
  messages: number
  emoji: string[]
  deliveriesPerSec: number
  cpuPerDeliveryUs: number
  /**
   * Messages' CPU per delivery for the ratio: the mean of the reference window (before the
   * reactions) and of one more message window after them, whose spread shows the noise.
   */
  messageCpuPerDeliveryUs: number
  messageWindowsUs: [before: number, after: number]
  serverCpuUtil: number
  /** Mean JSON length of a push's payload, reactions and messages (read from the acks, which carry the same). */
  pushBytes: number
  messagePushBytes: number
  ackLatency: LatencySummary
  server: ServerFigures
  generator: GeneratorFigures
  errors: number
  /** Acked toggles' pushes some other client never got, dropped clients included. */
  lost: number
  duplicated: number
  /** Pushes of toggles never acked (a push without its ack would be an error of its own). */
  unexpected: number
  /** (client, message) pairs whose newest known state is not the newest acked one. */
  stale: number
}

export interface ChatFanoutResult {
  clients: number
  senders: number
  /** msg/s of the reference window: half of Hubbub's maximal sustained rate. */
  referenceRate: number
  targets: Partial<Record<Target, ChatTargetResult>>
}

/** The per-user send limit is 10/s with bursts of 20; senders stay below it. */
const PER_SENDER_MAX_RATE = 8
/** The per-user reaction limit is 5/s with bursts of 30 (`Limits.chatReact`); reactors stay below it. */
const PER_REACTOR_MAX_RATE = 4
/** Reactors per message reacted to: a message with a few reactions, as in a lively room. */
const REACTORS_PER_MESSAGE = 4
const REACTION_EMOJI = ['👍', '🎉']

export async function runChatFanout (ctx: BenchContext): Promise<ChatFanoutResult> {
  const sizes = ctx.quick
    ? { clients: 24, senders: 24, startRate: 10, factor: 3, stepMs: 1200, maxSteps: 2, warmMs: 400, referenceMs: 1000 }
    : { clients: 1000, senders: 100, startRate: 20, factor: 1.5, stepMs: 3000, maxSteps: 12, warmMs: 1500, referenceMs: 5000 }
  const result: ChatFanoutResult = { clients: sizes.clients, senders: sizes.senders, referenceRate: 0, targets: {} }
  // Hubbub first: its maximal rate sets the reference rate of every target.
  for (const target of ['hubbub', 'plain', 'raw'] as Target[]) {
    if (ctx.aborted) break
    const run = await runTarget(ctx, target, sizes, (maxRate) => {
      result.referenceRate ||= Math.max(1, Math.round(maxRate / 2))
      return result.referenceRate
    })
    result.targets[target] = run
  }
  return result
}

async function runTarget (ctx: BenchContext, target: Target, sizes: {
  clients: number, senders: number, startRate: number, factor: number, stepMs: number, maxSteps: number, warmMs: number, referenceMs: number
}, referenceRate: (maxRate: number) => number): Promise<ChatTargetResult> {
  const label = `chat-fanout ${targetLabels[target]}`
  const n = sizes.clients
  const server = await startServer(ctx, target)
  const workers = await useWorkers(ctx)
  try {
    let tokens: string[] | undefined
    let roomId = 'fanout'
    if (target === 'hubbub') {
      const users = await server.rpc.call<{ token: string }[]>('seedUsers', { count: n, prefix: 'fan' })
      tokens = users.map((user) => user.token)
      roomId = (await server.rpc.call<string[]>('createRooms', { count: 1, prefix: 'fanout' }))[0]!
    }
    const setup = await withProgress(ctx, workers, `${label}: connecting ${n} clients`,
      workers.setup({ kind: target === 'raw' ? 'ws' : 'sio', url: server.url, namespaces: ['/chat'], concurrency: 25 }, n, tokens))
    if (setup.failed > 0) throw new Error(`${label}: ${setup.failed} clients failed to connect: ${setup.firstErrors.join('; ')}`)
    const joins = await withProgress(ctx, workers, `${label}: joining the room`, workers.all<{ joined: number, failed: number }>(
      'chatJoin', () => ({ roomOf: roomId, concurrency: 5 }), 300_000))
    const joinFailed = joins.reduce((sum, j) => sum + j.failed, 0)
    if (joinFailed > 0) throw new Error(`${label}: ${joinFailed} clients could not join the room`)

    const senders = Array.from({ length: Math.min(sizes.senders, n) }, (_, i) => i)
    const topRate = senders.length * PER_SENDER_MAX_RATE

    /**
     * One window at `rate`: send for durationMs, wait a short grace (so the last messages of the
     * window are not counted as a backlog), read both sides, then let any backlog drain.
     */
    const step = async (rate: number, durationMs: number, what: string, reactions?: { senders: number[], messageIds: string[] }): Promise<ChatStep & {
      stats: ServerStats, gen: Awaited<ReturnType<Workers['readWindow']>>
    }> => {
      const unit = reactions ? 'reactions/s' : 'msg/s'
      const profiled = await profileWindow(ctx, server, `chat-fanout-${target}-${what}-${rate.toFixed(0)}${reactions ? '-reactions' : ''}`)
      await Promise.all([server.rpc.call('statsReset'), workers.resetWindow()])
      const from = reactions?.senders ?? senders
      const mineOf = (worker: number) => from.filter((i) => workers.owner(i) === worker)
      await withProgress(ctx, workers, `${label}: ${what} ${rate.toFixed(0)} ${unit}`, workers.all(reactions ? 'chatReact' : 'chatSend', (w) => ({
        rate: (rate * mineOf(w).length) / from.length,
        durationMs,
        senders: mineOf(w),
        ...(reactions && { messageIds: reactions.messageIds, emoji: REACTION_EMOJI })
      }), durationMs + 60_000))
      await sleep(Math.min(250, durationMs / 12))
      const [stats, gen] = await Promise.all([server.rpc.call<ServerStats>('statsRead', { gc: true }), workers.readWindow()])
      await profiled()
      const drained = await drain(workers, n, 3000)
      // Deliveries of the messages sent in the window, over the time they were sent in.
      const seconds = durationMs / 1000
      const latency = latencyOf(gen.latency)
      const achievedRate = gen.sent / (durationMs / 1000)
      const expected = gen.sent * (n - 1)
      const why = [
        achievedRate < 0.97 * rate && `sent ${achievedRate.toFixed(0)}/s of ${rate.toFixed(0)}/s`,
        gen.deliveries < 0.95 * expected && `delivered ${((100 * gen.deliveries) / Math.max(1, expected)).toFixed(0)}% in the window`,
        !drained && 'backlog not drained within 3 s',
        gen.errors > 0 && `${gen.errors} errors ${JSON.stringify(gen.errorCodes)}`,
        latency.p99 > 1000 && `p99 ${latency.p99.toFixed(0)} ms`
      ].filter(Boolean).join(', ')
      checkGenerator(ctx, `${label} at ${rate.toFixed(0)} ${unit}`, gen)
      return {
        rate,
        achievedRate,
        deliveriesPerSec: gen.deliveries / seconds,
        latency,
        ackP99Ms: latencyOf(gen.ackLatency).p99,
        cpuPerDeliveryUs: gen.deliveries ? (stats.cpuMs * 1000) / gen.deliveries : 0,
        serverCpuUtil: stats.cpuUtil,
        generatorCpuShare: gen.cpuShare,
        sustained: why === '',
        why,
        stats,
        gen
      }
    }

    await step(sizes.startRate, sizes.warmMs, 'warm-up at')
    const steps: Awaited<ReturnType<typeof step>>[] = []
    let best: Awaited<ReturnType<typeof step>> | undefined
    let failedAt: number | undefined
    for (let i = 0, rate = sizes.startRate; i < sizes.maxSteps && rate <= topRate && !ctx.aborted; i++, rate = Math.round(rate * sizes.factor)) {
      const s = await step(rate, sizes.stepMs, `step ${i + 1} at`)
      steps.push(s)
      ctx.progress.log(`  ${label}: ${rate.toFixed(0)} msg/s -> ${formatRate(s.deliveriesPerSec)} deliveries/s, p99 ${s.latency.p99.toFixed(1)} ms, ` +
        `server CPU ${(s.serverCpuUtil * 100).toFixed(0)}%, generator ${(s.generatorCpuShare * 100).toFixed(0)}%${s.sustained ? '' : `  (not sustained: ${s.why})`}`)
      if (!s.sustained) {
        failedAt = rate
        break
      }
      best = s
    }
    // Two bisection steps between the last rate that held and the first that did not: the max
    // rate is then known to within about 11% (a factor of 1.5 ** 0.25), not 50%.
    for (let r = 0; r < 2 && best && failedAt !== undefined && !ctx.aborted && !ctx.quick; r++) {
      const rate = Math.round(Math.sqrt(best.rate * failedAt))
      if (rate <= best.rate || rate >= failedAt) break
      const s = await step(rate, sizes.stepMs, 'refining at')
      steps.push(s)
      ctx.progress.log(`  ${label}: ${rate} msg/s -> ${formatRate(s.deliveriesPerSec)} deliveries/s, p99 ${s.latency.p99.toFixed(1)} ms${s.sustained ? '' : `  (not sustained: ${s.why})`}`)
      if (s.sustained) best = s
      else failedAt = rate
    }
    // Nothing held (even the first step): report the first step as it is.
    const atMax = best ?? steps[0]!
    // The reference window measures a steady state: the backlog of the last (failed) step fully
    // delivered, then a warm-up at the reference rate. Without them, the catch-up after an overload
    // landed in the window (CPU per delivery 30% higher, p99 twice as high).
    await drain(workers, n, 30_000)
    const rate = referenceRate(atMax.rate)
    await step(rate, sizes.warmMs, 'settling at')
    const reference = await step(rate, sizes.referenceMs, 'reference rate')
    ctx.progress.log(`  ${label}: reference rate ${reference.rate.toFixed(0)} msg/s -> p50 ${reference.latency.p50.toFixed(1)} ms, ` +
      `p99 ${reference.latency.p99.toFixed(1)} ms, ${reference.cpuPerDeliveryUs.toFixed(2)} µs server CPU per delivery`)

    const reactions = target === 'hubbub' && !ctx.aborted
      ? await runReactions(ctx, workers, { n, rate, senders: senders.length, durationMs: sizes.referenceMs, warmMs: sizes.warmMs, messageReference: reference, step })
      : undefined

    // Every acknowledged message must have reached every other client exactly once.
    const delivery = await verifyDelivery(workers, n)
    const errors = steps.reduce((sum, s) => sum + s.gen.errors, 0) + reference.gen.errors

    const failed = steps.find((s) => !s.sustained)
    const serverBusy = failed !== undefined && failed.stats.elu >= 0.9
    const generatorBusy = failed !== undefined && failed.gen.saturated
    const limitedBy = failed === undefined
      ? 'ramp'
      : serverBusy && generatorBusy ? 'server+generator' : serverBusy ? 'server' : generatorBusy ? 'generator' : 'unclear'
    return {
      target,
      clients: n,
      senders: senders.length,
      connectPerSec: setup.perSecond,
      maxRate: atMax.rate,
      deliveriesPerSec: atMax.deliveriesPerSec,
      cpuPerDeliveryUs: atMax.cpuPerDeliveryUs,
      limitedBy,
      deliveriesPerCpuSec: atMax.cpuPerDeliveryUs > 0 ? 1e6 / atMax.cpuPerDeliveryUs : 0,
      latencyAtMax: atMax.latency,
      reference: {
        rate: reference.rate,
        deliveriesPerSec: reference.deliveriesPerSec,
        cpuPerDeliveryUs: reference.cpuPerDeliveryUs,
        serverCpuUtil: reference.serverCpuUtil,
        latency: reference.latency,
        ackP99Ms: reference.ackP99Ms,
        server: serverFigures(reference.stats),
        generator: generatorFigures(reference.gen)
      },
      server: serverFigures(atMax.stats),
      generator: generatorFigures(atMax.gen),
      errors,
      ...delivery,
      steps: steps.map(({ stats, gen, ...rest }) => rest),
      ...(reactions && { reactions: { ...reactions, ...await verifyReactions(workers) } })
    }
  } finally {
    await workers.release()
    await server.stop()
  }
}

type Window = ChatStep & { stats: ServerStats, gen: Awaited<ReturnType<Workers['readWindow']>> }

/**
 * The reference rate again, in toggles a second: each reactor toggles its reaction on one of
 * the latest messages (a few reactors a message), alternating between the emoji, so that a
 * push carries a message's reactions as a lively room has them. A warm-up first, as for messages,
 * and one more message window after.
 */
async function runReactions (ctx: BenchContext, workers: Workers, { n, rate, senders, durationMs, warmMs, messageReference, step }: {
  n: number
  rate: number
  senders: number
  durationMs: number
  warmMs: number
  messageReference: Window
  step: (rate: number, durationMs: number, what: string, reactions?: { senders: number[], messageIds: string[] }) => Promise<Window>
}) {
  const reactors = Math.min(n, Math.max(senders, Math.ceil(rate / PER_REACTOR_MAX_RATE)))
  if (rate / reactors > PER_REACTOR_MAX_RATE) warn(ctx, `chat-fanout reactions: ${rate}/s over ${reactors} users passes the per-user reaction limit; expect rate_limited errors`)
  const recent = [...new Set((await workers.all<{ ids: string[] }>('recentMessageIds')).flatMap((r) => r.ids))]
  const messageIds = recent.slice(-Math.ceil(reactors / REACTORS_PER_MESSAGE))
  if (messageIds.length === 0) throw new Error('chat-fanout reactions: no acked message to react to')
  const plan = { senders: Array.from({ length: reactors }, (_, i) => i), messageIds }
  const warm = await step(rate, warmMs, 'reactions settling at', plan)
  const window = await step(rate, durationMs, 'reactions at', plan)
  // Messages again, so the reactions sit between two message windows (drift and noise show).
  const after = await step(rate, durationMs, 'messages again at')
  const messageUs = (messageReference.cpuPerDeliveryUs + after.cpuPerDeliveryUs) / 2
  ctx.progress.log(`  chat-fanout Hubbub: ${rate} reactions/s -> ${window.cpuPerDeliveryUs.toFixed(2)} µs server CPU per delivery ` +
    `(messages ${messageReference.cpuPerDeliveryUs.toFixed(2)} µs before, ${after.cpuPerDeliveryUs.toFixed(2)} µs after)${window.sustained ? '' : `  (not sustained: ${window.why})`}`)
  const bytes = (w: Window) => w.gen.ackSamples ? w.gen.ackBytes / w.gen.ackSamples : 0
  return {
    rate,
    senders: reactors,
    messages: messageIds.length,
    emoji: REACTION_EMOJI,
    deliveriesPerSec: window.deliveriesPerSec,
    cpuPerDeliveryUs: window.cpuPerDeliveryUs,
    messageCpuPerDeliveryUs: messageUs,
    messageWindowsUs: [messageReference.cpuPerDeliveryUs, after.cpuPerDeliveryUs] as [number, number],
    serverCpuUtil: window.serverCpuUtil,
    pushBytes: bytes(window),
    messagePushBytes: bytes(messageReference),
    ackLatency: latencyOf(window.gen.ackLatency),
    server: serverFigures(window.stats),
    generator: generatorFigures(window.gen),
    errors: warm.gen.errors + window.gen.errors + after.gen.errors
  }
}

/**
 * Once toggling stopped (and `verifyDelivery` drained): every acked toggle's push must have
 * reached each other client exactly once, and each client must know every message's newest
 * acked state, whatever order the pushes came in.
 */
async function verifyReactions (workers: Workers) {
  const acked = new Map<number, number[]>()
  const newest = new Map<string, [string, number, string]>()
  for (const totals of await workers.all<{ acked: [number, number[]][], newest: [string, number, string][] }>('reactionAckedTotals')) {
    for (const [reactor, revs] of totals.acked) acked.set(reactor, [...acked.get(reactor) ?? [], ...revs])
    for (const state of totals.newest) if ((newest.get(state[0])?.[1] ?? -1) < state[1]) newest.set(state[0], state)
  }
  const verified = await workers.all<{ lost: number, duplicates: number, unexpected: number, stale: number }>('reactVerify',
    () => ({ acked: [...acked], final: [...newest.values()] }), 120_000)
  const sum = (pick: (v: typeof verified[number]) => number) => verified.reduce((total, v) => total + pick(v), 0)
  return { lost: sum((v) => v.lost), duplicated: sum((v) => v.duplicates), unexpected: sum((v) => v.unexpected), stale: sum((v) => v.stale) }
}

/**
 * Once sending stopped: waits for every ack and delivery, then asks each client what it got.
 * Every acknowledged message must have reached each of the n-1 other clients exactly once.
 */
export async function verifyDelivery (workers: Workers, n: number) {
  await workers.all('settle', () => ({ timeoutMs: 20_000 }), 60_000)
  await drain(workers, n, 15_000)
  const acked = new Map<number, number>()
  for (const totals of await workers.all<{ acked: [number, number][] }>('ackedTotals')) {
    for (const [sender, count] of totals.acked) acked.set(sender, (acked.get(sender) ?? 0) + count)
  }
  const verified = await workers.all<{ lost: number, duplicates: number, open: number }>('chatVerify', () => ({ acked: [...acked] }), 120_000)
  return {
    clientsOpen: verified.reduce((sum, v) => sum + v.open, 0),
    lost: verified.reduce((sum, v) => sum + v.lost, 0),
    duplicated: verified.reduce((sum, v) => sum + v.duplicates, 0)
  }
}

/** Waits until every acknowledged message and reaction reached the other n-1 clients and nothing is in flight. */
export async function drain (workers: Workers, n: number, timeoutMs: number) {
  const until = performance.now() + timeoutMs
  while (performance.now() < until) {
    const peek = await workers.peek()
    if (peek.inFlight === 0 && peek.deliveries >= peek.totalAcked * (n - 1) && peek.reactionDeliveries >= peek.reactionAcked * (n - 1)) return true
    await sleep(25)
  }
  return false
}
