/**
 * One load-generator process: it holds many real clients (socket.io-client, or `ws` for the raw
 * baseline), sends what the harness asks at the rate it asks, and measures what arrives:
 * deliveries, latency from the send timestamp carried in each message, lost and duplicated
 * messages, and its own CPU, so the harness can tell when the generator is the bottleneck.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { Manager, type Socket } from 'socket.io-client'
import { WebSocket } from 'ws'
import { PROTOCOL_VERSION } from '../../shared/protocol.ts'
import { Bitset } from '../lib/bitset.ts'
import { createHistogram } from '../lib/histogram.ts'
import { serveRpc } from '../lib/rpc.ts'
import { expectedTickFrames } from '../lib/tick-frames.ts'
import { benchText, now, parseBenchText, symbolsFor, type RawSend, type WireMessage } from '../lib/wire.ts'

type Kind = 'sio' | 'ws'
type AckResult = { ok: true, data: any } | { ok: false, error: { code: string, message: string } }

export interface ClientSpec { index: number, token?: string }

export interface SetupParams {
  kind: Kind
  /** http://127.0.0.1:<port> */
  url: string
  namespaces?: string[]
  clients: ClientSpec[]
  /** Connections opened at once. */
  concurrency: number
  reconnection?: boolean
  /** Source addresses to spread connections over (127.0.0.x), so ephemeral ports never run out. */
  localAddresses?: string[]
  timeoutMs?: number
}

interface QuoteLike { symbol: string, seq: number, ts: number }

/** A message's reactions as they now are: `chat:react`'s ack and the `chat:reactions` push. */
interface ReactionsLike { messageId: string, rev: number, reactions: unknown[] }

interface Client {
  index: number
  token?: string
  manager?: Manager
  sockets: Map<string, Socket>
  ws?: WebSocket
  /** Connected on every namespace once, at setup (whether it still is: `isOpen`). */
  opened: boolean
  // chat
  roomId?: string
  nextN: number
  /** Messages received, per sender index, by the sender's message number. */
  received: Map<number, Bitset>
  /** Reactions: toggles sent (which emoji is next), revs pushed to it, and each message's newest state it knows. */
  reactN: number
  reactionRevs: Bitset
  reactionState: Map<string, ReactionsLike>
  // seq tracking (reconnect)
  seen?: Bitset
  pushed?: Bitset
  contiguous: number
  highest: number
  lastAdvanceAt: number
  catchingUp: boolean
  catchUpTimer?: ReturnType<typeof setTimeout>
  disconnectedAt: number
  reconnectedAt: number
  // ticker
  lastSeq?: Map<string, number>
  lastFrameTs: number
  /** The first and last tick stamps of its frames in the current window (-1: none yet). */
  windowFirstTs: number
  windowLastTs: number
  /** Raw ws: answers the pending `{subscribe}`. */
  onSubscribed?: (quotes: QuoteLike[]) => void
  inFlight: number
}

const clients: Client[] = []
let kind: Kind = 'sio'
let setupParams: SetupParams | undefined

/** Counters of the current measurement window. */
const current = {
  deliveries: 0,
  latency: createHistogram(),
  ackLatency: createHistogram(),
  sent: 0,
  acked: 0,
  /** JSON length of what one ack in 8 carried (the same content as the push of what was sent): sampled, not to load the generator. */
  ackBytes: 0,
  ackSamples: 0,
  errors: 0,
  errorCodes: {} as Record<string, number>,
  frames: 0,
  quotes: 0,
  extraFrames: 0,
  /** The distinct tick timestamps seen (how many ticks the server actually made). */
  ticks: new Set<number>(),
  cpu: process.cpuUsage(),
  started: performance.now(),
  elu: performance.eventLoopUtilization() as EventLoopUtilization
}

/** Counters over the whole life of the worker (correctness, not speed). */
const total = {
  deliveries: 0,
  duplicates: 0,
  /** Ticker: skipped quote seqs of a followed symbol. */
  seqGaps: 0,
  disconnects: 0,
  connectErrors: 0,
  /** `chat:join` requests sent (first joins, rejoins after a reconnect, catch-ups after a hole). */
  joins: 0,
  /** Per sender index: acks received (what receivers should have). */
  acked: new Map<number, number>(),
  /** Ids of the latest acked messages (something to react to). */
  recentMessageIds: [] as string[],
  reactionDeliveries: 0,
  reactionDuplicates: 0,
  /** Per reactor index: the revs of its acked toggles (every other client should get each pushed). */
  reactionAcks: new Map<number, number[]>(),
  reactionAcked: 0,
  reactionNewest: new Map<string, ReactionsLike>(),
  /** Persistence: every acked message, to check against the database. */
  ackedMessages: [] as [string, string, number][],
  keepAcked: false
}

