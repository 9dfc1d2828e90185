import fc from 'fast-check'
import { Decoder, PacketType, type Packet } from 'socket.io-parser'
import { Compile } from 'typebox/compile'
import { protocolCatalog } from '../../shared/catalog.ts'
import { MAX_FRAME_BYTES, type Budget, type LimitName } from '../../shared/limits.ts'
import { Namespaces, type ErrorCode } from '../../shared/protocol.ts'
import { anyCodeUnit, arbitraryOf, type Pools } from './schema-arbitrary.ts'
import { unlimited, type NamespacePath } from './start-arena.ts'

/** A command frame on the sender's connection to `ns`: an event name, payloads, and an ack or not. */
export interface CommandFrame {
  kind: 'command'
  who: 'mallory' | 'anonymous'
  ns: NamespacePath
  args: unknown[]
  ack: boolean
  /** How it was made: a payload valid by the schema, a valid one mutated, anything at all, or an event name that is no command. */
  shape: 'valid' | 'mutated' | 'random' | 'odd name'
}

/** An Engine.IO text frame written by hand, on a fresh connection to /chat and /notifications. */
export interface RawFrame {
  kind: 'raw'
  text: string
  shape: 'mutated event' | 'engine packet' | 'socket.io packet'
}

export type FuzzFrame = CommandFrame | RawFrame

/** What a frame must get: a close, silence, or an answer (an ack) with one of these results. */
export type Prediction =
  | { outcome: 'closed' | 'silence', why: string }
  | { outcome: 'answer', results: readonly ('ok' | ErrorCode)[], why: string }

/** Event names Socket.IO's parser refuses outright (the connection is closed). */
const RESERVED_EVENTS = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']

/**
 * The refusals a well-formed payload of each command may still get: whatever the data says
 * (a room that does not exist, someone else's message). Anything else but `ok` is a failure.
 */
const possibleRefusals: Record<string, readonly ErrorCode[]> = {
  'chat:join': ['not_found', 'forbidden'],
  'chat:leave': [],
  // invalid_payload: an empty text without an image (the schema allows '' for messages with one);
  // not_found: an image id that is no upload of the sender's in that room
  'chat:send': ['not_found', 'forbidden', 'invalid_payload'],
  'chat:edit': ['not_found', 'forbidden', 'conflict'],
  'chat:delete': ['not_found', 'forbidden'],
  // conflict: a deleted message, or one with every different emoji it may take
  'chat:react': ['not_found', 'forbidden', 'conflict'],
  'chat:history': ['not_found', 'forbidden'],
  'chat:typing': ['forbidden'],
  'chat:read': ['not_found', 'forbidden'],
  // A query with nothing to look for, a day that does not exist, a cursor it did not give.
  'chat:search': ['invalid_payload'],
  'chat:mark-unread': ['not_found', 'forbidden'],
  'chat:focus': [],
  // invalid_payload: a root that is itself a reply
  'chat:thread': ['not_found', 'forbidden', 'invalid_payload'],
  'chat:follow-thread': ['not_found', 'forbidden', 'invalid_payload'],
  // conflict: a direct room, or a public name taken
  'chat:room-update': ['not_found', 'forbidden', 'conflict'],
  'chat:member-role': ['not_found', 'forbidden', 'conflict'],
  'chat:member-remove': ['not_found', 'forbidden', 'conflict'],
  'chat:room-leave': ['not_found', 'forbidden', 'conflict'],
  'notification:list': [],
  'notification:mark-read': [],
  'notification:mark-unread': ['not_found'],
  'notification:done': [],
  'notification:preferences': [],
  'notification:set-room': ['not_found', 'forbidden'],
  // a time zone that matches the pattern but that Intl does not know
  'notification:set-settings': ['invalid_payload'],
  'ticker:subscribe': ['not_found'],
  'ticker:unsubscribe': [],
  'ticker:sparklines': ['not_found'],
  'ticker:candles': ['not_found'],
  'ticker:alert-create': ['not_found', 'conflict'],
  'ticker:alert-list': [],
  'ticker:alert-delete': ['not_found'],
  'ticker:alert-fired': [],
  'ticker:alert-rearm': ['not_found', 'conflict'],
  'ticker:watchlist-list': [],
  // invalid_payload: a symbol twice; conflict: past the limits, or a stale version
  'ticker:watchlist-create': ['not_found', 'conflict', 'invalid_payload'],
  'ticker:watchlist-update': ['not_found', 'conflict', 'invalid_payload'],
  'ticker:watchlist-delete': ['not_found'],
  'ticker:watchlist-move': ['not_found'],
  'ticker:watchlist-import': ['not_found', 'conflict', 'invalid_payload'],
  'away:summary': []
}

