/** What grouping needs to know of a row in the message list (a message, or one still sending). */
export interface Groupable {
  readonly key: string
  readonly authorId: string
  readonly createdAt: number
}

export type MessageRow<E extends Groupable> =
  | { kind: 'day', key: string, day: string, at: number }
  | { kind: 'entry', key: string, entry: E, startsGroup: boolean }

/** Consecutive messages by one author this close together share one header (name and time). */
export const GROUP_WINDOW_MS = 5 * 60 * 1000

/** The local calendar day of a time, as a comparable key. */
export const localDay = (at: number) => {
  const date = new Date(at)
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`
}

/**
 * The rows of a message list: a separator before each new day, and each entry marked as
 * starting a group or continuing the one above. Entries come oldest first.
 */
export const groupMessages = <E extends Groupable>(
  entries: readonly E[],
  { dayOf = localDay, windowMs = GROUP_WINDOW_MS }: { dayOf?: (at: number) => string, windowMs?: number } = {}
): MessageRow<E>[] => {
  const rows: MessageRow<E>[] = []
  let previous: E | null = null
  let previousDay: string | null = null
  for (const entry of entries) {
    const day = dayOf(entry.createdAt)
    const newDay = day !== previousDay
    if (newDay) rows.push({ kind: 'day', key: `day-${day}`, day, at: entry.createdAt })
    const startsGroup = newDay || previous === null || previous.authorId !== entry.authorId ||
      entry.createdAt - previous.createdAt > windowMs || entry.createdAt < previous.createdAt
    rows.push({ kind: 'entry', key: entry.key, entry, startsGroup })
    previous = entry
    previousDay = day
  }
  return rows
}
