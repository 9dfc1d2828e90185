import type { Message } from '../../../shared/chat.ts'
import { inTimeline } from './timeline.ts'

/**
 * A room's unread count: the server's figure (from the rooms list, a join, a read) as of a seq,
 * plus what arrived since. Counting only messages past that seq, each once (the timeline reports
 * a seq as added only the first time), keeps a re-join or a late ack from counting twice.
 */
export interface UnreadState {
  readonly count: number
  /** The server's count covers every message up to this seq. */
  readonly countedThrough: number
}

export const unreadSnapshot = (count: number, countedThrough: number): UnreadState => ({ count: Math.max(0, count), countedThrough })

const counts = (message: Message, state: UnreadState, myId: string) =>
  message.seq > state.countedThrough && message.author.id !== myId && !message.deleted && inTimeline(message)

/** New messages (as the timeline reports them added) raise the count: others' live ones only. */
export const countArrivals = (state: UnreadState, added: readonly Message[], myId: string): UnreadState => {
  const more = added.filter((message) => counts(message, state, myId)).length
  return more === 0 ? state : { ...state, count: state.count + more }
}

/** A message counted as unread was deleted (`replaced` holds the versions before the change). */
export const countDeletions = (state: UnreadState, replaced: readonly Message[], current: readonly Message[], myId: string): UnreadState => {
  const deletedNow = new Set(current.filter((message) => message.deleted).map((message) => message.seq))
  const fewer = replaced.filter((before) => deletedNow.has(before.seq) && counts(before, state, myId)).length
  return fewer === 0 ? state : { ...state, count: Math.max(0, state.count - fewer) }
}

/** A badge's text: nothing for zero, "99+" past 99. */
export const badgeText = (count: number): string | null => count <= 0 ? null : count > 99 ? '99+' : String(count)
