/**
 * Baseline: a raw `ws` chat relay, the floor of what Node can do for chat fan-out. Every client
 * is in one room; each message gets a seq, its WebSocket frame is built once, and the same bytes
 * are written to every socket (the sender's copy is its acknowledgement).
 */
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { requiredPort, serveServerChild } from '../lib/child.ts'
import type { RawSend, WireMessage } from '../lib/wire.ts'

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

http.on('upgrade', (request, socket, head) => {
  if (!request.url?.startsWith('/ws')) {
    socket.destroy()
    return
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    const raw = socket as Socket
    const author = { id: `ws${sockets.size}`, username: 'raw' }
    sockets.add(raw)
    ws.on('close', () => sockets.delete(raw))
    ws.on('message', (data) => {
      const { roomId, text, clientId } = JSON.parse(data.toString()) as RawSend
      seq++
      const message: WireMessage = {
        id: String(seq).padStart(22, '0'), roomId, seq, author, text, clientId, createdAt: Date.now(), editedAt: null, deleted: false
      }
      const frame = textFrame(Buffer.from(JSON.stringify({ message })))
      for (const target of sockets) target.write(frame)
    })
  })
})

http.listen(requiredPort(), '127.0.0.1', () => {
  serveServerChild({}, {
    port: (http.address() as AddressInfo).port,
    async close () {
      for (const socket of sockets) socket.destroy()
      wss.close()
      await new Promise((resolve) => http.close(resolve))
    }
  })
})
