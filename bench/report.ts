/**
 * The report: one table per scenario with Hubbub beside its baselines and the ratios between
 * them (ratios hold on a noisy machine where absolute figures do not), then every target with
 * PASS or MISS.
 */
import type { ChatFanoutResult, ChatTargetResult } from './scenarios/chat-fanout.ts'
import type { TickerFanoutResult, TickerTargetResult } from './scenarios/ticker-fanout.ts'
import type { CapacityResult, CapacityTargetResult } from './scenarios/connection-capacity.ts'
import { storeLabels, type Store } from './lib/bench-database.ts'
import type { PersistenceResult } from './scenarios/persistence.ts'
import type { ReconnectResult } from './scenarios/reconnect-storm.ts'
import type { ClusterFanoutResult } from './scenarios/cluster-fanout.ts'
import type { SearchResult } from './scenarios/search.ts'
import type { MarketBoardResult, PageWindow } from './scenarios/market-board.ts'

export interface BenchResults {
  startedAt: string
  finishedAt: string
  quick: boolean
  machine: {
    nproc: number
    cpuModel: string
    memoryGiB: number
    node: string
    platform: string
    taskset: boolean
    serverCpus: string | null
    generatorCpus: string | null
    workers: number
    fileLimit: number
    loadBefore: number[]
    loadAfter: number[]
  }
  scenarios: {
    'chat-fanout'?: ChatFanoutResult
    'ticker-fanout'?: TickerFanoutResult
    'connection-capacity'?: CapacityResult
    persistence?: PersistenceResult
    'reconnect-storm'?: ReconnectResult
    'cluster-fanout'?: ClusterFanoutResult
    search?: SearchResult
    'market-board'?: MarketBoardResult
  }
  /** Scenarios that failed to run, with the error. */
  errors: Record<string, string>
  warnings: string[]
  targets: TargetCheck[]
}

export interface TargetCheck {
  scenario: string
  target: string
  value: number | null
  threshold: number
  /** How value compares with threshold to pass. */
  pass: boolean | null
  detail: string
}

const ratio = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && b > 0 ? a / b : null

