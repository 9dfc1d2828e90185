import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTokenBucketLimiter } from '../../../server/rate-limit/token-bucket.ts'

describe('createTokenBucketLimiter', () => {
  it('allows a burst, then refills at the steady rate', () => {
    let t = 0
    const limiter = createTokenBucketLimiter({ burst: 3, perSecond: 2, now: () => t })
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false])
    assert.equal(limiter.retryAfterMs('a'), 500)
    t = 499
    assert.equal(limiter.take('a'), false, 'not before a whole token has refilled')
    t = 500
    assert.equal(limiter.take('a'), true)
    t = 60_000
    assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [true, true, true, false], 'never more than the burst')
  })

  it('takes a cost of several tokens at once, or none', () => {
    let t = 0
    const limiter = createTokenBucketLimiter({ burst: 10, perSecond: 5, now: () => t })
    assert.equal(limiter.take('a', 4), true)
    assert.equal(limiter.take('a', 4), true)
    assert.equal(limiter.take('a', 4), false, 'two tokens left, four asked')
    assert.equal(limiter.retryAfterMs('a', 4), 400, 'two more tokens at five a second')
    assert.equal(limiter.take('a', 2), true, 'a refused take took nothing')
    t = 800
    assert.equal(limiter.take('a', 4), true)
  })

  it('keeps one bucket per key', () => {
    const limiter = createTokenBucketLimiter({ burst: 1, perSecond: 1, now: () => 0 })
    assert.equal(limiter.take('a'), true)
    assert.equal(limiter.take('a'), false)
    assert.equal(limiter.take('b'), true)
  })

  it('still limits correctly with many keys in play', () => {
    let t = 0
    const limiter = createTokenBucketLimiter({ burst: 1, perSecond: 1, now: () => t })
    for (let i = 0; i < 12_000; i++) limiter.take(`k${i}`)
    t = 2000
    for (let i = 0; i < 12_000; i++) assert.equal(limiter.take(`k${i}`), true)
    assert.equal(limiter.take('k1'), false)
  })
})
