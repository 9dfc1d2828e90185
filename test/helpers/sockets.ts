import { io, type Socket, type ManagerOptions, type SocketOptions } from 'socket.io-client'
import { PROTOCOL_VERSION } from '../../shared/protocol.ts'

type Options = Partial<ManagerOptions & SocketOptions>

/** A real Socket.IO client on its own connection; resolves once connected, rejects with the connect_error. */
export function connect (base: string, namespace: string, { token, ...options }: Options & { token?: string } = {}): Promise<Socket> {
  const socket = io(base + namespace, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { protocolVersion: PROTOCOL_VERSION, ...(token && { token }) },
    ...options
  })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
}

/** The next `event` on `socket` (no sleeps: tests wait for what they expect). */
export function nextEvent<T = any> (socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent)
      reject(new Error(`expected "${event}" within ${timeoutMs} ms, got nothing`))
    }, timeoutMs)
    const onEvent = (payload: T) => {
      clearTimeout(timer)
      resolve(payload)
    }
    socket.once(event, onEvent)
  })
}

/** Sends a command and resolves with its AckResult. */
export const send = <T = any>(socket: Socket, event: string, payload: unknown) =>
  socket.timeout(5000).emitWithAck(event, payload) as Promise<{ ok: true, data: T } | { ok: false, error: { code: string, message: string } }>