/**
 * The commands whose named limit (`commands` of a budget in shared/limits.ts) a fuzzer outruns
 * under `limits`, the server's configured budgets: they may also be answered `rate_limited`.
 * A budget at `unlimited` is out of reach.
 */
export function rateLimitedCommands (limits: Record<LimitName, Budget>): ReadonlySet<string> {
  const named = Object.values(limits).flatMap((budget) => budget.commands ?? [])
  const unknown = named.filter((name) => !checks.has(name))
  if (unknown.length > 0) throw new Error(`shared/limits.ts names commands the catalog does not have: ${unknown.join(', ')}`)
  return new Set(Object.values(limits).filter((budget) => budget.burst < unlimited.burst).flatMap((budget) => budget.commands ?? []))
}
/** Commands only a signed-in user may use: an anonymous viewer gets `unauthorized` for any valid payload. */
const signedInOnly = new Set(['ticker:alert-create', 'ticker:alert-list', 'ticker:alert-delete', 'ticker:alert-fired', 'ticker:alert-rearm',
  'ticker:watchlist-list', 'ticker:watchlist-create', 'ticker:watchlist-update', 'ticker:watchlist-delete', 'ticker:watchlist-move', 'ticker:watchlist-import'])

const catalogs = new Map(protocolCatalog.namespaces.map((ns) => [ns.path as NamespacePath, new Map(Object.entries(ns.commands))]))
const checks = new Map([...catalogs.values()].flatMap((commands) => [...commands].map(([name, spec]) => [name, Compile(spec.payload)] as const)))

/** What the server sees of JSON we send: the same round trip (undefined dropped, NaN as null, -0 as 0). */
const onTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

/** The outcome a command frame must get, from the protocol's rules alone. */
export function predictCommand (frame: CommandFrame, bytes: number, rateLimited: ReadonlySet<string>): Prediction {
  if (bytes > MAX_FRAME_BYTES) return { outcome: 'closed', why: `${bytes} bytes, over the ${MAX_FRAME_BYTES}-byte frame limit` }
  const [name, ...payloads] = onTheWire(frame.args) as unknown[]
  if (!(typeof name === 'string' || typeof name === 'number') || RESERVED_EVENTS.includes(name as string)) {
    return { outcome: 'closed', why: `the event name ${JSON.stringify(name)} is refused by the parser` }
  }
  const spec = typeof name === 'string' ? catalogs.get(frame.ns)!.get(name) : undefined
  if (!spec) return frame.ack ? { outcome: 'answer', results: ['not_found'], why: 'no such command' } : { outcome: 'silence', why: 'no such command, no ack' }
  if (!frame.ack) return { outcome: 'silence', why: spec.ackOptional ? 'an optional ack left out' : 'a command without an ack is ignored' }
  if (payloads.length !== 1 || !checks.get(name as string)!.Check(payloads[0])) {
    return { outcome: 'answer', results: ['invalid_payload'], why: 'the payload does not match the command\'s schema' }
  }
  if (frame.who === 'anonymous' && signedInOnly.has(name as string)) return { outcome: 'answer', results: ['unauthorized'], why: 'signed-in users only' }
  const refusals = [...possibleRefusals[name as string]!, ...(rateLimited.has(name as string) ? ['rate_limited' as const] : [])]
  return { outcome: 'answer', results: ['ok', ...refusals], why: 'a valid payload' }
}

/**
 * The outcome of a raw text frame on a connection to /chat and /notifications (silence is
 * proven by a probe on `probeNs`), read with Socket.IO's own decoder as the server reads it.
 */
