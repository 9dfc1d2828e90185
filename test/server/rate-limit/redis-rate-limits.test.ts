import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, before, describe, it } from 'node:test'
import { connectRedis, type RedisConnections } from '../../../server/cluster/redis.ts'
import type { RateLimiter } from '../../../server/rate-limit/rate-limiter.ts'
import { createRedisRateLimits } from '../../../server/rate-limit/redis-rate-limits.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'

const skip = await redisSkipReason()

/** A logger that keeps what it is given, to count outage lines. */
function recordingLog () {
  const lines = { warn: [] as string[], info: [] as string[] }
  const line = (level: 'warn' | 'info') => (...args: unknown[]) => { lines[level].push(args.find((arg) => typeof arg === 'string') ?? '') }
  return { lines, log: { warn: line('warn'), info: line('info') } }
}
const quiet = { warn: () => {}, info: () => {} }

/** `count` takes of one token each for `key`, one after the other. */
const takes = async (limiter: RateLimiter, key: string, count: number) => {
  const answers = []
  for (let i = 0; i < count; i++) answers.push(await limiter.take(key))
  return answers
}
const ok = { ok: true }
const refused = (retryAfterMs: number) => ({ ok: false, retryAfterMs })

describe('createRedisRateLimits', { skip }, () => {
  const keys = testRedisPrefix()
  const key = (name: string) => keys.prefix + name
  const opened: RedisConnections[] = []
  let redis: RedisConnections
  /** A node's connections to the test Redis (or to `url`). */
  const connectNode = async (url = redisTestUrl) => {
    const node = await connectRedis(url, quiet)
    opened.push(node)
    return node
  }

  before(async () => { redis = await connectNode() })
  after(async () => {
    // disconnect(), not quit(): a connection left stalled behind a proxy would never answer QUIT.
    for (const node of opened) {
      node.commands.disconnect()
      node.adapter.disconnect()
    }
    await keys.clean()
  })

  it('allows a burst, then refuses with the wait until a token is back, and refills at the steady rate', async () => {
    let t = 0
    const limiter = createRedisRateLimits({ redis: redis.commands, log: quiet, now: () => t }).limiter({ prefix: key('burst:'), burst: 3, perSecond: 2 })
    assert.deepEqual(await takes(limiter, 'a', 4), [ok, ok, ok, refused(500)])
    t = 499
    assert.deepEqual(await limiter.take('a'), refused(1), 'not before a whole token has refilled')
    t = 500
    assert.deepEqual(await limiter.take('a'), ok)
    t = 60_000
    assert.deepEqual(await takes(limiter, 'a', 4), [ok, ok, ok, refused(500)], 'never more than the burst')
  })

  it('takes a cost of several tokens at once, or none', async () => {
    let t = 0
    const limiter = createRedisRateLimits({ redis: redis.commands, log: quiet, now: () => t }).limiter({ prefix: key('cost:'), burst: 10, perSecond: 5 })
    assert.deepEqual(await limiter.take('a', 4), ok)
    assert.deepEqual(await limiter.take('a', 4), ok)
    assert.deepEqual(await limiter.take('a', 4), refused(400), 'two tokens left, four asked: two more at five a second')
    assert.deepEqual(await limiter.take('a', 2), ok, 'a refused take took nothing')
    t = 800
    assert.deepEqual(await limiter.take('a', 4), ok)
  })

  it('keeps one budget per key and limit, shared by every node that uses the same prefix', async () => {
    const other = await connectNode()
    const budget = { prefix: key('shared:'), burst: 2, perSecond: 1 }
    const [one, two] = [redis, other].map((node) => createRedisRateLimits({ redis: node.commands, log: quiet, now: () => 0 }).limiter(budget))
    assert.deepEqual([await one!.take('a'), await two!.take('a'), await one!.take('a'), await two!.take('a')], [ok, ok, refused(1000), refused(1000)])
    assert.deepEqual(await two!.take('b'), ok, 'another key has its own budget')
    const otherLimit = createRedisRateLimits({ redis: other.commands, log: quiet, now: () => 0 }).limiter({ ...budget, prefix: key('shared-other:') })
    assert.deepEqual(await otherLimit.take('a'), ok, 'another limit has its own budget')
  })

  it('reads Redis\'s own clock when it is given none', async () => {
    const limiter = createRedisRateLimits({ redis: redis.commands, log: quiet }).limiter({ prefix: key('clock:'), burst: 2, perSecond: 1 })
    const [first, second, third] = await takes(limiter, 'a', 3)
    assert.deepEqual([first, second], [ok, ok])
    assert.ok(!third!.ok && third!.retryAfterMs > 0 && third!.retryAfterMs <= 1000, `expected a refusal for at most a second, got ${JSON.stringify(third)}`)
  })

  it('keeps a bucket under its prefix only until it is full again, on Redis\'s clock', async () => {
    const limiter = createRedisRateLimits({ redis: redis.commands, log: quiet }).limiter({ prefix: key('expiry:'), burst: 3, perSecond: 1 / 10 })
    const ttl = () => redis.commands.pttl(key('expiry:a'))
    assert.equal(await ttl(), -2, 'a full bucket is no key at all')
    await limiter.take('a')
    const one = await ttl()
    assert.ok(one > 0 && one <= 10_000, `one token taken at one per 10 s: full in 10 s, expected a TTL in (0, 10000], got ${one}`)
    await takes(limiter, 'a', 2)
    const three = await ttl()
    assert.ok(three > 20_000 && three <= 30_000, `three tokens taken: full in 30 s, expected a TTL in (20000, 30000], got ${three}`)
    assert.equal((await limiter.take('a')).ok, false)
    assert.ok(await ttl() <= three, 'a refused take does not extend the key')
  })

  it('keeps a bucket for an hour when its clock is injected, whatever that clock says', async () => {
    const limiter = createRedisRateLimits({ redis: redis.commands, log: quiet, now: () => 0 }).limiter({ prefix: key('injected:'), burst: 3, perSecond: 10 })
    await limiter.take('a')
    const kept = await redis.commands.pttl(key('injected:a'))
    assert.ok(kept > 3_500_000 && kept <= 3_600_000, `full in 100 ms of the injected clock, which is not Redis's: expected about an hour, got ${kept} ms`)
  })

  describe('when Redis goes away', () => {
    const target = new URL(redisTestUrl)
    const proxied = async () => {
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) })
      const node = await connectNode(`redis://127.0.0.1:${proxy.port}`)
      return { proxy, node }
    }

    it('answers from the node\'s own bucket, logs the outage once, and shares again once Redis is back', { timeout: 15_000 }, async (t) => {
      const { proxy, node } = await proxied()
      t.after(() => proxy.close())
      let now = 0
      const { lines, log } = recordingLog()
      const limits = createRedisRateLimits({ redis: node.commands, log, now: () => now, retryEveryMs: 1000 })
      const budget = { prefix: key('outage:'), burst: 2, perSecond: 1 }
      const sends = limits.limiter(budget)
      const rooms = limits.limiter({ ...budget, prefix: key('outage-rooms:') })
      // Another node, whose Redis stays reachable.
      const elsewhere = createRedisRateLimits({ redis: redis.commands, log: quiet, now: () => now }).limiter(budget)

      assert.deepEqual(await sends.take('u'), ok, 'from Redis: one token of two left there')
      const closed = once(node.commands, 'close')
      await proxy.cut()
      await closed
      assert.deepEqual(await takes(sends, 'u', 3), [ok, ok, refused(1000)], 'the node\'s own bucket: still limited, never an error')
      assert.deepEqual(await rooms.take('u'), ok)
      assert.equal(lines.warn.length, 1, `one warning for the outage, whatever the number of takes and limits: ${JSON.stringify(lines.warn)}`)
      assert.match(lines.warn[0]!, /each node limits on its own/)
      assert.deepEqual(await takes(elsewhere, 'u', 2), [ok, refused(1000)], 'the shared budget was not touched during the outage')
      assert.deepEqual(await takes(elsewhere, 'w', 3), [ok, ok, refused(1000)])

      const ready = once(node.commands, 'ready')
      await proxy.restore()
      await ready
      assert.deepEqual(await sends.take('w'), ok, 'until the retry time, the node keeps to its own bucket (Redis has none left for w)')
      now = 1000
      assert.deepEqual(await takes(sends, 'w', 2), [ok, refused(1000)], 'shared again: one token refilled in Redis (the node\'s own bucket would give two)')
      assert.equal(lines.info.length, 1, `one line when Redis is back: ${JSON.stringify(lines.info)}`)
      assert.equal(lines.warn.length, 1, `no more warnings: ${JSON.stringify(lines.warn)}`)
    })

    it('falls back after the command timeout when Redis hangs, instead of holding the command', { timeout: 15_000 }, async (t) => {
      const { proxy, node } = await proxied()
      t.after(() => proxy.close())
      const { lines, log } = recordingLog()
      const limiter = createRedisRateLimits({ redis: node.commands, log, now: () => 0 }).limiter({ prefix: key('stall:'), burst: 2, perSecond: 1 })
      assert.deepEqual(await limiter.take('u'), ok)
      await proxy.stall()
      // Bounded by the client's command timeout (2 s); the test's own timeout catches a hang.
      assert.deepEqual(await limiter.take('u'), ok, 'answered by the node\'s own bucket')
      assert.deepEqual(await takes(limiter, 'u', 2), [ok, refused(1000)], 'the next takes go straight to it')
      assert.equal(lines.warn.length, 1, JSON.stringify(lines.warn))
    })
  })
})
