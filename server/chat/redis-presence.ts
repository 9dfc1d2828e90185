import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import { describeFailure } from '../storage/describe-database.ts'
import { createPresenceMap } from './presence-map.ts'
import type { PresenceChange } from './presence.ts'

/**
 * How often a node says it is alive, and how long Redis believes it without hearing again. A node
 * that dies is swept at most `expiryMs + everyMs` later (25 s by default, within the 30 s promised).
 */
export interface PresenceHeartbeat {
  everyMs: number
  expiryMs: number
}

export const defaultHeartbeat: PresenceHeartbeat = { everyMs: 5000, expiryMs: 20_000 }

/*
 * Keys, under `<prefix>presence:`:
 *   room:<roomId>   hash userId -> number of sockets (on every node) following the room
 *   node:<nodeId>   set of "<roomId>\n<userId>\n<socketId>": the entries of one node
 *   alive:<nodeId>  exists while the node's heartbeat renews it
 *   nodes           set of the nodes that may have entries (what the sweep looks through)
 * A count moves only when an entry is added to or removed from its node's set, so every script
 * can be run again (after a timeout, on a resync) without counting a socket twice.
 *
 * Scripts go as EVAL, not EVALSHA: ioredis retries a NOSCRIPT as EVAL after commands sent later,
 * and a resync must stay ordered before the adds and removes that follow it on the connection.
 */

/** Removes one entry from a room's count; true when that was the user's last socket there. */
const LUA_HELPERS = `
local function parse (entry)
  local a = string.find(entry, '\\n', 1, true)
  local b = string.find(entry, '\\n', a + 1, true)
  return string.sub(entry, 1, a - 1), string.sub(entry, a + 1, b - 1)
end
local function decrement (roomKey, userId)
  if redis.call('HINCRBY', roomKey, userId, -1) > 0 then return false end
  redis.call('HDEL', roomKey, userId)
  return true
end
local function dropNode (nodeKey, roomPrefix, gone)
  for _, entry in ipairs(redis.call('SMEMBERS', nodeKey)) do
    local roomId, userId = parse(entry)
    if decrement(roomPrefix .. roomId, userId) then
      gone[#gone + 1] = roomId
      gone[#gone + 1] = userId
    end
  end
  redis.call('DEL', nodeKey)
end
`

/** KEYS: node, room, nodes. ARGV: entry, userId, nodeId. 1 when this is the user's first socket in the room on any node. */
const ADD = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[3], ARGV[3])
if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then return 1 end
return 0
`

/** KEYS: node, room. ARGV: entry, userId. 1 when this was the user's last socket in the room on any node. */
const REMOVE = `${LUA_HELPERS}
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if decrement(KEYS[2], ARGV[2]) then return 1 end
return 0
`

/** KEYS: alive. ARGV: expiry ms. 0 when the key was gone: this node was swept, or Redis lost its data. */
const HEARTBEAT = `
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'XX') then return 1 end
return 0
`

/** KEYS: nodes. ARGV: key prefix of presence. Takes the entries of every node whose alive key is gone; returns roomId, userId pairs that went offline. */
const SWEEP = `${LUA_HELPERS}
local gone = {}
for _, nodeId in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. nodeId) == 0 then
    dropNode(ARGV[1] .. 'node:' .. nodeId, ARGV[1] .. 'room:', gone)
    redis.call('SREM', KEYS[1], nodeId)
  end
