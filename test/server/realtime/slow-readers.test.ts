import assert from 'node:assert/strict'
import type { Socket as NetSocket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { Socket } from 'socket.io-client'
import { queuedBytes } from '../../../server/realtime/slow-readers.ts'
import { startApp, type TestApp } from '../../helpers/app.ts'
import { api, registerUser } from '../../helpers/http.ts'
import { connect, nextEvent, send } from '../../helpers/sockets.ts'
import { scrapeMetrics } from '../../helpers/metrics.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
/** Heap and off-heap buffers after a full collection: what the server holds, not garbage. */
const retainedBytes = () => {
  gc()
  const { heapUsed, external } = process.memoryUsage()
  return heapUsed + external
}
const MiB = 1024 * 1024

interface Seen { seq: number, clientId: string }

/** The client's side of catching up after a drop: `chat:join {since}` until nothing more. */
async function catchUp (socket: Socket, roomId: string, seen: Map<number, Seen>) {
  for (;;) {
    const since = contiguousThrough(seen)
    const result = await send<{ messages: Seen[], hasMore: boolean }>(socket, 'chat:join', { roomId, since })
    assert.ok(result.ok, JSON.stringify(result))
    for (const message of result.data.messages) seen.set(message.seq, message)
    if (!result.data.hasMore) return
  }
}
const contiguousThrough = (seen: Map<number, Seen>) => {
  let seq = 0
  while (seen.has(seq + 1)) seq++
  return seq
}

describe('slow readers', () => {
  let t: TestApp
  const limitBytes = 1024 * 1024

  before(async () => {
    // The sender's own limits are not what this is about: it may send as fast as it can.
    const roomy = { burst: 1_000_000, perSecond: 1_000_000 }
    // Connection-state recovery keeps the pushes of its window for everyone, whatever Bob does, up
    // to its ceiling (40 MB here with the default): 1 MiB, so it does not hide what this measures.
    t = await startApp({
      limits: { chatSend: roomy, commandsPerSocket: roomy, commandsPerUser: roomy },
      env: { SOCKET_BUFFER_KB: String(limitBytes / 1024), RECOVERY_BUFFER_MB: '1' }
    })
  })
  after(() => t.close())

  it('cuts off a client that stops reading, frees what it held, keeps others on time, and the client catches up', async () => {
    const [alice, bob, carol] = await Promise.all([registerUser(t.url), registerUser(t.url), registerUser(t.url)])
    const room = (await api(t.url, 'POST', '/api/rooms', { token: alice.token, body: { name: `slow ${Date.now()}`, visibility: 'public' } })).body.room as { id: string }
    const [a, b, c] = await Promise.all([
      connect(t.url, '/chat', { token: alice.token }),
      connect(t.url, '/chat', { token: bob.token, reconnection: true, reconnectionDelay: 100 }),
      connect(t.url, '/chat', { token: carol.token })
    ])
    const pongs: NodeJS.Timeout[] = []
    try {
      for (const socket of [a, b, c]) assert.ok((await send(socket, 'chat:join', { roomId: room.id })).ok)
      const bobSeen = new Map<number, Seen>()
      b.on('chat:message', ({ message }: { message: Seen }) => bobSeen.set(message.seq, message))
      const carolLate: number[] = []
      const sentAt = new Map<string, number>()
      let carolCount = 0
      c.on('chat:message', ({ message }: { message: Seen }) => {
        carolCount++
        carolLate.push(performance.now() - sentAt.get(message.clientId)!)
      })

      // Warm up, then measure where the server's memory stands before the slow reader.
      const text = 'x'.repeat(4000)
      let sent = 0
      const sendOne = async () => {
        const clientId = `slow-${++sent}-${process.pid}`
        sentAt.set(clientId, performance.now())
        const result = await send<{ message: Seen }>(a, 'chat:send', { roomId: room.id, text, clientId })
        assert.ok(result.ok, JSON.stringify(result))
      }
      for (let i = 0; i < 50; i++) await sendOne()
      const baseline = retainedBytes()

      // Bob's client stops reading from its TCP socket, and keeps answering pings blindly.
      const ws = (b.io.engine as unknown as { transport: { ws: { _socket: NetSocket, send (data: string): void } } }).transport.ws
      ws._socket.pause()
      pongs.push(setInterval(() => ws.send('3'), 2000))
      const bobOnServer = [...t.app.io.of('/chat').sockets.values()].find((socket) => socket.data.user?.id === bob.user.id)!
      const serverClosed = new Promise<string>((resolve) => bobOnServer.once('disconnect', resolve))
      const serverSocketClosed = new Promise((resolve) => (bobOnServer.conn.transport as unknown as { socket: { once (event: 'close', listener: () => void): void } }).socket.once('close', () => setImmediate(resolve)))
      let closed = false
      serverClosed.then(() => { closed = true })

      // Alice sends until the server gives up on Bob (40 MB at most); the kernel's socket buffers fill first.
      let firstOverAt: number | undefined
      let peak = 0
      for (let round = 0; round < 500; round++) {
        if (closed) break
        await Promise.all(Array.from({ length: 20 }, sendOne))
        const bytes = closed ? 0 : queuedBytes(bobOnServer.conn as never)
        peak = Math.max(peak, bytes)
        if (bytes > limitBytes) firstOverAt ??= performance.now()
      }
      // Bounded waits, not timings: the guard looks once a second and acts on the second look.
      const reason = await Promise.race([serverClosed, new Promise((resolve) => setTimeout(resolve, 10_000, 'still open after 10 s'))])
      assert.equal(reason, 'forced close', `expected the server to close Bob's connection (peak queued ${peak} bytes, ${sent} messages sent)`)
      assert.ok(firstOverAt !== undefined, 'the queue never passed the cap in a look of ours (the guard acted first)')
      assert.ok(performance.now() - firstOverAt <= 10_000, 'closed within 10 s of passing the cap')
      // Carol, reading normally meanwhile, got every message.
      await send(c, 'chat:leave', { roomId: 'round-trip' })
      assert.equal(carolCount, sent, 'Carol got every message')
      carolLate.sort((x, y) => x - y)
      const p99 = carolLate[Math.floor(carolLate.length * 0.99)]!
      assert.ok(p99 < 1000, `Carol's p99 from send to push was ${p99.toFixed(0)} ms while Bob was stuck`)

      // What Bob's connection held is freed once its TCP socket is gone (and the others' traffic has
      // settled); the native side of a closed socket lets go of its buffers a moment later.
      await serverSocketClosed
      let grown = retainedBytes() - baseline
      for (let waited = 0; grown >= 20 * MiB && waited < 5000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        grown = retainedBytes() - baseline
      }
      assert.ok(grown < 20 * MiB, `the server still holds ${(grown / MiB).toFixed(1)} MiB more than before the slow reader (${sent} messages sent)`)
      const cut = await scrapeMetrics(t)
      assert.match(cut, /^hubbub_slow_readers_cut_total 1$/m)

      // Bob reads again: his client finds the connection gone, reconnects, and catches up by seq.
      clearInterval(pongs.pop())
      const reconnected = nextEvent(b, 'connect', 10_000)
      ws._socket.resume()
      await reconnected
      await catchUp(b, room.id, bobSeen)
      const missing = Array.from({ length: sent }, (_, i) => i + 1).filter((seq) => !bobSeen.has(seq))
      assert.deepEqual(missing, [], `Bob is missing ${missing.length} of ${sent} messages`)
    } finally {
      for (const timer of pongs) clearInterval(timer)
      for (const socket of [a, b, c]) socket.close()
    }
  })
})
