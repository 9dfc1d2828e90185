/**
 * Baseline: plain Socket.IO doing Hubbub's jobs with no auth, no validation and no storage.
 * - /chat: the minimal chat relay (`chat:join` joins a room; `chat:send` stamps a per-room seq,
 *   pushes the message to the room but the sender and acks the sender), with Hubbub's event
 *   names and message shape so the same client code and the same frame sizes apply.
 * - /ticker with BENCH_TICKER=naive: the same simulated market, one `ticker:quote` event per
 *   changed symbol to its room (the naive emit Hubbub's one-frame-per-client-per-tick replaces).
 * - /notifications: accepts connections (for the capacity comparison).
 */
import { createServer } from 'node:http'
import { Server } from 'socket.io'
import { SOCKET_PATH } from '../../shared/protocol.ts'
import { loadConfig } from '../../server/config.ts'
import { createMarket } from '../../server/ticker/market.ts'
import { listenServerChild, serverStats, socketCounts } from '../lib/child.ts'
import { now, type WireMessage } from '../lib/wire.ts'

type Ack = (result: unknown) => void

const http = createServer()
const io = new Server(http, { path: SOCKET_PATH, serveClient: false, maxHttpBufferSize: 64 * 1024 })

const seqs = new Map<string, number>()
io.of('/chat').on('connection', (socket) => {
  const author = { id: socket.id, username: 'plain' }
  socket.on('chat:join', ({ roomId }: { roomId: string }, ack: Ack) => {
    socket.join(roomId)
    ack({ ok: true, data: { messages: [], hasMore: false } })
  })
  socket.on('chat:send', ({ roomId, text, clientId }: { roomId: string, text: string, clientId: string }, ack: Ack) => {
    const seq = (seqs.get(roomId) ?? 0) + 1
    seqs.set(roomId, seq)
    const message: WireMessage = {
      id: String(seq).padStart(22, '0'), roomId, seq, author, text, clientId, createdAt: Date.now(), editedAt: null, deleted: false
    }
    socket.to(roomId).emit('chat:message', { message })
    ack({ ok: true, data: { message } })
  })
})
io.of('/notifications')

const ticker = io.of('/ticker')
let tickTimer: ReturnType<typeof setInterval> | undefined
if (process.env.BENCH_TICKER === 'naive') {
  const config = loadConfig({})
  const market = createMarket({ seed: config.tickerSeed, tickHz: config.tickerHz, now: Date.now })
  ticker.on('connection', (socket) => {
    socket.on('ticker:subscribe', ({ symbols }: { symbols: string[] }, ack: Ack) => {
      socket.join(symbols.map((symbol) => `symbol:${symbol}`))
      ack({ ok: true, data: { quotes: market.snapshot(symbols) } })
    })
  })
  tickTimer = setInterval(() => {
    const { ts, quotes } = market.tick()
    for (const quote of quotes) ticker.to(`symbol:${quote.symbol}`).emit('ticker:quote', quote)
    serverStats.recordPush(now() - ts)
  }, 1000 / config.tickerHz)
}

listenServerChild(http, async () => {
  clearInterval(tickTimer)
  io.engine.close()
  await new Promise((resolve) => io.close(resolve))
}, { socketCounts: socketCounts(io) })