end
return gone
`

/** KEYS: nodes, node, alive. ARGV: key prefix, nodeId. A clean stop: this node's entries go at once. */
const DROP = `${LUA_HELPERS}
local gone = {}
dropNode(KEYS[2], ARGV[1] .. 'room:', gone)
redis.call('SREM', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[3])
return gone
`

/**
 * KEYS: nodes, node, alive. ARGV: key prefix, nodeId, expiry ms, n, then n entries (all of this
 * node's), then roomId, userId pairs to report on. Makes Redis hold exactly these entries for this
 * node; returns the pairs that came online, those that went offline, and 1 or 0 (online now) per pair asked about.
 */
const SYNC = `${LUA_HELPERS}
redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
redis.call('SADD', KEYS[1], ARGV[2])
local roomPrefix = ARGV[1] .. 'room:'
local n = tonumber(ARGV[4])
local wanted = {}
for i = 5, 4 + n do wanted[ARGV[i]] = true end
local came, went, states = {}, {}, {}
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if not wanted[entry] then
    redis.call('SREM', KEYS[2], entry)
    local roomId, userId = parse(entry)
    if decrement(roomPrefix .. roomId, userId) then
      went[#went + 1] = roomId
      went[#went + 1] = userId
    end
  end
end
for i = 5, 4 + n do
  if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    local roomId, userId = parse(ARGV[i])
    if redis.call('HINCRBY', roomPrefix .. roomId, userId, 1) == 1 then
      came[#came + 1] = roomId
      came[#came + 1] = userId
    end
  end
end
for i = 5 + n, #ARGV, 2 do
  states[#states + 1] = redis.call('HEXISTS', roomPrefix .. ARGV[i], ARGV[i + 1])
end
return { came, went, states }
`

const pairKey = (roomId: string, userId: string) => `${roomId}\n${userId}`

/** Flat [roomId, userId, roomId, userId, …] from a script, as changes. */
const changesOf = (flat: string[], online: boolean): PresenceChange[] => {
  const changes: PresenceChange[] = []
  for (let i = 0; i + 1 < flat.length; i += 2) changes.push({ roomId: flat[i]!, userId: flat[i + 1]!, online })
  return changes
}

/**
 * Presence shared by every node through Redis. Each node keeps its own entries in a local map too:
 * while Redis does not answer, joins and leaves are decided from it (never failed, never held up),
 * and once Redis answers again the node puts its entries back as they are now (Redis may have
 * restarted empty, or swept this node while it could not renew its heartbeat).
 *
 * `onChange` hears of the users who went online or offline other than by a join or leave on this
 * node: those of dead nodes this node swept, and the corrections after an outage. Each change is
 * reported by one node only.
 */
export function createRedisPresence ({ redis, key, nodeId, log, onChange, everyMs = defaultHeartbeat.everyMs, expiryMs = defaultHeartbeat.expiryMs }: {
  redis: Redis
  key: (name: string) => string
  nodeId: string
  log: Pick<FastifyBaseLogger, 'warn' | 'info'>
  /** Its promise is awaited on close only (the pushes of a clean stop go out before Redis closes). */
  onChange: (changes: PresenceChange[]) => Promise<void> | void
} & Partial<PresenceHeartbeat>) {
  const prefix = key('presence:')
  const keys = {
    nodes: `${prefix}nodes`,
    node: `${prefix}node:${nodeId}`,
    alive: `${prefix}alive:${nodeId}`,
    room: (roomId: string) => `${prefix}room:${roomId}`
  }
  const entry = (roomId: string, userId: string, socketId: string) => `${roomId}\n${userId}\n${socketId}`
  const local = createPresenceMap()

  /** Redis holds this node's entries as `local` does, as far as this node knows; when false, `local` decides. */
  let inSync = false
  /** An outage was logged (once), and its end will be. */
  let down = false
  let closed = false
  /** What this node told its rooms while Redis was away, to be put right once it is back. */
  let told = new Map<string, PresenceChange>()
  const pending = new Set<Promise<unknown>>()

  const report = (changes: PresenceChange[]) => changes.length > 0 ? onChange(changes) : undefined

  const failed = (err: unknown) => {
    inSync = false
    if (down) return
    down = true
    log.warn({ err: { message: describeFailure(err) } }, 'presence: Redis does not answer; this node decides presence from its own sockets until it is back')
  }

  /** Redis's answer (1 or 0) when it gives one; otherwise the local one, remembered if it was told to the room. */
  async function decide (run: () => Promise<unknown>, localAnswer: boolean, change: PresenceChange) {
    if (inSync && !closed) {
      const call = run()
      pending.add(call)
      try {
        return await call === 1
      } catch (err) {
        failed(err)
      } finally {
        pending.delete(call)
      }
    }
    if (localAnswer) told.set(pairKey(change.roomId, change.userId), change)
    return localAnswer
  }

  /** Puts this node's entries in Redis as they are now, and the rooms right about who changed meanwhile. */
  async function resync () {
    const corrections = told
    told = new Map()
    const entries = [...local.entries()].map(({ roomId, userId, socketId }) => entry(roomId, userId, socketId))
    const asked = [...corrections.values()].flatMap(({ roomId, userId }) => [roomId, userId])
    // Adds and removes from now on go to Redis, after this script on the same connection.
    inSync = true
    let result: [string[], string[], number[]]
    try {
      // One array, not spread arguments: a busy node has more entries than a call takes arguments.
      result = await redis.call('EVAL', [SYNC, 3, keys.nodes, keys.node, keys.alive, prefix, nodeId, expiryMs, entries.length].concat(entries, asked)) as typeof result
    } catch (err) {
      for (const [pair, change] of corrections) if (!told.has(pair)) told.set(pair, change)
      failed(err)
      return
    }
    const [came, went, states] = result
    const changes = new Map<string, PresenceChange>()
    for (const change of changesOf(went, false)) changes.set(pairKey(change.roomId, change.userId), change)
    for (const change of changesOf(came, true)) {
      const pair = pairKey(change.roomId, change.userId)
      // Went and came back within the resync (a socket replaced another): nobody saw a change.
      if (changes.has(pair)) changes.delete(pair)
      else changes.set(pair, change)
    }
    let i = 0
    for (const [pair, change] of corrections) {
      const online = states[i++] === 1
      if (online === change.online) changes.delete(pair)
      else changes.set(pair, { ...change, online })
    }
    if (down) {
      down = false
      log.info({ entries: entries.length }, 'presence: Redis is back; this node\'s presence is in it again')
    }
    report([...changes.values()])
  }

  /** The other nodes' entries whose heartbeat stopped: taken out, and reported here (by this node only). */
  async function sweep () {
    let gone: PresenceChange[]
    try {
      gone = changesOf(await redis.eval(SWEEP, 1, keys.nodes, prefix) as string[], false)
    } catch (err) {
      failed(err)
      return []
    }
    report(gone)
    return gone
  }

  async function beat () {
    if (inSync) {
      try {
        if (await redis.eval(HEARTBEAT, 1, keys.alive, expiryMs) === 1) {
          await sweep()
          return
        }
        inSync = false
        log.warn('presence: this node\'s entries were gone from Redis (heartbeats missed, or Redis lost its data); putting them back')
      } catch (err) {
        failed(err)
        return
      }
    }
    await resync()
    if (inSync) await sweep()
  }

  let timer: NodeJS.Timeout | undefined
  let beating = Promise.resolve()
  const schedule = () => {
    timer = setTimeout(() => {
      beating = beat().catch(failed).finally(() => { if (!closed) schedule() })
    }, everyMs)
  }

  return {
    add (roomId: string, userId: string, socketId: string) {
      const first = local.add(roomId, userId, socketId)
      return decide(() => redis.eval(ADD, 3, keys.node, keys.room(roomId), keys.nodes, entry(roomId, userId, socketId), userId, nodeId),
        first, { roomId, userId, online: true })
    },

    remove (roomId: string, userId: string, socketId: string) {
      const last = local.remove(roomId, userId, socketId)
      return decide(() => redis.eval(REMOVE, 2, keys.node, keys.room(roomId), entry(roomId, userId, socketId), userId),
        last, { roomId, userId, online: false })
    },

    async online (roomId: string) {
      if (inSync && !closed) {
        try {
          return new Set(await redis.hkeys(keys.room(roomId)))
        } catch (err) {
          failed(err)
        }
      }
      return local.online(roomId)
    },

    async count (roomId: string) {
      if (inSync && !closed) {
        try {
          return await redis.hlen(keys.room(roomId))
        } catch (err) {
          failed(err)
        }
      }
      return local.count(roomId)
    },

    /** Takes out the entries of dead nodes now (the heartbeat does it every `everyMs`); returns what it reported. */
    sweep,

    /** The first heartbeat (this node's entries, none yet, and its alive key), then one every `everyMs`. */
    async start () {
      beating = beat()
      await beating
      if (!closed) schedule()
    },

    /**
     * Stops the heartbeat and takes this node's entries out of Redis, reporting who went offline.
     * Others would sweep them anyway once the alive key expires: this only makes it immediate.
     */
    async close () {
      closed = true
      clearTimeout(timer)
      await beating
      // Leaves already under way (sockets dropped as the server closes) finish first.
      await Promise.allSettled([...pending])
      if (!inSync) return
      try {
        await report(changesOf(await redis.eval(DROP, 3, keys.nodes, keys.node, keys.alive, prefix, nodeId) as string[], false))
      } catch (err) {
        failed(err)
      }
    }
  }
}

export type RedisPresence = ReturnType<typeof createRedisPresence>
