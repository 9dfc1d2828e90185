/**
 * `node bench/profile-summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile (from
 * `npm run bench -- --profile`, or any `node --cpu-prof`) spent its time, by function (self
 * time) and by file (self time summed), so a cost can be named before it is fixed.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const [file, topArg] = process.argv.slice(2)
if (!file) {
  process.stderr.write('Usage: node bench/profile-summary.ts <file.cpuprofile> [top=25]\n')
  process.exit(2)
}
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const selfUs = new Map<number, number>()
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
}
const totalUs = profile.endTime - profile.startTime

const where = (url: string) => {
  if (!url) return '(native)'
  const path = url.replace(/^file:\/\//, '')
  const local = relative(process.cwd(), path)
  return local.startsWith('..') ? path : local
}

const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const label = (id: number) => {
  const { callFrame } = byId.get(id)!
  return `${callFrame.functionName || '(anonymous)'}  ${where(callFrame.url)}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`
}

const byFunction = new Map<string, number>()
/** Native self time (SQLite, syscalls, ...) charged to the nearest JavaScript caller. */
const nativeByCaller = new Map<string, number>()
const byFile = new Map<string, number>()
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id)!
  const name = label(id)
  byFunction.set(name, (byFunction.get(name) ?? 0) + us)
  if (!callFrame.url && callFrame.functionName && !callFrame.functionName.startsWith('(')) {
    let up = parent.get(id)
    while (up !== undefined && !byId.get(up)!.callFrame.url) up = parent.get(up)
    const key = `${callFrame.functionName} <- ${up === undefined ? '?' : label(up)}`
    nativeByCaller.set(key, (nativeByCaller.get(key) ?? 0) + us)
  }
  const group = where(callFrame.url).replace(/(node_modules\/(@[^/]+\/)?[^/]+)\/.*/, '$1')
  byFile.set(group, (byFile.get(group) ?? 0) + us)
}

const print = (title: string, rows: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`)
  for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}\n`)
  }
}
process.stdout.write(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled\n`)
print('Self time by function', byFunction)
print('Self time by file or package', byFile)
print('Native self time by JavaScript caller', nativeByCaller)
