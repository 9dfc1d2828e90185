import assert from 'node:assert/strict'
import { io, type Socket, type ManagerOptions, type SocketOptions } from 'socket.io-client'
import { request } from '../../client/src/realtime/request.ts'
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

/**
 * Asserts that `event` does not arrive on `socket` before `probe`, a command that changes
 * nothing, has made a round trip through the server (so anything emitted before it has arrived).
 */
export async function assertNothing (socket: Socket, event: string, probe: [command: string, payload: unknown]) {
  let seen: unknown
  const listener = (payload: unknown) => { seen = payload }
  socket.on(event, listener)
  await send(socket, ...probe)
  socket.off(event, listener)
  assert.equal(seen, undefined, `expected no "${event}", got ${JSON.stringify(seen)}`)
}

/** Sends a command and resolves with its AckResult. */
export const send = <T = any>(socket: Socket, event: string, payload: unknown) =>
  socket.timeout(5000).emitWithAck(event, payload) as Promise<{ ok: true, data: T } | { ok: false, error: { code: string, message: string, retryAfterMs?: number } }>

/**
 * Sends a command the way the browser client does (its `request()`): a `rate_limited` refusal is
 * sent again after the wait the server names. For tests that set up many things at once.
 */
export const sendAsClient = <T = any>(socket: Socket, event: string, payload: unknown) =>
  request(socket as never, event as never, payload as never) as Promise<{ ok: true, data: T } | { ok: false, error: { code: string, message: string, retryAfterMs?: number } }>

/**
 * Opens sockets on one namespace as signed-in users (`as(who)`), at the app's URL read when each
 * opens, and closes every one of them (`closeAll()`, for `after`).
 */
export function socketsAs (url: () => string, namespace: string) {
  const opened: Socket[] = []
  return {
    async as (who: { token: string }) {
      const socket = await connect(url(), namespace, { token: who.token })
      opened.push(socket)
      return socket
    },
    closeAll () {
      for (const socket of opened) socket.close()
    }
  }
}
