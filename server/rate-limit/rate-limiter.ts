/** A take's answer: granted, or refused with how long until the same take can succeed. */
export type Take = { ok: true } | { ok: false, retryAfterMs: number }

/**
 * A named limit (`shared/limits.ts`): one budget per key (a user, an address, a publish key).
 * Asynchronous because the budget may live in Redis, shared by every node; in memory alone.
 */
export interface RateLimiter {
  /** Takes `cost` tokens (default one) for `key`, or none when it has fewer (the caller is limited). */
  take (key: string, cost?: number): Promise<Take>
}