export function evaluate (results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = []
  const check = (scenario: string, target: string, value: number | null | undefined, op: '>=' | '<=' | '<' | '=', threshold: number, detail = '') => {
    const v = value ?? null
    const pass = v === null || Number.isNaN(v)
      ? null
      : op === '>=' ? v >= threshold : op === '<=' ? v <= threshold : op === '<' ? v < threshold : v === threshold
    checks.push({ scenario, target, value: v, threshold, pass, detail })
  }
  const s = results.scenarios

  const chat = s['chat-fanout']
  if (chat) {
    const { hubbub, plain, raw } = chat.targets
    check('chat-fanout', 'deliveries/s at max sustained rate, Hubbub / plain Socket.IO >= 0.9', ratio(hubbub?.deliveriesPerSec, plain?.deliveriesPerSec), '>=', 0.9,
      limits(hubbub, plain))
    check('chat-fanout', 'deliveries/s at max sustained rate, Hubbub / raw ws >= 0.7', ratio(hubbub?.deliveriesPerSec, raw?.deliveriesPerSec), '>=', 0.7,
      limits(hubbub, raw))
    check('chat-fanout', 'server CPU per delivery at the same rate, Hubbub / plain Socket.IO <= 1.15',
      ratio(hubbub?.reference.cpuPerDeliveryUs, plain?.reference.cpuPerDeliveryUs), '<=', 1.15,
      hubbub && plain ? `${hubbub.reference.cpuPerDeliveryUs.toFixed(2)} vs ${plain.reference.cpuPerDeliveryUs.toFixed(2)} µs at ${chat.referenceRate} msg/s` : '')
    check('chat-fanout', 'Hubbub p99 latency at half the max rate < 50 ms', hubbub?.reference.latency.p99, '<', 50,
      hubbub
        ? `at ${chat.referenceRate} msg/s, generator ${(hubbub.reference.generator.cpuShare * 100).toFixed(0)}% busy; ` +
          `plain Socket.IO ${plain?.reference.latency.p99.toFixed(1) ?? '-'} ms, raw ws ${raw?.reference.latency.p99.toFixed(1) ?? '-'} ms there`
        : '')
    check('chat-fanout', 'Hubbub messages lost + duplicated = 0', hubbub ? hubbub.lost + hubbub.duplicated : null, '=', 0)
    const reactions = hubbub?.reactions
    // Two windows of the same load differ by a few percent: 1.0 is the target, 1.05 the verdict's margin for that noise.
    check('chat-fanout', 'Hubbub server CPU per delivery, a reaction / a message at the same rate <= 1.0 (judged with a 5% noise margin: <= 1.05)',
      ratio(reactions?.cpuPerDeliveryUs, reactions?.messageCpuPerDeliveryUs), '<=', 1.05,
      reactions
        ? `${reactions.cpuPerDeliveryUs.toFixed(2)} vs ${reactions.messageCpuPerDeliveryUs.toFixed(2)} µs at ${reactions.rate}/s ` +
          `(messages ${reactions.messageWindowsUs.map((us) => us.toFixed(2)).join(' before, ')} after); ` +
          `push ${reactions.pushBytes.toFixed(0)} vs ${reactions.messagePushBytes.toFixed(0)} bytes of JSON`
        : '')
    check('chat-fanout', 'Hubbub reactions lost + duplicated + unacked pushed + stale states = 0',
      reactions ? reactions.lost + reactions.duplicated + reactions.unexpected + reactions.stale : null, '=', 0,
      reactions ? `${reactions.lost} lost, ${reactions.duplicated} duplicated, ${reactions.unexpected} unacked pushed, ${reactions.stale} stale` : '')
  }

  const ticker = s['ticker-fanout']
  if (ticker) {
    const { hubbub, naive, raw } = ticker.targets
    const note = ticker.status === 'unavailable' ? ticker.note ?? 'Hubbub ticker unavailable' : ''
    check('ticker-fanout', 'Hubbub frames per client per tick <= 1', hubbub ? Math.max(hubbub.framesPerClientPerTick, hubbub.extraFrames > 0 ? 2 : 0) : null, '<=', 1.02,
      hubbub ? `${hubbub.framesPerClientPerTick.toFixed(3)}, ${hubbub.extraFrames} ticks with a second frame` : note)
    check('ticker-fanout', 'Hubbub keeps the default tick rate (ticks/s >= 0.95 x TICKER_HZ)', hubbub ? hubbub.ticksPerSec / hubbub.tickHz : null, '>=', 0.95,
      hubbub ? `${hubbub.ticksPerSec.toFixed(2)} of ${hubbub.tickHz} ticks/s` : note)
    check('ticker-fanout', 'quote deliveries per CPU-second, Hubbub / naive per-symbol emit >= 5', ratio(hubbub?.quotesPerCpuSec, naive?.quotesPerCpuSec), '>=', 5,
      hubbub && naive ? `${hubbub.quotesPerCpuSec.toFixed(0)} vs ${naive.quotesPerCpuSec.toFixed(0)}` : note)
    const split = (t: TickerTargetResult) => `push p50/p99 ${t.push.p50.toFixed(0)}/${t.push.p99.toFixed(0)} ms, generator ${t.generatorMsPerTick.toFixed(0)} ms CPU/tick`
    check('ticker-fanout', 'Hubbub p99 tick latency < 100 ms', hubbub?.latency.p99, '<', 100,
      hubbub ? `server ${split(hubbub)}; raw ws p99 ${raw?.latency.p99.toFixed(0) ?? '-'} ms (${raw ? split(raw) : '-'})` : note)
    check('ticker-fanout', 'Hubbub quotes duplicated = 0', hubbub?.duplicated, '=', 0, note)
    check('ticker-fanout', 'Hubbub quotes skipped = 0 (the protocol lets a slow client skip; at this load none should)', hubbub?.lost, '=', 0, note)
  }

  const capacity = s['connection-capacity']
  if (capacity) {
    const { hubbub, plain } = capacity.targets
    check('connection-capacity', 'Hubbub RSS per user <= 25 KiB', hubbub?.rssPerUserKiB, '<=', 25)
    check('connection-capacity', 'RSS per user, Hubbub / plain Socket.IO <= 1.5', ratio(hubbub?.rssPerUserKiB, plain?.rssPerUserKiB), '<=', 1.5,
      hubbub && plain ? `${hubbub.rssPerUserKiB.toFixed(1)} vs ${plain.rssPerUserKiB.toFixed(1)} KiB` : '')
    check('connection-capacity', 'every user connected', hubbub ? hubbub.users - hubbub.connected : null, '=', 0)
  }

  const persistence = s.persistence
  if (persistence) {
    const { sqlite, postgres } = persistence.stores
    const offered = `offered ${persistence.offeredPerSec}/s by ${persistence.senders} senders`
    const skipped = (store: Store) => persistence.skipped[store] ? `skipped: ${persistence.skipped[store]}` : ''
    check('persistence', 'SQLite: acked chat:send per second >= 5000, acked = committed', sqlite?.ackedPerSec, '>=', 5000, sqlite ? offered : skipped('sqlite'))
    check('persistence', 'PostgreSQL: acked chat:send per second >= 3000, acked = committed', postgres?.ackedPerSec, '>=', 3000,
      postgres ? `${offered}; ${x(ratio(postgres.ackedPerSec, sqlite?.ackedPerSec))} SQLite's` : skipped('postgres'))
    for (const store of ['sqlite', 'postgres'] as const) {
      const p = persistence.stores[store]
      check('persistence', `${storeLabels[store]}: acked messages missing after kill -9 + seq gaps = 0`, p ? p.lost + p.seqGaps : null, '=', 0,
        p ? `${p.checked} checked` : skipped(store))
    }
  }

  const search = s.search
  if (search) {
    for (const store of ['sqlite', 'postgres'] as const) {
      const r = search.stores[store]
      check('search', `${storeLabels[store]}: first page of results p99 < 100 ms over ${search.messages} messages`, r?.firstPage.p99, '<', 100,
        r ? `p50 ${r.firstPage.p50.toFixed(1)} ms; slowest kind: ${[...r.queries].sort((a, b) => b.latency.p99 - a.latency.p99)[0]?.kind}` : `skipped: ${search.skipped[store] ?? 'not run'}`)
    }
    check('search', 'both stores answer every query with the same first page (share of queries)', search.sameHits, '=', 1,
      search.sameHits === null ? 'needs both stores' : `${search.queriesPerKind * (search.stores.sqlite?.queries.length ?? 0)} queries`)
  }

  const storm = s['reconnect-storm']
  if (storm) {
    check('reconnect-storm', 'all back and caught up within 15 s of the restart', Number.isFinite(storm.allCaughtUpSec) ? storm.allCaughtUpSec : null, '<=', 15,
      `${storm.caughtUp}/${storm.clients} caught up; restart took ${(storm.restartMs / 1000).toFixed(1)} s`)
    check('reconnect-storm', 'messages missing + duplicated = 0', storm.lost + storm.duplicated, '=', 0)
  }

  const cluster = s['cluster-fanout']
  // Skipped (no PostgreSQL or redis-server here): the reason is in the table and the warnings.
  if (cluster && !cluster.skipped) {
    const { single, cluster: two } = cluster.layouts
    check('cluster-fanout', 'server CPU per delivery (nodes + Redis), 2 nodes / 1 node <= 1.3', ratio(two?.cpuPerDeliveryUs, single?.cpuPerDeliveryUs), '<=', 1.3,
      single && two ? `${two.cpuPerDeliveryUs.toFixed(2)} vs ${single.cpuPerDeliveryUs.toFixed(2)} µs at ${cluster.rate} msg/s` : '')
    // A layout that fell behind (a starved machine) measured a backlog, not a cost: say so.
    const held = (l: typeof single) => l ? l.deliveriesPerSec / Math.max(1, l.achievedRate * (cluster.clients - 1)) : null
    check('cluster-fanout', 'both layouts kept up: deliveries in the window / offered >= 0.95 (else the CPU ratio compares backlogs)',
      Math.min(held(single) ?? Number.NaN, held(two) ?? Number.NaN), '>=', 0.95,
      `1 node ${((held(single) ?? 0) * 100).toFixed(0)}%, 2 nodes ${((held(two) ?? 0) * 100).toFixed(0)}%`)
    check('cluster-fanout', '2 nodes: messages lost + duplicated = 0', two ? two.lost + two.duplicated : null, '=', 0)
    check('cluster-fanout', '2 nodes: every client still connected', two ? cluster.clients - two.clientsOpen : null, '=', 0)
    const ticker = two?.ticker
    const tickerDetail = ticker
      ? `node 1 / node 2: ${ticker.nodes.map((t) => t.framesPerClientPerTick.toFixed(3)).join(' / ')} (1 node ${single?.ticker.framesPerClientPerTick.toFixed(3) ?? '-'}), ` +
        `${ticker.extraFrames} second frames of a tick, ${ticker.nodes.map((t) => t.ticksPerSec.toFixed(2)).join(' / ')} ticks/s, ${ticker.clients} clients on each in turn`
      : ''
    check('cluster-fanout', '2 nodes: ticker frames per client per tick, clients of both nodes <= 1',
      ticker && Math.max(ticker.maxFramesPerClientPerTick, ticker.extraFrames > 0 ? 2 : 0), '<=', 1.02, tickerDetail)
    check('cluster-fanout', '2 nodes: ticker frames per client per tick, clients of either node >= 0.98', ticker?.framesPerClientPerTick, '>=', 0.98)
  }
  const board = s['market-board']
  if (board?.status === 'ok') {
    for (const { tickHz: hz, board: b, baseline } of board.rates) {
      check('market-board', `${hz} Hz: board's main-thread busy share / the baseline page's <= 2`, ratio(b.busy, baseline.busy), '<=', 2,
        `${(b.busy * 100).toFixed(1)}% vs ${(baseline.busy * 100).toFixed(1)}%`)
      check('market-board', `${hz} Hz: board's frames per second >= 55`, b.framesPerSec, '>=', 55,
        `${b.longTasks} long tasks; baseline ${baseline.framesPerSec.toFixed(0)} fps`)
    }
  }
  return checks
}

