/**
 * One app node in a process of its own, for tests that kill it outright: starts `startApp()` with
 * the JSON options in argv[2] (`env` and JSON-able overrides), prints `{"url":…,"dir":…}` as one
 * line, and serves until killed (SIGTERM: a clean close; SIGKILL: nothing runs).
 */
import { startApp } from './app.ts'
import type { AppProcessOptions } from './app-process.ts'

const { env, overrides } = JSON.parse(process.argv[2]!) as AppProcessOptions
const node = await startApp({ env, ...overrides })
process.stdout.write(`${JSON.stringify({ url: node.url, dir: node.dir })}\n`)
process.once('SIGTERM', () => {
  node.close().then(() => process.exit(0), () => process.exit(1))
})
