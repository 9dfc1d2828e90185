import type { Redis } from 'ioredis'
import type { MarketKeys } from './market-keys.ts'

/** Taken only when free; the epoch counts every lease won, so each leader has a higher one than the last. */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local epoch = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '@' .. epoch, 'PX', ARGV[2])
return epoch`

const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`

const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`

export interface MarketLeaseOptions {
  redis: Redis
  keys: Pick<MarketKeys, 'leader' | 'epoch'>
  nodeId: string
  /** How long a lease lasts unless renewed. */
  leaseMs: number
  /**
   * How long before the lease could have expired in Redis this node stops believing it holds it:
   * room for a step on its way to Redis and for clocks that run at slightly different rates.
   */
  marginMs: number
  /** A monotonic clock in ms. */
  clock: () => number
}

/**
 * The right to run the cluster's market: a Redis key holding `<nodeId>@<epoch>` (the token) with
 * an expiry, taken only when free and renewed only by its holder. `held` is this node's own
 * conservative view: from the moment a win or a renewal was sent, the lease lasts `leaseMs` in
 * Redis at least, so believing it for `leaseMs - marginMs` never outlasts it, even when Redis
 * stops answering.
 */
export function createMarketLease ({ redis, keys, nodeId, leaseMs, marginMs, clock }: MarketLeaseOptions) {
  let token: string | null = null
  let epoch = 0
  let validUntil = Number.NEGATIVE_INFINITY

  return {
    /** Takes the lease if no node holds it; true when this node won it (with a new epoch). */
    async acquire (): Promise<boolean> {
      const sentAt = clock()
      const won = Number(await redis.eval(ACQUIRE, 2, keys.leader, keys.epoch, nodeId, leaseMs))
      if (won === 0) return false
      epoch = won
      token = `${nodeId}@${won}`
      validUntil = sentAt + leaseMs - marginMs
      return true
    },

    /** Extends the lease; false when this node no longer holds it (it then forgets it). */
    async renew (): Promise<boolean> {
      const held = token
      if (held === null) return false
      const sentAt = clock()
      const renewed = Number(await redis.eval(RENEW, 1, keys.leader, held, leaseMs)) === 1
      if (token !== held) return false
      if (renewed) validUntil = sentAt + leaseMs - marginMs
      else token = null
      return renewed
    },

    /** Gives the lease up at once, so another node need not wait for it to expire. */
    async release () {
      const held = token
      token = null
      if (held !== null) await redis.eval(RELEASE, 1, keys.leader, held)
    },

    /** True while this node holds the lease for certain (see `marginMs`). */
    get held () { return token !== null && clock() < validUntil },
    /** What fences this node's steps: the leader key must still hold it. */
    get token () { return token },
    get epoch () { return epoch }
  }
}

export type MarketLease = ReturnType<typeof createMarketLease>
