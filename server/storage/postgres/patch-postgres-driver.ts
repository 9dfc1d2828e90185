/**
 * `postinstall`: mends the PostgreSQL driver (postgres.js 3.4.9, its newest release) where a
 * connection dies under it, as when PostgreSQL restarts (test/reliability/postgres-outage.test.ts):
 *
 * - A statement sent on a connection that had just closed (a transaction's ROLLBACK after its
 *   connection was cut) was left to a timer that then wrote to no socket: an uncaught TypeError
 *   that ended the process. It now fails alone, with CONNECTION_CLOSED, and nothing is written.
 * - A connection that closed with a write still waiting kept that write's timer, so it never
 *   wrote again: every reconnection of that pool slot waited out `connect_timeout` (5 s) and
 *   failed, for the life of the process. Closing now forgets the timer and the unsent bytes.
 *
 * Upstream: porsager/postgres#1066, #1154 and #1208 (fixes proposed in #1168 and #1209, none
 * released). Each of the driver's three builds gets the same lines; when a build's text is not
 * the known one (another version), installing fails and says so: see whether that version fixes
 * these, and drop this file and the `postinstall` script if it does.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const MARK = '// hubbub:'
const builds = ['src', 'cjs/src', 'cf/src'].map((dir) => join(dir, 'connection.js'))

/** Lines added after text found once in each build, in the order they come in the file. */
const edits = [
  {
    after: "  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n",
    add: `    if (!socket) { ${MARK} a statement after the close fails alone; nothing is written
      queryError(q, Errors.connection('CONNECTION_CLOSED', options))
      return true
    }\n`
  },
  {
    after: '  function nextWrite(fn) {\n',
    add: `    if (!socket) { ${MARK} never throw from the timer
      chunk = nextWriteTimer = null
      return false
    }\n`
  },
  // terminate(), then closed().
  ...[1, 2].map(() => ({
    after: '    clearImmediate(nextWriteTimer)\n',
    add: `    chunk = nextWriteTimer = null ${MARK} a closed connection may write again\n`
  }))
]

const mend = (text: string) => {
  let mended = text
  let from = 0
  for (const { after, add } of edits) {
    const at = mended.indexOf(after, from)
    if (at < 0) return undefined
    from = at + after.length
    mended = mended.slice(0, from) + add + mended.slice(from)
    from += add.length
  }
  return mended
}

/** Mends each build of the driver in `driverDir`; returns what it did to each. Throws when one is unknown. */
export function patchPostgresDriver (driverDir: string) {
  const { version } = JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')) as { version: string }
  return builds.map((build) => {
    const path = join(driverDir, build)
    const text = readFileSync(path, 'utf8')
    if (text.includes(MARK)) return `${build}: already mended`
    const mended = mend(text)
    if (!mended) {
      throw new Error(`postgres ${version}: ${build} is not the text server/storage/postgres/patch-postgres-driver.ts mends; ` +
        'see whether this version fixes porsager/postgres#1208 and drop the patch if it does')
    }
    writeFileSync(path, mended)
    return `${build}: mended`
  })
}

if (import.meta.main) {
  const driverDir = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'postgres')
  try {
    process.stdout.write(`postgres driver: ${patchPostgresDriver(driverDir).join(', ')}\n`)
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  }
}
