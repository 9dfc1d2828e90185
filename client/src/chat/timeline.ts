import type { Message } from '../../../shared/chat.ts'

/**
 * The messages of one room this tab holds: a window of consecutive seqs ending at the newest.
 * Seqs are dense (a deleted message keeps its seq, the first message is seq 1), so a hole is
 * always a real gap, and "the oldest message is seq 1" means the start of the room is loaded.
 */
export interface Timeline {
  /** Sorted by seq, one message per seq. */
  readonly messages: readonly Message[]
  /** Nothing is missing up to this seq: the catch-up point (`chat:join {since}`). */
  readonly syncedThrough: number
  /** The room's first message is loaded (or the room is empty): no older history to ask for. */
  readonly startReached: boolean
  /** A page was loaded for reading (a room followed from afar only collects what is pushed). */
  readonly loaded: boolean
}

export interface MergeResult {
  messages: readonly Message[]
  /** Messages whose seq was not there before (what may count as unread or ring a pill). */
  added: Message[]
  /** The previous version of every message replaced by a newer one. */
  replaced: Message[]
}

/**
 * Shown in the room's timeline: not a thread reply, or a reply also sent to the room. Replies
 * not shown are held all the same, so that seqs stay dense.
 */
export const inTimeline = (message: Message) => message.threadRootId === undefined || message.alsoInRoom === true

/** A room followed from afar: nothing held, everything up to `syncedThrough` known to exist. */
export const emptyTimeline = (syncedThrough = 0): Timeline => ({
  messages: [],
  syncedThrough,
  startReached: syncedThrough === 0,
  loaded: false
})

/**
 * The later state of a message wins: deleting is final, and every change (an edit, a deletion, a
 * reaction) takes a higher rev; from a server without revs, edits only move editedAt forward.
 */
const isNewer = (message: Message, than: Message) => {
  if (message.deleted !== than.deleted) return message.deleted
  if (message.rev !== undefined && than.rev !== undefined) return message.rev > than.rev
  return (message.editedAt ?? 0) > (than.editedAt ?? 0)
}

/** Unites two lists by seq; an incoming copy replaces a held one only when it is a later state. */
export const mergeMessages = (held: readonly Message[], incoming: readonly Message[]): MergeResult => {
  if (incoming.length === 0) return { messages: held, added: [], replaced: [] }
  const bySeq = new Map<number, Message>()
  for (const message of held) bySeq.set(message.seq, message)
  const added: Message[] = []
  const replaced: Message[] = []
  for (const message of incoming) {
    const existing = bySeq.get(message.seq)
    if (!existing) {
      bySeq.set(message.seq, message)
      added.push(message)
    } else if (isNewer(message, existing)) {
      bySeq.set(message.seq, message)
      replaced.push(existing)
    }
  }
  if (added.length === 0 && replaced.length === 0) return { messages: held, added, replaced }
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq)
  return { messages, added, replaced }
}

/** Moves the catch-up point over every consecutive seq that is held. */
const advance = (syncedThrough: number, messages: readonly Message[]) => {
  const seqs = new Set(messages.map((message) => message.seq))
  let seq = syncedThrough
  while (seqs.has(seq + 1)) seq++
  return seq
}

export const newestSeq = (timeline: Timeline): number | null => timeline.messages.at(-1)?.seq ?? null

/** The seq to load older history before (`chat:history {before}`). */
export const oldestSeq = (timeline: Timeline): number => timeline.messages[0]?.seq ?? timeline.syncedThrough + 1

/** Held messages lie beyond the catch-up point: some in between never arrived. */
export const hasGap = (timeline: Timeline): boolean => (newestSeq(timeline) ?? 0) > timeline.syncedThrough

const startReachedWith = (messages: readonly Message[], pageFirst: number | null, hasMore: boolean) => {
  const first = messages[0]?.seq
  if (first === undefined) return !hasMore
  return first <= 1 || (!hasMore && first === pageFirst)
}