function countError (code: string) {
  current.errors++
  current.errorCodes[code] = (current.errorCodes[code] ?? 0) + 1
}

// ---------------------------------------------------------------- receiving

function onChatMessage (client: Client, message: WireMessage) {
  const at = now()
  const parsed = parseBenchText(message.text)
  if (client.seen) onSeq(client, message.seq, true)
  if (!parsed) return
  if (parsed.sender === client.index) {
    // Raw ws: the sender's own copy is its acknowledgement.
    onAck(client, parsed.sender, at - parsed.sentAt, message)
    return
  }
  let bits = client.received.get(parsed.sender)
  if (bits === undefined) client.received.set(parsed.sender, bits = new Bitset())
  if (!bits.add(parsed.n)) {
    total.duplicates++
    return
  }
  current.deliveries++
  total.deliveries++
  current.latency.record(at - parsed.sentAt)
}

function onAck (client: Client, sender: number, latencyMs: number, message: WireMessage) {
  countAck(client, latencyMs)
  total.acked.set(sender, (total.acked.get(sender) ?? 0) + 1)
  if (total.keepAcked) total.ackedMessages.push([message.id, message.roomId, message.seq])
  if (kind === 'sio') {
    sampleBytes({ message })
    total.recentMessageIds.push(message.id)
    if (total.recentMessageIds.length > 256) total.recentMessageIds.splice(0, 128)
  }
}

function sampleBytes (payload: unknown) {
  if ((current.acked & 7) !== 0) return
  current.ackBytes += JSON.stringify(payload).length
  current.ackSamples++
}

function countAck (client: Client, latencyMs: number) {
  client.inFlight--
  current.acked++
  current.ackLatency.record(latencyMs)
}

function onReactionAck (client: Client, latencyMs: number, state: ReactionsLike) {
  countAck(client, latencyMs)
  sampleBytes(state)
  total.reactionAcked++
  let revs = total.reactionAcks.get(client.index)
  if (revs === undefined) total.reactionAcks.set(client.index, revs = [])
  revs.push(state.rev)
  keepNewest(client, state)
  const newest = total.reactionNewest.get(state.messageId)
  if (newest === undefined || state.rev > newest.rev) total.reactionNewest.set(state.messageId, state)
}

/** A `chat:reactions` push: each rev once, the newest state per message kept to compare at the end. */
function onReactions (client: Client, state: ReactionsLike) {
  if (!client.reactionRevs.add(state.rev)) {
    total.reactionDuplicates++
    return
  }
  current.deliveries++
  total.reactionDeliveries++
  keepNewest(client, state)
}

function keepNewest (client: Client, state: ReactionsLike) {
  const known = client.reactionState.get(state.messageId)
  if (known === undefined || state.rev > known.rev) client.reactionState.set(state.messageId, state)
}

/** Seq bookkeeping of a followed room: contiguous prefix, holes filled by `chat:join {since}`. */
function onSeq (client: Client, seq: number, push: boolean) {
  if (push && !client.pushed!.add(seq)) total.duplicates++
  client.seen!.add(seq)
  if (seq > client.highest) client.highest = seq
  const before = client.contiguous
  while (client.seen!.has(client.contiguous + 1)) client.contiguous++
  if (client.contiguous !== before) client.lastAdvanceAt = now()
  if (client.highest > client.contiguous) scheduleCatchUp(client, 200)
}

function scheduleCatchUp (client: Client, delayMs: number) {
  if (client.catchingUp || client.catchUpTimer) return
  client.catchUpTimer = setTimeout(() => {
    client.catchUpTimer = undefined
    if (client.highest > client.contiguous) joinRoom(client).catch(ignore)
  }, delayMs)
}

