/** Synchronous buckets in this process (the command budget's; named limits go through `RateLimiter`). */
export interface TokenBucketLimiter {
  /** Takes `cost` tokens (default one) for `key`; false, taking none, when it has fewer (the caller is limited). */
  take (key: string, cost?: number): boolean
  /** Time in ms until `key` has `cost` tokens again (0 when it has them now). */
  retryAfterMs (key: string, cost?: number): number
}

interface Bucket { tokens: number, at: number }

/**
 * In-memory token buckets: `burst` tokens at most, refilled at `perSecond`.
 * Full buckets are forgotten, so memory follows the number of active keys.
 */
export function createTokenBucketLimiter ({ burst, perSecond, now = Date.now }: { burst: number, perSecond: number, now?: () => number }): TokenBucketLimiter {
  const buckets = new Map<string, Bucket>()
  let sweptAt = now()
  const refill = (key: string) => {
    const t = now()
    const bucket = buckets.get(key) ?? { tokens: burst, at: t }
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond)
    bucket.at = t
    return bucket
  }
  // With many active keys, forget the full buckets at most once a second (not on every take).
  const sweep = () => {
    if (buckets.size < 10_000 || now() - sweptAt < 1000) return
    sweptAt = now()
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + ((now() - bucket.at) / 1000) * perSecond >= burst) buckets.delete(key)
    }
  }
  return {
    take (key, cost = 1) {
      const bucket = refill(key)
      if (bucket.tokens < cost) return false
      bucket.tokens -= cost
      buckets.set(key, bucket)
      sweep()
      return true
    },
    retryAfterMs (key, cost = 1) {
      const bucket = refill(key)
      return bucket.tokens >= cost ? 0 : Math.ceil(((cost - bucket.tokens) / perSecond) * 1000)
    }
  }
}
