/**
 * `node bench/trace-summary.ts <file.trace.json>`: where a page's main thread went in a Chromium
 * trace (the market-board scenario writes one per window with --profile). Self time of the
 * timeline events on the renderer's main thread, by name, over the trace's span.
 */
import { readFileSync } from 'node:fs'

interface TraceEvent { name: string, ph: string, ts: number, dur?: number, pid: number, tid: number, args?: { name?: string } }

const file = process.argv[2]
if (!file) {
  process.stderr.write('Usage: node bench/trace-summary.ts <file.trace.json>\n')
  process.exit(2)
}
const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[]
const events = Array.isArray(parsed) ? parsed : parsed.traceEvents
const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
if (!main) throw new Error('no CrRendererMain thread in the trace')
const complete = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
const span = (Math.max(...complete.map((e) => e.ts + e.dur!)) - Math.min(...complete.map((e) => e.ts))) / 1000

// Self time: each event's duration less that of its direct children (events nest on one thread).
const self = new Map<string, number>()
const stack: { event: TraceEvent, end: number, children: number }[] = []
const close = (until: number) => {
  while (stack.length > 0 && stack.at(-1)!.end <= until) {
    const done = stack.pop()!
    self.set(done.event.name, (self.get(done.event.name) ?? 0) + (done.event.dur! - done.children) / 1000)
    if (stack.length > 0) stack.at(-1)!.children += done.event.dur!
  }
}
let tasks = 0
for (const event of complete) {
  close(event.ts)
  if (stack.length === 0) tasks += event.dur! / 1000
  stack.push({ event, end: event.ts + event.dur!, children: 0 })
}
close(Number.POSITIVE_INFINITY)

const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
process.stdout.write([`${file}: ${span.toFixed(0)} ms traced, top-level events ${tasks.toFixed(0)} ms (${(100 * tasks / span).toFixed(1)}% busy); self time:`,
  ...rows.map(([name, ms]) => `${ms.toFixed(1).padStart(10)} ms  ${(100 * ms / tasks).toFixed(1).padStart(5)}%  ${name}`), ''].join('\n'))
