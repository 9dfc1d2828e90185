import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { connectRedis } from '../../../server/cluster/redis.ts'
import { createRateLimiters } from '../../../server/rate-limit/create-rate-limiters.ts'
import { Limits } from '../../../shared/limits.ts'
import { redisSkipReason, redisTestUrl, testRedisPrefix } from '../../helpers/redis.ts'

const skipRedis = await redisSkipReason()
const quiet = { warn: () => {}, info: () => {} }
/** Limits with `chatSend` overridden to one message per minute, as `AppOverrides.limits` does. */
const limits = { ...Limits, chatSend: { burst: 1, perSecond: 1 / 60 } }

describe('createRateLimiters', () => {
  it('keeps the limits in this process without a cluster Redis, with the budgets it is given', async () => {
    const limiter = createRateLimiters({ limits, cluster: { redis: null, key: (name) => name }, log: quiet, now: () => 0 })
    const send = limiter('chatSend')
    assert.deepEqual([await send.take('u'), await send.take('u')], [{ ok: true }, { ok: false, retryAfterMs: 60_000 }])
  })

  describe('with a cluster Redis', { skip: skipRedis }, () => {
    const keys = testRedisPrefix()
    after(() => keys.clean())

    it('keeps each named limit under the cluster\'s limit:<name>: keys, with the budgets it is given', async () => {
      const redis = await connectRedis(redisTestUrl, quiet)
      try {
        const key = (name: string) => keys.prefix + name
        const limiter = createRateLimiters({ limits, cluster: { redis, key }, log: quiet, now: () => 0 })
        const [one, two] = [limiter('chatSend'), limiter('chatSend')]
        assert.deepEqual([await one.take('u'), await two.take('u')], [{ ok: true }, { ok: false, retryAfterMs: 60_000 }], 'one budget, whichever limiter takes')
        assert.equal(await redis.commands.exists(key('limit:chatSend:u')), 1)
      } finally {
        await redis.close()
      }
    })
  })
})
