/**
 * Baseline: raw `ws`, the floor of what Node can do for a fan-out.
 * - Chat relay: every client is in one room; each message gets a seq, its WebSocket frame is
 *   built once, and the same bytes are written to every socket (the sender's copy is its
 *   acknowledgement).
 * - Ticker, with BENCH_TICKER=raw: the same simulated market; a client sends `{subscribe}` and
 *   gets `{subscribed}` (the snapshot); per tick, each quote's JSON is made once and each client
 *   gets one frame `{quotes}` of the changed quotes it follows, in tick order.
 */
import { createServer } from 'node:http'
import type { Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import type { Quote } from '../../shared/ticker.ts'
import { loadConfig } from '../../server/config.ts'
import { createMarket } from '../../server/ticker/market.ts'
import { listenServerChild, serverStats } from '../lib/child.ts'
import { now, type RawMessage, type WireMessage } from '../lib/wire.ts'

/** An unmasked, final, text frame (server to client frames are never masked). */
function textFrame (payload: Buffer) {
  const length = payload.length
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLength + length)
  frame[0] = 0x81
  if (length < 126) frame[1] = length
  else if (length < 65536) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  payload.copy(frame, headerLength)
  return frame
}

const http = createServer()
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 })
const sockets = new Set<Socket>()
let seq = 0

const config = loadConfig({})
const market = process.env.BENCH_TICKER === 'raw' ? createMarket({ seed: config.tickerSeed, tickHz: config.tickerHz, now: Date.now }) : null
/** Ticker: the symbols each socket follows. */
const followed = new Map<Socket, Set<string>>()
const send = (socket: Socket, json: string) => socket.write(textFrame(Buffer.from(json)))

function tick () {
  const { ts, quotes } = market!.tick()
  const json = new Map<Quote, string>(quotes.map((quote) => [quote, JSON.stringify(quote)]))
  for (const [socket, symbols] of followed) {
    const parts: string[] = []
    for (const quote of quotes) if (symbols.has(quote.symbol)) parts.push(json.get(quote)!)
    if (parts.length > 0) send(socket, `{"quotes":[${parts.join(',')}]}`)
  }
  serverStats.recordPush(now() - ts)
}
const tickTimer = market ? setInterval(tick, market.tickMs) : undefined

http.on('upgrade', (request, socket, head) => {
  if (!request.url?.startsWith('/ws')) {
    socket.destroy()
    return
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    const raw = socket as Socket
    const author = { id: `ws${sockets.size}`, username: 'raw' }
    sockets.add(raw)
    ws.on('close', () => {
      sockets.delete(raw)
      followed.delete(raw)
    })
    ws.on('message', (data) => {
      const sent = JSON.parse(data.toString()) as RawMessage
      if ('subscribe' in sent) {
        followed.set(raw, new Set(sent.subscribe))
        send(raw, JSON.stringify({ subscribed: market!.snapshot(sent.subscribe) }))
        return
      }
      const { roomId, text, clientId } = sent
      seq++
      const message: WireMessage = {
        id: String(seq).padStart(22, '0'), roomId, seq, author, text, clientId, createdAt: Date.now(), editedAt: null, deleted: false
      }
      const frame = textFrame(Buffer.from(JSON.stringify({ message })))
      for (const target of sockets) target.write(frame)
    })
  })
})

listenServerChild(http, async () => {
  clearInterval(tickTimer)
  for (const socket of sockets) socket.destroy()
  wss.close()
  await new Promise((resolve) => http.close(resolve))
})
