import { Decoder, PacketType, type Packet } from 'socket.io-parser'
import WebSocket from 'ws'
import { SOCKET_PATH } from '../../shared/protocol.ts'

export { PacketType, type Packet }

/** What ended a wait: the packet looked for, or the server closing the connection first. */
export type Answer<T> = { kind: 'packet', packet: T } | { kind: 'closed' }

/** The text of a Socket.IO packet for `nsp` as it goes on the wire (after the Engine.IO `4`). */
const nspPrefix = (nsp: string) => nsp === '/' ? '' : `${nsp},`

/**
 * A bare Engine.IO WebSocket that speaks Socket.IO by hand, for the frames no client library
 * sends: broken JSON, wrong attachment counts, acks nobody asked for. It answers the server's
 * pings and decodes what the server sends; everything else is the test's to write.
 */
export async function openRawSocket (base: string) {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${SOCKET_PATH}/?EIO=4&transport=websocket`)
  const packets: Packet[] = []
  /** Acks by `nsp#id`, for the waits (a fuzz sends thousands of frames on one connection). */
  const acks = new Map<string, unknown[]>()
  const listeners = new Set<() => void>()
  let closed = false
  const changed = () => { for (const listener of [...listeners]) listener() }

  const decoder = new Decoder()
  decoder.on('decoded', (packet: Packet) => {
    packets.push(packet)
    if (packet.type === PacketType.ACK) acks.set(`${packet.nsp}#${packet.id}`, packet.data)
    changed()
  })
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.on('message', (data, isBinary) => {
    const text = String(data)
    if (isBinary) return
    if (text === '2') ws.send('3')
    else if (text.startsWith('4')) decoder.add(text.slice(1))
  })
  ws.on('error', () => { /* a close follows, and waits see it */ })
  ws.on('close', () => {
    closed = true
    changed()
  })
  await opened

  /**
   * Resolves with what `find` returns once it returns something, or with `closed` when the
   * connection closes first. The timeout only bounds the wait: it rejects, naming `what`.
   */
  const waitFor = <T>(find: () => T | undefined, what: string, timeoutMs = 5000): Promise<Answer<T>> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find()
        if (found === undefined && !closed) return false
        listeners.delete(check)
        clearTimeout(timer)
        resolve(found === undefined ? { kind: 'closed' } : { kind: 'packet', packet: found })
        return true
      }
      const timer = setTimeout(() => {
        listeners.delete(check)
        reject(new Error(`expected ${what} within ${timeoutMs} ms, got neither it nor a close; received ${JSON.stringify(packets.slice(-5))}`))
      }, timeoutMs)
      if (!check()) listeners.add(check)
    })

  let nextId = 0

  return {
    /** Every packet the server sent so far, decoded. */
    packets,
    get closed () { return closed },
    /** A text frame exactly as given (an Engine.IO packet: `4` and a Socket.IO packet for messages). */
    sendText (text: string) { ws.send(text) },
    sendBinary (data: Buffer) { ws.send(data) },
    /** A fresh ack id, unique on this connection. */
    ackId: () => ++nextId,
    /** The frame of an event: `42/nsp,<id>[...args]`, the ack id omitted when `id` is undefined. */
    eventFrame: (nsp: string, args: unknown[], id?: number) => `42${nspPrefix(nsp)}${id ?? ''}${JSON.stringify(args)}`,
    /** Connects to a namespace; resolves with the server's answer (connected, or its connect_error message). */
    async connect (nsp: string, auth?: unknown): Promise<Answer<{ ok: true } | { ok: false, message: string }>> {
      const from = packets.length
      ws.send(`40${nspPrefix(nsp)}${auth === undefined ? '' : JSON.stringify(auth)}`)
      return this.connectAnswer(nsp, from)
    },
    /** The first CONNECT or CONNECT_ERROR for `nsp` received after packet number `from`. */
    connectAnswer (nsp: string, from = 0) {
      return waitFor(() => {
        const packet = packets.slice(from).find((p) => p.nsp === nsp && (p.type === PacketType.CONNECT || p.type === PacketType.CONNECT_ERROR))
        if (!packet) return undefined
        return packet.type === PacketType.CONNECT ? { ok: true as const } : { ok: false as const, message: String(packet.data?.message) }
      }, `an answer to the connect to ${nsp}`)
    },
    /** The ack `id` on `nsp` (its arguments), or `closed`. */
    ack (nsp: string, id: number) {
      return waitFor(() => acks.get(`${nsp}#${id}`), `the ack ${id} on ${nsp}`)
    },
    /** Resolves once the server has closed the connection (or rejects after the bound). */
    async whenClosed (timeoutMs = 5000) {
      await waitFor(() => undefined, 'the connection to close', timeoutMs)
    },
    /** Closes the connection from this side and waits until it is closed. */
    async close () {
      if (closed) return
      const done = this.whenClosed()
      ws.terminate()
      await done
    }
  }
}

export type RawSocket = Awaited<ReturnType<typeof openRawSocket>>
