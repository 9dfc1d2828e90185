import type { FastifyBaseLogger } from 'fastify'
import type { Cluster } from '../cluster/create-cluster.ts'
import { createPresenceMap } from './presence-map.ts'
import { createRedisPresence, type PresenceHeartbeat } from './redis-presence.ts'

/**
 * Who is online in which room, per user rather than per socket: a user is online in a room
 * while at least one of their sockets follows it.
 */
export interface Presence {
  /** True when this is the user's first socket in the room. */
  add (roomId: string, userId: string, socketId: string): Promise<boolean>
  /** True when this was the user's last socket in the room. */
  remove (roomId: string, userId: string, socketId: string): Promise<boolean>
  online (roomId: string): Promise<Set<string>>
  /** How many users are online in the room (what room lists show, without listing them). */
  count (roomId: string): Promise<number>
  start (): Promise<void>
  close (): Promise<void>
}

/** A user who went online or offline in a room other than by their own join or leave (a node died, Redis came back). */
export interface PresenceChange {
  roomId: string
  userId: string
  online: boolean
}

export function createMemoryPresence (): Presence {
  const map = createPresenceMap()
  return {
    add: async (roomId, userId, socketId) => map.add(roomId, userId, socketId),
    remove: async (roomId, userId, socketId) => map.remove(roomId, userId, socketId),
    online: async (roomId) => map.online(roomId),
    count: async (roomId) => map.count(roomId),
    async start () {},
    async close () {}
  }
}

/** The node's presence: in this process alone, or shared by every node through the cluster's Redis. */
export function createPresence ({ cluster, log, heartbeat, onChange }: {
  cluster: Cluster
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  heartbeat?: Partial<PresenceHeartbeat> | undefined
  onChange: (changes: PresenceChange[]) => Promise<void> | void
}): Presence {
  if (!cluster.redis) return createMemoryPresence()
  return createRedisPresence({ redis: cluster.redis.commands, key: cluster.key, nodeId: cluster.nodeId, log, onChange, ...heartbeat })
}