function limits (a: ChatTargetResult | undefined, b: ChatTargetResult | undefined) {
  if (!a || !b) return ''
  return `limited by: ${a.limitedBy} / ${b.limitedBy}; server capacity ${(a.deliveriesPerCpuSec / 1000).toFixed(0)}k vs ${(b.deliveriesPerCpuSec / 1000).toFixed(0)}k deliveries per CPU-s`
}

// ------------------------------------------------------------------ rendering

type Cell = string | number | null | undefined

function table (title: string, header: string[], rows: Cell[][]) {
  const text = rows.map((row) => row.map(cell))
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join('  ')
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line), ''].join('\n')
}

function cell (value: Cell): string {
  if (value === null || value === undefined) return '-'
  if (typeof value === 'string') return value
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-'
  const abs = Math.abs(value)
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`
  if (abs >= 100 || Number.isInteger(value)) return value.toFixed(0)
  if (abs >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

const x = (value: number | null) => value === null ? '-' : `${value.toFixed(2)}x`

function chatTable (chat: ChatFanoutResult) {
  const rows: Cell[][] = []
  const order = [['hubbub', 'Hubbub'], ['plain', 'plain Socket.IO'], ['raw', 'raw ws']] as const
  for (const [key, name] of order) {
    const t = chat.targets[key]
    if (!t) continue
    const r = t.reference
    rows.push([name, t.maxRate, t.deliveriesPerSec, t.cpuPerDeliveryUs, t.deliveriesPerCpuSec, t.latencyAtMax.p99, `${(t.server.cpuUtil * 100).toFixed(0)}%`,
      `${(t.generator.cpuShare * 100).toFixed(0)}%`, t.limitedBy, r.cpuPerDeliveryUs, r.latency.p50, r.latency.p95, r.latency.p99, r.latency.max,
      `${(r.serverCpuUtil * 100).toFixed(0)}%`, `${(r.generator.cpuShare * 100).toFixed(0)}%`, t.server.rssMiB, t.server.heapMiB, t.server.eldP99Ms, t.errors, t.lost, t.duplicated])
  }
  const { hubbub, plain, raw } = chat.targets
  const ratioRow = (name: string, other: ChatTargetResult | undefined): Cell[] => [name, x(ratio(hubbub?.maxRate, other?.maxRate)),
    x(ratio(hubbub?.deliveriesPerSec, other?.deliveriesPerSec)), x(ratio(hubbub?.cpuPerDeliveryUs, other?.cpuPerDeliveryUs)),
    x(ratio(hubbub?.deliveriesPerCpuSec, other?.deliveriesPerCpuSec)), x(ratio(hubbub?.latencyAtMax.p99, other?.latencyAtMax.p99)), '', '', '',
    x(ratio(hubbub?.reference.cpuPerDeliveryUs, other?.reference.cpuPerDeliveryUs)), x(ratio(hubbub?.reference.latency.p50, other?.reference.latency.p50)), '',
    x(ratio(hubbub?.reference.latency.p99, other?.reference.latency.p99)), '', '', '', x(ratio(hubbub?.server.rssMiB, other?.server.rssMiB)),
    x(ratio(hubbub?.server.heapMiB, other?.server.heapMiB))]
  if (hubbub && plain) rows.push(ratioRow('Hubbub / plain', plain))
  if (hubbub && raw) rows.push(ratioRow('Hubbub / raw ws', raw))
  const messages = table(`Chat fan-out: ${chat.clients} clients in one room, ${chat.senders} senders. At each target's max sustained rate, then all at ` +
    `${chat.referenceRate} msg/s (half of Hubbub's max): "@ref". Latency in ms, from send to receive; memory and ELD at the max.`,
  ['', 'max msg/s', 'deliv/s', 'CPU µs/deliv', 'deliv/CPU-s', 'p99', 'srv CPU', 'gen CPU', 'limited by', 'CPU µs/deliv@ref', 'p50@ref', 'p95@ref', 'p99@ref', 'max@ref',
    'srv CPU@ref', 'gen CPU@ref', 'RSS MiB', 'heap MiB', 'ELD p99', 'errors', 'lost', 'dup'], rows)
  return hubbub?.reactions ? `${messages}\n${reactionTable(hubbub)}` : messages
}

