import { io, type Socket } from 'socket.io-client'
import type { Message } from '../../shared/chat.ts'
import { PROTOCOL_VERSION } from '../../shared/protocol.ts'

/**
 * A chat client that survives its node: it reconnects (through the front door, to whichever node
 * takes it), follows its room again with `since` = the last seq it holds, and takes the catch-up
 * page by page, as the browser client does. `seqs` is every seq of the room it has received,
 * live or caught up, after the moment it first joined (`from`).
 */
export async function followRoom (url: string, { token, roomId, transports = ['websocket'] }: { token: string, roomId: string, transports?: ('polling' | 'websocket')[] }) {
  const socket: Socket = io(`${url}/chat`, {
    forceNew: true,
    // Long-polling (first, or only) needs the front door's cookie on every request.
    transports,
    withCredentials: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1000,
    randomizationFactor: 0.5,
    auth: { protocolVersion: PROTOCOL_VERSION, token }
  })
  const seqs = new Set<number>()
  let from = -1
  let reconnects = 0
  let caughtUpAt = 0
  /** Why it last dropped, and why it last failed to come back (for a failing test to say). */
  let dropped = ''
  let refused = ''
  socket.on('disconnect', (reason) => { dropped = reason })
  socket.on('connect_error', (error) => { refused = error.message })
  const take = (message: Message) => { if (message.roomId === roomId && message.seq > from) seqs.add(message.seq) }
  /** The highest seq with every seq before it held: what a rejoin asks after. */
  const contiguous = () => {
    let seq = from
    while (seqs.has(seq + 1)) seq++
    return seq
  }
  let catchingUp: Promise<void> | null = null
  /** A push past a gap (pushes lost while a node's Redis was away) asks for what is missing, as the browser client does. */
  const fillGap = () => {
    catchingUp ??= join().catch(() => {}).finally(() => {
      catchingUp = null
      if (socket.connected && [...seqs].some((seq) => seq > contiguous())) fillGap()
    })
  }
  socket.on('chat:message', ({ message }: { message: Message }) => {
    take(message)
    if (from >= 0 && message.seq > contiguous() + 1) fillGap()
  })

  const join = async () => {
    for (;;) {
      const since = from < 0 ? undefined : contiguous()
      const res = await socket.timeout(5000).emitWithAck('chat:join', { roomId, ...(since !== undefined && { since }) })
      if (!res.ok && res.error.code === 'rate_limited') {
        // Many sockets of one user joining at once: wait as the server says, as the browser does.
        await new Promise((resolve) => setTimeout(resolve, res.error.retryAfterMs))
        continue
      }
      if (!res.ok) throw new Error(`chat:join: ${JSON.stringify(res.error)}`)
      if (from < 0) from = res.data.room.lastSeq
      for (const message of res.data.messages) take(message)
      if (!res.data.hasMore) break
    }
    caughtUpAt = Date.now()
  }
  const rejoin = () => {
    reconnects++
    join().catch(() => { /* the socket dropped again: the next connect rejoins */ })
  }

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    await join()
  } catch (error) {
    socket.close()
    throw error
  }
  socket.on('connect', rejoin)
  return {
    socket,
    seqs,
    /** A message this client learnt of otherwise (its own send's ack: the server does not echo it). */
    take,
    get from () { return from },
    get reconnects () { return reconnects },
    get why () { return `last drop: ${dropped || 'none'}, last refusal: ${refused || 'none'}` },
    get caughtUpAt () { return caughtUpAt },
    close: () => socket.close()
  }
}

export type RoomFollower = Awaited<ReturnType<typeof followRoom>>

/**
 * A writer that never gives up on a message: each send is retried with the same clientId after a
 * timeout or a reconnect until it is acknowledged, so what it holds as acked is what the server
 * said it stored (the server keeps one message per clientId).
 */
export async function startWriter (url: string, { token, roomId, name }: { token: string, roomId: string, name: string }) {
  const follower = await followRoom(url, { token, roomId })
  const acked: { id: string, seq: number, clientId: string }[] = []
  let retries = 0
  let n = 0
  const send = async () => {
    const clientId = `${name}-message-${++n}`
    for (;;) {
      if (follower.socket.connected) {
        try {
          const res = await follower.socket.timeout(4000).emitWithAck('chat:send', { roomId, text: `${name} says ${n}`, clientId })
          if (res.ok) {
            acked.push({ id: res.data.message.id, seq: res.data.message.seq, clientId })
            follower.take(res.data.message)
            return
          }
          if (res.error.code === 'rate_limited') await new Promise((resolve) => setTimeout(resolve, res.error.retryAfterMs))
          // Only a refusal that a retry can change is retried.
          else if (res.error.code !== 'unavailable') throw new Error(`chat:send ${clientId}: ${JSON.stringify(res.error)}`)
        } catch { /* no ack in time: sent again below */ }
        retries++
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return { follower, acked, send, get retries () { return retries } }
}