/**
 * The latest page (`chat:join` without since, or `chat:history` without before): authoritative
 * up to `lastSeq`. Held messages that do not touch the page are dropped, so no hole opens.
 */
export const applyLatestPage = (timeline: Timeline, page: readonly Message[], hasMore: boolean, lastSeq: number): MergeResult & { timeline: Timeline } => {
  const pageFirst = page[0]?.seq ?? null
  const pageLast = page.at(-1)?.seq ?? lastSeq
  const heldLast = newestSeq(timeline)
  const keep = heldLast !== null && (pageFirst === null || heldLast >= pageFirst - 1)
  const base = keep ? timeline.messages : []
  const merged = mergeMessages(base, page)
  const floor = Math.max(lastSeq, pageLast, keep ? timeline.syncedThrough : 0)
  // What was dropped is not "added" when it comes back later, but it may be: count against held.
  const heldSeqs = new Set(timeline.messages.map((message) => message.seq))
  return {
    ...merged,
    added: merged.added.filter((message) => !heldSeqs.has(message.seq)),
    timeline: {
      messages: merged.messages,
      syncedThrough: advance(floor, merged.messages),
      startReached: startReachedWith(merged.messages, pageFirst, hasMore),
      loaded: true
    }
  }
}

/** Messages after the catch-up point (`chat:join {since}`), oldest first. */
export const applyCatchUp = (timeline: Timeline, page: readonly Message[]): MergeResult & { timeline: Timeline } => {
  const merged = mergeMessages(timeline.messages, page)
  return {
    ...merged,
    timeline: { ...timeline, messages: merged.messages, syncedThrough: advance(timeline.syncedThrough, merged.messages) }
  }
}

/** An older page (`chat:history {before}`), oldest first. */
export const applyOlderPage = (timeline: Timeline, page: readonly Message[], hasMore: boolean): MergeResult & { timeline: Timeline } => {
  const merged = mergeMessages(timeline.messages, page)
  return {
    ...merged,
    timeline: {
      ...timeline,
      messages: merged.messages,
      syncedThrough: advance(timeline.syncedThrough, merged.messages),
      startReached: startReachedWith(merged.messages, page[0]?.seq ?? null, hasMore),
      loaded: true
    }
  }
}

/**
 * One new message (a push or an ack). It is kept even past a gap (shown at once), and `gap` says
 * that the caller should catch up from `syncedThrough`. A message older than the window is left
 * to history, so the window never gets a hole at its old end.
 */
export const applyMessage = (timeline: Timeline, message: Message): MergeResult & { timeline: Timeline, gap: boolean } => {
  if (message.seq < oldestSeq(timeline) - 1 || (timeline.messages.length === 0 && message.seq <= timeline.syncedThrough)) {
    return { messages: timeline.messages, added: [], replaced: [], timeline, gap: false }
  }
  const result = applyCatchUp(timeline, [message])
  return { ...result, gap: hasGap(result.timeline) }
}

/** An edit (or any newer copy) of a held message; messages not held are ignored. */
export const applyUpdate = (timeline: Timeline, message: Message): MergeResult & { timeline: Timeline } => {
  if (!timeline.messages.some((held) => held.seq === message.seq)) {
    return { messages: timeline.messages, added: [], replaced: [], timeline }
  }
  const merged = mergeMessages(timeline.messages, [message])
  return { ...merged, timeline: { ...timeline, messages: merged.messages } }
}

/** `chat:message-deleted`: the message keeps its seq and loses its text. */
export const applyDeletion = (timeline: Timeline, messageId: string, seq: number): MergeResult & { timeline: Timeline } => {
  const held = timeline.messages.find((message) => message.seq === seq && message.id === messageId)
  if (!held || held.deleted) return { messages: timeline.messages, added: [], replaced: [], timeline }
  return applyUpdate(timeline, { ...held, text: '', deleted: true })
}