function reactionTable (hubbub: ChatTargetResult) {
  const r = hubbub.reactions!
  const ref = hubbub.reference
  const [before, after] = r.messageWindowsUs
  return table(`Reactions beside messages, Hubbub: the same ${hubbub.clients} clients and room at the same rate, ${r.rate}/s, window after window. ` +
    `Reactions: ${r.senders} users toggling ${r.emoji.join(' ')} on ${r.messages} messages; push bytes: JSON of the payload; ack p99 in ms.\n` +
    `  Messages' CPU µs per delivery ${before.toFixed(2)} before the reactions and ${after.toFixed(2)} after (${x(ratio(after, before))}); the ratio is to their mean.`,
  ['', 'per s', 'senders', 'deliv/s', 'CPU µs/deliv', 'srv CPU', 'push bytes', 'ack p99', 'gen CPU', 'errors', 'lost', 'dup', 'unacked pushed', 'stale'], [
    ['messages', ref.rate, hubbub.senders, ref.deliveriesPerSec, ref.cpuPerDeliveryUs, `${(ref.serverCpuUtil * 100).toFixed(0)}%`, r.messagePushBytes, ref.ackP99Ms,
      `${(ref.generator.cpuShare * 100).toFixed(0)}%`, hubbub.errors, hubbub.lost, hubbub.duplicated, '-', '-'],
    ['reactions', r.rate, r.senders, r.deliveriesPerSec, r.cpuPerDeliveryUs, `${(r.serverCpuUtil * 100).toFixed(0)}%`, r.pushBytes, r.ackLatency.p99,
      `${(r.generator.cpuShare * 100).toFixed(0)}%`, r.errors, r.lost, r.duplicated, r.unexpected, r.stale],
    ['reactions / messages', '', '', x(ratio(r.deliveriesPerSec, ref.deliveriesPerSec)), x(ratio(r.cpuPerDeliveryUs, r.messageCpuPerDeliveryUs)), '',
      x(ratio(r.pushBytes, r.messagePushBytes)), x(ratio(r.ackLatency.p99, ref.ackP99Ms))]
  ])
}

