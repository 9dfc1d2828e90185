import { AWAY_AFTER_MS } from '../../../shared/notifications.ts'

/** How often a visible tab says "seen now": well under AWAY_AFTER_MS, so an open tab never looks away. */
export const SEEN_EVERY_MS = 60_000

/** Where the tabs of one browser keep when the user was last seen (one key per user). */
export const lastSeenKey = (userId: string) => `hubbub:last-seen:${userId}`

/** The part of `localStorage` the tracker uses: shared by every tab of the browser. */
export interface SeenStore {
  getItem (key: string): string | null
  setItem (key: string, value: string): void
}

/**
 * Whether the user, seen last at `lastSeenAt`, comes back from being away at `now`: the time to
 * summarise from, or null (never seen in this browser, or seen within `awayAfterMs`).
 */
export const awaySince = (lastSeenAt: number | null, now: number, awayAfterMs = AWAY_AFTER_MS): number | null =>
  lastSeenAt !== null && now - lastSeenAt > awayAfterMs ? lastSeenAt : null

const read = (store: SeenStore, key: string) => {
  try {
    const value = Number(store.getItem(key))
    return Number.isSafeInteger(value) && value > 0 ? value : null
  } catch {
    return null
  }
}

/**
 * "Last seen" shared by all of a user's tabs in this browser, through `localStorage`: every
 * visible tab writes it when it shows, while it stays visible (SEEN_EVERY_MS) and when it hides.
 * A tab that shows (or a visible one whose timers stalled, as in a sleeping laptop) after more
 * than AWAY_AFTER_MS with no tab writing learns the time the user went away, once: it writes
 * "now" at the same time, so the other tabs coming back with it do not show the summary again.
 */
export const createAwayTracker = ({ store, key, now, awayAfterMs = AWAY_AFTER_MS }: { store: SeenStore, key: string, now: () => number, awayAfterMs?: number }) => {
  const seen = () => {
    const at = now()
    const since = awaySince(read(store, key), at, awayAfterMs)
    try {
      store.setItem(key, String(at))
    } catch {
      // Storage full or refused (private mode): no summary rather than a broken page.
    }
    return since
  }
  return {
    /** The tab is visible now (shown, loaded visible, or its minute came): since when the user was away, or null. */
    visible: seen,
    /** The tab hides or closes: the time away counts from now. */
    hidden: () => { seen() },
    /** When this browser last saw the user (null: never). */
    lastSeen: () => read(store, key)
  }
}

export type AwayTracker = ReturnType<typeof createAwayTracker>
