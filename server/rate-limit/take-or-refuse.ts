import { AppError } from '../errors.ts'
import type { RateLimiter } from './rate-limiter.ts'

/** "30 seconds", "5 minutes": the wait, rounded up, in words a person reads. */
export const waitText = (ms: number) => {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`
  return `${Math.ceil(seconds / 60)} minutes`
}

/**
 * Takes a token for `key`, or throws `rate_limited` with `message` and how long to wait, in words
 * and as `retryAfterMs` (the Retry-After header over HTTP, the retry hint in an ack).
 */
export async function takeOrRefuse (limiter: RateLimiter, key: string, message: string) {
  const taken = await limiter.take(key)
  if (taken.ok) return
  throw new AppError('rate_limited', `${message} Try again in ${waitText(taken.retryAfterMs)}.`, { retryAfterMs: taken.retryAfterMs })
}
