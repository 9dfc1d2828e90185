import type { FastifyBaseLogger } from 'fastify'
import type { Server } from 'socket.io'

/** What an engine.io connection holds for its client, as far as this module reads it. */
interface Connection {
  id: string
  writeBuffer: { data?: unknown }[]
  transport: { name: string, socket?: { bufferedAmount?: number, terminate?: () => void } }
  close (discard?: boolean): void
}

const sizeOf = (data: unknown) =>
  typeof data === 'string' ? data.length : data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? data.byteLength : 0

/**
 * Bytes waiting to reach one client: packets engine.io holds while its transport is busy, plus
 * what the WebSocket has handed to the TCP socket that the kernel did not take yet. (Strings are
 * counted in UTF-16 units: the frames are JSON, mostly ASCII.)
 */
export function queuedBytes (connection: Connection) {
  let bytes = connection.transport.name === 'websocket' ? connection.transport.socket?.bufferedAmount ?? 0 : 0
  for (const packet of connection.writeBuffer) bytes += sizeOf(packet.data)
  return bytes
}

export interface SlowReaderGuardOptions {
  limitBytes: number
  /** How often every connection is looked at. */
  intervalMs?: number
  log: FastifyBaseLogger
  /** Called for each connection cut (for the metric). */
  onCut?: () => void
}

/**
 * Cuts off clients that stop reading. Socket.IO queues every non-volatile push for a client
 * whose transport is still busy, with no limit, so a client that pauses its reads (and keeps
 * answering pings) would grow the server's memory for as long as it likes. Once a second,
 * a connection with more than `limitBytes` waiting for two looks in a row (or four times that
 * at once) is closed, and its buffers with it. The client reconnects as after any drop and
 * catches up by `seq`; volatile pushes (quotes, typing) were never queued for it.
 */
export function createSlowReaderGuard (io: Server, { limitBytes, intervalMs = 1000, log, onCut }: SlowReaderGuardOptions) {
  let overBefore = new Set<string>()

  const cut = (connection: Connection, bytes: number) => {
    log.warn({ connectionId: connection.id, queuedBytes: bytes, limitBytes }, 'connection closed: its client is not reading what is sent to it')
    onCut?.()
    connection.close(true)
    // Closing a WebSocket politely waits for the client to read the close frame: this client does not read.
    connection.transport.socket?.terminate?.()
  }

  const sweep = () => {
    const over = new Set<string>()
    const clients = (io.engine as unknown as { clients: Record<string, Connection> }).clients
    for (const id in clients) {
      const connection = clients[id]!
      const bytes = queuedBytes(connection)
      if (bytes <= limitBytes) continue
      if (overBefore.has(id) || bytes > 4 * limitBytes) cut(connection, bytes)
      else over.add(id)
    }
    overBefore = over
  }

  const timer = setInterval(sweep, intervalMs)
  timer.unref()
  return {
    close () { clearInterval(timer) }
  }
}
