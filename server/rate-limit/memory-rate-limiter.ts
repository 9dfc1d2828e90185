import type { Budget } from '../../shared/limits.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { createTokenBucketLimiter } from './token-bucket.ts'

/** A limit kept in this process's memory: the whole budget on one node, or a node's own during a Redis outage. */
export function createMemoryRateLimiter ({ burst, perSecond, now = Date.now }: Budget & { now?: () => number }): RateLimiter {
  const buckets = createTokenBucketLimiter({ burst, perSecond, now })
  return {
    async take (key, cost = 1) {
      return buckets.take(key, cost) ? { ok: true } : { ok: false, retryAfterMs: buckets.retryAfterMs(key, cost) }
    }
  }
}
