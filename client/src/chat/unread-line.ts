import type { Timeline } from './timeline.ts'
import type { UnreadState } from './unread.ts'

/**
 * The "New" line of a room on screen: drawn above the first message past the read marker as it
 * was when the room was entered, and kept there while the room stays open (reading it moves the
 * marker on; the line stays where the new messages began).
 */

/** The marker the line follows on entering a room: only when something past it is unread. */
export const lineOnEntry = (readThrough: number, unread: UnreadState): number | null =>
  unread.count > 0 ? readThrough : null

export type UnreadLinePlace =
  /** No line (nothing unread, or nothing held past the marker yet). */
  | { kind: 'none' }
  /** Above the held message with this seq. */
  | { kind: 'before', seq: number }
  /** The first unread message (this seq) is older than the held window: load back to it first. */
  | { kind: 'older', seq: number }

/** Where the line goes in what the timeline holds; `after` is the marker it follows (null: no line). */
export const placeUnreadLine = (timeline: Timeline, after: number | null | undefined): UnreadLinePlace => {
  if (after === null || after === undefined) return { kind: 'none' }
  const first = timeline.messages.find((message) => message.seq > after)
  if (!first) return { kind: 'none' }
  // Seqs are dense: a window that starts past `after + 1` has the first unread one in older history.
  if (first.seq === after + 1 || timeline.startReached) return { kind: 'before', seq: first.seq }
  return { kind: 'older', seq: after + 1 }
}