function tickerTable (ticker: TickerFanoutResult) {
  const rows: Cell[][] = []
  const row = (name: string, t: TickerTargetResult | undefined) => {
    if (!t) return
    rows.push([name, t.ticksPerSec, t.framesPerSec, t.quotesPerSec, t.quotesPerCpuSec, t.framesPerClientPerTick, t.latency.p50, t.latency.p95, t.latency.p99, t.latency.max,
      t.push.p50, t.push.p99, `${(t.server.cpuUtil * 100).toFixed(0)}%`, t.server.rssMiB, t.server.heapMiB, t.server.eldP99Ms, `${(t.generator.cpuShare * 100).toFixed(0)}%`, t.generatorMsPerTick, t.errors, t.lost, t.duplicated])
  }
  row('Hubbub', ticker.targets.hubbub)
  row('naive per-symbol emit', ticker.targets.naive)
  row('raw ws', ticker.targets.raw)
  const { hubbub } = ticker.targets
  const ratioRow = (name: string, base: TickerTargetResult | undefined) => {
    if (!hubbub || !base) return
    rows.push([name, '', x(ratio(hubbub.framesPerSec, base.framesPerSec)), x(ratio(hubbub.quotesPerSec, base.quotesPerSec)),
      x(ratio(hubbub.quotesPerCpuSec, base.quotesPerCpuSec)), '', x(ratio(hubbub.latency.p50, base.latency.p50)), '', x(ratio(hubbub.latency.p99, base.latency.p99)), '',
      x(ratio(hubbub.push.p50, base.push.p50)), x(ratio(hubbub.push.p99, base.push.p99)), '', x(ratio(hubbub.server.rssMiB, base.server.rssMiB)), '', '', '',
      x(ratio(hubbub.generatorMsPerTick, base.generatorMsPerTick))])
  }
  ratioRow('Hubbub / naive', ticker.targets.naive)
  ratioRow('Hubbub / raw ws', ticker.targets.raw)
  const title = `Ticker fan-out: ${ticker.clients} clients x ${ticker.symbolsPerClient} of ${ticker.symbols} symbols at ${ticker.tickHz} Hz. ` +
    'Latency in ms, from tick to receive; push: from tick to the last frame written, per tick; gen ms/tick: generator CPU to read one tick' +
    (ticker.status === 'unavailable' ? `\n  ${ticker.note}` : '')
  return table(title, ['', 'ticks/s', 'frames/s', 'quotes/s', 'quotes/CPU-s', 'frames/client/tick', 'p50', 'p95', 'p99', 'max', 'push p50', 'push p99', 'srv CPU', 'RSS MiB', 'heap MiB', 'ELD p99',
    'gen CPU', 'gen ms/tick', 'errors', 'skipped', 'dup'], rows)
}

