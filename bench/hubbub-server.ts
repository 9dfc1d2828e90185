/**
 * The system under test: the real app from buildApp, on a fixed or free loopback port, on the
 * database the harness names (a SQLite file or a PostgreSQL schema, kept across a restart), reporting its own CPU, memory and
 * event-loop delay over IPC. Users are seeded through the app's own storage and auth service
 * (no Argon2 per user, no login rate limit), and their tokens handed to the load generator.
 */
import type { AddressInfo } from 'node:net'
import { buildApp } from '../server/app.ts'
import { hashPassword } from '../server/auth/passwords.ts'
import { loadConfig } from '../server/config.ts'
import { listenOptions } from '../server/listen-options.ts'
import type { User } from '../shared/auth.ts'
import { requiredPort, serverStats, serveServerChild, socketCounts } from './lib/child.ts'

const databaseUrl = process.env.BENCH_DATABASE_URL
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL (sqlite:<file> or postgres://…) is required')

const config = loadConfig({
  PORT: String(requiredPort()),
  HOST: '127.0.0.1',
  DATABASE_URL: databaseUrl,
  // Unset: the app's default. Set, to measure PostgreSQL with another pool.
  DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
  // The cluster scenario: Redis between the nodes (unset: one node alone).
  REDIS_URL: process.env.BENCH_REDIS_URL,
  REDIS_PREFIX: process.env.BENCH_REDIS_PREFIX,
  NODE_NAME: process.env.BENCH_NODE_NAME,
  // The browser scenario serves the built client and sets the tick rate; the others neither.
  SERVE_CLIENT: process.env.BENCH_SERVE_CLIENT ?? 'false',
  TICKER_HZ: process.env.BENCH_TICKER_HZ,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn'
})
// The load comes from one address, thousands of anonymous ticker viewers included: one budget per
// address would refuse most of them. The budgets are still charged on every command.
const perAddress = { burst: 1_000_000, perSecond: 1_000_000 }
// Each tick's push time, from the tick to its last quotes frame written (the app's own measure).
const app = await buildApp(config, { onTickerPushed: serverStats.recordPush, limits: { commandsPerAddress: perAddress } })
// One real hash shared by every seeded user: rows look like the real thing, at the cost of one hash.
const passwordHash = await hashPassword('bench password, never used to log in')

/** Posting users of `post`: the per-user send limit applies to them too, so several take turns. */
const posters: User[] = []
let posterTurn = 0

async function seedUsers ({ count, prefix }: { count: number, prefix: string }) {
  const users: { id: string, username: string, token: string }[] = []
  for (let i = 0; i < count; i++) {
    const user = await app.storage.users.create({ username: `${prefix}${i}`, passwordHash, now: Date.now() })
    const { token } = await app.auth.startSession(user.id)
    users.push({ id: user.id, username: user.username, token })
  }
  return users
}

async function createRooms ({ count, prefix }: { count: number, prefix: string }) {
  // One owner per room: room creation is rate limited per user.
  const owners = await seedUsers({ count, prefix: `${prefix}owner` })
  const ids: string[] = []
  for (const [i, owner] of owners.entries()) {
    const room = await app.chat.createRoom(owner, { name: `${prefix}${i}`, visibility: 'public' })
    ids.push(room.id)
  }
  return ids
}

async function seededRooms () {
  const [viewer] = await seedUsers({ count: 1, prefix: `viewer${Date.now()}` })
  return (await app.chat.listRooms(viewer!)).map((room) => ({ id: room.id, name: room.name }))
}

/** Posts `perRoom` messages to each room through the chat service, as a signed-in user would. */
async function post ({ roomIds, perRoom, tag }: { roomIds: string[], perRoom: number, tag: string }) {
  const needed = Math.ceil((roomIds.length * perRoom) / 10)
  if (posters.length < needed) posters.push(...await seedUsers({ count: needed - posters.length, prefix: `poster${tag}x${posters.length}_` }))
  let posted = 0
  for (let n = 0; n < perRoom; n++) {
    for (const roomId of roomIds) {
      const user = posters[posterTurn++ % posters.length]!
      await app.chat.send({ user }, { roomId, text: `post ${tag} ${n}`, clientId: `post-${tag}-${n}-${roomId}` })
      posted++
    }
  }
  return { posted }
}

async function lastSeqs ({ roomIds }: { roomIds: string[] }) {
  const [viewer] = posters.length ? posters : await seedUsers({ count: 1, prefix: `seq${Date.now()}` })
  const seqs: Record<string, number> = {}
  for (const roomId of roomIds) seqs[roomId] = (await app.storage.chat.getRoom(roomId, viewer!.id))?.lastSeq ?? 0
  return seqs
}

await app.listen(listenOptions(config))
serveServerChild({
  seedUsers,
  createRooms,
  seededRooms,
  post,
  lastSeqs,
  namespaces: () => [...app.io._nsps.keys()],
  socketCounts: socketCounts(app.io),
  /** Whether the /ticker namespace has a handler for its commands yet. */
  tickerReady: () => app.io.of('/ticker').listeners('connection').length > 0
}, {
  port: (app.server.address() as AddressInfo).port,
  async close () { await app.close() }
})
