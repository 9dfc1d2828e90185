import type { FastifyBaseLogger } from 'fastify'
import { Redis, type RedisOptions } from 'ioredis'
import { describeFailure, withoutPassword } from '../storage/describe-database.ts'
import { StartupError } from '../errors.ts'

/** "Redis at redis://cache:6379 (host cache, port 6379)": for messages, without the password. */
export function describeRedis (url: string) {
  const { hostname, port } = new URL(url)
  return `Redis at ${withoutPassword(url)} (host ${hostname || 'localhost'}, port ${port || 6379})`
}

/** Reconnects every 50 ms more, up to 2 s apart, for as long as it takes: an outage never ends the process. */
const retryStrategy = (times: number) => Math.min(times * 50, 2000)

/** A Redis outage is logged once when it starts and once when it ends, not on every retry. */
function logOutages (client: Redis, what: string, log: Pick<FastifyBaseLogger, 'warn' | 'info'>) {
  let down = false
  client.on('error', (err) => {
    if (down) return
    down = true
    log.warn({ err: { message: describeFailure(err) } }, `${what}: Redis does not answer; retrying`)
  })
  client.on('ready', () => {
    if (!down) return
    down = false
    log.info(`${what}: Redis is back`)
  })
}

export interface RedisConnections {
  /**
   * Hubbub's own commands (presence, limits, the market lease): they fail at once while Redis is
   * away (no offline queue) and after `commandTimeout` when it hangs, so callers fall back fast.
   */
  commands: Redis
  /** The Socket.IO adapter's: commands wait for Redis to come back, so broadcasts resume by themselves. */
  adapter: Redis
  /** A new connection for subscriptions (a subscribed connection can run nothing else). */
  subscriber: () => Redis
  close: () => Promise<void>
}

/**
 * Connects to `url`, failing fast with one line (which Redis, what went wrong) when it does not
 * answer at start. Later outages are survived: clients reconnect by themselves.
 */
export async function connectRedis (url: string, log: Pick<FastifyBaseLogger, 'warn' | 'info'>): Promise<RedisConnections> {
  const base: RedisOptions = { lazyConnect: true, retryStrategy, connectTimeout: 5000 }
  const commands = new Redis(url, { ...base, enableOfflineQueue: false, commandTimeout: 2000, maxRetriesPerRequest: 1 })
  const opened: Redis[] = [commands]
  const open = (name: string, options: RedisOptions) => {
    const client = new Redis(url, { ...base, ...options })
    logOutages(client, name, log)
    opened.push(client)
    client.connect().catch(() => {})
    return client
  }
  try {
    // At start, one failed attempt is the answer: no retries behind the operator's back.
    commands.options.retryStrategy = () => null
    await commands.connect()
    commands.options.retryStrategy = retryStrategy
  } catch (error) {
    commands.disconnect()
    throw new StartupError(`${describeRedis(url)} does not answer (${describeFailure(error)}). Start Redis or check REDIS_URL.`)
  }
  logOutages(commands, 'commands', log)
  const adapter = open('adapter', {})
  // The adapter reads through duplicates of its client, and lets go of them only after a read
  // returns, which never happens while Redis is away: close() drops them itself.
  const duplicate = adapter.duplicate.bind(adapter)
  adapter.duplicate = (...args) => {
    const copy = duplicate(...args)
    opened.push(copy)
    return copy
  }
  return {
    commands,
    adapter,
    subscriber: () => open('subscriber', {}),
    async close () {
      // QUIT lets the others send what they hold; on `commands` it would leave its 2 s command
      // timer running after the reply (the process then lingers), and nothing waits there anyway.
      commands.disconnect()
      await Promise.all(opened.filter((client) => client !== commands).map((client) =>
        client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect()))
    }
  }
}
