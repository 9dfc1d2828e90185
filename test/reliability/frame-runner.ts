import { protocolCatalog } from '../../shared/catalog.ts'
import { ErrorCodes, type ErrorCode } from '../../shared/protocol.ts'
import { internals } from '../helpers/http.ts'
import { openRawSocket, PacketType, type Packet, type RawSocket } from '../helpers/raw-socket.ts'
import type { NamespacePath } from './start-arena.ts'

/**
 * What a frame is expected to get:
 * - `ok`, or an error code: an ack `{ok: true, data}` or `{ok: false, error: {code, message}}`;
 * - `closed`: the server closes the connection;
 * - `silence`: no answer, and the connection still serves (a probe command after it is answered);
 * - `connected` or `connect_error:<message>`: the answer to a namespace CONNECT.
 */
export type Expectation = 'ok' | ErrorCode | 'closed' | 'silence' | 'connected' | `connect_error:${string}`

export interface Outcome {
  /** What happened, in the words of `Expectation`. */
  seen: Expectation | `ack ${string}`
  /** The ack's first argument, when there was one. */
  result?: unknown
  /** Anything else the server sent meanwhile that is not a push of the namespace. */
  unexpected: Packet[]
  /** What is wrong with the ack's shape (an error code outside the documented set, internals in the message). */
  problems: string[]
}

/** A command that changes nothing, whose answer proves the server has read every frame before it. */
const probes: Record<NamespacePath, [string, unknown]> = {
  '/chat': ['chat:leave', { roomId: 'no-such-room' }],
  '/notifications': ['notification:list', { limit: 1 }],
  '/ticker': ['ticker:alert-list', {}]
}

const pushNames = new Map(protocolCatalog.namespaces.map((ns) => [ns.path, new Set(Object.keys(ns.pushes))]))

/** An ack must be exactly `{ok: true, data}` or `{ok: false, error: {code, message[, retryAfterMs]}}` with a documented code. */
function describeAck (args: unknown[]): Pick<Outcome, 'seen' | 'result' | 'problems'> {
  const [result] = args as [any]
  const problems: string[] = []
  if (args.length !== 1) problems.push(`an ack with ${args.length} arguments`)
  if (result?.ok === true) {
    if (!('data' in result)) problems.push('an ok ack without data')
    return { seen: 'ok', result, problems }
  }
  const error = result?.error
  if (result?.ok !== false || typeof error !== 'object' || error === null) return { seen: `ack ${JSON.stringify(result)}`, result, problems: [...problems, 'not an AckResult'] }
  const keys = Object.keys(error).sort().join(',')
  if (keys !== (error.code === 'rate_limited' ? 'code,message,retryAfterMs' : 'code,message')) problems.push(`error fields ${keys}`)
  if (!ErrorCodes.includes(error.code)) problems.push(`an undocumented code ${JSON.stringify(error.code)}`)
  // An invalid_payload message starts with the sender's own field path, which may be any text they chose.
  const ours = typeof error.message === 'string' && error.code === 'invalid_payload' ? error.message.replace(/^[^:]*: /, '') : error.message
  if (typeof ours !== 'string' || internals.test(ours)) problems.push(`a message that leaks internals or is no text: ${JSON.stringify(error.message)}`)
  return { seen: error.code, result, problems }
}

/**
 * Raw connections of the attacker (and of an anonymous viewer), one per namespace, each opened
 * on first use and again after the server closed it; every frame's outcome is read from them.
 */
export function createFrameRunner (base: string, auths: Record<string, unknown>) {
  const sockets = new Map<string, RawSocket>()

  /** The open raw connection of `who` to `ns`, connected to the namespace. */
  const socketFor = async (who: string, ns: NamespacePath) => {
    const key = `${who} ${ns}`
    const existing = sockets.get(key)
    if (existing && !existing.closed) return existing
    const socket = await openRawSocket(base)
    const answer = await socket.connect(ns, auths[who])
    if (answer.kind !== 'packet' || !answer.packet.ok) throw new Error(`${who} could not connect to ${ns}: ${JSON.stringify(answer)}`)
    sockets.set(key, socket)
    return socket
  }

  /**
   * Sends what `send` writes on `socket` and reads the outcome: the ack on `ns` it asked for (its
   * id returned by `send`), or else silence proven by a probe answered on `probeNs`, or a close.
   * Anything else received meanwhile is `unexpected`, but pushes of those namespaces and what
   * `allowed` accepts.
   */
  const outcomeOf = async (socket: RawSocket, ns: NamespacePath, send: () => number | undefined,
    { probeNs = ns, allowed = () => false }: { probeNs?: NamespacePath, allowed?: (packet: Packet) => boolean } = {}): Promise<Outcome> => {
    const from = socket.packets.length
    const ackId = send()
    const waited = new Set<string>()
    let outcome: Omit<Outcome, 'unexpected'>
    if (ackId !== undefined) {
      waited.add(`${ns}#${ackId}`)
      const answer = await socket.ack(ns, ackId)
      outcome = answer.kind === 'closed' ? { seen: 'closed', problems: [] } : describeAck(answer.packet)
    } else {
      const probeId = socket.ackId()
      waited.add(`${probeNs}#${probeId}`)
      socket.sendText(socket.eventFrame(probeNs, probes[probeNs], probeId))
      const answer = await socket.ack(probeNs, probeId)
      outcome = { seen: answer.kind === 'closed' ? 'closed' : 'silence', problems: [] }
    }
    const unexpected = socket.packets.slice(from).filter((packet) =>
      !(packet.type === PacketType.ACK && waited.has(`${packet.nsp}#${packet.id}`)) &&
      !(packet.type === PacketType.EVENT && [ns, probeNs].includes(packet.nsp as NamespacePath) && pushNames.get(packet.nsp)!.has(packet.data?.[0])) &&
      !allowed(packet))
    return { ...outcome, unexpected }
  }

  return {
    outcomeOf,
    /** An event of `who` on `ns`, with an ack unless `ack` is false; `bytes` is the frame's size on the wire. */
    async emit (who: string, ns: NamespacePath, args: unknown[], ack = true): Promise<Outcome & { bytes: number }> {
      const socket = await socketFor(who, ns)
      let bytes = 0
      const outcome = await outcomeOf(socket, ns, () => {
        const id = ack ? socket.ackId() : undefined
        const frame = socket.eventFrame(ns, args, id)
        bytes = Buffer.byteLength(frame)
        socket.sendText(frame)
        return id
      })
      return { ...outcome, bytes }
    },
    async close () {
      await Promise.all([...sockets.values()].map((socket) => socket.close()))
    }
  }
}

export type FrameRunner = ReturnType<typeof createFrameRunner>
