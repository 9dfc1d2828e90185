import type { FastifyBaseLogger } from 'fastify'
import type { Budget, LimitName } from '../../shared/limits.ts'
import type { Cluster } from '../cluster/create-cluster.ts'
import { createMemoryRateLimiter } from './memory-rate-limiter.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { createRedisRateLimits } from './redis-rate-limits.ts'

/**
 * The named limits, chosen in one place: in Redis, one budget per key for all nodes, when the
 * node has a cluster Redis; in memory otherwise. (The per-socket command budget is neither: it is
 * the node's own, synchronous, in `realtime/command-budget.ts`.)
 */
export function createRateLimiters ({ limits, cluster, log, now }: {
  limits: Record<LimitName, Budget>
  cluster: Pick<Cluster, 'redis' | 'key'>
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  /** An injected clock (tests); omitted, Date.now in memory and Redis's clock in Redis. */
  now?: () => number
}) {
  const shared = cluster.redis && createRedisRateLimits({ redis: cluster.redis.commands, log, now })
  return (name: LimitName): RateLimiter => shared
    ? shared.limiter({ ...limits[name], prefix: cluster.key(`limit:${name}:`) })
    : createMemoryRateLimiter({ ...limits[name], now })
}
