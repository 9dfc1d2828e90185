import { execFile, execFileSync } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { servicesRequired } from './postgres.ts'

const run = promisify(execFile)

/** PG_BINDIR when set; else the newest Debian /usr/lib/postgresql/<version>/bin, else a folder on PATH; with initdb and pg_ctl. */
function findBinDir (): string | undefined {
  const debian = '/usr/lib/postgresql'
  const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : []
  const candidates = process.env.PG_BINDIR
    ? [process.env.PG_BINDIR]
    : [...versions.map((version) => join(debian, version, 'bin')), ...(process.env.PATH ?? '').split(delimiter)]
  return candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
}

const binDir = findBinDir()
// PostgreSQL refuses to run as root: as root, the cluster is the `postgres` OS user's.
const asRoot = process.getuid?.() === 0
/** The uid and gid of the `postgres` OS user (throws when there is none). */
const postgresIds = () => ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' })))

/**
 * False when a cluster of our own can be made (initdb and pg_ctl found, and as root a `postgres`
 * user to run them as); otherwise why not, to skip with. Where services are required, throws.
 */
export function ownPostgresSkipReason (): string | false {
  let why: string | false = binDir ? false : 'the PostgreSQL server programs (initdb, pg_ctl) were not found; set PG_BINDIR'
  if (!why && asRoot) {
    try { postgresIds() } catch { why = 'running as root, and there is no `postgres` user to run PostgreSQL as' }
  }
  if (why && servicesRequired) throw new Error(`${why}. CI and HUBBUB_REQUIRE_SERVICES need it.`)
  return why
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number }
    server.close(() => resolve(port))
  })
})

/** Clusters still on disk, each with its synchronous teardown, for a process that ends without `close()`. */
const leftovers = new Set<() => void>()
const tearDownAll = () => { for (const tearDown of leftovers) tearDown() }
let hooked = false
const hookProcessEnd = () => {
  if (hooked) return
  hooked = true
  process.on('exit', tearDownAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      tearDownAll()
      // Nobody else handles it: die of it, as without this listener.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    })
  }
}

/**
 * A throwaway PostgreSQL cluster of the test's own (initdb in a temporary folder, trust auth, no
 * fsync, on a free port of 127.0.0.1 and a socket in that folder), which the test may stop as by
 * a crash (`stop({ mode: 'immediate' })`) and start again on the same port with the same data.
 * `close()` stops it and removes the folder; a process that exits or is killed first does the same.
 */
export async function startOwnPostgres () {
  const why = ownPostgresSkipReason()
  if (why) throw new Error(`no PostgreSQL of our own: ${why}`)
  const dir = mkdtempSync(join(tmpdir(), 'hubbub-pg-'))
  const data = join(dir, 'data')
  const log = join(dir, 'postgres.log')
  const command = (tool: string, args: string[]): [string, string[]] => asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(binDir!, tool), ...args]]
    : [join(binDir!, tool), args]
  const ctl = (...args: string[]) => ['-D', data, '-l', log, '-w', ...args]
  const tearDown = () => {
    leftovers.delete(tearDown)
    try { execFileSync(...command('pg_ctl', ctl('stop', '-m', 'immediate')), { stdio: 'ignore', cwd: dir }) } catch { /* it was not running */ }
    rmSync(dir, { recursive: true, force: true })
  }
  leftovers.add(tearDown)
  hookProcessEnd()
  // Failures carry the server's own log, which says why (a port taken, a bad setting).
  const runOrExplain = async (tool: string, args: string[]) => {
    try {
      await run(...command(tool, args), { cwd: dir })
    } catch (error) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''
      throw new Error(`${tool} ${args.join(' ')} failed: ${(error as { stderr?: string }).stderr || error}\n${serverLog}`, { cause: error })
    }
  }
  try {
    if (asRoot) {
      const [uid, gid] = postgresIds()
      chownSync(dir, uid!, gid!)
    }
    await runOrExplain('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
    const port = await freePort()
    // fsync off costs nothing here: the machine does not crash, only PostgreSQL stops. Commits
    // stay synchronous: what PostgreSQL acknowledged is written (to the OS) before it answers.
    appendFileSync(join(data, 'postgresql.conf'), `
port = ${port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}'
fsync = off
`)
    const start = () => runOrExplain('pg_ctl', ctl('start'))
    await start()
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      /** Stops the server; `immediate` is a crash: no checkpoint, clients cut off, recovery at the next start. */
      stop: ({ mode = 'fast' }: { mode?: 'smart' | 'fast' | 'immediate' } = {}) =>
        runOrExplain('pg_ctl', ctl('stop', '-m', mode)),
      /** Starts it again on the same port and data; resolves once it accepts connections. */
      start,
      async close () {
        tearDown()
      }
    }
  } catch (error) {
    tearDown()
    throw error
  }
}

export type OwnPostgres = Awaited<ReturnType<typeof startOwnPostgres>>
