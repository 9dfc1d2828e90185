import type { Notification } from '../../../shared/notifications.ts'

/** Notifications further apart than this start a new burst. */
export const BURST_GAP_MS = 10 * 60_000

/** One line of the inbox: a notification, or a burst of them from one person in one room. */
export type InboxEntry =
  | { type: 'single', notification: Notification }
  | { type: 'burst', id: string, items: readonly Notification[] }

const sameSource = (a: Notification, b: Notification) =>
  a.kind === b.kind && (a.kind === 'message' || a.kind === 'dm') &&
  a.roomId != null && a.roomId === b.roomId && a.actor != null && a.actor === b.actor

/**
 * Groups consecutive notifications (newest first) of the same kind from the same person in the
 * same room, each within BURST_GAP_MS of the next, into one entry; mentions, alerts and the
 * rest stay on their own. A burst's id is its newest item's, so it keeps its place as it grows.
 */
export const groupBursts = (items: readonly Notification[]): InboxEntry[] => {
  const entries: InboxEntry[] = []
  let run: Notification[] = []
  const flush = () => {
    if (run.length === 1) entries.push({ type: 'single', notification: run[0]! })
    else if (run.length > 1) entries.push({ type: 'burst', id: run[0]!.id, items: run })
    run = []
  }
  for (const item of items) {
    const last = run.at(-1)
    if (last && !(sameSource(last, item) && last.createdAt - item.createdAt <= BURST_GAP_MS)) flush()
    run.push(item)
  }
  flush()
  return entries
}

/** "5 new messages from ux_alice in #general" (a DM has no room name). */
export const burstTitle = (items: readonly Notification[]) => {
  const first = items[0]!
  const where = first.roomName ? ` in #${first.roomName}` : ''
  return `${items.length} new messages from ${first.actor ?? 'someone'}${where}`
}
