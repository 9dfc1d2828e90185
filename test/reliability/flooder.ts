/**
 * A worker thread that floods one command, as an abusive client would: `rate` emits a second
 * without waiting for answers, reconnecting at once whenever the server disconnects it. It posts
 * its counts when `seconds` are up. (A thread of its own, so the flood does not share the
 * measuring thread's event loop.)
 */
import { parentPort, workerData } from 'node:worker_threads'
import { io, type Socket } from 'socket.io-client'
import { PROTOCOL_VERSION } from '../../shared/protocol.ts'

export interface FloodOrder {
  url: string
  namespace: string
  token?: string
  event: string
  payload: unknown
  rate: number
  seconds: number
}
export interface FloodCounts { sent: number, answered: number, ok: number, rateLimited: number, other: number, connections: number }

const order = workerData as FloodOrder
const counts: FloodCounts = { sent: 0, answered: 0, ok: 0, rateLimited: 0, other: 0, connections: 0 }
let socket: Socket | undefined

const open = () => {
  socket?.close()
  counts.connections++
  socket = io(order.url + order.namespace, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { protocolVersion: PROTOCOL_VERSION, ...(order.token && { token: order.token }) }
  })
  socket.on('disconnect', open)
}

const answer = (result: { ok: boolean, error?: { code: string } }) => {
  counts.answered++
  if (result.ok) counts.ok++
  else if (result.error?.code === 'rate_limited') counts.rateLimited++
  else counts.other++
}

open()
const slice = 10
const perSlice = Math.max(1, Math.round(order.rate * slice / 1000))
const timer = setInterval(() => {
  if (!socket?.connected) return
  for (let i = 0; i < perSlice; i++) {
    counts.sent++
    socket.emit(order.event, order.payload, answer)
  }
}, slice)
setTimeout(() => {
  clearInterval(timer)
  socket?.off('disconnect', open)
  socket?.close()
  parentPort!.postMessage(counts)
}, order.seconds * 1000)
