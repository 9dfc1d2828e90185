import type { Timeline } from '../timeline.ts'

/** The read-only view of a hit far back: this many messages, the hit the 26th of them. */
export const CONTEXT_SIZE = 50
const CONTEXT_AFTER = 25

export type JumpPlan =
  /** The room view loads history back to the hit (`?seq=`), keeping its window whole up to the newest. */
  | { kind: 'room' }
  /** Too far back for that: its context is loaded on its own (`chat:history {before, limit}`). */
  | { kind: 'context', before: number, limit: number }

/**
 * How to show a search hit. The room's timeline is one window of consecutive seqs ending at the
 * newest message (live messages and catch-up rely on that), so reaching an old message means
 * loading every page in between. Within `reach` messages of the newest (or already held) that is
 * what happens; farther back, the hit is shown with its context in a read-only view.     (pure)
 */
export const planJump = (timeline: Timeline, lastSeq: number, seq: number, reach: number): JumpPlan => {
  const oldestHeld = timeline.messages[0]?.seq
  if (oldestHeld !== undefined && oldestHeld <= seq) return { kind: 'room' }
  const newest = Math.max(lastSeq, timeline.syncedThrough, timeline.messages.at(-1)?.seq ?? 0)
  if (newest - seq < reach) return { kind: 'room' }
  return { kind: 'context', before: seq + CONTEXT_AFTER + 1, limit: CONTEXT_SIZE }
}
