import type { ErrorInfo } from '../../../shared/protocol.ts'

/**
 * Messages written but not yet acknowledged, in the order they were written. They survive a
 * reload (localStorage, one list per signed-in user) and are resent with the same clientId,
 * which the server deduplicates, so resending after a lost ack never posts twice.
 */
export interface OutboxItem {
  readonly clientId: string
  readonly roomId: string
  readonly text: string
  /** An uploaded image that goes with the text (which may then be empty). */
  readonly imageId?: string
  /** A reply in this thread (shown in its panel while pending), and in the room too with `alsoInRoom`. */
  readonly threadRootId?: string
  readonly alsoInRoom?: boolean
  readonly createdAt: number
  /** queued: waits its turn (or for the connection); sending: in flight; failed: needs Retry. */
  readonly state: 'queued' | 'sending' | 'failed'
  readonly error: ErrorInfo | null
}

/** The subset of the Web Storage API the outbox uses (tests pass a Map-backed one). */
export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export const outboxKey = (userId: string) => `hubbub:chat-outbox:${userId}`

/** Where a thread reply goes: its thread, and the room too when `alsoInRoom`. */
export interface ReplyTarget {
  threadRootId: string
  alsoInRoom: boolean
}

export const newOutboxItem = (roomId: string, text: string, clientId: string, createdAt: number, imageId?: string, reply?: ReplyTarget): OutboxItem =>
  ({
    clientId,
    roomId,
    text,
    ...(imageId !== undefined && { imageId }),
    ...(reply !== undefined && { threadRootId: reply.threadRootId, alsoInRoom: reply.alsoInRoom }),
    createdAt,
    state: 'queued',
    error: null
  })

/** Whether a pending item shows in its room's list: a message, or a reply also sent to the room (as `inTimeline`). */
export const pendingInRoom = (item: OutboxItem) => item.threadRootId === undefined || item.alsoInRoom === true

const isItem = (value: unknown): value is OutboxItem => {
  if (typeof value !== 'object' || value === null) return false
  const item = value as Record<string, unknown>
  return typeof item.clientId === 'string' && typeof item.roomId === 'string' &&
    typeof item.text === 'string' && typeof item.createdAt === 'number' &&
    (item.state === 'queued' || item.state === 'sending' || item.state === 'failed')
}

const isErrorInfo = (value: unknown): value is ErrorInfo =>
  typeof value === 'object' && value !== null && typeof (value as ErrorInfo).code === 'string' && typeof (value as ErrorInfo).message === 'string'

const read = (storage: OutboxStorage, userId: string): OutboxItem[] => {
  let raw: string | null
  try {
    raw = storage.getItem(outboxKey(userId))
  } catch {
    return []
  }
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(raw)
    if (!Array.isArray(parsed)) return []
    return parsed.filter(isItem).map((item) => ({
      clientId: item.clientId,
      roomId: item.roomId,
      text: item.text,
      ...(typeof item.imageId === 'string' && { imageId: item.imageId }),
      ...(typeof item.threadRootId === 'string' && { threadRootId: item.threadRootId, alsoInRoom: item.alsoInRoom === true }),
      createdAt: item.createdAt,
      state: item.state,
      error: isErrorInfo(item.error) ? item.error : null
    }))
  } catch {
    return []
  }
}

/** The stored outbox of a user. What was in flight when the page went away is queued again. */
export const loadOutbox = (storage: OutboxStorage, userId: string): OutboxItem[] =>
  read(storage, userId).map((item) => item.state === 'sending' ? { ...item, state: 'queued' } : item)

/**
 * Writes this tab's outbox. Items another tab of the same user stored are kept (this tab never
 * saw them), except those this tab saw confirmed: one tab never erases another's unsent words.
 */
export const saveOutbox = (storage: OutboxStorage, userId: string, items: readonly OutboxItem[], confirmed: ReadonlySet<string>) => {
  const mine = new Set(items.map((item) => item.clientId))
  const others = read(storage, userId).filter((item) => !mine.has(item.clientId) && !confirmed.has(item.clientId))
  const all = [...others, ...items].sort((a, b) => a.createdAt - b.createdAt)
  try {
    if (all.length === 0) storage.removeItem(outboxKey(userId))
    else storage.setItem(outboxKey(userId), JSON.stringify(all))
  } catch {
    // Storage full or disabled: the outbox still works for this page's lifetime.
  }
}

export const enqueue = (items: readonly OutboxItem[], item: OutboxItem): OutboxItem[] =>
  items.some((held) => held.clientId === item.clientId) ? [...items] : [...items, item]

const update = (items: readonly OutboxItem[], clientId: string, change: Partial<OutboxItem>): OutboxItem[] =>
  items.map((item) => item.clientId === clientId ? { ...item, ...change } : item)

export const markSending = (items: readonly OutboxItem[], clientId: string) => update(items, clientId, { state: 'sending', error: null })
export const markQueued = (items: readonly OutboxItem[], clientId: string) => update(items, clientId, { state: 'queued', error: null })
export const markFailed = (items: readonly OutboxItem[], clientId: string, error: ErrorInfo) => update(items, clientId, { state: 'failed', error })

/** Drops items the server has confirmed (by ack, or seen among the room's messages). */
export const removeConfirmed = (items: readonly OutboxItem[], clientIds: ReadonlySet<string>): OutboxItem[] =>
  items.filter((item) => !clientIds.has(item.clientId))

/** The next item to send: the oldest queued one (items are kept in the order they were written). */
export const nextToSend = (items: readonly OutboxItem[]): OutboxItem | null =>
  items.find((item) => item.state === 'queued') ?? null

/**
 * After an error, whether the item should wait for the connection (and go again by itself) or
 * fail and wait for the user's Retry.
 */
export const shouldRequeue = (error: ErrorInfo, connected: boolean) => error.code === 'unavailable' && !connected
