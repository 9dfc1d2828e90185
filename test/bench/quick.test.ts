import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { servicesRequired } from '../helpers/postgres.ts'

const repoRoot = resolve(import.meta.dirname, '..', '..')
// The market-board scenario adds Chromium and two page loads: about 20 s on a quiet machine.
const RUN_TIMEOUT_MS = 180_000

/**
 * The harness, not the speed: `npm run bench -- --quick` must run every scenario to the end and
 * produce complete results. Speeds are never asserted (benchmarks are not tests); only that every
 * figure is there and is a number, and the correctness figures: nothing lost or duplicated, no
 * errors, no connection dropped, one ticker frame per client per tick, every acked message found
 * after kill -9 on SQLite and on PostgreSQL (skipped with the reason when PostgreSQL does not
 * answer, unless CI or HUBBUB_REQUIRE_SERVICES is set).
 */
describe('npm run bench -- --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-bench-test-'))
  const out = join(dir, 'quick.json')
  let run: { code: number | null, stdout: string, stderr: string }
  let results: any

  before(async () => {
    run = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bench/run.ts', '--quick', '--out', out], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`the quick bench took longer than ${RUN_TIMEOUT_MS / 1000} s\n${stderr}`))
      }, RUN_TIMEOUT_MS)
      child.once('exit', (code) => {
        clearTimeout(timer)
        resolve({ code, stdout, stderr })
      })
    })
    try {
      results = JSON.parse(readFileSync(out, 'utf8'))
    } catch (error) {
      assert.fail(`no JSON result at ${out} (exit code ${run.code}): ${(error as Error).message}\n--- stderr ---\n${run.stderr}`)
    }
  }, { timeout: RUN_TIMEOUT_MS + 10_000 })

  after(() => rmSync(dir, { recursive: true, force: true }))

  const scenario = (name: string) => {
    const value = results.scenarios[name]
    assert.ok(value, `expected scenario ${name} in the results, got ${Object.keys(results.scenarios).join(', ') || 'none'}; errors: ${JSON.stringify(results.errors)}`)
    return value
  }

  /** Asserts that each path (a.b.c) holds a finite number. */
  const numeric = (where: string, value: any, paths: string[]) => {
    for (const path of paths) {
      const found = path.split('.').reduce((v, key) => v?.[key], value)
      assert.equal(typeof found, 'number', `${where}.${path}: expected a number, got ${JSON.stringify(found)}`)
      assert.ok(Number.isFinite(found), `${where}.${path}: expected a finite number, got ${found}`)
    }
  }

  const zero = (where: string, value: any, keys: string[]) => {
    for (const key of keys) assert.equal(value[key], 0, `${where}.${key}: expected 0, got ${JSON.stringify(value[key])}`)
  }

  const latency = (prefix: string) => ['p50', 'p95', 'p99', 'max'].map((p) => `${prefix}.${p}`)
  const server = ['server.cpuUtil', 'server.rssMiB', 'server.heapMiB', 'server.eldP99Ms']
  const generator = ['generator.cpuCores', 'generator.cpuShare']

  it('exits 0 with no scenario failing, prints the table and writes the JSON', () => {
    assert.deepEqual(results.errors, {}, `scenarios failed: ${JSON.stringify(results.errors)}`)
    assert.equal(run.code, 0, `expected exit code 0, got ${run.code}\n${run.stderr}`)
    assert.match(run.stdout, /Targets/, `expected the report on stdout, got:\n${run.stdout}`)
    assert.equal(results.quick, true)
    numeric('machine', results.machine, ['nproc', 'memoryGiB'])
  })

  it('measures chat fan-out against Hubbub, plain Socket.IO and raw ws, with nothing lost or duplicated', () => {
    const chat = scenario('chat-fanout')
    for (const target of ['hubbub', 'plain', 'raw']) {
      const t = chat.targets[target]
      assert.ok(t, `expected chat-fanout target ${target}`)
      numeric(`chat-fanout.${target}`, t, ['maxRate', 'deliveriesPerSec', 'cpuPerDeliveryUs', 'deliveriesPerCpuSec', 'errors', 'lost', 'duplicated',
        'reference.rate', 'reference.cpuPerDeliveryUs', ...latency('latencyAtMax'), ...latency('reference.latency'), ...server, ...generator])
      assert.ok(t.deliveriesPerSec > 0, `chat-fanout.${target}: expected deliveries, got ${t.deliveriesPerSec}`)
      assert.ok(t.steps.length > 0, `chat-fanout.${target}: expected ramp steps`)
      assert.equal(t.clientsOpen, t.clients, `chat-fanout.${target}: expected every client still connected at the end, got ${t.clientsOpen}/${t.clients}`)
      zero(`chat-fanout.${target}`, t, ['lost', 'duplicated', 'errors'])
    }
  })

  it('measures reaction pushes beside message pushes on Hubbub at the same rate, every acked toggle pushed once to every other client', () => {
    const hubbub = scenario('chat-fanout').targets.hubbub
    const r = hubbub.reactions
    assert.ok(r, `expected chat-fanout.hubbub.reactions, got keys ${Object.keys(hubbub).join(', ')}`)
    numeric('chat-fanout.hubbub.reactions', r, ['rate', 'senders', 'messages', 'deliveriesPerSec', 'cpuPerDeliveryUs', 'messageCpuPerDeliveryUs', 'messageWindowsUs.0', 'messageWindowsUs.1', 'serverCpuUtil',
      'pushBytes', 'messagePushBytes', 'errors', 'lost', 'duplicated', 'unexpected', 'stale', ...latency('ackLatency'), ...server, ...generator])
    assert.equal(r.rate, hubbub.reference.rate, `chat-fanout.hubbub.reactions: expected the reference rate ${hubbub.reference.rate}, got ${r.rate}`)
    assert.ok(r.deliveriesPerSec > 0, `chat-fanout.hubbub.reactions: expected deliveries, got ${r.deliveriesPerSec}`)
    assert.ok(r.messages > 0 && r.pushBytes > 0, `chat-fanout.hubbub.reactions: expected messages reacted to and pushes measured, got ${r.messages}, ${r.pushBytes} bytes`)
    zero('chat-fanout.hubbub.reactions', r, ['lost', 'duplicated', 'unexpected', 'stale', 'errors'])
  })

  it('measures ticker fan-out against the naive per-symbol emit and raw ws, one frame per client per tick', () => {
    const ticker = scenario('ticker-fanout')
    assert.equal(ticker.status, 'ok', `expected the Hubbub ticker to run: ${ticker.note}`)
    for (const target of ['hubbub', 'naive', 'raw']) {
      const t = ticker.targets[target]
      assert.ok(t, `expected ticker-fanout target ${target}`)
      numeric(`ticker-fanout.${target}`, t, ['ticksPerSec', 'framesPerSec', 'quotesPerSec', 'quotesPerCpuSec', 'framesPerClientPerTick', 'extraFrames', 'errors', 'lost', 'duplicated',
        'generatorMsPerTick', ...latency('latency'), ...latency('push'), ...server, ...generator])
      assert.ok(t.quotesPerSec > 0, `ticker-fanout.${target}: expected quotes, got ${t.quotesPerSec}`)
      assert.ok(t.push.count > 0, `ticker-fanout.${target}: expected the server to time its ticks, got ${t.push.count}`)
      zero(`ticker-fanout.${target}`, t, ['lost', 'duplicated', 'errors'])
    }
    // The promise of Hubbub's ticker (and of the raw ws baseline): at most one frame per client per tick.
    for (const target of ['hubbub', 'raw']) {
      const t = ticker.targets[target]
      assert.ok(t.framesPerClientPerTick <= 1, `ticker-fanout.${target}: expected at most one frame per client per tick, got ${t.framesPerClientPerTick}`)
      zero(`ticker-fanout.${target}`, t, ['extraFrames'])
    }
  })

  it('measures connection capacity on three namespaces against plain Socket.IO', () => {
    const capacity = scenario('connection-capacity')
    for (const target of ['hubbub', 'plain']) {
      const t = capacity.targets[target]
      assert.ok(t, `expected connection-capacity target ${target}`)
      numeric(`connection-capacity.${target}`, t, ['connectPerSec', 'cpuPerUserMs', 'rssBeforeMiB', 'rssAfterMiB', 'rssPerUserKiB', 'heapPerUserKiB', 'idleCpuUtil',
        'errors', 'connectedAfterIdle', 'serverSockets', ...latency('connectLatency'), ...server, ...generator])
      assert.equal(t.connected, t.users, `connection-capacity.${target}: expected every user connected, got ${t.connected}/${t.users}`)
      assert.equal(t.connectedAfterIdle, t.users, `connection-capacity.${target}: expected every user still connected after the idle, got ${t.connectedAfterIdle}/${t.users}`)
      assert.equal(t.serverSockets, t.sockets, `connection-capacity.${target}: expected the server to hold ${t.sockets} sockets after the idle, got ${t.serverSockets}`)
      zero(`connection-capacity.${target}`, t, ['errors'])
    }
  })

  const persistence = (store: 'sqlite' | 'postgres') => {
    const p = scenario('persistence')
    const t = p.stores[store]
    assert.ok(t, `expected persistence on ${store}, got ${Object.keys(p.stores).join(', ') || 'none'}; skipped: ${JSON.stringify(p.skipped)}`)
    numeric(`persistence.${store}`, t, ['ackedPerSec', 'cpuPerAckUs', 'checked', 'errors', 'lost', 'duplicated', 'seqGaps', 'storedUnacked',
      ...latency('ackLatency'), ...server, ...generator])
    numeric('persistence', p, ['offeredPerSec'])
    assert.ok(t.ackedPerSec > 0, `persistence.${store}: expected acked sends, got ${t.ackedPerSec}`)
    assert.ok(t.checked > 0, `persistence.${store}: expected acked messages to check, got ${t.checked}`)
    zero(`persistence.${store}`, t, ['lost', 'duplicated', 'seqGaps', 'storedUnacked', 'errors'])
  }

  it('measures persistence on SQLite and finds every acknowledged message in the database after kill -9', () => persistence('sqlite'))

  // The run itself fails when CI or HUBBUB_REQUIRE_SERVICES is set and PostgreSQL does not answer.
  it('measures persistence on PostgreSQL and finds every acknowledged message there after kill -9', (t) => {
    const skipped = results.scenarios.persistence?.skipped?.postgres
    if (skipped && !servicesRequired) return t.skip(skipped)
    persistence('postgres')
  })

  it('brings every client back and caught up after a restart', () => {
    const r = scenario('reconnect-storm')
    numeric('reconnect-storm', r, ['restartMs', 'allBackSec', 'allCaughtUpSec', 'allCaughtUpAfterReadySec', 'messagesPosted', 'errors', 'lost', 'duplicated',
      ...latency('reconnectLatency'), ...latency('caughtUpLatency'), ...server, ...generator])
    assert.equal(r.caughtUp, r.clients, `reconnect-storm: expected every client caught up, got ${r.caughtUp}/${r.clients}`)
    zero('reconnect-storm', r, ['errors', 'lost', 'duplicated'])
  })

  it('runs chat and the ticker on 1 node and on 2 nodes over Redis, nothing lost, one frame per client per tick on both, or says why it skipped', (t) => {
    const c = scenario('cluster-fanout')
    if (c.skipped) {
      assert.equal(typeof c.skipped, 'string')
      t.skip(`cluster-fanout skipped: ${c.skipped}`)
      return
    }
    for (const layout of ['single', 'cluster']) {
      const l = c.layouts[layout]
      assert.ok(l, `expected cluster-fanout layout ${layout}`)
      numeric(`cluster-fanout.${layout}`, l, ['deliveriesPerSec', 'cpuPerDeliveryUs', 'redisCpu', 'errors', 'lost', 'duplicated', ...latency('latency'), ...generator,
        'ticker.framesPerClientPerTick', 'ticker.ticksPerSec', 'ticker.extraFrames'])
      assert.ok(l.deliveriesPerSec > 0, `cluster-fanout.${layout}: expected deliveries, got ${l.deliveriesPerSec}`)
      assert.equal(l.clientsOpen, c.clients, `cluster-fanout.${layout}: expected every client still connected, got ${l.clientsOpen}/${c.clients}`)
      zero(`cluster-fanout.${layout}`, l, ['lost', 'duplicated', 'errors'])
      zero(`cluster-fanout.${layout}.ticker`, l.ticker, ['extraFrames', 'duplicated'])
      assert.ok(l.ticker.framesPerClientPerTick >= 0.95 && l.ticker.framesPerClientPerTick <= 1.02,
        `cluster-fanout.${layout}: expected one ticker frame per client per tick, got ${l.ticker.framesPerClientPerTick}`)
    }
    assert.equal(c.layouts.cluster.nodeCpu.length, 2, 'cluster-fanout: expected the CPU of both nodes')
  })

  it('searches on both stores, every kind of query, and both find the same first pages', (t) => {
    const r = scenario('search')
    for (const store of ['sqlite', 'postgres'] as const) {
      const figures = r.stores[store]
      if (!figures && store === 'postgres' && !servicesRequired && r.skipped.postgres) {
        t.diagnostic(`search on PostgreSQL skipped: ${r.skipped.postgres}`)
        continue
      }
      assert.ok(figures, `expected search on ${store}, got ${Object.keys(r.stores).join(', ') || 'none'}; skipped: ${JSON.stringify(r.skipped)}`)
      numeric(`search.${store}`, figures, ['messages', 'loadSec', 'indexBuildSec', 'indexMiB', ...latency('firstPage'), ...latency('scan')])
      assert.equal(figures.messages, r.messages, `search.${store}: every generated message written`)
      assert.ok(figures.queries.length >= 9 && figures.queries.some((q: { hits: number }) => q.hits > 0), `search.${store}: every kind of query, some with hits`)
    }
    if (r.stores.postgres) assert.equal(r.sameHits, 1, 'both stores answer the same first page to every query')
  })

  it('measures the market board in Chromium beside the baseline page: busy share, frames and long tasks, or says why it skipped', (t) => {
    const r = scenario('market-board')
    if (r.status === 'skipped' && !process.env.CI && !process.env.HUBBUB_REQUIRE_BROWSER) return t.skip(`market-board skipped: ${r.note}`)
    assert.equal(r.status, 'ok', `market-board: expected it to run, got ${r.status}: ${r.note}`)
    assert.ok(r.rates.length > 0, 'market-board: expected at least one tick rate measured')
    for (const { tickHz, board, baseline } of r.rates) {
      for (const [name, w] of [['board', board], ['baseline', baseline]]) {
        numeric(`market-board.${tickHz}.${name}`, w, ['busy', 'style', 'layout', 'script', 'framesPerSec', 'longTasks', 'longTaskMsPerSec', 'updatesPerSec', 'rows'])
        assert.ok(w.busy > 0 && w.busy <= 1.05, `market-board.${tickHz}.${name}: expected a busy share in (0, 1], got ${w.busy}`)
        assert.ok(w.framesPerSec > 0, `market-board.${tickHz}.${name}: expected frames, got ${w.framesPerSec}`)
        assert.ok(w.updatesPerSec > 0, `market-board.${tickHz}.${name}: expected the prices to change during the window, got ${w.updatesPerSec}/s`)
      }
      assert.equal(baseline.rows, board.rows, `market-board.${tickHz}: the baseline has as many rows as the board`)
    }
  })

  it('evaluates every target', () => {
    assert.ok(results.targets.length >= 10, `expected the targets, got ${results.targets.length}`)
    for (const target of results.targets) {
      // Only the targets of a store that was skipped (and allowed to be) go unevaluated, saying why.
      if (target.pass === null && !servicesRequired && target.detail.startsWith('skipped: ')) continue
      assert.ok(target.pass === true || target.pass === false, `target "${target.scenario}: ${target.target}" was not evaluated (value ${target.value}): ${target.detail}`)
    }
  })
})