async function joinRoom (client: Client): Promise<boolean> {
  const socket = client.sockets.get('/chat')
  if (!socket?.connected || !client.roomId) return false
  client.catchingUp = true
  total.joins++
  try {
    const payload = client.seen ? { roomId: client.roomId, since: client.contiguous } : { roomId: client.roomId }
    const result: AckResult = await socket.timeout(20_000).emitWithAck('chat:join', payload)
    if (!result.ok) {
      countError(result.error.code)
      return false
    }
    if (client.seen) {
      for (const message of result.data.messages as WireMessage[]) onSeq(client, message.seq, false)
      if (result.data.hasMore) scheduleCatchUp(client, 0)
    }
    return true
  } catch {
    countError('join_timeout')
    return false
  } finally {
    client.catchingUp = false
  }
}

function onQuotes (client: Client, quotes: QuoteLike[]) {
  const at = now()
  current.frames++
  current.quotes += quotes.length
  const first = quotes[0]
  if (!first) return
  if (first.ts === client.lastFrameTs) current.extraFrames++
  client.lastFrameTs = first.ts
  if (client.windowFirstTs < 0) client.windowFirstTs = first.ts
  client.windowLastTs = first.ts
  current.ticks.add(first.ts)
  current.latency.record(at - first.ts)
  const last = client.lastSeq!
  for (const quote of quotes) {
    const previous = last.get(quote.symbol)
    if (previous !== undefined) {
      if (quote.seq <= previous) {
        total.duplicates++
        continue
      }
      if (quote.seq > previous + 1) total.seqGaps += quote.seq - previous - 1
    }
    last.set(quote.symbol, quote.seq)
  }
  current.deliveries += quotes.length
  total.deliveries += quotes.length
}

// ---------------------------------------------------------------- connecting

/** Connected right now: every namespace socket (Socket.IO), or the WebSocket (raw ws). */
const isOpen = (client: Client) => client.ws
  ? client.ws.readyState === WebSocket.OPEN
  : client.sockets.size > 0 && [...client.sockets.values()].every((socket) => socket.connected)

function newClient (spec: ClientSpec): Client {
  return {
    index: spec.index,
    ...(spec.token !== undefined && { token: spec.token }),
    sockets: new Map(),
    opened: false,
    nextN: 0,
    received: new Map(),
    reactN: 0,
    reactionRevs: new Bitset(),
    reactionState: new Map(),
    contiguous: 0,
    highest: 0,
    lastAdvanceAt: 0,
    catchingUp: false,
    disconnectedAt: 0,
    reconnectedAt: 0,
    lastFrameTs: -1,
    windowFirstTs: -1,
    windowLastTs: -1,
    inFlight: 0
  }
}

function connectSio (client: Client, params: SetupParams, localAddress: string | undefined): Promise<void> {
  const manager = new Manager(params.url, {
    transports: ['websocket'],
    reconnection: params.reconnection ?? false,
    autoConnect: true,
    ...(localAddress && { localAddress })
  } as ConstructorParameters<typeof Manager>[1])
  client.manager = manager
  const namespaces = params.namespaces ?? ['/chat']
  return new Promise((resolve, reject) => {
    let pending = namespaces.length
    const timer = setTimeout(() => reject(new Error('connect timeout')), params.timeoutMs ?? 30_000)
    for (const ns of namespaces) {
      const socket = manager.socket(ns, { auth: { protocolVersion: PROTOCOL_VERSION, ...(client.token && { token: client.token }) } })
      client.sockets.set(ns, socket)
      let first = true
      socket.on('connect', () => {
        if (first) {
          first = false
          if (--pending === 0) {
            clearTimeout(timer)
            client.opened = true
            resolve()
          }
          return
        }
        // A reconnection: note when, and catch up the followed room.
        if (ns === '/chat') {
          if (client.reconnectedAt === 0) client.reconnectedAt = now()
          if (client.roomId) joinRoom(client).catch(ignore)
        }
      })
      socket.on('connect_error', (error) => {
        total.connectErrors++
        if (!(params.reconnection ?? false) && first) {
          clearTimeout(timer)
          reject(error)
        }
      })
      socket.on('disconnect', () => {
        if (ns === '/chat') {
          total.disconnects++
          client.disconnectedAt = now()
        }
      })
      if (ns === '/chat') {
        socket.on('chat:message', ({ message }: { message: WireMessage }) => onChatMessage(client, message))
        socket.on('chat:reactions', (state: ReactionsLike) => onReactions(client, state))
      }
      if (ns === '/ticker') {
        socket.on('ticker:quotes', ({ quotes }: { quotes: QuoteLike[] }) => onQuotes(client, quotes))
        socket.on('ticker:quote', (quote: QuoteLike) => onQuotes(client, [quote]))
      }
    }
  })
}

