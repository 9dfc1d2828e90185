import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { createAdapter } from '@socket.io/redis-streams-adapter'
import { AppError } from '../errors.ts'
import { connectRedis, type RedisConnections } from './redis.ts'

/**
 * This process's place among the nodes: its name, its Redis (null when it runs alone) and the
 * one rule for naming Redis keys. Everything shared between nodes goes through here.
 */
export interface Cluster {
  /** The operator's name for this node (logs, metrics, admin UI). */
  nodeName: string
  /** Unique to this process, restart included: what Redis entries of this node are keyed by. */
  nodeId: string
  redis: RedisConnections | null
  /** A Redis key or channel name, under the installation's prefix. */
  key: (name: string) => string
  /** The Socket.IO adapter for several nodes, or undefined (the in-memory one) alone. */
  adapter: ReturnType<typeof createAdapter> | undefined
  /** Throws `unavailable` when Redis does not answer (for /readyz); resolves alone. */
  ping: () => Promise<void>
  close: () => Promise<void>
}

export async function createCluster ({ redisUrl, prefix, nodeName, log }: {
  redisUrl: string | null
  prefix: string
  nodeName: string
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
}): Promise<Cluster> {
  const key = (name: string) => `${prefix}${name}`
  const nodeId = `${nodeName}#${randomBytes(4).toString('hex')}`
  const redis = redisUrl ? await connectRedis(redisUrl, log) : null
  return {
    nodeName,
    nodeId,
    redis,
    key,
    adapter: redis
      ? createAdapter(redis.adapter, {
        streamName: key('sio'),
        channelPrefix: key('sio'),
        sessionKeyPrefix: key('sio:session:'),
        // Enough for the recovery window at a busy node's broadcast rate; older entries are trimmed.
        maxLen: 100_000,
        // Idle reads wake every second, so a closing node lets go of Redis promptly.
        blockTimeInMs: 1000
      })
      : undefined,
    async ping () {
      if (!redis) return
      try {
        await redis.commands.ping()
      } catch {
        throw new AppError('unavailable', 'Redis does not answer.')
      }
    },
    async close () {
      await redis?.close()
    }
  }
}
