/**
 * Scenario 8, the market board in a browser: Debian's Chromium (headless, playwright-core) on
 * Hubbub's market board at 4 and at 20 ticks a second, beside a baseline page in the same run: a
 * plain page with as many table rows as the board has symbols, whose cells are rewritten by
 * `textContent` at the same rate. Per window: the page's main-thread busy share (the DevTools
 * protocol's `Performance.getMetrics`: TaskDuration over wall time, with the style, layout and
 * script parts), frames a second (requestAnimationFrame callbacks counted in the page) and long
 * tasks (PerformanceObserver `longtask`). Never asserted: figures of a shared machine.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { clientBuildState, ensureClientBuild } from '../../server/ensure-client-build.ts'
import { sleep, startServer, warn, withProgress, type BenchContext } from '../lib/harness.ts'

export const CHROMIUM_PATH = '/usr/bin/chromium'
const RATES = [4, 20]
const VIEWPORT = { width: 1280, height: 800 }

export type BoardPage = 'board' | 'baseline'

export interface PageWindow {
  page: BoardPage
  tickHz: number
  windowSec: number
  /** Main-thread task time over wall time (0-1). */
  busy: number
  /**
   * Main-thread CPU time over wall time (DevTools' ThreadTime): below busy when the thread was
   * waiting for a core inside its tasks (a loaded machine stretches task time, not CPU time).
   */
  cpu: number
  /**
   * CPU time of every Chromium process (browser, renderers, GPU and its software compositing,
   * network) over wall time, in cores: what the page costs beyond its main thread (raster,
   * compositor frames). Both pages run alone in the same browser, so the difference is the page's.
   */
  browserCpu: number
  /** Parts of the busy time (0-1 of wall time each): style recalculation, layout, script; the rest is mostly paint. */
  style: number
  layout: number
  script: number
  framesPerSec: number
  longTasks: number
  /** Total time of the long tasks, ms per second of window. */
  longTaskMsPerSec: number
  /** Price cells changed a second (MutationObserver), to show both pages got the ticks. */
  updatesPerSec: number
  rows: number
}

export interface MarketBoardResult {
  status: 'ok' | 'skipped'
  note?: string
  viewport: typeof VIEWPORT
  windowSec: number
  rates: { tickHz: number, board: PageWindow, baseline: PageWindow }[]
}

export async function runMarketBoard (ctx: BenchContext): Promise<MarketBoardResult> {
  // Quick: one rate, short windows (the harness works; the figures mean nothing).
  const sizes = ctx.quick ? { rates: [4], warmMs: 500, windowMs: 1500 } : { rates: RATES, warmMs: 3000, windowMs: 10_000 }
  const result: MarketBoardResult = { status: 'ok', viewport: VIEWPORT, windowSec: sizes.windowMs / 1000, rates: [] }
  if (!existsSync(CHROMIUM_PATH)) {
    result.status = 'skipped'
    result.note = `Chromium not found at ${CHROMIUM_PATH}`
    warn(ctx, `market-board: ${result.note}`)
    return result
  }
  if (clientBuildState() !== 'fresh') {
    ctx.progress.log('  building the client (dist/client is missing or older than its sources)')
    await ensureClientBuild({ env: {}, print: (line) => ctx.progress.log(`  ${line}`) })
  }
  // Chromium runs on the generator's cores: the harness is pinned there and its children inherit it.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync']
  })
  try {
    for (const tickHz of sizes.rates) {
      if (ctx.aborted) break
      const board = await measureBoard(ctx, browser, tickHz, sizes)
      const baseline = await measureBaseline(ctx, browser, tickHz, board.rows, sizes)
      result.rates.push({ tickHz, board, baseline })
      ctx.progress.log(`  ${tickHz} Hz: board busy ${pct(board.busy)} at ${board.framesPerSec.toFixed(0)} fps, ${board.longTasks} long tasks; ` +
        `baseline busy ${pct(baseline.busy)} at ${baseline.framesPerSec.toFixed(0)} fps`)
    }
  } finally {
    await browser.close()
  }
  return result
}