function connectWs (client: Client, params: SetupParams, localAddress: string | undefined): Promise<void> {
  const ws = new WebSocket(`${params.url.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false, ...(localAddress && { localAddress }) })
  client.ws = ws
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), params.timeoutMs ?? 30_000)
    ws.once('open', () => {
      clearTimeout(timer)
      client.opened = true
      resolve()
    })
    ws.once('error', (error) => {
      total.connectErrors++
      clearTimeout(timer)
      reject(error)
    })
    ws.on('close', () => { total.disconnects++ })
    ws.on('message', (data) => {
      const got = JSON.parse(data.toString()) as { message?: WireMessage, quotes?: QuoteLike[], subscribed?: QuoteLike[] }
      if (got.message) onChatMessage(client, got.message)
      else if (got.quotes) onQuotes(client, got.quotes)
      else if (got.subscribed) client.onSubscribed?.(got.subscribed)
    })
  })
}

/** Runs `run` over items with at most `limit` at once. */
async function pool<T> (items: T[], limit: number, run: (item: T, i: number) => Promise<void>) {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      await run(items[i]!, i)
    }
  })
  await Promise.all(lanes)
}

async function setup (params: SetupParams) {
  kind = params.kind
  setupParams = params
  const started = now()
  const connectMs = createHistogram()
  let failed = 0
  const firstErrors: string[] = []
  const fresh = params.clients.map(newClient)
  clients.push(...fresh)
  await pool(fresh, params.concurrency, async (client, i) => {
    const localAddress = params.localAddresses?.[i % params.localAddresses.length]
    const t = now()
    try {
      await (kind === 'ws' ? connectWs(client, params, localAddress) : connectSio(client, params, localAddress))
      connectMs.record(now() - t)
    } catch (error) {
      failed++
      if (firstErrors.length < 3) firstErrors.push((error as Error).message)
    }
  })
  return { connected: fresh.length - failed, failed, firstErrors, wallMs: now() - started, connectMs: connectMs.toJSON() }
}

// ---------------------------------------------------------------- chat

/** Follows a room from every client (sio); raw ws clients are all in the relay's one room. */
async function chatJoin ({ roomOf, concurrency = 20, trackSeq = false, follow = true }: {
  roomOf: Record<number, string> | string
  concurrency?: number
  trackSeq?: boolean
  /** false: only note the room to send to (senders that do not follow it get no pushes). */
  follow?: boolean
}) {
  let joined = 0
  let failed = 0
  await pool(clients, concurrency, async (client) => {
    client.roomId = typeof roomOf === 'string' ? roomOf : roomOf[client.index]!
    if (trackSeq) {
      client.seen = new Bitset()
      client.pushed = new Bitset()
    }
    if (kind === 'ws' || !follow) {
      joined++
      return
    }
    if (await joinRoom(client)) joined++
    else failed++
  })
  return { joined, failed }
}

function sendOne (client: Client, roomId: string) {
  const n = client.nextN++
  const sentAt = now()
  const text = benchText(client.index, n, sentAt)
  const clientId = `bench-${client.index}-${n}`
  current.sent++
  client.inFlight++
  if (kind === 'ws') {
    client.ws!.send(JSON.stringify({ roomId, text, clientId } satisfies RawSend))
    return
  }
  emitCommand(client, 'chat:send', { roomId, text, clientId }, (data) => onAck(client, client.index, now() - sentAt, data.message as WireMessage))
}

/** A command over Socket.IO, in flight until its ack: `onOk` with the ack's data, else an error counted. */
function emitCommand (client: Client, event: string, payload: unknown, onOk: (data: any) => void) {
  client.sockets.get('/chat')!.timeout(20_000).emit(event, payload, (error: Error | null, result: AckResult) => {
    if (error) {
      client.inFlight--
      countError('ack_timeout')
    } else if (!result.ok) {
      client.inFlight--
      countError(result.error.code)
    } else {
      onOk(result.data)
    }
  })
}

/** Toggles the client's reaction on its message (`messageIds` by client index), the emoji in turn. */
function reactOne (client: Client, messageIds: string[], emoji: string[]) {
  const sentAt = now()
  current.sent++
  client.inFlight++
  emitCommand(client, 'chat:react', { messageId: messageIds[client.index % messageIds.length], emoji: emoji[client.reactN++ % emoji.length] },
    (data) => onReactionAck(client, now() - sentAt, data as ReactionsLike))
}

/** Sends `rate` messages a second for `durationMs`, round robin over the given senders. */
function chatSend ({ rate, durationMs, senders }: { rate: number, durationMs: number, senders: number[] }) {
  return paced(rate, durationMs, senders, (client) => sendOne(client, client.roomId!))
}

/** Toggles `rate` reactions a second for `durationMs`, round robin over the given senders (see reactOne). */
function chatReact ({ rate, durationMs, senders, messageIds, emoji }: { rate: number, durationMs: number, senders: number[], messageIds: string[], emoji: string[] }) {
  return paced(rate, durationMs, senders, (client) => reactOne(client, messageIds, emoji))
}

/** Calls `send` `rate` times a second for `durationMs`, round robin over the given senders. */
async function paced (rate: number, durationMs: number, senders: number[], send: (client: Client) => void) {
  const mine = clients.filter((client) => senders.includes(client.index) && client.opened)
  if (mine.length === 0 || rate <= 0) return { sent: 0 }
  const started = now()
  let sent = 0
  let next = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = now() - started
      const due = Math.floor(rate * Math.min(elapsed, durationMs) / 1000) - sent
      for (let i = 0; i < due; i++) {
        send(mine[next++ % mine.length]!)
        sent++
      }
      if (elapsed >= durationMs) {
        clearInterval(timer)
        resolve()
      }
    }, 5)
  })
  return { sent }
}

/** Persistence: every given client sends at `perClientRate` with at most `maxInFlight` unacknowledged. */
async function persistSend ({ perClientRate, durationMs, maxInFlight = 2 }: { perClientRate: number, durationMs: number, maxInFlight?: number }) {
  total.keepAcked = true
  const mine = clients.filter((client) => client.opened)
  const interval = 1000 / perClientRate
  const started = now()
  // Spread the first sends over one interval so senders do not move in lock step.
  const due = mine.map((_, i) => started + (interval * i) / mine.length)
  let sent = 0
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = now()
      if (t - started >= durationMs) {
        clearInterval(timer)
        resolve()
        return
      }
      for (let i = 0; i < mine.length; i++) {
        const client = mine[i]!
        if (t < due[i]! || client.inFlight >= maxInFlight) continue
        sendOne(client, client.roomId!)
        sent++
        // Never bank more than one interval of backlog: the server's rate limit allows 10/s per user.
        due[i] = Math.max(due[i]! + interval, t - interval)
      }
    }, 5)
  })
  return { sent }
}

/** Waits until no client has a send in flight (or timeoutMs). */
async function settle ({ timeoutMs = 10_000 }: { timeoutMs?: number }) {
  const until = now() + timeoutMs
  while (now() < until && clients.some((client) => client.inFlight > 0)) await sleep(20)
  return { inFlight: clients.reduce((sum, client) => sum + Math.max(0, client.inFlight), 0) }
}

/**
 * Lost and duplicated, per receiving client: each should hold exactly the messages acknowledged
 * to every other sender, whether or not it is still connected (a dropped client's missing
 * messages are lost). Called after the harness has gathered acks from all workers.
 */
function chatVerify ({ acked }: { acked: [number, number][] }) {
  let lost = 0
  let expected = 0
  let unexpected = 0
  for (const client of clients) {
    for (const [sender, count] of acked) {
      if (sender === client.index) continue
      const got = client.received.get(sender)?.size ?? 0
      expected += count
      if (got < count) lost += count - got
      else unexpected += got - count
    }
  }
  return { lost, duplicates: total.duplicates, expected, unexpected, open: clients.filter(isOpen).length }
}

/**
 * Reactions lost, duplicated and stale, per receiving client: each should have been pushed
 * exactly the revs acknowledged to every other reactor, and know each message's final state
 * (the newest acked, from a push or its own ack), whether or not it is still connected.
 */
function reactVerify ({ acked, final }: { acked: [number, number[]][], final: [string, number, string][] }) {
  let lost = 0
  let expected = 0
  let unexpected = 0
  let stale = 0
  for (const client of clients) {
    let matched = 0
    for (const [reactor, revs] of acked) {
      if (reactor === client.index) continue
      expected += revs.length
      for (const rev of revs) {
        if (client.reactionRevs.has(rev)) matched++
        else lost++
      }
    }
    unexpected += client.reactionRevs.size - matched
    for (const [messageId, rev, reactions] of final) {
      const known = client.reactionState.get(messageId)
      if (known?.rev !== rev || JSON.stringify(known.reactions) !== reactions) stale++
    }
  }
  return { lost, duplicates: total.reactionDuplicates, expected, unexpected, stale }
}

/** The revs acked to each reactor here, and each message's newest acked state: [messageId, rev, reactions as JSON]. */
function reactionAckedTotals () {
  return {
    acked: [...total.reactionAcks],
    newest: [...total.reactionNewest.values()].map((state) => [state.messageId, state.rev, JSON.stringify(state.reactions)] as [string, number, string])
  }
}

// ---------------------------------------------------------------- ticker

async function tickerSubscribe ({ universe, perClient, concurrency = 50 }: { universe: string[], perClient: number, concurrency?: number }) {
  let subscribed = 0
  let failed = 0
  const firstErrors: string[] = []
  await pool(clients, concurrency, async (client) => {
    client.lastSeq = client.lastSeq ?? new Map()
    try {
      const quotes = await subscribeTo(client, symbolsFor(client.index, universe, perClient))
      for (const quote of quotes) {
        const previous = client.lastSeq.get(quote.symbol)
        if (previous === undefined || quote.seq > previous) client.lastSeq.set(quote.symbol, quote.seq)
      }
      subscribed++
    } catch (error) {
      failed++
      if (firstErrors.length < 3) firstErrors.push((error as Error).message)
    }
  })
  return { subscribed, failed, firstErrors }
}

/** Subscribes one client (over Socket.IO, or the raw ws baseline's `{subscribe}`); the snapshot. */
async function subscribeTo (client: Client, symbols: string[]): Promise<QuoteLike[]> {
  if (client.ws) {
    const ws = client.ws
    if (ws.readyState !== WebSocket.OPEN) throw new Error('not connected')
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('subscribe timeout')), 20_000)
      client.onSubscribed = (quotes) => {
        clearTimeout(timer)
        client.onSubscribed = undefined
        resolve(quotes)
      }
      ws.send(JSON.stringify({ subscribe: symbols }))
    })
  }
  const socket = client.sockets.get('/ticker')
  if (!socket?.connected) throw new Error('not connected')
  const result: AckResult = await socket.timeout(20_000).emitWithAck('ticker:subscribe', { symbols })
  if (!result.ok) throw new Error(result.error.code)
  return result.data.quotes as QuoteLike[]
}

// ---------------------------------------------------------------- reconnect

function reconnectStatus ({ targets, since }: { targets?: Record<string, number>, since: number }) {
  let connected = 0
  let reconnected = 0
  let caughtUp = 0
  let missing = 0
  let lastReconnectAt = 0
  let lastCaughtUpAt = 0
  const reconnectMs = createHistogram()
  const caughtUpMs = createHistogram()
  for (const client of clients) {
    const socket = client.sockets.get('/chat')
    if (socket?.connected) connected++
    if (client.reconnectedAt >= since) {
      reconnected++
      lastReconnectAt = Math.max(lastReconnectAt, client.reconnectedAt)
      reconnectMs.record(client.reconnectedAt - since)
    }
    const target = targets && client.roomId ? targets[client.roomId] : undefined
    if (target === undefined) continue
    if (client.contiguous >= target && client.reconnectedAt >= since) {
      caughtUp++
      const at = Math.max(client.lastAdvanceAt, client.reconnectedAt)
      lastCaughtUpAt = Math.max(lastCaughtUpAt, at)
      caughtUpMs.record(at - since)
    } else {
      missing += Math.max(0, target - client.contiguous)
    }
  }
  return {
    clients: clients.length,
    connected,
    reconnected,
    caughtUp,
    missing,
    lastReconnectAt,
    lastCaughtUpAt,
    reconnectMs: reconnectMs.toJSON(),
    caughtUpMs: caughtUpMs.toJSON(),
    duplicates: total.duplicates,
    joins: total.joins
  }
}

// ---------------------------------------------------------------- measurement windows

function resetWindow () {
  current.deliveries = 0
  current.latency.reset()
  current.ackLatency.reset()
  current.sent = 0
  current.acked = 0
  current.ackBytes = 0
  current.ackSamples = 0
  current.errors = 0
  current.errorCodes = {}
  current.frames = 0
  current.quotes = 0
  current.extraFrames = 0
  current.ticks = new Set()
  for (const client of clients) client.windowFirstTs = client.windowLastTs = -1
  current.cpu = process.cpuUsage()
  current.started = performance.now()
  current.elu = performance.eventLoopUtilization()
  return {}
}

function readWindow () {
  const cpu = process.cpuUsage(current.cpu)
  const wallMs = performance.now() - current.started
  const cpuMs = (cpu.user + cpu.system) / 1000
  return {
    wallMs,
    cpuMs,
    elu: performance.eventLoopUtilization(current.elu).utilization,
    deliveries: current.deliveries,
    latency: current.latency.toJSON(),
    ackLatency: current.ackLatency.toJSON(),
    sent: current.sent,
    acked: current.acked,
    ackBytes: current.ackBytes,
    ackSamples: current.ackSamples,
    errors: current.errors,
    errorCodes: current.errorCodes,
    frames: current.frames,
    quotes: current.quotes,
    extraFrames: current.extraFrames,
    ticks: [...current.ticks],
    expectedFrames: expectedTickFrames([...current.ticks].sort((a, b) => a - b), clients.filter((client) => client.lastSeq)
      .map((client) => client.windowFirstTs < 0 ? null : { first: client.windowFirstTs, last: client.windowLastTs })),
    connected: clients.filter(isOpen).length,
    disconnects: total.disconnects,
    connectErrors: total.connectErrors,
    duplicates: total.duplicates,
    seqGaps: total.seqGaps,
    rss: process.memoryUsage.rss()
  }
}

/** Cheap counters for the progress line. */
function peek () {
  let totalAcked = 0
  for (const n of total.acked.values()) totalAcked += n
  let inFlight = 0
  for (const client of clients) inFlight += Math.max(0, client.inFlight)
  return {
    deliveries: total.deliveries,
    totalAcked,
    reactionDeliveries: total.reactionDeliveries,
    reactionAcked: total.reactionAcked,
    inFlight,
    sent: current.sent,
    acked: current.acked,
    errors: current.errors,
    connected: clients.filter(isOpen).length
  }
}

function ackedTotals () {
  return { acked: [...total.acked], messages: total.ackedMessages }
}

/** Closes every client and forgets every counter. */
async function reset () {
  for (const client of clients) {
    clearTimeout(client.catchUpTimer)
    for (const socket of client.sockets.values()) socket.disconnect()
    client.manager?.engine?.close()
    client.ws?.terminate()
  }
  clients.length = 0
  Object.assign(total, {
    deliveries: 0, duplicates: 0, seqGaps: 0, disconnects: 0, connectErrors: 0, joins: 0, acked: new Map(), ackedMessages: [], keepAcked: false
  })
  Object.assign(total, { recentMessageIds: [], reactionDeliveries: 0, reactionDuplicates: 0, reactionAcks: new Map(), reactionAcked: 0, reactionNewest: new Map() })
  resetWindow()
  // Let the closes go out before the next scenario's connections come in.
  await sleep(50)
  return {}
}

/** joinRoom counts its own failures; nothing is left to handle. */
function ignore () {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

serveRpc({
  setup,
  chatJoin,
  chatSend,
  chatReact,
  persistSend,
  settle,
  chatVerify,
  reactVerify,
  reactionAckedTotals,
  recentMessageIds: () => ({ ids: total.recentMessageIds.slice(-64) }),
  tickerSubscribe,
  reconnectStatus,
  resetWindow,
  readWindow,
  peek,
  ackedTotals,
  reset,
  ping: () => ({ pid: process.pid, kind, clients: clients.length, params: setupParams?.url })
})
