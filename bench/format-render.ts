/**
 * `npm run bench:format`: how long the chat takes to show pathological 4,000-character messages,
 * measured where it matters: in Chromium's main thread, from the text to laid-out elements
 * (parse, Preact render, style and layout), and the parser alone in Node. Prints a table.
 *
 * The renderer is bundled for the page by Vite from the app's own module, so what is measured is
 * what ships. Never an assertion: figures vary with the machine (see bench/README.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { build, type Rollup } from 'vite'

const root = resolve(import.meta.dirname, '..')
const renderModule = join(root, 'client/src/chat/format/render-message.ts')
const parseModule = join(root, 'client/src/chat/format/parse-message.ts')
const RUNS = 25

const LENGTH = 4000
const fill = (unit: string) => unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH)
const messages: Record<string, string> = {
  'a typical message': 'Morning @alice! **Heads up**: the deploy is at 10:00, see https://example.com/runbook and `npm run build`.',
  'stars x 4000': '*'.repeat(LENGTH),
  'star-space x 2000': fill('* '),
  '**_~~ runs': fill('**_~~'),
  '**_~~ runs, then closed': fill('**_~~x').slice(0, LENGTH / 2) + fill('~~_**').slice(0, LENGTH / 2),
  'backticks x 4000': '`'.repeat(LENGTH),
  'backtick runs of 1..20': fill(Array.from({ length: 20 }, (_, i) => '`'.repeat(i + 1)).join('a')),
  'brackets [](': fill('[]('),
  'link openers': '['.repeat(2000) + fill('](https://x.dev)').slice(0, 2000),
  'words in *it* and **bold**': fill('*it* **bold** `c` '),
  fences: fill('```\n'),
  'quotes >': '>'.repeat(LENGTH),
  'list lines': fill('- a\n'),
  'mentions and links': fill('@alice https://x.dev/a_b '),
  '_a x 2000': fill('_a'),
  'plain lines (no formatting)': fill('a a\n')
}

// The page's entry: the app's renderer and Preact, bundled into one script.
const entryDir = join(root, 'node_modules/.cache/format-bench')
mkdirSync(entryDir, { recursive: true })
const entry = join(entryDir, 'entry.ts')
writeFileSync(entry, [
  "import { h, render } from 'preact'",
  `import { renderMessage } from ${JSON.stringify(renderModule)}`,
  "export const show = (text: string, root: Element) => render(h('div', { class: 'message-text' }, renderMessage(text, 'alice')), root)",
  'export const clear = (root: Element) => render(null, root)'
].join('\n'))
const output = await build({
  configFile: false,
  logLevel: 'silent',
  build: { write: false, minify: true, lib: { entry, formats: ['iife'], name: 'formatBench' } }
}) as Rollup.RollupOutput[]
const script = output[0]!.output.find((chunk) => chunk.type === 'chunk')!.code

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
const rows: { name: string, browserMedian: number, browserP90: number, parseMedian: number }[] = []
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ')
const loadBefore = load()
try {
  const page = await browser.newPage()
  await page.setContent('<!doctype html><style>.message-text{white-space:pre-wrap;overflow-wrap:anywhere;width:600px}</style><div id="root"></div>')
  await page.addScriptTag({ content: script })
  const { parseMessage } = await import(parseModule) as { parseMessage: (text: string) => unknown }
  for (const [name, text] of Object.entries(messages)) {
    const times = await page.evaluate(({ text, runs }) => {
      const bench = (globalThis as unknown as { formatBench: { show: (t: string, r: Element) => void, clear: (r: Element) => void } }).formatBench
      const root = document.getElementById('root')!
      const out: number[] = []
      for (let run = 0; run < runs + 3; run++) {
        bench.clear(root)
        root.getBoundingClientRect()
        const start = performance.now()
        bench.show(text, root)
        root.getBoundingClientRect() // style and layout, as the browser does before painting
        if (run >= 3) out.push(performance.now() - start)
      }
      return out
    }, { text, runs: RUNS })
    const parseTimes: number[] = []
    for (let run = 0; run < RUNS + 3; run++) {
      const start = performance.now()
      parseMessage(text)
      if (run >= 3) parseTimes.push(performance.now() - start)
    }
    const quantile = (values: number[], q: number) => values.toSorted((a, b) => a - b)[Math.floor((values.length - 1) * q)]!
    rows.push({ name, browserMedian: quantile(times, 0.5), browserP90: quantile(times, 0.9), parseMedian: quantile(parseTimes, 0.5) })
  }
} finally {
  await browser.close()
}

const pad = (value: string, width: number) => value.padEnd(width)
process.stdout.write(`Formatting: ${LENGTH}-character messages, ${RUNS} runs each (median, p90), target < 50 ms\n`)
process.stdout.write(`load average before ${loadBefore}, after ${load()} (on a busy machine trust the medians)\n\n`)
process.stdout.write(`${pad('message', 28)}${pad('Chromium render+layout', 26)}parse (Node)\n`)
for (const row of rows) {
  process.stdout.write(`${pad(row.name, 28)}${pad(`${row.browserMedian.toFixed(2)} ms (p90 ${row.browserP90.toFixed(2)})`, 26)}${row.parseMedian.toFixed(3)} ms\n`)
}
const worst = Math.max(...rows.map((row) => row.browserMedian))
process.stdout.write(`\nworst median: ${worst.toFixed(2)} ms ${worst < 50 ? '(under 50 ms)' : '(OVER 50 ms)'}\n`)
