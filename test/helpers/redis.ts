import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { freePorts } from './free-ports.ts'
import { servicesRequired } from './postgres.ts'

/** The Redis the tests may use; every test keeps to keys under a prefix of its own. */
export const redisTestUrl = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379'

/**
 * False when Redis answers; otherwise why not, to skip with. Where services are required (CI,
 * HUBBUB_REQUIRE_SERVICES), a Redis that does not answer throws instead.
 */
export async function redisSkipReason (): Promise<string | false> {
  const client = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 3000 }).on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return false
  } catch (error) {
    const why = `Redis at ${redisTestUrl} does not answer (${(error as Error).message}); set REDIS_URL_TEST`
    if (servicesRequired) throw new Error(`${why}. CI and HUBBUB_REQUIRE_SERVICES need Redis.`)
    return why
  } finally {
    client.disconnect()
  }
}

/** A fresh key prefix, and the function that deletes every key under it. */
export function testRedisPrefix () {
  const prefix = `hubbub-test-${randomBytes(5).toString('hex')}:`
  return {
    prefix,
    async clean () {
      const client = new Redis(redisTestUrl, { lazyConnect: true, retryStrategy: () => null }).on('error', () => {})
      try {
        await client.connect()
        let cursor = '0'
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          if (keys.length > 0) await client.unlink(...keys)
          cursor = next
        } while (cursor !== '0')
      } finally {
        client.disconnect()
      }
    }
  }
}

/**
 * False when `redis-server` can be run here; otherwise why not, to skip with. Where services are
 * required (CI, HUBBUB_REQUIRE_SERVICES), a missing redis-server throws instead.
 */
export function redisServerSkipReason (): string | false {
  const { error, status } = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  if (!error && status === 0) return false
  const why = `redis-server cannot be run (${error?.message ?? `exit ${status}`}); install Redis`
  if (servicesRequired) throw new Error(`${why}. CI and HUBBUB_REQUIRE_SERVICES need it for the outage tests.`)
  return why
}

/**
 * A redis-server of the test's own on a free port, keeping nothing on disk: `stop()` kills it
 * (an outage), `start()` runs it again on the same port, empty (a restart that lost the data).
 * `stop()` in `after` leaves nothing behind, and the test process's exit kills it in any case.
 */
export async function startRedisServer () {
  const port = await freePorts(1)
  let child: ChildProcess | undefined
  let exited = Promise.resolve()
  const start = () => new Promise<void>((resolve, reject) => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    exited = new Promise((resolve) => started.once('exit', () => resolve()))
    let output = ''
    const onData = (chunk: string) => {
      output += chunk
      if (output.includes('Ready to accept connections')) {
        started.stdout.off('data', onData).resume()
        resolve()
      }
    }
    started.stdout.setEncoding('utf8').on('data', onData)
    started.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
    started.once('error', reject)
    started.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited (${code}) before it was ready:\n${output}`)))
  })
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  // Whatever happens to the test, its redis-server goes with it.
  process.once('exit', () => child?.kill('SIGKILL'))
  await start()
  return { port, url: `redis://127.0.0.1:${port}`, start, stop }
}