export function predictRaw (text: string, rateLimited: ReadonlySet<string>): Prediction & { probeNs: NamespacePath, ack?: { ns: NamespacePath, id: number }, packet?: Packet } {
  const probeNs: NamespacePath = Namespaces.notifications
  const closed = (why: string) => ({ outcome: 'closed' as const, why, probeNs })
  const silence = (why: string, ns: NamespacePath = probeNs) => ({ outcome: 'silence' as const, why, probeNs: ns })
  // The WebSocket carries UTF-8: a lone surrogate arrives as U+FFFD.
  const seen = Buffer.from(text).toString()
  if (Buffer.byteLength(seen) > MAX_FRAME_BYTES) return closed('over the frame limit')
  const type = seen.charAt(0)
  if (type === '2') return closed('a ping from the client')
  if (['0', '1', '3', '5', '6'].includes(type)) return silence(`an Engine.IO packet of type ${type}, ignored on a WebSocket`)
  if (type !== '4') return closed(`no Engine.IO packet type: ${JSON.stringify(type)}`)
  let packet: Packet | undefined
  const decoder = new Decoder()
  decoder.on('decoded', (decoded: Packet) => { packet = decoded })
  try {
    decoder.add(seen.length > 1 ? seen.slice(1) : undefined)
  } catch (error) {
    return closed(`the parser refuses it: ${(error as Error).message}`)
  }
  if (!packet) return closed('it announces attachments, and a text frame (the probe) comes instead')
  const connected = packet.nsp === Namespaces.chat || packet.nsp === Namespaces.notifications
  switch (packet.type) {
    case PacketType.CONNECT:
      return connected ? closed('a second CONNECT to a connected namespace') : { ...silence('a CONNECT to another namespace is answered'), packet }
    case PacketType.DISCONNECT:
      if (!connected) return closed('a DISCONNECT of a namespace not connected')
      // The probe goes to the namespace that is still connected.
      return silence('leaving a namespace', packet.nsp === Namespaces.notifications ? Namespaces.chat : Namespaces.notifications)
    case PacketType.EVENT:
      if (!connected) return closed('an event to a namespace not connected')
      if (packet.id === undefined || packet.data === undefined) return silence('an event with no ack id, or no name')
      // Decoded, it is a command frame like any other: the same rules say what it gets.
      return {
        ...predictCommand({ kind: 'command', who: 'mallory', ns: packet.nsp as NamespacePath, args: packet.data, ack: true, shape: 'random' }, 0, rateLimited),
        probeNs,
        ack: { ns: packet.nsp as NamespacePath, id: packet.id },
        packet
      }
    case PacketType.ACK:
      return connected ? silence('an ack nobody waits for') : closed('an ack to a namespace not connected')
    default:
      return closed(`a packet of type ${packet.type} from a client`)
  }
}

/** Values an attacker puts where a field belongs. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<unknown>('', ' ', '\u200b', '\u202e', '\u3164', 'a\ud800b', '\udc00', 'NaN', 'Infinity', '-0', '1e400', '0x10', 'null', 'true',
      '__proto__', 'constructor', '<img src=x onerror=alert(1)>', "'; DROP TABLE messages; --", '../../etc/passwd', '\u0000', 'x'.repeat(5000),
      null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_VALUE, Number.MIN_VALUE, [], {}, [[]], { $ne: null })
  },
  { weight: 3, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 24 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double()) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1000 }).map((depth) => { let nested: unknown = []; for (let i = 1; i < depth; i++) nested = [nested]; return nested }) },
  // Rarely, a value that takes the frame over the limit: the connection is closed.
  { weight: 1, arbitrary: fc.constant('x'.repeat(MAX_FRAME_BYTES)) }
)

const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'userId', 'authorId', 'admin', 'seq', 'id'),
  fc.string({ maxLength: 12 })
)

/** A copy of `payload` changed in one place: a field set to a hostile value, removed, added, or the whole replaced. */
const mutated = (valid: fc.Arbitrary<unknown>) =>
  fc.tuple(valid, fc.constantFrom('set', 'remove', 'add', 'replace', 'wrap'), fc.nat(), extraKey, hostileValue).map(([payload, how, pick, key, value]) => {
    const copy = onTheWire(payload) as Record<string, unknown>
    const keys = Object.keys(copy)
    const define = (name: string) => Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true })
    switch (how) {
      case 'set': return keys.length > 0 ? define(keys[pick % keys.length]!) : define(key)
      case 'remove':
        if (keys.length > 0) delete copy[keys[pick % keys.length]!]
        return copy
      case 'add': return define(key)
      case 'replace': return value
      default: return pick % 2 === 0 ? [copy] : JSON.stringify(copy)
    }
  })

const weighted = <T>(...options: [number, fc.Arbitrary<T>][]) => fc.oneof(...options.map(([weight, arbitrary]) => ({ weight, arbitrary })))
/** Mostly one payload, sometimes none or two. */
const payloadCount = weighted([18, fc.constant(1)], [1, fc.constant(0)], [1, fc.constant(2)])
const withAck = weighted([9, fc.constant(true)], [1, fc.constant(false)])