function capacityTable (capacity: CapacityResult) {
  const rows: Cell[][] = []
  const row = (name: string, t: CapacityTargetResult | undefined) => {
    if (!t) return
    rows.push([name, `${t.connected}/${t.users}`, `${t.serverSockets}/${t.sockets}`, t.connectPerSec, t.connectLatency.p99, t.cpuPerUserMs, t.rssBeforeMiB, t.rssAfterMiB, t.rssPerUserKiB, t.heapPerUserKiB,
      t.server.eldP99Ms, `${(t.idleCpuUtil * 100).toFixed(1)}%`, t.errors])
  }
  row('Hubbub', capacity.targets.hubbub)
  row('plain Socket.IO', capacity.targets.plain)
  const { hubbub, plain } = capacity.targets
  if (hubbub && plain) {
    rows.push(['Hubbub / plain', '', '', x(ratio(hubbub.connectPerSec, plain.connectPerSec)), '', x(ratio(hubbub.cpuPerUserMs, plain.cpuPerUserMs)),
      x(ratio(hubbub.rssBeforeMiB, plain.rssBeforeMiB)), x(ratio(hubbub.rssAfterMiB, plain.rssAfterMiB)), x(ratio(hubbub.rssPerUserKiB, plain.rssPerUserKiB)),
      x(ratio(hubbub.heapPerUserKiB, plain.heapPerUserKiB))])
  }
  return table(`Connection capacity: ${capacity.users} idle users, one connection each on ${capacity.namespaces.join(' ')}`,
    ['', 'connected', 'sockets after idle', 'users/s', 'connect p99 ms', 'CPU ms/user', 'RSS before MiB', 'RSS after MiB', 'RSS KiB/user', 'heap KiB/user', 'ELD p99', 'idle CPU', 'errors'], rows)
}

function persistenceTable (p: PersistenceResult) {
  const rows: Cell[][] = []
  for (const store of ['sqlite', 'postgres'] as const) {
    const t = p.stores[store]
    if (t) {
      rows.push([storeLabels[store], t.ackedPerSec, p.offeredPerSec, t.ackLatency.p50, t.ackLatency.p95, t.ackLatency.p99, t.ackLatency.max, t.cpuPerAckUs,
        `${(t.server.cpuUtil * 100).toFixed(0)}%`, t.dbCpuPerAckUs, t.dbCpuUtil === null ? null : `${(t.dbCpuUtil * 100).toFixed(0)}%`, t.server.rssMiB, t.server.eldP99Ms, t.errors, t.checked, t.lost, t.duplicated, t.seqGaps])
    }
  }
  const { sqlite, postgres } = p.stores
  if (sqlite && postgres) {
    rows.push(['PostgreSQL / SQLite', x(ratio(postgres.ackedPerSec, sqlite.ackedPerSec)), '', x(ratio(postgres.ackLatency.p50, sqlite.ackLatency.p50)),
      x(ratio(postgres.ackLatency.p95, sqlite.ackLatency.p95)), x(ratio(postgres.ackLatency.p99, sqlite.ackLatency.p99)), '',
      x(ratio(postgres.cpuPerAckUs, sqlite.cpuPerAckUs)), '', '', '', x(ratio(postgres.server.rssMiB, sqlite.server.rssMiB))])
  }
  const notes = (['sqlite', 'postgres'] as const).map((store) => {
    const t = p.stores[store]
    return `\n  ${storeLabels[store]}: ${t ? t.durability : `skipped: ${p.skipped[store] ?? 'not run'}`}`
  }).join('')
  return table(`Persistence: ${p.senders} senders at ${p.perSenderRate}/s each into ${p.rooms} rooms (nobody following), on each store in turn; ` +
    'after the window, kill -9 of the server and the store read back. CPU µs/ack: the server process (with SQLite inside it); db CPU: PostgreSQL\'s backends serving it' +
    notes,
  ['', 'acked/s', 'offered/s', 'ack p50 ms', 'ack p95', 'ack p99', 'ack max', 'CPU µs/ack', 'srv CPU', 'db CPU µs/ack', 'db CPU', 'RSS MiB', 'ELD p99', 'errors', 'checked', 'lost', 'dup', 'seq gaps'], rows)
}

