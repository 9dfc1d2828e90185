import { createHash } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { Budget } from '../../shared/limits.ts'
import { describeFailure } from '../storage/describe-database.ts'
import { createMemoryRateLimiter } from './memory-rate-limiter.ts'
import type { RateLimiter } from './rate-limiter.ts'

/**
 * A take, atomic in Redis: the token bucket kept as one number (GCRA), the time at which the
 * bucket is full again. `tokens = burst - (full - now) * perSecond`, so a take of `cost` fits while
 * `full + cost / perSecond - now <= burst / perSecond`; the key expires when the bucket is full,
 * and a missing key is a full bucket. KEYS[1] is the bucket; ARGV burst, perSecond, cost, then the
 * time in ms and how long to keep the key, both '' for Redis's own clock (every node then reads the
 * same one, and Redis expires the key when it is full). Answers 0 when the tokens were taken,
 * otherwise the ms until they can be (rounded up, as the in-memory buckets do).
 */
const TAKE = `
local burst, perSecond, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now, keep = tonumber(ARGV[4]), tonumber(ARGV[5])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end
local interval = 1000 / perSecond
local full = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
local after = full + cost * interval
local wait = after - now - burst * interval
if wait > 0 then return math.ceil(wait) end
redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.max(1, math.ceil(after - now), keep or 0))
return 0
`
const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex')
/**
 * With an injected clock (tests), Redis's clock is not the buckets' time: a key expiring after the
 * time to full on the injected clock could go while its bucket is still in use (a frozen clock's
 * ten sends in a second would be forgotten after 100 real ms). Such keys are kept this long.
 */
const INJECTED_CLOCK_KEEP_MS = 3_600_000

/**
 * Limits whose budgets live in Redis, one per key across every node. When Redis fails (an error,
 * or no answer within the client's command timeout), a take is answered by this node's own
 * in-memory bucket for that limit instead: still limited, per node, never failing the command.
 * The outage is logged once for all limits, and so is its end; while it lasts, one take every
 * `retryEveryMs` tries Redis and the others go straight to the node's buckets.
 */
export function createRedisRateLimits ({ redis, log, now, retryEveryMs = 1000 }: {
  /** A client that fails fast while Redis is away (`RedisConnections.commands`). */
  redis: Redis
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  /** The clock of every bucket; omitted, Redis's own (`TIME`), so nodes with skewed clocks agree. */
  now?: () => number
  retryEveryMs?: number
}) {
  const clock = now ?? Date.now
  let down = false
  let retryAt = 0

  const run = async (key: string, args: Array<number | string>) => {
    try {
      return await redis.evalsha(TAKE_SHA, 1, key, ...args)
    } catch (error) {
      // Redis restarted or its scripts were flushed: load it again with the call.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await redis.eval(TAKE, 1, key, ...args)
    }
  }

  return {
    /** The limit `budget` for keys under `prefix` (`cluster.key('limit:<name>:')`). */
    limiter ({ prefix, burst, perSecond }: Budget & { prefix: string }): RateLimiter {
      const own = createMemoryRateLimiter({ burst, perSecond, now: clock })
      return {
        async take (key, cost = 1) {
          if (down) {
            if (clock() < retryAt) return own.take(key, cost)
            retryAt = clock() + retryEveryMs
          }
          try {
            const wait = Number(await run(prefix + key, [burst, perSecond, cost, ...(now ? [now(), INJECTED_CLOCK_KEEP_MS] : ['', ''])]))
            if (down) {
              down = false
              log.info('rate limits: Redis answers again; limits are shared by all nodes again')
            }
            return wait === 0 ? { ok: true } : { ok: false, retryAfterMs: wait }
          } catch (err) {
            if (!down) {
              down = true
              log.warn({ err: { message: describeFailure(err) } }, 'rate limits: Redis does not answer; each node limits on its own until it does')
            }
            retryAt = clock() + retryEveryMs
            return own.take(key, cost)
          }
        }
      }
    }
  }
}