/** Frames of every command of `ns`, sent by `who`: valid-shaped, mutated and random payloads, and odd event names. */
function commandFrames (ns: NamespacePath, who: CommandFrame['who'], pools: Pools): fc.Arbitrary<CommandFrame> {
  const commands = [...catalogs.get(ns)!]
  const others = [...catalogs].filter(([path]) => path !== ns).flatMap(([, other]) => [...other.keys()])
  const frame = (name: fc.Arbitrary<unknown>, payload: fc.Arbitrary<unknown>, shape: CommandFrame['shape']) =>
    fc.tuple(name, payload, payloadCount, withAck, hostileValue).map(([event, first, count, ack, second]): CommandFrame =>
      ({ kind: 'command', who, ns, args: [event, first, second].slice(0, count + 1), ack, shape }))
  return weighted([10, fc.oneof(
    ...commands.map(([name, spec]) => {
      const valid = arbitraryOf(spec.payload, pools)
      return weighted(
        [5, frame(fc.constant(name), valid, 'valid')],
        [5, frame(fc.constant(name), mutated(valid), 'mutated')],
        [1, frame(fc.constant(name), fc.oneof(hostileValue, fc.jsonValue()), 'random')]
      )
    })
  )], [1, frame(fc.oneof(fc.constantFrom<unknown>(...others, ...RESERVED_EVENTS, 'error', '__proto__', 'toString'), fc.string({ maxLength: 20 }), fc.integer(), fc.double()), hostileValue, 'odd name')])
}

/** Raw frames: valid /chat events mutated as text, Engine.IO packets of every type, Socket.IO packets of every type to every namespace. */
function rawFrames (pools: Pools): fc.Arbitrary<RawFrame> {
  const sendPayload = arbitraryOf(catalogs.get(Namespaces.chat)!.get('chat:send')!.payload, pools)
  const event = sendPayload.map((payload) => `42/chat,1${JSON.stringify(['chat:send', payload])}`)
  const textMutation = fc.tuple(fc.constantFrom('truncate', 'insert', 'replace', 'remove'), fc.nat(), anyCodeUnit)
  const mutatedEvent = fc.tuple(event, textMutation).map(([text, [how, at, unit]]): RawFrame => {
    const i = at % (text.length + 1)
    const changed = how === 'truncate'
      ? text.slice(0, i)
      : how === 'insert' ? text.slice(0, i) + unit + text.slice(i) : how === 'replace' ? text.slice(0, i) + unit + text.slice(i + 1) : text.slice(0, i) + text.slice(i + 1)
    return { kind: 'raw', text: changed, shape: 'mutated event' }
  })
  const enginePacket = fc.tuple(fc.constantFrom('', '0', '1', '2', '3', '5', '6', '7', '9', 'x'), fc.string({ unit: anyCodeUnit, maxLength: 16 }))
    .map(([type, rest]): RawFrame => ({ kind: 'raw', text: type + rest, shape: 'engine packet' }))
  const socketIoPacket = fc.tuple(
    fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '9', '51-', '52-', '511-', 'x'),
    fc.constantFrom('/chat,', '/notifications,', '/ticker,', '/nope,', '', '/'),
    fc.option(fc.oneof(fc.nat(1000), fc.constant(2 ** 60)), { nil: undefined }),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((json) => JSON.stringify(json)), fc.string({ maxLength: 16 }), event.map((text) => text.slice(8)))
  ).map(([type, nsp, id, data]): RawFrame => ({ kind: 'raw', text: `4${type}${nsp}${id ?? ''}${data}`, shape: 'socket.io packet' }))
  return fc.oneof(mutatedEvent, enginePacket, socketIoPacket)
}

/** Every kind of frame, weighted: mostly commands on the attacker's three namespaces, some anonymous, some raw. */
export function fuzzFrames (pools: Pools): fc.Arbitrary<FuzzFrame> {
  return weighted<FuzzFrame>(
    [40, commandFrames(Namespaces.chat, 'mallory', pools)],
    [15, commandFrames(Namespaces.notifications, 'mallory', pools)],
    [25, commandFrames(Namespaces.ticker, 'mallory', pools)],
    [8, commandFrames(Namespaces.ticker, 'anonymous', pools)],
    [8, rawFrames(pools)]
  )
}