const pct = (share: number) => `${(share * 100).toFixed(0)}%`

async function measureBoard (ctx: BenchContext, browser: Browser, tickHz: number, sizes: { warmMs: number, windowMs: number }) {
  const label = `market-board ${tickHz} Hz: Hubbub's board`
  const server = await startServer(ctx, 'hubbub', { env: { BENCH_SERVE_CLIENT: 'true', BENCH_TICKER_HZ: String(tickHz) } })
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', colorScheme: 'light' })
  try {
    const page = await context.newPage()
    const registered = await page.request.post(`${server.url}/api/auth/register`, {
      data: { username: `bench_board_${tickHz}`, password: 'bench board password' }
    })
    if (registered.status() !== 201) throw new Error(`${label}: registering the viewer answered ${registered.status()}: ${await registered.text()}`)
    const listed = ((await (await fetch(`${server.url}/api/ticker/quotes`)).json()) as { quotes: unknown[] }).quotes.length
    await page.goto(`${server.url}/market`)
    await page.waitForFunction((count) => document.querySelectorAll('tr.board-row').length === count &&
      document.querySelector('.live-badge[data-live="true"]') !== null, listed, { timeout: 30_000 })
    return await warmAndMeasure(ctx, browser, page, label, 'board', tickHz, sizes)
  } finally {
    await context.close()
    await server.stop()
  }
}

async function measureBaseline (ctx: BenchContext, browser: Browser, tickHz: number, rows: number, sizes: { warmMs: number, windowMs: number }) {
  const label = `market-board ${tickHz} Hz: baseline page`
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', colorScheme: 'light' })
  try {
    const page = await context.newPage()
    await page.setContent(baselinePage(rows, tickHz))
    return await warmAndMeasure(ctx, browser, page, label, 'baseline', tickHz, sizes)
  } finally {
    await context.close()
  }
}

/** A warm-up, then one measured window (traced with --profile). */
async function warmAndMeasure (ctx: BenchContext, browser: Browser, page: Page, label: string, kind: BoardPage, tickHz: number,
  sizes: { warmMs: number, windowMs: number }) {
  await withProgress(ctx, null, `${label}: warming up`, sleep(sizes.warmMs))
  const trace = await traceWindow(ctx, browser, page, `market-board-${tickHz}hz-${kind}`)
  const window = await withProgress(ctx, null, `${label}: measuring`, measure(page, kind, tickHz, sizes.windowMs))
  await trace()
  return window
}

/**
 * The baseline: a plain table of `rows` rows (symbol, price, change, change %, volume), every row's
 * four numbers rewritten by `textContent` on every tick, nothing else: no framework, no animation.
 */
