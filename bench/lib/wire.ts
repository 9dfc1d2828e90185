/**
 * What the load generator puts on the wire and reads back. One clock for latency: every process
 * on the machine reads the same wall clock, with sub-millisecond resolution, through `now()`.
 */
export const now = () => performance.timeOrigin + performance.now()

/** A chat message text that carries who sent it, its number from that sender, and when. */
export const benchText = (sender: number, n: number, sentAt: number) => `bench ${sender} ${n} ${sentAt.toFixed(3)}`

export function parseBenchText (text: string): { sender: number, n: number, sentAt: number } | null {
  // indexOf rather than split: the generator parses one text per delivery.
  if (!text.startsWith('bench ')) return null
  const second = text.indexOf(' ', 6)
  const third = second < 0 ? -1 : text.indexOf(' ', second + 1)
  if (third < 0 || text.indexOf(' ', third + 1) >= 0) return null
  return { sender: Number(text.slice(6, second)), n: Number(text.slice(second + 1, third)), sentAt: Number(text.slice(third + 1)) }
}

/** The message a chat relay pushes: the shape of Hubbub's `chat:message` payload. */
export interface WireMessage {
  id: string
  roomId: string
  seq: number
  author: { id: string, username: string }
  text: string
  clientId: string
  createdAt: number
  editedAt: number | null
  deleted: boolean
}

/** What a raw ws client sends to the raw ws relay: a chat message, or (ticker) the symbols it follows. */
export interface RawSend {
  roomId: string
  text: string
  clientId: string
}
export type RawMessage = RawSend | { subscribe: string[] }

/**
 * The symbols a client follows: `count` of the universe, chosen at random (seeded by the client's
 * index, so runs repeat). Free choice makes nearly every client's set different, the hard case
 * for a server that shares one encoded frame between clients following the same set.
 */
export function symbolsFor (index: number, universe: readonly string[], count: number) {
  const pool = [...universe]
  const random = mulberry32(index + 1)
  const take = Math.min(count, pool.length)
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (pool.length - i))
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, take)
}

function mulberry32 (seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
