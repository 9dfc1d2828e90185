import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAppError } from '../../../server/errors.ts'
import { createMemoryRateLimiter } from '../../../server/rate-limit/memory-rate-limiter.ts'
import { takeOrRefuse } from '../../../server/rate-limit/take-or-refuse.ts'

/** The error takeOrRefuse rejects with, failing when it resolves. */
async function refusal (taking: Promise<void>) {
  try {
    await taking
  } catch (error) {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`)
    return error
  }
  assert.fail('expected rate_limited, got nothing thrown')
}

describe('takeOrRefuse', () => {
  it('takes a token while there is one', async () => {
    const limiter = createMemoryRateLimiter({ burst: 2, perSecond: 1, now: () => 0 })
    await takeOrRefuse(limiter, 'a', 'Slow down.')
    await takeOrRefuse(limiter, 'a', 'Slow down.')
    assert.deepEqual(await limiter.take('a'), { ok: false, retryAfterMs: 1000 }, 'both tokens were taken')
  })

  it('then refuses with rate_limited, the wait in words and in retryAfterMs', async () => {
    let t = 0
    const limiter = createMemoryRateLimiter({ burst: 1, perSecond: 1 / 30, now: () => t })
    await takeOrRefuse(limiter, 'a', 'Too many sign-in attempts.')
    const error = await refusal(takeOrRefuse(limiter, 'a', 'Too many sign-in attempts.'))
    assert.deepEqual(error.toJSON(), { code: 'rate_limited', message: 'Too many sign-in attempts. Try again in 30 seconds.', retryAfterMs: 30_000 })
    t = 29_500
    assert.equal((await refusal(takeOrRefuse(limiter, 'a', 'Wait.'))).message, 'Wait. Try again in 1 second.')
  })

  it('speaks in minutes for long waits', async () => {
    const limiter = createMemoryRateLimiter({ burst: 1, perSecond: 1 / 600, now: () => 0 })
    await takeOrRefuse(limiter, 'a', 'Wait.')
    assert.equal((await refusal(takeOrRefuse(limiter, 'a', 'Wait.'))).message, 'Wait. Try again in 10 minutes.')
  })
})