function baselinePage (rows: number, tickHz: number) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<style>body{font:14px system-ui,sans-serif;margin:0;padding:24px}div{height:700px;overflow:auto;border:1px solid #ddd}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}td{height:44px;padding:0 12px;border-bottom:1px solid #eee;text-align:right}
td:first-child{text-align:left;font-weight:700}</style></head><body><div><table><tbody></tbody></table></div>
<script>
const body = document.querySelector('tbody')
const cells = []
let seed = 1
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
for (let i = 0; i < ${rows}; i++) {
  const tr = document.createElement('tr')
  const row = { price: 20 + 200 * random(), open: 0, volume: 0, td: [] }
  row.open = row.price
  for (let c = 0; c < 5; c++) { const td = document.createElement('td'); tr.append(td); row.td.push(td) }
  row.td[0].textContent = 'SYM' + i
  body.append(tr)
  cells.push(row)
}
setInterval(() => {
  for (const row of cells) {
    row.price *= 1 + (random() - 0.5) / 500
    row.volume += Math.floor(random() * 1000)
    const change = row.price - row.open
    row.td[1].textContent = row.price.toFixed(2)
    row.td[2].textContent = change.toFixed(2)
    row.td[3].textContent = (100 * change / row.open).toFixed(2) + '%'
    row.td[4].textContent = String(row.volume)
  }
}, ${1000 / tickHz})
</script></body></html>`
}

/** With --profile, a Chromium trace (DevTools' Performance panel can open it) of one window. */
async function traceWindow (ctx: BenchContext, browser: Browser, page: Page, name: string): Promise<() => Promise<void>> {
  if (!ctx.profileDir) return async () => {}
  mkdirSync(ctx.profileDir, { recursive: true })
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'] })
  return async () => {
    const file = join(ctx.profileDir!, `${name}.trace.json`)
    writeFileSync(file, await browser.stopTracing())
    ctx.progress.log(`  trace: ${file} (node bench/trace-summary.ts ${file})`)
  }
}

type Metrics = Record<string, number>
interface WindowCounts { frames: number, longTasks: number, longTaskMs: number, updates: number, rows: number }

/** One window: DevTools metrics before and after, and the page's own frame, long-task and mutation counts. */
async function measure (page: Page, kind: BoardPage, tickHz: number, windowMs: number): Promise<PageWindow> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' })
  const read = async (): Promise<Metrics> => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
  await page.evaluate(() => {
    const state = { frames: 0, longTasks: 0, longTaskMs: 0, updates: 0, running: true }
    const frame = () => {
      state.frames++
      if (state.running) requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
    const longTasks = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        state.longTasks++
        state.longTaskMs += entry.duration
      }
    })
    longTasks.observe({ type: 'longtask' })
    // The board's price cells (or the baseline's second column): each text change is one update.
    const cells = document.querySelectorAll('tr.board-row .price-text, tbody td:nth-child(2)')
    const mutations = new MutationObserver((records) => { state.updates += records.length })
    for (const cell of Array.from(cells)) mutations.observe(cell, { subtree: true, characterData: true, childList: true })
    Object.assign(window, {
      benchWindow: {
        stop () {
          state.running = false
          longTasks.disconnect()
          mutations.disconnect()
          return { frames: state.frames, longTasks: state.longTasks, longTaskMs: state.longTaskMs, updates: state.updates, rows: cells.length }
        }
      }
    })
  })
  const before = await read()
  const cpuBefore = chromiumCpuSeconds()
  await sleep(windowMs)
  const after = await read()
  const cpuAfter = chromiumCpuSeconds()
  const counts = await page.evaluate(() => (window as unknown as { benchWindow: { stop: () => WindowCounts } }).benchWindow.stop())
  await cdp.detach()
  const seconds = after.Timestamp! - before.Timestamp!
  const share = (name: string) => (after[name]! - before[name]!) / seconds
  return {
    page: kind,
    tickHz,
    windowSec: seconds,
    busy: share('TaskDuration'),
    cpu: share('ThreadTime'),
    browserCpu: (cpuAfter - cpuBefore) / seconds,
    style: share('RecalcStyleDuration'),
    layout: share('LayoutDuration'),
    script: share('ScriptDuration'),
    framesPerSec: counts.frames / seconds,
    longTasks: counts.longTasks,
    longTaskMsPerSec: counts.longTaskMs / seconds,
    updatesPerSec: counts.updates / seconds,
    rows: counts.rows
  }
}

const CLOCK_TICKS = 100

/**
 * CPU seconds (user and system) used so far by the Chromium processes this harness started: its
 * descendants whose command is Chromium, read from /proc (Linux; 0 elsewhere).
 */
function chromiumCpuSeconds (): number {
  if (!existsSync('/proc/self/stat')) return 0
  const parents = new Map<number, number>()
  const ticks = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // The command sits in parentheses and may hold spaces: fields are counted after its end.
    const close = stat.lastIndexOf(')')
    const command = stat.slice(stat.indexOf('(') + 1, close)
    const fields = stat.slice(close + 2).split(' ')
    parents.set(Number(name), Number(fields[1]))
    if (command.startsWith('chrom')) ticks.set(Number(name), Number(fields[11]) + Number(fields[12]))
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) if (at === process.pid) return true
    return false
  }
  let total = 0
  for (const [pid, used] of ticks) if (descends(pid)) total += used
  return total / CLOCK_TICKS
}
