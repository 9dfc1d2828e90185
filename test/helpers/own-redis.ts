import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { servicesRequired } from './postgres.ts'

/** Why a Redis of the test's own cannot be started here (no redis-server), or false. */
export function ownRedisSkipReason () {
  if (!spawnSync('redis-server', ['--version']).error) return false
  const why = 'redis-server is not installed (apt-get install redis-server)'
  if (servicesRequired) throw new Error(`${why}; CI and HUBBUB_REQUIRE_SERVICES need it.`)
  return why
}

async function answers (url: string) {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 500 }).on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

/**
 * A redis-server of the test's own on `port` (nothing on disk): a fault test stops and starts it
 * without touching the machine's Redis. It is killed when the test process exits, whatever happens.
 */
export async function startOwnRedis (port: number) {
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | null = null
  const killOnExit = () => child?.kill('SIGKILL')
  process.once('exit', killOnExit)
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    const deadline = Date.now() + 10_000
    while (!await answers(url)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  /** Stops it at once (SIGKILL: a crash; its data is gone, as with a Redis that keeps nothing on disk). */
  const stop = async () => {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    url,
    start,
    stop,
    async close () {
      await stop()
      process.off('exit', killOnExit)
    }
  }
}
