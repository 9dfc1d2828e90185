import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAppError } from '../../../server/errors.ts'
import { takeOrRefuse } from '../../../server/rate-limit/take-or-refuse.ts'
import { createTokenBucketLimiter } from '../../../server/rate-limit/token-bucket.ts'

/** The error takeOrRefuse throws, failing when it throws none. */
function refusal (run: () => void) {
  try {
    run()
  } catch (error) {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`)
    return error
  }
  assert.fail('expected rate_limited, got nothing thrown')
}

describe('takeOrRefuse', () => {
  it('takes a token while there is one', () => {
    const limiter = createTokenBucketLimiter({ burst: 2, perSecond: 1, now: () => 0 })
    takeOrRefuse(limiter, 'a', 'Slow down.')
    takeOrRefuse(limiter, 'a', 'Slow down.')
    assert.equal(limiter.take('a'), false, 'both tokens were taken')
  })

  it('then refuses with rate_limited, the wait in words and in retryAfterMs', () => {
    let t = 0
    const limiter = createTokenBucketLimiter({ burst: 1, perSecond: 1 / 30, now: () => t })
    takeOrRefuse(limiter, 'a', 'Too many sign-in attempts.')
    const error = refusal(() => takeOrRefuse(limiter, 'a', 'Too many sign-in attempts.'))
    assert.deepEqual(error.toJSON(), { code: 'rate_limited', message: 'Too many sign-in attempts. Try again in 30 seconds.', retryAfterMs: 30_000 })
    t = 29_500
    assert.equal(refusal(() => takeOrRefuse(limiter, 'a', 'Wait.')).message, 'Wait. Try again in 1 second.')
  })

  it('speaks in minutes for long waits', () => {
    const limiter = createTokenBucketLimiter({ burst: 1, perSecond: 1 / 600, now: () => 0 })
    takeOrRefuse(limiter, 'a', 'Wait.')
    assert.equal(refusal(() => takeOrRefuse(limiter, 'a', 'Wait.')).message, 'Wait. Try again in 10 minutes.')
  })
})