function clusterTable (r: ClusterFanoutResult) {
  const title = `Cluster fan-out: ${r.clients} clients in one room, ${r.senders} senders, ${r.rate} msg/s; 2 nodes: clients and senders spread evenly, one redis-server; both on PostgreSQL. CPU: every server process, Redis included`
  if (r.skipped) return `${title}\nskipped: ${r.skipped}\n`
  const rows: Cell[][] = []
  const names = { single: '1 node', cluster: '2 nodes + Redis' } as const
  for (const layout of ['single', 'cluster'] as const) {
    const l = r.layouts[layout]
    if (!l) continue
    const percent = (n: number) => `${(n * 100).toFixed(0)}%`
    rows.push([names[layout], l.achievedRate, l.deliveriesPerSec, l.cpuPerDeliveryUs, l.cpuPerDeliveryUs > 0 ? 1e6 / l.cpuPerDeliveryUs : 0, l.nodeCpu.map(percent).join(' + '),
      l.nodes > 1 ? percent(l.redisCpu) : '-', l.latency.p50, l.latency.p99, l.latency.max, percent(l.generator.cpuShare), l.errors, `${l.clientsOpen}/${r.clients}`, l.lost, l.duplicated,
      l.ticker.nodes.map((t) => t.framesPerClientPerTick.toFixed(3)).join(' / '), l.ticker.extraFrames, l.ticker.nodes.map((t) => t.ticksPerSec.toFixed(2)).join(' / '), l.ticker.p99Ms])
  }
  const { single, cluster } = r.layouts
  if (single && cluster) {
    const q = (a: number, b: number) => x(b > 0 ? a / b : null)
    rows.push(['2 nodes / 1 node', '', q(cluster.deliveriesPerSec, single.deliveriesPerSec), q(cluster.cpuPerDeliveryUs, single.cpuPerDeliveryUs), '', '', '',
      q(cluster.latency.p50, single.latency.p50), q(cluster.latency.p99, single.latency.p99)])
  }
  return table(title, ['', 'msg/s', 'deliv/s', 'CPU µs/deliv', 'deliv/CPU-s', 'node CPU', 'Redis CPU', 'p50', 'p99', 'max', 'gen CPU', 'errors', 'open', 'lost', 'dup',
    'ticker frames/client/tick', '2nd frames', 'ticks/s', 'ticker p99'], rows)
}

function searchTable (r: SearchResult) {
  const stores = (['sqlite', 'postgres'] as const).flatMap((store) => r.stores[store] ? [r.stores[store]] : [])
  const rows: Cell[][] = stores.map((s) => [storeLabels[s.store], s.messages, s.loadSec, s.indexBuildSec, s.indexMiB, s.firstPage.p50, s.firstPage.p99, s.firstPage.max, s.scan.p50, s.scan.p99])
  const perKind: Cell[][] = (stores[0]?.queries ?? []).map((q, i) => [q.kind, ...stores.flatMap((s) => [s.queries[i]!.latency.p50, s.queries[i]!.latency.p99, s.queries[i]!.hits])])
  return table(`Search: ${r.messages} messages in ${r.rooms} rooms by ${r.users} users; chat:search's first page (20 hits) through the store, ` +
    `${r.queriesPerKind} queries of each kind below; "LIKE scan": the rare-word queries without the index. Times in ms, build in s`,
  ['', 'messages', 'load s', 'index build s', 'index MiB', 'first page p50', 'p99', 'max', 'LIKE scan p50', 'LIKE scan p99'], rows) + '\n' +
    table('Search by kind of query: first page p50 / p99 in ms, hits on it', ['', ...stores.flatMap((s) => [`${storeLabels[s.store]} p50`, 'p99', 'hits'])], perKind)
}

