/**
 * Real node processes behind a real HAProxy, under chat load: one node killed (kill -9), then every
 * node restarted in turn (SIGTERM). Nothing acknowledged may be lost or stored twice, and every
 * client ends up holding every message of its room, live or through the seq catch-up.
 */
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import postgres from 'postgres'
import { followRoom, startWriter, type RoomFollower } from '../../helpers/chat-member.ts'
import { launchTestCluster, frontDoorSkipReason, type TestCluster } from '../../helpers/cluster-processes.ts'
import { api, registerUser } from '../../helpers/http.ts'

const skip = await frontDoorSkipReason()

/**
 * CI-sized (54 clients, 6 writers); `HUBBUB_FAULT_SIZE=full` runs the size (500 clients,
 * 20 writers at 5 messages a second), which takes this 2-core machine's every cycle.
 */
const SIZE = process.env.HUBBUB_FAULT_SIZE === 'full'
  ? { readers: 96, socketsPerReader: 5, writers: 20, ratePerWriter: 5 }
  : { readers: 6, socketsPerReader: 8, writers: 6, ratePerWriter: 5 }
const CATCH_UP_MS = 15_000

describe('nodes failing behind the front door', { skip }, () => {
  let cluster: TestCluster
  let sql: postgres.Sql
  let people = 0

  before(async () => {
    cluster = await launchTestCluster(3)
    sql = postgres(cluster.schemaUrl, { max: 1, onnotice: () => {} })
  })
  after(async () => {
    await sql?.end({ timeout: 1 })
    await cluster?.close()
  })

  /** A new public room with readers (some on long-polling) and writers, all through the front door. */
  async function startLoad (name: string) {
    // Accounts and the room are set up on one node directly (a keep-alive connection to the front
    // door may have been closed by the previous test's failures); the load goes through the door.
    // Each person from an address of their own (the nodes trust this machine as their proxy), as
    // real users are: one address may open only so many accounts.
    const setup = cluster.nodes[0]!.url
    const person = (who: string) => registerUser(setup, who, undefined, { 'x-forwarded-for': `198.51.100.${++people}` })
    const writers = await Promise.all(Array.from({ length: SIZE.writers }, (_, i) => person(`${name}w${i}`)))
    const readers = await Promise.all(Array.from({ length: SIZE.readers }, (_, i) => person(`${name}r${i}`)))
    const created = await api(setup, 'POST', '/api/rooms', { token: writers[0]!.token, body: { name, visibility: 'public' } })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const roomId = created.body.room.id as string
    const followers: RoomFollower[] = []
    for (const reader of readers) {
      for (let i = 0; i < SIZE.socketsPerReader; i++) {
        followers.push(await followRoom(cluster.url, { token: reader.token, roomId, transports: i % 2 === 0 ? ['polling', 'websocket'] : ['websocket'] }))
      }
    }
    const senders = await Promise.all(writers.map((writer, i) => startWriter(cluster.url, { token: writer.token, roomId, name: `${name}-${i}` })))
    followers.push(...senders.map((sender) => sender.follower))
    const sending = new AbortController()
    const loops = senders.map(async (sender) => {
      while (!sending.signal.aborted) {
        const started = Date.now()
        await sender.send()
        await delay(Math.max(0, 1000 / SIZE.ratePerWriter - (Date.now() - started)))
      }
    })
    return {
      roomId,
      followers,
      senders,
      /** Stops sending; resolves when every send in flight is acknowledged. */
      async stop () {
        sending.abort()
        await Promise.all(loops)
      },
      close () { for (const follower of followers) follower.close() }
    }
  }

  type Load = Awaited<ReturnType<typeof startLoad>>

  /** Every follower holds every seq of the room after it joined (bounded wait), and the database agrees with the acks. */
  async function verify (load: Load, { since, label }: { since: number, label: string }) {
    const rows = await sql<{ id: string, seq: number, client_id: string }[]>`SELECT id, seq::int AS seq, client_id FROM messages WHERE room_id = ${load.roomId} ORDER BY seq`
    const acked = load.senders.flatMap((sender) => sender.acked)
    const stored = new Map(rows.map((row) => [row.id, row]))
    const lost = acked.filter((ack) => stored.get(ack.id)?.seq !== ack.seq)
    const clientIds = rows.map((row) => row.client_id)
    assert.ok(acked.length > 20, `${label}: only ${acked.length} sends acknowledged; the load did not run`)
    assert.deepEqual(lost, [], `${label}: acknowledged but not stored as acknowledged`)
    assert.equal(new Set(clientIds).size, clientIds.length, `${label}: a clientId stored twice`)
    assert.deepEqual(rows.map((row) => row.seq), rows.map((_, i) => i + 1), `${label}: seqs are not 1..${rows.length}`)
    assert.equal(rows.length, acked.length, `${label}: every stored message was acknowledged once`)

    const lastSeq = rows.at(-1)!.seq
    const missing = () => load.followers.filter((f) => {
      for (let seq = f.from + 1; seq <= lastSeq; seq++) if (!f.seqs.has(seq)) return true
      return false
    })
    const deadline = since + CATCH_UP_MS
    while (missing().length > 0 && Date.now() < deadline) await delay(100)
    const behind = missing().map((f) => `from ${f.from}: ${lastSeq - f.from - f.seqs.size} missing, ${f.reconnects} reconnects, connected ${f.socket.connected} (${f.why})`)
    assert.deepEqual(behind, [], `${label}: clients still missing messages ${CATCH_UP_MS / 1000} s after the failure`)
    return { acked: acked.length, retries: load.senders.reduce((sum, sender) => sum + sender.retries, 0), reconnected: load.followers.filter((f) => f.reconnects > 0).length }
  }

  it('keeps a long-polling client on one node (its cookie), so chat works through the door without WebSocket', async () => {
    const setup = cluster.nodes[0]!.url
    const [alice, bob] = await Promise.all([registerUser(setup, 'pollalice'), registerUser(setup, 'pollbob')])
    const polling = await followRoom(cluster.url, { token: alice.token, roomId: 'general', transports: ['polling'] })
    const writer = await startWriter(cluster.url, { token: bob.token, roomId: 'general', name: 'poll' })
    try {
      // Several round trips of long-polling (each a new HTTP request), each through the door.
      for (let i = 0; i < 5; i++) await writer.send()
      const deadline = Date.now() + 5000
      while (writer.acked.some((ack) => !polling.seqs.has(ack.seq)) && Date.now() < deadline) await delay(50)
      assert.deepEqual(writer.acked.filter((ack) => !polling.seqs.has(ack.seq)), [], 'messages the polling client did not get')
      assert.equal(polling.socket.io.engine.transport.name, 'polling')
      assert.equal(polling.reconnects, 0, 'the polling session broke (a request reached another node)')
    } finally {
      polling.close()
      writer.follower.close()
    }
  })

  it('loses nothing when a node is killed (kill -9): its clients reconnect through the front door and catch up', async () => {
    const load = await startLoad('killed')
    try {
      await delay(2000)
      const victim = cluster.nodes[1]!
      await victim.stop('SIGKILL')
      const killedAt = Date.now()
      await delay(3000)
      await load.stop()
      const figures = await verify(load, { since: killedAt, label: 'after kill -9' })
      assert.ok(figures.reconnected > 0, 'no client was on the killed node: the test proved nothing')
      console.log(`kill -9: ${figures.acked} acked, ${figures.retries} sends retried, ${figures.reconnected} of ${load.followers.length} clients reconnected`)
      await victim.start()
    } finally {
      load.close()
    }
  })

  it('loses nothing in a rolling restart (SIGTERM each node in turn, then start it again)', async () => {
    const load = await startLoad('rolling')
    let lastRestart = Date.now()
    try {
      for (const node of cluster.nodes) {
        await delay(1000)
        await node.stop('SIGTERM')
        await node.start()
        lastRestart = Date.now()
      }
      await delay(1000)
      await load.stop()
      const figures = await verify(load, { since: lastRestart, label: 'after a rolling restart' })
      assert.ok(figures.reconnected > 0, 'no client reconnected: the test proved nothing')
      console.log(`rolling restart: ${figures.acked} acked, ${figures.retries} sends retried, ${figures.reconnected} of ${load.followers.length} clients reconnected`)
    } finally {
      load.close()
    }
  })
})
