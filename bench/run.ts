/**
 * `npm run bench [-- --quick] [-- --scenario <name>[,<name>]] [-- --out <file>] [-- --workers <n>]`
 *
 * Runs the scenarios against Hubbub and the baselines on this machine, prints a table with the
 * ratios and the targets, and writes the whole result as JSON under bench/results/.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { planCpus, pinSelf, benchDir } from './lib/processes.ts'
import { createProgress } from './lib/progress.ts'
import type { BenchContext } from './lib/harness.ts'
import { evaluate, renderReport, type BenchResults } from './report.ts'
import { runChatFanout } from './scenarios/chat-fanout.ts'
import { runTickerFanout } from './scenarios/ticker-fanout.ts'
import { runConnectionCapacity } from './scenarios/connection-capacity.ts'
import { runPersistence } from './scenarios/persistence.ts'
import { runReconnectStorm } from './scenarios/reconnect-storm.ts'
import { runClusterFanout } from './scenarios/cluster-fanout.ts'
import { runSearch } from './scenarios/search.ts'
import { runMarketBoard } from './scenarios/market-board.ts'

export const scenarios = {
  'chat-fanout': runChatFanout,
  'ticker-fanout': runTickerFanout,
  'connection-capacity': runConnectionCapacity,
  persistence: runPersistence,
  'reconnect-storm': runReconnectStorm,
  'cluster-fanout': runClusterFanout,
  search: runSearch,
  'market-board': runMarketBoard
} as const
export type ScenarioName = keyof typeof scenarios
const names = Object.keys(scenarios) as ScenarioName[]

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    out: { type: 'string' },
    workers: { type: 'string' },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
})

if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [--quick] [--scenario ${names.join('|')}[,...]] [--out file.json] [--workers n] [--profile]\n` +
    '  --profile  servers write a V8 CPU profile of each measurement window under bench/results/profiles/\n')
  process.exit(0)
}

const chosen = (values.scenario ?? names.join(',')).split(',').map((name) => name.trim()).filter(Boolean)
const unknown = chosen.filter((name) => !names.includes(name as ScenarioName))
if (unknown.length > 0) {
  process.stderr.write(`Unknown scenario ${unknown.join(', ')}; known: ${names.join(', ')}\n`)
  process.exit(2)
}

const workers = values.workers === undefined ? undefined : Number(values.workers)
if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) {
  process.stderr.write(`--workers must be an integer from 1 to 64, got ${values.workers}\n`)
  process.exit(2)
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const plan = planCpus()
pinSelf(plan)
const progress = createProgress()
const ctx: BenchContext = {
  quick: values.quick,
  plan,
  progress,
  // One worker per generator core. More processes than cores time-slice: on two cores, two
  // workers sharing the generator's one core added 15-20 ms to the chat p99 (37 ms against 20 ms
  // at 20 msg/s), a delay of the generator, not of the server.
  workerCount: workers ?? plan.generatorCores,
  warnings: [],
  aborted: false,
  profileDir: values.profile ? join(benchDir, 'results', 'profiles', stamp) : null
}
process.on('SIGINT', () => {
  if (ctx.aborted) process.exit(130)
  ctx.aborted = true
  progress.log('Stopping after the current step (Ctrl-C again to quit now)...')
})

const fileLimit = (() => {
  try { return Number(execFileSync('bash', ['-c', 'ulimit -n']).toString().trim()) } catch { return Number.NaN }
})()
const cpuModel = cpus()[0]?.model ?? (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown')

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  quick: ctx.quick,
  machine: {
    nproc: plan.cores,
    cpuModel,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    taskset: plan.taskset,
    serverCpus: plan.server,
    generatorCpus: plan.generator,
    workers: ctx.workerCount,
    fileLimit,
    loadBefore: loadavg(),
    loadAfter: []
  },
  scenarios: {},
  errors: {},
  warnings: ctx.warnings,
  targets: []
}

progress.log(`Hubbub bench${ctx.quick ? ' (quick)' : ''}: ${plan.cores} cores (${cpuModel}), node ${process.version}, ` +
  (plan.taskset ? `server on cpu ${plan.server}, generator on cpu ${plan.generator}` : 'no CPU pinning (taskset unavailable or one core)') +
  `, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
if (loadavg()[0]! > plan.cores * 0.5) progress.log('  note: the machine is busy; ratios hold better than absolute figures')

for (const name of chosen as ScenarioName[]) {
  if (ctx.aborted) break
  const started = performance.now()
  progress.log(`== ${name}`)
  try {
    ;(results.scenarios as Record<string, unknown>)[name] = await scenarios[name](ctx)
  } catch (error) {
    const message = error instanceof Error ? error.stack ?? error.message : String(error)
    results.errors[name] = message
    progress.log(`  ${name} failed: ${message}`)
  }
  progress.done()
  progress.log(`   ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

await ctx.workers?.stop()
results.finishedAt = new Date().toISOString()
results.machine.loadAfter = loadavg()
results.targets = evaluate(results)
progress.done()
process.stdout.write(renderReport(results))

const out = values.out ?? join(benchDir, 'results', `${stamp}${ctx.quick ? '-quick' : ''}.json`)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(`\nResults: ${out}\n`)
if (ctx.profileDir) process.stdout.write(`CPU profiles: ${ctx.profileDir} (node bench/profile-summary.ts <file>, or open in Chrome DevTools)\n`)
process.exit(Object.keys(results.errors).length > 0 || ctx.aborted ? 1 : 0)