function boardTable (r: MarketBoardResult) {
  const title = `Market board in Chromium (headless, ${r.viewport.width}x${r.viewport.height}), ${r.windowSec} s a window; baseline: a plain page with as many ` +
    'table rows rewritten by textContent at the same rate. Busy (task time), main CPU (thread CPU time), style, layout, script: share of wall time on the page\'s main thread (DevTools metrics); browser CPU: all Chromium processes (raster, compositing), in cores'
  if (r.status !== 'ok') return `${title}\nskipped: ${r.note}\n`
  const percent = (n: number) => `${(n * 100).toFixed(1)}%`
  const rows: Cell[][] = []
  for (const { tickHz: hz, ...pages } of r.rates) {
    const row = (name: string, w: PageWindow) => rows.push([`${hz} Hz ${name}`, w.rows, percent(w.busy), percent(w.cpu), percent(w.browserCpu), percent(w.style), percent(w.layout), percent(w.script),
      percent(Math.max(0, w.busy - w.style - w.layout - w.script)), w.framesPerSec, w.longTasks, w.longTaskMsPerSec, w.updatesPerSec])
    row('board', pages.board)
    row('baseline', pages.baseline)
    rows.push([`${hz} Hz board / baseline`, '', x(ratio(pages.board.busy, pages.baseline.busy)), x(ratio(pages.board.cpu, pages.baseline.cpu)), x(ratio(pages.board.browserCpu, pages.baseline.browserCpu)), '', '', '', '', x(ratio(pages.board.framesPerSec, pages.baseline.framesPerSec))])
  }
  return table(title, ['', 'rows', 'busy', 'main CPU', 'browser CPU', 'style', 'layout', 'script', 'other (paint…)', 'frames/s', 'long tasks', 'long ms/s', 'price updates/s'], rows)
}

function stormTable (r: ReconnectResult) {
  return table(`Reconnect storm: ${r.clients} clients in ${r.rooms} rooms, server restarted, ${r.messagesPosted} messages posted around it`,
    ['', 'restart s', 'stop s', 'start s', 'back', 'all back s', 'caught up', 'all caught up s', 'after ready s', 'reconnect p50 s', 'p99 s', 'caught up p99 s', 'srv CPU', 'ELD p99', 'errors', 'lost', 'dup'],
    [['Hubbub', r.restartMs / 1000, r.stopMs / 1000, r.startMs / 1000, `${r.reconnected}/${r.clients}`, r.allBackSec, `${r.caughtUp}/${r.clients}`, r.allCaughtUpSec, r.allCaughtUpAfterReadySec,
      r.reconnectLatency.p50 / 1000, r.reconnectLatency.p99 / 1000, r.caughtUpLatency.p99 / 1000, `${(r.server.cpuUtil * 100).toFixed(0)}%`, r.server.eldP99Ms,
      r.errors, r.lost, r.duplicated]])
}

export function renderReport (results: BenchResults) {
  const m = results.machine
  const parts: string[] = [
    '',
    `Hubbub bench${results.quick ? ' (quick: tiny loads, figures mean nothing)' : ''}, ${results.startedAt}`,
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB.toFixed(0)} GiB, node ${m.node}, ${m.platform}; ` +
      (m.taskset ? `server on cpu ${m.serverCpus}, ${m.workers} generator workers on cpu ${m.generatorCpus}` : `no CPU pinning, ${m.workers} generator workers`) +
      `; load average ${m.loadBefore.map((n) => n.toFixed(2)).join(' ')} before, ${m.loadAfter.map((n) => n.toFixed(2)).join(' ')} after`,
    ''
  ]
  const s = results.scenarios
  if (s['chat-fanout']) parts.push(chatTable(s['chat-fanout']))
  if (s['ticker-fanout']) parts.push(tickerTable(s['ticker-fanout']))
  if (s['connection-capacity']) parts.push(capacityTable(s['connection-capacity']))
  if (s.persistence) parts.push(persistenceTable(s.persistence))
  if (s.search) parts.push(searchTable(s.search))
  if (s['reconnect-storm']) parts.push(stormTable(s['reconnect-storm']))
  if (s['cluster-fanout']) parts.push(clusterTable(s['cluster-fanout']))
  if (s['market-board']) parts.push(boardTable(s['market-board']))
  for (const [name, error] of Object.entries(results.errors)) parts.push(`${name}: FAILED TO RUN: ${error.split('\n')[0]}`, '')

  parts.push(table('Targets', ['', 'value', 'result', 'detail'], results.targets.map((t) => [
    `${t.scenario}: ${t.target}`,
    t.value,
    t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'MISS',
    t.detail
  ])))
  if (results.warnings.length) parts.push('Warnings:', ...results.warnings.map((w) => `- ${w}`), '')
  return parts.join('\n')
}
